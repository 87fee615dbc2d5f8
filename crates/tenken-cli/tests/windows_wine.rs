//! Issue 13: the portable Windows build (`make windows` → `target/windows/tenken.exe`) end to end
//! under Wine, with its own `WINEPREFIX` in a temporary directory: Japanese arguments, a scan in
//! which every probe ends, the signed report checked by pdfsig and pyHanko here on Linux, verify,
//! import of a bundle signed by the Linux build, the data directory under `%APPDATA%` and the key in
//! the Windows Credential Manager (as far as Wine implements it).
//!
//! `#[ignore]`: it needs the exe and Wine, which `make windows-test` (part of `make test`) builds
//! and installs first. Without them it is skipped, unless `TENKEN_WINDOWS_REQUIRED=1` (CI), which
//! makes their absence a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

mod common;
use common::{fixture, ok, target_dir, wine};

/// Where `scripts/windows-build.sh` puts the exe with the Wine-only `bcryptprimitives.dll` shim.
fn exe_dir() -> PathBuf {
    std::env::var_os("TENKEN_WINDOWS_EXE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("windows/wine"))
}

/// The exe and Wine, or `None` (skip) — a failure when `TENKEN_WINDOWS_REQUIRED=1`.
fn setup() -> Option<(PathBuf, PathBuf)> {
    let exe = exe_dir().join("tenken.exe");
    let required = std::env::var("TENKEN_WINDOWS_REQUIRED").is_ok_and(|v| v == "1");
    match (exe.is_file(), wine()) {
        (true, Some(w)) => Some((exe, w)),
        (has_exe, w) => {
            let why = format!(
                "Windows test needs {} (make windows) and wine64 (scripts/deps.sh windows): exe {}, wine {}",
                exe.display(),
                if has_exe { "found" } else { "missing" },
                if w.is_some() { "found" } else { "missing" }
            );
            assert!(!required, "{why}");
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// One Wine prefix (a fresh Windows user profile) and a working folder for the files.
struct Win {
    exe: PathBuf,
    wine: PathBuf,
    prefix: PathBuf,
    work: PathBuf,
}

impl Win {
    /// Runs `tenken.exe ARGS` in the work folder (relative paths resolve there, on Wine's Z:
    /// drive) with the OS default data directory, Japanese output and `extra` environment.
    fn run_env(&self, args: &[&str], extra: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(&self.wine);
        cmd.arg(&self.exe)
            .args(args)
            .current_dir(&self.work)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            // No Mono/Gecko installation dialogs when the prefix is created.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("TENKEN_LANG")
            .env_remove("TENKEN_DATA_DIR")
            .env_remove("TENKEN_KEYSTORE")
            // This test reads stdout as UTF-8 whatever locale Wine takes its code pages from;
            // the code-page behaviour has its own test below.
            .env("TENKEN_ENCODING", "utf-8")
            .env_remove("DISPLAY");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// `%APPDATA%` of the prefix's user (Wine names the user after the Unix one).
    fn appdata(&self) -> PathBuf {
        let users = self.prefix.join("drive_c/users");
        let me = std::fs::read_dir(&users)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.join("AppData/Roaming").is_dir())
            .unwrap_or_else(|| panic!("no user profile under {}", users.display()));
        me.join("AppData/Roaming")
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// pyHanko CLI from the virtualenv the signing tests keep under `target/pyhanko-venv`.
fn pyhanko() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let venv = target_dir().join("pyhanko-venv");
        let bin = venv.join("bin/pyhanko");
        if !bin.exists() {
            let st = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .expect("python3 -m venv (apt-get install python3-venv)");
            assert!(st.success(), "python3 -m venv failed");
            let st = Command::new(venv.join("bin/pip"))
                .args([
                    "install",
                    "-q",
                    "pyhanko",
                    "pyhanko-certvalidator",
                    "pyhanko-cli",
                ])
                .status()
                .expect("pip install pyhanko");
            assert!(st.success(), "pip install pyhanko failed");
        }
        bin
    })
}

/// Probes that read the native socket table (iphlpapi), which Wine answers from the Linux
/// host's real sockets: they can know their answer, so they may say 適合.
const NATIVE_SOCKET_PROBES: [&str; 2] = ["ports.listening", "net.peers"];

/// Probes whose only source is Tenken's PowerShell script: with Wine's non-working PowerShell
/// stub they must say 未確認 because the command is missing.
const POWERSHELL_ONLY: [&str; 12] = [
    "accounts.local",
    "antivirus.status",
    "backup.evidence",
    "log.retention",
    "net.gateway",
    "os.patches",
    "os.support",
    "remote.rdp",
    "remote.tools",
    "screen.lock",
    "smb.v1",
    "usb.storage",
];

#[test]
#[ignore = "needs target/windows/wine/tenken.exe and Wine: run by `make windows-test` (part of `make test`)"]
fn tenken_exe_end_to_end_under_wine() {
    let Some((exe, wine)) = setup() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let w = Win {
        exe,
        wine,
        prefix: tmp.path().join("prefix"),
        work: work.clone(),
    };

    // The first start creates the prefix (about 10 s).
    let o = w.run(&["--version"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("tenken"), "{}", text(&o));

    // Checklists are built in.
    let list = ok(&w.run(&["checklist", "list"]));
    assert!(list.contains("mhlw-r7"), "{list}");
    assert!(
        list.contains("医療機関におけるサイバーセキュリティ対策チェックリスト"),
        "{list}"
    );

    // Japanese arguments arrive intact and come back unchanged.
    ok(&w.run(&[
        "profile",
        "set",
        "--name",
        "さくら内科クリニック",
        "--security-officer",
        "山田 花子",
        "--system",
        "電子カルテ",
    ]));
    let p: serde_json::Value =
        serde_json::from_str(&ok(&w.run(&["profile", "show", "--json"]))).unwrap();
    assert_eq!(p["name"], "さくら内科クリニック");
    assert_eq!(p["security_officer"], "山田 花子");
    assert_eq!(p["systems"][0], "電子カルテ", "{p}");
    ok(&w.run(&["assessment", "new"]));
    let note = "院長が確認済み（令和８年度・ＵＳＢ保管庫）";
    let a = ok(&w.run(&[
        "assessment",
        "answer",
        "1-1",
        "--value",
        "はい",
        "--note",
        note,
    ]));
    assert!(a.contains("保存しました"), "{a}");
    let show = ok(&w.run(&["assessment", "show", "1", "--json"]));
    assert!(show.contains(note), "note lost or garbled: {show}");

    // The data directory is the Windows one: %APPDATA%\Tenken\tenken\data.
    let data = w.appdata().join("Tenken/tenken/data");
    assert!(
        data.join("tenken.sqlite3").is_file(),
        "database not under %APPDATA%: {}",
        data.display()
    );

    // Scan: every probe ends, nothing panics, nothing claims 適合 it cannot know, and a
    // missing PowerShell is said to be missing.
    let started = Instant::now();
    let o = w.run(&["scan", "--quiet", "--json", "scan.json"]);
    let took = started.elapsed();
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("panicked"), "{}", text(&o));
    assert!(
        took < Duration::from_secs(180),
        "scan took {took:?}: some probe did not end"
    );
    let bundle =
        tenken_core::evidence::Bundle::from_json(&std::fs::read(work.join("scan.json")).unwrap())
            .unwrap();
    assert_eq!(bundle.host.os_family, "windows");
    let ids: Vec<&str> = bundle
        .findings
        .iter()
        .map(|f| f.probe_id.as_str())
        .collect();
    for id in POWERSHELL_ONLY.iter().chain(&NATIVE_SOCKET_PROBES) {
        assert!(ids.contains(id), "{id} missing from the scan: {ids:?}");
    }
    for f in &bundle.findings {
        use tenken_core::evidence::{UnknownReason, Verdict};
        assert_ne!(
            f.reason,
            Some(UnknownReason::Timeout),
            "{} timed out",
            f.probe_id
        );
        if f.verdict == Verdict::Pass {
            assert!(
                NATIVE_SOCKET_PROBES.contains(&f.probe_id.as_str()),
                "{} says 適合 under Wine, where it cannot know: {}",
                f.probe_id,
                f.summary.ja
            );
        }
        if POWERSHELL_ONLY.contains(&f.probe_id.as_str()) {
            assert_eq!(f.verdict, Verdict::Unknown, "{}", f.probe_id);
            assert_eq!(
                f.reason,
                Some(UnknownReason::CommandMissing),
                "{}: {}",
                f.probe_id,
                f.summary.ja
            );
            assert!(
                f.summary.ja.contains("コマンドがこのPCにありません"),
                "{}",
                f.summary.ja
            );
        }
        if !NATIVE_SOCKET_PROBES.contains(&f.probe_id.as_str()) {
            assert_eq!(
                f.verdict,
                Verdict::Unknown,
                "{}: {:?}",
                f.probe_id,
                f.verdict
            );
        }
    }

    // The signed report, checked by third-party verifiers on this side.
    let o = w.run(&["report", "--out", "report.pdf"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("署名付き報告書を作成しました"), "{out}");
    let pdf = work.join("report.pdf");
    let sig = Command::new("pdfsig")
        .arg(&pdf)
        .output()
        .expect("pdfsig (poppler-utils)");
    let sig = text(&sig);
    assert!(sig.contains("Signature is Valid."), "{sig}");
    assert!(sig.contains("Total document signed"), "{sig}");
    assert!(sig.contains("さくら内科クリニック"), "{sig}");
    let pem = work.join("win.pem");
    std::fs::write(&pem, ok(&w.run(&["key", "cert"]))).unwrap();
    let ph = Command::new(pyhanko())
        .args(["sign", "validate", "--no-revocation-check", "--trust"])
        .arg(&pem)
        .arg("--trust-replace")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(ph.status.success(), "pyHanko: {}", text(&ph));

    // verify (tenken's own verifier, on Windows).
    let v = w.run(&["verify", "report.pdf", "--json"]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    let v: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(v["status"], "valid", "{v}");
    assert_eq!(v["signatures"][0]["signer"], "さくら内科クリニック", "{v}");

    // The key lives in the Windows Credential Manager (Wine implements CredWriteW/CredReadW in
    // its registry) and a second process reads it back: the same certificate signs again.
    let key: serde_json::Value =
        serde_json::from_str(&ok(&w.run(&["key", "show", "--json"]))).unwrap();
    assert_eq!(key["storage"], "os-keystore", "{key}");
    assert!(
        key["keystore_entry"]["backend"]
            .as_str()
            .unwrap_or_default()
            .contains("Credential Manager"),
        "{key}"
    );
    assert!(
        !data.join("keys/signing-key.pem").exists(),
        "the private key must not also be in a file"
    );
    let fp = key["fingerprint_sha256"].as_str().unwrap().to_string();
    ok(&w.run(&["report", "--no-scan", "--out", "again.pdf"]));
    let v2: serde_json::Value =
        serde_json::from_slice(&w.run(&["verify", "again.pdf", "--json"]).stdout).unwrap();
    assert_eq!(v2["signatures"][0]["fingerprint_sha256"], fp.as_str());

    // A data folder given explicitly (a vendor's USB stick) keeps its key in a file, and says why.
    let usb = w.run(&[
        "--data-dir",
        "usb-data",
        "key",
        "generate",
        "--name",
        "ＡＢＣメディカル",
    ]);
    assert!(usb.status.success(), "{}", text(&usb));
    let k: serde_json::Value = serde_json::from_str(&ok(&w.run(&[
        "--data-dir",
        "usb-data",
        "key",
        "show",
        "--json",
    ])))
    .unwrap();
    assert_eq!(k["storage"], "file", "{k}");
    assert_eq!(k["file_reason"], "explicit-data-dir", "{k}");
    assert!(work.join("usb-data/keys").is_dir());

    // Import: a bundle scanned and signed by the Linux build, trusted once.
    let linux_data = tmp.path().join("linux-data");
    let lb = work.join("linux-pc.tenken.json");
    ok(&common::tenken(
        &linux_data,
        &["assessment", "new", "--name", "リナックス診療所"],
    ));
    ok(&common::tenken(
        &linux_data,
        &[
            "scan",
            "--quiet",
            "--replay",
            fixture("linux").to_str().unwrap(),
            "--json",
            lb.to_str().unwrap(),
        ],
    ));
    std::fs::write(
        work.join("linux.pem"),
        ok(&common::tenken(&linux_data, &["key", "cert"])),
    )
    .unwrap();
    let refused = w.run(&["import", "linux-pc.tenken.json"]);
    assert!(!refused.status.success(), "untrusted bundle accepted");
    assert!(
        text(&refused).contains("信頼されていません"),
        "{}",
        text(&refused)
    );
    ok(&w.run(&["key", "trust", "linux.pem"]));
    let imp = ok(&w.run(&["import", "linux-pc.tenken.json"]));
    assert!(imp.contains("署名確認済み"), "{imp}");
    let ledger: serde_json::Value =
        serde_json::from_str(&ok(&w.run(&["ledger", "--json"]))).unwrap();
    let hosts = ledger["hosts"].as_array().unwrap();
    assert!(
        hosts
            .iter()
            .any(|h| h["host"] == "SYNTH-LINUX" && h["trust"] == "verified"),
        "{ledger}"
    );

    // The fleet deployment recipe (docs/deploy.md): the scheduled task's command line, exactly
    // as an administrator types it (quotes included, run by cmd.exe so %COMPUTERNAME% and
    // %ProgramData% expand; a batch file so cmd reads it as written), writes this PC's signed
    // bundle into the collection folder; an unreachable folder fails with exit code 2 and a plain
    // message, writing nothing.
    let share = work.join("share");
    std::fs::create_dir_all(&share).unwrap();
    let exe_win = format!("Z:{}", w.exe.display()).replace('/', "\\");
    let share_win = format!("Z:{}", share.display()).replace('/', "\\");
    std::fs::write(
        work.join("task.bat"),
        format!(
            "@\"{exe_win}\" --data-dir \"%ProgramData%\\Tenken\" scan --quiet --json \"{share_win}\\%COMPUTERNAME%.tenken.json\"\r\n"
        ),
    )
    .unwrap();
    std::fs::write(
        work.join("unreachable.bat"),
        format!(
            "@\"{exe_win}\" scan --quiet --json \"Z:\\no\\such\\share\\%COMPUTERNAME%.tenken.json\"\r\n"
        ),
    )
    .unwrap();
    let bat = |name: &str| {
        let mut cmd = Command::new(&w.wine);
        cmd.args(["cmd", "/c", name])
            .current_dir(&work)
            .env("WINEPREFIX", &w.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env("TENKEN_ENCODING", "utf-8")
            .env_remove("DISPLAY");
        cmd.output().unwrap()
    };
    let o = bat("task.bat");
    assert!(
        o.status.success(),
        "scheduled-task command failed: {}",
        text(&o)
    );
    let written: Vec<String> = std::fs::read_dir(&share)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written.iter().any(|n| n.ends_with(".tenken.json"))
            && written.iter().any(|n| n.ends_with(".tenken.json.p7s")),
        "{written:?}"
    );
    assert!(
        !written
            .iter()
            .any(|n| n.contains("%COMPUTERNAME%") || n.ends_with(".tmp")),
        "{written:?}"
    );
    let o = bat("unreachable.bat");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("エラー"), "{}", text(&o));
}

/// Decodes CP932 bytes, failing on any byte sequence CP932 does not have.
fn cp932(bytes: &[u8]) -> String {
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
    assert!(!bad, "not CP932: {bytes:02x?}");
    decoded.into_owned()
}

/// Japanese Windows from cmd.exe (code page 932): what `tenken.exe` prints into a file or a pipe
/// is CP932, so `type`, `findstr`, Windows PowerShell's `$x = tenken.exe ...` and a batch file's
/// `> out.txt` read it without mojibake; Japanese arguments written in a CP932 batch file arrive
/// intact; `--json` is ASCII (same text in every code page), `ledger --csv` stays UTF-8 with its
/// BOM, and `--encoding utf-8` gives UTF-8. Wine takes its ANSI and OEM code pages from the
/// locale, so `LANG=ja_JP.UTF-8` makes it a Japanese Windows (932/932).
#[test]
#[ignore = "needs target/windows/wine/tenken.exe and Wine: run by `make windows-test` (part of `make test`)"]
fn japanese_output_in_code_page_932_under_wine() {
    let Some((exe, wine)) = setup() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let exe_win = format!("Z:{}", exe.display()).replace('/', "\\");
    let t = format!("@\"{exe_win}\" --data-dir data");
    // A batch file as Notepad saves it on Japanese Windows ("ANSI" = CP932); cmd reads it in the
    // console's code page.
    let bat = format!(
        "@chcp 932 >nul 2>&1\r\n\
         {t} profile set --name さくら内科クリニック --system 電子カルテ > set.txt\r\n\
         {t} profile show > show.txt\r\n\
         {t} profile show --json > show.json\r\n\
         {t} checklist list > list.txt\r\n\
         {t} assessment answer 99-99 --value はい 2> err.txt\r\n\
         {t} assessment new > new.txt\r\n\
         {t} ledger --csv > ledger.csv\r\n\
         {t} --encoding utf-8 checklist list > list-utf8.txt\r\n"
    );
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&bat);
    assert!(!unmappable);
    std::fs::write(work.join("jp.bat"), &bytes).unwrap();
    let o = Command::new(&wine)
        .args(["cmd", "/c", "jp.bat"])
        .current_dir(&work)
        .env("WINEPREFIX", tmp.path().join("prefix"))
        .env("WINEDEBUG", "-all")
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .env("LANG", "ja_JP.UTF-8")
        .env("LC_ALL", "ja_JP.UTF-8")
        .env_remove("TENKEN_ENCODING")
        .env_remove("TENKEN_LANG")
        .env_remove("TENKEN_DATA_DIR")
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let read = |name: &str| std::fs::read(work.join(name)).unwrap();

    // Text is CP932: not UTF-8, decodes without a bad byte, the Japanese argument came back.
    let show = read("show.txt");
    assert!(std::str::from_utf8(&show).is_err(), "show.txt is UTF-8");
    let show = cp932(&show);
    assert!(show.contains("さくら内科クリニック"), "{show}");
    assert!(show.contains("電子カルテ"), "{show}");
    assert!(cp932(&read("set.txt")).contains("保存"), "set.txt");
    let list = cp932(&read("list.txt"));
    assert!(
        list.contains("医療機関におけるサイバーセキュリティ対策チェックリスト"),
        "{list}"
    );
    // Error messages on stderr too.
    let err = cp932(&read("err.txt"));
    assert!(err.contains("エラー"), "{err}");

    // JSON: ASCII only, the same document in every code page.
    let json = read("show.json");
    assert!(
        json.is_ascii(),
        "JSON not ASCII: {}",
        String::from_utf8_lossy(&json)
    );
    let p: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(p["name"], "さくら内科クリニック");
    assert_eq!(p["systems"][0], "電子カルテ");

    // Data keeps its bytes: the ledger CSV is UTF-8 with a BOM (for Excel).
    let csv = read("ledger.csv");
    assert!(csv.starts_with(b"\xef\xbb\xbf"), "{csv:02x?}");
    assert!(std::str::from_utf8(&csv).is_ok());

    // Asked for: UTF-8.
    let utf8 = String::from_utf8(read("list-utf8.txt")).expect("--encoding utf-8 gave no UTF-8");
    assert!(utf8.contains("医療機関におけるサイバーセキュリティ対策チェックリスト"));
}
