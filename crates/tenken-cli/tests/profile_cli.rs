//! `tenken profile` end to end with the real binary and a temp data directory: set/show/import,
//! the profile reaching this year's report, 「未設定」 on the cover, and the signing key being
//! kept (not silently regenerated) when the clinic name is set after the first report.
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

/// Text of the PDF, pages `first..=last` (all when `None`).
fn pdftotext(pdf: &Path, pages: Option<(u32, u32)>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some((f, l)) = pages {
        cmd.args(["-f", &f.to_string(), "-l", &l.to_string()]);
    }
    let out = cmd
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page_count(pdf: &Path) -> u32 {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn fingerprint(report_stdout: &str) -> String {
    report_stdout
        .split("証明書フィンガープリント(SHA-256):")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn set_show_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cwd = dir.path();

    let show = ok(&tenken(&data, cwd, &["profile", "show"]));
    assert!(show.contains("医療機関名: 未設定"), "{show}");

    ok(&tenken(
        &data,
        cwd,
        &[
            "profile",
            "set",
            "--name",
            "さくら内科クリニック",
            "--address",
            "東京都千代田区1-1",
            "--system",
            "電子カルテ",
            "--system",
            "レセコン",
            "--vendor",
            "ABCメディカル,03-1234-5678,電子カルテ/レセコン",
        ],
    ));
    // Only the given fields change.
    ok(&tenken(
        &data,
        cwd,
        &["profile", "set", "--security-officer", "山田 花子"],
    ));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&data, cwd, &["profile", "show", "--json"]))).unwrap();
    assert_eq!(json["name"], "さくら内科クリニック");
    assert_eq!(json["address"], "東京都千代田区1-1");
    assert_eq!(json["security_officer"], "山田 花子");
    assert_eq!(json["administrator"], "");
    assert_eq!(
        json["systems"],
        serde_json::json!(["電子カルテ", "レセコン"])
    );
    assert_eq!(json["vendors"][0]["name"], "ABCメディカル");
    assert_eq!(json["vendors"][0]["contact"], "03-1234-5678");
    assert_eq!(
        json["vendors"][0]["systems"],
        serde_json::json!(["電子カルテ", "レセコン"])
    );
    let show = ok(&tenken(&data, cwd, &["profile", "show"]));
    assert!(show.contains("管理者: 未設定"), "{show}");

    // Nothing to set is an error, not a silent no-op.
    let o = tenken(&data, cwd, &["profile", "set"]);
    assert_eq!(o.status.code(), Some(2));

    // Import changes the fields the file names and keeps the others (issue 14: a file without
    // `address` used to clear it).
    let toml = cwd.join("profile.toml");
    std::fs::write(
        &toml,
        "name = \"みどり歯科\"\nadministrator = \"鈴木 一郎\"\nsystems = [\"PACS\"]\n\n\
         [[vendors]]\nname = \"XYZシステム\"\ncontact = \"support@example.invalid\"\n",
    )
    .unwrap();
    ok(&tenken(
        &data,
        cwd,
        &["profile", "import", toml.to_str().unwrap()],
    ));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&data, cwd, &["profile", "show", "--json"]))).unwrap();
    assert_eq!(json["name"], "みどり歯科");
    assert_eq!(json["address"], "東京都千代田区1-1");
    assert_eq!(json["security_officer"], "山田 花子");
    assert_eq!(json["administrator"], "鈴木 一郎");
    assert_eq!(json["systems"], serde_json::json!(["PACS"]));
    assert_eq!(json["vendors"][0]["name"], "XYZシステム");

    // A file that is not a profile is refused and changes nothing.
    std::fs::write(&toml, "address = 3\n").unwrap();
    let o = tenken(&data, cwd, &["profile", "import", toml.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&data, cwd, &["profile", "show", "--json"]))).unwrap();
    assert_eq!(json["name"], "みどり歯科");

    // The case seen in issue 14: a typo (`adress`) and no vendors exited 0 and cleared the
    // address and the vendor. Now it is refused whole, naming the key, and nothing changes.
    std::fs::write(&toml, "name = \"みどり歯科\"\nadress = \"大阪市\"\n").unwrap();
    let o = tenken(&data, cwd, &["profile", "import", toml.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("adress") && err.contains("何も変更していません"),
        "{err}"
    );
    let after: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&data, cwd, &["profile", "show", "--json"]))).unwrap();
    assert_eq!(after, json, "a refused file changed the profile");

    // A profile saved as Shift_JIS (CP932) by Notepad: refused with the fix, nothing changed.
    std::fs::write(&toml, b"name = \"\x82\xb3\x82\xad\x82\xe7\"\n").unwrap();
    let o = tenken(&data, cwd, &["profile", "import", toml.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("UTF-8") && err.contains("保存し直してください"),
        "{err}"
    );
    assert!(!err.contains("stream did not contain"), "{err}");
    // With a BOM it is read.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice("administrator = \"佐藤 次郎\"\n".as_bytes());
    std::fs::write(&toml, bom).unwrap();
    ok(&tenken(
        &data,
        cwd,
        &["profile", "import", toml.to_str().unwrap()],
    ));
    let after: serde_json::Value =
        serde_json::from_str(&ok(&tenken(&data, cwd, &["profile", "show", "--json"]))).unwrap();
    assert_eq!(after["administrator"], "佐藤 次郎");
    assert_eq!(after["vendors"][0]["name"], "XYZシステム");
}

