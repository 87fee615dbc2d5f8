//! `net.peers`: established TCP connections, classified by remote address (loopback / private /
//! public), with connections of remote-access tools flagged (process names or well-known ports).

use std::time::Duration;

use serde::Serialize;

use super::{AddrClass, classify, finding, get, ok, parse_ip, reason_of, unknown};
use crate::exec::native;
use crate::native::SocketsSnapshot;
use crate::{Captured, EvalContext, Os, Probe, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::{Finding, UnknownReason, Verdict};

/// Lowercase process-name fragments of remote-access / remote-maintenance tools.
pub const REMOTE_ACCESS_PROCESSES: &[(&str, &str)] = &[
    ("teamviewer", "TeamViewer"),
    ("anydesk", "AnyDesk"),
    ("rustdesk", "RustDesk"),
    ("screenconnect", "ConnectWise ScreenConnect"),
    ("connectwisecontrol", "ConnectWise Control"),
    ("splashtop", "Splashtop"),
    ("srservice", "Splashtop"),
    ("logmein", "LogMeIn"),
    ("remoting_host", "Chrome Remote Desktop"),
    ("rserver3", "Radmin"),
    ("radmin", "Radmin"),
    ("ammyy", "Ammyy Admin"),
    ("supremo", "Supremo"),
    ("zohoassist", "Zoho Assist"),
    ("bomgar", "BeyondTrust"),
    ("islalwaysonmonitor", "ISL Online"),
    ("isllight", "ISL Online"),
    ("winvnc", "VNC"),
    ("vncserver", "VNC"),
    ("tvnserver", "TightVNC"),
    ("x11vnc", "VNC"),
    ("xvnc", "VNC"),
    ("screensharingd", "macOS Screen Sharing"),
    ("mstsc", "Remote Desktop client"),
    ("termservice", "Remote Desktop"),
];

/// Remote ports that indicate a remote-access session.
pub const REMOTE_ACCESS_PORTS: &[(u16, &str)] = &[
    (3389, "RDP"),
    (5900, "VNC"),
    (5938, "TeamViewer"),
    (7070, "AnyDesk"),
    (4899, "Radmin"),
    (21116, "RustDesk"),
    (21117, "RustDesk"),
];

/// The remote-access tool a process name belongs to.
pub fn remote_tool(process: &str) -> Option<&'static str> {
    let p = process.to_ascii_lowercase();
    REMOTE_ACCESS_PROCESSES
        .iter()
        .find(|(frag, _)| p.contains(frag))
        .map(|(_, name)| *name)
}

/// One established connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Peer {
    /// Local address.
    pub local: String,
    /// Local port.
    pub local_port: u16,
    /// Remote address.
    pub remote: String,
    /// Remote port.
    pub remote_port: u16,
    /// Remote class.
    pub remote_class: AddrClass,
    /// Owning process names (empty when not visible).
    pub processes: Vec<String>,
    /// Owning pids.
    pub pids: Vec<u32>,
    /// Remote-access tool, when recognised.
    pub remote_access: Option<String>,
}

/// Established connections from a sockets snapshot.
pub fn peers(snap: &SocketsSnapshot) -> Vec<Peer> {
    let mut out = Vec::new();
    for s in &snap.sockets {
        if s.proto != "tcp" || s.state != "ESTABLISHED" {
            continue;
        }
        let (Some(remote), Some(remote_port)) = (s.remote_addr.clone(), s.remote_port) else {
            continue;
        };
        let Some(rip) = parse_ip(&remote) else {
            continue;
        };
        let processes: Vec<String> = s
            .pids
            .iter()
            .filter_map(|p| snap.process_name(*p).map(str::to_string))
            .collect();
        let by_name = processes.iter().find_map(|p| remote_tool(p));
        let by_port = REMOTE_ACCESS_PORTS
            .iter()
            .find(|(p, _)| *p == remote_port || *p == s.local_port)
            .map(|(_, n)| *n);
        out.push(Peer {
            local: s.local_addr.clone(),
            local_port: s.local_port,
            remote,
            remote_port,
            remote_class: classify(rip),
            processes,
            pids: s.pids.clone(),
            remote_access: by_name.or(by_port).map(str::to_string),
        });
    }
    out
}

/// Loopback connections (both ends on this PC) of one program on one service port, counted
/// rather than listed: a PC with thousands of local connections (a database and its client on
/// the same machine) would otherwise fill the bundle with rows that change no verdict.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LoopbackGroup {
    /// The service port: the local port when this PC listens on it over TCP, else the remote port.
    pub port: u16,
    /// `server` when these are the listening side's connections, `client` otherwise.
    pub side: &'static str,
    /// Owning process names (empty when not visible).
    pub processes: Vec<String>,
    /// Number of connections.
    pub count: usize,
}

