"""graphinflu.maps: the HTML file (self-contained, escaped), the tables it draws, aggregation."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu import maps
from graphinflu.accounts import account_table
from graphinflu.analysis import analyze
from graphinflu.cli import cli
from graphinflu.errors import InputError, MapError, UnknownAccountError
from graphinflu.graph import Graph
from graphinflu.loaders import read_edges, read_graph
from graphinflu.maps import MapParams, build_map, map_tables, script_json, select_creators
from graphinflu.params import CommunityParams

XSS_HANDLES = ("<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", '"><svg onload=alert(3)>')
XSS_LABEL = "<b onmouseover=alert(4)>fitness</b> & <!-- co\u2028mment"


def zoo():
    """Eight creators in two niches plus four plain followers.

    Creators c0..c3 are niche 10 ("fitness"), c4..c7 niche 20 ("food"); f0..f3 follow creators but
    are not creators. Overlaps (Jaccard): c0-c1 .5, c0-c2 .3, c1-c2 .2, c4-c5 .4, c5-c6 .04 (below
    the default 0.05), c3-c4 .1 (across niches). Follows between creators: c1→c0, c2→c0, c6→c4;
    c3 mentions c7 twice. So with defaults the map has 8 nodes, 5 overlap links, 3 follow links and
    1 interaction link (weight 2) = 9 links; f0..f3 are never drawn.
    """
    ids = [f"c{i}" for i in range(8)]
    metrics = pd.DataFrame({
        "handle": [f"creator{i}" for i in range(8)],
        "community": [10, 10, 10, 10, 20, 20, 20, 20],
        "niche_label": ["fitness"] * 4 + ["food"] * 4,
        "pagerank": [.30, .10, .08, .05, .20, .12, .10, .05],
        "tier": ["micro", "nano", "micro", "mid", "micro", "micro", None, "macro"],
        "followers": [12000, 3000, 15000, 200000, 40000, 50000, 800, 900000],
        "engagement_rate": [.05, .08, .02, .01, .04, np.nan, .09, .005],
        "target_score": np.linspace(0, 1, 8),
    }, index=pd.Index(ids, name="id"))
    overlap = pd.DataFrame(
        [("c0", "c1", 50, .5, .7), ("c0", "c2", 30, .3, .5), ("c1", "c2", 20, .2, .4), ("c4", "c5", 40, .4, .6),
         ("c5", "c6", 4, .04, .1), ("c3", "c4", 10, .1, .2), ("c1", "c0", 50, .5, .7)],
        columns=["creator_a", "creator_b", "shared", "jaccard", "overlap_coefficient"])
    follows = pd.DataFrame({"source": ["c1", "c2", "c6", "f0", "f1", "f2", "f3", "f0"],
                            "target": ["c0", "c0", "c4", "c0", "c0", "c4", "c5", "c1"]})
    inter = pd.DataFrame({"source": ["c3", "c3", "f0"], "target": ["c7", "c7", "c7"], "kind": "mentions"})
    g = Graph.from_pandas(follows).merge(Graph.from_pandas(inter, kind="kind"))
    return g, metrics, overlap


def xss_zoo():
    g, m, ov = zoo()
    m = m.copy()
    for i, h in enumerate(XSS_HANDLES):
        m.iloc[i, m.columns.get_loc("handle")] = h
    m.loc[m["community"] == 20, "niche_label"] = XSS_LABEL
    return g, m, ov


def data_block(text: str) -> dict:
    m = re.search(r'<script type="application/json" id="gi-data">(.*?)</script>', text, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


# ------------------------------------------------------------------------------------ tables
def test_map_tables_hand_checked():
    g, m, ov = zoo()
    nodes, links = map_tables(g, m, ov)
    assert nodes.index.tolist() == [f"c{i}" for i in range(8)]  # creators only, never followers
    assert nodes["niche"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1]  # equal sizes: first seen first
    assert nodes["niche_label"].tolist() == ["fitness"] * 4 + ["food"] * 4
    assert nodes["tier"].tolist()[6] == "(no tier)"
    assert nodes["authority"].tolist() == m["pagerank"].tolist()
    got = {(r.source, r.target, r.kind, round(r.value, 6)) for r in links.itertuples()}
    assert got == {
        ("c0", "c1", "overlap", .5), ("c0", "c2", "overlap", .3), ("c1", "c2", "overlap", .2),
        ("c4", "c5", "overlap", .4), ("c3", "c4", "overlap", .1),
        ("c1", "c0", "follows", 1.0), ("c2", "c0", "follows", 1.0), ("c6", "c4", "follows", 1.0),
        ("c3", "c7", "interactions", 2.0),
    }
    assert links.loc[links["kind"] == "overlap"].set_index(["source", "target"])["shared"].to_dict()[("c0", "c1")] == 50


def test_map_tables_options():
    g, m, ov = zoo()
    _, links = map_tables(g, m, ov, min_overlap=0.0, include_follows=False, include_interactions=False)
    assert sorted(links["kind"].unique()) == ["overlap"] and len(links) == 6  # c5-c6 now in, one duplicate pair
    _, links = map_tables(g, m, ov, edge_metric="overlap_coefficient", min_overlap=0.45, include_follows=False,
                          include_interactions=False)
    assert {(a, b) for a, b in zip(links["source"], links["target"])} == {("c0", "c1"), ("c0", "c2"), ("c4", "c5")}
    # top-1 per creator: c0-c1 (c0, c1), c4-c5 (c4, c5), c0-c2? c2's best is c0 (.3) -> kept; c3's only link kept
    _, links = map_tables(None, m, ov, max_links_per_creator=1)
    assert {(a, b) for a, b in zip(links["source"], links["target"])} == {("c0", "c1"), ("c0", "c2"), ("c4", "c5"),
                                                                          ("c3", "c4")}
    nodes, links = map_tables(g, m, ov, creators=["creator0", "c1", "c4"])  # handles work too
    assert nodes.index.tolist() == ["c0", "c1", "c4"]
    assert set(links["kind"]) == {"overlap", "follows"} and len(links) == 2


def test_map_tables_errors():
    g, m, ov = zoo()
    with pytest.raises(UnknownAccountError, match="nobody"):
        map_tables(g, m, ov, creators=["c0", "nobody"])
    with pytest.raises(UnknownAccountError, match="brand"):
        map_tables(g, m, ov, creators=["c0", "c1"], brand=["c2"])
    with pytest.raises(InputError, match="overlap table needs"):
        map_tables(g, m, ov.drop(columns="jaccard"))
    with pytest.raises(InputError, match="size_by"):
        map_tables(g, m, ov, size_by="nope")
    with pytest.raises(InputError, match="duplicate"):
        map_tables(g, pd.concat([m, m.iloc[:1]]), ov)
    with pytest.raises(InputError, match=r"\.html"):
        build_map(g, m, ov, path="map.png")


# ------------------------------------------------------------------------------------ the file
def test_self_contained_no_http_no_lib_folder(tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    out = tmp_path / "out"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    g, m, ov = zoo()
    res = build_map(g, m, ov, path=out / "map.html", brand=["c4"])
    text = (out / "map.html").read_text("utf-8")
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(?!#)[a-z]""", text.split('id="gi-data"')[0], re.I)
    assert os.listdir(cwd) == []  # pyvis would have written lib/ here
    assert os.listdir(out) == ["map.html"]  # no lib/, no temporary file left
    assert res.n_nodes == 8 and res.n_edges == 9 and not res.aggregated
    assert "vis.Network" in text and not re.search(r"@@(TITLE|CSP|VIS_CSS|MAP_CSS|DATA|VIS_JS|MAP_JS)@@", text)
    assert stat.S_IMODE(os.stat(out / "map.html").st_mode) & 0o044  # readable by others (umask allowing)


