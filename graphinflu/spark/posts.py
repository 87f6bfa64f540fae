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

Differences from the local engine, said in the run's notes: posts by an owner that is not an
account (of the follow list or the profiles) are not counted (the local engine adds such owners,
and the accounts posts mention, as accounts of an interaction graph, which the Spark engine does
not build); no recency window (``--since``/``--until`` are refused).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .._io import probe
from ..errors import InputError
from ..graph import Graph
from ..loaders.posts import read_posts
from ..loaders.profiles import COUNT_LIMIT, _COUNT_TEXT
from ..loaders.tables import read_any_table
from ..metrics.tiers import AD_HASHTAGS, engagement_from_sums
from .reader import SparkGraph, _head_lines, _is_uri, _local_path, _remote_layout
from .session import spark_errors


def _layout(spark, path: str):
    """(format, delimiter, {normalised name: file column}) of the posts table, decided by the
    local reader on a sample (its messages for a missing owner column, an HTML page, ...)."""
    if _is_uri(path) or os.path.isdir(_local_path(path)):
        fmt, lines = _remote_layout(spark, path)
        name = path
    else:
        info = probe(_local_path(path))
        name = info.name
        fmt = "parquet" if info.format == "parquet" else "text"
        if info.format in ("json", "graphml", "gexf"):
            raise InputError(f"the Spark engine reads posts as CSV, TSV or Parquet, not {info.format}", path=name,
                             hint="convert the posts table to CSV or Parquet, or use --engine local")
        lines = None if fmt == "parquet" else _head_lines(info.head, info.complete)
    with tempfile.TemporaryDirectory(prefix="graphinflu-spark-posts-") as tmp:
        sample = Path(tmp) / "posts.parquet"
        if fmt == "parquet":
            with spark_errors(name):
                spark.read.parquet(path).limit(200).toPandas().to_parquet(sample)
        else:
            sample = Path(tmp) / Path(name).name.removesuffix(".gz").removesuffix(".bz2")
            sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            found = read_posts(sample).attrs["columns"]
            delimiter = None if fmt == "parquet" else read_any_table(sample, header=True, comment=None).delimiter
        except InputError as err:  # name the real file, not the sample
            raise InputError(str(err).split(": ", 1)[-1].split("\n  fix: ")[0], path=name, line=err.line,
                             hint=err.hint) from err
    return fmt, delimiter, found, name


def _count(F, col):
    """A count column as the local reader parses it (``1,234``, ``1.2k``, ``3M``, ``1e3``); null
    where it is not a number or out of range; fractions rounded half to even."""
    text = F.lower(F.regexp_replace(F.trim(col.cast("string")), r"[,_\s]", ""))
    num = F.concat(F.regexp_extract(text, _COUNT_TEXT, 1), F.regexp_extract(text, _COUNT_TEXT, 2),
                   F.regexp_extract(text, _COUNT_TEXT, 3)).cast("double")
    scale = (F.when(F.regexp_extract(text, _COUNT_TEXT, 4) == "k", 1e3)
             .when(F.regexp_extract(text, _COUNT_TEXT, 4) == "m", 1e6)
             .when(F.regexp_extract(text, _COUNT_TEXT, 4) == "b", 1e9).otherwise(1.0))
    value = F.when(text.rlike(_COUNT_TEXT), num * scale)
    return F.when(F.abs(value) < F.lit(COUNT_LIMIT), F.bround(value, 0))


