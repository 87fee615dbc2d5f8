//! A worksheet read into a sparse grid with its merged ranges, with hard limits so that a hostile
//! workbook (a cell at XFD1048576, a zip bomb of rows) fails with a message instead of exhausting
//! memory. Cells are streamed; calamine's dense `Range` is never built.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::layout::{LayoutColWidth, LayoutMerge};
use tenken_base::Text;

/// Largest workbook file accepted (the MHLW files are about 25 KB).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Most non-empty cells per worksheet.
pub const MAX_CELLS: usize = 50_000;
/// Highest row / column index looked at.
pub const MAX_ROW: u32 = 5_000;
/// Highest column index looked at.
pub const MAX_COL: u32 = 200;
/// Most merged ranges per worksheet.
const MAX_MERGES: usize = 10_000;
/// Most cells covered by merged ranges per worksheet.
const MAX_MERGED_AREA: u64 = 500_000;

/// One worksheet: its non-empty cells (text) and merged ranges.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Worksheet name.
    pub name: String,
    cells: HashMap<(u32, u32), String>,
    /// Merged ranges.
    pub merges: Vec<LayoutMerge>,
    /// Column widths the worksheet sets (`<cols>`), 0-based.
    pub col_widths: Vec<LayoutColWidth>,
    /// Top-left cell of the merge a cell belongs to.
    origin: HashMap<(u32, u32), (u32, u32)>,
    /// Last row with a value (0 when empty).
    pub max_row: u32,
    /// Last column with a value.
    pub max_col: u32,
}

impl Grid {
    /// The value shown at (row, col): the merged range's value for any cell inside it.
    pub fn get(&self, r: u32, c: u32) -> &str {
        let o = self.origin(r, c);
        self.cells.get(&o).map_or("", String::as_str)
    }

    /// The top-left cell of the merged range holding (row, col), or the cell itself.
    pub fn origin(&self, r: u32, c: u32) -> (u32, u32) {
        self.origin.get(&(r, c)).copied().unwrap_or((r, c))
    }

    /// Last row of the merged range starting at (row, col), or `row`.
    pub fn merge_end_row(&self, r: u32, c: u32) -> u32 {
        self.merges
            .iter()
            .find(|m| m.first_row == r && m.first_col == c)
            .map_or(r, |m| m.last_row)
    }

    /// True when the worksheet has no values.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// All non-empty cells, sorted by row then column.
    pub fn cells(&self) -> Vec<(u32, u32, &str)> {
        let mut v: Vec<_> = self
            .cells
            .iter()
            .map(|(&(r, c), s)| (r, c, s.as_str()))
            .collect();
        v.sort_unstable_by_key(|&(r, c, _)| (r, c));
        v
    }

    /// Builds a grid from cells (used by tests and by the reader).
    pub fn from_cells(
        name: &str,
        cells: impl IntoIterator<Item = (u32, u32, String)>,
        merges: Vec<LayoutMerge>,
    ) -> Self {
        let mut g = Grid {
            name: name.to_string(),
            ..Grid::default()
        };
        for (r, c, v) in cells {
            let v = v.trim().to_string();
            if v.is_empty() {
                continue;
            }
            g.max_row = g.max_row.max(r);
            g.max_col = g.max_col.max(c);
            g.cells.insert((r, c), v);
        }
        for m in &merges {
            for r in m.first_row..=m.last_row.min(MAX_ROW) {
                for c in m.first_col..=m.last_col.min(MAX_COL) {
                    if (r, c) != (m.first_row, m.first_col) {
                        g.origin.insert((r, c), (m.first_row, m.first_col));
                    }
                }
            }
            g.max_row = g.max_row.max(m.last_row.min(MAX_ROW));
        }
        g.merges = merges;
        g
    }
}

/// Text of a cell value; whole numbers without `.0`, dates as `YYYY-MM-DD`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(dt) => excel_date(dt.as_f64()).unwrap_or_else(|| dt.to_string()),
        other => other.to_string(),
    }
}

/// An Excel serial date (1900 system) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> Option<String> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor();
    if !(1.0..=2_958_465.0).contains(&days) {
        return None;
    }
    base.checked_add_signed(chrono::Duration::days(days as i64))
        .map(|d| d.to_string())
}

/// Why a workbook could not be read: too large (Japanese / English detail).
pub fn too_large(ja: &str, en: &str) -> Text {
    Text::new(
        format!(
            "ブックが大きすぎます（{ja}）。厚生労働省のチェックリストのブックか確かめてください。"
        ),
        format!("The workbook is too large ({en}). Check that it is the MHLW checklist workbook."),
    )
}

