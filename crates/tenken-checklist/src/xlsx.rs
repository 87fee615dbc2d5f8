//! Import of a checklist workbook laid out like the MHLW form (issue 8 §5); the layout is
//! documented in `checklists/README.md`. The result is `kind = imported`, every wording tagged
//! `imported` with the workbook's file name and SHA-256.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};
use chrono::Datelike;
use sha2::{Digest, Sha256};

use super::{
    Checklist, ChecklistError, ChecklistKind, Guidance, Item, Provenance, ProvenanceTag, Scope,
    Section, Sheet, Source,
};
use tenken_base::Text;

const TEXT_HEADERS: &[&str] = &["項目", "確認項目", "チェック項目", "item"];
const NUMBER_HEADERS: &[&str] = &["番号", "項番", "no", "no.", "number"];
const SECTION_HEADERS: &[&str] = &["区分", "分類", "大項目", "section"];
const SCOPE_HEADERS: &[&str] = &["対象", "対象機器", "scope"];

fn cell_str(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string().trim().to_string(),
    }
}

fn col_name(c: usize) -> String {
    let mut n = c + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

/// Maps a worksheet name to a sheet id.
fn sheet_id(name: &str) -> Option<&'static str> {
    if name.contains("医療機関") {
        Some("clinic")
    } else if name.contains("事業者") {
        Some("vendor")
    } else if name.contains("薬局") {
        Some("pharmacy")
    } else {
        None
    }
}

