#!/usr/bin/env bash
# Network bench (make bench; not pass/fail): inside a fresh lab, times Tenken's LAN check against
# `nmap -sT -T4 -n` over the same targets and ports, prints the ratio and compares the open-port
# sets. Needs root, iproute2, nftables, python3; installs nmap with apt if missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB="$ROOT/tests/netlab/lab.sh"
[ "$(id -u)" = 0 ] || { echo "!!! NETWORK BENCH SKIPPED: needs root !!!"; exit 0; }
command -v nmap >/dev/null || apt-get install -y -o DPkg::Lock::Timeout=600 nmap >/dev/null
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build -q -p tenken-net --example lan_check
BIN="$CARGO_TARGET_DIR/debug/examples/lan_check"
P="tkb$$"; STATE=$(mktemp -d)
trap '"$LAB" down "$P" "$STATE"; rm -rf "$STATE"' EXIT
"$LAB" up "$P" "$STATE"
TARGETS="192.168.77.21-23,192.168.77.25"
NMAP_TARGETS="192.168.77.21-23 192.168.77.25"
PORTS="445,139,3389,5900,5800,23,21,22,80,443,8080,1433,1521,3306,5432,104,11112,2575,5985,5986,9100,631,4443,8443,10443"
RATES=${RATES:-50 500}

# shellcheck disable=SC2086
t1=$(date +%s.%N)
ip netns exec "$P-clinic" nmap -sT -T4 -n -Pn -p "$PORTS" -oG "$STATE/nmap.gnmap" $NMAP_TARGETS >/dev/null
t2=$(date +%s.%N)
python3 - "$STATE/nmap.gnmap" <<'PY' | sort >"$STATE/nmap.open"
import re, sys
for line in open(sys.argv[1]):
    m = re.match(r"Host: (\S+) .*Ports: (.*)", line)
    if not m:
        continue
    for entry in m.group(2).split(","):
        f = entry.strip().split("/")
        if len(f) > 1 and f[1] == "open":
            print(f"{m.group(1)}:{f[0]}")
PY

status=0
for RATE in $RATES; do
  t0=$(date +%s.%N)
  ip netns exec "$P-clinic" "$BIN" --rate "$RATE" "$TARGETS" 2>/dev/null >"$STATE/tenken.txt"
  t3=$(date +%s.%N)
  awk '$3=="open"{print $1":"$2}' "$STATE/tenken.txt" | sort >"$STATE/tenken.open"
  python3 -c "import sys; a,b,c,d,r=map(float,sys.argv[1:]); tt=b-a; tn=d-c; print(f'lan check, 4 hosts x 25 ports: tenken (--rate {r:.0f}) {tt:.2f}s, nmap -sT -T4 {tn:.2f}s, ratio tenken/nmap {tt/tn:.2f}')" "$t0" "$t3" "$t1" "$t2" "$RATE"
  if diff -u "$STATE/nmap.open" "$STATE/tenken.open"; then
    echo "open-port sets (--rate $RATE): EQUAL ($(wc -l <"$STATE/tenken.open") open ports)"
  else
    echo "open-port sets (--rate $RATE): DIFFERENT (see diff above)"; status=1
  fi
done
exit $status
