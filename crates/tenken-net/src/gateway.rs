//! Default-gateway checks: finding the gateway, reachability (ICMP echo or TCP), the router's
//! management surface (HTTP(S) GET `/`, banners), SSDP discovery and the IGD external address.
//!
//! Why this file is over 600 lines: the router checks (admin page, UPnP, remote admin ports) with their parsers and tests, kept together because they read the same device.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::io::AsyncReadExt;

use super::obs::{
    BannerObs, GatewayObs, HttpObs, IgdObs, PortState, RESPONSE_LIMIT, ReachObs, SsdpObs,
    SsdpResponse,
};
use super::profile::ROUTER_PORTS;
use super::scope::{NeverTouch, is_scannable};
use super::tcp::Connector;

/// Where the Linux routing table is read from.
pub const PROC_ROUTE: &str = "/proc/net/route";

/// SSDP multicast group and port.
pub const SSDP_ADDR: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(239, 255, 255, 250), 1900);

/// How long SSDP answers are collected.
pub const SSDP_WAIT: Duration = Duration::from_millis(2500);

/// Parses `/proc/net/route` and returns the default gateway with the lowest metric.
pub fn parse_proc_route(text: &str) -> Option<Ipv4Addr> {
    let mut best: Option<(u32, Ipv4Addr)> = None;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 8 {
            continue;
        }
        let (Ok(dest), Ok(gw), Ok(flags), Ok(metric), Ok(mask)) = (
            u32::from_str_radix(f[1], 16),
            u32::from_str_radix(f[2], 16),
            u32::from_str_radix(f[3], 16),
            f[6].parse::<u32>(),
            u32::from_str_radix(f[7], 16),
        ) else {
            continue;
        };
        // RTF_UP = 0x1, RTF_GATEWAY = 0x2; the kernel prints the address little-endian.
        if dest == 0 && mask == 0 && flags & 0x3 == 0x3 && gw != 0 {
            let ip = Ipv4Addr::from(gw.swap_bytes());
            if best.is_none_or(|(m, _)| metric < m) {
                best = Some((metric, ip));
            }
        }
    }
    best.map(|(_, ip)| ip)
}

/// Parses `route -n get default` (macOS): the `gateway:` line.
pub fn parse_route_get(text: &str) -> Option<Ipv4Addr> {
    text.lines().find_map(|l| {
        let (k, v) = l.trim().split_once(':')?;
        (k.trim() == "gateway")
            .then(|| v.trim().parse().ok())
            .flatten()
    })
}

/// Parses `route print -4 0.0.0.0` (Windows, any language): rows `0.0.0.0 0.0.0.0 <gateway>
/// <interface> <metric>`; the lowest metric wins.
pub fn parse_route_print(text: &str) -> Option<Ipv4Addr> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() >= 5 && f[0] == "0.0.0.0" && f[1] == "0.0.0.0" {
                Some((f[4].parse::<u32>().ok()?, f[2].parse::<Ipv4Addr>().ok()?))
            } else {
                None
            }
        })
        .min_by_key(|(m, _)| *m)
        .map(|(_, ip)| ip)
}

/// Reads the default gateway of this machine: `(source, raw text, gateway)`. Linux reads
/// `/proc/net/route`; macOS runs `route -n get default`; Windows `route print -4 0.0.0.0`.
pub async fn discover() -> (String, String, Option<Ipv4Addr>) {
    if let Ok(text) = std::fs::read_to_string(PROC_ROUTE) {
        let gw = parse_proc_route(&text);
        return (PROC_ROUTE.to_string(), bound(&text), gw);
    }
    type Parse = fn(&str) -> Option<Ipv4Addr>;
    let (prog, args, parse): (&str, &[&str], Parse) = if cfg!(windows) {
        ("route", &["print", "-4", "0.0.0.0"], parse_route_print)
    } else {
        ("route", &["-n", "get", "default"], parse_route_get)
    };
    let source = format!("{prog} {}", args.join(" "));
    let run = tokio::process::Command::new(prog)
        .args(args)
        .env("LC_ALL", "C")
        .kill_on_drop(true)
        .output();
    match tokio::time::timeout(Duration::from_secs(10), run).await {
        Ok(Ok(out)) => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let gw = parse(&text);
            (source, bound(&text), gw)
        }
        Ok(Err(e)) => (source, format!("error: {e}"), None),
        Err(_) => (source, "error: timeout".into(), None),
    }
}

