"""Tables in: which creators a map draws, and the node and link tables it draws from them.

Nothing here computes a metric. The caller's per-account table (one row per account, indexed by
id, e.g. ``graphinflu.analysis.analyze(...).accounts``) and the overlap pairs are only selected,
joined and re-labelled for drawing.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import MapError, UnknownAccountError
from ..identity import Identity
from ..graph import INTERACTION_KINDS, Graph
from .params import MapParams

#: The authority measure that sizes nodes unless the caller picks another column.
SIZE_BY_DEFAULT = "pagerank"
NO_TIER = "(no tier)"


def with_targets(accounts: pd.DataFrame, targets: pd.DataFrame | None) -> pd.DataFrame:
    """``accounts`` plus the targets table's ``score``, ``rank`` and ``why`` (NaN / None for accounts
    that are not targets), so a map and a report show who to pick and why. Columns ``accounts``
    already has are kept as they are.

    >>> acc = pd.DataFrame({"pagerank": [.5, .3]}, index=["a", "b"])
    >>> t = pd.DataFrame({"score": [.9], "rank": [1], "why": ["top 1% authority in x"]}, index=["b"])
    >>> with_targets(acc, t)["score"].tolist()
    [nan, 0.9]
    """
    if targets is None:
        return accounts
    cols = [c for c in ("score", "rank", "why") if c in targets.columns and c not in accounts.columns]
    if not cols:
        return accounts
    extra = targets[cols]
    extra = extra[~extra.index.duplicated()]
    return accounts.join(extra.set_axis(extra.index.astype(str)), how="left") if len(accounts) else accounts


# ================================================================================= which creators
def select_creators(accounts: pd.DataFrame, graph: Graph, *, top: int = 500, creators: Iterable | None = None,
                    brand: Iterable | None = None) -> list[str]:
    """The ids of the creators a map draws.

    ``creators`` (ids or handles, resolved with :meth:`Graph.positions`, first occurrence kept) if
    given, else the ``top`` accounts by ``pagerank`` among those with ``indegree > 0`` (a stable
    sort: ties keep the table's order); brand accounts (ids or handles) not chosen yet are
    appended.

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "b"]}))
    >>> acc = pd.DataFrame({"pagerank": [.1, .5, .4], "indegree": [0, 2, 1]}, index=["a", "b", "c"])
    >>> select_creators(acc, g, top=1, brand=["a"])
    ['b', 'a']
    """
    if creators is not None:
        chosen = list(dict.fromkeys(graph.ids[graph.positions(creators, what="creators")].tolist()))
    else:
        need = {"pagerank", "indegree"} - set(accounts.columns)
        if need:
            raise MapError(f"the account table lacks {sorted(need)} to pick the top creators; "
                           f"its columns are {list(accounts.columns)}",
                           hint="pass the table graphinflu.analysis builds, or name the creators")
        ranked = accounts[accounts["indegree"] > 0].sort_values("pagerank", ascending=False, kind="stable")
        chosen = [str(i) for i in ranked.index[:top]]
    if brand:
        have = set(chosen)
        chosen += [b for b in dict.fromkeys(graph.ids[graph.positions(brand, what="brand accounts")].tolist())
                   if b not in have]
    return chosen


def _resolve(wanted: Iterable, metrics: pd.DataFrame, what: str) -> list[str]:
    """Ids (or handles) → metric index ids, in the given order, without duplicates, by the one
    identity rule (:mod:`graphinflu.identity`: exact id, else handle without case, ``@`` or spaces)."""
    wanted = [str(w) for w in wanted]
    res = Identity.of_accounts(metrics).require(wanted, what=what)
    if not res.resolved.all():
        raise UnknownAccountError([w for w, ok in zip(wanted, res.resolved) if not ok],
                                  what=f"{what} (not in the metrics table)")
    return list(dict.fromkeys(res.ids.tolist()))


def as_metrics(metrics: pd.DataFrame) -> pd.DataFrame:
    """The caller's account table with a unique string index named ``id`` (a shallow copy)."""
    if not isinstance(metrics, pd.DataFrame):
        raise MapError(f"metrics must be a DataFrame indexed by account id, got {type(metrics).__name__}")
    metrics = metrics.copy(deep=False)
    metrics.index = pd.Index(metrics.index.astype(str), name="id")
    if not metrics.index.is_unique:
        dup = metrics.index[metrics.index.duplicated()].unique()[:5].tolist()
        raise MapError(f"metrics has duplicate account ids {dup}", hint="give one row per account")
    return metrics


