#!/bin/sh
# build-aux/check.sh — everything `make check` (and so CI) runs:
#
#   1. build/       the whole project; every test (core, torch, cli, ui)
#                   under a virtual X display and a private session bus
#   2. build-asan/  the engine and the CLI without GTK, built with
#                   AddressSanitizer, LeakSanitizer and UBSan; the core suite
#   3. build-asan-clang/  the same with clang (its UBSan sees what GCC's
#                   does not, e.g. pointer arithmetic on NULL), and the
#                   libFuzzer harnesses of tests/fuzz/, each run briefly
#   4. build-tsan/  the window's threads under GCC's ThreadSanitizer: the
#                   GUI tests that train, step, reset, apply settings and
#                   run the comparison and the experiment (build-aux/tsan.sh)
#
# FIXTURE_SEED=n (make check FIXTURE_SEED=n) regenerates the fresh PyTorch
# reference set from seed n; unset, the seed in meson_options.txt is used.
# Every stage runs even when an earlier one failed; the exit status is
# non-zero when anything failed, and the last line counts the tests.
set -u
cd "$(dirname "$0")/.."

build-aux/bootstrap.sh check || exit 1

seed=${FIXTURE_SEED:-default}

# Tests never see the user's configuration: fresh XDG directories, removed
# at the end. One BLAS thread: the numbers must not depend on the machine.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
for d in config data cache state runtime; do
  mkdir -m 700 "$tmp/$d"
done
export XDG_CONFIG_HOME="$tmp/config"
export XDG_DATA_HOME="$tmp/data"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state"
export XDG_RUNTIME_DIR="$tmp/runtime"
export OPENBLAS_NUM_THREADS=1

failed_stages=""
passed=0
failed=0
skipped=0

# Adds the results of DIR's last `meson test` to the counts.
count_results () {
  counts=$(/usr/bin/python3 - "$1/meson-logs/testlog.json" <<'EOF'
import json, sys
passed = failed = skipped = 0
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError:
    lines = []
for line in lines:
    if not line.strip():
        continue
    result = json.loads(line)["result"]
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
print(passed, failed, skipped)
EOF
  )
  set -- $counts
  passed=$((passed + $1))
  failed=$((failed + $2))
  skipped=$((skipped + $3))
}

stage_failed () {
  echo "check: FAILED: $1" >&2
  failed_stages="$failed_stages
  $1"
}

# 1. Everything, under Xvfb and a session bus of its own. The screen is
# 1920x1080 so that test-presentation can open windows of that size.
echo "check: [1/4] build/ — all tests"
if build-aux/setup-build.sh build ui=true fixture_seed="$seed" && ninja -C build; then
  rm -f build/meson-logs/testlog.json
  xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
    dbus-run-session -- \
    meson test -C build --print-errorlogs || stage_failed "meson test -C build"
  count_results build
else
  stage_failed "building build/"
  failed=$((failed + 1))
fi

# 2. The engine under the sanitizers. Every leak of ours is an error;
#    build-aux/lsan.supp lists the system library's (OpenBLAS with one
#    thread leaves none). -Wno-format-overflow: with
#    UBSan's nonnull-attribute checks, GCC 12 takes every
#    `fprintf (f, _("…"), …)` for a "null format string" (dgettext () is
#    not known to return non-NULL); build/ keeps that warning an error.
echo "check: [2/4] build-asan/ — core suite with ASan, LSan and UBSan"
if build-aux/setup-build.sh build-asan ui=false torch_tests=false \
     b_sanitize=address,undefined b_lundef=false c_args=-Wno-format-overflow &&
   ninja -C build-asan; then
  rm -f build-asan/meson-logs/testlog.json
  ASAN_OPTIONS=detect_leaks=1 \
  LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --suite core --print-errorlogs || stage_failed "meson test -C build-asan --suite core"
  count_results build-asan
else
  stage_failed "building build-asan/"
  failed=$((failed + 1))
fi

# 3. clang: the core suite under its ASan and UBSan, and the fuzz
#    harnesses over their seed corpora plus a fixed number of mutations.
echo "check: [3/4] build-asan-clang/ — core suite and fuzz harnesses with clang's ASan and UBSan"
if CC=clang build-aux/setup-build.sh build-asan-clang ui=false torch_tests=false fuzz=true \
     b_sanitize=address,undefined b_lundef=false &&
   ninja -C build-asan-clang; then
  rm -f build-asan-clang/meson-logs/testlog.json
  ASAN_OPTIONS=detect_leaks=1 \
  LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan-clang --suite core --suite fuzz --print-errorlogs ||
    stage_failed "meson test -C build-asan-clang --suite core --suite fuzz"
  count_results build-asan-clang
else
  stage_failed "building build-asan-clang/"
  failed=$((failed + 1))
fi

# 4. ThreadSanitizer: fails on a failed test or on any report with a
#    Gatescope frame (build-aux/tsan.supp covers GLib/GTK internals only).
echo "check: [4/4] build-tsan/ — the window's threads under ThreadSanitizer"
if build-aux/tsan.sh; then
  passed=$((passed + 1))
else
  stage_failed "build-aux/tsan.sh"
  failed=$((failed + 1))
fi

if [ -n "$failed_stages" ]; then
  echo "check: these stages failed:$failed_stages" >&2
fi
echo "check: $passed passed, $failed failed, $skipped skipped"
[ -z "$failed_stages" ]
