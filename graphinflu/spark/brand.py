"""The whole brand target, categories, budgets and niche stability on the Spark engine: what
``graphinflu analyze --engine spark`` computes from ``--brand``/``--competitors``,
``--brand-audience``, ``--interests``, ``--category``, ``--budget`` with ``--cost-col`` or
``--tier-costs`` and ``--stability-runs``, equal to the local engine.

What runs where
    In Spark, everything that touches a follow edge or a post: the target-audience membership
    of every follower (the share of the brand's and competitors' accounts it follows beyond
    chance, or 1 for an account of the audience sample or one matching the interests) and its
    sums over each account's followers (Σ t, Σ t²: a join and an aggregation), and the posts'
    interest matches, counted per owner (posts and matching posts; Java's regex with the pattern
    the local engine builds). On the driver, per account: resolving the audience sample and the
    post owners (the local identity rule), matching the profile texts (one row per account) and
    the local arithmetic — base rate, dispersion, smoothing, lift and ``brand_fit``
    (:func:`graphinflu.metrics.affinity.affinity_from_sums`,
    :func:`graphinflu.brand.combine_brand_columns`). The edges are never collected.

Shortlist under a budget
    The candidates' incidence is collected, as for ``k`` picks, and the local cost-aware greedy
    (:func:`graphinflu.metrics.shortlist.shortlist` with the costs of the profile column or of
    the tiers) picks on it: the same picks as the local engine.

Niche stability
    Spark niches are Leiden clusters of the niche pool's co-audience graph, so stability is
    measured on that graph: :func:`graphinflu.analysis.niche_stability_of` (the same seeds, the
    same rule for running by itself: up to 500,000 edges, which a pool of 500 creators, at most
    124,750 pairs, never exceeds). ``niche_stability`` is set for the pool's creators; others
    have no niche, so it is empty for them.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from .._time import parse_instant
from ..analysis import niche_stability_of
from ..brand import POST_TEXT_COLUMNS, BrandColumns, _pattern, combine_brand_columns, interest_matches
from ..brand import resolve_audience
from ..errors import InputError
from ..graph import Graph
from ..loaders.posts import _OTHER_SPACE_CLASS
from ..metrics import shortlist as sl
from ..metrics.affinity import affinity_from_sums
from ..params import BrandTarget, CommunityParams, EngagementParams, TargetParams
from .metrics import audience_graph, indegree_array
from .posts import _list_text, first_posts, owner_positions, read_raw_posts
from .reader import SparkGraph
from .session import spark_errors


# ------------------------------------------------------------------------------------ affinity
def target_counts(sg: SparkGraph, seeds, sample) -> dict:
    """The sums audience affinity rests on, counted in Spark, in code order, for the brand's
    ``seeds`` and the audience ``sample`` (account codes): each follower's membership ``t`` =
    max(0, j − d·σ) / S (j of the S distinct seeds followed, d accounts followed, σ the seeds'
    share of all follows: ``membership="excess"`` of
    :func:`graphinflu.metrics.affinity.audience_affinity`, with the same floating-point
    operations), 1 for an account of the sample, 0 for accounts that follow nobody; ``shared`` =
    Σ t and ``shared_sq`` = Σ t² over each account's followers, ``audience`` (its followers) and
    ``target`` (the accounts with t > 0)."""
    from pyspark.sql import functions as F

    seeds = np.unique(np.asarray(seeds, dtype=np.int64))
    sample = np.unique(np.asarray(sample, dtype=np.int64))
    n_seeds = max(len(seeds), 1)
    audience = indegree_array(sg)
    total = int(audience.sum())
    sigma = float(audience[seeds].sum()) / total if total and len(seeds) else 0.0
    spark = sg.spark
    with spark_errors(sg.name):
        cand = spark.createDataFrame(pd.DataFrame({"src": sample, "j": np.zeros(len(sample), np.int64),
                                                   "a": np.ones(len(sample), np.int64)}), "src long, j long, a long")
        if len(seeds):
            sel = spark.createDataFrame(pd.DataFrame({"dst": seeds}), "dst long")
            linked = (sg.edges.join(F.broadcast(sel), "dst").groupBy("src")
                      .agg(F.count(F.lit(1)).alias("j"), F.lit(0).cast("long").alias("a")))
            cand = cand.unionByName(linked)
        # per candidate: seeds followed, in the sample or not; then the accounts it follows (its out-degree)
        cand = cand.groupBy("src").agg(F.sum("j").alias("j"), F.max("a").alias("a"))
        outdeg = sg.edges.join(cand.select("src"), "src").groupBy("src").agg(F.count(F.lit(1)).alias("d"))
        excess = F.greatest(F.col("j") - F.col("d") * F.lit(sigma), F.lit(0.0)) / F.lit(float(n_seeds))
        member = (cand.join(outdeg, "src")  # only accounts that follow someone are in an audience
                  .select("src", F.when(F.col("a") > 0, F.lit(1.0)).otherwise(excess).alias("t"))
                  .where(F.col("t") > 0).persist())
        n_target = member.count()
        sums = (sg.edges.join(member, "src").groupBy(F.col("dst").alias("code"))
                .agg(F.sum("t").alias("k"), F.sum(F.col("t") * F.col("t")).alias("k2")).toArrow())
        member.unpersist()
    code = sums.column("code").to_numpy()
    k, k2 = np.zeros(sg.n_accounts), np.zeros(sg.n_accounts)
    k[code] = sums.column("k").to_numpy()
    k2[code] = sums.column("k2").to_numpy()
    return {"shared": k, "shared_sq": k2, "audience": audience, "target": int(n_target)}


def spark_audience_affinity(sg: SparkGraph, people: Graph, seeds=(), audience=()) -> pd.DataFrame:
    """:func:`graphinflu.metrics.affinity.audience_affinity` (``membership="excess"``) of every
    account for the brand's ``seeds`` (names: ids) and the ``audience`` sample (ids of
    ``people``, the accounts in code order): the sums from Spark (:func:`target_counts`), the
    base rate, dispersion and smoothing of the local code."""
    codes = sg.codes(seeds, what="seed accounts") if len(seeds) else np.zeros(0, np.int64)
    sample = people.ids.get_indexer(pd.Index(list(audience), dtype=object))
    c = target_counts(sg, codes, sample[sample >= 0])
    return affinity_from_sums(people.ids, c["shared"], c["audience"], codes, shared_sq=c["shared_sq"],
                              target_audience=c["target"])


# ------------------------------------------------------------------------------------ interests
def post_interest_counts(sg: SparkGraph, path, interests, window: tuple[float, float] | None = None) -> pd.DataFrame:
    """Per post owner (``owner``: stripped, without ``@``, lower case, as the local reader has it):
    ``posts`` and ``matching`` (posts whose hashtags, ``caption`` or ``text`` mention the
    ``interests``), counted in Spark and collected (one row per owner). The match is the local
    engine's (:func:`graphinflu.brand.interest_matches`): the same pattern, whole words or
    phrases, case-insensitive, hashtags normalised as the local reader normalises them and tried
    without spaces too. Repeated ``shortcode`` rows count once (the first), as locally. With
    ``window`` (``low``, ``high`` epoch seconds), only the posts with ``low ≤ t < high`` count
    (undated ones do not), as :func:`graphinflu.metrics.tiers.posts_in_window` keeps them."""
    from pyspark.sql import functions as F

    spark = sg.spark
    path = str(path)
    raw, found, name = read_raw_posts(spark, path)
    text_pat, tag_pat = (f"(?iu){_pattern(interests, squash=s)}" for s in (False, True))
    with spark_errors(name):
        hit = F.lit(False)
        for col in POST_TEXT_COLUMNS:
            if col == "hashtags":
                if "hashtags" not in found:
                    continue
                text = F.regexp_replace(F.lower(_list_text(F, raw, found["hashtags"])),
                                        f"[,;|]|{_OTHER_SPACE_CLASS}", " ")
                hit = hit | F.coalesce(text.rlike(tag_pat), F.lit(False))
            elif col in raw.columns and col not in found.values():
                hit = hit | F.coalesce(F.col(f"`{col}`").cast("string").rlike(text_pat), F.lit(False))
        extra = []
        if window is not None:  # timestamps read as the engagement sums read them
            from .posts import _timestamps

            extra.append((_timestamps(F, raw, found["timestamp"]) if "timestamp" in found
                          else F.lit(None).cast("double")).alias("ts"))
        posts = first_posts(raw, found, hit.alias("hit"), *extra)
        if window is not None:
            posts = posts.where((F.col("ts") >= F.lit(float(window[0]))) & (F.col("ts") < F.lit(float(window[1]))))
        return (posts.groupBy("owner").agg(F.count(F.lit(1)).alias("posts"),
                                           F.sum(F.col("hit").cast("long")).alias("matching"))
                .orderBy("owner").toPandas())


def interest_parts(sg: SparkGraph, people: Graph, interests, posts=None,
                   window: tuple[float, float] | None = None, owner_codes: pd.Series | None = None
                   ) -> tuple[np.ndarray, tuple | None]:
    """``matched`` and ``post_counts`` for :func:`graphinflu.brand.combine_brand_columns`: profile
    texts matched on the driver (:func:`graphinflu.brand.interest_matches` on ``people``), posts
    counted per owner in Spark (:func:`post_interest_counts`). Owners that are no account are
    rows after the accounts (the local engine makes them accounts), so the pooled post share and
    the matching accounts count them as locally."""
    matched, _ = interest_matches(people, interests)
    if posts is None:
        return matched, None
    per_owner = post_interest_counts(sg, posts, interests, window)
    pos = owner_positions(people, per_owner["owner"].to_numpy(dtype=object), owner_codes)
    n = people.n_accounts
    known = pos >= 0
    n_posts = np.bincount(pos[known], weights=per_owner["posts"].to_numpy(np.float64)[known], minlength=n)
    n_hit = np.bincount(pos[known], weights=per_owner["matching"].to_numpy(np.float64)[known], minlength=n)
    matched = matched | (n_hit > 0)
    lost = per_owner[~known]
    counts = (np.r_[n_posts, lost["posts"].to_numpy(np.float64)].astype(np.int64),
              np.r_[n_hit, lost["matching"].to_numpy(np.float64)], int(per_owner["matching"].sum()))
    return np.r_[matched, lost["matching"].to_numpy() > 0], counts


def spark_brand_columns(sg: SparkGraph, brand: BrandTarget, people: Graph, posts=None, *,
                        engagement: EngagementParams | None = None, owner_codes: pd.Series | None = None
                        ) -> BrandColumns:
    """:func:`graphinflu.brand.brand_columns` on Spark: the same columns, values (affinity to
    1e-9), report and notes for the whole brand target — the brand's and competitors' accounts,
    the audience sample (resolved on ``people``, the accounts in code order with their profile
    columns), interests against the profiles and, with ``posts`` (a path), the posts in
    ``engagement``'s ``--since``/``--until`` window, as the local engine counts them.
    ``owner_codes``: each post owner's account (:attr:`graphinflu.spark.post_graph.SparkPosts.owner_codes`).
    """
    window = None
    if engagement is not None and engagement.window:
        low, high = parse_instant(engagement.since), parse_instant(engagement.until)
        window = (-np.inf if low is None else low, np.inf if high is None else high)
    audience, audience_report, notes = resolve_audience(people, brand)

    def affinity(seeds, sample):
        return spark_audience_affinity(sg, people, seeds, sample)

    matched = post_counts = None
    if brand.interests:
        matched, post_counts = interest_parts(sg, people, brand.interests, posts, window, owner_codes)
    return combine_brand_columns(people.ids, brand, audience, audience_report, notes,
                                 affinity if sg.n_edges else None, matched, post_counts)


def brand_found(fit: BrandColumns | None) -> dict:
    """``parameters["brand"]["found"]`` of the manifest, as the local engine records it."""
    return {k: v for k, v in (fit.report if fit else {}).items() if v}


# ------------------------------------------------------------------------------------ costs, shortlist
def check_cost_column(target: TargetParams, people: Graph) -> None:
    """The local engine's error when ``--cost-col`` names no profile column (before Spark works)."""
    if target.cost_col is not None and target.cost_col not in people.accounts.columns:
        raise InputError(f"cost column {target.cost_col!r} is not in the profiles",
                         hint="profile columns are: " + (", ".join(map(str, people.accounts.columns)) or "none")
                              + "; load --profiles with a cost column, or use --tier-costs")


