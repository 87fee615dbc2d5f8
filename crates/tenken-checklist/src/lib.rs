//! Checklists as data: every MHLW version and the Tenken-recommended list, loaded from
//! `checklists/*.toml` and validated strictly. Adding next year's version is a data change.
//!
//! The model below is what the rest of the engine sees. Loading, validation, the built-in
//! (embedded) set and XLSX import (`import`) live in the submodules.

use serde::{Deserialize, Serialize};

use tenken_base::Text;

mod error;
mod import;
pub mod layout;
mod load;
pub mod mapping;
mod raw;
mod validate;

pub use error::{ChecklistError, Diagnostic};
pub use import::{
    ImportPlan, ImportedFile, ItemLink, MAX_FILE_BYTES, Notice, column_widths, import_xlsx,
    plan_import, plan_import_bytes, save_user_checklist, similarity,
};
pub use layout::Layout;
pub use load::{
    all, builtin, current_mhlw, find, latest_official, load_dir, load_file, parse_str, to_toml,
};
pub use validate::validate;

/// Where a checklist's wording comes from and under which terms it is reused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// 出典: the title of the official publication.
    pub title: String,
    /// Publisher (e.g. 厚生労働省).
    pub publisher: String,
    /// Publication date as printed (e.g. 令和7年5月).
    pub date: String,
    /// URL of the official document, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Licence / reuse note (公共データ利用規約 PDL1.0 ...), including the note that wording was edited.
    pub license_note: String,
    /// SHA-256 (hex) of the source file, for imported workbooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// What kind of checklist this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistKind {
    /// An MHLW checklist version.
    Official,
    /// Tenken's supplementary checklist built from the seed documents.
    Recommended,
    /// Imported from a workbook by the user (`tenken checklist import`).
    Imported,
}

/// A sheet of a checklist (医療機関確認用, 事業者確認用, 薬局確認用).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// Stable id (`clinic`, `vendor`, `pharmacy`).
    pub id: String,
    /// Title (ja/en).
    pub title: Text,
}

/// Scope row of an item: which kind of system the answer is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ScopeDto"))]
pub enum Scope {
    /// 医療情報システム全般 (or no scope split).
    General,
    /// サーバ.
    Server,
    /// 端末PC.
    Terminal,
    /// ネットワーク機器.
    Network,
}

impl Scope {
    /// Label as printed on the MHLW form.
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        match (self, lang) {
            (Scope::General, tenken_base::Lang::Ja) => "医療情報システム全般",
            (Scope::Server, tenken_base::Lang::Ja) => "サーバ",
            (Scope::Terminal, tenken_base::Lang::Ja) => "端末PC",
            (Scope::Network, tenken_base::Lang::Ja) => "ネットワーク機器",
            (Scope::General, tenken_base::Lang::En) => "All systems",
            (Scope::Server, tenken_base::Lang::En) => "Servers",
            (Scope::Terminal, tenken_base::Lang::En) => "Client PCs",
            (Scope::Network, tenken_base::Lang::En) => "Network devices",
        }
    }
}

/// How sure we are that a wording is the official text (tags of `mhlw-checklist.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ProvenanceTagDto"))]
pub enum ProvenanceTag {
    /// [A-OCR] MHLW's own text, OCR'd from the official PDF.
    Checked,
    /// [A-Q] MHLW text as quoted by a secondary source.
    Quoted,
    /// [S] a secondary source's paraphrase.
    Secondary,
    /// [R] Tenken's reconstruction: NOT the official wording.
    Reconstructed,
    /// Taken verbatim from a workbook the user imported.
    Imported,
    /// Tenken's own advice (recommended checklist), citing a seed document.
    Tenken,
}

impl ProvenanceTag {
    /// Plain-words label of how sure the wording is, as the report prints it.
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        use tenken_base::Lang::{En, Ja};
        match (self, lang) {
            (Self::Checked, Ja) => "公式文書の文言（OCRで確認）",
            (Self::Checked, En) => "official wording (checked in OCR of an MHLW document)",
            (Self::Quoted, Ja) => "二次資料が引用した公式文言",
            (Self::Quoted, En) => "official wording as quoted by a secondary source",
            (Self::Secondary, Ja) => "二次資料による文言（公式文言と異なる可能性があります）",
            (Self::Secondary, En) => {
                "wording from a secondary source (may differ from the official text)"
            }
            (Self::Reconstructed, Ja) => "Tenken による再構成（公式文言ではありません）",
            (Self::Reconstructed, En) => "reconstructed by Tenken (not the official wording)",
            (Self::Imported, Ja) => "取り込んだブックの文言",
            (Self::Imported, En) => "wording from the imported workbook",
            (Self::Tenken, Ja) => "Tenken の推奨（公式項目ではありません）",
            (Self::Tenken, En) => "Tenken advice (not an official item)",
        }
    }
}

