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
# Only this shell cleans up: a child forked for a background run keeps the
# trap until it becomes the command, and runs it if a signal comes first.
trap '[ "$BASHPID" = "$$" ] && rm -rf "$work"' EXIT

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

# --batch: B copies of the hello sequence per step; the line shows sequence 0.
expect_exit 0 "Epoch [15/15]" -- "$CLI" train --cell rnn_tanh --batch 4
check "--batch 4 prints the seed's epoch line 15 times" \
  test "$(grep -cE "$line_re" "$work/out")" -eq 15
check "--batch 4 learns ohlol too" grep -q '^Predicted: ohlol, Epoch \[15/15\]' "$work/out"
expect_exit 0 "Epoch [2/2]" -- "$CLI" train --cell lstm --embed 0 --batch 3 --epochs 2
expect_exit 2 "batch"            -- "$CLI" train --batch 0
expect_exit 2 "batch"            -- "$CLI" train --batch -2
expect_exit 2 "--batch"          -- "$CLI" train --batch x

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

# A classifier's file names its classes; forward prints the names.
expect_exit 0 "" -- "$CLI" train --task classify --epochs 2 --save "$work/classify.safetensors"
expect_exit 0 "" -- "$CLI" forward --model "$work/classify.safetensors" --tokens 0,3,4,5
check "forward names a classifier's predicted class (positive or negative)" \
  test "$(grep -cE '^ +[0-9]+ +[0-9]+ .* [0-9]+ (positive|negative) ' "$work/out")" -eq 4

# A phrase of one's own: forward --text reads it as the classifier's task
# does, characters it never saw as <unk>, and names the class.
expect_exit 0 "" -- "$CLI" train --task classify:lang=zh --save "$work/zh.safetensors"
expect_exit 0 "Class: 吃饭 (p = " -- "$CLI" forward --model "$work/zh.safetensors" --text "我饿了马就"
check "forward --text: a row per character, two of them <unk>" \
  test "$(grep -cE '^ +[0-9]+ +[0-9]+ ' "$work/out")" -eq 5 -a "$(grep -c '<unk>' "$work/out")" -eq 3
check "forward --text says how many characters were unknown" grep -qF "2 characters of the phrase" "$work/out"
expect_exit 0 "Class: 睡觉 (p = " -- "$CLI" forward --model "$work/zh.safetensors" --text "我要睡觉了"
expect_exit 0 "" -- "$CLI" forward --model "$work/zh.safetensors" --text "出去走走吧" --json
expect_exit 2 "not a phrase classifier" -- "$CLI" forward --model "$model" --text "hello"
expect_exit 2 "either --tokens or --text" -- "$CLI" forward --model "$work/zh.safetensors" --text "我" --tokens 1
expect_exit 2 "the phrase is empty" -- "$CLI" forward --model "$work/zh.safetensors" --text ""

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

# Interventions: f = 1 in layer 1 at every step makes c_t = c_{t-1} + i ⊙ g exactly
# (float32: the product rounded, then the sum; or fused into one rounding).
cat >"$work/belt.py" <<'PY'
import json, struct, sys
f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
d = json.load(sys.stdin)
iv = d["interventions"]
s = d["states"][0]
ok = iv == [{"kind": "clamp", "from": "option", "layer": 1, "gate": "f", "units": list(range(len(s["c"][0]))), "t": "all", "value": 1}]
ok = ok and all(v == 1 for row in s["gates"]["f"] for v in row)
prev = [0.0] * len(s["c"][0])
for t, row in enumerate(s["c"]):
    row = [f32(c) for c in row]   # %.9g reads back as the float32 it was
    for u, c in enumerate(row):
        i, g = f32(s["gates"]["i"][t][u]), f32(s["gates"]["g"][t][u])
        ok = ok and c in (f32(prev[u] + f32(i * g)), f32(prev[u] + i * g))
    prev = row
ok = ok and any(v != 1 for row in d["states"][1]["gates"]["f"] for v in row)
sys.exit(0 if ok else 1)
PY
expect_exit 0 '"interventions"' -- "$CLI" forward --model "$model" --tokens "$tokens" --clamp '1:f:*=1' --json
check "forward --clamp 1:f:*=1: f = 1 in layer 1 and c_t = c_{t-1} + i*g exactly" "$PY" "$work/belt.py" <"$work/out"
expect_exit 0 '"states"' -- "$CLI" forward --model "$model" --tokens "$tokens" --targets "$targets" --grads \
                            --clamp '2:o:3@4=0' --set-c '1:0-1@2=0.5' --ablate 2:5 --set-weight 'fc.bias[1]=2' --json
check "forward with interventions: each applied and listed" "$PY" -c '
import json, sys
d = json.load(sys.stdin)
s = d["states"]
ok = [i["kind"] for i in d["interventions"]] == ["clamp", "set_c", "set_h", "weight"]
ok = ok and s[1]["gates"]["o"][4][3] == 0 and s[0]["c"][2][:2] == [0.5, 0.5]
ok = ok and all(row[5] == 0 for row in s[1]["h"]) and d["interventions"][1]["units"] == [0, 1]
sys.exit(0 if ok else 1)' <"$work/out"
expect_exit 0 "" -- "$CLI" forward --model "$model" --tokens "$tokens" --json
check "forward without interventions prints no states" "$PY" -c '
import json, sys; d = json.load(sys.stdin); sys.exit("states" in d or "interventions" in d)' <"$work/out"
expect_exit 0 "--clamp LAYER:GATE" -- "$CLI" forward --help
expect_exit 2 "the gate must be one of" -- "$CLI" forward --model "$model" --tokens "$tokens" --clamp '1:q:*=1'
expect_exit 2 "layer 1 has units 0 to 7, not 9" -- "$CLI" forward --model "$model" --tokens "$tokens" --clamp '1:o:9=1'
expect_exit 2 "sigmoid" -- "$CLI" forward --model "$model" --tokens "$tokens" --clamp '1:f:*=2'
expect_exit 2 "only an LSTM has a cell state c" -- "$CLI" forward --model "$work/gru.safetensors" --tokens "$tokens" --set-c '1:*=0'
expect_exit 2 "no tensor" -- "$CLI" forward --model "$model" --tokens "$tokens" --set-weight 'rnn.weight_zz[0,0]=1'

# step --clamp: the same question asked of the stepper after 40 epochs of training. Every
# forward step's layer 1 has f = 1 and c_t = c_{t-1} + i*g to the bit; each step lists the
# interventions that hold at it.
cat >"$work/step-belt.py" <<'PY'
import json, struct, sys
f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
steps = [json.loads(l) for l in sys.stdin]
fwd = [s for s in steps if s["phase"] == "forward"]
ok = len(fwd) == 5 and steps[-1]["phase"] == "update"
prev = None
for s in fwd:
    layer = s["layers"][0]
    c = [f32(x) for x in layer["c"]]
    ok = ok and all(v == 1 for v in layer["gates"]["f"])
    ok = ok and s["interventions"] == [{"kind": "clamp", "from": "option", "layer": 1, "gate": "f", "units": list(range(len(c))), "value": 1}]
    prev = prev or [0.0] * len(c)
    for u in range(len(c)):
        i, g = f32(layer["gates"]["i"][u]), f32(layer["gates"]["g"][u])
        ok = ok and c[u] in (f32(prev[u] + f32(i * g)), f32(prev[u] + i * g))
    ok = ok and any(v != 1 for v in s["layers"][1]["gates"]["f"])
    prev = c
sys.exit(0 if ok else 1)
PY
# The sequence stepped after 15 epochs of training is the 16th pass, as the
# course's loop prints it (Epoch [16/N]) and the window's status line says.
expect_exit 0 "epoch 16: one sequence" -- "$CLI" step --task hello --epochs 15
expect_exit 0 '"interventions"' -- "$CLI" step --task hello --cell lstm --epochs 40 --clamp '1:f:*=1' --json
check "step --clamp 1:f:*=1: f = 1 in layer 1 at every step, c_t = c_{t-1} + i*g exactly" \
  "$PY" "$work/step-belt.py" <"$work/out"
