//! Import of the official checklist workbooks as MHLW publishes them (issue 16): one or more
//! .xlsx files, each with one or more checklist worksheets, into one checklist of
//! `kind = imported`. From R8 on MHLW publishes two workbooks (医療機関・薬局確認用 and
//! 事業者確認用); they may be imported together or one after the other (the second adds its sheet).
//!
//! Why this file is over 600 lines: the import plan end to end (workbooks, sheets, links to the
//! previous version, notices, saving) with its tests; reading one worksheet is in `parse.rs`.
//!
//! [`plan_import`] reads and checks everything and returns an [`ImportPlan`]: the checklist as it
//! would be saved, the files with their SHA-256, the links to the previous version and every point
//! the importer is unsure of ([`Notice::confirm`]). Nothing is written until
//! [`ImportPlan::save`]; any error leaves the data directory untouched.

mod grid;
mod link;
mod parse;
mod words;

use std::path::{Path, PathBuf};

use chrono::Datelike;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::layout::{Layout, LayoutCell, LayoutFile, LayoutRow};
use crate::{
    Checklist, ChecklistError, ChecklistKind, Guidance, Item, Provenance, ProvenanceTag, Section,
    Sheet, Source,
};
use tenken_base::Text;

pub use grid::{MAX_FILE_BYTES, column_widths};
pub use link::similarity;

/// Something the importer tells the user; `confirm` ones need the user's agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// True when the user must confirm before the import is saved.
    pub confirm: bool,
    /// The cell or file it is about (`医療機関・薬局確認用!C7`), when there is one.
    pub at: Option<String>,
    /// What the importer did or proposes.
    pub message: Text,
}

impl Notice {
    pub(crate) fn info(at: Option<String>, ja: &str, en: &str) -> Self {
        Self {
            confirm: false,
            at,
            message: Text::new(ja, en),
        }
    }
    pub(crate) fn confirm(at: Option<String>, ja: &str, en: &str) -> Self {
        Self {
            confirm: true,
            ..Self::info(at, ja, en)
        }
    }
}

/// One file of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedFile {
    /// File name.
    pub name: String,
    /// SHA-256 (hex).
    pub sha256: String,
    /// Worksheet read.
    pub worksheet: String,
    /// Sheet id it became.
    pub sheet: String,
    /// Items found.
    pub items: usize,
}

/// How an imported item relates to the previous version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemLink {
    /// Item id.
    pub item: String,
    /// Number as printed.
    pub number: String,
    /// Wording.
    pub text: String,
    /// Ids in the previous version (empty = new item).
    pub previous_ids: Vec<String>,
    /// Wording of the closest previous item.
    pub previous_text: Option<String>,
    /// Similarity of the wordings (0–1).
    pub score: f64,
    /// True when the link is not certain and is shown to confirm.
    pub unsure: bool,
}

/// What an import would do. Nothing is written until [`ImportPlan::save`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportPlan {
    /// The checklist as it will be saved.
    pub checklist: Checklist,
    /// When the files add sheets to an already imported checklist: its id.
    pub adds_to: Option<String>,
    /// The files read.
    pub files: Vec<ImportedFile>,
    /// Each new item and its link to the previous version.
    pub links: Vec<ItemLink>,
    /// Points to show; `confirm` ones need the user's agreement.
    pub notices: Vec<Notice>,
}

impl ImportPlan {
    /// True when some point needs the user's confirmation.
    pub fn needs_confirmation(&self) -> bool {
        self.notices.iter().any(|n| n.confirm) || self.links.iter().any(|l| l.unsure)
    }

    /// Saves the checklist under `<data_dir>/checklists/`; returns the path.
    pub fn save(&self, data_dir: &Path) -> Result<PathBuf, ChecklistError> {
        save_user_checklist(&self.checklist, data_dir)
    }
}

fn import_error(file: &str, message: Text) -> ChecklistError {
    ChecklistError::Import {
        file: file.to_string(),
        message,
    }
}

