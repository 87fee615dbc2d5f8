//! `tenken assessment` and `tenken history` end to end, on a temporary data directory and the
//! synthesised test checklist of tenken-store's fixtures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};

/// Runs `tenken` on `data`, where the synthesised test checklist is installed as a user checklist
/// (the way `tenken checklist import` installs one).
fn tenken(data: &Path, args: &[&str]) -> Output {
    let user = data.join("checklists");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tenken-store/tests/fixtures/store/test-checklist.toml"
        ),
        user.join("test-r7.toml"),
    )
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(args)
        .env("TENKEN_DATA_DIR", data)
        .env("TENKEN_LANG", "ja")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn answers_json(data: &Path) -> serde_json::Value {
    let out = ok(&tenken(data, &["assessment", "show", "1", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["answers"].clone()
}

#[test]
fn new_answer_show_export_history() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let profile = dir.path().join("profile.toml");
    std::fs::write(
        &profile,
        "name = \"さくら内科クリニック\"\naddress = \"東京都千代田区\"\nsystems = [\"電子カルテ\"]\n",
    )
    .unwrap();
    // An assessment of a past fiscal year, answered by its id (answering without one works on
    // this fiscal year's: see `answer_without_id_never_writes_into_a_past_year`).
    let out = ok(&tenken(
        &data,
        &[
            "assessment",
            "new",
            "--checklist",
            "test-r7",
            "--year",
            "2025",
            "--profile",
            profile.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("ID 1"), "{out}");
    assert!(data.join("tenken.sqlite3").exists());

    // Single answer from flags, with an attachment.
    let evidence = dir.path().join("更新履歴.txt");
    std::fs::write(&evidence, "KB5030211 installed").unwrap();
    ok(&tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "1",
            "2-6",
            "--value",
            "はい",
            "--checked",
            "2025-06-01",
            "--note",
            "毎月第2水曜に適用",
            "--responsible",
            "事務長",
            "--attach",
            evidence.to_str().unwrap(),
        ],
    ));
    // いいえ without 目標日: refused, nothing written.
    let out = tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "1",
            "1-1",
            "--value",
            "no",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("目標日"));
    // Item with several scope rows needs --scope.
    let out = tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "1",
            "2-12",
            "--value",
            "yes",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--scope"));
    // Unknown item.
    let out = tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "1",
            "9-9",
            "--value",
            "yes",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("9-9"));

    let a = answers_json(&data);
    assert_eq!(a.as_array().unwrap().len(), 1);
    assert_eq!(a[0]["item_id"], "2-6");
    assert_eq!(a[0]["value"], "yes");
    assert_eq!(a[0]["checked_on"], "2025-06-01");
    assert_eq!(a[0]["note"], "毎月第2水曜に適用");
    assert_eq!(a[0]["responsible"], "事務長");
    assert_eq!(a[0]["attachments"][0]["name"], "更新履歴.txt");
    assert_eq!(a[0]["attachments"][0]["size"], 19);

    // An answers file with one bad entry: nothing is written and the entry is named.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        r#"
[[answers]]
item = "1-1"
value = "はい"
checked = 2025-06-02

[[answers]]
item = "2-13"
scope = "network"
value = "いいえ"
"#,
    )
    .unwrap();
    let out = tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "1",
            "--file",
            bad.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2 件目") && err.contains("2-13") && err.contains("目標日"),
        "{err}"
    );
    assert_eq!(answers_json(&data).as_array().unwrap().len(), 1);

    // The same in JSON, fixed: all applied.
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        r#"{"answers": [
            {"item": "1-1", "value": "yes", "checked": "2025-06-02"},
            {"item": "2-12", "scope": "server", "value": "no", "target": "2030-03-31", "note": "業者に依頼"},
            {"item": "2-12", "scope": "terminal", "value": "na"},
            {"item": "2-13", "scope": "network", "value": "該当なし"}
        ]}"#,
    )
    .unwrap();
    ok(&tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "1",
            "--file",
            good.to_str().unwrap(),
        ],
    ));
    let a = answers_json(&data);
    assert_eq!(a.as_array().unwrap().len(), 5);
    let server = a
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["item_id"] == "2-12" && x["scope"] == "server")
        .unwrap();
    assert_eq!(server["target_date"], "2030-03-31");

    // Readable table.
    let table = ok(&tenken(&data, &["assessment", "show"]));
    assert!(table.contains("さくら内科クリニック"), "{table}");
    assert!(
        table.contains("確認日") && table.contains("目標日"),
        "{table}"
    );
    let line = table.lines().find(|l| l.contains("サーバ")).unwrap();
    assert!(
        line.contains("いいえ") && line.contains("2030-03-31"),
        "{line}"
    );
    assert!(table.contains("回答済み: 5 / 6"), "{table}");

    // XLSX export.
    let x = dir.path().join("out.xlsx");
    ok(&tenken(
        &data,
        &["assessment", "export", "1", "--xlsx", x.to_str().unwrap()],
    ));
    let mut wb: Xlsx<_> = open_workbook(&x).unwrap();
    let r = wb.worksheet_range("医療機関確認用").unwrap();
    let found = r.rows().any(|row| {
        row.first() == Some(&Data::String("2-⑥".into()))
            && row.get(3) == Some(&Data::String("○".into()))
    });
    assert!(found, "2-⑥ はい not marked");

    // History.
    ok(&tenken(
        &data,
        &[
            "assessment",
            "new",
            "--checklist",
            "test-r7",
            "--year",
            "2026",
        ],
    ));
    let h: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&data, &["history", "--json"]))).unwrap();
    let h = h.as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["fiscal_year"], 2026);
    assert_eq!(h[0]["answers"], 0);
    assert_eq!(h[1]["fiscal_year"], 2025);
    assert_eq!(h[1]["answers"], 5);
    assert_eq!(h[1]["yes"], 2);
    assert_eq!(h[1]["no"], 1);
    assert_eq!(h[1]["not_applicable"], 2);
    assert_eq!(h[0]["clinic_name"], "さくら内科クリニック");
    let text = ok(&tenken(&data, &["history"]));
    assert!(
        text.contains("令和7年度") && text.contains("令和8年度"),
        "{text}"
    );
}

