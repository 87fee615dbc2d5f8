//! Devices ledger and imported evidence bundles.

use crate::dto::{CmdResult, CommandError};

/// The device ledger as JSON rows.
///
/// TEMPORARY SEAM: wired to `tenken_core::store` by the lead after merging.
#[tauri::command]
pub fn list_devices() -> CmdResult<Vec<serde_json::Value>> {
    Err(CommandError::not_ready("端末台帳", "The device ledger"))
}

/// Imports an evidence bundle collected on another PC (file picker or drag-drop path).
///
/// TEMPORARY SEAM.
#[tauri::command]
pub async fn import_bundle(path: String) -> CmdResult<()> {
    if path.is_empty() {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    Err(CommandError::not_ready("証跡の取り込み", "Bundle import"))
}
