//! `tenken ledger`.

use crate::ctx::Ctx;

/// Arguments of `tenken ledger`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `tenken ledger`.
pub fn run(_ctx: &Ctx, _args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("tenken ledger: not implemented yet")
}