fn import_err(file: &str, ja: impl Into<String>, en: impl Into<String>) -> ChecklistError {
    import_error(file, Text::new(ja, en))
}

/// A worksheet read from one file, with where its sheet kind came from.
struct Found {
    file: String,
    sha: String,
    grid: grid::Grid,
    sheet: parse::RawSheet,
    kind: &'static str,
}

/// The current fiscal year (April to March).
fn current_fiscal_year() -> u16 {
    let today = chrono::Local::now().date_naive();
    let y = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    u16::try_from(y).unwrap_or(2026)
}

fn default_sheet_title(kind: &str) -> Text {
    match kind {
        "vendor" => Text::new("事業者確認用", "Vendor sheet"),
        "pharmacy" => Text::new("薬局確認用", "Pharmacy sheet"),
        _ => Text::new("医療機関・薬局確認用", "Clinic and pharmacy sheet"),
    }
}

fn read_file(path: &Path) -> Result<(String, Vec<u8>), ChecklistError> {
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let cannot = |e: std::io::Error| {
        import_err(
            &name,
            format!("ファイルを読めません（{}）。", tenken_base::io_plain(&e)),
            format!("Cannot read the file: {e}"),
        )
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(import_error(
            &name,
            grid::too_large(
                &format!("{} バイト、上限 {MAX_FILE_BYTES} バイト", meta.len()),
                &format!("{} bytes, limit {MAX_FILE_BYTES}", meta.len()),
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    Ok((name, bytes))
}

/// Reads workbooks from disk; see [`plan_import_bytes`].
pub fn plan_import(
    paths: &[PathBuf],
    existing: &[Checklist],
) -> Result<ImportPlan, ChecklistError> {
    let files = paths
        .iter()
        .map(|p| read_file(p))
        .collect::<Result<Vec<_>, _>>()?;
    plan_import_bytes(&files, existing)
}

/// Reads one or more workbooks (file name, bytes) into an [`ImportPlan`]. `existing` are the
/// checklists already known (built-in and imported): the previous official version is taken from
/// them, and an imported checklist of the same year gains the new files' sheets.
pub fn plan_import_bytes(
    files: &[(String, Vec<u8>)],
    existing: &[Checklist],
) -> Result<ImportPlan, ChecklistError> {
    if files.is_empty() {
        return Err(import_err(
            "-",
            "取り込むファイルが指定されていません。",
            "No file was given.",
        ));
    }
    let mut notices = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        if files[..i].iter().any(|(_, b)| b == bytes) {
            return Err(import_err(
                name,
                "同じファイルが二度指定されています。",
                "The same file was given twice.",
            ));
        }
        let sha = hex::encode(Sha256::digest(bytes));
        let grids = grid::read_workbook(bytes).map_err(|m| import_error(name, m))?;
        if grids.iter().all(grid::Grid::is_empty) {
            return Err(import_err(
                name,
                "ブックに何も書かれていません。",
                "The workbook is empty.",
            ));
        }
        let mut in_file = Vec::new();
        for g in grids {
            if g.is_empty() {
                continue;
            }
            let parsed = parse::parse_sheet(&g).map_err(|m| import_error(name, m))?;
            match parsed {
                Some(sheet) if !sheet.items.is_empty() => in_file.push((g, sheet)),
                Some(_) => {
                    return Err(import_err(
                        name,
                        format!("シート「{}」の見出しの下に項目がありません。", g.name),
                        format!(
                            "Worksheet `{}` has no checklist items below its header.",
                            g.name
                        ),
                    ));
                }
                None if words::sheet_kind_loose(&g.name).is_some() => {
                    return Err(import_err(
                        name,
                        format!(
                            "シート「{}」に「確認項目」などの見出しの行が見つかりません。チェックリストの表の形が想定と違います。",
                            g.name
                        ),
                        format!(
                            "Worksheet `{}` has no header row naming the item column (項目, 確認項目, チェック項目).",
                            g.name
                        ),
                    ));
                }
                None => notices.push(Notice::info(
                    Some(format!("{name}: {}", g.name)),
                    "チェックリストの見出しがないシートなので読み飛ばしました。",
                    "Skipped a worksheet without a checklist header.",
                )),
            }
        }
        if in_file.is_empty() {
            return Err(import_err(
                name,
                "チェックリストの表が見つかりません（「確認項目」などの見出しの行がありません）。厚生労働省のチェックリストのブックか確かめてください。",
                "No checklist table: no header row with a 項目 column. Check that this is the MHLW checklist workbook.",
            ));
        }
        let single = in_file.len() == 1;
        for (g, sheet) in in_file {
            let by_name = words::sheet_kind_loose(&sheet.worksheet);
            let by_title = sheet.above.iter().find_map(|t| words::sheet_kind(t));
            let by_file = if single {
                words::sheet_kind(name)
            } else {
                None
            };
            let kind = match by_name.or(by_title).or(by_file) {
                Some(k) => k,
                None => {
                    notices.push(Notice::confirm(
                        Some(format!("{name}: {}", sheet.worksheet)),
                        "シート名からも表題からも、どの確認用シート（医療機関確認用・医療機関・薬局確認用・薬局確認用・事業者確認用）か分からないため、「医療機関・薬局確認用」として読みました。事業者確認用なら取り込みを中止してください。",
                        "Could not tell which sheet this is from its name or title; it was read as the clinic and pharmacy sheet. Cancel if it is the vendor sheet.",
                    ));
                    "clinic"
                }
            };
            notices.extend(sheet.notices.iter().cloned());
            found.push(Found {
                file: name.clone(),
                sha: sha.clone(),
                grid: g,
                sheet,
                kind,
            });
        }
    }
    for (i, f) in found.iter().enumerate() {
        if let Some(other) = found[..i].iter().find(|o| o.kind == f.kind) {
            return Err(import_err(
                &f.file,
                format!(
                    "シート「{}」と「{}: {}」は同じ確認用シート（{}）です。",
                    f.sheet.worksheet,
                    other.file,
                    other.sheet.worksheet,
                    default_sheet_title(f.kind).ja
                ),
                format!(
                    "Worksheets `{}` and `{}: {}` are the same sheet ({}).",
                    f.sheet.worksheet,
                    other.file,
                    other.sheet.worksheet,
                    default_sheet_title(f.kind).en
                ),
            ));
        }
    }

    // Fiscal year and title from the titles above the headers, then the file names.
    let titles: Vec<&String> = found.iter().flat_map(|f| f.sheet.above.iter()).collect();
    let mut years: Vec<u16> = found
        .iter()
        .filter_map(|f| {
            f.sheet
                .above
                .iter()
                .find_map(|t| words::guess_year(t))
                .or_else(|| words::guess_year(&f.file))
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    if years.len() > 1 {
        let list = years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(import_err(
            &found[0].file,
            format!("ファイルの年度が違います（{list}）。同じ年度のブックを取り込んでください。"),
            format!("The files are for different years ({list}); import workbooks of one year."),
        ));
    }
    let title = titles
        .iter()
        .find(|t| t.contains("チェックリスト"))
        .or(titles.first())
        .map(|t| strip_sheet_suffix(t))
        .unwrap_or_else(|| {
            Path::new(&found[0].file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let mhlw = titles
        .iter()
        .any(|t| words::squash(t).contains("サイバーセキュリティ対策チェックリスト"));
    let id_for = |fy: u16| {
        if mhlw {
            format!("imported-mhlw-r{}", fy.saturating_sub(2018))
        } else {
            let stem = Path::new(&found[0].file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            match words::slug(&stem) {
                s if s.is_empty() => format!("imported-{}", &found[0].sha[..12]),
                s => format!("imported-{s}"),
            }
        }
    };
    let fiscal_year = match years.first() {
        Some(y) => *y,
        None => {
            // No year written: an imported checklist these files add to gives it; otherwise
            // the current fiscal year, shown for confirmation.
            let y = current_fiscal_year();
            match existing.iter().find(|c| {
                c.kind == ChecklistKind::Imported && mhlw && c.id == id_for(c.fiscal_year)
            }) {
                Some(c) if !mhlw || c.id == id_for(y) => c.fiscal_year,
                _ => {
                    notices.push(Notice::confirm(
                        None,
                        &format!(
                            "ブックに年度が書かれていないため、{y}年度（令和{}年度）のものとしました。",
                            y.saturating_sub(2018)
                        ),
                        &format!("No year is written in the workbook; it was taken as FY{y}."),
                    ));
                    y
                }
            }
        }
    };
    let id = id_for(fiscal_year);

    // An imported checklist with this id: add the new sheets to it.
    let base = existing.iter().find(|c| c.id == id);
    if let Some(b) = base {
        if b.kind != ChecklistKind::Imported {
            return Err(import_err(
                &found[0].file,
                format!("ID `{id}` は組み込みのチェックリストが使っています。"),
                format!("The id `{id}` is used by a built-in checklist."),
            ));
        }
        for f in &found {
            let layout_files = b.layout.as_ref().map(|l| l.files.as_slice()).unwrap_or(&[]);
            if let Some(prev) = layout_files.iter().find(|lf| lf.sha256 == f.sha) {
                return Err(import_err(
                    &f.file,
                    format!(
                        "このブックは取り込み済みです（{id}、{}）。何も変更していません。",
                        prev.name
                    ),
                    format!(
                        "This workbook is already imported ({id}, {}); nothing was changed.",
                        prev.name
                    ),
                ));
            }
            if b.sheets.iter().any(|s| s.id == f.kind) {
                return Err(import_err(
                    &f.file,
                    format!(
                        "{id} には「{}」が取り込み済みです。入れ替えるには、データフォルダの checklists/{id}.toml を別の場所へ移してから取り込み直してください。",
                        default_sheet_title(f.kind).ja
                    ),
                    format!(
                        "{id} already has the {}; to replace it, move checklists/{id}.toml out of the data folder and import again.",
                        default_sheet_title(f.kind).en
                    ),
                ));
            }
        }
    }
    let previous: Option<&Checklist> = match base.map(|b| b.previous.as_deref()) {
        Some(Some(p)) => existing.iter().find(|c| c.id == p),
        Some(None) => None,
        None => existing
            .iter()
            .filter(|c| c.kind == ChecklistKind::Official && c.fiscal_year < fiscal_year)
            .max_by_key(|c| c.fiscal_year),
    };

    let mut checklist = match base {
        Some(b) => b.clone(),
        None => Checklist {
            id: id.clone(),
            title: Text::new(title.clone(), String::new()),
            fiscal_year,
            kind: ChecklistKind::Imported,
            previous: previous.map(|p| p.id.clone()),
            source: Source {
                title: String::new(),
                publisher: "利用者が取り込んだブック / workbook imported by the user".to_string(),
                date: String::new(),
                url: None,
                license_note: "ブックの文言をそのまま取り込みました。出典と利用条件は元の文書で確認してください。 / Wording imported verbatim from the workbook; check the original document for its source and terms of use.".to_string(),
                sha256: None,
            },
            sheets: Vec::new(),
            sections: Vec::new(),
            layout: Some(Layout::default()),
        },
    };
    let mut layout = checklist.layout.take().unwrap_or_default();
    let mut links = Vec::new();
    let mut out_files = Vec::new();
    for f in &found {
        let sheet_title = if words::sheet_kind(&f.sheet.worksheet).is_some() {
            Text::new(f.sheet.worksheet.clone(), default_sheet_title(f.kind).en)
        } else {
            default_sheet_title(f.kind)
        };
        checklist.sheets.push(Sheet {
            id: f.kind.to_string(),
            title: sheet_title,
        });
        let mut rows = Vec::new();
        for raw in &f.sheet.items {
            let item_id = if f.kind == "clinic" {
                raw.key.clone()
            } else {
                format!("{}-{}", f.kind, raw.key)
            };
            let link = previous.and_then(|p| link::propose(p, f.kind, &raw.text));
            let unsure = link.as_ref().is_some_and(|l| l.score < link::SURE);
            links.push(ItemLink {
                item: item_id.clone(),
                number: raw.number.clone(),
                text: raw.text.clone(),
                previous_ids: link.as_ref().map(|l| l.ids.clone()).unwrap_or_default(),
                previous_text: link.as_ref().map(|l| l.best_text.clone()),
                score: link.as_ref().map_or(0.0, |l| l.score),
                unsure,
            });
            let scopes: Vec<_> = raw.rows.iter().map(|(s, _)| *s).collect();
            let scopes = if scopes == [crate::Scope::General] {
                Vec::new()
            } else {
                scopes
            };
            for (scope, row) in &raw.rows {
                rows.push(LayoutRow {
                    item: item_id.clone(),
                    scope: *scope,
                    row: *row,
                });
            }
            let item = Item {
                id: item_id,
                number: raw.number.clone(),
                text: Text::new(raw.text.clone(), String::new()),
                provenance: Provenance {
                    tag: ProvenanceTag::Imported,
                    sources: vec![f.file.clone(), format!("sha256:{}", f.sha)],
                    note: Some(raw.cell.clone()),
                },
                sheets: vec![f.kind.to_string()],
                scopes,
                deadline: raw
                    .deadline
                    .as_ref()
                    .map(|d| Text::new(d.clone(), String::new())),
                guidance: Guidance::default(),
                new_in_version: previous.is_some() && link.is_none(),
                gate: raw.gate
                    || link
                        .as_ref()
                        .zip(previous)
                        .and_then(|(l, p)| l.ids.first().and_then(|id| p.item(id)))
                        .is_some_and(|i| i.gate),
                previous_ids: link.map(|l| l.ids).unwrap_or_default(),
            };
            let (sec_id, sec_title) = &raw.section;
            let si = match checklist.sections.iter().position(|s| s.id == *sec_id) {
                Some(i) => i,
                None => {
                    checklist.sections.push(Section {
                        id: sec_id.clone(),
                        title: Text::new(sec_title.clone(), String::new()),
                        items: Vec::new(),
                    });
                    checklist.sections.len() - 1
                }
            };
            if checklist.items().any(|i| i.id == item.id) {
                return Err(import_err(
                    &f.file,
                    format!("項目 ID `{}` が重複しています。", item.id),
                    format!("Duplicate item id `{}`.", item.id),
                ));
            }
            checklist.sections[si].items.push(item);
        }
        layout.files.push(LayoutFile {
            name: f.file.clone(),
            sha256: f.sha.clone(),
            sheet: f.kind.to_string(),
            worksheet: f.sheet.worksheet.clone(),
            header_rows: f.sheet.header_rows.clone(),
            columns: f.sheet.columns,
            col_widths: f.grid.col_widths.clone(),
            rows,
            cells: f
                .grid
                .cells()
                .into_iter()
                .map(|(row, col, v)| LayoutCell {
                    row,
                    col,
                    value: v.to_string(),
                })
                .collect(),
            merges: f.grid.merges.clone(),
        });
        out_files.push(ImportedFile {
            name: f.file.clone(),
            sha256: f.sha.clone(),
            worksheet: f.sheet.worksheet.clone(),
            sheet: f.kind.to_string(),
            items: f.sheet.items.len(),
        });
    }
    if let Some(p) = previous {
        check_links(p, &found, &mut links, &mut notices);
    }
    // Source: the files and their hashes.
    let mut names: Vec<&str> = Vec::new();
    let mut shas: Vec<&str> = Vec::new();
    for f in &layout.files {
        if !names.contains(&f.name.as_str()) {
            names.push(&f.name);
        }
        if !shas.contains(&f.sha256.as_str()) {
            shas.push(&f.sha256);
        }
    }
    checklist.source.title = names.join(", ");
    // One file: its hash here; several: each file's hash is in `layout.files` and in every
    // item's provenance.
    checklist.source.sha256 = match shas.as_slice() {
        [only] => Some((*only).to_string()),
        _ => None,
    };
    checklist.layout = Some(layout);
    crate::validate(&checklist, previous)?;
    Ok(ImportPlan {
        checklist,
        adds_to: base.map(|b| b.id.clone()),
        files: out_files,
        links,
        notices,
    })
}

/// Second look at the proposed links as a whole: a previous item claimed by two new items is
/// shown to confirm (split or mis-link), and previous items of the imported sheets that no new
/// item took are listed (dropped, or reworded beyond recognition).
fn check_links(
    previous: &Checklist,
    found: &[Found],
    links: &mut [ItemLink],
    notices: &mut Vec<Notice>,
) {
    let mut claimed: Vec<(&str, usize)> = Vec::new();
    for l in links.iter() {
        for id in &l.previous_ids {
            match claimed.iter_mut().find(|(c, _)| c == id) {
                Some((_, n)) => *n += 1,
                None => claimed.push((id, 1)),
            }
        }
    }
    let shared: Vec<String> = claimed
        .iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| (*id).to_string())
        .collect();
    for l in links.iter_mut() {
        if l.previous_ids.iter().any(|id| shared.contains(id)) {
            l.unsure = true;
        }
    }
    for f in found {
        for s in link::related_sheets(f.kind) {
            for item in previous.sheet_items(s) {
                if !links.iter().any(|l| l.previous_ids.contains(&item.id)) {
                    notices.push(Notice::info(
                        Some(format!("{} {}", previous.id, item.number)),
                        &format!(
                            "前の版の「{}」に当たる項目は、今回のブックに見つかりませんでした。",
                            item.text.ja
                        ),
                        &format!(
                            "No item of the new workbook matches the previous version's `{}`.",
                            item.text.ja
                        ),
                    ));
                }
            }
        }
    }
}

/// 「…チェックリスト（事業者確認用）」 → 「…チェックリスト」: the checklist title without the sheet.
fn strip_sheet_suffix(t: &str) -> String {
    let t = t.trim();
    for open in ['（', '('] {
        if let Some(i) = t.rfind(open)
            && i > 0
            && t[i..].contains("確認用")
        {
            return t[..i].trim().to_string();
        }
    }
    t.to_string()
}

/// Reads one workbook into a checklist without linking it to a previous version (kept for
/// callers of the first importer). Fails when anything needs the user's confirmation. Nothing is
/// written; see [`save_user_checklist`].
pub fn import_xlsx(path: &Path) -> Result<Checklist, ChecklistError> {
    let file = read_file(path)?;
    let plan = plan_import_bytes(&[file], &[])?;
    let unsure: Vec<&Notice> = plan.notices.iter().filter(|n| n.confirm).collect();
    if unsure.is_empty() {
        Ok(plan.checklist)
    } else {
        let join =
            |f: fn(&Notice) -> String| unsure.iter().map(|n| f(n)).collect::<Vec<_>>().join(" ");
        Err(import_err(
            &plan.files[0].name,
            format!(
                "確認が必要な点があります: {}",
                join(|n| format!("{} {}", n.at.as_deref().unwrap_or(""), n.message.ja))
            ),
            format!(
                "Needs confirmation: {}",
                join(|n| format!("{} {}", n.at.as_deref().unwrap_or(""), n.message.en))
            ),
        ))
    }
}

/// Validates `checklist` and saves it as `<data_dir>/checklists/<id>.toml`; returns the path.
/// Nothing is written when validation fails.
pub fn save_user_checklist(
    checklist: &Checklist,
    data_dir: &Path,
) -> Result<PathBuf, ChecklistError> {
    let text = super::to_toml(checklist)?;
    let name = format!("{}.toml", checklist.id);
    // Round-trip through the strict loader before anything touches the disk.
    let reparsed = super::parse_str(&name, &text)?;
    if reparsed != *checklist {
        return Err(ChecklistError::Serialize {
            id: checklist.id.clone(),
            message: "the written TOML does not read back to the same checklist".to_string(),
        });
    }
    let dir = data_dir.join("checklists");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ChecklistError::Io { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(io(&path))?;
    Ok(path)
}
