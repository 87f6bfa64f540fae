"""The reach-optimal shortlist: which creators reach the most distinct people for k picks or a budget.

Objective (weighted coverage). With candidates' audiences ``A_c`` (followers in the follow graph,
optionally only quality followers) and per-follower weights ``w_v ≥ 0`` (1 by default; e.g. a
personalized-PageRank audience match, or a quality mask), a set ``S`` is worth

* ``objective="reach"``: ``R(S) = Σ_v w_v · [v follows some c ∈ S]`` (weighted union reach);
* ``objective="frequency"`` with ``f ≥ 1``: the goal is the people reached **at least f times**,
  ``R_f(S) = Σ_v w_v · [|{c ∈ S : v ∈ A_c}| ≥ f]``. That indicator is not submodular for
  ``f > 1`` (a first exposure gains nothing on its own), so the greedy maximises the standard
  submodular surrogate ``F_f(S) = Σ_v w_v · min(|{c ∈ S : v ∈ A_c}|, f)`` (partial credit per
  exposure up to ``f``) and reports ``R_f`` beside it. For ``f = 1`` both equal ``R``.

Algorithms

* **k picks** — lazy greedy (CELF, Leskovec et al. 2007): marginal gains of a submodular function
  only shrink, so a stale gain is an upper bound and only the heap top is re-evaluated. Result
  is identical to plain greedy, which guarantees ``F(S) ≥ (1 − 1/e) · OPT`` (Nemhauser, Wolsey &
  Fisher 1978).
* **budget with costs** — the better of (a) cost-benefit greedy (largest marginal gain per unit
  cost among the creators that still fit), (b) plain greedy on gain among those that fit, and
  (c) the best single affordable creator. Taking the better of (a) and (c) guarantees
  ``F(S) ≥ ½ (1 − 1/e) · OPT ≈ 0.316 · OPT`` for budgeted maximum coverage (Khuller, Moss & Naor
  1999; Leskovec et al. 2007); (b) can only improve the result.

Marginal gains are computed on sparse rows with numpy (``w[idx][count[idx] < f].sum()``), never a
Python loop over followers; the initial gains of all candidates are one sparse product ``B @ w``.
"""

from __future__ import annotations

import heapq
import itertools
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import InputError
from ..graph import Graph
from .overlap import _resolve, audience_matrix, audience_sizes, select_creators
from .tiers import DEFAULT_TIERS
from .tiers import tiers as compute_tiers

__all__ = ["shortlist", "resolve_costs", "shortlist_reference", "coverage_value"]

OBJECTIVES = ("reach", "frequency")


# ----------------------------------------------------------------------------- inputs
def _candidates(graph: Graph, candidates, quality, allow_empty: bool = False) -> np.ndarray:
    if candidates is None:
        sizes = audience_sizes(graph, quality=quality)
        pos = np.flatnonzero(sizes > 0)
        if len(pos) == 0:
            raise InputError("no account has followers in the follow graph, so there is nothing to shortlist")
        return pos
    if isinstance(candidates, (pd.Series, np.ndarray)) and np.asarray(candidates).dtype == bool:
        pos = select_creators(graph, mask=candidates, quality=quality, allow_empty=allow_empty)
    elif isinstance(candidates, np.ndarray) and candidates.dtype.kind in "iu":
        pos = _resolve(graph, candidates, None, quality, allow_empty)
    else:
        pos = select_creators(graph, candidates, quality=quality, allow_empty=allow_empty)
    if allow_empty:
        pos = pos[audience_sizes(graph, quality=quality)[pos] > 0]
        if len(pos) == 0:
            raise InputError("none of the candidates has followers in the follow graph")
    return pos


