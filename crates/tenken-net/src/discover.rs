//! Host discovery for the LAN check: which addresses of the consented range have a device at all.
//!
//! A clinic's /24 is mostly empty. Trying every profile port on every address costs minutes and
//! sends hundreds of connection attempts into nothing; `nmap -sT` first finds the live hosts. So
//! does Tenken, gently:
//!
//! 1. the neighbour (ARP) table is read before anything is sent: complete entries are devices
//!    this PC talked to recently (reading it sends nothing);
//! 2. a light round: one TCP connect per address to [`DISCOVERY_PORTS`]`[0]`; an accepted or
//!    refused connection both prove a device is there;
//! 3. the neighbour table is read again: an address that answered this PC's ARP request during the
//!    round is a device, even when its firewall dropped the connection silently;
//! 4. addresses with no neighbour entry at all (not on this PC's segment, or no table could be
//!    read) get one more connect to the second discovery port.
//!
//! Only devices found this way get the full profile; the others are reported together as
//! addresses where no device answered. Never-touch addresses are removed before step 1.

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;

use super::identify::{DeviceObs, identify_with, start_snmp};
use super::obs::{HostObs, PortObs, PortState};
use super::tcp::{Connector, PER_HOST_CONCURRENCY};

/// Ports of the light round: SMB (every Windows PC, most NAS) first, then HTTP (routers,
/// printers, UTMs, most embedded devices).
pub const DISCOVERY_PORTS: [u16; 2] = [445, 80];

/// How long one discovery connect waits (a device on the clinic LAN answers within
/// milliseconds; nmap `-T4` starts from 500 ms).
pub const DISCOVERY_TIMEOUT: Duration = Duration::from_millis(600);

/// Where the Linux neighbour table is read from.
pub const PROC_ARP: &str = "/proc/net/arp";

/// Maximum bytes of a neighbour table kept as evidence.
pub const NEIGHBOUR_RAW_LIMIT: usize = 64 * 1024;

/// State of one neighbour-table entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeighState {
    /// The address has a hardware address: the device answered ARP (or was configured static).
    Complete,
    /// Resolution is under way or failed: no device answered (yet).
    Incomplete,
}

/// One reading of the neighbour table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourRead {
    /// `/proc/net/arp`, `arp -a` or `arp -an`.
    pub source: String,
    /// The text as read (bounded by [`NEIGHBOUR_RAW_LIMIT`]).
    pub raw: String,
    /// Parsed entries.
    pub entries: BTreeMap<Ipv4Addr, NeighState>,
    /// Why the table could not be read, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When it was read.
    pub at: DateTime<Utc>,
}

impl NeighbourRead {
    /// True when the table lists `ip` with a hardware address.
    pub fn complete(&self, ip: Ipv4Addr) -> bool {
        self.entries.get(&ip) == Some(&NeighState::Complete)
    }

    /// True when the table lists `ip` at all (an ARP request for it went out from this PC).
    pub fn listed(&self, ip: Ipv4Addr) -> bool {
        self.entries.contains_key(&ip)
    }
}

/// How a device was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// A discovery connect was accepted or refused.
    Tcp,
    /// The neighbour table had a complete entry before anything was sent.
    NeighbourBefore,
    /// The device answered this PC's ARP request during the light round.
    Neighbour,
}

/// One device found by discovery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundHost {
    /// Address.
    pub addr: Ipv4Addr,
    /// How it was found.
    pub by: FoundBy,
}

/// The discovery phase of one LAN check, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscoveryObs {
    /// Ports of the light round.
    pub ports: Vec<u16>,
    /// Timeout of one discovery connect, milliseconds.
    pub timeout_ms: u64,
    /// Neighbour table before anything was sent.
    pub before: NeighbourRead,
    /// Neighbour table after the light round.
    pub after: NeighbourRead,
    /// Devices found, in target order.
    pub found: Vec<FoundHost>,
    /// Addresses where nothing answered (not port-checked).
    pub silent: Vec<Ipv4Addr>,
    /// The discovery connects sent to the silent addresses (every packet is evidence).
    #[serde(default)]
    pub silent_connects: Vec<PortObs>,
    /// Highest number of connections in flight to any one device during the whole LAN check.
    pub max_in_flight_per_host: usize,
    /// Per-device pacing used: at most this many connections at a time.
    pub per_host_concurrency: usize,
    /// Per-device pacing used: at most this many new connections per second.
    pub per_host_rate: u32,
    /// When discovery started.
    pub started_at: DateTime<Utc>,
    /// When the last discovery connect ended.
    pub ended_at: DateTime<Utc>,
}

