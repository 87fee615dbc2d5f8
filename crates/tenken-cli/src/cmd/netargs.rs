//! Network-check flags of `tenken scan` (off by default): `--network`, `--lan`, `--never-touch`,
//! `--rate`. Nothing is sent to the network unless `--network` or `--lan` is given.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tenken_core::evidence::Finding;
use tenken_core::net::{self, NeverTouch, RunOptions, Scope};

use crate::ctx::Ctx;

/// Consent and scope for active network checks. Nothing is sent unless one of these is given.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NetArgs {
    /// ルーター(デフォルトゲートウェイ)を確認する / check the default gateway (reachability,
    /// management pages, Telnet, UPnP, double NAT)
    #[arg(long)]
    pub network: bool,
    /// 院内LANの機器のポートを確認する (CIDR /24まで, a.b.c.d-e, a,b,c; 複数可) / LAN targets
    /// to port-check (private addresses only)
    #[arg(long = "lan", value_name = "TARGET")]
    pub lan: Vec<String>,
    /// 絶対に通信しない機器 (ADDR|CIDR; 複数可、<data-dir>/never-touch.txt にも記載可) /
    /// never contact these (modalities)
    #[arg(long = "never-touch", value_name = "ADDR|CIDR")]
    pub never_touch: Vec<String>,
    /// 1秒あたりの最大接続数 / maximum new connections per second
    #[arg(long, default_value_t = net::scope::DEFAULT_RATE, value_name = "N")]
    pub rate: u32,
}

impl NetArgs {
    /// True when the user asked for any active network check.
    pub fn enabled(&self) -> bool {
        self.network || !self.lan.is_empty()
    }

    /// Validates the flags (and the never-touch file in `data_dir`) into a scope.
    pub fn scope(&self, data_dir: &Path) -> anyhow::Result<Scope> {
        let mut nt = NeverTouch::load(data_dir)?;
        for e in &self.never_touch {
            nt.add(e)?;
        }
        Ok(Scope::new(self.network, &self.lan, nt, self.rate)?)
    }
}

/// The data directory holding `never-touch.txt`.
fn data_dir(ctx: &Ctx) -> anyhow::Result<PathBuf> {
    match &ctx.data_dir {
        Some(d) => Ok(d.clone()),
        None => net::scope::default_data_dir().context("no data directory; use --data-dir"),
    }
}

/// Runs the consented network checks and returns their findings (none when not enabled).
/// Prints a readable summary to stderr (stdout stays free for `--json`).
pub fn collect(ctx: &Ctx, args: &NetArgs) -> anyhow::Result<Vec<Finding>> {
    collect_with(ctx, args, None, None)
}

/// Like [`collect`], additionally writing the observations to `record` (a directory), or,
/// with `replay`, computing the findings from observations recorded there instead of the network.
pub fn collect_with(
    ctx: &Ctx,
    args: &NetArgs,
    record: Option<&Path>,
    replay: Option<&Path>,
) -> anyhow::Result<Vec<Finding>> {
    if let Some(dir) = replay {
        return Ok(match net::replay(dir)? {
            Some(obs) => net::evaluate(&obs),
            None => Vec::new(),
        });
    }
    if !args.enabled() {
        return Ok(Vec::new());
    }
    let scope = args.scope(&data_dir(ctx)?)?;
    eprintln!(
        "{}",
        ctx.t(
            &format!(
                "ネットワーク確認中… (ルーター: {}, LAN機器: {}台, 接触禁止: {}台, 最大 {}接続/秒)",
                if scope.network { "あり" } else { "なし" },
                scope.lan.len(),
                scope.skipped_never_touch.len(),
                scope.rate
            ),
            &format!(
                "Checking the network… (gateway: {}, LAN hosts: {}, never-touch skipped: {}, max {} conn/s)",
                if scope.network { "yes" } else { "no" },
                scope.lan.len(),
                scope.skipped_never_touch.len(),
                scope.rate
            ),
        )
    );
    let (obs, findings) = net::run_blocking(&scope, &RunOptions::default())?;
    if let Some(dir) = record {
        net::record(dir, &obs)?;
    }
    eprint!("{}", net::render_text(&findings, ctx.lang));
    Ok(findings)
}
