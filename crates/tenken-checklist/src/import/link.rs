//! Linking imported items to the previous version by topic: the wordings are compared as
//! character bigrams (Dice coefficient) after punctuation, spaces and scope labels are removed.
//! Close matches are linked; middling ones are linked but shown for confirmation; the rest are new.

use std::collections::HashSet;

use crate::{Checklist, Item};

/// At or above: the same item (linked without asking).
pub const SURE: f64 = 0.75;
/// At or above (and below [`SURE`]): probably the same item; linked, shown to confirm.
pub const MAYBE: f64 = 0.45;

fn normalize(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars().map(super::words::fold_width) {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() => {}
            '、' | '。' | '・' | ',' | '.' | '「' | '」' | '※' | '/' => {}
            c => out.push(c),
        }
    }
    out
}

fn bigrams(s: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Similarity of two wordings, 0.0–1.0.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize(a), normalize(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (x, y) = (bigrams(&a), bigrams(&b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let common = x.intersection(&y).count() as f64;
    2.0 * common / (x.len() + y.len()) as f64
}

/// Sheets of the previous version whose items may be the same as items of `sheet`: from R8 on,
/// clinics and pharmacies answer one sheet, so the clinic sheet also links pharmacy items.
pub(crate) fn related_sheets(sheet: &str) -> &'static [&'static str] {
    match sheet {
        "clinic" => &["clinic", "pharmacy"],
        "pharmacy" => &["pharmacy", "clinic"],
        "vendor" => &["vendor"],
        _ => &[],
    }
}

/// A proposed link: the previous ids and the best score.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Ids in the previous version.
    pub ids: Vec<String>,
    /// Best similarity.
    pub score: f64,
    /// Wording of the best match.
    pub best_text: String,
}

/// The items of `prev` that are the same topic as `text` on `sheet`: the best match on each
/// related sheet at or above [`MAYBE`]. `None` when nothing matches (a new item).
pub fn propose(prev: &Checklist, sheet: &str, text: &str) -> Option<Link> {
    let mut ids = Vec::new();
    let mut best: Option<(f64, &Item)> = None;
    for s in related_sheets(sheet) {
        let cand = prev
            .sheet_items(s)
            .map(|i| (similarity(text, &i.text.ja), i))
            .filter(|(score, _)| *score >= MAYBE)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((score, item)) = cand {
            if !ids.contains(&item.id) {
                ids.push(item.id.clone());
            }
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, item));
            }
        }
    }
    best.map(|(score, item)| Link {
        ids,
        score,
        best_text: item.text.ja.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_topic_scores_high_and_others_low() {
        let a = "セキュリティパッチ（最新ファームウェアや更新プログラム）を適用している。";
        let b = "セキュリティパッチを適用している。";
        assert!(similarity(a, b) >= SURE, "{}", similarity(a, b));
        let c = "パスワードの使い回しを禁止している。";
        assert!(similarity(a, c) < MAYBE, "{}", similarity(a, c));
        assert_eq!(similarity("", c), 0.0);
    }
}
