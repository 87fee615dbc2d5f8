//! Past years: totals per fiscal year (trend) and two years side by side, item by item, across
//! checklist versions (`tenken_core::compare`).

use tauri::{AppHandle, Manager};
use tenken_core::compare::{self, RowChange, TargetState};
use tenken_core::evidence::Verdict;

use crate::dto::{CmdResult, CommandError};
use crate::dto_history::{
    ComparisonDto, ComparisonRowDto, FindingChangeDto, HistoryDto, RowChangeDto, TargetStateDto,
    YearSideDto, YearTotalsDto,
};
use crate::state::AppState;

/// Oldest and newest fiscal year the app accepts.
const YEARS: std::ops::RangeInclusive<u16> = 2000..=2100;

fn verdict(v: Verdict) -> String {
    match v {
        Verdict::Pass => "pass",
        Verdict::Warn => "warn",
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
        Verdict::NotApplicable => "na",
    }
    .into()
}

/// Totals per stored fiscal year (clinic sheet), oldest first.
pub fn history_in(state: &AppState) -> CmdResult<HistoryDto> {
    let lists = crate::engine::checklists(state.dir())?;
    let store = state.store()?;
    let years = compare::year_summaries(&store, &lists).map_err(CommandError::of)?;
    Ok(HistoryDto {
        this_year: tenken_core::assessment::fiscal_year_of(crate::engine::today()),
        years: years
            .into_iter()
            .map(|y| YearTotalsDto {
                fiscal_year: y.fiscal_year,
                checklist_id: y.checklist_id,
                checklist_title: (&y.checklist_title).into(),
                rows: y.rows,
                yes: y.yes,
                no: y.no,
                not_applicable: y.not_applicable,
                unanswered: y.unanswered,
            })
            .collect(),
    })
}

/// Checks the two years of a comparison.
pub fn validate_years(earlier: u16, later: u16) -> CmdResult<()> {
    if !YEARS.contains(&earlier) || !YEARS.contains(&later) {
        return Err(CommandError::invalid(
            "年度が正しくありません",
            "Invalid fiscal year",
        ));
    }
    if earlier >= later {
        return Err(CommandError::invalid(
            "前の年度には、後の年度より前の年度を選んでください",
            "Choose an earlier year before the later year",
        ));
    }
    Ok(())
}

/// Fiscal years `earlier` and `later` side by side.
pub fn compare_in(state: &AppState, earlier: u16, later: u16) -> CmdResult<ComparisonDto> {
    validate_years(earlier, later)?;
    let lists = crate::engine::checklists(state.dir())?;
    let store = state.store()?;
    let s = compare::side_by_side(&store, earlier, later, &lists, crate::engine::today()).map_err(
        |e| match e {
            compare::CompareError::NoAssessment(fy) => CommandError::not_found(
                format!("{fy}年度の記録がありません"),
                format!("No record for fiscal year {fy}"),
            ),
            e => CommandError::of(e),
        },
    )?;
    let side = |x: &compare::Side| YearSideDto {
        fiscal_year: x.fiscal_year,
        checklist_id: x.checklist_id.clone(),
        checklist_title: lists
            .iter()
            .find(|c| c.id == x.checklist_id)
            .map(|c| (&c.title).into())
            .unwrap_or_default(),
    };
    Ok(ComparisonDto {
        from: side(&s.from),
        to: side(&s.to),
        same_checklist: s.from.checklist_id == s.to.checklist_id,
        rows: s
            .rows
            .into_iter()
            .map(|r| ComparisonRowDto {
                item_id: r.item_id,
                number: r.number,
                text: (&r.text).into(),
                earlier_numbers: r.earlier.into_iter().map(|e| e.number).collect(),
                scope: r.scope,
                before: r.before,
                after: r.after,
                change: match r.change {
                    RowChange::Improved => RowChangeDto::Improved,
                    RowChange::Regressed => RowChangeDto::Regressed,
                    RowChange::Unchanged => RowChangeDto::Unchanged,
                    RowChange::Changed => RowChangeDto::Changed,
                    RowChange::New => RowChangeDto::New,
                },
                target_date: r.target.map(|t| t.date.to_string()),
                target_state: r.target.map(|t| match t.state {
                    TargetState::Met => TargetStateDto::Met,
                    TargetState::Overdue => TargetStateDto::Overdue,
                    TargetState::Pending => TargetStateDto::Pending,
                }),
            })
            .collect(),
        findings: s
            .findings
            .into_iter()
            .map(|f| FindingChangeDto {
                host: f.host,
                probe_id: f.probe_id,
                title: (&f.title).into(),
                before: verdict(f.before),
                after: verdict(f.after),
            })
            .collect(),
    })
}

/// Totals per stored fiscal year, oldest first, and this fiscal year.
#[tauri::command]
pub async fn history(app: AppHandle) -> CmdResult<HistoryDto> {
    tokio::task::spawn_blocking(move || history_in(&app.state::<AppState>()))
        .await
        .map_err(CommandError::internal)?
}