pub(crate) fn bound(s: &str) -> String {
    if s.len() <= RESPONSE_LIMIT {
        return s.to_string();
    }
    let mut end = RESPONSE_LIMIT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…[truncated]", &s[..end])
}

fn icmp_checksum(b: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for c in b.chunks(2) {
        let w = u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]);
        sum += u32::from(w);
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// One ICMP echo to `ip`, first through an unprivileged ping socket, then a raw socket.
/// Returns the RTT or a description of why it did not work.
fn icmp_echo(ip: Ipv4Addr, timeout: Duration) -> Result<Duration, String> {
    use socket2::{Domain, Protocol, Socket, Type};
    let mut notes = Vec::new();
    for (ty, name) in [(Type::DGRAM, "icmp-dgram"), (Type::RAW, "icmp-raw")] {
        let sock = match Socket::new(Domain::IPV4, ty, Some(Protocol::ICMPV4)) {
            Ok(s) => s,
            Err(e) => {
                notes.push(format!("{name}: {e}"));
                continue;
            }
        };
        let id: u16 = (std::process::id() & 0xffff) as u16;
        let mut pkt = vec![8u8, 0, 0, 0];
        pkt.extend_from_slice(&id.to_be_bytes());
        pkt.extend_from_slice(&1u16.to_be_bytes());
        pkt.extend_from_slice(b"tenken-echo");
        let ck = icmp_checksum(&pkt);
        pkt[2..4].copy_from_slice(&ck.to_be_bytes());
        let dest = SocketAddr::V4(SocketAddrV4::new(ip, 0));
        if let Err(e) = sock.connect(&dest.into()) {
            notes.push(format!("{name} connect: {e}"));
            continue;
        }
        if let Err(e) = sock.set_read_timeout(Some(timeout)) {
            notes.push(format!("{name}: {e}"));
            continue;
        }
        let start = Instant::now();
        if let Err(e) = sock.send(&pkt) {
            notes.push(format!("{name} send: {e}"));
            continue;
        }
        let mut buf = [0u8; 1500];
        loop {
            let left = timeout.saturating_sub(start.elapsed());
            if left.is_zero() {
                notes.push(format!(
                    "{name}: no echo reply within {} ms",
                    timeout.as_millis()
                ));
                break;
            }
            let _ = sock.set_read_timeout(Some(left));
            match (&sock).read(&mut buf) {
                Ok(n) => {
                    let mut b = &buf[..n];
                    // Raw sockets deliver the IP header; skip it.
                    if b.first().is_some_and(|v| v >> 4 == 4) && n >= 20 {
                        let ihl = usize::from(b[0] & 0x0f) * 4;
                        if n < ihl + 8 {
                            continue;
                        }
                        b = &b[ihl..];
                    }
                    if b.first() == Some(&0) {
                        return Ok(start.elapsed());
                    }
                }
                Err(e) => {
                    notes.push(format!("{name}: {e}"));
                    break;
                }
            }
        }
    }
    Err(notes.join("; "))
}

