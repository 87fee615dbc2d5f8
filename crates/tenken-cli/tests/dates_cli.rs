//! Issue 14, dates that make sense, end to end on the official R7 checklist: a 確認日 in the
//! future and a 目標日 before the 確認日 are refused with nothing saved; a いいえ past its 目標日
//! is 期限切れ in `assessment show`, `history` and the signed report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ok, tenken};

fn run(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    tenken(data, args)
}

#[test]
fn impossible_dates_are_refused_and_overdue_targets_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&run(&data, &["profile", "set", "--name", "さくら内科"]));
    // The case seen: いいえ with 目標日 2025-01-01 and 確認日 2026-11-20 was saved.
    let o = run(
        &data,
        &[
            "assessment",
            "answer",
            "2-6",
            "--value",
            "いいえ",
            "--target",
            "2025-01-01",
            "--checked",
            "2026-11-20",
        ],
    );
    assert!(!o.status.success(), "target before check date accepted");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("目標日 2025-01-01 が確認日 2026-11-20 より前"),
        "{err}"
    );
    // A 確認日 in 2030.
    let o = run(
        &data,
        &[
            "assessment",
            "answer",
            "2-6",
            "--value",
            "はい",
            "--checked",
            "2030-01-01",
        ],
    );
    assert!(!o.status.success(), "future check date accepted");
    assert!(String::from_utf8_lossy(&o.stderr).contains("未来の日付"));
    // Nothing of either was saved.
    let show = ok(&run(&data, &["assessment", "show"]));
    assert!(
        !show.contains("2030-01-01") && !show.contains("2025-01-01"),
        "{show}"
    );
    // An old いいえ whose target has passed is accepted and marked 期限切れ everywhere.
    ok(&run(
        &data,
        &[
            "assessment",
            "answer",
            "2-6",
            "--value",
            "いいえ",
            "--target",
            "2025-01-01",
            "--checked",
            "2024-12-01",
        ],
    ));
    let show = ok(&run(&data, &["assessment", "show"]));
    assert!(show.contains("2025-01-01 期限切れ"), "{show}");
    assert!(show.contains("期限切れ: 1"), "{show}");
    let hist = ok(&run(&data, &["history"]));
    assert!(hist.contains("期限切れ: 1"), "{hist}");
    let pdf = dir.path().join("r.pdf");
    let o = std::process::Command::new(common::BIN)
        .arg("--data-dir")
        .arg(&data)
        .args(["report", "--out"])
        .arg(&pdf)
        .env("TENKEN_KEYSTORE", "file")
        .env_remove("TENKEN_LANG")
        .output()
        .unwrap();
    ok(&o);
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("期限切れの目標日"),
        "first page count missing"
    );
    assert!(
        text.contains("1 件（「いいえ」の目標日を過ぎています"),
        "first page count"
    );
    assert!(
        text.matches("期限切れ").count() >= 3,
        "item row and plan rows: {text}"
    );
}

/// Issue 14: the number `assessment show` prints (1-①) was refused by `assessment answer`, and
/// the per-scope error named the scopes in English only.
#[test]
fn printed_item_numbers_are_accepted_and_scopes_named_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = ok(&run(
        &data,
        &["assessment", "answer", "1-①", "--value", "はい"],
    ));
    assert!(out.contains("1-①"), "{out}");
    let show = ok(&run(&data, &["assessment", "show"]));
    assert!(
        show.lines()
            .any(|l| l.starts_with("1-①") && l.contains("はい")),
        "{show}"
    );
    let o = run(&data, &["assessment", "answer", "2-⑤", "--value", "はい"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("サーバ (server)") && err.contains("端末PC (terminal)"),
        "{err}"
    );
    assert!(err.contains("回答ファイルでは scope"), "{err}");
    ok(&run(
        &data,
        &[
            "assessment",
            "answer",
            "2-⑤",
            "--value",
            "はい",
            "--scope",
            "サーバ",
        ],
    ));
}

/// Issue 14: errors ended in OS error codes and English tails (`os error 2`).
#[test]
fn a_missing_file_is_said_in_plain_words_without_an_os_error_code() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&run(
        &data,
        &["assessment", "answer", "1-1", "--value", "はい"],
    ));
    for args in [
        vec!["verify", "/nonexistent/report.pdf"],
        vec!["import", "/nonexistent/pc.tenken.json"],
        vec!["profile", "import", "/nonexistent/profile.toml"],
        vec![
            "assessment",
            "answer",
            "--file",
            "/nonexistent/answers.toml",
        ],
    ] {
        let o = run(&data, &args);
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("見つかりません"), "{args:?}: {err}");
        assert!(!err.contains("os error"), "{args:?}: {err}");
        assert!(!err.contains("No such file"), "{args:?}: {err}");
    }
}
