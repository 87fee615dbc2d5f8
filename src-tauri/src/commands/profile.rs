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
    validate::profile(&profile)?;
    let mut store = state.store()?;
    let old = store.get_profile().map_err(CommandError::io)?;
    let p = from_dto(profile, old.as_ref());
    store.set_profile(&p).map_err(CommandError::io)
}
