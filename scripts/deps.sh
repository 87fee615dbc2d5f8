#!/usr/bin/env bash
# Installs every system package Tenken needs on Debian/Ubuntu (idempotent).
#   scripts/deps.sh cli   - what building the CLI and writing a report needs
#   scripts/deps.sh windows - the Windows build (MinGW-w64) and Wine, to run tenken.exe in tests
#   scripts/deps.sh all   - everything for the GUI, the tests and the benchmarks (includes windows)
set -euo pipefail
what="${1:-all}"

cli_pkgs=(build-essential pkg-config curl ca-certificates
  # OS key store test: private D-Bus session + Secret Service (gnome-keyring) + secret-tool
  dbus gnome-keyring libsecret-tools)
all_pkgs=(
  # Tauri 2 build dependencies
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev file wget
  # GUI tests: virtual display, WebDriver, screenshots; the Japanese locale (dates as 2026/11/23)
  xvfb xauth webkit2gtk-driver chromium imagemagick locales
  # report verification and fonts
  poppler-utils qpdf openssl fonts-ipaexfont-gothic python3-venv
  # XLSX check
  libreoffice-calc
  # network lab (snmpd: the lab's SNMP agent answering the default community)
  iproute2 nftables iptables procps snmpd
  # OS key store test (also in cli_pkgs)
  dbus gnome-keyring libsecret-tools
)

# Windows build and its Wine test (docs/windows.md): MinGW-w64 links tenken.exe and the app (dlltool,
# objdump and windres come with binutils), wine64 runs them, nsis (makensis) packs the installer.
windows_pkgs=(gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 wine64 nsis)

case "$what" in
  cli) pkgs=("${cli_pkgs[@]}") ;;
  windows) pkgs=("${windows_pkgs[@]}") ;;
  all) pkgs=("${cli_pkgs[@]}" "${all_pkgs[@]}" "${windows_pkgs[@]}") ;;
  *) echo "deps: unknown mode '$what' (cli, windows, all)" >&2; exit 2 ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "deps: all system packages present"
else
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
fi

# ja_JP.UTF-8, so the app under test shows dates and text the way a Japanese PC does.
if [ "$what" = "all" ] && ! locale -a 2>/dev/null | grep -qix 'ja_JP\.utf-\?8'; then
  echo "deps: generating the ja_JP.UTF-8 locale"
  $SUDO sed -i 's/^# *ja_JP.UTF-8 UTF-8/ja_JP.UTF-8 UTF-8/' /etc/locale.gen
  $SUDO locale-gen >/dev/null
fi

# tauri-driver (WebDriver bridge for the GUI end-to-end test), from crates.io.
if [ "$what" = "all" ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "deps: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi
