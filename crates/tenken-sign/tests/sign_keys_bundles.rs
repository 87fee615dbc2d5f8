//! PKCS#12 import (RSA and ECDSA; legacy RC2/3DES and modern AES files made by `openssl pkcs12
//! -export`), signing with imported keys, and evidence-bundle signatures checked by `openssl cms`.
//! Needs `openssl poppler-utils qpdf python3-venv`; fails loudly when a tool is missing.
//!
//! Why this file is over 600 lines: integration tests of keys and bundle signatures with openssl and pyHanko fixtures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::*;
use tenken_evidence::{BUNDLE_FORMAT, Bundle, HostFacts};
use tenken_sign::bundle::{
    BundleVerdict, SignedBundle, sign_bundle, verify_bundle, verify_bundle_json,
};
use tenken_sign::keystore::{KeyPolicy, KeySource, KeyStore};
use tenken_sign::pades::{SignOptions, sign_pdf};
use tenken_sign::verify::{FileKind, Status, VerifyOptions, verify_file, verify_file_with};
use tenken_sign::{SigAlg, Signer};

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Makes key + self-signed certificate with openssl; returns (key.pem, cert.pem).
fn openssl_cert(dir: &Path, name: &str, ec: bool) -> (std::path::PathBuf, std::path::PathBuf) {
    let key = dir.join(format!("{name}.key"));
    let cert = dir.join(format!("{name}.crt"));
    let newkey = if ec { "ec" } else { "rsa:2048" };
    let mut args = vec!["req", "-x509", "-newkey", newkey];
    if ec {
        args.extend(["-pkeyopt", "ec_paramgen_curve:P-256"]);
    }
    let subj = format!("/CN={name}/O=Vendor KK");
    args.extend([
        "-nodes",
        "-keyout",
        p(&key),
        "-out",
        p(&cert),
        "-days",
        "365",
        "-subj",
        &subj,
        "-addext",
        "keyUsage=digitalSignature,nonRepudiation",
    ]);
    run_ok("openssl", &args);
    (key, cert)
}

/// A self-signed CA certificate as a real CA has it (basicConstraints CA:TRUE, keyUsage
/// keyCertSign), or with the given extensions instead.
fn openssl_ca(dir: &Path, name: &str, ext: &[&str]) -> (std::path::PathBuf, std::path::PathBuf) {
    let key = dir.join(format!("{name}.key"));
    let cert = dir.join(format!("{name}.crt"));
    let subj = format!("/CN={name}/O=Vendor KK");
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        p(&key),
        "-out",
        p(&cert),
        "-days",
        "365",
        "-subj",
        &subj,
    ];
    let default = [
        "basicConstraints=critical,CA:TRUE",
        "keyUsage=critical,keyCertSign,cRLSign",
    ];
    for e in if ext.is_empty() { &default[..] } else { ext } {
        args.extend(["-addext", e]);
    }
    run_ok("openssl", &args);
    (key, cert)
}

/// A leaf certificate for `cn` issued by the CA (`ca_key`, `ca_cert`), with signing key usage.
fn openssl_leaf(
    dir: &Path,
    cn: &str,
    ca_key: &Path,
    ca_cert: &Path,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let leaf_key = dir.join(format!("{cn}.key"));
    let csr = dir.join(format!("{cn}.csr"));
    let leaf_cert = dir.join(format!("{cn}.crt"));
    let ext = dir.join(format!("{cn}.cnf"));
    std::fs::write(
        &ext,
        "keyUsage=digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    let subj = format!("/CN={cn}/O=Vendor KK");
    run_ok(
        "openssl",
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            p(&leaf_key),
            "-out",
            p(&csr),
            "-subj",
            &subj,
        ],
    );
    run_ok(
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            p(&csr),
            "-CA",
            p(ca_cert),
            "-CAkey",
            p(ca_key),
            "-CAcreateserial",
            "-out",
            p(&leaf_cert),
            "-days",
            "365",
            "-extfile",
            p(&ext),
        ],
    );
    (leaf_key, leaf_cert)
}

fn export_p12(dir: &Path, name: &str, key: &Path, cert: &Path, extra: &[&str]) -> Vec<u8> {
    let out = dir.join(format!("{name}.p12"));
    let mut args = vec![
        "pkcs12",
        "-export",
        "-inkey",
        p(key),
        "-in",
        p(cert),
        "-out",
        p(&out),
        "-passout",
        "pass:秘密pass",
    ];
    args.extend(extra);
    run_ok("openssl", &args);
    std::fs::read(out).unwrap()
}

