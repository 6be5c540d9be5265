#!/bin/sh
# build-aux/fuzz.sh [HARNESS…] — runs the libFuzzer harnesses long, one
# after the other (model, pt, text, classify, spec, lesson, session by default), under ASan and
# UBSan, in build-asan-clang/ (configured and built if needed).
#
#   RUNS=n      runs per harness (default 10000000)
#   SECONDS_MAX=s  stop a harness after s seconds even if RUNS is not reached
#               (default: no limit)
#
# Each harness grows its own corpus in build-asan-clang/fuzz/NAME/ (seeded
# from tests/fuzz/corpus/NAME, which stays as committed) and logs to
# build-asan-clang/fuzz/NAME.log; the last lines of each log give the runs,
# the coverage (cov: edges, ft: features) and the peak RSS. A crash, leak,
# timeout or out-of-memory leaves a crash-*/leak-*/timeout-*/oom-* file in
# build-asan-clang/fuzz/ and makes this script exit non-zero.
set -u
cd "$(dirname "$0")/.."

runs=${RUNS:-10000000}
max_time=${SECONDS_MAX:-0}
harnesses=${*:-model pt text classify spec lesson session}

CC=clang build-aux/setup-build.sh build-asan-clang ui=false torch_tests=false fuzz=true \
  b_sanitize=address,undefined b_lundef=false >/dev/null || exit 1
ninja -C build-asan-clang $(for h in $harnesses; do echo tests/fuzz/fuzz-$h; done) || exit 1

export OPENBLAS_NUM_THREADS=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for h in $harnesses; do
  dir=build-asan-clang/fuzz
  mkdir -p "$dir/$h"
  echo "fuzz: $h — $runs runs${max_time:+ (at most $max_time s)}"
  max_len=4096
  [ "$h" = session ] && max_len=32768   # sessions are safetensors files of a few to tens of KiB
  (cd "$dir" &&
    nice "../tests/fuzz/fuzz-$h" -runs="$runs" -max_total_time="$max_time" -timeout=10 \
      -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=$max_len -print_final_stats=1 \
      -artifact_prefix="$h-" "$h" "../../tests/fuzz/corpus/$h" >"$h.log" 2>&1)
  rc=$?
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done|stat::|ERROR|SUMMARY' "$dir/$h.log" | tail -12
  if [ $rc -ne 0 ]; then
    echo "fuzz: $h FAILED (exit $rc); see $dir/$h.log" >&2
    status=1
  fi
done
exit $status
