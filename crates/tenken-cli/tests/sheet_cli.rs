//! Issue 12: the vendor sheet must not hijack the clinic's own assessment. A vendor's answers are
//! kept in an assessment of sheet `vendor` of the same fiscal year; `tenken assessment ...`
//! without an id works on this fiscal year's clinic assessment all the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

mod common;
use common::{ok, tenken};

fn show(data: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(&tenken(data, &["assessment", "show", "--json"]))).unwrap()
}

fn has_answer(a: &serde_json::Value, item: &str, value: &str) -> bool {
    a["answers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["item_id"] == item && x["value"] == value)
}

#[test]
fn vendor_answer_does_not_take_over_the_clinic_assessment() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("clinic");
    ok(&tenken(
        &data,
        &["assessment", "new", "--name", "テスト診療所"],
    ));
    ok(&tenken(
        &data,
        &["vendor", "answer", "ABC", "vendor-1-1", "--value", "はい"],
    ));
    ok(&tenken(
        &data,
        &["assessment", "answer", "1-2", "--value", "該当なし"],
    ));
    let a = show(&data);
    assert_eq!(a["sheet"], "clinic", "{a}");
    assert!(has_answer(&a, "1-2", "not_applicable"), "{a}");
    let text = ok(&tenken(&data, &["assessment", "show"]));
    assert!(!text.contains("事業者確認用"), "{text}");
}

#[test]
fn vendor_answer_first_then_the_clinic_assessment_is_created() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("clinic");
    ok(&tenken(
        &data,
        &["vendor", "answer", "ABC", "vendor-1-1", "--value", "はい"],
    ));
    ok(&tenken(
        &data,
        &["assessment", "answer", "1-2", "--value", "該当なし"],
    ));
    let a = show(&data);
    assert_eq!(a["sheet"], "clinic", "{a}");
    assert!(has_answer(&a, "1-2", "not_applicable"), "{a}");
    // The vendor's answer stays on the vendor's own assessment.
    assert!(!has_answer(&a, "vendor-1-1", "yes"), "{a}");
}
