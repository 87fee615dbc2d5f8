//! What a LAN device says about itself without a login, for the network device ledger
//! (外部接続ネットワーク装置一覧) and the known-exploited check: the `Server` header and `<title>` of
//! its web admin page (`GET /` on open web ports), SNMP v2c `sysDescr` / `sysObjectID` /
//! `sysName` with the community `public` only (read-only GET; a device that answers is itself a
//! finding), and, when the consented router check found it by SSDP, its UPnP device description.
//! Never a login attempt, never a write, never another community name.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::gateway::{
    bound, error_chain, http_client, http_client_within, http_get, read_bounded, tag_text,
};
use super::obs::{HttpObs, PortObs, PortState};
use super::tcp::Connector;

/// Web ports whose `/` may be read when open, most telling first: the usual admin pages, then
/// the ports VPN appliances serve their SSL-VPN and admin pages on.
pub const WEB_PORTS: [(u16, &str); 6] = [
    (80, "http"),
    (443, "https"),
    (10443, "https"),
    (4443, "https"),
    (8443, "https"),
    (8080, "http"),
];

/// At most this many pages are read per device (one round within the device's connection
/// slots); the other open web ports stay listed by the port check.
pub const MAX_PAGES: usize = 3;

/// How long one admin-page read may take (a LAN device's page answers well within it; a port
/// that accepts but never answers HTTP does not hold the check up).
pub const HTTP_TIMEOUT: Duration = Duration::from_millis(1000);

/// The only SNMP community Tenken uses.
pub const SNMP_COMMUNITY: &str = "public";

/// How long an SNMP answer is awaited (an agent on the clinic LAN answers within milliseconds).
pub const SNMP_TIMEOUT: Duration = Duration::from_millis(1000);

/// sysDescr.0, sysObjectID.0, sysName.0 (RFC 3418).
pub const SNMP_OIDS: [(&str, &[u64]); 3] = [
    ("sysDescr", &[1, 3, 6, 1, 2, 1, 1, 1, 0]),
    ("sysObjectID", &[1, 3, 6, 1, 2, 1, 1, 2, 0]),
    ("sysName", &[1, 3, 6, 1, 2, 1, 1, 5, 0]),
];

/// One SNMP v2c GET with the community `public`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnmpObs {
    /// `udp://ip:161`.
    pub target: String,
    /// The community used (always `public`).
    pub community: String,
    /// Whether the device answered.
    pub answered: bool,
    /// sysDescr, when answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sys_descr: Option<String>,
    /// sysObjectID (dotted), when answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sys_object_id: Option<String>,
    /// sysName, when answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sys_name: Option<String>,
    /// The answer as text (one `name = value` line per variable).
    #[serde(default)]
    pub raw: String,
    /// Error or timeout, when not answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the request was sent.
    pub started_at: DateTime<Utc>,
    /// When the answer came (or the wait ended).
    pub ended_at: DateTime<Utc>,
}

/// A UPnP device description read from the `LOCATION` a device announced by SSDP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpnpDesc {
    /// The description URL (on the device itself).
    pub location: String,
    /// The document (bounded).
    pub description: String,
    /// `<manufacturer>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// `<modelName>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// `<modelNumber>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_number: Option<String>,
    /// `<friendlyName>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// A firmware field when the description has one (`firmwareVersion`, `softwareVersion`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware: Option<String>,
    /// Whether it is an Internet Gateway Device (a router to another network).
    pub igd: bool,
    /// Error, when the description could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What one device said about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceObs {
    /// Address.
    pub addr: Ipv4Addr,
    /// `GET /` of its open web ports.
    #[serde(default)]
    pub http: Vec<HttpObs>,
    /// The SNMP `public` GET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snmp: Option<SnmpObs>,
    /// Its UPnP description, when it answered SSDP (router check) and the description was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upnp: Option<UpnpDesc>,
}

impl DeviceObs {
    /// Every name the device gave for itself (for the ledger and the KEV match), most specific
    /// first, without duplicates.
    pub fn identity_texts(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: Option<&String>| {
            if let Some(s) = s
                .map(|s| s.trim())
                .filter(|s| !s.is_empty() && !out.iter().any(|o| o == s))
            {
                out.push(s.to_string());
            }
        };
        if let Some(u) = &self.upnp {
            push(u.manufacturer.as_ref());
            push(u.model_name.as_ref());
            push(u.model_number.as_ref());
            push(u.firmware.as_ref());
            push(u.friendly_name.as_ref());
        }
        if let Some(s) = &self.snmp {
            push(s.sys_descr.as_ref());
            push(s.sys_name.as_ref());
        }
        for h in &self.http {
            push(h.title.as_ref());
            push(h.server.as_ref());
        }
        out
    }
}

