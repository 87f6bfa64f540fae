"""The target score, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from graphinflu.metrics.targets import targets


def frame(**cols) -> pd.DataFrame:
    return pd.DataFrame(cols, index=pd.Index(list("abcdef")[: len(next(iter(cols.values())))], name="id"))


def test_niche_authority_is_a_percentile_among_peers_with_an_audience():
    m = frame(
        pagerank=[0.40, 0.20, 0.10, 0.01, 0.25, 0.04],
        community=[0, 0, 0, 0, 1, 1],
        indegree=[5, 3, 1, 0, 2, 1],
        tier=["micro"] * 6,
    )
    t = targets(m)
    # community 0 peers with followers: a, b, c -> percentiles 1, 2/3, 1/3; d has no followers -> 0
    assert t.loc["a", "niche_authority"] == pytest.approx(1.0)
    assert t.loc["b", "niche_authority"] == pytest.approx(2 / 3)
    assert t.loc["c", "niche_authority"] == pytest.approx(1 / 3)
    assert t.loc["d", "niche_authority"] == 0.0
    # community 1: e, f -> 1, 1/2
    assert t.loc["f", "niche_authority"] == pytest.approx(0.5)
    # authority only: score == niche_authority, best first, ties by id
    assert np.allclose(t["score"], t["niche_authority"])
    assert list(t.index) == ["a", "e", "b", "f", "c", "d"]
    assert list(t["rank"]) == [1, 2, 3, 4, 5, 6]


def test_components_combine_with_renormalised_weights():
    m = frame(
        pagerank=[0.3, 0.2, 0.5],
        community=[0, 0, 0],
        indegree=[1, 1, 1],
        tier=["micro", "micro", "mid"],
        engagement_percentile=[50.0, 100.0, 10.0],
        audience_match=[0.1, 0.3, 0.2],
    )
    t = targets(m)
    assert list(t.index) == ["b", "a"]  # the mid-tier account is left out
    # a: authority pct 2/3, engagement 0.5, match pct 1/3 -> (0.5*2/3 + 0.3*0.5 + 0.2/3) / 1.0
    assert t.loc["a", "score"] == pytest.approx(0.5 * 2 / 3 + 0.3 * 0.5 + 0.2 / 3)
    # b: authority 1/3, engagement 1.0, match 1.0
    assert t.loc["b", "score"] == pytest.approx(0.5 / 3 + 0.3 + 0.2)
    # without a match column the remaining weights renormalise over 0.8
    t2 = targets(m.drop(columns="audience_match"), tier=None)
    assert t2.loc["a", "score"] == pytest.approx((0.5 * 2 / 3 + 0.3 * 0.5) / 0.8)


def test_custom_weights_and_every_input_column_kept():
    m = frame(pagerank=[0.3, 0.7], community=[0, 0], indegree=[1, 1], tier=["micro", "micro"],
              engagement_percentile=[90.0, 10.0])
    t = targets(m, weights={"niche_authority": 0.0, "engagement": 1.0})
    assert list(t.index) == ["a", "b"]
    assert {"pagerank", "community", "indegree", "tier", "engagement_percentile"} <= set(t.columns)


def test_excluded_accounts_are_scored_as_peers_but_never_listed():
    """The brand's own accounts are not creators to propose: excluding them removes their rows and
    leaves every other score as it was (they still count as niche peers)."""
    m = pd.DataFrame({"pagerank": [0.5, 0.3, 0.2, 0.1], "community": [0, 0, 0, 1], "indegree": [3, 2, 1, 1],
                      "tier": ["micro"] * 4}, index=pd.Index(["a", "b", "c", "d"], name="id"))
    full = targets(m)
    without = targets(m, exclude=["a"])
    assert "a" not in without.index and len(without) == 3
    assert without["score"].to_dict() == full.drop(index="a")["score"].to_dict()
    assert without["rank"].tolist() == [1, 2, 3]


def test_analyze_never_proposes_the_brand(tmp_path):
    from click.testing import CliRunner

    from graphinflu.cli import cli

    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"f{i},c{i % 4}\nf{i},c{(i + 1) % 4}\n" for i in range(40)))
    res = CliRunner().invoke(cli, ["analyze", str(edges), "--brand", "c1", "--tier", "nano", "-o",
                                   str(tmp_path / "o"), "--no-map", "-q"])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(tmp_path / "o" / "targets.csv", dtype={"id": str})
    assert "c1" not in set(t["id"]) and {"c0", "c2", "c3"} <= set(t["id"])


def test_brand_affinity_carries_the_most_weight_when_given():
    """Hand-checked: with an affinity column the score is 0.5·affinity + 0.3·niche authority
    (+ 0.2·engagement when present), each a percentile; a weaker authority with the brand's
    audience beats a stronger one without it."""
    m = pd.DataFrame({"pagerank": [0.4, 0.3, 0.2, 0.1], "community": [0, 0, 0, 0], "indegree": [5, 4, 3, 2],
                      "tier": ["micro"] * 4, "affinity": [0.01, 0.02, 0.30, 0.20], "affinity_lift": [0.1, 0.2, 3, 2]},
                     index=pd.Index(["a", "b", "c", "d"], name="id"))
    t = targets(m)
    # niche authority percentiles: a 1.0, b 0.75, c 0.5, d 0.25; affinity percentiles: c 1, d .75, b .5, a .25
    expected = {"a": (0.5 * 0.25 + 0.3 * 1.0) / 0.8, "b": (0.5 * 0.5 + 0.3 * 0.75) / 0.8,
                "c": (0.5 * 1.0 + 0.3 * 0.5) / 0.8, "d": (0.5 * 0.75 + 0.3 * 0.25) / 0.8}
    assert t["score"].round(12).to_dict() == {k: round(v, 12) for k, v in expected.items()}
    assert list(t.index) == ["c", "b", "d", "a"]  # 0.8125, 0.59375, 0.5625, 0.53125
    assert t.loc["c", "why"] == "top 50% authority in niche 0; 30% of its audience is in the brand's audience (lift 3.0×)"
    # without affinity the old weights apply and authority leads
    assert list(targets(m.drop(columns=["affinity", "affinity_lift"])).index) == ["a", "b", "c", "d"]
