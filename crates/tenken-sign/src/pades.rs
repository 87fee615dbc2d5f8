//! PAdES B-B signatures (ETSI.CAdES.detached) appended to a PDF as an incremental update.
//!
//! The original bytes are never rewritten: a new revision adds the signature dictionary, a
//! signature field (invisible widget on the first page), an updated AcroForm and page, and a
//! cross-reference section of the same kind as the original (classic table or xref stream).
//! `/ByteRange` is a fixed-width placeholder patched in place once the file length is known;
//! `/Contents` is a zero-filled hex placeholder into which the CMS SignedData is written.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2::{Digest, Sha256};

use super::{SignError, Signer};

/// Options of a PDF signature.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// Why the document is signed (`/Reason`), e.g. "点検結果の証明".
    pub reason: Option<String>,
    /// Where it was signed (`/Location`), e.g. the clinic's town.
    pub location: Option<String>,
    /// Signer's name (`/Name`); defaults to the certificate's common name.
    pub name: Option<String>,
    /// Field name; defaults to the first free `SignatureN`.
    pub field_name: Option<String>,
    /// Signing time for `/M`; defaults to now.
    pub time: Option<DateTime<Utc>>,
}

const BYTE_RANGE_PLACEHOLDER: &str = "[0 0000000000 0000000000 0000000000]";

fn pdf_err(msg: impl Into<String>) -> SignError {
    SignError::Pdf(msg.into())
}

/// Cross-reference kind of a PDF's last revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XrefKind {
    /// `xref` table + `trailer`.
    Table,
    /// Cross-reference stream (PDF 1.5).
    Stream,
}

/// Offset named by the last `startxref` of the file.
pub fn last_startxref(pdf: &[u8]) -> Result<usize, SignError> {
    let tail_start = pdf.len().saturating_sub(4096);
    let tail = &pdf[tail_start..];
    let pos = rfind(tail, b"startxref").ok_or_else(|| pdf_err("no startxref near the end"))?;
    let rest = &tail[pos + 9..];
    let digits: String = rest
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|b| *b as char)
        .collect();
    let off: usize = digits
        .parse()
        .map_err(|_| pdf_err("startxref is not followed by a number"))?;
    if off >= pdf.len() {
        return Err(pdf_err("startxref points past the end of the file"));
    }
    Ok(off)
}

/// The cross-reference kind at `offset`.
pub fn xref_kind(pdf: &[u8], offset: usize) -> XrefKind {
    let rest = &pdf[offset.min(pdf.len())..];
    let start = rest
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if rest[start..].starts_with(b"xref") {
        XrefKind::Table
    } else {
        XrefKind::Stream
    }
}

pub(crate) fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| &hay[i..i + needle.len()] == needle)
}

/// `/M`-style PDF date.
pub fn pdf_date(t: DateTime<Utc>) -> String {
    t.format("D:%Y%m%d%H%M%SZ").to_string()
}

/// A text string for the PDF: ASCII as a literal, anything else as UTF-16BE with BOM (hex).
pub fn text_string(s: &str) -> String {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        let mut out = String::from("(");
        for c in s.chars() {
            if matches!(c, '(' | ')' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push(')');
        out
    } else {
        let mut out = String::from("<FEFF");
        for u in s.encode_utf16() {
            out.push_str(&format!("{u:04X}"));
        }
        out.push('>');
        out
    }
}

/// Serializes a (non-stream) lopdf object in PDF syntax.
pub(crate) fn write_object(out: &mut Vec<u8>, o: &Object) -> Result<(), SignError> {
    match o {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => {
            let s = format!("{r:.6}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            out.extend_from_slice(if s.is_empty() || s == "-" { "0" } else { s }.as_bytes());
        }
        Object::Name(n) => {
            out.push(b'/');
            for &b in n {
                if (0x21..=0x7e).contains(&b) && !b"#()<>[]{}/%".contains(&b) {
                    out.push(b);
                } else {
                    out.extend_from_slice(format!("#{b:02X}").as_bytes());
                }
            }
        }
        Object::String(s, _) => {
            out.push(b'<');
            out.extend_from_slice(hex::encode_upper(s).as_bytes());
            out.push(b'>');
        }
        Object::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, x)?;
            }
            out.push(b']');
        }
        Object::Dictionary(d) => write_dict(out, d)?,
        Object::Reference((id, gen_nr)) => {
            out.extend_from_slice(format!("{id} {gen_nr} R").as_bytes())
        }
        Object::Stream(_) => return Err(pdf_err("unexpected stream object")),
    }
    Ok(())
}

