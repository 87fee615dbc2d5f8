//! The cache of slow, rarely changing facts: the output of a slow command whose result depends
//! only on a few files (Linux `apt list --upgradable`: 93% of a scan's time, reading the dpkg
//! status and the apt lists) is kept in the data directory, keyed by the sizes and modification
//! times of those files, and reused while they are unchanged.
//!
//! Rules: the cache is never trusted when its key differs (or it cannot be read, or it was
//! written for another source or another Tenken version); it is written crash-safely (temporary
//! file, flushed, renamed over the old one); only a clean run (exit code 0, no error) is kept;
//! a reused capture keeps the original command, time, output and SHA-256, and its evidence
//! says it came from the cache and what the reuse rests on (the note).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tenken_evidence::sha256_hex;

use crate::{Captured, Source};

/// What a cached output depends on: files and directories, whose directories are walked to
/// `depth` levels (0: only the directory's own size and modification time, which change when
/// an entry is added or removed).
#[derive(Debug, Clone)]
pub struct Dependencies {
    /// The files and directories.
    pub paths: Vec<PathBuf>,
    /// How deep directories are walked.
    pub depth: u32,
}

impl From<Vec<PathBuf>> for Dependencies {
    /// Paths walked three levels deep.
    fn from(paths: Vec<PathBuf>) -> Self {
        Dependencies { paths, depth: 3 }
    }
}

/// The files and directories the output of `source` depends on, when it is a cacheable slow
/// source on this OS.
pub fn depends_on(source: &Source) -> Option<Dependencies> {
    let Source::Command { key, program, args } = source else {
        return None;
    };
    if cfg!(target_os = "linux") && program == "apt" && args == &["list", "--upgradable"] {
        return Some(Dependencies::from(
            [
                "/var/lib/dpkg/status",
                "/var/lib/apt/lists",
                "/etc/apt",
                "/var/lib/apt/extended_states",
            ]
            .iter()
            .map(PathBuf::from)
            .collect::<Vec<_>>(),
        ));
    }
    if cfg!(windows) && is_windows_update_history(key, program, args) {
        return Some(windows_update_dependencies(
            std::env::var_os("SystemRoot").map(PathBuf::from),
        ));
    }
    None
}

/// The Windows Update history script of `os.patches` (COM history search and installed hotfixes:
/// seconds to minutes on a clinic PC).
fn is_windows_update_history(key: &str, program: &str, args: &[String]) -> bool {
    key == "ps"
        && program.eq_ignore_ascii_case(crate::checks::kit::POWERSHELL)
        && args
            .last()
            .is_some_and(|script| script.contains("$out.wuHistory="))
}

/// What the update history and the hotfix list rest on: Windows Update's database (rewritten
/// when an update is searched, downloaded or installed) and its logs, and the component store's
/// package list (an entry per installed package). Directories are not walked: the servicing
/// folder holds tens of thousands of files, and adding or removing one changes the folder's own
/// modification time.
fn windows_update_dependencies(system_root: Option<PathBuf>) -> Dependencies {
    let root = system_root.unwrap_or_else(|| PathBuf::from(r"C:\Windows"));
    Dependencies {
        paths: vec![
            root.join(r"SoftwareDistribution\DataStore\DataStore.edb"),
            root.join(r"SoftwareDistribution\DataStore\Logs"),
            root.join(r"SoftwareDistribution\ReportingEvents.log"),
            root.join(r"servicing\Packages"),
        ],
        depth: 0,
    }
}

/// One line per file: path, size and modification time (ns); directories are walked (to a
/// depth of 3), so adding, removing or rewriting a file changes the key. Missing paths count too.
fn stamp(path: &Path, depth: u32, out: &mut String) {
    match std::fs::symlink_metadata(path) {
        Ok(m) => {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            out.push_str(&format!("{}\t{}\t{mtime}\n", path.display(), m.len()));
            if m.is_dir() && depth > 0 {
                let mut names: Vec<PathBuf> = std::fs::read_dir(path)
                    .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
                    .unwrap_or_default();
                names.sort();
                for n in names {
                    stamp(&n, depth - 1, out);
                }
            }
        }
        Err(e) => out.push_str(&format!("{}\tmissing ({:?})\n", path.display(), e.kind())),
    }
}

/// The key of `source` given its dependencies: the source, this Tenken's version and the
/// stamps of the files.
pub fn key(source: &Source, deps: &Dependencies) -> String {
    let mut text = serde_json::to_string(source).unwrap_or_default();
    text.push('\n');
    text.push_str(env!("CARGO_PKG_VERSION"));
    text.push('\n');
    for d in &deps.paths {
        stamp(d, deps.depth, &mut text);
    }
    sha256_hex(text.as_bytes())
}

