#!/usr/bin/env bash
# Prints THIRD_PARTY_NOTICES.md: every Rust crate and npm package Tenken ships, with its licence,
# plus the bundled font.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import json, subprocess, os
meta = json.loads(subprocess.check_output(
    ["cargo", "metadata", "--format-version", "1", "--locked"], text=True))
ws = set(meta["workspace_members"])
crates = sorted({(p["name"], p["version"], p.get("license") or "see crate")
                 for p in meta["packages"] if p["id"] not in ws})
print("# Third-party notices\n")
print("Tenken is Apache-2.0. It includes or links the components below, each under its own licence.\n")
print("## Font\n")
print("- IPAex Gothic (`ipaexg.ttf`), IPA Font License Agreement v1.0 — shipped unmodified with its licence text; subset into generated PDFs as the licence permits.\n")
print("## Rust crates\n")
print("| crate | version | licence |\n|---|---|---|")
for n, v, l in crates:
    print(f"| {n} | {v} | {l} |")
lock = "ui/package-lock.json"
if os.path.exists(lock):
    data = json.load(open(lock))
    rows = []
    for path, info in data.get("packages", {}).items():
        if not path or info.get("dev"):
            continue
        rows.append((path.split("node_modules/")[-1], info.get("version", ""), info.get("license", "see package")))
    print("\n## npm packages (shipped in the app)\n")
    print("| package | version | licence |\n|---|---|---|")
    for n, v, l in sorted(set(rows)):
        print(f"| {n} | {v} | {l} |")
PY
