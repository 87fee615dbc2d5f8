//! Verification of signed PDFs and signed evidence bundles.
//!
//! For a PDF every signature field is checked: the digest over its `/ByteRange`, the CMS
//! signature, the ESS signing-certificate-v2 attribute, whether it covers its whole revision,
//! and what was appended after it (later signature revisions only, or other modifications).
//!
//! The signer's certificate is checked too: its validity period against the claimed signing
//! time (expired at signing makes the signature invalid; not yet valid is listed as a problem,
//! since a clinic PC's clock may be wrong), and, when the key-usage extension is present, that
//! it allows digitalSignature or nonRepudiation.
//!
//! Why this file is over 600 lines: PDF and bundle verification end to end (revisions, byte ranges, CMS, outcome) with its unit tests.

use lopdf::{Document, Object, ObjectId};
use sha2::{Digest, Sha256};

use super::cms::verify_detached_digest;
use super::outcome::{check_validity_at_signing, report_from_check};
use super::pades;
use super::pades::decode_text;

pub use crate::outcome::{
    AfterSigning, CertValidityAtSigning, FileKind, SignatureReport, Status, VerifyOptions,
    VerifyReport, parse_pdf_date, parse_pdf_date_with_offset, pdf_date_rfc3339,
};

/// Largest `/Contents` accepted (bytes of hex).
const MAX_CONTENTS_HEX: usize = 4 * 1024 * 1024;

/// Verifies a PDF or signed-bundle file without trust anchors.
pub fn verify_file(bytes: &[u8]) -> VerifyReport {
    verify_file_with(bytes, &VerifyOptions::default())
}

/// Verifies a PDF, a signed-bundle envelope, or a bundle JSON with a detached signature.
pub fn verify_file_with(bytes: &[u8], opts: &VerifyOptions) -> VerifyReport {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return verify_pdf(bytes, opts);
    }
    let trimmed = head.iter().find(|b| !b.is_ascii_whitespace());
    if trimmed == Some(&b'{') {
        return super::bundle::verify_bundle_file(bytes, opts);
    }
    VerifyReport::could_not_check(FileKind::Unknown, "neither a PDF nor a JSON bundle")
}

struct SigField {
    name: String,
    byte_range: Option<Vec<i64>>,
    time: Option<String>,
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

fn signature_fields(doc: &Document) -> Vec<SigField> {
    let mut out = Vec::new();
    let Some(fields) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|a| resolve(doc, a))
        .and_then(|a| a.as_dict().ok())
        .and_then(|a| a.get(b"Fields").ok())
        .and_then(|f| resolve(doc, f))
        .and_then(|f| f.as_array().ok())
    else {
        return out;
    };
    let mut stack: Vec<(&Object, String, usize)> =
        fields.iter().map(|f| (f, String::new(), 0)).collect();
    while let Some((f, parent, depth)) = stack.pop() {
        if depth > 32 || out.len() > 1000 {
            break;
        }
        let Some(Object::Dictionary(d)) = resolve(doc, f) else {
            continue;
        };
        let own = match d.get(b"T") {
            Ok(Object::String(t, _)) => decode_text(t),
            _ => String::new(),
        };
        let name = match (parent.is_empty(), own.is_empty()) {
            (true, _) => own,
            (false, true) => parent.clone(),
            (false, false) => format!("{parent}.{own}"),
        };
        if let Ok(kids) = d.get(b"Kids")
            && let Some(Object::Array(k)) = resolve(doc, kids)
        {
            stack.extend(k.iter().map(|x| (x, name.clone(), depth + 1)));
        }
        let is_sig = matches!(d.get(b"FT"), Ok(Object::Name(n)) if n == b"Sig");
        if !is_sig {
            continue;
        }
        let Some(Object::Dictionary(v)) = d.get(b"V").ok().and_then(|v| resolve(doc, v)) else {
            continue; // unsigned signature field
        };
        let byte_range = match v.get(b"ByteRange").ok().and_then(|b| resolve(doc, b)) {
            Some(Object::Array(a)) => a.iter().map(|x| x.as_i64().ok()).collect(),
            _ => None,
        };
        let time = match v.get(b"M") {
            Ok(Object::String(s, _)) => Some(decode_text(s)),
            _ => None,
        };
        out.push(SigField {
            name,
            byte_range,
            time,
        });
    }
    out.reverse();
    out
}

