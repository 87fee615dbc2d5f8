//! Importing evidence bundles from other PCs into an assessment, after checking their
//! signatures against this installation's own certificate and the trusted list.
//!
//! Accepted forms: the signed envelope (`*.signed.json`), or a bundle JSON with a detached
//! `FILE.p7s` next to it (what `tenken scan --json FILE` writes), or (only with
//! `accept_unverified`) a plain unsigned bundle. A tampered bundle is always refused.

use std::path::{Path, PathBuf};

use serde::Serialize;

use tenken_evidence::Bundle;
use tenken_sign::bundle::{BundleVerdict, find_detached, verify_bundle_json};
use tenken_store::{BundleTrust, Store, StoreError};

/// Why a bundle was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read.
    #[error("{path}: ファイルを読めません (cannot read): {reason}")]
    Read {
        /// File.
        path: String,
        /// Why.
        reason: String,
    },
    /// Not a Tenken bundle.
    #[error("{path}: Tenkenの証跡ファイルではありません (not a Tenken bundle): {reason}")]
    Malformed {
        /// File.
        path: String,
        /// Why.
        reason: String,
    },
    /// No signature.
    #[error(
        "{path}: 署名がありません。改ざんされていないことを確かめられないため取り込みません。署名なしで取り込む場合は --accept-unverified を付けてください (unsigned bundle refused)"
    )]
    Unsigned {
        /// File.
        path: String,
    },
    /// Changed after signing.
    #[error(
        "{path}: 署名の後に内容が書き換えられています（改ざんの可能性）。取り込みません (tampered bundle refused: {reason})"
    )]
    Tampered {
        /// File.
        path: String,
        /// What failed.
        reason: String,
    },
    /// The content matches what was signed but the signature does not verify.
    #[error(
        "{path}: 署名ファイル（.p7s）が壊れているか、正しい署名ではありません。内容が書き換えられたとは限りませんが、確かめられないため取り込みません。そのPCでもう一度書き出してください (signature damaged or invalid; the content matches the signed digest: {reason})"
    )]
    BadSignature {
        /// File.
        path: String,
        /// What failed.
        reason: String,
    },
    /// Signed by an unknown certificate.
    #[error(
        "{path}: 署名した人（{signer}）はこのTenkenで信頼されていません。相手の証明書を確認してから `tenken key trust 証明書.pem` で登録するか、--accept-unverified を付けてください (signer not trusted, fingerprint {fingerprint})"
    )]
    Untrusted {
        /// File.
        path: String,
        /// Signer's name.
        signer: String,
        /// Signer's certificate fingerprint.
        fingerprint: String,
    },
    /// A newer check of the same PC is already kept.
    #[error(
        "{path}: {host} のより新しい証跡（{kept}）がすでにあります。古い証跡（{given}）は取り込みません (a newer bundle of this PC is already kept)"
    )]
    Older {
        /// File.
        path: String,
        /// The PC.
        host: String,
        /// When the file's check ended.
        given: chrono::DateTime<chrono::Utc>,
        /// When the kept check ended.
        kept: chrono::DateTime<chrono::Utc>,
    },
    /// Store error.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What was imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// New bundle row id.
    pub bundle_id: i64,
    /// Host name of the bundle.
    pub host: String,
    /// Signature check outcome stored with it.
    pub trust: BundleTrust,
    /// Signer, when signed.
    pub signer: Option<String>,
    /// Number of older bundles of the host it superseded.
    pub replaced: usize,
    /// The very same bundle was already kept; nothing was written.
    pub unchanged: bool,
}

fn bundle_value(bytes: &[u8]) -> Result<Bundle, String> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let v = if v.get("format").and_then(serde_json::Value::as_str)
        == Some(tenken_sign::bundle::SIGNED_BUNDLE_FORMAT)
    {
        v.get("bundle").cloned().ok_or("envelope without bundle")?
    } else {
        v
    };
    serde_json::from_value(v).map_err(|e| e.to_string())
}

