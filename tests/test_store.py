"""graphinflu.store on the embedded FalkorDB: the Cypher library, push/pull, export, and the
questions checked against the in-memory metrics (hand-checked graphs and ../shared/data)."""

from __future__ import annotations

import csv
import gzip
import io
import re

import numpy as np
import pandas as pd
import pytest

from graphinflu import store as st
from graphinflu.accounts import account_table, store_columns
from graphinflu.analysis import store_findings
from graphinflu.errors import InputError
from graphinflu.graph import KINDS, Graph
from graphinflu.loaders.neo4j import read_import_dir, read_store, read_store_query
from graphinflu.metrics.overlap import overlap_pairs
from graphinflu.params import CommunityParams

EVIL = "x'}) DETACH DELETE n //"


def golden() -> Graph:
    """The overlap golden case: audiences A = {1, 2, 3}, B = {1, 4}, C = {1, 3, 5}.

    Hand-checked: total followers 8, union reach 5, exclusive reach 3 (2, 4, 5), mean frequency
    1.6; shared(A, C) = 2 (1, 3), shared(A, B) = shared(B, C) = 1 (1); jaccard(A, C) = 2/4.
    Plus interactions 1 -mentions-> A (weight 2, t = 10) and 2 -replies-> B (weight 3, no time),
    and A's handle is an injection attempt.
    """
    follows = pd.DataFrame({"source": ["1", "2", "3", "1", "4", "1", "3", "5"],
                            "target": ["A", "A", "A", "B", "B", "C", "C", "C"]})
    g = Graph.from_pandas(follows)
    inter = Graph.from_pandas(pd.DataFrame({"source": ["1", "1", "2"], "target": ["A", "A", "B"],
                                            "kind": ["mentions", "mentions", "replies"], "w": [1.0, 1.0, 3.0],
                                            "ts": [5.0, 10.0, np.nan]}), kind="kind", weight="w", timestamp="ts")
    g = g.merge(inter)
    prof = pd.DataFrame({"handle": [EVIL, "bee", 'c"q\\uote\nline'], "followers": [5000, np.nan, 20],
                         "category": ["fitness", "food", None]}, index=["A", "B", "C"])
    return g.with_accounts(prof)


@pytest.fixture(scope="module")
def falkor(tmp_path_factory):
    s = st.connect("falkordb://" + str(tmp_path_factory.mktemp("falkor") / "g.db"))
    yield s
    s.close()


def fresh(store: st.Store) -> st.Store:
    store.run("MATCH (n) DETACH DELETE n", write=True)
    return store


# ----------------------------------------------------------------------------- catalog & params
def test_catalog_lists_every_file_and_kinds():
    cat = st.catalog()
    for name in ("schema", "load_accounts", "load_follows", "load_interactions", "write_metrics", "write_overlap",
                 "top_micro_influencers", "audience_overlap_pair", "audience_overlap_list", "union_reach",
                 "lookalikes", "niche_summary", "gds_pagerank_write", "gds_leiden_write", "gds_similarity_write"):
        assert name in cat
    assert cat["schema"].kind == "schema" and len(cat["schema"].statements) == 5
    assert cat["gds_leiden_write"].kind == "gds"
    assert cat["load_follows"].kind == "write"
    assert cat["lookalikes"].kind == "read"
    assert cat["top_micro_influencers"].params == {"tier": "micro", "community": None, "category": None, "limit": 25}


def test_unknown_query_names_the_choices():
    with pytest.raises(st.QueryNotFoundError, match="(?s)no query named 'top_micro'.*did you mean top_micro_influencers"):
        st.get_query("top_micro")


@pytest.mark.parametrize("text, expected", [
    ("'micro'", "micro"), ("25", 25), ("0.85", 0.85), ("0.0000001", 1e-7), ("null", None), ("true", True),
    ("['Set 1', \"b\\\"c\"]", ["Set 1", 'b"c']), ("{id: '1', props: {n: -2, `odd key`: []}}",
                                                   {"id": "1", "props": {"n": -2, "odd key": []}}),
])
def test_cypher_literals(text, expected):
    assert st.parse_cypher_literal(text) == expected