def test_payload_is_escaped_and_round_trips(tmp_path):
    g, m, ov = xss_zoo()
    build_map(g, m, ov, path=tmp_path / "x.html", title="<i>brand</i> & co")
    # vis-network's own code mentions tags such as <b> and <svg>; look at everything else
    text = (tmp_path / "x.html").read_text("utf-8").replace(maps.html._assets()["vis_js"], "")
    for h in XSS_HANDLES:
        assert h not in text
    assert "<img" not in text and "<svg" not in text and "<b " not in text and "<i>" not in text
    assert text.count("</script>") == 3  # data block, vis-network, map.js: nothing closed early
    assert text.count("<script") == 3
    assert "\u2028" not in text
    assert "<title>&lt;i&gt;brand&lt;/i&gt; &amp; co</title>" in text
    data = data_block(text)
    assert data["attrs"]["handle"][:3] == list(XSS_HANDLES)
    assert XSS_LABEL.replace("\u2028", "<U+2028>") in [n["label"] for n in data["niches"]]


def test_script_json_escapes():
    s = script_json({"a": "</script>&\u2028\u2029<!--"})
    assert not set(s) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(s) == {"a": "</script>&\u2028\u2029<!--"}
    with pytest.raises(ValueError):
        script_json({"a": float("nan")})


def test_payload_counts_and_plain_python_records(tmp_path, monkeypatch):
    # the payload handed to the page renderer, before JSON: node records and one record per edge
    seen = {}
    real = maps.html.render_html

    def spy(payload, **kw):
        e = payload["edges"]
        seen["nodes"] = payload["nodes"]
        seen["edges"] = [dict(zip(("from", "to", "width", "kind"), r)) for r in zip(e["from"], e["to"], e["width"], e["kind"])]
        return real(payload, **kw)

    monkeypatch.setattr(maps.html, "render_html", spy)
    g, m, ov = zoo()
    build_map(g, m, ov, path=tmp_path / "m.html", brand=["c4"])

    def plain(v):
        if isinstance(v, dict):
            return all(isinstance(k, str) and plain(x) for k, x in v.items())
        if isinstance(v, list):
            return all(plain(x) for x in v)
        return type(v) in (str, float, int, bool)

    assert all(plain(r) for r in seen["nodes"] + seen["edges"])
    assert all(type(r["id"]) is str for r in seen["nodes"])
    data = data_block((tmp_path / "m.html").read_text("utf-8"))
    assert len(data["nodes"]) == 8 and len(data["edges"]["from"]) == 9
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["c4"]["borderWidth"] == 5 and by_id["c0"].get("borderWidth", 1) < 5
    assert by_id["c0"]["size"] > by_id["c1"]["size"]  # larger authority, larger node
    assert by_id["c0"]["shape"] == "dot" and by_id["c1"]["shape"] == "triangleDown"
    assert data["options"]["physics"]["enabled"] is False
    assert [t["name"] for t in data["tiers"]] == ["nano", "micro", "mid", "macro", "(no tier)"]
    # side panel: top overlaps of c0 are c1 (.5) then c2 (.3), by node position
    assert data["overlaps"][0] == [[1, 0.5, 50.0], [2, 0.3, 30.0]]
    labels = [c["label"] for c in data["figures"]["columns"]]
    assert "target_score" in labels and "authority" in labels and "PageRank" in labels


