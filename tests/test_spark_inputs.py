"""The Spark engine's inputs equal the local engine's: profiles read from a URI (CSV and Parquet,
``file://``), a follow list naming accounts by the profiles' handles (resolved in Spark), the
brand, seeds and creators named by handle (with and without profiles), and ``--profiles``/``--posts``
on rank, overlap, similar and shortlist; bad input gets the local engine's messages, never a JVM
trace. Each Spark read runs once per module."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu.accounts import account_table
from graphinflu.cli import cli
from graphinflu.errors import AmbiguousAccountError, InputError, UnknownAccountError
from graphinflu.identity import normalise_handles
from graphinflu.loaders.profiles import read_profiles
from graphinflu.params import LoadOptions, TargetParams
from graphinflu.pipeline import load_inputs
from graphinflu.spark.analysis import analyze
from graphinflu.spark.identity import normalised, stripped
from graphinflu.spark.profiles import attach_profiles, load_profiles
from graphinflu.spark.reader import edges_to_pandas, read_follows
from graphinflu.spark.session import spark_session

BUNDLED = "graphinflu/data/twitter_follower_sets.tsv.gz"


@pytest.fixture(scope="session")
def spark():
    session = spark_session("local[2]", shuffle_partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Generated follows (seeded) rewritten to name a third of the followed accounts by their
    profile's handle (``@HANDLE``, ``Handle``, `` handle ``), a handle two profiles share named in the follow list, an account following the
    handle of its own profile (a self-loop once resolved) and a follow written once by id and once
    by handle (a repeat once resolved); the profiles as CSV and Parquet, and the posts."""
    from graphinflu.generate import generate, write_generated

    out = tmp_path_factory.mktemp("inputs")
    paths = write_generated(generate(3_000, seed=11), out)
    prof = pd.read_csv(paths["profiles"], dtype=str, keep_default_na=False)
    handle = dict(zip(prof["id"], prof["handle"]))
    fol = pd.read_csv(paths["follows"], dtype=str)
    named = fol["target"].map(handle)
    pick = named.notna() & (np.arange(len(fol)) % 3 == 0)
    style = np.arange(len(fol)) % 4
    fol.loc[pick & (style == 0), "target"] = "@" + named[pick & (style == 0)].str.upper()
    fol.loc[pick & (style == 1), "target"] = named[pick & (style == 1)].str.title()
    fol.loc[pick & (style == 2), "target"] = " " + named[pick & (style == 2)] + " "
    a, b = prof["id"].iloc[0], prof["id"].iloc[1]
    extra = pd.DataFrame({"source": [a, "fan_1", "fan_1", "fan_2"],
                          "target": [handle[a], b, handle[b].upper(), "Twin_Star"]})
    pd.concat([fol, extra]).to_csv(paths["follows"], index=False)
    twins = pd.DataFrame([{**{c: "" for c in prof.columns}, "id": i, "handle": h, "followers": "1200"}
                          for i, h in (("twin_1", "twin_star"), ("twin_2", "@Twin_Star"))])
    prof = pd.concat([prof, twins])
    prof.to_csv(paths["profiles"], index=False)
    parquet = out / "profiles.parquet"
    prof.to_parquet(parquet, index=False)
    bad = out / "bad_profiles.csv"
    bad.write_text("name_of_nobody,followers\n,12\n")  # no id or handle column
    return {**paths, "parquet": parquet, "bad": bad, "handle": handle, "ids": (a, b)}


@pytest.fixture(scope="module")
def local(files):
    """The local engine's graph of the follows with the profiles (handles resolved there)."""
    return load_inputs(LoadOptions(follows=str(files["follows"]), profiles=str(files["profiles"]))).graph


@pytest.fixture(scope="module")
def by_uri(spark, files):
    """The follows read by Spark with the profiles from a ``file://`` URI (CSV), and from Parquet."""
    out = {}
    for kind in ("profiles", "parquet"):
        load = LoadOptions(follows=str(files["follows"]), profiles=f"file://{files[kind]}")
        sg = read_follows(spark, load, with_tables=True)
        out[kind] = attach_profiles(sg, load.profiles)
    return out


