//! PDF assembly: font embedding, document metadata, file attachments, serialization.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, Timelike};
use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::{
    Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem,
};

use super::content::PageStream;
use super::layout::{self, Font, Pages};
use super::{Attachment, ReportError, ReportInput, attachments, render};

/// IPAexGothic, shipped unmodified (IPA Font License v1.0, see `fonts/`); subset per PDF.
pub const FONT_BYTES: &[u8] = include_bytes!("../fonts/ipaexg.ttf");

fn parsed_font() -> Result<ParsedFont, ReportError> {
    static FONT: OnceLock<Option<ParsedFont>> = OnceLock::new();
    FONT.get_or_init(|| ParsedFont::from_bytes(FONT_BYTES, 0, &mut Vec::new()))
        .clone()
        .ok_or(ReportError::Font)
}

fn pdf_date(t: chrono::DateTime<chrono::Utc>) -> printpdf::OffsetDateTime {
    let u8_of = |v: u32| u8::try_from(v).unwrap_or(0);
    printpdf::DateTime {
        date: printpdf::Date {
            year: t.year(),
            month: u8_of(t.month()),
            day: u8_of(t.day()),
        },
        time: printpdf::Time {
            hour: u8_of(t.hour()),
            minute: u8_of(t.minute()),
            second: u8_of(t.second()),
            millisecond: 0,
        },
        offset: printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    }
}

/// Renders the report to PDF bytes (classic xref table, unsigned, attachments embedded).
pub fn render_pdf(input: &ReportInput) -> Result<Vec<u8>, ReportError> {
    check_checklist(input)?;
    // The report covers the sheet that was answered (医療機関確認用, 薬局確認用 or 事業者確認用).
    let sheet_only;
    let input = if input.checklist.sheets.len() > 1 {
        sheet_only = ReportInput {
            checklist: input.checklist.for_sheet(input.assessment.sheet),
            ..input.clone()
        };
        &sheet_only
    } else {
        input
    };
    let files = attachments(input)?;
    let (doc, pages) = lay_out(input, &files)?;
    assemble(doc, pages, files)
}

/// [`render_pdf`] of an input the caller no longer needs: the sheet is narrowed in place and
/// the embedded files take the input's raw JSON instead of copies, so a report of a thousand
/// PCs holds their bundles once, not three times.
pub fn render_pdf_owned(mut input: ReportInput) -> Result<Vec<u8>, ReportError> {
    check_checklist(&input)?;
    if input.checklist.sheets.len() > 1 {
        input.checklist = input.checklist.for_sheet(input.assessment.sheet);
    }
    let files = crate::take_attachments(&mut input)?;
    let (doc, pages) = lay_out(&input, &files)?;
    // The pages are laid out: the bundles and the ledger are not held while the PDF is made.
    drop(input);
    assemble(doc, pages, files)
}

fn check_checklist(input: &ReportInput) -> Result<(), ReportError> {
    if input.assessment.checklist_id != input.checklist.id {
        return Err(ReportError::ChecklistMismatch {
            assessment: input.assessment.checklist_id.clone(),
            checklist: input.checklist.id.clone(),
        });
    }
    Ok(())
}