def post_sums(sg: SparkGraph, path, people: Graph) -> tuple[pd.DataFrame, dict]:
    """Per account (``code``, position in ``people``): ``n`` posts counted (likes and comments both
    known), ``likes``, ``comments``, ``ad`` (sponsored posts), ``ss`` (Σ (I − Ī)² of likes +
    comments), summed in Spark and collected. Owners (stripped, without ``@``, lower case, as the
    local reader has them) are resolved to accounts on the driver, once per distinct owner, by
    the local rule (id, else handle); ``info`` says what was left out."""
    from pyspark.sql import functions as F

    spark = sg.spark
    path = str(path)
    fmt, delimiter, found, name = _layout(spark, path)
    with spark_errors(name):
        if fmt == "parquet":
            raw = spark.read.parquet(path)
        else:
            raw = (spark.read.option("sep", delimiter).option("header", "true").option("quote", '"')
                   .option("mode", "PERMISSIVE").csv(path))
        col = {k: F.col(f"`{v}`") for k, v in found.items()}
        owner = F.lower(F.regexp_replace(F.trim(col["owner"].cast("string")), "^@+", ""))
        ad = F.lit(False)
        if "sponsors" in found:
            sponsors = F.regexp_replace(F.trim(col["sponsors"].cast("string")), "^[@\\s,;|]+$", "")
            ad = ad | (F.coalesce(F.length(sponsors), F.lit(0)) > 0)
        if "hashtags" in found:
            tokens = F.split(F.regexp_replace(F.lower(F.coalesce(col["hashtags"].cast("string"), F.lit(""))),
                                              r"[#,;|\s]+", " "), " ")
            ad = ad | F.arrays_overlap(tokens, F.array(*[F.lit(t) for t in sorted(AD_HASHTAGS)]))
        if "is_ad" in raw.columns:
            ad = ad | F.lower(F.trim(F.col("is_ad").cast("string"))).isin("true", "1", "1.0", "yes")
        posts = raw.select(owner.alias("owner"),
                           (_count(F, col["likes"]) if "likes" in found else F.lit(None).cast("double")).alias("lk"),
                           (_count(F, col["comments"]) if "comments" in found else F.lit(None).cast("double"))
                           .alias("cm"), F.coalesce(ad, F.lit(False)).alias("ad"),
                           *([F.col("shortcode").cast("string").alias("sc")] if "shortcode" in raw.columns else []),
                           F.monotonically_increasing_id().alias("row"))
        posts = posts.where(F.col("owner").isNotNull() & (F.col("owner") != ""))
        if "shortcode" in raw.columns:  # the local reader keeps the first row of a repeated post id
            first = posts.groupBy("sc").agg(F.min("row").alias("row"))
            posts = posts.join(first, ["sc", "row"]).drop("sc")
        posts = posts.persist()
        neg = posts.agg(F.sum((F.col("lk") < 0).cast("int")).alias("lk"),
                        F.sum((F.col("cm") < 0).cast("int")).alias("cm")).first()
        for key, label in (("lk", "likes"), ("cm", "comments")):
            if neg[key]:
                raise InputError(f"posts column {label!r} holds negative values", path=name,
                                 hint="counts must be >= 0")
        owners = posts.groupBy("owner").agg(F.count(F.lit(1)).alias("n")).toPandas()
        pos = people.positions(owners["owner"].to_numpy(dtype=object), missing="skip", what="post owners")
        known = pos >= 0
        info = {"name": name, "owners_lost": int((~known).sum()), "posts_lost": int(owners.loc[~known, "n"].sum())}
        codes = spark.createDataFrame(pd.DataFrame({"owner": owners["owner"].to_numpy(dtype=object)[known],
                                                    "code": pos[known].astype(np.int64)}), "owner string, code long")
        counted = (posts.where(F.col("lk").isNotNull() & F.col("cm").isNotNull()).join(codes, "owner")
                   .select("code", "lk", "cm", "ad", (F.col("lk") + F.col("cm")).alias("i")).persist())
        mean = counted.groupBy("code").agg(F.avg("i").alias("mean"))
        out = (counted.join(mean, "code").groupBy("code")
               .agg(F.count(F.lit(1)).alias("n"), F.sum("lk").alias("likes"), F.sum("cm").alias("comments"),
                    F.sum(F.col("ad").cast("long")).alias("ad"),
                    F.sum((F.col("i") - F.col("mean")) * (F.col("i") - F.col("mean"))).alias("ss"))).toPandas()
        counted.unpersist()
        posts.unpersist()
    return out, info


def spark_engagement(sg: SparkGraph, path, tt: pd.DataFrame, people: Graph) -> tuple[pd.DataFrame, list[str]]:
    """The engagement columns of :func:`graphinflu.metrics.tiers.engagement` for every account
    (``tt``: its tiers table; ``people``: the accounts, for resolving owners by id or handle),
    from the posts at ``path`` summed in Spark (:func:`post_sums`); and notes."""
    sums, info = post_sums(sg, path, people)
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
    return engagement_from_sums(tt, n_posts, per_account("likes"), per_account("comments"), within, sponsored), notes
