//! Semantic validation of a checklist: unique ids, provenance, sheets, scopes, wording and the
//! mapping to the previous version. Problems carry a locator that the loader turns into a
//! file:line:col position.

use std::collections::HashSet;

use super::{Checklist, ChecklistError, ChecklistKind, Diagnostic, ProvenanceTag};

/// Where in a checklist a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loc {
    /// The checklist id.
    Id,
    /// The title.
    Title,
    /// The fiscal year.
    FiscalYear,
    /// The `previous` key.
    Previous,
    /// The licence note.
    License,
    /// A sheet (index).
    Sheet(usize),
    /// A section (index).
    Section(usize),
    /// An item's id (section, item).
    Item(usize, usize),
    /// An item's number.
    Number(usize, usize),
    /// An item's Japanese text.
    Text(usize, usize),
    /// An item's provenance.
    Provenance(usize, usize),
    /// An item's sheet list.
    Sheets(usize, usize),
    /// One entry of an item's sheet list.
    SheetRef(usize, usize, usize),
    /// One entry of an item's previous ids.
    PreviousId(usize, usize, usize),
}

/// One semantic problem.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    pub loc: Loc,
    pub message: String,
}

fn issue(loc: Loc, message: impl Into<String>) -> Issue {
    Issue {
        loc,
        message: message.into(),
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Checks one checklist. `previous` is the checklist named by `c.previous`, when it was found.
pub(crate) fn check(c: &Checklist, previous: Option<&Checklist>) -> Vec<Issue> {
    let mut out = Vec::new();
    if !is_slug(&c.id) {
        out.push(issue(
            Loc::Id,
            format!(
                "checklist id `{}` must be lower-case letters, digits, `-` or `_`",
                c.id
            ),
        ));
    }
    if c.title.ja.trim().is_empty() {
        out.push(issue(Loc::Title, "checklist title (ja) is empty"));
    }
    if !(2000..=2100).contains(&c.fiscal_year) {
        out.push(issue(
            Loc::FiscalYear,
            format!(
                "fiscal_year {} is not a plausible year (2000-2100)",
                c.fiscal_year
            ),
        ));
    }
    if c.source.license_note.trim().is_empty() {
        out.push(issue(
            Loc::License,
            "source.license_note is empty (出典 and reuse terms are required)",
        ));
    }
    match (&c.previous, previous) {
        (Some(p), _) if *p == c.id => {
            out.push(issue(
                Loc::Previous,
                "a checklist cannot be its own previous version",
            ));
        }
        (Some(p), None) => out.push(issue(
            Loc::Previous,
            format!("previous checklist `{p}` not found"),
        )),
        (Some(p), Some(prev)) if prev.id != *p => out.push(issue(
            Loc::Previous,
            format!("previous checklist `{p}` does not match `{}`", prev.id),
        )),
        _ => {}
    }
    if c.sheets.is_empty() {
        out.push(issue(Loc::Id, "checklist has no sheets"));
    }
    let mut sheet_ids = HashSet::new();
    for (i, s) in c.sheets.iter().enumerate() {
        if !is_slug(&s.id) {
            out.push(issue(
                Loc::Sheet(i),
                format!("sheet id `{}` must be a lower-case slug", s.id),
            ));
        }
        if !sheet_ids.insert(s.id.as_str()) {
            out.push(issue(
                Loc::Sheet(i),
                format!("duplicate sheet id `{}`", s.id),
            ));
        }
        if s.title.ja.trim().is_empty() {
            out.push(issue(
                Loc::Sheet(i),
                format!("sheet `{}` has an empty title", s.id),
            ));
        }
    }
    let mut section_ids = HashSet::new();
    let mut item_ids = HashSet::new();
    let mut gates = HashSet::new();
    let prev_ids: Option<HashSet<&str>> =
        previous.map(|p| p.items().map(|i| i.id.as_str()).collect());
    let needs_guidance = matches!(c.kind, ChecklistKind::Official | ChecklistKind::Recommended);
    if c.sections.is_empty() {
        out.push(issue(Loc::Id, "checklist has no sections"));
    }
    for (si, sec) in c.sections.iter().enumerate() {
        if sec.id.trim().is_empty() || !section_ids.insert(sec.id.as_str()) {
            out.push(issue(
                Loc::Section(si),
                format!("section id `{}` is empty or duplicate", sec.id),
            ));
        }
        if sec.title.ja.trim().is_empty() {
            out.push(issue(
                Loc::Section(si),
                format!("section `{}` has an empty title", sec.id),
            ));
        }
        if sec.items.is_empty() {
            out.push(issue(
                Loc::Section(si),
                format!("section `{}` has no items", sec.id),
            ));
        }
        for (ii, item) in sec.items.iter().enumerate() {
            let at = |f: fn(usize, usize) -> Loc| f(si, ii);
            if item.id.trim().is_empty() {
                out.push(issue(at(Loc::Item), "item id is empty"));
            } else if !item_ids.insert(item.id.as_str()) {
                out.push(issue(
                    at(Loc::Item),
                    format!("duplicate item id `{}`", item.id),
                ));
            }
            if item.number.trim().is_empty() {
                out.push(issue(
                    at(Loc::Number),
                    format!("item `{}`: number is empty", item.id),
                ));
            }
            if item.text.ja.trim().is_empty() {
                out.push(issue(
                    at(Loc::Text),
                    format!("item `{}`: wording (text.ja) is empty", item.id),
                ));
            }
            let prov = &item.provenance;
            if prov.sources.iter().all(|s| s.trim().is_empty()) {
                out.push(issue(
                    at(Loc::Provenance),
                    format!("item `{}`: provenance.sources is empty (cite where the wording comes from)", item.id),
                ));
            }
            let tag_ok = match c.kind {
                ChecklistKind::Official => {
                    !matches!(prov.tag, ProvenanceTag::Imported | ProvenanceTag::Tenken)
                }
                ChecklistKind::Recommended => prov.tag == ProvenanceTag::Tenken,
                ChecklistKind::Imported => prov.tag == ProvenanceTag::Imported,
            };
            if !tag_ok {
                out.push(issue(
                    at(Loc::Provenance),
                    format!(
                        "item `{}`: provenance tag {:?} does not fit a {:?} checklist",
                        item.id, prov.tag, c.kind
                    ),
                ));
            }
            if item.sheets.is_empty() {
                out.push(issue(
                    at(Loc::Sheets),
                    format!("item `{}`: sheets is empty", item.id),
                ));
            }
            for (k, s) in item.sheets.iter().enumerate() {
                if !sheet_ids.contains(s.as_str()) {
                    out.push(issue(
                        Loc::SheetRef(si, ii, k),
                        format!(
                            "item `{}`: unknown sheet `{s}` (not in [[sheets]])",
                            item.id
                        ),
                    ));
                }
                if item.gate && !gates.insert(s.clone()) {
                    out.push(issue(
                        at(Loc::Item),
                        format!(
                            "item `{}`: sheet `{s}` has more than one gate item",
                            item.id
                        ),
                    ));
                }
            }
            let mut seen = HashSet::new();
            for sc in &item.scopes {
                if !seen.insert(*sc) {
                    out.push(issue(
                        at(Loc::Item),
                        format!("item `{}`: scope {sc:?} listed twice", item.id),
                    ));
                }
            }
            if let Some(d) = &item.deadline
                && d.ja.trim().is_empty()
            {
                out.push(issue(
                    at(Loc::Item),
                    format!("item `{}`: deadline.ja is empty", item.id),
                ));
            }
            if needs_guidance {
                let g = &item.guidance;
                if g.why.ja.trim().is_empty()
                    || g.done_when.ja.trim().is_empty()
                    || g.who.ja.trim().is_empty()
                {
                    out.push(issue(
                        at(Loc::Item),
                        format!(
                            "item `{}`: guidance (why, done_when, who) is required",
                            item.id
                        ),
                    ));
                }
            }
            match (&c.previous, &prev_ids) {
                (None, _) => {
                    if !item.previous_ids.is_empty() {
                        out.push(issue(
                            Loc::PreviousId(si, ii, 0),
                            format!(
                                "item `{}`: previous_ids given but the checklist has no `previous`",
                                item.id
                            ),
                        ));
                    }
                    if item.new_in_version {
                        out.push(issue(
                            at(Loc::Item),
                            format!(
                                "item `{}`: new_in_version needs a `previous` checklist",
                                item.id
                            ),
                        ));
                    }
                }
                (Some(_), Some(ids)) => {
                    for (k, p) in item.previous_ids.iter().enumerate() {
                        if !ids.contains(p.as_str()) {
                            out.push(issue(
                                Loc::PreviousId(si, ii, k),
                                format!(
                                    "item `{}`: previous id `{p}` does not exist in `{}`",
                                    item.id,
                                    c.previous.as_deref().unwrap_or_default()
                                ),
                            ));
                        }
                    }
                    if item.new_in_version && !item.previous_ids.is_empty() {
                        out.push(issue(
                            at(Loc::Item),
                            format!(
                                "item `{}`: new_in_version items cannot have previous_ids",
                                item.id
                            ),
                        ));
                    }
                    if !item.new_in_version && item.previous_ids.is_empty() {
                        out.push(issue(
                            at(Loc::Item),
                            format!("item `{}`: map it to the previous version (previous_ids) or mark it new_in_version", item.id),
                        ));
                    }
                }
                (Some(_), None) => {}
            }
        }
    }
    if let Some(layout) = &c.layout {
        for f in &layout.files {
            if !sheet_ids.contains(f.sheet.as_str()) {
                out.push(issue(
                    Loc::Id,
                    format!("layout of `{}`: unknown sheet `{}`", f.name, f.sheet),
                ));
            }
            for r in &f.rows {
                if !item_ids.contains(r.item.as_str()) {
                    out.push(issue(
                        Loc::Id,
                        format!("layout of `{}`: unknown item `{}`", f.name, r.item),
                    ));
                }
            }
        }
    }
    out
}

/// Validates a checklist (already parsed) against its previous version, when it has one.
/// Positions are not known here, so diagnostics name the checklist id and line 1.
pub fn validate(checklist: &Checklist, previous: Option<&Checklist>) -> Result<(), ChecklistError> {
    let issues = check(checklist, previous);
    if issues.is_empty() {
        return Ok(());
    }
    Err(ChecklistError::Invalid(
        issues
            .into_iter()
            .map(|i| Diagnostic {
                file: checklist.id.clone(),
                line: 1,
                column: 1,
                message: i.message,
            })
            .collect(),
    ))
}
