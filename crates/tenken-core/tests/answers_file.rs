//! The answers file read by the engine (the CLI and, next, the app share it): the first bad entry
//! refuses the whole file, naming it, in Japanese; printed numbers and Japanese scope names work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use tenken_core::answers_file::{AnswerInputError, read_answers_file};
use tenken_core::assessment::AnswerValue;

#[test]
fn a_file_is_read_whole_or_refused_naming_the_bad_entry() {
    let cl = tenken_core::checklist::find("mhlw-r7", None).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("answers.toml");
    std::fs::write(
        &good,
        "[[answers]]\nitem = \"1-①\"\nvalue = \"はい\"\n\n[[answers]]\nitem = \"2-5\"\nscope = \"サーバ\"\nvalue = \"いいえ\"\ntarget = 2027-03-31\nnote = \"退職者の確認を依頼済み\"\n",
    )
    .unwrap();
    let a = read_answers_file(&cl, &good, today).unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(
        (a[0].item_id.as_str(), a[0].value),
        ("1-1", AnswerValue::Yes)
    );
    assert_eq!(a[0].checked_on, Some(today));
    assert_eq!(a[1].target_date, NaiveDate::from_ymd_opt(2027, 3, 31));

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[answers]]\nitem = \"1-1\"\nvalue = \"はい\"\n\n[[answers]]\nitem = \"1-2\"\nvalue = \"たぶん\"\n",
    )
    .unwrap();
    let e = read_answers_file(&cl, &bad, today).unwrap_err();
    assert!(matches!(e, AnswerInputError::Entry { index: 2, .. }), "{e}");
    let m = e.to_string();
    assert!(
        m.contains("回答 2 件目") && m.contains("たぶん") && m.contains("何も保存していません"),
        "{m}"
    );

    let sjis = dir.path().join("sjis.toml");
    std::fs::write(
        &sjis,
        b"[[answers]]\nitem = \"1-1\"\nvalue = \"\x82\xcd\x82\xa2\"\n",
    )
    .unwrap();
    let e = read_answers_file(&cl, &sjis, today).unwrap_err();
    assert!(e.to_string().contains("UTF-8"), "{e}");
}
