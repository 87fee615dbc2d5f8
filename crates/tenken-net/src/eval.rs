//! Pure verdict rules: observations in, findings out. No network access here.
//!
//! Why this file is over 600 lines: the verdict rules of every network check, one function per check, with their fixtures-driven tests.

use std::net::Ipv4Addr;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::discover::DiscoveryObs;
use super::obs::{GatewayObs, HostObs, Observations, PortObs, PortState};
use super::profile::{self, Rule};
use tenken_base::Text;
use tenken_evidence::{Evidence, Finding, ItemRef, SourceKind, UnknownReason, Verdict, sha256_hex};

/// Probe id of the gateway reachability check.
pub const ID_REACH: &str = "net.gateway.reach";
/// Probe id of the router management exposure check.
pub const ID_EXPOSURE: &str = "net.router.exposure";
/// Probe id of the UPnP check.
pub const ID_UPNP: &str = "net.upnp";
/// Probe id of the double-NAT check.
pub const ID_DOUBLE_NAT: &str = "net.double_nat";
/// Probe id of the LAN port check (one finding per host).
pub const ID_LAN: &str = "lan.ports";

/// Every probe id the consented network checks report.
pub const NETWORK_IDS: [&str; 8] = [
    ID_REACH,
    ID_EXPOSURE,
    ID_UPNP,
    ID_DOUBLE_NAT,
    ID_LAN,
    super::eval_devices::ID_DEVICES,
    super::eval_devices::ID_SNMP,
    super::eval_devices::ID_SHADOW,
];

/// Builds a `network` evidence record.
pub fn net_evidence(
    source: String,
    raw: String,
    started_at: DateTime<Utc>,
    ended_at: DateTime<Utc>,
    error: Option<String>,
) -> Evidence {
    Evidence {
        kind: SourceKind::Network,
        source,
        raw_len: raw.len() as u64,
        raw_sha256: sha256_hex(raw.as_bytes()),
        raw,
        truncated: false,
        encoding: Some("utf-8".into()),
        stderr: None,
        started_at,
        ended_at,
        exit_code: None,
        elevated: false,
        error,
        raw_deflate: None,
        same_as: None,
        note: None,
    }
}

fn port_evidence(p: &PortObs) -> Evidence {
    let raw = match p.rtt_ms {
        Some(r) => format!("tcp connect: {:?} ({r:.1} ms)", p.state),
        None => format!(
            "tcp connect: {:?} (no answer within {} ms)",
            p.state, p.timeout_ms
        ),
    };
    let ended = p.at
        + chrono::Duration::milliseconds(p.rtt_ms.map_or(p.timeout_ms as i64, |r| r.ceil() as i64));
    net_evidence(
        format!("tcp://{}:{}", p.addr, p.port),
        raw.to_lowercase(),
        p.at,
        ended,
        p.error.clone(),
    )
}

/// A network finding with its title and checklist references from the registry.
pub(crate) fn finding(
    id: &str,
    verdict: Verdict,
    reason: Option<UnknownReason>,
    summary: Text,
    action: Text,
    facts: serde_json::Value,
    evidence: Vec<Evidence>,
) -> Finding {
    Finding {
        probe_id: id.to_string(),
        title: title(id),
        verdict,
        reason,
        summary,
        action,
        facts,
        checklist_refs: refs(id),
        evidence,
    }
}

/// Checklist items a network finding gives evidence for: the router and LAN surface belong to
/// 接続元制限 (R7 2-⑬, R5/R6 2-(8)); open services on LAN hosts also to 不要なサービスの停止
/// (R7 2-⑫, R6 2-(9)); the device inventory (台帳, 2-①) lists the router that was found.
/// The items a network check speaks to, from `checklists/evidence/evidence-map.toml`.
fn refs(id: &str) -> Vec<ItemRef> {
    tenken_probe::checks::registry_refs(id)
}

fn title(id: &str) -> Text {
    match id {
        ID_REACH => Text::new(
            "ルーター(デフォルトゲートウェイ)への到達",
            "Default gateway reachability",
        ),
        ID_EXPOSURE => Text::new("ルーター管理画面の公開状況", "Router management exposure"),
        ID_UPNP => Text::new(
            "UPnP(機器の自動ポート開放)",
            "UPnP (automatic port opening)",
        ),
        ID_DOUBLE_NAT => Text::new("二重ルーター(二重NAT)", "Double NAT"),
        super::eval_devices::ID_DEVICES => Text::new(
            "ネットワーク機器と既知の悪用脆弱性",
            "Network devices and known exploited vulnerabilities",
        ),
        super::eval_devices::ID_SNMP => Text::new(
            "SNMP の初期設定の合言葉(public)",
            "SNMP default community (public)",
        ),
        super::eval_devices::ID_SHADOW => Text::new(
            "ルーター以外の外部への出口",
            "Other ways out besides the router",
        ),
        _ => Text::new("LAN機器の開いているポート", "Open ports of LAN devices"),
    }
}

