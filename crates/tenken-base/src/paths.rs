//! Where this installation keeps its data (database, keys, reports) unless told otherwise.

use std::path::{Path, PathBuf};

/// The OS application-data directory for Tenken (falls back to `./tenken-data`).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("jp", "Tenken", "tenken")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("tenken-data"))
}

/// The data directory to use: the override (`--data-dir` / `TENKEN_DATA_DIR`) or the default.
pub fn data_dir(override_dir: Option<&Path>) -> PathBuf {
    override_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(default_data_dir)
}
