//! The network device ledger (外部接続ネットワーク装置一覧) in the app: list, add or edit a device by
//! hand (checked whole by the engine), remove one, and the known-exploited catalogue (show, install
//! a newer file picked in a dialog). Thin adapters over `tenken_core::ledger` and `tenken_core::kev`.

use tauri::AppHandle;
use tenken_core::ledger::{KevState, NetDevice, NetSource};
use tenken_core::store::Device;

use crate::dto::{CmdResult, CommandError};
use crate::dto_evidence::{DeviceInputDto, KevFlagDto, KevInfoDto, NetDeviceDto};
use crate::state::AppState;

fn dto(r: &NetDevice) -> NetDeviceDto {
    NetDeviceDto {
        name: r.name.clone(),
        kind: r.kind.clone(),
        ip: r.ip.clone(),
        manufacturer: r.manufacturer.clone(),
        model: r.model.clone(),
        firmware: r.firmware.clone(),
        firmware_updated: r.firmware_updated.clone(),
        announced: r.announced.clone(),
        location: r.location.clone(),
        purpose: r.purpose.clone(),
        managed_by: r.managed_by.clone(),
        partner: r.partner.clone(),
        partner_ip: r.partner_ip.clone(),
        method: r.method.clone(),
        ports: r.ports.clone(),
        maintenance: r.maintenance.clone(),
        source: match r.source {
            NetSource::Manual => "manual",
            NetSource::Found => "found",
            NetSource::Both => "both",
        }
        .into(),
        checked_at: r.checked_at.map(|t| t.to_rfc3339()),
        kev_state: match r.kev_state {
            KevState::Flagged => "flagged",
            KevState::NotListed => "not_listed",
            KevState::Stale => "stale",
            KevState::Unidentified => "unidentified",
        }
        .into(),
        kev: r
            .kev
            .iter()
            .map(|f| KevFlagDto {
                vendor: f.vendor.clone(),
                product: f.product.clone(),
                cves: f.cves.clone(),
                ransomware: f.ransomware,
            })
            .collect(),
        kev_date: r.kev_date.clone(),
        snmp_public: r.snmp_public,
        shadow: r.shadow,
        gateway: r.gateway,
    }
}

/// The network device ledger of this fiscal year's assessment.
pub fn network_rows(state: &AppState) -> CmdResult<Vec<NetDeviceDto>> {
    let a = crate::engine::current_assessment(state)?;
    let store = state.store()?;
    let ledger = tenken_core::ledger::build(&store, a.id).map_err(CommandError::of)?;
    Ok(ledger.network.iter().map(dto).collect())
}

/// Saves a hand-entered device after the engine checked it whole; returns the ledger.
pub fn save(state: &AppState, d: DeviceInputDto) -> CmdResult<Vec<NetDeviceDto>> {
    let dev = Device {
        id: 0,
        kind: d.kind,
        name: d.name,
        model: d.model,
        firmware: d.firmware,
        location: d.location,
        managed_by: d.managed_by,
        partner: d.partner,
        method: d.method,
        ports: d.ports,
        manufacturer: d.manufacturer,
        ip: d.ip,
        purpose: d.purpose,
        partner_ip: d.partner_ip,
        maintenance: d.maintenance,
        firmware_updated: d.firmware_updated,
    };
    let dev = tenken_core::ledger::validate_device(dev, chrono::Local::now().date_naive())
        .map_err(CommandError::of)?;
    state
        .store()?
        .upsert_device(&dev)
        .map_err(CommandError::of)?;
    network_rows(state)
}

fn kev_info(c: &tenken_core::kev::Catalogue) -> KevInfoDto {
    KevInfoDto {
        version: c.version.clone(),
        date: c.date(),
        count: u32::try_from(c.vulns.len()).unwrap_or(u32::MAX),
        stale: c.is_stale(chrono::Utc::now()),
        origin: match c.origin {
            tenken_core::kev::Origin::Builtin => "builtin",
            tenken_core::kev::Origin::Installed { .. } => "installed",
        }
        .into(),
    }
}

/// The network device ledger.
#[tauri::command]
pub async fn list_network_devices(app: AppHandle) -> CmdResult<Vec<NetDeviceDto>> {
    crate::engine::off_main(app, move |_app, state| network_rows(state)).await
}

/// Adds or edits (same name) a device entered by hand.
#[tauri::command]
pub async fn save_device(app: AppHandle, device: DeviceInputDto) -> CmdResult<Vec<NetDeviceDto>> {
    crate::engine::off_main(app, move |_app, state| save(state, device)).await
}

/// Removes a device entered by hand.
#[tauri::command]
pub async fn remove_device(app: AppHandle, name: String) -> CmdResult<Vec<NetDeviceDto>> {
    crate::engine::off_main(app, move |_app, state| {
        state
            .store()?
            .remove_device(&name)
            .map_err(CommandError::of)?;
        network_rows(state)
    })
    .await
}

/// The known-exploited catalogue in use.
#[tauri::command]
pub async fn kev_status(app: AppHandle) -> CmdResult<KevInfoDto> {
    crate::engine::off_main(app, move |_app, state| {
        Ok(kev_info(&tenken_core::kev::load(state.dir()).0))
    })
    .await
}

/// Installs a newer catalogue file chosen in the dialog (checked whole; nothing changes when it
/// is refused).
#[tauri::command]
pub async fn install_kev(app: AppHandle, path: String) -> CmdResult<KevInfoDto> {
    let path = crate::paths::chosen(&app, &path)?;
    crate::engine::off_main(app, move |_app, state| {
        let c = tenken_core::kev::install(state.dir(), &path).map_err(CommandError::of)?;
        Ok(kev_info(&c))
    })
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn input(name: &str) -> DeviceInputDto {
        DeviceInputDto {
            kind: "vpn".into(),
            name: name.into(),
            manufacturer: "Fortinet".into(),
            model: "FortiGate-60E".into(),
            firmware: "6.0.4".into(),
            firmware_updated: "2026-10-01".into(),
            ip: "192.168.1.254".into(),
            location: "受付裏".into(),
            purpose: "遠隔保守".into(),
            managed_by: "vendor:ABCメディカル".into(),
            partner: "ABCメディカル保守センター".into(),
            partner_ip: "203.0.113.10".into(),
            method: "SSL-VPN".into(),
            ports: "443".into(),
            maintenance: "yes".into(),
        }
    }

    #[test]
    fn devices_are_checked_by_the_engine_and_flagged() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let rows = save(&state, input("保守用VPN")).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].kev_state, "flagged");
        assert!(rows[0].kev.iter().any(|f| f.product == "FortiOS"));
        // A bad entry is refused with the engine's reason and nothing is saved.
        let mut bad = input("別の機器");
        bad.ip = "192.168.1".into();
        let e = save(&state, bad).unwrap_err();
        assert_eq!(e.code, "invalid_input");
        assert_eq!(network_rows(&state).unwrap().len(), 1);
    }
}
