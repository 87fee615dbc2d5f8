//! Workbooks shaped like the official 令和8年度 checklist files (two workbooks, one sheet each:
//! 医療機関・薬局確認用 and 事業者確認用), generated for import, move and export tests. The
//! wording of items shared with R7 is R7's; the layout is a plausible guess (the real column
//! layout is not available offline), the same as `tenken-checklist/tests/import_r8.rs`.
#![allow(clippy::expect_used)]

use rust_xlsxwriter::{Format, Workbook};

/// One worksheet: cells (row, col, text) and merged ranges (r1, c1, r2, c2, text).
pub struct Ws<'a> {
    /// Worksheet name.
    pub name: &'a str,
    /// Cells (row, column, text), 0-based.
    pub cells: Vec<(u32, u16, &'a str)>,
    /// Merged ranges (first row, first column, last row, last column, text), 0-based.
    pub merges: Vec<(u32, u16, u32, u16, &'a str)>,
}

/// The bytes of an .xlsx workbook holding `sheets`.
pub fn workbook(sheets: &[Ws<'_>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let fmt = Format::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.name).expect("test workbook");
        for &(r, c, v) in &s.cells {
            ws.write_string(r, c, v).expect("test workbook");
        }
        for &(r1, c1, r2, c2, v) in &s.merges {
            ws.merge_range(r1, c1, r2, c2, v, &fmt)
                .expect("test workbook");
        }
        // Column widths as a form sets them (number, wording, section, scope, answers, dates,
        // note), so exports can be checked to keep them.
        for (col, width) in [
            (1u16, 7.5),
            (2, 58.0),
            (3, 12.0),
            (4, 14.0),
            (5, 6.5),
            (6, 6.5),
            (7, 11.0),
            (8, 11.0),
            (9, 24.0),
        ] {
            ws.set_column_width(col, width).expect("test workbook");
        }
    }
    wb.save_to_buffer().expect("test workbook")
}

/// Title row of the clinic sheet.
pub const CLINIC_TITLE: &str = "令和8年度 医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（医療機関・薬局確認用）";
/// Title row of the vendor sheet.
pub const VENDOR_TITLE: &str =
    "令和8年度 医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（事業者確認用）";

/// The combined clinic and pharmacy sheet, laid out like the MHLW form: a title, the header
/// starting at B4 over two rows (1回目 over はい / いいえ), section rows merged across, an item
/// whose number and wording are merged over three scope rows, a deadline in the wording, a new
/// item, a reworded one and a footer note.
pub fn clinic_sheet(name: &str) -> Ws<'_> {
    Ws {
        name,
        cells: vec![
            (1, 1, "医療機関名："),
            (4, 5, "はい"),
            (4, 6, "いいえ"),
            (6, 1, "有無"),
            (6, 2, "医療情報システムを導入、運用している。"),
            (8, 1, "1-①"),
            (8, 2, "医療情報システム安全管理責任者を設置している。"),
            (9, 1, "1-②"),
            (9, 2, "医療情報システムの運用管理規程等を整備している。"),
            (11, 1, "2-①"),
            (
                11,
                2,
                "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
            ),
            (12, 4, "サーバ"),
            (13, 4, "端末PC"),
            (14, 4, "ネットワーク機器"),
            (15, 1, "2-③"),
            (
                15,
                2,
                "二要素認証を実装している、または令和9年度までに実装する予定である。",
            ),
            (15, 4, "サーバ"),
            (16, 4, "端末PC"),
            (17, 1, "2-④"),
            (17, 2, "アカウントロックアウトを設定している。"),
            (18, 1, "2-⑤"),
            (
                18,
                2,
                "パスワードは英数字、記号が混在した8文字以上としている。",
            ),
            (20, 1, "3-①"),
            (
                20,
                2,
                "インシデント発生時における組織内と外部関係機関への連絡体制図がある。",
            ),
            (22, 1, "※「いいえ」の場合は、目標日を記入してください。"),
        ],
        merges: vec![
            (0, 1, 0, 9, CLINIC_TITLE),
            (3, 1, 4, 1, "番号"),
            (3, 2, 4, 2, "確認項目"),
            (3, 3, 4, 3, "区分"),
            (3, 4, 4, 4, "対象"),
            (3, 5, 3, 6, "1回目"),
            (3, 7, 4, 7, "確認日"),
            (3, 8, 4, 8, "目標日"),
            (3, 9, 4, 9, "備考"),
            (5, 1, 5, 9, "医療情報システムの有無"),
            (7, 1, 7, 9, "1 体制構築"),
            (10, 1, 10, 9, "2 医療情報システムの管理・運用"),
            // 2-②: number and wording merged over three scope rows.
            (12, 1, 14, 1, "2-②"),
            (
                12,
                2,
                14,
                2,
                "利用者の職種・担当業務別の情報区分毎のアクセス利用権限を設定し、管理者権限を持つ利用者を明確にしている。",
            ),
            (19, 1, 19, 9, "3 インシデント発生に備えた対応"),
        ],
    }
}

/// The vendor sheet: no title row, numbers written in the wording column as (1), ①.
pub fn vendor_sheet(name: &str) -> Ws<'_> {
    Ws {
        name,
        cells: vec![
            (0, 0, VENDOR_TITLE),
            (2, 0, "大項目"),
            (2, 1, "確認項目"),
            (2, 2, "はい"),
            (2, 3, "いいえ"),
            (3, 0, "1 体制構築"),
            (3, 1, "(1) 医療情報システム安全管理責任者を設置している。"),
            (4, 0, "2 医療情報システムの管理・運用"),
            (
                4,
                1,
                "① 医療機関に製造業者／サービス事業者による医療情報セキュリティ開示書（MDS／SDS）を提出した。",
            ),
            (5, 1, "② 医療機関との責任分界を文書で取り決めている。"),
            (7, 0, "注：この様式は厚生労働省の様式です。"),
        ],
        merges: vec![],
    }
}

/// The clinic workbook as MHLW names it: (file name, bytes).
pub fn clinic_file() -> (String, Vec<u8>) {
    (
        "001716187.xlsx".to_string(),
        workbook(&[clinic_sheet("医療機関・薬局確認用")]),
    )
}

/// The vendor workbook as MHLW names it: (file name, bytes).
pub fn vendor_file() -> (String, Vec<u8>) {
    (
        "001716188.xlsx".to_string(),
        workbook(&[vendor_sheet("事業者確認用")]),
    )
}
