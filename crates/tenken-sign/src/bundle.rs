//! Signatures over evidence bundles: a detached CMS SignedData over the bundle's canonical JSON
//! (RFC 8785) bytes.
//!
//! Two file forms are supported:
//! - **signed-bundle envelope** (`*.signed.json`):
//!   `{"format": "tenken-signed-bundle/1", "bundle": {...}, "signature": "<base64 DER CMS>",
//!   "bundle_sha256": "...", "signer": "...", "fingerprint_sha256": "..."}`. Only `bundle` and
//!   `signature` matter for verification; the other fields are informative.
//! - **detached**: `bundle.json` plus `bundle.json.p7s` (or `.sig`), DER CMS over the canonical
//!   JSON of `bundle.json`. OpenSSL checks it with
//!   `openssl cms -verify -binary -inform DER -content bundle.canonical.json -in bundle.json.p7s`.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::cms::{is_trusted, sign_detached, verify_detached_digest};
use super::outcome::{FileKind, Status, VerifyOptions, VerifyReport, report_from_check};
use super::{SignError, Signer, common_name, fingerprint};
use tenken_evidence::{Bundle, sha256_hex};

/// Format marker of the signed-bundle envelope.
pub const SIGNED_BUNDLE_FORMAT: &str = "tenken-signed-bundle/1";

/// A bundle with its detached CMS signature.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedBundle {
    /// The bundle.
    pub bundle: Bundle,
    /// DER CMS SignedData over `bundle.canonical_json()`.
    pub signature: Vec<u8>,
}

/// The verdict on a signed bundle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum BundleVerdict {
    /// Intact and (if trust anchors were given) trusted.
    Valid {
        /// Signer's common name.
        signer: String,
        /// SHA-256 fingerprint of the signer's certificate.
        fingerprint: String,
    },
    /// There is no signature.
    Unsigned,
    /// The bundle or signature was changed after signing.
    Tampered {
        /// What failed.
        reason: String,
    },
    /// The content matches what was signed, but the signature itself does not verify (the
    /// signature file is damaged, or not made by the key its certificate names): not proof of a
    /// changed content, and not proof of an intact one either.
    BadSignature {
        /// What failed.
        reason: String,
    },
    /// Intact, but the signer is not among the trusted certificates.
    UntrustedSigner {
        /// Signer's common name.
        signer: String,
        /// SHA-256 fingerprint of the signer's certificate.
        fingerprint: String,
    },
    /// The file or signature cannot be read.
    Malformed {
        /// Why.
        reason: String,
    },
}

fn canonical(value: &Value) -> Result<Vec<u8>, SignError> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| SignError::Bundle(e.to_string()))
}

/// Signs a bundle's canonical JSON.
pub fn sign_bundle(bundle: &Bundle, signer: &dyn Signer) -> Result<SignedBundle, SignError> {
    let content = bundle
        .canonical_json()
        .map_err(|e| SignError::Bundle(e.to_string()))?;
    Ok(SignedBundle {
        bundle: bundle.clone(),
        signature: sign_detached(&content, signer)?,
    })
}

impl SignedBundle {
    /// Canonical JSON of the bundle: the signed bytes.
    pub fn canonical_json(&self) -> Result<Vec<u8>, SignError> {
        self.bundle
            .canonical_json()
            .map_err(|e| SignError::Bundle(e.to_string()))
    }

    /// The envelope as pretty JSON.
    pub fn to_json(&self) -> Result<Vec<u8>, SignError> {
        let content = self.canonical_json()?;
        let bundle =
            serde_json::to_value(&self.bundle).map_err(|e| SignError::Bundle(e.to_string()))?;
        let signer = super::cms::verify_detached_digest(&self.signature, &Sha256::digest(&content))
            .ok()
            .and_then(|c| c.signer_cert);
        let env = serde_json::json!({
            "format": SIGNED_BUNDLE_FORMAT,
            "bundle": bundle,
            "bundle_sha256": sha256_hex(&content),
            "signer": signer.as_deref().and_then(common_name),
            "fingerprint_sha256": signer.as_deref().map(fingerprint),
            "signature": B64.encode(&self.signature),
        });
        serde_json::to_vec_pretty(&env).map_err(|e| SignError::Bundle(e.to_string()))
    }

    /// Reads an envelope (without verifying it).
    pub fn from_json(bytes: &[u8]) -> Result<Self, SignError> {
        let (value, signature) = parse_envelope(bytes)?;
        let bundle: Bundle =
            serde_json::from_value(value).map_err(|e| SignError::Bundle(e.to_string()))?;
        let signature =
            signature.ok_or_else(|| SignError::Bundle("the bundle is not signed".into()))?;
        Ok(Self { bundle, signature })
    }

