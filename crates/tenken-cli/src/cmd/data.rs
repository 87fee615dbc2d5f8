//! `tenken data`: the offline data Tenken judges by — today the CISA catalogue of known exploited
//! vulnerabilities (KEV) that network devices are matched against. `show` says which copy is in
//! use and how old it is; `update FILE` installs a newer catalogue carried over from another PC
//! (no network needed; the file is checked whole and nothing changes when it is refused).

use std::path::PathBuf;

use tenken_core::kev::{self, Origin};

use crate::ctx::Ctx;

/// Arguments of `tenken data`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// 使用中のデータ(既知の悪用された脆弱性の一覧)の版と日付を表示する / show the data in use
    Show,
    /// 新しい KEV カタログ(CISA の JSON)を取り込む / install a newer KEV catalogue (CISA JSON)
    Update {
        /// known_exploited_vulnerabilities.json (https://www.cisa.gov/known-exploited-vulnerabilities-catalog)
        file: PathBuf,
    },
}

fn describe(ctx: &Ctx, c: &kev::Catalogue) -> String {
    let now = chrono::Utc::now();
    let origin = match &c.origin {
        Origin::Builtin => ctx.t("Tenken に同梱", "built into Tenken").to_string(),
        Origin::Installed { path } => format!(
            "{} ({})",
            ctx.t("取り込み済み", "installed"),
            path.display()
        ),
    };
    let age = c.age_days(now);
    let state = if c.is_stale(now) {
        ctx.t(
            &format!(
                "古くなっています({age}日前)。該当しない機器は「未確認」と表示されます。`tenken data update ファイル` で最新版を取り込んでください"
            ),
            &format!(
                "stale ({age} days old): devices matching nothing are shown as unverified; install a newer file with `tenken data update FILE`"
            ),
        )
        .to_string()
    } else {
        ctx.t(
            &format!("新しい({age}日前)"),
            &format!("current ({age} days old)"),
        )
        .to_string()
    };
    format!(
        "{}: {} {} ({} {}, {})\n  {}: {}\n  SHA-256: {}\n  {}",
        ctx.t(
            "既知の悪用された脆弱性の一覧",
            "Known exploited vulnerabilities"
        ),
        "CISA KEV",
        c.version,
        c.vulns.len(),
        ctx.t("件", "entries"),
        c.date(),
        ctx.t("入手元", "source"),
        origin,
        c.sha256,
        state
    )
}

/// Runs `tenken data`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let dir = ctx.data_path();
    match args.command {
        Sub::Show => {
            let (c, damaged) = kev::load(&dir);
            if let Some(e) = damaged {
                errln!("{e}");
            }
            outln!("{}", describe(ctx, &c));
        }
        Sub::Update { file } => {
            let c = kev::install(&dir, &file)?;
            outln!(
                "{}\n{}",
                ctx.t("取り込みました。", "Installed."),
                describe(ctx, &c)
            );
        }
    }
    Ok(0)
}
