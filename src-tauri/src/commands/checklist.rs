//! Checklist versions and their items.

use tenken_core::assessment::Sheet;
use tenken_core::checklist::{Checklist, ChecklistKind, ProvenanceTag};

use crate::dto::{ChecklistSummary, ChecklistView, CmdResult, CommandError, ItemView};
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
    let c = &c.for_sheet(SHEET);
    ChecklistSummary {
        id: c.id.clone(),
        title: (&c.title).into(),
        fiscal_year: c.fiscal_year,
        kind: kind(c.kind).into(),
        item_count: u32::try_from(c.items().count()).unwrap_or(u32::MAX),
        source: format!(
            "{}「{}」{}",
            c.source.publisher, c.source.title, c.source.date
        ),
        version_notice: c
            .version_notice(tenken_core::assessment::fiscal_year_of(
                crate::engine::today(),
            ))
            .as_ref()
            .map(Into::into),
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
                    section: (&s.title).into(),
                    text: (&i.text).into(),
                    scopes: i.answer_scopes().into_iter().map(Into::into).collect(),
                    deadline: i.deadline.as_ref().map(Into::into),
                    why: (&i.guidance.why).into(),
                    done_when: (&i.guidance.done_when).into(),
                    who: (&i.guidance.who).into(),
                    reconstructed: i.provenance.tag == ProvenanceTag::Reconstructed,
                    provenance: (&i.provenance).into(),
                    automatic: automatic.as_ref().is_none_or(|a| a.contains(&i.id)),
                })
        })
        .collect()
}

/// Lists the checklist versions the engine knows: official ones first, newest first.
#[tauri::command]
pub async fn list_checklists(app: tauri::AppHandle) -> CmdResult<Vec<ChecklistSummary>> {
    crate::engine::off_main(app, move |_app, state| {
        let mut out: Vec<_> = crate::engine::checklists(state.dir())?
            .iter()
            .map(summary)
            .collect();
        // Official MHLW versions first (the UI opens the first one), newest first.
        out.sort_by(|a, b| {
            (a.kind != "official")
                .cmp(&(b.kind != "official"))
                .then(b.fiscal_year.cmp(&a.fiscal_year))
                .then(a.id.cmp(&b.id))
        });
        Ok(out)
    })
    .await
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
            }
        }
    }
}