fn not_xlsx(detail: &str) -> Text {
    Text::new(
        format!(
            "Excel ブック（.xlsx）として読めません。壊れているか、Excel 以外のファイルです（{detail}）。"
        ),
        format!("The file is not a readable workbook (.xlsx expected): {detail}"),
    )
}

/// Most entries in the workbook's zip archive.
const MAX_ZIP_ENTRIES: usize = 1_000;
/// Most bytes the archive may unpack to (declared sizes).
const MAX_UNPACKED_BYTES: u64 = 100 * 1024 * 1024;
/// Highest unpacked / packed ratio of one entry (XML compresses well, but not a million times).
const MAX_RATIO: u64 = 200;

fn le16(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 2)
        .map(|s| u64::from(u16::from_le_bytes([s[0], s[1]])))
}

fn le32(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 4)
        .map(|s| u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])))
}

/// Checks the zip archive's central directory before anything is unpacked: entry count, the
/// declared unpacked size and the compression ratio, so that a zip bomb is refused up front.
fn check_zip(bytes: &[u8]) -> Result<(), Text> {
    let bad = || not_xlsx("zip の目次が読めません / the zip directory is unreadable");
    // End of central directory: signature PK\x05\x06, within the last 64 KiB + 22 bytes.
    let from = bytes.len().saturating_sub(65_536 + 22);
    let eocd = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(&[0x50, 0x4b, 0x05, 0x06]))
        .ok_or_else(bad)?;
    let entries = le16(bytes, eocd + 10).ok_or_else(bad)?;
    let mut at = usize::try_from(le32(bytes, eocd + 16).ok_or_else(bad)?).map_err(|_| bad())?;
    if entries as usize > MAX_ZIP_ENTRIES {
        return Err(too_large(
            &format!("zip の中のファイルが {entries} 個"),
            &format!("{entries} entries in the zip archive"),
        ));
    }
    let mut total: u64 = 0;
    for _ in 0..entries {
        if le32(bytes, at) != Some(0x0201_4b50) {
            return Err(bad());
        }
        let packed = le32(bytes, at + 20).ok_or_else(bad)?;
        let unpacked = le32(bytes, at + 24).ok_or_else(bad)?;
        if packed == 0xFFFF_FFFF || unpacked == 0xFFFF_FFFF {
            return Err(too_large("zip64 形式", "zip64 archive"));
        }
        total = total.saturating_add(unpacked);
        if total > MAX_UNPACKED_BYTES || unpacked > packed.max(1).saturating_mul(MAX_RATIO) {
            return Err(too_large(
                "展開すると極端に大きくなる内容（zip 爆弾の疑い）",
                "it unpacks to an extreme size: a possible zip bomb",
            ));
        }
        let name_len = le16(bytes, at + 28).ok_or_else(bad)?;
        let extra_len = le16(bytes, at + 30).ok_or_else(bad)?;
        let comment_len = le16(bytes, at + 32).ok_or_else(bad)?;
        at = at
            .checked_add(46 + (name_len + extra_len + comment_len) as usize)
            .ok_or_else(bad)?;
    }
    Ok(())
}

/// Reads every worksheet of an .xlsx file held in memory.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Grid>, Text> {
    if bytes.is_empty() {
        return Err(Text::new("空のファイルです。", "The file is empty."));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(
            &format!("{} バイト、上限 {MAX_FILE_BYTES} バイト", bytes.len()),
            &format!("{} bytes, limit {MAX_FILE_BYTES}", bytes.len()),
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(not_xlsx("zip 形式ではありません / not a zip archive"));
    }
    check_zip(bytes)?;
    let mut wb: Xlsx<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| not_xlsx(&e.to_string()))?;
    let cannot = |name: &str, e: &dyn std::fmt::Display| {
        Text::new(
            format!("シート「{name}」を読めません（{e}）。"),
            format!("Cannot read worksheet `{name}`: {e}"),
        )
    };
    let widths = column_widths(bytes);
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let mut cells = Vec::new();
        {
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| cannot(&name, &e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| cannot(&name, &e))? {
                let (r, c) = cell.get_position();
                let value = Data::from(cell.get_value().clone());
                let text = cell_text(&value);
                if text.trim().is_empty() {
                    continue;
                }
                if r > MAX_ROW || c > MAX_COL {
                    return Err(too_large(
                        &format!(
                            "シート「{name}」の {} 行 {} 列目に値があります。上限は {} 行 {} 列",
                            r + 1,
                            c + 1,
                            MAX_ROW + 1,
                            MAX_COL + 1
                        ),
                        &format!(
                            "worksheet `{name}` has a value at row {}, column {}; limit {} rows, {} columns",
                            r + 1,
                            c + 1,
                            MAX_ROW + 1,
                            MAX_COL + 1
                        ),
                    ));
                }
                cells.push((r, c, text));
                if cells.len() > MAX_CELLS {
                    return Err(too_large(
                        &format!("シート「{name}」のセルが {MAX_CELLS} 個を超えます"),
                        &format!("worksheet `{name}` has more than {MAX_CELLS} cells"),
                    ));
                }
            }
        }
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| cannot(&name, &e))?;
        let area: u64 = merges
            .iter()
            .map(|d| {
                u64::from(d.end.0.min(MAX_ROW).saturating_sub(d.start.0) + 1)
                    * u64::from(d.end.1.min(MAX_COL).saturating_sub(d.start.1) + 1)
            })
            .sum();
        if merges.len() > MAX_MERGES || area > MAX_MERGED_AREA {
            return Err(too_large(
                &format!("シート「{name}」の結合セルが多すぎます"),
                &format!("worksheet `{name}` has too many merged cells"),
            ));
        }
        let merges = merges
            .into_iter()
            .filter(|d| d.start.0 <= MAX_ROW && d.start.1 <= MAX_COL)
            .map(|d| LayoutMerge {
                first_row: d.start.0,
                first_col: d.start.1,
                last_row: d.end.0.min(MAX_ROW),
                last_col: d.end.1.min(MAX_COL),
            })
            .collect();
        let mut g = Grid::from_cells(&name, cells, merges);
        g.col_widths = widths.get(&name).cloned().unwrap_or_default();
        out.push(g);
    }
    Ok(out)
}

