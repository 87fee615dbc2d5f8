//! Answers to checklist items (this fiscal year's assessment in the engine's store, every change
//! committed immediately), and attachments recorded by hash.

use std::io::Read;

use sha2::{Digest, Sha256};
use tauri::State;
use tenken_core::assessment::{Answer, AnswerValue, Attachment};

use crate::dto::{AnswerDto, AnswerValueDto, AttachmentDto, CmdResult, CommandError};
use crate::state::AppState;
use crate::validate;

/// The engine's answer as the UI shows it.
pub fn to_dto(a: Answer) -> AnswerDto {
    AnswerDto {
        item_id: a.item_id,
        scope: a.scope.into(),
        value: match a.value {
            AnswerValue::Yes => AnswerValueDto::Yes,
            AnswerValue::No => AnswerValueDto::No,
            AnswerValue::NotApplicable => AnswerValueDto::NotApplicable,
            AnswerValue::Unanswered => AnswerValueDto::Unanswered,
        },
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
        scope: a.scope.into(),
        value: a.value.into(),
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

/// All answers saved for a checklist (this fiscal year's assessment with that checklist).
#[tauri::command]
pub fn get_answers(state: State<'_, AppState>, checklist_id: String) -> CmdResult<Vec<AnswerDto>> {
    validate::id(&checklist_id)?;
    let (a, _) = crate::engine::assessment_for(&state, &checklist_id)?;
    let store = state.store()?;
    Ok(store
        .answers(a.id)
        .map_err(CommandError::io)?
        .into_iter()
        .map(to_dto)
        .collect())
}

/// Saves (inserts or replaces) one answer after validation (the engine refuses unknown items or
/// rows and いいえ without 目標日); returns it as stored.
#[tauri::command]
pub fn save_answer(
    state: State<'_, AppState>,
    checklist_id: String,
    answer: AnswerDto,
) -> CmdResult<AnswerDto> {
    validate::id(&checklist_id)?;
    validate::answer(&answer)?;
    let (a, checklist) = crate::engine::assessment_for(&state, &checklist_id)?;
    let answer = from_dto(answer)?;
    let mut store = state.store()?;
    let stored = store.set_answer(a.id, &checklist, answer).map_err(|e| {
        CommandError::invalid(
            format!("保存できませんでした: {e}"),
            format!("Not saved: {e}"),
        )
    })?;
    Ok(to_dto(stored))
}

/// Hashes a file chosen in the file picker; the file itself is not copied or changed.
#[tauri::command]
pub async fn hash_attachment(path: String) -> CmdResult<AttachmentDto> {
    tokio::task::spawn_blocking(move || hash_file(std::path::Path::new(&path)))
        .await
        .map_err(CommandError::io)?
}

/// SHA-256, size and name of a file.
pub fn hash_file(path: &std::path::Path) -> CmdResult<AttachmentDto> {
    let meta = std::fs::metadata(path).map_err(CommandError::io)?;
    if !meta.is_file() {
        return Err(CommandError::invalid(
            "ファイルを選んでください",
            "Choose a file",
        ));
    }
    let mut f = std::fs::File::open(path).map_err(CommandError::io)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).map_err(CommandError::io)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(AttachmentDto {
        name,
        size: meta.len(),
        sha256: hex::encode(h.finalize()),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

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
}
