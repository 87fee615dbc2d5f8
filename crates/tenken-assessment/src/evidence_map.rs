//! Item <-> evidence mapping: which findings speak to which checklist item and scope row, and
//! where the human answer and the evidence disagree (contradictions are flagged, never used to
//! overwrite the answer). Pure functions, shared by the report and the GUI.
//!
//! Which finding speaks to which item, and how, is data: the evidence registry
//! (`checklists/evidence/evidence-map.toml`, [`EvidenceMap`]) gives each probe its items and
//! whether a finding `bears` on the answer (`verdict`) or is only related facts (`context`);
//! other checklist versions follow through the items' `previous_ids`. A finding of a probe the
//! registry does not know (or of a checklist it does not reach) falls back to the references the
//! finding carries, as `verdict`.
//!
//! The one contradiction rule ([`evaluate`]), for every answer and every finding that bears on
//! it: はい or 該当なし against 不適合 is 回答と矛盾, against 要改善 it is 要確認; いいえ against 適合
//! is 回答と矛盾. Evidence is green (証跡あり) only when it supports the answer: はい with 適合,
//! いいえ with 不適合 or 要改善. Context findings are listed and never make a row green or red.
//!
//! Scope rule: a finding names an item, not a scope row. Findings of network checks (registry
//! kind `network`) apply to the ネットワーク機器 row; other findings apply to the サーバ and 端末PC
//! rows; the 医療情報システム全般 row receives every finding of the item. An item with no row of
//! the finding's kind (2-⑬ 接続元制限 has only ネットワーク機器; a PC's firewall speaks to it)
//! receives the finding on the rows it has.

use serde::Serialize;

use std::collections::HashMap;

use crate::{AnswerValue, Assessment};
use tenken_base::Text;
use tenken_checklist::mapping::evidence::{Bears, EvidenceMap, ProbeKind};
use tenken_checklist::{Checklist, Scope};
use tenken_evidence::{Bundle, Finding, Verdict};

/// How the evidence relates to one answer row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    /// A finding that bears on the answer supports it (はい with 適合, いいえ with 不適合 or
    /// 要改善) and none contradicts it or asks for review.
    Supported,
    /// At least one finding contradicts the answer.
    Contradicted,
    /// A finding asks for a second look (はい or 該当なし against 要改善); nothing contradicts.
    Review,
    /// Findings exist, but none bears on this answer decisively (related facts only, an
    /// unanswered row, or 該当なし with a finding that agrees): shown, never green.
    Context,
    /// No finding names this item.
    None,
    /// Findings exist but all are 未確認 / 該当なし: nothing was established.
    Unverified,
}

impl EvidenceStatus {
    /// Label as printed in reports.
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        match (self, lang) {
            (EvidenceStatus::Supported, tenken_base::Lang::Ja) => "証跡あり",
            (EvidenceStatus::Contradicted, tenken_base::Lang::Ja) => "回答と矛盾",
            (EvidenceStatus::Review, tenken_base::Lang::Ja) => "要確認",
            (EvidenceStatus::Context, tenken_base::Lang::Ja) => "参考情報",
            (EvidenceStatus::None, tenken_base::Lang::Ja) => "証跡なし",
            (EvidenceStatus::Unverified, tenken_base::Lang::Ja) => "未確認",
            (EvidenceStatus::Supported, tenken_base::Lang::En) => "Evidence",
            (EvidenceStatus::Contradicted, tenken_base::Lang::En) => "Contradicts answer",
            (EvidenceStatus::Review, tenken_base::Lang::En) => "To review",
            (EvidenceStatus::Context, tenken_base::Lang::En) => "Related facts",
            (EvidenceStatus::None, tenken_base::Lang::En) => "No evidence",
            (EvidenceStatus::Unverified, tenken_base::Lang::En) => "Unverified",
        }
    }
}

/// Which way an answer and a finding disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContradictionKind {
    /// はい, but the finding is 不適合 (回答と矛盾).
    YesButFail,
    /// はい, but the finding is 要改善 (要確認).
    YesButWarn,
    /// 該当なし, but the finding is 不適合 (回答と矛盾: what the item asks about is there).
    NaButFail,
    /// 該当なし, but the finding is 要改善 (要確認).
    NaButWarn,
    /// いいえ, but the finding is 適合 (回答と矛盾).
    NoButPass,
}

impl ContradictionKind {
    /// True for the kinds that ask for a second look (要確認) rather than contradict (回答と矛盾).
    pub fn is_review(self) -> bool {
        matches!(
            self,
            ContradictionKind::YesButWarn | ContradictionKind::NaButWarn
        )
    }
}

/// A finding together with the host it came from.
#[derive(Debug, Clone, Copy)]
pub struct MappedFinding<'a> {
    /// Host name of the bundle.
    pub host: &'a str,
    /// Index of the bundle in the input slice.
    pub bundle_index: usize,
    /// The finding.
    pub finding: &'a Finding,
    /// How it bears on the item's answer.
    pub bears: Bears,
    /// Whether it comes from a network check (kept apart from this PC's own checks).
    pub network: bool,
}

