#!/usr/bin/env bash
# scripts/timed.sh NAME COMMAND...: runs COMMAND and then prints how long it took (wall and CPU
# seconds), so a CI log shows where its minutes go. The exit status is COMMAND's.
set -uo pipefail
name="$1"; shift
start=$(date +%s)
status=0
# bash's `times` gives the CPU time of finished children (user and system).
"$@" || status=$?
end=$(date +%s)
# (Redirected to a file: in a pipe or $(...) it would run in a subshell that has no children.)
tf=$(mktemp)
times >"$tf"
cpu=$(tail -1 "$tf" | awk '{
  n = split($0, f, " "); t = 0
  for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] }
  printf "%d", t }')
rm -f "$tf"
echo "== make test: step $name took $(( end - start )) s (CPU ${cpu} s), exit $status"
exit "$status"
