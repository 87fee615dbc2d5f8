//! A small page-layout engine over printpdf's low-level `Op` API: A4 pages, wrapped
//! paragraphs, tables that wrap cells and repeat their header row on every page, boxes, bars,
//! and a header/footer with "page X / Y" added once the page count is known.

use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfFontHandle, Point, Pt, Rect, Rgb,
    TextItem,
};

use super::content::{PageContent, PageStream, ShownGlyphs, Unsupported};
use super::linebreak::break_lines;

/// A4 width in pt.
pub const PAGE_W: f32 = 595.28;
/// A4 height in pt.
pub const PAGE_H: f32 = 841.89;
/// Left/right margin in pt.
pub const MARGIN_X: f32 = 50.0;
/// Top of the content area, from the page top, in pt.
pub const TOP: f32 = 62.0;
/// Bottom of the content area, from the page top, in pt.
pub const BOTTOM: f32 = PAGE_H - 58.0;
/// Usable content width.
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Body text size.
pub const BODY: f32 = 9.5;
/// Line height factor.
pub const LEADING: f32 = 1.5;

/// An RGB colour from 0-255 components.
pub fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color::Rgb(Rgb {
        r: f32::from(r) / 255.0,
        g: f32::from(g) / 255.0,
        b: f32::from(b) / 255.0,
        icc_profile: None,
    })
}

/// Text colour.
pub fn ink() -> Color {
    rgb(0x22, 0x22, 0x22)
}
/// Secondary text colour.
pub fn muted() -> Color {
    rgb(0x66, 0x66, 0x66)
}
/// Accent (headings, rules).
pub fn accent() -> Color {
    rgb(0x1f, 0x4e, 0x79)
}

/// The embedded font with its metrics.
pub struct Font {
    /// Parsed font (metrics and glyph map).
    pub parsed: ParsedFont,
    /// printpdf font id in the document.
    pub id: FontId,
}

impl Font {
    /// Advance width of `s` at `size` pt.
    pub fn width(&self, s: &str, size: f32) -> f32 {
        let upem = f32::from(self.parsed.units_per_em.max(1));
        let units: f32 = s
            .chars()
            .map(|c| {
                self.parsed
                    .lookup_glyph_index(c as u32)
                    .and_then(|g| self.parsed.get_glyph_width(g))
                    .map_or(upem / 2.0, f32::from)
            })
            .sum();
        units * size / upem
    }

    /// Wraps `s` to `width` at `size`.
    pub fn wrap(&self, s: &str, width: f32, size: f32) -> Vec<String> {
        break_lines(s, width, &|t: &str| self.width(t, size))
    }
}

/// One table cell: text and an optional background.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Cell text (wrapped to the column).
    pub text: String,
    /// Background colour.
    pub fill: Option<Color>,
    /// Text colour (default: ink).
    pub color: Option<Color>,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            fill: None,
            color: None,
        }
    }
    /// A cell with grey text (placeholders such as 「未設定」).
    pub fn muted(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            fill: None,
            color: Some(muted()),
        }
    }
    /// A cell with a background colour.
    pub fn filled(text: impl Into<String>, fill: Color) -> Self {
        Self {
            text: text.into(),
            fill: Some(fill),
            color: None,
        }
    }
}

/// Lays out pages: each drawing operation is written to the page's content stream as it is
/// drawn ([`PageContent`]), and finished pages are kept compressed.
pub struct Writer<'f> {
    /// Font.
    pub font: &'f Font,
    /// The finished pages, packed ([`PageContent::pack`]; the footer is added by `finish`).
    pages: Vec<Vec<u8>>,
    /// The page being drawn.
    page: PageContent,
    /// Glyphs shown on any page (for the font's widths, its ToUnicode map and the subset).
    glyphs: ShownGlyphs,
    /// The first operation the content encoder refused (a layout bug; `finish` reports it).
    unsupported: Option<Unsupported>,
    /// The operations of every page as drawn, for the tests that compare the content streams
    /// with printpdf's.
    #[cfg(test)]
    pub(crate) drawn: Vec<Vec<Op>>,
    /// The font size and fill colour the page's text was last set to: text state and the fill
    /// colour outside `q`…`Q` last across text sections, so a line in the same size and colour
    /// as the previous one does not set them again (a fleet's report has hundreds of thousands
    /// of lines).
    text_state: Option<(f32, Color)>,
    /// Current position from the page top.
    pub y: f32,
    header: String,
    /// Number of times a table header row was drawn (for tests / diagnostics).
    pub header_rows_drawn: usize,
}

