//! Text the CLI prints, in the encoding the reader decodes it with (issue 13: Japanese on a
//! Windows console).
//!
//! - A Windows console gets UTF-16 through `WriteConsoleW` (Rust's standard library does that for
//!   a console handle), whatever the code page: nothing to do.
//! - Output that is **redirected or piped on Windows** (`tenken.exe ... > out.txt` in cmd,
//!   `$x = tenken.exe ...` or `tenken.exe ... | findstr` in PowerShell) is decoded by the reader
//!   with the console's output code page (`chcp`, PowerShell's `[Console]::OutputEncoding`), which
//!   is 932 on Japanese Windows. So text follows `GetConsoleOutputCP()` (or, without a console,
//!   the ANSI code page `GetACP()`): code page 932 gets CP932 (Shift_JIS as Windows defines it,
//!   characters it lacks become `?`), every other code page gets UTF-8 as before (65001, or a
//!   code page whose reader could not show Japanese anyway).
//! - `--encoding utf-8|cp932` (or `TENKEN_ENCODING`) overrides the choice for redirected output;
//!   elsewhere than Windows the default is UTF-8.
//! - Data, not text, keeps its bytes: JSON printed with `--json` is UTF-8 and, when the text
//!   encoding is not UTF-8, pure ASCII (`\uXXXX` escapes), so every decoder reads the same
//!   document (RFC 8259 wants UTF-8; ASCII is that too). CSV (UTF-8 with BOM, for Excel) and PEM
//!   are written as they are. Files written with `--out`/`--json FILE` are never touched.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

/// What `--encoding` / `TENKEN_ENCODING` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Choice {
    /// Windows: the console's code page when redirected; elsewhere UTF-8.
    #[default]
    Auto,
    /// Always UTF-8.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// Always CP932 (Shift_JIS as Windows defines it) when redirected.
    #[value(name = "cp932", alias = "shift_jis", alias = "sjis")]
    Cp932,
}

/// The bytes one stream gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    /// UTF-8 (or, on a Windows console, UTF-16 written by the standard library).
    Utf8,
    /// Windows code page 932.
    Cp932,
}

/// The encoding of one stream. `windows`: the program runs on Windows; `console`: the stream is
/// a console (not a file or pipe); `console_cp`: `GetConsoleOutputCP()` (0 without a console);
/// `ansi_cp`: `GetACP()`.
pub fn choose(choice: Choice, windows: bool, console: bool, console_cp: u32, ansi_cp: u32) -> Enc {
    if windows && console {
        // The standard library turns UTF-8 into UTF-16 for WriteConsoleW; it refuses other bytes.
        return Enc::Utf8;
    }
    match choice {
        Choice::Utf8 => Enc::Utf8,
        Choice::Cp932 => Enc::Cp932,
        Choice::Auto if !windows => Enc::Utf8,
        Choice::Auto => {
            let cp = if console_cp != 0 { console_cp } else { ansi_cp };
            if cp == 932 { Enc::Cp932 } else { Enc::Utf8 }
        }
    }
}

/// Characters CP932 lacks, written the way Japanese Windows itself writes them (its best-fit
/// table), so common punctuation does not become `?`.
fn cp932_best_fit(c: char) -> Option<char> {
    Some(match c {
        '\u{301C}' => '\u{FF5E}', // 〜 WAVE DASH → ～ (what the 〜 key gives on Windows)
        '\u{2016}' => '\u{2225}', // ‖ → ∥
        '\u{2212}' => '\u{FF0D}', // − MINUS SIGN → －
        '\u{2014}' => '\u{2015}', // — EM DASH → ―
        '\u{00A2}' => '\u{FFE0}', // ¢
        '\u{00A3}' => '\u{FFE1}', // £
        '\u{00AC}' => '\u{FFE2}', // ¬
        '\u{00A6}' => '\u{FFE4}', // ¦
        '\u{2013}' => '-',        // – EN DASH
        '\u{00A0}' => ' ',        // no-break space
        _ => return None,
    })
}

/// `text` in the encoding `enc`. CP932: characters it cannot hold become `?` (after the best-fit
/// replacements Windows makes), never an HTML escape, never an error.
pub fn encode(text: &str, enc: Enc) -> Cow<'_, [u8]> {
    match enc {
        Enc::Utf8 => Cow::Borrowed(text.as_bytes()),
        Enc::Cp932 if text.is_ascii() => Cow::Borrowed(text.as_bytes()),
        Enc::Cp932 => {
            let mut out = Vec::with_capacity(text.len());
            let mut encoder = encoding_rs::SHIFT_JIS.new_encoder();
            let mut buf = [0u8; 8];
            for c in text.chars() {
                if c.is_ascii() {
                    out.push(c as u8);
                    continue;
                }
                let c = cp932_best_fit(c).unwrap_or(c);
                let mut s = [0u8; 4];
                let (result, _, written) = encoder.encode_from_utf8_without_replacement(
                    c.encode_utf8(&mut s),
                    &mut buf,
                    false,
                );
                match result {
                    encoding_rs::EncoderResult::InputEmpty => {
                        out.extend_from_slice(&buf[..written])
                    }
                    _ => out.push(b'?'),
                }
            }
            Cow::Owned(out)
        }
    }
}

