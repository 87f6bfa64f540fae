"""The heavy steps of the analysis as Spark jobs over a :class:`~graphinflu.spark.reader.SparkGraph`.

PageRank
    A checkpointed power iteration over DataFrames (not GraphFrames: no JAR to fetch, and the
    iteration is the local engine's, step for step): ``x ← d·(Pᵀx + (Σ_dangling x)/N) +
    (1−d)/N`` from ``x = 1/N``, stopping when ``Σ|x_k − x_{k−1}| < N·tol``, then ``x / Σx``:
    the damping, the uniform handling of dangling accounts, the normalisation and the tolerance
    of :func:`graphinflu.metrics.authority.pagerank`. Each iterate is checkpointed
    (``localCheckpoint``), so the plan never grows with the iteration count.
Audience overlap
    Exact, by a self-join of the chosen creators' follower lists on the follower.
    Per-follower frequencies (how many chosen creators each follows) give exclusive reach, union
    reach and the frequency histogram.
Audience affinity
    The sums of :func:`graphinflu.metrics.affinity.audience_affinity` (each account's weighted
    followers in the target audience, their squares, its audience) as joins and aggregations;
    the base rate, the dispersion and the smoothing (``smoothed_share``) are computed on the
    driver as the local engine computes them.
Lookalikes
    Spark MLlib's ``MinHashLSH`` over the creators' follower sets (see :func:`minhash_lookalikes`
    for its error).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ConvergenceError, InputError
from ..graph import Graph
from ..metrics.authority import _check_damping, _check_iter
from .reader import SparkGraph
from .session import spark_errors


def _F():
    from pyspark.sql import functions as F

    return F


# ------------------------------------------------------------------------------------ degrees
def degrees(sg: SparkGraph):
    """``code``, ``indegree``, ``outdegree`` of every account (a Spark DataFrame)."""
    F = _F()
    indeg = sg.edges.groupBy(F.col("dst").alias("code")).agg(F.count(F.lit(1)).alias("indegree"))
    outdeg = sg.edges.groupBy(F.col("src").alias("code")).agg(F.count(F.lit(1)).alias("outdegree"))
    return (sg.ids.select("code").join(indeg, "code", "left").join(outdeg, "code", "left")
            .fillna(0, ["indegree", "outdegree"]))


def indegree_array(sg: SparkGraph) -> np.ndarray:
    """Follow in-degree of every account in code order, collected (O(accounts))."""
    F = _F()
    with spark_errors(sg.name):
        tab = sg.edges.groupBy("dst").agg(F.count(F.lit(1)).alias("k")).toArrow()
    out = np.zeros(sg.n_accounts, np.int64)
    out[tab.column("dst").to_numpy()] = tab.column("k").to_numpy()
    return out


def _collect_vector(df, key: str, value: str, n: int) -> np.ndarray:
    tab = df.select(key, value).toArrow()
    out = np.zeros(n, np.float64)
    out[tab.column(key).to_numpy()] = tab.column(value).to_numpy(zero_copy_only=False)
    return out


# ------------------------------------------------------------------------------------ PageRank
#: Up to this many accounts the rank vector is broadcast to every task (16 bytes per account)
#: instead of joined by a shuffle.
BROADCAST_ACCOUNTS = 4_000_000

def pagerank(sg: SparkGraph, *, damping: float = 0.85, tol: float = 1e-10, max_iter: int = 1000,
             seeds=None, as_frame: bool = False, weight: str | None = None):
    """PageRank of every account, the local engine's iteration run over DataFrames.

    With ``seeds`` (account codes) it is personalized PageRank
    (:func:`graphinflu.metrics.authority.personalized_pagerank`): teleports and dangling accounts'
    rank go to the seeds, equally.

    With ``weight`` (a column of ``sg.edges``), an account's rank is split in proportion to the
    weights of its edges (``weighted=True`` of the local engine); edges of weight 0 carry nothing
    and an account whose edges all weigh 0 is dangling, as in the local transition matrix.

    Returns a float array in code order (or, with ``as_frame``, the Spark DataFrame ``code``,
    ``pagerank`` for graphs whose rank vector should stay in the cluster).

    Raises
    ------
    InputError
        Bad ``damping``, ``tol`` or ``max_iter`` (the local engine's checks).
    ConvergenceError
        ``max_iter`` iterations were not enough.
    """
    F = _F()
    d = _check_damping(damping)
    _check_iter(tol, max_iter)
    n = sg.n_accounts
    with spark_errors(sg.name):
        if weight is None:
            outdeg = sg.edges.groupBy("src").agg((1.0 / F.count(F.lit(1))).alias("w"))
            edges = sg.edges.join(outdeg, "src").persist()
        else:
            positive = sg.edges.where(F.col(weight) > 0)
            outdeg = positive.groupBy("src").agg(F.sum(weight).alias("total"))
            edges = positive.join(outdeg, "src").select("src", "dst", (F.col(weight) / F.col("total")).alias("w"))
            edges = edges.persist()
        nodes = (sg.ids.select("code").join(outdeg.select(F.col("src").alias("code"), F.lit(False).alias("out")),
                                            "code", "left")
                 .select("code", F.col("out").isNull().alias("dangling")))
        if seeds is None:
            nodes = nodes.withColumn("p", F.lit(1.0 / n))
        else:
            seeds = [int(s) for s in np.unique(np.asarray(seeds, dtype=np.int64))]
            nodes = nodes.withColumn("p", F.when(F.col("code").isin(seeds), F.lit(1.0 / len(seeds))).otherwise(0.0))
        x = nodes.select("code", "dangling", "p", F.lit(1.0 / n).alias("x")).localCheckpoint()
        dangling_mass = x.where("dangling").agg(F.sum("x")).first()[0] or 0.0
        small = n <= BROADCAST_ACCOUNTS
        for _ in range(int(max_iter)):
            ranks = x.select(F.col("code").alias("src"), "x")
            spread = (edges.join(F.broadcast(ranks) if small else ranks, "src")
                      .select(F.col("dst").alias("code"), (F.col("x") * F.col("w")).alias("c"),
                              F.lit(None).cast("boolean").alias("dangling"), F.lit(None).cast("double").alias("p"),
                              F.lit(None).cast("double").alias("x")))
            own = x.select("code", F.lit(0.0).alias("c"), "dangling", "p", "x")
            # one shuffle per iteration: the contributions and the previous iterate meet in one groupBy
            new = (spread.unionByName(own).groupBy("code")
                   .agg(F.sum("c").alias("c"), F.max("dangling").alias("dangling"), F.max("p").alias("p"),
                        F.max("x").alias("last"))
                   .select("code", "dangling", "p", "last",
                           (F.lit(d) * (F.col("c") + F.lit(dangling_mass) * F.col("p"))
                            + F.lit(1.0 - d) * F.col("p")).alias("x")))
            new = new.localCheckpoint()  # the iterate appears twice in the next plan: cut it every time
            stats = new.agg(F.sum(F.abs(F.col("x") - F.col("last"))).alias("diff"),
                            F.sum(F.when(F.col("dangling"), F.col("x")).otherwise(0.0)).alias("dm"),
                            F.sum("x").alias("total")).first()
            x = new.select("code", "dangling", "p", "x")
            dangling_mass = stats["dm"] or 0.0
            if stats["diff"] < n * tol:
                result = x.select("code", (F.col("x") / F.lit(stats["total"])).alias("pagerank"))
                if as_frame:
                    return result
                vec = _collect_vector(result, "code", "pagerank", n)
                edges.unpersist()
                return vec
    edges.unpersist()
    raise ConvergenceError(f"PageRank did not converge to tol={tol:g} within max_iter={max_iter} iterations")


# ------------------------------------------------------------------------------------ HITS
def hits(sg: SparkGraph, *, tol: float = 1e-12, max_iter: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """Hub and authority scores of every account (code order), each summing to 1: the top
    singular vectors of the follow matrix A by power iteration over DataFrames, from the uniform
    vector (``a ← Aᵀ(A a)``, normalised to sum 1, until ``Σ|a_k − a_{k−1}| < tol``), then
    ``h = A a``. The local engine (:func:`graphinflu.metrics.authority.hits`) computes the same
    vectors with ARPACK (or a dense SVD below 200 accounts); started uniform, the iteration ends
    where the dense path does when the top singular value is repeated. It converges at the rate
    (σ₂/σ₁)², so a graph whose top two singular values nearly tie needs many iterations
    (:class:`~graphinflu.errors.ConvergenceError` after ``max_iter``).
    """
    F = _F()
    _check_iter(tol, max_iter)
    n = sg.n_accounts
    if sg.n_edges == 0:
        return np.zeros(n), np.zeros(n)
    small = n <= BROADCAST_ACCOUNTS
    with spark_errors(sg.name):
        edges = sg.edges.persist()
        # each iterate holds the new unnormalised x, the last normalised a and the one before it:
        # one checkpoint and one aggregate (Σx, and the change of the step before) per iteration
        state = sg.ids.select("code", F.lit(1.0 / n).alias("x"), F.lit(0.0).alias("last"),
                              F.lit(0.0).alias("before")).localCheckpoint()
        total, a = 1.0, None
        for _ in range(int(max_iter) + 1):
            a = state.select("code", (F.col("x") / F.lit(total)).alias("a"), F.col("last").alias("before"))
            av = a.select(F.col("code").alias("dst"), F.col("a").alias("v"))
            h = edges.join(F.broadcast(av) if small else av, "dst").groupBy("src").agg(F.sum("v").alias("v"))
            raw = edges.join(F.broadcast(h) if small else h, "src").groupBy(F.col("dst").alias("code")).agg(
                F.sum("v").alias("x"))
            state = (a.join(raw, "code", "left").select("code", F.coalesce("x", F.lit(0.0)).alias("x"),
                                                         F.col("a").alias("last"), "before").localCheckpoint())
            stats = state.agg(F.sum("x").alias("t"), F.sum(F.abs(F.col("last") - F.col("before"))).alias("d")).first()
            total = stats["t"] or 1.0
            if stats["d"] < tol:  # the step that made ``last`` changed it by less than tol: ``last`` is the answer
                auth = _collect_vector(state, "code", "last", n)
                av = state.select(F.col("code").alias("dst"), F.col("last").alias("v"))
                hub = _collect_vector(edges.join(av, "dst").groupBy(F.col("src").alias("code")).agg(
                    F.sum("v").alias("v")), "code", "v", n)
                edges.unpersist()
                return hub / hub.sum(), auth / auth.sum()
    edges.unpersist()
    raise ConvergenceError(f"HITS did not converge to tol={tol:g} within max_iter={max_iter} iterations")


# ------------------------------------------------------------------------------------ overlap
def _followers_of(sg: SparkGraph, creators: np.ndarray):
    """``follower``, ``idx`` (position of the creator in ``creators``) for every follow into them."""
    F = _F()
    sel = sg.spark.createDataFrame([(int(c), i) for i, c in enumerate(creators)], "dst long, idx int")
    return sg.edges.join(F.broadcast(sel), "dst").select(F.col("src").alias("follower"), "idx")


def _check_creators(creators) -> np.ndarray:
    creators = np.asarray(creators, dtype=np.int64)
    if len(np.unique(creators)) != len(creators):
        raise InputError("a creator is listed twice", hint="give each creator once")
    return creators


def audience_counts(sg: SparkGraph, creators) -> dict:
    """Exact audience figures of ``creators`` (account codes, in order), all from Spark:

    ``sizes`` (followers of each), ``pairs`` (``a``, ``b`` positions with ``a < b`` and
    ``shared`` ≥ 1: the self-join on the follower), ``exclusive`` (followers of each who follow no
    other creator), ``histogram`` (followers following exactly f creators, f = 1..k).
    """
    F = _F()
    creators = _check_creators(creators)
    k = len(creators)
    with spark_errors(sg.name):
        f = _followers_of(sg, creators).persist()
        sizes = np.zeros(k, np.int64)
        for r in f.groupBy("idx").agg(F.count(F.lit(1)).alias("n")).collect():
            sizes[r["idx"]] = r["n"]
        a, b = f.alias("a"), f.alias("b")
        pairs = (a.join(b, (F.col("a.follower") == F.col("b.follower")) & (F.col("a.idx") < F.col("b.idx")))
                 .groupBy(F.col("a.idx").alias("a"), F.col("b.idx").alias("b"))
                 .agg(F.count(F.lit(1)).alias("shared"))).toArrow()
        freq = f.groupBy("follower").agg(F.count(F.lit(1)).alias("freq")).persist()
        hist = np.zeros(k + 1, np.int64)
        for r in freq.groupBy("freq").agg(F.count(F.lit(1)).alias("n")).collect():
            hist[r["freq"]] = r["n"]
        exclusive = np.zeros(k, np.int64)
        only = freq.where(F.col("freq") == 1).select("follower")
        for r in f.join(only, "follower").groupBy("idx").agg(F.count(F.lit(1)).alias("n")).collect():
            exclusive[r["idx"]] = r["n"]
        freq.unpersist()
        f.unpersist()
    return {"sizes": sizes, "a": pairs.column("a").to_numpy().astype(np.int64),
            "b": pairs.column("b").to_numpy().astype(np.int64),
            "shared": pairs.column("shared").to_numpy().astype(np.int64),
            "exclusive": exclusive, "histogram": hist[1:]}


def incidence(sg: SparkGraph, creators) -> pd.DataFrame:
    """Every follow into ``creators`` as ids (``source`` follower, ``target`` creator), collected
    to the driver: ``Σ audience`` rows (about 16 bytes each in the arrays built from it)."""
    creators = _check_creators(creators)
    F = _F()
    with spark_errors(sg.name):
        tab = (_followers_of(sg, creators).join(sg.ids.select(F.col("code").alias("follower"), "id"), "follower")
               .select("id", "idx").toArrow())
    ids = sg.id_array()
    return pd.DataFrame({"source": np.asarray(tab.column("id").to_pylist(), dtype=object),
                         "target": ids[creators][tab.column("idx").to_numpy()]})


def audience_graph(sg: SparkGraph, creators: list[str], columns=()) -> Graph:
    """The follows into ``creators`` (ids), selected in Spark and collected: a :class:`Graph` whose
    accounts are the creators (with their handles and the profile ``columns``) then their
    followers, enough for any question about their audiences (Σ audience × 16 bytes on the driver)."""
    codes = sg.codes(creators)
    inc = incidence(sg, codes)
    index = pd.Index(creators, name="id", dtype=object)
    rows = pd.DataFrame({"handle": sg.handle_array()[codes]}, index=index)
    for c in columns:
        rows[c] = sg.profiles[c].reindex(index).to_numpy()
    return Graph.from_pandas(inc, accounts=rows)


# ------------------------------------------------------------------------------------ affinity
def affinity_counts(sg: SparkGraph, seeds) -> dict:
    """The sums audience affinity rests on, from Spark, in code order: with ``member`` = the share
    of the ``S`` distinct ``seeds`` a follower follows beyond chance, max(0, j − d·σ) / S (j seeds
    followed, d accounts followed, σ the seeds' share of all follows: the membership of
    :func:`graphinflu.metrics.affinity.audience_affinity`, ``membership="excess"``, computed with
    the same floating-point operations), ``shared`` = Σ member and ``shared_sq`` = Σ member² over
    each account's followers, and ``audience`` (its followers); ``target`` = the accounts with
    member > 0. (:func:`graphinflu.spark.brand.target_counts` without an audience sample.)"""
    from .brand import target_counts  # spark.brand builds on this module

    return target_counts(sg, seeds, ())


# ------------------------------------------------------------------------------------ lookalikes
def shared_followers(sg: SparkGraph, code: int) -> tuple[np.ndarray, int]:
    """Exact lookalike counts of one account (code ``code``), by one join: ``shared[c]`` = how many
    of its followers follow ``c`` (the follows of its followers, grouped by the account followed),
    in code order; and its own audience size. Costs the follows of its followers, never all pairs."""
    F = _F()
    with spark_errors(sg.name):
        fol = sg.edges.where(F.col("dst") == F.lit(int(code))).select(F.col("src"))
        tab = (sg.edges.join(fol, "src").groupBy("dst").agg(F.count(F.lit(1)).alias("k")).toArrow())
        a = int(fol.count())
    shared = np.zeros(sg.n_accounts, np.int64)
    shared[tab.column("dst").to_numpy()] = tab.column("k").to_numpy()
    return shared, a


def minhash_lookalikes(sg: SparkGraph, creators, *, min_jaccard: float = 0.1, hash_tables: int = 20,
                       seed: int = 0) -> pd.DataFrame:
    """Approximate all-pairs lookalikes among ``creators`` with Spark MLlib's ``MinHashLSH``.

    Each creator's followers are a sparse binary vector; ``approxSimilarityJoin`` proposes as
    candidates the pairs whose min-hashes agree in at least one of ``hash_tables`` hash tables and
    keeps those with Jaccard distance ≤ ``1 − min_jaccard``, the distance being computed exactly
    on the two follower sets. So the error is one-sided: every Jaccard reported is exact, and a
    pair with Jaccard ``J`` is missed with probability ``(1 − J)^hash_tables`` (for ``J ≥ 0.1``
    and 20 tables at most 12.2 %; for ``J ≥ 0.2``, 1.2 %; for ``J ≥ 0.3``, 0.08 %).

    Returns
    -------
    DataFrame
        ``creator_a``, ``creator_b`` (ids, ``a`` before ``b`` in ``creators``), ``jaccard``; sorted
        by ``jaccard`` descending, then ``a``, ``b``. ``attrs["miss_probability"]`` is the bound
        at ``min_jaccard``.
    """
    from pyspark.ml.feature import MinHashLSH
    from pyspark.ml.linalg import SparseVector, VectorUDT

    F = _F()
    creators = _check_creators(creators)
    if not 0 < min_jaccard <= 1:
        raise InputError(f"min_jaccard must be in (0, 1], got {min_jaccard!r}")
    with spark_errors(sg.name):
        f = _followers_of(sg, creators)
        # follower sets as sorted index arrays (one row per creator), made MLlib sparse vectors by a Python UDF
        sets = f.groupBy("idx").agg(F.array_sort(F.collect_list(F.col("follower").cast("int"))).alias("ix"))
        size = int(sg.n_accounts)
        to_vector = F.udf(lambda ix: SparseVector(size, ix, [1.0] * len(ix)), VectorUDT())
        vec = sets.select("idx", to_vector("ix").alias("features"))
        model = MinHashLSH(inputCol="features", outputCol="hashes", numHashTables=int(hash_tables),
                           seed=int(seed)).fit(vec)
        joined = model.approxSimilarityJoin(vec, vec, 1.0 - float(min_jaccard), distCol="dist")
        tab = (joined.where(F.col("datasetA.idx") < F.col("datasetB.idx"))
               .select(F.col("datasetA.idx").alias("a"), F.col("datasetB.idx").alias("b"),
                       (F.lit(1.0) - F.col("dist")).alias("jaccard")).toArrow())
    ids = sg.id_array()[creators]
    a, b = tab.column("a").to_numpy(), tab.column("b").to_numpy()
    jac = tab.column("jaccard").to_numpy()
    order = np.lexsort((b, a, -jac))
    out = pd.DataFrame({"creator_a": ids[a[order]], "creator_b": ids[b[order]], "jaccard": jac[order]})
    out.attrs["miss_probability"] = float((1.0 - min_jaccard) ** hash_tables)
    return out


# ------------------------------------------------------------------------------------ maps
def edges_among(sg: SparkGraph, codes) -> dict:
    """The follow edges whose two ends are both in ``codes`` (account codes), collected: ``src``
    and ``dst`` code arrays (what a map draws between its creators; at most len(codes)² rows)."""
    F = _F()
    codes = np.unique(np.asarray(codes, dtype=np.int64))
    if len(codes) == 0:
        return {"src": np.zeros(0, np.int64), "dst": np.zeros(0, np.int64)}
    chosen = sg.spark.createDataFrame([(int(c),) for c in codes], "code long")
    with spark_errors(sg.name):
        tab = (sg.edges.join(F.broadcast(chosen.select(F.col("code").alias("src"))), "src")
               .join(F.broadcast(chosen.select(F.col("code").alias("dst"))), "dst")
               .select("src", "dst").toArrow())
    return {"src": tab.column("src").to_numpy().astype(np.int64), "dst": tab.column("dst").to_numpy().astype(np.int64)}
