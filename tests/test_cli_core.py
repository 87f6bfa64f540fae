"""The core commands through click's CliRunner: exit codes, messages, every format parsed back."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import click
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu.cli import cli
from graphinflu.cli.core import bundled_dataset
from graphinflu.loaders import read_edges
from graphinflu.metrics.authority import pagerank
from graphinflu.metrics.communities import communities

# a 10-account follower graph: two niches {a,b,c,d,e} and {f,g,h,i,j} joined by one follow
EDGES = """follower,followed
a,b
a,c
b,c
c,a
d,c
e,c
d,e
b,a
f,g
g,h
h,f
i,h
j,h
i,j
g,f
e,f
"""


@pytest.fixture()
def edge_file(tmp_path) -> Path:
    p = tmp_path / "follows.csv"
    p.write_text(EDGES)
    return p


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def parse(text_or_bytes, fmt) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.StringIO(text_or_bytes), dtype={"id": str})
    if fmt == "json":
        return pd.DataFrame(json.loads(text_or_bytes))
    if fmt == "jsonl":
        return pd.DataFrame([json.loads(line) for line in text_or_bytes.splitlines() if line])
    raise AssertionError(fmt)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_rank_every_format_matches_library(edge_file, fmt):
    res = run("rank", edge_file, "--by", "pagerank", "--format", fmt, "-q")
    assert res.exit_code == 0, res.output
    got = parse(res.stdout, fmt).set_index("id")
    ref = pagerank(read_edges(edge_file))["pagerank"]
    assert len(got) == 10
    assert np.allclose(got["pagerank"].reindex(ref.index).to_numpy(), ref.to_numpy(), atol=1e-9)
    assert list(got["rank"]) == list(range(1, 11))
    assert got["pagerank"].is_monotonic_decreasing


def test_rank_parquet_and_top(edge_file, tmp_path):
    out = tmp_path / "r.parquet"
    res = run("rank", edge_file, "--by", "indegree", "--top", "3", "-o", out, "-q")
    assert res.exit_code == 0, res.output
    got = pd.read_parquet(out)
    assert len(got) == 3
    assert got.iloc[0]["id"] in {"c", "h"}  # both have in-degree 4
    assert set(got["indegree"]) <= {4.0, 3.0, 2.0}


def test_rank_table_to_stdout(edge_file):
    res = run("rank", edge_file, "--by", "hits", "-q")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0].split()[:3] == ["id", "rank", "handle"]


def test_unknown_ranking_is_one_clear_line(edge_file):
    res = CliRunner().invoke(cli, ["rank", str(edge_file), "--by", "magic", "-q"])
    assert res.exit_code != 0
    assert "unknown ranking 'magic'" in res.output and "Traceback" not in res.output


def test_communities_matches_library_and_summary(edge_file):
    res = run("communities", edge_file, "--format", "csv", "-q")
    assert res.exit_code == 0, res.output
    got = parse(res.stdout, "csv").set_index("id")["community"]
    ref = communities(read_edges(edge_file))["community"]
    assert got.reindex(ref.index).tolist() == ref.tolist()
    # the two planted niches are found
    assert got["a"] == got["b"] == got["c"] == got["d"]
    assert got["f"] == got["g"] == got["h"] == got["i"] == got["j"]
    assert got["a"] != got["f"]
    res = run("communities", edge_file, "--summary", "--format", "json", "-q")
    summ = parse(res.stdout, "json")
    assert summ["size"].sum() == 10
    # --leiden-iterations reaches Leiden: until-stable gives the library's until-stable answer
    res = run("communities", edge_file, "--leiden-iterations", "-1", "--seed", "3", "--format", "csv", "-q")
    ref = communities(read_edges(edge_file), n_iterations=-1, seed=3)["community"]
    assert parse(res.stdout, "csv").set_index("id")["community"].reindex(ref.index).tolist() == ref.tolist()
    assert run("communities", edge_file, "--leiden-iterations", "0", "-q").exit_code != 0


def test_weighted_communities_summary_is_measured_on_the_weighted_graph(tmp_path):
    """--weight-col reads interactions: the summary must count their edges, not (absent) follows."""
    p = tmp_path / "mentions.csv"
    p.write_text("source,target,count\n" + "".join(f"{a},{b},{w}\n" for a, b, w in [
        ("a", "b", 3), ("b", "c", 1), ("c", "a", 2), ("d", "e", 5), ("e", "f", 1), ("f", "d", 1), ("c", "d", 1)]))
    res = run("communities", p, "--weight-col", "count", "--summary", "--format", "csv", "-q")
    assert res.exit_code == 0, res.output
    summ = parse(res.stdout, "csv")
    assert summ["size"].tolist() == [3, 3]
    assert summ["internal_edges"].tolist() == [3, 3]  # each triangle; was 0 when measured on follows
    assert summ["conductance"].notna().all()


def test_weighted_communities_use_every_interaction_kind(tmp_path):
    """With a kind column, --weight-col finds niches on every interaction kind (it used to keep only
    mentions): two reply triangles joined by one mention are two niches of three; on mentions alone
    a, b, e and f would be singletons."""
    p = tmp_path / "interactions.csv"
    p.write_text("source,target,kind,weight\n" + "".join(f"{a},{b},{k},{w}\n" for a, b, k, w in [
        ("a", "b", "replies", 5), ("b", "c", "replies", 5), ("c", "a", "replies", 5),
        ("d", "e", "replies", 5), ("e", "f", "replies", 5), ("f", "d", "replies", 5), ("c", "d", "mentions", 1)]))
    res = run("communities", p, "--weight-col", "weight", "--format", "csv", "-q")
    assert res.exit_code == 0, res.output
    comm = parse(res.stdout, "csv").set_index("id")["community"]
    assert comm["a"] == comm["b"] == comm["c"] != comm["d"] == comm["e"] == comm["f"]


def test_missing_file_and_missing_column_errors(tmp_path, edge_file):
    res = CliRunner().invoke(cli, ["rank", str(tmp_path / "nope.csv")])
    assert res.exit_code != 0 and "file not found" in res.output
    res = CliRunner().invoke(cli, ["rank", str(edge_file), "--source-col", "who", "-q"])
    assert res.exit_code != 0
    assert "'who' not found" in res.output and "follower" in res.output


def test_stdin_dash(edge_file):
    from graphinflu import _io

    _io._stdin_cache.clear()
    res = CliRunner().invoke(cli, ["rank", "-", "--by", "indegree", "--format", "csv", "-q"], input=EDGES)
    _io._stdin_cache.clear()
    assert res.exit_code == 0, res.output
    assert len(parse(res.stdout, "csv")) == 10


def test_convert_roundtrip_graphml_keeps_metrics(edge_file, tmp_path):
    import networkx as nx

    dest = tmp_path / "g.graphml"
    res = run("convert", edge_file, dest, "--with-metrics", "-q")
    assert res.exit_code == 0, res.output
    G = nx.read_graphml(dest)
    assert G.number_of_nodes() == 10 and G.number_of_edges() == 16
    ref = pagerank(read_edges(edge_file))["pagerank"]
    assert abs(G.nodes["c"]["pagerank"] - ref["c"]) < 1e-9
    assert "community" in G.nodes["c"] and "tier" in G.nodes["c"]


def test_analyze_writes_every_output_and_manifest(edge_file, tmp_path):
    out = tmp_path / "out"
    res = run("analyze", edge_file, "-o", out, "--no-map", "--tier", "nano", "-q")
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text())
    for name, fname in manifest["files"].items():
        assert (out / fname).exists(), name
    assert manifest["graph"] == {"accounts": 10, "edges": 16, "edges_by_kind": {"follows": 16}}
    import hashlib

    assert manifest["inputs"]["follows"]["sha256"] == hashlib.sha256(edge_file.read_bytes()).hexdigest()
    acc = pd.read_csv(out / "accounts.csv", dtype={"id": str}).set_index("id")
    ref = pagerank(read_edges(edge_file))["pagerank"]
    assert np.allclose(acc["pagerank"].reindex(ref.index), ref, atol=1e-9)
    targets = pd.read_csv(out / "targets.csv")
    assert list(targets["rank"]) == list(range(1, len(targets) + 1))
    # nothing half-written is left behind
    assert not [p for p in out.iterdir() if p.name.endswith(".part") or p.name.startswith(".")]


def test_analyze_failure_leaves_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("follower,followed\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["analyze", str(bad), "-o", str(out), "-q"])
    assert res.exit_code != 0 and "no data rows" in res.output
    assert not out.exists() or not any(out.iterdir())


def test_every_command_has_help():
    def walk(group, prefix=()):
        for name, cmd in group.commands.items():
            yield prefix + (name,), cmd
            if isinstance(cmd, click.Group):
                yield from walk(cmd, prefix + (name,))

    for path, cmd in walk(cli):
        assert cmd.help and len(cmd.help.strip()) > 20, f"{' '.join(path)} lacks help text"
        res = CliRunner().invoke(cli, [*path, "--help"])
        assert res.exit_code == 0


def test_python_dash_m_and_head_pipe(tmp_path):
    """`python -m graphinflu` works, and `| head` does not crash with a BrokenPipeError traceback."""
    rng = np.random.default_rng(0)
    big = tmp_path / "big.csv"
    # 40k accounts: the ranked output (> 1 MB) is far larger than a pipe's buffer
    pd.DataFrame({"source": rng.integers(0, 40_000, 120_000), "target": rng.integers(0, 40_000, 120_000)}).to_csv(
        big, index=False)
    p = subprocess.run(
        f"{sys.executable} -m graphinflu rank {big} --by pagerank -q --format csv | head -2",
        shell=True, capture_output=True, text=True,
    )
    assert p.stdout.count("\n") == 2
    assert "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr


def test_demo_runs_on_bundled_data(tmp_path):
    out = tmp_path / "demo"
    res = run("demo", "-o", out, "-q")
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["graph"]["edges"] == 100_600
    assert (out / "map.html").exists()
    summary = pd.read_csv(out / "overlap_summary.csv")
    assert summary.shape[0] >= 1
    # the brand-fit part: a brand stated by handles on generated data with a planted brand, whose
    # targets are checked against the creators that truly fit (the generator's ground truth)
    brand = json.loads((out / "brand" / "manifest.json").read_text())["parameters"]["brand"]
    assert brand["accounts"] == ["@brand_official"] and brand["competitors"] == ["@rival_one", "@rival_two"]
    targets = pd.read_csv(out / "brand" / "targets.csv", dtype={"id": str})
    fit = set(pd.read_csv(out / "brand" / "data" / "brand_fit.csv", dtype={"id": str})["id"])
    assert targets["why"].str.contains("of its audience is in the brand's audience").all()
    assert targets["id"].head(20).isin(fit).mean() >= 0.5  # measured 0.85; no brand: 0.00 (test_brand)
    loud = run("demo", "-o", tmp_path / "loud")
    assert "precision@20 of the targets against the 40 planted fit creators" in loud.stderr
    assert "why:\n  1. " in loud.stderr


def test_quiet_silences_stderr_and_progress_is_shown_otherwise(edge_file, tmp_path):
    loud = CliRunner().invoke(cli, ["analyze", str(edge_file), "-o", str(tmp_path / "a"), "--no-map"])
    assert loud.exit_code == 0
    assert "[#-------] 1/8 loading" in loud.stderr and "[########] 8/8 writing" in loud.stderr
    quiet = CliRunner().invoke(cli, ["analyze", str(edge_file), "-o", str(tmp_path / "b"), "--no-map", "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_skipped_rows_are_reported_on_stderr(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text(EDGES + "a,a\na,b\n")
    res = CliRunner().invoke(cli, ["rank", str(p), "--format", "csv"])
    assert res.exit_code == 0
    assert "1 self-loops dropped" in res.stderr and "1 duplicate follow rows merged" in res.stderr


def test_analyze_interactions_only_skips_overlap_with_a_note(tmp_path):
    inter = tmp_path / "mentions.csv"
    inter.write_text("source,target,kind,weight\n" + "".join(
        f"{a},{b},mentions,{w}\n" for a, b, w in [("a", "b", 2), ("c", "b", 1), ("d", "b", 3), ("b", "a", 1),
                                                   ("e", "f", 1), ("g", "f", 2), ("f", "e", 1)]))
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["analyze", "--interactions", str(inter), "-o", str(out), "--tier", "nano"])
    assert res.exit_code == 0, res.output
    assert "no follow edges" in res.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert "overlap_pairs" not in manifest["files"] and "shortlist" not in manifest["files"]
    assert manifest["notes"] and (out / "map.html").exists()
    acc = pd.read_csv(out / "accounts.csv", dtype={"id": str}).set_index("id")
    assert acc["pagerank"].idxmax() == "b"  # mentioned by three accounts


def test_analyze_brand_accounts_are_drawn_on_the_map(edge_file, tmp_path):
    out = tmp_path / "out"
    # 'e' follows others but is followed only by d: a brand account outside the top targets
    res = run("analyze", edge_file, "-o", out, "--brand", "e", "--tier", "nano", "--overlap-top", "3", "-q")
    assert res.exit_code == 0, res.output
    import re

    html = (out / "map.html").read_text()
    node = re.search(r'"id": ?"e".{0,300}', html)
    assert node and '"borderWidth": 5' in node.group(0).replace('"borderWidth":5', '"borderWidth": 5')
    targets = pd.read_csv(out / "targets.csv", dtype={"id": str})
    assert "e" not in set(targets["id"][:3])  # drawn because it is the brand, not as a top target


def test_negative_seed_and_unknown_brand_are_clean_errors(edge_file, tmp_path):
    res = run("communities", edge_file, "--seed", "-1", "--format", "csv", "-q")
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["analyze", str(edge_file), "--brand", "nobody", "--no-map", "-q",
                                   "-o", str(tmp_path / "out")])
    assert res.exit_code != 0
    assert "nobody" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_unknown_output_suffix_is_refused_before_any_work(edge_file, tmp_path):
    """`rank -o out.xyz` used to write CSV without a word; now it lists the formats and writes nothing."""
    out = tmp_path / "out.xyz"
    res = CliRunner().invoke(cli, ["rank", str(edge_file), "-o", str(out), "-q"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "csv" in res.stderr and "parquet" in res.stderr, res.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [edge_file]
    ok = CliRunner().invoke(cli, ["rank", str(edge_file), "-o", str(out), "--format", "json", "-q"])
    assert ok.exit_code == 0 and json.loads(out.read_text())[0]["rank"] == 1


@pytest.fixture(scope="module")
def bundled_engines():
    """On the bundled follower sets the two Leiden engines give different partitions (seed 0), so
    a CLI that dropped --leiden-engine could not match both."""
    path = bundled_dataset()
    g = read_edges(path)
    ref = {e: communities(g, engine=e, seed=0)["community"] for e in ("graphinflu", "igraph")}
    assert (ref["graphinflu"] != ref["igraph"]).any()
    return path, ref


@pytest.mark.parametrize("engine", ["graphinflu", "igraph"])
def test_leiden_engine_option_reaches_the_engine(bundled_engines, engine):
    """--leiden-engine is a shared niche option: `communities` gives that engine's answer."""
    path, ref = bundled_engines
    res = run("communities", path, "--leiden-engine", engine, "--seed", "0", "--format", "csv", "-q")
    assert res.exit_code == 0, res.output
    got = parse(res.stdout, "csv").set_index("id")["community"]
    assert got.tolist() == ref[engine].tolist()


