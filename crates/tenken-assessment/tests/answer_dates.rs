//! Dates that make sense (issue 14): 確認日 not in the future, 目標日 not before 確認日, and a
//! いいえ whose 目標日 has passed is 期限切れ.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use tenken_assessment::{Answer, AnswerError, AnswerValue};
use tenken_checklist::Scope;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn no(checked: NaiveDate, target: NaiveDate) -> Answer {
    let mut a = Answer::new("2-6", Scope::General, AnswerValue::No);
    a.checked_on = Some(checked);
    a.target_date = Some(target);
    a
}

#[test]
fn a_check_date_in_the_future_is_refused() {
    let today = d(2026, 12, 3);
    let mut a = Answer::new("2-6", Scope::General, AnswerValue::Yes);
    a.checked_on = Some(d(2030, 1, 1));
    let e = a.validate_on(today).unwrap_err();
    assert!(matches!(e, AnswerError::CheckedInFuture { .. }), "{e}");
    assert!(e.to_string().contains("未来"), "{e}");
    a.checked_on = Some(today);
    assert!(a.validate_on(today).is_ok());
}

#[test]
fn a_target_before_the_check_date_is_refused() {
    // The case seen: 目標日 2025-01-01 with 確認日 2026-11-20 was saved.
    let e = no(d(2026, 11, 20), d(2025, 1, 1))
        .validate_on(d(2026, 12, 3))
        .unwrap_err();
    assert!(matches!(e, AnswerError::TargetBeforeChecked { .. }), "{e}");
    assert!(e.to_string().contains("目標日 2025-01-01"), "{e}");
    assert!(
        no(d(2026, 11, 20), d(2026, 11, 20))
            .validate_on(d(2026, 12, 3))
            .is_ok()
    );
}

#[test]
fn a_passed_target_of_a_no_answer_is_overdue() {
    let a = no(d(2024, 12, 1), d(2025, 1, 1));
    assert!(
        a.validate_on(d(2026, 12, 3)).is_ok(),
        "an old answer stays valid"
    );
    assert!(a.is_overdue(d(2026, 12, 3)));
    assert!(!a.is_overdue(d(2025, 1, 1)), "due today is not yet overdue");
    let mut yes = a.clone();
    yes.value = AnswerValue::Yes;
    assert!(
        !yes.is_overdue(d(2026, 12, 3)),
        "only いいえ can be overdue"
    );
}
