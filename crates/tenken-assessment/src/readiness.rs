//! The readiness review before signing: what is still open in an assessment (unanswered items,
//! 未確認 evidence, answers the evidence contradicts, overdue 目標日, no or an old automatic
//! check, vendor sheets not returned, an unset clinic name or 点検者), each with a stable kind,
//! the item it is about and where it is fixed (an app screen and a CLI command).
//!
//! Signing with open entries is allowed; the report then says on its first page what was open
//! ([`Readiness::signing_note`]). Pure: the caller gathers the inputs ([`ReadinessInput`]).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::evidence_map::{EvidenceStatus, map_evidence};
use crate::{AnswerValue, Assessment};
use tenken_base::{Lang, Text};
use tenken_checklist::Checklist;
use tenken_evidence::{Bundle, Verdict};

/// An automatic check older than this many days is listed as old
/// ([`GapKind::AutomaticCheckOld`]).
pub const OLD_AFTER_DAYS: i64 = 30;

/// What is open; the order of the variants is the display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GapKindDto"))]
pub enum GapKind {
    /// 医療機関名 is not set (the report would say 「医療機関名 未設定」).
    ClinicNameMissing,
    /// 点検者 is not set.
    AssessorMissing,
    /// An item (at least one of its rows) has no answer.
    Unanswered,
    /// The answer and the automatic check disagree (回答と矛盾).
    Contradicted,
    /// A いいえ whose 目標日 has passed (期限切れ).
    TargetOverdue,
    /// The automatic check ran but could not establish anything for an item (未確認).
    Unverified,
    /// No automatic check is kept with the assessment (自動チェック未実施).
    NoAutomaticCheck,
    /// A PC's automatic check is older than the assessment or [`OLD_AFTER_DAYS`].
    AutomaticCheckOld,
    /// A vendor sheet (事業者確認用) was requested and has not come back (未回収).
    VendorSheetPending,
}

impl GapKind {
    /// Every kind in display order.
    pub const ALL: [GapKind; 9] = [
        GapKind::ClinicNameMissing,
        GapKind::AssessorMissing,
        GapKind::Unanswered,
        GapKind::Contradicted,
        GapKind::TargetOverdue,
        GapKind::Unverified,
        GapKind::NoAutomaticCheck,
        GapKind::AutomaticCheckOld,
        GapKind::VendorSheetPending,
    ];

    /// A short heading for the kind, as the review lists it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            GapKind::ClinicNameMissing => lang.pick("医療機関名 未設定", "Clinic name not set"),
            GapKind::AssessorMissing => lang.pick("点検者 未設定", "Assessor not set"),
            GapKind::Unanswered => lang.pick("未回答", "Unanswered"),
            GapKind::Contradicted => lang.pick("回答と矛盾", "Contradicts the evidence"),
            GapKind::TargetOverdue => lang.pick("目標日 期限切れ", "Target date overdue"),
            GapKind::Unverified => lang.pick("未確認", "Unverified"),
            GapKind::NoAutomaticCheck => lang.pick("自動チェック 未実施", "No automatic check"),
            GapKind::AutomaticCheckOld => lang.pick("自動チェックが古い", "Old automatic check"),
            GapKind::VendorSheetPending => {
                lang.pick("事業者確認 未回収", "Vendor sheet not returned")
            }
        }
    }
}

/// Where an open entry is fixed: the app screen (its id in the app's navigation) and the CLI
/// command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "FixTargetDto"))]
pub enum FixTarget {
    /// 医療機関の情報 (profile screen; `tenken profile set`).
    Profile,
    /// チェックリスト, at the entry's item (`tenken assessment answer`).
    Checklist,
    /// 自動チェック (`tenken report`, which checks this PC first).
    Scan,
    /// 事業者確認 (`tenken vendor`).
    Vendor,
}

impl FixTarget {
    /// The app screen that fixes it (the navigation id).
    pub fn screen(self) -> &'static str {
        match self {
            FixTarget::Profile => "profile",
            FixTarget::Checklist => "checklist",
            FixTarget::Scan => "scan",
            FixTarget::Vendor => "vendor",
        }
    }
}

