//! Where `tenken assessment` gets a checklist by id: the `*.toml` files in
//! `TENKEN_CHECKLIST_DIR`, or the repository's `checklists/` directory. (The engine's own
//! checklist registry replaces this when it lands.)

use std::path::PathBuf;

use anyhow::Context as _;
use tenken_core::checklist::Checklist;

use crate::ctx::Ctx;

/// Default checklist id for new assessments.
pub const DEFAULT_ID: &str = "mhlw-r7";

/// Directory searched for checklist files.
pub fn dir() -> PathBuf {
    std::env::var_os("TENKEN_CHECKLIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../checklists")))
}

/// Loads the checklist with id `id`.
pub fn find(ctx: &Ctx, id: &str) -> anyhow::Result<Checklist> {
    let dir = dir();
    let entries = std::fs::read_dir(&dir).with_context(|| {
        format!(
            "{} {}",
            ctx.t(
                "チェックリストのフォルダを読めません:",
                "cannot read the checklist directory"
            ),
            dir.display()
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut seen = Vec::new();
    for path in paths {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!("{}: {e}", path.display());
                continue;
            }
        };
        match toml::from_str::<Checklist>(&text) {
            Ok(cl) if cl.id == id => return Ok(cl),
            Ok(cl) => seen.push(cl.id),
            Err(e) => tracing::warn!("{}: {e}", path.display()),
        }
    }
    anyhow::bail!(
        "{} '{id}' ({}: {})",
        ctx.t("チェックリストが見つかりません", "checklist not found"),
        ctx.t("使えるもの", "available"),
        if seen.is_empty() {
            "-".to_string()
        } else {
            seen.join(", ")
        }
    )
}
