#!/usr/bin/env bash
# Installs what Looplab needs to build, serve and test, skipping whatever is already there.
# Usage: scripts/setup.sh serve   # wasm target, trunk, wasm-bindgen-cli, wasm-opt
#        scripts/setup.sh test    # the above plus Chromium, chromedriver and the npm test packages
# Every tool comes from a package registry (crates.io, npm, Debian); nothing is downloaded from
# GitHub, because trunk's own tool download cannot work on our machines.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }

for tool in cargo rustup node npm; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is required but not on PATH"; exit 1; }
done

# The wasm-bindgen CLI must match the crate version the lock file pins, exactly.
wb_version() { awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock; }
TRUNK_VERSION=0.22.1
BINARYEN_VERSION=132.0.0

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

want_wb=$(wb_version)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want_wb" ]; then
  say "installing wasm-bindgen-cli $want_wb (about 4 minutes)"
  # Not --locked: its lock file names a webpki-roots version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$want_wb" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 14 minutes on 2 cores)"
  # trunk 0.22.1 declares rust-version 1.96.1 but builds on 1.95.
  cargo install --locked --ignore-rust-version trunk --version "$TRUNK_VERSION" --force
fi

if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  say "installing wasm-opt from npm binaryen@$BINARYEN_VERSION"
  # Debian's binaryen (108) cannot parse current rustc output.
  if dpkg -s binaryen >/dev/null 2>&1; then apt-get remove -y binaryen; fi
  npm install -g "binaryen@$BINARYEN_VERSION"
fi

if [ "$mode" = test ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    say "installing Chromium and chromedriver from Debian"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -x tests/e2e/node_modules/.bin/eslint ] \
     || [ ! -x tests/e2e/node_modules/.bin/prettier ]; then
    say "installing the JavaScript test and lint packages (npm ci)"
    (cd tests/e2e && npm ci --no-audit --no-fund)
  fi
fi

# Fetch every crate now so trunk's offline mode (which makes cargo offline too) finds them.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch
say "tools ready ($mode)"
