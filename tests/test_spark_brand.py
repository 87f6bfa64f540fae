"""The whole brand target, categories, budgets and niche stability on the Spark engine equal the
local engine: the brand columns (affinity to 1e-9) and report for own and competitors' accounts,
an audience sample and interests matched against profiles and posts; the targets' category
filter; the cost-aware shortlist's picks; niche stability on the co-audience graph against the
local stability code run on the same graph built by the local overlap code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu.analysis import analyze as local_analyze
from graphinflu.brand import read_audience_file
from graphinflu.cli import cli
from graphinflu.errors import InputError
from graphinflu.graph import Graph
from graphinflu.metrics import communities as comm, overlap, shortlist as sl, stability as stab, targets as tg
from graphinflu.params import BrandTarget, CommunityParams, EngagementParams, LoadOptions, TargetParams
from graphinflu.pipeline import load_inputs
from graphinflu.spark.analysis import analyze, niche_pool
from graphinflu.spark.session import spark_session

BUNDLED = "graphinflu/data/twitter_follower_sets.tsv.gz"
BRAND_COLUMNS = ["affinity", "affinity_lift", "affinity_low", "affinity_high", "interest_match", "interest_affinity",
                 "interest_affinity_lift", "interest_affinity_low", "interest_affinity_high", "interest_post_share",
                 "brand_fit"]


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", shuffle_partitions=2)
    yield session
    session.stop()


def _same_report(got, want, where="brand"):
    """The same nested report: equal keys and texts, numbers to 1e-9 (relative)."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), where
        for key in want:
            _same_report(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-9), where
    else:
        assert got == want, where


def _same_partition(a: pd.Series, b: pd.Series) -> None:
    """The same grouping of the same accounts, whatever the group labels."""
    assert list(a.index) == list(b.index)
    assert len(set(zip(a, b))) == a.nunique() == b.nunique()


def _profiles(sets) -> pd.DataFrame:
    """One profile per creator: a category (every third mentions food), a bio (every fourth is
    about zero waste, spelt with two spaces once) and a price."""
    rows = []
    for i, s in enumerate(sets):
        bio = "Zero  waste kitchen" if i == 4 else ("zero waste living" if i % 4 == 0 else "daily posts")
        rows.append({"id": s, "handle": s.lower().replace(" ", "_"), "bio": bio, "price": 40 + 7 * (i % 9),
                     "category": ["Food blogger", "Fitness", "Travel"][i % 3]})
    return pd.DataFrame(rows)


