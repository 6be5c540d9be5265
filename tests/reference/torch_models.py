#!/usr/bin/python3
"""PyTorch models as students write them, in and out of gatescope-cli.

Run with Debian's python3-torch: /usr/bin/python3 tests/reference/torch_models.py CLI

1. In: for the course's hello model (emb / rnn / fc) and for LSTMs and GRUs
   with other module names (embedding/lstm/out, embed/gru/head, a wrapper's
   encoder.rnn/decoder), one-hot and embedding input, 1-3 layers,
   bidirectional and proj_size, the state_dict is saved with torch.save
   (.pt) and as safetensors under the module's own names; `forward --json`
   must give PyTorch's logits to float32 rounding. An nn.RNN with
   nonlinearity='relu' needs --cell rnn_relu; without it the CLI warns and
   runs tanh.
2. Out: a model trained by gatescope-cli loads into the course's nn.Module
   with load_state_dict(strict=True), by the snippet README.md shows (run
   here as it is written there), and gives the CLI's logits.
3. train --init starts from a .pt's weights: its first loss is PyTorch's.
4. Bad files: a pickled whole module, a pickle that calls os.system, half
   precision, a torch.save of a plain tensor, ambiguous and unrelated
   tensors: exit 2 with a message naming the file and the fault, and
   nothing run.

Only the standard library and torch: safetensors files are written by the
few lines below.
"""

import json
import os
import re
import struct
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn

TOL = 2e-5   # float32 rounding over a few layers of sums
failures = 0
passes = 0


def check(ok, what):
    global failures, passes
    if ok:
        passes += 1
    else:
        failures += 1
        print("FAIL: " + what, file=sys.stderr)


