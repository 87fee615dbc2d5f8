//! Issue 8 end to end: bundles from several PCs (the committed replay fixture sets, signed by
//! `tenken scan --json`), signature checks on import, the device ledger, vendor answer sets
//! signed with an imported PKCS#12 (made here with `openssl`), and the R6 → R7 comparison.
//!
//! Why this file is over 600 lines: end-to-end CLI tests of the multi-PC workflow (bundles, ledger, vendors, comparison) on one shared set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

mod common;
use common::{BIN, fixture, ok, tenken};

/// Scans the replay fixture set `os` with the installation in `data`, writing `out`.
fn scan(data: &Path, os: &str, out: &Path) {
    ok(&tenken(
        data,
        &[
            "scan",
            "--quiet",
            "--replay",
            fixture(os).to_str().unwrap(),
            "--json",
            out.to_str().unwrap(),
        ],
    ));
    assert!(
        Path::new(&format!("{}.p7s", out.display())).is_file(),
        "scan --json must write a signature"
    );
}

fn new_assessment(data: &Path) {
    ok(&tenken(
        data,
        &["assessment", "new", "--name", "テスト診療所"],
    ));
}

fn ledger_json(data: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(&tenken(data, &["ledger", "--json"]))).unwrap()
}

fn host<'a>(l: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    l["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["host"] == name)
        .unwrap_or_else(|| panic!("{name} missing from ledger: {l}"))
}

