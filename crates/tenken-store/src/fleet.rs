//! Store methods for many PCs, vendors and years (issue 8): verified bundle imports, host roles,
//! manually added devices and vendor sheets. Schema: migration 2.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Result, Store, StoreError};

/// How an imported bundle's signature was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BundleTrust {
    /// Not checked (bundles stored before verification existed, or the local scan).
    #[default]
    Unchecked,
    /// The signature is intact and the signer is this installation or a trusted certificate.
    Verified,
    /// Accepted without a valid trusted signature (`--accept-unverified`).
    Unverified,
}

impl BundleTrust {
    /// The database string.
    pub fn as_db(self) -> &'static str {
        match self {
            BundleTrust::Unchecked => "unchecked",
            BundleTrust::Verified => "verified",
            BundleTrust::Unverified => "unverified",
        }
    }

    /// Parses the database string (unknown values read as `Unchecked`).
    pub fn from_db(s: &str) -> Self {
        match s {
            "verified" => BundleTrust::Verified,
            "unverified" => BundleTrust::Unverified,
            _ => BundleTrust::Unchecked,
        }
    }

    /// Label for people.
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        match self {
            BundleTrust::Unchecked => lang.pick("署名未確認", "signature not checked"),
            BundleTrust::Verified => lang.pick("署名確認済み", "signature verified"),
            BundleTrust::Unverified => lang.pick("署名なしで取込", "imported unverified"),
        }
    }
}

/// A device that cannot run Tenken (router, VPN, UTM, Wi-Fi AP, LTE router, NAS, modality,
/// printer...), entered by hand, with the fields of the seed documents' 外部接続ネットワーク装置一覧.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Device {
    /// Row id (0 before it is stored).
    #[serde(default)]
    pub id: i64,
    /// Kind: router, vpn, utm, modality, printer, other.
    pub kind: String,
    /// Name (unique).
    pub name: String,
    /// Model.
    #[serde(default)]
    pub model: String,
    /// Firmware version.
    #[serde(default)]
    pub firmware: String,
    /// Where it stands.
    #[serde(default)]
    pub location: String,
    /// `clinic` or `vendor:<name>`.
    #[serde(default)]
    pub managed_by: String,
    /// Connection partner (e.g. the vendor's remote-maintenance centre).
    #[serde(default)]
    pub partner: String,
    /// Connection method (e.g. IPsec VPN).
    #[serde(default)]
    pub method: String,
    /// Open ports, free text (許可されているポート).
    #[serde(default)]
    pub ports: String,
    /// Manufacturer (メーカー), used with the model to look the device up in the KEV catalogue.
    #[serde(default)]
    pub manufacturer: String,
    /// IP address on the clinic LAN.
    #[serde(default)]
    pub ip: String,
    /// What it is used for (使用用途).
    #[serde(default)]
    pub purpose: String,
    /// The partner's global IP address (接続先IPグローバルアドレス).
    #[serde(default)]
    pub partner_ip: String,
    /// 保守契約 / firmware-update agreement: `yes`, `no`, or empty when not known.
    #[serde(default)]
    pub maintenance: String,
    /// Date of the last firmware update (`YYYY-MM-DD`), empty when not known.
    #[serde(default)]
    pub firmware_updated: String,
}

/// State of a vendor's 事業者確認用 sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorStatus {
    /// Sent to the vendor, no answers yet.
    Requested,
    /// Answers entered (by the clinic from paper, or imported unsigned).
    Answered,
    /// Answers signed by the vendor and verified.
    Signed,
}

impl VendorStatus {
    fn as_db(self) -> &'static str {
        match self {
            VendorStatus::Requested => "requested",
            VendorStatus::Answered => "answered",
            VendorStatus::Signed => "signed",
        }
    }

    fn from_db(s: &str) -> Result<Self> {
        Ok(match s {
            "requested" => VendorStatus::Requested,
            "answered" => VendorStatus::Answered,
            "signed" => VendorStatus::Signed,
            o => return Err(StoreError::Corrupt(format!("vendor status '{o}'"))),
        })
    }

    /// Label for people.
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        match self {
            VendorStatus::Requested => lang.pick("依頼済み", "requested"),
            VendorStatus::Answered => lang.pick("回答あり", "answered"),
            VendorStatus::Signed => lang.pick("署名付き回答", "signed"),
        }
    }
}

