"""`graphinflu neo4j push|pull|query|export` through click's CliRunner, on the embedded FalkorDB,
plus the error lines for an unreachable Neo4j, bad credentials, a missing database and bad input."""

from __future__ import annotations

import io
import json
import shlex

import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu import store as st
from graphinflu.cli import cli
from graphinflu.loaders import read_edges
from graphinflu.metrics import overlap as ov

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
    if args[0] != "push":  # reading commands refuse a database that does not exist: make an empty one
        for a in args:
            if a.startswith("falkordb://"):
                st.connect(a).close()
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
    assert names == ["README.md", "accounts.csv.gz", "accounts.header.csv", "follows.csv.gz", "follows.header.csv",
                     "shares_audience.csv.gz", "shares_audience.header.csv"]
    head = (tmp_path / "imp" / "accounts.header.csv").read_text().splitlines()[0]
    assert head.startswith("id:ID(Account),handle,followers:long,")
    assert ",pagerank:double," in head and ",tier," in head and ",community:long," in head
    assert head.endswith(":LABEL")


def test_export_prints_the_import_command(files, tmp_path):
    out = tmp_path / "my export"
    r = CliRunner().invoke(cli, ["neo4j", "export", str(out), str(files / "follows.csv"), "--database", "brand_x"])
    assert r.exit_code == 0, r.output
    assert "CREATE DATABASE" in r.output and str(out / "README.md") in r.output
    command = next(line.strip() for line in r.output.splitlines() if line.strip().startswith("neo4j-admin"))
    words = shlex.split(command)  # the folder's space is quoted
    assert words[:4] == ["neo4j-admin", "database", "import", "full"] and words[-1] == "brand_x"
    assert f"--nodes={out}/accounts.header.csv,{out}/accounts.csv.gz" in words


# ---------------------------------------------------------------------------- round 2 findings
USER, PART1, PART2 = "zedUser", "Qx7kk", "Vb9mm"


@pytest.mark.parametrize("uri", [
    # a "/" in the password: the driver took "zedUser:Qx7kk" for the host and quoted it
    f"bolt://{USER}:{PART1}/{PART2}@127.0.0.1:1",
    f"bolt://{USER}:{PART1}{PART2}@127.0.0.1:1",
    f"neo4j://{USER}:{PART1}@{PART2}@127.0.0.1:1",  # an "@" in the password: redacted up to the last "@"
    f"bolt://{PART1}{PART2}@127.0.0.1:1",
    # no "://": a misspelt scheme, or none, used to be quoted whole as "not a Neo4j address"
    f"neo4j:{USER}:{PART1}{PART2}@127.0.0.1:1",
    f"//{USER}:{PART1}{PART2}@127.0.0.1:1",
    f"bolt:/{USER}:{PART1}{PART2}@127.0.0.1:1",
])
def test_a_uri_with_user_info_is_refused_without_showing_it(uri):
    r = invoke("neo4j", "pull", "--uri", uri, env={"NEO4J_PASSWORD": SECRET})
    assert r.exit_code == 1
    assert r.output.startswith("Error: ") and "Traceback" not in r.output
    assert "NEO4J_USERNAME" in r.output and "NEO4J_PASSWORD" in r.output
    for part in (USER, PART1, PART2, SECRET):
        assert part not in r.output
    with pytest.raises(st.StoreError) as info:
        st.connect(uri, env={})
    for part in (USER, PART1, PART2):
        assert part not in str(info.value)
    assert "127.0.0.1:1" in str(info.value)


@pytest.mark.parametrize("uri, message", [
    ("http://127.0.0.1:7474", "talks to Neo4j over Bolt"),
    ("https://db.example:7473", "talks to Neo4j over Bolt"),
    ("mongodb://127.0.0.1:1", "is not a Neo4j address"),
    ("127.0.0.1:7687", "is not a Neo4j address"),
    ("bolt://127.0.0.1:99999", "cannot read the Neo4j address"),
    ("bolt://[::1:7687", "cannot read the Neo4j address"),
    ("bolt://127.0.0.1:port", "cannot read the Neo4j address"),
    ("neo4j://:7687", "names no host"),
    ("bolt://no-such-host.invalid:7687", "cannot reach Neo4j"),
])
def test_every_bad_address_is_one_clear_line(uri, message):
    r = invoke("neo4j", "query", "union_reach", "--uri", uri, env={"NEO4J_PASSWORD": SECRET})
    assert r.exit_code == 1
    assert r.output.startswith("Error: ") and "Traceback" not in r.output and "Warning" not in r.output
    assert message in r.output and "fix: " in r.output and "aiohttp" not in r.output
    assert SECRET not in r.output


