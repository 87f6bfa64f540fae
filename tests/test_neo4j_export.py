"""``graphinflu neo4j export --format load-csv`` on the live Neo4j: the gzipped CSVs go into the
server's import folder, ``load.cypher`` runs there (``LOAD CSV ... CALL { ... } IN
TRANSACTIONS``), and the database then holds what a ``push`` of the same data holds — with
hashtags as string lists and interaction times as ``datetime`` values — and a second run adds
nothing."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from test_store import golden

from graphinflu import store as st
from graphinflu.accounts import account_table, store_columns
from graphinflu.cli import cli
from graphinflu.graph import Graph
from graphinflu.loaders.neo4j import read_import_dir, read_store
from graphinflu.metrics.overlap import overlap_pairs


def data():
    g = golden().with_accounts(pd.DataFrame({"hashtags": ["#run #5k", "", None]}, index=["A", "B", "C"]))
    return g, store_columns(account_table(g).accounts), overlap_pairs(g, ["A", "B", "C"])


def admin_data():
    """:func:`data` plus likes at millisecond times and a mention without a time: what the
    neo4j-admin import test exports (conftest's neo4j_admin_server) and pushes."""
    likes = Graph.from_pandas(pd.DataFrame({"source": ["4", "5", "C"], "target": ["A", "A", "B"],
                                            "kind": ["likes"] * 3, "w": [1.0, 4.0, 2.0],
                                            "ts": [1700000000.123, 86400.5, np.nan]}),
                              kind="kind", weight="w", timestamp="ts")
    g = golden().merge(likes).with_accounts(pd.DataFrame({"hashtags": ["#run #5k", "", None]}, index=["A", "B", "C"]))
    return g, store_columns(account_table(g).accounts), overlap_pairs(g, ["A", "B", "C"])


def snapshot(store) -> tuple[list, list]:
    """Every account and relationship with its properties and their Cypher types
    (``valueType``: ``INTEGER NOT NULL``, ``LIST<STRING NOT NULL> NOT NULL``, ``ZONED DATETIME
    NOT NULL``, ...); a datetime is ``("datetime", ISO text, zone)``. So a float where an integer
    should be, a string where a list should be, or a number where a datetime should be, differs."""
    def plain(props):
        out = {}
        for k, v in sorted(props.items()):
            if hasattr(v, "to_native"):
                v = ("datetime", v.iso_format(), str(v.tzinfo))
            out[k] = v
        return out

    types = "[k IN keys({x}) | k + ': ' + valueType({x}[k])] AS types"
    nodes = store.run(f"MATCH (a:Account) RETURN a.id AS id, properties(a) AS p, {types.format(x='a')} ORDER BY id")
    rels = store.run("MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS t, b.id AS d, properties(r) AS p, "
                     f"{types.format(x='r')} ORDER BY s, t, d")
    return ([(i, plain(p), sorted(ty)) for i, p, ty in zip(nodes["id"], nodes["p"], nodes["types"])],
            [(s, t, d, plain(p), sorted(ty))
             for s, t, d, p, ty in zip(rels["s"], rels["t"], rels["d"], rels["p"], rels["types"])])


def clean(store):
    store.run("MATCH (n) DETACH DELETE n", write=True)


@pytest.fixture
def import_dir(neo4j_server):
    if neo4j_server["import_dir"] is None:
        pytest.fail("NEO4J_IMPORT_DIR is not set: the LOAD CSV tests need the server's import folder; set it "
                    "beside NEO4J_URI (the server the tests start sets it themselves)")
    d = neo4j_server["import_dir"]
    yield d
    for p in d.iterdir():
        p.unlink() if p.is_file() else shutil.rmtree(p)


def test_load_csv_export_equals_a_push(neo4j_store, import_dir, tmp_path):
    g, metrics, pairs = data()
    clean(neo4j_store)
    st.push(neo4j_store, g, metrics=metrics, overlap=pairs)
    pushed = snapshot(neo4j_store)

    files = st.export_load_csv(g, tmp_path / "out", metrics=metrics, overlap=pairs)
    assert [f.name for f in files] == ["accounts.csv.gz", "follows.csv.gz", "mentions.csv.gz", "replies.csv.gz",
                                       "shares_audience.csv.gz", "load.cypher"]
    for f in files[:-1]:
        gzip.decompress(f.read_bytes())  # really gzip
        shutil.copy(f, import_dir / f.name)
    script = files[-1].read_text()
    assert "CALL (row) {" in script and "IN TRANSACTIONS OF" in script and "CREATE DATABASE" in script
    clean(neo4j_store)
    st.run_load_script(neo4j_store, files[-1])
    loaded = snapshot(neo4j_store)
    assert loaded == pushed

    types = neo4j_store.run("MATCH (a:Account {id: 'A'})<-[m:MENTIONS]-() "
                            "RETURN valueType(a.hashtags) AS tags, valueType(m.timestamp) AS ts, "
                            "a.hashtags AS hashtags, m.timestamp.epochSeconds AS seconds").iloc[0]
    assert types["tags"].startswith("LIST<STRING") and types["ts"].startswith("ZONED DATETIME")
    assert types["hashtags"] == ["#run", "#5k"] and types["seconds"] == 10
    before = neo4j_store.counts()
    st.run_load_script(neo4j_store, files[-1])  # idempotent
    assert neo4j_store.counts() == before and snapshot(neo4j_store) == loaded


def test_export_command_writes_the_load_csv_format(tmp_path, neo4j_store, import_dir):
    """The command line: `neo4j export DIR FILE --format load-csv`, then load.cypher on the server."""
    edges = tmp_path / "follows.csv"
    pd.DataFrame({"source": ["1", "2", "3", "1"], "target": ["A", "A", "B", "B"]}).to_csv(edges, index=False)
    r = CliRunner().invoke(cli, ["neo4j", "export", str(tmp_path / "out"), str(edges), "--format", "load-csv", "-q"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["accounts.csv.gz", "follows.csv.gz", "load.cypher",
                                                     "shares_audience.csv.gz"]
    for f in out.glob("*.csv.gz"):
        shutil.copy(f, import_dir / f.name)
    clean(neo4j_store)
    st.run_load_script(neo4j_store, out / "load.cypher")
    c = neo4j_store.counts()
    assert c["nodes"] == 5 and c["relationships"] == 4 + 1  # follows + one SHARES_AUDIENCE (A, B share 1)
    pr = neo4j_store.run("MATCH (a:Account) RETURN a.id AS id, a.pagerank AS pr").set_index("id")["pr"]
    assert pr.sum() == pytest.approx(1.0) and np.isfinite(pr.to_numpy(float)).all()


def test_neo4j_admin_import_equals_a_push(request, neo4j_store, neo4j_admin_server):
    """`neo4j-admin database import full`, run with the command of the admin export's README on
    the exported header + .csv.gz files into a fresh separate Neo4j (conftest's
    neo4j_admin_server), holds what a push of the same data holds on the session's server: the
    same accounts and relationships, every property with the same value and Cypher type — lists
    as LIST<STRING>, interaction times as ZONED DATETIME (UTC, milliseconds), counts as INTEGER —
    and reads back to the same graph."""
    from conftest import LIVE_NEO4J_TESTS

    LIVE_NEO4J_TESTS.add(request.node.nodeid)
    info = neo4j_admin_server
    g, metrics, pairs = info["graph"], info["metrics"], info["overlap"]
    out = info["export_dir"]
    assert sorted(p.name for p in out.glob("*.csv.gz")) == [f"{k}.csv.gz" for k in
                                                            ("accounts", "follows", "likes", "mentions", "replies",
                                                             "shares_audience")]
    clean(neo4j_store)
    st.push(neo4j_store, g, metrics=metrics, overlap=pairs, schema=False)
    pushed = snapshot(neo4j_store)
    s = info["server"]
    with st.connect(s.uri, username=s.username, password=s.password, env={}) as imported:
        got = snapshot(imported)
        assert imported.counts() == neo4j_store.counts()
        assert imported.counts()["relationships"] == g.n_edges + len(pairs)
        row = imported.run("MATCH (a:Account {id: 'A'})<-[l:LIKES]-(f:Account {id: '4'}) "
                           "RETURN a.hashtags AS tags, valueType(a.hashtags) AS tag_type, a.handle AS handle, "
                           "valueType(l.timestamp) AS ts_type, l.timestamp.epochMillis AS ms, "
                           "l.timestamp.timezone AS zone").iloc[0]
        back = read_store(imported)
    assert row["tags"] == ["#run", "#5k"] and row["tag_type"] == "LIST<STRING NOT NULL> NOT NULL"
    assert row["ts_type"] == "ZONED DATETIME NOT NULL" and row["ms"] == 1700000000123 and row["zone"] == "Z"
    assert row["handle"] == g.accounts.loc["A", "handle"]
    assert got == pushed
    ref = read_import_dir(out).edge_table().sort_values(["source", "target", "kind"]).reset_index(drop=True)
    pulled = back.edge_table().sort_values(["source", "target", "kind"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(pulled[ref.columns], ref)
    assert pulled.set_index(["source", "kind"]).loc[("4", "likes"), "timestamp"].item() == 1700000000.123
