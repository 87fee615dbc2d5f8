//! Vendor sheets (事業者確認用), per vendor of the clinic profile: status this fiscal year,
//! the request file (the same JSON `tenken vendor export-request` writes), a vendor's signed
//! answer file (verified against trusted certificates), and answers entered in the app. The
//! workflow itself is `tenken_core::vendor::sheet`.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};
use tenken_core::store::VendorStatus;
use tenken_core::vendor::sheet::{self, Progress, SheetError};
use tenken_core::vendor::{VendorError, trust, verify_answers};

use crate::dto::{AnswerDto, CmdResult, CommandError};
use crate::dto_vendor::{
    AnswerSourceDto, RequestWrittenDto, VendorImportDto, VendorOverviewDto, VendorProgressDto,
    VendorSheetDto, VendorStateDto,
};
use crate::state::AppState;
use crate::validate;

/// Largest answer file read (a real one is a few kilobytes).
const MAX_FILE: u64 = 4 * 1024 * 1024;

fn this_year() -> u16 {
    tenken_core::assessment::fiscal_year_of(crate::engine::today())
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn sheet_error(e: SheetError) -> CommandError {
    match e {
        SheetError::Vendor(VendorError::Malformed(_)) => CommandError::invalid(
            "事業者の回答ファイルとして読めません。受け取ったファイルか確認してください",
            "This is not a vendor answer file. Check that it is the file you received",
        ),
        SheetError::Vendor(VendorError::Tampered(_)) => CommandError::invalid(
            "署名の後に内容が書き換えられています（改ざんの可能性）。取り込みませんでした",
            "The answers were changed after they were signed (possible tampering). Nothing was imported",
        ),
        SheetError::Answer(_) => CommandError::invalid(
            "「いいえ」の場合は目標日を入れてください",
            "A No answer needs a target date",
        ),
        SheetError::NotOnSheet(item) => CommandError::invalid(
            format!("項目 {item} は事業者確認用シートにありません"),
            format!("Item {item} is not on the vendor sheet"),
        ),
        e => CommandError::of(e),
    }
}

/// Checks a vendor name from the UI: a sane name of one of the clinic profile's vendors.
pub fn vendor_name(state: &AppState, name: &str) -> CmdResult<()> {
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(CommandError::invalid(
            "事業者名が正しくありません",
            "Invalid vendor name",
        ));
    }
    let profile = state
        .store()?
        .get_profile()
        .map_err(CommandError::of)?
        .unwrap_or_default();
    if profile.vendors.iter().any(|v| v.name == name) {
        Ok(())
    } else {
        Err(CommandError::not_found(
            "医療機関情報の事業者一覧にない事業者です",
            "This vendor is not in the clinic profile",
        ))
    }
}

/// A file name for the request: the vendor's name without characters file systems refuse.
pub fn request_file_name(vendor: &str, fy: u16) -> String {
    let clean: String = vendor
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("回答依頼_{}_{fy}年度.json", clean.trim())
}

fn with_json_extension(path: &str) -> CmdResult<PathBuf> {
    if path.trim().is_empty() {
        return Err(CommandError::invalid(
            "保存先を選んでください",
            "Choose where to save",
        ));
    }
    let mut p = PathBuf::from(path);
    let is_json = p
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !is_json {
        let mut name = p.file_name().unwrap_or_default().to_os_string();
        name.push(".json");
        p.set_file_name(name);
    }
    Ok(p)
}