def test_does_not_mutate_inputs_and_is_deterministic(tmp_path):
    g, m, ov = zoo()
    acc, edges, m0, ov0 = g.accounts.copy(), g.edges.copy(), m.copy(), ov.copy()
    build_map(g, m, ov, path=tmp_path / "a.html")
    build_map(g, m, ov, path=tmp_path / "b.html")
    pd.testing.assert_frame_equal(g.accounts, acc)
    pd.testing.assert_frame_equal(g.edges, edges)
    pd.testing.assert_frame_equal(m, m0)
    pd.testing.assert_frame_equal(ov, ov0)
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_failed_build_leaves_no_file(tmp_path, monkeypatch):
    g, m, ov = zoo()
    monkeypatch.setattr(maps.html, "render_html", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        build_map(g, m, ov, path=tmp_path / "m.html")
    assert os.listdir(tmp_path) == []


def test_aggregation_above_threshold(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    g, m, ov = zoo()
    res = build_map(g, m, ov, path=tmp_path / "big.html", aggregate_above=5)
    assert res.aggregated and res.n_nodes == 2
    assert sorted(os.listdir(tmp_path)) == ["big.html", "big.niche-000.html", "big.niche-001.html"]
    data = data_block((tmp_path / "big.html").read_text("utf-8"))
    assert data["mode"] == "niches"
    assert [n["href"] for n in data["niches"]] == ["big.niche-000.html", "big.niche-001.html"]
    assert [n["count"] for n in data["niches"]] == [4, 4]
    # one link between the niches: c3-c4 overlap and c3→c7 mention cross niches = 2 creator links
    # normalised: 2 linked pairs of 4 × 4 creator pairs
    assert len(data["edges"]["from"]) == 1 and data["overlaps"][0] == [[1, 0.125, 2]]
    assert data["search"]["handle"][:2] == ["creator0", "creator1"]
    sub = data_block((tmp_path / "big.niche-001.html").read_text("utf-8"))
    assert [n["id"] for n in sub["nodes"]] == ["c4", "c5", "c6", "c7"]
    assert len(sub["edges"]["from"]) == 2  # c4-c5 overlap, c6→c4 follow
    assert sub["back"]["href"] == "big.html"
    for name in os.listdir(tmp_path):
        t = (tmp_path / name).read_text("utf-8")
        assert "http://" not in t and "https://" not in t
    # the niche map keeps only the `aggregate_above` creators of highest authority
    res = build_map(g, m, ov, path=tmp_path / "cap.html", aggregate_above=3)
    sub = data_block(res.niche_maps[0].read_text("utf-8"))
    assert [n["id"] for n in sub["nodes"]] == ["c0", "c1", "c2"] and "highest authority" in sub["note"]


def test_not_aggregated_at_threshold(tmp_path):
    g, m, ov = zoo()
    res = build_map(g, m, ov, path=tmp_path / "m.html", aggregate_above=8)
    assert not res.aggregated and res.n_nodes == 8 and os.listdir(tmp_path) == ["m.html"]


def test_empty_and_single(tmp_path):
    m = pd.DataFrame({"pagerank": [1.0]}, index=["solo"])
    res = build_map(None, m, None, path=tmp_path / "one.html")
    assert res.n_nodes == 1 and res.n_edges == 0
    res = build_map(None, m.iloc[:0], None, path=tmp_path / "none.html")
    assert res.n_nodes == 0


@pytest.mark.shared_data
def test_real_follower_sets_overlap_map(shared, tmp_path):
    """100 real audiences: the map draws exactly the pairs whose brute-force Jaccard ≥ 0.1."""
    with gzip.open(shared / "twitter-follower-sets" / "follower_sets.tsv.gz", "rt") as fh:
        df = pd.read_csv(fh, sep="\t")
    sets = {k: set(v) for k, v in df.groupby("set")["follower"]}
    rows = []
    for a, b in itertools.combinations(sorted(sets), 2):
        inter = len(sets[a] & sets[b])
        if inter:
            rows.append((a, b, inter, inter / len(sets[a] | sets[b]), inter / min(len(sets[a]), len(sets[b]))))
    ov = pd.DataFrame(rows, columns=["creator_a", "creator_b", "shared", "jaccard", "overlap_coefficient"])
    m = pd.DataFrame({"followers": [len(sets[k]) for k in sorted(sets)]}, index=sorted(sets))
    res = build_map(None, m, ov, path=tmp_path / "sets.html", min_overlap=0.1, max_links_per_creator=None)
    assert res.n_nodes == 100
    assert res.n_edges == int(((ov["jaccard"] >= 0.1) & (ov["shared"] >= 3)).sum()) > 0  # min_shared 3 (default)
    data = data_block((tmp_path / "sets.html").read_text("utf-8"))
    assert len(data["edges"]["from"]) == res.n_edges


# ------------------------------------------------------------------------------------ CLI
def _cli(args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_cli_map_writes_only_that_file(tmp_path):
    edges = tmp_path / "in" / "follows.csv"
    edges.parent.mkdir()
    # f0..f11 follow a0/a1 alternately, g0..g11 follow b0/b1; a0 and a1 follow each other, b0 follows
    # b1, and f0 also follows b0
    rows = ["source,target"] + [f"f{i},a{i % 2}" for i in range(12)] + [f"g{i},b{i % 2}" for i in range(12)]
    rows += ["a0,a1", "a1,a0", "b0,b1", "f0,b0"]
    edges.write_text("\n".join(rows) + "\n")
    work = tmp_path / "work"
    work.mkdir()
    res = _cli(["map", str(edges), "--top", "4", "--brand", "a0", "--min-overlap", "0", "--min-shared", "1", "-q",
                "-o", "m.html"], work)
    assert res.exit_code == 0, res.output
    assert os.listdir(work) == ["m.html"] and res.output == ""
    data = data_block((work / "m.html").read_text("utf-8"))
    assert sorted(n["id"] for n in data["nodes"]) == ["a0", "a1", "b0", "b1"]
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["a0"]["borderWidth"] == 5
    kinds = [data["edges"]["kinds"][k]["name"] for k in data["edges"]["kind"]]
    assert kinds.count("follows") == 3  # a0→a1, a1→a0, b0→b1 between creators
    # only a0 and b0 share a follower (f0): audiences {f0,f2,..,f10,a1} and {g0,g2,..,g10,f0}, Jaccard 1/13
    ids = [n["id"] for n in data["nodes"]]
    ov = [(ids[a], ids[b], data["edges"]["width"][j]) for j, (a, b, k) in
          enumerate(zip(data["edges"]["from"], data["edges"]["to"], kinds)) if k == "overlap"]
    assert [sorted(o[:2]) for o in ov] == [["a0", "b0"]]
    i = ids.index("a0")
    assert data["overlaps"][i] == [[ids.index("b0"), float(f"{1 / 13:.4g}"), 1.0]]  # 4 significant digits


def test_cli_map_errors(tmp_path):
    res = _cli(["map", "missing.csv", "-o", "m.html"], tmp_path)
    assert res.exit_code == 1 and "file not found" in res.output
    res = _cli(["map", "missing.csv", "-o", "m.png"], tmp_path)
    assert res.exit_code == 1 and ".html" in res.output
    assert "Write an interactive map" in _cli(["map", "--help"], tmp_path).output
    assert os.listdir(tmp_path) == []


@pytest.mark.shared_data
def test_cli_map_real_follower_sets(shared, tmp_path):
    src = shared / "twitter-follower-sets" / "follower_sets.tsv.gz"
    res = _cli(["map", str(src), "--top", "100", "-o", "sets.html"], tmp_path)
    assert res.exit_code == 0, res.output
    assert os.listdir(tmp_path) == ["sets.html"]
    data = data_block((tmp_path / "sets.html").read_text("utf-8"))
    assert len(data["nodes"]) == 100 and all(n["id"].startswith("Set ") for n in data["nodes"])
    assert len(data["niches"]) >= 2


def test_map_tables_rated_column_masks_engagement():
    """A metrics table from tiers() carries ``rated``; unrated accounts get no engagement rate.

    Regression: ``graphinflu analyze --posts`` crashed with "assignment destination is read-only"
    because the rate array was a read-only view of the pandas column.
    """
    g, m, ov = zoo()
    m = m.copy()
    m["engagement_rate"] = m["engagement_rate"].fillna(0.0)
    m["rated"] = [True, True, False, True, True, False, True, True]
    nodes, _ = map_tables(g, m, ov)
    rate = nodes["engagement_rate"].to_numpy()
    assert np.isnan(rate[[2, 5]]).all()
    assert rate[[0, 1, 3, 4, 6, 7]].tolist() == [.05, .08, .01, .04, .09, .005]
    assert m["engagement_rate"].tolist()[2] == .02  # the caller's table is not changed


# ------------------------------------------------------------------------------------ one account table
def test_select_creators_top_brand_and_names():
    g, _, _ = zoo()
    # c0 and c4 have the most followers; f0..f3 and c3 have none (c3 is only a mention target's source)
    acc = pd.DataFrame({"pagerank": [.3, .1, .1, .9, .2, .1, .1, .05, .5, .5, .5, .5],
                        "indegree": [4, 1, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0]},
                       index=["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "f0", "f1", "f2", "f3"])
    # indegree 0 never counts, however high the PageRank; ties (c1, c5 at .1) keep the table order
    assert select_creators(acc, g, top=10) == ["c0", "c4", "c1", "c5"]
    assert select_creators(acc, g, top=2) == ["c0", "c4"]
    assert select_creators(acc, g, top=2, brand=["f0", "c0"]) == ["c0", "c4", "f0"]
    assert select_creators(acc, g, creators=["c7", "c1", "c7"], brand=["c1", "c2"]) == ["c7", "c1", "c2"]
    with pytest.raises(UnknownAccountError, match="nobody"):
        select_creators(acc, g, creators=["c0", "nobody"])
    with pytest.raises(UnknownAccountError, match="brand"):
        select_creators(acc, g, brand=["nobody"])
    with pytest.raises(MapError, match="indegree"):
        select_creators(acc.drop(columns="indegree"), g)


def test_select_creators_by_handle():
    g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}),
                          accounts=pd.DataFrame({"handle": ["alice", "bob", "carol"]}, index=["a", "b", "c"]))
    acc = pd.DataFrame({"pagerank": [.2, .3, .5], "indegree": [0, 1, 1]}, index=["a", "b", "c"])
    assert select_creators(acc, g, creators=["carol", "a"], brand=["bob"]) == ["c", "a", "b"]


@pytest.fixture(scope="module")
def analyzed():
    """The account table and overlap pairs ``graphinflu.analysis.analyze`` gives on the bundled data."""
    graph = read_graph(Path(__file__).resolve().parent.parent / "graphinflu" / "data" / "twitter_follower_sets.tsv.gz")
    return graph, analyze(graph, niches=CommunityParams(seed=0))


def test_analyze_table_is_sized_by_pagerank_and_labelled(analyzed, tmp_path):
    graph, result = analyzed
    acc = result.accounts
    drawn = select_creators(acc, graph, top=60)
    # the premise: this table carries HITS authority beside PageRank, they rank differently, and
    # (no categories or hashtags in this data) every niche is named by its leading authorities
    assert {"authority", "pagerank", "niche_label"} <= set(acc.columns)
    assert acc.loc[drawn, "niche_label"].astype(str).str.startswith("around ").all()
    assert acc.loc[drawn, "pagerank"].rank().tolist() != acc.loc[drawn, "authority"].rank().tolist()
    build_map(graph, acc, result.overlap_pairs, path=tmp_path / "m.html", creators=drawn)
    data = data_block((tmp_path / "m.html").read_text("utf-8"))
    size = pd.Series({n["id"]: n["size"] for n in data["nodes"]})
    pr = acc.loc[size.index, "pagerank"]
    # size ∝ √pagerank: larger PageRank never gives a smaller node
    order = pr.sort_values(kind="stable").index
    assert size.loc[order].is_monotonic_increasing and size.nunique() > 10
    assert np.allclose(size, 6 + 24 * np.sqrt(pr / pr.max()), atol=0.051)
    assert "pagerank" in data["sizeNote"] and data["attrs"]["auth"] == pr.tolist()
    # the table's niche labels reach the legend and the details panel, never blank
    label = acc.loc[size.index, "niche_label"]
    assert {n["label"] for n in data["niches"]} == set(label)
    col = [c["label"] for c in data["figures"]["columns"]].index("niche")
    assert [r[col] for r in data["figures"]["rows"]] == label.tolist()


def test_size_by_picks_another_column_on_every_map(analyzed, tmp_path):
    graph, result = analyzed
    drawn = select_creators(result.accounts, graph, top=12)
    nodes, _ = map_tables(graph, result.accounts, result.overlap_pairs, creators=drawn, size_by="authority")
    assert nodes["authority"].tolist() == result.accounts.loc[drawn, "authority"].tolist()
    nodes, _ = map_tables(graph, result.accounts, result.overlap_pairs, creators=drawn)
    assert nodes.attrs["authority_column"] == "pagerank"
    assert nodes["authority"].tolist() == result.accounts.loc[drawn, "pagerank"].tolist()
    # the aggregated overview and its niche maps size and label the same way
    res = build_map(graph, result.accounts, result.overlap_pairs, path=tmp_path / "a.html", creators=drawn,
                    aggregate_above=4)
    over = data_block(res.path.read_text("utf-8"))
    assert all(lbl.strip() and lbl.startswith(("around ", "other niches")) for lbl in over["attrs"]["handle"])
    assert any(c["label"] == "PageRank (sum)" for c in over["figures"]["columns"])
    for sub in res.niche_maps:
        d = data_block(sub.read_text("utf-8"))
        assert all(n["label"].startswith("around ") for n in d["niches"]) and "pagerank" in d["sizeNote"]


def test_blank_and_missing_niche_labels_fall_back_to_community_id():
    g, m, ov = zoo()
    m = m.copy()
    m["niche_label"] = ["", " ", None, np.nan, "food", "", None, "food"]
    nodes, _ = map_tables(g, m, ov)
    assert nodes["niche_label"].tolist() == ["niche 10"] * 4 + ["food"] * 4
    nodes, _ = map_tables(g, m.drop(columns="niche_label"), ov)
    assert nodes["niche_label"].tolist() == ["niche 10"] * 4 + ["niche 20"] * 4


def test_no_pagerank_no_fallback_to_other_scores():
    g, m, ov = zoo()
    m = m.rename(columns={"pagerank": "authority"})  # HITS authority is not the size measure
    nodes, _ = map_tables(g, m, ov)
    assert nodes.attrs["authority_column"] is None and nodes["authority"].isna().all()


def test_map_params_validated_once_and_recorded(tmp_path):
    p = MapParams(min_overlap=0.2, max_links_per_creator=None, title="t")
    assert p.as_dict()["min_overlap"] == 0.2 and p.as_dict()["max_links_per_creator"] is None
    for bad in ({"min_overlap": float("nan")}, {"max_links_per_creator": 0}, {"aggregate_above": -1},
                {"seed": 1.5}, {"include_follows": "yes"}, {"edge_metric": ""}):
        with pytest.raises(MapError):
            MapParams(**bad)
    g, m, ov = zoo()
    # keyword options apply on top of params
    _, a = map_tables(g, m, ov, params=MapParams(min_overlap=0.0, include_follows=False), include_interactions=False)
    _, b = map_tables(g, m, ov, min_overlap=0.0, include_follows=False, include_interactions=False)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 6
    with pytest.raises(TypeError):
        build_map(g, m, ov, path=tmp_path / "m.html", no_such_option=1)
    with pytest.raises(MapError):
        build_map(g, m, ov, path=tmp_path / "m.html", params={"min_overlap": 0})
    assert os.listdir(tmp_path) == []


def test_unwritable_path_is_an_input_error_before_any_work(tmp_path, monkeypatch):
    g, m, ov = zoo()
    afile = tmp_path / "afile"
    afile.write_text("x")
    calls = []
    monkeypatch.setattr(maps.build, "map_tables", lambda *a, **k: calls.append(1))
    for bad in (afile / "sub" / "m.html", tmp_path / "dir.html"):
        if bad.name == "dir.html":
            bad.mkdir()
        with pytest.raises(InputError, match=re.escape(str(bad))):
            build_map(g, m, ov, path=bad)
    assert calls == []  # refused before the tables and the layout
    if os.geteuid() != 0:  # root may write anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        with pytest.raises(InputError, match="cannot write"):
            build_map(g, m, ov, path=ro / "m.html")
    assert sorted(os.listdir(tmp_path)) == ["afile", "dir.html"] + (["ro"] if os.geteuid() != 0 else [])


def test_write_failure_is_an_input_error_and_leaves_nothing(tmp_path):
    """An OS error is reported, not a traceback: a name the file system refuses is caught before any
    work; a name that fits but whose temporary file name does not fails while writing."""
    g, m, ov = zoo()
    for stem in ("x" * 300, "y" * 235):
        with pytest.raises(InputError, match="cannot write"):
            build_map(g, m, ov, path=tmp_path / (stem + ".html"))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("size_by", ["pagerank", "indegree"])
def test_map_command_sizes_by_the_column_asked_for(tmp_path, size_by):
    """`graphinflu map` sizes nodes by PageRank unless --size-by names another account-table column."""
    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"f{i},c{j}\n" for i in range(30) for j in range(6) if (i + j) % (j + 2)
                                                 == 0) + "c0,c1\nc1,c2\nc2,c0\n")
    out = tmp_path / "m.html"
    res = CliRunner().invoke(cli, ["map", str(edges), "-o", str(out), "--size-by", size_by, "-q"])
    assert res.exit_code == 0, res.output
    data = data_block(out.read_text("utf-8"))
    size = pd.Series({n["id"]: n["size"] for n in data["nodes"]})
    acc = account_table(read_edges(edges)).accounts.loc[size.index]
    assert acc["pagerank"].rank().tolist() != acc["indegree"].rank().tolist()  # the two orders differ here
    assert size.loc[acc[size_by].sort_values(kind="stable").index].is_monotonic_increasing
    assert size_by in data["sizeNote"]
    bad = CliRunner().invoke(cli, ["map", str(edges), "-o", str(out), "--size-by", "nope", "-q"])
    assert bad.exit_code == 1 and "size_by column 'nope'" in bad.stderr


