//! Which checklist version this year's assessment uses, and moving it to a newer one: the
//! engine's single rule for both faces. New assessments take the newest MHLW version loaded
//! (built in or imported, [`checklist::current_mhlw`]); an assessment started on an earlier
//! version moves to the imported one with its answers carried item by item
//! ([`crate::assessment::migrate`]), in one store transaction, the earlier assessment kept.

use std::path::Path;

use serde::Serialize;

use crate::assessment::fiscal_year_of;
use crate::assessment::migrate::{self, MigrationPlan};
use crate::checklist::{self, Checklist};
use crate::store::{NewAssessment, Store};
use crate::workflow::WorkflowError;

/// The checklist the app opens and the CLI uses by default this fiscal year: that of this
/// year's own assessment when there is one, else the newest MHLW version loaded.
pub fn current_checklist_id(
    store: &Store,
    data_dir: &Path,
    today: chrono::NaiveDate,
) -> Result<String, WorkflowError> {
    if let Some(a) = store.own_assessment(fiscal_year_of(today))? {
        return Ok(a.checklist_id);
    }
    let all = checklist::all(Some(data_dir))?;
    checklist::current_mhlw(&all)
        .map(|c| c.id.clone())
        .ok_or(WorkflowError::NoChecklist)
}

/// What moving an assessment to another version does (or did).
#[derive(Debug, Clone, Serialize)]
pub struct MoveOutcome {
    /// The assessment moved from (kept as it is).
    pub from_assessment: i64,
    /// The new assessment, when the move was made (`None` for a preview).
    pub assessment: Option<i64>,
    /// Checklist moved from.
    pub from_checklist: String,
    /// Checklist moved to.
    pub to_checklist: String,
    /// Answers carried, rows to answer anew, rows worth a look.
    pub plan: MigrationPlan,
}

/// The newer MHLW version an assessment on `checklist_id` can move to, when one is loaded.
pub fn newer_version(all: &[Checklist], checklist_id: &str) -> Option<String> {
    let current = all.iter().find(|c| c.id == checklist_id)?;
    checklist::current_mhlw(all)
        .filter(|n| {
            n.fiscal_year > current.fiscal_year && n.previous.as_deref() == Some(checklist_id)
        })
        .map(|n| n.id.clone())
}

/// Plans (and with `apply`, makes) the move of assessment `assessment_id` to checklist `to`.
pub fn move_assessment(
    store: &mut Store,
    data_dir: &Path,
    assessment_id: i64,
    to: &str,
    apply: bool,
) -> Result<MoveOutcome, WorkflowError> {
    let old = store.get_assessment(assessment_id)?;
    let from = checklist::find(&old.checklist_id, Some(data_dir))?;
    let target = checklist::find(to, Some(data_dir))?;
    let plan = migrate::plan(&from, &target, old.sheet, &old.answers)?;
    let assessment = if apply {
        Some(store.create_assessment_with_answers(
            &target,
            &NewAssessment {
                fiscal_year: old.fiscal_year,
                checklist_id: target.id.clone(),
                sheet: plan.sheet,
                profile: old.profile.clone(),
                assessor: old.assessor.clone(),
            },
            &plan.carried,
        )?)
    } else {
        None
    };
    Ok(MoveOutcome {
        from_assessment: old.id,
        assessment,
        from_checklist: from.id,
        to_checklist: target.id,
        plan,
    })
}
