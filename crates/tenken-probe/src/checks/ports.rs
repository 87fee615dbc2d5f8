//! `ports.listening`: listening TCP/UDP ports, bind scope (all interfaces / one address /
//! loopback), owning process, and a risk classification of well-known risky services.

use std::time::Duration;

use serde::Serialize;

use super::{AddrClass, classify, finding, get, ok, parse_ip, reason_of, unknown};
use crate::exec::{command, native};
use crate::native::SocketsSnapshot;
use crate::{Captured, EvalContext, Os, Probe, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::{Finding, UnknownReason, Verdict};

/// Severity of a risky service when reachable from the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth listing for the inventory.
    Info,
    /// Should be reviewed / restricted.
    Warn,
    /// Should not be reachable on a clinic PC.
    Fail,
}

/// Known risky ports: (protocol, first port, last port, service name, severity).
pub const RISKY_PORTS: &[(&str, u16, u16, &str, Severity)] = &[
    ("tcp", 21, 21, "FTP", Severity::Fail),
    ("tcp", 22, 22, "SSH", Severity::Warn),
    ("tcp", 23, 23, "Telnet", Severity::Fail),
    ("udp", 69, 69, "TFTP", Severity::Fail),
    ("tcp", 104, 104, "DICOM", Severity::Warn),
    ("tcp", 111, 111, "rpcbind", Severity::Warn),
    ("udp", 111, 111, "rpcbind", Severity::Warn),
    ("tcp", 135, 135, "MS-RPC", Severity::Info),
    ("udp", 137, 138, "NetBIOS", Severity::Warn),
    ("tcp", 139, 139, "NetBIOS/SMB", Severity::Warn),
    ("udp", 161, 161, "SNMP", Severity::Warn),
    ("tcp", 445, 445, "SMB (file sharing)", Severity::Warn),
    ("tcp", 1433, 1434, "SQL Server", Severity::Warn),
    ("udp", 1434, 1434, "SQL Server Browser", Severity::Warn),
    ("tcp", 1521, 1521, "Oracle DB", Severity::Warn),
    ("udp", 1900, 1900, "SSDP/UPnP", Severity::Warn),
    ("tcp", 2049, 2049, "NFS", Severity::Warn),
    ("tcp", 2575, 2575, "HL7 MLLP", Severity::Warn),
    ("tcp", 3306, 3306, "MySQL", Severity::Warn),
    ("tcp", 3389, 3389, "RDP (remote desktop)", Severity::Warn),
    ("udp", 3389, 3389, "RDP (remote desktop)", Severity::Warn),
    ("tcp", 4899, 4899, "Radmin", Severity::Fail),
    ("tcp", 5000, 5000, "UPnP", Severity::Warn),
    ("tcp", 5432, 5432, "PostgreSQL", Severity::Warn),
    ("tcp", 5800, 5800, "VNC (web)", Severity::Fail),
    ("tcp", 5900, 5903, "VNC", Severity::Fail),
    ("tcp", 5938, 5938, "TeamViewer", Severity::Warn),
    ("tcp", 5985, 5986, "WinRM", Severity::Warn),
    ("tcp", 6379, 6379, "Redis", Severity::Warn),
    ("tcp", 7070, 7070, "AnyDesk", Severity::Warn),
    ("tcp", 11112, 11112, "DICOM", Severity::Warn),
    ("tcp", 21115, 21119, "RustDesk", Severity::Warn),
    ("tcp", 27017, 27017, "MongoDB", Severity::Warn),
];

/// The risky-service entry for a port, if any.
pub fn risk_of(proto: &str, port: u16) -> Option<(&'static str, Severity)> {
    RISKY_PORTS
        .iter()
        .find(|(p, lo, hi, _, _)| *p == proto && (*lo..=*hi).contains(&port))
        .map(|(_, _, _, name, sev)| (*name, *sev))
}

/// Bind scope of a listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    /// Bound to loopback only (not reachable from the network).
    Loopback,
    /// Bound to all interfaces.
    AllInterfaces,
    /// Bound to one specific address.
    Address,
}

/// One listening socket with its classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listener {
    /// `tcp` / `udp`.
    pub proto: String,
    /// Bound address.
    pub addr: String,
    /// Port.
    pub port: u16,
    /// Bind scope.
    pub exposure: Exposure,
    /// Risky service name, if the port is a known one.
    pub service: Option<String>,
    /// Severity when exposed.
    pub severity: Option<Severity>,
    /// Owning pids.
    pub pids: Vec<u32>,
    /// Owning process names.
    pub processes: Vec<String>,
    /// Executable paths.
    pub exes: Vec<String>,
}

