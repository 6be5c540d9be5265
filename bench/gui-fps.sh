#!/bin/sh
# bench/gui-fps.sh [--build DIR] [--seconds N] [--hidden N] [--renderer NAME]
#                  [--size WxH] [--style light|dark] [--presentation]
# — the stepping window's frame rate while it trains at full speed.
#
# Runs `gatescope --measure-frames=N` in a virtual X display (Xvfb,
# 1920x1080) with a fresh configuration: the window (1600x1000) trains an
# LSTM of 2 layers × 64 units (--hidden: another size, up to the settings'
# 512) on the hello task continuously in its worker thread, every view
# redraws every snapshot (up to 60 a second), and the
# interval between every two painted frames is recorded for N seconds
# (default 10), after a warm-up. Prints the application's JSON line:
#   {"frames", "seconds", "fps_mean", "frame_ms_p50", "frame_ms_p95",
#    "frame_ms_p99", "frame_ms_max", "snapshots", "epochs", "window",
#    "renderer", "model", "loadavg", "rss_kb_start", "rss_kb_end",
#    "snap_bytes_first", "snap_bytes_last",
#    "start", "end": {the first and last quarter's frames, at most a minute each}, …}
# 60 fps means frame_ms_p95 ≤ ~17.
#
#   --build DIR      the build directory (default: build; built if needed)
#   --seconds N      how long to record (default 10)
#   --hidden N       the LSTM's hidden size (default 64)
#   --renderer NAME  GSK_RENDERER for the run: gl, cairo, ngl (default: GTK's choice)
#   --size WxH       the window's size (default 1600x1000; the display grows to fit)
#   --style STYLE    light (default) or dark
#   --presentation   in the presentation mode (F5): no header bar, larger views
#                    (no window manager runs, so the window keeps --size)

set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
seconds=10
renderer=
hidden=64
size=1600x1000
style=light
presentation=
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift ;;
    --build=*) build=${1#--build=} ;;
    --seconds) seconds=$2; shift ;;
    --seconds=*) seconds=${1#--seconds=} ;;
    --hidden) hidden=$2; shift ;;
    --hidden=*) hidden=${1#--hidden=} ;;
    --renderer) renderer=$2; shift ;;
    --renderer=*) renderer=${1#--renderer=} ;;
    --size) size=$2; shift ;;
    --size=*) size=${1#--size=} ;;
    --style) style=$2; shift ;;
    --style=*) style=${1#--style=} ;;
    --presentation) presentation=--measure-presentation ;;
    -h|--help) sed -n '2,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "gui-fps.sh: unknown option $1" >&2; exit 2 ;;
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-fps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for d in config data cache state runtime; do
  mkdir -m 700 "$tmp/$d"
done

case $style in
  light) scheme=prefer-light ;;
  dark) scheme=prefer-dark ;;
  *) echo "gui-fps.sh: --style is light or dark, not $style" >&2; exit 2 ;;
esac
# The display: at least 1920x1080, and as large as the window.
screen_w=${size%x*}
screen_h=${size#*x}
[ "$screen_w" -lt 1920 ] && screen_w=1920
[ "$screen_h" -lt 1080 ] && screen_h=1080

if [ -n "$renderer" ]; then
  export GSK_RENDERER="$renderer"
fi
env XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" \
    XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/runtime" \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/assets" GATESCOPE_DATA_DIR="$root/assets" \
    OPENBLAS_NUM_THREADS=1 LC_ALL=C.UTF-8 GTK_A11Y=none NO_AT_BRIDGE=1 ADW_DEBUG_COLOR_SCHEME=$scheme \
  xvfb-run -a -s "-screen 0 ${screen_w}x${screen_h}x24 -nolisten tcp" \
  dbus-run-session -- "$build/app/gatescope" --measure-frames="$seconds" --measure-hidden="$hidden" \
    --measure-size="$size" $presentation
