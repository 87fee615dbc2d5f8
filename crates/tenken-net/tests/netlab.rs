//! Network lab, end to end: builds network namespaces with `tests/netlab/lab.sh` (clinic LAN,
//! router with HTTP login + Telnet + UPnP IGD, double NAT, LAN hosts), runs the network checks
//! from inside the clinic namespace, and asserts exactly what Tenken reports, that the
//! never-touch host received no packet and that the configured rate was not exceeded.
//! Needs root, `ip` (iproute2), `nft` (nftables), python3 and openssl; without them it skips
//! LOUDLY (and fails instead when `TENKEN_NETLAB_REQUIRED` is set, as CI should do).
//!
//! Why this file is over 600 lines: one lab set-up shared by every network scenario (router,
//! double NAT, LAN sweep, replay), each asserting exactly what Tenken reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tenken_evidence::{Finding, SourceKind, Verdict};
use tenken_net::obs::{Observations, PortState};
use tenken_net::{self as net, NeverTouch, RunOptions, Scope, profile};

const CHILD_ENV: &str = "TENKEN_NETLAB_CHILD";

fn lab_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/netlab/lab.sh")
}

fn can_run_lab() -> Result<(), String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| e.to_string())?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Err("not root".into());
    }
    for tool in ["ip", "nft", "python3", "openssl"] {
        let ok = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            return Err(format!("{tool} not installed"));
        }
    }
    Ok(())
}

/// Tears the lab down when dropped, also when an assertion fails.
struct Lab {
    prefix: String,
    state: tempfile::TempDir,
}

