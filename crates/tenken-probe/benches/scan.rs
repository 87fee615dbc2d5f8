//! Scan benchmark (`harness = false`; `cargo bench -p tenken-probe --bench scan`): whole-scan wall
//! time, CPU time (getrusage self + children) and peak RSS; then socket enumeration time versus
//! `ss -tanp` with 10,000 loopback connections open (RLIMIT_NOFILE is raised for that).
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::BufRead;
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use tenken_probe::{checks, native, runner};

fn rusage(who: libc::c_int) -> libc::rusage {
    // SAFETY: getrusage fills the struct it is given.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(who, &mut ru);
        ru
    }
}

fn cpu(ru: &libc::rusage) -> Duration {
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn raise_nofile(want: u64) -> u64 {
    // SAFETY: plain get/setrlimit on our own process.
    unsafe {
        let mut rl: libc::rlimit = std::mem::zeroed();
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl);
        let target = want.max(rl.rlim_cur as u64);
        let new = libc::rlimit {
            rlim_cur: target as libc::rlim_t,
            rlim_max: (target as libc::rlim_t).max(rl.rlim_max),
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &new) != 0 {
            let soft = libc::rlimit {
                rlim_cur: rl.rlim_max,
                rlim_max: rl.rlim_max,
            };
            libc::setrlimit(libc::RLIMIT_NOFILE, &soft);
        }
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl);
        rl.rlim_cur as u64
    }
}

/// Accepts argv[1] connections on 127.0.0.1 and holds them until stdin closes.
const ACCEPTOR: &str = "import socket,sys\nn=int(sys.argv[1]); s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(4096)\nprint(s.getsockname()[1], flush=True)\nc=[]\nwhile len(c)<n: c.append(s.accept()[0])\nprint('ready', flush=True)\nsys.stdin.read()\n";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // 1. Whole scan.
    let t = Instant::now();
    let bundle =
        runner::scan_blocking(checks::all(), runner::ScanOptions::default(), None).unwrap();
    let wall = t.elapsed();
    let me = rusage(libc::RUSAGE_SELF);
    let kids = rusage(libc::RUSAGE_CHILDREN);
    println!("scan: {} findings", bundle.findings.len());
    println!(
        "scan wall time        : {:>9.1} ms",
        wall.as_secs_f64() * 1e3
    );
    println!(
        "scan CPU (self)       : {:>9.1} ms",
        cpu(&me).as_secs_f64() * 1e3
    );
    println!(
        "scan CPU (children)   : {:>9.1} ms",
        cpu(&kids).as_secs_f64() * 1e3
    );
    println!(
        "scan CPU / wall       : {:>9.2}",
        (cpu(&me) + cpu(&kids)).as_secs_f64() / wall.as_secs_f64()
    );
    println!(
        "peak RSS (self)       : {:>9.1} MiB",
        me.ru_maxrss as f64 / 1024.0
    );
    println!(
        "peak RSS (children)   : {:>9.1} MiB",
        kids.ru_maxrss as f64 / 1024.0
    );

    // 2. Socket enumeration with 10,000 loopback connections.
    let n: usize = std::env::var("TENKEN_BENCH_CONNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    // The accepting ends live in a child process, so each process needs only n descriptors
    // (the hard RLIMIT_NOFILE of a container is often 20,000 and cannot be raised).
    let limit = raise_nofile((n + 256) as u64);
    let n = n.min((limit as usize).saturating_sub(128));
    let mut server = std::process::Command::new(
        ["/usr/bin/python3", "python3"]
            .into_iter()
            .find(|p| !p.starts_with('/') || std::path::Path::new(p).exists())
            .unwrap_or("python3"),
    )
    .args(["-c", ACCEPTOR, &n.to_string()])
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .spawn()
    .expect("python3 is needed for the connection benchmark");
    let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let port: u16 = lines.next().unwrap().unwrap().trim().parse().unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        match TcpStream::connect(addr) {
            Ok(s) => clients.push(s),
            Err(e) => {
                eprintln!("connect stopped at {}: {e}", clients.len());
                break;
            }
        }
    }
    if clients.len() == n {
        let _ = lines.next(); // "ready": every connection accepted
    }
    println!(
        "loopback connections  : {} (RLIMIT_NOFILE {limit})",
        clients.len()
    );

    let runs = 5;
    let mut t_enum = Vec::new();
    let mut t_full = Vec::new();
    let mut t_ss = Vec::new();
    let mut count = 0;
    for _ in 0..runs {
        let t = Instant::now();
        count = native::enumerate_sockets().map(|v| v.len()).unwrap_or(0);
        t_enum.push(t.elapsed());
        let t = Instant::now();
        let _ = native::collect_sockets(true);
        t_full.push(t.elapsed());
        let t = Instant::now();
        let out = Command::new("ss")
            .args(["-tanp"])
            .env("LC_ALL", "C")
            .output();
        t_ss.push(t.elapsed());
        if out.is_err() {
            println!("ss not available");
        }
    }
    let (e, f, s) = (median(t_enum), median(t_full), median(t_ss));
    println!("sockets enumerated    : {count}");
    println!("netstat2 enumerate    : {:>9.1} ms", e.as_secs_f64() * 1e3);
    println!("collector (+processes): {:>9.1} ms", f.as_secs_f64() * 1e3);
    println!("ss -tanp              : {:>9.1} ms", s.as_secs_f64() * 1e3);
    println!(
        "ratio enumerate / ss  : {:>9.2}",
        e.as_secs_f64() / s.as_secs_f64()
    );
    println!(
        "ratio collector / ss  : {:>9.2}",
        f.as_secs_f64() / s.as_secs_f64()
    );
    drop(clients);
    drop(server.stdin.take()); // the acceptor exits when its stdin closes
    let _ = server.wait();
}
