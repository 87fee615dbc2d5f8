//! Year-over-year comparison of two fiscal years' assessments (clinic sheet): answers that
//! changed (improved / regressed), items new in the later checklist version, 目標日 (target
//! dates) met or overdue, and probe verdicts that changed on the same host. Pure over stored
//! data; items are matched across checklist versions with [`tenken_checklist::mapping`].

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use tenken_assessment::{Answer, AnswerValue, Assessment};
use tenken_checklist::{self as checklist, Checklist, Scope, mapping};
use tenken_evidence::{Bundle, Verdict};
use tenken_store::{Store, StoreError};

mod side_by_side;
pub use side_by_side::*;

/// Which assessment a side of the comparison is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Assessment id.
    pub assessment_id: i64,
    /// Checklist id.
    pub checklist_id: String,
}

/// Direction of an answer change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// いいえ → はい.
    Improved,
    /// はい → いいえ.
    Regressed,
    /// Any other change (e.g. to/from 該当なし or 未回答).
    Changed,
}

/// An answer that differs between the years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerChange {
    /// Item id in the earlier year.
    pub item_before: String,
    /// Item id in the later year.
    pub item_after: String,
    /// Item number in the later year (as printed).
    pub number: String,
    /// Scope row.
    pub scope: Scope,
    /// Earlier answer.
    pub before: AnswerValue,
    /// Later answer.
    pub after: AnswerValue,
    /// Direction.
    pub direction: Direction,
}

/// An item of the later checklist with no counterpart in the earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewItem {
    /// Item id.
    pub id: String,
    /// Number as printed.
    pub number: String,
    /// Item text (Japanese).
    pub text: String,
    /// The later year's answer, if any.
    pub answer: Option<AnswerValue>,
}

/// State of a 目標日 set in the earlier year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetState {
    /// The later year answers はい (or 該当なし).
    Met,
    /// Still not はい and the date has passed.
    Overdue,
    /// Still not はい, date not reached yet.
    Pending,
}

/// A 目標日 from the earlier year and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetCheck {
    /// Item id in the earlier year.
    pub item: String,
    /// Scope row.
    pub scope: Scope,
    /// The target date.
    pub target_date: NaiveDate,
    /// Outcome.
    pub state: TargetState,
}

/// A probe verdict that changed on the same host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    /// Host name.
    pub host: String,
    /// Probe id.
    pub probe_id: String,
    /// What the probe checks (its title in the later bundle).
    pub title: tenken_base::Text,
    /// Earlier verdict.
    pub before: Verdict,
    /// Later verdict.
    pub after: Verdict,
}

/// The comparison of two fiscal years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Earlier year.
    pub from: Side,
    /// Later year.
    pub to: Side,
    /// Changed answers.
    pub changes: Vec<AnswerChange>,
    /// Items new in the later checklist.
    pub new_items: Vec<NewItem>,
    /// 目標日 of the earlier year.
    pub targets: Vec<TargetCheck>,
    /// Probe verdicts that changed on hosts scanned in both years.
    pub findings: Vec<FindingChange>,
}

/// Errors of the comparison.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Store error.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No clinic assessment for a year.
    #[error("{0}年度の点検がありません (no assessment for fiscal year {0})")]
    NoAssessment(u16),
    /// A checklist is missing.
    #[error("チェックリスト {0} が見つかりません (checklist not found)")]
    NoChecklist(String),
}

/// The medical institution's own assessment of a fiscal year (never a vendor's answer set):
/// [`Store::own_assessment`], the one rule for "this year's assessment".
pub fn year_assessment(store: &Store, fy: u16) -> Result<Option<Assessment>, StoreError> {
    store.own_assessment(fy)
}

fn direction(before: AnswerValue, after: AnswerValue) -> Direction {
    match (before, after) {
        (AnswerValue::No, AnswerValue::Yes) => Direction::Improved,
        (AnswerValue::Yes, AnswerValue::No) => Direction::Regressed,
        _ => Direction::Changed,
    }
}

fn find_answer<'a>(a: &'a Assessment, item: &str, scope: Scope) -> Option<&'a Answer> {
    a.answers
        .iter()
        .find(|x| x.item_id == item && x.scope == scope)
}

