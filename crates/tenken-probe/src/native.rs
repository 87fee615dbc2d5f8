//! Native collectors (no external program): `sockets` (netstat2 + sysinfo process names) and
//! `host` (host facts). Results are JSON text so they record and replay like command output.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// One socket as recorded by the `sockets` collector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocketRow {
    /// `tcp` or `udp`.
    pub proto: String,
    /// Local address (IPv4-mapped IPv6 normalized to IPv4).
    pub local_addr: String,
    /// Local port.
    pub local_port: u16,
    /// Remote address (TCP only).
    #[serde(default)]
    pub remote_addr: Option<String>,
    /// Remote port (TCP only).
    #[serde(default)]
    pub remote_port: Option<u16>,
    /// TCP state (`LISTEN`, `ESTABLISHED`, ...), `UNCONN` for UDP.
    pub state: String,
    /// Owning process ids (empty when not visible without elevation).
    #[serde(default)]
    pub pids: Vec<u32>,
}

/// A process that owns at least one socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInfo {
    /// Process name.
    pub name: String,
    /// Executable path, when readable.
    #[serde(default)]
    pub exe: Option<String>,
}

/// Output of the `sockets` collector.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SocketsSnapshot {
    /// TCP listen/established sockets and UDP sockets.
    pub sockets: Vec<SocketRow>,
    /// Processes by pid (as string keys, for JSON).
    #[serde(default)]
    pub processes: BTreeMap<String, ProcessInfo>,
    /// Whether owning processes are complete (Linux/macOS need root for other users' sockets).
    #[serde(default)]
    pub pids_complete: bool,
}

impl SocketsSnapshot {
    /// The snapshot in a `sockets` capture: the native collector's JSON, or Windows
    /// `netstat -ano` text fed in its place ([`crate::netstat`]).
    pub fn from_capture(stdout: &str) -> Option<SocketsSnapshot> {
        serde_json::from_str(stdout)
            .ok()
            .or_else(|| crate::netstat::parse_netstat_ano(stdout))
    }

    /// Process name of `pid`, when known.
    pub fn process_name(&self, pid: u32) -> Option<&str> {
        self.processes
            .get(&pid.to_string())
            .map(|p| p.name.as_str())
    }
}

/// Normalizes an address: IPv4-mapped IPv6 (`::ffff:a.b.c.d`) becomes IPv4.
pub fn normalize_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// Enumerates TCP (listen + established) and UDP sockets with owning pids (netstat2) only.
pub fn enumerate_sockets() -> Result<Vec<SocketRow>, String> {
    use netstat2::{AddressFamilyFlags, ProtocolFlags, ProtocolSocketInfo, TcpState};
    let af = AddressFamilyFlags::IPV4 | AddressFamilyFlags::IPV6;
    let proto = ProtocolFlags::TCP | ProtocolFlags::UDP;
    let iter = netstat2::iterate_sockets_info(af, proto).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for info in iter.filter_map(Result::ok) {
        let pids = info.associated_pids.clone();
        match info.protocol_socket_info {
            ProtocolSocketInfo::Tcp(t) => {
                if !matches!(t.state, TcpState::Listen | TcpState::Established) {
                    continue;
                }
                rows.push(SocketRow {
                    proto: "tcp".into(),
                    local_addr: normalize_ip(t.local_addr).to_string(),
                    local_port: t.local_port,
                    remote_addr: Some(normalize_ip(t.remote_addr).to_string()),
                    remote_port: Some(t.remote_port),
                    state: t.state.to_string(),
                    pids,
                });
            }
            ProtocolSocketInfo::Udp(u) => rows.push(SocketRow {
                proto: "udp".into(),
                local_addr: normalize_ip(u.local_addr).to_string(),
                local_port: u.local_port,
                remote_addr: None,
                remote_port: None,
                state: "UNCONN".into(),
                pids,
            }),
        }
    }
    Ok(rows)
}

/// Runs the `sockets` collector: sockets plus names/paths of the owning processes (sysinfo,
/// refreshing only those processes).
pub fn collect_sockets(elevated: bool) -> Result<SocketsSnapshot, String> {
    // netstat2 on Linux panics when /proc is unreadable; turn that into an error.
    let mut sockets = std::panic::catch_unwind(enumerate_sockets)
        .map_err(|_| "socket enumeration panicked (is /proc readable?)".to_string())??;
    sockets.sort_by(|a, b| {
        (
            &a.proto,
            &a.state,
            a.local_port,
            &a.local_addr,
            &a.remote_addr,
            a.remote_port,
        )
            .cmp(&(
                &b.proto,
                &b.state,
                b.local_port,
                &b.local_addr,
                &b.remote_addr,
                b.remote_port,
            ))
    });
    let wanted: HashSet<u32> = sockets
        .iter()
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    let mut processes = BTreeMap::new();
    if !wanted.is_empty() {
        let pids: Vec<sysinfo::Pid> = wanted.iter().map(|p| sysinfo::Pid::from_u32(*p)).collect();
        if let Ok(mut sys) = sysinfo::System::new() {
            sys.refresh_processes_specifics(
                sysinfo::ProcessesToUpdate::Some(&pids),
                true,
                sysinfo::ProcessRefreshKind::nothing().with_exe(sysinfo::UpdateKind::OnlyIfNotSet),
            );
            for pid in &pids {
                if let Some(p) = sys.process(*pid) {
                    processes.insert(
                        pid.as_u32().to_string(),
                        ProcessInfo {
                            name: p.name().to_string_lossy().into_owned(),
                            exe: p.exe().map(|e| e.display().to_string()),
                        },
                    );
                }
            }
        }
    }
    Ok(SocketsSnapshot {
        sockets,
        processes,
        pids_complete: elevated || cfg!(windows),
    })
}

/// Runs a named native collector and returns its JSON text.
pub fn collect(collector: &str, elevated: bool) -> Result<String, String> {
    match collector {
        "sockets" => {
            let snap = collect_sockets(elevated)?;
            serde_json::to_string(&snap).map_err(|e| e.to_string())
        }
        "host" => {
            serde_json::to_string(&super::host::host_facts(elevated)).map_err(|e| e.to_string())
        }
        other => Err(format!("unknown native collector '{other}'")),
    }
}
