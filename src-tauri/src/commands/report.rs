//! Signed PDF + XLSX report written into the report folder (no dialog), the list of written
//! reports (open, open folder, verify), and verification of a report or bundle file.
//!
//! Why this file is over 600 lines: the report screen's commands (folder, writing, the list,
//! opening, verification, printing) with about 180 lines of tests.
//!
//! The page never gets a generic opener: `open_report` / `open_report_folder` only accept the id
//! of a report the store knows and open that report's own path.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Emitter, Manager};
use tenken_core::Lang;
use tenken_core::store::StoredReport;
use tenken_core::workflow::ReportStep;
use tenken_core::{ReportFiles, Which};

use crate::commands::scan::PROGRESS_EVENT;
use crate::dto::{CmdResult, CommandError, ProgressEvent, TextDto};
use crate::dto_report::{
    ReadinessDto, ReportEntry, ReportFolder, VerifyResultDto, VerifyStatusDto,
};
use crate::state::AppState;
use crate::validate;

/// Environment variable that overrides the DEFAULT report folder (tests; portable installs).
pub const REPORT_DIR_ENV: &str = "TENKEN_REPORT_DIR";
/// Environment variable naming the program that opens files and folders (tests); default: the
/// system's (`xdg-open`, `open`, `explorer`).
pub const OPENER_ENV: &str = "TENKEN_OPENER";
/// Largest file accepted for verification (bytes).
const MAX_VERIFY_BYTES: u64 = 512 * 1024 * 1024;

/// The language chosen in the settings.
pub fn lang(state: &AppState) -> Lang {
    match state.read(|d| d.settings.lang.clone()).as_deref() {
        Ok("en") => Lang::En,
        _ => Lang::Ja,
    }
}

/// The report folder: the chosen one, else `$TENKEN_REPORT_DIR`, else `Tenken` in the first
/// folder a person sees that the OS names (Documents, then Desktop, then the home folder), and
/// only when the OS names none of them `<data dir>/reports`. Returns the folder and whether it is
/// the default.
pub fn resolve_folder(
    chosen: Option<&str>,
    env_default: Option<PathBuf>,
    visible: &[Option<PathBuf>],
    data_dir: &Path,
) -> (PathBuf, bool) {
    if let Some(c) = chosen.filter(|c| !c.is_empty()) {
        return (PathBuf::from(c), false);
    }
    let dir = env_default
        .filter(|p| p.is_absolute())
        .or_else(|| visible.iter().flatten().next().map(|d| d.join("Tenken")))
        .unwrap_or_else(|| data_dir.join("reports"));
    (dir, true)
}

/// The report folder now in use.
pub fn current_folder(app: &AppHandle, state: &AppState) -> CmdResult<PathBuf> {
    Ok(PathBuf::from(folder_of(app, state)?.dir))
}

fn folder_of(app: &AppHandle, state: &AppState) -> CmdResult<ReportFolder> {
    let chosen = state.read(|d| d.report_dir.clone())?;
    let env_default = std::env::var_os(REPORT_DIR_ENV).map(PathBuf::from);
    let visible = [
        app.path().document_dir().ok(),
        app.path().desktop_dir().ok(),
        app.path().home_dir().ok(),
    ];
    let (dir, is_default) = resolve_folder(chosen.as_deref(), env_default, &visible, state.dir());
    Ok(ReportFolder {
        dir: dir.display().to_string(),
        is_default,
    })
}

/// The folder reports are written into.
#[tauri::command]
pub async fn report_folder(app: tauri::AppHandle) -> CmdResult<ReportFolder> {
    crate::engine::off_main(app, folder_of).await
}

/// Validates a folder chosen by the user: absolute, an existing directory, sane length.
pub fn chosen_folder(path: &str) -> CmdResult<PathBuf> {
    let p = PathBuf::from(path);
    if path.chars().count() > 1024 || path.chars().any(char::is_control) || !p.is_absolute() {
        return Err(CommandError::invalid(
            "保存先のフォルダの指定が正しくありません",
            "The folder path is not valid",
        ));
    }
    if !p.is_dir() {
        return Err(CommandError::invalid(
            "保存先のフォルダが見つかりません",
            "The folder to save into does not exist",
        ));
    }
    Ok(p)
}

/// Sets the report folder (`None` goes back to the default).
#[tauri::command]
pub async fn set_report_folder(
    app: tauri::AppHandle,
    path: Option<String>,
) -> CmdResult<ReportFolder> {
    crate::engine::off_main(app, move |app, state| {
        let chosen = match path.as_deref() {
            None | Some("") => None,
            Some(p) => {
                // Only a folder the person picked in the dialog.
                crate::paths::chosen(app, p)?;
                Some(chosen_folder(p)?.display().to_string())
            }
        };
        state.update(|d| {
            d.report_dir = chosen;
            Ok(())
        })?;
        folder_of(app, state)
    })
    .await
}

