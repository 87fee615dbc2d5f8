//! `net.gateway`: default gateways, static routes through other gateways, active interfaces with
//! their kind (VPN client, mobile/LTE or phone tethering), DNS servers, dual-homed hosts (two
//! networks, possibly bridged by IP forwarding) and passive neighbour (ARP) reachability of the
//! gateway: every way out of this PC. Nothing is sent on the network.
//!
//! Why this file is over 600 lines: net.gateway on three OSes: one parser per OS's route and interface output, each with its tests.

use std::net::Ipv4Addr;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::{finding, ok, unknown};
use crate::exec::{command, file, powershell};
use crate::parse::{as_list, ps_json};
use crate::{Captured, EvalContext, Os, Probe, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::{Finding, UnknownReason, Verdict};

const PS_BODY: &str = "$out.defaultRoutes = Try-Probe { ,@(Get-NetRoute -DestinationPrefix '0.0.0.0/0','::/0' -ErrorAction SilentlyContinue | ForEach-Object { \
[ordered]@{ Prefix=$_.DestinationPrefix; NextHop=$_.NextHop; IfIndex=[int]$_.InterfaceIndex; IfAlias=$_.InterfaceAlias; RouteMetric=[int]$_.RouteMetric } }) }; \
$out.staticRoutes = Try-Probe { ,@(Get-NetRoute -AddressFamily IPv4 -ErrorAction SilentlyContinue | Where-Object { $_.NextHop -ne '0.0.0.0' -and $_.DestinationPrefix -ne '0.0.0.0/0' } | ForEach-Object { \
[ordered]@{ Prefix=$_.DestinationPrefix; NextHop=$_.NextHop; IfAlias=$_.InterfaceAlias } }) }; \
$out.adapters = Try-Probe { ,@(Get-NetAdapter | ForEach-Object { [ordered]@{ IfIndex=[int]$_.ifIndex; Name=$_.Name; Description=$_.InterfaceDescription; \
Status=[string]$_.Status; Mac=$_.MacAddress; Virtual=[bool]$_.Virtual } }) }; \
$out.addresses = Try-Probe { ,@(Get-NetIPAddress -ErrorAction SilentlyContinue | Where-Object { $_.AddressState -eq 'Preferred' } | ForEach-Object { \
[ordered]@{ IfIndex=[int]$_.InterfaceIndex; Address=$_.IPAddress; Prefix=[int]$_.PrefixLength; Family=[string]$_.AddressFamily } }) }; \
$out.dns = Try-Probe { ,@(Get-DnsClientServerAddress | Where-Object { $_.ServerAddresses.Count -gt 0 } | ForEach-Object { \
[ordered]@{ IfIndex=[int]$_.InterfaceIndex; Family=[string]$_.AddressFamily; Servers=@($_.ServerAddresses) } }) }; \
$out.forwarding = Try-Probe { ,@(Get-NetIPInterface | Where-Object { [string]$_.Forwarding -eq 'Enabled' } | ForEach-Object { \
[ordered]@{ IfIndex=[int]$_.ifIndex; Alias=$_.InterfaceAlias; Family=[string]$_.AddressFamily } }) }; \
$out.ipEnableRouter = Try-Probe { (Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters' -Name IPEnableRouter -ErrorAction SilentlyContinue).IPEnableRouter }; \
$out.neighbors = Try-Probe { ,@(Get-NetNeighbor -AddressFamily IPv4 -ErrorAction SilentlyContinue | Where-Object { [string]$_.State -ne 'Unreachable' -and [string]$_.State -ne 'Permanent' } | ForEach-Object { \
[ordered]@{ IfIndex=[int]$_.ifIndex; Address=$_.IPAddress; Mac=$_.LinkLayerAddress; State=[string]$_.State } }) }";

/// A default route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefaultRoute {
    /// Interface name.
    pub iface: String,
    /// Gateway address.
    pub gateway: String,
    /// Metric.
    pub metric: i64,
}