@pytest.mark.parametrize("bad", ["'open", "[1, 2", "{a 1}", "1 2", "nope"])
def test_bad_cypher_literal(bad):
    with pytest.raises(InputError, match="cannot read the Cypher value"):
        st.parse_cypher_literal(bad)


def test_parse_param_json_then_text_and_string_defaults():
    assert st.parse_param("limit=10") == ("limit", 10)
    assert st.parse_param("x=hello world") == ("x", "hello world")
    assert st.parse_param("x=") == ("x", "")
    assert st.parse_param("a=1001", {"a": "Set 1"}) == ("a", "1001")
    assert st.parse_param("ids=Set 1, Set 2", {"ids": ["x"]}) == ("ids", ["Set 1", "Set 2"])
    assert st.parse_param("community=3", {"community": None}) == ("community", 3)
    for bad in ("novalue", "=3", "a b=1", "x'})=1"):
        with pytest.raises(InputError, match="--param expects KEY=VALUE"):
            st.parse_param(bad)


def test_resolve_params_rejects_unknown_names():
    q = st.get_query("lookalikes")
    assert st.resolve_params(q, {"id": "A"})["limit"] == 20
    with pytest.raises(InputError, match="(?s)no parameter 'foo'.*id, min_shared, tier, community, limit"):
        st.resolve_params(q, {"foo": 1})


def test_relationship_types_only_from_the_allow_list():
    q = st.get_query("load_interactions")
    assert ":REPLIES]" in q.render(rel_type="REPLIES") and "MENTIONS" not in q.render(rel_type="REPLIES")
    assert set(st.REL_TYPES) == set(KINDS)
    for bad in ("FOLLOWS]->(x) DETACH DELETE x //", "mentions", "KNOWS"):
        with pytest.raises(InputError, match="not one graphinflu knows"):
            q.render(rel_type=bad)
    with pytest.raises(InputError, match="not a plain name"):
        st.get_query("pull_accounts").render(label="A) DETACH DELETE a //")


# ----------------------------------------------------------------------------- push / pull
def test_push_stores_injection_text_as_text_and_is_idempotent(falkor):
    g = golden()
    fresh(falkor)
    r1 = st.push(falkor, g, batch_size=2)
    assert r1.counts.nodes_created == 8
    assert r1.counts.relationships_created == 8 + 2
    c1 = falkor.counts()
    assert c1["nodes"] == 8 and c1["relationships"] == 10
    got = falkor.run("MATCH (a:Account {id: $id}) RETURN a.handle AS h", {"id": "A"})
    assert got["h"].tolist() == [EVIL]
    assert falkor.run("MATCH (a:Account {handle: $h}) RETURN a.id AS id", {"h": EVIL})["id"].tolist() == ["A"]
    before = read_store(falkor)
    r2 = st.push(falkor, g, batch_size=3)
    assert not r2.counts.changed
    assert falkor.counts() == c1
    after = read_store(falkor)
    pd.testing.assert_frame_equal(before.accounts.sort_index(), after.accounts.sort_index())
    pd.testing.assert_frame_equal(_edge_set(before), _edge_set(after))


def _edge_set(g: Graph) -> pd.DataFrame:
    e = g.edge_table()
    cols = ["source", "target", "kind", "weight"] + (["timestamp"] if "timestamp" in e else [])
    return e[cols].sort_values(["source", "target", "kind"]).reset_index(drop=True)


def test_pull_round_trip(falkor):
    g = golden()
    fresh(falkor)
    st.push(falkor, g)
    back = read_store(falkor)
    pd.testing.assert_frame_equal(_edge_set(back), _edge_set(g))
    acc = back.accounts.reindex(g.ids)
    assert acc["handle"].tolist() == g.accounts["handle"].tolist()
    assert acc.loc["A", "followers"] == 5000 and pd.isna(acc.loc["B", "followers"])
    assert acc.loc["C", "category"] is None or pd.isna(acc.loc["C", "category"])
    only = read_store(falkor, kinds=["MENTIONS"])
    assert only.kinds_present() == ["mentions"] and only.n_edges == 1
    assert only.edges["weight"].tolist() == [2.0] and only.edges["timestamp"].tolist() == [10.0]
    with pytest.raises(InputError, match="unknown relationship type 'KNOWS'"):
        read_store(falkor, kinds=["KNOWS"])
    with pytest.raises(InputError, match="(?s)no nodes labelled 'Person'.*Account"):
        read_store(falkor, label="Person")


