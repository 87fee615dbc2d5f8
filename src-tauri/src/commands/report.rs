//! Signed PDF + XLSX report and verification of a report file.

use crate::dto::{CmdResult, CommandError};
use crate::validate;

/// Generates the signed PDF and the XLSX into `dir`; returns the written paths.
///
/// TEMPORARY SEAM: wired to `tenken_core::report` + `tenken_core::sign` by the lead after merging.
#[tauri::command]
pub async fn generate_report(
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
    Err(CommandError::not_ready("報告書の作成", "Report generation"))
}

/// Verifies the signature of a dropped or chosen PDF; returns a plain verdict.
///
/// TEMPORARY SEAM.
#[tauri::command]
pub async fn verify_report(path: String) -> CmdResult<String> {
    if path.is_empty() {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    Err(CommandError::not_ready(
        "署名の確認",
        "Signature verification",
    ))
}