def test_size_by_a_text_column_is_refused(tmp_path):
    """--size-by tier (text) used to draw every node the same size without a word."""
    g, m, ov = zoo()
    with pytest.raises(MapError, match="'handle' is not numeric"):
        build_map(g, m, ov, path=tmp_path / "m.html", size_by="handle")
    assert not (tmp_path / "m.html").exists()


# ------------------------------------------------------------------------------------ a map that names and ranks
def planted(n: int = 240, k: int = 4, seed: int = 0, follows_per: int = 0):
    """``n`` creators in ``k`` planted niches (ids sorted by niche), a targets score, overlaps mostly
    inside the niche with a shared-follower count, and optional follows between creators."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"p{i}" for i in range(n)])
    comm = np.arange(n) * k // n
    m = pd.DataFrame({"handle": [f"maker_{i}" for i in range(n)], "community": comm,
                      "niche_label": [f"niche label number {c} (food, travel)" for c in comm],
                      "pagerank": rng.pareto(1.5, n) + 1, "tier": rng.choice(["nano", "micro", "mid"], n),
                      "engagement_rate": rng.beta(2, 40, n), "score": rng.random(n)}, index=ids)
    a = np.repeat(np.arange(n), 6)
    same = rng.random(len(a)) < 0.85
    b = np.where(same, (a // (n // k)) * (n // k) + rng.integers(0, n // k, len(a)), rng.integers(0, n, len(a)))
    keep = a != b
    a, b = a[keep], b[keep]
    jac = np.where(comm[a] == comm[b], rng.uniform(0.1, 0.5, len(a)), rng.uniform(0.05, 0.12, len(a)))
    ov = pd.DataFrame({"creator_a": ids[a], "creator_b": ids[b], "shared": rng.integers(1, 60, len(a)), "jaccard": jac,
                       "overlap_coefficient": np.minimum(1, 2 * jac)})
    g = None
    if follows_per:
        s = rng.integers(0, n, n * follows_per)
        t = rng.integers(0, n, n * follows_per)
        g = Graph.from_pandas(pd.DataFrame({"source": ids[s], "target": ids[t]}))
    return g, m, ov


def test_niches_are_laid_out_apart(tmp_path):
    """Each niche is an island: its creators' disc does not overlap another niche's, and every
    creator is nearer its own niche's centre than any other niche's."""
    _, m, ov = planted(240, 4)
    build_map(None, m, ov, path=tmp_path / "p.html")
    data = data_block((tmp_path / "p.html").read_text("utf-8"))
    xy = np.array([[r["x"], r["y"]] for r in data["nodes"]])
    niche = np.array(data["attrs"]["niche"])
    centres = np.array([xy[niche == k].mean(axis=0) for k in range(4)])
    radius = np.array([np.linalg.norm(xy[niche == k] - centres[k], axis=1).max() for k in range(4)])
    for i, j in itertools.combinations(range(4), 2):
        assert np.linalg.norm(centres[i] - centres[j]) > radius[i] + radius[j], (i, j)
    nearest = np.linalg.norm(xy[:, None, :] - centres[None], axis=2).argmin(axis=1)
    assert (nearest == niche).all()


def test_size_is_the_targets_score_and_the_legend_says_so(tmp_path):
    _, m, ov = planted(60, 2)
    m.loc[m.index[:5], "score"] = np.nan  # not targets
    build_map(None, m, ov, path=tmp_path / "p.html")
    data = data_block((tmp_path / "p.html").read_text("utf-8"))
    size = pd.Series({r["id"]: r["size"] for r in data["nodes"]})
    score = m["score"]
    assert np.allclose(size[score.notna()], 6 + 24 * np.sqrt(score.dropna() / score.max()), atol=0.051)
    assert (size[score.isna()] == 6).all()  # outside the targets: the smallest dots
    assert "targets score" in data["sizeNote"]
    # the best creators of each niche are always named, best first, 3 per niche
    lab = data["labelled"]
    assert len(lab) == 6 and {data["attrs"]["niche"][i] for i in lab[:2]} == {0, 1}
    for k in (0, 1):
        best = score[m["community"] == k].sort_values(ascending=False).index[:3]
        assert [data["nodes"][i]["id"] for i in lab if data["attrs"]["niche"][i] == k] == best.tolist()


def test_overlap_links_need_min_shared_followers_stated_in_the_legend(tmp_path):
    g, m, ov = zoo()  # shared: c0-c1 50, c0-c2 30, c1-c2 20, c4-c5 40, c3-c4 10
    _, links = map_tables(g, m, ov, min_shared=25, include_follows=False, include_interactions=False)
    assert {(a, b) for a, b in zip(links["source"], links["target"])} == {("c0", "c1"), ("c0", "c2"), ("c4", "c5")}
    build_map(g, m, ov, path=tmp_path / "z.html", min_shared=25)
    data = data_block((tmp_path / "z.html").read_text("utf-8"))
    assert "jaccard \u2265 0.05 and \u2265 25 shared followers" in data["edgeLegend"][0]["label"]
    with pytest.raises(MapError, match="min_shared"):
        MapParams(min_shared=-1)


def test_follow_links_off_by_default_on_large_maps(tmp_path):
    g, m, ov = planted(1200, 6, follows_per=2)
    _, links = map_tables(g, m, ov)
    assert set(links["kind"]) == {"overlap"}
    _, links = map_tables(g, m, ov, include_follows=True)
    assert "follows" in set(links["kind"])
    small = m.index[:1000]
    _, links = map_tables(g, m.loc[small], ov)
    assert "follows" in set(links["kind"])
    build_map(g, m, ov, path=tmp_path / "big.html")
    data = data_block((tmp_path / "big.html").read_text("utf-8"))
    assert any("follow and interaction links are not drawn" in e["label"] for e in data["edgeLegend"])


# ------------------------------------------------------------------------------------ names and colours that hold
def test_palette_has_no_near_twins_for_normal_and_colour_blind_vision():
    """Any two niche colours are at least ΔE2000 14 apart, and 10 apart under simulated
    deuteranopia and protanopia (coloraide's Brettel/Viénot simulation)."""
    from coloraide import Color

    from graphinflu.maps.style import OTHER_COLOR, PALETTE

    colours = [Color(c) for c in PALETTE]
    assert len(set(PALETTE)) == len(PALETTE) == 10
    for a, b in itertools.combinations(colours, 2):
        assert a.delta_e(b, method="2000") >= 14, (a, b)
        for cvd in ("deutan", "protan"):
            assert a.filter(cvd).delta_e(b.filter(cvd), method="2000") >= 10, (a, b, cvd)
        # and far from the grey of "other niches"
    assert min(c.delta_e(Color(OTHER_COLOR), method="2000") for c in colours) >= 10


def test_thirty_niches_never_share_colour_and_pattern_and_keep_them_across_maps(tmp_path):
    _, m, ov = planted(300, 30)
    build_map(None, m, ov, path=tmp_path / "all.html")
    data = data_block((tmp_path / "all.html").read_text("utf-8"))
    style = {n["id"]: (n["color"], tuple(n["dashes"] or ())) for n in data["niches"]}
    assert len(style) == 30 and len(set(style.values())) == 30
    # a map of a few niches only (community 7, 12, 25): each keeps its colour and pattern
    few = m[m["community"].isin([7, 12, 25])]
    build_map(None, few, ov, path=tmp_path / "few.html")
    sub = data_block((tmp_path / "few.html").read_text("utf-8"))
    assert {n["id"]: (n["color"], tuple(n["dashes"] or ())) for n in sub["niches"]} == {
        k: style[k] for k in ("7", "12", "25")}
    # nodes carry the same fill and border dashes as their legend entry
    for rec, k in zip(sub["nodes"], sub["attrs"]["niche"]):
        entry = next(n for n in sub["niches"] if n["key"] == k)
        fill = rec["color"]["background"] if isinstance(rec["color"], dict) else rec["color"]
        assert fill == entry["color"]
        assert rec.get("shapeProperties", {}).get("borderDashes") == entry["dashes"]
    # the aggregated overview colours each niche as its own map does
    res = build_map(None, m, ov, path=tmp_path / "agg.html", aggregate_above=100)
    over = data_block(res.path.read_text("utf-8"))
    for entry in over["niches"]:
        own = data_block((tmp_path / entry["href"]).read_text("utf-8"))
        assert [n["color"] for n in own["niches"]] == [entry["color"]]


def test_bidi_and_control_characters_are_shown_as_escapes(tmp_path):
    g, m, ov = zoo()
    m = m.copy()
    m.loc["c0", "handle"] = "abc\u202egnp.exe\u202c"
    m.loc[m["community"] == 20, "niche_label"] = "food\u2066\u200f\x07"
    build_map(g, m, ov, path=tmp_path / "b.html", title="t\u202e")
    text = (tmp_path / "b.html").read_text("utf-8")
    data = data_block(text)
    assert data["attrs"]["handle"][0] == "abc<U+202E>gnp.exe<U+202C>"
    assert data["niches"][1]["label"] == "food<U+2066><U+200F><U+0007>"
    assert data["title"] == "t<U+202E>"
    payload = text.split('id="gi-data">')[1].split("</script>")[0]
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\x07]", payload)


