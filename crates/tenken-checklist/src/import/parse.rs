//! Reading one worksheet as a checklist sheet: the header found by its words wherever it sits
//! (one or two rows, merged), sections, items over several rows with their scope rows, numbers
//! in every printed style, deadlines in the wording; notes and footers are left out.
//!
//! Why this file is over 600 lines: every printed style of MHLW's worksheets (headers, merged
//! cells, numbering, scope rows, deadlines) with a test per style.

use crate::Scope;
use crate::layout::AnswerColumns;
use tenken_base::Text;

use super::Notice;
use super::grid::{Grid, addr};
use super::words::{self, Col};

/// Most items on one sheet (the MHLW sheets have about 20).
const MAX_ITEMS: usize = 500;
/// How far down the header may be.
const HEADER_SEARCH_ROWS: u32 = 60;

/// One item as read from the sheet.
#[derive(Debug, Clone)]
pub struct RawItem {
    /// Number as printed.
    pub number: String,
    /// Normalised id part (`2-6`), section prefix added when the number has none.
    pub key: String,
    /// Wording (rows joined when the item continues).
    pub text: String,
    /// Cell of the wording.
    pub cell: String,
    /// Section (id, title).
    pub section: (String, String),
    /// Scope rows with their 0-based row.
    pub rows: Vec<(Scope, u32)>,
    /// Deadline printed in the wording or a 期限 column.
    pub deadline: Option<String>,
    /// 0-based row where the item starts.
    pub first_row: u32,
    /// 医療情報システムの有無 (numbered 「有無」): いいえ makes the rest unnecessary.
    pub gate: bool,
}

/// A worksheet read as a checklist sheet.
#[derive(Debug, Clone)]
pub struct RawSheet {
    /// Worksheet name.
    pub worksheet: String,
    /// Text above the header (titles), in order.
    pub above: Vec<String>,
    /// Header rows (0-based).
    pub header_rows: Vec<u32>,
    /// Answer columns.
    pub columns: AnswerColumns,
    /// Items in form order.
    pub items: Vec<RawItem>,
    /// Points to show the user.
    pub notices: Vec<Notice>,
}

struct Cols {
    text: u32,
    number: Option<u32>,
    section: Option<u32>,
    scope: Option<u32>,
    deadline: Option<u32>,
    answers: AnswerColumns,
}

impl Cols {
    fn is_answer(&self, c: u32) -> bool {
        let a = &self.answers;
        [a.yes, a.no, a.answer, a.checked, a.target, a.note].contains(&Some(c))
    }
}

/// Finds the header: the first cell (top to bottom, left to right) naming the item wording.
fn find_header(g: &Grid) -> Option<(u32, u32)> {
    for r in 0..=g.max_row.min(HEADER_SEARCH_ROWS) {
        for c in 0..=g.max_col {
            if g.origin(r, c) == (r, c) && words::is_text_header(g.get(r, c)) {
                return Some((r, c));
            }
        }
    }
    None
}

fn is_sub_header(g: &Grid, r: u32) -> bool {
    if r > g.max_row {
        return false;
    }
    let mut any = false;
    for c in 0..=g.max_col {
        if g.origin(r, c) != (r, c) {
            continue;
        }
        let v = g.get(r, c);
        if v.is_empty() {
            continue;
        }
        match words::classify_header(v) {
            Some(Col::Yes | Col::No | Col::Checked | Col::Target | Col::Answer | Col::Note) => {
                any = true;
            }
            _ => {
                if v.ends_with('。') || words::looks_like_number(v) {
                    return false;
                }
            }
        }
    }
    any
}

