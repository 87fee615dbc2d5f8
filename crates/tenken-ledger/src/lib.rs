//! Device ledger (機器台帳): one row per scanned host, assembled purely from the stored
//! evidence bundles of an assessment (current, non-superseded ones) plus the manually entered
//! devices that cannot run Tenken. The report and the GUI call [`build`] so they show the same
//! rows as `tenken ledger`.
//!
//! Importing bundles from other PCs (with signature checks) lives in [`import`].
//!
//! Why this file is over 600 lines: the device ledger: rows from bundles and hand entries, merged per host, with the rules for each column.

pub mod import;
pub mod network;
pub mod summary;

pub use network::{
    DeviceError, KevFlag, KevState, NetDevice, NetSource, NetworkFindings, network_ledger,
    validate_device,
};
pub use summary::{FleetSummary, RoleSummary, STALE_DAYS, Summariser, TopFinding, summarise};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use tenken_base::Lang;
use tenken_base::Text;
use tenken_evidence::{Bundle, Finding, Verdict};
use tenken_store::{BundleTrust, Device, Store, StoreError};

/// Suggested roles for `tenken ledger role`.
pub const SUGGESTED_ROLES: &[&str] = &[
    "電子カルテサーバ",
    "レセコン",
    "受付PC",
    "診察室PC",
    "画像サーバ",
    "オンライン資格確認端末",
];

/// Kinds of manually added devices.
pub const DEVICE_KINDS: &[&str] = &[
    "router",
    "vpn",
    "utm",
    "wifi_ap",
    "lte_router",
    "nas",
    "modality",
    "printer",
    "other",
];

/// The verdict of one probe, as shown in a ledger cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckCell {
    /// The probe's verdict.
    pub verdict: Verdict,
    /// The probe's one-line summary.
    pub summary: Text,
}

/// One scanned host.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostRow {
    /// Host name.
    pub host: String,
    /// Role set with `tenken ledger role`, if any.
    pub role: Option<String>,
    /// OS name (e.g. "Windows 11 Pro").
    pub os: String,
    /// OS version / build as best known (os.support facts, else the host facts).
    pub os_build: Option<String>,
    /// IP addresses.
    pub ips: Vec<String>,
    /// MAC addresses.
    pub macs: Vec<String>,
    /// Time of the last installed update (os.patches facts, RFC 3339 as recorded), if known.
    pub last_patch: Option<String>,
    /// Number of pending security updates (os.patches), if the probe listed them.
    pub pending_updates: Option<usize>,
    /// OS end of support (os.support), if known.
    pub end_of_support: Option<String>,
    /// Antivirus (antivirus.status), `None` = 未確認.
    pub antivirus: Option<CheckCell>,
    /// Host firewall (firewall.host), `None` = 未確認.
    pub firewall: Option<CheckCell>,
    /// Risky ports listening beyond loopback, e.g. "5900/tcp VNC"; `None` = 未確認.
    pub risky_ports: Option<Vec<String>>,
    /// Remote-access tools found (remote.tools); `None` = 未確認.
    pub remote_tools: Option<Vec<String>>,
    /// Checks that found a problem (不適合) on this PC.
    pub fails: usize,
    /// Checks that could not determine their result (未確認) on this PC.
    pub unknowns: usize,
    /// When the bundle's scan ended.
    pub scanned_at: DateTime<Utc>,
    /// How the bundle's signature was checked on import.
    pub trust: BundleTrust,
    /// Who signed the bundle, when known.
    pub signer: Option<String>,
    /// Whether the bundle was replayed from a recording.
    pub replayed: bool,
}

/// The device ledger of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    /// The assessment.
    pub assessment_id: i64,
    /// Scanned hosts, by host name.
    pub hosts: Vec<HostRow>,
    /// Manually added devices, by name.
    pub devices: Vec<Device>,
    /// The network device ledger: hand entries and devices the network check found, with their
    /// known-exploited state.
    pub network: Vec<NetDevice>,
    /// PCs per role, PCs not seen for weeks, problems on the most PCs.
    pub summary: FleetSummary,
}

/// Errors building the ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// Store error.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored bundle cannot be read.
    #[error("保存された証跡 (bundle {id}) を読めません (stored bundle unreadable): {reason}")]
    Bundle {
        /// Bundle row id.
        id: i64,
        /// Why.
        reason: String,
    },
}

