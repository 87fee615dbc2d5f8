//! Builds [`Evidence`] records from what the runner captured, keeping raw output bounded.

use crate::{CaptureError, Captured, Source};
use tenken_evidence::{Evidence, RAW_LIMIT, SourceKind};

/// Mark appended to raw output that was cut at [`RAW_LIMIT`].
pub const TRUNCATION_MARK: &str = "\n[…truncated by Tenken…]";

/// Cuts `s` to at most `limit` bytes on a character boundary; returns the text and whether it was cut.
pub fn bounded(s: &str, limit: usize) -> (String, bool) {
    if s.len() <= limit {
        return (s.to_string(), false);
    }
    let mut end = limit;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = s[..end].to_string();
    out.push_str(TRUNCATION_MARK);
    (out, true)
}

/// `text` deflate-compressed (RFC 1951) and base64-encoded, for [`Evidence::raw_deflate`].
pub fn deflate_b64(text: &str) -> String {
    use base64::Engine;
    use std::io::Write;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let bytes = enc
        .write_all(text.as_bytes())
        .and_then(|()| enc.finish())
        .unwrap_or_default();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The text of [`Evidence::raw_deflate`]; `None` when it is not valid base64/deflate/UTF-8.
pub fn inflate_b64(b64: &str) -> Option<String> {
    use base64::Engine;
    use std::io::Read;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    let mut out = String::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .read_to_string(&mut out)
        .ok()?;
    Some(out)
}

/// Human-readable description of a source: the command line, file path or collector.
pub fn describe(source: &Source) -> (SourceKind, String) {
    match source {
        Source::Command { program, args, .. } => {
            let mut line = program.clone();
            for a in args {
                line.push(' ');
                if a.contains(' ') {
                    line.push('\'');
                    line.push_str(a);
                    line.push('\'');
                } else {
                    line.push_str(a);
                }
            }
            (SourceKind::Command, line)
        }
        Source::File { path, .. } => (SourceKind::File, path.clone()),
        Source::Native { collector, .. } => (SourceKind::Api, format!("tenken:{collector}")),
    }
}

fn error_text(e: CaptureError) -> &'static str {
    match e {
        CaptureError::NotFound => "not found",
        CaptureError::PermissionDenied => "permission denied",
        CaptureError::Timeout => "timeout",
        CaptureError::Io => "I/O error",
    }
}

/// Turns one captured output into an evidence record (raw bounded at [`RAW_LIMIT`] with a mark).
pub fn evidence_from(c: &Captured) -> Evidence {
    let (kind, source) = describe(&c.source);
    let (raw, truncated) = bounded(&c.stdout, RAW_LIMIT);
    let stderr = if c.stderr.trim().is_empty() {
        None
    } else {
        Some(bounded(&c.stderr, RAW_LIMIT).0)
    };
    let error = c.error.map(|e| match &c.error_detail {
        Some(d) if !d.is_empty() => format!("{}: {d}", error_text(e)),
        _ => error_text(e).to_string(),
    });
    // A cut output is also kept whole, compressed, so the bundle can be replayed faithfully.
    let raw_deflate = truncated.then(|| deflate_b64(&c.stdout));
    // A note on a capture without error says how it was obtained (cache, stand-in file).
    let note = c.error.is_none().then(|| c.error_detail.clone()).flatten();
    Evidence {
        kind,
        source,
        raw,
        truncated,
        raw_deflate,
        same_as: None,
        note,
        raw_len: c.raw_len,
        raw_sha256: c.raw_sha256.clone(),
        encoding: c.encoding.clone(),
        stderr,
        started_at: c.started_at,
        ended_at: c.ended_at,
        exit_code: c.exit_code,
        elevated: c.elevated,
        error,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn cap(stdout: String) -> Captured {
        Captured {
            source: Source::Command {
                key: "k".into(),
                program: "net".into(),
                args: vec!["accounts".into(), "a b".into()],
            },
            raw_len: stdout.len() as u64,
            stdout,
            stderr: String::new(),
            exit_code: Some(0),
            encoding: Some("cp932".into()),
            raw_sha256: "00".into(),
            error: Some(CaptureError::Timeout),
            error_detail: None,
            started_at: chrono::Utc::now(),
            ended_at: chrono::Utc::now(),
            elevated: false,
        }
    }

    #[test]
    fn long_output_is_cut_on_a_char_boundary_with_a_mark() {
        let s = "点".repeat(RAW_LIMIT); // 3 bytes each
        let e = evidence_from(&cap(s.clone()));
        assert!(e.truncated);
        assert!(e.raw.ends_with(TRUNCATION_MARK));
        assert!(e.raw.len() <= RAW_LIMIT + TRUNCATION_MARK.len());
        assert_eq!(e.raw_len, s.len() as u64);
        assert_eq!(e.source, "net accounts 'a b'");
        assert_eq!(e.error.as_deref(), Some("timeout"));
        // ... and kept whole, compressed, well under the cut size.
        let packed = e.raw_deflate.as_deref().unwrap();
        assert!(packed.len() < RAW_LIMIT / 4, "{}", packed.len());
        assert_eq!(inflate_b64(packed).as_deref(), Some(s.as_str()));
    }

    #[test]
    fn short_output_is_kept_whole() {
        let e = evidence_from(&cap("最小パスワード長: 8".into()));
        assert!(!e.truncated);
        assert_eq!(e.raw, "最小パスワード長: 8");
        assert_eq!(e.encoding.as_deref(), Some("cp932"));
        assert!(e.stderr.is_none());
        assert!(e.raw_deflate.is_none());
        assert!(inflate_b64("not base64!").is_none());
    }
}
