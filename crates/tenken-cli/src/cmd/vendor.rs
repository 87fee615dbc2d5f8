//! `tenken vendor`.

use crate::ctx::Ctx;

/// Arguments of `tenken vendor`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken vendor`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken vendor: not implemented yet")
}