/// The list entry of a stored report.
pub fn entry(r: &StoredReport, fiscal_year: Option<u16>) -> ReportEntry {
    let path = PathBuf::from(&r.path);
    let xlsx = ReportFiles::xlsx_beside(&path).filter(|x| x.is_file());
    ReportEntry {
        id: r.id,
        created_at: r.created_at.to_rfc3339(),
        fiscal_year,
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        folder: path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        exists: path.is_file(),
        sha256: r.sha256.clone(),
        xlsx: xlsx.map(|x| x.display().to_string()),
        path: r.path.clone(),
    }
}

/// Every written report, newest first.
pub fn entries(state: &AppState) -> CmdResult<Vec<ReportEntry>> {
    let store = state.store()?;
    let mut out: Vec<ReportEntry> = store
        .reports()
        .map_err(CommandError::of)?
        .iter()
        .map(|r| {
            let year = r
                .assessment_id
                .and_then(|id| store.get_assessment(id).ok())
                .map(|a| a.fiscal_year);
            entry(r, year)
        })
        .collect();
    out.reverse();
    Ok(out)
}

/// One step of report writing, for the progress line.
fn step(app: Option<&AppHandle>, task: &str, id: &str, done: u32, ja: &str, en: &str) {
    if let Some(app) = app {
        // A closed window must not fail the report: the event is only a progress hint.
        let _ = app.emit(
            PROGRESS_EVENT,
            ProgressEvent {
                task: task.to_string(),
                step: id.to_string(),
                state: if done == 4 { "done" } else { "running" }.into(),
                done,
                total: 4,
                message: TextDto {
                    ja: ja.into(),
                    en: en.into(),
                },
            },
        );
    }
}

/// Writes the signed PDF (and the XLSX checklist) of this fiscal year's assessment for
/// `checklist_id` into `dir` (created when missing), records the report in the store and returns
/// its list entry. Progress goes to `app` when given.
pub fn write_report(
    state: &AppState,
    checklist_id: &str,
    dir: &Path,
    app: Option<&AppHandle>,
    task: &str,
) -> CmdResult<ReportEntry> {
    let lang = lang(state);
    step(
        app,
        task,
        "prepare",
        0,
        "回答と証跡を集めています",
        "Collecting answers and evidence",
    );
    std::fs::create_dir_all(dir).map_err(CommandError::of)?;
    let mut session = state.session()?;
    let a = session
        .assessment(Which::Checklist(checklist_id))
        .map_err(CommandError::of)?;
    let now = chrono::Utc::now();
    // Readable names (医療機関名_年度_日付); a second report the same day never overwrites the
    // first.
    let files = ReportFiles::named_in(
        dir,
        &a.profile.name,
        a.fiscal_year,
        now.with_timezone(&chrono::Local).date_naive(),
    );
    let set = session
        .write_report_set(a.id, lang, now, &files, &mut |s| match s {
            ReportStep::Signing => step(
                app,
                task,
                "sign",
                1,
                "PDF を作って署名しています",
                "Writing and signing the PDF",
            ),
            ReportStep::Xlsx => step(
                app,
                task,
                "xlsx",
                2,
                "Excel のチェックリストを書いています",
                "Writing the Excel checklist",
            ),
        })
        .map_err(CommandError::of)?;
    drop(session);
    step(app, task, "done", 4, "できました", "Done");
    Ok(entry(&set.stored, Some(a.fiscal_year)))
}

/// The review before signing of this fiscal year's assessment for `checklist_id`: what is
/// still open and which screen fixes it.
pub fn readiness(state: &AppState, checklist_id: &str) -> CmdResult<ReadinessDto> {
    let (a, _) = crate::engine::assessment_for(state, checklist_id)?;
    let r = state
        .session()?
        .readiness(a.id, chrono::Utc::now())
        .map_err(CommandError::of)?;
    Ok(ReadinessDto::from(&r))
}

/// What is still open before signing (shown above the 署名 button).
#[tauri::command]
pub async fn readiness_review(app: AppHandle, checklist_id: String) -> CmdResult<ReadinessDto> {
    validate::id(&checklist_id)?;
    crate::engine::off_main(app, move |_app, state| readiness(state, &checklist_id)).await
}

