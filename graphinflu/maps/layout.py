"""Node positions computed in Python, so the page draws with physics off.

Niches first, then creators inside each niche: the niches are laid out as discs (area ∝ creators)
by a weighted Fruchterman-Reingold layout of the niche graph, pushed apart until no two discs
overlap; each niche's creators are laid out on their own links and fitted into their disc. So a
niche is always a visible island, and creators without links sit inside their niche.
"""

from __future__ import annotations

import math
import random

import igraph as ig
import numpy as np
import pandas as pd

#: Pixels of disc radius per √creator, and the gap kept between two niche discs.
_RADIUS_PER_SQRT = 38.0
_GAP = 60.0


def _fr(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, niter: int) -> np.ndarray:
    """igraph Fruchterman-Reingold of ``n`` nodes (grid variant above 1,000 nodes), centred."""
    if n == 1:
        return np.zeros((1, 2))
    g = ig.Graph(n=n, edges=np.column_stack([a, b]).astype(np.int64) if len(a) else [], directed=False)
    g.es["weight"] = np.asarray(w, dtype=np.float64) if len(a) else []
    g = g.simplify(combine_edges="sum")
    grid = "grid" if n > 1000 else "nogrid"
    lay = g.layout_fruchterman_reingold(weights="weight" if g.ecount() else None, niter=niter, grid=grid)
    xy = np.asarray(lay.coords, dtype=np.float64)
    return xy - xy.mean(axis=0)


def _separate(centre: np.ndarray, radius: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Push discs apart (pairwise, vectorised) until none overlaps (plus :data:`_GAP`)."""
    c = centre.copy()
    if len(c) < 2:
        return c
    need = radius[:, None] + radius[None, :] + _GAP
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        d = c[:, None, :] - c[None, :, :]
        dist = np.sqrt((d ** 2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        over = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(over, 0.0)
        if over.max() <= 1e-6:
            break
        dist = np.where(np.isfinite(dist) & (dist > 1e-9), dist, 1e-9)
        push = (d / dist[..., None]) * (over / 2.0 + 0.5)[..., None]
        c += push.sum(axis=1) / np.maximum((over > 0).sum(axis=1), 1)[:, None]
    return c


def _spread(xy: np.ndarray, size: np.ndarray, rounds: int = 20) -> np.ndarray:
    """Push apart nodes of one niche that would be drawn on top of each other (at most 1,500 nodes)."""
    n = len(xy)
    if n < 2 or n > 1500:
        return xy
    xy = xy.copy()
    need = (size[:, None] + size[None, :]) * 1.05
    for _ in range(rounds):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((d ** 2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        over = np.clip(need - dist, 0.0, None)
        if over.max() <= 0.5:
            break
        dist = np.where(dist > 1e-9, dist, 1e-9)
        xy += ((d / dist[..., None]) * (over / 2.0)[..., None]).sum(axis=1)
    return xy


def layout(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, groups: np.ndarray, seed: int,
           sizes: np.ndarray | None = None) -> np.ndarray:
    """``n × 2`` positions in vis pixels: niches as separate discs, creators inside their niche's disc.

    ``a``, ``b`` are the node positions of the links and ``w`` their weights; ``groups`` the niche
    of each node; ``sizes`` the drawn radius of each node (a niche's disc holds its nodes without
    overlap when it can). The same inputs and ``seed`` give the same positions (Python's global random
    state is restored afterwards).

    >>> xy = layout(4, np.array([0, 2]), np.array([1, 3]), np.array([1.0, 1.0]), np.array([0, 0, 1, 1]), 0)
    >>> xy.shape, bool(np.linalg.norm(xy[0] - xy[1]) < np.linalg.norm(xy[0] - xy[2]))
    ((4, 2), True)
    """
    if n <= 1:
        return np.zeros((n, 2))
    groups = np.asarray(groups, dtype=np.int64)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    w = np.asarray(w, dtype=np.float64)
    w = w / w.max() if len(w) and w.max() > 0 else np.ones(len(a))
    n_groups = int(groups.max()) + 1
    count = np.bincount(groups, minlength=n_groups)
    size = np.full(n, 10.0) if sizes is None else np.asarray(sizes, dtype=np.float64)
    area = np.bincount(groups, weights=(size * 1.1) ** 2, minlength=n_groups)
    biggest = pd.Series(size).groupby(groups).max().reindex(range(n_groups)).fillna(0.0).to_numpy()
    radius = np.maximum(_RADIUS_PER_SQRT * np.sqrt(np.maximum(count, 1)) * 0.6 + 12.0, 1.6 * np.sqrt(area) + biggest)
    state = random.getstate()
    random.seed(seed)
    try:
        # niche graph: summed link weights between niches, as a share of the smaller niche
        ga, gb = groups[a], groups[b]
        cross = ga != gb
        agg = pd.DataFrame({"x": np.minimum(ga, gb)[cross], "y": np.maximum(ga, gb)[cross], "w": w[cross]}).groupby(
            ["x", "y"], sort=True)["w"].sum().reset_index()
        gx, gy = agg["x"].to_numpy(np.int64), agg["y"].to_numpy(np.int64)
        gw = agg["w"].to_numpy(np.float64) / np.minimum(count[gx], count[gy]) if len(agg) else np.zeros(0)
        centre = _fr(n_groups, gx, gy, gw, 500) if n_groups > 1 else np.zeros((1, 2))
        span = np.abs(centre).max() if n_groups > 1 else 0.0
        if span > 0:  # a first spread about as wide as the discs need, then no overlap
            centre *= (radius.sum() / math.sqrt(n_groups)) / span
        centre = _separate(centre, radius)
        # creators inside each niche, on the niche's own links
        xy = np.zeros((n, 2))
        order = np.argsort(groups, kind="stable")
        starts = np.searchsorted(groups[order], np.arange(n_groups + 1))
        same = ~cross
        la, lb, lw, lg = a[same], b[same], w[same], ga[same]
        link_order = np.argsort(lg, kind="stable")
        la, lb, lw, lg = la[link_order], lb[link_order], lw[link_order], lg[link_order]
        lstarts = np.searchsorted(lg, np.arange(n_groups + 1))
        local = np.full(n, -1, dtype=np.int64)
        for k in range(n_groups):  # one layout per niche (a loop over niches, not over links)
            members = order[starts[k]:starts[k + 1]]
            if not len(members):
                continue
            local[members] = np.arange(len(members))
            s, e = lstarts[k], lstarts[k + 1]
            sub = _fr(len(members), local[la[s:e]], local[lb[s:e]], 1.0 + lw[s:e], 300 if len(members) <= 300 else 150)
            r = np.sqrt((sub ** 2).sum(axis=1)).max() if len(members) > 1 else 0.0
            if r > 0:
                sub *= max(radius[k] - biggest[k], 1.0) / r
            sub = _spread(sub, size[members])
            xy[members] = centre[k] + sub
    finally:
        random.setstate(state)
    return xy - xy.mean(axis=0)