def test_leiden_engine_applies_to_leiden_only(edge_file):
    res = CliRunner().invoke(cli, ["communities", str(edge_file), "--method", "louvain", "--leiden-engine", "igraph"])
    assert res.exit_code == 1 and "applies to method 'leiden'" in res.stderr


@pytest.mark.parametrize("args,code,out", [
    (["rank", "{e}", "--format", "csv", "-q"], 0, "rank"),
    (["rank", "{missing}", "-q"], 1, ""),
    (["rank", "{e}", "--tpo", "2"], 2, ""),
    (["--version"], 0, "graphinflu, version"),
])
def test_exit_codes_of_the_real_process(edge_file, tmp_path, args, code, out):
    """main() ends the process itself (see its docstring): the exit code and every byte written
    must still come through: 0 with the full output, 1 for a user error, 2 for a usage error."""
    argv = [a.format(e=edge_file, missing=tmp_path / "nope.csv") for a in args]
    p = subprocess.run([sys.executable, "-m", "graphinflu", *argv], capture_output=True, text=True, timeout=120)
    assert p.returncode == code, p.stderr
    assert out in p.stdout
    if code == 0 and args[0] == "rank":
        assert len(p.stdout.splitlines()) == 1 + 10  # header and every account of EDGES
    if code:
        assert "Traceback" not in p.stderr and "Error:" in p.stderr