/// What a cache file holds.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// [`key`] when the output was collected.
    key: String,
    /// The capture as collected then.
    captured: Captured,
}

/// The cache file of `source` in `dir`.
fn file_of(dir: &Path, source: &Source) -> PathBuf {
    let id = sha256_hex(serde_json::to_string(source).unwrap_or_default().as_bytes());
    dir.join(format!("slow-{}.json", &id[..16]))
}

/// Writes `bytes` to `path` crash-safely: a temporary file beside it, flushed to disk, then
/// renamed over `path` (a crash leaves the old file or the new one, never half of one).
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("cache"),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The note on a capture reused from the cache.
fn note(c: &Captured, deps: &Dependencies) -> String {
    let (_, line) = crate::evidence_of::describe(&c.source);
    let files: Vec<String> = deps.paths.iter().map(|d| d.display().to_string()).collect();
    format!(
        "reused from Tenken's cache: `{line}` ran at {} (output SHA-256 {}); {} unchanged since (sizes and modification times)",
        c.started_at.to_rfc3339(),
        c.raw_sha256,
        files.join(", ")
    )
}

/// Collects `source` through the cache in `dir`: the cached capture when its key matches the
/// files `source` depends on now, else `collect()` (kept in the cache when it ran cleanly).
/// Sources that are not cacheable, or no `dir`, just `collect()`.
pub fn collect_cached(
    dir: Option<&Path>,
    source: &Source,
    collect: impl FnOnce() -> Captured,
) -> Captured {
    match (dir, depends_on(source)) {
        (Some(dir), Some(deps)) => collect_with(dir, source, &deps, collect),
        _ => collect(),
    }
}

