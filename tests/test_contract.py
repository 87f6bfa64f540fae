"""The metric contract, over the whole zoo (tests/conftest.py).

Every public function of :mod:`graphinflu.metrics` that takes a graph and returns a table with a
row per account is listed in :data:`CONTRACT`, and on every zoo graph its output

* is indexed by the account ids, in account order, index name ``id``;
* has no NaN, except in the columns of :data:`MAY_BE_MISSING`, where NaN means "unknown by design";
* covers every account with a label when it is a partition (``community``, ``tier``);
* is the same on a second run with the same seed.

``hits(engine="igraph")`` is not in the list: igraph's ARPACK answer is arbitrary, and changes
from run to run, where the top singular value is repeated (the zoo's cycle and two components);
the default engine returns NetworkX's answer there (test_authority.py checks it).

Where a metric refuses a graph on purpose (no interactions, no profiles, nothing to select), the
test checks that it says so with an :class:`~graphinflu.errors.InputError` instead.

Every other public function is in :data:`NOT_PER_ACCOUNT` with what it returns instead;
:func:`test_every_public_metric_is_listed` fails when a new one is in neither list.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import pytest

import graphinflu.metrics
from conftest import ZOO, ZOO_POSTS
from graphinflu.errors import InputError
from graphinflu.graph import Graph
from graphinflu.metrics import (affinity, authority, benchmarks, communities, overlap, quality, shortlist, sketches,
                                stability, targets, tiers, upset)
from graphinflu.metrics.authority import DEFAULT_INTERACTION_KINDS
from graphinflu.params import CommunityParams

#: Posts for the zoo graphs that have none: engagement then rates nobody (and says so in ``rated``).
NO_POSTS = pd.DataFrame({"owner": pd.Series([], dtype=object), "likes": pd.Series([], dtype=float),
                         "comments": pd.Series([], dtype=float)})
#: Columns documented as possibly missing (NaN) on some account — "unknown by design", never 0.
MAY_BE_MISSING: dict[str, str] = {
    "engagement_rate_shrunk": "unknown by design: no rated post (no counted post, or 0 followers); see engagement_known",
    "sponsored_share": "unknown by design: no counted post, or no sponsors/hashtags/is_ad column to tell",
    "audience_quality": "unknown by design: no follower with a profile (audience_quality_shrunk is the prior then)",
}
#: Columns that partition the accounts.
PARTITIONS = ("community", "tier")
PROFILE = ("followers", "following", "posts")


def _no_accounts(g: Graph) -> bool:
    return g.n_accounts == 0


def _no_interactions(g: Graph) -> bool:
    return not set(g.kinds_present()) & set(DEFAULT_INTERACTION_KINDS)


def _no_profiles(g: Graph) -> bool:
    return not set(PROFILE) & set(g.accounts.columns)


@dataclass(frozen=True)
class Metric:
    """One contract case: ``run(graph, zoo_name)`` returns the per-account table; when
    ``refuses(graph)`` is true the metric must raise an InputError matching ``refusal``."""

    name: str
    function: Callable
    run: Callable[[Graph, str], pd.DataFrame]
    refuses: Callable[[Graph], bool] | None = None
    refusal: str = ""


def _dated(posts: pd.DataFrame) -> pd.DataFrame:
    """``posts`` with a timestamp per post: day 1, 2, 3, ... of January 2024 in turn, the fourth post
    undated, so a window of days 2–3 keeps some posts, drops some and leaves some undated."""
    days = (np.arange(len(posts)) % 4 + 1).astype(float)
    ts = pd.Series(pd.Timestamp("2024-01-01", tz="UTC").value / 1e9 + (days - 1) * 86_400.0)
    return posts.assign(timestamp=ts.where(days != 4).to_numpy())


def _first(g: Graph) -> list[str]:
    """The first account as a one-seed list (no seed at all on a graph with no accounts)."""
    return list(g.ids[:1])


def _quality_columns(g: Graph) -> pd.DataFrame:
    """audience_quality_columns returns None (no columns) where follower profiles cannot judge an
    audience; the contract treats that as its refusal."""
    table = quality.audience_quality_columns(g, min_profiled=0.0)
    if table is None:
        raise InputError("no follower profiles to judge audiences")
    return table


CONTRACT: list[Metric] = [
    Metric("pagerank", authority.pagerank, lambda g, _: authority.pagerank(g)),
    Metric("pagerank[igraph]", authority.pagerank, lambda g, _: authority.pagerank(g, engine="igraph")),
    Metric("personalized_pagerank", authority.personalized_pagerank,
           lambda g, _: authority.personalized_pagerank(g, _first(g)), _no_accounts, "empty"),
    Metric("hits", authority.hits, lambda g, _: authority.hits(g)),
    Metric("indegree", authority.indegree, lambda g, _: authority.indegree(g)),
    Metric("interaction_pagerank", authority.interaction_pagerank,
           lambda g, _: authority.interaction_pagerank(g), _no_interactions, "needs interaction edges"),
    Metric("cha_signals", authority.cha_signals, lambda g, _: authority.cha_signals(g)),
    Metric("authority_scores", authority.authority_scores,
           lambda g, _: authority.authority_scores(g, seeds=_first(g) if g.n_accounts else None)),
    Metric("audience_affinity", affinity.audience_affinity,
           lambda g, _: affinity.audience_affinity(g, _first(g)), _no_accounts, "empty"),
    Metric("audience_affinity[kinds=all, prior 5]", affinity.audience_affinity,
           lambda g, _: affinity.audience_affinity(g, _first(g), kinds=list(g.kinds_present()) or "follows",
                                                   prior_strength=5), _no_accounts, "empty"),
    Metric("audience_affinity[audience, any, both]", affinity.audience_affinity,
           lambda g, _: affinity.audience_affinity(g, audience=list(g.ids[-2:]), membership="any",
                                                   neighbourhood="both"), _no_accounts, "empty"),
    Metric("follower_counts", tiers.follower_counts, lambda g, _: tiers.follower_counts(g)),
    Metric("tiers", tiers.tiers, lambda g, _: tiers.tiers(g)),
    Metric("engagement", tiers.engagement, lambda g, name: tiers.engagement(g, ZOO_POSTS.get(name, NO_POSTS))),
    Metric("engagement[since, until]", tiers.engagement,
           lambda g, name: tiers.engagement(g, _dated(ZOO_POSTS.get(name, NO_POSTS)), since="2024-01-02",
                                            until="2024-01-04")),
    Metric("communities[leiden]", communities.communities, lambda g, _: communities.communities(g, seed=3)),
    Metric("communities[leiden, igraph]", communities.communities,
           lambda g, _: communities.communities(g, seed=3, engine="igraph")),
    Metric("communities[louvain]", communities.communities,
           lambda g, _: communities.communities(g, method="louvain", seed=3)),
    Metric("communities[mutual, n_iterations=-1]", communities.communities,
           lambda g, _: communities.communities(g, symmetrize="mutual", n_iterations=-1, seed=3)),
    Metric("communities[cpm]", communities.communities,
           lambda g, _: communities.communities(g, method="cpm", seed=3)),
    Metric("communities[cpm, igraph]", communities.communities,
           lambda g, _: communities.communities(g, method="cpm", engine="igraph", seed=3)),
    Metric("communities[infomap]", communities.communities,
           lambda g, _: communities.communities(g, method="infomap", seed=3)),
    Metric("niche_stability", stability.niche_stability,
           lambda g, _: stability.niche_stability(g, CommunityParams(seed=3), runs=3)[0]),
    Metric("start_communities", communities.start_communities,
           lambda g, _: communities.start_communities(g, seed=3).result()),
    Metric("overlap_creators", overlap.overlap_creators,
           lambda g, _: overlap.overlap_creators(g, list(g.ids), allow_empty=True), _no_accounts, "empty"),
    Metric("follower_flags", quality.follower_flags, lambda g, _: quality.follower_flags(g),
           _no_profiles, "needs follower profiles"),
    Metric("quality_mask", quality.quality_mask, lambda g, _: quality.quality_mask(g).to_frame(),
           _no_profiles, "needs follower profiles"),
    Metric("audience_quality", quality.audience_quality,
           lambda g, _: quality.audience_quality(g, list(g.ids), allow_empty=True),
           lambda g: _no_profiles(g) or _no_accounts(g), "needs follower profiles|empty"),
    Metric("audience_quality_columns", quality.audience_quality_columns, lambda g, _: _quality_columns(g),
           lambda g: _no_profiles(g) or "follows" not in g.kinds_present(), "no follower profiles"),
]

#: Public functions that do not return one row per account, and what they return instead.
NOT_PER_ACCOUNT: dict[Callable, str] = {
    authority.cha_agreement: "one row per pair of Cha et al. signals",
    authority.agreement_of: "one row per pair of Cha et al. signals (cha_agreement from a signals table)",
    authority.cha_frame: "takes per-account parts, not a graph (checked via cha_signals and in test_spark_interactions)",
    authority.ranker_options: "the option names of a ranker (RANKERS are checked in test_authority)",
    communities.symmetrized_adjacency: "a sparse matrix",
    tiers.posts_in_window: "the posts table, filtered to a recency window",
    communities.symmetrized_networkx: "a NetworkX graph",
    communities.modularity: "a float",
    communities.community_summary: "one row per community",
    communities.cpm_threshold: "a float",
    stability.partition_agreement: "two floats",
    stability.stability_line: "a line of text",
    stability.stability_note: "a line of text or None",
    targets.reasons: "one string per row of a targets table (checked in test_targets)",
    targets.niche_authority: "takes account-table columns, not a graph (checked in test_targets)",
    overlap.lookalike_table: "takes per-account arrays, not a graph (similar's table; checked in test_overlap, test_spark)",
    quality.quality_columns_from_counts: "takes per-account counts, not a graph (checked via audience_quality_columns)",
    tiers.engagement_from_sums: "takes per-account sums, not a graph (checked via engagement, and in test_spark)",
    targets.check_weights: "a dict of score weights",
    targets.effective_weights: "a dict of score weights",
    affinity.smoothed_share: "arrays aligned with the counts given (audience_affinity above is built on it)",
    affinity.affinity_from_sums: "takes per-account sums, not a graph (audience_affinity above is built on it; "
                                 "checked in test_spark, test_spark_brand)",
    overlap.followers_csc: "a sparse matrix",
    overlap.audience_sizes: "a NumPy array over accounts (the tables above are built on it)",
    overlap.audience_matrix: "a sparse creators × accounts matrix",
    overlap.select_creators: "positions of the chosen creators",
    overlap.creators_in: "a list of ids",
    overlap.overlap_pairs: "one row per pair of creators",
    overlap.overlap_pairs_reference: "one row per pair of creators (brute force)",
    overlap.overlap_summary: "one row per set figure",
    overlap.frequency_histogram: "one row per frequency",
    overlap.similar: "one row per lookalike candidate with shared followers",
    shortlist.shortlist: "one row per picked creator",
    shortlist.shortlist_reference: "one row per picked creator (brute force)",
    shortlist.resolve_costs: "a cost array over the candidates",
    shortlist.coverage_value: "two floats",
    sketches.audience_sketches: "sketch objects, from a matrix",
    sketches.sketch_union: "a union estimate, from a matrix",
    sketches.estimated_pairs: "pair arrays, from a matrix",
    targets.targets: "takes the account table, not a graph (checked by test_targets_keeps_every_account)",
    benchmarks.published_benchmarks: "one row per published benchmark (schema checked in test_benchmarks)",
    benchmarks.benchmark_platforms: "a list of platform names",
    benchmarks.benchmark_for: "one row per follower count given, not per account of a graph (test_benchmarks)",
    benchmarks.compare_with_benchmarks: "takes the engagement table, not a graph (checked in test_benchmarks)",
    upset.audience_intersections: "one row per group of followers of a few creators (checked in test_report)",
}


def _public_functions() -> set:
    """Every function defined in a public module of graphinflu.metrics whose name has no underscore."""
    found = set()
    for info in pkgutil.iter_modules(graphinflu.metrics.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"graphinflu.metrics.{info.name}")
        for name, obj in vars(module).items():
            if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_"):
                found.add(obj)
    return found


def test_every_public_metric_is_listed():
    public = _public_functions()
    listed = {m.function for m in CONTRACT} | set(NOT_PER_ACCOUNT)
    missing = sorted(f"{f.__module__}.{f.__name__}" for f in public - listed)
    stale = sorted(f"{f.__module__}.{f.__name__}" for f in listed - public)
    assert not missing, f"add these to CONTRACT (per-account tables) or NOT_PER_ACCOUNT in test_contract.py: {missing}"
    assert not stale, f"no longer public, drop them from test_contract.py: {stale}"
    assert not {m.function for m in CONTRACT} & set(NOT_PER_ACCOUNT)


def _check_table(df: pd.DataFrame, g: Graph, label: str) -> None:
    assert isinstance(df, pd.DataFrame), label
    assert df.index.equals(g.ids), f"{label}: index is not the account ids in account order"
    assert df.index.name == "id", label
    assert df.shape[1] >= 1, label
    nan = [c for c in df.columns if df[c].isna().any() and c not in MAY_BE_MISSING]
    assert not nan, f"{label}: NaN in {nan}"
    for col in PARTITIONS:
        if col in df.columns:
            labels = df[col]
            assert labels.notna().all(), f"{label}: an account has no {col}"
            if col == "community":
                k = int(labels.max()) + 1 if len(labels) else 0
                assert sorted(set(labels)) == list(range(k)), f"{label}: community ids are not 0..k-1"


@pytest.mark.parametrize("metric", CONTRACT, ids=lambda m: m.name)
def test_metric_contract_over_the_zoo(metric, zoo):
    name, g = zoo
    label = f"{metric.name} on zoo {name!r}"
    if metric.refuses is not None and metric.refuses(g):
        with pytest.raises(InputError, match=metric.refusal):
            metric.run(g, name)
        return
    first = metric.run(g, name)
    _check_table(first, g, label)
    pd.testing.assert_frame_equal(first, metric.run(g, name), obj=label)


def test_the_contract_runs_every_metric_somewhere():
    """A contract case that every zoo graph refuses would check nothing."""
    for metric in CONTRACT:
        if metric.refuses is not None:
            assert any(not metric.refuses(make()) for make in ZOO.values()), metric.name


def test_the_contract_check_catches_broken_tables():
    g = ZOO["star"]()
    good = authority.pagerank(g)
    _check_table(good, g, "pagerank")
    for broken in (good.iloc[::-1], good.iloc[1:], good.assign(pagerank=np.nan),
                   good.rename_axis("account"), good.assign(community=[0, 0, 2, 2])):
        with pytest.raises(AssertionError):
            _check_table(broken, g, "broken")


def test_targets_keeps_every_account(zoo):
    """targets() ranks the account table (sorted by score): with tier=None every account is there once."""
    name, g = zoo
    table = authority.pagerank(g).join(authority.indegree(g)).join(communities.communities(g)).join(tiers.tiers(g))
    out = targets.targets(table, tier=None)
    assert sorted(out.index) == sorted(g.ids) and out.index.is_unique
    assert not out[["niche_authority", "score", "rank"]].isna().any().any()
    assert out["rank"].tolist() == list(range(1, g.n_accounts + 1))
    pd.testing.assert_frame_equal(out, targets.targets(table, tier=None))