def test_spark_normalises_handles_as_identity(spark):
    """The Spark expressions equal identity.normalise_handles and str.strip on names with Unicode
    spaces (no-break, ideographic, em, the information separators), repeated @, tabs and case."""
    names = [" @Fit_Eli ", "\t@@ana\u00a0", "\u3000Bo\u2003", "@ x", "@ @x", "x@y", "MiXeD", "\x1cname\x1f",
             "\u2028line\u2029", "", "@", "  ", "\u00c9lodie", "\u0130stanbul", "STRASSE", "straße", "\u03a3\u0399\u03a3",
             "\u0345", "\ufb03", None]
    df = spark.createDataFrame(pd.DataFrame({"v": pd.Series(names, dtype=object)}), "v string")
    got = df.select(normalised(df["v"]).alias("n"), stripped(df["v"]).alias("s")).toPandas()
    assert got["n"].tolist() == normalise_handles(names).tolist()
    ref = pd.Series(names, dtype="string").str.strip()
    assert got["s"].fillna("<NA>").tolist() == ref.fillna("<NA>").tolist()


@pytest.mark.parametrize("kind", ["profiles", "parquet"])
def test_follows_by_handle_resolve_as_local(by_uri, local, files, kind):
    """Profiles from a URI (CSV, Parquet); follows naming accounts by handle resolved in Spark:
    the same accounts in the same order, the same follows, handles and profile columns, the same
    report (self-loop and repeat made by the resolution, the shared handle) as the local engine."""
    sg, prof = by_uri[kind]
    assert list(sg.id_array()) == list(local.ids)
    assert sg.n_edges == local.n_edges
    e = edges_to_pandas(sg)
    pairs = set(zip(e["source"], e["target"]))
    assert pairs == set(zip(local.ids[local.edges["source"]], local.ids[local.edges["target"]]))
    assert list(sg.handle_array()) == list(local.accounts["handle"])
    local_prof = read_profiles(files["profiles"])
    pd.testing.assert_frame_equal(prof, local_prof, check_dtype=False)
    assert sg.report.lines()[-1].endswith("profile rows are accounts with no edge in the graph: kept as accounts "
                                          "without followers")
    uri = f"file://{files[kind]}"
    want = [line.replace(str(files["profiles"]), uri) for line in local.report.lines()]

    def resolved(lines):  # the reader's trimming note is counted on its sample of the head (not this module's)
        return [x for x in lines if "white space around them trimmed" not in x]

    assert resolved(sg.report.lines()) == resolved(want)
    assert any("self-loops dropped" in x for x in want) and any("duplicate follow rows merged" in x for x in want)
    assert any("handles shared by several accounts ('twin_star': twin_1, twin_2)" in x for x in want)


def test_names_resolve_as_local(by_uri, local, files):
    """Accounts the user names (brand, seeds, creators): ids, ids with spaces, handles in any case
    with @; unknown and ambiguous names raise the local engine's errors, word for word."""
    sg, _ = by_uri["profiles"]
    a, b = files["ids"]
    names = [a, f" {b} ", "@" + files["handle"][b].upper(), files["handle"][a].title(), "fan_1"]
    assert list(sg.codes(names)) == list(local.positions(names))
    for bad, err in ((["nobody", "@ghost", a], UnknownAccountError), (["twin_star"], AmbiguousAccountError)):
        with pytest.raises(err) as got:
            sg.codes(bad)
        with pytest.raises(err) as ref:
            local.positions(bad)
        assert str(got.value) == str(ref.value)


def test_bad_profiles_uri_gets_the_local_message(spark, files, tmp_path):
    """A profiles URI without an id or handle column, or one that does not exist: the local
    reader's message naming the URI, never a JVM trace."""
    with pytest.raises(InputError) as ref:
        read_profiles(files["bad"])
    uri = f"file://{files['bad']}"
    with pytest.raises(InputError) as got:
        load_profiles(spark, uri)
    assert str(got.value) == str(ref.value).replace(str(files["bad"]), uri)
    with pytest.raises(InputError, match="file not found"):
        load_profiles(spark, f"file://{tmp_path}/none.csv")


@pytest.fixture(scope="module")
def bundled(spark):
    return read_follows(spark, LoadOptions(follows=BUNDLED)), load_inputs(LoadOptions(follows=BUNDLED)).graph


