"""``--profiles`` on the Spark engine: follower counts and tiers from the profiles, audience
quality by a join, and the profile columns, as the local engine's account table has them.

A profiles table is one row per account, like the account table the driver already holds, so
it is read on the driver by the local engine's own reader (:func:`graphinflu.loaders.read_profiles`:
the same column spellings, count parsing, report and messages); from a URI, Spark reads it and
the local reader reads the collected copy (:func:`load_profiles`). What touches the follow edges
runs in Spark: the follow in-degree (for accounts whose profile has no follower count) and the
audience quality counts, ``p`` (followers with a profile) and ``q`` (quality followers) per
account, by a join of the follow edges with the followers' flags. The flags
(:func:`graphinflu.metrics.quality.follower_flags`), the tiers (:func:`graphinflu.metrics.tiers.tiers`)
and the shrunk quality (:func:`graphinflu.metrics.quality.quality_columns_from_counts`) are the
local engine's code, run on the collected per-account figures.

Accounts are matched to profiles as the local engine matches them: by id, else by the profiles'
handles (:func:`graphinflu.spark.identity.resolve_follow_names`, a join in Spark); profile rows
without any follow are appended as accounts without followers, after the follow list's accounts,
as the local engine appends them (so PageRank counts them too).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from .._report import Skip
from ..errors import InputError
from ..graph import Graph, _empty_edges
from ..loaders.profiles import read_profiles
from ..metrics import quality as qual
from ..metrics.tiers import tiers
from ..params import LoadOptions
from .identity import resolve_follow_names
from .reader import SparkGraph, _remote_layout, read_follows, renamed_error
from .session import spark_errors


#: Suffixes of the compressions Hadoop decompresses by name (the copy for the local reader drops them).
_CODECS = (".gz", ".bz2", ".deflate", ".zst", ".lz4", ".snappy")


def load_profiles(spark, path) -> pd.DataFrame:
    """The profiles at ``path`` as :func:`~graphinflu.loaders.read_profiles` returns them.

    A local path is read by the local reader. A URI (``file://``, ``hdfs://``, ``s3a://``,
    ``gs://``; a file or a folder of parts) is read by Spark — Parquet as a table, anything else
    as its lines (decompressed by Hadoop), one header kept when a folder's parts repeat it — and
    collected (a profiles table is one row per account, O(accounts), as the account table the
    driver holds); the local reader then reads that copy, so the column spellings, count
    parsing, the report and every message (naming the URI, with the same line numbers) are the
    local engine's.
    """
    path = str(path)
    if "://" not in path:
        return read_profiles(path)
    fmt, _ = _remote_layout(spark, path)
    base = path.rstrip("/").rsplit("/", 1)[-1] or "profiles"
    for suffix in _CODECS:
        base = base.removesuffix(suffix)
    with tempfile.TemporaryDirectory(prefix="graphinflu-spark-profiles-") as tmp:
        if fmt == "parquet":
            copy = Path(tmp) / (base if base.endswith((".parquet", ".pq")) else base + ".parquet")
            with spark_errors(path):
                pq.write_table(spark.read.parquet(path).toArrow(), copy)
        else:
            copy = Path(tmp) / base
            with spark_errors(path):
                df = spark.read.text(path)
                parts = len(df.inputFiles())
                lines = df.toArrow().column("value").to_pylist()
            if parts > 1 and lines:  # each part of a folder starts with the header: keep the first
                lines = [lines[0]] + [x for x in lines[1:] if x != lines[0]]
            copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            prof = read_profiles(copy)
        except InputError as err:  # name the URI, not the copy
            raise renamed_error(err, path) from err
    rep = prof.attrs.get("report")
    if rep is not None:
        rep.items[:] = [Skip(path, s.count, s.reason) if s.source == str(copy) else s for s in rep.items]
    return prof


def attach_profiles(sg: SparkGraph, path) -> tuple[SparkGraph, pd.DataFrame]:
    """Read the profiles at ``path`` (a local file or any URI Spark reads: :func:`load_profiles`)
    and match ``sg``'s accounts to them as the local engine does: follow endpoints named by a
    profile's handle become that profile's account (:func:`graphinflu.spark.identity.resolve_follow_names`,
    in Spark), profile rows without any follow are appended (codes after the others). Returns the
    graph (its ``profiles`` set: handles for the output, names resolved by handle) and the
    profiles (as :func:`~graphinflu.loaders.read_profiles` returns them).

    The two steps are :func:`match_profiles` and :func:`append_profiles`; the Spark commands run
    the interactions and posts between them (:func:`graphinflu.spark.load.read_inputs`), as the
    local engine resolves every name before it appends the profile-only accounts.

    Raises
    ------
    InputError
        An unreadable profiles table (the local engine's messages, naming the file or URI).
    """
    sg, prof = match_profiles(sg, path)
    return append_profiles(sg, prof, path), prof


def match_profiles(sg: SparkGraph, path) -> tuple[SparkGraph, pd.DataFrame]:
    """The profiles at ``path`` read (:func:`load_profiles`) and the follow list's names resolved
    against them (:func:`graphinflu.spark.identity.resolve_follow_names`); ``sg.profiles`` set."""
    prof = load_profiles(sg.spark, path)
    sg = resolve_follow_names(sg, prof)
    return replace(sg, profiles=prof, _id_cache=dict(sg._id_cache)), prof


def append_profiles(sg: SparkGraph, prof: pd.DataFrame, path) -> SparkGraph:
    """``sg`` with the profile rows that are no account yet appended (codes after the others),
    and the profiles' report and the count of those rows in ``sg.report``, as locally."""
    ids = sg.id_array()
    extra = prof.index[~prof.index.isin(pd.Index(ids, dtype=object))]
    rep = prof.attrs.get("report")
    if rep is not None:
        sg.report.extend(rep)
    sg.report.add(str(path), len(extra), "profile rows are accounts with no edge in the graph: kept as accounts "
                                         "without followers")
    if not len(extra):
        return sg
    spark = sg.spark
    with spark_errors(sg.name):
        more = spark.createDataFrame(pd.DataFrame({"code": np.arange(sg.n_accounts, sg.n_accounts + len(extra),
                                                                     dtype=np.int64),
                                                   "id": np.asarray(extra, dtype=object)}), "code long, id string")
        ids_df = sg.ids.unionByName(more).persist()
        ids_df.count()
    return SparkGraph(spark, sg.edges, ids_df, sg.n_accounts + len(extra), sg.n_edges, sg.name, sg.report,
                      prof, whole=sg.whole, interactions=sg.interactions)


def accounts_graph(ids: np.ndarray, prof: pd.DataFrame | None) -> Graph:
    """An edge-less :class:`~graphinflu.graph.Graph` of every account (code order) with its profile
    columns and ``handle`` (the profile's, else the id): what the local per-account functions read."""
    index = pd.Index(ids, name="id", dtype=object)
    if prof is None:
        acc = pd.DataFrame({"handle": np.asarray(ids, dtype=object)}, index=index)
    else:
        acc = prof.reindex(index)
        acc["handle"] = acc["handle"].where(acc["handle"].notna(), pd.Series(index, index=index))
    return Graph(acc, _empty_edges())


def audience_quality(sg: SparkGraph, accounts: Graph) -> pd.DataFrame | None:
    """:func:`graphinflu.metrics.quality.audience_quality_columns` of every account: each
    follower's flags from its profile (on the driver), ``p`` and ``q`` per account by a join of the
    follow edges with the profiled followers (in Spark), the shrunk share by the local code."""
    from pyspark.sql import functions as F

    if not any(c in accounts.accounts.columns for c in ("followers", "following", "posts")):
        return None
    flags = qual.follower_flags(accounts)
    profiled = ~flags["no_profile"].to_numpy(bool)
    good = flags["quality"].to_numpy(bool)
    codes = np.flatnonzero(profiled)
    with spark_errors(sg.name):
        flags_df = pd.DataFrame({"src": codes.astype(np.int64), "good": good[codes].astype(np.int64)})
        fl = sg.spark.createDataFrame(flags_df, "src long, good long")
        tab = (sg.edges.join(fl, "src").groupBy("dst")
               .agg(F.count(F.lit(1)).alias("p"), F.sum("good").alias("q")).toArrow())
    n = sg.n_accounts
    p, q = np.zeros(n), np.zeros(n)
    dst = tab.column("dst").to_numpy()
    p[dst] = tab.column("p").to_numpy()
    q[dst] = tab.column("q").to_numpy()
    return qual.quality_columns_from_counts(accounts.ids, p, q, sg.n_edges)


def profile_tier_labels(sg: SparkGraph, indegree: np.ndarray) -> np.ndarray:
    """Every account's follower tier (default bounds) as the local engine puts it: the profile's
    follower count, else the follow ``indegree`` (:func:`graphinflu.metrics.tiers.tiers`)."""
    return tiers(accounts_graph(sg.id_array(), sg.profiles), indegree=indegree)["tier"].astype(str).to_numpy(
        dtype=object)


def read_for_command(spark, load: LoadOptions, command: str) -> SparkGraph:
    """The graph of ``rank``/``overlap``/``similar``/``shortlist --engine spark``, read as the
    local engine reads every input (:func:`graphinflu.spark.load.read_inputs`): profiles match
    names and add profile-only accounts (PageRank counts them; ``rank`` lists them; the tables'
    ``handle`` column is the profiles'); ``--interactions`` and ``--posts`` add their accounts and
    interaction edges (``rank`` ranks by them). ``--posts`` makes no follow, so for ``overlap``,
    ``similar`` and ``shortlist`` (whose tables are of follows) it is only checked: the local
    reader's columns and messages, on a sample.
    """
    from .load import read_inputs

    if load.posts is not None and command != "rank":
        from .posts import _layout  # the posts' layout and columns, decided and checked as analyze decides them

        _layout(spark, str(load.posts))
        load = replace(load, posts=None)
    got = read_inputs(spark, load)
    return replace(got.graph, interactions=got.interactions)


def quality_graph(sg: SparkGraph) -> SparkGraph:
    """``--quality-only`` on Spark: ``sg`` with only the follows of quality followers
    (:func:`graphinflu.metrics.quality.follower_flags` from the profiles, on the driver; the
    follows filtered by a join in Spark), so every audience counted on it counts quality followers
    only, as the local engine's ``quality=`` masks do. ``whole`` keeps ``sg`` for what the local
    engine takes from the whole graph (tiers, niches, PageRank). Without follower profiles: the
    local engine's message."""
    from dataclasses import replace

    flags = qual.follower_flags(accounts_graph(sg.id_array(), sg.profiles))
    good = np.flatnonzero(flags["quality"].to_numpy(bool)).astype(np.int64)
    with spark_errors(sg.name):
        keep = sg.spark.createDataFrame(pd.DataFrame({"src": good}), "src long")
        edges = sg.edges.join(keep, "src").select("src", "dst").localCheckpoint()
        n_edges = edges.count()
    return replace(sg, edges=edges, n_edges=n_edges, _id_cache=dict(sg._id_cache), whole=sg)
