//! XLSX export tests: cells read back with calamine, and LibreOffice renders it to a PDF whose
//! text contains the Japanese item wording.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};

use super::*;
use tenken_assessment::{Assessor, Attachment, ClinicProfile};

fn checklist() -> Checklist {
    toml::from_str(include_str!(
        "../../../tenken-store/tests/fixtures/store/test-checklist.toml"
    ))
    .unwrap()
}

fn ans(item: &str, scope: Scope, value: AnswerValue) -> Answer {
    Answer {
        checked_on: Some("2025-06-01".parse().unwrap()),
        ..Answer::new(item, scope, value)
    }
}

fn assessment() -> Assessment {
    let mut no = ans("2-12", Scope::Server, AnswerValue::No);
    no.target_date = Some("2026-03-31".parse().unwrap());
    no.note = "電子カルテサーバは業者に依頼済み".into();
    no.responsible = "佐藤".into();
    no.attachments = vec![Attachment {
        name: "依頼書.pdf".into(),
        size: 10,
        sha256: "ab".repeat(32),
    }];
    Assessment {
        id: 1,
        fiscal_year: 2025,
        checklist_id: "test-r7".into(),
        sheet: tenken_assessment::Sheet::Clinic,
        profile: ClinicProfile {
            name: "さくら内科クリニック".into(),
            ..Default::default()
        },
        assessor: Assessor {
            name: "鈴木 一郎".into(),
            company: None,
        },
        answers: vec![
            ans("1-1", Scope::General, AnswerValue::Yes),
            ans("2-12", Scope::Terminal, AnswerValue::Yes),
            no,
            ans("2-13", Scope::Network, AnswerValue::NotApplicable),
        ],
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    }
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Finds the row whose column A (number) is `number`.
fn row_of(r: &calamine::Range<Data>, number: &str) -> u32 {
    (0..r.height() as u32)
        .find(|&row| cell(r, row, 0) == number)
        .unwrap_or_else(|| panic!("row {number} not found"))
}

#[test]
fn cells_read_back_with_calamine() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checklist.xlsx");
    let cl = checklist();
    export_xlsx(&cl, &[&assessment()], Lang::Ja, &path).unwrap();

    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), vec!["医療機関確認用".to_string()]);
    let r = wb.worksheet_range("医療機関確認用").unwrap();
    assert!(cell(&r, 0, 0).contains("テスト用チェックリスト"));
    assert!(cell(&r, 0, 0).contains("医療機関確認用"));
    assert_eq!(cell(&r, 1, 0), "医療機関名: さくら内科クリニック");
    assert_eq!(cell(&r, 1, 6), "対象年度: 令和7年度");
    let headers: Vec<String> = (0..9).map(|c| cell(&r, HEADER_ROW, c)).collect();
    assert_eq!(headers, HEADERS_JA);

    // 1-1: はい, one row, no scope label.
    let row = row_of(&r, "1-①");
    assert_eq!(
        cell(&r, row, 1),
        "医療情報システム安全管理責任者を設置している。"
    );
    assert_eq!(cell(&r, row, 2), "");
    assert_eq!(
        (cell(&r, row, 3), cell(&r, row, 4), cell(&r, row, 5)),
        (MARK.into(), String::new(), String::new())
    );
    assert_eq!(cell(&r, row, 6), "2025/06/01");
    // Section row right above the first item.
    assert_eq!(cell(&r, row - 1, 0), "1 体制構築");

    // 2-6: not answered: no mark, no dates.
    let row = row_of(&r, "2-⑥");
    assert_eq!((0..3).map(|c| cell(&r, row, 3 + c)).collect::<String>(), "");
    assert_eq!(cell(&r, row, 6), "");

    // 2-12: two scope sub-rows: サーバ いいえ with 目標日, 端末PC はい.
    let row = row_of(&r, "2-⑫");
    assert_eq!(cell(&r, row, 2), "サーバ");
    assert_eq!(cell(&r, row, 4), MARK);
    assert_eq!(cell(&r, row, 3), "");
    assert_eq!(cell(&r, row, 7), "2026/03/31");
    let note = cell(&r, row, 8);
    assert!(note.contains("電子カルテサーバは業者に依頼済み"), "{note}");
    assert!(note.contains("担当: 佐藤"), "{note}");
    assert!(note.contains("依頼書.pdf"), "{note}");
    assert_eq!(cell(&r, row + 1, 2), "端末PC");
    assert_eq!(cell(&r, row + 1, 3), MARK);
    assert_eq!(cell(&r, row + 1, 4), "");

    let row = row_of(&r, "2-⑬");
    assert_eq!(cell(&r, row, 2), "ネットワーク機器");
    assert_eq!(cell(&r, row, 5), MARK);

    // 出典 and the reconstructed-wording note (3-① is reconstructed in the fixture).
    let all: Vec<String> = (0..r.height() as u32).map(|row| cell(&r, row, 0)).collect();
    assert!(
        all.iter().any(|s| s.starts_with(
            "出典：厚生労働省「医療機関におけるサイバーセキュリティ対策チェックリスト」"
        )),
        "{all:?}"
    );
    let note = all
        .iter()
        .find(|s| s.contains("再構成"))
        .expect("reconstruction note");
    assert!(note.contains("3-①"), "{note}");
    assert!(!note.contains("1-①"), "{note}");
}

#[test]
fn english_export_and_mismatch() {
    let cl = checklist();
    let bytes = export_xlsx_bytes(&cl, &[&assessment()], Lang::En).unwrap();
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let r = wb.worksheet_range("For the clinic").unwrap();
    assert_eq!(cell(&r, HEADER_ROW, 3), "Yes");
    assert_eq!(cell(&r, 1, 6), "Fiscal year: FY2025");
    let mut other = assessment();
    other.checklist_id = "mhlw-r6".into();
    assert!(matches!(
        export_xlsx_bytes(&cl, &[&other], Lang::Ja),
        Err(XlsxExportError::ChecklistMismatch { .. })
    ));
    assert!(matches!(
        export_xlsx_bytes(&cl, &[], Lang::Ja),
        Err(XlsxExportError::Empty)
    ));
}

#[test]
fn libreoffice_renders_it_to_a_pdf_with_the_japanese_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checklist.xlsx");
    export_xlsx(&checklist(), &[&assessment()], Lang::Ja, &path).unwrap();
    // No skip: CI must have libreoffice-calc and poppler-utils installed.
    let out = Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .output()
        .expect("libreoffice must be installed (apt-get install libreoffice-calc)");
    assert!(out.status.success(), "libreoffice failed: {out:?}");
    let pdf = dir.path().join("checklist.pdf");
    assert!(pdf.exists(), "no PDF written: {out:?}");
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (apt-get install poppler-utils)");
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    let squashed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        squashed.contains("医療情報システム安全管理責任者を設置している。"),
        "{text}"
    );
    assert!(squashed.contains("さくら内科クリニック"), "{text}");
    assert!(squashed.contains("出典"), "{text}");
    // A4 portrait: 595 x 842 pt.
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("595.") && info.contains("x 841.") && info.contains("(A4)"),
        "{info}"
    );
}