fn unknown(
    id: &str,
    reason: UnknownReason,
    ja: impl Into<String>,
    en: impl Into<String>,
    evidence: Vec<Evidence>,
) -> Finding {
    finding(
        id,
        Verdict::Unknown,
        Some(reason),
        Text::new(ja, en),
        Text::default(),
        json!({}),
        evidence,
    )
}

/// Findings of a whole run against the built-in known-exploited catalogue: see
/// [`evaluate_with`].
pub fn evaluate(obs: &Observations) -> Vec<Finding> {
    evaluate_with(obs, tenken_kev::Catalogue::builtin())
}

/// Findings of a whole run: gateway findings (or unknown/no-consent when `--network` was not
/// given), one `lan.ports` finding per host, the addresses where nothing answered, then the
/// devices (ledger entries matched against `kev`, SNMP, other ways out). Staleness of `kev` is
/// judged at the time the run ended, so a replay gives the same verdicts.
pub fn evaluate_with(obs: &Observations, kev: &tenken_kev::Catalogue) -> Vec<Finding> {
    let mut out = Vec::new();
    match &obs.gateway {
        Some(g) => out.extend(evaluate_gateway(g)),
        None => {
            for id in [ID_REACH, ID_EXPOSURE, ID_UPNP, ID_DOUBLE_NAT] {
                out.push(unknown(
                    id,
                    UnknownReason::NoConsent,
                    "ルーターの確認は許可されていないため行っていません(--network で実施)",
                    "Gateway checks were not enabled (use --network)",
                    Vec::new(),
                ));
            }
        }
    }
    for h in &obs.lan {
        let mut f = evaluate_host(h);
        if let Some(found) = obs
            .discovery
            .as_ref()
            .and_then(|d| d.found.iter().find(|x| x.addr == h.addr))
        {
            f.facts["found_by"] = json!(found.by);
        }
        out.push(f);
    }
    if let Some(d) = obs.discovery.as_ref().filter(|d| !d.silent.is_empty()) {
        out.push(evaluate_silent(d));
    }
    out.extend(super::eval_devices::evaluate_devices(obs, kev));
    for ip in &obs.scope.skipped_never_touch {
        out.push(finding(
            ID_LAN,
            Verdict::NotApplicable,
            None,
            Text::new(
                format!("{ip}: 接触禁止リストにあるため通信していません"),
                format!("{ip}: on the never-touch list, not contacted"),
            ),
            Text::default(),
            json!({"host": ip.to_string(), "never_touch": true}),
            Vec::new(),
        ));
    }
    // Everything observed, kept whole with the first finding, so a bundle replays faithfully.
    if let Some(first) = out.first_mut() {
        first.evidence.push(super::kept::observations_evidence(obs));
    }
    out
}

/// Gateway findings: reach, exposure, UPnP, double NAT.
pub fn evaluate_gateway(g: &GatewayObs) -> Vec<Finding> {
    let route_ev = net_evidence(
        g.source.clone(),
        g.source_raw.clone(),
        Utc::now(),
        Utc::now(),
        None,
    );
    let route_ev = Evidence {
        kind: SourceKind::File,
        started_at: g
            .reach
            .as_ref()
            .map_or(route_ev.started_at, |r| r.started_at),
        ended_at: g.reach.as_ref().map_or(route_ev.ended_at, |r| r.started_at),
        ..route_ev
    };
    let Some(gw) = g.address.filter(|_| g.not_contacted.is_none()) else {
        let why = g
            .not_contacted
            .clone()
            .unwrap_or_else(|| "no default gateway".into());
        let reason = if g.address.is_some() {
            UnknownReason::NoConsent
        } else {
            UnknownReason::NotInstalled
        };
        return [ID_REACH, ID_EXPOSURE, ID_UPNP, ID_DOUBLE_NAT]
            .iter()
            .map(|id| {
                unknown(
                    id,
                    reason,
                    format!("ルーターには通信していません: {why}"),
                    format!("The gateway was not contacted: {why}"),
                    vec![route_ev.clone()],
                )
            })
            .collect();
    };
    vec![
        eval_reach(gw, g, route_ev.clone()),
        eval_exposure(gw, g),
        eval_upnp(gw, g),
        eval_double_nat(gw, g),
    ]
}

