//! Local probes: each probe declares what it reads per OS, the runner collects those raw outputs
//! (or replays recorded ones), and the probe's pure `evaluate` turns them into a [`Finding`].
//!
//! Splitting "collect" from "evaluate" is what makes record/replay and fixture tests possible:
//! every parser and verdict rule runs on recorded text, on any OS.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use tenken_base::Text;
use tenken_evidence::{Finding, HostFacts, ItemRef};

pub mod bundle_replay;
pub mod cache;
pub mod capture;
pub mod checks;
pub mod evidence_of;
pub mod exec;
pub mod host;
pub mod native;
pub mod netstat;
pub mod parse;
pub mod record;
pub mod runner;
pub mod shared;

/// Operating-system family a probe implementation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    /// Windows (client and Server, any locale).
    Windows,
    /// macOS.
    Macos,
    /// Linux.
    Linux,
}

impl Os {
    /// The OS this binary runs on.
    pub fn current() -> Option<Os> {
        match std::env::consts::OS {
            "windows" => Some(Os::Windows),
            "macos" => Some(Os::Macos),
            "linux" => Some(Os::Linux),
            _ => None,
        }
    }

    /// Lowercase name (`windows`, `macos`, `linux`), as used in fixture paths.
    pub fn as_str(self) -> &'static str {
        match self {
            Os::Windows => "windows",
            Os::Macos => "macos",
            Os::Linux => "linux",
        }
    }
}

/// One thing a probe wants read. Collected by the runner, or loaded from a recording.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// Run a program with arguments (no shell). On Unix `LC_ALL=C` is set.
    Command {
        /// Stable key the probe uses to find this output again (e.g. `netsh_profiles`).
        key: String,
        /// Program name or path.
        program: String,
        /// Arguments.
        args: Vec<String>,
    },
    /// Read a file (or report that it is missing / unreadable).
    File {
        /// Stable key.
        key: String,
        /// Path.
        path: String,
    },
    /// A native collector inside Tenken (netstat2 sockets, sysinfo processes ...), whose result
    /// is serialized as JSON text so it can be recorded and replayed like any output.
    Native {
        /// Stable key.
        key: String,
        /// Collector name (e.g. `sockets`, `processes`).
        collector: String,
    },
}

impl Source {
    /// The stable key of this source.
    pub fn key(&self) -> &str {
        match self {
            Source::Command { key, .. } | Source::File { key, .. } | Source::Native { key, .. } => {
                key
            }
        }
    }
}

/// Why collecting a source failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureError {
    /// Program or file not found.
    NotFound,
    /// Permission denied.
    PermissionDenied,
    /// Timed out (the process tree was killed).
    Timeout,
    /// Any other I/O error.
    Io,
}

/// The raw result of collecting one [`Source`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Captured {
    /// What was read.
    pub source: Source,
    /// Decoded standard output (or file contents / native JSON).
    pub stdout: String,
    /// Decoded standard error.
    #[serde(default)]
    pub stderr: String,
    /// Exit code, for commands.
    #[serde(default)]
    pub exit_code: Option<i32>,
    /// Encoding the output was decoded from.
    #[serde(default)]
    pub encoding: Option<String>,
    /// SHA-256 (hex) of the raw bytes as received.
    pub raw_sha256: String,
    /// Length of the raw bytes.
    pub raw_len: u64,
    /// Collection error, when any.
    #[serde(default)]
    pub error: Option<CaptureError>,
    /// Detail of the error.
    #[serde(default)]
    pub error_detail: Option<String>,
    /// When collection started.
    pub started_at: DateTime<Utc>,
    /// When collection ended.
    pub ended_at: DateTime<Utc>,
    /// Whether the collecting process was elevated.
    pub elevated: bool,
}

/// Context given to `evaluate`: the host and the time the scan ran ("now" for age rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalContext {
    /// OS the outputs came from.
    pub os: Os,
    /// Host facts.
    pub host: HostFacts,
    /// Reference time for age computations (scan time, or recorded time on replay).
    pub now: DateTime<Utc>,
    /// Whether the collecting process was elevated.
    pub elevated: bool,
}

/// Static description of a probe.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeMeta {
    /// Stable id (part of the contract, e.g. `firewall.host`).
    pub id: &'static str,
    /// Title (ja/en).
    pub title: Text,
    /// What it reads, per OS (human-readable; the exact sources come from `plan`).
    pub reads: Vec<(Os, &'static str)>,
    /// Whether full results need elevation (basic results must not).
    pub needs_elevation: bool,
    /// Timeout for the whole probe.
    pub timeout: Duration,
    /// Checklist items this probe gives evidence for, per checklist version.
    pub checklist_refs: Vec<ItemRef>,
}

/// A local probe: declares its sources per OS and evaluates them purely.
pub trait Probe: Send + Sync {
    /// Static description.
    fn meta(&self) -> &ProbeMeta;

    /// What to read on `os` (empty = not supported there -> unknown / unsupported_os).
    fn plan(&self, os: Os) -> Vec<Source>;

    /// Pure: turns captured outputs into a finding. Must never panic and must return
    /// `Verdict::Unknown` with a reason whenever the outputs do not establish the answer.
    fn evaluate(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding;
}
