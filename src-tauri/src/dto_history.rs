//! Types of the History screen (years side by side, trend), generated into TypeScript by ts-rs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::{AnswerValueDto, ScopeDto, TextDto};

/// Totals of one fiscal year's clinic assessment (one bar of the trend chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct YearTotalsDto {
    /// Fiscal year (西暦; 2025 = 令和7年度).
    pub fiscal_year: u16,
    /// Checklist id of that year.
    pub checklist_id: String,
    /// Checklist title (empty when that checklist is no longer known).
    pub checklist_title: TextDto,
    /// Rows to answer (items x scope rows).
    pub rows: u32,
    /// はい.
    pub yes: u32,
    /// いいえ.
    pub no: u32,
    /// 該当なし.
    pub not_applicable: u32,
    /// 未回答.
    pub unanswered: u32,
}

/// Every stored fiscal year, oldest first, and this fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryDto {
    /// This fiscal year on this PC's clock.
    pub this_year: u16,
    /// Stored years, oldest first.
    pub years: Vec<YearTotalsDto>,
}

/// How a row changed between the two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowChangeDto {
    /// 改善 (いいえ → はい).
    Improved,
    /// 後退 (はい → いいえ).
    Regressed,
    /// 変化なし.
    Unchanged,
    /// 変更あり (other changes, e.g. to 該当なし or 未回答).
    Changed,
    /// 新しい項目 (no counterpart in the earlier checklist).
    New,
}

/// What became of the earlier year's 目標日.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TargetStateDto {
    /// Done: the later answer is はい or 該当なし.
    Met,
    /// Not done and the date has passed.
    Overdue,
    /// Not done, the date is still ahead.
    Pending,
}

/// One item x scope row of the two years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ComparisonRowDto {
    /// Item id in the later checklist.
    pub item_id: String,
    /// Number as printed in the later checklist.
    pub number: String,
    /// Wording of the later checklist.
    pub text: TextDto,
    /// Numbers of the same item in the earlier checklist, when the checklists differ.
    pub earlier_numbers: Vec<String>,
    /// Scope row.
    pub scope: ScopeDto,
    /// Earlier answer; null when the item is new.
    pub before: Option<AnswerValueDto>,
    /// Later answer.
    pub after: AnswerValueDto,
    /// Direction.
    pub change: RowChangeDto,
    /// The earlier year's 目標日 (YYYY-MM-DD), when it answered いいえ with one.
    pub target_date: Option<String>,
    /// What became of that 目標日.
    pub target_state: Option<TargetStateDto>,
}

/// An automatic-check result that changed on the same PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FindingChangeDto {
    /// PC name.
    pub host: String,
    /// Check id.
    pub probe_id: String,
    /// What the check looks at.
    pub title: TextDto,
    /// Earlier verdict: `pass`, `warn`, `fail`, `unknown` or `na`.
    pub before: String,
    /// Later verdict (same values).
    pub after: String,
}

/// One year of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct YearSideDto {
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Checklist id.
    pub checklist_id: String,
    /// Checklist title.
    pub checklist_title: TextDto,
}

/// Two fiscal years side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ComparisonDto {
    /// Earlier year.
    pub from: YearSideDto,
    /// Later year.
    pub to: YearSideDto,
    /// True when both years use the same checklist version.
    pub same_checklist: bool,
    /// Rows in the later checklist's MHLW order.
    pub rows: Vec<ComparisonRowDto>,
    /// Automatic-check results that changed on PCs checked in both years.
    pub findings: Vec<FindingChangeDto>,
}
