"""``analyze`` on Spark: the tables of :func:`graphinflu.analysis.analyze`, with the heavy steps as
Spark jobs (``graphinflu analyze FILE --engine spark``).

What runs where
    In Spark: reading and id encoding, in-degrees, PageRank (and personalized PageRank from the
    brand's seeds), the counts of audience affinity, the exact audience overlap of the creators
    (a self-join on followers) with exclusive reach, union reach and the frequency histogram,
    and the co-audience graph of the niche pool. On the driver: one row per account (the account
    table is O(accounts), never O(edges)), the Leiden clustering of the pool's co-audience graph
    (graphinflu's own Leiden), the target score and the shortlist's greedy over the candidates'
    collected incidence (``Σ audience`` follows, 16 bytes each: 100 creators of 50,000 followers
    are 80 MB).

Niches at scale
    The local engine finds niches on the whole follower graph. At scale the niches are clusters
    of *creators* by shared audience: the ``niche_pool`` accounts with the highest PageRank in the
    target tier, linked by the Jaccard similarity of their audiences, clustered with
    graphinflu's Leiden. Accounts outside the pool have no community (empty), so their niche
    authority is 0 and they are not targets.

Brand fit
    With the brand's (and competitors') accounts, ``affinity`` and its bounds and lift equal the
    local engine's (:func:`spark_affinity`), and ``brand_fit`` is made from its lift as
    :func:`graphinflu.brand.brand_columns` makes it; targets score brand fit by it.

Profiles
    ``--profiles``: follower counts and tiers from the profiles, audience quality counted by a
    join, the other profile columns (:mod:`graphinflu.spark.profiles`).

Posts
    ``--posts``: engagement per creator, the posts summed per owner in Spark and the local
    formula (shrinkage, percentiles) on the sums (:mod:`graphinflu.spark.posts`).

Not computed by the Spark engine (the manifest's notes say so): HITS hub/authority,
interactions (and the interaction graph posts make) and niche stability. Options that need them (an audience sample,
interests, categories, budgets and costs, a posts window, stability runs) are refused with the
fix (:func:`refuse_local_only`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis import Analysis, _Timed, overlap_creators_of, tier_source_note
from ..errors import InputError
from ..graph import Graph
from ..metrics import benchmarks, communities as comm, overlap, shortlist as sl, targets as tg
from ..metrics.affinity import smoothed_share
from ..metrics.tiers import _normalise_bounds, tiers
from ..params import CommunityParams, EngagementParams, LoadOptions, TargetParams, _Params
from . import metrics as M
from .posts import spark_engagement
from .profiles import accounts_graph, attach_profiles, audience_quality as profile_quality
from .profiles import profile_tier_labels
from .reader import SparkGraph, read_follows

#: Steps reported to ``progress``.
SPARK_STEPS = ("reading", "authority", "tiers", "communities", "targets", "overlap", "shortlist")

NOT_COMPUTED = ("the Spark engine does not compute HITS (hub, authority), interactions (nor the interaction "
                "graph posts make), or niche stability; run --engine local for those columns")


def refuse(local_only: dict) -> None:
    """Refuse the options of ``local_only`` (option name → whether it was given) that were given:
    one :class:`~graphinflu.errors.InputError` naming them all, with the fix."""
    given = [name for name, value in local_only.items() if value]
    if given:
        raise InputError(f"{', '.join(given)} need the local engine", hint="drop them, or use --engine local")


def refuse_local_only(target: TargetParams, engagement: EngagementParams | None = None,
                      stability_runs: int | None = None) -> None:
    """Refuse, before Spark starts, what only the local engine computes: an audience sample
    (``--brand-audience``), interests, categories (profiles), budgets and costs, a posts window
    (``--since``/``--until``) and niche stability (``--stability-runs``)."""
    refuse({"--brand-audience": target.brand.audience, "--interests": target.brand.interests,
            "--category": target.categories, "--budget": target.budget is not None,
            "--cost-col/--tier-costs": target.cost_col or target.tier_costs,
            "--since/--until": engagement is not None and engagement.window, "--stability-runs": stability_runs})


@dataclass(frozen=True)
class SparkParams(_Params):
    """How the Spark engine runs.

    Parameters
    ----------
    master : str or None
        Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``, ``k8s://...``); None: the
        active session, else ``local[*]``.
    niche_pool : int
        How many creators (highest PageRank in the target tier) the co-audience niches cluster.
    """

    master: str | None = None
    niche_pool: int = 500

    def __post_init__(self) -> None:
        if isinstance(self.niche_pool, bool) or not isinstance(self.niche_pool, int) or self.niche_pool < 2:
            raise InputError(f"the niche pool must be a whole number ≥ 2, not {self.niche_pool!r}")


@dataclass
class SparkRun:
    """What :func:`analyze` returns: the :class:`~graphinflu.analysis.Analysis` tables and the
    Spark graph they came from."""

    analysis: Analysis
    graph: SparkGraph


def analyze(spark, load: LoadOptions, *, niches: CommunityParams | None = None, target: TargetParams | None = None,
            params: SparkParams | None = None, progress=None, engagement: EngagementParams | None = None,
            stability_runs: int | None = None) -> SparkRun:
    """The analysis of :func:`graphinflu.analysis.analyze` on Spark, from the files ``load`` names.

    Returns the same tables (``accounts``, ``communities``, ``targets``, the four overlap tables,
    ``shortlist``) with the local engine's columns, except those in :data:`NOT_COMPUTED`.
    PageRank, overlap counts, the shortlist (for the same creators) and affinity equal the local
    engine's (see ``tests/test_spark.py``); niches are clusters of creators by shared audience.
    ``engagement`` and ``stability_runs`` are accepted so that a window or stability runs are
    refused (:func:`refuse_local_only`), not ignored.
    """
    niches = niches or CommunityParams()
    target = target or TargetParams()
    refuse_local_only(target, engagement, stability_runs)
    params = params or SparkParams()
    timings: dict[str, float] = {}
    timed = _Timed(progress, timings)
    with timed("reading"):
        sg = read_follows(spark, load, with_tables=True)
        prof = None
        if load.profiles is not None:
            sg, prof = attach_profiles(sg, load.profiles)
        seeds = sg.codes(target.seeds) if target.seeds else np.zeros(0, np.int64)
    ids = sg.id_array()
    index = pd.Index(ids, name="id", dtype=object)
    with timed("authority"):
        pr = M.pagerank(sg)
        indeg = M.indegree_array(sg)
        extra = {}
        if len(seeds):
            extra["audience_match"] = M.pagerank(sg, seeds=seeds)
            aff = spark_affinity(sg, seeds)
            extra.update(affinity=aff["affinity"].to_numpy(), affinity_lift=aff["lift"].to_numpy(),
                         affinity_low=aff["affinity_low"].to_numpy(), affinity_high=aff["affinity_high"].to_numpy(),
                         brand_fit=aff["brand_fit"].to_numpy())
    with timed("tiers"):
        people = accounts_graph(ids, prof)
        tt = tiers(people, bounds=target.tier_bounds, indegree=indeg)
        acc = pd.DataFrame({
            "handle": people.accounts["handle"].to_numpy(),
            "followers": tt["followers"].to_numpy(),
            "followers_source": tt["followers_source"].to_numpy(),
            "tier": tt["tier"].to_numpy(),
            "pagerank": pr,
            "indegree": indeg,
            **extra,
        }, index=index)
        post_notes = []
        if load.posts is not None:  # engagement: posts summed per creator in Spark, the local formula on the sums
            eng, post_notes = spark_engagement(sg, load.posts, tt, people)
            platform = (engagement or EngagementParams()).platform
            if platform is not None:
                eng = eng.join(benchmarks.compare_with_benchmarks(eng, platform=platform))
            acc = acc.join(eng[[c for c in eng.columns if c not in acc.columns]])
        if prof is not None:  # the local account table's order: audience quality, then the other profile columns
            if (aq := profile_quality(sg, people)) is not None:
                acc = acc.join(aq)
            acc = acc.join(people.accounts[[c for c in people.accounts.columns if c not in acc.columns]])
    with timed("communities"):
        pool = niche_pool(acc, target.tier, params.niche_pool)
        membership, summary = coaudience_niches(sg, pool, ids, pr, niches)
        acc["community"] = membership.reindex(index).astype("Int64")
        if "niche_label" in summary:
            acc["niche_label"] = summary["niche_label"].reindex(acc["community"].to_numpy()).to_numpy()
    with timed("targets"):
        brand = ids[seeds] if len(seeds) else None
        targ = tg.targets(acc, tier=target.tier, exclude=brand, niches=target.niches,
                          weights=None if target.weights is None else dict(target.weights))
    with timed("overlap"):
        creators = overlap_creators_of(acc, targ, target.overlap_top)
        tables = overlap_tables(sg, creators, acc["handle"])
    with timed("shortlist"):
        short = spark_shortlist(sg, creators, k=min(target.shortlist_size, len(creators)))
    notes = [n for n in (tier_source_note(acc),) if n] + post_notes + [NOT_COMPUTED]
    run_params = {**niches.as_dict(), "tier": target.tier, "overlap_top": target.overlap_top,
                  "shortlist_k": target.shortlist_size, "seeds": list(target.seeds),
                  "weights": targ.attrs.get("weights", {}), "engine": "spark",
                  "niche_pool": params.niche_pool, "niches_on": "co-audience graph of the niche pool"}
    if target.niches:
        run_params["niches"] = list(target.niches)
    if target.tier_bounds != TargetParams().tier_bounds:
        run_params["tier_bounds"] = [list(b) for b in target.tier_bounds]
    if target.brand:
        found = {"affinity": {k: aff.attrs[k] for k in ("base_rate", "prior_strength", "target_audience")}}
        run_params["brand"] = {**target.brand.as_dict(), "found": found}
    result = Analysis(acc, summary, targ, *tables, short, None, creators, run_params, timings, notes, stability=None)
    return SparkRun(result, sg)


def spark_affinity(sg: SparkGraph, seeds) -> pd.DataFrame:
    """:func:`graphinflu.metrics.affinity.audience_affinity` of every account for the brand's
    ``seeds`` (account codes), with the sums from Spark (:func:`graphinflu.spark.metrics.affinity_counts`)
    and, on the driver, the local engine's base rate (pooled over the follow edges outside the
    seeds' audiences), dispersion and :func:`~graphinflu.metrics.affinity.smoothed_share`; plus
    ``brand_fit`` = max(0, 1 − 1/lift), as :func:`graphinflu.brand.brand_columns` makes it from
    this one signal. Columns ``shared``, ``audience``, ``affinity``, ``lift``, ``affinity_low``,
    ``affinity_high``, ``brand_fit``; ``attrs`` as the local function's."""
    c = M.affinity_counts(sg, seeds)
    shared, audience_n = c["shared"], c["audience"]
    pos = np.asarray(seeds, dtype=np.int64)
    fit = audience_n >= 2
    fit[pos] = False  # a seed's audience is T by definition: it says nothing about the spread
    others = np.ones(len(shared), bool)
    others[pos] = False
    total = float(audience_n[others].sum())
    p0 = float(shared[others].sum()) / total if total else 0.0
    phi = 1.0
    if 0.0 < p0 < 1.0:  # weighted membership: phi = Var(t) / (p0 (1 - p0)) over the same follow edges
        second = float(c["shared_sq"][others].sum()) / total
        phi = float(np.clip((second - p0 * p0) / (p0 * (1.0 - p0)), 1e-9, 1.0))
    est = smoothed_share(shared, audience_n, p0, fit=fit, phi=phi)
    with np.errstate(divide="ignore", invalid="ignore"):
        fit_score = np.nan_to_num(np.clip(1.0 - 1.0 / est.lift, 0.0, None), nan=0.0)
    out = pd.DataFrame({"shared": shared, "audience": audience_n, "affinity": est.share, "lift": est.lift,
                        "affinity_low": est.low, "affinity_high": est.high, "brand_fit": fit_score},
                       index=pd.Index(sg.id_array(), name="id", dtype=object))
    out.attrs.update(base_rate=p0, prior_strength=est.prior_strength, dispersion=phi,
                     target_audience=c["target"], membership="excess",
                     neighbourhood="followers")
    return out


