"""Regressions found in review: each test failed before its fix."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu.cli import cli
from graphinflu.store import Neo4jStore, StoreError


def test_analyze_with_posts_writes_the_map(tmp_path):
    """``analyze --posts`` gives accounts a ``rated`` column; the map step crashed on it with
    "assignment destination is read-only" (a traceback, exit 1)."""
    data = tmp_path / "g"
    CliRunner().invoke(cli, ["generate", "--edges", "3000", "-o", str(data), "-q"], catch_exceptions=False)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["analyze", str(data / "follows.csv"), "--profiles", str(data / "profiles.csv"),
                                   "--posts", str(data / "posts.csv"), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output + repr(res.exception)
    assert (out / "map.html").stat().st_size > 0
    acc = pd.read_csv(out / "accounts.csv")
    assert "rated" in acc.columns and acc["rated"].any()


@pytest.mark.parametrize("uri", ["bolt://neo4j:S3cretPW@127.0.0.1:1", "foo://S3cretPW@host"])
def test_password_in_uri_is_not_printed(uri):
    """A password written into the URI came back in the error message."""
    with pytest.raises(StoreError) as info:
        Neo4jStore(uri, "neo4j", None)
    assert "S3cretPW" not in str(info.value)
    assert "***" in str(info.value)


def test_password_in_uri_is_not_printed_by_the_cli():
    res = CliRunner().invoke(cli, ["neo4j", "query", "graph_counts", "--uri", "bolt://neo4j:S3cretPW@127.0.0.1:1"])
    assert res.exit_code == 1
    assert "S3cretPW" not in res.output
    assert "cannot use the Neo4j address" in res.output


def test_rank_top_must_not_be_negative(tmp_path):
    """``--top -1`` silently printed every account but the last (pandas ``head(-1)``)."""
    p = tmp_path / "e.csv"
    p.write_text("source,target\na,b\nb,c\nc,a\na,c\n")
    res = CliRunner().invoke(cli, ["rank", str(p), "--top", "-1", "-q"])
    assert res.exit_code == 2
    assert "-1" in res.output and "Traceback" not in res.output
    ok = CliRunner().invoke(cli, ["rank", str(p), "--top", "2", "-q", "--format", "csv"])
    assert ok.exit_code == 0 and len(ok.output.strip().splitlines()) == 3


@pytest.mark.parametrize("text", ["limit=abc", "limit=true", "limit=[1]", "limit=", "limit=2.5"])
def test_malformed_numeric_param_fails_before_connecting(text):
    """``--param limit=abc`` used to reach the database and fail there ("Limit operates only on
    non-negative integers"), without naming the parameter; now it is refused before connecting."""
    res = CliRunner().invoke(cli, ["neo4j", "query", "top_micro_influencers", "--param", text, "-q"], env={})
    assert res.exit_code == 1
    assert "--param limit expects a whole number" in res.output
    assert "no database given" not in res.output  # refused before any connection is tried


def test_numeric_params_still_parse():
    from graphinflu.store import parse_param

    assert parse_param("limit=5", {"limit": 25}) == ("limit", 5)
    assert parse_param("damping=0.9", {"damping": 0.85}) == ("damping", 0.9)
    assert parse_param("community=3", {"community": None}) == ("community", 3)


@pytest.mark.parametrize("header", ["account,follower", "set,follower", "follower,account"])
def test_direction_option_does_not_undo_named_columns(tmp_path, header):
    """The CLI help says ``--direction followed-follower`` is "for 'account,follower' files"; on such a
    file the header names already put the follower first, so the option reversed every edge again
    (audiences became the sets a follower is in). Named columns now win, with a note."""
    from graphinflu.loaders import read_edges

    first, second = header.split(",")
    rows = [("A", "1"), ("A", "2"), ("B", "1")]  # (account, follower)
    p = tmp_path / "f.csv"
    p.write_text(header + "\n" + "".join(
        f"{a},{f}\n" if first != "follower" else f"{f},{a}\n" for a, f in rows))
    want = {(f, a) for a, f in rows}  # follower → account
    for direction in ("follower-followed", "followed-follower"):
        g = read_edges(p, direction=direction)
        got = set(zip(g.ids[g.edges["source"]].tolist(), g.ids[g.edges["target"]].tolist()))
        assert got == want, direction
    assert "direction" in " ".join(read_edges(p, direction="followed-follower").report.lines())
    res = CliRunner().invoke(cli, ["overlap", str(p), "--accounts", "A,B", "--direction", "followed-follower",
                                   "-q", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert pd.read_csv(__import__("io").StringIO(res.output))["shared"].tolist() == [1]


def test_analyze_map_failure_leaves_no_manifest(tmp_path, monkeypatch):
    """The map used to be written after manifest.json, so a failed map left a folder whose manifest
    claimed a complete run; the manifest now comes last and lists map.html."""
    import graphinflu.cli.core
    import graphinflu.maps

    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"f{i},c{i % 4}\nf{i},c{(i + 1) % 4}\n" for i in range(40)))

    def boom(*a, **k):
        raise graphinflu.maps.InputError("map failed on purpose")

    monkeypatch.setattr(graphinflu.cli.core, "build_map", boom)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["analyze", str(edges), "-o", str(out), "-q", "--tier", "nano"])
    assert res.exit_code == 1 and "map failed on purpose" in res.output
    assert not (out / "manifest.json").exists()
    monkeypatch.undo()
    res = CliRunner().invoke(cli, ["analyze", str(edges), "-o", str(out), "-q", "--tier", "nano"])
    assert res.exit_code == 0, res.output
    manifest = __import__("json").loads((out / "manifest.json").read_text())
    assert manifest["files"]["map"] == "map.html" and (out / "map.html").exists()
