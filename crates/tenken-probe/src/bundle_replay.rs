//! Replaying an evidence bundle: `tenken scan --replay bundle.json` evaluates the raw outputs a
//! bundle carries, executing nothing, so anyone holding a bundle can check that its verdicts
//! follow from its evidence. Output cut in the bundle is read from its whole compressed copy
//! ([`Evidence::raw_deflate`]) and a record pointing to another ([`Evidence::same_as`]) from
//! that one. Bundles written before those existed still load; a source whose output was cut
//! in them becomes an error capture (so the probe says 未確認), never a guess.

use std::collections::HashMap;
use std::path::Path;

use tenken_evidence::{Bundle, Evidence};

use crate::evidence_of::{describe, inflate_b64};
use crate::record::RecordError;
use crate::{CaptureError, Captured, EvalContext, Os, Source};

/// A bundle loaded for replay.
#[derive(Debug, Clone)]
pub struct BundleReplay {
    ctx: EvalContext,
    evidence: HashMap<String, Vec<Evidence>>,
}

/// What a replayed source's output could not be read from.
const CUT: &str = "the output was cut in this bundle (written before whole copies were kept); it cannot be replayed";

impl BundleReplay {
    /// Reads the bundle JSON at `path`.
    pub fn read(path: &Path) -> Result<Self, RecordError> {
        let bytes = std::fs::read(path).map_err(|source| RecordError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let bundle = Bundle::from_json(&bytes).map_err(|e| RecordError::Json {
            path: path.to_path_buf(),
            source: match e {
                tenken_evidence::EvidenceError::Json(j) => j,
                other => serde_json::Error::io(std::io::Error::other(other.to_string())),
            },
        })?;
        Self::from_bundle(bundle).ok_or_else(|| RecordError::Json {
            path: path.to_path_buf(),
            source: serde_json::Error::io(std::io::Error::other(
                "the bundle's host has no known operating system family",
            )),
        })
    }

    /// Builds the replay from a parsed bundle; `None` when its OS family is unknown.
    pub fn from_bundle(bundle: Bundle) -> Option<Self> {
        let os: Os = serde_json::from_value(serde_json::Value::String(
            bundle.host.os_family.to_ascii_lowercase(),
        ))
        .ok()?;
        let ctx = EvalContext {
            os,
            elevated: bundle.host.elevated,
            host: bundle.host,
            now: bundle.started_at,
        };
        let evidence = bundle
            .findings
            .into_iter()
            .map(|f| (f.probe_id, f.evidence))
            .collect();
        Some(Self { ctx, evidence })
    }

    /// The evaluation context of the scan that wrote the bundle.
    pub fn context(&self) -> EvalContext {
        self.ctx.clone()
    }

    /// The whole output of `e`: its raw text, its compressed copy, or the record it points to.
    fn text_of(&self, e: &Evidence) -> Option<String> {
        if let Some(holder) = &e.same_as {
            let held = self.evidence.get(holder)?.iter().find(|h| {
                h.same_as.is_none()
                    && h.source == e.source
                    && h.raw_sha256 == e.raw_sha256
                    && h.started_at == e.started_at
            })?;
            return self.text_of(held);
        }
        match &e.raw_deflate {
            Some(packed) => inflate_b64(packed),
            None if e.truncated => None,
            None => Some(e.raw.clone()),
        }
    }

    /// The captures of `probe_id` for the planned sources; `None` when the bundle has no
    /// finding for it. Sources without an evidence record are left out.
    pub fn captures(&self, probe_id: &str, plan: &[Source]) -> Option<Vec<Captured>> {
        let records = self.evidence.get(probe_id)?;
        let mut out = Vec::new();
        for src in plan {
            let (kind, line) = describe(src);
            let Some(e) = records.iter().find(|e| e.kind == kind && e.source == line) else {
                continue;
            };
            let (mut error, mut error_detail) = parse_error(e.error.as_deref());
            let stdout = match self.text_of(e) {
                Some(t) => t,
                None => {
                    error = Some(CaptureError::Io);
                    error_detail = Some(CUT.to_string());
                    String::new()
                }
            };
            if error.is_none() {
                error_detail = e.note.clone();
            }
            out.push(Captured {
                source: src.clone(),
                stdout,
                stderr: e.stderr.clone().unwrap_or_default(),
                exit_code: e.exit_code,
                encoding: e.encoding.clone(),
                raw_sha256: e.raw_sha256.clone(),
                raw_len: e.raw_len,
                error,
                error_detail,
                started_at: e.started_at,
                ended_at: e.ended_at,
                elevated: e.elevated,
            });
        }
        Some(out)
    }
}

/// `timeout: killed after 30000 ms` → (Timeout, detail); the inverse of the evidence's error text.
fn parse_error(text: Option<&str>) -> (Option<CaptureError>, Option<String>) {
    let Some(text) = text else {
        return (None, None);
    };
    let (head, detail) = match text.split_once(": ") {
        Some((h, d)) => (h, Some(d.to_string())),
        None => (text, None),
    };
    let kind = match head {
        "not found" => CaptureError::NotFound,
        "permission denied" => CaptureError::PermissionDenied,
        "timeout" => CaptureError::Timeout,
        _ => CaptureError::Io,
    };
    (Some(kind), detail)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn error_texts_read_back() {
        assert_eq!(
            parse_error(Some("timeout: killed after 5 ms")),
            (
                Some(CaptureError::Timeout),
                Some("killed after 5 ms".into())
            )
        );
        assert_eq!(
            parse_error(Some("I/O error: cancelled")),
            (Some(CaptureError::Io), Some("cancelled".into()))
        );
        assert_eq!(
            parse_error(Some("not found")).0,
            Some(CaptureError::NotFound)
        );
        assert_eq!(parse_error(None), (None, None));
    }
}
