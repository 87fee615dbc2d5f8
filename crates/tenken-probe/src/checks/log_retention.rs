//! `log.retention`: the access/security logs are kept long enough to investigate an incident.
//!
//! Windows: Security log enabled and its size/mode (`Get-WinEvent -ListLog`, admin), plus the
//! RDP and PowerShell logs and Sysmon presence. Circular ≤ 20 MB or Retain = warn; AutoBackup or
//! Circular ≥ 196 MB = pass; disabled = fail. Linux: persistent journal or rsyslog = pass,
//! volatile journal only = warn; auditd reported. macOS: not applicable (unified log).

use std::time::Duration;

use serde_json::{Value, json};

use super::kit::{
    Outcome, as_bool, as_i64, as_str, cmd, conf_value, file, host_probe, lines, ps, ps_doc,
    section, text, unk,
};
use crate::parse::as_list;
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(
    LogRetention,
    "Probe `log.retention`: security log size, retention and Sysmon."
);

/// Circular Security logs at least this large are considered adequate (a common baseline).
pub const GOOD_SIZE: i64 = 196 * 1024 * 1024;
/// The Windows default Security log size (20 MB): days of history only.
pub const DEFAULT_SIZE: i64 = 20 * 1024 * 1024;

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "log.retention",
        title: Text::new("ログの保存", "Log retention"),
        reads: vec![
            (
                Os::Windows,
                "Get-WinEvent -ListLog Security/System/RDP/PowerShell (admin), Sysmon service",
            ),
            (Os::Macos, "not applicable (unified log)"),
            (
                Os::Linux,
                "journald.conf, /var/log/journal, systemctl is-active rsyslog syslog-ng auditd",
            ),
        ],
        needs_elevation: true,
        timeout: Duration::from_secs(30),
        checklist_refs: super::registry_refs("log.retention"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![ps(
            "ps",
            r"$out.logs=Try-Probe{,@(@('Security','System','Microsoft-Windows-TerminalServices-LocalSessionManager/Operational','Microsoft-Windows-PowerShell/Operational')|ForEach-Object{$l=Get-WinEvent -ListLog $_;[ordered]@{LogName=$l.LogName;IsEnabled=$l.IsEnabled;LogMode=[string]$l.LogMode;MaximumSizeInBytes=[int64]$l.MaximumSizeInBytes;RecordCount=$l.RecordCount}})};$out.sysmon=Try-Probe{,@(Get-CimInstance Win32_Service -Filter 'Name like ''Sysmon%''' -OperationTimeoutSec 20|ForEach-Object{[ordered]@{Name=$_.Name;State=[string]$_.State}})}",
        )],
        Os::Macos => Vec::new(),
        Os::Linux => vec![
            file("journald_conf", "/etc/systemd/journald.conf"),
            cmd("journal_dir", "ls", &["-1d", "/var/log/journal"]),
            cmd(
                "active",
                "systemctl",
                &["is-active", "rsyslog", "syslog-ng", "auditd"],
            ),
        ],
    }
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(caps),
        Os::Macos => Outcome::na(
            "Macのログ（統合ログ）は利用者が保存期間を設定するものではありません。",
            "macOS unified logging has no retention setting the checklist asks about.",
        ),
        Os::Linux => linux(caps),
    }
}