/// Parses Linux `/proc/net/arp`: flags `0x2` (ATF_COM) mark a complete entry; others (`0x0`,
/// all-zero hardware address) are resolutions in progress or failed.
pub fn parse_proc_arp(text: &str) -> BTreeMap<Ipv4Addr, NeighState> {
    let mut out = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 4 {
            continue;
        }
        let Ok(ip) = f[0].parse::<Ipv4Addr>() else {
            continue;
        };
        let flags = u32::from_str_radix(f[2].trim_start_matches("0x"), 16).unwrap_or(0);
        let state = if flags & 0x2 != 0 && !is_zero_mac(f[3]) {
            NeighState::Complete
        } else {
            NeighState::Incomplete
        };
        merge(&mut out, ip, state);
    }
    out
}

/// Parses Windows `arp -a` (any display language: the address and hardware address columns are
/// the same in Japanese and English) and macOS/BSD `arp -an` (`? (ip) at mac on en0 …`, or
/// `(incomplete)`). Broadcast and multicast rows are ignored; an all-zero hardware address is
/// incomplete.
pub fn parse_arp_a(text: &str) -> BTreeMap<Ipv4Addr, NeighState> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (ip, mac) = match f.as_slice() {
            // macOS: ? (192.168.1.1) at 0:11:22:33:44:55 on en0 ifscope [ethernet]
            [_, paren, "at", mac, ..] if paren.starts_with('(') => {
                (paren.trim_matches(|c| c == '(' || c == ')'), *mac)
            }
            // Windows:   192.168.1.1           cc-1a-fa-c0-a0-6e     動的 / dynamic
            [ip, mac, _kind, ..] => (*ip, *mac),
            _ => continue,
        };
        let Ok(ip) = ip.parse::<Ipv4Addr>() else {
            continue;
        };
        if ip.is_broadcast() || ip.is_multicast() || ip.octets()[3] == 255 {
            continue;
        }
        let complete = looks_like_mac(mac) && !is_zero_mac(mac);
        let state = if complete {
            NeighState::Complete
        } else {
            NeighState::Incomplete
        };
        merge(&mut out, ip, state);
    }
    out
}

fn merge(out: &mut BTreeMap<Ipv4Addr, NeighState>, ip: Ipv4Addr, state: NeighState) {
    // The same address on two interfaces: complete wins.
    let e = out.entry(ip).or_insert(state);
    if state == NeighState::Complete {
        *e = state;
    }
}

fn looks_like_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split([':', '-']).collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_zero_mac(s: &str) -> bool {
    s.split([':', '-'])
        .all(|p| p.chars().all(|c| c == '0') && !p.is_empty())
}

