//! Helpers shared by the CLI's end-to-end tests: run the real `tenken` binary on a data
//! directory, require success, find the committed replay fixture sets.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `tenken` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_tenken");

/// Runs `tenken --data-dir DATA ARGS...` (default language).
pub fn tenken(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("TENKEN_LANG")
        .output()
        .unwrap()
}

/// Asserts success and returns stdout.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The committed whole-machine replay set of `os` (windows, macos, linux).
pub fn fixture(os: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tenken-core/tests/fixtures/replay/{os}"))
}
