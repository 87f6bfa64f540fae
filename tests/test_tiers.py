"""Follower tiers and engagement: hand-checked cases and the Instagram influencer dataset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats

from conftest import ENGAGEMENT_POSTS, accounts_only, zoo_engagement, zoo_tier_bounds
from graphinflu import Graph, InputError, UnknownAccountError
from graphinflu.metrics.tiers import DEFAULT_TIERS, engagement, follower_counts, tiers

def test_default_bounds_are_half_open():
    t = tiers(zoo_tier_bounds())
    assert list(t.columns) == ["followers", "followers_source", "tier"]
    assert t["tier"].astype(str).tolist() == [
        "nano", "nano", "micro", "micro", "mid", "mid", "macro", "macro", "mega", "mega"]
    assert t["tier"].cat.ordered
    assert list(t["tier"].cat.categories) == [name for name, _ in DEFAULT_TIERS]
    assert t["tier"].min() == "nano" and t["tier"].max() == "mega"
    assert t["followers"].dtype == np.int64
    assert (t["followers_source"] == "profile").all()


def test_followers_fall_back_to_follow_indegree():
    """a, b, d follow c; e follows c too but through a 'mentions' edge, which does not count.
    Profile followers: a 5,000 and c missing (NaN) → c uses in-degree 3."""
    df = pd.DataFrame({"source": ["a", "b", "d", "e"], "target": ["c", "c", "c", "c"],
                       "kind": ["follows", "follows", "follows", "mentions"]})
    g = Graph.from_pandas(df, kind="kind").with_accounts(
        pd.DataFrame({"followers": [5_000, np.nan]}, index=["a", "c"]))
    fc = follower_counts(g)
    assert fc["followers"].to_dict() == {"a": 5_000, "b": 0, "d": 0, "c": 3, "e": 0}
    assert fc["followers_source"].astype(str).to_dict() == {
        "a": "profile", "b": "follow_indegree", "d": "follow_indegree", "c": "follow_indegree", "e": "follow_indegree"}
    assert tiers(g)["tier"].astype(str).to_dict() == {"a": "micro", "b": "nano", "d": "nano", "c": "nano", "e": "nano"}


def test_no_profile_column_uses_indegree_everywhere():
    g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"]}))
    fc = follower_counts(g)
    assert fc["followers"].tolist() == [0, 0, 2]
    assert (fc["followers_source"] == "follow_indegree").all()


def test_custom_bounds():
    g = zoo_tier_bounds()
    t = tiers(g, bounds={"small": 0, "big": 1_000_000})
    assert t["tier"].astype(str).tolist() == ["small"] * 8 + ["big"] * 2
    t = tiers(g, bounds=[("all", 0)])
    assert (t["tier"] == "all").all()


@pytest.mark.parametrize("bounds, match", [
    ([("nano", 10), ("micro", 1_000)], "start at 0"),
    ([("a", 0), ("b", 500), ("c", 500)], "strictly increase"),
    ([("a", 0), ("a", 5)], "distinct"),
    ([("a", 0), ("b", "lots")], "pairs"),
    ([], "no tiers"),
])
def test_bad_bounds(bounds, match):
    with pytest.raises(InputError, match=match):
        tiers(zoo_tier_bounds(), bounds=bounds)


def test_bad_follower_values():
    with pytest.raises(InputError, match="non-numeric") as info:
        tiers(accounts_only(pd.DataFrame({"followers": ["12.5k", "30"]}, index=["a", "b"])))
    assert "'a'" in str(info.value) and "fix:" in str(info.value)
    with pytest.raises(InputError, match="negative"):
        tiers(accounts_only(pd.DataFrame({"followers": [-1, 30]}, index=["a", "b"])))


# ----------------------------------------------------------------------------------- engagement
def test_engagement_hand_checked():
    e = engagement(zoo_engagement(), ENGAGEMENT_POSTS)
    assert list(e.columns) == ["followers", "tier", "posts_counted", "mean_likes", "mean_comments",
                               "engagement_rate", "rated", "engagement_percentile",
                               "engagement_rate_shrunk", "engagement_known", "sponsored_share"]
    assert e["posts_counted"].to_dict() == {"a": 2, "b": 1, "c": 1, "d": 1, "e": 1, "f": 0}
    assert e["mean_likes"].to_dict() == {"a": 40.0, "b": 100.0, "c": 40.0, "d": 6.0, "e": 5.0, "f": 0.0}
    assert e["mean_comments"].to_dict() == {"a": 10.0, "b": 20.0, "c": 0.0, "d": 0.0, "e": 5.0, "f": 0.0}
    assert e["engagement_rate"].to_numpy() == pytest.approx([0.025, 0.03, 0.005, 0.01, 0.0, 0.0])
    assert e["rated"].to_dict() == {"a": True, "b": True, "c": True, "d": True, "e": False, "f": False}
    assert e["engagement_percentile"].to_numpy() == pytest.approx([200 / 3, 100, 100 / 3, 100, 0, 0])
    assert e["tier"].astype(str).tolist() == ["micro", "micro", "micro", "nano", "nano", "nano"]
    # NaN only where "unknown" is the answer: no rated post, or no sponsorship columns in the posts
    assert not e.drop(columns=["engagement_rate_shrunk", "sponsored_share"]).isna().any().any()
    assert e["engagement_rate_shrunk"].isna().to_dict() == {i: not r for i, r in e["rated"].items()}
    assert e["sponsored_share"].isna().all()


def test_engagement_rate_is_mean_of_per_post_rates():
    g = zoo_engagement()
    e = engagement(g, ENGAGEMENT_POSTS)
    ok = ENGAGEMENT_POSTS.dropna()
    owner = ok["owner"].str.lstrip("@")
    per_post = (ok["likes"] + ok["comments"]) / owner.map(g.accounts["followers"])
    expected = per_post[owner != "e"].groupby(owner[owner != "e"]).mean()
    assert e.loc[expected.index, "engagement_rate"].to_numpy() == pytest.approx(expected.to_numpy())


def test_engagement_unknown_owners():
    posts = pd.concat([ENGAGEMENT_POSTS, pd.DataFrame({"owner": ["@ghost", "zed"], "likes": [1, 1], "comments": [0, 0]})])
    with pytest.raises(UnknownAccountError) as info:
        engagement(zoo_engagement(), posts)
    assert info.value.missing == ["@ghost", "zed"]
    assert "on_unknown='skip'" in str(info.value)
    skipped = engagement(zoo_engagement(), posts, on_unknown="skip")
    pd.testing.assert_frame_equal(skipped, engagement(zoo_engagement(), ENGAGEMENT_POSTS))
    with pytest.raises(InputError, match="on_unknown"):
        engagement(zoo_engagement(), ENGAGEMENT_POSTS, on_unknown="ignore")


def test_engagement_bad_posts_table():
    g = zoo_engagement()
    with pytest.raises(InputError, match="lacks column") as info:
        engagement(g, ENGAGEMENT_POSTS.rename(columns={"owner": "owner_username"}))
    assert "owner='owner_username'" in str(info.value)
    assert engagement(g, ENGAGEMENT_POSTS.rename(columns={"owner": "owner_username"}), owner="owner_username")["rated"].sum() == 4
    with pytest.raises(InputError, match="negative"):
        engagement(g, ENGAGEMENT_POSTS.assign(likes=-1))
    with pytest.raises(InputError, match="non-numeric"):
        engagement(g, ENGAGEMENT_POSTS.assign(comments="many"))
    with pytest.raises(InputError, match="posts table"):
        engagement(g)


def test_engagement_from_profile_totals():
    """Totals: a 400 likes + 100 comments over 10 posts with 2,000 followers → 50/2000 = .025;
    b has posts = 0 → unrated; c misses comments → unrated."""
    prof = pd.DataFrame({"followers": [2_000, 3_000, 5_000], "likes": [400, 0, 90], "comments": [100, 0, np.nan],
                         "posts": [10, 0, 3]}, index=["a", "b", "c"])
    e = engagement(accounts_only(prof))
    assert e["posts_counted"].tolist() == [10, 0, 0]
    assert e["mean_likes"].tolist() == [40.0, 0.0, 0.0]
    assert e["engagement_rate"].tolist() == pytest.approx([0.025, 0.0, 0.0])
    assert e["rated"].tolist() == [True, False, False]
    assert e["engagement_percentile"].tolist() == [100.0, 0.0, 0.0]


def test_engagement_percentile_matches_scipy():
    rng = np.random.default_rng(7)
    n = 300
    ids = [f"u{i}" for i in range(n)]
    followers = rng.choice([200, 800, 5_000, 20_000, 70_000, 600_000], size=n)
    g = accounts_only(pd.DataFrame({"followers": followers}, index=ids))
    owners = rng.choice(ids, size=900)
    posts = pd.DataFrame({"owner": owners, "likes": rng.integers(0, 50, 900), "comments": rng.integers(0, 5, 900)})
    e = engagement(g, posts)
    for _, grp in e[e["rated"]].groupby("tier", observed=True):
        rates = grp["engagement_rate_shrunk"].to_numpy()  # percentiles rank the shrunk rate
        expected = [scipy.stats.percentileofscore(rates, r, kind="weak") for r in rates]
        assert grp["engagement_percentile"].to_numpy() == pytest.approx(expected)
    assert (e.loc[~e["rated"], "engagement_percentile"] == 0).all()


# ----------------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def instagram(shared):
    """influencers.txt with usernames replaced by row ids ("r0", "r1", ...) so that no real
    username can appear in a test report; the username → id map stays in memory only."""
    raw = pd.read_csv(shared / "instagram-influencers" / "influencers.txt.gz", sep="\t", skiprows=[1])
    ids = [f"r{i}" for i in range(len(raw))]
    to_id = dict(zip(raw["Username"], ids))
    prof = pd.DataFrame({"followers": raw["#Followers"].to_numpy(), "category": raw["Category"].to_numpy()}, index=ids)
    g = accounts_only(prof)
    posts = pd.read_csv(shared / "instagram-influencers" / "instagram_posts.tsv.gz", sep="\t",
                        usecols=["owner_username", "likes", "comments"])
    unknown = {u: f"unknown{k}" for k, u in enumerate(sorted(set(posts["owner_username"]) - set(to_id)))}
    posts["owner"] = posts["owner_username"].map(to_id | unknown)
    return g, raw["#Followers"].to_numpy(), posts.drop(columns="owner_username")


@pytest.mark.shared_data
def test_instagram_tiers_match_raw_followers(instagram):
    g, raw_followers, _ = instagram
    t = tiers(g)
    assert len(t) == 33_935
    assert (t["followers"].to_numpy() == raw_followers).all()
    assert (t["followers_source"] == "profile").all()
    expected = pd.cut(raw_followers, bins=[0, 1_000, 50_000, 500_000, 1_000_000, np.inf], right=False,
                      labels=["nano", "micro", "mid", "macro", "mega"])
    assert (t["tier"].astype(str).to_numpy() == np.asarray(expected.astype(str))).all()
    counts = t["tier"].value_counts()
    assert counts["nano"] == 0  # the dataset's minimum is 1,000 followers
    assert counts["micro"] == 25_035  # the dataset's PROVENANCE count (no account has exactly 50,000)
    assert counts.sum() == 33_935


@pytest.mark.shared_data
def test_instagram_engagement_matches_pandas(instagram):
    g, raw_followers, posts = instagram
    with pytest.raises(UnknownAccountError):
        engagement(g, posts)
    e = engagement(g, posts, on_unknown="skip")
    known = posts[posts["owner"].str.startswith("r")]
    f = pd.Series(raw_followers, index=g.ids)
    per_post = (known["likes"] + known["comments"]) / known["owner"].map(f)
    expected = per_post.groupby(known["owner"]).mean()
    assert e["rated"].sum() == len(expected) == 22_670
    assert e.loc[expected.index, "engagement_rate"].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-12)
    assert e["posts_counted"].sum() == len(known)
    assert e["engagement_percentile"].between(0, 100).all()
    # NaN only in the "unknown by design" columns, and the shrunk rate only where unrated
    assert not e.drop(columns=["engagement_rate_shrunk", "sponsored_share"]).isna().any().any()
    assert (e["engagement_rate_shrunk"].isna() == ~e["rated"]).all()
