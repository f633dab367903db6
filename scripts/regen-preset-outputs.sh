#!/usr/bin/env bash
# Regenerate tests/e2e/expected/<preset>.out from REAL Node.js (never by hand).
# Each finite preset in src/presets/ (every file but server.js, which never exits) runs RUNS
# times (default 5); a preset whose stdout varies is reported and its file is not written,
# because the end-to-end test compares the page's console with this output exactly.
# Usage: scripts/regen-preset-outputs.sh [preset.js ...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
command -v node >/dev/null || { echo "node is required" >&2; exit 2; }
echo "regenerating with $(node --version)"
mkdir -p tests/e2e/expected
presets=("$@")
if [ ${#presets[@]} -eq 0 ]; then
  presets=()
  for f in src/presets/*.js; do
    [ "${f##*/}" = server.js ] || presets+=("$f")
  done
fi
bad=0
for js in "${presets[@]}"; do
  name=${js##*/}
  base=${name%.js}
  first=""
  for _ in $(seq "$runs"); do
    out=$(cd src/presets && node "$name"; echo "status=$?")
    if [ -z "$first" ]; then first=$out; elif [ "$out" != "$first" ]; then
      echo "FLAKY $name (real Node printed different results)"; bad=1; continue 2
    fi
  done
  printf '%s' "${first%status=*}" > "tests/e2e/expected/$base.out"
  echo "wrote tests/e2e/expected/$base.out"
done
exit $bad
