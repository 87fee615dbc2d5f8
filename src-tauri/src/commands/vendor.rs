//! Vendor sheet (事業者確認用): the answer request sent to the clinic's vendor.

use tauri::{AppHandle, Manager};

use crate::dto::{CmdResult, CommandError};
use crate::state::AppState;

/// Exports the vendor answer request (`tenken_core::vendor::request`) for this fiscal year to
/// `path`, addressed to the first vendor of the clinic profile.
#[tauri::command]
pub async fn export_vendor_sheet(app: AppHandle, path: String) -> CmdResult<()> {
    if path.is_empty() {
        return Err(CommandError::invalid(
            "保存先を選んでください",
            "Choose where to save",
        ));
    }
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let fy = tenken_core::assessment::fiscal_year_of(crate::engine::today());
        let (profile, year) = {
            let store = state.store()?;
            (
                store
                    .get_profile()
                    .map_err(CommandError::io)?
                    .unwrap_or_default(),
                tenken_core::compare::year_assessment(&store, fy).map_err(CommandError::engine)?,
            )
        };
        let lists = crate::engine::checklists(state.dir())?;
        let has_vendor =
            |c: &&tenken_core::checklist::Checklist| c.sheets.iter().any(|s| s.id == "vendor");
        let cl = year
            .and_then(|a| lists.iter().find(|c| c.id == a.checklist_id))
            .filter(has_vendor)
            .or_else(|| {
                lists
                    .iter()
                    .filter(has_vendor)
                    .max_by_key(|c| c.fiscal_year)
            })
            .ok_or_else(|| {
                CommandError::not_found(
                    "事業者確認用シートのあるチェックリストがありません",
                    "No checklist has a vendor sheet",
                )
            })?;
        let vendor = profile
            .vendors
            .first()
            .map(|v| v.name.clone())
            .unwrap_or_default();
        let req = tenken_core::vendor::request(cl, &profile.name, &vendor, fy);
        let bytes = serde_json::to_vec_pretty(&req).map_err(CommandError::io)?;
        tenken_core::workflow::write_file(std::path::Path::new(&path), &bytes)
            .map_err(CommandError::io)
    })
    .await
    .map_err(CommandError::io)?
}
