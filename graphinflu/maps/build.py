"""The entry point: tables → payload → one HTML file, or an overview plus one map per niche."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import MapError
from ..graph import Graph
from . import html
from .params import MapParams
from .payload import creator_payload, niche_payload, top_overlaps
from .tables import as_metrics, map_tables

_MAX_NICHES = 60  # niches past the 59 largest are drawn as one "other niches" group when aggregated
_LINK_FILE = re.compile(r"^[A-Za-z0-9._-]+\.html?$")


@dataclass
class MapResult:
    """What :func:`build_map` wrote.

    ``path`` is the main file; ``niche_maps`` the per-niche files written next to it when the map
    was aggregated (empty otherwise); ``n_nodes`` / ``n_edges`` what the main file draws.
    """

    path: Path
    n_nodes: int
    n_edges: int
    aggregated: bool = False
    niche_maps: list[Path] = field(default_factory=list)


def build_map(
    graph: Graph | None,
    metrics: pd.DataFrame,
    overlap: pd.DataFrame | None = None,
    *,
    path,
    creators: Iterable | None = None,
    brand: Iterable | None = None,
    params: MapParams | None = None,
    **options,
) -> MapResult:
    """Write an interactive, self-contained HTML map of creators to ``path`` (atomically).

    Nodes are creators coloured by niche (community), sized by PageRank (or ``size_by``), shaped
    by tier; links are audience overlap at or above ``min_overlap`` and follows / interactions
    between creators. The map renders the caller's tables; it computes no metric.

    Parameters
    ----------
    graph : Graph or None
        The canonical graph; follows and interactions between creators are drawn from it (and
        handles / follower counts read from its account table when ``metrics`` lacks them).
        Never modified.
    metrics : DataFrame
        The per-account table, indexed by account id (e.g. ``graphinflu.analysis.analyze(...)
        .accounts``). Used columns (all optional): ``handle``, ``community`` (niche id),
        ``niche_label`` (blank or missing: shown as ``niche <community id>``), ``pagerank`` (node
        size unless ``size_by`` names another column), ``tier``, ``followers``,
        ``engagement_rate`` and ``rated``; other numeric columns are shown in the side panel.
    overlap : DataFrame, optional
        Long table ``creator_a``, ``creator_b``, ``shared``, ``jaccard``, ``overlap_coefficient``
        (as :mod:`graphinflu.metrics.overlap` returns); pairs in either order, once or twice.
    path : str or Path
        The HTML file to write. Per-niche maps (aggregated maps only) are written next to it as
        ``<stem>.niche-<k>.html``; nothing else is written.
    creators : iterable, optional
        Ids (or unique handles) of the accounts to draw, in this order; default every account in
        ``metrics`` (pick them with :func:`~graphinflu.maps.select_creators`).
    brand : iterable, optional
        Ids or handles of brand accounts to highlight (thick dark ring); they must be creators.
    params : MapParams, optional
        Links, sizing, aggregation, title and layout seed (see :class:`MapParams`).
    **options
        :class:`MapParams` fields, applied on top of ``params`` (e.g. ``min_overlap=0.1``).

    Returns
    -------
    MapResult

    Raises
    ------
    MapError
        ``path`` does not end in ``.html``, ``metrics`` is not a DataFrame or has duplicate ids,
        ``overlap`` lacks the needed columns, ``size_by`` is not a column, an option is invalid,
        the file cannot be written (checked before any work).
    UnknownAccountError
        A creator or brand account is not in ``metrics`` (or a brand account not among creators).
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise MapError(f"map file must end in .html, got {path.name!r}", hint="use e.g. -o map.html")
    p = MapParams.of(params, options)
    html.check_writable(path)
    metrics = as_metrics(metrics)
    nodes, links = map_tables(graph, metrics, overlap, creators=creators, brand=brand, params=p)
    if p.aggregate_above is None or len(nodes) <= p.aggregate_above:
        html.write_page(path, creator_payload(nodes, links, top_overlaps(overlap, nodes.index, p.edge_metric),
                                              metrics=metrics, edge_metric=p.edge_metric, title=p.title, seed=p.seed,
                                              params=p))
        return MapResult(path, len(nodes), len(links))
    return _build_aggregated(nodes, links, overlap, metrics=metrics, path=path, params=p)


def _group_labels(nodes: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Each creator's niche group (the 59 largest niches, then one "other niches" group) and the labels."""
    niche = nodes["niche"].to_numpy(np.int64)
    groups = np.minimum(niche, _MAX_NICHES - 1)
    n_groups = int(groups.max()) + 1
    by_niche = nodes.groupby("niche", sort=True)["niche_label"].first()
    labels = [str(by_niche[k]) for k in range(min(n_groups, _MAX_NICHES - 1))]
    if n_groups == _MAX_NICHES:
        labels.append(f"other niches ({int(niche.max()) - _MAX_NICHES + 2} small niches)")
    return groups, labels


def _build_aggregated(nodes: pd.DataFrame, links: pd.DataFrame, overlap, *, metrics: pd.DataFrame, path: Path,
                      params: MapParams) -> MapResult:
    """The overview (one node per niche group) at ``path`` and one creator map per group beside it."""
    limit = params.aggregate_above
    groups, labels = _group_labels(nodes)
    main_href = path.name if _LINK_FILE.match(path.name) else ""
    authority = nodes["authority"].fillna(-np.inf)
    written: list[Path] = []
    for k, label in enumerate(labels):
        members = nodes.index[groups == k]
        sub, note = nodes.loc[members], None
        if len(sub) > limit:
            keep = authority.loc[members].sort_values(ascending=False, kind="stable").index[:limit]
            sub = sub.loc[sub.index.isin(keep)]
            note = f"the {limit:,} creators of highest authority of {len(members):,}"
        name = f"{path.stem}.niche-{k:03d}{path.suffix}"
        dest = path.with_name(name if _LINK_FILE.match(name) else f"niche-{k:03d}.html")
        inside = links[links["source"].isin(sub.index) & links["target"].isin(sub.index)]
        html.write_page(dest, creator_payload(
            sub, inside, top_overlaps(overlap, sub.index, params.edge_metric), metrics=metrics,
            edge_metric=params.edge_metric, title=f"{params.title} \u2014 {label}", seed=params.seed,
            back={"href": main_href, "text": "\u2190 all niches"}, note=note, params=params))
        written.append(dest)
    payload = niche_payload(nodes, links, groups, labels, [p.name for p in written], edge_metric=params.edge_metric,
                            title=params.title, seed=params.seed)
    html.write_page(path, payload)
    return MapResult(path, len(labels), len(payload["edges"]["from"]), aggregated=True, niche_maps=written)
