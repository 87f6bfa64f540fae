"""Benchmark: brand matching on labelled graphs (a script, not a test), and the cost of audience
affinity on a generated 10M-edge graph.

    python bench/bench_affinity.py [--data ../shared/data/email-eu-core] [--prior-strength auto]
                                   [--planted-edges 100000] [--cora DIR] [--timing-edges 10000000]

Ground truth, three graphs, every method on the same graph in one run:

* SNAP **email-Eu-core** (``u v`` = u e-mailed v; one department per person). For each of the 6
  departments with >= 50 members, the seeds are the 5 members with the highest in-degree; every
  other account is a candidate; precision@50 = the share of the top 50 in the seeds' department.
* A **planted brand** (:func:`graphinflu.generate.generate` with ``brand=True``, seeds 1-5 at
  ``--planted-edges``): the brand's and competitors' accounts are the seeds, the candidates are
  the micro-tier accounts of the targets table, precision@20 = the share of the top 20 among the
  planted fit creators (0 to skip).
* Optionally **CoRA** (``--cora DIR`` with ``classification_papers.json`` and
  ``paper_references.json`` of github.com/APEX-WSU/CoRA: ``[citing, cited]`` pairs, papers filed
  under 10 top-level fields): a citation is a follow (the citing paper is in the cited paper's
  audience); for each field with >= 100 cited papers the seeds are its 5 most cited papers and
  the candidates every other labelled paper; precision@50.
* Optionally the **Instagram influencers** of ``../shared/data/instagram-influencers``
  (``--instagram``, read in place, never copied; no username is printed): the graph is post
  owner -> account mentioned or tagged (the mentioners are an account's audience), the labels the
  influencers' categories; for each category with >= 100 labelled accounts the seeds are its 5
  most mentioned influencers and the candidates every other labelled influencer; precision@50.

Methods (columns):

* ``ppr``: personalized PageRank from the seeds (the second signal, ``audience_match``);
* ``affinity``: audience affinity as ``analyze`` computes it
  (:func:`graphinflu.metrics.affinity.audience_affinity`, defaults: followers as the audience,
  membership = the share of the seeds a follower follows beyond chance, pooled base rate,
  Pearson prior);
* ``affinity_share``: the same with membership = the share of the seeds followed (the default
  before); ``affinity_any``: 0/1 membership (any seed followed);
* ``affinity_both``: the default with ``neighbourhood="both"`` (an account's audience is everyone
  it exchanges mail with, in either direction: what an e-mail graph's edges mean);
* ``targets``: the targets table of :func:`graphinflu.analysis.analyze` with the seeds as the
  brand's accounts, in its ``rank`` order (default weights: brand fit gates the score, niche
  authority counts among the brand's audience, see :func:`graphinflu.metrics.targets.targets`);
* ``targets_fit``: the same table ranked by its brand-fit component alone (``affinity_score``,
  what ``--weights affinity=1`` ranks by);
* ``whole_authority``: the same gated score with niche authority counted whole (the score before
  it counted among the brand's audience);
* ``weighted_mean``: the same components combined as a plain weighted mean (no gate).

Ties are broken by account order (stable sort) for every method.

With ``--timing-edges N`` (0 to skip) the script also times ``audience_affinity`` (median of 3,
warm adjacency cache, as inside ``analyze``) on a generated N-edge graph with 30 seeds, and
:func:`graphinflu.brand.brand_columns` (everything a brand target adds to the account table: brand
and competitors' accounts, an audience sample, interests matched against bios and posts) on
``generate(N, brand=True)`` with its profiles and posts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphinflu.analysis import analyze  # noqa: E402
from graphinflu.graph import Graph  # noqa: E402
from graphinflu.metrics import targets as tg  # noqa: E402
from graphinflu.metrics.affinity import audience_affinity  # noqa: E402
from graphinflu.metrics.authority import personalized_pagerank  # noqa: E402
from graphinflu.params import BrandTarget, TargetParams  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "email-eu-core"
if not DEFAULT_DATA.exists():
    DEFAULT_DATA = Path("/work/shared/data/email-eu-core")
METHODS = ("ppr", "affinity", "affinity_share", "affinity_any", "affinity_both", "targets", "targets_fit",
           "whole_authority", "weighted_mean")


def load(data: Path) -> tuple[Graph, pd.Series]:
    edges = pd.read_csv(data / "email-Eu-core.txt", sep=" ", header=None, names=["source", "target"], dtype=str)
    labels = pd.read_csv(data / "email-Eu-core-department-labels.txt", sep=" ", header=None,
                         names=["id", "dept"], dtype={"id": str, "dept": int}).set_index("id")["dept"]
    graph = Graph.from_pandas(edges)
    return graph, labels.reindex(graph.ids)


def load_cora(data: Path) -> tuple[Graph, pd.Series]:
    """CoRA's citations (citing paper -> cited paper) and each paper's top-level field."""
    fields = json.loads((data / "classification_papers.json").read_text())
    refs = pd.DataFrame(json.loads((data / "paper_references.json").read_text()), columns=["source", "target"]).astype(str)
    refs = refs[refs["source"] != refs["target"]]
    graph = Graph.from_pandas(refs)
    label = {str(p): name for name, papers in fields.items() if "/" not in name for p in papers}
    return graph, pd.Series(label).reindex(graph.ids)


def load_instagram(data: Path) -> tuple[Graph, pd.Series]:
    """Owner -> mentioned or tagged account, from the post sample; each influencer's category."""
    known = {"beauty", "family", "fashion", "fitness", "food", "interior", "other", "pet", "travel"}
    inf = pd.read_csv(data / "influencers.txt.gz", sep="\t", skiprows=[1], dtype=str)
    inf = inf[inf["Category"].isin(known)]
    posts = pd.read_csv(data / "instagram_posts.tsv.gz", sep="\t", dtype=str, keep_default_na=False)
    parts = []
    for col in ("caption_mentions", "tagged_users"):
        named = posts[["owner_username", col]].assign(**{col: posts[col].str.split(" ")}).explode(col)
        named = named[named[col].str.len() > 0]
        parts.append(pd.DataFrame({"source": named["owner_username"].str.lower(),
                                   "target": named[col].str.lower().str.lstrip("@")}))
    edges = pd.concat(parts).drop_duplicates()
    graph = Graph.from_pandas(edges[edges["source"] != edges["target"]])
    label = inf.assign(user=inf["Username"].str.lower()).drop_duplicates("user").set_index("user")["Category"]
    return graph, label.reindex(graph.ids)


