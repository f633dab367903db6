#!/usr/bin/env bash
# Browser benchmark: builds the release page (as the e2e tier does) and prints medians from
# tests/e2e/bench.mjs: steps per second at max speed, a step back after a 1,000-request burst,
# frame intervals with 1,000 requests in flight. Needs what `make test` installs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if [ "${LOOPLAB_SKIP_BUILD:-0}" != 1 ]; then
  trunk build --release --offline
fi
cd tests/e2e && exec node bench.mjs
