//! `tenken assessment`: create an assessment, answer items (one from flags or many from an
//! answers file, all or nothing), show it as a table or JSON, export it as XLSX.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use tenken_core::assessment::{Answer, AnswerValue, Assessment, Assessor, Sheet, fiscal_year_of};
use tenken_core::checklist::Checklist;
use tenken_core::report::xlsx;
use tenken_core::store::{NewAssessment, Store};
use tenken_core::workflow::WorkflowError;
use tenken_core::{Session, Which};

use crate::cmd::checklist_source;
use crate::ctx::Ctx;

/// Arguments of `tenken assessment`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Box<Sub>,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// 新しい点検を作る (create an assessment)
    New(NewArgs),
    /// 点検の回答を表示する (show an assessment)
    Show(ShowArgs),
    /// 回答を保存する (save answers: one from flags, or many with --file)
    Answer(AnswerArgs),
    /// 記入済みチェックリストを出力する (export the filled checklist)
    Export(ExportArgs),
    /// 点検を新しい版のチェックリスト（取り込んだ令和8年度版など）に移す。元の点検はそのまま残ります
    /// (move an assessment to the next checklist version, e.g. the imported R8; the old one is kept)
    Move(MoveArgs),
}

#[derive(Debug, clap::Args)]
struct MoveArgs {
    /// 点検ID (assessment id; default: the latest)
    id: Option<i64>,
    /// 移す先のチェックリストID（例: imported-mhlw-r8） / target checklist id
    #[arg(long)]
    to: String,
    /// 移さずに、引き継ぐ回答と新たに回答が必要な行だけを表示 / only show what would be carried
    #[arg(long)]
    dry_run: bool,
    /// JSONで出力 (print JSON)
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// チェックリストID（省略時: 取り込み済みの今年度版、なければ組み込みの最新版）
    /// (checklist id; default: this year's imported MHLW version, else the newest built in)
    #[arg(long)]
    checklist: Option<String>,
    /// 年度（西暦, 4月始まり）(fiscal year; default: the current one)
    #[arg(long)]
    year: Option<u16>,
    /// シート (sheet: clinic, pharmacy, vendor)
    #[arg(long, default_value = "clinic")]
    sheet: Sheet,
    /// 医療機関名 (clinic name)
    #[arg(long)]
    name: Option<String>,
    /// 医療機関の情報ファイル (clinic profile, TOML)
    #[arg(long)]
    profile: Option<PathBuf>,
    /// 確認者 (assessor's name)
    #[arg(long)]
    assessor: Option<String>,
    /// 確認者の会社 (assessor's company, for a vendor)
    #[arg(long)]
    company: Option<String>,
    /// JSONで出力 (print JSON)
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct ShowArgs {
    /// 点検ID (assessment id; default: this fiscal year's, else the latest)
    id: Option<i64>,
    /// JSONで出力 (print JSON)
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct AnswerArgs {
    /// 点検ID (assessment id; default: this fiscal year's, else the latest)
    #[arg(long)]
    assessment: Option<i64>,
    /// 回答ファイル (answers file, .toml or .json: all or nothing)
    #[arg(long, conflicts_with_all = ["item", "value"])]
    file: Option<PathBuf>,
    /// 項目ID (item id, e.g. 2-6)
    #[arg(required_unless_present = "file")]
    item: Option<String>,
    /// 対象 (scope row: general, server, terminal, network)
    #[arg(long)]
    scope: Option<String>,
    /// 回答 (yes, no, na, はい, いいえ, 該当なし)
    #[arg(long, required_unless_present = "file")]
    value: Option<String>,
    /// 確認日 (check date, YYYY-MM-DD; default: today)
    #[arg(long)]
    checked: Option<String>,
    /// 目標日 (target date, needed for いいえ)
    #[arg(long)]
    target: Option<String>,
    /// 備考 (note)
    #[arg(long)]
    note: Option<String>,
    /// 担当者 (responsible person)
    #[arg(long)]
    responsible: Option<String>,
    /// 添付ファイル (attach a file: its name, size and SHA-256 are recorded)
    #[arg(long)]
    attach: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// 点検ID (assessment id; default: this fiscal year's, else the latest)
    id: Option<i64>,
    /// XLSXの出力先 (write the filled checklist as XLSX)
    #[arg(long, required_unless_present = "official")]
    xlsx: Option<PathBuf>,
    /// 取り込んだ厚生労働省のブックと同じ形で、回答を記入したブックをこのフォルダに出力する
    /// (write workbooks shaped like the imported official ones, answers in their cells, into this folder)
    #[arg(long, conflicts_with = "xlsx")]
    official: Option<PathBuf>,
}

/// Runs `tenken assessment`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let mut session = ctx.session()?;
    match *args.command {
        Sub::New(a) => new(ctx, session.store_mut(), a),
        Sub::Show(a) => show(ctx, &mut session, a),
        Sub::Answer(a) => answer(ctx, &mut session, a),
        Sub::Export(a) => export(ctx, &mut session, a),
        Sub::Move(a) => move_to(ctx, &mut session, a),
    }
}

fn today() -> NaiveDate {
    Session::today()
}

/// The assessment to read: the given id, else the institution's own assessment (never a
/// vendor's answer set) of this fiscal year, else of the latest year that has one
/// ([`Which::Existing`]).
pub fn resolve(ctx: &Ctx, session: &mut Session, id: Option<i64>) -> anyhow::Result<Assessment> {
    match session.assessment(id.map_or(Which::Existing, Which::Id)) {
        Err(WorkflowError::NoAssessment) => bail!(
            "{}",
            ctx.t(
                "点検がまだありません。`tenken assessment new` で作成してください",
                "no assessment yet: create one with `tenken assessment new`",
            )
        ),
        other => Ok(other?),
    }
}

fn move_to(ctx: &Ctx, session: &mut Session, a: MoveArgs) -> anyhow::Result<u8> {
    let old = resolve(ctx, session, a.id)?;
    let from = checklist_source::find(ctx, &old.checklist_id)?;
    let to = checklist_source::find(ctx, &a.to)?;
    let moved = tenken_core::version::move_assessment(
        session.store_mut(),
        &ctx.data_path(),
        old.id,
        &to.id,
        !a.dry_run,
    )?;
    let (id, plan) = (moved.assessment, moved.plan);
    if a.json {
        crate::out::json(&serde_json::to_string_pretty(&serde_json::json!({
            "from_assessment": old.id,
            "assessment": id,
            "checklist": to.id,
            "sheet": plan.sheet,
            "carried": plan.carried,
            "anew": plan.anew,
            "review": plan.review,
        }))?);
        return Ok(0);
    }
    match id {
        Some(id) => outln!(
            "{} {id}（{} → {}）",
            ctx.t(
                "点検を新しい版に移しました: 点検ID",
                "Moved the assessment to the new version: assessment"
            ),
            from.id,
            to.id
        ),
        None => outln!(
            "{}（{} → {}）",
            ctx.t(
                "移した場合の内容です（まだ移していません）",
                "What moving would do (nothing was changed)"
            ),
            from.id,
            to.id
        ),
    }
    outln!(
        "  {} {}  /  {} {}",
        ctx.t("引き継ぐ回答:", "answers carried:"),
        plan.carried.len(),
        ctx.t(
            "元の点検（そのまま残ります）: ID",
            "earlier assessment (kept as it is):"
        ),
        old.id
    );
    for c in &plan.carried {
        let item = to.item(&c.item_id);
        outln!(
            "  {} {} [{}] {}",
            ctx.t("引継", "carried"),
            item.map(|i| i.number.as_str()).unwrap_or(&c.item_id),
            c.scope.label(ctx.lang),
            c.value.label(ctx.lang)
        );
    }
    if !plan.anew.is_empty() {
        outln!(
            "{} {}",
            ctx.t("新たに回答が必要な行:", "rows to answer anew:"),
            plan.anew.len()
        );
        for n in &plan.anew {
            let item = to.item(&n.item_id);
            outln!(
                "  {} [{}] {} — {}",
                n.number,
                n.scope.label(ctx.lang),
                item.map(|i| i.text.get(ctx.lang)).unwrap_or_default(),
                n.reason.label(ctx.lang)
            );
        }
    }
    if !plan.review.is_empty() {
        outln!(
            "{}",
            ctx.t(
                "文言が変わったので回答を確かめてください（回答は引き継いでいます）:",
                "The wording changed; check these answers (they were carried):"
            )
        );
        for r in &plan.review {
            outln!(
                "  {} [{}]  {}: {}",
                r.number,
                r.scope.label(ctx.lang),
                ctx.t("前の文言", "earlier wording"),
                r.earlier_text
            );
        }
    }
    Ok(0)
}

fn new(ctx: &Ctx, store: &mut Store, a: NewArgs) -> anyhow::Result<u8> {
    let id = match &a.checklist {
        Some(id) => id.clone(),
        None => checklist_source::default_id(ctx)?,
    };
    let checklist = checklist_source::find(ctx, &id)?;
    let stored = store.get_profile()?.unwrap_or_default();
    let mut profile = match &a.profile {
        // Same rules as `tenken profile import`: refused whole, unnamed fields kept.
        Some(p) => {
            let text = tenken_core::textfile::read_utf8(p)?;
            tenken_core::assessment::profile_file::ProfilePatch::parse(&text)
                .with_context(|| p.display().to_string())?
                .applied_to(&stored)
        }
        None => stored,
    };
    if let Some(name) = a.name {
        profile.name = name;
    }
    if a.profile.is_some() || !profile.name.is_empty() {
        store.set_profile(&profile)?;
    }
    let fiscal_year = a.year.unwrap_or_else(|| fiscal_year_of(today()));
    let id = store.create_assessment(
        &checklist,
        &NewAssessment {
            fiscal_year,
            checklist_id: checklist.id.clone(),
            sheet: a.sheet,
            profile,
            assessor: Assessor {
                name: a.assessor.unwrap_or_default(),
                company: a.company,
            },
        },
    )?;
    if a.json {
        crate::out::json(&serde_json::to_string_pretty(&store.get_assessment(id)?)?);
    } else {
        outln!(
            "{} {id} ({} {}, {})",
            ctx.t("点検を作成しました: ID", "created assessment"),
            xlsx::fiscal_year_label(fiscal_year, ctx.lang),
            checklist.title.get(ctx.lang),
            checklist.id
        );
    }
    if let Some(n) = checklist_source::notice(ctx, &checklist, fiscal_year) {
        errln!("{}: {n}", ctx.t("注意", "Note"));
    }
    Ok(0)
}

// The answer text rules live in the engine (shared with the app).
pub use tenken_core::answers_file::{parse_scope, parse_value};

fn parse_date(s: &str, what: &'static str) -> anyhow::Result<NaiveDate> {
    Ok(tenken_core::answers_file::parse_date(s, what)?)
}

/// Reads an answers file (TOML or JSON, see docs/answers-file.md) into answers for `checklist`;
/// the first bad entry fails the whole file, naming it.
pub fn answers_from_file(
    _ctx: &Ctx,
    checklist: &Checklist,
    file: &Path,
) -> anyhow::Result<Vec<Answer>> {
    Ok(tenken_core::answers_file::read_answers_file(
        checklist,
        file,
        today(),
    )?)
}

fn answer(ctx: &Ctx, session: &mut Session, a: AnswerArgs) -> anyhow::Result<u8> {
    // Without an id: this fiscal year's own assessment, created with the latest official
    // checklist when there is none (as `tenken report` and the app do). A past year's record is
    // never written into silently: when this answer starts a new year, the person is told how to
    // reach the earlier one.
    let earlier = match a.assessment {
        None if session
            .store()
            .own_assessment(Session::fiscal_year())?
            .is_none() =>
        {
            session.store().latest_own_assessment()?
        }
        _ => None,
    };
    let assessment = session.assessment(a.assessment.map_or(Which::ThisYear, Which::Id))?;
    if let Some(earlier) = earlier {
        errln!(
            "{}",
            match ctx.lang {
                tenken_core::Lang::Ja => format!(
                    "今年度（{}）の点検を新しく作り、そこに回答します（点検ID {}）。{}の点検（点検ID {}）に回答するときは --assessment {} を付けてください。",
                    xlsx::fiscal_year_label(assessment.fiscal_year, ctx.lang),
                    assessment.id,
                    xlsx::fiscal_year_label(earlier.fiscal_year, ctx.lang),
                    earlier.id,
                    earlier.id
                ),
                tenken_core::Lang::En => format!(
                    "Answering this fiscal year's new assessment ({}, id {}). To answer the {} assessment (id {}), add --assessment {}.",
                    xlsx::fiscal_year_label(assessment.fiscal_year, ctx.lang),
                    assessment.id,
                    xlsx::fiscal_year_label(earlier.fiscal_year, ctx.lang),
                    earlier.id,
                    earlier.id
                ),
            }
        );
    }
    let checklist = checklist_source::find(ctx, &assessment.checklist_id)?;
    let answers = if let Some(file) = &a.file {
        answers_from_file(ctx, &checklist, file)?
    } else {
        let (Some(item), Some(value)) = (a.item.as_deref(), a.value.as_deref()) else {
            bail!("ITEM と --value が必要です (ITEM and --value are required)");
        };
        let checked = a
            .checked
            .as_deref()
            .map(|d| parse_date(d, "確認日"))
            .transpose()?;
        let target = a
            .target
            .as_deref()
            .map(|d| parse_date(d, "目標日"))
            .transpose()?;
        vec![
            tenken_core::answers_file::AnswerInput {
                item: item.to_string(),
                scope: a.scope.clone(),
                value: value.to_string(),
                checked,
                target,
                note: a.note,
                responsible: a.responsible,
                attach: a.attach.clone(),
            }
            .to_answer(&checklist, today())?,
        ]
    };
    let stored = session
        .store_mut()
        .set_answers(assessment.id, &checklist, &answers)?;
    for s in &stored {
        let number = checklist
            .item(&s.item_id)
            .map(|i| i.number.as_str())
            .unwrap_or(&s.item_id);
        outln!(
            "{} {number} [{}] {}",
            ctx.t("保存しました:", "saved:"),
            s.scope.label(ctx.lang),
            s.value.label(ctx.lang)
        );
    }
    Ok(0)
}

/// Display width: East Asian wide characters count 2.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut cur = 0;
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        if cur + cw > w {
            break;
        }
        out.push(c);
        cur += cw;
    }
    out.push_str(&" ".repeat(w.saturating_sub(cur)));
    out
}

