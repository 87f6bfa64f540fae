"""--interactions and --since/--until on the Spark engine equal the local engine: the interaction
columns of the account table (interaction PageRank to 1e-6, Cha et al.'s signals exactly, their
ranks), their order, ``cha_agreement``, the windowed engagement columns and the window note; bad
interactions files get the local messages. One Spark run per case, on small hand-made files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu.analysis import analyze as local_analyze
from graphinflu.cli import cli
from graphinflu.errors import InputError
from graphinflu.params import EngagementParams, LoadOptions, TargetParams
from graphinflu.pipeline import load_inputs
from graphinflu.spark.analysis import analyze
from graphinflu.spark.session import spark_session

#: The interaction columns of the local account table, in its order.
INTERACTION_COLUMNS = ["interaction_pagerank", "reach", "reach_source", "amplification", "conversation", "reach_rank",
                       "amplification_rank", "conversation_rank"]
#: Engagement columns a window changes.
WINDOW_COLUMNS = ["posts_counted", "posts_undated", "mean_likes", "mean_comments", "engagement_rate", "rated",
                  "engagement_percentile", "engagement_rate_shrunk", "engagement_known"]


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", shuffle_partitions=2)
    yield session
    session.stop()


def _write_inputs(folder, seed: int = 11) -> dict:
    """Follows among 40 accounts; interactions of every kind (with accounts only they name, repeats,
    a self-loop, an empty end, a negative and a missing weight); posts with timestamps written with
    offsets, as dates alone, as epoch numbers (another file) and blank."""
    rng = np.random.default_rng(seed)
    users = [f"u{i}" for i in range(40)]
    src, dst = rng.integers(0, 40, 260), rng.zipf(1.7, 260) % 40
    follows = pd.DataFrame({"follower": np.asarray(users)[src], "followed": np.asarray(users)[dst]})
    kinds = np.asarray(["mentions", "replies", "reposts", "likes", "comments", "tags", "sponsors"])
    n = 180
    names = users + ["ext1", "ext2", "Ext3"]  # ext*: only the interactions name them
    inter = pd.DataFrame({"source": np.asarray(names)[rng.integers(0, len(names), n)],
                          "target": np.asarray(names)[rng.zipf(1.5, n) % len(names)],
                          "kind": kinds[rng.integers(0, len(kinds), n)],
                          "weight": rng.integers(0, 5, n).astype(float), "timestamp": rng.integers(1.7e9, 1.71e9, n)})
    inter.loc[0, ["source", "target"]] = ["ext2", "u3"]  # ext2 first seen as a source
    inter.loc[1, ["source", "target"]] = ["u5", "u5"]  # a self-loop
    inter.loc[2, "target"] = ""  # an empty end
    inter.loc[3, "weight"] = -1.0  # skipped
    inter.loc[4, "weight"] = np.nan  # skipped
    inter.loc[5, "kind"] = " Reposts "  # kinds are trimmed and lower-cased
    inter = pd.concat([inter, inter.iloc[10:30]], ignore_index=True)  # repeats are summed
    owners = np.asarray(users)[rng.integers(0, 40, 300)]
    epoch = rng.integers(1_700_000_000, 1_720_000_000, 300)
    stamps = pd.Series(pd.to_datetime(epoch, unit="s", utc=True).strftime("%Y-%m-%dT%H:%M:%S"), dtype=object)
    stamps[::3] = [f"{s}+02:00" for s in stamps[::3]]
    stamps[1::7] = [s[:10] for s in stamps[1::7]]  # dates alone: midnight UTC
    stamps[2::11] = ""  # undated
    posts = pd.DataFrame({"owner": owners, "likes": rng.integers(0, 900, 300), "comments": rng.integers(0, 40, 300),
                          "timestamp": stamps})
    paths = {k: folder / f"{k}.csv" for k in ("follows", "interactions", "posts", "epoch_posts")}
    follows.to_csv(paths["follows"], index=False)
    inter.to_csv(paths["interactions"], index=False)
    posts.to_csv(paths["posts"], index=False)
    posts.assign(timestamp=np.where(stamps == "", "", epoch.astype(str))).to_csv(paths["epoch_posts"], index=False)
    return paths


WINDOW = EngagementParams(since="2023-12-01", until="2024-04-01T12:00:00+02:00")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return _write_inputs(tmp_path_factory.mktemp("inter"))


#: Every tier: the small graphs have no micro creator to target.
TARGET = TargetParams(tier="all", overlap_top=5, shortlist_k=3)


def _both(spark, load: LoadOptions, engagement=None):
    run = analyze(spark, load, engagement=engagement, target=TARGET, stability_runs=0)
    inp = load_inputs(load)
    return run.analysis, local_analyze(inp.graph, posts=inp.posts, engagement=engagement, target=TARGET,
                                       stability_runs=0)


@pytest.fixture(scope="module")
def with_window(spark, inputs):
    load = LoadOptions(follows=str(inputs["follows"]), interactions=str(inputs["interactions"]),
                       posts=str(inputs["posts"]))
    return _both(spark, load, WINDOW)


def _close(a: pd.Series, b: pd.Series, tol: float, name: str) -> None:
    x, y = a.to_numpy(np.float64), b.to_numpy(np.float64)
    assert (np.isnan(x) == np.isnan(y)).all(), name
    assert np.nanmax(np.abs(x - y), initial=0.0) <= tol * max(1.0, np.nanmax(np.abs(y), initial=0.0)), name


def test_interaction_columns_equal_local(with_window):
    got, ref = with_window
    g, r = got.accounts, ref.accounts
    assert list(g.index) == list(r.index)  # interaction-only accounts appended in the local order
    assert {"ext1", "ext2", "Ext3"} <= set(g.index) and list(g.index).index("ext2") < list(g.index).index("ext1")
    assert list(g.columns) == [c for c in r.columns if c in g.columns]  # the local order
    assert set(INTERACTION_COLUMNS) <= set(g.columns)
    _close(g["interaction_pagerank"], r["interaction_pagerank"], 1e-6, "interaction_pagerank")
    assert abs(g["interaction_pagerank"].sum() - 1.0) < 1e-12
    _close(g["pagerank"], r["pagerank"], 1e-6, "pagerank")  # N counts the interaction-only accounts
    for col in ("reach", "amplification", "conversation"):
        _close(g[col], r[col], 1e-9, col)
        assert (g[f"{col}_rank"].to_numpy() == r[f"{col}_rank"].to_numpy()).all(), col
    assert (g["reach_source"].astype(str).to_numpy() == r["reach_source"].astype(str).to_numpy()).all()
    assert g["amplification"].sum() > 0 and g["conversation"].sum() > 0
    pd.testing.assert_frame_equal(got.cha_agreement, ref.cha_agreement, rtol=1e-9)
    assert ref.cha_agreement["spearman"].notna().all()


def test_window_engagement_equals_local(with_window):
    got, ref = with_window
    g, r = got.accounts, ref.accounts
    for col in WINDOW_COLUMNS:
        _close(g[col], r[col], 1e-9, col)
    assert 0 < g["posts_counted"].sum() < 300 and g["posts_undated"].sum() > 0
    note = [n for n in ref.notes if n.startswith("engagement counts")]
    assert len(note) == 1 and note[0] in got.notes


def test_epoch_timestamps_window_equals_local(spark, inputs):
    load = LoadOptions(follows=str(inputs["follows"]), posts=str(inputs["epoch_posts"]))
    got, ref = _both(spark, load, WINDOW)
    for col in WINDOW_COLUMNS:
        _close(got.accounts[col], ref.accounts[col].reindex(got.accounts.index), 1e-9, col)
    assert [n for n in ref.notes if n.startswith("engagement counts")][0] in got.notes


def test_cli_engine_spark_writes_the_local_accounts_columns(spark, inputs, tmp_path):
    """graphinflu analyze --engine spark --interactions --posts --since: accounts.csv has the local
    engine's columns, in the same order, and cha_agreement.csv the local rows."""
    common = [str(inputs["follows"]), "--interactions", str(inputs["interactions"]), "--posts", str(inputs["posts"]),
              "--since", "2024-01-01", "--tier", "all", "--overlap-top", "4", "--shortlist-k", "2", "-q"]
    out = {}
    for engine in ("local", "spark"):
        res = CliRunner().invoke(cli, ["analyze", *common, "--engine", engine, "-o", str(tmp_path / engine),
                                       "--stability-runs", "0", *(["--no-map"] if engine == "local" else [])])
        assert res.exit_code == 0, res.output
        out[engine] = pd.read_csv(tmp_path / engine / "accounts.csv")
    local, got = out["local"], out["spark"]
    assert list(got.columns) == list(local.columns)  # the posts' per-owner columns and HITS too
    assert {"hub", "authority"} <= set(got.columns)
    assert {*INTERACTION_COLUMNS, "posts_undated"} <= set(got.columns)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "spark" / "cha_agreement.csv"),
                                  pd.read_csv(tmp_path / "local" / "cha_agreement.csv"), rtol=1e-9)


