//! Tests of the key store: policies, the OS key store (faked), files and their modes.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn a_key_store_call_that_hangs_gives_up_with_a_message() {
    let slow = within(std::time::Duration::from_millis(50), || {
        std::thread::sleep(std::time::Duration::from_secs(3));
        Ok(1)
    });
    let err = slow.unwrap_err();
    assert!(err.contains("応答しませんでした"), "{err}");
    assert_eq!(
        within(std::time::Duration::from_secs(5), || Ok::<_, String>(7)),
        Ok(7)
    );
    assert_eq!(
        within(std::time::Duration::from_secs(5), || Err::<u8, _>(
            "locked".into()
        )),
        Err("locked".to_string())
    );
}

#[test]
fn the_certificate_is_shown_without_reading_the_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeStore::default());
    let ks = store(dir.path(), &fake, KeyPolicy::Auto);
    let made = ks.generate("さくら医院", false).unwrap();
    fake.set_down(true);
    // The key store is locked: using the key fails, showing the certificate does not.
    assert!(ks.info().is_err());
    let shown = ks.certificate_info().unwrap();
    assert_eq!(shown.cert.fingerprint_sha256, made.cert.fingerprint_sha256);
    assert_eq!(shown.storage, made.storage);
    assert_eq!(shown.chain_len, made.chain_len);
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        KeyStore::open(empty.path()).certificate_info(),
        Err(SignError::NoKey)
    ));
}

/// An in-memory key store that can be switched off like a locked/absent keyring.
#[derive(Default)]
struct FakeStore {
    items: Mutex<HashMap<(String, String), Vec<u8>>>,
    down: AtomicBool,
}

impl FakeStore {
    fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }
    fn check(&self) -> Result<(), String> {
        if self.down.load(Ordering::SeqCst) {
            Err("no secret service provider or dbus session found".into())
        } else {
            Ok(())
        }
    }
    fn accounts(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .items
            .lock()
            .unwrap()
            .keys()
            .map(|(_, a)| a.clone())
            .collect();
        v.sort();
        v
    }
}

impl SecretStore for FakeStore {
    fn name(&self) -> &'static str {
        "Fake"
    }
    fn set(&self, service: &str, account: &str, secret: &[u8]) -> Result<(), String> {
        self.check()?;
        self.items
            .lock()
            .unwrap()
            .insert((service.into(), account.into()), secret.to_vec());
        Ok(())
    }
    fn get(&self, service: &str, account: &str) -> Result<Vec<u8>, String> {
        self.check()?;
        self.items
            .lock()
            .unwrap()
            .get(&(service.into(), account.into()))
            .cloned()
            .ok_or_else(|| "No matching entry found in secure storage".into())
    }
    fn delete(&self, service: &str, account: &str) -> Result<(), String> {
        self.check()?;
        self.items
            .lock()
            .unwrap()
            .remove(&(service.into(), account.into()));
        Ok(())
    }
}

fn store(dir: &Path, fake: &Arc<FakeStore>, policy: KeyPolicy) -> KeyStore {
    KeyStore::open(dir)
        .with_policy(policy)
        .with_installation_dir(true)
        .with_secret_store(fake.clone())
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
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

fn no_private_key_file(dir: &Path) {
    for f in files_under(dir) {
        let text = fs::read(&f).unwrap();
        assert!(
            !text.windows(11).any(|w| w == b"PRIVATE KEY"),
            "private key found in {}",
            f.display()
        );
    }
}

#[test]
fn policy_parses_and_rejects_unknown_values() {
    assert_eq!(KeyPolicy::parse("").unwrap(), KeyPolicy::Auto);
    assert_eq!(KeyPolicy::parse("AUTO").unwrap(), KeyPolicy::Auto);
    assert_eq!(KeyPolicy::parse("os").unwrap(), KeyPolicy::Os);
    assert_eq!(KeyPolicy::parse(" file ").unwrap(), KeyPolicy::File);
    assert!(KeyPolicy::parse("keychain").is_err());
}

#[test]
fn auto_puts_the_key_in_the_os_store_and_a_second_instance_loads_it() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeStore::default());
    let ks = store(dir.path(), &fake, KeyPolicy::Auto);
    let info = ks.generate("さくら医院", false).unwrap();
    assert_eq!(info.storage, KeyStorage::OsKeystore);
    let entry = info.keystore_entry.clone().unwrap();
    assert_eq!(entry.service, KEYSTORE_SERVICE);
    assert_eq!(fake.accounts(), vec![entry.account.clone()]);
    assert!(!ks.dir().join(KEY_FILE).exists());
    no_private_key_file(dir.path());
    let loc: serde_json::Value =
        serde_json::from_slice(&fs::read(ks.dir().join(LOCATION_FILE)).unwrap()).unwrap();
    assert_eq!(loc["location"], "os-keystore");
    assert_eq!(loc["entry"]["account"], entry.account.as_str());
    assert_eq!(
        info.storage_label(tenken_base::Lang::Ja),
        "OSのキーストア（Fake）"
    );

    // Another KeyStore value (as another process would) loads the same key and signs.
    let again = store(dir.path(), &fake, KeyPolicy::File);
    let signer = again.signer("ignored").unwrap();
    assert_eq!(
        fingerprint(signer.certificate_der()),
        info.cert.fingerprint_sha256
    );
    assert!(!signer.sign(b"data").unwrap().is_empty());
}

