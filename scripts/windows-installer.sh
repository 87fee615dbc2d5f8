#!/usr/bin/env bash
# Builds the per-user Windows installer, target/windows/Tenken_<version>_x64-setup.exe, on
# Debian/Ubuntu (see docs/windows.md):
#   1. the desktop app tenken-app.exe and the CLI tenken.exe for x86_64-pc-windows-gnu in ONE cargo
#      build (release, the UI embedded, static C runtime), linked by Debian's MinGW-w64. Built apart,
#      the two resolve different features for the crates they share and nearly all of them compile
#      twice (about 5 minutes more on 2 cores); together each compiles once;
#   2. that tenken.exe also becomes target/windows/tenken.exe (and the Wine test's copy), as
#      `make windows` would write it;
#   3. Debian's makensis packs both with installer/windows/tenken.nsi (Japanese, no admin rights,
#      nothing downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh windows
. scripts/windows/env.sh
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)

# The app embeds ui/dist.
if [ ! -f ui/dist/index.html ]; then
  (cd ui && npm ci --no-audit --no-fund && npm run build)
fi

start=$(date +%s)
"$CARGO" build --release --locked -p tenken-app -p tenken-cli --features tenken-app/custom-protocol \
  --target "$TARGET"
echo "windows-installer: cargo build (app and CLI) took $(( $(date +%s) - start )) s"
publish_cli
app="$RELEASE_DIR/tenken-app.exe"

# Only DLLs Windows 10/11 has, and WebView2Loader.dll: with the GNU target, webview2-com-sys links
# Microsoft's WebView2 loader dynamically (the static one is an MSVC library), so the DLL it ships
# (copied by its build script beside the exe) goes into the installer too. WebView2 itself is the
# system's Evergreen runtime.
dlls=$(windows_imports "$app")
echo "windows-installer: tenken-app.exe imports: $(echo "$dlls" | tr '\n' ' ')"
loader="$(dirname "$app")/WebView2Loader.dll"
if ! echo "$dlls" | grep -qix 'WebView2Loader.dll' || [ ! -f "$loader" ]; then
  echo "windows-installer: expected tenken-app.exe to import WebView2Loader.dll and $loader to exist" >&2
  exit 1
fi

stage="$OUT/installer-files"
rm -rf "$stage"
mkdir -p "$stage"
cp "$app" "$loader" "$OUT/tenken.exe" LICENSE THIRD_PARTY_NOTICES.md icons/icon.ico "$stage/"
setup="$OUT/Tenken_${VERSION}_x64-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSRCDIR="$(realpath "$stage")" \
  -DOUTFILE="$(realpath "$OUT")/$(basename "$setup")" installer/windows/tenken.nsi
echo "windows-installer: built $setup ($(du -h "$setup" | cut -f1); app $(du -h "$app" | cut -f1))"
