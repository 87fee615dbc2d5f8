//! `tenken report` end to end: the README's main job on a fresh data directory, answers files,
//! extra bundles, XLSX, atomic writes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn tenken(data: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenken"))
        .current_dir(cwd)
        .env("TENKEN_DATA_DIR", data)
        .env("TENKEN_LANG", "ja")
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn default_report_scans_this_pc_and_signs() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = tenken(&data, dir.path(), &["report"]);
    let stdout = ok(&out);
    assert!(stdout.contains("署名付き報告書を作成しました"), "{stdout}");
    let pdf = dir.path().join("tenken-report.pdf");
    assert!(pdf.exists());

    // The signature verifies with our own verifier...
    let v = tenken(
        &data,
        dir.path(),
        &["verify", "tenken-report.pdf", "--json"],
    );
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    // The key made on this first use was already valid at the signing time (which is taken
    // when the run starts, before the key exists).
    let json: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(json["signatures"][0]["cert_at_signing"], "valid", "{json}");
    assert!(
        json["signatures"][0]["problems"]
            .as_array()
            .is_none_or(|p| p.is_empty()),
        "{json}"
    );
    // ...and the text is the latest official checklist's, with this PC's evidence in it.
    let text = pdftotext(&pdf);
    assert!(
        text.contains("医療情報システム安全管理責任者"),
        "checklist wording missing"
    );
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert!(
        text.contains(host.trim()),
        "host {host} missing from the report"
    );

    // Third-party tools agree: the structure is sound, the signature valid and covering the whole
    // document, and the embedded bundle is the one this PC produced.
    let qpdf = Command::new("qpdf")
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        qpdf.status.success(),
        "{}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    let sig = Command::new("pdfsig").arg(&pdf).output().unwrap();
    let sig = String::from_utf8_lossy(&sig.stdout).into_owned();
    assert!(sig.contains("Signature is Valid."), "{sig}");
    assert!(sig.contains("Total document signed"), "{sig}");
    let att = dir.path().join("att");
    std::fs::create_dir_all(&att).unwrap();
    let det = Command::new("pdfdetach")
        .args([
            "-saveall",
            "-o",
            att.to_str().unwrap(),
            pdf.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(det.status.success());
    let mut bundles = 0;
    for e in std::fs::read_dir(&att).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        if let Ok(b) = tenken_core::evidence::Bundle::from_json(&bytes) {
            assert_eq!(b.host.hostname, host.trim());
            assert!(b.findings.len() >= 18, "every local probe has a finding");
            // The report prints the bundle's canonical SHA-256 as attached (taken before the
            // report dropped the raw outputs it does not print).
            let sha = b.sha256().unwrap();
            let text = pdftotext(&pdf).replace(char::is_whitespace, "");
            assert!(
                text.contains(&sha[..32]),
                "canonical hash {sha} not printed"
            );
            bundles += 1;
        }
    }
    assert_eq!(bundles, 1, "this PC's bundle is embedded");

    // The assessment and the signed bundle were kept: a second run replaces the bundle.
    let h = ok(&tenken(&data, dir.path(), &["history", "--json"]));
    let h: serde_json::Value = serde_json::from_str(&h).unwrap();
    assert_eq!(h.as_array().unwrap().len(), 1);
    assert_eq!(h[0]["checklist_id"], "mhlw-r7");
}

#[test]
fn answers_file_and_xlsx_without_scanning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = d.join("data");
    std::fs::write(
        d.join("answers.toml"),
        "[[answers]]\nitem = \"1-1\"\nvalue = \"はい\"\nchecked = \"2025-06-02\"\n\n\
         [[answers]]\nitem = \"2-10\"\nvalue = \"いいえ\"\ntarget = \"2027-03-31\"\nnote = \"二要素認証は次期更新で導入\"\n",
    )
    .unwrap();
    let out = tenken(
        &data,
        d,
        &[
            "report",
            "--no-scan",
            "--answers",
            "answers.toml",
            "--xlsx",
            "c.xlsx",
            "--out",
            "r.pdf",
        ],
    );
    ok(&out);
    let text = pdftotext(&d.join("r.pdf"));
    assert!(text.contains("2027"), "target date missing from the report");
    assert!(d.join("c.xlsx").metadata().unwrap().len() > 1000);
    let show = ok(&tenken(&data, d, &["assessment", "show", "--json"]));
    assert!(show.contains("二要素認証は次期更新で導入"));
}

#[test]
fn bad_answers_change_nothing_and_keep_the_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = d.join("data");
    std::fs::write(d.join("r.pdf"), b"previous good report").unwrap();
    // いいえ without 目標日 is refused.
    std::fs::write(
        d.join("bad.toml"),
        "[[answers]]\nitem = \"1-1\"\nvalue = \"はい\"\n\n[[answers]]\nitem = \"2-6\"\nvalue = \"いいえ\"\n",
    )
    .unwrap();
    let out = tenken(
        &data,
        d,
        &[
            "report",
            "--no-scan",
            "--answers",
            "bad.toml",
            "--out",
            "r.pdf",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read(d.join("r.pdf")).unwrap(),
        b"previous good report"
    );
    let show = ok(&tenken(&data, d, &["assessment", "show", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    let answered = v["answers"]
        .as_array()
        .map(|a| a.iter().filter(|x| x["value"] != "unanswered").count())
        .unwrap_or(0);
    assert_eq!(
        answered, 0,
        "a refused answers file must save nothing: {show}"
    );
}

/// `tenken report --dir FOLDER` writes the set under the app's readable names (the engine's one
/// naming rule), never over an earlier set of the same day.
#[test]
fn report_into_a_folder_uses_readable_names_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&tenken(
        &data,
        dir.path(),
        &["profile", "set", "--name", "さくら内科 クリニック"],
    ));
    let folder = dir.path().join("報告書");
    for _ in 0..2 {
        ok(&tenken(
            &data,
            dir.path(),
            &["report", "--no-scan", "--dir", folder.to_str().unwrap()],
        ));
    }
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    let stem = names[2].rsplit_once('_').unwrap().0.to_string();
    assert!(stem.starts_with("さくら内科_クリニック_"), "{names:?}");
    assert!(stem.contains("年度_"), "{names:?}");
    assert_eq!(
        names,
        [
            format!("{stem}_2_チェックリスト.xlsx"),
            format!("{stem}_2_点検報告書.pdf"),
            format!("{stem}_チェックリスト.xlsx"),
            format!("{stem}_点検報告書.pdf"),
        ]
    );
    // Both are signed reports.
    for pdf in names.iter().filter(|n| n.ends_with(".pdf")) {
        let v = tenken(
            &data,
            dir.path(),
            &["verify", folder.join(pdf).to_str().unwrap()],
        );
        assert_eq!(v.status.code(), Some(0), "{pdf}");
    }
    // --dir names the files itself: --out and --xlsx cannot be given with it.
    let o = tenken(
        &data,
        dir.path(),
        &["report", "--no-scan", "--dir", "x", "--out", "y.pdf"],
    );
    assert!(!o.status.success());
}
