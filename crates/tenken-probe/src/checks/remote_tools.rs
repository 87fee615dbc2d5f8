//! `remote.tools`: remote-access and VPN tools present on the PC (TeamViewer, AnyDesk, Chrome
//! Remote Desktop, Splashtop, VNC servers, Tailscale, ZeroTier, SoftEther, ScreenConnect,
//! LogMeIn, RustDesk, Radmin ...), detected from a data table by service, process and install
//! name. Installed/running tools = warn (confirm with the vendor); a portable tool running
//! without an installation or a SoftEther server/bridge = fail; none = pass.

use std::time::Duration;

use serde_json::json;

use super::kit::{Outcome, as_str, cmd, host_probe, lines, ps, ps_doc, section, text, unk};
use crate::parse::as_list;
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(
    RemoteTools,
    "Probe `remote.tools`: third-party remote-access and VPN tools."
);

/// One remote-access product and how to recognise it (all matches case-insensitive).
#[derive(Debug)]
pub struct Tool {
    /// Product name.
    pub name: &'static str,
    /// Windows service names (a trailing `*` means prefix).
    pub win_services: &'static [&'static str],
    /// Process image names (any OS, without `.exe`).
    pub processes: &'static [&'static str],
    /// Substrings of the Windows uninstall `DisplayName`.
    pub win_installed: &'static [&'static str],
    /// macOS application bundle names in /Applications.
    pub mac_apps: &'static [&'static str],
    /// Linux systemd unit names (prefix match).
    pub linux_units: &'static [&'static str],
    /// A server/bridge component on a clinic PC is itself a finding (fail).
    pub always_fail: bool,
}