/// Decodes the five predefined XML entities of an attribute value.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in the start tag `tag` (`<col min="1" …/>`).
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().last();
        let after = &rest[i + name.len()..];
        if matches!(before, Some(' ' | '\t' | '\n' | '\r')) && after.starts_with('=') {
            let q = after[1..].chars().next()?;
            let v = &after[2..];
            return v.find(q).map(|end| unescape(&v[..end]));
        }
        rest = &rest[i + name.len()..];
    }
    None
}

/// The start tags `<elem …>` in `xml` (not `<elemX…>`).
fn tags<'a>(xml: &'a str, elem: &str) -> Vec<&'a str> {
    let open = format!("<{elem}");
    xml.match_indices(open.as_str())
        .filter_map(|(i, _)| {
            let rest = &xml[i + open.len()..];
            let next = rest.chars().next()?;
            if !(next.is_whitespace() || next == '/' || next == '>') {
                return None;
            }
            rest.find('>').map(|end| &rest[..end])
        })
        .collect()
}

/// Reads one part of the archive as text (bounded: the archive was checked by [`check_zip`]).
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    use std::io::Read;
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    (&mut f)
        .take(MAX_UNPACKED_BYTES)
        .read_to_string(&mut s)
        .ok()?;
    Some(s)
}

/// The column widths each worksheet sets (`<cols><col min max width/>`), by worksheet name. The
/// export writes them back so the filled form keeps the original's columns; a workbook whose
/// parts cannot be read simply has none (the cells themselves were read by calamine).
pub fn column_widths(bytes: &[u8]) -> HashMap<String, Vec<LayoutColWidth>> {
    let mut out = HashMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let (Some(book), Some(rels)) = (
        part(&mut zip, "xl/workbook.xml"),
        part(&mut zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return out;
    };
    let targets: HashMap<String, String> = tags(&rels, "Relationship")
        .into_iter()
        .filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?)))
        .collect();
    for sheet in tags(&book, "sheet") {
        let (Some(name), Some(rid)) = (attr(sheet, "name"), attr(sheet, "r:id")) else {
            continue;
        };
        let Some(target) = targets.get(&rid) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        let Some(xml) = part(&mut zip, &path) else {
            continue;
        };
        let mut widths = Vec::new();
        for col in tags(&xml, "col") {
            let (Some(min), Some(max), Some(width)) = (
                attr(col, "min").and_then(|v| v.parse::<u32>().ok()),
                attr(col, "max").and_then(|v| v.parse::<u32>().ok()),
                attr(col, "width").and_then(|v| v.parse::<f64>().ok()),
            ) else {
                continue;
            };
            if min == 0 || width <= 0.0 || width > 255.0 {
                continue;
            }
            // Hundredths of a character, rounded (in range: 0 < width <= 255).
            let width_centi = (width * 100.0).round() as u32;
            for c in min..=max.min(MAX_COL + 1) {
                widths.push(LayoutColWidth {
                    col: c - 1,
                    width_centi,
                });
            }
        }
        out.insert(name, widths);
    }
    out
}

/// `A`, `B`, …, `AA` for a 0-based column.
pub fn col_name(c: u32) -> String {
    let mut n = c + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

/// `Sheet!B7` for a 0-based cell.
pub fn addr(sheet: &str, r: u32, c: u32) -> String {
    format!("{sheet}!{}{}", col_name(c), r + 1)
}
