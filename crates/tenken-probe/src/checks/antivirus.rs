//! `antivirus.status`: is anti-malware protection on with current definitions?
//! Windows SecurityCenter2 (`productState` decoded by nibble) + Defender `Get-MpComputerStatus`
//! (the only source on Windows Server) + known AV services; macOS XProtect definition age;
//! Linux ClamAV daily database age (or Defender for Endpoint). No AV found is never a pass.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{finding, ok, unknown};
use crate::exec::{command, powershell};
use crate::parse::{as_list, ps_date, ps_json};
use crate::{Captured, EvalContext, Os, Probe, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::{Finding, UnknownReason, Verdict};

const PS_BODY: &str = "$out.av = Try-Probe { ,@(Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct -OperationTimeoutSec 20 | ForEach-Object { \
[ordered]@{ displayName=$_.displayName; productState=[int64]$_.productState; pathToSignedProductExe=$_.pathToSignedProductExe; timestamp=$_.timestamp } }) }; \
$out.defender = Try-Probe { $s = Get-MpComputerStatus; [ordered]@{ AMRunningMode=[string]$s.AMRunningMode; AMServiceEnabled=$s.AMServiceEnabled; \
AntivirusEnabled=$s.AntivirusEnabled; RealTimeProtectionEnabled=$s.RealTimeProtectionEnabled; AntivirusSignatureVersion=$s.AntivirusSignatureVersion; \
AntivirusSignatureAge=[int64]$s.AntivirusSignatureAge; AntivirusSignatureLastUpdated=(Iso $s.AntivirusSignatureLastUpdated); \
DefenderSignaturesOutOfDate=$s.DefenderSignaturesOutOfDate; AMProductVersion=$s.AMProductVersion } }; \
$out.services = Try-Probe { ,@(Get-CimInstance Win32_Service -OperationTimeoutSec 20 | Where-Object { $_.Name -match '^(ekrn|CSFalconService|CSAgent|SentinelAgent|CbDefense|SepMasterService|ntrtscan|TmCCSF|Amsp|TMBMServer|mcshield|mfemms|NortonSecurity|N360|AVP|kavfs|Sophos|SAVService|MBAMService|avast|AvastSvc|AVGSvc|WinDefend)' } | \
ForEach-Object { [ordered]@{ Name=$_.Name; State=[string]$_.State; PathName=$_.PathName } }) }";

const XPROTECT_PLIST: &str =
    "/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist";

/// Decoded SecurityCenter2 `productState`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductState {
    /// 0 off, 1 on, 2 snoozed, 3 expired.
    pub state: u8,
    /// Definitions out of date.
    pub outdated: bool,
    /// Microsoft product (Defender).
    pub microsoft: bool,
}

/// Decodes `productState` by nibble (not by bit test: 0x3000 expired must not read as on).
pub fn decode_product_state(ps: i64) -> ProductState {
    ProductState {
        state: u8::try_from((ps >> 12) & 0xF).unwrap_or(0),
        outdated: (ps & 0xF0) == 0x10,
        microsoft: (ps & 0xF00) == 0x100,
    }
}

/// The `defender` object of the probe script, built from `Get-MpComputerStatus` printed as a
/// list (`Name : Value` lines, the cmdlet's default view), so that what an administrator or
/// vendor copied from a console can be judged like the script's own output. Same keys and
/// types as the script's `[ordered]@{...}`; two differences, both because the list view loses
/// information: `AntivirusSignatureLastUpdated` is `null` (the list shows a local time in the
/// machine's date format, without zone), so the age comes from `AntivirusSignatureAge` (days,
/// computed by Defender itself); a property the Defender platform does not have (for example
/// `AMRunningMode` before platform 4.18) is `null`, never invented. `None` when no
/// `AMServiceEnabled` line is present (not this cmdlet's output).
pub fn defender_from_mp_status_list(text: &str) -> Option<Value> {
    let text = text.trim_start_matches('\u{feff}');
    let mut fields = std::collections::HashMap::new();
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let k = k.trim();
        if k.is_empty() || k.contains(char::is_whitespace) {
            continue;
        }
        fields.insert(k.to_string(), v.trim().to_string());
    }
    fields.get("AMServiceEnabled")?;
    let string = |k: &str| {
        fields
            .get(k)
            .map_or(Value::Null, |v| Value::String(v.clone()))
    };
    let boolean = |k: &str| match fields.get(k).map(|v| v.to_ascii_lowercase()) {
        Some(v) if v == "true" => Value::Bool(true),
        Some(v) if v == "false" => Value::Bool(false),
        _ => Value::Null,
    };
    let int = |k: &str| {
        fields
            .get(k)
            .and_then(|v| v.parse::<i64>().ok())
            .map_or(Value::Null, Value::from)
    };
    Some(serde_json::json!({
        "AMRunningMode": string("AMRunningMode"),
        "AMServiceEnabled": boolean("AMServiceEnabled"),
        "AntivirusEnabled": boolean("AntivirusEnabled"),
        "RealTimeProtectionEnabled": boolean("RealTimeProtectionEnabled"),
        "AntivirusSignatureVersion": string("AntivirusSignatureVersion"),
        "AntivirusSignatureAge": int("AntivirusSignatureAge"),
        "AntivirusSignatureLastUpdated": Value::Null,
        "DefenderSignaturesOutOfDate": boolean("DefenderSignaturesOutOfDate"),
        "AMProductVersion": string("AMProductVersion"),
    }))
}