/// Listening sockets (TCP LISTEN and bound UDP) from a sockets snapshot, classified.
pub fn listeners(snap: &SocketsSnapshot) -> Vec<Listener> {
    let mut out: Vec<Listener> = Vec::new();
    for s in &snap.sockets {
        let listening = (s.proto == "tcp" && s.state == "LISTEN") || s.proto == "udp";
        if !listening {
            continue;
        }
        let Some(ip) = parse_ip(&s.local_addr) else {
            continue;
        };
        let exposure = match classify(ip) {
            AddrClass::Loopback => Exposure::Loopback,
            AddrClass::Unspecified => Exposure::AllInterfaces,
            _ => Exposure::Address,
        };
        let risk = risk_of(&s.proto, s.local_port);
        let processes: Vec<String> = s
            .pids
            .iter()
            .filter_map(|p| snap.process_name(*p).map(str::to_string))
            .collect();
        let exes: Vec<String> = s
            .pids
            .iter()
            .filter_map(|p| {
                snap.processes
                    .get(&p.to_string())
                    .and_then(|i| i.exe.clone())
            })
            .collect();
        let l = Listener {
            proto: s.proto.clone(),
            addr: s.local_addr.clone(),
            port: s.local_port,
            exposure,
            service: risk.map(|r| r.0.to_string()),
            severity: risk.map(|r| r.1),
            pids: s.pids.clone(),
            processes,
            exes,
        };
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out.sort_by(|a, b| (a.port, &a.proto, &a.addr).cmp(&(b.port, &b.proto, &b.addr)));
    out
}

/// Parses macOS `netstat -an -p tcp` LISTEN lines into (addr, port): `*.22`, `127.0.0.1.631`.
pub fn parse_bsd_netstat_listen(text: &str) -> Vec<(String, u16)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 6 || !cols[0].starts_with("tcp") || cols[5] != "LISTEN" {
            continue;
        }
        let Some((host, port)) = cols[3].rsplit_once('.') else {
            continue;
        };
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        let addr = if host == "*" {
            if cols[0].ends_with('6') {
                "::"
            } else {
                "0.0.0.0"
            }
            .to_string()
        } else {
            host.to_string()
        };
        out.push((addr, port));
    }
    out
}

/// `ports.listening`.
pub struct ListeningPorts {
    meta: ProbeMeta,
}

impl Default for ListeningPorts {
    fn default() -> Self {
        Self::new()
    }
}

impl ListeningPorts {
    /// Creates the probe.
    pub fn new() -> Self {
        Self {
            meta: ProbeMeta {
                id: "ports.listening",
                title: Text::new(
                    "待ち受けているポート（外部から接続できるサービス）",
                    "Listening ports (services reachable from the network)",
                ),
                reads: vec![
                    (
                        Os::Windows,
                        "TCP/UDP table with owning process (GetExtendedTcpTable via netstat2)",
                    ),
                    (
                        Os::Macos,
                        "sockets via libproc (netstat2) + netstat -an -p tcp",
                    ),
                    (Os::Linux, "sock_diag netlink (netstat2) + /proc/<pid>/fd"),
                ],
                needs_elevation: false,
                timeout: Duration::from_secs(30),
                checklist_refs: super::registry_refs("ports.listening"),
            },
        }
    }
}

impl Probe for ListeningPorts {
    fn meta(&self) -> &ProbeMeta {
        &self.meta
    }

    fn plan(&self, os: Os) -> Vec<Source> {
        let mut v = vec![native("sockets", "sockets")];
        if os == Os::Macos {
            v.push(command("netstat_tcp", "netstat", &["-an", "-p", "tcp"]));
        }
        v
    }

