//! Store tests: round trips, refusals that write nothing, migrations, WAL readers, bad files.
//!
//! Why this file is over 600 lines: unit tests of the store, one per rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use tenken_assessment::Vendor;

/// The synthesised test checklist (see the fixture's header).
pub(crate) fn test_checklist() -> Checklist {
    toml::from_str(include_str!("../tests/fixtures/store/test-checklist.toml")).unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db").join(DB_FILE_NAME)).unwrap();
    (dir, store)
}

fn profile() -> ClinicProfile {
    ClinicProfile {
        name: "医療法人さくら会 さくら内科クリニック".into(),
        address: "東京都千代田区霞が関1-2-2".into(),
        administrator: "山田 太郎".into(),
        security_officer: "佐藤 花子".into(),
        systems: vec!["電子カルテ".into(), "レセコン".into()],
        vendors: vec![Vendor {
            name: "株式会社メディカルシステム".into(),
            contact: "03-0000-0000".into(),
            systems: vec!["電子カルテ".into()],
        }],
    }
}

fn new_assessment(store: &mut Store, cl: &Checklist) -> i64 {
    new_assessment_in(store, cl, 2025)
}

/// An assessment of `fiscal_year` (clinic sheet, the test profile, assessor 鈴木 一郎).
fn new_assessment_in(store: &mut Store, cl: &Checklist, fiscal_year: u16) -> i64 {
    store
        .create_assessment(
            cl,
            &NewAssessment {
                fiscal_year,
                checklist_id: cl.id.clone(),
                sheet: Sheet::Clinic,
                profile: profile(),
                assessor: Assessor {
                    name: "鈴木 一郎".into(),
                    company: None,
                },
            },
        )
        .unwrap()
}

fn answer(item: &str, scope: Scope, value: AnswerValue) -> Answer {
    Answer {
        checked_on: Some(date("2025-06-01")),
        ..Answer::new(item, scope, value)
    }
}

#[test]
fn answers_round_trip_with_all_fields_and_attachments() {
    let (dir, mut store) = new_store();
    let cl = test_checklist();
    let id = new_assessment(&mut store, &cl);
    let file = dir.path().join("パッチ適用記録.txt");
    std::fs::write(&file, "2025-06-01 Windows Update 適用済み\n").unwrap();
    let att = hash_file(&file).unwrap();
    assert_eq!(att.name, "パッチ適用記録.txt");
    assert_eq!(
        att.size,
        "2025-06-01 Windows Update 適用済み\n".len() as u64
    );
    let mut a = answer("2-12", Scope::Server, AnswerValue::No);
    a.target_date = Some(date("2026-03-31"));
    a.note = "電子カルテサーバのみ未対応。業者に依頼済み".into();
    a.responsible = "佐藤 花子".into();
    a.attachments = vec![att.clone()];
    let stored = store.set_answer(id, &cl, a.clone()).unwrap();
    assert!(stored.updated_at.is_some());
    store
        .set_answer(id, &cl, answer("2-12", Scope::Terminal, AnswerValue::Yes))
        .unwrap();
    drop(store);

    let store = Store::open(&dir.path().join("db").join(DB_FILE_NAME)).unwrap();
    let got = store.get_assessment(id).unwrap();
    assert_eq!(got.profile, profile());
    assert_eq!(got.assessor.name, "鈴木 一郎");
    assert_eq!(got.answers.len(), 2);
    let server = got
        .answers
        .iter()
        .find(|x| x.scope == Scope::Server)
        .unwrap();
    let mut expected = a;
    expected.updated_at = server.updated_at;
    assert_eq!(server, &expected);
    assert_eq!(server.attachments, vec![att]);
    // An independently computed SHA-256 of the file's bytes.
    assert_eq!(
        server.attachments[0].sha256,
        hex::encode(Sha256::digest(std::fs::read(&file).unwrap()))
    );
}

