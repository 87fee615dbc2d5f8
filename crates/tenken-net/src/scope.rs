//! Consented scope: parsing `--lan` targets, the never-touch list, private-address rules and caps.

use std::net::Ipv4Addr;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::NetError;

/// Hard cap on the number of LAN targets one scan may contact.
pub const MAX_TARGETS: usize = 256;

/// Default connection rate (new TCP connections per second).
pub const DEFAULT_RATE: u32 = 300;

/// Highest rate a user may ask for (connections per second).
pub const MAX_RATE: u32 = 500;

/// Name of the never-touch file inside the data directory.
pub const NEVER_TOUCH_FILE: &str = "never-touch.txt";

/// An IPv4 network (address + prefix length), used for CIDR targets and never-touch entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Net4 {
    /// Network address (host bits cleared).
    pub addr: Ipv4Addr,
    /// Prefix length 0..=32.
    pub prefix: u8,
}

impl Net4 {
    /// Parses `a.b.c.d` (a /32) or `a.b.c.d/n`.
    pub fn parse(s: &str) -> Result<Self, NetError> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => {
                let p: u8 = p
                    .parse()
                    .map_err(|_| NetError::BadTarget(s.to_string(), "prefix"))?;
                (a, p)
            }
            None => (s, 32),
        };
        if p > 32 {
            return Err(NetError::BadTarget(s.to_string(), "prefix"));
        }
        let addr: Ipv4Addr = a
            .parse()
            .map_err(|_| NetError::BadTarget(s.to_string(), "IPv4 address"))?;
        Ok(Self {
            addr: Ipv4Addr::from(u32::from(addr) & mask(p)),
            prefix: p,
        })
    }

    /// True when `ip` lies inside this network.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & mask(self.prefix) == u32::from(self.addr)
    }
}

impl std::fmt::Display for Net4 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

/// True for addresses a LAN check may contact: RFC 1918 private ranges and loopback.
/// Link-local, CGNAT (100.64/10), multicast and public addresses are refused.
pub fn is_scannable(ip: Ipv4Addr) -> bool {
    ip.is_private() || ip.is_loopback()
}

/// Parses one `--lan` target: a CIDR of /24 or smaller, a range `a.b.c.d-e`, a single address,
/// or a comma-separated list of these. Returns the addresses in order (network and broadcast
/// addresses of a CIDR of /30 or larger are left out). Refuses non-private addresses.
pub fn parse_target(s: &str) -> Result<Vec<Ipv4Addr>, NetError> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let addrs: Vec<Ipv4Addr> = if part.contains('/') {
            let net = Net4::parse(part)?;
            if net.prefix < 24 {
                return Err(NetError::TooWide(part.to_string()));
            }
            let base = u32::from(net.addr);
            let size = 1u32 << (32 - u32::from(net.prefix));
            let (lo, hi) = if size >= 4 { (1, size - 1) } else { (0, size) };
            (lo..hi).map(|i| Ipv4Addr::from(base + i)).collect()
        } else if let Some((a, e)) = part.split_once('-') {
            let start: Ipv4Addr = a
                .trim()
                .parse()
                .map_err(|_| NetError::BadTarget(part.to_string(), "IPv4 address"))?;
            let end: u8 = e
                .trim()
                .parse()
                .map_err(|_| NetError::BadTarget(part.to_string(), "range end (0-255)"))?;
            let o = start.octets();
            if end < o[3] {
                return Err(NetError::BadTarget(part.to_string(), "range end"));
            }
            (o[3]..=end)
                .map(|l| Ipv4Addr::new(o[0], o[1], o[2], l))
                .collect()
        } else {
            vec![
                part.parse()
                    .map_err(|_| NetError::BadTarget(part.to_string(), "IPv4 address"))?,
            ]
        };
        for ip in addrs {
            if !is_scannable(ip) {
                return Err(NetError::NotPrivate(ip));
            }
            if !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    if out.is_empty() {
        return Err(NetError::BadTarget(s.to_string(), "empty"));
    }
    Ok(out)
}

/// Addresses that must never be contacted (modalities and other fragile devices).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeverTouch {
    /// Entries (single addresses are /32).
    pub entries: Vec<Net4>,
}

impl NeverTouch {
    /// Parses the never-touch file format: one address or CIDR per line, `#` starts a comment.
    pub fn parse(text: &str) -> Result<Self, NetError> {
        let mut entries = Vec::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                entries.push(Net4::parse(line)?);
            }
        }
        Ok(Self { entries })
    }

    /// Loads `<data_dir>/never-touch.txt`; a missing file is an empty list.
    pub fn load(data_dir: &Path) -> Result<Self, NetError> {
        let path = data_dir.join(NEVER_TOUCH_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(NetError::Io(path.display().to_string(), e)),
        }
    }

    /// Adds one `ADDR|CIDR` entry (from `--never-touch`).
    pub fn add(&mut self, s: &str) -> Result<(), NetError> {
        self.entries.push(Net4::parse(s)?);
        Ok(())
    }

    /// True when `ip` must not be contacted.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        self.entries.iter().any(|n| n.contains(ip))
    }
}

