//! Item <-> evidence mapping: which findings speak to which checklist item and scope row, and
//! where the human answer and the evidence disagree (contradictions are flagged, never used to
//! overwrite the answer). Pure functions, shared by the report and the GUI.
//!
//! Scope rule: a finding names an item, not a scope row. Findings of network probes (`net.*`,
//! `lan.*`) apply to the ネットワーク機器 row; other findings apply to the サーバ and 端末PC rows;
//! the 医療情報システム全般 row receives every finding of the item.

use serde::Serialize;

use crate::{AnswerValue, Assessment};
use tenken_base::Text;
use tenken_checklist::{Checklist, Scope};
use tenken_evidence::{Bundle, Finding, Verdict};

/// Probes whose `warn` verdict contradicts a はい answer (documented: a warn there means the
/// measure the item asks for is not actually kept up, e.g. updates overdue).
pub const WARN_CONTRADICTS_YES: &[&str] = &["os.patches", "antivirus.status"];

/// How the evidence relates to one answer row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    /// Decisive findings exist and none contradicts the answer.
    Supported,
    /// At least one finding contradicts the answer.
    Contradicted,
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
            (EvidenceStatus::None, tenken_base::Lang::Ja) => "証跡なし",
            (EvidenceStatus::Unverified, tenken_base::Lang::Ja) => "未確認",
            (EvidenceStatus::Supported, tenken_base::Lang::En) => "Evidence",
            (EvidenceStatus::Contradicted, tenken_base::Lang::En) => "Contradicts answer",
            (EvidenceStatus::None, tenken_base::Lang::En) => "No evidence",
            (EvidenceStatus::Unverified, tenken_base::Lang::En) => "Unverified",
        }
    }
}

/// Which way an answer and a finding disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContradictionKind {
    /// はい, but the finding is 不適合.
    YesButFail,
    /// はい, but the finding is 要改善 on a probe listed in [`WARN_CONTRADICTS_YES`].
    YesButWarn,
    /// いいえ, but the finding is 適合.
    NoButPass,
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
    /// Flagged contradictions.
    pub contradictions: Vec<Contradiction>,
}

/// True for network probes (`net.*`, `lan.*`).
pub fn is_network_probe(probe_id: &str) -> bool {
    probe_id.starts_with("net.") || probe_id.starts_with("lan.")
}

/// Whether a finding of `probe_id` applies to the scope row `scope` (see the module rule).
pub fn applies_to_scope(probe_id: &str, scope: Scope) -> bool {
    match scope {
        Scope::General => true,
        Scope::Network => is_network_probe(probe_id),
        Scope::Server | Scope::Terminal => !is_network_probe(probe_id),
    }
}

/// The contradiction between an answer and one finding, if any.
pub fn contradiction_kind(
    answer: AnswerValue,
    probe_id: &str,
    verdict: Verdict,
) -> Option<ContradictionKind> {
    match (answer, verdict) {
        (AnswerValue::Yes, Verdict::Fail) => Some(ContradictionKind::YesButFail),
        (AnswerValue::Yes, Verdict::Warn) if WARN_CONTRADICTS_YES.contains(&probe_id) => {
            Some(ContradictionKind::YesButWarn)
        }
        (AnswerValue::No, Verdict::Pass) => Some(ContradictionKind::NoButPass),
        _ => None,
    }
}

/// Status and contradictions of one answer row given its findings.
pub fn evaluate(
    answer: AnswerValue,
    findings: &[MappedFinding<'_>],
) -> (EvidenceStatus, Vec<Contradiction>) {
    let contradictions: Vec<Contradiction> = findings
        .iter()
        .filter_map(|m| {
            let f = m.finding;
            contradiction_kind(answer, &f.probe_id, f.verdict).map(|kind| Contradiction {
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
    } else if !contradictions.is_empty() {
        EvidenceStatus::Contradicted
    } else if findings
        .iter()
        .all(|m| matches!(m.finding.verdict, Verdict::Unknown | Verdict::NotApplicable))
    {
        EvidenceStatus::Unverified
    } else {
        EvidenceStatus::Supported
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
            "回答は「はい」ですが、自動確認の結果は「要改善」です",
            "Answered Yes, but the automatic check needs improvement",
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

/// Maps every item and scope row of `checklist` (in form order) to the findings of all
/// `bundles` whose `checklist_refs` name it (matching the checklist id), with status and
/// contradictions. Answers are read, never changed.
pub fn map_evidence<'a>(
    checklist: &Checklist,
    assessment: &Assessment,
    bundles: &'a [Bundle],
) -> Vec<ItemEvidence<'a>> {
    let mut out = Vec::new();
    for section in &checklist.sections {
        for item in &section.items {
            let all: Vec<MappedFinding<'a>> = bundles
                .iter()
                .enumerate()
                .flat_map(|(bi, b)| {
                    b.findings.iter().filter_map(move |f| {
                        f.checklist_refs
                            .iter()
                            .any(|r| r.checklist == checklist.id && r.item == item.id)
                            .then_some(MappedFinding {
                                host: b.host.hostname.as_str(),
                                bundle_index: bi,
                                finding: f,
                            })
                    })
                })
                .collect();
            for scope in item.answer_scopes() {
                let answer = assessment
                    .answers
                    .iter()
                    .find(|a| a.item_id == item.id && a.scope == scope)
                    .map(|a| a.value)
                    .unwrap_or_default();
                let findings: Vec<MappedFinding<'a>> = all
                    .iter()
                    .copied()
                    .filter(|m| applies_to_scope(&m.finding.probe_id, scope))
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
