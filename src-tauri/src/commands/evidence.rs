//! Evidence where people need it: the results kept with this fiscal year's assessment, per item
//! (checklist side panel, contradictions) and grouped by meaning (automatic check, home). Thin
//! wrappers over `tenken_core::assessment::{evidence_map, results}`.

use tenken_core::assessment::evidence_map::{self, ContradictionKind, EvidenceStatus};
use tenken_core::assessment::results::{self, ResultGroup};
use tenken_core::checklist::Checklist;
use tenken_core::evidence::{Bundle, Finding, Verdict};

use crate::commands::scan::state_of;
use crate::dto::{CmdResult, CommandError, TextDto};
use crate::dto_evidence::{
    ContradictionDto, FindingDto, HostCheckDto, ItemEvidenceDto, ItemLinkDto, ResultGroupDto,
    ScanResultsDto, VerdictCountsDto,
};
use crate::state::AppState;
use crate::validate;

/// One finding as the UI shows it; `checklist` resolves the item numbers it supports.
pub fn finding_dto(checklist: &Checklist, bundle: &Bundle, f: &Finding) -> FindingDto {
    let items = f
        .checklist_refs
        .iter()
        .filter(|r| r.checklist == checklist.id)
        .filter_map(|r| {
            checklist
                .items()
                .find(|i| i.id == r.item)
                .map(|i| ItemLinkDto {
                    id: i.id.clone(),
                    number: i.number.clone(),
                })
        })
        .collect();
    let unknown = f.verdict == Verdict::Unknown;
    FindingDto {
        host: bundle.host.hostname.clone(),
        probe_id: f.probe_id.clone(),
        network: evidence_map::is_network_probe(&f.probe_id),
        title: (&f.title).into(),
        verdict: state_of(f.verdict).into(),
        summary: (&f.summary).into(),
        action: (&f.action).into(),
        reason: if unknown {
            Some(
                (&f.reason
                    .map(|r| r.text())
                    .unwrap_or_else(|| tenken_core::evidence::UnknownReason::Other.text()))
                    .into(),
            )
        } else {
            None
        },
        how_to_check: unknown.then(|| (&results::how_to_check_probe(&f.probe_id, f.reason)).into()),
        who_can_check: if unknown {
            results::who_can_check(&f.probe_id)
        } else {
            None
        },
        items,
        checked_at: bundle.ended_at.to_rfc3339(),
    }
}

fn status_str(s: EvidenceStatus) -> &'static str {
    match s {
        EvidenceStatus::Supported => "supported",
        EvidenceStatus::Contradicted => "contradicted",
        EvidenceStatus::None => "none",
        EvidenceStatus::Unverified => "unverified",
        EvidenceStatus::Review => "review",
        EvidenceStatus::Context => "context",
    }
}

fn kind_str(k: ContradictionKind) -> &'static str {
    match k {
        ContradictionKind::YesButFail => "yes_but_fail",
        ContradictionKind::YesButWarn => "yes_but_warn",
        ContradictionKind::NaButFail => "na_but_fail",
        ContradictionKind::NaButWarn => "na_but_warn",
        ContradictionKind::NoButPass => "no_but_pass",
    }
}

/// Group id as the UI knows it.
pub fn group_str(g: ResultGroup) -> &'static str {
    match g {
        ResultGroup::ActionNeeded => "action_needed",
        ResultGroup::Improve => "improve",
        ResultGroup::Unverified => "unverified",
        ResultGroup::Ok => "ok",
        ResultGroup::NotApplicable => "not_applicable",
    }
}

/// Evidence of every item and scope row of `checklist` (clinic sheet) from `bundles`.
pub fn evidence_rows(
    checklist: &Checklist,
    assessment: &tenken_core::assessment::Assessment,
    bundles: &[Bundle],
) -> Vec<ItemEvidenceDto> {
    let sheet = checklist.for_sheet(crate::commands::checklist::SHEET);
    evidence_map::map_evidence(&sheet, assessment, bundles)
        .into_iter()
        .map(|e| ItemEvidenceDto {
            item_id: e.item_id.clone(),
            scope: e.scope,
            status: status_str(e.status).into(),
            findings: e
                .findings
                .iter()
                .map(|m| finding_dto(&sheet, &bundles[m.bundle_index], m.finding))
                .collect(),
            contradictions: e
                .contradictions
                .iter()
                .map(|c| ContradictionDto {
                    host: c.host.clone(),
                    probe_id: c.probe_id.clone(),
                    kind: kind_str(c.kind).into(),
                    message: (&c.message).into(),
                })
                .collect(),
        })
        .collect()
}

