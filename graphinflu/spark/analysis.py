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

Not computed by the Spark engine (the manifest's notes say so): HITS hub/authority, profiles,
interactions, posts and engagement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis import Analysis, _Timed, overlap_creators_of, tier_source_note
from ..errors import InputError
from ..graph import Graph
from ..metrics import communities as comm, overlap, shortlist as sl, targets as tg
from ..metrics.affinity import _affinity_from_counts
from ..metrics.tiers import _SOURCE_DTYPE, _normalise_bounds
from ..params import CommunityParams, LoadOptions, TargetParams, _Params
from . import metrics as M
from .reader import SparkGraph, read_follows

#: Steps reported to ``progress``.
SPARK_STEPS = ("reading", "authority", "tiers", "communities", "targets", "overlap", "shortlist")

NOT_COMPUTED = ("the Spark engine does not compute HITS (hub, authority), profiles, interactions, posts or "
                "engagement; run --engine local for those columns")


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
            params: SparkParams | None = None, progress=None) -> SparkRun:
    """The analysis of :func:`graphinflu.analysis.analyze` on Spark, from the files ``load`` names.

    Returns the same tables (``accounts``, ``communities``, ``targets``, the four overlap tables,
    ``shortlist``) with the local engine's columns, except those in :data:`NOT_COMPUTED`.
    PageRank, overlap counts, the shortlist (for the same creators) and affinity equal the local
    engine's (see ``tests/test_spark.py``); niches are clusters of creators by shared audience.
    """
    niches = niches or CommunityParams()
    target = target or TargetParams()
    params = params or SparkParams()
    timings: dict[str, float] = {}
    timed = _Timed(progress, timings)
    with timed("reading"):
        sg = read_follows(spark, load)
        seeds = sg.codes(target.seeds, what="seed accounts") if target.seeds else np.zeros(0, np.int64)
    ids = sg.id_array()
    index = pd.Index(ids, name="id", dtype=object)
    with timed("authority"):
        pr = M.pagerank(sg)
        indeg = M.indegree_array(sg)
        extra = {}
        if len(seeds):
            extra["audience_match"] = M.pagerank(sg, seeds=seeds)
            c = M.affinity_counts(sg, seeds)
            aff = _affinity_from_counts(c["shared"], c["audience"], c["target"], c["active"], seeds, index)
            extra.update(affinity=aff["affinity"].to_numpy(), affinity_lift=aff["lift"].to_numpy(),
                         affinity_low=aff["affinity_low"].to_numpy(), affinity_high=aff["affinity_high"].to_numpy())
    with timed("tiers"):
        names, lows = _normalise_bounds(target.tier_bounds)
        codes = np.searchsorted(lows, indeg.astype(np.float64), side="right") - 1
        acc = pd.DataFrame({
            "handle": ids,
            "followers": indeg,
            "followers_source": pd.Categorical.from_codes(np.ones(len(ids), np.int8), dtype=_SOURCE_DTYPE),
            "tier": pd.Categorical.from_codes(codes.astype(np.int16), categories=names, ordered=True),
            "pagerank": pr,
            "indegree": indeg,
            **extra,
        }, index=index)
    with timed("communities"):
        pool = niche_pool(acc, target.tier, params.niche_pool)
        membership, summary = coaudience_niches(sg, pool, ids, pr, niches)
        acc["community"] = membership.reindex(index).astype("Int64")
        if "niche_label" in summary:
            acc["niche_label"] = summary["niche_label"].reindex(acc["community"].to_numpy()).to_numpy()
    with timed("targets"):
        brand = ids[seeds] if len(seeds) else None
        targ = tg.targets(acc, tier=target.tier, exclude=brand)
    with timed("overlap"):
        creators = overlap_creators_of(acc, targ, target.overlap_top)
        tables = overlap_tables(sg, creators, acc["handle"])
    with timed("shortlist"):
        short = spark_shortlist(sg, creators, k=min(target.shortlist_k, len(creators)))
    notes = [n for n in (tier_source_note(acc),) if n] + [NOT_COMPUTED]
    run_params = {**niches.as_dict(), "tier": target.tier, "overlap_top": target.overlap_top,
                  "shortlist_k": target.shortlist_k, "seeds": list(target.seeds), "engine": "spark",
                  "niche_pool": params.niche_pool, "niches_on": "co-audience graph of the niche pool"}
    result = Analysis(acc, summary, targ, *tables, short, None, creators, run_params, timings, notes)
    return SparkRun(result, sg)


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


#: ``rank --by`` scores the Spark engine computes.
SPARK_RANKINGS = ("pagerank", "ppr", "indegree")


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
    else:
        score = M.pagerank(sg, damping=damping, seeds=sg.codes(seeds, what="seed accounts") if by == "ppr" else None)
    order = np.argsort(-score, kind="stable")
    if top is not None:
        order = order[:top]
    return pd.DataFrame({"rank": np.arange(1, len(order) + 1), "handle": ids[order], by: score[order]},
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
    accounts = top_by_indegree(sg, top) if top is not None else list(dict.fromkeys(str(a).strip() for a in accounts))
    tables = dict(zip(OVERLAP_VIEWS, overlap_tables(sg, accounts, pd.Series(ids, index=ids))))
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
    candidates = list(dict.fromkeys(str(c).strip() for c in candidates))
    inc = M.incidence(sg, sg.codes(candidates))
    sub = Graph.from_pandas(inc, accounts=pd.DataFrame(index=pd.Index(candidates, name="id", dtype=object)))
    return sl.shortlist(sub, k=k, candidates=candidates, allow_empty=True)
