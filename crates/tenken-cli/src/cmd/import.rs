//! `tenken import`: adds evidence bundles from other PCs to the current assessment after
//! verifying their signatures (this installation's own key or `tenken key trust`).

use std::path::PathBuf;

use tenken_core::Which;
use tenken_core::ledger::import::FolderImport;
use tenken_core::store::BundleTrust;

use crate::ctx::Ctx;

/// Arguments of `tenken import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 証跡ファイル（tenken scan --json で作成）またはそれを集めたフォルダ / bundle files written by
    /// `tenken scan --json`, or folders of them (newest per PC; bad files listed, never imported)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// 取り込む点検ID (assessment id; default: this fiscal year's clinic assessment)
    #[arg(long)]
    assessment: Option<i64>,
    /// 署名のない・信頼されていない証跡も取り込む（報告書に「署名未確認」と表示）/ accept unsigned or
    /// untrusted bundles, marked as unverified (tampered bundles are always refused)
    #[arg(long)]
    accept_unverified: bool,
}

/// Runs `tenken import`: into the given assessment, else this fiscal year's own assessment
/// (created when there is none yet, as the app does: bundles often arrive before answers).
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let mut session = ctx.session()?;
    let aid = session
        .assessment(args.assessment.map_or(Which::ThisYear, Which::Id))?
        .id;
    let mut failed = 0u8;
    for f in &args.files {
        if f.is_dir() {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message(f.display().to_string());
            let r = session.import_folder(aid, f, args.accept_unverified, &mut |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            });
            bar.finish_and_clear();
            let r = r?;
            print_folder(ctx, f, aid, &r);
            if !r.refused.is_empty() {
                failed = 1;
            }
            continue;
        }
        match session.import_bundle(aid, f, args.accept_unverified) {
            Ok(i) => {
                let trust = match i.trust {
                    BundleTrust::Verified => format!(
                        "{} ({})",
                        i.trust.label(ctx.lang),
                        i.signer.clone().unwrap_or_default()
                    ),
                    _ => i.trust.label(ctx.lang).to_string(),
                };
                outln!(
                    "{}: {} → {} {aid} [{trust}]{}",
                    ctx.t("取り込みました", "imported"),
                    i.host,
                    ctx.t("点検", "assessment"),
                    if i.replaced > 0 {
                        ctx.t("（前回の証跡を置き換え）", " (replaces the earlier bundle)")
                    } else {
                        ""
                    }
                );
            }
            Err(e) => {
                errln!("{}: {e}", ctx.t("取り込めません", "refused"));
                failed = 1;
            }
        }
    }
    Ok(failed)
}

fn print_folder(ctx: &Ctx, dir: &std::path::Path, aid: i64, r: &FolderImport) {
    outln!(
        "{}: {} → {} {aid}",
        ctx.t("フォルダ", "folder"),
        dir.display(),
        ctx.t("点検", "assessment")
    );
    for (f, i) in &r.imported {
        outln!(
            "  {}: {} ({}) [{}]",
            ctx.t("取り込みました", "imported"),
            i.host,
            f.display(),
            i.trust.label(ctx.lang)
        );
    }
    for (f, e) in &r.refused {
        outln!(
            "  {}: {} — {e}",
            ctx.t("取り込めません", "refused"),
            f.display()
        );
    }
    outln!(
        "  {}: {} / {}: {} / {}: {} / {}: {}",
        ctx.t("取り込み", "imported"),
        r.imported.len(),
        ctx.t("変更なし", "unchanged"),
        r.unchanged.len(),
        ctx.t("古いため対象外", "older, left out"),
        r.older.len(),
        ctx.t("取り込めない", "refused"),
        r.refused.len()
    );
}
