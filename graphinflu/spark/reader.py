"""The follow edge list into Spark: CSV/TSV/whitespace (any compression Hadoop reads) or Parquet,
from a local path or any URI Spark reads (``hdfs://``, ``s3a://``, ``gs://``, ``file://``).

The file's layout is decided the way the local engine decides it, by the local engine's own code:
a sample of the first lines (the decompressed head of a local file, or the first lines Spark
reads from a URI) goes through :func:`graphinflu.loaders.tables.read_text_table` and
:func:`graphinflu.loaders.edges.graph_from_table`, so the delimiter, the header guess, the column
choice and every error about them (missing or misnamed columns, a profiles table given as the
follow list, an HTML page, UTF-16, binary data) are the same, word for word. Spark then reads the
whole file with those decisions.

Accounts are encoded in Spark as the local engine encodes them: ids trimmed, empty ids dropped,
numbered in first-seen order over the follower column, then the followed column; self-loops
dropped and repeated follows merged. So account codes, and every tie broken by account order,
are the same in both engines.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._io import probe
from .._report import LoadReport
from ..errors import InputError
from ..loaders.edges import _FOLLOWED_NAMES, _FOLLOWER_NAMES, EdgeColumns, edge_columns, graph_from_table
from ..loaders.edges import refuse_other_tables
from ..loaders.tables import read_text_table
from ..params import LoadOptions
from .session import spark_errors

#: Lines of a URI's head sampled to decide its layout.
SAMPLE_LINES = 2000
#: Code offset of ids first seen in the followed column (they come after every follower id).
_SECOND = 1 << 62


@dataclass
class SparkGraph:
    """A follow graph held by Spark.

    Attributes
    ----------
    edges : pyspark DataFrame
        ``src``, ``dst`` (long account codes): one row per distinct follow, no self-loops; cached.
    ids : pyspark DataFrame
        ``code`` (long, 0..n-1 in first-seen order), ``id`` (string); cached.
    n_accounts, n_edges : int
    name : str
        The input, for messages.
    report : LoadReport
        What was skipped or assumed while reading (as the local engine reports it).
    profiles : DataFrame or None
        The profiles (:func:`graphinflu.spark.profiles.attach_profiles`; O(profiles), on the
        driver): the accounts' handles, and their profile columns.
    """

    spark: object
    edges: object
    ids: object
    n_accounts: int
    n_edges: int
    name: str
    report: LoadReport = field(default_factory=LoadReport)
    profiles: pd.DataFrame | None = field(default=None, repr=False)
    _id_cache: dict = field(default_factory=dict, repr=False)
    #: The graph before :func:`graphinflu.spark.profiles.quality_graph` kept only the quality
    #: followers' follows (None: this is the whole graph): tiers, niches and PageRank use it.
    whole: "SparkGraph | None" = field(default=None, repr=False)
    #: The interactions read with the follows (:func:`graphinflu.spark.interactions.attach_interactions`;
    #: None: none given): what ``rank --by interaction|reach|amplification|conversation`` ranks by.
    interactions: object = field(default=None, repr=False)

    def codes(self, names, *, what: str = "accounts") -> np.ndarray:
        """Account codes of ``names`` (ids or handles, by :mod:`graphinflu.identity`'s rule, as
        the local engine resolves them), in order; unknown names raise the local engine's
        :class:`~graphinflu.errors.UnknownAccountError` naming every one, an ambiguous handle its
        :class:`~graphinflu.errors.AmbiguousAccountError`."""
        names = [str(n) for n in names]
        F = self.functions
        wanted = sorted(set(names) - set(self._id_cache))
        if wanted:
            with spark_errors(self.name):
                rows = self.ids.where(F.col("id").isin(wanted)).collect()
            self._id_cache.update({r["id"]: int(r["code"]) for r in rows})
        if all(n in self._id_cache for n in names):  # every name an id as written: the usual case
            return np.array([self._id_cache[n] for n in names], dtype=np.int64)
        from .identity import resolve_names  # ids with spaces around them, handles

        return resolve_names(self, names, what=what)

    def handle_array(self) -> np.ndarray:
        """Every account's handle in code order: its profile's, else its id (as the local
        account table's ``handle`` column)."""
        ids = self.id_array()
        if self.profiles is None or "handle" not in self.profiles:
            return ids
        h = self.profiles["handle"].reindex(pd.Index(ids, dtype=object)).to_numpy(dtype=object, na_value=None)
        return np.where(pd.isna(h), ids, h).astype(object)

    def id_array(self) -> np.ndarray:
        """Every account id in code order (collected: O(accounts) on the driver)."""
        if "__all__" not in self._id_cache:
            with spark_errors(self.name):
                tab = self.ids.orderBy("code").select("id").toArrow()
            self._id_cache["__all__"] = np.asarray(tab.column("id").to_pylist(), dtype=object)
        return self._id_cache["__all__"]

    @property
    def functions(self):
        from pyspark.sql import functions as F  # pyspark is imported only once a SparkGraph exists

        return F


def renamed_error(err: InputError, name: str) -> InputError:
    """``err`` (raised by a local reader on a sample or a copy of the input) naming ``name``, the
    real input, instead: the same message, line and fix."""
    prefix = f"{err.path}" + (f", line {err.line}" if err.line is not None else "") + ": " if err.path else ""
    text = str(err)
    body = text[len(prefix):] if text.startswith(prefix) else text.split(": ", 1)[-1]
    if err.hint:
        body = body.removesuffix(f"\n  fix: {err.hint}")
    return InputError(body, path=name, line=err.line, hint=err.hint)


def _is_uri(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def _local_path(path: str) -> str:
    return path[len("file://"):] if path.startswith("file://") else path


def read_follows(spark, load: LoadOptions, *, with_tables: bool = False) -> SparkGraph:
    """Read ``load.follows`` with Spark into a :class:`SparkGraph`.

    ``with_tables``: the caller reads ``load.profiles``, ``load.interactions`` and ``load.posts``
    itself (:func:`graphinflu.spark.load.read_inputs` does), so they are not refused.

    Raises
    ------
    InputError
        The same messages as the local engine for a missing or unreadable file, a wrong layout
        or missing columns; other inputs without ``with_tables``, and standard input, are refused
        with the fix.
    """
    load.require_input()
    roles = () if with_tables else ("profiles", "interactions", "posts")
    others = [f"--{r}" for r in roles if getattr(load, r) is not None]
    if others:
        raise InputError(f"read_follows reads the follow list (FILE) only, not {', '.join(others)}",
                         hint="read every input with graphinflu.spark.load.read_inputs(spark, load)")
    if load.follows is None:
        raise InputError("the Spark engine needs a follow edge list FILE", hint="give the follow list as FILE")
    path = str(load.follows)
    if path == "-":
        raise InputError("the Spark engine cannot read standard input", path="<stdin>",
                         hint="write the data to a file (or a URI Spark reads) and give its path")
    name = path
    if _is_uri(path) or os.path.isdir(_local_path(path)):
        fmt, sample = _remote_layout(spark, path)
    else:
        info = probe(_local_path(path))  # missing, unreadable, HTML, binary, bad compression: the local messages
        name = info.name
        fmt = "parquet" if info.format == "parquet" else "text"
        if info.format in ("json", "graphml", "gexf"):
            raise InputError(f"the Spark engine reads CSV, TSV, whitespace edge lists and Parquet, not {info.format}",
                             path=name, hint="convert it first: graphinflu convert FILE edges.parquet")
        sample = None if fmt == "parquet" else _head_lines(info.head, info.complete)
    report = LoadReport()
    if fmt == "parquet":
        with spark_errors(name):
            raw = spark.read.parquet(path)
            cols = raw.columns
        src, dst = _choose_columns(cols, True, load, name, report)
        pairs = raw.select(raw[src].cast("string").alias("s"), raw[dst].cast("string").alias("t"))
    else:
        layout = _text_layout(sample, load, name, report)
        pairs = _read_text(spark, path, layout, name)
    return _encode(spark, pairs, name, report)


def _head_lines(head: bytes, complete: bool) -> list[str]:
    text = head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if not complete and lines:
        lines = lines[:-1]  # the last line may be cut
    return lines[:SAMPLE_LINES]


def _remote_layout(spark, path: str):
    """(format, sample lines) of a URI or folder: Parquet when the name or its parts say so."""
    lowered = path.rstrip("/").lower()
    parquet = lowered.endswith((".parquet", ".pq"))
    if not parquet and os.path.isdir(_local_path(path)):
        parquet = any(p.suffix in (".parquet", ".pq") for p in Path(_local_path(path)).iterdir())
    if parquet:
        return "parquet", None
    with spark_errors(path):
        rows = spark.read.text(path).limit(SAMPLE_LINES).collect()
    lines = [r[0] for r in rows]
    if not lines:
        raise InputError("no data rows", path=path, hint="the file is empty or holds only comments")
    return "text", lines


@dataclass(frozen=True)
class _Layout:
    delimiter: str
    header: bool
    columns: list
    src: str
    dst: str


def _text_layout(lines: list[str], load: LoadOptions, name: str, report: LoadReport) -> _Layout:
    """Decide delimiter, header and columns on a sample, with the local engine's reader and checks."""
    with tempfile.TemporaryDirectory(prefix="graphinflu-spark-") as tmp:
        sample = Path(tmp) / Path(name).name.removesuffix(".gz").removesuffix(".bz2")
        sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            tt = read_text_table(sample, delimiter=load.delimiter, header=load.header)
            columns = EdgeColumns(source=load.source, target=load.target, direction=load.direction)
            graph_from_table(tt, columns)  # the local engine's column checks and messages
        except InputError as err:  # name the real file, not the sample
            raise renamed_error(err, name) from err
    for line in tt.report.lines():
        report.note(name, line.split(": ", 1)[-1])
    cols = tt.table.column_names
    src, dst = _choose_columns(cols, tt.header, load, name, LoadReport())
    return _Layout(tt.delimiter, bool(tt.header), cols, src, dst)


def _choose_columns(cols: list[str], header: bool, load: LoadOptions, name: str, report: LoadReport):
    """Follower and followed columns, chosen as :func:`graph_from_table` chooses them."""
    if len(cols) < 2:
        raise InputError(f"found {len(cols)} column ({cols}); an edge list needs two (who follows whom)", path=name)
    if header and load.source is None and load.target is None:
        refuse_other_tables(cols, name)
    src, dst, _ = edge_columns(cols, load.source, load.target, header, name)
    named = (load.source is None and load.target is None
             and (src.lower() in _FOLLOWER_NAMES or dst.lower() in _FOLLOWED_NAMES))
    if load.direction == "followed-follower" and not named:
        src, dst = dst, src
    return src, dst


def _read_text(spark, path: str, layout: _Layout, name: str):
    """(s, t) string pairs of a delimited or whitespace text file, read by Spark."""
    from pyspark.sql import functions as F

    i, j = layout.columns.index(layout.src), layout.columns.index(layout.dst)
    with spark_errors(name):
        if layout.delimiter == " ":
            lines = spark.read.text(path)
            value = F.trim(F.col("value"))
            lines = lines.where((F.length(value) > 0) & ~value.startswith("#"))
            parts = F.split(value, r"\s+")
            pairs = lines.select(parts.getItem(i).alias("s"), parts.getItem(j).alias("t"), F.size(parts).alias("n"))
            if layout.header:
                first = " ".join(layout.columns)
                pairs = pairs.where(F.concat_ws(" ", parts) != F.lit(first))
            return pairs.where(F.col("n") == len(layout.columns)).select("s", "t")
        raw = (spark.read.option("sep", layout.delimiter).option("header", "false").option("comment", "#")
               .option("mode", "PERMISSIVE").option("quote", '"').csv(path))
        s, t = raw.columns[i], raw.columns[j]
        pairs = raw.select(F.col(s).alias("s"), F.col(t).alias("t"))
        if layout.header:  # the header line, and the same line repeated inside the data (files joined with cat)
            pairs = pairs.where(~((F.col("s") == layout.src) & (F.col("t") == layout.dst)))
        return pairs


def _encode(spark, pairs, name: str, report: LoadReport) -> SparkGraph:
    """Trim ids, drop empty ones, number accounts in first-seen order, drop self-loops and repeats."""
    from pyspark.sql import functions as F

    with spark_errors(name):
        rows = pairs.select(F.trim(F.col("s")).alias("s"), F.trim(F.col("t")).alias("t"),
                            F.monotonically_increasing_id().alias("row"))
        rows = rows.where(F.col("s").isNotNull() & F.col("t").isNotNull()
                          & (F.length("s") > 0) & (F.length("t") > 0)).persist()
        seen = (rows.select(F.col("s").alias("id"), F.col("row").alias("key"))
                .unionAll(rows.select(F.col("t").alias("id"), (F.col("row") + F.lit(_SECOND)).alias("key")))
                .groupBy("id").agg(F.min("key").alias("key")))
        ids = dense_codes(spark, seen, "key", "id")
        ids = ids.select("code", "id").persist()
        n = ids.count()
        if n == 0:
            raise InputError("no data rows", path=name, hint="the file is empty or holds only comments")
        both = rows.join(ids.withColumnRenamed("id", "s").withColumnRenamed("code", "src"), "s")
        both = both.join(ids.withColumnRenamed("id", "t").withColumnRenamed("code", "dst"), "t")
        stats = both.agg(F.count(F.lit(1)).alias("rows"), F.sum((F.col("src") == F.col("dst")).cast("long"))
                         .alias("loops")).first()
        edges = both.where(F.col("src") != F.col("dst")).select("src", "dst").distinct().persist()
        m = edges.count()
        rows.unpersist()
    total, loops = int(stats["rows"]), int(stats["loops"] or 0)
    if loops:
        report.add(name, loops, "self-loops dropped")
    if total - loops - m:
        report.add(name, total - loops - m, "repeated follows merged")
    return SparkGraph(spark, edges, ids, int(n), int(m), name, report)


def edges_to_pandas(sg: SparkGraph) -> pd.DataFrame:
    """The follow edges as ids (``source``, ``target``), collected: for tests and small graphs."""
    ids = sg.id_array()
    with spark_errors(sg.name):
        tab = sg.edges.toArrow()
    return pd.DataFrame({"source": ids[tab.column("src").to_numpy()], "target": ids[tab.column("dst").to_numpy()]})


def dense_codes(spark, df, order: str, keep: str):
    """``df`` numbered 0..n-1 by ``order`` (a column ``code``): a range-partitioned sort, then each
    row's place inside its partition plus the rows of the partitions before it. No single-partition
    window and no Python worker."""
    from pyspark.sql import functions as F

    ranked = df.orderBy(order).select(keep, F.spark_partition_id().alias("pid"),
                                      F.monotonically_increasing_id().alias("mid")).persist()
    counts = sorted((int(r["pid"]), int(r["n"])) for r in ranked.groupBy("pid").agg(F.count(F.lit(1)).alias("n"))
                    .collect())
    starts, total = [], 0
    for pid, n in counts:
        starts.append((pid, total))
        total += n
    offsets = spark.createDataFrame(starts or [(0, 0)], "pid int, start long")
    out = ranked.join(F.broadcast(offsets), "pid").select(
        (F.col("start") + F.col("mid") - F.shiftleft(F.col("pid").cast("long"), 33)).alias("code"), keep)
    return out