fn key_files(store: &KeyStore) -> Vec<Vec<u8>> {
    ["signing-cert.pem", "signing-key.pem", "signing-meta.json"]
        .iter()
        .map(|f| std::fs::read(store.dir().join(f)).unwrap())
        .collect()
}

#[test]
fn pkcs12_import_modern_and_legacy_rsa_and_ec() {
    let dir = tempfile::tempdir().unwrap();
    let (rsa_key, rsa_cert) = openssl_cert(dir.path(), "Vendor RSA", false);
    let (ec_key, ec_cert) = openssl_cert(dir.path(), "Vendor EC", true);
    let variants: Vec<(&str, Vec<u8>, SigAlg, &Path)> = vec![
        (
            "rsa-aes",
            export_p12(dir.path(), "rsa-aes", &rsa_key, &rsa_cert, &[]),
            SigAlg::RsaPkcs1Sha256,
            &rsa_cert,
        ),
        (
            "rsa-3des",
            export_p12(
                dir.path(),
                "rsa-3des",
                &rsa_key,
                &rsa_cert,
                &[
                    "-keypbe",
                    "PBE-SHA1-3DES",
                    "-certpbe",
                    "PBE-SHA1-3DES",
                    "-macalg",
                    "sha1",
                ],
            ),
            SigAlg::RsaPkcs1Sha256,
            &rsa_cert,
        ),
        (
            "rsa-rc2-legacy",
            export_p12(dir.path(), "rsa-legacy", &rsa_key, &rsa_cert, &["-legacy"]),
            SigAlg::RsaPkcs1Sha256,
            &rsa_cert,
        ),
        (
            "ec-aes",
            export_p12(dir.path(), "ec-aes", &ec_key, &ec_cert, &[]),
            SigAlg::EcdsaP256Sha256,
            &ec_cert,
        ),
        (
            "ec-legacy",
            export_p12(dir.path(), "ec-legacy", &ec_key, &ec_cert, &["-legacy"]),
            SigAlg::EcdsaP256Sha256,
            &ec_cert,
        ),
    ];
    for (label, p12, alg, cert) in variants {
        let data = tempfile::tempdir().unwrap();
        let store = KeyStore::open(data.path()).with_policy(KeyPolicy::File);
        store.generate("既存", false).unwrap();
        let before = key_files(&store);
        // Wrong password: clear error, nothing changed.
        let err = store.import_p12(&p12, "wrong").unwrap_err().to_string();
        assert!(err.contains("wrong password"), "{label}: {err}");
        assert_eq!(
            key_files(&store),
            before,
            "{label}: failed import changed the key"
        );
        // Garbage: clear error, nothing changed.
        assert!(store.import_p12(b"not a p12 file", "x").is_err());
        assert!(store.import_p12(&p12[..p12.len() / 2], "秘密pass").is_err());
        assert_eq!(key_files(&store), before);

        let info = store.import_p12(&p12, "秘密pass").unwrap();
        assert_eq!(info.source, KeySource::Imported, "{label}");
        assert_eq!(info.cert.algorithm, Some(alg), "{label}");
        assert!(
            info.cert.subject.contains("Vendor"),
            "{label}: {}",
            info.cert.subject
        );
        let signer = store.load().unwrap();
        assert_eq!(signer.algorithm(), alg);
        let pem_der = trust_of(cert);
        assert_eq!(signer.certificate_der(), pem_der[0].as_slice(), "{label}");

        // Sign a PDF with the imported key and check it everywhere.
        let signed = sign_pdf(
            &make_pdf(2, label.starts_with("ec")),
            &signer,
            &SignOptions::default(),
        )
        .unwrap();
        let path = write(data.path(), "signed.pdf", &signed);
        let out = pdfsig(&path);
        assert!(out.contains("Signature is Valid."), "{label} pdfsig: {out}");
        let (ok, out) = pyhanko_validate(&path, &[cert]);
        assert!(
            ok && out.contains("INTACT:TRUSTED,UNTOUCHED"),
            "{label} pyhanko: {out}"
        );
        let r = verify_file_with(
            &signed,
            &VerifyOptions {
                trusted: pem_der,
                detached_signature: None,
            },
        );
        assert_eq!(r.status, Status::Valid, "{label}: {r:?}");
        assert_eq!(r.signatures[0].algorithm, Some(alg));
        assert_eq!(r.signatures[0].trusted, Some(true));
    }
}

