//! What a verification found: the report of a file and of each signature in it, and the checks
//! of the signer's certificate that every kind of file shares (key usage, validity at the
//! signing time). Both [`crate::verify`] (PDFs) and [`crate::bundle`] (bundles) fill these in.

use serde::Serialize;

use crate::cms::{CmsCheck, is_trusted};
use crate::{SigAlg, cert_info, common_name};

/// What kind of file was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A PDF.
    Pdf,
    /// A signed-bundle envelope (`{"format": "tenken-signed-bundle/1", ...}`).
    SignedBundle,
    /// A bundle JSON with a detached `.p7s`/`.sig` signature.
    DetachedBundle,
    /// Neither.
    Unknown,
}

/// Overall outcome; maps to the CLI exit code 0 / 1 / 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every signature is intact (and trusted, if trust anchors were given).
    Valid,
    /// Unsigned, tampered, modified after signing, or signed by an untrusted signer.
    Invalid,
    /// The file could not be read well enough to decide.
    CouldNotCheck,
}

impl Status {
    /// CLI exit code: 0 valid, 1 invalid, 2 could not check.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Valid => 0,
            Status::Invalid => 1,
            Status::CouldNotCheck => 2,
        }
    }
}

/// What was appended to the file after a signature's revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AfterSigning {
    /// Nothing: the signature covers the whole file.
    Nothing,
    /// Only later signatures (countersignatures) were added.
    LaterSignatures,
    /// Other changes were appended after signing.
    OtherModifications,
    /// Not applicable (detached signatures).
    NotApplicable,
}

/// The signer certificate's validity period compared with the signing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertValidityAtSigning {
    /// Signed within the validity period.
    Valid,
    /// Signed before the certificate's validity began.
    NotYetValid,
    /// Signed after the certificate had expired.
    Expired,
}

/// The check of one signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    /// Signature field name (PDF) or "bundle".
    pub field: String,
    /// Signer's common name.
    pub signer: Option<String>,
    /// Signer's subject DN.
    pub signer_subject: Option<String>,
    /// Signer's issuer DN.
    pub signer_issuer: Option<String>,
    /// Claimed signing time (`/M`), as written.
    pub signing_time: Option<String>,
    /// SHA-256 fingerprint of the signer's certificate.
    pub fingerprint_sha256: Option<String>,
    /// Key algorithm of the signer's certificate.
    pub algorithm: Option<SigAlg>,
    /// The signed content's digest matches.
    pub digest_ok: bool,
    /// The CMS signature verifies.
    pub signature_ok: bool,
    /// The signing-certificate-v2 attribute names the signer's certificate.
    pub signing_certificate_ok: bool,
    /// The signed ranges cover the whole revision the signature belongs to.
    pub covers_revision: bool,
    /// What was appended afterwards.
    pub after_signing: AfterSigning,
    /// Whether the signer chains to a given trust anchor (None: no anchors given).
    pub trusted: Option<bool>,
    /// Start of the signer certificate's validity (RFC 3339).
    pub cert_not_before: Option<String>,
    /// End of the signer certificate's validity (RFC 3339).
    pub cert_not_after: Option<String>,
    /// The certificate's validity at the signing time (None: no readable signing time).
    pub cert_at_signing: Option<CertValidityAtSigning>,
    /// The key-usage extension allows signing (None: no such extension, any use allowed).
    pub key_usage_ok: Option<bool>,
    /// Overall verdict for this signature.
    pub valid: bool,
    /// Problems found (English).
    pub problems: Vec<String>,
}

/// The result of verifying a file.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// What was checked.
    pub kind: FileKind,
    /// Overall outcome.
    pub status: Status,
    /// One entry per signature.
    pub signatures: Vec<SignatureReport>,
    /// Why the file is invalid or could not be checked, when it is not about one signature.
    pub message: Option<String>,
    /// SHA-256 (hex) of the signed bundle's canonical JSON, for bundles.
    pub bundle_sha256: Option<String>,
}

/// Options of verification.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Trusted certificates (DER); when non-empty, signers must chain to one of them.
    pub trusted: Vec<Vec<u8>>,
    /// A detached CMS signature (DER) for a bundle JSON.
    pub detached_signature: Option<Vec<u8>>,
}

impl VerifyReport {
    pub(crate) fn could_not_check(kind: FileKind, msg: impl Into<String>) -> Self {
        Self {
            kind,
            status: Status::CouldNotCheck,
            signatures: Vec::new(),
            message: Some(msg.into()),
            bundle_sha256: None,
        }
    }
    pub(crate) fn invalid(kind: FileKind, msg: impl Into<String>) -> Self {
        Self {
            kind,
            status: Status::Invalid,
            signatures: Vec::new(),
            message: Some(msg.into()),
            bundle_sha256: None,
        }
    }
}

