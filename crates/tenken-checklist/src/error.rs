//! Errors of loading, validating and importing checklists. Every validation problem names the
//! file, line and column so that `tenken checklist validate` can print `file:line:col: message`.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a checklist file, with its position (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File name (path as given, or the built-in name such as `checklists/mhlw-r7.toml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl Diagnostic {
    /// Builds a diagnostic at a byte offset of `text`.
    pub fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_col(text, offset);
        Self {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// 1-based line and column (characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Everything that can go wrong with checklists.
#[derive(Debug, thiserror::Error)]
pub enum ChecklistError {
    /// One or more validation problems (syntax, schema or semantics).
    #[error("{}", join(.0))]
    Invalid(Vec<Diagnostic>),
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A workbook could not be imported (the message names the sheet and cell).
    #[error("{file}: {} / {}", message.ja, message.en)]
    Import {
        /// Workbook file name.
        file: String,
        /// What is wrong (Japanese and English).
        message: tenken_base::Text,
    },
    /// A checklist could not be written as TOML.
    #[error("cannot write checklist `{id}` as TOML: {message}")]
    Serialize {
        /// Checklist id.
        id: String,
        /// Serializer message.
        message: String,
    },
    /// No checklist with this id.
    #[error("checklist not found: {0}")]
    NotFound(String),
}

impl ChecklistError {
    /// The error as shown to a person in `lang`: an import error in that language alone,
    /// everything else as [`Display`](std::fmt::Display) writes it.
    pub fn in_lang(&self, lang: tenken_base::Lang) -> String {
        match self {
            ChecklistError::Import { file, message } => format!("{file}: {}", message.get(lang)),
            other => other.to_string(),
        }
    }

    /// The diagnostics, when this is a validation error.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            ChecklistError::Invalid(d) => d,
            _ => &[],
        }
    }
}

fn join(d: &[Diagnostic]) -> String {
    d.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl tenken_base::Kinded for ChecklistError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            ChecklistError::Invalid(_) | ChecklistError::Import { .. } => ErrorKind::InvalidInput,
            ChecklistError::Io { source, .. } => ErrorKind::of_io(source),
            ChecklistError::Serialize { .. } => ErrorKind::Internal,
            ChecklistError::NotFound(_) => ErrorKind::NotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\nb = \"日本\"x";
        let off = text.find('x').unwrap_or(0);
        assert_eq!(line_col(text, off), (2, 9));
        assert_eq!(line_col(text, 0), (1, 1));
    }
}
