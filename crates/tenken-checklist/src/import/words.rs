//! The words of the MHLW form: header labels, sheet names, item numbers (①, (1), 1-①), scope
//! labels, deadlines written in the item text and notes.

use crate::Scope;

/// Removes all whitespace (ASCII, full-width, line breaks) and folds full-width ASCII.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_width)
        .collect()
}

/// Full-width ASCII (`０`, `（`, `Ａ`) to ASCII.
pub fn fold_width(c: char) -> char {
    let code = c as u32;
    if (0xFF01..=0xFF5E).contains(&code) {
        char::from_u32(code - 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

/// What a header cell names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// Item number.
    Number,
    /// Item wording.
    Text,
    /// Section.
    Section,
    /// Scope (対象).
    Scope,
    /// 「はい」 column.
    Yes,
    /// 「いいえ」 column.
    No,
    /// One answer column.
    Answer,
    /// 確認日.
    Checked,
    /// 目標日.
    Target,
    /// 備考.
    Note,
    /// A deadline printed per item (期限).
    Deadline,
}

/// Item-wording header words (exact, after [`squash`]).
const TEXT_WORDS: &[&str] = &[
    "項目",
    "確認項目",
    "チェック項目",
    "確認内容",
    "対策項目",
    "確認事項",
    "チェック内容",
    "item",
];

/// Classifies a header label (all header rows of a column joined).
pub fn classify_header(label: &str) -> Option<Col> {
    let s = squash(label).to_lowercase();
    if s.is_empty() {
        return None;
    }
    let has = |w: &str| s.contains(w);
    if has("大項目")
        || has("中項目")
        || has("区分")
        || has("分類")
        || has("カテゴリ")
        || s == "section"
    {
        return Some(Col::Section);
    }
    if TEXT_WORDS
        .iter()
        .any(|w| s == *w || (s.ends_with(w) && s.len() <= w.len() + 9))
    {
        return Some(Col::Text);
    }
    if has("はい") && has("いいえ") {
        return Some(Col::Answer);
    }
    if has("いいえ") {
        return Some(Col::No);
    }
    if has("はい") {
        return Some(Col::Yes);
    }
    if has("確認日") || has("確認年月日") || has("チェック日") {
        return Some(Col::Checked);
    }
    if has("目標") {
        return Some(Col::Target);
    }
    if has("期限") || has("期日") {
        return Some(Col::Deadline);
    }
    if has("備考") || has("メモ") || has("コメント") {
        return Some(Col::Note);
    }
    if has("回答") || has("実施状況") || has("確認結果") || has("チェック欄") {
        return Some(Col::Answer);
    }
    if has("番号") || has("項番") || s == "no" || s == "no." || s == "#" || s == "通番" {
        return Some(Col::Number);
    }
    if has("対象") || s == "scope" {
        return Some(Col::Scope);
    }
    None
}

/// True when a label names the item wording (used to find the header row).
pub fn is_text_header(label: &str) -> bool {
    classify_header(label) == Some(Col::Text)
}

/// Sheet id named by a worksheet name or a title: 「医療機関・薬局確認用」 is the clinic sheet
/// (clinics and pharmacies answer one sheet from R8), 「事業者確認用」 the vendor sheet.
pub fn sheet_kind(s: &str) -> Option<&'static str> {
    let s = squash(s);
    if s.contains("事業者確認用") || s.contains("事業者用") {
        return Some("vendor");
    }
    if s.contains("医療機関") && s.contains("確認用") {
        return Some("clinic");
    }
    if s.contains("薬局確認用") {
        return Some("pharmacy");
    }
    None
}

/// Sheet id from a worksheet name alone (older workbooks: `医療機関`, `事業者`, `薬局`).
pub fn sheet_kind_loose(s: &str) -> Option<&'static str> {
    if let Some(k) = sheet_kind(s) {
        return Some(k);
    }
    if s.contains("医療機関") {
        Some("clinic")
    } else if s.contains("事業者") {
        Some("vendor")
    } else if s.contains("薬局") {
        Some("pharmacy")
    } else {
        None
    }
}

