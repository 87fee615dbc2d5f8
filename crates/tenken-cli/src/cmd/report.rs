//! `tenken report`: the main job. Scans this PC (local probes only, nothing is sent to the
//! network), keeps the signed evidence bundle with this fiscal year's assessment (created with the
//! latest official checklist when there is none), and writes the signed PDF report atomically.

use std::path::PathBuf;

use anyhow::Context;
use tenken_core::workflow;
use tenken_core::{ReportFiles, Which, report};

use crate::ctx::Ctx;

/// Arguments of `tenken report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 出力するPDF / output PDF file
    #[arg(long, short, default_value = "tenken-report.pdf")]
    pub out: PathBuf,
    /// 点検ID（省略時は今年度の点検） / assessment id (default: this fiscal year's)
    #[arg(long)]
    pub assessment: Option<i64>,
    /// 他のPCの署名付き証跡バンドルを取り込んで含める（複数可） / import and include these signed
    /// bundle files (repeatable; verified like `tenken import`)
    #[arg(long = "bundle", value_name = "FILE")]
    pub bundles: Vec<PathBuf>,
    /// 回答ファイル（TOML/JSON）を先に保存する / save the answers in this file first
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// 新しく点検を作るときのチェックリストID / checklist id when a new assessment is created
    #[arg(long)]
    pub checklist: Option<String>,
    /// チェックリストをExcelでも出力する / also write the filled checklist as XLSX
    #[arg(long, value_name = "FILE", conflicts_with = "dir")]
    pub xlsx: Option<PathBuf>,
    /// このフォルダに、アプリと同じ名前（医療機関名_年度_日付_点検報告書.pdf と
    /// …_チェックリスト.xlsx）で書く / write the PDF and the XLSX into this folder under the
    /// app's readable names (never overwriting an earlier set)
    #[arg(long, value_name = "FOLDER", conflicts_with = "out")]
    pub dir: Option<PathBuf>,
    /// このPCを点検しない（保存済みの証跡だけで作成） / do not scan this PC (use stored evidence)
    #[arg(long)]
    pub no_scan: bool,
    /// 試験用のサンプルデータで作成する（署名なし） / render the synthesised sample (unsigned)
    #[arg(long, hide = true)]
    pub sample: bool,
}

/// Runs `tenken report`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let now = chrono::Utc::now();
    if args.sample {
        let (cl, a, b) = tenken_testkit::sample::input_parts();
        let input = report::ReportInput::new(cl, a, b, ctx.lang, now);
        let pdf = report::render_pdf(&input).context("report generation failed")?;
        workflow::write_file(&args.out, &pdf)?;
        return Ok(0);
    }
    let mut session = ctx.session()?;

    // 1. The assessment: given, this fiscal year's for the checklist asked for, or this fiscal
    // year's (created with the latest official checklist when there is none).
    let which = match (args.assessment, &args.checklist) {
        (Some(id), _) => Which::Id(id),
        (None, Some(checklist_id)) => {
            // Loaded here first for the CLI's message naming the checklist it cannot load.
            super::checklist_source::find(ctx, checklist_id)?;
            Which::Checklist(checklist_id)
        }
        (None, None) => Which::ThisYear,
    };
    let assessment = session.assessment(which)?;

    // 2. Answers from a file, all or nothing, before anything else is written.
    if let Some(file) = &args.answers {
        let checklist = super::checklist_source::find(ctx, &assessment.checklist_id)?;
        let answers = super::assessment::answers_from_file(ctx, &checklist, file)?;
        session
            .store_mut()
            .set_answers(assessment.id, &checklist, &answers)?;
    }

    // 3. This PC, signed and kept with the assessment.
    if !args.no_scan {
        errln!(
            "{}",
            ctx.t(
                "このPCを点検しています（読み取りのみ・ネットワークには送信しません）…",
                "Checking this PC (read-only, nothing is sent to the network)…"
            )
        );
        let bundle = super::scan::local_bundle(ctx)?;
        // Merged with network findings kept earlier for this PC (e.g. by the app), not replacing them.
        session.keep_host_findings(assessment.id, bundle)?;
    }
    // Other PCs' bundles: imported like `tenken import` (signature verified against this
    // installation's key and the trusted certificates; anything else is refused).
    for path in &args.bundles {
        let imported = session
            .import_bundle(assessment.id, path, false)
            .with_context(|| path.display().to_string())?;
        errln!(
            "{} {} ({})",
            ctx.t("取り込みました:", "imported:"),
            path.display(),
            imported.host
        );
    }

    // 4. What is still open, said before signing; signing goes on (the report's first page
    // says the same).
    let review = session.readiness(assessment.id, now)?;
    super::readiness::print_review(
        ctx,
        &review,
        Some(super::readiness::BRIEF_PER_KIND),
        &mut crate::out::stderr(),
    )?;
    if !review.is_clear() {
        errln!(
            "{}",
            ctx.t(
                "このまま署名します（残っていることは報告書の1ページ目に記載されます）。先に直すときは `tenken readiness` で確かめられます。",
                "Signing anyway (what is open is printed on the report's first page). Check again with `tenken readiness`."
            )
        );
    }

    // 5. The signed report, then the XLSX: at the paths given, or under the readable names the
    // app uses in the folder given.
    let files = match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
            ReportFiles::named_in(
                dir,
                &assessment.profile.name,
                assessment.fiscal_year,
                now.with_timezone(&chrono::Local).date_naive(),
            )
        }
        None => ReportFiles {
            pdf: args.out.clone(),
            xlsx: args.xlsx.clone(),
        },
    };
    let set = session.write_report_set(assessment.id, ctx.lang, now, &files, &mut |_| {})?;
    let signed = set.signed;
    // Issue 14: the first `make report` signed a report for 「医療機関名 未設定」 with nothing
    // answered, silently.
    let reported = session.store().get_assessment(assessment.id)?;
    let reported_checklist = super::checklist_source::find(ctx, &reported.checklist_id)?;
    if let Some(n) = super::checklist_source::notice(ctx, &reported_checklist, reported.fiscal_year)
    {
        errln!("{}: {n}", ctx.t("注意", "Note"));
    }
    let answered = reported
        .answers
        .iter()
        .filter(|a| a.value != tenken_core::assessment::AnswerValue::Unanswered)
        .count();
    if answered == 0 {
        errln!(
            "{}",
            ctx.t(
                "注意: チェックリストの回答が1件もありません。この報告書は自動確認の結果だけです。`tenken assessment answer`（またはアプリ）で回答してから、もう一度作成してください。",
                "Note: no checklist item is answered; this report holds the automatic checks only. Answer with `tenken assessment answer` (or the app) and write it again."
            )
        );
    }
    outln!(
        "{} {}",
        ctx.t("署名付き報告書を作成しました:", "Signed report written:"),
        files.pdf.display()
    );
    outln!(
        "  {} {} / {} {}",
        ctx.t("署名者:", "signer:"),
        tenken_core::sign::dn_display(&signed.signer),
        ctx.t("証明書フィンガープリント(SHA-256):", "certificate SHA-256:"),
        signed.fingerprint
    );
    outln!(
        "  {} {} / {} {}",
        ctx.t("点検ID:", "assessment:"),
        assessment.id,
        ctx.t("証跡バンドル:", "evidence bundles:"),
        signed.bundles
    );
    if let Some(xlsx) = &set.xlsx {
        outln!("  XLSX: {}", xlsx.display());
    }
    outln!(
        "  {} tenken verify \"{}\"",
        ctx.t("検証:", "verify with:"),
        files.pdf.display()
    );
    Ok(0)
}