/// Writes the signed PDF and the XLSX into the report folder (no dialog); returns the new entry.
#[tauri::command]
pub async fn generate_report(
    app: AppHandle,
    task: String,
    checklist_id: String,
) -> CmdResult<ReportEntry> {
    validate::id(&task)?;
    validate::id(&checklist_id)?;
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let folder = folder_of(&app, &state)?;
        let dir = PathBuf::from(&folder.dir);
        // A folder the user chose that has gone (USB stick removed) is an error, never recreated
        // somewhere unexpected; the default folder is created on first use.
        if !folder.is_default && !dir.is_dir() {
            return Err(CommandError::invalid(
                format!(
                    "保存先のフォルダが見つかりません: {}（設定で保存先を選び直してください）",
                    folder.dir
                ),
                format!(
                    "The report folder does not exist: {} (choose it again)",
                    folder.dir
                ),
            ));
        }
        write_report(&state, &checklist_id, &dir, Some(&app), &task)
    })
    .await
    .map_err(CommandError::internal)?
}

/// Reports written so far, newest first.
#[tauri::command]
pub async fn list_reports(app: tauri::AppHandle) -> CmdResult<Vec<ReportEntry>> {
    crate::engine::off_main(app, move |_app, state| entries(state)).await
}

/// The stored report with id `id` (only ids known to the store are accepted).
fn known_report(state: &AppState, id: i64) -> CmdResult<ReportEntry> {
    entries(state)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| CommandError::not_found("その報告書の記録がありません", "No such report"))
}

/// Opens `path` with the system's viewer (PDF reader or file manager); waits in the background.
fn open_with_system(path: &Path) -> CmdResult<()> {
    let program = match std::env::var_os(OPENER_ENV) {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(match std::env::consts::OS {
            "windows" => "explorer",
            "macos" => "open",
            _ => "xdg-open",
        }),
    };
    let mut child = std::process::Command::new(&program)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| {
            CommandError::invalid(
                format!("ファイルを開くアプリを起動できませんでした: {e}"),
                format!("Could not start the program that opens files: {e}"),
            )
        })?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Opens a listed report's PDF with the system's PDF viewer.
#[tauri::command]
pub async fn open_report(app: tauri::AppHandle, id: i64) -> CmdResult<()> {
    crate::engine::off_main(app, move |_app, state| {
        let r = known_report(state, id)?;
        if !r.exists {
            return Err(CommandError::not_found(
                format!(
                    "報告書のファイルが見つかりません（移動または削除されました）: {}",
                    r.path
                ),
                format!("The report file is missing (moved or deleted): {}", r.path),
            ));
        }
        open_with_system(Path::new(&r.path))
    })
    .await
}

/// Opens the folder of a listed report (or, without id, the report folder).
#[tauri::command]
pub async fn open_report_folder(app: tauri::AppHandle, id: Option<i64>) -> CmdResult<()> {
    crate::engine::off_main(app, move |app, state| {
        let dir = match id {
            Some(id) => PathBuf::from(known_report(state, id)?.folder),
            None => {
                let f = folder_of(app, state)?;
                let dir = PathBuf::from(&f.dir);
                // The default folder is made on first use; opening it counts as a use.
                if f.is_default {
                    std::fs::create_dir_all(&dir).map_err(CommandError::of)?;
                }
                dir
            }
        };
        if !dir.is_dir() {
            return Err(CommandError::not_found(
                format!("フォルダが見つかりません: {}", dir.display()),
                format!("The folder does not exist: {}", dir.display()),
            ));
        }
        open_with_system(&dir)
    })
    .await
}

