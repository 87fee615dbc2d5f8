//! Host facts and elevation detection (geteuid on Unix; `whoami /groups` High Mandatory Level
//! SID `S-1-16-12288` on Windows, decided at run time).

use std::time::Duration;

use tenken_evidence::HostFacts;

use super::exec::{CancelToken, decode, run_command};

/// Whether `whoami /groups /fo csv /nh` output shows an elevated token (High or System
/// mandatory level). Labels are localized; SIDs are not, so only SIDs are matched.
pub fn whoami_groups_elevated(text: &str) -> bool {
    text.contains("S-1-16-12288") || text.contains("S-1-16-16384")
}

/// Whether this process runs elevated (root / administrator with an elevated token).
pub fn is_elevated() -> bool {
    if cfg!(windows) {
        let root = std::env::var("SystemRoot").unwrap_or_else(|_| r"C:\Windows".to_string());
        let args: Vec<String> = ["/groups", "/fo", "csv", "/nh"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        match run_command(
            &format!(r"{root}\System32\whoami.exe"),
            &args,
            Duration::from_secs(10),
            &CancelToken::new(),
        ) {
            Ok(out) => whoami_groups_elevated(&decode(&out.stdout).0),
            Err(_) => false,
        }
    } else {
        super::exec::is_root()
    }
}

/// Name of the user running the scan.
pub fn current_user() -> String {
    for var in ["USER", "USERNAME", "LOGNAME"] {
        if let Ok(v) = std::env::var(var)
            && !v.is_empty()
        {
            return v;
        }
    }
    #[cfg(unix)]
    {
        if let Ok(out) = run_command(
            "id",
            &["-un".to_string()],
            Duration::from_secs(5),
            &CancelToken::new(),
        ) {
            let s = decode(&out.stdout).0.trim().to_string();
            if !s.is_empty() {
                return s;
            }
        }
    }
    String::new()
}

/// Collects host facts: names, OS, addresses and MACs of active non-loopback interfaces.
pub fn host_facts(elevated: bool) -> HostFacts {
    let mut ips = Vec::new();
    let mut macs = Vec::new();
    if let Ok(networks) = sysinfo::Networks::new_with_refreshed_list() {
        let mut names: Vec<_> = networks.keys().cloned().collect();
        names.sort();
        for name in names {
            let Some(data) = networks.get(&name) else {
                continue;
            };
            let addrs: Vec<_> = data
                .ip_networks()
                .iter()
                .filter(|n| !n.addr.is_loopback())
                .collect();
            if addrs.is_empty() {
                continue;
            }
            for n in addrs {
                ips.push(n.addr.to_string());
            }
            let mac = data.mac_address().to_string();
            if mac != "00:00:00:00:00:00" && !macs.contains(&mac) {
                macs.push(mac);
            }
        }
    }
    let os_family = super::Os::current()
        .map(|o| o.as_str().to_string())
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    HostFacts {
        hostname: sysinfo::System::host_name().unwrap_or_default(),
        os_family,
        os_name: sysinfo::System::long_os_version()
            .or_else(|_| sysinfo::System::name())
            .unwrap_or_default(),
        os_version: sysinfo::System::os_version().unwrap_or_default(),
        os_build: sysinfo::System::kernel_version().unwrap_or_default(),
        ips,
        macs,
        user: current_user(),
        elevated,
        tool_version: tenken_base::VERSION.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whoami_sid_parse() {
        let high = "\"Mandatory Label\\High Mandatory Level\",\"Label\",\"S-1-16-12288\",\"\"";
        let medium = "\"Mandatory Label\\Medium Mandatory Level\",\"Label\",\"S-1-16-8192\",\"\"";
        assert!(whoami_groups_elevated(high));
        assert!(!whoami_groups_elevated(medium));
    }
}