#[test]
fn changing_an_answer_replaces_the_row_and_keeps_attachments() {
    let (dir, mut store) = new_store();
    let cl = test_checklist();
    let id = new_assessment(&mut store, &cl);
    store
        .set_answer(id, &cl, answer("1-1", Scope::General, AnswerValue::Yes))
        .unwrap();
    let f = dir.path().join("体制図.pdf");
    std::fs::write(&f, b"%PDF-1.4 fake").unwrap();
    store.attach_file(id, "1-1", Scope::General, &f).unwrap();
    let mut b = answer("1-1", Scope::General, AnswerValue::NotApplicable);
    b.note = "変更".into();
    store.set_answer(id, &cl, b).unwrap();
    let all = store.answers(id).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].value, AnswerValue::NotApplicable);
    assert_eq!(all[0].note, "変更");
    assert_eq!(all[0].attachments.len(), 1);
    assert_eq!(all[0].attachments[0].name, "体制図.pdf");
}

#[test]
fn attachment_times_name_the_row_and_hash() {
    let (dir, mut store) = new_store();
    let cl = test_checklist();
    let id = new_assessment(&mut store, &cl);
    store
        .set_answer(id, &cl, answer("1-1", Scope::General, AnswerValue::Yes))
        .unwrap();
    let f = dir.path().join("規程.pdf");
    std::fs::write(&f, b"%PDF-1.4 rules").unwrap();
    let before = chrono::Utc::now();
    let att = store.attach_file(id, "1-1", Scope::General, &f).unwrap();
    let times = store.attachment_times(id).unwrap();
    assert_eq!(times.len(), 1);
    assert_eq!(times[0].0, "1-1");
    assert_eq!(times[0].1, Scope::General);
    assert_eq!(times[0].2, att.sha256);
    assert!(times[0].3 >= before - chrono::Duration::seconds(1));
}

#[test]
fn no_without_target_date_is_refused_and_nothing_written() {
    let (_dir, mut store) = new_store();
    let cl = test_checklist();
    let id = new_assessment(&mut store, &cl);
    store
        .set_answer(id, &cl, answer("2-6", Scope::General, AnswerValue::Yes))
        .unwrap();
    let before = store.get_assessment(id).unwrap();
    let err = store
        .set_answer(id, &cl, answer("2-6", Scope::General, AnswerValue::No))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Answer(AnswerError::MissingTargetDate(ref i)) if i == "2-6"),
        "{err:?}"
    );
    assert!(err.to_string().contains("目標日"));
    let after = store.get_assessment(id).unwrap();
    assert_eq!(before, after);
}

#[test]
fn unknown_item_scope_or_sheet_is_refused() {
    let (_dir, mut store) = new_store();
    let cl = test_checklist();
    let id = new_assessment(&mut store, &cl);
    let err = store
        .set_answer(id, &cl, answer("9-99", Scope::General, AnswerValue::Yes))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Answer(AnswerError::UnknownItem(_))),
        "{err:?}"
    );
    let err = store
        .set_answer(id, &cl, answer("2-13", Scope::Server, AnswerValue::Yes))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Answer(AnswerError::UnknownScope(..))),
        "{err:?}"
    );
    // 2-12 has server/terminal rows only: General is not a row of it.
    let err = store
        .set_answer(id, &cl, answer("2-12", Scope::General, AnswerValue::Yes))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Answer(AnswerError::UnknownScope(..))),
        "{err:?}"
    );
    let mut other = cl.clone();
    other.id = "other".into();
    let err = store
        .set_answer(id, &other, answer("1-1", Scope::General, AnswerValue::Yes))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::ChecklistMismatch { .. }),
        "{err:?}"
    );
    assert!(store.answers(id).unwrap().is_empty());

    // 3-1 is only on the clinic sheet: a vendor assessment refuses it.
    let vid = store
        .create_assessment(
            &cl,
            &NewAssessment {
                fiscal_year: 2025,
                checklist_id: cl.id.clone(),
                sheet: Sheet::Vendor,
                ..Default::default()
            },
        )
        .unwrap();
    let err = store
        .set_answer(vid, &cl, answer("3-1", Scope::General, AnswerValue::Yes))
        .unwrap_err();
    assert!(matches!(err, StoreError::ItemNotOnSheet { .. }), "{err:?}");
    let err = store
        .create_assessment(
            &cl,
            &NewAssessment {
                fiscal_year: 2025,
                checklist_id: cl.id.clone(),
                sheet: Sheet::Pharmacy,
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownSheet(_)), "{err:?}");
}