/// Where one wording came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Confidence tag.
    pub tag: ProvenanceTag,
    /// Sources consulted (URLs or document names).
    pub sources: Vec<String>,
    /// Free note (e.g. "truncated in OCR; ending reconstructed").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Guidance shown with an item: why it matters, what counts as done, who usually does it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Guidance {
    /// Why it matters for a clinic.
    pub why: Text,
    /// What counts as done.
    pub done_when: Text,
    /// Who usually does it (staff / vendor / 院長).
    pub who: Text,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable id, unique within the checklist (e.g. `2-6`, `vendor-2-3`).
    pub id: String,
    /// Number as printed (e.g. `2-⑥`, `2(3)`).
    pub number: String,
    /// The wording (ja is the form's text; en is a translation).
    pub text: Text,
    /// Provenance of the Japanese wording.
    pub provenance: Provenance,
    /// Sheets this item appears on (sheet ids).
    pub sheets: Vec<String>,
    /// Scope rows answered separately (empty = one answer, scope General).
    pub scopes: Vec<Scope>,
    /// Deadline text (e.g. 令和9年度までに導入), when the form marks one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Text>,
    /// Guidance.
    pub guidance: Guidance,
    /// True when the item is new in this version (relative to the previous version).
    #[serde(default)]
    pub new_in_version: bool,
    /// Gate item: answering いいえ makes the rest of the sheet unnecessary (医療情報システムの有無).
    #[serde(default)]
    pub gate: bool,
    /// Ids of the same item in the previous version (`Checklist::previous`); empty for new items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_ids: Vec<String>,
}

impl Item {
    /// True when the item appears on sheet `sheet` (a sheet id, or a `tenken_base::Sheet`).
    pub fn on_sheet(&self, sheet: impl AsRef<str>) -> bool {
        let sheet = sheet.as_ref();
        self.sheets.iter().any(|s| s == sheet)
    }

    /// The scope rows to answer: the item's scopes, or just [`Scope::General`].
    pub fn answer_scopes(&self) -> Vec<Scope> {
        if self.scopes.is_empty() {
            vec![Scope::General]
        } else {
            self.scopes.clone()
        }
    }
}

/// A section (1 体制構築, 2 医療情報システムの管理・運用, 3 インシデント発生に備えた対応).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Stable id (e.g. `2`).
    pub id: String,
    /// Title.
    pub title: Text,
    /// Items in form order.
    pub items: Vec<Item>,
}

/// A whole checklist version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    /// Stable id (e.g. `mhlw-r7`, `tenken-recommended`).
    pub id: String,
    /// Title.
    pub title: Text,
    /// Fiscal year (西暦) the version is for.
    pub fiscal_year: u16,
    /// Kind of checklist.
    pub kind: ChecklistKind,
    /// Id of the version this one follows (for year-over-year mapping).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// 出典 and licence.
    pub source: Source,
    /// Sheets.
    pub sheets: Vec<Sheet>,
    /// Sections in form order.
    pub sections: Vec<Section>,
    /// For imported checklists: the workbooks' layout, for export in the official shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
}

impl Checklist {
    /// When an assessment of `fiscal_year` uses this official checklist of an earlier year
    /// (this year's has not been imported): the notice the CLI, the app and the report's first
    /// page give, saying which version is used, why, and how to get this year's. `None` when
    /// the version is this year's (or newer), or not an MHLW checklist.
    pub fn version_notice(&self, fiscal_year: u16) -> Option<Text> {
        self.version_notice_in(fiscal_year, &[])
    }

    /// Whether this is an MHLW checklist: a built-in official version, or MHLW's workbooks
    /// imported by the user (`imported-mhlw-rN`).
    pub fn is_mhlw(&self) -> bool {
        self.kind == ChecklistKind::Official
            || (self.kind == ChecklistKind::Imported && self.id.starts_with("imported-mhlw-"))
    }

    /// [`Checklist::version_notice`] knowing every loaded version (`all`): when a newer MHLW
    /// version is loaded (this year's workbooks were imported) the notice says so and how to
    /// move the assessment to it, instead of asking to import it again.
    pub fn version_notice_in(&self, fiscal_year: u16, all: &[Checklist]) -> Option<Text> {
        self.notice(fiscal_year, all, false)
    }

    /// [`Checklist::version_notice_in`] in the app's words: what to press on the home screen,
    /// without commands or checklist ids.
    pub fn version_notice_for_app(&self, fiscal_year: u16, all: &[Checklist]) -> Option<Text> {
        self.notice(fiscal_year, all, true)
    }

