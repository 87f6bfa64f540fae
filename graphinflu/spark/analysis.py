"""``analyze`` on Spark: the tables of :func:`graphinflu.analysis.analyze`, with the heavy steps as
Spark jobs (``graphinflu analyze FILE --engine spark``).

What runs where
    In Spark: reading and id encoding, in-degrees, PageRank (and personalized PageRank from the
    brand's seeds), HITS hub and authority (:func:`graphinflu.spark.metrics.hits`), the counts
    of audience affinity, the exact audience overlap of the creators
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
    The whole brand target (own and competitors' accounts, ``--brand-audience``, ``--interests``
    against the profiles and posts) gives the columns, values and report of
    :func:`graphinflu.brand.brand_columns`: membership and its sums counted in Spark, the
    per-account arithmetic of the local code (:mod:`graphinflu.spark.brand`); targets score brand
    fit by it. ``--category`` filters the targets, ``--budget`` with ``--cost-col``/``--tier-costs``
    makes the cost-aware shortlist on the candidates' collected incidence, and niche stability
    (``--stability-runs``, or by itself as locally) is measured on the co-audience graph.

Profiles
    ``--profiles``: follower counts and tiers from the profiles, audience quality counted by a
    join, the other profile columns (:mod:`graphinflu.spark.profiles`).

Posts
    ``--posts``: the interaction graph posts make — owners and the accounts they mention, tag or
    sponsor as accounts, their edges, the per-owner columns — built in Spark as the local engine
    builds it (:mod:`graphinflu.spark.post_graph`), and engagement per creator, the posts summed
    per owner in Spark and the local formula (shrinkage, percentiles) on the sums
    (:mod:`graphinflu.spark.posts`).

Interactions
    ``--interactions``: the interaction graph read and encoded in Spark (interaction-only accounts
    appended as the local engine appends them), interaction PageRank by the same power iteration
    with the local weighting, Cha et al.'s signals and ``cha_agreement`` from the weights
    received, summed in Spark (:mod:`graphinflu.spark.interactions`), over the interactions
    and the posts' edges together. A posts window (``--since``/``--until``) is applied to the
    posts in Spark (:mod:`graphinflu.spark.posts`).

Every option of the local ``analyze`` is taken; the accounts are the local engine's, in its order
(:func:`graphinflu.spark.load.read_inputs`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis import Analysis, _Timed, overlap_creators_of, tier_source_note
from ..errors import InputError
from ..selection import niche_id
from ..graph import Graph
from ..metrics import benchmarks, communities as comm, overlap, shortlist as sl, targets as tg, upset
from ..metrics.affinity import affinity_from_sums
from ..metrics.tiers import _normalise_bounds, tiers
from ..params import CommunityParams, EngagementParams, LoadOptions, TargetParams, _Params
from . import metrics as M
from . import brand as SB
from .interactions import cha_agreement_of, flag_unresolved, interaction_columns, measure
from .load import read_inputs
from .post_graph import post_columns
from .posts import check_window, spark_engagement
from .profiles import accounts_graph, audience_quality as profile_quality
from .profiles import profile_tier_labels
from .reader import SparkGraph

#: Steps reported to ``progress``.
SPARK_STEPS = ("reading", "authority", "tiers", "communities", "targets", "overlap", "shortlist")


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
    ``shortlist``, ``shortlist_intersections``, ``cha_agreement`` with interactions) with the
    local engine's columns.
    PageRank, overlap counts, the shortlist (for the same creators) and affinity equal the local
    engine's (see ``tests/test_spark.py``); niches are clusters of creators by shared audience.
    ``engagement`` (the posts' window and benchmark platform) and ``stability_runs`` (niche
    stability on the co-audience graph; ``None``: by itself, as locally) as for the local engine.
    """
    niches = niches or CommunityParams()
    target = target or TargetParams()
    check_window(load, engagement)
    params = params or SparkParams()
    timings: dict[str, float] = {}
    timed = _Timed(progress, timings)
    with timed("reading"):
        got = read_inputs(spark, load)  # every input, accounts numbered as locally
        sg, prof, inter, posted = got.graph, got.profiles, got.interactions, got.posts
        seeds = sg.codes(target.seeds) if target.seeds else np.zeros(0, np.int64)
    ids = sg.id_array()
    index = pd.Index(ids, name="id", dtype=object)
    SB.check_cost_column(target, accounts_graph(ids, prof))
    with timed("authority"):
        pr = M.pagerank(sg)
        hub, auth = M.hits(sg)
        indeg = M.indegree_array(sg)
        extra = {}
        signals = measure(sg, inter) if inter is not None and inter.kinds else None
        if len(seeds):
            extra["audience_match"] = M.pagerank(sg, seeds=seeds)
        fit = None
        if target.brand:  # the whole brand target: counted in Spark, the local arithmetic per account
            fit = SB.spark_brand_columns(sg, target.brand, accounts_graph(ids, prof), load.posts, engagement=engagement,
                                         owner_codes=None if posted is None else posted.owner_codes)
            extra.update({c: fit.table[c].to_numpy() for c in fit.table.columns})
    with timed("tiers"):
        people = accounts_graph(ids, prof)
        tt = tiers(people, bounds=target.tier_bounds, indegree=indeg)
        acc = pd.DataFrame({
            "handle": people.accounts["handle"].to_numpy(),
            "followers": tt["followers"].to_numpy(),
            "followers_source": tt["followers_source"].to_numpy(),
            "tier": tt["tier"].to_numpy(),
            "pagerank": pr,
            "hub": hub,
            "authority": auth,
            "indegree": indeg,
            **(interaction_columns(signals, tt) if signals is not None else {}),
            **extra,
        }, index=index)
        post_notes = []
        if load.posts is not None:  # engagement: posts summed per creator in Spark, the local formula on the sums
            eng, post_notes = spark_engagement(sg, load.posts, tt, people, engagement, owner_codes=posted.owner_codes)
            platform = (engagement or EngagementParams()).platform
            if platform is not None:
                eng = eng.join(benchmarks.compare_with_benchmarks(eng, platform=platform))
            acc = acc.join(eng[[c for c in eng.columns if c not in acc.columns]])
        # the local account table's order: audience quality, then the posts' per-owner columns and
        # the other profile columns (the local graph's account columns), then the unresolved flag
        if prof is not None and (aq := profile_quality(sg, people)) is not None:
            acc = acc.join(aq)
        if posted is not None:
            cols = post_columns(posted, index)
            acc = acc.join(cols[[c for c in cols.columns if c not in acc.columns]])
        if prof is not None:
            acc = acc.join(people.accounts[[c for c in people.accounts.columns if c not in acc.columns]])
        acc = flag_unresolved(acc, got.unresolved)
    with timed("communities"):
        pool = niche_pool(acc, target.tier, params.niche_pool)
        if not pool:
            post_notes.append(empty_pool_note(target.tier))
        cograph = coaudience_graph(sg, pool)
        membership, summary = coaudience_niches(sg, pool, ids, pr, niches, cograph=cograph)
        acc["community"] = membership.reindex(index).astype("Int64")
        if "niche_label" in summary:
            acc["niche_label"] = summary["niche_label"].reindex(acc["community"].to_numpy()).to_numpy()
        stability, stability_notes = SB.coaudience_stability(cograph, acc, summary, niches, stability_runs, timings)
    with timed("targets"):
        brand = ids[seeds] if len(seeds) else None
        targ = tg.targets(acc, tier=target.tier, exclude=brand, niches=target.niches,
                          weights=None if target.weights is None else dict(target.weights),
                          categories=target.categories)
    with timed("overlap"):
        creators = overlap_creators_of(acc, targ, target.overlap_top)
        tables = overlap_tables(sg, creators, acc["handle"])
    with timed("shortlist"):
        short = SB.target_shortlist(sg, creators, acc, target)
    notes = [n for n in (tier_source_note(acc),) if n] + post_notes + (fit.notes if fit else []) + stability_notes
    run_params = {**niches.as_dict(), "tier": target.tier, "overlap_top": target.overlap_top,
                  "shortlist_k": target.shortlist_size, "seeds": list(target.seeds),
                  "weights": targ.attrs.get("weights", {}), "engine": "spark",
                  "niche_pool": params.niche_pool, "niches_on": "co-audience graph of the niche pool"}
    if target.niches:
        run_params["niches"] = list(target.niches)
    run_params.update(SB.given_target_parameters(target))
    if target.tier_bounds != TargetParams().tier_bounds:
        run_params["tier_bounds"] = [list(b) for b in target.tier_bounds]
    if target.brand:
        run_params["brand"] = {**target.brand.as_dict(), "found": SB.brand_found(fit)}
    result = Analysis(acc, summary, targ, *tables, short, None, creators, run_params, timings, notes,
                      stability=stability, shortlist_intersections=shortlist_intersections(sg, short))
    result.cha_agreement = cha_agreement_of(acc)
    return SparkRun(result, sg)


