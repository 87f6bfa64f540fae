"""method="cpm" (Leiden on the Constant Potts Model) and method="infomap" (igraph): hand-checked
optima, igraph's own CPM as the reference, planted niches and email-Eu-core departments."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.metrics import adjusted_rand_score as ari
from sklearn.metrics import normalized_mutual_info_score as nmi

from conftest import ZOO, bundled_follower_sets, zoo_two_cliques
from graphinflu.errors import InputError
from graphinflu.generate import generate
from graphinflu.loaders import read_edges
from graphinflu.metrics._leiden import leiden
from graphinflu.metrics.communities import (
    _canonical,
    _igraph_undirected,
    _seeded,
    communities,
    community_summary,
    cpm_threshold,
    symmetrized_adjacency,
)
from graphinflu.params import CommunityParams
from test_communities import _connected_labels, _set_partitions, random_graph

ENGINES = ("graphinflu", "igraph")


def cpm_quality(W: sp.csr_matrix, labels, gamma: float) -> float:
    """igraph's CPM quality, written out: (Σ_c e_c − γ Σ_c n_c² / 2) / m, e_c the weight inside c."""
    labels = np.asarray(labels)
    C = sp.triu(W, k=1).tocoo()
    inside = float(C.data[labels[C.row] == labels[C.col]].sum())
    n_c = np.bincount(labels).astype(float)
    return (inside - gamma * float(np.sum(n_c**2)) / 2.0) / (float(W.sum()) / 2.0)


def igraph_cpm(W: sp.csr_matrix, gamma: float, seed: int):
    G, w = _igraph_undirected(W)
    with _seeded(seed):
        return G.community_leiden(objective_function="CPM", weights=w, resolution=gamma, n_iterations=2)


# ----------------------------------------------------------------------------- the threshold
def test_cpm_threshold_is_resolution_times_density_by_hand():
    g = zoo_two_cliques()  # 10 accounts, 21 undirected pairs linked of 45
    assert cpm_threshold(g) == pytest.approx(21 / 45)
    assert cpm_threshold(g, resolution=2.5) == pytest.approx(2.5 * 21 / 45)
    # isolated accounts do not dilute it; weights count (sum: a reciprocated pair weighs 2)
    lonely = g.with_accounts(pd.DataFrame(index=["x", "y"]))
    assert lonely.n_accounts == 12 and cpm_threshold(lonely) == pytest.approx(21 / 45)
    df = pd.DataFrame({"source": list("abb"), "target": list("bac")})
    assert cpm_threshold(read_df(df), symmetrize="sum") == pytest.approx((2 + 2 + 1 + 1) / (3 * 2))
    assert cpm_threshold(read_df(df), symmetrize="mutual") == pytest.approx(2 / 2)  # only a-b, 2 accounts
    with pytest.raises(InputError, match="resolution must be a positive"):
        cpm_threshold(g, resolution=-1)


def read_df(df):
    from graphinflu.graph import Graph

    return Graph.from_pandas(df)


def test_cpm_quality_helper_is_igraphs_quality():
    """The reference formula above is what igraph reports for its own partitions."""
    g = random_graph(n=300, m=1800, seed=5)
    for symmetrize, gamma in (("collapse", 0.05), ("sum", 0.1), ("collapse", 0.3)):
        W = symmetrized_adjacency(g, symmetrize=symmetrize)
        part = igraph_cpm(W, gamma, seed=1)
        assert cpm_quality(W, part.membership, gamma) == pytest.approx(part.quality, rel=1e-9)


# ----------------------------------------------------------------------------- hand-checked answers
@pytest.mark.parametrize("engine", ENGINES)
def test_two_cliques_by_density_threshold(engine):
    """Two 5-cliques and a bridge; density δ = 21/45, γ = resolution · δ.

    H = Σ e_c − γ n_c²/2: each clique alone 10 − 12.5γ, five singletons −2.5γ (clique better iff
    γ < 1, i.e. resolution < 45/21 ≈ 2.14); both cliques together 21 − 50γ against 20 − 25γ apart
    (merged better iff γ < 1/25, i.e. resolution < 0.0857)."""
    g = zoo_two_cliques()
    names = [f"a{i}" for i in range(5)] + [f"b{i}" for i in range(5)]

    def found(res):
        return communities(g, method="cpm", engine=engine, resolution=res)["community"][names].tolist()

    assert found(1.0) == found(2.0) == [0] * 5 + [1] * 5
    assert found(0.05) == [0] * 10
    assert sorted(found(2.3)) == list(range(10))


def _best_cpm(W: sp.csr_matrix, gamma: float) -> float:
    return max(cpm_quality(W, labels, gamma) for labels in _set_partitions(W.shape[0]))