def test_cli_window_without_posts_gets_the_local_message(tmp_path):
    """--since without --posts: the local engine's message, before Spark starts."""
    path = tmp_path / "f.csv"
    path.write_text("follower,followed\nu1,c0\nu2,c0\n")
    for engine in ("local", "spark"):
        res = CliRunner().invoke(cli, ["analyze", str(path), "--since", "2024-01-01", "--engine", engine,
                                       "-o", str(tmp_path / engine)])
        assert res.exit_code == 1 and "count posts, but no posts table was given" in res.output, res.output
        assert "Traceback" not in res.output


@pytest.mark.parametrize("content,message", [
    ("source\nu1\nu2\n", "an edge list needs two"),
    ("source,target,weight\nu1,u2,3\nu2,u1,lots\n", "weight column 'weight' holds non-numeric values"),
    ("source,target,kind\nu1,u2,mentions\nu2,u1,shouts\n", "unknown edge kind(s) ['shouts']"),
    # beyond the lines the layout is decided on: Spark's own check of every row
    ("source,target,weight\n" + "u1,u2,1\n" * 2500 + "u2,u1,lots\n", "weight column 'weight' holds non-numeric values"),
])
def test_bad_interactions_get_the_local_messages(spark, tmp_path, content, message):
    """A missing column, a non-numeric weight, an unknown kind: the local engine's message through
    Spark too, naming the file, with no JVM trace."""
    follows = tmp_path / "f.csv"
    follows.write_text("follower,followed\nu1,u2\nu3,u2\n")
    inter = tmp_path / "interactions.csv"
    inter.write_text(content)
    load = LoadOptions(follows=str(follows), interactions=str(inter))
    with pytest.raises(InputError) as local:
        load_inputs(load)
    assert message in str(local.value)
    with pytest.raises(InputError) as err:
        analyze(spark, load)
    assert message in str(err.value) and "interactions.csv" in str(err.value)
    assert "java" not in str(err.value).lower() and "Traceback" not in str(err.value)
    res = CliRunner().invoke(cli, ["analyze", str(follows), "--interactions", str(inter), "--engine", "spark",
                                   "-o", str(tmp_path / "out")])
    assert res.exit_code == 1 and message in res.output and "Traceback" not in res.output