expect_exit 0 '"set_h"' -- "$CLI" step --task hello --cell gru --epochs 3 --ablate 1:2 --clamp '1:z:0@1=1' --json
check "step --clamp 1:z:0@1=1 lists the clamp at t = 1 only; --ablate at every step" "$PY" -c '
import json, sys
fwd = [s for s in map(json.loads, sys.stdin) if s["phase"] == "forward"]
kinds = [[i["kind"] for i in s["interventions"]] for s in fwd]
ok = kinds[1] == ["set_h", "clamp"] and all(k == ["set_h"] for t, k in enumerate(kinds) if t != 1)
ok = ok and fwd[1]["layers"][0]["gates"]["z"][0] == 1 and all(s["layers"][0]["h"][2] == 0 for s in fwd)
# "fixed": the units each step holds, by layer and quantity (the rule the window marks by)
ok = ok and fwd[1]["fixed"] == [{"layer": 1, "z": [0], "h": [2]}, {"layer": 2}]
ok = ok and all(s["fixed"] == [{"layer": 1, "h": [2]}, {"layer": 2}] for t, s in enumerate(fwd) if t != 1)
sys.exit(0 if ok else 1)' <"$work/out"
expect_exit 2 "an encoder and a decoder" -- "$CLI" step --task seq2seq --clamp '1:f:*=1'
expect_exit 2 "the gate must be one of" -- "$CLI" step --clamp '1:x:*=1'
expect_exit 2 "a plain RNN has no gates" -- "$CLI" step --cell rnn_tanh --clamp '1:i:*=1'
expect_exit 0 "--clamp LAYER:GATE" -- "$CLI" step --help

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

# ------------------------------------------------------------------ bench
# --quick runs are smoke tests of the output, never of the speed.
cat >"$work/bench.py" <<'EOF2'
import json, math, sys
path, suite, kind, figure, n = sys.argv[1:]
problems = []
lines = [l for l in open(path) if l.strip()]
if len(lines) != int(n):
    problems.append("%d lines, expected %s" % (len(lines), n))
for l in lines:
    d = json.loads(l)
    for k in ("bench", "kind", "cell", "hidden", "threads", figure, "min", "max", "spread_pct", "gflops"):
        if k not in d:
            problems.append("no key %s in %s" % (k, l.strip()))
    if problems:
        break
    if d["bench"] != suite or d["kind"] != kind:
        problems.append("bench/kind %s/%s, expected %s/%s" % (d["bench"], d["kind"], suite, kind))
    if d["threads"] != 1:
        problems.append("threads %r with OPENBLAS_NUM_THREADS=1" % d["threads"])
    nums = [d[figure], d["min"], d["max"], d["gflops"]]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) and v > 0 for v in nums):
        problems.append("not positive finite numbers: %s" % l.strip())
    elif not d["min"] <= d[figure] <= d["max"]:
        problems.append("the figure is not between min and max: %s" % l.strip())
    if suite == "charlm" and not d.get("peak_gflops", 0) > 0:
        problems.append("charlm without peak_gflops")
