//! `os.support`: the OS release and whether its vendor still ships security updates.
//!
//! End-of-support dates are kept as data tables below (Windows client/Server by build and
//! edition, macOS by major, Debian/Ubuntu/RHEL-family by version). Past the date = fail,
//! within 183 days = warn. Unknown releases are `unknown`, never pass.

use std::time::Duration;

use chrono::NaiveDate;
use serde_json::json;

use super::kit::{Outcome, as_i64, as_str, file, host_probe, ps, ps_doc, section, text, unk};
use crate::parse::{key_values, kv_get};
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(
    OsSupport,
    "Probe `os.support`: OS release and end of security support."
);

/// Warn when the end of support is this close.
pub const WARN_DAYS: i64 = 183;

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "os.support",
        title: Text::new("OSのサポート期限", "Operating system support"),
        reads: vec![
            (
                Os::Windows,
                "registry CurrentVersion + Win32_OperatingSystem (PowerShell)",
            ),
            (Os::Macos, "sw_vers"),
            (Os::Linux, "/etc/os-release"),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(30),
        checklist_refs: super::registry_refs("os.support"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![ps(
            "ps",
            r"$out.os=Try-Probe{$cv=Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion';$o=Get-CimInstance Win32_OperatingSystem -OperationTimeoutSec 20;[ordered]@{ProductName=$cv.ProductName;EditionID=$cv.EditionID;InstallationType=$cv.InstallationType;DisplayVersion=$cv.DisplayVersion;CurrentBuild=[int]$cv.CurrentBuild;UBR=[int]$cv.UBR;ProductType=[int]$o.ProductType;Caption=$o.Caption;PSVersion=$PSVersionTable.PSVersion.ToString()}}",
        )],
        Os::Macos => vec![super::kit::cmd("sw_vers", "sw_vers", &[])],
        Os::Linux => vec![file("os_release", "/etc/os-release")],
    }
}

/// Windows edition family used by the lifecycle table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// Home / Pro (and anything not listed).
    HomePro,
    /// Enterprise / Education.
    EntEdu,
    /// LTSB/LTSC (EditionID ending in `S`).
    Ltsc,
    /// IoT Enterprise LTSC.
    IotLtsc,
    /// Windows Server.
    Server,
}

/// (family, build, product name, last day of security updates). Source: probes.md §6.1
/// (DataForGeeks lifecycle JSON scraped from learn.microsoft.com); Windows 7/8.1 unverified.
const WINDOWS_EOS: &[(Family, i64, &str, &str)] = &[
    (Family::HomePro, 7601, "Windows 7 SP1", "2020-01-14"),
    (Family::EntEdu, 7601, "Windows 7 SP1", "2020-01-14"),
    (Family::HomePro, 9600, "Windows 8.1", "2023-01-10"),
    (Family::EntEdu, 9600, "Windows 8.1", "2023-01-10"),
    (Family::HomePro, 19044, "Windows 10 21H2", "2023-06-13"),
    (Family::EntEdu, 19044, "Windows 10 21H2", "2024-06-11"),
    (Family::HomePro, 19045, "Windows 10 22H2", "2025-10-14"),
    (Family::EntEdu, 19045, "Windows 10 22H2", "2025-10-14"),
    (Family::Ltsc, 14393, "Windows 10 LTSB 2016", "2026-10-13"),
    (Family::Ltsc, 17763, "Windows 10 LTSC 2019", "2029-01-09"),
    (Family::Ltsc, 19044, "Windows 10 LTSC 2021", "2027-01-12"),
    (
        Family::IotLtsc,
        17763,
        "Windows 10 IoT LTSC 2019",
        "2029-01-09",
    ),
    (
        Family::IotLtsc,
        19044,
        "Windows 10 IoT LTSC 2021",
        "2032-01-13",
    ),
    (Family::HomePro, 22000, "Windows 11 21H2", "2023-10-10"),
    (Family::EntEdu, 22000, "Windows 11 21H2", "2024-10-08"),
    (Family::HomePro, 22621, "Windows 11 22H2", "2024-10-08"),
    (Family::EntEdu, 22621, "Windows 11 22H2", "2025-10-14"),
    (Family::HomePro, 22631, "Windows 11 23H2", "2025-11-11"),
    (Family::EntEdu, 22631, "Windows 11 23H2", "2026-11-10"),
    (Family::HomePro, 26100, "Windows 11 24H2", "2026-10-13"),
    (Family::EntEdu, 26100, "Windows 11 24H2", "2027-10-12"),
    (Family::Server, 7601, "Windows Server 2008 R2", "2020-01-14"),
    (Family::Server, 9200, "Windows Server 2012", "2023-10-10"),
    (Family::Server, 9600, "Windows Server 2012 R2", "2023-10-10"),
    (Family::Server, 14393, "Windows Server 2016", "2027-01-12"),
    (Family::Server, 17763, "Windows Server 2019", "2029-01-09"),
    (Family::Server, 20348, "Windows Server 2022", "2031-10-14"),
    (Family::Server, 26100, "Windows Server 2025", "2034-11-14"),
];

