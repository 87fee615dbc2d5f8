//! Keys, certificates and signatures: PAdES signing of reports, CMS signing of bundles, verify.
//!
//! - [`keystore`]: the per-installation signing key (self-signed, created on first use) or an
//!   imported company certificate (PKCS#12).
//! - [`pades`]: PAdES B-B signatures appended to a PDF as an incremental update.
//! - [`bundle`]: detached CMS signatures over an evidence bundle's canonical JSON.
//! - [`verify`]: checks every signature of a PDF or a signed bundle.
//! - [`outcome`]: what a check found (per file and per signature), shared by `verify` and `bundle`.

pub mod bundle;
pub mod cms;
pub mod explain;
pub mod keystore;
pub mod outcome;
pub mod pades;
pub mod verify;

use sha2::{Digest, Sha256};

/// Signature algorithm of a signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigAlg {
    /// ECDSA on P-256 with SHA-256 (the default for self-signed keys).
    EcdsaP256Sha256,
    /// RSA PKCS#1 v1.5 with SHA-256 (imported company certificates).
    RsaPkcs1Sha256,
}

impl SigAlg {
    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            SigAlg::EcdsaP256Sha256 => "ECDSA P-256 / SHA-256",
            SigAlg::RsaPkcs1Sha256 => "RSA PKCS#1 v1.5 / SHA-256",
        }
    }
}

/// Something that can sign: a key in a file or the OS key store today, a hardware token later.
pub trait Signer {
    /// DER of the signer's certificate.
    fn certificate_der(&self) -> &[u8];
    /// DER of the certificates above the signer's (issuer first), possibly empty.
    fn chain(&self) -> Vec<Vec<u8>>;
    /// Algorithm the key signs with.
    fn algorithm(&self) -> SigAlg;
    /// Signs `data` (the signer hashes it with SHA-256). ECDSA signatures are DER-encoded.
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// Errors of signing, key handling and verification.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// File system error.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The key files are readable by others.
    #[error(
        "insecure permissions on {path}: mode {mode:o}, expected owner-only (0600 files, 0700 directory)"
    )]
    InsecurePermissions {
        /// Offending path.
        path: String,
        /// Its mode bits.
        mode: u32,
    },
    /// A key or certificate could not be read or is unsupported.
    #[error("key/certificate: {0}")]
    Key(String),
    /// The PKCS#12 password is wrong or the file is damaged.
    #[error("PKCS#12: {0}")]
    Pkcs12(String),
    /// A signing key already exists.
    #[error("a signing key already exists (use --force to replace it)")]
    KeyExists,
    /// No signing key exists yet.
    #[error("no signing key exists yet")]
    NoKey,
    /// The OS key store holding (or meant to hold) the private key cannot be used.
    #[error(
        "the OS key store ({backend}, entry {entry}) cannot be used: {reason}. Unlock the key store (log in to the desktop session) and try again. No new key was created and no key file was written."
    )]
    KeystoreUnavailable {
        /// Which key store.
        backend: String,
        /// Service/account of the entry.
        entry: String,
        /// What failed.
        reason: String,
    },
    /// ASN.1 / DER encoding or decoding failed.
    #[error("ASN.1: {0}")]
    Der(String),
    /// The PDF could not be read or signed.
    #[error("PDF: {0}")]
    Pdf(String),
    /// A cryptographic operation failed.
    #[error("crypto: {0}")]
    Crypto(String),
    /// A bundle could not be read.
    #[error("bundle: {0}")]
    Bundle(String),
}

impl From<der::Error> for SignError {
    fn from(e: der::Error) -> Self {
        SignError::Der(e.to_string())
    }
}

impl SignError {
    /// Wraps an I/O error with context.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        SignError::Io {
            context: context.into(),
            source,
        }
    }
}

/// Summary of a certificate for display.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CertInfo {
    /// Subject distinguished name (RFC 4514).
    pub subject: String,
    /// Issuer distinguished name (RFC 4514).
    pub issuer: String,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// SHA-256 fingerprint of the DER certificate, uppercase hex with colons.
    pub fingerprint_sha256: String,
    /// Public-key algorithm, if recognised.
    pub algorithm: Option<SigAlg>,
    /// Serial number, hex.
    pub serial: String,
}

/// The first value of attribute `attr` (e.g. `CN`, `O`) in an RFC 4514 distinguished name such
/// as `CN=Clinic,O=Org`; handles backslash escapes. `None` when absent or empty.
pub fn dn_value(dn: &str, attr: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = dn.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' | '+' => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts.iter().find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(attr) && !v.trim().is_empty()).then(|| v.trim().to_string())
    })
}

/// A subject as people read it: the common name plus organisation, e.g. 「さくら医院（Tenken 自己署名）」;
/// the raw DN when it has no CN.
pub fn dn_display(dn: &str) -> String {
    let Some(cn) = dn_value(dn, "CN") else {
        return dn.to_string();
    };
    match dn_value(dn, "O") {
        Some(o) if o != cn => format!("{cn}（{o}）"),
        _ => cn,
    }
}

/// SHA-256 fingerprint of DER bytes as uppercase hex pairs joined by colons.
pub fn fingerprint(der_bytes: &[u8]) -> String {
    Sha256::digest(der_bytes)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Reads display facts from a DER certificate.
pub fn cert_info(cert_der: &[u8]) -> Result<CertInfo, SignError> {
    use der::Decode;
    let cert = x509_cert::Certificate::from_der(cert_der)?;
    let tbs = &cert.tbs_certificate;
    let time = |t: &x509_cert::time::Time| {
        chrono::DateTime::<chrono::Utc>::from(t.to_system_time()).to_rfc3339()
    };
    Ok(CertInfo {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        not_before: time(&tbs.validity.not_before),
        not_after: time(&tbs.validity.not_after),
        fingerprint_sha256: fingerprint(cert_der),
        algorithm: cms::key_algorithm(&tbs.subject_public_key_info),
        serial: hex::encode_upper(tbs.serial_number.as_bytes()),
    })
}

/// A display string for a subject: the CN if there is one, else the whole DN.
pub fn common_name(cert_der: &[u8]) -> Option<String> {
    use der::Decode;
    let cert = x509_cert::Certificate::from_der(cert_der).ok()?;
    for rdn in cert.tbs_certificate.subject.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == cms::OID_CN {
                return cms::any_to_string(&atv.value);
            }
        }
    }
    Some(cert.tbs_certificate.subject.to_string())
}

impl tenken_base::Kinded for SignError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            SignError::Io { source, .. } => ErrorKind::of_io(source),
            SignError::InsecurePermissions { .. }
            | SignError::Key(_)
            | SignError::Pkcs12(_)
            | SignError::KeyExists
            | SignError::NoKey
            | SignError::KeystoreUnavailable { .. } => ErrorKind::KeyStore,
            SignError::Der(_) | SignError::Pdf(_) | SignError::Bundle(_) => ErrorKind::Damaged,
            SignError::Crypto(_) => ErrorKind::Signature,
        }
    }
}