/// Validated `/ByteRange` offsets: (gap start, gap end, covered end).
fn check_byte_range(br: &[i64], len: usize) -> Result<(usize, usize, usize), String> {
    let [a, b, c, d] = br else {
        return Err("/ByteRange does not have four numbers".into());
    };
    let conv = |x: i64| usize::try_from(x).map_err(|_| "negative /ByteRange value".to_string());
    let (a, b, c, d) = (conv(*a)?, conv(*b)?, conv(*c)?, conv(*d)?);
    if a != 0 {
        return Err("/ByteRange does not start at 0".into());
    }
    let end = c.checked_add(d).ok_or("/ByteRange overflows")?;
    if b < 1 || c <= b + 1 || end > len {
        return Err("/ByteRange points outside the file".into());
    }
    Ok((b, c, end))
}

fn only_whitespace(b: &[u8]) -> bool {
    b.iter().all(|c| c.is_ascii_whitespace() || *c == 0)
}

fn dict_without<'a>(o: &'a Object, keys: &[&[u8]]) -> Option<Vec<(&'a [u8], &'a Object)>> {
    let d = o.as_dict().ok()?;
    let mut v: Vec<(&[u8], &Object)> = d
        .iter()
        .filter(|(k, _)| !keys.contains(&k.as_slice()))
        .map(|(k, v)| (k.as_slice(), v))
        .collect();
    v.sort_by(|x, y| x.0.cmp(y.0));
    Some(v)
}

fn name_is(o: &Object, key: &[u8], value: &[u8]) -> bool {
    let d = match o {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        _ => return false,
    };
    matches!(d.get(key), Ok(Object::Name(n)) if n == value)
}

/// Whether every object changed between `before` and `after` belongs to adding signatures.
fn only_signature_changes(before: &Document, after: &Document) -> Result<(), String> {
    let root = after
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .ok();
    let acro_ref: Option<ObjectId> = root
        .and_then(|r| after.get_dictionary(r).ok())
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|a| a.as_reference().ok());
    for (id, obj) in &after.objects {
        let old = before.objects.get(id);
        if old == Some(obj) {
            continue;
        }
        if name_is(obj, b"Type", b"XRef") || name_is(obj, b"Type", b"ObjStm") {
            continue;
        }
        if old.is_none() && (name_is(obj, b"Type", b"Sig") || name_is(obj, b"FT", b"Sig")) {
            continue;
        }
        let Some(old) = old else {
            return Err(format!("object {} {} was added", id.0, id.1));
        };
        let allowed: &[&[u8]] = if Some(*id) == root {
            &[b"AcroForm"]
        } else if Some(*id) == acro_ref {
            &[b"Fields", b"SigFlags"]
        } else if name_is(obj, b"Type", b"Page") {
            &[b"Annots"]
        } else {
            &[]
        };
        if allowed.is_empty() || dict_without(old, allowed) != dict_without(obj, allowed) {
            return Err(format!("object {} {} was changed", id.0, id.1));
        }
    }
    Ok(())
}

