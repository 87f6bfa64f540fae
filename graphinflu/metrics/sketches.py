"""Estimated overlap for very large audiences: theta sketches with real confidence bounds.

Why Apache DataSketches theta sketches (the ``datasketches`` package) and not datasketch's
HyperLogLog / MinHash:

* **Bounds.** A theta sketch keeps the ``k = 2**lg_k`` smallest hash values of its set; the
  library returns a lower and an upper bound at 1, 2 or 3 standard deviations (68.3 %, 95.4 %,
  99.7 % confidence) for every estimate, *including unions and intersections*, computed from the
  exact sampling distribution (not an asymptotic ``1.04/√m`` rule). datasketch's HLL gives only
  a point estimate, and its MinHash gives a Jaccard estimate whose bound we would have to derive
  and then combine with a separate union estimate.
* **Set algebra.** Union, intersection and A-not-B of theta sketches are themselves theta
  sketches, so a pairwise intersection is estimated directly (|A ∩ B| with its own bounds)
  rather than as Jaccard × union.
* **Speed.** Updates are C++ (about 0.1 µs per follower from Python); sketches are mergeable
  and serialisable, so audiences sketched elsewhere can be compared without their edges.

Every estimated figure comes with ``*_low`` / ``*_high`` columns at ``num_std_dev`` standard
deviations (default 2 → 95.4 % confidence) and ``method = "estimated"``. Bounds are clipped to
what is known exactly: 0 ≤ |A ∩ B| ≤ min(|A|, |B|), max |A| ≤ |∪ A| ≤ Σ |A| (audience sizes are
always exact). Items are hashed by the follower's row position in the graph, so sketches are
comparable within one graph; ``seed`` is the hash seed.

Exact figures are cheap when the graph is in memory (union reach is one pass over the follow
edges); the pairwise product is what grows with audience size, which is why
:func:`graphinflu.metrics.overlap.overlap_pairs` switches to sketches only above
``sketch_above`` followers.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._lazy import optional_import
from ..errors import InputError
from ..params import _Params

#: Confidence of the bounds at 1, 2 and 3 standard deviations (two-sided normal coverage).
CONFIDENCE = {1: 0.6827, 2: 0.9545, 3: 0.9973}

__all__ = ["CONFIDENCE", "SketchParams", "audience_sketches", "sketch_union", "estimated_pairs"]


def _ds():
    """Apache DataSketches, imported on first use (an optional engine: the ``sketches`` extra)."""
    return optional_import("datasketches", what="datasketches (Apache DataSketches)")


def _check(lg_k: int, num_std_dev: int) -> None:
    if num_std_dev not in CONFIDENCE:
        raise InputError(f"num_std_dev must be 1, 2 or 3 (68.3 / 95.4 / 99.7 % confidence), not {num_std_dev!r}")
    if not 5 <= int(lg_k) <= 26:
        raise InputError(f"lg_k must be between 5 and 26 (sketch size 2**lg_k), not {lg_k!r}")


@dataclass(frozen=True)
class SketchParams(_Params):
    """When and how audience figures are estimated with theta sketches instead of counted.

    Parameters
    ----------
    above : int or None
        Creators with more followers than this are estimated; ``None`` (default): all exact.
    lg_k : int
        Sketch size ``2**lg_k`` (5 to 26; default 12: about ±3 % at 95 % confidence).
    seed : int
        Hash seed (sketches are comparable only with the same seed).
    num_std_dev : {1, 2, 3}
        Width of the bounds: 68.3 %, 95.4 % (default) or 99.7 % confidence.

    >>> SketchParams(above=10_000).as_dict()
    {'above': 10000, 'lg_k': 12, 'seed': 9001, 'num_std_dev': 2}
    """

    above: int | None = None
    lg_k: int = 12
    seed: int = 9001
    num_std_dev: int = 2

    def __post_init__(self) -> None:
        if self.above is not None and (isinstance(self.above, bool) or not isinstance(self.above, numbers.Integral)
                                       or self.above < 0):
            raise InputError(f"the sketch threshold must be a whole number of followers ≥ 0, not {self.above!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
            raise InputError(f"the sketch seed must be an integer, not {self.seed!r}")
        _check(self.lg_k, self.num_std_dev)

    @property
    def confidence(self) -> float:
        """Two-sided coverage of the bounds (0.9545 at 2 standard deviations)."""
        return CONFIDENCE[self.num_std_dev]

    def estimates(self, sizes: np.ndarray) -> np.ndarray:
        """Which audiences (by size) are estimated rather than counted."""
        if self.above is None:
            return np.zeros(len(sizes), dtype=bool)
        return np.asarray(sizes) > self.above


def audience_sketches(B: sp.csr_matrix, *, lg_k: int = 12, seed: int = 9001) -> list:
    """One compact theta sketch per row of the creators × accounts matrix ``B``.

    >>> B = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1]]))
    >>> [round(s.get_estimate()) for s in audience_sketches(B)]
    [2, 2]
    """
    ds = _ds()
    _check(lg_k, 2)
    out = []
    indptr, indices = B.indptr, B.indices
    for i in range(B.shape[0]):
        sk = ds.update_theta_sketch(int(lg_k), 1.0, int(seed))
        upd = sk.update
        for v in indices[indptr[i]:indptr[i + 1]].tolist():
            upd(v)
        out.append(sk.compact())
    return out


def sketch_union(B: sp.csr_matrix, *, lg_k: int = 12, seed: int = 9001, num_std_dev: int = 2,
                 sketches: list | None = None) -> tuple[float, float, float]:
    """Estimated distinct followers of all rows of ``B``: ``(estimate, low, high)``.

    >>> B = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1]]))
    >>> sketch_union(B)
    (3.0, 3.0, 3.0)
    """
    ds = _ds()
    _check(lg_k, num_std_dev)
    sketches = sketches if sketches is not None else audience_sketches(B, lg_k=lg_k, seed=seed)
    un = ds.theta_union(int(lg_k), 1.0, int(seed))
    for sk in sketches:
        un.update(sk)
    res = un.get_result()
    size = np.diff(B.indptr)
    known_lo = float(size.max()) if len(size) else 0.0
    known_hi = float(size.sum())
    est = float(np.clip(res.get_estimate(), known_lo, known_hi))
    lo = float(np.clip(res.get_lower_bound(num_std_dev), known_lo, known_hi))
    hi = float(np.clip(res.get_upper_bound(num_std_dev), known_lo, known_hi))
    return est, lo, hi


def estimated_pairs(B: sp.csr_matrix, ids: np.ndarray, size: np.ndarray, large: np.ndarray, *, min_shared: int = 1,
                    lg_k: int = 12, seed: int = 9001, num_std_dev: int = 2) -> pd.DataFrame:
    """Pairs ``(i < j)`` where ``large[i] or large[j]``, estimated with theta intersections.

    Columns as :func:`graphinflu.metrics.overlap.overlap_pairs` plus ``<figure>_low`` and
    ``<figure>_high`` at ``num_std_dev`` standard deviations; pairs whose estimated ``shared`` is
    below ``min_shared`` are dropped.
    """
    ds = _ds()
    _check(lg_k, num_std_dev)
    large_idx = np.flatnonzero(large)
    cols = ["creator_a", "creator_b", "audience_a", "audience_b", "shared", "jaccard", "overlap_coefficient",
            "share_a_in_b", "share_b_in_a", "method"]
    if len(large_idx) == 0:
        return pd.DataFrame(columns=cols)
    sketches = audience_sketches(B, lg_k=lg_k, seed=seed)
    k = B.shape[0]
    rows = []
    for i in range(k):
        js = np.arange(i + 1, k) if large[i] else large_idx[large_idx > i]
        for j in js.tolist():
            inter = ds.theta_intersection(int(seed))
            inter.update(sketches[i])
            inter.update(sketches[j])
            r = inter.get_result()
            cap = float(min(size[i], size[j]))
            est = float(np.clip(r.get_estimate(), 0, cap))
            lo = float(np.clip(r.get_lower_bound(num_std_dev), 0, cap))
            hi = float(np.clip(r.get_upper_bound(num_std_dev), 0, cap))
            if round(est) < min_shared:
                continue
            jl, je, jh = ds.theta_jaccard_similarity.jaccard(sketches[i], sketches[j], int(seed))
            rows.append((i, j, est, lo, hi, je, jl, jh))
    if not rows:
        return pd.DataFrame(columns=cols)
    arr = np.array(rows, dtype=float)
    i = arr[:, 0].astype(np.int64)
    j = arr[:, 1].astype(np.int64)
    sa, sb = size[i].astype(np.int64), size[j].astype(np.int64)
    shared = np.rint(arr[:, 2]).astype(np.int64)
    lo = np.floor(arr[:, 3]).astype(np.int64)
    hi = np.ceil(arr[:, 4]).astype(np.int64)
    mn = np.minimum(sa, sb)
    df = pd.DataFrame({
        "creator_a": ids[i], "creator_b": ids[j], "audience_a": sa, "audience_b": sb,
        "shared": shared, "jaccard": arr[:, 5], "overlap_coefficient": shared / mn,
        "share_a_in_b": shared / sa, "share_b_in_a": shared / sb, "method": "estimated",
        "shared_low": lo, "shared_high": hi,
        "jaccard_low": arr[:, 6], "jaccard_high": arr[:, 7],
        "overlap_coefficient_low": lo / mn, "overlap_coefficient_high": hi / mn,
        "share_a_in_b_low": lo / sa, "share_a_in_b_high": hi / sa,
        "share_b_in_a_low": lo / sb, "share_b_in_a_high": hi / sb,
    })
    return df
