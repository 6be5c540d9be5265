#!/bin/sh
# test-metainfo.sh METAINFO — what the software centres read:
#   1. appstreamcli validate --strict (AppStream's own validator);
#   2. appstream-util validate (the one GNOME Software's tooling uses);
#   3. the translations merged into it: every zh_CN string of the catalogue
#      that the metainfo's name, summary, description paragraphs and list
#      items, keywords and screenshot captions need is there.
# Both validators run without the network (screenshots are not fetched).
set -eu
metainfo=$1
failed=0

# appstream-util judges the file by its name, so it checks a copy named as
# installed.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatescope-metainfo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$metainfo" "$tmp/org.gatescope.Gatescope.metainfo.xml"

if appstreamcli validate --strict --no-net "$tmp/org.gatescope.Gatescope.metainfo.xml" >&2; then
  echo "ok 1 - appstreamcli validate --strict"
else
  echo "not ok 1 - appstreamcli validate --strict"
  failed=1
fi
if appstream-util validate --nonet "$tmp/org.gatescope.Gatescope.metainfo.xml" >&2; then
  echo "ok 2 - appstream-util validate"
else
  echo "not ok 2 - appstream-util validate"
  failed=1
fi

# Every translatable element has a zh_CN sibling.
if /usr/bin/python3 - "$tmp/org.gatescope.Gatescope.metainfo.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
root = ET.parse(sys.argv[1]).getroot()
missing = []
def check(parent, tag, what):
    items = parent.findall(tag)
    en = [e for e in items if e.get(LANG) is None and e.get("translate") != "no"]
    zh = [e for e in items if e.get(LANG) == "zh_CN"]
    if len(zh) != len(en):
        missing.append("%s: %d in English, %d in zh_CN" % (what, len(en), len(zh)))
check(root, "name", "name")
check(root, "summary", "summary")
check(root.find("description"), "p", "description paragraphs")
check(root.find("description/ul"), "li", "description list items")
check(root.find("keywords"), "keyword", "keywords")
for i, shot in enumerate(root.findall("screenshots/screenshot")):
    check(shot, "caption", "caption of screenshot %d" % (i + 1))
if missing:
    print("\n".join(missing))
    sys.exit(1)
PY
then
  echo "ok 3 - name, summary, description, keywords and captions have zh_CN translations"
else
  echo "not ok 3 - untranslated metainfo strings"
  failed=1
fi
echo "1..3"
exit $failed