fn bounded(s: &str) -> String {
    if s.len() <= NEIGHBOUR_RAW_LIMIT {
        return s.to_string();
    }
    let mut end = NEIGHBOUR_RAW_LIMIT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// Reads this PC's neighbour table (sends nothing): `/proc/net/arp` on Linux, `arp -a` on
/// Windows, `arp -an` elsewhere. The platform is chosen at run time. A table that cannot be read
/// gives an empty reading with the reason; discovery then relies on connects alone.
pub async fn read_neighbours() -> NeighbourRead {
    let at = Utc::now();
    if std::env::consts::OS == "linux" {
        return match tokio::fs::read_to_string(PROC_ARP).await {
            Ok(text) => NeighbourRead {
                source: PROC_ARP.into(),
                entries: parse_proc_arp(&text),
                raw: bounded(&text),
                error: None,
                at,
            },
            Err(e) => NeighbourRead {
                source: PROC_ARP.into(),
                raw: String::new(),
                entries: BTreeMap::new(),
                error: Some(e.to_string()),
                at,
            },
        };
    }
    let (prog, args): (&str, &[&str]) = if std::env::consts::OS == "windows" {
        ("arp", &["-a"])
    } else {
        ("arp", &["-an"])
    };
    let source = format!("{prog} {}", args.join(" "));
    let run = tokio::process::Command::new(prog)
        .args(args)
        .kill_on_drop(true)
        .output();
    let (raw, error) = match tokio::time::timeout(Duration::from_secs(5), run).await {
        Ok(Ok(out)) => (tenken_probe::exec::decode(&out.stdout).0, None),
        Ok(Err(e)) => (String::new(), Some(e.to_string())),
        Err(_) => (String::new(), Some("timeout".into())),
    };
    NeighbourRead {
        source,
        entries: parse_arp_a(&raw),
        raw: bounded(&raw),
        error,
        at,
    }
}

fn answered(o: &PortObs) -> bool {
    matches!(o.state, PortState::Open | PortState::Closed)
}

/// Port-checks one device: every port of `ports` except those in `skip` (a discovery connect
/// already went to them and is reused, never repeated), in any order (sorted later); then asks
/// it what it is ([`identify`]), knowing its open ports including `known` discovery connects.
async fn scan_host(
    conn: Arc<Connector>,
    ip: Ipv4Addr,
    ports: Arc<Vec<u16>>,
    skip: Vec<u16>,
    known: Vec<PortObs>,
) -> (HostObs, DeviceObs) {
    // The SNMP question goes out at once; its wait overlaps the port check.
    let snmp = start_snmp(&conn, ip);
    let mut obs: Vec<PortObs> = Vec::new();
    let mut set = JoinSet::new();
    for &port in ports.iter() {
        if skip.contains(&port) {
            continue;
        }
        let c = Arc::clone(&conn);
        set.spawn(async move { c.probe(ip, port).await });
    }
    while let Some(r) = set.join_next().await {
        if let Ok(Some(o)) = r {
            obs.push(o);
        }
    }
    let seen: Vec<PortObs> = obs.iter().chain(known.iter()).cloned().collect();
    let device = identify_with(&conn, ip, &seen, snmp).await;
    (
        HostObs {
            addr: ip,
            ports: obs,
        },
        device,
    )
}

/// How often the neighbour table is read while the light round runs: a file read on Linux, a
/// process (`arp -a`) elsewhere, so less often there.
fn poll_interval() -> Duration {
    if std::env::consts::OS == "linux" {
        Duration::from_millis(100)
    } else {
        Duration::from_millis(500)
    }
}

/// The state of one LAN check while devices are being found.
struct Finder<'a> {
    conn: &'a Arc<Connector>,
    ports: Arc<Vec<u16>>,
    found_by: HashMap<Ipv4Addr, FoundBy>,
    scans: JoinSet<(HostObs, DeviceObs)>,
    /// Discovery connects per address (reused in the port check, evidence for silent ones).
    connects: HashMap<Ipv4Addr, Vec<PortObs>>,
    /// Discovery connects still under way per address (their ports are not probed again).
    pending: HashMap<Ipv4Addr, Vec<u16>>,
}

