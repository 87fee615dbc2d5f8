//! Page content streams written as the layout draws: each drawing operation is encoded at once
//! into the bytes printpdf writes for it, and a finished page is kept compressed, so a page's
//! operations are never held. A hospital's report draws hundreds of thousands of cells and
//! lines; held as `printpdf::Op`s (128 bytes each, plus a `Vec` and a `String` per line of text)
//! until the document was written, they were most of its memory (issue 19).
//!
//! The encoding follows printpdf 0.12's `translate_operations` for the operations
//! [`super::layout::Writer`] draws (text with the embedded font, rectangles, straight lines,
//! colours, graphics state); a test compares it with printpdf's own output for every kind.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use flate2::Compression;
use lopdf::content::{Content, Operation};
use lopdf::{Object, StringFormat};
use printpdf::{Color, Op, PaintMode, ParsedFont, PdfFontHandle, TextItem, WindingOrder};

/// The glyphs shown, each with the character last shown with it (what printpdf's `/W` widths
/// and `/ToUnicode` map are made from).
pub type ShownGlyphs = BTreeMap<u16, char>;

/// An operation the encoder does not write (the layout never draws it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// One page's content stream while it is drawn (uncompressed).
#[derive(Debug, Default)]
pub struct PageContent {
    bytes: Vec<u8>,
    /// Resource name of the font the last `Tf` selected on this page.
    font: Option<String>,
}

impl PageContent {
    /// Appends one operation as lopdf writes it: operations separated by a newline.
    fn push(&mut self, operator: &str, operands: Vec<Object>) {
        if !self.bytes.is_empty() {
            self.bytes.push(b'\n');
        }
        let op = Content {
            operations: vec![Operation::new(operator, operands)],
        };
        // Writing to a Vec cannot fail.
        if let Ok(b) = op.encode() {
            self.bytes.extend_from_slice(&b);
        }
    }

    /// Encodes `op`, recording the glyphs of shown text in `glyphs`.
    pub fn draw(
        &mut self,
        op: &Op,
        font: &ParsedFont,
        font_name: &str,
        glyphs: &mut ShownGlyphs,
    ) -> Result<(), Unsupported> {
        let real = |v: f32| Object::Real(v);
        match op {
            Op::SaveGraphicsState => self.push("q", vec![]),
            Op::RestoreGraphicsState => self.push("Q", vec![]),
            Op::StartTextSection => self.push("BT", vec![]),
            Op::EndTextSection => self.push("ET", vec![]),
            Op::SetFont {
                font: PdfFontHandle::External(id),
                size,
            } if id.0 == font_name => {
                self.font = Some(id.0.clone());
                self.push(
                    "Tf",
                    vec![Object::Name(id.0.as_bytes().to_vec()), real(size.0)],
                );
            }
            Op::ShowText { items } if self.font.as_deref() == Some(font_name) => {
                let [TextItem::Text(text)] = items.as_slice() else {
                    return Err(Unsupported(format!("{op:?}")));
                };
                let mut gids = Vec::with_capacity(2 * text.len());
                for c in text.chars() {
                    let gid = font.lookup_glyph_index(c as u32);
                    if let Some(g) = gid {
                        glyphs.insert(g, c);
                    }
                    gids.extend_from_slice(&gid.unwrap_or(0).to_be_bytes());
                }
                self.push("Tj", vec![Object::String(gids, StringFormat::Hexadecimal)]);
            }
            Op::SetTextCursor { pos } => self.push("Td", vec![real(pos.x.0), real(pos.y.0)]),
            Op::SetFillColor { col } => {
                let operator = match col {
                    Color::Rgb(_) => "rg",
                    Color::Cmyk(_) | Color::SpotColor(_) => "k",
                    Color::Greyscale(_) => "g",
                };
                self.push(operator, col.into_vec().into_iter().map(real).collect());
            }
            Op::SetOutlineColor { col } => {
                let operator = match col {
                    Color::Rgb(_) => "RG",
                    Color::Cmyk(_) | Color::SpotColor(_) => "K",
                    Color::Greyscale(_) => "G",
                };
                self.push(operator, col.into_vec().into_iter().map(real).collect());
            }
            Op::SetOutlineThickness { pt } => self.push("w", vec![real(pt.0)]),
            Op::DrawRectangle { rectangle: r } => {
                let winding = r.winding_order.unwrap_or(WindingOrder::NonZero);
                let paint = match r.mode {
                    Some(PaintMode::Fill) => winding.get_fill_op(),
                    Some(PaintMode::Stroke) => "S",
                    Some(PaintMode::FillStroke) => winding.get_fill_stroke_op(),
                    _ => return Err(Unsupported(format!("{op:?}"))),
                };
                self.push(
                    "re",
                    vec![real(r.x.0), real(r.y.0), real(r.width.0), real(r.height.0)],
                );
                self.push(paint, vec![]);
            }
            Op::DrawLine { line } if !line.points.is_empty() => {
                if line.points.iter().any(|p| p.bezier) {
                    return Err(Unsupported(format!("{op:?}")));
                }
                for (i, p) in line.points.iter().enumerate() {
                    let operator = if i == 0 { "m" } else { "l" };
                    self.push(operator, vec![real(p.p.x.0), real(p.p.y.0)]);
                }
                if line.is_closed {
                    self.push("h", vec![]);
                }
                self.push("S", vec![]);
            }
            _ => return Err(Unsupported(format!("{op:?}"))),
        }
        Ok(())
    }

    /// The page so far, compressed quickly while the document is laid out (it is decompressed
    /// once more to add the footer).
    pub fn pack(self) -> Vec<u8> {
        deflate(&self.bytes, Compression::fast())
    }

    /// A page packed by [`PageContent::pack`], to draw more on.
    pub fn unpack(packed: &[u8]) -> Self {
        let mut bytes = Vec::new();
        // The bytes were compressed by `pack` in this process.
        let _ = flate2::read::ZlibDecoder::new(packed).read_to_end(&mut bytes);
        Self { bytes, font: None }
    }

    /// The finished page stream, compressed the way lopdf's `Document::compress` would (best
    /// compression, kept only when it saves more than the filter entry costs).
    pub fn finish(self) -> PageStream {
        let compressed = deflate(&self.bytes, Compression::best());
        if compressed.len() + 19 < self.bytes.len() {
            PageStream {
                bytes: compressed,
                flate: true,
            }
        } else {
            PageStream {
                bytes: self.bytes,
                flate: false,
            }
        }
    }

    /// The bytes written so far (uncompressed).
    #[cfg(test)]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A page's finished content stream.
#[derive(Debug, Clone)]
pub struct PageStream {
    /// The stream's bytes.
    pub bytes: Vec<u8>,
    /// Whether `bytes` are zlib-compressed (`/Filter /FlateDecode`).
    pub flate: bool,
}

impl PageStream {
    /// Makes `stream` this page's content.
    pub fn install(self, stream: &mut lopdf::Stream) {
        if self.flate {
            stream.dict.remove(b"DecodeParms");
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(self.bytes);
        } else {
            stream.set_plain_content(self.bytes);
        }
    }

    /// The uncompressed content (for tests).
    #[cfg(test)]
    pub fn plain(&self) -> Vec<u8> {
        if self.flate {
            PageContent::unpack(&self.bytes).bytes
        } else {
            self.bytes.clone()
        }
    }
}

fn deflate(bytes: &[u8], level: Compression) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::with_capacity(bytes.len() / 4), level);
    // Writing to a Vec cannot fail.
    let _ = z.write_all(bytes);
    z.finish().unwrap_or_default()
}
