//! SQLite storage of assessments, answers, bundles and report history, with migrations.
//!
//! Why this file is over 600 lines: the one `Store` type holds every table's queries (profile,
//! assessments, answers, bundles, reports, devices, vendor sheets) and the migrations, so each
//! transaction is written beside the schema it relies on; its tests live in `tests.rs`.
//!
//! One database file in the OS app-data directory (overridable with `--data-dir` /
//! `TENKEN_DATA_DIR`). The connection runs in WAL mode with `synchronous=FULL`, so every
//! committed transaction survives a crash or power loss; `foreign_keys=ON`; a busy timeout lets
//! a reader and a writer (GUI and CLI) share the file. Schema changes are numbered migrations
//! tracked in `PRAGMA user_version`, each applied in its own transaction.
//!
//! Autosave: every answer change ([`Store::set_answer`]) is its own committed transaction;
//! [`Store::set_answers`] applies many answers all-or-nothing. Invalid answers are refused
//! before anything is written.
//!
//! Why this file is over 600 lines: the one SQLite store: every query sits beside the schema it relies on (migrations are in migrations.rs, tests in tests.rs).

mod fleet;
mod migrations;
mod moved;

pub use fleet::{BundleTrust, Device, VendorSheet, VendorStatus};

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use tenken_assessment::{
    Answer, AnswerError, AnswerValue, Assessment, Assessor, Attachment, ClinicProfile, Sheet,
};
use tenken_checklist::{Checklist, Scope};

/// File name of the database inside the data directory.
pub const DB_FILE_NAME: &str = "tenken.sqlite3";

/// How long a connection waits for a lock held by another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// When one attachment was recorded: (item id, scope row, SHA-256, added at).
pub type AttachmentTime = (String, Scope, String, DateTime<Utc>);

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a Tenken/SQLite database (or is damaged).
    #[error(
        "{path} はTenkenのデータベースとして読めません（壊れているか、別の種類のファイルです） (not a readable SQLite database: {source})"
    )]
    NotADatabase {
        /// The file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The database was written by a newer Tenken.
    #[error(
        "データベースの形式 (version {found}) はこのTenken (対応 version {supported}) より新しいです (database schema is newer than this program)"
    )]
    NewerSchema {
        /// `user_version` found in the file.
        found: i64,
        /// Highest version this build knows.
        supported: i64,
    },
    /// An SQLite error.
    #[error("データベースのエラー (database error): {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file could not be read or a directory not created.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An answer broke a rule.
    #[error(transparent)]
    Answer(#[from] AnswerError),
    /// One entry of a batch of answers broke a rule; nothing was written.
    #[error("回答 {index} 件目 (item {item_id}) を保存できません。何も保存していません: {reason}")]
    BatchEntry {
        /// 1-based position of the bad entry.
        index: usize,
        /// Its item id.
        item_id: String,
        /// What is wrong.
        reason: Box<StoreError>,
    },
    /// The item exists but not on the assessment's sheet.
    #[error("項目 {item_id} はシート {sheet} にありません (item not on this sheet)")]
    ItemNotOnSheet {
        /// Item id.
        item_id: String,
        /// Sheet of the assessment.
        sheet: Sheet,
    },
    /// The checklist passed is not the one the assessment uses.
    #[error(
        "この点検はチェックリスト {expected} を使っています ({given} ではありません) (checklist mismatch)"
    )]
    ChecklistMismatch {
        /// The assessment's checklist id.
        expected: String,
        /// The checklist given.
        given: String,
    },
    /// The sheet does not exist in the checklist.
    #[error("シート {0} はこのチェックリストにありません (unknown sheet)")]
    UnknownSheet(Sheet),
    /// No assessment with that id.
    #[error("点検 {0} が見つかりません (assessment not found)")]
    AssessmentNotFound(i64),
    /// No answer for that item and scope yet.
    #[error("項目 {0} ({1:?}) にはまだ回答がありません (no answer yet)")]
    AnswerNotFound(String, Scope),
    /// A stored value could not be decoded.
    #[error("データベースの値を読めません (corrupt stored value): {0}")]
    Corrupt(String),
}