/// Parses a scope cell (サーバ、端末PC ...).
fn parse_scopes(cell: &str) -> Result<Vec<Scope>, String> {
    let mut out = Vec::new();
    for part in cell
        .split(['、', ',', '，', '/', '／', '・', '\n', ' ', '　'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let p = part.trim_matches(['(', ')', '（', '）', '【', '】']);
        let s = match p {
            "サーバ" | "サーバー" => Scope::Server,
            "端末PC" | "端末ＰＣ" | "端末" | "PC" | "クライアント" => Scope::Terminal,
            "ネットワーク機器" | "ネットワーク" => Scope::Network,
            "医療情報システム全般" | "全般" => Scope::General,
            other => {
                return Err(format!(
                    "unknown scope `{other}` (use サーバ, 端末PC, ネットワーク機器 or 医療情報システム全般)"
                ));
            }
        };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    if out == [Scope::General] {
        out.clear();
    }
    Ok(out)
}

/// `2-⑥` -> `2-6`, `2(3)` -> `2-3`.
fn normalize_number(n: &str) -> String {
    let mut s = String::new();
    for c in n.chars() {
        let code = c as u32;
        if (0x2460..=0x2473).contains(&code) {
            if !s.is_empty() && !s.ends_with('-') {
                s.push('-');
            }
            s.push_str(&(code - 0x2460 + 1).to_string());
        } else if ('０'..='９').contains(&c) {
            s.push(char::from(b'0' + (code - '０' as u32) as u8));
        } else if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn guess_year(s: &str) -> Option<u16> {
    let ascii: String = s
        .chars()
        .map(|c| {
            if ('０'..='９').contains(&c) {
                char::from(b'0' + (c as u32 - '０' as u32) as u8)
            } else {
                c
            }
        })
        .collect();
    if let Some(pos) = ascii.find("令和") {
        let digits: String = ascii[pos + "令和".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse::<u16>() {
            return Some(2018 + n);
        }
    }
    let bytes: Vec<char> = ascii.chars().collect();
    bytes.windows(4).find_map(|w| {
        let t: String = w.iter().collect();
        t.parse::<u16>().ok().filter(|y| (2000..=2100).contains(y))
    })
}

fn import_error(file: &str, message: impl Into<String>) -> ChecklistError {
    ChecklistError::Import {
        file: file.to_string(),
        message: message.into(),
    }
}

/// Reads a workbook laid out like the MHLW form into a checklist (`kind = imported`).
/// Nothing is written; see [`save_user_checklist`].
pub fn import_xlsx(path: &Path) -> Result<Checklist, ChecklistError> {
    let bytes = std::fs::read(path).map_err(|source| ChecklistError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let sha = hex::encode(Sha256::digest(&bytes));
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let fname = file_name.as_str();
    let mut wb = open_workbook_auto(path)
        .map_err(|e| import_error(fname, format!("Excel ファイル（.xlsx）として読めません。壊れているか、Excel 以外のファイルです (not a readable workbook: {e})")))?;

    let mut sheets: Vec<Sheet> = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut title: Option<String> = None;
    for ws_name in wb.sheet_names() {
        let Some(sid) = sheet_id(&ws_name) else {
            continue;
        };
        if sheets.iter().any(|s| s.id == sid) {
            return Err(import_error(
                fname,
                format!("sheet `{ws_name}`: a second {sid} sheet"),
            ));
        }
        let range = wb
            .worksheet_range(&ws_name)
            .map_err(|e| import_error(fname, format!("sheet `{ws_name}`: {e}")))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let addr = |r: usize, c: usize| {
            format!(
                "{ws_name}!{}{}",
                col_name(c + col0 as usize),
                r + row0 as usize + 1
            )
        };
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_str).collect())
            .collect();
        // Header row: the first row with an 項目 column.
        let find_col = |row: &[String], names: &[&str]| {
            row.iter()
                .position(|c| names.iter().any(|n| c.eq_ignore_ascii_case(n)))
        };
        let Some((hdr, text_col)) = rows
            .iter()
            .enumerate()
            .take(20)
            .find_map(|(i, r)| find_col(r, TEXT_HEADERS).map(|c| (i, c)))
        else {
            return Err(import_error(
                fname,
                format!("sheet `{ws_name}`: no header row with a 項目 column in the first 20 rows"),
            ));
        };
        let header = &rows[hdr];
        let Some(num_col) = find_col(header, NUMBER_HEADERS) else {
            return Err(import_error(
                fname,
                format!("{}: header row has no 番号 column", addr(hdr, 0)),
            ));
        };
        let sec_col = find_col(header, SECTION_HEADERS);
        let scope_col = find_col(header, SCOPE_HEADERS);
        if title.is_none() {
            title = rows[..hdr]
                .iter()
                .flat_map(|r| r.iter())
                .find(|c| !c.is_empty())
                .cloned();
        }
        sheets.push(Sheet {
            id: sid.to_string(),
            title: Text::new(ws_name.clone(), String::new()),
        });
        let get =
            |r: &[String], c: Option<usize>| c.and_then(|c| r.get(c)).cloned().unwrap_or_default();
        let mut current: Option<(String, String)> = None;
        let mut last: Option<(usize, usize)> = None; // (section idx, item idx)
        for (ri, row) in rows.iter().enumerate().skip(hdr + 1) {
            let sec_cell = get(row, sec_col);
            let number = get(row, Some(num_col));
            let text = get(row, Some(text_col));
            let scope = get(row, scope_col);
            if !sec_cell.is_empty() {
                let digits: String = sec_cell.chars().take_while(char::is_ascii_digit).collect();
                let title_part = sec_cell[digits.len()..]
                    .trim_start_matches(['.', '．', ' ', '　'])
                    .trim()
                    .to_string();
                let id = if digits.is_empty() {
                    slug(&sec_cell)
                } else {
                    digits
                };
                let id = if id.is_empty() {
                    format!("s{}", sections.len() + 1)
                } else {
                    id
                };
                current = Some((
                    id,
                    if title_part.is_empty() {
                        sec_cell.clone()
                    } else {
                        title_part
                    },
                ));
            }
            if number.is_empty() && text.is_empty() {
                if scope.is_empty() {
                    continue;
                }
                // A scope sub-row of the item above.
                let scopes = parse_scopes(&scope).map_err(|m| {
                    import_error(fname, format!("{}: {m}", addr(ri, scope_col.unwrap_or(0))))
                })?;
                let Some((s, i)) = last else {
                    return Err(import_error(
                        fname,
                        format!(
                            "{}: scope row before any item",
                            addr(ri, scope_col.unwrap_or(0))
                        ),
                    ));
                };
                let item = &mut sections[s].items[i];
                for sc in scopes {
                    if !item.scopes.contains(&sc) {
                        item.scopes.push(sc);
                    }
                }
                continue;
            }
            if number.is_empty() {
                return Err(import_error(
                    fname,
                    format!("{}: item has no number", addr(ri, num_col)),
                ));
            }
            if text.is_empty() {
                return Err(import_error(
                    fname,
                    format!("{}: item {number} has no text", addr(ri, text_col)),
                ));
            }
            let norm = normalize_number(&number);
            if norm.is_empty() {
                return Err(import_error(
                    fname,
                    format!("{}: unusable item number `{number}`", addr(ri, num_col)),
                ));
            }
            let id = if sid == "clinic" {
                norm.clone()
            } else {
                format!("{sid}-{norm}")
            };
            if sections
                .iter()
                .flat_map(|s| s.items.iter())
                .any(|i| i.id == id)
            {
                return Err(import_error(
                    fname,
                    format!(
                        "{}: item number `{number}` appears twice",
                        addr(ri, num_col)
                    ),
                ));
            }
            let scopes = if scope.is_empty() {
                Vec::new()
            } else {
                parse_scopes(&scope).map_err(|m| {
                    import_error(fname, format!("{}: {m}", addr(ri, scope_col.unwrap_or(0))))
                })?
            };
            let (sec_id, sec_title) = current.clone().unwrap_or_else(|| {
                let p: String = norm.chars().take_while(char::is_ascii_digit).collect();
                let p = if p.is_empty() { "1".to_string() } else { p };
                (p.clone(), p)
            });
            let si = match sections.iter().position(|s| s.id == sec_id) {
                Some(i) => i,
                None => {
                    sections.push(Section {
                        id: sec_id.clone(),
                        title: Text::new(sec_title, String::new()),
                        items: Vec::new(),
                    });
                    sections.len() - 1
                }
            };
            sections[si].items.push(Item {
                id,
                number: number.clone(),
                text: Text::new(text, String::new()),
                provenance: Provenance {
                    tag: ProvenanceTag::Imported,
                    sources: vec![file_name.clone(), format!("sha256:{sha}")],
                    note: Some(addr(ri, text_col)),
                },
                sheets: vec![sid.to_string()],
                scopes,
                deadline: None,
                guidance: Guidance::default(),
                new_in_version: false,
                gate: false,
                previous_ids: Vec::new(),
            });
            last = Some((si, sections[si].items.len() - 1));
        }
    }
    if sheets.is_empty() {
        return Err(import_error(
            fname,
            "no worksheet named like 医療機関確認用, 事業者確認用 or 薬局確認用",
        ));
    }
    if sections.is_empty() {
        return Err(import_error(
            fname,
            "no checklist items found below the header rows",
        ));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = title.unwrap_or_else(|| stem.clone());
    let id_part = match slug(&stem) {
        s if s.is_empty() => sha[..12].to_string(),
        s => s,
    };
    let fiscal_year = guess_year(&title)
        .or_else(|| guess_year(&stem))
        .unwrap_or_else(|| u16::try_from(chrono::Local::now().year()).unwrap_or(2026));
    let checklist = Checklist {
        id: format!("imported-{id_part}"),
        title: Text::new(title.clone(), title),
        fiscal_year,
        kind: ChecklistKind::Imported,
        previous: None,
        source: Source {
            title: file_name.clone(),
            publisher: "利用者が取り込んだブック / workbook imported by the user".to_string(),
            date: String::new(),
            url: None,
            license_note: "ブックの文言をそのまま取り込みました。出典と利用条件は元の文書で確認してください。 / Wording imported verbatim from the workbook; check the original document for its source and terms of use.".to_string(),
            sha256: Some(sha),
        },
        sheets,
        sections,
    };
    super::validate(&checklist, None)?;
    Ok(checklist)
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
