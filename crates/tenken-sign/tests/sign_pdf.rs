//! PAdES signing and verification, checked against third-party verifiers: poppler `pdfsig`,
//! pyHanko (installed into a virtualenv under `target/`) and `qpdf --check`.
//! Needs `poppler-utils qpdf openssl python3-venv`; fails loudly when a tool is missing.
//! All input PDFs are synthesised by the tests themselves (lopdf).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use lopdf::{Document, Object, Stream, dictionary};
use tenken_sign::keystore::{KeyPolicy, KeyStore};
use tenken_sign::pades::{SignOptions, XrefKind, last_startxref, sign_pdf, xref_kind};
use tenken_sign::verify::{AfterSigning, Status, VerifyOptions, verify_file, verify_file_with};
use tenken_sign::{SigAlg, Signer};

fn ja_opts() -> SignOptions {
    SignOptions {
        reason: Some("点検結果の証明".into()),
        location: Some("東京都".into()),
        name: None,
        field_name: None,
        time: None,
    }
}

fn assert_third_party_valid(
    dir: &std::path::Path,
    name: &str,
    pdf: &[u8],
    trust: &[&std::path::Path],
) {
    let path = write(dir, name, pdf);
    let out = pdfsig(&path);
    assert!(out.contains("Signature is Valid."), "pdfsig: {out}");
    assert!(!out.contains("Digest Mismatch"), "pdfsig: {out}");
    let (ok, out) = qpdf_check(&path);
    assert!(ok, "qpdf --check: {out}");
    let (ok, out) = pyhanko_validate(&path, trust);
    assert!(ok, "pyhanko: {out}");
    assert!(out.contains("INTACT:TRUSTED,UNTOUCHED"), "pyhanko: {out}");
}

#[test]
fn classic_xref_pdf_signs_and_verifies_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, cert_pem) = self_signed(dir.path(), "テスト医院");
    let pdf = make_pdf(3, false);
    assert_eq!(
        xref_kind(&pdf, last_startxref(&pdf).unwrap()),
        XrefKind::Table
    );
    let signed = sign_pdf(&pdf, &signer, &ja_opts()).unwrap();
    assert!(
        signed.starts_with(&pdf),
        "incremental update must keep the original bytes"
    );
    assert_eq!(
        xref_kind(&signed, last_startxref(&signed).unwrap()),
        XrefKind::Table
    );
    assert_third_party_valid(dir.path(), "signed.pdf", &signed, &[&cert_pem]);
    let out = pdfsig(&write(dir.path(), "signed.pdf", &signed));
    assert!(out.contains("Total document signed"), "pdfsig: {out}");
    assert!(out.contains("ETSI.CAdES.detached"), "pdfsig: {out}");
    // Japanese /Reason and /Location are UTF-16BE with BOM (read back with lopdf).
    assert_eq!(
        sig_dict_text(&signed, 0, b"Reason"),
        utf16be_bom("点検結果の証明")
    );
    assert_eq!(
        sig_dict_text(&signed, 0, b"Location"),
        utf16be_bom("東京都")
    );
    assert_eq!(
        sig_dict_text(&signed, 0, b"Name"),
        utf16be_bom("テスト医院")
    );

    let r = verify_file(&signed);
    assert_eq!(r.status, Status::Valid, "{r:?}");
    assert_eq!(r.signatures.len(), 1);
    let s = &r.signatures[0];
    assert_eq!(s.field, "Signature1");
    assert!(s.digest_ok && s.signature_ok && s.signing_certificate_ok && s.covers_revision);
    assert_eq!(s.after_signing, AfterSigning::Nothing);
    assert_eq!(s.signer.as_deref(), Some("テスト医院"));
    assert_eq!(s.algorithm, Some(SigAlg::EcdsaP256Sha256));
    assert_eq!(
        s.fingerprint_sha256.as_deref(),
        Some(tenken_sign::fingerprint(signer.certificate_der()).as_str())
    );
    assert!(
        s.signing_time
            .as_deref()
            .is_some_and(|t| t.starts_with("D:20"))
    );
    assert_eq!(s.trusted, None);

    // With trust anchors: the own certificate is trusted, another one is not.
    let own = trust_of(&cert_pem);
    let r = verify_file_with(
        &signed,
        &VerifyOptions {
            trusted: own,
            detached_signature: None,
        },
    );
    assert_eq!(r.status, Status::Valid);
    assert_eq!(r.signatures[0].trusted, Some(true));
    let other_dir = tempfile::tempdir().unwrap();
    let (_, other_pem) = self_signed(other_dir.path(), "他の医院");
    let r = verify_file_with(
        &signed,
        &VerifyOptions {
            trusted: trust_of(&other_pem),
            detached_signature: None,
        },
    );
    assert_eq!(r.status, Status::Invalid);
    assert_eq!(r.signatures[0].trusted, Some(false));
}

