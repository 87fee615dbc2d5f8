//! A clinic profile file (TOML) as a patch: it changes only the fields it names, keeps the
//! others, and is refused whole, with the reason in plain Japanese, when it names a key Tenken
//! does not know (a typo such as `adress` must never clear the address).

use crate::{ClinicProfile, Vendor};

/// The keys a profile file may have.
pub const PROFILE_KEYS: &[&str] = &[
    "name",
    "address",
    "administrator",
    "security_officer",
    "systems",
    "vendors",
];

/// The keys of one `[[vendors]]` entry.
pub const VENDOR_KEYS: &[&str] = &["name", "contact", "systems"];

/// Why a profile file was refused (nothing was changed).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProfileFileError {
    /// Not TOML at all.
    #[error(
        "医療機関の情報ファイルとして読めません（{line} 行目付近の書き方が違います）。何も変更していません (not a valid TOML file near line {line})"
    )]
    Syntax {
        /// 1-based line of the problem.
        line: usize,
    },
    /// A key Tenken does not know.
    #[error(
        "知らない項目「{key}」があります（書き間違いではありませんか。使える項目: {allowed}）。何も変更していません (unknown key `{key}`; nothing was changed)"
    )]
    UnknownKey {
        /// The key as written (with `vendors[n].` in front for a vendor entry).
        key: String,
        /// The keys allowed there.
        allowed: String,
    },
    /// A key with the wrong kind of value.
    #[error(
        "項目「{key}」の書き方が違います（{expected}）。何も変更していません (wrong value for `{key}`)"
    )]
    WrongValue {
        /// The key.
        key: String,
        /// What it must be, in words.
        expected: &'static str,
    },
}

impl tenken_base::Kinded for ProfileFileError {
    fn kind(&self) -> tenken_base::ErrorKind {
        tenken_base::ErrorKind::InvalidInput
    }
}

/// The fields a profile file sets; `None` = not in the file, kept as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfilePatch {
    /// 医療機関名.
    pub name: Option<String>,
    /// 所在地.
    pub address: Option<String>,
    /// 管理者.
    pub administrator: Option<String>,
    /// 医療情報システム安全管理責任者.
    pub security_officer: Option<String>,
    /// Systems in use.
    pub systems: Option<Vec<String>>,
    /// Vendors.
    pub vendors: Option<Vec<Vendor>>,
}

fn field_text(t: &toml::Table, key: &str, at: &str) -> Result<Option<String>, ProfileFileError> {
    match t.get(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(ProfileFileError::WrongValue {
            key: format!("{at}{key}"),
            expected: "\"...\" で囲んだ文字",
        }),
    }
}

fn list(t: &toml::Table, key: &str, at: &str) -> Result<Option<Vec<String>>, ProfileFileError> {
    let wrong = || ProfileFileError::WrongValue {
        key: format!("{at}{key}"),
        expected: "[\"電子カルテ\", \"レセコン\"] のような文字の並び",
    };
    match t.get(key) {
        None => Ok(None),
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_string()).ok_or_else(wrong))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(wrong()),
    }
}

fn unknown_keys(t: &toml::Table, allowed: &[&str], at: &str) -> Result<(), ProfileFileError> {
    match t.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(ProfileFileError::UnknownKey {
            key: format!("{at}{k}"),
            allowed: allowed.join(", "),
        }),
        None => Ok(()),
    }
}