/// Loopback connections of `list` counted per service port, side and program.
pub fn loopback_summary(snap: &SocketsSnapshot, list: &[Peer]) -> Vec<LoopbackGroup> {
    let listening: std::collections::HashSet<u16> = snap
        .sockets
        .iter()
        .filter(|s| s.proto == "tcp" && s.state == "LISTEN")
        .map(|s| s.local_port)
        .collect();
    let mut groups: std::collections::BTreeMap<(u16, &'static str, Vec<String>), usize> =
        std::collections::BTreeMap::new();
    for p in list
        .iter()
        .filter(|p| p.remote_class == AddrClass::Loopback)
    {
        let (port, side) = if listening.contains(&p.local_port) {
            (p.local_port, "server")
        } else {
            (p.remote_port, "client")
        };
        let mut procs = p.processes.clone();
        procs.sort();
        procs.dedup();
        *groups.entry((port, side, procs)).or_default() += 1;
    }
    groups
        .into_iter()
        .map(|((port, side, processes), count)| LoopbackGroup {
            port,
            side,
            processes,
            count,
        })
        .collect()
}

/// `net.peers`.
pub struct NetPeers {
    meta: ProbeMeta,
}

impl Default for NetPeers {
    fn default() -> Self {
        Self::new()
    }
}

impl NetPeers {
    /// Creates the probe.
    pub fn new() -> Self {
        Self {
            meta: ProbeMeta {
                id: "net.peers",
                title: Text::new(
                    "通信中の接続先（リモート保守ツールの通信）",
                    "Active connections (remote-access tools)",
                ),
                reads: vec![
                    (Os::Windows, "TCP table with owning process (netstat2)"),
                    (Os::Macos, "sockets via libproc (netstat2)"),
                    (Os::Linux, "sock_diag netlink (netstat2)"),
                ],
                needs_elevation: false,
                timeout: Duration::from_secs(30),
                checklist_refs: super::registry_refs("net.peers"),
            },
        }
    }
}

impl Probe for NetPeers {
    fn meta(&self) -> &ProbeMeta {
        &self.meta
    }

    fn plan(&self, _os: Os) -> Vec<Source> {
        vec![native("sockets", "sockets")]
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
        let list = peers(&snap);
        let external: Vec<&Peer> = list
            .iter()
            .filter(|p| p.remote_class != AddrClass::Loopback)
            .collect();
        let remote: Vec<&Peer> = external
            .iter()
            .copied()
            .filter(|p| p.remote_access.is_some())
            .collect();
        let unattributed = external.iter().filter(|p| p.processes.is_empty()).count();
        let count = |c: AddrClass| list.iter().filter(|p| p.remote_class == c).count();
        // Connections leaving the PC are listed; loopback ones only counted (issue 18).
        let facts = serde_json::json!({
            "connections": external,
            "loopback_summary": loopback_summary(&snap, &list),
            "loopback": count(AddrClass::Loopback),
            "private": count(AddrClass::Private),
            "public": count(AddrClass::Public),
            "remote_access": remote.len(),
            "unattributed": unattributed,
            "pids_complete": snap.pids_complete,
        });
        if !remote.is_empty() {
            let mut tools: Vec<String> = remote
                .iter()
                .map(|p| {
                    format!(
                        "{} → {}:{}",
                        p.remote_access.as_deref().unwrap_or("?"),
                        p.remote,
                        p.remote_port
                    )
                })
                .collect();
            tools.dedup();
            let t = tools.join(", ");
            return finding(
                &self.meta,
                Verdict::Warn,
                None,
                Text::new(
                    format!("リモート保守・遠隔操作ツールの通信があります: {t}"),
                    format!("Remote-access tool connections found: {t}"),
                ),
                Text::new(
                    "この通信が契約している保守業者のものか確認し、使わないときは停止してください",
                    "Confirm these belong to your contracted maintenance vendor and stop them when not in use",
                ),
                facts,
            );
        }
        if unattributed > 0 && !snap.pids_complete && !ctx.elevated {
            return unknown(&self.meta, UnknownReason::NeedsElevation, facts);
        }
        finding(
            &self.meta,
            Verdict::Pass,
            None,
            Text::new(
                format!(
                    "リモート保守ツールの通信は見つかりません（外部との接続{}件: 院内{}件・インターネット{}件）",
                    external.len(),
                    count(AddrClass::Private),
                    count(AddrClass::Public)
                ),
                format!(
                    "No remote-access tool connection ({} external connection(s): {} private, {} public)",
                    external.len(),
                    count(AddrClass::Private),
                    count(AddrClass::Public)
                ),
            ),
            Text::default(),
            facts,
        )
    }
}
