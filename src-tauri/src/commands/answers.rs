//! Answers to checklist items (this fiscal year's assessment in the engine's store, every change
//! committed immediately: the UI saves on every change), and attachments recorded by name, size,
//! SHA-256 and time.

use tenken_core::assessment::{Answer, AnswerValue, Attachment};

use crate::dto::{AnswerDto, AttachmentDto, CmdResult, CommandError, ScopeDto};
use crate::state::AppState;
use crate::validate;

/// The engine's answer as the UI shows it.
pub fn to_dto(a: Answer) -> AnswerDto {
    AnswerDto {
        item_id: a.item_id,
        scope: a.scope,
        value: a.value,
        checked_on: a.checked_on.map(|d| d.to_string()),
        target_date: a.target_date.map(|d| d.to_string()),
        note: a.note,
        responsible: a.responsible,
        attachments: a
            .attachments
            .into_iter()
            .map(|x| AttachmentDto {
                name: x.name,
                size: x.size,
                sha256: x.sha256,
                added_at: None,
            })
            .collect(),
        updated_at: a.updated_at.map(|t| t.to_rfc3339()),
    }
}

/// The UI's answer as the engine keeps it (dates validated).
pub fn from_dto(a: AnswerDto) -> CmdResult<Answer> {
    let checked_on = match a.checked_on.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(validate::date("確認日", "Checked on", s)?),
        None => None,
    };
    let target_date = match a.target_date.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(validate::date("目標日", "Target date", s)?),
        None => None,
    };
    Ok(Answer {
        item_id: a.item_id,
        scope: a.scope,
        value: a.value,
        checked_on,
        target_date,
        note: a.note,
        responsible: a.responsible,
        attachments: a
            .attachments
            .into_iter()
            .map(|x| Attachment {
                name: x.name,
                size: x.size,
                sha256: x.sha256,
            })
            .collect(),
        updated_at: None,
    })
}

/// Sets `added_at` of every attachment from the store's records.
fn with_times(
    store: &tenken_core::store::Store,
    assessment_id: i64,
    answers: Vec<Answer>,
) -> CmdResult<Vec<AnswerDto>> {
    let times = store
        .attachment_times(assessment_id)
        .map_err(CommandError::of)?;
    Ok(answers
        .into_iter()
        .map(|a| {
            let (item, scope) = (a.item_id.clone(), a.scope);
            let mut dto = to_dto(a);
            for att in &mut dto.attachments {
                att.added_at = times
                    .iter()
                    .find(|(i, s, sha, _)| *i == item && *s == scope && *sha == att.sha256)
                    .map(|(_, _, _, t)| t.to_rfc3339());
            }
            dto
        })
        .collect())
}

/// All answers saved for a checklist (this fiscal year's assessment with that checklist).
pub fn answers_of(state: &AppState, checklist_id: &str) -> CmdResult<Vec<AnswerDto>> {
    validate::id(checklist_id)?;
    let (a, _) = crate::engine::assessment_for(state, checklist_id)?;
    let store = state.store()?;
    let answers = store.answers(a.id).map_err(CommandError::of)?;
    with_times(&store, a.id, answers)
}

/// All answers saved for a checklist (this fiscal year's assessment with that checklist).
#[tauri::command]
pub async fn get_answers(app: tauri::AppHandle, checklist_id: String) -> CmdResult<Vec<AnswerDto>> {
    crate::engine::off_main(app, move |_app, state| answers_of(state, &checklist_id)).await
}

/// Saves (inserts or replaces) one answer after validation (the engine refuses unknown items or
/// rows and いいえ without 目標日); returns it as stored.
pub fn store_answer(
    state: &AppState,
    checklist_id: &str,
    answer: AnswerDto,
) -> CmdResult<AnswerDto> {
    validate::id(checklist_id)?;
    validate::answer(&answer)?;
    let (a, checklist) = crate::engine::assessment_for(state, checklist_id)?;
    let answer = from_dto(answer)?;
    let mut store = state.store()?;
    let stored = store
        .set_answer(a.id, &checklist, answer)
        .map_err(|e| CommandError::doing("保存できませんでした", "Not saved", e))?;
    with_times(&store, a.id, vec![stored])?
        .pop()
        .ok_or_else(|| CommandError::internal("answer not stored"))
}