def test_profiles_resolve_interaction_names_as_locally(spark, inputs, tmp_path):
    """With --profiles, interaction endpoints written as handles become the profiles' accounts and
    names of no account are flagged ``unresolved``, as the local pipeline resolves them."""
    prof = tmp_path / "profiles.csv"
    rows = [f"u{i},@Handle{i},{1000 * (i + 1)}" for i in range(40)] + ["p1,Pro_One,52000"]
    prof.write_text("id,handle,followers\n" + "\n".join(rows) + "\n")
    inter = tmp_path / "inter.csv"
    inter.write_text("source,target,kind\nHANDLE1,u2,mentions\npro_one,u3,reposts\nu4,stranger,replies\n"
                     "u4,@handle7,reposts\nu9,pro_one,mentions\nu9,u4,mentions\n")
    load = LoadOptions(follows=str(inputs["follows"]), interactions=str(inter), profiles=str(prof))
    got, ref = _both(spark, load)
    g, r = got.accounts, ref.accounts
    assert list(g.index) == list(r.index) and "stranger" in g.index and "HANDLE1" not in g.index
    assert list(g.columns) == [c for c in r.columns if c in g.columns] and "unresolved" in g.columns
    assert g["unresolved"].tolist() == r["unresolved"].tolist() and g["unresolved"].sum() == 1
    _close(g["interaction_pagerank"], r["interaction_pagerank"], 1e-6, "interaction_pagerank")
    for col in ("reach", "amplification", "conversation", "reach_rank", "conversation_rank"):
        _close(g[col], r[col], 1e-9, col)
    pd.testing.assert_frame_equal(got.cha_agreement, ref.cha_agreement, rtol=1e-9)


