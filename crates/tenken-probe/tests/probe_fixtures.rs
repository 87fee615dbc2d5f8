//! Fixture tests for the core probes: every case under `tests/fixtures/<os>/<probe>/<case>/`
//! holds raw outputs (`<source key>.<ext>`, bytes as printed) and `expect.json` with the verdict
//! the probe must give. Raw bytes go through the real decoder (CP932, BOMs) first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tenken_evidence::{HostFacts, Verdict};
use tenken_probe::{CaptureError, Captured, EvalContext, Os, checks, exec};

#[derive(Deserialize)]
struct Expect {
    verdict: Verdict,
    #[serde(default)]
    reason: Option<tenken_evidence::UnknownReason>,
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

fn build_captures(os: Os, probe_id: &str, dir: &Path) -> (Vec<Captured>, Expect) {
    let expect: Expect =
        serde_json::from_slice(&std::fs::read(dir.join("expect.json")).unwrap()).unwrap();
    let probe = checks::by_id(probe_id).unwrap_or_else(|| panic!("no probe {probe_id}"));
    let plan = probe.plan(os);
    let now = expect
        .now
        .unwrap_or_else(|| "2024-06-05T00:00:00Z".parse().unwrap());
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
            raw_sha256: tenken_evidence::sha256_hex(&bytes),
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
        captured.push(exec::failed_capture(
            &source,
            *err,
            "fixture",
            expect.elevated,
        ));
    }
    (captured, expect)
}