/// ClamAV database header (`ClamAV-VDB:...:<epoch>`): (daily version, build time).
pub fn clamav_header(text: &str) -> Option<(u64, DateTime<Utc>)> {
    let line = text.lines().next()?;
    if !line.starts_with("ClamAV-VDB:") {
        return None;
    }
    let header: &str = line.split('\0').next().unwrap_or(line);
    let fields: Vec<&str> = header.split(':').collect();
    let version = fields.get(2)?.trim().parse().ok()?;
    let epoch: i64 = fields
        .last()?
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .ok()?;
    Some((version, Utc.timestamp_opt(epoch, 0).single()?))
}

/// `antivirus.status`.
pub struct AntivirusStatus {
    meta: ProbeMeta,
}

impl Default for AntivirusStatus {
    fn default() -> Self {
        Self::new()
    }
}

fn age_days(now: DateTime<Utc>, t: DateTime<Utc>) -> i64 {
    (now - t).num_days()
}

impl AntivirusStatus {
    /// Creates the probe.
    pub fn new() -> Self {
        Self {
            meta: ProbeMeta {
                id: "antivirus.status",
                title: Text::new("ウイルス対策ソフト", "Anti-malware protection"),
                reads: vec![
                    (
                        Os::Windows,
                        "SecurityCenter2 AntiVirusProduct, Get-MpComputerStatus, Win32_Service (known AV services)",
                    ),
                    (Os::Macos, "XProtect bundle version and date"),
                    (
                        Os::Linux,
                        "ClamAV daily database header, clamav-freshclam/clamav-daemon state, mdatp health",
                    ),
                ],
                needs_elevation: false,
                timeout: Duration::from_secs(60),
                checklist_refs: super::registry_refs("antivirus.status"),
            },
        }
    }

    fn by_age(&self, days: i64, what: &str, pass_max: i64, warn_max: i64, facts: Value) -> Finding {
        let (verdict, ja, en) = if days <= pass_max {
            (
                Verdict::Pass,
                format!("{what}が有効で、定義ファイルは最新です（{days}日前に更新）"),
                format!("{what} is active with current definitions (updated {days} day(s) ago)"),
            )
        } else if days <= warn_max {
            (
                Verdict::Warn,
                format!("{what}の定義ファイルが{days}日間更新されていません"),
                format!("{what} definitions are {days} day(s) old"),
            )
        } else {
            (
                Verdict::Fail,
                format!("{what}の定義ファイルが{days}日間更新されていません（古すぎます）"),
                format!("{what} definitions are {days} day(s) old (too old)"),
            )
        };
        let action = if verdict == Verdict::Pass {
            Text::default()
        } else {
            Text::new(
                "定義ファイル（パターンファイル）を更新し、自動更新が動いているか確認してください",
                "Update the definitions and check that automatic updates work",
            )
        };
        finding(&self.meta, verdict, None, Text::new(ja, en), action, facts)
    }

