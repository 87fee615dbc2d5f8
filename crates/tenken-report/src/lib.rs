//! The evidence report: report model -> Japanese A4 PDF (and XLSX export of the checklist).
//!
//! [`render_pdf`] lays out the whole report with the embedded IPAexGothic font (subset per
//! PDF), adds the assessment and bundle JSON as file attachments (EmbeddedFiles name tree and
//! catalog `/AF`) and writes a classic cross-reference table (no object streams, no xref
//! stream), so a signer can append an incremental update. No signature is applied here.

mod fleet_sections;
pub mod layout;
pub mod linebreak;
mod pdf;
mod render;
pub mod subset;
pub mod xlsx;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use tenken_assessment::Assessment;
use tenken_base::Lang;
use tenken_checklist::Checklist;
use tenken_evidence::Bundle;

pub use fleet_sections::{VendorNoItem, VendorSheetSummary, comparison_applies, device_kind_label};
pub use pdf::{FONT_BYTES, render_pdf, render_pdf_owned};

/// Who will sign the report (printed on the cover and the verification page).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignerInfo {
    /// Signer's name.
    pub name: String,
    /// Organisation, when any.
    #[serde(default)]
    pub organization: Option<String>,
    /// SHA-256 fingerprint (hex) of the signer certificate, when known.
    #[serde(default)]
    pub cert_sha256: Option<String>,
}

/// Exact JSON bytes to attach; when absent, the values are serialized (pretty JSON).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawJson {
    /// The assessment JSON as stored / given.
    pub assessment: Option<Vec<u8>>,
    /// Each bundle's JSON as given, same order as [`ReportInput::bundles`].
    pub bundles: Vec<Option<Vec<u8>>>,
    /// Each bundle's canonical SHA-256 taken before its raw outputs were dropped
    /// ([`tenken_evidence::Bundle::drop_raw_outputs`]), same order; when absent it is computed
    /// from the bundle in the input.
    pub canonical_sha256: Vec<Option<String>>,
}

/// Everything the report is made of.
#[derive(Debug, Clone)]
pub struct ReportInput {
    /// The checklist version answered.
    pub checklist: Checklist,
    /// The assessment (profile, assessor, answers).
    pub assessment: Assessment,
    /// Evidence bundles (one per host).
    pub bundles: Vec<Bundle>,
    /// Report language.
    pub lang: Lang,
    /// The signer to print (the signature itself is applied afterwards by `sign`).
    pub signer: Option<SignerInfo>,
    /// Generation time (document metadata and cover).
    pub generated_at: DateTime<Utc>,
    /// Assessment date printed on the cover (defaults to the assessment's last change).
    pub assessment_date: Option<NaiveDate>,
    /// Device ledger from the store (hosts and manual devices); when absent, the ledger
    /// section is derived from [`ReportInput::bundles`].
    pub ledger: Option<tenken_ledger::Ledger>,
    /// Vendor sheets (事業者確認用) of the fiscal year; the section is left out when empty.
    pub vendor_sheets: Vec<VendorSheetSummary>,
    /// Comparison with the previous fiscal year; the section is left out when absent.
    pub comparison: Option<tenken_compare::Comparison>,
    /// Exact JSON bytes to embed.
    pub raw_json: RawJson,
    /// The readiness review made when the report was signed: its first page then says what
    /// was still open ([`tenken_assessment::readiness::Readiness::signing_note`]).
    pub readiness: Option<tenken_assessment::readiness::Readiness>,
    /// The checklist-version notice for the first page, from the engine, which knows every
    /// loaded version ([`tenken_checklist::Checklist::version_notice_in`]); when absent, the
    /// checklist's own notice.
    pub version_notice: Option<tenken_base::Text>,
}

impl ReportInput {
    /// An input with defaults for the optional parts.
    pub fn new(
        checklist: Checklist,
        assessment: Assessment,
        bundles: Vec<Bundle>,
        lang: Lang,
        generated_at: DateTime<Utc>,
    ) -> Self {
        Self {
            checklist,
            assessment,
            bundles,
            lang,
            signer: None,
            generated_at,
            assessment_date: None,
            ledger: None,
            vendor_sheets: Vec::new(),
            comparison: None,
            raw_json: RawJson::default(),
            readiness: None,
            version_notice: None,
        }
    }
}

/// A file embedded in the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedJson {
    /// File name in the PDF.
    pub name: String,
    /// Description.
    pub description: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// SHA-256 (hex) of the bytes.
    pub sha256: String,
    /// Canonical (JCS) SHA-256 of the bundle, for bundles.
    pub canonical_sha256: Option<String>,
}