fn verify_pdf(bytes: &[u8], opts: &VerifyOptions) -> VerifyReport {
    let doc = match pades::load(bytes) {
        Ok(d) => d,
        Err(e) => return VerifyReport::could_not_check(FileKind::Pdf, e.to_string()),
    };
    let fields = signature_fields(&doc);
    if fields.is_empty() {
        return VerifyReport::invalid(FileKind::Pdf, "the PDF has no signature");
    }
    let len = bytes.len();
    let mut reports = Vec::new();
    let mut ends = Vec::new();
    for f in fields {
        let mut r = SignatureReport {
            field: f.name.clone(),
            signer: None,
            signer_subject: None,
            signer_issuer: None,
            signing_time: f.time.clone(),
            fingerprint_sha256: None,
            algorithm: None,
            digest_ok: false,
            signature_ok: false,
            signing_certificate_ok: false,
            covers_revision: false,
            after_signing: AfterSigning::OtherModifications,
            trusted: None,
            cert_not_before: None,
            cert_not_after: None,
            cert_at_signing: None,
            key_usage_ok: None,
            valid: false,
            problems: Vec::new(),
        };
        let range = f
            .byte_range
            .as_deref()
            .ok_or_else(|| "no readable /ByteRange".to_string())
            .and_then(|br| check_byte_range(br, len));
        let (b, c, end) = match range {
            Ok(x) => x,
            Err(e) => {
                r.problems.push(e);
                reports.push(r);
                ends.push(None);
                continue;
            }
        };
        if bytes[b] != b'<' || bytes[c - 1] != b'>' {
            r.problems
                .push("/ByteRange gap is not exactly the /Contents string".into());
            reports.push(r);
            ends.push(None);
            continue;
        }
        let gap = &bytes[b + 1..c - 1];
        if gap.len() > MAX_CONTENTS_HEX {
            r.problems.push(format!(
                "/Contents is too large ({} bytes of hex)",
                gap.len()
            ));
            reports.push(r);
            ends.push(None);
            continue;
        }
        let hex_digits: Vec<u8> = gap
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let cms_der = match hex::decode(&hex_digits) {
            Ok(d) => d,
            Err(_) => {
                r.problems.push("/Contents is not a hex string".into());
                reports.push(r);
                ends.push(None);
                continue;
            }
        };
        let mut h = Sha256::new();
        h.update(&bytes[..b]);
        h.update(&bytes[c..end]);
        let digest = h.finalize();
        let check = match verify_detached_digest(&cms_der, &digest) {
            Ok(c) => c,
            Err(e) => {
                r.problems.push(format!("unreadable CMS signature: {e}"));
                reports.push(r);
                ends.push(None);
                continue;
            }
        };
        let mut full = report_from_check(f.name.clone(), check, opts);
        full.signing_time = f.time.clone();
        check_validity_at_signing(&mut full);
        // A revision ends with %%EOF (plus an optional end-of-line).
        let before_end = &bytes[end.saturating_sub(8)..end];
        full.covers_revision = before_end.windows(5).any(|w| w == b"%%EOF");
        if !full.covers_revision {
            full.problems
                .push("the signature does not cover its whole revision".into());
        }
        reports.push(full);
        ends.push(Some(end));
    }

    // What was appended after each signature.
    let last_end = ends.iter().flatten().copied().max().unwrap_or(0);
    let tail_clean = only_whitespace(&bytes[last_end.min(len)..]);
    let last_doc = if tail_clean { Some(&doc) } else { None };
    let mut cache: Vec<(usize, Result<(), String>)> = Vec::new();
    for (r, end) in reports.iter_mut().zip(&ends) {
        let Some(end) = *end else { continue };
        r.after_signing = if only_whitespace(&bytes[end..]) {
            AfterSigning::Nothing
        } else if let Some(last) = last_doc {
            let res = match cache.iter().find(|(e, _)| *e == end) {
                Some((_, res)) => res.clone(),
                None => {
                    let res = std::panic::catch_unwind(|| Document::load_mem(&bytes[..end]))
                        .map_err(|_| "the signed revision cannot be read".to_string())
                        .and_then(|r| {
                            r.map_err(|e| format!("the signed revision cannot be read: {e}"))
                        })
                        .and_then(|before| only_signature_changes(&before, last));
                    cache.push((end, res.clone()));
                    res
                }
            };
            match res {
                Ok(()) => AfterSigning::LaterSignatures,
                Err(e) => {
                    r.problems.push(format!("modified after signing: {e}"));
                    AfterSigning::OtherModifications
                }
            }
        } else {
            r.problems
                .push("changes were appended after the last signature".into());
            AfterSigning::OtherModifications
        };
        if r.after_signing == AfterSigning::OtherModifications || !r.covers_revision {
            r.valid = false;
        }
    }
    let status = if reports.iter().all(|r| r.valid) {
        Status::Valid
    } else {
        Status::Invalid
    };
    VerifyReport {
        kind: FileKind::Pdf,
        status,
        signatures: reports,
        message: None,
        bundle_sha256: None,
    }
}

/// Reads trusted certificates from PEM (one or more) or DER bytes.
pub fn load_trust_certs(bytes: &[u8]) -> Result<Vec<Vec<u8>>, super::SignError> {
    use der::{Decode, Encode};
    if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        let certs = x509_cert::Certificate::load_pem_chain(bytes)
            .map_err(|e| super::SignError::Key(format!("trust certificate PEM: {e}")))?;
        return certs
            .iter()
            .map(|c| c.to_der().map_err(super::SignError::from))
            .collect();
    }
    let cert = x509_cert::Certificate::from_der(bytes)?;
    Ok(vec![cert.to_der()?])
}