    fn eval_windows(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        let Some(v) = ok(captured, "ps_antivirus").and_then(|c| ps_json(&c.stdout)) else {
            let reason = if super::kit::silent_powershell(captured, "ps_antivirus") {
                UnknownReason::CommandMissing
            } else {
                UnknownReason::Unparsable
            };
            return unknown(&self.meta, reason, serde_json::json!({}));
        };
        let sc2_error = v.get("av").and_then(|a| a.get("error")).is_some();
        let products: Vec<(String, ProductState)> = if sc2_error {
            Vec::new()
        } else {
            as_list(v.get("av"))
                .iter()
                .filter_map(|p| {
                    Some((
                        p.get("displayName")?.as_str()?.to_string(),
                        decode_product_state(p.get("productState")?.as_i64()?),
                    ))
                })
                .collect()
        };
        let d = v
            .get("defender")
            .filter(|d| d.get("error").is_none() && d.is_object());
        // Defender platforms before 4.18 (Windows 8.1, Server 2016 as shipped) have no
        // AMRunningMode (the script then emits ""): an enabled antimalware service with
        // antivirus on is the active mode there (seen in Microsoft's own published output).
        let mode = d
            .and_then(|d| d.get("AMRunningMode"))
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .map(str::to_string)
            .or_else(|| {
                let on = |k: &str| d.and_then(|d| d.get(k)).and_then(Value::as_bool);
                (on("AMServiceEnabled") == Some(true) && on("AntivirusEnabled") == Some(true))
                    .then(|| "Normal".to_string())
            })
            .unwrap_or_default();
        let rtp = d
            .and_then(|d| d.get("RealTimeProtectionEnabled"))
            .and_then(Value::as_bool);
        let sig_updated = d
            .and_then(|d| d.get("AntivirusSignatureLastUpdated"))
            .and_then(ps_date);
        let sig_age = sig_updated.map(|t| age_days(ctx.now, t)).or_else(|| {
            d.and_then(|d| d.get("AntivirusSignatureAge"))
                .and_then(Value::as_i64)
        });
        let services: Vec<(String, String)> = as_list(v.get("services"))
            .iter()
            .filter_map(|s| {
                Some((
                    s.get("Name")?.as_str()?.to_string(),
                    s.get("State")?.as_str()?.to_string(),
                ))
            })
            .filter(|(n, _)| n != "WinDefend")
            .collect();
        let facts = serde_json::json!({
            "security_center": if sc2_error { Value::String("unavailable (Windows Server?)".into()) } else { serde_json::to_value(&products).unwrap_or_default() },
            "defender": d.map(|_| serde_json::json!({ "mode": mode, "realtime": rtp, "signature_age_days": sig_age })),
            "third_party_services": services,
        });
        if let Some((name, _)) = products.iter().find(|(_, s)| s.state == 1 && !s.outdated) {
            if name.contains("Defender")
                && let Some(age) = sig_age
                && mode == "Normal"
            {
                return self.by_age(age, "Microsoft Defender", 3, 7, facts);
            }
            return finding(
                &self.meta,
                Verdict::Pass,
                None,
                Text::new(
                    format!("ウイルス対策ソフト（{name}）が有効で、定義ファイルは最新です"),
                    format!("{name} is on with up-to-date definitions"),
                ),
                Text::default(),
                facts,
            );
        }
        if mode == "Normal"
            && rtp == Some(true)
            && let Some(age) = sig_age
        {
            return self.by_age(age, "Microsoft Defender", 3, 7, facts);
        }
        if let Some((name, _)) = products.iter().find(|(_, s)| s.state == 1) {
            return finding(
                &self.meta,
                Verdict::Warn,
                None,
                Text::new(
                    format!("ウイルス対策ソフト（{name}）の定義ファイルが古くなっています"),
                    format!("{name} is on but its definitions are out of date"),
                ),
                Text::new("定義ファイルを更新してください", "Update the definitions"),
                facts,
            );
        }
        if mode == "Normal" && rtp == Some(false) {
            return finding(
                &self.meta,
                Verdict::Fail,
                None,
                Text::new(
                    "Microsoft Defender のリアルタイム保護が無効です",
                    "Microsoft Defender real-time protection is off",
                ),
                Text::new(
                    "Windows セキュリティでリアルタイム保護を有効にしてください",
                    "Turn on real-time protection in Windows Security",
                ),
                facts,
            );
        }
        let running: Vec<&str> = services
            .iter()
            .filter(|(_, s)| s == "Running")
            .map(|(n, _)| n.as_str())
            .collect();
        if !running.is_empty() {
            return finding(
                &self.meta,
                Verdict::Warn,
                None,
                Text::new(
                    format!(
                        "他社製のウイルス対策ソフトのサービス（{}）が動作していますが、定義ファイルの状態は自動確認できません",
                        running.join(", ")
                    ),
                    format!(
                        "A third-party anti-malware service is running ({}), but its definition status cannot be read",
                        running.join(", ")
                    ),
                ),
                Text::new(
                    "ウイルス対策ソフトの画面で定義ファイルが最新か確認してください",
                    "Check in the product that its definitions are current",
                ),
                facts,
            );
        }
        if !products.is_empty() {
            return finding(
                &self.meta,
                Verdict::Fail,
                None,
                Text::new(
                    "有効なウイルス対策ソフトがありません（すべて無効または期限切れ）",
                    "No anti-malware product is on (all off, snoozed or expired)",
                ),
                Text::new(
                    "ウイルス対策ソフトを有効にし、契約の期限を確認してください",
                    "Turn anti-malware on and check its licence",
                ),
                facts,
            );
        }
        if d.is_some() && !mode.is_empty() && mode != "Normal" && sc2_error {
            // Server, Defender passive / not running, no known product: cannot be sure.
            return unknown(&self.meta, UnknownReason::NotInstalled, facts);
        }
        unknown(
            &self.meta,
            if sc2_error && d.is_none() {
                UnknownReason::NotInstalled
            } else {
                UnknownReason::Unparsable
            },
            facts,
        )
    }