for p in problems:
    print("bench.py: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF2
bench_json () {  # bench_json SUITE KIND FIGURE LINES
  if [ -z "$PY" ]; then
    echo "cli: no python3: bench JSON checks skipped"
    return
  fi
  check "bench --suite $1 --json: one JSON object per configuration, with the keys" \
    "$PY" "$work/bench.py" "$work/out" "$@"
}
expect_exit 0 '"steps_per_s"'     -- "$CLI" bench --suite hello --json --quick
bench_json hello train steps_per_s 4
check "bench hello covers every cell" \
  test "$(grep -oE '"cell": ?"[a-z_]+"' "$work/out" | sed 's/.*"\([a-z_]*\)"$/\1/' | tr '\n' ' ')" \
       = "rnn_tanh rnn_relu lstm gru "
expect_exit 0 '"tokens_per_s"'    -- "$CLI" bench --suite charlm --cell gru --hidden 8 --json --quick
bench_json charlm train tokens_per_s 1
expect_exit 0 '"us_per_timestep"' -- "$CLI" bench --suite step --hidden 8 --json --min-time 0.01 --rounds 1
bench_json step infer us_per_timestep 3
expect_exit 0 "steps/s"           -- "$CLI" bench --suite hello --cell lstm --quick
expect_exit 0 "--suite"           -- "$CLI" help bench
expect_exit 2 "frobnicate"        -- "$CLI" bench --suite frobnicate
expect_exit 2 "transformer"       -- "$CLI" bench --cell transformer
expect_exit 2 "--hidden"          -- "$CLI" bench --hidden 0
expect_exit 2 "--rounds"          -- "$CLI" bench --rounds 0
expect_exit 2 "--min-time"        -- "$CLI" bench --min-time 0
expect_exit 2 "--min-time"        -- "$CLI" bench --min-time abc
expect_exit 2 "--json=1"          -- "$CLI" bench --json=1
expect_exit 2 "extra"             -- "$CLI" bench extra

# ------------------------------------------------------------------ compare
expect_exit 0 "--cells"     -- "$CLI" compare --help
expect_exit 0 "--seeds"     -- "$CLI" help compare
expect_exit 2 "--cells"     -- "$CLI" compare --cells ""
expect_exit 2 "transformer" -- "$CLI" compare --cells lstm,transformer
expect_exit 2 "twice"       -- "$CLI" compare --cells lstm,lstm
expect_exit 2 "--cells"     -- "$CLI" compare --cells lstm,,gru
expect_exit 2 "--seeds"     -- "$CLI" compare --seeds -1
expect_exit 2 "--seeds"     -- "$CLI" compare --seeds 0,x
expect_exit 2 "twice"       -- "$CLI" compare --seeds 1,1
expect_exit 2 "--steps"     -- "$CLI" compare --steps 0
expect_exit 2 "--steps"     -- "$CLI" compare --steps 2x
expect_exit 2 "--smooth"    -- "$CLI" compare --smooth 1
expect_exit 2 "--smooth"    -- "$CLI" compare --smooth -0.5
expect_exit 2 "--width"     -- "$CLI" compare --width 10
expect_exit 2 "pie"         -- "$CLI" compare --chart pie
expect_exit 2 "world"       -- "$CLI" compare --task world
expect_exit 2 "hidden"      -- "$CLI" compare --hidden 0
expect_exit 2 "extra"       -- "$CLI" compare --steps 2 extra
expect_exit 2 "--log-y=1"   -- "$CLI" compare --log-y=1
expect_exit 1 "nonexistent" -- "$CLI" compare --steps 2 --csv "$work/nonexistent/c.csv"
expect_exit 1 "nonexistent" -- "$CLI" compare --steps 2 --png "$work/nonexistent/c.png"

expect_exit 0 "rnn_tanh" -- "$CLI" compare --task hello --cells rnn_tanh,lstm,gru --seeds 0,1 --steps 20 \
                              --csv "$work/c.csv" --svg "$work/c.svg" --png "$work/c.png" --pdf "$work/c.pdf"
check "compare prints a row per cell" test "$(grep -cE '^(rnn_tanh|lstm|gru) ' "$work/out")" -eq 3
check "the CSV header is cell,seed,step,loss,accuracy" \
  test "$(head -n 1 "$work/c.csv")" = "cell,seed,step,loss,accuracy"
check "the CSV has a row per (cell, seed, step): 1 + 3×2×20 lines" test "$(wc -l <"$work/c.csv")" -eq 121
check "every CSV row is cell,seed,step,loss,accuracy with numbers" \
  test "$(grep -cE '^(rnn_tanh|lstm|gru),[01],([1-9]|1[0-9]|20),[0-9.e+-]+,(0|1|0\.[0-9]+)$' "$work/c.csv")" -eq 120
check "rows go cell by cell, seed by seed, step by step" \
  test "$(sed -n '2p;21p;22p;41p;42p;121p' "$work/c.csv" | cut -d, -f1-3 | tr '\n' ' ')" \
       = "rnn_tanh,0,1 rnn_tanh,0,20 rnn_tanh,1,1 rnn_tanh,1,20 lstm,0,1 gru,1,20 "
check "the PNG is a 1200×700 PNG" \
  test "$(od -An -tx1 -j12 -N12 "$work/c.png" | tr -d ' \n')" = "49484452000004b0000002bc"
check "the SVG is 1200×700 px" grep -q '<svg[^>]* width="1200px" height="700px"' "$work/c.svg"
check "the PDF is 1200×700 pt" grep -aq '/MediaBox \[ 0 0 1200 700 \]' "$work/c.pdf"
check "no temporary file is left next to the outputs" \
  test "$(ls "$work" | grep -c '^c\.')" -eq 4
cp "$work/c.csv" "$work/c1.csv"
expect_exit 0 "" -- "$CLI" compare --task hello --cells rnn_tanh,lstm,gru --seeds 0,1 --steps 20 --csv "$work/c.csv"
check "compare is deterministic" cmp -s "$work/c.csv" "$work/c1.csv"
# The same run as train's: the CSV's losses are train's epoch losses.
expect_exit 0 "" -- "$CLI" compare --cells gru --seeds 7 --steps 15 --csv "$work/g.csv"
expect_exit 0 "" -- "$CLI" train --cell gru --seed 7
check "compare's loss of each step is train's (gru, seed 7)" \
  test "$(tail -n +2 "$work/g.csv" | cut -d, -f4 | xargs printf '%.3f\n')" \
       = "$(sed 's/.* = //' "$work/out")"
expect_exit 0 "gru" -- "$CLI" compare --cells lstm,gru --seeds 3 --steps 20 --chart loss --log-y \
                         --smooth 0.6 --png "$work/s.png" --width 640 --height 480
check "--width/--height set the PNG's size" \
  test "$(od -An -tx1 -j16 -N8 "$work/s.png" | tr -d ' \n')" = "00000280000001e0"
expect_exit 0 "" -- "$CLI" compare --task adding:length=10 --cells rnn_tanh,gru --seeds 0 --steps 5 \
                    --csv "$work/a.csv" --svg "$work/a.svg"
check "a regression task's CSV has no accuracy column" \
  test "$(head -n 1 "$work/a.csv")" = "cell,seed,step,loss"
check "a regression task's CSV has 1 + 2×1×5 lines" test "$(wc -l <"$work/a.csv")" -eq 11
# A task with held-out data: its CSV carries the validation curve (judged
# every 50 steps), empty on the steps between; hello has none to carry.
expect_exit 0 "" -- "$CLI" compare --task classify --cells gru --seeds 0 --steps 60 --csv "$work/v.csv"
check "the CSV names the validation columns" \
  test "$(head -n 1 "$work/v.csv")" = "cell,seed,step,loss,accuracy,val_loss,val_accuracy"
check "step 50 carries the held-out loss and accuracy, step 49 none" "$PY" -c '
import csv, sys
rows = {int(r["step"]): r for r in csv.DictReader(open(sys.argv[1]))}
ok = len(rows) == 60 and rows[49]["val_loss"] == "" and rows[49]["val_accuracy"] == "" \
     and float(rows[50]["val_loss"]) > 0 and 0 <= float(rows[50]["val_accuracy"]) <= 1 \
     and sum(1 for r in rows.values() if r["val_loss"]) == 1
sys.exit(0 if ok else 1)' "$work/v.csv"
expect_exit 0 "" -- "$CLI" compare --task hello --cells gru --seeds 0 --steps 60 --csv "$work/h.csv"
check "hello has nothing held out: no validation columns" \
  test "$(head -n 1 "$work/h.csv")" = "cell,seed,step,loss,accuracy"
# A diverging run is reported and the others go on.
expect_exit 0 "2 of 2 seeds diverged" -- "$CLI" compare --cells rnn_relu,gru --seeds 0,1 --optimizer sgd \
                                           --lr 1000 --hidden 64 --steps 50 --csv "$work/d.csv"
check "the diverged runs' rows stop early, the others' go to step 50" \
  test "$(grep -c '^gru,' "$work/d.csv")" -eq 100 -a "$(grep -c '^rnn_relu,' "$work/d.csv")" -lt 100
expect_exit 1 "diverged" -- "$CLI" compare --cells rnn_relu --seeds 0 --optimizer sgd --lr 1000 \
                              --hidden 64 --steps 50
# compare takes train's training options (one parser), cell variants included.
expect_exit 0 "--peephole"  -- "$CLI" compare --help
expect_exit 0 "--momentum"  -- "$CLI" compare --help
expect_exit 0 "lstm" -- "$CLI" compare --cells lstm --seeds 0 --steps 3 --peephole
expect_exit 0 "gru"  -- "$CLI" compare --cells lstm,gru --seeds 0 --steps 3 --bidirectional --dropout 0.1 \
                        --optimizer sgd --momentum 0.9
expect_exit 2 "apply to lstm, not gru"   -- "$CLI" compare --cells lstm,gru --seeds 0 --steps 3 --peephole
expect_exit 2 "--gru-reset"  -- "$CLI" compare --cells gru --seeds 0 --steps 3 --gru-reset middle
expect_exit 2 "--cell-clip"  -- "$CLI" compare --cells lstm --seeds 0 --steps 3 --cell-clip -1
expect_exit 2 "--momentum"   -- "$CLI" compare --optimizer adam --momentum 0.9
expect_exit 2 "compare --help" -- "$CLI" compare --cells lstm --layers 1 --dropout 0.5
# The same option, the same message from both commands.
for flags in "--gru-reset middle" "--optimizer nadam" "--lr x" "--momentum 0.9" "--embed -1" \
             "--layers 0" "--task world"; do
  # shellcheck disable=SC2086
  "$CLI" train $flags 2>"$work/e1" >/dev/null
  # shellcheck disable=SC2086
  "$CLI" compare $flags 2>"$work/e2" >/dev/null
  check "train and compare say the same of $flags" \
    test "$(sed 's/ train --help/ CMD --help/' "$work/e1")" = "$(sed 's/ compare --help/ CMD --help/' "$work/e2")" \
         -a -s "$work/e1"
done

# ------------------------------------------------------- train: cell variants
expect_exit 0 "--recurrent-dropout" -- "$CLI" train --help
for flags in "--cell lstm --forget-bias 1.0" "--cell lstm --forget-bias 0" "--cell lstm --peephole" \
             "--cell lstm --cifg" "--cell lstm --no-forget-gate" "--cell lstm --cell-clip 3" \
             "--cell lstm --proj 4" "--cell gru --gru-reset before" "--cell gru --gru-reset after" \
             "--cell rnn_relu --irnn" "--cell gru --bidirectional" "--cell lstm --dropout 0.2" \
             "--cell rnn_tanh --recurrent-dropout 0.3" "--cell lstm --bptt 2" \
             "--cell lstm --no-input-gate" "--cell lstm --no-output-gate" "--cell lstm --no-input-act" \
             "--cell lstm --no-output-act" "--cell lstm --full-gate-recurrence --peephole"; do
  # shellcheck disable=SC2086
  expect_exit 0 "Epoch [3/3]" -- "$CLI" train --epochs 3 $flags
done
expect_exit 2 "apply to lstm, not gru"   -- "$CLI" train --cell gru --peephole
expect_exit 2 "applies to lstm, not rnn_tanh" -- "$CLI" train --forget-bias 1
expect_exit 2 "applies to gru"           -- "$CLI" train --cell lstm --gru-reset before
expect_exit 2 "rnn_relu and rnn_tanh"    -- "$CLI" train --cell lstm --irnn
expect_exit 2 "projection size"          -- "$CLI" train --cell lstm --proj 8
expect_exit 2 "exclude each other"       -- "$CLI" train --cell lstm --cifg --no-forget-gate
expect_exit 2 "needs a forget gate"      -- "$CLI" train --cell lstm --cifg --forget-bias 1
expect_exit 2 "need an input gate"       -- "$CLI" train --cell lstm --cifg --no-input-gate
expect_exit 2 "it needs all three"       -- "$CLI" train --cell lstm --full-gate-recurrence --no-output-gate
expect_exit 2 "output gate applies to lstm, not gru" -- "$CLI" train --cell gru --no-output-gate
expect_exit 2 "applies to lstm, not rnn_tanh" -- "$CLI" train --full-gate-recurrence
expect_exit 2 "less than 1"              -- "$CLI" train --dropout 1
expect_exit 2 "2 or more layers"         -- "$CLI" train --dropout 0.5 --layers 1
expect_exit 2 "less than 1"              -- "$CLI" train --recurrent-dropout -0.1
expect_exit 2 "--bptt"                   -- "$CLI" train --bptt 0
expect_exit 2 "unidirectional"           -- "$CLI" train --bptt 3 --bidirectional
expect_exit 2 "--cell-clip"              -- "$CLI" train --cell lstm --cell-clip 0
expect_exit 2 "not a number"             -- "$CLI" train --cell lstm --forget-bias one
expect_exit 2 "not after or before"      -- "$CLI" train --cell gru --gru-reset middle
expect_exit 2 "encoder–decoder"          -- "$CLI" train --task seq2seq --bidirectional --epochs 1
# Next-element tasks: a reverse direction would read the answer (gs-task.h).
for t in charlm charlm:corpus=zh series reber continual_reber xor; do
  expect_exit 2 "reverse direction has already read" -- "$CLI" train --task "$t" --bidirectional --epochs 1
done
expect_exit 2 "reverse direction"        -- "$CLI" compare --task charlm --bidirectional --steps 1
expect_exit 0 "solved"                   -- "$CLI" train --task adding:length=10 --bidirectional --epochs 1

# The variant is in the saved model's metadata and comes back with it.
vmodel=$work/variant.safetensors
expect_exit 0 "Epoch [5/5]" -- "$CLI" train --cell lstm --layers 2 --proj 3 --bidirectional --peephole \
                                 --forget-bias 1 --cell-clip 2.5 --dropout 0.25 --epochs 5 --save "$vmodel"
cat >"$work/meta.py" <<'PY'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
meta = header["__metadata__"]
want = {"cell": "lstm", "proj": "3", "bidirectional": "1", "peephole": "1", "forget_bias": "1",
        "cell_clip": "2.5", "dropout": "0.25"}
bad = {k: meta.get(k) for k, v in want.items() if meta.get(k) != v}
names = ["rnn.weight_hr_l1_reverse", "rnn.weight_ch_l0", "rnn.weight_ih_l1_reverse"]
missing = [t for t in names if t not in header]
shape_ok = header["rnn.weight_ih_l1"]["shape"] == [32, 6] and header["fc.weight"]["shape"] == [4, 6]
sys.exit(1 if bad or missing or not shape_ok else 0)
PY
check "the variant is in the model file's metadata and tensors" "$PY" "$work/meta.py" "$vmodel"
expect_exit 0 '"h_n"' -- "$CLI" forward --model "$vmodel" --tokens 1,0,2,2,3 --json
check "h_n of a bidirectional projected model is (L·D, P), c_n (L·D, H)" \
  "$PY" -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not (len(d["h_n"]) == 4 and len(d["h_n"][0]) == 3 and len(d["c_n"][0]) == 8))' <"$work/out"
