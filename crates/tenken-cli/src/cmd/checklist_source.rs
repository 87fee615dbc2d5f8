//! Where `tenken assessment` and `tenken report` get a checklist by id: the engine's registry
//! (built-in versions plus the user's imported ones in the data directory).

use anyhow::Context as _;
use tenken_core::checklist::Checklist;

use crate::ctx::Ctx;

/// The checklist id new assessments use when none is given: the newest MHLW version loaded
/// (this year's imported workbooks, else the newest built in).
pub fn default_id(ctx: &Ctx) -> anyhow::Result<String> {
    let all = all(ctx)?;
    tenken_core::checklist::current_mhlw(&all)
        .map(|c| c.id.clone())
        .ok_or_else(|| {
            anyhow::anyhow!(ctx.t(
                "公式チェックリストが見つかりません",
                "no official checklist available"
            ))
        })
}

/// Every loaded checklist (built in and imported).
pub fn all(ctx: &Ctx) -> anyhow::Result<Vec<Checklist>> {
    Ok(tenken_core::checklist::all(Some(&ctx.data_path()))?)
}

/// The checklist-version notice of `checklist` for `fiscal_year`, knowing every loaded version
/// (a newer MHLW version imported → how to move to it).
pub fn notice(ctx: &Ctx, checklist: &Checklist, fiscal_year: u16) -> Option<String> {
    let all = all(ctx).unwrap_or_default();
    checklist
        .version_notice_in(fiscal_year, &all)
        .map(|n| n.get(ctx.lang).to_string())
}

/// Loads the checklist with id `id` (built-in or imported).
pub fn find(ctx: &Ctx, id: &str) -> anyhow::Result<Checklist> {
    let dir = ctx.data_path();
    tenken_core::checklist::find(id, Some(&dir)).with_context(|| {
        format!(
            "{} '{id}'",
            ctx.t("チェックリストを読み込めません", "cannot load checklist")
        )
    })
}
