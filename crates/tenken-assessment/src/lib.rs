//! Assessments: a clinic profile, a checklist version and the answers, plus the evidence
//! bundles attached to it, item <-> evidence mapping and contradictions.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use tenken_base::Sheet;
use tenken_checklist::Scope;

pub mod evidence_map;
pub mod migrate;
pub mod profile_file;
pub mod readiness;
pub mod results;

/// A vendor (事業者) the clinic works with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Vendor {
    /// Company name.
    pub name: String,
    /// Contact person, phone or mail.
    #[serde(default)]
    pub contact: String,
    /// Systems this vendor provides or maintains.
    #[serde(default)]
    pub systems: Vec<String>,
}

/// The clinic's profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClinicProfile {
    /// 医療機関名.
    pub name: String,
    /// 所在地.
    #[serde(default)]
    pub address: String,
    /// 管理者 (院長).
    #[serde(default)]
    pub administrator: String,
    /// 医療情報システム安全管理責任者.
    #[serde(default)]
    pub security_officer: String,
    /// Systems in use (電子カルテ, レセコン, オンライン資格確認, PACS ...).
    #[serde(default)]
    pub systems: Vec<String>,
    /// Vendors with contacts.
    #[serde(default)]
    pub vendors: Vec<Vendor>,
}

/// The answer value of one item and scope row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AnswerValueDto"))]
pub enum AnswerValue {
    /// はい.
    Yes,
    /// いいえ (needs a 目標日).
    No,
    /// 該当なし.
    NotApplicable,
    /// 未回答.
    #[default]
    Unanswered,
}

impl AnswerValue {
    /// Label as on the form.
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        match (self, lang) {
            (AnswerValue::Yes, tenken_base::Lang::Ja) => "はい",
            (AnswerValue::No, tenken_base::Lang::Ja) => "いいえ",
            (AnswerValue::NotApplicable, tenken_base::Lang::Ja) => "該当なし",
            (AnswerValue::Unanswered, tenken_base::Lang::Ja) => "未回答",
            (AnswerValue::Yes, tenken_base::Lang::En) => "Yes",
            (AnswerValue::No, tenken_base::Lang::En) => "No",
            (AnswerValue::NotApplicable, tenken_base::Lang::En) => "N/A",
            (AnswerValue::Unanswered, tenken_base::Lang::En) => "Unanswered",
        }
    }
}

/// A file attached to an answer, recorded by name, size and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// File name as given.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 (hex) of the contents.
    pub sha256: String,
}

/// One answer: an item and scope row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Item id within the assessment's checklist.
    pub item_id: String,
    /// Scope row.
    pub scope: Scope,
    /// はい / いいえ / 該当なし / 未回答.
    pub value: AnswerValue,
    /// 確認日.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_on: Option<NaiveDate>,
    /// 目標日 (required when いいえ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<NaiveDate>,
    /// Note.
    #[serde(default)]
    pub note: String,
    /// Responsible person.
    #[serde(default)]
    pub responsible: String,
    /// Attached files.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// Errors of answer validation.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnswerError {
    /// いいえ without a 目標日.
    #[error("「いいえ」には目標日が必要です (item {0}: a No answer needs a target date)")]
    MissingTargetDate(String),
    /// 確認日 after today.
    #[error(
        "項目 {item}: 確認日 {checked} は未来の日付です（今日は {today}）。確認した日を入れてください (the check date is in the future)"
    )]
    CheckedInFuture {
        /// Item id.
        item: String,
        /// The 確認日 given.
        checked: NaiveDate,
        /// Today on this PC.
        today: NaiveDate,
    },
    /// 目標日 before 確認日.
    #[error(
        "項目 {item}: 目標日 {target} が確認日 {checked} より前です。これから対応する日を入れてください (the target date is before the check date)"
    )]
    TargetBeforeChecked {
        /// Item id.
        item: String,
        /// The 確認日.
        checked: NaiveDate,
        /// The 目標日 given.
        target: NaiveDate,
    },
    /// The item does not exist in the checklist.
    #[error("項目 {0} はこのチェックリストにありません (unknown item)")]
    UnknownItem(String),
    /// The scope row does not exist for this item.
    #[error("項目 {0} には {1:?} の行がありません (scope row not on this item)")]
    UnknownScope(String, Scope),
}

impl Answer {
    /// An answer of `value` for `item_id` / `scope`, with no dates, note, person or attachments.
    pub fn new(item_id: impl Into<String>, scope: Scope, value: AnswerValue) -> Self {
        Self {
            item_id: item_id.into(),
            scope,
            value,
            checked_on: None,
            target_date: None,
            note: String::new(),
            responsible: String::new(),
            attachments: Vec::new(),
            updated_at: None,
        }
    }

    /// Checks the rules that do not need the checklist: いいえ needs a 目標日.
    pub fn validate(&self) -> Result<(), AnswerError> {
        self.validate_on(chrono::Local::now().date_naive())
    }

    /// [`validate`](Self::validate) with `today` given: いいえ needs a 目標日; the 確認日 is not
    /// after `today`; the 目標日 is not before the 確認日.
    pub fn validate_on(&self, today: NaiveDate) -> Result<(), AnswerError> {
        if self.value == AnswerValue::No && self.target_date.is_none() {
            return Err(AnswerError::MissingTargetDate(self.item_id.clone()));
        }
        if let Some(checked) = self.checked_on
            && checked > today
        {
            return Err(AnswerError::CheckedInFuture {
                item: self.item_id.clone(),
                checked,
                today,
            });
        }
        if let (Some(checked), Some(target)) = (self.checked_on, self.target_date)
            && target < checked
        {
            return Err(AnswerError::TargetBeforeChecked {
                item: self.item_id.clone(),
                checked,
                target,
            });
        }
        Ok(())
    }

    /// Whether this is a いいえ whose 目標日 has passed on `today` (期限切れ).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.value == AnswerValue::No && self.target_date.is_some_and(|t| t < today)
    }
}

/// Who carried out the assessment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Assessor {
    /// Person's name.
    pub name: String,
    /// Company, when a vendor did the assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
}

/// An assessment: one fiscal year's self-check of one clinic against one checklist version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Database id.
    pub id: i64,
    /// Fiscal year (西暦, April to March).
    pub fiscal_year: u16,
    /// Checklist id (e.g. `mhlw-r7`).
    pub checklist_id: String,
    /// Sheet answered (clinic, pharmacy, or vendor for a vendor's answer set).
    pub sheet: Sheet,
    /// Clinic profile at the time of the assessment.
    pub profile: ClinicProfile,
    /// Who assessed.
    #[serde(default)]
    pub assessor: Assessor,
    /// Answers (one per item and scope row that has been touched).
    pub answers: Vec<Answer>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Japanese fiscal year (April–March) of a date, as 西暦 of its April.
pub fn fiscal_year_of(date: NaiveDate) -> u16 {
    use chrono::Datelike;
    let y = date.year();
    let fy = if date.month() >= 4 { y } else { y - 1 };
    u16::try_from(fy).unwrap_or(0)
}

impl tenken_base::Kinded for AnswerError {
    fn kind(&self) -> tenken_base::ErrorKind {
        match self {
            AnswerError::UnknownItem(_) | AnswerError::UnknownScope(..) => {
                tenken_base::ErrorKind::NotFound
            }
            AnswerError::MissingTargetDate(_)
            | AnswerError::CheckedInFuture { .. }
            | AnswerError::TargetBeforeChecked { .. } => tenken_base::ErrorKind::InvalidInput,
        }
    }
}