/// JSON text that every decoder reads the same: non-ASCII characters as `\uXXXX` escapes
/// (UTF-16 surrogate pairs above U+FFFF). Valid JSON from serde_json has non-ASCII characters only
/// inside strings, where the escape means the same character.
pub fn json_ascii(json: &str) -> Cow<'_, str> {
    if json.is_ascii() {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + json.len() / 2);
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    Cow::Owned(out)
}

/// The two streams' encodings, chosen once in `main`.
static ENCODINGS: OnceLock<(Enc, Enc)> = OnceLock::new();

/// Chooses the encodings of stdout and stderr for this run.
pub fn init(choice: Choice) {
    let (console_cp, ansi_cp) = code_pages();
    let windows = cfg!(windows);
    let pick = |console| choose(choice, windows, console, console_cp, ansi_cp);
    let _ = ENCODINGS.set((
        pick(io::stdout().is_terminal()),
        pick(io::stderr().is_terminal()),
    ));
}

/// Whether stdout (`stderr == false`) or stderr gets UTF-8.
pub fn is_utf8(stderr: bool) -> bool {
    let (o, e) = encodings();
    (if stderr { e } else { o }) == Enc::Utf8
}

fn encodings() -> (Enc, Enc) {
    ENCODINGS.get().copied().unwrap_or((Enc::Utf8, Enc::Utf8))
}

/// `(GetConsoleOutputCP(), GetACP())`.
#[cfg(windows)]
#[allow(unsafe_code)]
fn code_pages() -> (u32, u32) {
    // SAFETY: both take no arguments and only read process state.
    unsafe {
        (
            windows_sys::Win32::System::Console::GetConsoleOutputCP(),
            windows_sys::Win32::Globalization::GetACP(),
        )
    }
}

#[cfg(not(windows))]
fn code_pages() -> (u32, u32) {
    (0, 0)
}

/// A stream of text: complete lines are encoded and written; a partial line waits for its end
/// (or `flush`), so a character split between two writes is never cut.
pub struct TextOut<W: Write> {
    inner: W,
    enc: Enc,
    pending: Vec<u8>,
}

impl<W: Write> TextOut<W> {
    fn emit(&mut self, upto: usize) -> io::Result<()> {
        let bytes: Vec<u8> = self.pending.drain(..upto).collect();
        let text = String::from_utf8_lossy(&bytes);
        self.inner.write_all(&encode(&text, self.enc))
    }
}