def test_pull_by_query(falkor):
    fresh(falkor)
    st.push(falkor, golden())
    g = read_store_query(falkor, "MATCH (a:Account)-[r:FOLLOWS]->(b:Account {id: $t}) "
                                 "RETURN a.id AS source, b.id AS target", {"t": "C"})
    assert sorted(g.edge_table()["source"]) == ["1", "3", "5"]
    with pytest.raises(InputError, match="must return columns source and target"):
        read_store_query(falkor, "MATCH (a:Account) RETURN a.id AS id")


class _FlakyStore(st.Store):
    """Wraps a store; the write after ``fail_after`` batches raises (a crash mid-push)."""

    def __init__(self, inner, fail_after):
        self.inner, self.left = inner, fail_after
        self.kind, self.target = inner.kind, inner.target

    def write(self, statement, params):
        if self.left == 0:
            raise st.StoreError("connection lost")
        self.left -= 1
        return self.inner.write(statement, params)

    def run(self, *a, **k):
        return self.inner.run(*a, **k)

    def setup_schema(self):
        self.inner.setup_schema()


def test_failed_push_can_be_rerun_to_completion(falkor):
    g = golden()
    fresh(falkor)
    st.push(falkor, g)
    full = falkor.counts()
    fresh(falkor)
    with pytest.raises(st.StoreError, match="connection lost"):
        st.push(_FlakyStore(falkor, 3), g, batch_size=2)
    assert falkor.counts()["relationships"] < full["relationships"]
    st.push(falkor, g, batch_size=2)
    assert falkor.counts() == full


def test_metrics_and_overlap_write_back(falkor):
    from graphinflu.metrics.overlap import overlap_pairs

    g = golden()
    fresh(falkor)
    m = store_columns(account_table(g).accounts)
    ov = overlap_pairs(g, ["A", "B", "C"])
    st.push(falkor, g, metrics=m, overlap=ov)
    got = falkor.run("MATCH (a:Account) RETURN a.id AS id, a.authority AS authority, a.tier AS tier, "
                     "a.community AS community").set_index("id").reindex(g.ids)
    # FalkorDB returns doubles with 15 significant digits
    np.testing.assert_allclose(got["authority"].to_numpy(float), m["authority"].to_numpy(float), rtol=1e-14)
    assert got["tier"].tolist() == m["tier"].astype(str).tolist()
    assert got["community"].tolist() == m["community"].tolist()
    rel = falkor.run("MATCH (a:Account)-[r:SHARES_AUDIENCE]->(b:Account) "
                     "RETURN a.id AS a, b.id AS b, r.shared AS shared, r.jaccard AS jaccard ORDER BY a, b")
    assert rel.to_dict("records") == [{"a": "A", "b": "B", "shared": 1, "jaccard": 0.25},
                                      {"a": "A", "b": "C", "shared": 2, "jaccard": 0.5},
                                      {"a": "B", "b": "C", "shared": 1, "jaccard": 0.25}]
    again = st.push(falkor, g, metrics=m, overlap=ov)
    assert not again.counts.changed
    with pytest.raises(InputError, match="not in the graph"):
        st.push(falkor, g, metrics=pd.DataFrame({"x": [1]}, index=["nobody"]))


