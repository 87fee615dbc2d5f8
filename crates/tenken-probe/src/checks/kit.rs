//! Shared building blocks for the host probes: source constructors (PowerShell with the safe
//! preamble, commands, files), lookups into captured outputs that map collection failures to
//! honest unknown reasons, and a small verdict/outcome builder.

use serde_json::{Value, json};

use crate::evidence_of::evidence_from;
use crate::parse::{ps_json, strip_bom};
use crate::{CaptureError, Captured, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::{Finding, ItemRef, UnknownReason, Verdict};

/// Absolute path of Windows PowerShell 5.1 (avoids PATH hijacking and `pwsh`).
pub const POWERSHELL: &str = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe";

/// Preamble for every PowerShell script: stop on errors, no progress records, UTF-8 output,
/// ISO dates, ASCII-only JSON, one `Try-Probe` per section (single quotes only).
pub const PS_PREAMBLE: &str = "$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue';\
[Console]::OutputEncoding=New-Object System.Text.UTF8Encoding($false);$OutputEncoding=[Console]::OutputEncoding;\
function Iso($d){if($null -eq $d){return $null};([datetime]$d).ToUniversalTime().ToString('o')};\
function Emit($o){$j=ConvertTo-Json -InputObject $o -Depth 6 -Compress;[regex]::Replace($j,'[^\\x00-\\x7F]',{param($m) '\\u{0:x4}' -f [int][char]$m.Value})};\
function Try-Probe([scriptblock]$b){try{& $b}catch{[ordered]@{error=$_.Exception.Message;type=$_.Exception.GetType().FullName}}};\
$out=[ordered]@{};";

/// A PowerShell source: `body` fills `$out` sections; the JSON document is emitted at the end.
pub fn ps(key: &str, body: &str) -> Source {
    Source::Command {
        key: key.to_string(),
        program: POWERSHELL.to_string(),
        args: vec![
            "-NoLogo".into(),
            "-NoProfile".into(),
            "-NonInteractive".into(),
            "-Command".into(),
            format!("{PS_PREAMBLE}{body};Emit $out"),
        ],
    }
}

/// A program run without a shell.
pub fn cmd(key: &str, program: &str, args: &[&str]) -> Source {
    Source::Command {
        key: key.to_string(),
        program: program.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
    }
}

/// A file read.
pub fn file(key: &str, path: &str) -> Source {
    Source::File {
        key: key.to_string(),
        path: path.to_string(),
    }
}

/// Checklist references from `(checklist, item)` pairs.
pub fn refs(pairs: &[(&str, &str)]) -> Vec<ItemRef> {
    pairs
        .iter()
        .map(|(c, i)| ItemRef {
            checklist: (*c).to_string(),
            item: (*i).to_string(),
        })
        .collect()
}

/// The capture with this key, if the runner provided one.
pub fn find<'a>(caps: &'a [Captured], key: &str) -> Option<&'a Captured> {
    caps.iter().find(|c| c.source.key() == key)
}

fn denied_text(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.contains("access is denied")
        || l.contains("access denied")
        || l.contains("permission denied")
        || l.contains("unauthorizedaccess")
        || l.contains("requires elevation")
        || l.contains("administrator")
        || l.contains("operation not permitted")
        || s.contains("アクセスが拒否")
        || s.contains("管理者")
        || s.contains("拒否されました")
}

/// Maps a collection error to the unknown reason it stands for.
pub fn reason_of(e: CaptureError) -> UnknownReason {
    match e {
        CaptureError::NotFound => UnknownReason::CommandMissing,
        CaptureError::PermissionDenied => UnknownReason::NeedsElevation,
        CaptureError::Timeout => UnknownReason::Timeout,
        CaptureError::Io => UnknownReason::Other,
    }
}

/// Text of a capture that was collected, or why it was not (missing / failed / empty).
pub fn text<'a>(caps: &'a [Captured], key: &str) -> Result<&'a str, UnknownReason> {
    let c = find(caps, key).ok_or(UnknownReason::Other)?;
    if let Some(e) = c.error {
        return Err(reason_of(e));
    }
    if strip_bom(&c.stdout).is_empty() {
        if denied_text(&c.stderr) {
            return Err(UnknownReason::NeedsElevation);
        }
        // The command failed without output (e.g. systemctl without systemd): not a parse issue.
        if c.exit_code.is_some_and(|x| x != 0) && !c.stderr.trim().is_empty() {
            return Err(UnknownReason::Other);
        }
        return Err(UnknownReason::Unparsable);
    }
    Ok(&c.stdout)
}

