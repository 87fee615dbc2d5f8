//! Known-exploited vulnerabilities, offline: CISA's KEV catalogue (CC0) as a dated copy built into
//! the binary (`data/kev/`), replaceable by a newer file without network ([`install`]), and
//! matched to the network devices of the clinic (what they announce, or what the clinic typed into
//! the ledger) through [`Catalogue::match_device`].
//!
//! Honesty rules: the catalogue has no version ranges, so a match never says the device is
//! vulnerable, only that its product has known-exploited vulnerabilities and the running firmware
//! must be checked against the vendor's fix; a catalogue older than [`STALE_DAYS`] days makes
//! every "nothing found" 未確認 ([`Catalogue::is_stale`]), never "no known issue".

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The catalogue built into this binary (see `data/kev/README.md`).
const BUILTIN_JSON: &str = include_str!("../../../data/kev/known_exploited_vulnerabilities.json");

/// Name aliases (Tenken's own data).
const ALIASES_TOML: &str = include_str!("../../../data/kev/aliases.toml");

/// A catalogue older than this many days (by CISA's release date) is stale.
pub const STALE_DAYS: i64 = 31;

/// File name of an installed newer catalogue inside the data directory.
pub const INSTALLED_FILE: &str = "kev.json";

/// Errors of the KEV data.
#[derive(Debug, thiserror::Error)]
pub enum KevError {
    /// The file is not the KEV catalogue.
    #[error(
        "{0} は CISA の既知の悪用された脆弱性カタログ(KEV, JSON)として読めません: {1} / {0} is not the CISA KEV catalogue (JSON): {1}"
    )]
    NotKev(String, String),
    /// The file is older than the catalogue already in use.
    #[error(
        "{path} は {new} 版で、使用中の {current} 版より古いため取り込みません / {path} ({new}) is older than the catalogue in use ({current}); not installed"
    )]
    Older {
        /// The file given.
        path: String,
        /// Its release date.
        new: String,
        /// The release date of the catalogue in use.
        current: String,
    },
    /// A file could not be read or written.
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
}

impl tenken_base::Kinded for KevError {
    fn kind(&self) -> tenken_base::ErrorKind {
        match self {
            KevError::NotKev(..) => tenken_base::ErrorKind::InvalidInput,
            KevError::Older { .. } => tenken_base::ErrorKind::Conflict,
            KevError::Io(_, e) if e.kind() == std::io::ErrorKind::NotFound => {
                tenken_base::ErrorKind::NotFound
            }
            KevError::Io(..) => tenken_base::ErrorKind::Storage,
        }
    }
}

/// One catalogue entry (the fields Tenken uses; the file keeps everything).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vuln {
    /// CVE id.
    #[serde(rename = "cveID")]
    pub cve_id: String,
    /// Vendor as CISA names it.
    #[serde(rename = "vendorProject")]
    pub vendor_project: String,
    /// Product as CISA names it.
    pub product: String,
    /// Short name of the vulnerability.
    #[serde(rename = "vulnerabilityName", default)]
    pub name: String,
    /// When CISA added it.
    #[serde(rename = "dateAdded")]
    pub date_added: NaiveDate,
    /// What CISA asks owners to do.
    #[serde(rename = "requiredAction", default)]
    pub required_action: String,
    /// `Known` when ransomware campaigns used it, else `Unknown`.
    #[serde(rename = "knownRansomwareCampaignUse", default)]
    pub ransomware: String,
}

impl Vuln {
    /// True when CISA records its use in ransomware campaigns.
    pub fn used_by_ransomware(&self) -> bool {
        self.ransomware.eq_ignore_ascii_case("known")
    }
}

#[derive(Deserialize)]
struct RawCatalogue {
    title: String,
    #[serde(rename = "catalogVersion")]
    catalog_version: String,
    #[serde(rename = "dateReleased")]
    date_released: DateTime<Utc>,
    count: usize,
    vulnerabilities: Vec<Vuln>,
}

/// Where the catalogue in use came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Origin {
    /// Built into this binary.
    Builtin,
    /// Installed with `tenken data update`.
    Installed {
        /// The installed file.
        path: PathBuf,
    },
}

/// A loaded catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// CISA's catalogue version (e.g. `2025.08.25`).
    pub version: String,
    /// When CISA released it.
    pub released: DateTime<Utc>,
    /// SHA-256 of the JSON file.
    pub sha256: String,
    /// Where it came from.
    pub origin: Origin,
    /// The entries.
    pub vulns: Vec<Vuln>,
}