/// A vendor sheet record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorSheet {
    /// Row id.
    pub id: i64,
    /// Vendor name (as in the clinic profile).
    pub vendor: String,
    /// Fiscal year.
    pub fiscal_year: u16,
    /// The assessment (sheet `vendor`) holding the answers, once created.
    pub assessment_id: Option<i64>,
    /// Status.
    pub status: VendorStatus,
    /// Signer's name when signed.
    pub signer: Option<String>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Raw columns of a `vendor_sheets` row.
type SheetRow = (
    i64,
    String,
    u16,
    Option<i64>,
    String,
    Option<String>,
    DateTime<Utc>,
);

impl Store {
    /// Records an imported bundle with the outcome of its signature check; when `supersede`,
    /// earlier bundles of the same host in the assessment are flagged superseded (kept as
    /// history). Returns the new row id.
    #[allow(clippy::too_many_arguments)]
    pub fn add_bundle_checked(
        &mut self,
        assessment_id: Option<i64>,
        host: &str,
        bundle_json: &str,
        signature: Option<&[u8]>,
        supersede: bool,
        trust: BundleTrust,
        signer: Option<&str>,
    ) -> Result<i64> {
        let sha = hex::encode(Sha256::digest(bundle_json.as_bytes()));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if supersede {
            tx.execute(
                "UPDATE bundles SET superseded = 1 WHERE host = ?1 AND assessment_id IS ?2",
                params![host, assessment_id],
            )?;
        }
        tx.execute(
            "INSERT INTO bundles (assessment_id, host, bundle_json, sha256, signature, imported_at,
             verification, signer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                assessment_id,
                host,
                bundle_json,
                sha,
                signature,
                Utc::now(),
                trust.as_db(),
                signer
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Sets the role of a host (e.g. 電子カルテサーバ); roles are kept across years.
    pub fn set_host_role(&mut self, host: &str, role: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO host_roles (host, role, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(host) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at",
            params![host, role, Utc::now()],
        )?;
        Ok(())
    }

    /// Role of a host, if one was set.
    pub fn host_role(&self, host: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT role FROM host_roles WHERE host = ?1", [host], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Adds a manual device, or replaces the one with the same name. Returns its id.
    pub fn upsert_device(&mut self, d: &Device) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO devices (kind, name, model, firmware, location, managed_by, partner,
             method, ports, updated_at, manufacturer, ip, purpose, partner_ip, maintenance,
             firmware_updated)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, model = excluded.model,
             firmware = excluded.firmware, location = excluded.location,
             managed_by = excluded.managed_by, partner = excluded.partner,
             method = excluded.method, ports = excluded.ports, updated_at = excluded.updated_at,
             manufacturer = excluded.manufacturer, ip = excluded.ip, purpose = excluded.purpose,
             partner_ip = excluded.partner_ip, maintenance = excluded.maintenance,
             firmware_updated = excluded.firmware_updated",
            params![
                d.kind,
                d.name,
                d.model,
                d.firmware,
                d.location,
                d.managed_by,
                d.partner,
                d.method,
                d.ports,
                Utc::now(),
                d.manufacturer,
                d.ip,
                d.purpose,
                d.partner_ip,
                d.maintenance,
                d.firmware_updated
            ],
        )?;
        Ok(self
            .conn
            .query_row("SELECT id FROM devices WHERE name = ?1", [&d.name], |r| {
                r.get(0)
            })?)
    }

    /// Removes a manual device by name; returns whether one existed.
    pub fn remove_device(&mut self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM devices WHERE name = ?1", [name])?
            > 0)
    }