/// Renders a PDF date (`D:YYYYMMDDHHmmSS...`) as `YYYY-MM-DD HH:mm:SS` plus its zone, if it
/// parses; otherwise returns it unchanged.
pub fn display_pdf_date(s: &str) -> String {
    match crate::outcome::parse_pdf_date_with_offset(s) {
        Some(t) if t.offset().local_minus_utc() == 0 => {
            t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
        }
        Some(t) => t.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::keystore::LocalSigner;
    use crate::pades::{SignOptions, sign_pdf};
    use chrono::{DateTime, Duration, Utc};
    use der::{Decode, Encode};
    use x509_cert::builder::{Builder, CertificateBuilder, Profile};
    use x509_cert::ext::pkix::{KeyUsage, KeyUsages};
    use x509_cert::name::Name;
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::spki::SubjectPublicKeyInfoOwned;
    use x509_cert::time::{Time, Validity};

    fn tiny_pdf() -> Vec<u8> {
        let objs = [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
        ];
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offs = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offs.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", objs.len() + 1).as_bytes(),
        );
        for o in offs {
            out.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
                objs.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn time(t: DateTime<Utc>) -> Time {
        Time::try_from(std::time::SystemTime::from(t)).unwrap()
    }

    /// A self-signed ECDSA signer valid from `nb` to `na`, with `usage` as key usage (or none).
    fn signer(nb: DateTime<Utc>, na: DateTime<Utc>, usage: Option<KeyUsage>) -> LocalSigner {
        use p256::pkcs8::{EncodePrivateKey, EncodePublicKey};
        let key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let spki_der = key.verifying_key().to_public_key_der().unwrap();
        let spki = SubjectPublicKeyInfoOwned::from_der(spki_der.as_bytes()).unwrap();
        let validity = Validity {
            not_before: time(nb),
            not_after: time(na),
        };
        let subject: Name = "CN=Test Signer,O=Tenken Test".parse().unwrap();
        let mut b = CertificateBuilder::new(
            Profile::Manual { issuer: None },
            SerialNumber::from(7u32),
            validity,
            subject,
            spki,
            &key,
        )
        .unwrap();
        if let Some(u) = usage {
            b.add_extension(&u).unwrap();
        }
        let cert = b.build::<p256::ecdsa::DerSignature>().unwrap();
        LocalSigner::from_pkcs8(
            key.to_pkcs8_der().unwrap().as_bytes(),
            vec![cert.to_der().unwrap()],
        )
        .unwrap()
    }

    fn verify_signed_at(s: &LocalSigner, at: DateTime<Utc>) -> VerifyReport {
        let opts = SignOptions {
            time: Some(at),
            ..SignOptions::default()
        };
        verify_file(&sign_pdf(&tiny_pdf(), s, &opts).unwrap())
    }

    #[test]
    fn key_made_on_first_use_is_valid_for_a_signing_time_taken_before_it() {
        // `tenken report` takes its signing time when the run starts; on first use the key is
        // made later, after the scan.
        let started = Utc::now() - Duration::minutes(5);
        let s = crate::keystore::generate_self_signed("さくら内科クリニック").unwrap();
        let r = verify_signed_at(&s, started);
        let sig = &r.signatures[0];
        assert_eq!(
            sig.cert_at_signing,
            Some(CertValidityAtSigning::Valid),
            "{r:?}"
        );
        assert!(sig.problems.is_empty(), "{:?}", sig.problems);
    }

    #[test]
    fn certificate_valid_at_signing_with_signing_key_usage() {
        let now = Utc::now();
        let s = signer(
            now - Duration::days(1),
            now + Duration::days(365),
            Some(KeyUsage(
                KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
            )),
        );
        let r = verify_signed_at(&s, now);
        assert_eq!(r.status, Status::Valid, "{r:?}");
        let sig = &r.signatures[0];
        assert_eq!(sig.cert_at_signing, Some(CertValidityAtSigning::Valid));
        assert_eq!(sig.key_usage_ok, Some(true));
        assert!(sig.problems.is_empty(), "{:?}", sig.problems);
        let nb = sig.cert_not_before.as_deref().unwrap();
        let na = sig.cert_not_after.as_deref().unwrap();
        assert!(nb.starts_with(&(now - Duration::days(1)).format("%Y-%m-%d").to_string()));
        assert!(na.starts_with(&(now + Duration::days(365)).format("%Y-%m-%d").to_string()));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["signatures"][0]["cert_at_signing"], "valid");
        assert_eq!(json["signatures"][0]["cert_not_after"], na);
    }

    #[test]
    fn expired_at_signing_is_invalid() {
        let now = Utc::now();
        let s = signer(
            now - Duration::days(730),
            now - Duration::days(365),
            Some(KeyUsage(KeyUsages::DigitalSignature.into())),
        );
        let r = verify_signed_at(&s, now);
        assert_eq!(r.status, Status::Invalid);
        let sig = &r.signatures[0];
        assert_eq!(sig.cert_at_signing, Some(CertValidityAtSigning::Expired));
        assert!(sig.digest_ok && sig.signature_ok, "the bytes are intact");
        assert!(
            sig.problems.iter().any(|p| p.contains("expired")),
            "{:?}",
            sig.problems
        );
        // Signed while the certificate was valid: still valid after it expired.
        let r = verify_signed_at(&s, now - Duration::days(500));
        assert_eq!(r.status, Status::Valid, "{r:?}");
        assert_eq!(
            r.signatures[0].cert_at_signing,
            Some(CertValidityAtSigning::Valid)
        );
    }

    #[test]
    fn not_yet_valid_at_signing_is_listed() {
        let now = Utc::now();
        let s = signer(
            now + Duration::days(2),
            now + Duration::days(365),
            Some(KeyUsage(KeyUsages::NonRepudiation.into())),
        );
        let r = verify_signed_at(&s, now);
        let sig = &r.signatures[0];
        assert_eq!(
            sig.cert_at_signing,
            Some(CertValidityAtSigning::NotYetValid)
        );
        assert!(
            sig.problems.iter().any(|p| p.contains("not yet valid")),
            "{:?}",
            sig.problems
        );
        // nonRepudiation alone is a signing usage.
        assert_eq!(sig.key_usage_ok, Some(true));
    }

    #[test]
    fn key_usage_without_signing_is_invalid_and_absent_usage_is_fine() {
        let now = Utc::now();
        let (nb, na) = (now - Duration::days(1), now + Duration::days(30));
        let s = signer(
            nb,
            na,
            Some(KeyUsage(
                KeyUsages::KeyEncipherment | KeyUsages::KeyAgreement,
            )),
        );
        let r = verify_signed_at(&s, now);
        assert_eq!(r.status, Status::Invalid);
        let sig = &r.signatures[0];
        assert_eq!(sig.key_usage_ok, Some(false));
        assert!(sig.digest_ok && sig.signature_ok);
        assert!(
            sig.problems.iter().any(|p| p.contains("key usage")),
            "{:?}",
            sig.problems
        );

        let s = signer(nb, na, None);
        let r = verify_signed_at(&s, now);
        assert_eq!(r.status, Status::Valid, "{r:?}");
        assert_eq!(r.signatures[0].key_usage_ok, None);
    }

    #[test]
    fn pdf_dates_parse_with_zones() {
        let t = parse_pdf_date("D:20260401093000+09'00'").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-04-01T00:30:00+00:00");
        let t = parse_pdf_date("D:20260401093000Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-04-01T09:30:00+00:00");
        let t = parse_pdf_date("D:20260401093000-05'30").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-04-01T15:00:00+00:00");
        assert!(parse_pdf_date("D:2026").is_none());
        assert!(parse_pdf_date("D:20261301093000Z").is_none());
        assert_eq!(
            crate::outcome::pdf_date_rfc3339("D:20261124073015+09'00'").as_deref(),
            Some("2026-11-24T07:30:15+09:00")
        );
        assert_eq!(
            display_pdf_date("D:20261124073015+09'00'"),
            "2026-11-24 07:30:15 +09:00"
        );
        assert_eq!(
            display_pdf_date("D:20261123223015Z"),
            "2026-11-23 22:30:15 UTC"
        );
        assert_eq!(display_pdf_date("yesterday"), "yesterday");
    }
}
