"""Benchmark: exact audience overlap for 1,000 and 2,000 creators and a k = 50 shortlist from
5,000 candidates on a generated 10M-edge follower graph (a script, not a test).

    python bench/bench_overlap.py [--edges 10000000] [--seed 0] [--repeat 3]

Each step is timed (median of ``--repeat`` runs, warm: the cached CSC view of the follow graph is
built once and reported on its own line) and then run once more under ``tracemalloc`` to measure
its peak memory *above what was allocated before it started* (the loaded graph). Targets (2-core
machine): 1,000 creators < 2 s, 2,000 < 5 s, each < 2 GB above the loaded graph; shortlist < 3 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphinflu.metrics import overlap as ov  # noqa: E402
from graphinflu.metrics.shortlist import shortlist  # noqa: E402


def chung_lu(n_edges: int, seed: int):
    """Fallback generator: directed Chung-Lu with heavy-tailed in-degree (if graphinflu.generate is absent)."""
    import pandas as pd

    from graphinflu.graph import Graph

    rng = np.random.default_rng(seed)
    n = max(1000, n_edges // 15)
    w_in = (np.arange(1, n + 1) ** -0.9)
    w_in /= w_in.sum()
    w_out = rng.pareto(2.0, n) + 1
    w_out /= w_out.sum()
    src = rng.choice(n, size=n_edges, p=w_out)
    dst = rng.permutation(n)[rng.choice(n, size=n_edges, p=w_in)]
    ids = pd.Index([f"{i:012d}" for i in range(n)])
    return Graph.from_codes(ids, src, dst)


def load(n_edges: int, seed: int):
    try:
        from graphinflu.generate import generate
    except ImportError:
        return chung_lu(n_edges, seed), "Chung-Lu (bench fallback)"
    return generate(n_edges, seed=seed).to_graph(interactions=False), "graphinflu.generate"


def timed(fn, repeat: int):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return statistics.median(times), peak, out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edges", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    g, how = load(args.edges, args.seed)
    t_load = time.perf_counter() - t0
    print(f"graph: {g!r} from {how} in {t_load:.1f} s; follow edges {len(g.edge_arrays('follows')[0]):,}")
    t0 = time.perf_counter()
    ov.followers_csc(g)
    print(f"CSC view of the follow graph (built once, cached): {time.perf_counter() - t0:.2f} s")
    rows = []

    def report(label, secs, peak, target_s, extra=""):
        ok = "ok" if secs < target_s and peak < 2 * 2**30 else "MISSED"
        rows.append((label, secs, peak))
        print(f"{label:<46} {secs:7.2f} s  peak +{peak / 2**20:8.1f} MiB  (target < {target_s:g} s, < 2 GiB) {ok} {extra}")

    for k, target in ((1000, 2.0), (2000, 5.0)):
        creators = ov.select_creators(g, top=k)
        secs, peak, pairs = timed(lambda: ov.overlap_pairs(g, creators), args.repeat)
        report(f"exact overlap pairs, top {k:,} creators", secs, peak, target, f"[{len(pairs):,} pairs]")
        secs2, peak2, _ = timed(lambda: (ov.overlap_creators(g, creators), ov.overlap_summary(g, creators),
                                         ov.frequency_histogram(g, creators)), args.repeat)
        report(f"  + creators, summary, histogram ({k:,})", secs2, peak2, target)
    cands = ov.select_creators(g, top=5000)
    secs, peak, sl = timed(lambda: shortlist(g, k=50, candidates=cands), args.repeat)
    report("shortlist k=50 from 5,000 candidates (CELF)", secs, peak, 3.0,
           f"[reach {sl['cumulative_reach'].iloc[-1]:,.0f}]")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"process peak RSS (includes generating the graph): {maxrss:.2f} GiB")


if __name__ == "__main__":
    main()
