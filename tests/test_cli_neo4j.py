"""`graphinflu neo4j push|pull|query|export` through click's CliRunner, on the embedded FalkorDB,
plus the error lines for an unreachable Neo4j, bad credentials, a missing database and bad input."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu import store as st
from graphinflu.cli import cli

SECRET = "pw-Zq81!secret"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    (d / "follows.csv").write_text("source,target\n1,A\n2,A\n3,A\n1,B\n4,B\n1,C\n3,C\n5,C\n")
    (d / "profiles.csv").write_text("id,handle,followers\nA,\"x'}) DETACH DELETE n //\",5000\nB,bee,\nC,cee,20\n")
    return d


@pytest.fixture(scope="module")
def db(files, tmp_path_factory):
    target = "falkordb://" + str(tmp_path_factory.mktemp("fdb") / "g.db")
    r = CliRunner().invoke(cli, ["neo4j", "push", str(files / "follows.csv"), "--profiles",
                                 str(files / "profiles.csv"), "--target", target, "--batch-size", "3"])
    assert r.exit_code == 0, r.output
    return target


def invoke(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_every_command_has_help():
    for cmd in ("push", "pull", "query", "export"):
        r = invoke("neo4j", cmd, "--help")
        assert r.exit_code == 0 and len(r.output) > 200
    assert "falkordb://PATH" in invoke("neo4j", "--help").output


def test_push_reports_progress_and_rerun_changes_nothing(files, db):
    r = CliRunner().invoke(cli, ["neo4j", "push", str(files / "follows.csv"), "--profiles",
                                 str(files / "profiles.csv"), "--target", db])
    assert r.exit_code == 0, r.output
    assert "follows: 8/8 rows" in r.output
    assert "0 nodes and 0 relationships created, 0 properties set (already up to date)" in r.output
    r = CliRunner().invoke(cli, ["neo4j", "push", str(files / "follows.csv"), "--target", db, "-q", "--no-metrics",
                                 "--overlap-top", "0"])
    assert r.exit_code == 0 and r.output == ""


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "parquet", "table"])
def test_query_every_format_parses_back(db, tmp_path, fmt):
    out = tmp_path / f"r.{fmt}"
    r = invoke("neo4j", "query", "audience_overlap_list", "--target", db, "--param", 'ids=["A","B","C"]',
               "--format", fmt, "-o", str(out), "-q")
    assert r.exit_code == 0, r.output
    with st.connect(db) as s:
        ref = st.run_query(s, "audience_overlap_list", {"ids": ["A", "B", "C"]})
    if fmt == "csv":
        got = pd.read_csv(out)
    elif fmt == "json":
        got = pd.DataFrame(json.loads(out.read_text()))
    elif fmt == "jsonl":
        got = pd.read_json(out, lines=True)
    elif fmt == "parquet":
        got = pd.read_parquet(out)
    else:
        got = pd.read_csv(io.StringIO(out.read_text()), sep=r"\s+")
    assert got[["creator_a", "creator_b", "shared"]].values.tolist() == \
        ref[["creator_a", "creator_b", "shared"]].values.tolist() == [["A", "C", 2], ["A", "B", 1], ["B", "C", 1]]
    assert got["jaccard"].round(6).tolist() == ref["jaccard"].round(6).tolist()


def test_query_defaults_list_and_show(db):
    r = invoke("neo4j", "query", "union_reach", "--target", db, "--param", "ids=A,B,C", "--format", "json", "-q")
    assert json.loads(r.output)[0]["union_reach"] == 5
    r = invoke("neo4j", "query", "--list", "--format", "csv")
    names = pd.read_csv(io.StringIO(r.output))["name"].tolist()
    assert names == list(st.catalog())
    r = invoke("neo4j", "query", "lookalikes", "--show")
    assert r.output == st.get_query("lookalikes").text


@pytest.mark.parametrize("args, message", [
    (["query", "nope"], "no query named 'nope'"),
    (["query", "lookalikes", "--param", "oops"], "--param expects KEY=VALUE"),
    (["query", "lookalikes", "--param", "foo=1"], "has no parameter 'foo'"),
    (["query"], "which query?"),
    (["query", "gds_pagerank_write", "--target", "falkordb://{tmp}/x.db"], "Graph Data Science plugin"),
    (["query", "lookalikes"], "no database given"),
    (["push", "--db", "falkordb://{tmp}/y.db"], "no input file"),
    (["pull", "--target", "falkordb://{tmp}/z.db", "--kind", "KNOWS"], "unknown relationship type 'KNOWS'"),
])
def test_bad_input_is_one_clear_error(tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    r = CliRunner().invoke(cli, ["neo4j", *args], env={"NEO4J_URI": None})
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output
    assert r.output.startswith("Error: ") or "Error: " in r.output.splitlines()[-2:][0] + r.output


def test_unreachable_neo4j_fails_fast_without_the_password():
    r = CliRunner().invoke(cli, ["neo4j", "query", "union_reach", "--uri", "bolt://127.0.0.1:1"],
                           env={"NEO4J_PASSWORD": SECRET})
    assert r.exit_code == 1
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in r.output
    assert SECRET not in r.output


class _FakeDriver:
    def __init__(self, error):
        self.error = error

    def verify_connectivity(self):
        raise self.error

    def session(self, **kw):
        raise self.error

    def close(self):
        pass


@pytest.mark.parametrize("make_error, message", [
    (lambda: __import__("neo4j").exceptions.AuthError(f"The client is unauthorized (sent {SECRET})"),
     "rejected the credentials of user 'alice'"),
    (lambda: __import__("neo4j").exceptions.ClientError._hydrate_neo4j(
        code="Neo.ClientError.Database.DatabaseNotFound", message="Database does not exist: nope"),
     "database 'nope' does not exist"),
])
def test_auth_and_database_errors_never_show_the_password(monkeypatch, make_error, message):
    import neo4j

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda *a, **k: _FakeDriver(make_error()))
    r = CliRunner().invoke(cli, ["neo4j", "query", "union_reach", "--uri", "bolt://db.example:7687",
                                 "--username", "alice", "--database", "nope"], env={"NEO4J_PASSWORD": SECRET})
    assert r.exit_code == 1
    assert message in r.output
    assert SECRET not in r.output


def test_pull_writes_the_edge_table(db, tmp_path):
    out, acc = tmp_path / "edges.csv", tmp_path / "accounts.csv"
    r = invoke("neo4j", "pull", "--target", db, "-o", str(out), "--accounts-output", str(acc), "-q")
    assert r.exit_code == 0, r.output
    e = pd.read_csv(out, dtype={"source": str, "target": str})
    assert sorted(zip(e.source, e.target)) == sorted([("1", "A"), ("2", "A"), ("3", "A"), ("1", "B"), ("4", "B"),
                                                      ("1", "C"), ("3", "C"), ("5", "C")])
    assert set(e["kind"]) == {"follows"}
    a = pd.read_csv(acc, dtype={"id": str}).set_index("id")
    assert a.loc["A", "handle"] == "x'}) DETACH DELETE n //"
    r = invoke("neo4j", "pull", "--target", db, "--cypher",
               "MATCH (a:Account)-[:FOLLOWS]->(b:Account {id: $t}) RETURN a.id AS source, b.id AS target",
               "--param", "t=B", "--format", "csv", "-q")
    assert sorted(pd.read_csv(io.StringIO(r.output), dtype=str)["source"]) == ["1", "4"]


def test_export_writes_import_files(files, tmp_path):
    r = invoke("neo4j", "export", str(tmp_path / "imp"), str(files / "follows.csv"), "--profiles",
               str(files / "profiles.csv"), "-q")
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (tmp_path / "imp").iterdir())
    assert names == ["README.md", "accounts.csv", "follows.csv", "shares_audience.csv"]
    head = (tmp_path / "imp" / "accounts.csv").read_text().splitlines()[0]
    assert head.startswith("id:ID(Account),handle,followers:long,")
    assert ",pagerank:double," in head and ",tier," in head and ",community:long," in head
    assert head.endswith(":LABEL")
