"""The Spark engine equals the local engine: PageRank to 1e-6 per account, overlap counts exactly,
shortlist picks identical, affinity to 1e-9; MinHash lookalikes within their stated bound; bad
input gets the local engine's messages. One SparkSession (local[2]) for the whole test session."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from graphinflu.accounts import account_table
from graphinflu.cli import cli
from graphinflu.errors import InputError, UnknownAccountError
from graphinflu.metrics import authority, overlap, shortlist as sl
from graphinflu.metrics.affinity import audience_affinity
from graphinflu.params import CommunityParams, LoadOptions, TargetParams
from graphinflu.pipeline import load_inputs
from graphinflu.spark import metrics as M
from graphinflu.spark.analysis import analyze, coaudience_niches, overlap_tables, shortlist_view, spark_affinity, write_run
from graphinflu.spark.reader import read_follows
from graphinflu.spark.session import spark_session

BUNDLED = "graphinflu/data/twitter_follower_sets.tsv.gz"


@pytest.fixture(scope="session")
def spark():
    session = spark_session("local[2]", shuffle_partitions=2)
    yield session
    session.stop()


#: The brand of the bundled runs: two accounts, so membership is weighted (followers of one or both).
BRAND = ("Set 3", "Set 17")


@pytest.fixture(scope="session")
def bundled(spark):
    """The Spark analysis of the bundled dataset (with a brand) and the local graph of the same file."""
    load = LoadOptions(follows=BUNDLED)
    return analyze(spark, load, target=TargetParams(seeds=BRAND), stability_runs=0), load_inputs(load).graph, load


def _check_overlap_and_shortlist(sg, graph, creators, handles):
    pairs, per_creator, summary, hist = overlap_tables(sg, creators, handles)
    pd.testing.assert_frame_equal(pairs, overlap.overlap_pairs(graph, creators, allow_empty=True))
    pd.testing.assert_frame_equal(per_creator, overlap.overlap_creators(graph, creators, allow_empty=True),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(summary, overlap.overlap_summary(graph, creators, allow_empty=True))
    pd.testing.assert_frame_equal(hist, overlap.frequency_histogram(graph, creators, allow_empty=True),
                                  check_dtype=False)
    k = min(20, len(creators))
    local = sl.shortlist(graph, k=k, candidates=creators, allow_empty=True)
    pd.testing.assert_frame_equal(shortlist_view(sg, k=k, candidates=creators), local)


# ----------------------------------------------------------------------------- bundled dataset
def test_bundled_pagerank_equals_local(bundled):
    run, graph, _ = bundled
    ref = authority.pagerank(graph)["pagerank"]
    got = run.analysis.accounts["pagerank"]
    assert list(got.index) == list(ref.index)  # same accounts, same (first-seen) order
    assert np.abs(got.to_numpy() - ref.to_numpy()).max() < 1e-6
    assert abs(got.sum() - 1.0) < 1e-12
    assert (run.analysis.accounts["indegree"].to_numpy() == authority.indegree(graph)["indegree"].to_numpy()).all()


def test_bundled_overlap_and_shortlist_equal_local(bundled):
    run, graph, _ = bundled
    a = run.analysis
    assert len(a.creators) >= 2
    # the tables analyze wrote are those of the local functions on the same creators
    pd.testing.assert_frame_equal(a.overlap_pairs, overlap.overlap_pairs(graph, a.creators, allow_empty=True))
    pd.testing.assert_index_equal(a.shortlist.index, sl.shortlist(graph, k=min(20, len(a.creators)),
                                                                   candidates=a.creators, allow_empty=True).index)
    top = list(graph.ids[overlap.select_creators(graph, top=60)])
    _check_overlap_and_shortlist(run.graph, graph, top, a.accounts["handle"])


def test_bundled_tables_have_the_local_columns(bundled, tmp_path):
    run, graph, load = bundled
    write_run(run, tmp_path / "out", load=load)
    local_accounts = account_table(graph, seeds=list(BRAND)).accounts
    got = pd.read_csv(tmp_path / "out" / "accounts.csv")
    assert list(got.columns) == ["id"] + list(local_accounts.columns)
    for col in ("hub", "authority"):  # HITS in analyze: the power iteration of rank --by hits, to 1e-6
        assert np.abs(got[col].to_numpy() - local_accounts[col].to_numpy()).max() < 1e-6, col
    for name in ("overlap_pairs", "overlap_creators", "overlap_summary", "overlap_histogram", "shortlist"):
        local = getattr(overlap, {"overlap_pairs": "overlap_pairs", "overlap_creators": "overlap_creators",
                                  "overlap_summary": "overlap_summary",
                                  "overlap_histogram": "frequency_histogram"}.get(name, "overlap_pairs"))
        if name == "shortlist":
            continue
        ref = local(graph, run.analysis.creators, allow_empty=True)
        ref = ref.reset_index() if ref.index.name else ref
        assert list(pd.read_csv(tmp_path / "out" / f"{name}.csv").columns) == list(ref.columns)
    # niches are clusters of creators by shared audience: every community holds creators of the pool
    comm = run.analysis.accounts["community"]
    acc = run.analysis.accounts
    in_pool = (acc["indegree"] > 0) & (acc["tier"].astype(str) == "micro")  # the target tier's creators
    assert comm.notna().sum() == min(500, int(in_pool.sum())) and comm.notna().sum() >= 2
    assert set(run.analysis.communities.index) == set(comm.dropna().astype(int))


def test_parquet_to_a_uri(bundled, tmp_path):
    run, _, load = bundled
    write_run(run, f"file://{tmp_path}/lake", load=load)
    back = pq.read_table(tmp_path / "lake" / "overlap_pairs.parquet").to_pandas()
    assert back["shared"].tolist() == run.analysis.overlap_pairs["shared"].tolist()
    assert (tmp_path / "lake" / "manifest.json").is_dir()  # Spark writes a dataset folder


@pytest.mark.parametrize("seeds", [["Set 3", "Set 17"], ["Set 3", "Set 17", "Set 40"], ["Set 5"]])
def test_affinity_equals_local(bundled, seeds):
    """Weighted membership (the share of the seeds a follower follows), the pooled base rate, the
    dispersion and the smoothing: main's audience_affinity, to 1e-9."""
    run, graph, _ = bundled
    got = spark_affinity(run.graph, run.graph.codes(seeds))
    ref = audience_affinity(graph, seeds)
    assert list(got.index) == list(ref.index)
    assert (got["audience"].to_numpy() == ref["audience"].to_numpy()).all()
    for col in ("shared", "affinity", "lift", "affinity_low", "affinity_high"):
        assert np.abs(got[col].to_numpy() - ref[col].to_numpy()).max() < 1e-9, col
    for key in ("base_rate", "prior_strength", "dispersion"):
        assert got.attrs[key] == pytest.approx(ref.attrs[key], rel=1e-9), key
    assert got.attrs["target_audience"] == ref.attrs["target_audience"]
    if len(seeds) > 1:  # weighted membership: some followers follow only some of the seeds
        assert ref.attrs["dispersion"] < 1.0 and (ref["shared"] % 1 != 0).any()


