"""The per-account table: every figure graphinflu knows about an account, computed in one place.

``analyze``, ``map``, ``neo4j push`` / ``export`` and the gallery all take the table
:func:`account_table` builds; maps and stores only render or store it, so "the niche" and "the
authority" a user sees are the same whichever command showed them.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable, ContextManager, Iterable

import pandas as pd

from .graph import INTERACTION_KINDS, Graph
from . import brand as brand_fit
from .metrics import authority, benchmarks, communities as comm, quality, tiers
from .metrics.tiers import DEFAULT_TIERS
from .params import BrandTarget, CommunityParams, EngagementParams

#: A step reporter: ``progress(label)`` returns a context manager around that step.
Progress = Callable[[str], ContextManager]

#: The columns a database receives (``neo4j push`` / ``export``) when it stores the findings.
STORE_COLUMNS: tuple[str, ...] = ("pagerank", "hub", "authority", "indegree", "followers", "followers_source",
                                  "tier", "community", "niche_label", "engagement_rate")
@dataclass
class AccountTable:
    """What :func:`account_table` returns.

    Attributes
    ----------
    accounts : DataFrame
        One row per account of the graph (same order), indexed by account id.
    communities : DataFrame
        One row per niche: :func:`~graphinflu.metrics.communities.community_summary`.
    kinds : str or list of str
        The edge kinds authority and niches were computed on (``"follows"``, or every interaction
        kind when the graph has no follows).
    brand : dict
        With a brand target: what :func:`graphinflu.brand.brand_columns` reports (audience names
        resolved and not, interest matches, base rates), and ``notes`` in words.
    """

    accounts: pd.DataFrame
    communities: pd.DataFrame
    kinds: str | list[str]
    brand: dict | None = None


def metric_kinds(graph: Graph) -> str | list[str]:
    """``"follows"`` when the graph has follow edges, else every interaction kind."""
    return "follows" if "follows" in graph.kinds_present() else list(INTERACTION_KINDS)


def account_table(
    graph: Graph,
    *,
    posts: pd.DataFrame | None = None,
    niches: CommunityParams | None = None,
    seeds: Iterable[str] = (),
    tier_bounds=DEFAULT_TIERS,
    progress: Progress | None = None,
    engagement: EngagementParams | None = None,
    brand: BrandTarget | None = None,
) -> AccountTable:
    """Identity, profile, tier, engagement, authority and niche of every account.

    Columns, in order: ``handle``; ``followers``, ``followers_source``, ``tier``
    (:func:`~graphinflu.metrics.tiers.tiers`); ``pagerank``, ``hub``, ``authority``
    (:func:`~graphinflu.metrics.authority.hits`), ``indegree``; with interactions also
    ``interaction_pagerank`` (when there are follows too) and the Cha et al. signals
    (:func:`~graphinflu.metrics.authority.cha_signals`); with ``seeds``, ``audience_match``
    (personalized PageRank from the seeds) and, when the graph has follows, the audience affinity
    columns of :func:`graphinflu.brand.brand_columns`; with ``posts``, the engagement columns
    (:func:`~graphinflu.metrics.tiers.engagement`, in ``engagement``'s window) and, unless its
    platform is ``None``, the benchmark columns of
    :func:`~graphinflu.metrics.benchmarks.compare_with_benchmarks`; with follower profiles,
    ``audience_quality`` and ``audience_quality_shrunk``
    (:func:`~graphinflu.metrics.quality.audience_quality_columns`); then every other profile column; last
    ``community`` and ``niche_label`` (:func:`~graphinflu.metrics.communities.community_summary`).

    Authority and niches use follow edges, or the interactions when the graph has no follows.
    Leiden runs in a thread (its kernels release the GIL) while authority is computed.

    Parameters
    ----------
    graph : Graph
    posts : DataFrame, optional
        Per-post table (:func:`~graphinflu.loaders.read_posts`) for engagement rates.
    niches : CommunityParams, optional
        How niches are found (default :class:`~graphinflu.params.CommunityParams` ``()``).
    seeds : iterable of str
        A brand's accounts or target audience (ids or handles): adds ``audience_match`` and
        ``affinity``, ``affinity_lift``, ``affinity_low``, ``affinity_high``.
    tier_bounds : sequence of (name, lower bound) or mapping
        Follower tiers (default :data:`~graphinflu.metrics.tiers.DEFAULT_TIERS`).
    brand : BrandTarget, optional
        The whole brand target (default ``BrandTarget(accounts=seeds)``; when given, ``seeds``
        defaults to ``brand.seeds``): adds the columns of :func:`graphinflu.brand.brand_columns`
        (affinity from the brand's and competitors' followers and the audience sample; with
        interests ``interest_match``, ``interest_affinity*`` and, with posts, ``interest_post_share``).
    progress : callable, optional
        ``progress(label)`` is entered around the steps ``authority``, ``tiers`` and ``communities``.
    engagement : EngagementParams, optional
        The posts' recency window and the benchmark platform (default
        :class:`~graphinflu.params.EngagementParams` ``()``: every post, Instagram benchmarks).

    Returns
    -------
    AccountTable

    Raises
    ------
    UnknownAccountError
        A seed is not in the graph (raised before any work starts).

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "b"]}))
    >>> t = account_table(g).accounts
    >>> list(t.index), t["indegree"].tolist(), t["community"].tolist()
    (['a', 'b', 'c'], [0, 2, 1], [0, 0, 0])
    """
    niches = niches or CommunityParams()
    step = progress or (lambda label: nullcontext())
    seeds = list(seeds)
    if brand is None:
        brand = BrandTarget(accounts=seeds)
    elif not seeds:
        seeds = list(brand.seeds)
    brand_report = None
    kinds = metric_kinds(graph)
    present = graph.kinds_present()
    if seeds:
        graph.positions(seeds)  # unknown brand accounts fail now, before community detection starts
    with comm.start_communities(graph, niches, kinds=kinds) as pending:
        with step("authority"):
            parts = [authority.pagerank(graph, kinds=kinds), authority.hits(graph, kinds=kinds),
                     authority.indegree(graph, kinds=kinds)]
            if any(k in present for k in INTERACTION_KINDS):
                if "follows" in present:
                    parts.append(authority.interaction_pagerank(graph))
                parts.append(authority.cha_signals(graph))
            if seeds:
                ppr = authority.personalized_pagerank(graph, seeds, kinds=kinds)
                parts.append(ppr.rename(columns={"ppr": "audience_match"}))
            if brand:
                fit = brand_fit.brand_columns(graph, brand, tiers.posts_in_window(posts, engagement))
                parts.append(fit.table)
                brand_report = {**fit.report, "notes": fit.notes}
            acc = pd.concat(parts, axis=1)
            acc = acc.loc[:, ~acc.columns.duplicated()]
        with step("tiers"):
            acc = pd.concat([graph.accounts[["handle"]], tiers.tiers(graph, bounds=tier_bounds), acc], axis=1)
            if posts is not None:
                eng_params = engagement or EngagementParams()
                eng = tiers.engagement(graph, posts, bounds=tier_bounds, since=eng_params.since,
                                       until=eng_params.until)
                if eng_params.platform is not None:
                    eng = eng.join(benchmarks.compare_with_benchmarks(eng, platform=eng_params.platform))
                acc = acc.join(eng[[c for c in eng.columns if c not in acc.columns]])
            if "follows" in present and (aq := quality.audience_quality_columns(graph)) is not None:
                acc = acc.join(aq)
            acc = acc.join(graph.accounts[[c for c in graph.accounts.columns if c not in acc.columns]])
        with step("communities"):
            membership = pending.result()
            acc["community"] = membership["community"]
            summary = comm.community_summary(graph, membership, authority=acc["pagerank"],
                                             symmetrize=niches.symmetrize, kinds=kinds, weight=niches.weight)
            if "niche_label" in summary:
                acc["niche_label"] = summary["niche_label"].reindex(acc["community"].to_numpy()).to_numpy()
    return AccountTable(acc, summary, kinds, brand_report)


def store_columns(accounts: pd.DataFrame) -> pd.DataFrame:
    """The columns of :data:`STORE_COLUMNS` that ``accounts`` has, indexed by ``id``: what a
    database receives as account properties."""
    out = accounts[[c for c in STORE_COLUMNS if c in accounts.columns]].copy()
    out.index.name = "id"
    return out


def with_metrics_attached(graph: Graph, *, posts: pd.DataFrame | None = None,
                          niches: CommunityParams | None = None) -> Graph:
    """A copy of ``graph`` whose account table also holds the :func:`store_columns` of its
    :func:`account_table` (what ``graphinflu convert --with-metrics`` writes as node attributes)."""
    extra = store_columns(account_table(graph, posts=posts, niches=niches).accounts)
    extra = extra[[c for c in extra.columns if c not in graph.accounts.columns]]
    return Graph(graph.accounts.join(extra), graph.edges, graph.report)
