//! One open data folder and every use case on it, behind one API both faces call.
//!
//! The CLI and the desktop app each open a [`Session`] on the data folder and ask it for what the
//! person wants: this fiscal year's assessment (one rule, [`Which`]), the checklist it uses, this
//! PC's findings kept and signed, bundles imported, the readiness review, the report set written
//! under its readable names, a file verified. The faces parse arguments, show results and report
//! progress; they never open the store or the key store themselves, never decide which
//! assessment is "this year's", and never compute the fiscal year from their own clock.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use crate::assessment::readiness::Readiness;
use crate::assessment::{Assessment, fiscal_year_of};
use crate::checklist::{self, Checklist};
use crate::evidence::Bundle;
use crate::ledger::import::{FolderImport, ImportError, Imported};
use crate::sign::keystore::KeyStore;
use crate::sign::verify::VerifyReport;
use crate::store::Store;
use crate::workflow::{self, ReportSet, ReportStep, WorkflowError};
use tenken_base::Lang;

/// Which assessment a use case works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which<'a> {
    /// This fiscal year's own assessment of the institution (never a vendor's answer set),
    /// created with the newest official checklist and the stored clinic profile when there is
    /// none yet. What answering, scanning and writing the report work on, in both faces.
    ThisYear,
    /// This fiscal year's own assessment that uses this checklist version (created when there is
    /// none yet): the person picked the version.
    Checklist(&'a str),
    /// This fiscal year's own assessment, else the latest year's; never created. What showing,
    /// exporting and reviewing work on, so last year's answers can still be read in April.
    Existing,
    /// Exactly this assessment.
    Id(i64),
}

/// An open data folder: its store (profile, assessments, answers, evidence, reports) and its
/// signing key.
#[derive(Debug)]
pub struct Session {
    dir: PathBuf,
    store: Store,
    keys: KeyStore,
}