#[test]
fn xref_stream_pdf_signs_with_an_xref_stream() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, cert_pem) = self_signed(dir.path(), "Stream Clinic");
    let pdf = make_pdf(2, true);
    assert_eq!(
        xref_kind(&pdf, last_startxref(&pdf).unwrap()),
        XrefKind::Stream
    );
    let signed = sign_pdf(&pdf, &signer, &ja_opts()).unwrap();
    assert!(signed.starts_with(&pdf));
    assert_eq!(
        xref_kind(&signed, last_startxref(&signed).unwrap()),
        XrefKind::Stream
    );
    assert_third_party_valid(dir.path(), "signed-stream.pdf", &signed, &[&cert_pem]);
    assert_eq!(verify_file(&signed).status, Status::Valid);

    // Also a file whose object streams qpdf generated.
    let src = write(dir.path(), "plain.pdf", &make_pdf(2, false));
    let conv = dir.path().join("qpdf-objstm.pdf");
    run_ok(
        "qpdf",
        &[
            "--object-streams=generate",
            src.to_str().unwrap(),
            conv.to_str().unwrap(),
        ],
    );
    let pdf = std::fs::read(&conv).unwrap();
    assert_eq!(
        xref_kind(&pdf, last_startxref(&pdf).unwrap()),
        XrefKind::Stream
    );
    let signed = sign_pdf(&pdf, &signer, &SignOptions::default()).unwrap();
    assert_third_party_valid(dir.path(), "signed-qpdf.pdf", &signed, &[&cert_pem]);
    assert_eq!(verify_file(&signed).status, Status::Valid);
}

#[test]
fn flipped_bytes_in_signed_ranges_are_detected_by_all_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, cert_pem) = self_signed(dir.path(), "Flip");
    let pdf = make_pdf(2, false);
    let signed = sign_pdf(&pdf, &signer, &ja_opts()).unwrap();
    let text = find(&signed, b"Tenken test page 2").unwrap() + 13;
    let m_date = find(&signed, b"/M (D:").unwrap() + 8;
    let reason = find(&signed, b"/Reason <FEFF").unwrap() + 14;
    let xref_entry = rfind(&signed, b" 00000 n").unwrap() - 3;
    // (offset, also check with the external tools)
    let flips = [
        (text, true),
        (m_date, true),
        (reason, false),
        (xref_entry, false),
        (9, false),
    ];
    for (i, (at, external)) in flips.into_iter().enumerate() {
        let mut bad = signed.clone();
        bad[at] = if bad[at] == b'1' {
            b'2'
        } else if bad[at].is_ascii_digit() {
            b'1'
        } else {
            bad[at] ^ 0x01
        };
        let r = verify_file(&bad);
        assert_ne!(r.status, Status::Valid, "flip at {at}: {r:?}");
        if at != xref_entry && at != 9 {
            assert_eq!(r.status, Status::Invalid, "flip at {at}");
            assert!(!r.signatures[0].digest_ok, "flip at {at}");
        }
        if external {
            let path = write(dir.path(), &format!("flip{i}.pdf"), &bad);
            let out = pdfsig(&path);
            assert!(
                !out.contains("Signature is Valid."),
                "pdfsig flip at {at}: {out}"
            );
            let (_, out) = pyhanko_validate(&path, &[&cert_pem]);
            assert!(
                !out.contains("INTACT:TRUSTED,UNTOUCHED"),
                "pyhanko flip at {at}: {out}"
            );
            assert!(
                out.contains("INVALID") || out.contains("Error"),
                "pyhanko flip at {at}: {out}"
            );
        }
    }
}

