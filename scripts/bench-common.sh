# Sourced by the native benchmark scripts (bench-vs-node.sh, bench-load.sh), from the
# repository's root: LOOPLAB is the release `looplab` (built with LTO, as the README builds it,
# unless LOOPLAB already names a binary), and `median` reads numbers, one a line.
if [ -z "${LOOPLAB:-}" ]; then
  cargo build --release -p looplab-cli >/dev/null 2>&1 || cargo build --release -p looplab-cli
  LOOPLAB=target/release/looplab
fi
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
