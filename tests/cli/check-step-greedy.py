#!/usr/bin/python3
"""check-step-greedy.py GREEDY TEACHER T_ENC T_DEC — an encoder–decoder's
evaluation pass by `gatescope-cli step --greedy --json` (GREEDY), beside the
training pass of the same run and sequence (TEACHER): forward steps only;
each decoder step fed the argmax of the step before (<s> first), named in
"fed", with "fed_target" saying whether that is the target of the step
before; the encoder and the decoder's first step compute what the training
pass computes (same weights, same input)."""
import json
import sys

greedy_path, teacher_path, T, M = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
greedy = [json.loads(line) for line in open(greedy_path, encoding="utf-8")]
teacher = [json.loads(line) for line in open(teacher_path, encoding="utf-8")]
bad = []


def want(cond, msg):
    if not cond:
        bad.append(msg)


want([(s["phase"], s["part"], s["t"]) for s in greedy]
     == [("forward", "encoder", t) for t in range(T)] + [("forward", "decoder", t) for t in range(M)],
     "a greedy pass is the forward steps only: %s" % [(s["phase"], s["part"], s["t"]) for s in greedy])
want(all(s.get("decode") == "greedy" for s in greedy), "every step says decode greedy")
want(all(s.get("decode") == "teacher" for s in teacher if s["part"] is not None), "training says teacher")
dec = [s for s in greedy if s["part"] == "decoder"]
want(all("fed" in s and "fed_target" in s for s in dec), "decoder steps name the token fed")
want(all("fed" not in s for s in greedy if s["part"] == "encoder"), "encoder steps feed nothing")
if len(dec) == M and all("fed" in s for s in dec):
    want(dec[0]["fed"]["char"] == "<s>" and dec[0]["fed_target"] is True, "the first decoder step reads <s>")
    for t in range(1, M):
        argmax = dec[t - 1]["top"][0]["token"]
        want(dec[t]["fed"]["token"] == argmax,
             "decoder step %d fed %s, the argmax of step %d is %s" % (t, dec[t]["fed"], t - 1, argmax))
        want(dec[t]["fed"] == dec[t]["input"], "fed is the input at %d" % t)
        want(dec[t]["fed_target"] == (dec[t]["fed"]["token"] == dec[t - 1]["target"]["token"]),
             "fed_target at %d" % t)
    tdec = [s for s in teacher if s["phase"] == "forward" and s["part"] == "decoder"]
    want(all(s["fed_target"] is True for s in tdec), "teacher forcing feeds the targets")
    # the same weights and the same source: the encoder and step 0 agree
    tfwd = [s for s in teacher if s["phase"] == "forward"]
    want([s["layers"] for s in greedy[:T + 1]] == [s["layers"] for s in tfwd[:T + 1]],
         "the encoder and the first decoder step compute what training computes")
    print("greedy fed:", " ".join(s["fed"]["char"] for s in dec),
          "| targets:", " ".join(s["target"]["char"] for s in dec),
          "| fed_target:", [s["fed_target"] for s in dec])
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
