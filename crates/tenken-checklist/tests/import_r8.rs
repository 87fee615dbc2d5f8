//! Import of the official workbooks as MHLW publishes them (issue 16): generated workbooks of each
//! plausible R8 shape (two files with one sheet each, the combined 医療機関・薬局 sheet, headers
//! offset and over two merged rows, items over several rows with scope rows, numbers in every
//! printed style, deadlines in the wording, notes and footers), linked to R7; hostile workbooks
//! fail with a clear Japanese message and nothing is written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tenken_checklist::{self as checklist, ChecklistKind, ImportPlan, ProvenanceTag, Scope};

// The plausible R8 workbooks (shared with the CLI tests): the combined 医療機関・薬局 sheet and
// the vendor sheet, as MHLW names the files.
use tenken_testkit::workbooks::{
    Ws, clinic_file, clinic_sheet, vendor_file, vendor_sheet, workbook,
};

fn builtin() -> Vec<checklist::Checklist> {
    checklist::builtin().unwrap()
}

fn ids(plan: &ImportPlan) -> Vec<String> {
    let mut v: Vec<String> = plan.checklist.items().map(|i| i.id.clone()).collect();
    v.sort();
    v
}

#[test]
fn the_two_r8_workbooks_import_in_one_call_in_either_order() {
    let plan = checklist::plan_import_bytes(&[clinic_file(), vendor_file()], &builtin()).unwrap();
    let c = &plan.checklist;
    assert_eq!(c.id, "imported-mhlw-r8");
    assert_eq!(c.kind, ChecklistKind::Imported);
    assert_eq!(c.fiscal_year, 2026);
    assert_eq!(c.previous.as_deref(), Some("mhlw-r7"));
    assert_eq!(
        c.title.ja,
        "令和8年度 医療機関・薬局におけるサイバーセキュリティ対策チェックリスト"
    );
    assert_eq!(
        c.sheets.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["clinic", "vendor"],
        "医療機関・薬局確認用 is the clinic sheet"
    );
    assert_eq!(
        ids(&plan),
        [
            "0",
            "1-1",
            "1-2",
            "2-1",
            "2-2",
            "2-3",
            "2-4",
            "2-5",
            "3-1",
            "vendor-1-1",
            "vendor-2-1",
            "vendor-2-2"
        ]
    );
    // Gate, scope rows (merged wording over three rows; scope rows under an item), deadline.
    assert!(c.item("0").unwrap().gate);
    assert_eq!(
        c.item("2-2").unwrap().scopes,
        [Scope::Server, Scope::Terminal, Scope::Network]
    );
    assert_eq!(c.item("2-1").unwrap().scopes, [] as [Scope; 0]);
    let mfa = c.item("2-3").unwrap();
    assert_eq!(mfa.scopes, [Scope::Server, Scope::Terminal]);
    assert_eq!(
        mfa.deadline.as_ref().unwrap().ja,
        "令和9年度までに実装する予定である"
    );
    assert_eq!(c.item("vendor-1-1").unwrap().number, "(1)");
    assert_eq!(
        c.item("vendor-1-1").unwrap().text.ja,
        "医療情報システム安全管理責任者を設置している。"
    );
    // Sections from the merged heading rows.
    let secs: Vec<_> = c
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.ja.as_str()))
        .collect();
    assert!(secs.contains(&("0", "医療情報システムの有無")), "{secs:?}");
    assert!(
        secs.contains(&("2", "医療情報システムの管理・運用")),
        "{secs:?}"
    );
    // The footer note and the 医療機関名 line are not items.
    assert!(c.items().all(|i| !i.text.ja.contains("目標日を記入")));
    // Provenance: each item names its file and that file's SHA-256.
    for (name, bytes) in [clinic_file(), vendor_file()] {
        let sha = plan
            .files
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .sha256
            .clone();
        assert_eq!(sha.len(), 64);
        assert!(bytes.len() > 100);
        let sheet = if name == "001716187.xlsx" {
            "clinic"
        } else {
            "vendor"
        };
        for i in c.sheet_items(sheet) {
            assert_eq!(i.provenance.tag, ProvenanceTag::Imported);
            assert_eq!(
                i.provenance.sources,
                [name.clone(), format!("sha256:{sha}")]
            );
        }
    }
    // The other order gives the same checklist items.
    let other = checklist::plan_import_bytes(&[vendor_file(), clinic_file()], &builtin()).unwrap();
    assert_eq!(ids(&other), ids(&plan));
    assert_eq!(other.checklist.id, plan.checklist.id);
}

