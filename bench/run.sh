#!/bin/sh
# bench/run.sh [--quick] [--build DIR] — Gatescope against PyTorch, one table.
#
# Builds gatescope-cli (unless --build names an existing build directory),
# then runs every configuration of `gatescope-cli bench` and of
# bench/torch_bench.py, one thread each (OPENBLAS_NUM_THREADS=1,
# torch.set_num_threads(1)). Each configuration runs in a process of its own
# on each side, ours right before PyTorch's, so that the peak RSS is that
# configuration's and both see the same machine state. Prints the table of
# bench/compare.py; the JSON lines and the table (also as Markdown) are
# kept in DIR/bench-results/ (DIR/bench-results-quick/ for --quick).
#
#   --quick      3 rounds of 0.02 s each: checks that everything runs
#   --build DIR  use this build directory (default: build-bench, created
#                with the project's default build type and -Dui=false)
#
# A full run takes about 2 minutes. PyTorch is Debian's python3-torch
# (/usr/bin/python3; set PYTHON to use another interpreter).

set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench
quick=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=--quick ;;
    --build) build=$2; shift ;;
    --build=*) build=${1#--build=} ;;
    -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

PYTHON=${PYTHON:-/usr/bin/python3}
export OPENBLAS_NUM_THREADS=1
export OMP_NUM_THREADS=1
export LC_ALL=C.UTF-8

if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "run.sh: $PYTHON cannot import torch (apt-get install python3-torch)" >&2
  exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$root" -Dui=false >&2
fi
ninja -C "$build" app/gatescope-cli >&2
cli=$build/app/gatescope-cli
# The shipped corpora, uninstalled.
export GATESCOPE_DATA_DIR="$root/assets"

out=$build/bench-results${quick:+-quick}
mkdir -p "$out"
: >"$out/ours.jsonl"
: >"$out/torch.jsonl"

# The configurations: the defaults of gatescope-cli bench (app/gs-cli-bench.c)
# and torch_bench.py, one per process.
one () {  # one SUITE CELL [HIDDEN]
  set -- --suite "$1" --cell "$2" ${3:+--hidden "$3"} $quick
  echo "  $*" >&2
  "$cli" bench --json "$@" >>"$out/ours.jsonl"
  "$PYTHON" "$root/bench/torch_bench.py" "$@" >>"$out/torch.jsonl"
}

echo "run.sh: measuring (results in $out)" >&2
for cell in rnn_tanh rnn_relu lstm gru; do
  one hello "$cell"
done
for cell in rnn_tanh lstm gru; do
  for h in 32 128 256 512; do
    one charlm "$cell" "$h"
  done
done
for cell in rnn_tanh lstm gru; do
  for h in 8 64 256; do
    one step "$cell" "$h"
  done
done

"$PYTHON" "$root/bench/compare.py" "$out/ours.jsonl" "$out/torch.jsonl" | tee "$out/table.txt"
"$PYTHON" "$root/bench/compare.py" --markdown "$out/ours.jsonl" "$out/torch.jsonl" >"$out/table.md"
