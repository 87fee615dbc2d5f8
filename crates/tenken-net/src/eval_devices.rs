//! Verdicts about the devices themselves (pure, like [`super::eval`]): the network device ledger
//! with known-exploited products (`net.devices`), SNMP answering the default community
//! (`net.snmp`), and devices besides the router that look like a way out of the clinic LAN
//! (`net.shadow`: a second router, an LTE router, a VPN box).

use chrono::{DateTime, Utc};
use serde_json::json;

use tenken_base::Text;
use tenken_evidence::{Evidence, Finding, SourceKind, UnknownReason, Verdict, sha256_hex};
use tenken_kev::{Catalogue, ProductMatch};

use super::eval::{finding, net_evidence};
use super::identify::DeviceObs;
use super::obs::{HttpObs, Observations};

/// Probe id of the network device ledger / known-exploited check.
pub const ID_DEVICES: &str = "net.devices";
/// Probe id of the SNMP default-community check.
pub const ID_SNMP: &str = "net.snmp";
/// Probe id of the second-way-out check.
pub const ID_SHADOW: &str = "net.shadow";

/// Words in what a device says about itself that mark it as a router, VPN or mobile gateway
/// (lower-case; matched in the lower-cased text).
pub const ROUTER_WORDS: &[&str] = &[
    "router",
    "ルーター",
    "ルータ",
    "gateway",
    "ゲートウェイ",
    "vpn",
    "firewall",
    "utm",
    "lte",
    "4g",
    "5g",
    "モバイル",
    "aterm",
    "rtx",
    "fortigate",
    "internetgatewaydevice",
];

fn http_evidence(h: &HttpObs) -> Evidence {
    net_evidence(
        h.url.clone(),
        h.raw.clone(),
        h.started_at,
        h.ended_at,
        h.error.clone(),
    )
}

fn device_evidence(d: &DeviceObs, at: DateTime<Utc>) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = d.http.iter().map(http_evidence).collect();
    if let Some(s) = &d.snmp {
        ev.push(net_evidence(
            s.target.clone(),
            format!("community {}\n{}", s.community, s.raw),
            s.started_at,
            s.ended_at,
            s.error.clone(),
        ));
    }
    if let Some(u) = &d.upnp {
        ev.push(net_evidence(
            u.location.clone(),
            u.description.clone(),
            at,
            at,
            u.error.clone(),
        ));
    }
    ev
}

/// The device with the router's own web pages merged in (they were read by the router check).
fn with_gateway_pages(obs: &Observations, d: &DeviceObs) -> DeviceObs {
    let mut d = d.clone();
    if let Some(g) = obs.gateway.as_ref().filter(|g| g.address == Some(d.addr)) {
        for h in &g.http {
            if !d.http.iter().any(|x| x.url == h.url) {
                d.http.push(h.clone());
            }
        }
    }
    d
}

