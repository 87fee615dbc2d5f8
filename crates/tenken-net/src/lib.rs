//! Consent-scoped network checks: gateway reachability, router admin exposure, UPnP, double NAT
//! and the LAN port check. Nothing here runs unless the user enabled it with an explicit scope.
//!
//! Flow: [`Scope`] (validated consent) -> [`run`] (the only code that sends packets) ->
//! [`Observations`] (recordable with [`record`], replayable with [`replay`]) -> [`evaluate`]
//! (pure verdict rules) -> findings. Safety model and port profile: `docs/network-checks.md`.

pub mod discover;
pub mod eval;
pub mod eval_devices;
pub mod gateway;
pub mod identify;
mod kept;
pub mod obs;
pub mod profile;
pub mod scope;
pub mod tcp;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;

pub use eval::{evaluate, evaluate_with};
pub use kept::{OBSERVATIONS_SOURCE, observations_evidence, observations_in};
pub use obs::Observations;
pub use scope::{NeverTouch, Scope};

use tenken_base::Lang;
use tenken_evidence::Finding;
use tenken_probe::exec::CancelToken;

/// File name of recorded network observations inside a record directory.
pub const RECORD_FILE: &str = "network.json";

/// Errors of the network checks.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// A target or never-touch entry could not be parsed.
    #[error("対象 '{0}' を読み取れません ({1}) / cannot parse target '{0}' ({1})")]
    BadTarget(String, &'static str),
    /// A CIDR wider than /24.
    #[error(
        "'{0}' は広すぎます。/24 以下で指定してください / '{0}' is too wide: use /24 or smaller"
    )]
    TooWide(String),
    /// A public (non-private) address.
    #[error(
        "{0} はプライベートアドレスではないため確認できません(院内LANのアドレスだけを指定してください) / \
         {0} is not a private address: only clinic LAN addresses may be checked"
    )]
    NotPrivate(std::net::Ipv4Addr),
    /// More targets than the hard cap.
    #[error("対象が多すぎます({0}台、上限 256) / too many targets ({0}, limit 256)")]
    TooMany(usize),
    /// Rate outside 1..=500.
    #[error("--rate {0} は範囲外です(1〜500) / --rate {0} out of range (1-500)")]
    Rate(u32),
    /// A file could not be read or written.
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    /// Recorded observations could not be (de)serialized.
    #[error("recorded network observations: {0}")]
    Json(#[from] serde_json::Error),
    /// The observations kept in a bundle do not match their SHA-256.
    #[error(
        "バンドルに残されたネットワーク確認の記録が壊れています（SHA-256 が一致しません） / \
         the network check's observations kept in the bundle are damaged (SHA-256 mismatch)"
    )]
    DamagedObservations,
}

/// Tunables of a run that are not part of the user's consent.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How long SSDP answers are collected.
    pub ssdp_wait: Duration,
    /// The known-exploited catalogue to judge devices by (the built-in copy when `None`; the
    /// faces pass [`tenken_kev::load`]'s, which prefers a newer installed file).
    pub kev: Option<std::sync::Arc<tenken_kev::Catalogue>>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            ssdp_wait: gateway::SSDP_WAIT,
            kev: None,
        }
    }
}

impl RunOptions {
    /// The catalogue devices are judged by.
    pub fn catalogue(&self) -> &tenken_kev::Catalogue {
        self.kev
            .as_deref()
            .unwrap_or_else(|| tenken_kev::Catalogue::builtin())
    }
}

/// What a running network check is doing (for progress display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Checking this PC's router (default gateway).
    Gateway,
    /// Finding which addresses of the LAN range have a device (light round).
    Discover {
        /// Number of addresses in the range (never-touch ones removed).
        addresses: usize,
    },
    /// Port-checking the LAN devices found.
    Lan {
        /// Number of devices found.
        hosts: usize,
    },
}

/// Runs the consented checks and returns what was observed. The only function that sends
/// packets; sends nothing when the scope is not enabled.
pub async fn run(scope: &Scope, opts: &RunOptions) -> Observations {
    run_phased(scope, opts, &|_| {}).await
}