# Greff et al.'s variants: keys in the metadata, FGR's (3H, 3H) tensor per layer.
expect_exit 0 "Epoch [2/2]" -- "$CLI" train --cell lstm --layers 2 --hidden 5 --no-input-act --no-output-act \
                                 --full-gate-recurrence --epochs 2 --save "$vmodel"
check "Greff et al.'s variants are in the model file" "$PY" -c '
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
meta = header["__metadata__"]
ok = all(meta.get(k) == "1" for k in ("no_input_act", "no_output_act", "full_gate_recurrence"))
ok = ok and header["rnn.weight_gg_l0"]["shape"] == [15, 15] and header["rnn.weight_gg_l1"]["shape"] == [15, 15]
sys.exit(0 if ok else 1)' "$vmodel"
expect_exit 0 '"h_n"' -- "$CLI" forward --model "$vmodel" --tokens 1,0,2,2,3 --json

# ------------------------------------------------- tasks, sample, experiment
expect_exit 0 "temporal_order"   -- "$CLI" tasks
for name in hello charlm classify series seq2seq adding temporal_order copy reber continual_reber xor; do
  check "tasks lists $name" grep -q "^$name " "$work/out"
done
check "tasks shows parameters and defaults" grep -qE '^  length +integer .*default 100' "$work/out"
expect_exit 0 "Usage:"           -- "$CLI" tasks --help
expect_exit 2 "extra"            -- "$CLI" tasks extra
expect_exit 2 "unknown task"     -- "$CLI" train --task nosuch
expect_exit 2 "between"          -- "$CLI" train --task adding:length=2
expect_exit 2 "no parameter"     -- "$CLI" train --task adding:len=20
expect_exit 2 "--eval-every"     -- "$CLI" train --task adding --eval-every 0

# --json: one object per epoch, then the summary.
expect_exit 0 '"final":true' -- "$CLI" train --task adding:length=20 --cell lstm --layers 1 --batch 4 \
                                  --epochs 3 --json
check "train --json prints 3 epochs and a summary" test "$(wc -l <"$work/out")" -eq 4
if [ -n "$PY" ]; then
  check "train --json: every line is JSON; the summary has solved, metric and steps" "$PY" -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [l["epoch"] for l in lines[:-1]] == [1, 2, 3]
f = lines[-1]
assert f["final"] is True and isinstance(f["solved"], bool) and f["steps"] == 3
assert f["metric_name"] == "mse" and f["metric"] > 0 and abs(f["baseline"] - 1 / 6) < 1e-6
' "$work/out"
fi
expect_exit 0 '"solved"' -- "$CLI" train --task seq2seq:kind=date --layers 1 --hidden 8 --batch 4 --epochs 2 --json
expect_exit 0 "test accuracy" -- "$CLI" train --task classify:lang=zh --layers 1 --hidden 8 --epochs 2
expect_exit 0 "truth"    -- "$CLI" train --task series:length=20 --layers 1 --hidden 8 --epochs 2
expect_exit 0 "held-out" -- "$CLI" train --task xor --layers 1 --hidden 8 --epochs 4 --eval-every 2

# Recommended settings: train fills what is not given from the task's recipe.
expect_exit 0 "recommended:" -- "$CLI" tasks
check "tasks lists a recipe for every task" test "$(grep -c '^  recommended: --cell ' "$work/out")" -eq 12
check "every recipe solves its task on held-out data (copy's too, since its defaults grew)" \
  test "$(grep -c '^  recommended: .*(solved in about ' "$work/out")" -eq 12 -a \
       "$(grep -c 'does not solve the task on held-out data' "$work/out")" -eq 0
check "copy's recipe starts the forget gate's bias at 1" grep -q '^  recommended: .*--forget-bias 1 --epochs 4000 ' \
  <(grep -A2 '^copy ' "$work/out")
expect_exit 0 "— solved" -- "$CLI" train --task temporal_order
check "train --task temporal_order alone uses its recipe (not the hello model)" \
  grep -q '^Settings: --cell gru --embed 0 ' "$work/out"
