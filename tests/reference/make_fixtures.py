#!/usr/bin/python3
"""Writes the PyTorch reference set that tests/core/test-parity.c checks the engine against.

Run with Debian's python3-torch (1.13): /usr/bin/python3 tests/reference/make_fixtures.py

For every fixture NAME two safetensors files are written:

  NAME.model.safetensors     the initial parameters under their state_dict names
                             (emb.weight, rnn.weight_ih_l{k}, …, fc.bias) and the
                             metadata "cell" and "input";
  NAME.expected.safetensors  what PyTorch computes from them on one batch: tokens,
                             targets, logits, loss, h_n, c_n (LSTM), grad.<param>,
                             adam_losses (the loss before each of 10 Adam steps)
                             and adam_final.<param> (the parameters after them),
                             adam_spread_losses (10,) and adam_spread_params (one
                             per tensor, ordered as the "params" metadata): how far
                             PyTorch's own trajectory moves when its rounding changes,
                             and adam_kink_step (see RELU_MARGIN).

Besides the plain cells, variant fixtures (names ending in _proj{P}, _bi,
_bi_proj{P}, _dropout{p}; see variants_for) cover what PyTorch has of the
cell variants: LSTM proj_size, bidirectional layers, and stacked layers with
dropout configured (run in eval mode, so without it; the model file carries
"dropout" in its metadata). Their expected files add the metadata "proj",
"bidirectional" and "dropout"; h_n is (L·D, B, P) and c_n (L·D, B, H) as
PyTorch returns them.

plus DIR/index.txt, one fixture name per line. With --convergence the seed task
of the course is also trained for every cell and seeds 0–9, and the number of
epochs until the prediction first reads "ohlol" goes to DIR/convergence.json.

Only the standard library and torch are used: the safetensors files are
written (and read back, as a check) by the few lines below.
"""

import argparse
import json
import os
import random
import struct
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

ADAM_LR = 0.05
ADAM_STEPS = 10
RELU_MARGIN = 30.0

# The course's seed task: "hello" → "ohlol" over the vocabulary e, h, l, o.
HELLO_TOKENS = [1, 0, 2, 2, 3]   # h e l l o
OHLOL_TARGETS = [3, 1, 2, 3, 2]  # o h l o l

CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru")
INPUTS = ("embed", "onehot")
LAYERS = (1, 2, 3)


# --- safetensors, by hand ---------------------------------------------------

def st_write(path, tensors, metadata):
    """Writes F32 tensors (name → torch tensor, in order) and string metadata.

    Layout: u64 LE header length N, N bytes of JSON (padded with spaces to a
    multiple of 8), then the raw little-endian float32 data.
    """
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        values = t.detach().to(torch.float32).contiguous().view(-1).tolist()
        blob = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    # Same-directory temp file, then rename: a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    with os.fdopen(fd, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


