"""Loaders: edge lists, profiles, posts, graph formats — good input, bad input and the real datasets."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graphinflu import _io
from graphinflu.errors import InputError
from graphinflu.graph import Graph
from graphinflu.loaders import read_edges, read_interactions
from graphinflu.loaders.formats import (
    read_gexf, read_graph, read_graphml, read_node_link_json, write_gexf, write_graphml, write_node_link_json,
)
from graphinflu.loaders.posts import posts_to_graph, read_posts
from graphinflu.loaders.profiles import read_profiles


def edges_of(g: Graph, kinds=None) -> set:
    e = g.edge_table(kinds)
    return set(zip(e["source"], e["target"]))


def report_text(g) -> str:
    rep = g.report if isinstance(g, Graph) else g.attrs["report"]
    return "\n".join(rep.lines())


@pytest.fixture
def stdin(monkeypatch):
    def feed(data: bytes):
        _io._stdin_cache.clear()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    yield feed
    _io._stdin_cache.clear()


# ----------------------------------------------------------------------------- read_edges: layouts
def test_csv_header_names_and_direction(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("follower,followed\na,b\nb,c\n")
    assert edges_of(read_edges(p)) == {("a", "b"), ("b", "c")}
    q = tmp_path / "g.csv"
    q.write_text("account,follower\na,b\nb,c\n")
    # the file is laid out (followed, follower): b follows a, c follows b
    assert edges_of(read_edges(q, direction="followed-follower", source=0, target=1)) == {("b", "a"), ("c", "b")}


def test_no_header_detection(tmp_path):
    p = tmp_path / "e.txt"
    p.write_text("1 2\n2 3\n3 1\n")
    g = read_edges(p)
    assert edges_of(g) == {("1", "2"), ("2", "3"), ("3", "1")}
    h = tmp_path / "h.csv"
    h.write_text("who,whom\n1,2\n2,3\n")  # text above numbers: a header
    assert edges_of(read_edges(h)) == {("1", "2"), ("2", "3")}
    assert edges_of(read_edges(h, header=False, comment=None)) == {("who", "whom"), ("1", "2"), ("2", "3")}


def test_snap_comments_crlf_and_integer_ids(tmp_path):
    p = tmp_path / "snap.txt"
    p.write_bytes(b"# Directed graph\r\n# Nodes: 3 Edges: 3\r\n# FromNodeId\tToNodeId\r\n10\t20\r\n20\t30\r\n30\t10\r\n")
    g = read_edges(p)
    assert edges_of(g) == {("10", "20"), ("20", "30"), ("30", "10")}
    assert all(isinstance(i, str) for i in g.ids)
    assert g.ids.str.contains("\r").sum() == 0


def test_string_ids_keep_leading_zeros(tmp_path):
    p = tmp_path / "z.csv"
    p.write_text("source,target\n007,08\n08,9\n")
    assert edges_of(read_edges(p)) == {("007", "08"), ("08", "9")}


@pytest.mark.parametrize("opener,suffix", [(gzip.open, ".gz"), (bz2.open, ".bz2"), (lzma.open, ".xz")])
def test_compressions(tmp_path, opener, suffix):
    p = tmp_path / f"e.csv{suffix}"
    with opener(p, "wb") as fh:
        fh.write(b"source,target\na,b\nb,c\nc,a\n")
    assert edges_of(read_edges(p)) == {("a", "b"), ("b", "c"), ("c", "a")}


def test_parquet(tmp_path):
    p = tmp_path / "e.parquet"
    pq.write_table(pa.table({"source": [1, 2], "target": [2, 3], "weight": [2.0, 5.0]}), p)
    g = read_interactions(p)
    e = g.edge_table()
    assert dict(zip(zip(e.source, e.target), e.weight)) == {("1", "2"): 2.0, ("2", "3"): 5.0}


def test_stdin(stdin):
    stdin(b"source,target\nx,y\ny,z\n")
    assert edges_of(read_edges("-")) == {("x", "y"), ("y", "z")}


def test_stdin_gzip(stdin):
    stdin(gzip.compress(b"a b\nb c\n"))
    assert edges_of(read_edges("-")) == {("a", "b"), ("b", "c")}


def test_tsv_set_follower(tmp_path):
    p = tmp_path / "sets.tsv"
    p.write_text("set\tfollower\nSet 1\t0\nSet 1\t1\nSet 2\t1\n")
    g = read_edges(p, source="follower", target="set")
    assert edges_of(g) == {("0", "Set 1"), ("1", "Set 1"), ("1", "Set 2")}
    g2 = read_edges(p, direction="followed-follower", source="set", target="follower")
    assert edges_of(g2) == edges_of(g)


def test_self_loops_and_duplicates_counted(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("source,target\na,b\na,b\na,a\nb,c\nb,b\n")
    g = read_edges(p)
    assert edges_of(g) == {("a", "b"), ("b", "c")}
    text = report_text(g)
    assert "2 self-loops dropped" in text and "1 duplicate follow rows merged" in text
    assert ("a", "a") in edges_of(read_edges(p, keep_self_loops=True))


def test_interaction_weights_summed(tmp_path):
    p = tmp_path / "m.txt"
    p.write_text("1 2 3\n1 2 4\n2 1 1\n")
    e = read_interactions(p, kind="mentions").edge_table()
    assert dict(zip(zip(e.source, e.target), e.weight)) == {("1", "2"): 7.0, ("2", "1"): 1.0}


# ----------------------------------------------------------------------------- read_edges: bad input
def test_misnamed_column_message(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("src_id,dst_id\na,b\n")
    with pytest.raises(InputError) as err:
        read_edges(p, source="follower")
    msg = str(err.value)
    assert str(p) in msg and "src_id" in msg and "dst_id" in msg and "source" in msg


def test_missing_file():
    with pytest.raises(InputError, match="file not found"):
        read_edges("/nonexistent/edges.csv")


def test_malformed_lines_counted_with_first_line(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("source,target\na,b\nc\nd,e\nf,g,h\n" + "".join(f"x{i},y{i}\n" for i in range(10)))
    g = read_edges(p)
    text = report_text(g)
    assert "2 malformed lines skipped" in text and "first at line 3" in text
    assert g.n_edges == 12


def test_malformed_whitespace_lines_counted(tmp_path):
    p = tmp_path / "ws.txt"
    p.write_text("1  2\n3   4\n5 6 7\n8\n9  10\n")
    g = read_edges(p)
    assert edges_of(g) == {("1", "2"), ("3", "4"), ("9", "10")}
    assert "2 malformed lines skipped" in report_text(g)


def test_mostly_malformed_is_an_error(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("a,b\nc\nd\ne\nf\n")
    with pytest.raises(InputError, match="delimiter"):
        read_edges(p)


@pytest.mark.parametrize("content", [b"", b"# only a comment\n", b"\n\n"])
def test_empty_files(tmp_path, content):
    p = tmp_path / "e.csv"
    p.write_bytes(content)
    with pytest.raises(InputError, match="no data rows") as err:
        read_edges(p)
    assert str(p) in str(err.value)


def test_header_only(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("source,target\n")
    with pytest.raises(InputError, match="no data rows"):
        read_edges(p)


def test_gz_that_is_not_gzip(tmp_path):
    p = tmp_path / "e.csv.gz"
    p.write_text("source,target\na,b\n")
    with pytest.raises(InputError, match="not gzip-compressed"):
        read_edges(p)


def test_truncated_gzip(tmp_path):
    full = gzip.compress(("source,target\n" + "".join(f"u{i},v{i % 97}\n" for i in range(50_000))).encode())
    p = tmp_path / "t.csv.gz"
    p.write_bytes(full[: len(full) // 2])
    with pytest.raises(InputError) as err:
        read_edges(p)
    assert str(p) in str(err.value)


def test_non_utf8_names_line(tmp_path):
    p = tmp_path / "l.csv"
    p.write_bytes(b"source,target\nx,y\n\xe9t\xe9,z\n")
    with pytest.raises(InputError, match="line 3") as err:
        read_edges(p)
    assert "UTF-8" in str(err.value)


def test_non_utf8_beyond_sniffed_head(tmp_path):
    rows = "".join(f"u{i},v{i}\n" for i in range(20_000)).encode()
    p = tmp_path / "late.csv"
    p.write_bytes(b"source,target\n" + rows + b"\xff\xfe,z\n")
    with pytest.raises(InputError, match="UTF-8") as err:
        read_edges(p)
    assert "line 20002" in str(err.value)


def test_one_column_file(tmp_path):
    p = tmp_path / "one.csv"
    p.write_text("source\na\nb\n")
    with pytest.raises(InputError, match="two"):
        read_edges(p)


def test_non_numeric_weight_names_column(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("source,target,weight\na,b,1\nb,c,lots\n")
    with pytest.raises(InputError, match="'weight'"):
        read_interactions(p)


# ----------------------------------------------------------------------------- profiles
def test_profiles_instagram_layout(tmp_path):
    p = tmp_path / "influencers.txt"
    p.write_text("Username\tCategory\t#Followers\t#Followees\t#Posts\n" + "=" * 40 + "\n"
                 "ana\tFood\t1200\t10\t5\nbo\ttravel\t1,500\t20\t6\ncy\tpet\t2.5k\t30\t7\n")
    df = read_profiles(p)
    assert list(df.index) == ["ana", "bo", "cy"] and df.index.name == "id"
    assert df["followers"].tolist() == [1200, 1500, 2500]
    assert df["following"].tolist() == [10, 20, 30] and df["posts"].tolist() == [5, 6, 7]
    assert df["category"].tolist() == ["food", "travel", "pet"]
    assert "separator line(s) under the header skipped (line 2)" in report_text(df)


def test_profiles_bad_counts_report_and_raise(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("id,handle,followers\n1,ana,100\n2,bo,many\n3,cy,\n4,dd,lots\n")
    df = read_profiles(p)
    assert df["followers"].isna().tolist() == [False, True, True, True]
    assert "2 non-numeric 'followers' values set missing (first at line 3" in report_text(df)
    with pytest.raises(InputError) as err:
        read_profiles(p, bad_counts="raise")
    assert "'followers'" in str(err.value) and "line 3" in str(err.value) and str(p) in str(err.value)


def test_profiles_duplicates_keep_first(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("user_id,screen_name,followers_count,extra\n1,a,10,x\n2,b,20,y\n1,a2,30,z\n")
    df = read_profiles(p)
    assert list(df.index) == ["1", "2"] and df.loc["1", "handle"] == "a" and df.loc["1", "followers"] == 10
    assert df["extra"].tolist() == ["x", "y"]
    assert "1 rows with a repeated 'user_id' dropped, the first row of each id kept (first repeat at line 4)" in report_text(df)


def test_profiles_missing_id_column(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("foo,bar\n1,2\n")
    with pytest.raises(InputError) as err:
        read_profiles(p)
    assert "foo" in str(err.value) and "id_col" in str(err.value)
    with pytest.raises(InputError, match="'nope' not found"):
        read_profiles(p, id_col="nope")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "parquet"])
def test_profiles_json_jsonl_parquet(tmp_path, fmt):
    recs = [{"username": "ana", "followers": 5, "niche": "Food"}, {"username": "bo", "followers": 7, "niche": "Pet"}]
    p = tmp_path / f"p.{fmt}"
    if fmt == "json":
        p.write_text(pd.DataFrame(recs).to_json(orient="records"))
    elif fmt == "jsonl":
        p.write_text(pd.DataFrame(recs).to_json(orient="records", lines=True))
    else:
        pq.write_table(pa.Table.from_pylist(recs), p)
    df = read_profiles(p)
    assert df["followers"].tolist() == [5, 7] and df["category"].tolist() == ["food", "pet"]


def test_profiles_merge_into_graph(tmp_path):
    p = tmp_path / "p.csv.gz"
    p.write_bytes(gzip.compress(b"handle,followers\na,10\nz,99\n"))
    g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})).with_accounts(read_profiles(p))
    assert g.accounts.loc["a", "followers"] == 10 and g.accounts.loc["z", "followers"] == 99
    assert pd.isna(g.accounts.loc["b", "followers"])


# ----------------------------------------------------------------------------- posts
POSTS = (
    "shortcode\towner_username\towner_id\ttaken_at_timestamp\tlikes\tcomments\thashtags\tcaption_mentions\t"
    "tagged_users\tsponsor_users\n"
    "p1\tAna\t1\t100\t10\t1\tfood yum\tbo cy\tbo\t\n"
    "p2\tana\t1\t200\t20\t3\t\tbo bo\t\tbrand\n"
    "p3\tbo\t2\t300\t5\t0\t\tana\tbo\t\n"
    "p1\tAna\t1\t100\t10\t1\tfood yum\tbo cy\tbo\t\n"
)


def test_read_posts_and_graph(tmp_path):
    p = tmp_path / "posts.tsv"
    p.write_text(POSTS)
    posts = read_posts(p)
    assert len(posts) == 3 and "1 posts with a repeated 'shortcode' dropped" in report_text(posts)
    assert posts["owner"].tolist() == ["ana", "ana", "bo"]
    assert posts["timestamp"].tolist() == [100.0, 200.0, 300.0]
    assert posts["mentions"].tolist() == ["bo cy", "bo bo", "ana"]
    g = posts_to_graph(posts)
    e = g.edge_table()
    got = {(s, t, k): w for s, t, k, w in zip(e.source, e.target, e.kind, e.weight)}
    # 'bo bo' in one post counts once; bo tagging itself is a dropped self-loop
    assert got == {("ana", "bo", "mentions"): 2.0, ("ana", "cy", "mentions"): 1.0, ("bo", "ana", "mentions"): 1.0,
                   ("ana", "bo", "tags"): 1.0, ("ana", "brand", "sponsors"): 1.0}
    assert "1 self-loops dropped" in report_text(g)
    assert g.accounts.loc["ana", "sampled_posts"] == 2 and g.accounts.loc["ana", "mean_likes"] == 15.0
    assert pd.isna(g.accounts.loc["cy", "mean_likes"])


def test_posts_graph_matches_python_reference(tmp_path):
    rng = np.random.default_rng(1)
    names = [f"u{i}" for i in range(30)]
    rows = []
    for i in range(200):
        rows.append({"owner": names[rng.integers(30)], "likes": int(rng.integers(100)), "comments": 1,
                     "mentions": " ".join(rng.choice(names, rng.integers(0, 4))),
                     "tagged": " ".join(rng.choice(names, rng.integers(0, 3))), "sponsors": ""})
    posts = pd.DataFrame(rows)
    ref: dict = {}
    for r in rows:
        for col, kind in (("mentions", "mentions"), ("tagged", "tags")):
            for t in set(r[col].split()):
                if t != r["owner"]:
                    ref[(r["owner"], t, kind)] = ref.get((r["owner"], t, kind), 0) + 1
    e = posts_to_graph(posts).edge_table()
    assert {(s, t, k): w for s, t, k, w in zip(e.source, e.target, e.kind, e.weight)} == ref


def test_read_posts_no_owner(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("likes,comments\n1,2\n")
    with pytest.raises(InputError, match="owner_col"):
        read_posts(p)


# ----------------------------------------------------------------------------- formats
@pytest.fixture
def rich_graph():
    df = pd.DataFrame({"source": ["a", "a", "b", "c", "d"], "target": ["b", "b", "c", "a", "a"],
                       "kind": ["follows", "mentions", "follows", "follows", "tags"], "weight": [1, 3, 1, 1, 2]})
    g = Graph.from_pandas(df, kind="kind", weight="weight")
    acc = pd.DataFrame({"followers": pd.array([10, None, 30, 3_000_000_000], dtype="Int64"),
                        "pagerank": [0.5, 0.25, np.nan, 0.125], "tier": ["micro", "nano", None, "macro"],
                        "community": np.array([0, 1, 0, 2]), "verified": [True, False, True, False]},
                       index=["a", "b", "c", "d"])
    return g.with_accounts(acc)


WRITERS = {"graphml": (write_graphml, read_graphml, nx.read_graphml, nx.write_graphml),
           "gexf": (write_gexf, read_gexf, nx.read_gexf, nx.write_gexf),
           "json": (write_node_link_json, read_node_link_json, None, None)}


def _nx_json_read(p):
    import json
    return nx.node_link_graph(json.loads(p.read_text()), edges="edges")


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_our_writer_networkx_reader(tmp_path, rich_graph, fmt):
    write, _, nx_read, _ = WRITERS[fmt]
    p = tmp_path / f"g.{fmt}"
    write(rich_graph, p)
    H = (nx_read or _nx_json_read)(p)
    a, b, c = H.nodes["a"], H.nodes["b"], H.nodes["c"]
    assert a["followers"] == 10 and isinstance(a["followers"], int) and H.nodes["d"]["followers"] == 3_000_000_000
    assert "followers" not in b and "pagerank" not in c and "tier" not in c
    assert a["pagerank"] == 0.5 and isinstance(a["pagerank"], float)
    assert a["tier"] == "micro" and a["community"] == 0 and b["community"] == 1
    assert a["verified"] is True and b["verified"] is False
    kinds = sorted((u, v, d["kind"], d["weight"]) for u, v, d in H.edges(data=True))
    assert kinds == [("a", "b", "follows", 1.0), ("a", "b", "mentions", 3.0), ("b", "c", "follows", 1.0),
                     ("c", "a", "follows", 1.0), ("d", "a", "tags", 2.0)]
    assert not list(tmp_path.glob(".*part*"))  # atomic write left no temporary file


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_round_trip_ours(tmp_path, rich_graph, fmt):
    write, read, *_ = WRITERS[fmt]
    p = tmp_path / f"g.{fmt}"
    write(rich_graph, p)
    g = read(p)
    assert list(g.ids) == list(rich_graph.ids)
    acc = g.accounts
    assert str(acc["followers"].dtype) == "Int64" and acc["followers"].tolist()[:1] == [10]
    assert acc["pagerank"].dtype == np.float64 and np.isnan(acc.loc["c", "pagerank"])
    assert str(acc["community"].dtype) == "Int64" and str(acc["verified"].dtype) == "boolean"
    assert acc["tier"].tolist()[:2] == ["micro", "nano"]
    a, b = rich_graph.edge_table(), g.edge_table()
    key = ["source", "target", "kind"]
    pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True)[key + ["weight"]],
                                  b.sort_values(key).reset_index(drop=True)[key + ["weight"]])


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_networkx_writer_our_reader(tmp_path, fmt):
    G = nx.DiGraph()
    G.add_node("x", score=1.5, group=3, label_text="hi")
    G.add_node("y", score=2.5, group=4, label_text="yo")
    G.add_edge("x", "y", weight=2.0, kind="mentions")
    G.add_edge("y", "x", weight=5.0)  # no kind: a follow, and follows have weight 1 in the canonical graph
    p = tmp_path / f"n.{fmt}"
    if fmt == "json":
        import json
        p.write_text(json.dumps(nx.node_link_data(G, edges="links")))
    else:
        WRITERS[fmt][3](G, p)
    g = read_graph(p)
    assert g.accounts.loc["x", "score"] == 1.5 and g.accounts.loc["y", "group"] == 4
    e = g.edge_table()
    assert dict(zip(zip(e.source, e.target), e.weight)) == {("x", "y"): 2.0, ("y", "x"): 1.0}
    assert dict(zip(zip(e.source, e.target), e.kind)) == {("x", "y"): "mentions", ("y", "x"): "follows"}


def test_read_graph_undirected_and_fallback(tmp_path):
    G = nx.Graph([("a", "b")])
    p = tmp_path / "u.graphml"
    nx.write_graphml(G, p)
    g = read_graph(p)
    assert edges_of(g) == {("a", "b"), ("b", "a")} and "both directions" in report_text(g)
    c = tmp_path / "e.csv"
    c.write_text("x,y\n1,2\n")
    assert edges_of(read_graph(c, source="y", target="x")) == {("2", "1")}
    with pytest.raises(InputError, match="apply to edge lists"):
        read_graph(p, source="x")


def test_read_graphml_compressed_and_broken(tmp_path, rich_graph):
    p = tmp_path / "g.graphml"
    write_graphml(rich_graph, p)
    gz = tmp_path / "g.graphml.gz"
    gz.write_bytes(gzip.compress(p.read_bytes()))
    assert read_graph(gz).n_edges == rich_graph.n_edges
    broken = tmp_path / "b.graphml"
    broken.write_bytes(p.read_bytes()[:300])
    with pytest.raises(InputError, match="not a readable GraphML") as err:
        read_graph(broken)
    assert str(broken) in str(err.value)


# ----------------------------------------------------------------------------- real datasets
@pytest.mark.shared_data
def test_wiki_vote(shared):
    g = read_edges(shared / "wiki-vote" / "wiki-Vote.txt.gz")
    assert (g.n_accounts, g.n_edges) == (7115, 103689)


@pytest.mark.shared_data
def test_email_eu_core(shared):
    g = read_edges(shared / "email-eu-core" / "email-Eu-core.txt")
    assert g.n_accounts == 1005 and g.n_edges == 25571 - 642
    assert "642 self-loops dropped" in report_text(g)
    assert read_edges(shared / "email-eu-core" / "email-Eu-core.txt", keep_self_loops=True).n_edges == 25571


@pytest.mark.shared_data
def test_higgs_mentions(shared):
    path = shared / "higgs-twitter-mention" / "higgs-mention_network.edgelist.gz"
    g = read_interactions(path, kind="mentions", keep_self_loops=True)
    assert (g.n_accounts, g.n_edges) == (116408, 150818)
    assert g.edges["weight"].sum() == 171237
    g2 = read_interactions(path, kind="mentions")
    assert g2.n_edges == 150818 - 5353 and "5,353 self-loops dropped" in report_text(g2)


@pytest.mark.shared_data
def test_college_msg(shared):
    g = read_interactions(shared / "college-msg" / "CollegeMsg.txt.gz", kind="replies", timestamp=2)
    assert (g.n_accounts, g.n_edges) == (1899, 20296)
    assert g.edges["weight"].sum() == 59835
    assert g.edges["timestamp"].max() == 1098777142


@pytest.mark.shared_data
def test_twitter_follower_sets(shared):
    g = read_edges(shared / "twitter-follower-sets" / "follower_sets.tsv.gz", source="follower", target="set")
    assert g.n_edges == 100600
    indeg = np.bincount(g.edges["target"], minlength=g.n_accounts)
    outdeg = np.bincount(g.edges["source"], minlength=g.n_accounts)
    assert (indeg > 0).sum() == 100 and (outdeg > 0).sum() == 28459
    assert g.n_accounts == 28459 + 100


@pytest.mark.shared_data
def test_instagram_profiles_and_posts(shared):
    df = read_profiles(shared / "instagram-influencers" / "influencers.txt.gz")
    assert len(df) == 33935 and df.index.is_unique
    assert (df["followers"].min(), df["followers"].max()) == (1000, 96476007)
    assert int(df["followers"].between(1000, 50000).sum()) == 25035
    assert int((df["category"] == "fashion").sum()) == 11911 and df["category"].nunique() == 11
    assert len(df.attrs["report"]) == 1  # only the '=====' rule line
    posts = read_posts(shared / "instagram-influencers" / "instagram_posts.tsv.gz", dedupe=None)
    assert len(posts) == 39907 and posts["owner"].nunique() == 23050
    assert int((posts["hashtags"] != "").sum()) == 27271
    assert int(posts["mentions"].str.split().str.len().sum()) == 31629
    assert int(posts["tagged"].str.split().str.len().sum()) == 102203
    assert int((posts["sponsors"] != "").sum()) == 199
    g = posts_to_graph(posts, keep_self_loops=True)
    e = g.edges[g.edges["kind"].isin(["mentions", "tags"])]
    assert len(e[["source", "target"]].drop_duplicates()) == 108251
    assert int(g.accounts.index.isin(df.index).sum()) > 22670 - 1


@pytest.mark.parametrize("name", ["e.csv", "e.tsv.gz", "e.txt.bz2", "e.parquet"])
def test_write_graph_edge_tables_round_trip(tmp_path, rich_graph, name):
    from graphinflu.loaders.formats import write_graph

    p = tmp_path / name
    write_graph(rich_graph, p)
    back = read_interactions(p, kind_col="kind", weight="weight")
    key = ["source", "target", "kind"]
    a = rich_graph.edge_table().sort_values(key).reset_index(drop=True)[key + ["weight"]]
    b = back.edge_table().sort_values(key).reset_index(drop=True)[key + ["weight"]]
    pd.testing.assert_frame_equal(a, b)


def test_write_graph_unknown_suffix(tmp_path, rich_graph):
    from graphinflu.loaders.formats import write_graph

    with pytest.raises(InputError, match="unknown output format"):
        write_graph(rich_graph, tmp_path / "g.xlsx")
    assert not list(tmp_path.iterdir())


def test_check_graph_output_refuses_before_creating_folders(tmp_path, rich_graph):
    """`convert f.csv new/dir/g.xlsx` created new/dir, read the whole input, then refused the suffix."""
    from graphinflu.loaders.formats import check_graph_output, write_graph

    for name in ("g.xlsx", "g", "g.parquet.gz", "g.graphml.gz"):
        with pytest.raises(InputError, match="unknown output format|no format suffix|written uncompressed"):
            check_graph_output(tmp_path / "new" / "dir" / name)
        with pytest.raises(InputError):
            write_graph(rich_graph, tmp_path / name)
    assert not list(tmp_path.iterdir())
    assert check_graph_output(tmp_path / "new" / "g.csv.gz") == "table" and (tmp_path / "new").is_dir()
    assert [check_graph_output(tmp_path / f"g.{x}") for x in ("graphml", "gexf", "json", "pq")] == \
        ["graphml", "gexf", "json", "table"]


def test_read_graph_ignores_default_edge_options(tmp_path, rich_graph):
    p = tmp_path / "g.gexf"
    write_gexf(rich_graph, p)
    g = read_graph(p, source=None, target=None, direction="follower-followed", delimiter=None, header=None)
    assert g.n_edges == rich_graph.n_edges


def test_posts_hashtags_reach_the_accounts_and_niche_labels():
    from graphinflu.loaders.posts import posts_to_graph
    from graphinflu.metrics.communities import communities, community_summary

    rows = []
    for owner, tag, friends in [("ana", "#vegan", "bo cy"), ("bo", "#vegan #food", "ana cy"), ("cy", "#vegan", "ana bo"),
                                ("dan", "#trail", "eve fay"), ("eve", "#trail #run", "dan fay"), ("fay", "#trail", "dan eve")]:
        rows += [{"owner": owner, "likes": 10, "comments": 1, "mentions": friends, "tagged": "", "sponsors": "",
                  "hashtags": tag}] * 2
    g = posts_to_graph(pd.DataFrame(rows))
    assert g.accounts.loc["bo", "hashtags"] == "food vegan"  # two posts each: ties alphabetical
    m = communities(g, kinds="mentions")
    labels = set(community_summary(g, m, kinds="mentions")["niche_label"])
    assert any("vegan" in lab for lab in labels) and any("trail" in lab for lab in labels)
