//! `tenken compare`.

use crate::ctx::Ctx;

/// Arguments of `tenken compare`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken compare`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken compare: not implemented yet")
}
