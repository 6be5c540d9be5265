#!/usr/bin/python3
"""Writes optim/optim.safetensors: torch.optim's trajectories for test-optim.

For each optimizer setting, a parameter vector p0 and five gradients are
fed to torch.optim (PyTorch's own single-tensor code path, foreach off), and
the parameters after every step are stored. Run with Debian's python3-torch:

    /usr/bin/python3 tests/reference/make_optim_reference.py
"""
import json
import os
import struct

import torch

N, STEPS = 13, 5

# name → (class, kwargs). The name is what test-optim.c parses.
SETTINGS = {
    "sgd": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_momentum_wd": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, weight_decay=0.01)),
    "adam": (torch.optim.Adam, dict(lr=0.05)),
    "adam_wd": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=0.01)),
    "rmsprop_momentum": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, momentum=0.5, weight_decay=0.05)),
    "adagrad": (torch.optim.Adagrad, dict(lr=0.1)),
    "adagrad_decay": (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.3, weight_decay=0.02)),
}


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def main():
    gen = torch.Generator().manual_seed(7)
    p0 = torch.randn(N, generator=gen)
    grads = torch.randn(STEPS, N, generator=gen)
    grads[2, :4] = 0.0  # exact zeros exercise the eps terms
    tensors = {"p0": p0, "grads": grads}
    for name, (cls, kw) in SETTINGS.items():
        p = torch.nn.Parameter(p0.clone())
        opt = cls([p], foreach=False, **kw) if "foreach" in cls.__init__.__code__.co_varnames else cls([p], **kw)
        traj = []
        for s in range(STEPS):
            opt.zero_grad()
            p.grad = grads[s].clone()
            opt.step()
            traj.append(p.detach().clone())
        tensors["traj." + name] = torch.stack(traj)
    meta = {"torch": torch.__version__}
    meta.update({"kwargs." + k: json.dumps(v[1]) for k, v in SETTINGS.items()})
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim", "optim.safetensors")
    write_safetensors(out, tensors, meta)
    print("wrote", out)


if __name__ == "__main__":
    main()
