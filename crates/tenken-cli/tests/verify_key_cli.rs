//! `tenken key` and `tenken verify` end to end: exit codes 0/1/2 and the Japanese output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use tenken_core::evidence::{BUNDLE_FORMAT, Bundle, HostFacts};
use tenken_core::sign::bundle::sign_bundle;
use tenken_core::sign::keystore::KeyStore;
use tenken_core::sign::pades::{SignOptions, sign_pdf};

fn tenken(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenken"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("TENKEN_LANG")
        // Key files, not the desktop's key store (tests/keystore_os_cli.rs covers that).
        .env("TENKEN_KEYSTORE", "file")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn key_generate_show_cert_and_verify_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // No key yet.
    assert_eq!(tenken(&data, &["key", "show"]).status.code(), Some(1));
    let o = tenken(&data, &["key", "generate", "--name", "さくら診療所"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(stdout(&o).contains("証明書フィンガープリント"));
    assert_ne!(
        tenken(&data, &["key", "generate"]).status.code(),
        Some(0),
        "needs --force"
    );
    let o = tenken(&data, &["key", "show", "--json"]);
    let info: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(info["source"], "self-signed");
    assert_eq!(info["algorithm"], "ecdsa-p256-sha256");
    assert!(info["subject"].as_str().unwrap().contains("さくら診療所"));
    let fp = info["fingerprint_sha256"].as_str().unwrap().to_string();
    let cert = dir.path().join("cert.pem");
    std::fs::write(&cert, tenken(&data, &["key", "cert"]).stdout).unwrap();

    let signer = KeyStore::open(&data).load().unwrap();
    let signed = sign_pdf(&common::tiny_pdf(), &signer, &SignOptions::default()).unwrap();
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, &signed).unwrap();

    let o = tenken(&data, &["verify", pdf.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for want in [
        "署名者: さくら診療所",
        "署名日時: 20",
        "改ざん: なし",
        "その後の追記: なし",
        "証明書の有効期間: 20",
        "署名時点の証明書: 有効期間内",
        "証明書の用途: 署名に使える証明書",
        &fp,
    ] {
        assert!(out.contains(want), "missing '{want}' in:\n{out}");
    }
    let o = tenken(
        &data,
        &[
            "verify",
            pdf.to_str().unwrap(),
            "--trust",
            cert.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("信頼する証明書で確認済み"));
    let o = tenken(
        &data,
        &["--lang", "en", "verify", "--json", pdf.to_str().unwrap()],
    );
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["status"], "valid");
    assert_eq!(j["signatures"][0]["fingerprint_sha256"], fp.as_str());
    assert_eq!(j["signatures"][0]["cert_at_signing"], "valid");
    assert_eq!(j["signatures"][0]["key_usage_ok"], true);
    assert_eq!(j["signatures"][0]["cert_not_after"], info["not_after"]);

    // Tampered: exit 1, 改ざん: あり.
    let mut bad = signed.clone();
    let at = bad
        .windows(15)
        .position(|w| w == b"Tenken CLI test")
        .unwrap();
    bad[at] = b'X';
    let badp = dir.path().join("bad.pdf");
    std::fs::write(&badp, &bad).unwrap();
    let o = tenken(&data, &["verify", badp.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("改ざん: あり"), "{}", stdout(&o));
    // Unsigned: exit 1. Garbage: exit 2.
    let unsigned = dir.path().join("unsigned.pdf");
    std::fs::write(&unsigned, common::tiny_pdf()).unwrap();
    assert_eq!(
        tenken(&data, &["verify", unsigned.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, b"\x00\x01garbage").unwrap();
    assert_eq!(
        tenken(&data, &["verify", junk.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn bundle_verify_and_p12_import_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = KeyStore::open(&data);
    let signer = store.signer("Clinic").unwrap();
    // Synthesised bundle.
    let bundle = Bundle {
        format: BUNDLE_FORMAT.into(),
        host: HostFacts {
            hostname: "pc1".into(),
            ..Default::default()
        },
        started_at: "2026-11-23T10:00:00Z".parse().unwrap(),
        ended_at: "2026-11-23T10:01:00Z".parse().unwrap(),
        replayed: true,
        findings: Vec::new(),
    };
    let signed = sign_bundle(&bundle, signer.as_ref()).unwrap();
    let env = dir.path().join("pc1.signed.json");
    signed.write(&env).unwrap();
    let o = tenken(&data, &["verify", env.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("署名付き証跡バンドル"));
    // Detached form: bundle.json + bundle.json.p7s found automatically.
    let json = dir.path().join("pc1.json");
    signed.write_detached(&json).unwrap();
    assert_eq!(
        tenken(&data, &["verify", json.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    std::fs::write(
        &json,
        String::from_utf8(std::fs::read(&json).unwrap())
            .unwrap()
            .replace("pc1", "pc2"),
    )
    .unwrap();
    assert_eq!(
        tenken(&data, &["verify", json.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );

    // Import: damaged file and wrong password leave the key as it was.
    let before = std::fs::read(store.dir().join("signing-key.pem")).unwrap();
    let p12 = dir.path().join("bad.p12");
    std::fs::write(&p12, b"not pkcs12").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tenken"))
        .env("TENKEN_KEYSTORE", "file")
        .arg("--data-dir")
        .arg(&data)
        .args([
            "key",
            "import",
            p12.to_str().unwrap(),
            "--password-env",
            "TENKEN_TEST_PW",
        ])
        .env("TENKEN_TEST_PW", "x")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("鍵は変更していません"));
    assert_eq!(
        std::fs::read(store.dir().join("signing-key.pem")).unwrap(),
        before
    );
}

/// Issue 14: a PDF with an overlay appended after signing (an ordinary incremental update that
/// replaces a page's text) printed 無効 together with 「改ざん: なし」. It must say what happened,
/// in the same words as the app.
#[test]
fn an_overlay_appended_after_signing_is_invalid_and_never_untampered() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(
        tenken(&data, &["key", "generate", "--name", "さくら診療所"])
            .status
            .success()
    );
    let signer = KeyStore::open(&data).load().unwrap();
    let signed = sign_pdf(&common::tiny_pdf(), &signer, &SignOptions::default()).unwrap();
    // Append a revision with a new content stream object (classic xref section).
    let text = String::from_utf8_lossy(&signed).into_owned();
    let last = |key: &str| -> String {
        let at = text.rfind(key).unwrap() + key.len();
        text[at..]
            .trim_start()
            .split(['/', '>'])
            .next()
            .unwrap()
            .trim()
            .to_string()
    };
    let root = last("/Root");
    let size: u32 = last("/Size").parse().unwrap();
    let prev = tenken_core::sign::pades::last_startxref(&signed).unwrap();
    let mut pdf = signed.clone();
    pdf.push(b'\n');
    let off = pdf.len();
    let body = "BT /F1 24 Tf 72 700 Td (PAID IN FULL) Tj ET";
    pdf.extend_from_slice(
        format!(
            "{size} 0 obj\n<</Length {}>>\nstream\n{body}\nendstream\nendobj\n",
            body.len()
        )
        .as_bytes(),
    );
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!(
            "xref\n{size} 1\n{off:010} 00000 n\r\ntrailer\n<</Size {}/Root {root}/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
            size + 1
        )
        .as_bytes(),
    );
    let file = dir.path().join("overlay.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let o = tenken(&data, &["verify", file.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("無効"), "{out}");
    assert!(
        !out.contains("改ざん: なし"),
        "無効 and 改ざん: なし together:\n{out}"
    );
    assert!(out.contains("改ざん: あり"), "{out}");
    assert!(out.contains("署名以外の変更"), "{out}");
}

/// Issue 14: a bundle signed by a certificate trusted with `tenken key trust` showed
/// 「証明書の信頼: 未確認」. Without `--trust`, verify consults this installation's own
/// certificate and the trusted ones; a signer among them is trusted, any other stays 未確認 and
/// the file is still valid.
#[test]
fn verify_uses_the_installations_trusted_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path().join("here");
    let other = dir.path().join("other");
    for (d, name) in [(&here, "さくら診療所"), (&other, "ABCメディカル")] {
        assert!(
            tenken(d, &["key", "generate", "--name", name])
                .status
                .success()
        );
    }
    let sign = |data: &Path, file: &str| {
        let signer = KeyStore::open(data).load().unwrap();
        let signed = sign_pdf(&common::tiny_pdf(), &signer, &SignOptions::default()).unwrap();
        let p = dir.path().join(file);
        std::fs::write(&p, &signed).unwrap();
        p
    };
    let own = sign(&here, "own.pdf");
    let foreign = sign(&other, "foreign.pdf");
    let o = tenken(&here, &["verify", own.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("証明書の信頼: 信頼する証明書で確認済み"),
        "{}",
        stdout(&o)
    );
    // Not trusted yet: still valid, trust 未確認 (not 無効).
    let o = tenken(&here, &["verify", foreign.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("証明書の信頼: 未確認"),
        "{}",
        stdout(&o)
    );
    // After `key trust` it is trusted.
    let pem = dir.path().join("other.pem");
    std::fs::write(&pem, tenken(&other, &["key", "cert"]).stdout).unwrap();
    assert!(
        tenken(&here, &["key", "trust", pem.to_str().unwrap()])
            .status
            .success()
    );
    let o = tenken(&here, &["verify", foreign.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("証明書の信頼: 信頼する証明書で確認済み"),
        "{}",
        stdout(&o)
    );
}
