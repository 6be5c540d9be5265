#!/bin/sh
# test-po.sh SOURCE_ROOT BUILD_ROOT GATESCOPE_CLI — the translations:
#
#   complete  every language of assets/po/LINGUAS (which must list zh_CN)
#             passes `msgfmt --check --statistics` with every message
#             translated and none fuzzy
#   current   every message that xgettext finds in POTFILES.in today is in
#             each .po: a new _() string without its translation fails here
#   merged    the built desktop entry and metainfo carry the Chinese
#             (when the GUI is built)
#   used      gatescope-cli run from the build tree speaks Chinese with
#             LANGUAGE=zh_CN, under a Chinese locale, under C and under a
#             locale that is not installed (where glibc ignores LANGUAGE)
set -u
src=$1
build=$2
cli=$3
po=$src/assets/po
fail=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bad () {
  echo "not ok: $*" >&2
  fail=1
}

langs=$(sed 's/#.*//' "$po/LINGUAS" | tr -s ' \n' '  ')
case " $langs " in
  *" zh_CN "*) ;;
  *) bad "assets/po/LINGUAS does not list zh_CN" ;;
esac

# The template as `ninja -C build gatescope-pot` makes it (meson's glib
# preset), but into a temporary directory: the source tree stays untouched.
if ! (cd "$src" && xgettext --package-name=gatescope --from-code=UTF-8 --add-comments \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
        --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
        --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
        --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
        --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
        -f assets/po/POTFILES.in -o "$tmp/gatescope.pot"); then
  bad "xgettext could not read the files of POTFILES.in"
fi
n_pot=$(msgattrib --no-obsolete "$tmp/gatescope.pot" 2>/dev/null | grep -c '^msgid ' || true)
echo "template: $((n_pot - 1)) messages"

for lang in $langs; do
  file=$po/$lang.po
  if [ ! -f "$file" ]; then
    bad "$lang is in LINGUAS but assets/po/$lang.po does not exist"
    continue
  fi
  # complete: "N translated messages." and nothing fuzzy or untranslated
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$file" 2>&1); then
    bad "msgfmt --check rejects assets/po/$lang.po:"
    echo "$stats" >&2
  fi
  echo "$lang: $stats"
  case "$stats" in
    *fuzzy*|*untranslated*) bad "assets/po/$lang.po is not complete: $stats" ;;
  esac
  # current: every message of today's template has a translation in the .po
  if ! LC_ALL=C msgcmp "$file" "$tmp/gatescope.pot" >"$tmp/msgcmp.log" 2>&1; then
    bad "assets/po/$lang.po lacks messages of the sources (ninja -C build gatescope-update-po, then translate them):"
    grep -v 'warning' "$tmp/msgcmp.log" | head -40 >&2
  fi
done

# merged: the desktop entry's and the metainfo's Chinese
desktop=$build/assets/org.gatescope.Gatescope.desktop
metainfo=$build/assets/org.gatescope.Gatescope.metainfo.xml
if [ -f "$desktop" ]; then
  for key in 'GenericName\[zh_CN\]=' 'Comment\[zh_CN\]=' 'Keywords\[zh_CN\]='; do
    grep -q "^$key" "$desktop" || bad "the built desktop entry has no $key"
  done
fi
if [ -f "$metainfo" ]; then
  grep -q 'xml:lang="zh_CN"' "$metainfo" || bad "the built metainfo has no zh_CN text"
fi

# used: the CLI's help from the build tree, in Chinese. The expected line
# is the catalog's own translation, looked up by gettext(1).
if [ -f "$build/assets/po/zh_CN/LC_MESSAGES/gatescope.mo" ]; then
  english='Usage: %s train [OPTIONS]\n'
  chinese=$(TEXTDOMAINDIR="$build/assets/po" LANGUAGE=zh_CN LC_ALL=C.UTF-8 gettext -d gatescope -e "$english")
  [ "$chinese" != "$(printf "$english")" ] || bad "the zh_CN catalog does not translate \"$english\""
  want=$(printf "$chinese" gatescope-cli)
  for env in "LANGUAGE=zh_CN LC_ALL=C" "LANGUAGE=zh_CN LC_ALL=C.UTF-8" "LANGUAGE=zh_CN LANG=xx_YY.UTF-8" \
             "LANGUAGE=zh_CN LANG=en_US.UTF-8" "LC_ALL=zh_CN.UTF-8"; do
    got=$(env -u LC_ALL -u LANG -u LANGUAGE -u LC_MESSAGES $env "$cli" help train 2>&1 | head -n 1)
    if [ "$got" = "$want" ]; then
      echo "ok: $env gatescope-cli help train: $got"
    else
      bad "$env gatescope-cli help train printed \"$got\", not \"$want\""
    fi
  done
else
  bad "no zh_CN catalog in $build/assets/po: the .mo files are not built"
fi

exit $fail
