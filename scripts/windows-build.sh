#!/usr/bin/env bash
# Builds the portable Windows CLI, target/windows/tenken.exe, on Debian/Ubuntu (see docs/windows.md).
#   - Rust's own x86_64-pc-windows-gnu standard library (rustup target add), linked by Debian's
#     MinGW-w64 gcc with a static C runtime: the exe needs no DLL beside it (checked below), so it
#     runs from a USB stick without installing anything.
#   - For the Wine test only: target/windows/wine/bcryptprimitives.dll (Wine 8 lacks it) beside a
#     copy of the exe. Never ship that directory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh windows

TARGET=x86_64-pc-windows-gnu
CARGO="${CARGO:-cargo}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
OUT="$TARGET_DIR/windows"
CC_WIN=x86_64-w64-mingw32-gcc-posix

# The toolchain is the one rust-toolchain selection gives (stable unless overridden); its Windows
# standard library comes from rustup, the ordinary way.
if ! rustc --print target-libdir --target "$TARGET" >/dev/null 2>&1 \
  || [ ! -d "$(rustc --print target-libdir --target "$TARGET")" ]; then
  echo "windows: adding the $TARGET standard library (rustup target add)"
  rustup target add "$TARGET"
fi

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="$CC_WIN"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"
start=$(date +%s)
"$CARGO" build --release --locked -p tenken-cli --target "$TARGET"
echo "windows: cargo build took $(( $(date +%s) - start )) s"

mkdir -p "$OUT/wine"
exe="$TARGET_DIR/$TARGET/release/tenken.exe"
cp "$exe" "$OUT/tenken.exe"

# Portable means: only DLLs every Windows 10/11 has. MinGW's runtime DLLs would have to be copied
# beside the exe (and are missing on a clinic PC); fail if the static link did not take.
dlls=$(x86_64-w64-mingw32-objdump -p "$OUT/tenken.exe" | sed -n 's/^\s*DLL Name: //p' | sort -fu)
echo "windows: tenken.exe imports: $(echo "$dlls" | tr '\n' ' ')"
if echo "$dlls" | grep -Eiq '^(libgcc|libwinpthread|libstdc\+\+|libssp|zlib|libz)'; then
  echo "windows: tenken.exe needs a MinGW DLL; the static C runtime was not used" >&2
  exit 1
fi

# The Wine test's copy, with the ProcessPrng stand-in Wine 8 lacks.
"$CC_WIN" -shared -O2 -static-libgcc -o "$OUT/wine/bcryptprimitives.dll" \
  scripts/windows/bcryptprimitives.c -ladvapi32
cp "$OUT/tenken.exe" "$OUT/wine/tenken.exe"
echo "windows: built $OUT/tenken.exe ($(du -h "$OUT/tenken.exe" | cut -f1))"