def size_column(metrics: pd.DataFrame, size_by: str | None) -> str | None:
    """The column that sizes nodes: ``size_by``, else the targets ``score`` when the table has one,
    else ``pagerank`` when present, else none."""
    if size_by is None:
        if "score" in metrics.columns and pd.to_numeric(metrics["score"], errors="coerce").notna().any():
            return "score"
        return SIZE_BY_DEFAULT if SIZE_BY_DEFAULT in metrics.columns else None
    numeric = [c for c in metrics.columns
               if pd.api.types.is_numeric_dtype(metrics[c]) and not pd.api.types.is_bool_dtype(metrics[c])]
    if size_by not in metrics.columns:
        raise MapError(f"size_by column {size_by!r} not in the metrics table; its numeric columns are {numeric}",
                       hint="pass one of the numeric metric columns, e.g. pagerank")
    if size_by not in numeric:
        raise MapError(f"size_by column {size_by!r} is not numeric, so it cannot size nodes",
                       hint=f"pass one of the numeric columns: {', '.join(map(str, numeric))}")
    return size_by


def _num(s: pd.Series | None, n: int) -> np.ndarray:
    if s is None:
        return np.full(n, np.nan)
    # a writable copy: with copy-on-write pandas may hand back a read-only view of the column
    return np.array(pd.to_numeric(s, errors="coerce"), dtype=np.float64, copy=True)


def _engagement(m: pd.DataFrame, n: int) -> np.ndarray:
    """``engagement_rate``, NaN where the metrics say the account is not rated (``rated`` False)."""
    rate = _num(m["engagement_rate"] if "engagement_rate" in m.columns else None, n)
    if "rated" in m.columns:
        rate[~m["rated"].fillna(False).to_numpy(bool)] = np.nan
    return rate


def _from_graph(m: pd.DataFrame, graph: Graph | None, column: str) -> pd.Series | None:
    """``column`` of the metrics, else of the graph's account table, else None."""
    if column in m.columns:
        return m[column]
    if graph is not None and column in graph.accounts.columns:
        return graph.accounts[column].reindex(m.index)
    return None


