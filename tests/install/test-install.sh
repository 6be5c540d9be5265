#!/bin/sh
# test-install.sh BUILD_DIR SOURCE_DIR — the installed tree, as a
# distribution would ship it, works on its own:
#
#   1. `meson install --destdir` into a temporary directory; every file a
#      package must carry is there (binaries, data, translations, icons,
#      desktop entry, metainfo, schema, man pages, completion);
#   2. the installed binaries hold no path into the source tree;
#   3. a copy of the installed prefix, alone, runs: gatescope-cli trains on
#      the shipped Chinese corpus and phrases, and the window opens on a
#      saved task that needs the shipped corpus, finding it through
#      XDG_DATA_DIRS with GATESCOPE_DATA_DIR unset. As root (when
#      `unshare -m` works), the source and build trees are hidden under an
#      empty tmpfs for this part, so that nothing can be read from them.
#   4. the same copy with XDG_DATA_DIRS pointing elsewhere fails, naming
#      the missing file (the checks above can fail).
#
# Exits non-zero on the first failure, saying which check failed.
set -eu

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-install.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

# --- 1. the installed tree ------------------------------------------------
meson install --no-rebuild --quiet -C "$build" --destdir "$tmp/dest" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "meson install --destdir"; }
prefix=$(meson introspect --buildoptions "$build" |
         /usr/bin/python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
root=$tmp/dest$prefix
[ -d "$root" ] || fail "nothing installed under $prefix"

expected="
bin/gatescope
bin/gatescope-cli
share/gatescope/corpora/small-poems.txt
share/gatescope/corpora/tang-poems.txt
share/gatescope/tasks/classify-en.tsv
share/gatescope/tasks/classify-zh.tsv
share/applications/org.gatescope.Gatescope.desktop
share/metainfo/org.gatescope.Gatescope.metainfo.xml
share/glib-2.0/schemas/org.gatescope.Gatescope.gschema.xml
share/icons/hicolor/scalable/apps/org.gatescope.Gatescope.svg
share/icons/hicolor/symbolic/apps/org.gatescope.Gatescope-symbolic.svg
"
# Lines of EXTRA_FILES (one path per line, relative to the prefix) are
# expected too: the build adds what it installs beyond the list above.
if [ -f "$src/tests/install/installed-files.txt" ]; then
  expected="$expected
$(grep -v '^#' "$src/tests/install/installed-files.txt")"
fi
for lang in $(grep -v '^#' "$src/assets/po/LINGUAS" || true); do
  expected="$expected
share/locale/$lang/LC_MESSAGES/gatescope.mo"
done
missing=""
for f in $expected; do
  [ -s "$root/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] || fail "not installed under $prefix:$missing"
echo "ok 1 - the installed tree has all $(echo "$expected" | grep -c .) expected files"

# --- 2. no source path compiled in ----------------------------------------
# Only the loaded data sections count: debug information may name sources.
# The source tree as a string of its own, or its assets/ (the build tree's
# path may be there: app/gs-locale.c reads the build's catalogs only when
# the executable itself lies in the build tree).
for b in gatescope gatescope-cli; do
  objcopy -O binary --only-section=.rodata --only-section=.data \
    "$root/bin/$b" "$tmp/$b.data" || fail "objcopy $b"
  if /usr/bin/python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
src = sys.argv[2].encode()
sys.exit(0 if (src + b"\0" in data or src + b"/assets" in data) else 1)
' "$tmp/$b.data" "$src"; then
    fail "bin/$b holds the source tree's path $src"
  fi
done
echo "ok 2 - the installed binaries hold no path to the source tree $src"

# --- 3. the install alone runs --------------------------------------------
# A copy of the prefix only; the binaries' own PKGDATADIR ($prefix/share/
# gatescope) is not installed on this machine, so XDG_DATA_DIRS must be read.
mkdir -p "$tmp/copy"
cp -a "$root/." "$tmp/copy/"
glib-compile-schemas "$tmp/copy/share/glib-2.0/schemas"
[ -e "$prefix/share/gatescope" ] && echo "# note: $prefix/share/gatescope exists on this machine"

cat >"$tmp/run-installed.sh" <<'EOF'
#!/bin/sh
# run-installed.sh COPY TMP — runs the installed copy; prints what it found.
set -eu
copy=$1
tmp=$2
cd "$tmp"
for d in config data cache state; do
  mkdir -p "$tmp/home-$d"
done
mkdir -p "$tmp/home-config/glib-2.0/settings"
# The window's saved task needs the shipped Chinese corpus.
printf "[org/gatescope/Gatescope]\ntask='charlm:corpus=zh,length=16'\nhidden=8\n" \
  >"$tmp/home-config/glib-2.0/settings/keyfile"
run () {
  env -u GATESCOPE_DATA_DIR -u GSETTINGS_SCHEMA_DIR -u GS_SOURCE_DIR -u GS_BUILD_DIR \
    XDG_CONFIG_HOME="$tmp/home-config" XDG_DATA_HOME="$tmp/home-data" \
    XDG_CACHE_HOME="$tmp/home-cache" XDG_STATE_HOME="$tmp/home-state" \
    GSETTINGS_SCHEMA_DIR="$copy/share/glib-2.0/schemas" GSETTINGS_BACKEND=keyfile \
    OPENBLAS_NUM_THREADS=1 "$@"
}
run "$copy/bin/gatescope-cli" train --task charlm:corpus=zh,length=8 --epochs 2 --hidden 4 \
  >"$tmp/charlm.out" 2>&1 || { cat "$tmp/charlm.out"; echo "charlm failed"; exit 1; }
run "$copy/bin/gatescope-cli" train --task classify:lang=zh --epochs 2 --hidden 4 \
  >"$tmp/classify.out" 2>&1 || { cat "$tmp/classify.out"; echo "classify failed"; exit 1; }
if [ -n "${DISPLAY:-}" ]; then
  run env G_MESSAGES_DEBUG=Gatescope "$copy/bin/gatescope" --measure-frames=0.5 \
    >"$tmp/window.out" 2>"$tmp/window.err" || { cat "$tmp/window.err"; echo "the window failed"; exit 1; }
fi
EOF
chmod +x "$tmp/run-installed.sh"

# The system's data directory stays in XDG_DATA_DIRS (GTK finds the MIME
# database there), after the copy's; a Gatescope installed on this machine
# (/usr/share/gatescope) is hidden with the source tree.
system_copy=no
[ -e /usr/share/gatescope ] && system_copy=yes
hidden=no
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  # Hide the source tree (and the build tree inside or beside it).
  hide="mount -t tmpfs gatescope-hidden '$src'"
  case "$build" in
    "$src"/*) ;;
    *) hide="$hide && mount -t tmpfs gatescope-hidden '$build'" ;;
  esac
  [ $system_copy = yes ] && hide="$hide && mount -t tmpfs gatescope-hidden /usr/share/gatescope"
  XDG_DATA_DIRS="$tmp/copy/share:/usr/share" unshare -m sh -c \
    "$hide && [ -z \"\$(ls -A '$src')\" ] && '$tmp/run-installed.sh' '$tmp/copy' '$tmp'" ||
    fail "the installed copy, with the source tree hidden"
  hidden=yes
else
  [ $system_copy = no ] || echo "# note: /usr/share/gatescope exists and cannot be hidden (not root)"
  XDG_DATA_DIRS="$tmp/copy/share:/usr/share" "$tmp/run-installed.sh" "$tmp/copy" "$tmp" ||
    fail "the installed copy"
fi
grep -q "Epoch \[2/2\]" "$tmp/charlm.out" || { cat "$tmp/charlm.out" >&2; fail "charlm on the shipped corpus did not train"; }
grep -q "Epoch \[2/2\]" "$tmp/classify.out" || { cat "$tmp/classify.out" >&2; fail "classify on the shipped phrases did not train"; }
echo "ok 3 - the installed gatescope-cli trains on the shipped data (source tree hidden: $hidden)"
if [ -n "${DISPLAY:-}" ]; then
  # GLib writes debug messages to standard output.
  if grep -q "saved settings not used" "$tmp/window.out"; then
    cat "$tmp/window.out" >&2
    fail "the installed window did not find the shipped corpus"
  fi
  grep -q '"frames"' "$tmp/window.out" || { cat "$tmp/window.err" >&2; fail "the installed window did not run"; }
  echo "ok 4 - the installed window opens on a saved task that reads the shipped corpus (source tree hidden: $hidden)"
else
  echo "ok 4 # SKIP no display for the window"
fi

# --- 4. without the data, a clear failure ---------------------------------
if XDG_DATA_DIRS="$tmp/nowhere" "$tmp/run-installed.sh" "$tmp/copy" "$tmp" >/dev/null 2>&1; then
  fail "the installed copy ran without its data"
fi
grep -q "corpora/tang-poems.txt is missing" "$tmp/charlm.out" ||
  { cat "$tmp/charlm.out" >&2; fail "no message naming the missing corpus"; }
if [ -n "${DISPLAY:-}" ] && [ $system_copy = no ]; then
  XDG_DATA_DIRS="$tmp/nowhere:/usr/share" sh -c '
    copy=$1; tmp=$2
    env -u GATESCOPE_DATA_DIR XDG_CONFIG_HOME="$tmp/home-config" XDG_DATA_HOME="$tmp/home-data" \
      XDG_CACHE_HOME="$tmp/home-cache" XDG_STATE_HOME="$tmp/home-state" \
      GSETTINGS_SCHEMA_DIR="$copy/share/glib-2.0/schemas" GSETTINGS_BACKEND=keyfile \
      OPENBLAS_NUM_THREADS=1 G_MESSAGES_DEBUG=Gatescope \
      "$copy/bin/gatescope" --measure-frames=0.5 >"$tmp/window-nodata.out" 2>&1' sh "$tmp/copy" "$tmp" ||
    fail "the installed window without its data"
  grep -q "saved settings not used.*tang-poems.txt" "$tmp/window-nodata.out" ||
    { cat "$tmp/window-nodata.out" >&2; fail "the window without its data did not say so"; }
fi
echo "ok 5 - without the data in XDG_DATA_DIRS, the CLI and the window name the missing file"
echo "1..5"
