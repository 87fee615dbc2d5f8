//! Signed PDF + XLSX report and verification of a report or bundle file.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};
use tenken_core::Lang;
use tenken_core::sign::keystore::KeyStore;
use tenken_core::sign::verify::{Status, VerifyReport};

use crate::dto::{CmdResult, CommandError};
use crate::state::AppState;
use crate::validate;

/// The language chosen in the settings.
pub fn lang(state: &AppState) -> Lang {
    match state.read(|d| d.settings.lang.clone()).as_deref() {
        Ok("en") => Lang::En,
        _ => Lang::Ja,
    }
}

/// Writes the signed PDF (and the XLSX checklist) of this fiscal year's assessment for
/// `checklist_id` into `dir`, records the report in the store and returns the written paths.
pub fn write_report(state: &AppState, checklist_id: &str, dir: &Path) -> CmdResult<Vec<String>> {
    let lang = lang(state);
    let (a, checklist) = crate::engine::assessment_for(state, checklist_id)?;
    let now = chrono::Utc::now();
    let stamp = now
        .with_timezone(&chrono::Local)
        .format("%Y%m%d-%H%M%S")
        .to_string();
    let pdf_path: PathBuf = dir.join(format!("tenken-report-FY{}-{stamp}.pdf", a.fiscal_year));
    let xlsx_path: PathBuf = dir.join(format!("tenken-checklist-FY{}-{stamp}.xlsx", a.fiscal_year));
    let keys = KeyStore::open(state.dir());
    let mut store = state.store()?;
    let signed = tenken_core::workflow::signed_report(&store, &keys, state.dir(), a.id, lang, now)
        .map_err(CommandError::engine)?;
    tenken_core::workflow::write_file(&pdf_path, &signed.pdf).map_err(CommandError::io)?;
    store
        .add_report(Some(a.id), &pdf_path)
        .map_err(CommandError::io)?;
    let current = store.get_assessment(a.id).map_err(CommandError::io)?;
    drop(store);
    tenken_core::report::xlsx::export_xlsx(&checklist, &[&current], lang, &xlsx_path)
        .map_err(CommandError::engine)?;
    Ok(vec![
        pdf_path.display().to_string(),
        xlsx_path.display().to_string(),
    ])
}

/// Generates the signed PDF and the XLSX into `dir`; returns the written paths.
#[tauri::command]
pub async fn generate_report(
    app: AppHandle,
    task: String,
    checklist_id: String,
    dir: String,
) -> CmdResult<Vec<String>> {
    validate::id(&task)?;
    validate::id(&checklist_id)?;
    if dir.is_empty() {
        return Err(CommandError::invalid(
            "保存先を選んでください",
            "Choose where to save",
        ));
    }
    let dir = PathBuf::from(dir);
    if !dir.is_dir() {
        return Err(CommandError::invalid(
            "保存先のフォルダが見つかりません",
            "The folder to save into does not exist",
        ));
    }
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        write_report(&state, &checklist_id, &dir)
    })
    .await
    .map_err(CommandError::io)?
}

/// A readable verdict of a verification report in the chosen language.
pub fn verdict_text(r: &VerifyReport, lang: Lang) -> String {
    let head = match r.status {
        Status::Valid => lang.pick(
            "署名は有効です。作成後に変更されていません。",
            "The signature is valid. The file has not been changed since it was signed.",
        ),
        Status::Invalid => lang.pick(
            "署名が無効です。署名がないか、署名後に変更されています。",
            "The signature is NOT valid: unsigned, or changed after signing.",
        ),
        Status::CouldNotCheck => lang.pick(
            "確認できませんでした（未確認）。",
            "Could not be checked (unknown).",
        ),
    };
    let mut out = head.to_string();
    for s in &r.signatures {
        if let Some(name) = s.signer.as_deref().or(s.signer_subject.as_deref()) {
            out.push_str(&format!(" {} {name}", lang.pick("署名者:", "Signer:")));
        }
        if let Some(t) = &s.signing_time {
            out.push_str(&format!(" {} {t}", lang.pick("署名日時:", "Signed at:")));
        }
        if let Some(fp) = &s.fingerprint_sha256 {
            out.push_str(&format!(" SHA-256: {fp}"));
        }
        for p in &s.problems {
            out.push_str(&format!(" [{p}]"));
        }
    }
    if let Some(m) = &r.message {
        out.push_str(&format!(" ({m})"));
    }
    out
}

/// Verifies the signature of a dropped or chosen PDF or evidence bundle; returns a plain verdict.
#[tauri::command]
pub async fn verify_report(app: AppHandle, path: String) -> CmdResult<String> {
    if path.is_empty() {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    tokio::task::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(CommandError::io)?;
        let report = tenken_core::sign::verify::verify_file(&bytes);
        let state = app.state::<AppState>();
        Ok(verdict_text(&report, lang(&state)))
    })
    .await
    .map_err(CommandError::io)?
}