#[test]
fn items_link_to_r7_by_topic_and_new_or_unsure_ones_are_listed() {
    let plan = checklist::plan_import_bytes(&[clinic_file(), vendor_file()], &builtin()).unwrap();
    let c = &plan.checklist;
    // Same wording: linked to the R7 clinic item and to the R7 pharmacy item (one sheet in R8).
    assert_eq!(c.item("1-1").unwrap().previous_ids, ["1-1", "pharmacy-1-1"]);
    assert_eq!(c.item("0").unwrap().previous_ids, ["0", "pharmacy-0"]);
    assert_eq!(c.item("2-2").unwrap().previous_ids, ["2-4", "pharmacy-2-4"]);
    // Renumbered in R8 (2-⑩ in R7): linked by topic, not by number.
    assert_eq!(
        c.item("2-3").unwrap().previous_ids,
        ["2-10", "pharmacy-2-10"]
    );
    assert_eq!(c.item("vendor-2-1").unwrap().previous_ids, ["vendor-2-3"]);
    // New topics.
    for id in ["2-4", "vendor-2-2"] {
        let i = c.item(id).unwrap();
        assert!(i.new_in_version && i.previous_ids.is_empty(), "{id}");
    }
    // The reworded password item is linked, but shown to confirm.
    let pw = plan.links.iter().find(|l| l.item == "2-5").unwrap();
    assert_eq!(pw.previous_ids, ["2-7", "pharmacy-2-7"]);
    assert!(pw.unsure, "score {}", pw.score);
    assert!(plan.needs_confirmation());
    let sure = plan.links.iter().find(|l| l.item == "1-1").unwrap();
    assert!(!sure.unsure);
    // R7 items with no R8 counterpart are listed.
    assert!(
        plan.notices
            .iter()
            .any(|n| n.at.as_deref() == Some("mhlw-r7 2-⑧") && !n.confirm),
        "{:#?}",
        plan.notices
    );
}

#[test]
fn the_two_workbooks_import_one_after_the_other() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path();
    let first = checklist::plan_import_bytes(&[vendor_file()], &builtin()).unwrap();
    assert_eq!(first.adds_to, None);
    assert_eq!(first.checklist.sheets.len(), 1);
    first.save(data).unwrap();

    let known = checklist::all(Some(data)).unwrap();
    let second = checklist::plan_import_bytes(&[clinic_file()], &known).unwrap();
    assert_eq!(second.adds_to.as_deref(), Some("imported-mhlw-r8"));
    let saved = second.save(data).unwrap();
    let c = checklist::load_file(&saved).unwrap();
    assert_eq!(
        c.sheets.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["vendor", "clinic"]
    );
    let one_call =
        checklist::plan_import_bytes(&[clinic_file(), vendor_file()], &builtin()).unwrap();
    let mut a: Vec<_> = c.items().map(|i| i.id.clone()).collect();
    a.sort();
    assert_eq!(a, ids(&one_call));
    // Two files, two hashes: kept per file in the layout.
    let layout = c.layout.as_ref().unwrap();
    assert_eq!(layout.files.len(), 2);
    assert_eq!(c.source.title, "001716188.xlsx, 001716187.xlsx");

    // The same workbook again: refused, nothing changed.
    let before = std::fs::read(&saved).unwrap();
    let known = checklist::all(Some(data)).unwrap();
    let err = checklist::plan_import_bytes(&[clinic_file()], &known).unwrap_err();
    assert!(err.to_string().contains("取り込み済み"), "{err}");
    assert_eq!(std::fs::read(&saved).unwrap(), before);
}

#[test]
fn the_layout_records_where_each_answer_goes() {
    let plan = checklist::plan_import_bytes(&[clinic_file(), vendor_file()], &builtin()).unwrap();
    let layout = plan.checklist.layout.as_ref().unwrap();
    let clinic = layout.files.iter().find(|f| f.sheet == "clinic").unwrap();
    assert_eq!(clinic.worksheet, "医療機関・薬局確認用");
    assert_eq!(clinic.header_rows, [3, 4]);
    assert_eq!(clinic.columns.yes, Some(5));
    assert_eq!(clinic.columns.no, Some(6));
    assert_eq!(clinic.columns.checked, Some(7));
    assert_eq!(clinic.columns.target, Some(8));
    assert_eq!(clinic.columns.note, Some(9));
    let rows: Vec<_> = clinic
        .rows
        .iter()
        .filter(|r| r.item == "2-2")
        .map(|r| (r.scope, r.row))
        .collect();
    assert_eq!(
        rows,
        [
            (Scope::Server, 12),
            (Scope::Terminal, 13),
            (Scope::Network, 14)
        ]
    );
    assert!(
        clinic
            .merges
            .iter()
            .any(|m| m.first_row == 12 && m.last_row == 14)
    );
    let vendor = layout.files.iter().find(|f| f.sheet == "vendor").unwrap();
    assert_eq!(vendor.columns.yes, Some(2));
    assert_eq!(vendor.header_rows, [2]);
}

