//! Record/replay of raw collected outputs: `DIR/host.json` (OS, host facts, scan time) and
//! `DIR/<probe-id>/<key>.json` (one [`Captured`] per source).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Captured, Os, Source};
use tenken_evidence::HostFacts;

/// Contents of `host.json` in a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedHost {
    /// OS the outputs came from.
    pub os: Os,
    /// Host facts at recording time.
    pub host: HostFacts,
    /// When the recorded scan ran ("now" for age rules on replay).
    pub scanned_at: DateTime<Utc>,
    /// Whether the recording process was elevated.
    pub elevated: bool,
}

/// Errors reading or writing a recording.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// Path involved.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// JSON error.
    #[error("{path}: {source}")]
    Json {
        /// Path involved.
        path: PathBuf,
        /// Underlying error.
        source: serde_json::Error,
    },
}

/// File name used for a source key (keys are made file-name safe).
pub fn key_file_name(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.json")
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), RecordError> {
    let text = serde_json::to_string_pretty(value).map_err(|source| RecordError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    std::fs::write(path, text).map_err(|source| RecordError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, RecordError> {
    let bytes = std::fs::read(path).map_err(|source| RecordError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|source| RecordError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `host.json`.
pub fn write_host(dir: &Path, host: &RecordedHost) -> Result<(), RecordError> {
    std::fs::create_dir_all(dir).map_err(|source| RecordError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    write_json(&dir.join("host.json"), host)
}

/// Reads `host.json`.
pub fn read_host(dir: &Path) -> Result<RecordedHost, RecordError> {
    read_json(&dir.join("host.json"))
}

/// Writes the captures of one probe under `DIR/<probe-id>/`.
pub fn write_probe(dir: &Path, probe_id: &str, captured: &[Captured]) -> Result<(), RecordError> {
    let pdir = dir.join(probe_id);
    std::fs::create_dir_all(&pdir).map_err(|source| RecordError::Io {
        path: pdir.clone(),
        source,
    })?;
    for c in captured {
        write_json(&pdir.join(key_file_name(c.source.key())), c)?;
    }
    Ok(())
}

/// Loads the recorded captures of one probe for the planned sources. `Ok(None)` when the probe
/// has no recording at all; sources without a file are left out.
pub fn read_probe(
    dir: &Path,
    probe_id: &str,
    plan: &[Source],
) -> Result<Option<Vec<Captured>>, RecordError> {
    let pdir = dir.join(probe_id);
    if !pdir.is_dir() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for src in plan {
        let path = pdir.join(key_file_name(src.key()));
        if path.is_file() {
            out.push(read_json::<Captured>(&path)?);
        }
    }
    Ok(Some(out))
}

/// For a probe with no recording whose plan reads the native socket table: that capture made
/// from `DIR/netstat-ano.txt` (Windows `netstat -ano` text), when the file is there.
pub fn read_netstat_stand_in(
    dir: &Path,
    plan: &[Source],
) -> Result<Option<Vec<Captured>>, RecordError> {
    let file = dir.join(crate::netstat::NETSTAT_FILE);
    let Some(src) = plan
        .iter()
        .find(|s| matches!(s, Source::Native { collector, .. } if collector == "sockets"))
    else {
        return Ok(None);
    };
    if !file.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&file).map_err(|source| RecordError::Io {
        path: file.clone(),
        source,
    })?;
    let (text, encoding) = crate::exec::decode(&bytes);
    let when = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .map(chrono::DateTime::<chrono::Utc>::from)
        .unwrap_or_else(|_| chrono::Utc::now());
    use sha2::Digest;
    let raw_sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    let detail = format!(
        "replayed from netstat -ano text {} ({encoding})",
        file.display()
    );
    // The raw text itself is the capture (the probes read it as netstat text), so the evidence
    // shows the file and its exact bytes' SHA-256.
    let captured = Captured {
        source: Source::File {
            key: src.key().to_string(),
            path: file.display().to_string(),
        },
        stdout: text,
        stderr: String::new(),
        exit_code: None,
        encoding: Some(encoding.to_string()),
        raw_len: bytes.len() as u64,
        raw_sha256,
        // netstat -ano lists every owner PID without elevation.
        elevated: false,
        error: None,
        error_detail: Some(detail),
        started_at: when,
        ended_at: when,
    };
    Ok(Some(vec![captured]))
}

impl tenken_base::Kinded for RecordError {
    fn kind(&self) -> tenken_base::ErrorKind {
        match self {
            RecordError::Io { source, .. } => tenken_base::ErrorKind::of_io(source),
            RecordError::Json { .. } => tenken_base::ErrorKind::Damaged,
        }
    }
}