def _niches(m: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per creator: niche number on this map (0 = most creators; ties: first seen) and its label.

    A niche's label is the most common non-blank ``niche_label`` of its creators, else
    ``"niche <community id>"``: an empty or missing label is never shown blank.
    """
    n = len(m)
    comm_col = "community" if "community" in m.columns else ("niche" if "niche" in m.columns else None)
    if comm_col is None:
        comm = pd.Series(["all"] * n, index=m.index)
    else:
        comm = m[comm_col].astype(object).where(m[comm_col].notna(), "none").astype(str)
    counts = comm.value_counts(sort=False)
    first_seen = pd.Series(np.arange(n), index=m.index).groupby(comm.to_numpy()).min()
    order = pd.DataFrame({"count": counts, "first": first_seen.reindex(counts.index)}).sort_values(
        ["count", "first"], ascending=[False, True]).index
    niche = pd.Series(np.arange(len(order)), index=order).reindex(comm.to_numpy()).to_numpy(np.int64)
    by_comm = pd.Series(dtype=object)
    if "niche_label" in m.columns:
        lab = m["niche_label"].astype(object)
        blank = lab.isna().to_numpy() | (lab.astype(str).str.strip() == "").to_numpy()
        lab = pd.Series(lab.to_numpy(), index=comm.to_numpy())[~blank]
        if len(lab):
            by_comm = lab.groupby(level=0).agg(lambda s: s.mode().iloc[0])
    fallback = "all creators" if comm_col is None else "niche {}"
    labels = [str(by_comm[c]) if c in by_comm.index else fallback.format(c) for c in order]
    return niche, (np.asarray(labels, dtype=object)[niche] if n else np.zeros(0, dtype=object))


def map_tables(
    graph: Graph | None,
    metrics: pd.DataFrame,
    overlap: pd.DataFrame | None = None,
    *,
    creators: Iterable | None = None,
    brand: Iterable | None = None,
    params: MapParams | None = None,
    **options,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes and links a creator map draws (no layout), as two DataFrames.

    Parameters are those of :func:`~graphinflu.maps.build_map`; ``options`` are
    :class:`MapParams` fields applied on top of ``params``.

    Returns
    -------
    nodes : DataFrame indexed by account id (``id``), one row per creator, in the metrics order:
        ``handle``; ``niche`` (int, 0 = the niche with most creators on the map); ``niche_label``
        (never blank: ``"niche <community id>"`` when the table has none); ``tier`` (str,
        ``"(no tier)"`` when unknown); ``authority`` (the size column: ``pagerank`` unless
        ``size_by`` names another; NaN if absent); ``followers``; ``engagement_rate``; ``brand``
        (bool); ``pagerank``, ``score``, ``target_rank`` (the targets table's ``score`` and ``rank``, NaN for
        accounts that are not targets), ``why``, ``affinity``, ``affinity_lift`` (NaN / None when absent)
        and ``community`` (the table's own niche id). ``nodes.attrs["authority_column"]`` names the
        size column.
    links : DataFrame with ``source``, ``target`` (account ids), ``kind`` (``overlap``, ``follows``
        or ``interactions``), ``value`` (the overlap metric, 1 for a follow, the summed interaction
        weight) and ``shared`` (shared audience, overlap links only, else NaN). Overlap links are
        undirected (``source`` < ``target`` in metrics order); follows and interactions point from
        the actor to the account acted on, between two creators of the map.

    >>> m = pd.DataFrame({"community": [0, 0, 1], "pagerank": [.5, .3, .2]}, index=["a", "b", "c"])
    >>> ov = pd.DataFrame({"creator_a": ["a", "a"], "creator_b": ["b", "c"], "shared": [4, 1],
    ...                    "jaccard": [.4, .01], "overlap_coefficient": [.8, .1]})
    >>> nodes, links = map_tables(None, m, ov)
    >>> nodes["niche"].tolist(), nodes["niche_label"].tolist(), links[["source", "target", "kind", "value"]].values.tolist()
    ([0, 0, 1], ['niche 0', 'niche 0', 'niche 1'], [['a', 'b', 'overlap', 0.4]])
    """
    p = MapParams.of(params, options)
    metrics = as_metrics(metrics)
    ids = _resolve(metrics.index if creators is None else creators, metrics, "creators")
    m = metrics.loc[ids]
    n = len(m)
    brand_ids = set(_resolve(brand, metrics, "brand accounts")) if brand else set()
    missing_brand = brand_ids - set(ids)
    if missing_brand:
        raise UnknownAccountError(sorted(missing_brand), what="brand accounts (not among the map's creators)")

    ids_series = pd.Series(m.index, index=m.index)
    handle = _from_graph(m, graph, "handle")
    # a missing or blank handle shows the id: a creator is never drawn without a name
    handle = ids_series if handle is None else handle.where(
        handle.notna() & (handle.astype(str).str.strip() != ""), ids_series)
    niche, niche_label = _niches(m)
    tier = (m["tier"].astype(object).where(m["tier"].notna(), NO_TIER).astype(str).to_numpy() if "tier" in m.columns
            else np.full(n, NO_TIER, dtype=object))
    auth_col = size_column(m, p.size_by)
    why = m["why"].astype(object).where(m["why"].notna(), None).to_numpy(object) if "why" in m.columns else [None] * n
    nodes = pd.DataFrame({
        "handle": handle.astype(str).to_numpy(),
        "niche": niche,
        "niche_label": niche_label,
        "tier": tier,
        "authority": _num(m[auth_col] if auth_col else None, n),
        "followers": _num(_from_graph(m, graph, "followers"), n),
        "engagement_rate": _engagement(m, n),
        "brand": m.index.isin(list(brand_ids)),
        "pagerank": _num(m[SIZE_BY_DEFAULT] if SIZE_BY_DEFAULT in m.columns else None, n),
        "score": _num(m["score"] if "score" in m.columns else None, n),
        "target_rank": _num(m["rank"] if "rank" in m.columns else None, n),
        "why": why,
        "affinity": _num(m["affinity"] if "affinity" in m.columns else None, n),
        "affinity_lift": _num(m["affinity_lift"] if "affinity_lift" in m.columns else None, n),
        "community": (m["community"].astype(object).where(m["community"].notna(), None).to_numpy(object)
                      if "community" in m.columns else [None] * n),
    }, index=m.index)
    nodes.attrs["authority_column"] = auth_col
    nodes.index.name = "id"

    links = [_overlap_links(overlap, m.index, p.edge_metric, p.min_overlap, p.max_links_per_creator, p.min_shared)]
    if graph is not None:
        kinds = ((["follows"] if p.draws("include_follows", n) else [])
                 + (list(INTERACTION_KINDS) if p.draws("include_interactions", n) else []))
        links.append(_graph_links(graph, m.index, kinds))
    links = pd.concat([x for x in links if len(x)] or [_empty_links()], ignore_index=True)
    return nodes, links


# ================================================================================= links
def _empty_links() -> pd.DataFrame:
    return pd.DataFrame({"source": pd.Series([], dtype=object), "target": pd.Series([], dtype=object),
                         "kind": pd.Series([], dtype=object), "value": np.zeros(0), "shared": np.zeros(0)})


def pairs(overlap: pd.DataFrame, order: pd.Index, edge_metric: str) -> pd.DataFrame:
    """Overlap rows between creators of ``order`` as integer pairs ``a < b`` (one row per pair,
    columns ``a``, ``b``, ``value``, ``shared``), strongest first."""
    need = {"creator_a", "creator_b", edge_metric}
    if not need <= set(overlap.columns):
        raise MapError(
            f"overlap table needs columns {sorted(need)}; found {list(overlap.columns)}",
            hint="pass graphinflu.metrics.overlap's long table (creator_a, creator_b, shared, jaccard, "
                 "overlap_coefficient) or choose edge_metric among its columns")
    a = order.get_indexer(overlap["creator_a"].astype(str))
    b = order.get_indexer(overlap["creator_b"].astype(str))
    val = pd.to_numeric(overlap[edge_metric], errors="coerce").to_numpy(np.float64)
    shared = (pd.to_numeric(overlap["shared"], errors="coerce").to_numpy(np.float64) if "shared" in overlap.columns
              else np.full(len(overlap), np.nan))
    keep = (a >= 0) & (b >= 0) & (a != b) & np.isfinite(val)
    a, b, val, shared = a[keep], b[keep], val[keep], shared[keep]
    df = pd.DataFrame({"a": np.minimum(a, b), "b": np.maximum(a, b), "value": val, "shared": shared})
    return df.sort_values("value", ascending=False, kind="stable").drop_duplicates(["a", "b"])


def both_ends(p: pd.DataFrame) -> pd.DataFrame:
    """Each pair twice, once from each end: columns ``node``, ``other``, ``value``, ``shared``, ``row``."""
    return pd.concat([pd.DataFrame({"node": p["a"], "other": p["b"], "value": p["value"], "shared": p["shared"],
                                    "row": p.index}),
                      pd.DataFrame({"node": p["b"], "other": p["a"], "value": p["value"], "shared": p["shared"],
                                    "row": p.index})], ignore_index=True)


def _overlap_links(overlap, order: pd.Index, edge_metric: str, min_overlap: float, k: int | None,
                   min_shared: int = 0) -> pd.DataFrame:
    if overlap is None or len(overlap) == 0:
        return _empty_links()
    p = pairs(overlap, order, edge_metric)
    # a pair without a shared count (a table without ``shared``) is judged by the metric alone
    p = p[(p["value"] >= min_overlap) & ~(p["shared"] < min_shared)]
    if k is not None and len(p):
        # keep a link when it is among the k strongest of either endpoint
        both = both_ends(p)
        both["r"] = both.groupby("node")["value"].rank(method="first", ascending=False)
        p = p.loc[p.index.isin(both.loc[both["r"] <= k, "row"].unique())]
    p = p.sort_values(["a", "b"])
    ids = order.to_numpy()
    return pd.DataFrame({"source": ids[p["a"].to_numpy()], "target": ids[p["b"].to_numpy()], "kind": "overlap",
                         "value": p["value"].to_numpy(np.float64), "shared": p["shared"].to_numpy(np.float64)})


def _graph_links(graph: Graph, order: pd.Index, kinds: list[str]) -> pd.DataFrame:
    if not kinds or graph.n_edges == 0:
        return _empty_links()
    pos = graph.ids.get_indexer(order)  # creator → graph row (or -1: creator not in the graph)
    to_map = np.full(graph.n_accounts, -1, dtype=np.int64)
    to_map[pos[pos >= 0]] = np.flatnonzero(pos >= 0)
    out = []
    ids = order.to_numpy()
    present = set(graph.kinds_present())
    for group, ks in (("follows", [k for k in kinds if k == "follows"]),
                      ("interactions", [k for k in kinds if k != "follows"])):
        ks = [k for k in ks if k in present]
        if not ks:
            continue
        s, t, w = graph.edge_arrays(ks)
        a, b = to_map[s], to_map[t]
        keep = (a >= 0) & (b >= 0)
        if not keep.any():
            continue
        df = pd.DataFrame({"a": a[keep], "b": b[keep], "w": w[keep]}).groupby(["a", "b"], sort=True)["w"].sum().reset_index()
        out.append(pd.DataFrame({"source": ids[df["a"].to_numpy()], "target": ids[df["b"].to_numpy()], "kind": group,
                                 "value": 1.0 if group == "follows" else df["w"].to_numpy(np.float64),
                                 "shared": np.nan}))
    return pd.concat(out, ignore_index=True) if out else _empty_links()
