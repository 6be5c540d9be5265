#!/bin/sh
# build-aux/screenshot.sh [OUT.png] — the README's screenshot: the real
# application in a virtual X display at 1600×1000, driven by its keys as a
# user would: Enter ×40 (forty whole training steps, so that the gates have
# learned something to show), then → ×3 (the forward pass at t = 2 of the
# next sequence). Writes assets/screenshots/window.png by default; builds
# in $BUILD_DIR (default build/). STYLE=dark takes the dark style.
# SIZE=WxH sets the window's size (default 1600x1000). LOCALE=zh_CN runs
# it in that language and locale (LANGUAGE=zh_CN LC_ALL=zh_CN.UTF-8; the
# default is C.UTF-8, English). TASK=spec opens on that task instead of
# hello, e.g. TASK=charlm:corpus=zh for the Tang poems. RIGHT=N presses →
# N times instead of 3 (TASK=seq2seq:kind=date RIGHT=14: the decoder at t = 3).
# SETTINGS="key=value …" adds GSettings keys to the run's settings, e.g.
# TASK=classify SETTINGS="bidirectional=true hidden=8" for a bidirectional
# model.
# STEPS=N presses Enter N times instead of 40; then CLICKS="X,Y …" clicks
# there as in lesson mode, and a "wheel:N" among them scrolls N notches
# down. The README's 1280×720 views (SIZE=1280x720):
#   Shapes page:  STEPS=5 RIGHT=0 CLICKS="712,27"  (zh_CN: LOCALE=zh_CN CLICKS="712,27 wheel:15")
#   Code page:    STEPS=5 RIGHT=0 CLICKS="868,27"
#   generation and the embedding view: TASK=charlm STEPS=250 CLICKS="wheel:30 1037,324"
# PRESENT=1 then presses F5, the presentation mode (no window manager runs:
# the window keeps SIZE).
# LESSON=FILE opens that lesson instead (gatescope FILE): NEXT=N presses
# the panel's Next N times, waiting WAIT seconds (default 4) for each step
# to run, then CLICKS="X,Y …" clicks there (a choice), e.g. the README's:
# LESSON=assets/lessons/03-conveyor-belt.lesson SIZE=1280x720 NEXT=1
# CLICKS="1090,384 1090,424" (LOCALE=zh_CN: CLICKS="1090,353 1090,393").
# Without a lesson, CLICKS are clicked after the keys too. RCLICK="X,Y"
# then right-clicks a unit there and picks "Clamp this gate…" from its
# menu; TYPE=SPEC replaces the spec the form was filled with, and Return
# applies it; AFTER="X,Y …" clicks there last. The README's intervention:
# RCLICK=… TYPE='1:f:*=1' (see the README for the coordinates).
set -eu
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}

