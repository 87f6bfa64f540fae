"""The target score, checked by hand."""

from math import log
from statistics import NormalDist, pstdev

import numpy as np
import pandas as pd
import pytest

from graphinflu.errors import InputError
from graphinflu.metrics.targets import targets


def frame(**cols) -> pd.DataFrame:
    return pd.DataFrame(cols, index=pd.Index(list("abcdef")[: len(next(iter(cols.values())))], name="id"))


def _phi(z: float) -> float:
    return NormalDist().cdf(z)


def test_niche_authority_is_continuous_inside_the_niche():
    """Hand-checked with the standard library: Φ((ln pr − niche median of ln pr) / pooled sd),
    over accounts with followers; mid-rank percentiles (r − ½)/n for the words."""
    m = frame(
        pagerank=[0.40, 0.20, 0.10, 0.01, 0.25, 0.04],
        community=[0, 0, 0, 0, 1, 1],
        indegree=[5, 3, 1, 0, 2, 1],
        tier=["micro"] * 6,
    )
    t = targets(m)
    x = {k: log(v) for k, v in zip("abcef", [0.40, 0.20, 0.10, 0.25, 0.04])}  # d has no followers
    sd = pstdev(x.values())
    med = {0: log(0.20), 1: (log(0.25) + log(0.04)) / 2}
    for k, c in zip("abcef", [0, 0, 0, 1, 1]):
        assert t.loc[k, "niche_authority"] == pytest.approx(_phi((x[k] - med[c]) / sd), abs=1e-12)
    assert t.loc["d", "niche_authority"] == 0.0 and t.loc["d", "niche_percentile"] == 0.0
    assert t.loc["b", "niche_authority"] == pytest.approx(0.5)  # the niche's median account
    # the two niche leaders no longer tie at 1: e is 6.25× its niche-mate, a only 2× its niche's median
    assert 0.5 < t.loc["a", "niche_authority"] < t.loc["e", "niche_authority"] < 1.0
    assert t.loc["a", "niche_percentile"] == pytest.approx(2.5 / 3)
    assert t.loc["c", "niche_percentile"] == pytest.approx(0.5 / 3)
    assert t.loc["e", "niche_percentile"] == pytest.approx(1.5 / 2)
    # authority only: score == niche_authority, best first
    assert np.allclose(t["score"], t["niche_authority"])
    assert list(t.index) == ["e", "a", "b", "c", "f", "d"]
    assert list(t["rank"]) == [1, 2, 3, 4, 5, 6]
    assert t.loc["a", "why"] == "top 17% authority in niche 0"  # ceil(100 · (1 − 2.5/3))
    named = targets(m.assign(niche_label=["around @a, @b, @e"] * 4 + ["fitness (90%)"] * 2))
    assert named.loc["a", "why"] == "top 17% authority in the niche around @a, @b, @e"
    assert named.loc["e", "why"].startswith("top 25% authority in fitness (90%)")


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
    x = [log(0.3), log(0.2), log(0.5)]
    sd = pstdev(x)
    na_a, na_b = _phi((x[0] - x[0]) / sd), _phi((x[1] - x[0]) / sd)  # median ln pr = ln 0.3
    # a: authority na_a, engagement 0.5, match pct 1/3; weights 0.5, 0.3, 0.2 (no quality column)
    assert t.loc["a", "score"] == pytest.approx(0.5 * na_a + 0.3 * 0.5 + 0.2 / 3)
    assert t.loc["b", "score"] == pytest.approx(0.5 * na_b + 0.3 + 0.2)
    assert t.attrs["weights"] == pytest.approx({"niche_authority": 0.5, "engagement": 0.3, "audience_match": 0.2})
    # without a match column the remaining weights renormalise over 0.8
    t2 = targets(m.drop(columns="audience_match"), tier=None)
    assert t2.loc["a", "score"] == pytest.approx((0.5 * na_a + 0.3 * 0.5) / 0.8)


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
    """Hand-checked: with an affinity column brand fit gates the score and authority counts among
    the brand's audience, affinity · (0.5 + 0.3·niche authority·affinity) / 0.8 (+ 0.2·engagement
    when present); a weaker authority with the brand's audience beats a stronger one without it."""
    m = pd.DataFrame({"pagerank": [0.4, 0.3, 0.2, 0.1], "community": [0, 0, 0, 0], "indegree": [5, 4, 3, 2],
                      "tier": ["micro"] * 4, "affinity": [0.01, 0.02, 0.30, 0.20], "affinity_lift": [0.1, 0.2, 3, 2]},
                     index=pd.Index(["a", "b", "c", "d"], name="id"))
    t = targets(m)
    x = [log(v) for v in (0.4, 0.3, 0.2, 0.1)]
    sd, med = pstdev(x), (x[1] + x[2]) / 2
    na = dict(zip("abcd", (_phi((v - med) / sd) for v in x)))
    aff = {"c": 1.0, "d": 0.75, "b": 0.5, "a": 0.25}  # affinity percentiles
    expected = {k: aff[k] * (0.5 + 0.3 * na[k] * aff[k]) / 0.8 for k in "abcd"}
    assert t["score"].to_dict() == pytest.approx(expected, abs=1e-12)
    assert t["brand_authority"].to_dict() == pytest.approx({k: na[k] * aff[k] for k in "abcd"}, abs=1e-12)
    assert list(t.index) == sorted(expected, key=expected.get, reverse=True)
    assert t.index[0] == "c" and t.index[-1] == "a"
    assert t.loc["c", "why"] == "top 63% authority in niche 0; 30% of its audience is in the brand's audience (lift 3.0×)"
    # without affinity the old weights apply and authority leads
    assert list(targets(m.drop(columns=["affinity", "affinity_lift"])).index) == ["a", "b", "c", "d"]


