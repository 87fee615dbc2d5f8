//! `tenken verify`: checks the signatures of a report PDF or an evidence bundle.
//! Exit code 0 = valid, 1 = invalid (unsigned, tampered, modified, untrusted), 2 = could not check.

use std::path::PathBuf;

use anyhow::Context;
use tenken_core::sign::bundle::find_detached;
use tenken_core::sign::explain;
use tenken_core::sign::verify::{
    AfterSigning, CertValidityAtSigning, FileKind, SignatureReport, Status, VerifyReport,
    display_pdf_date, load_trust_certs,
};

use crate::ctx::Ctx;

/// Arguments of `tenken verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 検証するファイル（PDF、署名付きバンドル .json）/ file to verify (PDF or bundle JSON)
    file: PathBuf,
    /// JSON で出力 / print JSON
    #[arg(long)]
    json: bool,
    /// 信頼する証明書（PEM/DER、複数可）/ trusted certificate(s) (PEM or DER, repeatable)
    #[arg(long)]
    trust: Vec<PathBuf>,
    /// バンドルの分離署名ファイル（既定: FILE.p7s / FILE.sig）/ detached signature of a bundle
    #[arg(long)]
    signature: Option<PathBuf>,
}

fn yes_no(
    ctx: &Ctx,
    ok: bool,
    yes: (&'static str, &'static str),
    no: (&'static str, &'static str),
) -> &'static str {
    if ok {
        ctx.t(yes.0, yes.1)
    } else {
        ctx.t(no.0, no.1)
    }
}

fn print_signature(ctx: &Ctx, i: usize, s: &SignatureReport) {
    outln!("{} {}: {}", ctx.t("署名", "Signature"), i + 1, s.field);
    let unknown = ctx.t("（不明）", "(unknown)");
    outln!(
        "  {}: {}",
        ctx.t("署名者", "Signer"),
        s.signer.as_deref().unwrap_or(unknown)
    );
    if let Some(subject) = &s.signer_subject {
        outln!("  {}: {}", ctx.t("証明書の主体", "Subject"), subject);
    }
    if let Some(t) = &s.signing_time {
        outln!(
            "  {}: {}",
            ctx.t("署名日時", "Signing time"),
            display_pdf_date(t)
        );
    }
    outln!(
        "  {}: {}",
        ctx.t(
            "証明書フィンガープリント (SHA-256)",
            "Certificate fingerprint (SHA-256)"
        ),
        s.fingerprint_sha256.as_deref().unwrap_or(unknown)
    );
    if let (Some(nb), Some(na)) = (&s.cert_not_before, &s.cert_not_after) {
        outln!(
            "  {}: {} – {}",
            ctx.t("証明書の有効期間", "Certificate validity"),
            display_rfc3339(nb),
            display_rfc3339(na)
        );
    }
    if let Some(at) = s.cert_at_signing {
        let text = match at {
            CertValidityAtSigning::Valid => ctx.t("有効期間内", "within the validity period"),
            CertValidityAtSigning::NotYetValid => ctx.t(
                "有効期間の開始前（署名日時か証明書を確認してください）",
                "NOT YET VALID (check the signing time or the certificate)",
            ),
            CertValidityAtSigning::Expired => ctx.t(
                "期限切れ（有効期間が終わった後の署名です）",
                "EXPIRED (signed after the certificate had expired)",
            ),
        };
        outln!(
            "  {}: {text}",
            ctx.t("署名時点の証明書", "Certificate at signing")
        );
    }
    if let Some(ok) = s.key_usage_ok {
        outln!(
            "  {}: {}",
            ctx.t("証明書の用途", "Key usage"),
            yes_no(
                ctx,
                ok,
                ("署名に使える証明書", "allows signatures"),
                ("署名に使えない証明書です", "does NOT allow signatures")
            )
        );
    }
    outln!(
        "  {}: {}",
        ctx.t("改ざん", "Tampering"),
        explain::tampering(s).get(ctx.lang)
    );
    if s.after_signing != AfterSigning::NotApplicable {
        let after = match s.after_signing {
            AfterSigning::Nothing => ctx.t("なし", "none"),
            AfterSigning::LaterSignatures => ctx.t(
                "後からの署名のみ（問題なし）",
                "later signatures only (fine)",
            ),
            AfterSigning::OtherModifications => {
                ctx.t("署名以外の変更あり", "OTHER CHANGES after signing")
            }
            AfterSigning::NotApplicable => "",
        };
        outln!("  {}: {}", ctx.t("その後の追記", "Appended later"), after);
    }
    let trust = match s.trusted {
        Some(true) => ctx.t("信頼する証明書で確認済み", "trusted"),
        Some(false) => ctx.t("信頼する証明書ではありません", "NOT trusted"),
        None => ctx.t(
            "未確認（--trust で証明書を指定してください）",
            "not checked (give --trust)",
        ),
    };
    outln!("  {}: {}", ctx.t("証明書の信頼", "Trust"), trust);
    for f in explain::findings(s) {
        outln!("  {}: {}", ctx.t("理由", "Reason"), f.get(ctx.lang));
    }
    for p in &s.problems {
        outln!("  {}: {}", ctx.t("問題", "Problem"), p);
    }
    outln!(
        "  {}: {}",
        ctx.t("判定", "Verdict"),
        yes_no(ctx, s.valid, ("有効", "valid"), ("無効", "INVALID"))
    );
}

