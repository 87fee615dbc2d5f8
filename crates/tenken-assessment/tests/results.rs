//! Grouping of probe results for the results screen, on the synthesised sample (tenken-testkit).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tenken_assessment::results::*;
use tenken_base::Text;
use tenken_evidence::{Bundle, Finding, UnknownReason, Verdict};
use tenken_testkit::sample;

fn finding(id: &str, title: &str, v: Verdict) -> Finding {
    Finding {
        probe_id: id.into(),
        title: Text::new(title, title),
        verdict: v,
        reason: (v == Verdict::Unknown).then_some(UnknownReason::NeedsElevation),
        summary: Text::new("s", "s"),
        action: Text::new("", ""),
        facts: serde_json::json!({}),
        checklist_refs: Vec::new(),
        evidence: Vec::new(),
    }
}

fn bundle(host: &str, findings: Vec<Finding>) -> Bundle {
    let mut b = sample::bundles().remove(0);
    b.host.hostname = host.into();
    b.findings = findings;
    b
}

#[test]
fn groups_follow_meaning_order_and_keep_every_finding() {
    let a = bundle(
        "受付PC",
        vec![
            finding("os.patches", "更新", Verdict::Pass),
            finding("firewall.host", "ファイアウォール", Verdict::Fail),
            finding("disk.encryption", "暗号化", Verdict::Unknown),
        ],
    );
    let b = bundle(
        "診察室PC",
        vec![
            finding("os.patches", "更新", Verdict::Warn),
            finding("firewall.host", "ファイアウォール", Verdict::Fail),
            finding("remote.tools", "遠隔", Verdict::NotApplicable),
        ],
    );
    let bundles = [a, b];
    let groups = group_findings(&bundles);
    let order: Vec<ResultGroup> = groups.iter().map(|(g, _)| *g).collect();
    assert_eq!(
        order,
        vec![
            ResultGroup::ActionNeeded,
            ResultGroup::Improve,
            ResultGroup::Unverified,
            ResultGroup::Ok,
            ResultGroup::NotApplicable
        ]
    );
    let fails: Vec<&str> = groups[0].1.iter().map(|h| h.host).collect();
    assert_eq!(fails, vec!["受付PC", "診察室PC"]);
    let total: usize = groups.iter().map(|(_, v)| v.len()).sum();
    assert_eq!(total, 6);
    // A 未確認 result is never shown as 問題なし.
    assert!(
        groups
            .iter()
            .find(|(g, _)| *g == ResultGroup::Ok)
            .unwrap()
            .1
            .iter()
            .all(|h| h.finding.verdict == Verdict::Pass)
    );
}

#[test]
fn empty_groups_are_left_out() {
    let bundles = [bundle("pc", vec![finding("x", "x", Verdict::Pass)])];
    let groups = group_findings(&bundles);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].0, ResultGroup::Ok);
    assert!(group_findings(&[]).is_empty());
}

#[test]
fn unverified_advice_names_what_to_do() {
    assert!(
        how_to_check(Some(UnknownReason::NeedsElevation))
            .ja
            .contains("管理者として実行")
    );
    assert!(how_to_check(None).ja.contains("事業者"));
    assert!(
        how_to_check(Some(UnknownReason::NoConsent))
            .ja
            .contains("ネットワーク確認")
    );
}

/// 未確認 says who can check it, from the evidence registry (issue 15 item 3): staff for what the
/// PC's own screens show (screen lock, backup records), the vendor for the rest.
#[test]
fn unverified_advice_says_who_can_check_it() {
    use tenken_assessment::results::{Checker, how_to_check_probe, who_can_check};
    assert_eq!(who_can_check("screen.lock"), Some(Checker::Staff));
    assert_eq!(who_can_check("backup.evidence"), Some(Checker::Staff));
    assert_eq!(who_can_check("accounts.policy"), Some(Checker::Vendor));
    assert_eq!(who_can_check("net.router.exposure"), Some(Checker::Vendor));
    assert_eq!(who_can_check("not.registered"), None);
    let staff = how_to_check_probe("screen.lock", Some(UnknownReason::CommandMissing));
    assert!(staff.ja.contains("院内のスタッフ"), "{}", staff.ja);
    assert!(!staff.ja.contains("事業者（ベンダー）に確認を依頼"));
    let vendor = how_to_check_probe("accounts.policy", Some(UnknownReason::CommandMissing));
    assert!(vendor.ja.contains("事業者"), "{}", vendor.ja);
    assert!(!vendor.ja.contains("院内のスタッフ"));
    // Running again is the way when it needs administrator rights, whoever the checker is.
    assert!(
        how_to_check_probe("screen.lock", Some(UnknownReason::NeedsElevation))
            .ja
            .contains("管理者として実行")
    );
}

/// Every probe the registry knows declares who can check it; the staff ones are those a
/// receptionist can see on the PC's screens.
#[test]
fn every_registered_probe_names_its_checker() {
    use tenken_checklist::mapping::evidence::{Checker, EvidenceMap};
    let m = EvidenceMap::builtin().unwrap();
    let staff: Vec<&str> = m
        .probes
        .iter()
        .filter(|p| p.checker == Checker::Staff)
        .map(|p| p.id.as_str())
        .collect();
    assert!(staff.contains(&"screen.lock") && staff.contains(&"backup.evidence"));
    assert!(
        staff
            .iter()
            .all(|id| !id.starts_with("net.") && !id.starts_with("lan."))
    );
}

#[test]
fn counts_by_verdict() {
    let f = vec![
        finding("a", "a", Verdict::Pass),
        finding("b", "b", Verdict::Pass),
        finding("c", "c", Verdict::Fail),
        finding("d", "d", Verdict::Unknown),
    ];
    assert_eq!(verdict_counts(&f), [2, 0, 1, 1, 0]);
}
