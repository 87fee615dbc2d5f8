//! `tenken vendor`: 事業者確認用 sheets per vendor — answers entered from the returned paper,
//! or a request file answered and signed by the vendor in their own Tenken, verified on import.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use tenken_core::assessment::{Answer, AnswerValue};
use tenken_core::checklist::Checklist;
use tenken_core::store::Store;
use tenken_core::vendor::{self, Request, VendorAnswers, sheet};

use crate::ctx::Ctx;

/// Arguments of `tenken vendor`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// 紙で返ってきた回答を入力する (enter a vendor's answer from the returned paper)
    Answer {
        /// 事業者名 / vendor name
        vendor: String,
        /// 項目ID / item id
        item: String,
        /// 回答 / answer: yes, no, na (はい, いいえ, 該当なし)
        #[arg(long)]
        value: String,
        /// 対象 / scope row (default: the item's first)
        #[arg(long)]
        scope: Option<String>,
        /// 目標日 (YYYY-MM-DD, いいえ の場合は必須) / target date, required for no
        #[arg(long)]
        target_date: Option<String>,
        /// 備考 / note
        #[arg(long, default_value = "")]
        note: String,
        /// 年度 / fiscal year (default: this one)
        #[arg(long)]
        year: Option<u16>,
    },
    /// 事業者に渡す回答依頼ファイルを作る (write the request file for a vendor)
    ExportRequest {
        /// 事業者名 / vendor name
        vendor: String,
        /// 出力先 / output file
        #[arg(long)]
        out: PathBuf,
        /// 年度 / fiscal year (default: this one)
        #[arg(long)]
        year: Option<u16>,
    },
    /// 【事業者用】依頼に回答し、自社の証明書で署名する (vendor mode: answer a request and sign)
    SignAnswers {
        /// 回答依頼ファイル / request file
        request: PathBuf,
        /// 回答 ITEM=VALUE（複数可）/ answers ITEM=yes|no|na (repeatable)
        #[arg(long = "set", value_name = "ITEM=VALUE")]
        set: Vec<String>,
        /// いいえ の目標日 ITEM=YYYY-MM-DD（複数可）/ target dates for no answers
        #[arg(long = "target", value_name = "ITEM=DATE")]
        target: Vec<String>,
        /// 出力先 / output file
        #[arg(long)]
        out: PathBuf,
    },
    /// 事業者の署名付き回答を検証して取り込む (verify and import signed vendor answers)
    Import {
        /// 署名付き回答ファイル / signed answers file
        file: PathBuf,
        /// 信頼されていない署名でも取り込む（「回答あり」扱い）/ accept an untrusted signer
        #[arg(long)]
        accept_unverified: bool,
    },
    /// 事業者ごとの状況 (status per vendor)
    Status {
        /// JSONで出力 (print JSON)
        #[arg(long)]
        json: bool,
        /// 年度 / fiscal year (default: all)
        #[arg(long)]
        year: Option<u16>,
    },
}

fn this_year() -> u16 {
    tenken_core::Session::fiscal_year()
}

/// Checklists known to this installation (built-in plus imported).
fn lists(ctx: &Ctx) -> anyhow::Result<Vec<Checklist>> {
    Ok(tenken_core::checklist::all(Some(&ctx.data_path()))?)
}

/// Prints a note when `vendor` is not in the clinic profile's vendor list.
fn note_unknown(ctx: &Ctx, store: &Store, vendor: &str) -> anyhow::Result<()> {
    if !sheet::known_vendor(store, vendor)? {
        errln!(
            "{}: {vendor}",
            ctx.t(
                "注意: 医療機関情報の事業者一覧にない名前です",
                "note: not in the clinic profile's vendor list"
            )
        );
    }
    Ok(())
}

fn parse_date(s: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("'{s}': YYYY-MM-DD で指定してください (date as YYYY-MM-DD)"))
}

fn answer_for(
    checklist: &Checklist,
    item: &str,
    value: AnswerValue,
    scope: Option<&str>,
    target: Option<NaiveDate>,
    note: String,
) -> anyhow::Result<Answer> {
    let it = checklist
        .item(item)
        .with_context(|| format!("項目 {item} はありません (no such item)"))?;
    let scope = match scope {
        Some(s) => super::assessment::parse_scope(s)?,
        None => *it
            .answer_scopes()
            .first()
            .context("item without scope rows")?,
    };
    Ok(Answer {
        item_id: item.to_string(),
        scope,
        value,
        checked_on: Some(tenken_core::Session::today()),
        target_date: target,
        note,
        responsible: String::new(),
        attachments: Vec::new(),
        updated_at: None,
    })
}

