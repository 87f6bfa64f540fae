"""Benchmark: brand matching on email-Eu-core departments (a script, not a test), and the cost of
audience affinity on a generated 10M-edge graph.

    python bench/bench_affinity.py [--data ../shared/data/email-eu-core] [--prior-strength auto]
                                   [--timing-edges 10000000]

Ground truth: SNAP email-Eu-core (``u v`` = u e-mailed v; one department per person). For each of
the 6 departments with >= 50 members, the seeds are the 5 members with the highest in-degree; every
other account is ranked by

* ``ppr``: personalized PageRank from the seeds (the second signal, ``audience_match``);
* ``affinity``: audience affinity as ``analyze`` computes it
  (:func:`graphinflu.metrics.affinity.audience_affinity`, defaults: followers as the audience,
  membership weighted by the share of the seeds followed, pooled base rate, Pearson prior);
* ``affinity_any``: the same with 0/1 membership (any seed followed), the definition before;
* ``affinity_both``: the same with ``neighbourhood="both"`` (an account's audience is everyone
  it exchanges mail with, in either direction: what an e-mail graph's edges mean);
* ``targets``: the targets table of :func:`graphinflu.analysis.analyze` with the seeds as the
  brand's accounts and every tier, in its ``rank`` order (default weights: brand fit gates, niche
  authority 0.3 against brand fit 0.5, see :func:`graphinflu.metrics.targets.targets`);
* ``targets_fit``: the same table ranked by its brand-fit component alone (``affinity_score``,
  what ``--weights affinity=1`` ranks by);
* ``weighted_mean``: the same components combined as a plain weighted mean (0.5·fit + 0.3·niche
  authority) / 0.8, the score before brand fit gated it.

precision@50 is the share of the top 50 that belong to the seeds' department. Every method runs
on the same graph in one run; ties are broken by account order (stable sort) for all of them.

With ``--timing-edges N`` (0 to skip) the script also times ``audience_affinity`` (median of 3,
warm adjacency cache, as inside ``analyze``) on a generated N-edge graph with 30 seeds, and
:func:`graphinflu.brand.brand_columns` (everything a brand target adds to the account table: brand
and competitors' accounts, an audience sample, interests matched against bios and posts) on
``generate(N, brand=True)`` with its profiles and posts.
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

from graphinflu.analysis import analyze  # noqa: E402
from graphinflu.metrics import targets as tg  # noqa: E402
from graphinflu.graph import Graph  # noqa: E402
from graphinflu.metrics.affinity import audience_affinity  # noqa: E402
from graphinflu.metrics.authority import personalized_pagerank  # noqa: E402
from graphinflu.params import TargetParams  # noqa: E402

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
        anyof = audience_affinity(graph, seeds, prior_strength=prior_strength, membership="any")
        both = audience_affinity(graph, seeds, prior_strength=prior_strength, neighbourhood="both")
        targ = analyze(graph, target=TargetParams(seeds=seeds, tier="all"), stability_runs=0).targets
        score = pd.Series(np.arange(len(targ), 0, -1), index=targ.index).reindex(graph.ids, fill_value=-1)
        fit = targ["affinity_score"].reindex(graph.ids, fill_value=-1)  # brand accounts are never listed
        weighted = tg.targets(targ.drop(columns=["score", "rank", "why"]), tier=None,
                              weights={"affinity": 0.5, "niche_authority": 0.3})  # no gate: see the docstring
        mean_w = (0.5 * weighted["affinity_score"] + 0.3 * weighted["niche_authority"]) / 0.8
        mean_w = mean_w.reindex(graph.ids, fill_value=-1)
        rows.append({"department": d, "members": int(sizes[d]),
                     "ppr": precision_at(ppr, exclude, relevant, k),
                     "affinity": precision_at(aff["affinity"].to_numpy(), exclude, relevant, k),
                     "affinity_any": precision_at(anyof["affinity"].to_numpy(), exclude, relevant, k),
                     "affinity_both": precision_at(both["affinity"].to_numpy(), exclude, relevant, k),
                     "targets": precision_at(score.to_numpy(dtype=float), exclude, relevant, k),
                     "targets_fit": precision_at(fit.to_numpy(dtype=float), exclude, relevant, k),
                     "weighted_mean": precision_at(mean_w.to_numpy(dtype=float), exclude, relevant, k),
                     "base_rate": aff.attrs["base_rate"], "m": aff.attrs["prior_strength"]})
    table = pd.DataFrame(rows).set_index("department")
    print(f"email-Eu-core: {graph.n_accounts} accounts, {graph.n_edges} edges; precision@{k}, "
          f"prior_strength={prior_strength}")
    print(table.round(3).to_string())
    means = table.drop(columns=["members", "base_rate", "m"]).mean()
    print(f"mean precision@{k}: " + ", ".join(f"{name} {value:.3f}" for name, value in means.items()))


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


def brand_timing(n_edges: int, seed: int = 0) -> None:
    from graphinflu.brand import brand_columns
    from graphinflu.generate import BRAND_INTERESTS, generate
    from graphinflu.params import BrandTarget

    data = generate(n_edges, seed=seed, brand=True)
    graph = data.to_graph(interactions=False)
    posts = data.posts.to_pandas()
    posts["owner"] = posts["owner"].astype(str)
    b = data.brand
    graph.adjacency("follows")
    target = BrandTarget(accounts=b.accounts, competitors=b.competitors, audience=b.audience[::3],
                         interests=BRAND_INTERESTS)
    for name, brand in (("accounts", BrandTarget(accounts=b.accounts, competitors=b.competitors)),
                        ("interests", BrandTarget(interests=BRAND_INTERESTS)), ("all", target)):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            brand_columns(graph, brand, posts)
            times.append(time.perf_counter() - t0)
        print(f"brand_columns[{name}] on {graph.n_accounts:,} accounts / {data.n_edges:,} follows / "
              f"{len(posts):,} posts: median {statistics.median(times):.3f} s")


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
        brand_timing(args.timing_edges)


if __name__ == "__main__":
    main()
