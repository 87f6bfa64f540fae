"""The shared store code path against both backends: the embedded FalkorDB, and a live Neo4j with
GDS (the ``neo4j_store`` fixture of conftest.py: the server NEO4J_URI names, else a Neo4j
Community 5.26 + GDS 2.13 that tests/neo4j_server.py fetches through Maven and starts).

Point NEO4J_URI at a throwaway database: these tests delete everything in it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphinflu import store as st
from graphinflu.accounts import account_table, store_columns
from graphinflu.graph import Graph
from graphinflu.loaders.neo4j import read_store, read_store_query
from graphinflu.store.model import epoch_seconds


@pytest.fixture(scope="module")
def falkor_store(tmp_path_factory):
    s = st.connect("falkordb://" + str(tmp_path_factory.mktemp("live") / "g.db"))
    yield s
    s.close()


@pytest.fixture(params=["falkordb", "neo4j"])
def backend(request, falkor_store):
    return falkor_store if request.param == "falkordb" else request.getfixturevalue("neo4j_store")


def clean(s):
    s.run("MATCH (n) DETACH DELETE n", write=True)


def graph() -> Graph:
    """A 7-account follower graph: creators X, Y, Z; audiences X = {a, b, c, d}, Y = {c, d, e},
    Z = {a}; and c mentions X twice. Hand-checked: shared(X, Y) = 2 (c, d), jaccard(X, Y) = 2/5,
    for {X, Y, Z}: total followers 8, union reach 5 (a..e), exclusive reach 2 (b, e; a follows X
    and Z, c and d follow X and Y)."""
    f = pd.DataFrame({"source": ["a", "b", "c", "d", "c", "d", "e", "a"],
                      "target": ["X", "X", "X", "X", "Y", "Y", "Y", "Z"]})
    g = Graph.from_pandas(f)
    m = Graph.from_pandas(pd.DataFrame({"source": ["c"], "target": ["X"], "kind": ["mentions"], "w": [2.0]}),
                          kind="kind", weight="w")
    return g.merge(m).with_accounts(pd.DataFrame({"handle": ["x'}) DETACH DELETE n //"]}, index=["X"]))


def test_schema_is_idempotent(backend):
    backend.setup_schema()
    backend.setup_schema()


def test_push_twice_changes_nothing_and_pulls_back(backend):
    clean(backend)
    g = graph()
    st.push(backend, g, metrics=store_columns(account_table(g).accounts))
    first = backend.counts()
    assert first["nodes"] == 8 and first["relationships"] == 9
    again = st.push(backend, g, metrics=store_columns(account_table(g).accounts))
    assert not again.counts.changed
    assert backend.counts() == first
    back = read_store(backend)
    e = back.edge_table().sort_values(["source", "target", "kind"])[["source", "target", "kind", "weight"]]
    ref = g.edge_table().sort_values(["source", "target", "kind"])[["source", "target", "kind", "weight"]]
    pd.testing.assert_frame_equal(e.reset_index(drop=True), ref.reset_index(drop=True))
    assert back.accounts.loc["X", "handle"] == "x'}) DETACH DELETE n //"


def test_questions(backend):
    clean(backend)
    g = graph()
    st.push(backend, g, metrics=store_columns(account_table(g).accounts))
    pair = st.run_query(backend, "audience_overlap_pair", {"a": "X", "b": "Y"}).iloc[0]
    assert pair["shared"] == 2 and pair["jaccard"] == pytest.approx(0.4)
    reach = st.run_query(backend, "union_reach", {"ids": ["X", "Y", "Z"]}).iloc[0]
    assert reach["union_reach"] == 5 and reach["total_followers"] == 8 and reach["exclusive_reach"] == 2
    look = st.run_query(backend, "lookalikes", {"id": "X"})
    assert look["id"].tolist() == ["Y", "Z"] and look["shared"].tolist() == [2, 1]
    counts = st.run_query(backend, "graph_counts")
    assert dict(zip(counts["type"], counts["relationships"])) == {"FOLLOWS": 8, "MENTIONS": 1}


def test_gds_needs_the_plugin(backend):
    if backend.has_gds:
        est = st.run_query(backend, "gds_project_estimate")
        assert int(est["nodeCount"].iloc[0]) >= 0
    else:
        with pytest.raises(st.GDSNotAvailableError):
            st.run_query(backend, "gds_pagerank_estimate")


def test_write_files_run_with_their_documented_rows(backend):
    """Each load_*/write_* file with the `:param rows` of its header (what a Browser user pastes),
    twice: the second run changes nothing."""
    clean(backend)
    backend.write(st.get_query("load_accounts").statement, {"rows": [{"id": "2002", "props": {}}]})
    names = ["load_accounts", "load_follows", "load_interactions", "write_metrics", "write_overlap"]
    for attempt in range(2):
        changed = st.WriteCounts()
        for name in names:
            changed.add(backend.write(st.get_query(name).statement, st.get_query(name).params))
        assert changed.changed == (attempt == 0), (attempt, changed)
    got = backend.run("MATCH (a:Account {id: '1001'}) RETURN a.handle AS handle, a.followers AS followers, "
                      "a.category AS category, a.authority AS authority, a.community AS community, a.tier AS tier")
    assert got.iloc[0].tolist() == ["ana", 12000, "fitness", 0.0012, 3, "micro"]
    rels = backend.run("MATCH (:Account {id: '1001'})-[r]->(:Account {id: '2002'}) "
                       "RETURN type(r) AS type, r.weight AS w, r.timestamp AS ts, r.shared AS shared ORDER BY type")
    rels = rels.astype(object).where(rels.notna(), None)
    ts = rels.pop("ts").tolist()
    assert rels.values.tolist() == [["FOLLOWS", None, None], ["MENTIONS", 3.0, None], ["SHARES_AUDIENCE", None, 120]]
    # the header's datetime('2023-11-14T22:13:20Z'): a datetime on Neo4j, epoch seconds on FalkorDB
    assert ts[0] is None and ts[2] is None and epoch_seconds(ts[1]) == 1700000000.0
    assert isinstance(ts[1], float) == (backend.kind == "falkordb")


@pytest.mark.parametrize("times", [[5.0, 10.0, None], [1700000000.123, 1.5, 86400.0]])
def test_interaction_times_are_datetimes_on_neo4j_and_pull_back(backend, times):
    """push stores interaction times as Neo4j datetime values (UTC, millisecond precision; on
    FalkorDB, which has no zoned datetime, epoch seconds), pull reads them back to the same epoch
    seconds, and a second push changes nothing."""
    clean(backend)
    edges = pd.DataFrame({"source": ["a", "b", "c"], "target": ["X", "X", "Y"], "kind": ["mentions", "likes", "likes"],
                          "w": [1.0, 2.0, 3.0], "ts": [np.nan if t is None else t for t in times]})
    g = Graph.from_pandas(edges, kind="kind", weight="w", timestamp="ts")
    st.push(backend, g)
    stored = backend.run("MATCH (a)-[r:MENTIONS|LIKES]->() RETURN a.id AS id, r.timestamp AS ts, "
                         "toString(r.timestamp) AS text ORDER BY id")
    want = {"a": times[0], "b": times[1], "c": times[2]}
    for id_, ts, text in stored.itertuples(index=False):
        if want[id_] is None:
            assert ts is None or ts != ts
        elif backend.kind == "neo4j":
            assert type(ts).__name__ == "DateTime" and text.endswith("Z")  # UTC, e.g. 1970-01-01T00:00:10Z
            assert epoch_seconds(ts) == epoch_seconds(text) == want[id_]
        else:
            assert ts == want[id_]
    if backend.kind == "neo4j":
        types = backend.run("MATCH ()-[r:MENTIONS|LIKES]->() WHERE r.timestamp IS NOT NULL "
                            "RETURN DISTINCT valueType(r.timestamp) AS t")["t"].tolist()
        assert types == ["ZONED DATETIME NOT NULL"]
    assert not st.push(backend, g).counts.changed
    back = read_store(backend).edge_table().set_index("source")["timestamp"].to_dict()
    assert {k: (None if v != v else v) for k, v in back.items()} == want
    own = read_store_query(backend, "MATCH (a:Account)-[r:MENTIONS|LIKES]->(b:Account) RETURN a.id AS source, "
                                    "b.id AS target, type(r) AS kind, r.timestamp AS timestamp")  # pull --cypher
    back = own.edge_table().set_index("source")["timestamp"].to_dict()
    assert {k: (None if v != v else v) for k, v in back.items()} == want


def test_a_push_turns_stored_epoch_seconds_into_datetimes(neo4j_store):
    """A database pushed before times were temporal (epoch seconds) gets datetime values on the
    next push of the same data: a number is never equal to a datetime, so the rows are written."""
    clean(neo4j_store)
    g = Graph.from_pandas(pd.DataFrame({"source": ["a"], "target": ["X"], "kind": ["mentions"], "ts": [10.0]}),
                          kind="kind", timestamp="ts")
    neo4j_store.write(st.get_query("load_accounts").statement, {"rows": [{"id": "a", "props": {}},
                                                                          {"id": "X", "props": {}}]})
    neo4j_store.write(st.get_query("load_interactions").statement, {"rows": [{"s": "a", "t": "X", "w": 1.0, "ts": 10.0}]})
    assert st.push(neo4j_store, g).counts.properties_set > 0
    row = neo4j_store.run("MATCH ()-[r:MENTIONS]->() RETURN valueType(r.timestamp) AS t, toString(r.timestamp) AS s")
    assert row.values.tolist() == [["ZONED DATETIME NOT NULL", "1970-01-01T00:00:10Z"]]


# ----------------------------------------------------------------------------- connections (issue 12)
@pytest.mark.parametrize("uri, message", [
    ("http://127.0.0.1:{port}", "is an HTTP address, but graphinflu talks to Neo4j over Bolt"),
    ("bolt://neo4j:{password}@127.0.0.1:{port}", "it holds a user name or password"),
])
def test_http_and_user_info_uris_fail_before_the_driver(neo4j_server, neo4j_store, monkeypatch, uri, message):
    """Against the live server's own host and port, with the right password in the URI: refused
    by graphinflu before the driver is created (which would fail on the missing aiohttp, or say
    "Unexpected error"), and the password never shows."""
    import neo4j

    def no_driver(*a, **k):
        raise AssertionError("the driver was called")

    port = neo4j_server["uri"].rsplit(":", 1)[1]
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", no_driver)
    with pytest.raises(st.StoreError, match=message) as err:
        st.connect(uri.format(port=port, password=neo4j_server["password"]), env={})
    assert neo4j_server["password"] not in str(err.value)


def test_a_server_without_gds_names_what_to_install(request, neo4j_admin_server):
    """On the second throwaway Neo4j 5.26, started without the GDS plugin (conftest's
    neo4j_admin_server, which also serves the neo4j-admin import test)."""
    from conftest import LIVE_NEO4J_TESTS

    LIVE_NEO4J_TESTS.add(request.node.nodeid)
    s = neo4j_admin_server["server"]
    with st.connect(s.uri, username=s.username, password=s.password, env={}) as store:
        assert not store.has_gds
        for name in ("gds_project_estimate", "gds_pagerank_write"):
            with pytest.raises(st.GDSNotAvailableError) as err:
                st.run_query(store, name)
            text = str(err.value)
            assert "(Neo4j 5.26" in text and "does not have the Graph Data Science plugin" in text
            assert "GDS 2.13.x (the release for Neo4j 5.26)" in text and "plugins folder" in text
            assert "dbms.security.procedures.unrestricted=gds.*" in text


# ----------------------------------------------------------------------------- pushes that do not clobber (issue 12)
def test_metrics_of_another_analysis_need_overwrite(backend):
    from graphinflu.params import CommunityParams

    clean(backend)
    g = graph()
    m0 = store_columns(account_table(g, niches=CommunityParams(seed=0)).accounts)
    run0, run1 = st.metrics_run(g, niches=CommunityParams(seed=0)), st.metrics_run(g, niches=CommunityParams(seed=1))
    assert run0.id != run1.id and run0 == st.metrics_run(g, niches=CommunityParams(seed=0))
    st.push(backend, g, metrics=m0, run=run0)
    assert not st.push(backend, g, metrics=m0, run=run0).counts.changed  # the same analysis again: fine
    before = backend.counts()
    with pytest.raises(st.StoreError, match=rf"(?s)8 accounts .* hold metrics of another analysis \(run {run0.id}, "
                                            r"parameters .*seed.*: 0.*--overwrite"):
        st.push(backend, g, metrics=m0, run=run1)
    assert backend.counts() == before
    st.push(backend, g, metrics=m0, run=run1, overwrite=True)
    stored = backend.run("MATCH (a:Account) WHERE a.pagerank IS NOT NULL "
                         "RETURN DISTINCT a.graphinflu_run AS run, a.graphinflu_params AS params")
    assert stored["run"].tolist() == [run1.id] and '"seed": 1' in stored["params"].iloc[0]


def test_push_command_refuses_to_clobber_on_the_live_server(neo4j_server, neo4j_store, tmp_path):
    from click.testing import CliRunner

    from graphinflu.cli import cli

    clean(neo4j_store)
    edges = tmp_path / "f.csv"
    pd.DataFrame({"source": ["a", "b", "c", "d", "c"], "target": ["X", "X", "Y", "Y", "X"]}).to_csv(edges, index=False)
    env = {"NEO4J_URI": neo4j_server["uri"], "NEO4J_USERNAME": neo4j_server["username"],
           "NEO4J_PASSWORD": neo4j_server["password"]}
    base = ["neo4j", "push", str(edges), "-q"]
    assert CliRunner().invoke(cli, base + ["--seed", "0"], env=env).exit_code == 0
    r = CliRunner().invoke(cli, base + ["--seed", "1"], env=env)
    assert r.exit_code == 1 and "hold metrics of another analysis" in r.output and "--overwrite" in r.output
    assert neo4j_server["password"] not in r.output
    assert CliRunner().invoke(cli, base + ["--seed", "1", "--overwrite"], env=env).exit_code == 0
