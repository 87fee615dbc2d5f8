//! Live `tenken scan` on this machine: every registered probe gives a finding with evidence;
//! as `nobody`, nothing unreadable is claimed as pass; listening ports and connections match
//! sockets this test opens itself and agree with `ss`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_tenken");

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn scan(cmd: &mut Command, out: &Path) -> Value {
    let t = Instant::now();
    let st = cmd.output().unwrap();
    assert!(
        st.status.success(),
        "scan failed: {}\n{}",
        String::from_utf8_lossy(&st.stdout),
        String::from_utf8_lossy(&st.stderr)
    );
    assert!(
        t.elapsed() < Duration::from_secs(180),
        "scan took {:?}",
        t.elapsed()
    );
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

fn finding<'a>(b: &'a Value, id: &str) -> &'a Value {
    b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["probe_id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

fn registered_ids() -> Vec<String> {
    tenken_core::probe::checks::all()
        .iter()
        .map(|p| p.meta().id.to_string())
        .collect()
}

fn check_complete(b: &Value) {
    assert_eq!(b["format"], "tenken-bundle/1");
    for id in registered_ids() {
        let f = finding(b, &id);
        assert!(
            !f["evidence"].as_array().unwrap().is_empty(),
            "{id}: no evidence"
        );
        if f["verdict"] == "unknown" {
            assert!(f["reason"].is_string(), "{id}: unknown without reason");
        }
    }
}

#[test]
fn scan_as_root_finds_own_sockets_and_agrees_with_ss() {
    if !is_root() {
        eprintln!("skipped: needs root (runs as root in CI)");
        return;
    }
    // Sockets of our own: a risky port on loopback, a wildcard listener, a loopback connection.
    let vnc_lo = TcpListener::bind("127.0.0.1:5900")
        .or_else(|_| TcpListener::bind("127.0.0.1:5901"))
        .unwrap();
    let vnc_port = vnc_lo.local_addr().unwrap().port();
    let wild = TcpListener::bind("0.0.0.0:0").unwrap();
    let wild_port = wild.local_addr().unwrap().port();
    let risky_wild = TcpListener::bind("0.0.0.0:5903").ok();
    let client = TcpStream::connect(("127.0.0.1", wild_port)).unwrap();
    let (_server_side, _) = wild.accept().unwrap();
    let client_port = client.local_addr().unwrap().port();

    let ss_before = ss_listen();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.json");
    let b = scan(
        Command::new(BIN)
            .args(["scan", "--quiet", "--json"])
            .arg(&out),
        &out,
    );
    let ss_after = ss_listen();
    check_complete(&b);

    let ports = finding(&b, "ports.listening");
    let listeners = ports["facts"]["listeners"].as_array().unwrap();
    let me = std::process::id();
    let find = |port: u16| {
        listeners
            .iter()
            .find(|l| l["port"] == port && l["proto"] == "tcp")
    };
    let lo = find(vnc_port).expect("own 127.0.0.1 VNC listener missing");
    assert_eq!(lo["exposure"], "loopback");
    assert!(
        lo["pids"].as_array().unwrap().iter().any(|p| p == me),
        "own pid not attributed: {lo}"
    );
    let w = find(wild_port).expect("own wildcard listener missing");
    assert_eq!(w["exposure"], "all_interfaces");
    assert!(
        !w["processes"].as_array().unwrap().is_empty(),
        "process name missing: {w}"
    );
    if risky_wild.is_some() {
        assert_eq!(
            ports["verdict"], "fail",
            "0.0.0.0:5903 (VNC) must fail: {}",
            ports["summary"]["en"]
        );
    }
    // Every TCP listener `ss` showed both before and after the scan is in the finding.
    let ours: BTreeSet<(String, u16)> = listeners
        .iter()
        .filter(|l| l["proto"] == "tcp")
        .map(|l| {
            (
                l["addr"].as_str().unwrap().to_string(),
                l["port"].as_u64().unwrap() as u16,
            )
        })
        .collect();
    for s in ss_before.intersection(&ss_after) {
        assert!(
            ours.contains(s),
            "ss listener {s:?} missing from tenken ({ours:?})"
        );
    }

    let peers = finding(&b, "net.peers");
    // Loopback connections are counted per service port and side, not listed (issue 18).
    let conns = peers["facts"]["connections"].as_array().unwrap();
    assert!(
        !conns
            .iter()
            .any(|c| c["local_port"] == client_port || c["remote_class"] == "loopback"),
        "loopback connection listed: {conns:?}"
    );
    let summary = peers["facts"]["loopback_summary"].as_array().unwrap();
    for side in ["client", "server"] {
        let g = summary
            .iter()
            .find(|g| g["port"] == wild_port && g["side"] == side)
            .unwrap_or_else(|| panic!("own loopback connection ({side}) not counted: {summary:?}"));
        assert!(g["count"].as_u64().unwrap() >= 1);
    }
    assert!(peers["facts"]["loopback"].as_u64().unwrap() >= 2);
    drop(client);
}

/// TCP LISTEN sockets from `ss -Htln` as (address, port), IPv4-mapped/brackets normalized.
fn ss_listen() -> BTreeSet<(String, u16)> {
    let out = Command::new("ss")
        .args(["-Htln"])
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let local = l.split_whitespace().nth(3)?;
            let (addr, port) = local.rsplit_once(':')?;
            let addr = addr.trim_start_matches('[').trim_end_matches(']');
            let addr = addr.split('%').next()?;
            let addr = if addr == "*" {
                "::".to_string()
            } else {
                addr.to_string()
            };
            let ip: std::net::IpAddr = addr.parse().ok()?;
            let ip = match ip {
                std::net::IpAddr::V6(v6) => {
                    v6.to_ipv4_mapped().map(std::net::IpAddr::V4).unwrap_or(ip)
                }
                v4 => v4,
            };
            Some((ip.to_string(), port.parse().ok()?))
        })
        .collect()
}