fn write_dict(out: &mut Vec<u8>, d: &Dictionary) -> Result<(), SignError> {
    out.extend_from_slice(b"<<");
    for (k, v) in d.iter() {
        write_object(out, &Object::Name(k.clone()))?;
        out.push(b' ');
        write_object(out, v)?;
    }
    out.extend_from_slice(b">>");
    Ok(())
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

/// Names (`/T`) of the existing form fields, including kids.
fn field_names(doc: &Document, fields: &[Object]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut stack: Vec<(&Object, usize)> = fields.iter().map(|f| (f, 0)).collect();
    while let Some((f, depth)) = stack.pop() {
        if depth > 32 || names.len() > 100_000 {
            break;
        }
        let Some(Object::Dictionary(d)) = resolve(doc, f) else {
            continue;
        };
        if let Ok(Object::String(t, _)) = d.get(b"T") {
            names.insert(decode_text(t));
        }
        if let Ok(kids) = d.get(b"Kids")
            && let Some(Object::Array(k)) = resolve(doc, kids)
        {
            stack.extend(k.iter().map(|x| (x, depth + 1)));
        }
    }
    names
}

/// Parses a PDF for signing or verifying, refusing encrypted files.
pub(crate) fn load(pdf: &[u8]) -> Result<Document, SignError> {
    let head = &pdf[..pdf.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(pdf_err("not a PDF file (no %PDF- header)"));
    }
    // A parser panic on hostile input must become an error, not a crash.
    let loaded = std::panic::catch_unwind(|| Document::load_mem(pdf))
        .map_err(|_| pdf_err("cannot read the PDF: the parser failed on malformed data"))?;
    let doc = loaded.map_err(|e| pdf_err(format!("cannot read the PDF: {e}")))?;
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(pdf_err("encrypted PDFs are not supported"));
    }
    Ok(doc)
}

struct Update {
    buf: Vec<u8>,
    offsets: Vec<(ObjectId, usize)>,
}

impl Update {
    fn begin_obj(&mut self, id: ObjectId) {
        self.offsets.push((id, self.buf.len()));
        self.buf
            .extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
    }
    fn end_obj(&mut self) {
        self.buf.extend_from_slice(b"\nendobj\n");
    }
}

/// Signs `pdf` with `signer`, returning the original bytes followed by a signed revision.
pub fn sign_pdf(pdf: &[u8], signer: &dyn Signer, opts: &SignOptions) -> Result<Vec<u8>, SignError> {
    sign_pdf_owned(pdf.to_vec(), signer, opts)
}