/// Compares fiscal years `fy1` (earlier) and `fy2` (later), loading checklists from the
/// built-ins and the store's data directory.
pub fn compare(store: &Store, fy1: u16, fy2: u16) -> Result<Comparison, CompareError> {
    let dir = store.path().parent().map(std::path::Path::to_path_buf);
    let lists =
        checklist::all(dir.as_deref()).map_err(|e| CompareError::NoChecklist(e.to_string()))?;
    compare_with(store, fy1, fy2, &lists, chrono::Local::now().date_naive())
}

/// The clinic assessments of `fy1` and `fy2`, each with its checklist from `lists`.
fn two_years<'a>(
    store: &Store,
    fy1: u16,
    fy2: u16,
    lists: &'a [Checklist],
) -> Result<(Assessment, &'a Checklist, Assessment, &'a Checklist), CompareError> {
    let a1 = year_assessment(store, fy1)?.ok_or(CompareError::NoAssessment(fy1))?;
    let a2 = year_assessment(store, fy2)?.ok_or(CompareError::NoAssessment(fy2))?;
    let cl = |id: &str| {
        lists
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| CompareError::NoChecklist(id.to_string()))
    };
    let (c1, c2) = (cl(&a1.checklist_id)?, cl(&a2.checklist_id)?);
    Ok((a1, c1, a2, c2))
}

/// [`compare`] with explicit checklists and "today" (for 目標日 overdue).
pub fn compare_with(
    store: &Store,
    fy1: u16,
    fy2: u16,
    lists: &[Checklist],
    today: NaiveDate,
) -> Result<Comparison, CompareError> {
    let (a1, c1, a2, c2) = two_years(store, fy1, fy2, lists)?;

    let mut changes = Vec::new();
    let mut targets = Vec::new();
    for ans in &a1.answers {
        // Only counterparts on the later assessment's sheet (R7 also maps 1-1 to the pharmacy
        // sheet's pharmacy-1-1, which a clinic does not answer).
        let mapped: Vec<_> = mapping::map_item(c1, c2, &ans.item_id)
            .unwrap_or_default()
            .into_iter()
            .filter(|i| i.on_sheet(a2.sheet))
            .collect();
        let laters: Vec<Option<&Answer>> = mapped
            .iter()
            .map(|it| find_answer(&a2, &it.id, ans.scope))
            .collect();
        for (it, later) in mapped.iter().zip(&laters) {
            let after = later.map(|l| l.value).unwrap_or(AnswerValue::Unanswered);
            if after != ans.value {
                changes.push(AnswerChange {
                    item_before: ans.item_id.clone(),
                    item_after: it.id.clone(),
                    number: it.number.clone(),
                    scope: ans.scope,
                    before: ans.value,
                    after,
                    direction: direction(ans.value, after),
                });
            }
        }
        if let (AnswerValue::No, Some(td)) = (ans.value, ans.target_date) {
            let met = !laters.is_empty()
                && laters.iter().all(|l| {
                    l.is_some_and(|l| {
                        matches!(l.value, AnswerValue::Yes | AnswerValue::NotApplicable)
                    })
                });
            let state = if met {
                TargetState::Met
            } else if td < today {
                TargetState::Overdue
            } else {
                TargetState::Pending
            };
            targets.push(TargetCheck {
                item: ans.item_id.clone(),
                scope: ans.scope,
                target_date: td,
                state,
            });
        }
    }

    let new_items = if c1.id == c2.id {
        Vec::new()
    } else {
        mapping::new_items(c1, c2)
            .into_iter()
            .filter(|i| i.on_sheet(a2.sheet))
            .map(|i| NewItem {
                id: i.id.clone(),
                number: i.number.clone(),
                text: i.text.ja.clone(),
                answer: a2
                    .answers
                    .iter()
                    .find(|x| x.item_id == i.id)
                    .map(|x| x.value),
            })
            .collect()
    };

    let findings = finding_changes(store, a1.id, a2.id)?;

    let side = |a: &Assessment| Side {
        fiscal_year: a.fiscal_year,
        assessment_id: a.id,
        checklist_id: a.checklist_id.clone(),
    };
    Ok(Comparison {
        from: side(&a1),
        to: side(&a2),
        changes,
        new_items,
        targets,
        findings,
    })
}