    /// All manual devices, by name.
    pub fn devices(&self) -> Result<Vec<Device>> {
        let mut st = self.conn.prepare(
            "SELECT id, kind, name, model, firmware, location, managed_by, partner, method, ports,
             manufacturer, ip, purpose, partner_ip, maintenance, firmware_updated
             FROM devices ORDER BY name",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(Device {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    name: r.get(2)?,
                    model: r.get(3)?,
                    firmware: r.get(4)?,
                    location: r.get(5)?,
                    managed_by: r.get(6)?,
                    partner: r.get(7)?,
                    method: r.get(8)?,
                    ports: r.get(9)?,
                    manufacturer: r.get(10)?,
                    ip: r.get(11)?,
                    purpose: r.get(12)?,
                    partner_ip: r.get(13)?,
                    maintenance: r.get(14)?,
                    firmware_updated: r.get(15)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Creates or updates the vendor sheet record of `vendor` in `fiscal_year`.
    pub fn set_vendor_sheet(
        &mut self,
        vendor: &str,
        fiscal_year: u16,
        assessment_id: Option<i64>,
        status: VendorStatus,
        signer: Option<&str>,
        signature: Option<&[u8]>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO vendor_sheets (vendor, fiscal_year, assessment_id, status, signer,
             signature, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(vendor, fiscal_year) DO UPDATE SET
             assessment_id = COALESCE(excluded.assessment_id, vendor_sheets.assessment_id),
             status = excluded.status, signer = excluded.signer,
             signature = excluded.signature, updated_at = excluded.updated_at",
            params![
                vendor,
                fiscal_year,
                assessment_id,
                status.as_db(),
                signer,
                signature,
                Utc::now()
            ],
        )?;
        Ok(())
    }

    /// Vendor sheet records, optionally of one fiscal year, by vendor.
    pub fn vendor_sheets(&self, fiscal_year: Option<u16>) -> Result<Vec<VendorSheet>> {
        let mut st = self.conn.prepare(
            "SELECT id, vendor, fiscal_year, assessment_id, status, signer, updated_at
             FROM vendor_sheets WHERE ?1 IS NULL OR fiscal_year = ?1 ORDER BY vendor, fiscal_year",
        )?;
        let rows: Vec<SheetRow> = st
            .query_map([fiscal_year], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|r| {
                Ok(VendorSheet {
                    id: r.0,
                    vendor: r.1,
                    fiscal_year: r.2,
                    assessment_id: r.3,
                    status: VendorStatus::from_db(&r.4)?,
                    signer: r.5,
                    updated_at: r.6,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::{DB_FILE_NAME, migrations};

    #[test]
    fn version_1_database_upgrades_and_keeps_bundles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE_NAME);
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(migrations::MIGRATIONS[0]).unwrap();
            conn.execute(
                "INSERT INTO bundles (host, bundle_json, sha256, imported_at)
                 VALUES ('OLD', '{}', 'x', '2024-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), 3);
        let b = store.bundles(None).unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].host, "OLD");
        assert_eq!(b[0].verification, BundleTrust::Unchecked);
    }

    /// A version-2 database (devices without the ledger fields) upgrades and keeps its devices;
    /// the new fields start empty (not known) and can then be filled.
    #[test]
    fn version_2_devices_upgrade_with_empty_new_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE_NAME);
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(migrations::MIGRATIONS[0]).unwrap();
            conn.execute_batch(migrations::MIGRATIONS[1]).unwrap();
            conn.execute(
                "INSERT INTO devices (kind, name, model, firmware, managed_by, updated_at)
                 VALUES ('vpn', 'VPN-1', 'FortiGate-60E', '6.0.4', 'vendor:ABC', '2025-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 2).unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), 3);
        let d = store.devices().unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].model, "FortiGate-60E");
        assert_eq!(d[0].manufacturer, "");
        assert_eq!(d[0].maintenance, "");
        let mut dev = d[0].clone();
        dev.manufacturer = "Fortinet".into();
        dev.ip = "192.168.1.254".into();
        dev.partner_ip = "203.0.113.10".into();
        dev.maintenance = "yes".into();
        dev.firmware_updated = "2026-10-01".into();
        store.upsert_device(&dev).unwrap();
        let d = store.devices().unwrap();
        assert_eq!(d[0].manufacturer, "Fortinet");
        assert_eq!(d[0].partner_ip, "203.0.113.10");
        assert_eq!(d[0].firmware_updated, "2026-10-01");
    }
}
