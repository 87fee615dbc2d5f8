//! Issue 19 item 2: `tenken import DIR` takes a folder of bundles from hundreds of PCs: newest per
//! PC wins, unsigned / tampered / not-a-bundle files are listed with their reason and never
//! imported, and a re-run changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use tenken_core::evidence::Bundle;
use tenken_core::sign::bundle::sign_bundle;
use tenken_core::sign::keystore::KeyStore;

fn tenken(data: &Path, args: &[&str]) -> Output {
    Command::new(common::BIN)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("TENKEN_LANG")
        .env("TENKEN_KEYSTORE", "file")
        .output()
        .unwrap()
}

/// Writes `b` as `DIR/NAME.tenken.json` with its detached signature `.p7s` (as `tenken scan
/// --json` does), signed by the installation in `data`.
fn write_signed(data: &Path, dir: &Path, name: &str, b: &Bundle) -> std::path::PathBuf {
    let signer = KeyStore::open(data).load().unwrap();
    let signed = sign_bundle(b, &signer).unwrap();
    let path = dir.join(format!("{name}.tenken.json"));
    std::fs::write(&path, serde_json::to_string_pretty(b).unwrap()).unwrap();
    std::fs::write(
        dir.join(format!("{name}.tenken.json.p7s")),
        &signed.signature,
    )
    .unwrap();
    path
}

