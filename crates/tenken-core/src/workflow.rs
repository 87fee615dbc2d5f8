//! The yearly self-check end to end, shared by the CLI and the desktop app: find or create this
//! fiscal year's assessment, keep this PC's signed evidence bundle with it, and produce the signed
//! PDF report (and the XLSX checklist).
//!
//! Why this file is over 600 lines: the report's steps (bundles, fleet parts, signing, the
//! report set) kept in order in one place, with the merge tests.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};

use crate::assessment::{Assessment, Assessor, Sheet, fiscal_year_of};
use crate::checklist::{self, Checklist, ChecklistError};
use crate::evidence::Bundle;
use crate::report::{self, RawJson, ReportError, ReportInput, SignerInfo};
use crate::sign::SignError;
use crate::sign::bundle::{SignedBundle, sign_bundle};
use crate::sign::keystore::KeyStore;
use crate::sign::pades::{SignOptions, sign_pdf_owned};
use crate::store::{BundleTrust, NewAssessment, Store, StoreError};
use tenken_base::Lang;

/// Errors of the workflow (each names the step that failed).
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// Store problem.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Checklist problem.
    #[error(transparent)]
    Checklist(#[from] ChecklistError),
    /// Report layout problem.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// Key or signature problem.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// No official checklist is available at all.
    #[error("公式チェックリストが見つかりません (no official checklist available)")]
    NoChecklist,
    /// There is no assessment yet to show (nothing has been answered or scanned).
    #[error(
        "点検がまだありません。回答するか点検すると作られます (no assessment yet: answering or scanning creates this year's)"
    )]
    NoAssessment,
    /// The device ledger could not be built.
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    /// The comparison with the previous year failed.
    #[error(transparent)]
    Compare(#[from] crate::compare::CompareError),
    /// The XLSX checklist could not be written.
    #[error(transparent)]
    Xlsx(#[from] crate::report::xlsx::XlsxExportError),
    /// The assessment cannot move to that checklist version.
    #[error(transparent)]
    Move(#[from] crate::assessment::migrate::MigrateError),
    /// A stored bundle could not be read.
    #[error("保存された証跡バンドルを読めません (stored bundle {0} is unreadable): {1}")]
    BadBundle(i64, String),
    /// Writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// This fiscal year's own assessment of the institution ([`Store::own_assessment`]: never a
/// vendor's answer set); created on the clinic sheet with the latest official checklist (and the
/// stored clinic profile) when there is none yet.
pub fn ensure_assessment(
    store: &mut Store,
    data_dir: &Path,
    today: chrono::NaiveDate,
) -> Result<Assessment, WorkflowError> {
    let fy = fiscal_year_of(today);
    if let Some(a) = store.own_assessment(fy)? {
        return Ok(a);
    }
    let all = checklist::all(Some(data_dir))?;
    // This year's MHLW version when imported, else the newest built in (the notice says so).
    let latest = checklist::current_mhlw(&all).ok_or(WorkflowError::NoChecklist)?;
    let profile = store.get_profile()?.unwrap_or_default();
    let id = store.create_assessment(
        latest,
        &NewAssessment {
            fiscal_year: fy,
            checklist_id: latest.id.clone(),
            sheet: Sheet::Clinic,
            profile,
            assessor: Assessor::default(),
        },
    )?;
    Ok(store.get_assessment(id)?)
}

/// This fiscal year's current clinic assessment that uses checklist `checklist_id`
/// ([`Store::current_assessment`]); created (with the stored clinic profile) when there is none
/// yet. Used when the user picked a checklist version.
pub fn assessment_for_checklist(
    store: &mut Store,
    data_dir: &Path,
    today: chrono::NaiveDate,
    checklist_id: &str,
) -> Result<Assessment, WorkflowError> {
    let fy = fiscal_year_of(today);
    if let Some(a) = store.current_assessment(fy, Sheet::Clinic, Some(checklist_id))? {
        return Ok(a);
    }
    let checklist = checklist::find(checklist_id, Some(data_dir))?;
    let profile = store.get_profile()?.unwrap_or_default();
    let id = store.create_assessment(
        &checklist,
        &NewAssessment {
            fiscal_year: fy,
            checklist_id: checklist.id.clone(),
            sheet: Sheet::Clinic,
            profile,
            assessor: Assessor::default(),
        },
    )?;
    Ok(store.get_assessment(id)?)
}

/// Signs `bundle` with this installation's key and keeps it with the assessment (as verified,
/// since this installation signed it), replacing the earlier bundle of the same host (which stays
/// in the history as superseded). Stored like an imported bundle: the bundle JSON plus the
/// detached CMS signature over its canonical form.
pub fn keep_signed_bundle(
    store: &mut Store,
    keys: &KeyStore,
    assessment_id: i64,
    bundle: &Bundle,
    subject_hint: &str,
) -> Result<SignedBundle, WorkflowError> {
    let signer = keys.signer(subject_hint)?;
    let signed = sign_bundle(bundle, signer.as_ref())?;
    let json = serde_json::to_string(bundle).map_err(ReportError::Json)?;
    let subject = keys.certificate_info()?.cert.subject;
    store.add_bundle_checked(
        Some(assessment_id),
        &bundle.host.hostname,
        &json,
        Some(&signed.signature),
        true,
        BundleTrust::Verified,
        Some(&subject),
    )?;
    Ok(signed)
}

/// Combines a fresh collection for one host with that host's previous current bundle: every
/// finding of `fresh` is kept, and findings of `previous` whose probe id `fresh` lacks are carried
/// over unchanged (with their own evidence and timestamps). So a network check does not erase this
/// PC's local findings, and a new local check does not erase the network findings. Host facts come
/// from `fresh`; the time span covers both; the result is replayed if either part was.
pub fn merge_host_bundle(previous: Option<&Bundle>, mut fresh: Bundle) -> Bundle {
    if let Some(prev) = previous {
        let carried: Vec<_> = prev
            .findings
            .iter()
            .filter(|f| !fresh.findings.iter().any(|n| n.probe_id == f.probe_id))
            .cloned()
            .collect();
        if !carried.is_empty() {
            fresh.findings.extend(carried);
            fresh.started_at = fresh.started_at.min(prev.started_at);
            fresh.ended_at = fresh.ended_at.max(prev.ended_at);
            fresh.replayed |= prev.replayed;
        }
    }
    fresh.findings.sort_by(|a, b| a.probe_id.cmp(&b.probe_id));
    fresh
}

/// Merges `fresh` with the current bundle of the same host ([`merge_host_bundle`]), signs the
/// result and keeps it with the assessment ([`keep_signed_bundle`]). Returns the kept bundle.
pub fn keep_host_findings(
    store: &mut Store,
    keys: &KeyStore,
    assessment_id: i64,
    fresh: Bundle,
    subject_hint: &str,
) -> Result<Bundle, WorkflowError> {
    // Only this host's current bundle is read (not every PC's).
    let previous = match store
        .current_bundles_of_host(Some(assessment_id), &fresh.host.hostname)?
        .into_iter()
        .next()
    {
        Some(stored) => Some(
            Bundle::from_json(stored.bundle_json.as_bytes())
                .map_err(|e| WorkflowError::BadBundle(stored.id, e.to_string()))?,
        ),
        None => None,
    };
    let merged = merge_host_bundle(previous.as_ref(), fresh);
    keep_signed_bundle(store, keys, assessment_id, &merged, subject_hint)?;
    Ok(merged)
}

/// The current (not superseded) bundles of an assessment, with the exact bytes to embed.
pub fn current_bundles(
    store: &Store,
    assessment_id: i64,
) -> Result<Vec<(Bundle, Vec<u8>)>, WorkflowError> {
    let mut out = Vec::new();
    store.for_each_current_bundle(Some(assessment_id), |stored| {
        let bytes = stored.bundle_json.into_bytes();
        let bundle = Bundle::from_json(&bytes)
            .map_err(|e| WorkflowError::BadBundle(stored.id, e.to_string()))?;
        out.push((bundle, bytes));
        Ok::<(), WorkflowError>(())
    })?;
    Ok(out)
}

/// The current bundles of an assessment without their raw outputs
/// ([`Bundle::drop_raw_outputs`], dropped as each is read): for views of verdicts and facts.
pub fn current_bundles_light(
    store: &Store,
    assessment_id: i64,
) -> Result<Vec<Bundle>, WorkflowError> {
    current_bundles_reduced(store, assessment_id, Bundle::drop_raw_outputs)
}

/// The current bundles of an assessment with only what views of verdicts read
/// ([`Bundle::keep_verdicts_only`], reduced as each is read): for the readiness review.
pub fn current_verdicts(store: &Store, assessment_id: i64) -> Result<Vec<Bundle>, WorkflowError> {
    current_bundles_reduced(store, assessment_id, Bundle::keep_verdicts_only)
}

/// The current bundles of an assessment, each reduced by `reduce` as soon as it is read (one
/// bundle's JSON in memory at a time).
fn current_bundles_reduced(
    store: &Store,
    assessment_id: i64,
    reduce: fn(&mut Bundle),
) -> Result<Vec<Bundle>, WorkflowError> {
    let mut out = Vec::new();
    store.for_each_current_bundle(Some(assessment_id), |stored| {
        let mut bundle = Bundle::from_json(stored.bundle_json.as_bytes())
            .map_err(|e| WorkflowError::BadBundle(stored.id, e.to_string()))?;
        drop(stored.bundle_json);
        reduce(&mut bundle);
        out.push(bundle);
        Ok::<(), WorkflowError>(())
    })?;
    Ok(out)
}

/// What the report needs of the current bundles, read one at a time: each bundle reduced to
/// what the report prints (raw outputs dropped; for a fleet, beyond
/// [`report::FULL_DETAIL_HOSTS`] PCs, facts and evidence records too: the fleet's report prints
/// them through the ledger and the attached bundles only), its exact bytes compressed once as
/// the PDF embeds them, and its canonical SHA-256 taken before anything was dropped.
fn report_bundles(store: &Store, assessment_id: i64) -> Result<ReportBundles, WorkflowError> {
    let count = store.current_bundle_count(Some(assessment_id))?;
    let fleet = count > report::FULL_DETAIL_HOSTS;
    let mut bundles = Vec::with_capacity(count);
    let mut packed = Vec::with_capacity(count);
    let mut canonical = Vec::with_capacity(count);
    store.for_each_current_bundle(Some(assessment_id), |stored| {
        let bytes = stored.bundle_json.into_bytes();
        let mut b = Bundle::from_json(&bytes)
            .map_err(|e| WorkflowError::BadBundle(stored.id, e.to_string()))?;
        canonical.push(Some(b.sha256().map_err(ReportError::from)?));
        b.drop_raw_outputs();
        if fleet {
            b.keep_verdicts_only();
        }
        packed.push(Some(report::PackedJson::pack(&bytes)?));
        bundles.push(b);
        Ok::<(), WorkflowError>(())
    })?;
    Ok(ReportBundles {
        bundles,
        packed,
        canonical,
    })
}

/// What [`report_bundles`] read: the same order in each.
struct ReportBundles {
    /// The bundles, reduced.
    bundles: Vec<Bundle>,
    /// Their exact bytes, compressed.
    packed: Vec<Option<report::PackedJson>>,
    /// Their canonical SHA-256.
    canonical: Vec<Option<String>>,
}

/// What [`signed_report`] produced.
#[derive(Debug, Clone)]
pub struct SignedReport {
    /// The signed PDF.
    pub pdf: Vec<u8>,
    /// The signer's certificate fingerprint (SHA-256, hex).
    pub fingerprint: String,
    /// The signer's subject.
    pub signer: String,
    /// Number of evidence bundles in the report.
    pub bundles: usize,
}

/// The fleet parts of an assessment's report: its device ledger (hosts and manually added
/// devices), the vendor sheets of its fiscal year, and the comparison with the previous fiscal
/// year's clinic assessment when there is one (and `assessment` is its year's latest, the one
/// the comparison engine picks).
pub fn fleet_parts(
    store: &Store,
    data_dir: &Path,
    assessment: &Assessment,
    lang: Lang,
    today: chrono::NaiveDate,
) -> Result<FleetParts, WorkflowError> {
    let ledger = crate::ledger::build(store, assessment.id)?;
    let lists = checklist::all(Some(data_dir))?;
    let mut vendor_sheets = Vec::new();
    for sheet in store.vendor_sheets(Some(assessment.fiscal_year))? {
        let answers = match sheet.assessment_id {
            Some(id) => Some(store.get_assessment(id)?),
            None => None,
        };
        let list = answers
            .as_ref()
            .and_then(|a| lists.iter().find(|c| c.id == a.checklist_id));
        vendor_sheets.push(report::VendorSheetSummary::new(
            sheet,
            answers.as_ref(),
            list,
            lang,
        ));
    }
    let mut comparison = None;
    if let Some(prev) = assessment.fiscal_year.checked_sub(1)
        && crate::compare::year_assessment(store, prev)?.is_some()
    {
        match crate::compare::compare_with(store, prev, assessment.fiscal_year, &lists, today) {
            Ok(c) if report::comparison_applies(&c, assessment.id) => comparison = Some(c),
            Ok(_) => {}
            // last year's checklist is no longer available: the report is still made, without
            // the comparison (a store failure is still an error)
            Err(crate::compare::CompareError::NoChecklist(_))
            | Err(crate::compare::CompareError::NoAssessment(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let version_notice = lists
        .iter()
        .find(|c| c.id == assessment.checklist_id)
        .and_then(|c| c.version_notice_in(assessment.fiscal_year, &lists));
    Ok(FleetParts {
        ledger,
        vendor_sheets,
        comparison,
        version_notice,
    })
}

/// What [`fleet_parts`] gathers for the report.
#[derive(Debug, Clone)]
pub struct FleetParts {
    /// The device ledger.
    pub ledger: crate::ledger::Ledger,
    /// Vendor sheets of the fiscal year.
    pub vendor_sheets: Vec<report::VendorSheetSummary>,
    /// Comparison with the previous fiscal year, when one exists.
    pub comparison: Option<crate::compare::Comparison>,
    /// The checklist-version notice knowing every loaded version.
    pub version_notice: Option<crate::Text>,
}

impl FleetParts {
    /// Puts the parts into a report input.
    pub fn apply(self, input: &mut ReportInput) {
        input.ledger = Some(self.ledger);
        input.vendor_sheets = self.vendor_sheets;
        input.comparison = self.comparison;
        input.version_notice = self.version_notice;
    }
}

/// Renders the report of an assessment with its current bundles and signs it (PAdES) with this
/// installation's key, created on first use with the clinic's name as subject. The first page
/// says what the readiness review found open at that moment ([`crate::readiness::review`]).
pub fn signed_report(
    store: &Store,
    keys: &KeyStore,
    data_dir: &Path,
    assessment_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<SignedReport, WorkflowError> {
    let assessment = store.get_assessment(assessment_id)?;
    let checklist: Checklist = checklist::find(&assessment.checklist_id, Some(data_dir))?;
    // An existing key is kept when the clinic name changes later (its subject is shown), except
    // the placeholder made before any name was known: it is replaced by one in the clinic's
    // name, and kept as a trusted certificate so reports signed with it still verify.
    renew_placeholder_key(keys, data_dir, assessment.profile.name.trim())?;
    let signer = keys.signer(assessment.profile.name.trim())?;
    let info = keys.certificate_info()?;
    // The report prints hashes and lengths of the raw outputs, never the outputs (they are in
    // the attached bundles, byte for byte): bundles are read one at a time, each hashed, kept
    // compressed for the attachment and reduced to what the pages print, so a report of
    // thousands of PCs holds neither their raw outputs nor their JSON twice.
    let ReportBundles {
        bundles,
        packed,
        canonical,
    } = report_bundles(store, assessment_id)?;
    let assessment_json = serde_json::to_vec_pretty(&assessment).map_err(ReportError::Json)?;
    let count = bundles.len();
    // What is still open at signing is printed on the first page (signing anyway is allowed);
    // reviewed from the same bundles (it reads verdicts only).
    let readiness = crate::readiness::review_with(store, data_dir, assessment_id, &bundles, now)?;
    let mut input = ReportInput::new(checklist, assessment.clone(), bundles, lang, now);
    let today = now.with_timezone(&Local).date_naive();
    input.assessment_date = Some(today);
    fleet_parts(store, data_dir, &assessment, lang, today)?.apply(&mut input);
    input.raw_json = RawJson {
        assessment: Some(assessment_json),
        bundles: Vec::new(),
        canonical_sha256: canonical,
        packed,
    };
    input.readiness = Some(readiness);
    input.signer = Some(SignerInfo {
        name: info.cert.subject.clone(),
        organization: crate::sign::dn_value(&info.cert.subject, "O"),
        cert_sha256: Some(info.cert.fingerprint_sha256.clone()),
    });
    // The input is not needed afterwards: rendered without copies of the bundles.
    let pdf = report::render_pdf_owned(input)?;
    let signed = sign_pdf_owned(
        pdf,
        signer.as_ref(),
        &SignOptions {
            reason: Some(
                lang.pick(
                    "医療機関におけるサイバーセキュリティ対策チェックリストの点検結果",
                    "Cybersecurity checklist self-assessment result",
                )
                .to_string(),
            ),
            location: (!assessment.profile.address.is_empty())
                .then(|| assessment.profile.address.clone()),
            name: None,
            field_name: None,
            time: Some(now),
        },
    )?;
    Ok(SignedReport {
        pdf: signed,
        fingerprint: info.cert.fingerprint_sha256,
        signer: info.cert.subject,
        bundles: count,
    })
}

/// Replaces a placeholder key (made before the clinic's name was known) with one in `name`,
/// keeping the old certificate trusted; does nothing when there is no name, no key, or a key
/// that is not a placeholder. Returns whether it renewed.
pub fn renew_placeholder_key(
    keys: &KeyStore,
    data_dir: &Path,
    name: &str,
) -> Result<bool, WorkflowError> {
    if name.trim().is_empty() || !keys.exists() || !keys.is_placeholder() {
        return Ok(false);
    }
    let old = keys.certificate_der()?;
    crate::vendor::trust::add(data_dir, &old)?;
    keys.generate(name, true)?;
    Ok(true)
}

/// Verifies a report PDF or evidence bundle the way both faces do. With certificates given
/// (`--trust`), trust is checked against them only (an untrusted signer makes it invalid). With
/// none, the installation's own certificate and the ones trusted with `tenken key trust` are
/// consulted: a signer among them is shown as trusted; one that is not stays 未確認 (never made
/// invalid for it, so a clinic's report can be checked on any PC).
pub fn verify_for_installation(
    bytes: &[u8],
    detached_signature: Option<Vec<u8>>,
    trust: Vec<Vec<u8>>,
    data_dir: &Path,
) -> crate::sign::verify::VerifyReport {
    use crate::sign::verify::{VerifyOptions, verify_file_with};
    let explicit = !trust.is_empty();
    let mut report = verify_file_with(
        bytes,
        &VerifyOptions {
            trusted: trust,
            detached_signature: detached_signature.clone(),
        },
    );
    if explicit {
        return report;
    }
    let anchors = crate::vendor::trust::anchors(data_dir);
    if anchors.is_empty() {
        return report;
    }
    let with_anchors = verify_file_with(
        bytes,
        &VerifyOptions {
            trusted: anchors,
            detached_signature,
        },
    );
    for (s, t) in report.signatures.iter_mut().zip(&with_anchors.signatures) {
        if t.trusted == Some(true) && s.fingerprint_sha256 == t.fingerprint_sha256 {
            s.trusted = Some(true);
        }
    }
    report
}

/// A step of [`write_report_set`], for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    /// Rendering and signing the PDF.
    Signing,
    /// Writing the filled checklist as XLSX.
    Xlsx,
}

/// What [`write_report_set`] wrote.
#[derive(Debug, Clone)]
pub struct ReportSet {
    /// The signed report (bytes, signer, bundle count).
    pub signed: SignedReport,
    /// The report's record in the store's history.
    pub stored: crate::store::StoredReport,
    /// The XLSX written beside it, when asked for.
    pub xlsx: Option<PathBuf>,
}

/// Writes an assessment's report set, the one way both faces do it: the signed PDF at `pdf`
/// (atomically), its record in the store's history, then the filled checklist as XLSX at `xlsx`
/// when given (with the answers as stored at that moment). `on_step` hears each step.
#[allow(clippy::too_many_arguments)]
pub fn write_report_set(
    store: &mut Store,
    keys: &KeyStore,
    data_dir: &Path,
    assessment_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
    pdf: &Path,
    xlsx: Option<&Path>,
    on_step: &mut dyn FnMut(ReportStep),
) -> Result<ReportSet, WorkflowError> {
    on_step(ReportStep::Signing);
    let signed = signed_report(store, keys, data_dir, assessment_id, lang, now)?;
    write_file(pdf, &signed.pdf)?;
    let stored = store.add_report(Some(assessment_id), pdf)?;
    if let Some(xlsx) = xlsx {
        on_step(ReportStep::Xlsx);
        let current = store.get_assessment(assessment_id)?;
        let checklist = checklist::find(&current.checklist_id, Some(data_dir))?;
        report::xlsx::export_xlsx(&checklist, &[&current], lang, xlsx)?;
    }
    Ok(ReportSet {
        signed,
        stored,
        xlsx: xlsx.map(Path::to_path_buf),
    })
}

/// Writes `bytes` to `path` atomically (a half-written file never replaces a good one).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WorkflowError> {
    report::write_atomic(path, bytes).map_err(|source| WorkflowError::Io {
        path: path.to_path_buf(),
        source,
    })
}

impl tenken_base::Kinded for WorkflowError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            WorkflowError::Store(e) => e.kind(),
            WorkflowError::Checklist(e) => e.kind(),
            WorkflowError::Report(e) => e.kind(),
            WorkflowError::Sign(e) => e.kind(),
            WorkflowError::Ledger(e) => e.kind(),
            WorkflowError::Compare(e) => e.kind(),
            WorkflowError::Xlsx(e) => e.kind(),
            WorkflowError::NoChecklist | WorkflowError::NoAssessment => ErrorKind::NotFound,
            WorkflowError::Move(_) => ErrorKind::Conflict,
            WorkflowError::BadBundle(..) => ErrorKind::Damaged,
            WorkflowError::Io { source, .. } => ErrorKind::of_io(source),
        }
    }
}

#[cfg(test)]
mod merge_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::evidence::Verdict;
    use tenken_testkit::sample;

    #[test]
    fn network_findings_join_the_local_bundle_and_survive_a_new_local_scan() {
        let local = sample::bundles().remove(0);
        let local_ids: Vec<String> = local.findings.iter().map(|f| f.probe_id.clone()).collect();
        let mut net = local.clone();
        net.findings = vec![sample::finding(
            "net.gateway.admin",
            Verdict::Fail,
            &["2-11"],
            serde_json::json!({}),
        )];
        net.started_at = local.ended_at + chrono::Duration::minutes(5);
        net.ended_at = net.started_at + chrono::Duration::seconds(20);
        let merged = merge_host_bundle(Some(&local), net.clone());
        assert_eq!(merged.findings.len(), local.findings.len() + 1);
        assert_eq!(merged.started_at, local.started_at);
        assert_eq!(merged.ended_at, net.ended_at);
        let mut sorted = merged
            .findings
            .iter()
            .map(|f| f.probe_id.clone())
            .collect::<Vec<_>>();
        sorted.sort();
        assert_eq!(
            sorted,
            merged
                .findings
                .iter()
                .map(|f| f.probe_id.clone())
                .collect::<Vec<_>>()
        );

        // A new local scan replaces the local findings and keeps the network one.
        let mut again = local.clone();
        for f in &mut again.findings {
            f.verdict = Verdict::Pass;
        }
        let merged2 = merge_host_bundle(Some(&merged), again);
        assert!(
            merged2
                .findings
                .iter()
                .any(|f| f.probe_id == "net.gateway.admin" && f.verdict == Verdict::Fail)
        );
        for id in &local_ids {
            let f = merged2.findings.iter().find(|f| &f.probe_id == id).unwrap();
            assert_eq!(f.verdict, Verdict::Pass, "{id} must come from the new scan");
        }
        assert_eq!(merged2.findings.len(), merged.findings.len());
    }

    #[test]
    fn stored_merge_supersedes_the_previous_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let keys = KeyStore::open(dir.path());
        let cl = checklist::all(None).unwrap().into_iter().next().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let a = assessment_for_checklist(&mut store, dir.path(), today, &cl.id).unwrap();
        let local = sample::bundles().remove(0);
        keep_host_findings(&mut store, &keys, a.id, local.clone(), "テスト").unwrap();
        let mut net = local.clone();
        net.findings = vec![sample::finding(
            "net.gateway.admin",
            Verdict::Warn,
            &["2-11"],
            serde_json::json!({}),
        )];
        keep_host_findings(&mut store, &keys, a.id, net, "テスト").unwrap();
        let current = current_bundles(&store, a.id).unwrap();
        assert_eq!(current.len(), 1, "one current bundle per host");
        assert_eq!(current[0].0.findings.len(), local.findings.len() + 1);
    }
}
