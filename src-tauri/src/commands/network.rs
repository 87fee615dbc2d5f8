//! Network check: first show exactly what will be contacted, then run only after consent, with
//! progress and cancel; the results are signed and kept as evidence with this year's assessment.
//! Off by default; the never-touch list (`<data-dir>/never-touch.txt`) is always honoured.

use tauri::{AppHandle, Emitter, Manager, State};
use tenken_core::evidence::{BUNDLE_FORMAT, Bundle, Finding, HostFacts};
use tenken_core::net::{self, NeverTouch, Phase, RunOptions, Scope};

use crate::commands::scan::{PROGRESS_EVENT, Tasks};
use crate::dto::{CmdResult, CommandError, ProgressEvent, TextDto};
use crate::dto_evidence::{NetworkOutcomeDto, NetworkPlanDto, PlanEntryDto};
use crate::state::AppState;
use crate::validate;
use std::net::Ipv4Addr;

/// The plan entry meaning "this PC's router (default gateway)".
pub const GATEWAY: &str = "gateway";

/// Connections per second of the app's network check (the CLI's default).
const RATE: u32 = 20;

/// The consent plan for this PC: its router `gateway` (found in the routing table, no packet
/// sent), the UPnP discovery that goes with it, and what is skipped and why.
pub fn plan_of(gateway: Option<Ipv4Addr>, nt: &NeverTouch) -> NetworkPlanDto {
    let mut entries = Vec::new();
    let text = |ja: String, en: String| TextDto { ja, en };
    match gateway {
        None => entries.push(PlanEntryDto {
            address: String::new(),
            what: text(
                "ルーターが見つかりませんでした。ルーターには接続しません（結果は「未確認」になります）。".into(),
                "No router was found; it is not contacted (the result will be unverified).".into(),
            ),
            skipped: true,
        }),
        Some(gw) if nt.contains(gw) => entries.push(PlanEntryDto {
            address: gw.to_string(),
            what: text(
                "ルーター: 「通信しない機器」に入っているため接続しません。".into(),
                "Router: on the never-touch list, so it is not contacted.".into(),
            ),
            skipped: true,
        }),
        Some(gw) if !net::scope::is_scannable(gw) || gw.is_loopback() => {
            entries.push(PlanEntryDto {
                address: gw.to_string(),
                what: text(
                    "ルーター: 院内LANのアドレスではないため接続しません。".into(),
                    "Router: not a clinic LAN address, so it is not contacted.".into(),
                ),
                skipped: true,
            })
        }
        Some(gw) => {
            let ports = net::profile::ROUTER_PORTS
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join("・");
            entries.push(PlanEntryDto {
                address: gw.to_string(),
                what: text(
                    format!(
                        "ルーター（このパソコンのインターネットへの出入口）: 応答するか、管理画面や遠隔操作の窓口（ポート {ports}）が開いているかを確かめます。"
                    ),
                    format!(
                        "Router (this PC's way to the internet): whether it answers and whether its admin or remote ports ({}) are open.",
                        ports.replace('・', ", ")
                    ),
                ),
                skipped: false,
            });
            entries.push(PlanEntryDto {
                address: "239.255.255.250:1900".into(),
                what: text(
                    "院内LANへの一斉問い合わせ（UPnP）: ルーターが外から設定を変えられる状態になっていないかを確かめます。".into(),
                    "A question to the clinic LAN (UPnP): whether the router lets its settings be changed from outside.".into(),
                ),
                skipped: false,
            });
        }
    }
    NetworkPlanDto {
        consent_id: String::new(),
        targets: vec![GATEWAY.to_string()],
        entries,
        never_touch: u32::try_from(nt.entries.len()).unwrap_or(u32::MAX),
    }
}

