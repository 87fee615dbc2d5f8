//! `tenken verify`.

use crate::ctx::Ctx;

/// Arguments of `tenken verify`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken verify`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken verify: not implemented yet")
}
