//! Answers given as text, the one way both faces read them: the answers file (TOML or JSON, see
//! `docs/answers-file.md`) and the single values a person types (はい / いいえ / 該当なし, a scope
//! row, a date). The first bad entry refuses the whole file, naming it; nothing is saved by
//! reading (the caller stores the answers in one transaction).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::assessment::{Answer, AnswerValue};
use crate::checklist::{Checklist, Scope};
use crate::store::{StoreError, hash_file};
use tenken_base::textfile::TextFileError;

/// Why an answer or an answers file was refused (nothing was saved).
#[derive(Debug, thiserror::Error)]
pub enum AnswerInputError {
    /// The file could not be read as UTF-8 text.
    #[error(transparent)]
    Read(#[from] TextFileError),
    /// Not TOML / JSON of the answers-file shape.
    #[error(
        "{file}: 回答ファイルの形式が違います（docs/answers-file.md を見てください）。何も保存していません (not an answers file: {detail})"
    )]
    Shape {
        /// The file.
        file: PathBuf,
        /// The parser's words.
        detail: String,
    },
    /// One entry is wrong; the whole file is refused.
    #[error(
        "回答 {index} 件目（項目 {item}）: {reason}。何も保存していません (answer {index}: nothing was saved)"
    )]
    Entry {
        /// 1-based position.
        index: usize,
        /// Item as written.
        item: String,
        /// What is wrong.
        reason: Box<AnswerInputError>,
    },
    /// An answer value Tenken does not know.
    #[error("回答「{0}」が分かりません（はい・いいえ・該当なし、または yes / no / na）")]
    Value(String),
    /// A scope row Tenken does not know.
    #[error(
        "対象「{0}」が分かりません（全般・サーバ・端末PC・ネットワーク機器、または general / server / terminal / network）"
    )]
    Scope(String),
    /// A date that is not YYYY-MM-DD.
    #[error("{what}「{value}」は YYYY-MM-DD の形で書いてください（例: 2026-04-01）")]
    Date {
        /// 確認日 or 目標日.
        what: &'static str,
        /// As written.
        value: String,
    },
    /// An item answered per scope row without a scope.
    #[error(
        "項目 {number} は対象ごとに回答します。対象を指定してください（コマンドでは --scope、回答ファイルでは scope = \"...\"）: {scopes} (item {item} is answered per scope)"
    )]
    NeedsScope {
        /// Item id.
        item: String,
        /// Number as printed.
        number: String,
        /// The scopes, in Japanese with their keys.
        scopes: String,
    },
    /// An attached file could not be read.
    #[error(transparent)]
    Attachment(#[from] StoreError),
}

impl tenken_base::Kinded for AnswerInputError {
    fn kind(&self) -> tenken_base::ErrorKind {
        match self {
            AnswerInputError::Read(e) => e.kind(),
            AnswerInputError::Entry { reason, .. } => reason.kind(),
            AnswerInputError::Attachment(e) => e.kind(),
            _ => tenken_base::ErrorKind::InvalidInput,
        }
    }
}

/// Parses an answer value (yes/no/na, はい/いいえ/該当なし, ...).
pub fn parse_value(s: &str) -> Result<AnswerValue, AnswerInputError> {
    Ok(match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "はい" => AnswerValue::Yes,
        "no" | "n" | "いいえ" => AnswerValue::No,
        "na" | "n/a" | "not_applicable" | "該当なし" => AnswerValue::NotApplicable,
        "unanswered" | "未回答" => AnswerValue::Unanswered,
        _ => return Err(AnswerInputError::Value(s.trim().to_string())),
    })
}

/// Parses a scope row (general/server/terminal/network or the form's Japanese label).
pub fn parse_scope(s: &str) -> Result<Scope, AnswerInputError> {
    Ok(match s.trim().to_lowercase().as_str() {
        "general" | "全般" | "医療情報システム全般" => Scope::General,
        "server" | "サーバ" | "サーバー" => Scope::Server,
        "terminal" | "端末" | "端末pc" => Scope::Terminal,
        "network" | "ネットワーク" | "ネットワーク機器" => Scope::Network,
        _ => return Err(AnswerInputError::Scope(s.trim().to_string())),
    })
}

/// Parses a date written YYYY-MM-DD (or YYYY/MM/DD); `what` names it (確認日, 目標日).
pub fn parse_date(s: &str, what: &'static str) -> Result<NaiveDate, AnswerInputError> {
    let t = s.trim().replace('/', "-");
    NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|_| AnswerInputError::Date {
        what,
        value: s.trim().to_string(),
    })
}

