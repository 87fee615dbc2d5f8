//! The private key in a real OS key store: a private D-Bus session (`dbus-run-session`) with an
//! unlocked `gnome-keyring-daemon` (Secret Service), then `tenken key generate` for the default
//! data directory (inside a temporary HOME), a second process loading the key, countersigning a
//! PDF and `tenken verify`; an explicit `--data-dir` keeps its key in a file unless
//! `TENKEN_KEYSTORE=os`; and the fallbacks with no D-Bus session at all.
//!
//! Needs `dbus-run-session` (dbus), `gnome-keyring-daemon` (gnome-keyring) and `secret-tool`
//! (libsecret-tools), installed by `scripts/deps.sh`. When they are missing the test fails if
//! `TENKEN_KEYRING_REQUIRED=1` (CI) and otherwise skips with the reason printed.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Whether the Secret Service tools are present; prints why not.
fn tools_present() -> bool {
    let missing: Vec<&str> = ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"]
        .into_iter()
        .filter(|t| {
            Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .output()
                .map(|o| !o.status.success())
                .unwrap_or(true)
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "missing {} (apt-get install dbus gnome-keyring libsecret-tools, or scripts/deps.sh)",
        missing.join(", ")
    );
    if std::env::var("TENKEN_KEYRING_REQUIRED").as_deref() == Ok("1") {
        panic!("TENKEN_KEYRING_REQUIRED=1 but {msg}");
    }
    eprintln!("SKIPPED: {msg}");
    false
}

/// Every file under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Asserts that no file under `dir` holds a private key.
fn assert_no_private_key_file(dir: &Path) {
    for f in files_under(dir) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !bytes.windows(11).any(|w| w == b"PRIVATE KEY"),
            "a private key is stored in {}",
            f.display()
        );
        assert_ne!(f.file_name().unwrap(), "signing-key.pem");
    }
}

/// `tenken` with no D-Bus session reachable (a fresh, empty runtime directory); `data` None =
/// the default data directory under `home`.
fn tenken_no_bus(
    home: &Path,
    data: Option<&Path>,
    keystore: Option<&str>,
    args: &[&str],
) -> Output {
    let runtime = home.join("no-bus-runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let mut c = Command::new(common::BIN);
    if let Some(d) = data {
        c.arg("--data-dir").arg(d);
    }
    c.args(args)
        .env_remove("TENKEN_LANG")
        .env_remove("TENKEN_DATA_DIR")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("HOME", home);
    match keystore {
        Some(k) => c.env("TENKEN_KEYSTORE", k),
        None => c.env_remove("TENKEN_KEYSTORE"),
    };
    c.output().unwrap()
}

/// The shell script run inside `dbus-run-session`: start an unlocked keyring, wait until it
/// stores items, then use the key from two processes.
const SESSION_SCRIPT: &str = r#"
set -eu
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'tenken-test-password' | gnome-keyring-daemon --unlock --components=secrets)"
ready=no
for _ in $(seq 1 100); do
  if printf probe | secret-tool store --label=probe tenken-test probe 2>/dev/null; then ready=yes; break; fi
  sleep 0.1
done
[ "$ready" = yes ] || { echo "gnome-keyring did not become ready" >&2; exit 90; }
# The installation's own (default) data directory: $XDG_DATA_HOME/tenken.
"$TENKEN" key generate --name "鍵テスト医院" > "$OUT/generate.txt"
"$TENKEN" key show --json > "$OUT/show1.json"
"$TENKEN" key show --json > "$OUT/show2.json"
"$TENKEN" countersign "$OUT/in.pdf" --out "$OUT/signed.pdf" > /dev/null
"$TENKEN" verify --json "$OUT/signed.pdf" > "$OUT/verify.json"
account=$(sed -n 's/.*"account": "\(.*\)".*/\1/p' "$DATA/keys/key.json")
secret-tool lookup service tenken username "$account" | od -An -tx1 | head -c 12 > "$OUT/secret-head.txt"
# generate --force removes the old entry.
"$TENKEN" key generate --force --name "鍵テスト医院" > /dev/null
if secret-tool lookup service tenken username "$account" > /dev/null 2>&1; then
  echo "old entry still present" > "$OUT/old-entry.txt"