#[test]
fn batch_is_all_or_nothing_and_names_the_bad_entry() {
    let (_dir, mut store) = new_store();
    let cl = test_checklist();
    let id = new_assessment(&mut store, &cl);
    let batch = vec![
        answer("1-1", Scope::General, AnswerValue::Yes),
        answer("2-6", Scope::General, AnswerValue::Yes),
        answer("2-13", Scope::Network, AnswerValue::No),
    ];
    let err = store.set_answers(id, &cl, &batch).unwrap_err();
    match &err {
        StoreError::BatchEntry { index, item_id, .. } => {
            assert_eq!(*index, 3);
            assert_eq!(item_id, "2-13");
        }
        other => panic!("{other:?}"),
    }
    assert!(store.answers(id).unwrap().is_empty());
    let mut fixed = batch;
    fixed[2].target_date = Some(date("2026-03-31"));
    let stored = store.set_answers(id, &cl, &fixed).unwrap();
    assert_eq!(stored.len(), 3);
    assert_eq!(store.answers(id).unwrap().len(), 3);
}

#[test]
fn migrations_from_empty_db_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE_NAME);
    std::fs::write(&path, b"").unwrap(); // an empty file is an empty database
    let store = Store::open(&path).unwrap();
    let v = store.schema_version().unwrap();
    assert_eq!(v, migrations::MIGRATIONS.len() as i64);
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let tables: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for t in [
        "answers",
        "assessments",
        "attachments",
        "bundles",
        "clinic_profile",
        "reports",
    ] {
        assert!(
            tables.iter().any(|x| x == t),
            "missing table {t}: {tables:?}"
        );
    }
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), v);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE_NAME);
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err:?}"
    );
}

#[test]
fn non_sqlite_file_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE_NAME);
    let junk = "これはデータベースではありません。".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("データベースとして読めません"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    // Nothing changed on the file.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), junk);

    // A real database whose pages were overwritten in the middle.
    let path2 = dir.path().join("damaged.sqlite3");
    {
        let mut s = Store::open(&path2).unwrap();
        let cl = test_checklist();
        new_assessment(&mut s, &cl);
        s.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let mut bytes = std::fs::read(&path2).unwrap();
    for b in bytes.iter_mut().take(100) {
        *b = 0x5a;
    }
    std::fs::write(&path2, &bytes).unwrap();
    let err = Store::open(&path2).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
}

#[test]
fn readers_see_committed_answers_while_a_writer_writes() {
    let (dir, mut store) = new_store();
    let cl = test_checklist();
    let id = new_assessment(&mut store, &cl);
    let path = dir.path().join("db").join(DB_FILE_NAME);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ready = std::sync::Arc::new(std::sync::Barrier::new(4));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let path = path.clone();
            let stop = stop.clone();
            let ready = ready.clone();
            std::thread::spawn(move || {
                let r = Store::open(&path).unwrap();
                ready.wait();
                let mut reads = 0u32;
                let mut last = 0usize;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    // Each read is a consistent snapshot: the note counter never goes back.
                    let a = r.answers(id).unwrap();
                    if let Some(x) = a.first() {
                        let n: usize = x.note.parse().unwrap();
                        assert!(n >= last, "went back from {last} to {n}");
                        last = n;
                    }
                    reads += 1;
                }
                (reads, last)
            })
        })
        .collect();
    ready.wait();
    for i in 0..200 {
        let mut a = answer("2-6", Scope::General, AnswerValue::Yes);
        a.note = i.to_string();
        store.set_answer(id, &cl, a).unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for r in readers {
        let (reads, _last) = r.join().unwrap();
        assert!(reads > 0);
    }
    let r = Store::open(&path).unwrap();
    assert_eq!(r.answers(id).unwrap()[0].note, "199");
}

