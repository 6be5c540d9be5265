#!/bin/sh
# test-potfiles.sh SOURCE_ROOT — every source file that marks strings for
# translation is listed in assets/po/POTFILES.in, and every listed file exists.
set -eu
cd "$1"

potfiles=assets/po/POTFILES.in
listed=$(grep -v -e '^#' -e '^$' "$potfiles")
passed=0
failed=0

for f in $listed; do
  if [ -f "$f" ]; then
    passed=$((passed + 1))
  else
    echo "listed in $potfiles but missing: $f"
    failed=$((failed + 1))
  fi
done

# C files that call _(), N_(), C_() or ngettext (); .ui/.xml/.desktop files with translatable text.
for f in $(grep -l -E '(^|[^A-Za-z0-9_])(N?C?_|g?d?n?gettext) ?\(' core/*.c app/*.c ui/*.c 2>/dev/null) \
         $(grep -l -E 'translatable="yes"|<summary>|<description>' app/*.ui ui/*.ui assets/ui/*.ui assets/*.xml* 2>/dev/null) \
         $(ls assets/*.desktop.in 2>/dev/null); do
  if printf '%s\n' $listed | grep -qx "$f"; then
    passed=$((passed + 1))
  else
    echo "has translatable strings but is not in $potfiles: $f (run build-aux/update-potfiles.sh)"
    failed=$((failed + 1))
  fi
done

echo "potfiles: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