/// Errors of report generation.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The embedded font could not be parsed.
    #[error("embedded font could not be loaded")]
    Font,
    /// The assessment is for another checklist than the one given.
    #[error("assessment is for checklist '{assessment}', but checklist '{checklist}' was given")]
    ChecklistMismatch {
        /// Checklist id of the assessment.
        assessment: String,
        /// Checklist id given.
        checklist: String,
    },
    /// JSON serialization failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Bundle hashing failed.
    #[error("bundle: {0}")]
    Evidence(#[from] tenken_evidence::EvidenceError),
    /// The PDF could not be assembled.
    #[error("PDF: {0}")]
    Pdf(String),
}

/// The files [`render_pdf`] embeds: `assessment.json` and one `bundle-NN-HOST.json` each.
pub fn embedded_files(input: &ReportInput) -> Result<Vec<EmbeddedJson>, ReportError> {
    let assessment = input.raw_json.assessment.clone();
    let raw: Vec<Option<Vec<u8>>> = input.raw_json.bundles.clone();
    files_of(input, assessment, raw)
}

/// [`embedded_files`], moving the raw JSON out of `input` instead of copying it.
pub(crate) fn take_embedded_files(
    input: &mut ReportInput,
) -> Result<Vec<EmbeddedJson>, ReportError> {
    let assessment = input.raw_json.assessment.take();
    let raw = std::mem::take(&mut input.raw_json.bundles);
    files_of(input, assessment, raw)
}

fn files_of(
    input: &ReportInput,
    assessment: Option<Vec<u8>>,
    mut raw: Vec<Option<Vec<u8>>>,
) -> Result<Vec<EmbeddedJson>, ReportError> {
    let mut out = Vec::new();
    let bytes = match assessment {
        Some(b) => b,
        None => serde_json::to_vec_pretty(&input.assessment)?,
    };
    out.push(EmbeddedJson {
        name: "assessment.json".into(),
        description: "Tenken assessment (answers)".into(),
        sha256: tenken_evidence::sha256_hex(&bytes),
        bytes,
        canonical_sha256: None,
    });
    for (i, b) in input.bundles.iter().enumerate() {
        let bytes = match raw.get_mut(i).and_then(Option::take) {
            Some(raw) => raw,
            None => serde_json::to_vec_pretty(b)?,
        };
        let host: String = b
            .host
            .hostname
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        out.push(EmbeddedJson {
            name: format!("bundle-{:02}-{host}.json", i + 1),
            description: format!("Tenken evidence bundle of {}", b.host.hostname),
            sha256: tenken_evidence::sha256_hex(&bytes),
            bytes,
            canonical_sha256: Some(match input.raw_json.canonical_sha256.get(i) {
                Some(Some(h)) => h.clone(),
                _ => b.sha256()?,
            }),
        });
    }
    Ok(out)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory is written,
/// flushed to disk (fsync) and renamed over `path`, then the directory is synced. A crash at
/// any point leaves either the old file or the new one, never a half-written report.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report.pdf".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = dir.join(format!(".{name}.tmp-{}-{nanos}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        #[cfg(unix)]
        std::fs::File::open(&dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

impl tenken_base::Kinded for ReportError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            ReportError::ChecklistMismatch { .. } => ErrorKind::Conflict,
            ReportError::Evidence(e) => e.kind(),
            ReportError::Font | ReportError::Json(_) | ReportError::Pdf(_) => ErrorKind::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use tenken_testkit::sample;

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.pdf");
        write_atomic(&p, b"old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failed_write_keeps_the_old_report() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.pdf");
        write_atomic(&p, b"good").unwrap();
        // target is now a directory: the rename fails, the temp file is removed
        let bad = dir.path().join("sub");
        std::fs::create_dir(&bad).unwrap();
        std::fs::write(bad.join("x"), b"x").unwrap();
        assert!(write_atomic(&bad, b"new").is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"good");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn embedded_files_use_given_bytes_or_serialize() {
        let (cl, a, b) = sample::input_parts();
        let mut input = ReportInput::new(cl, a, b, Lang::Ja, chrono::Utc::now());
        let files = embedded_files(&input).unwrap();
        assert_eq!(files.len(), 4);
        assert_eq!(files[0].name, "assessment.json");
        let back: Assessment = serde_json::from_slice(&files[0].bytes).unwrap();
        assert_eq!(back, input.assessment);
        input.raw_json.assessment = Some(b"{ \"given\": 1 }".to_vec());
        let files = embedded_files(&input).unwrap();
        assert_eq!(files[0].bytes, b"{ \"given\": 1 }");
        assert_eq!(
            files[0].sha256,
            tenken_evidence::sha256_hex(b"{ \"given\": 1 }")
        );
        assert_eq!(
            files[1].canonical_sha256,
            Some(input.bundles[0].sha256().unwrap())
        );
    }
}
