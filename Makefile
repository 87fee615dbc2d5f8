# Tenken — one entry point for set-up, the report, the tests, the app and the benchmarks.
# Every target installs the system packages it needs (scripts/deps.sh, apt) on Debian/Ubuntu.

SHELL := /bin/bash
CARGO ?= cargo
OUT ?= tenken-report.pdf
TENKEN := $(or $(CARGO_TARGET_DIR),target)/release/tenken

.PHONY: help deps deps-cli cli report test test-rust test-ui lint audit app app-build gui-test bench notices clean \
	windows windows-installer windows-test windows-app-check msrv

help:
	@echo "make report   - このPCを点検して署名付き報告書を作成 / scan this PC and write the signed report ($(OUT))"
	@echo "make test     - すべてのテスト / run every test (what CI runs)"
	@echo "make app      - デスクトップアプリを起動 / build and start the desktop app"
	@echo "make bench    - ベンチマーク / benchmarks (figures, not pass/fail)"
	@echo "make windows  - Windows 用 tenken.exe を作成 / build the portable target/windows/tenken.exe"
	@echo "make windows-installer - Windows 用インストーラー / build target/windows/Tenken_<version>_x64-setup.exe"

deps-cli:
	@scripts/deps.sh cli

deps:
	@scripts/deps.sh all

cli: deps-cli
	$(CARGO) build --release --locked -p tenken-cli

# The main job: scan this PC (local probes only: nothing is sent to the network) and write a
# signed PDF report of the current assessment.
report: cli
	$(TENKEN) report --out $(OUT)

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(MAKE) audit

# Every dependency checked offline by cargo-deny: RustSec advisories (dated snapshot in
# third_party/rustsec-advisory-db), licences, duplicate versions, sources (deny.toml).
audit:
	scripts/audit.sh

# Engine and CLI: parsers and fixtures, checklists, store (kill test), report verified by qpdf,
# pdfsig and pyHanko, the network lab (needs root: CI runs as root).
test-rust:
	$(CARGO) test --workspace --exclude tenken-app --locked --no-fail-fast

# Front end: Vitest, no literal UI text, svelte-check, production build (src-tauri embeds ui/dist),
# then every screen in Chromium with the Tauri IPC mocked (screenshots in target/gui-shots).
test-ui:
	cd ui && npm ci --no-audit --no-fund
	cd ui && timeout -k 10 300 npm test
	cd ui && timeout -k 10 60 npm run lint:text
	cd ui && timeout -k 10 300 npm run check
	cd ui && timeout -k 10 300 npm run build
	mkdir -p target/gui-shots && rm -f target/gui-shots/mock-*.png
	cd ui && timeout -k 10 300 node --test e2e/screens.test.mjs

# The portable Windows CLI, target/windows/tenken.exe (static C runtime, no installer): see
# docs/windows.md.
windows:
	scripts/windows-build.sh

# The per-user Windows installer: the desktop app and the CLI built for Windows in one cargo run
# (the UI embedded; it also writes target/windows/tenken.exe), packed by Debian's makensis with
# installer/windows/tenken.nsi (docs/windows.md).
windows-installer:
	scripts/windows-installer.sh

# Under Wine (each test its own WINEPREFIX): tenken.exe end to end (Japanese arguments and code page
# 932 output, scan, report checked by pdfsig and pyHanko, verify, import of a bundle from the Linux
# build, %APPDATA%, Credential Manager), and the installer's silent install and uninstall. Building
# the app for Windows also type-checks all of its Windows code (what windows-app-check does alone).
windows-test: windows-installer
	$(CARGO) test -p tenken-cli --test windows_wine --test windows_installer --locked -- --ignored

# The desktop app's Rust side type-checked for Windows (its #[cfg(windows)] code and the Windows
# crates under Tauri). Needs ui/dist (the app embeds it): `make test` builds it first.
windows-app-check:
	test -d ui/dist || (cd ui && npm ci --no-audit --no-fund && npm run build)
	CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix \
	  $(CARGO) check -p tenken-app --target x86_64-pc-windows-gnu --locked

# The declared minimum Rust version (rust-version in Cargo.toml) really builds the workspace.
MSRV := $(shell sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
msrv:
	rustup run $(MSRV).0 cargo check --workspace --all-targets --locked

# The real app: the release build and the Debian package (scripts/app-build.sh), the app's own
# tests on that build, then the app end to end under Xvfb through tauri-driver. The mocked screens
# run in test-ui.
gui-test:
	tests/gui/run.sh

app-build: deps
	scripts/app-build.sh

# Everything CI checks, fastest failures first; each step prints how long it took (CI must stay
# under 60 minutes on 2 cores).
test:
	@scripts/timed.sh deps scripts/deps.sh all
	@scripts/timed.sh test-ui $(MAKE) test-ui
	@scripts/timed.sh lint $(MAKE) lint
	@scripts/timed.sh test-rust $(MAKE) test-rust
	@scripts/timed.sh gui-test $(MAKE) gui-test
	@scripts/timed.sh windows-test $(MAKE) windows-test

app: app-build
	scripts/app-run.sh

bench: deps
	scripts/bench.sh

notices:
	scripts/third-party.sh > THIRD_PARTY_NOTICES.md

clean:
	$(CARGO) clean