impl Finder<'_> {
    fn found(&mut self, ip: Ipv4Addr, by: FoundBy) {
        if self.found_by.contains_key(&ip) {
            return;
        }
        self.found_by.insert(ip, by);
        let mut skip: Vec<u16> = self
            .connects
            .get(&ip)
            .map(|v| v.iter().map(|o| o.port).collect())
            .unwrap_or_default();
        skip.extend(self.pending.get(&ip).cloned().unwrap_or_default());
        self.conn.mark_on_link_if(by != FoundBy::Tcp, ip);
        let known = self.connects.get(&ip).cloned().unwrap_or_default();
        self.scans.spawn(scan_host(
            Arc::clone(self.conn),
            ip,
            Arc::clone(&self.ports),
            skip,
            known,
        ));
    }

    /// One discovery round: a connect to `port` on each address; a device that answers starts
    /// its port check at once, and so does one that answers this PC's ARP request (the
    /// neighbour table is read while the round runs). Returns the last table read.
    async fn round(&mut self, addrs: &[Ipv4Addr], port: u16, poll: bool) -> Option<NeighbourRead> {
        for &ip in addrs {
            self.pending.entry(ip).or_default().push(port);
        }
        // One feeder takes the rate slots one at a time and starts the connects; results come
        // back through the channel, which closes when the feeder and every connect are done.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<PortObs>();
        let feeder = {
            let conn = Arc::clone(self.conn);
            let addrs = addrs.to_vec();
            tokio::spawn(async move {
                for ip in addrs {
                    let Some(ticket) = conn.discovery_ticket().await else {
                        break;
                    };
                    let (c, tx) = (Arc::clone(&conn), tx.clone());
                    tokio::spawn(async move {
                        if let Some(o) = c.probe_discovery(ip, port, ticket).await {
                            let _ = tx.send(o);
                        }
                    });
                }
            })
        };
        let mut tick = tokio::time::interval(poll_interval());
        let mut last = None;
        loop {
            tokio::select! {
                r = rx.recv() => {
                    let Some(o) = r else { break };
                    let ip = o.addr;
                    if let Some(p) = self.pending.get_mut(&ip) {
                        p.retain(|q| *q != o.port);
                    }
                    let ok = answered(&o);
                    self.connects.entry(ip).or_default().push(o);
                    if ok {
                        self.found(ip, FoundBy::Tcp);
                    }
                }
                _ = tick.tick(), if poll => {
                    let t = read_neighbours().await;
                    for &ip in addrs {
                        if t.complete(ip) {
                            self.found(ip, FoundBy::Neighbour);
                        }
                    }
                    last = Some(t);
                }
            }
        }
        let _ = feeder.await;
        last
    }
}