#[test]
fn profile_history_bundles_and_reports() {
    let (dir, mut store) = new_store();
    let cl = test_checklist();
    assert_eq!(store.get_profile().unwrap(), None);
    store.set_profile(&profile()).unwrap();
    assert_eq!(store.get_profile().unwrap(), Some(profile()));

    let id1 = new_assessment(&mut store, &cl);
    let id2 = store
        .create_assessment(
            &cl,
            &NewAssessment {
                fiscal_year: 2026,
                checklist_id: cl.id.clone(),
                sheet: Sheet::Clinic,
                profile: profile(),
                assessor: Assessor::default(),
            },
        )
        .unwrap();
    let mut no = answer("2-13", Scope::Network, AnswerValue::No);
    no.target_date = Some(date("2026-03-31"));
    store
        .set_answers(
            id1,
            &cl,
            &[
                answer("1-1", Scope::General, AnswerValue::Yes),
                answer("2-6", Scope::General, AnswerValue::Yes),
                answer("3-1", Scope::General, AnswerValue::NotApplicable),
                no,
            ],
        )
        .unwrap();
    let h = store.history().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!((h[0].id, h[0].fiscal_year, h[0].answers), (id2, 2026, 0));
    assert_eq!(
        (
            h[1].id,
            h[1].answers,
            h[1].yes,
            h[1].no,
            h[1].not_applicable
        ),
        (id1, 4, 2, 1, 1)
    );
    assert_eq!(h[1].clinic_name, profile().name);
    assert_eq!(
        store
            .current_assessment(2025, Sheet::Clinic, None)
            .unwrap()
            .unwrap()
            .id,
        id1
    );
    assert_eq!(
        store.current_assessment(2024, Sheet::Clinic, None).unwrap(),
        None
    );
    assert_eq!(store.latest_assessment().unwrap().unwrap().id, id2);

    let b1 = store
        .add_bundle(Some(id1), "受付PC", "{\"a\":1}", None, true)
        .unwrap();
    let b2 = store
        .add_bundle(Some(id1), "受付PC", "{\"a\":2}", Some(&[1, 2, 3]), true)
        .unwrap();
    let bundles = store.bundles(Some(id1)).unwrap();
    assert_eq!(bundles.len(), 2);
    assert_eq!((bundles[0].id, bundles[0].superseded), (b1, true));
    assert_eq!((bundles[1].id, bundles[1].superseded), (b2, false));
    assert_eq!(bundles[1].signature.as_deref(), Some(&[1u8, 2, 3][..]));
    assert_eq!(bundles[1].sha256, hex::encode(Sha256::digest(b"{\"a\":2}")));
    // Streamed one at a time: the current ones only, oldest first, and counted alike.
    let b3 = store
        .add_bundle(Some(id1), "診察室PC", "{\"a\":3}", None, true)
        .unwrap();
    store
        .add_bundle(Some(id2), "受付PC", "{\"b\":1}", None, true)
        .unwrap();
    let mut seen = Vec::new();
    store
        .for_each_current_bundle(Some(id1), |b| {
            seen.push((b.id, b.host, b.bundle_json));
            Ok::<(), StoreError>(())
        })
        .unwrap();
    assert_eq!(
        seen,
        vec![
            (b2, "受付PC".to_string(), "{\"a\":2}".to_string()),
            (b3, "診察室PC".to_string(), "{\"a\":3}".to_string())
        ]
    );
    assert_eq!(store.current_bundle_count(Some(id1)).unwrap(), 2);
    assert_eq!(store.current_bundle_count(None).unwrap(), 0);
    let stop =
        store.for_each_current_bundle(Some(id1), |_| Err(StoreError::Corrupt("stop".into())));
    assert!(
        matches!(stop, Err(StoreError::Corrupt(_))),
        "the first error stops it"
    );
    let rp = dir.path().join("report.pdf");
    std::fs::write(&rp, b"%PDF").unwrap();
    let r = store.add_report(Some(id1), &rp).unwrap();
    assert_eq!(store.reports().unwrap(), vec![r]);
}