# ----------------------------------------------------------------- weights, filters, quality, budget
def test_weights_override_and_are_normalised_over_present_components():
    m = frame(pagerank=[0.3, 0.2, 0.5], community=[0, 0, 0], indegree=[1, 1, 1], tier=["micro"] * 3,
              engagement_percentile=[50.0, 100.0, 10.0])
    t = targets(m, weights={"engagement": 3.0, "niche_authority": 1.0, "affinity": 5.0})  # no affinity column
    assert t.attrs["weights"] == pytest.approx({"engagement": 0.75, "niche_authority": 0.25})
    assert t["score"].to_dict() == pytest.approx(
        (0.75 * t["engagement_score"] + 0.25 * t["niche_authority"]).to_dict())
    with pytest.raises(InputError, match="none of the weighted score components .affinity. can be computed"):
        targets(m, weights={"affinity": 1.0})  # no brand target: every score would be 0
    with pytest.raises(InputError, match="unknown score component 'reach'"):
        targets(m, weights={"reach": 1.0})
    with pytest.raises(InputError, match="at least one score weight"):
        targets(m, weights={"engagement": 0.0})
    with pytest.raises(InputError, match="finite number"):
        targets(m, weights={"engagement": -1.0})


def test_filters_keep_rows_and_never_change_scores():
    m = frame(pagerank=[0.4, 0.3, 0.2, 0.1, 0.25], community=[0, 0, 1, 1, 2], indegree=[3, 2, 2, 1, 1],
              tier=["micro"] * 5, niche_label=["fitness (90%)", "fitness (90%)", "vegan food", "vegan food", "around @x"],
              category=["fitness", "yoga", "food", pd.NA, "Fitness coach"])
    full = targets(m)
    by_word = targets(m, niches=["FITNESS"])
    assert set(by_word.index) == {"a", "b"}
    assert by_word["score"].to_dict() == full.loc[["a", "b"], "score"].to_dict()
    assert list(by_word["rank"]) == [1, 2]
    assert set(targets(m, niches=["2", "vegan"]).index) == {"c", "d", "e"}  # a number is a community id
    assert set(targets(m, niches=["1"]).index) == {"c", "d"}  # never a digit inside a label
    assert set(targets(m, categories=["fitness"]).index) == {"a", "e"}  # case-insensitive, missing never matches
    with pytest.raises(InputError, match="category column"):
        targets(m.drop(columns="category"), categories=["fitness"])