/// Verifies and imports one bundle file into `assessment_id`. `anchors` are the trusted
/// certificates (see [`tenken_vendor::trust::anchors`]); with no anchors nothing counts as
/// trusted. An earlier bundle of the same host in the assessment is marked superseded.
pub fn import_file(
    store: &mut Store,
    assessment_id: i64,
    path: &Path,
    anchors: &[Vec<u8>],
    accept_unverified: bool,
) -> Result<Imported, ImportError> {
    let p = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read {
        path: p.clone(),
        reason: tenken_base::io_plain(&e).to_string(),
    })?;
    let detached = match find_detached(path) {
        Some(d) => Some(std::fs::read(&d).map_err(|e| ImportError::Read {
            path: d.display().to_string(),
            reason: tenken_base::io_plain(&e).to_string(),
        })?),
        None => None,
    };
    let bundle = bundle_value(&bytes).map_err(|reason| ImportError::Malformed {
        path: p.clone(),
        reason,
    })?;
    let verdict = if anchors.is_empty() {
        // verify_bundle treats an empty list as "trust anyone": never let that happen here.
        match verify_bundle_json(&bytes, detached.as_deref(), &[]) {
            BundleVerdict::Valid {
                signer,
                fingerprint,
            } => BundleVerdict::UntrustedSigner {
                signer,
                fingerprint,
            },
            v => v,
        }
    } else {
        verify_bundle_json(&bytes, detached.as_deref(), anchors)
    };
    let (trust, signer, signature) = match verdict {
        BundleVerdict::Valid { signer, .. } => (BundleTrust::Verified, Some(signer), true),
        BundleVerdict::Tampered { reason } => {
            return Err(ImportError::Tampered { path: p, reason });
        }
        BundleVerdict::BadSignature { reason } => {
            return Err(ImportError::BadSignature { path: p, reason });
        }
        BundleVerdict::Malformed { reason } => {
            return Err(ImportError::Malformed { path: p, reason });
        }
        BundleVerdict::Unsigned if !accept_unverified => {
            return Err(ImportError::Unsigned { path: p });
        }
        BundleVerdict::UntrustedSigner {
            signer,
            fingerprint,
        } if !accept_unverified => {
            return Err(ImportError::Untrusted {
                path: p,
                signer,
                fingerprint,
            });
        }
        BundleVerdict::Unsigned => (BundleTrust::Unverified, None, false),
        BundleVerdict::UntrustedSigner { signer, .. } => {
            (BundleTrust::Unverified, Some(signer), true)
        }
    };
    let sig_bytes: Option<Vec<u8>> = if signature {
        match &detached {
            Some(d) => Some(d.clone()),
            None => tenken_sign::bundle::SignedBundle::from_json(&bytes)
                .ok()
                .map(|s| s.signature),
        }
    } else {
        None
    };
    let json = serde_json::to_string(&bundle).map_err(|e| ImportError::Malformed {
        path: p.clone(),
        reason: e.to_string(),
    })?;
    let host = bundle.host.hostname.clone();
    let current = store.current_bundles_of_host(Some(assessment_id), &host)?;
    // Importing the same bundle again changes nothing (re-runs over a folder are idempotent),
    // unless it now comes with a better signature check (unverified before, verified now).
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(json.as_bytes()))
    };
    if let Some(same) = current.iter().find(|b| {
        b.sha256 == sha && (b.verification == trust || b.verification == BundleTrust::Verified)
    }) {
        return Ok(Imported {
            bundle_id: same.id,
            host,
            trust: same.verification,
            signer: same.signer.clone(),
            replaced: 0,
            unchanged: true,
        });
    }
    // A newer check of the host already kept is never replaced by an older one.
    if let Some(newer) = current.iter().find_map(|b| {
        Bundle::from_json(b.bundle_json.as_bytes())
            .ok()
            .filter(|kept| kept.ended_at > bundle.ended_at)
    }) {
        return Err(ImportError::Older {
            path: p,
            host,
            given: bundle.ended_at,
            kept: newer.ended_at,
        });
    }
    let replaced = current.len();
    let bundle_id = store.add_bundle_checked(
        Some(assessment_id),
        &host,
        &json,
        sig_bytes.as_deref(),
        true,
        trust,
        signer.as_deref(),
    )?;
    Ok(Imported {
        bundle_id,
        host,
        trust,
        signer,
        replaced,
        unchanged: false,
    })
}

