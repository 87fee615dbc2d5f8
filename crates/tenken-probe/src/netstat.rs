//! The socket table from Windows `netstat -ano` text, so a vendor can feed Tenken what a
//! locked-down PC prints (`netstat -ano > netstat-ano.txt` in cmd.exe, CP932; or from
//! PowerShell, UTF-16) instead of the native socket API. English and Japanese headers
//! (「プロトコル ローカル アドレス 外部アドレス 状態 PID」); the state words stay English on Japanese
//! Windows (LISTENING, ESTABLISHED).
//!
//! In a replay directory (`tenken scan --replay DIR`), a file `DIR/netstat-ano.txt` stands in
//! for the `sockets` capture of ports.listening and net.peers when they have no recording.

use crate::native::{SocketRow, SocketsSnapshot};

/// The file a replay directory may hold.
pub const NETSTAT_FILE: &str = "netstat-ano.txt";

/// Parses `netstat -ano` text. Lines that are not TCP/UDP rows (titles, headers, blank lines)
/// are skipped; `None` when no row was found.
pub fn parse_netstat_ano(text: &str) -> Option<SocketsSnapshot> {
    let mut sockets = Vec::new();
    for line in text.lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = t.first() else { continue };
        let proto = match first.to_ascii_uppercase().as_str() {
            "TCP" => "tcp",
            "UDP" => "udp",
            _ => continue,
        };
        // TCP: proto local foreign state pid; UDP: proto local foreign pid.
        let (local, foreign, state, pid) = match (proto, t.len()) {
            ("tcp", 5) => (t[1], t[2], map_state(t[3]), t[4]),
            ("udp", 4) => (t[1], t[2], "UNCONN".to_string(), t[3]),
            _ => continue,
        };
        let Some((local_addr, local_port)) = split_addr(local) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let remote = split_addr(foreign);
        sockets.push(SocketRow {
            proto: proto.into(),
            local_addr,
            local_port,
            remote_addr: remote.as_ref().map(|(a, _)| a.clone()),
            remote_port: remote.map(|(_, p)| p),
            state,
            pids: if pid == 0 { Vec::new() } else { vec![pid] },
        });
    }
    if sockets.is_empty() {
        return None;
    }
    Some(SocketsSnapshot {
        sockets,
        processes: Default::default(),
        // netstat -ano gives the owning PID of every row (names would need tasklist).
        pids_complete: true,
    })
}

/// `LISTENING` → `LISTEN` (the native collector's word); other TCP states unchanged.
fn map_state(s: &str) -> String {
    match s.to_ascii_uppercase().as_str() {
        "LISTENING" | "LISTEN" => "LISTEN".into(),
        other => other.to_string(),
    }
}

/// `0.0.0.0:135`, `[::]:445`, `[fe80::1%4]:123` → (address, port); `*:*` and other forms → None.
fn split_addr(s: &str) -> Option<(String, u16)> {
    let (addr, port) = s.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let addr = addr.trim_start_matches('[').trim_end_matches(']');
    let addr = addr.split('%').next().unwrap_or(addr);
    if addr.is_empty() || addr == "*" {
        return None;
    }
    let addr = match addr.parse::<std::net::IpAddr>() {
        Ok(ip) => crate::native::normalize_ip(ip).to_string(),
        Err(_) => return None,
    };
    Some((addr, port))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Japanese Windows, verbatim lines as published in a public note on finding the process
    /// behind a port (tool library string index id 20856139230; the note does not name the PC).
    /// Cut: the rest of the table after the fifth row.
    const REAL_JA: &str = "アクティブな接続\n\n  プロトコル  ローカル アドレス      外部アドレス           状態            PID\n  TCP         0.0.0.0:21             0.0.0.0:0              LISTENING       12636\n  TCP         0.0.0.0:80             0.0.0.0:0              LISTENING       2916\n  TCP         0.0.0.0:135            0.0.0.0:0              LISTENING       72\n  TCP         0.0.0.0:445            0.0.0.0:0              LISTENING       4\n  TCP         0.0.0.0:1433           0.0.0.0:0              LISTENING       4268\n";

    #[test]
    fn real_japanese_netstat_gives_listeners_with_pids() {
        let s = parse_netstat_ano(REAL_JA).unwrap();
        assert_eq!(s.sockets.len(), 5);
        let smb = s.sockets.iter().find(|r| r.local_port == 445).unwrap();
        assert_eq!((smb.proto.as_str(), smb.state.as_str()), ("tcp", "LISTEN"));
        assert_eq!(smb.local_addr, "0.0.0.0");
        assert_eq!(smb.pids, vec![4]);
        assert!(s.pids_complete);
    }

    /// [SYN] English layout with IPv6, UDP and an established connection.
    #[test]
    fn english_layout_ipv6_udp_and_established_rows() {
        let text = "\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State           PID\r\n  TCP    [::]:3389              [::]:0                 LISTENING       1160\r\n  TCP    192.168.1.20:50412     203.0.113.9:443        ESTABLISHED     5220\r\n  UDP    0.0.0.0:5353           *:*                                    2424\r\n  UDP    [fe80::1%12]:1900      *:*                                    3300\r\n";
        let s = parse_netstat_ano(text).unwrap();
        assert_eq!(s.sockets.len(), 4);
        let rdp = &s.sockets[0];
        assert_eq!((rdp.local_addr.as_str(), rdp.local_port), ("::", 3389));
        let est = &s.sockets[1];
        assert_eq!(est.state, "ESTABLISHED");
        assert_eq!(est.remote_addr.as_deref(), Some("203.0.113.9"));
        assert_eq!(est.remote_port, Some(443));
        assert_eq!(s.sockets[2].state, "UNCONN");
        assert_eq!(s.sockets[2].remote_addr, None);
        assert_eq!(s.sockets[3].local_addr, "fe80::1");
        assert!(parse_netstat_ano("アクティブな接続\n").is_none());
    }
}
