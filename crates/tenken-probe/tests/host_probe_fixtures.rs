//! Replays every recorded/synthesised output under `tests/fixtures/<os>/<probe id>/<case>/`
//! through the host probes and asserts the verdict each case expects. Bytes are decoded the way
//! the exec layer does: CP932 (Shift_JIS) when the case says so, otherwise UTF-8 (BOM kept, so
//! the parsers must strip it). Also: no probe panics on arbitrary text or bytes (proptest).
//!
//! The same runner replays the corpus of outputs from REAL machines published by others, kept
//! apart under `tests/fixtures/real/<os>/<probe id>/<case>/` (every probe, core ones included;
//! see its README.md): each case must name its source, locale, OS and what was cut.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use serde::Deserialize;
use tenken_evidence::{HostFacts, Verdict};
use tenken_probe::checks::host_probes;
use tenken_probe::{CaptureError, Captured, EvalContext, Os, Probe, Source};

#[derive(Debug, Deserialize)]
struct Case {
    verdict: Verdict,
    #[serde(default)]
    reason: Option<tenken_evidence::UnknownReason>,
    #[serde(default)]
    elevated: bool,
    #[serde(default)]
    now: Option<DateTime<Utc>>,
    #[serde(default)]
    source: Vec<CaseSource>,
    #[serde(default)]
    facts: Option<toml::Table>,
    /// Provenance, required in the real corpus.
    #[serde(default)]
    real: Option<Provenance>,
}

/// Where a real output comes from (`[real]` in case.toml).
#[derive(Debug, Deserialize)]
struct Provenance {
    /// URL, or repository + path + commit (or the tool library's id when nothing more is known).
    source: String,
    /// UI language of the machine (e.g. ja-JP, en-US).
    locale: String,
    /// Windows edition/version as far as the source shows it.
    os: String,
    /// Exactly what was left out of the published text (or "nothing").
    cut: String,
}

#[derive(Debug, Deserialize)]
struct CaseSource {
    key: String,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    stderr: Option<String>,
    #[serde(default)]
    exit_code: Option<i32>,
    #[serde(default)]
    error: Option<CaptureError>,
    /// The file is not what Tenken's script prints but what an administrator printed, turned
    /// into the script's document by the probe's own pure function:
    /// `mp_computer_status_list` = `Get-MpComputerStatus` list view → `{"defender": {...}}`;
    /// `firewall_profile_list` = `Get-NetFirewallProfile` list view → `{"profiles": [...]}`;
    /// `smb_server_configuration_list` = `Get-SmbServerConfiguration` list view →
    /// `{"smbServerConfig": {...}}`; `bitlocker_volume_list` / `bitlocker_volume_table` =
    /// `Get-BitLockerVolume` (`| Format-List` / default table) → `{"bitlocker": [...]}`;
    /// `current_version_list` = `Get-ItemProperty` of `HKLM:\...\Windows NT\CurrentVersion` →
    /// `{"os": {...}}`.
    #[serde(default)]
    convert: Option<String>,
}

const OSES: [Os; 3] = [Os::Windows, Os::Macos, Os::Linux];

