//! `tenken compare`: compares two fiscal years (answers, new items, 目標日, host findings).

use tenken_core::compare::{self, Direction, TargetState};

use crate::ctx::Ctx;

/// Arguments of `tenken compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 前の年度（西暦）/ earlier fiscal year
    year1: u16,
    /// 後の年度（西暦）/ later fiscal year
    year2: u16,
    /// JSONで出力 (print JSON)
    #[arg(long)]
    json: bool,
}

/// Runs `tenken compare`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let session = ctx.session()?;
    let store = session.store();
    let c = compare::compare(store, args.year1, args.year2)?;
    if args.json {
        crate::out::json(&serde_json::to_string_pretty(&c)?);
        return Ok(0);
    }
    outln!(
        "{} {} ({}) → {} ({})",
        ctx.t("年度の比較", "Comparison"),
        c.from.fiscal_year,
        c.from.checklist_id,
        c.to.fiscal_year,
        c.to.checklist_id
    );
    outln!("■ {}", ctx.t("回答が変わった項目", "changed answers"));
    for ch in &c.changes {
        let d = match ch.direction {
            Direction::Improved => ctx.t("改善", "improved"),
            Direction::Regressed => ctx.t("後退", "regressed"),
            Direction::Changed => ctx.t("変更", "changed"),
        };
        outln!(
            "  [{d}] {} ({}): {} → {}",
            ch.number,
            ch.item_after,
            ch.before.label(ctx.lang),
            ch.after.label(ctx.lang)
        );
    }
    outln!("■ {}", ctx.t("新しい項目", "new items"));
    for n in &c.new_items {
        outln!("  {} {}", n.number, n.text);
    }
    outln!("■ {}", ctx.t("目標日", "target dates"));
    for t in &c.targets {
        let s = match t.state {
            TargetState::Met => ctx.t("達成", "met"),
            TargetState::Overdue => ctx.t("期限切れ", "overdue"),
            TargetState::Pending => ctx.t("期限前", "pending"),
        };
        outln!("  [{s}] {} {}", t.item, t.target_date);
    }
    outln!(
        "■ {}",
        ctx.t(
            "同じPCで結果が変わった点検",
            "findings changed on the same host"
        )
    );
    for f in &c.findings {
        outln!(
            "  {} {}: {} → {}",
            f.host,
            f.probe_id,
            f.before.label(ctx.lang),
            f.after.label(ctx.lang)
        );
    }
    Ok(0)
}
