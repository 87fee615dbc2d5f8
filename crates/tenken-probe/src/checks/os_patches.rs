//! `os.patches`: when the last (security) update was installed, and pending updates.
//!
//! Thresholds (documented for the report): last successful update ≤ 60 days ago = pass,
//! 61–120 days = warn, more than 120 days = fail. Pending security updates (Linux) or automatic
//! updates switched off (Windows) lower a pass to warn. No readable date = unknown.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::{Value, json};

use super::kit::{
    Outcome, as_i64, as_str, cmd, days_since, file, host_probe, lines, ps, ps_doc, section, text,
    unk,
};
use crate::parse::{as_list, ps_date};
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::{UnknownReason, Verdict};

host_probe!(
    OsPatches,
    "Probe `os.patches`: age of the last update and pending updates."
);

/// More days than this since the last update = warn.
pub const WARN_AFTER_DAYS: i64 = 60;
/// More days than this since the last update = fail.
pub const FAIL_AFTER_DAYS: i64 = 120;

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "os.patches",
        title: Text::new(
            "OSの更新（セキュリティパッチ）",
            "OS updates (security patches)",
        ),
        reads: vec![
            (
                Os::Windows,
                "Windows Update history (COM), Win32_QuickFixEngineering, update settings",
            ),
            (
                Os::Macos,
                "system_profiler SPInstallHistoryDataType -json, softwareupdate --history",
            ),
            (
                Os::Linux,
                "/var/log/apt/history.log, /var/log/dnf.rpm.log, apt list --upgradable",
            ),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(90),
        checklist_refs: super::registry_refs("os.patches"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        // Two scripts: the slow history (COM search of the update history, installed hotfixes),
        // which the cache reuses while the update store is unchanged, and the quick settings,
        // read afresh every time (pausing updates changes no history).
        Os::Windows => vec![
            ps(
                "ps",
                r"$out.hotfixes=Try-Probe{,@(Get-CimInstance Win32_QuickFixEngineering -OperationTimeoutSec 30|ForEach-Object{[ordered]@{HotFixID=$_.HotFixID;Description=$_.Description;InstalledOnRaw=[string]$_.CimInstanceProperties['InstalledOn'].Value}})};$out.wuHistory=Try-Probe{$q=(New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher();$n=$q.GetTotalHistoryCount();,@($q.QueryHistory(0,[Math]::Min($n,200))|Where-Object{$_.Operation -eq 1}|ForEach-Object{[ordered]@{Date=([datetime]$_.Date).ToString('s');ResultCode=[int]$_.ResultCode;KB=[regex]::Match([string]$_.Title,'KB\d{6,8}').Value;Title=[string]$_.Title}})}",
            ),
            ps(
                "ps_settings",
                r"$out.wuSettings=Try-Probe{[ordered]@{NotificationLevel=[int](New-Object -ComObject Microsoft.Update.AutoUpdate).Settings.NotificationLevel;NoAutoUpdatePolicy=(Get-ItemProperty 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU' -ErrorAction SilentlyContinue).NoAutoUpdate;WUServer=(Get-ItemProperty 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate' -ErrorAction SilentlyContinue).WUServer;PauseUpdatesExpiryTime=[string](Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\WindowsUpdate\UX\Settings' -ErrorAction SilentlyContinue).PauseUpdatesExpiryTime;RebootRequired=(Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired')}}",
            ),
        ],
        Os::Macos => vec![
            cmd(
                "install_history",
                "system_profiler",
                &["SPInstallHistoryDataType", "-json"],
            ),
            cmd("su_history", "softwareupdate", &["--history"]),
        ],
        Os::Linux => vec![
            file("apt_history", "/var/log/apt/history.log"),
            file("dnf_log", "/var/log/dnf.rpm.log"),
            cmd("apt_upgradable", "apt", &["list", "--upgradable"]),
        ],
    }
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(ctx, caps),
        Os::Macos => macos(ctx, caps),
        Os::Linux => linux(ctx, caps),
    }
}

