"""``--posts`` on the Spark engine: engagement per creator, summed in Spark.

Posts can be many (hundreds per creator), so they stay in Spark: the posts table is read by
Spark (CSV/TSV or Parquet, a local path or a URI), its columns chosen as the local engine chooses
them (the local reader, :func:`graphinflu.loaders.read_posts`, runs on a sample of the first
lines: the same spellings and the same messages), and every post is reduced, per owner, to
the sums engagement rests on: posts counted, Σ likes, Σ comments, sponsored posts and
Σ (I − Ī)² of its interactions I = likes + comments (two passes: the owner's mean first). One
row per owner is collected; on the driver, the owners are resolved to accounts by the local
identity rule and the local formula (:func:`graphinflu.metrics.tiers.engagement_from_sums`:
raw rate, the empirical-Bayes shrunk rate, percentiles within the tier) turns the sums into
the engagement columns. The within-creator variance of per-post rates is Σ (I − Ī)² / f², f
the creator's followers, equal to the local Σ (x − x̄)² up to rounding.

A recency window (``--since``/``--until``) is applied in Spark: each post's timestamp is read as
the local reader reads it (:func:`_epoch_seconds`: epoch numbers when any value of the column is
a number, else ISO 8601 dates and times, a date alone its midnight, no offset = UTC; dates in
other forms, such as ``01/02/2024`` or ``Jan 5, 2024``, by pandas on the executors, as locally),
the posts outside the window are left out of the sums, the undated ones counted per account
(``posts_undated``) and the window note's counts summed in the same pass.

Owners are accounts: :func:`graphinflu.spark.post_graph.attach_posts` makes every owner an
account, as the local engine does, and its ``owner_codes`` say which; without them (a direct
call), owners are resolved on the accounts by id or handle and those that are none are counted
in a note.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .._io import probe
from .._time import datetimes_to_seconds, parse_instant
from ..analysis import require_posts_for_window, window_text
from ..errors import InputError
from ..graph import Graph
from ..loaders.posts import read_posts
from ..loaders.profiles import COUNT_LIMIT, _COUNT_TEXT
from ..loaders.tables import read_any_table
from ..metrics.tiers import AD_HASHTAGS, engagement_from_sums
from ..params import EngagementParams, LoadOptions
from .reader import SparkGraph, _head_lines, _is_uri, _local_path, _remote_layout
from .session import spark_errors


def read_sample(spark, path: str, what: str, read):
    """``read(sample, fmt)`` (the local reader, on a sample of the ``what`` table at ``path``: the
    decompressed head of a local file, the first lines or rows Spark reads from a URI or folder)
    and the table's format and name: ``(fmt, read's answer, name)``. The local reader's messages
    (a missing column, an HTML page, ...) name the real file, not the sample."""
    if _is_uri(path) or os.path.isdir(_local_path(path)):
        fmt, lines = _remote_layout(spark, path)
        name = path
    else:
        info = probe(_local_path(path))
        name = info.name
        fmt = "parquet" if info.format == "parquet" else "text"
        if info.format in ("json", "graphml", "gexf"):
            raise InputError(f"the Spark engine reads {what} as CSV, TSV or Parquet, not {info.format}", path=name,
                             hint=f"convert the {what} table to CSV or Parquet, or use --engine local")
        lines = None if fmt == "parquet" else _head_lines(info.head, info.complete)
    with tempfile.TemporaryDirectory(prefix=f"graphinflu-spark-{what}-") as tmp:
        sample = Path(tmp) / f"{what}.parquet"
        if fmt == "parquet":
            with spark_errors(name):
                spark.read.parquet(path).limit(200).toPandas().to_parquet(sample)
        else:
            sample = Path(tmp) / Path(name).name.removesuffix(".gz").removesuffix(".bz2")
            sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            answer = read(sample, fmt)
        except InputError as err:  # name the real file, not the sample
            raise InputError(str(err).split(": ", 1)[-1].split("\n  fix: ")[0], path=name, line=err.line,
                             hint=err.hint) from err
    return fmt, answer, name


def _layout(spark, path: str):
    """(format, delimiter, {normalised name: file column}) of the posts table, decided by the
    local reader on a sample (its messages for a missing owner column, an HTML page, ...)."""
    return _layout_and_first_line(spark, path)[:4]


def _layout_and_first_line(spark, path: str):
    """:func:`_layout` and the line of the first post (where the local reader's line numbers start)."""
    def read(sample, fmt):
        found = read_posts(sample).attrs["columns"]
        if fmt == "parquet":
            return found, None, 1
        tt = read_any_table(sample, header=True, comment=None)
        return found, tt.delimiter, tt.first_data_line

    fmt, (found, delimiter, first_line), name = read_sample(spark, path, "posts", read)
    return fmt, delimiter, found, name, first_line


def read_raw_posts(spark, path: str, *, where: bool = False):
    """The posts table at ``path`` as Spark reads it (CSV/TSV with a header: quoted fields may
    hold delimiters, quotes and line breaks, as in captions; or Parquet), the columns the local
    reader chooses (``{normalised name: file column}``) and the table's name for messages. With
    ``where``, also how the local reader places a row in its messages: ``where(i)`` of the
    ``i``-th row (0-based), ``line N`` or ``record N``."""
    fmt, delimiter, found, name, first_line = _layout_and_first_line(spark, path)
    with spark_errors(name):
        if fmt == "parquet":
            raw = spark.read.parquet(path)
        else:
            raw = (spark.read.option("sep", delimiter).option("header", "true").option("quote", '"')
                   .option("escape", '"').option("multiLine", "true").option("mode", "PERMISSIVE").csv(path))
    if not where:
        return raw, found, name
    return raw, found, name, (lambda i: f"record {i + 1}") if fmt == "parquet" else (lambda i: f"line {first_line + i}")


def _list_text(F, raw, column: str):
    """A list field as one text, as the local reader sees it: list values (Parquet, JSON)
    space-joined, missing as ``""``."""
    from pyspark.sql.types import ArrayType

    col = F.col(f"`{column}`")
    if isinstance(raw.schema[column].dataType, ArrayType):
        return F.coalesce(F.concat_ws(" ", col.cast("array<string>")), F.lit(""))
    return F.coalesce(col.cast("string"), F.lit(""))


def owner_column(found: dict):
    """The post owner as the local reader has it: stripped of any Unicode space, without leading
    ``@``, lower case character by character (pandas' Arrow strings: ``İ`` → ``i``, a final ``Σ`` →
    ``σ``, which Java lowers in context)."""
    from pyspark.sql import functions as F

    from .identity import stripped

    owner = F.regexp_replace(stripped(F.col(f"`{found['owner']}`").cast("string")), "^@+", "")
    return F.lower(F.translate(owner, "\u0130\u03a3", "i\u03c3"))


def first_posts(raw, found: dict, *columns):
    """``owner``, ``columns`` and ``row`` (file order) of every post the local reader keeps: posts
    without an owner are dropped, and of posts repeating a ``shortcode`` the first is kept."""
    from pyspark.sql import functions as F

    has_sc = "shortcode" in raw.columns
    posts = (raw.select(owner_column(found).alias("owner"), *columns,
                        *([F.col("shortcode").cast("string").alias("sc")] if has_sc else []),
                        F.monotonically_increasing_id().alias("row"))
             .where(F.col("owner").isNotNull() & (F.col("owner") != "")))
    if has_sc:  # posts without an id share one (null) group, as pandas' duplicated() has them
        first = posts.groupBy("sc").agg(F.min("row").alias("row"))
        posts = posts.join(first, "row", "left_semi").drop("sc")
    return posts


#: What the local count parser removes from a count (``str.strip`` then ``[,_\s]``, ``\s`` and
#: strip being Unicode-aware in Python): Java's ``\s`` made Unicode-aware, plus U+001C..U+001F.
COUNT_SPACE = r"(?U)[,_\s\x{1c}-\x{1f}]"


def _count(F, col):
    """A count column as the local reader parses it (``1,234``, ``1.2k``, ``3M``, ``1e3``); null
    where it is not a number or out of range; fractions rounded half to even."""
    text = F.lower(F.regexp_replace(col.cast("string"), COUNT_SPACE, ""))
    num = F.concat(F.regexp_extract(text, _COUNT_TEXT, 1), F.regexp_extract(text, _COUNT_TEXT, 2),
                   F.regexp_extract(text, _COUNT_TEXT, 3)).cast("double")
    scale = (F.when(F.regexp_extract(text, _COUNT_TEXT, 4) == "k", 1e3)
             .when(F.regexp_extract(text, _COUNT_TEXT, 4) == "m", 1e6)
             .when(F.regexp_extract(text, _COUNT_TEXT, 4) == "b", 1e9).otherwise(1.0))
    value = F.when(text.rlike(_COUNT_TEXT), num * scale)
    return F.when(F.abs(value) < F.lit(COUNT_LIMIT), F.bround(value, 0))


def check_window(load: LoadOptions, engagement: EngagementParams | None) -> None:
    """Refuse a ``--since``/``--until`` window without ``--posts``, as the local engine does."""
    require_posts_for_window(engagement, load.posts is not None)


def _number(F, value):
    """``value`` (a double) with NaN as null: the text ``NaN`` is no number to pandas'
    ``to_numeric``, and a NaN timestamp is missing, as locally."""
    return F.when(~F.isnan(value), value)


def _epoch_seconds(F, col, numeric: bool):
    """A timestamp column as float64 UTC epoch seconds, null where missing or unreadable, as
    :func:`graphinflu.loaders.read_posts` reads it: ``numeric`` (some value of the column is a
    number) reads numbers as epoch seconds; otherwise ISO 8601 text, a date alone at midnight,
    no offset meaning UTC, ``+hhmm``/``+hh``/``Z`` offsets converted (the zone is written into
    every value, so Spark's session time zone plays no part)."""
    text = F.trim(col.cast("string"))
    if numeric:
        return _number(F, F.when(F.length(text) > 0, text.try_cast("double")))
    date_only = text.rlike(r"^\d{4}-\d{1,2}-\d{1,2}$")
    timed = text.rlike(r"^\d{4}-\d{1,2}-\d{1,2}[T ]\d")
    with_seconds = F.regexp_replace(text, r"^(\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2})(?![:\d])", "$1:00")
    zoned = F.upper(text).rlike(r"(Z|[+-]\d{2}(:?\d{2})?)$")
    offset = F.regexp_replace(F.regexp_replace(F.regexp_replace(with_seconds, r"[zZ]$", "Z"),
                                               r"([+-]\d{2})(\d{2})$", "$1:$2"), r"([+-]\d{2})$", "$1:00")
    iso = (F.when(date_only, F.concat(text, F.lit("T00:00:00Z")))
           .when(timed & zoned, offset).when(timed, F.concat(with_seconds, F.lit("Z"))))
    return F.unix_micros(iso.try_cast("timestamp")) / F.lit(1e6)


def _timestamps(F, raw, column: str):
    """The posts' timestamps in epoch seconds (:func:`_epoch_seconds`), the column's reading
    decided on the whole column as the local reader decides it: numbers if any value is one."""
    from pyspark.sql.types import NumericType, TimestampType

    dtype = raw.schema[column].dataType
    col = F.col(f"`{column}`")
    if isinstance(dtype, TimestampType):
        return F.unix_micros(col) / F.lit(1e6)
    if isinstance(dtype, NumericType):
        return _number(F, col.cast("double"))
    text = F.trim(col.cast("string"))
    numeric = raw.where(_number(F, text.try_cast("double")).isNotNull()).limit(1).count() > 0
    seconds = _epoch_seconds(F, col, numeric)
    if numeric or raw.where(seconds.isNull() & (F.length(text) > 0)).limit(1).count() == 0:
        return seconds
    # dates in other forms (01/02/2024, "Jan 5, 2024"): pandas reads them on the executors, as
    # the local reader does (each value by itself), only where the ISO reading found none
    parse = F.pandas_udf(pandas_seconds, "double")
    return F.coalesce(seconds, F.when(F.length(text) > 0, parse(col.cast("string"))))


def pandas_seconds(values: pd.Series) -> pd.Series:
    """Epoch seconds of date texts as :func:`graphinflu.loaders.read_posts` reads them
    (``pd.to_datetime(..., format="mixed", utc=True)``, NaN where unreadable)."""
    dt = pd.to_datetime(values, errors="coerce", utc=True, format="mixed")
    return pd.Series(datetimes_to_seconds(dt), index=values.index, dtype=np.float64)


def owner_positions(people: Graph, owners: np.ndarray, owner_codes: pd.Series | None) -> np.ndarray:
    """Each post owner's account code: from ``owner_codes`` (the accounts
    :func:`graphinflu.spark.post_graph.attach_posts` made them, as the local pipeline does), else
    resolved on ``people`` by id or handle; -1 for an owner that is no account."""
    if owner_codes is None:
        return people.positions(owners, missing="skip", what="post owners")
    return owner_codes.reindex(pd.Index(owners, dtype=object)).fillna(-1).to_numpy(np.int64)


def post_sums(sg: SparkGraph, path, people: Graph, window: tuple[float, float] | None = None,
              owner_codes: pd.Series | None = None) -> tuple[pd.DataFrame, dict]:
    """Per account (``code``, position in ``people``): ``n`` posts counted (likes and comments both
    known), ``likes``, ``comments``, ``ad`` (sponsored posts), ``ss`` (Σ (I − Ī)² of likes +
    comments), summed in Spark and collected. Owners (stripped, without ``@``, lower case, as the
    local reader has them) are resolved to accounts on the driver, once per distinct owner, by
    the local rule (id, else handle); ``info`` says what was left out.

    With ``window`` (``low``, ``high`` epoch seconds): only posts with ``low ≤ t < high`` are
    summed, ``undated`` counts each account's counted posts without a timestamp, and ``info``
    has the window note's counts (``outside``, ``undated`` over every post)."""
    from pyspark.sql import functions as F

    spark = sg.spark
    raw, found, name = read_raw_posts(spark, str(path))
    with spark_errors(name):
        col = {k: F.col(f"`{v}`") for k, v in found.items()}
        ad = F.lit(False)
        if "sponsors" in found:
            sponsors = F.regexp_replace(F.trim(_list_text(F, raw, found["sponsors"])), "^[@\\s,;|]+$", "")
            ad = ad | (F.coalesce(F.length(sponsors), F.lit(0)) > 0)
        if "hashtags" in found:
            tokens = F.split(F.regexp_replace(F.lower(_list_text(F, raw, found["hashtags"])),
                                              r"[#,;|\s]+", " "), " ")
            ad = ad | F.arrays_overlap(tokens, F.array(*[F.lit(t) for t in sorted(AD_HASHTAGS)]))
        if "is_ad" in raw.columns:
            ad = ad | F.lower(F.trim(F.col("is_ad").cast("string"))).isin("true", "1", "1.0", "yes")
        posts = first_posts(raw, found, (_count(F, col["likes"]) if "likes" in found
                                         else F.lit(None).cast("double")).alias("lk"),
                            (_count(F, col["comments"]) if "comments" in found else F.lit(None).cast("double"))
                            .alias("cm"), F.coalesce(ad, F.lit(False)).alias("ad"),
                            ((_timestamps(F, raw, found["timestamp"]) if "timestamp" in found
                              else F.lit(None).cast("double")) if window is not None else F.lit(None).cast("double"))
                            .alias("ts"))
        posts = posts.persist()
        neg = posts.agg(F.sum((F.col("lk") < 0).cast("int")).alias("lk"),
                        F.sum((F.col("cm") < 0).cast("int")).alias("cm")).first()
        for key, label in (("lk", "likes"), ("cm", "comments")):
            if neg[key]:
                raise InputError(f"posts column {label!r} holds negative values", path=name,
                                 hint="counts must be >= 0")
        owners = posts.groupBy("owner").agg(F.count(F.lit(1)).alias("n")).toPandas()
        pos = owner_positions(people, owners["owner"].to_numpy(dtype=object), owner_codes)
        known = pos >= 0
        info = {"name": name, "owners_lost": int((~known).sum()), "posts_lost": int(owners.loc[~known, "n"].sum())}
        codes = spark.createDataFrame(pd.DataFrame({"owner": owners["owner"].to_numpy(dtype=object)[known],
                                                    "code": pos[known].astype(np.int64)}), "owner string, code long")
        counted = (posts.where(F.col("lk").isNotNull() & F.col("cm").isNotNull()).join(codes, "owner")
                   .select("code", "lk", "cm", "ad", (F.col("lk") + F.col("cm")).alias("i"), "ts").persist())
        undated = None
        if window is not None:
            low, high = window
            info.update(_window_counts(F, posts, low, high, name))
            undated = (counted.where(F.col("ts").isNull()).groupBy("code").agg(F.count(F.lit(1)).alias("undated"))
                       .toPandas())
            inside = counted.where((F.col("ts") >= F.lit(low)) & (F.col("ts") < F.lit(high))).persist()
            counted.unpersist()
            counted = inside
        mean = counted.groupBy("code").agg(F.avg("i").alias("mean"))
        out = (counted.join(mean, "code").groupBy("code")
               .agg(F.count(F.lit(1)).alias("n"), F.sum("lk").alias("likes"), F.sum("cm").alias("comments"),
                    F.sum(F.col("ad").cast("long")).alias("ad"),
                    F.sum((F.col("i") - F.col("mean")) * (F.col("i") - F.col("mean"))).alias("ss"))).toPandas()
        counted.unpersist()
        posts.unpersist()
    if undated is not None:
        info["undated"] = undated
    return out, info


def _window_counts(F, posts, low: float, high: float, name: str) -> dict:
    """Posts outside the window and posts without a timestamp, over every post (the window
    note's counts); the local engine's error when no post has a timestamp."""
    t = F.col("ts")
    row = posts.agg(F.count(F.lit(1)).alias("n"), F.sum(t.isNull().cast("long")).alias("undated"),
                    F.sum((t.isNotNull() & ((t < F.lit(low)) | (t >= F.lit(high)))).cast("long")).alias("out")).first()
    n, undated = int(row["n"]), int(row["undated"] or 0)
    if n and undated == n:
        raise InputError(f"no post has a timestamp ({n:,} posts), so none can be placed in the since/until window",
                         path=name, hint="give posts with a timestamp column (epoch seconds or ISO dates), or drop "
                                         "--since/--until")
    return {"outside": int(row["out"] or 0), "undated_posts": undated}


def spark_engagement(sg: SparkGraph, path, tt: pd.DataFrame, people: Graph,
                     engagement: EngagementParams | None = None, owner_codes: pd.Series | None = None
                     ) -> tuple[pd.DataFrame, list[str]]:
    """The engagement columns of :func:`graphinflu.metrics.tiers.engagement` for every account
    (``tt``: its tiers table; ``people``: the accounts, for resolving owners by id or handle),
    from the posts at ``path`` summed in Spark (:func:`post_sums`), in ``engagement``'s
    ``--since``/``--until`` window (then with ``posts_undated``); and notes (with a window, the
    local engine's :func:`~graphinflu.analysis.window_note`)."""
    engagement = engagement or EngagementParams()
    window = None
    if engagement.window:  # the bounds as EngagementParams checked them (since < until)
        low, high = parse_instant(engagement.since), parse_instant(engagement.until)
        window = (-np.inf if low is None else low, np.inf if high is None else high)
    sums, info = post_sums(sg, path, people, window, owner_codes)
    n = people.n_accounts
    notes = []
    if info["owners_lost"]:
        notes.append(f"{info['name']}: {info['posts_lost']:,} posts by {info['owners_lost']:,} owners that are not "
                     "accounts of the follow list or the profiles were not counted (the local engine adds them as "
                     "accounts)")
    p = sums["code"].to_numpy(np.int64)

    def per_account(col):
        return np.bincount(p, weights=sums[col].to_numpy(np.float64), minlength=n)

    n_posts = per_account("n").astype(np.int64)
    f = tt["followers"].to_numpy(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        within = np.where(f > 0, per_account("ss") / (f * f), 0.0)
        sponsored = np.where(n_posts > 0, per_account("ad") / np.maximum(n_posts, 1), np.nan)
    undated = None
    if window is not None:
        u = info["undated"]
        undated = np.bincount(u["code"].to_numpy(np.int64), weights=u["undated"].to_numpy(np.float64),
                              minlength=n).astype(np.int64)
        notes.append(window_text(engagement, int(n_posts.sum()), info["outside"], info["undated_posts"]))
    return engagement_from_sums(tt, n_posts, per_account("likes"), per_account("comments"), within, sponsored,
                                undated), notes