#[test]
fn auto_keeps_an_explicit_data_dirs_key_in_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeStore::default());
    // A temporary directory is not the default data directory: it may travel.
    let ks = KeyStore::open(dir.path())
        .with_policy(KeyPolicy::Auto)
        .with_secret_store(fake.clone());
    assert!(!ks.is_installation_dir());
    let info = ks.generate("USB", false).unwrap();
    assert_eq!(info.storage, KeyStorage::File);
    assert!(info.storage_note.unwrap().contains("--data-dir"));
    assert_eq!(info.file_reason, Some(FileReason::ExplicitDataDir));
    assert!(fake.accounts().is_empty());
    assert!(
        KeyStore::open(&tenken_base::paths::default_data_dir())
            .with_secret_store(fake.clone())
            .is_installation_dir()
    );
}

#[test]
fn two_data_dirs_never_share_an_entry() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeStore::default());
    let ia = store(a.path(), &fake, KeyPolicy::Os)
        .generate("A", false)
        .unwrap();
    let ib = store(b.path(), &fake, KeyPolicy::Os)
        .generate("B", false)
        .unwrap();
    let (ea, eb) = (ia.keystore_entry.unwrap(), ib.keystore_entry.unwrap());
    assert_ne!(ea.account, eb.account);
    // The data-dir part differs, not only the key part.
    assert_ne!(ea.account[..29], eb.account[..29]);
    // The same directory reached through a different spelling gives the same account.
    let ks = KeyStore::open(&a.path().join(".").join("x").join(".."));
    let cert = store(a.path(), &fake, KeyPolicy::Os).load().unwrap().cert;
    assert_eq!(ks.account_for(&cert), ea.account);
}