fn kev_json(m: &[ProductMatch]) -> serde_json::Value {
    json!(
        m.iter()
            .map(|p| json!({
                "vendor": p.vendor,
                "product": p.product,
                "ransomware": p.ransomware(),
                "cves": p.vulns.iter().map(|v| json!({
                    "id": v.cve_id,
                    "name": v.name,
                    "date_added": v.date_added.to_string(),
                    "ransomware": v.used_by_ransomware(),
                })).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>()
    )
}

fn label(d: &DeviceObs) -> String {
    let t = d.identity_texts();
    let name = t.iter().take(2).cloned().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        d.addr.to_string()
    } else {
        format!("{} ({name})", d.addr)
    }
}

fn cve_list(m: &[ProductMatch], n: usize) -> String {
    let all: Vec<&str> = m
        .iter()
        .flat_map(|p| p.vulns.iter().map(|v| v.cve_id.as_str()))
        .collect();
    let shown = all.iter().take(n).copied().collect::<Vec<_>>().join(", ");
    if all.len() > n {
        format!("{shown} ほか{}件", all.len() - n)
    } else {
        shown
    }
}

/// One `net.devices` finding for a device that said what it is.
pub fn evaluate_device(obs: &Observations, d: &DeviceObs, kev: &Catalogue) -> Option<Finding> {
    let d = with_gateway_pages(obs, d);
    let texts = d.identity_texts();
    if texts.is_empty() {
        return None;
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let matches = kev.match_device(&refs);
    let now = obs.ended_at;
    let stale = kev.is_stale(now);
    let is_gateway = obs.gateway.as_ref().and_then(|g| g.address) == Some(d.addr);
    let upnp = d.upnp.as_ref();
    let mut ev = device_evidence(&d, now);
    let kev_raw = serde_json::to_string_pretty(&kev_json(&matches)).unwrap_or_default();
    ev.push(Evidence {
        kind: SourceKind::File,
        source: format!("kev:{} (sha256 {})", kev.version, kev.sha256),
        raw_len: kev_raw.len() as u64,
        raw_sha256: sha256_hex(kev_raw.as_bytes()),
        raw: kev_raw,
        truncated: false,
        encoding: Some("utf-8".into()),
        stderr: None,
        started_at: now,
        ended_at: now,
        exit_code: None,
        elevated: false,
        error: None,
        raw_deflate: None,
        same_as: None,
        note: None,
    });
    let facts = json!({
        "host": d.addr.to_string(),
        "gateway": is_gateway,
        "names": texts,
        "manufacturer": upnp.and_then(|u| u.manufacturer.clone()),
        "model": upnp.and_then(|u| u.model_name.clone()),
        "model_number": upnp.and_then(|u| u.model_number.clone()),
        "firmware": upnp.and_then(|u| u.firmware.clone()),
        "igd": upnp.is_some_and(|u| u.igd),
        "snmp_public": d.snmp.as_ref().is_some_and(|s| s.answered),
        "sys_descr": d.snmp.as_ref().and_then(|s| s.sys_descr.clone()),
        "titles": d.http.iter().filter_map(|h| h.title.clone()).collect::<Vec<_>>(),
        "servers": d.http.iter().filter_map(|h| h.server.clone()).collect::<Vec<_>>(),
        "kev": kev_json(&matches),
        "kev_catalogue": {"version": kev.version, "date": kev.date(), "stale": stale, "sha256": kev.sha256},
    });
    let who = label(&d);
    let date = kev.date();
    let f = if !matches.is_empty() {
        let products = matches
            .iter()
            .map(|m| format!("{} {}", m.vendor, m.product))
            .collect::<Vec<_>>()
            .join("、");
        let ransom = matches.iter().any(ProductMatch::ransomware);
        finding(
            ID_DEVICES,
            Verdict::Warn,
            None,
            Text::new(
                format!(
                    "{who}: 悪用が確認された脆弱性のある製品です({products}: {}){}。動いているファームウェアが修正済みか未確認です",
                    cve_list(&matches, 3),
                    if ransom {
                        "。ランサムウェア攻撃で使われたものを含みます"
                    } else {
                        ""
                    }
                ),
                format!(
                    "{who}: a product with known exploited vulnerabilities ({products}: {}){}; whether the running firmware is fixed is not known",
                    cve_list(&matches, 3)
                        .replace("ほか", "and ")
                        .replace('件', " more"),
                    if ransom {
                        "; some were used in ransomware attacks"
                    } else {
                        ""
                    }
                ),
            ),
            Text::new(
                format!(
                    "保守業者に、{} を修正したファームウェアになっているか確認し、動いているバージョンを台帳に記録してください。修正版でなければすぐに更新を依頼してください",
                    cve_list(&matches, 3)
                ),
                format!(
                    "Ask the maintenance vendor whether the firmware fixes {}, and record the running version in the ledger; if not, have it updated at once",
                    cve_list(&matches, 3)
                        .replace("ほか", "and ")
                        .replace('件', " more")
                ),
            ),
            facts,
            ev,
        )
    } else if stale {
        finding(
            ID_DEVICES,
            Verdict::Unknown,
            Some(UnknownReason::Other),
            Text::new(
                format!(
                    "{who}: 悪用が確認された脆弱性の一覧が {date} 時点のものなので、該当するかは未確認です"
                ),
                format!(
                    "{who}: unverified: the known-exploited vulnerabilities data is from {date}"
                ),
            ),
            Text::new(
                "CISA の KEV カタログ(JSON)の最新版を入手し、`tenken data update ファイル` で取り込んでから確認し直してください",
                "Get the latest CISA KEV catalogue (JSON), install it with `tenken data update FILE`, and check again",
            ),
            facts,
            ev,
        )
    } else {
        finding(
            ID_DEVICES,
            Verdict::Pass,
            None,
            Text::new(
                format!(
                    "{who}: 悪用が確認された脆弱性の一覧({date}版)に該当する製品はありません(ファームウェアの更新は引き続き必要です)"
                ),
                format!(
                    "{who}: not in the known-exploited vulnerabilities catalogue of {date} (keep its firmware updated)"
                ),
            ),
            Text::default(),
            facts,
            ev,
        )
    };
    Some(f)
}

/// `net.snmp`: one finding per device that answered the community `public`; one 適合 finding
/// when devices were asked and none answered.
pub fn evaluate_snmp(obs: &Observations) -> Vec<Finding> {
    let asked: Vec<&DeviceObs> = obs.devices.iter().filter(|d| d.snmp.is_some()).collect();
    if asked.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for d in &asked {
        let Some(s) = d.snmp.as_ref().filter(|s| s.answered) else {
            continue;
        };
        out.push(finding(
            ID_SNMP,
            Verdict::Warn,
            None,
            Text::new(
                format!(
                    "{}: 初期設定の合言葉(SNMP コミュニティ名 public)で機器の情報が読めます({})",
                    d.addr,
                    s.sys_descr.clone().unwrap_or_default()
                ),
                format!(
                    "{}: device information can be read with the default SNMP community \"public\" ({})",
                    d.addr,
                    s.sys_descr.clone().unwrap_or_default()
                ),
            ),
            Text::new(
                "SNMP を使っていなければ止め、使っているなら推測されにくいコミュニティ名か SNMPv3 に変えるよう、機器の管理者(保守業者)に依頼してください",
                "Turn SNMP off if unused; otherwise have the device's administrator set a hard-to-guess community or use SNMPv3",
            ),
            json!({"host": d.addr.to_string(), "community": s.community, "sys_descr": s.sys_descr, "sys_object_id": s.sys_object_id, "sys_name": s.sys_name}),
            device_evidence(d, obs.ended_at)
                .into_iter()
                .filter(|e| e.source.starts_with("udp://"))
                .collect(),
        ));
    }
    if out.is_empty() {
        let ev: Vec<Evidence> = asked
            .iter()
            .flat_map(|d| device_evidence(d, obs.ended_at))
            .filter(|e| e.source.starts_with("udp://"))
            .collect();
        out.push(finding(
            ID_SNMP,
            Verdict::Pass,
            None,
            Text::new(
                format!(
                    "SNMP の初期設定の合言葉(public)に答えた機器はありません({}台に確認)",
                    asked.len()
                ),
                format!(
                    "No device answered the default SNMP community \"public\" ({} asked)",
                    asked.len()
                ),
            ),
            Text::default(),
            json!({"asked": asked.iter().map(|d| d.addr.to_string()).collect::<Vec<_>>()}),
            ev,
        ));
    }
    out
}

/// True when what a device says about itself makes it look like a router, VPN or mobile gateway.
pub fn looks_like_router(d: &DeviceObs) -> bool {
    if d.upnp.as_ref().is_some_and(|u| u.igd) {
        return true;
    }
    let text = d.identity_texts().join(" ").to_lowercase();
    ROUTER_WORDS.iter().any(|w| {
        // Latin words on word boundaries ("utm" not inside "outmost"), Japanese as substrings.
        if w.is_ascii() {
            text.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|t| t == *w || (w.len() > 3 && t.starts_with(w)))
        } else {
            text.contains(w)
        }
    })
}

/// `net.shadow`: devices of the LAN range, other than the router, that act like a router or a
/// way out (UPnP Internet Gateway Device, a router/VPN/LTE admin page or SNMP description).
/// None when no LAN range was checked.
pub fn evaluate_shadow(obs: &Observations) -> Option<Finding> {
    obs.discovery.as_ref()?;
    let gw = obs.gateway.as_ref().and_then(|g| g.address);
    let ssdp_ran = obs.gateway.as_ref().is_some_and(|g| g.ssdp.is_some());
    let candidates: Vec<&DeviceObs> = obs
        .devices
        .iter()
        .filter(|d| Some(d.addr) != gw && looks_like_router(d))
        .collect();
    let ev: Vec<Evidence> = candidates
        .iter()
        .flat_map(|d| device_evidence(d, obs.ended_at))
        .collect();
    let list = candidates
        .iter()
        .map(|d| label(d))
        .collect::<Vec<_>>()
        .join("、");
    let facts = json!({
        "candidates": candidates.iter().map(|d| json!({
            "host": d.addr.to_string(),
            "igd": d.upnp.as_ref().is_some_and(|u| u.igd),
            "names": d.identity_texts(),
        })).collect::<Vec<_>>(),
        "gateway": gw.map(|g| g.to_string()),
        "upnp_checked": ssdp_ran,
    });
    Some(if !candidates.is_empty() {
        finding(
            ID_SHADOW,
            Verdict::Warn,
            None,
            Text::new(
                format!("いつものルーター以外に、外部への出口になりうる機器があります: {list}"),
                format!("Besides the router, devices that may be another way out: {list}"),
            ),
            Text::new(
                "この機器が何のためにあるか(保守業者の遠隔保守用ルーターやモバイル回線など)を確認し、台帳に接続先・接続方式・管理者を記録してください。不要なら撤去を、必要なら出入口を一つにまとめるよう保守業者と相談してください",
                "Find out what each is for (a vendor's remote-maintenance router, a mobile line...) and record its partner, method and owner in the ledger; remove it if not needed, otherwise agree with the vendor on one managed entrance",
            ),
            facts,
            ev,
        )
    } else if ssdp_ran {
        finding(
            ID_SHADOW,
            Verdict::Pass,
            None,
            Text::new(
                "確認した範囲に、いつものルーター以外の出口らしい機器はありませんでした(UPnP と管理画面で確認)",
                "No device besides the router looked like a way out in the range checked (UPnP and admin pages)",
            ),
            Text::default(),
            facts,
            ev,
        )
    } else {
        finding(
            ID_SHADOW,
            Verdict::Unknown,
            Some(UnknownReason::NoConsent),
            Text::new(
                "ルーターの確認(--network)をしていないため UPnP で名乗る機器を調べておらず、ほかの出口の有無は一部しか確認できていません",
                "Without the router check (--network) devices announcing themselves by UPnP were not asked; other ways out are only partly checked",
            ),
            Text::new(
                "ルーターの確認も一緒に行ってください",
                "Run the router check too",
            ),
            facts,
            ev,
        )
    })
}

/// Every device finding of a run: ledger entries with known-exploited products, SNMP, shadow
/// routers.
pub fn evaluate_devices(obs: &Observations, kev: &Catalogue) -> Vec<Finding> {
    let mut out: Vec<Finding> = obs
        .devices
        .iter()
        .filter_map(|d| evaluate_device(obs, d, kev))
        .collect();
    out.extend(evaluate_snmp(obs));
    out.extend(evaluate_shadow(obs));
    out
}
