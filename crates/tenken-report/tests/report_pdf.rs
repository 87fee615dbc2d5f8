//! End-to-end checks of the PDF report with third-party tools (qpdf, poppler's pdftotext,
//! pdfinfo, pdfdetach). Needs the Debian packages `qpdf` and `poppler-utils`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use chrono::TimeZone;
use tenken_base::Lang;
use tenken_report::{self as report, RawJson, ReportInput, SignerInfo};
use tenken_testkit::sample;

fn tool(name: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed for this test (apt-get install qpdf poppler-utils): {e}")
    });
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The realistic sample with its JSON written to files first (as the CLI reads them).
fn input(dir: &Path, lang: Lang) -> ReportInput {
    let (cl, asmt, bundles) = sample::input_parts();
    let asmt_json = serde_json::to_vec_pretty(&asmt).unwrap();
    std::fs::write(dir.join("in-assessment.json"), &asmt_json).unwrap();
    let mut raw_bundles = Vec::new();
    for (i, b) in bundles.iter().enumerate() {
        // compact JSON on purpose: the attachment must be these bytes, not a re-serialization
        let bytes = serde_json::to_vec(b).unwrap();
        std::fs::write(dir.join(format!("in-bundle-{i}.json")), &bytes).unwrap();
        raw_bundles.push(Some(bytes));
    }
    let mut input = ReportInput::new(
        cl,
        asmt,
        bundles,
        lang,
        chrono::Utc
            .with_ymd_and_hms(2025, 11, 12, 8, 30, 0)
            .unwrap(),
    );
    input.signer = Some(SignerInfo {
        name: "山田 太郎".into(),
        organization: Some("さくら内科クリニック".into()),
        cert_sha256: None,
    });
    input.raw_json = RawJson {
        assessment: Some(asmt_json),
        bundles: raw_bundles,
        ..RawJson::default()
    };
    input
}