impl<'f> Writer<'f> {
    /// A writer with one empty page whose running header is `header`.
    pub fn new(font: &'f Font, header: impl Into<String>) -> Self {
        let mut w = Self {
            font,
            pages: Vec::new(),
            page: PageContent::default(),
            glyphs: ShownGlyphs::new(),
            unsupported: None,
            #[cfg(test)]
            drawn: Vec::new(),
            text_state: None,
            y: TOP,
            header: header.into(),
            header_rows_drawn: 0,
        };
        w.start_page();
        w
    }

    /// Writes `op` to the current page.
    fn op(&mut self, op: Op) {
        let r = self
            .page
            .draw(&op, &self.font.parsed, &self.font.id.0, &mut self.glyphs);
        if let Err(e) = r {
            self.unsupported.get_or_insert(e);
        }
        #[cfg(test)]
        if let Some(page) = self.drawn.last_mut() {
            page.push(op);
        }
    }

    fn start_page(&mut self) {
        self.page = PageContent::default();
        #[cfg(test)]
        self.drawn.push(Vec::new());
        self.text_state = None;
        self.y = TOP;
        let header = self.header.clone();
        self.text_at(MARGIN_X, 36.0, &header, 7.5, muted());
        self.hline(
            MARGIN_X,
            PAGE_W - MARGIN_X,
            42.0,
            0.5,
            rgb(0xbb, 0xbb, 0xbb),
        );
    }

    /// Ends the current page and starts a new one.
    pub fn new_page(&mut self) {
        let page = std::mem::take(&mut self.page);
        self.pages.push(page.pack());
        self.start_page();
    }

    /// Space left on the page.
    pub fn remaining(&self) -> f32 {
        BOTTOM - self.y
    }