# ----------------------------------------------------------------------------- the questions, by hand
def test_questions_on_the_golden_case(falkor):
    g = golden()
    fresh(falkor)
    st.push(falkor, g, metrics=store_columns(account_table(g).accounts))
    pair = st.run_query(falkor, "audience_overlap_pair", {"a": "A", "b": "C"}).iloc[0]
    assert (pair["audience_a"], pair["audience_b"], pair["shared"], pair["union_reach"]) == (3, 3, 2, 4)
    assert pair["jaccard"] == 0.5 and pair["overlap_coefficient"] == pytest.approx(2 / 3)
    assert st.run_query(falkor, "audience_overlap_pair", {"a": "A", "b": "nobody"}).empty
    lst = st.run_query(falkor, "audience_overlap_list", {"ids": ["A", "B", "C"]})
    assert lst[["creator_a", "creator_b", "shared"]].values.tolist() == [["A", "C", 2], ["A", "B", 1], ["B", "C", 1]]
    reach = st.run_query(falkor, "union_reach", {"ids": ["A", "B", "C"]}).iloc[0]
    assert (reach["creators"], reach["total_followers"], reach["union_reach"], reach["exclusive_reach"]) == (3, 8, 5, 3)
    assert reach["mean_frequency"] == pytest.approx(1.6)
    look = st.run_query(falkor, "lookalikes", {"id": "A"})
    assert look["id"].tolist() == ["C", "B"] and look["shared"].tolist() == [2, 1]
    assert look["jaccard"].tolist() == [0.5, 0.25]
    top = st.run_query(falkor, "top_micro_influencers", {"tier": "micro"})
    assert top["id"].tolist() == ["A"] and top["handle"].tolist() == [EVIL]
    assert st.run_query(falkor, "top_micro_influencers", {"tier": "micro", "category": "food"}).empty


def test_gds_queries_refuse_on_falkordb(falkor):
    with pytest.raises(st.GDSNotAvailableError, match="(?s)Graph Data Science.*FalkorDB cannot run it"):
        st.run_query(falkor, "gds_pagerank_write")


def test_falkordb_target_errors(tmp_path):
    with pytest.raises(st.StoreError, match="falkordb:// needs a file path"):
        st.connect("falkordb://")
    with pytest.raises(st.StoreError, match="no database given"):
        st.connect(None, env={})


