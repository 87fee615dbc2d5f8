//! Automatic check (probes). Long work runs off the UI thread, reports `tenken://progress` events
//! and can be cancelled with `cancel_task`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tauri::State;

use crate::dto::{CmdResult, CommandError};
use crate::validate;

/// Event name of progress events ([`crate::dto::ProgressEvent`]).
pub const PROGRESS_EVENT: &str = "tenken://progress";

/// Cancellation flags of running tasks, by task id.
#[derive(Debug, Default)]
pub struct Tasks(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Tasks {
    /// Registers a task and returns its cancel flag.
    pub fn start(&self, task: &str) -> CmdResult<Arc<AtomicBool>> {
        let mut m = self.0.lock().map_err(|_| CommandError::io("task lock"))?;
        let flag = Arc::new(AtomicBool::new(false));
        m.insert(task.to_string(), flag.clone());
        Ok(flag)
    }

    /// Asks a task to stop; false when no such task runs.
    pub fn cancel(&self, task: &str) -> CmdResult<bool> {
        let m = self.0.lock().map_err(|_| CommandError::io("task lock"))?;
        Ok(m.get(task)
            .map(|f| f.store(true, Ordering::SeqCst))
            .is_some())
    }

    /// Forgets a finished task.
    pub fn finish(&self, task: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(task);
        }
    }
}

/// Starts the automatic check; progress arrives as events with this `task` id.
///
/// TEMPORARY SEAM: wired to `tenken_core` scan/probes by the lead after merging.
#[tauri::command]
pub async fn start_scan(tasks: State<'_, Tasks>, task: String) -> CmdResult<()> {
    validate::id(&task)?;
    let _flag = tasks.start(&task)?;
    tasks.finish(&task);
    Err(CommandError::not_ready(
        "自動チェック",
        "The automatic check",
    ))
}

/// Cancels a running task (automatic check, network check, report).
#[tauri::command]
pub fn cancel_task(tasks: State<'_, Tasks>, task: String) -> CmdResult<bool> {
    validate::id(&task)?;
    tasks.cancel(&task)
}
