#!/usr/bin/python3
"""Writes the small torch.save files that tests/core/test-torch-file.c reads
(no PyTorch needed to run that test):

  hello.pt            the course's hello model (emb / rnn / fc, 2 layers),
                      torch.manual_seed(0), torch.save(model.state_dict())
  hello.safetensors   the same weights as safetensors, under the same names
  lstm-other.pt       an LSTM under other names (embedding / lstm / out),
                      bidirectional with proj_size 3
  evil.pt             a torch.save of a dict whose value's __reduce__ is
                      os.system("touch gatescope-pwned"): must be refused

Run with Debian's python3-torch from the top of the tree:
  /usr/bin/python3 tests/reference/make_torch_fixtures.py tests/reference/fixtures/torch
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(__file__))
from torch_models import Seq, st_write  # noqa: E402


class Evil:
    def __reduce__(self):
        return (os.system, ("touch gatescope-pwned",))


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    hello = Seq({"emb": "emb", "rnn": "rnn", "fc": "fc"}, "rnn", 4, 10, 8, 2, 4)
    torch.save(hello.state_dict(), os.path.join(out, "hello.pt"))
    st_write(os.path.join(out, "hello.safetensors"), hello.state_dict())
    other = Seq({"emb": "embedding", "rnn": "lstm", "fc": "out"}, "lstm", 5, 4, 6, 2, 5,
                bidirectional=True, proj=3)
    torch.save(other.state_dict(), os.path.join(out, "lstm-other.pt"))
    torch.save({"x": Evil()}, os.path.join(out, "evil.pt"))


if __name__ == "__main__":
    main()