# ----------------------------------------------------------------------------- neo4j-admin export
def test_export_headers_and_round_trip(tmp_path):
    """neo4j-admin inputs: a plain header file and a gzipped data file each, typed columns, lists
    joined by ';', times as ISO 8601 UTC; read back, the graph and metrics are the same."""
    g = golden().with_accounts(pd.DataFrame({"hashtags": ["#run #5k", None, ""]}, index=["A", "B", "C"]))
    m = store_columns(account_table(g).accounts)[["pagerank", "authority", "tier", "community"]]
    files = st.export_import_dir(g, tmp_path / "imp", metrics=m, overlap=overlap_pairs(g, ["A", "B", "C"]))
    names = sorted(f.name for f in files)
    assert names == ["README.md"] + sorted(f"{s}.{e}" for s in ("accounts", "follows", "mentions", "replies",
                                                                 "shares_audience") for e in ("csv.gz", "header.csv"))
    assert sorted(p.name for p in (tmp_path / "imp").iterdir()) == names  # nothing else (no .part left)

    def header(stem):
        lines = (tmp_path / "imp" / f"{stem}.header.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1
        return next(csv.reader(lines))

    def rows(stem):
        text = gzip.decompress((tmp_path / "imp" / f"{stem}.csv.gz").read_bytes()).decode("utf-8")
        return list(csv.reader(io.StringIO(text, newline="")))

    assert header("accounts") == ["id:ID(Account)", "handle", "followers:long", "category", "hashtags:string[]",
                                  "pagerank:double", "authority:double", "tier", "community:long", ":LABEL"]
    acc_rows = {r[0]: r for r in rows("accounts")}
    assert set(acc_rows) == {"1", "2", "3", "4", "5", "A", "B", "C"}  # no header row among the data
    assert acc_rows["A"][4] == "#run;#5k" and acc_rows["B"][4] == "" and acc_rows["A"][1] == EVIL
    assert acc_rows["C"][1] == 'c"q\\uote\nline'
    assert header("follows") == [":START_ID(Account)", ":END_ID(Account)", ":TYPE"]
    assert sorted(rows("follows")) == sorted([s, t, "FOLLOWS"] for s, t in [("1", "A"), ("2", "A"), ("3", "A"),
                                             ("1", "B"), ("4", "B"), ("1", "C"), ("3", "C"), ("5", "C")])
    assert header("mentions") == [":START_ID(Account)", ":END_ID(Account)", ":TYPE", "weight:double",
                                  "timestamp:datetime"]
    assert rows("mentions") == [["1", "A", "MENTIONS", "2.0", "1970-01-01T00:00:10Z"]]
    assert rows("replies") == [["2", "B", "REPLIES", "3.0", ""]]
    assert header("shares_audience")[3:] == ["shared:long", "jaccard:double", "overlap_coefficient:double"]
    readme = (tmp_path / "imp" / "README.md").read_text()
    assert "neo4j-admin database import full" in readme
    assert "--nodes=accounts.header.csv,accounts.csv.gz" in readme
    assert "--relationships=follows.header.csv,follows.csv.gz" in readme
    assert "--multiline-fields=true" in readme and "CREATE DATABASE" in readme and "Enterprise" in readme
    back = read_import_dir(tmp_path / "imp")
    pd.testing.assert_frame_equal(_edge_set(back), _edge_set(g))
    acc = back.accounts.reindex(g.ids)
    assert acc["handle"].tolist() == g.accounts["handle"].tolist()
    np.testing.assert_array_equal(acc["pagerank"].to_numpy(float), m["pagerank"].reindex(g.ids).to_numpy(float))
    assert acc["community"].tolist() == m["community"].reindex(g.ids).tolist()


def test_admin_export_for_another_database_says_create_database(tmp_path):
    st.export_import_dir(golden(), tmp_path / "imp", database="brand_x")
    readme = (tmp_path / "imp" / "README.md").read_text()
    assert "neo4j-admin database import full" in readme and "  brand_x\n```" in readme
    assert "CREATE DATABASE `brand_x` IF NOT EXISTS" in readme and "Enterprise Edition only" in readme
    assert "initial.dbms.default_database=brand_x" in readme  # the Community way
    command = st.admin.import_command(tmp_path / "imp", "brand_x")
    assert command.startswith("neo4j-admin database import full --nodes=") and command.endswith(" brand_x")
    assert f"--relationships={tmp_path / 'imp'}/mentions.header.csv,{tmp_path / 'imp'}/mentions.csv.gz" in command


def test_admin_export_of_a_times_precision_is_what_push_stores(tmp_path):
    """Interaction times in the admin files are ISO 8601 UTC at millisecond precision (what push
    and load.cypher store); read back they are the same epoch seconds."""
    from graphinflu.store.model import epoch_datetime, epoch_seconds, iso_utc

    inter = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "kind": ["likes"] * 2,
                                            "ts": [1700000000.1234, 86400.5]}), kind="kind", timestamp="ts")
    st.export_import_dir(inter, tmp_path / "imp")
    text = gzip.decompress((tmp_path / "imp" / "likes.csv.gz").read_bytes()).decode()
    assert "2023-11-14T22:13:20.123Z" in text and "1970-01-02T00:00:00.500Z" in text
    back = read_import_dir(tmp_path / "imp").edge_table().set_index("source")["timestamp"]
    assert back.to_dict() == {"a": 1700000000.123, "b": 86400.5}
    for t in (1700000000.1234, 86400.5, 0.0, -1.25):
        assert epoch_seconds(epoch_datetime(t)) == epoch_seconds(iso_utc(t)) == round(t * 1000) / 1000


def test_read_import_dir_reads_the_plain_csv_layout(tmp_path):
    """Folders written before the files were gzipped (one .csv with its header) still read."""
    d = tmp_path / "old"
    d.mkdir()
    (d / "accounts.csv").write_text("id:ID(Account),handle,followers:long,:LABEL\nA,ana,5,Account\nB,,,Account\n")
    (d / "follows.csv").write_text(":START_ID(Account),:END_ID(Account),:TYPE\nB,A,FOLLOWS\n")
    back = read_import_dir(d)
    assert back.edge_table()[["source", "target", "kind"]].values.tolist() == [["B", "A", "follows"]]
    assert back.accounts.loc["A", "followers"] == 5 and back.accounts.loc["A", "handle"] == "ana"


