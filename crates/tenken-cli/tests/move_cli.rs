//! `tenken assessment move`: an assessment started on R7 moves to the imported R8 (issue 16
//! item 3) with answers carried item by item and the rows to answer anew listed; the earlier
//! assessment stays readable, and `--dry-run` changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{ok, tenken};
use std::process::Output;

use tenken_testkit::workbooks;

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).unwrap()
}

#[test]
fn an_r7_assessment_moves_to_the_imported_r8() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for f in [workbooks::clinic_file(), workbooks::vendor_file()] {
        std::fs::write(tmp.path().join(&f.0), &f.1).unwrap();
    }
    let files: Vec<String> = ["001716187.xlsx", "001716188.xlsx"]
        .iter()
        .map(|n| tmp.path().join(n).display().to_string())
        .collect();
    ok(&tenken(
        &data,
        &["checklist", "import", &files[0], &files[1], "--confirm"],
    ));
    let v = json(&tenken(
        &data,
        &[
            "assessment",
            "new",
            "--checklist",
            "mhlw-r7",
            "--year",
            "2026",
            "--json",
        ],
    ));
    let old_id = v["id"].as_i64().unwrap();
    ok(&tenken(
        &data,
        &[
            "assessment",
            "answer",
            "1-1",
            "--value",
            "yes",
            "--note",
            "院長が兼任",
        ],
    ));
    ok(&tenken(
        &data,
        &[
            "assessment",
            "answer",
            "2-4",
            "--scope",
            "server",
            "--value",
            "yes",
        ],
    ));

    // Before the move, `assessment show` says this year's version is imported and how to move
    // (not "import it", which was already done).
    let shown = tenken(&data, &["assessment", "show"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&shown.stdout),
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(
        text.contains("取り込み済み") && text.contains("assessment move --to imported-mhlw-r8"),
        "{text}"
    );
    assert!(!text.contains("まだ取り込まれていない"), "{text}");

    // Dry run: the plan, nothing written.
    let out = ok(&tenken(
        &data,
        &[
            "assessment",
            "move",
            "--to",
            "imported-mhlw-r8",
            "--dry-run",
        ],
    ));
    assert!(out.contains("まだ移していません"), "{out}");
    let hist = json(&tenken(&data, &["history", "--json"]));
    assert_eq!(hist.as_array().map(Vec::len), Some(1), "{hist}");

    let out = ok(&tenken(
        &data,
        &["assessment", "move", "--to", "imported-mhlw-r8"],
    ));
    assert!(out.contains("点検を新しい版に移しました"), "{out}");
    assert!(out.contains("引き継ぐ回答: 2"), "{out}");
    assert!(out.contains("新たに回答が必要な行"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("2-④") && l.contains("今年度の新しい項目")),
        "{out}"
    );
    // The moved assessment has the carried answers on R8's ids.
    let moved = json(&tenken(&data, &["assessment", "show", "--json"]));
    assert_eq!(moved["checklist_id"], "imported-mhlw-r8");
    let answers = moved["answers"].as_array().unwrap();
    let officer = answers.iter().find(|a| a["item_id"] == "1-1").unwrap();
    assert_eq!(officer["value"], "yes");
    assert_eq!(officer["note"], "院長が兼任");
    assert!(
        answers
            .iter()
            .any(|a| a["item_id"] == "2-2" && a["scope"] == "server")
    );
    // The earlier assessment is kept as it was.
    let old = json(&tenken(
        &data,
        &["assessment", "show", &old_id.to_string(), "--json"],
    ));
    assert_eq!(old["checklist_id"], "mhlw-r7");
    assert_eq!(old["answers"].as_array().unwrap().len(), 2);
    // Not the next version: refused, nothing written.
    let o = tenken(
        &data,
        &["assessment", "move", &old_id.to_string(), "--to", "mhlw-r5"],
    );
    assert_ne!(o.status.code(), Some(0));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("次の版ではない"), "{said}");
    // Only the person's language: the engine's English half is not printed in Japanese.
    assert!(!said.contains("does not follow"), "{said}");
    let hist = json(&tenken(&data, &["history", "--json"]));
    assert_eq!(hist.as_array().map(Vec::len), Some(2), "{hist}");
}

/// With this year's workbooks imported, a new assessment takes them by default (no silent
/// fallback to last year's built-in list) and shows no version notice.
#[test]
fn a_new_assessment_takes_the_imported_version_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let before = json(&tenken(
        &data,
        &["assessment", "new", "--year", "2026", "--json"],
    ));
    assert_eq!(
        before["checklist_id"], "mhlw-r7",
        "nothing imported: the newest built in"
    );
    let files: Vec<String> = [workbooks::clinic_file(), workbooks::vendor_file()]
        .iter()
        .map(|(name, bytes)| {
            let p = tmp.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p.display().to_string()
        })
        .collect();
    ok(&tenken(
        &data,
        &["checklist", "import", &files[0], &files[1], "--confirm"],
    ));
    let out = tenken(&data, &["assessment", "new", "--year", "2026", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(v["checklist_id"], "imported-mhlw-r8");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("注意"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