def _posts(sets) -> pd.DataFrame:
    """Posts of some creators (owners by handle): hashtags and captions that mention the interests or not (one
    hashtag written without its space, one caption with a comma and a line break), a repeated
    shortcode (counted once) and an owner that is no account (the local engine makes it one)."""
    rows = []
    for i, s in enumerate(sets[:30]):
        for j in range(3):
            tags = ["#ZeroWaste #home", "#ootd", "#vegan,#food"][(i + j) % 3]
            caption = ["a day out", "Cooking vegan,\nagain", "no plastic"][(i * j) % 3]
            rows.append({"owner": "@" + s.lower().replace(" ", "_"), "likes": 10 + i + j, "comments": j, "hashtags": tags, "caption": caption,
                         "shortcode": f"p{i}_{j}"})
    rows.append({**rows[0], "hashtags": "#vegan"})  # the same shortcode again: the first row counts
    rows += [{"owner": "ghost_owner", "likes": 5, "comments": 1, "hashtags": "#zero_waste #vegan", "caption": "",
              "shortcode": f"g{j}"} for j in range(2)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def bundled_brand(spark, tmp_path_factory):
    """Both engines on the bundled follows, with profiles, posts, a brand with a competitor, an
    audience sample, interests, a category, a budget over a cost column and 3 stability runs."""
    out = tmp_path_factory.mktemp("brand")
    graph = load_inputs(LoadOptions(follows=BUNDLED)).graph
    sets = [i for i in graph.ids if str(i).startswith("Set ")]
    _profiles(sets).to_csv(out / "profiles.csv", index=False)
    _posts(sets).to_csv(out / "posts.csv", index=False)
    followers = [i for i in graph.ids if not str(i).startswith("Set ")]
    (out / "audience.txt").write_text("id\n" + "\n".join(followers[::97][:60]) + "\nnobody_here\n")
    load = LoadOptions(follows=BUNDLED, profiles=str(out / "profiles.csv"), posts=str(out / "posts.csv"))
    brand = BrandTarget(accounts=("Set 3",), competitors=("Set 17",), interests="zero waste,#Vegan",
                        audience=read_audience_file(out / "audience.txt"), audience_file=str(out / "audience.txt"))
    target = TargetParams(brand=brand, categories=("food",), budget=400.0, cost_col="price")
    run = analyze(spark, load, target=target, stability_runs=3)
    inputs = load_inputs(load)
    local = local_analyze(inputs.graph, posts=inputs.posts, target=target, stability_runs=3)
    return run, local, inputs.graph, target


def test_brand_columns_equal_local(bundled_brand):
    """Own and competitors' followers, the audience sample and the interests (profiles and posts):
    the local columns, in the local order, to 1e-9; the same brand report and notes."""
    run, local, _, _ = bundled_brand
    got = run.analysis.accounts
    ref = local.accounts
    assert list(got.index) == list(ref.index) and "ghost_owner" in got.index  # a post owner that is no account
    assert [c for c in got.columns if c in BRAND_COLUMNS] == BRAND_COLUMNS
    assert [c for c in ref.columns if c in BRAND_COLUMNS] == BRAND_COLUMNS
    assert got["interest_match"].sum() > 10 and (got["interest_post_share"] > 0).sum() > 10
    assert (got["interest_match"] == ref["interest_match"]).all()
    for col in BRAND_COLUMNS[:4] + BRAND_COLUMNS[5:]:
        a, b = got[col].to_numpy(np.float64), ref[col].to_numpy(np.float64)
        assert (np.isnan(a) == np.isnan(b)).all(), col
        assert np.nanmax(np.abs(a - b)) < 1e-9, col
    want = local.parameters["brand"]
    _same_report(run.analysis.parameters["brand"], want)
    assert want["found"].keys() == {"audience", "affinity", "interests"} and want["found"]["audience"]["unresolved"] == 1
    assert want["found"]["interests"]["matching_posts"] > 20
    brand_notes = [n for n in local.notes if "audience names" in n]
    assert brand_notes and all(n in run.analysis.notes for n in brand_notes)


def test_category_filters_the_targets(bundled_brand):
    """--category keeps the targets whose profile category mentions it, as the local filter does
    on the same account table."""
    run, _, _, target = bundled_brand
    acc, targ = run.analysis.accounts, run.analysis.targets
    assert len(targ) >= 2 and targ["category"].str.contains("food", case=False).all()
    unfiltered = tg.targets(acc, tier=target.tier, exclude=list(target.seeds))
    keep = unfiltered["category"].fillna("").str.contains(r"\bfood\b", case=False)
    assert list(targ.index) == list(unfiltered.index[keep]) and (~keep).any()
    assert run.analysis.parameters["categories"] == ["food"]


def test_budget_shortlist_equals_local(bundled_brand):
    """--budget with --cost-col: the local cost-aware greedy's picks among the same creators on the
    local graph; the budget and the costs are recorded as locally."""
    run, local, graph, target = bundled_brand
    short = run.analysis.shortlist
    ref = sl.shortlist(graph, k=None, budget=target.budget, costs="price", tiers=local.accounts["tier"],
                       candidates=run.analysis.creators, allow_empty=True)
    pd.testing.assert_frame_equal(short, ref)
    assert len(short) >= 2 and short["cumulative_cost"].iloc[-1] <= 400
    assert short.attrs["strategy"] == ref.attrs["strategy"]
    for key in ("budget", "cost_col"):
        assert run.analysis.parameters[key] == local.parameters[key]


def test_stability_on_the_coaudience_graph(bundled_brand):
    """niche_stability of the pool's creators and the summary equal the local stability code on
    the co-audience graph built from the local overlap counts (Jaccard weights)."""
    run, local, graph, target = bundled_brand
    acc = run.analysis.accounts
    pool = niche_pool(acc, target.tier, 500)  # highest PageRank first: the order Leiden visits them
    assert sorted(pool) == sorted(acc.index[acc["community"].notna()]) and len(pool) > 20
    pairs = overlap.overlap_pairs(graph, pool, allow_empty=True)
    at = pd.Series(np.arange(len(pool)), index=pool)
    a, b = at[pairs["creator_a"]].to_numpy(), at[pairs["creator_b"]].to_numpy()
    a, b = np.minimum(a, b), np.maximum(a, b)  # each pair once, in pool order (Leiden depends on the edge order)
    order = np.lexsort((b, a))
    edges = pd.DataFrame({"source": np.asarray(pool, dtype=object)[a[order]],
                          "target": np.asarray(pool, dtype=object)[b[order]],
                          "weight": pairs["jaccard"].to_numpy()[order]})
    cograph = Graph.from_pandas(edges, weight="weight",
                                accounts=pd.DataFrame(index=pd.Index(pool, name="id", dtype=object)))
    params = CommunityParams().replace(weight=True)
    reference = comm.communities(cograph, params)
    assert (reference["community"].reindex(pool).to_numpy() == acc.loc[pool, "community"].to_numpy()).all()
    per, summary = stab.niche_stability(cograph, params, runs=3, reference=reference)
    per = per["niche_stability"].reindex(pool)
    assert np.abs(acc.loc[pool, "niche_stability"].to_numpy() - per.to_numpy()).max() < 1e-12
    assert acc.loc[~acc.index.isin(pool), "niche_stability"].isna().all()
    assert run.analysis.stability == summary and summary["runs"] == 3
    means = per.groupby(acc.loc[pool, "community"].astype(int)).mean()
    assert np.abs(run.analysis.communities["stability"] - means).max() < 1e-12
    assert stab.stability_line(summary) in run.analysis.notes
    assert not any("niche stability" in n for n in run.analysis.notes if "does not compute" in n)
    assert local.stability is not None and "niche_stability" in local.accounts


# ----------------------------------------------------------------------------- CLI
def _two_groups(tmp_path):
    """Two groups of four creators whose audiences never meet (so both engines find the same two
    niches), profiles with a category, a bio and a price, posts, an audience sample."""
    rows = [f"u{i},a{j}" for i in range(14) for j in range(4) if (i + j) % 5] + \
           [f"v{i},b{j}" for i in range(14) for j in range(4) if (i * j) % 4 != 3]
    (tmp_path / "f.csv").write_text("follower,followed\n" + "\n".join(rows) + "\n")
    creators = [f"a{j}" for j in range(4)] + [f"b{j}" for j in range(4)]
    pd.DataFrame({"id": creators, "handle": [f"@{c}_h" for c in creators],
                  "category": ["Vegan food", "Food", "Fitness", "Food & travel"] * 2,
                  "bio": ["zero waste", "", "Vegan recipes", "food"] * 2,
                  "price": [10, 25, 15, 30, 12, 8, 20, 40]}).to_csv(tmp_path / "p.csv", index=False)
    pd.DataFrame({"owner": creators * 2, "likes": range(16), "comments": [1] * 16,
                  "hashtags": ["#vegan", "#ootd", "#ZeroWaste", ""] * 4,
                  "shortcode": [f"s{i}" for i in range(16)]}).to_csv(tmp_path / "posts.csv", index=False)
    (tmp_path / "aud.txt").write_text("u1\nu2\nv3\nnobody\n")


def test_cli_brand_options_equal_local(spark, tmp_path):
    """analyze --engine spark with a competitor, an audience file, interests, profiles, posts, a
    category, a budget over a cost column and stability runs: the local accounts, targets and
    shortlist tables (columns and values) and the same brand report."""
    _two_groups(tmp_path)
    args = ["analyze", str(tmp_path / "f.csv"), "--profiles", str(tmp_path / "p.csv"), "--posts",
            str(tmp_path / "posts.csv"), "--brand", "a0", "--competitors", "b0", "--brand-audience",
            str(tmp_path / "aud.txt"), "--interests", "vegan,zero waste", "--category", "food", "--tier", "all",
            "--budget", "50", "--cost-col", "price", "--stability-runs", "3", "--no-map", "-q"]
    tables = {}
    for engine in ("local", "spark"):
        out = tmp_path / engine
        res = CliRunner().invoke(cli, [*args, "--engine", engine, "-o", str(out)])
        assert res.exit_code == 0, res.output
        tables[engine] = {name: pd.read_csv(out / f"{name}.csv", index_col=0) for name in
                          ("accounts", "targets", "shortlist")}
        tables[engine]["manifest"] = __import__("json").loads((out / "manifest.json").read_text())
    got, ref = tables["spark"], tables["local"]
    assert list(got["accounts"].columns) == list(ref["accounts"].columns)
    acc, ref_acc = got["accounts"], ref["accounts"].reindex(got["accounts"].index)
    # niches: the creators' are the same two groups; the followers have none on Spark (clusters of creators)
    creators = acc.index[acc["community"].notna()]
    assert len(creators) == 8 and acc["community"].isna().sum() == len(acc) - 8
    _same_partition(acc.loc[creators, "community"], ref_acc.loc[creators, "community"])
    assert (acc.loc[creators, "niche_stability"] == ref_acc.loc[creators, "niche_stability"]).all()
    same = acc.columns.drop(["community", "niche_label", "niche_stability", "pagerank"])
    pd.testing.assert_frame_equal(acc[same], ref_acc[same], check_exact=False, rtol=1e-9, atol=1e-12)
    assert np.abs(acc["pagerank"] - ref_acc["pagerank"]).max() < 1e-6
    assert acc["interest_match"].sum() >= 4 and acc["affinity"].notna().all()
    # targets: the same rows and scores; niche labels are named differently (top creators vs profile words)
    assert len(got["targets"]) >= 2 and got["targets"]["category"].str.contains("food", case=False).all()
    assert list(got["targets"].columns) == list(ref["targets"].columns)
    _same_partition(got["targets"]["community"], ref["targets"]["community"])
    cols = got["targets"].columns.drop(["community", "niche_label", "why"])  # niche ids are arbitrary labels
    pd.testing.assert_frame_equal(got["targets"][cols], ref["targets"][cols], check_exact=False, rtol=1e-6,
                                  atol=1e-9)
    assert len(got["shortlist"]) >= 2 and got["shortlist"]["cumulative_cost"].iloc[-1] <= 50
    pd.testing.assert_frame_equal(got["shortlist"], ref["shortlist"])
    _same_report(got["manifest"]["parameters"]["brand"], ref["manifest"]["parameters"]["brand"])


def test_bad_brand_inputs_get_the_local_messages(spark, tmp_path):
    """An unknown cost column and an unreadable audience file: the local engine's message, no
    traceback."""
    _two_groups(tmp_path)
    load = LoadOptions(follows=str(tmp_path / "f.csv"), profiles=str(tmp_path / "p.csv"))
    target = TargetParams(seeds=["a0"], budget=20.0, cost_col="fee")
    with pytest.raises(InputError) as local:
        local_analyze(load_inputs(load).graph, target=target)
    with pytest.raises(InputError) as remote:
        analyze(spark, load, target=target)
    assert str(remote.value) == str(local.value) and "cost column 'fee'" in str(remote.value)
    outputs = {}
    for engine in ("local", "spark"):
        res = CliRunner().invoke(cli, ["analyze", str(tmp_path / "f.csv"), "--brand", "a0", "--brand-audience",
                                       str(tmp_path / "missing.txt"), "--engine", engine, "-o", str(tmp_path / "o")])
        assert res.exit_code == 1 and "Traceback" not in res.output
        outputs[engine] = res.output
    assert outputs["spark"] == outputs["local"] and "missing.txt" in outputs["spark"]


def test_interest_posts_in_a_window_equal_local(spark, tmp_path):
    """--interests with --posts and --since/--until: only the posts inside the window count for
    interest_post_share and brand fit (undated ones do not), as locally."""
    _two_groups(tmp_path)
    posts = pd.read_csv(tmp_path / "posts.csv")
    # each creator's first post is inside the window; its second is outside, undated or inside
    posts["timestamp"] = ["2024-01-05"] * 8 + ["2024-03-01", "", "2024-02-10", "2024-01-20"] * 2
    posts["hashtags"] = ["#vegan", "#ootd"] * 4 + ["#vegan", "#vegan", "#ootd", "#vegan"] * 2
    posts.to_csv(tmp_path / "posts.csv", index=False)
    load = LoadOptions(follows=str(tmp_path / "f.csv"), profiles=str(tmp_path / "p.csv"),
                       posts=str(tmp_path / "posts.csv"))
    target = TargetParams(brand=BrandTarget(accounts=("a0",), interests="vegan"), tier="all")
    engagement = EngagementParams(since="2024-01-01", until="2024-02-15")
    run = analyze(spark, load, target=target, engagement=engagement, stability_runs=0)
    inputs = load_inputs(load)
    local = local_analyze(inputs.graph, posts=inputs.posts, target=target, engagement=engagement, stability_runs=0)
    got, ref = run.analysis.accounts, local.accounts.reindex(run.analysis.accounts.index)
    share = got["interest_post_share"].dropna()
    assert len(share) == 8 and set(share) == {0.0, 0.5, 1.0}  # with every post, a0 and b0 would have 0.5
    for col in ("interest_post_share", "brand_fit", "interest_affinity", "affinity"):
        a, b = got[col].to_numpy(np.float64), ref[col].to_numpy(np.float64)
        assert (np.isnan(a) == np.isnan(b)).all() and np.nanmax(np.abs(a - b)) < 1e-9, col
    _same_report(run.analysis.parameters["brand"], local.parameters["brand"])
