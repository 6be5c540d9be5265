#!/bin/sh
# The shared-mime-info definition is valid and names *.gatescope, and the
# desktop entry offers Gatescope for the types it defines.
set -u
xml=$1
desktop=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/gs-test-mime.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
mkdir -p "$work/mime/packages"
cp "$xml" "$work/mime/packages/"
if ! XDG_DATA_HOME="$work" update-mime-database "$work/mime" 2>"$work/err"; then
  echo "FAIL: update-mime-database refused $xml: $(cat "$work/err")"; fail=1
fi
grep -q '^application/x-gatescope-session:\*\.gatescope$' "$work/mime/globs" \
  || { echo "FAIL: *.gatescope is not application/x-gatescope-session"; fail=1; }
for t in $(sed -n 's/.*<mime-type type="\([^"]*\)".*/\1/p' "$xml"); do
  grep -q "^MimeType=.*$t;" "$desktop" || { echo "FAIL: the desktop entry lacks $t"; fail=1; }
done
grep -q '^Exec=gatescope %[FU]$' "$desktop" || { echo "FAIL: Exec does not take files"; fail=1; }
[ "$fail" -eq 0 ] && echo "mime: 1 passed, 0 failed" || echo "mime: 0 passed, 1 failed"
exit "$fail"
