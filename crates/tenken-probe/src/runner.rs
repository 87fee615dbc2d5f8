//! The scan runner: runs probes with bounded concurrency and per-probe timeouts, reports
//! progress events, supports cancellation, records or replays raw outputs, and returns a
//! [`Bundle`] (host facts + findings sorted by probe id).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::bundle_replay::BundleReplay;
use super::exec::{self, CancelToken};
use super::record::{self, RecordError, RecordedHost};
use super::shared::{SharedCaptures, store_shared_once};
use super::{CaptureError, Captured, EvalContext, Os, Probe, Source};
use tenken_base::Text;
use tenken_evidence::{BUNDLE_FORMAT, Bundle, Finding, UnknownReason, Verdict};

/// Progress of a scan, for the CLI progress bar and the GUI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeEvent {
    /// A probe started collecting.
    Started {
        /// Probe id.
        id: String,
    },
    /// A probe finished (its finding is final).
    Finished {
        /// Probe id.
        id: String,
        /// Its verdict.
        verdict: Verdict,
    },
}

/// Callback receiving [`ProbeEvent`]s (called from runner tasks).
pub type EventSink = Arc<dyn Fn(ProbeEvent) + Send + Sync>;

/// Where raw outputs come from.
#[derive(Debug, Clone, Default)]
pub enum Mode {
    /// Run the probes on this machine.
    #[default]
    Live,
    /// Run live and record into the directory.
    Record(PathBuf),
    /// Execute nothing; evaluate recorded outputs from the directory, or the raw evidence of
    /// the bundle when the path is a bundle JSON file ([`crate::bundle_replay`]).
    Replay(PathBuf),
}

/// Where a replay reads from.
#[derive(Debug, Clone)]
enum Replay {
    /// A recording directory.
    Dir(PathBuf),
    /// An evidence bundle.
    Bundle(Arc<BundleReplay>),
}

/// Probes collecting at the same time by default. Each running probe may have a child process
/// (systemctl, ps, PowerShell), so this bounds the scan's footprint beside the 電子カルテ: on the
/// benchmark machine 3 keeps the whole process tree's peak under 20 MiB where 4 reached 22 MiB
/// in its worst runs, for 15 ms more (`make bench`).
pub const DEFAULT_CONCURRENCY: usize = 3;

/// Options of a scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Live, record or replay.
    pub mode: Mode,
    /// Maximum probes collecting at the same time.
    pub concurrency: usize,
    /// Only these probe ids (empty = all).
    pub only: Vec<String>,
    /// Cancellation handle.
    pub cancel: CancelToken,
    /// Multiplies every probe's timeout (tests use values < 1).
    pub timeout_scale: f64,
    /// Where slow, rarely changing facts are cached ([`crate::cache`]); none = no cache.
    /// The CLI and the app use `<data dir>/cache`.
    pub cache_dir: Option<PathBuf>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            mode: Mode::Live,
            concurrency: DEFAULT_CONCURRENCY,
            only: Vec::new(),
            cancel: CancelToken::new(),
            timeout_scale: 1.0,
            cache_dir: None,
        }
    }
}

/// Errors that stop a scan as a whole (single probe problems become unknown findings).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// Recording could not be read or written.
    #[error("recording: {0}")]
    Record(#[from] RecordError),
    /// This OS is not supported for live scans.
    #[error("unsupported operating system for a live scan")]
    UnsupportedOs,
    /// A probe id given in `only` does not exist.
    #[error("unknown probe id '{0}'")]
    UnknownProbe(String),
}

pub use super::evidence_of::{describe as source_label, evidence_from};

/// An unknown finding for `probe` with `reason` and a detail text.
pub fn unknown_finding(probe: &dyn Probe, reason: UnknownReason, detail: Text) -> Finding {
    let meta = probe.meta();
    Finding {
        probe_id: meta.id.to_string(),
        title: meta.title.clone(),
        verdict: Verdict::Unknown,
        reason: Some(reason),
        summary: detail,
        action: Text::default(),
        facts: serde_json::json!({}),
        checklist_refs: meta.checklist_refs.clone(),
        evidence: Vec::new(),
    }
}