/// The kept results grouped by meaning, with one summary per host (most recent first).
pub fn scan_results_of(checklist: &Checklist, bundles: &[Bundle]) -> ScanResultsDto {
    let mut hosts: Vec<HostCheckDto> = bundles
        .iter()
        .map(|b| {
            let [pass, warn, fail, unknown, na] = results::verdict_counts(&b.findings);
            HostCheckDto {
                host: b.host.hostname.clone(),
                os: format!("{} {}", b.host.os_name, b.host.os_version)
                    .trim()
                    .to_string(),
                checked_at: b.ended_at.to_rfc3339(),
                counts: VerdictCountsDto {
                    pass,
                    warn,
                    fail,
                    unknown,
                    na,
                },
                network: b
                    .findings
                    .iter()
                    .any(|f| evidence_map::is_network_probe(&f.probe_id)),
                replayed: b.replayed,
            }
        })
        .collect();
    hosts.sort_by(|a, b| b.checked_at.cmp(&a.checked_at));
    let groups = results::group_findings(bundles)
        .into_iter()
        .map(|(g, list)| ResultGroupDto {
            group: group_str(g).into(),
            findings: list
                .iter()
                .filter_map(|hf| {
                    bundles
                        .iter()
                        .find(|b| b.host.hostname == hf.host)
                        .map(|b| finding_dto(checklist, b, hf.finding))
                })
                .collect(),
        })
        .collect();
    ScanResultsDto { hosts, groups }
}

/// This fiscal year's assessment for `checklist_id`, its checklist and its current bundles
/// without their raw outputs (these views show verdicts and facts, never the outputs; a
/// hospital's thousand PCs would otherwise be held whole for every view).
pub fn load(
    state: &AppState,
    checklist_id: &str,
) -> CmdResult<(tenken_core::assessment::Assessment, Checklist, Vec<Bundle>)> {
    let mut session = state.session()?;
    let (a, c) = session
        .assessment_with_checklist(tenken_core::Which::Checklist(checklist_id))
        .map_err(CommandError::of)?;
    let bundles = session.bundles(a.id).map_err(CommandError::of)?;
    Ok((a, c, bundles))
}

/// Evidence of every item and scope row of `checklist_id` from this fiscal year's kept results:
/// which results speak to it, its status and any contradiction with the answer. Answers are
/// only read.
#[tauri::command]
pub async fn item_evidence(
    app: tauri::AppHandle,
    checklist_id: String,
) -> CmdResult<Vec<ItemEvidenceDto>> {
    crate::engine::off_main(app, move |_app, state| {
        validate::id(&checklist_id)?;
        let (a, c, bundles) = load(state, &checklist_id)?;
        Ok(evidence_rows(&c, &a, &bundles))
    })
    .await
}

/// The results kept with this fiscal year's assessment, grouped by meaning (empty when nothing
/// was checked yet); item numbers refer to `checklist_id`.
#[tauri::command]
pub async fn scan_results(
    app: tauri::AppHandle,
    checklist_id: String,
) -> CmdResult<ScanResultsDto> {
    crate::engine::off_main(app, move |_app, state| {
        validate::id(&checklist_id)?;
        let (_, c, bundles) = load(state, &checklist_id)?;
        Ok(scan_results_of(
            &c.for_sheet(crate::commands::checklist::SHEET),
            &bundles,
        ))
    })
    .await
}