/// [`sign_pdf`] of bytes the caller no longer needs: the signed revision is appended to them
/// in place, and the parsed document is dropped before, so signing a large report (a fleet's,
/// with thousands of attached bundles) holds it once instead of three times.
pub fn sign_pdf_owned(
    pdf: Vec<u8>,
    signer: &dyn Signer,
    opts: &SignOptions,
) -> Result<Vec<u8>, SignError> {
    let doc = load(&pdf)?;
    let prev = last_startxref(&pdf)?;
    let kind = xref_kind(&pdf, prev);

    let root_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| pdf_err("trailer has no /Root"))?;
    let mut catalog = doc
        .get_dictionary(root_id)
        .map_err(|_| pdf_err("the document catalog is missing"))?
        .clone();
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .unwrap_or(0)
        .max(i64::from(doc.max_id) + 1);
    let size = u32::try_from(size).map_err(|_| pdf_err("bad trailer /Size"))?;
    let page_id = *doc
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| pdf_err("the PDF has no pages"))?;
    let mut page = doc
        .get_dictionary(page_id)
        .map_err(|_| pdf_err("the first page is not a dictionary"))?
        .clone();

    let sig_id: ObjectId = (size, 0);
    let widget_id: ObjectId = (size + 1, 0);
    let mut next_size = size + 2;

    // AcroForm: append the new field.
    let (acro_ref, mut acro) = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => (
            Some(*id),
            doc.get_dictionary(*id).cloned().unwrap_or_default(),
        ),
        Ok(Object::Dictionary(d)) => (None, d.clone()),
        _ => (None, Dictionary::new()),
    };
    let mut fields = match acro.get(b"Fields").ok().and_then(|f| resolve(&doc, f)) {
        Some(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    let names = field_names(&doc, &fields);
    let field_name = match &opts.field_name {
        Some(n) => {
            if names.contains(n) {
                return Err(pdf_err(format!("a field named '{n}' already exists")));
            }
            n.clone()
        }
        None => (1..)
            .map(|i| format!("Signature{i}"))
            .find(|n| !names.contains(n))
            .unwrap_or_else(|| "Signature".into()),
    };
    fields.push(Object::Reference(widget_id));
    acro.set("Fields", Object::Array(fields));
    acro.set("SigFlags", Object::Integer(3));

    let mut annots = match page.get(b"Annots").ok().and_then(|a| resolve(&doc, a)) {
        Some(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    annots.push(Object::Reference(widget_id));
    page.set("Annots", Object::Array(annots));
    // What the new trailer repeats of the old one; the parsed document is not needed after.
    let kept: Vec<(&[u8], Object)> = [b"Info".as_slice(), b"ID".as_slice()]
        .into_iter()
        .filter_map(|key| doc.trailer.get(key).ok().map(|v| (key, v.clone())))
        .collect();
    drop(doc);

    let mut up = Update {
        buf: pdf,
        offsets: Vec::new(),
    };
    if !matches!(up.buf.last(), Some(b'\n' | b'\r')) {
        up.buf.push(b'\n');
    }

    match acro_ref {
        Some(id) => {
            up.begin_obj(id);
            write_dict(&mut up.buf, &acro)?;
            up.end_obj();
        }
        None => {
            catalog.set("AcroForm", Object::Dictionary(acro));
            up.begin_obj(root_id);
            write_dict(&mut up.buf, &catalog)?;
            up.end_obj();
        }
    }
    up.begin_obj(page_id);
    write_dict(&mut up.buf, &page)?;
    up.end_obj();

    up.begin_obj(widget_id);
    up.buf.extend_from_slice(
        format!(
            "<</Type/Annot/Subtype/Widget/FT/Sig/T {}/V {} 0 R/F 132/Rect[0 0 0 0]/P {} {} R>>",
            text_string(&field_name),
            sig_id.0,
            page_id.0,
            page_id.1
        )
        .as_bytes(),
    );
    up.end_obj();

    // Signature dictionary with placeholders.
    let cert_len =
        signer.certificate_der().len() + signer.chain().iter().map(Vec::len).sum::<usize>();
    let contents_len = (cert_len + 4096).max(8192);
    let time = opts.time.unwrap_or_else(Utc::now);
    up.begin_obj(sig_id);
    up.buf.extend_from_slice(
        b"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange ",
    );
    let br_pos = up.buf.len();
    up.buf.extend_from_slice(BYTE_RANGE_PLACEHOLDER.as_bytes());
    up.buf.extend_from_slice(b"/Contents ");
    let c_start = up.buf.len();
    up.buf.push(b'<');
    up.buf.resize(up.buf.len() + contents_len * 2, b'0');
    up.buf.push(b'>');
    let c_end = up.buf.len();
    up.buf
        .extend_from_slice(format!("/M {}", text_string(&pdf_date(time))).as_bytes());
    let name = opts
        .name
        .clone()
        .or_else(|| super::common_name(signer.certificate_der()));
    for (key, val) in [
        ("Name", &name),
        ("Reason", &opts.reason),
        ("Location", &opts.location),
    ] {
        if let Some(v) = val {
            up.buf
                .extend_from_slice(format!("/{key} {}", text_string(v)).as_bytes());
        }
    }
    up.buf
        .extend_from_slice(b"/Prop_Build<</App<</Name/Tenken>>>>>>");
    up.end_obj();

    // Cross-reference section of the original's kind.
    let mut trailer = Dictionary::new();
    trailer.set("Root", Object::Reference(root_id));
    for (key, v) in kept {
        trailer.set(key.to_vec(), v);
    }
    trailer.set("Prev", Object::Integer(prev as i64));
    match kind {
        XrefKind::Table => {
            let xref_pos = up.buf.len();
            let mut entries = up.offsets.clone();
            entries.sort();
            up.buf.extend_from_slice(b"xref\n");
            let mut i = 0;
            while i < entries.len() {
                let mut j = i + 1;
                while j < entries.len() && entries[j].0.0 == entries[j - 1].0.0 + 1 {
                    j += 1;
                }
                up.buf
                    .extend_from_slice(format!("{} {}\n", entries[i].0.0, j - i).as_bytes());
                for ((_, gen_nr), off) in &entries[i..j] {
                    up.buf
                        .extend_from_slice(format!("{off:010} {gen_nr:05} n\r\n").as_bytes());
                }
                i = j;
            }
            trailer.set("Size", Object::Integer(i64::from(next_size)));
            up.buf.extend_from_slice(b"trailer\n");
            write_dict(&mut up.buf, &trailer)?;
            up.buf
                .extend_from_slice(format!("\nstartxref\n{xref_pos}\n%%EOF\n").as_bytes());
        }
        XrefKind::Stream => {
            let xref_id: ObjectId = (next_size, 0);
            next_size += 1;
            let xref_pos = up.buf.len();
            let mut entries = up.offsets.clone();
            entries.push((xref_id, xref_pos));
            entries.sort();
            let mut data = Vec::new();
            let mut index = Vec::new();
            for ((id, gen_nr), off) in &entries {
                let off = u32::try_from(*off).map_err(|_| pdf_err("file too large"))?;
                data.push(1u8);
                data.extend_from_slice(&off.to_be_bytes());
                data.extend_from_slice(&gen_nr.to_be_bytes());
                index.push(Object::Integer(i64::from(*id)));
                index.push(Object::Integer(1));
            }
            trailer.set("Type", Object::Name(b"XRef".to_vec()));
            trailer.set("Size", Object::Integer(i64::from(next_size)));
            trailer.set("Index", Object::Array(index));
            trailer.set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
            trailer.set("Length", Object::Integer(data.len() as i64));
            up.begin_obj(xref_id);
            write_dict(&mut up.buf, &trailer)?;
            up.buf.extend_from_slice(b"\nstream\r\n");
            up.buf.extend_from_slice(&data);
            up.buf.extend_from_slice(b"\r\nendstream");
            up.end_obj();
            up.buf
                .extend_from_slice(format!("startxref\n{xref_pos}\n%%EOF\n").as_bytes());
        }
    }

    // Patch /ByteRange, hash, sign, write /Contents.
    let mut buf = up.buf;
    let total = buf.len();
    let br = format!("[0 {} {} {}", c_start, c_end, total - c_end);
    if br.len() + 1 > BYTE_RANGE_PLACEHOLDER.len() {
        return Err(pdf_err("file too large for the /ByteRange placeholder"));
    }
    let mut br = br.into_bytes();
    br.resize(BYTE_RANGE_PLACEHOLDER.len() - 1, b' ');
    br.push(b']');
    buf[br_pos..br_pos + br.len()].copy_from_slice(&br);
    let mut h = Sha256::new();
    h.update(&buf[..c_start]);
    h.update(&buf[c_end..]);
    let digest = h.finalize();
    let cms = super::cms::sign_detached_digest(&digest, signer)?;
    if cms.len() > contents_len {
        return Err(pdf_err("signature larger than the /Contents placeholder"));
    }
    let hex = hex::encode_upper(&cms);
    buf[c_start + 1..c_start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(buf)
}

/// Decodes a PDF text string (UTF-16BE with BOM, else bytes as UTF-8/Latin text).
pub(crate) fn decode_text(s: &[u8]) -> String {
    if s.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = s[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(s).into_owned()
    }
}