/// Saves (inserts or replaces) one answer (autosave: called on every change); returns it as stored.
#[tauri::command]
pub async fn save_answer(
    app: tauri::AppHandle,
    checklist_id: String,
    answer: AnswerDto,
) -> CmdResult<AnswerDto> {
    crate::engine::off_main(app, move |_app, state| {
        store_answer(state, &checklist_id, answer)
    })
    .await
}

/// Hashes `path` and records it with the answer of `item_id` / `scope` (an unanswered row is
/// created first when the item has no answer yet); the file itself is neither copied nor
/// changed. Returns the answer as stored, with all its attachments.
pub fn attach(
    state: &AppState,
    checklist_id: &str,
    item_id: &str,
    scope: ScopeDto,
    path: &std::path::Path,
) -> CmdResult<AnswerDto> {
    validate::id(checklist_id)?;
    validate::id(item_id)?;
    // Refuses directories and unreadable files with a plain message before touching the store.
    hash_file(path)?;
    let (a, checklist) = crate::engine::assessment_for(state, checklist_id)?;
    let mut store = state.store()?;
    let exists = store
        .answers(a.id)
        .map_err(CommandError::of)?
        .iter()
        .any(|x| x.item_id == item_id && x.scope == scope);
    if !exists {
        let blank = Answer::new(item_id, scope, AnswerValue::Unanswered);
        store
            .set_answer(a.id, &checklist, blank)
            .map_err(|e| CommandError::doing("添付できませんでした", "Not attached", e))?;
    }
    store
        .attach_file(a.id, item_id, scope, path)
        .map_err(|e| CommandError::doing("添付できませんでした", "Not attached", e))?;
    let answers: Vec<Answer> = store
        .answers(a.id)
        .map_err(CommandError::of)?
        .into_iter()
        .filter(|x| x.item_id == item_id && x.scope == scope)
        .collect();
    with_times(&store, a.id, answers)?
        .pop()
        .ok_or_else(|| CommandError::internal("answer not stored"))
}

/// Attaches a file chosen in the file picker to an answer row and keeps the record (name, size,
/// SHA-256, time) in the store; returns the answer as stored.
#[tauri::command]
pub async fn attach_file(
    app: tauri::AppHandle,
    checklist_id: String,
    item_id: String,
    scope: ScopeDto,
    path: String,
) -> CmdResult<AnswerDto> {
    let path = crate::paths::chosen(&app, &path)?;
    tokio::task::spawn_blocking(move || {
        use tauri::Manager;
        let state = app.state::<AppState>();
        attach(&state, &checklist_id, &item_id, scope, &path)
    })
    .await
    .map_err(CommandError::internal)?
}

/// Hashes a file chosen in the file picker; the file itself is not copied or changed.
#[tauri::command]
pub async fn hash_attachment(app: tauri::AppHandle, path: String) -> CmdResult<AttachmentDto> {
    let path = crate::paths::chosen(&app, &path)?;
    tokio::task::spawn_blocking(move || hash_file(&path))
        .await
        .map_err(CommandError::internal)?
}

