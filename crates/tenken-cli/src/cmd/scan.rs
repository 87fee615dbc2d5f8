//! `tenken scan`: runs the local probes (or replays a recording), shows a progress bar on
//! stderr and a table of verdicts, and optionally writes the evidence bundle as JSON.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use tenken_core::evidence::Bundle;
use tenken_core::probe::checks;
use tenken_core::probe::runner::{self, EventSink, Mode, ProbeEvent, ScanOptions};
use tenken_core::sign::bundle::{detached_path, sign_bundle};
use tenken_core::sign::keystore::KeyStore;

use crate::ctx::Ctx;

/// Probes collecting at the same time by default (bounded so the scan never disturbs the
/// 電子カルテ on the same PC).
const DEFAULT_CONCURRENCY: usize = runner::DEFAULT_CONCURRENCY;

/// Arguments of `tenken scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 証跡バンドルをJSONで保存する / write the evidence bundle (pretty JSON) to FILE
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// 取得した生データを記録する / record every raw output into DIR
    #[arg(long, value_name = "DIR", conflicts_with = "replay")]
    pub record: Option<PathBuf>,
    /// 記録した生データ（DIR）または証跡バンドル（JSONファイル）から再評価する（何も実行しない）
    /// / evaluate a recording directory or an evidence bundle file, execute nothing
    #[arg(long, value_name = "DIR|FILE")]
    pub replay: Option<PathBuf>,
    /// この項目だけ点検する（複数可）。lan.ports などネットワーク確認の ID だけを指定すると、
    /// このPCの点検は行いません / only run this probe id (repeatable); network-check ids alone
    /// (e.g. lan.ports) skip the local probes
    #[arg(long = "probe", value_name = "ID")]
    pub probes: Vec<String>,
    /// 同時に実行する数 / probes running at the same time
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
    /// 進捗バーを表示しない / no progress bar
    #[arg(long)]
    pub quiet: bool,
    /// Network-check flags (off by default).
    #[command(flatten)]
    pub net: super::netargs::NetArgs,
}

/// Writes the bundle as pretty JSON to `path` and signs it with this installation's key (from
/// `--data-dir` / `TENKEN_DATA_DIR`, created on first use): the detached CMS signature over the
/// bundle's canonical JSON goes to `<path>.p7s`. `tenken import` and `tenken verify` read both.
/// Returns the signer's name, or the reason signing failed (the bundle is written anyway, and
/// `tenken import` will refuse it unless `--accept-unverified`).
pub fn write_bundle(
    ctx: &Ctx,
    path: &std::path::Path,
    bundle: &Bundle,
) -> anyhow::Result<Result<String, String>> {
    let text = serde_json::to_string_pretty(bundle)?;
    let p7s = detached_path(path);
    // Written next to the target and renamed into place, so a collecting folder (a file share
    // other PCs import from) never holds half a bundle; a stale signature from an earlier scan
    // is removed first so it never sits beside the new bundle.
    let _ = std::fs::remove_file(&p7s);
    write_atomic(path, text.as_bytes())?;
    let data = ctx.data_path();
    // The clinic's name for a key made now; a scan still signs when the store cannot be opened.
    let hint = ctx.session().map(|s| s.signer_name()).unwrap_or_default();
    let signed = KeyStore::open(&data).signer(&hint).and_then(|signer| {
        let name = tenken_core::sign::common_name(signer.certificate_der()).unwrap_or_default();
        sign_bundle(bundle, signer.as_ref()).map(|s| (s, name))
    });
    match signed {
        Ok((s, name)) => {
            write_atomic(&p7s, &s.signature)?;
            Ok(Ok(name))
        }
        Err(e) => Ok(Err(e.to_string())),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder renamed into place.
fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let res = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res.with_context(|| format!("{}", path.display()))
}

/// Runs `tenken scan`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let bundle = collect(ctx, &args)?;
    print_table(ctx, &bundle);
    if let Some(path) = &args.json {
        match write_bundle(ctx, path, &bundle)? {
            Ok(signer) => errln!(
                "{}: {} ({}: {signer}, {})",
                ctx.t("証跡バンドルを保存しました", "bundle written"),
                path.display(),
                ctx.t("署名", "signed by"),
                detached_path(path).display()
            ),
            Err(why) => errln!(
                "{}: {}\n{}: {why}",
                ctx.t(
                    "証跡バンドルを保存しました（署名なし）",
                    "bundle written UNSIGNED"
                ),
                path.display(),
                ctx.t(
                    "署名できませんでした（--data-dir に書き込める場所を指定してください）",
                    "could not sign (give a writable --data-dir)"
                )
            ),
        }
    }
    Ok(0)
}

