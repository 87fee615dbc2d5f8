//! XLSX export of a filled checklist, laid out like the MHLW form: a title row, the clinic's
//! name, one worksheet per sheet answered, a section row then one row per item (scope sub-rows
//! below it), columns 番号 / 確認項目 / 対象 / はい / いいえ / 該当なし / 確認日 / 目標日 / 備考 with
//! ○ in the chosen column, A4 portrait fitted to the page width, a Japanese font, and the 出典
//! line with the note on edited or reconstructed wording.

use std::collections::HashMap;
use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use tenken_assessment::{Answer, AnswerValue, Assessment};
use tenken_base::Lang;
use tenken_checklist::{Checklist, ProvenanceTag, Scope};

/// Font used in the workbook (the Japanese font Tenken ships; Excel substitutes if absent).
pub const FONT_NAME: &str = "IPAexGothic";

/// The mark written in the chosen answer column.
pub const MARK: &str = "○";

/// Column headers, in order.
pub const HEADERS_JA: [&str; 9] = [
    "番号",
    "確認項目",
    "対象",
    "はい",
    "いいえ",
    "該当なし",
    "確認日",
    "目標日",
    "備考",
];

const HEADERS_EN: [&str; 9] = [
    "No.",
    "Item",
    "Scope",
    "Yes",
    "No",
    "N/A",
    "Checked on",
    "Target date",
    "Notes",
];

/// Row (0-based) of the column headers on every worksheet.
pub const HEADER_ROW: u32 = 4;

/// Errors of the XLSX export.
#[derive(Debug, thiserror::Error)]
pub enum XlsxExportError {
    /// The writer failed.
    #[error("XLSXを書き出せません (cannot write XLSX): {0}")]
    Xlsx(#[from] XlsxError),
    /// An assessment does not use this checklist.
    #[error("点検 {assessment} はチェックリスト {expected} を使っていません (checklist mismatch)")]
    ChecklistMismatch {
        /// Assessment id.
        assessment: i64,
        /// Checklist given.
        expected: String,
    },
    /// An assessment's sheet is not in the checklist.
    #[error("シート {0} はこのチェックリストにありません (unknown sheet)")]
    UnknownSheet(String),
    /// Nothing to export.
    #[error("出力する点検がありません (no assessment to export)")]
    Empty,
    /// The checklist was not imported from workbooks, so there is no official shape to follow.
    #[error(
        "チェックリスト {0} には取り込んだブックの形が記録されていません。公式の形での出力は、ブックから取り込んだチェックリストだけでできます (no imported workbook layout: only checklists imported from the official workbooks export in their shape)"
    )]
    NoLayout(String),
}

/// 和暦 label of a fiscal year (2025 -> 令和7年度).
pub fn fiscal_year_label(fy: u16, lang: Lang) -> String {
    match lang {
        Lang::Ja if fy >= 2019 => {
            let r = fy - 2018;
            if r == 1 {
                "令和元年度".to_string()
            } else {
                format!("令和{r}年度")
            }
        }
        Lang::Ja => format!("{fy}年度"),
        Lang::En => format!("FY{fy}"),
    }
}

/// Writes the assessments (one worksheet each, normally one per sheet of the same year) of
/// `checklist` to `path`.
pub fn export_xlsx(
    checklist: &Checklist,
    assessments: &[&Assessment],
    lang: Lang,
    path: &Path,
) -> Result<(), XlsxExportError> {
    let mut wb = build_workbook(checklist, assessments, lang)?;
    wb.save(path)?;
    Ok(())
}

/// Same as [`export_xlsx`] but returns the file's bytes.
pub fn export_xlsx_bytes(
    checklist: &Checklist,
    assessments: &[&Assessment],
    lang: Lang,
) -> Result<Vec<u8>, XlsxExportError> {
    let mut wb = build_workbook(checklist, assessments, lang)?;
    Ok(wb.save_to_buffer()?)
}

struct Formats {
    title: Format,
    info: Format,
    header: Format,
    section: Format,
    cell: Format,
    center: Format,
    small: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new().set_font_name(FONT_NAME).set_font_size(10);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: base
                .clone()
                .set_font_size(14)
                .set_bold()
                .set_align(FormatAlign::Center),
            info: base.clone(),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap()
                .set_background_color(0xD9D9D9),
            section: boxed.clone().set_bold().set_background_color(0xF2F2F2),
            cell: boxed.clone().set_text_wrap(),
            center: boxed.set_align(FormatAlign::Center),
            small: base.set_font_size(8).set_text_wrap(),
        }
    }
}