def niche_pool(accounts: pd.DataFrame, tier: str | None, size: int) -> list[str]:
    """The creators whose co-audience graph is clustered: the ``size`` accounts with followers and
    the highest PageRank (ties in account order), within ``tier`` unless it is ``None``/``"all"``."""
    ok = accounts["indegree"].to_numpy() > 0
    if tier not in (None, "all"):
        ok &= (accounts["tier"].astype(str) == str(tier)).to_numpy()
    cand = np.flatnonzero(ok)
    order = cand[np.argsort(-accounts["pagerank"].to_numpy()[cand], kind="stable")]
    return list(accounts.index[order[:size]])


def coaudience_niches(sg: SparkGraph, pool: list[str], ids: np.ndarray, pagerank: np.ndarray,
                      niches: CommunityParams) -> tuple[pd.Series, pd.DataFrame]:
    """Communities of the ``pool`` creators on their co-audience graph (an edge per pair sharing a
    follower, weighted by the Jaccard similarity of their audiences, from the Spark self-join),
    clustered by :func:`graphinflu.metrics.communities.communities` with ``niches``' method and
    resolution; and its :func:`~graphinflu.metrics.communities.community_summary`."""
    if len(pool) < 2:
        return pd.Series(np.zeros(len(pool), np.int64), index=pd.Index(pool, name="id", dtype=object)), pd.DataFrame(
            {"size": [len(pool)]}, index=pd.Index([0], name="community")) if pool else pd.DataFrame()
    codes = sg.codes(pool)
    c = M.audience_counts(sg, codes)
    size = c["sizes"]
    union = size[c["a"]] + size[c["b"]] - c["shared"]
    edges = pd.DataFrame({"source": np.asarray(pool, dtype=object)[c["a"]],
                          "target": np.asarray(pool, dtype=object)[c["b"]],
                          "weight": c["shared"] / np.maximum(union, 1)})
    pool_index = pd.Index(pool, name="id", dtype=object)
    cograph = Graph.from_pandas(edges, weight="weight", accounts=pd.DataFrame(index=pool_index))
    params = niches.replace(weight=True)
    membership = comm.communities(cograph, params)
    authority = pd.Series(pagerank[codes], index=pool_index)
    summary = comm.community_summary(cograph, membership, authority=authority, symmetrize=params.symmetrize,
                                     weight=True)
    return membership["community"], summary


