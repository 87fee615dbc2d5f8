//! Loading checklists: the built-in set embedded in the binary, single files, directories and
//! the user's imported checklists under `<data-dir>/checklists/`.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::raw::RawChecklist;
use super::validate::{Loc, check};
use super::{Checklist, ChecklistError, ChecklistKind, Diagnostic};

/// The built-in checklists, embedded so that a CLI on a USB stick works without the folder.
const BUILTIN: &[(&str, &str)] = &[
    (
        "checklists/mhlw-r5.toml",
        include_str!("../../../checklists/mhlw-r5.toml"),
    ),
    (
        "checklists/mhlw-r6.toml",
        include_str!("../../../checklists/mhlw-r6.toml"),
    ),
    (
        "checklists/mhlw-r7.toml",
        include_str!("../../../checklists/mhlw-r7.toml"),
    ),
    (
        "checklists/tenken-recommended.toml",
        include_str!("../../../checklists/tenken-recommended.toml"),
    ),
];

/// A parsed file with its raw (spanned) form, before cross-file validation.
pub(crate) struct Parsed {
    name: String,
    text: String,
    raw: RawChecklist,
    checklist: Checklist,
}

/// Parses TOML into the raw schema; syntax and schema errors become diagnostics with positions.
fn parse_raw(name: &str, text: &str) -> Result<Parsed, ChecklistError> {
    match toml::from_str::<RawChecklist>(text) {
        Ok(raw) => {
            let checklist = raw.to_model();
            Ok(Parsed {
                name: name.to_string(),
                text: text.to_string(),
                raw,
                checklist,
            })
        }
        Err(e) => {
            let offset = e.span().map_or(0, |r| r.start);
            let message = e.message().trim().to_string();
            Err(ChecklistError::Invalid(vec![Diagnostic::at(
                name, text, offset, message,
            )]))
        }
    }
}

fn pick(span: Range<usize>, fallback: Range<usize>) -> Range<usize> {
    if span.is_empty() && span.start == 0 {
        fallback
    } else {
        span
    }
}

impl Parsed {
    /// Byte span of a locator in the file.
    fn span(&self, loc: Loc) -> Range<usize> {
        let r = &self.raw;
        let item = |s: usize, i: usize| r.sections.get(s).and_then(|sec| sec.items.get(i));
        let id = r.id.span();
        match loc {
            Loc::Id => id,
            Loc::Title => r.title.ja.span(),
            Loc::FiscalYear => r.fiscal_year.span(),
            Loc::Previous => r.previous.as_ref().map_or(id.clone(), |p| p.span()),
            Loc::License => r.source.license_note.span(),
            Loc::Sheet(i) => r.sheets.get(i).map_or(id, |s| s.id.span()),
            Loc::Section(i) => r.sections.get(i).map_or(id, |s| s.id.span()),
            Loc::Item(s, i) => item(s, i).map_or(id, |it| it.id.span()),
            Loc::Number(s, i) => item(s, i).map_or(id, |it| it.number.span()),
            Loc::Text(s, i) => item(s, i).map_or(id, |it| it.text.ja.span()),
            Loc::Provenance(s, i) => item(s, i).map_or(id.clone(), |it| {
                pick(it.provenance.sources.span(), it.id.span())
            }),
            Loc::Sheets(s, i) => item(s, i).map_or(id, |it| pick(it.sheets.span(), it.id.span())),
            Loc::SheetRef(s, i, k) => item(s, i).map_or(id, |it| {
                it.sheets
                    .get_ref()
                    .get(k)
                    .map_or(it.id.span(), |x| x.span())
            }),
            Loc::PreviousId(s, i, k) => item(s, i).map_or(id, |it| {
                it.previous_ids.get(k).map_or(it.id.span(), |x| x.span())
            }),
        }
    }
}

/// Validates parsed files together: each against its previous version (looked up among the
/// files and then `extra`), and checklist ids unique across the files and `reserved`.
fn validate_set(
    parsed: Vec<Parsed>,
    extra: &[Checklist],
    reserved: &[Checklist],
) -> Result<Vec<Checklist>, ChecklistError> {
    let mut diags = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for p in &parsed {
        let id = p.checklist.id.as_str();
        if let Some(other) = seen.insert(id, &p.name) {
            diags.push(Diagnostic::at(
                &p.name,
                &p.text,
                p.raw.id.span().start,
                format!("checklist id `{id}` is also defined in {other}"),
            ));
        } else if reserved.iter().any(|c| c.id == id) {
            diags.push(Diagnostic::at(
                &p.name,
                &p.text,
                p.raw.id.span().start,
                format!("checklist id `{id}` is already used by a built-in checklist"),
            ));
        }
    }
    for p in &parsed {
        let previous = p.checklist.previous.as_deref().and_then(|prev_id| {
            parsed
                .iter()
                .map(|q| &q.checklist)
                .chain(extra.iter())
                .find(|c| c.id == prev_id)
        });
        for issue in check(&p.checklist, previous) {
            let span = p.span(issue.loc);
            diags.push(Diagnostic::at(&p.name, &p.text, span.start, issue.message));
        }
    }
    if diags.is_empty() {
        Ok(parsed.into_iter().map(|p| p.checklist).collect())
    } else {
        Err(ChecklistError::Invalid(diags))
    }
}

