//! CMS SignedData (RFC 5652) for detached signatures, with the attributes PAdES B-B and CAdES
//! need: content-type, message-digest and ESS signing-certificate-v2 (RFC 5035).

use cms::cert::IssuerAndSerialNumber;
use cms::cert::x509::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

use super::{SigAlg, SignError, Signer};

/// id-data.
pub const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
/// id-signedData.
pub const OID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// id-contentType attribute.
pub const OID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// id-messageDigest attribute.
pub const OID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// id-aa-signingCertificateV2 attribute.
pub const OID_SIGNING_CERT_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// SHA-256.
pub const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// ecdsa-with-SHA256.
pub const OID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// id-ecPublicKey.
pub const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// prime256v1 / secp256r1.
pub const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// rsaEncryption.
pub const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// sha256WithRSAEncryption.
pub const OID_RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// commonName.
pub const OID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
/// organizationName.
pub const OID_O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");

/// ESS `IssuerSerial`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct IssuerSerial {
    /// Issuer as general names.
    pub issuer: Vec<GeneralName>,
    /// Serial number.
    pub serial_number: SerialNumber,
}

/// ESS `ESSCertIDv2` (hash algorithm omitted = SHA-256, the DER default).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// Hash algorithm; absent means SHA-256.
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    /// Hash of the certificate.
    pub cert_hash: OctetString,
    /// Issuer and serial of the certificate.
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// ESS `SigningCertificateV2` (policies omitted).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    /// Certificate identifiers; the first is the signer's.
    pub certs: Vec<EssCertIdV2>,
}

fn alg(oid: ObjectIdentifier, null_params: bool) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: if null_params { Some(Any::null()) } else { None },
    }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SignError> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value])?,
    })
}

/// Builds a DER `ContentInfo(SignedData)` detached signature over content whose SHA-256 is
/// `content_digest`.
pub fn sign_detached_digest(
    content_digest: &[u8],
    signer: &dyn Signer,
) -> Result<Vec<u8>, SignError> {
    let cert_der = signer.certificate_der();
    let cert = Certificate::from_der(cert_der)?;
    let tbs = &cert.tbs_certificate;

    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(cert_der).to_vec())?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer.clone())],
                serial_number: tbs.serial_number.clone(),
            }),
        }],
    };
    let attrs = vec![
        attribute(OID_CONTENT_TYPE, Any::encode_from(&OID_DATA)?)?,
        attribute(
            OID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(content_digest.to_vec())?)?,
        )?,
        attribute(OID_SIGNING_CERT_V2, Any::encode_from(&ess)?)?,
    ];
    // SetOfVec::try_from sorts by DER encoding, as DER requires for SET OF.
    let signed_attrs: SetOfVec<Attribute> = SetOfVec::try_from(attrs)?;
    let to_sign = signed_attrs.to_der()?;
    let signature = signer.sign(&to_sign)?;

    let signature_algorithm = match signer.algorithm() {
        SigAlg::EcdsaP256Sha256 => alg(OID_ECDSA_SHA256, false),
        SigAlg::RsaPkcs1Sha256 => alg(OID_RSA_SHA256, true),
    };
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer.clone(),
            serial_number: tbs.serial_number.clone(),
        }),
        digest_alg: alg(OID_SHA256, false),
        signed_attrs: Some(signed_attrs),
        signature_algorithm,
        signature: OctetString::new(signature)?,
        unsigned_attrs: None,
    };
    let mut certs = vec![cms::cert::CertificateChoices::Certificate(cert.clone())];
    for c in signer.chain() {
        certs.push(cms::cert::CertificateChoices::Certificate(
            Certificate::from_der(&c)?,
        ));
    }
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![alg(OID_SHA256, false)])?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: OID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet::try_from(certs)?),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer_info])?,
    };
    let ci = ContentInfo {
        content_type: OID_SIGNED_DATA,
        content: Any::encode_from(&signed_data)?,
    };
    Ok(ci.to_der()?)
}

/// Builds a detached signature over `content`.
pub fn sign_detached(content: &[u8], signer: &dyn Signer) -> Result<Vec<u8>, SignError> {
    sign_detached_digest(&Sha256::digest(content), signer)
}

/// Public-key algorithm of a subject public key, if supported.
pub fn key_algorithm(spki: &SubjectPublicKeyInfoOwned) -> Option<SigAlg> {
    if spki.algorithm.oid == OID_RSA {
        return Some(SigAlg::RsaPkcs1Sha256);
    }
    if spki.algorithm.oid == OID_EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        if curve == Some(OID_P256) {
            return Some(SigAlg::EcdsaP256Sha256);
        }
    }
    None
}