def test_export_refuses_a_file(tmp_path):
    f = tmp_path / "x"
    f.write_text("")
    with pytest.raises(InputError, match="is a file, not a folder"):
        st.export_import_dir(golden(), f)


# ----------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def follower_sets(shared, falkor):
    from graphinflu.loaders import read_edges

    g = read_edges(shared / "twitter-follower-sets" / "follower_sets.tsv.gz")
    fresh(falkor)
    metrics = store_columns(account_table(g).accounts)
    st.push(falkor, g, metrics=metrics)
    return g, metrics


SETS = [f"Set {i}" for i in range(1, 101)]


# The checks take the store, so tests/test_neo4j_cypher.py runs the same ones on the live Neo4j.
def check_overlap_list(store, g):
    from graphinflu.metrics.overlap import overlap_pairs

    ref = overlap_pairs(g, SETS)
    ca, cb = ref.creator_a.astype(str), ref.creator_b.astype(str)
    ref = ref.assign(creator_a=ca, creator_b=cb, a=np.minimum(ca, cb), b=np.maximum(ca, cb))
    got = st.run_query(store, "audience_overlap_list", {"ids": SETS})
    assert len(got) == len(ref) == 3042  # PROVENANCE.md: pairs with any overlap
    m = got.merge(ref, left_on=["creator_a", "creator_b"], right_on=["a", "b"], suffixes=("", "_ref"))
    assert len(m) == len(ref)
    np.testing.assert_array_equal(m["shared"], m["shared_ref"])
    # audience_a / audience_b follow the id order in the Cypher rows, the selection order in ref
    swapped = m["creator_a"] != m["creator_a_ref"]
    aud_a_ref = np.where(swapped, m["audience_b_ref"], m["audience_a_ref"])
    np.testing.assert_array_equal(m["audience_a"], aud_a_ref)
    np.testing.assert_allclose(m["jaccard"], m["jaccard_ref"], rtol=1e-12)
    np.testing.assert_allclose(m["overlap_coefficient"], m["overlap_coefficient_ref"], rtol=1e-12)
    assert got["jaccard"].max() == pytest.approx(0.9345, abs=1e-4)  # PROVENANCE.md
    pair = st.run_query(store, "audience_overlap_pair", {"a": "Set 1", "b": "Set 2"}).iloc[0]
    row = m[(m.creator_a == "Set 1") & (m.creator_b == "Set 2")].iloc[0]
    assert pair["shared"] == row["shared"] and pair["jaccard"] == pytest.approx(row["jaccard"], rel=1e-12)
    assert pair["union_reach"] == pair["audience_a"] + pair["audience_b"] - pair["shared"]


def check_union_reach(store, g, pick):
    from graphinflu.metrics.overlap import overlap_summary

    ids = SETS[pick]
    ref = overlap_summary(g, ids)["value"]
    got = st.run_query(store, "union_reach", {"ids": ids}).iloc[0]
    for fig in ("creators", "total_followers", "union_reach", "exclusive_reach"):
        assert got[fig] == ref[fig], fig
    assert got["mean_frequency"] == pytest.approx(ref["mean_frequency"], rel=1e-12)
    if pick == slice(0, 100):
        assert got["union_reach"] == 28459 and got["total_followers"] == 100600  # PROVENANCE.md


def check_lookalikes(store, g, creator):
    from graphinflu.metrics.overlap import similar

    ref = similar(g, creator, top=20)
    got = st.run_query(store, "lookalikes", {"id": creator, "limit": 20})
    assert got["id"].tolist() == ref.index.tolist()
    np.testing.assert_array_equal(got["shared"], ref["shared"])
    np.testing.assert_array_equal(got["audience_size"], ref["audience_size"])
    np.testing.assert_allclose(got["jaccard"], ref["jaccard"], rtol=1e-12)


