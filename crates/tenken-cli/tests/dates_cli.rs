//! Issue 14, dates that make sense, end to end on the official R7 checklist: a 確認日 in the
//! future and a 目標日 before the 確認日 are refused with nothing saved; a いいえ past its 目標日
//! is 期限切れ in `assessment show`, `history` and the signed report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ok, tenken};

fn run(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    tenken(data, args)
}

/// `tenken report --no-scan --out PDF` with a key file (not the desktop's key store).
fn report_pdf(data: &std::path::Path, pdf: &std::path::Path) -> std::process::Output {
    std::process::Command::new(common::BIN)
        .arg("--data-dir")
        .arg(data)
        .args(["report", "--no-scan", "--out"])
        .arg(pdf)
        .env("TENKEN_KEYSTORE", "file")
        .env_remove("TENKEN_LANG")
        .output()
        .unwrap()
}

/// Text of the PDF (page 1 only when `first_page`).
fn pdf_text(pdf: &std::path::Path, first_page: bool) -> String {
    let mut cmd = std::process::Command::new("pdftotext");
    if first_page {
        cmd.args(["-f", "1", "-l", "1"]);
    }
    let o = cmd.arg("-layout").arg(pdf).arg("-").output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `tenken assessment new` for さくら内科 on R7 for `year`.
fn new_r7_assessment(data: &std::path::Path, year: &str) -> std::process::Output {
    run(
        data,
        &[
            "assessment",
            "new",
            "--name",
            "さくら内科",
            "--checklist",
            "mhlw-r7",
            "--year",
            year,
        ],
    )
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
    ok(&report_pdf(&data, &pdf));
    let text = pdf_text(&pdf, false);
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

/// Issue 13 item 5: a vendor feeds what a locked-down Windows PC printed: `netstat -ano` saved by
/// cmd.exe (CP932, Japanese headers) next to the host facts stands in for the socket table.
#[test]
fn listening_ports_and_peers_replay_from_japanese_netstat_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let rec = dir.path().join("pc1");
    std::fs::create_dir_all(&rec).unwrap();
    std::fs::copy(
        common::fixture("windows").join("host.json"),
        rec.join("host.json"),
    )
    .unwrap();
    // [SYN] rows after the real Japanese header: SMB and RDP open to the LAN, one remote peer.
    let text = "\r\nアクティブな接続\r\n\r\n  プロトコル  ローカル アドレス      外部アドレス           状態            PID\r\n  TCP         0.0.0.0:135            0.0.0.0:0              LISTENING       1044\r\n  TCP         0.0.0.0:445            0.0.0.0:0              LISTENING       4\r\n  TCP         0.0.0.0:3389           0.0.0.0:0              LISTENING       1160\r\n  TCP         192.168.10.21:50412    203.0.113.9:443        ESTABLISHED     5220\r\n  UDP         0.0.0.0:5353           *:*                                    2424\r\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
    std::fs::write(rec.join("netstat-ano.txt"), &bytes).unwrap();
    let out = dir.path().join("pc1.json");
    ok(&run(
        &data,
        &[
            "scan",
            "--replay",
            rec.to_str().unwrap(),
            "--probe",
            "ports.listening",
            "--probe",
            "net.peers",
            "--json",
            out.to_str().unwrap(),
            "--quiet",
        ],
    ));
    let b: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let ports = b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["probe_id"] == "ports.listening")
        .unwrap();
    assert_eq!(ports["verdict"], "warn", "{ports}");
    let listeners = ports["facts"]["listeners"].as_array().unwrap();
    assert!(
        listeners
            .iter()
            .any(|l| l["port"] == 445 && l["pids"] == serde_json::json!([4])),
        "{listeners:?}"
    );
    let peers = b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["probe_id"] == "net.peers")
        .unwrap();
    assert_ne!(peers["verdict"], "unknown", "{peers}");
    // The evidence is the text file itself: its path and the SHA-256 of its exact bytes. Both
    // probes read the one table; its text is stored once, in net.peers (issue 18), and
    // ports.listening's record points there.
    use sha2::Digest;
    let ev = &ports["evidence"][0];
    let held = &peers["evidence"][0];
    assert_eq!(ev["same_as"], "net.peers", "{ev}");
    for e in [ev, held] {
        assert_eq!(e["kind"], "file", "{e}");
        assert!(
            e["source"].as_str().unwrap().ends_with("netstat-ano.txt"),
            "{e}"
        );
        assert_eq!(e["raw_sha256"], hex::encode(sha2::Sha256::digest(&bytes)));
    }
    assert!(
        held["raw"].as_str().unwrap().contains("ローカル アドレス"),
        "{held}"
    );
}

/// Issue 16 item 3: no silent fallback. A FY2026 (令和8年度) assessment made while only R7 is
/// loaded says so in `assessment new`, `assessment show`, `report`, and on the report's first page.
#[test]
fn a_fy2026_assessment_on_last_years_checklist_says_so_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = new_r7_assessment(&data, "2026");
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("令和8年度）の公式チェックリストはまだ取り込まれていない")
            && err.contains("tenken checklist import"),
        "{err}"
    );
    let show = ok(&run(&data, &["assessment", "show"]));
    assert!(show.contains("令和7年度版"), "{show}");
    let pdf = dir.path().join("r.pdf");
    let o = report_pdf(&data, &pdf);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("まだ取り込まれていない"));
    let first = pdf_text(&pdf, true);
    assert!(first.contains("まだ取り込まれていないため"), "{first}");
    // A FY2025 assessment on R7 says nothing.
    let data2 = dir.path().join("data2");
    let o = new_r7_assessment(&data2, "2025");
    ok(&o);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("まだ取り込まれていない"));
}
