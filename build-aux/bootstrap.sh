#!/bin/sh
# build-aux/bootstrap.sh [run|check|screenshot] — installs the Debian
# packages that `make run`, `make check` or build-aux/screenshot.sh need.
#
# Nothing is missing: does nothing (no network, a fraction of a second).
# Something is missing: as root, apt-get installs it; otherwise prints the
# exact `sudo apt-get install …` line and exits 1.
set -eu

mode=${1:-run}

# Building the engine, the CLI and the GNOME application.
run_packages="
  gcc
  libc6-dev
  make
  meson
  ninja-build
  pkg-config
  libopenblas-dev
  libcjson-dev
  libcairo2-dev
  libglib2.0-dev
  libglib2.0-bin
  libglib2.0-dev-bin
  libgtk-4-dev
  libadwaita-1-dev
  libxml2-utils
  gettext
  desktop-file-utils
  appstream-util
  librsvg2-common
"

# Running the tests: PyTorch for the fresh reference set (/usr/bin/python3),
# a virtual X display and a session bus for the GUI tests.
check_packages="
  python3
  python3-torch
  xvfb
  xauth
  dbus
  dbus-daemon
"

# Taking the README's screenshot of the real window.
screenshot_packages="
  xvfb
  xauth
  dbus
  dbus-daemon
  xdotool
  imagemagick
"

case "$mode" in
  run)        wanted=$run_packages ;;
  check)      wanted="$run_packages $check_packages" ;;
  screenshot) wanted="$run_packages $screenshot_packages" ;;
  *)
    echo "usage: $0 [run|check|screenshot]" >&2
    exit 2
    ;;
esac

missing=""
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *" installed") ;;
    *) missing="$missing $pkg" ;;
  esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Gatescope needs these Debian packages:$missing" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get install --no-install-recommends$missing" >&2
  exit 1
fi

echo "bootstrap: installing$missing"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