/// Verifies the file at `path` (PDF, signed bundle, or bundle JSON with a `.p7s`/`.sig` next to
/// it). Files that are neither a PDF nor a bundle are a clear error, not a verdict.
pub fn verify_path(state: &AppState, path: &Path) -> CmdResult<VerifyResultDto> {
    let meta = std::fs::metadata(path).map_err(|_| {
        CommandError::not_found(
            format!("ファイルが見つかりません: {}", path.display()),
            format!("File not found: {}", path.display()),
        )
    })?;
    if !meta.is_file() || meta.len() > MAX_VERIFY_BYTES {
        return Err(CommandError::invalid(
            "確かめられるのは報告書の PDF か証跡バンドル（.json）のファイルです",
            "Only a report PDF or an evidence bundle (.json) file can be checked",
        ));
    }
    let bytes = std::fs::read(path).map_err(CommandError::of)?;
    let detached = match tenken_core::sign::bundle::find_detached(path) {
        Some(sig) => Some(std::fs::read(sig).map_err(CommandError::of)?),
        None => None,
    };
    let session = state.session()?;
    let report = session.verify(&bytes, detached, Vec::new());
    if report.kind == tenken_core::sign::verify::FileKind::Unknown {
        return Err(CommandError::invalid(
            "このファイルは報告書の PDF でも証跡バンドル（.json）でもありません。確かめられません。",
            "This file is neither a report PDF nor an evidence bundle (.json); it cannot be checked.",
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut dto = VerifyResultDto::from_report(&name, &report);
    // Say when a signature was made with this PC's own certificate.
    let keys = session.keys();
    if keys.exists()
        && let Ok(info) = keys.certificate_info()
    {
        for s in &mut dto.signatures {
            s.this_installation = s
                .fingerprint_sha256
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case(&info.cert.fingerprint_sha256));
        }
    }
    Ok(dto)
}

/// Verifies a dropped or chosen PDF or evidence bundle; returns the structured result.
#[tauri::command]
pub async fn verify_report(app: AppHandle, path: String) -> CmdResult<VerifyResultDto> {
    let path = crate::paths::chosen(&app, &path)?;
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        verify_path(&state, &path)
    })
    .await
    .map_err(CommandError::internal)?
}

/// Verifies a listed report by its store id.
#[tauri::command]
pub async fn verify_stored_report(app: AppHandle, id: i64) -> CmdResult<VerifyResultDto> {
    tokio::task::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let r = known_report(&state, id)?;
        if !r.exists {
            return Err(CommandError::not_found(
                format!(
                    "報告書のファイルが見つかりません（移動または削除されました）: {}",
                    r.path
                ),
                format!("The report file is missing (moved or deleted): {}", r.path),
            ));
        }
        verify_path(&state, Path::new(&r.path))
    })
    .await
    .map_err(CommandError::internal)?
}