expect_exit 0 "--hidden 5 " -- "$CLI" train --task temporal_order --hidden 5 --epochs 2
check "what is given stays, the rest is the recipe's" grep -q -- '--embed 0 --hidden 5 .*--epochs 2$' \
  <(sed 's/ (what.*//' "$work/out")
# shapes: the course's counts, the Keras count beside them, batch_first.
expect_exit 0 "Total: 380 parameters"   -- "$CLI" shapes
expect_exit 0 "Total: 1,292 parameters" -- "$CLI" shapes --cell lstm
check "the LSTM's Keras count is 64 lower" grep -q "Keras / TensorFlow: 1,228" "$work/out"
check "W_ih is split by gate" grep -q "rnn.weight_ih_l0 .*(32, 10) .*W_ii | W_if | W_ig | W_io, each (8, 10)" "$work/out"
expect_exit 0 '"total":988' -- "$CLI" shapes --cell gru --json
check "shapes --json: h_n stays (L·D, B, H) with batch_first" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = d["batch_first"]["h_n"] == [2, 1, 8] and d["batch_first"]["output"] == [1, 5, 8] \
     and d["time_major"]["output"] == [5, 1, 8] and sum(t["numel"] for t in d["tensors"]) == d["total"]
sys.exit(0 if ok else 1)' "$work/out"
expect_exit 0 '"batch_first":{"input":[32,100,2]' -- "$CLI" shapes --task adding --json
expect_exit 0 "(7, 3, 8)" -- "$CLI" shapes --cell lstm --batch 3 --length 7
expect_exit 2 "reverse direction" -- "$CLI" shapes --task charlm --bidirectional
expect_exit 2 "--length"          -- "$CLI" shapes --length 0
# In Chinese the shapes table lines up by display width (a Chinese character
# takes two columns): every row's second column starts at the same column.
expect_exit 0 "batch_first=True" -- env LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$CLI" shapes --cell lstm
check "the zh_CN shapes table is translated" grep -q "输入 x（词元编号）" "$work/out"
check "the zh_CN shapes table's columns line up by display width" "$PY" -c '
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
top = next(i for i, l in enumerate(lines) if "batch_first=False" in l)
rows = [l for l in lines[top + 1:top + 7] if l.startswith("  ") and "(" in l]
cols = {width(l[:re.search(r" \(\d", l).start() + 1]) for l in rows}
head = width(lines[top][:lines[top].index("batch_first=False")])
sys.exit(0 if len(rows) == 6 and cols == {head} and any(width(l) != len(l) for l in rows) else 1)' "$work/out"

# code: the course's emb/rnn/fc module (tests/reference/code_check.py runs it).
expect_exit 0 "self.rnn = nn.RNN(input_size=10, hidden_size=8, num_layers=2)" -- "$CLI" code
expect_exit 0 "keras.layers.GRU(32, return_sequences=True" -- "$CLI" code --framework keras --task temporal_order
expect_exit 0 "left out: peepholes" -- "$CLI" code --cell lstm --peephole
expect_exit 2 "unknown framework"   -- "$CLI" code --framework jax
expect_exit 2 "reverse direction"   -- "$CLI" code --task xor --bidirectional

# hello is one sequence: nothing is held out, and the score says so.
expect_exit 0 "training: training accuracy" -- "$CLI" train --eval-every 15
check "hello's score is labelled a training score" grep -q "^No held-out data" "$work/out"
check "hello's final score is a training accuracy" grep -q "^After training: training accuracy 100.0%" "$work/out"
check "hello's score is not called a test score" test "$(grep -c "test accuracy" "$work/out")" -eq 0
expect_exit 0 '"held_out":false' -- "$CLI" train --json
expect_exit 0 '"held_out":true' -- "$CLI" train --task xor --layers 1 --hidden 8 --epochs 2 --json
# charlm holds out the end of its text: too short a file for both is refused.
printf 'the cat sat on the mat\n' >"$work/tiny.txt"
expect_exit 2 "held out for validation" -- "$CLI" train --task "charlm:file=$work/tiny.txt,length=16" --epochs 1

# sentiment: N→1 on word tokens, held out; the RNN/LSTM/GRU comparison.
expect_exit 0 "test accuracy" -- "$CLI" train --task sentiment:lang=zh --epochs 2
expect_exit 0 "held-out" -- "$CLI" experiment sentiment --quick
check "experiment sentiment runs the three cells" test "$(grep -cE '^0 +(rnn_tanh|lstm|gru) ' "$work/out")" -eq 3
expect_exit 2 "not en or zh" -- "$CLI" experiment sentiment --lang fr
expect_exit 2 "sentiment experiment only" -- "$CLI" experiment adding --lang zh

# The hello task's recipe is the seed model: the course's lines, unchanged.
expect_exit 0 "Epoch [15/15]" -- "$CLI" train
check "train alone prints only the course's 15 lines" test "$(wc -l <"$work/out")" -eq 15

# Bad task files: one clear line, exit 2.
: >"$work/empty.txt"
head -c 64 "$CLI" >"$work/binary.txt"
printf 'caf\351\n' >"$work/latin1.txt"
printf '@classes\ta\tb\tc\na\tone\nb\ttwo\n' >"$work/noexample.tsv"
expect_exit 2 "empty"           -- "$CLI" train --task "charlm:file=$work/empty.txt"
expect_exit 2 "not a text file" -- "$CLI" train --task "charlm:file=$work/binary.txt"
expect_exit 2 "invalid UTF-8"   -- "$CLI" train --task "charlm:file=$work/latin1.txt"
expect_exit 2 "no examples"     -- "$CLI" train --task "classify:file=$work/noexample.tsv"
expect_exit 2 "missing.txt"     -- "$CLI" train --task "charlm:file=$work/missing.txt"

# A character language model: train, save, sample (Chinese: a token is a character).
printf '床前明月光，疑是地上霜。举头望明月，低头思故乡。\n' >"$work/poem.txt"
expect_exit 0 "" -- "$CLI" train --task "charlm:file=$work/poem.txt,length=8" --cell lstm --layers 1 \
                    --hidden 16 --batch 4 --epochs 20 --save "$work/lm.safetensors"
expect_exit 0 "床前" -- "$CLI" sample --model "$work/lm.safetensors" --prime "床前" --length 10 --temperature 0.8
check "sample prints the prime and 10 characters" \
  test "$(head -c 400 "$work/out" | LC_ALL=C.UTF-8 wc -m)" -ge 12
expect_exit 0 "" -- "$CLI" sample --model "$work/lm.safetensors" --prime "床" --length 10 --temperature 0 --seed 3
cp "$work/out" "$work/greedy"
expect_exit 0 "" -- "$CLI" sample --model "$work/lm.safetensors" --prime "床" --length 10 --temperature 0 --seed 4
check "temperature 0 is deterministic" cmp -s "$work/greedy" "$work/out"
expect_exit 2 "vocabulary"   -- "$CLI" sample --model "$work/lm.safetensors" --prime "hel"
expect_exit 2 "--prime"      -- "$CLI" sample --model "$work/lm.safetensors"
expect_exit 2 "--model"      -- "$CLI" sample --prime "床"
expect_exit 2 "temperature"  -- "$CLI" sample --model "$work/lm.safetensors" --prime "床" --temperature -1
expect_exit 0 "" -- "$CLI" train --task adding:length=10 --layers 1 --epochs 1 --save "$work/adding.safetensors"
expect_exit 2 "chars"        -- "$CLI" sample --model "$work/adding.safetensors" --prime "h"

