//! Languages and bilingual text. Japanese is the default everywhere.

use serde::{Deserialize, Serialize};

/// User-facing language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語 (default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Picks the Japanese or the English string.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" => Ok(Lang::Ja),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}' (use ja or en)")),
        }
    }
}

/// A text in Japanese and English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "TextDto"))]
pub struct Text {
    /// Japanese wording (plain words a receptionist understands).
    pub ja: String,
    /// English wording.
    pub en: String,
}

impl From<&Text> for Text {
    /// A copy (so views can take a borrowed text where they keep one).
    fn from(t: &Text) -> Self {
        t.clone()
    }
}

impl Text {
    /// Builds a text from both languages.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The wording in `lang`, falling back to Japanese when the English one is empty.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.ja,
        }
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
    })
}

/// Whether `s` reads as an English phrase: no Japanese, two words or more, one of them a word of
/// three letters or more.
fn english_phrase(s: &str) -> bool {
    !has_cjk(s)
        && s.split_whitespace().count() >= 2
        && s.split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() >= 3)
}

/// The part of a bilingual engine message for `lang`. Engine errors carry both languages in one
/// text, in two shapes: 「日本語 / English」 and 「日本語 (english words): detail」. A face shows
/// only the person's language; a text in neither shape is returned as it is.
pub fn in_lang(text: &str, lang: Lang) -> String {
    // 「日本語 / English」: split at the first " / " with Japanese before and English after.
    let mut from = 0;
    while let Some(i) = text[from..].find(" / ").map(|i| from + i) {
        let (ja, en) = (&text[..i], &text[i + 3..]);
        if has_cjk(ja) && english_phrase(en) {
            return match lang {
                Lang::Ja => ja.trim_end().to_string(),
                Lang::En => en.trim_start().to_string(),
            };
        }
        from = i + 3;
    }
    // 「日本語 (english words)」, possibly followed by ": detail" shared by both.
    for (i, _) in text.match_indices(" (") {
        let head = &text[..i];
        let Some(close) = text[i + 2..].find(')').map(|c| i + 2 + c) else {
            continue;
        };
        let inner = &text[i + 2..close];
        let starts_with_word = inner.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        if has_cjk(head) && starts_with_word && english_phrase(inner) && !inner.contains('(') {
            let tail = &text[close + 1..];
            return match lang {
                Lang::Ja => format!("{}{tail}", head.trim_end()),
                Lang::En => format!("{inner}{tail}"),
            };
        }
    }
    text.to_string()
}

#[cfg(test)]
mod bilingual_tests {
    use super::*;

    #[test]
    fn each_face_shows_only_the_persons_language() {
        let slash = "'10.0.0.0/8' は広すぎます。/24 以下で指定してください / '10.0.0.0/8' is too wide: use /24 or smaller";
        assert_eq!(
            in_lang(slash, Lang::Ja),
            "'10.0.0.0/8' は広すぎます。/24 以下で指定してください"
        );
        assert_eq!(
            in_lang(slash, Lang::En),
            "'10.0.0.0/8' is too wide: use /24 or smaller"
        );
        let paren = "保存された証跡バンドルを読めません (stored bundle 3 is unreadable): bad json";
        assert_eq!(
            in_lang(paren, Lang::Ja),
            "保存された証跡バンドルを読めません: bad json"
        );
        assert_eq!(
            in_lang(paren, Lang::En),
            "stored bundle 3 is unreadable: bad json"
        );
        let end = "公式チェックリストが見つかりません (no official checklist available)";
        assert_eq!(in_lang(end, Lang::Ja), "公式チェックリストが見つかりません");
        // One language only, or Japanese with an ASCII detail in parentheses: left as it is.
        for same in [
            "cannot read the file (permission denied)",
            "ファイルが見つかりません",
            "ポート (445/tcp) が開いています",
            "署名ファイル（.p7s）が壊れています",
        ] {
            assert_eq!(in_lang(same, Lang::Ja), same);
            assert_eq!(in_lang(same, Lang::En), same);
        }
    }
}