fn read_answer_file(path: &str) -> CmdResult<Vec<u8>> {
    if path.trim().is_empty() {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    let meta = std::fs::metadata(path).map_err(CommandError::of)?;
    if !meta.is_file() || meta.len() > MAX_FILE {
        return Err(CommandError::invalid(
            "事業者の回答ファイルを選んでください",
            "Choose the vendor's answer file",
        ));
    }
    std::fs::read(path).map_err(CommandError::of)
}

/// Every vendor of the profile and its sheet's state this fiscal year.
pub fn overview_in(state: &AppState) -> CmdResult<VendorOverviewDto> {
    let fy = this_year();
    let lists = crate::engine::checklists(state.dir())?;
    let store = state.store()?;
    let states = sheet::vendor_states(&store, &lists, fy).map_err(sheet_error)?;
    Ok(VendorOverviewDto {
        fiscal_year: fy,
        vendors: states
            .into_iter()
            .map(|s| VendorStateDto {
                request_file_name: request_file_name(&s.vendor, fy),
                name: s.vendor,
                contact: s.contact,
                systems: s.systems,
                in_profile: s.in_profile,
                progress: match s.progress {
                    Progress::NotRequested => VendorProgressDto::NotRequested,
                    Progress::Requested => VendorProgressDto::Requested,
                    Progress::Answered => VendorProgressDto::Answered,
                    Progress::NeedsReview => VendorProgressDto::NeedsReview,
                },
                source: match (s.status, &s.signer) {
                    (Some(VendorStatus::Signed), _) => AnswerSourceDto::SignedVerified,
                    (Some(VendorStatus::Answered), Some(_)) => AnswerSourceDto::SignedUnverified,
                    (Some(VendorStatus::Answered), None) => AnswerSourceDto::ByHand,
                    _ => AnswerSourceDto::None,
                },
                updated_on: s
                    .updated_at
                    .map(|t| t.with_timezone(&chrono::Local).date_naive().to_string()),
                signer: s.signer,
                rows: s.rows,
                answered: s.answered,
                no: s.no,
            })
            .collect(),
    })
}

/// Writes `vendor`'s request file for this fiscal year to `path` (`.json` added when missing)
/// and records the sheet as requested.
pub fn export_request_in(
    state: &AppState,
    vendor: &str,
    path: &str,
) -> CmdResult<RequestWrittenDto> {
    vendor_name(state, vendor)?;
    let out = with_json_extension(path)?;
    let lists = crate::engine::checklists(state.dir())?;
    let req = {
        let mut store = state.store()?;
        sheet::export_request(&mut store, &lists, vendor, this_year()).map_err(sheet_error)?
    };
    let bytes = serde_json::to_vec_pretty(&req).map_err(CommandError::internal)?;
    tenken_core::workflow::write_file(&out, &bytes).map_err(CommandError::of)?;
    Ok(RequestWrittenDto {
        path: out.display().to_string(),
        items: count(req.items.len()),
    })
}

/// Verifies and imports a vendor's signed answer file. An intact file signed by a certificate
/// not trusted yet is not stored: the result says `untrusted` with the signer and fingerprint.
/// With `trust_fingerprint`, the signer's certificate is trusted first — only if its
/// fingerprint is the one the person was shown.
pub fn import_in(
    state: &AppState,
    path: &str,
    trust_fingerprint: Option<&str>,
) -> CmdResult<VendorImportDto> {
    let bytes = read_answer_file(path)?;
    let dir = state.dir();
    if let Some(fp) = trust_fingerprint {
        let (v, _) = verify_answers(&bytes, &[], true).map_err(|e| sheet_error(e.into()))?;
        if !v.fingerprint.eq_ignore_ascii_case(fp.trim()) {
            return Err(CommandError::invalid(
                "証明書の指紋が表示したものと違います。信頼しませんでした",
                "The certificate's fingerprint differs from the one shown. It was not trusted",
            ));
        }
        trust::add(dir, &v.certificate).map_err(CommandError::of)?;
    }
    let imported = state.session()?.import_vendor_answers(&bytes, false);
    match imported {
        Ok(i) => Ok(VendorImportDto {
            outcome: "imported".into(),
            vendor: i.vendor,
            fiscal_year: i.fiscal_year,
            answers: count(i.answers),
            signer: i.signer,
            fingerprint: i.fingerprint,
        }),
        Err(SheetError::Vendor(VendorError::Untrusted { .. })) => {
            let (v, _) = verify_answers(&bytes, &[], true).map_err(|e| sheet_error(e.into()))?;
            Ok(VendorImportDto {
                outcome: "untrusted".into(),
                vendor: v.answers.vendor,
                fiscal_year: v.answers.fiscal_year,
                answers: count(v.answers.answers.len()),
                signer: v.signer,
                fingerprint: v.fingerprint,
            })
        }
        Err(e) => Err(sheet_error(e)),
    }
}

/// `vendor`'s sheet this fiscal year: its items and the answers stored so far.
pub fn sheet_in(state: &AppState, vendor: &str) -> CmdResult<VendorSheetDto> {
    vendor_name(state, vendor)?;
    let fy = this_year();
    let lists = crate::engine::checklists(state.dir())?;
    let store = state.store()?;
    let cl = sheet::sheet_checklist(&store, &lists, vendor, fy).map_err(sheet_error)?;
    let items = crate::commands::checklist::item_views(cl, sheet::SHEET);
    let answers = sheet::sheet_answers(&store, vendor, fy).map_err(sheet_error)?;
    Ok(VendorSheetDto {
        vendor: vendor.to_string(),
        fiscal_year: fy,
        checklist_id: cl.id.clone(),
        items,
        answers: answers
            .into_iter()
            .map(crate::commands::answers::to_dto)
            .collect(),
    })
}

/// Saves one answer of `vendor`'s sheet (validated; いいえ needs 目標日); returns it as stored.
pub fn save_answer_in(state: &AppState, vendor: &str, answer: AnswerDto) -> CmdResult<AnswerDto> {
    vendor_name(state, vendor)?;
    validate::answer(&answer)?;
    let answer = crate::commands::answers::from_dto(answer)?;
    let lists = crate::engine::checklists(state.dir())?;
    let mut store = state.store()?;
    let e = sheet::enter_answer(&mut store, &lists, vendor, this_year(), answer)
        .map_err(sheet_error)?;
    Ok(crate::commands::answers::to_dto(e.answer))
}

async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    tokio::task::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(CommandError::internal)?
}

