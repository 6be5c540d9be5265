#!/bin/bash
# test-cli.sh CLI_PATH — gatescope-cli's contract: exit codes, one-line
# messages, the epoch line, and the --json output that parity checks read.
#
#   expect_exit CODE SUBSTRING -- cmd…   runs cmd; checks the exit status and,
#                                        for errors, that stderr is exactly one
#                                        "gatescope-cli: …" line containing
#                                        SUBSTRING (for success: stdout contains
#                                        it and stderr is empty)
#   check DESCRIPTION cmd…               passes when cmd succeeds
#
# Prints "cli: N passed, N failed" and fails when anything failed.

set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 PATH-TO-gatescope-cli" >&2
  exit 2
fi
CLI=$1
export OPENBLAS_NUM_THREADS=1
export LC_ALL=C.UTF-8

# Debian's interpreter (see the shared notes); any python3 reads JSON.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/gs-test-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

pass () { passed=$((passed + 1)); }
fail () {
  failed=$((failed + 1))
  echo "FAIL: $*" >&2
}

expect_exit () {
  local code=$1 want=$2 got lines
  shift 2
  [ "${1-}" = "--" ] && shift
  "$@" >"$work/out" 2>"$work/err" </dev/null
  got=$?
  if [ "$got" -ne "$code" ]; then
    fail "$*: exit status $got, expected $code; stderr: $(head -c 300 "$work/err")"
    return
  fi
  if [ "$code" -eq 0 ]; then
    if [ -s "$work/err" ]; then
      fail "$*: unexpected stderr: $(head -c 300 "$work/err")"
    elif [ -n "$want" ] && ! grep -qF -- "$want" "$work/out"; then
      fail "$*: stdout lacks '$want'"
    else
      pass
    fi
    return
  fi
  lines=$(wc -l <"$work/err")
  if [ "$lines" -ne 1 ]; then
    fail "$*: stderr has $lines lines, expected 1: $(head -c 300 "$work/err")"
  elif ! grep -q '^gatescope-cli: ' "$work/err"; then
    fail "$*: stderr does not start with 'gatescope-cli: ': $(cat "$work/err")"
  elif ! grep -qF -- "$want" "$work/err"; then
    fail "$*: stderr lacks '$want': $(cat "$work/err")"
  else
    pass
  fi
}

differ () { ! cmp -s "$1" "$2"; }

check () {
  local what=$1
  shift
  if "$@"; then pass; else fail "$what"; fi
}

# ---------------------------------------------------------------- general
expect_exit 2 "no command"       -- "$CLI"
expect_exit 2 "frobnicate"       -- "$CLI" frobnicate
expect_exit 2 "--frobnicate"     -- "$CLI" --frobnicate
expect_exit 0 "Usage:"           -- "$CLI" --help
expect_exit 0 "Usage:"           -- "$CLI" -h
expect_exit 0 "train"            -- "$CLI" help
expect_exit 0 "--hidden"         -- "$CLI" help train
expect_exit 2 "frobnicate"       -- "$CLI" help frobnicate
expect_exit 0 "--hidden"         -- "$CLI" train --help
expect_exit 0 "--tokens"         -- "$CLI" forward --help
expect_exit 0 "Usage:"           -- "$CLI" version --help
expect_exit 0 "gatescope-cli "   -- "$CLI" version
check "version prints 'gatescope-cli X.Y.Z'" \
  grep -qE '^gatescope-cli [0-9]+\.[0-9]+\.[0-9]+$' "$work/out"
cp "$work/out" "$work/version"
expect_exit 0 "gatescope-cli "   -- "$CLI" --version
check "--version equals version" cmp -s "$work/out" "$work/version"
expect_exit 2 "extra"            -- "$CLI" version extra

