//! The report's sections, in order: cover, summary, item details, device ledger, vendor sheets
//! (optional), network findings, improvement plan, year-over-year comparison (optional),
//! evidence appendix, verification. The fleet parts live in `fleet_sections`.
//!
//! Why this file is over 600 lines: the report's sections in page order (cover, summary, items, evidence, plan, appendices); reading them top to bottom is reading the PDF.

use std::collections::BTreeMap;

use printpdf::Color;

use super::layout::{
    BODY, CONTENT_W, Cell, Font, MARGIN_X, Pages, Writer, accent, ink, muted, rgb,
};
use super::{Attachment, ReportError, ReportInput, SignerInfo};
use tenken_assessment::AnswerValue;
use tenken_assessment::evidence_map::{
    EvidenceStatus, ItemEvidence, is_network_probe, map_evidence,
};
use tenken_base::Lang;
use tenken_checklist::Item;
use tenken_evidence::{Finding, SourceKind, Verdict};

fn verdict_color(v: Verdict) -> Color {
    match v {
        Verdict::Pass => rgb(0xd9, 0xef, 0xd9),
        Verdict::Warn => rgb(0xfc, 0xf0, 0xc8),
        Verdict::Fail => rgb(0xf8, 0xd4, 0xd4),
        Verdict::Unknown => rgb(0xe6, 0xe6, 0xe6),
        Verdict::NotApplicable => rgb(0xf4, 0xf4, 0xf4),
    }
}

fn answer_color(a: AnswerValue) -> Color {
    match a {
        AnswerValue::Yes => rgb(0x4c, 0x9a, 0x5a),
        AnswerValue::No => rgb(0xc8, 0x4b, 0x4b),
        AnswerValue::NotApplicable => rgb(0x9a, 0x9a, 0x9a),
        AnswerValue::Unanswered => rgb(0xd8, 0xd8, 0xd8),
    }
}

fn status_fill(s: EvidenceStatus) -> Option<Color> {
    match s {
        EvidenceStatus::Contradicted => Some(rgb(0xf8, 0xd4, 0xd4)),
        EvidenceStatus::Unverified => Some(rgb(0xe6, 0xe6, 0xe6)),
        EvidenceStatus::Review => Some(rgb(0xfc, 0xec, 0xc8)),
        EvidenceStatus::Supported => Some(rgb(0xd9, 0xef, 0xd9)),
        EvidenceStatus::Context | EvidenceStatus::None => None,
    }
}

/// Japan Standard Time (UTC+9, no daylight saving): the clinic's local time. Every time in the
/// report is printed in it with the zone named (「JST」), never in UTC.
pub(super) const JST_SECONDS: i32 = 9 * 3600;