/// [`collect_cached`] with the dependencies given (tests use files of their own).
pub fn collect_with(
    dir: &Path,
    source: &Source,
    deps: &Dependencies,
    collect: impl FnOnce() -> Captured,
) -> Captured {
    let path = file_of(dir, source);
    let now_key = key(source, deps);
    let cached = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Entry>(&b).ok())
        .filter(|e| e.key == now_key && &e.captured.source == source);
    if let Some(e) = cached {
        let mut c = e.captured;
        c.error_detail = Some(note(&c, deps));
        return c;
    }
    let c = collect();
    // Only a clean run is kept: exit code 0, no error, and no section a PowerShell script
    // caught an error in (`{"error": ...}`: a timed-out COM search must be retried next time).
    if c.error.is_none() && c.exit_code == Some(0) && !c.stdout.contains("\"error\":") {
        // The key is taken again after the run: a change while it ran is not hidden.
        let after = key(source, deps);
        if after == now_key {
            let entry = Entry {
                key: now_key,
                captured: c.clone(),
            };
            if let Ok(bytes) = serde_json::to_vec(&entry)
                && let Err(e) = write_atomic(&path, &bytes)
            {
                tracing::warn!("cache {}: {e}", path.display());
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::exec::{command, failed_capture};
    use std::cell::Cell;

    fn ran(src: &Source, out: &str) -> Captured {
        let mut c = failed_capture(src, crate::CaptureError::Io, "", false);
        c.error = None;
        c.error_detail = None;
        c.exit_code = Some(0);
        c.stdout = out.to_string();
        c.raw_sha256 = sha256_hex(out.as_bytes());
        c.raw_len = out.len() as u64;
        c
    }

    #[test]
    fn reused_while_the_files_are_unchanged_and_never_after() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        let status = tmp.path().join("status");
        let lists = tmp.path().join("lists");
        std::fs::write(&status, "Package: a\n").unwrap();
        std::fs::create_dir(&lists).unwrap();
        std::fs::write(lists.join("one_Packages"), "x").unwrap();
        let deps = Dependencies::from(vec![status.clone(), lists.clone()]);
        let src = command("apt_upgradable", "apt", &["list", "--upgradable"]);
        let runs = Cell::new(0);
        let run = |out: &str| {
            runs.set(runs.get() + 1);
            ran(&src, out)
        };

        let first = collect_with(&cache, &src, &deps, || {
            run("a/stable 2 [upgradable from: 1]")
        });
        assert_eq!(runs.get(), 1);
        assert!(first.error_detail.is_none());
        // Warm: not run again; same output, hash and time; the note says where it came from.
        let warm = collect_with(&cache, &src, &deps, || run("other"));
        assert_eq!(runs.get(), 1);
        assert_eq!(warm.stdout, first.stdout);
        assert_eq!(warm.raw_sha256, first.raw_sha256);
        assert_eq!(warm.started_at, first.started_at);
        let note = warm.error_detail.clone().unwrap();
        assert!(
            note.contains("cache") && note.contains("apt list --upgradable"),
            "{note}"
        );
        assert!(note.contains(&first.raw_sha256), "{note}");
        let ev = crate::evidence_of::evidence_from(&warm);
        assert_eq!(ev.note.as_deref(), Some(note.as_str()));
        assert!(ev.error.is_none());

        // A new list file (apt update) changes the key: run again.
        std::fs::write(lists.join("two_Packages"), "y").unwrap();
        let after_update = collect_with(&cache, &src, &deps, || run("b/stable 3"));
        assert_eq!(runs.get(), 2);
        assert_eq!(after_update.stdout, "b/stable 3");
        // dpkg status rewritten (a package installed): run again.
        std::fs::write(&status, "Package: a\nPackage: b\n").unwrap();
        collect_with(&cache, &src, &deps, || run("c"));
        assert_eq!(runs.get(), 3);
        // A damaged cache file is not trusted.
        let file = file_of(&cache, &src);
        std::fs::write(&file, b"{not json").unwrap();
        let c = collect_with(&cache, &src, &deps, || run("d"));
        assert_eq!((runs.get(), c.stdout.as_str()), (3 + 1, "d"));
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn failed_runs_are_not_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let deps = Dependencies::from(vec![tmp.path().join("status")]);
        let src = command("apt_upgradable", "apt", &["list", "--upgradable"]);
        let runs = Cell::new(0);
        for _ in 0..2 {
            collect_with(tmp.path(), &src, &deps, || {
                runs.set(runs.get() + 1);
                let mut c = ran(&src, "partial");
                c.exit_code = Some(100);
                c
            });
        }
        assert_eq!(runs.get(), 2);
        let timed_out = || failed_capture(&src, crate::CaptureError::Timeout, "killed", false);
        collect_with(tmp.path(), &src, &deps, timed_out);
        assert!(!file_of(tmp.path(), &src).exists());
    }

    #[test]
    fn only_the_apt_listing_is_cacheable() {
        assert!(depends_on(&command("x", "apt", &["list", "--installed"])).is_none());
        assert!(depends_on(&command("x", "sh", &["-c", "apt list --upgradable"])).is_none());
        let apt = command("x", "apt", &["list", "--upgradable"]);
        assert_eq!(depends_on(&apt).is_some(), cfg!(target_os = "linux"));
    }

    #[test]
    fn only_the_windows_update_history_script_is_cached_on_windows() {
        let mut history = 0;
        for probe in crate::checks::all() {
            for src in probe.plan(crate::Os::Windows) {
                let Source::Command { key, program, args } = &src else {
                    continue;
                };
                if is_windows_update_history(key, program, args) {
                    history += 1;
                    assert_eq!(probe.meta().id, "os.patches");
                    // The settings (a pause, automatic updates off) are not in the cached script.
                    assert!(!args.concat().contains("wuSettings"), "{args:?}");
                }
            }
        }
        assert_eq!(history, 1);
        let deps = windows_update_dependencies(Some(PathBuf::from(r"D:\Win")));
        assert_eq!(deps.depth, 0, "the servicing folder is not walked");
        let shown: Vec<String> = deps.paths.iter().map(|p| p.display().to_string()).collect();
        assert!(
            shown
                .iter()
                .any(|p| p.ends_with("DataStore.edb") && p.starts_with(r"D:\Win"))
        );
        assert!(shown.iter().any(|p| p.ends_with(r"servicing\Packages")));
    }

    #[test]
    fn a_section_the_script_caught_an_error_in_is_not_kept() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("edb"), "x").unwrap();
        let deps = Dependencies {
            paths: vec![tmp.path().join("edb")],
            depth: 0,
        };
        let src = command("ps", "powershell", &["-Command", "$out.wuHistory=..."]);
        let runs = Cell::new(0);
        let run = |out: &str| {
            runs.set(runs.get() + 1);
            ran(&src, out)
        };
        let timed_out =
            r#"{"hotfixes":[],"wuHistory":{"error":"timed out","type":"System.TimeoutException"}}"#;
        collect_with(tmp.path(), &src, &deps, || run(timed_out));
        collect_with(tmp.path(), &src, &deps, || {
            run(r#"{"hotfixes":[],"wuHistory":[]}"#)
        });
        assert_eq!(runs.get(), 2, "the failed search was retried");
        let warm = collect_with(tmp.path(), &src, &deps, || run("unused"));
        assert_eq!(runs.get(), 2, "the clean one is reused");
        assert_eq!(warm.stdout, r#"{"hotfixes":[],"wuHistory":[]}"#);
    }
}