/// Parses a scope label (サーバ、端末PC …); `None` when any part is not a scope word.
pub fn parse_scopes(cell: &str) -> Option<Vec<Scope>> {
    let mut out = Vec::new();
    for part in cell
        .split(['、', ',', '，', '/', '／', '・', '\n', ' ', '　'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let p: String = squash(part.trim_matches(['(', ')', '（', '）', '【', '】', '[', ']']));
        let s = match p.as_str() {
            "サーバ" | "サーバー" => Scope::Server,
            "端末PC" | "端末" | "PC" | "クライアント" | "クライアント端末" | "端末PC等" => {
                Scope::Terminal
            }
            "ネットワーク機器" | "ネットワーク" => Scope::Network,
            "医療情報システム全般" | "全般" | "システム全般" => Scope::General,
            _ => return None,
        };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    if out.is_empty() { None } else { Some(out) }
}

/// Circled number value (①..⑳, ㉑..㉟, ㊱..㊿).
fn circled(c: char) -> Option<u32> {
    let code = c as u32;
    match code {
        0x2460..=0x2473 => Some(code - 0x2460 + 1),
        0x3251..=0x325F => Some(code - 0x3251 + 21),
        0x32B1..=0x32BF => Some(code - 0x32B1 + 36),
        0x2776..=0x277F => Some(code - 0x2776 + 1),
        _ => None,
    }
}

/// Normalises an item number: `2-⑥` → `2-6`, `(3)` → `3`, `2(3)` → `2-3`, `１－①` → `1-1`.
/// Empty when there is no digit.
pub fn normalize_number(n: &str) -> String {
    let mut s = String::new();
    for c in n.chars().map(fold_width) {
        if let Some(v) = circled(c) {
            if !s.is_empty() && !s.ends_with('-') {
                s.push('-');
            }
            s.push_str(&v.to_string());
        } else if c.is_ascii_digit() {
            s.push(c);
        } else if c.is_ascii_alphabetic() && !s.is_empty() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// True when a cell looks like an item number (`①`, `(1)`, `1-①`, `2(3)`, `1`, `No.3`).
pub fn looks_like_number(s: &str) -> bool {
    let t = squash(s);
    let t = t
        .trim_start_matches("No.")
        .trim_start_matches("No")
        .trim_start_matches("no.");
    !t.is_empty()
        && t.chars().count() <= 10
        && t.chars()
            .any(|c| c.is_ascii_digit() || circled(c).is_some())
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || circled(c).is_some()
                || matches!(
                    c,
                    '(' | ')' | '-' | '.' | '〔' | '〕' | '[' | ']' | '－' | 'ー' | '‐' | '−'
                )
        })
}

/// A number written at the start of the wording (`① 責任者を…`, `(1)責任者…`): (number, rest).
pub fn leading_number(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let mut end = 0;
    let mut seen_digit = false;
    for (i, c) in t.char_indices() {
        let f = fold_width(c);
        if f.is_ascii_digit() || circled(c).is_some() {
            seen_digit = true;
            end = i + c.len_utf8();
        } else if matches!(f, '(' | ')' | '-' | '.' | '－' | '−') {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    if !seen_digit {
        return None;
    }
    // 「①…」「(1)…」「1-① …」「1. …」 are numbers; 「2要素認証…」 is wording.
    let marked = t[..end]
        .chars()
        .any(|c| circled(c).is_some() || matches!(fold_width(c), '(' | ')' | '.' | '-'));
    let separated = t[end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_whitespace() || matches!(c, '、' | '．' | '.'));
    if !(marked || separated) {
        return None;
    }
    let number = t[..end].trim().to_string();
    let rest = t[end..]
        .trim_start_matches(['.', '．', '、', ' ', '　'])
        .trim()
        .to_string();
    (!rest.is_empty()).then_some((number, rest))
}

/// A section heading such as `1 体制構築`, `２．医療情報システムの管理・運用【…】`:
/// (id, title). Item wordings (ending in 。) are not headings.
pub fn section_heading(s: &str) -> Option<(String, String)> {
    let t = s.trim();
    if t.ends_with('。') || t.chars().count() > 60 {
        return None;
    }
    let t = t.trim_start_matches('第');
    let digits: String = t
        .chars()
        .map(fold_width)
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return None;
    }
    let rest: String = t.chars().skip(digits.chars().count()).collect();
    let rest = rest
        .trim_start_matches(['章', '.', '．', '、', ' ', '　', ':', '：'])
        .trim();
    if rest.is_empty() || rest.starts_with(['-', '－', '(', '（']) {
        return None;
    }
    // Strip a trailing 【医療機関確認用・事業者確認用】 style note from the title.
    let title = match rest.find('【') {
        Some(i) if i > 0 => rest[..i].trim(),
        _ => rest,
    };
    Some((
        digits.trim_start_matches('0').to_string(),
        title.to_string(),
    ))
}

/// True for a note or footer line: ※…, 注…, （注）…, 出典…, ＊….
pub fn is_note(s: &str) -> bool {
    let t = s.trim_start();
    [
        "※", "注", "(注", "（注", "出典", "＊", "*", "【注", "〈注", "備考", "参考",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// A deadline written in the wording (`令和9年度までに…`, `令和7年度中`), as printed up to the
/// end of its clause.
pub fn deadline_in(text: &str) -> Option<String> {
    let start = text.find("令和")?;
    let rest = &text[start..];
    let after: String = rest.chars().skip(2).map(fold_width).collect();
    let digits = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '元')
        .count();
    if digits == 0 {
        return None;
    }
    let tail: String = after.chars().skip(digits).collect();
    if !(tail.starts_with("年度") || tail.starts_with('年')) {
        return None;
    }
    let clause: String = rest
        .chars()
        .take_while(|c| !matches!(c, '。' | '、' | '）' | ')' | '\n'))
        .collect();
    let clause = clause.trim().to_string();
    let words = ["まで", "中", "以降", "時点", "から"];
    words.iter().any(|w| clause.contains(w)).then_some(clause)
}

/// 令和N → 西暦; a 4-digit year also counts.
pub fn guess_year(s: &str) -> Option<u16> {
    let ascii: String = s.chars().map(fold_width).collect();
    if let Some(pos) = ascii.find("令和") {
        let digits: String = ascii[pos + "令和".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse::<u16>() {
            return Some(2018 + n);
        }
    }
    let chars: Vec<char> = ascii.chars().collect();
    chars.windows(4).find_map(|w| {
        let t: String = w.iter().collect();
        t.parse::<u16>().ok().filter(|y| (2000..=2100).contains(y))
    })
}

/// Lower-case ASCII slug of a string (non-ASCII dropped).
pub fn slug(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_every_printed_style() {
        assert_eq!(normalize_number("①"), "1");
        assert_eq!(normalize_number("(1)"), "1");
        assert_eq!(normalize_number("（１）"), "1");
        assert_eq!(normalize_number("1-①"), "1-1");
        assert_eq!(normalize_number("2(3)"), "2-3");
        assert_eq!(normalize_number("2-(13)"), "2-13");
        assert_eq!(normalize_number("２－⑬"), "2-13");
        assert_eq!(normalize_number("㉑"), "21");
        assert!(looks_like_number("1-①"));
        assert!(looks_like_number("（２）"));
        assert!(!looks_like_number("サーバ"));
        assert_eq!(
            leading_number("① 責任者を設置している。"),
            Some(("①".into(), "責任者を設置している。".into()))
        );
        assert_eq!(
            leading_number("(2)責任者を設置している。"),
            Some(("(2)".into(), "責任者を設置している。".into()))
        );
        assert_eq!(leading_number("2要素認証を導入している。"), None);
    }

    #[test]
    fn sheet_names_of_r8_and_before() {
        assert_eq!(sheet_kind("医療機関・薬局確認用"), Some("clinic"));
        assert_eq!(
            sheet_kind(
                "医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（事業者確認用）"
            ),
            Some("vendor")
        );
        assert_eq!(sheet_kind("薬局確認用"), Some("pharmacy"));
        assert_eq!(sheet_kind_loose("医療機関"), Some("clinic"));
        assert_eq!(sheet_kind("Sheet1"), None);
    }

    #[test]
    fn deadlines_and_headings() {
        assert_eq!(
            deadline_in("二要素認証を実装している、または令和9年度までに実装する予定である。")
                .as_deref(),
            Some("令和9年度までに実装する予定である")
        );
        assert_eq!(deadline_in("令和8年度版チェックリスト"), None);
        assert_eq!(
            section_heading("２．医療情報システムの管理・運用【医療機関確認用・事業者確認用】"),
            Some(("2".into(), "医療情報システムの管理・運用".into()))
        );
        assert_eq!(section_heading("1-① 責任者を設置している。"), None);
        assert_eq!(
            parse_scopes("サーバ、端末PC"),
            Some(vec![Scope::Server, Scope::Terminal])
        );
        assert_eq!(parse_scopes("プリンタ"), None);
    }
}