    /// Writes the envelope to `path` (via a temporary file and rename).
    pub fn write(&self, path: &Path) -> Result<(), SignError> {
        let bytes = self.to_json()?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, &bytes).map_err(|e| SignError::io(tmp.display().to_string(), e))?;
        std::fs::rename(&tmp, path).map_err(|e| SignError::io(path.display().to_string(), e))
    }

    /// Reads an envelope from `path`.
    pub fn read(path: &Path) -> Result<Self, SignError> {
        let bytes =
            std::fs::read(path).map_err(|e| SignError::io(path.display().to_string(), e))?;
        Self::from_json(&bytes)
    }

    /// Writes the detached form: `<json_path>` (canonical JSON) and `<json_path>.p7s`.
    pub fn write_detached(&self, json_path: &Path) -> Result<PathBuf, SignError> {
        let p7s = detached_path(json_path);
        std::fs::write(json_path, self.canonical_json()?)
            .map_err(|e| SignError::io(json_path.display().to_string(), e))?;
        std::fs::write(&p7s, &self.signature)
            .map_err(|e| SignError::io(p7s.display().to_string(), e))?;
        Ok(p7s)
    }
}

/// `<json_path>.p7s`.
pub fn detached_path(json_path: &Path) -> PathBuf {
    let mut s = json_path.as_os_str().to_owned();
    s.push(".p7s");
    PathBuf::from(s)
}

/// The detached signature file next to a bundle JSON, if one exists (`.p7s`, then `.sig`).
pub fn find_detached(json_path: &Path) -> Option<PathBuf> {
    [".p7s", ".sig"].iter().find_map(|ext| {
        let mut s = json_path.as_os_str().to_owned();
        s.push(ext);
        let p = PathBuf::from(s);
        p.exists().then_some(p)
    })
}

/// Splits an envelope into the bundle value and the signature (None if unsigned JSON).
fn parse_envelope(bytes: &[u8]) -> Result<(Value, Option<Vec<u8>>), SignError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| SignError::Bundle(e.to_string()))?;
    let Value::Object(mut map) = v else {
        return Err(SignError::Bundle("not a JSON object".into()));
    };
    if map.get("format").and_then(Value::as_str) == Some(SIGNED_BUNDLE_FORMAT) {
        let bundle = map
            .remove("bundle")
            .ok_or_else(|| SignError::Bundle("envelope without 'bundle'".into()))?;
        let sig = match map.get("signature") {
            Some(Value::String(s)) => Some(
                B64.decode(s.trim())
                    .map_err(|e| SignError::Bundle(format!("signature is not base64: {e}")))?,
            ),
            Some(Value::Null) | None => None,
            Some(_) => return Err(SignError::Bundle("signature is not a string".into())),
        };
        Ok((bundle, sig))
    } else {
        Ok((Value::Object(map), None))
    }
}

fn verdict(
    content_candidates: &[Vec<u8>],
    signature: &[u8],
    trusted: &[Vec<u8>],
) -> (BundleVerdict, Option<super::outcome::SignatureReport>) {
    let mut last: Option<super::cms::CmsCheck> = None;
    for content in content_candidates {
        let check = match verify_detached_digest(signature, &Sha256::digest(content)) {
            Ok(c) => c,
            Err(e) => {
                return (
                    BundleVerdict::Malformed {
                        reason: format!("unreadable signature: {e}"),
                    },
                    None,
                );
            }
        };
        let ok = check.digest_ok && check.signature_ok && check.signing_certificate_ok;
        // A candidate whose digest matches says more than one whose does not (a detached
        // signature is tried over the canonical form and over the file as is).
        let keep = match &last {
            Some(prev) => ok || (check.digest_ok && !prev.digest_ok),
            None => true,
        };
        if keep {
            last = Some(check);
        }
        if ok {
            break;
        }
    }
    let Some(check) = last else {
        return (BundleVerdict::Unsigned, None);
    };
    let opts = VerifyOptions {
        trusted: trusted.to_vec(),
        detached_signature: None,
    };
    let signer = check
        .signer_cert
        .as_deref()
        .and_then(common_name)
        .unwrap_or_default();
    let fp = check
        .signer_cert
        .as_deref()
        .map(fingerprint)
        .unwrap_or_default();
    let intact = check.digest_ok && check.signature_ok && check.signing_certificate_ok;
    let trusted_ok = trusted.is_empty()
        || check
            .signer_cert
            .as_deref()
            .is_some_and(|c| is_trusted(c, &check.other_certs, trusted));
    let report = report_from_check("bundle".into(), check.clone(), &opts);
    let v = if !check.digest_ok {
        BundleVerdict::Tampered {
            reason: check.problems.join("; "),
        }
    } else if !intact {
        BundleVerdict::BadSignature {
            reason: check.problems.join("; "),
        }
    } else if !trusted_ok {
        BundleVerdict::UntrustedSigner {
            signer,
            fingerprint: fp,
        }
    } else {
        BundleVerdict::Valid {
            signer,
            fingerprint: fp,
        }
    };
    (v, Some(report))
}