/// [`run`], telling `on_phase` when each phase starts.
pub async fn run_phased(
    scope: &Scope,
    opts: &RunOptions,
    on_phase: &(dyn Fn(Phase) + Sync),
) -> Observations {
    let started_at = Utc::now();
    let conn = tcp::Connector::new(scope.rate, scope.concurrency, scope.never_touch.clone());
    // The router and the LAN are checked at the same time, under the same pacing.
    let gateway = async {
        if scope.network {
            on_phase(Phase::Gateway);
            Some(gateway::check(&conn, &scope.never_touch, opts.ssdp_wait).await)
        } else {
            None
        }
    };
    let lan = async {
        if scope.lan.is_empty() {
            (None, Vec::new(), Vec::new())
        } else {
            on_phase(Phase::Discover {
                addresses: scope.lan.len(),
            });
            let on_found = |hosts| on_phase(Phase::Lan { hosts });
            let (d, lan, devices) =
                discover::check_lan(&conn, &scope.lan, &profile::ports(), &on_found).await;
            (Some(d), lan, devices)
        }
    };
    let (gateway, (discovery, lan, mut devices)) = tokio::join!(gateway, lan);
    // Devices that announced themselves by SSDP (router check) get their description read,
    // when they are the router or a device of the consented LAN range.
    if let Some(ssdp) = gateway.as_ref().and_then(|g| g.ssdp.as_ref()) {
        for r in &ssdp.responses {
            let Some(ip) = r
                .from
                .split(':')
                .next()
                .and_then(|h| h.parse::<std::net::Ipv4Addr>().ok())
            else {
                continue;
            };
            let is_gateway = gateway.as_ref().and_then(|g| g.address) == Some(ip);
            if scope.never_touch.contains(ip) || !(is_gateway || scope.lan.contains(&ip)) {
                continue;
            }
            let Some(loc) = gateway::header_value(&r.raw, "location") else {
                continue;
            };
            let dev = match devices.iter_mut().find(|d| d.addr == ip) {
                Some(d) => d,
                None => {
                    devices.push(identify::DeviceObs {
                        addr: ip,
                        http: Vec::new(),
                        snmp: None,
                        upnp: None,
                    });
                    let n = devices.len() - 1;
                    &mut devices[n]
                }
            };
            if dev.upnp.is_some() {
                continue;
            }
            // The router's description was already read by the IGD query: not fetched twice.
            let igd = gateway
                .as_ref()
                .and_then(|g| g.igd.as_ref())
                .filter(|i| is_gateway && i.location == loc && !i.description.is_empty());
            dev.upnp = Some(match igd {
                Some(i) => identify::parse_description(loc, &i.description),
                None => {
                    conn.pace().await;
                    identify::read_description(ip, loc).await
                }
            });
        }
    }
    // The router itself is asked over SNMP too (when it was not in the LAN range).
    if let Some(gw) = gateway
        .as_ref()
        .filter(|g| g.not_contacted.is_none())
        .and_then(|g| g.address)
    {
        let pos = match devices.iter().position(|d| d.addr == gw) {
            Some(p) => p,
            None => {
                devices.push(identify::DeviceObs {
                    addr: gw,
                    http: Vec::new(),
                    snmp: None,
                    upnp: None,
                });
                devices.len() - 1
            }
        };
        if devices[pos].snmp.is_none() && !scope.never_touch.contains(gw) {
            conn.pace().await;
            devices[pos].snmp = tokio::task::spawn_blocking(move || identify::snmp_public_get(gw))
                .await
                .ok();
        }
    }
    Observations {
        scope: scope.clone(),
        started_at,
        ended_at: Utc::now(),
        gateway,
        discovery,
        lan,
        devices,
    }
}

/// Runs the checks on a private tokio runtime (for synchronous callers) and evaluates them.
pub fn run_blocking(
    scope: &Scope,
    opts: &RunOptions,
) -> Result<(Observations, Vec<Finding>), NetError> {
    run_cancellable(scope, opts, &CancelToken::new(), &|_| {}).map(|r| {
        r.unwrap_or_else(|| {
            // Unreachable: a fresh token is never cancelled. Evaluate an empty run to stay total.
            let obs = Observations {
                scope: scope.clone(),
                started_at: Utc::now(),
                ended_at: Utc::now(),
                gateway: None,
                discovery: None,
                lan: Vec::new(),
                devices: Vec::new(),
            };
            let f = evaluate(&obs);
            (obs, f)
        })
    })
}

