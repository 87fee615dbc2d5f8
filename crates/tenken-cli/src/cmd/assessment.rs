//! `tenken assessment`.

use crate::ctx::Ctx;

/// Arguments of `tenken assessment`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken assessment`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken assessment: not implemented yet")
}
