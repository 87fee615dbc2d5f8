//! `tenken key`: show, generate or import the signing key and certificate.

use std::path::PathBuf;

use anyhow::Context;
use tenken_core::sign::SignError;
use tenken_core::sign::keystore::{KeyInfo, KeyStore};

use crate::ctx::Ctx;

/// Arguments of `tenken key`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: KeyCommand,
}

#[derive(Debug, clap::Subcommand)]
enum KeyCommand {
    /// 署名用証明書を表示する (show the signing certificate)
    Show {
        /// JSON で出力 / print JSON
        #[arg(long)]
        json: bool,
    },
    /// 自己署名の鍵と証明書を作成する (create a self-signed key and certificate)
    Generate {
        /// 既存の鍵を置き換える / replace an existing key
        #[arg(long)]
        force: bool,
        /// 証明書に入れる名前（医療機関名）/ name in the certificate (clinic name)
        #[arg(long, default_value = "")]
        name: String,
    },
    /// 事業者の証明書（PKCS#12: .p12/.pfx）を取り込む (import a PKCS#12 certificate)
    Import {
        /// .p12 / .pfx ファイル
        file: PathBuf,
        /// パスワードを読む環境変数 / environment variable holding the password
        #[arg(long)]
        password_env: Option<String>,
    },
    /// 証明書を PEM で出力する（verify --trust 用）(print the certificate as PEM)
    Cert,
    /// 他のPC・事業者の証明書を信頼済みに登録する (trust another installation's or vendor's certificate)
    Trust {
        /// 証明書ファイル（PEM または DER）/ certificate file (PEM or DER)
        file: PathBuf,
    },
    /// 信頼済みの証明書の一覧 (list trusted certificates)
    Trusted {
        /// JSON で出力 / print JSON
        #[arg(long)]
        json: bool,
    },
}

/// The data directory: `--data-dir` or the OS default.
pub fn data_dir(ctx: &Ctx) -> anyhow::Result<PathBuf> {
    Ok(ctx.data_path())
}

fn print_info(ctx: &Ctx, info: &KeyInfo) {
    let algo = info.cert.algorithm.map(|a| a.label()).unwrap_or("?");
    outln!(
        "{}: {}",
        ctx.t("主体 (Subject)", "Subject"),
        info.cert.subject
    );
    outln!(
        "{}: {}",
        ctx.t("発行者 (Issuer)", "Issuer"),
        info.cert.issuer
    );
    outln!(
        "{}: {} – {}",
        ctx.t("有効期間", "Validity"),
        info.cert.not_before,
        info.cert.not_after
    );
    outln!(
        "{}: {}",
        ctx.t(
            "証明書フィンガープリント (SHA-256)",
            "Fingerprint (SHA-256)"
        ),
        info.cert.fingerprint_sha256
    );
    outln!("{}: {}", ctx.t("アルゴリズム", "Algorithm"), algo);
    outln!(
        "{}: {}",
        ctx.t("種類", "Source"),
        info.source.label(ctx.lang)
    );
    outln!(
        "{}: {}",
        ctx.t("秘密鍵の保管場所", "Private key kept in"),
        info.storage_label(ctx.lang)
    );
    if let Some(e) = &info.keystore_entry {
        outln!(
            "{}: {} / {}",
            ctx.t("キーストアの項目", "Key store entry"),
            e.service,
            e.account
        );
    }
    if info.storage_note.is_some() || info.file_reason.is_some() {
        let why = info.file_reason.map(|r| r.label(ctx.lang));
        let detail = info.storage_note.as_deref();
        let text = match (why, detail) {
            (Some(w), Some(d)) => format!("{w} ({d})"),
            (Some(w), None) => w.to_string(),
            (None, Some(d)) => d.to_string(),
            (None, None) => String::new(),
        };
        outln!(
            "{}: {text}",
            ctx.t(
                "OSのキーストアを使わなかった理由",
                "Why not the OS key store"
            )
        );
    }
}