def test_overview_links_niches_by_normalised_density(tmp_path):
    """The aggregated overview links two niches by the share of their creator pairs that are linked
    (not raw counts), and keeps each niche's 3 densest links only."""
    _, m, ov = planted(600, 8)
    nodes, links = map_tables(None, m, ov)
    res = build_map(None, m, ov, path=tmp_path / "o.html", aggregate_above=100)
    data = data_block(res.path.read_text("utf-8"))
    g = nodes["niche"]
    a, b = g.loc[links["source"]].to_numpy(), g.loc[links["target"]].to_numpy()
    cross = a != b
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([np.minimum(a, b)[cross], np.maximum(a, b)[cross]])).groupby(
        level=[0, 1]).sum()
    size = g.value_counts()
    density = {k: v / (size[k[0]] * size[k[1]]) for k, v in counts.items()}
    drawn = list(zip(data["edges"]["from"], data["edges"]["to"]))
    assert 0 < len(drawn) < len(density)  # not every pair of niches
    for x, y in drawn:
        top3 = lambda n: sorted((v for k, v in density.items() if n in k), reverse=True)[:3]  # noqa: E731
        assert density[(x, y)] >= min(top3(x)) or density[(x, y)] >= min(top3(y))
    w = np.array(data["edges"]["width"])
    d = np.array([density[e] for e in drawn])
    assert np.allclose(w, 1 + 9 * d / d.max(), atol=0.01)
    assert "link density" in data["edgeLegend"][0]["label"]
    # each niche lists its best creators by targets score, with ids to open them in the niche's map
    best = m.assign(n=g).sort_values("score", ascending=False).groupby("n").head(10)
    assert [i for _, i in data["topCreators"][0]] == best[best["n"] == 0].index.tolist()


