#!/usr/bin/env python3
"""The cell-variant demonstration of the README ("Cell variants").

Usage: bench/variants.py PATH-TO-gatescope-cli [--seeds N] [--quick]

1. Forget-gate bias 1.0 against 0.0 on a long-lag task: the temporal order
   problem at T = 50 (the settings of `gatescope-cli experiment
   temporal_order`: one-hot input, 4 LSTM units, batch 32, Adam 5e-3,
   clipping 1), from several seeds, each trained until solved or 3000 steps.
2. LSTM with and without a forget gate on continual_reber (Gers, Schmidhuber
   & Cummins 2000): after training, the model reads one unbroken stream of
   embedded Reber strings and the largest |c| of its final cell state is
   reported at several stream lengths; without a forget gate nothing can
   reset c, so it grows with the stream.

Only the standard library and the CLI are used: `train --json` for the runs,
`train --save` and `forward --json` (whose c_n is the cell state after the
stream) for the cell states. The Reber stream is generated here, from the
grammar documented in core/gs-task-reber.c, over the task's vocabulary
B T P S X V E (the saved model's "vocab" metadata).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

# Reber's automaton: inner[state] = {symbol: next state}; state 5 expects E.
B, T, P, S, X, V, E = range(7)
INNER = {0: {T: 1, P: 2}, 1: {S: 1, X: 3}, 2: {T: 2, V: 4}, 3: {X: 2, S: 5}, 4: {P: 3, V: 5}}


def embedded_reber(rng):
    """One embedded Reber string: B, T|P, B <inner> E, the same T|P, E."""
    branch = rng.choice((T, P))
    out = [B, branch, B]
    state = 0
    while state != 5:
        symbol, state = rng.choice(sorted(INNER[state].items()))
        out.append(symbol)
    return out + [E, branch, E]


def reber_stream(n, seed):
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        out += embedded_reber(rng)
    return out[:n]


def run(cli, *args):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", LC_ALL="C.UTF-8")
    r = subprocess.run([cli] + [str(a) for a in args], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit("%s %s: %s" % (cli, " ".join(map(str, args)), r.stderr.strip()))
    return r.stdout


def final_json(out):
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")][-1]


def forget_bias(cli, seeds, steps):
    print("## forget-gate bias on temporal_order:length=50,bits=2 (LSTM, 4 units)")
    print("%-16s %8s %14s %16s %s" % ("forget bias", "solved", "median steps", "mean accuracy", "per seed (steps or final accuracy)"))
    for fb in ("1.0", "0.0"):
        rows = []
        for seed in range(seeds):
            f = final_json(run(cli, "train", "--task", "temporal_order:length=50,bits=2", "--cell", "lstm",
                               "--embed", 0, "--hidden", 4, "--layers", 1, "--batch", 32, "--lr", 0.005,
                               "--clip", 1, "--epochs", steps, "--seed", seed, "--forget-bias", fb,
                               "--json", "--eval-every", 250, "--until-solved"))
            rows.append(f)
        solved = [r["steps"] for r in rows if r["solved"]]
        med = statistics.median(solved) if solved else float("nan")
        acc = statistics.mean(r["accuracy"] for r in rows)
        per = " ".join(str(r["steps"]) if r["solved"] else "%.2f" % r["accuracy"] for r in rows)
        print("%-16s %5d/%-2d %14s %16.3f %s" % (fb, len(solved), len(rows),
                                                 "%.0f" % med if solved else "-", acc, per))
    print()


def continual_reber(cli, seeds, steps):
    lengths = (1000, 3000, 10000)
    print("## LSTM with and without a forget gate on continual_reber (8 units, %d steps)" % steps)
    print("%-18s %10s   %s" % ("cell", "accuracy", "max |c| after a stream of " +
                                ", ".join(str(n) for n in lengths) + " steps (mean over seeds)"))
    with tempfile.TemporaryDirectory() as tmp:
        for label, flags in (("forget gate", ["--forget-bias", "1"]), ("no forget gate", ["--no-forget-gate"])):
            accs, growth = [], {n: [] for n in lengths}
            for seed in range(seeds):
                model = os.path.join(tmp, "m%d.safetensors" % seed)
                f = final_json(run(cli, "train", "--task", "continual_reber", "--cell", "lstm", "--embed", 0,
                                   "--hidden", 8, "--layers", 1, "--batch", 16, "--lr", 0.01, "--clip", 1,
                                   "--epochs", steps, "--seed", seed, "--json", "--save", model, *flags))
                accs.append(f["accuracy"])
                stream = reber_stream(max(lengths), 1000 + seed)
                for n in lengths:
                    out = json.loads(run(cli, "forward", "--model", model, "--json",
                                         "--tokens", ",".join(map(str, stream[:n]))))
                    growth[n].append(max(abs(v) for v in out["c_n"][0]))
            print("%-18s %10.3f   %s" % (label, statistics.mean(accs),
                                         "  ".join("%8.1f" % statistics.mean(growth[n]) for n in lengths)))
            print("%-18s %10s   per seed: %s" % ("", "", "; ".join(
                "%.3f acc, |c| %s" % (accs[i], "/".join("%.1f" % growth[n][i] for n in lengths))
                for i in range(seeds))))
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cli")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="few steps: checks that the script runs")
    args = ap.parse_args()
    forget_bias(args.cli, args.seeds, 40 if args.quick else 3000)
    continual_reber(args.cli, min(args.seeds, 5), 20 if args.quick else 3000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