def st_write(path, tensors, metadata=None):
    """tensors: name -> float32 tensor, in order."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def run(cli, *args, stdin=None):
    p = subprocess.run([cli] + list(args), capture_output=True, text=True, stdin=stdin)
    return p.returncode, p.stdout, p.stderr


class Seq(nn.Module):
    """An embedding (or one-hot), a recurrent module and a linear head under
    the given attribute names; names with a dot nest them in a wrapper."""

    def __init__(self, names, cell, V, E, H, L, O, bidirectional=False, proj=0, relu=False):
        super().__init__()
        self.names = names
        self.V = V
        self.one_hot = E == 0
        I = V if self.one_hot else E
        kw = dict(num_layers=L, batch_first=True, bidirectional=bidirectional)
        if cell == "lstm":
            rnn = nn.LSTM(I, H, proj_size=proj, **kw)
        elif cell == "gru":
            rnn = nn.GRU(I, H, **kw)
        else:
            rnn = nn.RNN(I, H, nonlinearity="relu" if relu else "tanh", **kw)
        D = 2 if bidirectional else 1
        mods = {"rnn": rnn, "fc": nn.Linear(D * (proj or H), O)}
        if not self.one_hot:
            mods["emb"] = nn.Embedding(V, E)
        for role, mod in mods.items():
            path = names[role].split(".")
            owner = self
            for part in path[:-1]:
                if not hasattr(owner, part):
                    owner.add_module(part, nn.Module())
                owner = getattr(owner, part)
            owner.add_module(path[-1], mod)

    def mod(self, role):
        m = self
        for part in self.names[role].split("."):
            m = getattr(m, part)
        return m

    def forward(self, x):
        if self.one_hot:
            h = nn.functional.one_hot(x, self.V).float()
        else:
            h = self.mod("emb")(x)
        return self.mod("fc")(self.mod("rnn")(h)[0])


def compare_forward(cli, path, model, tokens, what, extra=()):
    code, out, err = run(cli, "forward", "--model", path, "--tokens", ",".join(map(str, tokens)), "--json",
                         *extra)
    if code != 0:
        check(False, "%s: forward exit %d: %s" % (what, code, err.strip()))
        return None
    got = torch.tensor(json.loads(out)["logits"])
    with torch.no_grad():
        want = model(torch.tensor([tokens]))[0]
    diff = (got - want).abs().max().item()
    check(diff <= TOL, "%s: logits differ by %.3g" % (what, diff))
    return err


def part_in(cli, work):
    torch.manual_seed(0)
    course = {"emb": "emb", "rnn": "rnn", "fc": "fc"}
    others = [
        {"emb": "embedding", "rnn": "lstm", "fc": "out"},
        {"emb": "embed", "rnn": "gru", "fc": "head"},
        {"emb": "encoder.embedding", "rnn": "encoder.rnn", "fc": "decoder"},
        {"emb": "tok", "rnn": "layers.core", "fc": "linear"},
    ]
    # (names, cell, V, E, H, L, O, bidirectional, proj)
    configs = [
        (course, "rnn", 4, 10, 8, 2, 4, False, 0),          # the course's hello model
        (others[0], "lstm", 5, 6, 7, 1, 5, False, 0),
        (others[0], "lstm", 6, 0, 5, 3, 6, False, 0),       # one-hot, 3 layers
        (others[1], "gru", 7, 4, 6, 2, 7, False, 0),
        (others[1], "gru", 5, 0, 4, 1, 3, True, 0),         # one-hot, bidirectional
        (others[2], "lstm", 6, 5, 8, 2, 6, True, 3),        # bidirectional with proj_size
        (others[3], "lstm", 4, 3, 6, 3, 4, False, 2),       # proj_size, 3 layers
        (others[2], "rnn", 5, 4, 6, 3, 5, True, 0),
    ]
    for i, (names, cell, V, E, H, L, O, bi, proj) in enumerate(configs):
        model = Seq(names, cell, V, E, H, L, O, bidirectional=bi, proj=proj)
        with torch.no_grad():
            for p in model.parameters():
                p.uniform_(-0.8, 0.8)
        tokens = [(3 * t + i) % V for t in range(9)]
        what = "%s %s V%d E%d H%d L%d%s%s" % (names["rnn"], cell, V, E, H, L, " bi" if bi else "",
                                           " proj%d" % proj if proj else "")
        sd = model.state_dict()
        pt = os.path.join(work, "m%d.pt" % i)
        st = os.path.join(work, "m%d.safetensors" % i)
        torch.save(sd, pt)
        st_write(st, sd)
        extra = ("--cell", "rnn_tanh") if cell == "rnn" else ()
        compare_forward(cli, pt, model, tokens, what + " (.pt)", extra)
        compare_forward(cli, st, model, tokens, what + " (safetensors)", extra)

    # A training checkpoint: the state_dict under "model_state_dict".
    model = Seq(others[0], "lstm", 5, 6, 7, 1, 5)
    ck = os.path.join(work, "checkpoint.pt")
    torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "loss": 0.25}, ck)
    compare_forward(cli, ck, model, [0, 1, 2, 3, 4], "checkpoint dict")
    # nn.Parameter values (a dict of named_parameters) load as tensors.
    pp = os.path.join(work, "params.pt")
    torch.save(dict(model.named_parameters()), pp)
    compare_forward(cli, pp, model, [4, 3, 2], "dict of nn.Parameter")
    # A float64 model reads as float32.
    model64 = Seq(course, "gru", 4, 3, 5, 1, 4).double()
    p64 = os.path.join(work, "m64.pt")
    torch.save(model64.state_dict(), p64)
    code, out, err = run(cli, "forward", "--model", p64, "--tokens", "1,2,3", "--json")
    if code == 0:
        got = torch.tensor(json.loads(out)["logits"], dtype=torch.float64)
        with torch.no_grad():
            want = model64(torch.tensor([[1, 2, 3]]))[0]
        check((got - want).abs().max().item() <= TOL, "float64 model")
    else:
        check(False, "float64 model: exit %d %s" % (code, err))

    # nn.RNN(nonlinearity='relu'): the weights cannot say so.
    relu = Seq(course, "rnn", 4, 5, 6, 2, 4, relu=True)
    with torch.no_grad():
        for p in relu.parameters():
            p.uniform_(-1, 1)
    rp = os.path.join(work, "relu.pt")
    torch.save(relu.state_dict(), rp)
    compare_forward(cli, rp, relu, [1, 0, 2, 2, 3], "relu RNN with --cell rnn_relu", ("--cell", "rnn_relu"))
    code, out, err = run(cli, "forward", "--model", rp, "--tokens", "1,0,2,2,3", "--json")
    check(code == 0 and "tanh" in err and "warning" in err and "--cell rnn_relu" in err,
          "an RNN file without --cell warns that it runs as tanh: %r" % err)
    code, out, err = run(cli, "forward", "--model", rp, "--tokens", "1,0", "--cell", "lstm")
    check(code == 2 and "not lstm" in err and rp in err, "--cell lstm on an RNN file: %r" % err)


# The README's snippet is run exactly as written there: everything between
# the markers "<!-- snippet: load-into-pytorch -->" and the end of its
# ```python block.
def readme_snippet(name):
    root = os.environ.get("GS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- snippet: %s -->\s*```python\n(.*?)```" % re.escape(name), text, re.S)
    if m is None:
        check(False, "README.md has no snippet %s" % name)
        return None
    return m.group(1)


def part_out(cli, work):
    path = os.path.join(work, "hello.safetensors")
    code, out, err = run(cli, "train", "--cell", "rnn_tanh", "--epochs", "15", "--save", path)
    check(code == 0, "train --save: %s" % err)
    code, out, err = run(cli, "forward", "--model", path, "--tokens", "1,0,2,2,3", "--json")
    check(code == 0, "forward: %s" % err)
    want = torch.tensor(json.loads(out)["logits"])
    snippet = readme_snippet("load-into-pytorch")
    if snippet is None:
        return
    here = os.getcwd()
    os.chdir(work)   # the snippet reads hello.safetensors from the current directory
    try:
        env = {}
        exec(compile(snippet, "README.md snippet", "exec"), env)
    finally:
        os.chdir(here)
    model = env.get("model")
    check(isinstance(model, nn.Module), "the snippet makes `model`")
    if not isinstance(model, nn.Module):
        return
    with torch.no_grad():
        got = model(torch.tensor([[1, 0, 2, 2, 3]])).reshape(-1, want.shape[-1])
    diff = (got - want).abs().max().item()
    check(diff <= TOL, "Gatescope model in PyTorch: logits differ by %.3g" % diff)
    # And back: what PyTorch then saves loads in the CLI with the same logits.
    pt = os.path.join(work, "roundtrip.pt")
    torch.save(model.state_dict(), pt)
    code, out, err = run(cli, "forward", "--model", pt, "--tokens", "1,0,2,2,3", "--json", "--cell", "rnn_tanh")
    check(code == 0 and (torch.tensor(json.loads(out)["logits"]) - want).abs().max().item() <= TOL,
          "round trip Gatescope -> PyTorch -> Gatescope: %s" % err)


def part_init(cli, work):
    torch.manual_seed(3)
    model = Seq({"emb": "emb", "rnn": "lstm", "fc": "fc"}, "lstm", 4, 10, 8, 2, 4)
    pt = os.path.join(work, "init.pt")
    torch.save(model.state_dict(), pt)
    with torch.no_grad():
        logits = model(torch.tensor([[1, 0, 2, 2, 3]]))[0]
        loss = nn.functional.cross_entropy(logits, torch.tensor([3, 1, 2, 3, 2])).item()
    code, out, err = run(cli, "train", "--init", pt, "--epochs", "1")
    m = re.search(r"Epoch \[1/1\] loss = ([0-9.]+)", out)
    check(code == 0 and m is not None and abs(float(m.group(1)) - loss) < 0.0006,
          "train --init: first loss %s, PyTorch's %.4f (%s)" % (m.group(1) if m else None, loss, err))
    code, out, err = run(cli, "train", "--init", pt, "--task", "adding:length=5", "--epochs", "1")
    check(code == 2 and pt in err and "vectors" in err, "--init on a task it does not fit: %r" % err)


class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + Evil.marker,))


def part_bad(cli, work):
    def refused(path, want, what):
        code, out, err = run(cli, "forward", "--model", path, "--tokens", "0")
        check(code == 2 and path in err and want in err and err.count("\n") == 1,
              "%s: exit %d, message %r (wanted %r)" % (what, code, err, want))

    course = {"emb": "emb", "rnn": "rnn", "fc": "fc"}
    model = Seq(course, "lstm", 4, 10, 8, 2, 4)
    whole = os.path.join(work, "whole.pt")
    torch.save(model, whole)
    refused(whole, "state_dict()", "a pickled whole module")

    Evil.marker = os.path.join(work, "pwned")
    evil = os.path.join(work, "evil.pt")
    torch.save({"x": Evil()}, evil)
    refused(evil, "os.system" if os.name != "posix" else "system", "a pickle calling os.system")
    check(not os.path.exists(Evil.marker), "the evil pickle ran nothing")

    half = os.path.join(work, "half.pt")
    torch.save(model.half().state_dict(), half)
    refused(half, "HalfStorage", "half precision")

    tensor = os.path.join(work, "tensor.pt")
    torch.save(torch.zeros(3), tensor)
    refused(tensor, "not a state_dict", "a plain tensor")

    notpt = os.path.join(work, "notes.pt")
    with open(notpt, "wb") as f:
        f.write(b"PK\x03\x04 this is not a zip archive at all")
    refused(notpt, "zip", "a damaged zip")

    trunc = os.path.join(work, "trunc.pt")
    with open(os.path.join(work, "m0.pt"), "rb") as f:
        data = f.read()
    with open(trunc, "wb") as f:
        f.write(data[: len(data) // 2])
    refused(trunc, "", "a truncated .pt")

    # Two weight-only matrices that could each be the embedding.
    sd = dict(Seq({"emb": "embed", "rnn": "lstm", "fc": "out"}, "lstm", 4, 6, 5, 1, 4).state_dict())
    sd["pos.weight"] = torch.zeros(9, 6)
    amb = os.path.join(work, "ambiguous.safetensors")
    st_write(amb, sd)
    refused(amb, "embed.weight and pos.weight", "two embedding candidates")

    sd = dict(Seq({"emb": "embed", "rnn": "lstm", "fc": "out"}, "lstm", 4, 6, 5, 1, 4).state_dict())
    sd["norm.weight"] = torch.ones(5)
    sd["norm.bias"] = torch.zeros(5)
    extra = os.path.join(work, "extra.safetensors")
    st_write(extra, sd)
    refused(extra, "norm.", "a module that is not part of the model")

    sd = {"lstm.weight_ih_l0": torch.zeros(20, 4), "lstm.weight_hh_l0": torch.zeros(20, 5)}
    nohead = os.path.join(work, "nohead.safetensors")
    st_write(nohead, sd)
    refused(nohead, "no output layer", "no head")


def main():
    if len(sys.argv) != 2:
        print("usage: torch_models.py PATH-TO-gatescope-cli", file=sys.stderr)
        return 2
    cli = sys.argv[1]
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory(prefix="gs-torch-models.") as work:
        part_in(cli, work)
        part_out(cli, work)
        part_init(cli, work)
        part_bad(cli, work)
    print("torch-models: %d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