def test_audience_quality_component_and_reason():
    m = frame(pagerank=[0.3, 0.3], community=[0, 1], indegree=[10, 10], tier=["micro"] * 2,
              audience_quality=[90.0, 40.0], audience_quality_shrunk=[0.85, 0.45])
    t = targets(m)
    # equal authority (each alone at its niche's median: 0.5); quality percentile 1.0 vs 0.5
    assert t.attrs["weights"] == pytest.approx({"niche_authority": 0.5 / 0.7, "audience_quality": 0.2 / 0.7})
    assert t.loc["a", "score"] == pytest.approx((0.5 * 0.5 + 0.2 * 1.0) / 0.7)
    assert t.loc["b", "score"] == pytest.approx((0.5 * 0.5 + 0.2 * 0.5) / 0.7)
    assert t.loc["a", "why"].endswith("; 90% quality followers")


def test_audience_quality_columns_by_hand():
    from graphinflu.graph import Graph
    from graphinflu.metrics.quality import audience_quality_columns

    # z's followers: a (mass), b (never posted), c, d (quality); y's: a; w's: e (no profile)
    g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c", "d", "a", "e"],
                                        "target": ["z", "z", "z", "z", "y", "w"]}))
    g = g.with_accounts(pd.DataFrame({"following": [3000, 10, 10, 20], "posts": [5, 0, 7, 1]},
                                     index=["a", "b", "c", "d"]))
    t = audience_quality_columns(g)
    # profiled follow edges: 5 of 6; quality among them: c, d -> p0 = 2/5
    assert t.loc["z", "audience_quality"] == pytest.approx(50.0)
    assert t.loc["z", "audience_quality_shrunk"] == pytest.approx((2 + 10 * 0.4) / (4 + 10))
    assert t.loc["y", "audience_quality"] == 0.0
    assert np.isnan(t.loc["w", "audience_quality"]) and t.loc["w", "audience_quality_shrunk"] == pytest.approx(0.4)
    assert audience_quality_columns(g, min_profiled=0.9) is None  # 5/6 of follow edges profiled < 0.9


def test_analyze_weights_filters_and_budget_end_to_end(tmp_path):
    import json

    from click.testing import CliRunner

    from graphinflu.cli import cli
    from graphinflu.graph import Graph
    from graphinflu.metrics.shortlist import shortlist

    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"f{i},c{i % 6}\nf{i},c{(i * 7) % 6}\n" for i in range(60)))
    prof = tmp_path / "p.csv"
    prof.write_text("id,fee\n" + "".join(f"c{i},{100 * (i + 1)}\n" for i in range(6)))
    out = tmp_path / "o"
    args = ["analyze", str(edges), "--profiles", str(prof), "--tier", "nano", "--weights", "niche_authority=2",
            "--budget", "700", "--cost-col", "fee", "-o", str(out), "--no-map", "-q"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text())
    params = manifest["parameters"]
    assert params["weights"] == {"niche_authority": 1.0} and params["budget"] == 700 and params["cost_col"] == "fee"
    short = pd.read_csv(out / "shortlist.csv", dtype={"id": str})
    assert short["cost"].sum() <= 700 and len(short) >= 2
    t = pd.read_csv(out / "targets.csv", dtype={"id": str})
    g = Graph.from_pandas(pd.read_csv(edges)).with_accounts(pd.read_csv(prof, dtype={"id": str}).set_index("id"))
    ref = shortlist(g, budget=700, costs="fee", candidates=list(t["id"][t["indegree"] > 0]))
    assert list(short["id"]) == list(ref.index)
    # a missing cost column fails before any work, naming the columns there are
    res = CliRunner().invoke(cli, args[:-4] + ["--cost-col", "price", "-o", str(tmp_path / "o2"), "--no-map", "-q"])
    assert res.exit_code != 0 and "cost column 'price'" in res.output and "fee" in res.output
    res = CliRunner().invoke(cli, ["analyze", str(edges), "--budget", "10", "-o", str(tmp_path / "o3"), "-q"])
    assert res.exit_code != 0 and "a budget needs each creator's cost" in res.output


