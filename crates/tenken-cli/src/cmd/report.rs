//! `tenken report`: builds the Japanese PDF evidence report (unsigned; signing follows).
//!
//! For now the input is assembled from files (`--answers` assessment JSON, `--bundle` JSON,
//! `--checklist-file` checklist JSON); [`assemble_input`] is the one place to rewire to the
//! store and the built-in checklists at merge time.

use std::path::PathBuf;

use anyhow::{Context, bail};
use tenken_core::assessment::Assessment;
use tenken_core::checklist::Checklist;
use tenken_core::evidence::Bundle;
use tenken_core::report::{self, RawJson, ReportInput, SignerInfo};

use crate::ctx::Ctx;

/// Arguments of `tenken report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 出力するPDF / output PDF file
    #[arg(long, short, default_value = "tenken-report.pdf")]
    pub out: PathBuf,
    /// 保存済みの点検ID / stored assessment id (needs the store)
    #[arg(long)]
    pub assessment: Option<i64>,
    /// 証跡バンドル（JSON、複数可） / evidence bundle JSON (repeatable)
    #[arg(long = "bundle")]
    pub bundles: Vec<PathBuf>,
    /// 回答（点検JSON） / assessment JSON file with the answers
    #[arg(long)]
    pub answers: Option<PathBuf>,
    /// チェックリストID / checklist id (built-in; defaults to the assessment's)
    #[arg(long)]
    pub checklist: Option<String>,
    /// チェックリスト（JSONファイル） / checklist as a JSON file
    #[arg(long)]
    pub checklist_file: Option<PathBuf>,
    /// チェックリストのExcel出力 / also write the checklist answers as XLSX
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    /// 署名者名（表紙に記載） / signer name printed on the cover
    #[arg(long)]
    pub signer: Option<String>,
    /// 試験用のサンプルデータで作成する / render the built-in synthesised sample
    #[arg(long, hide = true)]
    pub sample: bool,
}

fn read(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Builds the report input from the arguments (files today; the store at merge time).
pub fn assemble_input(ctx: &Ctx, args: &Args) -> anyhow::Result<ReportInput> {
    let now = chrono::Utc::now();
    if args.sample {
        let (cl, a, b) = report::sample::input_parts();
        let mut input = ReportInput::new(cl, a, b, ctx.lang, now);
        input.signer = args.signer.clone().map(|name| SignerInfo {
            name,
            ..Default::default()
        });
        return Ok(input);
    }
    if args.assessment.is_some() {
        bail!(
            "{}",
            ctx.t(
                "--assessment（保存済みの点検）はまだ使えません。--answers で点検JSONを指定してください",
                "--assessment (stored assessments) is not available yet; pass the assessment JSON with --answers"
            )
        );
    }
    let Some(answers) = &args.answers else {
        bail!(
            "{}",
            ctx.t(
                "--answers で点検JSONを指定してください",
                "pass the assessment JSON with --answers"
            )
        );
    };
    let assessment_bytes = read(answers)?;
    let assessment: Assessment = serde_json::from_slice(&assessment_bytes)
        .with_context(|| format!("{} is not an assessment JSON", answers.display()))?;
    let checklist: Checklist = match &args.checklist_file {
        Some(p) => serde_json::from_slice(&read(p)?)
            .with_context(|| format!("{} is not a checklist JSON", p.display()))?,
        None => {
            let id = args
                .checklist
                .clone()
                .unwrap_or_else(|| assessment.checklist_id.clone());
            // Never substitute the synthesised sample checklist for a real one.
            bail!(
                "{} ({id})",
                ctx.t(
                    "内蔵チェックリストはまだ読み込めません。--checklist-file でJSONを指定してください",
                    "built-in checklists are not wired yet; pass --checklist-file"
                )
            );
        }
    };
    if let Some(id) = &args.checklist
        && *id != checklist.id
    {
        bail!(
            "checklist '{}' given, but the file holds '{}'",
            id,
            checklist.id
        );
    }
    let mut bundles = Vec::new();
    let mut raw = Vec::new();
    for p in &args.bundles {
        let bytes = read(p)?;
        let b = Bundle::from_json(&bytes)
            .with_context(|| format!("{}: not a Tenken bundle", p.display()))?;
        bundles.push(b);
        raw.push(Some(bytes));
    }
    let mut input = ReportInput::new(checklist, assessment, bundles, ctx.lang, now);
    input.raw_json = RawJson {
        assessment: Some(assessment_bytes),
        bundles: raw,
    };
    input.signer = args.signer.clone().map(|name| SignerInfo {
        name,
        ..Default::default()
    });
    Ok(input)
}

/// Runs `tenken report`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    if args.xlsx.is_some() {
        bail!(
            "{}",
            ctx.t("--xlsx はまだ使えません", "--xlsx is not available yet")
        );
    }
    let input = assemble_input(ctx, &args)?;
    let pdf = report::render_pdf(&input).context("report generation failed")?;
    report::write_atomic(&args.out, &pdf)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "{} {} ({} bytes)",
        ctx.t("報告書を作成しました:", "Report written:"),
        args.out.display(),
        pdf.len()
    );
    Ok(0)
}
