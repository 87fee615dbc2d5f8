//! The network device ledger (外部接続ネットワーク装置一覧): every router, VPN device, UTM, Wi-Fi AP,
//! LTE router, NAS or printer, from what the clinic entered by hand and what the consented network
//! check found (stored as `net.devices` / `net.snmp` / `net.shadow` findings in the bundles),
//! merged by IP address, each with its known-exploited state (CISA KEV).

use std::net::Ipv4Addr;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use tenken_base::Lang;
use tenken_evidence::{Bundle, Verdict};
use tenken_kev::Catalogue;
use tenken_store::Device;

/// A hand-entered device that cannot be saved as given (nothing is changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    /// The name is empty.
    #[error("機器名を入力してください / enter the device's name")]
    NoName,
    /// Unknown kind.
    #[error(
        "種類 {0} は使えません(router, vpn, utm, wifi_ap, lte_router, nas, modality, printer, other) / unknown kind {0}"
    )]
    Kind(String),
    /// `managed_by` is neither `clinic` nor `vendor:<name>`.
    #[error(
        "管理者は clinic(院内)か vendor:事業者名 です: {0} / managed by must be clinic or vendor:<name>: {0}"
    )]
    ManagedBy(String),
    /// Not an IPv4 address.
    #[error("IPアドレスは 192.168.1.1 のように入力してください: {0} / not an IPv4 address: {0}")]
    Ip(String),
    /// Maintenance is not yes/no/unknown.
    #[error(
        "保守契約は yes(あり)・no(なし)・unknown(不明)のどれかです: {0} / maintenance must be yes, no or unknown: {0}"
    )]
    Maintenance(String),
    /// Not a date, or in the future.
    #[error(
        "ファームウェア更新日は 2026-10-01 のような過去の日付です: {0} / the firmware update date must be a past date such as 2026-10-01: {0}"
    )]
    Date(String),
}

impl tenken_base::Kinded for DeviceError {
    fn kind(&self) -> tenken_base::ErrorKind {
        tenken_base::ErrorKind::InvalidInput
    }
}

/// Checks and normalises a hand-entered device (trimmed fields; `maintenance` as `yes`, `no` or
/// empty, accepting はい/いいえ/不明; the IP and date checked) against `today`. The CLI and the
/// app save only what this returns.
pub fn validate_device(mut d: Device, today: chrono::NaiveDate) -> Result<Device, DeviceError> {
    for f in [
        &mut d.name,
        &mut d.kind,
        &mut d.ip,
        &mut d.managed_by,
        &mut d.firmware_updated,
        &mut d.maintenance,
        &mut d.partner_ip,
    ] {
        *f = f.trim().to_string();
    }
    if d.name.is_empty() {
        return Err(DeviceError::NoName);
    }
    if !super::DEVICE_KINDS.contains(&d.kind.as_str()) {
        return Err(DeviceError::Kind(d.kind));
    }
    if d.managed_by.is_empty() {
        d.managed_by = "clinic".into();
    }
    let vendor_named = d
        .managed_by
        .strip_prefix("vendor:")
        .is_some_and(|v| !v.trim().is_empty());
    if d.managed_by != "clinic" && !vendor_named {
        return Err(DeviceError::ManagedBy(d.managed_by));
    }
    if !d.ip.is_empty() && d.ip.parse::<Ipv4Addr>().is_err() {
        return Err(DeviceError::Ip(d.ip));
    }
    d.maintenance = match d.maintenance.as_str() {
        "yes" | "はい" | "あり" => "yes".into(),
        "no" | "いいえ" | "なし" => "no".into(),
        "" | "unknown" | "不明" => String::new(),
        other => return Err(DeviceError::Maintenance(other.to_string())),
    };
    if !d.firmware_updated.is_empty() {
        match chrono::NaiveDate::parse_from_str(&d.firmware_updated, "%Y-%m-%d") {
            Ok(day) if day <= today => {}
            _ => return Err(DeviceError::Date(d.firmware_updated)),
        }
    }
    Ok(d)
}

/// Where a row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NetSource {
    /// Entered by hand only.
    Manual,
    /// Found by the network check only.
    Found,
    /// Entered by hand and found by the network check (same IP address).
    Both,
}

/// The known-exploited state of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KevState {
    /// Its product is in the catalogue: firmware must be confirmed fixed.
    Flagged,
    /// Not in a current catalogue.
    NotListed,
    /// Not in the catalogue, but the catalogue is stale: 未確認.
    Stale,
    /// Maker and model unknown: cannot be looked up (未確認).
    Unidentified,
}