/// Like [`text`] but also accepts output found only on stderr (macOS tools answer there).
pub fn text_or_stderr(caps: &[Captured], key: &str) -> Result<String, UnknownReason> {
    let c = find(caps, key).ok_or(UnknownReason::Other)?;
    if let Some(e) = c.error {
        return Err(reason_of(e));
    }
    let all = format!("{}\n{}", c.stdout, c.stderr);
    if all.trim().is_empty() {
        return Err(UnknownReason::Unparsable);
    }
    Ok(all)
}

/// Whether the capture failed because the program or file does not exist.
pub fn missing(caps: &[Captured], key: &str) -> bool {
    find(caps, key).is_some_and(|c| c.error == Some(CaptureError::NotFound))
}

/// Whether a PowerShell capture ran, ended with exit code 0 and printed nothing at all. Tenken's
/// scripts always print a JSON document (errors included), so this is a PowerShell that does not
/// run scripts: Wine's `powershell.exe` stub, or a stand-in left by a hardening tool.
pub fn silent_powershell(caps: &[Captured], key: &str) -> bool {
    find(caps, key).is_some_and(|c| {
        let is_ps = matches!(&c.source, Source::Command { program, .. }
            if program.to_ascii_lowercase().ends_with("powershell.exe"));
        is_ps
            && c.error.is_none()
            && c.exit_code == Some(0)
            && strip_bom(&c.stdout).trim().is_empty()
            && c.stderr.trim().is_empty()
    })
}

/// Parses a PowerShell JSON document (object) produced by [`ps`]. A PowerShell that prints
/// nothing at all counts as missing (see [`silent_powershell`]).
pub fn ps_doc(caps: &[Captured], key: &str) -> Result<Value, UnknownReason> {
    if silent_powershell(caps, key) {
        return Err(UnknownReason::CommandMissing);
    }
    let t = text(caps, key)?;
    if strip_bom(t).starts_with("#< CLIXML") && ps_json(t).is_none() {
        return Err(UnknownReason::Unparsable);
    }
    match ps_json(t) {
        Some(v @ Value::Object(_)) => Ok(v),
        _ => Err(if denied_text(t) {
            UnknownReason::NeedsElevation
        } else {
            UnknownReason::Unparsable
        }),
    }
}

/// One section of a PowerShell document: `Err` when missing or when the script caught an error
/// there (`{"error": "..."}`), with access errors mapped to `NeedsElevation`.
pub fn section<'a>(doc: &'a Value, name: &str) -> Result<&'a Value, UnknownReason> {
    match doc.get(name) {
        None => Err(UnknownReason::Unparsable),
        Some(v) => {
            if let Some(msg) = v.get("error").and_then(Value::as_str) {
                let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
                if denied_text(msg) || ty.contains("Unauthorized") {
                    return Err(UnknownReason::NeedsElevation);
                }
                if ty.contains("CommandNotFound") || msg.contains("is not recognized") {
                    return Err(UnknownReason::CommandMissing);
                }
                return Err(UnknownReason::Other);
            }
            Ok(v)
        }
    }
}

