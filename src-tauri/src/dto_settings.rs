//! Types of the settings screen that cross into the UI (the signing certificate).

use serde::{Deserialize, Serialize};
use tenken_core::Lang;
use tenken_core::sign::keystore::KeyInfo;
use ts_rs::TS;

use crate::dto::TextDto;

/// The signing certificate, as the settings screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificateDto {
    /// Common name (the clinic or company), when present.
    pub name: Option<String>,
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name (the same as the subject for a self-signed certificate).
    pub issuer: String,
    /// SHA-256 fingerprint (upper-case hex with colons).
    pub fingerprint_sha256: String,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// True when Tenken made it on this PC; false when imported from a .p12 file.
    pub self_signed: bool,
    /// Where it came from, in words.
    pub source: TextDto,
    /// Where the private key is kept (OS key store or owner-only file, and why a file), in words.
    pub key_storage: TextDto,
}

impl From<&KeyInfo> for CertificateDto {
    fn from(k: &KeyInfo) -> Self {
        use tenken_core::sign::keystore::KeySource;
        Self {
            name: tenken_core::sign::dn_value(&k.cert.subject, "CN"),
            subject: k.cert.subject.clone(),
            issuer: k.cert.issuer.clone(),
            fingerprint_sha256: k.cert.fingerprint_sha256.clone(),
            not_before: k.cert.not_before.clone(),
            not_after: k.cert.not_after.clone(),
            self_signed: matches!(k.source, KeySource::SelfSigned),
            source: TextDto {
                ja: k.source.label(Lang::Ja).into(),
                en: k.source.label(Lang::En).into(),
            },
            key_storage: TextDto {
                ja: storage_text(k, Lang::Ja),
                en: storage_text(k, Lang::En),
            },
        }
    }
}

/// 「OSのキーストア（Secret Service）」 or 「ファイル（所有者のみ読み取り可）: why」.
fn storage_text(k: &KeyInfo, lang: Lang) -> String {
    match k.file_reason {
        Some(r) => format!(
            "{}{}{}",
            k.storage_label(lang),
            lang.pick("。理由: ", ". Why: "),
            r.label(lang)
        ),
        None => k.storage_label(lang),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use tenken_core::sign::keystore::{KeyPolicy, KeyStore};

    #[test]
    fn says_where_the_private_key_is_kept_and_why() {
        let dir = tempfile::tempdir().unwrap();
        // A data folder given explicitly (like the GUI tests' TENKEN_DATA_DIR): auto keeps a file.
        let keys = KeyStore::open(dir.path()).with_policy(KeyPolicy::Auto);
        let dto = CertificateDto::from(&keys.generate("さくら内科クリニック", false).unwrap());
        assert!(
            dto.key_storage
                .ja
                .starts_with("ファイル（所有者のみ読み取り可）。理由: "),
            "{}",
            dto.key_storage.ja
        );
        assert!(
            dto.key_storage.ja.contains("USBメモリ"),
            "{}",
            dto.key_storage.ja
        );
        assert!(
            dto.key_storage
                .en
                .starts_with("file (readable only by its owner). Why: ")
        );
        assert_eq!(dto.name.as_deref(), Some("さくら内科クリニック"));
    }
}
