//! Running programs without a shell (process-tree kill on timeout, concurrent bounded reads of
//! stdout/stderr, encoding detection) and building the [`Source`]s probes declare. Turning a
//! source into a [`Captured`] (programs, files, native collectors) is [`crate::capture`].
//!
//! Children run with lowered scheduling priority (Unix: `nice(10)` in the child; Windows:
//! `BELOW_NORMAL_PRIORITY_CLASS`) so that a scan does not slow down the clinic's work, with
//! `LC_ALL=C` on Unix and `CREATE_NO_WINDOW` on Windows.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::{CaptureError, Captured, Source};
use tenken_evidence::sha256_hex;

/// Maximum bytes read from one stream of a child (the rest is drained and dropped).
pub const OUTPUT_CAP: usize = 16 * 1024 * 1024;

/// Maximum bytes read from one file source.
pub const FILE_CAP: u64 = 16 * 1024 * 1024;

/// Cooperative cancellation flag shared by the runner and running commands.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A fresh, not-cancelled token.
    pub fn new() -> Self {
        Self::default()
    }
    /// Requests cancellation: running commands are killed, pending probes are skipped.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether cancellation was requested.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Raw result of running a program.
#[derive(Debug, Clone, Default)]
pub struct RawOutput {
    /// Standard output bytes (at most [`OUTPUT_CAP`]).
    pub stdout: Vec<u8>,
    /// Standard error bytes (at most [`OUTPUT_CAP`]).
    pub stderr: Vec<u8>,
    /// Exit code, when the process exited normally.
    pub exit_code: Option<i32>,
    /// True when the deadline passed and the process tree was killed.
    pub timed_out: bool,
    /// True when the run was cancelled and the process tree was killed.
    pub cancelled: bool,
}

fn spawn_reader<R: Read + Send + 'static>(mut r: R) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match r.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = OUTPUT_CAP.saturating_sub(buf.len());
                    buf.extend_from_slice(&chunk[..n.min(room)]);
                }
            }
        }
        let _ = tx.send(buf);
    });
    rx
}

/// Resolves the program to run: `powershell.exe` becomes the absolute Windows PowerShell 5.1 path
/// (so PATH hijacking or a `pwsh` alias cannot interfere); anything else is used as given.
pub fn resolve_program(program: &str) -> String {
    if program.eq_ignore_ascii_case("powershell.exe") && cfg!(windows) {
        let root = std::env::var("SystemRoot").unwrap_or_else(|_| r"C:\Windows".to_string());
        return format!(r"{root}\System32\WindowsPowerShell\v1.0\powershell.exe");
    }
    program.to_string()
}

/// Runs `program args` without a shell, reading both streams concurrently; kills the whole
/// process tree when `timeout` passes or `cancel` is set.
pub fn run_command(
    program: &str,
    args: &[String],
    timeout: Duration,
    cancel: &CancelToken,
) -> std::io::Result<RawOutput> {
    let mut cmd = Command::new(resolve_program(program));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.env("LC_ALL", "C").env("LANG", "C").process_group(0);
        unix::lower_priority(&mut cmd);
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        // CREATE_NO_WINDOW | BELOW_NORMAL_PRIORITY_CLASS
        cmd.creation_flags(0x0800_0000 | 0x0000_4000);
    }
    let mut child = cmd.spawn()?;
    let out_rx = child.stdout.take().map(spawn_reader);
    let err_rx = child.stderr.take().map(spawn_reader);
    let start = Instant::now();
    let mut out = RawOutput::default();
    loop {
        if let Some(status) = child.try_wait()? {
            out.exit_code = status.code();
            break;
        }
        if cancel.is_cancelled() {
            kill_tree(&mut child);
            out.cancelled = true;
            break;
        }
        if start.elapsed() >= timeout {
            kill_tree(&mut child);
            out.timed_out = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // A surviving grandchild could still hold a pipe open; do not wait for it forever.
    let grace = Duration::from_secs(2);
    out.stdout = out_rx
        .and_then(|rx| rx.recv_timeout(grace).ok())
        .unwrap_or_default();
    out.stderr = err_rx
        .and_then(|rx| rx.recv_timeout(grace).ok())
        .unwrap_or_default();
    Ok(out)
}

fn kill_tree(child: &mut std::process::Child) {
    #[cfg(unix)]
    unix::kill_group(child.id());
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        let root = std::env::var("SystemRoot").unwrap_or_else(|_| r"C:\Windows".to_string());
        let _ = Command::new(format!(r"{root}\System32\taskkill.exe"))
            .args(["/T", "/F", "/PID", &child.id().to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .creation_flags(0x0800_0000)
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(unix)]
#[allow(unsafe_code)]
mod unix {
    /// Lowers the child's priority (nice +10) before exec.
    pub(super) fn lower_priority(cmd: &mut std::process::Command) {
        use std::os::unix::process::CommandExt;
        // SAFETY: `nice` is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                let _ = libc::nice(10);
                Ok(())
            });
        }
    }

    /// Sends SIGKILL to the process group led by `pid` (set up with `process_group(0)`).
    pub(super) fn kill_group(pid: u32) {
        if let Ok(pgid) = libc::pid_t::try_from(pid)
            && pgid > 0
        {
            // SAFETY: plain syscall on a process group we created.
            unsafe {
                libc::killpg(pgid, libc::SIGKILL);
            }
        }
    }

    /// Effective user id is root.
    pub(super) fn is_root() -> bool {
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() == 0 }
    }
}