/// The LAN check: discovery (see the module documentation), then the profile `ports` on every
/// device found, each device's check starting as soon as it is found. `on_found` is told the
/// number of devices once discovery has ended. Hosts (and what each said about itself) come back
/// in target order, their ports in profile order.
pub async fn check_lan(
    conn: &Arc<Connector>,
    targets: &[Ipv4Addr],
    ports: &[u16],
    on_found: &(dyn Fn(usize) + Sync),
) -> (DiscoveryObs, Vec<HostObs>, Vec<DeviceObs>) {
    let started_at = Utc::now();
    let before = read_neighbours().await;
    let mut f = Finder {
        conn,
        ports: Arc::new(ports.to_vec()),
        found_by: HashMap::new(),
        scans: JoinSet::new(),
        connects: HashMap::new(),
        pending: HashMap::new(),
    };
    let mut rest = Vec::new();
    for &ip in targets {
        if before.complete(ip) {
            f.found(ip, FoundBy::NeighbourBefore);
        } else {
            rest.push(ip);
        }
    }
    f.round(&rest, DISCOVERY_PORTS[0], true).await;
    let after = read_neighbours().await;
    let mut second = Vec::new();
    for &ip in &rest {
        if f.found_by.contains_key(&ip) {
            continue;
        }
        if after.complete(ip) {
            f.found(ip, FoundBy::Neighbour);
        } else if !after.listed(ip) && !before.listed(ip) {
            // No neighbour request went out for it: not on this segment (or no table).
            second.push(ip);
        }
    }
    f.round(&second, DISCOVERY_PORTS[1], false).await;
    let ended_at = Utc::now();
    let mut silent = Vec::new();
    let mut silent_connects = Vec::new();
    let mut found_list = Vec::new();
    for &ip in targets {
        match f.found_by.get(&ip) {
            Some(by) => found_list.push(FoundHost { addr: ip, by: *by }),
            None => {
                silent.push(ip);
                silent_connects.extend(f.connects.remove(&ip).unwrap_or_default());
            }
        }
    }
    on_found(found_list.len());
    let mut hosts: HashMap<Ipv4Addr, HostObs> = HashMap::new();
    let mut devices: HashMap<Ipv4Addr, DeviceObs> = HashMap::new();
    while let Some(r) = f.scans.join_next().await {
        if let Ok((h, d)) = r {
            hosts.insert(h.addr, h);
            devices.insert(d.addr, d);
        }
    }
    let devices: Vec<DeviceObs> = targets.iter().filter_map(|ip| devices.remove(ip)).collect();
    let order = |p: u16| ports.iter().position(|q| *q == p).unwrap_or(usize::MAX);
    let mut lan = Vec::new();
    for ip in targets {
        let Some(mut h) = hosts.remove(ip) else {
            continue;
        };
        // The discovery connects to this device belong to its port check.
        h.ports.extend(
            f.connects
                .remove(ip)
                .unwrap_or_default()
                .into_iter()
                .filter(|o| ports.contains(&o.port)),
        );
        h.ports.sort_by_key(|o| order(o.port));
        lan.push(h);
    }
    let discovery = DiscoveryObs {
        ports: DISCOVERY_PORTS.to_vec(),
        timeout_ms: u64::try_from(DISCOVERY_TIMEOUT.as_millis()).unwrap_or(u64::MAX),
        before,
        after,
        found: found_list,
        silent,
        silent_connects,
        max_in_flight_per_host: conn.max_in_flight_per_host(),
        per_host_concurrency: PER_HOST_CONCURRENCY,
        per_host_rate: conn.per_host_rate(),
        started_at,
        ended_at,
    };
    (discovery, lan, devices)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    /// Real: `/proc/net/arp` of the machine Tenken is developed on (2026-12-04, Debian 12), plus
    /// two rows synthesised in the kernel's format: an incomplete resolution and a failed one.
    #[test]
    fn proc_arp_complete_and_incomplete() {
        let text = include_str!("../tests/fixtures/neighbours/proc-net-arp.txt");
        let m = parse_proc_arp(text);
        assert_eq!(m.get(&ip("192.0.2.1")), Some(&NeighState::Complete));
        assert_eq!(m.get(&ip("192.168.77.30")), Some(&NeighState::Incomplete));
        assert_eq!(m.get(&ip("192.168.77.31")), Some(&NeighState::Incomplete));
        assert_eq!(m.len(), 3);
    }

    /// Real (Japanese Windows): rows published at tech.mamezou00000.com/entry/arp; the page
    /// collapsed the whitespace, line breaks restored; its elided rows (……) left out.
    #[test]
    fn windows_arp_a_japanese() {
        let text = include_str!("../tests/fixtures/neighbours/arp-a-ja.txt");
        let m = parse_arp_a(text);
        assert_eq!(m.get(&ip("192.168.1.1")), Some(&NeighState::Complete));
        assert_eq!(m.get(&ip("192.168.1.2")), Some(&NeighState::Complete));
        // The interface line (this PC) and the broadcast row are not neighbours.
        assert!(!m.contains_key(&ip("192.168.1.14")));
        assert!(!m.contains_key(&ip("255.255.255.255")));
        assert_eq!(m.len(), 2);
    }

    /// Real (English Windows, older): published at www.7key.jp/computer/arp.html (its typo
    /// "Physikac" kept); a static row counts as complete.
    #[test]
    fn windows_arp_a_english() {
        let text = include_str!("../tests/fixtures/neighbours/arp-a-en.txt");
        let m = parse_arp_a(text);
        assert_eq!(m.len(), 3);
        assert!(m.values().all(|s| *s == NeighState::Complete));
        assert!(m.contains_key(&ip("192.168.1.154")));
    }

    /// Synthesised in the documented formats: Windows' `00-00-00-00-00-00 invalid` and macOS
    /// `(incomplete)` rows are not devices.
    #[test]
    fn incomplete_rows_of_windows_and_macos() {
        let text = "  192.168.1.9           00-00-00-00-00-00     invalid\n\
                    ? (192.168.1.7) at (incomplete) on en0 ifscope [ethernet]\n\
                    ? (192.168.1.1) at 0:11:22:33:44:55 on en0 ifscope [ethernet]\n\
                    ? (224.0.0.251) at 1:0:5e:0:0:fb on en0 ifscope permanent [ethernet]\n";
        let m = parse_arp_a(text);
        assert_eq!(m.get(&ip("192.168.1.9")), Some(&NeighState::Incomplete));
        assert_eq!(m.get(&ip("192.168.1.7")), Some(&NeighState::Incomplete));
        assert_eq!(m.get(&ip("192.168.1.1")), Some(&NeighState::Complete));
        assert!(!m.contains_key(&ip("224.0.0.251")));
    }
}