def test_no_brand_fit_means_no_brand_target_however_strong_the_authority():
    """With a brand, fit multiplies: an account with brand_fit 0 scores 0 even as its niche's
    leader, and a perfect-fit account keeps at least w_a / Σw of its fit."""
    m = pd.DataFrame({"pagerank": [0.9, 0.01, 0.05], "community": [0, 0, 0], "indegree": [50, 2, 3],
                      "tier": ["micro"] * 3, "brand_fit": [0.0, 1.0, 0.5]}, index=pd.Index(["hub", "fan", "mid"], name="id"))
    t = targets(m)
    assert t.loc["hub", "score"] == 0.0 and list(t.index) == ["fan", "mid", "hub"]
    assert t.loc["fan", "score"] >= 0.5 / 0.8 - 1e-12
    assert t.loc["fan", "score"] == pytest.approx((0.5 + 0.3 * t.loc["fan", "niche_authority"]) / 0.8)
    # without the affinity weight the same table is a plain weighted mean and the hub leads
    assert targets(m, weights={"niche_authority": 1.0}).index[0] == "hub"


def test_unknown_engagement_is_left_out_not_scored_zero():
    """An account without a rated post has engagement_percentile 0 but engagement_known False:
    its score uses the other components only (weights renormalised), not engagement 0."""
    m = frame(pagerank=[0.3, 0.3], community=[0, 1], indegree=[5, 5], tier=["micro"] * 2,
              engagement_percentile=[80.0, 0.0], engagement_known=[True, False])
    t = targets(m)
    assert np.isnan(t.loc["b", "engagement_score"])
    assert t.loc["b", "score"] == pytest.approx(t.loc["b", "niche_authority"])  # authority alone
    assert t.loc["a", "score"] == pytest.approx((0.5 * t.loc["a", "niche_authority"] + 0.3 * 0.8) / 0.8)


def test_authority_counts_among_the_brand_audience():
    """A niche's leader whose audience is only partly the brand's no longer outranks a creator that
    fits better: its authority counts in proportion to its brand fit (brand_authority =
    niche_authority · brand fit). Counted whole, the hub would lead."""
    m = pd.DataFrame({"pagerank": [0.5, 0.05, 0.1, 0.1, 0.1], "community": [0] * 5, "indegree": [50, 3, 5, 5, 5],
                      "tier": ["micro"] * 5, "brand_fit": [0.40, 0.48, 0.0, 0.0, 0.0]},
                     index=pd.Index(["hub", "fan", "x", "y", "z"], name="id"))
    t = targets(m)
    na, fit = t["niche_authority"], t["brand_fit"]
    assert na["hub"] > 0.9 and na["fan"] < 0.3  # hand-checked scale: the hub leads the niche
    assert t["brand_authority"].to_dict() == pytest.approx((na * fit).to_dict(), abs=1e-15)
    assert t["score"].to_dict() == pytest.approx((fit * (0.5 + 0.3 * na * fit) / 0.8).to_dict(), abs=1e-15)
    assert list(t.index[:2]) == ["fan", "hub"]
    whole = fit * (0.5 + 0.3 * na) / 0.8  # the score before: authority counted whole
    assert whole["hub"] > whole["fan"]
    # without a brand target there is no brand_authority column, and authority leads
    plain = targets(m.drop(columns="brand_fit"))
    assert "brand_authority" not in plain and plain.index[0] == "hub"


def test_no_target_in_the_tier_with_posts_is_an_empty_table_not_a_crash(tmp_path):
    """analyze with posts on a graph where no account is in the target tier (every account is nano
    here, the default tier is micro): an empty targets table with its columns, exit 0 (this used to
    end in an internal error while wording the empty table's reasons)."""
    from click.testing import CliRunner

    from graphinflu.cli import cli

    (tmp_path / "f.csv").write_text("follower,followed\nu1,c0\nu2,c0\nu1,c1\n")
    (tmp_path / "p.csv").write_text("owner,likes,comments,timestamp\nc0,10,2,2024-02-01\nc1,5,1,2024-03-01\n")
    res = CliRunner().invoke(cli, ["analyze", str(tmp_path / "f.csv"), "--posts", str(tmp_path / "p.csv"),
                                   "-o", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 0, res.output
    targets = pd.read_csv(tmp_path / "out" / "targets.csv")
    assert len(targets) == 0 and {"score", "why", "engagement_rate"} <= set(targets.columns)
