"""Authority metrics: hand-checked zoo graphs, NetworkX / igraph parity, and real datasets."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.stats

from graphinflu import Graph, InputError, UnknownAccountError
from graphinflu.loaders import read_edges, read_interactions
from conftest import (
    follows,
    typed,
    zoo_cha,
    zoo_cycle,
    zoo_dangling_pair,
    zoo_empty,
    zoo_followers,
    zoo_self_loop,
    zoo_single,
    zoo_star,
    zoo_two_components,
)
from graphinflu.metrics.authority import (
    DEFAULT_INTERACTION_KINDS,
    RANKERS,
    ConvergenceError,
    authority_scores,
    cha_agreement,
    cha_signals,
    hits,
    indegree,
    interaction_pagerank,
    pagerank,
    personalized_pagerank,
    ranker_options,
)

D = 0.85
ENGINES = ["scipy", "igraph", "networkx"]


# ----------------------------------------------------------------------------------- the zoo (conftest.py)


ZOO_PR = {
    "dangling_pair": (zoo_dangling_pair, {"a": 20 / 57, "b": 37 / 57}),
    "star": (zoo_star, {"a": 20 / 131, "b": 20 / 131, "d": 20 / 131, "c": 71 / 131}),
    "cycle": (zoo_cycle, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}),
    "two_components": (zoo_two_components, {"a": 10 / 57, "b": 37 / 114, "c": 10 / 57, "d": 37 / 114}),
    "self_loop": (zoo_self_loop, {"a": 20 / 57, "b": 37 / 57}),
    "single": (zoo_single, {"solo": 1.0}),
}


# ----------------------------------------------------------------------------------- PageRank
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", list(ZOO_PR))
def test_pagerank_hand_checked(name, engine):
    make, expected = ZOO_PR[name]
    g = make()
    pr = pagerank(g, engine=engine)
    assert list(pr.columns) == ["pagerank"]
    assert pr.index.name == "id"
    assert pr.index.equals(g.ids)
    got = pr["pagerank"].to_dict()
    assert got.keys() == expected.keys()
    for k, v in expected.items():
        assert got[k] == pytest.approx(v, abs=1e-9), k


def test_pagerank_empty_graph():
    pr = pagerank(zoo_empty())
    assert pr.empty and list(pr.columns) == ["pagerank"]


def test_self_loop_is_reported():
    assert any("self-loop" in line for line in zoo_self_loop().report.lines())


@pytest.mark.parametrize("engine", ENGINES)
def test_pagerank_damping_zero_is_uniform(engine):
    pr = pagerank(zoo_star(), damping=0.0, engine=engine)["pagerank"]
    assert np.allclose(pr, 0.25)


def test_pagerank_weighted_matches_networkx():
    g = zoo_followers()
    kinds = ("mentions", "reposts", "replies", "likes")
    e = g.edge_table(kinds)
    G = nx.DiGraph()
    G.add_nodes_from(g.ids)
    for (s, t), w in e.groupby(["source", "target"])["weight"].sum().items():
        G.add_edge(s, t, weight=w)
    ref = nx.pagerank(G, alpha=D, tol=1e-14, max_iter=10_000)
    for engine in ENGINES:
        got = pagerank(g, kinds=kinds, weighted=True, engine=engine, tol=1e-13)["pagerank"]
        assert np.allclose(got.to_numpy(), [ref[i] for i in g.ids], atol=1e-9), engine
    # weights matter: a splits its rank 9 : 1 when weighted, 1 : 1 when not
    g2 = typed([("a", "b", "mentions", 9), ("a", "c", "mentions", 1)])
    w = pagerank(g2, kinds="mentions", weighted=True)["pagerank"]
    u = pagerank(g2, kinds="mentions", weighted=False)["pagerank"]
    assert u["b"] == pytest.approx(u["c"])
    assert w["b"] - w["a"] == pytest.approx(9 * (w["c"] - w["a"]))  # in-flow beyond the base share


@pytest.mark.parametrize("engine", ENGINES)
def test_pagerank_personalization_dangling_goes_to_p(engine):
    """Dangling rank follows the personalization vector, as in NetworkX."""
    g = zoo_followers()
    pers = {"f1": 2.0, "c2": 1.0}
    ref = nx.pagerank(g.to_networkx(), alpha=D, personalization=pers, weight=None, tol=1e-14, max_iter=10_000)
    got = pagerank(g, personalization=pers, engine=engine, tol=1e-13)["pagerank"]
    assert np.allclose(got.to_numpy(), [ref[i] for i in g.ids], atol=1e-9)


def test_pagerank_bad_options():
    g = zoo_star()
    with pytest.raises(InputError, match="damping"):
        pagerank(g, damping=1.0)
    with pytest.raises(InputError, match="engine"):
        pagerank(g, engine="gpu")
    with pytest.raises(InputError, match="tol"):
        pagerank(g, tol=0)
    with pytest.raises(InputError, match="kind"):
        pagerank(g, kinds="pokes")
    with pytest.raises(InputError, match="sum to 0"):
        pagerank(g, personalization={"a": 0.0})
    with pytest.raises(InputError, match=">= 0"):
        pagerank(g, personalization={"a": -1.0, "b": 2.0})


def test_pagerank_convergence_error():
    with pytest.raises(ConvergenceError, match="max_iter=1"):
        pagerank(zoo_star(), max_iter=1)


# ----------------------------------------------------------------------------------- PPR
@pytest.mark.parametrize("engine", ENGINES)
def test_ppr_chain_hand_checked(engine):
    """a → b → c, seed a: c is dangling and restarts at a, so x_a = .15 + .85·x_c, x_b = .85·x_a,
    x_c = .85·x_b ⇒ x_a = .15 / (1 − .85³)."""
    g = follows("a>b", "b>c")
    ppr = personalized_pagerank(g, ["a"], engine=engine)
    assert list(ppr.columns) == ["ppr"]
    xa = 0.15 / (1 - D**3)
    assert ppr["ppr"].to_numpy() == pytest.approx([xa, D * xa, D * D * xa], abs=1e-9)
    assert ppr["ppr"].sum() == pytest.approx(1.0)


def test_ppr_seeds_by_handle_and_weights():
    g = zoo_star().with_accounts(pd.DataFrame({"handle": ["@alpha", "@beta"]}, index=["a", "b"]))
    by_id = personalized_pagerank(g, ["a", "b"])
    by_handle = personalized_pagerank(g, ["@alpha", "@beta"])
    pd.testing.assert_frame_equal(by_id, by_handle)
    single = personalized_pagerank(g, "a")
    # a → c, c dangling restarts at a: x_a = .15 + .85·x_c, x_c = .85·x_a; b and d are never reached
    assert single.loc["a", "ppr"] == pytest.approx(0.15 / (1 - D * D))
    assert single.loc["c", "ppr"] == pytest.approx(D * single.loc["a", "ppr"])
    assert single.loc["b", "ppr"] == 0 and single.loc["d", "ppr"] == 0
    weighted = personalized_pagerank(g, {"a": 3, "b": 1})
    ref = nx.pagerank(g.to_networkx(), personalization={"a": 3, "b": 1}, tol=1e-14, max_iter=10_000)
    assert np.allclose(weighted["ppr"].to_numpy(), [ref[i] for i in g.ids], atol=1e-9)


def test_ppr_unknown_seeds_listed():
    g = zoo_star()
    with pytest.raises(UnknownAccountError) as info:
        personalized_pagerank(g, ["a", "nobody", "ghost"])
    assert info.value.missing == ["nobody", "ghost"]
    assert "nobody" in str(info.value) and "ghost" in str(info.value)
    with pytest.raises(InputError, match="empty"):
        personalized_pagerank(g, [])


# ----------------------------------------------------------------------------------- HITS
@pytest.mark.parametrize("engine", ENGINES)
def test_hits_golden_ratio(engine):
    """Hubs a, b; authorities c, d; a → c, a → d, b → c. AᵀA = [[2, 1], [1, 1]], top eigenvector
    (1, φ − 1): authorities c = 1/φ ≈ .618, d = 1/φ² ≈ .382 (sum-normalised); hubs h = A a the same."""
    g = follows("a>c", "a>d", "b>c")
    h = hits(g, engine=engine)
    phi = (1 + 5**0.5) / 2
    assert h.loc["c", "authority"] == pytest.approx(1 / phi, abs=1e-8)
    assert h.loc["d", "authority"] == pytest.approx(1 / phi**2, abs=1e-8)
    assert h.loc["a", "hub"] == pytest.approx(1 / phi, abs=1e-8)
    assert h.loc["b", "hub"] == pytest.approx(1 / phi**2, abs=1e-8)
    assert h.loc[["a", "b"], "authority"].abs().max() < 1e-12
    assert h.loc[["c", "d"], "hub"].abs().max() < 1e-12
    assert (h >= 0).all().all()


def test_hits_matches_networkx_on_zoo():
    g = zoo_followers()
    ref_h, ref_a = nx.hits(g.to_networkx(), max_iter=10_000, tol=1e-14)
    got = hits(g, tol=1e-14, max_iter=10_000)
    assert np.allclose(got["hub"].to_numpy(), [ref_h[i] for i in g.ids], atol=1e-9)
    assert np.allclose(got["authority"].to_numpy(), [ref_a[i] for i in g.ids], atol=1e-9)


@pytest.mark.parametrize("engine", ["scipy", "networkx"])
def test_hits_with_a_repeated_top_singular_value_is_networkx_and_repeats(engine):
    """A 3-cycle (AᵀA = I) and two components a → b, c → d (AᵀA = diag(0, 1, 0, 1)): the top
    singular vector is not unique. Power iteration from the uniform start (NetworkX) stays uniform
    on the cycle (1/3 each) and splits evenly between the components (b = d = 1/2, hubs a = c = 1/2);
    ARPACK alone restarted from random vectors here and gave another answer on every call."""
    cycle = [hits(zoo_cycle(), engine=engine) for _ in range(3)]
    for h in cycle:
        assert h.to_numpy() == pytest.approx(np.full((3, 2), 1 / 3), abs=1e-9)
    two = [hits(zoo_two_components(), engine=engine) for _ in range(3)]
    for h in two:
        assert h["authority"].to_dict() == pytest.approx({"a": 0, "b": 0.5, "c": 0, "d": 0.5}, abs=1e-9)
        assert h["hub"].to_dict() == pytest.approx({"a": 0.5, "b": 0, "c": 0.5, "d": 0}, abs=1e-9)


def test_hits_without_edges_is_zero():
    for g in (zoo_single(), zoo_empty()):
        h = hits(g)
        assert list(h.columns) == ["hub", "authority"]
        assert (h.to_numpy() == 0).all()


# ----------------------------------------------------------------------------------- degrees
def test_indegree():
    g = zoo_followers()
    d = indegree(g)["indegree"]
    assert d.dtype == np.int64
    assert d.to_dict() == {"f1": 1, "c1": 4, "f2": 1, "f3": 0, "f4": 0, "c2": 3, "z": 0}
    w = indegree(g, ["reposts", "mentions"], weighted=True)["indegree"]
    assert w["c1"] == 4.0 and w["c2"] == 5.0 and w.sum() == 9.0


# ----------------------------------------------------------------------------------- interactions
def test_interaction_pagerank_matches_networkx():
    g = zoo_followers()
    raw = g.edge_table(DEFAULT_INTERACTION_KINDS)
    G = nx.DiGraph()
    G.add_nodes_from(g.ids)
    for s, t, w in raw[["source", "target", "weight"]].itertuples(index=False):
        G.add_edge(s, t, weight=G.get_edge_data(s, t, {"weight": 0})["weight"] + w)
    ref = nx.pagerank(G, tol=1e-14, max_iter=10_000)
    got = interaction_pagerank(g, tol=1e-13)
    assert list(got.columns) == ["interaction_pagerank"]
    assert np.allclose(got["interaction_pagerank"].to_numpy(), [ref[i] for i in g.ids], atol=1e-9)
    assert got["interaction_pagerank"].idxmax() == "c1"


def test_interaction_pagerank_excludes_sponsors_by_default():
    g = typed([("a", "b", "mentions", 1), ("a", "brand", "sponsors", 10)])
    default = interaction_pagerank(g)["interaction_pagerank"]
    # brand gets what every account gets from teleports and dangling rank, no more: the same as a
    assert default["brand"] == pytest.approx(default["a"], abs=1e-12)
    assert default["b"] > default["brand"]
    with_sponsors = interaction_pagerank(g, kinds=["mentions", "sponsors"])["interaction_pagerank"]
    assert with_sponsors["brand"] > default["brand"]


def test_interaction_pagerank_needs_interactions():
    with pytest.raises(InputError, match="needs interaction edges") as info:
        interaction_pagerank(zoo_star())
    assert "read_interactions" in str(info.value)
    with pytest.raises(InputError, match="interaction"):
        interaction_pagerank(zoo_followers(), kinds="comments")


# ----------------------------------------------------------------------------------- Cha et al.
def test_cha_signals_hand_checked():
    s = cha_signals(zoo_cha())
    assert list(s.columns) == ["reach", "reach_source", "amplification", "conversation",
                               "reach_rank", "amplification_rank", "conversation_rank"]
    s = s.sort_index()
    assert s["reach"].to_dict() == {"m": 20, "p": 900_000, "q": 2, "r": 150, "x": 0, "y": 0}
    assert s["reach_source"].astype(str).to_dict() == {
        "m": "profile", "p": "profile", "q": "follow_indegree", "r": "profile", "x": "profile", "y": "follow_indegree"}
    assert s["amplification"].to_dict() == {"m": 1.0, "p": 0.0, "q": 0.0, "r": 7.0, "x": 0.0, "y": 0.0}
    assert s["conversation"].to_dict() == {"m": 6.0, "p": 0.0, "q": 1.0, "r": 0.0, "x": 0.0, "y": 0.0}
    assert s["reach_rank"].to_dict() == {"p": 1, "r": 2, "m": 3, "q": 4, "x": 5, "y": 5}
    assert s["amplification_rank"].to_dict() == {"r": 1, "m": 2, "p": 3, "q": 3, "x": 3, "y": 3}
    assert s["conversation_rank"].to_dict() == {"m": 1, "q": 2, "p": 3, "r": 3, "x": 3, "y": 3}
    assert not s.isna().any().any()


def test_cha_agreement_hand_checked():
    """Ranks (average, ascending) on cha_graph, accounts in the order m p q r x y:

    reach          4    6    3    5  1.5  1.5   centred: .5 2.5 -.5 1.5 -2 -2   Σ² = 17
    amplification  5  2.5  2.5    6  2.5  2.5   centred: 1.5 -1 -1 2.5 -1 -1   Σ² = 12.5
    conversation   6  2.5    5  2.5  2.5  2.5   centred: 2.5 -1 1.5 -1 -1 -1   Σ² = 12.5

    reach·amp  = .75 − 2.5 + .5 + 3.75 + 2 + 2 = 6.5   → ρ = 6.5 / √(17·12.5)
    reach·conv = 1.25 − 2.5 − .75 − 1.5 + 2 + 2 = .5   → ρ = .5 / √(17·12.5)
    amp·conv   = 3.75 + 1 − 1.5 − 2.5 + 1 + 1 = 2.75   → ρ = 2.75 / 12.5 = .22
    """
    agree = cha_agreement(zoo_cha())
    assert list(agree.columns) == ["signal_a", "signal_b", "spearman", "n_accounts"]
    assert list(zip(agree.signal_a, agree.signal_b)) == [
        ("reach", "amplification"), ("reach", "conversation"), ("amplification", "conversation")]
    assert agree["spearman"].to_numpy() == pytest.approx(
        [6.5 / 212.5**0.5, 0.5 / 212.5**0.5, 0.22], abs=1e-12)
    assert (agree["n_accounts"] == 6).all()
    # and scipy agrees
    s = cha_signals(zoo_cha())
    rho = scipy.stats.spearmanr(s[["reach", "amplification", "conversation"]].to_numpy()).statistic
    assert agree["spearman"].to_numpy() == pytest.approx([rho[0, 1], rho[0, 2], rho[1, 2]])


def test_cha_agreement_constant_signal_is_nan():
    agree = cha_agreement(zoo_star())  # no reposts, no mentions
    assert np.isnan(agree["spearman"]).all()


# ----------------------------------------------------------------------------------- combined
def _all_metric_frames(g: Graph):
    yield pagerank(g)
    yield personalized_pagerank(g, [g.ids[0]])
    yield hits(g)
    yield indegree(g)
    yield interaction_pagerank(g)
    yield cha_signals(g)
    yield authority_scores(g, seeds=[g.ids[0]])


def test_contract_index_and_no_nan():
    g = zoo_followers()
    for df in _all_metric_frames(g):
        assert df.index.equals(g.ids) and df.index.name == "id"
        assert not df.isna().any().any(), df.columns.tolist()
    for col in ("pagerank",):
        assert pagerank(g)[col].sum() == pytest.approx(1.0)


def test_authority_scores_columns():
    g = zoo_followers()
    out = authority_scores(g, seeds=["f1"])
    assert list(out.columns) == ["pagerank", "hub", "authority", "indegree", "ppr", "interaction_pagerank",
                                 "reach", "amplification", "conversation"]
    pd.testing.assert_series_equal(out["pagerank"], pagerank(g)["pagerank"])
    pd.testing.assert_series_equal(out["conversation"], cha_signals(g)["conversation"])
    only_follows = authority_scores(zoo_star())
    assert list(only_follows.columns) == ["pagerank", "hub", "authority", "indegree", "reach"]


@pytest.mark.parametrize("name", list(RANKERS))
def test_rankers_return_one_column(name):
    g = zoo_followers()
    opts = {"seeds": ["f1"]} if "seeds" in ranker_options(name) else {}
    out = RANKERS[name](g, **opts)
    assert out.shape == (g.n_accounts, 1)
    assert out.index.equals(g.ids)
    assert not out.isna().any().any()
    assert RANKERS[name].__doc__.strip()


def test_ranker_options_unknown():
    with pytest.raises(InputError, match="unknown ranking"):
        ranker_options("followers-ish")


# ----------------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def wiki(shared):
    g = read_edges(shared / "wiki-vote" / "wiki-Vote.txt.gz")
    return g, g.to_networkx()


@pytest.mark.shared_data
def test_wiki_vote_pagerank_matches_networkx(wiki):
    g, G = wiki
    assert (g.n_accounts, g.n_edges) == (7115, 103689)
    ref = np.array([v for v in map(nx.pagerank(G, tol=1e-12, max_iter=1000).get, g.ids)])
    pr = pagerank(g)["pagerank"].to_numpy()
    assert np.abs(pr - ref).max() < 1e-6
    assert pr.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.abs(pagerank(g, engine="igraph")["pagerank"].to_numpy() - ref).max() < 1e-6
    # the top-100 order agrees with the reference
    assert list(np.argsort(-pr)[:100]) == list(np.argsort(-ref)[:100])


@pytest.mark.shared_data
def test_wiki_vote_personalized_pagerank_matches_networkx(wiki):
    g, G = wiki
    seeds = list(g.ids[[3, 50, 700, 4000]])
    ref = nx.pagerank(G, tol=1e-12, max_iter=1000, personalization=dict.fromkeys(seeds, 1.0))
    got = personalized_pagerank(g, seeds)["ppr"].to_numpy()
    assert np.abs(got - [ref[i] for i in g.ids]).max() < 1e-6
    assert np.abs(personalized_pagerank(g, seeds, engine="igraph")["ppr"].to_numpy() - got).max() < 1e-6


@pytest.mark.shared_data
def test_wiki_vote_hits_matches_networkx(wiki):
    g, G = wiki
    ref_h, ref_a = nx.hits(G, max_iter=1000, tol=1e-12)
    got = hits(g)
    assert np.abs(got["hub"].to_numpy() - [ref_h[i] for i in g.ids]).max() < 1e-9
    assert np.abs(got["authority"].to_numpy() - [ref_a[i] for i in g.ids]).max() < 1e-9
    ig = hits(g, engine="igraph")
    assert np.abs(ig["authority"].to_numpy() - got["authority"].to_numpy()).max() < 1e-8


@pytest.mark.shared_data
def test_higgs_mentions_interaction_pagerank(shared):
    g = read_interactions(shared / "higgs-twitter-mention" / "higgs-mention_network.edgelist.gz", kind="mentions")
    got = interaction_pagerank(g)["interaction_pagerank"]
    assert got.sum() == pytest.approx(1.0, abs=1e-12)
    ref = nx.pagerank(g.to_networkx("mentions"), tol=1e-12, max_iter=1000, weight="weight")
    assert np.abs(got.to_numpy() - [ref[i] for i in g.ids]).max() < 1e-6
    conv = cha_signals(g)["conversation"]
    assert conv.sum() == pytest.approx(g.edges["weight"].sum())
