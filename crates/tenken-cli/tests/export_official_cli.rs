//! `tenken assessment export --official`: the filled checklist comes out as workbooks shaped like
//! the imported MHLW originals (issue 16 item 4): same worksheet names, every original cell in its
//! row and column, the answers in the form's cells. Re-opened with calamine; when LibreOffice is
//! installed, it must also convert each workbook headless.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{ok, tenken};
use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use tenken_testkit::workbooks;

/// A cell's (row, col) and text.
type Cell = ((u32, u32), String);

/// Every non-empty cell of the only worksheet, and the sheet names.
fn cells(bytes: &[u8]) -> (Vec<String>, Vec<Cell>) {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names();
    let range = wb.worksheet_range(&names[0]).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut out = Vec::new();
    for (r, row) in range.rows().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let s = match v {
                Data::Empty => continue,
                Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                other => other.to_string(),
            };
            out.push(((r as u32 + r0, c as u32 + c0), s));
        }
    }
    (names, out)
}

#[test]
fn the_filled_checklist_exports_in_the_shape_of_the_imported_workbooks() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let originals = [workbooks::clinic_file(), workbooks::vendor_file()];
    let mut paths = Vec::new();
    for (name, bytes) in &originals {
        let p = tmp.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p.display().to_string());
    }
    ok(&tenken(
        &data,
        &["checklist", "import", &paths[0], &paths[1], "--confirm"],
    ));
    ok(&tenken(
        &data,
        &[
            "assessment",
            "new",
            "--checklist",
            "imported-mhlw-r8",
            "--year",
            "2026",
        ],
    ));
    let answer = |args: &[&str]| {
        let mut v = vec!["assessment", "answer"];
        v.extend_from_slice(args);
        ok(&tenken(&data, &v));
    };
    answer(&["1-1", "--value", "yes", "--checked", "2026-07-01"]);
    answer(&[
        "2-2",
        "--scope",
        "terminal",
        "--value",
        "no",
        "--target",
        "2027-03-31",
        "--note",
        "更新予定",
    ]);
    answer(&["2-4", "--value", "na"]);

    // One workbook per imported file, named after it.
    let out_dir = tmp.path().join("out");
    let o = tenken(
        &data,
        &[
            "assessment",
            "export",
            "--official",
            out_dir.to_str().unwrap(),
        ],
    );
    let printed = ok(&o);
    assert!(printed.contains("001716187_記入済み.xlsx"), "{printed}");

    for (name, original) in &originals {
        let stem = name.trim_end_matches(".xlsx");
        let exported = std::fs::read(out_dir.join(format!("{stem}_記入済み.xlsx"))).unwrap();
        let (names_o, cells_o) = cells(original);
        let (names_e, cells_e) = cells(&exported);
        assert_eq!(names_e, names_o, "same worksheet name");
        // The same column widths as the original (the form's columns, not guessed ones).
        let widths_o = tenken_core::checklist::column_widths(original);
        let widths_e = tenken_core::checklist::column_widths(&exported);
        assert!(
            !widths_o[&names_o[0]].is_empty(),
            "the test form sets widths"
        );
        for w in &widths_o[&names_o[0]] {
            assert!(
                widths_e[&names_e[0]].contains(w),
                "width of column {} lost: {widths_e:?}",
                w.col
            );
        }
        // Every original cell is where it was, with its value.
        for (at, v) in &cells_o {
            let got = cells_e.iter().find(|(a, _)| a == at).map(|(_, v)| v);
            assert_eq!(got, Some(v), "cell {at:?} of {name}");
        }
        if name == "001716187.xlsx" {
            let at = |r: u32, c: u32| {
                cells_e
                    .iter()
                    .find(|(a, _)| *a == (r, c))
                    .map(|(_, v)| v.as_str())
            };
            // 1-① (row 9): ○ under はい (F), 確認日 in H.
            assert_eq!(at(8, 5), Some("○"));
            assert_eq!(at(8, 6), None);
            assert_eq!(at(8, 7), Some("2026-07-01"));
            // 2-② 端末PC (row 14): ○ under いいえ (G), 目標日 (I), 備考 (J).
            assert_eq!(at(13, 6), Some("○"));
            assert_eq!(at(13, 5), None);
            assert_eq!(at(13, 8), Some("2027-03-31"));
            assert_eq!(at(13, 9), Some("更新予定"));
            // 2-② サーバ (row 13) was not answered.
            assert_eq!(at(12, 5), None);
            // 2-④ 該当なし: the form has only はい / いいえ, so it is said in 備考.
            assert_eq!(at(17, 9), Some("該当なし"));
            // Nothing else was added (確認日 defaults to today on the other two answers).
            assert_eq!(cells_e.len(), cells_o.len() + 8, "{cells_e:?}");
        }
    }

    // LibreOffice opens and converts what was written (when installed).
    if Command::new("soffice").arg("--version").output().is_ok() {
        let conv = tmp.path().join("conv");
        let profile = format!("file://{}", tmp.path().join("lo-profile").display());
        let o = Command::new("soffice")
            .arg(format!("-env:UserInstallation={profile}"))
            // CSV in UTF-8 (filter options: comma, double quote, charset 76 = UTF-8).
            .args([
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
            ])
            .arg(&conv)
            .arg(out_dir.join("001716187_記入済み.xlsx"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let csv = std::fs::read_to_string(conv.join("001716187_記入済み.csv")).unwrap();
        assert!(
            csv.contains("医療情報システム安全管理責任者を設置している。"),
            "{csv}"
        );
        assert!(csv.contains("更新予定"), "{csv}");
    }
}

#[test]
fn a_built_in_checklist_has_no_official_shape_to_export() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&tenken(
        &data,
        &[
            "assessment",
            "new",
            "--checklist",
            "mhlw-r7",
            "--year",
            "2025",
        ],
    ));
    let o = tenken(
        &data,
        &[
            "assessment",
            "export",
            "--official",
            tmp.path().join("o").to_str().unwrap(),
        ],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("取り込んだブックの形が記録されていません")
    );
    assert!(!tmp.path().join("o").exists(), "nothing written");
}
