//! The app's state: the engine's store (profile, assessments, answers, evidence, reports — every
//! change committed immediately by `tenken_core::store`) plus the UI-only settings (language, text
//! size), kept in `settings.json` in the data directory and written atomically.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tenken_core::Session;
use tenken_core::store::Store;

use crate::dto::{CommandError, SettingsDto};

/// File name of the UI settings.
const SETTINGS_FILE: &str = "settings.json";

/// UI settings saved on disk.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Data {
    /// Settings.
    #[serde(default)]
    pub settings: SettingsDto,
    /// Folder chosen for reports (None: the default, see `commands::report::report_folder`).
    #[serde(default)]
    pub report_dir: Option<String>,
}

/// The state managed by Tauri: the engine's [`Session`] on the data folder (every use case goes
/// through it) and the UI settings.
pub struct AppState {
    dir: PathBuf,
    data: Mutex<Data>,
    session: Mutex<Session>,
}

/// The engine's store while the session is locked for one command (a single store call needs
/// no use case of the session).
pub struct StoreGuard<'a>(MutexGuard<'a, Session>);

impl std::ops::Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.0.store()
    }
}

impl std::ops::DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.0.store_mut()
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("dir", &self.dir).finish()
    }
}

impl AppState {
    /// Opens (or starts) the state in `dir`: the engine store and the settings file. A corrupt
    /// settings file is kept aside, never overwritten silently.
    pub fn open(dir: &Path) -> Result<Self, CommandError> {
        // The store creates the folder owner-only (0700 on Unix) with the database in it.
        let session = Session::open(Some(dir)).map_err(CommandError::of)?;
        let file = dir.join(SETTINGS_FILE);
        let data = match std::fs::read(&file) {
            Ok(bytes) => match serde_json::from_slice::<Data>(&bytes) {
                Ok(d) => d,
                Err(_) => {
                    let aside = dir.join(format!("{SETTINGS_FILE}.corrupt"));
                    std::fs::rename(&file, &aside).map_err(CommandError::of)?;
                    Data::default()
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Data::default(),
            Err(e) => return Err(CommandError::of(e)),
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            data: Mutex::new(data),
            session: Mutex::new(session),
        })
    }

    /// Data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of the settings file.
    pub fn file(&self) -> PathBuf {
        self.dir.join(SETTINGS_FILE)
    }

    /// Path of the engine's database.
    pub fn store_path(&self) -> Result<PathBuf, CommandError> {
        Ok(self.store()?.path().to_path_buf())
    }

    /// The engine's session (locked for the duration of one command).
    pub fn session(&self) -> Result<MutexGuard<'_, Session>, CommandError> {
        self.session
            .lock()
            .map_err(|_| CommandError::internal("store lock poisoned"))
    }

    /// The engine's store (the session locked for the duration of one command).
    pub fn store(&self) -> Result<StoreGuard<'_>, CommandError> {
        self.session().map(StoreGuard)
    }

    /// Reads with `f`.
    pub fn read<T>(&self, f: impl FnOnce(&Data) -> T) -> Result<T, CommandError> {
        let guard = self
            .data
            .lock()
            .map_err(|_| CommandError::internal("state lock poisoned"))?;
        Ok(f(&guard))
    }

    /// Changes with `f` and saves; on a failed save the change is rolled back.
    pub fn update<T>(
        &self,
        f: impl FnOnce(&mut Data) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let mut guard = self
            .data
            .lock()
            .map_err(|_| CommandError::internal("state lock poisoned"))?;
        let mut next = guard.clone();
        let out = f(&mut next)?;
        let bytes = serde_json::to_vec_pretty(&next).map_err(CommandError::internal)?;
        let tmp = self.dir.join(format!("{SETTINGS_FILE}.tmp"));
        std::fs::write(&tmp, bytes).map_err(CommandError::of)?;
        std::fs::rename(&tmp, self.file()).map_err(CommandError::of)?;
        *guard = next;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn survives_reopen_and_keeps_corrupt_file_aside() {
        let dir = tempfile::tempdir().unwrap();
        let s = AppState::open(dir.path()).unwrap();
        s.update(|d| {
            d.settings.lang = "en".into();
            Ok(())
        })
        .unwrap();
        let profile = tenken_core::assessment::ClinicProfile {
            name: "さくら内科".into(),
            ..Default::default()
        };
        s.store().unwrap().set_profile(&profile).unwrap();
        drop(s);
        let s = AppState::open(dir.path()).unwrap();
        assert_eq!(s.read(|d| d.settings.lang.clone()).unwrap(), "en");
        let name = s.store().unwrap().get_profile().unwrap().map(|p| p.name);
        assert_eq!(name.as_deref(), Some("さくら内科"));
        drop(s);

        std::fs::write(dir.path().join(SETTINGS_FILE), b"{not json").unwrap();
        let s = AppState::open(dir.path()).unwrap();
        assert_eq!(s.read(|d| d.settings.lang.clone()).unwrap(), "ja");
        assert!(dir.path().join("settings.json.corrupt").exists());
        // The store is untouched by a bad settings file.
        assert!(s.store().unwrap().get_profile().unwrap().is_some());
    }
}
