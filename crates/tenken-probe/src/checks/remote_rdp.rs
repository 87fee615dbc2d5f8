//! `remote.rdp`: whether the PC accepts remote-desktop connections (Windows RDP and its NLA
//! setting; macOS Screen Sharing / Remote Management; Linux xrdp / VNC servers).

use std::time::Duration;

use serde_json::json;

use super::kit::{Outcome, as_i64, as_str, cmd, host_probe, lines, ps, ps_doc, section, text, unk};
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(
    RemoteRdp,
    "Probe `remote.rdp`: remote desktop enabled and how it is protected."
);

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "remote.rdp",
        title: Text::new("リモートデスクトップ", "Remote desktop"),
        reads: vec![
            (
                Os::Windows,
                "registry Terminal Server fDenyTSConnections, RDP-Tcp UserAuthentication, policies",
            ),
            (Os::Macos, "netstat -an -p tcp (listeners 5900 / 3283)"),
            (
                Os::Linux,
                "systemctl running services (xrdp, VNC), ss -Hltn listeners",
            ),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(30),
        checklist_refs: super::registry_refs("remote.rdp"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![ps(
            "ps",
            r"$out.rdp=Try-Probe{$ts=Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server' -ErrorAction SilentlyContinue;$tcp=Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -ErrorAction SilentlyContinue;$pol=Get-ItemProperty 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' -ErrorAction SilentlyContinue;$ra=Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\Remote Assistance' -ErrorAction SilentlyContinue;[ordered]@{fDenyTSConnections=$ts.fDenyTSConnections;UserAuthentication=$tcp.UserAuthentication;SecurityLayer=$tcp.SecurityLayer;PortNumber=$tcp.PortNumber;PolicyDenyTSConnections=$pol.fDenyTSConnections;PolicyUserAuthentication=$pol.UserAuthentication;fAllowToGetHelp=$ra.fAllowToGetHelp;TermService=[string](Get-CimInstance Win32_Service -Filter 'Name=''TermService''' -OperationTimeoutSec 20).State;EditionID=(Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion').EditionID}}",
        )],
        Os::Macos => vec![cmd("netstat", "netstat", &["-an", "-p", "tcp"])],
        Os::Linux => vec![
            cmd(
                "services",
                "systemctl",
                &[
                    "list-units",
                    "--type=service",
                    "--state=running",
                    "--no-legend",
                    "--plain",
                ],
            ),
            cmd("listeners", "ss", &["-Hltn"]),
        ],
    }
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(caps),
        Os::Macos => macos(caps),
        Os::Linux => linux(caps),
    }
}

fn windows(caps: &[Captured]) -> Outcome {
    let rdp = match ps_doc(caps, "ps").and_then(|d| section(&d, "rdp").cloned()) {
        Ok(v) => v,
        Err(r) => return unk(r),
    };
    let deny = as_i64(rdp.get("PolicyDenyTSConnections")).or(as_i64(rdp.get("fDenyTSConnections")));
    let nla = as_i64(rdp.get("PolicyUserAuthentication")).or(as_i64(rdp.get("UserAuthentication")));
    let facts = json!({
        "deny_connections": deny,
        "nla_required": nla.map(|n| n == 1),
        "port": as_i64(rdp.get("PortNumber")),
        "security_layer": as_i64(rdp.get("SecurityLayer")),
        "term_service": as_str(rdp.get("TermService")),
        "remote_assistance_allowed": as_i64(rdp.get("fAllowToGetHelp")).map(|v| v == 1),
        "policy_applied": rdp.get("PolicyDenyTSConnections").is_some_and(|v| !v.is_null()),
        "edition": as_str(rdp.get("EditionID")),
    });
    // Home editions (EditionID Core*) have no RDP host, whatever fDenyTSConnections says.
    if as_str(rdp.get("EditionID")).is_some_and(|e| e.starts_with("Core")) {
        return Outcome::pass(
            "Home版のWindowsにはリモートデスクトップの受け入れ機能がありません。",
            "Windows Home has no Remote Desktop host.",
        )
        .facts(facts);
    }
    match (deny, nla) {
        (Some(1), _) => Outcome::pass(
            "リモートデスクトップは無効です。",
            "Remote Desktop is disabled.",
        )
        .facts(facts),
        (Some(0), Some(0)) => Outcome::fail(
            "リモートデスクトップが有効で、接続前の本人確認（NLA）がオフです。",
            "Remote Desktop is enabled without Network Level Authentication.",
        )
        .act(
            "使わないならリモートデスクトップを無効にしてください。使う場合はNLAをオンにし、接続元を限定してください。",
            "Disable Remote Desktop if unused; otherwise require NLA and restrict who can connect.",
        )
        .facts(facts),
        (Some(0), _) => Outcome::warn(
            "リモートデスクトップが有効です（NLAあり）。誰が何のために使うか確認が必要です。",
            "Remote Desktop is enabled (with NLA); confirm who uses it and why.",
        )
        .act(
            "保守業者などの利用目的を確認し、台帳に記録してください。不要なら無効にしてください。",
            "Confirm the purpose (e.g. vendor maintenance) and record it; disable it if not needed.",
        )
        .facts(facts),
        _ => Outcome::unknown(
            UnknownReason::Unparsable,
            "RDPの設定値がありません",
            "the RDP setting is missing",
        )
        .facts(facts),
    }
}

