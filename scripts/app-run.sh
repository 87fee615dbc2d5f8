#!/usr/bin/env bash
# Starts the desktop app built by scripts/app-build.sh (under a virtual display when there is none).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/tenken-app"
[ -x "$bin" ] || { echo "build it first: make app-build" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: starting under xvfb-run (screenshots only)" >&2
  exec xvfb-run -a "$bin"
fi
exec "$bin"
