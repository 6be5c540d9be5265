#!/bin/sh
# build-aux/make-deb.sh [OUTDIR] — the Debian package (`make deb`):
#
#   1. installs what building a package needs (build-aux/bootstrap.sh deb:
#      the build's own packages, dpkg-dev, debhelper, lintian);
#   2. clones the committed HEAD into a temporary directory (a clean clone:
#      nothing uncommitted or built here gets in) and runs
#      `dpkg-buildpackage -us -uc -b` there; the package's tests (the core
#      suite) run inside it, as debian/rules says;
#   3. runs lintian on the result and fails on any error;
#   4. copies gatescope_*.deb (with .buildinfo and .changes) to OUTDIR
#      (default build-deb/, which git ignores).
#
# No network beyond the Debian archive (and only when packages are missing).
# build-aux/test-deb.sh then installs the package and tries it.
set -eu
cd "$(dirname "$0")/.."
out=${1:-build-deb}

build-aux/bootstrap.sh deb

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "make-deb: note: uncommitted changes are not in the package (it is built from HEAD)" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git clone --quiet --no-hardlinks . "$tmp/gatescope"
(cd "$tmp/gatescope" && dpkg-buildpackage -us -uc -b)

mkdir -p "$out"
rm -f "$out"/gatescope*
cp "$tmp"/gatescope_*.buildinfo "$tmp"/gatescope_*.changes "$tmp"/gatescope*.deb "$out"/

# Errors fail the build; warnings and notes are printed for whoever reads.
lintian --fail-on error --display-info "$out"/gatescope_*.changes
ls -l "$out"/gatescope_*.deb
