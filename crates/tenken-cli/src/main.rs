//! `tenken`: the command-line face of the Tenken engine, for vendors, servers without a
//! display and automation. Japanese by default, `--lang en` for English.

#[macro_use]
mod out;
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
    /// 画面以外（ファイル・パイプ）への出力の文字コード / encoding of output that is redirected or piped
    /// (auto: Windows のコードページに従う / the Windows console code page; utf-8; cp932)
    #[arg(
        long,
        global = true,
        env = "TENKEN_ENCODING",
        value_enum,
        default_value = "auto"
    )]
    encoding: out::Choice,
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
    /// 署名前の確認：残っていること（未回答・未確認・期限切れ…）と直し方 (what is still open before signing)
    Readiness(cmd::readiness::Args),
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
    /// 判定に使うデータ（既知の悪用された脆弱性の一覧）の確認と更新 (offline data: show, update)
    Data(cmd::data::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    out::init(cli.encoding);
    ctx::init_logging(cli.verbose);
    let ctx = ctx::Ctx::new(cli.lang, cli.data_dir);
    let result = match cli.command {
        Command::Checklist(a) => cmd::checklist::run(&ctx, a),
        Command::Assessment(a) => cmd::assessment::run(&ctx, a),
        Command::Scan(a) => cmd::scan::run(&ctx, a),
        Command::Report(a) => cmd::report::run(&ctx, a),
        Command::Readiness(a) => cmd::readiness::run(&ctx, a),
        Command::Verify(a) => cmd::verify::run(&ctx, a),
        Command::Key(a) => cmd::key::run(&ctx, a),
        Command::Import(a) => cmd::import::run(&ctx, a),
        Command::Ledger(a) => cmd::ledger::run(&ctx, a),
        Command::Vendor(a) => cmd::vendor::run(&ctx, a),
        Command::Profile(a) => cmd::profile::run(&ctx, a),
        Command::History(a) => cmd::history::run(&ctx, a),
        Command::Compare(a) => cmd::compare::run(&ctx, a),
        Command::Countersign(a) => cmd::countersign::run(&ctx, a),
        Command::Data(a) => cmd::data::run(&ctx, a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            errln!("{}: {}", ctx.t("エラー", "error"), describe(&ctx, &err));
            ExitCode::from(2)
        }
    }
}

/// Help, version and argument errors from clap, in the encoding of the stream they go to
/// (`TENKEN_ENCODING` only: the arguments did not parse). On a terminal or in UTF-8 clap prints
/// them itself, with colours.
fn clap_exit(e: clap::Error) -> ExitCode {
    let choice = std::env::var("TENKEN_ENCODING")
        .ok()
        .and_then(|v| <out::Choice as clap::ValueEnum>::from_str(&v, true).ok())
        .unwrap_or_default();
    out::init(choice);
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    if out::is_utf8(e.use_stderr()) {
        let _ = e.print();
        return ExitCode::from(code);
    }
    let text = e.render().to_string();
    if e.use_stderr() {
        errln!("{}", text.trim_end());
    } else {
        outln!("{}", text.trim_end());
    }
    ExitCode::from(code)
}

/// The error and its causes in plain words: an OS error is said in the user's language without
/// its code (「ファイルが見つかりません」, never "No such file or directory (os error 2)").
fn describe(ctx: &ctx::Ctx, err: &anyhow::Error) -> String {
    let causes: Vec<&(dyn std::error::Error + 'static)> = err.chain().collect();
    let mut parts: Vec<String> = Vec::new();
    for (i, cause) in causes.iter().enumerate() {
        let mut text = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_words(ctx, io).to_string(),
            None => cause.to_string(),
        };
        // Messages often end with their source's text ("{path}: {source}"); the source is said
        // next, in plain words, so it is cut here.
        if let Some(next) = causes.get(i + 1) {
            let next = next.to_string();
            if !next.is_empty() && text.ends_with(&next) {
                text.truncate(text.len() - next.len());
                text = text.trim_end_matches([':', ' ', '(']).to_string();
            }
        }
        // Engine messages carry both languages: only the person's is said.
        let text = tenken_core::i18n::in_lang(&text, ctx.lang);
        if text.is_empty() || parts.last().is_some_and(|p| p.contains(&text)) {
            continue;
        }
        parts.push(text);
    }
    parts.join(": ")
}

fn io_words(ctx: &ctx::Ctx, e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => ctx.t(
            "ファイルが見つかりません。場所と名前を確認してください",
            "file not found: check the path and name",
        ),
        K::PermissionDenied => ctx.t("読み書きする権限がありません", "permission denied"),
        K::AlreadyExists => ctx.t(
            "同じ名前のファイルがすでにあります",
            "the file already exists",
        ),
        K::IsADirectory => ctx.t(
            "フォルダが指定されています。ファイルを指定してください",
            "that is a folder: give a file",
        ),
        K::InvalidData => ctx.t(
            "ファイルの中身を読み取れません（形式または文字コードが違います）",
            "the file's contents cannot be read (wrong format or encoding)",
        ),
        K::StorageFull => ctx.t("ディスクの空きがありません", "the disk is full"),
        K::ReadOnlyFilesystem => {
            ctx.t("書き込めない場所です（読み取り専用）", "read-only location")
        }
        _ => ctx.t(
            "ファイルの読み書きに失敗しました",
            "could not read or write the file",
        ),
    }
}
