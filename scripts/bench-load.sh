#!/usr/bin/env bash
# Times issue 10's native benchmark: `looplab load` of the "10,000 users waiting on the
# database" preset (10,000 connections, 5 s think time, a 1 s query, 10 virtual seconds: about
# 20,000 requests with their JavaScript run) on each model, and prints the median wall time of
# each (the targets: 10 s for the loop, 1 s for the thread model). Builds the release `looplab`
# (with LTO, as the README builds it) first unless LOOPLAB is set to a binary.
# Usage: scripts/bench-load.sh [RUNS]     (RUNS, default 5, alternating the two models)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
source scripts/bench-common.sh
args=(load src/presets/server.js --connections 10000 --think-ms 5000 --cost dbLatency=1000000
  --duration 10 --json)

# wall ms of one run of "$@", its output kept in $out (and checked: the run must succeed)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
wall_ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >"$out" 2>&1 || { cat "$out" >&2; echo "failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

loop=() threads=()
for _ in $(seq "$runs"); do
  loop+=("$(wall_ms "$LOOPLAB" "${args[@]}" --model loop)")
  # the top-level "requests" (the first: the per-route ones come later)
  requests=$(grep -o '"requests":[0-9]*' "$out" | head -1 | cut -d: -f2)
  threads+=("$(wall_ms "$LOOPLAB" "${args[@]}" --model threads)")
done
printf '%-8s %10s %10s %10s   %s\n' model "median ms" "min ms" "max ms" "target"
for m in loop threads; do
  declare -n xs=$m
  target=$([ $m = loop ] && echo "10000 ms" || echo "1000 ms")
  printf '%-8s %10s %10s %10s   %s\n' $m "$(printf '%s\n' "${xs[@]}" | median)" \
    "$(printf '%s\n' "${xs[@]}" | sort -n | head -1)" "$(printf '%s\n' "${xs[@]}" | sort -n | tail -1)" "$target"
done
echo "(the loop ran $requests requests through the program; $runs runs of each, alternating)"