/// Everything the user consented to, validated. Build it with [`Scope::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Gateway checks enabled (`--network`).
    pub network: bool,
    /// LAN targets to port-check, never-touch addresses already removed.
    pub lan: Vec<Ipv4Addr>,
    /// Requested targets that were skipped because they are on the never-touch list.
    pub skipped_never_touch: Vec<Ipv4Addr>,
    /// Never-touch list honoured before any packet.
    pub never_touch: NeverTouch,
    /// New connections per second.
    pub rate: u32,
    /// Maximum connections in flight.
    pub concurrency: usize,
    /// Whether reverse DNS names may be looked up (off unless asked; currently never done).
    pub reverse_dns: bool,
}

impl Scope {
    /// Validates the scope: parses targets, removes never-touch addresses, applies the caps.
    pub fn new(
        network: bool,
        lan_targets: &[String],
        never_touch: NeverTouch,
        rate: u32,
    ) -> Result<Self, NetError> {
        if rate == 0 || rate > MAX_RATE {
            return Err(NetError::Rate(rate));
        }
        let mut lan = Vec::new();
        let mut skipped = Vec::new();
        for t in lan_targets {
            for ip in parse_target(t)? {
                if never_touch.contains(ip) {
                    if !skipped.contains(&ip) {
                        skipped.push(ip);
                    }
                } else if !lan.contains(&ip) {
                    lan.push(ip);
                }
            }
        }
        if lan.len() > MAX_TARGETS {
            return Err(NetError::TooMany(lan.len()));
        }
        Ok(Self {
            network,
            lan,
            skipped_never_touch: skipped,
            never_touch,
            rate,
            concurrency: 64,
            reverse_dns: false,
        })
    }

    /// True when any active check is enabled.
    pub fn enabled(&self) -> bool {
        self.network || !self.lan.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn cidr_24_gives_254_hosts_without_network_and_broadcast() {
        let v = parse_target("192.168.77.0/24").unwrap();
        assert_eq!(v.len(), 254);
        assert_eq!(v[0], Ipv4Addr::new(192, 168, 77, 1));
        assert_eq!(v[253], Ipv4Addr::new(192, 168, 77, 254));
    }

    #[test]
    fn wider_than_24_is_refused() {
        assert!(matches!(
            parse_target("10.0.0.0/23"),
            Err(NetError::TooWide(_))
        ));
    }

    #[test]
    fn range_and_list() {
        let v = parse_target("10.77.0.5-7, 10.77.0.9").unwrap();
        let want: Vec<Ipv4Addr> = [5, 6, 7, 9]
            .iter()
            .map(|l| Ipv4Addr::new(10, 77, 0, *l))
            .collect();
        assert_eq!(v, want);
        assert!(parse_target("10.77.0.9-3").is_err());
    }

    #[test]
    fn public_and_names_are_refused() {
        assert!(matches!(
            parse_target("8.8.8.8"),
            Err(NetError::NotPrivate(_))
        ));
        assert!(matches!(
            parse_target("100.64.0.1"),
            Err(NetError::NotPrivate(_))
        ));
        assert!(matches!(
            parse_target("172.32.0.1"),
            Err(NetError::NotPrivate(_))
        ));
        assert!(parse_target("printer.local").is_err());
        let msg = parse_target("1.1.1.0/30").unwrap_err().to_string();
        assert!(msg.contains("1.1.1.1"), "{msg}");
    }

    #[test]
    fn never_touch_is_removed_before_anything_else() {
        let nt =
            NeverTouch::parse("# modalities\n192.168.77.24\n192.168.77.128/25 # CT\n").unwrap();
        let s = Scope::new(
            false,
            &["192.168.77.20-30".into(), "192.168.77.200".into()],
            nt,
            50,
        )
        .unwrap();
        assert!(!s.lan.contains(&Ipv4Addr::new(192, 168, 77, 24)));
        assert!(!s.lan.contains(&Ipv4Addr::new(192, 168, 77, 200)));
        assert_eq!(s.lan.len(), 10);
        assert_eq!(
            s.skipped_never_touch,
            vec![
                Ipv4Addr::new(192, 168, 77, 24),
                Ipv4Addr::new(192, 168, 77, 200)
            ]
        );
    }

    #[test]
    fn target_cap_and_rate_limits() {
        let many: Vec<String> = (0..2).map(|i| format!("10.77.{i}.0/24")).collect();
        assert!(matches!(
            Scope::new(false, &many, NeverTouch::default(), 50),
            Err(NetError::TooMany(508))
        ));
        assert!(Scope::new(false, &[], NeverTouch::default(), 0).is_err());
        assert!(Scope::new(false, &[], NeverTouch::default(), 10_000).is_err());
        let s = Scope::new(false, &[], NeverTouch::default(), 50).unwrap();
        assert!(!s.enabled());
    }
}
