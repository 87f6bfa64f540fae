"""Every question of the Cypher library on the live Neo4j, on the real twitter follower sets
(bundled: 100 follower sets, 28,559 accounts, 100,600 follows), against graphinflu's in-memory
answers: the same checks tests/test_store.py runs on the embedded FalkorDB (overlap counts
exactly, union reach, lookalikes, top micro-influencers, niche summaries), plus every read file
run with the parameters its header documents, the counts, the pull, and an idempotent re-push.
The gds_* files are checked in test_neo4j_gds.py, the load_/write_ examples in test_neo4j_live.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import bundled_follower_sets
from test_store import (SETS, check_lookalikes, check_niche_summary, check_overlap_list, check_top_micro,
                        check_union_reach)

from graphinflu import store as st
from graphinflu.accounts import account_table, store_columns
from graphinflu.loaders.neo4j import read_store
from graphinflu.metrics.overlap import overlap_pairs


def delete_all(store) -> None:
    """Empty the database in batches (a single DETACH DELETE of 100k relationships is one big transaction)."""
    store.run("CALL gds.graph.list() YIELD graphName CALL gds.graph.drop(graphName) YIELD nodeCount "
              "RETURN count(*) AS n", write=True) if store.has_gds else None
    while int(store.run("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n", write=True).iloc[0, 0]):
        pass


@pytest.fixture(scope="module")
def sets(neo4j_session_store):
    g = bundled_follower_sets()
    metrics = store_columns(account_table(g).accounts)
    pairs = overlap_pairs(g, SETS)
    delete_all(neo4j_session_store)
    st.push(neo4j_session_store, g, metrics=metrics, overlap=pairs)
    return g, metrics, pairs


def test_overlap_counts_exactly(neo4j_store, sets):
    check_overlap_list(neo4j_store, sets[0])


@pytest.mark.parametrize("pick", [slice(0, 2), slice(0, 10), slice(40, 65), slice(0, 100)])
def test_union_reach(neo4j_store, sets, pick):
    check_union_reach(neo4j_store, sets[0], pick)


@pytest.mark.parametrize("creator", ["Set 1", "Set 57", "Set 100"])
def test_lookalikes(neo4j_store, sets, creator):
    check_lookalikes(neo4j_store, sets[0], creator)


def test_top_micro_influencers(neo4j_store, sets):
    check_top_micro(neo4j_store, sets[1])


def test_niche_summary(neo4j_store, sets):
    check_niche_summary(neo4j_store, sets[0], sets[1])


def test_graph_counts(neo4j_store, sets):
    g, _, pairs = sets
    got = st.run_query(neo4j_store, "graph_counts")
    assert set(got["accounts"]) == {g.n_accounts}
    assert dict(zip(got["type"], got["relationships"])) == {"FOLLOWS": g.n_edges, "SHARES_AUDIENCE": len(pairs)}


def test_every_read_file_runs_with_its_documented_parameters(neo4j_store, sets):
    """The header's `:param` values are what a Browser user pastes: each read file runs with them
    and returns the columns its header promises (the answers are checked above)."""
    ran = []
    for q in st.catalog().values():
        if q.kind != "read":
            continue
        got = st.run_query(neo4j_store, q.name)
        returns = q.text.split("RETURN")[-1]
        for col in got.columns:
            assert col in returns, (q.name, col)
        ran.append((q.name, len(got)))
    rows = dict(ran)
    assert set(rows) >= {"audience_overlap_list", "audience_overlap_pair", "union_reach", "lookalikes",
                         "top_micro_influencers", "niche_summary", "graph_counts", "pull_accounts",
                         "pull_relationships"}
    assert rows["audience_overlap_list"] == 3 and rows["audience_overlap_pair"] == 1  # Set 1..3: every pair overlaps
    assert rows["lookalikes"] == 20 and rows["top_micro_influencers"] == 25
    assert rows["pull_accounts"] == sets[0].n_accounts and rows["pull_relationships"] == sets[0].n_edges


def test_pull_reads_back_what_was_pushed(neo4j_store, sets):
    g, metrics, _ = sets
    back = read_store(neo4j_store, kinds="follows")
    e = back.edge_table()[["source", "target"]].sort_values(["source", "target"]).reset_index(drop=True)
    ref = g.edge_table()[["source", "target"]].sort_values(["source", "target"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(e, ref)
    acc = back.accounts.reindex(g.ids)
    np.testing.assert_array_equal(acc["pagerank"].to_numpy(float), metrics["pagerank"].reindex(g.ids).to_numpy(float))
    assert acc["tier"].tolist() == metrics["tier"].reindex(g.ids).astype(str).tolist()


def test_push_again_changes_nothing(neo4j_store, sets):
    g, metrics, pairs = sets
    before = neo4j_store.counts()
    r = st.push(neo4j_store, g, metrics=metrics, overlap=pairs)
    assert not r.counts.changed, r.counts
    assert neo4j_store.counts() == before


def test_graph_counts_come_from_the_count_store(neo4j_store, sets):
    q = st.get_query("graph_counts").statement
    with neo4j_store.driver.session() as s:
        plan = s.run("EXPLAIN " + q).consume().plan

    def ops(p):
        return [p["operatorType"].split("@")[0]] + [o for c in p.get("children", []) for o in ops(c)]

    used = ops(plan)
    assert "NodeCountFromCountStore" in used and used.count("RelationshipCountFromCountStore") == 10
    assert not any("Scan" in o or "Expand" in o for o in used), used


def test_top_creators_by_pagerank_in_a_niche(neo4j_store, sets):
    _, metrics, _ = sets
    for community in (0, 3):
        d = metrics[metrics["community"] == community]
        ref = d.rename_axis(None).assign(key=d.index).sort_values(["pagerank", "key"], ascending=[False, True])
        got = st.run_query(neo4j_store, "top_creators_by_pagerank", {"community": community, "limit": 10})
        assert got["id"].tolist() == ref.index[:10].tolist()
        np.testing.assert_allclose(got["pagerank"].to_numpy(float), ref["pagerank"].to_numpy(float)[:10], rtol=1e-14)


def test_browser_guide_blocks_run_as_written(neo4j_store, sets):
    """Every slide of the generated guide: its :params command, read as Browser reads it, and its
    query give what `graphinflu neo4j query NAME` gives with the documented defaults."""
    from graphinflu.store.guide import GUIDE_QUESTIONS, browser_guide, guide_blocks

    text = browser_guide()
    assert text.startswith('<article class="guide">') and text.count("<slide") == len(GUIDE_QUESTIONS) + 1
    blocks = guide_blocks(text)
    assert len(blocks) == len(GUIDE_QUESTIONS)
    for name, (cmd, query) in zip(GUIDE_QUESTIONS, blocks):
        q = st.get_query(name)
        assert query == q.statement
        params = st.parse_cypher_literal(cmd[len(":params "):]) if cmd else {}
        assert params == q.params
        got = neo4j_store.run(query, params)
        pd.testing.assert_frame_equal(got, st.run_query(neo4j_store, name), check_dtype=False)
    assert "top creators of a niche by PageRank" in text.replace("Who are the", "who are the")
