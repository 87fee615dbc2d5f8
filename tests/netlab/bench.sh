#!/usr/bin/env bash
# LAN check benchmark (make bench; figures, not pass/fail). Inside a fresh namespace lab, a whole
# /24 that is mostly empty — what a clinic LAN looks like — is checked by the release `tenken` CLI
# at its default rate and by `nmap -sT -T4 -n` (host discovery on, no -Pn) over the same ports,
# the never-touch host excluded from both. RUNS interleaved rounds, the order alternating, the
# neighbour (ARP) cache of the clinic namespace flushed before every run so neither tool inherits
# the other's. Prints medians with min–max for wall time and peak memory (whole process, measured
# from outside by GNU time), the ratio, and whether both found the same open ports.
# Needs root, iproute2, nftables, python3, openssl; installs nmap and GNU time with apt if missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB="$ROOT/tests/netlab/lab.sh"
[ "$(id -u)" = 0 ] || { echo "!!! NETWORK BENCH SKIPPED: needs root !!!"; exit 0; }
need=()
command -v nmap >/dev/null || need+=(nmap)
[ -x /usr/bin/time ] || need+=(time)
[ ${#need[@]} -eq 0 ] || apt-get install -y -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
TENKEN=${TENKEN:-}
if [ -z "$TENKEN" ]; then
  (cd "$ROOT" && cargo build -q --release --locked -p tenken-cli)
  TENKEN="$CARGO_TARGET_DIR/release/tenken"
fi
RUNS=${RUNS:-5}
P="tkb$$"; STATE=$(mktemp -d)
trap '"$LAB" down "$P" "$STATE"; rm -rf "$STATE"' EXIT
"$LAB" up "$P" "$STATE"
RANGE=192.168.77.0/24
NEVER=192.168.77.24
PORTS=$(sed -n 's/^PROFILE_PORTS="\(.*\)"/\1/p' "$LAB" | tr ' ' ',')
inns() { ip netns exec "$P-clinic" "$@"; }

run_nmap() {  # $1 = run number
  inns ip neigh flush all
  local t0 t1
  t0=$(date +%s.%N)
  inns /usr/bin/time -f %M -o "$STATE/nmap.$1.mem" \
    nmap -sT -T4 -n -p "$PORTS" --exclude "$NEVER" -oG "$STATE/nmap.$1.gnmap" "$RANGE" >/dev/null
  t1=$(date +%s.%N)
  echo "$t0 $t1" >"$STATE/nmap.$1.time"
}

run_tenken() {
  inns ip neigh flush all
  local t0 t1
  t0=$(date +%s.%N)
  inns /usr/bin/time -f %M -o "$STATE/tenken.$1.mem" \
    "$TENKEN" --data-dir "$STATE/data" scan --quiet --probe lan.ports --lan "$RANGE" \
    --never-touch "$NEVER" --record "$STATE/tenken.$1" >/dev/null 2>"$STATE/tenken.$1.err"
  t1=$(date +%s.%N)
  echo "$t0 $t1" >"$STATE/tenken.$1.time"
}

for i in $(seq "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then run_nmap "$i"; run_tenken "$i"; else run_tenken "$i"; run_nmap "$i"; fi
done

python3 - "$STATE" "$RUNS" "$RANGE" <<'PY'
import json, os, re, statistics, subprocess, sys
state, runs, rng = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def times(tool):
    out = []
    for i in range(1, runs + 1):
        a, b = map(float, open(f"{state}/{tool}.{i}.time").read().split())
        out.append(b - a)
    return out
def mem(tool):
    return [int(open(f"{state}/{tool}.{i}.mem").read().split()[-1]) / 1024 for i in range(1, runs + 1)]
def nmap_open(i):
    s = set()
    for line in open(f"{state}/nmap.{i}.gnmap"):
        m = re.match(r"Host: (\S+) .*Ports: (.*)", line)
        if m:
            for e in m.group(2).split(","):
                f = e.strip().split("/")
                if len(f) > 1 and f[1] == "open":
                    s.add(f"{m.group(1)}:{f[0]}")
    return s
def tenken_open(i):
    obs = json.load(open(f"{state}/tenken.{i}/network.json"))
    return {f"{h['addr']}:{p['port']}" for h in obs["lan"] for p in h["ports"] if p["state"] == "open"}
def fmt(v, unit):
    return f"median {statistics.median(v):.2f}{unit} (min {min(v):.2f}, max {max(v):.2f})"
tt, tn = times("tenken"), times("nmap")
mt, mn = mem("tenken"), mem("nmap")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"machine: {os.cpu_count()} CPU(s), {cpu}; load average {open('/proc/loadavg').read().split()[0]}")
found = len(json.load(open(f"{state}/tenken.1/network.json"))["discovery"]["found"])
print(f"LAN check of {rng} (mostly empty: {found} devices, 1 never-touch), {runs} interleaved runs, order alternated, ARP cache flushed before each run")
print("  (tenken also reads each device's admin page title and asks SNMP 'public', for the device ledger)")
print(f"  tenken scan --lan (default rate): {fmt(tt, ' s')}, peak memory {fmt(mt, ' MiB')}")
print(f"  nmap -sT -T4 -n (discovery on):   {fmt(tn, ' s')}, peak memory {fmt(mn, ' MiB')}")
spread = max((max(v) - min(v)) / statistics.median(v) for v in (tt, tn))
print(f"  ratio tenken/nmap (medians): {statistics.median(tt) / statistics.median(tn):.2f}  (noise: largest spread {spread:.0%} of a median)")
status = 0
for i in range(1, runs + 1):
    a, b = tenken_open(i), nmap_open(i)
    if a != b:
        status = 1
        print(f"  run {i}: open-port sets DIFFERENT: only tenken {sorted(a - b)}, only nmap {sorted(b - a)}")
if status == 0:
    print(f"  open-port sets: EQUAL in every run ({len(tenken_open(1))} open ports)")
sys.exit(status)
PY
