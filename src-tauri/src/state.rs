//! The app's persistent state: clinic profile, answers per checklist and settings, kept in one JSON
//! file in the data directory and written atomically (temp file + rename).
//!
//! TEMPORARY SEAM: the lead connects this to `tenken_core::store` after merging; the command
//! signatures stay the same.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::dto::{AnswerDto, CommandError, ProfileDto, SettingsDto};

/// What is saved on disk.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Data {
    /// Clinic profile, once entered.
    #[serde(default)]
    pub profile: Option<ProfileDto>,
    /// Answers per checklist id.
    #[serde(default)]
    pub answers: BTreeMap<String, Vec<AnswerDto>>,
    /// Settings.
    #[serde(default)]
    pub settings: SettingsDto,
}

/// The state managed by Tauri.
#[derive(Debug)]
pub struct AppState {
    dir: PathBuf,
    data: Mutex<Data>,
}

impl AppState {
    /// Opens (or starts) the state in `dir`. A corrupt file is kept aside, never overwritten silently.
    pub fn open(dir: &Path) -> Result<Self, CommandError> {
        std::fs::create_dir_all(dir).map_err(CommandError::io)?;
        let file = dir.join("state.json");
        let data = match std::fs::read(&file) {
            Ok(bytes) => match serde_json::from_slice::<Data>(&bytes) {
                Ok(d) => d,
                Err(_) => {
                    let aside = dir.join("state.json.corrupt");
                    std::fs::rename(&file, &aside).map_err(CommandError::io)?;
                    Data::default()
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Data::default(),
            Err(e) => return Err(CommandError::io(e)),
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            data: Mutex::new(data),
        })
    }

    /// Data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of the state file.
    pub fn file(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    /// Reads with `f`.
    pub fn read<T>(&self, f: impl FnOnce(&Data) -> T) -> Result<T, CommandError> {
        let guard = self
            .data
            .lock()
            .map_err(|_| CommandError::io("state lock poisoned"))?;
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
            .map_err(|_| CommandError::io("state lock poisoned"))?;
        let mut next = guard.clone();
        let out = f(&mut next)?;
        let bytes = serde_json::to_vec_pretty(&next).map_err(CommandError::io)?;
        let tmp = self.dir.join("state.json.tmp");
        std::fs::write(&tmp, bytes).map_err(CommandError::io)?;
        std::fs::rename(&tmp, self.file()).map_err(CommandError::io)?;
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
            d.profile = Some(ProfileDto {
                name: "さくら内科".into(),
                ..Default::default()
            });
            Ok(())
        })
        .unwrap();
        drop(s);
        let s = AppState::open(dir.path()).unwrap();
        let name = s.read(|d| d.profile.clone().map(|p| p.name)).unwrap();
        assert_eq!(name.as_deref(), Some("さくら内科"));

        std::fs::write(dir.path().join("state.json"), b"{not json").unwrap();
        let s = AppState::open(dir.path()).unwrap();
        assert!(s.read(|d| d.profile.is_none()).unwrap());
        assert!(dir.path().join("state.json.corrupt").exists());
    }
}
