//! An assessment created with answers already in it, in one transaction: used when an assessment
//! moves to the next checklist version (`tenken assessment move`). Either the new assessment
//! exists with all carried answers, or nothing changed.

use chrono::Utc;
use rusqlite::TransactionBehavior;
use tenken_assessment::Answer;
use tenken_checklist::Checklist;

use super::{
    NewAssessment, Result, Store, StoreError, insert_assessment, validate_batch, write_answer,
};

impl Store {
    /// Creates an assessment for `checklist` holding `answers`, all-or-nothing: every answer is
    /// validated first (the first bad one is reported by position and nothing is written).
    pub fn create_assessment_with_answers(
        &mut self,
        checklist: &Checklist,
        new: &NewAssessment,
        answers: &[Answer],
    ) -> Result<i64> {
        if checklist.id != new.checklist_id {
            return Err(StoreError::ChecklistMismatch {
                expected: new.checklist_id.clone(),
                given: checklist.id.clone(),
            });
        }
        if !checklist.sheets.iter().any(|s| s.id == new.sheet.as_str()) {
            return Err(StoreError::UnknownSheet(new.sheet));
        }
        validate_batch(checklist, new.sheet, answers)?;
        let now = Utc::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = insert_assessment(&tx, new, now)?;
        for ans in answers {
            write_answer(&tx, id, ans, now)?;
        }
        tx.commit()?;
        Ok(id)
    }
}