if [ "${1:-}" = "--inside-display" ]; then
  # Second half: runs inside xvfb-run and dbus-run-session.
  out=$2
  width=${SIZE%x*}
  height=${SIZE#*x}
  if [ -n "${LESSON:-}" ]; then
    GATESCOPE_DATA_DIR="$PWD/assets" "$build_dir/app/gatescope" "$LESSON" &
  else
    GATESCOPE_DATA_DIR="$PWD/assets" "$build_dir/app/gatescope" &
  fi
  app=$!
  # The title ends in "Gatescope" ("Untitled — Gatescope", "• lesson.gatescope — Gatescope").
  win=$(xdotool search --sync --onlyvisible --name 'Gatescope$' | head -n 1)
  # No window manager: place and size the window by hand.
  xdotool windowmove --sync "$win" 0 0
  xdotool windowsize --sync "$win" "$width" "$height"
  sleep 1
  xdotool windowfocus --sync "$win"
  if [ -n "${LESSON:-}" ]; then
    # The panel's Next button sits in its bottom right corner.
    sleep "${WAIT:-4}"
    i=0
    # (where the window really is: it may keep a height of its own)
    eval "$(xdotool getwindowgeometry --shell "$win")"
    while [ "$i" -lt "${NEXT:-0}" ]; do
      xdotool mousemove --sync $((WIDTH - 100)) $((HEIGHT - 29)) click 1
      sleep "${WAIT:-4}"
      i=$((i + 1))
    done
  else
    xdotool key --window "$win" --delay 40 --repeat "${STEPS:-40}" Return
    sleep 1
    if [ "${RIGHT:-3}" -gt 0 ]; then
      xdotool key --window "$win" --delay 300 --repeat "${RIGHT:-3}" Right
    fi
  fi
  # CLICKS: "X,Y" clicks there; "wheel:N" turns the mouse wheel N
  # notches down over the lower middle of the page.
  for c in ${CLICKS:-}; do
    case "$c" in
      wheel:*)
        xdotool mousemove --sync $((width / 2)) $((height - 70))
        xdotool click --repeat "${c#wheel:}" --delay 100 5 ;;
      *)
        xdotool mousemove --sync "${c%,*}" "${c#*,}" click 1 ;;
    esac
    sleep 2
  done
  if [ -n "${RCLICK:-}" ]; then
    # A unit's menu: its first item (Clamp this gate…) fills the Intervene
    # form; TYPE replaces what the form says; Return applies it.
    xdotool mousemove --sync "${RCLICK%,*}" "${RCLICK#*,}" click 3
    sleep 1
    xdotool key --delay 200 Return
    sleep 1
    if [ -n "${TYPE:-}" ]; then
      xdotool key ctrl+a
      xdotool type --delay 60 "$TYPE"
    fi
    xdotool key Return
    sleep 3
  fi
  for c in ${AFTER:-}; do
    xdotool mousemove --sync "${c%,*}" "${c#*,}" click 1
    sleep 1
  done
  # the pointer out of the way (no hover highlight in the picture)
  xdotool mousemove --sync $((width - 10)) $((height - 20))
  if [ "${PRESENT:-0}" = 1 ]; then
    xdotool key --window "$win" F5
  fi
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

size=${SIZE:-1600x1000}
case "$size" in
  [0-9]*x[0-9]*) ;;
  *) echo "screenshot: SIZE must be WIDTHxHEIGHT, not $size" >&2; exit 2 ;;
esac

language=
locale=C.UTF-8
if [ -n "${LOCALE:-}" ]; then
  language=$LOCALE
  locale=$LOCALE.UTF-8
fi

# A task other than hello: the settings the window opens with, in a key
# file (GSettings' memory backend starts empty).
backend=memory
if [ -n "${TASK:-}" ] || [ -n "${SETTINGS:-}" ]; then
  backend=keyfile
  mkdir -p "$tmp/config/glib-2.0/settings"
  {
    printf "[org/gatescope/Gatescope]\n"
    if [ -n "${TASK:-}" ]; then
      printf "task='%s'\n" "$TASK"
    fi
    for kv in ${SETTINGS:-}; do
      printf "%s\n" "$kv"
    done
  } > "$tmp/config/glib-2.0/settings/keyfile"
fi

mkdir -p "$(dirname "$out")"
env XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" \
    XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/runtime" \
    GSETTINGS_BACKEND="$backend" GSETTINGS_SCHEMA_DIR="$PWD/$build_dir/assets" BUILD_DIR="$build_dir" \
    SIZE="$size" LANGUAGE="$language" RIGHT="${RIGHT:-3}" PRESENT="${PRESENT:-0}" \
    STEPS="${STEPS:-40}" \
    LESSON="${LESSON:+$(realpath "$LESSON")}" NEXT="${NEXT:-0}" WAIT="${WAIT:-4}" CLICKS="${CLICKS:-}" \
    RCLICK="${RCLICK:-}" TYPE="${TYPE:-}" AFTER="${AFTER:-}" \
    ADW_DEBUG_COLOR_SCHEME="$scheme" \
    OPENBLAS_NUM_THREADS=1 LC_ALL="$locale" GTK_A11Y=none NO_AT_BRIDGE=1 \
  xvfb-run -a -s "-screen 0 ${size}x24 -nolisten tcp" \
  dbus-run-session -- "$PWD/build-aux/screenshot.sh" --inside-display "$out"
echo "screenshot: $out ($(wc -c < "$out") bytes)"
