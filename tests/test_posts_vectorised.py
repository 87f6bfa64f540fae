"""The pyarrow/numpy post functions give exactly what the former pandas versions (copied here as
the reference, with their per-row lambdas) gave: on the docstring examples, on hypothesis-made
messy post tables and on generated data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

from graphinflu.loaders import posts as P
from graphinflu.metrics import tiers as TI

# ---------------------------------------------------------------------------------------------
# Reference: the pandas implementations these functions replaced (graphinflu 0.x, verbatim).


def ref_join_lists(col: pd.Series, strip: str) -> pd.Series:
    if col.dtype == object and col.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
        col = col.map(lambda v: " ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v)
    s = col.astype("string").fillna("").str.lower()
    s = s.str.replace(r"[,;|]", " ", regex=True)
    s = s.str.replace(rf"(^|\s)[{strip}]+", r"\1", regex=True)
    return s.str.split().str.join(" ").fillna("").astype(object)


def ref_interaction_edges(posts: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for col, kind in P.EDGE_KINDS.items():
        if col not in posts.columns:
            continue
        lists = posts[col].astype("string").fillna("").str.split()
        e = pd.DataFrame({"post": np.arange(len(posts)), "source": posts["owner"].to_numpy(), "target": lists.to_numpy()})
        e = e.explode("target", ignore_index=True).dropna(subset=["target"])
        e = e.drop_duplicates(["post", "target"])
        e["kind"] = kind
        parts.append(e[["source", "target", "kind"]])
    if not parts:
        return pd.DataFrame({"source": [], "target": [], "kind": []}, dtype=object)
    return pd.concat(parts, ignore_index=True)


def ref_owner_hashtags(posts: pd.DataFrame, top: int = P.TOP_HASHTAGS) -> pd.Series:
    owners = pd.Index(posts["owner"].astype(str).unique(), name="id")
    if "hashtags" not in posts:
        return pd.Series("", index=owners, name="hashtags")
    tags = pd.DataFrame({"post": np.arange(len(posts)), "owner": posts["owner"].astype(str).to_numpy()})
    tags["tag"] = posts["hashtags"].fillna("").astype(str).str.lower().str.replace("#", "", regex=False).str.split().to_numpy()
    tags = tags.explode("tag").dropna(subset=["tag"])
    tags = tags[tags["tag"] != ""].drop_duplicates(["post", "tag"])
    counts = tags.groupby(["owner", "tag"], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values(["owner", "n", "tag"], ascending=[True, False, True], kind="stable")
    joined = counts.groupby("owner", sort=False).head(top).groupby("owner", sort=False)["tag"].agg(" ".join)
    return joined.reindex(owners, fill_value="").rename("hashtags")


def ref_owner_engagement(posts: pd.DataFrame) -> pd.DataFrame:
    g = posts.groupby("owner", sort=False)
    out = pd.DataFrame({
        "sampled_posts": g.size().astype("int64"),
        "mean_likes": g["likes"].mean().astype("float64"),
        "mean_comments": g["comments"].mean().astype("float64"),
    })
    out.index = pd.Index(out.index.astype(str), name="id")
    out["hashtags"] = ref_owner_hashtags(posts).reindex(out.index).fillna("")
    return out


def ref_posts_graph(posts: pd.DataFrame) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """The former posts_to_graph up to Graph.from_codes: ids, source and target codes, kinds, accounts."""
    edges = ref_interaction_edges(posts)
    eng = ref_owner_engagement(posts)
    owners = eng.index
    s = edges["source"].to_numpy(dtype=object)
    t = edges["target"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(np.concatenate([owners.to_numpy(dtype=object), s, t]))
    n0, m = len(owners), len(s)
    accounts = eng.reindex(pd.Index(uniques, dtype=object))
    accounts["sampled_posts"] = accounts["sampled_posts"].astype("Int64")
    return pd.Index(uniques, dtype=object), codes[n0:n0 + m], codes[n0 + m:], edges["kind"].to_numpy(dtype=object), accounts


def ref_sponsored_posts(posts: pd.DataFrame) -> np.ndarray | None:
    """The former graphinflu.metrics.tiers._sponsored_posts."""
    cols = [c for c in ("sponsors", "hashtags", "is_ad") if c in posts.columns]
    if not cols:
        return None
    ad = np.zeros(len(posts), dtype=bool)
    if "sponsors" in posts.columns:
        ad |= (posts["sponsors"].astype("string").str.strip().fillna("") != "").to_numpy()
    if "hashtags" in posts.columns:
        tags = posts["hashtags"].astype("string").str.lower().str.replace("#", " ", regex=False).str.split()
        hit = tags.reset_index(drop=True).explode().isin(TI.AD_HASHTAGS)
        ad |= hit.groupby(level=0).any().reindex(np.arange(len(posts)), fill_value=False).to_numpy()
    if "is_ad" in posts.columns:
        ad |= posts["is_ad"].astype("string").str.strip().str.lower().isin(["true", "1", "1.0", "yes"]).to_numpy()
    return ad


# ---------------------------------------------------------------------------------------------


def read_both(path, monkeypatch):
    new = P.read_posts(path)
    with monkeypatch.context() as m:
        m.setattr(P, "_join_lists", ref_join_lists)
        old = P.read_posts(path)
    return new, old


def check_all(posts: pd.DataFrame) -> None:
    """Every vectorised function against its reference on one post table."""
    assert_series_equal(P.owner_hashtags(posts), ref_owner_hashtags(posts))
    assert_series_equal(P.owner_hashtags(posts, top=2), ref_owner_hashtags(posts, top=2))
    assert_frame_equal(P.interaction_edges(posts), ref_interaction_edges(posts))
    ads = TI._sponsored_posts(posts)
    np.testing.assert_array_equal(ads, ref_sponsored_posts(posts))
    if {"likes", "comments"} <= set(posts.columns):
        assert_frame_equal(P.owner_engagement(posts), ref_owner_engagement(posts))
        ids, src, dst, kind, accounts = ref_posts_graph(posts)
        expected = P.Graph.from_codes(ids, src, dst, kind=kind, weight=np.ones(len(src)), accounts=accounts,
                                      name="posts")
        got = P.posts_to_graph(posts)
        assert_frame_equal(got.edge_table(), expected.edge_table())
        assert_frame_equal(got.accounts, expected.accounts)


def test_docstring_examples():
    doc = pd.DataFrame({"owner": ["a", "a", "b"], "hashtags": ["#x #y", "y", ""]})
    check_all(doc)
    assert P.owner_hashtags(doc).to_dict() == {"a": "y x", "b": ""}  # the docstring's answer
    posts = pd.DataFrame({"owner": ["ana", "ana", "bo"], "likes": [10, 20, 5], "comments": [1, 3, 0],
                          "mentions": ["bo cy", "bo", ""], "tagged": ["", "cy", "ana"], "sponsors": ["", "", ""]})
    check_all(posts)
    check_all(posts.drop(columns=["mentions", "tagged", "sponsors"]))
    assert P.interaction_edges(posts).values.tolist() == [
        ["ana", "bo", "mentions"], ["ana", "cy", "mentions"], ["ana", "bo", "mentions"],
        ["ana", "cy", "tags"], ["bo", "ana", "tags"]]


def test_ties_alphabetical_and_top():
    posts = pd.DataFrame({"owner": ["z", "z", "z", "a"], "hashtags": ["b a c", "c b", "#C #B #b", "q"]})
    assert P.owner_hashtags(posts, top=2).to_dict() == {"z": "b c", "a": "q"}
    check_all(posts)


# Messy list fields: separators, prefixes, case, repeats, unicode (incl. characters whose lower case
# differs between Python and utf8proc, and every kind of Unicode whitespace).
TOKENS = st.sampled_from(["ad", "#AD", "Sponsored#werbung", "anzeige\x85", "ana", "Bo", "#Yoga", "##yoga", "@cy", "@@Cy", "İstanbul", "ΟΔΟΣ", "straße", "ǅ", "é",
                          "#", "@", "x#y", "a@b", "🙂", "n\u0303", "ß", "K", "1", "None"])
SEPS = st.sampled_from([" ", ",", ";", "|", ", ", " ; ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x1c", "\x85",
                        "\u3000", ",,", ""])


@st.composite
def list_field(draw):
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return None
    if kind == 1:
        return ""
    if kind == 2:
        return draw(st.lists(TOKENS, max_size=4))  # a Python list in an object column
    if kind == 3:
        return draw(st.text(max_size=12))
    toks = draw(st.lists(TOKENS, max_size=6))
    text = "".join(t + draw(SEPS) for t in toks)
    return draw(SEPS) + text


@st.composite
def post_tables(draw):
    n = draw(st.integers(0, 12))
    owners = draw(st.lists(st.sampled_from(["ana", "bo", "cy", "İpek", "ΣΑΣ"]), min_size=n, max_size=n))
    frame = {"owner": owners,
             "likes": pd.array(draw(st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=n, max_size=n)),
                               dtype="Int64"),
             "comments": pd.array(draw(st.lists(st.one_of(st.none(), st.integers(0, 100)), min_size=n, max_size=n)),
                                  dtype="Int64")}
    for col in P.LIST_COLUMNS:
        if draw(st.booleans()) or col == "hashtags":
            frame[col] = pd.Series(draw(st.lists(list_field(), min_size=n, max_size=n)), dtype=object)
    return pd.DataFrame(frame)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(post_tables())
def test_join_lists_matches_reference(table):
    for col in P.LIST_COLUMNS:
        if col in table:
            for strip in ("#", "@"):
                assert_series_equal(P._join_lists(table[col], strip), ref_join_lists(table[col], strip))


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(post_tables())
def test_post_functions_match_reference(table):
    normalised = table.copy()
    for col in P.LIST_COLUMNS:
        if col in table:
            normalised[col] = ref_join_lists(table[col], "#" if col == "hashtags" else "@")
    check_all(normalised)  # as read_posts leaves them
    raw = table.copy()  # and on raw text, lists dropped (the old code would fail on those)
    for col in P.LIST_COLUMNS:
        if col in raw:
            raw[col] = raw[col].map(lambda v: None if isinstance(v, list) else v)
    check_all(raw)


@pytest.mark.parametrize("values", [[1, 2, None], [1.5, np.nan, 3.0], [True, False, None], ["a", 3, 2.5],
                                    [np.array(["X", "#y"]), "Z", None], [("a", 1), None, "b"]])
def test_join_lists_other_dtypes(values):
    col = pd.Series(values)
    for strip in ("#", "@"):
        assert_series_equal(P._join_lists(col, strip), ref_join_lists(col, strip))


def test_generated_data_matches_reference(tmp_path, monkeypatch):
    from graphinflu.generate import generate, write_generated

    paths = write_generated(generate(100_000, seed=3, brand=True), tmp_path)
    new, old = read_both(paths["posts"], monkeypatch)
    assert_frame_equal(new, old)
    assert len(new) > 10_000 and (new["hashtags"] != "").mean() > 0.5
    check_all(new)


def test_long_rows_match_reference():
    """Posts naming more than 32 accounts or tags (the hashed de-duplication path)."""
    rng = np.random.default_rng(5)
    words = np.array([f"w{i}" for i in range(25)] + ["#W1", "@w2", "AD"])
    rows = [" ".join(rng.choice(words, size=int(rng.integers(0, 80)))) for _ in range(60)]
    posts = pd.DataFrame({"owner": rng.choice(["ana", "bo", "cy"], size=60),
                          "likes": pd.array(rng.integers(0, 50, 60), dtype="Int64"),
                          "comments": pd.array(rng.integers(0, 5, 60), dtype="Int64"),
                          "hashtags": rows, "mentions": rows[::-1], "tagged": rows[1:] + rows[:1]})
    assert max(len(r.split()) for r in rows) > 32
    check_all(posts)
