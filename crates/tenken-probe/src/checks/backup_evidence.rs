//! `backup.evidence`: evidence that backups run (Windows Server Backup, File History, backup
//! agents, VSS; Time Machine; restic/borg/rsnapshot/timeshift/duplicity timers and configs).
//!
//! Last success ≤ 7 days = pass, ≤ 30 days = warn, older = fail. A tool present without a
//! readable date, or nothing found, = unknown (attach NAS/cloud/tape evidence by hand): a
//! local probe cannot see off-line copies, so absence is never claimed as fail, except a Mac
//! with no Time Machine destination. VSS snapshots alone are not a backup (facts only).

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;

use super::kit::{
    Outcome, as_i64, as_str, cmd, days_since, file, host_probe, lines, ps, ps_doc, section, text,
    text_or_stderr, unk,
};
use crate::parse::{as_list, ps_date};
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(
    BackupEvidence,
    "Probe `backup.evidence`: recent successful backups."
);

/// Last success at most this old = pass.
pub const PASS_DAYS: i64 = 7;
/// Last success at most this old = warn (older = fail).
pub const WARN_DAYS: i64 = 30;

const AGENT_WORDS: &[&str] = &[
    "veeam",
    "acronis",
    "arcserve",
    "backup",
    "buffalo",
    "iodata",
    "rsync",
    "restic",
    "borg",
    "duplicati",
    "carbonite",
    "idrive",
];
const LINUX_TOOLS: &[&str] = &[
    "backup",
    "restic",
    "borg",
    "borgmatic",
    "rsnapshot",
    "timeshift",
    "duplicity",
    "deja-dup",
    "bacula",
    "bareos",
    "urbackup",
    "rclone",
];

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "backup.evidence",
        title: Text::new("バックアップの実施", "Backups"),
        reads: vec![
            (
                Os::Windows,
                "Get-WBSummary (admin), Win32_ShadowCopy (admin), File History config, backup services",
            ),
            (Os::Macos, "tmutil latestbackup, tmutil destinationinfo"),
            (Os::Linux, "systemctl list-timers --all, /etc/crontab"),
        ],
        needs_elevation: true,
        timeout: Duration::from_secs(45),
        checklist_refs: super::registry_refs("backup.evidence"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![ps(
            "ps",
            r"$out.wb=Try-Probe{if(Get-Command Get-WBSummary -ErrorAction SilentlyContinue){$s=Get-WBSummary;[ordered]@{LastSuccessfulBackupTime=(Iso $s.LastSuccessfulBackupTime);LastBackupResultHR=[int64]$s.LastBackupResultHR;NumberOfVersions=[int]$s.NumberOfVersions}}else{$null}};$out.shadows=Try-Probe{,@(Get-CimInstance Win32_ShadowCopy -OperationTimeoutSec 30|ForEach-Object{[ordered]@{Volume=$_.VolumeName;Created=(Iso $_.InstallDate)}})};$out.fileHistory=Try-Probe{,@(Get-ChildItem (Join-Path $env:LOCALAPPDATA 'Microsoft\Windows\FileHistory\Configuration') -Filter 'Config*.xml' -ErrorAction SilentlyContinue|ForEach-Object{[ordered]@{Name=$_.Name;Modified=(Iso $_.LastWriteTime)}})};$out.services=Try-Probe{,@(Get-CimInstance Win32_Service -OperationTimeoutSec 30|Where-Object{$_.Name -match 'backup|veeam|acronis|arcserve|buffalo|duplicati|carbonite|idrive' -or $_.DisplayName -match 'backup|veeam|acronis|arcserve'}|ForEach-Object{[ordered]@{Name=$_.Name;DisplayName=$_.DisplayName;State=[string]$_.State}})}",
        )],
        Os::Macos => vec![
            cmd("latest", "tmutil", &["latestbackup"]),
            cmd("destinations", "tmutil", &["destinationinfo"]),
        ],
        Os::Linux => vec![
            cmd(
                "timers",
                "systemctl",
                &["list-timers", "--all", "--no-pager", "--no-legend"],
            ),
            file("crontab", "/etc/crontab"),
            file("timeshift", "/etc/timeshift/timeshift.json"),
            file("rsnapshot", "/etc/rsnapshot.conf"),
        ],
    }
}