def precision_at(scores: np.ndarray, exclude: np.ndarray, relevant: np.ndarray, k: int = 50) -> float:
    order = np.argsort(-scores, kind="stable")
    order = order[~exclude[order]][:k]
    return float(relevant[order].mean())


def _combined(targ: pd.DataFrame, authority: str, gate: bool) -> pd.Series:
    """The targets score recomputed from its components with ``authority`` as the niche-authority
    component, gated by brand fit or (``gate=False``) as a plain weighted mean."""
    num = pd.Series(0.0, index=targ.index)
    den = pd.Series(0.0, index=targ.index)
    for name, w in targ.attrs["weights"].items():
        if gate and name == "affinity":
            values = pd.Series(1.0, index=targ.index)
        else:
            values = targ[authority if name == "niche_authority" else tg.COMPONENTS[name]]
        num += np.where(values.notna(), w * values.fillna(0.0), 0.0)
        den += np.where(values.notna(), w, 0.0)
    score = num / den.replace(0.0, np.nan)
    return (targ["affinity_score"] * score if gate else score).fillna(0.0)


def scores(graph: Graph, seeds, prior_strength, *, posts=None, target: TargetParams) -> tuple[dict, pd.Index]:
    """Every method's score over ``graph.ids`` (higher is better) and the targets table's accounts."""
    targ = analyze(graph, posts=posts, target=target, stability_runs=0).targets
    on_ids = lambda values: values.reindex(graph.ids, fill_value=-1.0).to_numpy(dtype=float)  # noqa: E731
    out = {"ppr": personalized_pagerank(graph, seeds)["ppr"].to_numpy()}
    for name, kw in (("affinity", {}), ("affinity_share", {"membership": "share"}),
                     ("affinity_any", {"membership": "any"}), ("affinity_both", {"neighbourhood": "both"})):
        out[name] = audience_affinity(graph, seeds, prior_strength=prior_strength, **kw)["affinity"].to_numpy()
    out["targets"] = on_ids(pd.Series(np.arange(len(targ), 0, -1), index=targ.index))
    out["targets_fit"] = on_ids(targ["affinity_score"])  # brand accounts are never listed
    out["whole_authority"] = on_ids(_combined(targ, "niche_authority", gate=True))
    out["weighted_mean"] = on_ids(_combined(targ, "niche_authority", gate=False))
    return out, targ.index