fn show(ctx: &Ctx, session: &mut Session, a: ShowArgs) -> anyhow::Result<u8> {
    let assessment = resolve(ctx, session, a.id)?;
    if a.json {
        crate::out::json(&serde_json::to_string_pretty(&assessment)?);
        return Ok(0);
    }
    let checklist = checklist_source::find(ctx, &assessment.checklist_id)?;
    let sheet_title = checklist
        .sheets
        .iter()
        .find(|s| s.id == assessment.sheet.as_str())
        .map(|s| s.title.get(ctx.lang).to_string())
        .unwrap_or_else(|| assessment.sheet.to_string());
    outln!(
        "{} {}  {}  {}（{}）",
        ctx.t("点検", "Assessment"),
        assessment.id,
        xlsx::fiscal_year_label(assessment.fiscal_year, ctx.lang),
        checklist.title.get(ctx.lang),
        sheet_title
    );
    if !assessment.profile.name.is_empty() {
        outln!(
            "{}: {}",
            ctx.t("医療機関名", "Clinic"),
            assessment.profile.name
        );
    }
    if let Some(n) = checklist_source::notice(ctx, &checklist, assessment.fiscal_year) {
        outln!("{}: {n}", ctx.t("注意", "Note"));
    }
    outln!();
    let cols = [
        (ctx.t("番号", "No."), 6),
        (ctx.t("確認項目", "Item"), 40),
        (ctx.t("対象", "Scope"), 20),
        (ctx.t("回答", "Answer"), 10),
        (ctx.t("確認日", "Checked"), 11),
        (ctx.t("目標日", "Target"), 11),
    ];
    let header: Vec<String> = cols.iter().map(|(h, w)| pad(h, *w)).collect();
    outln!("{}", header.join(" ").trim_end());
    outln!(
        "{}",
        "-".repeat(cols.iter().map(|c| c.1 + 1).sum::<usize>())
    );
    let (mut answered, mut total, mut overdue) = (0, 0, 0);
    for item in checklist.sheet_items(&assessment.sheet) {
        for scope in item.answer_scopes() {
            total += 1;
            let ans = assessment
                .answers
                .iter()
                .find(|x| x.item_id == item.id && x.scope == scope);
            let value = ans.map(|x| x.value).unwrap_or_default();
            if value != AnswerValue::Unanswered {
                answered += 1;
            }
            let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let row = [
                pad(&item.number, cols[0].1),
                pad(item.text.get(ctx.lang), cols[1].1),
                pad(scope.label(ctx.lang), cols[2].1),
                pad(value.label(ctx.lang), cols[3].1),
                pad(&date(ans.and_then(|x| x.checked_on)), cols[4].1),
                {
                    let mut t = date(ans.and_then(|x| x.target_date));
                    if ans.is_some_and(|x| x.is_overdue(today())) {
                        overdue += 1;
                        t.push_str(ctx.t(" 期限切れ", " OVERDUE"));
                    }
                    t
                },
            ];
            outln!("{}", row.join(" ").trim_end());
        }
    }
    outln!();
    outln!("{}: {answered} / {total}", ctx.t("回答済み", "Answered"));
    if overdue > 0 {
        outln!(
            "{}: {overdue} {}",
            ctx.t("期限切れ", "Overdue"),
            ctx.t(
                "件（「いいえ」の目標日を過ぎています）",
                "(No answers past their target date)"
            )
        );
    }
    Ok(0)
}