#[test]
fn profile_reaches_this_years_report_and_the_placeholder_key_is_renewed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cwd = dir.path();

    // First report with no profile at all.
    let out = ok(&tenken(&data, cwd, &["report", "--no-scan"]));
    let fp1 = fingerprint(&out);
    let pdf = cwd.join("tenken-report.pdf");
    let cover = pdftotext(&pdf, Some((1, 1)));
    // Empty fields say 未設定, never blank; the header has no dangling dash.
    assert!(cover.contains("医療機関名 未設定"), "{cover}");
    assert!(cover.matches("未設定").count() >= 5, "{cover}");
    assert!(!cover.contains("— —"), "{cover}");
    // The cover fits on page 1: the closing paragraph and the 出典 line are on it; the long
    // licence note is not (it is in Appendix B).
    assert!(cover.contains("出典"), "{cover}");
    assert!(
        cover.contains("この報告書は、チェックリストへの回答と"),
        "{cover}"
    );
    assert!(!cover.contains("公共データ利用規約"), "{cover}");
    let page2 = pdftotext(&pdf, Some((2, 2)));
    assert!(!page2.contains("この報告書は、チェックリストへの回答と"));
    let n = page_count(&pdf);
    let last = pdftotext(&pdf, Some((n.saturating_sub(1).max(1), n)));
    assert!(last.contains("公共データ利用規約"), "{last}");
    // Signer: the certificate's CN (this PC's host name with no clinic name) plus organisation,
    // not the raw DN.
    let all = pdftotext(&pdf, None);
    assert!(all.contains("Tenken 自己署名"), "{all}");
    assert!(!all.contains("CN=Tenken (Tenken)"));
    assert!(all.contains("証明書のサブジェクト"));

    // The first report's certificate says the name was not set (issue 14: it was CN = the
    // host name, for good).
    assert!(all.contains("医療機関名 未設定（"), "{all}");
    let first = cwd.join("first.pdf");
    std::fs::copy(&pdf, &first).unwrap();

    // The clinic name set afterwards reaches this year's assessment and the next report.
    let set = ok(&tenken(
        &data,
        cwd,
        &["profile", "set", "--name", "さくら内科クリニック"],
    ));
    assert!(set.contains("今年度の点検にも反映しました (1)"), "{set}");
    let out = ok(&tenken(&data, cwd, &["report", "--no-scan"]));
    let cover = pdftotext(&pdf, Some((1, 1)));
    assert!(cover.contains("さくら内科クリニック"), "{cover}");
    assert!(!cover.contains("医療機関名 未設定"), "{cover}");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let title = info
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .unwrap()
        .trim()
        .to_string();
    assert!(title.ends_with("さくら内科クリニック"), "{title}");
    // The placeholder key made before the name was known is replaced by one in the clinic's
    // name; the old certificate stays trusted, so the first report still verifies.
    assert_ne!(fingerprint(&out), fp1);
    assert!(!out.contains("Tenken 自己署名"), "{out}");
    assert!(out.contains("さくら内科クリニック"), "{out}");
    let v = tenken(&data, cwd, &["verify", first.to_str().unwrap()]);
    let vout = String::from_utf8_lossy(&v.stdout).into_owned();
    assert_eq!(v.status.code(), Some(0), "{vout}");
    let trusted = ok(&tenken(&data, cwd, &["key", "trusted", "--json"]));
    assert!(
        trusted.contains(&fp1),
        "old certificate not kept trusted: {trusted}"
    );
    // A later change of the name keeps the key (it is not a placeholder any more).
    let fp2 = fingerprint(&out);
    ok(&tenken(
        &data,
        cwd,
        &["profile", "set", "--name", "さくら内科"],
    ));
    let out = ok(&tenken(&data, cwd, &["report", "--no-scan"]));
    assert_eq!(fingerprint(&out), fp2);
}

