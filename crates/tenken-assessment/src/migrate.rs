//! Moving an assessment to the next checklist version (e.g. an R7 assessment of FY2026 to the
//! imported R8 list): answers are carried item by item through each new item's `previous_ids`,
//! and everything that cannot be carried without guessing is listed to be answered anew.
//!
//! Rules (nothing is guessed):
//! - the new item names exactly the old items it continues (`previous_ids`); an item naming none
//!   is new and must be answered;
//! - an answer is carried to the same scope row (サーバ → サーバ); a row the old item did not have
//!   (e.g. several rows merged into one 医療情報システム全般 row) must be answered anew;
//! - when several old items feed one new row, their answers are carried only when they agree;
//! - a carried answer whose item wording changed is listed for review (the answer is kept);
//! - from R8 on clinics and pharmacies answer one sheet: a pharmacy assessment moves to the
//!   clinic sheet (医療機関・薬局確認用) when the new version has no pharmacy sheet.

use serde::Serialize;
use tenken_base::Sheet;
use tenken_checklist::{Checklist, Item, Scope};

use crate::{Answer, AnswerValue};

/// Why a row must be answered anew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnewReason {
    /// The item is new in this version.
    NewItem,
    /// The item continues an older one, but that one was not answered.
    NotAnsweredBefore,
    /// This scope row did not exist before (rows were merged or split).
    ScopeChanged,
    /// Several older items feed this row and their answers differ.
    Conflicting,
}

impl AnewReason {
    /// Plain-words reason.
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        match self {
            Self::NewItem => lang.pick("今年度の新しい項目です", "new item in this version"),
            Self::NotAnsweredBefore => lang.pick(
                "前の版で回答されていませんでした",
                "not answered in the earlier version",
            ),
            Self::ScopeChanged => lang.pick(
                "対象の行の分け方が変わりました（前の回答をそのまま使えません）",
                "the scope rows changed (the earlier answers do not carry over as they are)",
            ),
            Self::Conflicting => lang.pick(
                "前の版の複数の項目の回答が食い違っています",
                "earlier items feeding this row were answered differently",
            ),
        }
    }
}

/// One row of the new checklist that must be answered anew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anew {
    /// Item id in the new checklist.
    pub item_id: String,
    /// Number as printed.
    pub number: String,
    /// Scope row.
    pub scope: Scope,
    /// Why.
    pub reason: AnewReason,
    /// The earlier answers that fed this row (item id, scope, value), for reference.
    pub earlier: Vec<(String, Scope, AnswerValue)>,
}

/// A carried answer whose item wording changed: kept, but worth a look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Item id in the new checklist.
    pub item_id: String,
    /// Number as printed.
    pub number: String,
    /// Scope row.
    pub scope: Scope,
    /// The earlier wording (Japanese).
    pub earlier_text: String,
}

/// What moving an assessment to another checklist version would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationPlan {
    /// The sheet the moved assessment answers in the new version.
    pub sheet: Sheet,
    /// Answers for the new checklist (item ids of the new version).
    pub carried: Vec<Answer>,
    /// Rows to answer anew, in form order.
    pub anew: Vec<Anew>,
    /// Carried rows whose wording changed.
    pub review: Vec<Review>,
}

/// Errors of [`plan`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MigrateError {
    /// The target does not follow the source version.
    #[error(
        "「{to}」は「{from}」の次の版ではないため、回答を引き継げません (checklist {to} does not follow {from})"
    )]
    NotNextVersion {
        /// Source checklist id.
        from: String,
        /// Target checklist id.
        to: String,
    },
    /// The sheet is not in the target checklist.
    #[error(
        "チェックリスト「{0}」にはシート {1} がありません。そのシートのブックも取り込んでください (sheet not in the target checklist; import its workbook too)"
    )]
    NoSheet(String, Sheet),
}

fn answered(a: &Answer) -> bool {
    a.value != AnswerValue::Unanswered
}