/// One open entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessEntry {
    /// What is open.
    pub kind: GapKind,
    /// The checklist item's id, for item entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// The item's number as printed (e.g. `2-⑥`), for item entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_number: Option<String>,
    /// The PC (host name) or vendor the entry is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Where it is fixed.
    pub target: FixTarget,
    /// The command that fixes it from the CLI.
    pub command: String,
    /// What is open, in plain words.
    pub message: Text,
}

/// How many entries of each kind are open (items counted once, not per scope row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadinessCounts {
    /// Items with an unanswered row.
    pub unanswered: usize,
    /// Items whose answer the evidence contradicts.
    pub contradicted: usize,
    /// Items with a いいえ past its 目標日.
    pub overdue: usize,
    /// Items whose evidence is 未確認.
    pub unverified: usize,
    /// No automatic check at all.
    pub no_automatic_check: bool,
    /// PCs whose automatic check is old.
    pub old_checks: usize,
    /// Vendor sheets not returned.
    pub vendor_pending: usize,
    /// 医療機関名 not set.
    pub clinic_name_missing: bool,
    /// 点検者 not set.
    pub assessor_missing: bool,
}

/// The review of one assessment at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    /// The assessment reviewed.
    pub assessment_id: i64,
    /// When it was reviewed.
    pub checked_at: DateTime<Utc>,
    /// Every open entry, in [`GapKind`] order, then checklist order.
    pub entries: Vec<ReadinessEntry>,
}

/// A vendor sheet as the review needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorSheetState {
    /// Vendor name.
    pub vendor: String,
    /// True when the answers have come back (entered or signed).
    pub returned: bool,
}

/// What the review looks at.
#[derive(Debug, Clone, Copy)]
pub struct ReadinessInput<'a> {
    /// The assessment's checklist.
    pub checklist: &'a Checklist,
    /// The assessment.
    pub assessment: &'a Assessment,
    /// Its current evidence bundles (one per PC).
    pub bundles: &'a [Bundle],
    /// The vendor sheets of its fiscal year.
    pub vendor_sheets: &'a [VendorSheetState],
    /// Now (the 目標日 and the age of the checks are judged on the local date of this moment).
    pub now: DateTime<Utc>,
    /// The local calendar day of `now` at the clinic.
    pub today: chrono::NaiveDate,
}

/// An item as people find it: its number and the start of its wording
/// (「2-⑥「サーバ、端末PC…」」).
fn item_label(item: &tenken_checklist::Item, lang: Lang) -> String {
    const MAX: usize = 24;
    let text = item.text.get(lang).trim();
    let short: String = text.chars().take(MAX).collect();
    let more = if text.chars().count() > MAX {
        "…"
    } else {
        ""
    };
    match lang {
        Lang::Ja => format!("{}「{short}{more}」", item.number),
        Lang::En => format!("{} \"{short}{more}\"", item.number),
    }
}

fn item_command(id: &str) -> String {
    format!("tenken assessment answer {id} --value …")
}