impl<W: Write> Write for TextOut<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.enc == Enc::Utf8 {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        if let Some(last_nl) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.emit(last_nl + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let n = self.pending.len();
            self.emit(n)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for TextOut<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Standard output as text.
pub fn stdout() -> TextOut<io::Stdout> {
    TextOut {
        inner: io::stdout(),
        enc: encodings().0,
        pending: Vec::new(),
    }
}

/// Standard error as text (also the log writer).
pub fn stderr() -> TextOut<io::Stderr> {
    TextOut {
        inner: io::stderr(),
        enc: encodings().1,
        pending: Vec::new(),
    }
}

/// Writes formatted text to stdout (`outln!`, `out!`). A closed pipe (`| more` quit early) ends
/// the program quietly, as `println!` users expect from a CLI; another error is said on stderr.
pub fn print(args: fmt::Arguments<'_>) {
    finish(write_text(&mut stdout(), &args.to_string()));
}

/// Writes formatted text to stderr (`errln!`). Errors are ignored: there is nowhere to say them.
pub fn eprint(args: fmt::Arguments<'_>) {
    let _ = write_text(&mut stderr(), &args.to_string());
}

/// Writes JSON to stdout: UTF-8, ASCII-only when stdout's text is not UTF-8.
pub fn json(text: &str) {
    let text = match encodings().0 {
        Enc::Utf8 => Cow::Borrowed(text),
        Enc::Cp932 => json_ascii(text),
    };
    finish(write_bytes(&format!("{text}\n")));
}

/// Writes data (CSV with its BOM, PEM) to stdout byte for byte.
pub fn data(text: &str) {
    finish(write_bytes(text));
}

fn write_text(w: &mut impl Write, text: &str) -> io::Result<()> {
    w.write_all(text.as_bytes())?;
    w.flush()
}

fn write_bytes(text: &str) -> io::Result<()> {
    let mut w = io::stdout().lock();
    w.write_all(text.as_bytes())?;
    w.flush()
}

fn finish(r: io::Result<()>) {
    match r {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprint(format_args!("tenken: stdout: {e}\n"));
            std::process::exit(2);
        }
    }
}

/// `println!` through the text encoding of stdout.
macro_rules! outln {
    () => { $crate::out::print(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::print(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` through the text encoding of stderr.
macro_rules! errln {
    () => { $crate::out::eprint(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::eprint(format_args!("{}\n", format_args!($($arg)*))) };
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_console_always_gets_utf8_for_the_standard_library() {
        for choice in [Choice::Auto, Choice::Utf8, Choice::Cp932] {
            assert_eq!(choose(choice, true, true, 932, 932), Enc::Utf8);
        }
    }

    #[test]
    fn redirected_on_windows_follows_the_console_code_page_then_the_ansi_one() {
        assert_eq!(choose(Choice::Auto, true, false, 932, 1252), Enc::Cp932);
        // chcp 65001 / [Console]::OutputEncoding = UTF8
        assert_eq!(choose(Choice::Auto, true, false, 65001, 932), Enc::Utf8);
        // No console (a scheduled task writing to a file): the ANSI code page.
        assert_eq!(choose(Choice::Auto, true, false, 0, 932), Enc::Cp932);
        assert_eq!(choose(Choice::Auto, true, false, 0, 65001), Enc::Utf8);
        // English Windows (437/1252): UTF-8 as before.
        assert_eq!(choose(Choice::Auto, true, false, 437, 1252), Enc::Utf8);
    }

    #[test]
    fn the_option_wins_for_redirected_output_and_unix_defaults_to_utf8() {
        assert_eq!(choose(Choice::Utf8, true, false, 932, 932), Enc::Utf8);
        assert_eq!(choose(Choice::Cp932, true, false, 65001, 65001), Enc::Cp932);
        assert_eq!(choose(Choice::Auto, false, false, 0, 0), Enc::Utf8);
        assert_eq!(choose(Choice::Auto, false, true, 0, 0), Enc::Utf8);
        assert_eq!(choose(Choice::Cp932, false, true, 0, 0), Enc::Cp932);
    }

    #[test]
    fn cp932_bytes_are_the_ones_windows_writes() {
        // 点検 = 93 5F 8C 9F; 適合 = 93 4B 8D 87; ① (NEC row 13) = 87 40; half-width ｱ = B1.
        assert_eq!(
            encode("点検 適合①ｱ", Enc::Cp932).as_ref(),
            b"\x93\x5f\x8c\x9f \x93\x4b\x8d\x87\x87\x40\xb1"
        );
        assert_eq!(encode("ok\r\n", Enc::Cp932).as_ref(), b"ok\r\n");
        assert_eq!(encode("点検", Enc::Utf8).as_ref(), "点検".as_bytes());
        let bytes = encode("未確認：理由", Enc::Cp932);
        let (back, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!bad);
        assert_eq!(back, "未確認：理由");
    }

    #[test]
    fn characters_cp932_lacks_become_best_fit_or_a_question_mark() {
        // 〜 (U+301C) → ～ 81 60; — → ― 81 5C; − → － 81 7C
        assert_eq!(
            encode("〜—−", Enc::Cp932).as_ref(),
            b"\x81\x60\x81\x5c\x81\x7c"
        );
        // Emoji and characters outside JIS X 0208 + the NEC/IBM rows: one '?' each.
        assert_eq!(encode("a✅b𠮷c", Enc::Cp932).as_ref(), b"a?b?c");
    }

    #[test]
    fn json_for_a_non_utf8_reader_is_ascii_and_means_the_same() {
        let json = r#"{"name":"さくら内科","emoji":"😀","ok":true}"#;
        let ascii = json_ascii(json);
        assert!(ascii.is_ascii());
        assert_eq!(
            ascii,
            r#"{"name":"\u3055\u304f\u3089\u5185\u79d1","emoji":"\ud83d\ude00","ok":true}"#
        );
        let a: serde_json::Value = serde_json::from_str(&ascii).unwrap();
        let b: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(a, b);
        assert!(matches!(json_ascii("[1]"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_character_split_between_writes_is_not_cut() {
        let mut w = TextOut {
            inner: Vec::new(),
            enc: Enc::Cp932,
            pending: Vec::new(),
        };
        let bytes = "点検\n適合".as_bytes();
        for b in bytes {
            w.write_all(std::slice::from_ref(b)).unwrap();
        }
        w.flush().unwrap();
        let inner = std::mem::take(&mut w.inner);
        assert_eq!(inner, b"\x93\x5f\x8c\x9f\n\x93\x4b\x8d\x87");
    }
}