fn by_age(
    ctx: &EvalContext,
    last: DateTime<Utc>,
    mut facts: Value,
    extra_warn: Option<Text>,
) -> Outcome {
    let age = days_since(ctx.now, last);
    facts["last_update"] = json!(last.to_rfc3339());
    facts["days_since_last_update"] = json!(age);
    facts["warn_after_days"] = json!(WARN_AFTER_DAYS);
    facts["fail_after_days"] = json!(FAIL_AFTER_DAYS);
    let day = last.date_naive();
    let o = if age > FAIL_AFTER_DAYS {
        Outcome::fail(
            &format!("最後の更新は{day}（{age}日前）です。長い間更新されていません。"),
            &format!("Last update installed on {day} ({age} days ago)."),
        )
    } else if age > WARN_AFTER_DAYS {
        Outcome::warn(
            &format!("最後の更新は{day}（{age}日前）です。"),
            &format!("Last update installed on {day} ({age} days ago)."),
        )
    } else {
        Outcome::pass(
            &format!("最後の更新は{day}（{age}日前）です。"),
            &format!("Last update installed on {day} ({age} days ago)."),
        )
    };
    let o = match (o.verdict, extra_warn) {
        (Verdict::Pass, Some(t)) => Outcome::warn(
            &format!("{}{}", o.summary.ja, t.ja),
            &format!("{} {}", o.summary.en, t.en),
        ),
        _ => o,
    };
    let (ja, en) = match ctx.os {
        Os::Windows => (
            "Windows Update で最新の更新を入れてください。自動更新をオンにしてください。",
            "Install the latest updates with Windows Update and keep automatic updates on.",
        ),
        Os::Macos => (
            "「システム設定」→「一般」→「ソフトウェアアップデート」で最新の更新を入れ、自動アップデートをオンにしてください。",
            "Install the latest updates in System Settings > General > Software Update and turn on automatic updates.",
        ),
        Os::Linux => UPDATE_ADVICE_LINUX,
    };
    o.act(ja, en).facts(facts)
}

/// What to do on Linux.
const UPDATE_ADVICE_LINUX: (&str, &str) = (
    "更新を適用してください（Debian/Ubuntu: sudo apt update && sudo apt upgrade、RHEL系: sudo dnf upgrade）。自動更新（unattended-upgrades / dnf-automatic）を有効にするか、保守業者に依頼してください。",
    "Apply the updates (Debian/Ubuntu: sudo apt update && sudo apt upgrade; RHEL: sudo dnf upgrade) and enable automatic updates (unattended-upgrades / dnf-automatic), or ask your vendor.",
);

/// Parses `Win32_QuickFixEngineering.InstalledOn` raw strings: `M/d/yyyy`, `yyyy/MM/dd`,
/// `yyyyMMdd`, or a hex FILETIME.
pub fn parse_installed_on(s: &str) -> Option<DateTime<Utc>> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() == 16 && t.chars().all(|c| c.is_ascii_hexdigit()) {
        let ft = i64::from_str_radix(t, 16).ok()?;
        let secs = ft / 10_000_000 - 11_644_473_600;
        return Utc.timestamp_opt(secs, 0).single();
    }
    for fmt in ["%m/%d/%Y", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
        }
    }
    None
}

