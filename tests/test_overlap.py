"""Audience overlap, sketches, lookalikes and audience quality: hand-checked, brute force, real data."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from conftest import zoo_audiences
from graphinflu import Graph, InputError, UnknownAccountError
from graphinflu.loaders import read_edges
from graphinflu.metrics.sketches import SketchParams
from graphinflu.metrics.overlap import (
    creators_in,
    frequency_histogram,
    overlap_creators,
    overlap_pairs,
    overlap_pairs_reference,
    overlap_summary,
    select_creators,
    similar,
)
from graphinflu.metrics.quality import audience_quality, follower_flags, quality_mask


def random_graph(n_creators=30, n_followers=400, p=0.08, seed=0) -> tuple[Graph, dict[str, set[str]]]:
    rng = np.random.default_rng(seed)
    aud = {}
    for c in range(n_creators):
        pc = p * rng.uniform(0.1, 2.0)
        aud[f"c{c}"] = {f"f{v}" for v in np.flatnonzero(rng.random(n_followers) < pc)} or {"f0"}
    rows = [(f, c) for c, fs in aud.items() for f in fs]
    return Graph.from_pandas(pd.DataFrame(rows, columns=["source", "target"])), aud


def brute_pairs(aud: dict[str, set], creators: list[str], min_shared=1) -> dict:
    out = {}
    for a, b in itertools.combinations(creators, 2):
        sh = len(aud[a] & aud[b])
        if sh >= min_shared:
            out[(a, b)] = (sh, sh / len(aud[a] | aud[b]), sh / min(len(aud[a]), len(aud[b])),
                           sh / len(aud[a]), sh / len(aud[b]))
    return out


# ----------------------------------------------------------------------------- golden case
def test_golden_case_set_and_creator_figures():
    g = zoo_audiences()
    s = overlap_summary(g, ["A", "B", "C"])["value"]
    assert s["total_followers"] == 8
    assert s["union_reach"] == 5
    assert s["exclusive_reach"] == 3
    assert s["mean_frequency"] == pytest.approx(1.6)
    c = overlap_creators(g, ["A", "B", "C"])
    assert c["exclusive"].tolist() == [1, 1, 1]
    assert c["audience_size"].tolist() == [3, 2, 3]
    assert c["overlapping_pct"].round(1).tolist() == [66.7, 50.0, 66.7]
    h = frequency_histogram(g, ["A", "B", "C"])
    assert h["followers"].tolist() == [3, 1, 1]  # 2,4,5 once; 3 twice; 1 three times
    assert h["followers_at_least"].tolist() == [5, 2, 1]
    assert h["share_of_union"].sum() == pytest.approx(1.0)


def test_golden_case_pairs_named_figures():
    p = overlap_pairs(zoo_audiences(), ["A", "B", "C"]).set_index(["creator_a", "creator_b"])
    ac = p.loc[("A", "C")]
    assert ac["shared"] == 2 and ac["jaccard"] == pytest.approx(2 / 4)
    assert ac["overlap_coefficient"] == pytest.approx(2 / 3)
    ab = p.loc[("A", "B")]
    assert ab["share_a_in_b"] == pytest.approx(1 / 3)  # share of A's audience also following B
    assert ab["share_b_in_a"] == pytest.approx(1 / 2)
    assert ab["overlap_coefficient"] == pytest.approx(1 / 2)
    assert set(p["method"]) == {"exact"}
    assert list(p["shared"]) == sorted(p["shared"], reverse=True)


# ----------------------------------------------------------------------------- brute force
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("min_shared", [1, 3])
def test_pairs_match_brute_force_with_blocking(seed, min_shared):
    g, aud = random_graph(seed=seed)
    creators = sorted(aud)
    want = brute_pairs(aud, creators, min_shared)
    for block in (1, 7, 10_000_000):  # one row per block, a few rows, everything at once
        got = overlap_pairs(g, creators, min_shared=min_shared, block_entries=block)
        assert len(got) == len(want)
        for r in got.itertuples():
            key = (r.creator_a, r.creator_b) if (r.creator_a, r.creator_b) in want else (r.creator_b, r.creator_a)
            sh, jac, ovl, sab, sba = want[key]
            assert r.shared == sh and r.jaccard == pytest.approx(jac) and r.overlap_coefficient == pytest.approx(ovl)
            if key == (r.creator_a, r.creator_b):
                assert (r.share_a_in_b, r.share_b_in_a) == pytest.approx((sab, sba))


def test_reference_function_agrees():
    g, aud = random_graph(seed=5)
    creators = sorted(aud)[:12]
    ref = overlap_pairs_reference(g, creators).set_index(["creator_a", "creator_b"]).sort_index()
    got = overlap_pairs(g, creators).drop(columns="method").astype({"creator_a": str, "creator_b": str})
    got = got.set_index(["creator_a", "creator_b"]).sort_index()
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)


def test_set_figures_match_brute_force():
    g, aud = random_graph(seed=3)
    creators = sorted(aud)[:10]
    sets = [aud[c] for c in creators]
    union = set().union(*sets)
    freq = {v: sum(v in s for s in sets) for v in union}
    s = overlap_summary(g, creators)["value"]
    assert s["union_reach"] == len(union)
    assert s["total_followers"] == sum(map(len, sets))
    assert s["exclusive_reach"] == sum(1 for v in freq.values() if v == 1)
    c = overlap_creators(g, creators)
    for name, st in zip(creators, sets):
        assert c.loc[name, "exclusive"] == sum(1 for v in st if freq[v] == 1)
    h = frequency_histogram(g, creators)
    for fval, row in h.iterrows():
        assert row["followers"] == sum(1 for v in freq.values() if v == fval)


def test_quality_mask_restricts_every_figure():
    g, aud = random_graph(seed=4)
    creators = sorted(aud)[:8]
    keep = {f"f{v}" for v in range(0, 400, 3)}
    mask = pd.Series(g.ids.isin(list(keep)), index=g.ids)
    sub = {c: aud[c] & keep for c in creators}
    creators = [c for c in creators if sub[c]]
    want = brute_pairs(sub, creators)
    got = overlap_pairs(g, creators, quality=mask)
    assert {(r.creator_a, r.creator_b): r.shared for r in got.itertuples()} == {k: v[0] for k, v in want.items()}
    assert overlap_summary(g, creators, quality=mask)["value"]["union_reach"] == len(set().union(*sub.values()))


# ----------------------------------------------------------------------------- selection
def test_selection_errors_and_top_k():
    g = zoo_audiences()
    with pytest.raises(UnknownAccountError, match="nobody.*ghost|ghost.*nobody"):
        overlap_pairs(g, ["A", "nobody", "ghost"])
    with pytest.raises(InputError, match="no followers.*: 1"):
        overlap_pairs(g, ["A", "1"])  # account '1' follows but has no follower
    with pytest.raises(InputError, match="one way"):
        select_creators(g, ["A"], top=2)
    with pytest.raises(InputError, match="only 3 accounts"):
        select_creators(g, top=4)
    with pytest.raises(InputError, match="min_shared"):
        overlap_pairs(g, ["A", "B"], min_shared=0)
    assert list(g.ids[select_creators(g, top=2)]) == ["A", "C"]  # in-degree 3, 3 (tie → row order), then B
    assert list(g.ids[select_creators(g, "C, A ,C")]) == ["C", "A"]


def test_creators_in_tier_and_niche():
    tiers = pd.Series({"A": "micro", "B": "nano", "C": "micro"})
    com = pd.Series({"A": 1, "B": 1, "C": 2})
    assert creators_in(tiers, com, tier="micro", niche=2) == ["C"]
    assert creators_in(tiers, tier="micro") == ["A", "C"]
    with pytest.raises(InputError, match="tier 'mega' not found"):
        creators_in(tiers, tier="mega")
    g = zoo_audiences()
    assert overlap_pairs(g, creators_in(tiers, tier="micro"))["shared"].tolist() == [2]


# ----------------------------------------------------------------------------- lookalikes
def test_similar_matches_brute_force_and_filters():
    g, aud = random_graph(seed=7)
    target = "c3"
    want = []
    for c, s in aud.items():
        if c == target:
            continue
        sh = len(s & aud[target])
        if sh:
            want.append((c, sh, sh / len(s | aud[target]), sh / min(len(s), len(aud[target]))))
    got = similar(g, target, top=None)
    assert len(got) == len(want)
    for c, sh, jac, ovl in want:
        assert got.loc[c, "shared"] == sh
        assert got.loc[c, "jaccard"] == pytest.approx(jac)
        assert got.loc[c, "overlap_coefficient"] == pytest.approx(ovl)
    assert list(got["jaccard"]) == sorted(got["jaccard"], reverse=True)
    by_ovl = similar(g, target, by="overlap", top=5)
    assert len(by_ovl) == 5 and by_ovl["overlap_coefficient"].is_monotonic_decreasing
    tiers = pd.Series({c: ("micro" if int(c[1:]) % 2 else "nano") for c in aud})
    odd = similar(g, target, top=None, tier="micro", tiers=tiers)
    assert all(int(c[1:]) % 2 == 1 for c in odd.index)
    com = pd.Series({c: int(c[1:]) % 3 for c in aud})
    niche = similar(g, target, top=None, niche=0, communities=com)
    assert len(niche) and all(int(c[1:]) % 3 == 0 for c in niche.index)
    assert set(niche.index) == {c for c in got.index if int(c[1:]) % 3 == 0}
    with pytest.raises(InputError, match="by must be"):
        similar(g, target, by="cosine")
    with pytest.raises(UnknownAccountError, match="zzz"):
        similar(g, "zzz")


# ----------------------------------------------------------------------------- audience quality
def test_audience_quality_breakdown_and_mask():
    aud = {"A": ["a", "b", "c", "d"], "B": ["c", "e"]}
    g = Graph.from_pandas(pd.DataFrame([(f, c) for c, fs in aud.items() for f in fs], columns=["source", "target"]))
    prof = pd.DataFrame({"followers": [10, 9000, 50, 30], "following": [2000, 100, 100, 10], "posts": [3, 1, 0, 4]},
                        index=["a", "b", "c", "e"])  # d has no profile
    g = g.with_accounts(prof)
    q = audience_quality(g, ["A", "B"])
    a = q.loc["A"]
    assert (a["mass"], a["influencer"], a["no_posts"], a["no_profile"], a["quality_followers"]) == (1, 1, 1, 1, 1)
    assert a["quality_score"] == pytest.approx(25.0)  # only b (an influencer: counts as quality)
    b = q.loc["B"]
    assert b["quality_score"] == pytest.approx(50.0)  # e yes, c has no posts
    mask = quality_mask(g)
    assert sorted(mask[mask].index) == ["b", "e"]
    assert overlap_pairs(g, ["A", "B"])["shared"].tolist() == [1]
    assert overlap_pairs(g, ["A", "B"], quality=mask).empty  # quality audiences {b} and {e} do not meet
    assert overlap_summary(g, ["A", "B"], quality=mask)["value"]["union_reach"] == 2
    with pytest.raises(InputError, match="no quality followers in the follow graph: B"):
        overlap_pairs(g, ["A", "B"], quality=mask & (mask.index != "e"))
    flags = follower_flags(g, mass_following=50)
    assert flags.loc["c", "mass"] and flags.loc["e", "mass"] == False  # noqa: E712


def test_audience_quality_needs_profiles():
    with pytest.raises(InputError, match="needs follower profiles"):
        audience_quality(zoo_audiences(), ["A"])


# ----------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def follower_sets(shared):
    g = read_edges(shared / "twitter-follower-sets" / "follower_sets.tsv.gz")
    src, dst, _ = g.edge_arrays("follows")
    ids = g.ids.to_numpy()
    aud: dict[str, set] = {}
    for s, d in zip(ids[src], ids[dst]):
        aud.setdefault(d, set()).add(s)
    return g, aud


@pytest.mark.shared_data
def test_twitter_follower_sets_exact_equals_brute_force(follower_sets):
    g, aud = follower_sets
    creators = sorted(aud, key=lambda s: int(s.split()[1]))
    assert len(creators) == 100
    got = overlap_pairs(g, creators)
    want = brute_pairs(aud, creators)
    assert len(got) == len(want) == 3042  # PROVENANCE.md: pairs with any overlap
    for r in got.itertuples():
        sh, jac, ovl, sab, sba = want[(r.creator_a, r.creator_b)]
        assert r.shared == sh
        assert r.jaccard == pytest.approx(jac)
        assert (r.overlap_coefficient, r.share_a_in_b, r.share_b_in_a) == pytest.approx((ovl, sab, sba))
    assert got["jaccard"].sum() / 4950 == pytest.approx(0.05985, abs=5e-6)
    assert got["jaccard"].max() == pytest.approx(0.9345, abs=5e-5)
    s = overlap_summary(g, creators)["value"]
    assert s["union_reach"] == 28_459 and s["total_followers"] == 100_600
    allf = [f for c in creators for f in aud[c]]
    counts = pd.Series(allf).value_counts()
    assert s["exclusive_reach"] == int((counts == 1).sum())


@pytest.mark.shared_data
def test_twitter_follower_sets_sketch_bounds_cover_exact(follower_sets):
    """At 2 standard deviations (95.4 %), the exact value lies within the printed bounds in at
    least 90 % of 50 seeds (union reach), and in at least 90 % of (pair, seed) cases."""
    g, aud = follower_sets
    creators = sorted(aud, key=lambda s: int(s.split()[1]))[:40]
    exact_pairs = overlap_pairs(g, creators).set_index(["creator_a", "creator_b"])["shared"]
    exact_union = len(set().union(*(aud[c] for c in creators)))
    union_hits, pair_hits, pair_n, rel_err, widths = 0, 0, 0, [], []
    for seed in range(50):
        s = overlap_summary(g, creators, sketch=SketchParams(above=0, lg_k=7, seed=seed + 1))
        u = s.loc["union_reach"]
        assert u["method"] == "estimated" and u["confidence"] == pytest.approx(0.9545)
        union_hits += u["low"] <= exact_union <= u["high"]
        rel_err.append(abs(u["value"] - exact_union) / exact_union)
        widths.append((u["high"] - u["low"]) / exact_union)
        p = overlap_pairs(g, creators, sketch=SketchParams(above=0, lg_k=7, seed=seed + 1))
        assert set(p["method"]) == {"estimated"}
        p = p.set_index(["creator_a", "creator_b"])
        # every pair with ≥ 50 shared followers: is the exact count inside its bounds? (a pair the
        # sketch missed altogether counts as a miss)
        j = exact_pairs[exact_pairs >= 50].to_frame("exact").join(p[["shared_low", "shared_high"]], how="left")
        pair_n += len(j)
        pair_hits += int(((j["shared_low"] <= j["exact"]) & (j["exact"] <= j["shared_high"])).sum())
    assert union_hits >= 45, f"union bound covered the exact value in {union_hits}/50 seeds"
    assert pair_hits / pair_n >= 0.90, f"pair bounds covered {pair_hits}/{pair_n}"
    # it really estimated: not exact every time, and the bounds are not vacuous
    assert max(rel_err) > 0 and np.median(widths) < 0.5


@pytest.mark.shared_data
def test_sketch_mode_keeps_small_pairs_exact(follower_sets):
    g, aud = follower_sets
    creators = sorted(aud, key=lambda s: int(s.split()[1]))[:30]
    sizes = {c: len(aud[c]) for c in creators}
    cut = sorted(sizes.values())[-5]  # the 4 largest audiences are above the cut
    p = overlap_pairs(g, creators, sketch=SketchParams(above=cut, lg_k=10))
    for r in p.itertuples():
        small = sizes[r.creator_a] <= cut and sizes[r.creator_b] <= cut
        assert r.method == ("exact" if small else "estimated")
        if small:
            assert r.shared == len(aud[r.creator_a] & aud[r.creator_b]) == r.shared_low == r.shared_high
        else:
            assert r.shared_low <= r.shared <= r.shared_high
    assert p.attrs["confidence"] == pytest.approx(0.9545)