#[test]
fn three_signed_bundles_make_one_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("clinic");
    new_assessment(&data);
    let mut files = Vec::new();
    for os in ["windows", "macos", "linux"] {
        let f = tmp.path().join(format!("{os}.tenken.json"));
        scan(&data, os, &f);
        files.push(f);
    }
    let mut args = vec!["import"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let out = ok(&tenken(&data, &args));
    assert_eq!(out.matches("署名確認済み").count(), 3, "{out}");

    ok(&tenken(
        &data,
        &["ledger", "role", "SYNTH-LINUX", "電子カルテサーバ"],
    ));
    ok(&tenken(
        &data,
        &[
            "ledger",
            "add-device",
            "--kind",
            "router",
            "--name",
            "VPNルータ",
            "--model",
            "RTX830",
            "--firmware",
            "15.02",
            "--location",
            "受付裏",
            "--managed-by",
            "vendor:ABCシステム",
            "--ports",
            "500/udp",
        ],
    ));
    let bad = tenken(
        &data,
        &["ledger", "add-device", "--kind", "toaster", "--name", "x"],
    );
    assert!(!bad.status.success());

    let l = ledger_json(&data);
    assert_eq!(l["hosts"].as_array().unwrap().len(), 3, "{l}");
    let win = host(&l, "SYNTH-WINDOWS");
    assert_eq!(win["os"], "Windows 11 Pro");
    // IPs and MACs come from the net.gateway interfaces when the host facts have none.
    assert_eq!(
        win["ips"],
        serde_json::json!(["192.168.1.34", "192.168.10.21"])
    );
    assert!(
        win["macs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "3C-52-82-11-22-33")
    );
    assert_eq!(win["trust"], "verified");
    assert_eq!(win["antivirus"]["verdict"], "pass");
    assert_eq!(win["firewall"]["verdict"], "pass");
    let ports: Vec<&str> = win["risky_ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(ports.iter().any(|p| p.starts_with("445/tcp")), "{ports:?}");
    // The fixtures carry no os.patches / remote.tools data: 未確認, never made up.
    assert!(win["last_patch"].is_null());
    assert!(win["remote_tools"].is_null());
    let mac = host(&l, "SYNTH-MACOS");
    assert!(
        mac["risky_ports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().starts_with("5900/tcp")),
        "{mac}"
    );
    let lin = host(&l, "SYNTH-LINUX");
    assert_eq!(lin["role"], "電子カルテサーバ");
    assert_eq!(lin["antivirus"]["verdict"], "warn");
    assert!(
        lin["firewall"].is_null(),
        "could-not-check stays 未確認: {lin}"
    );
    assert_eq!(l["devices"][0]["name"], "VPNルータ");
    assert_eq!(l["devices"][0]["managed_by"], "vendor:ABCシステム");

    let csv = ok(&tenken(&data, &["ledger", "--csv"]));
    assert!(
        csv.starts_with('\u{feff}'),
        "CSV starts with a BOM for Excel"
    );
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 1 + 3 + 1, "{csv}");
    assert!(lines[0].starts_with("種別,名前,役割,OS"), "{}", lines[0]);
    let linux_line = lines.iter().find(|l| l.contains("SYNTH-LINUX")).unwrap();
    assert!(linux_line.contains("電子カルテサーバ"), "{linux_line}");
    assert!(linux_line.contains("未確認"), "{linux_line}");
    let router = lines.iter().find(|l| l.contains("VPNルータ")).unwrap();
    assert!(router.starts_with("router,VPNルータ,"), "{router}");
    assert!(
        router.contains("RTX830") && router.contains("受付裏"),
        "{router}"
    );
    let en = ok(&tenken(&data, &["--lang", "en", "ledger", "--csv"]));
    assert!(en.contains("kind,name,role,OS"), "{en}");

    let hist = ok(&tenken(&data, &["history"]));
    assert!(hist.contains("点検したPC 3（署名確認済み 3）"), "{hist}");

    ok(&tenken(&data, &["ledger", "remove-device", "VPNルータ"]));
    assert!(ledger_json(&data)["devices"].as_array().unwrap().is_empty());
}

#[test]
fn tampered_unsigned_foreign_and_reimport() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("clinic");
    new_assessment(&data);
    let f = tmp.path().join("mac.json");
    scan(&data, "macos", &f);

    // Tampered: refused, even with the flag.
    let t = tmp.path().join("tampered.json");
    let text = std::fs::read_to_string(&f).unwrap();
    assert!(text.contains("macOS 14.5"));
    std::fs::write(&t, text.replace("macOS 14.5", "macOS 15.0")).unwrap();
    std::fs::copy(
        format!("{}.p7s", f.display()),
        format!("{}.p7s", t.display()),
    )
    .unwrap();
    for extra in [&[][..], &["--accept-unverified"][..]] {
        let mut args = vec!["import"];
        args.extend_from_slice(extra);
        args.push(t.to_str().unwrap());
        let o = tenken(&data, &args);
        assert!(!o.status.success());
        assert!(String::from_utf8_lossy(&o.stderr).contains("改ざん"));
    }

    // Unsigned: refused without the flag, accepted and marked with it.
    let u = tmp.path().join("unsigned.json");
    std::fs::copy(&f, &u).unwrap();
    let o = tenken(&data, &["import", u.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("署名がありません"));
    assert!(ledger_json(&data)["hosts"].as_array().unwrap().is_empty());
    ok(&tenken(
        &data,
        &["import", "--accept-unverified", u.to_str().unwrap()],
    ));
    let l = ledger_json(&data);
    assert_eq!(host(&l, "SYNTH-MACOS")["trust"], "unverified");

    // Re-import (now signed) replaces the unverified one; the old one stays as history.
    let out = ok(&tenken(&data, &["import", f.to_str().unwrap()]));
    assert!(out.contains("置き換え"), "{out}");
    let l = ledger_json(&data);
    assert_eq!(l["hosts"].as_array().unwrap().len(), 1);
    assert_eq!(host(&l, "SYNTH-MACOS")["trust"], "verified");
    let store = tenken_core::store::Store::open(&data.join("tenken.sqlite3")).unwrap();
    let all = store.bundles(Some(1)).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].superseded && !all[1].superseded);

    // Signed by another installation: refused until its certificate is trusted.
    let other = tmp.path().join("other");
    new_assessment(&other);
    let g = tmp.path().join("linux-other.json");
    scan(&other, "linux", &g);
    let o = tenken(&data, &["import", g.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("信頼されていません"));
    let pem = tmp.path().join("other.pem");
    std::fs::write(&pem, ok(&tenken(&other, &["key", "cert"]))).unwrap();
    ok(&tenken(&data, &["key", "trust", pem.to_str().unwrap()]));
    assert!(ok(&tenken(&data, &["key", "trusted"])).contains("テスト診療所"));
    ok(&tenken(&data, &["import", g.to_str().unwrap()]));
    assert_eq!(
        host(&ledger_json(&data), "SYNTH-LINUX")["trust"],
        "verified"
    );
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl must be installed");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn vendor_answers_signed_with_pkcs12() {
    let tmp = tempfile::tempdir().unwrap();
    let clinic = tmp.path().join("clinic");
    let vendor = tmp.path().join("vendor");
    new_assessment(&clinic);
    let req = tmp.path().join("req.json");
    ok(&tenken(
        &clinic,
        &[
            "vendor",
            "export-request",
            "ABCシステム",
            "--out",
            req.to_str().unwrap(),
        ],
    ));
    let st: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&clinic, &["vendor", "status", "--json"]))).unwrap();
    assert_eq!(st[0]["status"], "requested");

    // The vendor's company certificate (synthesised for the test).
    openssl(
        tmp.path(),
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "v.key",
            "-out",
            "v.pem",
            "-days",
            "30",
            "-subj",
            "/CN=ABC System KK/O=ABC",
        ],
    );
    openssl(
        tmp.path(),
        &[
            "pkcs12",
            "-export",
            "-inkey",
            "v.key",
            "-in",
            "v.pem",
            "-out",
            "v.p12",
            "-passout",
            "pass:secret",
        ],
    );
    let o = Command::new(BIN)
        .arg("--data-dir")
        .arg(&vendor)
        .args(["key", "import"])
        .arg(tmp.path().join("v.p12"))
        .args(["--password-env", "P12PW"])
        .env("P12PW", "secret")
        .output()
        .unwrap();
    ok(&o);
    let ans = tmp.path().join("answers.signed.json");
    ok(&tenken(
        &vendor,
        &[
            "vendor",
            "sign-answers",
            req.to_str().unwrap(),
            "--set",
            "vendor-1-1=yes",
            "--set",
            "vendor-2-1=no",
            "--target",
            "vendor-2-1=2027-03-31",
            "--out",
            ans.to_str().unwrap(),
        ],
    ));

    // Not yet trusted → refused.
    let o = tenken(&clinic, &["vendor", "import", ans.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("信頼済みではありません"));
    ok(&tenken(
        &clinic,
        &["key", "trust", tmp.path().join("v.pem").to_str().unwrap()],
    ));

    // Tampered → refused.
    let bad = tmp.path().join("bad.json");
    let text = std::fs::read_to_string(&ans).unwrap();
    assert!(text.contains("\"yes\""));
    std::fs::write(&bad, text.replacen("\"yes\"", "\"not_applicable\"", 1)).unwrap();
    let o = tenken(&clinic, &["vendor", "import", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("改ざん"));

    ok(&tenken(
        &clinic,
        &["vendor", "import", ans.to_str().unwrap()],
    ));
    ok(&tenken(
        &clinic,
        &[
            "vendor",
            "answer",
            "XYZ保守",
            "vendor-1-1",
            "--value",
            "はい",
        ],
    ));
    let st: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&clinic, &["vendor", "status", "--json"]))).unwrap();
    let abc = st
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["vendor"] == "ABCシステム")
        .unwrap();
    assert_eq!(abc["status"], "signed");
    assert_eq!(abc["signer"], "ABC System KK");
    let xyz = st
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["vendor"] == "XYZ保守")
        .unwrap();
    assert_eq!(xyz["status"], "answered");
    let shown: serde_json::Value = serde_json::from_str(&ok(&tenken(
        &clinic,
        &[
            "assessment",
            "show",
            &abc["assessment_id"].to_string(),
            "--json",
        ],
    )))
    .unwrap();
    let answers = shown["answers"].as_array().unwrap();
    assert!(
        answers
            .iter()
            .any(|a| a["item_id"] == "vendor-2-1" && a["value"] == "no"),
        "{shown}"
    );

    // A hand-entered change is not covered by the vendor's signature.
    ok(&tenken(
        &clinic,
        &[
            "vendor",
            "answer",
            "ABCシステム",
            "vendor-1-1",
            "--value",
            "na",
        ],
    ));
    let st: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&clinic, &["vendor", "status", "--json"]))).unwrap();
    let abc = st
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["vendor"] == "ABCシステム")
        .unwrap();
    assert_eq!(abc["status"], "answered");
    // The text status says where each sheet stands: rows are still open → 要確認.
    let text = ok(&tenken(&clinic, &["vendor", "status"]));
    assert!(
        text.lines()
            .any(|l| l.contains("ABCシステム") && l.contains("要確認")),
        "{text}"
    );
}