/// A route to a network through a gateway other than the default route (a static route: a
/// second router, a VPN box or a vendor's line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaticRoute {
    /// Destination network (`a.b.c.d/n`).
    pub dest: String,
    /// Gateway address.
    pub gateway: String,
    /// Interface name.
    pub iface: String,
}

/// An active interface with its addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nic {
    /// Interface name.
    pub name: String,
    /// IPv4 address/prefix list.
    pub ipv4: Vec<String>,
    /// MAC address.
    pub mac: Option<String>,
    /// Virtual / VPN / container interface (listed, not counted as a network).
    pub virtual_if: bool,
    /// `vpn` (a VPN client), `mobile` (LTE/mobile broadband or a phone's tethering) or empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub way_out: String,
}

/// What kind of way out an interface is, from its name and (Windows) description: `vpn`,
/// `mobile` or empty. Container bridges and hypervisor switches are neither.
pub fn way_out_kind(name: &str, description: &str) -> &'static str {
    let n = name.to_ascii_lowercase();
    let d = description.to_ascii_lowercase();
    let vpn_desc = [
        "vpn",
        "tap-windows",
        "wireguard",
        "anyconnect",
        "globalprotect",
        "forticlient",
        "fortinet",
        "pangp",
        "juniper",
        "pulse secure",
        "sonicwall",
        "openvpn",
    ];
    let mobile_desc = [
        "mobile broadband",
        "remote ndis",
        "rndis",
        "lte",
        "wwan",
        "iphone",
        "android",
        "huawei",
        "sierra wireless",
        "qualcomm",
    ];
    if vpn_desc.iter().any(|k| d.contains(k))
        || ["tun", "tap", "wg", "ppp", "ipsec", "utun"]
            .iter()
            .any(|p| n.starts_with(p))
        || n.contains("vpn")
    {
        "vpn"
    } else if mobile_desc.iter().any(|k| d.contains(k))
        || ["wwan", "rndis", "usb"].iter().any(|p| n.starts_with(p))
        || n.contains("携帯")
        || n.contains("mobile")
    {
        "mobile"
    } else {
        ""
    }
}

fn mask_prefix(mask: u32) -> u32 {
    mask.count_ones()
}

/// Parses Linux `/proc/net/route`: routes to other networks through a gateway (RTF_GATEWAY,
/// destination not the default route).
pub fn proc_net_static(text: &str) -> Vec<StaticRoute> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            if c.len() < 8 || c[1] == "00000000" {
                return None;
            }
            let flags = u32::from_str_radix(c[3], 16).ok()?;
            if flags & 0x2 == 0 {
                return None;
            }
            let dest = u32::from_str_radix(c[1], 16).ok()?;
            let gw = u32::from_str_radix(c[2], 16).ok()?;
            let mask = u32::from_str_radix(c[7], 16).ok()?;
            Some(StaticRoute {
                dest: format!(
                    "{}/{}",
                    Ipv4Addr::from(dest.to_le_bytes()),
                    mask_prefix(mask)
                ),
                gateway: Ipv4Addr::from(gw.to_le_bytes()).to_string(),
                iface: c[0].to_string(),
            })
        })
        .collect()
}

/// macOS `netstat -rn -f inet`: routes to other networks through a gateway (flag `G`, an IPv4
/// gateway, not `default`).
pub fn bsd_netstat_static(text: &str) -> Vec<StaticRoute> {
    text.lines()
        .filter_map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            if c.len() < 4 || c[0] == "default" || !c[2].contains('G') {
                return None;
            }
            c[1].parse::<Ipv4Addr>().ok()?;
            let dest = c[0];
            // A host route or a network written short (10/8, 192.168.1).
            dest.split('/')
                .next()?
                .split('.')
                .next()?
                .parse::<u8>()
                .ok()?;
            Some(StaticRoute {
                dest: dest.to_string(),
                gateway: c[1].to_string(),
                iface: c.get(3).copied().unwrap_or_default().to_string(),
            })
        })
        .collect()
}