/// Tests gateway reachability: ICMP echo where permitted, else TCP connects to the management
/// ports already checked (an answer, open or refused, proves reachability).
pub async fn reach(ip: Ipv4Addr, ports: &[super::obs::PortObs]) -> ReachObs {
    let started_at = Utc::now();
    let echo = tokio::task::spawn_blocking(move || icmp_echo(ip, Duration::from_secs(1)))
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
    match echo {
        Ok(rtt) => ReachObs {
            method: "icmp".into(),
            reachable: true,
            rtt_ms: Some(rtt.as_secs_f64() * 1000.0),
            detail: format!("ICMP echo reply from {ip}"),
            started_at,
            ended_at: Utc::now(),
        },
        Err(icmp_err) => {
            let answered = ports
                .iter()
                .filter(|p| matches!(p.state, PortState::Open | PortState::Closed))
                .min_by(|a, b| {
                    a.rtt_ms
                        .unwrap_or(f64::MAX)
                        .total_cmp(&b.rtt_ms.unwrap_or(f64::MAX))
                });
            let detail = match answered {
                Some(p) => format!(
                    "ICMP not possible ({icmp_err}); TCP {}:{} answered ({:?})",
                    ip, p.port, p.state
                ),
                None => {
                    format!("ICMP not possible ({icmp_err}); no TCP answer on {ROUTER_PORTS:?}")
                }
            };
            ReachObs {
                method: "tcp".into(),
                reachable: answered.is_some(),
                rtt_ms: answered.and_then(|p| p.rtt_ms),
                detail,
                started_at,
                ended_at: Utc::now(),
            }
        }
    }
}

/// Extracts the `<title>` of an HTML page.
pub fn html_title(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = lower[start..].find('>')? + start + 1;
    let end = lower[open_end..].find("</title")? + open_end;
    let t = body
        .get(open_end..end)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!t.is_empty()).then_some(t)
}

/// True when the HTML contains an `<input>` whose type is `password`.
pub fn has_password_input(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("<input") {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag: String = rest[i..tag_end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if tag.contains("type=password")
            || tag.contains("type=\"password\"")
            || tag.contains("type='password'")
        {
            return true;
        }
        rest = &rest[tag_end..];
    }
    false
}

/// The HTTP client used for the gateway: no proxy from the environment, short timeouts,
/// self-signed certificates accepted (identification only), redirects only to the same host.
pub fn http_client(host: Ipv4Addr) -> Result<reqwest::Client, reqwest::Error> {
    http_client_within(host, Duration::from_secs(4))
}

/// [`http_client`] with a whole-request time limit of `timeout`.
pub fn http_client_within(
    host: Ipv4Addr,
    timeout: Duration,
) -> Result<reqwest::Client, reqwest::Error> {
    let host = host.to_string();
    reqwest::Client::builder()
        .no_proxy()
        .danger_accept_invalid_certs(true)
        .connect_timeout(Duration::from_secs(2).min(timeout))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::custom(move |a| {
            if a.previous().len() < 3 && a.url().host_str() == Some(host.as_str()) {
                a.follow()
            } else {
                a.stop()
            }
        }))
        .user_agent(concat!(
            "Tenken/",
            env!("CARGO_PKG_VERSION"),
            " (read-only check)"
        ))
        .build()
}

pub(crate) async fn read_bounded(mut resp: reqwest::Response) -> (Vec<u8>, Option<String>) {
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => {
                body.extend_from_slice(&c);
                if body.len() >= RESPONSE_LIMIT {
                    body.truncate(RESPONSE_LIMIT);
                    return (body, None);
                }
            }
            Ok(None) => return (body, None),
            Err(e) => return (body, Some(e.to_string())),
        }
    }
}

/// GETs `url` once and records status, `Server`, title and whether a password form is served.
pub async fn http_get(client: &reqwest::Client, url: &str) -> HttpObs {
    let started_at = Utc::now();
    match client.get(url).send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let server = resp
                .headers()
                .get(reqwest::header::SERVER)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let mut raw = format!("{:?} {}\r\n", resp.version(), resp.status());
            for (k, v) in resp.headers() {
                raw.push_str(&format!(
                    "{}: {}\r\n",
                    k,
                    String::from_utf8_lossy(v.as_bytes())
                ));
            }
            raw.push_str("\r\n");
            let (body, error) = read_bounded(resp).await;
            let text = String::from_utf8_lossy(&body).into_owned();
            raw.push_str(&text);
            HttpObs {
                url: url.to_string(),
                status: Some(status),
                server,
                title: html_title(&text),
                password_form: has_password_input(&text),
                raw: bound(&raw),
                error,
                started_at,
                ended_at: Utc::now(),
            }
        }
        Err(e) => HttpObs {
            url: url.to_string(),
            status: None,
            server: None,
            title: None,
            password_form: false,
            raw: String::new(),
            error: Some(error_chain(&e)),
            started_at,
            ended_at: Utc::now(),
        },
    }
}

pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Connects and reads what the service says first (Telnet/SSH banner) for up to 1.5 s. Sends nothing.
pub async fn read_banner(ip: Ipv4Addr, port: u16) -> BannerObs {
    let addr = SocketAddr::V4(SocketAddrV4::new(ip, port));
    let banner =
        match tokio::time::timeout(Duration::from_secs(2), tokio::net::TcpStream::connect(addr))
            .await
        {
            Ok(Ok(mut s)) => {
                let mut buf = vec![0u8; 512];
                match tokio::time::timeout(Duration::from_millis(1500), s.read(&mut buf)).await {
                    Ok(Ok(n)) => String::from_utf8_lossy(&buf[..n]).into_owned(),
                    Ok(Err(e)) => format!("error: {e}"),
                    Err(_) => String::new(),
                }
            }
            Ok(Err(e)) => format!("error: {e}"),
            Err(_) => "error: connect timeout".into(),
        };
    BannerObs { port, banner }
}

/// The M-SEARCH request Tenken sends.
pub fn msearch_request() -> String {
    "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\nUSER-AGENT: Tenken/1 UPnP/1.1 read-only-check\r\n\r\n".to_string()
}

/// Sends one SSDP M-SEARCH (multicast TTL 1: stays on the local segment) and collects answers.
pub async fn ssdp_search(wait: Duration) -> SsdpObs {
    let request = msearch_request();
    let started_at = Utc::now();
    let mut responses = Vec::new();
    let error = async {
        let sock = tokio::net::UdpSocket::bind("0.0.0.0:0")
            .await
            .map_err(|e| e.to_string())?;
        sock.set_multicast_ttl_v4(1).map_err(|e| e.to_string())?;
        sock.set_multicast_loop_v4(false)
            .map_err(|e| e.to_string())?;
        sock.send_to(request.as_bytes(), SSDP_ADDR)
            .await
            .map_err(|e| e.to_string())?;
        let deadline = tokio::time::Instant::now() + wait;
        let mut buf = vec![0u8; 4096];
        while responses.len() < 64 {
            match tokio::time::timeout_at(deadline, sock.recv_from(&mut buf)).await {
                Ok(Ok((n, from))) => responses.push(SsdpResponse {
                    from: from.to_string(),
                    raw: String::from_utf8_lossy(&buf[..n]).into_owned(),
                }),
                Ok(Err(e)) => return Err(e.to_string()),
                Err(_) => break,
            }
        }
        Ok::<(), String>(())
    }
    .await
    .err();
    SsdpObs {
        request,
        responses,
        error,
        started_at,
        ended_at: Utc::now(),
    }
}

/// Value of a header in an SSDP/HTTP response (case-insensitive name).
pub fn header_value<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// True when an SSDP response announces an Internet Gateway Device.
pub fn is_igd(raw: &str) -> bool {
    raw.to_ascii_lowercase()
        .contains("urn:schemas-upnp-org:device:internetgatewaydevice")
}

pub(crate) fn tag_text<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let s = xml.find(&open)? + open.len();
    let e = xml[s..].find(&close)? + s;
    Some(xml[s..e].trim())
}

/// Finds the WAN connection service (IP or PPP) in a device description: `(serviceType, controlURL)`.
pub fn find_wan_service(xml: &str) -> Option<(String, String)> {
    xml.split("<service>").skip(1).find_map(|block| {
        let st = tag_text(block, "serviceType")?;
        if st.contains("WANIPConnection") || st.contains("WANPPPConnection") {
            Some((st.to_string(), tag_text(block, "controlURL")?.to_string()))
        } else {
            None
        }
    })
}

/// Reads `NewExternalIPAddress` from a SOAP response.
pub fn parse_external_ip(xml: &str) -> Option<Ipv4Addr> {
    tag_text(xml, "NewExternalIPAddress")?.parse().ok()
}