impl Session {
    /// Opens the data folder `data_dir` (`None`: the OS's application-data folder, or
    /// `TENKEN_DATA_DIR`), creating it owner-only on first use.
    pub fn open(data_dir: Option<&Path>) -> Result<Self, WorkflowError> {
        let dir = crate::store::data_dir(data_dir);
        let store = Store::open_default(Some(&dir))?;
        let keys = KeyStore::open(&dir);
        Ok(Self { dir, store, keys })
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The store, for reading.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, for the changes that are one store call (saving a profile, an answer, a
    /// device): every change is committed at once.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// This installation's signing key.
    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// Today on this PC: fiscal years (April to March) follow the local calendar, not UTC.
    pub fn today() -> NaiveDate {
        chrono::Local::now().date_naive()
    }

    /// This fiscal year (令和8年度 = 2026 from 2026-04-01 to 2027-03-31).
    pub fn fiscal_year() -> u16 {
        fiscal_year_of(Self::today())
    }

    /// Every checklist version known here: the built-in MHLW versions and those imported into
    /// the data folder.
    pub fn checklists(&self) -> Result<Vec<Checklist>, WorkflowError> {
        Ok(checklist::all(Some(&self.dir))?)
    }

    /// One checklist version by id.
    pub fn checklist(&self, id: &str) -> Result<Checklist, WorkflowError> {
        Ok(checklist::find(id, Some(&self.dir))?)
    }

    /// The assessment `which` names (see [`Which`]).
    pub fn assessment(&mut self, which: Which<'_>) -> Result<Assessment, WorkflowError> {
        let today = Self::today();
        match which {
            Which::ThisYear => workflow::ensure_assessment(&mut self.store, &self.dir, today),
            Which::Checklist(id) => {
                workflow::assessment_for_checklist(&mut self.store, &self.dir, today, id)
            }
            Which::Existing => {
                if let Some(a) = self.store.own_assessment(fiscal_year_of(today))? {
                    return Ok(a);
                }
                self.store
                    .latest_own_assessment()?
                    .ok_or(WorkflowError::NoAssessment)
            }
            Which::Id(id) => Ok(self.store.get_assessment(id)?),
        }
    }

    /// The assessment `which` names and the checklist version it uses.
    pub fn assessment_with_checklist(
        &mut self,
        which: Which<'_>,
    ) -> Result<(Assessment, Checklist), WorkflowError> {
        let a = self.assessment(which)?;
        let c = self.checklist(&a.checklist_id)?;
        Ok((a, c))
    }

    /// The name a new signing key is made in: the clinic's name from the stored profile (empty
    /// makes the placeholder 「医療機関名 未設定」, renewed once a name is set).
    pub fn signer_name(&self) -> String {
        self.store
            .get_profile()
            .ok()
            .flatten()
            .map(|p| p.name.trim().to_string())
            .unwrap_or_default()
    }

    /// Keeps a fresh collection of one host with the assessment: merged with that host's earlier
    /// findings ([`workflow::merge_host_bundle`]), signed with this installation's key (made on
    /// first use in the assessment's clinic name; an empty name makes the placeholder
    /// 「医療機関名 未設定」, renewed once a name is set). Returns the kept bundle.
    pub fn keep_host_findings(
        &mut self,
        assessment_id: i64,
        fresh: Bundle,
    ) -> Result<Bundle, WorkflowError> {
        let name = self.store.get_assessment(assessment_id)?.profile.name;
        workflow::keep_host_findings(
            &mut self.store,
            &self.keys,
            assessment_id,
            fresh,
            name.trim(),
        )
    }

    /// The current (not superseded) bundles of an assessment without their raw outputs.
    pub fn bundles(&self, assessment_id: i64) -> Result<Vec<Bundle>, WorkflowError> {
        workflow::current_bundles_light(&self.store, assessment_id)
    }

    /// The certificates whose signatures are accepted on imported bundles and vendor answers:
    /// this installation's own and those trusted with `tenken key trust`.
    pub fn trust_anchors(&self) -> Vec<Vec<u8>> {
        crate::vendor::trust::anchors(&self.dir)
    }

    /// Imports one signed bundle file into the assessment (verified against
    /// [`Session::trust_anchors`]; unsigned ones only with `accept_unverified`).
    pub fn import_bundle(
        &mut self,
        assessment_id: i64,
        path: &Path,
        accept_unverified: bool,
    ) -> Result<Imported, ImportError> {
        let anchors = self.trust_anchors();
        crate::ledger::import::import_file(
            &mut self.store,
            assessment_id,
            path,
            &anchors,
            accept_unverified,
        )
    }

    /// Imports a folder of bundles (newest per host wins; refused files are listed with the
    /// reason); `on_progress(done, total)` hears each file.
    pub fn import_folder(
        &mut self,
        assessment_id: i64,
        dir: &Path,
        accept_unverified: bool,
        on_progress: &mut dyn FnMut(usize, usize),
    ) -> Result<FolderImport, ImportError> {
        let anchors = self.trust_anchors();
        crate::ledger::import::import_dir(
            &mut self.store,
            assessment_id,
            dir,
            &anchors,
            accept_unverified,
            on_progress,
        )
    }

    /// Imports a vendor's signed answers file (from `tenken vendor answer` on the vendor's PC)
    /// into its sheet; a signer not among [`Session::trust_anchors`] is refused unless
    /// `accept_untrusted`.
    pub fn import_vendor_answers(
        &mut self,
        bytes: &[u8],
        accept_untrusted: bool,
    ) -> Result<crate::vendor::sheet::Imported, crate::vendor::sheet::SheetError> {
        let lists = checklist::all(Some(&self.dir))
            .map_err(|e| crate::vendor::sheet::SheetError::NoChecklist(e.to_string()))?;
        let anchors = self.trust_anchors();
        crate::vendor::sheet::import_answers(
            &mut self.store,
            &lists,
            bytes,
            &anchors,
            accept_untrusted,
        )
    }

    /// What is still open before signing the assessment's report.
    pub fn readiness(
        &self,
        assessment_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Readiness, WorkflowError> {
        crate::readiness::review(&self.store, &self.dir, assessment_id, now)
    }

    /// Writes the assessment's report set ([`workflow::write_report_set`]): the signed PDF, its
    /// record in the history, the XLSX when asked for.
    pub fn write_report_set(
        &mut self,
        assessment_id: i64,
        lang: Lang,
        now: DateTime<Utc>,
        files: &ReportFiles,
        on_step: &mut dyn FnMut(ReportStep),
    ) -> Result<ReportSet, WorkflowError> {
        workflow::write_report_set(
            &mut self.store,
            &self.keys,
            &self.dir,
            assessment_id,
            lang,
            now,
            &files.pdf,
            files.xlsx.as_deref(),
            on_step,
        )
    }

    /// Verifies a report PDF or an evidence bundle the way both faces do
    /// ([`workflow::verify_for_installation`]).
    pub fn verify(
        &self,
        bytes: &[u8],
        detached_signature: Option<Vec<u8>>,
        trust: Vec<Vec<u8>>,
    ) -> VerifyReport {
        workflow::verify_for_installation(bytes, detached_signature, trust, &self.dir)
    }
}

/// Where a report set is written: the PDF and, when wanted, the filled checklist as XLSX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFiles {
    /// The signed PDF.
    pub pdf: PathBuf,
    /// The XLSX checklist beside it.
    pub xlsx: Option<PathBuf>,
}

/// Ending of a report PDF's readable file name (`さくら内科_2026年度_2026-11-24_点検報告書.pdf`).
pub const PDF_TAIL: &str = "_点検報告書.pdf";
/// Ending of the XLSX checklist written beside it.
pub const XLSX_TAIL: &str = "_チェックリスト.xlsx";

impl ReportFiles {
    /// The readable names of a report set in `dir`: 医療機関名_年度_日付_点検報告書.pdf and
    /// …_チェックリスト.xlsx; a second set the same day never overwrites the first (`_2`, `_3`,
    /// … are added until neither file exists).
    pub fn named_in(dir: &Path, clinic: &str, fiscal_year: u16, day: NaiveDate) -> Self {
        let mut n = 1;
        loop {
            let stem = report_stem(clinic, fiscal_year, day, n);
            let pdf = dir.join(format!("{stem}{PDF_TAIL}"));
            let xlsx = dir.join(format!("{stem}{XLSX_TAIL}"));
            if !pdf.exists() && !xlsx.exists() {
                return Self {
                    pdf,
                    xlsx: Some(xlsx),
                };
            }
            n += 1;
        }
    }

    /// The XLSX written next to a report PDF (same name before the ending); reports written
    /// before readable names were `tenken-report-…` / `tenken-checklist-…`.
    pub fn xlsx_beside(pdf: &Path) -> Option<PathBuf> {
        let name = pdf.file_name()?.to_str()?;
        if let Some(base) = name.strip_suffix(PDF_TAIL) {
            return Some(pdf.with_file_name(format!("{base}{XLSX_TAIL}")));
        }
        let rest = name.strip_prefix("tenken-report-")?.strip_suffix(".pdf")?;
        Some(pdf.with_file_name(format!("tenken-checklist-{rest}.xlsx")))
    }
}

/// A clinic name made safe as part of a file name on every OS: characters Windows forbids,
/// control characters and spaces become `_`, at most 40 characters; 「医療機関名未設定」 when empty.
pub fn file_name_part(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || c.is_whitespace() || r#"\/:*?"<>|"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(40)
        .collect();
    let cleaned = cleaned.trim_matches(|c| c == '_' || c == '.').to_string();
    if cleaned.is_empty() {
        "医療機関名未設定".into()
    } else {
        cleaned
    }
}

/// The readable name stem of a report set: 医療機関名_年度_日付 (`_2`, `_3` … from the second).
pub fn report_stem(clinic: &str, fiscal_year: u16, day: NaiveDate, n: u32) -> String {
    let base = format!(
        "{}_{fiscal_year}年度_{}",
        file_name_part(clinic),
        day.format("%Y-%m-%d")
    );
    if n <= 1 { base } else { format!("{base}_{n}") }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::assessment::{AnswerValue, Sheet};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn this_year_is_created_once_and_existing_never_creates() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::open(Some(dir.path())).unwrap();
        assert!(matches!(
            s.assessment(Which::Existing),
            Err(WorkflowError::NoAssessment)
        ));
        let a = s.assessment(Which::ThisYear).unwrap();
        assert_eq!(a.sheet, Sheet::Clinic);
        assert_eq!(a.fiscal_year, Session::fiscal_year());
        assert_eq!(s.assessment(Which::ThisYear).unwrap().id, a.id);
        assert_eq!(s.assessment(Which::Existing).unwrap().id, a.id);
        assert_eq!(s.assessment(Which::Id(a.id)).unwrap().id, a.id);
        // Reopened: the same folder, the same assessment.
        drop(s);
        let mut s = Session::open(Some(dir.path())).unwrap();
        assert_eq!(s.assessment(Which::ThisYear).unwrap().id, a.id);
    }

    #[test]
    fn a_vendor_sheet_is_never_this_years_assessment() {
        // Issue 12: after a vendor's answers were saved, the clinic's commands worked on the
        // vendor sheet. The vendor sheet is created last, so "latest" rules would pick it.
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::open(Some(dir.path())).unwrap();
        let own = s.assessment(Which::ThisYear).unwrap();
        let checklist = s.checklist(&own.checklist_id).unwrap();
        let vendor = s
            .store_mut()
            .create_assessment(
                &checklist,
                &crate::store::NewAssessment {
                    fiscal_year: own.fiscal_year,
                    checklist_id: own.checklist_id.clone(),
                    sheet: Sheet::Vendor,
                    profile: Default::default(),
                    assessor: Default::default(),
                },
            )
            .unwrap();
        assert_ne!(vendor, own.id);
        for which in [
            Which::ThisYear,
            Which::Existing,
            Which::Checklist(&own.checklist_id),
        ] {
            let a = s.assessment(which).unwrap();
            assert_eq!((a.id, a.sheet), (own.id, Sheet::Clinic), "{which:?}");
        }
        assert_eq!(
            s.assessment(Which::Id(vendor)).unwrap().sheet,
            Sheet::Vendor
        );
        // Nothing answered on either sheet by looking.
        let a = s.assessment(Which::ThisYear).unwrap();
        assert!(a.answers.iter().all(|x| x.value == AnswerValue::Unanswered));
    }

    #[test]
    fn report_names_are_readable_and_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let d = day(2026, 11, 24);
        let first = ReportFiles::named_in(dir.path(), "さくら内科 クリニック", 2026, d);
        assert_eq!(
            first.pdf.file_name().unwrap().to_str().unwrap(),
            "さくら内科_クリニック_2026年度_2026-11-24_点検報告書.pdf"
        );
        assert_eq!(
            first.xlsx.as_deref(),
            ReportFiles::xlsx_beside(&first.pdf).as_deref()
        );
        std::fs::write(&first.pdf, b"x").unwrap();
        let second = ReportFiles::named_in(dir.path(), "さくら内科 クリニック", 2026, d);
        assert!(
            second
                .pdf
                .to_str()
                .unwrap()
                .ends_with("_2026-11-24_2_点検報告書.pdf")
        );
        // Only the XLSX left behind still takes the name.
        std::fs::remove_file(&first.pdf).unwrap();
        std::fs::write(first.xlsx.as_ref().unwrap(), b"x").unwrap();
        assert_eq!(
            ReportFiles::named_in(dir.path(), "さくら内科 クリニック", 2026, d).pdf,
            second.pdf
        );
        assert_eq!(
            report_stem("さくら内科クリニック", 2026, d, 1),
            "さくら内科クリニック_2026年度_2026-11-24"
        );
        assert_eq!(
            report_stem("さくら内科クリニック", 2026, d, 2),
            "さくら内科クリニック_2026年度_2026-11-24_2"
        );
        assert_eq!(
            file_name_part(" A/B:C*D?\"E<F>G|H\\I\n "),
            "A_B_C_D__E_F_G_H_I"
        );
        assert_eq!(file_name_part("   "), "医療機関名未設定");
        assert_eq!(file_name_part("../.."), "医療機関名未設定");
        assert_eq!(file_name_part(&"あ".repeat(100)).chars().count(), 40);
        assert_eq!(
            ReportFiles::xlsx_beside(Path::new("/r/tenken-report-2025-01-02.pdf")),
            Some(PathBuf::from("/r/tenken-checklist-2025-01-02.xlsx"))
        );
        assert_eq!(ReportFiles::xlsx_beside(Path::new("/r/other.pdf")), None);
    }
}