def test_a_bug_is_one_line_and_debug_shows_the_traceback(edge_file, monkeypatch):
    """An exception graphinflu did not expect (here: one injected into the ranking) is one line that
    asks for a report; GRAPHINFLU_DEBUG=1 lets the traceback through."""
    import graphinflu.cli.core as core

    def broken(*a, **k):
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(core, "ranking", broken)
    res = CliRunner().invoke(cli, ["rank", str(edge_file), "-q"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "internal error (ZeroDivisionError: injected)" in res.stderr and "GRAPHINFLU_DEBUG=1" in res.stderr
    monkeypatch.setenv("GRAPHINFLU_DEBUG", "1")
    res = CliRunner().invoke(cli, ["rank", str(edge_file), "-q"])
    assert isinstance(res.exception, ZeroDivisionError)


@pytest.mark.parametrize("args", [["convert", "{e}", "{e}"], ["rank", "{e}", "-o", "{e}", "--format", "csv"]])
def test_an_input_is_never_overwritten_by_an_output(edge_file, args):
    before = edge_file.read_bytes()
    res = CliRunner().invoke(cli, [a.format(e=edge_file) for a in args] + ["-q"])
    assert res.exit_code == 1 and "is the follows input file" in res.stderr
    assert edge_file.read_bytes() == before


def test_tiers_from_in_degree_are_announced_and_tier_all_keeps_every_tier(tmp_path):
    """Without profile follower counts, tiers rest on in-degree inside the sample: analyze says so
    on stderr and in the manifest. With counts for every account it says nothing. --tier all
    draws targets from every tier."""
    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"f{i},c{i % 3}\n" for i in range(30)))
    prof = tmp_path / "p.csv"
    ids = [f"f{i}" for i in range(30)] + ["c0", "c1", "c2"]
    prof.write_text("id,followers\n" + "".join(f"{a},{5000 if a.startswith('c') else 10}\n" for a in ids))
    res = CliRunner().invoke(cli, ["analyze", str(edges), "-o", str(tmp_path / "a"), "--no-map", "--tier", "nano"])
    assert res.exit_code == 0, res.output
    assert "come from followers inside this sample" in res.stderr
    assert any("follow in-degree" in n for n in json.loads((tmp_path / "a" / "manifest.json").read_text())["notes"])
    res = CliRunner().invoke(cli, ["analyze", str(edges), "--profiles", str(prof), "-o", str(tmp_path / "b"),
                                   "--no-map", "--tier", "all"])
    assert res.exit_code == 0, res.output
    assert "inside this sample" not in res.stderr
    targets = pd.read_csv(tmp_path / "b" / "targets.csv")
    assert set(targets["tier"]) == {"nano", "micro"} and len(targets) == 33


