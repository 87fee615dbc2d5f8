//! Helpers shared by the signing tests: synthesised PDFs, keys, and the external verifiers.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, ObjectId, Stream, dictionary};
use tenken_sign::keystore::{KeyStore, LocalSigner};

/// Fails loudly when a required external tool is missing.
pub fn require_tool(name: &str) {
    let ok = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "required tool '{name}' is missing: apt-get install -y poppler-utils qpdf openssl python3-venv"
    );
}

/// The cargo target directory (where the pyHanko virtualenv is cached).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// pyHanko CLI from a virtualenv cached under `target/pyhanko-venv` (created on first use).
pub fn pyhanko_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let venv = target_dir().join("pyhanko-venv");
        let bin = venv.join("bin/pyhanko");
        if !bin.exists() {
            require_tool("python3");
            let st = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .expect("python3 -m venv");
            assert!(
                st.success(),
                "python3 -m venv failed (apt-get install python3-venv)"
            );
            let st = Command::new(venv.join("bin/pip"))
                .args([
                    "install",
                    "-q",
                    "pyhanko",
                    "pyhanko-certvalidator",
                    "pyhanko-cli",
                ])
                .status()
                .expect("pip install pyhanko");
            assert!(st.success(), "pip install pyhanko failed");
        }
        assert!(bin.exists(), "pyhanko CLI missing in {}", venv.display());
        bin
    })
}

fn output_text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs a tool and asserts success; returns its output.
pub fn run_ok(tool: &str, args: &[&str]) -> String {
    require_tool(tool);
    let o = Command::new(tool).args(args).output().unwrap();
    let text = output_text(&o);
    assert!(o.status.success(), "{tool} {args:?} failed: {text}");
    text
}

/// Runs a tool; returns (success, output).
pub fn run(tool: &str, args: &[&str]) -> (bool, String) {
    require_tool(tool);
    let o = Command::new(tool).args(args).output().unwrap();
    (o.status.success(), output_text(&o))
}

/// `pdfsig` output (stdout + stderr).
pub fn pdfsig(path: &Path) -> String {
    require_tool("pdfsig");
    let o = Command::new("pdfsig").arg(path).output().unwrap();
    output_text(&o)
}

/// `qpdf --check`: (clean, output). Clean = exit 0 and no warnings.
pub fn qpdf_check(path: &Path) -> (bool, String) {
    require_tool("qpdf");
    let o = Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .output()
        .unwrap();
    let text = output_text(&o);
    let clean = o.status.success() && !text.to_lowercase().contains("warning");
    (clean, text)
}

/// `pyhanko sign validate --no-revocation-check --trust ... --trust-replace FILE`.
pub fn pyhanko_validate(path: &Path, trust: &[&Path]) -> (bool, String) {
    let mut cmd = Command::new(pyhanko_bin());
    cmd.args(["sign", "validate", "--no-revocation-check"]);
    for t in trust {
        cmd.arg("--trust").arg(t);
    }
    cmd.arg("--trust-replace").arg(path);
    let o = cmd.output().unwrap();
    (o.status.success(), output_text(&o))
}

/// Writes `bytes` to `dir/name`.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A fresh self-signed signer in `dir` and the path of its certificate PEM.
pub fn self_signed(dir: &Path, name: &str) -> (LocalSigner, PathBuf) {
    let store = KeyStore::open(dir);
    store.generate(name, false).unwrap();
    let pem = write(dir, "cert.pem", store.certificate_pem().unwrap().as_bytes());
    (store.load().unwrap(), pem)
}

/// Trusted certificates from a PEM file.
pub fn trust_of(pem: &Path) -> Vec<Vec<u8>> {
    tenken_sign::verify::load_trust_certs(&std::fs::read(pem).unwrap()).unwrap()
}

/// Synthesised test PDF: `pages` A4 pages of Helvetica text, uncompressed content, classic
/// xref table (`xref_stream = false`) or object streams + xref stream (`true`).
pub fn make_pdf(pages: usize, xref_stream: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids: Vec<Object> = Vec::new();
    for i in 1..=pages {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 24.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new(
                    "Tj",
                    vec![Object::string_literal(format!("Tenken test page {i}"))],
                ),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => pages as i64, "Resources" => resources_id,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let info_id =
        doc.add_object(dictionary! { "Producer" => Object::string_literal("tenken tests") });
    doc.trailer.set("Info", info_id);
    save_pdf(doc, xref_stream)
}

/// The bytes of `doc`, with a cross-reference stream or a classic cross-reference table.
pub fn save_pdf(mut doc: lopdf::Document, xref_stream: bool) -> Vec<u8> {
    let mut buf = Vec::new();
    if xref_stream {
        doc.save_modern(&mut buf).unwrap();
    } else {
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        doc.save_to(&mut buf).unwrap();
    }
    buf
}

/// First position of `needle`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Last position of `needle`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The catalog's object id.
pub fn root_id(pdf: &[u8]) -> ObjectId {
    let doc = Document::load_mem(pdf).unwrap();
    doc.trailer.get(b"Root").unwrap().as_reference().unwrap()
}

/// The first page's object id.
pub fn first_page_id(pdf: &[u8]) -> ObjectId {
    let doc = Document::load_mem(pdf).unwrap();
    *doc.get_pages().values().next().unwrap()
}

/// The page tree root's object number.
pub fn pages_id(pdf: &[u8]) -> u32 {
    let doc = Document::load_mem(pdf).unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    doc.get_dictionary(root)
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap()
        .0
}

/// The first page's content stream id.
pub fn first_page_content_id(pdf: &[u8]) -> ObjectId {
    let doc = Document::load_mem(pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    doc.get_dictionary(page)
        .unwrap()
        .get(b"Contents")
        .unwrap()
        .as_reference()
        .unwrap()
}

/// Appends an ordinary incremental update (classic xref) replacing/adding `objects`.
pub fn append_update(pdf: &[u8], objects: &[(ObjectId, String)]) -> Vec<u8> {
    let doc = Document::load_mem(pdf).unwrap();
    let prev = tenken_sign::pades::last_startxref(pdf).unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let mut size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap() as u32;
    let mut out = pdf.to_vec();
    out.push(b'\n');
    let mut offsets = Vec::new();
    for ((id, g), body) in objects {
        offsets.push((*id, *g, out.len()));
        out.extend_from_slice(format!("{id} {g} obj\n{body}\nendobj\n").as_bytes());
        size = size.max(id + 1);
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    for (id, g, off) in &offsets {
        out.extend_from_slice(format!("{id} 1\n{off:010} {g:05} n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {size}/Root {} {} R/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
            root.0, root.1
        )
        .as_bytes(),
    );
    out
}

/// UTF-16BE bytes with BOM.
pub fn utf16be_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_be_bytes());
    }
    out
}

/// Raw string bytes of `key` in the `n`-th signature dictionary (by object number order).
pub fn sig_dict_text(pdf: &[u8], n: usize, key: &[u8]) -> Vec<u8> {
    let doc = Document::load_mem(pdf).unwrap();
    let sigs: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| matches!(d.get(b"Type"), Ok(Object::Name(t)) if t == b"Sig"))
        .collect();
    match sigs[n].get(key).unwrap() {
        Object::String(s, _) => s.clone(),
        other => panic!("{other:?}"),
    }
}
