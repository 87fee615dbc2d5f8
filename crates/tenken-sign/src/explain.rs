//! A verification result in plain words, in Japanese and English: the one wording the CLI
//! (`tenken verify`) and the app's verification screen both show, so the same file gets the
//! same explanation wherever it is checked.

use tenken_base::Text;

use crate::outcome::{AfterSigning, CertValidityAtSigning, SignatureReport, Status, VerifyReport};

/// One sentence for the whole file.
pub fn summary(r: &VerifyReport) -> Text {
    match r.status {
        Status::Valid => Text::new(
            "有効です。署名の後に変更されていません。",
            "Valid. Nothing was changed after signing.",
        ),
        Status::Invalid if r.signatures.is_empty() => Text::new(
            "無効です。このファイルには署名がありません。",
            "Not valid: this file has no signature.",
        ),
        Status::Invalid if r.signatures.iter().any(|s| !intact(s) || changed_after(s)) => {
            Text::new(
                "無効です。署名の後に変更されたか、署名が正しくありません。",
                "Not valid: changed after signing, or the signature is not correct.",
            )
        }
        Status::Invalid => Text::new(
            "無効です。内容は署名のときのままですが、署名した証明書に問題があります（理由を見てください）。",
            "Not valid: the content is as signed, but the signing certificate is not acceptable (see the reasons).",
        ),
        Status::CouldNotCheck => Text::new(
            "未確認です。ファイルを読み取れず、署名を確かめられませんでした。",
            "Not checked: the file could not be read well enough to check the signature.",
        ),
    }
}

/// The file-level reason in plain words, when the problem is not about one signature (the
/// engine's technical message stays available for experts): not a PDF or bundle, an unreadable
/// PDF, a PDF without a signature, a damaged signature file.
pub fn reason(r: &VerifyReport) -> Option<Text> {
    let m = r.message.as_deref()?;
    let t = if r.kind == crate::outcome::FileKind::Unknown {
        Text::new(
            "報告書の PDF でも証跡バンドル（.json）でもありません。",
            "This is neither a report PDF nor an evidence bundle (.json).",
        )
    } else if m.contains("has no signature") {
        Text::new(
            "このファイルには署名がありません。誰がいつ作ったかを確かめられません。",
            "This file has no signature, so who made it and when cannot be confirmed.",
        )
    } else if m.contains("cannot read the PDF") {
        Text::new(
            "PDF として読み取れません（壊れているか、途中までしかありません）。",
            "The PDF cannot be read (damaged or cut short).",
        )
    } else if m.contains("unreadable signature") {
        Text::new(
            "署名ファイル（.p7s）が壊れていて読み取れません。内容が書き換えられたかどうかは確かめられません。元の署名ファイルを受け取り直してください。",
            "The signature file (.p7s) is damaged and cannot be read; whether the content was changed cannot be checked. Get the original signature file again.",
        )
    } else {
        Text::new(
            "署名を確かめられませんでした（詳しくは技術情報を見てください）。",
            "The signature could not be checked (see the technical details).",
        )
    };
    Some(t)
}

/// Whether the signed content, the signature and its certificate reference all match.
pub fn intact(s: &SignatureReport) -> bool {
    s.digest_ok && s.signature_ok && s.signing_certificate_ok
}

fn changed_after(s: &SignatureReport) -> bool {
    s.after_signing == AfterSigning::OtherModifications || !s.covers_revision
}

/// The 改ざん (tampering) line: never "none" for a signature whose file was changed after
/// signing, and never a bare "none" beside an invalid verdict.
pub fn tampering(s: &SignatureReport) -> Text {
    if !intact(s) {
        Text::new(
            "あり（署名が内容と一致しません）",
            "YES (the signature does not match the content)",
        )
    } else if changed_after(s) {
        Text::new(
            "あり（署名の後に変更が加えられています）",
            "YES (changes were added after signing)",
        )
    } else if s.valid {
        Text::new("なし", "none")
    } else {
        Text::new(
            "見つかりません（無効の理由は下の「理由」です）",
            "none found (the reasons below make it invalid)",
        )
    }
}

