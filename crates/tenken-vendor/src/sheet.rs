//! The clinic's side of vendor sheets, shared by the CLI (`tenken vendor`) and the app: the
//! checklist a year's vendor sheet uses, the per-vendor assessment (sheet `vendor`), writing a
//! request, importing a signed answer set, entering answers by hand, and the status of every
//! vendor of the clinic profile for a fiscal year.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Request, VendorError, verify_answers};
use tenken_assessment::{Answer, AnswerValue, Assessor, Sheet};
use tenken_checklist::Checklist;
use tenken_store::{NewAssessment, Store, StoreError, VendorStatus};

/// The vendor sheet (事業者確認用).
pub const SHEET: Sheet = Sheet::Vendor;

/// Errors of the vendor sheet workflow.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// Store error.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Signature or file format problem.
    #[error(transparent)]
    Vendor(#[from] VendorError),
    /// No checklist with a vendor sheet (or the one named is unknown).
    #[error(
        "事業者確認用シートのあるチェックリストが見つかりません (no checklist with a vendor sheet): {0}"
    )]
    NoChecklist(String),
    /// An answer names an item that is not on the vendor sheet.
    #[error("項目 {0} は事業者確認用シートにありません (item not on the vendor sheet)")]
    NotOnSheet(String),
    /// An answer breaks a rule (いいえ without 目標日).
    #[error("{0}")]
    Answer(String),
}

fn has_sheet(c: &Checklist) -> bool {
    c.sheets.iter().any(|s| s.id == SHEET.as_str())
}

/// The checklist of fiscal year `fy`'s vendor sheets: the one of the year's clinic assessment
/// when it has a vendor sheet, otherwise the newest checklist that has one.
pub fn year_checklist<'a>(
    store: &Store,
    lists: &'a [Checklist],
    fy: u16,
) -> Result<&'a Checklist, SheetError> {
    let clinic = store
        .own_assessment(fy)?
        .and_then(|a| lists.iter().find(|c| c.id == a.checklist_id))
        .filter(|c| has_sheet(c));
    clinic
        .or_else(|| {
            lists
                .iter()
                .filter(|c| has_sheet(c))
                .max_by_key(|c| c.fiscal_year)
        })
        .ok_or_else(|| SheetError::NoChecklist(format!("{fy}")))
}

/// The vendor's assessment (sheet `vendor`) of fiscal year `fy`, created on first use (the
/// sheet is then recorded as 依頼済み).
pub fn vendor_assessment(
    store: &mut Store,
    vendor: &str,
    fy: u16,
    checklist: &Checklist,
) -> Result<i64, SheetError> {
    if let Some(id) = store
        .vendor_sheets(Some(fy))?
        .into_iter()
        .find(|s| s.vendor == vendor)
        .and_then(|s| s.assessment_id)
    {
        return Ok(id);
    }
    let profile = store.get_profile()?.unwrap_or_default();
    let id = store.create_assessment(
        checklist,
        &NewAssessment {
            fiscal_year: fy,
            checklist_id: checklist.id.clone(),
            sheet: SHEET,
            profile,
            assessor: Assessor {
                name: String::new(),
                company: Some(vendor.to_string()),
            },
        },
    )?;
    store.set_vendor_sheet(vendor, fy, Some(id), VendorStatus::Requested, None, None)?;
    Ok(id)
}

/// True when `vendor` is one of the clinic profile's vendors (or the profile lists none).
pub fn known_vendor(store: &Store, vendor: &str) -> Result<bool, SheetError> {
    let profile = store.get_profile()?.unwrap_or_default();
    Ok(profile.vendors.is_empty() || profile.vendors.iter().any(|v| v.name == vendor))
}

/// Builds the request for `vendor` in fiscal year `fy` and records the sheet as requested
/// (the caller writes the request as pretty JSON, the format `tenken vendor export-request`
/// writes).
pub fn export_request(
    store: &mut Store,
    lists: &[Checklist],
    vendor: &str,
    fy: u16,
) -> Result<Request, SheetError> {
    let cl = year_checklist(store, lists, fy)?;
    vendor_assessment(store, vendor, fy, cl)?;
    let clinic = store.get_profile()?.map(|p| p.name).unwrap_or_default();
    Ok(super::request(cl, &clinic, vendor, fy))
}

