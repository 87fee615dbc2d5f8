//! Moving an R7 assessment to the imported R8 checklist (issue 16 item 3): answers carried item
//! by item through the `previous` links made at import, the rest listed to be answered anew.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tenken_assessment::migrate::{AnewReason, plan};
use tenken_assessment::{Answer, AnswerValue};
use tenken_base::Sheet;
use tenken_checklist::{Checklist, Scope};
use tenken_testkit::workbooks;

fn r7_and_r8() -> (Checklist, Checklist) {
    let builtin = tenken_checklist::builtin().unwrap();
    let r8 = tenken_checklist::plan_import_bytes(
        &[workbooks::clinic_file(), workbooks::vendor_file()],
        &builtin,
    )
    .unwrap()
    .checklist;
    let r7 = builtin.into_iter().find(|c| c.id == "mhlw-r7").unwrap();
    (r7, r8)
}

#[test]
fn a_clinic_assessment_carries_answers_and_lists_new_rows() {
    let (r7, r8) = r7_and_r8();
    let mut officer = Answer::new("1-1", Scope::General, AnswerValue::Yes);
    officer.note = "院長が兼任".into();
    let answers = vec![
        officer,
        Answer::new("2-4", Scope::Server, AnswerValue::Yes),
        Answer::new("2-4", Scope::Terminal, AnswerValue::NotApplicable),
        Answer::new("2-10", Scope::General, AnswerValue::Yes),
    ];
    let p = plan(&r7, &r8, Sheet::Clinic, &answers).unwrap();
    assert_eq!(p.sheet, Sheet::Clinic);
    let carried = |id: &str, scope| {
        p.carried
            .iter()
            .find(|a| a.item_id == id && a.scope == scope)
    };
    let o = carried("1-1", Scope::General).unwrap();
    assert_eq!((o.value, o.note.as_str()), (AnswerValue::Yes, "院長が兼任"));
    // R7 2-④ (server, terminal) is R8 2-② (server, terminal, network).
    assert_eq!(
        carried("2-2", Scope::Server).unwrap().value,
        AnswerValue::Yes
    );
    assert_eq!(
        carried("2-2", Scope::Terminal).unwrap().value,
        AnswerValue::NotApplicable
    );
    let reason = |id: &str, scope| {
        p.anew
            .iter()
            .find(|n| n.item_id == id && n.scope == scope)
            .map(|n| n.reason)
    };
    assert_eq!(
        reason("2-2", Scope::Network),
        Some(AnewReason::ScopeChanged)
    );
    // New in R8.
    assert_eq!(reason("2-4", Scope::General), Some(AnewReason::NewItem));
    // R7 2-⑩ had one row; R8 2-③ has server and terminal rows: asked anew, not guessed.
    assert_eq!(reason("2-3", Scope::Server), Some(AnewReason::ScopeChanged));
    assert!(carried("2-3", Scope::Server).is_none());
    // Linked but not answered in R7.
    assert_eq!(
        reason("1-2", Scope::General),
        Some(AnewReason::NotAnsweredBefore)
    );
    // Every row of the R8 clinic sheet is either carried or listed.
    let rows: usize = r8
        .sheet_items(Sheet::Clinic)
        .map(|i| i.answer_scopes().len())
        .sum();
    assert_eq!(p.carried.len() + p.anew.len(), rows);
}

#[test]
fn a_pharmacy_assessment_moves_to_the_combined_sheet() {
    let (r7, r8) = r7_and_r8();
    let answers = vec![Answer::new(
        "pharmacy-1-1",
        Scope::General,
        AnswerValue::Yes,
    )];
    let p = plan(&r7, &r8, Sheet::Pharmacy, &answers).unwrap();
    assert_eq!(
        p.sheet,
        Sheet::Clinic,
        "R8 has one 医療機関・薬局確認用 sheet"
    );
    let a = p.carried.iter().find(|a| a.item_id == "1-1").unwrap();
    assert_eq!(a.value, AnswerValue::Yes);
    // The clinic answers of R7 are not this pharmacy's: nothing else carried.
    assert_eq!(p.carried.len(), 1);
}