fn finding<'a>(b: &'a Bundle, probe: &str) -> Option<&'a Finding> {
    b.findings.iter().find(|f| f.probe_id == probe)
}

/// Facts of a finding that actually ran (verdict not `unknown`).
fn facts<'a>(b: &'a Bundle, probe: &str) -> Option<&'a Value> {
    finding(b, probe)
        .filter(|f| f.verdict != Verdict::Unknown)
        .map(|f| &f.facts)
}

fn cell(b: &Bundle, probe: &str) -> Option<CheckCell> {
    finding(b, probe)
        .filter(|f| f.verdict != Verdict::Unknown)
        .map(|f| CheckCell {
            verdict: f.verdict,
            summary: f.summary.clone(),
        })
}

fn str_of(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Risky listeners (severity warn/fail) not bound to loopback, as "PORT/PROTO SERVICE".
fn risky_ports(b: &Bundle) -> Option<Vec<String>> {
    let f = facts(b, "ports.listening")?;
    let list = f.get("listeners")?.as_array()?;
    let mut out: Vec<String> = list
        .iter()
        .filter(|l| {
            matches!(
                l.get("severity").and_then(Value::as_str),
                Some("warn" | "fail")
            ) && l.get("exposure").and_then(Value::as_str) != Some("loopback")
        })
        .map(|l| {
            let port = l.get("port").and_then(Value::as_u64).unwrap_or(0);
            let proto = l.get("proto").and_then(Value::as_str).unwrap_or("?");
            match l.get("service").and_then(Value::as_str) {
                Some(s) => format!("{port}/{proto} {s}"),
                None => format!("{port}/{proto}"),
            }
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Some(out)
}

fn remote_tools(b: &Bundle) -> Option<Vec<String>> {
    let f = facts(b, "remote.tools")?;
    let tools = f.get("tools")?.as_array()?;
    let mut out: Vec<String> = tools
        .iter()
        .filter_map(|t| t.get("product").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

/// IPv4 addresses (without prefix length) or MACs of the non-virtual interfaces seen by
/// `net.gateway`, used when the host facts carry none.
fn gateway_list(b: &Bundle, key: &str) -> Vec<String> {
    let Some(ifs) = finding(b, "net.gateway")
        .and_then(|f| f.facts.get("interfaces"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in ifs {
        if i.get("virtual_if").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        match i.get(key) {
            Some(Value::String(s)) if !s.is_empty() => out.push(s.clone()),
            Some(Value::Array(a)) => out.extend(
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|s| s.split('/').next().unwrap_or(s).to_string()),
            ),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Findings of `b` with `verdict`.
fn count_of(b: &Bundle, verdict: Verdict) -> usize {
    b.findings.iter().filter(|f| f.verdict == verdict).count()
}

/// Builds the ledger row of one bundle (role left empty).
pub fn host_row(b: &Bundle) -> HostRow {
    let support = facts(b, "os.support");
    let os_build = support
        .and_then(|f| str_of(f.get("build")).or_else(|| str_of(f.get("version"))))
        .or_else(|| {
            let v = [b.host.os_version.as_str(), b.host.os_build.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            (!v.is_empty()).then_some(v)
        });
    let patches = facts(b, "os.patches");
    let last_patch = patches.and_then(|f| str_of(f.get("last_update")));
    let pending_updates = patches
        .and_then(|f| f.get("pending_security_updates"))
        .and_then(Value::as_array)
        .map(Vec::len);
    HostRow {
        host: b.host.hostname.clone(),
        role: None,
        os: b.host.os_name.clone(),
        os_build,
        ips: if b.host.ips.is_empty() {
            gateway_list(b, "ipv4")
        } else {
            b.host.ips.clone()
        },
        macs: if b.host.macs.is_empty() {
            gateway_list(b, "mac")
        } else {
            b.host.macs.clone()
        },
        last_patch,
        pending_updates,
        end_of_support: support.and_then(|f| str_of(f.get("end_of_support"))),
        antivirus: cell(b, "antivirus.status"),
        firewall: cell(b, "firewall.host"),
        risky_ports: risky_ports(b),
        remote_tools: remote_tools(b),
        fails: count_of(b, Verdict::Fail),
        unknowns: count_of(b, Verdict::Unknown),
        scanned_at: b.ended_at,
        trust: BundleTrust::Unchecked,
        signer: None,
        replayed: b.replayed,
    }
}

impl HostRow {
    /// The addresses people look for: without link-local IPv6 (fe80::/10), which only the local
    /// link uses and says nothing about where the PC can be reached — unless those are all
    /// there is.
    pub fn display_ips(&self) -> Vec<String> {
        let link_local = |ip: &String| {
            let l = ip.to_ascii_lowercase();
            ["fe8", "fe9", "fea", "feb"]
                .iter()
                .any(|p| l.starts_with(p))
        };
        let routable: Vec<String> = self
            .ips
            .iter()
            .filter(|ip| !link_local(ip))
            .cloned()
            .collect();
        if routable.is_empty() {
            self.ips.clone()
        } else {
            routable
        }
    }

    /// 「最終更新」 as shown to people: the local date of the last update and, when some are
    /// pending, their number (e.g. "2026-11-23、未適用の更新 3件"). `None` = 未確認.
    pub fn last_patch_display(&self, lang: Lang) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(last) = &self.last_patch {
            parts.push(
                DateTime::parse_from_rfc3339(last)
                    .map(|d| d.with_timezone(&chrono::Local).date_naive().to_string())
                    .unwrap_or_else(|_| last.chars().take(10).collect()),
            );
        }
        if let Some(n) = self.pending_updates.filter(|n| *n > 0) {
            parts.push(match lang {
                Lang::Ja => format!("未適用の更新 {n}件"),
                Lang::En => format!("{n} pending updates"),
            });
        }
        (!parts.is_empty()).then(|| parts.join(lang.pick("、", ", ")))
    }
}

/// The ledger of bundles that are not in a store (a report rendered from files): one row per
/// bundle, sorted by host, signatures not checked, no hand-entered devices.
pub fn from_bundles(bundles: &[Bundle]) -> Ledger {
    let mut hosts: Vec<HostRow> = bundles.iter().map(host_row).collect();
    hosts.sort_by(|a, b| a.host.cmp(&b.host));
    Ledger {
        assessment_id: 0,
        hosts,
        devices: Vec::new(),
        network: network_ledger(&[], bundles, tenken_kev::Catalogue::builtin(), Utc::now()),
        summary: summarise(bundles, &|_| None, Utc::now()),
    }
}

/// Assembles the ledger of an assessment from its current (non-superseded) bundles, the host
/// roles and the manual devices. Reads only, one bundle at a time: each is parsed, reduced to
/// its row, its network findings and its part of the summary, and dropped, so memory grows
/// with the rows, not with the bundles.
pub fn build(store: &Store, assessment_id: i64) -> Result<Ledger, LedgerError> {
    let now = Utc::now();
    let mut hosts = Vec::new();
    let mut network = NetworkFindings::default();
    let mut summary = Summariser::new(now);
    store.for_each_current_bundle(Some(assessment_id), |sb| {
        let b = Bundle::from_json(sb.bundle_json.as_bytes()).map_err(|e| LedgerError::Bundle {
            id: sb.id,
            reason: e.to_string(),
        })?;
        drop(sb.bundle_json);
        let mut row = host_row(&b);
        row.role = store.host_role(&row.host)?;
        row.trust = sb.verification;
        row.signer = sb.signer;
        network.add(&b);
        summary.add(&b, row.role.clone());
        hosts.push(row);
        Ok::<(), LedgerError>(())
    })?;
    hosts.sort_by(|a, b| a.host.cmp(&b.host));
    let devices = store.devices()?;
    // Judged by the newest known-exploited catalogue installed next to the database.
    let (kev, _) = tenken_kev::load(store.path().parent().unwrap_or(std::path::Path::new(".")));
    let network = network.finish(&devices, &kev, now);
    Ok(Ledger {
        assessment_id,
        hosts,
        devices,
        network,
        summary: summary.finish(),
    })
}

/// Text of an unknown cell.
pub fn unknown_label(lang: Lang) -> &'static str {
    lang.pick("未確認", "not checked")
}

fn cell_text(c: &Option<CheckCell>, lang: Lang) -> String {
    match c {
        Some(c) => format!("{}: {}", c.verdict.label(lang), c.summary.get(lang)),
        None => unknown_label(lang).to_string(),
    }
}

fn list_text(l: &Option<Vec<String>>, lang: Lang) -> String {
    match l {
        Some(v) if v.is_empty() => lang.pick("なし", "none").to_string(),
        Some(v) => v.join(" / "),
        None => unknown_label(lang).to_string(),
    }
}

fn opt_text(o: &Option<String>, lang: Lang) -> String {
    o.clone().unwrap_or_else(|| unknown_label(lang).to_string())
}

/// Column headers of [`Ledger::table`].
pub fn headers(lang: Lang) -> Vec<&'static str> {
    let ja = [
        "種別",
        "名前",
        "役割",
        "OS",
        "バージョン",
        "IPアドレス",
        "MACアドレス",
        "最終更新日",
        "ウイルス対策",
        "ファイアウォール",
        "危険な待受ポート",
        "遠隔操作ソフト",
        "最終点検",
        "署名",
        "機種",
        "ファームウェア",
        "設置場所",
        "管理者",
        "接続先",
        "接続方法",
        "ポート",
    ];
    let en = [
        "kind",
        "name",
        "role",
        "OS",
        "version",
        "IPs",
        "MACs",
        "last patch",
        "antivirus",
        "firewall",
        "risky listening ports",
        "remote-access tools",
        "last scan",
        "signature",
        "model",
        "firmware",
        "location",
        "managed by",
        "partner",
        "method",
        "ports",
    ];
    match lang {
        Lang::Ja => ja.to_vec(),
        Lang::En => en.to_vec(),
    }
}

impl Ledger {
    /// All rows as text cells (hosts, then devices), matching [`headers`].
    pub fn table(&self, lang: Lang) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for h in &self.hosts {
            rows.push(vec![
                "pc".to_string(),
                h.host.clone(),
                h.role.clone().unwrap_or_default(),
                h.os.clone(),
                opt_text(&h.os_build, lang),
                h.display_ips().join(" "),
                h.macs.join(" "),
                opt_text(&h.last_patch_display(lang), lang),
                cell_text(&h.antivirus, lang),
                cell_text(&h.firewall, lang),
                list_text(&h.risky_ports, lang),
                list_text(&h.remote_tools, lang),
                h.scanned_at.format("%Y-%m-%d %H:%M").to_string(),
                h.trust.label(lang).to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for d in &self.devices {
            let mut r = vec![String::new(); 21];
            r[0] = d.kind.clone();
            r[1] = d.name.clone();
            for (i, v) in [
                &d.model,
                &d.firmware,
                &d.location,
                &d.managed_by,
                &d.partner,
                &d.method,
                &d.ports,
            ]
            .iter()
            .enumerate()
            {
                r[14 + i] = (*v).clone();
            }
            rows.push(r);
        }
        rows
    }

    /// The ledger as CSV (RFC 4180, UTF-8 with BOM so spreadsheet software reads Japanese).
    pub fn to_csv(&self, lang: Lang) -> String {
        let mut out = String::from("\u{feff}");
        let line = |cells: &[String]| {
            cells
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(",")
                + "\r\n"
        };
        let hdr: Vec<String> = headers(lang).iter().map(|s| s.to_string()).collect();
        out.push_str(&line(&hdr));
        for r in self.table(lang) {
            out.push_str(&line(&r));
        }
        out
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl tenken_base::Kinded for LedgerError {
    fn kind(&self) -> tenken_base::ErrorKind {
        match self {
            LedgerError::Store(e) => e.kind(),
            LedgerError::Bundle { .. } => tenken_base::ErrorKind::Damaged,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;
    use tenken_testkit::sample;

    /// A sample bundle whose findings for the ledger's probes carry `facts`.
    fn bundle_with(facts: &[(&str, Verdict, Value)]) -> Bundle {
        let mut b = sample::bundles().remove(0);
        b.findings
            .retain(|f| !facts.iter().any(|(p, _, _)| *p == f.probe_id));
        for (probe, verdict, f) in facts {
            b.findings
                .push(sample::finding(probe, *verdict, &[], f.clone()));
        }
        b
    }

    // Facts as recorded by the probes in a real Linux bundle from the development VM (Debian 12,
    // 2026-11-23; the pending-update list shortened to three names).
    #[test]
    fn row_of_a_real_linux_bundle() {
        let b = bundle_with(&[
            (
                "os.patches",
                Verdict::Warn,
                json!({"days_since_last_update": 0, "fail_after_days": 120,
                    "last_update": "2026-11-23T20:18:30+00:00",
                    "pending_security_updates": ["apt-transport-https", "apt", "ca-certificates"],
                    "tool": "apt", "warn_after_days": 60}),
            ),
            (
                "ports.listening",
                Verdict::Pass,
                json!({"exposed_count": 1, "listeners": [{"addr": "0.0.0.0", "exes": [],
                    "exposure": "all_interfaces", "pids": [], "port": 2024, "processes": [],
                    "proto": "tcp", "service": null, "severity": null}], "pids_complete": true,
                    "risky_count": 0, "sockets_complete": true}),
            ),
            (
                "antivirus.status",
                Verdict::Unknown,
                json!({"clamav_daily": null}),
            ),
        ]);
        let row = host_row(&b);
        let local = DateTime::parse_from_rfc3339("2026-11-23T20:18:30+00:00")
            .unwrap()
            .with_timezone(&chrono::Local)
            .date_naive()
            .to_string();
        assert_eq!(
            row.last_patch_display(Lang::Ja),
            Some(format!("{local}、未適用の更新 3件"))
        );
        assert_eq!(
            row.last_patch_display(Lang::En),
            Some(format!("{local}, 3 pending updates"))
        );
        // A listener on all interfaces without a risky service is not listed: 「なし」.
        assert_eq!(row.risky_ports, Some(vec![]));
        // The antivirus probe could not decide: the cell stays 未確認, never a verdict.
        assert_eq!(row.antivirus, None);
        let table = from_bundles(&[b]).table(Lang::Ja);
        assert!(table[0].iter().any(|c| c.contains("未適用の更新 3件")));
    }

    #[test]
    fn risky_ports_skip_loopback_and_harmless_and_repeat_once() {
        let b = bundle_with(&[(
            "ports.listening",
            Verdict::Warn,
            json!({"listeners": [
                {"port": 22, "proto": "tcp", "exposure": "all_interfaces", "service": "SSH", "severity": "warn"},
                {"port": 5900, "proto": "tcp", "exposure": "address", "service": "VNC", "severity": "fail"},
                {"port": 22, "proto": "tcp", "exposure": "all_interfaces", "service": "SSH", "severity": "warn"},
                {"port": 23, "proto": "tcp", "exposure": "loopback", "service": "Telnet", "severity": "fail"},
                {"port": 135, "proto": "tcp", "exposure": "address", "service": "MS-RPC", "severity": "info"}
            ]}),
        )]);
        assert_eq!(
            host_row(&b).risky_ports,
            Some(vec!["22/tcp SSH".to_string(), "5900/tcp VNC".to_string()])
        );
    }

    #[test]
    fn link_local_ipv6_is_not_shown() {
        let mut row = host_row(&sample::bundles().remove(0));
        row.ips = vec![
            "192.0.2.2".into(),
            "fe80::fc:ff:fe00:1".into(),
            "FE9A::1".into(),
            "fd00::2".into(),
        ];
        assert_eq!(row.display_ips(), ["192.0.2.2", "fd00::2"]);
        row.ips = vec!["fe80::1".into()];
        assert_eq!(
            row.display_ips(),
            ["fe80::1"],
            "only link-local: still shown"
        );
    }

    #[test]
    fn no_patch_facts_means_not_checked() {
        let b = bundle_with(&[("os.patches", Verdict::Unknown, json!({"tool": "apt"}))]);
        let row = host_row(&b);
        assert_eq!(row.last_patch_display(Lang::En), None);
        assert_eq!(row.pending_updates, None);
    }

    #[test]
    fn bundles_without_a_store_are_sorted_and_unchecked() {
        let l = from_bundles(&sample::bundles());
        let names: Vec<_> = l.hosts.iter().map(|h| h.host.as_str()).collect();
        assert_eq!(names, ["SERVER-KARTE", "SHINSATSU-PC2", "UKETSUKE-PC1"]);
        assert!(l.hosts.iter().all(|h| h.trust == BundleTrust::Unchecked));
        assert!(l.devices.is_empty());
    }
}