/// Plans moving `answers` (of sheet `sheet`, on checklist `from`) to checklist `to`, which must
/// name `from` as its `previous` version.
pub fn plan(
    from: &Checklist,
    to: &Checklist,
    sheet: Sheet,
    answers: &[Answer],
) -> Result<MigrationPlan, MigrateError> {
    if to.previous.as_deref() != Some(from.id.as_str()) {
        return Err(MigrateError::NotNextVersion {
            from: from.id.clone(),
            to: to.id.clone(),
        });
    }
    let has = |s: Sheet| to.sheets.iter().any(|x| x.id == s.as_str());
    let to_sheet = if has(sheet) {
        sheet
    } else if sheet == Sheet::Pharmacy && has(Sheet::Clinic) {
        Sheet::Clinic
    } else {
        return Err(MigrateError::NoSheet(to.id.clone(), sheet));
    };
    let mut out = MigrationPlan {
        sheet: to_sheet,
        carried: Vec::new(),
        anew: Vec::new(),
        review: Vec::new(),
    };
    for item in to.sheet_items(to_sheet) {
        // Only the earlier items of the sheet that was answered: an R8 item continuing both
        // the R7 clinic and pharmacy items takes the answer of the one this assessment had.
        let sources: Vec<&Item> = item
            .previous_ids
            .iter()
            .filter_map(|p| from.item(p))
            .filter(|i| i.on_sheet(sheet))
            .collect();
        for scope in item.answer_scopes() {
            carry_row(item, scope, &sources, answers, &mut out);
        }
    }
    Ok(out)
}

