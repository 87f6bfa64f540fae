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
from graphinflu.metrics.overlap import overlap_pairs


def data():
    g = golden().with_accounts(pd.DataFrame({"hashtags": ["#run #5k", "", None]}, index=["A", "B", "C"]))
    return g, store_columns(account_table(g).accounts), overlap_pairs(g, ["A", "B", "C"])


def snapshot(store) -> tuple[list, list]:
    """Every account and relationship with its properties, typed: a Neo4j datetime is
    ``("datetime", ISO text, zone)``, so a number where a datetime should be (or another zone)
    shows as a difference."""
    def plain(props):
        out = {}
        for k, v in sorted(props.items()):
            if hasattr(v, "to_native"):
                v = ("datetime", v.iso_format(), str(v.tzinfo))
            out[k] = v
        return out

    nodes = store.run("MATCH (a:Account) RETURN a.id AS id, properties(a) AS p ORDER BY id")
    rels = store.run("MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS t, b.id AS d, properties(r) AS p "
                     "ORDER BY s, t, d")
    return ([(i, plain(p)) for i, p in zip(nodes["id"], nodes["p"])],
            [(s, t, d, plain(p)) for s, t, d, p in zip(rels["s"], rels["t"], rels["d"], rels["p"])])


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
