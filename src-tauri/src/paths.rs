//! Paths the page may name (issue 15 item 7): a command that reads or writes a file the page
//! names accepts it only when the person chose it — picked in a file dialog or dropped on the
//! window (the dialog and the window record those in the fs scope, which grants the page no fs
//! command of its own) — or when it lies in the app's own folders (the data folder, the report
//! folder). Any other path is refused, so a page cannot make the app read or overwrite a file of
//! its choosing.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};
use tauri_plugin_fs::FsExt;

use crate::dto::{CmdResult, CommandError};
use crate::state::AppState;

/// Whether `path` may be used: chosen by the person (`chosen`), or inside one of `own`.
pub fn allowed(path: &Path, chosen: bool, own: &[PathBuf]) -> bool {
    if chosen {
        return true;
    }
    // Inside an own folder by its components (no `..` games), compared after resolving links
    // when the path exists.
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if resolved
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return false;
    }
    own.iter().any(|o| {
        let o = std::fs::canonicalize(o).unwrap_or_else(|_| o.clone());
        resolved.starts_with(&o)
    })
}

/// The path the page named, when the person chose it or it is in the app's own folders; else a
/// plain refusal.
pub fn chosen(app: &AppHandle, raw: &str) -> CmdResult<PathBuf> {
    if raw.is_empty() || raw.chars().count() > 4096 || raw.chars().any(char::is_control) {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    let path = PathBuf::from(raw);
    let picked = app.try_fs_scope().is_some_and(|s| s.is_allowed(&path));
    let state = app.state::<AppState>();
    let mut own = vec![state.dir().to_path_buf()];
    if let Ok(f) = crate::commands::report::current_folder(app, &state) {
        own.push(f);
    }
    if allowed(&path, picked, &own) {
        Ok(path)
    } else {
        Err(CommandError::invalid(
            "このファイルは使えません。「選ぶ」ボタンで選ぶか、画面にドラッグしてください。",
            "This file cannot be used: choose it with the button or drop it on the window.",
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn only_chosen_files_or_the_apps_own_folders() {
        let own = tempfile::tempdir().unwrap();
        let inside = own.path().join("reports/a.pdf");
        std::fs::create_dir_all(inside.parent().unwrap()).unwrap();
        std::fs::write(&inside, b"%PDF").unwrap();
        let owns = [own.path().to_path_buf()];
        // A file the person picked or dropped: anywhere.
        assert!(allowed(
            Path::new("/home/clinic/Desktop/PC2.tenken.json"),
            true,
            &owns
        ));
        // The app's own folders.
        assert!(allowed(&inside, false, &owns));
        // Anything else the page names is refused, including a way out of an own folder.
        assert!(!allowed(Path::new("/etc/passwd"), false, &owns));
        assert!(!allowed(&own.path().join("../../etc/passwd"), false, &owns));
        let elsewhere = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            // A link inside an own folder pointing out of it is judged by where it points.
            let target = elsewhere.path().join("secret.txt");
            std::fs::write(&target, b"x").unwrap();
            let link = own.path().join("link.txt");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            assert!(!allowed(&link, false, &owns));
        }
    }
}