def overlap_tables(sg: SparkGraph, creators: list[str], handles: pd.Series):
    """``overlap_pairs``, ``overlap_creators``, ``overlap_summary``, ``overlap_histogram`` of
    ``creators``, with the columns of :mod:`graphinflu.metrics.overlap`, counted in Spark."""
    if len(creators) < 1:
        return None, None, None, None
    codes = sg.codes(creators)
    c = M.audience_counts(sg, codes)
    size, a, b, shared = c["sizes"], c["a"], c["b"], c["shared"]
    ids = np.asarray(creators, dtype=object)
    order = overlap._pair_order(a, b, shared, len(creators))
    pairs = overlap._pair_frame(ids, a[order], b[order], shared[order], size)
    pairs["method"] = pd.Categorical.from_codes(np.zeros(len(pairs), np.int8), categories=["exact", "estimated"])
    excl = c["exclusive"]
    per_creator = pd.DataFrame({"handle": handles.reindex(ids).to_numpy(), "audience_size": size, "exclusive": excl,
                                "overlapping": size - excl,
                                "overlapping_pct": 100.0 * (size - excl) / np.maximum(size, 1)},
                               index=pd.Index(ids, name="id", dtype=object))
    hist_counts = c["histogram"]
    union = int(hist_counts.sum())
    total = int(size.sum())
    excl_reach = int(hist_counts[0]) if len(hist_counts) else 0
    mf = total / union if union else np.nan
    rows = {"creators": len(ids), "total_followers": total, "union_reach": union, "exclusive_reach": excl_reach,
            "mean_frequency": mf}
    summary = pd.DataFrame({"value": [float(v) for v in rows.values()], "low": [float(v) for v in rows.values()],
                            "high": [float(v) for v in rows.values()], "method": "exact", "confidence": 1.0},
                           index=pd.Index(list(rows), name="figure"))
    hist = pd.DataFrame({"followers": hist_counts, "share_of_union": hist_counts / max(union, 1),
                         "followers_at_least": np.cumsum(hist_counts[::-1])[::-1]},
                        index=pd.Index(np.arange(1, len(ids) + 1), name="frequency"))
    return pairs, per_creator, summary, hist


