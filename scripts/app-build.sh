#!/usr/bin/env bash
# Builds the release app and the Debian package: target/release/bundle/deb/Tenken_*.deb.
# Installs nothing except the committed npm lockfile (npm ci); needs the Tauri build deps from
# TESTING.md (libwebkit2gtk-4.1-dev, libayatana-appindicator3-dev, librsvg2-dev, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# npm ci only when the installed packages are older than the lockfile (`make test` ran it already).
if [ ! ui/node_modules/.package-lock.json -nt ui/package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
# The Tauri CLI comes prebuilt from npm (@tauri-apps/cli, pinned in ui/package-lock.json).
# beforeBuildCommand builds the UI; AppImage is not built (its tooling downloads from outside).
time ui/node_modules/.bin/tauri build --bundles deb "$@"
ls -l "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb
