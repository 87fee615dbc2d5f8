//! The registry of local probes. Adding a probe is one line in [`all`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::OnceLock;

use super::{CaptureError, Captured, Probe, ProbeMeta};
use tenken_base::Text;
use tenken_checklist::mapping::evidence::EvidenceMap;
use tenken_evidence::{Finding, ItemRef, UnknownReason, Verdict};

pub mod accounts_local;
pub mod accounts_policy;
pub mod antivirus;
pub mod backup_evidence;
pub mod disk_encryption;
pub mod firewall;
pub mod gateway;
pub mod kit;
pub mod log_retention;
pub mod os_patches;
pub mod os_support;
pub mod peers;
pub mod ports;
pub mod remote_rdp;
pub mod remote_tools;
pub mod screen_lock;
pub mod smb_v1;
pub mod usb_storage;
pub mod wifi_security;

/// Every registered probe, in no particular order (the runner sorts findings by id).
pub fn all() -> Vec<Box<dyn Probe>> {
    let mut probes: Vec<Box<dyn Probe>> = vec![
        Box::new(ports::ListeningPorts::new()),
        Box::new(peers::NetPeers::new()),
        Box::new(firewall::HostFirewall::new()),
        Box::new(antivirus::AntivirusStatus::new()),
        Box::new(gateway::NetGateway::new()),
    ];
    probes.extend(host_probes());
    probes
}

/// All host probes, for the registry.
pub fn host_probes() -> Vec<Box<dyn Probe>> {
    vec![
        Box::new(os_support::OsSupport::new()),
        Box::new(os_patches::OsPatches::new()),
        Box::new(remote_rdp::RemoteRdp::new()),
        Box::new(remote_tools::RemoteTools::new()),
        Box::new(accounts_policy::AccountsPolicy::new()),
        Box::new(accounts_local::AccountsLocal::new()),
        Box::new(disk_encryption::DiskEncryption::new()),
        Box::new(screen_lock::ScreenLock::new()),
        Box::new(usb_storage::UsbStorage::new()),
        Box::new(smb_v1::SmbV1::new()),
        Box::new(log_retention::LogRetention::new()),
        Box::new(wifi_security::WifiSecurity::new()),
        Box::new(backup_evidence::BackupEvidence::new()),
    ]
}

/// The probe with this id, if registered.
pub fn by_id(id: &str) -> Option<Box<dyn Probe>> {
    all().into_iter().find(|p| p.meta().id == id)
}

/// The checklist items `probe_id` gives evidence for, in every built-in checklist version, as
/// declared in `checklists/evidence/evidence-map.toml` (older versions derived through the
/// items' `previous_ids`). Computed once; empty for an unregistered probe.
pub fn registry_refs(probe_id: &str) -> Vec<ItemRef> {
    static REFS: OnceLock<HashMap<String, Vec<ItemRef>>> = OnceLock::new();
    REFS.get_or_init(|| {
        let mut out = HashMap::new();
        let (Ok(map), Ok(lists)) = (EvidenceMap::builtin(), tenken_checklist::builtin()) else {
            return out;
        };
        for p in &map.probes {
            let refs = lists
                .iter()
                .flat_map(|c| {
                    map.items_in(&p.id, c, &lists)
                        .into_iter()
                        .map(|l| item(&c.id, &l.item))
                })
                .collect();
            out.insert(p.id.clone(), refs);
        }
        out
    })
    .get(probe_id)
    .cloned()
    .unwrap_or_default()
}

/// Item reference helper: `item("mhlw-r7", "2-12")`.
pub fn item(checklist: &str, id: &str) -> ItemRef {
    ItemRef {
        checklist: checklist.to_string(),
        item: id.to_string(),
    }
}

/// The capture with `key`, if collected.
pub fn get<'a>(captured: &'a [Captured], key: &str) -> Option<&'a Captured> {
    captured.iter().find(|c| c.source.key() == key)
}

