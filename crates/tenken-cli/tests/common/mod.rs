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
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../tenken-probe/tests/fixtures/replay/{os}"))
}

/// A synthesised one-page PDF (classic xref table) with a line of text, to sign and verify.
pub fn tiny_pdf() -> Vec<u8> {
    let objs = [
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        "<</Length 44>>\nstream\nBT /F1 24 Tf 72 700 Td (Tenken CLI test) Tj ET\nendstream",
        "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ];
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offs = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offs.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", objs.len() + 1).as_bytes());
    for o in offs {
        out.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The text of a whole PDF (`pdftotext -layout`, poppler-utils).
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The cargo target directory of this build (`CARGO_TARGET_DIR`, else the workspace's `target`),
/// where `make windows` puts the Windows artefacts.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// The Wine loader: `wine64` on PATH, else Debian bookworm's `/usr/lib/wine/wine64`.
pub fn wine() -> Option<PathBuf> {
    let on_path = Command::new("sh")
        .args(["-c", "command -v wine64"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    on_path.or_else(|| {
        let p = PathBuf::from("/usr/lib/wine/wine64");
        p.exists().then_some(p)
    })
}
