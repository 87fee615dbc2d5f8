#!/usr/bin/env bash
# Builds the per-user Windows installer, target/windows/Tenken_<version>_x64-setup.exe, on
# Debian/Ubuntu (see docs/windows.md):
#   1. the desktop app tenken-app.exe for x86_64-pc-windows-gnu (release, the UI embedded, static C
#      runtime), linked by Debian's MinGW-w64;
#   2. beside it the portable CLI target/windows/tenken.exe (`make windows` builds it first);
#   3. Debian's makensis packs both with installer/windows/tenken.nsi (Japanese, no admin rights,
#      nothing downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh windows

TARGET=x86_64-pc-windows-gnu
CARGO="${CARGO:-cargo}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
OUT="$TARGET_DIR/windows"
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)

if [ ! -f "$OUT/tenken.exe" ]; then
  echo "windows-installer: $OUT/tenken.exe missing: run make windows first" >&2
  exit 1
fi
if ! rustc --print target-libdir --target "$TARGET" >/dev/null 2>&1 \
  || [ ! -d "$(rustc --print target-libdir --target "$TARGET")" ]; then
  rustup target add "$TARGET"
fi
# The app embeds ui/dist.
if [ ! -f ui/dist/index.html ]; then
  (cd ui && npm ci --no-audit --no-fund && npm run build)
fi

# Same flags as the CLI build, so the crates both use are compiled once.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"
start=$(date +%s)
"$CARGO" build --release --locked -p tenken-app --features custom-protocol --target "$TARGET"
echo "windows-installer: cargo build (app) took $(( $(date +%s) - start )) s"
app="$TARGET_DIR/$TARGET/release/tenken-app.exe"

# Only DLLs Windows 10/11 has, and WebView2Loader.dll: with the GNU target, webview2-com-sys links
# Microsoft's WebView2 loader dynamically (the static one is an MSVC library), so the DLL it ships
# (copied by its build script beside the exe) goes into the installer too. WebView2 itself is the
# system's Evergreen runtime.
dlls=$(x86_64-w64-mingw32-objdump -p "$app" | sed -n 's/^\s*DLL Name: //p' | sort -fu)
echo "windows-installer: tenken-app.exe imports: $(echo "$dlls" | tr '\n' ' ')"
if echo "$dlls" | grep -Eiq '^(libgcc|libwinpthread|libstdc\+\+|libssp|zlib|libz)'; then
  echo "windows-installer: tenken-app.exe needs a MinGW DLL; the static C runtime was not used" >&2
  exit 1
fi
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