/// Verifies a signed bundle; `trusted` (DER certificates) may be empty.
pub fn verify_bundle(signed: &SignedBundle, trusted: &[Vec<u8>]) -> BundleVerdict {
    match signed.canonical_json() {
        Ok(c) => verdict(&[c], &signed.signature, trusted).0,
        Err(e) => BundleVerdict::Malformed {
            reason: e.to_string(),
        },
    }
}

/// Verifies envelope bytes (or bundle JSON bytes with a `detached` signature).
pub fn verify_bundle_json(
    bytes: &[u8],
    detached: Option<&[u8]>,
    trusted: &[Vec<u8>],
) -> BundleVerdict {
    verify_bundle_inner(bytes, detached, trusted).0
}

fn verify_bundle_inner(
    bytes: &[u8],
    detached: Option<&[u8]>,
    trusted: &[Vec<u8>],
) -> (
    BundleVerdict,
    Option<super::outcome::SignatureReport>,
    Option<String>,
) {
    let (value, sig) = match parse_envelope(bytes) {
        Ok(x) => x,
        Err(e) => {
            return (
                BundleVerdict::Malformed {
                    reason: e.to_string(),
                },
                None,
                None,
            );
        }
    };
    let content = match canonical(&value) {
        Ok(c) => c,
        Err(e) => {
            return (
                BundleVerdict::Malformed {
                    reason: e.to_string(),
                },
                None,
                None,
            );
        }
    };
    let hash = Some(sha256_hex(&content));
    let (candidates, signature) = match (sig, detached) {
        (Some(s), _) => (vec![content], s),
        // A detached signature may be over the canonical form or over the file as is.
        (None, Some(d)) => (vec![content, bytes.to_vec()], d.to_vec()),
        (None, None) => return (BundleVerdict::Unsigned, None, hash),
    };
    let (v, r) = verdict(&candidates, &signature, trusted);
    (v, r, hash)
}

/// Verifies a bundle file for [`super::verify::verify_file_with`].
pub(crate) fn verify_bundle_file(bytes: &[u8], opts: &VerifyOptions) -> VerifyReport {
    let is_envelope = serde_json::from_slice::<Value>(bytes)
        .ok()
        .and_then(|v| v.get("format").and_then(Value::as_str).map(str::to_string))
        .is_some_and(|f| f == SIGNED_BUNDLE_FORMAT);
    let kind = if is_envelope || opts.detached_signature.is_none() {
        FileKind::SignedBundle
    } else {
        FileKind::DetachedBundle
    };
    let detached = if is_envelope {
        None
    } else {
        opts.detached_signature.as_deref()
    };
    let (v, report, hash) = verify_bundle_inner(bytes, detached, &opts.trusted);
    let (mut status, mut message) = match &v {
        BundleVerdict::Valid { .. } => (Status::Valid, None),
        BundleVerdict::Unsigned => (
            Status::Invalid,
            Some("the bundle is not signed".to_string()),
        ),
        BundleVerdict::Tampered { reason } | BundleVerdict::BadSignature { reason } => {
            (Status::Invalid, Some(reason.clone()))
        }
        BundleVerdict::UntrustedSigner { .. } => (
            Status::Invalid,
            Some("the signer's certificate is not trusted".to_string()),
        ),
        BundleVerdict::Malformed { reason } => (Status::CouldNotCheck, Some(reason.clone())),
    };
    // Certificate checks (key usage) can invalidate an otherwise intact signature.
    if status == Status::Valid
        && let Some(bad) = report.as_ref().filter(|r| !r.valid)
    {
        status = Status::Invalid;
        message = Some(bad.problems.join("; "));
    }
    VerifyReport {
        kind,
        status,
        signatures: report.into_iter().collect(),
        message,
        bundle_sha256: hash,
    }
}
