//! Trusted certificates of other installations and vendors (`tenken key trust CERT.pem`).
//!
//! Stored as `<data_dir>/trusted/<SHA-256 fingerprint>.pem`. The trust anchors used when a
//! bundle or a vendor answer set is imported are this installation's own certificate plus
//! these.

use std::path::{Path, PathBuf};

use tenken_sign::keystore::KeyStore;
use tenken_sign::verify::load_trust_certs;
use tenken_sign::{CertInfo, SignError, cert_info};

fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("trusted")
}

fn pem(der_bytes: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der_bytes);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// Adds the certificate(s) in `bytes` (PEM or DER) to the trusted list; returns what was added.
pub fn add(data_dir: &Path, bytes: &[u8]) -> Result<Vec<CertInfo>, SignError> {
    let certs = load_trust_certs(bytes)?;
    if certs.is_empty() {
        return Err(SignError::Key(
            "証明書がありません (no certificate found)".into(),
        ));
    }
    let d = dir(data_dir);
    std::fs::create_dir_all(&d).map_err(|e| SignError::io(d.display().to_string(), e))?;
    let mut out = Vec::new();
    for c in certs {
        let info = cert_info(&c)?;
        let name = info.fingerprint_sha256.replace(':', "");
        let path = d.join(format!("{name}.pem"));
        std::fs::write(&path, pem(&c)).map_err(|e| SignError::io(path.display().to_string(), e))?;
        out.push(info);
    }
    Ok(out)
}

/// DER certificates of the trusted list (unreadable files are skipped with a log line).
pub fn trusted(data_dir: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir(data_dir)) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        match std::fs::read(&p)
            .map_err(|e| e.to_string())
            .and_then(|b| load_trust_certs(&b).map_err(|e| e.to_string()))
        {
            Ok(mut c) => out.append(&mut c),
            Err(e) => tracing::warn!("{}: {e}", p.display()),
        }
    }
    out
}

/// The trusted list for display.
pub fn list(data_dir: &Path) -> Vec<CertInfo> {
    trusted(data_dir)
        .iter()
        .filter_map(|c| cert_info(c).ok())
        .collect()
}

/// Trust anchors: this installation's own certificate (if a key exists) plus the trusted list.
pub fn anchors(data_dir: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // The certificate file only: the private key (OS key store) is not needed to trust it.
    if let Ok(c) = KeyStore::open(data_dir).certificate_der() {
        out.push(c);
    }
    out.extend(trusted(data_dir));
    out
}
