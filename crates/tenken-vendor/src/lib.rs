//! Vendor sheets (事業者確認用): a request file the clinic hands to a vendor, the vendor's
//! answer set signed with the vendor's (imported company) certificate, and its verification
//! when the clinic imports it. Status per vendor and fiscal year is kept in the store
//! ([`tenken_store::VendorSheet`]).

pub mod sheet;
pub mod trust;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use tenken_assessment::Answer;
use tenken_sign::cms::{is_trusted, sign_detached, verify_detached_digest};
use tenken_sign::{SignError, Signer, common_name, fingerprint};

/// Format marker of a request.
pub const REQUEST_FORMAT: &str = "tenken-vendor-request/1";
/// Format marker of a signed answer set.
pub const SIGNED_ANSWERS_FORMAT: &str = "tenken-vendor-answers-signed/1";

/// One item the vendor is asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestItem {
    /// Item id.
    pub id: String,
    /// Number as printed (e.g. "2-①").
    pub number: String,
    /// Item text.
    pub text: tenken_base::Text,
}

/// What the clinic sends to a vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// [`REQUEST_FORMAT`].
    pub format: String,
    /// Clinic name.
    pub clinic: String,
    /// Vendor name.
    pub vendor: String,
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Checklist id.
    pub checklist_id: String,
    /// Items of the `vendor` sheet.
    pub items: Vec<RequestItem>,
}

/// The vendor's answers to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorAnswers {
    /// Clinic name (from the request).
    pub clinic: String,
    /// Vendor name (from the request).
    pub vendor: String,
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Checklist id.
    pub checklist_id: String,
    /// Answers (scope `general` unless the item says otherwise).
    pub answers: Vec<Answer>,
}

/// Errors of vendor answer sets.
#[derive(Debug, thiserror::Error)]
pub enum VendorError {
    /// Not a readable file of the expected format.
    #[error("事業者回答ファイルを読めません (cannot read vendor file): {0}")]
    Malformed(String),
    /// The answer set was changed after signing or the signature is broken.
    #[error(
        "事業者の回答が署名の後に書き換えられています（改ざんの可能性）。取り込みません (vendor answers tampered: {0})"
    )]
    Tampered(String),
    /// Signed, intact, but the signer is not trusted.
    #[error(
        "署名した事業者（{signer}）の証明書が信頼済みではありません。`tenken key trust 証明書.pem` で登録してください (signer not trusted, fingerprint {fingerprint})"
    )]
    Untrusted {
        /// Signer's name.
        signer: String,
        /// Fingerprint.
        fingerprint: String,
    },
    /// Signing failed.
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// A verified answer set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The answers.
    pub answers: VendorAnswers,
    /// Signer's common name.
    pub signer: String,
    /// Signer's certificate fingerprint.
    pub fingerprint: String,
    /// The DER CMS signature.
    pub signature: Vec<u8>,
    /// The signer's DER certificate (to show and, if the person agrees, trust).
    pub certificate: Vec<u8>,
}

fn canonical(a: &VendorAnswers) -> Result<Vec<u8>, VendorError> {
    serde_json_canonicalizer::to_vec(a).map_err(|e| VendorError::Malformed(e.to_string()))
}

/// Builds the request for `vendor` from the `vendor` sheet of `checklist`.
pub fn request(
    checklist: &tenken_checklist::Checklist,
    clinic: &str,
    vendor: &str,
    fiscal_year: u16,
) -> Request {
    Request {
        format: REQUEST_FORMAT.into(),
        clinic: clinic.into(),
        vendor: vendor.into(),
        fiscal_year,
        checklist_id: checklist.id.clone(),
        items: checklist
            .sheet_items(sheet::SHEET)
            .map(|i| RequestItem {
                id: i.id.clone(),
                number: i.number.clone(),
                text: i.text.clone(),
            })
            .collect(),
    }
}

/// Signs an answer set (detached CMS over its canonical JSON) and returns the envelope JSON.
pub fn sign_answers(a: &VendorAnswers, signer: &dyn Signer) -> Result<Vec<u8>, VendorError> {
    let content = canonical(a)?;
    let sig = sign_detached(&content, signer)?;
    let env = serde_json::json!({
        "format": SIGNED_ANSWERS_FORMAT,
        "answers": a,
        "signer": common_name(signer.certificate_der()),
        "fingerprint_sha256": fingerprint(signer.certificate_der()),
        "signature": B64.encode(sig),
    });
    serde_json::to_vec_pretty(&env).map_err(|e| VendorError::Malformed(e.to_string()))
}

/// Verifies a signed answer set against `anchors` (trusted DER certificates; empty = nothing
/// is trusted). Tampering is always an error; an untrusted signer is an error too, unless
/// `accept_untrusted`, in which case the result says so via `Ok((v, false))`.
pub fn verify_answers(
    bytes: &[u8],
    anchors: &[Vec<u8>],
    accept_untrusted: bool,
) -> Result<(Verified, bool), VendorError> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| VendorError::Malformed(e.to_string()))?;
    if v.get("format").and_then(serde_json::Value::as_str) != Some(SIGNED_ANSWERS_FORMAT) {
        return Err(VendorError::Malformed(format!(
            "format is not {SIGNED_ANSWERS_FORMAT}"
        )));
    }
    let answers: VendorAnswers =
        serde_json::from_value(v.get("answers").cloned().unwrap_or_default())
            .map_err(|e| VendorError::Malformed(e.to_string()))?;
    let sig = v
        .get("signature")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| VendorError::Malformed("署名がありません (no signature)".into()))?;
    let sig = B64
        .decode(sig.trim())
        .map_err(|e| VendorError::Malformed(e.to_string()))?;
    // Canonicalise the answers value as received, so any change to it breaks the signature.
    let raw = v.get("answers").cloned().unwrap_or_default();
    let content = serde_json_canonicalizer::to_vec(&raw)
        .map_err(|e| VendorError::Malformed(e.to_string()))?;
    let check = verify_detached_digest(&sig, &Sha256::digest(&content))
        .map_err(|e| VendorError::Tampered(e.to_string()))?;
    if !(check.digest_ok && check.signature_ok && check.signing_certificate_ok) {
        return Err(VendorError::Tampered(check.problems.join("; ")));
    }
    let cert = check
        .signer_cert
        .clone()
        .ok_or_else(|| VendorError::Tampered("no signer certificate".into()))?;
    let signer = common_name(&cert).unwrap_or_default();
    let fp = fingerprint(&cert);
    let trusted = !anchors.is_empty() && is_trusted(&cert, &check.other_certs, anchors);
    if !trusted && !accept_untrusted {
        return Err(VendorError::Untrusted {
            signer,
            fingerprint: fp,
        });
    }
    Ok((
        Verified {
            answers,
            signer,
            fingerprint: fp,
            signature: sig,
            certificate: cert,
        },
        trusted,
    ))
}

impl tenken_base::Kinded for VendorError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            VendorError::Malformed(_) => ErrorKind::InvalidInput,
            VendorError::Tampered(_) | VendorError::Untrusted { .. } => ErrorKind::Signature,
            VendorError::Sign(e) => e.kind(),
        }
    }
}