/// Probe verdicts that changed between two assessments on hosts scanned in both (current,
/// non-superseded bundles; hosts matched by name; bundles that do not parse are skipped).
///
/// Both years are read one bundle at a time ([`Store::for_each_current_bundle`]): the earlier
/// year is kept as the verdict of each probe per host name only (probe ids shared), and each
/// later bundle is compared and dropped as it is read, so a hospital's thousands of PCs are never
/// in memory at once. Of several current bundles with the same host name, the oldest counts; of
/// several findings of one probe in a bundle, the first.
pub fn finding_changes(
    store: &Store,
    earlier: i64,
    later: i64,
) -> Result<Vec<FindingChange>, StoreError> {
    // Probe ids, each stored once: a fleet's hosts run the same few dozen probes.
    let mut probes: HashMap<String, usize> = HashMap::new();
    // Host name -> (probe, verdict) of its earlier bundle, in the bundle's order.
    let mut before: HashMap<String, Vec<(usize, Verdict)>> = HashMap::new();
    store.for_each_current_bundle(Some(earlier), |stored| {
        let Ok(bundle) = Bundle::from_json(stored.bundle_json.as_bytes()) else {
            return Ok::<(), StoreError>(());
        };
        if before.contains_key(&bundle.host.hostname) {
            return Ok(());
        }
        let mut verdicts: Vec<(usize, Verdict)> = Vec::with_capacity(bundle.findings.len());
        for f in bundle.findings {
            let next = probes.len();
            let probe = *probes.entry(f.probe_id).or_insert(next);
            if !verdicts.iter().any(|(p, _)| *p == probe) {
                verdicts.push((probe, f.verdict));
            }
        }
        before.insert(bundle.host.hostname, verdicts);
        Ok(())
    })?;
    let mut findings = Vec::new();
    store.for_each_current_bundle(Some(later), |stored| {
        let Ok(bundle) = Bundle::from_json(stored.bundle_json.as_bytes()) else {
            return Ok::<(), StoreError>(());
        };
        let Some(earlier) = before.get(&bundle.host.hostname) else {
            return Ok(());
        };
        for f in bundle.findings {
            let Some(probe) = probes.get(&f.probe_id) else {
                continue;
            };
            if let Some((_, was)) = earlier.iter().find(|(p, _)| p == probe)
                && *was != f.verdict
            {
                findings.push(FindingChange {
                    host: bundle.host.hostname.clone(),
                    probe_id: f.probe_id,
                    title: f.title,
                    before: *was,
                    after: f.verdict,
                });
            }
        }
        Ok(())
    })?;
    Ok(findings)
}

/// What became of a 目標日 set with an earlier いいえ, given the later answer and today.
pub fn target_state(
    later: Option<AnswerValue>,
    target: NaiveDate,
    today: NaiveDate,
) -> TargetState {
    if matches!(later, Some(AnswerValue::Yes | AnswerValue::NotApplicable)) {
        TargetState::Met
    } else if target < today {
        TargetState::Overdue
    } else {
        TargetState::Pending
    }
}

