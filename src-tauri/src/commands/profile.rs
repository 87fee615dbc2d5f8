//! The clinic profile (first launch).

use tauri::State;

use crate::dto::{CmdResult, ProfileDto};
use crate::state::AppState;
use crate::validate;

/// The saved profile, or `null` on first launch.
#[tauri::command]
pub fn get_profile(state: State<'_, AppState>) -> CmdResult<Option<ProfileDto>> {
    state.read(|d| d.profile.clone())
}

/// Saves the profile after validation.
#[tauri::command]
pub fn save_profile(state: State<'_, AppState>, profile: ProfileDto) -> CmdResult<()> {
    validate::profile(&profile)?;
    state.update(|d| {
        d.profile = Some(profile);
        Ok(())
    })
}
