//! Automatic check (probes). Long work runs off the UI thread, reports `tenken://progress` events
//! and can be cancelled with `cancel_task`. The result is signed and kept with this fiscal year's
//! assessment (`tenken_core::workflow::keep_host_findings`, merged with this PC's network results),
//! like `tenken scan` + `report`. The UI then reads the grouped results with `scan_results`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Emitter, Manager, State};
use tenken_core::Lang;
use tenken_core::evidence::{Finding, Verdict};
use tenken_core::probe::exec::CancelToken;
use tenken_core::probe::runner::{self, EventSink, ProbeEvent, ScanOptions};

use crate::dto::{CmdResult, CommandError, ProgressEvent, TextDto};
use crate::state::AppState;
use crate::validate;

/// Event name of progress events ([`crate::dto::ProgressEvent`]).
pub const PROGRESS_EVENT: &str = "tenken://progress";

/// Cancellation tokens of running tasks, by task id.
#[derive(Debug, Default)]
pub struct Tasks(Mutex<HashMap<String, CancelToken>>);

impl Tasks {
    /// Registers a task and returns its cancel token.
    pub fn start(&self, task: &str) -> CmdResult<CancelToken> {
        let mut m = self
            .0
            .lock()
            .map_err(|_| CommandError::internal("task lock"))?;
        let token = CancelToken::new();
        m.insert(task.to_string(), token.clone());
        Ok(token)
    }

    /// Asks a task to stop; false when no such task runs.
    pub fn cancel(&self, task: &str) -> CmdResult<bool> {
        let m = self
            .0
            .lock()
            .map_err(|_| CommandError::internal("task lock"))?;
        Ok(m.get(task).map(CancelToken::cancel).is_some())
    }

    /// Forgets a finished task.
    pub fn finish(&self, task: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(task);
        }
    }
}

/// Progress state shown for a finished check: its verdict, so the badge reads 適合 / 要改善 /
/// 不適合 / 未確認 / 該当なし (a check that found a problem did not "fail" to run).
pub fn state_of(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Warn => "warn",
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
        Verdict::NotApplicable => "na",
    }
}

/// The final line of one finding: title, verdict label, summary, action and (for 未確認) why.
pub fn finding_text(f: &Finding) -> TextDto {
    let line = |lang: Lang| {
        let mut s = format!(
            "{}: {} — {}",
            f.title.get(lang),
            f.verdict.label(lang),
            f.summary.get(lang)
        );
        if let Some(r) = f.reason {
            s.push_str(&format!(" ({})", r.text().get(lang)));
        }
        let action = f.action.get(lang);
        if !action.is_empty() && f.verdict != Verdict::Pass {
            s.push_str(&format!(
                " {} {action}",
                lang.pick("→ 対応:", "→ What to do:")
            ));
        }
        s
    };
    TextDto {
        ja: line(Lang::Ja),
        en: line(Lang::En),
    }
}

fn emit(app: &AppHandle, ev: ProgressEvent) {
    // A closed window cannot receive events; the scan still finishes and is kept.
    let _ = app.emit(PROGRESS_EVENT, ev);
}

/// Starts the automatic check of this PC (read-only, nothing sent to the network); progress and
/// the results arrive as events with this `task` id; the signed bundle is kept with this fiscal
/// year's assessment. Returns the number of findings.
#[tauri::command]
pub async fn start_scan(app: AppHandle, tasks: State<'_, Tasks>, task: String) -> CmdResult<u32> {
    validate::id(&task)?;
    let cancel = tasks.start(&task)?;
    let result = run_scan(app, task.clone(), cancel).await;
    tasks.finish(&task);
    result
}

async fn run_scan(app: AppHandle, task: String, cancel: CancelToken) -> CmdResult<u32> {
    let probes = tenken_core::probe::checks::all();
    let total = u32::try_from(probes.len()).unwrap_or(u32::MAX);
    // Progress shows each check by its title, not its id.
    let titles: HashMap<String, tenken_core::Text> = probes
        .iter()
        .map(|p| (p.meta().id.to_string(), p.meta().title.clone()))
        .collect();
    let done = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let sink: EventSink = {
        let app = app.clone();
        let task = task.clone();
        let done = done.clone();
        Arc::new(move |ev| {
            let title = |id: &str, lang: Lang| {
                titles
                    .get(id)
                    .map(|t| t.get(lang).to_string())
                    .unwrap_or_else(|| id.to_string())
            };
            let (step, state, n, message) = match ev {
                ProbeEvent::Started { id } => (
                    id.clone(),
                    "running",
                    done.load(std::sync::atomic::Ordering::SeqCst),
                    TextDto {
                        ja: title(&id, Lang::Ja),
                        en: title(&id, Lang::En),
                    },
                ),
                ProbeEvent::Finished { id, verdict } => (
                    id.clone(),
                    state_of(verdict),
                    done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1,
                    TextDto {
                        ja: title(&id, Lang::Ja),
                        en: title(&id, Lang::En),
                    },
                ),
            };
            emit(
                &app,
                ProgressEvent {
                    task: task.clone(),
                    step,
                    state: state.into(),
                    done: n,
                    total,
                    message,
                },
            );
        })
    };
    // Slow, rarely changing facts (the apt listing) are reused while their files are unchanged.
    let cache_dir = app.try_state::<AppState>().map(|s| s.dir().join("cache"));
    let opts = ScanOptions {
        cancel: cancel.clone(),
        cache_dir,
        ..ScanOptions::default()
    };
    let bundle = runner::scan(probes, opts, Some(sink))
        .await
        .map_err(CommandError::internal)?;
    if cancel.is_cancelled() {
        emit(
            &app,
            ProgressEvent {
                task: task.clone(),
                step: "scan".into(),
                state: "cancelled".into(),
                done: done.load(std::sync::atomic::Ordering::SeqCst),
                total,
                message: TextDto {
                    ja: "中止しました。結果は保存していません。".into(),
                    en: "Cancelled. Nothing was saved.".into(),
                },
            },
        );
        return Err(CommandError {
            code: "cancelled".into(),
            ja: "中止しました".into(),
            en: "Cancelled".into(),
        });
    }
    let app2 = app.clone();
    let kept = bundle.clone();
    tokio::task::spawn_blocking(move || -> CmdResult<()> {
        let state = app2.state::<AppState>();
        let a = crate::engine::current_assessment(&state)?;
        // Merged with this PC's kept network results, so a new local check does not erase them.
        state
            .session()?
            .keep_host_findings(a.id, kept)
            .map_err(CommandError::of)?;
        Ok(())
    })
    .await
    .map_err(CommandError::internal)??;
    let n = u32::try_from(bundle.findings.len()).unwrap_or(u32::MAX);
    emit(
        &app,
        ProgressEvent {
            task: task.clone(),
            step: "scan".into(),
            state: "done".into(),
            done: n,
            total: n,
            message: TextDto {
                ja: "確認が終わり、結果を保存しました。".into(),
                en: "Done; the results were saved.".into(),
            },
        },
    );
    Ok(n)
}

/// Cancels a running task (automatic check, network check).
#[tauri::command]
pub fn cancel_task(tasks: State<'_, Tasks>, task: String) -> CmdResult<bool> {
    validate::id(&task)?;
    tasks.cancel(&task)
}
