"""Benchmark: brand matching on email-Eu-core departments (a script, not a test), and the cost of
audience affinity on a generated 10M-edge graph.

    python bench/bench_affinity.py [--data ../shared/data/email-eu-core] [--prior-strength auto]
                                   [--timing-edges 10000000]

Ground truth: SNAP email-Eu-core (``u v`` = u e-mailed v; one department per person). For each of
the 6 departments with >= 50 members, the seeds are the 5 members with the highest in-degree; every
other account is ranked by (a) personalized PageRank from the seeds and (b) audience affinity
(``affinity``, :func:`graphinflu.metrics.affinity.audience_affinity`). precision@50 is the share of
the top 50 that belong to the seeds' department. Both methods run on the same graph in one run.
Ties are broken by account order (stable sort), the same for both methods.

With ``--timing-edges N`` (0 to skip) the script also times ``audience_affinity`` (median of 3,
warm adjacency cache, as inside ``analyze``) on a generated N-edge graph with 30 seeds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphinflu.graph import Graph  # noqa: E402
from graphinflu.metrics.affinity import audience_affinity  # noqa: E402
from graphinflu.metrics.authority import personalized_pagerank  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "email-eu-core"
if not DEFAULT_DATA.exists():
    DEFAULT_DATA = Path("/work/shared/data/email-eu-core")


def load(data: Path) -> tuple[Graph, pd.Series]:
    edges = pd.read_csv(data / "email-Eu-core.txt", sep=" ", header=None, names=["source", "target"], dtype=str)
    labels = pd.read_csv(data / "email-Eu-core-department-labels.txt", sep=" ", header=None,
                         names=["id", "dept"], dtype={"id": str, "dept": int}).set_index("id")["dept"]
    graph = Graph.from_pandas(edges)
    return graph, labels.reindex(graph.ids)


def precision_at(scores: np.ndarray, exclude: np.ndarray, relevant: np.ndarray, k: int = 50) -> float:
    order = np.argsort(-scores, kind="stable")
    order = order[~exclude[order]][:k]
    return float(relevant[order].mean())


def departments(data: Path, prior_strength, k: int = 50) -> None:
    graph, dept = load(data)
    indeg = np.bincount(graph.adjacency("follows").indices, minlength=graph.n_accounts)
    sizes = dept.value_counts()
    rows = []
    for d in sorted(sizes[sizes >= 50].index):
        members = np.flatnonzero(dept.to_numpy() == d)
        seeds_pos = members[np.argsort(-indeg[members], kind="stable")[:5]]
        seeds = list(graph.ids[seeds_pos])
        exclude = np.zeros(graph.n_accounts, bool)
        exclude[seeds_pos] = True
        relevant = dept.to_numpy() == d
        ppr = personalized_pagerank(graph, seeds)["ppr"].to_numpy()
        aff = audience_affinity(graph, seeds, prior_strength=prior_strength)
        rows.append({"department": d, "members": int(sizes[d]),
                     "ppr": precision_at(ppr, exclude, relevant, k),
                     "affinity": precision_at(aff["affinity"].to_numpy(), exclude, relevant, k),
                     "base_rate": aff.attrs["base_rate"], "m": aff.attrs["prior_strength"]})
    table = pd.DataFrame(rows).set_index("department")
    print(f"email-Eu-core: {graph.n_accounts} accounts, {graph.n_edges} edges; precision@{k}, "
          f"prior_strength={prior_strength}")
    print(table.round(3).to_string())
    print(f"mean precision@{k}: personalized PageRank {table['ppr'].mean():.3f}, "
          f"audience affinity {table['affinity'].mean():.3f}")


def timing(n_edges: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    n = max(1000, n_edges // 15)
    w = np.arange(1, n + 1, dtype=np.float64) ** -0.9
    w /= w.sum()
    src = rng.integers(0, n, n_edges, dtype=np.int64)
    dst = rng.choice(n, n_edges, p=w)
    ids = pd.Index(np.arange(n).astype(str), dtype=object, name="id")
    t0 = time.perf_counter()
    graph = Graph.from_codes(ids, src, dst)
    build = time.perf_counter() - t0
    seeds = list(ids[rng.choice(n, 30, replace=False)])
    graph.adjacency("follows")  # built once per graph; analyze builds it for PageRank anyway
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        audience_affinity(graph, seeds)
        times.append(time.perf_counter() - t0)
    print(f"audience_affinity on {graph.n_accounts:,} accounts / {graph.n_edges:,} edges "
          f"(graph built in {build:.1f} s): median {statistics.median(times):.3f} s, "
          f"runs {', '.join(f'{t:.3f}' for t in times)}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--prior-strength", default="auto",
                    help="a number > 0 or 'auto' (default %(default)s)")
    ap.add_argument("--timing-edges", type=int, default=10_000_000)
    args = ap.parse_args(argv)
    m = args.prior_strength if args.prior_strength == "auto" else float(args.prior_strength)
    departments(args.data, m)
    if args.timing_edges:
        timing(args.timing_edges)


if __name__ == "__main__":
    main()