def test_brand_run_equals_local_brand_columns(bundled):
    """analyze --brand on Spark: the brand-fit columns of the local account table (affinity and
    brand_fit to 1e-9), and targets gated by brand fit with the brand's weights."""
    run, graph, _ = bundled
    seeds = BRAND
    local = account_table(graph, seeds=list(seeds)).accounts
    cols = ["affinity", "affinity_lift", "affinity_low", "affinity_high", "brand_fit"]
    for col in cols:
        assert np.abs(run.analysis.accounts[col].to_numpy() - local[col].to_numpy()).max() < 1e-9, col
    assert np.abs(run.analysis.accounts["audience_match"] - local["audience_match"]).max() < 1e-6
    targ = run.analysis.targets
    assert len(targ) and set(targ.attrs["weights"]) == {"affinity", "niche_authority"}  # no engagement, no quality on Spark
    assert not targ.index.isin(seeds).any()
    assert (targ["affinity_score"] == targ["brand_fit"]).all()
    assert run.analysis.parameters["brand"]["found"]["affinity"]["base_rate"] == pytest.approx(
        audience_affinity(graph, list(seeds)).attrs["base_rate"], rel=1e-12)


def test_minhash_lookalikes_within_the_stated_bound(bundled):
    run, graph, _ = bundled
    creators = list(graph.ids[overlap.select_creators(graph, top=100)])
    lk = M.minhash_lookalikes(run.graph, run.graph.codes(creators), min_jaccard=0.2, hash_tables=20, seed=7)
    exact = overlap.overlap_pairs(graph, creators)
    exact = exact[exact["jaccard"] >= 0.2]
    truth = {(a, b): j for a, b, j in zip(exact["creator_a"].astype(str), exact["creator_b"].astype(str),
                                          exact["jaccard"])}
    found = {(a, b): j for a, b, j in zip(lk["creator_a"], lk["creator_b"], lk["jaccard"])}
    assert len(truth) > 50
    # every Jaccard reported is exact (MinHash only proposes the candidates) ...
    assert max(abs(j - truth[p]) for p, j in found.items()) < 1e-12
    # ... and pairs are missed no more often than (1 − J)^tables allows (three times the bound, at least 1)
    expected = sum((1 - j) ** 20 for j in truth.values())
    assert len(set(truth) - set(found)) <= max(1, 3 * expected)
    assert lk.attrs["miss_probability"] == pytest.approx(0.8 ** 20)