#[test]
fn japanese_report_passes_third_party_tools() {
    let dir = tempfile::tempdir().unwrap();
    let input = input(dir.path(), Lang::Ja);
    let start = std::time::Instant::now();
    let pdf = report::render_pdf(&input).unwrap();
    let took = start.elapsed();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let p = path.to_str().unwrap();

    // structure
    let (ok, out) = tool("qpdf", &["--check", p]);
    assert!(ok, "qpdf --check failed:\n{out}");
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    // classic xref table (what an incremental-update signer appends to)
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("\nxref\n") || text.contains("\rxref"),
        "classic xref table expected"
    );
    assert!(
        !text.contains("/XRefStm") && !text.contains("/Type /XRef"),
        "no xref streams"
    );

    // metadata and page count
    let (ok, info) = tool("pdfinfo", &[p]);
    assert!(ok, "{info}");
    assert!(
        info.contains("Title:") && info.contains("さくら内科クリニック"),
        "{info}"
    );
    assert!(
        info.contains("Author:") && info.contains("鈴木 一郎"),
        "{info}"
    );
    assert!(
        info.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["Producer:", "Tenken", tenken_base::VERSION]),
        "{info}"
    );
    assert!(info.contains("2025"), "creation date: {info}");
    assert!(info.contains("A4"), "{info}");
    assert!(
        info.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["PDF", "version:", "1.7"]),
        "{info}"
    );
    assert!(
        !info.contains("PDF/X"),
        "no false conformance claim: {info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|s| s.trim().parse().unwrap())
        .unwrap();
    assert!(pages >= 25, "expected a ~30-page report, got {pages}");
    assert!(
        pdf.len() < 1_500_000,
        "{} bytes for {pages} pages",
        pdf.len()
    );
    eprintln!("report: {pages} pages, {} bytes, {took:?}", pdf.len());

    // text extraction: fonts and ToUnicode are right
    let (ok, txt) = tool("pdftotext", &["-layout", p, "-"]);
    assert!(ok, "{txt}");
    let flat: String = txt.split_whitespace().collect();
    for needle in [
        "点検報告書",
        "セキュリティパッチ（最新ファームウェアや更新プログラム）を適用している。",
        "適合",
        "未確認",
        "不適合",
        "回答と証跡が食い違っています",
        "最後の更新プログラム適用から200日経過しています",
        "SERVER-KARTE",
        "tenkenverify",
        "改善計画",
    ] {
        assert!(
            flat.contains(&needle.split_whitespace().collect::<String>()),
            "pdftotext lacks {needle}"
        );
    }
    // The item details name each check in words, not by its probe id (ids stay in appendix A
    // and in the attached bundles, for tracing).
    let details = txt
        .split("2. 項目ごとの詳細")
        .nth(1)
        .and_then(|t| t.split("付録A").next())
        .unwrap_or_default();
    for line in [
        "SERVER-KARTE os.patches:",
        "UKETSUKE-PC1 os.eol:",
        "SERVER-KARTE net.router.admin:",
    ] {
        assert!(
            !details.contains(line),
            "a probe id is printed in the item details: {line}"
        );
    }
    assert!(
        details.contains("SERVER-KARTE 自動確認 os.patches:"),
        "the check's title is printed"
    );
    assert!(
        flat.contains(&format!("1/{pages}ページ")),
        "page X / Y footer"
    );
    assert!(
        flat.contains(&format!("{pages}/{pages}ページ")),
        "last page footer"
    );

    // attachments are the exact input bytes
    let (ok, list) = tool("pdfdetach", &["-list", p]);
    assert!(ok, "{list}");
    assert!(list.contains("4 embedded files"), "{list}");
    let out_dir = dir.path().join("detached");
    std::fs::create_dir(&out_dir).unwrap();
    let (ok, msg) = tool(
        "pdfdetach",
        &["-saveall", "-o", out_dir.to_str().unwrap(), p],
    );
    assert!(ok, "{msg}");
    let got = |n: &str| std::fs::read(out_dir.join(n)).unwrap();
    assert_eq!(
        got("assessment.json"),
        std::fs::read(dir.path().join("in-assessment.json")).unwrap()
    );
    assert_eq!(
        got("bundle-01-SERVER-KARTE.json"),
        std::fs::read(dir.path().join("in-bundle-0.json")).unwrap()
    );
    assert_eq!(
        got("bundle-02-UKETSUKE-PC1.json"),
        std::fs::read(dir.path().join("in-bundle-1.json")).unwrap()
    );
    // and their SHA-256 are printed on the verification page
    for f in report::embedded_files(&input).unwrap() {
        assert!(flat.contains(&f.sha256), "hash of {} not printed", f.name);
    }

    // the appendix lists the SHA-256 of every raw output (printed in two halves)
    for b in &input.bundles {
        for f in &b.findings {
            for e in &f.evidence {
                let (h1, h2) = e.raw_sha256.split_at(32);
                assert!(
                    flat.contains(h1) && flat.contains(h2),
                    "{} of {}",
                    f.probe_id,
                    b.host.hostname
                );
            }
        }
    }

    if let Ok(keep) = std::env::var("TENKEN_KEEP_REPORT") {
        std::fs::copy(&path, keep).unwrap();
    }
}

#[test]
fn english_report_uses_english_labels() {
    let dir = tempfile::tempdir().unwrap();
    let input = input(dir.path(), Lang::En);
    let pdf = report::render_pdf(&input).unwrap();
    let path = dir.path().join("en.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let (ok, txt) = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    assert!(ok);
    for needle in [
        "Self-assessment report with evidence",
        "Unverified",
        "Improvement plan",
        "page 1 /",
    ] {
        assert!(txt.contains(needle), "missing {needle}");
    }
    assert!(!txt.contains("点検報告書（証跡付き）"));
    if let Ok(keep) = std::env::var("TENKEN_KEEP_REPORT_EN") {
        std::fs::copy(&path, keep).unwrap();
    }
}

#[test]
fn mismatched_checklist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut input = input(dir.path(), Lang::Ja);
    input.assessment.checklist_id = "mhlw-r6".into();
    assert!(matches!(
        report::render_pdf(&input),
        Err(report::ReportError::ChecklistMismatch { .. })
    ));
}

