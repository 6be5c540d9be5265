#!/bin/sh
# tests/fuzz/run-fuzz.sh HARNESS CORPUS RUNS [libFuzzer options…]
#
# Runs HARNESS over the committed seed corpus CORPUS, then RUNS mutations
# from a fixed seed. New inputs go to a temporary directory (the committed
# corpus is only read). A crash, a leak, a timeout (10 s), an allocation
# over 2 GiB or any sanitizer report fails the run (libFuzzer's status).
set -u
harness=$1
corpus=$2
runs=$3
shift 3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gs-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir new
TMPDIR=$tmp "$harness" -seed=1 -runs="$runs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
  -max_len=8192 -print_final_stats=1 "$@" new "$corpus" >log 2>&1
status=$?
# the findings and the totals, without libFuzzer's line per new input
grep -v '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' log
echo "run-fuzz: $(basename "$harness") exited with $status"
exit $status