#[test]
fn r6_to_r7_comparison() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("clinic");
    ok(&tenken(
        &data,
        &[
            "assessment",
            "new",
            "--name",
            "テスト診療所",
            "--checklist",
            "mhlw-r6",
            "--year",
            "2024",
        ],
    ));
    ok(&tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "1",
            "1-1",
            "--value",
            "no",
            "--target",
            "2025-03-31",
            // FY2024's check was made in FY2024 (a 目標日 before the 確認日 is refused).
            "--checked",
            "2024-11-01",
        ],
    ));
    ok(&tenken(
        &data,
        &[
            "assessment",
            "new",
            "--name",
            "テスト診療所",
            "--checklist",
            "mhlw-r7",
            "--year",
            "2025",
        ],
    ));
    ok(&tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "2",
            "1-1",
            "--value",
            "yes",
        ],
    ));
    let c: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&data, &["compare", "2024", "2025", "--json"]))).unwrap();
    assert_eq!(c["from"]["checklist_id"], "mhlw-r6");
    assert_eq!(c["to"]["checklist_id"], "mhlw-r7");
    let new: Vec<&str> = c["new_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    // Items the R7 data marks new_in_version on the clinic sheet.
    for id in ["1-2", "2-7", "2-8", "2-9", "2-10"] {
        assert!(new.contains(&id), "{id} not marked new: {new:?}");
    }
    assert!(!new.contains(&"1-1"), "1-1 carries over from R6");
    assert!(
        !new.iter()
            .any(|i| i.starts_with("vendor-") || i.starts_with("pharmacy-"))
    );
    let ch = &c["changes"][0];
    assert_eq!(ch["item_after"], "1-1");
    assert_eq!(ch["direction"], "improved");
    assert_eq!(c["targets"][0]["state"], "met");
    let text = ok(&tenken(&data, &["compare", "2024", "2025"]));
    assert!(
        text.contains("改善") && text.contains("新しい項目"),
        "{text}"
    );
}

