#!/usr/bin/python3
"""torch_bench.py — the PyTorch side of `gatescope-cli bench`.

Runs the same configurations as app/gs-cli-bench.c on PyTorch (one thread)
and prints the same JSON, one object per configuration:

  hello   the course model (nn.Embedding(4, 10), nn.RNN/LSTM/GRU(10, 8, 2),
          nn.Linear(8, 4), CrossEntropyLoss, Adam 0.05): one full training
          step (zero_grad, forward, loss, backward, step): steps/s
  charlm  one-hot input (F.one_hot(…).float()), nn.RNN/LSTM/GRU(65, H, 1),
          nn.Linear(H, 65), T 64, B 32, CrossEntropyLoss, Adam 2e-3,
          clip_grad_norm_(5), batches drawn from a seeded synthetic token
          stream: tokens/s
  step    nn.RNNCell/LSTMCell/GRUCell(65, H) and nn.Linear(H, 65) plus the
          softmax, one timestep at batch 1 under torch.no_grad() — the same
          work as gs_model_forward_step: µs per timestep

Timing (on the process's CPU-time clock), GFLOP/s and the keys are those
of gs-cli-bench.c (read its header comment). Run it with Debian's
interpreter: /usr/bin/python3.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CHARLM_V, CHARLM_T, CHARLM_B = 65, 64, 32
CHARLM_LR, CHARLM_CLIP, CHARLM_STREAM = 2e-3, 5.0, 65536
STEP_T = 1024
CHARLM_SIZES = [32, 128, 256, 512]
STEP_SIZES = [8, 64, 256]
HELLO_CELLS = ["rnn_tanh", "rnn_relu", "lstm", "gru"]
CHARLM_CELLS = ["rnn_tanh", "lstm", "gru"]
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}


def make_rnn(cell, input_size, hidden, layers):
    if cell == "lstm":
        return nn.LSTM(input_size, hidden, layers)
    if cell == "gru":
        return nn.GRU(input_size, hidden, layers)
    return nn.RNN(input_size, hidden, layers, nonlinearity=cell[4:])


def make_cell(cell, input_size, hidden):
    if cell == "lstm":
        return nn.LSTMCell(input_size, hidden)
    if cell == "gru":
        return nn.GRUCell(input_size, hidden)
    return nn.RNNCell(input_size, hidden, nonlinearity=cell[4:])


def forward_flops_per_token(cell, input_size, hidden, layers, outputs):
    """2 × multiply-adds of the weight products of one timestep (gs-cli-bench.c)."""
    G, H = GATES[cell], hidden
    flops = 2.0 * outputs * H
    for k in range(layers):
        flops += 2.0 * G * H * ((H if k > 0 else input_size) + H)
    return flops


# ----------------------------------------------------------------- timing

def run_round(fn, min_time, chunk):
    """At least min_time seconds (and one iteration); chunks double while
    they take under a millisecond. Returns (iterations/s, chunk)."""
    start = time.process_time()
    done = 0
    while True:
        t0 = time.process_time()
        fn(chunk)
        done += chunk
        end = time.process_time()
        if end - t0 < 1e-3 and chunk < (1 << 30):
            chunk *= 2
        if end - start >= min_time:
            return done / (end - start), chunk


def measure(fn, rounds, min_time):
    _, chunk = run_round(fn, min_time / 2, 1)  # warm-up
    rates = []
    for _ in range(rounds):
        rate, chunk = run_round(fn, min_time, chunk)
        rates.append(rate)
    rates.sort()
    n = len(rates)
    median = rates[n // 2] if n % 2 else 0.5 * (rates[n // 2 - 1] + rates[n // 2])
    return median, rates[0], rates[-1]


def report(args, bench, kind, cell, hidden, layers, batch, seq_len, rate, flops_per_token):
    median, lo, hi = rate
    timestep = bench == "step"
    tokens_per_iter = 1 if timestep else seq_len * batch
    flops = flops_per_token * (1.0 if timestep else 3.0)
    gflops = median * tokens_per_iter * flops * 1e-9
    if bench == "hello":
        key, fig, fmin, fmax = "steps_per_s", median, lo, hi
    elif timestep:
        key, fig, fmin, fmax = "us_per_timestep", 1e6 / median, 1e6 / hi, 1e6 / lo
    else:
        key, fig, fmin, fmax = ("tokens_per_s", median * tokens_per_iter,
                                lo * tokens_per_iter, hi * tokens_per_iter)
    d = {
        "engine": "pytorch", "bench": bench, "kind": kind, "cell": cell,
        "hidden": hidden, "layers": layers, "batch": batch, "seq_len": seq_len,
        "threads": torch.get_num_threads(), "clock": "cpu",
        key: fig, "min": fmin, "max": fmax, "spread_pct": 100.0 * (fmax - fmin) / fig,
        "gflops": gflops, "rounds": args.rounds, "min_time": args.min_time,
        "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "torch": torch.__version__,
    }
    print(json.dumps(d), flush=True)


# ----------------------------------------------------------------- suites

def bench_hello(args, cell):
    torch.manual_seed(0)
    emb = nn.Embedding(4, 10)
    rnn = make_rnn(cell, 10, 8, 2)
    fc = nn.Linear(8, 4)
    params = list(emb.parameters()) + list(rnn.parameters()) + list(fc.parameters())
    opt = torch.optim.Adam(params, lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.tensor([[1], [0], [2], [2], [3]])   # h e l l o, (T, B)
    y = torch.tensor([3, 1, 2, 3, 2])             # o h l o l

    def run(n):
        for _ in range(n):
            opt.zero_grad()
            out, _ = rnn(emb(x))
            loss = loss_fn(fc(out).view(-1, 4), y)
            loss.backward()
            opt.step()

    rate = measure(run, args.rounds, args.min_time)
    report(args, "hello", "train", cell, 8, 2, 1, 5, rate,
           forward_flops_per_token(cell, 10, 8, 2, 4))


def bench_charlm(args, cell, H):
    T, B, V = CHARLM_T, CHARLM_B, CHARLM_V
    torch.manual_seed(0)
    rnn = make_rnn(cell, V, H, 1)
    fc = nn.Linear(H, V)
    params = list(rnn.parameters()) + list(fc.parameters())
    opt = torch.optim.Adam(params, lr=CHARLM_LR)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(0)
    stream = torch.randint(0, V, (CHARLM_STREAM,), generator=g)
    steps = torch.arange(T).unsqueeze(1)   # (T, 1)

    def run(n):
        for _ in range(n):
            offsets = torch.randint(0, CHARLM_STREAM - T - 1, (B,), generator=g)
            idx = steps + offsets                       # (T, B)
            x = F.one_hot(stream[idx], V).float()       # (T, B, V)
            y = stream[idx + 1]
            opt.zero_grad()
            out, _ = rnn(x)
            loss = loss_fn(fc(out).view(-1, V), y.view(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(params, CHARLM_CLIP)
            opt.step()

    rate = measure(run, args.rounds, args.min_time)
    # The one-hot input product counts as 0, as in ours (a gather).
    report(args, "charlm", "train", cell, H, 1, B, T, rate,
           forward_flops_per_token(cell, 0, H, 1, V))


def bench_step(args, cell, H):
    V = CHARLM_V
    torch.manual_seed(0)
    rnn = make_cell(cell, V, H)
    fc = nn.Linear(H, V)
    g = torch.Generator().manual_seed(0)
    xs = F.one_hot(torch.randint(0, V, (STEP_T,), generator=g), V).float().unsqueeze(1)  # (T, 1, V)
    state = {"t": 0, "h": None}

    def reset():
        z = torch.zeros(1, H)
        state["t"] = 0
        state["h"] = (z, z.clone()) if cell == "lstm" else z

    reset()

    def run(n):
        with torch.no_grad():
            for _ in range(n):
                if state["t"] == STEP_T:
                    reset()
                h = rnn(xs[state["t"]], state["h"])
                state["h"] = h
                torch.softmax(fc(h[0] if cell == "lstm" else h), dim=1)
                state["t"] += 1

    rate = measure(run, args.rounds, args.min_time)
    report(args, "step", "infer", cell, H, 1, 1, 1, rate,
           forward_flops_per_token(cell, 0, H, 1, V))


def main():
    ap = argparse.ArgumentParser(description="PyTorch side of gatescope-cli bench")
    ap.add_argument("--suite", choices=["hello", "charlm", "step", "all"], default="all")
    ap.add_argument("--cell", choices=list(GATES))
    ap.add_argument("--hidden", type=int)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.3)
    ap.add_argument("--quick", action="store_true",
                    help="3 rounds of 0.02 s: a smoke test, not a measurement")
    ap.add_argument("--json", action="store_true", help="accepted for symmetry; output is always JSON")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.min_time = 3, 0.02

    torch.set_num_threads(1)
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        print("torch_bench.py: warning: OPENBLAS_NUM_THREADS is not 1", file=sys.stderr)

    suites = ["hello", "charlm", "step"] if args.suite == "all" else [args.suite]
    if "hello" in suites:
        for cell in [args.cell] if args.cell else HELLO_CELLS:
            bench_hello(args, cell)
    if "charlm" in suites:
        for cell in [args.cell] if args.cell else CHARLM_CELLS:
            for H in [args.hidden] if args.hidden else CHARLM_SIZES:
                bench_charlm(args, cell, H)
    if "step" in suites:
        for cell in [args.cell] if args.cell else CHARLM_CELLS:
            for H in [args.hidden] if args.hidden else STEP_SIZES:
                bench_step(args, cell, H)


if __name__ == "__main__":
    main()
