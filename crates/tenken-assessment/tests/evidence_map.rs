//! Item <-> evidence mapping and contradictions, on the synthesised sample (tenken-testkit).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tenken_assessment::AnswerValue;
use tenken_assessment::evidence_map::*;
use tenken_checklist::Scope;
use tenken_checklist::mapping::evidence::Bears;
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
        bears: Bears::Verdict,
        network: false,
    }
}

fn context(f: &Finding) -> MappedFinding<'_> {
    MappedFinding {
        bears: Bears::Context,
        ..mapped(f)
    }
}

#[test]
fn yes_with_fail_is_contradicted_and_answer_is_kept() {
    let f = finding("os.patches", Verdict::Fail);
    let (st, c) = evaluate(AnswerValue::Yes, &[mapped(&f)]);
    assert_eq!(st, EvidenceStatus::Contradicted);
    assert!(!c[0].kind.is_review());
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].kind, ContradictionKind::YesButFail);
    assert!(c[0].message.ja.contains("pc1"));
}

/// One rule for every probe (issue 14): 要改善 against はい or 該当なし asks for review (要確認);
/// it is never green and never silently fine. (Before, only os.patches and antivirus.status
/// counted, and then as a contradiction.)
#[test]
fn warn_against_yes_or_not_applicable_is_to_review_for_every_probe() {
    for probe in ["os.patches", "ports.listening", "accounts.local"] {
        let f = finding(probe, Verdict::Warn);
        for answer in [AnswerValue::Yes, AnswerValue::NotApplicable] {
            let (st, c) = evaluate(answer, &[mapped(&f)]);
            assert_eq!(st, EvidenceStatus::Review, "{probe} {answer:?}");
            assert!(c.iter().all(|c| c.kind.is_review()), "{c:?}");
            assert!(c[0].message.ja.contains("確認してください"));
        }
        // Against いいえ a 要改善 agrees with the answer.
        assert_eq!(
            evaluate(AnswerValue::No, &[mapped(&f)]).0,
            EvidenceStatus::Supported
        );
    }
}

/// The case seen in issue 14: 2-⑨ answered 該当なし (「USBポートなし」) while usb.storage says
/// 不適合 was green 「証跡あり」.
#[test]
fn not_applicable_against_fail_is_a_contradiction() {
    let f = finding("usb.storage", Verdict::Fail);
    let (st, c) = evaluate(AnswerValue::NotApplicable, &[mapped(&f)]);
    assert_eq!(st, EvidenceStatus::Contradicted);
    assert_eq!(c[0].kind, ContradictionKind::NaButFail);
    assert!(!c[0].kind.is_review());
    assert!(c[0].message.ja.contains("該当なし"));
}

/// Evidence is green only when it supports the answer; related facts never make a row green
/// or red (2-① and 2-⑬ were green from 「接続しているネットワークは1つです」).
#[test]
fn green_only_when_the_evidence_supports_the_answer() {
    let pass = finding("firewall.host", Verdict::Pass);
    let fail = finding("net.gateway", Verdict::Fail);
    assert_eq!(
        evaluate(AnswerValue::Yes, &[mapped(&pass)]).0,
        EvidenceStatus::Supported
    );
    // Context only: shown, not green, whatever its verdict.
    for answer in [
        AnswerValue::Yes,
        AnswerValue::No,
        AnswerValue::NotApplicable,
    ] {
        let (st, c) = evaluate(answer, &[context(&pass), context(&fail)]);
        assert_eq!(st, EvidenceStatus::Context, "{answer:?}");
        assert!(c.is_empty());
    }
    // Unanswered: the evidence has nothing to support yet.
    assert_eq!(
        evaluate(AnswerValue::Unanswered, &[mapped(&pass)]).0,
        EvidenceStatus::Context
    );
    // 該当なし with a passing check: agrees, but 該当なし is not "evidence present".
    assert_eq!(
        evaluate(AnswerValue::NotApplicable, &[mapped(&pass)]).0,
        EvidenceStatus::Context
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

/// Issue 14, on the real R7 checklist and the evidence registry: 2-⑨ 該当なし (「USBポートなし」)
/// with usb.storage 不適合 is 回答と矛盾; 2-⑤ はい with accounts.local 要改善 is 要確認; the
/// gateway facts under 2-① are context (never green); the firewall finding sits under 2-⑬, not
/// 2-⑫. The findings carry stale references (usb.storage naming 2-5): the registry decides.
#[test]
fn issue_14_cases_on_the_official_r7_checklist() {
    use tenken_assessment::Answer;
    let cl = tenken_checklist::find("mhlw-r7", None).unwrap();
    let mut a = sample::assessment();
    a.checklist_id = cl.id.clone();
    a.answers.clear();
    for (item, value, note) in [
        ("2-9", AnswerValue::NotApplicable, "USBポートなし"),
        ("2-5", AnswerValue::Yes, ""),
        ("2-1", AnswerValue::Yes, ""),
        ("2-12", AnswerValue::Yes, ""),
        ("2-13", AnswerValue::Yes, ""),
    ] {
        for scope in cl.item(item).unwrap().answer_scopes() {
            let mut ans = Answer::new(item, scope, value);
            ans.note = note.into();
            a.answers.push(ans);
        }
    }
    let mut bundle = sample::bundles().remove(0);
    bundle.findings = vec![
        sample::finding(
            "usb.storage",
            Verdict::Fail,
            &["2-5"],
            serde_json::json!({}),
        ),
        sample::finding(
            "accounts.local",
            Verdict::Warn,
            &["2-5"],
            serde_json::json!({}),
        ),
        sample::finding(
            "net.gateway",
            Verdict::Pass,
            &["2-1", "2-13"],
            serde_json::json!({}),
        ),
        sample::finding(
            "firewall.host",
            Verdict::Fail,
            &["2-12"],
            serde_json::json!({}),
        ),
    ];
    let bundles = [bundle];
    let map = map_evidence(&cl, &a, &bundles);
    let rows = |item: &str| -> Vec<&ItemEvidence<'_>> {
        map.iter()
            .filter(|r| r.item_id == item && r.scope != Scope::Network)
            .collect()
    };
    let probes = |r: &ItemEvidence<'_>| -> Vec<String> {
        r.findings
            .iter()
            .map(|m| m.finding.probe_id.clone())
            .collect()
    };
    for r in rows("2-9") {
        assert_eq!(r.status, EvidenceStatus::Contradicted, "2-9 {:?}", r.scope);
        assert_eq!(r.contradictions[0].kind, ContradictionKind::NaButFail);
    }
    for r in rows("2-5") {
        assert_eq!(r.status, EvidenceStatus::Review, "2-5 {:?}", r.scope);
        assert!(
            !probes(r).contains(&"usb.storage".to_string()),
            "{:?}",
            probes(r)
        );
    }
    for r in rows("2-1") {
        assert_ne!(r.status, EvidenceStatus::Supported, "2-1 must not be green");
        assert_eq!(r.status, EvidenceStatus::Context);
    }
    for r in rows("2-12") {
        assert!(
            !probes(r).contains(&"firewall.host".to_string()),
            "{:?}",
            probes(r)
        );
    }
    // 2-⑬ has only the ネットワーク機器 row; this PC's firewall speaks to it there.
    let r13: Vec<&ItemEvidence<'_>> = map.iter().filter(|r| r.item_id == "2-13").collect();
    assert!(!r13.is_empty());
    for r in r13 {
        assert!(
            probes(r).contains(&"firewall.host".to_string()),
            "{:?}",
            probes(r)
        );
        assert_eq!(r.status, EvidenceStatus::Contradicted);
    }
}