/// Result type of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub use tenken_base::paths::{data_dir, default_data_dir};

/// What to create an assessment with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewAssessment {
    /// Fiscal year (西暦 of its April).
    pub fiscal_year: u16,
    /// Checklist id.
    pub checklist_id: String,
    /// Sheet answered.
    pub sheet: Sheet,
    /// Clinic profile at the time of the assessment.
    pub profile: ClinicProfile,
    /// Who assesses.
    pub assessor: Assessor,
}

/// One line of the history: an assessment with its answer counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Assessment id.
    pub id: i64,
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Checklist id.
    pub checklist_id: String,
    /// Sheet answered.
    pub sheet: Sheet,
    /// 医療機関名.
    pub clinic_name: String,
    /// Answers stored (all values, including 未回答 rows).
    pub answers: u32,
    /// はい.
    pub yes: u32,
    /// いいえ.
    pub no: u32,
    /// 該当なし.
    pub not_applicable: u32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// An evidence bundle imported for an assessment (written by the bundle/import code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBundle {
    /// Row id.
    pub id: i64,
    /// Assessment it belongs to, if any.
    pub assessment_id: Option<i64>,
    /// Host name the bundle was collected on.
    pub host: String,
    /// The bundle JSON as imported (byte-exact).
    pub bundle_json: String,
    /// SHA-256 (hex) of `bundle_json`.
    pub sha256: String,
    /// Detached signature, if any.
    pub signature: Option<Vec<u8>>,
    /// When it was imported.
    pub imported_at: DateTime<Utc>,
    /// True when a newer bundle of the same host replaced it.
    pub superseded: bool,
    /// How its signature was checked on import (`verified`, `unverified`, `unchecked`).
    pub verification: BundleTrust,
    /// Signer's name, when the signature was checked.
    pub signer: Option<String>,
}

/// A report that was written (for the report history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReport {
    /// Row id.
    pub id: i64,
    /// Assessment it reports on, if any.
    pub assessment_id: Option<i64>,
    /// Where it was written.
    pub path: String,
    /// SHA-256 (hex) of the file.
    pub sha256: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The columns of a bundle row, in the order [`stored_bundle`] reads them.
const BUNDLE_COLUMNS: &str = "SELECT id, assessment_id, host, bundle_json, sha256, signature, imported_at, \
     superseded, verification, signer FROM bundles";

fn stored_bundle(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredBundle> {
    Ok(StoredBundle {
        id: r.get(0)?,
        assessment_id: r.get(1)?,
        host: r.get(2)?,
        bundle_json: r.get(3)?,
        sha256: r.get(4)?,
        signature: r.get(5)?,
        imported_at: r.get(6)?,
        superseded: r.get(7)?,
        verification: BundleTrust::from_db(&r.get::<_, String>(8)?),
        signer: r.get(9)?,
    })
}

/// The Tenken database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

fn scope_str(s: Scope) -> &'static str {
    match s {
        Scope::General => "general",
        Scope::Server => "server",
        Scope::Terminal => "terminal",
        Scope::Network => "network",
    }
}

fn scope_from(s: &str) -> Result<Scope> {
    Ok(match s {
        "general" => Scope::General,
        "server" => Scope::Server,
        "terminal" => Scope::Terminal,
        "network" => Scope::Network,
        other => return Err(StoreError::Corrupt(format!("scope '{other}'"))),
    })
}

fn sheet_from(s: &str) -> Result<Sheet> {
    Sheet::from_id(s).ok_or_else(|| StoreError::Corrupt(format!("sheet '{s}'")))
}

fn value_str(v: AnswerValue) -> &'static str {
    match v {
        AnswerValue::Yes => "yes",
        AnswerValue::No => "no",
        AnswerValue::NotApplicable => "not_applicable",
        AnswerValue::Unanswered => "unanswered",
    }
}

