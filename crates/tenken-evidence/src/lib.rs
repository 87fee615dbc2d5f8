//! Findings, evidence records and per-host bundles: what a probe established and what proves it.
//!
//! These types are the contract between probes, the assessment, the report, the GUI and other
//! Tenken installations (bundles travel on USB sticks). Field names are part of the bundle
//! format documented in `docs/bundle.schema.json`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use tenken_base::Text;

/// Identifier of the bundle format written into every bundle.
pub const BUNDLE_FORMAT: &str = "tenken-bundle/1";

/// Maximum raw output kept per evidence record (bytes of UTF-8); the rest is cut with a mark.
pub const RAW_LIMIT: usize = 256 * 1024;

/// The verdict of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 適合: the evidence shows the measure is in place.
    Pass,
    /// 要改善: works, but should be improved.
    Warn,
    /// 不適合: the evidence shows the measure is missing.
    Fail,
    /// 未確認: the probe could not determine it (see the reason). Never counted as pass.
    Unknown,
    /// 該当なし: does not apply to this host.
    NotApplicable,
}

impl Verdict {
    /// Japanese label as printed in reports (適合 / 要改善 / 不適合 / 未確認 / 該当なし).
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Pass, tenken_base::Lang::Ja) => "適合",
            (Verdict::Warn, tenken_base::Lang::Ja) => "要改善",
            (Verdict::Fail, tenken_base::Lang::Ja) => "不適合",
            (Verdict::Unknown, tenken_base::Lang::Ja) => "未確認",
            (Verdict::NotApplicable, tenken_base::Lang::Ja) => "該当なし",
            (Verdict::Pass, tenken_base::Lang::En) => "Pass",
            (Verdict::Warn, tenken_base::Lang::En) => "Needs improvement",
            (Verdict::Fail, tenken_base::Lang::En) => "Fail",
            (Verdict::Unknown, tenken_base::Lang::En) => "Unverified",
            (Verdict::NotApplicable, tenken_base::Lang::En) => "Not applicable",
        }
    }
}

/// Why a probe could not determine something (only with [`Verdict::Unknown`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownReason {
    /// Needs administrator / root rights.
    NeedsElevation,
    /// The command or tool does not exist on this host.
    CommandMissing,
    /// The feature or product is not installed, so its state cannot be read.
    NotInstalled,
    /// The command did not finish within the probe's timeout.
    Timeout,
    /// The output could not be understood.
    Unparsable,
    /// The operating system refused access.
    BlockedByOs,
    /// This probe has no implementation for this operating system.
    UnsupportedOs,
    /// The user did not consent to (or scope) a network check.
    NoConsent,
    /// Anything else; the detail text says what.
    Other,
}

impl UnknownReason {
    /// Short explanation in plain words.
    pub fn text(self) -> Text {
        match self {
            UnknownReason::NeedsElevation => Text::new(
                "管理者権限が必要なため確認できませんでした（管理者として実行すると確認できます）",
                "Needs administrator rights (run as administrator to check)",
            ),
            UnknownReason::CommandMissing => Text::new(
                "確認に使うコマンドがこのPCにありません",
                "The command used for this check is not available on this PC",
            ),
            UnknownReason::NotInstalled => Text::new(
                "対象の機能・製品が見つかりません",
                "The feature or product was not found",
            ),
            UnknownReason::Timeout => Text::new(
                "時間内に応答がありませんでした",
                "No answer within the time limit",
            ),
            UnknownReason::Unparsable => {
                Text::new("出力を読み取れませんでした", "The output could not be read")
            }
            UnknownReason::BlockedByOs => Text::new(
                "OSにより読み取りが拒否されました",
                "The operating system refused access",
            ),
            UnknownReason::UnsupportedOs => Text::new(
                "このOSでは自動確認できません",
                "This check is not available on this operating system",
            ),
            UnknownReason::NoConsent => Text::new(
                "ネットワーク確認が許可されていないため実施していません",
                "Network checks were not enabled",
            ),
            UnknownReason::Other => Text::new("確認できませんでした", "Could not be checked"),
        }
    }
}

/// What kind of source produced an evidence record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An OS command (program + arguments).
    Command,
    /// A file that was read.
    File,
    /// A native OS interface read through a library (netstat2, sysinfo), serialized as JSON.
    Api,
    /// A network exchange (connect, HTTP GET, SSDP) within the consented scope.
    Network,
}

/// One raw observation: what was read, how, when, and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Kind of source.
    pub kind: SourceKind,
    /// The exact command line, file path, API name or network target.
    pub source: String,
    /// Raw output as text (decoded; bounded by [`RAW_LIMIT`]).
    pub raw: String,
    /// True when `raw` was cut; `raw_len` tells the original size.
    pub truncated: bool,
    /// Length in bytes of the full raw output before truncation.
    pub raw_len: u64,
    /// SHA-256 (hex) of the full raw output bytes as received (before decoding and truncation).
    pub raw_sha256: String,
    /// Encoding the raw bytes were decoded from (utf-8, utf-8-bom, cp932, utf-16le).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Standard error, bounded, when not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    /// When reading started.
    pub started_at: DateTime<Utc>,
    /// When reading ended.
    pub ended_at: DateTime<Utc>,
    /// Exit code of a command, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// Whether the reading process ran elevated (administrator / root).
    pub elevated: bool,
    /// Error while reading (timeout, missing command, permission), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The whole decoded output (UTF-8) when `raw` was cut: deflate-compressed (RFC 1951),
    /// then base64 (standard alphabet). Its SHA-256 equals `raw_sha256` for UTF-8 output.
    /// Absent in bundles written before it existed (their cut output cannot be replayed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_deflate: Option<String>,
    /// Probe id of another finding in the same bundle whose evidence record has this very
    /// output (same source, time and SHA-256); `raw` is then left empty here, so an output
    /// shared by several probes (the socket table) is stored once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// How this record was obtained when it was not read just now (e.g. reused from the cache
    /// of slow, rarely changing facts: the original command, time and SHA-256 are the ones
    /// above, and the note says what the reuse rests on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Reference from a finding to a checklist item it speaks to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct ItemRef {
    /// Checklist id (e.g. `mhlw-r7`).
    pub checklist: String,
    /// Item id within that checklist (e.g. `2-6`).
    pub item: String,
}