impl ProfilePatch {
    /// Parses a profile file's text (TOML), refusing unknown keys and wrong values.
    pub fn parse(text: &str) -> Result<Self, ProfileFileError> {
        let t: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let offset = e.span().map_or(0, |s| s.start);
            ProfileFileError::Syntax {
                line: text[..offset.min(text.len())].matches('\n').count() + 1,
            }
        })?;
        unknown_keys(&t, PROFILE_KEYS, "")?;
        let vendors = match t.get("vendors") {
            None => None,
            Some(toml::Value::Array(a)) => {
                let mut out = Vec::new();
                for (i, v) in a.iter().enumerate() {
                    let at = format!("vendors[{}].", i + 1);
                    let Some(vt) = v.as_table() else {
                        return Err(ProfileFileError::WrongValue {
                            key: at.trim_end_matches('.').to_string(),
                            expected: "[[vendors]] の表",
                        });
                    };
                    unknown_keys(vt, VENDOR_KEYS, &at)?;
                    let name = field_text(vt, "name", &at)?.unwrap_or_default();
                    if name.is_empty() {
                        return Err(ProfileFileError::WrongValue {
                            key: format!("{at}name"),
                            expected: "事業者名は必須です",
                        });
                    }
                    out.push(Vendor {
                        name,
                        contact: field_text(vt, "contact", &at)?.unwrap_or_default(),
                        systems: list(vt, "systems", &at)?.unwrap_or_default(),
                    });
                }
                Some(out)
            }
            Some(_) => {
                return Err(ProfileFileError::WrongValue {
                    key: "vendors".into(),
                    expected: "[[vendors]] の表の並び",
                });
            }
        };
        Ok(ProfilePatch {
            name: field_text(&t, "name", "")?,
            address: field_text(&t, "address", "")?,
            administrator: field_text(&t, "administrator", "")?,
            security_officer: field_text(&t, "security_officer", "")?,
            systems: list(&t, "systems", "")?,
            vendors,
        })
    }

    /// `profile` with the fields this patch names replaced; the others kept.
    pub fn applied_to(&self, profile: &ClinicProfile) -> ClinicProfile {
        let mut p = profile.clone();
        if let Some(v) = &self.name {
            p.name = v.clone();
        }
        if let Some(v) = &self.address {
            p.address = v.clone();
        }
        if let Some(v) = &self.administrator {
            p.administrator = v.clone();
        }
        if let Some(v) = &self.security_officer {
            p.security_officer = v.clone();
        }
        if let Some(v) = &self.systems {
            p.systems = v.clone();
        }
        if let Some(v) = &self.vendors {
            p.vendors = v.clone();
        }
        p
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn stored() -> ClinicProfile {
        ClinicProfile {
            name: "さくら内科".into(),
            address: "東京都新宿区1-2-3".into(),
            vendors: vec![Vendor {
                name: "ABCメディカル".into(),
                contact: "03-1234-5678".into(),
                systems: vec!["電子カルテ".into()],
            }],
            ..ClinicProfile::default()
        }
    }

    /// The case seen: a typo (`adress`) and no vendors exited 0 and cleared the address and the
    /// vendor.
    #[test]
    fn a_typo_is_refused_whole_and_names_the_key() {
        let e = ProfilePatch::parse("name = \"さくら内科\"\nadress = \"大阪\"\n").unwrap_err();
        assert!(
            matches!(&e, ProfileFileError::UnknownKey { key, .. } if key == "adress"),
            "{e}"
        );
        assert!(e.to_string().contains("何も変更していません"));
        let e = ProfilePatch::parse("[[vendors]]\nname = \"X\"\nphone = \"03\"\n").unwrap_err();
        assert!(e.to_string().contains("vendors[1].phone"), "{e}");
    }

    #[test]
    fn fields_the_file_does_not_mention_are_kept() {
        let p = ProfilePatch::parse("administrator = \"山田 太郎\"\n").unwrap();
        let after = p.applied_to(&stored());
        assert_eq!(after.administrator, "山田 太郎");
        assert_eq!(after.address, "東京都新宿区1-2-3");
        assert_eq!(after.vendors, stored().vendors);
        assert_eq!(after.name, "さくら内科");
    }

    #[test]
    fn wrong_values_and_bad_syntax_are_refused_in_plain_words() {
        assert!(matches!(
            ProfilePatch::parse("systems = \"電子カルテ\"\n").unwrap_err(),
            ProfileFileError::WrongValue { .. }
        ));
        let e = ProfilePatch::parse("name = \"さくら\nx").unwrap_err();
        assert!(matches!(e, ProfileFileError::Syntax { .. }), "{e}");
        assert!(!e.to_string().contains("expected"), "{e}");
        let e = ProfilePatch::parse("[[vendors]]\ncontact = \"03\"\n").unwrap_err();
        assert!(e.to_string().contains("事業者名は必須"), "{e}");
    }
}
