//! Network-check flags of `tenken scan` (off by default): `--network`, `--lan`, `--never-touch`,
//! `--rate`. Nothing is sent to the network unless `--network` or `--lan` is given.
//!
//! `tenken scan` calls [`collect`] (or [`collect_with`] to honour `--record`/`--replay`).
// Until `scan.rs` (another branch) calls into this module, the binary does not use it.

use std::path::{Path, PathBuf};

use anyhow::Context;

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
    Ok(ctx.data_path())
}

/// Runs the consented network checks and returns their findings (none when not enabled),
/// printing a readable summary to stderr (stdout stays free for `--json`). With `record`, the
/// observations are also written to that directory; with `replay`, the findings are computed from
/// observations recorded there instead of the network.
/// The network findings of a bundle re-judged from the observations it keeps whole (none when
/// the bundle holds no network check); a damaged record is an error, never a guess.
pub fn replay_bundle(ctx: &Ctx, file: &Path) -> anyhow::Result<Vec<Finding>> {
    // The local replay has read this file already; an error here is only a race with a writer.
    let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
    let bundle = tenken_core::evidence::Bundle::from_json(&bytes)
        .with_context(|| file.display().to_string())?;
    let Some(obs) = net::observations_in(&bundle)? else {
        return Ok(Vec::new());
    };
    let (kev, damaged) = tenken_core::kev::load(&data_dir(ctx)?);
    if let Some(e) = damaged {
        errln!("{e}");
    }
    Ok(net::evaluate_with(&obs, &kev))
}

pub fn collect_with(
    ctx: &Ctx,
    args: &NetArgs,
    record: Option<&Path>,
    replay: Option<&Path>,
) -> anyhow::Result<Vec<Finding>> {
    let (kev, damaged) = tenken_core::kev::load(&data_dir(ctx)?);
    if let Some(e) = damaged {
        errln!("{e}");
    }
    if let Some(dir) = replay {
        return Ok(match net::replay(dir)? {
            Some(obs) => net::evaluate_with(&obs, &kev),
            None => Vec::new(),
        });
    }
    if !args.enabled() {
        return Ok(Vec::new());
    }
    let scope = args.scope(&data_dir(ctx)?)?;
    errln!(
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
    let opts = RunOptions {
        kev: Some(std::sync::Arc::new(kev)),
        ..RunOptions::default()
    };
    let (obs, findings) = net::run_blocking(&scope, &opts)?;
    if let Some(dir) = record {
        net::record(dir, &obs)?;
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        net: NetArgs,
    }

    fn parse(args: &[&str]) -> NetArgs {
        Cli::try_parse_from(std::iter::once("scan").chain(args.iter().copied()))
            .unwrap()
            .net
    }

    fn ctx(dir: &Path) -> Ctx {
        Ctx::new(tenken_core::Lang::Ja, Some(dir.to_path_buf()))
    }

    #[test]
    fn off_by_default_sends_nothing() {
        let a = parse(&[]);
        assert!(!a.enabled());
        assert_eq!(
            a.rate, 300,
            "the default documented in docs/network-checks.md"
        );
        let dir = tempfile::tempdir().unwrap();
        assert!(
            collect_with(&ctx(dir.path()), &a, None, None)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn public_lan_target_is_refused_with_a_clear_message() {
        let a = parse(&["--lan", "8.8.8.0/24"]);
        assert!(a.enabled());
        let dir = tempfile::tempdir().unwrap();
        let err = collect_with(&ctx(dir.path()), &a, None, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("プライベートアドレスではない"), "{err}");
        assert!(err.contains("8.8.8.1"), "{err}");
    }

    #[test]
    fn never_touch_file_and_flag_are_both_honoured() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("never-touch.txt"), "# CT\n192.168.77.24\n").unwrap();
        let a = parse(&[
            "--lan",
            "192.168.77.20-25",
            "--never-touch",
            "192.168.77.21",
            "--rate",
            "10",
        ]);
        let s = a.scope(dir.path()).unwrap();
        assert_eq!(s.rate, 10);
        assert_eq!(s.lan.len(), 4);
        let skipped: Vec<String> = s
            .skipped_never_touch
            .iter()
            .map(|i| i.to_string())
            .collect();
        assert_eq!(skipped, vec!["192.168.77.21", "192.168.77.24"]);
    }

    #[test]
    fn replay_uses_recorded_observations_without_network() {
        let dir = tempfile::tempdir().unwrap();
        let scope = Scope::new(false, &[], NeverTouch::default(), 50).unwrap();
        let obs = net::Observations {
            scope,
            started_at: chrono::Utc::now(),
            ended_at: chrono::Utc::now(),
            gateway: None,
            discovery: None,
            lan: Vec::new(),
            devices: Vec::new(),
        };
        net::record(dir.path(), &obs).unwrap();
        let f = collect_with(
            &ctx(dir.path()),
            &parse(&["--network"]),
            None,
            Some(dir.path()),
        )
        .unwrap();
        assert_eq!(f, net::evaluate(&obs));
        assert_eq!(f.len(), 4);
    }
}