#[test]
fn a_folder_of_hundreds_of_bundles_imports_newest_per_pc_and_refuses_bad_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let usb = tmp.path().join("usb");
    let dir = tmp.path().join("collected");
    std::fs::create_dir_all(&dir).unwrap();
    assert!(
        tenken(&data, &["assessment", "answer", "1-1", "--value", "はい"])
            .status
            .success()
    );
    // The PCs' bundles are signed by the vendor's USB-stick key, trusted once here.
    assert!(
        tenken(&usb, &["key", "generate", "--name", "ABCメディカル"])
            .status
            .success()
    );
    let pem = tmp.path().join("usb.pem");
    std::fs::write(&pem, tenken(&usb, &["key", "cert"]).stdout).unwrap();
    assert!(
        tenken(&data, &["key", "trust", pem.to_str().unwrap()])
            .status
            .success()
    );

    // [SYN] 300 PCs from the synthesised sample bundle.
    let base = tenken_testkit::sample::bundles().remove(1);
    let n = 300;
    for i in 0..n {
        let mut b = base.clone();
        b.host.hostname = format!("PC-{i:03}");
        b.ended_at += chrono::Duration::seconds(i64::from(i));
        write_signed(&usb, &dir, &format!("PC-{i:03}"), &b);
    }
    // An older check of PC-000 in the same folder: left out.
    let mut old = base.clone();
    old.host.hostname = "PC-000".into();
    old.ended_at -= chrono::Duration::days(30);
    write_signed(&usb, &dir, "PC-000-old", &old);
    // A bundle changed after signing: refused.
    let t = write_signed(&usb, &dir, "TAMPERED", &{
        let mut b = base.clone();
        b.host.hostname = "PC-TAMPERED".into();
        b
    });
    let text = std::fs::read_to_string(&t)
        .unwrap()
        .replace("PC-TAMPERED", "PC-TAMPERED2");
    std::fs::write(&t, text).unwrap();
    // Content intact but its .p7s damaged where it still parses: refused, and not called
    // 改ざん (the signature file is broken; the PC exports it again).
    let d = write_signed(&usb, &dir, "BADSIG", &{
        let mut b = base.clone();
        b.host.hostname = "PC-BADSIG".into();
        b
    });
    let p7s = d.with_file_name("BADSIG.tenken.json.p7s");
    let mut sig = std::fs::read(&p7s).unwrap();
    let last = sig.len() - 1;
    sig[last] ^= 0x01;
    std::fs::write(&p7s, sig).unwrap();
    // Unsigned, and not a bundle at all: refused.
    let mut unsigned = base.clone();
    unsigned.host.hostname = "PC-UNSIGNED".into();
    std::fs::write(
        dir.join("unsigned.tenken.json"),
        serde_json::to_string(&unsigned).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("notes.json"), "{\"memo\": \"not a bundle\"}").unwrap();

    let o = tenken(&data, &["import", dir.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        o.status.code(),
        Some(1),
        "refusals make the exit code 1:\n{out}"
    );
    assert!(
        out.contains(&format!(
            "取り込み: {n} / 変更なし: 0 / 古いため対象外: 1 / 取り込めない: 4"
        )),
        "{out}"
    );
    assert!(out.contains("TAMPERED") && out.contains("unsigned") && out.contains("notes.json"));
    assert!(out.contains("改ざん"), "{out}");
    let badsig = out
        .lines()
        .find(|l| l.contains("BADSIG"))
        .unwrap_or_default();
    assert!(
        badsig.contains("署名ファイル（.p7s）が壊れている") && !badsig.contains("改ざん"),
        "{out}"
    );
    // Re-running over the same folder changes nothing.
    let o = tenken(&data, &["import", dir.to_str().unwrap()]);
    let again = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        again.contains(&format!(
            "取り込み: 0 / 変更なし: {n} / 古いため対象外: 1 / 取り込めない: 4"
        )),
        "{again}"
    );
    // The ledger holds each PC once, with the newest check of PC-000.
    let ledger: serde_json::Value =
        serde_json::from_slice(&tenken(&data, &["ledger", "--json"]).stdout).unwrap();
    let text = ledger.to_string();
    let rows = ledger["hosts"].as_array().unwrap();
    assert_eq!(
        rows.iter().filter(|h| h["host"] == "PC-000").count(),
        1,
        "PC-000 once"
    );
    assert!(
        !text.contains("PC-TAMPERED")
            && !text.contains("PC-UNSIGNED")
            && !text.contains("PC-BADSIG")
    );
    // An older file given alone is refused with the reason.
    let o = tenken(
        &data,
        &[
            "import",
            dir.join("PC-000-old.tenken.json").to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("より新しい証跡"));

    // The report of 300 PCs stays readable: item details grouped per check and verdict, appendix
    // A one row per PC (every PC's full evidence stays in its attached bundle).
    let pdf = tmp.path().join("fleet.pdf");
    let out = tenken(
        &data,
        &["report", "--no-scan", "--out", pdf.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = common::pdf_text(&pdf);
    assert!(
        text.contains("PCごとに1行にまとめています"),
        "no compact appendix"
    );
    assert!(text.contains("ほか"), "no grouped findings");
    // The improvement plan groups the automatic-check points too: one row per check and verdict
    // with its number of PCs, not a row per PC and check.
    let plan = text
        .split("5. 改善計画")
        .nth(1)
        .and_then(|t| t.split("付録A. ").next())
        .unwrap_or_default();
    assert!(plan.contains("確認内容と判定ごとにまとめ"), "{plan}");
    assert!(plan.contains("300台"), "{plan}");
    let rows_naming_one_pc = plan
        .lines()
        .filter(|l| l.trim_start().starts_with("PC-"))
        .count();
    assert!(
        rows_naming_one_pc < 10,
        "{rows_naming_one_pc} rows name a single PC:\n{plan}"
    );
    // What a hospital reads first: PCs per role and the problems on the most PCs.
    assert!(text.contains("3-0. 全体のまとめ"), "no overview");
    assert!(text.contains("多くのPCで見つかった問題"), "no top problems");
    let ledger = String::from_utf8_lossy(&tenken(&data, &["ledger"]).stdout).into_owned();
    assert!(ledger.contains("== 全体のまとめ"), "{ledger}");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().parse().unwrap()))
        .unwrap();
    // 300 PCs: the ledger (a row per PC) and the appendix (a row per PC), not pages per PC.
    assert!(pages < 200, "{pages} pages for 300 PCs");
}
