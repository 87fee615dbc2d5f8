//! Vendor sheet (事業者確認用).

use crate::dto::{CmdResult, CommandError};

/// Exports the vendor sheet to send to a vendor.
///
/// TEMPORARY SEAM: wired to `tenken_core::report` by the lead after merging.
#[tauri::command]
pub async fn export_vendor_sheet(path: String) -> CmdResult<()> {
    if path.is_empty() {
        return Err(CommandError::invalid(
            "保存先を選んでください",
            "Choose where to save",
        ));
    }
    Err(CommandError::not_ready(
        "事業者確認用シート",
        "The vendor sheet",
    ))
}
