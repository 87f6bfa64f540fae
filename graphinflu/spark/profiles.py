"""``--profiles`` on the Spark engine: follower counts and tiers from the profiles, audience
quality by a join, and the profile columns, as the local engine's account table has them.

A profiles table is one row per account, like the account table the driver already holds, so
it is read on the driver by the local engine's own reader (:func:`graphinflu.loaders.read_profiles`:
the same column spellings, count parsing, report and messages). What touches the follow edges
runs in Spark: the follow in-degree (for accounts whose profile has no follower count) and the
audience quality counts, ``p`` (followers with a profile) and ``q`` (quality followers) per
account, by a join of the follow edges with the followers' flags. The flags
(:func:`graphinflu.metrics.quality.follower_flags`), the tiers (:func:`graphinflu.metrics.tiers.tiers`)
and the shrunk quality (:func:`graphinflu.metrics.quality.quality_columns_from_counts`) are the
local engine's code, run on the collected per-account figures.

Accounts are matched to profiles by id. A follow list that names accounts by the profiles'
handles (which the local engine resolves to their ids) is refused with the fix; profile rows
without any follow are appended as accounts without followers, after the follow list's accounts,
as the local engine appends them (so PageRank counts them too).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..graph import Graph, _empty_edges
from ..identity import Identity
from ..loaders.profiles import read_profiles
from ..metrics import quality as qual
from .reader import SparkGraph, _is_uri
from .session import spark_errors


def attach_profiles(sg: SparkGraph, path) -> tuple[SparkGraph, pd.DataFrame]:
    """Read the profiles at ``path`` (a local file) and match them to ``sg``'s accounts by id:
    returns the graph with the profile-only accounts appended (codes after the others) and the
    profiles (as :func:`~graphinflu.loaders.read_profiles` returns them).

    Raises
    ------
    InputError
        A URI (the profiles are read on the driver: copy them locally), an unreadable profiles
        table (the local engine's messages), or follow endpoints written as profile handles.
    """
    if _is_uri(str(path)):
        raise InputError("the Spark engine reads --profiles from a local file (one row per account, read on the "
                         "driver)", path=str(path), hint="copy the profiles table to the driver machine and give "
                                                         "its local path")
    prof = read_profiles(path)
    ids = sg.id_array()
    res = Identity.of_accounts(prof).resolve(ids)
    renamed = res.ids != ids
    if renamed.any():
        first = np.flatnonzero(renamed)[:3]
        shown = ", ".join(f"{ids[i]!r} is {res.ids[i]!r}'s handle" for i in first)
        raise InputError(f"{int(renamed.sum()):,} accounts of the follow list are named by a profile handle ({shown}); "
                         "the Spark engine matches follows to profiles by id", path=sg.name,
                         hint="write the follow list with the profiles' ids, or use --engine local (which resolves "
                              "handles)")
    extra = prof.index[~prof.index.isin(pd.Index(ids, dtype=object))]
    rep = prof.attrs.get("report")
    if rep is not None:
        sg.report.extend(rep)
    sg.report.add(str(path), len(extra), "profile rows are accounts with no edge in the graph: kept as accounts "
                                         "without followers")
    if not len(extra):
        return sg, prof
    spark = sg.spark
    with spark_errors(sg.name):
        more = spark.createDataFrame(pd.DataFrame({"code": np.arange(sg.n_accounts, sg.n_accounts + len(extra),
                                                                     dtype=np.int64),
                                                   "id": np.asarray(extra, dtype=object)}), "code long, id string")
        ids_df = sg.ids.unionByName(more).persist()
        ids_df.count()
    return SparkGraph(spark, sg.edges, ids_df, sg.n_accounts + len(extra), sg.n_edges, sg.name, sg.report), prof


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