/// One product of the catalogue a device matched, with its entries (newest first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductMatch {
    /// CISA's vendor name.
    pub vendor: String,
    /// CISA's product name.
    pub product: String,
    /// The entries, newest first.
    pub vulns: Vec<Vuln>,
}

impl ProductMatch {
    /// True when any entry was used by ransomware campaigns.
    pub fn ransomware(&self) -> bool {
        self.vulns.iter().any(Vuln::used_by_ransomware)
    }
}

#[derive(Debug, Deserialize)]
struct Alias {
    keywords: Vec<String>,
    vendors: Vec<String>,
    products: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Aliases {
    alias: Vec<Alias>,
}

fn aliases() -> &'static [Alias] {
    static A: OnceLock<Vec<Alias>> = OnceLock::new();
    A.get_or_init(|| {
        // Built-in data, checked by a test: an error here is a build defect, and an empty list
        // only weakens matching (never a wrong match).
        toml::from_str::<Aliases>(ALIASES_TOML)
            .map(|a| a.alias)
            .unwrap_or_default()
    })
}

/// Lower-case letters and digits only, words separated by one space.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// `needle` occurs in `hay` on word boundaries (both normalised).
fn has_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    // On word boundaries; or, for long names, also written together ("fortigate60e").
    format!(" {hay} ").contains(&format!(" {needle} "))
        || (needle.len() >= 6 && hay.replace(' ', "").contains(&needle.replace(' ', "")))
}

impl Catalogue {
    /// Parses a catalogue file's bytes (`name` only for messages).
    pub fn parse(bytes: &[u8], name: &str, origin: Origin) -> Result<Self, KevError> {
        let text = tenken_base::textfile::decode_utf8(Path::new(name), bytes)
            .map_err(|e| KevError::NotKev(name.to_string(), e.to_string()))?;
        let raw: RawCatalogue = serde_json::from_str(&text)
            .map_err(|e| KevError::NotKev(name.to_string(), e.to_string()))?;
        if !raw.title.contains("Known Exploited Vulnerabilities") {
            return Err(KevError::NotKev(
                name.to_string(),
                format!("title \"{}\"", raw.title),
            ));
        }
        if raw.count != raw.vulnerabilities.len() || raw.vulnerabilities.is_empty() {
            return Err(KevError::NotKev(
                name.to_string(),
                format!(
                    "count {} but {} entries",
                    raw.count,
                    raw.vulnerabilities.len()
                ),
            ));
        }
        if let Some(bad) = raw
            .vulnerabilities
            .iter()
            .find(|v| !v.cve_id.starts_with("CVE-") || v.vendor_project.trim().is_empty())
        {
            return Err(KevError::NotKev(
                name.to_string(),
                format!("entry \"{}\"", bad.cve_id),
            ));
        }
        Ok(Self {
            version: raw.catalog_version,
            released: raw.date_released,
            sha256: hex::encode(Sha256::digest(bytes)),
            origin,
            vulns: raw.vulnerabilities,
        })
    }