fn windows(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let doc = match ps_doc(caps, "ps") {
        Ok(d) => d,
        Err(r) => return unk(r),
    };
    let mut last: Option<DateTime<Utc>> = None;
    let mut source = "";
    let mut failed_recent = 0;
    if let Ok(h) = section(&doc, "wuHistory") {
        for e in as_list(Some(h)) {
            let code = as_i64(e.get("ResultCode"));
            let d = e.get("Date").and_then(ps_date);
            if matches!(code, Some(2) | Some(3)) {
                if let Some(d) = d
                    && last.is_none_or(|l| d > l)
                {
                    last = Some(d);
                    source = "windows_update_history";
                }
            } else if code == Some(4) {
                failed_recent += 1;
            }
        }
    }
    let mut hotfixes = 0;
    if last.is_none()
        && let Ok(h) = section(&doc, "hotfixes")
    {
        for e in as_list(Some(h)) {
            hotfixes += 1;
            if let Some(d) = as_str(e.get("InstalledOnRaw")).and_then(parse_installed_on)
                && last.is_none_or(|l| d > l)
            {
                last = Some(d);
                source = "hotfix_list";
            }
        }
    }
    // Settings come from their own script; recordings made before the split have them in the
    // history document.
    let settings_doc = ps_doc(caps, "ps_settings").ok();
    let settings = settings_doc
        .as_ref()
        .and_then(|d| section(d, "wuSettings").ok())
        .or_else(|| section(&doc, "wuSettings").ok());
    let level = settings.and_then(|s| as_i64(s.get("NotificationLevel")));
    let no_auto = settings.and_then(|s| as_i64(s.get("NoAutoUpdatePolicy")));
    let wsus = settings
        .and_then(|s| as_str(s.get("WUServer")))
        .map(str::to_string);
    let auto_off = (level == Some(1) || no_auto == Some(1)) && wsus.is_none();
    let paused_until = settings
        .and_then(|s| s.get("PauseUpdatesExpiryTime"))
        .and_then(ps_date)
        .filter(|d| *d > ctx.now);
    let reboot_pending = settings
        .and_then(|s| s.get("RebootRequired"))
        .and_then(Value::as_bool);
    let facts = json!({
        "date_source": source,
        "failed_installs_in_history": failed_recent,
        "hotfix_count": hotfixes,
        "notification_level": level,
        "no_auto_update_policy": no_auto,
        "wsus_server": wsus,
        "automatic_updates_off": auto_off,
        "paused_until": paused_until.map(|d| d.to_rfc3339()),
        "reboot_pending": reboot_pending,
    });
    let Some(last) = last else {
        let reason = section(&doc, "wuHistory")
            .err()
            .unwrap_or(UnknownReason::Unparsable);
        return Outcome::unknown(
            reason,
            "更新の日付を読み取れませんでした",
            "no readable update date",
        )
        .facts(facts);
    };
    let extra = if auto_off {
        Some(Text::new(
            "自動更新がオフになっています。",
            "Automatic updates are switched off.",
        ))
    } else if paused_until.is_some() {
        Some(Text::new(
            "Windows Update が一時停止されています。",
            "Windows Update is paused.",
        ))
    } else if reboot_pending == Some(true) {
        Some(Text::new(
            "更新を有効にするための再起動が済んでいません。",
            "A restart is needed to finish installing updates.",
        ))
    } else {
        None
    };
    by_age(ctx, last, facts, extra)
}

fn macos(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let mut last: Option<DateTime<Utc>> = None;
    let mut names = Vec::new();
    let hist = text(caps, "install_history");
    if let Ok(t) = hist
        && let Some(v) = crate::parse::ps_json(t)
    {
        for e in as_list(v.get("SPInstallHistoryDataType")) {
            let src = as_str(e.get("package_source")).unwrap_or("");
            let name = as_str(e.get("_name")).unwrap_or("");
            // Apple OS updates only; frequent data files (XProtect, MRT, Gatekeeper) do not count.
            let data_file = ["XProtect", "MRT", "Gatekeeper", "Configuration", "Rosetta"]
                .iter()
                .any(|p| name.contains(p));
            if src != "package_source_apple" || data_file {
                continue;
            }
            if let Some(d) = e.get("install_date").and_then(ps_date)
                && last.is_none_or(|l| d > l)
            {
                last = Some(d);
                names = vec![name.to_string()];
            }
        }
    }
    if last.is_none()
        && let Ok(t) = text(caps, "su_history")
    {
        for l in lines(t) {
            if ["XProtect", "MRT", "Gatekeeper"]
                .iter()
                .any(|p| l.contains(p))
            {
                continue;
            }
            for tok in l.split_whitespace() {
                let tok = tok.trim_end_matches(',');
                if let Ok(d) = NaiveDate::parse_from_str(tok, "%m/%d/%Y")
                    && let Some(d) = d.and_hms_opt(0, 0, 0).map(|n| n.and_utc())
                    && last.is_none_or(|x| d > x)
                {
                    last = Some(d);
                    names = vec![l.to_string()];
                }
            }
        }
    }
    match last {
        Some(d) => by_age(ctx, d, json!({"latest": names}), None),
        None => unk(hist.err().unwrap_or(UnknownReason::Unparsable)),
    }
}