/// Reads a JSON value as an integer (numbers, numeric strings, booleans).
pub fn as_i64(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => {
            let t = s.trim();
            if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                i64::from_str_radix(h, 16).ok()
            } else {
                t.parse().ok()
            }
        }
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// Reads a JSON value as a boolean (`true`, `"True"`, `1`).
pub fn as_bool(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Reads a JSON value as a non-empty string.
pub fn as_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A verdict with its wording and facts, before it becomes a [`Finding`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Verdict.
    pub verdict: Verdict,
    /// Reason, for unknown verdicts.
    pub reason: Option<UnknownReason>,
    /// Summary.
    pub summary: Text,
    /// What to do.
    pub action: Text,
    /// Facts.
    pub facts: Value,
}

impl Outcome {
    fn new(verdict: Verdict, ja: &str, en: &str) -> Self {
        Outcome {
            verdict,
            reason: None,
            summary: Text::new(ja, en),
            action: Text::default(),
            facts: json!({}),
        }
    }
    /// 適合.
    pub fn pass(ja: &str, en: &str) -> Self {
        Self::new(Verdict::Pass, ja, en)
    }
    /// 要改善.
    pub fn warn(ja: &str, en: &str) -> Self {
        Self::new(Verdict::Warn, ja, en)
    }
    /// 不適合.
    pub fn fail(ja: &str, en: &str) -> Self {
        Self::new(Verdict::Fail, ja, en)
    }
    /// 該当なし.
    pub fn na(ja: &str, en: &str) -> Self {
        Self::new(Verdict::NotApplicable, ja, en)
    }
    /// 未確認 with a reason; the summary is the reason's plain text plus `detail`.
    pub fn unknown(reason: UnknownReason, ja: &str, en: &str) -> Self {
        let r = reason.text();
        let mut o = Self::new(
            Verdict::Unknown,
            &join(&r.ja, ja, "。"),
            &join(&r.en, en, ". "),
        );
        o.reason = Some(reason);
        o.action = match reason {
            UnknownReason::NeedsElevation => Text::new(
                "管理者としてTenkenを実行して、もう一度確認してください。",
                "Run Tenken as administrator and check again.",
            ),
            _ => Text::new(
                "担当者またはIT業者に、この項目を手作業で確認してもらってください。",
                "Ask your IT contact or vendor to check this item by hand.",
            ),
        };
        o
    }
    /// Sets what to do.
    pub fn act(mut self, ja: &str, en: &str) -> Self {
        self.action = Text::new(ja, en);
        self
    }
    /// Sets the facts.
    pub fn facts(mut self, facts: Value) -> Self {
        self.facts = facts;
        self
    }
}

fn join(a: &str, b: &str, sep: &str) -> String {
    if b.is_empty() {
        a.to_string()
    } else {
        format!("{a}{sep}{b}")
    }
}

/// Unknown outcome for a failed lookup, with no extra detail.
pub fn unk(reason: UnknownReason) -> Outcome {
    Outcome::unknown(reason, "", "")
}

/// Builds the finding: probe id/title/refs from `meta`, evidence from every capture.
pub fn finding(meta: &ProbeMeta, caps: &[Captured], o: Outcome) -> Finding {
    let reason = if o.verdict == Verdict::Unknown {
        Some(o.reason.unwrap_or(UnknownReason::Other))
    } else {
        None
    };
    Finding {
        probe_id: meta.id.to_string(),
        title: meta.title.clone(),
        verdict: o.verdict,
        reason,
        summary: o.summary,
        action: if o.verdict == Verdict::Pass {
            Text::default()
        } else {
            o.action
        },
        facts: o.facts,
        checklist_refs: meta.checklist_refs.clone(),
        evidence: caps.iter().map(evidence_from).collect(),
    }
}

/// Severity order used to combine partial results (pass < warn < fail).
pub fn worst(a: Verdict, b: Verdict) -> Verdict {
    fn rank(v: Verdict) -> u8 {
        match v {
            Verdict::Pass | Verdict::NotApplicable => 0,
            Verdict::Warn => 1,
            Verdict::Unknown => 2,
            Verdict::Fail => 3,
        }
    }
    if rank(b) > rank(a) { b } else { a }
}

/// Lines of `s` without BOM, trimmed, non-empty.
pub fn lines(s: &str) -> impl Iterator<Item = &str> {
    strip_bom(s)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// Value of `key` in an INI/conf style text (`key = value` or `key value`), last one wins,
/// ignoring `#`/`;` comments; case-insensitive key.
pub fn conf_value(s: &str, key: &str) -> Option<String> {
    let mut found = None;
    for l in lines(s) {
        if l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        let (k, v) = match l.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => match l.split_once(char::is_whitespace) {
                Some((k, v)) => (k.trim(), v.trim()),
                None => continue,
            },
        };
        if k.eq_ignore_ascii_case(key) {
            let v = v.split('#').next().unwrap_or("").trim().trim_matches('"');
            found = Some(v.to_string());
        }
    }
    found
}

/// Defines a host probe struct (`new()`, `Default`, `Probe`) over the module's private
/// `meta() -> ProbeMeta`, `plan(Os) -> Vec<Source>` and `evaluate(&EvalContext, &[Captured]) -> Outcome`.
macro_rules! host_probe {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        pub struct $name {
            meta: $crate::ProbeMeta,
        }
        impl $name {
            /// Creates the probe.
            pub fn new() -> Self {
                Self { meta: meta() }
            }
        }
        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }
        impl $crate::Probe for $name {
            fn meta(&self) -> &$crate::ProbeMeta {
                &self.meta
            }
            fn plan(&self, os: $crate::Os) -> Vec<$crate::Source> {
                plan(os)
            }
            fn evaluate(
                &self,
                ctx: &$crate::EvalContext,
                captured: &[$crate::Captured],
            ) -> ::tenken_evidence::Finding {
                $crate::checks::kit::finding(&self.meta, captured, evaluate(ctx, captured))
            }
        }
    };
}
pub(crate) use host_probe;

/// Days between `then` and `now` (negative when `then` is in the future).
pub fn days_since(now: chrono::DateTime<chrono::Utc>, then: chrono::DateTime<chrono::Utc>) -> i64 {
    (now - then).num_days()
}