#[test]
fn countersignature_keeps_the_first_signature_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (first, first_pem) = self_signed(dir.path(), "Clinic");
    let dir2 = tempfile::tempdir().unwrap();
    let (second, second_pem) = self_signed(dir2.path(), "Vendor");
    for stream in [false, true] {
        let pdf = make_pdf(2, stream);
        let once = sign_pdf(&pdf, &first, &ja_opts()).unwrap();
        let twice = sign_pdf(
            &once,
            &second,
            &SignOptions {
                reason: Some("確認".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(twice.starts_with(&once));
        let path = write(dir.path(), &format!("twice-{stream}.pdf"), &twice);
        let out = pdfsig(&path);
        assert_eq!(
            out.matches("Signature is Valid.").count(),
            2,
            "pdfsig: {out}"
        );
        let (ok, out) = qpdf_check(&path);
        assert!(ok, "qpdf: {out}");
        let (ok, out) = pyhanko_validate(&path, &[&first_pem, &second_pem]);
        assert!(ok, "pyhanko: {out}");
        assert!(!out.contains("INVALID"), "pyhanko: {out}");
        assert_eq!(out.matches("INTACT:TRUSTED").count(), 2, "pyhanko: {out}");

        let r = verify_file(&twice);
        assert_eq!(r.status, Status::Valid, "{r:?}");
        assert_eq!(r.signatures.len(), 2);
        let names: Vec<_> = r.signatures.iter().map(|s| s.field.as_str()).collect();
        assert_eq!(names, ["Signature1", "Signature2"]);
        assert_eq!(r.signatures[0].after_signing, AfterSigning::LaterSignatures);
        assert_eq!(r.signatures[1].after_signing, AfterSigning::Nothing);
        assert_eq!(r.signatures[1].signer.as_deref(), Some("Vendor"));
    }
}

#[test]
fn appended_modification_after_signing_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, _) = self_signed(dir.path(), "Mod");
    let pdf = make_pdf(2, false);
    let signed = sign_pdf(&pdf, &signer, &ja_opts()).unwrap();
    // Replace the text of page 1 in a new revision (an ordinary incremental update).
    let content_id = first_page_content_id(&signed);
    let body = "<</Length 44>>\nstream\nBT /F1 24 Tf 72 700 Td (Changed later!) Tj ET\nendstream";
    let modified = append_update(&signed, &[(content_id, body.to_string())]);
    let r = verify_file(&modified);
    assert_eq!(r.status, Status::Invalid, "{r:?}");
    let s = &r.signatures[0];
    assert!(
        s.digest_ok && s.signature_ok,
        "the signed revision itself is intact"
    );
    assert_eq!(s.after_signing, AfterSigning::OtherModifications);
    assert!(!s.valid);
    // pdfsig agrees that the document is no longer what was signed.
    let out = pdfsig(&write(dir.path(), "mod.pdf", &modified));
    assert!(!out.contains("Total document signed"), "pdfsig: {out}");

    // Adding a new unrelated object after a countersignature is also a modification.
    let twice = sign_pdf(&signed, &signer, &SignOptions::default()).unwrap();
    let extra = append_update(&twice, &[((9000, 0), "<</Junk true>>".to_string())]);
    let r = verify_file(&extra);
    assert_eq!(r.status, Status::Invalid);
    assert!(
        r.signatures
            .iter()
            .all(|s| s.after_signing == AfterSigning::OtherModifications)
    );
}