def _weights(graph: Graph, weights) -> np.ndarray:
    n = graph.n_accounts
    if weights is None:
        return np.ones(n)
    if isinstance(weights, pd.Series):
        s = weights.copy()
        s.index = s.index.astype(str)
        if s.dtype == bool:
            s = s.astype(float)
        try:
            s = pd.to_numeric(s, errors="raise")
        except (ValueError, TypeError) as err:
            raise InputError("follower weights must be numbers", hint="pass a numeric Series indexed by account id") from err
        if not s.index.isin(graph.ids).any():
            raise InputError("the follower weights share no account id with the graph",
                             hint="index the weights Series by account id")
        w = s.reindex(graph.ids).fillna(0.0).to_numpy(np.float64)
    else:
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != (n,):
            raise InputError(f"follower weights must have one value per account ({n}), got shape {w.shape}",
                             hint="or pass a Series indexed by account id")
    if not np.isfinite(w).all() or (w < 0).any():
        raise InputError("follower weights must be finite and ≥ 0", hint="e.g. personalized PageRank scores, or 0/1")
    return w


def resolve_costs(graph: Graph, positions: np.ndarray, costs, *, tiers: pd.Series | None = None) -> np.ndarray:
    """The cost of each candidate (row positions), from one of:

    * a Series indexed by account id (or handle), or a mapping id → cost;
    * a profile column name (``graph.accounts[costs]``);
    * a mapping tier → cost (every key a tier label): the default cost per tier, tiers from
      ``tiers`` (a Series indexed by id), else the account column ``tier``, else
      :func:`graphinflu.metrics.tiers.tiers` (profile followers, else follow in-degree);
    * a single number (the same cost for everyone).

    Raises :class:`InputError` naming the creators whose cost is missing, negative or non-numeric.

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["x", "y"], "target": ["a", "b"]}))
    >>> resolve_costs(g, g.positions(["a", "b"]), {"a": 10, "b": 2.5}).tolist()
    [10.0, 2.5]
    """
    ids = graph.ids[positions]
    if isinstance(costs, (int, float, np.integer, np.floating)) and not isinstance(costs, bool):
        vals = pd.Series(float(costs), index=ids)
        what = "cost"
    elif isinstance(costs, str):
        if costs not in graph.accounts.columns:
            raise InputError(f"cost column {costs!r} not found in the profiles; columns are "
                             f"{[c for c in graph.accounts.columns]}", hint="load profiles with a cost column (--profiles) "
                             "or name the right one with --cost-col")
        vals = graph.accounts[costs].iloc[positions]
        what = f"cost column {costs!r}"
    elif isinstance(costs, Mapping) or isinstance(costs, pd.Series):
        m = pd.Series(costs) if isinstance(costs, Mapping) else costs.copy()
        m.index = m.index.astype(str)
        tier_labels = _tier_labels(graph, tiers) if isinstance(costs, Mapping) and _looks_like_tiers(m, graph) else None
        if tier_labels is not None:
            lab = tier_labels.iloc[positions].astype(str)
            vals = pd.Series(m.reindex(lab.to_numpy()).to_numpy(), index=ids)
            what = "cost per tier"
            missing_tiers = sorted(set(lab[vals.isna().to_numpy()]))
            if missing_tiers:
                raise InputError(f"no cost given for tier(s) {missing_tiers}",
                                 hint=f"give a cost for every tier present, e.g. {dict.fromkeys(missing_tiers, 100)}")
        else:
            by_id = m.reindex(ids)
            if by_id.isna().all() and "handle" in graph.accounts:
                by_id = pd.Series(m.reindex(graph.accounts["handle"].astype(str).to_numpy()[positions]).to_numpy(), index=ids)
            vals = by_id
            what = "cost"
    else:
        raise InputError(f"costs must be a Series, a mapping, a profile column name or a number, not {type(costs).__name__}")
    num = pd.to_numeric(pd.Series(vals.to_numpy(), index=ids), errors="coerce")
    bad_type = num.isna() & pd.Series(vals.to_numpy(), index=ids).notna()
    if bad_type.any():
        raise InputError(f"{what}: non-numeric cost for {int(bad_type.sum())} creator(s): "
                         + ", ".join(f"{i}={v!r}" for i, v in list(zip(ids[bad_type.to_numpy()], vals.to_numpy()[bad_type.to_numpy()]))[:10]),
                         hint="costs must be numbers (no currency signs or thousands separators)")
    if num.isna().any():
        miss = list(ids[num.isna().to_numpy()])
        raise InputError(f"{what}: no cost for {len(miss)} creator(s): {', '.join(miss[:10])}" + (" ..." if len(miss) > 10 else ""),
                         hint="give every candidate a cost, or restrict the candidates to those that have one")
    arr = num.to_numpy(np.float64)
    if not np.isfinite(arr).all() or (arr < 0).any():
        neg = list(ids[(arr < 0) | ~np.isfinite(arr)])
        raise InputError(f"{what}: negative or infinite cost for {len(neg)} creator(s): {', '.join(neg[:10])}",
                         hint="costs must be finite and ≥ 0")
    return arr