expect_exit 0 "Verdict"      -- "$CLI" experiment adding --quick
expect_exit 0 '"reproduced"' -- "$CLI" experiment temporal_order --quick --json
expect_exit 0 "temporal_order" -- "$CLI" experiment --help
expect_exit 2 "experiments:" -- "$CLI" experiment
expect_exit 2 "nosuch"       -- "$CLI" experiment nosuch
expect_exit 0 "odyssey"      -- "$CLI" experiment --help
expect_exit 0 '"final":true' -- "$CLI" experiment odyssey --quick --json
check "experiment odyssey: one run per variant, then each variant's summary" "$PY" -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin]
names = ["V", "NIG", "NFG", "NOG", "NIAF", "NOAF", "NP", "CIFG", "FGR"]
runs, final = lines[:-1], lines[-1]
ok = [r["variant"] for r in runs] == names and all(r["steps"] == 10 for r in runs)
ok = ok and [v["variant"] for v in final["variants"]] == names
ok = ok and all(v["mean"] == r["metric"] for v, r in zip(final["variants"], runs))
sys.exit(0 if ok else 1)' <"$work/out"
expect_exit 0 "coupled gates" -- "$CLI" experiment odyssey --steps 2 --seeds 2
expect_exit 2 "--seeds"      -- "$CLI" experiment adding --seeds 0

# ------------------------------------------------- writing files safely
# The writer follows symlinks, keeps modes, writes FIFOs and "-" in place.
expect_exit 0 "" -- "$CLI" train --epochs 2 --save "$work/w-real.safetensors"
ln -s w-real.safetensors "$work/w-link.safetensors"
chmod 600 "$work/w-real.safetensors"
expect_exit 0 "" -- "$CLI" train --epochs 3 --save "$work/w-link.safetensors"
check "--save through a symlink keeps the link" test -L "$work/w-link.safetensors"
expect_exit 0 "" -- "$CLI" train --epochs 3 --save "$work/w-direct.safetensors"
check "the symlink's target holds the new model" cmp -s "$work/w-real.safetensors" "$work/w-direct.safetensors"
check "--save keeps an existing file's mode 600" test "$(stat -c %a "$work/w-real.safetensors")" = 600
check "a new file gets 0666 & ~umask" test "$(umask 027; "$CLI" train --epochs 1 --save "$work/w-027.safetensors" >/dev/null; stat -c %a "$work/w-027.safetensors")" = 640
# "-": stdout for the model (the lines go to stderr), stdin for reading it.
"$CLI" train --epochs 3 --save - >"$work/w-stdout.safetensors" 2>"$work/w-stdout.err"
check "--save - exits 0" test $? -eq 0
check "--save - writes the model to stdout" cmp -s "$work/w-stdout.safetensors" "$work/w-direct.safetensors"
check "--save - sends the epoch lines to stderr" grep -qF "Epoch [3/3]" "$work/w-stdout.err"
check "--save - creates no file named -" test ! -e ./-
"$CLI" forward --model "$work/w-direct.safetensors" --tokens 0,1,2 --json >"$work/w-fwd-file.json"
"$CLI" forward --model - --tokens 0,1,2 --json <"$work/w-stdout.safetensors" >"$work/w-fwd-stdin.json"
check "forward --model - reads stdin" cmp -s "$work/w-fwd-file.json" "$work/w-fwd-stdin.json"
check "forward --model - gave output" test -s "$work/w-fwd-stdin.json"
# A FIFO is written into, not replaced.
mkfifo "$work/w-fifo"
cat "$work/w-fifo" >"$work/w-from-fifo" &
catpid=$!
expect_exit 0 "" -- "$CLI" train --epochs 3 --save "$work/w-fifo"
wait "$catpid"
check "--save into a FIFO stays a FIFO" test -p "$work/w-fifo"
check "--save into a FIFO hands the model to its reader" cmp -s "$work/w-from-fifo" "$work/w-direct.safetensors"
# /dev/stdout is written in place, whatever stdout is.
"$CLI" compare --task hello --cells rnn_tanh --seeds 1 --steps 5 --csv /dev/stdout >"$work/w-devstdout.csv" 2>/dev/null
check "--csv /dev/stdout writes stdout" grep -q '^cell,seed,step' "$work/w-devstdout.csv"
check "/dev/stdout is still a link" test -L /dev/stdout
# Temporary files of a process that died are removed by the next save.
sh -c 'exit 0' & deadpid=$!
wait "$deadpid"
: >"$work/.w-direct.safetensors.gstmp.$deadpid.00abcd"
expect_exit 0 "" -- "$CLI" train --epochs 1 --save "$work/w-direct.safetensors"
check "a dead run's temporary file is gone after the next save" \
  test ! -e "$work/.w-direct.safetensors.gstmp.$deadpid.00abcd"
check "no temporary files left in the work directory" \
  test -z "$(find "$work" -name '.*.gstmp.*')"

# ------------------------------------------------ no finished run is lost
# The --save target is checked before training: nothing is printed.
expect_exit 2 "directory" -- "$CLI" train --epochs 1 --save "$work"
check "an unwritable --save stops before the first epoch" test ! -s "$work/out"
expect_exit 2 "Not a directory" -- "$CLI" train --epochs 1 --save "$work/w-direct.safetensors/m"
# SIGINT and SIGTERM finish the step, save, print the summary, exit 128+N.
# (set -m: a background job of a script would otherwise ignore SIGINT.)
for sig in INT TERM; do
  # The last round's output goes first: the loop below would find its
  # epoch 20 before the new run's redirection empties the file, and signal
  # the shell forked for the run before it became the CLI.
  rm -f "$work/w-sig.safetensors" "$work/w-sig.out" "$work/w-sig.err"
  set -m
  "$CLI" train --task adding:length=20 --hidden 8 --epochs 10000000 --json \
    --save "$work/w-sig.safetensors" >"$work/w-sig.out" 2>"$work/w-sig.err" &
  trainpid=$!
  set +m
  for _ in $(seq 100); do
    grep -q '"epoch":20,' "$work/w-sig.out" 2>/dev/null && break
    sleep 0.1
  done
  kill -s "$sig" "$trainpid"
  wait "$trainpid"
  code=$?
  want=130; [ "$sig" = TERM ] && want=143
  check "SIG$sig: exit status $code is $want" test "$code" -eq "$want"
  check "SIG$sig: the model is saved" test -s "$work/w-sig.safetensors"
  check "SIG$sig: the summary is printed" grep -q '^{"final":true' "$work/w-sig.out"
  check "SIG$sig: a message says so" grep -q 'after step' "$work/w-sig.err"
  steps=$(sed -n 's/.*"final":true.*"steps":\([0-9]*\).*/\1/p' "$work/w-sig.out")
  last=$(grep -c '^{"epoch"' "$work/w-sig.out")
  check "SIG$sig: the summary's steps ($steps) are the epochs printed ($last)" test "$steps" = "$last"
done

# ------------------------------------------------- PyTorch files (no PyTorch needed)
if [ -n "${GS_SOURCE_DIR-}" ] && [ -d "$GS_SOURCE_DIR/tests/reference/fixtures/torch" ]; then
  tf=$GS_SOURCE_DIR/tests/reference/fixtures/torch
  expect_exit 0 '"logits"' -- "$CLI" forward --model "$tf/hello.pt" --tokens 1,0,2,2,3 --json --cell rnn_tanh
  cp "$work/out" "$work/pt.json"
  expect_exit 0 '"logits"' -- "$CLI" forward --model "$tf/hello.safetensors" --tokens 1,0,2,2,3 --json --cell rnn_tanh
  check "hello.pt and hello.safetensors give the same logits" cmp -s "$work/out" "$work/pt.json"
  expect_exit 0 '"logits"' -- "$CLI" forward --model "$tf/lstm-other.pt" --tokens 0,4,2 --json
  expect_exit 0 "Epoch [3/3]" -- "$CLI" train --init "$tf/hello.pt" --cell rnn_tanh --epochs 3
  # Bad files: exit 2, the file and the fault named, nothing run.
  expect_exit 2 "evil.pt: its pickle asks for posix.system" -- "$CLI" forward --model "$tf/evil.pt" --tokens 0
  check "the refused pickle ran nothing" test ! -e gatescope-pwned
  expect_exit 2 "--init $tf/lstm-other.pt" -- "$CLI" train --init "$tf/lstm-other.pt" --epochs 1
  expect_exit 2 "vocabulary" -- "$CLI" train --init "$work/rnn_tanh.safetensors" \
                                 --task "charlm:file=$work/poem.txt,length=8" --epochs 1
  expect_exit 2 "not lstm" -- "$CLI" forward --model "$tf/hello.pt" --tokens 0 --cell lstm
  expect_exit 2 "not lstm" -- "$CLI" train --init "$tf/hello.pt" --cell lstm --epochs 1
  head -c 1000 "$tf/hello.pt" >"$work/truncated.pt"
  expect_exit 2 "truncated.pt" -- "$CLI" forward --model "$work/truncated.pt" --tokens 0