def labelled(name: str, graph: Graph, label: pd.Series, prior_strength, *, min_size: int, k: int = 50) -> pd.DataFrame:
    """precision@k of every method for each label with >= min_size members (seeds: its 5 most followed)."""
    indeg = np.bincount(graph.adjacency("follows").indices, minlength=graph.n_accounts)
    values = label.to_numpy()
    sizes = label.value_counts()
    rows = []
    for d in sorted(sizes[sizes >= min_size].index):
        members = np.flatnonzero(values == d)
        seeds_pos = members[np.argsort(-indeg[members], kind="stable")[:5]]
        seeds = list(graph.ids[seeds_pos])
        exclude = label.isna().to_numpy().copy()
        exclude[seeds_pos] = True
        relevant = values == d
        got, _ = scores(graph, seeds, prior_strength, target=TargetParams(seeds=seeds, tier="all"))
        rows.append({name: d, "members": int((values == d).sum()),
                     **{m: precision_at(got[m], exclude, relevant, k) for m in METHODS}})
    table = pd.DataFrame(rows).set_index(name)
    print(f"{name}: {graph.n_accounts} accounts, {graph.n_edges} edges; precision@{k}, prior_strength={prior_strength}")
    print(table.round(3).to_string())
    print(f"mean precision@{k}: " + ", ".join(f"{m} {v:.3f}" for m, v in table[list(METHODS)].mean().items()))
    return table


def planted(n_edges: int, prior_strength, seeds=(1, 2, 3, 4, 5), k: int = 20) -> pd.DataFrame:
    """precision@k against the planted fit creators, the brand given as its and competitors' accounts."""
    from graphinflu.generate import generate

    rows = []
    for seed in seeds:
        data = generate(n_edges, seed=seed, brand=True)
        graph = data.to_graph(interactions=False)
        posts = data.posts.to_pandas()
        posts["owner"] = posts["owner"].astype(str)
        b = data.brand
        brand = BrandTarget(accounts=b.accounts, competitors=b.competitors)
        got, candidates = scores(graph, list(brand.seeds), prior_strength, posts=posts, target=TargetParams(brand=brand))
        exclude = ~graph.ids.isin(candidates)  # micro tier, never the brand's own accounts
        relevant = graph.ids.isin(b.fit)
        rows.append({"seed": seed, **{m: precision_at(got[m], exclude, relevant, k) for m in METHODS}})
    table = pd.DataFrame(rows).set_index("seed")
    print(f"planted brand, {n_edges:,} edges, brand given as accounts; precision@{k} among micro creators")
    print(table.round(3).to_string())
    print(f"mean precision@{k}: " + ", ".join(f"{m} {v:.3f}" for m, v in table[list(METHODS)].mean().items()))
    return table


def departments(data: Path, prior_strength, k: int = 50) -> pd.DataFrame:
    graph, dept = load(data)
    return labelled("department", graph, dept, prior_strength, min_size=50, k=k)


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
    ap.add_argument("--planted-edges", type=int, default=100_000, help="0 to skip the planted brand")
    ap.add_argument("--cora", type=Path, default=None, help="a folder with CoRA's JSON files (optional)")
    ap.add_argument("--instagram", nargs="?", type=Path, const=DEFAULT_DATA.parent / "instagram-influencers",
                    default=None, help="score Instagram categories too (optional folder; default ../shared/data's)")
    ap.add_argument("--timing-edges", type=int, default=10_000_000)
    args = ap.parse_args(argv)
    m = args.prior_strength if args.prior_strength == "auto" else float(args.prior_strength)
    departments(args.data, m)
    if args.planted_edges:
        planted(args.planted_edges, m)
    if args.cora is not None:
        graph, field = load_cora(args.cora)
        labelled("field", graph, field, m, min_size=100)
    if args.instagram is not None:
        graph, category = load_instagram(args.instagram)
        labelled("category", graph, category, m, min_size=100)
    if args.timing_edges:
        timing(args.timing_edges)
        brand_timing(args.timing_edges)


if __name__ == "__main__":
    main()
