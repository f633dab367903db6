#!/usr/bin/env bash
# Regenerate tests/conformance/cases/*.out and *.status from REAL Node.js (never by hand).
# Each case runs RUNS times (default 5); a case whose stdout or status varies is reported and
# its expected files are not written, because a conformance case must be deterministic in Node.
# Usage: scripts/regen-conformance.sh [case.js ...]
set -euo pipefail
cd "$(dirname "$0")/../tests/conformance/cases"
runs=${RUNS:-5}
command -v node >/dev/null || { echo "node is required" >&2; exit 2; }
echo "regenerating with $(node --version)"
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=([0-9][0-9][0-9]-*.js)
bad=0
for js in "${cases[@]}"; do
  js=${js##*/}
  base=${js%.js}
  first=""; first_status=""
  for _ in $(seq "$runs"); do
    set +e
    out=$(node "$js" 2>/dev/null; echo "status=$?")
    set -e
    if [ -z "$first" ]; then first=$out; elif [ "$out" != "$first" ]; then
      echo "FLAKY $js (real Node printed different results)"; bad=1; continue 2
    fi
  done
  status=${first##*status=}
  printf '%s' "${first%status=*}" > "$base.out"
  echo "$status" > "$base.status"
done
echo "done"
exit $bad