def spark_shortlist(sg: SparkGraph, creators: list[str], *, k: int) -> pd.DataFrame | None:
    """The reach shortlist of :func:`graphinflu.metrics.shortlist.shortlist` among ``creators``: their
    follows are selected in Spark and collected (the incidence matrix; memory ``Σ audience`` × 16
    bytes), then the same lazy greedy picks, so the picks are the local engine's."""
    if not creators or k < 1:
        return None
    return shortlist_view(sg, k=k, candidates=list(creators))



class _KindCounts:
    """``graph.edges["kind"].value_counts()`` for the manifest, without the edges on the driver."""

    def __init__(self, n_edges: int):
        self.n_edges = n_edges

    def value_counts(self) -> pd.Series:
        return pd.Series({"follows": self.n_edges})


@dataclass
class GraphFacts:
    """The figures :func:`graphinflu.analysis.write_analysis` records about the graph."""

    n_accounts: int
    n_edges: int
    report: object

    @property
    def edges(self) -> dict:
        return {"kind": _KindCounts(self.n_edges)}


def is_uri(out) -> bool:
    """Whether ``out`` is a URI Spark writes (``hdfs://``, ``s3a://``, ``gs://``, ``file://``)."""
    return "://" in str(out)


def write_run(run: SparkRun, out, *, load: LoadOptions, fmt: str = "csv", command: str = "analyze") -> dict:
    """Write the tables of ``run``: into a local folder exactly as
    :func:`graphinflu.analysis.write_analysis` does (``fmt``, manifest last), or, when ``out`` is a
    URI, as one Parquet dataset per table written by Spark, then ``manifest.json``."""
    from ..analysis import TABLES, write_analysis

    facts = GraphFacts(run.graph.n_accounts, run.graph.n_edges, run.graph.report)
    if not is_uri(out):
        return write_analysis(run.analysis, out, load=load, graph=facts, fmt=fmt, command=command)
    import json

    import pyarrow as pa

    from .session import spark_errors

    spark = run.graph.spark
    base = str(out).rstrip("/")
    files = {}
    with spark_errors(base):
        for name in TABLES:
            df = getattr(run.analysis, name)
            if df is None:
                continue
            flat = df.reset_index() if df.index.name else df
            flat = flat.astype({c: str for c in flat.columns if isinstance(flat[c].dtype, pd.CategoricalDtype)})
            table = pa.Table.from_pandas(flat, preserve_index=False)
            spark.createDataFrame(table).write.mode("overwrite").parquet(f"{base}/{name}.parquet")
            files[name] = f"{name}.parquet"
        manifest = {"command": command, "engine": "spark", "inputs": {k: str(v) for k, v in load.paths().items()},
                    "parameters": run.analysis.parameters, "graph": {"accounts": facts.n_accounts,
                                                                     "edges": facts.n_edges},
                    "notes": run.analysis.notes, "timings_s": run.analysis.timings, "files": files}
        text = json.dumps(manifest, indent=1, default=str)
        spark.createDataFrame([(text,)], "value string").coalesce(1).write.mode("overwrite").text(
            f"{base}/manifest.json")
    return manifest