fn run_case(
    os: Os,
    probe_id: &str,
    dir: &Path,
) -> (Verdict, Option<tenken_evidence::UnknownReason>, Expect) {
    let (captured, expect) = build_captures(os, probe_id, dir);
    let now = expect
        .now
        .unwrap_or_else(|| "2024-06-05T00:00:00Z".parse().unwrap());
    let probe = checks::by_id(probe_id).unwrap();
    let ctx = EvalContext {
        os,
        host: HostFacts::default(),
        now,
        elevated: expect.elevated,
    };
    let f = tenken_probe::runner::finalize(probe.as_ref(), &ctx, &captured);
    assert_eq!(f.probe_id, probe_id);
    assert!(!f.summary.ja.is_empty() && !f.summary.en.is_empty());
    if f.verdict == Verdict::Unknown {
        assert!(f.reason.is_some(), "unknown without reason");
    }
    assert_eq!(
        f.evidence.len(),
        captured.len(),
        "every capture becomes evidence"
    );
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
            if !probe.is_dir() {
                continue; // README.md and other notes beside the probe folders
            }
            let probe_id = probe.file_name().unwrap().to_string_lossy().to_string();
            for case in std::fs::read_dir(&probe).unwrap() {
                let case = case.unwrap().path();
                if !case.join("expect.json").is_file() {
                    continue;
                }
                let (verdict, reason, expect) = run_case(os, &probe_id, &case);
                if verdict != expect.verdict || (expect.reason.is_some() && reason != expect.reason)
                {
                    failures.push(format!(
                        "{}: got {verdict:?}/{reason:?}, want {:?}/{:?}",
                        case.display(),
                        expect.verdict,
                        expect.reason
                    ));
                }
                *checked
                    .entry((os.as_str().to_string(), probe_id.clone()))
                    .or_default() += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for os in ["windows", "macos", "linux"] {
        for id in [
            "ports.listening",
            "net.peers",
            "firewall.host",
            "antivirus.status",
            "net.gateway",
        ] {
            let n = checked
                .get(&(os.to_string(), id.to_string()))
                .copied()
                .unwrap_or(0);
            assert!(n >= 2, "{os}/{id}: only {n} fixture(s)");
        }
    }
}

#[test]
fn cp932_fixture_is_really_cp932() {
    let raw = std::fs::read(
        fixtures_root().join("windows/firewall.host/netsh_fallback_cp932/netsh_state.txt"),
    )
    .unwrap();
    let (text, enc) = exec::decode(&raw);
    assert_eq!(enc, "cp932");
    assert!(text.contains("オン"));
}

/// Replay sets: (os, elevated, scan time, [(probe, fixture case, expected verdict)]).
type ReplaySet = (
    Os,
    bool,
    &'static str,
    Vec<(&'static str, &'static str, Verdict)>,
);

fn replay_sets() -> Vec<ReplaySet> {
    vec![
        (
            Os::Windows,
            false,
            "2024-06-05T00:00:00Z",
            vec![
                ("ports.listening", "rdp_smb_exposed", Verdict::Warn),
                ("net.peers", "teamviewer_session", Verdict::Warn),
                ("firewall.host", "ok_ja_bom_clixml", Verdict::Pass),
                ("antivirus.status", "defender_on", Verdict::Pass),
                ("net.gateway", "two_nics", Verdict::Warn),
            ],
        ),
        (
            Os::Macos,
            false,
            "2024-06-05T00:00:00Z",
            vec![
                ("ports.listening", "screen_sharing_netstat", Verdict::Fail),
                ("net.peers", "apple_push_only", Verdict::Pass),
                ("firewall.host", "on", Verdict::Pass),
                ("antivirus.status", "xprotect_recent", Verdict::Pass),
                ("net.gateway", "single_wifi", Verdict::Pass),
            ],
        ),
        (
            Os::Linux,
            false,
            "2024-06-05T00:00:00Z",
            vec![
                ("ports.listening", "loopback_services", Verdict::Pass),
                ("net.peers", "not_root_unattributed", Verdict::Unknown),
                ("firewall.host", "not_root", Verdict::Unknown),
                ("antivirus.status", "no_antivirus", Verdict::Warn),
                ("net.gateway", "single_nic", Verdict::Pass),
            ],
        ),
    ]
}

/// Regenerates `tests/fixtures/replay/<os>/` (record format) from fixture cases.
/// Run with `cargo test -p tenken-probe --test probe_fixtures -- --ignored write_replay_sets`.
#[test]
#[ignore = "a tool, not a test: regenerates the replay fixtures read by replay_sets_give_expected_verdicts"]
fn write_replay_sets() {
    use tenken_probe::record;
    for (os, elevated, now, cases) in replay_sets() {
        let dir = fixtures_root().join("replay").join(os.as_str());
        let now: DateTime<Utc> = now.parse().unwrap();
        let host = HostFacts {
            hostname: format!("SYNTH-{}", os.as_str().to_uppercase()),
            os_family: os.as_str().into(),
            os_name: match os {
                Os::Windows => "Windows 11 Pro",
                Os::Macos => "macOS 14.5",
                Os::Linux => "Debian GNU/Linux 12",
            }
            .into(),
            os_version: "synthesised".into(),
            tool_version: tenken_base::VERSION.into(),
            elevated,
            ..HostFacts::default()
        };
        record::write_host(
            &dir,
            &record::RecordedHost {
                os,
                host,
                scanned_at: now,
                elevated,
            },
        )
        .unwrap();
        let mut expected = BTreeMap::new();
        for (probe, case, verdict) in cases {
            let (caps, _) = build_captures(
                os,
                probe,
                &fixtures_root().join(os.as_str()).join(probe).join(case),
            );
            record::write_probe(&dir, probe, &caps).unwrap();
            expected.insert(probe, verdict);
        }
        std::fs::write(
            dir.join("expected.json"),
            serde_json::to_string_pretty(&expected).unwrap(),
        )
        .unwrap();
    }
}

#[test]
fn replay_sets_give_expected_verdicts() {
    use tenken_probe::runner::{Mode, ScanOptions, scan_blocking};
    for os in ["windows", "macos", "linux"] {
        let dir = fixtures_root().join("replay").join(os);
        let expected: BTreeMap<String, Verdict> =
            serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
        let opts = ScanOptions {
            mode: Mode::Replay(dir.clone()),
            ..ScanOptions::default()
        };
        let bundle = scan_blocking(checks::all(), opts, None).unwrap();
        assert!(bundle.replayed);
        assert_eq!(bundle.host.os_family, os);
        for (id, verdict) in &expected {
            let f = bundle
                .findings
                .iter()
                .find(|f| &f.probe_id == id)
                .unwrap_or_else(|| panic!("{os}: no finding {id}"));
            assert_eq!(&f.verdict, verdict, "{os}/{id}: {}", f.summary.en);
            assert!(!f.evidence.is_empty(), "{os}/{id}: no evidence");
        }
        // Probes without a recording (e.g. added later) are unknown, never pass.
        for f in &bundle.findings {
            if !expected.contains_key(&f.probe_id) {
                assert_eq!(f.verdict, Verdict::Unknown, "{os}/{}", f.probe_id);
            }
        }
        let ids: Vec<_> = bundle.findings.iter().map(|f| f.probe_id.clone()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "findings sorted by id");
    }
}

#[test]
fn replay_of_missing_probe_recording_is_unknown() {
    use tenken_probe::runner::{Mode, ScanOptions, scan_blocking};
    let tmp = tempfile::tempdir().unwrap();
    let src = fixtures_root().join("replay/linux/host.json");
    std::fs::copy(src, tmp.path().join("host.json")).unwrap();
    let opts = ScanOptions {
        mode: Mode::Replay(tmp.path().to_path_buf()),
        ..ScanOptions::default()
    };
    let bundle = scan_blocking(checks::all(), opts, None).unwrap();
    assert_eq!(bundle.findings.len(), checks::all().len());
    assert!(
        bundle
            .findings
            .iter()
            .all(|f| f.verdict == Verdict::Unknown && f.reason.is_some())
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn any_capture(
        os: Os,
        key_text: Vec<(usize, String)>,
        elevated: bool,
    ) -> Vec<(String, Vec<Captured>)> {
        let now: DateTime<Utc> = "2024-06-05T00:00:00Z".parse().unwrap();
        checks::all()
            .iter()
            .map(|p| {
                let plan = p.plan(os);
                let caps = key_text
                    .iter()
                    .filter_map(|(i, t)| {
                        plan.get(i % plan.len().max(1))
                            .map(|s| (s.clone(), t.clone()))
                    })
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

/// The documented schema's required fields are what a bundle really contains.
#[test]
fn bundle_schema_required_fields_are_present() {
    use tenken_probe::runner::{Mode, ScanOptions, scan_blocking};
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/bundle.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let opts = ScanOptions {
        mode: Mode::Replay(fixtures_root().join("replay/windows")),
        ..ScanOptions::default()
    };
    let bundle = serde_json::to_value(scan_blocking(checks::all(), opts, None).unwrap()).unwrap();
    let required = |def: &serde_json::Value| -> Vec<String> {
        def["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    for k in required(&schema) {
        assert!(bundle.get(&k).is_some(), "bundle lacks {k}");
    }
    for k in required(&schema["$defs"]["HostFacts"]) {
        assert!(bundle["host"].get(&k).is_some(), "host lacks {k}");
    }
    for f in bundle["findings"].as_array().unwrap() {
        for k in required(&schema["$defs"]["Finding"]) {
            assert!(f.get(&k).is_some(), "finding lacks {k}");
        }
        for e in f["evidence"].as_array().unwrap() {
            for k in required(&schema["$defs"]["Evidence"]) {
                assert!(e.get(&k).is_some(), "evidence lacks {k}");
            }
            let sha = e["raw_sha256"].as_str().unwrap();
            assert!(sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()));
        }
    }
}