/// One flagged disagreement between the answer and a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contradiction {
    /// Host of the finding.
    pub host: String,
    /// Probe id of the finding.
    pub probe_id: String,
    /// The finding's verdict.
    pub verdict: Verdict,
    /// Which way it disagrees.
    pub kind: ContradictionKind,
    /// Explanation for the reader.
    pub message: Text,
}

/// Evidence for one item and scope row.
#[derive(Debug, Clone)]
pub struct ItemEvidence<'a> {
    /// Section id of the item.
    pub section_id: String,
    /// Item id.
    pub item_id: String,
    /// Scope row.
    pub scope: Scope,
    /// The human answer (未回答 when no answer row exists).
    pub answer: AnswerValue,
    /// Findings naming the item (filtered by the scope rule).
    pub findings: Vec<MappedFinding<'a>>,
    /// Overall status.
    pub status: EvidenceStatus,
    /// Flagged contradictions and review requests (see [`ContradictionKind::is_review`]).
    pub contradictions: Vec<Contradiction>,
}

/// True for network probes by their id (`net.*`, `lan.*`): the fallback for probes the evidence
/// registry does not know; registered probes say their kind there.
pub fn is_network_probe(probe_id: &str) -> bool {
    match EvidenceMap::builtin().ok().and_then(|m| m.probe(probe_id)) {
        Some(p) => p.kind == ProbeKind::Network,
        None => probe_id.starts_with("net.") || probe_id.starts_with("lan."),
    }
}

/// Items of `checklist` an automatic check can back or contradict (a registered probe tests
/// them); `None` when the evidence registry does not reach this checklist (then it cannot be
/// said which items are beyond the automatic checks).
pub fn automatic_items(checklist: &Checklist) -> Option<Vec<String>> {
    let known = tenken_checklist::builtin().unwrap_or_default();
    let m = EvidenceMap::builtin().ok()?;
    m.covers(checklist, &known)
        .then(|| m.verdict_items(checklist, &known))
}

/// Whether a finding (network check or not) applies to the scope row `scope` (see the module
/// rule).
pub fn applies_to_scope(network: bool, scope: Scope) -> bool {
    match scope {
        Scope::General => true,
        Scope::Network => network,
        Scope::Server | Scope::Terminal => !network,
    }
}

/// The disagreement between an answer and one finding that bears on it, if any: the one rule.
pub fn contradiction_kind(answer: AnswerValue, verdict: Verdict) -> Option<ContradictionKind> {
    match (answer, verdict) {
        (AnswerValue::Yes, Verdict::Fail) => Some(ContradictionKind::YesButFail),
        (AnswerValue::Yes, Verdict::Warn) => Some(ContradictionKind::YesButWarn),
        (AnswerValue::NotApplicable, Verdict::Fail) => Some(ContradictionKind::NaButFail),
        (AnswerValue::NotApplicable, Verdict::Warn) => Some(ContradictionKind::NaButWarn),
        (AnswerValue::No, Verdict::Pass) => Some(ContradictionKind::NoButPass),
        _ => None,
    }
}

/// Whether a finding that bears on the answer supports it.
fn supports(answer: AnswerValue, verdict: Verdict) -> bool {
    matches!(
        (answer, verdict),
        (AnswerValue::Yes, Verdict::Pass) | (AnswerValue::No, Verdict::Fail | Verdict::Warn)
    )
}

/// Status and contradictions of one answer row given its findings.
pub fn evaluate(
    answer: AnswerValue,
    findings: &[MappedFinding<'_>],
) -> (EvidenceStatus, Vec<Contradiction>) {
    let bearing = || findings.iter().filter(|m| m.bears == Bears::Verdict);
    let contradictions: Vec<Contradiction> = bearing()
        .filter_map(|m| {
            let f = m.finding;
            contradiction_kind(answer, f.verdict).map(|kind| Contradiction {
                host: m.host.to_string(),
                probe_id: f.probe_id.clone(),
                verdict: f.verdict,
                kind,
                message: message(kind, m.host, f),
            })
        })
        .collect();
    let status = if findings.is_empty() {
        EvidenceStatus::None
    } else if contradictions.iter().any(|c| !c.kind.is_review()) {
        EvidenceStatus::Contradicted
    } else if !contradictions.is_empty() {
        EvidenceStatus::Review
    } else if bearing().any(|m| supports(answer, m.finding.verdict)) {
        EvidenceStatus::Supported
    } else if findings
        .iter()
        .all(|m| matches!(m.finding.verdict, Verdict::Unknown | Verdict::NotApplicable))
    {
        EvidenceStatus::Unverified
    } else {
        EvidenceStatus::Context
    };
    (status, contradictions)
}

fn message(kind: ContradictionKind, host: &str, f: &Finding) -> Text {
    let (ja, en) = match kind {
        ContradictionKind::YesButFail => (
            "回答は「はい」ですが、自動確認の結果は「不適合」です",
            "Answered Yes, but the automatic check failed",
        ),
        ContradictionKind::YesButWarn => (
            "回答は「はい」ですが、自動確認の結果は「要改善」です。確認してください",
            "Answered Yes, but the automatic check needs improvement: please review",
        ),
        ContradictionKind::NaButFail => (
            "回答は「該当なし」ですが、自動確認で対象が見つかり「不適合」です",
            "Answered Not applicable, but the automatic check found it and it failed",
        ),
        ContradictionKind::NaButWarn => (
            "回答は「該当なし」ですが、自動確認で対象が見つかり「要改善」です。確認してください",
            "Answered Not applicable, but the automatic check found it and it needs improvement: please review",
        ),
        ContradictionKind::NoButPass => (
            "回答は「いいえ」ですが、自動確認の結果は「適合」です",
            "Answered No, but the automatic check passed",
        ),
    };
    Text::new(
        format!("{ja}（{host}: {}）", f.summary.ja),
        format!("{en} ({host}: {})", f.summary.get(tenken_base::Lang::En)),
    )
}

/// Which items of `checklist` one probe's findings speak to, and how: from the evidence
/// registry when it reaches `checklist`; `None` when the finding's own references must be used.
struct Routes<'m> {
    registry: Option<&'m EvidenceMap>,
    known: Vec<Checklist>,
    cache: HashMap<String, Option<Vec<(String, Bears)>>>,
}

