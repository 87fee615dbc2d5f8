//! `tenken import`.

use crate::ctx::Ctx;

/// Arguments of `tenken import`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken import`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken import: not implemented yet")
}