/// Builds the workbook in memory.
fn build_workbook(
    checklist: &Checklist,
    assessments: &[&Assessment],
    lang: Lang,
) -> Result<Workbook, XlsxExportError> {
    if assessments.is_empty() {
        return Err(XlsxExportError::Empty);
    }
    let mut wb = Workbook::new();
    let f = Formats::new();
    let mut used_names: Vec<String> = Vec::new();
    for a in assessments {
        if a.checklist_id != checklist.id {
            return Err(XlsxExportError::ChecklistMismatch {
                assessment: a.id,
                expected: checklist.id.clone(),
            });
        }
        let sheet = checklist
            .sheets
            .iter()
            .find(|s| s.id == a.sheet.as_str())
            .ok_or_else(|| XlsxExportError::UnknownSheet(a.sheet.to_string()))?;
        let mut name = sanitize_sheet_name(sheet.title.get(lang));
        if used_names.contains(&name) {
            name = sanitize_sheet_name(&format!("{name} ({})", a.id));
        }
        used_names.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        write_sheet(ws, checklist, a, sheet.title.get(lang), lang, &f)?;
    }
    Ok(wb)
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`.
fn sanitize_sheet_name(s: &str) -> String {
    s.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

/// Estimated number of printed lines of `text` in a column `col_width` characters wide
/// (East Asian wide characters count two).
fn lines_needed(text: &str, col_width: f64) -> u32 {
    let per_line = (col_width - 1.0).max(1.0);
    text.split('\n')
        .map(|line| {
            let w: f64 = line
                .chars()
                .map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 })
                .sum();
            (w / per_line).ceil().max(1.0) as u32
        })
        .sum::<u32>()
        .max(1)
}

/// Height in points of one 10 pt text line.
const LINE_HEIGHT: f64 = 13.5;

fn date_cell(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y/%m/%d").to_string())
        .unwrap_or_default()
}

fn remarks(a: &Answer, lang: Lang) -> String {
    let mut parts = Vec::new();
    if !a.note.is_empty() {
        parts.push(a.note.clone());
    }
    if !a.responsible.is_empty() {
        parts.push(format!(
            "{}: {}",
            lang.pick("担当", "Responsible"),
            a.responsible
        ));
    }
    for att in &a.attachments {
        let short = att.sha256.get(..12).unwrap_or(&att.sha256);
        parts.push(format!(
            "{}: {} (SHA-256 {short}…)",
            lang.pick("添付", "Attached"),
            att.name
        ));
    }
    parts.join("\n")
}

fn write_sheet(
    ws: &mut Worksheet,
    checklist: &Checklist,
    a: &Assessment,
    sheet_title: &str,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxExportError> {
    let widths = [7.0, 48.0, 14.0, 5.0, 5.0, 6.0, 10.5, 10.5, 24.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_paper_size(9); // A4
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    ws.set_footer("&C&P / &N");

    let title = format!("{}（{}）", checklist.title.get(lang), sheet_title);
    ws.merge_range(0, 0, 0, 8, &title, &f.title)?;
    ws.set_row_height(0, 24)?;
    let clinic = format!("{}: {}", lang.pick("医療機関名", "Clinic"), a.profile.name);
    ws.merge_range(1, 0, 1, 5, &clinic, &f.info)?;
    let fy = format!(
        "{}: {}",
        lang.pick("対象年度", "Fiscal year"),
        fiscal_year_label(a.fiscal_year, lang)
    );
    ws.merge_range(1, 6, 1, 8, &fy, &f.info)?;
    if !a.assessor.name.is_empty() {
        let who = match &a.assessor.company {
            Some(c) => format!("{} {}", c, a.assessor.name),
            None => a.assessor.name.clone(),
        };
        ws.merge_range(
            2,
            0,
            2,
            5,
            &format!("{}: {who}", lang.pick("確認者", "Assessed by")),
            &f.info,
        )?;
    }
    let headers = match lang {
        Lang::Ja => HEADERS_JA,
        Lang::En => HEADERS_EN,
    };
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &f.header)?;
    }

    let answers: HashMap<(&str, Scope), &Answer> = a
        .answers
        .iter()
        .map(|x| ((x.item_id.as_str(), x.scope), x))
        .collect();
    let mut row = HEADER_ROW + 1;
    let mut edited: Vec<&str> = Vec::new();
    for section in &checklist.sections {
        let items: Vec<_> = section
            .items
            .iter()
            .filter(|i| i.on_sheet(a.sheet))
            .collect();
        if items.is_empty() {
            continue;
        }
        let title = format!("{} {}", section.id, section.title.get(lang));
        ws.merge_range(row, 0, row, 8, &title, &f.section)?;
        row += 1;
        for item in items {
            if !matches!(
                item.provenance.tag,
                ProvenanceTag::Checked | ProvenanceTag::Imported | ProvenanceTag::Tenken
            ) {
                edited.push(&item.number);
            }
            let scopes = item.answer_scopes();
            let n = scopes.len() as u32;
            let text = item.text.get(lang);
            // Rows do not grow by themselves in every reader: size them for the wrapped text.
            let text_lines = lines_needed(text, widths[1]);
            let per_row_min = f64::from(text_lines) * LINE_HEIGHT / f64::from(n);
            if n > 1 {
                ws.merge_range(row, 0, row + n - 1, 0, &item.number, &f.center)?;
                ws.merge_range(row, 1, row + n - 1, 1, text, &f.cell)?;
            } else {
                ws.write_string_with_format(row, 0, &item.number, &f.center)?;
                ws.write_string_with_format(row, 1, text, &f.cell)?;
            }
            for scope in scopes {
                let scope_label = if item.scopes.is_empty() {
                    ""
                } else {
                    scope.label(lang)
                };
                ws.write_string_with_format(row, 2, scope_label, &f.cell)?;
                let ans = answers.get(&(item.id.as_str(), scope)).copied();
                let value = ans.map(|x| x.value).unwrap_or_default();
                for (col, v) in [
                    (3u16, AnswerValue::Yes),
                    (4, AnswerValue::No),
                    (5, AnswerValue::NotApplicable),
                ] {
                    let mark = if value == v { MARK } else { "" };
                    ws.write_string_with_format(row, col, mark, &f.center)?;
                }
                let (checked, target, note) = match ans {
                    Some(x) => (
                        date_cell(x.checked_on),
                        date_cell(x.target_date),
                        remarks(x, lang),
                    ),
                    None => Default::default(),
                };
                ws.write_string_with_format(row, 6, &checked, &f.center)?;
                ws.write_string_with_format(row, 7, &target, &f.center)?;
                ws.write_string_with_format(row, 8, &note, &f.cell)?;
                let note_lines = if note.is_empty() {
                    1
                } else {
                    lines_needed(&note, widths[8])
                };
                let height = (f64::from(note_lines) * LINE_HEIGHT).max(per_row_min);
                ws.set_row_height(row, height.max(LINE_HEIGHT + 1.5))?;
                row += 1;
            }
        }
    }

    row += 1;
    let src = &checklist.source;
    let source_line = format!(
        "{}{}「{}」（{}）{}",
        lang.pick("出典：", "Source: "),
        src.publisher,
        src.title,
        src.date,
        src.url
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default()
    );
    ws.merge_range(row, 0, row, 8, &source_line, &f.small)?;
    row += 1;
    if !src.license_note.is_empty() {
        ws.merge_range(row, 0, row, 8, &src.license_note, &f.small)?;
        row += 1;
    }
    if !edited.is_empty() {
        let note = match lang {
            Lang::Ja => format!(
                "※ 次の項目の文言は公式文書から確認できなかったため、Tenkenが編集・再構成したもので、公式の文言とは異なる場合があります: {}",
                edited.join("、")
            ),
            Lang::En => format!(
                "* The wording of these items could not be checked against the official document; it was edited or reconstructed by Tenken and may differ: {}",
                edited.join(", ")
            ),
        };
        ws.merge_range(row, 0, row, 8, &note, &f.small)?;
        ws.set_row_height(row, 26)?;
    }
    Ok(())
}

impl tenken_base::Kinded for XlsxExportError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            XlsxExportError::ChecklistMismatch { .. } => ErrorKind::Conflict,
            XlsxExportError::UnknownSheet(_) => ErrorKind::NotFound,
            XlsxExportError::Empty | XlsxExportError::NoLayout(_) => ErrorKind::InvalidInput,
            XlsxExportError::Xlsx(_) => ErrorKind::Internal,
        }
    }
}

pub mod official;

#[cfg(test)]
mod tests;
