//! `tenken history`.

use crate::ctx::Ctx;

/// Arguments of `tenken history`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken history`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken history: not implemented yet")
}
