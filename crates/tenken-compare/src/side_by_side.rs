//! Two fiscal years side by side, one row per item and scope row of the later checklist in
//! MHLW form order (items matched across checklist versions through the chain of `previous`
//! versions), plus per-year totals for the trend across all years.

use chrono::NaiveDate;
use serde::Serialize;

use super::{CompareError, FindingChange, Side, TargetState, find_answer, year_assessment};
use tenken_assessment::{Answer, AnswerValue, Assessment};
use tenken_base::Text;
use tenken_checklist::{Checklist, Item, Scope};
use tenken_store::Store;

/// How a row changed from the earlier year to the later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowChange {
    /// いいえ → はい (改善).
    Improved,
    /// はい → いいえ (後退).
    Regressed,
    /// Same answer (変化なし).
    Unchanged,
    /// Any other change, e.g. to or from 該当なし / 未回答 (変更あり).
    Changed,
    /// The item has no counterpart in the earlier checklist (新しい項目).
    New,
}

/// The earlier checklist's number of an item that maps to a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlierItem {
    /// Item id in the earlier checklist.
    pub id: String,
    /// Number as printed in the earlier checklist.
    pub number: String,
}

/// A 目標日 set with the earlier いいえ and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RowTarget {
    /// The target date.
    pub date: NaiveDate,
    /// Met / overdue / pending.
    pub state: TargetState,
}

/// One item x scope row, earlier and later answers side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideBySideRow {
    /// Item id in the later checklist.
    pub item_id: String,
    /// Number as printed in the later checklist.
    pub number: String,
    /// Wording of the later checklist.
    pub text: Text,
    /// The earlier checklist's item(s) for this row; empty when both years use the same
    /// checklist or the item is new.
    pub earlier: Vec<EarlierItem>,
    /// Scope row.
    pub scope: Scope,
    /// Earlier answer; `None` when the item did not exist in the earlier checklist.
    pub before: Option<AnswerValue>,
    /// Later answer.
    pub after: AnswerValue,
    /// Direction of the change.
    pub change: RowChange,
    /// The earlier year's 目標日, when the earlier answer was いいえ with one.
    pub target: Option<RowTarget>,
}

/// Two years side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideBySide {
    /// Earlier year.
    pub from: Side,
    /// Later year.
    pub to: Side,
    /// Rows in the later checklist's form order.
    pub rows: Vec<SideBySideRow>,
    /// Probe verdicts that changed on hosts scanned in both years.
    pub findings: Vec<FindingChange>,
}

/// Totals of one fiscal year's clinic assessment (for the trend chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSummary {
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Checklist id.
    pub checklist_id: String,
    /// Checklist title (empty when the checklist is no longer known).
    pub checklist_title: Text,
    /// Rows to answer (items x scope rows of the sheet).
    pub rows: u32,
    /// はい.
    pub yes: u32,
    /// いいえ.
    pub no: u32,
    /// 該当なし.
    pub not_applicable: u32,
    /// 未回答 (rows without an answer).
    pub unanswered: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Totals per fiscal year (the clinic assessment of each year), oldest first.
pub fn year_summaries(
    store: &Store,
    lists: &[Checklist],
) -> Result<Vec<YearSummary>, CompareError> {
    let mut years: Vec<u16> = store
        .list_assessments()?
        .into_iter()
        .filter(|a| a.sheet.is_own())
        .map(|a| a.fiscal_year)
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut out = Vec::new();
    for fy in years {
        let Some(a) = year_assessment(store, fy)? else {
            continue;
        };
        let cl = lists.iter().find(|c| c.id == a.checklist_id);
        let keys: Vec<(String, Scope)> = match cl {
            Some(c) => c
                .sheet_items(&a.sheet)
                .flat_map(|i| i.answer_scopes().into_iter().map(|s| (i.id.clone(), s)))
                .collect(),
            None => a
                .answers
                .iter()
                .map(|x| (x.item_id.clone(), x.scope))
                .collect(),
        };
        let value = |(id, scope): &(String, Scope)| {
            find_answer(&a, id, *scope).map_or(AnswerValue::Unanswered, |x| x.value)
        };
        let n = |v: AnswerValue| count(keys.iter().filter(|k| value(k) == v).count());
        out.push(YearSummary {
            fiscal_year: fy,
            checklist_id: a.checklist_id.clone(),
            checklist_title: cl.map(|c| c.title.clone()).unwrap_or_default(),
            rows: count(keys.len()),
            yes: n(AnswerValue::Yes),
            no: n(AnswerValue::No),
            not_applicable: n(AnswerValue::NotApplicable),
            unanswered: n(AnswerValue::Unanswered),
        });
    }
    Ok(out)
}

