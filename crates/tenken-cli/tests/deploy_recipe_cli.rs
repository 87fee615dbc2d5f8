//! The fleet recipe of docs/deploy.md on Linux: one fleet signing key made once with openssl,
//! imported on every PC (`tenken key import`), each PC's scheduled scan writing its signed bundle
//! into the collection folder, the report PC trusting the fleet certificate once and importing
//! the folder. (The Windows command line itself runs under Wine in windows_wine.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn tenken(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(common::BIN);
    c.arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("TENKEN_LANG")
        .env("TENKEN_KEYSTORE", "file");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl must be installed");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn one_fleet_key_many_pcs_one_trust_one_import() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    openssl(
        t,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-keyout",
            "fleet.key",
            "-out",
            "fleet.crt",
            "-days",
            "1095",
            "-nodes",
            "-subj",
            "/CN=Sakura Hospital PCs/O=Sakura Hospital",
            "-addext",
            "keyUsage=critical,digitalSignature",
        ],
    );
    openssl(
        t,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            "fleet.key",
            "-in",
            "fleet.crt",
            "-out",
            "fleet.p12",
            "-passout",
            "pass:s3cret",
        ],
    );
    let share = t.join("share");
    std::fs::create_dir_all(&share).unwrap();
    for pc in ["PC-A", "PC-B"] {
        let data = t.join(pc);
        let o = tenken(
            &data,
            &[
                "key",
                "import",
                t.join("fleet.p12").to_str().unwrap(),
                "--password-env",
                "FLEET_PW",
            ],
            &[("FLEET_PW", "s3cret")],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = share.join(format!("{pc}.tenken.json"));
        let o = tenken(
            &data,
            &[
                "scan",
                "--quiet",
                "--probe",
                "screen.lock",
                "--json",
                out.to_str().unwrap(),
            ],
            &[],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stderr).contains("Sakura Hospital PCs"));
    }
    // Nothing half-written is left in the folder.
    assert!(
        std::fs::read_dir(&share).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp"))
    );
    let report_pc = t.join("report-pc");
    assert!(
        tenken(&report_pc, &["assessment", "new"], &[])
            .status
            .success()
    );
    let o = tenken(
        &report_pc,
        &["key", "trust", t.join("fleet.crt").to_str().unwrap()],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = tenken(&report_pc, &["import", share.to_str().unwrap()], &[]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{out}");
    // Both PCs scanned this machine (same host name), so the newest one is kept and the other
    // counted as older: one verified import, nothing refused.
    assert!(out.contains("署名確認済み"), "{out}");
    assert!(out.contains("取り込めない: 0"), "{out}");
    // An unreachable collection folder: exit code 2, a plain message, nothing written.
    let o = tenken(
        &t.join("PC-A"),
        &[
            "scan",
            "--quiet",
            "--probe",
            "screen.lock",
            "--json",
            "/no/such/share/PC-A.tenken.json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("エラー"));
}
