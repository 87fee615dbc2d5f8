//! Every checklist item a probe or network check says it gives evidence for exists in the
//! built-in checklists: a typo here would silently drop evidence from the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tenken_checklist as checklist;
use tenken_probe::checks;

#[test]
fn probe_checklist_refs_name_real_items() {
    let all = checklist::builtin().unwrap();
    let mut checked = 0;
    for probe in checks::all() {
        for r in &probe.meta().checklist_refs {
            let cl = all.iter().find(|c| c.id == r.checklist).unwrap_or_else(|| {
                panic!("{}: unknown checklist {}", probe.meta().id, r.checklist)
            });
            assert!(
                cl.item(&r.item).is_some(),
                "{}: item {} not in {}",
                probe.meta().id,
                r.item,
                r.checklist
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 18,
        "probes should reference checklist items ({checked})"
    );
}