def check_top_micro(store, metrics):
    micro = metrics[metrics["tier"] == "micro"]
    assert len(micro) > 25
    ref = micro.rename_axis(None).assign(key=micro.index).sort_values(["authority", "key"], ascending=[False, True])
    ref = ref.head(25)
    got = st.run_query(store, "top_micro_influencers", {"tier": "micro", "limit": 25})
    assert got["id"].tolist() == ref.index.tolist()
    np.testing.assert_allclose(got["authority"].to_numpy(float), ref["authority"].to_numpy(float), rtol=1e-14)
    np.testing.assert_array_equal(got["followers"].to_numpy(int), ref["followers"].to_numpy(int))


def check_niche_summary(store, g, metrics):
    got = st.run_query(store, "niche_summary", {"top": 3}).set_index("community")
    grp = metrics.groupby("community")
    assert got["accounts"].to_dict() == grp.size().to_dict()
    assert got["micro"].to_dict() == grp["tier"].apply(lambda t: int((t == "micro").sum())).to_dict()
    np.testing.assert_allclose(got["mean_authority"].sort_index(), grp["authority"].mean().sort_index(), rtol=1e-9)
    best = metrics.rename_axis(None).assign(key=metrics.index).sort_values(["authority", "key"],
                                                                            ascending=[False, True])
    for c, d in best.groupby("community"):
        assert got.loc[c, "top_handles"] == g.accounts.loc[d.index[:3], "handle"].tolist(), c


@pytest.mark.shared_data
def test_real_overlap_counts_match_overlap_pairs(follower_sets, falkor):
    check_overlap_list(falkor, follower_sets[0])


@pytest.mark.shared_data
@pytest.mark.parametrize("pick", [slice(0, 2), slice(0, 10), slice(40, 65), slice(0, 100)])
def test_real_union_reach_matches_overlap_summary(follower_sets, falkor, pick):
    check_union_reach(falkor, follower_sets[0], pick)


@pytest.mark.shared_data
@pytest.mark.parametrize("creator", ["Set 1", "Set 57", "Set 100"])
def test_real_lookalikes_match_similar(follower_sets, falkor, creator):
    check_lookalikes(falkor, follower_sets[0], creator)


@pytest.mark.shared_data
def test_real_top_micro_influencers_match_in_memory(follower_sets, falkor):
    check_top_micro(falkor, follower_sets[1])


@pytest.mark.shared_data
def test_real_niche_summary_matches_groupby(follower_sets, falkor):
    check_niche_summary(falkor, *follower_sets)


@pytest.mark.shared_data
def test_real_push_twice_changes_nothing(follower_sets, falkor):
    g, metrics = follower_sets
    before = falkor.counts()
    assert before["nodes"] == g.n_accounts and before["relationships"] == g.n_edges
    r = st.push(falkor, g, metrics=metrics)
    assert not r.counts.changed
    assert falkor.counts() == before


def test_every_parameter_is_declared_and_used():
    for q in st.catalog().values():
        body = "\n".join(q.statements)
        used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", body))
        assert used == set(q.params), q.name


# ----------------------------------------------------------------------------- optional drivers
@pytest.mark.parametrize("module, open_it, extra", [
    ("neo4j", lambda tmp: st.connect("bolt://127.0.0.1:1"), "neo4j"),
    ("redislite.falkordb_client", lambda tmp: st.connect(f"falkordb://{tmp}/g.db"), "falkordb"),
])
def test_a_missing_driver_names_the_extra(monkeypatch, tmp_path, module, open_it, extra):
    """With the driver not importable (``None`` in ``sys.modules`` is how Python spells "absent"),
    opening a store is a MissingDependencyError naming ``graphinflu[EXTRA]`` — not an ImportError
    traceback, and not at ``import graphinflu.store`` time."""
    import sys

    from graphinflu.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingDependencyError, match=re.escape(f"pip install 'graphinflu[{extra}]'")):
        open_it(tmp_path)