fn by_age(
    ctx: &EvalContext,
    last: DateTime<Utc>,
    what: &str,
    mut facts: serde_json::Value,
) -> Outcome {
    let age = days_since(ctx.now, last);
    let day = last.date_naive();
    facts["last_success"] = json!(last.to_rfc3339());
    facts["days_since_last_success"] = json!(age);
    let act = (
        "バックアップが毎日（少なくとも毎週）成功しているか確認し、ネットワークから切り離した保管（オフライン）も用意してください。",
        "Make sure backups succeed daily (at least weekly) and keep an offline copy.",
    );
    if age <= PASS_DAYS {
        Outcome::pass(
            &format!("最後のバックアップ成功は{day}（{age}日前、{what}）です。"),
            &format!("Last successful backup on {day} ({age} days ago, {what})."),
        )
        .facts(facts)
    } else if age <= WARN_DAYS {
        Outcome::warn(
            &format!("最後のバックアップ成功は{day}（{age}日前、{what}）です。"),
            &format!("Last successful backup on {day} ({age} days ago, {what})."),
        )
        .act(act.0, act.1)
        .facts(facts)
    } else {
        Outcome::fail(
            &format!("最後のバックアップ成功は{day}（{age}日前、{what}）で、止まっています。"),
            &format!(
                "Last successful backup on {day} ({age} days ago, {what}): backups have stopped."
            ),
        )
        .act(act.0, act.1)
        .facts(facts)
    }
}

fn manual(reason: UnknownReason, found: &[String], facts: serde_json::Value) -> Outcome {
    let (ja, en) = if found.is_empty() {
        (
            "このPCではバックアップの仕組みを確認できませんでした".to_string(),
            "no backup mechanism could be seen on this PC".to_string(),
        )
    } else {
        (
            format!(
                "バックアップの仕組み（{}）はありますが、成功日時を読めませんでした",
                found.join(", ")
            ),
            format!(
                "backup tooling found ({}) but no success date could be read",
                found.join(", ")
            ),
        )
    };
    Outcome::unknown(reason, &ja, &en)
        .act(
            "NAS・クラウド・外付けディスクなどのバックアップ記録（最終成功日時）を確認し、手作業で証拠を添付してください。",
            "Check your NAS / cloud / external-disk backup log (last success) and attach it as evidence by hand.",
        )
        .facts(facts)
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(ctx, caps),
        Os::Macos => macos(ctx, caps),
        Os::Linux => linux(ctx, caps),
    }
}