/// What a probe concluded, with everything that backs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable probe id (e.g. `ports.listening`).
    pub probe_id: String,
    /// Probe title.
    pub title: Text,
    /// The verdict.
    pub verdict: Verdict,
    /// Why it is unknown (required when the verdict is unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<UnknownReason>,
    /// One-line summary of what was found.
    pub summary: Text,
    /// What to do about it (empty for pass).
    pub action: Text,
    /// Structured facts the verdict is based on (probe-specific JSON object).
    pub facts: serde_json::Value,
    /// Checklist items this finding gives evidence for.
    pub checklist_refs: Vec<ItemRef>,
    /// The raw observations.
    pub evidence: Vec<Evidence>,
}

/// Facts about the host a bundle describes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HostFacts {
    /// Host name.
    pub hostname: String,
    /// OS family: windows, macos or linux.
    pub os_family: String,
    /// OS product name (e.g. "Windows 11 Pro", "Debian GNU/Linux 12").
    pub os_name: String,
    /// OS version string.
    pub os_version: String,
    /// OS build, where the OS has one (e.g. 22631.4460).
    #[serde(default)]
    pub os_build: String,
    /// IP addresses of active interfaces (no loopback).
    pub ips: Vec<String>,
    /// MAC addresses of active interfaces.
    pub macs: Vec<String>,
    /// User that ran the scan.
    pub user: String,
    /// Whether the scan ran elevated.
    pub elevated: bool,
    /// Tenken version that collected the bundle.
    pub tool_version: String,
}

/// One host's findings: the unit that is signed, carried and imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// Host facts.
    pub host: HostFacts,
    /// When the scan started.
    pub started_at: DateTime<Utc>,
    /// When the scan ended.
    pub ended_at: DateTime<Utc>,
    /// Whether the scan was replayed from recorded outputs rather than executed.
    #[serde(default)]
    pub replayed: bool,
    /// Findings, sorted by probe id.
    pub findings: Vec<Finding>,
}

/// Errors of the evidence layer.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// JSON could not be read or written.
    #[error("bundle JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The bundle format is not one this version understands.
    #[error("unsupported bundle format '{0}'")]
    Format(String),
    /// Canonicalization failed.
    #[error("canonical JSON: {0}")]
    Canonical(String),
}

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Bundle {
    /// Canonical JSON (RFC 8785 / JCS) bytes of the bundle: the form that is hashed and signed.
    pub fn canonical_json(&self) -> Result<Vec<u8>, EvidenceError> {
        let value = serde_json::to_value(self)?;
        serde_json_canonicalizer::to_vec(&value)
            .map_err(|e| EvidenceError::Canonical(e.to_string()))
    }

    /// Drops every evidence record's raw output (`raw`, its compressed whole copy and
    /// `stderr`), keeping source, SHA-256, length, times and errors: for views that read
    /// verdicts, facts and hashes (ledger, report, readiness), so a thousand PCs' bundles fit in
    /// a few MB. The bundle no longer hashes to its signed value afterwards: take
    /// [`Bundle::sha256`] first when it is needed.
    pub fn drop_raw_outputs(&mut self) {
        for f in &mut self.findings {
            for e in &mut f.evidence {
                e.raw = String::new();
                e.raw_deflate = None;
                e.stderr = None;
            }
        }
    }

    /// Keeps what views of verdicts read — the host facts, the times and, per finding, its probe
    /// id, title, verdict, reason, summary, action and checklist references — and drops every
    /// finding's facts and evidence records: for views that never print them (a fleet's
    /// report, the readiness review), so thousands of PCs' bundles stay small. Like
    /// [`Bundle::drop_raw_outputs`], take [`Bundle::sha256`] first when it is needed.
    pub fn keep_verdicts_only(&mut self) {
        for f in &mut self.findings {
            f.facts = serde_json::Value::Null;
            f.evidence = Vec::new();
        }
    }

    /// SHA-256 (hex) of the canonical JSON.
    pub fn sha256(&self) -> Result<String, EvidenceError> {
        Ok(sha256_hex(&self.canonical_json()?))
    }

    /// Parses a bundle from JSON, checking its format marker.
    pub fn from_json(bytes: &[u8]) -> Result<Self, EvidenceError> {
        let bundle: Bundle = serde_json::from_slice(bytes)?;
        if bundle.format != BUNDLE_FORMAT {
            return Err(EvidenceError::Format(bundle.format));
        }
        Ok(bundle)
    }
}

impl tenken_base::Kinded for EvidenceError {
    fn kind(&self) -> tenken_base::ErrorKind {
        match self {
            EvidenceError::Json(_) | EvidenceError::Format(_) => tenken_base::ErrorKind::Damaged,
            EvidenceError::Canonical(_) => tenken_base::ErrorKind::Internal,
        }
    }
}
