"""``--posts`` on the Spark engine: the interaction graph posts make, as the local engine makes it.

Locally (:func:`graphinflu.loaders.posts.posts_to_graph`, merged by
:func:`graphinflu.pipeline.load_inputs`) every post's ``mentions``, ``tagged`` and ``sponsors``
become interaction edges (kinds ``mentions``, ``tags``, ``sponsors``) from its owner to each
account it names, weighted by the number of posts, and the owners and the named accounts become
accounts. :func:`attach_posts` does the same with the posts held by Spark:

Tokens
    Each list field is normalised in Spark as the local reader normalises it (lower case, commas,
    semicolons, pipes and every Unicode space separate, leading ``@`` removed; hashtags without
    ``#``); an account named twice in one post counts once for that post.
Accounts
    Owners in order of their first post, then the named accounts in the local order (the
    mentions column first, then tagged, then sponsors; within one, post then position), are
    appended after the accounts already there, those that are new. Only the distinct owners and
    the named names that are no account yet are collected to the driver (O(accounts)).
    With ``--profiles``, owners and named accounts resolve by the local identity rule (id, else
    handle; the profiles' and the follow list's accounts), names that do not resolve stay
    accounts of their own, flagged ``unresolved`` and counted in the report, as locally.
Edges
    Coded by a join in Spark, self-loops dropped, one row per ``(owner, account, kind)`` with the
    number of posts as ``weight``; the report counts what the local engine counts at each step
    (self-loops, repeated rows summed, under the same names).
Per-owner columns
    ``sampled_posts``, ``mean_likes``, ``mean_comments`` (over posts with a value) and
    ``hashtags`` (the owner's ten most used tags, by posts using them, ties alphabetical), summed
    and ranked in Spark and collected one row per owner.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._report import LoadReport
from ..graph import KINDS
from ..identity import Resolution
from ..loaders.posts import _OTHER_SPACE_CLASS, EDGE_KINDS, TOP_HASHTAGS
from ..loaders.profiles import _COUNT_TEXT, _INF_TEXT, _SUFFIX, COUNT_LIMIT, COUNT_PROBLEMS
from ..pipeline import _known_accounts, _report_unresolved
from .interactions import SparkInteractions
from .posts import COUNT_SPACE, _count, _list_text, first_posts, owner_column, read_raw_posts
from .profiles import accounts_graph
from .reader import SparkGraph
from .session import spark_errors


@dataclass
class SparkPosts:
    """What :func:`attach_posts` made of the posts.

    Attributes
    ----------
    edges : pyspark DataFrame or None
        ``src``, ``dst``, ``kind``, ``weight``: one row per (owner, named account, kind), no
        self-loops, cached; None when no post names an account.
    columns : DataFrame
        Per owner (indexed by account id): ``sampled_posts``, ``mean_likes``, ``mean_comments``,
        ``hashtags``.
    owner_codes : Series
        Each owner as the posts spell it (stripped, without ``@``, lower case) → its account code.
    unresolved : ndarray
        The ids of owners and named accounts that resolve to no profile (with ``--profiles``).
    name : str
    """

    edges: object
    columns: pd.DataFrame
    owner_codes: pd.Series
    unresolved: np.ndarray
    name: str
    #: The interaction kinds ``edges`` holds.
    kinds: tuple = ()


def _tokens(F, text, strip: str):
    """The tokens of a list field, as the local reader makes them (``_join_lists`` then a split
    on spaces; empty tokens are left for the caller to drop): lower case character by character
    (pyarrow's ``utf8_lower``: ``İ`` → ``i``, a final ``Σ`` → ``σ``, which Java lowers in context),
    separators and Unicode spaces to spaces, then leading ``@`` of each token removed
    (``strip="@"``) or every ``#`` (hashtags, as :func:`~graphinflu.loaders.posts.owner_hashtags`)."""
    t = F.lower(F.translate(text, "\u0130\u03a3", "i\u03c3"))
    t = F.regexp_replace(t, f"[,;|]|{_OTHER_SPACE_CLASS}", " ")
    t = F.regexp_replace(t, "(^| )@+", "$1") if strip == "@" else F.regexp_replace(t, "#", "")
    return F.split(t, " ")


def attach_posts(sg: SparkGraph, path, prof: pd.DataFrame | None = None, *, n_known: int | None = None,
                 inter: SparkInteractions | None = None) -> tuple[SparkGraph, SparkPosts]:
    """Read the posts at ``path`` with Spark and add what they make to ``sg``: the owners and the
    accounts they name, appended in the local engine's order, and the interaction edges.

    Parameters
    ----------
    sg : SparkGraph
        The follow graph (with interaction-only accounts appended, if any).
    path : str
        The posts table (CSV/TSV or Parquet; a local path or any URI Spark reads).
    prof : DataFrame, optional
        The profiles (:func:`graphinflu.loaders.read_profiles`): names resolve by id or handle.
    n_known : int, optional
        How many of ``sg``'s accounts (the first) the names resolve against: the follow list's
        (and not the interaction-only ones), as the local engine resolves posts. Default: all.
    inter : SparkInteractions, optional
        The ``--interactions`` edges: repeated rows where both name the same edge are counted in
        the report as the local merge counts them.

    Raises
    ------
    InputError
        The local reader's messages (no owner column, an unreadable file).
    """
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    spark = sg.spark
    raw, found, name, where = read_raw_posts(spark, str(path), where=True)
    n_known = sg.n_accounts if n_known is None else n_known
    lists = [(col, kind) for col, kind in EDGE_KINDS.items() if col in found]
    notes = LoadReport()  # added to the graph's report at the end, in the local engine's order
    with spark_errors(name):
        counts = [(_count(F, F.col(f"`{found[c]}`")) if c in found else F.lit(None).cast("double")).alias(a)
                  for c, a in (("likes", "lk"), ("comments", "cm"))]
        listed = [_tokens(F, _list_text(F, raw, found[col]), "@").alias(f"l{i}") for i, (col, _) in enumerate(lists)]
        tags = [_tokens(F, _list_text(F, raw, found["hashtags"]), "#").alias("tags")] if "hashtags" in found else []
        posts = first_posts(raw, found, *counts, *listed, *tags).persist()
        total = raw.select(F.count(F.lit(1)).alias("n"),
                           F.sum(F.coalesce(owner_column(found) == "", F.lit(True)).cast("long")).alias("no_owner")
                           ).first()
        owners = (posts.groupBy("owner")
                  .agg(F.min("row").alias("first"), F.count(F.lit(1)).alias("n"), F.sum("lk").alias("lk"),
                       F.count("lk").alias("nlk"), F.sum("cm").alias("cm"), F.count("cm").alias("ncm"))
                  .toPandas().sort_values("first", kind="stable"))
        pairs = None
        for i, (_, kind) in enumerate(lists):
            part = posts.select("owner", "row", F.lit(i).alias("ki"), F.lit(kind).alias("kind"),
                                F.posexplode(f"l{i}").alias("pos", "name"))
            pairs = part if pairs is None else pairs.unionAll(part)
        fresh = pd.DataFrame({"name": pd.Series([], dtype=object)})
        if pairs is not None:
            pairs = (pairs.where(F.col("name") != "").groupBy("row", "owner", "ki", "kind", "name")
                     .agg(F.min("pos").alias("pos")).persist())
            known = sg.ids.where(F.col("code") < F.lit(n_known)) if prof is not None else sg.ids
            fresh = (pairs.groupBy("name").agg(F.min(F.struct("ki", "row", "pos")).alias("key"))
                     .join(known.select(F.col("id").alias("name")), "name", "left_anti")
                     .select("name", "key.ki", "key.row", "key.pos").toPandas()
                     .sort_values(["ki", "row", "pos"], kind="stable"))
    n_rows, no_owner = int(total["n"]), int(total["no_owner"] or 0)
    source = str(path)
    with spark_errors(name):
        for note in read_notes(raw, found, source, where, n_rows):
            notes.add(*note)
    notes.add(source, no_owner, "posts without an owner dropped")
    if "shortcode" in raw.columns:
        notes.add(source, n_rows - no_owner - int(owners["n"].sum()),
                  "posts with a repeated 'shortcode' dropped (first kept)")

    # the local pipeline's names: owners (resolved), then the named accounts (resolved), each
    # account once, in that order; the new ones are appended
    ids = sg.id_array()
    raw_owner = owners["owner"].to_numpy(dtype=object)
    tok_all = fresh["name"].to_numpy(dtype=object)
    flagged = []
    identity = _known_accounts(prof, accounts_graph(ids[:n_known], None)) if prof is not None else None
    if identity is not None:
        res_o = identity.resolve(raw_owner)
        flagged.append(_report_unresolved(notes, str(path), res_o, raw_owner, "post owner", flag=True))
        po = np.asarray(res_o.ids, dtype=object)
    else:
        po = raw_owner
    owners_pg = pd.unique(pd.Series(po, dtype=object)).astype(object)
    tok = tok_all[~pd.Index(tok_all, dtype=object).isin(pd.Index(owners_pg, dtype=object))]
    pg_ids = np.concatenate([owners_pg, tok]).astype(object)
    mentioned = LoadReport()
    if identity is not None:
        res = identity.resolve(pg_ids)
        sub = Resolution(res.ids[len(owners_pg):], res.status[len(owners_pg):], res.candidates)
        flagged.append(_report_unresolved(mentioned, str(path), sub, tok, "mentioned", flag=True))
        final = np.asarray(res.ids, dtype=object)
    else:
        final = pg_ids
    known_ix = pd.Index(ids, dtype=object)
    added = pd.unique(pd.Series(final[~pd.Index(final, dtype=object).isin(known_ix)], dtype=object))
    everyone = known_ix.append(pd.Index(added, dtype=object))
    pg_code = pd.Series(everyone.get_indexer(pd.Index(final, dtype=object)).astype(np.int64),
                        index=pd.Index(pg_ids, dtype=object))
    owner_codes = pd.Series(pg_code.reindex(pd.Index(po, dtype=object)).to_numpy(np.int64),
                            index=pd.Index(raw_owner, dtype=object, name="owner"), name="code")
    if len(added):
        n = sg.n_accounts
        with spark_errors(sg.name):
            more = spark.createDataFrame(pd.DataFrame({"code": np.arange(n, n + len(added), dtype=np.int64),
                                                       "id": np.asarray(added, dtype=object)}), "code long, id string")
            ids_df = sg.ids.unionByName(more).persist()
            ids_df.count()
        sg = SparkGraph(sg.spark, sg.edges, ids_df, n + len(added), sg.n_edges, sg.name, sg.report, sg.profiles,
                        whole=sg.whole, interactions=sg.interactions)

    with spark_errors(name):
        omap = spark.createDataFrame(pd.DataFrame({"owner": raw_owner, "po": po,
                                                   "src": owner_codes.to_numpy(np.int64)}),
                                     "owner string, po string, src long")
        columns = _owner_columns(F, Window, posts, owners, omap, po, final, pg_ids, "tags" in posts.columns)
        edges, loops1, dup1, loops2, dup2, dup3 = None, 0, {}, 0, {}, {}
        if pairs is not None:
            tmap = spark.createDataFrame(pd.DataFrame({"name": tok_all, "dst": pg_code.reindex(
                pd.Index(tok_all, dtype=object)).to_numpy(np.int64)}), "name string, dst long")
            if prof is not None:  # names equal to an id the identity knows are that account
                known_map = sg.ids.where(F.col("code") < F.lit(n_known))
            else:
                known_map = sg.ids.where(F.col("code") < F.lit(len(ids)))
            tmap = tmap.unionByName(known_map.select(F.col("id").alias("name"), F.col("code").alias("dst")))
            step = (pairs.join(F.broadcast(omap) if len(po) < 2_000_000 else omap, "owner").join(tmap, "name")
                    .groupBy("po", "name", "kind")
                    .agg(F.count(F.lit(1)).alias("rows"), F.first("src").alias("src"), F.first("dst").alias("dst"))
                    .withColumn("loop", F.col("po") == F.col("name")).persist())
            s1 = (step.groupBy("kind").agg(F.sum(F.when(F.col("loop"), F.col("rows"))).alias("loops"),
                                           F.sum(F.when(~F.col("loop"), F.col("rows"))).alias("rows"),
                                           F.sum((~F.col("loop")).cast("long")).alias("edges"),
                                           F.sum((~F.col("loop") & (F.col("src") == F.col("dst"))).cast("long"))
                                           .alias("loops2")).toPandas().fillna(0).set_index("kind"))
            # a local checkpoint, not a persisted plan: that would hold the owners' broadcast table
            # on the driver as long as the edges live
            edges = (step.where(~F.col("loop") & (F.col("src") != F.col("dst"))).groupBy("src", "dst", "kind")
                     .agg(F.sum("rows").cast("double").alias("weight"), F.count(F.lit(1)).alias("pg"))
                     .localCheckpoint())
            s2 = edges.groupBy("kind").agg(F.count(F.lit(1)).alias("m"), F.sum("pg").alias("pg")).toPandas()
            s2 = s2.set_index("kind")
            step.unpersist()
            pairs.unpersist()
            loops1, loops2 = int(s1["loops"].sum()), int(s1["loops2"].sum())
            dup1 = {k: int(r.rows - r.edges) for k, r in s1.iterrows()}
            dup2 = {k: int(r.pg - r.m) for k, r in s2.iterrows()}
            edges = edges.select("src", "dst", "kind", "weight")
            if inter is not None:  # the local merge re-aggregates kinds both inputs have
                both = (inter.edges.select("src", "dst", "kind").join(edges.select("src", "dst", "kind"),
                                                                       ["src", "dst", "kind"])
                        .groupBy("kind").count().toPandas())
                dup3 = dict(zip(both["kind"], both["count"].astype(int)))
            if not len(s2):
                edges = None
        posts.unpersist()
    report = sg.report
    report.extend(notes)
    report.add("posts", loops1, "self-loops dropped (an account cannot follow or mention itself)")
    for k in KINDS:
        report.add("posts", dup1.get(k, 0), f"repeated {k} rows summed into weights")
    report.extend(mentioned)
    report.add(str(path), loops2, "self-loops dropped (an account cannot follow or mention itself)")
    for k in KINDS:
        report.add(str(path), dup2.get(k, 0), f"repeated {k} rows summed into weights")
    for k in KINDS:
        report.add("merge", dup3.get(k, 0), f"repeated {k} rows summed into weights")
    unresolved = np.concatenate(flagged) if flagged else np.zeros(0, dtype=object)
    return sg, SparkPosts(edges, columns, owner_codes, unresolved, name,
                          tuple(k for k in KINDS if k in s2.index) if edges is not None else ())


def read_notes(raw, found: dict, source: str, where, n_rows: int) -> list[tuple[str, int, str]]:
    """What the local reader (:func:`graphinflu.loaders.read_posts`) reports about the values of
    a posts table, counted in Spark: missing likes/comments columns; likes and comments that are
    no number, infinite or too large (set missing) or fractional (rounded), with the first as
    written and its line (:func:`graphinflu.loaders.profiles.count_column`'s notes); unreadable
    timestamps."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import NumericType

    checks = []  # (column, problem, predicate), in the order the local reader reports them
    for role in ("likes", "comments"):
        if role not in found:
            checks.append((role, "missing", F.lit(False)))
            continue
        col = F.col(f"`{found[role]}`")
        if isinstance(raw.schema[found[role]].dataType, NumericType):
            num = col.cast("double")
            empty = num.isNull() | F.isnan(num)
            bad = F.lit(False)
            oor = ~empty & (F.abs(num) >= F.lit(COUNT_LIMIT))
        else:
            text = F.lower(F.regexp_replace(col.cast("string"), COUNT_SPACE, ""))
            empty = text.isNull() | text.isin("", "nan", "na", "none", "null", "-")
            infinite = text.rlike(_INF_TEXT)
            num = F.when(text.rlike(_COUNT_TEXT), F.concat(*(F.regexp_extract(text, _COUNT_TEXT, i) for i in (1, 2, 3)))
                         .cast("double") * F.coalesce(F.element_at(F.create_map(
                             *[F.lit(x) for kv in _SUFFIX.items() for x in kv]), F.regexp_extract(text, _COUNT_TEXT, 4)),
                             F.lit(1.0)))
            bad = ~empty & ~infinite & (num.isNull() | F.isnan(num))
            oor = ~empty & (infinite | (F.abs(num) >= F.lit(COUNT_LIMIT)))
        usable = num.isNotNull() & ~F.isnan(num) & ~oor
        checks += [(found[role], key, F.coalesce(pred, F.lit(False)))
                   for key, pred in (("not_a_number", bad), ("out_of_range", oor), ("negative", F.lit(False)),
                                     ("fraction", usable & (num % F.lit(1.0) != 0)))]
    if "timestamp" in found:
        column = found["timestamp"]
        if isinstance(raw.schema[column].dataType, NumericType) or "timestamp" in raw.schema[column].dataType.typeName():
            checks.append((column, "unreadable", F.lit(False)))
        else:
            from .posts import _timestamps

            ts = _timestamps(F, raw, column)
            given = F.length(F.trim(F.col(f"`{column}`").cast("string"))) > 0
            checks.append((column, "unreadable", F.coalesce(given & ts.isNull(), F.lit(False))))
    notes = [(source, n_rows, f"posts without a {c!r} column (left missing)") for c, key, _ in checks
             if key == "missing"]
    if len(notes) == len(checks):
        return notes
    notes = []
    rows = raw.select(*(pred.alias(f"c{i}") for i, (_, _, pred) in enumerate(checks)),
                      *((F.col(f"`{c}`").cast("string") if key != "missing" else F.lit(None).cast("string"))
                        .alias(f"v{i}") for i, (c, key, _) in enumerate(checks)),
                      F.monotonically_increasing_id().alias("row")).persist()
    stats = rows.agg(*(F.sum(F.col(f"c{i}").cast("long")).alias(f"n{i}") for i in range(len(checks))),
                     *(F.min(F.when(F.col(f"c{i}"), F.struct("row", F.col(f"v{i}").alias("v")))).alias(f"f{i}")
                       for i in range(len(checks)))).first()
    firsts = {i: stats[f"f{i}"] for i in range(len(checks)) if stats[f"n{i}"]}
    places = {}
    if firsts:  # the first offending row's place: the rows before it
        at = rows.agg(*(F.sum((F.col("row") < F.lit(int(f["row"]))).cast("long")).alias(f"p{i}")
                        for i, f in firsts.items())).first()
        places = {i: int(at[f"p{i}"] or 0) for i in firsts}
    rows.unpersist()
    for i, (column, key, _) in enumerate(checks):
        if key == "missing":
            notes.append((source, n_rows, f"posts without a {column!r} column (left missing)"))
            continue
        if i not in firsts:
            continue
        if key == "unreadable":
            notes.append((source, int(stats[f"n{i}"]), f"unreadable {column!r} values set missing"))
            continue
        done = "rounded" if key == "fraction" else "set missing"
        value = str(firsts[i]["v"])[:40]
        notes.append((source, int(stats[f"n{i}"]), f"{COUNT_PROBLEMS[key]} {column!r} values {done} "
                                                    f"(first at {where(places[i])}: {value!r})"))
    return notes


def _owner_columns(F, Window, posts, owners: pd.DataFrame, omap, po: np.ndarray, final: np.ndarray,
                   pg_ids: np.ndarray, has_tags: bool) -> pd.DataFrame:
    """The per-owner columns of :func:`graphinflu.loaders.posts.owner_engagement`, indexed by the
    owners' account ids: counts and sums from ``owners`` (one row per owner as the posts spell
    it) added up per resolved owner, hashtags counted and ranked in Spark."""
    by = pd.Series(po, dtype=object)
    sums = pd.DataFrame({c: owners[c].to_numpy(np.float64) for c in ("n", "lk", "nlk", "cm", "ncm")})
    sums = sums.groupby(by.to_numpy(dtype=object), sort=False).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame({
            "sampled_posts": pd.array(sums["n"].to_numpy(np.int64), dtype="Int64"),
            "mean_likes": np.where(sums["nlk"] > 0, sums["lk"] / sums["nlk"].where(sums["nlk"] > 0, 1), np.nan),
            "mean_comments": np.where(sums["ncm"] > 0, sums["cm"] / sums["ncm"].where(sums["ncm"] > 0, 1), np.nan),
        }, index=pd.Index(sums.index, dtype=object))
    hashtags = pd.Series("", index=out.index, dtype=object)
    if has_tags:
        tagged = (posts.select("owner", "row", F.explode("tags").alias("tag")).where(F.col("tag") != "")
                  .distinct().join(F.broadcast(omap.select("owner", "po")) if len(po) < 2_000_000
                                   else omap.select("owner", "po"), "owner")
                  .groupBy("po", "tag").agg(F.count(F.lit(1)).alias("n")))
        rank = F.row_number().over(Window.partitionBy("po").orderBy(F.desc("n"), F.asc("tag")))
        top = (tagged.withColumn("r", rank).where(F.col("r") <= TOP_HASHTAGS).groupBy("po")
               .agg(F.array_join(F.transform(F.array_sort(F.collect_list(F.struct("r", "tag"))),
                                             lambda x: x["tag"]), " ").alias("hashtags")).toPandas())
        hashtags.loc[pd.Index(top["po"].to_numpy(dtype=object), dtype=object)] = top["hashtags"].to_numpy(dtype=object)
    out["hashtags"] = hashtags
    # relabel: each owner's row under the account it resolves to (owners never share one)
    final_of = pd.Series(final, index=pd.Index(pg_ids, dtype=object))
    out.index = pd.Index(final_of.reindex(out.index).to_numpy(dtype=object), name="id", dtype=object)
    return out


def combine(inter: SparkInteractions | None, posted: SparkPosts | None) -> SparkInteractions | None:
    """The interaction edges of ``--interactions`` and of the posts as one
    :class:`~graphinflu.spark.interactions.SparkInteractions` (the local graph holds both; every
    consumer sums weights per pair or per kind, so rows of both naming one edge need no merging),
    with both's unresolved accounts (:attr:`graphinflu.spark.load.SparkInputs.unresolved` has
    them also when the posts make no edge)."""
    if posted is None or posted.edges is None:
        return inter
    if inter is None:
        return SparkInteractions(posted.edges, posted.name, posted.unresolved, posted.kinds)
    return SparkInteractions(inter.edges.unionByName(posted.edges), inter.name,
                             np.concatenate([inter.unresolved, posted.unresolved]),
                             tuple(k for k in KINDS if k in set(inter.kinds) | set(posted.kinds)))


def post_columns(posted: SparkPosts, index: pd.Index) -> pd.DataFrame:
    """``sampled_posts`` and ``hashtags`` for the account table (``index``: every account id, in
    code order), missing for accounts that posted nothing, as the local table has them (its
    ``mean_likes``/``mean_comments`` come from the engagement columns)."""
    cols = posted.columns.reindex(index)
    cols["sampled_posts"] = cols["sampled_posts"].astype("Int64")
    return cols