/// Whether a verification result is 有効 (for callers that only need the verdict).
pub fn is_valid(r: &VerifyResultDto) -> bool {
    r.status == VerifyStatusDto::Valid
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dto_report::AfterSigningDto;

    fn state_with_profile() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let s = AppState::open(&dir.path().join("data")).unwrap();
        let profile = tenken_core::assessment::ClinicProfile {
            name: "さくら内科クリニック".into(),
            ..Default::default()
        };
        s.store().unwrap().set_profile(&profile).unwrap();
        (dir, s)
    }

    #[test]
    fn folder_defaults_to_documents_then_data_dir_and_a_choice_wins() {
        let data = Path::new("/data");
        let docs = Some(PathBuf::from("/home/u/Documents"));
        let desk = Some(PathBuf::from("/home/u/Desktop"));
        let home = Some(PathBuf::from("/home/u"));
        assert_eq!(
            resolve_folder(
                None,
                None,
                &[docs.clone(), desk.clone(), home.clone()],
                data
            ),
            (PathBuf::from("/home/u/Documents/Tenken"), true)
        );
        // No Documents folder: the desktop, then the home folder — never a hidden one first.
        assert_eq!(
            resolve_folder(None, None, &[None, desk, home.clone()], data),
            (PathBuf::from("/home/u/Desktop/Tenken"), true)
        );
        assert_eq!(
            resolve_folder(None, None, &[None, None, home], data),
            (PathBuf::from("/home/u/Tenken"), true)
        );
        assert_eq!(
            resolve_folder(None, None, &[None, None, None], data),
            (PathBuf::from("/data/reports"), true)
        );
        assert_eq!(
            resolve_folder(
                None,
                Some("/tmp/r".into()),
                std::slice::from_ref(&docs),
                data
            ),
            (PathBuf::from("/tmp/r"), true)
        );
        assert_eq!(
            resolve_folder(Some("/mnt/usb"), Some("/tmp/r".into()), &[docs], data),
            (PathBuf::from("/mnt/usb"), false)
        );
    }

    #[test]
    fn readiness_lists_what_is_open_and_links_to_the_screen_that_fixes_it() {
        use crate::dto_report::{FixTargetDto, GapKindDto};
        let (_tmp, s) = state_with_profile();
        let list = crate::engine::checklists(s.dir()).unwrap();
        let r = readiness(&s, &list[0].id).unwrap();
        let of = |k: GapKindDto| r.entries.iter().filter(|e| e.kind == k).count();
        assert_eq!(
            of(GapKindDto::ClinicNameMissing),
            0,
            "the profile has a name"
        );
        assert_eq!(of(GapKindDto::AssessorMissing), 1);
        assert_eq!(of(GapKindDto::NoAutomaticCheck), 1);
        assert!(of(GapKindDto::Unanswered) > 0);
        let u = r
            .entries
            .iter()
            .find(|e| e.kind == GapKindDto::Unanswered)
            .unwrap();
        assert_eq!(u.target, FixTargetDto::Checklist);
        assert!(u.item_id.is_some());
        let sum = r.summary.as_ref().unwrap();
        assert!(sum.ja.starts_with("未回答 "), "{}", sum.ja);
        assert!(r.signing_note.ja.starts_with("署名時点で未回答"));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["entries"][0]["kind"], "assessor_missing");
        assert_eq!(json["entries"][0]["target"], "profile");
    }

    #[test]
    fn report_is_written_listed_signed_and_a_changed_byte_is_invalid() {
        let (tmp, s) = state_with_profile();
        let out = tmp.path().join("Documents/Tenken");
        let list = crate::engine::checklists(s.dir()).unwrap();
        let id = list[0].id.clone();
        let e = write_report(&s, &id, &out, None, "t1").unwrap();
        assert!(e.exists, "PDF written into the (created) folder");
        // Readable: 医療機関名_年度_日付.
        let fy = tenken_core::assessment::fiscal_year_of(crate::engine::today());
        let day = chrono::Local::now().date_naive().format("%Y-%m-%d");
        assert_eq!(
            e.file_name,
            format!("さくら内科クリニック_{fy}年度_{day}_点検報告書.pdf")
        );
        let xlsx = e.xlsx.clone().expect("XLSX written next to the PDF");
        assert!(Path::new(&xlsx).is_file());
        assert_eq!(Path::new(&e.folder), out.as_path());
        assert!(e.fiscal_year.is_some());

        let listed = entries(&s).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0], e);

        // A second report right away gets its own files and is listed first (newest first).
        let e2 = write_report(&s, &id, &out, None, "t2").unwrap();
        assert_ne!(e2.path, e.path);
        assert_ne!(e2.xlsx, e.xlsx);
        assert!(e2.exists && Path::new(&e.path).is_file());
        let listed = entries(&s).unwrap();
        assert_eq!(
            listed.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![e2.id, e.id]
        );

        let v = verify_path(&s, Path::new(&e.path)).unwrap();
        assert_eq!(v.status, VerifyStatusDto::Valid, "{v:?}");
        assert!(is_valid(&v));
        let sig = &v.signatures[0];
        assert!(sig.valid && sig.intact && sig.findings.is_empty());
        assert_eq!(sig.after_signing, AfterSigningDto::Nothing);
        assert!(sig.this_installation, "signed with this PC's certificate");
        assert!(
            sig.signer
                .as_deref()
                .unwrap()
                .contains("さくら内科クリニック")
        );
        let t = sig.signing_time.as_deref().expect("signing time parsed");
        assert!(chrono::DateTime::parse_from_rfc3339(t).is_ok());

        // Flip one byte inside the signed range: 無効, with what changed in plain words.
        let mut bytes = std::fs::read(&e.path).unwrap();
        let at = bytes.len() / 3;
        bytes[at] ^= 0x01;
        let bad = tmp.path().join("changed.pdf");
        std::fs::write(&bad, &bytes).unwrap();
        let v = verify_path(&s, &bad).unwrap();
        assert_eq!(v.status, VerifyStatusDto::Invalid);
        assert!(v.summary.ja.starts_with("無効"));
        assert!(!v.signatures[0].findings.is_empty());

        // Appending a change after signing is named as such.
        let mut bytes = std::fs::read(&e.path).unwrap();
        bytes.extend_from_slice(b"\n1 0 obj\n<< /Changed true >>\nendobj\n");
        std::fs::write(&bad, &bytes).unwrap();
        let v = verify_path(&s, &bad).unwrap();
        assert_eq!(v.status, VerifyStatusDto::Invalid);
        assert_eq!(
            v.signatures[0].after_signing,
            AfterSigningDto::OtherModifications
        );

        // Not a PDF or bundle: a clear error, not a verdict.
        let txt = tmp.path().join("notes.txt");
        std::fs::write(&txt, "hello").unwrap();
        let err = verify_path(&s, &txt).unwrap_err();
        assert_eq!(err.code, "invalid_input");
        assert!(err.ja.contains("PDF"));
        assert_eq!(
            verify_path(&s, &tmp.path().join("missing.pdf"))
                .unwrap_err()
                .code,
            "not_found"
        );

        // A deleted report stays listed, marked missing.
        std::fs::remove_file(&e.path).unwrap();
        let listed = entries(&s).unwrap();
        assert!(listed[0].exists && !listed[1].exists);
        assert!(known_report(&s, e.id + 100).is_err());
    }
}
