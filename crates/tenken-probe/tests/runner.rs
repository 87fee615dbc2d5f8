//! Runner behaviour with test probes running real commands: per-probe timeout keeps partial
//! evidence and gives unknown/timeout, cancellation, progress events, bounded concurrency,
//! evidence truncation and hashing.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tenken_base::Text;
use tenken_evidence::{Finding, RAW_LIMIT, UnknownReason, Verdict, sha256_hex};
use tenken_probe::exec::{CancelToken, command};
use tenken_probe::runner::{EventSink, ProbeEvent, ScanOptions, scan_blocking};
use tenken_probe::{Captured, EvalContext, Os, Probe, ProbeMeta, Source};

/// A test probe: runs `sh -c <script>` sources and passes when every one printed something.
struct ShProbe {
    meta: ProbeMeta,
    scripts: Vec<String>,
}

impl ShProbe {
    fn boxed(id: &'static str, timeout_ms: u64, scripts: &[&str]) -> Box<dyn Probe> {
        Box::new(Self {
            meta: ProbeMeta {
                id,
                title: Text::new("テスト", "test"),
                reads: vec![],
                needs_elevation: false,
                timeout: Duration::from_millis(timeout_ms),
                checklist_refs: vec![],
            },
            scripts: scripts.iter().map(|s| s.to_string()).collect(),
        })
    }
}

impl Probe for ShProbe {
    fn meta(&self) -> &ProbeMeta {
        &self.meta
    }
    fn plan(&self, _os: Os) -> Vec<Source> {
        self.scripts
            .iter()
            .enumerate()
            .map(|(i, s)| command(&format!("s{i}"), "sh", &["-c", s]))
            .collect()
    }
    fn evaluate(&self, _ctx: &EvalContext, captured: &[Captured]) -> Finding {
        let all =
            captured.len() == self.scripts.len() && captured.iter().all(|c| !c.stdout.is_empty());
        Finding {
            probe_id: self.meta.id.into(),
            title: self.meta.title.clone(),
            verdict: if all { Verdict::Pass } else { Verdict::Fail },
            reason: None,
            summary: Text::new("x", "x"),
            action: Text::default(),
            facts: serde_json::json!({}),
            checklist_refs: vec![],
            evidence: vec![],
        }
    }
}

#[test]
fn timeout_gives_unknown_with_partial_evidence() {
    let probes = vec![ShProbe::boxed(
        "t.slow",
        500,
        &["echo first", "echo partial; sleep 20", "echo never"],
    )];
    let t = Instant::now();
    let b = scan_blocking(probes, ScanOptions::default(), None).unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(8),
        "took {:?}",
        t.elapsed()
    );
    let f = &b.findings[0];
    assert_eq!(f.verdict, Verdict::Unknown);
    assert_eq!(f.reason, Some(UnknownReason::Timeout));
    assert_eq!(f.evidence.len(), 3);
    assert_eq!(f.evidence[0].raw, "first\n");
    assert_eq!(f.evidence[1].raw, "partial\n");
    assert!(
        f.evidence[1]
            .error
            .as_deref()
            .unwrap()
            .starts_with("timeout")
    );
    assert!(
        f.evidence[2]
            .error
            .as_deref()
            .unwrap()
            .starts_with("timeout")
    );
}

#[test]
fn events_and_bounded_concurrency() {
    // Six different commands (one scan runs an identical command only once, see scan_light).
    let scripts: Vec<String> = (0..6).map(|i| format!("sleep 0.3; echo {i}")).collect();
    let probes: Vec<Box<dyn Probe>> = (0..6)
        .map(|i| {
            ShProbe::boxed(
                ["a", "b", "c", "d", "e", "f"][i],
                10_000,
                &[scripts[i].as_str()],
            )
        })
        .collect();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink: EventSink = {
        let log = log.clone();
        Arc::new(move |e| log.lock().unwrap().push(e))
    };
    let opts = ScanOptions {
        concurrency: 2,
        ..ScanOptions::default()
    };
    let t = Instant::now();
    let b = scan_blocking(probes, opts, Some(sink)).unwrap();
    // 6 probes x 0.3 s with 2 at a time: at least 3 rounds.
    assert!(
        t.elapsed() >= Duration::from_millis(850),
        "concurrency not bounded: {:?}",
        t.elapsed()
    );
    let ids: Vec<_> = b.findings.iter().map(|f| f.probe_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
    assert!(b.findings.iter().all(|f| f.verdict == Verdict::Pass));
    let log = log.lock().unwrap();
    let mut running = 0i32;
    let mut max_running = 0;
    for e in log.iter() {
        match e {
            ProbeEvent::Started { .. } => running += 1,
            ProbeEvent::Finished { verdict, .. } => {
                assert_eq!(*verdict, Verdict::Pass);
                running -= 1;
            }
        }
        max_running = max_running.max(running);
    }
    assert_eq!(log.len(), 12);
    assert!(max_running <= 2, "{max_running} probes ran at once");
}

#[test]
fn cancellation_kills_running_commands() {
    let probes = vec![ShProbe::boxed("c.long", 60_000, &["sleep 30; echo done"])];
    let cancel = CancelToken::new();
    let opts = ScanOptions {
        cancel: cancel.clone(),
        ..ScanOptions::default()
    };
    let c2 = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        c2.cancel();
    });
    let t = Instant::now();
    let b = scan_blocking(probes, opts, None).unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "cancel took {:?}",
        t.elapsed()
    );
    assert_eq!(b.findings[0].verdict, Verdict::Unknown);
    assert!(cancel.is_cancelled());
}

#[test]
fn large_output_is_truncated_but_hashed_in_full() {
    let probes = vec![ShProbe::boxed(
        "big",
        30_000,
        &["head -c 400000 /dev/zero | tr '\\0' 'a'"],
    )];
    let b = scan_blocking(probes, ScanOptions::default(), None).unwrap();
    let e = &b.findings[0].evidence[0];
    assert!(e.truncated);
    assert_eq!(e.raw_len, 400_000);
    assert!(e.raw.len() < RAW_LIMIT + 100);
    assert!(e.raw.ends_with("truncated by Tenken…]"));
    assert_eq!(e.raw_sha256, sha256_hex(&vec![b'a'; 400_000]));
    assert_eq!(e.encoding.as_deref(), Some("utf-8"));
    assert!(e.source.starts_with("sh -c"));
}

#[test]
fn unknown_probe_id_is_an_error() {
    let opts = ScanOptions {
        only: vec!["no.such".into()],
        ..ScanOptions::default()
    };
    assert!(scan_blocking(vec![ShProbe::boxed("x", 1000, &["echo"])], opts, None).is_err());
}