def test_brand_by_handle_without_profiles(bundled):
    """Without profiles an account's handle is its id: '@set 3' is 'Set 3' on both engines; an
    unknown brand account gets the local message."""
    sg, graph = bundled
    names = ["@set 3", " SET 17 ", "Set 40"]
    assert list(sg.codes(names)) == list(graph.positions(names))
    with pytest.raises(UnknownAccountError) as got:
        sg.codes(["@set 3", "no_such_brand"])
    with pytest.raises(UnknownAccountError) as ref:
        graph.positions(["@set 3", "no_such_brand"])
    assert str(got.value) == str(ref.value)


def test_analyze_brand_by_handle_with_profiles_equals_local(spark, files, local):
    """analyze --engine spark with the profiles from a URI, the follow list by handle and the brand
    by handle: the local account table's ids, handles, followers, tiers, PageRank and affinity."""
    a, b = files["ids"]
    brand = ("@" + files["handle"][a].upper(), files["handle"][b])
    load = LoadOptions(follows=str(files["follows"]), profiles=f"file://{files['profiles']}")
    run = analyze(spark, load, target=TargetParams(seeds=brand, tier="all", overlap_top=5, shortlist_k=2))
    ref = account_table(local, seeds=list(brand)).accounts
    got = run.analysis.accounts
    assert list(got.index) == list(ref.index)
    for col in ("handle", "followers", "followers_source", "tier", "indegree", "category"):
        pd.testing.assert_series_equal(got[col], ref[col], check_dtype=False, check_categorical=False)
    for col in ("pagerank", "audience_match"):
        assert np.abs(got[col].to_numpy() - ref[col].to_numpy()).max() < 1e-6, col
    for col in ("affinity", "affinity_lift", "brand_fit"):
        assert np.abs(got[col].to_numpy() - ref[col].to_numpy()).max() < 1e-9, col
    with pytest.raises(UnknownAccountError, match="1 account not found in the graph: @nobody_here"):
        analyze(spark, load, target=TargetParams(seeds=("@nobody_here",)))


def _both(tmp_path, args: list[str], files, *, index_col=None) -> dict[str, pd.DataFrame]:
    """The command's table with --engine local (profiles from the path) and spark (from a URI)."""
    got = {}
    for engine in ("local", "spark"):
        prof = str(files["profiles"]) if engine == "local" else f"file://{files['profiles']}"
        out = tmp_path / f"{engine}.csv"
        res = CliRunner().invoke(cli, [args[0], str(files["follows"]), *args[1:], "--profiles", prof,
                                       "--engine", engine, "-o", str(out), "-q"])
        assert res.exit_code == 0, res.output
        got[engine] = pd.read_csv(out, index_col=index_col, keep_default_na=False)
    return got


def test_cli_rank_with_profiles_equals_local(spark, files, tmp_path):
    """rank --profiles: the profiles' handles, profile-only accounts ranked too, PageRank to 1e-6."""
    got = _both(tmp_path, ["rank", "--by", "pagerank"], files, index_col="id")
    assert list(got["spark"].columns) == list(got["local"].columns) == ["rank", "handle", "pagerank"]
    assert set(got["spark"].index) == set(got["local"].index) and "twin_1" in got["spark"].index
    local = got["local"].reindex(got["spark"].index)
    assert (got["spark"]["handle"] == local["handle"]).all()
    assert np.abs(got["spark"]["pagerank"] - local["pagerank"]).max() < 1e-6


def test_cli_overlap_similar_shortlist_with_profiles_equal_local(spark, files, local, tmp_path):
    """overlap (creators named by handle), similar (an account by handle, tiers from the profiles'
    follower counts) and shortlist (candidates by handle) with --profiles: the local tables."""
    h = files["handle"]
    creators = local.ids[np.argsort(-np.bincount(local.edges["target"], minlength=local.n_accounts), kind="stable")[:6]]
    named = ",".join("@" + h[c].upper() if c in h else c for c in creators)
    for args in (["overlap", "--accounts", named, "--view", "creators"],
                 ["similar", "@" + h[files["ids"][1]].upper(), "--tier", "micro", "--top", "30"],
                 ["shortlist", "--k", "3", "--candidates", named],
                 # a budget over a profile column (here the profiles' following counts as costs)
                 ["shortlist", "--budget", "1500", "--cost-col", "following", "--candidates", named]):
        got = _both(tmp_path, args, files)
        assert len(got["local"]) > 0, args
        pd.testing.assert_frame_equal(got["spark"], got["local"], obj=args[0])
    assert got["spark"]["cumulative_cost"].iloc[-1] <= 1500 and len(got["spark"]) < 6  # the budget bound
    said = {}
    for engine in ("local", "spark"):
        res = CliRunner().invoke(cli, ["shortlist", str(files["follows"]), "--budget", "10", "--cost-col", "fee",
                                       "--candidates", named, "--profiles", str(files["profiles"]), "--engine", engine])
        assert res.exit_code == 1 and "Traceback" not in res.output
        said[engine] = res.output[res.output.index("Error:"):]
    assert "cost column 'fee' not found in the profiles" in said["spark"] and said["spark"] == said["local"], said