#: ``rank --by`` scores the Spark engine computes (``hits`` is the authority score, as locally).
SPARK_RANKINGS = ("pagerank", "ppr", "indegree", "hits", "authority", "hub")


def ranking(sg: SparkGraph, by: str = "pagerank", *, seeds=(), damping: float = 0.85,
            top: int | None = None) -> pd.DataFrame:
    """:func:`graphinflu.selection.ranking` on Spark, for ``by`` in :data:`SPARK_RANKINGS`: the
    same columns (``rank``, ``handle``, the score), highest first, ties in account order."""
    if by not in SPARK_RANKINGS:
        raise InputError(f"--engine spark ranks by {', '.join(SPARK_RANKINGS)}, not {by!r}",
                         hint="use --engine local for the other scores")
    if by == "ppr" and not seeds:
        raise InputError("--by ppr needs --seeds", hint="e.g. --seeds brand_a,brand_b")
    ids = sg.id_array()
    if by == "indegree":
        score = M.indegree_array(sg)
    elif by in ("hits", "authority", "hub"):
        hub, auth = M.hits(sg)
        score, by = (hub, "hub") if by == "hub" else (auth, "authority")
    else:
        score = M.pagerank(sg, damping=damping, seeds=sg.codes(seeds) if by == "ppr" else None)
    order = np.argsort(-score, kind="stable")
    if top is not None:
        order = order[:top]
    return pd.DataFrame({"rank": np.arange(1, len(order) + 1), "handle": sg.handle_array()[order], by: score[order]},
                        index=pd.Index(ids[order], name="id", dtype=object))


OVERLAP_VIEWS = ("pairs", "creators", "summary", "histogram")


def overlap_view(sg: SparkGraph, *, accounts=None, top: int | None = None, view: str = "pairs",
                 min_shared: int = 1) -> pd.DataFrame:
    """``graphinflu overlap`` on Spark: one view of the exact audience overlap of ``accounts`` (ids)
    or of the ``top`` accounts by follow in-degree (ties in account order), with the columns of
    :mod:`graphinflu.metrics.overlap`."""
    if (accounts is None) == (top is None):
        raise InputError("choose the creators with exactly one of --accounts A,B,C or --top K",
                         hint="--tier/--niche need the local engine (--engine local)")
    ids = sg.id_array()
    accounts = top_by_indegree(sg, top) if top is not None else list(dict.fromkeys(ids[sg.codes(accounts)]))
    tables = dict(zip(OVERLAP_VIEWS, overlap_tables(sg, accounts, pd.Series(sg.handle_array(), index=ids))))
    table = tables[view]
    if view == "pairs" and min_shared > 1:
        table = table[table["shared"] >= min_shared].reset_index(drop=True)
    return table


