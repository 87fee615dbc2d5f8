//! `tenken history`: assessments per fiscal year with their answer counts, the PCs whose
//! evidence they hold and, for vendor sheets, the vendor and its status.

use tenken_core::report::xlsx::fiscal_year_label;
use tenken_core::store::BundleTrust;

use crate::ctx::Ctx;

/// Arguments of `tenken history`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONで出力 (print JSON)
    #[arg(long)]
    json: bool,
}

/// Runs `tenken history`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let session = ctx.session()?;
    let store = session.store();
    let history = store.history()?;
    if args.json {
        crate::out::json(&serde_json::to_string_pretty(&history)?);
        return Ok(0);
    }
    if history.is_empty() {
        outln!(
            "{}",
            ctx.t(
                "点検はまだありません (`tenken assessment new` で作成)",
                "no assessments yet (create one with `tenken assessment new`)"
            )
        );
        return Ok(0);
    }
    let vendor_sheets = store.vendor_sheets(None)?;
    let mut last_year = None;
    for h in &history {
        if last_year != Some(h.fiscal_year) {
            outln!("{}", fiscal_year_label(h.fiscal_year, ctx.lang));
            last_year = Some(h.fiscal_year);
        }
        outln!(
            "  ID {}  {} / {}  {}  {} {}（{} {}, {} {}, {} {}）  {} {}",
            h.id,
            h.checklist_id,
            h.sheet,
            h.clinic_name,
            ctx.t("回答", "answers"),
            h.answers,
            ctx.t("はい", "yes"),
            h.yes,
            ctx.t("いいえ", "no"),
            h.no,
            ctx.t("該当なし", "n/a"),
            h.not_applicable,
            ctx.t("更新", "updated"),
            h.updated_at
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
        );
        // Issue 14: いいえ answers whose 目標日 has passed.
        let today = chrono::Local::now().date_naive();
        let overdue = store
            .get_assessment(h.id)?
            .answers
            .iter()
            .filter(|a| a.is_overdue(today))
            .count();
        if overdue > 0 {
            outln!(
                "      {}: {overdue} {}",
                ctx.t("期限切れ", "overdue"),
                ctx.t(
                    "件（「いいえ」の目標日を過ぎています）",
                    "(No answers past their target date)"
                )
            );
        }
        // Issue 8: hosts whose evidence is in this assessment, and the vendor sheet state
        // (counted by the store: a hospital's bundles are not read for two numbers).
        let (current, verified) = store.current_bundle_trust_counts(Some(h.id))?;
        if current > 0 {
            outln!(
                "      {} {}（{} {}）",
                ctx.t("点検したPC", "hosts scanned"),
                current,
                BundleTrust::Verified.label(ctx.lang),
                verified
            );
        }
        if h.sheet == tenken_core::assessment::Sheet::Vendor
            && let Some(v) = vendor_sheets.iter().find(|v| v.assessment_id == Some(h.id))
        {
            outln!(
                "      {}: {} — {}",
                ctx.t("事業者", "vendor"),
                v.vendor,
                v.status.label(ctx.lang)
            );
        }
    }
    Ok(0)
}