# ------------------------------------------------------ train: bad arguments
expect_exit 2 "--bogus"          -- "$CLI" train --bogus
expect_exit 2 "-x"               -- "$CLI" train -x
expect_exit 2 "--hidden"         -- "$CLI" train --hidden
expect_exit 2 "8x"               -- "$CLI" train --hidden 8x
expect_exit 2 "--hidden"         -- "$CLI" train --hidden ""
expect_exit 2 "0.5"              -- "$CLI" train --hidden 0.5
expect_exit 2 "abc"              -- "$CLI" train --lr abc
expect_exit 2 "0.05x"            -- "$CLI" train --lr 0.05x
expect_exit 2 "hidden"           -- "$CLI" train --hidden 0
expect_exit 2 "hidden"           -- "$CLI" train --hidden -3
expect_exit 2 "hidden"           -- "$CLI" train --hidden 100000000
expect_exit 2 "--hidden"         -- "$CLI" train --hidden 99999999999999999999
expect_exit 2 "learning rate"    -- "$CLI" train --lr -1
expect_exit 2 "learning rate"    -- "$CLI" train --lr 0
expect_exit 2 "nan"              -- "$CLI" train --lr nan
expect_exit 2 "inf"              -- "$CLI" train --lr inf
expect_exit 2 "1e99"             -- "$CLI" train --lr 1e99
expect_exit 2 "epochs"           -- "$CLI" train --epochs 0
expect_exit 2 "epochs"           -- "$CLI" train --epochs 100000000
expect_exit 2 "--epochs"         -- "$CLI" train --epochs 99999999999
expect_exit 2 "layers"           -- "$CLI" train --layers 99
expect_exit 2 "layers"           -- "$CLI" train --layers 0
expect_exit 2 "--embed"          -- "$CLI" train --embed -1
expect_exit 2 "embedding"        -- "$CLI" train --embed 100000
expect_exit 2 "--seed"           -- "$CLI" train --seed -1
expect_exit 2 "1.5"              -- "$CLI" train --seed 1.5
expect_exit 2 "clip"             -- "$CLI" train --clip -1
expect_exit 2 "momentum"         -- "$CLI" train --optimizer sgd --momentum 2
expect_exit 2 "--momentum"       -- "$CLI" train --optimizer adam --momentum 0.9
expect_exit 2 "rnn_tanh, rnn_relu, lstm, gru" -- "$CLI" train --cell transformer
expect_exit 2 "sgd, adam, rmsprop, adagrad"   -- "$CLI" train --optimizer lbfgs
expect_exit 2 "hello"            -- "$CLI" train --task world
expect_exit 2 "extra"            -- "$CLI" train extra
expect_exit 2 "--trap-fp=1"      -- "$CLI" train --trap-fp=1
expect_exit 2 "nonexistent"      -- "$CLI" train --epochs 1 --save "$work/nonexistent/m.safetensors"
# A learning rate this large makes a ReLU RNN blow up within a few steps.
expect_exit 1 "diverged"         -- "$CLI" train --cell rnn_relu --optimizer sgd --lr 1000 \
                                       --hidden 64 --epochs 50

# ------------------------------------------------------------ train: output
line_re='^Predicted: [ehlo]{5}, Epoch \[[0-9]+/15\] loss = [0-9]+\.[0-9]{3}$'
expect_exit 0 "Predicted: " -- "$CLI" train
cp "$work/out" "$work/default"
check "train prints 15 lines" test "$(wc -l <"$work/default")" -eq 15
check "every line is the seed's epoch line" \
  test "$(grep -cE "$line_re" "$work/default")" -eq 15
check "epochs count 1 to 15" \
  test "$(sed -n 's/.*Epoch \[\([0-9]*\)\/15\].*/\1/p' "$work/default" | tr '\n' ' ')" \
       = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 "

expect_exit 0 "Predicted: " -- "$CLI" train --cell rnn_tanh
check "rnn_tanh learns ohlol within 15 epochs" \
  grep -q '^Predicted: ohlol, Epoch \[15/15\]' "$work/out"
check "the loss goes down" \
  awk '{ l[NR] = $NF } END { exit !(l[NR] < l[1] / 4) }' "$work/out"

for cell in rnn_tanh rnn_relu lstm gru; do
  for embed in 0 10; do
    expect_exit 0 "Epoch [3/3]" -- "$CLI" train --cell "$cell" --embed "$embed" --epochs 3 \
                                      --layers 1 --hidden 5
  done
done
for opt in sgd adam rmsprop adagrad; do
  expect_exit 0 "Epoch [4/4]" -- "$CLI" train --optimizer "$opt" --epochs 4
done
expect_exit 0 "Epoch [4/4]" -- "$CLI" train --optimizer sgd --momentum 0.9 --clip 1 --epochs 4
expect_exit 0 "Epoch [2/2]" -- "$CLI" train --epochs 2 --trap-fp
expect_exit 0 "Epoch [2/2]" -- "$CLI" train --epochs=2 --hidden=4

# Determinism: a run is its seed.
expect_exit 0 "" -- "$CLI" train --cell gru --seed 7
cp "$work/out" "$work/seed7a"
expect_exit 0 "" -- "$CLI" train --cell gru --seed 7
check "same seed, same output" cmp -s "$work/seed7a" "$work/out"
expect_exit 0 "" -- "$CLI" train --cell gru --seed 8
check "another seed, another output" differ "$work/seed7a" "$work/out"
expect_exit 0 "" -- "$CLI" train --seed 0
check "--seed 0 is the default" cmp -s "$work/default" "$work/out"