/// Outcome of importing a vendor's signed answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// Vendor name (from the answers).
    pub vendor: String,
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Number of answers stored.
    pub answers: usize,
    /// Status recorded (`Signed` when the signer is trusted).
    pub status: VendorStatus,
    /// Signer's name.
    pub signer: String,
    /// Signer's certificate fingerprint.
    pub fingerprint: String,
    /// Whether the signer is trusted.
    pub trusted: bool,
}

/// Verifies a signed answer set against `anchors` and stores it as the vendor's sheet.
/// Tampered files are refused; an untrusted signer is refused unless `accept_untrusted`
/// (then stored as 回答あり, not 署名付き). Nothing is stored when verification fails.
pub fn import_answers(
    store: &mut Store,
    lists: &[Checklist],
    bytes: &[u8],
    anchors: &[Vec<u8>],
    accept_untrusted: bool,
) -> Result<Imported, SheetError> {
    let (v, trusted) = verify_answers(bytes, anchors, accept_untrusted)?;
    let cl = lists
        .iter()
        .find(|c| c.id == v.answers.checklist_id)
        .ok_or_else(|| SheetError::NoChecklist(v.answers.checklist_id.clone()))?;
    for a in &v.answers.answers {
        if !cl.sheet_items(SHEET).any(|i| i.id == a.item_id) {
            return Err(SheetError::NotOnSheet(a.item_id.clone()));
        }
        a.validate()
            .map_err(|e| SheetError::Answer(e.to_string()))?;
    }
    let fy = v.answers.fiscal_year;
    let aid = vendor_assessment(store, &v.answers.vendor, fy, cl)?;
    store.set_answers(aid, cl, &v.answers.answers)?;
    let status = if trusted {
        VendorStatus::Signed
    } else {
        VendorStatus::Answered
    };
    store.set_vendor_sheet(
        &v.answers.vendor,
        fy,
        Some(aid),
        status,
        Some(&v.signer),
        Some(&v.signature),
    )?;
    Ok(Imported {
        vendor: v.answers.vendor,
        fiscal_year: fy,
        answers: v.answers.answers.len(),
        status,
        signer: v.signer,
        fingerprint: v.fingerprint,
        trusted,
    })
}

/// An answer entered by hand for a vendor (from the returned paper, or together with the
/// vendor), stored immediately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entered {
    /// The answer as stored.
    pub answer: Answer,
    /// True when the sheet had been signed by the vendor before: a hand-entered answer is not
    /// covered by that signature, so the sheet is now 回答あり.
    pub was_signed: bool,
}

/// Stores one answer of `vendor`'s sheet in fiscal year `fy` (the item must be on the vendor
/// sheet; いいえ needs a 目標日) and records the sheet as answered.
pub fn enter_answer(
    store: &mut Store,
    lists: &[Checklist],
    vendor: &str,
    fy: u16,
    answer: Answer,
) -> Result<Entered, SheetError> {
    let cl = sheet_checklist(store, lists, vendor, fy)?;
    if !cl.sheet_items(SHEET).any(|i| i.id == answer.item_id) {
        return Err(SheetError::NotOnSheet(answer.item_id));
    }
    answer
        .validate()
        .map_err(|e| SheetError::Answer(e.to_string()))?;
    let aid = vendor_assessment(store, vendor, fy, cl)?;
    let stored = store.set_answer(aid, cl, answer)?;
    let was_signed = store
        .vendor_sheets(Some(fy))?
        .iter()
        .any(|s| s.vendor == vendor && s.status == VendorStatus::Signed);
    store.set_vendor_sheet(vendor, fy, Some(aid), VendorStatus::Answered, None, None)?;
    Ok(Entered {
        answer: stored,
        was_signed,
    })
}

