"""Audience overlap: exact figures on the sparse creators × audience matrix.

The **audience** of creator ``c`` is the set of accounts with a ``follows`` edge ``→ c`` (column
``c`` of ``graph.adjacency("follows")``). For a chosen set of creators we build the incidence
matrix ``B`` (creators × accounts, CSR, ``B[i, v] = 1`` when account ``v`` follows creator ``i``)
and read every figure off it:

* pairwise shared audiences are ``B @ B.T`` (computed in row blocks so memory stays bounded, and
  only pairs with at least ``min_shared`` shared followers are materialised);
* the **frequency** of an account is how many selected creators it follows, the column sums of
  ``B``; union reach, exclusive reach and the frequency histogram come from it.

Every figure is named exactly, because commercial tools use the same words for different things:

==========================  ===============================================================
``audience_size`` (|A|)     accounts that follow creator A
``shared`` (|A ∩ B|)        accounts that follow both A and B
``jaccard``                 |A ∩ B| / |A ∪ B| = shared / (|A| + |B| − shared)
``overlap_coefficient``     |A ∩ B| / min(|A|, |B|) (Szymkiewicz–Simpson)
``share_a_in_b``            |A ∩ B| / |A|: share of A's audience that also follows B (A → B)
``share_b_in_a``            |A ∩ B| / |B|: share of B's audience that also follows A (B → A)
``exclusive``               A's followers who follow no other selected creator
``overlapping_pct``         100 × (|A| − exclusive) / |A|
``total_followers``         Σ |A| over the selected creators (duplicated reach, "impressions")
``union_reach``             |A ∪ B ∪ ...|: distinct accounts reached by at least one creator
``exclusive_reach``         accounts reached by exactly one selected creator
``mean_frequency``          total_followers / union_reach
==========================  ===============================================================

Golden case (from the issue): audiences {1,2,3}, {1,4}, {1,3,5} give total 8, union 5,
exclusive 3 (one each), overlapping % 66.7 / 50 / 66.7 and mean frequency 1.6.

Every function takes an optional ``quality`` mask (boolean over accounts, an array in row order
or a Series indexed by id; see :func:`graphinflu.metrics.quality.quality_mask`): then only those
followers count, everywhere.

For audiences too large to multiply exactly, :func:`overlap_pairs` and :func:`overlap_summary`
estimate with theta sketches above ``SketchParams.above`` followers (see
:mod:`graphinflu.metrics.sketches`) and print the error bounds next to every estimate.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import InputError
from ..graph import Graph
from .sketches import SketchParams, estimated_pairs, sketch_union

__all__ = [
    "audience_matrix",
    "audience_sizes",
    "select_creators",
    "creators_in",
    "overlap_pairs",
    "overlap_creators",
    "overlap_summary",
    "frequency_histogram",
    "similar",
    "overlap_pairs_reference",
]

#: Target number of stored entries in one row block of ``B @ B.T`` (bounds peak memory).
BLOCK_ENTRIES = 4_000_000


# ----------------------------------------------------------------------------- the matrix
def followers_csc(graph: Graph) -> sp.csc_matrix:
    """The follow adjacency in CSC form (column ``c`` = followers of ``c``), built once per graph."""
    key = ("graphinflu.overlap", "follows_csc")
    cache = graph._cache
    if key not in cache:
        csc = graph.adjacency("follows").tocsc()
        csc.sort_indices()
        cache[key] = csc
    return cache[key]


def audience_sizes(graph: Graph, *, quality=None) -> np.ndarray:
    """Follow in-degree of every account (row order), counting only ``quality`` followers if given."""
    csc = followers_csc(graph)
    if quality is None:
        return np.diff(csc.indptr).astype(np.int64)
    mask = _mask(graph, quality)
    return np.asarray(csc.T @ mask.astype(np.int64)).ravel()


def _mask(graph: Graph, quality) -> np.ndarray:
    """A boolean mask over accounts (row order) from an array or a Series indexed by id."""
    if isinstance(quality, pd.Series):
        s = quality.copy()
        s.index = s.index.astype(str)
        m = s.reindex(graph.ids)
        if m.isna().any() and not m.notna().any():
            raise InputError("the quality mask shares no account id with the graph",
                             hint="pass a boolean Series indexed by account id (quality_mask(graph))")
        return m.fillna(False).to_numpy(bool)
    arr = np.asarray(quality)
    if arr.dtype != bool or arr.shape != (graph.n_accounts,):
        raise InputError(
            f"the quality mask must be {graph.n_accounts} booleans in account order (or a Series indexed by id); "
            f"got dtype {arr.dtype} and shape {arr.shape}",
            hint="build it with graphinflu.metrics.quality.quality_mask(graph)",
        )
    return arr


def _filter_columns(B: sp.csr_matrix, keep_cols: np.ndarray) -> sp.csr_matrix:
    """Drop the entries of ``B`` whose column is not in ``keep_cols`` (vectorised, no copy of rows)."""
    keep = keep_cols[B.indices]
    cs = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
    return sp.csr_matrix((B.data[keep], B.indices[keep], cs[B.indptr]), shape=B.shape)


def audience_matrix(graph: Graph, creators: np.ndarray, *, quality=None, dtype=np.int32) -> sp.csr_matrix:
    """Creators × accounts incidence matrix (CSR): ``B[i, v] = 1`` when account ``v`` follows
    ``creators[i]`` (row positions). Only ``quality`` followers are kept when a mask is given.

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["x", "y", "x"], "target": ["a", "a", "b"]}))
    >>> audience_matrix(g, g.positions(["a", "b"])).toarray()
    array([[1, 1, 0, 0],
           [1, 0, 0, 0]], dtype=int32)
    """
    csc = followers_csc(graph)
    creators = np.asarray(creators, dtype=np.int64)
    sub = csc[:, creators]  # n × k, CSC column slice is cheap
    B = sp.csr_matrix((np.ones(sub.nnz, dtype=dtype), sub.indices, sub.indptr),
                      shape=(len(creators), graph.n_accounts))
    if quality is not None:
        B = _filter_columns(B, _mask(graph, quality))
    return B


# ----------------------------------------------------------------------------- selection
def select_creators(
    graph: Graph,
    accounts: Iterable | None = None,
    *,
    top: int | None = None,
    mask=None,
    allow_empty: bool = False,
    quality=None,
) -> np.ndarray:
    """Row positions of the creators to compare, from exactly one of three selections.

    Parameters
    ----------
    accounts : iterable of ids or handles
        An explicit list, kept in the given order (repeats dropped). Unknown ones raise
        :class:`~graphinflu.errors.UnknownAccountError` naming every one of them.
    top : int
        The ``top`` accounts by **follow in-degree** (followers present in the follow graph, the
        same audiences the overlap counts), ties broken by row order. Profile ``followers`` counts
        are not used: the audience matrix is the follow graph.
    mask : boolean array over accounts, or Series indexed by id
        Every account where it is true (e.g. a tier within a niche, see :func:`creators_in`).
    allow_empty : bool
        Keep creators with no follower in the graph (otherwise an :class:`InputError` names them).
    """
    given = sum(x is not None for x in (accounts, top, mask))
    if given != 1:
        raise InputError(f"choose the creators one way: a list, top=K or a mask (got {given} selections)",
                         hint="e.g. --accounts A,B,C or --top 100")
    sizes = audience_sizes(graph, quality=quality)
    if accounts is not None:
        if isinstance(accounts, str):
            accounts = [a for a in accounts.split(",")]
        accounts = [str(a).strip() for a in accounts if str(a).strip()]
        if not accounts:
            raise InputError("the creator list is empty", hint="name at least one account, e.g. --accounts A,B")
        pos = graph.positions(accounts)
        _, first = np.unique(pos, return_index=True)
        pos = pos[np.sort(first)]
    elif top is not None:
        top = int(top)
        if top < 1:
            raise InputError(f"top must be at least 1, not {top}")
        order = np.argsort(-sizes, kind="stable")
        order = order[sizes[order] > 0] if not allow_empty else order
        if top > len(order):
            raise InputError(f"top={top} but only {len(order)} accounts have followers in the follow graph",
                             hint=f"use --top {len(order)} or fewer")
        pos = order[:top]
    else:
        m = _mask(graph, mask)
        pos = np.flatnonzero(m)
        if len(pos) == 0:
            raise InputError("the creator mask selects no account", hint="check the tier / niche you asked for")
    pos = np.asarray(pos, dtype=np.int64)
    if not allow_empty:
        empty = sizes[pos] == 0
        if empty.any():
            names = list(graph.ids[pos[empty]][:10])
            what = "quality followers" if quality is not None else "followers"
            raise InputError(
                f"{int(empty.sum())} creator(s) have no {what} in the follow graph: {', '.join(names)}"
                + (" ..." if empty.sum() > 10 else ""),
                hint="drop them from the list, or check the edge direction (--direction followed-follower for "
                "'account,follower' files)",
            )
    return pos


def creators_in(tiers: pd.Series, communities: pd.Series | None = None, *, tier: str | None = None,
                niche=None) -> list[str]:
    """Ids of the accounts in ``tier`` (a label of ``tiers``) within ``niche`` (a label of
    ``communities``), both Series indexed by account id; either filter may be omitted.

    >>> t = pd.Series({"a": "micro", "b": "macro", "c": "micro"})
    >>> c = pd.Series({"a": 0, "b": 0, "c": 1})
    >>> creators_in(t, c, tier="micro", niche=0)
    ['a']
    """
    keep = pd.Series(True, index=tiers.index.astype(str))
    if tier is not None:
        vals = tiers.astype(str).to_numpy()
        if str(tier) not in set(vals):
            raise InputError(f"tier {tier!r} not found; tiers present are {sorted(set(vals))}")
        keep &= vals == str(tier)
    if niche is not None:
        if communities is None:
            raise InputError("a niche was asked for but no communities were given",
                             hint="pass communities= (a Series of community ids indexed by account id)")
        com = communities.copy()
        com.index = com.index.astype(str)
        com = com.reindex(keep.index)
        match = com.astype(str) == str(niche)
        if not match.any():
            raise InputError(f"niche {niche!r} not found among the communities",
                             hint=f"communities present: {sorted(set(communities.astype(str)))[:20]}")
        keep &= match.to_numpy()
    return list(keep.index[keep.to_numpy()])


# ----------------------------------------------------------------------------- pairs
def _pair_frame(ids, a, b, shared, size):
    """The pair table; ``a``/``b`` are positions into ``ids`` (the selected creators). Creator ids
    are categorical (codes into the selection), which keeps long tables small and fast."""
    cats = pd.Index(ids).astype(object)
    sa = size[a].astype(np.int64)
    sb = size[b].astype(np.int64)
    shared = shared.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        union = sa + sb - shared
        df = pd.DataFrame({
            "creator_a": pd.Categorical.from_codes(a, categories=cats),
            "creator_b": pd.Categorical.from_codes(b, categories=cats),
            "audience_a": sa,
            "audience_b": sb,
            "shared": shared,
            "jaccard": np.where(union > 0, shared / np.maximum(union, 1), 0.0),
            "overlap_coefficient": shared / np.maximum(np.minimum(sa, sb), 1),
            "share_a_in_b": shared / np.maximum(sa, 1),
            "share_b_in_a": shared / np.maximum(sb, 1),
        }, copy=False)
    return df


def _exact_pair_arrays(B: sp.csr_matrix, rows: np.ndarray, min_shared: int, block_entries: int):
    """Upper-triangle pairs (i < j) of ``B @ B.T`` restricted to ``i, j`` in ``rows`` (sorted
    positions into B), with at least ``min_shared`` shared followers, computed in row blocks."""
    Bs = B[rows] if len(rows) != B.shape[0] else B
    k = Bs.shape[0]
    BT = Bs.T.tocsr()  # accounts × creators
    step = max(1, min(k, block_entries // max(k, 1)))
    out_a, out_b, out_s = [], [], []
    for r0 in range(0, k, step):
        r1 = min(k, r0 + step)
        C = (Bs[r0:r1] @ BT).tocoo()
        gi = C.row.astype(np.int64) + r0
        keep = (C.col > gi) & (C.data >= min_shared)
        out_a.append(gi[keep])
        out_b.append(C.col[keep].astype(np.int64))
        out_s.append(C.data[keep].astype(np.int64))
        del C
    a = np.concatenate(out_a) if out_a else np.zeros(0, np.int64)
    b = np.concatenate(out_b) if out_b else np.zeros(0, np.int64)
    s = np.concatenate(out_s) if out_s else np.zeros(0, np.int64)
    return rows[a], rows[b], s


def overlap_pairs(
    graph: Graph,
    creators: Iterable | np.ndarray | None = None,
    *,
    top: int | None = None,
    min_shared: int = 1,
    quality=None,
    sketch: SketchParams | None = None,
    block_entries: int = BLOCK_ENTRIES,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Pairwise audience overlap of the chosen creators, one row per pair, exact.

    Computes ``S = B @ B.T`` on the creators × accounts matrix ``B`` in row blocks (at most
    ``block_entries`` stored entries per block), so 2,000+ creators fit in bounded memory. Pairs
    with ``shared < min_shared`` are never materialised (``min_shared=0`` is not allowed: the
    zero pairs are the dense part).

    Parameters
    ----------
    creators : list of ids or handles, optional
        The creators (see :func:`select_creators`); or give ``top``.
    top : int, optional
        The top-K accounts by follow in-degree.
    min_shared : int
        Keep pairs with at least this many shared followers (default 1).
    quality : boolean mask over accounts, optional
        Count only these followers (e.g. :func:`~graphinflu.metrics.quality.quality_mask`).
    sketch : SketchParams, optional
        Pairs where either creator has more than ``sketch.above`` followers are *estimated* with
        theta sketches of size ``2**lg_k`` (hash ``seed``); bounds at ``num_std_dev`` standard
        deviations (1, 2 or 3 → 68.3 %, 95.4 %, 99.7 % confidence) are added as ``*_low`` /
        ``*_high`` columns. ``None`` (default) or ``above=None``: every pair exact, no bound columns.

    Returns
    -------
    DataFrame
        ``creator_a``, ``creator_b`` (ids; ``a`` precedes ``b`` in the selection), ``audience_a``
        = |A|, ``audience_b`` = |B|, ``shared`` = |A ∩ B|, ``jaccard`` = |A ∩ B| / |A ∪ B|,
        ``overlap_coefficient`` = |A ∩ B| / min(|A|, |B|), ``share_a_in_b`` = |A ∩ B| / |A|
        (share of A's audience that also follows B), ``share_b_in_a`` = |A ∩ B| / |B|, and
        ``method`` ("exact" or "estimated"). Sorted by ``shared`` descending, then selection order.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["1", "2", "3", "1", "4", "1", "3", "5"],
    ...                                     "target": ["A", "A", "A", "B", "B", "C", "C", "C"]}))
    >>> overlap_pairs(g, ["A", "B", "C"])[["creator_a", "creator_b", "shared", "jaccard"]]  # doctest: +NORMALIZE_WHITESPACE
      creator_a creator_b  shared  jaccard
    0         A         C       2     0.50
    1         A         B       1      0.25
    2         B         C       1      0.25
    """
    if not isinstance(min_shared, (int, np.integer)) or min_shared < 1:
        raise InputError(f"min_shared must be an integer ≥ 1, not {min_shared!r}",
                         hint="pairs with nothing shared are not listed; use 1 to list every overlapping pair")
    pos = _resolve(graph, creators, top, quality, allow_empty)
    ids = graph.ids.to_numpy()
    B = audience_matrix(graph, pos, quality=quality)
    size = np.diff(B.indptr).astype(np.int64)
    k = len(pos)
    if sketch is None or sketch.above is None:
        a, b, s = _exact_pair_arrays(B, np.arange(k), int(min_shared), block_entries)
        order = _pair_order(a, b, s, k)
        df = _pair_frame(ids[pos], a[order], b[order], s[order], size)
        df["method"] = pd.Categorical.from_codes(np.zeros(len(df), np.int8), categories=["exact", "estimated"])
        return df
    else:
        large = sketch.estimates(size)
        small = np.flatnonzero(~large)
        a, b, s = _exact_pair_arrays(B, small, int(min_shared), block_entries)
        exact = _pair_frame(ids[pos], a, b, s, size)
        exact["method"] = "exact"
        for col in ("shared", "jaccard", "overlap_coefficient", "share_a_in_b", "share_b_in_a"):
            exact[f"{col}_low"] = exact[col]
            exact[f"{col}_high"] = exact[col]
        est = estimated_pairs(B, ids[pos], size, large, min_shared=int(min_shared), lg_k=sketch.lg_k,
                              seed=sketch.seed, num_std_dev=sketch.num_std_dev)
        df = pd.concat([exact, est], ignore_index=True) if len(est) else exact
        df = df.astype({"shared": np.int64, "shared_low": np.int64, "shared_high": np.int64})
        df.attrs["confidence"] = sketch.confidence
        a = pd.Index(ids[pos]).get_indexer(df["creator_a"].astype(object))
        b = pd.Index(ids[pos]).get_indexer(df["creator_b"].astype(object))
        for col in ("creator_a", "creator_b"):
            df[col] = pd.Categorical.from_codes(a if col == "creator_a" else b, categories=pd.Index(ids[pos]).astype(object))
        df["method"] = pd.Categorical(df["method"], categories=["exact", "estimated"])
    order = _pair_order(a, b, df["shared"].to_numpy(), k)
    return df.iloc[order].reset_index(drop=True)


