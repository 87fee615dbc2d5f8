#!/usr/bin/env bash
# Benchmarks: figures, not pass/fail. Each prints ratios against a reference measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

echo "== 1. Local scan: wall/CPU time, peak memory; socket enumeration vs ss -tanp (10,000 loopback connections)"
cargo bench --profile dev -p tenken-probe --bench scan

echo
echo "== 2. Report: generation and signing time and size of a 30+ page report (dev profile, dependencies optimised)"
cargo run --quiet --example report_bench -p tenken-report

echo
echo "== 3. LAN check vs nmap -sT -T4 -n in the namespace lab (root only)"
if [ "$(id -u)" -eq 0 ]; then
  tests/netlab/bench.sh
else
  echo "SKIPPED: the network lab needs root (network namespaces)."
fi