impl Routes<'_> {
    fn new(checklist: &Checklist) -> Self {
        let known = tenken_checklist::builtin().unwrap_or_default();
        let registry = EvidenceMap::builtin()
            .ok()
            .filter(|m| m.covers(checklist, &known));
        Routes {
            registry,
            known,
            cache: HashMap::new(),
        }
    }

    fn items(&mut self, checklist: &Checklist, probe_id: &str) -> Option<&[(String, Bears)]> {
        let registry = self.registry;
        let known = &self.known;
        self.cache
            .entry(probe_id.to_string())
            .or_insert_with(|| {
                let m = registry?;
                m.probe(probe_id)?;
                Some(
                    m.items_in(probe_id, checklist, known)
                        .into_iter()
                        .map(|l| (l.item, l.bears))
                        .collect(),
                )
            })
            .as_deref()
    }
}

/// Maps every item and scope row of `checklist` (in form order) to the findings of all
/// `bundles` that speak to it (evidence registry, else the finding's own references to this
/// checklist id), with status and contradictions. Answers are read, never changed.
pub fn map_evidence<'a>(
    checklist: &Checklist,
    assessment: &Assessment,
    bundles: &'a [Bundle],
) -> Vec<ItemEvidence<'a>> {
    // Every finding once, with the items it speaks to.
    let mut routes = Routes::new(checklist);
    let mut routed: Vec<(MappedFinding<'a>, Vec<(String, Bears)>)> = Vec::new();
    for (bi, b) in bundles.iter().enumerate() {
        for f in &b.findings {
            let items: Vec<(String, Bears)> = match routes.items(checklist, &f.probe_id) {
                Some(items) => items.to_vec(),
                None => f
                    .checklist_refs
                    .iter()
                    .filter(|r| r.checklist == checklist.id)
                    .map(|r| (r.item.clone(), Bears::Verdict))
                    .collect(),
            };
            if items.is_empty() {
                continue;
            }
            let m = MappedFinding {
                host: b.host.hostname.as_str(),
                bundle_index: bi,
                finding: f,
                bears: Bears::Verdict,
                network: is_network_probe(&f.probe_id),
            };
            routed.push((m, items));
        }
    }
    let mut out = Vec::new();
    for section in &checklist.sections {
        for item in &section.items {
            let all: Vec<MappedFinding<'a>> = routed
                .iter()
                .filter_map(|(m, items)| {
                    items
                        .iter()
                        .find(|(id, _)| *id == item.id)
                        .map(|(_, bears)| MappedFinding {
                            bears: *bears,
                            ..*m
                        })
                })
                .collect();
            let scopes = item.answer_scopes();
            for &scope in &scopes {
                let answer = assessment
                    .answers
                    .iter()
                    .find(|a| a.item_id == item.id && a.scope == scope)
                    .map(|a| a.value)
                    .unwrap_or_default();
                let findings: Vec<MappedFinding<'a>> = all
                    .iter()
                    .copied()
                    .filter(|m| {
                        applies_to_scope(m.network, scope)
                            // An item without a row of the finding's kind (2-⑬ 接続元制限 has
                            // only ネットワーク機器) gets it on the rows it has.
                            || !scopes.iter().any(|s| applies_to_scope(m.network, *s))
                    })
                    .collect();
                let (status, contradictions) = evaluate(answer, &findings);
                out.push(ItemEvidence {
                    section_id: section.id.clone(),
                    item_id: item.id.clone(),
                    scope,
                    answer,
                    findings,
                    status,
                    contradictions,
                });
            }
        }
    }
    out
}