fn classify_columns(g: &Grid, rows: &[u32], text_col: u32, notices: &mut Vec<Notice>) -> Cols {
    let mut cols = Cols {
        text: text_col,
        number: None,
        section: None,
        scope: None,
        deadline: None,
        answers: AnswerColumns::default(),
    };
    for c in 0..=g.max_col {
        if c == text_col {
            continue;
        }
        // The lowest header row's own label wins (はい under 1回目), then the joined label.
        let mut kind = None;
        for &r in rows.iter().rev() {
            let v = g.get(r, c);
            if let Some(k) = words::classify_header(v) {
                kind = Some(k);
                break;
            }
        }
        if kind.is_none() {
            let joined: String = rows.iter().map(|&r| g.get(r, c)).collect();
            kind = words::classify_header(&joined);
        }
        let Some(kind) = kind else { continue };
        let slot = match kind {
            Col::Text => continue,
            Col::Number => &mut cols.number,
            Col::Section => &mut cols.section,
            Col::Scope => &mut cols.scope,
            Col::Deadline => &mut cols.deadline,
            Col::Yes => &mut cols.answers.yes,
            Col::No => &mut cols.answers.no,
            Col::Answer => &mut cols.answers.answer,
            Col::Checked => &mut cols.answers.checked,
            Col::Target => &mut cols.answers.target,
            Col::Note => &mut cols.answers.note,
        };
        if slot.is_none() {
            *slot = Some(c);
        } else if !matches!(
            kind,
            Col::Number | Col::Section | Col::Scope | Col::Deadline
        ) {
            let at = addr(&g.name, *rows.last().unwrap_or(&0), c);
            notices.push(Notice::info(
                Some(at),
                "同じ種類の欄が二つ以上あります（2回目の確認欄など）。出力では最初の欄に記入します。",
                "A second column of the same kind (e.g. a 2nd check). Export fills the first one.",
            ));
        }
    }
    cols
}

/// A column whose values below the header are all scope labels (サーバ, 端末PC …), used when
/// no header names the 対象 column.
fn infer_scope_col(g: &Grid, first: u32, cols: &Cols) -> Option<u32> {
    (0..=g.max_col).find(|&c| {
        if c == cols.text || Some(c) == cols.number || cols.is_answer(c) {
            return false;
        }
        let mut n = 0;
        for r in first..=g.max_row {
            if g.origin(r, c) != (r, c) {
                continue;
            }
            let v = g.get(r, c);
            if v.is_empty() {
                continue;
            }
            if words::parse_scopes(v).is_none() {
                return false;
            }
            n += 1;
        }
        n >= 2
    })
}

fn err(msg_ja: String, msg_en: String) -> Text {
    Text::new(msg_ja, msg_en)
}

