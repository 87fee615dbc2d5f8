//! Settings: language, text size, never-touch list, data location, signing certificate. (The
//! report folder is set through `commands::report`.)

use tauri::{AppHandle, Manager, State};
use tenken_core::sign::keystore::KeyStore;

use crate::dto::{CmdResult, CommandError, DataLocation, SettingsDto};
use crate::dto_settings::CertificateDto;
use crate::state::AppState;
use crate::validate;

/// Current settings.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> CmdResult<SettingsDto> {
    state.read(|d| d.settings.clone())
}

/// Saves settings after validation.
#[tauri::command]
pub async fn save_settings(app: tauri::AppHandle, settings: SettingsDto) -> CmdResult<()> {
    crate::engine::off_main(app, move |_app, state| {
        validate::settings(&settings)?;
        state.update(|d| {
            d.settings = settings;
            Ok(())
        })
    })
    .await
}

/// Where data is kept.
#[tauri::command]
pub async fn data_location(app: tauri::AppHandle) -> CmdResult<DataLocation> {
    crate::engine::off_main(app, move |_app, state| {
        Ok(DataLocation {
            dir: state.dir().display().to_string(),
            state_file: state.store_path()?.display().to_string(),
        })
    })
    .await
}

/// Signing certificate (subject, fingerprint, validity, source), `null` when none exists yet.
#[tauri::command]
pub async fn certificate_info(app: tauri::AppHandle) -> CmdResult<Option<CertificateDto>> {
    crate::engine::off_main(app, move |_app, state| {
        let keys = KeyStore::open(state.dir());
        if !keys.exists() {
            return Ok(None);
        }
        let info = keys.certificate_info().map_err(CommandError::of)?;
        Ok(Some(CertificateDto::from(&info)))
    })
    .await
}

/// Generates a new self-signed signing certificate (named after the clinic); an existing key is
/// never replaced from the app.
#[tauri::command]
pub async fn generate_certificate(app: AppHandle) -> CmdResult<CertificateDto> {
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let name = state
            .store()?
            .get_profile()
            .map_err(CommandError::of)?
            .map(|p| p.name)
            .unwrap_or_default();
        let keys = KeyStore::open(state.dir());
        if keys.exists() {
            return Err(CommandError::invalid(
                "署名用の証明書はもうあります。作り直すと、これまでの報告書と見分けがつかなくなるため、アプリからは作り直しません。",
                "A signing certificate already exists; the app never replaces it.",
            ));
        }
        let info = keys.generate(&name, false).map_err(CommandError::of)?;
        Ok(CertificateDto::from(&info))
    })
    .await
    .map_err(CommandError::internal)?
}

/// Imports a company certificate from a PKCS#12 file (.p12 / .pfx).
#[tauri::command]
pub async fn import_certificate(
    app: AppHandle,
    path: String,
    password: String,
) -> CmdResult<CertificateDto> {
    crate::paths::chosen(&app, &path)?;
    if password.len() > 1024 {
        return Err(CommandError::invalid(
            "パスワードが長すぎます",
            "The password is too long",
        ));
    }
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let meta = std::fs::metadata(&path).map_err(CommandError::of)?;
        if !meta.is_file() || meta.len() > 1024 * 1024 {
            return Err(CommandError::invalid(
                "証明書ファイル（.p12 / .pfx）を選んでください",
                "Choose a certificate file (.p12 / .pfx)",
            ));
        }
        let bytes = std::fs::read(&path).map_err(CommandError::of)?;
        let keys = KeyStore::open(state.dir());
        let info = keys
            .import_p12(&bytes, &password)
            .map_err(CommandError::of)?;
        Ok(CertificateDto::from(&info))
    })
    .await
    .map_err(CommandError::internal)?
}