/// Reviews an assessment: everything still open, in [`GapKind`] order.
pub fn review(input: &ReadinessInput<'_>) -> Readiness {
    let a = input.assessment;
    let cl = input.checklist;
    let mut entries: Vec<ReadinessEntry> = Vec::new();

    if a.profile.name.trim().is_empty() {
        entries.push(ReadinessEntry {
            kind: GapKind::ClinicNameMissing,
            item_id: None,
            item_number: None,
            subject: None,
            target: FixTarget::Profile,
            command: "tenken profile set --name …".into(),
            message: Text::new(
                "医療機関名が入っていません（報告書に「医療機関名 未設定」と載ります）",
                "The clinic name is not set (the report would say so)",
            ),
        });
    }
    if a.assessor.name.trim().is_empty() {
        entries.push(ReadinessEntry {
            kind: GapKind::AssessorMissing,
            item_id: None,
            item_number: None,
            subject: None,
            target: FixTarget::Profile,
            command: "tenken profile set --assessor …".into(),
            message: Text::new(
                "点検者（点検をした人）の名前が入っていません",
                "The assessor (who carried out the check) is not set",
            ),
        });
    }

    // Items of the assessment's sheet. A gate item answered いいえ (no 医療情報システム) makes
    // the rest of the sheet unnecessary: those items are not asked for.
    let items: Vec<&tenken_checklist::Item> = cl.items().filter(|i| i.on_sheet(a.sheet)).collect();
    let row = |id: &str, scope| {
        a.answers
            .iter()
            .find(|x| x.item_id == id && x.scope == scope)
    };
    let gated_off = items.iter().any(|i| {
        i.gate
            && i.answer_scopes()
                .into_iter()
                .all(|s| row(&i.id, s).is_some_and(|x| x.value == AnswerValue::No))
    });
    let map = map_evidence(cl, a, input.bundles);
    let mut per_kind: Vec<ReadinessEntry> = Vec::new();
    for item in &items {
        let entry = |kind: GapKind, message: Text| ReadinessEntry {
            kind,
            item_id: Some(item.id.clone()),
            item_number: Some(item.number.clone()),
            subject: None,
            target: FixTarget::Checklist,
            command: item_command(&item.id),
            message,
        };
        let (n, n_en) = (item_label(item, Lang::Ja), item_label(item, Lang::En));
        let unanswered = item
            .answer_scopes()
            .into_iter()
            .any(|s| row(&item.id, s).is_none_or(|x| x.value == AnswerValue::Unanswered));
        if unanswered && (!gated_off || item.gate) {
            per_kind.push(entry(
                GapKind::Unanswered,
                Text::new(
                    format!("{n}にまだ回答がありません"),
                    format!("{n_en} has no answer yet"),
                ),
            ));
        }
        let rows: Vec<_> = map.iter().filter(|m| m.item_id == item.id).collect();
        if rows
            .iter()
            .any(|m| m.status == EvidenceStatus::Contradicted)
        {
            per_kind.push(entry(
                GapKind::Contradicted,
                Text::new(
                    format!("{n}の回答と自動チェックの結果が食い違っています"),
                    format!("{n_en}: the answer and the automatic check disagree"),
                ),
            ));
        }
        if item
            .answer_scopes()
            .into_iter()
            .any(|s| row(&item.id, s).is_some_and(|x| x.is_overdue(input.today)))
        {
            per_kind.push(entry(
                GapKind::TargetOverdue,
                Text::new(
                    format!("{n}は「いいえ」の目標日を過ぎています"),
                    format!("{n_en}: the target date of the No answer has passed"),
                ),
            ));
        }
        if rows.iter().any(|m| {
            m.status == EvidenceStatus::Unverified
                && m.findings
                    .iter()
                    .any(|f| f.finding.verdict == Verdict::Unknown)
        }) {
            per_kind.push(entry(
                GapKind::Unverified,
                Text::new(
                    format!("{n}は自動チェックで確かめられませんでした（未確認）"),
                    format!("{n_en} could not be established by the automatic check (unverified)"),
                ),
            ));
        }
    }
    per_kind.sort_by_key(|e| e.kind);
    entries.extend(per_kind);

    if input.bundles.is_empty() {
        entries.push(ReadinessEntry {
            kind: GapKind::NoAutomaticCheck,
            item_id: None,
            item_number: None,
            subject: None,
            target: FixTarget::Scan,
            command: "tenken report".into(),
            message: Text::new(
                "自動チェックをまだしていません",
                "No automatic check has been run",
            ),
        });
    }
    let old_before = input.now - Duration::days(OLD_AFTER_DAYS);
    for b in input.bundles {
        if b.ended_at < old_before || b.ended_at < a.created_at {
            let day = b.ended_at.date_naive().format("%Y-%m-%d");
            entries.push(ReadinessEntry {
                kind: GapKind::AutomaticCheckOld,
                item_id: None,
                item_number: None,
                subject: Some(b.host.hostname.clone()),
                target: FixTarget::Scan,
                command: "tenken report".into(),
                message: Text::new(
                    format!(
                        "{} の自動チェックは古いものです（{day}）。もう一度してください",
                        b.host.hostname
                    ),
                    format!(
                        "The automatic check of {} is old ({day}): run it again",
                        b.host.hostname
                    ),
                ),
            });
        }
    }
    for v in input.vendor_sheets.iter().filter(|v| !v.returned) {
        entries.push(ReadinessEntry {
            kind: GapKind::VendorSheetPending,
            item_id: None,
            item_number: None,
            subject: Some(v.vendor.clone()),
            target: FixTarget::Vendor,
            command: "tenken vendor import …".into(),
            message: Text::new(
                format!(
                    "{} に依頼した事業者確認用シートがまだ戻っていません",
                    v.vendor
                ),
                format!(
                    "The vendor sheet requested from {} has not come back",
                    v.vendor
                ),
            ),
        });
    }
    Readiness {
        assessment_id: a.id,
        checked_at: input.now,
        entries,
    }
}