/// Asks the gateway's IGD for its external address. Only URLs on the gateway itself are fetched.
pub async fn igd_external_ip(gw: Ipv4Addr, location: &str) -> IgdObs {
    let mut obs = IgdObs {
        location: location.to_string(),
        description: String::new(),
        control_url: None,
        service_type: None,
        soap_response: String::new(),
        external_ip: None,
        error: None,
    };
    let on_gateway =
        |u: &reqwest::Url| u.scheme() == "http" && u.host_str() == Some(gw.to_string().as_str());
    let Ok(loc) = reqwest::Url::parse(location) else {
        obs.error = Some("LOCATION is not a URL".into());
        return obs;
    };
    if !on_gateway(&loc) {
        obs.error = Some("LOCATION is not on the gateway; not contacted (outside scope)".into());
        return obs;
    }
    let client = match http_client(gw) {
        Ok(c) => c,
        Err(e) => {
            obs.error = Some(e.to_string());
            return obs;
        }
    };
    let desc = match client.get(loc.clone()).send().await {
        Ok(r) => read_bounded(r).await.0,
        Err(e) => {
            obs.error = Some(error_chain(&e));
            return obs;
        }
    };
    let desc = String::from_utf8_lossy(&desc).into_owned();
    obs.description = bound(&desc);
    let Some((st, ctl)) = find_wan_service(&desc) else {
        obs.error = Some("no WANIPConnection/WANPPPConnection service in the description".into());
        return obs;
    };
    obs.service_type = Some(st.clone());
    let Ok(ctl_url) = loc.join(&ctl) else {
        obs.error = Some("bad controlURL".into());
        return obs;
    };
    obs.control_url = Some(ctl_url.to_string());
    if !on_gateway(&ctl_url) {
        obs.error = Some("controlURL is not on the gateway; not contacted (outside scope)".into());
        return obs;
    }
    let body = format!(
        "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:GetExternalIPAddress xmlns:u=\"{st}\"/></s:Body></s:Envelope>\r\n"
    );
    let resp = client
        .post(ctl_url)
        .header("SOAPAction", format!("\"{st}#GetExternalIPAddress\""))
        .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=\"utf-8\"")
        .body(body)
        .send()
        .await;
    match resp {
        Ok(r) => {
            let text = String::from_utf8_lossy(&read_bounded(r).await.0).into_owned();
            obs.external_ip = parse_external_ip(&text);
            if obs.external_ip.is_none() {
                obs.error = Some("no NewExternalIPAddress in the answer".into());
            }
            obs.soap_response = bound(&text);
        }
        Err(e) => obs.error = Some(error_chain(&e)),
    }
    obs
}

