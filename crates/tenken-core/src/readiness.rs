//! The readiness review before signing, gathered from the store: the assessment, its checklist,
//! its current evidence bundles and the vendor sheets of its fiscal year go into the pure
//! review ([`crate::assessment::readiness::review`]). Both faces show it before signing; the
//! signed report prints what was open ([`crate::workflow::signed_report`]).

use std::path::Path;

use chrono::{DateTime, Local, Utc};

use crate::assessment::readiness::{self, Readiness, ReadinessInput, VendorSheetState};
use crate::checklist;
use crate::store::{Store, VendorStatus};
use crate::workflow::{WorkflowError, current_verdicts};

pub use crate::assessment::readiness::{
    FixTarget, GapKind, OLD_AFTER_DAYS, ReadinessCounts, ReadinessEntry,
};

/// Reviews assessment `assessment_id` at `now`: everything still open before signing.
pub fn review(
    store: &Store,
    data_dir: &Path,
    assessment_id: i64,
    now: DateTime<Utc>,
) -> Result<Readiness, WorkflowError> {
    let bundles = current_verdicts(store, assessment_id)?;
    review_with(store, data_dir, assessment_id, &bundles, now)
}

/// [`review`] with the assessment's current bundles already read (the review reads their
/// hosts, times and verdicts: [`crate::evidence::Bundle::keep_verdicts_only`] is enough).
pub fn review_with(
    store: &Store,
    data_dir: &Path,
    assessment_id: i64,
    bundles: &[crate::evidence::Bundle],
    now: DateTime<Utc>,
) -> Result<Readiness, WorkflowError> {
    let assessment = store.get_assessment(assessment_id)?;
    let checklist = checklist::find(&assessment.checklist_id, Some(data_dir))?;
    let vendor_sheets: Vec<VendorSheetState> = store
        .vendor_sheets(Some(assessment.fiscal_year))?
        .into_iter()
        .map(|s| VendorSheetState {
            vendor: s.vendor,
            returned: s.status != VendorStatus::Requested,
        })
        .collect();
    Ok(readiness::review(&ReadinessInput {
        checklist: &checklist,
        assessment: &assessment,
        bundles,
        vendor_sheets: &vendor_sheets,
        now,
        today: now.with_timezone(&Local).date_naive(),
    }))
}
