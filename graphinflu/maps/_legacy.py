"""Temporary: the lead replaces it.

:func:`map_inputs` computes metrics for the ``map`` command and the gallery until they take the one
account table (``graphinflu.analysis``) plus :func:`~graphinflu.maps.select_creators`. Maps
themselves never compute metrics; this module is the only place in :mod:`graphinflu.maps` that
does, and it goes away with that change.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..graph import INTERACTION_KINDS, Graph
from ..metrics import authority, communities as comm, overlap as ov, tiers as tr
from .tables import select_creators


def map_inputs(
    graph: Graph,
    *,
    posts: pd.DataFrame | None = None,
    top: int = 500,
    creators: Iterable | None = None,
    brand: Iterable | None = None,
    method: str = "leiden",
    resolution: float = 1.0,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Temporary (the lead replaces it): the ``metrics`` and ``overlap`` tables :func:`build_map` needs.

    Creators are chosen by :func:`~graphinflu.maps.select_creators`. Metrics: ``pagerank``
    (follows, or interactions when there are no follows), ``indegree``, ``followers``, ``tier``,
    ``community`` (Leiden/Louvain on the whole graph), ``niche_label``, and ``engagement_rate`` /
    ``rated`` when ``posts`` or profile likes/comments are given. Overlap:
    :func:`~graphinflu.metrics.overlap.overlap_pairs` among the creators (exact).

    Returns
    -------
    (metrics, overlap) : metrics indexed by creator id in rank order; overlap the long pair table.
    """
    kinds = "follows" if "follows" in graph.kinds_present() else list(INTERACTION_KINDS)
    acc = pd.concat([graph.accounts[["handle"]], authority.pagerank(graph, kinds=kinds),
                     authority.indegree(graph, kinds=kinds), tr.tiers(graph)[["followers", "tier"]]], axis=1)
    acc = acc.loc[:, ~acc.columns.duplicated()]
    if posts is not None or {"likes", "comments", "posts"} <= set(graph.accounts.columns):
        eng = tr.engagement(graph, posts, on_unknown="skip") if posts is not None else tr.engagement(graph)
        acc = acc.join(eng[[c for c in ("engagement_rate", "rated") if c in eng.columns]])
    membership = comm.communities(graph, method=method, resolution=resolution, seed=seed, kinds=kinds)
    acc["community"] = membership["community"]
    chosen = select_creators(acc, graph, top=top, creators=creators, brand=brand)
    summary = comm.community_summary(graph, membership, authority=acc["pagerank"], kinds=kinds)
    if "niche_label" in summary:  # blank labels are shown as "niche <id>" by the map itself
        acc["niche_label"] = summary["niche_label"].reindex(acc["community"].to_numpy()).to_numpy()
    metrics = acc.loc[chosen]
    overlap = ov.overlap_pairs(graph, chosen, allow_empty=True) if len(chosen) >= 2 else None
    return metrics, overlap
