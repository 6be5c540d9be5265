#!/bin/sh
# build-aux/screenshot.sh [OUT.png] — the README's screenshot: the real
# application in a virtual X display at 1600×1000, driven by its keys as a
# user would: Enter ×40 (forty whole training steps, so that the gates have
# learned something to show), then → ×3 (the forward pass at t = 2 of the
# next sequence). Writes assets/screenshots/window.png by default; builds
# in $BUILD_DIR (default build/). STYLE=dark takes the dark style.
set -eu
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}

if [ "${1:-}" = "--inside-display" ]; then
  # Second half: runs inside xvfb-run and dbus-run-session.
  out=$2
  "$build_dir/app/gatescope" &
  app=$!
  win=$(xdotool search --sync --onlyvisible --name '^Gatescope$' | head -n 1)
  # No window manager: place and size the window by hand.
  xdotool windowmove --sync "$win" 0 0
  xdotool windowsize --sync "$win" 1600 1000
  sleep 1
  xdotool windowfocus --sync "$win"
  xdotool key --window "$win" --delay 40 --repeat 40 Return
  sleep 1
  xdotool key --window "$win" --delay 300 --repeat 3 Right
  sleep 2
  # An 8-bit palette PNG without metadata: a few hundred kilobytes at most.
  import -window "$win" -strip -colors 256 "PNG8:$out"
  kill "$app"
  wait "$app" 2>/dev/null || true
  exit 0
fi

out=${1:-assets/screenshots/window.png}
case "$out" in
  /*) ;;
  *) out="$PWD/$out" ;;
esac

build-aux/bootstrap.sh screenshot
build-aux/setup-build.sh "$build_dir" ui=true
ninja -C "$build_dir"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-screenshot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for d in config data cache state runtime; do
  mkdir -m 700 "$tmp/$d"
done

# The style: ADW_DEBUG_COLOR_SCHEME is libadwaita's own switch.
scheme=
case "${STYLE:-light}" in
  dark) scheme=prefer-dark ;;
  *) scheme=prefer-light ;;
esac

mkdir -p "$(dirname "$out")"
env XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" \
    XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/runtime" \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$PWD/$build_dir/assets" BUILD_DIR="$build_dir" \
    ADW_DEBUG_COLOR_SCHEME="$scheme" \
    OPENBLAS_NUM_THREADS=1 LC_ALL=C.UTF-8 GTK_A11Y=none NO_AT_BRIDGE=1 \
  xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" \
  dbus-run-session -- "$PWD/build-aux/screenshot.sh" --inside-display "$out"
echo "screenshot: $out ($(wc -c < "$out") bytes)"
