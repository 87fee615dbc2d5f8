//! `tenken`: the command-line face of the Tenken engine, for vendors, servers without a
//! display and automation. Japanese by default, `--lang en` for English.

mod cmd;
mod ctx;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tenken_core::Lang;

/// 医療機関のサイバーセキュリティ点検ツール (Tenken: clinic cybersecurity self-check)
#[derive(Debug, Parser)]
#[command(name = "tenken", version, about, long_about = None)]
struct Cli {
    /// 表示言語 / output language (ja, en)
    #[arg(long, global = true, env = "TENKEN_LANG", default_value = "ja")]
    lang: Lang,
    /// データの保存場所 / data directory (default: the OS app-data directory)
    #[arg(long, global = true, env = "TENKEN_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// 詳細なログ / more log output (-v, -vv)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// チェックリストの一覧・表示・検証・取り込み (checklists: list, show, validate, import)
    Checklist(cmd::checklist::Args),
    /// 点検（アセスメント）の作成・回答・出力 (assessments: new, show, answer, export)
    Assessment(cmd::assessment::Args),
    /// このPCを自動点検する (scan this PC)
    Scan(cmd::scan::Args),
    /// 署名付き報告書（PDF）を作成する (write the signed PDF report)
    Report(cmd::report::Args),
    /// 報告書・証跡バンドルの署名を検証する (verify a report or bundle)
    Verify(cmd::verify::Args),
    /// 署名用の鍵・証明書 (signing key and certificate)
    Key(cmd::key::Args),
    /// 他のPCの証跡バンドルを取り込む (import evidence bundles from other PCs)
    Import(cmd::import::Args),
    /// 機器台帳 (device ledger)
    Ledger(cmd::ledger::Args),
    /// 事業者確認用シート (vendor sheets)
    Vendor(cmd::vendor::Args),
    /// 医療機関の情報（名称・所在地・責任者・システム・事業者） (clinic profile)
    Profile(cmd::profile::Args),
    /// 過去の点検の一覧 (assessment history)
    History(cmd::history::Args),
    /// 年度の比較 (compare two fiscal years)
    Compare(cmd::compare::Args),
    /// 事業者が報告書PDFに副署名する (vendor countersigns a report PDF)
    Countersign(cmd::countersign::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    ctx::init_logging(cli.verbose);
    let ctx = ctx::Ctx::new(cli.lang, cli.data_dir);
    let result = match cli.command {
        Command::Checklist(a) => cmd::checklist::run(&ctx, a),
        Command::Assessment(a) => cmd::assessment::run(&ctx, a),
        Command::Scan(a) => cmd::scan::run(&ctx, a),
        Command::Report(a) => cmd::report::run(&ctx, a),
        Command::Verify(a) => cmd::verify::run(&ctx, a),
        Command::Key(a) => cmd::key::run(&ctx, a),
        Command::Import(a) => cmd::import::run(&ctx, a),
        Command::Ledger(a) => cmd::ledger::run(&ctx, a),
        Command::Vendor(a) => cmd::vendor::run(&ctx, a),
        Command::Profile(a) => cmd::profile::run(&ctx, a),
        Command::History(a) => cmd::history::run(&ctx, a),
        Command::Compare(a) => cmd::compare::run(&ctx, a),
        Command::Countersign(a) => cmd::countersign::run(&ctx, a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("{}: {err:#}", ctx.t("エラー", "error"));
            ExitCode::from(2)
        }
    }
}