impl Lab {
    fn up() -> Lab {
        let prefix = format!("tk{}", std::process::id() % 100_000);
        let state = tempfile::tempdir().unwrap();
        let lab = Lab { prefix, state };
        let out = Command::new("bash")
            .arg(lab_script())
            .args(["up", &lab.prefix])
            .arg(lab.state.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "lab up failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        lab
    }

    fn ns(&self, n: &str) -> String {
        format!("{}-{n}", self.prefix)
    }

    /// Runs the network checks inside the clinic namespace (this test binary, re-executed).
    fn scan(
        &self,
        network: bool,
        lan: &[&str],
        never_touch: &[&str],
        rate: u32,
    ) -> (Observations, Vec<Finding>, f64) {
        let out_path = self
            .state
            .path()
            .join(format!("scan-{}.json", rand_suffix()));
        let req = serde_json::json!({"network": network, "lan": lan, "never_touch": never_touch, "rate": rate, "out": out_path});
        let exe = std::env::current_exe().unwrap();
        let start = std::time::Instant::now();
        let out = Command::new("ip")
            .args(["netns", "exec", &self.ns("clinic")])
            .arg(exe)
            .args([
                "child_scan",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, req.to_string())
            .output()
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert!(
            out.status.success(),
            "child scan failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // The readable Japanese result the child printed (shown with --nocapture).
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
        let obs: Observations = serde_json::from_value(v["observations"].clone()).unwrap();
        let findings: Vec<Finding> = serde_json::from_value(v["findings"].clone()).unwrap();
        (obs, findings, secs)
    }

    fn log(&self, name: &str) -> Vec<Value> {
        let text = std::fs::read_to_string(self.state.path().join(format!("{name}.log")))
            .unwrap_or_default();
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v.get("ready").is_none() && v.get("kind") != Some(&Value::from("ready")))
            .collect()
    }

    fn counters(&self) -> String {
        let out = Command::new("ip")
            .args(["netns", "exec", &self.ns("h4"), "nft", "list", "counters"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(lab_script())
            .args(["down", &self.prefix])
            .arg(self.state.path())
            .status();
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Helper run by the parent inside the clinic namespace; does nothing when not invoked so.
#[test]
#[ignore = "runs only inside the lab, started by netlab_end_to_end"]
fn child_scan() {
    let Ok(req) = std::env::var(CHILD_ENV) else {
        return;
    };
    let req: Value = serde_json::from_str(&req).unwrap();
    let strs = |k: &str| {
        req[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let mut nt = NeverTouch::default();
    for e in strs("never_touch") {
        nt.add(&e).unwrap();
    }
    let scope = Scope::new(
        req["network"].as_bool().unwrap(),
        &strs("lan"),
        nt,
        req["rate"].as_u64().unwrap() as u32,
    )
    .unwrap();
    let (obs, findings) = net::run_blocking(&scope, &RunOptions::default()).unwrap();
    eprint!("{}", net::render_text(&findings, tenken_base::Lang::Ja));
    let out = serde_json::json!({"observations": obs, "findings": findings});
    std::fs::write(
        req["out"].as_str().unwrap(),
        serde_json::to_vec(&out).unwrap(),
    )
    .unwrap();
}

fn states(obs: &Observations, host: &str) -> BTreeMap<u16, PortState> {
    let ip: Ipv4Addr = host.parse().unwrap();
    obs.lan
        .iter()
        .find(|h| h.addr == ip)
        .unwrap_or_else(|| panic!("{host} not scanned"))
        .ports
        .iter()
        .map(|p| (p.port, p.state))
        .collect()
}

fn lan_finding<'a>(f: &'a [Finding], host: &str) -> &'a Finding {
    f.iter()
        .find(|f| f.probe_id == "lan.ports" && f.facts["host"] == host)
        .unwrap_or_else(|| panic!("no lan.ports finding for {host}"))
}

fn by_id<'a>(f: &'a [Finding], id: &str) -> &'a Finding {
    f.iter()
        .find(|f| f.probe_id == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

/// Largest number of timestamps inside any half-open window of `width` seconds.
fn max_in_window(mut ts: Vec<f64>, width: f64) -> usize {
    ts.sort_by(f64::total_cmp);
    let mut best = 0;
    let mut j = 0;
    for i in 0..ts.len() {
        while ts[i] - ts[j] >= width {
            j += 1;
        }
        best = best.max(i - j + 1);
    }
    best
}

#[test]
fn netlab_end_to_end() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    if let Err(why) = can_run_lab() {
        eprintln!(
            "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        );
        eprintln!(
            "!!! NETWORK LAB SKIPPED: {why}. Run as root with iproute2, nftables, python3, openssl. !!!"
        );
        eprintln!(
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        );
        assert!(
            std::env::var_os("TENKEN_NETLAB_REQUIRED").is_none(),
            "TENKEN_NETLAB_REQUIRED is set (CI) but the network lab cannot run: {why}"
        );
        return;
    }
    let lab = Lab::up();

    // 1. Full scan: gateway checks + LAN .20-.25 with .24 on the never-touch list.
    let (obs, f, _) = lab.scan(true, &["192.168.77.20-25"], &["192.168.77.24"], 50);

    // Gateway.
    let g = obs.gateway.as_ref().unwrap();
    assert_eq!(g.address, Some(Ipv4Addr::new(192, 168, 77, 1)));
    let reach = by_id(&f, "net.gateway.reach");
    assert_eq!(reach.verdict, Verdict::Pass, "{reach:?}");
    assert!(reach.facts["rtt_ms"].as_f64().unwrap() > 0.0);
    let exp = by_id(&f, "net.router.exposure");
    assert_eq!(
        exp.verdict,
        Verdict::Fail,
        "telnet open must fail: {:?}",
        exp.summary
    );
    assert_eq!(exp.facts["telnet_open"], true);
    assert_eq!(
        exp.facts["plain_http_login"],
        serde_json::json!(["http://192.168.77.1:80/"])
    );
    let http = &exp.facts["http"][0];
    assert_eq!(http["status"], 200);
    assert_eq!(http["title"], "Lab Router Login");
    assert_eq!(http["server"], "LabRouter/1.0");
    // HTTPS with the router's self-signed certificate is read too; its login form is not "plain".
    let https = &exp.facts["http"][1];
    assert_eq!(https["url"], "https://192.168.77.1:443/");
    assert_eq!(https["status"], 200, "{https}");
    assert_eq!(https["password_form"], true);
    let rstate: BTreeMap<u64, String> = exp.facts["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["port"].as_u64().unwrap(),
                p["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: BTreeMap<u64, String> = [
        (80, "open"),
        (443, "open"),
        (8080, "closed"),
        (8443, "closed"),
        (23, "open"),
        (22, "closed"),
    ]
    .into_iter()
    .map(|(p, s)| (p, s.to_string()))
    .collect();
    assert_eq!(rstate, want);
    assert!(
        g.banners
            .iter()
            .any(|b| b.port == 23 && b.banner.contains("login:"))
    );
    let upnp = by_id(&f, "net.upnp");
    assert_eq!(upnp.verdict, Verdict::Warn);
    // Both the router and the vendor's LTE router (.28) announce an Internet Gateway Device.
    assert_eq!(
        upnp.facts["igd"],
        serde_json::json!(["192.168.77.1", "192.168.77.28"])
    );
    let dn = by_id(&f, "net.double_nat");
    assert_eq!(dn.verdict, Verdict::Warn, "{dn:?}");
    assert_eq!(dn.facts["external_ip"], "10.77.1.2");

    // LAN hosts: exact per-port states.
    let all_closed_but = |open: &[u16]| -> BTreeMap<u16, PortState> {
        profile::ports()
            .into_iter()
            .map(|p| {
                (
                    p,
                    if open.contains(&p) {
                        PortState::Open
                    } else {
                        PortState::Closed
                    },
                )
            })
            .collect()
    };
    assert_eq!(states(&obs, "192.168.77.21"), all_closed_but(&[445, 3389]));
    assert_eq!(lan_finding(&f, "192.168.77.21").verdict, Verdict::Warn);
    assert_eq!(states(&obs, "192.168.77.22"), all_closed_but(&[104, 2575]));
    let dicom = lan_finding(&f, "192.168.77.22");
    assert_eq!(dicom.verdict, Verdict::Warn);
    assert!(dicom.action.ja.contains("モダリティ"));
    let dropped: BTreeMap<u16, PortState> = profile::ports()
        .into_iter()
        .map(|p| {
            (
                p,
                if p == 445 {
                    PortState::Open
                } else {
                    PortState::Filtered
                },
            )
        })
        .collect();
    assert_eq!(states(&obs, "192.168.77.23"), dropped);
    assert_eq!(lan_finding(&f, "192.168.77.23").verdict, Verdict::Warn);
    let all_open: BTreeMap<u16, PortState> = profile::ports()
        .into_iter()
        .map(|p| (p, PortState::Open))
        .collect();
    assert_eq!(states(&obs, "192.168.77.25"), all_open);
    assert_eq!(lan_finding(&f, "192.168.77.25").verdict, Verdict::Fail);
    // .20 does not exist: found by nobody, not port-checked, never "pass"; it is listed in the
    // one finding for the silent addresses (該当なし: other devices answered).
    let d = obs.discovery.as_ref().unwrap();
    assert_eq!(d.silent, vec![Ipv4Addr::new(192, 168, 77, 20)]);
    assert!(
        obs.lan
            .iter()
            .all(|h| h.addr != Ipv4Addr::new(192, 168, 77, 20))
    );
    let ghost = f
        .iter()
        .find(|f| f.probe_id == "lan.ports" && f.facts["silent"].is_array())
        .expect("silent-address finding");
    assert_eq!(ghost.verdict, Verdict::NotApplicable);
    assert_eq!(ghost.facts["silent"], serde_json::json!(["192.168.77.20"]));
    assert!(
        ghost.summary.ja.contains("192.168.77.20"),
        "{:?}",
        ghost.summary
    );
    // Never-touch: not scanned, reported as such, and the host saw nothing from the clinic.
    assert!(
        obs.lan
            .iter()
            .all(|h| h.addr != Ipv4Addr::new(192, 168, 77, 24))
    );
    assert_eq!(
        lan_finding(&f, "192.168.77.24").verdict,
        Verdict::NotApplicable
    );
    let counters = lab.counters();
    assert_eq!(
        counters.matches("packets 0 bytes 0").count(),
        2,
        "never-touch host received packets:\n{counters}"
    );
    assert!(lab.log("h4").is_empty());
    // Every contacted address:port is a network evidence record.
    let lan_ev: usize = f
        .iter()
        .filter(|f| f.probe_id == "lan.ports")
        .flat_map(|f| &f.evidence)
        .filter(|e| e.kind == SourceKind::Network && e.source.starts_with("tcp://"))
        .count();
    // 4 devices x the profile, and the one discovery connect to the empty .20.
    assert_eq!(
        lan_ev,
        4 * profile::ports().len() + 1,
        "{:#?}",
        ghost.evidence
    );
    // Each device saw at most a few connections at a time.
    assert!(d.max_in_flight_per_host <= net::tcp::PER_HOST_CONCURRENCY);
    // No payloads: the LAN listeners received zero bytes, except one `GET /` (or a TLS
    // handshake before it) on each open web port to read the admin page's title; the router saw
    // only GETs and one SOAP query.
    let web: BTreeMap<u64, &str> = net::identify::WEB_PORTS
        .iter()
        .map(|(p, s)| (u64::from(*p), *s))
        .collect();
    for h in ["h1", "h2", "h3", "h5"] {
        let log = lab.log(h);
        assert!(!log.is_empty(), "{h} saw no connection");
        for v in log.iter().filter(|v| v["received"] != 0) {
            let port = v["port"].as_u64().unwrap();
            match web.get(&port) {
                Some(&"http") => assert_eq!(v["first"], "GET / HTTP/1.1", "{h}: {v}"),
                Some(_) => assert_eq!(v["first"], "tls", "{h}: {v}"),
                None => panic!("{h} received data on a non-web port: {v}"),
            }
        }
    }
    // h5 has every web port open: the three most telling are read (80, 443, 10443), once each.
    let mut h5_pages: Vec<u64> = lab
        .log("h5")
        .iter()
        .filter(|v| v["received"] != 0)
        .map(|v| v["port"].as_u64().unwrap())
        .collect();
    h5_pages.sort_unstable();
    assert_eq!(h5_pages, vec![80, 443, 10443], "pages read on h5");
    let router = lab.log("router");
    let http: Vec<(String, String)> = router
        .iter()
        .filter(|v| v["kind"] == "http")
        .map(|v| {
            (
                v["method"].as_str().unwrap().to_string(),
                v["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        http,
        vec![
            ("GET".into(), "/".into()),
            ("GET".into(), "/".into()),
            ("GET".into(), "/igd.xml".into()),
            ("POST".into(), "/ctl/IPConn".into())
        ]
    );
    assert!(
        router
            .iter()
            .filter(|v| v["kind"] == "telnet")
            .all(|v| v["received"] == 0)
    );
    // 50/s cap, measured at h5's listener (25 port checks and the 3 page reads).
    let ts: Vec<f64> = lab
        .log("h5")
        .iter()
        .map(|v| v["t"].as_f64().unwrap())
        .collect();
    assert_eq!(ts.len(), profile::ports().len() + net::identify::MAX_PAGES);
    assert!(max_in_window(ts, 1.0) <= 51);

    // 2. Rate cap at --rate 10, measured at the listener.
    let before = lab.log("h5").len();
    let (obs2, _, secs) = lab.scan(false, &["192.168.77.25"], &[], 10);
    assert!(obs2.gateway.is_none());
    let ts: Vec<f64> = lab.log("h5")[before..]
        .iter()
        .map(|v| v["t"].as_f64().unwrap())
        .collect();
    assert_eq!(ts.len(), profile::ports().len() + net::identify::MAX_PAGES);
    let span =
        ts.iter().cloned().fold(f64::MIN, f64::max) - ts.iter().cloned().fold(f64::MAX, f64::min);
    let n = ts.len() as f64;
    assert!(
        span >= (n - 1.0) / 10.0 * 0.9,
        "{n} connections at 10/s took only {span:.2}s"
    );
    assert!(
        max_in_window(ts, 1.0) <= 11,
        "more than 10 connections in one second"
    );
    eprintln!(
        "rate check: {} connections over {span:.2}s (scan {secs:.2}s)",
        n
    );

    // 3. A whole /24 at the default rate, as a clinic runs it: mostly empty addresses. Discovery
    // finds exactly the devices (the modality .26 that drops everything but DICOM only through
    // ARP), the never-touch host gets nothing, each device is paced, and the ports found are the
    // same as a full check of the device would find.
    let before_h5 = lab.log("h5").len();
    let (obs3, f3, secs3) = lab.scan(
        true,
        &["192.168.77.0/24"],
        &["192.168.77.24"],
        net::scope::DEFAULT_RATE,
    );
    let d3 = obs3.discovery.as_ref().unwrap();
    let found: BTreeMap<String, net::discover::FoundBy> = d3
        .found
        .iter()
        .map(|h| (h.addr.to_string(), h.by))
        .collect();
    let found_addrs: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(
        found_addrs,
        vec![
            "192.168.77.1",
            "192.168.77.10",
            "192.168.77.21",
            "192.168.77.22",
            "192.168.77.23",
            "192.168.77.25",
            "192.168.77.26",
            "192.168.77.27",
            "192.168.77.28"
        ]
    );
    assert_eq!(d3.silent.len(), 254 - 1 - found.len());
    assert_eq!(
        found["192.168.77.26"],
        net::discover::FoundBy::Neighbour,
        "the firewalled modality answers only ARP"
    );
    let modality: BTreeMap<u16, PortState> = profile::ports()
        .into_iter()
        .map(|p| {
            (
                p,
                if p == 104 {
                    PortState::Open
                } else {
                    PortState::Filtered
                },
            )
        })
        .collect();
    assert_eq!(states(&obs3, "192.168.77.26"), modality);
    assert_eq!(states(&obs3, "192.168.77.21"), all_closed_but(&[445, 3389]));
    assert_eq!(states(&obs3, "192.168.77.22"), all_closed_but(&[104, 2575]));
    assert_eq!(states(&obs3, "192.168.77.23"), dropped);
    assert_eq!(states(&obs3, "192.168.77.25"), all_open);
    assert!(d3.max_in_flight_per_host <= net::tcp::PER_HOST_CONCURRENCY);
    let silent = f3
        .iter()
        .find(|f| f.probe_id == "lan.ports" && f.facts["silent"].is_array())
        .expect("silent-address finding");
    assert_eq!(silent.verdict, Verdict::NotApplicable);
    assert_eq!(
        lan_finding(&f3, "192.168.77.24").verdict,
        Verdict::NotApplicable
    );
    let counters = lab.counters();
    assert_eq!(
        counters.matches("packets 0 bytes 0").count(),
        2,
        "never-touch host received packets in the /24 check:\n{counters}"
    );
    // Per-device rate, measured at h5's listener: at most PER_HOST_RATE new connections in any
    // one second (h5 answers on every port, so it is the busiest device).
    let ts: Vec<f64> = lab.log("h5")[before_h5..]
        .iter()
        .map(|v| v["t"].as_f64().unwrap())
        .collect();
    assert_eq!(ts.len(), profile::ports().len() + net::identify::MAX_PAGES);
    assert!(max_in_window(ts, 1.0) <= net::tcp::PER_HOST_RATE as usize + 1);
    // 4. What the devices say about themselves. The router names a FortiGate (UPnP description):
    // flagged with FortiOS's known exploited vulnerabilities, the Handa hospital one among them.
    let dev = |f: &[Finding], host: &str| -> Finding {
        f.iter()
            .find(|x| x.probe_id == "net.devices" && x.facts["host"] == host)
            .unwrap_or_else(|| panic!("no net.devices finding for {host}"))
            .clone()
    };
    let fg = dev(&f3, "192.168.77.1");
    assert_eq!(fg.verdict, Verdict::Warn, "{:?}", fg.summary);
    assert_eq!(fg.facts["model"], "FortiGate-60E");
    assert_eq!(fg.facts["gateway"], true);
    let kev = fg.facts["kev"].as_array().unwrap();
    assert!(
        kev.iter().any(|p| p["product"] == "FortiOS"
            && p["cves"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == "CVE-2018-13379" && c["ransomware"] == true)),
        "{kev:?}"
    );
    assert!(
        fg.summary.ja.contains("ランサムウェア"),
        "{}",
        fg.summary.ja
    );
    assert!(fg.evidence.iter().any(|e| e.source.starts_with("kev:")));
    // The first run (router check + .20-.25) already flagged it, from the same description.
    assert_eq!(dev(&f, "192.168.77.1").verdict, Verdict::Warn);
    // The NAS answers SNMP with the default community: a finding of its own, with sysDescr.
    let snmp = f3
        .iter()
        .find(|x| x.probe_id == "net.snmp" && x.facts["host"] == "192.168.77.27")
        .expect("SNMP finding for the NAS");
    assert_eq!(snmp.verdict, Verdict::Warn);
    assert!(
        snmp.facts["sys_descr"]
            .as_str()
            .unwrap()
            .contains("Lab NAS"),
        "{:?}",
        snmp.facts
    );
    assert_eq!(snmp.facts["sys_name"], "nas-01");
    assert_eq!(
        f3.iter().filter(|x| x.probe_id == "net.snmp").count(),
        1,
        "only the NAS answers SNMP"
    );
    // The vendor's LTE router is a second way out (UPnP IGD and its admin page); the clinic's
    // own router is not listed as one.
    let shadow = by_id(&f3, "net.shadow");
    assert_eq!(shadow.verdict, Verdict::Warn);
    let cands: Vec<&str> = shadow.facts["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["host"].as_str().unwrap())
        .collect();
    assert_eq!(cands, vec!["192.168.77.28"]);
    assert_eq!(shadow.facts["candidates"][0]["igd"], true);
    assert!(
        shadow.summary.ja.contains("Aterm MR05LN"),
        "{}",
        shadow.summary.ja
    );
    eprintln!(
        "/24 check: {} devices found, {} silent addresses, {secs3:.2}s",
        found.len(),
        d3.silent.len()
    );
}
