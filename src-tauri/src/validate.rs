//! Validation of everything the UI sends. The UI validates too, but Rust is the authority.

use chrono::NaiveDate;

use crate::dto::{AnswerDto, CommandError, ProfileDto, SettingsDto};

const MAX_SHORT: usize = 200;
const MAX_NOTE: usize = 4000;
const MAX_LIST: usize = 100;

fn short(field_ja: &str, field_en: &str, s: &str) -> Result<(), CommandError> {
    if s.chars().count() > MAX_SHORT || s.chars().any(|c| c.is_control()) {
        return Err(CommandError::invalid(
            format!("{field_ja}が長すぎるか、使えない文字を含みます"),
            format!("{field_en} is too long or contains control characters"),
        ));
    }
    Ok(())
}

/// Parses a `YYYY-MM-DD` date.
pub fn date(field_ja: &str, field_en: &str, s: &str) -> Result<NaiveDate, CommandError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        CommandError::invalid(
            format!("{field_ja}の日付が正しくありません（例: 2026-04-01）"),
            format!("{field_en} is not a valid date (e.g. 2026-04-01)"),
        )
    })
}

/// Validates a checklist or item id (ASCII letters, digits, `-`, `_`, `.`).
pub fn id(s: &str) -> Result<(), CommandError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(CommandError::invalid(
            "識別子が正しくありません",
            "Invalid identifier",
        ))
    }
}

