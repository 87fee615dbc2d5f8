//! `tenken checklist`.

use crate::ctx::Ctx;

/// Arguments of `tenken checklist`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken checklist`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken checklist: not implemented yet")
}