/// Parses Linux `/proc/net/route`: default routes (dest 0, mask 0, RTF_GATEWAY), metric order.
pub fn proc_net_route(text: &str) -> Vec<DefaultRoute> {
    let mut out: Vec<DefaultRoute> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            if c.len() < 8 || c[1] != "00000000" || c[7] != "00000000" {
                return None;
            }
            let flags = u32::from_str_radix(c[3], 16).ok()?;
            if flags & 0x2 == 0 {
                return None;
            }
            let gw = u32::from_str_radix(c[2], 16).ok()?;
            Some(DefaultRoute {
                iface: c[0].to_string(),
                gateway: Ipv4Addr::from(gw.to_le_bytes()).to_string(),
                metric: c[6].parse().ok()?,
            })
        })
        .collect();
    out.sort_by_key(|r| r.metric);
    out
}

fn is_virtual_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "docker",
        "br-",
        "veth",
        "virbr",
        "tailscale",
        "wg",
        "tun",
        "tap",
        "zt",
        "utun",
        "vethernet",
        "vmnet",
        "vboxnet",
        "lo",
        "awdl",
        "llw",
        "bridge",
        "anpi",
        "gif",
        "stf",
    ]
    .iter()
    .any(|p| n.starts_with(p))
}

fn usable_v4(addr: &str) -> bool {
    addr.parse::<Ipv4Addr>()
        .is_ok_and(|ip| !ip.is_loopback() && !ip.is_link_local() && !ip.is_unspecified())
}

/// Parses Linux `ip -j addr`: interfaces that are up with IPv4 addresses.
pub fn ip_j_addr(text: &str) -> Option<Vec<Nic>> {
    let v: Value = serde_json::from_str(text.trim()).ok()?;
    let mut out = Vec::new();
    for i in v.as_array()? {
        let name = i
            .get("ifname")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let up = i
            .get("operstate")
            .and_then(Value::as_str)
            .is_some_and(|s| s == "UP" || s == "UNKNOWN")
            && i.get("flags")
                .and_then(Value::as_array)
                .is_some_and(|f| f.iter().any(|x| x == "UP"));
        if !up || name == "lo" {
            continue;
        }
        let ipv4: Vec<String> = i
            .get("addr_info")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|x| x.get("family").and_then(Value::as_str) == Some("inet"))
                    .filter_map(|x| {
                        Some(format!(
                            "{}/{}",
                            x.get("local")?.as_str()?,
                            x.get("prefixlen")?.as_u64()?
                        ))
                    })
                    .filter(|s| usable_v4(s.split('/').next().unwrap_or("")))
                    .collect()
            })
            .unwrap_or_default();
        if ipv4.is_empty() {
            continue;
        }
        let virtual_if =
            is_virtual_name(&name) || i.get("link_type").and_then(Value::as_str) == Some("none");
        out.push(Nic {
            mac: i.get("address").and_then(Value::as_str).map(str::to_string),
            way_out: way_out_kind(&name, "").to_string(),
            name,
            ipv4,
            virtual_if,
        });
    }
    Some(out)
}

/// Nameservers from a resolv.conf.
pub fn resolv_conf(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("nameserver"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `ip neigh show` / `arp -an`: neighbour state of `ip` (REACHABLE, STALE, ... or `present`).
pub fn neighbour_state(text: &str, ip: &str) -> Option<String> {
    for l in text.lines() {
        let cols: Vec<&str> = l.split_whitespace().collect();
        if cols.first() == Some(&ip) {
            return cols.last().map(|s| s.to_string());
        }
        if cols
            .get(1)
            .map(|c| c.trim_matches(|ch| ch == '(' || ch == ')'))
            == Some(ip)
        {
            return Some(if l.contains("incomplete") {
                "INCOMPLETE".into()
            } else {
                "present".into()
            });
        }
    }
    None
}

/// macOS `netstat -rn -f inet` default routes.
pub fn bsd_netstat_default(text: &str) -> Vec<DefaultRoute> {
    text.lines()
        .filter_map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            if c.first() != Some(&"default") || c.len() < 4 {
                return None;
            }
            let gw = c[1];
            gw.parse::<Ipv4Addr>().ok()?;
            Some(DefaultRoute {
                iface: c[3].to_string(),
                gateway: gw.to_string(),
                metric: 0,
            })
        })
        .collect()
}