/// Every vendor of the profile and its sheet's state this fiscal year.
#[tauri::command]
pub async fn vendor_overview(app: AppHandle) -> CmdResult<VendorOverviewDto> {
    blocking(app, overview_in).await
}

/// Writes `vendor`'s request file to `path` (JSON, as `tenken vendor export-request`).
#[tauri::command]
pub async fn export_vendor_request(
    app: AppHandle,
    vendor: String,
    path: String,
) -> CmdResult<RequestWrittenDto> {
    // Written only where the person chose in the save dialog.
    crate::paths::chosen(&app, &path)?;
    blocking(app, move |s| export_request_in(s, &vendor, &path)).await
}

/// Verifies and imports a vendor's signed answer file (untrusted signers are reported, not
/// stored).
#[tauri::command]
pub async fn import_vendor_answers(app: AppHandle, path: String) -> CmdResult<VendorImportDto> {
    crate::paths::chosen(&app, &path)?;
    blocking(app, move |s| import_in(s, &path, None)).await
}

/// Trusts the signer of `path` (only when its fingerprint is `fingerprint`, the one shown to
/// the person) and imports the file.
#[tauri::command]
pub async fn trust_vendor_and_import(
    app: AppHandle,
    path: String,
    fingerprint: String,
) -> CmdResult<VendorImportDto> {
    let ok = !fingerprint.is_empty()
        && fingerprint.len() <= 200
        && fingerprint
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':');
    if !ok {
        return Err(CommandError::invalid(
            "証明書の指紋が正しくありません",
            "Invalid certificate fingerprint",
        ));
    }
    crate::paths::chosen(&app, &path)?;
    blocking(app, move |s| import_in(s, &path, Some(&fingerprint))).await
}

