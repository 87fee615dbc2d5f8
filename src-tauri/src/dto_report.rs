//! Types of the report screen that cross into the UI: the report folder, the list of written
//! reports, and the structured result of verifying a signed PDF or evidence bundle (generated from
//! `tenken_core::sign::verify::VerifyReport`).

use serde::{Deserialize, Serialize};
use tenken_core::sign::explain;
use tenken_core::sign::verify::{
    AfterSigning, FileKind, SignatureReport, Status, VerifyReport, pdf_date_rfc3339,
};
use ts_rs::TS;

use crate::dto::TextDto;

/// The screen that fixes an open entry: `tenken_core::readiness::FixTarget`.
pub use tenken_core::readiness::FixTarget as FixTargetDto;
/// What is open before signing: `tenken_core::readiness::GapKind`.
pub use tenken_core::readiness::GapKind as GapKindDto;

/// Where reports are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportFolder {
    /// Absolute path of the folder.
    pub dir: String,
    /// True when it is the default (Documents/Tenken, or the data directory's `reports`).
    pub is_default: bool,
}

/// One written report, as the report list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportEntry {
    /// Store id (the only handle the UI may use to open or verify it).
    #[ts(type = "number")]
    pub id: i64,
    /// When it was written (RFC 3339, UTC).
    pub created_at: String,
    /// Fiscal year of the assessment it reports on (西暦), when known.
    pub fiscal_year: Option<u16>,
    /// File name of the PDF.
    pub file_name: String,
    /// Full path of the PDF.
    pub path: String,
    /// Folder the PDF is in.
    pub folder: String,
    /// The PDF is still there.
    pub exists: bool,
    /// The PDF's SHA-256 at writing time (hex).
    pub sha256: String,
    /// Path of the XLSX checklist written with it, when that file exists.
    pub xlsx: Option<String>,
}

/// Overall outcome of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VerifyStatusDto {
    /// 有効: every signature is intact.
    Valid,
    /// 無効: unsigned, tampered or changed after signing.
    Invalid,
    /// 未確認: the file could not be read well enough to decide.
    CouldNotCheck,
}

impl From<Status> for VerifyStatusDto {
    fn from(s: Status) -> Self {
        match s {
            Status::Valid => Self::Valid,
            Status::Invalid => Self::Invalid,
            Status::CouldNotCheck => Self::CouldNotCheck,
        }
    }
}

/// What was appended to the file after a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AfterSigningDto {
    /// Nothing: the signature covers the whole file.
    Nothing,
    /// Only later signatures were added (fine).
    LaterSignatures,
    /// Other changes were made after signing.
    OtherModifications,
    /// Not applicable (bundle signatures).
    NotApplicable,
}

impl From<AfterSigning> for AfterSigningDto {
    fn from(a: AfterSigning) -> Self {
        match a {
            AfterSigning::Nothing => Self::Nothing,
            AfterSigning::LaterSignatures => Self::LaterSignatures,
            AfterSigning::OtherModifications => Self::OtherModifications,
            AfterSigning::NotApplicable => Self::NotApplicable,
        }
    }
}

/// The check of one signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignatureDto {
    /// Signature field name (PDF) or `bundle`.
    pub field: String,
    /// Signer's common name.
    pub signer: Option<String>,
    /// Signer's certificate subject.
    pub signer_subject: Option<String>,
    /// Signer's certificate issuer.
    pub signer_issuer: Option<String>,
    /// Claimed signing time as RFC 3339 with its offset, when readable.
    pub signing_time: Option<String>,
    /// Claimed signing time exactly as written in the file.
    pub signing_time_raw: Option<String>,
    /// SHA-256 fingerprint of the signer's certificate (hex).
    pub fingerprint_sha256: Option<String>,
    /// The signed content, the signature and the certificate reference all match.
    pub intact: bool,
    /// What was appended after signing.
    pub after_signing: AfterSigningDto,
    /// Whether the signer chains to a trusted certificate (None: not checked).
    pub trusted: Option<bool>,
    /// Signed with this installation's own certificate.
    pub this_installation: bool,
    /// Verdict of this signature.
    pub valid: bool,
    /// What is wrong, in plain words (empty when valid).
    pub findings: Vec<TextDto>,
    /// The engine's technical problem lines (English), for experts.
    pub problems: Vec<String>,
}

/// The result of verifying a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VerifyResultDto {
    /// Name of the checked file.
    pub file_name: String,
    /// `pdf`, `signed_bundle`, `detached_bundle` or `unknown`.
    pub kind: String,
    /// Overall outcome.
    pub status: VerifyStatusDto,
    /// One sentence for the whole file (有効 / 無効 and why / 未確認 and why).
    pub summary: TextDto,
    /// One entry per signature.
    pub signatures: Vec<SignatureDto>,
    /// The engine's message when the problem is not about one signature (English).
    pub message: Option<String>,
    /// SHA-256 of the signed bundle's canonical JSON (bundles).
    pub bundle_sha256: Option<String>,
}

