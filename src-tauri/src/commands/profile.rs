//! The clinic profile (first launch), kept by the engine's store.

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
                systems: v.systems,
            })
            .collect(),
        assessor: String::new(),
    }
}

/// The UI's profile as the engine keeps it, every field trimmed (the UI edits all of it,
/// vendors' systems included, so nothing is taken from the previous profile).
pub fn from_dto(p: ProfileDto) -> ClinicProfile {
    let trim_all = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_string()).collect();
    ClinicProfile {
        name: p.name.trim().to_string(),
        address: p.address.trim().to_string(),
        administrator: p.administrator.trim().to_string(),
        security_officer: p.security_officer.trim().to_string(),
        systems: trim_all(p.systems),
        vendors: p
            .vendors
            .into_iter()
            .map(|v| Vendor {
                name: v.name.trim().to_string(),
                contact: v.contact.trim().to_string(),
                systems: trim_all(v.systems),
            })
            .collect(),
    }
}

/// The saved profile, or `null` on first launch.
#[tauri::command]
pub async fn get_profile(app: tauri::AppHandle) -> CmdResult<Option<ProfileDto>> {
    crate::engine::off_main(app, move |_app, state| {
        let store = state.store()?;
        let fy = tenken_core::assessment::fiscal_year_of(crate::engine::today());
        let assessor = store
            .own_assessment(fy)
            .map_err(CommandError::of)?
            .map(|a| a.assessor.name)
            .unwrap_or_default();
        Ok(store
            .get_profile()
            .map_err(CommandError::of)?
            .map(|p| ProfileDto {
                assessor,
                ..to_dto(p)
            }))
    })
    .await
}

/// Saves the profile after validation (committed immediately).
#[tauri::command]
pub async fn save_profile(app: tauri::AppHandle, profile: ProfileDto) -> CmdResult<()> {
    crate::engine::off_main(app, move |_app, state| save(state, profile)).await
}

/// Saves the profile and copies it into this fiscal year's assessments (like `tenken profile`),
/// so the next report and the signing certificate carry the clinic's name even when the year's
/// assessment was opened before the profile was entered (first launch).
pub fn save(state: &AppState, profile: ProfileDto) -> CmdResult<()> {
    validate::profile(&profile)?;
    let mut store = state.store()?;
    let assessor = profile.assessor.clone();
    let p = from_dto(profile);
    store.set_profile(&p).map_err(CommandError::of)?;
    let fy = tenken_core::assessment::fiscal_year_of(crate::engine::today());
    store
        .apply_profile_to_fiscal_year(fy, &p)
        .map_err(CommandError::of)?;
    // 点検者 belongs to the year's clinic assessments (as `tenken profile set --assessor` sets
    // it); a vendor's answer set keeps its own.
    let assessor = tenken_core::assessment::Assessor {
        name: assessor.trim().to_string(),
        company: None,
    };
    for a in store.list_assessments().map_err(CommandError::of)? {
        if a.fiscal_year == fy
            && a.sheet != tenken_core::assessment::Sheet::Vendor
            && a.assessor.name != assessor.name
        {
            store
                .set_assessor(a.id, &assessor)
                .map_err(CommandError::of)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Issue 15 item 6: 点検者 is entered with the profile, kept with this year's assessment (so
    /// the report prints it) and shown again.
    #[test]
    fn assessor_is_saved_to_this_years_assessment_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let a = crate::engine::current_assessment(&state).unwrap();
        assert!(a.assessor.name.is_empty());
        save(
            &state,
            ProfileDto {
                name: "さくら内科クリニック".into(),
                assessor: " 事務長 佐藤 ".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let after = state.store().unwrap().get_assessment(a.id).unwrap();
        assert_eq!(after.assessor.name, "事務長 佐藤");
        let long = ProfileDto {
            name: "さくら内科クリニック".into(),
            assessor: "あ".repeat(1000),
            ..Default::default()
        };
        assert!(save(&state, long).is_err(), "too long is refused");
        let still = state.store().unwrap().get_assessment(a.id).unwrap();
        assert_eq!(
            still.assessor.name, "事務長 佐藤",
            "a refused save changes nothing"
        );
    }

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

    fn clinic() -> ProfileDto {
        ProfileDto {
            name: "さくら内科クリニック".into(),
            address: "東京都千代田区1-1".into(),
            administrator: "山田 太郎".into(),
            security_officer: "佐藤 花子".into(),
            systems: vec![
                "電子カルテ".into(),
                "レセコン".into(),
                "オンライン資格確認".into(),
                "予約アプリ（自院）".into(),
            ],
            vendors: vec![
                VendorDto {
                    name: "カルテ販売株式会社".into(),
                    contact: "田中 03-1234-5678 tanaka@example.jp".into(),
                    systems: vec!["電子カルテ".into(), "レセコン".into()],
                },
                VendorDto {
                    name: "回線サービス".into(),
                    contact: String::new(),
                    systems: vec!["オンライン資格確認".into()],
                },
            ],
            assessor: String::new(),
        }
    }

    #[test]
    fn save_then_load_keeps_everything_incl_vendor_systems() {
        let dir = tempfile::tempdir().unwrap();
        {
            let state = AppState::open(dir.path()).unwrap();
            save(&state, clinic()).unwrap();
        }
        // A new AppState on the same folder: what the app sees after a restart.
        let state = AppState::open(dir.path()).unwrap();
        let stored = state.store().unwrap().get_profile().unwrap().unwrap();
        assert_eq!(to_dto(stored), clinic());
        // Editing later: a vendor removed, another's systems changed; nothing stale comes back.
        let mut edited = clinic();
        edited.vendors.remove(1);
        edited.vendors[0].systems = vec!["レセコン".into()];
        save(&state, edited.clone()).unwrap();
        let stored = state.store().unwrap().get_profile().unwrap().unwrap();
        assert_eq!(to_dto(stored), edited);
        // The year's assessment carries the vendors too (the report lists them).
        let a = crate::engine::current_assessment(&state).unwrap();
        assert_eq!(a.profile.vendors[0].systems, vec!["レセコン".to_string()]);
    }

    #[test]
    fn invalid_profile_is_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        save(&state, clinic()).unwrap();
        let mut bad = clinic();
        bad.vendors[1].name = "カルテ販売株式会社".into();
        let e = save(&state, bad).unwrap_err();
        assert_eq!(e.code, "invalid_input");
        let stored = state.store().unwrap().get_profile().unwrap().unwrap();
        assert_eq!(to_dto(stored), clinic());
    }

    #[test]
    fn saved_fields_are_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let mut p = clinic();
        p.name = "  さくら内科クリニック ".into();
        p.vendors[0].name = " カルテ販売株式会社".into();
        p.vendors[0].systems = vec![" 電子カルテ ".into()];
        save(&state, p).unwrap();
        let stored = state.store().unwrap().get_profile().unwrap().unwrap();
        assert_eq!(stored.name, "さくら内科クリニック");
        assert_eq!(stored.vendors[0].name, "カルテ販売株式会社");
        assert_eq!(stored.vendors[0].systems, vec!["電子カルテ".to_string()]);
    }
}