/// The capture with `key` when it produced output (no collection error).
pub fn ok<'a>(captured: &'a [Captured], key: &str) -> Option<&'a Captured> {
    get(captured, key).filter(|c| c.error.is_none())
}

/// Maps a capture error to the unknown reason it implies.
pub fn reason_of(c: &Captured) -> UnknownReason {
    match c.error {
        Some(CaptureError::NotFound) => UnknownReason::CommandMissing,
        Some(CaptureError::PermissionDenied) => UnknownReason::NeedsElevation,
        Some(CaptureError::Timeout) => UnknownReason::Timeout,
        _ => UnknownReason::Other,
    }
}

/// Builds a finding from the probe's meta.
pub fn finding(
    meta: &ProbeMeta,
    verdict: Verdict,
    reason: Option<UnknownReason>,
    summary: Text,
    action: Text,
    facts: serde_json::Value,
) -> Finding {
    Finding {
        probe_id: meta.id.to_string(),
        title: meta.title.clone(),
        verdict,
        reason: if verdict == Verdict::Unknown {
            reason.or(Some(UnknownReason::Other))
        } else {
            None
        },
        summary,
        action,
        facts,
        checklist_refs: meta.checklist_refs.clone(),
        evidence: Vec::new(),
    }
}

/// An unknown finding with `reason`, summary = reason text + `detail`.
pub fn unknown(meta: &ProbeMeta, reason: UnknownReason, facts: serde_json::Value) -> Finding {
    finding(
        meta,
        Verdict::Unknown,
        Some(reason),
        reason.text(),
        Text::default(),
        facts,
    )
}

/// Network class of an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddrClass {
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 0.0.0.0, :: (all interfaces).
    Unspecified,
    /// RFC 1918, CGNAT 100.64/10, link-local, IPv6 ULA / link-local.
    Private,
    /// Anything else.
    Public,
}

/// Classifies an address (IPv4-mapped IPv6 is treated as IPv4).
pub fn classify(ip: IpAddr) -> AddrClass {
    let ip = super::native::normalize_ip(ip);
    if ip.is_loopback() {
        return AddrClass::Loopback;
    }
    if ip.is_unspecified() {
        return AddrClass::Unspecified;
    }
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            if v4.is_private() || v4.is_link_local() || (o[0] == 100 && (o[1] & 0xC0) == 64) {
                AddrClass::Private
            } else {
                AddrClass::Public
            }
        }
        IpAddr::V6(v6) => {
            let s = v6.segments()[0];
            if (s & 0xfe00) == 0xfc00 || (s & 0xffc0) == 0xfe80 {
                AddrClass::Private
            } else {
                AddrClass::Public
            }
        }
    }
}

/// Parses an address possibly carrying a zone (`127.0.0.53%lo`, `fe80::1%12`) or brackets.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let t = s.trim().trim_start_matches('[').trim_end_matches(']');
    let t = t.split('%').next().unwrap_or(t);
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn ids_are_unique_and_registry_finds_them() {
        let probes = all();
        let mut ids: Vec<_> = probes.iter().map(|p| p.meta().id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        for id in [
            "ports.listening",
            "net.peers",
            "firewall.host",
            "antivirus.status",
            "net.gateway",
        ] {
            assert!(by_id(id).is_some(), "{id} not registered");
        }
    }

    #[test]
    fn address_classes() {
        assert_eq!(classify("127.0.0.1".parse().unwrap()), AddrClass::Loopback);
        assert_eq!(
            classify("::ffff:10.1.2.3".parse().unwrap()),
            AddrClass::Private
        );
        assert_eq!(classify("100.100.1.1".parse().unwrap()), AddrClass::Private);
        assert_eq!(classify("8.8.8.8".parse().unwrap()), AddrClass::Public);
        assert_eq!(classify("::".parse().unwrap()), AddrClass::Unspecified);
        assert_eq!(
            parse_ip("127.0.0.53%lo"),
            Some("127.0.0.53".parse().unwrap())
        );
    }
}
