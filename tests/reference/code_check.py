"""code_check.py — the code panel's PyTorch code, executed (Debian's python3-torch).

    /usr/bin/python3 code_check.py GATESCOPE_CLI

For a spread of settings (cells, layers, one-hot or embedded input,
bidirectional, projection, dropout, initialisations), runs the PyTorch code
that `gatescope-cli code` writes and checks that
  - it builds, and its parameter count, sum(p.numel()), is the one
    `gatescope-cli shapes --json` reports;
  - it loads, with load_state_dict(strict=True), the weights of a model
    `gatescope-cli train --save` wrote (read with the small safetensors
    reader below: Debian has no safetensors package);
  - its logits on "hello" equal `gatescope-cli forward --json`'s.
Exits 1 on the first failure, with what differed.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

import torch

TOL = 1e-5
TOKENS = [1, 0, 2, 2, 3]   # h e l l o

CASES = [
    ["--cell", "rnn_tanh"],
    ["--cell", "rnn_relu", "--embed", "0", "--layers", "1", "--hidden", "6"],
    ["--cell", "lstm", "--layers", "3", "--hidden", "7", "--embed", "5"],
    ["--cell", "gru", "--bidirectional"],
    ["--cell", "lstm", "--proj", "3", "--hidden", "6", "--bidirectional"],
    ["--cell", "lstm", "--dropout", "0.3", "--layers", "2", "--embed", "0"],
    ["--cell", "lstm", "--forget-bias", "1", "--layers", "1"],
    ["--cell", "rnn_tanh", "--irnn", "--layers", "1", "--hidden", "5"],
    ["--cell", "gru", "--layers", "3", "--hidden", "4", "--embed", "0"],
    ["--task", "charlm", "--cell", "lstm", "--layers", "1", "--hidden", "16", "--embed", "8"],
]

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16}


def read_safetensors(path):
    """The tensors of a safetensors file: an 8-byte little-endian header
    length, a JSON header {name: {dtype, shape, data_offsets}}, the data."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"]).clone()
    return tensors


def run(cli, *args):
    r = subprocess.run([cli, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"code_check: {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def check(cli, opts, work):
    what = " ".join(opts)
    code = run(cli, "code", *opts)
    total = json.loads(run(cli, "shapes", "--json", *opts))["total"]
    path = os.path.join(work, "m.safetensors")
    run(cli, "train", *opts, "--epochs", "3", "--save", path)
    ours = json.loads(run(cli, "forward", "--model", path, "--tokens", ",".join(map(str, TOKENS)), "--json"))

    namespace = {"__name__": "gatescope_code"}
    with open(os.devnull, "w") as null:
        saved, sys.stdout = sys.stdout, null
        try:
            exec(compile(code, f"<code {what}>", "exec"), namespace)
        finally:
            sys.stdout = saved
    model = namespace["model"]
    params = dict(model.rnn.named_parameters())
    if "--forget-bias" in opts:
        b = float(opts[opts.index("--forget-bias") + 1])
        H = model.rnn.hidden_size
        if not (torch.all(params["bias_ih_l0"][H:2 * H] == b) and torch.all(params["bias_hh_l0"][H:2 * H] == 0)):
            sys.exit(f"code_check: {what}: the code does not start b_if at {b} and b_hf at 0")
    if "--irnn" in opts and not torch.equal(params["weight_hh_l0"], torch.eye(model.rnn.hidden_size)):
        sys.exit(f"code_check: {what}: the code does not start W_hh at the identity")
    n = sum(p.numel() for p in model.parameters())
    if n != total:
        sys.exit(f"code_check: {what}: PyTorch counts {n} parameters, shapes says {total}")
    state = read_safetensors(path)
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        logits = model(torch.tensor(TOKENS).reshape(len(TOKENS), 1))[:, 0, :]
    want = torch.tensor(ours["logits"], dtype=torch.float32)
    diff = (logits - want).abs().max().item()
    if diff > TOL:
        sys.exit(f"code_check: {what}: the logits differ by {diff:.3g} (tolerance {TOL})")
    print(f"ok: {what or 'defaults'}: {n} parameters, logits within {diff:.2g}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: code_check.py GATESCOPE_CLI")
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as work:
        for opts in CASES:
            check(sys.argv[1], opts, work)
    print(f"code_check: {len(CASES)} settings passed")


if __name__ == "__main__":
    main()