def _pair_order(a: np.ndarray, b: np.ndarray, shared: np.ndarray, k: int) -> np.ndarray:
    """Order by shared descending, then a, then b (one int64 key: faster than lexsort)."""
    kk = np.int64(k)
    if shared.size and (shared.max() + 1) * kk * kk < 2**62:
        return np.argsort((shared.max() - shared.astype(np.int64)) * kk * kk + a * kk + b, kind="stable")
    return np.lexsort((b, a, -shared))


def _resolve(graph, creators, top, quality, allow_empty=False) -> np.ndarray:
    if isinstance(creators, np.ndarray) and creators.dtype.kind in "iu" and top is None:
        pos = creators.astype(np.int64)
        if len(pos) and (pos.min() < 0 or pos.max() >= graph.n_accounts):
            raise InputError("creator positions out of range")
        return select_creators(graph, list(graph.ids[pos]), allow_empty=allow_empty, quality=quality)
    return select_creators(graph, creators, top=top, allow_empty=allow_empty, quality=quality)


def overlap_pairs_reference(graph: Graph, creators: Iterable) -> pd.DataFrame:
    """Brute-force reference for :func:`overlap_pairs` with Python sets (slow; for tests)."""
    src, dst, _ = graph.edge_arrays("follows")
    ids = graph.ids.to_numpy()
    pos = list(graph.positions(creators))
    aud = {p: set() for p in pos}
    for s, d in zip(src.tolist(), dst.tolist()):
        if d in aud:
            aud[d].add(s)
    rows = []
    for i, p in enumerate(pos):
        for q in pos[i + 1:]:
            sh = len(aud[p] & aud[q])
            if sh:
                un = len(aud[p] | aud[q])
                rows.append((ids[p], ids[q], len(aud[p]), len(aud[q]), sh, sh / un, sh / min(len(aud[p]), len(aud[q])),
                             sh / len(aud[p]), sh / len(aud[q])))
    return pd.DataFrame(rows, columns=["creator_a", "creator_b", "audience_a", "audience_b", "shared", "jaccard",
                                       "overlap_coefficient", "share_a_in_b", "share_b_in_a"])