/// The checklist of `vendor`'s sheet in `fy`: the one its assessment uses, or the year's.
pub fn sheet_checklist<'a>(
    store: &Store,
    lists: &'a [Checklist],
    vendor: &str,
    fy: u16,
) -> Result<&'a Checklist, SheetError> {
    let existing = store
        .vendor_sheets(Some(fy))?
        .into_iter()
        .find(|s| s.vendor == vendor)
        .and_then(|s| s.assessment_id);
    if let Some(id) = existing {
        let a = store.get_assessment(id)?;
        return lists
            .iter()
            .find(|c| c.id == a.checklist_id)
            .ok_or(SheetError::NoChecklist(a.checklist_id));
    }
    year_checklist(store, lists, fy)
}

/// The answers stored for `vendor`'s sheet in `fy` (empty when none yet).
pub fn sheet_answers(store: &Store, vendor: &str, fy: u16) -> Result<Vec<Answer>, SheetError> {
    let id = store
        .vendor_sheets(Some(fy))?
        .into_iter()
        .find(|s| s.vendor == vendor)
        .and_then(|s| s.assessment_id);
    Ok(match id {
        Some(id) => store.answers(id)?,
        None => Vec::new(),
    })
}

/// Where a vendor's sheet stands for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// 未依頼: no request written and nothing entered.
    NotRequested,
    /// 依頼済み: request written, no answers yet.
    Requested,
    /// 回答済み: every row answered, none いいえ.
    Answered,
    /// 要確認: answered, but rows are unanswered or いいえ.
    NeedsReview,
}

impl Progress {
    /// Label for people (未依頼 / 依頼済み / 回答済み / 要確認).
    pub fn label(self, lang: tenken_base::Lang) -> &'static str {
        match self {
            Progress::NotRequested => lang.pick("未依頼", "not requested"),
            Progress::Requested => lang.pick("依頼済み", "requested"),
            Progress::Answered => lang.pick("回答済み", "answered"),
            Progress::NeedsReview => lang.pick("要確認", "needs review"),
        }
    }
}

/// A vendor and the state of its sheet in one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorState {
    /// Vendor name.
    pub vendor: String,
    /// Contact (from the profile).
    pub contact: String,
    /// Systems the vendor provides or maintains (from the profile).
    pub systems: Vec<String>,
    /// False for a sheet of a vendor no longer in the profile.
    pub in_profile: bool,
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Where the sheet stands.
    pub progress: Progress,
    /// The stored status, when a sheet exists.
    pub status: Option<VendorStatus>,
    /// When the sheet last changed (request written, answers entered or imported).
    pub updated_at: Option<DateTime<Utc>>,
    /// Signer of imported answers (signed files only).
    pub signer: Option<String>,
    /// Rows of the vendor sheet (items x scope rows).
    pub rows: u32,
    /// Rows answered (はい, いいえ or 該当なし).
    pub answered: u32,
    /// Rows answered いいえ.
    pub no: u32,
}

