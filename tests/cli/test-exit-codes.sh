#!/bin/bash
# test-exit-codes.sh CLI_PATH — the README's exit rule, case by case, and
# control characters from files escaped before they reach the terminal:
#
#   0  success
#   1  a run that fails: divergence, an I/O error while writing (the message
#      names the path)
#   2  bad arguments and bad input files (the message names the file and
#      the fault)
#
# Each row of the table below is CODE, then a string the one-line message
# (or, for 0, stdout) must contain, then the command's arguments. A row
# whose message must name a file lists that file's path as its string.
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 PATH-TO-gatescope-cli" >&2
  exit 2
fi
CLI=$1
export OPENBLAS_NUM_THREADS=1
export LC_ALL=C.UTF-8
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

work=$(mktemp -d "${TMPDIR:-/tmp}/gs-test-exit.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# The input files of the table.
"$PY" - "$work" <<'PYEOF'
import sys
w = sys.argv[1]
# 70,000 distinct characters (CJK and beyond), one line: more than a model's 65,536
cps = [c for c in range(0x4E00, 0x4E00 + 70000) if not (0xD800 <= c < 0xE000)]
open(w + "/many-chars.txt", "w", encoding="utf-8").write("".join(map(chr, cps)) + "\n")
open(w + "/control.txt", "wb").write(b"ab\x1b[31mcd\n" * 10)
open(w + "/invalid-utf8.txt", "wb").write(b"abc\xff\xfedef\n" * 10)
# two labels of 261 bytes that differ only in their last byte
a, b = "x" * 260 + "a", "x" * 260 + "b"
open(w + "/long-labels.tsv", "w").write(f"{a}\tgood\n{b}\tbad\n")
open(w + "/one-class.tsv", "w").write("pos\tgood\npos\tfine\n")
open(w + "/no-tab.tsv", "w").write("pos good\n")
open(w + "/bad.safetensors", "wb").write(b"\x08\x00\x00\x00\x00\x00\x00\x00{\"a\":1}")
open(w + "/short.safetensors", "wb").write(b"\x01\x02")
PYEOF
mkdir "$work/dir.safetensors"
: >"$work/empty.txt"
touch "$work/a-file"

passed=0
failed=0

# run CODE SUBSTRING ARGS…
run () {
  local code=$1 want=$2 got lines
  shift 2
  "$CLI" "$@" >"$work/out" 2>"$work/err" </dev/null
  got=$?
  if [ "$got" -ne "$code" ]; then
    failed=$((failed + 1))
    echo "FAIL: $*: exit status $got, expected $code; stderr: $(head -c 300 "$work/err")" >&2
    return
  fi
  if [ "$code" -eq 0 ]; then
    if [ -n "$want" ] && ! grep -qF -- "$want" "$work/out"; then
      failed=$((failed + 1))
      echo "FAIL: $*: stdout lacks '$want'" >&2
      return
    fi
  else
    lines=$(wc -l <"$work/err")
    if [ "$lines" -ne 1 ] || ! grep -q "^gatescope-cli: " "$work/err" || ! grep -qF -- "$want" "$work/err"; then
      failed=$((failed + 1))
      echo "FAIL: $*: expected one 'gatescope-cli: …$want…' line, got: $(head -c 300 "$work/err")" >&2
      return
    fi
  fi
  passed=$((passed + 1))
}

w=$work
# code  message                       arguments
run 0   "Epoch [1/1]"                 train --epochs 1
run 0   "ohlol"                       tasks
run 2   "transformer"                 train --cell transformer
run 2   "hidden size"                 train --hidden 0
run 2   "world"                       train --task world
run 2   "length"                      train --task adding:length=1
# settings that fit no machine: both sizes, before anything is allocated
run 2   "6.57 GiB; at most 4.00 GiB"  train --hidden 4096 --layers 8 --epochs 1
run 2   "GiB"                         train --task adding:length=100000 --hidden 256 --batch 64 --epochs 1
# bad input files: the file and the fault
run 2   "$w/many-chars.txt has 67953 distinct characters; a character model takes at most 65536" train --task charlm:file=$w/many-chars.txt --epochs 1
run 2   "$w/control.txt is not a text file" train --task charlm:file=$w/control.txt --epochs 1
run 2   "$w/invalid-utf8.txt"         train --task charlm:file=$w/invalid-utf8.txt --epochs 1
run 2   "$w/empty.txt is empty"       train --task charlm:file=$w/empty.txt --epochs 1
run 2   "$w/missing.txt"              train --task charlm:file=$w/missing.txt --epochs 1
run 2   "$w/long-labels.tsv: line 1: a class name is longer than 255 bytes" train --task classify:file=$w/long-labels.tsv --epochs 1
run 2   "$w/one-class.tsv: only one class" train --task classify:file=$w/one-class.tsv --epochs 1
run 2   "$w/no-tab.tsv: line 1"       train --task classify:file=$w/no-tab.tsv --epochs 1
run 2   "$w/bad.safetensors"          forward --model $w/bad.safetensors --tokens 1
run 2   "$w/short.safetensors"        forward --model $w/short.safetensors --tokens 1
run 2   "$w/dir.safetensors"          forward --model $w/dir.safetensors --tokens 1
run 2   "$w/missing.safetensors"      sample --model $w/missing.safetensors --prime a
# a run that fails
run 1   "diverged"                    train --cell rnn_relu --optimizer sgd --lr 1000 --hidden 64 --epochs 50
run 1   "$w/a-file/c.svg"             compare --steps 2 --svg $w/a-file/c.svg
# --save is checked before the first epoch: a path that cannot be written is a bad argument
run 2   "--save: cannot write $w/a-file/m.safetensors" train --epochs 1 --save $w/a-file/m.safetensors
run 1   "$w/a-file/c.csv"             compare --steps 2 --csv $w/a-file/c.csv

# ------------------------------------------------ control characters from files
# A model whose vocabulary and characters hold ESC (as a crafted file may),
# and a data file whose class name holds the C1 control U+009B: what reaches
# the terminal is escaped ("\x1B", "\u009B"), never the raw bytes.
"$CLI" train --task charlm --epochs 1 --hidden 3 --layers 1 --save "$w/lm.safetensors" >/dev/null 2>&1
"$CLI" train --epochs 1 --save "$w/hello.safetensors" >/dev/null 2>&1
"$PY" - "$w" <<'PYEOF'
import json, struct, sys
w = sys.argv[1]
def rewrite(src, dst, change):
    data = open(src, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    change(header["__metadata__"])
    text = json.dumps(header).encode()
    open(dst, "wb").write(struct.pack("<Q", len(text)) + text + data[8 + n:])
# "\n" is the language model's first character: ESC (0x1B) keeps the code point order
rewrite(w + "/lm.safetensors", w + "/esc-lm.safetensors",
        lambda m: m.update(chars="\x1b" + m["chars"][1:]))
# hello's labels e,h,l,o: the first becomes ESC [ 3 1 m
rewrite(w + "/hello.safetensors", w + "/esc-hello.safetensors",
        lambda m: m.update(vocab="\x1b[31m,h,l,o"))
open(w + "/c1-label.tsv", "w", encoding="utf-8").write("\u009b31m\tgood\n\u009b31m\tfine\n")
PYEOF

# no_raw_controls DESCRIPTION WANT ARGS…: stdout and stderr hold no ESC, CSI
# (C2 9B) or CR byte, and contain WANT
no_raw_controls () {
  local what=$1 want=$2
  shift 2
  "$CLI" "$@" >"$work/out" 2>"$work/err" </dev/null
  if LC_ALL=C grep -q $'[\x1b\r]' "$work/out" "$work/err" || LC_ALL=C grep -q $'\xc2\x9b' "$work/out" "$work/err"; then
    failed=$((failed + 1))
    echo "FAIL: $what: a raw control character reached the terminal" >&2
  elif ! grep -qF -- "$want" "$work/out" "$work/err"; then
    failed=$((failed + 1))
    echo "FAIL: $what: the output lacks '$want': $(head -c 300 "$work/out" "$work/err")" >&2
  else
    passed=$((passed + 1))
  fi
}
no_raw_controls "forward prints the model's labels escaped" '\x1B[31m' \
  forward --model "$w/esc-hello.safetensors" --tokens 0,1,2
no_raw_controls "sample prints the model's characters escaped" '\x1Babc' \
  sample --model "$w/esc-lm.safetensors" --prime $'\x1babc' --length 5
no_raw_controls "an error message quotes a label escaped" '\u009B31m' \
  train --task classify:file=$w/c1-label.tsv --epochs 1

echo "exit-codes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
