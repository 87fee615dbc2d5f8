//! `tenken report` end to end: input files in, PDF out, written atomically.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn tenken() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tenken"))
}

#[test]
fn report_from_answer_and_bundle_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (cl, asmt, bundles) = tenken_core::report::sample::input_parts();
    std::fs::write(d.join("a.json"), serde_json::to_vec_pretty(&asmt).unwrap()).unwrap();
    std::fs::write(d.join("c.json"), serde_json::to_vec(&cl).unwrap()).unwrap();
    std::fs::write(d.join("b.json"), serde_json::to_vec(&bundles[0]).unwrap()).unwrap();
    let out = tenken()
        .current_dir(d)
        .args([
            "report",
            "--answers",
            "a.json",
            "--checklist-file",
            "c.json",
            "--bundle",
            "b.json",
            "--out",
            "r.pdf",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(d.join("r.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
    // only the report and the inputs: no temporary file left behind
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.json", "b.json", "c.json", "r.pdf"]);
}

#[test]
fn no_checklist_is_an_error_not_a_substitute() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, asmt, _) = tenken_core::report::sample::input_parts();
    std::fs::write(d.join("a.json"), serde_json::to_vec(&asmt).unwrap()).unwrap();
    let out = tenken()
        .current_dir(d)
        .args(["report", "--answers", "a.json", "--out", "r.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!d.join("r.pdf").exists());
}

#[test]
fn bad_input_fails_and_keeps_the_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("r.pdf"), b"previous good report").unwrap();
    std::fs::write(d.join("bad.json"), b"{ not json").unwrap();
    let out = tenken()
        .current_dir(d)
        .args(["report", "--answers", "bad.json", "--out", "r.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json"));
    assert_eq!(
        std::fs::read(d.join("r.pdf")).unwrap(),
        b"previous good report"
    );
}