fi

# ------------------------------------------------- progress on a terminal
# script(1) gives the CLI a pseudo-terminal; GS_CLI_PROGRESS_DELAY=0 draws
# from the first step (normally after half a second).
if command -v script >/dev/null 2>&1; then
  pty () { GS_CLI_PROGRESS_DELAY=0 script -qec "$*" /dev/null </dev/null >"$work/pty.out" 2>&1; }
  pty "'$CLI' train --task adding:length=10 --hidden 4 --epochs 300"
  check "a long run on a terminal prints one epoch line, the last" \
    test "$(grep -ac 'Epoch \[' "$work/pty.out")" -eq 1
  check "a long run on a terminal draws the progress line" \
    grep -aq 'step [0-9]*/300 · [0-9]* steps/s · .* left · loss ' "$work/pty.out"
  check "the last epoch line comes after the progress line" \
    grep -aq 'Epoch \[300/300\]' "$work/pty.out"
  pty "'$CLI' train --task adding:length=10 --hidden 4 --epochs 300 --log-every 100"
  check "--log-every 100 prints 3 lines on a terminal" test "$(grep -ac 'Epoch \[' "$work/pty.out")" -eq 3
  check "--log-every draws no progress line" sh -c '! grep -aq "steps/s" "$1"' sh "$work/pty.out"
  pty "'$CLI' train --epochs 15"
  check "the hello exercise keeps its 15 lines on a terminal" \
    test "$(grep -ac '^Predicted: .*, Epoch \[[0-9]*/15\] loss = ' "$work/pty.out")" -eq 15
  check "the hello exercise draws no progress line" sh -c '! grep -aq "steps/s" "$1"' sh "$work/pty.out"
  pty "'$CLI' train --task adding:length=10 --hidden 4 --epochs 300 --json"
  check "--json on a terminal draws no progress line" sh -c '! grep -aq "steps/s" "$1"' sh "$work/pty.out"
  pty "'$CLI' compare --task adding:length=10 --cells rnn_tanh,gru --seeds 0 --steps 200"
  check "compare on a terminal draws the progress line" grep -aq 'step 200/200' "$work/pty.out"
fi
GS_CLI_PROGRESS_DELAY=0 "$CLI" train --task adding:length=10 --hidden 4 --epochs 300 >"$work/pipe.out" 2>&1
check "through a pipe or a file, every epoch line is printed" \
  test "$(grep -c '^Epoch \[' "$work/pipe.out")" -eq 300
check "through a pipe or a file, no progress line" sh -c '! grep -q "steps/s" "$1"' sh "$work/pipe.out"
GS_CLI_PROGRESS_DELAY=0 "$CLI" train --task adding:length=10 --hidden 4 --epochs 300 --log-every 100 >"$work/pipe.out"
check "--log-every 100 also thins the lines in a file" test "$(grep -c '^Epoch \[' "$work/pipe.out")" -eq 3
expect_exit 2 "--log-every" -- "$CLI" train --log-every 0

# ------------------------------------------------------------------- step
# check_step T_ENC T_DEC GATES MANY_TO_ONE: the last output is one stepped
# sequence (tests/cli/check-step.py says what is checked).
check_step () {
  if [ -z "$PY" ]; then
    echo "cli: no python3: step JSON checks skipped"
    return
  fi
  check "step --json ($*)" "$PY" "$(dirname "$0")/check-step.py" "$work/out" "$@"
}
expect_exit 0 '"phase":"update"' -- "$CLI" step --task seq2seq:kind=date --cell gru --epochs 300 --json
check_step 10 10 rzn 0
expect_exit 0 '"part":"decoder"' -- "$CLI" step --task seq2seq:kind=reverse --cell gru --epochs 300 --json
check_step 6 6 rzn 0
expect_exit 0 '"part":"encoder"' -- "$CLI" step --task seq2seq:length=4 --cell lstm --layers 2 --json
check_step 4 4 ifgo 0
expect_exit 0 '"phase":"backward"' -- "$CLI" step --task temporal_order:length=20 --cell lstm --json
check_step 20 0 ifgo 1
expect_exit 0 '"phase":"update"' -- "$CLI" step --task adding:length=6 --cell rnn_tanh --json
check_step 6 0 h 1
expect_exit 0 '"reverse"' -- "$CLI" step --bidirectional --cell gru --json
check_step 5 0 rzn 0
# --greedy: the evaluation pass of the same run and sequence (check-step-greedy.py).
for epochs in 0 300; do
  expect_exit 0 '"decode":"teacher"' -- "$CLI" step --task seq2seq:length=5 --cell gru --epochs $epochs --json
  cp "$work/out" "$work/step-teacher"
  expect_exit 0 '"fed_target"' -- "$CLI" step --task seq2seq:length=5 --cell gru --epochs $epochs --json --greedy
  if [ -n "$PY" ]; then
    check "step --greedy --json (epochs $epochs)" \
      "$PY" "$(dirname "$0")/check-step-greedy.py" "$work/out" "$work/step-teacher" 5 5
  fi
done
expect_exit 0 "no backward pass" -- "$CLI" step --task seq2seq:length=3 --greedy
check "step --greedy's table: the forward steps only" \
  sh -c '[ "$(grep -c "^forward" "$1")" -eq 6 ] && ! grep -q "^backward\|^update" "$1"' sh "$work/out"
expect_exit 2 "one model" -- "$CLI" step --task adding --greedy
# a session of an encoder–decoder task: its next sequence, evaluated
expect_exit 0 "" -- "$CLI" train --task seq2seq:length=3 --epochs 3 --save-session "$work/greedy.gssession"
expect_exit 0 "decoded greedily" -- "$CLI" step --model "$work/greedy.gssession" --greedy
expect_exit 0 "decoder" -- "$CLI" step --task seq2seq:kind=date --cell gru --epochs 3
check "step's table: one row per step, then the update" \
  sh -c '[ "$(grep -c "^forward\|^backward" "$1")" -eq 40 ] && grep -q "^update: loss" "$1"' sh "$work/out"
# --model: the saved weights are the trained ones (the same loss as stepping after training).
expect_exit 0 "" -- "$CLI" train --epochs 20 --save "$work/step.safetensors"
expect_exit 0 '"update"' -- "$CLI" step --epochs 20 --json
sed -n '$s/"grad_norm":[^,]*,"epoch":[0-9]*//p' "$work/out" >"$work/step-trained"
expect_exit 0 '"update"' -- "$CLI" step --model "$work/step.safetensors" --json
sed -n '$s/"grad_norm":[^,]*,"epoch":[0-9]*//p' "$work/out" >"$work/step-loaded"
check "step --model steps the saved weights" cmp -s "$work/step-trained" "$work/step-loaded"
expect_exit 2 "decoder"       -- "$CLI" step --model "$work/step.safetensors" --task seq2seq
expect_exit 2 "no-such"       -- "$CLI" step --model "$work/no-such.safetensors"
expect_exit 2 "--epochs"      -- "$CLI" step --epochs -1
expect_exit 1 "bidirectional" -- "$CLI" step --task seq2seq --bidirectional
expect_exit 0 "--model"       -- "$CLI" step --help