def _looks_like_tiers(m: pd.Series, graph: Graph) -> bool:
    names = {n for n, _ in DEFAULT_TIERS}
    if "tier" in graph.accounts.columns:
        names |= set(graph.accounts["tier"].dropna().astype(str))
    return len(m) > 0 and set(m.index) <= names and not m.index.isin(graph.ids).any()


def _tier_labels(graph: Graph, tiers: pd.Series | None) -> pd.Series:
    if tiers is not None:
        s = tiers.copy()
        s.index = s.index.astype(str)
        return s.reindex(graph.ids)
    if "tier" in graph.accounts.columns:
        return graph.accounts["tier"]
    return compute_tiers(graph)["tier"]


# ----------------------------------------------------------------------------- greedy core
class _Coverage:
    """Counts of exposures per follower and vectorised marginal gains on sparse rows."""

    def __init__(self, B, w: np.ndarray, f: int):
        self.indptr, self.indices = B.indptr, B.indices
        self.w = w
        self.f = f
        self.count = np.zeros(B.shape[1], dtype=np.int32)

    def rows(self, c: int) -> np.ndarray:
        return self.indices[self.indptr[c]:self.indptr[c + 1]]

    def gain(self, c: int) -> float:
        idx = self.rows(c)
        return float(self.w[idx][self.count[idx] < self.f].sum())

    def add(self, c: int) -> tuple[float, float, int]:
        """Pick ``c``: returns (objective gain, weighted newly ≥ f, people newly ≥ f)."""
        idx = self.rows(c)
        below = self.count[idx] < self.f
        g = float(self.w[idx][below].sum())
        self.count[idx] += 1
        newly = idx[self.count[idx] == self.f]
        return g, float(self.w[newly].sum()), int(len(newly))


def _celf(B, w, f, init, *, k=None, costs=None, budget=None, ratio=False):
    """Lazy greedy. Returns the list of picks (row indices of B) with their gains."""
    cov = _Coverage(B, w, f)
    n = B.shape[0]
    if ratio:
        with np.errstate(divide="ignore", invalid="ignore"):
            key = np.where(costs > 0, init / np.where(costs > 0, costs, 1), np.where(init > 0, np.inf, 0.0))
    else:
        key = init
    heap = [(-float(key[c]), c, 0) for c in range(n)]
    heapq.heapify(heap)
    picks = []
    spent = 0.0
    rnd = 0
    while heap and (k is None or len(picks) < k):
        negkey, c, seen = heapq.heappop(heap)
        if budget is not None and spent + costs[c] > budget + 1e-9:
            continue  # never fits again: the remaining budget only shrinks
        if seen == rnd:
            if -negkey <= 0:
                break
            g, wr, nr = cov.add(c)
            spent += 0.0 if costs is None else float(costs[c])
            picks.append((c, g, wr, nr))
            rnd += 1
            continue
        g = cov.gain(c)
        if ratio:
            kv = g / costs[c] if costs[c] > 0 else (np.inf if g > 0 else 0.0)
        else:
            kv = g
        heapq.heappush(heap, (-kv, c, rnd))
    return picks


def coverage_value(B, w: np.ndarray, rows: Iterable[int], f: int = 1) -> tuple[float, float]:
    """``(F_f, R_f)`` of the candidate rows ``rows``: surrogate Σ w·min(count, f) and Σ w·[count ≥ f]."""
    rows = list(rows)
    cnt = np.bincount(B[rows].indices, minlength=B.shape[1]) if rows else np.zeros(B.shape[1], np.int64)
    return float((w * np.minimum(cnt, f)).sum()), float(w[cnt >= f].sum())