def test_a_missing_driver_is_one_line_in_the_cli(monkeypatch):
    import sys

    from click.testing import CliRunner

    from graphinflu.cli import cli

    monkeypatch.setitem(sys.modules, "neo4j", None)
    r = CliRunner().invoke(cli, ["neo4j", "query", "graph_counts", "--uri", "bolt://127.0.0.1:1", "-q"])
    assert r.exit_code == 1
    assert "graphinflu[neo4j]" in r.output and "Traceback" not in r.output


def test_importing_the_store_loads_no_driver():
    import subprocess
    import sys

    code = ("import sys, graphinflu.store, graphinflu.loaders.neo4j; "
            "print(sorted(m for m in ('neo4j', 'redis', 'redislite') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ----------------------------------------------------------------------------- property names
def test_hostile_column_names_become_plain_property_keys(falkor):
    g = golden()
    fresh(falkor)
    m = pd.DataFrame({"x'}) DETACH DELETE n //": [1.5, 2.5, 3.5], "2024 reach": [1, 2, 3]}, index=["A", "B", "C"])
    st.push(falkor, g, metrics=m)
    assert falkor.counts()["nodes"] == g.n_accounts  # nothing deleted
    got = falkor.run("MATCH (a:Account) WHERE a.p_2024_reach IS NOT NULL "
                     "RETURN a.id AS id, a.x____DETACH_DELETE_n___ AS x, a.p_2024_reach AS r ORDER BY id")
    assert got.values.tolist() == [["A", 1.5, 1], ["B", 2.5, 2], ["C", 3.5, 3]]


@pytest.mark.parametrize("columns, message", [
    (["id"], "would overwrite the account id"),
    ([" id "], "would overwrite the account id"),
    (["a b", "a_b"], "'a b' and 'a_b' both become the property 'a_b'"),
])
def test_columns_that_would_clash_are_refused_before_anything_is_written(falkor, tmp_path, columns, message):
    g = golden()
    fresh(falkor)
    m = pd.DataFrame({c: ["x", "y", "z"] for c in columns}, index=["A", "B", "C"])
    with pytest.raises(InputError, match=message):
        st.push(falkor, g, metrics=m)
    assert falkor.counts()["nodes"] == 0
    with pytest.raises(InputError, match=message):
        st.export_import_dir(g, tmp_path / "imp", metrics=m)
    assert not (tmp_path / "imp").exists() or not list((tmp_path / "imp").iterdir())


def test_export_refuses_metric_rows_for_other_accounts(tmp_path):
    with pytest.raises(InputError, match="1 metric rows are for accounts not in the graph"):
        st.export_import_dir(golden(), tmp_path / "imp", metrics=pd.DataFrame({"x": [1, 2]}, index=["A", "nobody"]))
    assert not (tmp_path / "imp").exists()


# ----------------------------------------------------------------------------- what is written beside the graph
def test_findings_params_are_checked_once():
    assert st.FindingsParams().as_dict() == {"with_metrics": True, "overlap_top": 100, "min_shared": 1}
    for bad in ({"overlap_top": -1}, {"overlap_top": 2.5}, {"overlap_top": True}, {"min_shared": 0},
                {"with_metrics": "yes"}):
        with pytest.raises(InputError):
            st.FindingsParams(**bad)
    with pytest.raises(InputError):
        st.FindingsParams().replace(min_shared=0)


def test_store_findings_follows_its_params():
    g = golden()
    metrics, pairs = store_findings(g, findings=st.FindingsParams(with_metrics=False, overlap_top=3, min_shared=2))
    assert metrics is None
    pd.testing.assert_frame_equal(pairs, overlap_pairs(g, top=3, min_shared=2))
    niches = CommunityParams(seed=3)
    metrics, pairs = store_findings(g, niches=niches, findings=st.FindingsParams(overlap_top=0))
    assert pairs is None
    pd.testing.assert_frame_equal(metrics, store_columns(account_table(g, niches=niches).accounts))
    metrics, pairs = store_findings(g)  # the defaults: metrics, and the overlap of the (three) creators
    pd.testing.assert_frame_equal(pairs, overlap_pairs(g, top=3, min_shared=1))