@pytest.mark.parametrize("layout", ["parquet", "tsv-headerless"])
def test_other_layouts_read_as_the_local_reader_reads_them(spark, inputs, tmp_path, layout):
    """Parquet (columns by name) and a headerless whitespace file (SNAP's ``a b count``: the third
    column is the weight): the same accounts, in the same order, and the same weighted edges as the
    local reader's."""
    from graphinflu.spark.interactions import attach_interactions
    from graphinflu.spark.reader import read_follows

    inter = pd.read_csv(inputs["interactions"], keep_default_na=False, dtype=str)
    if layout == "parquet":
        path = tmp_path / "interactions.parquet"
        numbers = {c: pd.to_numeric(inter[c]) for c in ("weight", "timestamp")}
        inter.assign(**numbers).to_parquet(path)
    else:
        path = tmp_path / "interactions.txt"
        ok = (inter["source"] != "") & (inter["target"] != "") & (inter["weight"] != "")
        inter[ok][["source", "target", "weight"]].to_csv(path, sep=" ", header=False, index=False)
    load = LoadOptions(follows=str(inputs["follows"]), interactions=str(path), interaction_kind="replies")
    sg, got = attach_interactions(read_follows(spark, load, with_tables=True), load)
    ids = sg.id_array()
    graph = load_inputs(load).graph
    assert list(ids) == list(graph.ids)
    e = got.edges.toPandas()
    mine = pd.DataFrame({"source": ids[e["src"]], "target": ids[e["dst"]], "kind": e["kind"], "weight": e["weight"]})
    ref = graph.edge_table()
    ref = ref[ref["kind"] != "follows"][["source", "target", "kind", "weight"]].astype({"kind": str})
    key = ["source", "target", "kind"]
    pd.testing.assert_frame_equal(mine.sort_values(key).reset_index(drop=True),
                                  ref.sort_values(key).reset_index(drop=True), check_dtype=False)
    assert layout == "parquet" or set(mine["kind"]) == {"replies"}


@pytest.mark.parametrize("values", [
    ["2024-01-01", "2024-01-01T00:30:00+01:00", "2024-01-01 10:00:00", "2024-01-01T10:00:00Z", "2024-1-2",
     "2024-01-01T10:00:00.250+0130", "2024-01-01T10:00:00-05", "2024-01-01T10:00", "2024-01-01 23:59z",
     "2024-03-10T02:30:00 +01:00", "", None, "garbage"],
    ["1704067200", "1.7e9", " 1704067200.5 ", "", None, "2024-01-02"],  # numbers: the ISO value is unreadable
])
def test_timestamps_read_as_the_local_reader_reads_them(spark, tmp_path, values):
    """Each post's timestamp on Spark equals read_posts' (offsets, dates alone, times without
    seconds, epoch numbers, blanks, unreadable text), whatever Spark's session time zone."""
    from pyspark.sql import functions as F

    from graphinflu.loaders.posts import read_posts
    from graphinflu.spark.posts import _timestamps

    path = tmp_path / "posts.csv"
    pd.DataFrame({"owner": "a", "likes": 1, "comments": 1, "timestamp": values}).to_csv(path, index=False)
    ref = read_posts(path, dedupe=None)["timestamp"].to_numpy(np.float64)
    raw = spark.read.option("header", "true").csv(str(path))
    zone = spark.conf.get("spark.sql.session.timeZone")
    try:
        spark.conf.set("spark.sql.session.timeZone", "America/New_York")  # naive times stay UTC
        got = raw.select(_timestamps(F, raw, "timestamp").alias("t")).toPandas()["t"].to_numpy(np.float64)
    finally:
        spark.conf.set("spark.sql.session.timeZone", zone)
    assert (np.isnan(got) == np.isnan(ref)).all(), (got, ref)
    assert np.nanmax(np.abs(got - ref)) < 1e-6
    assert np.isfinite(ref).sum() >= 3