impl Readiness {
    /// Nothing is open.
    pub fn is_clear(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many entries of each kind are open.
    pub fn counts(&self) -> ReadinessCounts {
        let mut c = ReadinessCounts::default();
        for e in &self.entries {
            match e.kind {
                GapKind::ClinicNameMissing => c.clinic_name_missing = true,
                GapKind::AssessorMissing => c.assessor_missing = true,
                GapKind::Unanswered => c.unanswered += 1,
                GapKind::Contradicted => c.contradicted += 1,
                GapKind::TargetOverdue => c.overdue += 1,
                GapKind::Unverified => c.unverified += 1,
                GapKind::NoAutomaticCheck => c.no_automatic_check = true,
                GapKind::AutomaticCheckOld => c.old_checks += 1,
                GapKind::VendorSheetPending => c.vendor_pending += 1,
            }
        }
        c
    }

    /// What is open in one line (「未回答 5 項目、未確認 3 項目、期限切れ 1 件」), `None` when
    /// nothing is.
    pub fn summary(&self, lang: Lang) -> Option<String> {
        let c = self.counts();
        let mut parts: Vec<String> = Vec::new();
        let mut add = |n: usize, ja: &str, ja_unit: &str, en: &str| {
            if n > 0 {
                parts.push(match lang {
                    Lang::Ja => format!("{ja} {n} {ja_unit}"),
                    Lang::En => format!("{n} {en}"),
                });
            }
        };
        add(c.unanswered, "未回答", "項目", "unanswered item(s)");
        add(c.unverified, "未確認", "項目", "unverified item(s)");
        add(
            c.contradicted,
            "回答と矛盾",
            "項目",
            "item(s) contradicting the evidence",
        );
        add(c.overdue, "期限切れ", "件", "overdue target date(s)");
        add(
            c.old_checks,
            "古い自動チェック",
            "台",
            "PC(s) with an old automatic check",
        );
        add(
            c.vendor_pending,
            "事業者確認の未回収",
            "社",
            "vendor sheet(s) not returned",
        );
        let mut flag = |on: bool, ja: &str, en: &str| {
            if on {
                parts.push(lang.pick(ja, en).to_string());
            }
        };
        flag(
            c.no_automatic_check,
            "自動チェック未実施",
            "no automatic check",
        );
        flag(
            c.clinic_name_missing,
            "医療機関名の未設定",
            "clinic name not set",
        );
        flag(c.assessor_missing, "点検者の未設定", "assessor not set");
        (!parts.is_empty()).then(|| parts.join(lang.pick("、", ", ")))
    }

    /// The sentence printed on a signed report's first page: what was open when it was signed
    /// (「署名時点で未回答 5 項目、未確認 3 項目、期限切れ 1 件がありました。」), or that nothing was.
    pub fn signing_note(&self, lang: Lang) -> String {
        match (lang, self.summary(lang)) {
            (Lang::Ja, None) => "署名時点で、残っている確認事項はありませんでした。".into(),
            (Lang::En, None) => "When this report was signed, nothing was left open.".into(),
            (Lang::Ja, Some(s)) => format!("署名時点で{s}がありました。"),
            (Lang::En, Some(s)) => {
                format!("When this report was signed, these were still open: {s}.")
            }
        }
    }
}