/// Validates the clinic profile: name required, sane lengths, vendors named once each and
/// looking after systems that are in the clinic's list.
pub fn profile(p: &ProfileDto) -> Result<(), CommandError> {
    if p.name.trim().is_empty() {
        return Err(CommandError::invalid(
            "医療機関名を入力してください",
            "Enter the clinic's name",
        ));
    }
    short("医療機関名", "Clinic name", &p.name)?;
    short("所在地", "Address", &p.address)?;
    short("管理者", "Administrator", &p.administrator)?;
    short("安全管理責任者", "Security officer", &p.security_officer)?;
    short("点検者", "Assessor", &p.assessor)?;
    if p.systems.len() > MAX_LIST || p.vendors.len() > MAX_LIST {
        return Err(CommandError::invalid(
            "項目が多すぎます",
            "Too many entries",
        ));
    }
    let mut systems: Vec<String> = Vec::with_capacity(p.systems.len());
    for s in &p.systems {
        short("システム名", "System name", s)?;
        let key = s.trim().to_lowercase();
        if key.is_empty() {
            return Err(CommandError::invalid(
                "システム名が空の行があります",
                "A system name is empty",
            ));
        }
        if systems.contains(&key) {
            return Err(CommandError::invalid(
                format!("システム「{}」が2回入っています", s.trim()),
                format!("The system \"{}\" is listed twice", s.trim()),
            ));
        }
        systems.push(key);
    }
    let mut names: Vec<String> = Vec::with_capacity(p.vendors.len());
    for (i, v) in p.vendors.iter().enumerate() {
        let n = i + 1;
        if v.name.trim().is_empty() {
            return Err(CommandError::invalid(
                format!("{n}番目の事業者の名前を入力してください"),
                format!("Enter the name of vendor {n}"),
            ));
        }
        short("事業者名", "Vendor name", &v.name)?;
        short("連絡先", "Contact", &v.contact)?;
        let key = v.name.trim().to_lowercase();
        if names.contains(&key) {
            return Err(CommandError::invalid(
                format!("事業者「{}」が2回入っています", v.name.trim()),
                format!("The vendor \"{}\" is listed twice", v.name.trim()),
            ));
        }
        names.push(key);
        if v.systems.len() > MAX_LIST {
            return Err(CommandError::invalid(
                "項目が多すぎます",
                "Too many entries",
            ));
        }
        for s in &v.systems {
            short("システム名", "System name", s)?;
            if !systems.contains(&s.trim().to_lowercase()) {
                return Err(CommandError::invalid(
                    format!(
                        "事業者「{}」の担当システム「{}」が、使っているシステムの一覧にありません",
                        v.name.trim(),
                        s.trim()
                    ),
                    format!(
                        "Vendor \"{}\" looks after \"{}\", which is not in the list of systems in use",
                        v.name.trim(),
                        s.trim()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Validates an answer: ids, dates, いいえ needs 目標日 (via the engine's rule), lengths.
pub fn answer(a: &AnswerDto) -> Result<(), CommandError> {
    id(&a.item_id)?;
    let checked_on = a
        .checked_on
        .as_deref()
        .map(|d| date("確認日", "Check date", d))
        .transpose()?;
    let target_date = a
        .target_date
        .as_deref()
        .map(|d| date("目標日", "Target date", d))
        .transpose()?;
    let core = tenken_core::assessment::Answer {
        item_id: a.item_id.clone(),
        scope: a.scope,
        value: a.value,
        checked_on,
        target_date,
        note: a.note.clone(),
        responsible: a.responsible.clone(),
        attachments: Vec::new(),
        updated_at: None,
    };
    if core.validate().is_err() {
        return Err(CommandError::invalid(
            "「いいえ」の場合は目標日を入れてください",
            "A No answer needs a target date",
        ));
    }
    short("担当者", "Responsible", &a.responsible)?;
    if a.note.chars().count() > MAX_NOTE {
        return Err(CommandError::invalid(
            "メモが長すぎます",
            "Note is too long",
        ));
    }
    for f in &a.attachments {
        short("ファイル名", "File name", &f.name)?;
        if f.sha256.len() != 64 || !f.sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(CommandError::invalid(
                "添付ファイルの記録が正しくありません",
                "Invalid attachment record",
            ));
        }
    }
    Ok(())
}

/// Validates settings.
pub fn settings(s: &SettingsDto) -> Result<(), CommandError> {
    if s.lang != "ja" && s.lang != "en" {
        return Err(CommandError::invalid(
            "言語は ja か en です",
            "Language must be ja or en",
        ));
    }
    if !(100..=200).contains(&s.text_scale) {
        return Err(CommandError::invalid(
            "文字の大きさは100%〜200%です",
            "Text size must be 100-200%",
        ));
    }
    if s.never_touch.len() > MAX_LIST {
        return Err(CommandError::invalid(
            "項目が多すぎます",
            "Too many entries",
        ));
    }
    for h in &s.never_touch {
        short("除外先", "Never-touch entry", h)?;
        if h.trim().is_empty() || h.contains(char::is_whitespace) {
            return Err(CommandError::invalid(
                "除外先に空白は使えません",
                "Never-touch entries cannot contain spaces",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dto::{AnswerValueDto, ScopeDto, VendorDto};

    fn ans(value: AnswerValueDto, target: Option<&str>) -> AnswerDto {
        AnswerDto {
            item_id: "2-6".into(),
            scope: ScopeDto::Server,
            value,
            checked_on: Some("2026-11-23".into()),
            target_date: target.map(Into::into),
            note: String::new(),
            responsible: String::new(),
            attachments: Vec::new(),
            updated_at: None,
        }
    }

    #[test]
    fn no_needs_target_date() {
        assert_eq!(
            answer(&ans(AnswerValueDto::No, None)).unwrap_err().code,
            "invalid_input"
        );
        answer(&ans(AnswerValueDto::No, Some("2027-03-31"))).unwrap();
        answer(&ans(AnswerValueDto::Yes, None)).unwrap();
    }

    #[test]
    fn rejects_bad_dates_ids_and_hashes() {
        assert!(answer(&ans(AnswerValueDto::No, Some("2027-02-30"))).is_err());
        let mut a = ans(AnswerValueDto::Yes, None);
        a.item_id = "../etc".into();
        assert!(answer(&a).is_err());
        let mut a = ans(AnswerValueDto::Yes, None);
        a.attachments.push(crate::dto::AttachmentDto {
            name: "x.pdf".into(),
            size: 1,
            sha256: "zz".into(),
            added_at: None,
        });
        assert!(answer(&a).is_err());
    }

    #[test]
    fn profile_needs_name_and_settings_are_bounded() {
        assert!(profile(&ProfileDto::default()).is_err());
        profile(&ProfileDto {
            name: "さくら内科".into(),
            ..Default::default()
        })
        .unwrap();
        let mut s = SettingsDto::default();
        settings(&s).unwrap();
        s.lang = "fr".into();
        assert!(settings(&s).is_err());
        s.lang = "en".into();
        s.text_scale = 500;
        assert!(settings(&s).is_err());
    }

    fn clinic_with(vendors: Vec<VendorDto>) -> ProfileDto {
        ProfileDto {
            name: "さくら内科".into(),
            systems: vec!["電子カルテ".into(), "レセコン".into()],
            vendors,
            ..Default::default()
        }
    }

    fn vendor(name: &str, systems: &[&str]) -> VendorDto {
        VendorDto {
            name: name.into(),
            contact: "担当 田中 03-1234-5678".into(),
            systems: systems.iter().map(|s| (*s).to_string()).collect(),
        }
    }

    #[test]
    fn vendors_need_a_name_once_and_known_systems() {
        profile(&clinic_with(vec![
            vendor("A社", &["電子カルテ"]),
            vendor("B社", &["レセコン", "電子カルテ"]),
        ]))
        .unwrap();
        let e = profile(&clinic_with(vec![vendor("  ", &[])])).unwrap_err();
        assert_eq!(e.code, "invalid_input");
        assert!(e.ja.contains("1番目の事業者"), "{}", e.ja);
        let e = profile(&clinic_with(vec![vendor("A社", &[]), vendor(" a社 ", &[])])).unwrap_err();
        assert!(e.ja.contains("2回"), "{}", e.ja);
        let e = profile(&clinic_with(vec![vendor("A社", &["PACS・画像"])])).unwrap_err();
        assert!(e.ja.contains("PACS・画像"), "{}", e.ja);
        let long = "あ".repeat(201);
        assert!(profile(&clinic_with(vec![vendor(&long, &[])])).is_err());
        let mut p = clinic_with(vec![]);
        p.systems.push("電子カルテ".into());
        assert!(profile(&p).unwrap_err().ja.contains("2回"));
        let mut p = clinic_with(vec![]);
        p.systems.push(" ".into());
        assert!(profile(&p).is_err());
    }
}