/// macOS `ifconfig -a`: active interfaces with IPv4.
pub fn bsd_ifconfig(text: &str) -> Vec<Nic> {
    let mut out: Vec<Nic> = Vec::new();
    let mut cur: Option<(Nic, bool)> = None;
    let flush = |cur: &mut Option<(Nic, bool)>, out: &mut Vec<Nic>| {
        if let Some((n, active)) = cur.take()
            && active
            && !n.ipv4.is_empty()
        {
            out.push(n);
        }
    };
    for l in text.lines() {
        if !l.starts_with(char::is_whitespace) && l.contains(": flags=") {
            flush(&mut cur, &mut out);
            let name = l.split(':').next().unwrap_or("").to_string();
            let virtual_if = is_virtual_name(&name);
            // Interfaces without a `status:` line (e.g. utun) count as active when UP.
            let up = l.contains("<UP");
            cur = Some((
                Nic {
                    way_out: way_out_kind(&name, "").to_string(),
                    name,
                    ipv4: vec![],
                    mac: None,
                    virtual_if,
                },
                up,
            ));
            continue;
        }
        let t = l.trim();
        if let Some((n, active)) = cur.as_mut() {
            if let Some(r) = t.strip_prefix("inet ") {
                if let Some(a) = r.split_whitespace().next()
                    && usable_v4(a)
                {
                    n.ipv4.push(a.to_string());
                }
            } else if let Some(r) = t.strip_prefix("ether ") {
                n.mac = r.split_whitespace().next().map(str::to_string);
            } else if let Some(r) = t.strip_prefix("status: ") {
                *active = *active && r.trim() == "active";
            }
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn subnet_key(cidr: &str) -> Option<(u32, u8)> {
    let (a, p) = cidr.split_once('/').unwrap_or((cidr, "24"));
    let ip: Ipv4Addr = a.parse().ok()?;
    let p: u8 = p.parse().ok()?;
    let mask = if p == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(p.min(32)))
    };
    Some((u32::from(ip) & mask, p))
}

/// Collected network view (OS-independent).
#[derive(Debug, Default, Serialize)]
struct View {
    routes: Vec<DefaultRoute>,
    statics: Vec<StaticRoute>,
    nics: Vec<Nic>,
    dns: Vec<String>,
    forwarding: Option<bool>,
    gateway_neighbour: Option<String>,
}

/// `net.gateway`.
pub struct NetGateway {
    meta: ProbeMeta,
}

impl Default for NetGateway {
    fn default() -> Self {
        Self::new()
    }
}

impl NetGateway {
    /// Creates the probe.
    pub fn new() -> Self {
        Self {
            meta: ProbeMeta {
                id: "net.gateway",
                title: Text::new(
                    "ネットワークの接続構成（ゲートウェイ・複数ネットワーク接続）",
                    "Network layout (gateway, multiple networks)",
                ),
                reads: vec![
                    (
                        Os::Windows,
                        "Get-NetRoute, Get-NetAdapter, Get-NetIPAddress, Get-DnsClientServerAddress, Get-NetIPInterface, IPEnableRouter, Get-NetNeighbor",
                    ),
                    (
                        Os::Macos,
                        "netstat -rn -f inet, ifconfig -a, scutil --dns, sysctl net.inet.ip.forwarding, arp -an",
                    ),
                    (
                        Os::Linux,
                        "/proc/net/route, ip -j addr, resolv.conf, /proc/sys/net/ipv4/ip_forward, ip neigh",
                    ),
                ],
                needs_elevation: false,
                timeout: Duration::from_secs(45),
                checklist_refs: super::registry_refs("net.gateway"),
            },
        }
    }

    fn view_linux(captured: &[Captured]) -> Option<View> {
        let route_text = &ok(captured, "proc_net_route")?.stdout;
        let routes = proc_net_route(route_text);
        let statics = proc_net_static(route_text);
        let nics = ok(captured, "ip_addr")
            .and_then(|c| ip_j_addr(&c.stdout))
            .unwrap_or_default();
        let mut dns = ok(captured, "resolved_conf")
            .map(|c| resolv_conf(&c.stdout))
            .unwrap_or_default();
        if dns.is_empty() {
            dns = ok(captured, "resolv_conf")
                .map(|c| resolv_conf(&c.stdout))
                .unwrap_or_default();
        }
        let forwarding = ok(captured, "ip_forward").map(|c| c.stdout.trim() == "1");
        let neigh = ok(captured, "ip_neigh")
            .map(|c| c.stdout.clone())
            .unwrap_or_default();
        let gateway_neighbour = routes
            .first()
            .and_then(|r| neighbour_state(&neigh, &r.gateway));
        Some(View {
            routes,
            statics,
            nics,
            dns,
            forwarding,
            gateway_neighbour,
        })
    }

    fn view_macos(captured: &[Captured]) -> Option<View> {
        let route_text = &ok(captured, "netstat_rn")?.stdout;
        let routes = bsd_netstat_default(route_text);
        let statics = bsd_netstat_static(route_text);
        let nics = ok(captured, "ifconfig")
            .map(|c| bsd_ifconfig(&c.stdout))
            .unwrap_or_default();
        let mut dns: Vec<String> = ok(captured, "scutil_dns")
            .map(|c| {
                c.stdout
                    .lines()
                    .filter_map(|l| {
                        l.trim()
                            .strip_prefix("nameserver[")
                            .and_then(|r| r.split(':').nth(1))
                            .map(|s| s.trim().to_string())
                    })
                    .collect()
            })
            .unwrap_or_default();
        dns.dedup();
        let forwarding = ok(captured, "ip_forwarding").map(|c| c.stdout.trim() == "1");
        let arp = ok(captured, "arp")
            .map(|c| c.stdout.clone())
            .unwrap_or_default();
        let gateway_neighbour = routes
            .first()
            .and_then(|r| neighbour_state(&arp, &r.gateway));
        Some(View {
            routes,
            statics,
            nics,
            dns,
            forwarding,
            gateway_neighbour,
        })
    }

    fn view_windows(captured: &[Captured]) -> Option<View> {
        let v = ps_json(&ok(captured, "ps_network")?.stdout)?;
        if v.get("defaultRoutes")
            .and_then(|r| r.get("error"))
            .is_some()
        {
            return None;
        }
        let adapters = as_list(v.get("adapters"));
        let alias = |idx: i64| {
            adapters
                .iter()
                .find(|a| a.get("IfIndex").and_then(Value::as_i64) == Some(idx))
        };
        let mut routes: Vec<DefaultRoute> = as_list(v.get("defaultRoutes"))
            .iter()
            .filter(|r| r.get("Prefix").and_then(Value::as_str) == Some("0.0.0.0/0"))
            .filter_map(|r| {
                Some(DefaultRoute {
                    iface: r
                        .get("IfAlias")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| {
                            r.get("IfIndex").map(|i| i.to_string()).unwrap_or_default()
                        }),
                    gateway: r.get("NextHop")?.as_str()?.to_string(),
                    metric: r.get("RouteMetric").and_then(Value::as_i64).unwrap_or(0),
                })
            })
            .collect();
        routes.dedup();
        let statics: Vec<StaticRoute> = as_list(v.get("staticRoutes"))
            .iter()
            .filter_map(|r| {
                Some(StaticRoute {
                    dest: r.get("Prefix")?.as_str()?.to_string(),
                    gateway: r.get("NextHop")?.as_str()?.to_string(),
                    iface: r
                        .get("IfAlias")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                })
            })
            .filter(|r| r.gateway.parse::<Ipv4Addr>().is_ok())
            .collect();
        let addrs = as_list(v.get("addresses"));
        let mut nics = Vec::new();
        for a in &adapters {
            let Some(idx) = a.get("IfIndex").and_then(Value::as_i64) else {
                continue;
            };
            if a.get("Status").and_then(Value::as_str) != Some("Up") {
                continue;
            }
            let ipv4: Vec<String> = addrs
                .iter()
                .filter(|x| {
                    x.get("IfIndex").and_then(Value::as_i64) == Some(idx)
                        && x.get("Family").and_then(Value::as_str) == Some("IPv4")
                })
                .filter_map(|x| {
                    Some(format!(
                        "{}/{}",
                        x.get("Address")?.as_str()?,
                        x.get("Prefix")?.as_i64()?
                    ))
                })
                .filter(|s| usable_v4(s.split('/').next().unwrap_or("")))
                .collect();
            if ipv4.is_empty() {
                continue;
            }
            let name = a
                .get("Name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let desc_raw = a.get("Description").and_then(Value::as_str).unwrap_or("");
            let desc = desc_raw.to_ascii_lowercase();
            let virtual_if = a.get("Virtual").and_then(Value::as_bool).unwrap_or(false)
                || [
                    "hyper-v",
                    "virtual",
                    "vpn",
                    "tap-",
                    "wireguard",
                    "tailscale",
                    "loopback",
                ]
                .iter()
                .any(|k| desc.contains(k));
            nics.push(Nic {
                way_out: way_out_kind(&name, desc_raw).to_string(),
                name,
                ipv4,
                mac: a.get("Mac").and_then(Value::as_str).map(str::to_string),
                virtual_if,
            });
        }
        let _ = alias;
        let mut dns: Vec<String> = as_list(v.get("dns"))
            .iter()
            .filter(|d| d.get("Family").and_then(Value::as_str) == Some("IPv4"))
            .flat_map(|d| as_list(d.get("Servers")))
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect();
        dns.sort();
        dns.dedup();
        let fwd_list = as_list(v.get("forwarding"));
        let fwd_err = v.get("forwarding").and_then(|f| f.get("error")).is_some();
        let router = v.get("ipEnableRouter").and_then(Value::as_i64) == Some(1);
        let forwarding = if fwd_err && !router {
            None
        } else {
            Some(!fwd_list.is_empty() || router)
        };
        let gw = routes.first().map(|r| r.gateway.clone());
        let gateway_neighbour = gw.and_then(|g| {
            as_list(v.get("neighbors"))
                .iter()
                .find(|n| n.get("Address").and_then(Value::as_str) == Some(g.as_str()))
                .and_then(|n| n.get("State").and_then(Value::as_str).map(str::to_string))
        });
        Some(View {
            routes,
            statics,
            nics,
            dns,
            forwarding,
            gateway_neighbour,
        })
    }
}

impl Probe for NetGateway {
    fn meta(&self) -> &ProbeMeta {
        &self.meta
    }

    fn plan(&self, os: Os) -> Vec<Source> {
        match os {
            Os::Windows => vec![powershell("ps_network", PS_BODY)],
            Os::Macos => vec![
                command("netstat_rn", "netstat", &["-rn", "-f", "inet"]),
                command("ifconfig", "ifconfig", &["-a"]),
                command("scutil_dns", "scutil", &["--dns"]),
                command("ip_forwarding", "sysctl", &["-n", "net.inet.ip.forwarding"]),
                command("arp", "arp", &["-an"]),
            ],
            Os::Linux => vec![
                file("proc_net_route", "/proc/net/route"),
                command("ip_addr", "ip", &["-j", "addr"]),
                file("resolved_conf", "/run/systemd/resolve/resolv.conf"),
                file("resolv_conf", "/etc/resolv.conf"),
                file("ip_forward", "/proc/sys/net/ipv4/ip_forward"),
                command("ip_neigh", "ip", &["neigh", "show"]),
            ],
        }
    }

    fn evaluate(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        let view = match ctx.os {
            Os::Windows => Self::view_windows(captured),
            Os::Macos => Self::view_macos(captured),
            Os::Linux => Self::view_linux(captured),
        };
        let Some(view) = view else {
            let reason = if super::kit::silent_powershell(captured, "ps_network") {
                UnknownReason::CommandMissing
            } else {
                UnknownReason::Unparsable
            };
            return unknown(&self.meta, reason, serde_json::json!({}));
        };
        let physical: Vec<&Nic> = view.nics.iter().filter(|n| !n.virtual_if).collect();
        let mut subnets: Vec<(u32, u8)> = physical
            .iter()
            .flat_map(|n| n.ipv4.iter())
            .filter_map(|c| subnet_key(c))
            .collect();
        subnets.sort();
        subnets.dedup();
        let mut route_ifaces: Vec<&str> = view.routes.iter().map(|r| r.iface.as_str()).collect();
        route_ifaces.sort();
        route_ifaces.dedup();
        let dual_homed = physical.len() > 1 && subnets.len() > 1;
        // Other ways out of this PC: VPN clients, mobile lines / tethering, static routes through
        // another gateway.
        let mut ways: Vec<(String, String)> = view
            .nics
            .iter()
            .filter(|n| !n.way_out.is_empty())
            .map(|n| {
                let (ja, en) = if n.way_out == "vpn" {
                    ("VPN", "VPN")
                } else {
                    ("モバイル回線・テザリング", "mobile line / tethering")
                };
                let addr = n.ipv4.join(",");
                (
                    format!("{ja}({} {addr})", n.name),
                    format!("{en} ({} {addr})", n.name),
                )
            })
            .collect();
        for r in &view.statics {
            ways.push((
                format!("静的ルート {} → {}({})", r.dest, r.gateway, r.iface),
                format!("static route {} via {} ({})", r.dest, r.gateway, r.iface),
            ));
        }
        let ways_ja = ways
            .iter()
            .map(|w| w.0.clone())
            .collect::<Vec<_>>()
            .join("、");
        let ways_en = ways
            .iter()
            .map(|w| w.1.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let facts = serde_json::json!({
            "default_routes": view.routes,
            "static_routes": view.statics,
            "ways_out": ways.iter().map(|w| w.1.clone()).collect::<Vec<_>>(),
            "interfaces": view.nics,
            "dns": view.dns,
            "ip_forwarding": view.forwarding,
            "gateway_neighbour": view.gateway_neighbour,
            "networks": subnets.len(),
            "dual_homed": dual_homed,
        });
        let nic_list = physical
            .iter()
            .map(|n| format!("{} {}", n.name, n.ipv4.join(",")))
            .collect::<Vec<_>>()
            .join(" / ");
        if dual_homed && view.forwarding == Some(true) {
            return finding(
                &self.meta,
                Verdict::Fail,
                None,
                Text::new(
                    format!(
                        "複数のネットワークに接続し、ネットワーク間の転送（ルーター機能）が有効です: {nic_list}"
                    ),
                    format!("Connected to several networks with IP forwarding on: {nic_list}"),
                ),
                Text::new(
                    "ネットワーク間の転送を無効にし、接続を分ける必要があるか保守業者に確認してください",
                    "Turn IP forwarding off and ask your vendor whether the networks must be separated",
                ),
                facts,
            );
        }
        if dual_homed || route_ifaces.len() > 1 {
            let (more_ja, more_en) = if ways.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!("。ほかの出口: {ways_ja}"),
                    format!("; other ways out: {ways_en}"),
                )
            };
            return finding(
                &self.meta,
                Verdict::Warn,
                None,
                Text::new(
                    format!("複数のネットワークに同時に接続しています: {nic_list}{more_ja}"),
                    format!("Connected to several networks at once: {nic_list}{more_en}"),
                ),
                Text::new(
                    "意図した接続か確認し、機器台帳に記録してください（電子カルテ用とインターネット用の分離など）",
                    "Check this is intended and record it in the device ledger (e.g. EMR network vs internet)",
                ),
                facts,
            );
        }
        if !ways.is_empty() {
            return finding(
                &self.meta,
                Verdict::Warn,
                None,
                Text::new(
                    format!("いつものルーター以外の出口があります: {ways_ja}"),
                    format!("Ways out besides the router: {ways_en}"),
                ),
                Text::new(
                    "何のための接続か（保守業者の VPN、スマートフォンのテザリングなど）を確認し、不要なら外し、必要なら接続先・方式・管理者を機器台帳に記録してください",
                    "Find out what each is for (a vendor's VPN, phone tethering...); remove it if not needed, otherwise record its partner, method and owner in the device ledger",
                ),
                facts,
            );
        }
        if view.routes.is_empty() && physical.is_empty() {
            return finding(
                &self.meta,
                Verdict::Pass,
                None,
                Text::new(
                    "ネットワークに接続していません（デフォルトゲートウェイなし）",
                    "Not connected to a network (no default gateway)",
                ),
                Text::default(),
                facts,
            );
        }
        let gw = view
            .routes
            .first()
            .map(|r| r.gateway.clone())
            .unwrap_or_else(|| "-".into());
        finding(
            &self.meta,
            Verdict::Pass,
            None,
            Text::new(
                format!("接続しているネットワークは1つです（ゲートウェイ {gw}）"),
                format!("Connected to a single network (gateway {gw})"),
            ),
            Text::default(),
            facts,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real first lines: `/proc/net/route` of the Tenken development machine (2026-12-04); the
    /// static route line is synthesised in the kernel's format.
    #[test]
    fn linux_static_routes_are_routes_through_a_gateway() {
        let text = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
                    eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n\
                    eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n\
                    eth0\t0000630A\tFA01A8C0\t0003\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
        assert_eq!(
            proc_net_static(text),
            vec![StaticRoute {
                dest: "10.99.0.0/16".into(),
                gateway: "192.168.1.250".into(),
                iface: "eth0".into(),
            }]
        );
        assert_eq!(proc_net_route(text)[0].gateway, "192.0.2.1");
    }

    /// Synthesised in the documented `netstat -rn -f inet` layout (macOS writes networks short).
    #[test]
    fn macos_static_routes() {
        let text = "Routing tables\n\nInternet:\nDestination        Gateway            Flags        Netif Expire\n\
                    default            192.168.1.1        UGScg          en0\n\
                    10.99/16           192.168.1.250      UGSc           en0\n\
                    127                127.0.0.1          UCS            lo0\n\
                    192.168.1          link#6             UCS            en0      !\n";
        let r = bsd_netstat_static(text);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].dest, "10.99/16");
        assert_eq!(r[0].gateway, "192.168.1.250");
    }

    #[test]
    fn ways_out_by_name_and_description() {
        assert_eq!(way_out_kind("tun0", ""), "vpn");
        assert_eq!(way_out_kind("wg0", ""), "vpn");
        assert_eq!(
            way_out_kind(
                "イーサネット 3",
                "Fortinet SSL VPN Virtual Ethernet Adapter"
            ),
            "vpn"
        );
        assert_eq!(
            way_out_kind(
                "イーサネット 4",
                "Remote NDIS based Internet Sharing Device"
            ),
            "mobile"
        );
        assert_eq!(way_out_kind("wwan0", ""), "mobile");
        assert_eq!(
            way_out_kind("携帯電話", "Generic Mobile Broadband Adapter"),
            "mobile"
        );
        assert_eq!(way_out_kind("enp3s0", ""), "");
        assert_eq!(
            way_out_kind("イーサネット", "Intel(R) Ethernet Connection (7) I219-LM"),
            ""
        );
        assert_eq!(way_out_kind("docker0", ""), "");
    }
}
