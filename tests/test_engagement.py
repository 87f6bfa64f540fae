"""Engagement you can rely on (issue #10): empirical-Bayes shrinkage, "unknown" without posts,
sponsored-post share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import accounts_only
from graphinflu.metrics.targets import reasons
from graphinflu.metrics.tiers import engagement


def _one_tier() -> tuple:
    """x: 1 post at 100/1000 = 0.10; y: 20 posts at 20/1000 = 0.02; z: no posts. All micro."""
    g = accounts_only(pd.DataFrame({"followers": [1_000, 1_000, 1_000]}, index=["x", "y", "z"]))
    posts = pd.DataFrame({"owner": ["x"] + ["y"] * 20, "likes": [90] + [18] * 20, "comments": [10] + [2] * 20})
    return g, posts


def test_shrinkage_hand_checked():
    """μ = (1·0.10 + 20·0.02)/21 = 0.5/21; s² = ((0.10−0.06)² + (0.02−0.06)²)/1 = 0.0032;
    k = μ(1−μ)/s² − 1 ≈ 6.263 posts; shrunk = (n·r + k·μ)/(n + k)."""
    g, posts = _one_tier()
    e = engagement(g, posts)
    mu = 0.5 / 21
    k = mu * (1 - mu) / 0.0032 - 1
    assert k == pytest.approx(6.2633, abs=1e-4)
    assert e.loc["x", "engagement_rate_shrunk"] == pytest.approx((0.10 + k * mu) / (1 + k))
    assert e.loc["y", "engagement_rate_shrunk"] == pytest.approx((20 * 0.02 + k * mu) / (20 + k))
    assert e.loc["x", "engagement_rate_shrunk"] == pytest.approx(0.0343, abs=1e-4)
    assert e.loc["y", "engagement_rate_shrunk"] == pytest.approx(0.0209, abs=1e-4)
    # the raw rates stay beside it
    assert e.loc[["x", "y"], "engagement_rate"].tolist() == pytest.approx([0.10, 0.02])
    # the one-post account is pulled towards the prior far more than the 20-post one
    pull = (e["engagement_rate"] - e["engagement_rate_shrunk"]).abs() / (e["engagement_rate"] - mu).abs()
    assert pull["x"] > 0.8 and pull["y"] < 0.3


def test_prior_strength_is_clipped_and_falls_back():
    # same rates for both → s² = 0 → fallback k = 5: x = (0.1 + 5·0.1)/6 = 0.1 (prior = its rate)
    g = accounts_only(pd.DataFrame({"followers": [1_000, 1_000, 2_000]}, index=["x", "y", "w"]))
    posts = pd.DataFrame({"owner": ["x", "y", "w"], "likes": [100, 100, 10], "comments": [0, 0, 0]})
    e = engagement(g, posts, bounds=[("small", 0), ("big", 1_500)])
    assert e.loc[["x", "y"], "engagement_rate_shrunk"].tolist() == pytest.approx([0.1, 0.1])
    # w is alone in its tier → fallback k = 5 with prior = its own rate → unchanged
    assert e.loc["w", "engagement_rate_shrunk"] == pytest.approx(0.005)
    # nearly equal rates → k clipped at 100: (1·0.0101 + 100·μ)/101
    posts = pd.DataFrame({"owner": ["x", "y"], "likes": [101, 100], "comments": [0, 0]})
    e = engagement(g, posts, bounds=[("small", 0), ("big", 1_500)])
    mu = (0.101 + 0.100) / 2
    assert e.loc["x", "engagement_rate_shrunk"] == pytest.approx((0.101 + 100 * mu) / 101)


def test_no_posts_is_unknown_not_zero():
    g, posts = _one_tier()
    e = engagement(g, posts)
    assert np.isnan(e.loc["z", "engagement_rate_shrunk"])
    assert not e.loc["z", "engagement_known"] and e.loc["x", "engagement_known"]
    assert np.isnan(e.loc["z", "sponsored_share"])
    # the old columns keep their old meaning
    assert e.loc["z", "engagement_rate"] == 0.0 and not e.loc["z", "rated"]
    assert e.loc["z", "engagement_percentile"] == 0.0
    # profile totals: no per-post data, so the sponsored share is unknown for everyone
    prof = accounts_only(pd.DataFrame({"followers": [2_000], "likes": [400], "comments": [100], "posts": [10]},
                                      index=["a"]))
    tot = engagement(prof)
    assert tot.loc["a", "engagement_known"] and np.isnan(tot.loc["a", "sponsored_share"])


def test_percentile_ranks_the_shrunk_rate():
    """x's raw 0.06 (1 post) beats w's 0.035 (10 posts) and y's 0.02 (20); μ = 0.81/31, k ≈ 61.4:
    shrunk x = (0.06 + kμ)/(1 + k) ≈ 0.0267 falls below w = (0.35 + kμ)/(10 + k) ≈ 0.0274."""
    g = accounts_only(pd.DataFrame({"followers": [1_000] * 3}, index=["x", "y", "w"]))
    posts = pd.DataFrame({"owner": ["x"] + ["y"] * 20 + ["w"] * 10,
                          "likes": [60] + [20] * 20 + [35] * 10, "comments": [0] * 31})
    e = engagement(g, posts)
    assert e["engagement_rate"].idxmax() == "x"
    assert e["engagement_rate_shrunk"].idxmax() == "w"
    assert e["engagement_percentile"].idxmax() == "w"
    order = e["engagement_rate_shrunk"].rank(method="max", pct=True) * 100
    assert e["engagement_percentile"].tolist() == pytest.approx(order.tolist())


def test_sponsored_share_by_hand():
    """a: 4 counted posts — sponsor @brand, #Ad, #werbung, plain → 3/4; the 5th post has hidden likes
    (not counted) and a sponsor. b: '#adventure' and '#ads' are not ad tags, an is_ad post is → 1/3.
    c: no posts → NaN."""
    g = accounts_only(pd.DataFrame({"followers": [1_000, 1_000, 1_000]}, index=["a", "b", "c"]))
    posts = pd.DataFrame({
        "owner": ["a", "a", "a", "a", "a", "b", "b", "b"],
        "likes": [1, 1, 1, 1, np.nan, 1, 1, 1],
        "comments": [0] * 8,
        "sponsors": ["brand", "", None, "  ", "brand", "", None, ""],
        "hashtags": ["ootd", "#Ad fit", "style #werbung", None, "", "adventure", "#ads travel", ""],
        "is_ad": [False, False, False, False, False, False, False, True],
    })
    e = engagement(g, posts)
    assert e.loc["a", "sponsored_share"] == pytest.approx(3 / 4)
    assert e.loc["b", "sponsored_share"] == pytest.approx(1 / 3)
    assert np.isnan(e.loc["c", "sponsored_share"])
    # without any sponsorship column the share is unknown, not 0
    assert e.loc[["a", "b"], "sponsored_share"].notna().all()
    bare = engagement(g, posts[["owner", "likes", "comments"]])
    assert bare["sponsored_share"].isna().all()


def test_why_states_the_shrunk_and_the_raw_rate():
    g, posts = _one_tier()
    e = engagement(g, posts).assign(niche_authority=[0.97, 0.5, 0.5], community=[0, 0, 1])
    why = reasons(e)
    shrunk_x = 100 * e.loc["x", "engagement_rate_shrunk"]  # 3.43% by hand (test_shrinkage_hand_checked)
    assert why["x"] == f"top 3% authority in niche 0; engagement {shrunk_x:.1f}% (shrunk from 10.0% on 1 post; " \
                       "percentile 100 in tier)"
    assert why["x"].startswith("top 3% authority in niche 0; engagement 3.4% (shrunk from 10.0% on 1 post")
    assert "engagement 2.1% (shrunk from 2.0% on 20 posts; percentile 50 in tier)" in why["y"]
    assert why["z"].endswith("; no rated posts")
    # without the shrunk column (an older table) the raw sentence stays
    old = reasons(e.drop(columns="engagement_rate_shrunk"))
    assert old["x"] == "top 3% authority in niche 0; engagement 10.0% from 1 post (percentile 100 in tier)"
