"""Tests of the synthetic data generator (graphinflu.generate)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from graphinflu.errors import InputError
from graphinflu.generate import (
    INTERACTION_SHARES,
    NICHES,
    TIERS,
    _TAGS,
    demo_data,
    generate,
    niche_names,
    tier_of,
    write_generated,
)
from graphinflu.loaders import read_edges, read_interactions


@pytest.fixture(scope="module")
def mid():
    """20k accounts, 300k follows: big enough for tails and tiers, fast (< 1 s)."""
    return generate(300_000, seed=3)


@pytest.fixture(scope="module")
def small():
    return generate(30_000, seed=11)


def frames(d):
    return {name: getattr(d, name).to_pandas() for name in ("follows", "interactions", "profiles", "posts")}


def as_str(df):
    return df.astype({c: str for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})


# ------------------------------------------------------------------------------- the follow graph
def test_exact_count_no_loops_no_duplicates(small):
    f = as_str(small.follows.to_pandas())
    assert len(f) == 30_000 == small.n_edges
    assert small.n_accounts == 2_000
    assert not (f["source"] == f["target"]).any()
    assert not f.duplicated().any()
    ids = set(small.profiles.column("id").to_pylist())
    assert set(f["source"]) | set(f["target"]) <= ids
    # every account follows at least one account, so every account is in the edge list
    assert set(f["source"]) == ids


@pytest.mark.parametrize("n_edges,mean_degree", [(1, 1), (60, 3), (999, 7.5), (12_345, 15)])
def test_exact_count_many_sizes(n_edges, mean_degree):
    d = generate(n_edges, seed=1, mean_degree=mean_degree) if n_edges > 1 else None
    if d is None:
        with pytest.raises(InputError, match="accounts"):
            generate(1, mean_degree=1)
        return
    f = d.follows.to_pandas()
    assert len(f) == n_edges
    assert not as_str(f).duplicated().any()
    assert d.n_accounts == round(n_edges / mean_degree)


def test_ids_are_12_digit_strings_and_handles_unique(small):
    p = small.profiles.to_pandas()
    assert p["id"].str.fullmatch(r"[1-9]\d{11}").all()
    assert p["id"].is_unique and p["handle"].is_unique
    assert p["handle"].str.fullmatch(r"[a-z]+_[a-z]+_\d{3,}").all()
    assert list(p.columns) == ["id", "handle", "followers", "following", "posts", "category"]


def test_heavy_tailed_in_degree(mid):
    f = mid.follows.to_pandas()
    indeg = f["target"].value_counts().reindex(mid.profiles.column("id").to_pylist(), fill_value=0).to_numpy()
    assert indeg.mean() == pytest.approx(15, rel=1e-6)
    assert indeg.max() > 100 * np.median(indeg)
    # power-law-ish tail: log CCDF falls linearly in log k with slope near -alpha (1.1)
    ks = np.unique(np.geomspace(20, 1_000, 12).astype(int))
    ccdf = np.array([(indeg >= k).mean() for k in ks])
    slope = np.polyfit(np.log(ks), np.log(ccdf), 1)[0]
    assert -1.6 < slope < -0.7, slope
    # a thin (Poisson) tail would give (indeg >= 200) ~ 0; here it is hundreds of accounts
    assert (indeg >= 200).sum() > 50


def test_out_degree_milder_tail(mid):
    s = mid.follows.column("source").to_pandas().value_counts()
    assert s.min() >= 1
    assert s.max() < 2_000 and s.max() > 10 * s.median()


@pytest.mark.parametrize("mu", [0.0, 0.2, 0.5])
def test_planted_niches_share_of_follows(mu):
    d = generate(100_000, seed=5, mu=mu)
    g = d.to_graph(interactions=False)
    niche = d.truth.reindex(g.ids).cat.codes.to_numpy()
    s, t, _ = g.edge_arrays("follows")
    inside = (niche[s] == niche[t]).mean()
    assert inside == pytest.approx(1 - mu, abs=0.04)
    if mu <= 0.4:
        assert inside > 0.6


def test_communities_recover_planted_niches(small):
    import random

    from sklearn.metrics import normalized_mutual_info_score

    g = small.to_graph(interactions=False)
    u = g.to_igraph("follows").as_undirected(mode="collapse")
    random.seed(0)  # igraph draws from Python's random module
    part = u.community_leiden(objective_function="modularity", n_iterations=-1)
    truth = small.truth.reindex(g.ids).cat.codes.to_numpy()
    nmi = normalized_mutual_info_score(truth, np.asarray(part.membership))
    assert nmi > 0.7, nmi


def test_niche_names_and_default_counts():
    assert niche_names(3) == ["fitness", "beauty", "food"]
    assert len(set(niche_names(60))) == 60
    d = generate(5_000, seed=0, n_niches=30, mean_degree=10)
    assert d.niches[-1] == "tech_2"
    tags = d.posts.column("hashtags").to_pandas()
    assert tags.str.contains(r"\w2\b").any()  # niches past the list get their own tags


# ------------------------------------------------------------------------------- profiles
def test_followers_at_least_in_degree_and_every_tier(mid):
    p = mid.profiles.to_pandas().set_index("id")
    indeg = mid.follows.column("target").to_pandas().astype(str).value_counts().reindex(p.index, fill_value=0)
    assert (p["followers"] >= indeg).all()
    assert (p["following"] >= mid.follows.column("source").to_pandas().astype(str).value_counts().reindex(p.index, fill_value=0)).all()
    tiers = pd.Series(tier_of(p["followers"])).value_counts()
    for name, _, _ in TIERS:
        assert tiers.get(name, 0) > 0, (name, tiers.to_dict())
    assert tiers["micro"] > tiers["mid"] > tiers["mega"]
    # popularity on the platform goes with audience in the sample
    assert np.corrcoef(np.log(p["followers"]), np.log1p(indeg))[0, 1] > 0.5


def test_category_is_mostly_the_planted_niche(mid):
    p = mid.profiles.to_pandas().set_index("id")
    assert mid.truth.index.equals(p.index)
    agree = (p["category"].astype(str) == mid.truth.astype(str)).mean()
    assert 0.9 < agree < 1.0  # 5% declared noise by default
    assert set(p["category"].astype(str)) <= set(mid.niches)


def test_tier_of_bounds():
    assert tier_of([999, 1_000, 49_999, 50_000, 499_999, 500_000, 1_000_000]).tolist() == [
        "nano", "micro", "micro", "mid", "mid", "macro", "mega"]


# ------------------------------------------------------------------------------- interactions and posts
def test_interactions_concentrate_inside_niches(small):
    i = as_str(small.interactions.to_pandas())
    assert len(i) == pytest.approx(0.3 * small.n_edges, rel=0.01)
    assert set(i["kind"]) == set(INTERACTION_SHARES)
    assert (i["weight"] >= 1).all() and not (i["source"] == i["target"]).any()
    assert i["timestamp"].is_monotonic_increasing
    assert i["timestamp"].between(1_719_705_600 - 365 * 86_400, 1_719_705_600).all()
    niche = small.truth
    inside = (niche.reindex(i["source"]).to_numpy() == niche.reindex(i["target"]).to_numpy()).mean()
    assert inside > 0.85
    f = as_str(small.follows.to_pandas())
    followed = i.merge(f, on=["source", "target"], how="left", indicator=True)["_merge"].eq("both").mean()
    assert followed == pytest.approx(0.95, abs=0.02)  # 5% noise rows by default


def test_posts(small):
    posts = as_str(small.posts.to_pandas())
    prof = small.profiles.to_pandas().set_index("id")
    assert len(posts) == 3 * small.n_accounts
    assert set(posts["owner"]) <= set(prof.index)
    counts = posts["owner"].value_counts().reindex(prof.index, fill_value=0)
    assert (prof["posts"] >= counts).all()
    assert (posts["likes"] >= posts["comments"]).mean() > 0.95
    # hashtags come from the owner's niche (plus a generic tag sometimes)
    owner_niche = small.truth.reindex(posts["owner"]).astype(str).to_numpy()
    first = posts["hashtags"].str.split(" ").str[0].to_numpy()
    has = posts["hashtags"] != ""
    ok = [t in _TAGS[n].split() for t, n, h in zip(first, owner_niche, has) if h]
    assert np.mean(ok) > 0.85
    # mentions are handles of accounts the owner follows
    handle_id = prof.reset_index().set_index("handle")["id"]
    m = posts.loc[posts["mentions"] != "", ["owner", "mentions"]]
    m = m.assign(mentions=m["mentions"].str.split(" ")).explode("mentions")
    assert len(m) > 0.2 * len(posts)
    pairs = set(zip(m["owner"], handle_id.reindex(m["mentions"]).to_numpy()))
    f = as_str(small.follows.to_pandas())
    assert pairs <= set(zip(f["source"], f["target"]))


# ------------------------------------------------------------------------------- determinism and files
def test_same_seed_byte_identical_files_different_seed_differs(tmp_path):
    for fmt in ("csv", "csv.gz", "parquet"):
        a = write_generated(generate(20_000, seed=42), tmp_path / f"a-{fmt}", format=fmt)
        b = write_generated(generate(20_000, seed=42), tmp_path / f"b-{fmt}", format=fmt)
        c = write_generated(generate(20_000, seed=43), tmp_path / f"c-{fmt}", format=fmt)
        assert set(a) == {"follows", "interactions", "profiles", "posts"}
        for name in a:
            assert a[name].name == f"{name}.{fmt}"
            assert a[name].read_bytes() == b[name].read_bytes(), (fmt, name)
            assert a[name].read_bytes() != c[name].read_bytes(), (fmt, name)
    assert not list(tmp_path.rglob("*.part*"))  # atomic writes leave no temporary files


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "parquet"])
def test_written_files_load_back(tmp_path, small, fmt):
    paths = write_generated(small, tmp_path, format=fmt)
    g = read_edges(paths["follows"])
    assert g.n_edges == small.n_edges
    assert g.n_accounts == small.n_accounts
    assert len(g.report) == 0  # nothing skipped or merged
    gi = read_interactions(paths["interactions"])
    inter = as_str(small.interactions.to_pandas())
    assert gi.n_edges == len(inter.drop_duplicates(["source", "target", "kind"]))
    assert gi.edges["weight"].sum() == inter["weight"].sum()
    assert set(gi.kinds_present()) == set(INTERACTION_SHARES)
    if fmt == "csv":
        head = paths["follows"].read_text().splitlines()[:2]
        assert head[0] == "source,target" and re.fullmatch(r"\d{12},\d{12}", head[1])
        prof = pd.read_csv(paths["profiles"], dtype={"id": str})
        pd.testing.assert_frame_equal(prof, as_str(small.profiles.to_pandas()), check_dtype=False)


def test_to_graph_matches_tables(small):
    g = small.to_graph()
    assert g.n_accounts == small.n_accounts
    assert (g.edges["kind"] == "follows").sum() == small.n_edges
    assert set(g.kinds_present()) == {"follows", *INTERACTION_SHARES}
    assert g.accounts.loc[small.truth.index, "followers"].notna().all()
    assert int(g.edges.loc[g.edges["kind"] != "follows", "weight"].sum()) == int(
        np.asarray(small.interactions.column("weight")).sum())


def test_demo_data_is_small_and_fixed():
    a, b = demo_data(), demo_data()
    assert (a.n_edges, a.n_accounts, a.niches) == (2_000, 200, ["fitness", "beauty", "food", "travel"])
    for name in ("follows", "interactions", "profiles", "posts"):
        assert getattr(a, name).equals(getattr(b, name))
    assert a.truth.equals(b.truth)


# ------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("kwargs,match", [
    (dict(n_edges=0), "n_edges"),
    (dict(n_edges=1000, mu=1.5), "mu"),
    (dict(n_edges=1000, seed=-1), "seed"),
    (dict(n_edges=1000, n_niches=0), "n_niches"),
    (dict(n_edges=1000, n_niches=40), "niches"),
    (dict(n_edges=1000, mean_degree=0.5), "mean_degree"),
    (dict(n_edges=1000, n_accounts=20), "too dense"),
    (dict(n_edges=10.5), "n_edges"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(InputError, match=match):
        generate(**kwargs)


def test_bad_format(tmp_path, small):
    with pytest.raises(InputError, match="format"):
        write_generated(small, tmp_path, format="xlsx")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        write_generated(small, tmp_path / "file")


def test_niche_list_is_fixed():
    assert NICHES[:10] == ("fitness", "beauty", "food", "travel", "gaming", "tech", "fashion", "pets",
                           "parenting", "finance")