fn n(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// Every vendor of the clinic profile (then any other vendor with a sheet) with the state of
/// its sheet in fiscal year `fy`.
pub fn vendor_states(
    store: &Store,
    lists: &[Checklist],
    fy: u16,
) -> Result<Vec<VendorState>, SheetError> {
    let profile = store.get_profile()?.unwrap_or_default();
    let sheets = store.vendor_sheets(Some(fy))?;
    let mut names: Vec<(String, String, Vec<String>, bool)> = profile
        .vendors
        .iter()
        .map(|v| (v.name.clone(), v.contact.clone(), v.systems.clone(), true))
        .collect();
    for s in &sheets {
        if !names.iter().any(|(n, ..)| *n == s.vendor) {
            names.push((s.vendor.clone(), String::new(), Vec::new(), false));
        }
    }
    let mut out = Vec::new();
    for (vendor, contact, systems, in_profile) in names {
        let sheet = sheets.iter().find(|s| s.vendor == vendor);
        let (rows, answered, no) = match sheet.and_then(|s| s.assessment_id) {
            Some(id) => {
                let a = store.get_assessment(id)?;
                let keys: Vec<(String, tenken_checklist::Scope)> = lists
                    .iter()
                    .find(|c| c.id == a.checklist_id)
                    .map(|c| {
                        c.sheet_items(SHEET)
                            .flat_map(|i| i.answer_scopes().into_iter().map(|s| (i.id.clone(), s)))
                            .collect()
                    })
                    .unwrap_or_default();
                let value = |(id, scope): &(String, tenken_checklist::Scope)| {
                    a.answers
                        .iter()
                        .find(|x| x.item_id == *id && x.scope == *scope)
                        .map_or(AnswerValue::Unanswered, |x| x.value)
                };
                (
                    n(keys.len()),
                    n(keys
                        .iter()
                        .filter(|k| value(k) != AnswerValue::Unanswered)
                        .count()),
                    n(keys.iter().filter(|k| value(k) == AnswerValue::No).count()),
                )
            }
            None => {
                let rows = year_checklist(store, lists, fy)
                    .map(|c| c.sheet_items(SHEET).map(|i| i.answer_scopes().len()).sum())
                    .unwrap_or(0);
                (n(rows), 0, 0)
            }
        };
        let progress = match sheet.map(|s| s.status) {
            None => Progress::NotRequested,
            Some(VendorStatus::Requested) if answered == 0 => Progress::Requested,
            Some(_) if answered < rows || no > 0 => Progress::NeedsReview,
            Some(_) => Progress::Answered,
        };
        out.push(VendorState {
            vendor,
            contact,
            systems,
            in_profile,
            fiscal_year: fy,
            progress,
            status: sheet.map(|s| s.status),
            updated_at: sheet.map(|s| s.updated_at),
            signer: sheet.and_then(|s| s.signer.clone()),
            rows,
            answered,
            no,
        });
    }
    Ok(out)
}

impl tenken_base::Kinded for SheetError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            SheetError::Store(e) => e.kind(),
            SheetError::Vendor(e) => e.kind(),
            SheetError::NoChecklist(_) | SheetError::NotOnSheet(_) => ErrorKind::NotFound,
            SheetError::Answer(_) => ErrorKind::InvalidInput,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::{VendorAnswers, sign_answers};
    use tenken_assessment::{ClinicProfile, Vendor};
    use tenken_checklist::Scope;
    use tenken_sign::Signer;
    use tenken_sign::keystore::generate_self_signed;

    fn ans(item: &str, value: AnswerValue, target: Option<&str>) -> Answer {
        Answer {
            target_date: target.map(|t| t.parse().unwrap()),
            ..Answer::new(item, Scope::General, value)
        }
    }

    fn store_with_vendors(dir: &std::path::Path) -> Store {
        let mut store = Store::open(&dir.join("t.sqlite3")).unwrap();
        store
            .set_profile(&ClinicProfile {
                name: "さくら内科".into(),
                vendors: vec![
                    Vendor {
                        name: "ABCメディカル".into(),
                        contact: "03-1234-5678".into(),
                        systems: vec!["電子カルテ".into()],
                    },
                    Vendor {
                        name: "XYZ保守".into(),
                        contact: String::new(),
                        systems: Vec::new(),
                    },
                ],
                ..Default::default()
            })
            .unwrap();
        store
    }

    #[test]
    fn request_signed_answers_import_and_status() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_vendors(dir.path());
        let lists = tenken_checklist::builtin().unwrap();
        let states = vendor_states(&store, &lists, 2025).unwrap();
        assert_eq!(states.len(), 2);
        assert!(states.iter().all(|s| s.progress == Progress::NotRequested));
        assert!(states[0].rows > 0);

        let req = export_request(&mut store, &lists, "ABCメディカル", 2025).unwrap();
        assert_eq!(req.clinic, "さくら内科");
        let cl = lists.iter().find(|c| c.id == req.checklist_id).unwrap();
        assert_eq!(req.items.len(), cl.sheet_items(SHEET).count());
        let st = vendor_states(&store, &lists, 2025).unwrap();
        assert_eq!(st[0].progress, Progress::Requested);
        assert_eq!(st[1].progress, Progress::NotRequested);

        // The vendor answers every item はい and signs with its own key.
        let key = generate_self_signed("ABC Medical KK").unwrap();
        let va = VendorAnswers {
            clinic: req.clinic.clone(),
            vendor: req.vendor.clone(),
            fiscal_year: req.fiscal_year,
            checklist_id: req.checklist_id.clone(),
            answers: req
                .items
                .iter()
                .flat_map(|i| {
                    cl.item(&i.id)
                        .unwrap()
                        .answer_scopes()
                        .into_iter()
                        .map(|s| Answer {
                            scope: s,
                            ..ans(&i.id, AnswerValue::Yes, None)
                        })
                })
                .collect(),
        };
        let signed = sign_answers(&va, &key).unwrap();

        // Not trusted yet: refused, nothing stored.
        let err = import_answers(&mut store, &lists, &signed, &[], false).unwrap_err();
        assert!(matches!(
            err,
            SheetError::Vendor(VendorError::Untrusted { .. })
        ));
        assert!(
            sheet_answers(&store, "ABCメディカル", 2025)
                .unwrap()
                .is_empty()
        );
        // Tampered: refused even with the signer trusted.
        let anchors = vec![key.certificate_der().to_vec()];
        let text = String::from_utf8(signed.clone()).unwrap();
        let bad = text.replacen("\"yes\"", "\"no\"", 1);
        assert!(matches!(
            import_answers(&mut store, &lists, bad.as_bytes(), &anchors, false),
            Err(SheetError::Vendor(VendorError::Tampered(_)))
        ));

        let imp = import_answers(&mut store, &lists, &signed, &anchors, false).unwrap();
        assert!(imp.trusted);
        assert_eq!(imp.status, VendorStatus::Signed);
        assert_eq!(imp.signer, "ABC Medical KK");
        let st = vendor_states(&store, &lists, 2025).unwrap();
        assert_eq!(st[0].progress, Progress::Answered);
        assert_eq!(st[0].status, Some(VendorStatus::Signed));
        assert_eq!(st[0].answered, st[0].rows);
        assert_eq!(st[0].signer.as_deref(), Some("ABC Medical KK"));

        // A hand change afterwards is not covered by the signature; いいえ → 要確認.
        assert!(matches!(
            enter_answer(
                &mut store,
                &lists,
                "ABCメディカル",
                2025,
                ans("vendor-2-1", AnswerValue::No, None)
            ),
            Err(SheetError::Answer(_))
        ));
        let e = enter_answer(
            &mut store,
            &lists,
            "ABCメディカル",
            2025,
            ans("vendor-2-1", AnswerValue::No, Some("2026-03-31")),
        )
        .unwrap();
        assert!(e.was_signed);
        let st = vendor_states(&store, &lists, 2025).unwrap();
        assert_eq!(st[0].progress, Progress::NeedsReview);
        assert_eq!(st[0].status, Some(VendorStatus::Answered));
        assert_eq!(st[0].no, 1);
    }

    #[test]
    fn hand_entry_without_request() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_vendors(dir.path());
        let lists = tenken_checklist::builtin().unwrap();
        assert!(matches!(
            enter_answer(
                &mut store,
                &lists,
                "XYZ保守",
                2025,
                ans("1-1", AnswerValue::Yes, None)
            ),
            Err(SheetError::NotOnSheet(_))
        ));
        let e = enter_answer(
            &mut store,
            &lists,
            "XYZ保守",
            2025,
            ans("vendor-1-1", AnswerValue::Yes, None),
        )
        .unwrap();
        assert!(!e.was_signed);
        let st = vendor_states(&store, &lists, 2025).unwrap();
        let xyz = st.iter().find(|s| s.vendor == "XYZ保守").unwrap();
        assert_eq!(xyz.status, Some(VendorStatus::Answered));
        assert_eq!(xyz.answered, 1);
        assert_eq!(xyz.progress, Progress::NeedsReview, "other rows still open");
        assert_eq!(sheet_answers(&store, "XYZ保守", 2025).unwrap().len(), 1);
    }
}
