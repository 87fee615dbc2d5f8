//! The evidence report: report model -> Japanese A4 PDF (and XLSX export of the checklist).
//!
//! [`render_pdf`] lays out the whole report with the embedded IPAexGothic font (subset per
//! PDF), adds the assessment and bundle JSON as file attachments (EmbeddedFiles name tree and
//! catalog `/AF`) and writes a classic cross-reference table (no object streams, no xref
//! stream), so a signer can append an incremental update. No signature is applied here.

pub mod content;
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
pub use render::FULL_DETAIL_HOSTS;

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
    /// Each bundle's JSON as given, already compressed ([`PackedJson::pack`]), same order;
    /// used before [`RawJson::bundles`]. A report of thousands of PCs holds each bundle's bytes
    /// once, compressed as the PDF stores them.
    pub packed: Vec<Option<PackedJson>>,
}

/// A file's exact bytes kept compressed the way the PDF stores an embedded file (zlib,
/// `/FlateDecode`, at the level the PDF writer uses), with the length and SHA-256 of the bytes
/// themselves: the report embeds it as it is, and prints the same length and hash as for the
/// plain bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedJson {
    /// The bytes, zlib-compressed.
    pub flate: Vec<u8>,
    /// Length of the bytes.
    pub len: usize,
    /// SHA-256 (hex) of the bytes.
    pub sha256: String,
}

impl PackedJson {
    /// Compresses `bytes`.
    pub fn pack(bytes: &[u8]) -> Result<Self, ReportError> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(bytes.len() / 4),
            flate2::Compression::best(),
        );
        let flate = z
            .write_all(bytes)
            .and_then(|()| z.finish())
            .map_err(|e| ReportError::Pdf(format!("compressing an attachment: {e}")))?;
        Ok(Self {
            flate,
            len: bytes.len(),
            sha256: tenken_evidence::sha256_hex(bytes),
        })
    }

    /// The bytes again.
    pub fn unpack(&self) -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let mut out = Vec::with_capacity(self.len);
        flate2::read::ZlibDecoder::new(self.flate.as_slice()).read_to_end(&mut out)?;
        Ok(out)
    }
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
    let packed = input.raw_json.packed.clone();
    files_of(input, assessment, raw, packed)?
        .into_iter()
        .map(|a| {
            let bytes = if a.flate {
                PackedJson {
                    flate: a.content,
                    len: a.len,
                    sha256: String::new(),
                }
                .unpack()
                .map_err(|e| ReportError::Pdf(format!("attachment {}: {e}", a.name)))?
            } else {
                a.content
            };
            Ok(EmbeddedJson {
                name: a.name,
                description: a.description,
                bytes,
                sha256: a.sha256,
                canonical_sha256: a.canonical_sha256,
            })
        })
        .collect()
}

/// A file the PDF embeds, as the PDF writer holds it: the bytes, or their compressed form.
#[derive(Debug, Clone)]
pub(crate) struct Attachment {
    /// File name in the PDF.
    pub(crate) name: String,
    /// Description.
    pub(crate) description: String,
    /// Length of the bytes.
    pub(crate) len: usize,
    /// SHA-256 (hex) of the bytes.
    pub(crate) sha256: String,
    /// Canonical (JCS) SHA-256 of the bundle, for bundles.
    pub(crate) canonical_sha256: Option<String>,
    /// The bytes, zlib-compressed when `flate`.
    pub(crate) content: Vec<u8>,
    /// Whether `content` is compressed (`/FlateDecode`).
    pub(crate) flate: bool,
}

/// The attachments of `input`, copying its raw JSON.
pub(crate) fn attachments(input: &ReportInput) -> Result<Vec<Attachment>, ReportError> {
    let assessment = input.raw_json.assessment.clone();
    let raw = input.raw_json.bundles.clone();
    let packed = input.raw_json.packed.clone();
    files_of(input, assessment, raw, packed)
}

/// [`attachments`], moving the raw JSON out of `input` instead of copying it.
pub(crate) fn take_attachments(input: &mut ReportInput) -> Result<Vec<Attachment>, ReportError> {
    let assessment = input.raw_json.assessment.take();
    let raw = std::mem::take(&mut input.raw_json.bundles);
    let packed = std::mem::take(&mut input.raw_json.packed);
    files_of(input, assessment, raw, packed)
}

fn files_of(
    input: &ReportInput,
    assessment: Option<Vec<u8>>,
    mut raw: Vec<Option<Vec<u8>>>,
    mut packed: Vec<Option<PackedJson>>,
) -> Result<Vec<Attachment>, ReportError> {
    let mut out = Vec::with_capacity(input.bundles.len() + 1);
    let bytes = match assessment {
        Some(b) => b,
        None => serde_json::to_vec_pretty(&input.assessment)?,
    };
    out.push(Attachment {
        name: "assessment.json".into(),
        description: "Tenken assessment (answers)".into(),
        len: bytes.len(),
        sha256: tenken_evidence::sha256_hex(&bytes),
        canonical_sha256: None,
        content: bytes,
        flate: false,
    });
    for (i, b) in input.bundles.iter().enumerate() {
        let (content, len, sha256, flate) = match packed.get_mut(i).and_then(Option::take) {
            Some(p) => (p.flate, p.len, p.sha256, true),
            None => {
                let bytes = match raw.get_mut(i).and_then(Option::take) {
                    Some(raw) => raw,
                    None => serde_json::to_vec_pretty(b)?,
                };
                let (len, sha) = (bytes.len(), tenken_evidence::sha256_hex(&bytes));
                (bytes, len, sha, false)
            }
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
        out.push(Attachment {
            name: format!("bundle-{:02}-{host}.json", i + 1),
            description: format!("Tenken evidence bundle of {}", b.host.hostname),
            len,
            sha256,
            canonical_sha256: Some(match input.raw_json.canonical_sha256.get(i) {
                Some(Some(h)) => h.clone(),
                _ => b.sha256()?,
            }),
            content,
            flate,
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