/// macOS majors and the approximate end of security updates (Apple publishes none; heuristic:
/// the current major and the two before it are patched) [UNVERIFIED dates]. `None` = supported.
const MACOS_EOS: &[(u32, &str, Option<&str>)] = &[
    (10, "macOS 10.15 Catalina", Some("2022-07-20")),
    (11, "macOS 11 Big Sur", Some("2023-09-26")),
    (12, "macOS 12 Monterey", Some("2024-09-16")),
    (13, "macOS 13 Ventura", Some("2025-09-15")),
    (14, "macOS 14 Sonoma", Some("2026-09-15")),
    (15, "macOS 15 Sequoia", None),
    (26, "macOS 26 Tahoe", None),
];

/// macOS 10.x minors and the date of their last security update (issue 13: every 10.x was
/// treated as supported until 2022). [UNVERIFIED: dates of Apple's last "Security Update" for
/// each, from Apple's security-releases list as remembered, not re-read here.]
const MACOS_10_EOS: &[(u32, &str, &str)] = &[
    (11, "OS X 10.11 El Capitan", "2018-07-09"),
    (12, "macOS 10.12 Sierra", "2019-09-26"),
    (13, "macOS 10.13 High Sierra", "2020-11-12"),
    (14, "macOS 10.14 Mojave", "2021-07-21"),
    (15, "macOS 10.15 Catalina", "2022-07-20"),
];

/// Linux `ID` / `VERSION_ID` and end of (free) security support [UNVERIFIED, vendor pages].
const LINUX_EOS: &[(&str, &str, &str, &str)] = &[
    ("debian", "9", "Debian 9", "2022-06-30"),
    ("debian", "10", "Debian 10", "2024-06-30"),
    ("debian", "11", "Debian 11", "2026-08-31"),
    ("debian", "12", "Debian 12", "2028-06-30"),
    ("debian", "13", "Debian 13", "2030-06-30"),
    ("ubuntu", "18.04", "Ubuntu 18.04 LTS", "2023-05-31"),
    ("ubuntu", "20.04", "Ubuntu 20.04 LTS", "2025-05-31"),
    ("ubuntu", "22.04", "Ubuntu 22.04 LTS", "2027-04-30"),
    ("ubuntu", "24.04", "Ubuntu 24.04 LTS", "2029-04-30"),
    ("rhel", "7", "RHEL 7", "2024-06-30"),
    ("rhel", "8", "RHEL 8", "2029-05-31"),
    ("rhel", "9", "RHEL 9", "2032-05-31"),
    ("rocky", "8", "Rocky Linux 8", "2029-05-31"),
    ("rocky", "9", "Rocky Linux 9", "2032-05-31"),
    ("almalinux", "8", "AlmaLinux 8", "2029-05-31"),
    ("almalinux", "9", "AlmaLinux 9", "2032-05-31"),
    ("centos", "7", "CentOS 7", "2024-06-30"),
    ("centos", "8", "CentOS 8", "2021-12-31"),
];

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn judge(ctx: &EvalContext, name: &str, eos: NaiveDate, facts: serde_json::Value) -> Outcome {
    let today = ctx.now.date_naive();
    let left = (eos - today).num_days();
    let mut facts = facts;
    facts["product"] = json!(name);
    facts["end_of_support"] = json!(eos.to_string());
    facts["days_left"] = json!(left);
    if left < 0 {
        Outcome::fail(
            &format!(
                "{name} はサポート期限（{eos}）を過ぎています。セキュリティ更新が提供されません。"
            ),
            &format!("{name} reached end of support on {eos}; it no longer gets security updates."),
        )
        .act(
            "サポート中のOSへ更新するか、PCを入れ替えてください。業者に相談してください。",
            "Upgrade to a supported OS version or replace the PC; ask your vendor.",
        )
        .facts(facts)
    } else if left <= WARN_DAYS {
        Outcome::warn(
            &format!("{name} のサポート期限（{eos}）まで残り{left}日です。"),
            &format!("{name} reaches end of support on {eos} ({left} days left)."),
        )
        .act(
            "期限までにOSの更新またはPCの入れ替えを計画してください。",
            "Plan the OS upgrade or replacement before the deadline.",
        )
        .facts(facts)
    } else {
        Outcome::pass(
            &format!("{name} はサポート期間中です（期限 {eos}）。"),
            &format!("{name} is supported until {eos}."),
        )
        .facts(facts)
    }
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(ctx, caps),
        Os::Macos => macos(ctx, caps),
        Os::Linux => linux(ctx, caps),
    }
}