fn windows(caps: &[Captured]) -> Outcome {
    let doc = match ps_doc(caps, "ps") {
        Ok(d) => d,
        Err(r) => return unk(r),
    };
    let sysmon: Vec<String> = section(&doc, "sysmon")
        .map(|v| {
            as_list(Some(v))
                .iter()
                .filter_map(|s| as_str(s.get("Name")).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let logs = match section(&doc, "logs") {
        Ok(v) => as_list(Some(v)),
        Err(r) => {
            return Outcome::unknown(
                r,
                "セキュリティログの設定は管理者でないと読めません",
                "the Security log settings need administrator rights",
            )
            .facts(json!({"sysmon": sysmon}));
        }
    };
    let brief: Vec<Value> = logs
        .iter()
        .map(|l| json!({"log": as_str(l.get("LogName")), "enabled": as_bool(l.get("IsEnabled")), "mode": as_str(l.get("LogMode")), "max_bytes": as_i64(l.get("MaximumSizeInBytes"))}))
        .collect();
    let facts = json!({"logs": brief, "sysmon": sysmon});
    let Some(sec) = logs
        .iter()
        .find(|l| as_str(l.get("LogName")) == Some("Security"))
    else {
        return unk(UnknownReason::Unparsable).facts(facts);
    };
    let enabled = as_bool(sec.get("IsEnabled"));
    let mode = as_str(sec.get("LogMode")).unwrap_or("");
    let size = as_i64(sec.get("MaximumSizeInBytes")).unwrap_or(0);
    let mb = size / 1024 / 1024;
    if enabled == Some(false) {
        return Outcome::fail(
            "セキュリティログが記録されていません。",
            "The Security event log is disabled.",
        )
        .act(
            "セキュリティログを有効にしてください。",
            "Enable the Security event log.",
        )
        .facts(facts);
    }
    let act = (
        "セキュリティログの最大サイズを大きく（例: 200MB以上）するか、満杯時に保存（アーカイブ）する設定にしてください。",
        "Enlarge the Security log (e.g. 200 MB or more) or archive it when full.",
    );
    match mode {
        "AutoBackup" => Outcome::pass(
            "セキュリティログは満杯時に保存される設定です。",
            "The Security log is archived when full.",
        )
        .facts(facts),
        "Retain" => Outcome::warn(
            "セキュリティログは満杯になると記録が止まる設定です。",
            "The Security log stops recording when full (Retain).",
        )
        .act(act.0, act.1)
        .facts(facts),
        "Circular" if size >= GOOD_SIZE => Outcome::pass(
            &format!("セキュリティログは{mb}MBまで保存されます。"),
            &format!("The Security log keeps up to {mb} MB."),
        )
        .facts(facts),
        "Circular" => Outcome::warn(
            &format!(
                "セキュリティログは{mb}MBで古いものから上書きされます（数日分しか残らない可能性）。"
            ),
            &format!("The Security log is {mb} MB and overwrites old events (may hold only days)."),
        )
        .act(act.0, act.1)
        .facts(facts),
        _ => unk(UnknownReason::Unparsable).facts(facts),
    }
}

fn linux(caps: &[Captured]) -> Outcome {
    let storage = text(caps, "journald_conf")
        .ok()
        .and_then(|t| conf_value(t, "Storage"))
        .map(|s| s.to_ascii_lowercase());
    let journal_dir = text(caps, "journal_dir").is_ok();
    let active = text(caps, "active")
        .ok()
        .map(|t| lines(t).map(str::to_string).collect::<Vec<_>>());
    let st = |i: usize| {
        active
            .as_ref()
            .and_then(|a| a.get(i))
            .map(|s| s == "active")
    };
    let (rsyslog, syslog_ng, auditd) = (st(0), st(1), st(2));
    let persistent = match storage.as_deref() {
        Some("persistent") => true,
        Some("volatile") | Some("none") => false,
        _ => journal_dir,
    };
    let facts = json!({
        "journald_storage": storage, "journal_dir_exists": journal_dir, "persistent_journal": persistent,
        "rsyslog": rsyslog, "syslog_ng": syslog_ng, "auditd": auditd,
    });
    if active.is_none() && storage.is_none() && !journal_dir {
        return unk(text(caps, "active").err().unwrap_or(UnknownReason::Other)).facts(facts);
    }
    if persistent || rsyslog == Some(true) || syslog_ng == Some(true) {
        Outcome::pass(
            "ログはディスクに保存されています。",
            "Logs are kept on disk (persistent journal or syslog).",
        )
        .facts(facts)
    } else {
        Outcome::warn(
            "ログがメモリにしかなく、再起動で消えます。",
            "Logs are only kept in memory and lost on reboot.",
        )
        .act(
            "journald を Storage=persistent にするか rsyslog を有効にしてください。",
            "Set journald Storage=persistent or enable rsyslog.",
        )
        .facts(facts)
    }
}