/// Reads one worksheet; `Ok(None)` when it has no header naming the item wording.
pub fn parse_sheet(g: &Grid) -> Result<Option<RawSheet>, Text> {
    let Some((hr, text_col)) = find_header(g) else {
        return Ok(None);
    };
    let name = g.name.as_str();
    let mut notices = Vec::new();
    let mut header_end = g.merge_end_row(hr, text_col);
    if is_sub_header(g, header_end + 1) {
        header_end += 1;
    }
    let header_rows: Vec<u32> = (hr..=header_end).collect();
    let mut cols = classify_columns(g, &header_rows, text_col, &mut notices);
    if cols.scope.is_none()
        && let Some(c) = infer_scope_col(g, header_end + 1, &cols)
    {
        cols.scope = Some(c);
        notices.push(Notice::confirm(
            Some(addr(name, hr, c)),
            "見出しのない列にサーバ・端末PC などの対象が並んでいるため、対象の列として読みました。",
            "A column without a header holds サーバ / 端末PC labels; it was read as the scope column.",
        ));
    }
    if !cols.answers.has_answer() {
        notices.push(Notice::info(
            Some(addr(name, hr, text_col)),
            "「はい」「いいえ」を記入する列が見つかりません。公式の形での出力では、表の右に回答の列を足します。",
            "No column for はい / いいえ was found; the official-shape export adds answer columns to the right.",
        ));
    }
    let mut above: Vec<(u32, u32, String)> = g
        .cells()
        .into_iter()
        .filter(|&(r, _, _)| r < hr)
        .map(|(r, c, v)| (r, c, v.to_string()))
        .collect();
    above.sort_by_key(|&(r, c, _)| (r, c));
    let above = above.into_iter().map(|(_, _, v)| v).collect();

    let mut items: Vec<RawItem> = Vec::new();
    let mut section: Option<(String, String)> = None;
    let mut section_count = 0usize;
    let mut last_item_row: Option<u32> = None;
    for r in header_end + 1..=g.max_row {
        // Cells that start on this row (merged cells count once, at their top-left).
        let own = |c: Option<u32>| -> &str {
            match c {
                Some(c) if g.origin(r, c) == (r, c) => g.get(r, c),
                _ => "",
            }
        };
        let content: Vec<(u32, &str)> = (0..=g.max_col)
            .filter(|&c| !cols.is_answer(c) && g.origin(r, c) == (r, c))
            .map(|c| (c, g.get(r, c)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let continues_item = last_item_row.is_some()
            && (g.origin(r, text_col).0 < r || cols.number.is_some_and(|c| g.origin(r, c).0 < r));
        if content.is_empty() {
            if continues_item {
                last_item_row = Some(r);
            }
            continue;
        }
        // Notes and footers (※…, 注…), wherever they sit.
        if content.iter().all(|(_, v)| words::is_note(v)) {
            notices.push(Notice::info(
                Some(addr(name, r, content[0].0)),
                &format!("注記として読み飛ばしました: {}", first_chars(content[0].1)),
                &format!("Skipped as a note: {}", first_chars(content[0].1)),
            ));
            continue;
        }
        // A heading merged across the table (over the number and wording columns):
        // 「1 体制構築」, 「医療情報システムの有無」.
        if let [(c0, v)] = content.as_slice()
            && *c0 != text_col
            && g.origin(r, text_col) == (r, *c0)
        {
            section_count += 1;
            section = Some(
                words::section_heading(v).unwrap_or_else(|| unnumbered_section(v, section_count)),
            );
            continue;
        }
        let sec_cell = own(cols.section);
        if !sec_cell.is_empty() {
            section_count += 1;
            section = Some(words::section_heading(sec_cell).unwrap_or_else(|| {
                let id = words::slug(sec_cell);
                let id = if id.is_empty() {
                    format!("s{section_count}")
                } else {
                    id
                };
                (id, sec_cell.to_string())
            }));
        }
        let mut number = own(cols.number).to_string();
        let mut text = own(Some(text_col)).to_string();
        if number.is_empty()
            && let Some((n, rest)) = words::leading_number(&text)
            && words::section_heading(&text).is_none()
        {
            number = n;
            text = rest;
        }
        let scope_cell = own(cols.scope);
        let others: Vec<&str> = content
            .iter()
            .filter(|(c, _)| {
                Some(*c) != cols.number
                    && *c != text_col
                    && Some(*c) != cols.section
                    && Some(*c) != cols.scope
                    && Some(*c) != cols.deadline
            })
            .map(|(_, v)| *v)
            .collect();

        // A section heading row: one distinct value like 「2 医療情報システムの管理・運用」.
        if number.is_empty() && sec_cell.is_empty() {
            let distinct: Vec<&str> = {
                let mut v: Vec<&str> = content.iter().map(|(_, v)| *v).collect();
                v.dedup();
                v
            };
            if distinct.len() == 1 {
                if let Some(h) = words::section_heading(distinct[0]) {
                    section_count += 1;
                    section = Some(h);
                    continue;
                }
                // An unnumbered heading (「医療情報システムの有無【医療機関確認用】」): merged
                // across columns or left of the wording column, not a sentence.
                let (c0, v) = content[0];
                let wide = g
                    .merges
                    .iter()
                    .any(|m| m.first_row == r && m.first_col == c0 && m.last_col > m.first_col);
                if !v.ends_with('。')
                    && v.chars().count() <= 60
                    && (wide || c0 < text_col || v.contains('【') || v.contains("有無"))
                {
                    section_count += 1;
                    section = Some(unnumbered_section(v, section_count));
                    continue;
                }
            }
        }
        if !sec_cell.is_empty() && number.is_empty() && text.is_empty() {
            continue;
        }
        // A scope row of the item above.
        // The label sits in the scope column, in the wording column (when the form writes
        // サーバ / 端末PC under the item's wording) or alone on the row.
        let scope_only_text = scope_cell.is_empty() && words::parse_scopes(&text).is_some();
        if number.is_empty() && (text.is_empty() || scope_only_text) {
            let label = if !scope_cell.is_empty() {
                scope_cell
            } else if scope_only_text {
                text.as_str()
            } else {
                others.first().copied().unwrap_or("")
            };
            if let Some(scopes) = words::parse_scopes(label) {
                let Some(item) = items.last_mut() else {
                    return Err(err(
                        format!("{}: 項目より前に対象の行があります", addr(name, r, 0)),
                        "scope row before any item".to_string(),
                    ));
                };
                for s in scopes {
                    push_scope(item, s, r);
                }
                last_item_row = Some(r);
                continue;
            }
        }
        if number.is_empty() && text.is_empty() {
            if continues_item {
                last_item_row = Some(r);
                continue;
            }
            notices.push(Notice::info(
                Some(addr(name, r, content[0].0)),
                &format!(
                    "表の外の文として読み飛ばしました: {}",
                    first_chars(content[0].1)
                ),
                &format!(
                    "Skipped text outside the table: {}",
                    first_chars(content[0].1)
                ),
            ));
            continue;
        }
        if number.is_empty() {
            // Wording without a number: the item above continues on this row.
            let adjacent = last_item_row.is_some_and(|lr| lr + 1 == r);
            match items.last_mut() {
                Some(item) if adjacent => {
                    item.text.push_str(&text);
                    notices.push(Notice::confirm(
                        Some(addr(name, r, text_col)),
                        &format!(
                            "番号のない行の文言を、上の項目 {} の続きとして読みました。",
                            item.number
                        ),
                        &format!(
                            "Wording without a number was read as the continuation of item {}.",
                            item.number
                        ),
                    ));
                    if let Some(s) = words::parse_scopes(scope_cell) {
                        for sc in s {
                            push_scope(item, sc, r);
                        }
                    }
                    last_item_row = Some(r);
                    continue;
                }
                Some(_) => {
                    notices.push(Notice::confirm(
                        Some(addr(name, r, text_col)),
                        &format!(
                            "番号のない文を表の後の注記として読み飛ばしました: {}",
                            first_chars(&text)
                        ),
                        &format!(
                            "Text without a number after the table was skipped as a note: {}",
                            first_chars(&text)
                        ),
                    ));
                    continue;
                }
                None => {
                    return Err(err(
                        format!(
                            "{}: 項目に番号がありません",
                            addr(name, r, cols.number.unwrap_or(text_col))
                        ),
                        "item has no number".to_string(),
                    ));
                }
            }
        }
        // A numbered row.
        if text.is_empty() {
            if let Some((id, title)) = others
                .first()
                .and_then(|t| words::section_heading(&format!("{number} {t}")))
            {
                section_count += 1;
                section = Some((id, title));
                continue;
            }
            return Err(err(
                format!(
                    "{}: 項目 {number} に文言がありません",
                    addr(name, r, text_col)
                ),
                format!("item {number} has no text"),
            ));
        }
        let gate = number.contains("有無");
        let norm = if gate {
            "0".to_string()
        } else {
            words::normalize_number(&number)
        };
        if norm.is_empty() {
            return Err(err(
                format!(
                    "{}: 項目番号「{number}」を読めません",
                    addr(name, r, cols.number.unwrap_or(text_col))
                ),
                format!("unusable item number `{number}`"),
            ));
        }
        // 「1 体制構築」 in the number and wording columns: a section heading.
        if !norm.contains('-')
            && !text.ends_with('。')
            && text.chars().count() <= 30
            && cols.section.is_none()
            && words::parse_scopes(scope_cell).is_none()
            && next_is_item(g, r, &cols)
        {
            section_count += 1;
            section = Some((norm.clone(), text.clone()));
            notices.push(Notice::confirm(
                Some(addr(name, r, text_col)),
                &format!("「{number} {text}」を区分の見出しとして読みました。"),
                &format!("Read 「{number} {text}」 as a section heading."),
            ));
            continue;
        }
        let (sec_id, sec_title) = section.clone().unwrap_or_else(|| {
            let p: String = norm.chars().take_while(char::is_ascii_digit).collect();
            let p = if p.is_empty() { "1".to_string() } else { p };
            (p.clone(), p)
        });
        let key = if gate || norm.contains('-') || section.is_none() {
            norm.clone()
        } else {
            format!("{sec_id}-{norm}")
        };
        if let Some(prev) = items.iter().find(|i| i.key == key) {
            return Err(err(
                format!(
                    "{}: 項目番号「{number}」が二度出てきます（{} と同じ）",
                    addr(name, r, cols.number.unwrap_or(text_col)),
                    prev.cell
                ),
                format!("item number `{number}` appears twice"),
            ));
        }
        if items.len() >= MAX_ITEMS {
            return Err(err(
                format!("シート「{name}」の項目が {MAX_ITEMS} を超えます"),
                format!("more than {MAX_ITEMS} items"),
            ));
        }
        let deadline = match own(cols.deadline) {
            "" => words::deadline_in(&text),
            d => Some(d.to_string()),
        };
        let mut item = RawItem {
            number: number.clone(),
            key,
            text: text.clone(),
            cell: addr(name, r, text_col),
            section: (sec_id, sec_title),
            rows: Vec::new(),
            deadline,
            first_row: r,
            gate,
        };
        if !scope_cell.is_empty() {
            let Some(scopes) = words::parse_scopes(scope_cell) else {
                return Err(err(
                    format!(
                        "{}: 対象「{scope_cell}」が分かりません（サーバ、端末PC、ネットワーク機器、医療情報システム全般）",
                        addr(name, r, cols.scope.unwrap_or(0))
                    ),
                    format!(
                        "unknown scope `{scope_cell}` (use サーバ, 端末PC, ネットワーク機器 or 医療情報システム全般)"
                    ),
                ));
            };
            for s in scopes {
                push_scope(&mut item, s, r);
            }
        }
        items.push(item);
        last_item_row = Some(r);
    }
    for item in &mut items {
        if item.rows.is_empty() {
            item.rows.push((Scope::General, item.first_row));
        }
    }
    Ok(Some(RawSheet {
        worksheet: name.to_string(),
        above,
        header_rows,
        columns: cols.answers,
        items,
        notices,
    }))
}

/// True when the next row with a value has a number and a wording ending in 。.
fn next_is_item(g: &Grid, r: u32, cols: &Cols) -> bool {
    for n in r + 1..=g.max_row {
        let text = g.get(n, cols.text);
        let num = cols.number.map(|c| g.get(n, c)).unwrap_or("");
        if text.is_empty() && num.is_empty() {
            continue;
        }
        return !num.is_empty() && text.ends_with('。');
    }
    false
}

fn push_scope(item: &mut RawItem, s: Scope, row: u32) {
    if !item.rows.iter().any(|(sc, _)| *sc == s) {
        item.rows.push((s, row));
    }
}

fn first_chars(s: &str) -> String {
    let t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}

/// A section heading without a number of its own: its title (before any 【…】 note) and an id —
/// `0` for the 「医療情報システムの有無」 gate, else `s<count>` in the order met.
fn unnumbered_section(v: &str, count: usize) -> (String, String) {
    let title = match v.find('【') {
        Some(i) if i > 0 => v[..i].trim().to_string(),
        _ => v.to_string(),
    };
    let id = if v.contains("有無") {
        "0".to_string()
    } else {
        format!("s{count}")
    };
    (id, title)
}