/// [`run_blocking`] that reports phases and stops when `cancel` is set: the run is dropped
/// together with its private runtime, so no further packet is sent. `Ok(None)` when cancelled
/// (nothing is evaluated from a partial run).
pub fn run_cancellable(
    scope: &Scope,
    opts: &RunOptions,
    cancel: &CancelToken,
    on_phase: &(dyn Fn(Phase) + Sync),
) -> Result<Option<(Observations, Vec<Finding>)>, NetError> {
    if cancel.is_cancelled() {
        return Ok(None);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| NetError::Io("tokio runtime".into(), e))?;
    let work = async {
        let watch = async {
            while !cancel.is_cancelled() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        tokio::select! {
            obs = run_phased(scope, opts, on_phase) => Some(obs),
            () = watch => None,
        }
    };
    // A fresh thread, so this also works when the caller is already inside a runtime.
    let obs = std::thread::scope(|s| s.spawn(|| rt.block_on(work)).join()).map_err(|_| {
        NetError::Io(
            "network check thread".into(),
            std::io::Error::other("panicked"),
        )
    })?;
    rt.shutdown_background();
    Ok(obs.map(|obs| {
        let findings = evaluate_with(&obs, opts.catalogue());
        (obs, findings)
    }))
}

/// Path of the recorded observations inside a record directory.
pub fn record_path(dir: &Path) -> PathBuf {
    dir.join(RECORD_FILE)
}

/// Writes observations to `<dir>/network.json` (pretty JSON, atomically via a temp file).
pub fn record(dir: &Path, obs: &Observations) -> Result<PathBuf, NetError> {
    std::fs::create_dir_all(dir).map_err(|e| NetError::Io(dir.display().to_string(), e))?;
    let path = record_path(dir);
    let tmp = dir.join(format!("{RECORD_FILE}.tmp"));
    let bytes = serde_json::to_vec_pretty(obs)?;
    std::fs::write(&tmp, bytes).map_err(|e| NetError::Io(tmp.display().to_string(), e))?;
    std::fs::rename(&tmp, &path).map_err(|e| NetError::Io(path.display().to_string(), e))?;
    Ok(path)
}

/// Reads recorded observations from `<dir>/network.json`; `Ok(None)` when none were recorded.
pub fn replay(dir: &Path) -> Result<Option<Observations>, NetError> {
    let path = record_path(dir);
    match std::fs::read(&path) {
        Ok(b) => Ok(Some(serde_json::from_slice(&b)?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(NetError::Io(path.display().to_string(), e)),
    }
}

/// A readable multi-line summary of network findings (one line per finding, verdict first).
pub fn render_text(findings: &[Finding], lang: Lang) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "[{}] {}: {}\n",
            f.verdict.label(lang),
            f.title.get(lang),
            f.summary.get(lang)
        ));
        if let Some(r) = f.reason {
            out.push_str(&format!("    {}\n", r.text().get(lang)));
        }
        if f.probe_id == eval::ID_LAN
            && let Some(ports) = f.facts.get("ports").and_then(|p| p.as_array())
        {
            let mut line = String::new();
            for p in ports {
                let state = p.get("state").and_then(|s| s.as_str()).unwrap_or("?");
                if state == "open" || state == "filtered" {
                    let port = p
                        .get("port")
                        .and_then(serde_json::Value::as_u64)
                        .unwrap_or(0);
                    let st = match (state, lang) {
                        ("open", Lang::Ja) => "開",
                        ("filtered", Lang::Ja) => "応答なし",
                        (s, _) => s,
                    };
                    line.push_str(&format!(" {port}:{st}"));
                }
            }
            if !line.is_empty() {
                out.push_str(&format!("    {}{line}\n", lang.pick("ポート", "ports")));
            }
        }
        if !f.action.get(lang).is_empty() {
            out.push_str(&format!("    → {}\n", f.action.get(lang)));
        }
    }
    out
}

