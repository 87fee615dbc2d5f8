//! Where `tenken assessment` and `tenken report` get a checklist by id: the engine's registry
//! (built-in versions plus the user's imported ones in the data directory).

use anyhow::Context as _;
use tenken_core::checklist::Checklist;

use crate::ctx::Ctx;

/// Default checklist id for new assessments when no official version can be determined.
pub const DEFAULT_ID: &str = "mhlw-r7";

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
