//! Checklist versions and their items.

use tenken_core::assessment::Sheet;
use tenken_core::checklist::{Checklist, ChecklistKind, ProvenanceTag};

use crate::dto::{
    AnewRowDto, ChecklistSummary, ChecklistView, CmdResult, CommandError, ItemView, MoveVersionDto,
    TextDto,
};
use crate::state::AppState;
use crate::validate;

fn kind(k: ChecklistKind) -> &'static str {
    match k {
        ChecklistKind::Official => "official",
        ChecklistKind::Recommended => "recommended",
        ChecklistKind::Imported => "imported",
    }
}

/// Summary of one checklist (item count of the clinic sheet).
pub fn summary(c: &Checklist) -> ChecklistSummary {
    summary_in(c, &[])
}

/// [`summary`] knowing every loaded version: the notice then says when this year's version is
/// imported and the assessment can move to it (`newer_version`).
pub fn summary_in(c: &Checklist, all: &[Checklist]) -> ChecklistSummary {
    let fy = tenken_core::assessment::fiscal_year_of(crate::engine::today());
    let version_notice = c.version_notice_for_app(fy, all);
    let newer_version = tenken_core::version::newer_version(all, &c.id);
    let c = &c.for_sheet(SHEET);
    ChecklistSummary {
        id: c.id.clone(),
        title: c.title.clone(),
        fiscal_year: c.fiscal_year,
        kind: kind(c.kind).into(),
        item_count: u32::try_from(c.items().count()).unwrap_or(u32::MAX),
        source: format!(
            "{}「{}」{}",
            c.source.publisher, c.source.title, c.source.date
        ),
        version_notice,
        newer_version,
    }
}

/// Sheet the app answers (the clinic's own sheet; pharmacy and vendor rows are not asked).
pub const SHEET: Sheet = Sheet::Clinic;

/// Flattened view of one checklist (the items of the clinic sheet).
pub fn view(c: &Checklist) -> ChecklistView {
    let c = &c.for_sheet(SHEET);
    ChecklistView {
        summary: summary(c),
        items: item_views(c, SHEET),
    }
}

/// The items of `sheet` in form order, as the UI shows them (with their section and guidance).
pub fn item_views(c: &Checklist, sheet: Sheet) -> Vec<ItemView> {
    let automatic = tenken_core::assessment::evidence_map::automatic_items(c);
    let automatic = &automatic;
    c.sections
        .iter()
        .flat_map(|s| {
            s.items
                .iter()
                .filter(move |i| i.on_sheet(sheet))
                .map(move |i| ItemView {
                    id: i.id.clone(),
                    number: i.number.clone(),
                    section: s.title.clone(),
                    text: i.text.clone(),
                    scopes: i.answer_scopes().into_iter().collect(),
                    deadline: i.deadline.clone(),
                    why: i.guidance.why.clone(),
                    done_when: i.guidance.done_when.clone(),
                    who: i.guidance.who.clone(),
                    reconstructed: i.provenance.tag == ProvenanceTag::Reconstructed,
                    provenance: (&i.provenance).into(),
                    automatic: automatic.as_ref().is_none_or(|a| a.contains(&i.id)),
                })
        })
        .collect()
}

/// The checklist versions the engine knows, the one this year's assessment uses first (the UI
/// opens the first), then MHLW versions newest first, then the others.
pub fn ordered_summaries(state: &AppState) -> CmdResult<Vec<ChecklistSummary>> {
    let all = crate::engine::checklists(state.dir())?;
    let current = {
        let store = state.store()?;
        tenken_core::version::current_checklist_id(&store, state.dir(), crate::engine::today()).ok()
    };
    let mut out: Vec<(bool, bool, ChecklistSummary)> = all
        .iter()
        .map(|c| {
            (
                current.as_deref() == Some(c.id.as_str()),
                c.is_mhlw(),
                summary_in(c, &all),
            )
        })
        .collect();
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(b.2.fiscal_year.cmp(&a.2.fiscal_year))
            .then(a.2.id.cmp(&b.2.id))
    });
    Ok(out.into_iter().map(|(_, _, s)| s).collect())
}

/// Lists the checklist versions the engine knows: this year's assessment's first.
#[tauri::command]
pub async fn list_checklists(app: tauri::AppHandle) -> CmdResult<Vec<ChecklistSummary>> {
    crate::engine::off_main(app, move |_app, state| ordered_summaries(state)).await
}