#[test]
fn pkcs12_with_ca_chain_is_trusted_through_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (ca_key, ca_cert) = openssl_ca(d, "Vendor Root CA", &[]);
    let (leaf_key, leaf_cert) = openssl_leaf(d, "Engineer Suzuki", &ca_key, &ca_cert);
    let p12 = export_p12(
        d,
        "chain",
        &leaf_key,
        &leaf_cert,
        &["-certfile", p(&ca_cert)],
    );
    let data = tempfile::tempdir().unwrap();
    let store = KeyStore::open(data.path()).with_policy(KeyPolicy::File);
    let info = store.import_p12(&p12, "秘密pass").unwrap();
    assert_eq!(info.chain_len, 1);
    let signer = store.load().unwrap();
    let signed = sign_pdf(&make_pdf(1, false), &signer, &SignOptions::default()).unwrap();
    let r = verify_file_with(
        &signed,
        &VerifyOptions {
            trusted: trust_of(&ca_cert),
            detached_signature: None,
        },
    );
    assert_eq!(r.status, Status::Valid, "{r:?}");
    assert_eq!(r.signatures[0].trusted, Some(true));
    assert_eq!(r.signatures[0].signer.as_deref(), Some("Engineer Suzuki"));
    let (ok, out) = pyhanko_validate(&write(data.path(), "s.pdf", &signed), &[&ca_cert]);
    assert!(
        ok && out.contains("INTACT:TRUSTED,UNTOUCHED"),
        "pyhanko: {out}"
    );
    // A different CA is not trusted.
    let (_, other_ca) = openssl_cert(d, "Other CA", true);
    let r = verify_file_with(
        &signed,
        &VerifyOptions {
            trusted: trust_of(&other_ca),
            detached_signature: None,
        },
    );
    assert_eq!(r.status, Status::Invalid);
}

/// Synthesised bundle (no real scan).
fn sample_bundle() -> Bundle {
    Bundle {
        format: BUNDLE_FORMAT.into(),
        host: HostFacts {
            hostname: "受付PC".into(),
            os_family: "windows".into(),
            os_name: "Windows 11 Pro".into(),
            os_version: "23H2".into(),
            user: "clinic".into(),
            tool_version: tenken_base::VERSION.into(),
            ..Default::default()
        },
        started_at: "2026-11-23T10:00:00Z".parse().unwrap(),
        ended_at: "2026-11-23T10:01:30Z".parse().unwrap(),
        replayed: true,
        findings: Vec::new(),
    }
}

#[test]
fn bundle_detached_signature_verifies_with_openssl_and_tamper_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (signer, cert_pem) = self_signed(d, "バンドル医院");
    let bundle = sample_bundle();
    let signed = sign_bundle(&bundle, &signer).unwrap();
    let json = d.join("bundle.canonical.json");
    let p7s = signed.write_detached(&json).unwrap();
    assert_eq!(
        std::fs::read(&json).unwrap(),
        bundle.canonical_json().unwrap()
    );
    run_ok(
        "openssl",
        &[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-content",
            p(&json),
            "-in",
            p(&p7s),
            "-noverify",
            "-out",
            "/dev/null",
        ],
    );
    run_ok(
        "openssl",
        &[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-content",
            p(&json),
            "-in",
            p(&p7s),
            "-CAfile",
            p(&cert_pem),
            "-out",
            "/dev/null",
        ],
    );

    // Our verifier agrees, through verify_file with the sibling signature.
    let opts = VerifyOptions {
        trusted: trust_of(&cert_pem),
        detached_signature: Some(std::fs::read(&p7s).unwrap()),
    };
    let r = verify_file_with(&std::fs::read(&json).unwrap(), &opts);
    assert_eq!(r.status, Status::Valid, "{r:?}");
    assert_eq!(r.kind, FileKind::DetachedBundle);
    assert_eq!(
        r.bundle_sha256.as_deref(),
        Some(bundle.sha256().unwrap().as_str())
    );

    // Tamper with the content: openssl and our verifier both reject it.
    let tampered = String::from_utf8(std::fs::read(&json).unwrap())
        .unwrap()
        .replace("受付PC", "診察PC");
    let bad = d.join("tampered.json");
    std::fs::write(&bad, &tampered).unwrap();
    let (ok, out) = run(
        "openssl",
        &[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-content",
            p(&bad),
            "-in",
            p(&p7s),
            "-noverify",
            "-out",
            "/dev/null",
        ],
    );
    assert!(!ok, "openssl accepted a tampered bundle: {out}");
    let v = verify_bundle_json(
        tampered.as_bytes(),
        Some(&std::fs::read(&p7s).unwrap()),
        &[],
    );
    assert!(matches!(v, BundleVerdict::Tampered { .. }), "{v:?}");
    // The content intact but the .p7s damaged where it still parses (the last byte of the
    // signature value): a bad signature, not a changed content (issue 14: never called 改ざん).
    let mut damaged = std::fs::read(&p7s).unwrap();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x01;
    let v = verify_bundle_json(&std::fs::read(&json).unwrap(), Some(&damaged), &[]);
    assert!(matches!(v, BundleVerdict::BadSignature { .. }), "{v:?}");
    // Both changed: the content change is what is reported.
    let v = verify_bundle_json(tampered.as_bytes(), Some(&damaged), &[]);
    assert!(matches!(v, BundleVerdict::Tampered { .. }), "{v:?}");
    // Pretty-printed (non-canonical) form of the same bundle still verifies: the signature is over
    // the canonical JSON.
    let pretty = serde_json::to_vec_pretty(&bundle).unwrap();
    let v = verify_bundle_json(&pretty, Some(&std::fs::read(&p7s).unwrap()), &[]);
    assert!(matches!(v, BundleVerdict::Valid { .. }), "{v:?}");
}

