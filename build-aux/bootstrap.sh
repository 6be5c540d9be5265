#!/bin/sh
# build-aux/bootstrap.sh [run|check|screenshot|deb] — installs the Debian
# packages that `make run`, `make check`, build-aux/screenshot.sh or
# `make deb` need.
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
  shared-mime-info
  appstream-util
  appstream
  librsvg2-common
  libpango1.0-dev
  fonts-dejavu-core
  fonts-wqy-microhei
"

# Running the tests: PyTorch for the fresh reference set (/usr/bin/python3),
# a virtual X display and a session bus for the GUI tests, xdotool to type
# real keys into the window and openbox to make it full screen; clang with its
# ASan, UBSan and libFuzzer runtimes for the clang stage.
check_packages="
  clang
  libclang-rt-14-dev
  python3
  groff-base
  python3-torch
  xvfb
  xauth
  dbus
  dbus-daemon
  locales
  xdotool
  openbox
"

# Taking the README's screenshot of the real window.
screenshot_packages="
  xvfb
  xauth
  dbus
  dbus-daemon
  xdotool
  imagemagick
  openbox
  locales
"

# Building the Debian package (build-aux/make-deb.sh; debian/control's
# Build-Depends are the run packages above) and trying it (test-deb.sh).
deb_packages="
  dpkg-dev
  debhelper
  fakeroot
  lintian
  git
  xvfb
  xauth
  dbus
  dbus-daemon
  man-db
  bash-completion
"

case "$mode" in
  run)        wanted=$run_packages ;;
  deb)        wanted="$run_packages $deb_packages" ;;
  check)      wanted="$run_packages $check_packages" ;;
  screenshot) wanted="$run_packages $screenshot_packages" ;;
  *)
    echo "usage: $0 [run|check|screenshot|deb]" >&2
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

# The tests and the Chinese screenshots run under LC_ALL=zh_CN.UTF-8, and
# the engine's numbers are tested under de_DE.UTF-8 (a decimal comma):
# locales Debian ships as source only (the `locales` package) until they
# are generated.
need_locales=
if [ "$mode" != run ]; then
  for loc in zh_CN de_DE; do
    if ! locale -a 2>/dev/null | grep -qix "$loc\.utf-\?8"; then
      need_locales="$need_locales $loc"
    fi
  done
fi

[ -z "$missing" ] && [ -z "$need_locales" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if [ -n "$missing" ]; then
    echo "Gatescope needs these Debian packages:$missing" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get install --no-install-recommends$missing" >&2
  fi
  for loc in $need_locales; do
    echo "The tests need the $loc.UTF-8 locale. Generate it with:" >&2
    echo "  sudo localedef -i $loc -f UTF-8 $loc.UTF-8" >&2
  done
  exit 1
fi

if [ -n "$missing" ]; then
  echo "bootstrap: installing$missing"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi
for loc in $need_locales; do
  echo "bootstrap: generating the $loc.UTF-8 locale"
  localedef -i "$loc" -f UTF-8 "$loc.UTF-8"
done