def test_small_graph_pagerank_and_personalized(spark, tmp_path):
    """Dangling accounts, a sink and a cycle; tol loosened so the iteration is short: the same
    iterates as the local engine's, so the same numbers."""
    path = tmp_path / "small.csv"
    path.write_text("source,target\na,b\nb,c\nc,a\nd,a\ne,d\na,f\ng,f\n")
    sg = read_follows(spark, LoadOptions(follows=str(path)))
    graph = load_inputs(LoadOptions(follows=str(path))).graph
    got = M.pagerank(sg, tol=1e-6)
    ref = authority.pagerank(graph, tol=1e-6)["pagerank"].to_numpy()
    assert np.abs(got - ref).max() < 1e-12
    got = M.pagerank(sg, tol=1e-6, seeds=sg.codes(["e", "g"]))
    ref = authority.personalized_pagerank(graph, ["e", "g"], tol=1e-6)["ppr"].to_numpy()
    assert np.abs(got - ref).max() < 1e-12


# ----------------------------------------------------------------------------- bad input
def test_bad_input_gets_the_local_messages(spark, tmp_path):
    def both(load):
        with pytest.raises(InputError) as local:
            load_inputs(load)
        with pytest.raises(InputError) as remote:
            read_follows(spark, load)
        return str(local.value), str(remote.value)

    missing = LoadOptions(follows=str(tmp_path / "nope.csv"))
    assert both(missing)[0] == both(missing)[1]
    edges = tmp_path / "e.csv"
    edges.write_text("follower,followed\na,b\nb,c\n")
    local, remote = both(LoadOptions(follows=str(edges), source="who"))
    assert local == remote and "source column 'who' not found" in remote
    prof = tmp_path / "profiles.csv"
    prof.write_text("id,handle,followers,following\n1,a,10,3\n2,b,4,5\n")
    local, remote = both(LoadOptions(follows=str(prof)))
    assert local == remote and "--profiles" in remote
    html = tmp_path / "page.csv"
    html.write_text("<!DOCTYPE html><html><body>hi</body></html>\n")
    local, remote = both(LoadOptions(follows=str(html)))
    assert local == remote


def test_bad_uris_and_parquet_columns(spark, tmp_path):
    with pytest.raises(InputError, match="file not found") as err:
        read_follows(spark, LoadOptions(follows=f"file://{tmp_path}/missing/edges.parquet"))
    assert "at org.apache" not in str(err.value) and len(str(err.value).splitlines()) <= 2
    pd.DataFrame({"a": ["x", "y"], "b": ["y", "z"]}).to_parquet(tmp_path / "e.parquet")
    with pytest.raises(InputError, match="target column 'to' not found") as err:
        read_follows(spark, LoadOptions(follows=str(tmp_path / "e.parquet"), target="to"))
    assert "columns are ['a', 'b']" in str(err.value)
    sg = read_follows(spark, LoadOptions(follows=str(tmp_path / "e.parquet")))
    assert (sg.n_accounts, sg.n_edges) == (3, 2)
    with pytest.raises(UnknownAccountError, match="nobody"):
        sg.codes(["x", "nobody"])
    with pytest.raises(InputError, match=r"read_follows reads the follow list \(FILE\) only"):
        read_follows(spark, LoadOptions(follows=str(tmp_path / "e.parquet"), profiles=str(tmp_path / "p.csv")))


# ----------------------------------------------------------------------------- CLI
def test_cli_analyze_engine_spark(spark, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("follower,followed\n" + "".join(f"u{i},c{i % 3}\nu{i},c{(i + 1) % 3}\n" for i in range(12)))
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["analyze", str(path), "--engine", "spark", "--spark-master", "local[2]",
                                   "--tier", "all", "--overlap-top", "3", "--shortlist-k", "2", "-o", str(out)])
    assert res.exit_code == 0, res.output
    pairs = pd.read_csv(out / "overlap_pairs.csv")
    assert sorted(pairs["shared"]) == [4, 4, 4]  # each pair of c0, c1, c2 shares 4 followers
    assert len(pd.read_csv(out / "shortlist.csv")) == 2
    bad = CliRunner().invoke(cli, ["analyze", str(tmp_path / "none.csv"), "--engine", "spark", "-o", str(out)])
    assert bad.exit_code == 1 and "file not found" in bad.output and "Traceback" not in bad.output


