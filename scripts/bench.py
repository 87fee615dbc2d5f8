#!/usr/bin/env python3
"""Tenken benchmarks of whole processes, as users run them (make bench; figures, not pass/fail).

Every comparison runs Tenken's release CLI and its reference tool in the same run, several times,
interleaved with the order alternating; wall time and the peak memory of the whole process tree
(the sum of every descendant's RSS, sampled from outside every 5 ms through /proc) are reported as
medians with min-max, and the spread says how noisy the runs were.

  bench.py local   TENKEN  - full local scan vs Lynis (inside an empty network namespace: neither
                             can send a packet; Lynis's network-declared tests skipped too)
  bench.py sockets TENKEN  - sockets at 10,000 loopback connections: tenken's two socket probes vs
                             `ss -tanp`, and the size of that bundle
  bench.py report  TENKEN  - `tenken report` end to end (with its local scan) and from three PCs'
                             bundles without a scan, with the PDF's bytes per part
"""
import json, os, resource, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

RUNS = int(os.environ.get("RUNS", "5"))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tree_rss_kib(pid):
    """Sum of VmRSS of pid and all its descendants (KiB)."""
    children = {}
    total = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
        stack.extend(children.get(p, []))
    return total


def measure(cmd, **kw):
    """Runs cmd; returns (wall seconds, peak tree RSS MiB, returncode)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    peak = 0
    while p.poll() is None:
        peak = max(peak, tree_rss_kib(p.pid))
        time.sleep(0.005)
    wall = time.perf_counter() - start
    return wall, peak / 1024, p.returncode


def fmt(v, unit):
    return f"median {statistics.median(v):.3f}{unit} (min {min(v):.3f}, max {max(v):.3f})"


def compare(title, a_name, a_cmd, b_name, b_cmd, runs=RUNS, **kw):
    """Interleaved runs of a and b, order alternating; prints both and the ratio."""
    res = {a_name: ([], []), b_name: ([], [])}
    for i in range(runs):
        order = [(a_name, a_cmd), (b_name, b_cmd)] if i % 2 == 0 else [(b_name, b_cmd), (a_name, a_cmd)]
        for name, cmd in order:
            w, m, rc = measure(cmd, **kw)
            if rc != 0:
                print(f"  !! {name} exited with {rc}")
            res[name][0].append(w)
            res[name][1].append(m)
    print(f"{title} ({runs} interleaved runs, order alternated)")
    for name in (a_name, b_name):
        w, m = res[name]
        print(f"  {name}: wall {fmt(w, ' s')}, peak memory (process tree) {fmt(m, ' MiB')}")
    wa, wb = statistics.median(res[a_name][0]), statistics.median(res[b_name][0])
    spread = max((max(v[0]) - min(v[0])) / statistics.median(v[0]) for v in res.values())
    print(f"  ratio {a_name}/{b_name} (wall medians): {wa / wb:.2f}  (noise: largest spread {spread:.0%} of a median)")
    return res


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    print(f"machine: {os.cpu_count()} CPU(s) {cpu}, {mem} MiB RAM, load average {open('/proc/loadavg').read().split()[0]}")


def local(tenken):
    if os.geteuid() != 0:
        print("local scan vs Lynis: SKIPPED (needs root for the isolated network namespace and Lynis)")
        return
    if not shutil.which("lynis"):
        subprocess.run(["apt-get", "install", "-y", "-o", "DPkg::Lock::Timeout=600", "lynis"], check=True,
                       stdout=subprocess.DEVNULL)
    ns = f"tkbench{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    tmp = tempfile.mkdtemp()
    try:
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"], check=True)
        skip = "NETW-2400 NETW-2600 NETW-2704 NETW-2705 NETW-2706 NETW-3200 PKGS-7392 PKGS-7393 PKGS-7394 PKGS-7395 PKGS-7398".split()
        prf = os.path.join(tmp, "bench.prf")
        with open(prf, "w") as f:
            f.writelines(f"skip-test={t}\n" for t in skip)
        data = os.path.join(tmp, "data")
        inns = ["ip", "netns", "exec", ns]
        # One warm-up each (page cache, Tenken's key and caches), not counted.
        t_cmd = inns + [tenken, "--data-dir", data, "scan", "--quiet", "--json", os.path.join(tmp, "b.json")]
        l_cmd = inns + ["lynis", "audit", "system", "--quick", "--no-colors", "--no-log", "--profile", prf,
                        "--auditor", "bench"]
        measure(t_cmd)
        measure(l_cmd)
        compare("Full local scan vs Lynis " + subprocess.run(["lynis", "--version"], capture_output=True, text=True).stdout.strip()
                + " (network tests skipped; both in an empty network namespace)",
                "tenken scan", t_cmd, "lynis audit system", l_cmd, runs=int(os.environ.get("LYNIS_RUNS", "3")))
    finally:
        subprocess.run(["ip", "netns", "del", ns])
        shutil.rmtree(tmp, ignore_errors=True)


def _raise_nofile(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(want, soft), hard), hard))
    except (ValueError, OSError):
        pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= want


def _hold_accepted(port_pipe, n):
    """Child process: listens, accepts n connections and holds them until stdin closes (the
    accepted ends live here so each process stays under its own open-file limit)."""
    _raise_nofile(n + 100)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4096)
    os.write(port_pipe, str(srv.getsockname()[1]).encode() + b"\n")
    held = []
    while len(held) < n:
        c, _ = srv.accept()
        held.append(c)
    os.write(port_pipe, b"ready\n")
    sys.stdin.read()


def sockets(tenken, n=10_000):
    if not _raise_nofile(n + 100):
        print(f"sockets: SKIPPED (cannot open {n + 100} files in one process)")
        return
    r, w = os.pipe()
    child = subprocess.Popen([sys.executable, __file__, "_hold", str(w), str(n)], stdin=subprocess.PIPE,
                             pass_fds=(w,))
    os.close(w)
    rd = os.fdopen(r)
    port = int(rd.readline())
    clients = []
    for _ in range(n):
        c = socket.socket()
        c.connect(("127.0.0.1", port))
        clients.append(c)
    assert rd.readline().strip() == "ready"
    tmp = tempfile.mkdtemp()
    try:
        data = os.path.join(tmp, "data")
        bundle = os.path.join(tmp, "sockets.json")
        t_cmd = [tenken, "--data-dir", data, "scan", "--quiet", "--probe", "ports.listening", "--probe", "net.peers",
                 "--json", bundle]
        s_cmd = ["sh", "-c", "ss -tanp > /dev/null"]
        measure(t_cmd)
        compare(f"Sockets at {n:,} loopback connections ({2 * n:,} sockets): both socket probes vs ss -tanp",
                "tenken scan (ports.listening + net.peers)", t_cmd, "ss -tanp", s_cmd)
        print(f"  that bundle: {os.path.getsize(bundle):,} bytes")
    finally:
        for c in clients:
            c.close()
        child.stdin.close()
        child.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def report(tenken):
    tmp = tempfile.mkdtemp()
    try:
        data = os.path.join(tmp, "data")
        subprocess.run([tenken, "--data-dir", data, "profile", "set", "--name", "ベンチマーク内科"], check=True,
                       stdout=subprocess.DEVNULL)
        pdf = os.path.join(tmp, "r.pdf")
        r_cmd = [tenken, "--data-dir", data, "report", "--out", pdf]
        measure(r_cmd)  # warm-up: makes the signing key
        runs = RUNS
        walls, mems = [], []
        for _ in range(runs):
            w, m, _ = measure(r_cmd)
            walls.append(w)
            mems.append(m)
        print(f"tenken report end to end (local scan, PDF, signature, {runs} runs): wall {fmt(walls, ' s')}, "
              f"peak memory {fmt(mems, ' MiB')}, {os.path.getsize(pdf):,} bytes")
        # Three PCs' bundles (the committed Windows, macOS and Linux replay sets), no scan.
        bundles = []
        for os_name in ("windows", "macos", "linux"):
            b = os.path.join(tmp, f"{os_name}.json")
            subprocess.run([tenken, "--data-dir", data, "scan", "--quiet", "--replay",
                            os.path.join(ROOT, "crates/tenken-probe/tests/fixtures/replay", os_name), "--json", b],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            bundles += ["--bundle", b]
        pdf3 = os.path.join(tmp, "r3.pdf")
        r3 = [tenken, "--data-dir", data, "report", "--no-scan", "--out", pdf3] + bundles
        walls, mems = [], []
        for _ in range(runs):
            w, m, _ = measure(r3)
            walls.append(w)
            mems.append(m)
        print(f"tenken report from three PCs' bundles, no scan ({runs} runs): wall {fmt(walls, ' s')}, "
              f"peak memory {fmt(mems, ' MiB')}")
        parts = os.environ.get("PDF_PARTS")
        if parts:
            for p in (pdf, pdf3):
                print("  " + subprocess.run([parts, p], capture_output=True, text=True).stdout.strip())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1] == "_hold":
        _hold_accepted(int(sys.argv[2]), int(sys.argv[3]))
        sys.exit(0)
    what, tenken = sys.argv[1], os.path.abspath(sys.argv[2])
    machine()
    {"local": local, "sockets": sockets, "report": report}[what](tenken)
