//! Automatic-check results grouped by what they mean for the clinic (対応が必要 / 改善するとよい /
//! 確認できなかった / 問題なし / 対象外), in a fixed order, with plain advice on how to get a
//! 未確認 result checked. Pure functions shared by the GUI (and usable by the CLI).

use serde::Serialize;

use tenken_base::Text;
use tenken_evidence::{Bundle, Finding, UnknownReason, Verdict};

/// What a result means for the clinic; the order of the variants is the display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultGroup {
    /// 対応が必要 (不適合).
    ActionNeeded,
    /// 改善するとよい (要改善).
    Improve,
    /// 確認できなかった (未確認).
    Unverified,
    /// 問題なし (適合).
    Ok,
    /// 対象外 (該当なし).
    NotApplicable,
}

/// Every group in display order.
pub const GROUP_ORDER: [ResultGroup; 5] = [
    ResultGroup::ActionNeeded,
    ResultGroup::Improve,
    ResultGroup::Unverified,
    ResultGroup::Ok,
    ResultGroup::NotApplicable,
];

/// The group a verdict belongs to.
pub fn group_of(v: Verdict) -> ResultGroup {
    match v {
        Verdict::Fail => ResultGroup::ActionNeeded,
        Verdict::Warn => ResultGroup::Improve,
        Verdict::Unknown => ResultGroup::Unverified,
        Verdict::Pass => ResultGroup::Ok,
        Verdict::NotApplicable => ResultGroup::NotApplicable,
    }
}

/// How a 未確認 result can still be checked, in plain words (who to ask or what to do).
pub fn how_to_check(reason: Option<UnknownReason>) -> Text {
    match reason {
        Some(UnknownReason::NeedsElevation) => Text::new(
            "Tenken を「管理者として実行」してから、もう一度自動チェックをしてください。",
            "Start Tenken with \"Run as administrator\" and run the automatic check again.",
        ),
        Some(UnknownReason::CommandMissing | UnknownReason::UnsupportedOs) => Text::new(
            "このPCでは自動で確認できません。事業者（ベンダー）に確認を依頼し、結果をチェックリストに記入してください。",
            "This PC cannot be checked automatically. Ask your vendor to check it and record the result in the checklist.",
        ),
        Some(UnknownReason::NotInstalled) => Text::new(
            "対象の製品が入っていないか、見つかりませんでした。入っているはずなら事業者（ベンダー）に確認してください。",
            "The product is missing or was not found. If it should be installed, ask your vendor.",
        ),
        Some(UnknownReason::Timeout) => Text::new(
            "PCの負荷が低いときに、もう一度自動チェックをしてください。",
            "Run the automatic check again when the PC is less busy.",
        ),
        Some(UnknownReason::BlockedByOs) => Text::new(
            "セキュリティ設定で読み取りが止められました。管理者として実行するか、事業者（ベンダー）に確認してください。",
            "Security settings blocked reading. Run as administrator or ask your vendor.",
        ),
        Some(UnknownReason::NoConsent) => Text::new(
            "「ネットワーク確認」の画面で、確認する相手に同意してから実行してください。",
            "Open the Network check screen, agree to the listed targets and run it.",
        ),
        Some(UnknownReason::Unparsable | UnknownReason::Other) | None => Text::new(
            "事業者（ベンダー）に確認を依頼し、結果をチェックリストに記入してください。",
            "Ask your vendor to check it and record the result in the checklist.",
        ),
    }
}

pub use tenken_checklist::mapping::evidence::Checker;

/// Who can still check a probe's subject when the automatic check could not (staff or the
/// vendor), as the evidence registry declares it; `None` for a probe it does not know.
pub fn who_can_check(probe_id: &str) -> Option<Checker> {
    tenken_checklist::mapping::evidence::EvidenceMap::builtin()
        .ok()
        .and_then(|m| m.probe(probe_id))
        .map(|p| p.checker)
}

/// How a 未確認 result of `probe_id` can still be checked: running again (as administrator,
/// when the PC is less busy, with consent) when that is the way; otherwise by the person the
/// registry names ([`who_can_check`]): clinic staff on the PC's own screens, or the vendor.
pub fn how_to_check_probe(probe_id: &str, reason: Option<UnknownReason>) -> Text {
    let by_person = matches!(
        reason,
        None | Some(
            UnknownReason::CommandMissing
                | UnknownReason::UnsupportedOs
                | UnknownReason::Unparsable
                | UnknownReason::Other
        )
    );
    match (by_person, who_can_check(probe_id)) {
        (true, Some(Checker::Staff)) => Text::new(
            "自動では確かめられませんでしたが、院内のスタッフがこのPCの画面で確かめられます（事業者に頼まなくてもかまいません）。「すること」を見ながら確かめて、結果をチェックリストに記入してください。",
            "The automatic check could not tell, but clinic staff can check it on this PC's own screens (no vendor needed). Follow \"What to do\" and record the result in the checklist.",
        ),
        _ => how_to_check(reason),
    }
}

/// One result with the host it came from.
#[derive(Debug, Clone, Copy)]
pub struct HostFinding<'a> {
    /// Host name of the bundle.
    pub host: &'a str,
    /// The finding.
    pub finding: &'a Finding,
}

/// Groups the findings of `bundles` by meaning: groups in [`GROUP_ORDER`], empty groups left
/// out; inside a group by title (Japanese), then probe id, then host. Nothing is dropped.
pub fn group_findings(bundles: &[Bundle]) -> Vec<(ResultGroup, Vec<HostFinding<'_>>)> {
    let mut all: Vec<HostFinding<'_>> = bundles
        .iter()
        .flat_map(|b| {
            b.findings.iter().map(move |f| HostFinding {
                host: b.host.hostname.as_str(),
                finding: f,
            })
        })
        .collect();
    all.sort_by(|a, b| {
        group_of(a.finding.verdict)
            .cmp(&group_of(b.finding.verdict))
            .then_with(|| a.finding.title.ja.cmp(&b.finding.title.ja))
            .then_with(|| a.finding.probe_id.cmp(&b.finding.probe_id))
            .then_with(|| a.host.cmp(b.host))
    });
    let mut out: Vec<(ResultGroup, Vec<HostFinding<'_>>)> = Vec::new();
    for hf in all {
        let g = group_of(hf.finding.verdict);
        match out.last_mut() {
            Some((last, v)) if *last == g => v.push(hf),
            _ => out.push((g, vec![hf])),
        }
    }
    out
}

/// Number of findings per verdict, in the order 適合, 要改善, 不適合, 未確認, 該当なし.
pub fn verdict_counts(findings: &[Finding]) -> [u32; 5] {
    let mut c = [0u32; 5];
    for f in findings {
        let i = match f.verdict {
            Verdict::Pass => 0,
            Verdict::Warn => 1,
            Verdict::Fail => 2,
            Verdict::Unknown => 3,
            Verdict::NotApplicable => 4,
        };
        c[i] = c[i].saturating_add(1);
    }
    c
}