#[test]
fn comparison_section_appears_only_when_given() {
    use tenken_assessment::AnswerValue;
    use tenken_checklist::Scope;
    use tenken_compare::{AnswerChange, Comparison, Direction, NewItem, Side};
    let dir = tempfile::tempdir().unwrap();
    let mut input = input(dir.path(), Lang::Ja);
    let text_of = |input: &ReportInput, name: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, report::render_pdf(input).unwrap()).unwrap();
        tool("pdftotext", &[path.to_str().unwrap(), "-"]).1
    };
    assert!(!text_of(&input, "a.pdf").contains("前年度との比較"));
    input.comparison = Some(Comparison {
        from: Side {
            fiscal_year: 2024,
            assessment_id: 1,
            checklist_id: "mhlw-r6".into(),
        },
        to: Side {
            fiscal_year: 2025,
            assessment_id: 2,
            checklist_id: "mhlw-r7".into(),
        },
        changes: vec![AnswerChange {
            item_before: "1-1".into(),
            item_after: "1-1".into(),
            number: "1-①".into(),
            scope: Scope::General,
            before: AnswerValue::No,
            after: AnswerValue::Yes,
            direction: Direction::Improved,
        }],
        new_items: vec![NewItem {
            id: "2-4".into(),
            number: "2-④".into(),
            text: "synthesised new item".into(),
            answer: None,
        }],
        targets: vec![],
        findings: vec![],
    });
    let txt = text_of(&input, "b.pdf");
    assert!(txt.contains("前年度との比較"));
    assert!(txt.contains("新規"));
    assert!(txt.contains("改善"));
}

