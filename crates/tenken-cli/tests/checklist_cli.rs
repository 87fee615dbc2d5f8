//! `tenken checklist` end to end: list --json, show, validate exit codes, import.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn tenken(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenken"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("TENKEN_LANG")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn checklists_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checklists")
}

#[test]
fn list_json_has_ids_titles_and_sheet_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let o = tenken(tmp.path(), &["checklist", "list", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let arr = v.as_array().unwrap();
    let r7 = arr.iter().find(|c| c["id"] == "mhlw-r7").unwrap();
    assert_eq!(r7["fiscal_year"], 2025);
    assert!(r7["title"].as_str().unwrap().contains("令和7年5月"));
    let sheets: Vec<(String, u64)> = r7["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["items"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sheets,
        [
            ("clinic".to_string(), 19),
            ("vendor".to_string(), 14),
            ("pharmacy".to_string(), 19)
        ]
    );
    // English titles with --lang en.
    let o = tenken(tmp.path(), &["--lang", "en", "checklist", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let r7 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "mhlw-r7")
        .unwrap();
    assert!(
        r7["title"]
            .as_str()
            .unwrap()
            .starts_with("Cybersecurity checklist")
    );
    assert_eq!(r7["sheets"][0]["title"], "Clinic sheet");
}

#[test]
fn show_marks_reconstructed_wording() {
    let tmp = tempfile::tempdir().unwrap();
    let o = tenken(tmp.path(), &["checklist", "show", "mhlw-r7"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    let usb = s.lines().find(|l| l.contains("USBストレージ")).unwrap();
    assert!(usb.contains("※再構成（公式文言ではありません）"), "{usb}");
    let pw = s
        .lines()
        .find(|l| l.contains("パスワードの使い回し"))
        .unwrap();
    assert!(!pw.contains("再構成"), "{pw}");
    assert!(s.contains("令和9年度までに導入"));
    assert!(s.contains("■ 薬局確認用"));
    let o = tenken(tmp.path(), &["checklist", "show", "no-such-list"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn validate_exit_codes_and_positions() {
    let tmp = tempfile::tempdir().unwrap();
    let ok = tenken(
        tmp.path(),
        &["checklist", "validate", checklists_dir().to_str().unwrap()],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    // A broken copy of R7: an empty wording on a known line.
    let text = std::fs::read_to_string(checklists_dir().join("mhlw-r7.toml")).unwrap();
    let needle = "text.ja = \"パスワードの使い回しを禁止している。\"";
    let line = text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    let bad = tmp.path().join("broken.toml");
    std::fs::write(
        &bad,
        text.replacen(needle, "text.ja = \"\"", 1)
            .replace("id = \"mhlw-r7\"", "id = \"broken\""),
    )
    .unwrap();
    let o = tenken(
        tmp.path(),
        &["checklist", "validate", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let expected = format!("{}:{line}:", bad.display());
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with(&expected) && l.contains("empty")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn import_saves_into_the_data_dir_and_malformed_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let xlsx = tmp.path().join("mine.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("医療機関確認用").unwrap();
    for (r, row) in [
        ["区分", "番号", "項目"],
        ["1 体制構築", "1-①", "責任者を設置している。"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&xlsx).unwrap();
    // No year is written in the workbook: the importer asks before taking this fiscal year.
    let o = tenken(&data, &["checklist", "import", xlsx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("年度が書かれていない"),
        "{}",
        stdout(&o)
    );
    assert!(
        !data.join("checklists").exists(),
        "nothing saved before confirmation"
    );
    let o = tenken(
        &data,
        &["checklist", "import", xlsx.to_str().unwrap(), "--confirm"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(data.join("checklists/imported-mine.toml").is_file());
    let o = tenken(&data, &["checklist", "list", "--json"]);
    assert!(stdout(&o).contains("imported-mine"));

    let bad = tmp.path().join("bad.xlsx");
    std::fs::write(&bad, b"not a workbook").unwrap();
    let data2 = tmp.path().join("data2");
    let o = tenken(&data2, &["checklist", "import", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.xlsx"));
    assert!(
        !data2.exists(),
        "nothing may be written for a malformed workbook"
    );
}
