#!/usr/bin/python3
"""check-step.py OUT T_ENC T_DEC GATES MANY_TO_ONE — the JSON of one
sequence stepped by `gatescope-cli step --json`: the phases, parts and
timesteps, the targets, the gates and the gradients."""
import json
import math
import sys

path, T, M, gates, many_to_one = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
steps = [json.loads(line) for line in open(path, encoding="utf-8")]
bad = []


def want(cond, msg):
    if not cond:
        bad.append(msg)


for s in steps:
    for k in ("phase", "part", "t", "input", "target", "loss", "top", "layers"):
        want(k in s, "key %s missing in a %s step" % (k, s.get("phase")))
fwd = [s for s in steps if s["phase"] == "forward"]
bwd = [s for s in steps if s["phase"] == "backward"]
upd = [s for s in steps if s["phase"] == "update"]
want([s["phase"] for s in steps] == ["forward"] * (T + M) + ["backward"] * (T + M) + ["update"],
     "order of the phases: %s" % [s["phase"] for s in steps])
if M > 0:
    want([(s["part"], s["t"]) for s in fwd]
         == [("encoder", t) for t in range(T)] + [("decoder", t) for t in range(M)],
         "forward parts and timesteps")
    want([(s["part"], s["t"]) for s in bwd]
         == [("decoder", t) for t in reversed(range(M))] + [("encoder", t) for t in reversed(range(T))],
         "backward parts and timesteps")
    dec = [s for s in fwd if s["part"] == "decoder"]
    want(len(dec) == M and all(s["target"] is not None and s["target"]["char"] for s in dec),
         "every decoder step has a target")
    want(all(s["target"] is None and s["top"] == [] for s in fwd if s["part"] == "encoder"),
         "encoder steps have no target and no prediction")
    want(dec[0]["input"]["char"] == "<s>", "the decoder starts from <s>")
    want(all(dec[t]["input"]["token"] == dec[t - 1]["target"]["token"] for t in range(1, M)),
         "teacher forcing: the decoder reads the previous target")
    want(all(isinstance(s["loss"], float) for s in dec), "the loss counts from the first decoder step")
    want(all(len(s["top"]) > 0 for s in dec), "decoder steps show their predictions")
    # dL/dh at the encoder's t = 0 came through the hand-over from the decoder.
    want(any(abs(x) > 0 for x in bwd[-1]["layers"][-1]["dh"]), "the encoder receives the decoder's gradient")
else:
    want([s["part"] for s in steps] == [None] * (2 * T + 1), "one model: part is null")
    want([s["t"] for s in fwd] == list(range(T)) and [s["t"] for s in bwd] == list(reversed(range(T))),
         "timesteps")
if many_to_one:
    want(all(s["target"] is None and s["loss"] is None for s in fwd[:-1]), "N→1: no target before the last step")
    want(fwd[-1]["target"] is not None and isinstance(fwd[-1]["loss"], float), "N→1: a target at the last step")
for s in fwd + bwd:
    for layer in s["layers"]:
        want(sorted(layer["gates"]) == sorted(gates), "gates %s, expected %s" % (sorted(layer["gates"]), gates))
        H = len(layer["h"])
        want(H > 0 and all(len(v) == H for v in layer["gates"].values()), "gate sizes")
        want(("c" in layer) == ("o" in gates), "c exactly for the LSTM")
        want(("dh" in layer) == (s["phase"] == "backward"), "dh exactly on backward steps")
        want(("dc" in layer) == (s["phase"] == "backward" and "o" in gates), "dc on LSTM backward steps")
    ps = [p["p"] for p in s["top"]]
    want(ps == sorted(ps, reverse=True) and sum(ps) <= 1.0 + 1e-5, "top predictions sorted by p")
want(len(upd) == 1 and isinstance(upd[0]["loss"], float) and math.isfinite(upd[0]["grad_norm"]), "one update")
want(upd and upd[0]["loss"] == fwd[-1]["loss"], "the update reports the sequence's loss")
for b in dict.fromkeys(bad):
    print("check-step:", b)
sys.exit(1 if bad else 0)
