//! Past years side by side.

use tauri::State;

use crate::dto::{CmdResult, CommandError};
use crate::state::AppState;

/// One fiscal year: (year, yes, no, not applicable, unanswered).
pub type YearCounts = (u16, u32, u32, u32, u32);

/// Per fiscal year: (year, yes, no, not applicable, unanswered), newest first (clinic sheets).
#[tauri::command]
pub fn history(state: State<'_, AppState>) -> CmdResult<Vec<YearCounts>> {
    let store = state.store()?;
    let entries = store.history().map_err(CommandError::io)?;
    Ok(entries
        .into_iter()
        .filter(|h| h.sheet != "vendor")
        .map(|h| {
            let unanswered = h.answers.saturating_sub(h.yes + h.no + h.not_applicable);
            (h.fiscal_year, h.yes, h.no, h.not_applicable, unanswered)
        })
        .collect())
}