def shortlist_intersections(sg: SparkGraph, short: pd.DataFrame | None) -> pd.DataFrame | None:
    """:func:`graphinflu.metrics.upset.audience_intersections` of the shortlist's first
    :data:`~graphinflu.metrics.upset.MAX_CREATORS` picks (the report's UpSet view), from their
    collected audiences."""
    if short is None:
        return None
    first = list(short.index[:upset.MAX_CREATORS])
    return upset.audience_intersections(M.audience_graph(sg, first) if first else Graph.from_pandas(
        pd.DataFrame({"source": pd.Series([], dtype=object), "target": pd.Series([], dtype=object)})), first)


def between_graph(sg: SparkGraph, accounts: pd.DataFrame) -> Graph:
    """The follows among the accounts of ``accounts`` (a slice of the account table), selected
    in Spark and collected, with those rows as the account table: what a map of them draws
    (follows between creators) without the rest of the graph."""
    codes = sg.codes(list(accounts.index))
    edges = M.edges_among(sg, codes)
    ids = accounts.index.to_numpy(dtype=object)
    order = np.argsort(codes, kind="stable")
    at = order[np.searchsorted(codes[order], edges["src"])] if len(edges["src"]) else np.zeros(0, np.int64)
    bt = order[np.searchsorted(codes[order], edges["dst"])] if len(edges["dst"]) else np.zeros(0, np.int64)
    frame = pd.DataFrame({"source": ids[at], "target": ids[bt]})
    return Graph.from_pandas(frame, accounts=accounts[[c for c in ("handle", "followers") if c in accounts]])