/// Lays out the pages of `input` (its checklist already narrowed to the answered sheet), which
/// list `files`: their content streams, and the document with its metadata and one printpdf
/// page per page. Those pages are empty but for the first, which shows every glyph used once
/// (so printpdf writes the font's widths and ToUnicode map for them); [`assemble`] replaces
/// each page's content by the laid-out stream.
fn lay_out(input: &ReportInput, files: &[Attachment]) -> Result<(PdfDocument, Pages), ReportError> {
    let lang = input.lang;
    let title = format!(
        "{} — {}",
        lang.pick(
            "サイバーセキュリティ対策 点検報告書",
            "Cybersecurity self-assessment report"
        ),
        if input.assessment.profile.name.is_empty() {
            lang.pick("医療機関名 未設定", "clinic name not set")
        } else {
            &input.assessment.profile.name
        }
    );
    let mut doc = PdfDocument::new(&title);
    let parsed = parsed_font()?;
    let id = doc.add_font(&parsed);
    let font = Font { parsed, id };
    let pages = render::render_pages(input, &font, files)?;
    let glyphs = vec![
        Op::StartTextSection,
        Op::SetFont {
            font: PdfFontHandle::External(font.id.clone()),
            size: Pt(layout::BODY),
        },
        Op::ShowText {
            items: vec![TextItem::Text(pages.glyphs.values().collect())],
        },
        Op::EndTextSection,
    ];
    doc.pages = (0..pages.streams.len())
        .map(|i| {
            let ops = if i == 0 { glyphs.clone() } else { Vec::new() };
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();
    let info = &mut doc.metadata.info;
    info.document_title = title;
    info.author = match &input.assessment.assessor.company {
        Some(c) if !c.is_empty() => format!("{}（{c}）", input.assessment.assessor.name),
        _ => input.assessment.assessor.name.clone(),
    };
    info.subject = format!(
        "{} / {} / FY{}",
        input.assessment.profile.name,
        input.checklist.title.get(lang),
        input.assessment.fiscal_year
    );
    info.creator = format!("Tenken {}", tenken_base::VERSION);
    info.producer = format!("Tenken {}", tenken_base::VERSION);
    info.keywords = vec!["Tenken".into(), input.checklist.id.clone()];
    info.creation_date = pdf_date(input.generated_at);
    info.modification_date = pdf_date(input.generated_at);
    info.metadata_date = pdf_date(input.generated_at);
    Ok((doc, pages))
}

/// The PDF of the laid-out `doc` with the content streams of `pages` and `files` attached
/// (fonts subset, streams compressed).
fn assemble(
    doc: PdfDocument,
    pages: Pages,
    files: Vec<Attachment>,
) -> Result<Vec<u8>, ReportError> {
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let used: BTreeSet<u16> = pages.glyphs.keys().copied().collect();
    let mut lo = printpdf::to_lopdf_doc(&doc, &opts, &mut Vec::new());
    drop(doc);
    install_pages(&mut lo, pages.streams)?;
    subset_fonts(&mut lo, &used)?;
    clean_info(&mut lo);
    attach(&mut lo, files)?;
    lo.compress();
    // PDF 1.7: the attachment keys (/AF, /AFRelationship) and the PAdES signature the signer
    // appends are newer than the 1.3 header printpdf writes.
    lo.version = "1.7".to_string();
    lo.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    // Sized up front (stream bytes plus a little per object): a growing buffer would copy the
    // whole file, attachments included, each time it doubled.
    let estimate: usize = lo
        .objects
        .values()
        .map(|o| match o {
            Object::Stream(s) => s.content.len() + 256,
            _ => 128,
        })
        .sum();
    let mut out = Vec::with_capacity(estimate + 4096);
    lo.save_to(&mut out)
        .map_err(|e| ReportError::Pdf(e.to_string()))?;
    Ok(out)
}

/// Makes each laid-out stream the content of its page, in page order.
fn install_pages(lo: &mut lopdf::Document, streams: Vec<PageStream>) -> Result<(), ReportError> {
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    if page_ids.len() != streams.len() {
        return Err(ReportError::Pdf(format!(
            "{} pages laid out, {} in the document",
            streams.len(),
            page_ids.len()
        )));
    }
    for (page, stream) in page_ids.into_iter().zip(streams) {
        let contents = lo
            .get_dictionary(page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(Object::as_reference)
            .map_err(|e| ReportError::Pdf(format!("page contents: {e}")))?;
        let target = lo
            .get_object_mut(contents)
            .and_then(Object::as_stream_mut)
            .map_err(|e| ReportError::Pdf(format!("page contents: {e}")))?;
        stream.install(target);
    }
    Ok(())
}

/// Replaces each embedded TrueType program by a glyph-id-preserving subset and marks the
/// font names with a subset tag (`XXXXXX+IPAexGothic`).
fn subset_fonts(doc: &mut lopdf::Document, used: &BTreeSet<u16>) -> Result<(), ReportError> {
    let tag: String = {
        let h = tenken_evidence::sha256_hex(
            &used
                .iter()
                .flat_map(|g| g.to_be_bytes())
                .collect::<Vec<_>>(),
        );
        h.bytes()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect()
    };
    let base_name = format!("{tag}+IPAexGothic");
    let ids: Vec<lopdf::ObjectId> = doc.objects.keys().copied().collect();
    for id in ids {
        let Ok(Object::Dictionary(d)) = doc.get_object(id) else {
            continue;
        };
        let kind = d
            .get(b"Type")
            .ok()
            .and_then(|t| t.as_name().ok())
            .map(<[u8]>::to_vec);
        let sub = d
            .get(b"Subtype")
            .ok()
            .and_then(|t| t.as_name().ok())
            .map(<[u8]>::to_vec);
        let file = d.get(b"FontFile2").ok().and_then(|r| r.as_reference().ok());
        let is_type0_or_cid = kind.as_deref() == Some(b"Font")
            && matches!(sub.as_deref(), Some(b"Type0") | Some(b"CIDFontType2"));
        if let Some(file_id) = file {
            let stream = doc
                .get_object_mut(file_id)
                .and_then(Object::as_stream_mut)
                .map_err(|e| ReportError::Pdf(format!("font stream: {e}")))?;
            let full = if stream.dict.has(b"Filter") {
                stream
                    .decompressed_content()
                    .map_err(|e| ReportError::Pdf(format!("font stream: {e}")))?
            } else {
                stream.content.clone()
            };
            let small = super::subset::subset_keep_ids(&full, used).ok_or(ReportError::Font)?;
            let len = i64::try_from(small.len()).unwrap_or(i64::MAX);
            stream.dict.remove(b"Filter");
            stream.set_plain_content(small);
            stream.dict.set("Length1", Object::Integer(len));
            if let Ok(Object::Dictionary(d)) = doc.get_object_mut(id) {
                d.set("FontName", Object::Name(base_name.clone().into_bytes()));
            }
        } else if is_type0_or_cid && let Ok(Object::Dictionary(d)) = doc.get_object_mut(id) {
            d.set("BaseFont", Object::Name(base_name.clone().into_bytes()));
        }
    }
    Ok(())
}

/// Drops Info entries printpdf always writes that would be false claims or malformed:
/// an empty `GTS_PDFXVersion` (viewers then report PDF/X), `Trapped` as a string, an empty
/// `Identifier`.
fn clean_info(doc: &mut lopdf::Document) {
    let Ok(info_id) = doc.trailer.get(b"Info").and_then(Object::as_reference) else {
        return;
    };
    if let Ok(Object::Dictionary(d)) = doc.get_object_mut(info_id) {
        d.remove(b"GTS_PDFXVersion");
        d.remove(b"Trapped");
        if d.get(b"Identifier")
            .ok()
            .and_then(|v| v.as_str().ok())
            .is_some_and(<[u8]>::is_empty)
        {
            d.remove(b"Identifier");
        }
    }
}

fn utf16(s: &str) -> Object {
    let mut b = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        b.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(b, StringFormat::Hexadecimal)
}

/// Adds the files as embedded files: EmbeddedFiles name tree and catalog /AF.
/// Files already compressed are stored as they are (`/FlateDecode`); the others are compressed
/// with the rest of the document.
fn attach(doc: &mut lopdf::Document, files: Vec<Attachment>) -> Result<(), ReportError> {
    let mut named: Vec<(String, lopdf::ObjectId)> = Vec::new();
    for f in files {
        let mut params = Dictionary::new();
        params.set(
            "Size",
            Object::Integer(i64::try_from(f.len).unwrap_or(i64::MAX)),
        );
        let mut sd = Dictionary::new();
        sd.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
        sd.set("Subtype", Object::Name(b"application/json".to_vec()));
        sd.set("Params", Object::Dictionary(params));
        if f.flate {
            sd.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        }
        let stream_id = doc.add_object(Stream::new(sd, f.content));
        let mut ef = Dictionary::new();
        ef.set("F", Object::Reference(stream_id));
        ef.set("UF", Object::Reference(stream_id));
        let mut spec = Dictionary::new();
        spec.set("Type", Object::Name(b"Filespec".to_vec()));
        spec.set("F", Object::string_literal(f.name.as_str()));
        spec.set("UF", utf16(&f.name));
        spec.set("Desc", utf16(&f.description));
        spec.set("AFRelationship", Object::Name(b"Source".to_vec()));
        spec.set("EF", Object::Dictionary(ef));
        named.push((f.name.clone(), doc.add_object(spec)));
    }
    named.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<Object> = named
        .iter()
        .flat_map(|(n, id)| [Object::string_literal(n.as_str()), Object::Reference(*id)])
        .collect();
    let af: Vec<Object> = named.iter().map(|(_, id)| Object::Reference(*id)).collect();
    let mut tree = Dictionary::new();
    tree.set("Names", Object::Array(names));
    let tree_id = doc.add_object(tree);
    let catalog = doc
        .catalog_mut()
        .map_err(|e| ReportError::Pdf(format!("catalog: {e}")))?;
    let mut names_dict = Dictionary::new();
    names_dict.set("EmbeddedFiles", Object::Reference(tree_id));
    catalog.set("Names", Object::Dictionary(names_dict));
    catalog.set("AF", Object::Array(af));
    Ok(())
}