/// What [`import_dir`] did with a folder of bundles.
#[derive(Debug, Default)]
pub struct FolderImport {
    /// Bundles imported (new or newer than the kept one), with their file.
    pub imported: Vec<(PathBuf, Imported)>,
    /// Bundles already kept exactly as they are (nothing changed).
    pub unchanged: Vec<(PathBuf, Imported)>,
    /// Files left out because the folder or the store holds a newer check of the same PC.
    pub older: Vec<(PathBuf, String)>,
    /// Files refused (unsigned, tampered, untrusted, not a bundle), with the reason.
    pub refused: Vec<(PathBuf, ImportError)>,
}

/// Imports every bundle file (`*.json`) in `dir` (not its subfolders): per PC only the newest
/// check in the folder is considered; each is verified as [`import_file`] does; bad files are
/// listed with their reason and never imported; re-running over the same folder changes nothing.
/// `on_progress(done, total)` is called after each file.
pub fn import_dir(
    store: &mut Store,
    assessment_id: i64,
    dir: &Path,
    anchors: &[Vec<u8>],
    accept_unverified: bool,
    on_progress: &mut dyn FnMut(usize, usize),
) -> Result<FolderImport, ImportError> {
    let rd = std::fs::read_dir(dir).map_err(|e| ImportError::Read {
        path: dir.display().to_string(),
        reason: tenken_base::io_plain(&e).to_string(),
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        })
        .collect();
    files.sort();
    let total = files.len();
    let mut out = FolderImport::default();
    // Newest check per host among the readable files; the others are "older".
    let mut newest: std::collections::BTreeMap<String, (chrono::DateTime<chrono::Utc>, PathBuf)> =
        std::collections::BTreeMap::new();
    let mut unreadable: Vec<PathBuf> = Vec::new();
    for f in &files {
        match std::fs::read(f).ok().and_then(|b| bundle_value(&b).ok()) {
            Some(b) => {
                let host = b.host.hostname.clone();
                match newest.get(&host) {
                    Some((t, _)) if *t >= b.ended_at => {
                        out.older.push((f.clone(), host));
                    }
                    _ => {
                        if let Some((_, prev)) =
                            newest.insert(host.clone(), (b.ended_at, f.clone()))
                        {
                            out.older.push((prev, host));
                        }
                    }
                }
            }
            None => unreadable.push(f.clone()),
        }
    }
    let chosen: Vec<PathBuf> = newest
        .into_values()
        .map(|(_, p)| p)
        .chain(unreadable)
        .collect();
    let mut done = out.older.len();
    for f in chosen {
        match import_file(store, assessment_id, &f, anchors, accept_unverified) {
            Ok(i) if i.unchanged => out.unchanged.push((f, i)),
            Ok(i) => out.imported.push((f, i)),
            Err(ImportError::Older { host, .. }) => out.older.push((f, host)),
            Err(e @ ImportError::Store(_)) => return Err(e),
            Err(e) => out.refused.push((f, e)),
        }
        done += 1;
        on_progress(done, total);
    }
    out.older.sort();
    Ok(out)
}

impl tenken_base::Kinded for ImportError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            ImportError::Read { .. } => ErrorKind::Storage,
            ImportError::Malformed { .. } => ErrorKind::Damaged,
            ImportError::Unsigned { .. }
            | ImportError::Tampered { .. }
            | ImportError::BadSignature { .. }
            | ImportError::Untrusted { .. } => ErrorKind::Signature,
            ImportError::Older { .. } => ErrorKind::Conflict,
            ImportError::Store(e) => e.kind(),
        }
    }
}
