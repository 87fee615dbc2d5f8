//! `tenken countersign`: a vendor countersigns the clinic's signed PDF report after a diagnosis
//! visit (an additional PAdES signature with this installation's key, e.g. an imported company
//! certificate).

use std::path::PathBuf;

use anyhow::Context;
use tenken_core::sign::keystore::KeyStore;
use tenken_core::sign::pades::{SignOptions, sign_pdf};

use crate::ctx::Ctx;

/// Arguments of `tenken countersign`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 署名する報告書 PDF / report PDF
    pdf: PathBuf,
    /// 出力先 / output PDF
    #[arg(long)]
    out: PathBuf,
    /// 署名の理由 / reason
    #[arg(long, default_value = "事業者による確認 (vendor countersignature)")]
    reason: String,
}

/// Runs `tenken countersign`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let pdf = std::fs::read(&args.pdf).with_context(|| args.pdf.display().to_string())?;
    let signer = KeyStore::open(&ctx.data_path()).load().context(ctx.t(
        "署名用の鍵がありません（tenken key import で事業者の証明書を取り込んでください）",
        "no signing key (import the company certificate with tenken key import)",
    ))?;
    let opts = SignOptions {
        reason: Some(args.reason),
        ..SignOptions::default()
    };
    let out = sign_pdf(&pdf, &signer, &opts)?;
    std::fs::write(&args.out, out).with_context(|| args.out.display().to_string())?;
    outln!(
        "{}: {}",
        ctx.t("副署名しました", "countersigned"),
        args.out.display()
    );
    Ok(0)
}
