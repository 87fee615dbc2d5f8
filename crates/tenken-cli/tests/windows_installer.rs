//! The per-user Windows installer (`make windows-installer` →
//! `target/windows/Tenken_<version>_x64-setup.exe`, `installer/windows/tenken.nsi`) under Wine, in
//! a throwaway `WINEPREFIX`: a silent install (`/S`) without administrator rights puts the app and
//! the CLI under `%LOCALAPPDATA%\Programs\Tenken`, a Start-menu shortcut with the Japanese name and
//! an uninstall entry under HKCU; the installed CLI runs; a running Tenken stops an upgrade and the
//! uninstall (exit code 4, nothing changed); the silent uninstaller removes all of it and keeps the
//! clinic's data.
//!
//! `#[ignore]`: needs the installer and Wine, which `make windows-test` builds and installs first.
//! Without them it is skipped, unless `TENKEN_WINDOWS_REQUIRED=1` (CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{target_dir, wine};

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

fn installer() -> PathBuf {
    std::env::var_os("TENKEN_WINDOWS_INSTALLER")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join(format!("windows/Tenken_{}_x64-setup.exe", version())))
}

/// `wineserver` beside the loader, or on PATH.
fn wineserver(wine: &Path) -> PathBuf {
    let real = std::fs::canonicalize(wine).unwrap_or_else(|_| wine.to_path_buf());
    for dir in [real.parent(), wine.parent()].into_iter().flatten() {
        for name in ["wineserver", "wineserver64"] {
            if dir.join(name).is_file() {
                return dir.join(name);
            }
        }
    }
    PathBuf::from("wineserver")
}

struct Prefix {
    wine: PathBuf,
    prefix: PathBuf,
}

impl Prefix {
    fn cmd(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(&self.wine);
        cmd.arg(program)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env("TENKEN_ENCODING", "utf-8")
            .env_remove("TENKEN_LANG")
            .env_remove("TENKEN_DATA_DIR")
            .env_remove("DISPLAY");
        cmd
    }

    /// Waits until every process of the prefix has ended (the NSIS uninstaller re-launches
    /// itself from a temporary copy and returns at once).
    fn wait(&self) {
        let st = Command::new(wineserver(&self.wine))
            .arg("-w")
            .env("WINEPREFIX", &self.prefix)
            .status()
            .unwrap();
        assert!(st.success());
    }

    fn user_dir(&self) -> PathBuf {
        let users = self.prefix.join("drive_c/users");
        std::fs::read_dir(&users)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.join("AppData/Local").is_dir())
            .unwrap_or_else(|| panic!("no user profile under {}", users.display()))
    }

    /// The uninstall entry exported by Windows' own `reg` (UTF-16LE .reg file), or `None`.
    fn uninstall_entry(&self, work: &Path) -> Option<String> {
        let out = work.join("entry.reg");
        let _ = std::fs::remove_file(&out);
        let o = self
            .cmd("reg")
            .args([
                "export",
                r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Tenken",
            ])
            .arg(format!("Z:{}", out.display()).replace('/', "\\"))
            .arg("/y")
            .output()
            .unwrap();
        if !o.status.success() || !out.is_file() {
            return None;
        }
        let bytes = std::fs::read(&out).unwrap();
        let units: Vec<u16> = bytes
            .strip_prefix(&[0xff, 0xfe])
            .unwrap_or(&bytes)
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16(&units).unwrap())
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn contains_name(bytes: &[u8], name: &str) -> bool {
    let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let find = |n: &[u8]| bytes.windows(n.len()).any(|w| w == n);
    find(name.as_bytes()) || find(&utf16)
}