    fn eval_macos(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        let version = ok(captured, "xprotect_version")
            .filter(|c| c.exit_code == Some(0))
            .map(|c| c.stdout.trim().to_string())
            .filter(|s| !s.is_empty());
        let mtime = ok(captured, "xprotect_mtime")
            .filter(|c| c.exit_code == Some(0))
            .and_then(|c| c.stdout.trim().parse::<i64>().ok())
            .and_then(|e| Utc.timestamp_opt(e, 0).single());
        let facts = serde_json::json!({ "xprotect_version": version, "xprotect_updated": mtime });
        match (version, mtime) {
            (Some(_), Some(t)) => self.by_age(age_days(ctx.now, t), "XProtect", 30, 60, facts),
            _ => unknown(&self.meta, UnknownReason::NotInstalled, facts),
        }
    }

    fn eval_linux(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        let header = ["clamav_daily_cld", "clamav_daily_cvd"]
            .iter()
            .filter_map(|k| ok(captured, k).filter(|c| c.exit_code == Some(0)))
            .filter_map(|c| clamav_header(&c.stdout))
            .max_by_key(|(_, t)| *t);
        let units: Vec<String> = ok(captured, "clamav_units")
            .map(|c| c.stdout.lines().map(|l| l.trim().to_string()).collect())
            .unwrap_or_default();
        let mdatp = ok(captured, "mdatp_health")
            .filter(|c| c.exit_code == Some(0))
            .map(|c| c.stdout.trim().to_string());
        let facts = serde_json::json!({
            "clamav_daily": header.map(|(v, t)| serde_json::json!({ "version": v, "built": t })),
            "freshclam": units.first(), "clamd": units.get(1),
            "mdatp_realtime": mdatp,
        });
        if let Some((_, built)) = header {
            return self.by_age(age_days(ctx.now, built), "ClamAV", 3, 7, facts);
        }
        if let Some(m) = &mdatp
            && m == "true"
        {
            return finding(
                &self.meta,
                Verdict::Pass,
                None,
                Text::new(
                    "Microsoft Defender for Endpoint のリアルタイム保護が有効です",
                    "Microsoft Defender for Endpoint real-time protection is on",
                ),
                Text::default(),
                facts,
            );
        }
        let unreadable = ["clamav_daily_cld", "clamav_daily_cvd"].iter().any(|k| {
            super::get(captured, k).is_some_and(|c| c.stderr.contains("Permission denied"))
        });
        if unreadable && !ctx.elevated {
            return unknown(&self.meta, UnknownReason::NeedsElevation, facts);
        }
        finding(
            &self.meta,
            Verdict::Warn,
            None,
            Text::new(
                "ウイルス対策ソフトが見つかりません（ClamAV 等）",
                "No anti-malware product found (ClamAV or similar)",
            ),
            Text::new(
                "Linux でも導入できるウイルス対策ソフトがあるか保守業者に確認してください",
                "Ask your vendor whether anti-malware can be installed on this Linux host",
            ),
            facts,
        )
    }
}