fn value_from(s: &str) -> Result<AnswerValue> {
    Ok(match s {
        "yes" => AnswerValue::Yes,
        "no" => AnswerValue::No,
        "not_applicable" => AnswerValue::NotApplicable,
        "unanswered" => AnswerValue::Unanswered,
        other => return Err(StoreError::Corrupt(format!("answer value '{other}'"))),
    })
}

/// Hashes a file: its name (last path component), size and SHA-256.
pub fn hash_file(path: &Path) -> Result<Attachment> {
    use std::io::Read;
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok(Attachment {
        name,
        size,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// Creates `dir` (and missing parents) owner-only on Unix; tightens the OS default data folder
/// if it exists with wider rights.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if !dir.exists() {
            return std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir);
        }
        if dir == data_dir(None) {
            let meta = std::fs::metadata(dir)?;
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            }
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        // Windows: the folder under %APPDATA% inherits the user profile's ACL (the user,
        // SYSTEM and Administrators only); see docs/windows.md.
        std::fs::create_dir_all(dir)
    }
}

/// Makes sure the database file exists owner-only (0600) on Unix before SQLite opens it, and
/// tightens an existing one.
fn private_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !path.exists() {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)?;
            return Ok(());
        }
        let meta = std::fs::metadata(path)?;
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
            for ext in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{ext}", path.display()));
                if side.exists() {
                    std::fs::set_permissions(&side, std::fs::Permissions::from_mode(0o600))?;
                }
            }
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Validates many answers for `sheet` of `checklist`: the first bad one is reported by position
/// and item id (nothing is written by the callers then).
pub(crate) fn validate_batch(
    checklist: &Checklist,
    sheet: Sheet,
    answers: &[Answer],
) -> Result<()> {
    for (i, ans) in answers.iter().enumerate() {
        validate_answer(checklist, sheet, ans).map_err(|e| StoreError::BatchEntry {
            index: i + 1,
            item_id: ans.item_id.clone(),
            reason: Box::new(e),
        })?;
    }
    Ok(())
}