# ----------------------------------------------------------------------------- public
def shortlist(
    graph: Graph,
    *,
    k: int | None = None,
    budget: float | None = None,
    costs=None,
    candidates=None,
    weights=None,
    objective: str = "reach",
    f: int = 1,
    quality=None,
    tiers: pd.Series | None = None,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Choose creators that together reach the most distinct (weighted) followers.

    Parameters
    ----------
    k : int, optional
        Number of picks (lazy greedy / CELF). Give ``k`` or ``budget`` (or both: at most ``k``
        picks within the budget).
    budget : float, optional
        Total cost allowed; needs ``costs``.
    costs : Series, mapping, str or number, optional
        Per-creator cost (see :func:`resolve_costs`): a Series/mapping by id, a profile column
        name, a mapping tier → default cost, or one number.
    candidates : list of ids/handles, integer row positions (array) or boolean mask, optional
        Who may be picked (default: every account with at least one follower).
    weights : Series indexed by id or array, optional
        Per-follower weight ``w_v ≥ 0`` (default 1): e.g. personalized PageRank (audience match).
    objective : {"reach", "frequency"}
        ``frequency`` targets people reached at least ``f`` times (see the module docstring).
    f : int
        Exposures needed (``objective="frequency"``); must be 1 for ``reach``.
    quality : boolean mask over accounts, optional
        Count only these followers (:func:`graphinflu.metrics.quality.quality_mask`).
    allow_empty : bool
        Silently drop candidates without followers (by default an error names them).

    Returns
    -------
    DataFrame indexed by creator id, in pick order
        ``pick`` (1, 2, ...); ``handle``; ``audience_size`` (followers counted);
        ``marginal_reach`` = weighted people newly reached at least ``f`` times by this pick;
        ``cumulative_reach`` = weighted people reached at least ``f`` times by picks 1..this;
        ``new_followers`` / ``cumulative_followers`` = the same, unweighted (people);
        ``marginal_objective`` / ``cumulative_objective`` = gain and value of the maximised
        objective (equal to the reach columns for ``reach``; Σ w·min(exposures, f) for
        ``frequency``); ``cost`` and ``cumulative_cost`` (NaN without costs).
        ``attrs``: ``strategy`` (``"greedy"``, ``"cost-benefit greedy"``, ``"greedy within
        budget"`` or ``"best single"``), ``guarantee`` and ``stopped_early`` (True when no
        remaining candidate adds anything).

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["1", "2", "3", "1", "4", "1", "3", "5"],
    ...                                     "target": ["A", "A", "A", "B", "B", "C", "C", "C"]}))
    >>> shortlist(g, k=2)[["pick", "marginal_reach", "cumulative_reach"]]  # doctest: +NORMALIZE_WHITESPACE
        pick  marginal_reach  cumulative_reach
    id
    A      1             3.0               3.0
    B      2             1.0               4.0
    """
    if objective not in OBJECTIVES:
        raise InputError(f"objective must be one of {OBJECTIVES}, not {objective!r}")
    try:
        f = int(f)
    except (TypeError, ValueError) as err:
        raise InputError(f"f must be a whole number ≥ 1, not {f!r}") from err
    if f < 1 or (objective == "reach" and f != 1):
        raise InputError(f"f must be ≥ 1 (and 1 for the reach objective), got {f}",
                         hint="use objective='frequency' to ask for people reached at least f times")
    if k is None and budget is None:
        raise InputError("give k (how many creators) or a budget", hint="e.g. --k 10 or --budget 5000 --cost-col price")
    pos = _candidates(graph, candidates, quality, allow_empty)
    if k is not None:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise InputError(f"k must be a whole number ≥ 1, not {k!r}")
        if k > len(pos):
            raise InputError(f"k={k} is larger than the {len(pos)} candidate(s)",
                             hint=f"ask for at most {len(pos)}, or widen the candidates")
    cost_arr = None
    if budget is not None:
        try:
            budget = float(budget)
        except (TypeError, ValueError) as err:
            raise InputError(f"budget must be a number, not {budget!r}") from err
        if not np.isfinite(budget) or budget < 0:
            raise InputError(f"budget must be a finite number ≥ 0, not {budget}")
        if costs is None:
            raise InputError("a budget needs costs", hint="pass costs (a Series, a profile column such as --cost-col price, "
                             "or a cost per tier)")
    if costs is not None:
        cost_arr = resolve_costs(graph, pos, costs, tiers=tiers)
        if budget is not None and (cost_arr > budget).all():
            raise InputError(f"the budget {budget:g} is below every candidate's cost (cheapest: {cost_arr.min():g})",
                             hint=f"raise the budget to at least {cost_arr.min():g}")
    w = _weights(graph, weights)
    B = audience_matrix(graph, pos, quality=quality)
    init = np.asarray(B @ w).ravel()
    fbound = "(1 − 1/e)"
    if budget is None:
        picks = _celf(B, w, f, init, k=k)
        strategy, guarantee = "greedy", f"{fbound} ≈ 0.632 of the optimum (k picks)"
    else:
        options = []
        p1 = _celf(B, w, f, init, k=k, costs=cost_arr, budget=budget, ratio=True)
        options.append(("cost-benefit greedy", p1))
        p2 = _celf(B, w, f, init, k=k, costs=cost_arr, budget=budget, ratio=False)
        options.append(("greedy within budget", p2))
        afford = np.flatnonzero(cost_arr <= budget)
        best = int(afford[np.argmax(init[afford])])
        options.append(("best single", [(best, *_Coverage(B, w, f).add(best))]))
        values = [sum(p[1] for p in picks) for _, picks in options]
        j = int(np.argmax(values))  # first wins ties
        strategy, picks = options[j]
        guarantee = "½(1 − 1/e) ≈ 0.316 of the optimum (budgeted)"
    rows = np.array([p[0] for p in picks], dtype=np.int64)
    sizes = np.diff(B.indptr)[rows] if len(rows) else np.zeros(0, np.int64)
    g = np.array([p[1] for p in picks], dtype=float)
    wr = np.array([p[2] for p in picks], dtype=float)
    nr = np.array([p[3] for p in picks], dtype=np.int64)
    c = cost_arr[rows] if cost_arr is not None else np.full(len(rows), np.nan)
    chosen = pos[rows]
    out = pd.DataFrame(
        {
            "pick": np.arange(1, len(rows) + 1),
            "handle": graph.accounts["handle"].to_numpy()[chosen],
            "audience_size": sizes.astype(np.int64),
            "marginal_reach": wr,
            "cumulative_reach": np.cumsum(wr),
            "new_followers": nr,
            "cumulative_followers": np.cumsum(nr),
            "marginal_objective": g,
            "cumulative_objective": np.cumsum(g),
            "cost": c,
            "cumulative_cost": np.cumsum(c),
        },
        index=pd.Index(graph.ids[chosen], name="id"),
    )
    out.attrs.update(strategy=strategy, guarantee=guarantee, objective=objective, f=f,
                     stopped_early=bool(k is not None and len(rows) < k and budget is None))
    return out


def shortlist_reference(graph: Graph, *, k: int | None = None, budget: float | None = None, costs=None,
                        candidates=None, weights=None, f: int = 1, quality=None) -> tuple[float, tuple[str, ...]]:
    """Brute-force optimum of the (surrogate) objective over all subsets: ``(value, ids)``.

    Enumerates ``itertools.combinations`` of the candidates (all sizes up to ``k``, within the
    budget when given); only for small instances (≤ 20 candidates).
    """
    pos = _candidates(graph, candidates, quality)
    if len(pos) > 22:
        raise InputError(f"brute force over {len(pos)} candidates is too slow; use at most 22")
    w = _weights(graph, weights)
    B = audience_matrix(graph, pos, quality=quality)
    cost_arr = resolve_costs(graph, pos, costs) if costs is not None else np.zeros(len(pos))
    best, best_set = 0.0, ()
    sizes = range(1, (k if k is not None else len(pos)) + 1)
    for r in sizes:
        for combo in itertools.combinations(range(len(pos)), r):
            if budget is not None and cost_arr[list(combo)].sum() > budget + 1e-9:
                continue
            val = coverage_value(B, w, combo, f)[0]
            if val > best + 1e-12:
                best, best_set = val, tuple(graph.ids[pos[list(combo)]])
    return best, best_set