    /// The catalogue built into this binary.
    pub fn builtin() -> &'static Catalogue {
        static C: OnceLock<Catalogue> = OnceLock::new();
        C.get_or_init(|| {
            // Built-in data, parsed by a test on every build: cannot fail at run time unless the
            // binary itself is damaged, and then an empty catalogue is stale and never says
            // "nothing found" as a pass.
            Catalogue::parse(BUILTIN_JSON.as_bytes(), "builtin", Origin::Builtin).unwrap_or(
                Catalogue {
                    version: String::new(),
                    released: DateTime::<Utc>::MIN_UTC,
                    sha256: String::new(),
                    origin: Origin::Builtin,
                    vulns: Vec::new(),
                },
            )
        })
    }

    /// Release date as `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        self.released.format("%Y-%m-%d").to_string()
    }

    /// Age in whole days at `now`.
    pub fn age_days(&self, now: DateTime<Utc>) -> i64 {
        (now - self.released).num_days()
    }

    /// True when older than [`STALE_DAYS`] at `now`: "nothing found" is then 未確認.
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        self.age_days(now) > STALE_DAYS
    }

    /// The catalogue's products a device matches. `texts` are what is known of the device
    /// (manufacturer, model, firmware, admin-page title, Server header, SNMP sysDescr...).
    pub fn match_device(&self, texts: &[&str]) -> Vec<ProductMatch> {
        let hay = normalise(&texts.join(" "));
        if hay.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<ProductMatch> = Vec::new();
        let mut add = |v: &Vuln| match out
            .iter_mut()
            .find(|m| m.vendor == v.vendor_project && m.product == v.product)
        {
            Some(m) => {
                if !m.vulns.iter().any(|x| x.cve_id == v.cve_id) {
                    m.vulns.push(v.clone());
                }
            }
            None => out.push(ProductMatch {
                vendor: v.vendor_project.clone(),
                product: v.product.clone(),
                vulns: vec![v.clone()],
            }),
        };
        for a in aliases() {
            if !a.keywords.iter().any(|k| has_words(&hay, &normalise(k))) {
                continue;
            }
            for v in &self.vulns {
                let vendor_ok = a.vendors.iter().any(|x| x == &v.vendor_project);
                let prod = normalise(&v.product);
                if vendor_ok && a.products.iter().any(|p| has_words(&prod, &normalise(p))) {
                    add(v);
                }
            }
        }
        for v in &self.vulns {
            let vendor = normalise(&v.vendor_project);
            let product = normalise(&v.product);
            if product.len() >= 4 && has_words(&hay, &vendor) && has_words(&hay, &product) {
                add(v);
            }
        }
        for m in &mut out {
            m.vulns.sort_by_key(|v| std::cmp::Reverse(v.date_added));
        }
        out.sort_by(|a, b| (&a.vendor, &a.product).cmp(&(&b.vendor, &b.product)));
        out
    }
}

/// Path of the installed catalogue inside `data_dir`.
pub fn installed_path(data_dir: &Path) -> PathBuf {
    data_dir.join(INSTALLED_FILE)
}

