//! Devices ledger and imported evidence bundles.

use tauri::{AppHandle, Manager, State};

use crate::dto::{CmdResult, CommandError};
use crate::state::AppState;

/// The device ledger of this fiscal year's assessment as JSON rows (scanned hosts, then devices
/// entered by hand).
#[tauri::command]
pub fn list_devices(state: State<'_, AppState>) -> CmdResult<Vec<serde_json::Value>> {
    let a = crate::engine::current_assessment(&state)?;
    let store = state.store()?;
    let ledger = tenken_core::ledger::build(&store, a.id).map_err(CommandError::engine)?;
    let mut rows = Vec::new();
    for h in &ledger.hosts {
        rows.push(serde_json::to_value(h).map_err(CommandError::io)?);
    }
    for d in &ledger.devices {
        rows.push(serde_json::to_value(d).map_err(CommandError::io)?);
    }
    Ok(rows)
}

/// Imports an evidence bundle collected on another PC (file picker or drag-drop path); its
/// signature must verify against this installation's key or a trusted certificate.
#[tauri::command]
pub async fn import_bundle(app: AppHandle, path: String) -> CmdResult<()> {
    if path.is_empty() {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let a = crate::engine::current_assessment(&state)?;
        let anchors = tenken_core::vendor::trust::anchors(state.dir());
        let mut store = state.store()?;
        tenken_core::ledger::import::import_file(
            &mut store,
            a.id,
            std::path::Path::new(&path),
            &anchors,
            false,
        )
        .map_err(|e| {
            CommandError::invalid(
                format!("取り込めませんでした: {e}"),
                format!("Not imported: {e}"),
            )
        })?;
        Ok(())
    })
    .await
    .map_err(CommandError::io)?
}