/// The scope row to use when none is given: the item's only row, else an error.
fn default_scope(checklist: &Checklist, item: &str) -> Result<Scope, AnswerInputError> {
    let Some(it) = checklist.item(item) else {
        // The store refuses unknown items with its own message.
        return Ok(Scope::General);
    };
    let scopes = it.answer_scopes();
    match scopes.as_slice() {
        [only] => Ok(*only),
        _ => Err(AnswerInputError::NeedsScope {
            item: item.to_string(),
            number: it.number.clone(),
            scopes: scopes
                .iter()
                .map(|s| {
                    format!(
                        "{} ({})",
                        s.label(tenken_base::Lang::Ja),
                        serde_json::to_string(s)
                            .unwrap_or_default()
                            .replace('"', "")
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// What a person gave for one answer, as text.
#[derive(Debug, Clone, Default)]
pub struct AnswerInput {
    /// Item id or printed number (2-5, 2-⑤).
    pub item: String,
    /// Scope row, when the item has several.
    pub scope: Option<String>,
    /// はい / いいえ / 該当なし ...
    pub value: String,
    /// 確認日 (today when absent).
    pub checked: Option<NaiveDate>,
    /// 目標日.
    pub target: Option<NaiveDate>,
    /// Note.
    pub note: Option<String>,
    /// Responsible person.
    pub responsible: Option<String>,
    /// Files to record (name, size, SHA-256).
    pub attach: Vec<PathBuf>,
}

impl AnswerInput {
    /// The answer for `checklist`, with the 確認日 defaulting to `today`.
    pub fn to_answer(
        &self,
        checklist: &Checklist,
        today: NaiveDate,
    ) -> Result<Answer, AnswerInputError> {
        // The printed number (2-⑤, as `assessment show` prints it) names the item too.
        let item = checklist
            .resolve_item(&self.item)
            .map_or(self.item.as_str(), |i| i.id.as_str());
        let scope = match &self.scope {
            Some(s) => parse_scope(s)?,
            None => default_scope(checklist, item)?,
        };
        let value = parse_value(&self.value)?;
        let attachments = self
            .attach
            .iter()
            .map(|p| hash_file(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Answer {
            item_id: item.to_string(),
            scope,
            value,
            checked_on: self.checked.or(Some(today)),
            target_date: self.target,
            note: self.note.clone().unwrap_or_default(),
            responsible: self.responsible.clone().unwrap_or_default(),
            attachments,
            updated_at: None,
        })
    }
}

/// One entry of an answers file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAnswer {
    item: String,
    #[serde(default)]
    scope: Option<String>,
    value: String,
    #[serde(default)]
    checked: Option<DateInput>,
    #[serde(default)]
    target: Option<DateInput>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    responsible: Option<String>,
    #[serde(default)]
    attach: Vec<PathBuf>,
}

/// A date written as a string, or as a TOML date.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DateInput {
    Text(String),
    Toml(toml::value::Datetime),
}

impl DateInput {
    fn parse(&self, what: &'static str) -> Result<NaiveDate, AnswerInputError> {
        match self {
            DateInput::Text(s) => parse_date(s, what),
            DateInput::Toml(d) => parse_date(&d.to_string(), what),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    answers: Vec<FileAnswer>,
}

fn read_entries(path: &Path) -> Result<Vec<FileAnswer>, AnswerInputError> {
    let text = tenken_base::textfile::read_utf8(path)?;
    let shape = |detail: String| AnswerInputError::Shape {
        file: path.to_path_buf(),
        detail,
    };
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        // Either {"answers": [...]} or a bare array.
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| shape(e.to_string()))?;
        if v.is_array() {
            serde_json::from_value(v).map_err(|e| shape(e.to_string()))
        } else {
            serde_json::from_value::<AnswersFile>(v)
                .map(|f| f.answers)
                .map_err(|e| shape(e.to_string()))
        }
    } else {
        toml::from_str::<AnswersFile>(&text)
            .map(|f| f.answers)
            .map_err(|e| shape(e.message().to_string()))
    }
}

/// Reads an answers file into answers for `checklist` (attachment paths are relative to the
/// file's folder); the first bad entry refuses the whole file, naming it.
pub fn read_answers_file(
    checklist: &Checklist,
    file: &Path,
    today: NaiveDate,
) -> Result<Vec<Answer>, AnswerInputError> {
    let base = file.parent().unwrap_or(Path::new("."));
    let entries = read_entries(file)?;
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.into_iter().enumerate() {
        let built = (|| {
            AnswerInput {
                item: e.item.clone(),
                scope: e.scope.clone(),
                value: e.value.clone(),
                checked: e.checked.as_ref().map(|d| d.parse("確認日")).transpose()?,
                target: e.target.as_ref().map(|d| d.parse("目標日")).transpose()?,
                note: e.note.clone(),
                responsible: e.responsible.clone(),
                attach: e.attach.iter().map(|p| base.join(p)).collect(),
            }
            .to_answer(checklist, today)
        })()
        .map_err(|reason| AnswerInputError::Entry {
            index: i + 1,
            item: e.item.clone(),
            reason: Box::new(reason),
        })?;
        out.push(built);
    }
    Ok(out)
}
