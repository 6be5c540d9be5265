#!/bin/sh
# run-fresh.sh PYTHON MAKE_FIXTURES_PY TEST_PARITY_EXE SEED
#
# Writes a fresh, larger PyTorch reference set from SEED into a temporary
# directory and checks the engine against it with test-parity. The committed
# set proves the engine against one draw of weights; this one draws new
# weights, tokens and a seed-dependent shape on every seed.
set -u

if [ $# -ne 4 ]; then
  echo "usage: $0 PYTHON MAKE_FIXTURES_PY TEST_PARITY_EXE SEED" >&2
  exit 2
fi
python=$1
make_fixtures=$2
test_parity=$3
seed=$4

# The Makefile installs python3-torch, so a Python without torch is a broken
# setup, not a reason to skip.
if ! why=$("$python" -c 'import torch' 2>&1); then
  echo "parity-fresh: $python cannot import torch:" >&2
  printf '%s\n' "$why" >&2
  echo "parity-fresh: install Debian's python3-torch (make deps)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-fixtures.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

status=0
if ! "$python" "$make_fixtures" --large --seed "$seed" --out "$dir"; then
  echo "parity-fresh: generating the reference set failed" >&2
  status=1
elif ! "$test_parity" "$dir"; then
  status=1
fi

if [ $status -ne 0 ]; then
  echo "parity-fresh failed with seed $seed; reproduce with: make check FIXTURE_SEED=$seed" >&2
fi
exit $status
