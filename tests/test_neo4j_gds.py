"""The ``gds_*`` files of the Cypher library on a live Neo4j with GDS give graphinflu's answers.

* PageRank (``scaler: 'L1Norm'``) equals graphinflu's ``pagerank`` to 1e-6 per account on
  wiki-vote (7,115 accounts, 103,689 follows, 2,927 mutual pairs);
* Leiden on the projection with ``aggregation: 'SINGLE'`` (graphinflu's ``collapse``) reaches a
  modularity within 0.01 of graphinflu's, both measured by graphinflu's ``modularity``;
* filtered node similarity on FOLLOWED_BY equals the overlap table's Jaccard, pair by pair, on
  the twitter follower sets;
* the estimate runs first and a projection too big for the limit is refused with GDS's estimate;
  the GDS version is read, and a procedure the server lacks is named.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphinflu import store as st
from graphinflu.accounts import account_table, store_columns
from graphinflu.errors import GDSMemoryError, GDSNotAvailableError
from graphinflu.loaders import read_edges
from graphinflu.metrics.authority import pagerank
from graphinflu.metrics.communities import communities, modularity
from graphinflu.metrics.overlap import overlap_pairs
from graphinflu.store import gds

pytestmark = pytest.mark.shared_data


def _fresh_push(store, g, metrics=None):
    store.run("CALL gds.graph.list() YIELD graphName CALL gds.graph.drop(graphName) YIELD nodeCount "
              "RETURN count(*) AS n", write=True)
    _delete_all(store)
    st.push(store, g, metrics=metrics)


def _delete_all(store):
    while int(store.run("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n", write=True)
              .iloc[0, 0]):
        pass


@pytest.fixture(scope="module")
def wiki(shared, neo4j_session_store):
    g = read_edges(shared / "wiki-vote" / "wiki-Vote.txt.gz")
    _fresh_push(neo4j_session_store, g)
    st.run_query(neo4j_session_store, "gds_project", {"graph": "wiki"})
    yield g
    st.run_query(neo4j_session_store, "gds_drop", {"graph": "wiki"})


def _property(store, name) -> pd.Series:
    df = store.run(f"MATCH (a:Account) RETURN a.id AS id, a.{name} AS v")
    return df.set_index("id")["v"]


def test_projection_collapses_mutual_follows(neo4j_store, wiki):
    g = wiki
    rows = neo4j_store.run("CALL gds.graph.list('wiki') YIELD nodeCount, relationshipCount "
                           "RETURN nodeCount, relationshipCount").iloc[0]
    src, dst, _ = g.edge_arrays("follows")
    pairs = {(min(a, b), max(a, b)) for a, b in zip(src.tolist(), dst.tolist())}
    assert g.n_edges == 103_689 and len(pairs) == g.n_edges - 2_927  # wiki-vote's mutual votes
    # FOLLOWS + FOLLOWED_BY: one each per follow; FOLLOWS_UNDIRECTED: both directions of each pair, once
    assert rows["nodeCount"] == g.n_accounts
    assert rows["relationshipCount"] == 2 * g.n_edges + 2 * len(pairs)


def test_gds_pagerank_equals_graphinflu_on_wiki_vote(neo4j_store, wiki):
    out = st.run_query(neo4j_store, "gds_pagerank_write", {"graph": "wiki"}).iloc[0]
    assert out["didConverge"]
    got = _property(neo4j_store, "gds_pagerank").reindex(wiki.ids).astype(float)
    ref = pagerank(wiki)["pagerank"]
    assert got.sum() == pytest.approx(1.0, abs=1e-9)
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=1e-6)
    assert np.abs(got.to_numpy() - ref.to_numpy()).max() < 1e-6


def test_gds_leiden_modularity_within_001_of_graphinflu(neo4j_store, wiki):
    out = st.run_query(neo4j_store, "gds_leiden_write", {"graph": "wiki"}).iloc[0]
    got = _property(neo4j_store, "gds_community").reindex(wiki.ids)
    q_gds = modularity(wiki, got)
    q_ours = modularity(wiki, communities(wiki))
    assert q_gds == pytest.approx(float(out["modularity"]), abs=1e-6)  # GDS measures the same Q
    assert abs(q_gds - q_ours) < 0.01, (q_gds, q_ours)


def test_projection_refused_above_the_limit_with_the_estimate(neo4j_store, wiki):
    with pytest.raises(GDSMemoryError, match=r"gds_project would need \[?[\d.]+ \w*B.* of heap \(GDS estimate.*7,115 nodes.*more than the 1,000 bytes"):
        st.run_query(neo4j_store, "gds_project", {"graph": "too_big"}, max_bytes=1000)
    listed = neo4j_store.run("CALL gds.graph.list() YIELD graphName RETURN graphName")["graphName"].tolist()
    assert "too_big" not in listed


def test_gds_version_and_missing_procedures_are_named(neo4j_store):
    info = gds.gds_info(neo4j_store)
    assert info["gds_version"].startswith("2.") and info["neo4j_version"].startswith("5.")
    assert info["heap_free"] and info["heap_free"] > 0
    gds.check_procedures(neo4j_store, ["gds.pageRank.write", "gds.leiden.write"])
    with pytest.raises(GDSNotAvailableError, match=rf"GDS {info['gds_version']} .* lacks gds\.pageRank\.wrte"):
        gds.check_procedures(neo4j_store, ["gds.pageRank.write", "gds.pageRank.wrte"])


@pytest.fixture(scope="module")
def follower_sets_gds(shared, neo4j_session_store, wiki):  # after the wiki-vote tests
    g = read_edges(shared / "twitter-follower-sets" / "follower_sets.tsv.gz")
    metrics = store_columns(account_table(g).accounts)
    _fresh_push(neo4j_session_store, g, metrics)
    st.run_query(neo4j_session_store, "gds_project", {"graph": "sets"})
    yield g, metrics
    st.run_query(neo4j_session_store, "gds_drop", {"graph": "sets"})


def test_gds_node_similarity_equals_overlap_jaccard(neo4j_store, follower_sets_gds):
    g, metrics = follower_sets_gds
    micro = metrics.index[metrics["tier"] == "micro"].tolist()
    assert len(micro) > 20
    est = st.run_query(neo4j_store, "gds_similarity_estimate", {"graph": "sets", "top_k": len(micro), "cutoff": 1e-12})
    assert int(est["bytesMax"].iloc[0]) > 0
    out = st.run_query(neo4j_store, "gds_similarity_write",
                       {"graph": "sets", "tier": "micro", "top_k": len(micro), "cutoff": 1e-12}).iloc[0]
    got = neo4j_store.run("MATCH (a:Account)-[r:SIMILAR_AUDIENCE]->(b:Account) "
                          "RETURN a.id AS a, b.id AS b, r.jaccard AS jaccard")
    ref = overlap_pairs(g, micro)
    ref = pd.concat([ref[["creator_a", "creator_b", "jaccard"]].set_axis(["a", "b", "jaccard"], axis=1),
                     ref[["creator_b", "creator_a", "jaccard"]].set_axis(["a", "b", "jaccard"], axis=1)])
    assert int(out["relationshipsWritten"]) == len(ref) == len(got)
    m = got.merge(ref.astype({"a": str, "b": str}), on=["a", "b"], suffixes=("", "_ref"))
    assert len(m) == len(ref)
    np.testing.assert_allclose(m["jaccard"], m["jaccard_ref"], rtol=1e-12)
