//! `tenken checklist import` with the official R8 workbooks (issue 16): both files in one call or
//! one after the other, the plan printed (files with SHA-256, items carried from R7 or new, points
//! to confirm), `--confirm` required when something is uncertain, and hostile files refused with
//! a Japanese message and nothing written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::tenken;
use std::path::{Path, PathBuf};
use std::process::Output;

use tenken_testkit::workbooks;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, (name, bytes): (String, Vec<u8>)) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn both_r8_workbooks_import_after_confirmation() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let clinic = write(tmp.path(), workbooks::clinic_file());
    let vendor = write(tmp.path(), workbooks::vendor_file());
    let args = [
        "checklist",
        "import",
        vendor.to_str().unwrap(),
        clinic.to_str().unwrap(),
    ];
    let o = tenken(&data, &args);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{}", stderr(&o));
    assert!(stderr(&o).contains("--confirm"), "{}", stderr(&o));
    assert!(
        !data.join("checklists").exists(),
        "nothing written before --confirm"
    );
    // The plan: files with hashes, carried and new items, the uncertain link.
    assert!(out.contains("imported-mhlw-r8"), "{out}");
    assert!(
        out.contains("001716187.xlsx") && out.contains("sha256:"),
        "{out}"
    );
    assert!(out.contains("<- 1-1, pharmacy-1-1"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("2-4 ") && l.contains("新規")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("2-5 ") && l.contains("【要確認】")),
        "{out}"
    );

    let mut confirmed = args.to_vec();
    confirmed.push("--confirm");
    let o = tenken(&data, &confirmed);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(data.join("checklists/imported-mhlw-r8.toml").is_file());
    let o = tenken(&data, &["checklist", "show", "imported-mhlw-r8"]);
    let shown = stdout(&o);
    assert!(
        shown.contains("医療機関・薬局確認用") && shown.contains("事業者確認用"),
        "{shown}"
    );
    assert!(
        shown.contains("期限: 令和9年度までに実装する予定である"),
        "{shown}"
    );
}

#[test]
fn the_second_workbook_adds_its_sheet_later() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let clinic = write(tmp.path(), workbooks::clinic_file());
    let vendor = write(tmp.path(), workbooks::vendor_file());
    let o = tenken(
        &data,
        &["checklist", "import", clinic.to_str().unwrap(), "--confirm"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = tenken(
        &data,
        &["checklist", "import", vendor.to_str().unwrap(), "--json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json_end = stdout(&o).rfind('}').unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)[..=json_end]).unwrap();
    assert_eq!(v["adds_to"], "imported-mhlw-r8");
    let o = tenken(&data, &["checklist", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let r8 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "imported-mhlw-r8")
        .unwrap();
    assert_eq!(r8["sheets"].as_array().unwrap().len(), 2);
    // The same workbook again: refused, exit 1.
    let o = tenken(&data, &["checklist", "import", vendor.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("取り込み済み"), "{}", stderr(&o));
}

#[test]
fn hostile_files_are_refused_in_japanese_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let pdf = tmp.path().join("001716185.xlsx");
    std::fs::write(&pdf, b"%PDF-1.7\n").unwrap();
    let o = tenken(
        &data,
        &["checklist", "import", pdf.to_str().unwrap(), "--confirm"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Excel ブック（.xlsx）として読めません"),
        "{}",
        stderr(&o)
    );
    let o = tenken(
        &data,
        &[
            "--lang",
            "en",
            "checklist",
            "import",
            pdf.to_str().unwrap(),
            "--confirm",
        ],
    );
    assert!(
        stderr(&o).contains("not a readable workbook"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("読めません"), "{}", stderr(&o));
    let missing = tmp.path().join("missing.xlsx");
    let o = tenken(&data, &["checklist", "import", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("ファイルが見つかりません"),
        "{}",
        stderr(&o)
    );
    assert!(!data.join("checklists").exists());
}