/// Evaluates a probe on captures, enforcing the runner's rules: a panic becomes unknown, a
/// source that hit the time limit makes the finding unknown/timeout, and evidence is attached.
pub fn finalize(probe: &dyn Probe, ctx: &EvalContext, captured: &[Captured]) -> Finding {
    let evaluated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        probe.evaluate(ctx, captured)
    }));
    let mut finding = match evaluated {
        Ok(f) => f,
        Err(_) => unknown_finding(
            probe,
            UnknownReason::Unparsable,
            Text::new(
                "出力の解析中に問題が起きました",
                "The output could not be analysed",
            ),
        ),
    };
    if captured
        .iter()
        .any(|c| c.error == Some(CaptureError::Timeout))
    {
        finding.verdict = Verdict::Unknown;
        finding.reason = Some(UnknownReason::Timeout);
        finding.summary = UnknownReason::Timeout.text();
    }
    if captured
        .iter()
        .any(|c| c.error_detail.as_deref() == Some("cancelled"))
    {
        finding.verdict = Verdict::Unknown;
        finding.reason = Some(UnknownReason::Other);
        finding.summary = Text::new("点検が中止されました", "The scan was cancelled");
    }
    if finding.verdict == Verdict::Unknown && finding.reason.is_none() {
        finding.reason = Some(UnknownReason::Other);
    }
    if finding.verdict != Verdict::Unknown {
        finding.reason = None;
    }
    finding.probe_id = probe.meta().id.to_string();
    if finding.evidence.is_empty() {
        finding.evidence = captured.iter().map(evidence_from).collect();
    }
    finding
}

/// Collects all planned sources of one probe (blocking), sharing a per-probe deadline; each
/// capture is pushed to `sink` as soon as it exists so a hard timeout keeps partial evidence.
fn collect_sources(
    plan: &[Source],
    timeout: Duration,
    elevated: bool,
    cancel: &CancelToken,
    shared: &SharedCaptures,
    sink: &Mutex<Vec<Captured>>,
) {
    let start = Instant::now();
    for src in plan {
        let cap = if cancel.is_cancelled() {
            exec::failed_capture(src, CaptureError::Io, "cancelled", elevated)
        } else {
            let left = timeout.saturating_sub(start.elapsed());
            if left.is_zero() {
                exec::failed_capture(
                    src,
                    CaptureError::Timeout,
                    "probe time limit reached before this source",
                    elevated,
                )
            } else {
                shared.collect(src, || crate::capture::collect(src, left, elevated, cancel))
            }
        };
        if let Ok(mut v) = sink.lock() {
            v.push(cap);
        }
    }
}

/// Runs a scan and returns the bundle.
pub async fn scan(
    probes: Vec<Box<dyn Probe>>,
    opts: ScanOptions,
    events: Option<EventSink>,
) -> Result<Bundle, ScanError> {
    let started_at = Utc::now();
    for id in &opts.only {
        if !probes.iter().any(|p| p.meta().id == id) {
            return Err(ScanError::UnknownProbe(id.clone()));
        }
    }
    let probes: Vec<Arc<dyn Probe>> = probes
        .into_iter()
        .filter(|p| opts.only.is_empty() || opts.only.iter().any(|id| id == p.meta().id))
        .map(Arc::from)
        .collect();

    let (ctx, replay_dir) = match &opts.mode {
        Mode::Replay(path) if path.is_file() => {
            let replay = BundleReplay::read(path)?;
            (replay.context(), Some(Replay::Bundle(Arc::new(replay))))
        }
        Mode::Replay(dir) => {
            let rec = record::read_host(dir)?;
            let ctx = EvalContext {
                os: rec.os,
                host: rec.host,
                now: rec.scanned_at,
                elevated: rec.elevated,
            };
            (ctx, Some(Replay::Dir(dir.clone())))
        }
        Mode::Live | Mode::Record(_) => {
            let os = Os::current().ok_or(ScanError::UnsupportedOs)?;
            let (elevated, host) = tokio::task::spawn_blocking(|| {
                let e = super::host::is_elevated();
                (e, super::host::host_facts(e))
            })
            .await
            .unwrap_or_default();
            let ctx = EvalContext {
                os,
                host,
                now: started_at,
                elevated,
            };
            if let Mode::Record(dir) = &opts.mode {
                record::write_host(
                    dir,
                    &RecordedHost {
                        os,
                        host: ctx.host.clone(),
                        scanned_at: started_at,
                        elevated,
                    },
                )?;
            }
            (ctx, None)
        }
    };
    // Slow probes (the longest time limits: update state, Windows Update searches) start first,
    // so the others run beside them instead of after them.
    let mut probes = probes;
    probes.sort_by_key(|p| std::cmp::Reverse(p.meta().timeout));
    let ctx = Arc::new(ctx);
    let shared = Arc::new(SharedCaptures::new(opts.cache_dir.clone()));
    let sem = Arc::new(tokio::sync::Semaphore::new(opts.concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for probe in probes {
        let ctx = ctx.clone();
        let sem = sem.clone();
        let events = events.clone();
        let cancel = opts.cancel.clone();
        let replay_dir = replay_dir.clone();
        let record_dir = match &opts.mode {
            Mode::Record(d) => Some(d.clone()),
            _ => None,
        };
        let scale = opts.timeout_scale;
        let shared = shared.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await.ok();
            let id = probe.meta().id.to_string();
            if let Some(ev) = &events {
                ev(ProbeEvent::Started { id: id.clone() });
            }
            let finding = run_one(probe, ctx, replay_dir, record_dir, cancel, scale, shared).await;
            if let Some(ev) = &events {
                ev(ProbeEvent::Finished {
                    id,
                    verdict: finding.verdict,
                });
            }
            finding
        });
    }
    let mut findings = Vec::new();
    while let Some(res) = set.join_next().await {
        if let Ok(f) = res {
            findings.push(f);
        }
    }
    findings.sort_by(|a, b| a.probe_id.cmp(&b.probe_id));
    store_shared_once(&mut findings);
    Ok(Bundle {
        format: BUNDLE_FORMAT.to_string(),
        host: ctx.host.clone(),
        started_at: if replay_dir.is_some() {
            ctx.now
        } else {
            started_at
        },
        ended_at: if replay_dir.is_some() {
            ctx.now
        } else {
            Utc::now()
        },
        replayed: replay_dir.is_some(),
        findings,
    })
}

