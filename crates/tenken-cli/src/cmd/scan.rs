//! `tenken scan`.

use crate::ctx::Ctx;

/// Arguments of `tenken scan`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken scan`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken scan: not implemented yet")
}