fn linux(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let mut last: Option<DateTime<Utc>> = None;
    let mut tool = "";
    if let Ok(t) = text(caps, "apt_history") {
        // Start-Date: 2024-06-12  10:15:02, counted when the block installs or upgrades.
        let mut cur: Option<DateTime<Utc>> = None;
        for l in lines(t) {
            if let Some(rest) = l.strip_prefix("Start-Date:") {
                let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
                cur = NaiveDateTime::parse_from_str(&rest, "%Y-%m-%d %H:%M:%S")
                    .ok()
                    .map(|n| n.and_utc());
            } else if l.starts_with("Upgrade:")
                // Installing a new package is not updating the system (issue 14: the last
                // `apt-get install` of anything counted as the last update).
                && let Some(d) = cur
                && last.is_none_or(|x| d > x)
            {
                last = Some(d);
                tool = "apt";
            }
        }
    }
    if let Ok(t) = text(caps, "dnf_log") {
        for l in lines(t) {
            if !(l.contains("Upgrade:") || l.contains("Upgraded:")) {
                continue;
            }
            let Some(stamp) = l.split_whitespace().next() else {
                continue;
            };
            let d = DateTime::parse_from_str(stamp, "%Y-%m-%dT%H:%M:%S%z")
                .map(|d| d.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    NaiveDateTime::parse_from_str(stamp, "%Y-%m-%dT%H:%M:%SZ")
                        .ok()
                        .map(|n| n.and_utc())
                });
            if let Some(d) = d
                && last.is_none_or(|x| d > x)
            {
                last = Some(d);
                tool = "dnf";
            }
        }
    }
    let pending_security: Vec<String> = text(caps, "apt_upgradable")
        .map(|t| {
            lines(t)
                .filter(|l| l.contains("-security") && l.contains("[upgradable from:"))
                .filter_map(|l| l.split('/').next().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let facts = json!({"tool": tool, "pending_security_updates": pending_security});
    let n = pending_security.len();
    match last {
        Some(d) => {
            let extra = (n > 0).then(|| {
                Text::new(
                    format!("未適用のセキュリティ更新が{n}件あります。"),
                    format!("{n} security updates are pending."),
                )
            });
            let o = by_age(ctx, d, facts, extra);
            // Fixes are waiting and nothing was applied for two months: not kept up.
            if n > 0 && o.verdict == Verdict::Warn && days_since(ctx.now, d) > WARN_AFTER_DAYS {
                let (ja, en) = (o.summary.ja.clone(), o.summary.en.clone());
                let facts = o.facts.clone();
                return Outcome::fail(
                    &format!("{ja} 未適用のセキュリティ更新が{n}件あります。"),
                    &format!("{en} {n} security updates are pending."),
                )
                .act(UPDATE_ADVICE_LINUX.0, UPDATE_ADVICE_LINUX.1)
                .facts(facts);
            }
            o
        }
        None if n > 0 => Outcome::fail(
            &format!("更新を適用した記録がなく、未適用のセキュリティ更新が{n}件あります。"),
            &format!("No update was ever applied and {n} security updates are pending."),
        )
        .act(UPDATE_ADVICE_LINUX.0, UPDATE_ADVICE_LINUX.1)
        .facts(facts),
        None => Outcome::unknown(
            if crate::checks::kit::missing(caps, "apt_history")
                && crate::checks::kit::missing(caps, "dnf_log")
            {
                UnknownReason::NotInstalled
            } else {
                UnknownReason::Unparsable
            },
            "更新履歴から日付を読み取れませんでした（ログが切り替わった直後の可能性）",
            "no install date in the package history (the log may have just been rotated)",
        )
        .facts(facts),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn installed_on_formats() {
        let d = |s: &str| parse_installed_on(s).map(|d| d.date_naive().to_string());
        assert_eq!(d("6/12/2024").as_deref(), Some("2024-06-12"));
        assert_eq!(d("2024/06/12").as_deref(), Some("2024-06-12"));
        assert_eq!(d("20240612").as_deref(), Some("2024-06-12"));
        // FILETIME 0x01DABC... style (16 hex digits) seen on old systems.
        assert_eq!(
            d("01dabc5e8b7c0000").map(|s| s.starts_with("2024")),
            Some(true)
        );
        assert_eq!(d(""), None);
        assert_eq!(d("13/45/2024"), None);
    }
}