# Numbers stay C-locale in any locale (if one with a decimal comma can be built).
if command -v localedef >/dev/null 2>&1 && [ -e /usr/share/i18n/locales/de_DE ] \
   && mkdir -p "$work/loc" && localedef -i de_DE -f UTF-8 "$work/loc/de_DE.UTF-8" >/dev/null 2>&1; then
  expect_exit 0 "" -- env LOCPATH="$work/loc" LC_ALL=de_DE.UTF-8 "$CLI" train --lr 0.05
  check "a decimal-comma locale changes neither input nor output" \
    cmp -s "$work/default" "$work/out"
else
  echo "cli: skipped the decimal-comma locale case (no localedef or de_DE source)"
fi

# ------------------------------------------------------- save, then forward
tokens=1,0,2,2,3   # h e l l o
targets=3,1,2,3,2  # o h l o l
for cell in rnn_tanh rnn_relu lstm gru; do
  expect_exit 0 "Epoch [15/15]" -- "$CLI" train --cell "$cell" --save "$work/$cell.safetensors"
  check "train --save writes $cell.safetensors" test -s "$work/$cell.safetensors"
done
expect_exit 0 "" -- "$CLI" train --cell gru --embed 0 --layers 3 --hidden 6 --epochs 3 \
                    --save "$work/onehot.safetensors"
model=$work/lstm.safetensors

expect_exit 0 "loss" -- "$CLI" forward --model "$model" --tokens "$tokens" --targets "$targets"
check "the readable table has a row per token" \
  test "$(grep -cE '^ +[0-9]+ ' "$work/out")" -eq 5

json_ok () { "$PY" -c 'import json,sys; json.load(sys.stdin)' <"$1"; }

# check_json OUT MODEL T CELL HAS_TARGETS HAS_GRADS: the keys, and shapes read
# from the model file's own safetensors header.
cat >"$work/check.py" <<'EOF'
import json, struct, sys
out, model, T, cell, has_targets, has_grads = sys.argv[1:]
T = int(T); has_targets = has_targets == "1"; has_grads = has_grads == "1"
with open(model, "rb") as f:
    raw = f.read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
header.pop("__metadata__", None)
shapes = {k: v["shape"] for k, v in header.items()}
L = sum(1 for k in shapes if k.startswith("rnn.weight_ih_l"))
H = shapes["rnn.weight_hh_l0"][1]
O = shapes["fc.weight"][0]
with open(out) as f:
    d = json.load(f)
problems = []
def want(cond, what):
    if not cond:
        problems.append(what)
def matrix(x, rows, cols):
    return (isinstance(x, list) and len(x) == rows
            and all(isinstance(r, list) and len(r) == cols
                    and all(isinstance(v, (int, float)) for v in r) for r in x))
expected = {"logits", "h_n"} | ({"loss"} if has_targets else set()) \
         | ({"c_n"} if cell == "lstm" else set()) | ({"grads"} if has_grads else set())
want(set(d) == expected, "keys %s, expected %s" % (sorted(d), sorted(expected)))
want(O == 4, "the hello task has 4 classes, the model %d" % O)
want(matrix(d.get("logits"), T, O), "logits is not %d x %d" % (T, O))
want(matrix(d.get("h_n"), L, H), "h_n is not %d x %d" % (L, H))
if cell == "lstm":
    want(matrix(d.get("c_n"), L, H), "c_n is not %d x %d" % (L, H))
if has_targets:
    want(isinstance(d.get("loss"), float) and d["loss"] > 0, "loss is not a positive number")
if has_grads:
    g = d.get("grads", {})
    want(set(g) == set(shapes), "grads names %s, model %s" % (sorted(g), sorted(shapes)))
    for k, s in shapes.items():
        numel = 1
        for x in s:
            numel *= x
        want(isinstance(g.get(k), list) and len(g[k]) == numel,
             "grads[%s] has %s values, expected %d" % (k, len(g.get(k, [])), numel))
        want(any(v != 0 for v in g.get(k, [])), "grads[%s] is all zero" % k)