def test_redact_uri_hides_everything_up_to_the_last_at():
    assert st.redact_uri("bolt://neo4j:pw@db:7687") == "bolt://***@db:7687"
    assert st.redact_uri("bolt://u:pa/ss@db:7687") == "bolt://***@db:7687"
    assert st.redact_uri("neo4j+s://u:p@q@db") == "neo4j+s://***@db"
    assert st.redact_uri("bolt://db:7687") == "bolt://db:7687"


def test_a_cypher_file_that_is_not_utf8_is_one_clear_error(db, tmp_path):
    f = tmp_path / "q.cypher"
    f.write_bytes(b"MATCH (a)-->(b)\nWHERE a.handle = 'caf\xe9'\nRETURN a.id AS source, b.id AS target\n")
    r = invoke("neo4j", "pull", "--target", db, "--cypher-file", str(f))
    assert r.exit_code == 1
    assert r.output.startswith("Error: ") and str(f) in r.output and "UTF-8" in r.output
    assert "line 2" in r.output


def test_pull_is_read_only(db):
    with st.connect(db) as s:
        before = s.counts()
    assert before["nodes"] > 0
    r = invoke("neo4j", "pull", "--target", db, "--cypher",
               "MATCH (n) DETACH DELETE n RETURN '1' AS source, '2' AS target")
    assert r.exit_code == 1
    lines = [ln for ln in r.output.splitlines() if ln.startswith("Error: ")]
    assert len(lines) == 1 and "only reads" in lines[0]
    with st.connect(db) as s:
        assert s.counts() == before


@pytest.mark.parametrize("args, env, message", [
    ([], {"NEO4J_URI": None}, "no database given"),
    (["--uri", "bolt://127.0.0.1:1"], {}, "cannot reach Neo4j"),
    (["--target", "falkordb://"], {}, "falkordb:// needs a file path"),
    (["--target", "falkordb://{file}/sub/g.db"], {}, "cannot create the folder"),
])
def test_push_connects_before_computing(files, args, env, message):
    args = [a.replace("{file}", str(files / "follows.csv")) for a in args]
    r = CliRunner().invoke(cli, ["neo4j", "push", str(files / "follows.csv"), *args], env=env)
    assert r.exit_code == 1 and message in r.output
    assert "computing" not in r.output and "loading" not in r.output


def test_findings_options_reach_what_is_written(files, tmp_path):
    r = invoke("neo4j", "export", str(tmp_path / "imp"), str(files / "follows.csv"), "--no-metrics",
               "--overlap-top", "3", "--min-shared", "2", "-q")
    assert r.exit_code == 0, r.output
    got = pd.read_csv(tmp_path / "imp" / "shares_audience.csv.gz", dtype=str, header=None)
    ref = ov.overlap_pairs(read_edges(files / "follows.csv"), top=3, min_shared=2)
    assert len(ref) > 0
    assert sorted(zip(got.iloc[:, 0], got.iloc[:, 1])) == sorted(zip(ref.creator_a, ref.creator_b))
    assert "pagerank" not in (tmp_path / "imp" / "accounts.header.csv").read_text().splitlines()[0]


@pytest.mark.parametrize("command", [["pull"], ["query", "graph_counts"]])
def test_reading_a_falkordb_file_that_does_not_exist_is_an_error(tmp_path, command):
    """A mistyped path used to create an empty database and print an empty table."""
    typo = tmp_path / "typo.db"
    r = invoke("neo4j", *command, "--target", f"falkordb://{typo}")
    assert r.exit_code == 1 and "no FalkorDB database at" in r.output
    assert not typo.exists()