/// Whether this process runs as root (Unix); always false elsewhere.
pub fn is_root() -> bool {
    #[cfg(unix)]
    {
        unix::is_root()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Decodes raw bytes: UTF-16LE BOM, UTF-8 BOM, UTF-8, else CP932 (Windows-31J), else lossy
/// UTF-8. Returns the text (without BOM) and the encoding name recorded as evidence.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return (text.into_owned(), "utf-16le");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), "utf-8-bom");
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), "utf-8");
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if !had_errors {
        return (text.into_owned(), "cp932");
    }
    (String::from_utf8_lossy(bytes).into_owned(), "utf-8-lossy")
}

/// Standard PowerShell preamble of probes.md §1.1 (single quotes only, ASCII-safe JSON `Emit`).
pub const PS_PREAMBLE: &str = "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; \
[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false); $OutputEncoding = [Console]::OutputEncoding; \
function Iso($d) { if ($null -eq $d) { return $null }; ([datetime]$d).ToUniversalTime().ToString('o') }; \
function Emit($o) { $j = ConvertTo-Json -InputObject $o -Depth 6 -Compress; [regex]::Replace($j, '[^\\x00-\\x7F]', { param($m) '\\u{0:x4}' -f [int][char]$m.Value }) }; \
function Try-Probe([scriptblock]$b) { try { & $b } catch { [ordered]@{ error = $_.Exception.Message; type = $_.Exception.GetType().FullName } } }; \
$out = [ordered]@{}; ";

/// A batched Windows PowerShell 5.1 source: preamble + `body` (which fills `$out`) + `Emit $out`,
/// passed as plain text after `-Command` (no `-EncodedCommand`, no `-ExecutionPolicy Bypass`).
pub fn powershell(key: &str, body: &str) -> Source {
    let script = format!("{PS_PREAMBLE}{body}; Emit $out");
    Source::Command {
        key: key.to_string(),
        program: "powershell.exe".to_string(),
        args: vec![
            "-NoLogo".into(),
            "-NoProfile".into(),
            "-NonInteractive".into(),
            "-Command".into(),
            script,
        ],
    }
}

/// Shorthand for a command source.
pub fn command(key: &str, program: &str, args: &[&str]) -> Source {
    Source::Command {
        key: key.to_string(),
        program: program.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
    }
}

/// Shorthand for a file source.
pub fn file(key: &str, path: &str) -> Source {
    Source::File {
        key: key.to_string(),
        path: path.to_string(),
    }
}

/// Shorthand for a native-collector source.
pub fn native(key: &str, collector: &str) -> Source {
    Source::Native {
        key: key.to_string(),
        collector: collector.to_string(),
    }
}

pub(crate) fn io_error_kind(e: &std::io::Error) -> CaptureError {
    match e.kind() {
        std::io::ErrorKind::NotFound => CaptureError::NotFound,
        std::io::ErrorKind::PermissionDenied => CaptureError::PermissionDenied,
        _ => CaptureError::Io,
    }
}

/// Builds a [`Captured`] for output that was never produced (error, skipped, missing recording).
pub fn failed_capture(
    source: &Source,
    error: CaptureError,
    detail: impl Into<String>,
    elevated: bool,
) -> Captured {
    let now = Utc::now();
    Captured {
        source: source.clone(),
        stdout: String::new(),
        stderr: String::new(),
        exit_code: None,
        encoding: None,
        raw_sha256: sha256_hex(b""),
        raw_len: 0,
        error: Some(error),
        error_detail: Some(detail.into()),
        started_at: now,
        ended_at: now,
        elevated,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn decodes_boms_and_cp932() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc"), ("abc".to_string(), "utf-8-bom"));
        assert_eq!(decode(b"\xFF\xFEa\0b\0"), ("ab".to_string(), "utf-16le"));
        // "有効" in CP932
        assert_eq!(decode(b"\x97\x4C\x8C\xF8"), ("有効".to_string(), "cp932"));
        assert_eq!(decode("有効".as_bytes()), ("有効".to_string(), "utf-8"));
    }

    #[cfg(unix)]
    #[test]
    fn timeout_kills_grandchildren_and_keeps_partial_output() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("survived");
        let script = format!(
            "echo started; (sleep 2; touch {}) & sleep 30",
            marker.display()
        );
        let t = Instant::now();
        let out = run_command(
            "sh",
            &["-c".to_string(), script],
            Duration::from_millis(300),
            &CancelToken::new(),
        )
        .unwrap();
        assert!(out.timed_out);
        assert!(t.elapsed() < Duration::from_secs(5));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "started");
        std::thread::sleep(Duration::from_millis(2500));
        assert!(!marker.exists(), "grandchild survived the timeout");
    }

    #[cfg(unix)]
    #[test]
    fn large_output_on_both_streams_does_not_deadlock() {
        let out = run_command(
            "sh",
            &[
                "-c".to_string(),
                "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2; echo LC=$LC_ALL".into(),
            ],
            Duration::from_secs(20),
            &CancelToken::new(),
        )
        .unwrap();
        assert!(!out.timed_out);
        assert_eq!(out.stdout.len(), 3_000_000 + "LC=C\n".len());
        assert_eq!(out.stderr.len(), 3_000_000);
        assert_eq!(out.exit_code, Some(0));
    }
}
