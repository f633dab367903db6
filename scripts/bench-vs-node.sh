#!/usr/bin/env bash
# Times `looplab run` against real `node` on the programs in scripts/bench/, side by side, and
# prints the median wall time of each and their ratio (looplab / node; below 1 means faster).
# Builds the release `looplab` first unless LOOPLAB is set to a binary.
# Usage: scripts/bench-vs-node.sh [RUNS]     (RUNS, default 5, alternating looplab and node)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
source scripts/bench-common.sh
command -v node >/dev/null || { echo "node is required" >&2; exit 2; }

# wall ms of one run of "$@", its output thrown away (and checked: the run must succeed)
wall_ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

printf '%-24s %12s %12s %8s\n' program "looplab ms" "node ms" ratio
for prog in scripts/bench/*.js; do
  # Both must print the same thing, or the comparison is meaningless.
  if [ "$("$LOOPLAB" run "$prog")" != "$(node "$prog")" ]; then
    echo "$prog: looplab and node print different output" >&2
    exit 1
  fi
  a=() b=()
  for _ in $(seq "$runs"); do
    a+=("$(wall_ms "$LOOPLAB" run "$prog")")
    b+=("$(wall_ms node "$prog")")
  done
  ma=$(printf '%s\n' "${a[@]}" | median)
  mb=$(printf '%s\n' "${b[@]}" | median)
  printf '%-24s %12s %12s %8s\n' "$(basename "$prog")" "$ma" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.2f", a / b }')"
done
echo "(medians of $runs runs each, alternating; node's figures include its own start-up)"