/// The catalogue in use: the installed file when it is newer than the built-in copy, else the
/// built-in copy. A damaged installed file is reported (second value) and not used.
pub fn load(data_dir: &Path) -> (Catalogue, Option<KevError>) {
    let path = installed_path(data_dir);
    let builtin = Catalogue::builtin();
    match std::fs::read(&path) {
        Ok(bytes) => match Catalogue::parse(
            &bytes,
            &path.display().to_string(),
            Origin::Installed { path: path.clone() },
        ) {
            Ok(c) if c.released > builtin.released => (c, None),
            Ok(_) => (builtin.clone(), None),
            Err(e) => (builtin.clone(), Some(e)),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (builtin.clone(), None),
        Err(e) => (
            builtin.clone(),
            Some(KevError::Io(path.display().to_string(), e)),
        ),
    }
}

/// Installs a newer catalogue file into `data_dir` (validated whole first, written atomically;
/// nothing changes when it is refused). Returns the catalogue now in use.
pub fn install(data_dir: &Path, file: &Path) -> Result<Catalogue, KevError> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| KevError::Io(name.clone(), e))?;
    let dest = installed_path(data_dir);
    let new = Catalogue::parse(&bytes, &name, Origin::Installed { path: dest.clone() })?;
    let (current, _) = load(data_dir);
    if new.released < current.released {
        return Err(KevError::Older {
            path: name,
            new: new.date(),
            current: current.date(),
        });
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| KevError::Io(data_dir.display().to_string(), e))?;
    let tmp = data_dir.join(format!("{INSTALLED_FILE}.tmp"));
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &dest)
    };
    write().map_err(|e| KevError::Io(dest.display().to_string(), e))?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn builtin_catalogue_and_aliases_parse() {
        let c = Catalogue::builtin();
        assert_eq!(c.version, "2025.08.25");
        assert_eq!(c.vulns.len(), 1404);
        assert_eq!(c.date(), "2025-08-25");
        assert_eq!(
            c.sha256,
            "901b1f227941a3879a3e39fcb857bb6f7252bf9d71b63ef08d50a836d5ab1bd2"
        );
        let a: Aliases = toml::from_str(ALIASES_TOML).unwrap();
        assert!(a.alias.len() >= 15);
        // Every alias names products that exist in the catalogue (a typo would match nothing).
        for al in &a.alias {
            for p in &al.products {
                assert!(
                    c.vulns
                        .iter()
                        .any(|v| al.vendors.contains(&v.vendor_project)
                            && normalise(&v.product).contains(&normalise(p))),
                    "alias {:?}: no {:?} product {p}",
                    al.keywords,
                    al.vendors
                );
            }
        }
    }

    #[test]
    fn fortigate_matches_fortios_entries_with_ransomware_use() {
        let c = Catalogue::builtin();
        let m = c.match_device(&["Fortinet", "FortiGate-60E", "v6.0.4,build0231"]);
        let fortios: Vec<&ProductMatch> = m.iter().filter(|p| p.product == "FortiOS").collect();
        assert_eq!(fortios.len(), 1, "{m:#?}");
        let cves: Vec<&str> = fortios[0].vulns.iter().map(|v| v.cve_id.as_str()).collect();
        // The SSL-VPN path traversal behind the 2021 Handa hospital attack.
        assert!(cves.contains(&"CVE-2018-13379"), "{cves:?}");
        assert!(fortios[0].ransomware());
        // Newest first.
        assert!(
            fortios[0]
                .vulns
                .windows(2)
                .all(|w| w[0].date_added >= w[1].date_added)
        );
        // Other Fortinet products (FortiWeb, FortiManager) are not claimed for a FortiGate.
        assert!(m.iter().all(|p| p.vendor == "Fortinet"));
        assert!(!m.iter().any(|p| p.product == "FortiWeb"));
    }

    #[test]
    fn generic_rule_needs_vendor_and_whole_product() {
        let c = Catalogue::builtin();
        // A Yamaha RTX (common in Japanese clinics) has no entry in this catalogue.
        assert!(
            c.match_device(&["YAMAHA", "RTX1220", "Rev.15.04.24"])
                .is_empty()
        );
        // "Cisco" alone names no product.
        assert!(c.match_device(&["Cisco Systems, Inc."]).is_empty());
        // The vendor and the whole product name: matched without an alias.
        let m = c.match_device(&["MikroTik RouterOS 6.40"]);
        assert!(m.iter().any(|p| p.product == "RouterOS"));
        let m = c.match_device(&["Cisco Adaptive Security Appliance Software Version 9.8"]);
        assert!(
            m.iter()
                .any(|p| p.product.contains("Adaptive Security Appliance"))
        );
        assert!(c.match_device(&[]).is_empty());
        assert!(c.match_device(&["", "  "]).is_empty());
    }

    #[test]
    fn staleness_is_by_release_date() {
        let c = Catalogue::builtin();
        let fresh = c.released + chrono::Duration::days(STALE_DAYS);
        assert!(!c.is_stale(fresh));
        assert!(c.is_stale(fresh + chrono::Duration::days(1)));
    }

    fn newer_file(dir: &Path, date: &str) -> PathBuf {
        let mut v: serde_json::Value = serde_json::from_str(BUILTIN_JSON).unwrap();
        v["dateReleased"] = serde_json::json!(format!("{date}T00:00:00Z"));
        v["catalogVersion"] = serde_json::json!(date.replace('-', "."));
        let p = dir.join(format!("kev-{date}.json"));
        std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
        p
    }

    #[test]
    fn install_newer_refuse_older_and_damaged_change_nothing() {
        let data = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        assert_eq!(load(data.path()).0.origin, Origin::Builtin);
        let c = install(data.path(), &newer_file(src.path(), "2026-11-30")).unwrap();
        assert_eq!(c.date(), "2026-11-30");
        let (now, warn) = load(data.path());
        assert_eq!(now.date(), "2026-11-30");
        assert!(warn.is_none());
        assert!(matches!(now.origin, Origin::Installed { .. }));
        // Older than what is in use: refused, the installed file stays.
        let e = install(data.path(), &newer_file(src.path(), "2026-01-01")).unwrap_err();
        assert!(matches!(e, KevError::Older { .. }), "{e}");
        assert_eq!(load(data.path()).0.date(), "2026-11-30");
        // Not a catalogue: refused with the reason, nothing changed.
        let bad = src.path().join("bad.json");
        std::fs::write(&bad, br#"{"title":"x","catalogVersion":"1","dateReleased":"2027-01-01T00:00:00Z","count":0,"vulnerabilities":[]}"#).unwrap();
        let e = install(data.path(), &bad).unwrap_err();
        assert!(e.to_string().contains("KEV"), "{e}");
        assert_eq!(load(data.path()).0.date(), "2026-11-30");
        // A damaged installed file: the built-in copy is used and the damage reported.
        std::fs::write(installed_path(data.path()), b"{").unwrap();
        let (c, warn) = load(data.path());
        assert_eq!(c.origin, Origin::Builtin);
        assert!(warn.is_some());
    }
}