impl KevState {
    /// Words for the report and the CLI.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            KevState::Flagged => lang.pick("該当あり(要確認)", "listed (check firmware)"),
            KevState::NotListed => lang.pick("該当なし", "not listed"),
            KevState::Stale => lang.pick("未確認(一覧が古い)", "unverified (old data)"),
            KevState::Unidentified => lang.pick("未確認(機種不明)", "unverified (model unknown)"),
        }
    }
}

/// One catalogue product a device matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KevFlag {
    /// CISA's vendor.
    pub vendor: String,
    /// CISA's product.
    pub product: String,
    /// CVE ids, newest first.
    pub cves: Vec<String>,
    /// Used by ransomware campaigns.
    pub ransomware: bool,
}

/// One row of the network device ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetDevice {
    /// Name (the hand-entered name, else the IP address).
    pub name: String,
    /// Kind (router, vpn, utm, wifi_ap, lte_router, nas, printer, modality, other); empty when
    /// only found.
    pub kind: String,
    /// IP address on the clinic LAN.
    pub ip: String,
    /// Maker.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Firmware version.
    pub firmware: String,
    /// Last firmware update (`YYYY-MM-DD`), when entered.
    pub firmware_updated: String,
    /// What the device said about itself (page titles, SNMP description...).
    pub announced: Vec<String>,
    /// Where it stands.
    pub location: String,
    /// What it is used for.
    pub purpose: String,
    /// `clinic`, `vendor:<name>`, or empty when not known.
    pub managed_by: String,
    /// Connection partner (company).
    pub partner: String,
    /// Partner's global IP address.
    pub partner_ip: String,
    /// Connection method (IPsec, SSL-VPN...).
    pub method: String,
    /// Allowed / open ports.
    pub ports: String,
    /// 保守契約: `yes`, `no` or empty.
    pub maintenance: String,
    /// Where the row came from.
    pub source: NetSource,
    /// When the network check saw it (確認日), if it did.
    pub checked_at: Option<DateTime<Utc>>,
    /// Known-exploited state.
    pub kev_state: KevState,
    /// The matched catalogue products.
    pub kev: Vec<KevFlag>,
    /// Date of the catalogue the state was judged by.
    pub kev_date: String,
    /// Answers SNMP with the community `public`.
    pub snmp_public: bool,
    /// Looks like another way out besides the router.
    pub shadow: bool,
    /// Is this PC's router (default gateway).
    pub gateway: bool,
}

