//! Item <-> evidence mapping and contradictions, on the synthesised sample (tenken-testkit).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tenken_assessment::AnswerValue;
use tenken_assessment::evidence_map::*;
use tenken_checklist::Scope;
use tenken_evidence::{Finding, Verdict};
use tenken_testkit::sample;

fn finding(probe: &str, verdict: Verdict) -> Finding {
    sample::finding(probe, verdict, &["2-6"], serde_json::json!({}))
}

fn mapped(f: &Finding) -> MappedFinding<'_> {
    MappedFinding {
        host: "pc1",
        bundle_index: 0,
        finding: f,
    }
}

#[test]
fn yes_with_fail_is_contradicted_and_answer_is_kept() {
    let f = finding("os.patches", Verdict::Fail);
    let (st, c) = evaluate(AnswerValue::Yes, &[mapped(&f)]);
    assert_eq!(st, EvidenceStatus::Contradicted);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].kind, ContradictionKind::YesButFail);
    assert!(c[0].message.ja.contains("pc1"));
}

#[test]
fn warn_contradicts_yes_only_where_documented() {
    let f = finding("os.patches", Verdict::Warn);
    assert_eq!(
        evaluate(AnswerValue::Yes, &[mapped(&f)]).0,
        EvidenceStatus::Contradicted
    );
    let g = finding("ports.listening", Verdict::Warn);
    assert_eq!(
        evaluate(AnswerValue::Yes, &[mapped(&g)]).0,
        EvidenceStatus::Supported
    );
}

#[test]
fn no_with_pass_is_contradicted() {
    let f = finding("firewall.host", Verdict::Pass);
    let (st, c) = evaluate(AnswerValue::No, &[mapped(&f)]);
    assert_eq!(st, EvidenceStatus::Contradicted);
    assert_eq!(c[0].kind, ContradictionKind::NoButPass);
}

#[test]
fn only_unknown_is_unverified_never_supported() {
    let f = finding("antivirus.status", Verdict::Unknown);
    let g = finding("antivirus.status", Verdict::NotApplicable);
    assert_eq!(
        evaluate(AnswerValue::Yes, &[mapped(&f), mapped(&g)]).0,
        EvidenceStatus::Unverified
    );
    assert_eq!(evaluate(AnswerValue::Yes, &[]).0, EvidenceStatus::None);
}

#[test]
fn map_covers_every_row_and_filters_by_checklist_and_scope() {
    let (cl, asmt, bundles) = sample::input_parts();
    let map = map_evidence(&cl, &asmt, &bundles);
    let rows: usize = cl.items().map(|i| i.answer_scopes().len()).sum();
    assert_eq!(map.len(), rows);
    // the patches item is answered はい and has a failing os.patches finding
    let patches = map
        .iter()
        .find(|r| r.item_id == sample::PATCH_ITEM && r.scope == Scope::Terminal)
        .unwrap();
    assert_eq!(patches.answer, AnswerValue::Yes);
    assert_eq!(patches.status, EvidenceStatus::Contradicted);
    // network row of the same item gets no host findings
    let net = map
        .iter()
        .find(|r| r.item_id == sample::PATCH_ITEM && r.scope == Scope::Network);
    if let Some(net) = net {
        assert!(
            net.findings
                .iter()
                .all(|m| is_network_probe(&m.finding.probe_id))
        );
    }
    // a finding referring to another checklist id is not mapped
    assert!(map.iter().flat_map(|r| r.findings.iter()).all(|m| {
        m.finding
            .checklist_refs
            .iter()
            .any(|r| r.checklist == cl.id)
    }));
}
