#!/bin/sh
# build-aux/setup-build.sh DIR [NAME=VALUE …] — makes DIR a configured meson
# build directory with these options. An existing one is changed only where
# an option differs (so ninja does not reconfigure for nothing). The value
# `default` stands for the option's default in meson_options.txt.
set -eu
cd "$(dirname "$0")/.."

dir=$1
shift

if [ ! -f "$dir/meson-private/coredata.dat" ]; then
  opts=""
  for o in "$@"; do
    case "$o" in
      *=default) ;;
      *) opts="$opts -D$o" ;;
    esac
  done
  # shellcheck disable=SC2086 # one word per option
  exec meson setup "$dir" $opts
fi

# The options whose value in DIR is not the wanted one, as -DNAME=VALUE.
changes=$(
  { meson introspect --buildoptions "$dir"; echo; meson introspect --buildoptions meson.build; } |
  /usr/bin/python3 -c '
import json, sys
current_text, source_text = sys.stdin.read().split("\n", 1)
current = {o["name"]: o["value"] for o in json.loads(current_text)}
defaults = {o["name"]: o["value"] for o in json.loads(source_text)}
def norm(v):
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, list):
        return ",".join(v)
    return str(v)
for arg in sys.argv[1:]:
    name, value = arg.split("=", 1)
    if value == "default":
        value = norm(defaults[name])
    if name not in current or norm(current[name]) != value:
        print("-D%s=%s" % (name, value))
' "$@"
)

if [ -n "$changes" ]; then
  # shellcheck disable=SC2086
  meson configure "$dir" $changes
fi

# A build directory whose last configuration failed has no build.ninja.
[ -f "$dir/build.ninja" ] || meson setup --reconfigure "$dir"
