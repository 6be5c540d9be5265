#!/bin/sh
# bench/long-run.sh [--build DIR] [--seconds N] [--hidden N] [--every S]
# — the stepping window trained for a long time: does its memory stay flat
# and its frame time unchanged?
#
# Runs `gatescope --measure-frames=N` (default 3600: an hour) in a virtual
# X display with a fresh configuration, exactly as bench/gui-fps.sh does:
# the window trains an LSTM (2 × 64 units, --hidden another size) on the
# hello task at full speed, every view redraws every snapshot. Every S
# seconds (default 60) it samples the process's resident memory from
# /proc/PID/status. At the end it prints one JSON line:
#   {"seconds", "rss_mib_start", "rss_mib_end", "rss_mib_max",
#    "rss_growth_mib_per_hour",
#    "start": {"seconds", "fps", "frame_ms_p50", "frame_ms_p95",
#              "work_ms_p50", "work_ms_p95", "rss_mib"},
#    "end":   {the same over the last minute},
#    "epochs", "loadavg", "rss_samples": [[t, MiB], …],
#    "frames": {the application's own JSON line: the whole run's percentiles, …}}
# rss_mib_start is the first sample after the 60 s warm-up. "start" and
# "end" are the frames of the recording's first and last minute (a quarter
# of it when shorter than four minutes), as the application timed them:
# frame_ms is the interval between painted frames, work_ms each frame's
# own work.
#
#   --build DIR   the build directory (default: build; built if needed)
#   --seconds N   how long to train and record (default 3600)
#   --hidden N    the LSTM's hidden size (default 64)
#   --every S     seconds between memory samples (default 60)
#   --renderer NAME  GSK_RENDERER for the run: gl, cairo, ngl (default: GTK's choice)

set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
seconds=3600
hidden=64
every=60
renderer=
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift ;;
    --build=*) build=${1#--build=} ;;
    --seconds) seconds=$2; shift ;;
    --seconds=*) seconds=${1#--seconds=} ;;
    --hidden) hidden=$2; shift ;;
    --hidden=*) hidden=${1#--hidden=} ;;
    --every) every=$2; shift ;;
    --every=*) every=${1#--every=} ;;
    --renderer) renderer=$2; shift ;;
    --renderer=*) renderer=${1#--renderer=} ;;
    -h|--help) sed -n '2,32s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "long-run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case $build in
  /*) ;;
  *) build=$PWD/$build ;;
esac

if [ ! -x "$build/app/gatescope" ]; then
  "$root/build-aux/setup-build.sh" "$build" ui=true
fi
ninja -C "$build" app/gatescope assets/gschemas.compiled >&2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-long.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for d in config data cache state runtime; do
  mkdir -m 700 "$tmp/$d"
done

if [ -n "$renderer" ]; then
  export GSK_RENDERER="$renderer"
fi
env XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" \
    XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/runtime" \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/assets" GATESCOPE_DATA_DIR="$root/assets" \
    OPENBLAS_NUM_THREADS=1 LC_ALL=C.UTF-8 GTK_A11Y=none NO_AT_BRIDGE=1 \
  xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
  dbus-run-session -- "$build/app/gatescope" --measure-frames="$seconds" --measure-hidden="$hidden" \
    --measure-size=1600x1000 >"$tmp/frames.json" 2>"$tmp/stderr" &
runner=$!

# The application's pid: the process running $build/app/gatescope itself
# (not xvfb-run or dbus-run-session, whose command lines name it too).
pid=
for _ in $(seq 1 150); do
  for p in $(pgrep -f -- "$build/app/gatescope --measure-frames=$seconds" || true); do
    [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$build/app/gatescope" ] && pid=$p
  done
  [ -n "$pid" ] && break
  sleep 0.2
done
if [ -z "$pid" ]; then
  echo "long-run.sh: the application did not start" >&2
  cat "$tmp/stderr" >&2
  exit 1
fi

start=$(date +%s)
: >"$tmp/rss"
while kill -0 "$pid" 2>/dev/null; do
  kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$kib" ] && echo "$(( $(date +%s) - start )) $kib" >>"$tmp/rss"
  sleep "$every"
done
wait "$runner" || { echo "long-run.sh: the application failed" >&2; cat "$tmp/stderr" >&2; exit 1; }

/usr/bin/python3 - "$tmp/rss" "$tmp/frames.json" "$seconds" <<'PYEOF'
import json, sys
samples = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
frames_text = open(sys.argv[2]).read().strip().splitlines()
frames = json.loads(frames_text[-1]) if frames_text else None
warm = [s for s in samples if s[0] >= 60] or samples
mib = lambda kib: round(kib / 1024.0, 1)
start, end = warm[0], warm[-1]
hours = max((end[0] - start[0]) / 3600.0, 1e-9)

def phase(frames, name):
    p = (frames or {}).get(name)
    if not p:
        return None
    return {"seconds": p["seconds"], "fps": p["fps_mean"],
            "frame_ms_p50": p["frame_ms_p50"], "frame_ms_p95": p["frame_ms_p95"],
            "work_ms_p50": p["work_ms_p50"], "work_ms_p95": p["work_ms_p95"],
            "rss_mib": mib(p["rss_kb"]) if p.get("rss_kb", -1) >= 0 else None}
print(json.dumps({
    "seconds": int(sys.argv[3]),
    "rss_mib_start": mib(start[1]),
    "rss_mib_end": mib(end[1]),
    "rss_mib_max": mib(max(s[1] for s in samples)),
    "rss_growth_mib_per_hour": round((end[1] - start[1]) / 1024.0 / hours, 1) if end[0] > start[0] else None,
    "start": phase(frames, "start"),
    "end": phase(frames, "end"),
    "epochs": frames and frames.get("epochs"),
    "loadavg": frames and frames.get("loadavg"),
    "rss_samples": [[t, mib(k)] for t, k in samples],
    "frames": frames,
}))
PYEOF