#[test]
fn current_bundle_trust_counts_match_the_rows() {
    let (_dir, mut store) = new_store();
    let cl = test_checklist();
    let id = new_assessment(&mut store, &cl);
    assert_eq!(store.current_bundle_trust_counts(Some(id)).unwrap(), (0, 0));
    let add = |store: &mut Store, host: &str, trust: BundleTrust, supersede: bool| {
        store
            .add_bundle_checked(Some(id), host, "{}", None, supersede, trust, None)
            .unwrap();
    };
    add(&mut store, "受付PC", BundleTrust::Verified, true);
    add(&mut store, "診察室PC", BundleTrust::Unchecked, true);
    add(&mut store, "会計PC", BundleTrust::Unverified, true);
    // A verified bundle replaced by an unverified one counts once, as unverified.
    add(&mut store, "事務PC", BundleTrust::Verified, true);
    add(&mut store, "事務PC", BundleTrust::Unverified, true);
    // Two current bundles of one host, both kept: both count.
    add(&mut store, "院長PC", BundleTrust::Verified, true);
    add(&mut store, "院長PC", BundleTrust::Verified, false);
    add_other_assessment_bundle(&mut store, &cl);
    let rows: Vec<StoredBundle> = store
        .bundles(Some(id))
        .unwrap()
        .into_iter()
        .filter(|b| !b.superseded)
        .collect();
    let verified = rows
        .iter()
        .filter(|b| b.verification == BundleTrust::Verified)
        .count();
    assert_eq!((rows.len(), verified), (6, 3));
    assert_eq!(store.current_bundle_trust_counts(Some(id)).unwrap(), (6, 3));
    assert_eq!(store.current_bundle_trust_counts(None).unwrap(), (0, 0));
}

/// A verified bundle in a second assessment (never counted with the first's).
fn add_other_assessment_bundle(store: &mut Store, cl: &Checklist) {
    let other = new_assessment_in(store, cl, 2026);
    store
        .add_bundle_checked(
            Some(other),
            "受付PC",
            "{}",
            None,
            true,
            BundleTrust::Verified,
            None,
        )
        .unwrap();
}

#[test]
fn data_dir_override_wins() {
    let p = Path::new("/tmp/x");
    assert_eq!(data_dir(Some(p)), p);
    assert_eq!(data_dir(None), default_data_dir());
    assert!(default_data_dir().ends_with("tenken") || default_data_dir().ends_with("tenken-data"));
}

#[test]
fn new_profile_reaches_only_that_fiscal_years_assessments() {
    let (_d, mut store) = new_store();
    let cl = test_checklist();
    let this_year = new_assessment(&mut store, &cl);
    let mut earlier = NewAssessment {
        fiscal_year: 2024,
        checklist_id: cl.id.clone(),
        sheet: Sheet::Clinic,
        profile: profile(),
        assessor: Assessor::default(),
    };
    earlier.profile.name = "旧名称クリニック".into();
    let last_year = store.create_assessment(&cl, &earlier).unwrap();

    let mut p = profile();
    p.name = "新名称クリニック".into();
    p.administrator = String::new();
    assert_eq!(store.apply_profile_to_fiscal_year(2025, &p).unwrap(), 1);
    let a = store.get_assessment(this_year).unwrap();
    assert_eq!(a.profile, p);
    assert_eq!(
        store.get_assessment(last_year).unwrap().profile.name,
        "旧名称クリニック"
    );
    assert_eq!(store.apply_profile_to_fiscal_year(2030, &p).unwrap(), 0);
}