# ----------------------------------------------------------------------------- per creator / set
def _frequency(B: sp.csr_matrix) -> np.ndarray:
    """How many of the selected creators each account follows (column sums of B)."""
    return np.bincount(B.indices, minlength=B.shape[1])


def overlap_creators(graph: Graph, creators=None, *, top: int | None = None, quality=None,
                     allow_empty: bool = False) -> pd.DataFrame:
    """Per creator: audience size, exclusive followers and overlapping %.

    Returns
    -------
    DataFrame indexed by creator id (index name ``id``), in selection order
        ``handle``; ``audience_size`` = |A|; ``exclusive`` = followers of A who follow no other
        selected creator; ``overlapping`` = |A| − exclusive; ``overlapping_pct`` =
        100 × (|A| − exclusive) / |A|.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["1", "2", "3", "1", "4", "1", "3", "5"],
    ...                                     "target": ["A", "A", "A", "B", "B", "C", "C", "C"]}))
    >>> overlap_creators(g, ["A", "B", "C"]).round(1)  # doctest: +NORMALIZE_WHITESPACE
       handle  audience_size  exclusive  overlapping  overlapping_pct
    id
    A       A              3          1            2             66.7
    B       B              2          1            1             50.0
    C       C              3          1            2             66.7
    """
    pos = _resolve(graph, creators, top, quality, allow_empty)
    B = audience_matrix(graph, pos, quality=quality)
    freq = _frequency(B)
    size = np.diff(B.indptr).astype(np.int64)
    exclusive = np.asarray(B @ (freq == 1).astype(np.int64)).ravel().astype(np.int64)
    out = pd.DataFrame(
        {
            "handle": graph.accounts["handle"].to_numpy()[pos],
            "audience_size": size,
            "exclusive": exclusive,
            "overlapping": size - exclusive,
            "overlapping_pct": 100.0 * (size - exclusive) / np.maximum(size, 1),
        },
        index=pd.Index(graph.ids[pos], name="id"),
    )
    return out


