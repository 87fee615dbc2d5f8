//! The layout of the workbooks an imported checklist came from: every cell, merged range and
//! the cells where each answer goes, so that a filled checklist can be written back in the
//! official shape (`tenken assessment export --official`).

use serde::{Deserialize, Serialize};

use super::Scope;

/// Layout of all workbooks an imported checklist came from (one entry per file).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// One entry per imported workbook, in import order.
    pub files: Vec<LayoutFile>,
}

/// One imported workbook (one worksheet of it: the checklist sheet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutFile {
    /// File name as imported (e.g. `001716187.xlsx`).
    pub name: String,
    /// SHA-256 (hex) of the file.
    pub sha256: String,
    /// Sheet id of the checklist this worksheet answers (`clinic`, `vendor`, `pharmacy`).
    pub sheet: String,
    /// Worksheet name as in the workbook.
    pub worksheet: String,
    /// 0-based rows of the header (one or two rows).
    pub header_rows: Vec<u32>,
    /// Where the answers go.
    pub columns: AnswerColumns,
    /// The answer row of each item and scope.
    pub rows: Vec<LayoutRow>,
    /// Every non-empty cell of the worksheet, as text.
    pub cells: Vec<LayoutCell>,
    /// Merged ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<LayoutMerge>,
    /// Column widths the workbook sets (in characters, as Excel stores them); columns not
    /// listed keep the default width, as in the original.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub col_widths: Vec<LayoutColWidth>,
}

/// The width of one column (0-based) as the original workbook sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutColWidth {
    /// Column.
    pub col: u32,
    /// Width in hundredths of a character (Excel's unit; 1871 = 18.71 characters).
    pub width_centi: u32,
}

impl LayoutColWidth {
    /// Width in characters.
    pub fn chars(&self) -> f64 {
        f64::from(self.width_centi) / 100.0
    }
}

/// 0-based columns of the answer cells; `None` where the form has no such column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerColumns {
    /// 「はい」 column (marked ○).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes: Option<u32>,
    /// 「いいえ」 column (marked ○).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no: Option<u32>,
    /// One answer column (はい / いいえ written in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<u32>,
    /// 確認日.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<u32>,
    /// 目標日.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<u32>,
    /// 備考.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<u32>,
}

impl AnswerColumns {
    /// True when the form has a place for the answer itself (はい/いいえ or one column).
    pub fn has_answer(&self) -> bool {
        self.answer.is_some() || self.yes.is_some() || self.no.is_some()
    }
}

/// The row where one item's answer for one scope goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutRow {
    /// Item id.
    pub item: String,
    /// Scope row.
    pub scope: Scope,
    /// 0-based row.
    pub row: u32,
}

/// One non-empty cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutCell {
    /// 0-based row.
    pub row: u32,
    /// 0-based column.
    pub col: u32,
    /// The cell's value as text.
    pub value: String,
}

/// A merged range (inclusive, 0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutMerge {
    /// First row.
    pub first_row: u32,
    /// First column.
    pub first_col: u32,
    /// Last row.
    pub last_row: u32,
    /// Last column.
    pub last_col: u32,
}