impl tenken_base::Kinded for NetError {
    fn kind(&self) -> tenken_base::ErrorKind {
        use tenken_base::ErrorKind;
        match self {
            NetError::BadTarget(..)
            | NetError::TooWide(_)
            | NetError::NotPrivate(_)
            | NetError::TooMany(_)
            | NetError::Rate(_) => ErrorKind::InvalidInput,
            NetError::Io(_, e) => ErrorKind::of_io(e),
            NetError::Json(_) => ErrorKind::Internal,
            NetError::DamagedObservations => ErrorKind::Damaged,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use tenken_evidence::Verdict;

    #[tokio::test]
    async fn disabled_scope_observes_nothing_and_gateway_is_no_consent() {
        let scope = Scope::new(false, &[], NeverTouch::default(), 50).unwrap();
        let obs = run(&scope, &RunOptions::default()).await;
        assert!(obs.gateway.is_none() && obs.lan.is_empty());
        let f = evaluate(&obs);
        assert_eq!(f.len(), 4);
        assert!(f.iter().all(|f| f.verdict == Verdict::Unknown
            && f.reason == Some(tenken_evidence::UnknownReason::NoConsent)));
    }

    #[tokio::test]
    async fn record_replay_round_trip_gives_same_findings() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        drop(listener);
        let scope = Scope::new(false, &["127.0.0.1".into()], NeverTouch::default(), 200).unwrap();
        let obs = run(&scope, &RunOptions::default()).await;
        let dir = tempfile::tempdir().unwrap();
        record(dir.path(), &obs).unwrap();
        let back = replay(dir.path()).unwrap().unwrap();
        assert_eq!(back, obs);
        assert_eq!(evaluate(&back), evaluate(&obs));
        assert!(replay(&dir.path().join("none")).unwrap().is_none());
        let text = render_text(&evaluate(&obs), Lang::Ja);
        assert!(text.contains("127.0.0.1"), "{text}");
    }

    #[test]
    fn cancelled_run_sends_nothing_and_evaluates_nothing() {
        let scope = Scope::new(false, &["127.0.0.1".into()], NeverTouch::default(), 200).unwrap();
        let cancel = CancelToken::new();
        cancel.cancel();
        let phases = std::sync::Mutex::new(Vec::new());
        let r = run_cancellable(&scope, &RunOptions::default(), &cancel, &|p| {
            phases.lock().unwrap().push(p)
        })
        .unwrap();
        assert!(r.is_none());
        assert!(phases.lock().unwrap().is_empty(), "no phase may start");
    }

    #[test]
    fn cancel_during_the_lan_phase_stops_the_run() {
        // Many loopback targets at a low rate: the run would take seconds; cancel after the
        // LAN check starts (its discovery phase) must end it quickly.
        let targets: Vec<String> = (1..=40).map(|i| format!("127.0.0.{i}")).collect();
        let scope = Scope::new(false, &targets, NeverTouch::default(), 5).unwrap();
        let cancel = CancelToken::new();
        let c2 = cancel.clone();
        let t = std::time::Instant::now();
        let r = run_cancellable(&scope, &RunOptions::default(), &cancel, &move |p| {
            assert_eq!(p, Phase::Discover { addresses: 40 });
            let c = c2.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(200));
                c.cancel();
            });
        })
        .unwrap();
        assert!(r.is_none());
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    }

    #[test]
    fn uncancelled_run_reports_its_phase_and_evaluates() {
        let scope = Scope::new(false, &["127.0.0.1".into()], NeverTouch::default(), 200).unwrap();
        let phases = std::sync::Mutex::new(Vec::new());
        let (obs, findings) =
            run_cancellable(&scope, &RunOptions::default(), &CancelToken::new(), &|p| {
                phases.lock().unwrap().push(p)
            })
            .unwrap()
            .unwrap();
        // Discovery of the one address, then the port check of the one device found (loopback
        // refuses or accepts port 445: either proves a device).
        assert_eq!(
            *phases.lock().unwrap(),
            vec![Phase::Discover { addresses: 1 }, Phase::Lan { hosts: 1 }]
        );
        let d = obs.discovery.as_ref().unwrap();
        assert_eq!(d.found.len(), 1);
        assert!(d.silent.is_empty());
        assert_eq!(obs.lan.len(), 1);
        assert_eq!(findings, evaluate(&obs));
    }
}
