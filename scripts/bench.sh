#!/usr/bin/env bash
# Benchmarks (make bench): figures, not pass/fail. Whole processes of the release CLI as users run
# them, each against its reference tool in the same run (scripts/bench.py, tests/netlab/bench.sh):
# interleaved runs, medians with min–max, peak memory of the whole process tree from outside.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build -q --release --locked -p tenken-cli
cargo build -q --release --locked -p tenken-report --example pdf_parts
cargo build -q --release --locked -p tenken-cli --example fleet_gen
TENKEN="$CARGO_TARGET_DIR/release/tenken"
export PDF_PARTS="$CARGO_TARGET_DIR/release/examples/pdf_parts"
export FLEET_GEN="$CARGO_TARGET_DIR/release/examples/fleet_gen"
echo "Tenken $("$TENKEN" --version 2>/dev/null | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"

echo
echo "== 1. Full local scan vs Lynis"
python3 scripts/bench.py local "$TENKEN"

echo
echo "== 2. Sockets at 10,000 connections vs ss -tanp"
python3 scripts/bench.py sockets "$TENKEN"

echo
echo "== 3. LAN check of a mostly-empty /24 vs nmap -sT -T4 -n (namespace lab, root only)"
if [ "$(id -u)" -eq 0 ]; then
  TENKEN="$TENKEN" tests/netlab/bench.sh
else
  echo "SKIPPED: the network lab needs root (network namespaces)."
fi

echo
echo "== 4. tenken report: end to end, and from three PCs' bundles; bytes per part"
python3 scripts/bench.py report "$TENKEN"

echo
echo "== 5. Hospital-sized fleets: import, ledger, report, year comparison and history of ${FLEET_N:-1000,3000} PCs"
python3 scripts/bench.py fleet "$TENKEN"