/// What is wrong with one signature, in plain words (empty when it is valid).
pub fn findings(s: &SignatureReport) -> Vec<Text> {
    let mut out = Vec::new();
    if s.signature_ok && !s.digest_ok {
        out.push(Text::new(
            "署名の後に、ファイルの内容が書き換えられています。",
            "The content was changed after it was signed.",
        ));
    } else if !s.digest_ok || !s.signature_ok {
        out.push(Text::new(
            "署名が内容と一致しません（書き換えられたか、署名が壊れています）。",
            "The signature does not match the content (changed, or the signature is damaged).",
        ));
    }
    if s.digest_ok && s.signature_ok && !s.signing_certificate_ok {
        out.push(Text::new(
            "署名に記録された証明書と、添付の証明書が一致しません。",
            "The certificate named in the signature is not the one attached.",
        ));
    }
    if !s.covers_revision {
        out.push(Text::new(
            "署名がファイルの一部しか守っていません。",
            "The signature covers only part of the file.",
        ));
    }
    if s.after_signing == AfterSigning::OtherModifications {
        out.push(Text::new(
            "署名の後に、署名以外の変更が書き足されています。",
            "Changes other than signatures were added after signing.",
        ));
    }
    match s.cert_at_signing {
        Some(CertValidityAtSigning::Expired) => out.push(Text::new(
            "署名した時点で、証明書の有効期限が切れていました。",
            "The certificate had expired when it signed.",
        )),
        Some(CertValidityAtSigning::NotYetValid) => out.push(Text::new(
            "署名した時点では、証明書の有効期間がまだ始まっていませんでした（署名日時か証明書を確認してください）。",
            "The certificate was not yet valid when it signed (check the signing time or the certificate).",
        )),
        Some(CertValidityAtSigning::Valid) | None => {}
    }
    if s.key_usage_ok == Some(false) {
        out.push(Text::new(
            "この証明書は署名に使ってよい証明書ではありません（用途が署名以外です）。",
            "This certificate may not be used for signatures (its key usage is for something else).",
        ));
    }
    if s.trusted == Some(false) {
        out.push(Text::new(
            "署名した証明書は、信頼する証明書として登録されていません。",
            "The signer's certificate is not one you trust.",
        ));
    }
    if !s.valid && out.is_empty() {
        out.push(Text::new(
            "署名を確かめられませんでした（詳しくは技術情報を見てください）。",
            "The signature could not be confirmed (see the technical details).",
        ));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::outcome::FileKind;

    fn sig() -> SignatureReport {
        SignatureReport {
            field: "Signature1".into(),
            signer: Some("さくら内科".into()),
            signer_subject: None,
            signer_issuer: None,
            signing_time: None,
            fingerprint_sha256: None,
            algorithm: None,
            digest_ok: true,
            signature_ok: true,
            signing_certificate_ok: true,
            covers_revision: true,
            after_signing: AfterSigning::Nothing,
            trusted: None,
            cert_not_before: None,
            cert_not_after: None,
            cert_at_signing: None,
            key_usage_ok: None,
            valid: true,
            problems: Vec::new(),
        }
    }

    fn report(status: Status, s: SignatureReport) -> VerifyReport {
        VerifyReport {
            kind: FileKind::Pdf,
            status,
            signatures: vec![s],
            message: None,
            bundle_sha256: None,
        }
    }

    #[test]
    fn an_appended_overlay_is_never_invalid_with_no_tampering() {
        let s = SignatureReport {
            after_signing: AfterSigning::OtherModifications,
            valid: false,
            ..sig()
        };
        assert_ne!(tampering(&s).ja, "なし");
        assert!(tampering(&s).ja.starts_with("あり"));
        assert!(
            summary(&report(Status::Invalid, s.clone()))
                .ja
                .contains("変更")
        );
        assert!(findings(&s).iter().any(|t| t.ja.contains("署名以外の変更")));
    }

    #[test]
    fn expired_and_wrong_usage_certificates_are_explained() {
        let s = SignatureReport {
            cert_at_signing: Some(CertValidityAtSigning::Expired),
            key_usage_ok: Some(false),
            valid: false,
            ..sig()
        };
        let f = findings(&s);
        assert!(
            f.iter().any(|t| t.ja.contains("有効期限が切れていました")),
            "{f:?}"
        );
        assert!(
            f.iter()
                .any(|t| t.ja.contains("署名に使ってよい証明書ではありません")),
            "{f:?}"
        );
        // Content intact but invalid: not "なし" on its own, and the summary says why.
        assert!(!tampering(&s).ja.starts_with("なし"));
        assert!(
            summary(&report(Status::Invalid, s))
                .ja
                .contains("証明書に問題")
        );
    }

    #[test]
    fn file_level_reasons_are_plain_words() {
        let mut r = report(Status::CouldNotCheck, sig());
        r.signatures.clear();
        r.message = Some("unreadable signature: ASN.1: unexpected tag".into());
        let t = reason(&r).unwrap();
        assert!(t.ja.contains("署名ファイル（.p7s）が壊れて"), "{}", t.ja);
        assert!(
            !t.ja.contains("書き換えられています"),
            "a damaged .p7s is not tampering"
        );
        r.message = Some("the PDF has no signature".into());
        assert!(reason(&r).unwrap().ja.contains("署名がありません"));
        r.message = None;
        assert!(reason(&r).is_none());
    }

    #[test]
    fn a_valid_signature_has_no_findings_and_no_tampering() {
        let s = sig();
        assert!(findings(&s).is_empty());
        assert_eq!(tampering(&s).ja, "なし");
        assert!(summary(&report(Status::Valid, s)).ja.starts_with("有効"));
    }
}
