//! Network check: first show exactly what will be contacted, then run only after consent.
//! Off by default; the never-touch list (`<data-dir>/never-touch.txt`) is always honoured.

use tauri::{AppHandle, Emitter, Manager, State};
use tenken_core::net::{self, NeverTouch, RunOptions, Scope};

use crate::commands::scan::{PROGRESS_EVENT, Tasks, finding_text, state_of};
use crate::dto::{CmdResult, CommandError, ProgressEvent};
use crate::state::AppState;
use crate::validate;

/// The plan entry meaning "this PC's router (default gateway)".
pub const GATEWAY: &str = "gateway";

/// Connections per second of the app's network check (the CLI's default).
const RATE: u32 = 20;

/// What the network check would contact (for the consent dialog): the router entry, plus the
/// never-touch entries that will be skipped.
#[tauri::command]
pub fn network_plan(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    let nt = NeverTouch::load(state.dir()).map_err(CommandError::engine)?;
    let lang = crate::commands::report::lang(&state);
    let mut plan = vec![GATEWAY.to_string()];
    let skipped = nt.entries.len();
    if skipped > 0 {
        plan.push(format!(
            "{} {skipped}",
            lang.pick("通信しない機器:", "never-touch entries:")
        ));
    }
    Ok(plan)
}

/// The scope the user consented to: `gateway` enables the router checks; other entries are LAN
/// addresses to port-check (private addresses only, validated by the engine).
pub fn consented_scope(targets: &[String], nt: NeverTouch) -> CmdResult<Scope> {
    let network = targets.iter().any(|t| t == GATEWAY);
    let lan: Vec<String> = targets
        .iter()
        .filter(|t| *t != GATEWAY && !t.contains(':'))
        .cloned()
        .collect();
    Scope::new(network, &lan, nt, RATE).map_err(|e| {
        CommandError::invalid(format!("確認できません: {e}"), format!("Cannot check: {e}"))
    })
}

/// Runs the network check after the user consented to `targets` (exactly the plan shown);
/// results arrive as progress events.
#[tauri::command]
pub async fn start_network_check(
    app: AppHandle,
    tasks: State<'_, Tasks>,
    task: String,
    consent: bool,
    targets: Vec<String>,
) -> CmdResult<()> {
    validate::id(&task)?;
    if !consent || targets.is_empty() {
        return Err(CommandError::invalid(
            "確認する相手に同意してから始めてください",
            "Consent to the listed targets first",
        ));
    }
    let nt = NeverTouch::load(app.state::<AppState>().dir()).map_err(CommandError::engine)?;
    let scope = consented_scope(&targets, nt)?;
    let _ = tasks.start(&task)?;
    // The engine runs its own runtime; keep it off the async workers.
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(net::run_blocking(&scope, &RunOptions::default()));
    });
    let result = rx.await.map_err(CommandError::io);
    tasks.finish(&task);
    let (_, findings) = result?.map_err(CommandError::engine)?;
    let n = u32::try_from(findings.len()).unwrap_or(u32::MAX);
    for f in &findings {
        let _ = app.emit(
            PROGRESS_EVENT,
            ProgressEvent {
                task: task.clone(),
                step: f.probe_id.clone(),
                state: state_of(f.verdict).into(),
                done: n,
                total: n,
                message: finding_text(f),
            },
        );
    }
    Ok(())
}
