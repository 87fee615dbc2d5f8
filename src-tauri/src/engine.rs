//! Thin helpers over `tenken_core` shared by several commands (no logic of their own).

use std::path::Path;

use tenken_core::Which;
use tenken_core::assessment::Assessment;
use tenken_core::checklist::Checklist;

use crate::dto::CommandError;
use crate::state::AppState;

/// The checklist versions the engine knows (built-in MHLW versions plus imported ones in the
/// data directory).
pub(crate) fn checklists(data_dir: &Path) -> Result<Vec<Checklist>, CommandError> {
    tenken_core::checklist::all(Some(data_dir)).map_err(CommandError::of)
}

/// Today's date on this PC (fiscal years follow local time).
pub(crate) fn today() -> chrono::NaiveDate {
    tenken_core::Session::today()
}

/// This fiscal year's assessment for `checklist_id` (created on first use) and its checklist.
pub(crate) fn assessment_for(
    state: &AppState,
    checklist_id: &str,
) -> Result<(Assessment, Checklist), CommandError> {
    state
        .session()?
        .assessment_with_checklist(Which::Checklist(checklist_id))
        .map_err(CommandError::of)
}

/// This fiscal year's assessment (the institution's own, created with the latest official
/// checklist when there is none yet).
pub(crate) fn current_assessment(state: &AppState) -> Result<Assessment, CommandError> {
    state
        .session()?
        .assessment(Which::ThisYear)
        .map_err(CommandError::of)
}

/// Runs a command's work on a blocking worker thread, never on the window's main thread (disk,
/// database, key store and processes can all take a while); `f` gets the app and its state.
pub(crate) async fn off_main<T: Send + 'static>(
    app: tauri::AppHandle,
    f: impl FnOnce(&tauri::AppHandle, &AppState) -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(move || {
        use tauri::Manager;
        let state = app.state::<AppState>();
        f(&app, &state)
    })
    .await
    .map_err(CommandError::internal)?
}
