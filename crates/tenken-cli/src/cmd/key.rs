//! `tenken key`.

use crate::ctx::Ctx;

/// Arguments of `tenken key`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken key`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken key: not implemented yet")
}