/// Runs all gateway checks within the scope. Nothing is sent when the gateway is missing,
/// not a private address, or on the never-touch list.
pub async fn check(
    conn: &Arc<Connector>,
    never_touch: &NeverTouch,
    ssdp_wait: Duration,
) -> GatewayObs {
    let (source, source_raw, address) = discover().await;
    let mut obs = GatewayObs {
        source,
        source_raw,
        address,
        not_contacted: None,
        reach: None,
        ports: Vec::new(),
        http: Vec::new(),
        banners: Vec::new(),
        ssdp: None,
        igd: None,
    };
    let Some(gw) = address else {
        obs.not_contacted = Some("no default gateway".into());
        return obs;
    };
    if !is_scannable(gw) || gw.is_loopback() {
        obs.not_contacted = Some(format!("gateway {gw} is not a private LAN address"));
        return obs;
    }
    if never_touch.contains(gw) {
        obs.not_contacted = Some(format!("gateway {gw} is on the never-touch list"));
        return obs;
    }
    let hosts = conn.scan(&[gw], ROUTER_PORTS).await;
    obs.ports = hosts
        .into_iter()
        .next()
        .map(|h| h.ports)
        .unwrap_or_default();
    obs.reach = Some(reach(gw, &obs.ports).await);
    let open = |p: u16| {
        obs.ports
            .iter()
            .any(|o| o.port == p && o.state == PortState::Open)
    };
    match http_client(gw) {
        Ok(client) => {
            for (port, scheme) in [
                (80u16, "http"),
                (8080, "http"),
                (443, "https"),
                (8443, "https"),
            ] {
                if open(port) {
                    conn.pace().await;
                    obs.http
                        .push(http_get(&client, &format!("{scheme}://{gw}:{port}/")).await);
                }
            }
        }
        Err(e) => tracing::warn!("http client: {e}"),
    }
    for port in [23u16, 22] {
        if open(port) {
            conn.pace().await;
            obs.banners.push(read_banner(gw, port).await);
        }
    }
    conn.pace().await;
    let ssdp = ssdp_search(ssdp_wait).await;
    let location = ssdp.responses.iter().find_map(|r| {
        let from_gw = r.from.split(':').next() == Some(gw.to_string().as_str());
        (from_gw && is_igd(&r.raw))
            .then(|| header_value(&r.raw, "location").map(str::to_string))
            .flatten()
    });
    obs.ssdp = Some(ssdp);
    if let Some(loc) = location {
        conn.pace().await;
        obs.igd = Some(igd_external_ip(gw, &loc).await);
    }
    obs
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    // [SYN] synthesised /proc/net/route with two default routes.
    const ROUTE: &str = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
eth0\t00000000\t014DA8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n\
eth1\t00000000\t0101A8C0\t0003\t0\t0\t50\t00000000\t0\t0\t0\n\
eth0\t004DA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

    #[test]
    fn proc_route_lowest_metric_default() {
        assert_eq!(parse_proc_route(ROUTE), Some(Ipv4Addr::new(192, 168, 1, 1)));
        assert_eq!(parse_proc_route("Iface\tDestination\n"), None);
    }

    #[test]
    fn macos_and_windows_route_output() {
        // [SYN] shapes of `route -n get default` and `route print -4 0.0.0.0` (Japanese Windows).
        let mac = "   route to: default\ndestination: default\n       mask: default\n    gateway: 192.168.10.1\n  interface: en0\n";
        assert_eq!(parse_route_get(mac), Some(Ipv4Addr::new(192, 168, 10, 1)));
        let win = "IPv4 ルート テーブル\n===\nアクティブ ルート:\nネットワーク宛先        ネットマスク          ゲートウェイ       インターフェイス  メトリック\n          0.0.0.0          0.0.0.0     192.168.1.1    192.168.1.34     35\n          0.0.0.0          0.0.0.0    192.168.10.1   192.168.10.21     25\n";
        assert_eq!(parse_route_print(win), Some(Ipv4Addr::new(192, 168, 10, 1)));
        assert_eq!(
            parse_route_get("route: writing to routing socket: not in table"),
            None
        );
    }

    #[test]
    fn title_and_password_form() {
        let page = "<html><head><TITLE>\n Router  Login </TITLE></head><form><input name=u><INPUT TYPE = \"Password\" name=p></form>";
        assert_eq!(html_title(page).as_deref(), Some("Router Login"));
        assert!(has_password_input(page));
        assert!(!has_password_input("<input type=text name=password>"));
    }

    #[test]
    fn igd_description_and_soap() {
        // [SYN] minimal IGD description and SOAP answer.
        let desc = "<root><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/l3f</controlURL></service><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ctl/IPConn</controlURL></service></serviceList></device></root>";
        assert_eq!(
            find_wan_service(desc),
            Some((
                "urn:schemas-upnp-org:service:WANIPConnection:1".into(),
                "/ctl/IPConn".into()
            ))
        );
        let soap = "<s:Envelope><s:Body><u:GetExternalIPAddressResponse><NewExternalIPAddress>10.77.1.2</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>";
        assert_eq!(parse_external_ip(soap), Some(Ipv4Addr::new(10, 77, 1, 2)));
        assert!(is_igd(
            "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
        ));
        assert_eq!(
            header_value(
                "HTTP/1.1 200 OK\r\nLocation: http://x/a.xml\r\n",
                "LOCATION"
            ),
            Some("http://x/a.xml")
        );
    }
}
