//! Issue 18 "a light scan", on this machine (Linux): a host with 10,000 loopback connections
//! (made by the test, loopback only) gives a bundle ≤ 1 MB in which the socket table is stored
//! once and whole, loopback connections are counted rather than listed, and replaying that
//! bundle gives the same verdicts and facts as the live scan. A bundle written before whole
//! copies were kept still loads, and its cut output gives 未確認, not a guess.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use std::net::{TcpListener, TcpStream};

use tenken_evidence::{Bundle, Verdict};
use tenken_probe::checks;
use tenken_probe::runner::{Mode, ScanOptions, scan_blocking};

/// Client connections made (each also has its accepted server side: 2 sockets apiece).
const CLIENTS: usize = 5_000;

/// Raises the open-file limit to its hard limit (10,000 sockets need more than the usual 1024).
#[allow(unsafe_code)]
fn raise_nofile() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain syscalls on a local struct.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
    }
    lim.rlim_cur
}

fn socket_probes() -> Vec<Box<dyn tenken_probe::Probe>> {
    checks::all()
        .into_iter()
        .filter(|p| ["ports.listening", "net.peers"].contains(&p.meta().id))
        .collect()
}

fn finding<'a>(b: &'a Bundle, id: &str) -> &'a tenken_evidence::Finding {
    b.findings.iter().find(|f| f.probe_id == id).unwrap()
}

#[test]
fn ten_thousand_loopback_connections_replay_from_a_small_bundle() {
    if raise_nofile() < (2 * CLIENTS + 200) as u64 {
        eprintln!(
            "skipped: the open-file hard limit is below {}",
            2 * CLIENTS + 200
        );
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = std::thread::spawn(move || {
        let mut v = Vec::with_capacity(CLIENTS);
        for _ in 0..CLIENTS {
            v.push(listener.accept().unwrap().0);
        }
        (listener, v)
    });
    let clients: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let (_listener, _served) = acceptor.join().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let live = scan_blocking(socket_probes(), ScanOptions::default(), None).unwrap();
    let path = dir.path().join("bundle.json");
    // As `tenken scan --json` writes it.
    std::fs::write(&path, serde_json::to_string_pretty(&live).unwrap()).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!("bundle of the socket probes: {size} bytes");
    assert!(size <= 1_000_000, "bundle is {size} bytes");

    // Loopback connections are counted per service port and side, not listed.
    let peers = finding(&live, "net.peers");
    assert!(peers.facts["loopback"].as_u64().unwrap() >= (2 * CLIENTS) as u64);
    let listed = peers.facts["connections"].as_array().unwrap();
    assert!(
        listed.iter().all(|c| c["remote_class"] != "loopback"),
        "a loopback connection is listed"
    );
    let summary = peers.facts["loopback_summary"].as_array().unwrap();
    for side in ["server", "client"] {
        let g = summary
            .iter()
            .find(|g| g["port"] == port && g["side"] == side)
            .unwrap_or_else(|| panic!("{side} side of port {port} not counted: {summary:?}"));
        assert!(g["count"].as_u64().unwrap() >= CLIENTS as u64, "{g}");
    }

    // One socket table per scan, stored once and whole (compressed).
    let sockets: Vec<_> = live
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(move |e| (f.probe_id.as_str(), e)))
        .filter(|(_, e)| e.source == "tenken:sockets")
        .collect();
    assert_eq!(sockets.len(), 2);
    let held: Vec<_> = sockets
        .iter()
        .filter(|(_, e)| e.same_as.is_none())
        .collect();
    assert_eq!(held.len(), 1, "socket table stored more than once");
    let (holder, whole) = held[0];
    assert!(whole.truncated && whole.raw_deflate.is_some());
    for (_, e) in sockets.iter().filter(|(_, e)| e.same_as.is_some()) {
        assert_eq!(e.same_as.as_deref(), Some(*holder));
        assert_eq!(e.raw_sha256, whole.raw_sha256);
        assert!(e.raw.is_empty());
    }

    // Replaying the bundle gives the same verdicts and facts.
    let opts = ScanOptions {
        mode: Mode::Replay(path.clone()),
        ..ScanOptions::default()
    };
    let replayed = scan_blocking(socket_probes(), opts, None).unwrap();
    assert!(replayed.replayed);
    for f in &live.findings {
        let r = finding(&replayed, &f.probe_id);
        assert_eq!(r.verdict, f.verdict, "{}", f.probe_id);
        assert_eq!(r.facts, f.facts, "{}", f.probe_id);
        assert_eq!(r.evidence, f.evidence, "{}", f.probe_id);
    }

    // The same bundle as an older Tenken wrote it (output cut, no whole copy, no pointers):
    // it loads, and the cut table gives 未確認 instead of a verdict on a partial list.
    let mut old = live.clone();
    for f in &mut old.findings {
        for e in &mut f.evidence {
            e.raw_deflate = None;
            e.same_as = None;
        }
    }
    let old_path = dir.path().join("old.json");
    std::fs::write(&old_path, serde_json::to_string_pretty(&old).unwrap()).unwrap();
    let text = std::fs::read_to_string(&old_path).unwrap();
    assert!(!text.contains("raw_deflate") && !text.contains("same_as"));
    let opts = ScanOptions {
        mode: Mode::Replay(old_path),
        ..ScanOptions::default()
    };
    let replayed = scan_blocking(socket_probes(), opts, None).unwrap();
    for f in &replayed.findings {
        assert_eq!(
            f.verdict,
            Verdict::Unknown,
            "{}: {:?}",
            f.probe_id,
            f.summary
        );
    }
    drop(clients);
}

/// `remote.tools` and `screen.lock` both read the process list on Linux: one scan runs it once,
/// both judge that one observation, and the bundle stores its output once.
#[test]
fn a_command_two_probes_plan_runs_once_per_scan() {
    let probes: Vec<_> = checks::all()
        .into_iter()
        .filter(|p| ["remote.tools", "screen.lock"].contains(&p.meta().id))
        .collect();
    assert_eq!(probes.len(), 2);
    let b = scan_blocking(probes, ScanOptions::default(), None).unwrap();
    let ps: Vec<_> = b
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(move |e| (f.probe_id.as_str(), e)))
        .filter(|(_, e)| e.source == "ps -eo comm")
        .collect();
    assert_eq!(ps.len(), 2, "{:?}", b.findings);
    let (a, b) = (ps[0].1, ps[1].1);
    assert_eq!(
        (a.started_at, &a.raw_sha256),
        (b.started_at, &b.raw_sha256),
        "the process list was collected twice"
    );
    assert_eq!(
        ps.iter().filter(|(_, e)| e.same_as.is_none()).count(),
        1,
        "its output is stored once"
    );
}