/// Two fiscal years side by side, item by item in MHLW order (read off the main thread).
#[tauri::command]
pub async fn compare_years(app: AppHandle, earlier: u16, later: u16) -> CmdResult<ComparisonDto> {
    validate_years(earlier, later)?;
    tokio::task::spawn_blocking(move || compare_in(&app.state::<AppState>(), earlier, later))
        .await
        .map_err(CommandError::internal)?
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dto::AnswerValueDto;
    use tenken_core::assessment::{Answer, AnswerValue};
    use tenken_core::checklist::{Checklist, Scope};
    use tenken_core::store::NewAssessment;

    fn answer(item: &str, scope: Scope, value: AnswerValue, target: Option<&str>) -> Answer {
        Answer {
            target_date: target.map(|t| t.parse().unwrap()),
            ..Answer::new(item, scope, value)
        }
    }

    fn year(state: &AppState, c: &Checklist, fy: u16, answers: &[Answer]) {
        let mut store = state.store().unwrap();
        let id = store
            .create_assessment(
                c,
                &NewAssessment {
                    fiscal_year: fy,
                    checklist_id: c.id.clone(),
                    sheet: tenken_core::assessment::Sheet::Clinic,
                    profile: Default::default(),
                    assessor: Default::default(),
                },
            )
            .unwrap();
        store.set_answers(id, c, answers).unwrap();
    }

    #[test]
    fn r6_and_r7_years_side_by_side() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let lists = tenken_core::checklist::builtin().unwrap();
        let r6 = lists.iter().find(|c| c.id == "mhlw-r6").unwrap();
        let r7 = lists.iter().find(|c| c.id == "mhlw-r7").unwrap();

        // One year only: no error, that year alone.
        year(
            &state,
            r6,
            2024,
            &[
                answer("2-6", Scope::Server, AnswerValue::Yes, None),
                answer("1-1", Scope::General, AnswerValue::No, Some("2025-03-31")),
            ],
        );
        let h = history_in(&state).unwrap();
        assert_eq!(h.years.len(), 1);
        assert_eq!(
            (h.years[0].fiscal_year, h.years[0].yes, h.years[0].no),
            (2024, 1, 1)
        );
        assert!(h.years[0].checklist_title.ja.contains("チェックリスト"));

        year(
            &state,
            r7,
            2025,
            &[
                answer("2-11", Scope::Server, AnswerValue::No, Some("2026-03-31")),
                answer("1-1", Scope::General, AnswerValue::Yes, None),
                answer("2-7", Scope::General, AnswerValue::Yes, None),
            ],
        );
        let h = history_in(&state).unwrap();
        assert_eq!(
            h.years.iter().map(|y| y.fiscal_year).collect::<Vec<_>>(),
            [2024, 2025]
        );

        let c = compare_in(&state, 2024, 2025).unwrap();
        assert!(!c.same_checklist);
        assert_eq!(
            (c.from.checklist_id.as_str(), c.to.checklist_id.as_str()),
            ("mhlw-r6", "mhlw-r7")
        );
        // MHLW order of R7: the gate item first, 2-11 after 2-7.
        assert_eq!(c.rows[0].item_id, "0");
        let pos = |id: &str| c.rows.iter().position(|r| r.item_id == id).unwrap();
        assert!(pos("1-1") < pos("2-7") && pos("2-7") < pos("2-11"));

        let row = |id: &str, sc: crate::dto::ScopeDto| {
            c.rows
                .iter()
                .find(|r| r.item_id == id && r.scope == sc)
                .unwrap()
        };
        let reg = row("2-11", crate::dto::ScopeDto::Server);
        assert_eq!(
            reg.earlier_numbers,
            [r6.item("2-6").unwrap().number.clone()]
        );
        assert_eq!(reg.number, r7.item("2-11").unwrap().number);
        assert_eq!(reg.before, Some(AnswerValueDto::Yes));
        assert_eq!(reg.after, AnswerValueDto::No);
        assert_eq!(reg.change, RowChangeDto::Regressed);

        let imp = row("1-1", crate::dto::ScopeDto::General);
        assert_eq!(imp.change, RowChangeDto::Improved);
        assert_eq!(imp.target_date.as_deref(), Some("2025-03-31"));
        assert_eq!(imp.target_state, Some(TargetStateDto::Met));

        let new = c.rows.iter().find(|r| r.item_id == "2-7").unwrap();
        assert_eq!((new.before, new.change), (None, RowChangeDto::New));
        assert!(new.earlier_numbers.is_empty());
        assert!(
            c.rows
                .iter()
                .filter(|r| r.change == RowChangeDto::Unchanged)
                .all(|r| r.before == Some(r.after))
        );
    }

    #[test]
    fn bad_years_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        assert_eq!(
            compare_in(&state, 2025, 2025).unwrap_err().code,
            "invalid_input"
        );
        assert_eq!(
            compare_in(&state, 2026, 2025).unwrap_err().code,
            "invalid_input"
        );
        assert_eq!(
            compare_in(&state, 1800, 2025).unwrap_err().code,
            "invalid_input"
        );
        assert_eq!(
            compare_in(&state, 2023, 2024).unwrap_err().code,
            "not_found"
        );
        assert!(history_in(&state).unwrap().years.is_empty());
    }
}