#[test]
fn hostile_pdfs_give_clear_errors_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, _) = self_signed(dir.path(), "Hostile");
    let signed = sign_pdf(&make_pdf(1, false), &signer, &SignOptions::default()).unwrap();

    // Garbage and empty input.
    for junk in [&b""[..], b"hello world", b"%PDF-1.7\n garbage \x00\xff"] {
        let r = verify_file(junk);
        assert_eq!(r.status, Status::CouldNotCheck, "{r:?}");
        assert!(r.message.is_some());
        assert!(sign_pdf(junk, &signer, &SignOptions::default()).is_err());
    }
    // Truncated at many points.
    for cut in [
        10,
        signed.len() / 3,
        signed.len() / 2,
        signed.len() - 200,
        signed.len() - 5,
    ] {
        let r = verify_file(&signed[..cut]);
        assert_ne!(r.status, Status::Valid, "cut at {cut}");
    }
    // Unsigned PDF.
    let r = verify_file(&make_pdf(1, false));
    assert_eq!(r.status, Status::Invalid);
    assert!(r.message.as_deref().unwrap().contains("no signature"));

    // /ByteRange pointing outside the file (same width, so the file still parses).
    let br = find(&signed, b"/ByteRange [0 ").unwrap() + 14;
    let mut bad = signed.clone();
    bad[br..br + 10].copy_from_slice(b"9999999999");
    let r = verify_file(&bad);
    assert_ne!(r.status, Status::Valid);
    if r.status == Status::Invalid {
        assert!(
            r.signatures[0]
                .problems
                .iter()
                .any(|p| p.contains("ByteRange")),
            "{r:?}"
        );
    }

    // A signature dictionary with a huge /Contents.
    let huge = format!(
        "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange [0 10 20 10]/Contents <{}>>>",
        "0".repeat(6 * 1024 * 1024)
    );
    let base = make_pdf(1, false);
    let root = root_id(&base);
    let page = first_page_id(&base);
    let catalog = format!(
        "<</Type/Catalog/Pages {} 0 R/AcroForm <</Fields [9101 0 R]/SigFlags 3>>>>",
        pages_id(&base)
    );
    let widget = format!(
        "<</Type/Annot/Subtype/Widget/FT/Sig/T (Huge)/V 9100 0 R/Rect [0 0 0 0]/P {} 0 R>>",
        page.0
    );
    let hostile = append_update(
        &base,
        &[(root, catalog), ((9100, 0), huge), ((9101, 0), widget)],
    );
    let r = verify_file(&hostile);
    assert_eq!(r.status, Status::Invalid, "{:?}", r.message);
    assert!(!r.signatures[0].problems.is_empty());

    // Contents that is not CMS.
    let mut bad = signed.clone();
    let c = find(&bad, b"/Contents <").unwrap() + 11;
    bad[c..c + 8].copy_from_slice(b"DEADBEEF");
    let r = verify_file(&bad);
    assert_eq!(r.status, Status::Invalid);
}

#[test]
fn unique_field_names_and_japanese_name() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, _) = self_signed(dir.path(), "Names");
    let pdf = make_pdf(1, false);
    let opts = SignOptions {
        field_name: Some("点検者署名".into()),
        name: Some("山田 太郎".into()),
        ..ja_opts()
    };
    let once = sign_pdf(&pdf, &signer, &opts).unwrap();
    assert!(
        sign_pdf(&once, &signer, &opts).is_err(),
        "a duplicate field name must be refused"
    );
    let twice = sign_pdf(&once, &signer, &SignOptions::default()).unwrap();
    let r = verify_file(&twice);
    assert_eq!(r.status, Status::Valid);
    let names: Vec<_> = r.signatures.iter().map(|s| s.field.as_str()).collect();
    assert_eq!(names, ["点検者署名", "Signature1"]);
    let out = pdfsig(&write(dir.path(), "names.pdf", &twice));
    assert!(
        out.contains("Signature Field Name: 点検者署名"),
        "pdfsig: {out}"
    );
    assert_eq!(sig_dict_text(&twice, 0, b"Name"), utf16be_bom("山田 太郎"));
}

#[test]
fn store_signer_creates_key_on_first_use_and_refuses_loose_permissions() {
    let dir = tempfile::tempdir().unwrap();
    // The file back end (the OS key store has its own test in tenken-cli).
    let store = KeyStore::open(dir.path()).with_policy(KeyPolicy::File);
    assert!(!store.exists());
    let s1 = store.signer("初回医院").unwrap();
    assert!(store.exists());
    let s2 = store.signer("ignored").unwrap();
    assert_eq!(
        s1.certificate_der(),
        s2.certificate_der(),
        "the same key is reused"
    );
    let info = store.info().unwrap();
    assert!(info.cert.subject.contains("初回医院"));
    assert!(
        store.generate("x", false).is_err(),
        "generate without --force must refuse"
    );
    let info2 = store.generate("新しい", true).unwrap();
    assert_ne!(info.cert.fingerprint_sha256, info2.cert.fingerprint_sha256);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = store.dir().join("signing-key.pem");
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(store.dir()).unwrap().permissions().mode() & 0o777,
            0o700
        );
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.load().unwrap_err().to_string();
        assert!(err.contains("insecure permissions"), "{err}");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(store.dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(store.load().is_err());
        std::fs::set_permissions(store.dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(store.load().is_ok());
    }
}