def top_by_indegree(sg: SparkGraph, top: int, *, option: str = "--top") -> list[str]:
    """The ``top`` accounts by follow in-degree (ties in account order), as
    :func:`graphinflu.metrics.overlap.select_creators` picks them."""
    indeg = M.indegree_array(sg)
    order = np.argsort(-indeg, kind="stable")
    order = order[indeg[order] > 0]
    if top > len(order):
        raise InputError(f"top={top} but only {len(order)} accounts have followers in the follow graph",
                         hint=f"use {option} {len(order)} or fewer")
    return list(sg.id_array()[order[:top]])


def shortlist_view(sg: SparkGraph, *, k: int, candidates=None, top_candidates: int | None = None) -> pd.DataFrame:
    """``graphinflu shortlist --k K`` on Spark among ``candidates`` (ids) or the ``top_candidates``
    accounts by follow in-degree: :func:`spark_shortlist` (their incidence is collected, so they
    must be named: every account's would be the whole graph)."""
    if (candidates is None) == (top_candidates is None):
        raise InputError("--engine spark shortlists among --candidates A,B,C or --top-candidates N",
                         hint="name the candidates: collecting every account's audience would collect the graph")
    if top_candidates is not None:
        candidates = top_by_indegree(sg, top_candidates, option="--top-candidates")
    codes = np.asarray(list(dict.fromkeys(sg.codes(candidates))), dtype=np.int64)
    candidates = list(sg.id_array()[codes])
    inc = M.incidence(sg, codes)
    sub = Graph.from_pandas(inc, accounts=pd.DataFrame({"handle": sg.handle_array()[codes]},
                                                       index=pd.Index(candidates, name="id", dtype=object)))
    return sl.shortlist(sub, k=k, candidates=candidates, allow_empty=True)


def similar_view(sg: SparkGraph, account: str, *, by: str = "jaccard", top: int | None = 20, tier: str | None = None,
                 candidates=None, min_shared: int = 1) -> pd.DataFrame:
    """``graphinflu similar ACCOUNT`` on Spark: the lookalike table of
    :func:`graphinflu.metrics.overlap.similar`, exact. The shared followers of ``account`` with
    every other account are counted by one join in Spark (:func:`graphinflu.spark.metrics.shared_followers`:
    the follows of its followers), collected as one count per account, and ranked by the local
    engine's own code (:func:`~graphinflu.metrics.overlap.lookalike_table`). ``tier`` keeps the
    candidates of that follower tier (default bounds; followers from the profiles when ``sg`` has
    them, else the follow in-degree, as the local engine counts them)."""
    if by not in ("jaccard", "overlap"):
        raise InputError(f"by must be 'jaccard' or 'overlap', not {by!r}")
    code = int(sg.codes([account])[0])
    shared, a = M.shared_followers(sg, code)
    sizes = M.indegree_array(sg)
    if a == 0:
        raise InputError(f"1 creator(s) have no followers in the follow graph: {str(account).strip()}",
                         hint="drop them from the list, or check the edge direction (--direction followed-follower "
                              "for 'account,follower' files)")
    keep = None
    if tier is not None:
        names, lows = _normalise_bounds(TargetParams().tier_bounds)
        labels = np.asarray(names, dtype=object)[np.searchsorted(lows, sizes.astype(np.float64), side="right") - 1]
        if sg.profiles is not None:  # tiers from the profiles' follower counts, as the local engine has them
            labels = profile_tier_labels(sg, sizes)
        if not (labels == str(tier)).any():
            raise InputError(f"no account has tier {tier!r}", hint=f"tier labels present: {sorted(set(labels))[:20]}")
        keep = labels == str(tier)
    ids = sg.id_array()
    return overlap.lookalike_table(pd.Index(ids, name="id", dtype=object), sg.handle_array(), shared, sizes, code, a,
                                   keep=keep,
                                   candidates=None if candidates is None else sg.codes(candidates),
                                   min_shared=min_shared, by=by, top=top)