/// Decodes a directory-string value (UTF8String, PrintableString, ...) to text.
pub fn any_to_string(value: &Any) -> Option<String> {
    if let Ok(s) = value.decode_as::<der::asn1::Utf8StringRef<'_>>() {
        return Some(s.as_str().to_string());
    }
    if let Ok(s) = value.decode_as::<der::asn1::PrintableStringRef<'_>>() {
        return Some(s.as_str().to_string());
    }
    if let Ok(s) = value.decode_as::<der::asn1::Ia5StringRef<'_>>() {
        return Some(s.as_str().to_string());
    }
    std::str::from_utf8(value.value()).ok().map(str::to_string)
}

/// Verifies `signature` over `message` with the public key of `spki`.
pub fn verify_raw(spki: &SubjectPublicKeyInfoOwned, message: &[u8], signature: &[u8]) -> bool {
    match key_algorithm(spki) {
        Some(SigAlg::EcdsaP256Sha256) => {
            use p256::ecdsa::signature::Verifier;
            let Some(point) = spki.subject_public_key.as_bytes() else {
                return false;
            };
            let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return false;
            };
            let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
                return false;
            };
            key.verify(message, &sig).is_ok()
        }
        Some(SigAlg::RsaPkcs1Sha256) => {
            use rsa::pkcs8::DecodePublicKey;
            use rsa::signature::Verifier;
            let Ok(spki_der) = spki.to_der() else {
                return false;
            };
            let Ok(key) = rsa::RsaPublicKey::from_public_key_der(&spki_der) else {
                return false;
            };
            let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key);
            let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
                return false;
            };
            vk.verify(message, &sig).is_ok()
        }
        None => false,
    }
}

/// What checking one CMS signature found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CmsCheck {
    /// DER of the signer's certificate, if found in the CMS.
    #[serde(skip)]
    pub signer_cert: Option<Vec<u8>>,
    /// DER of the other certificates carried in the CMS.
    #[serde(skip)]
    pub other_certs: Vec<Vec<u8>>,
    /// The message-digest attribute matches the content.
    pub digest_ok: bool,
    /// The signature over the signed attributes verifies with the signer's key.
    pub signature_ok: bool,
    /// The ESS signing-certificate-v2 attribute is present and names the signer's certificate.
    pub signing_certificate_ok: bool,
    /// Problems found, in English (for logs and --json).
    pub problems: Vec<String>,
}

fn find_attr(attrs: &SetOfVec<Attribute>, oid: ObjectIdentifier) -> Option<&Any> {
    attrs
        .iter()
        .find(|a| a.oid == oid)
        .and_then(|a| a.values.iter().next())
}

