//! `tenken readiness`: the review before signing on its own — what is still open in this fiscal
//! year's assessment (unanswered, 未確認, 回答と矛盾, 目標日 期限切れ, no or an old automatic
//! check, vendor sheets not returned, clinic name or 点検者 unset) and the command that fixes
//! each. `tenken report` prints the same review before it signs. Exit code 0 when nothing is
//! open, 1 when something is.

use std::io::Write;

use tenken_core::assessment::readiness::{GapKind, Readiness};

use crate::ctx::Ctx;

/// Arguments of `tenken readiness`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 点検ID（省略時は今年度の点検） / assessment id (default: this fiscal year's)
    #[arg(long)]
    pub assessment: Option<i64>,
    /// JSONで出力 / print JSON
    #[arg(long)]
    pub json: bool,
}

/// Runs `tenken readiness`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let mut session = ctx.session()?;
    let assessment = super::assessment::resolve(ctx, &mut session, args.assessment)?;
    let review = session.readiness(assessment.id, chrono::Utc::now())?;
    let mut out = crate::out::stdout();
    if args.json {
        crate::out::json(&serde_json::to_string_pretty(&review)?);
    } else {
        print_review(ctx, &review, None, &mut out)?;
    }
    Ok(u8::from(!review.is_clear()))
}

/// Entries of one kind `tenken report` lists before signing (all of them: `tenken readiness`).
pub const BRIEF_PER_KIND: usize = 3;

/// Writes the review for people: a count, then each kind with its entries and the command that
/// fixes them — at most `per_kind` of each kind when given, with how many more there are.
pub fn print_review(
    ctx: &Ctx,
    review: &Readiness,
    per_kind: Option<usize>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if review.is_clear() {
        writeln!(
            out,
            "{}",
            ctx.t(
                "署名前の確認: 残っていることはありません。",
                "Before signing: nothing is left open."
            )
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        match ctx.lang {
            tenken_core::Lang::Ja => format!(
                "署名前の確認（点検ID {}）: 残っていることが {} 件あります。",
                review.assessment_id,
                review.entries.len()
            ),
            tenken_core::Lang::En => format!(
                "Before signing (assessment {}): {} thing(s) still open.",
                review.assessment_id,
                review.entries.len()
            ),
        }
    )?;
    for kind in GapKind::ALL {
        let entries: Vec<_> = review.entries.iter().filter(|e| e.kind == kind).collect();
        if entries.is_empty() {
            continue;
        }
        match ctx.lang {
            tenken_core::Lang::Ja => writeln!(out, "【{}】", kind.label(ctx.lang))?,
            tenken_core::Lang::En => writeln!(out, "[{}]", kind.label(ctx.lang))?,
        }
        let shown = per_kind.unwrap_or(usize::MAX).min(entries.len());
        for e in &entries[..shown] {
            writeln!(out, "  ・{}", e.message.get(ctx.lang))?;
            writeln!(out, "    {} {}", ctx.t("直し方:", "fix:"), e.command)?;
        }
        if shown < entries.len() {
            let more = entries.len() - shown;
            match ctx.lang {
                tenken_core::Lang::Ja => writeln!(
                    out,
                    "  ほか {more} 件（すべては `tenken readiness` で表示されます）"
                )?,
                tenken_core::Lang::En => {
                    writeln!(out, "  {more} more (`tenken readiness` lists them all)")?
                }
            }
        }
    }
    if let Some(sum) = review.summary(ctx.lang) {
        writeln!(out, "{} {sum}", ctx.t("まとめ:", "In short:"))?;
    }
    Ok(())
}