fn eval_reach(gw: Ipv4Addr, g: &GatewayObs, route_ev: Evidence) -> Finding {
    let Some(r) = &g.reach else {
        return unknown(
            ID_REACH,
            UnknownReason::Other,
            "到達確認を行えませんでした",
            "Reachability was not tested",
            vec![route_ev],
        );
    };
    let mut ev = vec![
        route_ev,
        net_evidence(
            format!("{}://{gw}", r.method),
            r.detail.clone(),
            r.started_at,
            r.ended_at,
            None,
        ),
    ];
    if r.method == "tcp" {
        ev.extend(g.ports.iter().map(port_evidence));
    }
    let facts = json!({"gateway": gw.to_string(), "method": r.method, "reachable": r.reachable, "rtt_ms": r.rtt_ms});
    if r.reachable {
        let rtt = r.rtt_ms.map_or(String::new(), |v| format!(" ({v:.1} ms)"));
        finding(
            ID_REACH,
            Verdict::Pass,
            None,
            Text::new(
                format!("ルーター {gw} に到達できます{rtt}"),
                format!("Gateway {gw} is reachable{rtt}"),
            ),
            Text::default(),
            facts,
            ev,
        )
    } else {
        finding(
            ID_REACH,
            Verdict::Unknown,
            Some(UnknownReason::Timeout),
            Text::new(
                format!("ルーター {gw} から応答がありません"),
                format!("Gateway {gw} did not answer"),
            ),
            Text::new(
                "ネットワーク接続とルーターの電源を確認してください",
                "Check the network cable and the router's power",
            ),
            facts,
            ev,
        )
    }
}

fn eval_exposure(gw: Ipv4Addr, g: &GatewayObs) -> Finding {
    let mut ev: Vec<Evidence> = g.ports.iter().map(port_evidence).collect();
    for h in &g.http {
        ev.push(net_evidence(
            format!("GET {}", h.url),
            h.raw.clone(),
            h.started_at,
            h.ended_at,
            h.error.clone(),
        ));
    }
    for b in &g.banners {
        let t = g
            .ports
            .iter()
            .find(|p| p.port == b.port)
            .map_or_else(Utc::now, |p| p.at);
        ev.push(net_evidence(
            format!("tcp://{gw}:{} (banner, nothing sent)", b.port),
            b.banner.clone(),
            t,
            t,
            None,
        ));
    }
    let open: Vec<u16> = g
        .ports
        .iter()
        .filter(|p| p.state == PortState::Open)
        .map(|p| p.port)
        .collect();
    let answered = g
        .ports
        .iter()
        .any(|p| matches!(p.state, PortState::Open | PortState::Closed));
    let plain_login: Vec<&str> = g
        .http
        .iter()
        .filter(|h| h.url.starts_with("http://") && h.password_form)
        .map(|h| h.url.as_str())
        .collect();
    let facts = json!({
        "gateway": gw.to_string(),
        "ports": g.ports.iter().map(|p| json!({"port": p.port, "state": p.state})).collect::<Vec<_>>(),
        "http": g.http.iter().map(|h| json!({"url": h.url, "status": h.status, "server": h.server, "title": h.title, "password_form": h.password_form})).collect::<Vec<_>>(),
        "telnet_open": open.contains(&23),
        "plain_http_login": plain_login,
    });
    let mut ja = Vec::new();
    let mut en = Vec::new();
    let mut verdict = Verdict::Pass;
    if open.contains(&23) {
        verdict = Verdict::Fail;
        ja.push("Telnet(暗号化なしの管理ログイン)が開いています".to_string());
        en.push("Telnet (unencrypted management login) is open".to_string());
    }
    if !plain_login.is_empty() {
        verdict = verdict.max(Verdict::Warn);
        ja.push(format!(
            "ログイン画面が暗号化なし(HTTP)で表示されます: {}",
            plain_login.join(", ")
        ));
        en.push(format!(
            "A login page is served over plain HTTP: {}",
            plain_login.join(", ")
        ));
    }
    if !answered {
        return finding(
            ID_EXPOSURE,
            Verdict::Unknown,
            Some(UnknownReason::Timeout),
            Text::new(
                format!("ルーター {gw} の管理用ポートから応答がありません"),
                format!("No management port of {gw} answered"),
            ),
            Text::default(),
            facts,
            ev,
        );
    }
    let ports_txt = if open.is_empty() {
        "なし".to_string()
    } else {
        format!("{open:?}")
    };
    let (sja, sen) = if ja.is_empty() {
        (
            format!(
                "ルーター {gw} の管理画面に問題は見つかりませんでした(開いているポート: {ports_txt})"
            ),
            format!("No problem found on {gw}'s management surface (open: {open:?})"),
        )
    } else {
        (
            format!("ルーター {gw}: {}", ja.join("、")),
            format!("Gateway {gw}: {}", en.join("; ")),
        )
    };
    let action = match verdict {
        Verdict::Fail => Text::new(
            "ルーターの設定でTelnetを無効にし、管理画面はHTTPSだけにしてください(保守業者に依頼)",
            "Disable Telnet on the router and allow management over HTTPS only (ask your vendor)",
        ),
        Verdict::Warn => Text::new(
            "管理画面をHTTPSにし、初期パスワードを変更してください(保守業者に依頼)",
            "Use HTTPS for the management page and change the default password (ask your vendor)",
        ),
        _ => Text::default(),
    };
    finding(
        ID_EXPOSURE,
        verdict,
        None,
        Text::new(sja, sen),
        action,
        facts,
        ev,
    )
}