/// Synthesised one-page PDF with a classic xref table.
fn tiny_pdf() -> Vec<u8> {
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut out = String::from("%PDF-1.7\n");
    let mut offs = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offs.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objs.len() + 1
    ));
    for o in offs {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objs.len() + 1
    ));
    out.into_bytes()
}

#[test]
fn vendor_countersigns_a_signed_report() {
    let tmp = tempfile::tempdir().unwrap();
    let clinic = tmp.path().join("clinic");
    let vendor = tmp.path().join("vendor");
    ok(&tenken(
        &clinic,
        &["key", "generate", "--name", "テスト診療所"],
    ));
    ok(&tenken(
        &vendor,
        &["key", "generate", "--name", "ABCシステム"],
    ));
    let a = tmp.path().join("a.pdf");
    std::fs::write(&a, tiny_pdf()).unwrap();
    let b = tmp.path().join("b.pdf");
    let c = tmp.path().join("c.pdf");
    ok(&tenken(
        &clinic,
        &[
            "countersign",
            a.to_str().unwrap(),
            "--out",
            b.to_str().unwrap(),
        ],
    ));
    ok(&tenken(
        &vendor,
        &[
            "countersign",
            b.to_str().unwrap(),
            "--out",
            c.to_str().unwrap(),
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&ok(&tenken(
        &vendor,
        &["verify", "--json", c.to_str().unwrap()],
    )))
    .unwrap();
    assert_eq!(v["status"], "valid", "{v}");
    let sigs = v["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert!(sigs[0]["signer"].as_str().unwrap().contains("テスト診療所"));
    assert!(sigs[1]["signer"].as_str().unwrap().contains("ABCシステム"));
    assert!(sigs.iter().all(|s| s["valid"] == true));
    // Without a key there is nothing to countersign with.
    let none = tmp.path().join("nokey");
    let o = tenken(
        &none,
        &[
            "countersign",
            b.to_str().unwrap(),
            "--out",
            c.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
}