fn windows(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let doc = match ps_doc(caps, "ps") {
        Ok(d) => d,
        Err(r) => return unk(r),
    };
    let shadows = section(&doc, "shadows")
        .map(|v| as_list(Some(v)).len())
        .ok();
    let fh: Vec<String> = section(&doc, "fileHistory")
        .map(|v| {
            as_list(Some(v))
                .iter()
                .filter_map(|x| as_str(x.get("Name")).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let services: Vec<String> = section(&doc, "services")
        .map(|v| {
            as_list(Some(v))
                .iter()
                .filter_map(|x| {
                    as_str(x.get("DisplayName"))
                        .or(as_str(x.get("Name")))
                        .map(str::to_string)
                })
                .filter(|n| {
                    AGENT_WORDS
                        .iter()
                        .any(|w| n.to_ascii_lowercase().contains(w))
                })
                .collect()
        })
        .unwrap_or_default();
    let facts =
        json!({"shadow_copies": shadows, "file_history_configs": fh, "backup_services": services});
    let wb = section(&doc, "wb");
    if let Ok(w) = &wb
        && !w.is_null()
    {
        let hr = as_i64(w.get("LastBackupResultHR"));
        let mut facts = facts.clone();
        facts["windows_server_backup"] =
            json!({"last_result_hr": hr, "versions": as_i64(w.get("NumberOfVersions"))});
        if let Some(d) = w.get("LastSuccessfulBackupTime").and_then(ps_date) {
            return by_age(ctx, d, "Windows Server バックアップ", facts);
        }
        return Outcome::fail(
            "Windows Server バックアップは設定されていますが、成功した記録がありません。",
            "Windows Server Backup is present but has no successful backup.",
        )
        .act(
            "バックアップの設定とエラーを業者に確認してもらってください。",
            "Have your vendor check the backup job and its errors.",
        )
        .facts(facts);
    }
    let mut found = services.clone();
    if !fh.is_empty() {
        found.push("ファイル履歴 / File History".into());
    }
    let reason = if !found.is_empty() {
        UnknownReason::Other
    } else if wb.is_err() || shadows.is_none() {
        UnknownReason::NeedsElevation
    } else {
        UnknownReason::NotInstalled
    };
    manual(reason, &found, facts)
}

/// Time Machine snapshot time from a `tmutil latestbackup` path (`YYYY-MM-DD-HHMMSS`, local time).
pub fn tm_time(path: &str) -> Option<DateTime<Utc>> {
    let last = path.trim().trim_end_matches('/').rsplit('/').next()?;
    let stem = last.strip_suffix(".backup").unwrap_or(last);
    NaiveDateTime::parse_from_str(stem, "%Y-%m-%d-%H%M%S")
        .ok()
        .map(|n| n.and_utc())
}

fn macos(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let dest = text_or_stderr(caps, "destinations");
    if let Ok(d) = &dest
        && d.contains("No destinations configured")
    {
        return Outcome::fail(
            "Time Machine のバックアップ先が設定されていません。",
            "No Time Machine destination is configured.",
        )
        .act(
            "Time Machine を設定するか、別のバックアップの記録を添付してください。",
            "Set up Time Machine, or attach evidence of another backup.",
        )
        .facts(json!({"destinations": 0}));
    }
    let latest = text_or_stderr(caps, "latest");
    if let Ok(l) = &latest {
        if let Some(d) = lines(l).find_map(tm_time) {
            return by_age(
                ctx,
                d,
                "Time Machine",
                json!({"destination_info": dest.is_ok()}),
            );
        }
        if l.contains("Full Disk Access")
            || l.contains("Operation not permitted")
            || l.contains("permission")
        {
            return Outcome::unknown(
                UnknownReason::BlockedByOs,
                "「フルディスクアクセス」の許可がないため読めません",
                "Full Disk Access is required",
            )
            .act(
                "システム設定 > プライバシーとセキュリティ > フルディスクアクセス でTenkenを許可して再確認してください。",
                "Grant Tenken Full Disk Access in System Settings and check again.",
            );
        }
    }
    let configured = dest.as_ref().is_ok_and(|d| d.contains("Name"));
    manual(
        latest.err().unwrap_or(UnknownReason::Other),
        &if configured {
            vec!["Time Machine".to_string()]
        } else {
            Vec::new()
        },
        json!({"destination_configured": configured}),
    )
}

/// LAST run of a `systemctl list-timers --no-legend` line, when it has one.
pub fn timer_last(line: &str) -> Option<DateTime<Utc>> {
    let toks: Vec<&str> = line.split_whitespace().collect();
    let mut dates = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.len() == 10
            && t.as_bytes().get(4) == Some(&b'-')
            && let Some(time) = toks.get(i + 1)
            && let Ok(n) =
                NaiveDateTime::parse_from_str(&format!("{t} {time}"), "%Y-%m-%d %H:%M:%S")
        {
            dates.push(n.and_utc());
        }
    }
    let next_missing = matches!(toks.first(), Some(&"-") | Some(&"n/a"));
    match (dates.len(), next_missing) {
        (2, _) => dates.get(1).copied(),
        (1, true) => dates.first().copied(),
        _ => None,
    }
}

fn linux(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let timers = text(caps, "timers");
    let mut found = Vec::new();
    let mut last: Option<DateTime<Utc>> = None;
    if let Ok(t) = &timers {
        for l in lines(t) {
            let Some(unit) = l.split_whitespace().find(|w| w.ends_with(".timer")) else {
                continue;
            };
            let u = unit.to_ascii_lowercase();
            if !LINUX_TOOLS.iter().any(|w| u.contains(w)) {
                continue;
            }
            found.push(unit.to_string());
            if let Some(d) = timer_last(l)
                && last.is_none_or(|x| d > x)
            {
                last = Some(d);
            }
        }
    }
    if let Ok(c) = text(caps, "crontab") {
        for l in lines(c).filter(|l| !l.starts_with('#')) {
            let low = l.to_ascii_lowercase();
            if let Some(w) = LINUX_TOOLS.iter().find(|w| low.contains(*w)) {
                found.push(format!("cron: {w}"));
            }
        }
    }
    if text(caps, "timeshift").is_ok() {
        found.push("timeshift (config)".into());
    }
    if let Ok(c) = text(caps, "rsnapshot")
        && lines(c).any(|l| l.starts_with("snapshot_root"))
    {
        found.push("rsnapshot (config)".into());
    }
    let facts = json!({"backup_jobs": found});
    match last {
        Some(d) => by_age(ctx, d, "systemd timer", facts),
        None => manual(
            if found.is_empty() {
                timers.err().unwrap_or(UnknownReason::NotInstalled)
            } else {
                UnknownReason::Other
            },
            &found,
            facts,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_last_run() {
        let both = "Tue 2024-07-02 00:00:00 JST 9h left Mon 2024-06-30 00:00:03 JST 14h ago restic.timer restic.service";
        assert_eq!(
            timer_last(both)
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2024-06-30")
        );
        let only_last = "n/a n/a Mon 2024-06-30 00:00:03 JST 14h ago borg.timer borg.service";
        assert_eq!(
            timer_last(only_last)
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2024-06-30")
        );
        let never = "Tue 2024-07-02 00:00:00 JST 9h left n/a n/a borg.timer borg.service";
        assert_eq!(timer_last(never), None);
    }

    #[test]
    fn time_machine_path() {
        assert!(tm_time("/Volumes/B/Backups.backupdb/Mac/2024-06-20-170012").is_some());
        assert!(tm_time("/Volumes/x/2024-06-20-170012.backup/2024-06-20-170012.backup").is_some());
        assert!(tm_time("No backups found").is_none());
    }
}