/// SHA-256, size and name of a file.
pub fn hash_file(path: &std::path::Path) -> CmdResult<AttachmentDto> {
    let meta = std::fs::metadata(path).map_err(CommandError::of)?;
    if !meta.is_file() {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    let a = tenken_core::store::hash_file(path).map_err(CommandError::of)?;
    Ok(AttachmentDto {
        name: a.name,
        size: a.size,
        sha256: a.sha256,
        added_at: None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dto::AnswerValueDto;

    #[test]
    fn answers_cross_to_the_engine_and_back_unchanged() {
        let dto = AnswerDto {
            item_id: "2-4".into(),
            scope: crate::dto::ScopeDto::Server,
            value: AnswerValueDto::No,
            checked_on: Some("2026-04-01".into()),
            target_date: Some("2027-03-31".into()),
            note: "更新予定".into(),
            responsible: "山田".into(),
            attachments: Vec::new(),
            updated_at: None,
        };
        let a = from_dto(dto.clone()).unwrap();
        assert_eq!(a.target_date.unwrap().to_string(), "2027-03-31");
        assert_eq!(to_dto(a), dto);
        let bad = AnswerDto {
            target_date: Some("2027-02-30".into()),
            ..dto
        };
        assert!(from_dto(bad).is_err());
    }

    #[test]
    fn hashes_file_without_changing_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("証跡.txt");
        std::fs::write(&p, b"abc").unwrap();
        let a = hash_file(&p).unwrap();
        assert_eq!(a.name, "証跡.txt");
        assert_eq!(a.size, 3);
        assert_eq!(
            a.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"abc");
        assert!(hash_file(dir.path()).is_err());
    }

    #[test]
    fn engine_errors_reach_the_app_with_their_kind_not_as_file_errors() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let cl = crate::engine::checklists(state.dir()).unwrap();
        let c = &cl[0];
        let file = dir.path().join("規程.pdf");
        std::fs::write(&file, b"%PDF rules").unwrap();
        // An item that does not exist is "not found" in the engine's words.
        let e = attach(&state, &c.id, "9-99", crate::dto::ScopeDto::General, &file).unwrap_err();
        assert_eq!(e.code, "not_found", "{e:?}");
        assert!(
            e.ja.contains("9-99") && e.ja.starts_with("添付できませんでした"),
            "{e:?}"
        );
        assert!(!e.ja.contains("ファイルの読み書き"), "{e:?}");
        // A stored assessment that does not exist is "not found" too (it used to read
        // 「ファイルの読み書きに失敗しました」).
        let store = state.store().unwrap();
        let e = CommandError::of(store.get_assessment(424_242).unwrap_err());
        assert_eq!(e.code, "not_found", "{e:?}");
        assert!(
            e.ja.contains("424242") && !e.ja.contains("ファイルの読み書き"),
            "{e:?}"
        );
        drop(store);
        // A chosen file that has gone is "not found"; a folder instead of a file cannot be read.
        let gone = hash_file(&dir.path().join("ない.pdf")).unwrap_err();
        assert_eq!(gone.code, "not_found", "{gone:?}");
    }

    #[test]
    fn attached_files_are_kept_with_the_answer_across_restart() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let cl = crate::engine::checklists(state.dir()).unwrap();
        let c = &cl[0];
        let item = crate::commands::checklist::view(c).items[1].clone();
        let scope = item.scopes[0];
        let file = dir.path().join("規程.pdf");
        std::fs::write(&file, b"%PDF rules").unwrap();
        // No answer yet: the row is created (unanswered) and the file recorded.
        let a = attach(&state, &c.id, &item.id, scope, &file).unwrap();
        assert_eq!(a.value, AnswerValueDto::Unanswered);
        assert_eq!(a.attachments.len(), 1);
        assert_eq!(a.attachments[0].name, "規程.pdf");
        assert_eq!(a.attachments[0].size, 10);
        assert!(a.attachments[0].added_at.is_some());
        // Answering afterwards keeps the attachment (autosave sends the whole row).
        let mut yes = a.clone();
        yes.value = AnswerValueDto::Yes;
        yes.attachments = Vec::new();
        let saved = store_answer(&state, &c.id, yes).unwrap();
        assert_eq!(saved.attachments.len(), 1);
        drop(state);
        let state = AppState::open(dir.path()).unwrap();
        let all = answers_of(&state, &c.id).unwrap();
        let row = all
            .iter()
            .find(|x| x.item_id == item.id && x.scope == scope)
            .unwrap();
        assert_eq!(row.value, AnswerValueDto::Yes);
        assert_eq!(row.attachments.len(), 1);
        assert_eq!(row.attachments[0].sha256, a.attachments[0].sha256);
        // A folder is refused with a plain message and nothing changes.
        assert!(attach(&state, &c.id, &item.id, scope, dir.path()).is_err());
        assert_eq!(answers_of(&state, &c.id).unwrap(), all);
    }

    #[test]
    fn no_without_target_date_is_refused_and_nothing_saved() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let c = &crate::engine::checklists(state.dir()).unwrap()[0];
        let item = crate::commands::checklist::view(c).items[0].clone();
        let mut a = AnswerDto {
            item_id: item.id.clone(),
            scope: item.scopes[0],
            value: AnswerValueDto::No,
            checked_on: None,
            target_date: None,
            note: String::new(),
            responsible: String::new(),
            attachments: Vec::new(),
            updated_at: None,
        };
        let err = store_answer(&state, &c.id, a.clone()).unwrap_err();
        assert!(err.ja.contains("目標日"), "{}", err.ja);
        assert!(answers_of(&state, &c.id).unwrap().is_empty());
        a.target_date = Some("2027-03-31".into());
        store_answer(&state, &c.id, a).unwrap();
        assert_eq!(answers_of(&state, &c.id).unwrap().len(), 1);
    }
}
