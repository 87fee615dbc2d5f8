//! Export of a filled checklist in the official shape (issue 16 item 4): one workbook per
//! workbook imported, with the same worksheet name, every cell in its row and column, the same
//! merged ranges, and the answers written into the form's own cells (○ under はい or いいえ, or
//! the answer in a single 回答 column; 確認日, 目標日, 備考). Built from the layout the importer
//! recorded (`Checklist::layout`); a form without answer columns gets them to the right of its
//! table, headed like the form.

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use tenken_assessment::{Answer, AnswerValue, Assessment};
use tenken_base::Lang;
use tenken_checklist::Checklist;
use tenken_checklist::layout::{AnswerColumns, LayoutFile};

use super::{MARK, XlsxExportError};

/// One exported workbook: a suggested file name and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialWorkbook {
    /// File name: the imported file's stem with 「_記入済み」 (`001716187_記入済み.xlsx`).
    pub file_name: String,
    /// Worksheet name (as in the imported workbook).
    pub worksheet: String,
    /// The .xlsx bytes.
    pub bytes: Vec<u8>,
}

/// Writes the assessments of `checklist` (normally one per sheet) into workbooks shaped like the
/// imported originals: one per imported file, in import order. A file whose sheet has no
/// assessment is written with its form blank.
pub fn export_official(
    checklist: &Checklist,
    assessments: &[&Assessment],
    lang: Lang,
) -> Result<Vec<OfficialWorkbook>, XlsxExportError> {
    let layout = checklist
        .layout
        .as_ref()
        .filter(|l| !l.files.is_empty())
        .ok_or_else(|| XlsxExportError::NoLayout(checklist.id.clone()))?;
    for a in assessments {
        if a.checklist_id != checklist.id {
            return Err(XlsxExportError::ChecklistMismatch {
                assessment: a.id,
                expected: checklist.id.clone(),
            });
        }
    }
    if assessments.is_empty() {
        return Err(XlsxExportError::Empty);
    }
    layout
        .files
        .iter()
        .map(|f| {
            let answers: &[Answer] = assessments
                .iter()
                .find(|a| a.sheet.as_str() == f.sheet)
                .map_or(&[], |a| a.answers.as_slice());
            Ok(OfficialWorkbook {
                file_name: format!("{}_{}.xlsx", stem(&f.name), lang.pick("記入済み", "filled")),
                worksheet: f.worksheet.clone(),
                bytes: write_file(f, answers, lang)?,
            })
        })
        .collect()
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The answer columns, with columns added right of the table for what the form lacks.
fn columns(f: &LayoutFile) -> (AnswerColumns, Vec<(u32, &'static str)>) {
    let mut c = f.columns;
    let mut added = Vec::new();
    let mut next = f.cells.iter().map(|x| x.col).max().unwrap_or(0) + 1;
    let mut add = |slot: &mut Option<u32>, label: &'static str| {
        if slot.is_none() {
            *slot = Some(next);
            added.push((next, label));
            next += 1;
        }
    };
    if !c.has_answer() {
        add(&mut c.answer, "回答");
    }
    add(&mut c.checked, "確認日");
    add(&mut c.target, "目標日");
    add(&mut c.note, "備考");
    (c, added)
}

fn write_file(f: &LayoutFile, answers: &[Answer], lang: Lang) -> Result<Vec<u8>, XlsxExportError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&f.worksheet)?;
    // Cells as the original shows them by default (no wrapping: wrapping would change row
    // heights and the pages it prints on); the person's notes wrap within their cell.
    let plain = Format::new();
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let center = Format::new()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    // Every cell of the original, as text (whole numbers as numbers, as they were read).
    for cell in &f.cells {
        let in_merge = f.merges.iter().any(|m| {
            (m.first_row..=m.last_row).contains(&cell.row)
                && (m.first_col..=m.last_col).contains(&cell.col)
        });
        if in_merge {
            continue;
        }
        write_value(ws, cell.row, cell.col, &cell.value, &plain)?;
    }
    for m in &f.merges {
        let value = f
            .cells
            .iter()
            .find(|c| c.row == m.first_row && c.col == m.first_col)
            .map_or("", |c| c.value.as_str());
        if m.first_row == m.last_row && m.first_col == m.last_col {
            write_value(ws, m.first_row, m.first_col, value, &plain)?;
        } else {
            ws.merge_range(
                m.first_row,
                col16(m.first_col)?,
                m.last_row,
                col16(m.last_col)?,
                value,
                &plain,
            )?;
        }
    }
    let (cols, added) = columns(f);
    let header_row = f.header_rows.last().copied().unwrap_or(0);
    for (col, label) in &added {
        ws.write_string(header_row, col16(*col)?, *label)?;
    }
    // The original's column widths; columns it leaves at the default stay at the default. A
    // workbook stores widths with Excel's cell padding (5 pixels of a 7-pixel character) added,
    // and the writer adds it again: take it off so the stored width comes out the same.
    for cw in &f.col_widths {
        let width = (cw.chars() - 5.0 / 7.0).max(0.0);
        ws.set_column_width(col16(cw.col)?, width)?;
    }
    // A column the form lacked (added for 確認日, 目標日 or 備考) fits a date.
    for (col, _) in &added {
        if !f.col_widths.iter().any(|cw| cw.col == *col) {
            ws.set_column_width(col16(*col)?, 12.0)?;
        }
    }
    for row in &f.rows {
        let Some(a) = answers
            .iter()
            .find(|a| a.item_id == row.item && a.scope == row.scope)
        else {
            continue;
        };
        let r = row.row;
        let mut note = a.note.clone();
        match (a.value, cols.answer, cols.yes, cols.no) {
            (AnswerValue::Unanswered, ..) => {}
            (v, Some(c), _, _) => {
                ws.write_string_with_format(r, col16(c)?, v.label(lang), &center)?;
            }
            (AnswerValue::Yes, None, Some(c), _) | (AnswerValue::No, None, _, Some(c)) => {
                ws.write_string_with_format(r, col16(c)?, MARK, &center)?;
            }
            // 該当なし, or a form with only one of はい / いいえ: said in the note.
            (v, ..) => {
                let label = v.label(lang);
                note = if note.is_empty() {
                    label.to_string()
                } else {
                    format!("{label} {note}")
                };
            }
        }
        if let (Some(c), Some(d)) = (cols.checked, a.checked_on) {
            ws.write_string(r, col16(c)?, d.to_string())?;
        }
        if let (Some(c), Some(d)) = (cols.target, a.target_date) {
            ws.write_string(r, col16(c)?, d.to_string())?;
        }
        if let Some(c) = cols.note
            && !note.is_empty()
        {
            ws.write_string_with_format(r, col16(c)?, &note, &wrap)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

fn col16(c: u32) -> Result<u16, XlsxExportError> {
    u16::try_from(c).map_err(|_| XlsxExportError::UnknownSheet(format!("column {c}")))
}

fn write_value(
    ws: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    c: u32,
    v: &str,
    fmt: &Format,
) -> Result<(), XlsxExportError> {
    let col = col16(c)?;
    match v.parse::<i64>() {
        Ok(n) if !v.starts_with('0') || v == "0" => {
            ws.write_number_with_format(r, col, n as f64, fmt)?;
        }
        _ => {
            ws.write_string_with_format(r, col, v, fmt)?;
        }
    }
    Ok(())
}