def test_cli_posts_and_bad_input(spark, files, tmp_path):
    """--posts leaves overlap as it is (and is read and checked); rank --posts ranks the posts'
    owners and the accounts they mention, by follow or interaction PageRank or a Cha et al. signal,
    as locally; an unknown handle and a profiles URI without an id column get the local messages."""
    got = {}
    for engine in ("local", "spark"):
        out = tmp_path / f"{engine}.csv"
        res = CliRunner().invoke(cli, ["overlap", str(files["follows"]), "--top", "4", "--posts", str(files["posts"]),
                                       "--profiles", str(files["profiles"]), "--engine", engine, "-o", str(out), "-q"])
        assert res.exit_code == 0, res.output
        got[engine] = pd.read_csv(out)
    pd.testing.assert_frame_equal(got["spark"], got["local"])
    for by in ("pagerank", "interaction", "conversation"):  # the posts' owners and mentions are ranked too
        ranked = {}
        for engine in ("local", "spark"):
            out = tmp_path / f"rank-{by}-{engine}.csv"
            res = CliRunner().invoke(cli, ["rank", str(files["follows"]), "--posts", str(files["posts"]), "--profiles",
                                           str(files["profiles"]), "--by", by, "--engine", engine, "-o", str(out), "-q"])
            assert res.exit_code == 0, res.output
            ranked[engine] = pd.read_csv(out, index_col=0)
        got, want = ranked["spark"], ranked["local"]
        score = got.columns[-1]
        assert len(got) == len(want) and set(got.index) == set(want.index), by
        assert np.abs(got[score] - want[score].reindex(got.index)).max() < 1e-6, by
        # the order: by score, ties in account order (scores equal to 1e-6 may swap)
        assert (np.abs(got[score].to_numpy() - want[score].to_numpy()) < 1e-6).all(), by
    for prof in (str(files["profiles"]), str(files["bad"])):
        said = {}
        for engine in ("local", "spark"):
            p = prof if engine == "local" else f"file://{prof}"
            res = CliRunner().invoke(cli, ["similar", str(files["follows"]), "@nobody_at_all", "--profiles", p,
                                           "--engine", engine, "-q"])
            assert res.exit_code == 1 and "Traceback" not in res.output and "at org.apache" not in res.output
            said[engine] = res.output[res.output.index("Error:"):].replace(f"file://{prof}", prof)
        assert said["spark"] == said["local"], said


def test_cli_quality_only_equals_local(spark, files, local, tmp_path):
    """--quality-only on Spark: only the quality followers' follows (flags from the profiles) count,
    while tiers, niches and audience match still use every follower, as locally: overlap, similar
    and shortlist tables equal the local engine's."""
    seeds = ",".join(local.ids[:3])
    for args in (["overlap", "--top", "5", "--view", "creators", "--quality-only"],
                 ["overlap", "--tier", "micro", "--top", "4", "--quality-only"],
                 ["similar", "@" + files["handle"][files["ids"][1]].upper(), "--tier", "micro", "--quality-only"],
                 ["shortlist", "--k", "3", "--top-candidates", "8", "--audience-match", seeds, "--quality-only"]):
        got = _both(tmp_path, args, files)
        assert len(got["local"]) > 0, args
        pd.testing.assert_frame_equal(got["spark"], got["local"], obj=" ".join(args[:2]))
    # the filter does something here: shared followers counted among quality followers differ
    everyone = _both(tmp_path, ["similar", "@" + files["handle"][files["ids"][1]].upper(), "--tier", "micro"], files)
    assert got["spark"]["cumulative_reach"].iloc[-1] > 0
    assert not everyone["spark"]["shared"].equals(
        _both(tmp_path, ["similar", "@" + files["handle"][files["ids"][1]].upper(), "--tier", "micro",
                         "--quality-only"], files)["spark"]["shared"])