impl tenken_base::Kinded for CompareError {
    fn kind(&self) -> tenken_base::ErrorKind {
        match self {
            CompareError::Store(e) => e.kind(),
            CompareError::NoAssessment(_) | CompareError::NoChecklist(_) => {
                tenken_base::ErrorKind::NotFound
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use tenken_store::{BundleTrust, NewAssessment};

    /// An answer of `value` for `item` / `scope` with an optional 目標日 (also used by
    /// `side_by_side`'s tests).
    pub(super) fn answer(
        item: &str,
        scope: Scope,
        value: AnswerValue,
        target: Option<&str>,
    ) -> Answer {
        Answer {
            target_date: target.map(|t| t.parse().unwrap()),
            ..Answer::new(item, scope, value)
        }
    }

    /// Synthesised bundle of host `host` with one firewall finding.
    fn bundle(host: &str, verdict: &str) -> String {
        serde_json::json!({"format": "tenken-bundle/1",
            "host": {"hostname": host, "os_family": "windows", "os_name": "Windows 11 Pro",
                     "os_version": "23H2", "ips": [], "macs": [], "user": "", "elevated": true,
                     "tool_version": "0.1.0"},
            "started_at": "2025-06-01T00:00:00Z", "ended_at": "2025-06-01T00:01:00Z",
            "findings": [{"probe_id": "firewall.host", "title": {"ja": "", "en": ""},
                "verdict": verdict, "summary": {"ja": "", "en": ""},
                "action": {"ja": "", "en": ""}, "facts": {}, "checklist_refs": [],
                "evidence": []}]})
        .to_string()
    }

    /// Synthesised bundle of host `host` with one finding per `(probe id, verdict)`, titled
    /// after the probe and its verdict.
    fn bundle_of(host: &str, findings: &[(&str, &str)]) -> String {
        let findings: Vec<_> = findings
            .iter()
            .map(|(probe, verdict)| {
                serde_json::json!({"probe_id": probe,
                    "title": {"ja": format!("{probe} {verdict}"), "en": probe},
                    "verdict": verdict, "summary": {"ja": "", "en": ""},
                    "action": {"ja": "", "en": ""}, "facts": {}, "checklist_refs": [],
                    "evidence": []})
            })
            .collect();
        serde_json::json!({"format": "tenken-bundle/1",
            "host": {"hostname": host, "os_family": "windows", "os_name": "Windows 11 Pro",
                     "os_version": "23H2", "ips": [], "macs": [], "user": "", "elevated": true,
                     "tool_version": "0.1.0"},
            "started_at": "2025-06-01T00:00:00Z", "ended_at": "2025-06-01T00:01:00Z",
            "findings": findings})
        .to_string()
    }

    /// The comparison as it was made before it streamed: every current bundle of both years
    /// parsed and held, hosts and probes matched by the first of each name.
    fn finding_changes_all_at_once(store: &Store, earlier: i64, later: i64) -> Vec<FindingChange> {
        let hosts = |id: i64| -> Vec<Bundle> {
            store
                .bundles(Some(id))
                .unwrap()
                .into_iter()
                .filter(|b| !b.superseded)
                .filter_map(|b| Bundle::from_json(b.bundle_json.as_bytes()).ok())
                .collect()
        };
        let (b1, b2) = (hosts(earlier), hosts(later));
        let mut findings = Vec::new();
        for later in &b2 {
            let Some(earlier) = b1.iter().find(|b| b.host.hostname == later.host.hostname) else {
                continue;
            };
            for f in &later.findings {
                if let Some(e) = earlier.findings.iter().find(|e| e.probe_id == f.probe_id)
                    && e.verdict != f.verdict
                {
                    findings.push(FindingChange {
                        host: later.host.hostname.clone(),
                        probe_id: f.probe_id.clone(),
                        title: f.title.clone(),
                        before: e.verdict,
                        after: f.verdict,
                    });
                }
            }
        }
        findings
    }

    #[test]
    fn finding_changes_stream_to_what_holding_every_bundle_gave() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let lists = checklist::builtin().unwrap();
        let r7 = lists.iter().find(|c| c.id == "mhlw-r7").unwrap();
        let mut ids = Vec::new();
        for fy in [2024, 2025] {
            ids.push(
                store
                    .create_assessment(
                        r7,
                        &NewAssessment {
                            fiscal_year: fy,
                            checklist_id: r7.id.clone(),
                            sheet: tenken_assessment::Sheet::Clinic,
                            profile: Default::default(),
                            assessor: Default::default(),
                        },
                    )
                    .unwrap(),
            );
        }
        let (a1, a2) = (ids[0], ids[1]);
        let fw = "firewall.host";
        let av = "antivirus.status";
        /// Assessment, host, findings, and whether earlier bundles of the host are superseded.
        type Row<'a> = (i64, &'a str, &'a [(&'a str, &'a str)], bool);
        let rows: &[Row<'_>] = &[
            (a1, "A", &[(fw, "pass"), (av, "pass")], true),
            (a1, "B", &[(fw, "fail")], true),
            // C's first bundle is superseded by the second: only the second counts.
            (a1, "C", &[(fw, "fail")], true),
            (a1, "C", &[(fw, "pass")], true),
            // Two current bundles of D (kept side by side): the older one counts.
            (a1, "D", &[(fw, "pass")], true),
            (a1, "D", &[(fw, "fail")], false),
            // Two findings of one probe: the first counts.
            (a1, "E", &[(av, "warn"), (av, "pass")], true),
            (a1, "ONLY-EARLIER", &[(fw, "pass")], true),
            (a2, "ONLY-LATER", &[(fw, "fail")], true),
            (a2, "E", &[(av, "pass"), (av, "warn"), (fw, "fail")], true),
            (a2, "D", &[(fw, "fail")], true),
            (a2, "C", &[(fw, "fail"), ("net.peers", "warn")], true),
            (a2, "B", &[(fw, "fail")], true),
            (a2, "A", &[(av, "unknown"), (fw, "fail")], true),
        ];
        for (aid, host, findings, supersede) in rows {
            store
                .add_bundle(
                    Some(*aid),
                    host,
                    &bundle_of(host, findings),
                    None,
                    *supersede,
                )
                .unwrap();
        }
        // A bundle that does not parse is skipped in either year.
        for aid in [a1, a2] {
            store
                .add_bundle(Some(aid), "BROKEN", "{not json", None, true)
                .unwrap();
        }
        let got = finding_changes(&store, a1, a2).unwrap();
        assert_eq!(got, finding_changes_all_at_once(&store, a1, a2));
        let change = |host: &str, probe: &str, before, after| FindingChange {
            host: host.into(),
            probe_id: probe.into(),
            title: tenken_base::Text::new(
                format!(
                    "{probe} {}",
                    serde_json::to_value(after).unwrap().as_str().unwrap()
                ),
                probe,
            ),
            before,
            after,
        };
        assert_eq!(
            got,
            vec![
                change("E", av, Verdict::Warn, Verdict::Pass),
                change("E", av, Verdict::Warn, Verdict::Warn),
                change("D", fw, Verdict::Pass, Verdict::Fail),
                change("C", fw, Verdict::Pass, Verdict::Fail),
                change("A", av, Verdict::Pass, Verdict::Unknown),
                change("A", fw, Verdict::Pass, Verdict::Fail),
            ]
            .into_iter()
            .filter(|c| c.before != c.after)
            .collect::<Vec<_>>()
        );
        // The other direction pairs the same hosts.
        assert_eq!(
            finding_changes(&store, a2, a1).unwrap(),
            finding_changes_all_at_once(&store, a2, a1)
        );
    }

    #[test]
    fn r6_to_r7_changes_targets_new_items_and_hosts() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let lists = checklist::builtin().unwrap();
        let r6 = lists.iter().find(|c| c.id == "mhlw-r6").unwrap();
        let r7 = lists.iter().find(|c| c.id == "mhlw-r7").unwrap();
        let mk = |store: &mut Store, c: &Checklist, fy| {
            store
                .create_assessment(
                    c,
                    &NewAssessment {
                        fiscal_year: fy,
                        checklist_id: c.id.clone(),
                        sheet: tenken_assessment::Sheet::Clinic,
                        profile: Default::default(),
                        assessor: Default::default(),
                    },
                )
                .unwrap()
        };
        let a1 = mk(&mut store, r6, 2024);
        let a2 = mk(&mut store, r7, 2025);
        // R6 2-6 (server) became R7 2-11: はい → いいえ is a regression on the mapped item.
        store
            .set_answer(a1, r6, answer("2-6", Scope::Server, AnswerValue::Yes, None))
            .unwrap();
        store
            .set_answer(
                a2,
                r7,
                answer("2-11", Scope::Server, AnswerValue::No, Some("2026-03-31")),
            )
            .unwrap();
        // 1-1: いいえ with a passed 目標日, still unanswered → overdue.
        store
            .set_answer(
                a1,
                r6,
                answer("1-1", Scope::General, AnswerValue::No, Some("2025-03-31")),
            )
            .unwrap();
        // 0: いいえ with a future 目標日 → pending.
        store
            .set_answer(
                a1,
                r6,
                answer("0", Scope::General, AnswerValue::No, Some("2099-03-31")),
            )
            .unwrap();
        for (aid, v) in [(a1, "pass"), (a2, "fail")] {
            store
                .add_bundle_checked(
                    Some(aid),
                    "UKETSUKE",
                    &bundle("UKETSUKE", v),
                    None,
                    true,
                    BundleTrust::Verified,
                    None,
                )
                .unwrap();
        }
        let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let c = compare_with(&store, 2024, 2025, &lists, today).unwrap();

        let reg = c.changes.iter().find(|x| x.item_before == "2-6").unwrap();
        assert_eq!(reg.item_after, "2-11");
        assert_eq!(reg.direction, Direction::Regressed);
        let t = |item: &str| c.targets.iter().find(|t| t.item == item).unwrap().state;
        assert_eq!(t("1-1"), TargetState::Overdue);
        assert_eq!(t("0"), TargetState::Pending);
        let new: Vec<&str> = c.new_items.iter().map(|i| i.id.as_str()).collect();
        assert!(new.contains(&"2-7") && !new.contains(&"2-11"), "{new:?}");
        assert_eq!(
            c.findings,
            vec![FindingChange {
                host: "UKETSUKE".into(),
                probe_id: "firewall.host".into(),
                title: Default::default(),
                before: Verdict::Pass,
                after: Verdict::Fail,
            }]
        );
        assert!(matches!(
            compare_with(&store, 2024, 2023, &lists, today),
            Err(CompareError::NoAssessment(2023))
        ));
    }
}