/// Plain text of a verdict (for messages built in Rust).
pub fn verdict_text(v: Verdict) -> TextDto {
    TextDto {
        ja: v.label(tenken_core::Lang::Ja).into(),
        en: v.label(tenken_core::Lang::En).into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use tenken_core::assessment::{Answer, AnswerValue};
    use tenken_core::checklist::Scope;
    use tenken_core::sign::keystore::KeyStore;
    use tenken_testkit::sample;

    /// A data dir with this year's assessment of the official checklist, the sample bundles kept
    /// as the app keeps them, and はい answered on the item the overdue-updates finding names.
    fn setup() -> (tempfile::TempDir, AppState, String, String) {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let cl = crate::engine::checklists(state.dir()).unwrap();
        // The sample findings name items of the sample checklist id; find its items in the real
        // one by re-pointing the refs at the first official checklist.
        let c = cl
            .iter()
            .find(|c| c.kind == tenken_core::checklist::ChecklistKind::Official)
            .unwrap()
            .clone();
        let (a, _) = crate::engine::assessment_for(&state, &c.id).unwrap();
        let sheet = c.for_sheet(crate::commands::checklist::SHEET);
        let item = sheet
            .items()
            .find(|i| i.answer_scopes().contains(&Scope::Server))
            .unwrap()
            .clone();
        let keys = KeyStore::open(state.dir());
        for mut b in sample::bundles() {
            for f in &mut b.findings {
                for r in &mut f.checklist_refs {
                    r.checklist = c.id.clone();
                    r.item = item.id.clone();
                }
            }
            let mut store = state.store().unwrap();
            tenken_core::workflow::keep_host_findings(&mut store, &keys, a.id, b, "テスト")
                .unwrap();
        }
        let mut store = state.store().unwrap();
        store
            .set_answer(
                a.id,
                &c,
                Answer::new(item.id.clone(), Scope::Server, AnswerValue::Yes),
            )
            .unwrap();
        drop(store);
        (dir, state, c.id.clone(), item.id.clone())
    }

    #[test]
    fn yes_contradicted_by_failing_evidence_is_flagged_and_answer_unchanged() {
        let (_dir, state, cid, item) = setup();
        let (a, c, bundles) = load(&state, &cid).unwrap();
        assert_eq!(bundles.len(), 3, "three hosts kept");
        let rows = evidence_rows(&c, &a, &bundles);
        let row = rows
            .iter()
            .find(|r| r.item_id == item && r.scope == crate::dto::ScopeDto::Server)
            .unwrap();
        assert_eq!(row.status, "contradicted");
        assert!(!row.contradictions.is_empty());
        assert!(
            row.contradictions
                .iter()
                .all(|c| c.message.ja.contains("はい"))
        );
        // Every host's results are listed, with the item number resolved.
        let hosts: std::collections::BTreeSet<&str> =
            row.findings.iter().map(|f| f.host.as_str()).collect();
        assert_eq!(hosts.len(), 3);
        assert!(
            row.findings
                .iter()
                .all(|f| f.items.iter().any(|i| i.id == item))
        );
        // 未確認 results carry their reason and what to do.
        for f in row.findings.iter().filter(|f| f.verdict == "unknown") {
            assert!(f.reason.is_some() && f.how_to_check.is_some());
        }
        // The answer itself is untouched.
        let answers = state.store().unwrap().answers(a.id).unwrap();
        let ans = answers.iter().find(|x| x.item_id == item).unwrap();
        assert_eq!(ans.value, AnswerValue::Yes);
        // Rows without findings say so.
        assert!(rows.iter().any(|r| r.item_id != item && r.status == "none"));
    }

    #[test]
    fn results_are_grouped_by_meaning_and_survive_reopening() {
        let (dir, state, cid, _) = setup();
        drop(state);
        let state = AppState::open(dir.path()).unwrap();
        let (_, c, bundles) = load(&state, &cid).unwrap();
        let r = scan_results_of(&c, &bundles);
        assert_eq!(r.hosts.len(), 3);
        let order: Vec<&str> = r.groups.iter().map(|g| g.group.as_str()).collect();
        let all = [
            "action_needed",
            "improve",
            "unverified",
            "ok",
            "not_applicable",
        ];
        let mut pos: Vec<usize> = order
            .iter()
            .map(|g| all.iter().position(|x| x == g).unwrap())
            .collect();
        let sorted = {
            let mut p = pos.clone();
            p.sort();
            p
        };
        assert_eq!(pos, sorted, "groups in meaning order: {order:?}");
        pos.dedup();
        assert_eq!(pos.len(), order.len());
        let total: usize = r.groups.iter().map(|g| g.findings.len()).sum();
        let expected: usize = bundles.iter().map(|b| b.findings.len()).sum();
        assert_eq!(total, expected);
        let fail = r
            .groups
            .iter()
            .find(|g| g.group == "action_needed")
            .unwrap();
        assert!(fail.findings.iter().all(|f| f.verdict == "fail"));
        let sum: u32 = r
            .hosts
            .iter()
            .map(|h| h.counts.pass + h.counts.warn + h.counts.fail + h.counts.unknown + h.counts.na)
            .sum();
        assert_eq!(sum as usize, expected);
    }

    #[test]
    fn nothing_checked_yet_gives_empty_results() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let cid = crate::engine::checklists(state.dir()).unwrap()[0]
            .id
            .clone();
        let (a, c, bundles) = load(&state, &cid).unwrap();
        assert!(bundles.is_empty());
        assert!(scan_results_of(&c, &bundles).hosts.is_empty());
        assert!(
            evidence_rows(&c, &a, &bundles)
                .iter()
                .all(|r| r.status == "none")
        );
    }

    /// A real (read-only) local check of two probes on this machine, kept the way the app keeps
    /// it: the results come back grouped, every result accounted for, 未確認 never counted as ok.
    #[test]
    fn a_real_local_check_is_kept_and_shown_grouped() {
        use tenken_core::probe::runner::{self, ScanOptions};
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let cid = crate::engine::checklists(state.dir()).unwrap()[0]
            .id
            .clone();
        let _ = crate::engine::assessment_for(&state, &cid).unwrap();
        let opts = ScanOptions {
            only: vec!["firewall.host".into(), "ports.listening".into()],
            ..ScanOptions::default()
        };
        let bundle = runner::scan_blocking(tenken_core::probe::checks::all(), opts, None).unwrap();
        assert_eq!(bundle.findings.len(), 2);
        {
            let a = crate::engine::current_assessment(&state).unwrap();
            let keys = KeyStore::open(state.dir());
            let mut store = state.store().unwrap();
            tenken_core::workflow::keep_host_findings(&mut store, &keys, a.id, bundle.clone(), "t")
                .unwrap();
        }
        let (_, c, bundles) = load(&state, &cid).unwrap();
        let r = scan_results_of(&c, &bundles);
        assert_eq!(r.hosts.len(), 1);
        assert_eq!(r.hosts[0].host, bundle.host.hostname);
        let all: Vec<&FindingDto> = r.groups.iter().flat_map(|g| g.findings.iter()).collect();
        assert_eq!(all.len(), 2);
        for g in &r.groups {
            for f in &g.findings {
                let expected = match f.verdict.as_str() {
                    "fail" => "action_needed",
                    "warn" => "improve",
                    "unknown" => "unverified",
                    "pass" => "ok",
                    _ => "not_applicable",
                };
                assert_eq!(g.group, expected, "{}", f.probe_id);
                if f.verdict == "unknown" {
                    assert!(f.reason.is_some() && f.how_to_check.is_some());
                }
            }
        }
    }

    /// net.gateway and net.peers read this PC's route table and connection list: the host is not
    /// tagged as network-checked and their results are not network results; a real network
    /// check (net.upnp) is. The kind comes from the evidence registry, not the `net.` prefix.
    #[test]
    fn local_probes_with_net_ids_are_not_shown_as_network_checks() {
        let c = sample::checklist();
        let mut local = sample::bundles().remove(0);
        local.findings = vec![
            sample::finding("net.gateway", Verdict::Pass, &[], serde_json::json!({})),
            sample::finding("net.peers", Verdict::Pass, &[], serde_json::json!({})),
        ];
        let r = scan_results_of(&c, std::slice::from_ref(&local));
        assert!(
            !r.hosts[0].network,
            "local probes only: no network check ran"
        );
        let all: Vec<&FindingDto> = r.groups.iter().flat_map(|g| g.findings.iter()).collect();
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|f| !f.network));
        let mut net = local.clone();
        net.findings.push(sample::finding(
            "net.upnp",
            Verdict::Fail,
            &[],
            serde_json::json!({}),
        ));
        let r = scan_results_of(&c, std::slice::from_ref(&net));
        assert!(r.hosts[0].network);
        let flagged: Vec<&str> = r
            .groups
            .iter()
            .flat_map(|g| g.findings.iter())
            .filter(|f| f.network)
            .map(|f| f.probe_id.as_str())
            .collect();
        assert_eq!(flagged, ["net.upnp"]);
    }
}