/// Reads the parts of a UPnP device description Tenken uses (the root device's fields).
pub fn parse_description(location: &str, xml: &str) -> UpnpDesc {
    let field = |t: &str| {
        tag_text(xml, t)
            .map(str::to_string)
            .filter(|s| !s.is_empty())
    };
    UpnpDesc {
        location: location.to_string(),
        description: bound(xml),
        manufacturer: field("manufacturer"),
        model_name: field("modelName"),
        model_number: field("modelNumber"),
        friendly_name: field("friendlyName"),
        firmware: [
            "firmwareVersion",
            "softwareVersion",
            "firmware",
            "swVersion",
        ]
        .iter()
        .find_map(|t| field(t)),
        igd: xml
            .to_ascii_lowercase()
            .contains("urn:schemas-upnp-org:device:internetgatewaydevice"),
        error: None,
    }
}

/// Reads the description at `location`, only when the URL is on `host` itself (plain HTTP).
pub async fn read_description(host: Ipv4Addr, location: &str) -> UpnpDesc {
    let fail = |e: String| UpnpDesc {
        location: location.to_string(),
        error: Some(e),
        ..UpnpDesc::default()
    };
    let Ok(url) = reqwest::Url::parse(location) else {
        return fail("LOCATION is not a URL".into());
    };
    if url.scheme() != "http" || url.host_str() != Some(host.to_string().as_str()) {
        return fail("LOCATION is not on the device itself; not contacted (outside scope)".into());
    }
    let client = match http_client(host) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    match client.get(url).send().await {
        Ok(r) => {
            let (body, err) = read_bounded(r).await;
            let mut d = parse_description(location, &String::from_utf8_lossy(&body));
            d.error = err;
            d
        }
        Err(e) => fail(error_chain(&e)),
    }
}

fn oid_text(o: &snmp2::Oid<'_>) -> String {
    o.iter()
        .map(|it| it.map(|n| n.to_string()).collect::<Vec<_>>().join("."))
        .unwrap_or_default()
}

/// One SNMP v2c GET of sysDescr, sysObjectID and sysName with the community `public` (blocking
/// UDP; run off the async threads).
pub fn snmp_public_get(ip: Ipv4Addr) -> SnmpObs {
    let target = SocketAddr::V4(SocketAddrV4::new(ip, 161));
    let started_at = Utc::now();
    let mut obs = SnmpObs {
        target: format!("udp://{target}"),
        community: SNMP_COMMUNITY.into(),
        answered: false,
        sys_descr: None,
        sys_object_id: None,
        sys_name: None,
        raw: String::new(),
        error: None,
        started_at,
        ended_at: started_at,
    };
    let oids: Vec<snmp2::Oid<'static>> = SNMP_OIDS
        .iter()
        .filter_map(|(_, o)| snmp2::Oid::from(o).ok())
        .collect();
    let refs: Vec<&snmp2::Oid<'_>> = oids.iter().collect();
    let result =
        snmp2::SyncSession::new_v2c(target, SNMP_COMMUNITY.as_bytes(), Some(SNMP_TIMEOUT), 0)
            .map_err(|e| e.to_string())
            .and_then(|mut s| {
                let pdu = s.get_many(&refs).map_err(|e| format!("{e:?}"))?;
                let mut lines = Vec::new();
                let mut vals = Vec::new();
                for (oid, value) in pdu.varbinds {
                    let name = SNMP_OIDS
                        .iter()
                        .find(|(_, o)| {
                            oid_text(&oid)
                                == o.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
                        })
                        .map_or_else(|| oid_text(&oid), |(n, _)| (*n).to_string());
                    let v = match value {
                        snmp2::Value::OctetString(b) => String::from_utf8_lossy(b).into_owned(),
                        snmp2::Value::ObjectIdentifier(o) => oid_text(&o),
                        other => format!("{other:?}"),
                    };
                    lines.push(format!("{name} = {v}"));
                    vals.push((name, v));
                }
                Ok((lines.join("\n"), vals))
            });
    obs.ended_at = Utc::now();
    match result {
        Ok((raw, vals)) => {
            obs.answered = true;
            obs.raw = bound(&raw);
            for (n, v) in vals {
                match n.as_str() {
                    "sysDescr" => obs.sys_descr = Some(v),
                    "sysObjectID" => obs.sys_object_id = Some(v),
                    "sysName" => obs.sys_name = Some(v),
                    _ => {}
                }
            }
        }
        Err(e) => obs.error = Some(e),
    }
    obs
}