def overlap_summary(
    graph: Graph,
    creators=None,
    *,
    top: int | None = None,
    quality=None,
    sketch: SketchParams | None = None,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Set figures for the chosen creators, one row per figure.

    Returns
    -------
    DataFrame indexed by ``figure``
        Rows: ``creators`` (how many), ``total_followers`` = Σ |A|, ``union_reach`` = |∪ A|
        (distinct followers), ``exclusive_reach`` = followers reached by exactly one creator,
        ``mean_frequency`` = total_followers / union_reach. Columns: ``value``, ``low``, ``high``
        (equal to ``value`` when exact), ``method`` ("exact" or "estimated") and ``confidence``
        (of the bounds; 1.0 when exact).

    When ``sketch`` (:class:`~graphinflu.metrics.sketches.SketchParams`) is given and some creator
    has more than ``sketch.above`` followers, ``union_reach``
    (and so ``mean_frequency``) is estimated with a theta-sketch union (see
    :mod:`graphinflu.metrics.sketches`); the other figures stay exact.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["1", "2", "3", "1", "4", "1", "3", "5"],
    ...                                     "target": ["A", "A", "A", "B", "B", "C", "C", "C"]}))
    >>> overlap_summary(g, ["A", "B", "C"])["value"]
    figure
    creators           3.0
    total_followers    8.0
    union_reach        5.0
    exclusive_reach    3.0
    mean_frequency     1.6
    Name: value, dtype: float64
    """
    pos = _resolve(graph, creators, top, quality, allow_empty)
    B = audience_matrix(graph, pos, quality=quality)
    freq = _frequency(B)
    size = np.diff(B.indptr)
    total = int(size.sum())
    union = int((freq > 0).sum())
    excl = int((freq == 1).sum())
    rows = {
        "creators": (len(pos), len(pos), len(pos), "exact", 1.0),
        "total_followers": (total, total, total, "exact", 1.0),
    }
    if sketch is not None and sketch.estimates(size).any():
        est, lo, hi = sketch_union(B, lg_k=sketch.lg_k, seed=sketch.seed, num_std_dev=sketch.num_std_dev)
        conf = sketch.confidence
        rows["union_reach"] = (est, lo, hi, "estimated", conf)
        rows["exclusive_reach"] = (excl, excl, excl, "exact", 1.0)
        rows["mean_frequency"] = (total / est if est else np.nan, total / hi if hi else np.nan,
                                  total / lo if lo else np.nan, "estimated", conf)
    else:
        rows["union_reach"] = (union, union, union, "exact", 1.0)
        rows["exclusive_reach"] = (excl, excl, excl, "exact", 1.0)
        mf = total / union if union else np.nan
        rows["mean_frequency"] = (mf, mf, mf, "exact", 1.0)
    df = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "low", "high", "method", "confidence"])
    df.index.name = "figure"
    return df.astype({"value": float, "low": float, "high": float})


def frequency_histogram(graph: Graph, creators=None, *, top: int | None = None, quality=None,
                        allow_empty: bool = False) -> pd.DataFrame:
    """How many followers are reached by exactly ``f`` of the chosen creators, for f = 1..k.

    Returns
    -------
    DataFrame indexed by ``frequency`` (1..number of creators)
        ``followers`` = accounts following exactly ``frequency`` creators; ``share_of_union`` =
        followers / union_reach; ``followers_at_least`` = accounts following at least
        ``frequency`` creators (so row 1 is the union reach).

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["1", "2", "3", "1", "4", "1", "3", "5"],
    ...                                     "target": ["A", "A", "A", "B", "B", "C", "C", "C"]}))
    >>> frequency_histogram(g, ["A", "B", "C"])[["followers", "followers_at_least"]]  # doctest: +NORMALIZE_WHITESPACE
               followers  followers_at_least
    frequency
    1                  3                   5
    2                  1                   2
    3                  1                   1
    """
    pos = _resolve(graph, creators, top, quality, allow_empty)
    B = audience_matrix(graph, pos, quality=quality)
    freq = _frequency(B)
    counts = np.bincount(freq, minlength=len(pos) + 1)[1:].astype(np.int64)
    union = counts.sum()
    at_least = np.cumsum(counts[::-1])[::-1]
    return pd.DataFrame(
        {"followers": counts, "share_of_union": counts / max(union, 1), "followers_at_least": at_least},
        index=pd.Index(np.arange(1, len(pos) + 1), name="frequency"),
    )


# ----------------------------------------------------------------------------- lookalikes
def similar(
    graph: Graph,
    account,
    *,
    by: str = "jaccard",
    top: int | None = 20,
    tier: str | None = None,
    niche=None,
    tiers: pd.Series | None = None,
    communities: pd.Series | None = None,
    candidates: Iterable | None = None,
    min_shared: int = 1,
    quality=None,
) -> pd.DataFrame:
    """Lookalike creators: accounts ranked by how much their audience resembles ``account``'s.

    For every other account ``c`` with at least ``min_shared`` shared followers:
    ``shared`` = |A ∩ C| (found by summing the follow rows of A's followers, one sparse product),
    ``jaccard`` = |A ∩ C| / |A ∪ C|, ``overlap_coefficient`` = |A ∩ C| / min(|A|, |C|).

    Parameters
    ----------
    account : id or handle
    by : {"jaccard", "overlap"}
        Ranking figure (``overlap`` = overlap coefficient); ties broken by ``shared``, then id.
    top : int or None
        How many to return (None: all).
    tier, niche : optional
        Keep only candidates whose tier equals ``tier`` (labels from ``tiers``, a Series indexed
        by id, else the account column ``tier``) and whose community equals ``niche`` (from
        ``communities``, else the account column ``community``).
    candidates : ids, optional
        Restrict the candidates to these accounts.

    Returns
    -------
    DataFrame indexed by id, best first
        ``rank``, ``handle``, ``audience_size`` = |C|, ``shared``, ``jaccard``,
        ``overlap_coefficient``, ``share_of_account`` = |A ∩ C| / |A| (share of the account's
        audience that also follows C), ``share_of_candidate`` = |A ∩ C| / |C|.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["1", "2", "3", "1", "4", "1", "3", "5"],
    ...                                     "target": ["A", "A", "A", "B", "B", "C", "C", "C"]}))
    >>> similar(g, "A")[["shared", "jaccard"]]  # doctest: +NORMALIZE_WHITESPACE
        shared  jaccard
    id
    C        2     0.50
    B        1     0.25
    """
    if by not in ("jaccard", "overlap"):
        raise InputError(f"by must be 'jaccard' or 'overlap', not {by!r}")
    if top is not None and int(top) < 1:
        raise InputError(f"top must be at least 1, not {top}")
    p = int(_resolve(graph, [account], None, quality)[0])
    A = graph.adjacency("follows")
    csc = followers_csc(graph)
    fol = csc.indices[csc.indptr[p]:csc.indptr[p + 1]]
    if quality is not None:
        m = _mask(graph, quality)
        fol = fol[m[fol]]
    # shared[c] = number of A's followers that follow c: sum of their follow rows
    ones = np.zeros(graph.n_accounts)
    ones[fol] = 1.0
    shared = np.rint(A.T @ ones).astype(np.int64)
    sizes = audience_sizes(graph, quality=quality)
    keep = np.ones(graph.n_accounts, bool)
    if tier is not None:
        keep &= _label_mask(graph, tiers, "tier", tier)
    if niche is not None:
        keep &= _label_mask(graph, communities, "community", niche)
    cand = None if candidates is None else graph.positions(candidates)
    return lookalike_table(graph.ids, graph.accounts["handle"].to_numpy(), shared, sizes, p, len(fol), keep=keep,
                           candidates=cand, min_shared=min_shared, by=by, top=top)


def lookalike_table(ids, handles: np.ndarray, shared: np.ndarray, sizes: np.ndarray, p: int, a: int, *,
                    keep: np.ndarray | None = None, candidates: np.ndarray | None = None, min_shared: int = 1,
                    by: str = "jaccard", top: int | None = 20) -> pd.DataFrame:
    """The table :func:`similar` returns, from per-account arrays (account order): ``shared``
    followers with the account (at position ``p``, audience size ``a``) and audience ``sizes``;
    only accounts where ``keep`` holds, among the positions ``candidates`` when given, sharing at
    least ``min_shared`` followers. Shared with the Spark engine, which counts ``shared`` by a join."""
    keep = (np.ones(len(shared), bool) if keep is None else keep.copy()) & (shared >= max(1, int(min_shared)))
    keep[p] = False
    if candidates is not None:
        cm = np.zeros(len(shared), bool)
        cm[candidates] = True
        keep &= cm
    idx = np.flatnonzero(keep)
    sh = shared[idx]
    sz = sizes[idx]
    jac = sh / (a + sz - sh)
    ovl = sh / np.minimum(a, sz)
    key = jac if by == "jaccard" else ovl
    order = np.lexsort((idx, -sh, -key))
    if top is not None:
        order = order[: int(top)]
    idx, sh, sz, jac, ovl = idx[order], sh[order], sz[order], jac[order], ovl[order]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(idx) + 1),
            "handle": handles[idx],
            "audience_size": sz,
            "shared": sh,
            "jaccard": jac,
            "overlap_coefficient": ovl,
            "share_of_account": sh / a,
            "share_of_candidate": sh / sz,
        },
        index=pd.Index(ids[idx], name="id"),
    )


def _label_mask(graph: Graph, series: pd.Series | None, column: str, value) -> np.ndarray:
    if series is None:
        if column not in graph.accounts.columns:
            raise InputError(f"a {column} filter was asked for but there are no {column} labels",
                             hint=f"pass {column}s= (a Series indexed by account id) or add a {column!r} column")
        series = graph.accounts[column]
    s = series.dropna().astype(object).astype(str)  # labels as text before reindexing adds NaN
    s.index = s.index.astype(str)
    s = s.reindex(graph.ids)
    m = (s == str(value)).fillna(False).to_numpy(bool)
    if not m.any():
        raise InputError(f"no account has {column} {value!r}",
                         hint=f"{column} labels present: {sorted(set(series.dropna().astype(str)))[:20]}")
    return m