#[test]
#[ignore = "needs target/windows/Tenken_*_x64-setup.exe and Wine: run by `make windows-test` (part of `make test`)"]
fn installer_installs_and_uninstalls_per_user_under_wine() {
    let setup = installer();
    let required = std::env::var("TENKEN_WINDOWS_REQUIRED").is_ok_and(|v| v == "1");
    let (Some(wine), true) = (wine(), setup.is_file()) else {
        let why = format!(
            "installer test needs {} (make windows-installer) and wine64",
            setup.display()
        );
        assert!(!required, "{why}");
        eprintln!("skipped: {why}");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let p = Prefix {
        wine,
        prefix: tmp.path().join("prefix"),
    };

    // Silent install, as the user (no elevation exists or is asked for).
    let started = std::time::Instant::now();
    let o = p.cmd(&setup).arg("/S").output().unwrap();
    p.wait();
    assert!(o.status.success(), "installer failed: {}", text(&o));
    eprintln!("installed in {:?}", started.elapsed());

    let user = p.user_dir();
    let dir = user.join("AppData/Local/Programs/Tenken");
    for f in [
        "tenken-app.exe",
        "WebView2Loader.dll",
        "tenken.exe",
        "uninstall.exe",
        "LICENSE",
        "THIRD_PARTY_NOTICES.md",
    ] {
        assert!(
            dir.join(f).is_file(),
            "{f} not installed in {}",
            dir.display()
        );
    }
    // The CLI beside the app is the portable tenken.exe of the same build (`make windows-installer`
    // builds the app and the CLI in one cargo run and writes target/windows/tenken.exe from it).
    let built = target_dir().join("windows/tenken.exe");
    if built.is_file() {
        assert!(
            std::fs::read(&built).unwrap() == std::fs::read(dir.join("tenken.exe")).unwrap(),
            "installed tenken.exe differs from {}",
            built.display()
        );
    }
    // Per-user: nothing under Program Files.
    for pf in ["Program Files", "Program Files (x86)"] {
        assert!(
            !p.prefix.join("drive_c").join(pf).join("Tenken").exists(),
            "wrote into {pf}"
        );
    }

    // Start-menu shortcut with the Japanese name, pointing at the app.
    let lnk = user.join("AppData/Roaming/Microsoft/Windows/Start Menu/Programs/点検 Tenken.lnk");
    assert!(lnk.is_file(), "no shortcut {}", lnk.display());
    assert!(
        contains_name(&std::fs::read(&lnk).unwrap(), "tenken-app.exe"),
        "shortcut does not point at tenken-app.exe"
    );

    // The uninstall entry (Settings → Apps), under HKCU.
    let entry = p
        .uninstall_entry(&work)
        .expect("no HKCU uninstall entry for Tenken");
    for want in [
        "\"DisplayName\"=\"点検 Tenken\"".to_string(),
        format!("\"DisplayVersion\"=\"{}\"", version()),
        "\"Publisher\"=\"Tenken developers\"".to_string(),
        r#""UninstallString"="\"C:\\users\\"#.to_string(),
        r#"\\AppData\\Local\\Programs\\Tenken\\uninstall.exe\" /S""#.to_string(),
        "\"NoModify\"=dword:00000001".to_string(),
        "\"NoRepair\"=dword:00000001".to_string(),
    ] {
        assert!(entry.contains(&want), "{want} missing from:\n{entry}");
    }
    let size = entry
        .lines()
        .find_map(|l| l.strip_prefix("\"EstimatedSize\"=dword:"))
        .map(|h| u32::from_str_radix(h.trim(), 16).unwrap())
        .expect("EstimatedSize");
    assert!(size > 1000, "EstimatedSize {size} KB");

    // The installed CLI runs from there (Wine 8 lacks bcryptprimitives.dll, which Rust's std
    // needs; the build's stand-in goes into this throwaway prefix's system folder only).
    let sys32 = p.prefix.join("drive_c/windows/system32");
    let shim = target_dir().join("windows/wine/bcryptprimitives.dll");
    if !sys32.join("bcryptprimitives.dll").exists() && shim.is_file() {
        std::fs::copy(&shim, sys32.join("bcryptprimitives.dll")).unwrap();
    }
    let o = p
        .cmd(dir.join("tenken.exe"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains(version()), "{}", text(&o));
    // The clinic's data, which the uninstaller must keep.
    let o = p
        .cmd(dir.join("tenken.exe"))
        .args(["profile", "set", "--name", "さくら内科クリニック"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let db = user.join("AppData/Roaming/Tenken/tenken/data/tenken.sqlite3");
    assert!(db.is_file(), "no data at {}", db.display());

    // A running Tenken blocks an upgrade and the uninstall: Windows cannot replace or delete a
    // program file in use, and an upgrade would leave old and new files mixed. Both stop with exit
    // code 4 and change nothing; once it is closed, both go ahead.
    blocked_while_in_use(&p, &setup, &dir, &work);

    // Silent uninstall: files, shortcut and entry gone; the data kept.
    let started = std::time::Instant::now();
    let o = p.cmd(dir.join("uninstall.exe")).arg("/S").output().unwrap();
    p.wait();
    assert!(o.status.success(), "uninstaller failed: {}", text(&o));
    eprintln!("uninstalled in {:?}", started.elapsed());
    assert!(!dir.exists(), "{} still there", dir.display());
    assert!(!lnk.exists(), "shortcut still there");
    assert!(
        p.uninstall_entry(&work).is_none(),
        "uninstall entry still there"
    );
    assert!(db.is_file(), "the uninstaller removed the clinic's data");
}

/// The Windows form of a path inside the prefix's C: drive, else through Wine's Z: drive.
fn win_path(p: &Prefix, path: &Path) -> String {
    let c = p.prefix.join("drive_c");
    match path.strip_prefix(&c) {
        Ok(rest) => format!("C:\\{}", rest.display()).replace('/', "\\"),
        Err(_) => format!("Z:{}", path.display()).replace('/', "\\"),
    }
}

/// Builds tests/windows/hold_open.c with MinGW-w64: it keeps a file open the way a running program
/// keeps its exe (read allowed, writing and deleting refused) until a release file appears.
fn hold_open_exe(work: &Path) -> PathBuf {
    let exe = work.join("hold_open.exe");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/windows/hold_open.c");
    let o = Command::new("x86_64-w64-mingw32-gcc-posix")
        .args(["-municode", "-O2", "-static", "-o"])
        .arg(&exe)
        .arg(&src)
        .output()
        .expect("x86_64-w64-mingw32-gcc-posix (scripts/deps.sh windows) builds the test helper");
    assert!(o.status.success(), "hold_open.c: {}", text(&o));
    exe
}

fn blocked_while_in_use(p: &Prefix, setup: &Path, dir: &Path, work: &Path) {
    use std::io::BufRead;
    let holder = hold_open_exe(work);
    let release = work.join("release.flag");
    let app = dir.join("tenken-app.exe");
    let app_before = std::fs::read(&app).unwrap();
    let mut hold = p
        .cmd(&holder)
        .arg(win_path(p, &app))
        .arg(win_path(p, &release))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(hold.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(
        first.trim(),
        "held",
        "the helper could not hold {}",
        app.display()
    );

    let o = p.cmd(setup).arg("/S").output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(4),
        "installing over a running app must stop with exit code 4: {}",
        text(&o)
    );
    assert_eq!(
        std::fs::read(&app).unwrap(),
        app_before,
        "the app file changed"
    );

    // `_?=` runs the uninstaller in place and waits for it (without it, NSIS re-launches a copy
    // and returns at once, and the prefix cannot be waited for while the helper runs).
    let o = p
        .cmd(dir.join("uninstall.exe"))
        .arg("/S")
        .arg(format!("_?={}", win_path(p, dir)))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(4),
        "uninstalling a running app must stop with exit code 4: {}",
        text(&o)
    );
    for f in ["tenken-app.exe", "tenken.exe", "uninstall.exe"] {
        assert!(dir.join(f).is_file(), "{f} removed while the app ran");
    }
    assert!(
        p.uninstall_entry(work).is_some(),
        "uninstall entry removed while the app ran"
    );

    // Closed: the same upgrade goes through.
    std::fs::write(&release, b"").unwrap();
    assert!(hold.wait().unwrap().success(), "helper failed");
    p.wait();
    let o = p.cmd(setup).arg("/S").output().unwrap();
    p.wait();
    assert!(
        o.status.success(),
        "installing after the app was closed: {}",
        text(&o)
    );
}