#[test]
fn a_non_database_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tenken.sqlite3"),
        "not a database ".repeat(100),
    )
    .unwrap();
    let out = tenken(dir.path(), &["history"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("データベースとして読めません"), "{err}");
}

#[test]
fn export_has_one_worksheet_per_sheet_answered() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let new = |sheet: &str| {
        ok(&tenken(
            &data,
            &[
                "assessment",
                "new",
                "--checklist",
                "test-r7",
                "--year",
                "2025",
                "--sheet",
                sheet,
                "--name",
                "さくら内科クリニック",
                "--assessor",
                "田中",
                "--company",
                "株式会社保守",
            ],
        ))
    };
    new("clinic");
    new("vendor");
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
    // 3-1 is not on the vendor sheet.
    let out = tenken(
        &data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "2",
            "3-1",
            "--value",
            "yes",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("シート vendor"));
    let x = dir.path().join("both.xlsx");
    ok(&tenken(
        &data,
        &["assessment", "export", "1", "--xlsx", x.to_str().unwrap()],
    ));
    let mut wb: Xlsx<_> = open_workbook(&x).unwrap();
    assert_eq!(wb.sheet_names(), vec!["医療機関確認用", "事業者確認用"]);
    let r = wb.worksheet_range("事業者確認用").unwrap();
    assert!(
        !r.rows()
            .any(|row| row.first() == Some(&Data::String("3-①".into())))
    );
    let marked = r.rows().any(|row| {
        row.first() == Some(&Data::String("1-①".into()))
            && row.get(3) == Some(&Data::String("○".into()))
    });
    assert!(marked);
    let who = r.get_value((2, 0)).unwrap().to_string();
    assert_eq!(who, "確認者: 株式会社保守 田中");
}

/// Issue 12: "this year's assessment" is one rule. Answering without an id works on this fiscal
/// year's own assessment (as `tenken report` and the app do); a finished past year's record is
/// never written into silently, and the person is told how to reach it.
#[test]
fn answer_without_id_never_writes_into_a_past_year() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&tenken(
        &data,
        &[
            "assessment",
            "new",
            "--checklist",
            "test-r7",
            "--year",
            "2020",
        ],
    ));
    let out = tenken(&data, &["assessment", "answer", "1-1", "--value", "はい"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--assessment 1"), "{err}");
    // The 2020 assessment is untouched; this year's got the answer.
    assert_eq!(answers_json(&data).as_array().unwrap().len(), 0);
    let shown = ok(&tenken(&data, &["assessment", "show", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["id"], 2);
    assert_ne!(v["fiscal_year"], 2020);
    assert_eq!(v["answers"].as_array().unwrap().len(), 1);
}
