//! XLSX import: workbooks generated here (synthesised, MHLW-like layout) become valid imported
//! checklists; malformed workbooks give a clear error and nothing is written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use rust_xlsxwriter::Workbook;
use tenken_checklist::{self as checklist, ChecklistKind, ProvenanceTag, Scope};

/// Writes a workbook: one worksheet per (name, rows); rows are string cells.
fn write_workbook(path: &Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    ws.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

fn mhlw_like(path: &Path) {
    write_workbook(
        path,
        &[
            (
                "医療機関確認用",
                vec![
                    vec![
                        "令和8年度版 医療機関におけるサイバーセキュリティ対策チェックリスト（テスト用）",
                    ],
                    vec![],
                    vec!["区分", "番号", "項目", "対象"],
                    vec![
                        "1 体制構築",
                        "1-①",
                        "医療情報システム安全管理責任者を設置している。",
                        "",
                    ],
                    vec![
                        "2 医療情報システムの管理・運用",
                        "2-①",
                        "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
                        "医療情報システム全般",
                    ],
                    vec![
                        "",
                        "2-②",
                        "利用者の職種・担当業務別の情報区分毎のアクセス利用権限を設定している。",
                        "サーバ",
                    ],
                    vec!["", "", "", "端末PC"],
                    vec!["", "2-③", "接続元制限を実施している。", "ネットワーク機器"],
                ],
            ),
            (
                "事業者確認用",
                vec![
                    vec!["区分", "番号", "項目"],
                    vec![
                        "1 体制構築",
                        "1-①",
                        "医療情報システム安全管理責任者を設置している。",
                    ],
                ],
            ),
            ("メモ", vec![vec!["この表は取り込まれない"]]),
        ],
    );
}

#[test]
fn imported_workbook_yields_a_valid_checklist_and_is_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = tmp.path().join("r8-test.xlsx");
    mhlw_like(&xlsx);
    let c = checklist::import_xlsx(&xlsx).unwrap();
    assert_eq!(c.kind, ChecklistKind::Imported);
    // An MHLW checklist title (サイバーセキュリティ対策チェックリスト, 令和8年度) names the id by year,
    // so that the two R8 workbooks imported one after the other land in one checklist.
    assert_eq!(c.id, "imported-mhlw-r8");
    assert_eq!(c.fiscal_year, 2026, "令和8年度 -> 2026");
    assert_eq!(
        c.sheets.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["clinic", "vendor"]
    );
    let ids: Vec<_> = c.items().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["1-1", "vendor-1-1", "2-1", "2-2", "2-3"]);
    let access = c.item("2-2").unwrap();
    assert_eq!(access.scopes, [Scope::Server, Scope::Terminal]);
    assert_eq!(c.item("2-1").unwrap().scopes, []);
    assert_eq!(c.item("2-3").unwrap().scopes, [Scope::Network]);
    let sha = c.source.sha256.clone().unwrap();
    assert_eq!(sha.len(), 64);
    for i in c.items() {
        assert_eq!(i.provenance.tag, ProvenanceTag::Imported);
        assert!(i.provenance.sources.contains(&"r8-test.xlsx".to_string()));
        assert!(i.provenance.sources.contains(&format!("sha256:{sha}")));
    }
    checklist::validate(&c, None).unwrap();

    let data = tmp.path().join("data");
    let saved = checklist::save_user_checklist(&c, &data).unwrap();
    assert_eq!(saved, data.join("checklists/imported-mhlw-r8.toml"));
    assert_eq!(checklist::load_file(&saved).unwrap(), c);
    assert_eq!(checklist::find("imported-mhlw-r8", Some(&data)).unwrap(), c);
}

#[test]
fn malformed_workbooks_give_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    // An item row without a number.
    let p = tmp.path().join("bad.xlsx");
    write_workbook(
        &p,
        &[(
            "医療機関確認用",
            vec![
                vec!["区分", "番号", "項目"],
                vec!["1 体制構築", "", "責任者を設置している。"],
            ],
        )],
    );
    let err = checklist::import_xlsx(&p).unwrap_err().to_string();
    assert!(
        err.contains("bad.xlsx") && err.contains("医療機関確認用!B2") && err.contains("no number"),
        "{err}"
    );
    // Unknown scope label.
    write_workbook(
        &p,
        &[(
            "医療機関確認用",
            vec![
                vec!["番号", "項目", "対象"],
                vec!["1", "責任者を設置している。", "プリンタ"],
            ],
        )],
    );
    let err = checklist::import_xlsx(&p).unwrap_err().to_string();
    assert!(
        err.contains("医療機関確認用!C2") && err.contains("プリンタ"),
        "{err}"
    );
    // No 確認用 sheet.
    write_workbook(
        &p,
        &[("Sheet1", vec![vec!["番号", "項目"], vec!["1", "x"]])],
    );
    let err = checklist::import_xlsx(&p).unwrap_err().to_string();
    assert!(err.contains("医療機関確認用"), "{err}");
    // Not a workbook at all.
    std::fs::write(&p, b"this is not a zip").unwrap();
    assert!(
        checklist::import_xlsx(&p)
            .unwrap_err()
            .to_string()
            .contains("not a readable workbook")
    );
    // Duplicate numbers.
    write_workbook(
        &p,
        &[(
            "医療機関確認用",
            vec![vec!["番号", "項目"], vec!["1", "a"], vec!["1", "b"]],
        )],
    );
    let err = checklist::import_xlsx(&p).unwrap_err().to_string();
    assert!(err.contains("appears twice"), "{err}");
}