impl From<&SignatureReport> for SignatureDto {
    fn from(s: &SignatureReport) -> Self {
        Self {
            field: s.field.clone(),
            signer: s.signer.clone(),
            signer_subject: s.signer_subject.clone(),
            signer_issuer: s.signer_issuer.clone(),
            signing_time: s.signing_time.as_deref().and_then(pdf_date_rfc3339),
            signing_time_raw: s.signing_time.clone(),
            fingerprint_sha256: s.fingerprint_sha256.clone(),
            intact: explain::intact(s),
            after_signing: s.after_signing.into(),
            trusted: s.trusted,
            this_installation: false,
            valid: s.valid,
            findings: explain::findings(s).iter().map(TextDto::from).collect(),
            problems: s.problems.clone(),
        }
    }
}

impl VerifyResultDto {
    /// Converts the engine's report of the file named `file_name`.
    pub fn from_report(file_name: &str, r: &VerifyReport) -> Self {
        let kind = match r.kind {
            FileKind::Pdf => "pdf",
            FileKind::SignedBundle => "signed_bundle",
            FileKind::DetachedBundle => "detached_bundle",
            FileKind::Unknown => "unknown",
        };
        let signatures: Vec<SignatureDto> = r.signatures.iter().map(SignatureDto::from).collect();
        let summary = TextDto::from(&explain::summary(r));
        Self {
            file_name: file_name.to_string(),
            kind: kind.into(),
            status: r.status.into(),
            summary,
            signatures,
            message: r.message.clone(),
            bundle_sha256: r.bundle_sha256.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn pdf_dates_become_rfc3339_with_their_offset() {
        assert_eq!(
            pdf_date_rfc3339("D:20261124073015+09'00'").as_deref(),
            Some("2026-11-24T07:30:15+09:00")
        );
        assert_eq!(
            pdf_date_rfc3339("D:20261123223015Z").as_deref(),
            Some("2026-11-23T22:30:15+00:00")
        );
        assert_eq!(
            pdf_date_rfc3339("D:20261123223015-05'30").as_deref(),
            Some("2026-11-23T22:30:15-05:30")
        );
        assert_eq!(pdf_date_rfc3339("D:20261323223015Z"), None);
        assert_eq!(pdf_date_rfc3339("yesterday"), None);
        assert_eq!(pdf_date_rfc3339("D:2026"), None);
    }

    #[test]
    fn unknown_files_are_could_not_check() {
        let r = tenken_core::sign::verify::verify_file(b"hello, not a report");
        let d = VerifyResultDto::from_report("x.txt", &r);
        assert_eq!(d.status, VerifyStatusDto::CouldNotCheck);
        assert_eq!(d.kind, "unknown");
        assert!(d.summary.ja.starts_with("未確認"));
    }
}

/// One open entry of the review before signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReadinessEntryDto {
    /// What is open.
    pub kind: GapKindDto,
    /// The checklist item, for item entries.
    pub item_id: Option<String>,
    /// The item's number as printed.
    pub item_number: Option<String>,
    /// The PC or vendor it is about.
    pub subject: Option<String>,
    /// The screen that fixes it.
    pub target: FixTargetDto,
    /// What is open, in plain words.
    pub message: TextDto,
}

/// The review before signing (`tenken_core::readiness::review`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReadinessDto {
    /// The assessment reviewed.
    #[ts(type = "number")]
    pub assessment_id: i64,
    /// When (RFC 3339).
    pub checked_at: String,
    /// Every open entry, in display order.
    pub entries: Vec<ReadinessEntryDto>,
    /// What is open in one line (none when nothing is).
    pub summary: Option<TextDto>,
    /// The sentence the signed report's first page will carry.
    pub signing_note: TextDto,
}

impl From<&tenken_core::assessment::readiness::Readiness> for ReadinessDto {
    fn from(r: &tenken_core::assessment::readiness::Readiness) -> Self {
        use tenken_core::Lang;
        Self {
            assessment_id: r.assessment_id,
            checked_at: r.checked_at.to_rfc3339(),
            entries: r
                .entries
                .iter()
                .map(|e| ReadinessEntryDto {
                    kind: e.kind,
                    item_id: e.item_id.clone(),
                    item_number: e.item_number.clone(),
                    subject: e.subject.clone(),
                    target: e.target,
                    message: (&e.message).into(),
                })
                .collect(),
            summary: match (r.summary(Lang::Ja), r.summary(Lang::En)) {
                (Some(ja), Some(en)) => Some(TextDto { ja, en }),
                _ => None,
            },
            signing_note: TextDto {
                ja: r.signing_note(Lang::Ja),
                en: r.signing_note(Lang::En),
            },
        }
    }
}