#[test]
fn auto_falls_back_to_an_owner_only_file_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeStore::default());
    fake.set_down(true);
    let ks = store(dir.path(), &fake, KeyPolicy::Auto);
    let info = ks.generate("さくら医院", false).unwrap();
    assert_eq!(info.storage, KeyStorage::File);
    assert!(info.keystore_entry.is_none());
    let note = info.storage_note.clone().unwrap();
    assert!(note.contains("no secret service provider"), "{note}");
    assert_eq!(info.file_reason, Some(FileReason::KeystoreUnavailable));
    assert_eq!(
        info.storage_label(tenken_base::Lang::Ja),
        "ファイル（所有者のみ読み取り可）"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(ks.dir().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Loading a file key never needs the OS store.
    assert!(ks.load().is_ok());
}

#[test]
fn os_policy_without_a_store_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let fake = Arc::new(FakeStore::default());
    fake.set_down(true);
    let ks = store(&data, &fake, KeyPolicy::Os);
    let err = ks.generate("さくら医院", false).unwrap_err();
    assert!(
        matches!(err, SignError::KeystoreUnavailable { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("No new key was created"), "{err}");
    assert!(!data.exists(), "nothing may be written");
    assert!(ks.signer("x").is_err());
    assert!(!data.exists(), "nothing may be written on first use either");
}

#[test]
fn unreachable_store_is_an_error_never_a_new_key() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeStore::default());
    let ks = store(dir.path(), &fake, KeyPolicy::Auto);
    let info = ks.generate("さくら医院", false).unwrap();
    let cert_before = fs::read(ks.dir().join(CERT_FILE)).unwrap();
    fake.set_down(true);
    let Err(err) = ks.signer("さくら医院") else {
        panic!("a new key must not be made")
    };
    assert!(
        matches!(err, SignError::KeystoreUnavailable { .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains(&info.keystore_entry.unwrap().account)
    );
    assert!(ks.info().is_err());
    assert_eq!(fs::read(ks.dir().join(CERT_FILE)).unwrap(), cert_before);
    assert!(!ks.dir().join(KEY_FILE).exists());
    // Back up: the same key again.
    fake.set_down(false);
    assert_eq!(
        fingerprint(ks.signer("x").unwrap().certificate_der()),
        info.cert.fingerprint_sha256
    );
}

#[test]
fn force_removes_the_old_key_from_where_it_lived() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeStore::default());
    // OS -> OS: the old entry is deleted, the new one kept.
    let os = store(dir.path(), &fake, KeyPolicy::Os);
    let first = os.generate("一", false).unwrap();
    let second = os.generate("二", true).unwrap();
    assert_ne!(
        first.cert.fingerprint_sha256,
        second.cert.fingerprint_sha256
    );
    assert_eq!(
        fake.accounts(),
        vec![second.keystore_entry.clone().unwrap().account]
    );
    // OS -> file: the entry is deleted, the key is in the file.
    let file = store(dir.path(), &fake, KeyPolicy::File);
    let third = file.generate("三", true).unwrap();
    assert_eq!(third.storage, KeyStorage::File);
    assert!(fake.accounts().is_empty());
    assert!(file.dir().join(KEY_FILE).exists());
    // file -> OS: the key file is removed.
    let fourth = os.generate("四", true).unwrap();
    assert_eq!(fourth.storage, KeyStorage::OsKeystore);
    assert!(!os.dir().join(KEY_FILE).exists());
    assert_eq!(fake.accounts().len(), 1);
    no_private_key_file(dir.path());
    assert_eq!(
        fingerprint(os.load().unwrap().certificate_der()),
        fourth.cert.fingerprint_sha256
    );
}

#[test]
fn installations_without_key_json_keep_their_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeStore::default());
    let ks = store(dir.path(), &fake, KeyPolicy::File);
    let info = ks.generate("旧医院", false).unwrap();
    fs::remove_file(ks.dir().join(LOCATION_FILE)).unwrap();
    assert!(ks.exists());
    let auto = store(dir.path(), &fake, KeyPolicy::Auto);
    let again = auto.signer("旧医院").unwrap();
    assert_eq!(
        fingerprint(again.certificate_der()),
        info.cert.fingerprint_sha256
    );
    assert_eq!(auto.info().unwrap().storage, KeyStorage::File);
    assert!(fake.accounts().is_empty(), "an existing key is not moved");
}

#[test]
fn a_store_that_loses_the_secret_is_not_trusted() {
    /// Accepts writes but keeps nothing (like the keyring crate's mock on unknown systems).
    struct Forgetful;
    impl SecretStore for Forgetful {
        fn name(&self) -> &'static str {
            "Forgetful"
        }
        fn set(&self, _: &str, _: &str, _: &[u8]) -> Result<(), String> {
            Ok(())
        }
        fn get(&self, _: &str, _: &str) -> Result<Vec<u8>, String> {
            Err("No matching entry found in secure storage".into())
        }
        fn delete(&self, _: &str, _: &str) -> Result<(), String> {
            Ok(())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let ks = KeyStore::open(dir.path())
        .with_policy(KeyPolicy::Auto)
        .with_installation_dir(true)
        .with_secret_store(Arc::new(Forgetful));
    let info = ks.generate("x", false).unwrap();
    assert_eq!(info.storage, KeyStorage::File);
    assert!(ks.load().is_ok());
    let os = KeyStore::open(tempfile::tempdir().unwrap().path())
        .with_policy(KeyPolicy::Os)
        .with_secret_store(Arc::new(Forgetful));
    assert!(os.generate("x", false).is_err());
}
