//! Line breaking for the report: UAX #14 break opportunities (`unicode-linebreak`) plus
//! Japanese kinsoku shori (no 、。」） at a line start, no 「（ at a line end), with a forced
//! break inside words (long Latin words, URLs, unbroken CJK runs) that are wider than a line.

use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Characters that must not start a line (行頭禁則).
pub const NO_LINE_START: &str = "、。，．,.・：；:;？！?!゛゜ヽヾゝゞ々ー）)］]｝}」』】〕〉》’”〙〗ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ‐–—…‥％%";

/// Characters that must not end a line (行末禁則).
pub const NO_LINE_END: &str = "（(［[｛{「『【〔〈《‘“〘〖";

fn starts_prohibited(s: &str) -> bool {
    s.chars().next().is_some_and(|c| NO_LINE_START.contains(c))
}

fn ends_prohibited(s: &str) -> bool {
    s.chars()
        .next_back()
        .is_some_and(|c| NO_LINE_END.contains(c))
}

/// Whether a break between `before` and `after` is allowed by kinsoku.
pub fn kinsoku_allows(before: &str, after: &str) -> bool {
    !starts_prohibited(after) && !ends_prohibited(before)
}

/// Breaks `text` into lines no wider than `max_width` as measured by `measure`.
///
/// Explicit newlines are kept. A single unbreakable run wider than a line is split between
/// characters (never putting a 行頭禁則 character first). Lines carry no trailing whitespace.
pub fn break_lines(text: &str, max_width: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut start = 0usize;
    let mut last_ok: Option<usize> = None;
    for (idx, opp) in linebreaks(text) {
        let mandatory = opp == BreakOpportunity::Mandatory;
        if !mandatory && !kinsoku_allows(&text[..idx], &text[idx..]) {
            continue;
        }
        loop {
            let cand = text[start..idx].trim_end();
            if measure(cand) <= max_width {
                if mandatory {
                    lines.push(cand.to_string());
                    start = idx;
                    last_ok = None;
                } else {
                    last_ok = Some(idx);
                }
                break;
            }
            if let Some(b) = last_ok.take() {
                lines.push(text[start..b].trim_end().to_string());
                start = b;
                continue;
            }
            // One run wider than the line: split between characters.
            let end = force_split(&text[start..idx], max_width, measure) + start;
            lines.push(text[start..end].trim_end().to_string());
            start = end;
            if start >= idx {
                if mandatory {
                    // the whole run went out; nothing left of this mandatory segment
                    start = idx;
                }
                break;
            }
        }
    }
    if start < text.len() {
        let rest = text[start..].trim_end();
        if !rest.is_empty() {
            lines.push(rest.to_string());
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Byte length of the longest prefix of `s` (at least one character) that fits, extended so
/// that the remainder does not begin with a 行頭禁則 character (ぶら下げ).
fn force_split(s: &str, max_width: f32, measure: &dyn Fn(&str) -> f32) -> usize {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let next = i + c.len_utf8();
        if end > 0 && measure(&s[..next]) > max_width {
            break;
        }
        end = next;
    }
    // hang prohibited characters on this line; avoid ending with an opening bracket
    while end < s.len() && starts_prohibited(&s[end..]) {
        end += s[end..].chars().next().map_or(1, char::len_utf8);
    }
    while end > 1 && ends_prohibited(&s[..end]) {
        let back = s[..end].chars().next_back().map_or(1, char::len_utf8);
        if end - back == 0 {
            break;
        }
        end -= back;
    }
    end.max(s.chars().next().map_or(s.len(), char::len_utf8))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Full-width characters count 2, others 1 (a stand-in for font metrics).
    fn w(s: &str) -> f32 {
        s.chars()
            .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
            .sum()
    }

    fn check_kinsoku(lines: &[String]) {
        for l in lines.iter().skip(1) {
            assert!(
                !starts_prohibited(l),
                "line starts with a prohibited char: {l:?}"
            );
        }
        for l in &lines[..lines.len() - 1] {
            assert!(
                !ends_prohibited(l),
                "line ends with a prohibited char: {l:?}"
            );
        }
    }

    #[test]
    fn japanese_wraps_within_width_and_keeps_all_text() {
        let s = "セキュリティパッチ（最新ファームウェアや更新プログラム）を適用している。";
        let lines = break_lines(s, 20.0, &w);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), s);
        for l in &lines {
            assert!(w(l) <= 20.0 + 2.0, "{l:?} too wide");
        }
        check_kinsoku(&lines);
    }

    #[test]
    fn no_punctuation_at_line_start_no_open_bracket_at_end() {
        // width 10 = 5 full-width chars: a naive break would put 。 or 」 first on line 2
        for s in [
            "あいうえお。かきくけこ",
            "あいうえ「お」かきくけこ",
            "あいうえお、かきくけこ",
            "あいう（えおかき）くけこ",
            "あいうえおーかきくけこ",
        ] {
            let lines = break_lines(s, 10.0, &w);
            assert_eq!(lines.concat(), s);
            check_kinsoku(&lines);
        }
    }

    #[test]
    fn latin_breaks_at_spaces_not_inside_words() {
        let lines = break_lines(
            "The firewall is on and unneeded ports are closed.",
            20.0,
            &w,
        );
        assert!(lines.len() >= 3);
        for l in &lines {
            assert!(w(l) <= 20.0);
            assert!(!l.ends_with(' ') && !l.starts_with(' '));
        }
        assert_eq!(
            lines.join(" "),
            "The firewall is on and unneeded ports are closed."
        );
    }

    #[test]
    fn long_word_and_url_are_split_to_fit() {
        let url = "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/0000516275_00006.html";
        let lines = break_lines(url, 16.0, &w);
        assert!(lines.len() >= 5);
        for l in &lines {
            assert!(w(l) <= 16.0, "{l:?}");
        }
        assert_eq!(lines.concat(), url);
        let long = "a".repeat(50);
        let lines = break_lines(&long, 16.0, &w);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines.concat(), long);
    }

    #[test]
    fn explicit_newlines_and_empty_text() {
        assert_eq!(break_lines("ab\ncd", 100.0, &w), vec!["ab", "cd"]);
        assert_eq!(break_lines("", 100.0, &w), vec![""]);
        assert_eq!(break_lines("a\n\nb", 100.0, &w), vec!["a", "", "b"]);
    }
}