/// Ports of TCP listeners in `netstat -an` (macOS) or `ss -Hltn` output.
pub fn listening_ports(s: &str, ss: bool) -> Vec<u16> {
    let mut out = Vec::new();
    for l in lines(s) {
        let cols: Vec<&str> = l.split_whitespace().collect();
        let local = if ss {
            if cols.first() != Some(&"LISTEN") {
                continue;
            }
            cols.get(3)
        } else {
            if !l.contains("LISTEN") {
                continue;
            }
            cols.get(3)
        };
        let Some(local) = local else { continue };
        let port = local.rsplit([':', '.']).next().and_then(|p| p.parse().ok());
        if let Some(p) = port
            && !out.contains(&p)
        {
            out.push(p);
        }
    }
    out
}

fn macos(caps: &[Captured]) -> Outcome {
    let t = match text(caps, "netstat") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let ports = listening_ports(t, false);
    let screen = ports.contains(&5900);
    let ard = ports.contains(&3283);
    let facts = json!({"screen_sharing_5900": screen, "remote_management_3283": ard, "listening_ports": ports});
    if screen || ard {
        Outcome::warn(
            "画面共有（リモート操作）が有効です。",
            "Screen Sharing / Remote Management is enabled.",
        )
        .act(
            "不要ならシステム設定の「共有」で画面共有とリモートマネージメントをオフにしてください。",
            "Turn off Screen Sharing and Remote Management in System Settings > Sharing if not needed.",
        )
        .facts(facts)
    } else if ports.is_empty() && !t.contains("tcp") {
        unk(UnknownReason::Unparsable)
    } else {
        Outcome::pass(
            "画面共有・リモートマネージメントは待ち受けていません。",
            "No screen-sharing listener.",
        )
        .facts(facts)
    }
}

fn linux(caps: &[Captured]) -> Outcome {
    let svc = text(caps, "services");
    let lst = text(caps, "listeners");
    if svc.is_err() && lst.is_err() {
        return unk(svc.err().unwrap_or(UnknownReason::Other));
    }
    let mut found: Vec<String> = Vec::new();
    if let Ok(t) = svc {
        for l in lines(t) {
            let unit = l.split_whitespace().next().unwrap_or("");
            let u = unit.to_ascii_lowercase();
            if u.starts_with("xrdp")
                || u.contains("vnc")
                || u.starts_with("gnome-remote-desktop")
                || u.starts_with("krdp")
            {
                found.push(unit.to_string());
            }
        }
    }
    let ports = lst.map(|t| listening_ports(t, true)).unwrap_or_default();
    for p in [3389u16, 3390, 5900, 5901, 5902] {
        if ports.contains(&p) {
            found.push(format!("tcp/{p}"));
        }
    }
    let facts = json!({"remote_desktop": found});
    if found.is_empty() {
        Outcome::pass(
            "リモートデスクトップ（xrdp・VNC）は動いていません。",
            "No remote-desktop server (xrdp, VNC) is running.",
        )
        .facts(facts)
    } else {
        Outcome::warn(
            &format!("リモートデスクトップが動いています: {}", found.join(", ")),
            &format!("Remote desktop is running: {}", found.join(", ")),
        )
        .act(
            "誰が何のために使うか確認し、不要なら停止してください。",
            "Confirm who uses it and why; stop it if not needed.",
        )
        .facts(facts)
    }
}
