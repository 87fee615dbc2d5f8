#!/usr/bin/env bash
# Builds the portable Windows CLI, target/windows/tenken.exe, on Debian/Ubuntu (see docs/windows.md).
#   - Rust's own x86_64-pc-windows-gnu standard library (rustup target add), linked by Debian's
#     MinGW-w64 gcc with a static C runtime: the exe needs no DLL beside it (checked), so it runs
#     from a USB stick without installing anything.
#   - For the Wine test only: target/windows/wine/bcryptprimitives.dll (Wine 8 lacks it) beside a
#     copy of the exe. Never ship that directory.
# `make windows-installer` writes the same files from its build of the CLI and the app together.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh windows
. scripts/windows/env.sh

start=$(date +%s)
"$CARGO" build --release --locked -p tenken-cli --target "$TARGET"
echo "windows: cargo build took $(( $(date +%s) - start )) s"
publish_cli
