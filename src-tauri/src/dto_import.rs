//! Types of the checklist import screen (「今年度のチェックリストを取り込む」): what the official
//! workbooks hold, how their items link to the previous version, and what to confirm.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::TextDto;

/// One workbook read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportFileDto {
    /// File name.
    pub name: String,
    /// SHA-256 (hex) of the file.
    pub sha256: String,
    /// Worksheet read.
    pub worksheet: String,
    /// Sheet it became (`clinic`, `vendor`, `pharmacy`).
    pub sheet: String,
    /// Items found.
    pub items: u32,
}

/// One item found and its link to the previous version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportItemDto {
    /// Item id.
    pub id: String,
    /// Number as printed.
    pub number: String,
    /// Wording.
    pub text: String,
    /// Ids of the same item in the previous version (empty: new).
    pub previous_ids: Vec<String>,
    /// Wording of the closest previous item, when linked.
    pub previous_text: Option<String>,
    /// True when the link is uncertain and shown to confirm.
    pub unsure: bool,
    /// True when the item is new in this version.
    pub new_item: bool,
}

/// A point the importer reports; `confirm` ones need the user's agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportNoticeDto {
    /// Needs confirmation.
    pub confirm: bool,
    /// Cell or file it is about.
    pub at: Option<String>,
    /// What the importer did or proposes.
    pub message: TextDto,
}

/// What importing the chosen workbooks does (preview) or did (after saving).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChecklistImportDto {
    /// Id of the checklist created or extended.
    pub checklist_id: String,
    /// Title.
    pub title: String,
    /// Fiscal year (西暦).
    pub fiscal_year: u16,
    /// Id of the previous version the items are linked to.
    pub previous: Option<String>,
    /// When the files add sheets to an imported checklist: its id.
    pub adds_to: Option<String>,
    /// The files read.
    pub files: Vec<ImportFileDto>,
    /// The items found.
    pub items: Vec<ImportItemDto>,
    /// Points to show (confirm ones first).
    pub notices: Vec<ImportNoticeDto>,
    /// True when something must be confirmed before saving.
    pub needs_confirmation: bool,
    /// True once saved.
    pub saved: bool,
}
