//! The clinic profile (first launch), kept by the engine's store.

use tauri::State;
use tenken_core::assessment::{ClinicProfile, Vendor};

use crate::dto::{CmdResult, CommandError, ProfileDto, VendorDto};
use crate::state::AppState;
use crate::validate;

/// The engine's profile as the UI shows it.
pub fn to_dto(p: ClinicProfile) -> ProfileDto {
    ProfileDto {
        name: p.name,
        address: p.address,
        administrator: p.administrator,
        security_officer: p.security_officer,
        systems: p.systems,
        vendors: p
            .vendors
            .into_iter()
            .map(|v| VendorDto {
                name: v.name,
                contact: v.contact,
            })
            .collect(),
    }
}

/// The UI's profile as the engine keeps it; vendor details the UI does not edit are kept from
/// `old` (matched by name).
pub fn from_dto(p: ProfileDto, old: Option<&ClinicProfile>) -> ClinicProfile {
    let vendors = p
        .vendors
        .into_iter()
        .map(|v| {
            let mut kept = old
                .and_then(|o| o.vendors.iter().find(|x| x.name == v.name).cloned())
                .unwrap_or_else(|| Vendor {
                    name: v.name.clone(),
                    contact: String::new(),
                    systems: Vec::new(),
                });
            kept.contact = v.contact;
            kept
        })
        .collect();
    ClinicProfile {
        name: p.name,
        address: p.address,
        administrator: p.administrator,
        security_officer: p.security_officer,
        systems: p.systems,
        vendors,
    }
}

/// The saved profile, or `null` on first launch.
#[tauri::command]
pub fn get_profile(state: State<'_, AppState>) -> CmdResult<Option<ProfileDto>> {
    let store = state.store()?;
    Ok(store.get_profile().map_err(CommandError::io)?.map(to_dto))
}

/// Saves the profile after validation (committed immediately).
#[tauri::command]
pub fn save_profile(state: State<'_, AppState>, profile: ProfileDto) -> CmdResult<()> {
    save(&state, profile)
}

/// Saves the profile and copies it into this fiscal year's assessments (like `tenken profile`),
/// so the next report and the signing certificate carry the clinic's name even when the year's
/// assessment was opened before the profile was entered (first launch).
pub fn save(state: &AppState, profile: ProfileDto) -> CmdResult<()> {
    validate::profile(&profile)?;
    let mut store = state.store()?;
    let old = store.get_profile().map_err(CommandError::io)?;
    let p = from_dto(profile, old.as_ref());
    store.set_profile(&p).map_err(CommandError::io)?;
    let fy = tenken_core::assessment::fiscal_year_of(crate::engine::today());
    store
        .apply_profile_to_fiscal_year(fy, &p)
        .map_err(CommandError::io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn profile_entered_after_the_year_was_opened_reaches_its_assessment() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        // First launch: the UI loads the answers (opening this year's assessment) before the
        // profile exists.
        let before = crate::engine::current_assessment(&state).unwrap();
        assert!(before.profile.name.is_empty());
        save(
            &state,
            ProfileDto {
                name: "さくら内科クリニック".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let after = state.store().unwrap().get_assessment(before.id).unwrap();
        assert_eq!(after.profile.name, "さくら内科クリニック");
        assert_eq!(
            crate::engine::current_assessment(&state).unwrap().id,
            before.id
        );
    }
}