/// Runs `tenken vendor`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let mut session = ctx.session()?;
    match args.command {
        Sub::Answer {
            vendor,
            item,
            value,
            scope,
            target_date,
            note,
            year,
        } => {
            let fy = year.unwrap_or_else(this_year);
            let lists = lists(ctx)?;
            let cl = sheet::sheet_checklist(session.store(), &lists, &vendor, fy)?;
            let target = target_date.as_deref().map(parse_date).transpose()?;
            let ans = answer_for(
                cl,
                &item,
                super::assessment::parse_value(&value)?,
                scope.as_deref(),
                target,
                note,
            )?;
            note_unknown(ctx, session.store(), &vendor)?;
            // A hand-entered answer is not covered by any vendor signature: the sheet is
            // "answered" from now on, even if it was imported signed before.
            let entered = sheet::enter_answer(session.store_mut(), &lists, &vendor, fy, ans)?;
            if entered.was_signed {
                errln!(
                    "{}",
                    ctx.t(
                        "注意: 手入力の回答は事業者の署名の対象外のため、状態を「回答あり」に戻しました",
                        "note: a hand-entered answer is not covered by the vendor's signature; status is now answered"
                    )
                );
            }
            outln!("{vendor} {item}: {value}");
            Ok(0)
        }
        Sub::ExportRequest { vendor, out, year } => {
            let fy = year.unwrap_or_else(this_year);
            note_unknown(ctx, session.store(), &vendor)?;
            let req = sheet::export_request(session.store_mut(), &lists(ctx)?, &vendor, fy)?;
            std::fs::write(&out, serde_json::to_vec_pretty(&req)?)
                .with_context(|| out.display().to_string())?;
            outln!(
                "{}: {} ({} {})",
                ctx.t("回答依頼を書き出しました", "request written"),
                out.display(),
                req.items.len(),
                ctx.t("項目", "items")
            );
            Ok(0)
        }
        Sub::SignAnswers {
            request,
            set,
            target,
            out,
        } => {
            let bytes = std::fs::read(&request).with_context(|| request.display().to_string())?;
            let req: Request = serde_json::from_slice(&bytes).with_context(|| {
                format!("{}: 回答依頼ファイルではありません", request.display())
            })?;
            if req.format != vendor::REQUEST_FORMAT {
                bail!("{}: not a {}", request.display(), vendor::REQUEST_FORMAT);
            }
            let cl = super::checklist_source::find(ctx, &req.checklist_id)?;
            let mut targets = std::collections::HashMap::new();
            for t in &target {
                let (k, v) = t.split_once('=').context("--target ITEM=YYYY-MM-DD")?;
                targets.insert(k.to_string(), parse_date(v)?);
            }
            let mut answers = Vec::new();
            for s in &set {
                let (k, v) = s.split_once('=').context("--set ITEM=VALUE")?;
                if !req.items.iter().any(|i| i.id == k) {
                    bail!("項目 {k} は依頼にありません (item not in the request)");
                }
                let a = answer_for(
                    &cl,
                    k,
                    super::assessment::parse_value(v)?,
                    None,
                    targets.get(k).copied(),
                    String::new(),
                )?;
                a.validate()?;
                answers.push(a);
            }
            let va = VendorAnswers {
                clinic: req.clinic,
                vendor: req.vendor,
                fiscal_year: req.fiscal_year,
                checklist_id: req.checklist_id,
                answers,
            };
            let signer = session.keys().load().context(ctx.t(
                "署名用の鍵がありません（tenken key import で自社の証明書を取り込んでください）",
                "no signing key (import your company certificate with tenken key import)",
            ))?;
            let env = vendor::sign_answers(&va, &signer)?;
            std::fs::write(&out, env).with_context(|| out.display().to_string())?;
            outln!(
                "{}: {}",
                ctx.t("署名付き回答を書き出しました", "signed answers written"),
                out.display()
            );
            Ok(0)
        }
        Sub::Import {
            file,
            accept_unverified,
        } => {
            let bytes = std::fs::read(&file).with_context(|| file.display().to_string())?;
            let imported = session.import_vendor_answers(&bytes, accept_unverified)?;
            outln!(
                "{}: {} ({} {}, {}: {})",
                ctx.t("事業者の回答を取り込みました", "vendor answers imported"),
                imported.vendor,
                imported.answers,
                ctx.t("件", "answers"),
                imported.status.label(ctx.lang),
                imported.signer
            );
            Ok(0)
        }
        Sub::Status { json, year } => {
            let sheets = session.store().vendor_sheets(year)?;
            if json {
                crate::out::json(&serde_json::to_string_pretty(&sheets)?);
                return Ok(0);
            }
            // Per fiscal year (the one asked for, or this one and every year with a sheet): every
            // vendor of the profile with where its sheet stands (未依頼 … 要確認).
            let mut years: Vec<u16> = match year {
                Some(y) => vec![y],
                None => sheets
                    .iter()
                    .map(|s| s.fiscal_year)
                    .chain([this_year()])
                    .collect(),
            };
            years.sort_unstable();
            years.dedup();
            let lists = lists(ctx)?;
            for fy in years {
                for v in sheet::vendor_states(session.store(), &lists, fy)? {
                    outln!(
                        "{fy}  {}  {}  {}/{} {}{}",
                        v.vendor,
                        v.progress.label(ctx.lang),
                        v.answered,
                        v.rows,
                        ctx.t("行回答", "rows answered"),
                        v.signer
                            .as_deref()
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default()
                    );
                }
            }
            Ok(0)
        }
    }
}
