//! Reading a text file a person wrote (answers, clinic profile): UTF-8 with or without a BOM is
//! read; anything else is refused with what to do, in plain Japanese (Notepad and Excel on
//! Japanese Windows often save Shift_JIS / CP932), never with an OS error code.

use std::path::{Path, PathBuf};

/// Why a text file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TextFileError {
    /// The file does not exist.
    #[error("{0}: ファイルが見つかりません。場所と名前を確認してください (file not found)")]
    NotFound(PathBuf),
    /// No permission to read it.
    #[error("{0}: ファイルを読む権限がありません (permission denied)")]
    Denied(PathBuf),
    /// It is a folder, or could not be read for another reason.
    #[error("{path}: ファイルを読めませんでした（{what}） (could not read the file)")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong, in words.
        what: String,
    },
    /// The bytes are not UTF-8.
    #[error(
        "{path}: 文字コードが UTF-8 ではありません{hint}。メモ帳などで文字コード「UTF-8」を選んで保存し直してください。何も変更していません (the file is not UTF-8: save it as UTF-8; nothing was changed)"
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 「（Shift_JIS / CP932 のようです）」 when the bytes look like it.
        hint: String,
    },
}

impl crate::Kinded for TextFileError {
    fn kind(&self) -> crate::ErrorKind {
        match self {
            TextFileError::NotFound(_) => crate::ErrorKind::NotFound,
            TextFileError::Denied(_) | TextFileError::Unreadable { .. } => {
                crate::ErrorKind::Storage
            }
            TextFileError::NotUtf8 { .. } => crate::ErrorKind::InvalidInput,
        }
    }
}

/// Reads `path` as UTF-8 text, dropping a leading BOM.
pub fn read_utf8(path: &Path) -> Result<String, TextFileError> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => TextFileError::NotFound(path.to_path_buf()),
        std::io::ErrorKind::PermissionDenied => TextFileError::Denied(path.to_path_buf()),
        std::io::ErrorKind::IsADirectory => TextFileError::Unreadable {
            path: path.to_path_buf(),
            what: "フォルダです。ファイルを指定してください".into(),
        },
        _ => TextFileError::Unreadable {
            path: path.to_path_buf(),
            what: "読み込み中にエラーが起きました".into(),
        },
    })?;
    decode_utf8(path, &bytes)
}

/// Decodes bytes read from `path` (see [`read_utf8`]).
pub fn decode_utf8(path: &Path, bytes: &[u8]) -> Result<String, TextFileError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Err(TextFileError::NotUtf8 {
            path: path.to_path_buf(),
            hint: if looks_like_cp932(body) {
                "（Shift_JIS / CP932 で保存されているようです）".into()
            } else {
                String::new()
            },
        }),
    }
}

/// Whether the bytes parse as Shift_JIS (CP932) double-byte text with at least one
/// double-byte character.
fn looks_like_cp932(b: &[u8]) -> bool {
    let (mut i, mut double) = (0, 0);
    while i < b.len() {
        let c = b[i];
        if c < 0x80 || (0xA1..=0xDF).contains(&c) {
            i += 1;
        } else if (0x81..=0x9F).contains(&c) || (0xE0..=0xFC).contains(&c) {
            let Some(&t) = b.get(i + 1) else { return false };
            if !((0x40..=0x7E).contains(&t) || (0x80..=0xFC).contains(&t)) {
                return false;
            }
            double += 1;
            i += 2;
        } else {
            return false;
        }
    }
    double > 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_bom_is_read() {
        let p = Path::new("a.toml");
        assert_eq!(
            decode_utf8(p, "name = \"さくら\"".as_bytes()).unwrap(),
            "name = \"さくら\""
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("name = \"さくら\"".as_bytes());
        assert_eq!(decode_utf8(p, &bom).unwrap(), "name = \"さくら\"");
    }

    #[test]
    fn cp932_is_refused_with_the_fix_and_no_english_tail() {
        // 「さくら内科」 in Shift_JIS (CP932).
        let sjis = b"name = \"\x82\xb3\x82\xad\x82\xe7\x93\xe0\x89\xc8\"";
        let e = decode_utf8(Path::new("profile.toml"), sjis).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("UTF-8 で保存し直してください")
                || m.contains("「UTF-8」を選んで保存し直してください"),
            "{m}"
        );
        assert!(m.contains("Shift_JIS"), "{m}");
        assert!(!m.contains("stream did not contain valid UTF-8"), "{m}");
    }

    #[test]
    fn a_missing_file_says_so_without_an_os_error_code() {
        let e = read_utf8(Path::new("/nonexistent/tenken/profile.toml")).unwrap_err();
        assert!(matches!(e, TextFileError::NotFound(_)));
        assert!(!e.to_string().contains("os error"), "{e}");
        assert_eq!(crate::Kinded::kind(&e), crate::ErrorKind::NotFound);
    }
}