for p in problems:
    print("check.py: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

check_json () {
  if [ -z "$PY" ]; then
    echo "cli: no python3: JSON shape checks skipped"
    return
  fi
  check "--json output parses as JSON ($*)" json_ok "$work/out"
  check "--json keys and shapes ($*)" "$PY" "$work/check.py" "$work/out" "$@"
}

for cell in rnn_tanh rnn_relu lstm gru; do
  m=$work/$cell.safetensors
  expect_exit 0 '"logits"' -- "$CLI" forward --model "$m" --tokens "$tokens" --json
  check_json "$m" 5 "$cell" 0 0
  expect_exit 0 '"loss"' -- "$CLI" forward --model "$m" --tokens "$tokens" --targets "$targets" --json
  check_json "$m" 5 "$cell" 1 0
  expect_exit 0 '"grads"' -- "$CLI" forward --model "$m" --tokens "$tokens" --targets "$targets" \
                             --grads --json
  check_json "$m" 5 "$cell" 1 1
done
expect_exit 0 '"grads"' -- "$CLI" forward --model "$work/onehot.safetensors" --tokens 3,2,1 \
                           --targets 0,1,2 --grads --json
check_json "$work/onehot.safetensors" 3 gru 1 1
expect_exit 0 '"logits"' -- "$CLI" forward --model "$model" --tokens 2 --json
check_json "$model" 1 lstm 0 0

# The trained LSTM has learnt hello → ohlol: its loss on that pair is small.
expect_exit 0 '"loss"' -- "$CLI" forward --model "$work/rnn_tanh.safetensors" --tokens "$tokens" \
                          --targets "$targets" --json
check "the saved rnn_tanh model still predicts ohlol (loss < 0.1)" \
  "$PY" -c 'import json,sys; sys.exit(not json.load(sys.stdin)["loss"] < 0.1)' <"$work/out"

expect_exit 0 "" -- "$CLI" forward --model "$model" --tokens "$tokens" --targets "$targets" --grads --json
cp "$work/out" "$work/fwd1"
expect_exit 0 "" -- "$CLI" forward --model "$model" --tokens "$tokens" --targets "$targets" --grads --json
check "forward is deterministic" cmp -s "$work/fwd1" "$work/out"

# ---------------------------------------------------- forward: bad arguments
head -c 100 "$model" >"$work/truncated.safetensors"
head -c 4096 "$CLI" >"$work/garbage.safetensors"              # binary, not safetensors
: >"$work/empty.safetensors"
printf '\010\000\000\000\000\000\000\000{garbage' >"$work/badjson.safetensors"

expect_exit 2 "--model"   -- "$CLI" forward --tokens "$tokens"
expect_exit 2 "--tokens"  -- "$CLI" forward --model "$model"
expect_exit 2 "--tokens"  -- "$CLI" forward --tokens
expect_exit 2 "--tokens"  -- "$CLI" forward --model "$model" --tokens ""
expect_exit 2 "x"         -- "$CLI" forward --model "$model" --tokens 1,x,2
expect_exit 2 "1.5"       -- "$CLI" forward --model "$model" --tokens 1.5
expect_exit 2 "--tokens"  -- "$CLI" forward --model "$model" --tokens 1,,2
expect_exit 2 "--tokens"  -- "$CLI" forward --model "$model" --tokens 1,2,
expect_exit 2 "--tokens"  -- "$CLI" forward --model "$model" --tokens " 1"
expect_exit 2 "vocabulary" -- "$CLI" forward --model "$model" --tokens 1,4
expect_exit 2 "vocabulary" -- "$CLI" forward --model "$model" --tokens -1
expect_exit 2 "--tokens"  -- "$CLI" forward --model "$model" --tokens 99999999999999999999
expect_exit 2 "--tokens"  -- "$CLI" forward --model "$model" --tokens 1,000000000000000000000000000000000001x
expect_exit 2 "--targets" -- "$CLI" forward --model "$model" --tokens "$tokens" --targets 3,1
expect_exit 2 "--targets" -- "$CLI" forward --model "$model" --tokens 1,2 --targets 1,7
expect_exit 2 "--targets" -- "$CLI" forward --model "$model" --tokens 1,2 --targets 1,y
expect_exit 2 "--grads"   -- "$CLI" forward --model "$model" --tokens "$tokens" --grads
expect_exit 2 "extra"     -- "$CLI" forward --model "$model" --tokens "$tokens" extra
expect_exit 2 "--json=1"  -- "$CLI" forward --model "$model" --tokens "$tokens" --json=1
expect_exit 2 "--bogus"   -- "$CLI" forward --bogus
expect_exit 2 "missing.safetensors"   -- "$CLI" forward --model "$work/missing.safetensors" --tokens 1
expect_exit 2 "truncated.safetensors" -- "$CLI" forward --model "$work/truncated.safetensors" --tokens 1
expect_exit 2 "garbage.safetensors"   -- "$CLI" forward --model "$work/garbage.safetensors" --tokens 1
expect_exit 2 "empty.safetensors"     -- "$CLI" forward --model "$work/empty.safetensors" --tokens 1
expect_exit 2 "badjson.safetensors"   -- "$CLI" forward --model "$work/badjson.safetensors" --tokens 1
expect_exit 2 "$work"                 -- "$CLI" forward --model "$work" --tokens 1

# Output that cannot be written is a failure, not a success.
if [ -w /dev/full ]; then
  expect_exit 1 "write" -- sh -c '"$1" version >/dev/full' sh "$CLI"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
