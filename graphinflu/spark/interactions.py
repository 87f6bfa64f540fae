"""``--interactions`` on the Spark engine: the interaction graph in Spark, its per-account
signals collected.

The interactions file (CSV/TSV, whitespace, Parquet; a local path or any URI Spark reads) is read
by Spark with the columns the local engine chooses: a sample of its first lines (or rows) goes
through the local reader (:func:`graphinflu.loaders.edges.read_interactions`), so the layout,
the column choice (``source``/``target``, ``kind``, ``weight``, ``timestamp`` by name, or SNAP's
``a b count [time]`` by position) and every message about them are the local engine's.

Accounts
    Endpoints are trimmed ids. Those that are not accounts of the follow list are appended after
    them, in first-seen order over the source column, then the target column, as the local
    engine's ``graph.merge`` appends them (so PageRank's ``N`` and every tie broken by account
    order are the same). With ``--profiles``, endpoint names are resolved by the local identity
    rule (id, else handle) on the driver, once per distinct name that is not a follow account;
    names that resolve to no account stay accounts of their own, flagged ``unresolved``.
Edges
    Rows with an empty end, or a missing, negative or infinite weight, are skipped; self-loops
    dropped; repeated ``(source, target, kind)`` rows summed into one weighted edge: the local
    rules, in Spark. The edges stay in Spark; only per-account figures are collected.
Signals
    ``interaction_pagerank``: weighted PageRank over the interaction kinds of
    :data:`~graphinflu.metrics.authority.DEFAULT_INTERACTION_KINDS` (one edge per ordered pair,
    weights summed), by :func:`graphinflu.spark.metrics.pagerank` with ``weight``. Cha et al.'s
    ``reach``/``amplification``/``conversation`` and their ranks: the received weights summed per
    account and kind in Spark, the table made by the local code
    (:func:`graphinflu.metrics.authority.cha_frame`), and ``cha_agreement`` from it
    (:func:`~graphinflu.metrics.authority.agreement_of`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..graph import KINDS
from ..loaders.edges import EdgeColumns, _choose_hint, edge_columns, other_columns, read_interactions
from ..loaders.tables import read_any_table
from ..metrics.authority import CONVERSATION_KINDS, DEFAULT_INTERACTION_KINDS, agreement_of, cha_frame
from ..params import LoadOptions
from ..pipeline import _known_accounts, _report_unresolved
from . import metrics as M
from .profiles import accounts_graph, load_profiles
from .posts import read_sample
from .reader import _SECOND, SparkGraph
from .session import spark_errors


@dataclass
class SparkInteractions:
    """The interaction edges held by Spark (``src``, ``dst``, ``kind``, ``weight``; one row per
    ``(src, dst, kind)``, no self-loops; cached) and the accounts they flagged as unresolved."""

    edges: object
    name: str
    unresolved: np.ndarray
    #: The interaction kinds ``edges`` holds (follows rows of the file join the follow edges).
    kinds: tuple = ()


@dataclass
class InteractionSignals:
    """What :func:`measure` collects: per account (code order) the interaction PageRank and the
    weights received by kind."""

    pagerank: np.ndarray
    received: dict


def _layout(spark, path: str, kind: str):
    """(format, delimiter, header, columns, name) of the interactions file, decided (and
    checked) by the local reader on a sample of it."""
    def read(sample, fmt):
        read_interactions(sample, kind=kind)  # the local checks and messages
        return read_any_table(sample, header=None, comment="#", string_columns=(0, 1))

    fmt, tt, name = read_sample(spark, path, "interactions", read)
    return fmt, tt.delimiter, bool(tt.header) or fmt == "parquet", tt.table.column_names, name


def _raw_columns(spark, path: str, fmt: str, delimiter, header: bool, cols: list[str], wanted: dict):
    """A DataFrame with one column per role of ``wanted`` (role → file column), read by Spark,
    plus ``row`` (file order)."""
    from pyspark.sql import functions as F

    if fmt == "parquet":
        raw = spark.read.parquet(path)
        picked = [F.col(f"`{c}`").alias(role) for role, c in wanted.items()]
    elif delimiter == " ":
        lines = spark.read.text(path)
        value = F.trim(F.col("value"))
        lines = lines.where((F.length(value) > 0) & ~value.startswith("#"))
        parts = F.split(value, r"\s+")
        if header:
            lines = lines.where(F.concat_ws(" ", parts) != F.lit(" ".join(cols)))
        raw = lines.where(F.size(parts) == len(cols))
        picked = [parts.getItem(cols.index(c)).alias(role) for role, c in wanted.items()]
    else:
        raw = (spark.read.option("sep", delimiter).option("header", "true" if header else "false")
               .option("comment", "#").option("quote", '"').option("mode", "PERMISSIVE").csv(path))
        picked = [F.col(f"`{raw.columns[cols.index(c)]}`").alias(role) for role, c in wanted.items()]
    return raw.select(*picked, F.monotonically_increasing_id().alias("row"))


def _numeric(F, col):
    """A column as float64 the way the local reader reads it (trimmed text cast to a number);
    null where blank."""
    text = F.trim(col.cast("string"))
    return F.when(F.length(text) > 0, text.try_cast("double"))  # try_: under ANSI SQL a bad cast raises


def _bad_number(F, col):
    """Whether a value is given but is no number (the local reader refuses the column)."""
    text = F.trim(col.cast("string"))
    return (F.length(text) > 0) & text.try_cast("double").isNull()


def attach_interactions(sg: SparkGraph, load: LoadOptions, prof: pd.DataFrame | None = None
                        ) -> tuple[SparkGraph, SparkInteractions]:
    """Read ``load.interactions`` with Spark and encode it against ``sg``'s accounts: returns the
    graph with the interaction-only accounts appended (codes after the others, in the local
    engine's order) and the interaction edges. With ``load.profiles``, names resolve against
    ``prof`` (read from ``load.profiles`` when not given) and ``sg``'s accounts, which are the
    follow list's, its names already matched to the profiles
    (:func:`graphinflu.spark.profiles.match_profiles`).

    Raises
    ------
    InputError
        The local engine's messages: a missing or unreadable file, missing columns, non-numeric
        weights or timestamps, unknown kinds, no edge left.
    """
    from pyspark.sql import functions as F

    spark = sg.spark
    path = str(load.interactions)
    kind = load.interaction_kind
    fmt, delimiter, header, cols, name = _layout(spark, path, kind)
    src, dst, _ = edge_columns(cols, None, None, header, name)
    wcol, tcol, kcol = other_columns(cols, header, EdgeColumns(kind=kind), src, dst, name)
    wanted = {"s": src, "t": dst, **({"w": wcol} if wcol else {}), **({"ts": tcol} if tcol else {}),
              **({"k": kcol} if kcol else {})}
    with spark_errors(name):
        raw = _raw_columns(spark, path, fmt, delimiter, header, cols, wanted)
        rows = raw.select(F.trim(F.col("s").cast("string")).alias("s"), F.trim(F.col("t").cast("string")).alias("t"),
                          (_numeric(F, F.col("w")) if wcol else F.lit(1.0)).alias("w"),
                          (F.coalesce(F.lower(F.trim(F.col("k").cast("string"))), F.lit("none")) if kcol
                           else F.lit(kind)).alias("k"),
                          (_bad_number(F, F.col("w")) if wcol else F.lit(False)).alias("bad_w"),
                          (_bad_number(F, F.col("ts")) if tcol else F.lit(False)).alias("bad_t"), "row")
        rows = rows.withColumn("s", F.coalesce("s", F.lit(""))).withColumn("t", F.coalesce("t", F.lit(""))).persist()
        empty = (F.length("s") == 0) | (F.length("t") == 0)
        bad_w = F.col("w").isNull() | F.isnan("w") | (F.abs(F.col("w")) == float("inf")) | (F.col("w") < 0)
        stats = rows.agg(F.sum(empty.cast("long")).alias("empty"), F.sum((~empty & bad_w).cast("long")).alias("w"),
                         F.sum(F.col("bad_w").cast("long")).alias("bad_w"),
                         F.sum(F.col("bad_t").cast("long")).alias("bad_t")).first()
        for role, col, key in (("weight", wcol, "bad_w"), ("timestamp", tcol, "bad_t")):
            if stats[key]:
                raise InputError(f"{role} column {col!r} holds non-numeric values ({stats[key]:,} rows)", path=name,
                                 hint=_choose_hint(role, "clean the column, or choose another"))
        kept = rows.where(~empty & ~bad_w)
        kinds = sorted(r["k"] for r in kept.select("k").distinct().collect())
        bad = [k for k in kinds if k not in KINDS][:5]
        if bad:
            raise InputError(f"{name}: unknown edge kind(s) {bad}", hint=f"use one of: {', '.join(KINDS)}")
        # every non-empty endpoint is an account (as the local reader encodes ids before it skips rows),
        # first seen over the source column, then the target column
        ends = (rows.select(F.col("s").alias("id"), F.col("row").alias("key"))
                .unionAll(rows.select(F.col("t").alias("id"), (F.col("row") + F.lit(_SECOND)).alias("key")))
                .where(F.length("id") > 0).groupBy("id").agg(F.min("key").alias("key")))
        fresh = ends.join(sg.ids.select("id"), "id", "left_anti").toPandas().sort_values("key", kind="stable")
    lookup = sg.ids.select("id", "code")  # the follow accounts; the new names are added below
    sg, names = _new_accounts(sg, fresh["id"].to_numpy(dtype=object), load, path, prof)
    flagged = names.pop("unresolved")
    with spark_errors(name):
        if len(names["name"]):
            extra = spark.createDataFrame(pd.DataFrame(names), "name string, code long")
            lookup = lookup.unionByName(extra.withColumnRenamed("name", "id"))
        coded = (kept.join(lookup.withColumnRenamed("id", "s").withColumnRenamed("code", "src"), "s")
                 .join(lookup.withColumnRenamed("id", "t").withColumnRenamed("code", "dst"), "t"))
        loops = coded.where(F.col("src") == F.col("dst")).count()
        edges = (coded.where(F.col("src") != F.col("dst")).groupBy("src", "dst", F.col("k").alias("kind"))
                 .agg(F.sum("w").alias("weight"), F.count(F.lit(1)).alias("rows")).persist())
        summary = (edges.groupBy("kind").agg(F.count(F.lit(1)).alias("m"), F.sum("rows").alias("rows")).toPandas()
                   .set_index("kind").reindex([k for k in KINDS if k in kinds]).dropna())
        rows.unpersist()
    m = int(summary["m"].sum())
    if m == 0:
        raise InputError("no edges left after dropping empty rows and self-loops", path=name)
    for count, what in ((stats["empty"], "rows with an empty source or target skipped"),
                        (stats["w"], f"rows with a missing, negative or infinite {wcol!r} skipped"),
                        (loops, "self-loops dropped (an account cannot follow or mention itself)"),
                        *((int(r.rows - r.m), "duplicate follow rows merged" if k == "follows"
                           else f"repeated {k} rows summed into weights") for k, r in summary.iterrows())):
        if count:
            sg.report.add(name, int(count), what)
    if "follows" in summary.index:  # follows rows are follows: they join the follow list's, as locally
        sg = _add_follows(sg, edges.where(F.col("kind") == "follows").select("src", "dst"), name)
        edges = edges.where(F.col("kind") != "follows")
    present = tuple(k for k in summary.index if k != "follows")
    return sg, SparkInteractions(edges.select("src", "dst", "kind", "weight"), name, flagged, present)


def _add_follows(sg: SparkGraph, follows, name: str) -> SparkGraph:
    """``sg`` with the ``follows`` (``src``, ``dst``; distinct, no self-loops) added to its follow
    edges; those it had already are counted as the local merge counts them."""
    from dataclasses import replace

    with spark_errors(name):
        fresh = follows.join(sg.edges.select("src", "dst"), ["src", "dst"], "left_anti").persist()
        added = fresh.count()
        repeated = follows.count() - added
        edges = sg.edges.select("src", "dst").unionByName(fresh).localCheckpoint()
        fresh.unpersist()
    sg.report.add("merge", repeated, "duplicate follow rows merged")
    return replace(sg, edges=edges, n_edges=sg.n_edges + added, _id_cache=dict(sg._id_cache))


def _new_accounts(sg: SparkGraph, fresh: np.ndarray, load: LoadOptions, path: str,
                  prof: pd.DataFrame | None = None) -> tuple[SparkGraph, dict]:
    """Append the accounts the interaction endpoints ``fresh`` (names that are no follow account,
    in first-seen order) become; returns the graph and ``{"name", "code"}`` of those names plus
    the ``unresolved`` account ids. With profiles, names resolve as the local pipeline resolves
    them (id, else handle; the profiles' and the follow accounts')."""
    ids = sg.id_array()
    resolved = fresh
    unresolved = np.zeros(0, dtype=object)
    if load.profiles is not None and len(fresh):
        if prof is None:
            prof = load_profiles(sg.spark, load.profiles)
        res = _known_accounts(prof, accounts_graph(ids, None)).resolve(fresh)
        unresolved = _report_unresolved(sg.report, path, res, fresh, "interaction endpoint", flag=True)
        resolved = res.ids
    known = pd.Index(ids, dtype=object)
    added = pd.unique(pd.Series(resolved[~pd.Index(resolved, dtype=object).isin(known)], dtype=object))
    everyone = known.append(pd.Index(added, dtype=object))
    codes = everyone.get_indexer(pd.Index(resolved, dtype=object)).astype(np.int64)
    names = {"name": np.asarray(fresh, dtype=object), "code": codes, "unresolved": np.asarray(unresolved, dtype=object)}
    if not len(added):
        return sg, names
    n = sg.n_accounts
    with spark_errors(sg.name):
        more = sg.spark.createDataFrame(pd.DataFrame({"code": np.arange(n, n + len(added), dtype=np.int64),
                                                      "id": np.asarray(added, dtype=object)}), "code long, id string")
        ids_df = sg.ids.unionByName(more).persist()
        ids_df.count()
    return SparkGraph(sg.spark, sg.edges, ids_df, n + len(added), sg.n_edges, sg.name, sg.report, sg.profiles,
                      whole=sg.whole, interactions=sg.interactions), names


def measure(sg: SparkGraph, inter: SparkInteractions, *, damping: float = 0.85) -> InteractionSignals:
    """Interaction PageRank (weighted, the default interaction kinds, one edge per ordered pair;
    ``damping`` as the local engine's) and the weights each account received per kind, from
    Spark, in code order."""
    from pyspark.sql import functions as F

    n = sg.n_accounts
    received = received_weights(sg, inter)
    use = [k for k in DEFAULT_INTERACTION_KINDS if k in received]
    if not use:
        raise no_interaction_edges(received)
    with spark_errors(inter.name):
        pairs = (inter.edges.where(F.col("kind").isin(use)).groupBy("src", "dst")
                 .agg(F.sum("weight").alias("weight")).persist())
        view = SparkGraph(sg.spark, pairs, sg.ids, n, 0, inter.name, sg.report)
        pr = M.pagerank(view, weight="weight", damping=damping)
        pairs.unpersist()
    return InteractionSignals(pr, received)


def received_weights(sg: SparkGraph, inter: SparkInteractions | None) -> dict:
    """The weight each account (code order) received, per interaction kind: one aggregation in
    Spark, collected per account (empty without interactions)."""
    from pyspark.sql import functions as F

    if inter is None:
        return {}
    with spark_errors(inter.name):
        tab = inter.edges.groupBy("dst", "kind").agg(F.sum("weight").alias("w")).toArrow()
    dst, kinds, w = (tab.column(c).to_numpy(zero_copy_only=False) for c in ("dst", "kind", "w"))
    return {k: np.bincount(dst[kinds == k].astype(np.int64), weights=w[kinds == k].astype(np.float64),
                           minlength=sg.n_accounts) for k in set(kinds)}


def no_interaction_edges(received: dict) -> InputError:
    """The local engine's message for interaction PageRank on a graph without interaction edges."""
    present = ["follows"] + [k for k in KINDS if k in received]
    return InputError(f"interaction PageRank needs interaction edges ({', '.join(DEFAULT_INTERACTION_KINDS)}); "
                      f"the graph has only {', '.join(present)}",
                      hint="load interactions with graphinflu.loaders.read_interactions and merge them into the "
                           "graph (graph.merge), or rank by follow PageRank instead")


def interaction_columns(signals: InteractionSignals, tiers: pd.DataFrame) -> dict:
    """The account-table columns of the interactions, in the local order: ``interaction_pagerank``,
    then :func:`~graphinflu.metrics.authority.cha_signals`' columns (``reach`` from ``tiers``'
    followers, as the local engine's follower counts)."""
    n = len(tiers)
    zero = np.zeros(n)
    amp = signals.received.get("reposts", zero)
    conv = sum((signals.received.get(k, zero) for k in CONVERSATION_KINDS), np.zeros(n))
    cha = cha_frame(tiers[["followers", "followers_source"]], amp, conv)
    return {"interaction_pagerank": signals.pagerank, **{c: cha[c].to_numpy() for c in cha.columns}}


def cha_agreement_of(accounts: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`~graphinflu.metrics.authority.cha_agreement` from the account table's columns
    (``None`` without them, as the local engine has it)."""
    if not {"reach", "amplification", "conversation"} <= set(accounts.columns):
        return None
    return agreement_of(accounts)


def flag_unresolved(accounts: pd.DataFrame, unresolved) -> pd.DataFrame:
    """``accounts`` with the local ``unresolved`` column (True for the interaction endpoints, post
    owners and accounts posts name that resolve to no profile: the ids ``unresolved``) when there
    is any, else unchanged."""
    if unresolved is None or not len(unresolved):
        return accounts
    out = accounts.copy()
    out["unresolved"] = out.index.isin(pd.Index(unresolved, dtype=object))
    return out