/// The `os` object of the probe script, built from
/// `Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'` printed as a list
/// (its default view, as an administrator copies it), so that a pasted output is judged like
/// the script's own. The registry keys of the script (ProductName, EditionID,
/// InstallationType, DisplayVersion, CurrentBuild and UBR as integers) come from the text;
/// `ProductType` and `Caption` (Win32_OperatingSystem) and `PSVersion` are not in it and are
/// `null`, never guessed (a server is still told by `InstallationType`). `None` without a
/// numeric `CurrentBuild` line (not this key's listing).
pub fn os_from_current_version_list(text: &str) -> Option<serde_json::Value> {
    let records = crate::parse::ps_format_list(text);
    let r = records
        .iter()
        .find(|r| kv_get(r, "CurrentBuild").is_some_and(|b| b.parse::<i64>().is_ok()))?;
    let string = |k: &str| {
        kv_get(r, k)
            .filter(|v| !v.is_empty())
            .map_or(serde_json::Value::Null, |v| json!(v))
    };
    let int = |k: &str| {
        kv_get(r, k)
            .and_then(|v| v.parse::<i64>().ok())
            .map_or(serde_json::Value::Null, |v| json!(v))
    };
    Some(json!({
        "ProductName": string("ProductName"),
        "EditionID": string("EditionID"),
        "InstallationType": string("InstallationType"),
        "DisplayVersion": string("DisplayVersion"),
        "CurrentBuild": int("CurrentBuild"),
        "UBR": int("UBR"),
        "ProductType": null,
        "Caption": null,
        "PSVersion": null,
    }))
}

fn windows(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let doc = match ps_doc(caps, "ps") {
        Ok(d) => d,
        Err(r) => return unk(r),
    };
    let os = match section(&doc, "os") {
        Ok(v) => v,
        Err(r) => return unk(r),
    };
    let Some(build) = as_i64(os.get("CurrentBuild")).filter(|b| *b > 0) else {
        return Outcome::unknown(
            UnknownReason::Unparsable,
            "ビルド番号がありません",
            "no build number",
        );
    };
    let edition = as_str(os.get("EditionID")).unwrap_or("");
    let install = as_str(os.get("InstallationType")).unwrap_or("");
    let ptype = as_i64(os.get("ProductType"));
    let server = ptype.is_some_and(|p| p == 2 || p == 3)
        || install.to_ascii_lowercase().starts_with("server");
    let family = if server {
        Family::Server
    } else if edition.starts_with("IoTEnterpriseS") {
        Family::IotLtsc
    } else if edition.ends_with('S') && edition.starts_with("Enterprise") {
        Family::Ltsc
    } else if edition.starts_with("Enterprise") || edition.starts_with("Education") {
        Family::EntEdu
    } else {
        Family::HomePro
    };
    let ubr = as_i64(os.get("UBR")).unwrap_or(0);
    let facts = json!({
        "build": format!("{build}.{ubr}"),
        "edition": edition,
        "server": server,
        "caption": as_str(os.get("Caption")),
        "ps_version": as_str(os.get("PSVersion")),
    });
    if let Some((_, _, name, d)) = WINDOWS_EOS
        .iter()
        .find(|(f, b, _, _)| *f == family && *b == build)
        && let Some(eos) = date(d)
    {
        return judge(ctx, name, eos, facts);
    }
    // Windows 10 feature releases before 21H2 all ended before 21H2 Home/Pro did.
    if !server
        && (10240..19044).contains(&build)
        && family != Family::Ltsc
        && family != Family::IotLtsc
        && let Some(eos) = date("2023-06-13")
    {
        return judge(ctx, &format!("Windows 10 (build {build})"), eos, facts);
    }
    if build < 7601
        && let Some(eos) = date("2020-01-14")
    {
        return judge(ctx, &format!("Windows (build {build})"), eos, facts);
    }
    Outcome::unknown(
        UnknownReason::Other,
        &format!("ビルド {build} のサポート期限がTenkenの表にありません"),
        &format!("build {build} is not in Tenken's support table"),
    )
    .facts(facts)
}