#[test]
fn current_assessment_is_per_year_and_sheet_and_follows_the_last_change() {
    let (_dir, mut store) = new_store();
    let cl = test_checklist();
    let a = new_assessment(&mut store, &cl);
    let b = new_assessment(&mut store, &cl);
    let v = store
        .create_assessment(
            &cl,
            &NewAssessment {
                fiscal_year: 2025,
                checklist_id: cl.id.clone(),
                sheet: Sheet::Vendor,
                ..Default::default()
            },
        )
        .unwrap();
    let current = |s: &Store, sheet| {
        s.current_assessment(2025, sheet, None)
            .unwrap()
            .map(|x| x.id)
    };
    // The vendor's answer set, created last, is not the clinic's assessment.
    assert_eq!(current(&store, Sheet::Clinic), Some(b));
    assert_eq!(current(&store, Sheet::Vendor), Some(v));
    assert_eq!(current(&store, Sheet::Pharmacy), None);
    assert_eq!(store.own_assessment(2025).unwrap().map(|x| x.id), Some(b));
    assert_eq!(
        store.latest_own_assessment().unwrap().map(|x| x.id),
        Some(b)
    );
    // Saving an answer on the older one makes it the one worked on.
    store
        .set_answer(a, &cl, answer("1-1", Scope::General, AnswerValue::Yes))
        .unwrap();
    assert_eq!(current(&store, Sheet::Clinic), Some(a));
    assert_eq!(store.own_assessment(2025).unwrap().map(|x| x.id), Some(a));
    assert_eq!(
        store
            .current_assessment(2025, Sheet::Clinic, Some("other-checklist"))
            .unwrap(),
        None
    );
    assert_eq!(store.own_assessment(2024).unwrap(), None);
}

/// Issue 14: the data folder was 0755 and tenken.sqlite3 0644, so any local user could read the
/// clinic's answers and evidence.
#[cfg(unix)]
#[test]
fn the_data_folder_and_database_are_for_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data").join("tenken");
    let db = dir.join(DB_FILE_NAME);
    let mut store = Store::open(&db).unwrap();
    store
        .set_profile(&crate::ClinicProfile {
            name: "さくら内科".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(mode(&dir), 0o700, "data folder");
    assert_eq!(mode(&db), 0o600, "database");
    let wal = std::path::PathBuf::from(format!("{}-wal", db.display()));
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600, "WAL file");
    }
    drop(store);
    // A database left 0644 by an older Tenken is tightened on open.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = Store::open(&db).unwrap();
    assert_eq!(mode(&db), 0o600);
    assert_eq!(store.get_profile().unwrap().unwrap().name, "さくら内科");
    // A folder the user chose is not changed.
    let chosen = tmp.path().join("usb");
    std::fs::create_dir(&chosen).unwrap();
    std::fs::set_permissions(&chosen, std::fs::Permissions::from_mode(0o755)).unwrap();
    Store::open(&chosen.join(DB_FILE_NAME)).unwrap();
    assert_eq!(mode(&chosen), 0o755);
    assert_eq!(mode(&chosen.join(DB_FILE_NAME)), 0o600);
}

#[test]
fn an_assessment_created_with_answers_is_all_or_nothing() {
    let (_d, mut store) = new_store();
    let cl = test_checklist();
    let new = NewAssessment {
        fiscal_year: 2026,
        checklist_id: cl.id.clone(),
        sheet: Sheet::Clinic,
        profile: profile(),
        assessor: Assessor::default(),
    };
    let before = store.history().unwrap().len();
    // The second answer names an item the checklist does not have: nothing is written.
    let bad = [
        Answer::new("1-1", Scope::General, AnswerValue::Yes),
        Answer::new("9-9", Scope::General, AnswerValue::Yes),
    ];
    let err = store
        .create_assessment_with_answers(&cl, &new, &bad)
        .unwrap_err();
    assert!(
        matches!(err, StoreError::BatchEntry { index: 2, .. }),
        "{err}"
    );
    assert_eq!(store.history().unwrap().len(), before);
    let good = [Answer::new("1-1", Scope::General, AnswerValue::Yes)];
    let id = store
        .create_assessment_with_answers(&cl, &new, &good)
        .unwrap();
    let a = store.get_assessment(id).unwrap();
    assert_eq!(a.answers.len(), 1);
    assert_eq!(a.answers[0].value, AnswerValue::Yes);
    assert_eq!(store.history().unwrap().len(), before + 1);
}