#[test]
fn signed_bundle_envelope_round_trip_tamper_and_trust() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (signer, cert_pem) = self_signed(d, "封筒医院");
    let bundle = sample_bundle();
    let signed = sign_bundle(&bundle, &signer).unwrap();
    let path = d.join("bundle.signed.json");
    signed.write(&path).unwrap();
    let read = SignedBundle::read(&path).unwrap();
    assert_eq!(read, signed);
    let fp = tenken_sign::fingerprint(signer.certificate_der());
    assert_eq!(
        verify_bundle(&read, &trust_of(&cert_pem)),
        BundleVerdict::Valid {
            signer: "封筒医院".into(),
            fingerprint: fp.clone()
        }
    );
    let bytes = std::fs::read(&path).unwrap();
    let r = verify_file(&bytes);
    assert_eq!(r.status, Status::Valid);
    assert_eq!(r.kind, FileKind::SignedBundle);

    // Another signer's certificate as the only trust anchor.
    let other = tempfile::tempdir().unwrap();
    let (_, other_pem) = self_signed(other.path(), "他");
    assert!(matches!(
        verify_bundle(&read, &trust_of(&other_pem)),
        BundleVerdict::UntrustedSigner { .. }
    ));

    // Change one field inside the envelope.
    let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    v["bundle"]["host"]["hostname"] = "偽PC".into();
    let t = serde_json::to_vec(&v).unwrap();
    assert!(matches!(
        verify_bundle_json(&t, None, &[]),
        BundleVerdict::Tampered { .. }
    ));
    assert_eq!(verify_file(&t).status, Status::Invalid);
    // Add a field the struct does not know: still detected (verification uses the JSON as is).
    let mut v2: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    v2["bundle"]["extra"] = "x".into();
    assert!(matches!(
        verify_bundle_json(&serde_json::to_vec(&v2).unwrap(), None, &[]),
        BundleVerdict::Tampered { .. }
    ));
    // Unsigned and damaged signatures.
    let mut v3: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    v3["signature"] = serde_json::Value::Null;
    assert_eq!(
        verify_bundle_json(&serde_json::to_vec(&v3).unwrap(), None, &[]),
        BundleVerdict::Unsigned
    );
    assert_eq!(
        verify_file(&serde_json::to_vec(&v3).unwrap()).status,
        Status::Invalid
    );
    v3["signature"] = "AAAA".into();
    assert!(matches!(
        verify_bundle_json(&serde_json::to_vec(&v3).unwrap(), None, &[]),
        BundleVerdict::Malformed { .. }
    ));
    assert_eq!(
        verify_bundle_json(&serde_json::to_vec(&bundle).unwrap(), None, &[]),
        BundleVerdict::Unsigned
    );
    assert_eq!(verify_file(b"{ not json").status, Status::CouldNotCheck);
}

/// An in-memory stand-in for the OS key store.
#[derive(Default)]
struct MemoryStore(std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>);

