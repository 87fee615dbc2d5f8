//! Issue 8 in the signed report: a store holding three PCs' signed bundles (the committed replay
//! fixture sets, scanned and imported through the CLI), a manual router, vendor sheets and two
//! fiscal years (R6 → R7). The PDF made by `tenken report` shows the ledger rows, the vendor
//! status and the comparison, and still passes `qpdf --check`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

mod common;
use common::{fixture, ok, tenken};

fn tool(name: &str, args: &[&str]) -> (bool, String) {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} must be installed (poppler-utils / qpdf): {e}"));
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

/// Builds the clinic store of the test in `data` (R6 FY2024 = assessment 1, R7 FY2025 = 2).
fn clinic(tmp: &Path, data: &Path) {
    for (checklist, year) in [("mhlw-r6", "2024"), ("mhlw-r7", "2025")] {
        ok(&tenken(
            data,
            &[
                "assessment",
                "new",
                "--name",
                "テスト診療所",
                "--checklist",
                checklist,
                "--year",
                year,
            ],
        ));
    }
    ok(&tenken(
        data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "1",
            "1-1",
            "--value",
            "no",
            "--target",
            "2025-03-31",
            // FY2024's check was made in FY2024 (a 目標日 before the 確認日 is refused).
            "--checked",
            "2024-11-01",
        ],
    ));
    ok(&tenken(
        data,
        &[
            "assessment",
            "answer",
            "--assessment",
            "2",
            "1-1",
            "--value",
            "yes",
        ],
    ));
    let mut files = Vec::new();
    for os in ["windows", "macos", "linux"] {
        let f = tmp.join(format!("{os}.tenken.json"));
        ok(&tenken(
            data,
            &[
                "scan",
                "--quiet",
                "--replay",
                fixture(os).to_str().unwrap(),
                "--json",
                f.to_str().unwrap(),
            ],
        ));
        files.push(f);
    }
    let mut args = vec!["import", "--assessment", "2"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    assert_eq!(ok(&tenken(data, &args)).matches("署名確認済み").count(), 3);
    // A fourth PC's bundle without its signature file, accepted unverified (synthesised from
    // the Linux one by renaming the host).
    let unsigned = tmp.join("unsigned.tenken.json");
    let json = std::fs::read_to_string(&files[2]).unwrap();
    std::fs::write(&unsigned, json.replace("SYNTH-LINUX", "SYNTH-UNSIGNED")).unwrap();
    ok(&tenken(
        data,
        &[
            "import",
            "--assessment",
            "2",
            "--accept-unverified",
            unsigned.to_str().unwrap(),
        ],
    ));
    ok(&tenken(
        data,
        &[
            "ledger",
            "add-device",
            "--kind",
            "router",
            "--name",
            "VPNルータ",
            "--model",
            "RTX830",
            "--firmware",
            "15.02",
            "--managed-by",
            "vendor:ABCシステム",
        ],
    ));
    ok(&tenken(
        data,
        &[
            "vendor",
            "answer",
            "ABCシステム",
            "vendor-2-1",
            "--value",
            "no",
            "--target-date",
            "2027-03-31",
            "--year",
            "2025",
        ],
    ));
    ok(&tenken(
        data,
        &[
            "vendor",
            "export-request",
            "XYZ保守",
            "--out",
            tmp.join("req.json").to_str().unwrap(),
            "--year",
            "2025",
        ],
    ));
}

#[test]
fn report_shows_ledger_vendor_sheets_and_comparison() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("clinic");
    clinic(tmp.path(), &data);
    let pdf = tmp.path().join("report.pdf");
    ok(&tenken(
        &data,
        &[
            "report",
            "--no-scan",
            "--assessment",
            "2",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    let (good, check) = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(good, "qpdf --check failed: {check}");
    let (_, text) = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    // The ledger: every host and the manual router, each bundle verified.
    for host in ["SYNTH-WINDOWS", "SYNTH-MACOS", "SYNTH-LINUX"] {
        assert!(text.contains(host), "{host} missing:\n{text}");
    }
    assert!(
        text.contains("VPNルータ") && text.contains("RTX830"),
        "{text}"
    );
    assert!(text.contains("3-2. ネットワーク機器"), "{text}");
    assert!(text.contains("署名確認済み"), "{text}");
    let unsigned = text.find("SYNTH-UNSIGNED").expect("unsigned host listed");
    assert!(
        text[unsigned..].contains("署名未確認"),
        "the unverified bundle must be marked 署名未確認:\n{text}"
    );
    // Vendor sheets: one answered (unsigned) with its いいえ item, one only requested.
    assert!(text.contains("3-3. 事業者の確認"), "{text}");
    assert!(
        text.contains("ABCシステム") && text.contains("回答あり（署名なし）"),
        "{text}"
    );
    assert!(
        text.contains("XYZ保守") && text.contains("依頼中（回答なし）"),
        "{text}"
    );
    assert!(text.contains("事業者が「いいえ」と回答した項目"), "{text}");
    // Comparison with FY2024 (R6): the improved answer, the met target, R7's new items.
    assert!(text.contains("6. 前年度との比較"), "{text}");
    assert!(text.contains("2024年度（mhlw-r6）"), "{text}");
    assert!(text.contains("改善"), "{text}");
    assert!(text.contains("新規"), "{text}");
    assert!(text.contains("達成"), "{text}");
}

#[test]
fn report_of_the_first_year_has_no_comparison() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("clinic");
    clinic(tmp.path(), &data);
    let pdf = tmp.path().join("r6.pdf");
    ok(&tenken(
        &data,
        &[
            "report",
            "--no-scan",
            "--assessment",
            "1",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    let (_, text) = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(!text.contains("前年度との比較"), "{text}");
    // FY2024 has no vendor sheet; its ledger has no bundles but still lists the router.
    assert!(!text.contains("3-3. 事業者の確認"), "{text}");
    assert!(text.contains("VPNルータ"), "{text}");
}
