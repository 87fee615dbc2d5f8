//! Network-check flags of `tenken scan` (off by default): `--network`, `--lan`, `--never-touch`.

use tenken_core::evidence::Finding;

use crate::ctx::Ctx;

/// Consent and scope for active network checks. Nothing is sent unless one of these is given.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NetArgs {}

impl NetArgs {
    /// True when the user asked for any active network check.
    pub fn enabled(&self) -> bool {
        false
    }
}

/// Runs the consented network checks and returns their findings (none when not enabled).
pub fn collect(_ctx: &Ctx, args: &NetArgs) -> anyhow::Result<Vec<Finding>> {
    if !args.enabled() {
        return Ok(Vec::new());
    }
    anyhow::bail!("network checks: not implemented yet")
}
