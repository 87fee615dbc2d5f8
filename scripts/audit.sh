#!/usr/bin/env bash
# Audits every dependency with cargo-deny, offline: security advisories (RustSec), licences,
# duplicate versions and sources (deny.toml). `make audit`; `make test` runs it.
#
# The RustSec advisory database cannot be fetched here (no network but package registries), so a
# dated snapshot is kept in third_party/rustsec-advisory-db: the advisories of every crate in
# Cargo.lock, plus the names of all crates the full database covers, so that a new dependency
# with advisories is noticed (the audit then fails and asks for a refresh). Refresh from a
# checkout of https://github.com/rustsec/advisory-db:
#   scripts/audit.sh --refresh-from /path/to/advisory-db
set -euo pipefail
cd "$(dirname "$0")/.."
SNAP=third_party/rustsec-advisory-db
DENY_VERSION=0.20.2
# cargo-deny keeps the database for this URL under this folder name (a hash of the URL).
DB="${CARGO_TARGET_DIR:-target}/advisory-db/advisory-db-3157b0e258782691"

lock_crates() { sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.lock | sort -u; }

if [ "${1:-}" = "--refresh-from" ]; then
  src="${2:?usage: scripts/audit.sh --refresh-from ADVISORY_DB_CHECKOUT}"
  rm -rf "$SNAP/crates"
  mkdir -p "$SNAP/crates"
  ls "$src/crates" | sort > "$SNAP/ALL-CRATES"
  comm -12 <(lock_crates) "$SNAP/ALL-CRATES" | while read -r c; do cp -r "$src/crates/$c" "$SNAP/crates/"; done
  cp "$src/LICENSE.txt" "$SNAP/LICENSE.txt"
  {
    echo "source = \"https://github.com/rustsec/advisory-db\""
    echo "commit = \"$(git -C "$src" log -1 --format=%H)\""
    echo "date = \"$(git -C "$src" log -1 --format=%cI)\""
  } > "$SNAP/SNAPSHOT.toml"
  echo "audit: snapshot refreshed: $(ls "$SNAP/crates" | wc -l) crates with advisories"
  exit 0
fi

if ! command -v cargo-deny >/dev/null || ! cargo deny --version | grep -q " $DENY_VERSION"; then
  echo "audit: installing cargo-deny $DENY_VERSION (crates.io)"
  cargo install --locked "cargo-deny@$DENY_VERSION"
fi

# A dependency the full database has advisories for must be in the snapshot.
missing=$(comm -12 <(lock_crates) "$SNAP/ALL-CRATES" | while read -r c; do [ -d "$SNAP/crates/$c" ] || echo "$c"; done)
if [ -n "$missing" ]; then
  echo "audit: the advisory snapshot lacks advisories of: $(echo "$missing" | tr '\n' ' ')" >&2
  echo "audit: refresh it: scripts/audit.sh --refresh-from <checkout of rustsec/advisory-db>" >&2
  exit 1
fi

# cargo-deny opens the database as a git repository: make one, dated like the snapshot.
date=$(sed -n 's/^date = "\(.*\)"$/\1/p' "$SNAP/SNAPSHOT.toml")
rm -rf "$DB"
mkdir -p "$DB"
cp -r "$SNAP/crates" "$DB/"
git -C "$DB" init -q
git -C "$DB" add -A
GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" \
  git -C "$DB" -c user.name=tenken -c user.email=tenken@example.invalid -c commit.gpgsign=false \
  commit -qm "RustSec advisory-db snapshot $date"
age=$(( ( $(date +%s) - $(date -d "$date" +%s) ) / 86400 ))
echo "audit: RustSec advisories as of ${date%%T*} ($age days old; commit $(sed -n 's/^commit = "\(.*\)"$/\1/p' "$SNAP/SNAPSHOT.toml" | cut -c1-12))"
if [ "$age" -gt 120 ]; then
  echo "audit: WARNING: the advisory snapshot is older than 120 days; refresh it" >&2
fi
cargo deny --offline check advisories licenses bans sources