def st_read(path):
    """Reads back what st_write wrote: (name → (shape, list of floats), metadata)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    body = data[8 + n:]
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", (path, name)
        b, e = info["data_offsets"]
        values = list(struct.unpack("<%df" % ((e - b) // 4), body[b:e]))
        numel = 1
        for d in info["shape"]:
            numel *= d
        assert numel == len(values), (path, name)
        tensors[name] = (info["shape"], values)
    return tensors, meta


# --- the model ----------------------------------------------------------------

class SeedModel(nn.Module):
    """The course's model: [Embedding] → RNN/LSTM/GRU (time-major) → Linear.

    variant: the cell variants PyTorch has — {"proj": P} (LSTM proj_size),
    {"bidirectional": True}, {"dropout": p} (between layers; the fixtures
    run in eval mode, where PyTorch applies none). Empty: the plain model,
    constructed exactly as before variants existed."""

    def __init__(self, cell, input_kind, V, E, H, L, O, variant=None):
        super().__init__()
        variant = variant or {}
        self.cell, self.input_kind, self.V = cell, input_kind, V
        # Construction order (emb, rnn, fc) fixes what torch.manual_seed gives each.
        if input_kind == "embed":
            self.emb = nn.Embedding(V, E)
            I = E
        else:
            I = V
        kw = {}
        if variant.get("bidirectional"):
            kw["bidirectional"] = True
        if variant.get("dropout"):
            kw["dropout"] = variant["dropout"]
        if variant.get("proj"):
            kw["proj_size"] = variant["proj"]
        if cell in ("rnn_tanh", "rnn_relu"):
            self.rnn = nn.RNN(I, H, num_layers=L, nonlinearity=cell[4:], **kw)
        elif cell == "lstm":
            self.rnn = nn.LSTM(I, H, num_layers=L, **kw)
        else:
            self.rnn = nn.GRU(I, H, num_layers=L, **kw)
        D = 2 if variant.get("bidirectional") else 1
        self.fc = nn.Linear(D * (variant.get("proj") or H), O)

    def forward(self, tokens):
        # tokens (T, B) → logits (T, B, O); hidden state starts at zeros.
        if self.input_kind == "embed":
            x = self.emb(tokens)
        else:
            # .float() in the course; the dtype of the weights here, so that
            # the same model also runs in float64 (see make_fixture).
            x = F.one_hot(tokens, self.V).to(self.fc.weight.dtype)
        out, state = self.rnn(x)
        return self.fc(out), state


def relu_inputs(model, tokens, dtype):
    """Every ReLU input of a forward, (L·D·T, B, H), computed in dtype by a
    plain recurrence (nn.RNN does not expose them); the reverse direction
    of a bidirectional layer runs from T−1 down to 0."""
    with torch.no_grad():
        if model.input_kind == "embed":
            x = model.emb.weight.to(dtype)[tokens]
        else:
            x = F.one_hot(tokens, model.V).to(dtype)
        dirs = ("", "_reverse") if model.rnn.bidirectional else ("",)
        T = x.shape[0]
        out = []
        for k in range(model.rnn.num_layers):
            ys_dirs = []
            for sfx in dirs:
                W_ih, W_hh, b_ih, b_hh = (getattr(model.rnn, "%s_l%d%s" % (n, k, sfx)).to(dtype) for n in
                                          ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
                h = torch.zeros(x.shape[1], W_hh.shape[1], dtype=dtype)
                ys = [None] * T
                for t in (range(T - 1, -1, -1) if sfx else range(T)):
                    pre = x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh
                    h = torch.relu(pre)
                    out.append(pre)
                    ys[t] = h
                ys_dirs.append(torch.stack(ys))
            x = torch.cat(ys_dirs, dim=2)
        return torch.stack(out).double()


def adam_trajectory(model, tokens, targets, relu=None):
    """ADAM_STEPS × (zero_grad, forward, backward, step) on one batch: the
    loss before every step and the parameters after the last one. With
    relu (a list), also every step's ReLU inputs (relu_inputs)."""
    opt = torch.optim.Adam(model.parameters(), lr=ADAM_LR)
    losses = []
    for _ in range(ADAM_STEPS):
        if relu is not None:
            relu.append(relu_inputs(model, tokens, model.fc.weight.dtype))
        opt.zero_grad()
        logits, _ = model(tokens)
        loss = cross_entropy(logits, targets)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, {k: p.detach().clone() for k, p in model.named_parameters()}


def cross_entropy(logits, targets):
    return nn.CrossEntropyLoss()(logits.view(-1, logits.shape[-1]), targets.view(-1))


# --- fixtures -------------------------------------------------------------------