fn eval_upnp(gw: Ipv4Addr, g: &GatewayObs) -> Finding {
    let Some(s) = &g.ssdp else {
        return unknown(
            ID_UPNP,
            UnknownReason::Other,
            "UPnPの確認を行えませんでした",
            "UPnP was not checked",
            Vec::new(),
        );
    };
    let mut raw = format!("sent to 239.255.255.250:1900 (TTL 1):\n{}\n", s.request);
    for r in &s.responses {
        raw.push_str(&format!("--- from {}\n{}\n", r.from, r.raw));
    }
    let ev = vec![net_evidence(
        "udp://239.255.255.250:1900 (SSDP M-SEARCH)".into(),
        raw,
        s.started_at,
        s.ended_at,
        s.error.clone(),
    )];
    if let Some(e) = &s.error {
        return unknown(
            ID_UPNP,
            UnknownReason::BlockedByOs,
            format!("UPnP探索を送れませんでした: {e}"),
            format!("Could not send the UPnP search: {e}"),
            ev,
        );
    }
    let mut devices: Vec<String> = s
        .responses
        .iter()
        .map(|r| r.from.split(':').next().unwrap_or("").to_string())
        .collect();
    devices.sort();
    devices.dedup();
    let igd: Vec<String> = s
        .responses
        .iter()
        .filter(|r| super::gateway::is_igd(&r.raw))
        .map(|r| r.from.split(':').next().unwrap_or("").to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let gw_igd = igd.iter().any(|a| *a == gw.to_string());
    let facts = json!({"responders": devices, "igd": igd, "gateway_is_igd": gw_igd});
    if !igd.is_empty() {
        finding(
            ID_UPNP,
            Verdict::Warn,
            None,
            Text::new(
                format!(
                    "UPnPでポートを自動で開けられるルーターがあります: {}",
                    igd.join(", ")
                ),
                format!(
                    "An Internet Gateway Device answers UPnP (automatic port opening): {}",
                    igd.join(", ")
                ),
            ),
            Text::new(
                "ルーターのUPnP機能を無効にしてください(保守業者に依頼)",
                "Disable UPnP on the router (ask your vendor)",
            ),
            facts,
            ev,
        )
    } else if devices.is_empty() {
        finding(
            ID_UPNP,
            Verdict::Pass,
            None,
            Text::new(
                "UPnPに応答する機器はありませんでした",
                "No device answered UPnP discovery",
            ),
            Text::default(),
            facts,
            ev,
        )
    } else {
        finding(
            ID_UPNP,
            Verdict::Pass,
            None,
            Text::new(
                format!(
                    "UPnPに応答した機器: {}(ポート自動開放のできるルーターではありません)",
                    devices.join(", ")
                ),
                format!(
                    "UPnP devices answered: {} (none is an Internet Gateway Device)",
                    devices.join(", ")
                ),
            ),
            Text::default(),
            facts,
            ev,
        )
    }
}

/// Classifies an external address reported by the gateway.
pub fn classify_external(ip: Ipv4Addr) -> &'static str {
    let o = ip.octets();
    if ip.is_private() {
        "private"
    } else if o[0] == 100 && (64..128).contains(&o[1]) {
        "cgnat"
    } else if ip.is_unspecified() {
        "none"
    } else {
        "public"
    }
}

