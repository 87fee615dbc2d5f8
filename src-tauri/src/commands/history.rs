//! Past years side by side.

use crate::dto::{CmdResult, CommandError};

/// Per fiscal year: (year, yes, no, not applicable, unanswered).
///
/// TEMPORARY SEAM: wired to `tenken_core::store` by the lead after merging.
#[tauri::command]
pub fn history() -> CmdResult<Vec<(u16, u32, u32, u32, u32)>> {
    Err(CommandError::not_ready("過去の記録", "History"))
}