/// An RFC 3339 time as `YYYY-MM-DD HH:MM:SS UTC`, or unchanged when it does not parse.
fn display_rfc3339(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M:%S UTC")
                .to_string()
        })
        .unwrap_or_else(|_| t.to_string())
}

fn print_report(ctx: &Ctx, file: &std::path::Path, r: &VerifyReport) {
    let kind = match r.kind {
        FileKind::Pdf => "PDF",
        FileKind::SignedBundle => ctx.t("署名付き証跡バンドル", "signed evidence bundle"),
        FileKind::DetachedBundle => ctx.t(
            "証跡バンドル（分離署名）",
            "evidence bundle (detached signature)",
        ),
        FileKind::Unknown => ctx.t("不明な形式", "unknown format"),
    };
    outln!("{}: {} ({kind})", ctx.t("ファイル", "File"), file.display());
    if let Some(h) = &r.bundle_sha256 {
        outln!("{}: {h}", ctx.t("バンドルの SHA-256", "Bundle SHA-256"));
    }
    for (i, s) in r.signatures.iter().enumerate() {
        print_signature(ctx, i, s);
    }
    if let Some(t) = explain::reason(r) {
        outln!("{}: {}", ctx.t("理由", "Reason"), t.get(ctx.lang));
    }
    if let Some(m) = &r.message {
        outln!("{}: {m}", ctx.t("技術情報（英語）", "Technical detail"));
    }
    let overall = match r.status {
        Status::Valid => ctx.t("有効", "VALID"),
        Status::Invalid => ctx.t("無効", "INVALID"),
        Status::CouldNotCheck => ctx.t("確認できませんでした", "COULD NOT CHECK"),
    };
    outln!(
        "{}: {overall} — {}",
        ctx.t("結果", "Result"),
        explain::summary(r).get(ctx.lang)
    );
}

/// Runs `tenken verify`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let bytes = std::fs::read(&args.file).with_context(|| args.file.display().to_string())?;
    let mut trusted = Vec::new();
    for t in &args.trust {
        let b = std::fs::read(t).with_context(|| t.display().to_string())?;
        trusted.extend(load_trust_certs(&b).with_context(|| t.display().to_string())?);
    }
    let sig_path = args.signature.clone().or_else(|| find_detached(&args.file));
    let detached = match &sig_path {
        Some(p) => Some(std::fs::read(p).with_context(|| p.display().to_string())?),
        None => None,
    };
    let report =
        tenken_core::workflow::verify_for_installation(&bytes, detached, trusted, &ctx.data_path());
    if args.json {
        crate::out::json(&serde_json::to_string_pretty(&report)?);
    } else {
        print_report(ctx, &args.file, &report);
    }
    Ok(report.status.exit_code())
}