#[test]
fn scan_as_nobody_claims_no_pass_it_could_not_read() {
    if !is_root() || Command::new("runuser").arg("--help").output().is_err() {
        eprintln!("skipped: needs root and runuser (runs as root in CI)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let bin = dir.path().join("tenken");
    std::fs::copy(BIN, &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = dir.path().join("nobody.json");
    let b = scan(
        Command::new("runuser")
            .args(["-u", "nobody", "--"])
            .arg(&bin)
            .args(["scan", "--quiet", "--lang", "en", "--json"])
            .arg(&out),
        &out,
    );
    check_complete(&b);
    assert_eq!(b["host"]["elevated"], false);
    for f in b["findings"].as_array().unwrap() {
        for e in f["evidence"].as_array().unwrap() {
            assert_eq!(e["elevated"], false);
        }
    }
    // nft/iptables need root: unless a firewall service is visibly active, no pass.
    let fw = finding(&b, "firewall.host");
    let units = &fw["facts"]["units"];
    if units["ufw"] != true && units["firewalld"] != true {
        assert_eq!(
            fw["verdict"], "unknown",
            "firewall: {}",
            fw["summary"]["en"]
        );
        assert_eq!(fw["reason"], "needs_elevation");
    }
    // Connections of other users' processes cannot be attributed without root.
    let peers = finding(&b, "net.peers");
    if peers["verdict"] == "pass" {
        assert!(peers["facts"]["unattributed"] == 0 || peers["facts"]["pids_complete"] == true);
    }
}

#[test]
fn record_then_replay_gives_the_same_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec");
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    let live = scan(
        Command::new(BIN)
            .args(["scan", "--quiet", "--record"])
            .arg(&rec)
            .arg("--json")
            .arg(&a),
        &a,
    );
    assert!(rec.join("host.json").is_file());
    let replayed = scan(
        Command::new(BIN)
            .args(["scan", "--quiet", "--replay"])
            .arg(&rec)
            .arg("--json")
            .arg(&b),
        &b,
    );
    assert_eq!(replayed["replayed"], true);
    // The bundle itself replays too: its raw evidence is whole (issue 18).
    let c = dir.path().join("c.json");
    let from_bundle = scan(
        Command::new(BIN)
            .args(["scan", "--quiet", "--replay"])
            .arg(&a)
            .arg("--json")
            .arg(&c),
        &c,
    );
    assert_eq!(from_bundle["replayed"], true);
    for id in registered_ids() {
        for other in [&replayed, &from_bundle] {
            assert_eq!(
                finding(&live, &id)["verdict"],
                finding(other, &id)["verdict"],
                "{id}"
            );
            assert_eq!(
                finding(&live, &id)["facts"],
                finding(other, &id)["facts"],
                "{id}"
            );
        }
    }
}