/// Starts the SNMP `public` GET of a device (paced by the device's and the whole run's rate; a
/// UDP request holds no connection on the device, so it does not take one of its connection
/// slots): run beside the port check so its wait overlaps it.
pub fn start_snmp(conn: &Arc<Connector>, ip: Ipv4Addr) -> tokio::task::JoinHandle<Option<SnmpObs>> {
    let conn = Arc::clone(conn);
    tokio::spawn(async move {
        if !conn.host_pace(ip).await {
            return None;
        }
        tokio::task::spawn_blocking(move || snmp_public_get(ip))
            .await
            .ok()
    })
}

/// Identifies one device from the ports found open: SNMP `public` and `GET /` of its open web
/// ports, paced by `conn` like every other exchange.
pub async fn identify(conn: &Arc<Connector>, ip: Ipv4Addr, ports: &[PortObs]) -> DeviceObs {
    identify_with(conn, ip, ports, start_snmp(conn, ip)).await
}

/// [`identify`] with the SNMP request already started ([`start_snmp`]).
pub async fn identify_with(
    conn: &Arc<Connector>,
    ip: Ipv4Addr,
    ports: &[PortObs],
    snmp: tokio::task::JoinHandle<Option<SnmpObs>>,
) -> DeviceObs {
    // The open web ports' pages are read at the same time (each paced).
    let mut pages = tokio::task::JoinSet::new();
    let open_web = WEB_PORTS.iter().enumerate().filter(|(_, (port, _))| {
        ports
            .iter()
            .any(|p| p.port == *port && p.state == PortState::Open)
    });
    for (i, (port, scheme)) in open_web.take(MAX_PAGES) {
        let url = format!("{scheme}://{ip}:{port}/");
        let conn = Arc::clone(conn);
        pages.spawn(async move {
            let _slot = conn.host_slot(ip).await;
            let obs = match http_client_within(ip, HTTP_TIMEOUT) {
                Ok(c) => http_get(&c, &url).await,
                Err(e) => HttpObs {
                    url,
                    status: None,
                    server: None,
                    title: None,
                    password_form: false,
                    raw: String::new(),
                    error: Some(e.to_string()),
                    started_at: Utc::now(),
                    ended_at: Utc::now(),
                },
            };
            (i, obs)
        });
    }
    let mut http: Vec<(usize, HttpObs)> = Vec::new();
    while let Some(r) = pages.join_next().await {
        if let Ok(x) = r {
            http.push(x);
        }
    }
    http.sort_by_key(|(i, _)| *i);
    let http = http.into_iter().map(|(_, h)| h).collect();
    let snmp = snmp.await.ok().flatten();
    DeviceObs {
        addr: ip,
        http,
        snmp,
        upnp: None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Synthesised in the UPnP Device Architecture 1.0 format (the fields a FortiGate-like VPN
    /// router would fill); the lab's router serves the same document.
    #[test]
    fn description_fields_and_identity() {
        let xml = r#"<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>
<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
<friendlyName>Clinic VPN</friendlyName><manufacturer>Fortinet</manufacturer>
<modelName>FortiGate-60E</modelName><modelNumber>v6.0.4,build0231</modelNumber>
</device></root>"#;
        let d = parse_description("http://192.168.77.1:5000/igd.xml", xml);
        assert_eq!(d.manufacturer.as_deref(), Some("Fortinet"));
        assert_eq!(d.model_name.as_deref(), Some("FortiGate-60E"));
        assert!(d.igd);
        let dev = DeviceObs {
            addr: Ipv4Addr::new(192, 168, 77, 1),
            http: Vec::new(),
            snmp: None,
            upnp: Some(d),
        };
        assert_eq!(
            dev.identity_texts(),
            vec![
                "Fortinet",
                "FortiGate-60E",
                "v6.0.4,build0231",
                "Clinic VPN"
            ]
        );
    }

    #[tokio::test]
    async fn description_elsewhere_is_not_fetched() {
        let d = read_description(
            Ipv4Addr::new(192, 168, 77, 1),
            "http://192.168.77.99:5000/igd.xml",
        )
        .await;
        assert!(d.error.unwrap().contains("outside scope"));
    }

    /// A loopback UDP socket that never answers: the GET times out and nothing is claimed.
    #[test]
    fn silent_snmp_is_not_answered() {
        let o = snmp_public_get(Ipv4Addr::LOCALHOST);
        assert!(!o.answered);
        assert!(o.error.is_some());
        assert_eq!(o.community, "public");
    }
}
