"""Choosing accounts (graphinflu.selection): the grouping, filtering and ranking the CLI delegates,
checked on the hand-worked zoo graph of tests/conftest.py."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import zoo_followers

from graphinflu.cli import cli
from graphinflu.errors import InputError, UnknownAccountError
from graphinflu.metrics.authority import pagerank
from graphinflu.metrics.communities import communities
from graphinflu.params import CommunityParams
from graphinflu.selection import (creators_by_group, lookalike_filters, parse_tier_costs, ranking,
                                  shortlist_candidates)


def in_account_order(g, ids):
    return [i for i in g.ids if i in set(ids)]


def test_shortlist_candidates_by_tier():
    """zoo_followers: c1 has 12,000 profile followers (micro); every other account is nano by
    in-degree; of those, c2 (3), f1 (1) and f2 (1) have followers, f3, f4 and z none."""
    g = zoo_followers()
    cand, tiers = shortlist_candidates(g, tier="nano")
    assert cand == in_account_order(g, ["c2", "f1", "f2"])
    assert tiers["c1"] == "micro" and tiers["z"] == "nano"
    cand, _ = shortlist_candidates(g, candidates=["c1", "c2", "f1", "f4"], tier="nano")
    assert cand == in_account_order(g, ["c2", "f1"])  # f4 is nano but has no follower
    with pytest.raises(InputError, match="no candidate in tier 'mega'"):
        shortlist_candidates(g, tier="mega")
    with pytest.raises(UnknownAccountError):
        shortlist_candidates(g, candidates=["nobody"], tier="nano")
    with pytest.raises(InputError, match="not both"):
        shortlist_candidates(g, candidates=["c1"], top_candidates=2)


def test_shortlist_candidates_top_and_tiers_only_when_needed():
    g = zoo_followers()
    cand, tiers = shortlist_candidates(g, top_candidates=2)
    assert cand == ["c1", "c2"] and tiers is None  # in-degree 4 and 3
    _, tiers = shortlist_candidates(g, need_tiers=True)
    assert tiers is not None and len(tiers) == g.n_accounts


def test_shortlist_by_tier_from_the_command_line(tmp_path):
    """`shortlist --tier` crashed with a traceback (a read-only array modified in place)."""
    g = zoo_followers()
    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"{a},{b}\n" for a, b in g.edge_table("follows")[["source", "target"]]
                                                 .itertuples(index=False)))
    res = CliRunner().invoke(cli, ["shortlist", str(edges), "--k", "2", "--tier", "nano", "--format", "csv", "-q"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[1].startswith('"c1",1,')  # without profiles c1 is nano too: pick 1, reaching most


def test_creators_by_group_orders_by_followers_and_notes_the_rest():
    g = zoo_followers()
    sel = creators_by_group(g, tier="nano")
    assert sel.ids == ["c2"] + in_account_order(g, ["f1", "f2"])  # 3 followers, then 1 and 1 in account order
    assert sel.notes == ["3 accounts of that tier/niche have no followers in the graph: left out"]
    assert creators_by_group(g, tier="nano", top=1).ids == ["c2"]
    nobody = pd.Series(False, index=g.ids)  # no follower counts as a quality follower
    with pytest.raises(InputError, match="no account of that tier/niche has followers"):
        creators_by_group(g, tier="micro", quality=nobody)


def test_creators_by_group_within_a_niche():
    g = zoo_followers()
    niches = CommunityParams(seed=0)
    comm = communities(g, seed=0)["community"]
    sel = creators_by_group(g, niche=int(comm["c1"]), niches=niches)
    assert set(sel.ids) <= set(comm.index[comm == comm["c1"]])
    assert "c1" in sel.ids


def test_lookalike_filters_same_niche():
    g = zoo_followers()
    filters, notes = lookalike_filters(g, "c2", niche="same", niches=CommunityParams(seed=0))
    expected = int(communities(g, seed=0)["community"]["c2"])
    assert filters["niche"] == expected and notes == [f"c2 is in niche {expected}"]
    assert filters["tiers"] is None and filters["communities"] is not None
    filters, notes = lookalike_filters(g, "c2", tier="nano")
    assert filters["tiers"]["c1"] == "micro" and notes == []
    with pytest.raises(InputError, match="community id or 'same'"):
        lookalike_filters(g, "c2", niche="sports")


@pytest.mark.parametrize("text,message", [("nano", "TIER=COST"), ("nano=abc", "not a number"),
                                          ("nano=-1", "at least 0"), ("nano=inf", "finite")])
def test_parse_tier_costs_refuses(text, message):
    with pytest.raises(InputError, match=message):
        parse_tier_costs(text)


def test_ranking_is_pagerank_sorted_with_ranks_and_handles():
    g = zoo_followers()
    table = ranking(g, "pagerank")
    ref = pagerank(g)["pagerank"].sort_values(ascending=False, kind="stable")
    assert list(table.index) == list(ref.index)
    assert table["rank"].tolist() == list(range(1, g.n_accounts + 1))
    assert (table["handle"] == g.accounts["handle"].reindex(table.index)).all()
    assert list(ranking(g, "pagerank", top=2).index) == list(ref.index[:2])
    with pytest.raises(InputError, match="needs --seeds"):
        ranking(g, "ppr")
    with pytest.raises(InputError, match="unknown ranking"):
        ranking(g, "magic")
