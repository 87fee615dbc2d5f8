//! The on-disk TOML schema (see `checklists/README.md`): strict mirror structs of the model
//! (`deny_unknown_fields`) that keep the byte spans of ids and references for error messages.

use serde::Deserialize;
use toml::Spanned;

use super::{
    Checklist, ChecklistKind, Guidance, Item, Provenance, ProvenanceTag, Scope, Section, Sheet,
    Source,
};
use tenken_base::Text;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawText {
    pub ja: Spanned<String>,
    #[serde(default)]
    pub en: String,
}

impl RawText {
    fn to_text(&self) -> Text {
        Text::new(self.ja.get_ref().clone(), self.en.clone())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub title: String,
    pub publisher: String,
    pub date: String,
    #[serde(default)]
    pub url: Option<String>,
    pub license_note: Spanned<String>,
    #[serde(default)]
    pub sha256: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSheet {
    pub id: Spanned<String>,
    pub title: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProvenance {
    pub tag: ProvenanceTag,
    pub sources: Spanned<Vec<String>>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGuidance {
    pub why: RawText,
    pub done_when: RawText,
    pub who: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawItem {
    pub id: Spanned<String>,
    pub number: Spanned<String>,
    pub text: RawText,
    pub provenance: RawProvenance,
    pub sheets: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub scopes: Vec<Scope>,
    #[serde(default)]
    pub deadline: Option<RawText>,
    #[serde(default)]
    pub guidance: Option<RawGuidance>,
    #[serde(default)]
    pub new_in_version: bool,
    #[serde(default)]
    pub gate: bool,
    #[serde(default)]
    pub previous_ids: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: Spanned<String>,
    pub title: RawText,
    pub items: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChecklist {
    pub id: Spanned<String>,
    pub title: RawText,
    pub fiscal_year: Spanned<u16>,
    pub kind: ChecklistKind,
    #[serde(default)]
    pub previous: Option<Spanned<String>>,
    pub source: RawSource,
    pub sheets: Vec<RawSheet>,
    pub sections: Vec<RawSection>,
    #[serde(default)]
    pub layout: Option<crate::layout::Layout>,
}

impl RawChecklist {
    /// Converts to the engine model (spans dropped).
    pub fn to_model(&self) -> Checklist {
        Checklist {
            id: self.id.get_ref().clone(),
            title: self.title.to_text(),
            fiscal_year: *self.fiscal_year.get_ref(),
            kind: self.kind,
            previous: self.previous.as_ref().map(|p| p.get_ref().clone()),
            source: Source {
                title: self.source.title.clone(),
                publisher: self.source.publisher.clone(),
                date: self.source.date.clone(),
                url: self.source.url.clone(),
                license_note: self.source.license_note.get_ref().clone(),
                sha256: self.source.sha256.clone(),
            },
            sheets: self
                .sheets
                .iter()
                .map(|s| Sheet {
                    id: s.id.get_ref().clone(),
                    title: s.title.to_text(),
                })
                .collect(),
            sections: self
                .sections
                .iter()
                .map(|sec| Section {
                    id: sec.id.get_ref().clone(),
                    title: sec.title.to_text(),
                    items: sec.items.iter().map(RawItem::to_model).collect(),
                })
                .collect(),
            layout: self.layout.clone(),
        }
    }
}

impl RawItem {
    fn to_model(&self) -> Item {
        let prov = &self.provenance;
        Item {
            id: self.id.get_ref().clone(),
            number: self.number.get_ref().clone(),
            text: self.text.to_text(),
            provenance: Provenance {
                tag: prov.tag,
                sources: prov.sources.get_ref().clone(),
                note: prov.note.clone(),
            },
            sheets: self
                .sheets
                .get_ref()
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            scopes: self.scopes.clone(),
            deadline: self.deadline.as_ref().map(RawText::to_text),
            guidance: self
                .guidance
                .as_ref()
                .map(|g| Guidance {
                    why: g.why.to_text(),
                    done_when: g.done_when.to_text(),
                    who: g.who.to_text(),
                })
                .unwrap_or_default(),
            new_in_version: self.new_in_version,
            gate: self.gate,
            previous_ids: self
                .previous_ids
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
        }
    }
}
