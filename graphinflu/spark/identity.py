""":mod:`graphinflu.identity`'s one rule (exact id, else handle without case, leading ``@`` or
surrounding white space) on the Spark engine.

Two uses:

* **names a user gives** (``--brand``, ``--seeds``, ``--accounts``, ``--candidates``, ``similar
  ACCOUNT``): few, so the accounts that could be meant — those whose id is the name (as written
  or stripped) and those whose normalised handle is the name's — are selected in Spark and
  collected, and the local :class:`~graphinflu.identity.Identity` resolves the names against
  them. Every account sharing a normalised handle is collected, so an ambiguous handle is found
  as the local engine finds it, and the errors (:class:`~graphinflu.errors.UnknownAccountError`,
  :class:`~graphinflu.errors.AmbiguousAccountError`) are the local ones, word for word.
* **a follow list that names accounts by the profiles' handles** (:func:`resolve_follow_names`):
  every account of the follow list is matched in Spark against the profiles' ids and their
  handle → id table (built on the driver by :class:`~graphinflu.identity.Identity` from the
  profiles, O(profiles), broadcast when small), accounts that become the same account are merged,
  and the follows recoded, as :meth:`graphinflu.graph.Graph.relabel` does locally: same ids, same
  codes (first-seen order), the same report lines.

Handles are normalised in Spark by :func:`normalised` — Spark SQL, no Python worker, so
executors need no graphinflu — whose equality with
:func:`graphinflu.identity.normalise_handles` is tested on names with Unicode spaces, ``@``\\ s and
upper case letters (``tests/test_spark_inputs.py``).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..errors import UnknownAccountError
from ..identity import AMBIGUOUS, Identity, Resolution, normalise_handles
from .session import spark_errors

#: White space as Python's ``str.strip`` sees it: Unicode White_Space plus the four information
#: separators (U+001C..U+001F) Python counts too; ``(?U)`` makes Java's ``\s`` Unicode-aware.
_WS = r"[\s\x{1c}-\x{1f}]"
#: Profiles up to this many rows are broadcast to every executor; larger ones are joined.
BROADCAST_ROWS = 2_000_000


def _F():
    from pyspark.sql import functions as F

    return F


def stripped(col):
    """``col`` with surrounding white space removed, as ``str.strip`` removes it."""
    return _F().regexp_replace(col, rf"(?U)^{_WS}+|{_WS}+$", "")


@functools.cache
def _simple_lower() -> bool:
    """Whether :func:`~graphinflu.identity.normalise_handles` lowers each character alone (pandas'
    Arrow strings: U+0130 ``İ`` → ``i``, ``Σ`` → ``σ`` everywhere) rather than as Python's
    ``str.lower`` does (``İ`` → ``i̇``, a final ``Σ`` → ``ς``, as Java's ``toLowerCase``)."""
    return normalise_handles(["\u0130\u03a3"])[0] == "i\u03c3"


def normalised(col):
    """``col`` as :func:`graphinflu.identity.normalise_handles` compares handles: stripped,
    leading ``@`` removed, stripped again, lower case (Spark's ``lower`` is Java's, which lowers
    ``İ`` and a final ``Σ`` in context: they are mapped first when the local rule does not);
    missing becomes ``""``."""
    F = _F()
    text = stripped(F.regexp_replace(stripped(col), "^@+", ""))
    if _simple_lower():
        text = F.translate(text, "\u0130\u03a3", "i\u03c3")
    return F.coalesce(F.lower(text), F.lit(""))


def _maybe_broadcast(df, rows: int):
    return _F().broadcast(df) if rows <= BROADCAST_ROWS else df


def account_handles(sg):
    """``code``, ``id``, ``handle`` of every account of ``sg``: the profile's handle where the
    account has a profile with one, else its id (as the local account table has it)."""
    F = _F()
    prof = sg.profiles
    if prof is None or "handle" not in prof:
        return sg.ids.select("code", "id", F.col("id").alias("handle"))
    h = prof["handle"]
    known = h.notna().to_numpy(bool)
    table = pd.DataFrame({"pid": prof.index.to_numpy(dtype=object)[known],
                          "phandle": h[known].to_numpy(dtype=object)})
    hdf = _maybe_broadcast(sg.spark.createDataFrame(table, "pid string, phandle string"), len(table))
    return (sg.ids.join(hdf, sg.ids["id"] == hdf["pid"], "left")
            .select("code", "id", F.coalesce(F.col("phandle"), F.col("id")).alias("handle")))


def resolve_names(sg, names, *, what: str = "accounts") -> np.ndarray:
    """Account codes of the user's ``names`` by the local rule (exact id first, else handle),
    in order. Raises the local engine's :class:`~graphinflu.errors.UnknownAccountError` (every
    unknown name) or :class:`~graphinflu.errors.AmbiguousAccountError`."""
    F = _F()
    raw = pd.Index([str(n) for n in names], dtype=object)
    ids_wanted = pd.unique(np.concatenate([raw.to_numpy(dtype=object),
                                           pd.Series(raw, dtype="string").str.strip().to_numpy(dtype=object)]))
    norms = sorted(set(normalise_handles(raw.to_numpy(dtype=object))) - {""})
    with spark_errors(sg.name):
        acc = account_handles(sg)
        hit = F.col("id").isin([str(i) for i in ids_wanted])
        if norms:
            hit = hit | normalised(F.col("handle")).isin(norms)
        rows = acc.where(hit).select("code", "id", "handle").toPandas()
    rows = rows.sort_values("code", kind="stable")
    res: Resolution = Identity(rows["id"].to_numpy(dtype=object), rows["handle"].to_numpy(dtype=object)).require(
        raw, what=what)
    code_of = pd.Series(rows["code"].to_numpy(np.int64), index=pd.Index(rows["id"].to_numpy(dtype=object)))
    missing = ~res.resolved
    if missing.any():
        raise UnknownAccountError(list(pd.unique(raw.to_numpy(dtype=object)[missing])), what=what)
    return code_of.reindex(pd.Index(res.ids, dtype=object)).to_numpy(np.int64)


def resolve_follow_names(sg, profiles: pd.DataFrame):
    """``sg`` with every account of the follow list that names a profile — by its id written with
    spaces around it, or by its handle (any case, with or without ``@``) — renamed to that
    profile's id, as the local engine resolves a follow list against the profiles
    (:func:`graphinflu.pipeline.load_inputs`): accounts that become the same account are merged
    (numbered in first-seen order), self-loops that appear are dropped and repeated follows
    merged, each counted in the report; a handle several profiles share is reported and the
    account kept as it is. Returns ``sg`` itself when no account is renamed."""
    from ..pipeline import _report_unresolved
    from .reader import SparkGraph, dense_codes

    F = _F()
    spark = sg.spark
    handles, ambiguous = Identity.of_accounts(profiles).handle_table()
    pids = pd.DataFrame({"pid": profiles.index.to_numpy(dtype=object)})
    with spark_errors(sg.name):
        pid_df = _maybe_broadcast(spark.createDataFrame(pids, "pid string"), len(pids))
        names = sg.ids.join(pid_df, sg.ids["id"] == pid_df["pid"], "left_anti")  # names that are profile ids stay
        names = names.select("code", "id", stripped(F.col("id")).alias("s"), normalised(F.col("id")).alias("n"))
        sid = pid_df.select(F.col("pid").alias("sid"))
        names = names.join(sid, names["s"] == sid["sid"], "left")
        if len(handles):
            hdf = spark.createDataFrame(handles.rename(columns={"handle": "h", "id": "hid"}), "h string, hid string")
            names = names.join(_maybe_broadcast(hdf, len(handles)), names["n"] == F.col("h"), "left")
        else:
            names = names.withColumn("hid", F.lit(None).cast("string"))
        if len(ambiguous):
            adf = spark.createDataFrame(pd.DataFrame({"ah": ambiguous.index.to_numpy(dtype=object)}), "ah string")
            names = names.join(F.broadcast(adf), names["n"] == F.col("ah"), "left")
        else:
            names = names.withColumn("ah", F.lit(None).cast("string"))
        new = F.coalesce(F.col("sid"), F.col("hid"))
        found = (names.where(new.isNotNull() | F.col("ah").isNotNull())  # the names that resolve (or are ambiguous)
                 .select("code", "id", "n", new.alias("new")).toPandas().sort_values("code", kind="stable"))
    amb = found[found["new"].isna()]
    renamed = found[found["new"].notna()]
    if len(amb):  # the local engine's report line, from its own function
        res = Resolution(amb["id"].to_numpy(dtype=object), np.full(len(amb), AMBIGUOUS, np.int8),
                         {h: list(ambiguous[h]) for h in pd.unique(amb["n"].to_numpy(dtype=object))})
        _report_unresolved(sg.report, sg.name, res, amb["id"].to_numpy(dtype=object), "follow", flag=False)
    if not len(renamed):
        return sg
    # Outputs are local checkpoints, not persisted plans: a cached plan would keep its broadcast
    # hash tables (a 64 MB page each on the driver) alive as long as the graph lives.
    with spark_errors(sg.name):
        rdf = spark.createDataFrame(pd.DataFrame({"code": renamed["code"].to_numpy(np.int64),
                                                  "new": renamed["new"].to_numpy(dtype=object)}), "code long, new string")
        mapped = (sg.ids.join(_maybe_broadcast(rdf, len(renamed)), "code", "left")
                  .select("code", F.coalesce(F.col("new"), F.col("id")).alias("nid")))
        first = mapped.groupBy("nid").agg(F.min("code").alias("key"))
        ids = dense_codes(spark, first, "key", "nid").select("code", F.col("nid").alias("id")).localCheckpoint()
        n = ids.count()
        old_new = mapped.join(ids.select(F.col("code").alias("nc"), F.col("id").alias("nid")), "nid")
        src = old_new.select(F.col("code").alias("src"), F.col("nc").alias("s2"))
        dst = old_new.select(F.col("code").alias("dst"), F.col("nc").alias("d2"))
        pairs = (sg.edges.join(src, "src").join(dst, "dst").groupBy(F.col("s2").alias("src"), F.col("d2").alias("dst"))
                 .agg(F.count(F.lit(1)).alias("rows")).localCheckpoint())
        loops = int(pairs.where(F.col("src") == F.col("dst")).agg(F.sum("rows")).first()[0] or 0)
        edges = pairs.where(F.col("src") != F.col("dst")).select("src", "dst").localCheckpoint()
        m = edges.count()
        sg.edges.unpersist()
        sg.ids.unpersist()
    sg.report.add(sg.name, loops, "self-loops dropped (an account cannot follow or mention itself)")
    sg.report.add(sg.name, sg.n_edges - loops - m, "duplicate follow rows merged")
    return SparkGraph(spark, edges, ids, int(n), int(m), sg.name, sg.report)