def test_a_blank_handle_shows_the_id():
    g, m, ov = zoo()
    m = m.copy()
    m.loc["c1", "handle"] = "  "
    m.loc["c2", "handle"] = None
    nodes, _ = map_tables(g, m, ov)
    assert nodes.loc[["c0", "c1", "c2"], "handle"].tolist() == ["creator0", "c1", "c2"]


# ------------------------------------------------------------------------------------ the WebGL renderer
def test_webgl_renderer_above_the_threshold_inlines_sigma_not_vis(tmp_path):
    """More creators than ``webgl_above``: the same payload drawn by sigma.js + graphology (inlined,
    allowed by hash, no eval), without vis-network; at or below it: vis-network, as before."""
    g, m, ov = zoo()
    build_map(g, m, ov, path=tmp_path / "gl.html", webgl_above=7)  # 8 creators > 7
    build_map(g, m, ov, path=tmp_path / "vis.html", webgl_above=8)
    gl, vis = (tmp_path / "gl.html").read_text("utf-8"), (tmp_path / "vis.html").read_text("utf-8")
    assert data_block(gl)["renderer"] == "webgl" and data_block(vis)["renderer"] == "vis"
    vis_js, (graphology_js, sigma_js) = maps.html._assets()["vis_js"], maps.html._webgl_assets()
    assert vis_js in vis and sigma_js not in vis and graphology_js not in vis
    assert vis_js not in gl and sigma_js in gl and graphology_js in gl
    for text in (gl, vis):
        assert "http://" not in text and "https://" not in text and "unsafe-eval" not in text
        assert not re.search(r"@@[A-Z_]+@@", text.split('id="gi-data"')[0])
    # every inline script is allowed by its hash, and nothing else
    import base64
    import hashlib
    scripts = re.findall(r"<script>(.*?)</script>", gl, flags=re.S)
    assert len(scripts) == 3  # graphology, sigma.js, map.js (+ the JSON data block)
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', gl).group(1)
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    assert allowed == {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    # the same data either way: nodes, links, figures
    a, b = data_block(gl), data_block(vis)
    assert {k: v for k, v in a.items() if k not in ("renderer", "edgeLegend")} == \
        {k: v for k, v in b.items() if k not in ("renderer", "edgeLegend")}
    # the legend says how each renderer draws links: WebGL lines are one pixel, strength as darkness
    assert "darker = more" in a["edgeLegend"][0]["label"] and "wider = more" in b["edgeLegend"][0]["label"]
    assert [e["color"] for e in a["edgeLegend"]] == [e["color"] for e in b["edgeLegend"]]


def test_webgl_params_and_defaults():
    assert MapParams().webgl_above == maps.DEFAULT_WEBGL_ABOVE == 2000
    assert MapParams().aggregate_above == maps.DEFAULT_AGGREGATE_ABOVE == 50_000  # 20,000 creators: one map
    assert MapParams().renderer(2000) == "vis" and MapParams().renderer(2001) == "webgl"
    assert MapParams(webgl_above=0).renderer(1) == "webgl" and MapParams(webgl_above=None).renderer(10**6) == "vis"
    for bad in (-1, 1.5, True, "5"):
        with pytest.raises(MapError, match="webgl_above"):
            MapParams(webgl_above=bad)


def test_vendored_webgl_libraries_match_their_checksums():
    """graphinflu/templates/vendor holds exactly what tools/vendor/update.sh fetched from npm (sha256)."""
    import hashlib

    root = Path(__file__).resolve().parent.parent
    sums = (root / "tools" / "vendor" / "SHA256SUMS").read_text().split("\n")
    want = dict(reversed(line.split()) for line in sums if line.strip())
    vendor = root / "graphinflu" / "templates" / "vendor"
    assert set(want) == {p.name for p in vendor.iterdir() if p.is_file()}  # vega/ has its own sums
    for name, digest in want.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    versions = (vendor / "VERSIONS").read_text()
    assert "sigma 3." in versions and "graphology 0." in versions
    assert "MIT" in (vendor / "sigma.LICENSE.txt").read_text() or "Permission is hereby granted" in (vendor / "sigma.LICENSE.txt").read_text()


def test_cli_map_webgl_above(tmp_path):
    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"f{i},c{i % 6}\nf{i},c{(i + 1) % 6}\n" for i in range(40)))
    res = CliRunner().invoke(cli, ["map", str(edges), "--top", "6", "--webgl-above", "0", "-o", str(tmp_path / "m.html"), "-q"])
    assert res.exit_code == 0, res.output
    assert data_block((tmp_path / "m.html").read_text("utf-8"))["renderer"] == "webgl"