@pytest.mark.parametrize("name", [n for n in ZOO if n not in ("two_cliques", "ring_of_cliques")])
@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_both_engines_find_the_cpm_optimum_of_the_zoo(name, resolution):
    """Brute force over every partition of the small zoo graphs: over seeds 0-4 both engines reach
    the best CPM quality there is, and their raw partitions are connected. (A single seed may stop
    in a local optimum: with γ = 1/2 a pair gains nothing from a third account, so "followers" at
    resolution 1 ends at quality 0 instead of 0.05 for seed 1 — igraph's Leiden does the same.)"""
    g = ZOO[name]()
    W = symmetrized_adjacency(g)
    if W.nnz == 0:
        assert communities(g, method="cpm")["community"].tolist() == list(range(g.n_accounts))
        return
    assert g.n_accounts <= 8
    gamma = cpm_threshold(g, resolution=resolution)
    best = _best_cpm(W, gamma)
    for engine in ENGINES:
        found = [cpm_quality(W, communities(g, method="cpm", engine=engine, resolution=resolution, seed=seed)
                             ["community"].to_numpy(), gamma) for seed in range(5)]
        assert max(found) == pytest.approx(best, abs=1e-12), engine
        assert all(q <= best + 1e-12 for q in found)
    for seed in range(3):
        assert _connected_labels(W, leiden(W, resolution=gamma, seed=seed, objective="cpm"))


def test_igraph_engine_is_igraphs_cpm_partition():
    """engine="igraph" with method="cpm" is igraph's CPM partition for the same threshold, only renumbered."""
    g = random_graph(n=300, m=1500, seed=11)
    W = symmetrized_adjacency(g)
    for res, seed in ((1.0, 0), (3.0, 4)):
        ref = igraph_cpm(W, cpm_threshold(g, resolution=res), seed)
        out = communities(g, method="cpm", engine="igraph", resolution=res, seed=seed)
        assert out["community"].tolist() == _canonical(np.asarray(ref.membership), W).tolist()


@pytest.mark.parametrize("symmetrize,weight", [("collapse", False), ("sum", False), ("collapse", True)])
def test_cpm_quality_matches_igraph_on_random_graphs(symmetrize, weight):
    """Mean CPM quality over seeds 0-4, ours against igraph's community_leiden(objective_function="CPM").

    Measured while writing this: the two means agree to within 0.002 on these graphs."""
    g = random_graph(n=500, m=3000, seed=2)
    W = symmetrized_adjacency(g, symmetrize=symmetrize, weight=weight)
    for res in (0.5, 1.0, 4.0):
        gamma = cpm_threshold(g, resolution=res, symmetrize=symmetrize, weight=weight)
        ours = [cpm_quality(W, leiden(W, resolution=gamma, seed=s, objective="cpm"), gamma) for s in range(5)]
        ref = [cpm_quality(W, igraph_cpm(W, gamma, s).membership, gamma) for s in range(5)]
        assert np.mean(ours) > np.mean(ref) - 0.005, (res, ours, ref)
        assert min(ours) > min(ref) - 0.02
        for s in range(2):
            labels = leiden(W, resolution=gamma, seed=s, objective="cpm")
            assert _connected_labels(W, labels)
            # communities() is the kernel's partition, only renumbered
            out = communities(g, method="cpm", resolution=res, seed=s, symmetrize=symmetrize, weight=weight)
            assert out["community"].tolist() == _canonical(labels, W).tolist()


def test_cpm_quality_matches_igraph_on_the_bundled_dataset():
    """The bundled follower sets (in every clone). Measured while writing this, CPM quality at the
    default threshold over seeds 0-4: ours and igraph's means agree to 1e-4."""
    g = bundled_follower_sets()
    W = symmetrized_adjacency(g)
    gamma = cpm_threshold(g)
    ours = [cpm_quality(W, communities(g, method="cpm", seed=s)["community"].to_numpy(), gamma) for s in range(3)]
    ref = [cpm_quality(W, igraph_cpm(W, gamma, s).membership, gamma) for s in range(3)]
    assert np.mean(ours) > np.mean(ref) - 0.005


@pytest.mark.shared_data
def test_cpm_on_email_eu_core_against_igraph(shared):
    """Measured while writing this (threshold = density · {0.5, 1, 2, 4, 8}, seeds 0-2): our mean
    CPM quality was within 1% of igraph's at every threshold (above it at three of five)."""
    g = read_edges(shared / "email-eu-core" / "email-Eu-core.txt")
    W = symmetrized_adjacency(g)
    for res in (1.0, 4.0):
        gamma = cpm_threshold(g, resolution=res)
        ours = [cpm_quality(W, leiden(W, resolution=gamma, seed=s, objective="cpm"), gamma) for s in range(3)]
        ref = [cpm_quality(W, igraph_cpm(W, gamma, s).membership, gamma) for s in range(3)]
        assert np.mean(ours) > np.mean(ref) * 0.98