/// Scans this PC with every local probe (no network), with a progress bar on stderr: what
/// `tenken report` does before writing the report.
pub fn local_bundle(ctx: &Ctx) -> anyhow::Result<Bundle> {
    collect(
        ctx,
        &Args {
            json: None,
            record: None,
            replay: None,
            probes: Vec::new(),
            concurrency: DEFAULT_CONCURRENCY,
            quiet: false,
            net: super::netargs::NetArgs::default(),
        },
    )
}

/// Runs the probes (and the consented network checks) as `args` say and returns the bundle.
fn collect(ctx: &Ctx, args: &Args) -> anyhow::Result<Bundle> {
    // Network-check ids name the consented checks (run by the flags below), not local probes.
    let (net_ids, local_ids): (Vec<String>, Vec<String>) = args
        .probes
        .iter()
        .cloned()
        .partition(|id| tenken_core::net::eval::NETWORK_IDS.contains(&id.as_str()));
    let probes = if local_ids.is_empty() && !net_ids.is_empty() {
        Vec::new()
    } else {
        checks::all()
    };
    let total = if local_ids.is_empty() {
        probes.len()
    } else {
        local_ids.len()
    };
    let mode = match (&args.record, &args.replay) {
        (_, Some(dir)) => Mode::Replay(dir.clone()),
        (Some(dir), None) => Mode::Record(dir.clone()),
        (None, None) => Mode::Live,
    };
    let opts = ScanOptions {
        mode,
        concurrency: args.concurrency.max(1),
        only: local_ids,
        // Slow, rarely changing facts (the apt listing) are reused while their files are unchanged.
        cache_dir: Some(ctx.data_path().join("cache")),
        ..ScanOptions::default()
    };
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(u64::try_from(total).unwrap_or(0));
        b.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b
    };
    let lang = ctx.lang;
    let sink: EventSink = {
        let bar = bar.clone();
        Arc::new(move |ev| match ev {
            ProbeEvent::Started { id } => bar.set_message(id),
            ProbeEvent::Finished { id, verdict } => {
                bar.inc(1);
                bar.set_message(format!("{id}: {}", verdict.label(lang)));
            }
        })
    };
    let mut bundle = runner::scan_blocking(probes, opts, Some(sink))
        .context(ctx.t("点検に失敗しました", "scan failed"))?;
    bar.finish_and_clear();

    // A bundle replays its network findings from the observations it keeps whole (a recording
    // DIR from its network.json); nothing is sent either way.
    let bundle_replay = args.replay.as_deref().filter(|p| p.is_file());
    let mut extra = if let Some(file) = bundle_replay {
        super::netargs::replay_bundle(ctx, file)?
    } else {
        super::netargs::collect_with(
            ctx,
            &args.net,
            args.record.as_deref(),
            args.replay.as_deref(),
        )?
    };
    if !extra.is_empty() {
        bundle.findings.append(&mut extra);
        bundle.findings.sort_by(|a, b| a.probe_id.cmp(&b.probe_id));
    }
    Ok(bundle)
}

fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    for _ in width(s)..w {
        out.push(' ');
    }
    out
}

fn print_table(ctx: &Ctx, bundle: &Bundle) {
    let lang = ctx.lang;
    let host = &bundle.host;
    outln!(
        "{}: {} ({} {}){}",
        ctx.t("点検対象", "Host"),
        host.hostname,
        host.os_name,
        host.os_version,
        if bundle.replayed {
            ctx.t(" [記録から再生]", " [replayed]")
        } else {
            ""
        }
    );
    let vw = bundle
        .findings
        .iter()
        .map(|f| width(f.verdict.label(lang)))
        .max()
        .unwrap_or(4)
        .max(4);
    let tw = bundle
        .findings
        .iter()
        .map(|f| width(f.title.get(lang)))
        .max()
        .unwrap_or(10)
        .min(48);
    for f in &bundle.findings {
        let mut summary = f.summary.get(lang).to_string();
        if let Some(r) = f.reason
            && !summary.contains(r.text().get(lang))
        {
            summary = format!("{summary} ({})", r.text().get(lang));
        }
        outln!(
            "{}  {}  {}",
            pad(f.verdict.label(lang), vw),
            pad(f.title.get(lang), tw),
            summary
        );
        let action = f.action.get(lang);
        if !action.is_empty() {
            outln!("{}  {}  → {}", pad("", vw), pad("", tw), action);
        }
    }
}
