//! Reliability: a writer process autosaving answers is SIGKILLed at random moments, 60 times.
//! After every kill the database must pass `PRAGMA integrity_check` and hold every answer the
//! writer reported as committed (it prints a line only after `set_answer` returned).
//!
//! The writer is this test binary re-executed with `TENKEN_KILL_WRITER_DB` set, running the
//! ignored helper test `writer_process` (it does nothing useful on its own).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use tenken_assessment::{Answer, AnswerValue};
use tenken_checklist::{Checklist, Scope};
use tenken_store::{NewAssessment, Store};

const ENV_DB: &str = "TENKEN_KILL_WRITER_DB";
const ENV_RUN: &str = "TENKEN_KILL_WRITER_RUN";
const KILLS: usize = 60;

fn checklist() -> Checklist {
    toml::from_str(include_str!("fixtures/store/test-checklist.toml")).unwrap()
}

/// The item and scope rows the writer cycles through.
fn rows() -> Vec<(&'static str, Scope)> {
    vec![
        ("1-1", Scope::General),
        ("2-6", Scope::General),
        ("2-12", Scope::Server),
        ("2-12", Scope::Terminal),
        ("2-13", Scope::Network),
        ("3-1", Scope::General),
    ]
}

/// Sequence number encoded in the note: run * 1_000_000 + counter.
fn seq_of(note: &str) -> u64 {
    note.trim_start_matches("保存テスト ").parse().unwrap()
}

#[test]
#[ignore = "helper process for sigkill_during_autosave_loses_no_committed_answer"]
fn writer_process() {
    let Some(db) = std::env::var_os(ENV_DB) else {
        return;
    };
    let run: u64 = std::env::var(ENV_RUN).unwrap().parse().unwrap();
    let cl = checklist();
    let mut store = Store::open(Path::new(&db)).unwrap();
    let id = match store.latest_assessment().unwrap() {
        Some(a) => a.id,
        None => store
            .create_assessment(
                &cl,
                &NewAssessment {
                    fiscal_year: 2025,
                    checklist_id: cl.id.clone(),
                    sheet: tenken_assessment::Sheet::Clinic,
                    ..Default::default()
                },
            )
            .unwrap(),
    };
    let rows = rows();
    let mut out = std::io::stdout().lock();
    for i in 0u64.. {
        let (item, scope) = rows[(i as usize) % rows.len()];
        let seq = run * 1_000_000 + i;
        let value = if i % 3 == 0 {
            AnswerValue::No
        } else {
            AnswerValue::Yes
        };
        let a = Answer {
            item_id: item.into(),
            scope,
            value,
            checked_on: Some("2025-06-01".parse().unwrap()),
            target_date: (value == AnswerValue::No).then(|| "2026-03-31".parse().unwrap()),
            note: format!("保存テスト {seq}"),
            responsible: "自動テスト".into(),
            attachments: vec![],
            updated_at: None,
        };
        store.set_answer(id, &cl, a).unwrap();
        use std::io::Write;
        writeln!(out, "committed {item} {scope:?} {seq}").unwrap();
        out.flush().unwrap();
    }
}

/// A small xorshift generator (no extra dependency); the seed is printed for reruns.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn sigkill_during_autosave_loses_no_committed_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tenken.sqlite3");
    let seed = std::env::var("TENKEN_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill test seed {seed} (TENKEN_KILL_SEED to repeat)");
    let mut rng = Rng(seed);
    let exe = std::env::current_exe().unwrap();
    // Highest committed sequence per row, as reported by the writers.
    let mut reported: HashMap<(String, String), u64> = HashMap::new();
    let mut total_reported = 0usize;
    let mut killed_with_output = 0usize;

    for run in 1..=KILLS as u64 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "writer_process",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ENV_DB, &db)
            .env(ENV_RUN, run.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(l) => {
                        if tx.send(l).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        });
        let mut lines = Vec::new();
        if run % 2 == 0 {
            // Even runs: wait for the first commit, then kill mid-stream.
            let first = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("writer committed nothing within 60 s");
            lines.push(first);
            std::thread::sleep(Duration::from_millis(rng.next() % 60));
        } else {
            // Odd runs: kill anywhere from start-up (open, migrations) onwards.
            std::thread::sleep(Duration::from_millis(rng.next() % 150));
        }
        // SIGKILL: no destructor, no flush, no chance to finish the transaction.
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "writer ended on its own: {status:?}");
        reader.join().unwrap();
        lines.extend(rx.try_iter());
        if !lines.is_empty() {
            killed_with_output += 1;
        }
        for l in lines.iter().filter(|l| l.starts_with("committed ")) {
            let parts: Vec<&str> = l.split(' ').collect();
            let key = (parts[1].to_string(), parts[2].to_string());
            let seq: u64 = parts[3].parse().unwrap();
            total_reported += 1;
            let e = reported.entry(key).or_insert(0);
            *e = (*e).max(seq);
        }

        // After every kill: the file is healthy and nothing reported is missing.
        let store = Store::open(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "run {run}");
        let Some(a) = store.latest_assessment().unwrap() else {
            assert!(reported.is_empty(), "answers reported but no assessment");
            continue;
        };
        for ((item, scope), seq) in &reported {
            let found = a
                .answers
                .iter()
                .find(|x| &x.item_id == item && &format!("{:?}", x.scope) == scope)
                .unwrap_or_else(|| panic!("run {run}: committed answer {item} {scope} lost"));
            // The stored row is the reported one or a later one (committed, then killed
            // before it could print).
            assert!(
                seq_of(&found.note) >= *seq,
                "run {run}: {item} {scope} holds {} but {seq} was committed",
                found.note
            );
            if found.value == AnswerValue::No {
                assert!(found.target_date.is_some());
            }
        }
    }
    eprintln!(
        "{KILLS} kills, {killed_with_output} after commits began, {total_reported} commits reported"
    );
    // The test must really have exercised kills during writing.
    assert!(
        killed_with_output >= KILLS / 2,
        "writers rarely got to write"
    );
    assert!(total_reported > KILLS);
}