fn carry_row(
    item: &Item,
    scope: Scope,
    sources: &[&Item],
    answers: &[Answer],
    out: &mut MigrationPlan,
) {
    let mut anew = |reason, earlier| {
        out.anew.push(Anew {
            item_id: item.id.clone(),
            number: item.number.clone(),
            scope,
            reason,
            earlier,
        });
    };
    if sources.is_empty() || item.new_in_version {
        anew(AnewReason::NewItem, Vec::new());
        return;
    }
    let earlier: Vec<(String, Scope, AnswerValue)> = answers
        .iter()
        .filter(|a| sources.iter().any(|s| s.id == a.item_id) && answered(a))
        .map(|a| (a.item_id.clone(), a.scope, a.value))
        .collect();
    if !sources.iter().all(|s| s.answer_scopes().contains(&scope)) {
        if earlier.is_empty() {
            anew(AnewReason::NotAnsweredBefore, earlier);
        } else {
            anew(AnewReason::ScopeChanged, earlier);
        }
        return;
    }
    let same_row: Vec<&Answer> = sources
        .iter()
        .filter_map(|s| {
            answers
                .iter()
                .find(|a| a.item_id == s.id && a.scope == scope && answered(a))
        })
        .collect();
    if same_row.len() < sources.len() {
        anew(AnewReason::NotAnsweredBefore, earlier);
        return;
    }
    let Some(first) = same_row.first() else {
        anew(AnewReason::NotAnsweredBefore, earlier);
        return;
    };
    if same_row.iter().any(|a| a.value != first.value) {
        anew(AnewReason::Conflicting, earlier);
        return;
    }
    let mut carried = (*first).clone();
    carried.item_id = item.id.clone();
    carried.scope = scope;
    for other in same_row.iter().skip(1) {
        if !other.note.is_empty() && other.note != carried.note {
            if !carried.note.is_empty() {
                carried.note.push_str(" / ");
            }
            carried.note.push_str(&other.note);
        }
        for att in &other.attachments {
            if !carried.attachments.contains(att) {
                carried.attachments.push(att.clone());
            }
        }
        if carried.target_date.is_none() {
            carried.target_date = other.target_date;
        }
    }
    out.carried.push(carried);
    if let Some(src) = sources.iter().find(|s| s.text.ja != item.text.ja) {
        out.review.push(Review {
            item_id: item.id.clone(),
            number: item.number.clone(),
            scope,
            earlier_text: src.text.ja.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::NaiveDate;

    fn ans(item: &str, scope: Scope, value: AnswerValue) -> Answer {
        let mut a = Answer::new(item, scope, value);
        if value == AnswerValue::No {
            a.target_date = NaiveDate::from_ymd_opt(2026, 9, 30);
        }
        a.note = format!("note {item}");
        a
    }

    fn builtin(id: &str) -> Checklist {
        tenken_checklist::builtin()
            .unwrap()
            .into_iter()
            .find(|c| c.id == id)
            .unwrap()
    }

    #[test]
    fn r6_to_r7_carries_same_rows_and_lists_new_and_merged_ones() {
        let r6 = builtin("mhlw-r6");
        let r7 = builtin("mhlw-r7");
        let answers = vec![
            ans("1-1", Scope::General, AnswerValue::Yes),
            ans("2-6", Scope::Server, AnswerValue::No),
            // R6 2-(7) patches had server and network rows; R7 merged them into one row
            ans("2-7", Scope::Server, AnswerValue::Yes),
            ans("2-7", Scope::Network, AnswerValue::Yes),
        ];
        let p = plan(&r6, &r7, Sheet::Clinic, &answers).unwrap();
        // the officer item is carried with its note
        let officer: Vec<_> = p
            .carried
            .iter()
            .filter(|a| r7.item(&a.item_id).unwrap().previous_ids == ["1-1"])
            .collect();
        assert_eq!(officer.len(), 1);
        assert_eq!(officer[0].value, AnswerValue::Yes);
        assert_eq!(officer[0].note, "note 1-1");
        // every carried answer is valid for R7
        for a in &p.carried {
            let item = r7.item(&a.item_id).unwrap();
            assert!(item.answer_scopes().contains(&a.scope), "{}", a.item_id);
        }
        // R7's new items are all listed with the reason
        for id in r7.sheet_items("clinic").filter(|i| i.new_in_version) {
            assert!(
                p.anew
                    .iter()
                    .any(|n| n.item_id == id.id && n.reason == AnewReason::NewItem),
                "{}",
                id.id
            );
        }
        // the merged patch row is not guessed from two earlier rows
        let patch = r7
            .items()
            .find(|i| i.previous_ids.iter().any(|p| p == "2-7"))
            .unwrap();
        assert!(
            !p.carried.iter().any(|a| a.item_id == patch.id),
            "patch row carried although its scope rows changed"
        );
        let row = p.anew.iter().find(|n| n.item_id == patch.id).unwrap();
        assert_eq!(row.reason, AnewReason::ScopeChanged);
        assert_eq!(row.earlier.len(), 2);
        // every row of the new sheet is either carried or listed
        let rows: usize = r7
            .sheet_items("clinic")
            .map(|i| i.answer_scopes().len())
            .sum();
        assert_eq!(p.carried.len() + p.anew.len(), rows);
    }

    #[test]
    fn conflicting_sources_are_not_merged() {
        let r6 = builtin("mhlw-r6");
        let mut to = builtin("mhlw-r7");
        // a synthetic next version whose first clinic item continues two earlier items
        let target = to.sections[1].items[0].id.clone();
        for s in &mut to.sections {
            for i in &mut s.items {
                if i.id == target {
                    i.previous_ids = vec!["2-1".into(), "2-2".into()];
                    i.new_in_version = false;
                    i.scopes = vec![];
                }
            }
        }
        let agree = [
            ans("2-1", Scope::General, AnswerValue::Yes),
            ans("2-2", Scope::General, AnswerValue::Yes),
        ];
        let p = plan(&r6, &to, Sheet::Clinic, &agree).unwrap();
        let c = p.carried.iter().find(|a| a.item_id == target).unwrap();
        assert_eq!(c.note, "note 2-1 / note 2-2");
        let differ = [
            ans("2-1", Scope::General, AnswerValue::Yes),
            ans("2-2", Scope::General, AnswerValue::No),
        ];
        let p = plan(&r6, &to, Sheet::Clinic, &differ).unwrap();
        assert!(!p.carried.iter().any(|a| a.item_id == target));
        assert_eq!(
            p.anew.iter().find(|n| n.item_id == target).unwrap().reason,
            AnewReason::Conflicting
        );
    }

    #[test]
    fn only_the_next_version_is_accepted() {
        let r5 = builtin("mhlw-r5");
        let r7 = builtin("mhlw-r7");
        assert!(matches!(
            plan(&r5, &r7, Sheet::Clinic, &[]),
            Err(MigrateError::NotNextVersion { .. })
        ));
    }
}