/// `vendor`'s sheet this fiscal year for entering answers in the app.
#[tauri::command]
pub async fn get_vendor_sheet(app: AppHandle, vendor: String) -> CmdResult<VendorSheetDto> {
    blocking(app, move |s| sheet_in(s, &vendor)).await
}

/// Saves one answer of `vendor`'s sheet immediately.
#[tauri::command]
pub async fn save_vendor_answer(
    app: AppHandle,
    vendor: String,
    answer: AnswerDto,
) -> CmdResult<AnswerDto> {
    blocking(app, move |s| save_answer_in(s, &vendor, answer)).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dto::{AnswerValueDto, ScopeDto};
    use tenken_core::assessment::{Answer, AnswerValue, ClinicProfile, Vendor};
    use tenken_core::sign::keystore::generate_self_signed;
    use tenken_core::vendor::{Request, VendorAnswers, sign_answers};

    fn state_with_vendors(dir: &std::path::Path) -> AppState {
        let state = AppState::open(dir).unwrap();
        state
            .store()
            .unwrap()
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
        state
    }

    fn dto(item: &str, value: AnswerValueDto, target: Option<&str>) -> AnswerDto {
        AnswerDto {
            item_id: item.into(),
            scope: ScopeDto::General,
            value,
            checked_on: Some("2026-06-01".into()),
            target_date: target.map(Into::into),
            note: "一緒に確認".into(),
            responsible: String::new(),
            attachments: Vec::new(),
            updated_at: None,
        }
    }

    #[test]
    fn request_signed_answer_import_then_answered() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_with_vendors(&dir.path().join("data"));
        let o = overview_in(&state).unwrap();
        assert_eq!(o.vendors.len(), 2);
        assert_eq!(o.vendors[0].name, "ABCメディカル");
        assert_eq!(o.vendors[0].systems, ["電子カルテ"]);
        assert!(
            o.vendors
                .iter()
                .all(|v| v.progress == VendorProgressDto::NotRequested)
        );

        // The request: written as JSON (extension added), same format as the CLI's.
        let out = dir.path().join("依頼");
        let w = export_request_in(&state, "ABCメディカル", out.to_str().unwrap()).unwrap();
        assert!(w.path.ends_with("依頼.json"));
        let req: Request = serde_json::from_slice(&std::fs::read(&w.path).unwrap()).unwrap();
        assert_eq!(req.format, tenken_core::vendor::REQUEST_FORMAT);
        assert_eq!(
            (req.vendor.as_str(), req.clinic.as_str()),
            ("ABCメディカル", "さくら内科")
        );
        assert_eq!(w.items as usize, req.items.len());
        assert!(req.items.iter().all(|i| i.id.starts_with("vendor-")));
        let o = overview_in(&state).unwrap();
        assert_eq!(o.vendors[0].progress, VendorProgressDto::Requested);
        assert!(o.vendors[0].updated_on.is_some());
        assert_eq!(o.vendors[1].progress, VendorProgressDto::NotRequested);

        // The vendor answers every row はい and signs with its own (test) key.
        let lists = tenken_core::checklist::builtin().unwrap();
        let cl = lists.iter().find(|c| c.id == req.checklist_id).unwrap();
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
                        .map(|s| Answer::new(i.id.clone(), s, AnswerValue::Yes))
                })
                .collect(),
        };
        let file = dir.path().join("answers.signed.json");
        std::fs::write(&file, sign_answers(&va, &key).unwrap()).unwrap();
        let path = file.to_str().unwrap();

        // Untrusted: reported with the fingerprint, nothing stored.
        let r = import_in(&state, path, None).unwrap();
        assert_eq!(r.outcome, "untrusted");
        assert_eq!(r.signer, "ABC Medical KK");
        assert_eq!(overview_in(&state).unwrap().vendors[0].answered, 0);
        // A different fingerprint than the one shown is refused and trusts nothing.
        let wrong = "00:".repeat(31) + "00";
        assert!(import_in(&state, path, Some(&wrong)).is_err());
        assert_eq!(import_in(&state, path, None).unwrap().outcome, "untrusted");

        // Trusted after the person compared the fingerprint: imported, 回答済み, verified.
        let r = import_in(&state, path, Some(&r.fingerprint)).unwrap();
        assert_eq!(r.outcome, "imported");
        let v = &overview_in(&state).unwrap().vendors[0];
        assert_eq!(v.progress, VendorProgressDto::Answered);
        assert_eq!(v.source, AnswerSourceDto::SignedVerified);
        assert_eq!(v.signer.as_deref(), Some("ABC Medical KK"));
        assert_eq!(v.answered, v.rows);

        // Tampered copy: refused.
        let bad = dir.path().join("bad.json");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&bad, text.replacen("\"yes\"", "\"no\"", 1)).unwrap();
        let e = import_in(&state, bad.to_str().unwrap(), None).unwrap_err();
        assert!(e.ja.contains("改ざん"), "{e:?}");
    }

    #[test]
    fn hand_entry_is_saved_and_sets_status() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_with_vendors(dir.path());
        let s = sheet_in(&state, "XYZ保守").unwrap();
        assert!(!s.items.is_empty());
        assert!(s.items.iter().all(|i| i.id.starts_with("vendor-")));
        assert!(s.answers.is_empty());
        let first = s.items[0].id.clone();

        // いいえ needs 目標日; nothing stored.
        let e = save_answer_in(&state, "XYZ保守", dto(&first, AnswerValueDto::No, None));
        assert_eq!(e.unwrap_err().code, "invalid_input");
        assert!(sheet_in(&state, "XYZ保守").unwrap().answers.is_empty());
        // Items of the clinic sheet and unknown vendors are refused.
        assert!(save_answer_in(&state, "XYZ保守", dto("1-1", AnswerValueDto::Yes, None)).is_err());
        assert_eq!(
            save_answer_in(
                &state,
                "知らない会社",
                dto(&first, AnswerValueDto::Yes, None)
            )
            .unwrap_err()
            .code,
            "not_found"
        );

        let saved = save_answer_in(
            &state,
            "XYZ保守",
            dto(&first, AnswerValueDto::No, Some("2027-03-31")),
        )
        .unwrap();
        assert_eq!(saved.target_date.as_deref(), Some("2027-03-31"));
        assert_eq!(saved.note, "一緒に確認");
        let s = sheet_in(&state, "XYZ保守").unwrap();
        assert_eq!(s.answers.len(), 1);
        let v = overview_in(&state)
            .unwrap()
            .vendors
            .into_iter()
            .find(|v| v.name == "XYZ保守")
            .unwrap();
        assert_eq!(v.progress, VendorProgressDto::NeedsReview);
        assert_eq!(v.source, AnswerSourceDto::ByHand);
        assert_eq!((v.answered, v.no), (1, 1));
    }

    #[test]
    fn names_and_paths_are_checked() {
        assert_eq!(
            request_file_name("A/B:社", 2026),
            "回答依頼_A_B_社_2026年度.json"
        );
        assert!(with_json_extension("").is_err());
        assert_eq!(
            with_json_extension("/tmp/a.JSON").unwrap(),
            PathBuf::from("/tmp/a.JSON")
        );
        let dir = tempfile::tempdir().unwrap();
        let state = state_with_vendors(dir.path());
        assert!(vendor_name(&state, "").is_err());
        assert!(vendor_name(&state, "ABC\nメディカル").is_err());
        vendor_name(&state, "ABCメディカル").unwrap();
        assert!(import_in(&state, "", None).is_err());
        assert!(import_in(&state, dir.path().to_str().unwrap(), None).is_err());
    }
}