/// Synthesised printpdf 0.12 document (what the report module produces), a few text pages.
fn printpdf_document(pages: usize) -> Vec<u8> {
    use printpdf::*;
    let mut doc = PdfDocument::new("Tenken signing test");
    let mut out = Vec::new();
    for i in 1..=pages {
        let ops = vec![
            Op::StartTextSection,
            Op::SetTextCursor {
                pos: Point::new(Mm(20.0), Mm(270.0)),
            },
            Op::SetFont {
                font: PdfFontHandle::Builtin(BuiltinFont::Helvetica),
                size: Pt(14.0),
            },
            Op::SetLineHeight { lh: Pt(18.0) },
            Op::ShowText {
                items: vec![TextItem::Text(format!(
                    "Evidence report page {i} of {pages}"
                ))],
            },
            Op::AddLineBreak,
            Op::ShowText {
                items: vec![TextItem::Text("Checklist item 1: OK".to_string())],
            },
            Op::EndTextSection,
        ];
        out.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    let mut warnings = Vec::new();
    doc.with_pages(out)
        .save(&PdfSaveOptions::default(), &mut warnings)
}

#[test]
fn printpdf_document_signs_and_countersigns() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, cert_pem) = self_signed(dir.path(), "レポート医院");
    let pdf = printpdf_document(3);
    let path = write(dir.path(), "unsigned.pdf", &pdf);
    let (ok, out) = qpdf_check(&path);
    assert!(ok, "the synthesised input itself must be clean: {out}");
    let signed = sign_pdf(&pdf, &signer, &ja_opts()).unwrap();
    assert!(signed.starts_with(&pdf));
    assert_eq!(
        xref_kind(&signed, last_startxref(&signed).unwrap()),
        xref_kind(&pdf, last_startxref(&pdf).unwrap()),
        "the update must use the original's xref kind"
    );
    assert_third_party_valid(dir.path(), "printpdf-signed.pdf", &signed, &[&cert_pem]);
    assert_eq!(verify_file(&signed).status, Status::Valid);
    let twice = sign_pdf(&signed, &signer, &SignOptions::default()).unwrap();
    let out = pdfsig(&write(dir.path(), "printpdf-twice.pdf", &twice));
    assert_eq!(
        out.matches("Signature is Valid.").count(),
        2,
        "pdfsig: {out}"
    );
    let r = verify_file(&twice);
    assert_eq!(r.status, Status::Valid);
    assert_eq!(r.signatures[0].after_signing, AfterSigning::LaterSignatures);
}

#[test]
fn random_damage_never_panics_and_never_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, _) = self_signed(dir.path(), "Fuzz");
    let signed = sign_pdf(&make_pdf(2, true), &signer, &SignOptions::default()).unwrap();
    // Deterministic pseudo-random damage (xorshift), 1500 variants.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..1500 {
        let mut bad = signed.clone();
        let at = (next() as usize) % bad.len();
        let op = next() % 3;
        match op {
            0 => bad[at] ^= 1 << (next() % 8),
            1 => bad.truncate(at),
            _ => bad
                .splice(at..at, (0..(next() % 64)).map(|_| next() as u8))
                .for_each(drop),
        }
        if bad == signed {
            continue;
        }
        let r = verify_file(&bad);
        // Damage confined to the /Contents padding zeros is not covered by the digest and
        // may keep the signature valid; anything else must not verify.
        let sig = find(&signed, b"/Contents <").unwrap() + 11;
        let pad_end = sig + (find(&signed[sig..], b">").unwrap());
        let cms_hex_end = sig
            + signed[sig..pad_end]
                .iter()
                .rposition(|b| *b != b'0')
                .unwrap()
            + 1;
        let in_padding = bad.len() == signed.len() && at >= cms_hex_end && at < pad_end;
        // Changing the case of a hex digit in /Contents leaves the decoded CMS identical.
        let same_hex = bad.len() == signed.len()
            && at >= sig
            && at < pad_end
            && bad[at].is_ascii_hexdigit()
            && bad[at].eq_ignore_ascii_case(&signed[at]);
        let in_padding = in_padding || same_hex;
        if !in_padding {
            assert_ne!(
                r.status,
                Status::Valid,
                "damage {op} at {at} (len {} -> {}) verified as valid: {:?}",
                signed.len(),
                bad.len(),
                String::from_utf8_lossy(
                    &signed[at.saturating_sub(40)..(at + 40).min(signed.len())]
                )
            );
        }
        let _ = sign_pdf(&bad, &signer, &SignOptions::default());
    }
}