/// The items of `earlier` that correspond to item `id` of `later`, following the chain of
/// `previous` versions from `later` back to `earlier`. `None` when the chain does not lead
/// from `later` to `earlier`.
pub fn earlier_items<'a>(
    lists: &'a [Checklist],
    earlier: &'a Checklist,
    later: &Checklist,
    id: &str,
) -> Option<Vec<&'a Item>> {
    if earlier.id == later.id {
        return Some(earlier.item(id).into_iter().collect());
    }
    let mut ids: Vec<String> = vec![id.to_string()];
    let mut cur = later;
    // A bounded walk: checklist chains are short, and a cycle must not hang.
    for _ in 0..lists.len() {
        let prev_id = cur.previous.as_deref()?;
        let prev = lists.iter().find(|c| c.id == prev_id)?;
        let mut next: Vec<String> = Vec::new();
        for i in &ids {
            for p in cur
                .item(i)
                .map(|it| it.previous_ids.as_slice())
                .unwrap_or(&[])
            {
                if prev.item(p).is_some() && !next.contains(p) {
                    next.push(p.clone());
                }
            }
        }
        ids = next;
        if prev.id == earlier.id {
            return Some(ids.iter().filter_map(|i| earlier.item(i)).collect());
        }
        cur = prev;
    }
    None
}

fn change(before: Option<AnswerValue>, after: AnswerValue) -> RowChange {
    match (before, after) {
        (None, _) => RowChange::New,
        (Some(b), a) if b == a => RowChange::Unchanged,
        (Some(AnswerValue::No), AnswerValue::Yes) => RowChange::Improved,
        (Some(AnswerValue::Yes), AnswerValue::No) => RowChange::Regressed,
        _ => RowChange::Changed,
    }
}

/// The earlier answer for a later row: the first earlier item with an answer on that scope
/// row (or on its single general row when the earlier item had no scope rows).
fn earlier_answer<'a>(a1: &'a Assessment, items: &[&Item], scope: Scope) -> Option<&'a Answer> {
    items.iter().find_map(|it| {
        find_answer(a1, &it.id, scope).or_else(|| {
            if it.scopes.is_empty() {
                find_answer(a1, &it.id, Scope::General)
            } else {
                None
            }
        })
    })
}

