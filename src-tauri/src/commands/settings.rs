//! Settings: language, text size, never-touch list, data location, certificate.

use tauri::State;

use crate::dto::{CmdResult, CommandError, DataLocation, SettingsDto};
use crate::state::AppState;
use crate::validate;

/// Current settings.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> CmdResult<SettingsDto> {
    state.read(|d| d.settings.clone())
}

/// Saves settings after validation.
#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: SettingsDto) -> CmdResult<()> {
    validate::settings(&settings)?;
    state.update(|d| {
        d.settings = settings;
        Ok(())
    })
}

/// Where data is kept.
#[tauri::command]
pub fn data_location(state: State<'_, AppState>) -> CmdResult<DataLocation> {
    Ok(DataLocation {
        dir: state.dir().display().to_string(),
        state_file: state.file().display().to_string(),
    })
}

/// Signing certificate summary (subject, fingerprint, validity).
///
/// TEMPORARY SEAM: wired to `tenken_core::sign` by the lead after merging.
#[tauri::command]
pub fn certificate_info() -> CmdResult<Option<String>> {
    Err(CommandError::not_ready("証明書", "Certificate"))
}

/// Generates a new self-signed signing certificate.
///
/// TEMPORARY SEAM.
#[tauri::command]
pub async fn generate_certificate() -> CmdResult<String> {
    Err(CommandError::not_ready(
        "証明書の作成",
        "Certificate generation",
    ))
}

/// Imports a .p12 certificate.
///
/// TEMPORARY SEAM.
#[tauri::command]
pub async fn import_certificate(path: String, password: String) -> CmdResult<String> {
    if path.is_empty() || password.len() > 1024 {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    Err(CommandError::not_ready(
        "証明書の取り込み",
        "Certificate import",
    ))
}