/// Checks a DER `ContentInfo(SignedData)` detached signature against the content's SHA-256.
/// Returns an error only if the CMS cannot be parsed at all.
pub fn verify_detached_digest(
    cms_der: &[u8],
    content_digest: &[u8],
) -> Result<CmsCheck, SignError> {
    // Reads the first TLV only: PDF /Contents are zero-padded after the DER.
    let mut reader = der::SliceReader::new(cms_der)?;
    let ci = ContentInfo::decode(&mut reader)?;
    if ci.content_type != OID_SIGNED_DATA {
        return Err(SignError::Der("not a CMS SignedData".into()));
    }
    let sd: SignedData = ci.content.decode_as()?;
    let mut out = CmsCheck::default();
    let certs: Vec<Certificate> = sd
        .certificates
        .as_ref()
        .map(|s| {
            s.0.iter()
                .filter_map(|c| match c {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(si) = sd.signer_infos.0.iter().next() else {
        out.problems.push("no SignerInfo".into());
        return Ok(out);
    };
    if sd.signer_infos.0.len() > 1 {
        out.problems
            .push("more than one SignerInfo; only the first is checked".into());
    }
    let signer_cert = certs.iter().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            c.tbs_certificate.issuer == ias.issuer
                && c.tbs_certificate.serial_number == ias.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(_) => false,
    });
    let Some(signer_cert) = signer_cert else {
        out.problems
            .push("the signer's certificate is not in the signature".into());
        return Ok(out);
    };
    let signer_der = signer_cert.to_der()?;
    out.other_certs = certs
        .iter()
        .filter(|c| *c != signer_cert)
        .filter_map(|c| c.to_der().ok())
        .collect();
    if si.digest_alg.oid != OID_SHA256 {
        out.problems.push(format!(
            "unsupported digest algorithm {}",
            si.digest_alg.oid
        ));
        out.signer_cert = Some(signer_der);
        return Ok(out);
    }
    // SignedData lists the digest algorithms its signers use (RFC 5652 5.1); that list is not
    // covered by the signature, so a list that does not name the signer's algorithm means the
    // signature data was altered after signing.
    if !sd
        .digest_algorithms
        .iter()
        .any(|a| a.oid == si.digest_alg.oid)
    {
        out.problems.push(
            "the signature's list of digest algorithms does not name its signer's (the signature data was altered)"
                .into(),
        );
        out.signer_cert = Some(signer_der);
        return Ok(out);
    }
    let Some(attrs) = &si.signed_attrs else {
        out.problems.push("no signed attributes".into());
        out.signer_cert = Some(signer_der);
        return Ok(out);
    };
    match find_attr(attrs, OID_MESSAGE_DIGEST).and_then(|v| v.decode_as::<OctetString>().ok()) {
        Some(md) if md.as_bytes() == content_digest => out.digest_ok = true,
        Some(_) => out
            .problems
            .push("message digest does not match the signed content".into()),
        None => out.problems.push("no message-digest attribute".into()),
    }
    match find_attr(attrs, OID_SIGNING_CERT_V2)
        .and_then(|v| v.decode_as::<SigningCertificateV2>().ok())
    {
        Some(sc) => {
            let first = sc.certs.first();
            let alg_ok = first
                .map(|c| {
                    c.hash_algorithm
                        .as_ref()
                        .is_none_or(|a| a.oid == OID_SHA256)
                })
                .unwrap_or(false);
            let hash_ok = first
                .map(|c| c.cert_hash.as_bytes() == Sha256::digest(&signer_der).as_slice())
                .unwrap_or(false);
            if alg_ok && hash_ok {
                out.signing_certificate_ok = true;
            } else {
                out.problems
                    .push("signing-certificate-v2 does not match the signer's certificate".into());
            }
        }
        None => out
            .problems
            .push("no (readable) signing-certificate-v2 attribute".into()),
    }
    let signed_attrs_der = attrs.to_der()?;
    out.signature_ok = verify_raw(
        &signer_cert.tbs_certificate.subject_public_key_info,
        &signed_attrs_der,
        si.signature.as_bytes(),
    );
    if !out.signature_ok {
        out.problems
            .push("the signature does not verify with the signer's key".into());
    }
    out.signer_cert = Some(signer_der);
    Ok(out)
}

/// Whether `issuer` may issue certificates at all (RFC 5280): its basicConstraints says it is a
/// CA (4.2.1.9) and, when it has a keyUsage, that usage includes keyCertSign (4.2.1.3). A
/// trusted end-entity certificate (a vendor's own self-signed one) is trusted itself but vouches
/// for nobody else.
fn may_issue(issuer: &Certificate) -> bool {
    use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
    let is_ca = matches!(
        issuer.tbs_certificate.get::<BasicConstraints>(),
        Ok(Some((_, bc))) if bc.ca
    );
    let usage_ok = match issuer.tbs_certificate.get::<KeyUsage>() {
        Ok(None) => true,
        Ok(Some((_, ku))) => ku.key_cert_sign(),
        Err(_) => false,
    };
    is_ca && usage_ok
}

/// Whether `issuer` was valid when it issued `cert` (the chain model for signatures: each
/// certificate's start of validity lies within its issuer's validity period). An expired or
/// not-yet-valid CA vouches for nothing it issued outside its own period.
fn issued_while_valid(issuer: &Certificate, cert: &Certificate) -> bool {
    let v = &issuer.tbs_certificate.validity;
    let at = cert.tbs_certificate.validity.not_before.to_unix_duration();
    v.not_before.to_unix_duration() <= at && at <= v.not_after.to_unix_duration()
}

/// Whether `cert_der` is one of `trusted`, or chains to one of them through the certificates
/// it carries, each link signed by a certificate that may issue certificates ([`may_issue`])
/// and was valid when it issued the link ([`issued_while_valid`]).
pub fn is_trusted(cert_der: &[u8], chain: &[Vec<u8>], trusted: &[Vec<u8>]) -> bool {
    if trusted.iter().any(|t| t.as_slice() == cert_der) {
        return true;
    }
    let Ok(cert) = Certificate::from_der(cert_der) else {
        return false;
    };
    // Walk up through the carried chain to a trusted certificate (at most 8 steps).
    let mut current = cert;
    for _ in 0..8 {
        let Ok(tbs_der) = current.tbs_certificate.to_der() else {
            return false;
        };
        let Some(sig) = current.signature.as_bytes() else {
            return false;
        };
        for t in trusted {
            if let Ok(tc) = Certificate::from_der(t)
                && tc.tbs_certificate.subject == current.tbs_certificate.issuer
                && may_issue(&tc)
                && issued_while_valid(&tc, &current)
                && verify_raw(&tc.tbs_certificate.subject_public_key_info, &tbs_der, sig)
            {
                return true;
            }
        }
        let parent = chain
            .iter()
            .filter_map(|c| Certificate::from_der(c).ok())
            .find(|c| {
                c.tbs_certificate.subject == current.tbs_certificate.issuer
                    && c.tbs_certificate.subject != current.tbs_certificate.subject
                    && may_issue(c)
                    && issued_while_valid(c, &current)
                    && verify_raw(&c.tbs_certificate.subject_public_key_info, &tbs_der, sig)
            });
        match parent {
            Some(p) => current = p,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod chain_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::time::{Duration, SystemTime};
    use x509_cert::builder::{Builder, CertificateBuilder, Profile};
    use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
    use x509_cert::name::Name;
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::spki::SubjectPublicKeyInfoOwned;
    use x509_cert::time::{Time, Validity};

    const DAY: u64 = 24 * 3600;

    fn validity(from_days_ago: u64, to_days_ago: i64) -> Validity {
        let now = SystemTime::now();
        let end = if to_days_ago >= 0 {
            now - Duration::from_secs(to_days_ago as u64 * DAY)
        } else {
            now + Duration::from_secs((-to_days_ago) as u64 * DAY)
        };
        Validity {
            not_before: Time::try_from(now - Duration::from_secs(from_days_ago * DAY)).unwrap(),
            not_after: Time::try_from(end).unwrap(),
        }
    }

    fn spki(key: &p256::ecdsa::SigningKey) -> SubjectPublicKeyInfoOwned {
        use p256::pkcs8::EncodePublicKey;
        SubjectPublicKeyInfoOwned::from_der(
            key.verifying_key().to_public_key_der().unwrap().as_bytes(),
        )
        .unwrap()
    }

    /// A CA valid over `ca_validity`, and a leaf it signs valid from yesterday.
    fn chain(ca_validity: Validity) -> (Vec<u8>, Vec<u8>) {
        let ca_key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let ca_name: Name = "CN=Vendor CA,O=Vendor KK".parse().unwrap();
        let mut ca = CertificateBuilder::new(
            Profile::Manual { issuer: None },
            SerialNumber::new(&[1]).unwrap(),
            ca_validity,
            ca_name.clone(),
            spki(&ca_key),
            &ca_key,
        )
        .unwrap();
        ca.add_extension(&BasicConstraints {
            ca: true,
            path_len_constraint: None,
        })
        .unwrap();
        ca.add_extension(&KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign))
            .unwrap();
        let ca = ca.build::<p256::ecdsa::DerSignature>().unwrap();
        let leaf_key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let mut leaf = CertificateBuilder::new(
            Profile::Manual {
                issuer: Some(ca_name),
            },
            SerialNumber::new(&[2]).unwrap(),
            validity(1, -365),
            "CN=Leaf,O=Vendor KK".parse().unwrap(),
            spki(&leaf_key),
            &ca_key,
        )
        .unwrap();
        leaf.add_extension(&BasicConstraints {
            ca: false,
            path_len_constraint: None,
        })
        .unwrap();
        let leaf = leaf.build::<p256::ecdsa::DerSignature>().unwrap();
        (ca.to_der().unwrap(), leaf.to_der().unwrap())
    }

    #[test]
    fn a_ca_vouches_only_for_what_it_issued_while_valid() {
        // Valid for the last 30 days and the next year: trusted, directly and through the chain.
        let (ca, leaf) = chain(validity(30, -365));
        assert!(is_trusted(&leaf, &[], std::slice::from_ref(&ca)));
        let other = chain(validity(30, -365)).0;
        assert!(is_trusted(
            &leaf,
            std::slice::from_ref(&ca),
            &[other.clone(), ca.clone()]
        ));
        // Expired five days before the leaf was issued: it vouches for nothing.
        let (expired, leaf) = chain(validity(30, 5));
        assert!(!is_trusted(&leaf, &[], std::slice::from_ref(&expired)));
        // Not valid yet when the leaf was issued.
        let (late, leaf2) = {
            let now = SystemTime::now();
            let v = Validity {
                not_before: Time::try_from(now + Duration::from_secs(10 * DAY)).unwrap(),
                not_after: Time::try_from(now + Duration::from_secs(400 * DAY)).unwrap(),
            };
            chain(v)
        };
        assert!(!is_trusted(&leaf2, &[], std::slice::from_ref(&late)));
    }
}