impl Probe for AntivirusStatus {
    fn meta(&self) -> &ProbeMeta {
        &self.meta
    }

    fn plan(&self, os: Os) -> Vec<Source> {
        match os {
            Os::Windows => vec![powershell("ps_antivirus", PS_BODY)],
            Os::Macos => vec![
                command(
                    "xprotect_version",
                    "/usr/bin/defaults",
                    &["read", XPROTECT_PLIST, "CFBundleShortVersionString"],
                ),
                command(
                    "xprotect_mtime",
                    "/usr/bin/stat",
                    &["-f", "%m", XPROTECT_PLIST],
                ),
            ],
            Os::Linux => vec![
                command(
                    "clamav_daily_cld",
                    "head",
                    &["-c", "512", "/var/lib/clamav/daily.cld"],
                ),
                command(
                    "clamav_daily_cvd",
                    "head",
                    &["-c", "512", "/var/lib/clamav/daily.cvd"],
                ),
                command(
                    "clamav_units",
                    "systemctl",
                    &["is-active", "clamav-freshclam", "clamav-daemon"],
                ),
                command(
                    "mdatp_health",
                    "mdatp",
                    &["health", "--field", "real_time_protection_enabled"],
                ),
            ],
        }
    }

    fn evaluate(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        match ctx.os {
            Os::Windows => self.eval_windows(ctx, captured),
            Os::Macos => self.eval_macos(ctx, captured),
            Os::Linux => self.eval_linux(ctx, captured),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// [REAL] Microsoft's published `Get-MpComputerStatus` example (MicrosoftDocs/
    /// windows-powershell-docs, docset/winserver2022-ps/defender/Get-MpComputerStatus.md at
    /// 00a0b3b64d0156f60e48076889ccebf51ae3e0ad), first lines verbatim; the rest is in the real
    /// fixture corpus. Platform 4.3 (2013): no AMRunningMode line.
    const LEARN_2013_HEAD: &str = "AMEngineVersion                 : 1.1.9700.0\nAMProductVersion                : 4.3.9463.0\nAMServiceEnabled                : True\nAMServiceVersion                : 4.3.9463.0\nAntispywareEnabled              : True\nAntispywareSignatureAge         : 0\nAntispywareSignatureLastUpdated : 7/30/2013 3:01:45 AM\nAntispywareSignatureVersion     : 1.155.1107.0\nAntivirusEnabled                : True\nAntivirusSignatureAge           : 0\nAntivirusSignatureLastUpdated   : 7/30/2013 3:01:45 AM\nAntivirusSignatureVersion       : 1.155.1107.0\n";

    #[test]
    fn mp_status_list_gives_the_script_fields() {
        let d = defender_from_mp_status_list(LEARN_2013_HEAD).unwrap();
        assert_eq!(d["AMServiceEnabled"], Value::Bool(true));
        assert_eq!(d["AntivirusEnabled"], Value::Bool(true));
        assert_eq!(d["AntivirusSignatureAge"], Value::from(0));
        assert_eq!(d["AntivirusSignatureVersion"], "1.155.1107.0");
        assert_eq!(d["AMProductVersion"], "4.3.9463.0");
        // Not in this platform's output, and not in the head: null, not guessed.
        assert_eq!(d["AMRunningMode"], Value::Null);
        assert_eq!(d["RealTimeProtectionEnabled"], Value::Null);
        // The list's local, locale-formatted time is not turned into an instant.
        assert_eq!(d["AntivirusSignatureLastUpdated"], Value::Null);
    }

    #[test]
    fn mp_status_list_keeps_empty_values_and_crlf_and_rejects_other_text() {
        let text = "\u{feff}AMRunningMode                    : Not running\r\nAMServiceEnabled                 : False\r\nAntivirusSignatureAge            : 4294967295\r\nAntivirusSignatureLastUpdated    :\r\n";
        let d = defender_from_mp_status_list(text).unwrap();
        assert_eq!(d["AMRunningMode"], "Not running");
        assert_eq!(d["AMServiceEnabled"], Value::Bool(false));
        assert_eq!(d["AntivirusSignatureAge"], Value::from(4_294_967_295_i64));
        assert!(defender_from_mp_status_list("State : ON\nName : x\n").is_none());
        assert!(defender_from_mp_status_list("").is_none());
    }
}
