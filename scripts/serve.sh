#!/usr/bin/env bash
# Builds Looplab in debug mode and serves it with live reload on http://127.0.0.1:8080.
# Installs what is missing first (scripts/setup.sh serve) unless LOOPLAB_SKIP_SETUP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if [ "${LOOPLAB_SKIP_SETUP:-0}" != 1 ]; then
  scripts/setup.sh serve
fi
echo "[serve] http://127.0.0.1:8080 (Ctrl-C stops)"
exec trunk serve --offline --address 127.0.0.1 --port 8080