impl tenken_sign::keystore::SecretStore for MemoryStore {
    fn name(&self) -> &'static str {
        "Memory"
    }
    fn set(&self, service: &str, account: &str, secret: &[u8]) -> Result<(), String> {
        self.0
            .lock()
            .unwrap()
            .insert(format!("{service}/{account}"), secret.to_vec());
        Ok(())
    }
    fn get(&self, service: &str, account: &str) -> Result<Vec<u8>, String> {
        self.0
            .lock()
            .unwrap()
            .get(&format!("{service}/{account}"))
            .cloned()
            .ok_or_else(|| "no entry".to_string())
    }
    fn delete(&self, service: &str, account: &str) -> Result<(), String> {
        self.0
            .lock()
            .unwrap()
            .remove(&format!("{service}/{account}"));
        Ok(())
    }
}

#[test]
fn imported_p12_follows_the_key_store_policy_and_replaces_the_old_entry() {
    use tenken_sign::keystore::KeyStorage;
    let dir = tempfile::tempdir().unwrap();
    let (rsa_key, rsa_cert) = openssl_cert(dir.path(), "Vendor RSA", false);
    let p12 = export_p12(dir.path(), "rsa-aes", &rsa_key, &rsa_cert, &[]);
    let data = tempfile::tempdir().unwrap();
    let mem = std::sync::Arc::new(MemoryStore::default());
    let store = KeyStore::open(data.path())
        .with_policy(KeyPolicy::Os)
        .with_secret_store(mem.clone());
    let generated = store.generate("自己署名", false).unwrap();
    assert_eq!(generated.storage, KeyStorage::OsKeystore);
    let before: Vec<String> = mem.0.lock().unwrap().keys().cloned().collect();
    assert_eq!(before.len(), 1);
    // A wrong password changes nothing, in the store either.
    assert!(store.import_p12(&p12, "wrong").is_err());
    assert_eq!(
        mem.0.lock().unwrap().keys().cloned().collect::<Vec<_>>(),
        before
    );
    let info = store.import_p12(&p12, "秘密pass").unwrap();
    assert_eq!(info.source, KeySource::Imported);
    assert_eq!(info.storage, KeyStorage::OsKeystore);
    let entry = info.keystore_entry.unwrap();
    let now: Vec<String> = mem.0.lock().unwrap().keys().cloned().collect();
    assert_eq!(
        now,
        vec![format!("tenken/{}", entry.account)],
        "old entry removed"
    );
    assert!(!store.dir().join("signing-key.pem").exists());
    let signer = store.load().unwrap();
    assert_eq!(signer.algorithm(), SigAlg::RsaPkcs1Sha256);
    assert_eq!(signer.certificate_der(), trust_of(&rsa_cert)[0].as_slice());
}

/// A certificate that is not a CA (basicConstraints CA:FALSE, or a keyUsage without
/// keyCertSign) vouches for nobody: a leaf it signed is not trusted through it, even when the
/// person trusted that certificate; a real CA's leaf is.
#[test]
fn only_a_real_ca_makes_its_leaf_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: [(&str, &[&str], bool); 3] = [
        ("Real CA", &[], true),
        ("Not a CA", &["basicConstraints=critical,CA:FALSE"], false),
        (
            "CA without keyCertSign",
            &[
                "basicConstraints=critical,CA:TRUE",
                "keyUsage=critical,digitalSignature,nonRepudiation",
            ],
            false,
        ),
    ];
    for (name, ext, trusted) in cases {
        let (ca_key, ca_cert) = openssl_ca(d, name, ext);
        let (leaf_key, leaf_cert) = openssl_leaf(d, &format!("{name} leaf"), &ca_key, &ca_cert);
        let p12 = export_p12(d, name, &leaf_key, &leaf_cert, &["-certfile", p(&ca_cert)]);
        let data = tempfile::tempdir().unwrap();
        let store = KeyStore::open(data.path()).with_policy(KeyPolicy::File);
        store.import_p12(&p12, "秘密pass").unwrap();
        let signer = store.load().unwrap();
        let signed = sign_pdf(&make_pdf(1, false), &signer, &SignOptions::default()).unwrap();
        let r = verify_file_with(
            &signed,
            &VerifyOptions {
                trusted: trust_of(&ca_cert),
                detached_signature: None,
            },
        );
        assert_eq!(r.signatures[0].trusted, Some(trusted), "{name}: {r:?}");
        assert_eq!(r.status == Status::Valid, trusted, "{name}: {:?}", r.status);
    }
}
