//! What kind of failure an engine error is, so a face (CLI, app) can tell the user in plain words
//! what happened and what to do, without parsing messages. Every engine error type implements
//! [`Kinded`]; the faces match on [`ErrorKind`].

use crate::Text;

/// The kinds of failure a user can act on differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Something asked for does not exist (an assessment, an item, a file, a checklist).
    NotFound,
    /// What the user gave breaks a rule (a value, a date, a file's contents); nothing was changed.
    InvalidInput,
    /// The request conflicts with what is stored (another checklist, a newer database).
    Conflict,
    /// A stored file is damaged or not what it should be.
    Damaged,
    /// Reading or writing Tenken's data or a chosen file failed (disk, permissions).
    Storage,
    /// The signing key or the OS key store could not be used.
    KeyStore,
    /// A signature or a certificate does not hold (tampered, untrusted, expired).
    Signature,
    /// A needed tool or service is not available on this PC.
    Unavailable,
    /// The user stopped it.
    Cancelled,
    /// A fault in Tenken itself.
    Internal,
}

impl ErrorKind {
    /// Stable machine code (used by the app's IPC and by `--json` output).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Damaged => "damaged",
            ErrorKind::Storage => "storage",
            ErrorKind::KeyStore => "key_store",
            ErrorKind::Signature => "signature",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Internal => "internal",
        }
    }

    /// A plain heading for the message, in words a receptionist understands; `None` where the
    /// engine's own message already says everything (a missing item, a refused value).
    pub fn headline(self) -> Option<Text> {
        let (ja, en) = match self {
            ErrorKind::NotFound | ErrorKind::InvalidInput | ErrorKind::Conflict => return None,
            ErrorKind::Cancelled => ("中止しました", "Stopped"),
            ErrorKind::Damaged => (
                "ファイルが壊れているか、別の種類のファイルです",
                "A file is damaged or of another kind",
            ),
            ErrorKind::Storage => (
                "ファイルの読み書きに失敗しました",
                "Could not read or write a file",
            ),
            ErrorKind::KeyStore => (
                "署名用の鍵を使えませんでした",
                "The signing key could not be used",
            ),
            ErrorKind::Signature => ("署名を確認できませんでした", "The signature does not hold"),
            ErrorKind::Unavailable => ("このPCでは使えない機能です", "Not available on this PC"),
            ErrorKind::Internal => (
                "Tenken の内部で問題が起きました",
                "Tenken ran into an internal fault",
            ),
        };
        Some(Text::new(ja, en))
    }

    /// The kind of an OS I/O error.
    pub fn of_io(e: &std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ErrorKind::NotFound,
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof => {
                ErrorKind::Damaged
            }
            std::io::ErrorKind::InvalidInput => ErrorKind::InvalidInput,
            std::io::ErrorKind::Interrupted => ErrorKind::Cancelled,
            _ => ErrorKind::Storage,
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// An OS I/O error in plain words, Japanese then English, without its OS code (for messages
/// that keep the cause as text).
pub fn io_plain(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "ファイルが見つかりません (file not found)",
        K::PermissionDenied => "読み書きする権限がありません (permission denied)",
        K::IsADirectory => "フォルダが指定されています (that is a folder)",
        K::InvalidData => "ファイルの中身を読み取れません (unreadable contents)",
        K::StorageFull => "ディスクの空きがありません (disk full)",
        _ => "ファイルの読み書きに失敗しました (could not read or write the file)",
    }
}

/// An error that knows its [`ErrorKind`].
pub trait Kinded {
    /// What kind of failure this is.
    fn kind(&self) -> ErrorKind;
}

impl Kinded for std::io::Error {
    fn kind(&self) -> ErrorKind {
        ErrorKind::of_io(self)
    }
}

impl<T: Kinded + ?Sized> Kinded for Box<T> {
    fn kind(&self) -> ErrorKind {
        (**self).kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_snake_case() {
        let all = [
            ErrorKind::NotFound,
            ErrorKind::InvalidInput,
            ErrorKind::Conflict,
            ErrorKind::Damaged,
            ErrorKind::Storage,
            ErrorKind::KeyStore,
            ErrorKind::Signature,
            ErrorKind::Unavailable,
            ErrorKind::Cancelled,
            ErrorKind::Internal,
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), all.len());
        assert!(
            codes
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
        );
    }

    #[test]
    fn a_missing_file_is_not_found_and_a_denied_one_is_storage() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(Kinded::kind(&missing), ErrorKind::NotFound);
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(Kinded::kind(&denied), ErrorKind::Storage);
        assert!(ErrorKind::Storage.headline().is_some());
        assert!(ErrorKind::NotFound.headline().is_none());
    }
}