def test_tier_bounds_reach_the_account_table_and_the_manifest(tmp_path):
    """--tier-bounds cuts tiers where the user says (hand-checked: c0..c2 have 5,000 profile
    followers, the fans 10) and is recorded in the manifest."""
    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"f{i},c{i % 3}\n" for i in range(30)))
    prof = tmp_path / "p.csv"
    ids = [f"f{i}" for i in range(30)] + ["c0", "c1", "c2"]
    prof.write_text("id,followers\n" + "".join(f"{a},{5000 if a.startswith('c') else 10}\n" for a in ids))
    out = tmp_path / "o"
    res = CliRunner().invoke(cli, ["analyze", str(edges), "--profiles", str(prof), "--tier-bounds", "fan=0,pro=4k",
                                   "--tier", "pro", "-o", str(out), "--no-map", "-q"])
    assert res.exit_code == 0, res.output
    acc = pd.read_csv(out / "accounts.csv", dtype={"id": str}).set_index("id")
    assert acc.loc[["c0", "c1", "c2"], "tier"].tolist() == ["pro"] * 3 and set(acc.loc[ids[:30], "tier"]) == {"fan"}
    assert sorted(pd.read_csv(out / "targets.csv", dtype={"id": str})["id"]) == ["c0", "c1", "c2"]
    assert json.loads((out / "manifest.json").read_text())["parameters"]["tier_bounds"] == [["fan", 0.0], ["pro", 4000.0]]
