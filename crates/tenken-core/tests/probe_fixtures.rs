//! Fixture tests for the core probes: every case under `tests/fixtures/<os>/<probe>/<case>/`
//! holds raw outputs (`<source key>.<ext>`, bytes as printed) and `expect.json` with the verdict
//! the probe must give. Raw bytes go through the real decoder (CP932, BOMs) first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tenken_core::evidence::{HostFacts, Verdict};
use tenken_core::probe::{CaptureError, Captured, EvalContext, Os, checks, exec};

#[derive(Deserialize)]
struct Expect {
    verdict: Verdict,
    #[serde(default)]
    reason: Option<tenken_core::evidence::UnknownReason>,
    #[serde(default)]
    elevated: bool,
    #[serde(default)]
    now: Option<DateTime<Utc>>,
    #[serde(default)]
    exit_codes: BTreeMap<String, i32>,
    #[serde(default)]
    stderr: BTreeMap<String, String>,
    #[serde(default)]
    errors: BTreeMap<String, CaptureError>,
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run_case(os: Os, probe_id: &str, dir: &Path) -> (Verdict, Option<tenken_core::evidence::UnknownReason>, Expect) {
    let expect: Expect =
        serde_json::from_slice(&std::fs::read(dir.join("expect.json")).unwrap()).unwrap();
    let probe = checks::by_id(probe_id).unwrap_or_else(|| panic!("no probe {probe_id}"));
    let plan = probe.plan(os);
    let now = expect.now.unwrap_or_else(|| "2024-06-05T00:00:00Z".parse().unwrap());
    let mut captured = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name == "expect.json" {
            continue;
        }
        let key = name.split('.').next().unwrap().to_string();
        let source = plan
            .iter()
            .find(|s| s.key() == key)
            .unwrap_or_else(|| panic!("{}: key {key} not in plan of {probe_id}", dir.display()))
            .clone();
        let bytes = std::fs::read(&path).unwrap();
        let (text, enc) = exec::decode(&bytes);
        captured.push(Captured {
            source,
            stdout: text,
            stderr: expect.stderr.get(&key).cloned().unwrap_or_default(),
            exit_code: Some(expect.exit_codes.get(&key).copied().unwrap_or(0)),
            encoding: Some(enc.to_string()),
            raw_sha256: tenken_core::evidence::sha256_hex(&bytes),
            raw_len: bytes.len() as u64,
            error: None,
            error_detail: None,
            started_at: now,
            ended_at: now,
            elevated: expect.elevated,
        });
    }
    for (key, err) in &expect.errors {
        let source = plan.iter().find(|s| s.key() == key).unwrap().clone();
        captured.push(exec::failed_capture(&source, *err, "fixture", expect.elevated));
    }
    let ctx = EvalContext {
        os,
        host: HostFacts::default(),
        now,
        elevated: expect.elevated,
    };
    let f = tenken_core::probe::runner::finalize(probe.as_ref(), &ctx, &captured);
    assert_eq!(f.probe_id, probe_id);
    assert!(!f.summary.ja.is_empty() && !f.summary.en.is_empty());
    if f.verdict == Verdict::Unknown {
        assert!(f.reason.is_some(), "unknown without reason");
    }
    assert_eq!(f.evidence.len(), captured.len(), "every capture becomes evidence");
    (f.verdict, f.reason, expect)
}

#[test]
fn every_fixture_gives_its_expected_verdict() {
    let mut checked = BTreeMap::<(String, String), usize>::new();
    let mut failures = Vec::new();
    for os in [Os::Windows, Os::Macos, Os::Linux] {
        let osdir = fixtures_root().join(os.as_str());
        for probe in std::fs::read_dir(&osdir).unwrap() {
            let probe = probe.unwrap().path();
            let probe_id = probe.file_name().unwrap().to_string_lossy().to_string();
            for case in std::fs::read_dir(&probe).unwrap() {
                let case = case.unwrap().path();
                if !case.join("expect.json").is_file() {
                    continue;
                }
                let (verdict, reason, expect) = run_case(os, &probe_id, &case);
                if verdict != expect.verdict || (expect.reason.is_some() && reason != expect.reason) {
                    failures.push(format!(
                        "{}: got {verdict:?}/{reason:?}, want {:?}/{:?}",
                        case.display(),
                        expect.verdict,
                        expect.reason
                    ));
                }
                *checked.entry((os.as_str().to_string(), probe_id.clone())).or_default() += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for os in ["windows", "macos", "linux"] {
        for id in ["ports.listening", "net.peers", "firewall.host", "antivirus.status", "net.gateway"] {
            let n = checked.get(&(os.to_string(), id.to_string())).copied().unwrap_or(0);
            assert!(n >= 2, "{os}/{id}: only {n} fixture(s)");
        }
    }
}

#[test]
fn cp932_fixture_is_really_cp932() {
    let raw = std::fs::read(fixtures_root().join("windows/firewall.host/netsh_fallback_cp932/netsh_state.txt")).unwrap();
    let (text, enc) = exec::decode(&raw);
    assert_eq!(enc, "cp932");
    assert!(text.contains("オン"));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn any_capture(os: Os, key_text: Vec<(usize, String)>, elevated: bool) -> Vec<(String, Vec<Captured>)> {
        let now: DateTime<Utc> = "2024-06-05T00:00:00Z".parse().unwrap();
        checks::all()
            .iter()
            .map(|p| {
                let plan = p.plan(os);
                let caps = key_text
                    .iter()
                    .filter_map(|(i, t)| plan.get(i % plan.len().max(1)).map(|s| (s.clone(), t.clone())))
                    .map(|(source, stdout)| Captured {
                        source,
                        stdout,
                        stderr: String::new(),
                        exit_code: Some(0),
                        encoding: None,
                        raw_sha256: String::new(),
                        raw_len: 0,
                        error: None,
                        error_detail: None,
                        started_at: now,
                        ended_at: now,
                        elevated,
                    })
                    .collect();
                (p.meta().id.to_string(), caps)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn evaluate_never_panics_and_unknown_has_reason(
            texts in proptest::collection::vec((0usize..8, "(?s).{0,300}|\\{\"[a-zA-Z]{1,12}\":(null|1|\"x\"|\\[\\]|\\{\\})\\}|ClamAV-VDB:[0-9:]{0,40}|Status: [a-z]{0,10}"), 0..6),
            elevated in any::<bool>(),
        ) {
            for os in [Os::Windows, Os::Macos, Os::Linux] {
                let ctx = EvalContext { os, host: HostFacts::default(), now: "2024-06-05T00:00:00Z".parse().unwrap(), elevated };
                for (id, caps) in any_capture(os, texts.clone(), elevated) {
                    let probe = checks::by_id(&id).unwrap();
                    let f = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| probe.evaluate(&ctx, &caps)));
                    prop_assert!(f.is_ok(), "{id} panicked on {:?}", caps.iter().map(|c| &c.stdout).collect::<Vec<_>>());
                    let f = f.unwrap();
                    if f.verdict == Verdict::Unknown { prop_assert!(f.reason.is_some()); }
                }
            }
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = exec::decode(&bytes);
        }
    }
}