/// Fiscal years `fy1` (earlier) and `fy2` (later) side by side, with explicit checklists and
/// "today" (for overdue 目標日).
pub fn side_by_side(
    store: &Store,
    fy1: u16,
    fy2: u16,
    lists: &[Checklist],
    today: NaiveDate,
) -> Result<SideBySide, CompareError> {
    let (a1, c1, a2, c2) = super::two_years(store, fy1, fy2, lists)?;
    let same = c1.id == c2.id;

    let mut rows = Vec::new();
    for item in c2.sheet_items(&a2.sheet) {
        // Unknown chains fall back to the same id, which is stable across MHLW versions.
        let earlier = earlier_items(lists, c1, c2, &item.id)
            .unwrap_or_else(|| c1.item(&item.id).into_iter().collect());
        let earlier: Vec<&Item> = earlier
            .into_iter()
            .filter(|i| i.on_sheet(a1.sheet))
            .collect();
        for scope in item.answer_scopes() {
            let after =
                find_answer(&a2, &item.id, scope).map_or(AnswerValue::Unanswered, |x| x.value);
            let prior = earlier_answer(&a1, &earlier, scope);
            let before = if earlier.is_empty() {
                None
            } else {
                Some(prior.map_or(AnswerValue::Unanswered, |x| x.value))
            };
            let target = prior
                .filter(|p| p.value == AnswerValue::No)
                .and_then(|p| p.target_date)
                .map(|date| RowTarget {
                    date,
                    state: super::target_state(Some(after), date, today),
                });
            rows.push(SideBySideRow {
                item_id: item.id.clone(),
                number: item.number.clone(),
                text: item.text.clone(),
                earlier: if same {
                    Vec::new()
                } else {
                    earlier
                        .iter()
                        .map(|i| EarlierItem {
                            id: i.id.clone(),
                            number: i.number.clone(),
                        })
                        .collect()
                },
                scope,
                before,
                after,
                change: change(before, after),
                target,
            });
        }
    }
    let side = |a: &Assessment| Side {
        fiscal_year: a.fiscal_year,
        assessment_id: a.id,
        checklist_id: a.checklist_id.clone(),
    };
    Ok(SideBySide {
        from: side(&a1),
        to: side(&a2),
        rows,
        findings: super::finding_changes(store, a1.id, a2.id)?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::tests::answer;
    use tenken_checklist as checklist;
    use tenken_store::NewAssessment;

    fn mk(store: &mut Store, c: &Checklist, fy: u16) -> i64 {
        store
            .create_assessment(
                c,
                &NewAssessment {
                    fiscal_year: fy,
                    checklist_id: c.id.clone(),
                    sheet: tenken_assessment::Sheet::Clinic,
                    profile: Default::default(),
                    assessor: Default::default(),
                },
            )
            .unwrap()
    }

    #[test]
    fn r6_and_r7_side_by_side_in_form_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let lists = checklist::builtin().unwrap();
        let r6 = lists.iter().find(|c| c.id == "mhlw-r6").unwrap();
        let r7 = lists.iter().find(|c| c.id == "mhlw-r7").unwrap();
        let a1 = mk(&mut store, r6, 2024);
        let a2 = mk(&mut store, r7, 2025);
        let set = |store: &mut Store, aid, c, a| {
            store.set_answer(aid, c, a).unwrap();
        };
        set(
            &mut store,
            a1,
            r6,
            answer("2-6", Scope::Server, AnswerValue::Yes, None),
        );
        set(
            &mut store,
            a2,
            r7,
            answer("2-11", Scope::Server, AnswerValue::No, Some("2026-03-31")),
        );
        set(
            &mut store,
            a1,
            r6,
            answer("1-1", Scope::General, AnswerValue::No, Some("2025-03-31")),
        );
        set(
            &mut store,
            a2,
            r7,
            answer("1-1", Scope::General, AnswerValue::Yes, None),
        );
        set(
            &mut store,
            a1,
            r6,
            answer("2-1", Scope::General, AnswerValue::No, Some("2025-03-31")),
        );
        let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let s = side_by_side(&store, 2024, 2025, &lists, today).unwrap();
        assert_eq!((s.from.fiscal_year, s.to.fiscal_year), (2024, 2025));

        // Every clinic row of R7, in form order.
        let expected: Vec<(String, Scope)> = r7
            .sheet_items(tenken_assessment::Sheet::Clinic)
            .flat_map(|i| i.answer_scopes().into_iter().map(|sc| (i.id.clone(), sc)))
            .collect();
        let got: Vec<(String, Scope)> = s
            .rows
            .iter()
            .map(|r| (r.item_id.clone(), r.scope))
            .collect();
        assert_eq!(got, expected);

        let row = |id: &str, sc: Scope| {
            s.rows
                .iter()
                .find(|r| r.item_id == id && r.scope == sc)
                .unwrap()
        };
        let reg = row("2-11", Scope::Server);
        assert_eq!(
            reg.earlier
                .iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>(),
            ["2-6"]
        );
        assert_eq!(reg.earlier[0].number, r6.item("2-6").unwrap().number);
        assert_eq!(
            (reg.before, reg.after),
            (Some(AnswerValue::Yes), AnswerValue::No)
        );
        assert_eq!(reg.change, RowChange::Regressed);
        assert_eq!(reg.target, None);

        let imp = row("1-1", Scope::General);
        assert_eq!(imp.change, RowChange::Improved);
        assert_eq!(imp.target.unwrap().state, TargetState::Met);

        // いいえ with a passed 目標日 and still not はい: overdue.
        let r7_21 = r7
            .items()
            .find(|i| i.previous_ids.iter().any(|p| p == "2-1"))
            .unwrap();
        let od = row(&r7_21.id, r7_21.answer_scopes()[0]);
        assert_eq!(od.target.unwrap().state, TargetState::Overdue);
        assert_eq!(od.change, RowChange::Changed);

        let new = row("2-7", r7.item("2-7").unwrap().answer_scopes()[0]);
        assert_eq!((new.before, new.change), (None, RowChange::New));
        assert!(new.earlier.is_empty());
        assert_eq!(row("0", Scope::General).change, RowChange::Unchanged);

        let years = year_summaries(&store, &lists).unwrap();
        assert_eq!(
            years.iter().map(|y| y.fiscal_year).collect::<Vec<_>>(),
            [2024, 2025]
        );
        let rows6 = count(
            r6.sheet_items(tenken_assessment::Sheet::Clinic)
                .map(|i| i.answer_scopes().len())
                .sum(),
        );
        assert_eq!(years[0].rows, rows6);
        assert_eq!((years[0].yes, years[0].no), (1, 2));
        assert_eq!(years[0].unanswered, rows6 - 3);
        assert_eq!((years[1].yes, years[1].no), (1, 1));
        assert_eq!(years[1].checklist_id, "mhlw-r7");
    }

    #[test]
    fn earlier_items_follow_the_version_chain() {
        let lists = checklist::builtin().unwrap();
        let r5 = lists.iter().find(|c| c.id == "mhlw-r5").unwrap();
        let r6 = lists.iter().find(|c| c.id == "mhlw-r6").unwrap();
        let r7 = lists.iter().find(|c| c.id == "mhlw-r7").unwrap();
        let ids =
            |v: Option<Vec<&Item>>| v.unwrap().iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(earlier_items(&lists, r6, r7, "2-11")), ["2-6"]);
        assert!(ids(earlier_items(&lists, r6, r7, "2-7")).is_empty());
        assert_eq!(ids(earlier_items(&lists, r7, r7, "2-7")), ["2-7"]);
        // Two steps back (R7 → R6 → R5) when R6 follows R5.
        if r6.previous.as_deref() == Some("mhlw-r5") {
            let two = ids(earlier_items(&lists, r5, r7, "2-11"));
            let one: Vec<String> = r6.item("2-6").unwrap().previous_ids.clone();
            assert_eq!(two, one);
        }
        // Backwards is not a chain.
        assert!(earlier_items(&lists, r7, r6, "2-6").is_none());
    }
}
