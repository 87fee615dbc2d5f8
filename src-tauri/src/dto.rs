//! Types that cross into the UI. TypeScript declarations are generated from these with ts-rs into
//! `ui/src/lib/bindings/`; a test fails when the committed files are stale.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

// Engine types the UI shows as they are: their TypeScript declarations are generated from the
// engine's own definitions (its `ts` feature), under the names the UI uses.
/// Bilingual text (Japanese first): `tenken_core::Text`.
pub use tenken_core::Text as TextDto;
/// An answer: `tenken_core::assessment::AnswerValue`.
pub use tenken_core::assessment::AnswerValue as AnswerValueDto;
/// How sure the wording of an item is: `tenken_core::checklist::ProvenanceTag`.
pub use tenken_core::checklist::ProvenanceTag as ProvenanceTagDto;
/// Which machines a checklist row is about: `tenken_core::checklist::Scope`.
pub use tenken_core::checklist::Scope as ScopeDto;

/// One checklist version in the list shown on the first screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChecklistSummary {
    /// Stable id (e.g. `mhlw-r7`).
    pub id: String,
    /// Title.
    pub title: TextDto,
    /// Fiscal year (西暦).
    pub fiscal_year: u16,
    /// `official`, `recommended` or `imported`.
    pub kind: String,
    /// Number of items.
    pub item_count: u32,
    /// 出典 line (publisher, title, date).
    pub source: String,
    /// When this is an earlier year's official checklist and this fiscal year's has not been
    /// imported: which version is used, why, and how to get this year's (never a silent fallback).
    pub version_notice: Option<TextDto>,
    /// The newer MHLW version (imported) this year's assessment on this checklist can move to.
    pub newer_version: Option<String>,
}

/// A row that must be answered anew after moving to another checklist version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnewRowDto {
    /// Item id in the new version.
    pub item_id: String,
    /// Number as printed.
    pub number: String,
    /// Scope row.
    pub scope: ScopeDto,
    /// The item's wording.
    pub text: TextDto,
    /// Why it must be answered anew.
    pub reason: TextDto,
}

/// What moving this year's assessment to another checklist version does (or did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MoveVersionDto {
    /// Checklist moved from.
    pub from_checklist: String,
    /// Checklist moved to.
    pub to_checklist: String,
    /// Whether the move was made (false: a preview).
    pub moved: bool,
    /// Answers carried over.
    pub carried: u32,
    /// Carried answers whose item wording changed (worth a look).
    pub review: u32,
    /// Rows to answer anew.
    pub anew: Vec<AnewRowDto>,
}

/// One item with its guidance, as the checklist screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ItemView {
    /// Stable id within the checklist.
    pub id: String,
    /// Number as printed.
    pub number: String,
    /// Section title.
    pub section: TextDto,
    /// Wording.
    pub text: TextDto,
    /// Scope rows to answer.
    pub scopes: Vec<ScopeDto>,
    /// Deadline text, when the form marks one.
    pub deadline: Option<TextDto>,
    /// Why it matters.
    pub why: TextDto,
    /// What counts as done.
    pub done_when: TextDto,
    /// Who usually does it.
    pub who: TextDto,
    /// True when the wording is Tenken's reconstruction, not the official text.
    pub reconstructed: bool,
    /// Where the wording comes from (shown with every item).
    pub provenance: ProvenanceDto,
    /// False when no automatic check can back or contradict the answer (the evidence registry
    /// has no probe that tests it): the item says so instead of offering the automatic check.
    pub automatic: bool,
}

/// Where an item's wording comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProvenanceDto {
    /// How sure the wording is.
    pub tag: ProvenanceTagDto,
    /// Documents consulted (URLs or titles).
    pub sources: Vec<String>,
    /// Free note (e.g. what was not seen), when there is one.
    pub note: Option<String>,
}

impl From<&tenken_core::checklist::Provenance> for ProvenanceDto {
    fn from(p: &tenken_core::checklist::Provenance) -> Self {
        Self {
            tag: p.tag,
            sources: p.sources.clone(),
            note: p.note.clone(),
        }
    }
}

/// A checklist with its items, flattened for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChecklistView {
    /// Summary (id, title, year, source).
    pub summary: ChecklistSummary,
    /// Items in form order.
    pub items: Vec<ItemView>,
}

/// A vendor (事業者).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct VendorDto {
    /// Company name.
    pub name: String,
    /// Contact (person, phone, mail) in one line.
    pub contact: String,
    /// Systems in use that this vendor looks after (names from the profile's `systems`).
    #[serde(default)]
    pub systems: Vec<String>,
}

/// The clinic profile entered on first launch.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct ProfileDto {
    /// 医療機関名 (required).
    pub name: String,
    /// 所在地.
    pub address: String,
    /// 管理者 (院長).
    pub administrator: String,
    /// 医療情報システム安全管理責任者.
    pub security_officer: String,
    /// Systems in use.
    pub systems: Vec<String>,
    /// Vendors.
    pub vendors: Vec<VendorDto>,
    /// 点検者: who carries out this fiscal year's check (printed on the report); kept with the
    /// year's assessments, not the clinic profile.
    #[serde(default)]
    pub assessor: String,
}