/// Checks an answer against the checklist and the assessment's sheet.
fn validate_answer(checklist: &Checklist, sheet: Sheet, answer: &Answer) -> Result<()> {
    let item = checklist
        .item(&answer.item_id)
        .ok_or_else(|| AnswerError::UnknownItem(answer.item_id.clone()))?;
    if !item.on_sheet(sheet) {
        return Err(StoreError::ItemNotOnSheet {
            item_id: answer.item_id.clone(),
            sheet,
        });
    }
    if !item.answer_scopes().contains(&answer.scope) {
        return Err(AnswerError::UnknownScope(answer.item_id.clone(), answer.scope).into());
    }
    answer.validate()?;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path`, applying pending migrations.
    ///
    /// The clinic's answers and evidence are for the clinic only: on Unix a data folder Tenken
    /// creates is made owner-only (0700), and the database is owner-only (0600) from its first
    /// byte (SQLite gives its -wal and -shm files the database's mode). An existing folder the
    /// user chose is left as it is; the OS default data folder is tightened to 0700.
    pub fn open(path: &Path) -> Result<Self> {
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |source| StoreError::Io { path: p, source }
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            private_dir(parent).map_err(io(parent))?;
        }
        private_file(path).map_err(io(path))?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let not_db = |source| StoreError::NotADatabase {
            path: path.to_path_buf(),
            source,
        };
        // The first read of the header tells whether this is an SQLite file at all.
        let _: i64 = conn
            .query_row("PRAGMA schema_version", [], |r| r.get(0))
            .map_err(not_db)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(not_db)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!("journal_mode is {mode}, not WAL");
        }
        // FULL: with WAL, NORMAL could lose the last commits on power loss; an answer the user
        // saw as saved must stay saved, and answers are tiny.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens `tenken.sqlite3` in the data directory (the override or the OS default).
    pub fn open_default(data_dir_override: Option<&Path>) -> Result<Self> {
        Self::open(&data_dir(data_dir_override).join(DB_FILE_NAME))
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Runs `PRAGMA integrity_check` and returns its first line (`ok` when healthy).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let supported = migrations::MIGRATIONS.len() as i64;
        loop {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if current > supported {
                return Err(StoreError::NewerSchema {
                    found: current,
                    supported,
                });
            }
            if current == supported {
                tx.commit()?;
                return Ok(());
            }
            let idx = usize::try_from(current)
                .map_err(|_| StoreError::Corrupt(format!("user_version {current}")))?;
            let sql = migrations::MIGRATIONS
                .get(idx)
                .ok_or_else(|| StoreError::Corrupt(format!("user_version {current}")))?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", current + 1)?;
            tx.commit()?;
            tracing::info!("database migrated to version {}", current + 1);
        }
    }

    // ---------------------------------------------------------------- profile

    /// Saves the clinic profile (the current one; each assessment keeps its own copy).
    pub fn set_profile(&mut self, profile: &ClinicProfile) -> Result<()> {
        let json =
            serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO clinic_profile (id, name, json, updated_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, json = excluded.json,
             updated_at = excluded.updated_at",
            params![profile.name, json, Utc::now()],
        )?;
        Ok(())
    }

    /// The saved clinic profile, if any.
    pub fn get_profile(&self) -> Result<Option<ClinicProfile>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM clinic_profile WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }

    /// Copies `profile` into every assessment of `fiscal_year` (the year's open assessments),
    /// so the next report shows it; returns how many were updated. Earlier years keep theirs.
    pub fn apply_profile_to_fiscal_year(
        &mut self,
        fiscal_year: u16,
        profile: &ClinicProfile,
    ) -> Result<usize> {
        let json =
            serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let n = self.conn.execute(
            "UPDATE assessments SET profile_json = ?1, updated_at = ?2 WHERE fiscal_year = ?3",
            params![json, Utc::now(), fiscal_year],
        )?;
        Ok(n)
    }

    /// Sets who carried out an assessment (点検者).
    pub fn set_assessor(&mut self, assessment_id: i64, assessor: &Assessor) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE assessments SET assessor_name = ?1, assessor_company = ?2, updated_at = ?3
             WHERE id = ?4",
            params![assessor.name, assessor.company, Utc::now(), assessment_id],
        )?;
        if n == 0 {
            return Err(StoreError::AssessmentNotFound(assessment_id));
        }
        Ok(())
    }

    // ------------------------------------------------------------ assessments

    /// Creates an assessment for `checklist` (whose id must match `new.checklist_id`).
    pub fn create_assessment(&mut self, checklist: &Checklist, new: &NewAssessment) -> Result<i64> {
        if checklist.id != new.checklist_id {
            return Err(StoreError::ChecklistMismatch {
                expected: new.checklist_id.clone(),
                given: checklist.id.clone(),
            });
        }
        if !checklist.sheets.iter().any(|s| s.id == new.sheet.as_str()) {
            return Err(StoreError::UnknownSheet(new.sheet));
        }
        insert_assessment(&self.conn, new, Utc::now())
    }

    fn assessment_row(&self, id: i64) -> Result<Assessment> {
        let row = self
            .conn
            .query_row(
                "SELECT id, fiscal_year, checklist_id, sheet, profile_json, assessor_name,
                 assessor_company, created_at, updated_at FROM assessments WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, u16>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, DateTime<Utc>>(7)?,
                        r.get::<_, DateTime<Utc>>(8)?,
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::AssessmentNotFound(id))?;
        let profile: ClinicProfile =
            serde_json::from_str(&row.4).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Assessment {
            id: row.0,
            fiscal_year: row.1,
            checklist_id: row.2,
            sheet: sheet_from(&row.3)?,
            profile,
            assessor: Assessor {
                name: row.5,
                company: row.6,
            },
            answers: Vec::new(),
            created_at: row.7,
            updated_at: row.8,
        })
    }

    /// One assessment with all its answers.
    pub fn get_assessment(&self, id: i64) -> Result<Assessment> {
        let mut a = self.assessment_row(id)?;
        a.answers = self.answers(id)?;
        Ok(a)
    }

    /// All assessments (without answers), newest fiscal year first, then newest first.
    pub fn list_assessments(&self) -> Result<Vec<Assessment>> {
        let ids: Vec<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM assessments ORDER BY fiscal_year DESC, id DESC")?;
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        ids.into_iter().map(|id| self.assessment_row(id)).collect()
    }

    /// The current assessment of fiscal year `fiscal_year` on `sheet`, with answers: of that
    /// year's assessments of that sheet, the one changed last (created, or an answer saved), the
    /// newer one on a tie. This is the one rule for "this year's assessment"; the workflow, the
    /// comparison, the report and both faces use it. With `checklist_id`, only assessments of
    /// that checklist version count (the app lets the user pick the version).
    pub fn current_assessment(
        &self,
        fiscal_year: u16,
        sheet: Sheet,
        checklist_id: Option<&str>,
    ) -> Result<Option<Assessment>> {
        let mut st = self.conn.prepare(
            "SELECT id, checklist_id, updated_at FROM assessments
             WHERE fiscal_year = ?1 AND sheet = ?2",
        )?;
        let rows = st
            .query_map(params![fiscal_year, sheet.as_str()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, DateTime<Utc>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .filter(|(_, c, _)| checklist_id.is_none_or(|want| c == want))
            .max_by_key(|(id, _, updated)| (*updated, *id))
            .map(|(id, _, _)| self.get_assessment(id))
            .transpose()
    }

    /// The medical institution's own current assessment of a fiscal year: the current one of
    /// the clinic sheet, else of the pharmacy sheet ([`Store::current_assessment`]). Never a
    /// vendor's answer set.
    pub fn own_assessment(&self, fiscal_year: u16) -> Result<Option<Assessment>> {
        for sheet in Sheet::ALL.into_iter().filter(|s| s.is_own()) {
            if let Some(a) = self.current_assessment(fiscal_year, sheet, None)? {
                return Ok(Some(a));
            }
        }
        Ok(None)
    }

    /// The institution's own assessment of the latest fiscal year that has one
    /// ([`Store::own_assessment`] of that year), with answers.
    pub fn latest_own_assessment(&self) -> Result<Option<Assessment>> {
        let year: Option<u16> = self
            .conn
            .query_row(
                "SELECT MAX(fiscal_year) FROM assessments WHERE sheet <> ?1",
                [Sheet::Vendor.as_str()],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        match year {
            Some(fy) => self.own_assessment(fy),
            None => Ok(None),
        }
    }

    /// The most recently created assessment of any year and sheet, with answers.
    pub fn latest_assessment(&self) -> Result<Option<Assessment>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM assessments ORDER BY fiscal_year DESC, id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.get_assessment(id)).transpose()
    }

    // ---------------------------------------------------------------- answers

    /// Saves one answer (autosave: one committed transaction). Validated against the checklist
    /// first (unknown item or scope row, item not on the sheet, いいえ without 目標日 are refused
    /// and nothing changes). Replaces the item's scope row; attachments in `answer` are added to
    /// those already recorded. Returns the answer as stored.
    pub fn set_answer(
        &mut self,
        assessment_id: i64,
        checklist: &Checklist,
        answer: Answer,
    ) -> Result<Answer> {
        self.set_answers(assessment_id, checklist, std::slice::from_ref(&answer))
            .and_then(|mut v| {
                v.pop()
                    .ok_or_else(|| StoreError::Corrupt("answer not written".into()))
            })
            .map_err(|e| match e {
                StoreError::BatchEntry { reason, .. } => *reason,
                other => other,
            })
    }

    /// Saves many answers all-or-nothing: every entry is validated first; the first bad one is
    /// reported by position and item id and nothing is written.
    pub fn set_answers(
        &mut self,
        assessment_id: i64,
        checklist: &Checklist,
        answers: &[Answer],
    ) -> Result<Vec<Answer>> {
        let a = self.assessment_row(assessment_id)?;
        if a.checklist_id != checklist.id {
            return Err(StoreError::ChecklistMismatch {
                expected: a.checklist_id,
                given: checklist.id.clone(),
            });
        }
        validate_batch(checklist, a.sheet, answers)?;
        let now = Utc::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for ans in answers {
            write_answer(&tx, assessment_id, ans, now)?;
        }
        tx.execute(
            "UPDATE assessments SET updated_at = ?2 WHERE id = ?1",
            params![assessment_id, now],
        )?;
        let mut stored = Vec::with_capacity(answers.len());
        for ans in answers {
            stored.push(read_answer(&tx, assessment_id, &ans.item_id, ans.scope)?);
        }
        tx.commit()?;
        Ok(stored)
    }

    /// Hashes `file` and records it as an attachment of an existing answer (own transaction).
    pub fn attach_file(
        &mut self,
        assessment_id: i64,
        item_id: &str,
        scope: Scope,
        file: &Path,
    ) -> Result<Attachment> {
        let att = hash_file(file)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let answer_id: i64 = tx
            .query_row(
                "SELECT id FROM answers WHERE assessment_id = ?1 AND item_id = ?2 AND scope = ?3",
                params![assessment_id, item_id, scope_str(scope)],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::AnswerNotFound(item_id.to_string(), scope))?;
        insert_attachment(&tx, answer_id, &att, Utc::now())?;
        tx.commit()?;
        Ok(att)
    }

    /// When each attachment of an assessment was recorded: (item id, scope, SHA-256, added at).
    pub fn attachment_times(&self, assessment_id: i64) -> Result<Vec<AttachmentTime>> {
        let mut st = self.conn.prepare(
            "SELECT a.item_id, a.scope, t.sha256, t.added_at FROM attachments t
             JOIN answers a ON a.id = t.answer_id WHERE a.assessment_id = ?1 ORDER BY t.id",
        )?;
        let rows: Vec<(String, String, String, DateTime<Utc>)> = st
            .query_map([assessment_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(item, scope, sha, at)| Ok((item, scope_from(&scope)?, sha, at)))
            .collect()
    }

    /// All stored answers of an assessment (with attachments), ordered by item id and scope.
    pub fn answers(&self, assessment_id: i64) -> Result<Vec<Answer>> {
        let keys: Vec<(String, String)> = {
            let mut st = self.conn.prepare(
                "SELECT item_id, scope FROM answers WHERE assessment_id = ?1 ORDER BY id",
            )?;
            st.query_map([assessment_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        keys.into_iter()
            .map(|(item, scope)| read_answer(&self.conn, assessment_id, &item, scope_from(&scope)?))
            .collect()
    }

    /// Every assessment with its answer counts, newest fiscal year first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        let mut st = self.conn.prepare(
            "SELECT a.id, a.fiscal_year, a.checklist_id, a.sheet, a.profile_json,
                    a.created_at, a.updated_at,
                    COUNT(n.id),
                    COALESCE(SUM(n.value = 'yes'), 0),
                    COALESCE(SUM(n.value = 'no'), 0),
                    COALESCE(SUM(n.value = 'not_applicable'), 0)
             FROM assessments a LEFT JOIN answers n ON n.assessment_id = a.id
             GROUP BY a.id ORDER BY a.fiscal_year DESC, a.id DESC",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, u16>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, DateTime<Utc>>(5)?,
                    r.get::<_, DateTime<Utc>>(6)?,
                    r.get::<_, u32>(7)?,
                    r.get::<_, u32>(8)?,
                    r.get::<_, u32>(9)?,
                    r.get::<_, u32>(10)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|r| {
                let profile: ClinicProfile =
                    serde_json::from_str(&r.4).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(HistoryEntry {
                    id: r.0,
                    fiscal_year: r.1,
                    checklist_id: r.2,
                    sheet: sheet_from(&r.3)?,
                    clinic_name: profile.name,
                    created_at: r.5,
                    updated_at: r.6,
                    answers: r.7,
                    yes: r.8,
                    no: r.9,
                    not_applicable: r.10,
                })
            })
            .collect()
    }

    // ---------------------------------------------------------- bundles, reports

    /// Records an imported evidence bundle (hashing `bundle_json`); when `supersede` is true,
    /// earlier bundles of the same host and assessment are flagged superseded in the same
    /// transaction. Returns the new row id.
    pub fn add_bundle(
        &mut self,
        assessment_id: Option<i64>,
        host: &str,
        bundle_json: &str,
        signature: Option<&[u8]>,
        supersede: bool,
    ) -> Result<i64> {
        self.add_bundle_checked(
            assessment_id,
            host,
            bundle_json,
            signature,
            supersede,
            BundleTrust::Unchecked,
            None,
        )
    }

    /// Bundles of an assessment (or those not tied to one, for `None`), oldest first.
    pub fn bundles(&self, assessment_id: Option<i64>) -> Result<Vec<StoredBundle>> {
        self.query_bundles("WHERE assessment_id IS ?1", params![assessment_id])
    }

    /// The current (not superseded) bundles of one host in an assessment: what an import
    /// compares a new bundle with (uses the `(assessment_id, host)` index; never reads the
    /// other hosts' bundles).
    pub fn current_bundles_of_host(
        &self,
        assessment_id: Option<i64>,
        host: &str,
    ) -> Result<Vec<StoredBundle>> {
        self.query_bundles(
            "WHERE assessment_id IS ?1 AND host = ?2 AND superseded = 0",
            params![assessment_id, host],
        )
    }

    /// Number of current (not superseded) bundles of an assessment (one per host).
    pub fn current_bundle_count(&self, assessment_id: Option<i64>) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM bundles WHERE assessment_id IS ?1 AND superseded = 0",
            params![assessment_id],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Numbers of current (not superseded) bundles of an assessment, all and those whose
    /// signature was verified on import: counted by the database, no bundle is read (the
    /// history of a hospital's thousands of PCs).
    pub fn current_bundle_trust_counts(
        &self,
        assessment_id: Option<i64>,
    ) -> Result<(usize, usize)> {
        let (all, verified): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(verification = ?2), 0) FROM bundles
             WHERE assessment_id IS ?1 AND superseded = 0",
            params![assessment_id, BundleTrust::Verified.as_db()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((
            usize::try_from(all).unwrap_or(0),
            usize::try_from(verified).unwrap_or(0),
        ))
    }

    /// Hands the current (not superseded) bundles of an assessment to `each`, one at a time and
    /// oldest first (the order of [`Store::bundles`]): only one bundle's JSON is in memory at a
    /// time, so a ledger or report of thousands of PCs reduces each bundle to what it needs
    /// instead of holding them all. Stops at the first error `each` returns.
    pub fn for_each_current_bundle<E: From<StoreError>>(
        &self,
        assessment_id: Option<i64>,
        mut each: impl FnMut(StoredBundle) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut st = self
            .conn
            .prepare(&format!(
                "{BUNDLE_COLUMNS} WHERE assessment_id IS ?1 AND superseded = 0 ORDER BY id"
            ))
            .map_err(StoreError::from)?;
        let mut rows = st.query(params![assessment_id]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            each(stored_bundle(r).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// Bundle rows matching `filter` (a `WHERE` clause), oldest first.
    fn query_bundles(
        &self,
        filter: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<StoredBundle>> {
        let mut st = self
            .conn
            .prepare(&format!("{BUNDLE_COLUMNS} {filter} ORDER BY id"))?;
        let rows = st
            .query_map(args, stored_bundle)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records a written report (hashing the file at `path`).
    pub fn add_report(&mut self, assessment_id: Option<i64>, path: &Path) -> Result<StoredReport> {
        let att = hash_file(path)?;
        let now = Utc::now();
        let p = path.display().to_string();
        self.conn.execute(
            "INSERT INTO reports (assessment_id, path, sha256, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![assessment_id, p, att.sha256, now],
        )?;
        Ok(StoredReport {
            id: self.conn.last_insert_rowid(),
            assessment_id,
            path: p,
            sha256: att.sha256,
            created_at: now,
        })
    }

    /// Reports written, oldest first.
    pub fn reports(&self) -> Result<Vec<StoredReport>> {
        let mut st = self.conn.prepare(
            "SELECT id, assessment_id, path, sha256, created_at FROM reports ORDER BY id",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(StoredReport {
                    id: r.get(0)?,
                    assessment_id: r.get(1)?,
                    path: r.get(2)?,
                    sha256: r.get(3)?,
                    created_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

fn insert_attachment(
    tx: &Transaction<'_>,
    answer_id: i64,
    att: &Attachment,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO attachments (answer_id, name, size, sha256, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(answer_id, name, sha256) DO NOTHING",
        params![answer_id, att.name, att.size, att.sha256, now],
    )?;
    Ok(())
}

/// Inserts an assessment row (checked by the caller) and returns its id.
fn insert_assessment(
    conn: &rusqlite::Connection,
    new: &NewAssessment,
    now: DateTime<Utc>,
) -> Result<i64> {
    let profile =
        serde_json::to_string(&new.profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.execute(
        "INSERT INTO assessments (fiscal_year, checklist_id, sheet, profile_json,
         assessor_name, assessor_company, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            new.fiscal_year,
            new.checklist_id,
            new.sheet.as_str(),
            profile,
            new.assessor.name,
            new.assessor.company,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn write_answer(
    tx: &Transaction<'_>,
    assessment_id: i64,
    a: &Answer,
    now: DateTime<Utc>,
) -> Result<()> {
    let answer_id: i64 = tx.query_row(
        "INSERT INTO answers (assessment_id, item_id, scope, value, checked_on, target_date,
         note, responsible, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(assessment_id, item_id, scope) DO UPDATE SET value = excluded.value,
           checked_on = excluded.checked_on, target_date = excluded.target_date,
           note = excluded.note, responsible = excluded.responsible,
           updated_at = excluded.updated_at
         RETURNING id",
        params![
            assessment_id,
            a.item_id,
            scope_str(a.scope),
            value_str(a.value),
            a.checked_on,
            a.target_date,
            a.note,
            a.responsible,
            now
        ],
        |r| r.get(0),
    )?;
    for att in &a.attachments {
        insert_attachment(tx, answer_id, att, now)?;
    }
    Ok(())
}

fn read_answer(
    conn: &Connection,
    assessment_id: i64,
    item_id: &str,
    scope: Scope,
) -> Result<Answer> {
    let row = conn
        .query_row(
            "SELECT id, value, checked_on, target_date, note, responsible, updated_at
             FROM answers WHERE assessment_id = ?1 AND item_id = ?2 AND scope = ?3",
            params![assessment_id, item_id, scope_str(scope)],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<NaiveDate>>(2)?,
                    r.get::<_, Option<NaiveDate>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, DateTime<Utc>>(6)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::AnswerNotFound(item_id.to_string(), scope))?;
    let mut st = conn
        .prepare("SELECT name, size, sha256 FROM attachments WHERE answer_id = ?1 ORDER BY id")?;
    let attachments = st
        .query_map([row.0], |r| {
            Ok(Attachment {
                name: r.get(0)?,
                size: r.get(1)?,
                sha256: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Answer {
        item_id: item_id.to_string(),
        scope,
        value: value_from(&row.1)?,
        checked_on: row.2,
        target_date: row.3,
        note: row.4,
        responsible: row.5,
        attachments,
        updated_at: Some(row.6),
    })
}

impl tenken_base::Kinded for StoreError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            StoreError::NotADatabase { .. } | StoreError::Corrupt(_) => ErrorKind::Damaged,
            StoreError::NewerSchema { .. } | StoreError::ChecklistMismatch { .. } => {
                ErrorKind::Conflict
            }
            StoreError::Sqlite(_) => ErrorKind::Storage,
            StoreError::Io { source, .. } => ErrorKind::of_io(source),
            StoreError::Answer(e) => e.kind(),
            StoreError::BatchEntry { reason, .. } => reason.kind(),
            StoreError::ItemNotOnSheet { .. }
            | StoreError::UnknownSheet(_)
            | StoreError::AssessmentNotFound(_)
            | StoreError::AnswerNotFound(..) => ErrorKind::NotFound,
        }
    }
}

#[cfg(test)]
mod tests;
