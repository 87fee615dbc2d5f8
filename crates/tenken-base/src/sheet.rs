//! Which sheet of a checklist an assessment answers ([`Sheet`]).

use serde::{Deserialize, Serialize};

/// A sheet of the MHLW checklist an assessment answers. Stored (database, JSON) as its id:
/// `clinic`, `pharmacy` or `vendor`, the ids the checklist data uses for its `[[sheets]]`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Sheet {
    /// 医療機関確認用: the clinic's own sheet.
    #[default]
    Clinic,
    /// 薬局確認用: a pharmacy's own sheet.
    Pharmacy,
    /// 事業者確認用: answered by (or for) a system vendor; one assessment per vendor and year.
    Vendor,
}

impl Sheet {
    /// Every sheet, in form order.
    pub const ALL: [Sheet; 3] = [Sheet::Clinic, Sheet::Pharmacy, Sheet::Vendor];

    /// The sheet id as the checklist data and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Sheet::Clinic => "clinic",
            Sheet::Pharmacy => "pharmacy",
            Sheet::Vendor => "vendor",
        }
    }

    /// The sheet with id `id`, if it is one Tenken knows.
    pub fn from_id(id: &str) -> Option<Sheet> {
        Sheet::ALL.into_iter().find(|s| s.as_str() == id)
    }

    /// True for the sheets a medical institution answers for itself (clinic, pharmacy); the
    /// vendor sheet is answered by someone else.
    pub fn is_own(self) -> bool {
        self != Sheet::Vendor
    }
}

impl std::fmt::Display for Sheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Sheet {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// A sheet id Tenken does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSheet(pub String);

impl std::fmt::Display for UnknownSheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "シート {} はありません (unknown sheet; use clinic, pharmacy or vendor)",
            self.0
        )
    }
}

impl std::error::Error for UnknownSheet {}

impl std::str::FromStr for Sheet {
    type Err = UnknownSheet;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sheet::from_id(s.trim()).ok_or_else(|| UnknownSheet(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ids_match_the_stored_and_checklist_spelling() {
        for (s, id) in [
            (Sheet::Clinic, "clinic"),
            (Sheet::Pharmacy, "pharmacy"),
            (Sheet::Vendor, "vendor"),
        ] {
            assert_eq!(s.as_str(), id);
            assert_eq!(id.parse::<Sheet>(), Ok(s));
            let json = format!("\"{id}\"");
            assert_eq!(serde_json::to_string(&s).unwrap(), json);
            assert_eq!(serde_json::from_str::<Sheet>(&json).unwrap(), s);
        }
        assert!("Clinic".parse::<Sheet>().is_err());
        assert!(Sheet::Clinic.is_own() && Sheet::Pharmacy.is_own() && !Sheet::Vendor.is_own());
    }
}