def test_cli_rank_engine_spark(spark, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("follower,followed\n" + "".join(f"u{i},c{i % 4}\nu{i},c{i % 3}\n" for i in range(10)))
    tables = {}
    for engine in ("local", "spark"):
        for by in ("indegree", "pagerank"):
            out = tmp_path / f"{engine}-{by}.csv"
            res = CliRunner().invoke(cli, ["rank", str(path), "--by", by, "--engine", engine, "-o", str(out), "-q"])
            assert res.exit_code == 0, res.output
            tables[engine, by] = pd.read_csv(out, index_col="id")
    pd.testing.assert_frame_equal(tables["spark", "indegree"], tables["local", "indegree"])
    spark_pr, local_pr = tables["spark", "pagerank"], tables["local", "pagerank"]
    assert list(spark_pr.columns) == list(local_pr.columns)
    assert np.abs(spark_pr["pagerank"] - local_pr["pagerank"].reindex(spark_pr.index)).max() < 1e-6
    # every local ranker ranks on Spark too (the interaction ones: tests/test_spark_interactions.py)
    from graphinflu.metrics.authority import RANKERS
    from graphinflu.spark.analysis import SPARK_RANKINGS
    assert set(SPARK_RANKINGS) == set(RANKERS)


# ----------------------------------------------------------------------------- shared datasets
@pytest.mark.shared_data
@pytest.mark.parametrize("rel,source,target", [
    ("twitter-follower-sets/follower_sets.tsv.gz", "follower", "set"),
    ("wiki-vote/wiki-Vote.txt.gz", None, None),
])
def test_shared_datasets_equal_local(spark, shared, rel, source, target):
    load = LoadOptions(follows=str(shared / rel), source=source, target=target)
    sg = read_follows(spark, load)
    graph = load_inputs(load).graph
    assert (sg.n_accounts, sg.n_edges) == (graph.n_accounts, graph.n_edges)
    ids = sg.id_array()
    assert (ids == graph.ids.to_numpy()).all()
    pr = M.pagerank(sg)
    assert np.abs(pr - authority.pagerank(graph)["pagerank"].to_numpy()).max() < 1e-6
    creators = list(graph.ids[overlap.select_creators(graph, top=50)])
    _check_overlap_and_shortlist(sg, graph, creators, pd.Series(ids, index=ids))


def test_cli_overlap_engine_spark(spark, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("follower,followed\n" + "".join(f"u{i},c{i % 4}\nu{i},c{i % 3}\n" for i in range(24)))
    for view in ("pairs", "creators", "summary", "histogram"):
        got = {}
        for engine in ("local", "spark"):
            out = tmp_path / f"{engine}-{view}.csv"
            res = CliRunner().invoke(cli, ["overlap", str(path), "--top", "4", "--view", view, "--engine", engine,
                                           "-o", str(out), "-q"])
            assert res.exit_code == 0, res.output
            got[engine] = pd.read_csv(out)
        pd.testing.assert_frame_equal(got["spark"], got["local"])
    for options in (["--tier", "nano", "--top", "3", "--view", "creators"], ["--tier", "nano"]):
        got = {}
        for engine in ("local", "spark"):
            res = CliRunner().invoke(cli, ["overlap", str(path), *options, "--engine", engine,
                                           "-o", str(tmp_path / f"{engine}.csv")])
            assert res.exit_code == 0, res.output
            # the 24 followers are nano accounts without followers: both engines say so
            assert "24 accounts of that tier/niche have no followers in the graph: left out" in res.output
            got[engine] = pd.read_csv(tmp_path / f"{engine}.csv")
        pd.testing.assert_frame_equal(got["spark"], got["local"], obj=" ".join(options))
    assert len(got["spark"]) == 6  # the pairs of the 4 creators
    errors = {engine: CliRunner().invoke(cli, ["overlap", str(path), "--tier", "micro", "--engine", engine])
              for engine in ("local", "spark")}
    assert all(r.exit_code == 1 for r in errors.values())
    assert "Error: tier 'micro' not found; tiers present are ['nano']" in errors["spark"].output
    assert errors["spark"].output.splitlines()[-1] == errors["local"].output.splitlines()[-1]
    res = CliRunner().invoke(cli, ["overlap", str(path), "--top", "4", "--sketch-above", "1", "--engine", "spark",
                                   "-o", str(tmp_path / "sketch.csv")])
    assert res.exit_code == 0 and "every figure is exact" in res.output
    exact = pd.read_csv(tmp_path / "sketch.csv")
    assert (exact["method"] == "exact").all() and exact["shared"].tolist() == got["local"]["shared"].tolist()


def test_cli_shortlist_engine_spark(spark, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("follower,followed\n" + "".join(f"u{i},c{i % 5}\nu{i},c{i % 3}\nu{i},c{i % 7}\n" for i in range(30)))
    choices = {"k": ["--k", "3", "--top-candidates", "6"],
               "budget": ["--budget", "2.5", "--tier-costs", "nano=1", "--top-candidates", "6"],
               "tier and audience match": ["--k", "3", "--tier", "nano", "--audience-match", "u1,u2,u4"],
               "frequency": ["--k", "3", "--objective", "frequency", "--f", "2", "--candidates", "c0,c1,c2,c3,c4,c5"]}
    for name, options in choices.items():
        got = {}
        for engine in ("local", "spark"):
            out = tmp_path / f"{engine}.csv"
            res = CliRunner().invoke(cli, ["shortlist", str(path), *options, "--engine", engine, "-o", str(out)])
            assert res.exit_code == 0, res.output
            assert "picks, guarantee" in res.output  # the strategy line, on both engines
            got[engine] = pd.read_csv(out)
        pd.testing.assert_frame_equal(got["spark"], got["local"], obj=name)
        assert 2 <= len(got["spark"]) <= 3, name
    res = CliRunner().invoke(cli, ["shortlist", str(path), "--k", "2", "--tier", "mega", "--engine", "spark"])
    assert res.exit_code == 1 and "no candidate in tier 'mega'" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["shortlist", str(path), "--k", "2", "--engine", "spark"])
    assert res.exit_code == 1 and "--candidates A,B,C, --top-candidates N or --tier T" in res.output


def test_niches_are_creators_clustered_by_shared_audience(spark, tmp_path):
    """Two groups of creators whose audiences never meet, plus one follower bridging them: the
    co-audience graph is two weighted cliques with one light link, so Leiden finds the two groups."""
    rows = [f"u{i},a{j}" for i in range(12) for j in range(4)] + [f"v{i},b{j}" for i in range(12) for j in range(4)]
    rows += ["w,a0", "w,b0"]
    path = tmp_path / "groups.csv"
    path.write_text("follower,followed\n" + "\n".join(rows) + "\n")
    sg = read_follows(spark, LoadOptions(follows=str(path)))
    pool = [f"a{j}" for j in range(4)] + [f"b{j}" for j in range(4)]
    membership, summary = coaudience_niches(sg, pool, sg.id_array(), M.indegree_array(sg).astype(float),
                                            CommunityParams())
    groups = membership.groupby(membership).apply(lambda s: sorted(s.index)).tolist()
    assert sorted(groups) == [["a0", "a1", "a2", "a3"], ["b0", "b1", "b2", "b3"]]
    assert summary["size"].tolist() == [4, 4]
    assert summary["internal_edges"].tolist() == [6, 6]  # each group a clique of shared audiences


@pytest.mark.parametrize("extra", [[], ["--by", "overlap", "--top", "50"], ["--tier", "nano", "--min-shared", "3"],
                                   ["--candidates", "Set 5,Set 17,Set 40,Set 1", "--top", "3"]])
def test_cli_similar_engine_spark_equals_local(spark, tmp_path, extra):
    """similar --engine spark: the local command's table, exactly (shared counts by a join in Spark,
    ranked by the local code), on the bundled data."""
    got = {}
    for engine in ("local", "spark"):
        out = tmp_path / f"{engine}.csv"
        res = CliRunner().invoke(cli, ["similar", BUNDLED, "Set 3", *extra, "--engine", engine, "-o", str(out), "-q"])
        assert res.exit_code == 0, res.output
        got[engine] = pd.read_csv(out)
    assert len(got["local"]) > 0
    pd.testing.assert_frame_equal(got["spark"], got["local"])


def test_cli_similar_engine_spark_errors(spark, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("follower,followed\nu1,c0\nu2,c0\nu1,c1\nc1,u3\n")
    for args, words in [(["nobody"], "nobody"), (["u1"], "have no followers"),
                        (["c0", "--niche", "same"], "c0 has no niche on the Spark engine"),
                        (["c0", "--quality-only"], "audience quality needs follower profiles")]:
        res = CliRunner().invoke(cli, ["similar", str(path), *args, "--engine", "spark"])
        assert res.exit_code == 1 and words in res.output and "Traceback" not in res.output, res.output
    local = CliRunner().invoke(cli, ["similar", str(path), "u1"])
    assert local.exit_code == 1 and "have no followers" in local.output


# ----------------------------------------------------------------------------- profiles
@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generated follows and profiles (seeded), every 7th profile without a follower count, plus one
    profile row without any follow."""
    from graphinflu.generate import generate, write_generated

    out = tmp_path_factory.mktemp("gen")
    paths = write_generated(generate(20_000, seed=5), out)
    prof = pd.read_csv(paths["profiles"], dtype=str, keep_default_na=False)
    prof.loc[prof.index % 7 == 0, "followers"] = ""  # unknown counts: those accounts' tiers come from in-degree
    extra = pd.DataFrame([{**{c: "" for c in prof.columns}, "id": "lonely", "handle": "lonely_one",
                           "followers": "2.5k", "category": "Food"}])
    pd.concat([prof, extra]).to_csv(paths["profiles"], index=False)
    posts = pd.read_csv(paths["posts"], dtype=str, keep_default_na=False)
    posts.loc[3, "likes"] = "2.5k"  # counts as the local reader parses them
    posts.loc[4, "comments"] = ""  # a hidden count: the post is not counted
    posts.loc[5:40, "hashtags"] = posts.loc[5:40, "hashtags"] + " #Ad"  # sponsored
    posts.loc[len(posts)] = {**{c: "" for c in posts.columns}, "owner": "@Nobody_Here", "likes": "5", "comments": "1",
                             "mentions": f"@Zed, @{prof.loc[1, 'handle'].upper()};@nobody_here"}  # an unknown owner
    # naming an unknown account, a profile by its handle (in other case) and itself
    posts.to_csv(paths["posts"], index=False)
    return paths


def test_profiles_give_the_local_account_columns(spark, generated):
    """analyze --engine spark --profiles: followers, their source and tiers identical to the local
    engine's, audience quality to 1e-12, the other profile columns equal, PageRank (with the
    profile-only account counted) and HITS to 1e-6, in the local column order."""
    load = LoadOptions(follows=str(generated["follows"]), profiles=str(generated["profiles"]))
    run = analyze(spark, load, stability_runs=0)
    local = account_table(load_inputs(load).graph).accounts
    got = run.analysis.accounts
    assert list(got.index) == list(local.index) and got.index[-1] == "lonely"
    assert list(got.columns) == list(local.columns)
    for col in ("handle", "followers", "followers_source", "tier", "indegree", "following", "posts", "category"):
        pd.testing.assert_series_equal(got[col], local[col], check_dtype=False, check_categorical=False)
    assert (got["followers_source"] == "profile").sum() > 100 and (got["followers_source"] != "profile").any()
    assert got.loc["lonely", "followers"] == 2500 and got.loc["lonely", "tier"] == "micro"
    for col in ("audience_quality", "audience_quality_shrunk"):
        a, b = got[col].to_numpy(np.float64), local[col].to_numpy(np.float64)
        assert (np.isnan(a) == np.isnan(b)).all() and np.nanmax(np.abs(a - b)) < 1e-12, col
    for col in ("pagerank", "hub", "authority"):
        assert np.abs(got[col] - local[col]).max() < 1e-6, col
    assert "audience_quality" in run.analysis.targets.attrs["weights"]  # quality now scores the targets


def _same_column(a: pd.Series, b: pd.Series, tol: float) -> None:
    """Equal values (numbers to ``tol``, relative to the column's largest), missing in the same rows."""
    if pd.api.types.is_numeric_dtype(b.dtype) or pd.api.types.is_bool_dtype(b.dtype):
        x, y = a.to_numpy(np.float64, na_value=np.nan), b.to_numpy(np.float64, na_value=np.nan)
        assert (np.isnan(x) == np.isnan(y)).all(), a.name
        if (~np.isnan(y)).any():
            assert np.nanmax(np.abs(x - y)) <= tol * max(1.0, np.nanmax(np.abs(y))), a.name
    else:
        assert a.isna().equals(b.isna()), a.name
        assert (a[a.notna()].astype(str) == b[b.notna()].astype(str)).all(), a.name


def test_posts_equal_local(spark, generated):
    """analyze --engine spark --posts --profiles: the interaction graph posts make, as locally —
    the owners and the accounts posts mention appended in the local order (so the account table
    has the same rows), their mention edges (interaction PageRank to 1e-6, Cha et al.'s signals),
    the per-owner columns (``sampled_posts``, ``mean_likes``, ``hashtags``: the ten most used,
    ties alphabetical), the unresolved owner and mentions flagged; engagement (posts counted,
    raw and shrunk rates, percentiles within the tier, sponsored share, benchmarks) to 1e-9,
    every column in the local order, and the same load report."""
    load = LoadOptions(follows=str(generated["follows"]), profiles=str(generated["profiles"]),
                       posts=str(generated["posts"]))
    run = analyze(spark, load, stability_runs=0)
    inputs = load_inputs(load)
    local = account_table(inputs.graph, posts=inputs.posts).accounts
    got = run.analysis.accounts
    assert list(got.index) == list(local.index) and "nobody_here" in got.index and "zed" in got.index
    assert list(got.columns) == list(local.columns)
    assert got["rated"].sum() > 100 and (got["sponsored_share"] > 0).sum() >= 1
    assert got["unresolved"].sum() == 2 and got.loc["nobody_here", "sampled_posts"] == 1
    assert (got["interaction_pagerank"] > 0).all() and got["conversation"].sum() > 50
    assert (got["hashtags"].str.count(" ") == 9).sum() > 10  # ten tags kept where an owner used more
    for col in got.columns.drop(["community", "niche_label"]):  # niches: clusters of creators on Spark
        tol = 1e-6 if col in ("pagerank", "hub", "authority", "interaction_pagerank") else 1e-9
        _same_column(got[col], local[col], tol)
    assert run.graph.report.lines() == inputs.graph.report.lines()
    assert "engagement" in run.analysis.targets.attrs["weights"]  # engagement now scores the targets


def test_hits_equals_local(spark, tmp_path):
    """HITS on Spark (power iteration over DataFrames from the uniform vector) against the local
    engine's SVD: rank --by hits / hub give the same tables, scores to 1e-6 (measured ~1e-15)."""
    rng = np.random.default_rng(3)
    src, dst = rng.integers(0, 40, 300), rng.zipf(1.6, 300) % 40
    path = tmp_path / "f.csv"
    path.write_text("follower,followed\n" + "".join(f"u{a},u{b}\n" for a, b in zip(src, dst)))
    for by, col in (("hits", "authority"), ("hub", "hub")):
        got = {}
        for engine in ("local", "spark"):
            out = tmp_path / f"{engine}-{by}.csv"
            res = CliRunner().invoke(cli, ["rank", str(path), "--by", by, "--engine", engine, "-o", str(out), "-q"])
            assert res.exit_code == 0, res.output
            got[engine] = pd.read_csv(out, index_col="id")
        assert list(got["spark"].columns) == list(got["local"].columns) == ["rank", "handle", col]
        assert np.abs(got["spark"][col] - got["local"][col].reindex(got["spark"].index)).max() < 1e-6
        assert abs(got["spark"][col].sum() - 1) < 1e-9


def test_empty_niche_pool_writes_communities_with_its_columns(spark, tmp_path):
    """No creator of the target tier has followers: communities.csv still has the local engine's
    header (no 0-byte file), no account has a niche, and the notes say why and what to do."""
    follows = tmp_path / "f.csv"
    follows.write_text("follower,followed\na,b\nc,b\nd,b\n")
    load = LoadOptions(follows=str(follows))
    run = analyze(spark, load)  # default tier micro: every account here is nano by in-degree
    write_run(run, tmp_path / "out", load=load)
    got = pd.read_csv(tmp_path / "out" / "communities.csv")
    local = pd.read_csv(_local_communities(load, tmp_path / "local"))
    assert len(got) == 0 and list(got.columns) == [c for c in local.columns if c != "stability"]
    assert run.analysis.accounts["community"].isna().all()
    assert any("niche pool is empty" in n and "--tier all" in n for n in run.analysis.notes)
    everyone = analyze(spark, load, target=TargetParams(tier="all"))
    assert everyone.analysis.accounts["community"].notna().sum() == 1  # b, the one account with followers


def _local_communities(load, out):
    from graphinflu.analysis import analyze as local_analyze, write_analysis
    loaded = load_inputs(load)
    write_analysis(local_analyze(loaded.graph), out, load=load, graph=loaded.graph)
    return out / "communities.csv"


def test_cli_niche_selections_on_spark(spark, tmp_path):
    """overlap/similar --niche on Spark select by the Spark engine's niches (the co-audience
    clusters analyze --engine spark finds, the pool of --tier's creators): two groups of creators
    whose audiences meet only through one follower, w, of a0 and b0."""
    rows = [f"u{i},a{j}" for i in range(12) for j in range(4)] + [f"v{i},b{j}" for i in range(12) for j in range(4)]
    path = tmp_path / "groups.csv"
    path.write_text("follower,followed\n" + "\n".join(rows + ["w,a0", "w,b0"]) + "\n")
    sg = read_follows(spark, LoadOptions(follows=str(path)))
    from graphinflu.spark.analysis import spark_niches
    niches = spark_niches(sg, tier="nano")
    a, b = niches[[f"a{j}" for j in range(4)]], niches[[f"b{j}" for j in range(4)]]
    assert a.nunique() == 1 and b.nunique() == 1 and a.iloc[0] != b.iloc[0]
    assert niches.drop(list(a.index) + list(b.index)).isna().all()  # followers are not in the pool
    out = tmp_path / "pairs.csv"
    res = CliRunner().invoke(cli, ["overlap", str(path), "--tier", "nano", "--niche", str(int(a.iloc[0])),
                                   "--engine", "spark", "-o", str(out)])
    assert res.exit_code == 0, res.output
    pairs = pd.read_csv(out)
    assert len(pairs) == 6 and set(pairs["creator_a"]) | set(pairs["creator_b"]) == set(a.index)
    got = {}
    for niche in (None, "same"):
        out = tmp_path / f"similar-{niche}.csv"
        extra = ["--tier", "nano"] + (["--niche", niche] if niche else [])
        res = CliRunner().invoke(cli, ["similar", str(path), "a0", *extra, "--engine", "spark", "-o", str(out)])
        assert res.exit_code == 0, res.output
        got[niche] = pd.read_csv(out, index_col="id")
    assert f"a0 is in niche {int(a.iloc[0])}" in res.output
    assert "b0" in got[None].index and set(got["same"].index) == {"a1", "a2", "a3"}
    res = CliRunner().invoke(cli, ["similar", str(path), "a0", "--tier", "nano", "--niche", "7", "--engine", "spark"])
    assert res.exit_code == 1 and "no account has community 7" in res.output and "Traceback" not in res.output


def test_map_report_and_intersections_equal_the_local_drawing(bundled, tmp_path):
    """analyze --engine spark writes map.html, report.html and shortlist_intersections like the
    local engine: the map drawn from the follows between its creators (collected from Spark) is
    byte for byte the map the local engine draws from the whole graph with the same tables, and
    the UpSet table equals the local function's on the shortlist."""
    from graphinflu.maps import build_map, with_targets
    from graphinflu.metrics import upset
    from graphinflu.spark.pages import write_pages

    run, graph, load = bundled
    a = run.analysis
    pd.testing.assert_frame_equal(a.shortlist_intersections,
                                  upset.audience_intersections(graph, a.shortlist.index[:upset.MAX_CREATORS]))
    extra = write_pages(run, tmp_path, inputs=load.paths())
    assert extra == {"map": "map.html", "report": "report.html"}
    brand = list(graph.ids[graph.positions(list(BRAND))])
    drawn = list(dict.fromkeys(list(a.creators) + brand))
    rows = a.accounts.loc[drawn]
    ref = build_map(graph, with_targets(rows, a.targets), a.overlap_pairs, brand=brand, path=tmp_path / "ref.html",
                    title="graphinflu: top targets")
    assert ref.path.read_bytes() == (tmp_path / "map.html").read_bytes()
    html = (tmp_path / "report.html").read_text()
    assert 'href="map.html"' in html and a.shortlist["handle"].iloc[0] in html


def test_cli_analyze_on_spark_writes_the_pages(spark, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("follower,followed\n" + "".join(f"u{i},c{i % 3}\nu{i},c{(i + 1) % 3}\nc{i % 3},c{(i + 2) % 3}\n"
                                                    for i in range(12)))
    for flag, pages in (("--map", {"map.html", "report.html"}), ("--no-map", {"report.html"})):
        out = tmp_path / flag
        res = CliRunner().invoke(cli, ["analyze", str(path), "--engine", "spark", "--tier", "all", flag, "-o", str(out)])
        assert res.exit_code == 0, res.output
        files = set(__import__("json").loads((out / "manifest.json").read_text())["files"].values())
        assert pages <= files and pages <= {p.name for p in out.iterdir()}
        assert ("map.html" in files) == (flag == "--map")


def test_between_graph_holds_the_follows_among_the_creators(spark, tmp_path):
    """The map's follows between creators, selected in Spark, are the local graph's follows among them."""
    from graphinflu.spark.analysis import between_graph

    path = tmp_path / "f.csv"
    path.write_text("follower,followed\nu1,c0\nc0,c1\nc1,c2\nc2,c0\nu2,c2\nc0,u3\nc1,c0\n")
    sg = read_follows(spark, LoadOptions(follows=str(path)))
    rows = pd.DataFrame({"handle": ["C2", "C0", "C1"]}, index=pd.Index(["c2", "c0", "c1"], name="id"))
    got = between_graph(sg, rows)
    pairs = sorted(zip(got.ids[got.edges["source"].to_numpy()], got.ids[got.edges["target"].to_numpy()]))
    assert pairs == [("c0", "c1"), ("c1", "c0"), ("c1", "c2"), ("c2", "c0")]
    assert dict(zip(got.ids, got.accounts["handle"])) == {"c0": "C0", "c1": "C1", "c2": "C2"}