async fn run_one(
    probe: Arc<dyn Probe>,
    ctx: Arc<EvalContext>,
    replay_dir: Option<Replay>,
    record_dir: Option<PathBuf>,
    cancel: CancelToken,
    scale: f64,
    shared: Arc<SharedCaptures>,
) -> Finding {
    let plan = probe.plan(ctx.os);
    if plan.is_empty() {
        let mut f = unknown_finding(
            probe.as_ref(),
            UnknownReason::UnsupportedOs,
            UnknownReason::UnsupportedOs.text(),
        );
        f.facts = serde_json::json!({ "os": ctx.os });
        return f;
    }
    if let Some(replay) = replay_dir {
        let recorded = match replay {
            Replay::Bundle(b) => Ok(b.captures(probe.meta().id, &plan)),
            Replay::Dir(dir) => match record::read_probe(&dir, probe.meta().id, &plan) {
                // No recording: a `netstat -ano` text in the directory can stand in for the
                // socket table (ports.listening, net.peers).
                Ok(None) => record::read_netstat_stand_in(&dir, &plan),
                other => other,
            },
        };
        return match recorded {
            Ok(Some(caps)) => finalize(probe.as_ref(), &ctx, &caps),
            Ok(None) => unknown_finding(
                probe.as_ref(),
                UnknownReason::Other,
                Text::new(
                    "この項目の記録データがありません（再生できません）",
                    "No recorded output for this probe (cannot replay)",
                ),
            ),
            Err(e) => unknown_finding(
                probe.as_ref(),
                UnknownReason::Unparsable,
                Text::new(
                    format!("記録データを読めません: {e}"),
                    format!("Recording unreadable: {e}"),
                ),
            ),
        };
    }
    if cancel.is_cancelled() {
        return unknown_finding(
            probe.as_ref(),
            UnknownReason::Other,
            Text::new("点検が中止されました", "The scan was cancelled"),
        );
    }
    let timeout = probe.meta().timeout.mul_f64(scale.max(0.001));
    let sink = Arc::new(Mutex::new(Vec::new()));
    let task = {
        let plan = plan.clone();
        let sink = sink.clone();
        let cancel = cancel.clone();
        let elevated = ctx.elevated;
        tokio::task::spawn_blocking(move || {
            collect_sources(&plan, timeout, elevated, &cancel, &shared, &sink)
        })
    };
    // Commands enforce the deadline themselves; this outer limit catches native collectors
    // that hang (their thread is abandoned, the partial evidence kept).
    let hard = timeout + Duration::from_secs(3);
    let completed = tokio::time::timeout(hard, task).await.is_ok();
    let mut caps = sink.lock().map(|v| v.clone()).unwrap_or_default();
    if !completed {
        for src in plan.iter().skip(caps.len()) {
            caps.push(exec::failed_capture(
                src,
                CaptureError::Timeout,
                "probe time limit reached",
                ctx.elevated,
            ));
        }
    }
    if let Some(dir) = record_dir
        && let Err(e) = record::write_probe(&dir, probe.meta().id, &caps)
    {
        tracing::warn!("recording {}: {e}", probe.meta().id);
    }
    finalize(probe.as_ref(), &ctx, &caps)
}

/// Runs [`scan`] on a fresh multi-threaded tokio runtime (for callers without one).
pub fn scan_blocking(
    probes: Vec<Box<dyn Probe>>,
    opts: ScanOptions,
    events: Option<EventSink>,
) -> Result<Bundle, ScanError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|source| {
            ScanError::Record(RecordError::Io {
                path: PathBuf::from("<tokio runtime>"),
                source,
            })
        })?;
    rt.block_on(scan(probes, opts, events))
}

impl tenken_base::Kinded for ScanError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            ScanError::Record(e) => e.kind(),
            ScanError::UnsupportedOs => ErrorKind::Unavailable,
            ScanError::UnknownProbe(_) => ErrorKind::NotFound,
        }
    }
}
