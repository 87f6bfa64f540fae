"""``account_metrics`` as it stood in the old ``store.py``, moved verbatim so the CLI keeps working.

A store stores; it never computes metrics. The lead replaces this with
``graphinflu.accounts.account_table`` and deletes this module when merging.
"""

from __future__ import annotations

import pandas as pd

from ..graph import Graph
from ..metrics import authority, tiers
from ..metrics import communities as comm

__all__ = ["account_metrics"]


def account_metrics(graph: Graph, *, posts: pd.DataFrame | None = None, communities: bool = True,
                    seed: int = 0) -> pd.DataFrame:
    """The per-account findings graphinflu writes back, one column per property.

    ``pagerank``, ``hub``, ``authority``, ``indegree`` (:func:`~graphinflu.metrics.authority.authority_scores`,
    when there are follows), ``followers`` and ``followers_source`` and ``tier``
    (:func:`~graphinflu.metrics.tiers.tiers`), ``community``
    (:func:`~graphinflu.metrics.communities.communities`, Leiden, ``seed``) and
    ``engagement_rate`` (:func:`~graphinflu.metrics.tiers.engagement`, when ``posts`` are given).
    """
    parts = []
    if "follows" in graph.kinds_present():
        parts.append(authority.authority_scores(graph)[["pagerank", "hub", "authority", "indegree"]])
    parts.append(tiers.tiers(graph)[["followers", "followers_source", "tier"]])
    if communities and graph.n_edges:
        parts.append(comm.communities(graph, seed=seed)[["community"]])
    if posts is not None:
        eng = tiers.engagement(graph, posts, on_unknown="skip")
        parts.append(eng[["engagement_rate"]])
    out = pd.concat(parts, axis=1)
    out.index.name = "id"
    return out