#[test]
fn a_new_installation_with_a_clinic_name_signs_as_the_clinic() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cwd = dir.path();
    ok(&tenken(
        &data,
        cwd,
        &["profile", "set", "--name", "みどり歯科"],
    ));
    let out = ok(&tenken(&data, cwd, &["report", "--no-scan"]));
    assert!(out.contains("署名者: みどり歯科 /"), "{out}");
    let all = pdftotext(&cwd.join("tenken-report.pdf"), None);
    assert!(all.contains("CN=みどり歯科"), "{all}");
    let info = Command::new("pdfinfo")
        .arg(cwd.join("tenken-report.pdf"))
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let title = info.lines().find_map(|l| l.strip_prefix("Title:")).unwrap();
    assert!(!title.trim().ends_with('—'), "{title}");
}

#[test]
fn chart_labels_of_long_section_titles_are_not_cut() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cwd = dir.path();
    ok(&tenken(
        &data,
        cwd,
        &["--lang", "en", "report", "--no-scan"],
    ));
    let all = pdftotext(&cwd.join("tenken-report.pdf"), None);
    let chart = all
        .split("Answers per section (chart)")
        .nth(1)
        .unwrap()
        .split("Answers per item")
        .next()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for title in [
        "0 Whether a medical information system is used",
        "2 Managing and operating the medical information systems",
    ] {
        assert!(chart.contains(title), "missing {title:?} in chart: {chart}");
    }
}

/// Issue 14: 点検者 could only be set through `assessment new --assessor`, and the first report
/// was signed silently with nothing answered and no clinic name.
#[test]
fn assessor_is_set_with_the_profile_and_an_empty_first_report_warns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cwd = dir.path();
    let o = tenken(&data, cwd, &["report", "--no-scan"]);
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("回答が1件もありません"), "{err}");
    // The missing name is said by the review before signing, not again after it.
    assert!(err.contains("【医療機関名 未設定】"), "{err}");
    assert!(!err.contains("注意: 医療機関名"), "{err}");
    ok(&tenken(
        &data,
        cwd,
        &[
            "profile",
            "set",
            "--name",
            "さくら内科",
            "--assessor",
            "山田 花子",
        ],
    ));
    ok(&tenken(
        &data,
        cwd,
        &["assessment", "answer", "1-1", "--value", "はい"],
    ));
    let o = tenken(&data, cwd, &["report", "--no-scan"]);
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("回答が1件もありません"), "{err}");
    assert!(!err.contains("医療機関名 未設定"), "{err}");
    let cover = pdftotext(&cwd.join("tenken-report.pdf"), Some((1, 1)));
    assert!(cover.contains("山田 花子"), "{cover}");
}
