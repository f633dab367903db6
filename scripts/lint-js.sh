#!/usr/bin/env bash
# Checks Looplab's JavaScript with the tools the JavaScript world uses: prettier (formatting) and
# ESLint (mistakes, and each Node-layer file's `/* global */` imports), over Node's layer in
# crates/engine/js and the end-to-end tests in tests/e2e. Both come from tests/e2e's npm packages
# (scripts/setup.sh test installs them). `scripts/lint-js.sh --fix` rewrites the files instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=tests/e2e/node_modules/.bin
files=(crates/engine/js tests/e2e/*.mjs)
if [ "${1:-}" = --fix ]; then
  "$bin/prettier" --config tests/e2e/.prettierrc.json --log-level warn --write "${files[@]}"
  "$bin/eslint" --config tests/e2e/eslint.config.mjs --fix "${files[@]}"
  exit
fi
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }
check "$bin/prettier" --config tests/e2e/.prettierrc.json --check "${files[@]}"
check "$bin/eslint" --config tests/e2e/eslint.config.mjs --max-warnings 0 "${files[@]}"
# The Node layer's files share one scope (crates/engine/src/prelude.rs joins them into one
# function): a top-level name declared in two files silently replaces the first. ESLint sees one
# file at a time, so the duplicates are looked for here.
duplicates() {
  grep -rhoE '^(async )?(function\*?|class|const|let|var) +[A-Za-z_$][A-Za-z0-9_$]*' \
    crates/engine/js --include='*.js' | awk '{print $NF}' | sort | uniq -d
}
check_unique() {
  local d
  d=$(duplicates)
  [ -z "$d" ] && return 0
  echo "lint-js: top-level names declared in more than one file of crates/engine/js: $d"
  return 1
}
check check_unique
[ "$failed" -gt 0 ] && echo "lint-js: scripts/lint-js.sh --fix formats the files; eslint's findings above need a hand"
echo "lint-js: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