fn macos(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let t = match text(caps, "sw_vers") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let kv = key_values(t, ':');
    let Some(ver) = kv_get(&kv, "ProductVersion") else {
        return unk(UnknownReason::Unparsable);
    };
    let Some(major) = ver
        .split('.')
        .next()
        .and_then(|m| m.trim().parse::<u32>().ok())
    else {
        return unk(UnknownReason::Unparsable);
    };
    let facts = json!({"version": ver, "build": kv_get(&kv, "BuildVersion")});
    if major == 10 {
        let minor = ver
            .split('.')
            .nth(1)
            .and_then(|m| m.trim().parse::<u32>().ok());
        let (name, d) = match minor.and_then(|m| MACOS_10_EOS.iter().find(|e| e.0 == m)) {
            Some((_, name, d)) => (name.to_string(), *d),
            // Older than El Capitan: ended before the table starts.
            None if minor.is_some_and(|m| m < 11) => (format!("macOS {ver}"), "2018-07-09"),
            None => return unk(UnknownReason::Unparsable),
        };
        return match date(d) {
            Some(eos) => judge(ctx, &name, eos, facts),
            None => unk(UnknownReason::Other),
        };
    }
    let latest = MACOS_EOS.iter().map(|m| m.0).max().unwrap_or(0);
    match MACOS_EOS.iter().find(|m| m.0 == major) {
        Some((_, name, Some(d))) => match date(d) {
            Some(eos) => judge(ctx, name, eos, facts),
            None => unk(UnknownReason::Other),
        },
        Some((_, name, None)) => Outcome::pass(
            &format!("{name} はセキュリティ更新の対象です。"),
            &format!("{name} still receives security updates."),
        )
        .facts(facts),
        None if major > latest => Outcome::pass(
            &format!("macOS {major} はTenkenの表より新しい版です（更新対象）。"),
            &format!("macOS {major} is newer than Tenken's table (supported)."),
        )
        .facts(facts),
        None => Outcome::unknown(
            UnknownReason::Other,
            "この版は表にありません",
            "version not in table",
        )
        .facts(facts),
    }
}

fn linux(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let t = match text(caps, "os_release") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let kv = key_values(t, '=');
    let id = kv_get(&kv, "ID").unwrap_or("").to_ascii_lowercase();
    let ver = kv_get(&kv, "VERSION_ID").unwrap_or("").to_string();
    let pretty = kv_get(&kv, "PRETTY_NAME").unwrap_or("").to_string();
    let facts = json!({"id": id, "version_id": ver, "pretty_name": pretty});
    if id.is_empty() {
        return unk(UnknownReason::Unparsable);
    }
    // RHEL-family minor versions (9.4) map to the major.
    let major = ver.split('.').next().unwrap_or("").to_string();
    let hit = LINUX_EOS
        .iter()
        .find(|(i, v, _, _)| *i == id && (*v == ver || (!v.contains('.') && *v == major)));
    match hit.and_then(|(_, _, name, d)| date(d).map(|e| (name, e))) {
        Some((name, eos)) => judge(ctx, name, eos, facts),
        None => Outcome::unknown(
            UnknownReason::Other,
            &format!("{pretty} のサポート期限がTenkenの表にありません"),
            &format!("{pretty} is not in Tenken's support table"),
        )
        .act(
            "このOSのサポート期限を配布元のサイトで確認してください。",
            "Look up this distribution's end of support on the vendor's site.",
        )
        .facts(facts),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn real_current_version_list_gives_the_script_os_object() {
        let os = os_from_current_version_list(include_str!(
            "../../tests/fixtures/real/windows/os.support/current_version_list_win10_pro_21h2/CurrentVersion.txt"
        ))
        .unwrap();
        assert_eq!(
            os,
            json!({"ProductName": "Windows 10 Pro", "EditionID": "Professional",
                "InstallationType": "Client", "DisplayVersion": "21H2", "CurrentBuild": 19044,
                "UBR": 3086, "ProductType": null, "Caption": null, "PSVersion": null})
        );
    }

    #[test]
    fn current_version_list_wrapped_values_missing_lines_and_other_text() {
        // [REAL] lines of a Windows 10 Pro 1903 listing in a PowerShell note (tool library
        // string index id 35849320626), in the listing's order with the other lines left out:
        // CurrentBuild, EditionID, InstallationType, ProductName, ReleaseId, UBR, the PSPath
        // value PowerShell wrapped mid-word, PSChildName. No DisplayVersion (1903 predates it).
        let text = "CurrentBuild              : 18362\nEditionID                 : Professional\nInstallationType          : Client\nProductName               : Windows 10 Pro\nReleaseId                 : 1903\nUBR                       : 657\nPSPath                    : Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\Curren\n                            tVersion\nPSChildName               : CurrentVersion\n";
        let os = os_from_current_version_list(text).unwrap();
        assert_eq!(os["CurrentBuild"], 18362);
        assert_eq!(os["UBR"], 657);
        assert_eq!(os["DisplayVersion"], serde_json::Value::Null);
        assert_eq!(os["ProductName"], "Windows 10 Pro");
        assert!(os_from_current_version_list("CurrentBuild : abc\n").is_none());
        assert!(os_from_current_version_list("Name : Domain\nEnabled : True\n").is_none());
    }
}