def make_fixture(out_dir, name, cell, input_kind, size, seed, variant=None):
    V, E, H, T, B = size["V"], size["E"], size["H"], size["T"], size["B"]
    L, O = size["L"], V
    variant = variant or {}
    if input_kind == "onehot":
        E = 0
    torch.manual_seed(seed)
    model = SeedModel(cell, input_kind, V, E, H, L, O, variant)
    # Dropout is a training-time switch: the fixtures check the model that
    # has it configured but evaluates without it (PyTorch's eval mode).
    if variant.get("dropout"):
        model.eval()
    if size.get("hello"):
        tokens = torch.tensor(HELLO_TOKENS).view(T, B)
        targets = torch.tensor(OHLOL_TARGETS).view(T, B)
    else:
        tokens = torch.randint(0, V, (T, B))
        targets = torch.randint(0, O, (T, B))

    meta = {"cell": cell, "input": input_kind}
    # The projection and bidirectional layers the engine reads from the
    # tensors PyTorch wrote; dropout is not in a state_dict.
    if variant.get("dropout"):
        meta["dropout"] = variant["dropout"]
    path = os.path.join(out_dir, name + ".model.safetensors")
    st_write(path, model.state_dict(), meta)
    check_readback(path, model.state_dict(), meta)

    expected = {"tokens": tokens.float(), "targets": targets.float()}
    logits, state = model(tokens)
    loss = cross_entropy(logits, targets)
    model.zero_grad()
    loss.backward()
    expected["logits"] = logits
    expected["loss"] = loss.view(1)
    if cell == "lstm":
        expected["h_n"], expected["c_n"] = state
    else:
        expected["h_n"] = state
    for pname, p in model.named_parameters():
        expected["grad." + pname] = p.grad.clone()

    # 10 Adam steps on the same batch, as the course's training loop does them.
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    relu = [] if cell == "rnn_relu" else None
    losses, final = adam_trajectory(model, tokens, targets, relu)
    expected["adam_losses"] = torch.tensor(losses, dtype=torch.float32)
    for pname, p in final.items():
        expected["adam_final." + pname] = p

    # How far PyTorch's own trajectory moves when its rounding changes: the
    # same steps in float64, and four times in float32 from parameters
    # nudged at random by up to one ulp. A long, wide recurrence trained at
    # lr 0.05 can be chaotic, and then no float32 implementation can follow
    # PyTorch's exact path; the test allows a multiple of this spread on top
    # of its fixed tolerance.
    spread_losses = [0.0] * ADAM_STEPS
    spread = {pname: 0.0 for pname in final}
    relu_spread = [None] * ADAM_STEPS   # per step, per input: max |variant − PyTorch|
    alternatives = [(torch.float64, None)] + [(torch.float32, i) for i in range(1, 5)]
    for dtype, nudge in alternatives:
        alt = SeedModel(cell, input_kind, V, E, H, L, O, variant).to(dtype)
        alt.load_state_dict(initial)
        if variant.get("dropout"):
            alt.eval()
        if nudge is not None:
            gen = torch.Generator().manual_seed(seed * 1000 + nudge)
            with torch.no_grad():
                for p in alt.parameters():
                    p.mul_(1 + 2.0 ** -23 * (2 * torch.rand(p.shape, generator=gen) - 1))
        alt_relu = [] if relu is not None else None
        alt_losses, alt_final = adam_trajectory(alt, tokens, targets, alt_relu)
        for i, pre in enumerate(alt_relu or []):
            d = (pre - relu[i]).abs()
            relu_spread[i] = d if relu_spread[i] is None else torch.maximum(relu_spread[i], d)
        for i in range(ADAM_STEPS):
            spread_losses[i] = max(spread_losses[i], abs(alt_losses[i] - losses[i]))
        for pname, p in alt_final.items():
            d = (p.double() - final[pname].double()).abs().max().item()
            spread[pname] = max(spread[pname], d)
    expected["adam_spread_losses"] = torch.tensor(spread_losses, dtype=torch.float32)
    # One value per parameter tensor, in the order of the "params" metadata
    # (a tensor each would cost more header than data).
    expected["adam_spread_params"] = torch.tensor(list(spread.values()), dtype=torch.float32)
    meta["params"] = ",".join(spread)
    # ReLU is the one kink in these models. An input closer to 0 than
    # RELU_MARGIN times its spread at that step (over the same variants,
    # floored at 1 % of the largest) may fall on the other side in another
    # float32 implementation; that unit's gradient then changes by O(1) and
    # the trajectories part. adam_kink_step is the first such step (1-based;
    # 0: none): the losses up to it must agree, later ones need not.
    kink = 0
    margins = []
    for i, pre in enumerate(relu or []):
        dev = relu_spread[i].clamp(min=max(0.01 * relu_spread[i].max().item(), 1e-30))
        margins.append((pre.abs() / dev).min().item())
        if kink == 0 and margins[-1] < RELU_MARGIN:
            kink = i + 1
    expected["adam_kink_step"] = torch.tensor([kink], dtype=torch.float32)
    if margins:
        meta["relu_margins"] = ",".join("%.3g" % m for m in margins)

    meta.update({"T": T, "B": B, "V": V, "E": E, "H": H, "L": L, "O": O, "seed": seed,
                 "torch": torch.__version__})
    if variant:
        meta.update({"proj": variant.get("proj", 0),
                     "bidirectional": 1 if variant.get("bidirectional") else 0,
                     "dropout": variant.get("dropout", 0)})
    path = os.path.join(out_dir, name + ".expected.safetensors")
    st_write(path, expected, meta)
    check_readback(path, expected, meta)