# ----------------------------------------------------------------------------- planted niches, departments
@pytest.fixture(scope="module")
def planted():
    """generate(20,000 edges, mu=0.4): 1,333 accounts in 6 planted niches, 40% of follows leave the niche."""
    d = generate(20_000, seed=1, mu=0.4)
    g = d.to_graph(interactions=False)
    return g, d.truth.reindex(g.ids).to_numpy()


def test_infomap_recovers_planted_niches(planted):
    """Measured while writing this, seeds 0-4: 6 communities every time, NMI 0.976, ARI 0.983
    (mu=0.3: 1.0 and 1.0; mu=0.5: Infomap returns one community)."""
    g, truth = planted
    for seed in range(3):
        out = communities(g, method="infomap", seed=seed)["community"]
        assert nmi(truth, out) > 0.95 and ari(truth, out) > 0.95, seed


def test_cpm_recovers_planted_niches_at_the_default_threshold():
    """mu=0.3. Measured while writing this, seeds 0-4: NMI 0.916-0.976, ARI 0.920-0.981 at
    resolution 1; resolution 2, 4, 8 give NMI 0.77, 0.55, 0.46 (smaller, denser pieces)."""
    d = generate(20_000, seed=1, mu=0.3)
    g = d.to_graph(interactions=False)
    truth = d.truth.reindex(g.ids).to_numpy()
    scores = [(nmi(truth, o), ari(truth, o)) for o in (communities(g, method="cpm", seed=s)["community"]
                                                      for s in range(3))]
    assert min(s[0] for s in scores) > 0.88 and min(s[1] for s in scores) > 0.88
    # a higher threshold asks for denser niches: more, smaller pieces of the planted ones
    finer = communities(g, method="cpm", resolution=4.0, seed=0)["community"]
    assert finer.nunique() > 2 * communities(g, method="cpm", seed=0)["community"].nunique()
    assert nmi(truth, finer) < min(s[0] for s in scores)


@pytest.mark.shared_data
def test_infomap_on_email_eu_core_departments(shared):
    """Measured while writing this, seeds 0-4: 33-36 communities, NMI 0.579-0.625 and ARI
    0.22-0.30 against the 42 departments; the same communities with shuffled departments score
    NMI ≈ 0.10 and ARI ≈ 0."""
    d = shared / "email-eu-core"
    g = read_edges(d / "email-Eu-core.txt")
    lab = pd.read_csv(d / "email-Eu-core-department-labels.txt", sep=" ", header=None, names=["node", "dept"],
                      dtype={"node": str})
    dept = lab.set_index("node")["dept"].reindex(g.ids).to_numpy()
    rng = np.random.default_rng(0)
    W = symmetrized_adjacency(g)
    for seed in range(3):
        out = communities(g, method="infomap", seed=seed)["community"].to_numpy()
        assert nmi(dept, out) > 0.55 and ari(dept, out) > 0.18, seed
        shuffled = rng.permutation(dept)
        assert nmi(dept, out) > nmi(shuffled, out) + 0.3 and ari(shuffled, out) < 0.05
        assert _connected_labels(W, out)


# ----------------------------------------------------------------------------- seeds, options, labels
@pytest.mark.parametrize("method,engine", [("cpm", "graphinflu"), ("cpm", "igraph"), ("infomap", "graphinflu")])
def test_new_methods_are_seeded_deterministic_and_leave_random_alone(method, engine):
    g = random_graph(n=400, m=2400, seed=8)
    state = random.getstate()
    a = communities(g, method=method, engine=engine, seed=3)
    assert random.getstate() == state
    assert a.equals(communities(g, method=method, engine=engine, seed=3))
    assert a.equals(communities(g, CommunityParams(method=method, engine=engine, seed=3)))


def test_engine_rules_for_the_new_methods():
    assert CommunityParams(method="cpm", engine="igraph").engine == "igraph"
    with pytest.raises(InputError, match="applies to method 'leiden' or 'cpm', not 'infomap'"):
        CommunityParams(method="infomap", engine="igraph")
    with pytest.raises(InputError, match="method must be one of"):
        CommunityParams(method="walktrap")


@pytest.mark.parametrize("method", ["cpm", "infomap"])
def test_niche_labels_are_never_blank_for_the_new_methods(method):
    """Without categories or hashtags every niche is named by its leading authorities; with a
    category on one niche only, the other still gets the authorities' label."""
    g = bundled_follower_sets()
    out = communities(g, method=method)
    s = community_summary(g, out)
    assert (s["niche_label"].str.len() > 0).all()
    assert s["niche_label"].str.startswith("around ").all()
    two = zoo_two_cliques()
    two = two.with_accounts(pd.DataFrame({"category": ["Food"] * 5 + [None] * 5},
                                         index=[f"a{i}" for i in range(5)] + [f"b{i}" for i in range(5)]))
    s = community_summary(two, communities(two, method=method))
    assert s["niche_label"].tolist()[0] == "food (100%)"
    assert s["niche_label"].tolist()[1].startswith("around b")
