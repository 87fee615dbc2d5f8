//! Prints how the bytes of a PDF are spent: embedded fonts, attached evidence bundles, page
//! contents, images and the rest (objects' stream and dictionary sizes as stored, i.e. compressed).
//! Used by `make bench` to show what makes a report large.
//! Run with `cargo run --release -p tenken-report --example pdf_parts FILE.pdf`.

use lopdf::{Document, Object};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: pdf_parts FILE.pdf")?;
    let total = std::fs::metadata(&path)?.len();
    let doc = Document::load(&path)?;
    let mut fonts = std::collections::HashSet::new();
    let mut contents = std::collections::HashSet::new();
    for (_, obj) in doc.objects.iter() {
        if let Ok(d) = obj.as_dict() {
            for key in [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"] {
                if let Ok(Object::Reference(r)) = d.get(key) {
                    fonts.insert(*r);
                }
            }
        }
    }
    for (_, page) in doc.get_pages() {
        for c in doc.get_page_contents(page) {
            contents.insert(c);
        }
    }
    let (mut font, mut bundles, mut pages, mut images, mut other) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for (id, obj) in doc.objects.iter() {
        let Object::Stream(s) = obj else { continue };
        let n = s.content.len() as u64;
        let is = |k: &[u8], v: &[u8]| {
            s.dict
                .get(k)
                .ok()
                .and_then(|o| o.as_name().ok())
                .is_some_and(|x| x == v)
        };
        if fonts.contains(id) {
            font += n;
        } else if is(b"Type", b"EmbeddedFile") {
            bundles += n;
        } else if contents.contains(id) {
            pages += n;
        } else if is(b"Subtype", b"Image") {
            images += n;
        } else {
            other += n;
        }
    }
    let rest = total.saturating_sub(font + bundles + pages + images + other);
    let pct = |x: u64| 100.0 * x as f64 / total.max(1) as f64;
    println!(
        "pdf parts of {path}: {} pages, {total} bytes: fonts {font} ({:.0}%), attached bundles {bundles} ({:.0}%), page contents {pages} ({:.0}%), images {images} ({:.0}%), other streams {other} ({:.0}%), structure/signature {rest} ({:.0}%)",
        doc.get_pages().len(),
        pct(font),
        pct(bundles),
        pct(pages),
        pct(images),
        pct(other),
        pct(rest),
    );
    Ok(())
}