/// A file attached to an answer, recorded by name, size, SHA-256 and time (the file itself is not copied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttachmentDto {
    /// File name.
    pub name: String,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// SHA-256 (hex).
    pub sha256: String,
    /// When it was recorded (RFC 3339), once stored.
    pub added_at: Option<String>,
}

/// One answer (item x scope row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnswerDto {
    /// Item id.
    pub item_id: String,
    /// Scope row.
    pub scope: ScopeDto,
    /// Value.
    pub value: AnswerValueDto,
    /// 確認日 (YYYY-MM-DD).
    pub checked_on: Option<String>,
    /// 目標日 (YYYY-MM-DD), required for いいえ.
    pub target_date: Option<String>,
    /// Notes.
    pub note: String,
    /// Responsible person.
    pub responsible: String,
    /// Attached files.
    pub attachments: Vec<AttachmentDto>,
    /// Last change (RFC 3339), set by the app.
    pub updated_at: Option<String>,
}

/// User settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettingsDto {
    /// `ja` or `en`.
    pub lang: String,
    /// Text size in percent (100-200).
    pub text_scale: u16,
    /// Never-touch list: hosts/addresses the network check must never contact.
    pub never_touch: Vec<String>,
}

impl Default for SettingsDto {
    fn default() -> Self {
        Self {
            lang: "ja".into(),
            text_scale: 100,
            never_touch: Vec::new(),
        }
    }
}

/// Where the app keeps its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DataLocation {
    /// Directory path.
    pub dir: String,
    /// State file path.
    pub state_file: String,
}

/// A progress event of a long task (automatic check, network check, report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProgressEvent {
    /// Task id given by the UI.
    pub task: String,
    /// Step id (probe id, host, phase).
    pub step: String,
    /// `running`, `done`, `failed`, `cancelled`, or a finished check's verdict: `pass`, `warn`, `fail`, `unknown`, `na`.
    pub state: String,
    /// Steps done so far.
    pub done: u32,
    /// Total steps.
    pub total: u32,
    /// Plain explanation.
    pub message: TextDto,
}

/// Error returned by every command: a plain message in both languages plus a machine code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{ja} ({en})")]
pub struct CommandError {
    /// Machine code: an [`ErrorKind`](tenken_core::ErrorKind) code (`not_found`, `invalid_input`,
    /// `conflict`, `damaged`, `storage`, `key_store`, `signature`, `unavailable`, `cancelled`,
    /// `internal`).
    pub code: String,
    /// Japanese message.
    pub ja: String,
    /// English message.
    pub en: String,
}

impl CommandError {
    /// Invalid input from the UI.
    pub fn invalid(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code: "invalid_input".into(),
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// An engine or file error: its [`ErrorKind`](tenken_core::ErrorKind) becomes the code, and a
    /// plain heading goes before the engine's message where the message alone would not say what
    /// happened (a missing assessment is "not_found" with the engine's words, never a file error).
    pub fn of(e: impl tenken_core::Kinded + std::fmt::Display) -> Self {
        let kind = e.kind();
        // Engine messages carry both languages in one text: each side gets its own.
        let text = e.to_string();
        let ja_text = tenken_core::i18n::in_lang(&text, tenken_core::Lang::Ja);
        let en_text = tenken_core::i18n::in_lang(&text, tenken_core::Lang::En);
        let (ja, en) = match kind.headline() {
            Some(h) => (
                format!("{}: {ja_text}", h.ja),
                format!("{}: {en_text}", h.en),
            ),
            None => (ja_text, en_text),
        };
        Self {
            code: kind.code().into(),
            ja,
            en,
        }
    }

    /// Like [`of`](Self::of), with what was being done said first (「保存できませんでした」):
    /// the code is still the error's kind.
    pub fn doing(ja: &str, en: &str, e: impl tenken_core::Kinded + std::fmt::Display) -> Self {
        Self {
            code: e.kind().code().into(),
            ja: format!("{ja}: {e}"),
            en: format!("{en}: {e}"),
        }
    }

    /// A fault in the app itself (a value that could not be serialised, a worker that died).
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::of(Internal(e.to_string()))
    }

    /// Something asked for does not exist.
    pub fn not_found(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code: "not_found".into(),
            ja: ja.into(),
            en: en.into(),
        }
    }
}

/// Result type of every command.
pub type CmdResult<T> = Result<T, CommandError>;

/// A fault in the app itself, as an error with a kind.
#[derive(Debug)]
struct Internal(String);

impl std::fmt::Display for Internal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl tenken_core::Kinded for Internal {
    fn kind(&self) -> tenken_core::ErrorKind {
        tenken_core::ErrorKind::Internal
    }
}