def spark_affinity(sg: SparkGraph, seeds) -> pd.DataFrame:
    """:func:`graphinflu.metrics.affinity.audience_affinity` of every account for the brand's
    ``seeds`` (account codes), with the sums from Spark (:func:`graphinflu.spark.metrics.affinity_counts`)
    and, on the driver, the local engine's base rate (pooled over the follow edges outside the
    seeds' audiences), dispersion and :func:`~graphinflu.metrics.affinity.smoothed_share`; plus
    ``brand_fit`` = max(0, 1 − 1/lift), as :func:`graphinflu.brand.brand_columns` makes it from
    this one signal. Columns ``shared``, ``audience``, ``affinity``, ``lift``, ``affinity_low``,
    ``affinity_high``, ``brand_fit``; ``attrs`` as the local function's."""
    c = M.affinity_counts(sg, seeds)
    out = affinity_from_sums(pd.Index(sg.id_array(), name="id", dtype=object), c["shared"], c["audience"], seeds,
                             shared_sq=c["shared_sq"], target_audience=c["target"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["brand_fit"] = np.nan_to_num(np.clip(1.0 - 1.0 / out["lift"].to_numpy(), 0.0, None), nan=0.0)
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


def empty_pool_note(tier: str | None) -> str:
    """Why no account has a niche on Spark: the niche pool (creators of the target tier with
    followers) is empty."""
    which = "no account" if tier in (None, "all") else f"no account of tier {tier!r}"
    return (f"{which} has followers, so the Spark engine's niche pool is empty and no account has a niche "
            "(on Spark, niches cluster the target tier's creators by shared audience): use --tier all, or "
            "give --profiles with follower counts")


def coaudience_graph(sg: SparkGraph, pool: list[str]) -> Graph | None:
    """The co-audience graph of the ``pool`` creators: an edge per pair sharing a follower,
    weighted by the Jaccard similarity of their audiences (from the Spark self-join); None for
    fewer than two creators. Its edges are in pool order (``a`` before ``b``, sorted), whatever
    order Spark's aggregation returned them in: Leiden's result depends on the edge order."""
    if len(pool) < 2:
        return None
    c = M.audience_counts(sg, sg.codes(pool))
    size = c["sizes"]
    order = np.lexsort((c["b"], c["a"]))
    a, b, shared = c["a"][order], c["b"][order], c["shared"][order]
    edges = pd.DataFrame({"source": np.asarray(pool, dtype=object)[a], "target": np.asarray(pool, dtype=object)[b],
                          "weight": shared / np.maximum(size[a] + size[b] - shared, 1)})
    return Graph.from_pandas(edges, weight="weight", accounts=pd.DataFrame(index=pd.Index(pool, name="id", dtype=object)))


def coaudience_niches(sg: SparkGraph, pool: list[str], ids: np.ndarray, pagerank: np.ndarray,
                      niches: CommunityParams, *, cograph: Graph | None = None) -> tuple[pd.Series, pd.DataFrame]:
    """Communities of the ``pool`` creators on their co-audience graph (``cograph``, else
    :func:`coaudience_graph`), clustered by :func:`graphinflu.metrics.communities.communities`
    with ``niches``' method and resolution; and its
    :func:`~graphinflu.metrics.communities.community_summary`."""
    pool_index = pd.Index(pool, name="id", dtype=object)
    if cograph is None:
        cograph = coaudience_graph(sg, pool)
    if cograph is None:  # nothing to pair: the local functions still give the tables their columns
        cograph = Graph.from_pandas(pd.DataFrame({"source": pd.Series([], dtype=object),
                                                  "target": pd.Series([], dtype=object),
                                                  "weight": pd.Series([], dtype=np.float64)}),
                                    weight="weight", accounts=pd.DataFrame(index=pool_index))
    codes = sg.codes(pool) if pool else np.zeros(0, np.int64)
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


def write_run(run: SparkRun, out, *, load: LoadOptions, fmt: str = "csv", command: str = "analyze",
              extra_files: dict | None = None) -> dict:
    """Write the tables of ``run``: into a local folder exactly as
    :func:`graphinflu.analysis.write_analysis` does (``fmt``, manifest last), or, when ``out`` is a
    URI, as one Parquet dataset per table written by Spark, then ``manifest.json``."""
    from ..analysis import TABLES, write_analysis

    facts = GraphFacts(run.graph.n_accounts, run.graph.n_edges, run.graph.report)
    if not is_uri(out):
        return write_analysis(run.analysis, out, load=load, graph=facts, fmt=fmt, command=command,
                              extra_files=extra_files)
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
SPARK_RANKINGS = ("pagerank", "ppr", "indegree", "hits", "authority", "hub", "interaction", "reach",
                  "amplification", "conversation")

#: The rankings that need ``--interactions`` (:func:`interaction_scores`).
INTERACTION_RANKINGS = ("interaction", "reach", "amplification", "conversation")


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
    elif by in INTERACTION_RANKINGS:
        score = interaction_scores(sg, by, damping=damping)
        by = "interaction_pagerank" if by == "interaction" else by
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


def interaction_scores(sg: SparkGraph, by: str, *, damping: float = 0.85) -> np.ndarray:
    """``rank --by interaction|reach|amplification|conversation`` on Spark, in code order: the
    interaction PageRank (:func:`graphinflu.spark.interactions.measure`) or the Cha et al. signal
    from the weights received (``reach``: followers from the profiles, else the follow in-degree;
    without interactions amplification and conversation are 0, as locally)."""
    from .interactions import InteractionSignals, interaction_columns, measure, no_interaction_edges, received_weights

    if by == "interaction":
        if sg.interactions is None:
            raise no_interaction_edges({})
        return measure(sg, sg.interactions, damping=damping).pagerank
    signals = InteractionSignals(np.zeros(sg.n_accounts), received_weights(sg, sg.interactions))
    people = accounts_graph(sg.id_array(), sg.profiles)
    cols = interaction_columns(signals, tiers(people, indegree=M.indegree_array(sg)))
    return np.asarray(cols[by], dtype=np.float64)


OVERLAP_VIEWS = ("pairs", "creators", "summary", "histogram")


def overlap_view(sg: SparkGraph, *, accounts=None, top: int | None = None, view: str = "pairs",
                 min_shared: int = 1, tier: str | None = None, niche=None, niches: CommunityParams | None = None,
                 notes: list | None = None) -> pd.DataFrame:
    """``graphinflu overlap`` on Spark: one view of the exact audience overlap of ``accounts`` (ids),
    of the ``top`` accounts by follow in-degree (ties in account order), or of the accounts of
    ``tier`` within the Spark niche ``niche`` that have followers (:func:`creators_by_group`; the
    ``top`` most followed of them when ``top`` is given), with the columns of
    :mod:`graphinflu.metrics.overlap`; what the selection left out is appended to ``notes``."""
    by_group = tier is not None or niche is not None
    if (accounts is not None) + (top is not None and not by_group) + by_group != 1:
        raise InputError("choose the creators with exactly one of --accounts A,B,C, --top K, or --tier/--niche",
                         hint="--top K may be combined with --tier/--niche to keep the K most followed of them")
    ids = sg.id_array()
    if tier is not None or niche is not None:
        accounts = creators_by_group(sg, tier=tier, niche=niche, niches=niches, top=top, notes=notes)
    elif top is not None:
        accounts = top_by_indegree(sg, top)
    else:
        accounts = list(dict.fromkeys(ids[sg.codes(accounts)]))
    tables = dict(zip(OVERLAP_VIEWS, overlap_tables(sg, accounts, pd.Series(sg.handle_array(), index=ids))))
    table = tables[view]
    if view == "pairs" and min_shared > 1:
        table = table[table["shared"] >= min_shared].reset_index(drop=True)
    return table


def creators_by_group(sg: SparkGraph, *, tier: str | None = None, niche=None, niches: CommunityParams | None = None,
                      top: int | None = None, notes: list | None = None) -> list[str]:
    """The accounts of ``tier`` (by follow in-degree, default bounds) within the Spark niche
    ``niche`` (:func:`spark_niches`) that have followers, most followed first (ties in account
    order), the first ``top`` of them when given: what :func:`graphinflu.selection.creators_by_group`
    picks, with the same messages, and its note on the accounts left out appended to ``notes``."""
    ids = pd.Index(sg.id_array(), name="id", dtype=object)
    indeg = M.indegree_array(sg)
    tiers = pd.Series(tier_labels(sg, indeg), index=ids)
    comms = spark_niches(sg, niches, tier=tier) if niche is not None else None
    pos = sg.codes(overlap.creators_in(tiers, comms, tier=tier, niche=niche))
    followed = indeg[pos] > 0
    if (~followed).any() and notes is not None:
        notes.append(f"{int((~followed).sum()):,} accounts of that tier/niche have no followers in the graph: left out")
    pos = pos[followed]
    if len(pos) == 0:
        raise InputError("no account of that tier/niche has followers in the graph",
                         hint="check --tier/--niche (and --direction for 'account,follower' files)")
    order = np.lexsort((pos, -indeg[pos]))
    if top is not None:
        order = order[:top]
    return list(ids[pos[order]])


def spark_niches(sg: SparkGraph, niches: CommunityParams | None = None, *, tier: str | None = None,
                 pool_size: int | None = None) -> pd.Series:
    """The Spark engine's niche of every account (a Series indexed by id, ``<NA>`` outside the
    niche pool), as ``analyze --engine spark --tier TIER`` numbers them with the same options: the
    ``pool_size`` creators of ``tier`` (default: the target tier, micro) with the highest PageRank,
    clustered on their co-audience graph (:func:`coaudience_niches`). ``overlap``/``similar``
    ``--niche`` pass their ``--tier``, so ``--tier nano --niche 3`` is niche 3 of the nano pool."""
    sg = sg.whole or sg  # niches are found on the whole follow graph, as locally
    ids = sg.id_array()
    index = pd.Index(ids, name="id", dtype=object)
    indeg = M.indegree_array(sg)
    pr = M.pagerank(sg)
    acc = pd.DataFrame({"indegree": indeg, "pagerank": pr, "tier": tier_labels(sg, indeg)}, index=index)
    pool = niche_pool(acc, TargetParams().tier if tier is None else tier, pool_size or SparkParams().niche_pool)
    membership, _ = coaudience_niches(sg, pool, ids, pr, niches or CommunityParams())
    return membership.reindex(index).astype("Int64")


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


def shortlist_view(sg: SparkGraph, *, k: int | None = None, candidates=None, top_candidates: int | None = None,
                   budget: float | None = None, costs=None, tier: str | None = None, seeds=(),
                   objective: str = "reach", f: int = 1) -> pd.DataFrame:
    """``graphinflu shortlist`` on Spark among ``candidates`` (ids), the ``top_candidates``
    accounts by follow in-degree, or the accounts of ``tier`` (within the candidates when both are
    given): their follows are selected in Spark and collected (the incidence matrix, Σ audience ×
    16 bytes), then :func:`graphinflu.metrics.shortlist.shortlist` runs on it with ``k`` or
    ``budget`` and ``costs`` (a number, a profile column, a mapping id → cost or tier → cost), the ``objective``
    and ``f``, and with ``seeds`` each follower weighted by its personalized PageRank from them
    (computed in Spark), so the picks are the local engine's. Tiers are the local engine's
    (:func:`tier_labels`). Every account with followers as candidates would collect
    the whole graph, so they must be chosen."""
    if candidates is not None and top_candidates is not None:
        raise InputError("give --candidates or --top-candidates, not both")
    if candidates is None and top_candidates is None and tier is None:
        raise InputError("--engine spark shortlists among --candidates A,B,C, --top-candidates N or --tier T",
                         hint="name the candidates: collecting every account's audience would collect the graph")
    if top_candidates is not None:
        candidates = top_by_indegree(sg, top_candidates, option="--top-candidates")
    if candidates is not None:
        candidates = list(dict.fromkeys(sg.id_array()[sg.codes(candidates)]))
    ids = sg.id_array()
    tiers = None
    if tier is not None or isinstance(costs, dict):
        indeg = M.indegree_array(sg)
        tiers = pd.Series(tier_labels(sg, indeg), index=pd.Index(ids, name="id", dtype=object), name="tier")
    if tier is not None:
        keep = (tiers.astype(str) == str(tier)).to_numpy(copy=True)
        if candidates is not None:
            keep &= np.isin(np.arange(len(ids)), sg.codes(candidates))
        if not keep.any():
            raise InputError(f"no candidate in tier {tier!r}", hint=f"tiers present: {sorted(set(tiers.astype(str)))}"
                             " (tiers come from profile follower counts: give --profiles)")
        candidates = list(ids[np.flatnonzero(keep & (indeg > 0))])
    if isinstance(costs, str):  # a profile column: the candidates' rows carry it, as the local graph's accounts do
        have = [] if sg.profiles is None else ["handle"] + [c for c in sg.profiles.columns if c != "handle"]
        if costs not in have:
            raise InputError(f"cost column {costs!r} not found in the profiles; columns are {have}",
                             hint="load profiles with a cost column (--profiles) or name the right one with --cost-col")
    sub = M.audience_graph(sg, candidates, columns=[costs] if isinstance(costs, str) else ())
    weights = None
    if seeds:
        ppr = M.pagerank(sg.whole or sg, seeds=sg.codes(list(seeds)))
        weights = pd.Series(ppr, index=pd.Index(ids, dtype=object)).reindex(sub.ids)
    return sl.shortlist(sub, k=k, budget=budget, costs=costs, candidates=candidates, weights=weights,
                        objective=objective, f=f, tiers=None if tiers is None else tiers.reindex(sub.ids),
                        allow_empty=True)


def indegree_tiers(indegree: np.ndarray, bounds=None) -> np.ndarray:
    """The tier label of every account by its follow in-degree (``bounds``: default tiers), as
    :func:`graphinflu.metrics.tiers.tiers` labels a graph without follower profiles."""
    names, lows = _normalise_bounds(bounds or TargetParams().tier_bounds)
    return np.asarray(names, dtype=object)[np.searchsorted(lows, indegree.astype(np.float64), side="right") - 1]


def tier_labels(sg: SparkGraph, indegree: np.ndarray) -> np.ndarray:
    """Every account's follower tier (default bounds) as the local engine has it: from the
    profiles' follower counts when ``sg`` has profiles (:func:`~graphinflu.spark.profiles.profile_tier_labels`),
    else from the follow ``indegree``."""
    if sg.whole is not None:  # a quality-only graph: tiers count every follower, as locally
        sg, indegree = sg.whole, M.indegree_array(sg.whole)
    return profile_tier_labels(sg, indegree) if sg.profiles is not None else indegree_tiers(indegree)


def similar_view(sg: SparkGraph, account: str, *, by: str = "jaccard", top: int | None = 20, tier: str | None = None,
                 candidates=None, min_shared: int = 1, niche=None, niches: CommunityParams | None = None,
                 said: list | None = None) -> pd.DataFrame:
    """``graphinflu similar ACCOUNT`` on Spark: the lookalike table of
    :func:`graphinflu.metrics.overlap.similar`, exact. The shared followers of ``account`` with
    every other account are counted by one join in Spark (:func:`graphinflu.spark.metrics.shared_followers`:
    the follows of its followers), collected as one count per account, and ranked by the local
    engine's own code (:func:`~graphinflu.metrics.overlap.lookalike_table`). ``tier`` keeps the
    candidates of that follower tier (default bounds; followers from the profiles when ``sg`` has
    them, else the follow in-degree, as the local engine counts them); ``niche`` (a community id,
    or ``"same"``: ``account``'s own) those of that Spark niche (:func:`spark_niches`, ``niches``
    its options), the niche of ``"same"`` said in ``said``."""
    if by not in ("jaccard", "overlap"):
        raise InputError(f"by must be 'jaccard' or 'overlap', not {by!r}")
    code = int(sg.codes([account])[0])
    shared, a = M.shared_followers(sg, code)
    sizes = M.indegree_array(sg)
    if a == 0:
        raise InputError(f"1 creator(s) have no followers in the follow graph: {str(account).strip()}",
                         hint="drop them from the list, or check the edge direction (--direction followed-follower "
                              "for 'account,follower' files)")
    keep = np.ones(len(sizes), bool)
    if tier is not None:
        labels = tier_labels(sg, sizes)
        if not (labels == str(tier)).any():
            raise InputError(f"no account has tier {tier!r}", hint=f"tier labels present: {sorted(set(labels))[:20]}")
        keep &= labels == str(tier)
    if niche is not None:
        keep &= niche_mask(spark_niches(sg, niches, tier=tier), account, niche, said)
    ids = sg.id_array()
    return overlap.lookalike_table(pd.Index(ids, name="id", dtype=object), sg.handle_array(), shared, sizes, code, a,
                                   keep=keep,
                                   candidates=None if candidates is None else sg.codes(candidates),
                                   min_shared=min_shared, by=by, top=top)


def niche_mask(communities: pd.Series, account: str, niche, said: list | None = None) -> np.ndarray:
    """Which accounts are in ``niche`` (a community id, or ``"same"``: ``account``'s own) of the
    Spark niches ``communities``, with the local engine's messages (and its note on "same" in
    ``said``)."""
    if niche == "same":
        own = communities.get(str(account).strip())
        if own is None or pd.isna(own):
            raise InputError(f"{account} has no niche on the Spark engine: niches there cluster the niche pool (the "
                             "target tier's creators with the highest PageRank) by shared audience",
                             hint="give a community id from analyze --engine spark's communities.csv, or drop --niche")
        niche = int(own)
        if said is not None:
            said.append(f"{account} is in niche {niche}")
    else:
        niche = niche_id(niche)
    labels = communities.dropna().astype(np.int64)
    mask = (communities == niche).fillna(False).to_numpy(bool)
    if not mask.any():
        raise InputError(f"no account has community {niche!r}",
                         hint=f"community labels present: {sorted(set(labels.astype(str)))[:20]}")
    return mask