    /// Starts a new page when less than `h` pt are left.
    pub fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM && self.y > TOP + 0.1 {
            self.new_page();
        }
    }

    /// Vertical gap.
    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    /// Draws one line of text with its baseline `y` pt below the page top.
    pub fn text_at(&mut self, x: f32, y: f32, s: &str, size: f32, color: Color) {
        if s.is_empty() {
            return;
        }
        self.op(Op::StartTextSection);
        match &self.text_state {
            Some((s, c)) if *s == size && *c == color => {}
            Some((s, _)) if *s == size => self.op(Op::SetFillColor { col: color.clone() }),
            _ => {
                self.op(Op::SetFont {
                    font: PdfFontHandle::External(self.font.id.clone()),
                    size: Pt(size),
                });
                self.op(Op::SetFillColor { col: color.clone() });
            }
        }
        self.text_state = Some((size, color));
        self.op(Op::SetTextCursor {
            pos: Point {
                x: Pt(x),
                y: Pt(PAGE_H - y),
            },
        });
        self.op(Op::ShowText {
            items: vec![TextItem::Text(s.to_string())],
        });
        self.op(Op::EndTextSection);
    }

    /// Rectangle with its top-left corner `y` pt below the page top.
    pub fn rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Color>,
        stroke: Option<Color>,
    ) {
        let mode = match (&fill, &stroke) {
            (Some(_), Some(_)) => PaintMode::FillStroke,
            (Some(_), None) => PaintMode::Fill,
            (None, Some(_)) => PaintMode::Stroke,
            (None, None) => return,
        };
        self.op(Op::SaveGraphicsState);
        if let Some(f) = fill {
            self.op(Op::SetFillColor { col: f });
        }
        if let Some(s) = stroke {
            self.op(Op::SetOutlineColor { col: s });
            self.op(Op::SetOutlineThickness { pt: Pt(0.5) });
        }
        self.op(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(PAGE_H - y - h),
                width: Pt(w),
                height: Pt(h),
                mode: Some(mode),
                winding_order: None,
            },
        });
        self.op(Op::RestoreGraphicsState);
    }

    /// Horizontal rule.
    pub fn hline(&mut self, x0: f32, x1: f32, y: f32, thickness: f32, color: Color) {
        let p = |x: f32| LinePoint {
            p: Point {
                x: Pt(x),
                y: Pt(PAGE_H - y),
            },
            bezier: false,
        };
        self.op(Op::SaveGraphicsState);
        self.op(Op::SetOutlineColor { col: color });
        self.op(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.op(Op::DrawLine {
            line: Line {
                points: vec![p(x0), p(x1)],
                is_closed: false,
            },
        });
        self.op(Op::RestoreGraphicsState);
    }

    /// A wrapped paragraph at `size`, indented by `indent`.
    pub fn para(&mut self, s: &str, size: f32, color: Color, indent: f32) {
        let lh = size * LEADING;
        for line in self.font.wrap(s, CONTENT_W - indent, size) {
            self.ensure(lh);
            self.text_at(MARGIN_X + indent, self.y + size, &line, size, color.clone());
            self.y += lh;
        }
    }

    /// Body paragraph.
    pub fn body(&mut self, s: &str) {
        self.para(s, BODY, ink(), 0.0);
    }

    /// A heading: level 1 starts a new page and is large; level 2/3 keep with what follows.
    pub fn heading(&mut self, s: &str, level: u8) {
        let size = match level {
            1 => 16.0,
            2 => 12.5,
            _ => 10.5,
        };
        if level == 1 && self.y > TOP + 0.1 {
            self.new_page();
        }
        self.ensure(size * 2.0 + 40.0);
        self.gap(if level == 1 { 0.0 } else { size * 0.6 });
        let lh = size * 1.4;
        for line in self.font.wrap(s, CONTENT_W, size) {
            self.ensure(lh);
            self.text_at(MARGIN_X, self.y + size, &line, size, accent());
            self.y += lh;
        }
        if level <= 2 {
            self.hline(
                MARGIN_X,
                PAGE_W - MARGIN_X,
                self.y + 1.0,
                if level == 1 { 1.2 } else { 0.6 },
                accent(),
            );
            self.y += 6.0;
        } else {
            self.y += 2.0;
        }
    }

    /// A boxed note (e.g. a contradiction), with a coloured border and background.
    pub fn boxed(&mut self, title: &str, lines: &[String], border: Color, fill: Color) {
        let size = BODY;
        let lh = size * LEADING;
        let pad = 6.0;
        let mut wrapped = self.font.wrap(title, CONTENT_W - 2.0 * pad, size);
        for l in lines {
            wrapped.extend(
                self.font
                    .wrap(l, CONTENT_W - 2.0 * pad - 8.0, size)
                    .into_iter()
                    .map(|s| format!("  {s}")),
            );
        }
        let h = wrapped.len() as f32 * lh + 2.0 * pad;
        self.ensure(h.min(BOTTOM - TOP));
        let top = self.y;
        self.rect(
            MARGIN_X,
            top,
            CONTENT_W,
            h,
            Some(fill),
            Some(border.clone()),
        );
        self.rect(MARGIN_X, top, 3.0, h, Some(border), None);
        let mut y = top + pad;
        for l in &wrapped {
            self.text_at(MARGIN_X + pad + 2.0, y + size, l, size, ink());
            y += lh;
        }
        self.y = top + h + 6.0;
    }

    /// A table with `cols` (header text, width in pt) and `rows`. Cells wrap; a row that does
    /// not fit moves to the next page (or is split across pages when taller than a page); the
    /// header row is repeated at the top of every page the table spans.
    pub fn table(&mut self, cols: &[(&str, f32)], rows: &[Vec<Cell>], size: f32) {
        self.table_impl(cols, rows, size, true);
    }

    /// Like [`Writer::table`] but without a header row (key/value grids).
    pub fn grid(&mut self, cols: &[(&str, f32)], rows: &[Vec<Cell>], size: f32) {
        self.table_impl(cols, rows, size, false);
    }

    fn table_impl(
        &mut self,
        cols: &[(&str, f32)],
        rows: &[Vec<Cell>],
        size: f32,
        with_header: bool,
    ) {
        let pad = 3.0;
        let lh = size * 1.4;
        let header: Vec<Cell> = cols
            .iter()
            .map(|(h, _)| Cell::filled(*h, rgb(0xe3, 0xea, 0xf2)))
            .collect();
        let wrap_row = |row: &[Cell]| -> Vec<Vec<String>> {
            cols.iter()
                .enumerate()
                .map(|(i, (_, w))| {
                    let text = row.get(i).map_or("", |c| c.text.as_str());
                    self.font.wrap(text, w - 2.0 * pad, size)
                })
                .collect()
        };
        let head_lines = wrap_row(&header);
        let head_h = if with_header {
            head_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad
        } else {
            0.0
        };
        let first_h = rows
            .first()
            .map(|r| wrap_row(r).iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad)
            .unwrap_or(0.0);
        self.ensure(head_h + first_h.min(4.0 * lh + 2.0 * pad));
        if with_header {
            self.draw_row(cols, &header, &head_lines, 0, usize::MAX, size, pad);
            self.header_rows_drawn += 1;
        }
        for row in rows {
            let lines = wrap_row(row);
            let n = lines.iter().map(Vec::len).max().unwrap_or(1);
            let full_h = n as f32 * lh + 2.0 * pad;
            let page_room = BOTTOM - TOP - head_h;
            if full_h > self.remaining() && full_h <= page_room {
                self.new_page();
                if with_header {
                    self.draw_row(cols, &header, &head_lines, 0, usize::MAX, size, pad);
                    self.header_rows_drawn += 1;
                }
            }
            let mut k = 0;
            while k < n {
                let fit = ((self.remaining() - 2.0 * pad) / lh).floor();
                let fit = if fit < 1.0 { 0 } else { fit as usize };
                if fit == 0 {
                    self.new_page();
                    if with_header {
                        self.draw_row(cols, &header, &head_lines, 0, usize::MAX, size, pad);
                        self.header_rows_drawn += 1;
                    }
                    continue;
                }
                let take = fit.min(n - k);
                self.draw_row(cols, row, &lines, k, take, size, pad);
                k += take;
            }
        }
        self.y += 6.0;
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_row(
        &mut self,
        cols: &[(&str, f32)],
        row: &[Cell],
        lines: &[Vec<String>],
        from: usize,
        count: usize,
        size: f32,
        pad: f32,
    ) {
        let lh = size * 1.4;
        let n = lines
            .iter()
            .map(|l| l.len().saturating_sub(from).min(count))
            .max()
            .unwrap_or(0)
            .max(1);
        let h = n as f32 * lh + 2.0 * pad;
        let top = self.y;
        let mut x = MARGIN_X;
        for (i, (_, w)) in cols.iter().enumerate() {
            let fill = row.get(i).and_then(|c| c.fill.clone());
            let color = row.get(i).and_then(|c| c.color.clone()).unwrap_or_else(ink);
            self.rect(x, top, *w, h, fill, Some(rgb(0xa0, 0xa8, 0xb0)));
            let mut y = top + pad;
            if let Some(cell_lines) = lines.get(i) {
                for l in cell_lines.iter().skip(from).take(count) {
                    self.text_at(x + pad, y + size * 0.95, l, size, color.clone());
                    y += lh;
                }
            }
            x += w;
        }
        self.y = top + h;
    }

    /// Finishes: adds the footer ("Tenken — page X / Y") to every page and returns the pages'
    /// content streams with the glyphs they show.
    pub fn finish(mut self, footer: &dyn Fn(usize, usize) -> String) -> Result<Pages, Unsupported> {
        let last = std::mem::take(&mut self.page);
        self.pages.push(last.pack());
        let total = self.pages.len();
        let packed = std::mem::take(&mut self.pages);
        let mut streams = Vec::with_capacity(total);
        for (i, page) in packed.into_iter().enumerate() {
            // One page is unpacked at a time, drawn on and compressed for the document.
            self.page = PageContent::unpack(&page);
            drop(page);
            #[cfg(test)]
            let drawn = std::mem::take(&mut self.drawn);
            #[cfg(test)]
            self.drawn.push(Vec::new());
            // The state at the page's end is not tracked: the footer sets its own.
            self.text_state = None;
            let text = footer(i + 1, total);
            let w = self.font.width(&text, 8.0);
            self.hline(
                MARGIN_X,
                PAGE_W - MARGIN_X,
                PAGE_H - 44.0,
                0.5,
                rgb(0xbb, 0xbb, 0xbb),
            );
            self.text_at(PAGE_W - MARGIN_X - w, PAGE_H - 32.0, &text, 8.0, muted());
            #[cfg(test)]
            {
                let footer_ops = std::mem::take(&mut self.drawn);
                self.drawn = drawn;
                if let Some(p) = self.drawn.get_mut(i) {
                    p.extend(footer_ops.into_iter().flatten());
                }
            }
            streams.push(std::mem::take(&mut self.page).finish());
        }
        if let Some(e) = self.unsupported {
            return Err(e);
        }
        Ok(Pages {
            streams,
            glyphs: self.glyphs,
            #[cfg(test)]
            drawn: self.drawn,
        })
    }
}

/// The laid-out pages: their content streams, in order, and the glyphs they show.
#[derive(Debug)]
pub struct Pages {
    /// Each page's content stream.
    pub streams: Vec<PageStream>,
    /// The glyphs shown on any page.
    pub glyphs: ShownGlyphs,
    /// The operations of each page as drawn (tests).
    #[cfg(test)]
    pub drawn: Vec<Vec<Op>>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::BTreeMap;

    fn font() -> Font {
        let parsed = ParsedFont::from_bytes(super::super::FONT_BYTES, 0, &mut Vec::new()).unwrap();
        let id = printpdf::PdfDocument::new("t").add_font(&parsed);
        Font { parsed, id }
    }

    /// The lines of text of each page, read back from its content stream (each `Tj`'s glyph
    /// ids mapped to the characters shown with them).
    fn page_texts(pages: &Pages) -> Vec<Vec<String>> {
        let chars: BTreeMap<[u8; 2], char> = pages
            .glyphs
            .iter()
            .map(|(g, c)| (g.to_be_bytes(), *c))
            .collect();
        pages
            .streams
            .iter()
            .map(|s| {
                lopdf::content::Content::decode(&s.plain())
                    .unwrap()
                    .operations
                    .iter()
                    .filter(|o| o.operator == "Tj")
                    .map(|o| {
                        let gids = o.operands[0].as_str().unwrap();
                        gids.chunks(2)
                            .map(|g| chars[&[g[0], g[1]]])
                            .collect::<String>()
                    })
                    .collect()
            })
            .collect()
    }

    fn texts(lines: &[String]) -> Vec<String> {
        lines.to_vec()
    }

    /// The content stream printpdf writes for each page of `ops`, uncompressed.
    fn printpdf_streams(doc: &mut printpdf::PdfDocument, ops: &[Vec<Op>]) -> Vec<Vec<u8>> {
        doc.pages = ops
            .iter()
            .map(|o| printpdf::PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), o.clone()))
            .collect();
        let opts = printpdf::PdfSaveOptions {
            optimize: true,
            subset_fonts: true,
            secure: true,
            image_optimization: None,
        };
        let lo = printpdf::to_lopdf_doc(doc, &opts, &mut Vec::new());
        lo.get_pages()
            .into_values()
            .map(|id| {
                let c = lo
                    .get_dictionary(id)
                    .unwrap()
                    .get(b"Contents")
                    .unwrap()
                    .as_reference()
                    .unwrap();
                let st = lo.get_object(c).unwrap().as_stream().unwrap();
                st.decompressed_content()
                    .unwrap_or_else(|_| st.content.clone())
            })
            .collect()
    }

    #[test]
    fn content_streams_are_the_bytes_printpdf_writes() {
        let mut doc = printpdf::PdfDocument::new("t");
        let parsed = ParsedFont::from_bytes(super::super::FONT_BYTES, 0, &mut Vec::new()).unwrap();
        let id = doc.add_font(&parsed);
        let f = Font { parsed, id };
        let mut w = Writer::new(&f, "点検報告書 — テスト");
        w.heading("1. 見出し", 1);
        w.heading("1-1. 小見出し（ASCII and かな）", 2);
        w.heading("1-1-1. 三段目", 3);
        w.body("本文です。".repeat(40).as_str());
        w.para("灰色の段落 (muted)", 8.0, muted(), 12.0);
        w.boxed(
            "矛盾があります",
            &[
                "一行目".to_string(),
                "二行目の説明 — 😀 not in the font".to_string(),
            ],
            rgb(0xc0, 0x39, 0x2b),
            rgb(0xfd, 0xec, 0xea),
        );
        let rows: Vec<Vec<Cell>> = (0..90)
            .map(|i| {
                vec![
                    Cell::new(format!("PC-{i:04}\n受付")),
                    Cell::filled("不適合", rgb(0xf8, 0xd4, 0xd4)),
                    Cell::muted("未確認"),
                    Cell {
                        text: "色つきの文字".repeat(1 + i % 4),
                        fill: None,
                        color: Some(accent()),
                    },
                ]
            })
            .collect();
        w.table(
            &[
                ("名前", 90.0),
                ("判定", 60.0),
                ("状態", 60.0),
                ("内容", CONTENT_W - 210.0),
            ],
            &rows,
            6.5,
        );
        w.grid(&[("", 130.0), ("", CONTENT_W - 130.0)], &rows[..3], BODY);
        w.hline(MARGIN_X, PAGE_W - MARGIN_X, w.y, 1.2, accent());
        let pages = w
            .finish(&|p, n| format!("Tenken ― {p} / {n} ページ"))
            .unwrap();
        assert!(pages.streams.len() >= 3, "{}", pages.streams.len());
        let expected = printpdf_streams(&mut doc, &pages.drawn);
        assert_eq!(expected.len(), pages.streams.len());
        for (i, (s, e)) in pages.streams.iter().zip(&expected).enumerate() {
            assert!(s.flate, "page {} is compressed", i + 1);
            assert_eq!(
                String::from_utf8_lossy(&s.plain()),
                String::from_utf8_lossy(e),
                "page {}",
                i + 1
            );
        }
        // The glyphs are those printpdf finds on the pages (one per character shown, the
        // character not in the font shown as glyph 0 and not listed).
        let shown: BTreeMap<u16, char> = pages
            .drawn
            .iter()
            .flatten()
            .filter_map(|o| match o {
                Op::ShowText { items } => match items.as_slice() {
                    [TextItem::Text(t)] => Some(t.clone()),
                    _ => None,
                },
                _ => None,
            })
            .flat_map(|t| t.chars().collect::<Vec<_>>())
            .filter_map(|c| f.parsed.lookup_glyph_index(c as u32).map(|g| (g, c)))
            .collect();
        assert_eq!(pages.glyphs, shown);
        assert!(!shown.values().any(|c| *c == '😀'));
    }

    #[test]
    fn an_operation_the_encoder_does_not_write_is_an_error() {
        let f = font();
        let mut w = Writer::new(&f, "h");
        w.op(Op::SetLineHeight { lh: Pt(10.0) });
        assert!(w.finish(&|p, n| format!("{p}/{n}")).is_err());
    }

    #[test]
    fn font_metrics_are_real() {
        let f = font();
        // full-width kana is about 1 em, ASCII about half
        let kana = f.width("あ", 10.0);
        let a = f.width("a", 10.0);
        assert!((kana - 10.0).abs() < 0.5, "{kana}");
        assert!(a > 3.0 && a < 7.0, "{a}");
    }

    #[test]
    fn table_header_repeats_on_every_page_it_spans() {
        let f = font();
        let mut w = Writer::new(&f, "header");
        let rows: Vec<Vec<Cell>> = (0..120)
            .map(|i| {
                vec![
                    Cell::new(format!("行{i}")),
                    Cell::new("セキュリティパッチを適用している。".repeat(1 + i % 3)),
                ]
            })
            .collect();
        w.table(
            &[("見出しA", 80.0), ("見出しB", CONTENT_W - 80.0)],
            &rows,
            9.0,
        );
        let pages = page_texts(&w.finish(&|p, n| format!("{p} / {n}")).unwrap());
        assert!(
            pages.len() >= 3,
            "table should span pages, got {}",
            pages.len()
        );
        for (i, p) in pages.iter().enumerate() {
            let t = texts(p);
            assert!(
                t.iter().any(|s| s == "見出しA"),
                "page {} lacks the header row",
                i + 1
            );
            assert!(
                t.iter()
                    .any(|s| *s == format!("{} / {}", i + 1, pages.len())),
                "page {} footer",
                i + 1
            );
        }
        // every row is drawn exactly once
        let all: Vec<String> = pages.iter().flat_map(|p| texts(p)).collect();
        for i in 0..120 {
            assert_eq!(
                all.iter().filter(|s| **s == format!("行{i}")).count(),
                1,
                "row {i}"
            );
        }
    }

    #[test]
    fn row_taller_than_a_page_is_split_not_lost() {
        let f = font();
        let mut w = Writer::new(&f, "h");
        let long = (0..150)
            .map(|i| format!("L{i}"))
            .collect::<Vec<_>>()
            .join("\n");
        w.table(
            &[("A", 100.0), ("B", CONTENT_W - 100.0)],
            &[vec![Cell::new("x"), Cell::new(long)]],
            9.0,
        );
        let pages = page_texts(&w.finish(&|p, n| format!("{p}/{n}")).unwrap());
        assert!(pages.len() >= 2);
        let all: Vec<String> = pages.iter().flat_map(|p| texts(p)).collect();
        for i in 0..150 {
            assert!(all.contains(&format!("L{i}")), "line {i} lost");
        }
        assert!(
            texts(&pages[1]).contains(&"A".to_string()),
            "header repeated"
        );
    }
}