def target_shortlist(sg: SparkGraph, creators: list[str], accounts: pd.DataFrame,
                     target: TargetParams) -> pd.DataFrame | None:
    """The shortlist ``analyze`` makes among ``creators``: ``target.shortlist_size`` picks and/or
    ``target.budget`` with the costs of ``target.cost_col`` (a column of ``accounts``) or
    ``target.tier_costs`` (by ``accounts["tier"]``). The candidates' follows are selected in
    Spark and collected (their incidence; memory ``Σ audience`` × 16 bytes), then the local
    greedy (:func:`graphinflu.metrics.shortlist.shortlist`) picks: the local engine's picks."""
    if not creators:
        return None
    size = target.shortlist_size
    k = None if size is None else min(size, len(creators))
    if k is not None and k < 1:
        return None
    costs = target.cost_col or (dict(target.tier_costs) or None)
    sub = audience_graph(sg, creators, columns=[target.cost_col] if target.cost_col else ())
    return sl.shortlist(sub, k=k, budget=target.budget, costs=costs, tiers=accounts["tier"], candidates=creators,
                        allow_empty=True)


def given_target_parameters(target: TargetParams) -> dict:
    """The manifest's record of the target options given (categories, budget, costs), as the
    local engine writes it."""
    out = {}
    for name in ("categories", "budget", "cost_col", "tier_costs"):
        value = getattr(target, name)
        if value:
            out[name] = value if not isinstance(value, tuple) else [list(v) if isinstance(v, tuple) else v
                                                                    for v in value]
    return out


# ------------------------------------------------------------------------------------ stability
def coaudience_stability(cograph: Graph | None, accounts: pd.DataFrame, communities: pd.DataFrame,
                         niches: CommunityParams, runs: int | None, timings: dict) -> tuple[dict | None, list[str]]:
    """Niche stability of the co-audience niches: :func:`graphinflu.analysis.niche_stability_of`
    on the pool's co-audience graph ``cograph`` (weighted, as the niches were found), ``runs``
    seeds (``None``: by itself up to 500,000 edges). Adds ``niche_stability`` to ``accounts``
    (empty outside the pool) and ``stability`` to ``communities``; returns (summary, notes)."""
    if cograph is None:
        return None, []
    pool = cograph.ids
    member = accounts["community"].reindex(pool).astype("int64").to_numpy()
    table = SimpleNamespace(accounts=pd.DataFrame({"community": member}, index=pool), communities=communities,
                            kinds="follows")
    summary, notes = niche_stability_of(cograph, table, niches.replace(weight=True), runs, timings)
    if summary is not None:
        accounts["niche_stability"] = table.accounts["niche_stability"].reindex(accounts.index).to_numpy()
    return summary, notes
