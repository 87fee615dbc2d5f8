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

/// Every probe has an entry in the evidence registry, and the references a finding carries are
/// exactly what the registry derives (no per-probe mapping left in code).
#[test]
fn every_probe_is_in_the_evidence_registry() {
    let map = checklist::mapping::evidence::EvidenceMap::builtin().unwrap();
    for probe in checks::all() {
        let id = probe.meta().id;
        assert!(
            map.probe(id).is_some(),
            "{id} missing from evidence-map.toml"
        );
    }
    let smb = checks::by_id("smb.v1").unwrap();
    let refs: Vec<(String, String)> = smb
        .meta()
        .checklist_refs
        .iter()
        .map(|r| (r.checklist.clone(), r.item.clone()))
        .collect();
    assert!(refs.contains(&("mhlw-r6".into(), "2-9".into())), "{refs:?}");
    assert!(
        !refs.contains(&("mhlw-r6".into(), "2-5".into())),
        "{refs:?}"
    );
}