fn read_password(ctx: &Ctx, env: Option<&str>) -> anyhow::Result<String> {
    if let Some(var) = env {
        return std::env::var(var).with_context(|| {
            format!(
                "{} {var}",
                ctx.t(
                    "環境変数が設定されていません:",
                    "environment variable not set:"
                )
            )
        });
    }
    rpassword::prompt_password(ctx.t("パスワード: ", "Password: ")).context(ctx.t(
        "パスワードを読めませんでした",
        "could not read the password",
    ))
}

/// Adds a plain Japanese/English explanation to errors about the OS key store.
fn explain(ctx: &Ctx, e: SignError) -> anyhow::Error {
    let hint = match &e {
        SignError::KeystoreUnavailable { .. } => Some(ctx.t(
            "OSのキーストア（パスワードなどを安全にしまう場所）を使えませんでした。ログインし直すかキーストアのロックを解除してから、もう一度お試しください。新しい鍵は作っていません",
            "the OS key store could not be used; log in again or unlock it and retry. No new key was created",
        )),
        _ => None,
    };
    match hint {
        Some(h) => anyhow::Error::new(e).context(h.to_string()),
        None => anyhow::Error::new(e),
    }
}

/// Runs `tenken key`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let store = KeyStore::open(&data_dir(ctx)?);
    match args.command {
        KeyCommand::Show { json } => {
            if !store.exists() {
                errln!(
                    "{}",
                    ctx.t(
                        "署名用の鍵はまだありません（`tenken key generate` で作成、または最初の署名時に自動作成）",
                        "no signing key yet (create one with `tenken key generate`, or it is created on first signing)"
                    )
                );
                return Ok(1);
            }
            let info = store.info().map_err(|e| explain(ctx, e))?;
            if json {
                crate::out::json(&serde_json::to_string_pretty(&info)?);
            } else {
                print_info(ctx, &info);
            }
            Ok(0)
        }
        KeyCommand::Generate { force, name } => {
            let info = store.generate(&name, force).map_err(|e| explain(ctx, e))?;
            outln!(
                "{}",
                ctx.t(
                    "新しい鍵と証明書を作成しました。",
                    "Created a new key and certificate."
                )
            );
            print_info(ctx, &info);
            Ok(0)
        }
        KeyCommand::Import { file, password_env } => {
            let bytes = std::fs::read(&file).with_context(|| format!("{}", file.display()))?;
            let password = read_password(ctx, password_env.as_deref())?;
            let info = match store.import_p12(&bytes, &password) {
                Ok(info) => info,
                Err(e @ SignError::KeystoreUnavailable { .. }) => {
                    return Err(explain(ctx, e).context(ctx.t(
                        "取り込めませんでした。鍵は変更していません",
                        "import failed; the key was not changed",
                    )));
                }
                Err(e) => {
                    return Err(anyhow::Error::new(e).context(ctx.t(
                        "取り込めませんでした（パスワード違いかファイルの破損）。鍵は変更していません",
                        "import failed (wrong password or damaged file); the key was not changed",
                    )));
                }
            };
            outln!(
                "{}",
                ctx.t("証明書を取り込みました。", "Imported the certificate.")
            );
            print_info(ctx, &info);
            Ok(0)
        }
        KeyCommand::Cert => {
            crate::out::data(&store.certificate_pem().map_err(|e| explain(ctx, e))?);
            Ok(0)
        }
        KeyCommand::Trust { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("{}", file.display()))?;
            let added = tenken_core::vendor::trust::add(&data_dir(ctx)?, &bytes)?;
            for c in added {
                outln!(
                    "{}: {} ({})",
                    ctx.t("信頼済みに登録しました", "now trusted"),
                    c.subject,
                    c.fingerprint_sha256
                );
            }
            Ok(0)
        }
        KeyCommand::Trusted { json } => {
            let list = tenken_core::vendor::trust::list(&data_dir(ctx)?);
            if json {
                crate::out::json(&serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                outln!(
                    "{}",
                    ctx.t("信頼済みの証明書はありません", "no trusted certificates")
                );
            } else {
                for c in list {
                    outln!(
                        "{}  {}  ({} – {})",
                        c.fingerprint_sha256,
                        c.subject,
                        c.not_before,
                        c.not_after
                    );
                }
            }
            Ok(0)
        }
    }
}
