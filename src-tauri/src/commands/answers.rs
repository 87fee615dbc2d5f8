//! Answers to checklist items, and attachments recorded by hash.

use std::io::Read;

use sha2::{Digest, Sha256};
use tauri::State;

use crate::dto::{AnswerDto, AttachmentDto, CmdResult, CommandError};
use crate::state::AppState;
use crate::validate;

/// All answers saved for a checklist.
#[tauri::command]
pub fn get_answers(state: State<'_, AppState>, checklist_id: String) -> CmdResult<Vec<AnswerDto>> {
    validate::id(&checklist_id)?;
    state.read(|d| d.answers.get(&checklist_id).cloned().unwrap_or_default())
}

/// Saves (inserts or replaces) one answer after validation; returns it with `updated_at` set.
#[tauri::command]
pub fn save_answer(
    state: State<'_, AppState>,
    checklist_id: String,
    answer: AnswerDto,
) -> CmdResult<AnswerDto> {
    validate::id(&checklist_id)?;
    validate::answer(&answer)?;
    let known = crate::engine::checklists().into_iter().any(|c| {
        c.id == checklist_id
            && c.item(&answer.item_id).is_some_and(|i| {
                i.answer_scopes()
                    .contains(&tenken_core::checklist::Scope::from(answer.scope))
            })
    });
    if !known {
        return Err(CommandError::invalid(
            "この項目・行はチェックリストにありません",
            "Item or scope row not in this checklist",
        ));
    }
    let mut answer = answer;
    answer.updated_at = Some(chrono::Utc::now().to_rfc3339());
    state.update(|d| {
        let list = d.answers.entry(checklist_id).or_default();
        list.retain(|a| !(a.item_id == answer.item_id && a.scope == answer.scope));
        list.push(answer.clone());
        Ok(answer)
    })
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
