//! `tenken report`.

use crate::ctx::Ctx;

/// Arguments of `tenken report`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken report`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken report: not implemented yet")
}