/// What the network check would contact (for the consent dialog). Reads this PC's routing
/// table only; sends nothing.
#[tauri::command]
pub async fn network_plan(
    state: State<'_, AppState>,
    consents: State<'_, crate::consent::Consents>,
) -> CmdResult<NetworkPlanDto> {
    let nt = NeverTouch::load(state.dir()).map_err(CommandError::of)?;
    let (_, _, gw) = net::gateway::discover().await;
    let mut plan = plan_of(gw, &nt);
    // The check will run on exactly these targets, once, with this id (the page cannot name
    // others).
    plan.consent_id = consents.offer(plan.targets.clone(), chrono::Utc::now());
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

/// Signs the network results and keeps them with this fiscal year's assessment, in this PC's
/// bundle (merged with its local results, as `tenken scan --network` does), so the checklist,
/// the automatic-check screen and the report show them. Returns them as the UI shows them.
pub fn keep_network(
    state: &AppState,
    findings: Vec<Finding>,
    started_at: chrono::DateTime<chrono::Utc>,
    ended_at: chrono::DateTime<chrono::Utc>,
    host: HostFacts,
) -> CmdResult<NetworkOutcomeDto> {
    let a = crate::engine::current_assessment(state)?;
    let fresh = Bundle {
        format: BUNDLE_FORMAT.to_string(),
        host,
        started_at,
        ended_at,
        replayed: false,
        findings: findings.clone(),
    };
    let kept = state
        .session()?
        .keep_host_findings(a.id, fresh)
        .map_err(CommandError::of)?;
    let checklist = tenken_core::checklist::find(&a.checklist_id, Some(state.dir()))
        .map_err(CommandError::of)?
        .for_sheet(crate::commands::checklist::SHEET);
    Ok(NetworkOutcomeDto {
        findings: findings
            .iter()
            .map(|f| crate::commands::evidence::finding_dto(&checklist, &kept, f))
            .collect(),
        host: kept.host.hostname.clone(),
    })
}

fn progress(
    app: &AppHandle,
    task: &str,
    step: &str,
    state: &str,
    done: u32,
    total: u32,
    message: TextDto,
) {
    // A closed window cannot receive events; the check still finishes and is kept.
    let _ = app.emit(
        PROGRESS_EVENT,
        ProgressEvent {
            task: task.to_string(),
            step: step.to_string(),
            state: state.to_string(),
            done,
            total,
            message,
        },
    );
}

/// Runs the network check after the user consented to `targets` (exactly the plan shown):
/// progress per phase arrives as events, `cancel_task(task)` stops it (nothing is kept then),
/// and the results are signed and kept with this fiscal year's assessment.
#[tauri::command]
pub async fn start_network_check(
    app: AppHandle,
    tasks: State<'_, Tasks>,
    task: String,
    consent_id: String,
) -> CmdResult<NetworkOutcomeDto> {
    validate::id(&task)?;
    // Only what the backend showed in `network_plan`, agreed once and recently.
    let given = app
        .state::<crate::consent::Consents>()
        .take(&consent_id, chrono::Utc::now())?;
    if given.targets.is_empty() {
        return Err(CommandError::invalid(
            "確認する相手がありません",
            "Nothing to check",
        ));
    }
    let nt = NeverTouch::load(app.state::<AppState>().dir()).map_err(CommandError::of)?;
    let scope = consented_scope(&given.targets, nt)?;
    let cancel = tasks.start(&task)?;
    // Devices are judged by the newest known-exploited catalogue installed (else the built-in).
    let kev = std::sync::Arc::new(tenken_core::kev::load(app.state::<AppState>().dir()).0);
    // The LAN check has two phases: finding the devices, then checking their ports.
    let total = u32::from(scope.network) + 2 * u32::from(!scope.lan.is_empty());
    let started_at = chrono::Utc::now();
    let result = {
        let app = app.clone();
        let task = task.clone();
        tokio::task::spawn_blocking(move || {
            let done = std::sync::atomic::AtomicU32::new(0);
            let on_phase = |p: Phase| {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (step, message) = match p {
                    Phase::Gateway => (
                        "gateway",
                        TextDto {
                            ja: "このPCのルーター（出入口の機器）を確認しています…".into(),
                            en: "Checking this PC's router…".into(),
                        },
                    ),
                    Phase::Discover { addresses } => (
                        "discover",
                        TextDto {
                            ja: format!(
                                "院内LANの {addresses} 件のアドレスに機器があるか確認しています…"
                            ),
                            en: format!("Finding devices among {addresses} addresses…"),
                        },
                    ),
                    Phase::Lan { hosts } => (
                        "lan",
                        TextDto {
                            ja: format!(
                                "院内の機器 {hosts} 台の開いている窓口（ポート）を確認しています…"
                            ),
                            en: format!("Checking open ports of {hosts} devices…"),
                        },
                    ),
                };
                progress(&app, &task, step, "running", n, total, message);
            };
            let opts = RunOptions {
                kev: Some(kev),
                ..RunOptions::default()
            };
            net::run_cancellable(&scope, &opts, &cancel, &on_phase)
        })
        .await
    };
    tasks.finish(&task);
    let outcome = result
        .map_err(CommandError::internal)?
        .map_err(CommandError::of)?;
    let Some((_, mut findings)) = outcome else {
        progress(
            &app,
            &task,
            "network",
            "cancelled",
            0,
            total,
            TextDto {
                ja: "中止しました。結果は保存していません。".into(),
                en: "Cancelled. Nothing was saved.".into(),
            },
        );
        return Err(CommandError {
            code: "cancelled".into(),
            ja: "中止しました".into(),
            en: "Cancelled".into(),
        });
    };
    // The consent it ran under is part of its evidence (what was shown, when, when agreed).
    if let Some(first) = findings.first_mut() {
        first.evidence.insert(0, crate::consent::evidence(&given));
    }
    let ended_at = chrono::Utc::now();
    let app2 = app.clone();
    let kept = tokio::task::spawn_blocking(move || {
        let state = app2.state::<AppState>();
        let e = tenken_core::probe::host::is_elevated();
        keep_network(
            &state,
            findings,
            started_at,
            ended_at,
            tenken_core::probe::host::host_facts(e),
        )
    })
    .await
    .map_err(CommandError::internal)??;
    progress(
        &app,
        &task,
        "network",
        "done",
        total,
        total,
        TextDto {
            ja: "確認が終わり、結果を保存しました。".into(),
            en: "Done; the results were saved.".into(),
        },
    );
    Ok(kept)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn plan_names_the_router_and_upnp_or_says_what_is_skipped() {
        let gw: Ipv4Addr = "192.168.10.1".parse().unwrap();
        let p = plan_of(Some(gw), &NeverTouch::default());
        assert_eq!(p.targets, vec![GATEWAY.to_string()]);
        assert_eq!(p.entries.len(), 2);
        assert_eq!(p.entries[0].address, "192.168.10.1");
        assert!(p.entries[0].what.ja.contains("ルーター") && !p.entries[0].skipped);
        assert!(p.entries[1].address.starts_with("239.255.255.250"));
        let nt = NeverTouch::parse("192.168.10.1\n").unwrap();
        let p = plan_of(Some(gw), &nt);
        assert_eq!(p.entries.len(), 1);
        assert!(p.entries[0].skipped && p.entries[0].what.ja.contains("通信しない機器"));
        assert_eq!(p.never_touch, 1);
        let p = plan_of(None, &NeverTouch::default());
        assert!(p.entries.iter().all(|e| e.skipped));
        let p = plan_of(Some("8.8.8.8".parse().unwrap()), &NeverTouch::default());
        assert!(p.entries.iter().all(|e| e.skipped));
    }

    #[test]
    fn consent_scope_takes_only_what_was_shown() {
        let s = consented_scope(&[GATEWAY.to_string()], NeverTouch::default()).unwrap();
        assert!(s.network && s.lan.is_empty());
        // The never-touch summary line of the plan is not a target.
        let s = consented_scope(
            &["通信しない機器: 2".to_string(), "192.168.10.5".to_string()],
            NeverTouch::default(),
        )
        .unwrap();
        assert!(!s.network);
        assert_eq!(s.lan.len(), 1);
        assert!(consented_scope(&["8.8.8.8".to_string()], NeverTouch::default()).is_err());
    }

    /// Recorded observations (a loopback-only run recorded into a temp dir, replayed) are
    /// evaluated and kept: the current bundle of this PC then holds the network results next to
    /// the local ones, and the evidence view shows them.
    #[test]
    fn replayed_network_results_are_kept_with_the_local_results() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        let cid = crate::engine::checklists(state.dir()).unwrap()[0]
            .id
            .clone();
        let _ = crate::engine::assessment_for(&state, &cid).unwrap();
        // Local results of this "PC" kept first (as the automatic check does).
        let mut local = tenken_testkit::sample::bundles().remove(0);
        local.host.hostname = "TEST-PC".into();
        {
            let a = crate::engine::current_assessment(&state).unwrap();
            state
                .session()
                .unwrap()
                .keep_host_findings(a.id, local.clone())
                .unwrap();
        }
        // Record a loopback-only LAN check, then replay it (no packet leaves this machine).
        let scope = Scope::new(false, &["127.0.0.1".into()], NeverTouch::default(), 200).unwrap();
        let rec = tempfile::tempdir().unwrap();
        let (obs, _) = net::run_blocking(&scope, &RunOptions::default()).unwrap();
        net::record(rec.path(), &obs).unwrap();
        let replayed = net::replay(rec.path()).unwrap().unwrap();
        let findings = net::evaluate(&replayed);
        assert!(!findings.is_empty());
        let out = keep_network(
            &state,
            findings.clone(),
            replayed.started_at,
            replayed.ended_at,
            local.host.clone(),
        )
        .unwrap();
        assert_eq!(out.host, "TEST-PC");
        assert_eq!(out.findings.len(), findings.len());
        drop(state);
        let state = AppState::open(dir.path()).unwrap();
        let (_, c, bundles) = crate::commands::evidence::load(&state, &cid).unwrap();
        assert_eq!(bundles.len(), 1, "one current bundle for this PC");
        let b = &bundles[0];
        for f in &findings {
            assert!(
                b.findings.iter().any(|k| k.probe_id == f.probe_id),
                "{} kept",
                f.probe_id
            );
        }
        for f in &local.findings {
            assert!(
                b.findings.iter().any(|k| k.probe_id == f.probe_id),
                "{} still there",
                f.probe_id
            );
        }
        let r = crate::commands::evidence::scan_results_of(&c, &bundles);
        assert!(r.hosts[0].network);
    }
}