@pytest.mark.shared_data
def test_higgs_mentions_equal_local(spark, shared, tmp_path):
    """The SNAP Higgs mention layer (150,818 weighted mentions among 116,408 users, ``a b count``
    without a header): the same accounts in the same order, interaction PageRank to 1e-6 and the
    mentions received (Cha et al.'s conversation) exactly, against the local engine."""
    from graphinflu.metrics import authority
    from graphinflu.spark.interactions import attach_interactions, interaction_columns, measure
    from graphinflu.spark.reader import read_follows

    follows = tmp_path / "follows.csv"
    follows.write_text("follower,followed\n2,3\n4,3\n5,2\n")
    load = LoadOptions(follows=str(follows),
                       interactions=str(shared / "higgs-twitter-mention" / "higgs-mention_network.edgelist.gz"))
    sg, inter = attach_interactions(read_follows(spark, load, with_tables=True), load)
    graph = load_inputs(load).graph
    assert list(sg.id_array()) == list(graph.ids) and graph.n_accounts >= 116_408
    cols = interaction_columns(measure(sg, inter), authority.cha_signals(graph).rename(
        columns={"reach": "followers", "reach_source": "followers_source"}))
    ref = authority.interaction_pagerank(graph)["interaction_pagerank"].to_numpy()
    assert np.abs(cols["interaction_pagerank"] - ref).max() < 1e-6
    cha = authority.cha_signals(graph)
    assert (cols["conversation"] == cha["conversation"].to_numpy()).all() and cols["conversation"].sum() > 100_000
    assert (cols["conversation_rank"] == cha["conversation_rank"].to_numpy()).all()


def test_cli_rank_by_interactions_equals_local(spark, inputs, tmp_path):
    """rank --engine spark with --interactions: the interaction-only accounts are ranked too (so
    follow PageRank's N is the local one), and --by interaction, reach, amplification and
    conversation give the local tables; without interactions, --by reach still ranks by
    followers and --by interaction gets the local message."""
    follows, inter = str(inputs["follows"]), str(inputs["interactions"])
    for by in ("pagerank", "interaction", "reach", "amplification", "conversation"):
        got = {}
        for engine in ("local", "spark"):
            out = tmp_path / f"{engine}-{by}.csv"
            res = CliRunner().invoke(cli, ["rank", follows, "--interactions", inter, "--by", by, "--engine", engine,
                                           "-o", str(out), "-q"])
            assert res.exit_code == 0, res.output
            got[engine] = pd.read_csv(out, index_col="id", keep_default_na=False)
        assert list(got["spark"].columns) == list(got["local"].columns), by
        assert list(got["spark"].index) == list(got["local"].index) or by == "pagerank", by  # ties: account order
        col = got["local"].columns[-1]
        assert np.abs(got["spark"][col] - got["local"][col].reindex(got["spark"].index)).max() < 1e-6, by
    assert len(got["spark"]) > 40  # the 40 follow accounts and the accounts only the interactions name
    for by, said in (("reach", None), ("interaction", "interaction PageRank needs interaction edges")):
        res = {e: CliRunner().invoke(cli, ["rank", follows, "--by", by, "--engine", e, "-q"]) for e in ("local", "spark")}
        if said is None:
            assert res["spark"].exit_code == 0 and res["spark"].output == res["local"].output
        else:
            assert res["spark"].exit_code == 1 and said in res["spark"].output
            assert res["spark"].output.splitlines()[-2:] == res["local"].output.splitlines()[-2:]