def sizes_for(seed, large):
    """The shapes of the set. The committed set has the hello shape and one
    small batched shape; --large adds a seed-dependent mid shape, the
    biggest one (H 64, T 20, B 4), and H 64 at batch 1, where stepping
    multiplies by weights packed for the batch-1 kernel (gs-gemm.h)."""
    sizes = [
        ("hello", {"V": 4, "E": 10, "H": 8, "T": 5, "B": 1, "hello": True}),
        ("v7e5h6t6b3", {"V": 7, "E": 5, "H": 6, "T": 6, "B": 3}),
    ]
    if large:
        r = random.Random(seed)
        mid = {"V": r.randint(5, 16), "E": r.randint(3, 24), "H": r.randint(9, 48),
               "T": r.randint(7, 16), "B": r.randint(2, 4)}
        sizes.append(("v{V}e{E}h{H}t{T}b{B}".format(**mid), mid))
        sizes.append(("v20e24h64t20b4", {"V": 20, "E": 24, "H": 64, "T": 20, "B": 4}))
        sizes.append(("v20e24h64t12b1", {"V": 20, "E": 24, "H": 64, "T": 12, "B": 1}))
    return sizes


def variants_for(size):
    """The variant fixtures of one shape: (cell, L, input, tag, variant).
    What PyTorch has: the LSTM projection (proj_size), bidirectional layers
    of every cell, and stacked layers with dropout configured (evaluated
    without it)."""
    P = max(1, size["H"] // 2)
    return [
        ("lstm", 1, "embed", "proj%d" % P, {"proj": P}),
        ("lstm", 2, "onehot", "proj%d" % P, {"proj": P}),
        ("rnn_tanh", 1, "embed", "bi", {"bidirectional": True}),
        ("rnn_relu", 2, "onehot", "bi", {"bidirectional": True}),
        ("lstm", 2, "embed", "bi", {"bidirectional": True}),
        ("gru", 1, "onehot", "bi", {"bidirectional": True}),
        ("gru", 2, "embed", "bi", {"bidirectional": True}),
        ("lstm", 2, "onehot", "bi_proj%d" % P, {"bidirectional": True, "proj": P}),
        ("lstm", 2, "embed", "dropout0.5", {"dropout": 0.5}),
        ("gru", 3, "onehot", "dropout0.3", {"dropout": 0.3}),
    ]


def check_readback(path, tensors, metadata):
    """What st_write wrote reads back bit for bit."""
    got, meta = st_read(path)
    assert meta == {str(k): str(v) for k, v in metadata.items()}, path
    assert list(got) == list(tensors), path
    for name, t in tensors.items():
        shape, values = got[name]
        assert shape == list(t.shape), (path, name)
        assert values == t.detach().to(torch.float32).contiguous().view(-1).tolist(), (path, name)


# --- the convergence reference ------------------------------------------------

def epochs_to_ohlol(cell, seed, cap):
    """1-based index of the first epoch whose forward (before that epoch's
    step) predicts exactly "ohlol", or cap if none within cap epochs."""
    torch.manual_seed(seed)
    model = SeedModel(cell, "embed", 4, 10, 8, 2, 4)
    opt = torch.optim.Adam(model.parameters(), lr=ADAM_LR)
    tokens = torch.tensor(HELLO_TOKENS).view(5, 1)
    targets = torch.tensor(OHLOL_TARGETS).view(5, 1)
    for epoch in range(1, cap + 1):
        opt.zero_grad()
        logits, _ = model(tokens)
        loss = cross_entropy(logits, targets)
        loss.backward()
        opt.step()
        if logits.view(-1, 4).argmax(1).tolist() == OHLOL_TARGETS:
            return epoch
    return cap


def median10(values):
    s = sorted(values)
    return (s[4] + s[5]) / 2


def make_convergence(out_dir, cap=200):
    result = {}
    for cell in ("rnn_tanh", "lstm", "gru"):
        epochs = [epochs_to_ohlol(cell, seed, cap) for seed in range(10)]
        result[cell] = {"epochs": epochs, "median": median10(epochs)}
    result["torch"] = torch.__version__
    result["seeds"] = "0-9"
    result["cap"] = cap
    result["definition"] = ("1-based epoch at which argmax of that epoch's forward "
                            "(before its Adam step) first equals ohlol")
    path = os.path.join(out_dir, "convergence.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        # One line per entry, so that a diff shows which cell moved.
        f.write("{\n" + ",\n".join(" %s: %s" % (json.dumps(k), json.dumps(v))
                                     for k, v in result.items()) + "\n}\n")
    os.replace(tmp, path)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "fixtures"))
    ap.add_argument("--large", action="store_true", help="add the bigger shapes (fresh set)")
    ap.add_argument("--convergence", action="store_true",
                    help="also write convergence.json (the seed task's epochs to ohlol)")
    args = ap.parse_args()

    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    names = []
    for size_name, size in sizes_for(args.seed, args.large):
        for cell in CELLS:
            for L in LAYERS:
                for input_kind in INPUTS:
                    name = "%s_L%d_%s_%s" % (cell, L, input_kind, size_name)
                    make_fixture(args.out, name, cell, input_kind, dict(size, L=L), args.seed)
                    names.append(name)
    # The variants, after the plain set (whose files stay as they were).
    for size_name, size in sizes_for(args.seed, args.large):
        if size.get("hello"):
            continue
        for cell, L, input_kind, tag, variant in variants_for(size):
            name = "%s_L%d_%s_%s_%s" % (cell, L, input_kind, size_name, tag)
            make_fixture(args.out, name, cell, input_kind, dict(size, L=L), args.seed, variant)
            names.append(name)
    with open(os.path.join(args.out, "index.txt.tmp"), "w") as f:
        f.write("".join(n + "\n" for n in names))
    os.replace(os.path.join(args.out, "index.txt.tmp"), os.path.join(args.out, "index.txt"))
    print("%d fixtures in %s" % (len(names), args.out))

    if args.convergence:
        result = make_convergence(args.out)
        for cell in ("rnn_tanh", "lstm", "gru"):
            print("%-8s median %5.1f epochs %s" % (cell, result[cell]["median"],
                                                   result[cell]["epochs"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