/// `make_pdf` with `files` attached as a report attaches bundles: EmbeddedFile streams (one
/// compressed), listed in the catalog's EmbeddedFiles name tree and /AF.
fn pdf_with_attachments(files: &[(&str, &[u8])], xref_stream: bool) -> Vec<u8> {
    let mut doc = Document::load_mem(&make_pdf(2, false)).unwrap();
    let mut names = Vec::new();
    let mut af = Vec::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        let dict = dictionary! {
            "Type" => "EmbeddedFile", "Subtype" => Object::Name(b"application/json".to_vec()),
            "Params" => dictionary! { "Size" => bytes.len() as i64 },
        };
        let mut stream = Stream::new(dict, bytes.to_vec());
        if i == 0 {
            stream.compress().unwrap();
            assert!(stream.dict.get(b"Filter").is_ok());
        }
        let stream = doc.add_object(stream);
        let spec = doc.add_object(dictionary! {
            "Type" => "Filespec", "F" => Object::string_literal(*name),
            "UF" => Object::string_literal(*name), "AFRelationship" => "Source",
            "EF" => dictionary! { "F" => stream, "UF" => stream },
        });
        names.push(Object::string_literal(*name));
        names.push(spec.into());
        af.push(Object::Reference(spec));
    }
    let tree = doc.add_object(dictionary! { "Names" => names });
    let catalog = doc.catalog_mut().unwrap();
    catalog.set("Names", dictionary! { "EmbeddedFiles" => tree });
    catalog.set("AF", af);
    save_pdf(doc, xref_stream)
}

#[test]
fn pdf_with_attached_files_signs_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let (signer, cert_pem) = self_signed(dir.path(), "添付医院");
    let big: Vec<u8> = (0..200_000u32)
        .flat_map(|i| format!("{{\"pc\":{i}}}\n").into_bytes())
        .take(300_000)
        .collect();
    let files: [(&str, &[u8]); 2] = [("PC-0001.json", &big), ("assessment.json", b"{\"a\":1}")];
    for xref_stream in [false, true] {
        let pdf = pdf_with_attachments(&files, xref_stream);
        let signed = sign_pdf(&pdf, &signer, &ja_opts()).unwrap();
        assert!(signed.starts_with(&pdf));
        let name = format!("attached-{xref_stream}.pdf");
        assert_third_party_valid(dir.path(), &name, &signed, &[&cert_pem]);
        assert_eq!(verify_file(&signed).status, Status::Valid);
        // The signed revision's catalog still lists the files, and they read back whole.
        let path = write(dir.path(), &name, &signed);
        let p = path.to_str().unwrap();
        let listed = run_ok("qpdf", &["--list-attachments", p]);
        assert!(
            listed.contains("PC-0001.json") && listed.contains("assessment.json"),
            "{listed}"
        );
        for (n, bytes) in files {
            let out = std::process::Command::new("qpdf")
                .args([&format!("--show-attachment={n}"), p])
                .output()
                .unwrap();
            assert!(out.status.success(), "{n}");
            assert_eq!(out.stdout, bytes, "{n}");
        }
        let doc = Document::load_mem(&signed).unwrap();
        let catalog = doc.catalog().unwrap();
        assert!(catalog.get(b"AF").is_ok() && catalog.get(b"Names").is_ok());
        assert!(catalog.get(b"AcroForm").is_ok());
    }
}
