//! 「今年度のチェックリストを取り込む」: the official workbooks the person chose are read and shown
//! (items, links to the previous version, points to confirm) and saved only after confirmation,
//! through the engine's importer. Nothing is written by the preview.

use std::path::PathBuf;

use tenken_core::checklist::{self, ImportPlan};

use crate::dto::{CmdResult, CommandError};
use crate::dto_import::{ChecklistImportDto, ImportFileDto, ImportItemDto, ImportNoticeDto};

/// Most workbooks per import (MHLW publishes two).
const MAX_FILES: usize = 4;

fn paths(paths: &[String]) -> CmdResult<Vec<PathBuf>> {
    if paths.is_empty() || paths.len() > MAX_FILES {
        return Err(CommandError::invalid(
            "取り込むブックを1つか2つ選んでください",
            "Choose one or two workbooks to import",
        ));
    }
    Ok(paths.iter().map(PathBuf::from).collect())
}

fn plan_of(state: &crate::state::AppState, files: &[String]) -> CmdResult<ImportPlan> {
    let known = crate::engine::checklists(state.dir())?;
    checklist::plan_import(&paths(files)?, &known).map_err(|e| match e {
        checklist::ChecklistError::Import { .. } => CommandError::invalid(
            e.in_lang(tenken_core::Lang::Ja),
            e.in_lang(tenken_core::Lang::En),
        ),
        other => CommandError::of(other),
    })
}

/// The plan as the UI shows it.
pub fn dto(plan: &ImportPlan, saved: bool) -> ChecklistImportDto {
    let c = &plan.checklist;
    let mut notices: Vec<ImportNoticeDto> = plan
        .notices
        .iter()
        .map(|n| ImportNoticeDto {
            confirm: n.confirm,
            at: n.at.clone(),
            message: (&n.message).into(),
        })
        .collect();
    notices.sort_by_key(|n| !n.confirm);
    ChecklistImportDto {
        checklist_id: c.id.clone(),
        title: c.title.ja.clone(),
        fiscal_year: c.fiscal_year,
        previous: c.previous.clone(),
        adds_to: plan.adds_to.clone(),
        files: plan
            .files
            .iter()
            .map(|f| ImportFileDto {
                name: f.name.clone(),
                sha256: f.sha256.clone(),
                worksheet: f.worksheet.clone(),
                sheet: f.sheet.clone(),
                items: u32::try_from(f.items).unwrap_or(u32::MAX),
            })
            .collect(),
        items: plan
            .links
            .iter()
            .map(|l| ImportItemDto {
                id: l.item.clone(),
                number: l.number.clone(),
                text: l.text.clone(),
                previous_ids: l.previous_ids.clone(),
                previous_text: l.previous_text.clone(),
                unsure: l.unsure,
                new_item: c.item(&l.item).is_some_and(|i| i.new_in_version),
            })
            .collect(),
        notices,
        needs_confirmation: plan.needs_confirmation(),
        saved,
    }
}

/// Reads the chosen workbooks and shows what importing them would do; writes nothing.
pub fn preview_in(
    state: &crate::state::AppState,
    files: &[String],
) -> CmdResult<ChecklistImportDto> {
    Ok(dto(&plan_of(state, files)?, false))
}

/// Imports the workbooks previewed: their SHA-256 must still be `sha256s` (the files shown), and
/// `confirmed` must be true when the preview had points to confirm.
pub fn import_in(
    state: &crate::state::AppState,
    files: &[String],
    sha256s: &[String],
    confirmed: bool,
) -> CmdResult<ChecklistImportDto> {
    let plan = plan_of(state, files)?;
    let mut now: Vec<&str> = plan.files.iter().map(|f| f.sha256.as_str()).collect();
    now.sort_unstable();
    now.dedup();
    let mut shown: Vec<&str> = sha256s.iter().map(String::as_str).collect();
    shown.sort_unstable();
    if now != shown {
        return Err(CommandError::invalid(
            "確認した後でファイルが変わりました。もう一度選び直してください",
            "The files changed after the preview; choose them again",
        ));
    }
    if plan.needs_confirmation() && !confirmed {
        return Err(CommandError::invalid(
            "「要確認」の点を確かめてから取り込んでください",
            "Check the points marked to confirm before importing",
        ));
    }
    plan.save(state.dir()).map_err(CommandError::of)?;
    Ok(dto(&plan, true))
}

/// Reads the chosen workbooks (one or two) and returns the preview.
#[tauri::command]
pub async fn preview_checklist_import(
    app: tauri::AppHandle,
    paths: Vec<String>,
) -> CmdResult<ChecklistImportDto> {
    for p in &paths {
        crate::paths::chosen(&app, p)?;
    }
    crate::engine::off_main(app, move |_app, state| preview_in(state, &paths)).await
}

/// Saves the previewed import (after the person confirmed it).
#[tauri::command]
pub async fn import_checklist(
    app: tauri::AppHandle,
    paths: Vec<String>,
    sha256s: Vec<String>,
    confirmed: bool,
) -> CmdResult<ChecklistImportDto> {
    for p in &paths {
        crate::paths::chosen(&app, p)?;
    }
    crate::engine::off_main(app, move |_app, state| {
        import_in(state, &paths, &sha256s, confirmed)
    })
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use tenken_testkit::workbooks;

    #[test]
    fn preview_writes_nothing_and_import_needs_the_confirmation_and_the_same_files() {
        let tmp = tempfile::tempdir().unwrap();
        let state = crate::state::AppState::open(&tmp.path().join("data")).unwrap();
        let mut files = Vec::new();
        for (name, bytes) in [workbooks::clinic_file(), workbooks::vendor_file()] {
            let p = tmp.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            files.push(p.display().to_string());
        }
        let p = preview_in(&state, &files).unwrap();
        assert_eq!(p.checklist_id, "imported-mhlw-r8");
        assert!(p.needs_confirmation && !p.saved);
        assert!(p.items.iter().any(|i| i.id == "2-4" && i.new_item));
        assert!(p.items.iter().any(|i| i.id == "2-5" && i.unsure));
        assert!(!p.notices.is_empty());
        assert!(
            p.notices.windows(2).all(|w| w[0].confirm || !w[1].confirm),
            "confirm points first"
        );
        let saved = state.dir().join("checklists/imported-mhlw-r8.toml");
        assert!(!saved.exists());
        let shas: Vec<String> = p.files.iter().map(|f| f.sha256.clone()).collect();
        assert!(import_in(&state, &files, &shas, false).is_err());
        assert!(import_in(&state, &files, &shas[..1], true).is_err());
        assert!(!saved.exists());
        let done = import_in(&state, &files, &shas, true).unwrap();
        assert!(done.saved && saved.is_file());
        // Hostile: a file that is not a workbook, in Japanese first.
        let bad = tmp.path().join("bad.xlsx");
        std::fs::write(&bad, b"not a workbook").unwrap();
        let e = preview_in(&state, &[bad.display().to_string()]).unwrap_err();
        assert!(e.ja.contains("読めません"), "{e:?}");
    }
}
