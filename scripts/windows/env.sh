# Sourced by scripts/windows-build.sh and scripts/windows-installer.sh (docs/windows.md): the
# x86_64-pc-windows-gnu target, linked by Debian's MinGW-w64 with a static C runtime.
# Both scripts use the same flags, so a build of one reuses whatever the other compiled.
TARGET=x86_64-pc-windows-gnu
CARGO="${CARGO:-cargo}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
OUT="$TARGET_DIR/windows"
CC_WIN=x86_64-w64-mingw32-gcc-posix
RELEASE_DIR="$TARGET_DIR/$TARGET/release"

# The toolchain is the one rust-toolchain selection gives (stable unless overridden); its Windows
# standard library comes from rustup, the ordinary way.
if ! rustc --print target-libdir --target "$TARGET" >/dev/null 2>&1 \
  || [ ! -d "$(rustc --print target-libdir --target "$TARGET")" ]; then
  echo "windows: adding the $TARGET standard library (rustup target add)"
  rustup target add "$TARGET"
fi

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="$CC_WIN"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"

# windows_imports EXE: the DLLs EXE imports, one per line. Fails when one is a MinGW runtime DLL
# (it would have to be copied beside the exe and is missing on a clinic PC): the static link did
# not take.
windows_imports() {
  local dlls
  dlls=$(x86_64-w64-mingw32-objdump -p "$1" | sed -n 's/^\s*DLL Name: //p' | sort -fu)
  if echo "$dlls" | grep -Eiq '^(libgcc|libwinpthread|libstdc\+\+|libssp|zlib|libz)'; then
    echo "windows: $1 needs a MinGW DLL; the static C runtime was not used: $(echo "$dlls" | tr '\n' ' ')" >&2
    return 1
  fi
  echo "$dlls"
}

# publish_cli: target/windows/tenken.exe from this build, checked to need only DLLs every Windows
# 10/11 has, and the Wine test's copy beside the ProcessPrng stand-in Wine 8 lacks
# (target/windows/wine: never ship that directory).
publish_cli() {
  local dlls
  mkdir -p "$OUT/wine"
  cp "$RELEASE_DIR/tenken.exe" "$OUT/tenken.exe"
  dlls=$(windows_imports "$OUT/tenken.exe")
  echo "windows: tenken.exe imports: $(echo "$dlls" | tr '\n' ' ')"
  "$CC_WIN" -shared -O2 -static-libgcc -o "$OUT/wine/bcryptprimitives.dll" \
    scripts/windows/bcryptprimitives.c -ladvapi32
  cp "$OUT/tenken.exe" "$OUT/wine/tenken.exe"
  echo "windows: built $OUT/tenken.exe ($(du -h "$OUT/tenken.exe" | cut -f1))"
}
