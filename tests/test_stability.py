"""Niche stability: ARI/NMI against scikit-learn, per-account stability against a plain-Python
reference and by hand, real graphs with measured answers, and what analyze / communities show."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

import graphinflu.analysis as analysis
from conftest import bundled_follower_sets, zoo_two_cliques
from graphinflu.cli import cli
from graphinflu.errors import InputError
from graphinflu.generate import generate
from graphinflu.graph import Graph
from graphinflu.loaders import read_edges
from graphinflu.metrics.communities import communities
from graphinflu.metrics.stability import (
    LOW_ARI,
    _same_niche,
    niche_stability,
    partition_agreement,
    stability_note,
)
from graphinflu.params import CommunityParams
from test_communities import random_graph


def sk(a, b) -> dict:
    return {"ari": adjusted_rand_score(a, b), "nmi": normalized_mutual_info_score(a, b)}


# ----------------------------------------------------------------------------- ARI / NMI
@pytest.mark.parametrize("a,b", [
    ([], []),
    ([0], [0]),
    ([0, 0, 0], [0, 0, 0]),
    ([0, 0, 0], [0, 1, 2]),
    ([0, 1, 2], [0, 1, 2]),
    ([0, 1, 2], [2, 0, 1]),
    ([0, 0, 1, 1], [0, 1, 0, 1]),
    ([0, 0, 0, 0], [0, 1, 2, 3]),
    ([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1]),
    ([5, 5, 9, 9, 9, 1], [3, 3, 3, 7, 7, 7]),
])
def test_agreement_special_cases_match_sklearn(a, b):
    got = partition_agreement(a, b)
    ref = sk(a, b)
    assert got["ari"] == pytest.approx(ref["ari"], abs=1e-12)
    assert got["nmi"] == pytest.approx(ref["nmi"], abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9)), min_size=1, max_size=60))
def test_agreement_matches_sklearn_on_random_labelings(pairs):
    a, b = map(list, zip(*pairs))
    got, ref = partition_agreement(a, b), sk(a, b)
    assert got["ari"] == pytest.approx(ref["ari"], abs=1e-10)
    assert got["nmi"] == pytest.approx(ref["nmi"], abs=1e-10)


def test_agreement_on_large_partitions_matches_sklearn():
    """200,000 accounts in ~2,000 and ~300 labels: pair counts near 2·10¹⁰ stay exact."""
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2000, 200_000)
    b = np.where(rng.random(200_000) < 0.7, a // 7, rng.integers(0, 300, 200_000))
    got, ref = partition_agreement(a, b), sk(a, b)
    assert got["ari"] == pytest.approx(ref["ari"], abs=1e-10) and 0.1 < got["ari"] < 0.9
    assert got["nmi"] == pytest.approx(ref["nmi"], abs=1e-10)
    with pytest.raises(InputError, match="cover 3 and 2 accounts"):
        partition_agreement([0, 1, 1], [0, 1])


# ----------------------------------------------------------------------------- per-account stability
def same_niche_reference(ref, run) -> list[bool]:
    """Plain Python: match each reference niche to the run community sharing most of its accounts
    (ties: the lower id), then ask, per account, whether it sits there."""
    best = {}
    for c in set(ref):
        shared = {}
        for r, x in zip(ref, run):
            if r == c:
                shared[x] = shared.get(x, 0) + 1
        best[c] = min(shared, key=lambda x: (-shared[x], x))
    return [x == best[r] for r, x in zip(ref, run)]


def test_same_niche_by_hand():
    # niche 0 = {0,1,2} keeps 2 of 3 in run community 0; niche 1 = {3,4,5} all in run community 1
    assert _same_niche(np.array([0, 0, 0, 1, 1, 1]), np.array([0, 0, 1, 1, 1, 1])).tolist() == \
        [True, True, False, True, True, True]
    # a niche split evenly in two: the lower id wins the tie
    assert _same_niche(np.array([0, 0, 0, 0]), np.array([1, 1, 0, 0])).tolist() == [False, False, True, True]
    # two niches merged: both match the merged community
    assert _same_niche(np.array([0, 0, 1, 1]), np.array([0, 0, 0, 0])).all()


def test_same_niche_matches_the_plain_python_reference():
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(1, 80))
        ref = rng.integers(0, int(rng.integers(1, 8)), n)
        run = np.where(rng.random(n) < 0.6, ref, rng.integers(0, 8, n))
        ref = pd.factorize(ref, sort=True)[0]
        run = pd.factorize(run, sort=True)[0]
        assert _same_niche(ref, run).tolist() == same_niche_reference(ref.tolist(), run.tolist())


def test_niche_stability_is_built_from_the_runs_themselves():
    """Summary and per-account column recomputed from communities() with each seed, with sklearn."""
    g = random_graph(n=400, m=1600, seed=7)
    params = CommunityParams(seed=10)
    per, summary = niche_stability(g, params, runs=4)
    runs = [communities(g, params, seed=s)["community"].to_numpy() for s in (10, 11, 12, 13)]
    pairs = [sk(runs[i], runs[j]) for i in range(4) for j in range(i + 1, 4)]
    assert summary["seeds"] == [10, 11, 12, 13] and summary["runs"] == 4
    assert summary["communities"] == [len(set(r)) for r in runs]
    assert summary["ari_mean"] == pytest.approx(np.mean([p["ari"] for p in pairs]), abs=1e-12)
    assert summary["ari_min"] == pytest.approx(min(p["ari"] for p in pairs), abs=1e-12)
    assert summary["nmi_mean"] == pytest.approx(np.mean([p["nmi"] for p in pairs]), abs=1e-12)
    assert summary["nmi_min"] == pytest.approx(min(p["nmi"] for p in pairs), abs=1e-12)
    assert [v["seed"] for v in summary["vs_reference"]] == [11, 12, 13]
    assert [v["ari"] for v in summary["vs_reference"]] == pytest.approx([sk(runs[0], r)["ari"] for r in runs[1:]])
    expected = np.mean([same_niche_reference(runs[0].tolist(), r.tolist()) for r in runs[1:]], axis=0)
    assert per.index.equals(g.ids) and per.index.name == "id" and list(per.columns) == ["niche_stability"]
    assert per["niche_stability"].to_numpy() == pytest.approx(expected)
    assert summary["niche_stability_mean"] == pytest.approx(expected.mean())
    assert summary["unstable_accounts"] == int((expected < 0.5).sum())
    assert 0 < summary["ari_mean"] < 1  # this graph's niches really move with the seed
    # a reference given by the caller is used as run 0 (the same answer, one run fewer)
    again = niche_stability(g, params, runs=4, reference=communities(g, params))
    pd.testing.assert_frame_equal(again[0], per)
    assert again[1] == summary


@pytest.mark.parametrize("method", ["leiden", "louvain", "cpm", "infomap"])
def test_every_method_on_two_cliques_is_fully_stable(method):
    per, summary = niche_stability(zoo_two_cliques(), CommunityParams(method=method), runs=3)
    assert (per["niche_stability"] == 1).all()
    assert summary["ari_mean"] == summary["nmi_mean"] == 1.0 and summary["low"] is False
    assert summary["method"] == method and stability_note(summary) is None


def test_errors_and_the_empty_graph():
    g = zoo_two_cliques()
    with pytest.raises(InputError, match="at least 2 runs"):
        niche_stability(g, runs=1)
    with pytest.raises(InputError, match="params must be a CommunityParams"):
        niche_stability(g, "leiden")
    empty = Graph.from_pandas(pd.DataFrame({"source": [], "target": []}))
    per, summary = niche_stability(empty, runs=2)
    assert len(per) == 0 and summary["ari_mean"] == 1.0 and summary["communities"] == [0, 0]


# ----------------------------------------------------------------------------- real graphs, measured
def test_planted_niches_are_stable():
    """generate(20,000 edges): Leiden finds the 6 planted niches with every seed."""
    g = generate(20_000, seed=1).to_graph(interactions=False)
    per, summary = niche_stability(g, runs=4)
    assert summary["ari_min"] > 0.99 and per["niche_stability"].min() == 1.0 and stability_note(summary) is None


def test_bundled_follower_sets_stability():
    """Measured while writing this, Leiden seeds 0-4: 5-6 communities, mean ARI 0.813 (min 0.705),
    NMI 0.853, mean niche_stability 0.913; Louvain 0.914 / 0.938."""
    g = bundled_follower_sets()
    per, summary = niche_stability(g, runs=5)
    assert 0.75 < summary["ari_mean"] < 0.9 and summary["ari_min"] > 0.65
    assert 0.85 < summary["niche_stability_mean"] < 0.97


@pytest.mark.shared_data
def test_unstable_niches_are_reported(shared):
    """wiki-Vote. Measured while writing this, Leiden seeds 0-4: 29-42 communities, mean ARI
    0.626 (min 0.534), NMI 0.676, mean niche_stability 0.754, 996 accounts below 0.5 — below
    LOW_ARI, so the note warns; email-Eu-core: mean ARI 0.801 (min 0.672), stability 0.875."""
    g = read_edges(shared / "wiki-vote" / "wiki-Vote.txt.gz")
    per, summary = niche_stability(g, runs=5)
    assert summary["ari_mean"] < 0.7 and summary["low"] is True and LOW_ARI == 0.8
    note = stability_note(summary)
    assert note.startswith(f"niches change with the seed: mean ARI {summary['ari_mean']:.2f} between 5 seeds")
    assert f"{summary['unstable_accounts']:,} accounts" in note and summary["unstable_accounts"] > 500
    email = read_edges(shared / "email-eu-core" / "email-Eu-core.txt")
    _, s = niche_stability(email, runs=5)
    assert 0.75 < s["ari_mean"] < 0.85 and s["ari_min"] < 0.75


# ----------------------------------------------------------------------------- analyze and the CLI
def test_analyze_measures_stability_on_small_graphs_and_writes_it(tmp_path):
    g = bundled_follower_sets()
    res = analysis.analyze(g)
    assert res.stability is not None and res.stability["runs"] == 5
    per, summary = niche_stability(g, runs=5)
    assert res.stability == summary
    pd.testing.assert_series_equal(res.accounts["niche_stability"], per["niche_stability"])
    expected = per["niche_stability"].groupby(res.accounts["community"]).mean()
    assert res.communities["stability"].to_numpy() == pytest.approx(expected.to_numpy())
    assert "niche_stability" in res.targets.columns
    assert any(n.startswith("niche stability over 5 seeds (0-4): mean ARI") for n in res.notes)
    from graphinflu.params import LoadOptions

    manifest = analysis.write_analysis(res, tmp_path, load=LoadOptions(), graph=g)
    written = json.loads((tmp_path / "manifest.json").read_text())
    assert written["niche_stability"]["ari_mean"] == pytest.approx(summary["ari_mean"])
    assert manifest["niche_stability"]["seeds"] == [0, 1, 2, 3, 4]
    acc = pd.read_csv(tmp_path / "accounts.csv", dtype={"id": str}).set_index("id")
    assert acc["niche_stability"].to_numpy() == pytest.approx(per["niche_stability"].reindex(acc.index).to_numpy())


def test_analyze_skips_stability_above_the_size_limit_and_says_how(monkeypatch):
    g = zoo_two_cliques()
    off = analysis.analyze(g, stability_runs=0)
    assert off.stability is None and "niche_stability" not in off.accounts and "stability" not in off.communities
    assert not any("stability" in n for n in off.notes)
    monkeypatch.setattr(analysis, "AUTO_STABILITY_MAX_EDGES", 20)  # the graph has 21 follows
    auto = analysis.analyze(g)
    assert auto.stability is None and "niche_stability" not in auto.accounts
    assert any("--stability-runs 5 measures it" in n for n in auto.notes)
    forced = analysis.analyze(g, stability_runs=3)
    assert forced.stability["runs"] == 3 and (forced.accounts["niche_stability"] == 1).all()
    with pytest.raises(InputError, match="at least 2 runs"):
        analysis.analyze(g, stability_runs=1)


def test_communities_command_reports_stability(tmp_path):
    g = bundled_follower_sets()
    path = tmp_path / "f.csv"
    g.edge_table()[["source", "target"]].to_csv(path, index=False)
    res = CliRunner().invoke(cli, ["communities", str(path), "--summary", "--stability-runs", "3", "--seed", "2",
                                   "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.stderr
    loaded = read_edges(path)
    per, summary = niche_stability(loaded, CommunityParams(seed=2), runs=3)
    table = pd.read_csv(tmp_path / "s.csv")
    membership = communities(loaded, seed=2)["community"]
    assert table["stability"].to_numpy() == pytest.approx(per["niche_stability"].groupby(membership).mean())
    assert f"niche stability over 3 seeds (2-4): mean ARI {summary['ari_mean']:.2f}" in res.stderr
    res = CliRunner().invoke(cli, ["communities", str(path), "--stability-runs", "2", "--method", "cpm",
                                   "--format", "csv"])
    assert res.exit_code == 0, res.stderr
    rows = pd.read_csv(io.StringIO(res.stdout), dtype={"id": str}).set_index("id")
    assert list(rows.columns) == ["handle", "community", "niche_stability"]
    plain = CliRunner().invoke(cli, ["communities", str(path), "--format", "csv"])
    assert "niche_stability" not in plain.stdout and "niche stability" not in plain.stderr
    bad = CliRunner().invoke(cli, ["communities", str(path), "--stability-runs", "1"])
    assert bad.exit_code == 1 and "at least 2 runs" in bad.stderr


@pytest.mark.shared_data
def test_analyze_command_warns_when_niches_move(tmp_path, shared):
    """wiki-Vote's Leiden niches move with the seed (mean ARI 0.63): analyze says so in one line."""
    src = shared / "wiki-vote" / "wiki-Vote.txt.gz"
    res = CliRunner().invoke(cli, ["analyze", str(src), "--no-map", "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.stderr
    warnings = [line for line in res.stderr.splitlines() if "niches change with the seed" in line]
    assert len(warnings) == 1
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["niche_stability"]["low"] is True


def test_analyze_records_the_method_and_the_cpm_threshold(tmp_path):
    g = zoo_two_cliques()
    res = analysis.analyze(g, niches=CommunityParams(method="cpm", resolution=2.0))
    assert res.parameters["method"] == "cpm" and res.parameters["resolution"] == 2.0
    assert res.parameters["cpm_threshold"] == pytest.approx(2.0 * 21 / 45)
    assert res.stability["method"] == "cpm"
    assert (res.communities["niche_label"].str.len() > 0).all()
    info = analysis.analyze(g, niches=CommunityParams(method="infomap"))
    assert info.parameters["method"] == "infomap" and "cpm_threshold" not in info.parameters
    assert info.accounts["community"].nunique() == 2
