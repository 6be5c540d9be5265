#!/usr/bin/env python3
"""compare.py OURS.jsonl TORCH.jsonl [--markdown] — the benchmark table.

Reads the JSON lines of `gatescope-cli bench --json` and of torch_bench.py,
pairs them by (bench, kind, cell, hidden) and prints, for each
configuration, both figures, the ratio (how many times faster Gatescope
is), the bar the issue sets, GFLOP/s, the share of the measured FMA peak
and the peak RSS of each process. Then a summary of the bars.
Needs no torch: any python3 runs it.
"""
import argparse
import json
import sys

FIGURES = {"steps_per_s": "steps/s", "tokens_per_s": "tokens/s", "us_per_timestep": "µs/step"}
TITLES = {"hello": "hello (train)", "charlm": "char LM (train)", "step": "one step, B=1"}


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            rows[(d["bench"], d["kind"], d["cell"], d["hidden"])] = d
    return rows


def figure(d):
    for k in FIGURES:
        if k in d:
            return k, d[k]
    raise KeyError("no figure in %r" % d)


def bar(bench, hidden):
    """The issue's bar for this configuration: (min ratio, min % of peak)."""
    if bench == "hello":
        return 100.0, None
    if bench == "step":
        return 20.0, None
    if hidden <= 128:
        return 3.0, None
    if hidden >= 512:
        return 1.5, 60.0
    return None, None


def fmt(x, key):
    if key == "us_per_timestep":
        return "%.2f" % x
    if x >= 1e4:
        return "{:,.0f}".format(x)
    return "%.0f" % x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ours")
    ap.add_argument("torch")
    ap.add_argument("--markdown", action="store_true", help="a Markdown table (for README.md)")
    args = ap.parse_args()

    ours, theirs = load(args.ours), load(args.torch)
    peaks = [d["peak_gflops"] for d in ours.values() if "peak_gflops" in d]
    peak = max(peaks) if peaks else None

    head = ["benchmark", "cell", "H", "unit", "Gatescope", "PyTorch", "ratio", "bar",
            "GFLOP/s ours / torch", "% FMA peak", "spread % ours / torch", "RSS MB ours / torch"]
    table, misses, checked = [], [], 0
    for key in sorted(ours, key=lambda k: (["hello", "charlm", "step"].index(k[0]), k[2], k[3])):
        o = ours[key]
        t = theirs.get(key)
        fkey, fo = figure(o)
        bench, _, cell, hidden = key
        want_ratio, want_pct = bar(bench, hidden)
        pct = 100.0 * o["gflops"] / peak if peak and bench == "charlm" else None
        row = [TITLES.get(bench, bench), cell, str(hidden), FIGURES[fkey], fmt(fo, fkey)]
        if t is None:
            row += ["—", "—"]
            ratio = None
        else:
            _, ft = figure(t)
            # times: theirs / ours; rates: ours / theirs
            ratio = ft / fo if fkey == "us_per_timestep" else fo / ft
            row += [fmt(ft, fkey), "%.1f×" % ratio]
        bar_text = []
        if want_ratio is not None:
            bar_text.append("≥%g×" % want_ratio)
        if want_pct is not None:
            bar_text.append("≥%g%% peak" % want_pct)
        ok = True
        if want_ratio is not None and ratio is not None:
            checked += 1
            if ratio < want_ratio:
                ok = False
                why = ""
                if bench == "step" and o.get("read_floor_us"):
                    # a step cannot take less than reading its weights once
                    why = ("; reading its %d KB of weights once takes %.2f µs here, so at most %.1f×"
                           % (o["weight_bytes"] // 1024, o["read_floor_us"], ft / o["read_floor_us"]))
                elif bench == "charlm" and peak and t.get("gflops"):
                    why = ("; %g× would be %.0f%% of the FMA peak over the whole step (ours: %.0f%%, PyTorch's: %.0f%%)"
                           % (want_ratio, 100.0 * want_ratio * t["gflops"] / peak,
                              100.0 * o["gflops"] / peak, 100.0 * t["gflops"] / peak))
                misses.append("%s %s H=%d: %.2f× PyTorch, the bar is %g× (%.0f%% short)%s"
                              % (bench, cell, hidden, ratio, want_ratio,
                                 100.0 * (1.0 - ratio / want_ratio), why))
        if want_pct is not None and pct is not None:
            checked += 1
            if pct < want_pct:
                ok = False
                misses.append("%s %s H=%d: %.0f%% of the FMA peak, the bar is %g%%"
                              % (bench, cell, hidden, pct, want_pct))
        row.append((" ".join(bar_text) + (" ✓" if ok else " ✗")) if bar_text else "")
        row.append("%.3g / %s" % (o["gflops"], "%.3g" % t["gflops"] if t else "—"))
        row.append("%.0f%%" % pct if pct is not None else "")
        row.append("%.0f / %s" % (o["spread_pct"], "%.0f" % t["spread_pct"] if t else "—"))
        row.append("%.0f / %s" % (o["rss_kb"] / 1024.0, "%.0f" % (t["rss_kb"] / 1024.0) if t else "—"))
        table.append(row)

    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---:" if i >= 2 else "---" for i in range(len(head))) + "|")
        for r in table:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(r[i]) for r in table + [head]) for i in range(len(head))]
        for r in [head] + table:
            print("  ".join(c.ljust(w) if i < 4 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    print()
    if peak:
        print("Single-thread FMA peak, measured: %.1f GFLOP/s." % peak)
    threads = {d.get("threads") for d in list(ours.values()) + list(theirs.values())}
    print("Threads: %s. Ratio = how many times faster Gatescope is." % ", ".join(map(str, sorted(threads))))
    if misses:
        print("Bars missed (%d of %d checks):" % (len(misses), checked))
        for m in misses:
            print("  - " + m)
    else:
        print("Every bar met (%d checks)." % checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
