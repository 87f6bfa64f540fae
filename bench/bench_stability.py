"""Benchmark: what niche stability costs, to check where ``analyze`` turns it on by itself.

For each size (follow edges) it generates data with :func:`graphinflu.generate.generate`, then
times, in this process, one communities run (the reference ``analyze`` computes anyway) and
:func:`~graphinflu.metrics.stability.niche_stability` with that reference and the default
number of runs (the extra work ``analyze`` does when it measures stability), for each method
asked for. ``analyze`` measures stability by itself up to
:data:`graphinflu.analysis.AUTO_STABILITY_MAX_EDGES` follow edges; above that it only notes how to
turn it on, so its 10M-edge time is unchanged (``bench_analyze.py`` checks that target).

Usage::

    python bench/bench_stability.py                          # 100k, 500k, 1M edges, Leiden
    python bench/bench_stability.py --sizes 500000 --methods leiden cpm

Target (2 cores): at the auto limit the stability step adds at most ~3 s. Measured while
writing this on a shared 2-core machine (load average ~8): 100k edges 0.42 s (Leiden) / 0.53 s
(CPM), 500k edges 2.39 s / 2.32 s, on top of a 0.1 s / 0.5 s reference run.

Run it from the repository root with the checkout's code first on the path, e.g.
``python -c "import runpy, sys; sys.argv = ['b']; runpy.run_path('bench/bench_stability.py', run_name='__main__')"``
when another checkout is installed in editable mode.
"""

from __future__ import annotations

import argparse
import time

from graphinflu.analysis import AUTO_STABILITY_MAX_EDGES, auto_stability_runs
from graphinflu.generate import generate
from graphinflu.metrics.communities import communities
from graphinflu.metrics.stability import STABILITY_RUNS, niche_stability
from graphinflu.params import CommunityParams


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 500_000, 1_000_000])
    ap.add_argument("--methods", nargs="+", default=["leiden"])
    ap.add_argument("--runs", type=int, default=STABILITY_RUNS)
    args = ap.parse_args()
    print(f"analyze measures stability by itself up to {AUTO_STABILITY_MAX_EDGES:,} edges ({STABILITY_RUNS} runs)")
    print("edges,accounts,method,auto_runs,reference_s,stability_s,ari_mean,niche_stability_mean")
    for size in args.sizes:
        g = generate(size, seed=0).to_graph(interactions=False)
        for method in args.methods:
            params = CommunityParams(method=method)
            communities(g, params)  # compile / warm caches once
            t0 = time.perf_counter()
            ref = communities(g, params)
            t1 = time.perf_counter()
            _, summary = niche_stability(g, params, runs=args.runs, reference=ref)
            t2 = time.perf_counter()
            print(f"{size},{g.n_accounts},{method},{auto_stability_runs(g)},{t1 - t0:.2f},{t2 - t1:.2f},"
                  f"{summary['ari_mean']:.3f},{summary['niche_stability_mean']:.3f}", flush=True)


if __name__ == "__main__":
    main()
