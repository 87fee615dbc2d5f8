//! Settings: language, text size, never-touch list, data location, certificate.

use tauri::{AppHandle, Manager, State};
use tenken_core::sign::keystore::KeyStore;

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
        state_file: state.store_path()?.display().to_string(),
    })
}

/// One line about a key: subject, fingerprint, validity, source.
pub fn key_line(k: &tenken_core::sign::keystore::KeyInfo, lang: tenken_core::Lang) -> String {
    format!(
        "{} — SHA-256 {} — {} {} … {} ({})",
        k.cert.subject,
        k.cert.fingerprint_sha256,
        lang.pick("有効期間", "valid"),
        k.cert.not_before,
        k.cert.not_after,
        k.source.label(lang)
    )
}

/// Signing certificate summary (subject, fingerprint, validity), `null` when none exists yet.
#[tauri::command]
pub fn certificate_info(state: State<'_, AppState>) -> CmdResult<Option<String>> {
    let keys = KeyStore::open(state.dir());
    if !keys.exists() {
        return Ok(None);
    }
    let info = keys.info().map_err(CommandError::engine)?;
    Ok(Some(key_line(&info, crate::commands::report::lang(&state))))
}

/// Generates a new self-signed signing certificate (named after the clinic); an existing key is
/// never replaced from the app.
#[tauri::command]
pub async fn generate_certificate(app: AppHandle) -> CmdResult<String> {
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let name = state
            .store()?
            .get_profile()
            .map_err(CommandError::io)?
            .map(|p| p.name)
            .unwrap_or_default();
        let keys = KeyStore::open(state.dir());
        let info = keys.generate(&name, false).map_err(CommandError::engine)?;
        Ok(key_line(&info, crate::commands::report::lang(&state)))
    })
    .await
    .map_err(CommandError::io)?
}

/// Imports a .p12 certificate.
#[tauri::command]
pub async fn import_certificate(
    app: AppHandle,
    path: String,
    password: String,
) -> CmdResult<String> {
    if path.is_empty() || password.len() > 1024 {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let bytes = std::fs::read(&path).map_err(CommandError::io)?;
        let keys = KeyStore::open(state.dir());
        let info = keys
            .import_p12(&bytes, &password)
            .map_err(CommandError::engine)?;
        Ok(key_line(&info, crate::commands::report::lang(&state)))
    })
    .await
    .map_err(CommandError::io)?
}
