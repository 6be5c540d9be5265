#!/usr/bin/python3
"""check_pca.py TEST_EMBEDDING_EXE — the embedding view's projection
against numpy's.

For matrices of the shapes the embedding view meets (few and many tokens,
fewer tokens than dimensions, correlated and not), writes each to a file,
runs `test-embedding --pca FILE` and compares what it prints with the
principal components from numpy.linalg.eigh of the covariance
C = (1/V) Σ (w_v − μ)(w_v − μ)ᵀ, signs fixed as core/gs-embedding.h says
(each axis' largest-magnitude entry positive). Exits 1 on any difference.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np


def reference(W):
    V = W.shape[0]
    X = W.astype(np.float64) - W.astype(np.float64).mean(axis=0)
    C = X.T @ X / V
    lam, vec = np.linalg.eigh(C)
    order = np.argsort(lam)[::-1]
    lam, vec = lam[order], vec[:, order]
    axes = vec[:, :2].T.copy()
    for a in axes:
        if a[np.argmax(np.abs(a))] < 0:
            a *= -1
    return lam[:2], lam.sum(), axes, X @ axes.T, lam


def main():
    exe = sys.argv[1]
    rng = np.random.default_rng(20261207)
    cases = [(4, 10), (27, 10), (60, 16), (200, 32), (8, 30), (3000, 12)]
    failed = 0
    for V, E in cases:
        W = rng.normal(size=(V, E)).astype(np.float32)
        # a few strong directions, so the leading two are well separated
        W += np.outer(rng.normal(size=V) * 3, rng.normal(size=E)).astype(np.float32)
        W += np.outer(rng.normal(size=V) * 1.5, rng.normal(size=E)).astype(np.float32)
        with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
            f.write(f'{V} {E}\n')
            for row in W:
                f.write(' '.join(repr(float(x)) for x in row) + '\n')
            path = f.name
        try:
            out = subprocess.run([exe, '--pca', path], check=True, capture_output=True, text=True).stdout
        finally:
            os.unlink(path)
        lines = out.split('\n')
        var = np.array([float(x) for x in lines[0].split()])
        axes = np.array([[float(x) for x in lines[1 + k].split()] for k in range(2)])
        proj = np.array([[float(x) for x in lines[3 + v].split()] for v in range(V)])
        lam, total, want_axes, want_proj, spectrum = reference(W)
        gap = (spectrum[1] - spectrum[2]) / spectrum[0] if len(spectrum) > 2 else 1.0
        d_var = np.max(np.abs(var[:2] - lam) / lam)
        d_tot = abs(var[2] - total) / total
        d_axes = np.max(np.abs(axes - want_axes))
        d_proj = np.max(np.abs(proj - want_proj)) / np.max(np.abs(want_proj))
        ok = d_var < 1e-5 and d_tot < 1e-5 and d_axes < 1e-4 and d_proj < 1e-4
        print(f'{V:5d}×{E:<3d} gap {gap:.3f}  λ rel {d_var:.1e}  trace rel {d_tot:.1e}  '
              f'axes abs {d_axes:.1e}  projections rel {d_proj:.1e}  {"ok" if ok else "FAIL"}')
        failed += not ok
    print(f'check_pca: {len(cases) - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
