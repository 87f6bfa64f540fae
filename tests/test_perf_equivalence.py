"""The vectorised hot paths give exactly what their plain-pandas definitions give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphinflu.graph import Graph
from graphinflu.metrics import tiers
from graphinflu.metrics.communities import AD_TAGS, _top_tags
from test_posts_vectorised import ref_sponsored_posts


def _top_tags_reference(hashtags: pd.Series, codes: np.ndarray, n_tags: int) -> dict[int, str]:
    """The definition, in plain pandas (what _niche_labels did before it was vectorised)."""
    tags = hashtags.astype("string").str.lower().str.split()
    df = pd.DataFrame({"c": codes, "tag": tags.to_numpy()}, index=np.arange(len(codes))).explode("tag").dropna()
    df["tag"] = df["tag"].str.lstrip("#")
    df = df[(df["tag"] != "") & ~df["tag"].isin(AD_TAGS)]
    df = df.reset_index().drop_duplicates(["index", "tag"])
    if not len(df):
        return {}
    counts = df.groupby(["c", "tag"]).size().reset_index(name="n")
    counts = counts.sort_values(["c", "n", "tag"], ascending=[True, False, True])
    counts = counts[counts.groupby("c").cumcount() < n_tags]
    joined = ("#" + counts["tag"]).groupby(counts["c"]).agg(" ".join)
    return {int(k): v for k, v in joined.items()}


@pytest.mark.parametrize("seed", range(6))
def test_top_tags_equal_the_pandas_definition(seed):
    rng = np.random.default_rng(seed)
    vocab = ["#Yoga", "yoga", "#run", "RUN", "#ad", "sponsored", "#", "##vegan", "café", "Café", "ß", "#Ünï",
             "a\u00a0b", "x\u2003y", "#zz", "aa"]
    n = 400
    rows = []
    for _ in range(n):
        k = rng.integers(0, 6)
        rows.append(None if k == 0 and rng.random() < 0.3 else " ".join(rng.choice(vocab, size=k)))
    hashtags = pd.Series(rows, dtype=object)
    codes = rng.integers(0, 12, size=n)
    got = dict(_top_tags(hashtags, codes, 3))
    assert got == _top_tags_reference(hashtags, codes, 3)
    assert got  # the vocabulary guarantees tags


def test_top_tags_without_any_tag():
    assert _top_tags(pd.Series(["", None, "#ad #", "  "], dtype=object), np.zeros(4, dtype=int), 3) == []


def test_engagement_resolves_each_owner_once_with_the_same_answer():
    # owners given by id, by handle (any case, @, spaces) and as a number: the per-owner resolution
    # must give what resolving every post gives
    g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c", "a", "7"], "target": ["b", "c", "a", "c", "a"]}))
    acc = g.accounts.copy()
    acc["handle"] = ["Alpha", "Beta", "Gamma", "Seven"]
    g = Graph(acc, g.edges, g.report)
    posts = pd.DataFrame({"owner": ["a", " @alpha ", "BETA", "c", 7, "gamma"],
                          "likes": [10, 20, 3, 4, 5, 6], "comments": [1, 2, 0, 0, 1, 0]})
    eng = tiers.engagement(g, posts)
    per_post = g.positions([str(o).strip() for o in posts["owner"]])
    expected = np.bincount(per_post, minlength=g.n_accounts)
    assert eng["posts_counted"].to_numpy().tolist() == expected.tolist() == [2, 1, 2, 1]


@pytest.mark.parametrize("seed", range(4))
def test_sponsored_posts_equal_the_token_definition(seed):
    rng = np.random.default_rng(seed)
    vocab = ["#ad", "AD", "#Ad#yoga", "ads", "bad", "#sponsored", "werbung.", "#anzeige", "x\u00a0ad", "ad\u2003y",
             "#yoga", "#", "adx", "road", "#WERBUNG"]
    rows = [None if rng.random() < 0.1 else " ".join(rng.choice(vocab, size=rng.integers(0, 4))) for _ in range(500)]
    posts = pd.DataFrame({"owner": "a", "likes": 1, "comments": 0, "hashtags": pd.Series(rows, dtype=object)})
    got = tiers._sponsored_posts(posts)
    want = ref_sponsored_posts(posts)  # the former split + explode definition
    assert got.tolist() == want.tolist()
    assert 0 < want.sum() < len(want)


def test_positions_of_an_array_equal_those_of_a_list():
    g = Graph.from_pandas(pd.DataFrame({"source": ["1", "b", "c"], "target": ["b", "c", "1"]}))
    names = np.array([1, "b", "c", "1"], dtype=object)
    assert g.positions(names).tolist() == g.positions(list(names)).tolist() == g.positions(pd.Series(names)).tolist()