# ------------------------------------------------------------------- sessions
# N epochs, --save-session, --resume for M more: the numbers of N + M in one go.
for cell in rnn_tanh lstm gru; do
  expect_exit 0 "" -- "$CLI" train --task adding:length=8 --cell $cell --batch 4 --dropout 0.2 --layers 2 \
    --epochs 12 --json --save "$work/s-one.safetensors"
  grep '^{"epoch"' "$work/out" | sed -n '8,12p' >"$work/s-one.lines"
  expect_exit 0 "" -- "$CLI" train --task adding:length=8 --cell $cell --batch 4 --dropout 0.2 --layers 2 \
    --epochs 7 --json --save-session "$work/s.gatescope"
  expect_exit 0 "" -- "$CLI" train --resume "$work/s.gatescope" --epochs 5 --json --save "$work/s-two.safetensors"
  grep '^{"epoch"' "$work/out" >"$work/s-two.lines"
  check "$cell: resumed epochs 8–12 print what one run printed" cmp -s "$work/s-one.lines" "$work/s-two.lines"
  check "$cell: resumed epochs 8–12 were printed" test "$(wc -l <"$work/s-two.lines")" -eq 5
  check "$cell: the resumed model is the one run's, byte for byte" cmp -s "$work/s-one.safetensors" "$work/s-two.safetensors"
done
# "-": a session through a pipe.
"$CLI" train --epochs 8 --save-session - 2>/dev/null | "$CLI" train --resume - --epochs 7 >"$work/s-pipe.out" 2>&1
check "--save-session - | --resume - goes on" grep -qF "Epoch [15/15]" "$work/s-pipe.out"
# forward, step and sample read sessions.
expect_exit 0 "" -- "$CLI" train --epochs 15 --save "$work/s-m.safetensors" --save-session "$work/s-m.gatescope"
expect_exit 0 '"logits"' -- "$CLI" forward --model "$work/s-m.safetensors" --tokens 0,1,2 --json
cp "$work/out" "$work/s-fwd-model.json"
expect_exit 0 '"logits"' -- "$CLI" forward --model "$work/s-m.gatescope" --tokens 0,1,2 --json
check "forward on a session gives the model file's logits" cmp -s "$work/out" "$work/s-fwd-model.json"
expect_exit 0 "update: loss" -- "$CLI" step --model "$work/s-m.gatescope"
check "step on a session goes on from its epoch" grep -q "epoch 16" "$work/out"
expect_exit 2 "cannot change" -- "$CLI" step --model "$work/s-m.gatescope" --task adding
printf 'the cat sat on the mat\nthe dog sat on the log\n' >"$work/s-corpus.txt"
expect_exit 0 "" -- "$CLI" train --task "charlm:file=$work/s-corpus.txt,length=8" --epochs 3 --save-session "$work/s-lm.gatescope"
rm "$work/s-corpus.txt"
XDG_DATA_HOME="$work/s-data" "$CLI" sample --model "$work/s-lm.gatescope" --prime "the" --length 10 >"$work/out" 2>"$work/err"
check "sample reads a session whose corpus is gone (exit $?)" grep -q '^the' "$work/out"
check "the session's copy of the corpus was written" sh -c 'ls "$1"/gatescope/session-files/*-s-corpus.txt' sh "$work/s-data"
# A session's interventions hold in forward, step and train --resume; the
# JSON says where each came from (the seed of the session fuzz corpus holds
# a clamp, a set-c, an ablation and a weight edit).
if [ -n "${GS_SOURCE_DIR-}" ] && [ -f "$GS_SOURCE_DIR/tests/fuzz/corpus/session/hello-lstm-interventions.gatescope" ]; then
  sv=$GS_SOURCE_DIR/tests/fuzz/corpus/session/hello-lstm-interventions.gatescope
  expect_exit 0 '"from":"session"' -- "$CLI" forward --model "$sv" --tokens 0,1,2 --json
  check "forward applies the session's four interventions" test "$(grep -o '"from":"session"' "$work/out" | wc -l)" = 4
  expect_exit 0 '"from":"option"' -- "$CLI" step --model "$sv" --json --clamp '1:o:*=0'
  check "step: the session's clamp f = 1 beside the option's o = 0" \
    grep -qF '"kind":"clamp","from":"session","layer":1,"gate":"f"' "$work/out"
  check "step: o = 0 from the option holds" grep -qF '"o":[0,0]}' "$work/out"
  expect_exit 0 '"final":true' -- "$CLI" train --resume "$sv" --epochs 2 --json --save-session "$work/s-iv.gatescope"
  check "train --resume trains with the session's interventions" grep -qF '"from":"session","tensor":"fc.bias"' "$work/out"
  check "--save-session keeps the recordings" grep -aqF "recordings.params" "$work/s-iv.gatescope"
  expect_exit 0 '"from":"session"' -- "$CLI" forward --model "$work/s-iv.gatescope" --tokens 0,1,2 --json
  check "--save-session keeps the four interventions" test "$(grep -o '"from":"session"' "$work/out" | wc -l)" = 4
fi
# Bad sessions: exit 2, the file and the fault named.
expect_exit 2 "--hidden cannot change" -- "$CLI" train --resume "$work/s-m.gatescope" --hidden 5
expect_exit 2 "no-such.gatescope" -- "$CLI" train --resume "$work/no-such.gatescope"
head -c 3000 "$work/s-m.gatescope" >"$work/s-cut.gatescope"
expect_exit 2 "s-cut.gatescope" -- "$CLI" train --resume "$work/s-cut.gatescope"
expect_exit 2 "s-cut.gatescope" -- "$CLI" forward --model "$work/s-cut.gatescope" --tokens 0
sed 's/"format_version":"2"/"format_version":"3"/' "$work/s-m.gatescope" >"$work/s-new.gatescope"
expect_exit 2 "newer Gatescope" -- "$CLI" train --resume "$work/s-new.gatescope"
expect_exit 2 "--save-session" -- "$CLI" train --epochs 1 --save-session "$work"
check "an unwritable --save-session stops before the first epoch" test ! -s "$work/out"
# SIGINT saves the session too.
rm -f "$work/s-sig.gatescope"
set -m
"$CLI" train --task adding:length=20 --hidden 8 --epochs 10000000 --json \
  --save-session "$work/s-sig.gatescope" >"$work/s-sig.out" 2>"$work/s-sig.err" &
trainpid=$!
set +m
for _ in $(seq 100); do
  grep -q '"epoch":20,' "$work/s-sig.out" 2>/dev/null && break
  sleep 0.1
done
kill -s INT "$trainpid"
wait "$trainpid"
check "SIGINT with --save-session: exit 130" test "$?" -eq 130
steps=$(grep -c '^{"epoch"' "$work/s-sig.out")
expect_exit 0 "" -- "$CLI" train --resume "$work/s-sig.gatescope" --epochs 1 --json
check "SIGINT: the session holds every epoch printed ($steps)" grep -q "\"epoch\":$((steps + 1))," "$work/out"
# PyTorch-side tools read a session's weights (the safetensors layout, no Gatescope).
if [ -n "$PY" ]; then
  check "a session is safetensors with the model's tensors under PyTorch's names" "$PY" -c '
import json, struct, sys
b = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", b[:8])[0]
h = json.loads(b[8:8 + n])
m = h["__metadata__"]
assert m["format"] == "gatescope-session" and m["format_version"] == "2", m.get("format")
assert json.loads(m["interventions"]) == []
for k in ("emb.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l1", "fc.weight", "fc.bias", "optim.m1", "history.loss"):
    assert h[k]["dtype"] == "F32", k
assert h["history.loss"]["shape"] == [15, 4], h["history.loss"]["shape"]
' "$work/s-m.gatescope"
fi

# Output that cannot be written is a failure, not a success.
if [ -w /dev/full ]; then
  expect_exit 1 "write" -- sh -c '"$1" version >/dev/full' sh "$CLI"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