/// Detection table (probes.md §7.1.2, LOLRMM; some names are unverified there).
pub const TOOLS: &[Tool] = &[
    Tool {
        name: "TeamViewer",
        win_services: &["TeamViewer"],
        processes: &[
            "teamviewer",
            "teamviewer_service",
            "tv_w32",
            "tv_x64",
            "teamviewerd",
        ],
        win_installed: &["teamviewer"],
        mac_apps: &[
            "TeamViewer.app",
            "TeamViewerHost.app",
            "TeamViewer QuickSupport.app",
        ],
        linux_units: &["teamviewerd"],
        always_fail: false,
    },
    Tool {
        name: "AnyDesk",
        win_services: &["AnyDesk", "AnyDeskMSI"],
        processes: &["anydesk"],
        win_installed: &["anydesk"],
        mac_apps: &["AnyDesk.app"],
        linux_units: &["anydesk"],
        always_fail: false,
    },
    Tool {
        name: "Chrome Remote Desktop",
        win_services: &["chromoting"],
        processes: &["remoting_host", "remote_assistance_host"],
        win_installed: &["chrome remote desktop"],
        mac_apps: &[],
        linux_units: &["chrome-remote-desktop"],
        always_fail: false,
    },
    Tool {
        name: "Splashtop",
        win_services: &["SplashtopRemoteService", "SSUService"],
        processes: &["srservice", "srserver", "srmanager"],
        win_installed: &["splashtop"],
        mac_apps: &["Splashtop Streamer.app"],
        linux_units: &["splashtop"],
        always_fail: false,
    },
    Tool {
        name: "UltraVNC",
        win_services: &["uvnc_service"],
        processes: &["winvnc"],
        win_installed: &["ultravnc"],
        mac_apps: &[],
        linux_units: &[],
        always_fail: false,
    },
    Tool {
        name: "TightVNC",
        win_services: &["tvnserver"],
        processes: &["tvnserver"],
        win_installed: &["tightvnc"],
        mac_apps: &[],
        linux_units: &[],
        always_fail: false,
    },
    Tool {
        name: "RealVNC Server",
        win_services: &["vncserver"],
        processes: &["vncserver", "vncserverui"],
        win_installed: &["vnc server", "realvnc"],
        mac_apps: &["VNC Server.app"],
        linux_units: &["vncserver-x11-serviced", "vncserver"],
        always_fail: false,
    },
    Tool {
        name: "TigerVNC / x11vnc",
        win_services: &[],
        processes: &["winvnc4", "x11vnc", "xvnc"],
        win_installed: &["tigervnc"],
        mac_apps: &[],
        linux_units: &["x11vnc", "vncserver@"],
        always_fail: false,
    },
    Tool {
        name: "Tailscale",
        win_services: &["Tailscale"],
        processes: &["tailscaled", "tailscale-ipn"],
        win_installed: &["tailscale"],
        mac_apps: &["Tailscale.app"],
        linux_units: &["tailscaled"],
        always_fail: false,
    },
    Tool {
        name: "ZeroTier",
        win_services: &["ZeroTierOneService"],
        processes: &["zerotier-one_x64", "zerotier-one"],
        win_installed: &["zerotier"],
        mac_apps: &["ZeroTier One.app", "ZeroTier.app"],
        linux_units: &["zerotier-one"],
        always_fail: false,
    },
    Tool {
        name: "SoftEther VPN Server/Bridge",
        win_services: &["SEVPNSERVER*", "SEVPNBRIDGE*"],
        processes: &["vpnserver_x64", "vpnbridge_x64", "vpnserver", "vpnbridge"],
        win_installed: &["softether vpn server", "softether vpn bridge"],
        mac_apps: &[],
        linux_units: &["vpnserver", "softether-vpnserver", "softether-vpnbridge"],
        always_fail: true,
    },
    Tool {
        name: "SoftEther VPN Client",
        win_services: &["SEVPNCLIENT*"],
        processes: &["vpnclient_x64", "vpnclient"],
        win_installed: &["softether vpn client"],
        mac_apps: &[],
        linux_units: &["softether-vpnclient"],
        always_fail: false,
    },
    Tool {
        name: "LogMeIn",
        win_services: &["LogMeIn", "LMIGuardianSvc"],
        processes: &["logmein", "lmiguardiansvc"],
        win_installed: &["logmein"],
        mac_apps: &["LogMeIn Client.app"],
        linux_units: &[],
        always_fail: false,
    },
    Tool {
        name: "ScreenConnect",
        win_services: &["ScreenConnect Client*"],
        processes: &["screenconnect.clientservice", "screenconnect.windowsclient"],
        win_installed: &["screenconnect"],
        mac_apps: &["ScreenConnect Client.app"],
        linux_units: &["connectwisecontrol", "screenconnect"],
        always_fail: false,
    },
    Tool {
        name: "RustDesk",
        win_services: &["RustDesk"],
        processes: &["rustdesk"],
        win_installed: &["rustdesk"],
        mac_apps: &["RustDesk.app"],
        linux_units: &["rustdesk"],
        always_fail: false,
    },
    Tool {
        name: "Radmin Server",
        win_services: &["RServer3"],
        processes: &["rserver3"],
        win_installed: &["radmin server"],
        mac_apps: &[],
        linux_units: &[],
        always_fail: false,
    },
    Tool {
        name: "RemoteView (RSUPPORT)",
        win_services: &[],
        processes: &["rvagent"],
        win_installed: &["remoteview"],
        mac_apps: &[],
        linux_units: &[],
        always_fail: false,
    },
    Tool {
        name: "ISL Online",
        win_services: &["ISLLight*"],
        processes: &["isllight", "isllightservice"],
        win_installed: &["isl light", "isl online"],
        mac_apps: &["ISL Light.app"],
        linux_units: &[],
        always_fail: false,
    },
];

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "remote.tools",
        title: Text::new("遠隔操作・VPNソフト", "Remote-access and VPN tools"),
        reads: vec![
            (
                Os::Windows,
                "Win32_Service, processes, uninstall registry (PowerShell)",
            ),
            (Os::Macos, "/Applications listing, running processes"),
            (Os::Linux, "systemd service unit files, running processes"),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(45),
        checklist_refs: super::registry_refs("remote.tools"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![ps(
            "ps",
            r"$out.services=Try-Probe{,@(Get-CimInstance Win32_Service -OperationTimeoutSec 30|ForEach-Object{[ordered]@{Name=$_.Name;State=[string]$_.State;StartMode=[string]$_.StartMode;PathName=$_.PathName}})};$out.processes=Try-Probe{,@(Get-Process|ForEach-Object{$_.ProcessName}|Sort-Object -Unique)};$keys='HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*','HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*','HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\*';$out.installed=Try-Probe{,@(Get-ItemProperty $keys -ErrorAction SilentlyContinue|Where-Object{$_.DisplayName}|ForEach-Object{[ordered]@{DisplayName=$_.DisplayName;Publisher=$_.Publisher}})}",
        )],
        Os::Macos => vec![
            cmd("apps", "ls", &["-1", "/Applications"]),
            cmd("processes", "ps", &["-axco", "comm"]),
        ],
        Os::Linux => vec![
            cmd(
                "units",
                "systemctl",
                &[
                    "list-units",
                    "--type=service",
                    "--all",
                    "--no-legend",
                    "--plain",
                ],
            ),
            cmd("processes", "ps", &["-eo", "comm"]),
        ],
    }
}

