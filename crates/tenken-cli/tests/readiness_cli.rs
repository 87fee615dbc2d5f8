//! `tenken readiness` and the review `tenken report` prints before signing (issue 15 item 2):
//! what is open, the command that fixes it, signing anyway, and the signed report's first page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn tenken(data: &Path, cwd: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenken"))
        .current_dir(cwd)
        .env("TENKEN_DATA_DIR", data)
        .env("TENKEN_LANG", lang)
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn review_lists_what_is_open_report_signs_anyway_and_says_so_on_page_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // Nothing answered, no automatic check, no clinic name: the report is still signed, after
    // the review was printed.
    let out = tenken(&data, dir.path(), "ja", &["report", "--no-scan"]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("署名前の確認"), "{err}");
    assert!(
        err.contains("【未回答】") && err.contains("【自動チェック 未実施】"),
        "{err}"
    );
    assert!(err.contains("直し方: tenken profile set --name"), "{err}");
    assert!(err.contains("このまま署名します"), "{err}");
    let pdf = dir.path().join("tenken-report.pdf");
    assert!(pdf.is_file());

    // The review alone, as JSON: stable kinds with targets; exit code 1 while something is open.
    let out = tenken(&data, dir.path(), "ja", &["readiness", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entries = v["entries"].as_array().unwrap();
    let of = |kind: &str| entries.iter().filter(|e| e["kind"] == kind).count();
    let unanswered = of("unanswered");
    assert!(unanswered >= 10, "{v}");
    assert_eq!(of("no_automatic_check"), 1);
    assert_eq!(of("clinic_name_missing"), 1);
    assert_eq!(of("assessor_missing"), 1);
    let first = entries.iter().find(|e| e["kind"] == "unanswered").unwrap();
    assert_eq!(first["target"], "checklist");
    let item = first["item_id"].as_str().unwrap().to_string();
    // Before signing, `tenken report` lists the first few of each kind and says how many more
    // there are; `tenken readiness` lists every one.
    assert_eq!(
        err.matches("にまだ回答がありません").count(),
        3,
        "three unanswered rows shown: {err}"
    );
    assert!(
        err.contains(&format!("ほか {} 件", unanswered - 3)),
        "{err}"
    );
    let all = text(&tenken(&data, dir.path(), "ja", &["readiness"]).stdout);
    assert_eq!(
        all.matches("にまだ回答がありません").count(),
        unanswered,
        "{all}"
    );

    // The signed report's first page says what was open when it was signed.
    let page1 = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    let page1 = text(&page1.stdout).replace('\n', "");
    let expected = format!("署名時点で未回答 {unanswered} 項目");
    assert!(
        page1.contains(&expected),
        "{expected} not on page 1:\n{page1}"
    );
    assert!(page1.contains("自動チェック未実施"), "{page1}");

    // Answering an item and setting the profile takes them off the list.
    let ok = tenken(
        &data,
        dir.path(),
        "ja",
        &["assessment", "answer", &item, "--value", "yes"],
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let ok = tenken(
        &data,
        dir.path(),
        "ja",
        &[
            "profile",
            "set",
            "--name",
            "さくら内科クリニック",
            "--assessor",
            "山田 花子",
        ],
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let out = tenken(&data, dir.path(), "ja", &["readiness"]);
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stdout);
    assert!(said.starts_with("署名前の確認（点検ID"), "{said}");
    assert!(
        !said.contains("医療機関名 未設定") && !said.contains("点検者 未設定"),
        "{said}"
    );
    assert!(
        said.contains(&format!("まとめ: 未回答 {} 項目", unanswered - 1)),
        "{said}"
    );

    // English with --lang en.
    let out = tenken(&data, dir.path(), "en", &["readiness"]);
    let said = text(&out.stdout);
    assert!(
        said.contains("Before signing") && said.contains("[Unanswered]"),
        "{said}"
    );
    assert!(said.contains("fix: tenken assessment answer"), "{said}");
    assert!(!said.contains("未回答"), "{said}");
}