/// What moving this year's assessment to version `to` carries and what must be answered anew;
/// with `apply`, the move is made (the earlier assessment is kept as it is).
pub fn move_version(state: &AppState, to: &str, apply: bool) -> CmdResult<MoveVersionDto> {
    validate::id(to)?;
    let a = crate::engine::current_assessment(state)?;
    let mut store = state.store()?;
    let moved = tenken_core::version::move_assessment(&mut store, state.dir(), a.id, to, apply)
        .map_err(CommandError::of)?;
    let target = tenken_core::checklist::find(to, Some(state.dir())).map_err(CommandError::of)?;
    Ok(MoveVersionDto {
        from_checklist: moved.from_checklist,
        to_checklist: moved.to_checklist,
        moved: moved.assessment.is_some(),
        carried: u32::try_from(moved.plan.carried.len()).unwrap_or(u32::MAX),
        review: u32::try_from(moved.plan.review.len()).unwrap_or(u32::MAX),
        anew: moved
            .plan
            .anew
            .iter()
            .map(|n| AnewRowDto {
                item_id: n.item_id.clone(),
                number: n.number.clone(),
                scope: n.scope,
                text: target
                    .item(&n.item_id)
                    .map(|i| i.text.clone())
                    .unwrap_or_default(),
                reason: TextDto {
                    ja: n.reason.label(tenken_core::Lang::Ja).into(),
                    en: n.reason.label(tenken_core::Lang::En).into(),
                },
            })
            .collect(),
    })
}

/// Shows what moving this year's assessment to checklist `to` would do (nothing is changed).
#[tauri::command]
pub async fn preview_move_version(app: tauri::AppHandle, to: String) -> CmdResult<MoveVersionDto> {
    crate::engine::off_main(app, move |_app, state| move_version(state, &to, false)).await
}

/// Moves this year's assessment to checklist `to`, answers carried item by item.
#[tauri::command]
pub async fn move_to_version(app: tauri::AppHandle, to: String) -> CmdResult<MoveVersionDto> {
    crate::engine::off_main(app, move |_app, state| move_version(state, &to, true)).await
}