    fn evaluate(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        let Some(sock) = ok(captured, "sockets") else {
            let reason = get(captured, "sockets")
                .map(reason_of)
                .unwrap_or(UnknownReason::Other);
            return unknown(&self.meta, reason, serde_json::json!({}));
        };
        let Some(snap) = SocketsSnapshot::from_capture(&sock.stdout) else {
            return unknown(&self.meta, UnknownReason::Unparsable, serde_json::json!({}));
        };
        let mut list = listeners(&snap);
        // macOS: libproc only shows the caller's own processes unless root; netstat shows all.
        let mut complete = ctx.os != Os::Macos || ctx.elevated;
        if ctx.os == Os::Macos
            && let Some(ns) = ok(captured, "netstat_tcp")
        {
            complete = true;
            for (addr, port) in parse_bsd_netstat_listen(&ns.stdout) {
                if list.iter().any(|l| l.proto == "tcp" && l.port == port) {
                    continue;
                }
                let Some(ip) = parse_ip(&addr) else { continue };
                let exposure = match classify(ip) {
                    AddrClass::Loopback => Exposure::Loopback,
                    AddrClass::Unspecified => Exposure::AllInterfaces,
                    _ => Exposure::Address,
                };
                let risk = risk_of("tcp", port);
                list.push(Listener {
                    proto: "tcp".into(),
                    addr,
                    port,
                    exposure,
                    service: risk.map(|r| r.0.to_string()),
                    severity: risk.map(|r| r.1),
                    pids: vec![],
                    processes: vec![],
                    exes: vec![],
                });
            }
        }
        let exposed: Vec<&Listener> = list
            .iter()
            .filter(|l| l.exposure != Exposure::Loopback)
            .collect();
        let risky: Vec<&Listener> = exposed
            .iter()
            .copied()
            .filter(|l| matches!(l.severity, Some(Severity::Warn | Severity::Fail)))
            .collect();
        let worst = risky.iter().filter_map(|l| l.severity).max();
        let facts = serde_json::json!({
            "listeners": list,
            "exposed_count": exposed.len(),
            "risky_count": risky.len(),
            "pids_complete": snap.pids_complete,
            "sockets_complete": complete,
        });
        let names: Vec<String> = risky
            .iter()
            .map(|l| {
                let who = l
                    .processes
                    .first()
                    .map(|p| format!(" {p}"))
                    .unwrap_or_default();
                format!(
                    "{}({}/{}{})",
                    l.service.as_deref().unwrap_or("?"),
                    l.port,
                    l.proto,
                    who
                )
            })
            .collect();
        let list_text = names.join(", ");
        match worst {
            Some(sev) => {
                let verdict = if sev == Severity::Fail {
                    Verdict::Fail
                } else {
                    Verdict::Warn
                };
                finding(
                    &self.meta,
                    verdict,
                    None,
                    Text::new(
                        format!(
                            "ネットワークから接続できる注意が必要なサービスが{}件あります: {list_text}",
                            risky.len()
                        ),
                        format!(
                            "{} risky service(s) reachable from the network: {list_text}",
                            risky.len()
                        ),
                    ),
                    Text::new(
                        "使っていないサービスは停止し、必要なものは接続元を制限してください（保守業者に確認）",
                        "Stop services that are not needed and restrict who may connect to the others (ask your vendor)",
                    ),
                    facts,
                )
            }
            None if !complete => unknown(&self.meta, UnknownReason::NeedsElevation, facts),
            // A port open to the network whose program could not be identified is not known to
            // be harmless (issue 14: it gave 適合).
            None if exposed.iter().any(|l| l.pids.is_empty()) => {
                let unknown_ports: Vec<String> = exposed
                    .iter()
                    .filter(|l| l.pids.is_empty())
                    .map(|l| format!("{}/{}", l.port, l.proto))
                    .collect();
                finding(
                    &self.meta,
                    Verdict::Unknown,
                    Some(if ctx.elevated {
                        UnknownReason::Other
                    } else {
                        UnknownReason::NeedsElevation
                    }),
                    Text::new(
                        format!(
                            "ネットワークに公開中のポート{}件のうち{}件は、どのプログラムが使っているか分かりませんでした: {}",
                            exposed.len(),
                            unknown_ports.len(),
                            unknown_ports.join(", ")
                        ),
                        format!(
                            "{} of {} port(s) open to the network belong to a program that could not be identified: {}",
                            unknown_ports.len(),
                            exposed.len(),
                            unknown_ports.join(", ")
                        ),
                    ),
                    Text::new(
                        "管理者としてTenkenを実行して確認するか、そのポートを使うプログラムを保守業者に確認してください",
                        "Run Tenken as administrator to check, or ask your vendor which program uses the port",
                    ),
                    facts,
                )
            }
            None => finding(
                &self.meta,
                Verdict::Pass,
                None,
                Text::new(
                    format!(
                        "注意が必要なサービスはネットワークに公開されていません（公開中のポート{}件）",
                        exposed.len()
                    ),
                    format!(
                        "No risky service is reachable from the network ({} exposed port(s) in total)",
                        exposed.len()
                    ),
                ),
                Text::default(),
                facts,
            ),
        }
    }
}
