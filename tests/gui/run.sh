#!/usr/bin/env bash
# GUI tests. Installs nothing except the committed npm lockfile (npm ci). Needs (Debian):
#   libwebkit2gtk-4.1-dev build deps, xvfb xauth webkit2gtk-driver chromium, poppler-utils (pdfsig)
#   and qpdf (the e2e checks the report's signature with them), and tauri-driver
#   (cargo install tauri-driver --locked).
# Steps: Vitest + literal-text check + svelte-check + UI build; screen tests in Chromium with
# mockIPC; the real app (debug build with the bundled UI) end to end under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# Screenshots of this run only (a stale one from an earlier run must not be mistaken for current).
rm -rf "$ROOT/target/gui-shots"
mkdir -p "$ROOT/target/gui-shots"

cd "$ROOT/ui"
[ -d node_modules ] || npm ci --no-audit --no-fund
timeout -k 10 300 npx vitest run
timeout -k 10 60 node scripts/check-literals.mjs
timeout -k 10 300 npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings
timeout -k 10 300 npx vite build
timeout -k 10 300 node --test e2e/screens.test.mjs

cd "$ROOT"
command -v tauri-driver >/dev/null || { echo "tauri-driver missing: cargo install tauri-driver --locked" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "WebKitWebDriver missing: apt-get install webkit2gtk-driver" >&2; exit 1; }
command -v pdfsig >/dev/null || { echo "pdfsig missing: apt-get install poppler-utils" >&2; exit 1; }
command -v qpdf >/dev/null || { echo "qpdf missing: apt-get install qpdf" >&2; exit 1; }
# custom-protocol: the binary serves ui/dist instead of loading the dev-server URL.
timeout -k 10 3000 cargo build -p tenken-app --features custom-protocol
timeout -k 10 600 cargo test -p tenken-app --features custom-protocol
timeout -k 10 900 xvfb-run -a node --test tests/gui/app.e2e.mjs