fn eval_double_nat(gw: Ipv4Addr, g: &GatewayObs) -> Finding {
    let Some(igd) = &g.igd else {
        return unknown(
            ID_DOUBLE_NAT,
            UnknownReason::NotInstalled,
            "ルーターが外側のアドレスを教えてくれない(UPnP IGDなし)ため、二重ルーターかどうか確認できませんでした。ルーターより先には通信しません",
            "The gateway does not report its external address (no UPnP IGD), so double NAT could not be checked; Tenken sends nothing beyond the gateway",
            Vec::new(),
        );
    };
    let raw = format!(
        "GET {}\n{}\n--- POST {} GetExternalIPAddress\n{}",
        igd.location,
        igd.description,
        igd.control_url.clone().unwrap_or_default(),
        igd.soap_response
    );
    let t = g.ssdp.as_ref().map_or_else(Utc::now, |s| s.ended_at);
    let ev = vec![net_evidence(
        format!("upnp-igd://{gw} GetExternalIPAddress"),
        raw,
        t,
        t,
        igd.error.clone(),
    )];
    let Some(ext) = igd.external_ip else {
        return unknown(
            ID_DOUBLE_NAT,
            UnknownReason::Unparsable,
            "ルーターから外側のアドレスを取得できませんでした",
            "Could not read the gateway's external address",
            ev,
        );
    };
    let class = classify_external(ext);
    let facts = json!({"gateway": gw.to_string(), "external_ip": ext.to_string(), "class": class, "method": "upnp-igd"});
    match class {
        "private" => finding(
            ID_DOUBLE_NAT,
            Verdict::Warn,
            None,
            Text::new(
                format!(
                    "ルーター {gw} の外側のアドレス {ext} がプライベートアドレスです: ルーターが二重になっている可能性が高いです"
                ),
                format!("Gateway {gw} reports a private external address {ext}: double NAT likely"),
            ),
            Text::new(
                "回線業者のルーターと院内ルーターの役割を整理し、台帳に両方を記載してください",
                "Clarify which router does what and record both in the device ledger",
            ),
            facts,
            ev,
        ),
        "cgnat" => finding(
            ID_DOUBLE_NAT,
            Verdict::Pass,
            None,
            Text::new(
                format!(
                    "外側のアドレス {ext} は回線業者のCGNATです(院内の二重ルーターではありません。外からのVPN接続はできません)"
                ),
                format!(
                    "External address {ext} is carrier-grade NAT (not a clinic-side double router; inbound VPN will not work)"
                ),
            ),
            Text::default(),
            facts,
            ev,
        ),
        "public" => finding(
            ID_DOUBLE_NAT,
            Verdict::Pass,
            None,
            Text::new(
                format!("ルーターは一段です(外側のアドレス {ext})"),
                format!("Single NAT (external address {ext})"),
            ),
            Text::default(),
            facts,
            ev,
        ),
        _ => unknown(
            ID_DOUBLE_NAT,
            UnknownReason::Other,
            format!("外側のアドレスが未設定です({ext})"),
            format!("The gateway has no external address ({ext})"),
            ev,
        ),
    }
}

/// The addresses of the range where no device answered discovery: one finding for all of them.
/// Not a pass: nothing was checked there. 該当なし when other devices were found; 未確認 when none
/// answered at all (the range may not be this clinic's LAN, or every device was off).
pub fn evaluate_silent(d: &DiscoveryObs) -> Finding {
    let n = d.silent.len();
    let list = compress_addrs(&d.silent);
    let mut ev: Vec<Evidence> = d.silent_connects.iter().map(port_evidence).collect();
    for t in [&d.before, &d.after] {
        ev.push(Evidence {
            kind: SourceKind::File,
            ..net_evidence(t.source.clone(), t.raw.clone(), t.at, t.at, t.error.clone())
        });
    }
    let facts = json!({
        "silent": d.silent.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
        "silent_count": n,
        "found_count": d.found.len(),
        "discovery_ports": d.ports,
        "discovery_timeout_ms": d.timeout_ms,
        "neighbour_table": d.after.source,
    });
    let how_ja = format!(
        "ポート {} への接続と、このPCの ARP 表で確認",
        d.ports
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("・")
    );
    let how_en = format!(
        "checked by a connect to port {} and this PC's ARP table",
        d.ports
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("/")
    );
    if d.found.is_empty() {
        return finding(
            ID_LAN,
            Verdict::Unknown,
            Some(UnknownReason::Timeout),
            Text::new(
                format!(
                    "指定した範囲 {list} に応答する機器が1台も見つかりませんでした({how_ja})。範囲が院内LANと合っているか確認してください"
                ),
                format!(
                    "No device answered in {list} ({how_en}); check the range is the clinic LAN"
                ),
            ),
            Text::new(
                "院内LANのアドレス範囲(例: このPCのIPアドレスの /24)を指定して、もう一度確認してください",
                "Give the clinic LAN's range (e.g. the /24 of this PC's address) and check again",
            ),
            facts,
            ev,
        );
    }
    finding(
        ID_LAN,
        Verdict::NotApplicable,
        None,
        Text::new(
            format!(
                "機器の応答がなかったアドレス {n} 件 ({list}): ポートは確認していません({how_ja})"
            ),
            format!(
                "{n} address(es) with no device answering ({list}): ports not checked ({how_en})"
            ),
        ),
        Text::new(
            "電源が切れていた機器は確認できていません。その機器は電源を入れてからもう一度確認してください",
            "Devices that were switched off were not checked; check again with them switched on",
        ),
        facts,
        ev,
    )
}