fn export(ctx: &Ctx, session: &mut Session, a: ExportArgs) -> anyhow::Result<u8> {
    let assessment = resolve(ctx, session, a.id)?;
    let store = session.store();
    let checklist = checklist_source::find(ctx, &assessment.checklist_id)?;
    // One worksheet per sheet answered: the other sheets' current assessments of the same
    // fiscal year and checklist come along.
    let mut all = vec![assessment.clone()];
    for sheet in Sheet::ALL.into_iter().filter(|s| *s != assessment.sheet) {
        if let Some(other) = store.current_assessment(
            assessment.fiscal_year,
            sheet,
            Some(&assessment.checklist_id),
        )? {
            all.push(other);
        }
    }
    let refs: Vec<&Assessment> = all.iter().collect();
    if let Some(dir) = &a.official {
        let books = xlsx::official::export_official(&checklist, &refs, ctx.lang)?;
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
        for b in books {
            let path = dir.join(&b.file_name);
            std::fs::write(&path, &b.bytes).with_context(|| path.display().to_string())?;
            outln!(
                "{} {} [{}]",
                ctx.t("出力しました:", "written:"),
                path.display(),
                b.worksheet
            );
        }
        return Ok(0);
    }
    let Some(path) = &a.xlsx else {
        bail!(ctx.t(
            "--xlsx か --official を指定してください",
            "give --xlsx or --official"
        ));
    };
    xlsx::export_xlsx(&checklist, &refs, ctx.lang, path)?;
    outln!("{} {}", ctx.t("出力しました:", "written:"), path.display());
    Ok(0)
}