fn flags_of(v: &Value) -> Vec<KevFlag> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|p| KevFlag {
                    vendor: p["vendor"].as_str().unwrap_or_default().to_string(),
                    product: p["product"].as_str().unwrap_or_default().to_string(),
                    cves: p["cves"]
                        .as_array()
                        .map(|c| {
                            c.iter()
                                .filter_map(|x| x["id"].as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                    ransomware: p["ransomware"].as_bool().unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn found_row(f: &tenken_evidence::Finding, at: DateTime<Utc>) -> Option<NetDevice> {
    let host = f.facts["host"].as_str()?;
    let stale = f.facts["kev_catalogue"]["stale"].as_bool().unwrap_or(true);
    let kev = flags_of(&f.facts["kev"]);
    let kev_state = if !kev.is_empty() {
        KevState::Flagged
    } else if f.verdict == Verdict::Pass {
        KevState::NotListed
    } else if stale {
        KevState::Stale
    } else {
        KevState::Unidentified
    };
    Some(NetDevice {
        name: host.to_string(),
        kind: String::new(),
        ip: host.to_string(),
        manufacturer: s(&f.facts["manufacturer"]),
        model: s(&f.facts["model"]),
        firmware: s(&f.facts["model_number"]),
        firmware_updated: String::new(),
        announced: f.facts["names"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        location: String::new(),
        purpose: String::new(),
        managed_by: String::new(),
        partner: String::new(),
        partner_ip: String::new(),
        method: String::new(),
        ports: String::new(),
        maintenance: String::new(),
        source: NetSource::Found,
        checked_at: Some(at),
        kev_state,
        kev,
        kev_date: s(&f.facts["kev_catalogue"]["date"]),
        snmp_public: f.facts["snmp_public"].as_bool().unwrap_or(false),
        shadow: false,
        gateway: f.facts["gateway"].as_bool().unwrap_or(false),
    })
}

fn manual_row(d: &Device, kev: &Catalogue, now: DateTime<Utc>) -> NetDevice {
    let texts: Vec<&str> = [
        d.manufacturer.as_str(),
        d.model.as_str(),
        d.firmware.as_str(),
    ]
    .into_iter()
    .filter(|t| !t.trim().is_empty())
    .collect();
    let matches = if d.manufacturer.trim().is_empty() && d.model.trim().is_empty() {
        Vec::new()
    } else {
        kev.match_device(&texts)
    };
    let kev_state = if !matches.is_empty() {
        KevState::Flagged
    } else if d.manufacturer.trim().is_empty() && d.model.trim().is_empty() {
        KevState::Unidentified
    } else if kev.is_stale(now) {
        KevState::Stale
    } else {
        KevState::NotListed
    };
    NetDevice {
        name: d.name.clone(),
        kind: d.kind.clone(),
        ip: d.ip.clone(),
        manufacturer: d.manufacturer.clone(),
        model: d.model.clone(),
        firmware: d.firmware.clone(),
        firmware_updated: d.firmware_updated.clone(),
        announced: Vec::new(),
        location: d.location.clone(),
        purpose: d.purpose.clone(),
        managed_by: d.managed_by.clone(),
        partner: d.partner.clone(),
        partner_ip: d.partner_ip.clone(),
        method: d.method.clone(),
        ports: d.ports.clone(),
        maintenance: d.maintenance.clone(),
        source: NetSource::Manual,
        checked_at: None,
        kev_state,
        kev: matches
            .iter()
            .map(|m| KevFlag {
                vendor: m.vendor.clone(),
                product: m.product.clone(),
                cves: m.vulns.iter().map(|v| v.cve_id.clone()).collect(),
                ransomware: m.ransomware(),
            })
            .collect(),
        kev_date: kev.date(),
        snmp_public: false,
        shadow: false,
        gateway: false,
    }
}

/// Fills a hand-entered row with what the network check found at the same address: the check's
/// identity where the clinic left a field empty, its KEV flags when the hand entry had none.
fn merge(manual: &mut NetDevice, found: NetDevice) {
    for (m, f) in [
        (&mut manual.manufacturer, found.manufacturer),
        (&mut manual.model, found.model),
        (&mut manual.firmware, found.firmware),
    ] {
        if m.trim().is_empty() {
            *m = f;
        }
    }
    manual.announced = found.announced;
    manual.checked_at = found.checked_at;
    manual.snmp_public = found.snmp_public;
    manual.shadow |= found.shadow;
    manual.gateway |= found.gateway;
    if manual.kev.is_empty() && !found.kev.is_empty() {
        manual.kev = found.kev;
        manual.kev_state = KevState::Flagged;
        manual.kev_date = found.kev_date;
    } else if matches!(manual.kev_state, KevState::Unidentified) {
        manual.kev_state = found.kev_state;
        manual.kev_date = found.kev_date;
    }
    manual.source = NetSource::Both;
}

/// The network device ledger from the hand-entered `devices` and the network-check findings in
/// `bundles` (newest finding per address wins), judged with `kev` at `now`. Sorted: hand entries
/// by name, then devices only found, by address.
pub fn network_ledger(
    devices: &[Device],
    bundles: &[Bundle],
    kev: &Catalogue,
    now: DateTime<Utc>,
) -> Vec<NetDevice> {
    let mut found = NetworkFindings::default();
    for b in bundles {
        found.add(b);
    }
    found.finish(devices, kev, now)
}

/// What [`network_ledger`] reads from the bundles, gathered one bundle at a time (the devices
/// the network checks found, by IP, and the addresses flagged as shadow IT or public SNMP), so
/// a ledger of thousands of PCs does not hold their bundles.
#[derive(Debug, Default)]
pub struct NetworkFindings {
    found: Vec<NetDevice>,
    shadow: Vec<String>,
    snmp: Vec<String>,
}

impl NetworkFindings {
    /// Reads the network findings of one bundle.
    pub fn add(&mut self, b: &Bundle) {
        let at = b.ended_at;
        for f in &b.findings {
            match f.probe_id.as_str() {
                "net.devices" => {
                    if let Some(row) = found_row(f, at) {
                        match self.found.iter_mut().find(|r| r.ip == row.ip) {
                            Some(r) if r.checked_at <= row.checked_at => *r = row,
                            Some(_) => {}
                            None => self.found.push(row),
                        }
                    }
                }
                "net.shadow" => {
                    for c in f.facts["candidates"].as_array().into_iter().flatten() {
                        if let Some(h) = c["host"].as_str() {
                            self.shadow.push(h.to_string());
                        }
                    }
                }
                "net.snmp" if f.verdict == Verdict::Warn => {
                    if let Some(h) = f.facts["host"].as_str() {
                        self.snmp.push(h.to_string());
                    }
                }
                _ => {}
            }
        }
    }

    /// The network device ledger: the hand entries `devices` merged with what was found.
    pub fn finish(self, devices: &[Device], kev: &Catalogue, now: DateTime<Utc>) -> Vec<NetDevice> {
        let Self {
            mut found,
            shadow,
            snmp,
        } = self;
        for r in &mut found {
            r.shadow = shadow.contains(&r.ip);
            r.snmp_public |= snmp.contains(&r.ip);
        }
        let mut out: Vec<NetDevice> = devices.iter().map(|d| manual_row(d, kev, now)).collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        let mut only_found = Vec::new();
        for f in found {
            match out
                .iter_mut()
                .find(|m| !m.ip.trim().is_empty() && m.ip.trim() == f.ip)
            {
                Some(m) => merge(m, f),
                None => only_found.push(f),
            }
        }
        only_found.sort_by_key(|r| r.ip.parse::<Ipv4Addr>().map(u32::from).unwrap_or(u32::MAX));
        out.extend(only_found);
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn device(name: &str, manufacturer: &str, model: &str, ip: &str) -> Device {
        Device {
            kind: "vpn".into(),
            name: name.into(),
            manufacturer: manufacturer.into(),
            model: model.into(),
            ip: ip.into(),
            managed_by: "vendor:ABC".into(),
            ..Device::default()
        }
    }

    #[test]
    fn hand_entries_are_checked_whole() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let ok = validate_device(
            Device {
                maintenance: "はい".into(),
                firmware_updated: " 2026-10-01 ".into(),
                managed_by: String::new(),
                ..device("VPN-1", "Fortinet", "FortiGate-60E", "192.168.1.254")
            },
            today,
        )
        .unwrap();
        assert_eq!(ok.maintenance, "yes");
        assert_eq!(ok.firmware_updated, "2026-10-01");
        assert_eq!(ok.managed_by, "clinic");
        let bad = |d: Device| validate_device(d, today).unwrap_err();
        let base = device("VPN-1", "Fortinet", "FortiGate-60E", "192.168.1.254");
        assert_eq!(
            bad(Device {
                name: " ".into(),
                ..base.clone()
            }),
            DeviceError::NoName
        );
        assert!(matches!(
            bad(Device {
                kind: "switch".into(),
                ..base.clone()
            }),
            DeviceError::Kind(_)
        ));
        assert!(matches!(
            bad(Device {
                ip: "192.168.1".into(),
                ..base.clone()
            }),
            DeviceError::Ip(_)
        ));
        assert!(matches!(
            bad(Device {
                managed_by: "vendor:".into(),
                ..base.clone()
            }),
            DeviceError::ManagedBy(_)
        ));
        assert!(matches!(
            bad(Device {
                maintenance: "maybe".into(),
                ..base.clone()
            }),
            DeviceError::Maintenance(_)
        ));
        assert!(matches!(
            bad(Device {
                firmware_updated: "2026-12-05".into(),
                ..base.clone()
            }),
            DeviceError::Date(_)
        ));
        assert!(matches!(
            bad(Device {
                firmware_updated: "2026/10/01".into(),
                ..base
            }),
            DeviceError::Date(_)
        ));
    }

    #[test]
    fn hand_entries_are_looked_up_and_honest_about_unknowns() {
        let kev = Catalogue::builtin();
        let fresh = kev.released + chrono::Duration::days(1);
        let rows = network_ledger(
            &[
                device("VPN-1", "Fortinet", "FortiGate-60E", "192.168.1.254"),
                device("Router", "YAMAHA", "RTX1220", "192.168.1.1"),
                device("LTE", "", "", ""),
            ],
            &[],
            kev,
            fresh,
        );
        let by = |n: &str| rows.iter().find(|r| r.name == n).unwrap();
        assert_eq!(by("VPN-1").kev_state, KevState::Flagged);
        assert!(
            by("VPN-1").kev[0]
                .cves
                .contains(&"CVE-2018-13379".to_string())
        );
        assert!(by("VPN-1").kev[0].ransomware);
        assert_eq!(by("Router").kev_state, KevState::NotListed);
        assert_eq!(by("LTE").kev_state, KevState::Unidentified);
        // The same rows judged today with the 2025 catalogue: "not listed" becomes 未確認.
        let today = kev.released + chrono::Duration::days(400);
        let rows = network_ledger(
            &[device("Router", "YAMAHA", "RTX1220", "192.168.1.1")],
            &[],
            kev,
            today,
        );
        assert_eq!(rows[0].kev_state, KevState::Stale);
        assert_eq!(rows[0].kev_state.label(Lang::Ja), "未確認(一覧が古い)");
    }
}