/// Builds the report of one CMS check.
pub(crate) fn report_from_check(
    field: String,
    check: CmsCheck,
    opts: &VerifyOptions,
) -> SignatureReport {
    let info = check.signer_cert.as_deref().and_then(|c| cert_info(c).ok());
    let trusted = match (&check.signer_cert, opts.trusted.is_empty()) {
        (_, true) => None,
        (Some(c), false) => Some(is_trusted(c, &check.other_certs, &opts.trusted)),
        (None, false) => Some(false),
    };
    let mut problems = check.problems;
    if trusted == Some(false) {
        problems.push("the signer's certificate is not trusted".into());
    }
    let key_usage_ok = check
        .signer_cert
        .as_deref()
        .and_then(|c| key_usage_allows_signing(c, &mut problems));
    let valid = check.digest_ok
        && check.signature_ok
        && check.signing_certificate_ok
        && trusted != Some(false)
        && key_usage_ok != Some(false);
    SignatureReport {
        field,
        signer: check.signer_cert.as_deref().and_then(common_name),
        signer_subject: info.as_ref().map(|i| i.subject.clone()),
        signer_issuer: info.as_ref().map(|i| i.issuer.clone()),
        signing_time: None,
        fingerprint_sha256: info.as_ref().map(|i| i.fingerprint_sha256.clone()),
        algorithm: info.as_ref().and_then(|i| i.algorithm),
        digest_ok: check.digest_ok,
        signature_ok: check.signature_ok,
        signing_certificate_ok: check.signing_certificate_ok,
        covers_revision: true,
        after_signing: AfterSigning::NotApplicable,
        trusted,
        cert_not_before: info.as_ref().map(|i| i.not_before.clone()),
        cert_not_after: info.as_ref().map(|i| i.not_after.clone()),
        cert_at_signing: None,
        key_usage_ok,
        valid,
        problems,
    }
}

/// Whether the certificate's key-usage extension allows signing: `None` when it has none;
/// problems are added to `problems`.
fn key_usage_allows_signing(cert_der: &[u8], problems: &mut Vec<String>) -> Option<bool> {
    use der::Decode;
    use x509_cert::ext::pkix::KeyUsage;
    let cert = x509_cert::Certificate::from_der(cert_der).ok()?;
    match cert.tbs_certificate.get::<KeyUsage>() {
        Ok(None) => None,
        Ok(Some((_, ku))) => {
            let ok = ku.digital_signature() || ku.non_repudiation();
            if !ok {
                problems.push(
                    "the signer's certificate may not be used for signatures (its key usage allows neither digitalSignature nor nonRepudiation)"
                        .into(),
                );
            }
            Some(ok)
        }
        Err(e) => {
            problems.push(format!(
                "the signer's certificate has an unreadable key usage: {e}"
            ));
            Some(false)
        }
    }
}

/// Parses a PDF date (`D:YYYYMMDDHHmmSS` with `Z`, `+HH'mm'` or no zone = UTC), keeping the
/// offset it was written with. The one PDF-date parser: [`parse_pdf_date`],
/// [`pdf_date_rfc3339`] and [`display_pdf_date`](crate::verify::display_pdf_date) use it.
pub fn parse_pdf_date_with_offset(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    use chrono::{NaiveDateTime, TimeZone};
    let d = s.trim().strip_prefix("D:").unwrap_or(s.trim());
    let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 14 {
        return None;
    }
    let naive = NaiveDateTime::parse_from_str(&digits[..14], "%Y%m%d%H%M%S").ok()?;
    let zone = d[digits.len()..].trim_end_matches('\'');
    let offset_secs = match zone.chars().next() {
        None | Some('Z') => 0,
        Some(sign @ ('+' | '-')) => {
            let z: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            let hh: i32 = z.get(0..2)?.parse().ok()?;
            let mm: i32 = z.get(2..4).map_or(Ok(0), str::parse).ok()?;
            let secs = hh * 3600 + mm * 60;
            if sign == '-' { -secs } else { secs }
        }
        Some(_) => return None,
    };
    chrono::FixedOffset::east_opt(offset_secs)?
        .from_local_datetime(&naive)
        .single()
}

/// Parses a PDF date into UTC ([`parse_pdf_date_with_offset`]).
pub fn parse_pdf_date(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    parse_pdf_date_with_offset(s).map(|t| t.with_timezone(&chrono::Utc))
}

/// A PDF date as RFC 3339 with the offset it was written with (`2026-11-24T07:30:15+09:00`).
pub fn pdf_date_rfc3339(s: &str) -> Option<String> {
    parse_pdf_date_with_offset(s).map(|t| t.to_rfc3339())
}

/// Compares the signing time with the certificate's validity period; an expired certificate
/// at signing makes the signature invalid, a not-yet-valid one is listed as a problem.
pub(crate) fn check_validity_at_signing(r: &mut SignatureReport) {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let (Some(nb), Some(na)) = (parse(&r.cert_not_before), parse(&r.cert_not_after)) else {
        return;
    };
    let Some(at) = r.signing_time.as_deref().and_then(parse_pdf_date) else {
        return;
    };
    let verdict = if at < nb {
        r.problems.push(format!(
            "the signer's certificate was not yet valid at the signing time ({} is before {})",
            at.to_rfc3339(),
            nb.to_rfc3339()
        ));
        CertValidityAtSigning::NotYetValid
    } else if at > na {
        r.problems.push(format!(
            "the signer's certificate had expired at the signing time ({} is after {})",
            at.to_rfc3339(),
            na.to_rfc3339()
        ));
        r.valid = false;
        CertValidityAtSigning::Expired
    } else {
        CertValidityAtSigning::Valid
    };
    r.cert_at_signing = Some(verdict);
}