/// Parses and validates one checklist from text; `name` is used in error positions. A
/// `previous` version is looked up among the built-in checklists.
pub fn parse_str(name: &str, text: &str) -> Result<Checklist, ChecklistError> {
    let parsed = parse_raw(name, text)?;
    let builtin = builtin()?;
    let mut out = validate_set(vec![parsed], &builtin, &[])?;
    out.pop()
        .ok_or_else(|| ChecklistError::NotFound(name.to_string()))
}

/// The built-in checklists (MHLW R5, R6, R7 and the Tenken-recommended list), validated.
///
/// The built-in files are compiled in and never change, so they are parsed and validated once per
/// process; later calls clone the result (the app asks on every screen and autosave).
pub fn builtin() -> Result<Vec<Checklist>, ChecklistError> {
    static PARSED: std::sync::OnceLock<Result<Vec<Checklist>, Vec<Diagnostic>>> =
        std::sync::OnceLock::new();
    match PARSED.get_or_init(|| match parse_builtin() {
        Ok(v) => Ok(v),
        Err(ChecklistError::Invalid(d)) => Err(d),
        Err(other) => Err(vec![Diagnostic {
            file: "built-in".into(),
            line: 1,
            column: 1,
            message: other.to_string(),
        }]),
    }) {
        Ok(v) => Ok(v.clone()),
        Err(d) => Err(ChecklistError::Invalid(d.clone())),
    }
}

fn parse_builtin() -> Result<Vec<Checklist>, ChecklistError> {
    let mut parsed = Vec::new();
    let mut diags = Vec::new();
    for (name, text) in BUILTIN {
        match parse_raw(name, text) {
            Ok(p) => parsed.push(p),
            Err(e) => diags.extend(e.diagnostics().iter().cloned()),
        }
    }
    if !diags.is_empty() {
        return Err(ChecklistError::Invalid(diags));
    }
    validate_set(parsed, &[], &[])
}

fn read(path: &Path) -> Result<String, ChecklistError> {
    std::fs::read_to_string(path).map_err(|source| ChecklistError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Loads and validates one checklist file (its `previous` is looked up in the built-in set).
pub fn load_file(path: &Path) -> Result<Checklist, ChecklistError> {
    let text = read(path)?;
    let name = path.display().to_string();
    let parsed = parse_raw(&name, &text)?;
    let builtin = builtin()?;
    let mut out = validate_set(vec![parsed], &builtin, &[])?;
    out.pop().ok_or(ChecklistError::NotFound(name))
}

/// Loads and validates every `*.toml` in a directory (sorted by name), checking them together:
/// ids unique across the files, `previous` looked up among them and then the built-in set.
pub fn load_dir(path: &Path) -> Result<Vec<Checklist>, ChecklistError> {
    load_dir_inner(path, &[])
}

fn load_dir_inner(path: &Path, reserved: &[Checklist]) -> Result<Vec<Checklist>, ChecklistError> {
    let entries = std::fs::read_dir(path).map_err(|source| ChecklistError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut parsed = Vec::new();
    let mut diags = Vec::new();
    for f in &files {
        let text = read(f)?;
        match parse_raw(&f.display().to_string(), &text) {
            Ok(p) => parsed.push(p),
            Err(e) => diags.extend(e.diagnostics().iter().cloned()),
        }
    }
    if !diags.is_empty() {
        return Err(ChecklistError::Invalid(diags));
    }
    let builtin = builtin()?;
    validate_set(parsed, &builtin, reserved)
}

/// The built-in checklists plus the user's under `<data_dir>/checklists/` (when that exists).
/// User checklists may not reuse a built-in id.
pub fn all(data_dir: Option<&Path>) -> Result<Vec<Checklist>, ChecklistError> {
    let mut out = builtin()?;
    if let Some(dir) = data_dir.map(|d| d.join("checklists"))
        && dir.is_dir()
    {
        let user = load_dir_inner(&dir, &out)?;
        out.extend(user);
    }
    Ok(out)
}

/// Finds a checklist by id among [`all`].
pub fn find(id: &str, data_dir: Option<&Path>) -> Result<Checklist, ChecklistError> {
    all(data_dir)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| ChecklistError::NotFound(id.to_string()))
}

/// The official (MHLW) checklist with the highest fiscal year.
pub fn latest_official(checklists: &[Checklist]) -> Option<&Checklist> {
    checklists
        .iter()
        .filter(|c| c.kind == ChecklistKind::Official)
        .max_by_key(|c| c.fiscal_year)
}

/// The MHLW checklist new assessments use: the newest fiscal year among the built-in official
/// versions and the MHLW workbooks the user imported ([`Checklist::is_mhlw`]); an imported
/// version wins over a built-in one of the same year (it is MHLW's own published text).
pub fn current_mhlw(checklists: &[Checklist]) -> Option<&Checklist> {
    checklists
        .iter()
        .filter(|c| c.is_mhlw())
        .max_by_key(|c| (c.fiscal_year, c.kind == ChecklistKind::Imported))
}

/// Serialises a checklist in the file format of `checklists/*.toml`.
pub fn to_toml(checklist: &Checklist) -> Result<String, ChecklistError> {
    toml::to_string_pretty(checklist).map_err(|e| ChecklistError::Serialize {
        id: checklist.id.clone(),
        message: e.to_string(),
    })
}