#[test]
fn unclear_sheet_and_year_are_shown_to_confirm_never_guessed_silently() {
    // Worksheet "Sheet1", no title, file name without a year.
    let bytes = workbook(&[Ws {
        name: "Sheet1",
        cells: vec![
            (0, 0, "番号"),
            (0, 1, "確認項目"),
            (1, 0, "1"),
            (1, 1, "医療情報システム安全管理責任者を設置している。"),
        ],
        merges: vec![],
    }]);
    let plan = checklist::plan_import_bytes(&[("list.xlsx".into(), bytes)], &builtin()).unwrap();
    let confirm: Vec<_> = plan.notices.iter().filter(|n| n.confirm).collect();
    assert_eq!(confirm.len(), 2, "{confirm:#?}");
    assert!(
        confirm
            .iter()
            .any(|n| n.message.ja.contains("医療機関・薬局確認用"))
    );
    assert!(
        confirm
            .iter()
            .any(|n| n.message.ja.contains("年度が書かれていない"))
    );
    assert!(plan.needs_confirmation());
}

#[test]
fn the_combined_sheet_name_alone_is_the_clinic_sheet() {
    let mut ws = clinic_sheet("医療機関・薬局");
    ws.merges[0].4 = "令和8年度 サイバーセキュリティ対策チェックリスト";
    let plan =
        checklist::plan_import_bytes(&[("a.xlsx".into(), workbook(&[ws]))], &builtin()).unwrap();
    assert_eq!(plan.checklist.sheets[0].id, "clinic");
    assert!(
        !plan
            .notices
            .iter()
            .any(|n| n.message.ja.contains("分からない"))
    );
}

fn err_of(name: &str, bytes: Vec<u8>) -> String {
    let e = checklist::plan_import_bytes(&[(name.to_string(), bytes)], &builtin()).unwrap_err();
    // Japanese first, and the file named.
    let ja = e.in_lang(tenken_base::Lang::Ja);
    assert!(ja.starts_with(name), "{ja}");
    ja
}

#[test]
fn hostile_workbooks_fail_with_a_clear_japanese_message() {
    // Not a workbook.
    let m = err_of("x.xlsx", b"%PDF-1.7 not a workbook".to_vec());
    assert!(m.contains("Excel ブック（.xlsx）として読めません"), "{m}");
    assert!(err_of("e.xlsx", Vec::new()).contains("空のファイル"));
    // A zip that is not a workbook.
    let mut zip = workbook(&[vendor_sheet("事業者確認用")]);
    zip.truncate(zip.len() / 2);
    assert!(err_of("cut.xlsx", zip).contains("読めません"));
    // A zip bomb: an entry declaring an enormous unpacked size.
    let bomb = declare_huge_entry(workbook(&[vendor_sheet("事業者確認用")]));
    let m = err_of("bomb.xlsx", bomb);
    assert!(m.contains("大きすぎます") && m.contains("zip 爆弾"), "{m}");
    // Too large: a value far below the table.
    let huge = workbook(&[Ws {
        name: "医療機関確認用",
        cells: vec![
            (0, 0, "番号"),
            (0, 1, "確認項目"),
            (1, 0, "1"),
            (1, 1, "a。"),
            (200_000, 0, "x"),
        ],
        merges: vec![],
    }]);
    assert!(err_of("huge.xlsx", huge).contains("大きすぎます"));
    // Too large: the file itself.
    let big = vec![b'P'; checklist::MAX_FILE_BYTES + 1];
    assert!(err_of("big.xlsx", big).contains("大きすぎます"));
    // No header anywhere.
    let no_header = workbook(&[Ws {
        name: "医療機関確認用",
        cells: vec![(0, 0, "1"), (0, 1, "責任者を設置している。")],
        merges: vec![],
    }]);
    assert!(err_of("nohdr.xlsx", no_header).contains("見出しの行が見つかりません"));
    let unrelated = workbook(&[Ws {
        name: "Sheet1",
        cells: vec![(0, 0, "売上"), (1, 0, "100")],
        merges: vec![],
    }]);
    assert!(err_of("sales.xlsx", unrelated).contains("チェックリストの表が見つかりません"));
    // Two files for the same sheet, and files of different years.
    let e = checklist::plan_import_bytes(
        &[
            clinic_file(),
            (
                "copy.xlsx".into(),
                workbook(&[clinic_sheet("医療機関確認用")]),
            ),
        ],
        &builtin(),
    );
    assert!(e.is_err());
    let mut r7 = vendor_sheet("事業者確認用");
    r7.cells[0].2 = "令和7年度 サイバーセキュリティ対策チェックリスト（事業者確認用）";
    let e = checklist::plan_import_bytes(
        &[clinic_file(), ("r7.xlsx".into(), workbook(&[r7]))],
        &builtin(),
    )
    .unwrap_err();
    assert!(
        e.in_lang(tenken_base::Lang::Ja).contains("年度が違います"),
        "{e}"
    );
    assert!(
        e.in_lang(tenken_base::Lang::En).contains("different years"),
        "{e}"
    );
}

/// Rewrites the first central-directory entry of a zip to declare a 2 GB unpacked size.
fn declare_huge_entry(mut zip: Vec<u8>) -> Vec<u8> {
    let cd = zip
        .windows(4)
        .position(|w| w == [0x50, 0x4b, 0x01, 0x02])
        .unwrap();
    zip[cd + 24..cd + 28].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    zip
}