/// The `convert` hooks of the real corpus (`fixtures/real/README.md`): the name a case gives, the
/// key of the script's document the converted part goes under, the probe's own converter, and
/// what the file must contain.
type Converter = fn(&str) -> Option<serde_json::Value>;
const CONVERTERS: &[(&str, &str, Converter, &str)] = {
    use tenken_probe::checks::{antivirus, disk_encryption, firewall, os_support, smb_v1};
    &[
        (
            "mp_computer_status_list",
            "defender",
            antivirus::defender_from_mp_status_list,
            "Get-MpComputerStatus list",
        ),
        (
            "firewall_profile_list",
            "profiles",
            firewall::profiles_from_list,
            "Get-NetFirewallProfile list",
        ),
        (
            "smb_server_configuration_list",
            "smbServerConfig",
            smb_v1::server_config_from_list,
            "Get-SmbServerConfiguration list",
        ),
        (
            "bitlocker_volume_list",
            "bitlocker",
            disk_encryption::bitlocker_from_list,
            "Get-BitLockerVolume list",
        ),
        (
            "bitlocker_volume_table",
            "bitlocker",
            disk_encryption::bitlocker_from_table,
            "Get-BitLockerVolume table",
        ),
        (
            "current_version_list",
            "os",
            os_support::os_from_current_version_list,
            "CurrentVersion listing",
        ),
    ]
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn decode(bytes: &[u8], encoding: Option<&str>) -> (String, String) {
    match encoding {
        Some("cp932") | Some("shift_jis") => {
            let (text, _, _) = encoding_rs::SHIFT_JIS.decode(bytes);
            (text.into_owned(), "cp932".into())
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(s) if s.starts_with('\u{feff}') => (s.to_string(), "utf-8-bom".into()),
            Ok(s) => (s.to_string(), "utf-8".into()),
            Err(_) => {
                let (text, _, _) = encoding_rs::SHIFT_JIS.decode(bytes);
                (text.into_owned(), "cp932".into())
            }
        },
    }
}

fn capture(source: &Source, stdout: String, enc: Option<String>, elevated: bool) -> Captured {
    let now = Utc::now();
    Captured {
        source: source.clone(),
        raw_len: stdout.len() as u64,
        raw_sha256: tenken_evidence::sha256_hex(stdout.as_bytes()),
        stdout,
        stderr: String::new(),
        exit_code: Some(0),
        encoding: enc,
        error: None,
        error_detail: None,
        started_at: now,
        ended_at: now,
        elevated,
    }
}

fn ctx(os: Os, now: DateTime<Utc>, elevated: bool) -> EvalContext {
    EvalContext {
        os,
        host: HostFacts::default(),
        now,
        elevated,
    }
}

fn default_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-07-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn run_case(probe: &dyn Probe, os: Os, dir: &Path) -> Result<(), String> {
    let raw =
        std::fs::read_to_string(dir.join("case.toml")).map_err(|e| format!("case.toml: {e}"))?;
    let case: Case = toml::from_str(&raw).map_err(|e| format!("case.toml: {e}"))?;
    let plan = probe.plan(os);
    let mut caps = Vec::new();
    for cs in &case.source {
        if !plan.iter().any(|s| s.key() == cs.key) {
            return Err(format!(
                "source key '{}' is not in the probe's plan",
                cs.key
            ));
        }
    }
    for src in &plan {
        let cs = case.source.iter().find(|c| c.key == src.key());
        let mut cap = match cs.and_then(|c| c.file.as_ref()) {
            Some(f) => {
                let bytes = std::fs::read(dir.join(f)).map_err(|e| format!("{f}: {e}"))?;
                let (text, enc) = decode(&bytes, cs.and_then(|c| c.encoding.as_deref()));
                let text = match cs.and_then(|c| c.convert.as_deref()) {
                    None => text,
                    Some(name) => {
                        let (_, key, convert, what) = CONVERTERS
                            .iter()
                            .find(|(n, ..)| *n == name)
                            .ok_or_else(|| format!("unknown convert '{name}'"))?;
                        let part =
                            convert(&text).ok_or_else(|| format!("no {what} in the file"))?;
                        serde_json::json!({ *key: part }).to_string()
                    }
                };
                let mut c = capture(src, text, Some(enc), case.elevated);
                c.raw_len = bytes.len() as u64;
                c.raw_sha256 = tenken_evidence::sha256_hex(&bytes);
                c
            }
            None => capture(src, String::new(), None, case.elevated),
        };
        match cs {
            Some(c) => {
                cap.stderr = c.stderr.clone().unwrap_or_default();
                cap.exit_code = c.exit_code.or(cap.exit_code);
                cap.error = c.error;
            }
            // Not listed in the case: the runner found nothing to read.
            None => {
                cap.error = Some(CaptureError::NotFound);
                cap.exit_code = None;
            }
        }
        caps.push(cap);
    }
    let c = ctx(os, case.now.unwrap_or_else(default_now), case.elevated);
    // Host probes attach their evidence themselves; the core probes (ports, peers, firewall,
    // antivirus, gateway) get it from the runner, as in a scan.
    let host = host_probes().iter().any(|p| p.meta().id == probe.meta().id);
    let f = if host {
        probe.evaluate(&c, &caps)
    } else {
        tenken_probe::runner::finalize(probe, &c, &caps)
    };
    let meta = probe.meta();
    if f.probe_id != meta.id {
        return Err("probe id mismatch".into());
    }
    if f.evidence.len() != caps.len() {
        return Err("every capture must become evidence".into());
    }
    for (e, c) in f.evidence.iter().zip(&caps) {
        if e.raw != c.stdout || e.raw_sha256 != c.raw_sha256 || e.elevated != c.elevated {
            return Err(format!(
                "evidence for '{}' does not carry the raw output, hash and privilege",
                c.source.key()
            ));
        }
    }
    if f.verdict != case.verdict {
        return Err(format!(
            "verdict {:?} != expected {:?}; summary: {}",
            f.verdict, case.verdict, f.summary.ja
        ));
    }
    if (f.verdict == Verdict::Unknown) != f.reason.is_some() {
        return Err("unknown verdicts (and only they) carry a reason".into());
    }
    if let Some(r) = case.reason
        && f.reason != Some(r)
    {
        return Err(format!("reason {:?} != expected {:?}", f.reason, r));
    }
    if f.summary.ja.is_empty() || f.summary.en.is_empty() {
        return Err("summary must exist in ja and en".into());
    }
    if matches!(f.verdict, Verdict::Warn | Verdict::Fail) && f.action.ja.is_empty() {
        return Err("warn/fail must say what to do".into());
    }
    if let Some(expected) = &case.facts {
        let want = serde_json::to_value(expected).map_err(|e| e.to_string())?;
        for (k, v) in want.as_object().into_iter().flatten() {
            if f.facts.get(k) != Some(v) {
                return Err(format!("fact {k}: {:?} != expected {v}", f.facts.get(k)));
            }
        }
    }
    Ok(())
}

#[test]
fn every_host_probe_fixture_gives_its_expected_verdict() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for probe in host_probes() {
        for os in OSES {
            let dir = fixtures().join(os.as_str()).join(probe.meta().id);
            let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| p.join("case.toml").is_file())
                        .collect()
                })
                .unwrap_or_default();
            cases.sort();
            if cases.len() < 2 {
                failures.push(format!("{}: fewer than 2 fixture cases", dir.display()));
            }
            for c in cases {
                ran += 1;
                if let Err(e) = run_case(probe.as_ref(), os, &c) {
                    failures.push(format!("{}: {e}", c.display()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} fixture cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ran >= 13 * 3 * 2);
}

/// The real corpus: every case carries its provenance, is listed in the corpus README, and
/// gives the verdict a security engineer gives for that machine.
#[test]
fn every_real_case_gives_its_expected_verdict() {
    let root = fixtures().join("real");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("real/README.md");
    let mut failures = Vec::new();
    let mut ran = 0;
    for probe in tenken_probe::checks::all() {
        for os in OSES {
            let dir = root.join(os.as_str()).join(probe.meta().id);
            let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| p.is_dir())
                        .collect()
                })
                .unwrap_or_default();
            cases.sort();
            for c in cases {
                ran += 1;
                let name = c.file_name().unwrap().to_string_lossy().to_string();
                let raw = std::fs::read_to_string(c.join("case.toml")).unwrap_or_default();
                let case: Result<Case, _> = toml::from_str(&raw);
                let prov_ok = raw.starts_with("# [REAL]")
                    && case.as_ref().is_ok_and(|k| {
                        k.real.as_ref().is_some_and(|r| {
                            [&r.source, &r.locale, &r.os, &r.cut]
                                .iter()
                                .all(|f| !f.trim().is_empty())
                        })
                    });
                if !prov_ok {
                    failures.push(format!(
                        "{}: case.toml must start with '# [REAL]' and have [real] source, locale, os, cut",
                        c.display()
                    ));
                }
                if !readme.contains(&format!("| {} | {name} |", probe.meta().id)) {
                    failures.push(format!("{}: not listed in real/README.md", c.display()));
                }
                if let Err(e) = run_case(probe.as_ref(), os, &c) {
                    failures.push(format!("{}: {e}", c.display()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} real case problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every case directory belongs to a known probe (a misspelt probe folder is not skipped
    // silently), and a walk that finds nothing cannot pass.
    let on_disk: usize = OSES
        .iter()
        .flat_map(|os| {
            std::fs::read_dir(root.join(os.as_str()))
                .into_iter()
                .flatten()
        })
        .filter_map(|e| e.ok())
        .flat_map(|p| std::fs::read_dir(p.path()).into_iter().flatten())
        .filter_map(|e| e.ok())
        .filter(|c| c.path().is_dir())
        .count();
    assert_eq!(ran, on_disk, "real case folders outside any probe's folder");
    assert!(ran >= 4, "only {ran} real cases found");
}

#[test]
fn host_probe_ids_are_unique_and_referenced() {
    let probes = host_probes();
    assert_eq!(probes.len(), 13);
    let mut ids: Vec<&str> = probes.iter().map(|p| p.meta().id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 13);
    for p in &probes {
        let m = p.meta();
        // Every version an item existed in gets the evidence (items new in R7, such as 2-9
        // USB and 2-7 password, have no R6/R5 counterpart and must not be sent to another item).
        let r7 = tenken_checklist::builtin()
            .unwrap()
            .into_iter()
            .find(|c| c.id == "mhlw-r7")
            .unwrap();
        let carried = m.checklist_refs.iter().any(|r| {
            r.checklist == "mhlw-r7" && r7.item(&r.item).is_some_and(|i| !i.previous_ids.is_empty())
        });
        if carried {
            for c in ["mhlw-r5", "mhlw-r6"] {
                assert!(
                    m.checklist_refs.iter().any(|r| r.checklist == c),
                    "{} lacks {c}",
                    m.id
                );
            }
        }
        assert!(
            !p.plan(Os::Windows).is_empty(),
            "{} has no Windows plan",
            m.id
        );
        assert!(!p.plan(Os::Linux).is_empty(), "{} has no Linux plan", m.id);
    }
}

#[test]
fn powershell_scripts_follow_the_quoting_rules() {
    // Scripts go after -Command as one argument: no double quotes (MSVC quoting), no
    // -EncodedCommand / -ExecutionPolicy Bypass (EDR heuristics), well under 32,767 chars.
    for probe in host_probes() {
        for src in probe.plan(Os::Windows) {
            if let Source::Command { program, args, .. } = &src {
                if !program.ends_with("powershell.exe") {
                    continue;
                }
                assert!(
                    program.starts_with(r"C:\Windows\System32\"),
                    "{}: absolute path",
                    probe.meta().id
                );
                let script = args.last().unwrap();
                assert!(
                    !script.contains('"'),
                    "{}: double quote in script",
                    probe.meta().id
                );
                assert!(script.len() < 8000, "{}: script too long", probe.meta().id);
                assert!(script.starts_with("$ErrorActionPreference='Stop'"));
                assert!(script.ends_with("Emit $out"));
                for a in args {
                    assert!(
                        !a.eq_ignore_ascii_case("-EncodedCommand")
                            && !a.eq_ignore_ascii_case("-ExecutionPolicy")
                    );
                }
            }
        }
    }
}

fn eval_all(os: Os, stdout: &str) {
    for probe in host_probes() {
        let caps: Vec<Captured> = probe
            .plan(os)
            .iter()
            .map(|s| capture(s, stdout.to_string(), None, false))
            .collect();
        let f = probe.evaluate(&ctx(os, default_now(), false), &caps);
        assert_eq!(f.verdict == Verdict::Unknown, f.reason.is_some());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_probe_panics_on_arbitrary_text(s in ".{0,400}") {
        for os in OSES { eval_all(os, &s); }
    }

    #[test]
    fn no_probe_panics_on_arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..400)) {
        let (text, _) = decode(&b, Some("cp932"));
        for os in OSES { eval_all(os, &text); }
    }

    #[test]
    fn no_probe_panics_on_json_like_text(k in "[A-Za-z_]{1,12}", v in prop_oneof![Just("null".to_string()), Just("[]".to_string()), Just("{}".to_string()), "-?[0-9]{1,12}", "\"[^\"\\\\]{0,20}\""]) {
        let doc = format!("{{\"{k}\":{v},\"os\":{v},\"rdp\":{v},\"usb\":{v},\"lock\":{v},\"logs\":{v},\"wifi\":{v},\"users\":{v},\"admins\":{v},\"wb\":{v},\"bitlocker\":{v},\"secpol\":{v},\"smb1\":{v},\"services\":{v},\"wuHistory\":{v},\"hotfixes\":{v}}}");
        for os in OSES { eval_all(os, &doc); }
    }
}