/// One checklist with all items and guidance.
#[tauri::command]
pub async fn get_checklist(app: tauri::AppHandle, id: String) -> CmdResult<ChecklistView> {
    crate::engine::off_main(app, move |_app, state| {
        validate::id(&id)?;
        crate::engine::checklists(state.dir())?
            .iter()
            .find(|c| c.id == id)
            .map(view)
            .ok_or_else(|| {
                CommandError::not_found("そのチェックリストは見つかりません", "No such checklist")
            })
    })
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Issue 15 item 3: an item no probe tests says so (the UI then offers no automatic check);
    /// one a probe tests offers it. The answer comes from the evidence registry, not UI code.
    #[test]
    fn items_say_whether_an_automatic_check_can_back_them() {
        let all = tenken_core::checklist::builtin().unwrap();
        let r7 = all.iter().find(|c| c.id == "mhlw-r7").unwrap();
        let v = view(r7);
        let auto = |id: &str| v.items.iter().find(|i| i.id == id).unwrap().automatic;
        assert!(auto("2-6"), "os.patches tests 2-6");
        assert!(auto("3-2"), "backup.evidence tests 3-2");
        assert!(!auto("1-1"), "no probe tests 1-1 (安全管理責任者)");
        // 2-1 (台帳) only gets related facts (net.gateway is context): not checkable automatically.
        assert!(!auto("2-1"));
        assert!(v.items.iter().any(|i| i.automatic) && v.items.iter().any(|i| !i.automatic));
    }

    /// Issue 16: the app's home says when this fiscal year's official checklist is missing.
    #[test]
    fn an_earlier_years_official_checklist_carries_the_version_notice() {
        let all = tenken_core::checklist::builtin().unwrap();
        let fy = tenken_core::assessment::fiscal_year_of(crate::engine::today());
        for c in &all {
            let s = summary(c);
            let stale =
                c.kind == tenken_core::checklist::ChecklistKind::Official && c.fiscal_year < fy;
            assert_eq!(s.version_notice.is_some(), stale, "{}", c.id);
            if let Some(n) = s.version_notice {
                assert!(n.ja.contains("まだ取り込まれていない"), "{}", n.ja);
                // The app's words: the button to press, not a command or an id.
                assert!(
                    n.ja.contains("「今年度のチェックリストを取り込む」"),
                    "{}",
                    n.ja
                );
                assert!(
                    !n.ja.contains("tenken ") && !n.ja.contains(&c.id),
                    "{}",
                    n.ja
                );
            }
        }
    }

    /// Issue 16: once this year's workbooks are imported, the app's notice says so, the R7
    /// assessment can be previewed and moved (answers carried, new rows listed), and the app then
    /// opens the new version first.
    #[test]
    fn an_r7_assessment_moves_to_the_imported_r8_from_the_app() {
        use crate::commands::answers::{answers_of, store_answer};
        use crate::dto::AnswerValueDto;
        use tenken_testkit::workbooks;
        let tmp = tempfile::tempdir().unwrap();
        let state = AppState::open(&tmp.path().join("data")).unwrap();
        // This year's assessment on R7 with one answer (as before the import).
        let r7 = crate::engine::checklists(state.dir())
            .unwrap()
            .into_iter()
            .find(|c| c.id == "mhlw-r7")
            .unwrap();
        let item = view(&r7).items[0].clone();
        let first = crate::dto::AnswerDto {
            item_id: item.id.clone(),
            scope: item.scopes[0],
            value: AnswerValueDto::Yes,
            checked_on: Some(crate::engine::today().to_string()),
            target_date: None,
            note: String::new(),
            responsible: String::new(),
            attachments: Vec::new(),
            updated_at: None,
        };
        store_answer(&state, "mhlw-r7", first).unwrap();
        assert_eq!(answers_of(&state, "mhlw-r7").unwrap().len(), 1);
        let before = ordered_summaries(&state).unwrap();
        assert_eq!(before[0].id, "mhlw-r7");
        assert!(before[0].newer_version.is_none());
        let fy = tenken_core::assessment::fiscal_year_of(crate::engine::today());
        assert_eq!(
            before[0].version_notice.is_some(),
            fy > 2025,
            "FY{fy}: R7 is last year's list"
        );

        let mut files = Vec::new();
        for (name, bytes) in [workbooks::clinic_file(), workbooks::vendor_file()] {
            let p = tmp.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            files.push(p.display().to_string());
        }
        let p = crate::commands::checklist_import::preview_in(&state, &files).unwrap();
        let shas: Vec<String> = p.files.iter().map(|f| f.sha256.clone()).collect();
        crate::commands::checklist_import::import_in(&state, &files, &shas, true).unwrap();

        let after = ordered_summaries(&state).unwrap();
        let r7 = after.iter().find(|s| s.id == "mhlw-r7").unwrap();
        assert_eq!(
            after[0].id, "mhlw-r7",
            "still this year's assessment's list"
        );
        assert_eq!(r7.newer_version.as_deref(), Some("imported-mhlw-r8"));
        if let Some(n) = &r7.version_notice {
            assert!(n.ja.contains("取り込み済み"), "{}", n.ja);
            assert!(n.ja.contains("「この点検を新しい版に移す」"), "{}", n.ja);
            assert!(!n.ja.contains("assessment move"), "{}", n.ja);
        }
        let preview = move_version(&state, "imported-mhlw-r8", false).unwrap();
        assert!(!preview.moved);
        assert!(preview.carried >= 1, "the answer is carried");
        assert!(!preview.anew.is_empty(), "new rows are listed");
        assert!(preview.anew.iter().all(|r| !r.reason.ja.is_empty()));
        assert_eq!(
            ordered_summaries(&state).unwrap()[0].id,
            "mhlw-r7",
            "a preview changes nothing"
        );
        let done = move_version(&state, "imported-mhlw-r8", true).unwrap();
        assert!(done.moved);
        assert_eq!(done.carried, preview.carried);
        let moved = ordered_summaries(&state).unwrap();
        assert_eq!(
            moved[0].id, "imported-mhlw-r8",
            "the app opens the new version"
        );
        assert!(moved[0].version_notice.is_none());
        let carried = answers_of(&state, "imported-mhlw-r8").unwrap();
        assert!(carried.iter().any(|a| a.value == AnswerValueDto::Yes));
        // Moving again is refused: the R8 assessment does not move to itself.
        assert!(move_version(&state, "imported-mhlw-r8", true).is_err());
    }
}