/// `192.168.1.2-9, 192.168.1.11` from a sorted or unsorted address list (runs collapsed).
pub fn compress_addrs(addrs: &[Ipv4Addr]) -> String {
    let mut v: Vec<u32> = addrs.iter().map(|a| u32::from(*a)).collect();
    v.sort_unstable();
    v.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 && (v[j + 1] >> 8) == (v[i] >> 8) {
            j += 1;
        }
        let a = Ipv4Addr::from(v[i]);
        parts.push(if j == i {
            a.to_string()
        } else {
            format!("{a}-{}", Ipv4Addr::from(v[j]).octets()[3])
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// Per-host verdict of the LAN port check.
pub fn evaluate_host(h: &HostObs) -> Finding {
    let ev: Vec<Evidence> = h.ports.iter().map(port_evidence).collect();
    let ip = h.addr;
    let ports = h.ports.iter().map(|p| {
        let spec = profile::spec(p.port);
        json!({"port": p.port, "service": spec.map(|s| s.service), "state": p.state, "rtt_ms": p.rtt_ms})
    }).collect::<Vec<_>>();
    let open: Vec<u16> = h
        .ports
        .iter()
        .filter(|p| p.state == PortState::Open)
        .map(|p| p.port)
        .collect();
    let answered = h
        .ports
        .iter()
        .any(|p| matches!(p.state, PortState::Open | PortState::Closed));
    let mut verdict = Verdict::Pass;
    let mut reasons = Vec::new();
    for port in &open {
        if let Some(s) = profile::spec(*port) {
            if s.rule != Rule::Note {
                verdict = verdict.max(s.rule.verdict());
            }
            reasons.push(json!({"port": port, "service": s.service, "rule": s.rule, "ja": s.why_ja, "en": s.why_en}));
        }
    }
    let facts = json!({"host": ip.to_string(), "ports": ports, "open": open, "reasons": reasons});
    if !answered {
        return finding(
            ID_LAN,
            Verdict::Unknown,
            Some(UnknownReason::Timeout),
            Text::new(
                format!("{ip}: 応答がありません(電源が切れているか、すべて遮断されています)"),
                format!("{ip}: no answer (switched off, or everything is blocked)"),
            ),
            Text::default(),
            facts,
            ev,
        );
    }
    let issues: Vec<&profile::PortSpec> = open
        .iter()
        .filter_map(|p| profile::spec(*p))
        .filter(|s| s.rule != Rule::Note)
        .collect();
    let open_txt = open
        .iter()
        .map(|p| format!("{p}({})", profile::spec(*p).map_or("?", |s| s.service)))
        .collect::<Vec<_>>()
        .join(", ");
    let (sja, sen) = if issues.is_empty() {
        (
            format!(
                "{ip}: 問題となるポートは開いていません(開いているポート: {})",
                if open.is_empty() { "なし" } else { &open_txt }
            ),
            format!(
                "{ip}: no risky port open (open: {})",
                if open.is_empty() { "none" } else { &open_txt }
            ),
        )
    } else {
        (
            format!("{ip}: 開いているポート {open_txt}"),
            format!("{ip}: open ports {open_txt}"),
        )
    };
    let mut ja: Vec<&str> = Vec::new();
    let mut en: Vec<&str> = Vec::new();
    for s in &issues {
        if !ja.contains(&s.why_ja) {
            ja.push(s.why_ja);
            en.push(s.why_en);
        }
    }
    let action = Text::new(ja.join("。"), en.join(". "));
    finding(
        ID_LAN,
        verdict,
        None,
        Text::new(sja, sen),
        action,
        facts,
        ev,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn network_refs_name_real_checklist_items() {
        let all = tenken_checklist::builtin().unwrap();
        for id in [ID_REACH, ID_EXPOSURE, ID_UPNP, ID_DOUBLE_NAT, ID_LAN] {
            for r in refs(id) {
                let cl = all.iter().find(|c| c.id == r.checklist).unwrap();
                assert!(
                    cl.item(&r.item).is_some(),
                    "{id}: {} not in {}",
                    r.item,
                    r.checklist
                );
            }
        }
    }

    fn port(addr: Ipv4Addr, port: u16, state: PortState) -> PortObs {
        PortObs {
            addr,
            port,
            state,
            rtt_ms: matches!(state, PortState::Open | PortState::Closed).then_some(0.5),
            timeout_ms: 1000,
            at: Utc::now(),
            error: None,
        }
    }

    fn host(states: &[(u16, PortState)]) -> HostObs {
        let a = Ipv4Addr::new(192, 168, 77, 21);
        let mut ports: Vec<PortObs> = profile::ports()
            .into_iter()
            .map(|p| port(a, p, PortState::Closed))
            .collect();
        for (p, s) in states {
            if let Some(o) = ports.iter_mut().find(|o| o.port == *p) {
                *o = port(a, *p, *s);
            }
        }
        HostObs { addr: a, ports }
    }

    #[test]
    fn host_rules() {
        assert_eq!(evaluate_host(&host(&[])).verdict, Verdict::Pass);
        assert_eq!(
            evaluate_host(&host(&[(445, PortState::Open), (3389, PortState::Open)])).verdict,
            Verdict::Warn
        );
        assert_eq!(
            evaluate_host(&host(&[(445, PortState::Open), (23, PortState::Open)])).verdict,
            Verdict::Fail
        );
        assert_eq!(
            evaluate_host(&host(&[(5900, PortState::Open)])).verdict,
            Verdict::Fail
        );
        let f = evaluate_host(&host(&[(104, PortState::Open), (2575, PortState::Open)]));
        assert_eq!(f.verdict, Verdict::Warn);
        assert!(f.action.ja.contains("モダリティ"), "{}", f.action.ja);
        let twice = evaluate_host(&host(&[(104, PortState::Open), (11112, PortState::Open)]));
        assert_eq!(
            twice.action.ja.matches("DICOM").count(),
            1,
            "{}",
            twice.action.ja
        );
        assert_eq!(
            evaluate_host(&host(&[(9100, PortState::Open)])).verdict,
            Verdict::Pass
        );
        assert_eq!(f.evidence.len(), profile::ports().len());
        assert!(f.evidence.iter().all(|e| e.kind == SourceKind::Network));
    }

    #[test]
    fn silent_host_is_unknown_not_pass() {
        let a = Ipv4Addr::new(192, 168, 77, 23);
        let h = HostObs {
            addr: a,
            ports: profile::ports()
                .into_iter()
                .map(|p| port(a, p, PortState::Filtered))
                .collect(),
        };
        let f = evaluate_host(&h);
        assert_eq!(f.verdict, Verdict::Unknown);
        assert_eq!(f.reason, Some(UnknownReason::Timeout));
    }

    fn discovery(found: &[u8], silent: &[u8]) -> DiscoveryObs {
        use crate::discover::{FoundBy, FoundHost, NeighbourRead};
        let a = |l: u8| Ipv4Addr::new(192, 168, 77, l);
        let table = NeighbourRead {
            source: "/proc/net/arp".into(),
            raw: "IP address       HW type     Flags       HW address            Mask     Device\n"
                .into(),
            entries: Default::default(),
            error: None,
            at: Utc::now(),
        };
        DiscoveryObs {
            ports: vec![445, 80],
            timeout_ms: 600,
            before: table.clone(),
            after: table,
            found: found
                .iter()
                .map(|l| FoundHost {
                    addr: a(*l),
                    by: FoundBy::Tcp,
                })
                .collect(),
            silent: silent.iter().map(|l| a(*l)).collect(),
            silent_connects: silent
                .iter()
                .map(|l| port(a(*l), 445, PortState::Filtered))
                .collect(),
            max_in_flight_per_host: 1,
            per_host_concurrency: 3,
            per_host_rate: 20,
            started_at: Utc::now(),
            ended_at: Utc::now(),
        }
    }

    /// The empty addresses of a range are one finding, never a pass: 該当なし beside devices
    /// that answered, 未確認 when nothing answered at all; every connect sent is evidence.
    #[test]
    fn silent_addresses_are_one_finding_never_a_pass() {
        let f = evaluate_silent(&discovery(&[1, 21], &[2, 3, 4, 5, 30, 254]));
        assert_eq!(f.verdict, Verdict::NotApplicable);
        assert_eq!(f.facts["silent_count"], 6);
        assert!(
            f.summary
                .ja
                .contains("192.168.77.2-5, 192.168.77.30, 192.168.77.254"),
            "{}",
            f.summary.ja
        );
        let tcp = f
            .evidence
            .iter()
            .filter(|e| e.source.starts_with("tcp://"))
            .count();
        assert_eq!(tcp, 6);
        assert!(f.evidence.iter().any(|e| e.source == "/proc/net/arp"));
        let none = evaluate_silent(&discovery(&[], &[2, 3]));
        assert_eq!(none.verdict, Verdict::Unknown);
        assert_eq!(none.reason, Some(UnknownReason::Timeout));
        assert!(
            none.summary.ja.contains("1台も見つかりません"),
            "{}",
            none.summary.ja
        );
    }

    fn gateway(open: &[u16], http: Vec<crate::obs::HttpObs>) -> GatewayObs {
        let gw = Ipv4Addr::new(192, 168, 77, 1);
        GatewayObs {
            source: "/proc/net/route".into(),
            source_raw: String::new(),
            address: Some(gw),
            not_contacted: None,
            reach: None,
            ports: profile::ROUTER_PORTS
                .iter()
                .map(|p| {
                    port(
                        gw,
                        *p,
                        if open.contains(p) {
                            PortState::Open
                        } else {
                            PortState::Closed
                        },
                    )
                })
                .collect(),
            http,
            banners: Vec::new(),
            ssdp: None,
            igd: None,
        }
    }

    fn page(url: &str, password_form: bool) -> crate::obs::HttpObs {
        crate::obs::HttpObs {
            url: url.into(),
            status: Some(200),
            server: None,
            title: None,
            password_form,
            raw: String::new(),
            error: None,
            started_at: Utc::now(),
            ended_at: Utc::now(),
        }
    }

    #[test]
    fn router_exposure_rules() {
        let gw = Ipv4Addr::new(192, 168, 77, 1);
        let v = |g: &GatewayObs| eval_exposure(gw, g).verdict;
        assert_eq!(v(&gateway(&[], vec![])), Verdict::Pass);
        assert_eq!(
            v(&gateway(
                &[443],
                vec![page("https://192.168.77.1:443/", true)]
            )),
            Verdict::Pass
        );
        assert_eq!(
            v(&gateway(&[80], vec![page("http://192.168.77.1:80/", true)])),
            Verdict::Warn
        );
        assert_eq!(
            v(&gateway(
                &[80],
                vec![page("http://192.168.77.1:80/", false)]
            )),
            Verdict::Pass
        );
        assert_eq!(v(&gateway(&[23, 443], vec![])), Verdict::Fail);
        // Nothing answered at all: unknown, not pass.
        let mut silent = gateway(&[], vec![]);
        for p in &mut silent.ports {
            p.state = PortState::Filtered;
        }
        assert_eq!(v(&silent), Verdict::Unknown);
    }

    #[test]
    fn double_nat_without_igd_is_unknown_and_gateway_not_contacted_is_unknown() {
        let gw = Ipv4Addr::new(192, 168, 77, 1);
        let f = eval_double_nat(gw, &gateway(&[], vec![]));
        assert_eq!(f.verdict, Verdict::Unknown);
        let mut g = gateway(&[], vec![]);
        g.not_contacted = Some("gateway 192.168.77.1 is on the never-touch list".into());
        let all = evaluate_gateway(&g);
        assert_eq!(all.len(), 4);
        assert!(
            all.iter()
                .all(|f| f.verdict == Verdict::Unknown && f.summary.en.contains("never-touch"))
        );
    }

    #[test]
    fn external_address_classes() {
        assert_eq!(classify_external(Ipv4Addr::new(10, 77, 1, 2)), "private");
        assert_eq!(classify_external(Ipv4Addr::new(100, 70, 0, 1)), "cgnat");
        assert_eq!(classify_external(Ipv4Addr::new(203, 0, 113, 9)), "public");
    }

    /// A bundle keeps the observations whole: the network findings re-judged from it are the
    /// ones written, and a damaged record is refused instead of re-judged.
    #[test]
    fn a_bundle_keeps_what_the_network_check_observed() {
        let scope = crate::Scope::new(
            true,
            &["192.168.77.10".into()],
            crate::NeverTouch::default(),
            50,
        )
        .unwrap();
        let mut hostobs = host(&[(445, PortState::Open), (3389, PortState::Open)]);
        // Enough observed to need the compressed copy.
        for p in 1..400u16 {
            hostobs
                .ports
                .push(port(hostobs.addr, 10_000 + p, PortState::Closed));
        }
        let obs = Observations {
            scope,
            started_at: Utc::now(),
            ended_at: Utc::now(),
            gateway: Some(gateway(
                &[23, 443],
                vec![page("https://192.168.77.1:443/", true)],
            )),
            discovery: Some(discovery(&[10], &[2, 3])),
            lan: vec![hostobs],
            devices: Vec::new(),
        };
        let findings = evaluate(&obs);
        let kept: Vec<_> = findings
            .iter()
            .flat_map(|f| f.evidence.iter())
            .filter(|e| e.source == crate::OBSERVATIONS_SOURCE)
            .collect();
        assert_eq!(kept.len(), 1, "kept once");
        assert!(
            kept[0].truncated && kept[0].raw.len() < 4096,
            "readable part stays short"
        );
        let bundle = tenken_evidence::Bundle {
            format: tenken_evidence::BUNDLE_FORMAT.into(),
            host: Default::default(),
            started_at: obs.started_at,
            ended_at: obs.ended_at,
            replayed: false,
            findings: findings.clone(),
        };
        // Through JSON, as the bundle file is read.
        let bundle: tenken_evidence::Bundle =
            serde_json::from_str(&serde_json::to_string(&bundle).unwrap()).unwrap();
        let back = crate::observations_in(&bundle).unwrap().unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(&obs).unwrap()
        );
        let again = evaluate(&back);
        assert_eq!(again.len(), findings.len());
        for (a, b) in again.iter().zip(&findings) {
            assert_eq!(
                (&a.probe_id, a.verdict, &a.facts),
                (&b.probe_id, b.verdict, &b.facts)
            );
        }

        // One changed byte in the whole copy: refused, not re-judged.
        let mut damaged = bundle.clone();
        for e in damaged
            .findings
            .iter_mut()
            .flat_map(|f| f.evidence.iter_mut())
        {
            if e.source == crate::OBSERVATIONS_SOURCE {
                let text =
                    tenken_probe::evidence_of::inflate_b64(e.raw_deflate.as_deref().unwrap())
                        .unwrap()
                        .replacen("3389", "3390", 1);
                assert!(text.contains("3390"));
                e.raw_deflate = Some(tenken_probe::evidence_of::deflate_b64(&text));
            }
        }
        assert!(matches!(
            crate::observations_in(&damaged),
            Err(crate::NetError::DamagedObservations)
        ));
        // A bundle of local probes only holds none.
        let mut local = bundle;
        local.findings.clear();
        assert!(crate::observations_in(&local).unwrap().is_none());
    }
}
