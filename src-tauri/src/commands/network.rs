//! Network check: first show exactly what will be contacted, then run only after consent.

use crate::dto::{CmdResult, CommandError};
use crate::validate;

/// What the network check would contact (for the consent dialog).
///
/// TEMPORARY SEAM: wired to `tenken_core::net` by the lead after merging.
#[tauri::command]
pub fn network_plan() -> CmdResult<Vec<String>> {
    Err(CommandError::not_ready(
        "ネットワーク確認",
        "The network check",
    ))
}

/// Runs the network check after the user consented to `targets` (exactly the plan shown).
///
/// TEMPORARY SEAM.
#[tauri::command]
pub async fn start_network_check(
    task: String,
    consent: bool,
    targets: Vec<String>,
) -> CmdResult<()> {
    validate::id(&task)?;
    if !consent || targets.is_empty() {
        return Err(CommandError::invalid(
            "確認する相手に同意してから始めてください",
            "Consent to the listed targets first",
        ));
    }
    Err(CommandError::not_ready(
        "ネットワーク確認",
        "The network check",
    ))
}