/// A day as printed, in the one date style of the app and the report: `2025年11月12日` in
/// Japanese, `2025-11-12` in English.
pub(super) fn day(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// A moment as printed: `2025年11月12日 17:30 JST` (with seconds when `secs`).
pub(super) fn jst_time(t: chrono::DateTime<chrono::Utc>, secs: bool, lang: Lang) -> String {
    let t = t.naive_utc() + chrono::Duration::seconds(i64::from(JST_SECONDS));
    let clock = if secs {
        t.format("%H:%M:%S")
    } else {
        t.format("%H:%M")
    };
    format!("{} {clock} JST", day(t.date(), lang))
}

/// The calendar day of a moment in Japan (`2025-11-12`).
pub(super) fn jst_day(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    (t.naive_utc() + chrono::Duration::seconds(i64::from(JST_SECONDS))).date()
}

/// The day the report speaks for (its generation date on this PC's clock).
fn report_day(input: &ReportInput) -> chrono::NaiveDate {
    input
        .generated_at
        .with_timezone(&chrono::Local)
        .date_naive()
}

/// The 目標日 cell: the date, and 「期限切れ」 in red when a いいえ's target has passed.
fn target_cell(
    a: Option<&tenken_assessment::Answer>,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Cell {
    let date = date_or_dash(a.and_then(|a| a.target_date), lang);
    if a.is_some_and(|a| a.is_overdue(today)) {
        Cell::filled(
            format!("{date}\n{}", lang.pick("期限切れ", "OVERDUE")),
            rgb(0xf8, 0xd4, 0xd4),
        )
    } else {
        Cell::new(date)
    }
}

/// Number of いいえ rows whose 目標日 has passed.
fn overdue_count(input: &ReportInput) -> usize {
    let today = report_day(input);
    input
        .assessment
        .answers
        .iter()
        .filter(|a| a.is_overdue(today))
        .count()
}

fn date_or_dash(d: Option<chrono::NaiveDate>, lang: Lang) -> String {
    d.map_or_else(|| "—".into(), |d| day(d, lang))
}

fn fy_label(fy: u16, lang: Lang) -> String {
    match lang {
        Lang::Ja if fy > 2018 => format!("{fy}年度（令和{}年度）", fy - 2018),
        Lang::Ja => format!("{fy}年度"),
        Lang::En => format!("FY{fy} (April {fy} – March {})", fy + 1),
    }
}

fn finding_label(f: &Finding, lang: Lang) -> String {
    let mut s = f.verdict.label(lang).to_string();
    if let Some(r) = f.reason {
        s.push_str(lang.pick("（", " ("));
        s.push_str(r.text().get(lang));
        s.push_str(lang.pick("）", ")"));
    }
    s
}

/// Renders all pages.
pub(super) fn render_pages(
    input: &ReportInput,
    font: &Font,
    files: &[Attachment],
) -> Result<Pages, ReportError> {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let map = map_evidence(&input.checklist, &input.assessment, &input.bundles);
    let name = input.assessment.profile.name.trim();
    let header = if name.is_empty() {
        format!(
            "{} — {}",
            l("点検報告書", "Assessment report"),
            fy_label(input.assessment.fiscal_year, lang)
        )
    } else {
        format!(
            "{} — {name} — {}",
            l("点検報告書", "Assessment report"),
            fy_label(input.assessment.fiscal_year, lang)
        )
    };
    let mut w = Writer::new(font, header);
    cover(&mut w, input, files);
    summary(&mut w, input, &map);
    details(&mut w, input, &map);
    ledger(&mut w, input);
    super::fleet_sections::vendor_sheets(&mut w, input);
    network(&mut w, input);
    plan(&mut w, input, &map);
    super::fleet_sections::comparison(&mut w, input);
    appendix(&mut w, input, files);
    verification(&mut w, input, files);
    let footer = |p: usize, n: usize| match lang {
        Lang::Ja => format!("Tenken {} ― {p} / {n} ページ", tenken_base::VERSION),
        Lang::En => format!("Tenken {} — page {p} / {n}", tenken_base::VERSION),
    };
    w.finish(&footer)
        .map_err(|e| ReportError::Pdf(format!("drawing operation not written: {}", e.0)))
}

fn kv_table(w: &mut Writer<'_>, rows: Vec<(&str, String)>) {
    kv_cells(
        w,
        rows.into_iter().map(|(k, v)| (k, Cell::new(v))).collect(),
    );
}

fn kv_cells(w: &mut Writer<'_>, rows: Vec<(&str, Cell)>) {
    let rows: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(|(k, v)| vec![Cell::filled(k, rgb(0xf2, 0xf4, 0xf7)), v])
        .collect();
    w.grid(&[("", 130.0), ("", CONTENT_W - 130.0)], &rows, BODY);
}

/// A profile value, or 「未設定」 in grey when it is empty (never a blank cell).
fn or_unset(value: &str, lang: Lang) -> Cell {
    if value.trim().is_empty() {
        Cell::muted(lang.pick("未設定", "Not set"))
    } else {
        Cell::new(value.trim())
    }
}

/// The signer as shown: the certificate's common name plus organisation.
fn signer_label(s: &SignerInfo) -> String {
    let cn = tenken_sign::dn_value(&s.name, "CN").unwrap_or_else(|| s.name.clone());
    let org = s
        .organization
        .clone()
        .filter(|o| !o.is_empty())
        .or_else(|| tenken_sign::dn_value(&s.name, "O"));
    match org {
        Some(o) if o != cn => format!("{cn}（{o}）"),
        _ => cn,
    }
}

fn cover(w: &mut Writer<'_>, input: &ReportInput, files: &[Attachment]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let a = &input.assessment;
    let cl = &input.checklist;
    w.gap(40.0);
    w.para(
        l(
            "医療機関におけるサイバーセキュリティ対策",
            "Cybersecurity measures of a medical institution",
        ),
        14.0,
        muted(),
        0.0,
    );
    w.gap(4.0);
    w.para(
        l(
            "点検報告書（証跡付き）",
            "Self-assessment report with evidence",
        ),
        24.0,
        accent(),
        0.0,
    );
    w.gap(6.0);
    if a.profile.name.trim().is_empty() {
        w.para(
            l("医療機関名 未設定", "Clinic name not set"),
            18.0,
            muted(),
            0.0,
        );
    } else {
        w.para(&a.profile.name, 18.0, ink(), 0.0);
    }
    if let Some(r) = &input.readiness {
        // What was still open when it was signed (issue 15): said on the first page.
        w.gap(12.0);
        let (border, fill) = if r.is_clear() {
            (rgb(0x4c, 0x9a, 0x5a), rgb(0xf3, 0xfa, 0xf5))
        } else {
            (rgb(0xc8, 0x4b, 0x4b), rgb(0xfd, 0xf3, 0xf3))
        };
        let lines: Vec<String> = if r.is_clear() {
            Vec::new()
        } else {
            vec![
                l(
                    "署名した人は、これらが残っていることを確かめたうえで署名しました。各項目の詳細と改善計画を見てください。",
                    "The signer signed knowing these were open; see the item details and the improvement plan.",
                )
                .to_string(),
            ]
        };
        w.boxed(&r.signing_note(lang), &lines, border, fill);
        w.gap(6.0);
    } else {
        w.gap(24.0);
    }
    let assessor = match &a.assessor.company {
        Some(c) if !c.is_empty() => format!("{}（{c}）", a.assessor.name),
        _ => a.assessor.name.clone(),
    };
    let signer = match &input.signer {
        Some(s) => signer_label(s),
        None => l(
            "（署名者未設定：この報告書にはまだ電子署名がありません）",
            "(no signer yet: this report is not signed)",
        )
        .into(),
    };
    let date = input
        .assessment_date
        .unwrap_or_else(|| a.updated_at.date_naive());
    let mut source = format!(
        "{}（{}、{}）",
        cl.source.title, cl.source.publisher, cl.source.date
    );
    if let Some(u) = &cl.source.url {
        source.push(' ');
        source.push_str(u);
    }
    let bundles = input.bundles.len();
    kv_cells(
        w,
        vec![
            (
                l("医療機関名", "Institution"),
                or_unset(&a.profile.name, lang),
            ),
            (l("所在地", "Address"), or_unset(&a.profile.address, lang)),
            (
                l("管理者", "Administrator"),
                or_unset(&a.profile.administrator, lang),
            ),
            (
                l("医療情報システム安全管理責任者", "Security officer"),
                or_unset(&a.profile.security_officer, lang),
            ),
            (
                l("対象年度", "Fiscal year"),
                Cell::new(fy_label(a.fiscal_year, lang)),
            ),
            (l("点検日", "Assessment date"), Cell::new(day(date, lang))),
            (
                l("チェックリスト", "Checklist"),
                match input
                    .version_notice
                    .clone()
                    .or_else(|| cl.version_notice(a.fiscal_year))
                {
                    // Never a silent fallback to last year's list (issue 16).
                    Some(n) => Cell::filled(
                        format!("{}\n{}", cl.title.get(lang), n.get(lang)),
                        rgb(0xfc, 0xec, 0xc8),
                    ),
                    None => Cell::new(cl.title.get(lang).to_string()),
                },
            ),
            (l("出典", "Source"), Cell::new(source)),
            (l("点検者", "Assessor"), or_unset(&assessor, lang)),
            (l("署名者", "Signer"), Cell::new(signer)),
            (
                l("期限切れの目標日", "Overdue target dates"),
                match overdue_count(input) {
                    0 => Cell::new(l("なし", "none")),
                    n => Cell::filled(
                        format!(
                            "{n} {}",
                            l(
                                "件（「いいえ」の目標日を過ぎています。改善計画を見てください）",
                                "(No answers past their target date: see the improvement plan)"
                            )
                        ),
                        rgb(0xf8, 0xd4, 0xd4),
                    ),
                },
            ),
            (
                l("自動確認したPC", "Hosts checked"),
                Cell::new(format!("{bundles} {}", l("台", "host(s)"))),
            ),
            (
                l("添付ファイル", "Attached files"),
                Cell::new(
                    files
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ),
            (
                l("作成日時", "Generated"),
                Cell::new(jst_time(input.generated_at, false, lang)),
            ),
            (
                l("作成ツール", "Tool"),
                Cell::new(format!("Tenken {}", tenken_base::VERSION)),
            ),
        ],
    );
    w.gap(10.0);
    w.para(
        l(
            "この報告書は、チェックリストへの回答と、PCから自動で集めた証跡（記録）をまとめたものです。「未確認」は自動では確認できなかったことを示し、「適合」とはみなしていません。回答と証跡が食い違う項目は「回答と矛盾」として示しています（回答は書き換えていません）。",
            "This report combines the checklist answers with evidence collected automatically from the PCs. \"Unverified\" means the check could not be made and is never counted as a pass. Where an answer and the evidence disagree, the item is marked \"Contradicts answer\" (the answer itself is not changed).",
        ),
        BODY,
        muted(),
        0.0,
    );
    w.gap(4.0);
    w.para(
        l(
            "チェックリストの利用条件・編集についての注記は、付録B「この報告書の確かめ方」にあります。",
            "The checklist's licence and editing note is in Appendix B (how to verify this report).",
        ),
        7.5,
        muted(),
        0.0,
    );
}

/// Rows per answer (はい, いいえ, 該当なし, 未回答), then 回答と矛盾 and 要確認.
fn counts(rows: &[&ItemEvidence<'_>]) -> [usize; 6] {
    let mut c = [0usize; 6];
    for r in rows {
        let i = match r.answer {
            AnswerValue::Yes => 0,
            AnswerValue::No => 1,
            AnswerValue::NotApplicable => 2,
            AnswerValue::Unanswered => 3,
        };
        c[i] += 1;
        match r.status {
            EvidenceStatus::Contradicted => c[4] += 1,
            EvidenceStatus::Review => c[5] += 1,
            _ => {}
        }
    }
    c
}

fn summary(w: &mut Writer<'_>, input: &ReportInput, map: &[ItemEvidence<'_>]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(l("1. 点検結果のまとめ", "1. Summary"), 1);
    let answers = [
        AnswerValue::Yes,
        AnswerValue::No,
        AnswerValue::NotApplicable,
        AnswerValue::Unanswered,
    ];
    // counts per section
    let mut rows = Vec::new();
    let mut chart = Vec::new();
    for s in &input.checklist.sections {
        let rs: Vec<&ItemEvidence<'_>> = map.iter().filter(|r| r.section_id == s.id).collect();
        let c = counts(&rs);
        rows.push(vec![
            Cell::new(format!("{} {}", s.id, s.title.get(lang))),
            Cell::new(c[0].to_string()),
            Cell::new(c[1].to_string()),
            Cell::new(c[2].to_string()),
            Cell::new(c[3].to_string()),
            Cell::new(c[4].to_string()),
            Cell::new(c[5].to_string()),
        ]);
        chart.push((format!("{} {}", s.id, s.title.get(lang)), c));
    }
    let all: Vec<&ItemEvidence<'_>> = map.iter().collect();
    let c = counts(&all);
    rows.push(vec![
        Cell::filled(l("合計", "Total"), rgb(0xf2, 0xf4, 0xf7)),
        Cell::new(c[0].to_string()),
        Cell::new(c[1].to_string()),
        Cell::new(c[2].to_string()),
        Cell::new(c[3].to_string()),
        Cell::new(c[4].to_string()),
        Cell::new(c[5].to_string()),
    ]);
    let n = 58.0;
    w.table(
        &[
            (l("区分", "Section"), CONTENT_W - 6.0 * n),
            (answers[0].label(lang), n),
            (answers[1].label(lang), n),
            (answers[2].label(lang), n),
            (answers[3].label(lang), n),
            (l("回答と矛盾", "Conflicts"), n),
            (l("要確認", "To review"), n),
        ],
        &rows,
        BODY,
    );
    // bar chart per section (vector drawing)
    w.heading(
        l("区分ごとの回答（グラフ）", "Answers per section (chart)"),
        3,
    );
    let label_w = 170.0;
    let bar_w = CONTENT_W - label_w - 10.0;
    for (label, c) in &chart {
        let total: usize = c[..4].iter().sum();
        // The whole section title, wrapped: a cut label would hide which section a bar is.
        let lines = w.font.wrap(label, label_w - 4.0, 8.5);
        let label_h = lines.len().max(1) as f32 * 10.5;
        w.ensure(label_h.max(14.0) + 8.0);
        let y = w.y;
        for (k, line) in lines.iter().enumerate() {
            w.text_at(MARGIN_X, y + 10.0 + k as f32 * 10.5, line, 8.5, ink());
        }
        let mut x = MARGIN_X + label_w;
        if total > 0 {
            w.rect(x, y + 1.0, bar_w, 12.0, None, Some(rgb(0xa0, 0xa8, 0xb0)));
        }
        for (i, a) in answers.iter().enumerate() {
            if total == 0 || c[i] == 0 {
                continue;
            }
            let seg = bar_w * c[i] as f32 / total as f32;
            w.rect(x, y + 1.0, seg, 12.0, Some(answer_color(*a)), None);
            let t = c[i].to_string();
            if seg > w.font.width(&t, 7.5) + 3.0 {
                w.text_at(x + 2.0, y + 10.0, &t, 7.5, rgb(0xff, 0xff, 0xff));
            }
            x += seg;
        }
        w.gap((label_h + 7.5).max(18.0));
    }
    // legend
    w.ensure(16.0);
    let y = w.y;
    let mut x = MARGIN_X + label_w;
    for a in answers {
        w.rect(x, y + 2.0, 9.0, 9.0, Some(answer_color(a)), None);
        w.text_at(x + 12.0, y + 10.0, a.label(lang), 8.0, ink());
        x += 14.0 + w.font.width(a.label(lang), 8.0) + 12.0;
    }
    w.gap(20.0);

    w.heading(
        l(
            "項目ごとの回答（チェックリストの順）",
            "Answers per item (checklist order)",
        ),
        2,
    );
    let mut rows = Vec::new();
    for r in map {
        let Some(item) = input.checklist.item(&r.item_id) else {
            continue;
        };
        let ans = input
            .assessment
            .answers
            .iter()
            .find(|a| a.item_id == r.item_id && a.scope == r.scope);
        let mut text = item.text.get(lang).to_string();
        if let Some(d) = &item.deadline {
            text.push_str(&format!("［{}］", d.get(lang)));
        }
        let fill = match r.answer {
            AnswerValue::No => Some(rgb(0xf8, 0xd4, 0xd4)),
            AnswerValue::Unanswered => Some(rgb(0xee, 0xee, 0xee)),
            _ => None,
        };
        rows.push(vec![
            Cell::new(item.number.clone()),
            Cell::new(text),
            Cell::new(r.scope.label(lang)),
            Cell {
                text: r.answer.label(lang).into(),
                fill,
                color: None,
            },
            Cell::new(date_or_dash(ans.and_then(|a| a.checked_on), lang)),
            target_cell(ans, report_day(input), lang),
            Cell {
                text: r.status.label(lang).into(),
                fill: status_fill(r.status),
                color: None,
            },
        ]);
    }
    w.table(
        &[
            (l("番号", "No."), 34.0),
            (
                l("項目", "Item"),
                CONTENT_W - 34.0 - 70.0 - 40.0 - 74.0 - 74.0 - 54.0,
            ),
            (l("対象", "Scope"), 70.0),
            (l("回答", "Answer"), 40.0),
            // Wide enough for 2025年11月10日 on one line (dates are never broken).
            (l("確認日", "Checked"), 74.0),
            (l("目標日", "Target"), 74.0),
            (l("証跡", "Evidence"), 54.0),
        ],
        &rows,
        8.0,
    );
}

fn details(w: &mut Writer<'_>, input: &ReportInput, map: &[ItemEvidence<'_>]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(l("2. 項目ごとの詳細", "2. Item details"), 1);
    for section in &input.checklist.sections {
        w.heading(&format!("{} {}", section.id, section.title.get(lang)), 2);
        for item in &section.items {
            item_detail(w, input, item, map);
        }
    }
}

fn item_detail(w: &mut Writer<'_>, input: &ReportInput, item: &Item, map: &[ItemEvidence<'_>]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let mut title = format!("{}  {}", item.number, item.text.get(lang));
    if item.new_in_version {
        title.push_str(l("［今年度の新項目］", " [new this year]"));
    }
    w.heading(&title, 3);
    provenance_line(w, item, lang);
    if let Some(d) = &item.deadline {
        w.para(
            &format!("{}{}", l("期限：", "Deadline: "), d.get(lang)),
            BODY,
            rgb(0xa0, 0x30, 0x30),
            8.0,
        );
    }
    let g = &item.guidance;
    for (k, v) in [
        (l("なぜ大切か：", "Why it matters: "), g.why.get(lang)),
        (l("「はい」の目安：", "Done when: "), g.done_when.get(lang)),
        (l("担当の目安：", "Usually done by: "), g.who.get(lang)),
    ] {
        if !v.is_empty() {
            w.para(&format!("{k}{v}"), 8.5, muted(), 8.0);
        }
    }
    let rows: Vec<&ItemEvidence<'_>> = map.iter().filter(|r| r.item_id == item.id).collect();
    let mut table = Vec::new();
    for r in &rows {
        let ans = input
            .assessment
            .answers
            .iter()
            .find(|a| a.item_id == r.item_id && a.scope == r.scope);
        let mut note = String::new();
        if let Some(a) = ans {
            if let Some(t) = a.target_date {
                note.push_str(&format!(
                    "{}{} ",
                    l("目標日 ", "Target "),
                    day(t, input.lang)
                ));
                if a.is_overdue(report_day(input)) {
                    note.push_str(l("（期限切れ） ", "(OVERDUE) "));
                }
            }
            if !a.responsible.is_empty() {
                note.push_str(&format!("{}{} ", l("担当 ", "By "), a.responsible));
            }
            note.push_str(&a.note);
            if !a.attachments.is_empty() {
                let names: Vec<String> = a
                    .attachments
                    .iter()
                    .map(|x| format!("{} (SHA-256 {})", x.name, x.sha256))
                    .collect();
                note.push_str(&format!(
                    " {}{}",
                    l("添付：", "Attachments: "),
                    names.join(", ")
                ));
            }
        }
        let findings = finding_lines(&r.findings, lang);
        table.push(vec![
            Cell::new(r.scope.label(lang)),
            Cell::new(r.answer.label(lang)),
            Cell::new(note.trim().to_string()),
            Cell {
                text: if findings.is_empty() {
                    l("自動確認の証跡なし", "No automatic evidence").to_string()
                } else {
                    findings.join("\n")
                },
                fill: status_fill(r.status),
                color: None,
            },
        ]);
    }
    w.table(
        &[
            (l("対象", "Scope"), 70.0),
            (l("回答", "Answer"), 46.0),
            (l("目標日・担当・メモ", "Target, owner, note"), 130.0),
            (l("自動確認の結果", "Automatic checks"), CONTENT_W - 246.0),
        ],
        &table,
        8.0,
    );
    for r in &rows {
        if r.contradictions.is_empty() {
            continue;
        }
        let lines: Vec<String> = r
            .contradictions
            .iter()
            .map(|c| format!("・{}", c.message.get(lang)))
            .collect();
        w.boxed(
            &format!(
                "{}（{}）{}",
                l(
                    "回答と証跡が食い違っています",
                    "The answer and the evidence disagree"
                ),
                r.scope.label(lang),
                l(
                    "：回答はそのまま記載しています。内容を確認してください。",
                    ": the answer is shown as given; please check it."
                )
            ),
            &lines,
            rgb(0xc0, 0x30, 0x30),
            rgb(0xfd, 0xee, 0xee),
        );
    }
}

/// Where the item's wording comes from (tag, note and sources), in small print under its title.
fn provenance_line(w: &mut Writer<'_>, item: &Item, lang: Lang) {
    let p = &item.provenance;
    let mut line = format!(
        "{}{}",
        lang.pick("文言の出典：", "Wording: "),
        p.tag.label(lang)
    );
    if let Some(n) = p.note.as_deref().filter(|n| !n.trim().is_empty()) {
        line.push_str(lang.pick("。", ". "));
        line.push_str(n.trim());
    }
    if !p.sources.is_empty() {
        line.push_str(lang.pick("（資料：", " (sources: "));
        line.push_str(&p.sources.join(lang.pick("／", "; ")));
        line.push_str(lang.pick("）", ")"));
    }
    w.para(&line, 7.0, muted(), 8.0);
}

/// The device ledger: the store's ledger when given (`tenken report`, the app), else one built
/// from the bundles in the input (reports rendered without a store: `--sample`, the bench).
fn ledger(w: &mut Writer<'_>, input: &ReportInput) {
    match &input.ledger {
        Some(l) => super::fleet_sections::ledger(w, input, l),
        None => {
            super::fleet_sections::ledger(w, input, &tenken_ledger::from_bundles(&input.bundles))
        }
    }
}

fn network(w: &mut Writer<'_>, input: &ReportInput) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let rows: Vec<Vec<Cell>> = input
        .bundles
        .iter()
        .flat_map(|b| b.findings.iter().map(move |f| (b, f)))
        .filter(|(_, f)| is_network_probe(&f.probe_id))
        .map(|(b, f)| {
            vec![
                Cell::new(b.host.hostname.clone()),
                Cell::new(format!("{}\n{}", f.title.get(lang), f.probe_id)),
                Cell::filled(finding_label(f, lang), verdict_color(f.verdict)),
                Cell::new(
                    format!("{} {}", f.summary.get(lang), f.action.get(lang))
                        .trim()
                        .to_string(),
                ),
            ]
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    w.heading(l("4. ネットワークの確認結果", "4. Network findings"), 2);
    w.table(
        &[
            (l("確認したPC", "From host"), 80.0),
            (l("確認内容", "Check"), 120.0),
            (l("判定", "Verdict"), 70.0),
            (l("結果と対応", "Result and action"), CONTENT_W - 270.0),
        ],
        &rows,
        8.0,
    );
}

fn plan(w: &mut Writer<'_>, input: &ReportInput, map: &[ItemEvidence<'_>]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(l("5. 改善計画", "5. Improvement plan"), 1);
    w.body(l(
        "「いいえ」と回答した項目と、自動確認で「要改善」「不適合」となった点の一覧です。",
        "Every item answered No and every automatic check that needs improvement or failed.",
    ));
    if input.bundles.len() > FULL_DETAIL_HOSTS {
        w.body(l(
            "PCが多いため、自動確認の点は確認内容と判定ごとにまとめ、該当する台数と最初の5台を示します（PCごとの結果は 3-1 と付録A、添付の証跡にあります）。",
            "With this many PCs, automatic-check points are grouped per check and verdict with the number of PCs and the first five (per-PC results are in 3-1, appendix A and the attached bundles).",
        ));
    }
    w.gap(4.0);
    let mut rows = Vec::new();
    for r in map.iter().filter(|r| r.answer == AnswerValue::No) {
        let Some(item) = input.checklist.item(&r.item_id) else {
            continue;
        };
        let ans = input
            .assessment
            .answers
            .iter()
            .find(|a| a.item_id == r.item_id && a.scope == r.scope);
        let who = ans
            .map(|a| a.responsible.clone())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| item.guidance.who.get(lang).to_string());
        rows.push(vec![
            Cell::new(format!("{}\n{}", item.number, r.scope.label(lang))),
            Cell::filled(r.answer.label(lang), rgb(0xf8, 0xd4, 0xd4)),
            Cell::new(format!(
                "{}\n→ {}",
                item.text.get(lang),
                item.guidance.done_when.get(lang)
            )),
            Cell::new(who),
            target_cell(ans, report_day(input), lang),
        ]);
    }
    // findings that need action: once per host and probe for a clinic; for a hospital's fleet,
    // one row per check and verdict naming how many PCs and the first few (the per-PC details
    // are in 3-1 and appendix A, and whole in the attached bundles).
    if input.bundles.len() > FULL_DETAIL_HOSTS {
        rows.extend(grouped_plan_rows(input));
    } else {
        rows.extend(plan_rows_per_pc(input));
    }
    if rows.is_empty() {
        w.body(l(
            "改善が必要な点はありません。",
            "Nothing needs improvement.",
        ));
        return;
    }
    w.table(
        &[
            (l("項目・対象", "Item / scope"), 74.0),
            (l("状態", "Status"), 46.0),
            (
                l("何をするか", "What to do"),
                CONTENT_W - 74.0 - 46.0 - 96.0 - 76.0,
            ),
            (l("担当", "Who"), 96.0),
            (l("目標日", "Target"), 76.0),
        ],
        &rows,
        8.0,
    );
}

/// The improvement-plan rows of the automatic checks, once per PC and check (a clinic).
fn plan_rows_per_pc(input: &ReportInput) -> Vec<Vec<Cell>> {
    let lang = input.lang;
    let mut rows = Vec::new();
    let mut seen = BTreeMap::new();
    for b in &input.bundles {
        for f in b
            .findings
            .iter()
            .filter(|f| matches!(f.verdict, Verdict::Warn | Verdict::Fail))
        {
            if seen
                .insert((b.host.hostname.clone(), f.probe_id.clone()), ())
                .is_some()
            {
                continue;
            }
            let (numbers, who, target) = plan_target(input, f);
            let action = if f.action.get(lang).is_empty() {
                f.summary.get(lang)
            } else {
                f.action.get(lang)
            };
            rows.push(vec![
                Cell::new(format!(
                    "{}\n{}",
                    if numbers.is_empty() {
                        "—".into()
                    } else {
                        numbers.join(", ")
                    },
                    b.host.hostname
                )),
                Cell::filled(f.verdict.label(lang), verdict_color(f.verdict)),
                Cell::new(format!(
                    "{}: {}\n→ {action}",
                    f.title.get(lang),
                    f.summary.get(lang)
                )),
                Cell::new(who),
                Cell::new(date_or_dash(target, lang)),
            ]);
        }
    }
    rows
}

/// What an improvement-plan row of the automatic checks says of a check: its items, who acts,
/// the earliest 目標日 of those items.
fn plan_target(
    input: &ReportInput,
    f: &Finding,
) -> (Vec<String>, String, Option<chrono::NaiveDate>) {
    let lang = input.lang;
    let items: Vec<&Item> = f
        .checklist_refs
        .iter()
        .filter(|r| r.checklist == input.checklist.id)
        .filter_map(|r| input.checklist.item(&r.item))
        .collect();
    let numbers = items.iter().map(|i| i.number.clone()).collect();
    let who = items
        .first()
        .map(|i| i.guidance.who.get(lang).to_string())
        .unwrap_or_else(|| lang.pick("保守事業者", "Vendor").to_string());
    let target = items
        .iter()
        .flat_map(|i| {
            input
                .assessment
                .answers
                .iter()
                .filter(move |a| a.item_id == i.id)
        })
        .filter_map(|a| a.target_date)
        .min();
    (numbers, who, target)
}

/// The improvement-plan rows of the automatic checks for a fleet: one per check and verdict
/// (不適合 first, then the most PCs), with the number of PCs and the first five.
fn grouped_plan_rows(input: &ReportInput) -> Vec<Vec<Cell>> {
    let lang = input.lang;
    let mut groups: BTreeMap<(u8, String), (&Finding, Vec<&str>)> = BTreeMap::new();
    for b in &input.bundles {
        for f in b
            .findings
            .iter()
            .filter(|f| matches!(f.verdict, Verdict::Warn | Verdict::Fail))
        {
            let rank = u8::from(f.verdict != Verdict::Fail);
            let e = groups
                .entry((rank, f.probe_id.clone()))
                .or_insert_with(|| (f, Vec::new()));
            if !e.1.contains(&b.host.hostname.as_str()) {
                e.1.push(b.host.hostname.as_str());
            }
        }
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|((ra, pa), (_, ha)), ((rb, pb), (_, hb))| {
        (ra, std::cmp::Reverse(ha.len()), pa).cmp(&(rb, std::cmp::Reverse(hb.len()), pb))
    });
    groups
        .into_iter()
        .map(|(_, (f, mut hosts))| {
            hosts.sort_unstable();
            let (numbers, who, target) = plan_target(input, f);
            let pcs = match lang {
                Lang::Ja => format!("{}台: {}", hosts.len(), first_hosts(&hosts, lang)),
                Lang::En => format!("{} PCs: {}", hosts.len(), first_hosts(&hosts, lang)),
            };
            let action = if f.action.get(lang).is_empty() {
                f.summary.get(lang)
            } else {
                f.action.get(lang)
            };
            vec![
                Cell::new(format!(
                    "{}\n{}",
                    if numbers.is_empty() {
                        "—".into()
                    } else {
                        numbers.join(", ")
                    },
                    match lang {
                        Lang::Ja => format!("{}台", hosts.len()),
                        Lang::En => format!("{} PCs", hosts.len()),
                    }
                )),
                Cell::filled(f.verdict.label(lang), verdict_color(f.verdict)),
                Cell::new(format!("{}\n{pcs}\n→ {action}", f.title.get(lang))),
                Cell::new(who),
                Cell::new(date_or_dash(target, lang)),
            ]
        })
        .collect()
}

fn source_text(f: &Finding, lang: Lang) -> String {
    f.evidence
        .iter()
        .map(|e| {
            let kind = match (e.kind, lang) {
                (SourceKind::Command, Lang::Ja) => "コマンド",
                (SourceKind::File, Lang::Ja) => "ファイル",
                (SourceKind::Api, Lang::Ja) => "OSのAPI",
                (SourceKind::Network, Lang::Ja) => "通信",
                (SourceKind::Command, Lang::En) => "command",
                (SourceKind::File, Lang::En) => "file",
                (SourceKind::Api, Lang::En) => "API",
                (SourceKind::Network, Lang::En) => "network",
            };
            // the 64 hex digits in two halves, so a narrow column does not break them unevenly
            let (h1, h2) = e.raw_sha256.split_at(e.raw_sha256.len().min(32));
            let mut s = format!("[{kind}] {}\nSHA-256 {h1}\n{h2}", e.source);
            if e.truncated {
                s.push_str(&format!(
                    " ({} bytes, {})",
                    e.raw_len,
                    lang.pick("一部省略", "truncated")
                ));
            }
            if let Some(err) = &e.error {
                s.push_str(&format!("\n{}{err}", lang.pick("エラー：", "error: ")));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first five of `hosts` and how many more: 「PC-1, PC-2, … ほか3台」.
fn first_hosts(hosts: &[&str], lang: Lang) -> String {
    let shown = hosts.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    match (hosts.len().saturating_sub(5), lang) {
        (0, _) => shown,
        (more, Lang::Ja) => format!("{shown} ほか{more}台"),
        (more, Lang::En) => format!("{shown} and {more} more"),
    }
}

/// Up to this many PCs, the report lists every finding of every PC (item details, appendix A);
/// beyond it (a hospital's fleet) findings are grouped per check and verdict, and appendix A has
/// one row per PC — the full evidence of every PC stays in the attached bundles.
pub const FULL_DETAIL_HOSTS: usize = 20;

/// The automatic-check lines of an item row: one per PC and finding for a clinic; grouped per
/// check and verdict, worst first, with the PCs named (the first few) for a fleet.
fn finding_lines(
    findings: &[tenken_assessment::evidence_map::MappedFinding<'_>],
    lang: Lang,
) -> Vec<String> {
    let hosts: std::collections::BTreeSet<&str> = findings.iter().map(|m| m.host).collect();
    if hosts.len() <= FULL_DETAIL_HOSTS {
        return findings
            .iter()
            .map(|m| {
                // What was checked in words (the probe id stays in appendix A and the bundle).
                format!(
                    "{} {}: {} — {}",
                    m.host,
                    m.finding.title.get(lang),
                    finding_label(m.finding, lang),
                    m.finding.summary.get(lang)
                )
            })
            .collect();
    }
    let mut groups: std::collections::BTreeMap<(std::cmp::Reverse<u8>, &str), Vec<&str>> =
        std::collections::BTreeMap::new();
    let rank = |v: Verdict| match v {
        Verdict::Fail => 4u8,
        Verdict::Warn => 3,
        Verdict::Unknown => 2,
        Verdict::Pass => 1,
        Verdict::NotApplicable => 0,
    };
    let mut label: std::collections::HashMap<(u8, &str), String> = Default::default();
    let mut title: std::collections::HashMap<&str, &str> = Default::default();
    for m in findings {
        title
            .entry(m.finding.probe_id.as_str())
            .or_insert_with(|| m.finding.title.get(lang));
        let r = rank(m.finding.verdict);
        groups
            .entry((std::cmp::Reverse(r), m.finding.probe_id.as_str()))
            .or_default()
            .push(m.host);
        label
            .entry((r, m.finding.probe_id.as_str()))
            .or_insert_with(|| finding_label(m.finding, lang).to_string());
    }
    groups
        .into_iter()
        .map(|((std::cmp::Reverse(r), probe), mut hs)| {
            hs.sort_unstable();
            hs.dedup();
            let lab = label.get(&(r, probe)).cloned().unwrap_or_default();
            let what = title.get(probe).copied().unwrap_or(probe);
            match lang {
                Lang::Ja => format!("{what}: {lab} {}台（{}）", hs.len(), first_hosts(&hs, lang)),
                Lang::En => format!(
                    "{what}: {lab} on {} PCs ({})",
                    hs.len(),
                    first_hosts(&hs, lang)
                ),
            }
        })
        .collect()
}

/// Appendix A for a fleet: one row per PC with its verdict counts and the attached bundle that
/// holds every check, fact and raw-output hash.
fn appendix_compact(w: &mut Writer<'_>, input: &ReportInput, files: &[Attachment]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.body(&match lang {
        Lang::Ja => format!(
            "PCが{}台あるため、証跡はPCごとに1行にまとめています。各PCの確認内容・判定・事実・取得元と生データの SHA-256 は、添付のJSON（表のファイル名、SHA-256 は正規化したJSONのもの）にすべて含まれています。",
            input.bundles.len()
        ),
        Lang::En => format!(
            "With {} PCs, the evidence is one row per PC. Every check, verdict, fact, source and raw-output SHA-256 of each PC is in its attached JSON (file name in the table; the SHA-256 is of the canonical JSON).",
            input.bundles.len()
        ),
    });
    let rows: Vec<Vec<Cell>> = input
        .bundles
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let count = |v: Verdict| b.findings.iter().filter(|f| f.verdict == v).count();
            let (fail, warn, unknown, pass) = (
                count(Verdict::Fail),
                count(Verdict::Warn),
                count(Verdict::Unknown),
                count(Verdict::Pass),
            );
            let worst = if fail > 0 {
                Verdict::Fail
            } else if warn > 0 {
                Verdict::Warn
            } else if unknown > 0 {
                Verdict::Unknown
            } else {
                Verdict::Pass
            };
            let file = files.get(i + 1);
            vec![
                Cell::new(format!("{}\n{}", b.host.hostname, b.host.os_name)),
                Cell::new(jst_time(b.ended_at, false, lang)),
                Cell::filled(
                    format!(
                        "{} {fail} / {} {warn} / {} {unknown} / {} {pass}",
                        Verdict::Fail.label(lang),
                        Verdict::Warn.label(lang),
                        Verdict::Unknown.label(lang),
                        Verdict::Pass.label(lang)
                    ),
                    verdict_color(worst),
                ),
                Cell::new(match file {
                    Some(f) => format!(
                        "{}\n{}",
                        f.name,
                        f.canonical_sha256.as_deref().unwrap_or("—")
                    ),
                    None => "—".into(),
                }),
            ]
        })
        .collect();
    w.table(
        &[
            (l("PC", "PC"), 110.0),
            (l("確認日時", "Scanned"), 80.0),
            (l("判定の数", "Verdicts"), 130.0),
            (
                l("添付ファイル・SHA-256", "Attached file, SHA-256"),
                CONTENT_W - 320.0,
            ),
        ],
        &rows,
        7.0,
    );
}

fn appendix(w: &mut Writer<'_>, input: &ReportInput, files: &[Attachment]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(l("付録A. 証跡の一覧", "Appendix A. Evidence"), 1);
    if input.bundles.len() > FULL_DETAIL_HOSTS {
        appendix_compact(w, input, files);
        return;
    }
    w.body(l(
        "PCごと・確認内容ごとの判定、根拠となった事実、取得元（コマンド・ファイル）と、取得した生データの SHA-256 です。生データは添付の JSON に含まれます。",
        "Per host and check: the verdict, the facts it rests on, the source (command or file) and the SHA-256 of each raw output. The raw outputs are in the attached JSON files.",
    ));
    for (i, b) in input.bundles.iter().enumerate() {
        let h = &b.host;
        w.heading(&format!("{} {}", h.hostname, h.os_name), 2);
        let file = files.get(i + 1);
        w.para(
            &format!(
                "{} {} – {}{}  /  {} {}  /  {} {}",
                l("確認日時", "Scanned"),
                jst_time(b.started_at, true, lang).trim_end_matches(" JST"),
                jst_time(b.ended_at, true, lang)
                    .split(' ')
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(" "),
                if b.replayed {
                    l("（記録の再生）", " (replayed)")
                } else {
                    ""
                },
                l("管理者権限", "Elevated"),
                if h.elevated {
                    l("あり", "yes")
                } else {
                    l("なし", "no")
                },
                l("ツール", "Tool"),
                h.tool_version,
            ),
            8.0,
            muted(),
            0.0,
        );
        if let Some(f) = file {
            w.para(
                &format!(
                    "{} {}  SHA-256(JCS) {}",
                    l("添付", "Attached as"),
                    f.name,
                    f.canonical_sha256.as_deref().unwrap_or("—")
                ),
                8.0,
                muted(),
                0.0,
            );
        }
        // the host name is in the header so pages the table continues on still say which PC
        let check_header = format!(
            "{}{}{}{}",
            l("確認内容", "Check"),
            l("（", " ("),
            h.hostname,
            l("）", ")")
        );
        let rows: Vec<Vec<Cell>> = b
            .findings
            .iter()
            .map(|f| {
                let facts =
                    if f.facts.is_null() || f.facts.as_object().is_some_and(|o| o.is_empty()) {
                        "—".to_string()
                    } else {
                        serde_json::to_string(&f.facts).unwrap_or_default()
                    };
                vec![
                    Cell::new(format!("{}\n{}", f.probe_id, f.title.get(lang))),
                    Cell::filled(finding_label(f, lang), verdict_color(f.verdict)),
                    Cell::new(facts),
                    Cell::new(source_text(f, lang)),
                ]
            })
            .collect();
        w.table(
            &[
                (check_header.as_str(), 100.0),
                (l("判定", "Verdict"), 70.0),
                (l("事実", "Facts"), 130.0),
                (
                    l(
                        "取得元・生データの SHA-256",
                        "Source, SHA-256 of raw output",
                    ),
                    CONTENT_W - 300.0,
                ),
            ],
            &rows,
            7.5,
        );
    }
}

fn verification(w: &mut Writer<'_>, input: &ReportInput, files: &[Attachment]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(
        l(
            "付録B. この報告書の確かめ方",
            "Appendix B. How to verify this report",
        ),
        1,
    );
    for s in [
        l(
            "1. Tenken で確かめる：コマンド「tenken verify 報告書.pdf」を実行すると、電子署名と、添付された回答・証跡ファイルの SHA-256 を照合します。",
            "1. With Tenken: run \"tenken verify REPORT.pdf\" to check the signature and the SHA-256 of the attached answer and evidence files.",
        ),
        l(
            "2. poppler の pdfsig で確かめる：「pdfsig 報告書.pdf」で「Signature is Valid.」と表示されれば、署名後に改変されていません。",
            "2. With poppler's pdfsig: \"pdfsig REPORT.pdf\" prints \"Signature is Valid.\" when the file was not changed after signing.",
        ),
        l(
            "3. Adobe Acrobat Reader で確かめる：署名パネルを開き、署名が有効で「署名後に文書は変更されていません」と表示されることを確認します。",
            "3. With Adobe Acrobat Reader: open the signature panel and check that the signature is valid and the document was not modified after signing.",
        ),
        l(
            "4. 添付ファイルを取り出す：「pdfdetach -saveall 報告書.pdf」で回答（assessment.json）と証跡（bundle-*.json）を取り出し、下の SHA-256 と照合できます。",
            "4. Extract the attachments with \"pdfdetach -saveall REPORT.pdf\" and compare them with the SHA-256 values below.",
        ),
    ] {
        w.body(s);
        w.gap(2.0);
    }
    w.gap(6.0);
    let signer = input.signer.as_ref();
    kv_table(
        w,
        vec![
            (
                l("署名者", "Signer"),
                signer.map_or_else(|| l("（未設定）", "(not set)").to_string(), signer_label),
            ),
            (
                l("証明書のサブジェクト", "Certificate subject"),
                signer.map_or_else(|| "—".to_string(), |s| s.name.clone()),
            ),
            (
                l(
                    "署名者の証明書 SHA-256 フィンガープリント",
                    "Signer certificate SHA-256 fingerprint",
                ),
                signer
                    .and_then(|s| s.cert_sha256.clone())
                    .unwrap_or_else(|| {
                        l("（署名時に決まります）", "(set when signing)").to_string()
                    }),
            ),
        ],
    );
    w.heading(
        l(
            "チェックリストの出典・利用条件",
            "Checklist source and licence",
        ),
        3,
    );
    w.para(&input.checklist.source.license_note, 7.5, muted(), 0.0);
    w.gap(4.0);
    w.heading(
        l("添付ファイルの SHA-256", "SHA-256 of the attached files"),
        3,
    );
    let rows: Vec<Vec<Cell>> = files
        .iter()
        .map(|f| {
            let mut hashes = format!("{}\n{}", l("ファイルそのもの：", "The file:"), f.sha256);
            if let Some(c) = &f.canonical_sha256 {
                hashes.push_str(&format!(
                    "\n{}\n{c}",
                    l(
                        "正規化したJSON（JCS、署名の対象）：",
                        "Canonical JSON (JCS, what is signed):"
                    )
                ));
            }
            vec![
                Cell::new(f.name.clone()),
                Cell::new(f.len.to_string()),
                Cell::new(hashes),
            ]
        })
        .collect();
    w.table(
        &[
            (l("ファイル名", "File"), 122.0),
            (l("バイト数", "Bytes"), 40.0),
            ("SHA-256", CONTENT_W - 162.0),
        ],
        &rows,
        8.0,
    );
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn signer_is_common_name_and_organisation() {
        let s = SignerInfo {
            name: "CN=vm,O=Tenken 自己署名".into(),
            organization: None,
            cert_sha256: None,
        };
        assert_eq!(signer_label(&s), "vm（Tenken 自己署名）");
        let s = SignerInfo {
            name: "CN=さくら医院,O=さくら医院".into(),
            organization: None,
            cert_sha256: None,
        };
        assert_eq!(signer_label(&s), "さくら医院");
        assert_eq!(
            tenken_sign::dn_value(r"CN=A\, B,O=C", "CN").as_deref(),
            Some("A, B")
        );
    }
}
