#!/usr/bin/env bash
# The real desktop app, tested as it ships. Installs nothing except the committed npm lockfile.
# Needs (Debian; scripts/deps.sh all installs them): the Tauri build deps (libwebkit2gtk-4.1-dev,
# ...), xvfb xauth webkit2gtk-driver, poppler-utils (pdfsig) and qpdf (the e2e checks the report's
# signature with them), and tauri-driver (cargo install tauri-driver --locked).
# Steps:
#   1. scripts/app-build.sh: the release app (the UI embedded) and the Debian package;
#   2. the app's Rust tests on that same release build (its IPC commands, the generated
#      TypeScript bindings match ui/src/lib/bindings);
#   3. the release binary end to end under Xvfb through tauri-driver, in Japanese.
# The UI's own tests and the mocked screens run in `make test-ui`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

command -v tauri-driver >/dev/null || { echo "tauri-driver missing: cargo install tauri-driver --locked" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "WebKitWebDriver missing: apt-get install webkit2gtk-driver" >&2; exit 1; }
command -v pdfsig >/dev/null || { echo "pdfsig missing: apt-get install poppler-utils" >&2; exit 1; }
command -v qpdf >/dev/null || { echo "qpdf missing: apt-get install qpdf" >&2; exit 1; }

# One build of the app for Linux: the release one the .deb ships (tauri build sets the
# custom-protocol feature, so the binary serves ui/dist).
timeout -k 10 3000 scripts/app-build.sh
# Same profile and feature: the app's tests reuse the crates the release build compiled.
timeout -k 10 1200 cargo test --release --locked -p tenken-app --features custom-protocol
mkdir -p "$ROOT/target/gui-shots"
rm -f "$ROOT"/target/gui-shots/app-*.png
TENKEN_APP="$CARGO_TARGET_DIR/release/tenken-app" timeout -k 10 900 xvfb-run -a node --test tests/gui/app.e2e.mjs
