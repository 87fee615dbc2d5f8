//! The readiness review before signing (issue 15 item 2), on the synthesised sample: what is
//! open, where it is fixed, and the first-page sentence of a report signed with gaps.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::TimeZone;
use chrono::{DateTime, Duration, Utc};
use tenken_assessment::evidence_map::{EvidenceStatus, map_evidence};
use tenken_assessment::readiness::*;
use tenken_assessment::{Answer, AnswerValue, Assessment, Assessor};
use tenken_base::Lang;
use tenken_checklist::Scope;
use tenken_evidence::{Bundle, Verdict};
use tenken_testkit::sample;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 11, 20, 3, 0, 0).unwrap()
}

fn run(a: &Assessment, bundles: &[Bundle], vendors: &[VendorSheetState]) -> Readiness {
    let cl = sample::checklist();
    review(&ReadinessInput {
        checklist: &cl,
        assessment: a,
        bundles,
        vendor_sheets: vendors,
        now: now(),
        today: now().date_naive(),
    })
}

fn kinds(r: &Readiness, kind: GapKind) -> Vec<String> {
    r.entries
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.item_id.clone().or(e.subject.clone()).unwrap_or_default())
        .collect()
}

#[test]
fn empty_assessment_lists_every_item_the_profile_and_the_missing_check() {
    let mut a = sample::assessment();
    a.answers.clear();
    a.profile.name = "  ".into();
    a.assessor = Assessor::default();
    let r = run(&a, &[], &[]);
    let c = r.counts();
    assert_eq!(c.unanswered, sample::checklist().items().count());
    assert!(c.clinic_name_missing && c.assessor_missing && c.no_automatic_check);
    assert_eq!(r.entries[0].kind, GapKind::ClinicNameMissing);
    assert_eq!(r.entries[0].target, FixTarget::Profile);
    let u = r
        .entries
        .iter()
        .find(|e| e.kind == GapKind::Unanswered)
        .unwrap();
    assert_eq!(u.target, FixTarget::Checklist);
    assert_eq!(u.target.screen(), "checklist");
    assert!(u.command.starts_with("tenken assessment answer"));
    assert!(u.item_number.is_some());
    let scan = r
        .entries
        .iter()
        .find(|e| e.kind == GapKind::NoAutomaticCheck)
        .unwrap();
    assert_eq!(scan.target, FixTarget::Scan);
    // Kinds come in their display order.
    let order: Vec<GapKind> = r.entries.iter().map(|e| e.kind).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn sample_lists_its_unanswered_overdue_contradicted_and_unverified_items() {
    let a = sample::assessment();
    let bundles = sample::bundles();
    let r = run(&a, &bundles, &[]);
    // 3-4 is left unanswered in the sample; items are counted once, not per scope row.
    assert_eq!(kinds(&r, GapKind::Unanswered), vec!["3-4"]);
    // いいえ answers target 2026-03-31: not overdue on 2025-11-20.
    assert!(kinds(&r, GapKind::TargetOverdue).is_empty());
    // はい on updates against the os.patches 不適合.
    assert!(kinds(&r, GapKind::Contradicted).contains(&sample::PATCH_ITEM.to_string()));
    assert!(!r.counts().no_automatic_check);
    assert!(!r.counts().clinic_name_missing && !r.counts().assessor_missing);
    // Every 未確認 entry names an item whose evidence has a 未確認 finding.
    let cl = sample::checklist();
    let map = map_evidence(&cl, &a, &bundles);
    let unverified = kinds(&r, GapKind::Unverified);
    assert!(!unverified.is_empty(), "the sample has 未確認 evidence");
    for id in unverified {
        assert!(map.iter().any(|m| {
            m.item_id == id
                && m.status == EvidenceStatus::Unverified
                && m.findings
                    .iter()
                    .any(|f| f.finding.verdict == Verdict::Unknown)
        }));
    }
}

#[test]
fn overdue_targets_old_checks_and_pending_vendors_are_listed() {
    let mut a = sample::assessment();
    a.created_at = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    let r0 = run(&a, &sample::bundles(), &[]);
    assert!(kinds(&r0, GapKind::AutomaticCheckOld).is_empty());
    for ans in &mut a.answers {
        if ans.value == AnswerValue::No {
            ans.target_date = chrono::NaiveDate::from_ymd_opt(2025, 11, 1);
        }
    }
    let mut bundles = sample::bundles();
    bundles[1].ended_at = now() - Duration::days(OLD_AFTER_DAYS + 1);
    let vendors = [
        VendorSheetState {
            vendor: "A社".into(),
            returned: false,
        },
        VendorSheetState {
            vendor: "B社".into(),
            returned: true,
        },
    ];
    let r = run(&a, &bundles, &vendors);
    assert!(kinds(&r, GapKind::TargetOverdue).contains(&"2-3".to_string()));
    assert_eq!(
        kinds(&r, GapKind::AutomaticCheckOld),
        vec![bundles[1].host.hostname.clone()]
    );
    assert_eq!(kinds(&r, GapKind::VendorSheetPending), vec!["A社"]);
    let v = r
        .entries
        .iter()
        .find(|e| e.kind == GapKind::VendorSheetPending)
        .unwrap();
    assert_eq!(v.target, FixTarget::Vendor);
    assert!(v.message.ja.contains("A社"));
    // A check made before the assessment was created is old too.
    let mut a2 = a.clone();
    a2.created_at = now();
    let r2 = run(&a2, &sample::bundles(), &[]);
    assert_eq!(r2.counts().old_checks, 3);
}

#[test]
fn a_gate_answered_no_makes_the_rest_unnecessary() {
    let mut cl = sample::checklist();
    let gate_id = cl.sections[0].items[0].id.clone();
    cl.sections[0].items[0].gate = true;
    let mut a = sample::assessment();
    a.answers.clear();
    let mut gate = Answer::new(&gate_id, Scope::General, AnswerValue::No);
    gate.target_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 31);
    let scopes = cl.sections[0].items[0].answer_scopes();
    for s in scopes {
        let mut g = gate.clone();
        g.scope = s;
        a.answers.push(g);
    }
    let r = review(&ReadinessInput {
        checklist: &cl,
        assessment: &a,
        bundles: &[],
        vendor_sheets: &[],
        now: now(),
        today: now().date_naive(),
    });
    assert_eq!(r.counts().unanswered, 0, "{:?}", r.entries);
    // Without the gate every other item is asked for.
    cl.sections[0].items[0].gate = false;
    let r = review(&ReadinessInput {
        checklist: &cl,
        assessment: &a,
        bundles: &[],
        vendor_sheets: &[],
        now: now(),
        today: now().date_naive(),
    });
    assert_eq!(r.counts().unanswered, cl.items().count() - 1);
}

#[test]
fn signing_note_names_what_was_open_or_that_nothing_was() {
    let mut a = sample::assessment();
    a.answers.clear();
    let r = run(&a, &[], &[]);
    let ja = r.signing_note(Lang::Ja);
    assert!(ja.starts_with("署名時点で未回答 20 項目"), "{ja}");
    assert!(ja.contains("自動チェック未実施") && ja.ends_with("がありました。"));
    let en = r.signing_note(Lang::En);
    assert!(en.contains("20 unanswered item(s)"), "{en}");
    let clear = Readiness {
        assessment_id: 1,
        checked_at: now(),
        entries: vec![],
    };
    assert!(clear.is_clear());
    assert_eq!(
        clear.signing_note(Lang::Ja),
        "署名時点で、残っている確認事項はありませんでした。"
    );
}

#[test]
fn serialises_with_stable_snake_case_kinds() {
    let mut a = sample::assessment();
    a.assessor.name.clear();
    let r = run(&a, &[], &[]);
    let v = serde_json::to_value(&r).unwrap();
    let e = &v["entries"][0];
    assert_eq!(e["kind"], "assessor_missing");
    assert_eq!(e["target"], "profile");
    let back: Readiness = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}