fi
"$TENKEN" key show --json > "$OUT/show3.json"
# An explicit data directory (a vendor's USB stick) keeps its key in a file under auto ...
"$TENKEN" --data-dir "$OUT/usb" key show --json > /dev/null 2>&1 || true
"$TENKEN" --data-dir "$OUT/usb" key generate > /dev/null
"$TENKEN" --data-dir "$OUT/usb" key show --json > "$OUT/usb.json"
# ... and in this PC's key store when asked to, under its own account.
TENKEN_KEYSTORE=os "$TENKEN" --data-dir "$OUT/osdir" key generate > /dev/null
TENKEN_KEYSTORE=os "$TENKEN" --data-dir "$OUT/osdir" key show --json > "$OUT/osdir.json"
"#;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn secret_service_holds_the_key_and_two_processes_sign_with_it() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    // The default data directory of `directories` on Linux: $XDG_DATA_HOME/tenken.
    let data = home.join(".local/share/tenken");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("in.pdf"), common::tiny_pdf()).unwrap();
    let script = dir.path().join("session.sh");
    std::fs::write(&script, SESSION_SCRIPT).unwrap();
    let o = Command::new("dbus-run-session")
        .arg("--")
        .arg("sh")
        .arg(&script)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("TENKEN_KEYSTORE")
        .env_remove("TENKEN_LANG")
        .env_remove("TENKEN_DATA_DIR")
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_RUNTIME_DIR", home.join("runtime"))
        .env("TENKEN", common::BIN)
        .env("DATA", &data)
        .env("OUT", &out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "session script failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );

    // Where the key lives, as printed and as recorded.
    let gen_text = std::fs::read_to_string(out.join("generate.txt")).unwrap();
    assert!(
        gen_text.contains("秘密鍵の保管場所: OSのキーストア（Secret Service）"),
        "{gen_text}"
    );
    let show1 = json(&out.join("show1.json"));
    let show2 = json(&out.join("show2.json"));
    assert_eq!(show1["storage"], "os-keystore");
    assert_eq!(show1["keystore_entry"]["service"], "tenken");
    assert_eq!(show1["keystore_entry"]["backend"], "Secret Service");
    // A second process loaded the same key.
    let fp = show1["fingerprint_sha256"].as_str().unwrap();
    assert_eq!(show2["fingerprint_sha256"], fp);
    // The entry holds a DER PKCS#8 key (starts with a SEQUENCE tag 0x30).
    let head = std::fs::read_to_string(out.join("secret-head.txt")).unwrap();
    assert!(head.trim_start().starts_with("30"), "secret: {head:?}");
    // The countersigned PDF verifies and names the same certificate.
    let v = json(&out.join("verify.json"));
    assert_eq!(v["status"], "valid", "{v}");
    assert_eq!(v["signatures"][0]["fingerprint_sha256"], fp);
    // --force replaced the key and removed the old entry.
    assert!(!out.join("old-entry.txt").exists(), "old entry left behind");
    let show3 = json(&out.join("show3.json"));
    assert_eq!(show3["storage"], "os-keystore");
    assert_ne!(show3["fingerprint_sha256"], fp);
    assert_ne!(
        show3["keystore_entry"]["account"],
        show1["keystore_entry"]["account"]
    );

    // Explicit data directories: a file under auto, the key store (own account) under os.
    let usb = json(&out.join("usb.json"));
    assert_eq!(usb["storage"], "file");
    assert!(usb["storage_note"].as_str().unwrap().contains("--data-dir"));
    assert_eq!(usb["file_reason"], "explicit-data-dir");
    assert!(out.join("usb/keys/signing-key.pem").exists());
    let osdir = json(&out.join("osdir.json"));
    assert_eq!(osdir["storage"], "os-keystore");
    assert_ne!(
        osdir["keystore_entry"]["account"].as_str().unwrap()[..29],
        show3["keystore_entry"]["account"].as_str().unwrap()[..29],
        "two data directories never share an entry"
    );
    assert_no_private_key_file(&out.join("osdir"));

    // On disk: key.json says os-keystore and no private key file exists anywhere.
    let loc = json(&data.join("keys/key.json"));
    assert_eq!(loc["location"], "os-keystore");
    assert_eq!(loc["entry"]["account"], show3["keystore_entry"]["account"]);
    assert_no_private_key_file(&data);

    // The session (and its keyring) is gone: loading is a clear error, never a new key.
    let cert_before = std::fs::read(data.join("keys/signing-cert.pem")).unwrap();
    let o = tenken_no_bus(&home, None, None, &["key", "show"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("OSのキーストア"), "{err}");
    assert!(err.contains("新しい鍵は作っていません"), "{err}");
    let o = tenken_no_bus(
        &home,
        None,
        None,
        &[
            "countersign",
            out.join("in.pdf").to_str().unwrap(),
            "--out",
            out.join("again.pdf").to_str().unwrap(),
        ],
    );
    assert_ne!(o.status.code(), Some(0), "{o:?}");
    assert!(!out.join("again.pdf").exists());
    assert_eq!(
        std::fs::read(data.join("keys/signing-cert.pem")).unwrap(),
        cert_before
    );
    assert_no_private_key_file(&data);
}

#[test]
fn without_a_session_bus_auto_uses_an_owner_only_file_and_os_fails() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();

    // auto, the installation's own data directory: falls back to the 0600 file and says so.
    let data = home.join(".local/share/tenken");
    let o = tenken_no_bus(
        &home,
        None,
        None,
        &["key", "generate", "--name", "予備医院"],
    );
    let text = common::ok(&o);
    assert!(
        text.contains("秘密鍵の保管場所: ファイル（所有者のみ読み取り可）"),
        "{text}"
    );
    assert!(
        text.contains("OSのキーストアを使わなかった理由: OSのキーストアが使えなかったため"),
        "{text}"
    );
    let loc = json(&data.join("keys/key.json"));
    assert_eq!(loc["location"], "file");
    assert!(loc["note"].as_str().unwrap().contains("Secret Service"));
    {
        use std::os::unix::fs::PermissionsExt;
        let key = data.join("keys/signing-key.pem");
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let show = tenken_no_bus(&home, None, None, &["key", "show", "--json"]);
    let info: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(info["storage"], "file");

    // os: a clear error and nothing written.
    let data = dir.path().join("os");
    let o = tenken_no_bus(&home, Some(&data), Some("os"), &["key", "generate"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("OSのキーストア"), "{err}");
    assert!(err.contains("Secret Service"), "{err}");
    assert!(!data.exists(), "TENKEN_KEYSTORE=os must write nothing");

    // An unknown value is refused, also without writing.
    let data = dir.path().join("bad");
    let o = tenken_no_bus(&home, Some(&data), Some("cloud"), &["key", "generate"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("TENKEN_KEYSTORE=cloud"));
    assert!(!data.exists());
}
