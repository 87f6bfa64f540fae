"""The canonical graph: building, aggregation, engine views and combining."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from conftest import zoo_tiny
from graphinflu import Graph, InputError, UnknownAccountError
from graphinflu.loaders import read_edges


def test_aggregation_and_report():
    g = zoo_tiny()
    assert g.n_accounts == 5
    assert g.n_edges == 5
    assert set(g.edges["weight"]) == {1.0}
    lines = " | ".join(g.report.lines())
    assert "1 self-loops dropped" in lines
    assert "1 duplicate follow rows merged" in lines


def test_views_agree_with_networkx():
    g = zoo_tiny()
    G = g.to_networkx()
    ref = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "c"), ("c", "a"), ("d", "c")])
    ref.add_node("e")
    assert set(G.edges) == set(ref.edges)
    assert set(G.nodes) == set(ref.nodes)
    A = g.adjacency()
    ids = list(g.ids)
    assert A.sum() == 5
    assert A[ids.index("d"), ids.index("c")] == 1
    ig = g.to_igraph()
    assert ig.vcount() == 5 and ig.ecount() == 5
    assert sorted((ids[e.source], ids[e.target]) for e in ig.es) == sorted(ref.edges)
    # cached: the same object comes back
    assert g.to_igraph() is ig and g.adjacency() is A


def test_interactions_sum_weights_and_keep_latest_timestamp():
    df = pd.DataFrame(
        {
            "source": ["a", "a", "a", "b"],
            "target": ["b", "b", "b", "a"],
            "kind": ["mentions", "mentions", "reposts", "mentions"],
            "weight": [1, 2, 5, 1],
            "ts": [10, 30, 20, 5],
        }
    )
    g = Graph.from_pandas(df, kind="kind", weight="weight", timestamp="ts")
    t = g.edge_table().set_index(["source", "target", "kind"])
    assert t.loc[("a", "b", "mentions"), "weight"] == 3
    assert t.loc[("a", "b", "mentions"), "timestamp"] == 30
    assert t.loc[("a", "b", "reposts"), "weight"] == 5
    assert g.adjacency(["mentions", "reposts"], weighted=True)[0, 1] == 8


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(InputError, match="unknown edge kind"):
        Graph.from_pandas(pd.DataFrame({"source": ["a"], "target": ["b"], "k": ["pokes"]}), kind="k")


def test_positions_by_id_or_handle_and_unknown():
    g = zoo_tiny().with_accounts(pd.DataFrame({"handle": ["@alpha"]}, index=["a"]))
    assert list(g.positions(["b", "@alpha"])) == [list(g.ids).index("b"), list(g.ids).index("a")]
    with pytest.raises(UnknownAccountError, match="zz"):
        g.positions(["a", "zz"])


def test_merge_unions_accounts_and_edges():
    g1 = zoo_tiny()
    g2 = Graph.from_pandas(pd.DataFrame({"source": ["x", "a"], "target": ["a", "b"], "kind": ["mentions", "mentions"]}),
                           kind="kind")
    m = g1.merge(g2)
    assert m.n_accounts == 6
    assert m.kinds_present() == ["follows", "mentions"]
    assert (m.edges["kind"] == "follows").sum() == 5
    assert (m.edges["kind"] == "mentions").sum() == 2


def test_with_accounts_adds_profiles_and_new_accounts():
    prof = pd.DataFrame({"followers": [1200, 50]}, index=["c", "zz"])
    g = zoo_tiny().with_accounts(prof)
    assert g.n_accounts == 6
    assert g.accounts.loc["c", "followers"] == 1200
    assert np.isnan(g.accounts.loc["a", "followers"])
    assert g.accounts.loc["zz", "handle"] == "zz"


@pytest.mark.shared_data
def test_wiki_vote_counts_match_provenance(shared):
    g = read_edges(shared / "wiki-vote" / "wiki-Vote.txt.gz")
    assert (g.n_accounts, g.n_edges) == (7115, 103689)
    G = g.to_networkx()
    assert G.number_of_edges() == 103689
