#!/bin/sh
# build-aux/test-deb.sh [DEB] — installs the package as a user would
# (`apt-get install ./gatescope_*.deb`, as root) and tries it with the
# source tree hidden (an empty tmpfs over it, in a mount namespace of its
# own):
#   1. every file the package must carry is installed (dpkg -L): binaries,
#      data, translations, icons, desktop entry, metainfo, schema, man pages
#      in English and Chinese, the bash completion;
#   2. the installed gatescope-cli trains on the shipped Chinese corpus;
#   3. `man gatescope-cli` and `man -L zh_CN gatescope` find the pages;
#   4. the installed completion completes task names from the installed CLI;
#   5. the installed window opens (under Xvfb) on a saved task that reads the
#      shipped corpus and measures its frames (--measure-frames).
# Then it removes the package again (KEEP=1 leaves it installed: the machine
# is shared). DEB defaults to the one in build-deb/ (make deb).
set -eu
cd "$(dirname "$0")/.."
src=$PWD
deb=${1:-$(ls build-deb/gatescope_*.deb 2>/dev/null | tail -n 1)}
[ -n "$deb" ] && [ -f "$deb" ] || { echo "test-deb: no package (run make deb first)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "test-deb: must run as root (it installs the package)" >&2; exit 2; }
case $deb in /*) ;; *) deb=$PWD/$deb ;; esac

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-test-deb.XXXXXX")
cleanup () {
  rm -rf "$tmp"
  if [ -z "${KEEP:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q gatescope >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$tmp/apt.log" 2>&1 ||
  { cat "$tmp/apt.log" >&2; fail "apt-get install $deb"; }
echo "ok 1 - apt-get install $(basename "$deb")"

# 1. the installed files
dpkg -L gatescope >"$tmp/files"
missing=""
for f in /usr/bin/gatescope /usr/bin/gatescope-cli \
         /usr/share/gatescope/corpora/tang-poems.txt /usr/share/gatescope/corpora/small-poems.txt \
         /usr/share/gatescope/tasks/classify-en.tsv /usr/share/gatescope/tasks/classify-zh.tsv \
         /usr/share/applications/org.gatescope.Gatescope.desktop \
         /usr/share/metainfo/org.gatescope.Gatescope.metainfo.xml \
         /usr/share/glib-2.0/schemas/org.gatescope.Gatescope.gschema.xml \
         /usr/share/icons/hicolor/scalable/apps/org.gatescope.Gatescope.svg \
         /usr/share/icons/hicolor/symbolic/apps/org.gatescope.Gatescope-symbolic.svg \
         /usr/share/man/man1/gatescope.1.gz /usr/share/man/man1/gatescope-cli.1.gz \
         /usr/share/man/zh_CN/man1/gatescope.1.gz /usr/share/man/zh_CN/man1/gatescope-cli.1.gz \
         /usr/share/bash-completion/completions/gatescope-cli \
         /usr/share/doc/gatescope/copyright; do
  grep -qx "$f" "$tmp/files" && [ -s "$f" ] || missing="$missing $f"
done
for lang in $(grep -v '^#' assets/po/LINGUAS); do
  f=/usr/share/locale/$lang/LC_MESSAGES/gatescope.mo
  grep -qx "$f" "$tmp/files" && [ -s "$f" ] || missing="$missing $f"
done
[ -z "$missing" ] || fail "not in the package:$missing"
if grep -q -e "$src" -e '^/usr/local' "$tmp/files"; then
  fail "the package installs into the source tree or /usr/local"
fi
echo "ok 2 - the package carries every file ($(wc -l <"$tmp/files") paths)"

# 2–5, with the source tree hidden.
cat >"$tmp/try.sh" <<'EOS'
set -eu
tmp=$1
cd "$tmp"
mkdir -p home/config/glib-2.0/settings home/data home/cache home/state
printf "[org/gatescope/Gatescope]\ntask='charlm:corpus=zh,length=16'\n" >home/config/glib-2.0/settings/keyfile
export XDG_CONFIG_HOME=$tmp/home/config XDG_DATA_HOME=$tmp/home/data
export XDG_CACHE_HOME=$tmp/home/cache XDG_STATE_HOME=$tmp/home/state
unset GATESCOPE_DATA_DIR GATESCOPE_LOCALE_DIR GSETTINGS_SCHEMA_DIR XDG_DATA_DIRS
export OPENBLAS_NUM_THREADS=1 LC_ALL=C.UTF-8

gatescope-cli train --task charlm:corpus=zh,length=8 --epochs 2 --hidden 4 >cli.out 2>&1 ||
  { cat cli.out; echo "gatescope-cli failed"; exit 1; }
grep -q "Epoch \[2/2\]" cli.out || { cat cli.out; echo "gatescope-cli did not train"; exit 1; }
LANGUAGE=zh_CN gatescope-cli help >help-zh.out
grep -q "训练" help-zh.out || { cat help-zh.out; echo "gatescope-cli is not in Chinese"; exit 1; }
echo "ok 3 - the installed gatescope-cli trains on the shipped Tang poems, and speaks Chinese"

man -w gatescope-cli >/dev/null && man -w gatescope >/dev/null || { echo "man finds no page"; exit 1; }
MANWIDTH=80 man gatescope-cli 2>/dev/null | grep -q -e "--until-solved" || { echo "man gatescope-cli"; exit 1; }
MANWIDTH=80 man -L zh_CN gatescope 2>/dev/null | grep -q "按键" || { echo "man -L zh_CN gatescope"; exit 1; }
echo "ok 4 - man gatescope-cli, man -L zh_CN gatescope"

bash -c '
  . /usr/share/bash-completion/completions/gatescope-cli
  COMP_LINE="gatescope-cli train --task char"; COMP_POINT=${#COMP_LINE}
  COMP_WORDS=(gatescope-cli train --task char); COMP_CWORD=3
  _gatescope_cli
  [ "${COMPREPLY[*]}" = charlm ]' || { echo "the installed completion"; exit 1; }
echo "ok 5 - the installed completion completes task names"

GSETTINGS_BACKEND=keyfile G_MESSAGES_DEBUG=Gatescope NO_AT_BRIDGE=1 \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- \
  gatescope --measure-frames=0.5 >gui.out 2>&1 || { cat gui.out; echo "gatescope failed"; exit 1; }
grep -q '"frames"' gui.out || { cat gui.out; echo "gatescope measured nothing"; exit 1; }
if grep -q "saved settings not used" gui.out; then cat gui.out; echo "the window did not find the corpus"; exit 1; fi
echo "ok 6 - the installed window opens on the shipped Tang poems"
EOS
unshare -m sh -c "mount -t tmpfs gatescope-hidden '$src' && [ -z \"\$(ls -A '$src')\" ] && sh '$tmp/try.sh' '$tmp'" ||
  fail "the installed package, with the source tree hidden"
echo "1..6"
