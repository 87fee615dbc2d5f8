//! Collecting one [`Source`] into a [`Captured`]: programs through [`crate::exec`], files read
//! with a size cap, and the native collectors of [`crate::native`]. Kept apart from `exec` so
//! that `exec` (used by `host`, used by `native`) does not depend back on `native`.

use std::io::Read;
use std::time::Duration;

use chrono::Utc;
use tenken_evidence::sha256_hex;

use crate::exec::{CancelToken, FILE_CAP, decode, failed_capture, io_error_kind, run_command};
use crate::{CaptureError, Captured, Source};

/// Collects one source (blocking), within `timeout`. Never panics; errors are recorded.
pub fn collect(
    source: &Source,
    timeout: Duration,
    elevated: bool,
    cancel: &CancelToken,
) -> Captured {
    let started_at = Utc::now();
    let mut cap = failed_capture(source, CaptureError::Io, "", elevated);
    cap.started_at = started_at;
    cap.error = None;
    cap.error_detail = None;
    match source {
        Source::Command { program, args, .. } => {
            match run_command(program, args, timeout, cancel) {
                Ok(raw) => {
                    let (text, enc) = decode(&raw.stdout);
                    cap.stdout = text;
                    cap.encoding = Some(enc.to_string());
                    cap.stderr = decode(&raw.stderr).0;
                    cap.raw_sha256 = sha256_hex(&raw.stdout);
                    cap.raw_len = raw.stdout.len() as u64;
                    cap.exit_code = raw.exit_code;
                    if raw.timed_out {
                        cap.error = Some(CaptureError::Timeout);
                        cap.error_detail = Some(format!("killed after {} ms", timeout.as_millis()));
                    } else if raw.cancelled {
                        cap.error = Some(CaptureError::Io);
                        cap.error_detail = Some("cancelled".into());
                    }
                }
                Err(e) => {
                    cap.error = Some(io_error_kind(&e));
                    cap.error_detail = Some(format!("{program}: {e}"));
                }
            }
        }
        Source::File { path, .. } => match std::fs::File::open(path) {
            Ok(f) => {
                let mut bytes = Vec::new();
                match f.take(FILE_CAP).read_to_end(&mut bytes) {
                    Ok(_) => {
                        let (text, enc) = decode(&bytes);
                        cap.stdout = text;
                        cap.encoding = Some(enc.to_string());
                        cap.raw_sha256 = sha256_hex(&bytes);
                        cap.raw_len = bytes.len() as u64;
                    }
                    Err(e) => {
                        cap.error = Some(io_error_kind(&e));
                        cap.error_detail = Some(format!("{path}: {e}"));
                    }
                }
            }
            Err(e) => {
                cap.error = Some(io_error_kind(&e));
                cap.error_detail = Some(format!("{path}: {e}"));
            }
        },
        Source::Native { collector, .. } => match crate::native::collect(collector, elevated) {
            Ok(json) => {
                cap.raw_sha256 = sha256_hex(json.as_bytes());
                cap.raw_len = json.len() as u64;
                cap.encoding = Some("utf-8".into());
                cap.stdout = json;
            }
            Err(e) => {
                cap.error = Some(CaptureError::Io);
                cap.error_detail = Some(format!("{collector}: {e}"));
            }
        },
    }
    cap.ended_at = Utc::now();
    cap
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::exec::command;

    #[test]
    fn missing_program_is_not_found() {
        let src = command("x", "/nonexistent/tenken-no-such-tool", &[]);
        let c = collect(&src, Duration::from_secs(1), false, &CancelToken::new());
        assert_eq!(c.error, Some(CaptureError::NotFound));
    }
}
