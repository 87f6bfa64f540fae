"""Reach-optimal shortlist: CELF against plain greedy and the brute-force optimum."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from graphinflu import Graph, InputError, UnknownAccountError
from graphinflu.metrics.overlap import audience_matrix
from graphinflu.metrics.shortlist import coverage_value, resolve_costs, shortlist, shortlist_reference

BOUND = 1 - 1 / math.e


def graph_of(aud: dict[str, list], profiles: pd.DataFrame | None = None) -> Graph:
    rows = [(str(f), c) for c, fs in aud.items() for f in fs]
    return Graph.from_pandas(pd.DataFrame(rows, columns=["source", "target"]), accounts=profiles)


def random_instance(seed: int, n_cand: int = 12, n_fol: int = 60):
    rng = np.random.default_rng(seed)
    aud = {}
    for c in range(n_cand):
        size = int(rng.integers(1, n_fol // 2))
        # skewed: low follower ids are popular, so audiences overlap a lot
        pick = rng.choice(n_fol, size=size, replace=False, p=np.linspace(2, 0.2, n_fol) / np.linspace(2, 0.2, n_fol).sum())
        aud[f"c{c}"] = [f"f{v}" for v in pick]
    return graph_of(aud), aud


def plain_greedy(aud: dict[str, list], k: int, w=None) -> float:
    """Non-lazy greedy on Python sets (reference for CELF)."""
    w = w or {}
    covered: set = set()
    value = 0.0
    left = dict(aud)
    for _ in range(k):
        gains = {c: sum(w.get(v, 1.0) for v in set(fs) - covered) for c, fs in left.items()}
        best = max(gains.values())
        if best <= 0:
            break
        c = min(c for c, gv in gains.items() if gv == best and c in left)
        covered |= set(left.pop(c))
        value += best
    return value


def test_golden_shortlist_k_and_designed_optimum():
    g = graph_of({"A": [1, 2, 3], "B": [1, 4], "C": [1, 3, 5]})
    s = shortlist(g, k=3)
    assert s["cumulative_reach"].iloc[-1] == 5
    assert s["marginal_reach"].tolist() == [3, 1, 1]
    assert s["new_followers"].tolist() == [3, 1, 1]
    # designed case: three disjoint audiences of sizes 5, 3, 2 plus a decoy overlapping the biggest
    g2 = graph_of({"big": range(5), "mid": range(10, 13), "small": range(20, 22), "decoy": range(0, 4)})
    s2 = shortlist(g2, k=3)
    assert list(s2.index) == ["big", "mid", "small"]
    assert s2["cumulative_reach"].iloc[-1] == shortlist_reference(g2, k=3)[0] == 10


def test_greedy_can_be_suboptimal_but_within_bound():
    # the textbook case: one big set overlapping two disjoint halves; greedy takes the big one
    aud = {"big": [0, 1, 3, 10, 20], "left": [0, 1, 2, 20], "right": [3, 10, 11, 21]}
    g = graph_of(aud)
    opt, best = shortlist_reference(g, k=2)
    got = shortlist(g, k=2)["cumulative_reach"].iloc[-1]
    assert opt == 8 and set(best) == {"left", "right"}
    assert got == 7  # greedy: big (5), then +2
    assert got >= BOUND * opt


@pytest.mark.parametrize("seed", range(12))
def test_random_instances_celf_equals_greedy_and_meets_bound(seed):
    g, aud = random_instance(seed, n_cand=14)
    k = 1 + seed % 5
    got = shortlist(g, k=k)
    assert got["cumulative_reach"].iloc[-1] == pytest.approx(plain_greedy(aud, k))
    opt, _ = shortlist_reference(g, k=k)
    assert got["cumulative_reach"].iloc[-1] >= BOUND * opt - 1e-9
    # reported columns are consistent with a recount
    B = audience_matrix(g, g.positions(got.index))
    assert coverage_value(B, np.ones(g.n_accounts), range(len(got)))[1] == got["cumulative_reach"].iloc[-1]
    assert got["marginal_reach"].is_monotonic_decreasing  # submodular: gains only shrink


@pytest.mark.parametrize("seed", range(6))
def test_weighted_reach_against_brute_force(seed):
    g, aud = random_instance(100 + seed, n_cand=10)
    rng = np.random.default_rng(seed)
    w = pd.Series(rng.random(g.n_accounts), index=g.ids)
    got = shortlist(g, k=3, weights=w)
    wd = w.to_dict()
    assert got["cumulative_reach"].iloc[-1] == pytest.approx(plain_greedy(aud, 3, wd))
    opt, _ = shortlist_reference(g, k=3, weights=w)
    assert got["cumulative_reach"].iloc[-1] >= BOUND * opt - 1e-9
    assert got["cumulative_followers"].iloc[-1] == len(set().union(*(aud[c] for c in got.index)))


@pytest.mark.parametrize("seed", range(6))
def test_frequency_objective(seed):
    g, aud = random_instance(200 + seed, n_cand=10)
    got = shortlist(g, k=4, objective="frequency", f=2)
    opt, _ = shortlist_reference(g, k=4, f=2)
    assert got["cumulative_objective"].iloc[-1] >= BOUND * opt - 1e-9
    chosen = list(got.index)
    counts = pd.Series([v for c in chosen for v in set(aud[c])]).value_counts()
    assert got["cumulative_followers"].iloc[-1] == int((counts >= 2).sum())  # people reached ≥ 2 times
    assert got["marginal_reach"].iloc[0] == 0  # one creator reaches nobody twice
    with pytest.raises(InputError, match="f must be"):
        shortlist(g, k=2, f=2)


@pytest.mark.parametrize("seed", range(10))
def test_budgeted_meets_half_bound(seed):
    g, aud = random_instance(300 + seed, n_cand=12)
    rng = np.random.default_rng(seed)
    costs = pd.Series(rng.integers(1, 10, size=len(aud)).astype(float), index=list(aud))
    budget = float(rng.integers(8, 20))
    got = shortlist(g, budget=budget, costs=costs)
    assert got["cumulative_cost"].iloc[-1] <= budget
    assert got["cost"].tolist() == costs[got.index].tolist()
    opt, _ = shortlist_reference(g, budget=budget, costs=costs)
    assert got["cumulative_reach"].iloc[-1] >= 0.5 * BOUND * opt - 1e-9
    assert got.attrs["strategy"] in ("cost-benefit greedy", "greedy within budget", "best single")


def test_budget_best_single_wins_when_ratio_greedy_is_fooled():
    # a cheap tiny creator has the best ratio, but then the big one no longer fits
    g = graph_of({"tiny": [1], "huge": list(range(100, 200))})
    got = shortlist(g, budget=10, costs={"tiny": 0.1, "huge": 10})
    assert list(got.index) == ["huge"] and got.attrs["strategy"] in ("greedy within budget", "best single")


def test_costs_sources_and_errors():
    prof = pd.DataFrame({"price": [100, 250, "n/a"], "tier": ["micro", "nano", "micro"]}, index=["A", "B", "C"])
    g = graph_of({"A": [1, 2, 3], "B": [1, 4], "C": [1, 3, 5]}, prof)
    pos = g.positions(["A", "B"])
    assert resolve_costs(g, pos, "price").tolist() == [100, 250]
    assert resolve_costs(g, pos, {"micro": 50, "nano": 10}).tolist() == [50, 10]
    assert resolve_costs(g, pos, 7).tolist() == [7, 7]
    with pytest.raises(InputError, match="non-numeric cost.*C='n/a'"):
        shortlist(g, budget=500, costs="price", candidates=["A", "B", "C"])
    with pytest.raises(InputError, match="no cost for 1 creator.*C"):
        shortlist(g, budget=500, costs={"A": 1, "B": 2}, candidates=["A", "B", "C"])
    with pytest.raises(InputError, match="negative.*B"):
        shortlist(g, budget=500, costs={"A": 1, "B": -2}, candidates=["A", "B"])
    with pytest.raises(InputError, match="below every candidate's cost .cheapest: 100"):
        shortlist(g, budget=50, costs="price", candidates=["A", "B"])
    with pytest.raises(InputError, match="cost column 'fee' not found"):
        shortlist(g, budget=50, costs="fee", candidates=["A", "B"])
    with pytest.raises(InputError, match="no cost given for tier"):
        shortlist(g, budget=50, costs={"micro": 5}, candidates=["A", "B"])
    with pytest.raises(InputError, match="k=4 is larger than the 3 candidate"):
        shortlist(g, k=4)
    with pytest.raises(InputError, match="needs costs"):
        shortlist(g, budget=10)
    with pytest.raises(InputError, match="give k"):
        shortlist(g)
    with pytest.raises(UnknownAccountError, match="Z"):
        shortlist(g, k=1, candidates=["A", "Z"])
    with pytest.raises(InputError, match="no followers.*: 1"):
        shortlist(g, k=1, candidates=["A", "1"])
    with pytest.raises(InputError, match="weights must be finite"):
        shortlist(g, k=1, weights=pd.Series({"1": -1.0}))


def test_quality_mask_in_shortlist():
    g = graph_of({"A": [1, 2, 3], "B": [4, 5], "C": [1, 6]})
    mask = pd.Series(g.ids.isin(["4", "5", "6"]), index=g.ids)
    s = shortlist(g, k=2, quality=mask, candidates=["B", "C"])
    assert list(s.index) == ["B", "C"] and s["cumulative_reach"].iloc[-1] == 3
    with pytest.raises(InputError, match="no quality followers.*A"):
        shortlist(g, k=1, quality=mask, candidates=["A", "B"])
