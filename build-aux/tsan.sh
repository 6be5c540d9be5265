#!/bin/sh
# build-aux/tsan.sh — the window's threads under ThreadSanitizer (GCC).
#
# Builds, in build-tsan/ (-Db_sanitize=thread), only the GUI tests that
# drive the threads: the worker behind the stepping window (test-session),
# the window itself (training, stepping, reset, applying settings), the
# comparison page (start, stop) and the experiment dialog. Runs them under
# Xvfb and a session bus with build-aux/tsan.supp (GLib/GTK internals
# only), then reads every report: the run fails when a test fails or when
# any report has a frame in Gatescope's own code (app/, ui/, core/), or
# when a test's peak memory passes TSAN_MAX_RSS_MB.
#
#   TSAN_WINDOW_TESTS  the test-window paths to run (default below)
#   TSAN_MAX_RSS_MB    the most resident memory a test may reach (default 3000)
set -u
cd "$(dirname "$0")/.."

build-aux/setup-build.sh build-tsan ui=true torch_tests=false b_sanitize=thread b_lundef=false \
  c_args=-Wno-format-overflow >/dev/null || exit 1
ninja -C build-tsan tests/ui/test-session tests/ui/test-window tests/ui/test-compare-page \
  tests/ui/test-experiment-dialog assets/gschemas.compiled || exit 1

# train-and-reset trains flat out: under TSan the main loop falls far
# behind the worker, which publishes a snapshot only once the last one was
# taken (gs_shuttle_unread), so the queue stays bounded (it grew past 18 GB
# before).
window_tests=${TSAN_WINDOW_TESTS:-"/window/opens-ready /window/step-forward-and-back /window/backward
  /window/train-step /window/train-and-reset /window/play /window/settings-gru /window/settings-invalid
  /window/settings-task /window/close-while-training"}
max_rss_mb=${TSAN_MAX_RSS_MB:-3000}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-tsan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# TSAN_KEEP_LOGS=DIR keeps the logs
[ -n "${TSAN_KEEP_LOGS:-}" ] && trap 'cp "$tmp"/*.log "$TSAN_KEEP_LOGS"/; rm -rf "$tmp"' EXIT
for d in config data cache state runtime; do
  mkdir -m 700 "$tmp/$d"
done
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/runtime"
export OPENBLAS_NUM_THREADS=1 GSETTINGS_BACKEND=memory GTK_A11Y=none NO_AT_BRIDGE=1 LC_ALL=C.UTF-8
export GSETTINGS_SCHEMA_DIR="$PWD/build-tsan/assets" GS_SOURCE_DIR="$PWD" GS_BUILD_DIR="$PWD/build-tsan"
export TSAN_OPTIONS="suppressions=$PWD/build-aux/tsan.supp halt_on_error=0 exitcode=0 report_signal_unsafe=0 history_size=4"

status=0
run () {
  name=$1
  shift
  echo "tsan: $name"
  # the test's time and peak memory (the largest of the processes waited for)
  /usr/bin/python3 - "$tmp/$name.usage" xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
    dbus-run-session -- "$@" >"$tmp/$name.log" 2>&1 <<'PYEOF'
import resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(f"{rc} {peak_kb // 1024} {time.monotonic() - t0:.0f}\n")
sys.exit(rc)
PYEOF
  rc=$?
  read -r _ peak_mb seconds <"$tmp/$name.usage" || { peak_mb=0; seconds=0; }
  grep -E '^(not )?ok ' "$tmp/$name.log" | sed 's/^/  /'
  echo "  ${seconds} s, peak RSS ${peak_mb} MB"
  if [ $rc -ne 0 ]; then
    echo "tsan: $name FAILED (exit $rc)" >&2
    tail -20 "$tmp/$name.log" >&2
    status=1
  fi
  if [ "$peak_mb" -gt "$max_rss_mb" ]; then
    echo "tsan: $name FAILED: peak RSS ${peak_mb} MB over ${max_rss_mb} MB" >&2
    status=1
  fi
  /usr/bin/python3 - "$tmp/$name.log" "$name" <<'PYEOF' || status=1
import re, sys
log = open(sys.argv[1], errors="replace").read()
reports = [r.split("SUMMARY:")[0] for r in log.split("WARNING: ThreadSanitizer:")[1:]]
ours = [r for r in reports
        if re.search(r"#\d+ \S+ (\.\./)?(app|ui|core)/gs-[\w-]+\.[ch]:\d+", r)]
print(f"  {len(reports)} reports, {len(ours)} with a Gatescope frame")
for r in ours[:5]:
    print("WARNING: ThreadSanitizer:" + r, file=sys.stderr)
sys.exit(1 if ours else 0)
PYEOF
}

run session build-tsan/tests/ui/test-session --tap
paths=""
for p in $window_tests; do
  paths="$paths -p $p"
done
# shellcheck disable=SC2086 # one -p per path
run window build-tsan/tests/ui/test-window --tap $paths
run compare-page build-tsan/tests/ui/test-compare-page --tap
run experiment-dialog build-tsan/tests/ui/test-experiment-dialog --tap
[ $status -eq 0 ] && echo "tsan: no report with a Gatescope frame"
exit $status