#[test]
fn each_item_says_where_its_wording_comes_from() {
    // The sample's items are all tagged `reconstructed` with the source "synthesised test fixture".
    let dir = tempfile::tempdir().unwrap();
    for (lang, needles) in [
        (
            Lang::Ja,
            [
                "文言の出典：Tenkenによる再構成（公式文言ではありません）",
                "synthesisedtestfixture",
            ],
        ),
        (
            Lang::En,
            [
                "Wording:reconstructedbyTenken(nottheofficialwording)",
                "synthesisedtestfixture",
            ],
        ),
    ] {
        let input = input(dir.path(), lang);
        let pdf = report::render_pdf(&input).unwrap();
        let path = dir.path().join("prov.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let (ok, txt) = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
        assert!(ok, "{txt}");
        let flat: String = txt.split_whitespace().collect();
        for n in needles {
            let count = flat.matches(n).count();
            // one line per item of the sample's clinic sheet
            assert!(
                count >= input.checklist.sheet_items("clinic").count(),
                "{n} printed {count} times"
            );
        }
    }
}

/// 「4. ネットワークの確認結果」 lists only consented network checks. net.gateway and net.peers read
/// this PC's route table and connection list (local, read-only): the evidence registry declares
/// them local, so they must not be printed there even though their ids start with `net.`.
#[test]
fn local_probes_are_not_printed_as_network_checks() {
    use tenken_evidence::Verdict;
    let dir = tempfile::tempdir().unwrap();
    let mut input = input(dir.path(), Lang::Ja);
    let b = input
        .bundles
        .iter_mut()
        .find(|b| b.findings.iter().any(|f| f.probe_id == "lan.ports"))
        .unwrap();
    for probe in ["net.gateway", "net.peers"] {
        b.findings.push(sample::finding(
            probe,
            Verdict::Pass,
            &["2-11"],
            serde_json::json!({}),
        ));
    }
    input.raw_json.bundles = input
        .bundles
        .iter()
        .map(|b| Some(serde_json::to_vec(b).unwrap()))
        .collect();
    let pdf = report::render_pdf(&input).unwrap();
    let path = dir.path().join("net.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let (ok, txt) = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    assert!(ok, "{txt}");
    let start = txt
        .find("4. ネットワークの確認結果")
        .expect("the network section is printed");
    let end = start + txt[start..].find("5. 改善計画").unwrap();
    let section = &txt[start..end];
    for shown in ["net.router.admin", "lan.ports"] {
        assert!(section.contains(shown), "{shown} missing from:\n{section}");
    }
    for local in ["net.gateway", "net.peers"] {
        assert!(
            !section.contains(local),
            "{local} printed as a network check:\n{section}"
        );
    }
}

/// A report signed with gaps says on its first page what was open then (issue 15 item 2); one
/// signed with nothing open says that; a report without a review (unsigned sample) says neither.
#[test]
fn first_page_says_what_was_open_when_signed() {
    use tenken_assessment::readiness::{ReadinessInput, VendorSheetState, review};
    let dir = tempfile::tempdir().unwrap();
    let first_page = |input: &ReportInput, name: &str| {
        let pdf = report::render_pdf(input).unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &pdf).unwrap();
        let (ok, txt) = tool(
            "pdftotext",
            &["-f", "1", "-l", "1", path.to_str().unwrap(), "-"],
        );
        assert!(ok, "{txt}");
        // pdftotext may break a long sentence over lines.
        txt.replace('\n', "")
    };
    let mut input = input(dir.path(), Lang::Ja);
    let none = first_page(&input, "none.pdf");
    assert!(!none.contains("署名時点で"), "{none}");

    let mut open = input.assessment.clone();
    open.answers.truncate(5);
    let vendors = [VendorSheetState {
        vendor: "株式会社サンプル".into(),
        returned: false,
    }];
    let r = review(&ReadinessInput {
        checklist: &input.checklist,
        assessment: &open,
        bundles: &input.bundles,
        vendor_sheets: &vendors,
        now: input.generated_at,
        today: input.generated_at.date_naive(),
    });
    let c = r.counts();
    assert!(c.unanswered > 0 && c.vendor_pending == 1);
    input.readiness = Some(r.clone());
    let txt = first_page(&input, "open.pdf");
    let expected = format!("署名時点で未回答 {} 項目", c.unanswered);
    assert!(
        txt.contains(&expected),
        "{expected} missing from page 1:\n{txt}"
    );
    assert!(txt.contains("事業者確認の未回収 1 社"), "{txt}");

    let mut en = input.clone();
    en.lang = Lang::En;
    let txt = first_page(&en, "open-en.pdf");
    assert!(
        txt.contains(&format!("{} unanswered item(s)", c.unanswered)),
        "{txt}"
    );

    input.readiness = Some(tenken_assessment::readiness::Readiness {
        entries: Vec::new(),
        ..r
    });
    let txt = first_page(&input, "clear.pdf");
    assert!(
        txt.contains("署名時点で、残っている確認事項はありませんでした。"),
        "{txt}"
    );
}

/// Times are printed in the clinic's local time with the zone named (JST), never in UTC
/// (issue 15 item 6: 「06:33 UTC」 while the app showed 15:33).
#[test]
fn times_are_printed_in_japan_time_with_the_zone_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = input(dir.path(), Lang::Ja);
    let pdf = report::render_pdf(&input).unwrap();
    let path = dir.path().join("jst.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let (ok, txt) = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    assert!(ok, "{txt}");
    // Generated 2025-11-12 08:30 UTC = 17:30 in Japan.
    // In the one Japanese date style of the app and the report.
    assert!(txt.contains("2025年11月12日 17:30 JST"), "{txt}");
    assert!(!txt.contains("UTC"), "a time printed in UTC");
}

/// Bundles handed over already compressed (`RawJson::packed`, how `tenken report` keeps a
/// fleet's bundles) are embedded as exactly those bytes, with the same names, lengths and
/// SHA-256 printed as when the plain bytes are given.
#[test]
fn packed_bundles_are_embedded_as_the_given_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let plain = input(dir.path(), Lang::Ja);
    let mut packed = plain.clone();
    packed.raw_json.packed = std::mem::take(&mut packed.raw_json.bundles)
        .into_iter()
        .map(|b| Some(report::PackedJson::pack(&b.unwrap()).unwrap()))
        .collect();
    let files = report::embedded_files(&plain).unwrap();
    assert_eq!(files, report::embedded_files(&packed).unwrap());
    let pdf = report::render_pdf(&packed).unwrap();
    let path = dir.path().join("packed.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let p = path.to_str().unwrap();
    let (ok, msg) = tool("qpdf", &["--check", p]);
    assert!(ok, "{msg}");
    let out_dir = dir.path().join("detached");
    std::fs::create_dir(&out_dir).unwrap();
    let (ok, msg) = tool(
        "pdfdetach",
        &["-saveall", "-o", out_dir.to_str().unwrap(), p],
    );
    assert!(ok, "{msg}");
    let (_, txt) = tool("pdftotext", &[p, "-"]);
    let flat: String = txt.split_whitespace().collect();
    for f in &files {
        assert_eq!(std::fs::read(out_dir.join(&f.name)).unwrap(), f.bytes);
        assert!(flat.contains(&f.sha256), "hash of {} not printed", f.name);
        assert!(
            flat.contains(&f.bytes.len().to_string()),
            "length of {} not printed",
            f.name
        );
    }
}
