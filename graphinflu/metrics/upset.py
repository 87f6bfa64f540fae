"""Exclusive audience intersections of a few creators: the table behind an UpSet view.

For creators ``c_1 .. c_k`` (k at most :data:`MAX_CREATORS`), every follower of at least one of
them belongs to exactly one *intersection*: the set of those creators it follows. The table has
one row per non-empty intersection with its follower count, largest first, so the counts add up
to the creators' unique reach (the union of their audiences). Computed with one sparse product
(each follower's bit mask of the creators it follows), no Python loop over followers.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import InputError
from ..graph import Graph
from .overlap import audience_matrix

#: The most creators an intersection table covers (the masks are 62-bit integers).
MAX_CREATORS = 20


def audience_intersections(graph: Graph, creators: Iterable) -> pd.DataFrame:
    """One row per exclusive intersection of the ``creators``' follower sets.

    Parameters
    ----------
    graph : Graph
        Follow edges (``follower → creator``).
    creators : iterable
        Ids or handles, at most :data:`MAX_CREATORS`, in the order that numbers them (1 = first;
        ``analyze`` passes the shortlist in pick order, so the numbers are its ``pick`` column).

    Returns
    -------
    DataFrame
        ``intersection`` (1 = largest), ``followers`` (how many follow exactly these creators of
        the list and no other), ``creators`` (how many creators the intersection has) and
        ``members`` (their numbers joined by ``+``, e.g. ``"1+3"``); largest first, ties by members.

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["x", "y", "y", "z", "w"], "target": ["a", "a", "b", "b", "b"]}))
    >>> audience_intersections(g, ["a", "b"])
       intersection  followers  creators members
    0             1          2         1       2
    1             2          1         1       1
    2             3          1         2     1+2
    """
    ids = list(creators)
    if len(ids) > MAX_CREATORS:
        raise InputError(f"intersections of {len(ids)} creators asked; at most {MAX_CREATORS} are compared",
                         hint=f"pass the first {MAX_CREATORS} (e.g. the top of the shortlist)")
    cols = ["intersection", "followers", "creators", "members"]
    if not ids:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c != "members" else object) for c in cols})
    B = audience_matrix(graph, graph.positions(ids), dtype=np.int64)  # k × accounts
    bits = np.left_shift(np.int64(1), np.arange(len(ids), dtype=np.int64))
    mask = np.asarray(B.T @ bits).ravel()  # each account's set of creators it follows, as bits
    masks, counts = np.unique(mask[mask != 0], return_counts=True)
    member_bits = (masks[:, None] & bits[None, :]) != 0  # intersections × creators
    members = ["+".join(map(str, np.flatnonzero(row) + 1)) for row in member_bits]  # one string per intersection
    out = pd.DataFrame({"followers": counts.astype(np.int64), "creators": member_bits.sum(axis=1).astype(np.int64),
                        "members": members})
    out = out.sort_values(["followers", "creators", "members"], ascending=[False, True, True], kind="stable")
    out.insert(0, "intersection", np.arange(1, len(out) + 1, dtype=np.int64))
    return out.reset_index(drop=True)