#[derive(Default)]
struct Hit {
    service: Vec<String>,
    running: bool,
    auto_start: bool,
    process: bool,
    installed: bool,
}

fn svc_match(pat: &str, name: &str) -> bool {
    match pat.strip_suffix('*') {
        Some(p) => name
            .to_ascii_lowercase()
            .starts_with(&p.to_ascii_lowercase()),
        None => name.eq_ignore_ascii_case(pat),
    }
}

fn proc_match(t: &Tool, name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    let n = n.rsplit(['/', '\\']).next().unwrap_or(&n);
    let n = n.strip_suffix(".exe").unwrap_or(n);
    t.processes.contains(&n)
}

fn verdict(hits: Vec<(&'static Tool, Hit)>, all_read: bool, first_err: UnknownReason) -> Outcome {
    let mut list = Vec::new();
    let mut fail = Vec::new();
    for (t, h) in &hits {
        list.push(json!({
            "product": t.name, "services": h.service, "running": h.running || h.process,
            "auto_start": h.auto_start, "installed": h.installed, "process": h.process,
        }));
        let portable = h.process && !h.installed && h.service.is_empty();
        if t.always_fail || portable {
            fail.push(if portable {
                (
                    format!("{}（持ち込み版）", t.name),
                    format!("{} (portable)", t.name),
                )
            } else {
                (t.name.to_string(), t.name.to_string())
            });
        }
    }
    let names: Vec<&str> = hits.iter().map(|(t, _)| t.name).collect();
    let facts = json!({"tools": list, "all_sources_read": all_read});
    if !fail.is_empty() {
        return Outcome::fail(
            &format!(
                "確認が必要な遠隔操作ソフトがあります: {}",
                fail.iter().map(|f| f.0.as_str()).collect::<Vec<_>>().join(", ")
            ),
            &format!(
                "Remote-access software needing investigation: {}",
                fail.iter().map(|f| f.1.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )
        .act(
            "誰がいつ入れたか確認してください。心当たりがなければ業者に連絡し、ネットワークから外してください。",
            "Find out who installed it; if nobody knows, call your vendor and disconnect the PC.",
        )
        .facts(facts);
    }
    if !names.is_empty() {
        return Outcome::warn(
            &format!("遠隔操作・VPNソフトがあります: {}", names.join(", ")),
            &format!("Remote-access / VPN software found: {}", names.join(", ")),
        )
        .act(
            "保守業者に用途を確認し、台帳に記録してください。使っていないものは削除してください。",
            "Confirm each one's purpose with your vendor and record it; uninstall unused ones.",
        )
        .facts(facts);
    }
    if !all_read {
        return Outcome::unknown(
            first_err,
            "一部の情報を読み取れませんでした",
            "some sources could not be read",
        )
        .facts(facts);
    }
    Outcome::pass(
        "既知の遠隔操作・VPNソフトは見つかりませんでした。",
        "No known remote-access or VPN tool was found.",
    )
    .facts(facts)
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(caps),
        Os::Macos => macos(caps),
        Os::Linux => linux(caps),
    }
}

fn windows(caps: &[Captured]) -> Outcome {
    let doc = match ps_doc(caps, "ps") {
        Ok(d) => d,
        Err(r) => return unk(r),
    };
    let services = section(&doc, "services");
    let procs = section(&doc, "processes");
    let inst = section(&doc, "installed");
    let first_err = [&services, &procs, &inst]
        .iter()
        .find_map(|r| r.as_ref().err().copied())
        .unwrap_or(UnknownReason::Other);
    let all_read = services.is_ok() && procs.is_ok() && inst.is_ok();
    let services = services.map(|v| as_list(Some(v))).unwrap_or_default();
    let procs = procs.map(|v| as_list(Some(v))).unwrap_or_default();
    let inst = inst.map(|v| as_list(Some(v))).unwrap_or_default();
    let mut hits = Vec::new();
    for t in TOOLS {
        let mut h = Hit::default();
        for s in &services {
            let name = as_str(s.get("Name")).unwrap_or("");
            if t.win_services.iter().any(|p| svc_match(p, name)) {
                h.service.push(name.to_string());
                h.running |=
                    as_str(s.get("State")).is_some_and(|x| x.eq_ignore_ascii_case("Running"));
                h.auto_start |=
                    as_str(s.get("StartMode")).is_some_and(|x| x.eq_ignore_ascii_case("Auto"));
            }
        }
        h.process = procs
            .iter()
            .filter_map(|p| p.as_str())
            .any(|p| proc_match(t, p));
        h.installed = inst.iter().any(|i| {
            let d = as_str(i.get("DisplayName"))
                .unwrap_or("")
                .to_ascii_lowercase();
            t.win_installed.iter().any(|w| d.contains(w))
        });
        if !h.service.is_empty() || h.process || h.installed {
            hits.push((t, h));
        }
    }
    verdict(hits, all_read, first_err)
}

fn macos(caps: &[Captured]) -> Outcome {
    let apps = text(caps, "apps");
    let procs = text(caps, "processes");
    if apps.is_err() && procs.is_err() {
        return unk(apps.err().unwrap_or(UnknownReason::Other));
    }
    let first_err = apps.err().or(procs.err()).unwrap_or(UnknownReason::Other);
    let all_read = apps.is_ok() && procs.is_ok();
    let app_list: Vec<&str> = apps.map(|t| lines(t).collect()).unwrap_or_default();
    let proc_list: Vec<&str> = procs.map(|t| lines(t).collect()).unwrap_or_default();
    let mut hits = Vec::new();
    for t in TOOLS {
        let h = Hit {
            installed: t
                .mac_apps
                .iter()
                .any(|a| app_list.iter().any(|x| x.eq_ignore_ascii_case(a))),
            process: proc_list.iter().any(|p| proc_match(t, p)),
            ..Hit::default()
        };
        if h.installed || h.process {
            hits.push((t, h));
        }
    }
    verdict(hits, all_read, first_err)
}

fn linux(caps: &[Captured]) -> Outcome {
    let units = text(caps, "units");
    let procs = text(caps, "processes");
    if units.is_err() && procs.is_err() {
        return unk(units.err().unwrap_or(UnknownReason::Other));
    }
    let first_err = units.err().or(procs.err()).unwrap_or(UnknownReason::Other);
    let all_read = units.is_ok() && procs.is_ok();
    let unit_lines: Vec<&str> = units.map(|t| lines(t).collect()).unwrap_or_default();
    let proc_list: Vec<&str> = procs.map(|t| lines(t).collect()).unwrap_or_default();
    let mut hits = Vec::new();
    for t in TOOLS {
        let mut h = Hit::default();
        for l in &unit_lines {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let unit = cols.first().copied().unwrap_or("");
            if t.linux_units.iter().any(|u| unit.starts_with(u)) {
                h.service.push(unit.to_string());
                h.installed = true;
                h.running |= cols.get(3) == Some(&"running");
            }
        }
        h.process = proc_list.iter().any(|p| proc_match(t, p));
        if h.installed || h.process {
            hits.push((t, h));
        }
    }
    verdict(hits, all_read, first_err)
}