    fn notice(&self, fiscal_year: u16, all: &[Checklist], app: bool) -> Option<Text> {
        if !self.is_mhlw() || self.fiscal_year >= fiscal_year {
            return None;
        }
        let reiwa = |y: u16| y.saturating_sub(2018);
        if app {
            let newer = load::current_mhlw(all).filter(|n| n.fiscal_year > self.fiscal_year);
            return Some(match newer {
                Some(n) => Text::new(
                    format!(
                        "令和{rn}年度版のチェックリストは取り込み済みですが、この点検はまだ令和{ru}年度版のままです。下の「この点検を新しい版に移す」で、回答を引き継いで移してください。",
                        rn = reiwa(n.fiscal_year),
                        ru = reiwa(self.fiscal_year),
                    ),
                    format!(
                        "The FY{} checklist has been imported, but this assessment still uses the FY{} one. Move it, with its answers, with \"Move this assessment to the new version\" below.",
                        n.fiscal_year, self.fiscal_year
                    ),
                ),
                None => Text::new(
                    format!(
                        "{fy}年度（令和{r}年度）の公式チェックリストはまだ取り込まれていないため、令和{ru}年度版で点検しています。厚生労働省のサイトから令和{r}年度版のチェックリスト（Excel）を入手し、下の「今年度のチェックリストを取り込む」で取り込んでください。",
                        fy = fiscal_year,
                        r = reiwa(fiscal_year),
                        ru = reiwa(self.fiscal_year),
                    ),
                    format!(
                        "The official FY{fiscal_year} checklist has not been imported, so this assessment uses the FY{} one. Download this year's checklist (Excel) from the MHLW site and import it with \"Import this year's checklist\" below.",
                        self.fiscal_year
                    ),
                ),
            });
        }
        if let Some(newer) = load::current_mhlw(all).filter(|n| n.fiscal_year > self.fiscal_year) {
            return Some(Text::new(
                format!(
                    "令和{rn}年度版のチェックリスト（{nid}）は取り込み済みですが、この点検はまだ{used}年度版（令和{ru}年度版、{id}）のままです。ホーム画面の「この点検を新しい版に移す」、または `tenken assessment move --to {nid}` で、回答を引き継いで移してください。",
                    rn = reiwa(newer.fiscal_year),
                    nid = newer.id,
                    used = self.fiscal_year,
                    ru = reiwa(self.fiscal_year),
                    id = self.id,
                ),
                format!(
                    "The FY{} checklist ({}) has been imported, but this assessment still uses the FY{} checklist ({}). Move it, with its answers, from the home screen (\"Move this assessment to the new version\") or with `tenken assessment move --to {}`.",
                    newer.fiscal_year, newer.id, self.fiscal_year, self.id, newer.id
                ),
            ));
        }
        Some(Text::new(
            format!(
                "{fy}年度（令和{r}年度）の公式チェックリストはまだ取り込まれていないため、{used}年度版（令和{ru}年度版、{id}）で点検しています。厚生労働省のサイトから令和{r}年度版のチェックリスト（Excel）を入手し、`tenken checklist import` で取り込んでください。",
                fy = fiscal_year,
                r = reiwa(fiscal_year),
                used = self.fiscal_year,
                ru = reiwa(self.fiscal_year),
                id = self.id,
            ),
            format!(
                "This FY{fiscal_year} assessment uses the FY{} checklist ({}) because the official FY{fiscal_year} checklist has not been imported. Download this year's checklist (Excel) from the MHLW site and import it with `tenken checklist import`.",
                self.fiscal_year, self.id
            ),
        ))
    }

    /// All items in form order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    /// Finds an item by id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().find(|i| i.id == id)
    }

    /// The item a person named: its id (`2-5`) or its number as printed in the checklist and by
    /// `tenken assessment show` (`2-⑤`), also with full-width digits or dashes (`２－５`).
    pub fn resolve_item(&self, named: &str) -> Option<&Item> {
        let named = named.trim();
        self.item(named)
            .or_else(|| self.items().find(|i| i.number == named))
            .or_else(|| {
                let key = item_key(named);
                self.items()
                    .find(|i| item_key(&i.id) == key || item_key(&i.number) == key)
            })
    }

    /// A copy holding only the items of one sheet (sections left empty are dropped). `sheet`
    /// is a sheet id (`"clinic"`) or a `tenken_base::Sheet`.
    pub fn for_sheet(&self, sheet: impl AsRef<str>) -> Checklist {
        let sheet = sheet.as_ref();
        let mut out = self.clone();
        for section in &mut out.sections {
            section.items.retain(|i| i.on_sheet(sheet));
        }
        out.sections.retain(|s| !s.items.is_empty());
        out.sheets.retain(|s| s.id == sheet);
        out
    }

    /// Items on one sheet, in form order. `sheet` is a sheet id (`"vendor"`) or a
    /// `tenken_base::Sheet`.
    pub fn sheet_items<'a, S: AsRef<str> + 'a>(
        &'a self,
        sheet: S,
    ) -> impl Iterator<Item = &'a Item> + 'a {
        self.items().filter(move |i| i.on_sheet(sheet.as_ref()))
    }
}

/// An item id or number folded for comparison: circled numbers ①–⑳ and full-width digits become
/// ASCII digits, full-width and other dashes become `-`, spaces are dropped, letters lower-cased.
fn item_key(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '①'..='⑳' => out.push_str(&((c as u32 - '①' as u32) + 1).to_string()),
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '－' | '‐' | '−' | '–' | '—' | 'ー' => out.push('-'),
            c if c.is_whitespace() => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}
