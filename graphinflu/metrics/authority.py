"""Authority metrics: who the follower graph (or the interaction graph) points at.

Every function takes a :class:`~graphinflu.graph.Graph` and returns a DataFrame indexed by
account id (index name ``id``) with one row per account in the graph and no NaN.

Edge direction
--------------
A follow edge points follower → followed, and an interaction edge points actor → receiver
(``a mentions b``, ``a reposts b``, ``a likes b's post``). Every metric here therefore gives
credit to the *target* of an edge: authority flows to the followed, the mentioned, the reposted.

Engines
-------
The fast path is a vectorised power iteration on the cached ``scipy.sparse`` adjacency
(:meth:`Graph.adjacency`). ``engine="networkx"`` runs NetworkX's own implementation on
:meth:`Graph.to_networkx` and is the readable reference the tests compare against;
``engine="igraph"`` runs igraph (PRPACK for PageRank) on :meth:`Graph.to_igraph`.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Callable, Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as sla

from ..errors import ConvergenceError, InputError
from ..graph import INTERACTION_KINDS, KINDS, Graph, _as_kinds
from .tiers import follower_counts

__all__ = [
    "ConvergenceError",
    "ENGINES",
    "DEFAULT_INTERACTION_KINDS",
    "pagerank",
    "personalized_pagerank",
    "hits",
    "indegree",
    "interaction_pagerank",
    "cha_signals",
    "cha_agreement",
    "authority_scores",
    "RANKERS",
]

#: Engines accepted by :func:`pagerank`, :func:`personalized_pagerank` and :func:`hits`.
ENGINES: tuple[str, ...] = ("scipy", "igraph", "networkx")

#: Interaction kinds :func:`interaction_pagerank` uses by default: every interaction kind except
#: ``sponsors`` (a paid-partnership tag is bought attention, not earned attention).
DEFAULT_INTERACTION_KINDS: tuple[str, ...] = tuple(k for k in INTERACTION_KINDS if k != "sponsors")

#: Kinds that make up Cha et al.'s "conversation" signal (mentions, incl. replies, received).
CONVERSATION_KINDS: tuple[str, ...] = ("mentions", "replies")



# --------------------------------------------------------------------------------- helpers
def _frame(graph: Graph, **columns) -> pd.DataFrame:
    out = pd.DataFrame(columns, index=graph.ids.copy())
    out.index.name = "id"
    return out


def _kinds_present(graph: Graph) -> list[str]:
    """Like ``Graph.kinds_present`` but from the category codes (no string conversion of every edge)."""
    codes = graph.edges["kind"].cat.codes.to_numpy()
    counts = np.bincount(codes[codes >= 0], minlength=len(KINDS))
    return [k for k, c in zip(KINDS, counts) if c]


def _check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", hint=f"use one of: {', '.join(ENGINES)}")
    return engine


def _check_damping(damping: float) -> float:
    d = float(damping)
    if not 0.0 <= d < 1.0:
        raise InputError(
            f"damping must be in [0, 1), got {damping!r}",
            hint="0.85 is the usual value; 1.0 has no unique answer on graphs with sinks",
        )
    return d


def _check_iter(tol: float, max_iter: int) -> None:
    if not (tol > 0):
        raise InputError(f"tol must be > 0, got {tol!r}")
    if int(max_iter) < 1:
        raise InputError(f"max_iter must be >= 1, got {max_iter!r}")


def _vector(graph: Graph, weights, what: str) -> np.ndarray:
    """A non-negative length-n vector, summing to 1, from seeds or an ``{account: weight}`` map.

    Accounts may be ids or handles; unknown ones raise UnknownAccountError listing them all.
    """
    n = graph.n_accounts
    if isinstance(weights, (str, bytes)):
        weights = [weights]
    if isinstance(weights, pd.Series):
        keys, vals = list(weights.index), weights.to_numpy()
    elif isinstance(weights, Mapping):
        keys, vals = list(weights.keys()), list(weights.values())
    else:
        keys = list(weights)
        vals = None
    if not keys:
        raise InputError(f"{what} is empty", hint=f"give at least one account id or handle as {what}")
    pos = graph.positions(keys)  # raises UnknownAccountError naming every unknown account
    if vals is None:
        vec = np.zeros(n)
        vec[pos] = 1.0
    else:
        try:
            vals = np.asarray(vals, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise InputError(f"{what} weights must be numbers", hint="map each account to a weight >= 0") from err
        if not np.isfinite(vals).all() or (vals < 0).any():
            raise InputError(f"{what} weights must be finite and >= 0", hint="map each account to a weight >= 0")
        vec = np.bincount(pos, weights=vals, minlength=n).astype(np.float64)
    total = vec.sum()
    if total <= 0:
        raise InputError(f"{what} weights sum to 0", hint="give at least one account a positive weight")
    return vec / total


def _transition(graph: Graph, kinds, weighted: bool):
    """``(P, dangling)``: ``P = (D⁻¹A)ᵀ`` as CSR (so ``P @ x`` spreads rank along edges) and
    the boolean mask of accounts with no out-edge of the given kinds."""
    A = graph.adjacency(kinds, weighted=weighted)
    out = np.asarray(A.sum(axis=1)).ravel()
    dangling = out == 0
    inv = np.zeros_like(out)
    inv[~dangling] = 1.0 / out[~dangling]
    P = (sp.diags(inv) @ A).T.tocsr()
    return P, dangling


def _power_pagerank(P, dangling, p, damping, tol, max_iter):
    """NetworkX's iteration, vectorised: stop when ``‖x_k − x_{k−1}‖₁ < N·tol``."""
    n = P.shape[0]
    x = np.full(n, 1.0 / n)
    for _ in range(int(max_iter)):
        xlast = x
        x = damping * (P @ x + x[dangling].sum() * p) + (1.0 - damping) * p
        if np.abs(x - xlast).sum() < n * tol:
            return x / x.sum()
    raise ConvergenceError(
        f"PageRank did not converge to tol={tol:g} within max_iter={max_iter} iterations",
    )


def _pagerank_vector(graph, *, damping, kinds, weighted, tol, max_iter, p_vec, engine) -> np.ndarray:
    _check_engine(engine)
    damping = _check_damping(damping)
    _check_iter(tol, max_iter)
    n = graph.n_accounts
    if n == 0:
        return np.zeros(0)
    kinds = _as_kinds(kinds)
    p = np.full(n, 1.0 / n) if p_vec is None else p_vec
    if engine == "scipy":
        P, dangling = _transition(graph, kinds, weighted)
        return _power_pagerank(P, dangling, p, damping, tol, max_iter)
    if engine == "igraph":
        g = graph.to_igraph(kinds, weighted=weighted)
        kw = {"weights": "weight"} if weighted and g.ecount() else {}
        if p_vec is None:
            x = g.pagerank(damping=damping, directed=True, implementation="prpack", **kw)
        else:
            x = g.personalized_pagerank(reset=p.tolist(), damping=damping, directed=True,
                                        implementation="prpack", **kw)
        x = np.asarray(x, dtype=np.float64)
        return x / x.sum()
    G = graph.to_networkx(kinds)
    pers = None if p_vec is None else dict(zip(graph.ids, p))
    try:
        res = nx.pagerank(G, alpha=damping, personalization=pers, max_iter=int(max_iter), tol=tol,
                          weight="weight" if weighted else None)
    except nx.PowerIterationFailedConvergence as err:
        raise ConvergenceError(f"NetworkX PageRank did not converge within max_iter={max_iter}") from err
    return np.array([res[i] for i in graph.ids], dtype=np.float64)


# --------------------------------------------------------------------------------- PageRank
def pagerank(
    graph: Graph,
    *,
    damping: float = 0.85,
    kinds: str | Iterable[str] = "follows",
    weighted: bool = False,
    tol: float = 1e-10,
    max_iter: int = 1000,
    personalization: Mapping | pd.Series | Iterable | None = None,
    engine: str = "scipy",
) -> pd.DataFrame:
    r"""PageRank over the follow graph: authority flows from followers to the followed.

    .. math::

        PR(v) = (1-d)\,p_v + d \sum_{u \to v} PR(u)\,\frac{w_{uv}}{W_u}
                + d\,p_v \sum_{u\ \text{dangling}} PR(u)

    where ``d`` is ``damping``, ``W_u = Σ_x w_ux`` is ``u``'s out-weight (its out-degree when
    ``weighted`` is false), a *dangling* account has no out-edge of the chosen kinds, and ``p`` is
    the personalization vector (uniform ``p_v = 1/N`` by default, so the first term is
    ``(1-d)/N``). Dangling accounts hand their rank to ``p`` exactly as ``networkx.pagerank``
    does (uniformly by default). The scores sum to 1.

    The iteration starts from ``1/N`` everywhere and stops when ``Σ_v |x_k(v) − x_{k−1}(v)| <
    N · tol`` (NetworkX's criterion, with a much tighter default ``tol``).

    Parameters
    ----------
    graph : Graph
    damping : float, default 0.85
        Probability of following an edge rather than jumping; in ``[0, 1)``.
    kinds : str or sequence of str, default ``"follows"``
        Edge kinds walked; several kinds are merged into one edge per ordered pair.
    weighted : bool, default False
        Split each account's rank in proportion to edge ``weight`` (interaction counts) instead
        of equally among its out-edges.
    tol, max_iter
        Convergence tolerance per account and iteration cap.
    personalization : mapping, Series or iterable, optional
        ``{account: weight}`` (ids or handles, weights ≥ 0, normalised to sum 1) or a plain
        collection of accounts (equal weights). Accounts not named get 0.
    engine : {"scipy", "igraph", "networkx"}
        ``scipy`` (vectorised power iteration, default), ``igraph`` (PRPACK, solves the same
        linear system directly) or ``networkx`` (reference implementation, slow).

    Returns
    -------
    DataFrame
        Indexed by account id; column ``pagerank`` (float, sums to 1).

    Raises
    ------
    InputError
        Bad ``damping``/``tol``/``max_iter``/``engine``/``kinds``, or personalization weights
        that are negative or all zero.
    UnknownAccountError
        A personalization account is not in the graph.
    ConvergenceError
        ``max_iter`` iterations were not enough.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    >>> pagerank(g).round(4)  # b is dangling: 20/57 and 37/57  # doctest: +NORMALIZE_WHITESPACE
        pagerank
    id
    a     0.3509
    b     0.6491

    References
    ----------
    .. [1] L. Page, S. Brin, R. Motwani, T. Winograd. *The PageRank citation ranking: bringing
       order to the Web.* Stanford InfoLab, 1999.
    .. [2] A. Langville, C. Meyer. *Deeper inside PageRank.* Internet Mathematics 1(3), 2004
       (dangling nodes and personalization).
    .. [3] ``networkx.pagerank`` (the reference implementation the tests compare against).
    """
    p_vec = None if personalization is None else _vector(graph, personalization, "personalization")
    x = _pagerank_vector(graph, damping=damping, kinds=kinds, weighted=weighted, tol=tol,
                         max_iter=max_iter, p_vec=p_vec, engine=engine)
    return _frame(graph, pagerank=x)


def personalized_pagerank(
    graph: Graph,
    seeds: Mapping | pd.Series | Iterable | str,
    *,
    damping: float = 0.85,
    kinds: str | Iterable[str] = "follows",
    weighted: bool = False,
    tol: float = 1e-10,
    max_iter: int = 1000,
    engine: str = "scipy",
) -> pd.DataFrame:
    r"""Personalized PageRank from a set of seed accounts (an "audience match" score).

    ``ppr(v)`` is the stationary probability that a random walk which follows edges (follower →
    followed) with probability ``d`` and otherwise *restarts at a seed* (chosen with the seed
    weights) is at ``v``:

    .. math::

        ppr(v) = (1-d)\,s_v + d \sum_{u \to v} ppr(u)\,\frac{w_{uv}}{W_u}
                 + d\,s_v \sum_{u\ \text{dangling}} ppr(u)

    with ``s`` the normalised seed vector (dangling accounts also restart at the seeds, as in
    ``networkx.pagerank(personalization=...)``). Scores sum to 1.

    How to read it: with a brand's *target audience* as seeds, high scores go to the accounts
    that audience follows, directly or within a few hops — the creators that audience already
    listens to. With a brand's *own accounts* as seeds, high scores go to the accounts the brand
    (and those it follows) follow. Seeds themselves keep at least ``(1-d)·s_v``.

    Parameters
    ----------
    graph : Graph
    seeds : iterable of ids/handles, a single id/handle, or ``{account: weight}``
        Restart distribution. Every seed must be in the graph.
    damping, kinds, weighted, tol, max_iter, engine
        As in :func:`pagerank`.

    Returns
    -------
    DataFrame
        Indexed by account id; column ``ppr`` (float, sums to 1).

    Raises
    ------
    UnknownAccountError
        Seeds that are not in the graph (all of them are listed).
    InputError
        No seeds, or seed weights negative or all zero; bad options as in :func:`pagerank`.
    ConvergenceError
        ``max_iter`` iterations were not enough.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}))
    >>> personalized_pagerank(g, ["a"]).round(4)  # doctest: +NORMALIZE_WHITESPACE
           ppr
    id
    a   0.3887
    b   0.3304
    c   0.2809

    References
    ----------
    .. [1] G. Jeh, J. Widom. *Scaling personalized web search.* WWW 2003.
    .. [2] T. Haveliwala. *Topic-sensitive PageRank.* WWW 2002.
    """
    p_vec = _vector(graph, seeds, "seeds")
    x = _pagerank_vector(graph, damping=damping, kinds=kinds, weighted=weighted, tol=tol,
                         max_iter=max_iter, p_vec=p_vec, engine=engine)
    return _frame(graph, ppr=x)


def _present_interaction_kinds(graph: Graph, kinds) -> tuple[str, ...]:
    wanted = DEFAULT_INTERACTION_KINDS if kinds is None else _as_kinds(kinds)
    present = set(_kinds_present(graph))
    return tuple(k for k in wanted if k in present)


def interaction_pagerank(
    graph: Graph,
    *,
    kinds: str | Iterable[str] | None = None,
    damping: float = 0.85,
    weighted: bool = True,
    tol: float = 1e-10,
    max_iter: int = 1000,
    engine: str = "scipy",
) -> pd.DataFrame:
    r"""PageRank over the interaction graph (who mentions, replies to, reposts, likes whom).

    The same formula as :func:`pagerank`, on the edges ``actor → receiver`` of the chosen
    interaction kinds merged into one edge per ordered pair whose weight is the summed count,
    and, by default, weighted: an account's rank is split in proportion to how often it
    interacts with each receiver.

    Parameters
    ----------
    graph : Graph
    kinds : str or sequence of str, optional
        Interaction kinds to walk. Default: :data:`DEFAULT_INTERACTION_KINDS` (mentions, replies,
        reposts, likes, comments, tags — not ``sponsors``), those present in the graph.
    damping, tol, max_iter, engine
        As in :func:`pagerank`.
    weighted : bool, default True
        Use interaction counts as edge weights (False: every interacting pair counts once).

    Returns
    -------
    DataFrame
        Indexed by account id; column ``interaction_pagerank`` (float, sums to 1). Accounts with
        no interaction edge get the teleport share only.

    Raises
    ------
    InputError
        The graph has no interaction edges of the chosen kinds.

    Examples
    --------
    >>> df = pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"], "kind": ["mentions", "reposts"],
    ...                    "weight": [3, 1]})
    >>> g = Graph.from_pandas(df, kind="kind", weight="weight")
    >>> interaction_pagerank(g)["interaction_pagerank"].idxmax()
    'c'
    """
    use = _present_interaction_kinds(graph, kinds)
    if not use:
        asked = DEFAULT_INTERACTION_KINDS if kinds is None else _as_kinds(kinds)
        raise InputError(
            f"interaction PageRank needs interaction edges ({', '.join(asked)}); the graph has only "
            f"{', '.join(_kinds_present(graph)) or 'no edges'}",
            hint="load interactions with graphinflu.loaders.read_interactions and merge them into the graph "
            "(graph.merge), or rank by follow PageRank instead",
        )
    x = _pagerank_vector(graph, damping=damping, kinds=use, weighted=weighted, tol=tol,
                         max_iter=max_iter, p_vec=None, engine=engine)
    return _frame(graph, interaction_pagerank=x)


# --------------------------------------------------------------------------------- HITS
def hits(
    graph: Graph,
    *,
    kinds: str | Iterable[str] = "follows",
    weighted: bool = False,
    tol: float = 1e-10,
    max_iter: int = 1000,
    engine: str = "scipy",
) -> pd.DataFrame:
    r"""Kleinberg's hubs and authorities.

    With ``A[u, v]`` the weight of ``u → v`` (1 per edge unless ``weighted``):

    .. math::

        a = A^\top h, \qquad h = A\,a

    i.e. an authority is followed by good hubs and a hub follows good authorities; ``a`` and
    ``h`` are the principal right and left singular vectors of ``A``. As in ``nx.hits``, ``a``
    is computed with ARPACK's Lanczos solver (``scipy.sparse.linalg.svds``, ``k=1``, a fixed
    start vector so results repeat), then ``h = A a``; both are normalised to sum 1. Lanczos
    needs far fewer products with ``A`` than the power iteration (3 s instead of 10 s at 10M
    edges, for the same answer to 1e-12). Graphs of up to :data:`DENSE_HITS` accounts use a dense
    SVD; when their top singular value is repeated (a follow cycle, identical components) the
    direction is not unique and the one NetworkX's power iteration reaches is returned (the
    uniform vector projected on the top singular subspace: 1/3 each on a 3-cycle).

    Parameters
    ----------
    graph : Graph
    kinds, weighted
        Edges used, as in :func:`pagerank`.
    tol, max_iter
        Convergence tolerance of the singular vector (ARPACK's relative accuracy; 0 = machine
        precision) and the cap on Lanczos restarts.
    engine : {"scipy", "igraph", "networkx"}
        ``igraph`` computes hubs and authorities separately with ARPACK; where the top singular
        value is repeated its answer is arbitrary and may change from run to run.

    Returns
    -------
    DataFrame
        Indexed by account id; columns ``hub`` and ``authority`` (floats, each sums to 1).
        A graph with no edges of the chosen kinds has no hubs or authorities: both columns are
        all 0.

    Raises
    ------
    ConvergenceError
        ``max_iter`` iterations were not enough (near-equal top singular values).

    Examples
    --------
    >>> df = pd.DataFrame({"source": ["a", "a", "b"], "target": ["c", "d", "c"]})
    >>> hits(Graph.from_pandas(df)).round(3)  # golden ratio: 0.618 / 0.382  # doctest: +NORMALIZE_WHITESPACE
          hub  authority
    id
    a   0.618      0.000
    b   0.382      0.000
    c   0.000      0.618
    d   0.000      0.382

    References
    ----------
    .. [1] J. Kleinberg. *Authoritative sources in a hyperlinked environment.* JACM 46(5), 1999.
    .. [2] ``networkx.hits`` (the reference the tests compare against).
    """
    _check_engine(engine)
    _check_iter(tol, max_iter)
    n = graph.n_accounts
    kinds = _as_kinds(kinds)
    A = graph.adjacency(kinds, weighted=weighted)
    if n == 0 or A.nnz == 0:
        return _frame(graph, hub=np.zeros(n), authority=np.zeros(n))
    if engine == "scipy":
        a = _principal_right_singular_vector(A, tol=tol, max_iter=max_iter)
        h = A @ a
    elif engine == "igraph":
        g = graph.to_igraph(kinds, weighted=weighted)
        kw = {"weights": "weight"} if weighted else {}
        with warnings.catch_warnings():  # igraph warns whenever >30 % of scores are 0 (common here)
            warnings.filterwarnings("ignore", message="More than 30% of hub or authority", category=RuntimeWarning)
            h = np.asarray(g.hub_score(**kw), dtype=np.float64)
            a = np.asarray(g.authority_score(**kw), dtype=np.float64)
        h, a = np.abs(h), np.abs(a)  # ARPACK may return the eigenvector negated, and -0.0
    else:
        G = graph.to_networkx(kinds)
        if not weighted:
            nx.set_edge_attributes(G, 1.0, "weight")
        try:
            hd, ad = nx.hits(G, max_iter=int(max_iter), tol=tol)
        except nx.PowerIterationFailedConvergence as err:
            raise ConvergenceError(f"NetworkX HITS did not converge within max_iter={max_iter}") from err
        h = np.array([hd[i] for i in graph.ids], dtype=np.float64)
        a = np.array([ad[i] for i in graph.ids], dtype=np.float64)
    return _frame(graph, hub=h / h.sum(), authority=a / a.sum())


#: Below this many accounts HITS uses a dense SVD: exact, instant, and it handles a repeated top
#: singular value (a cycle, identical components), where ARPACK restarts from random vectors.
DENSE_HITS = 200


def _principal_right_singular_vector(A: sp.csr_matrix, *, tol: float, max_iter: int) -> np.ndarray:
    """``|v₁|`` of ``A`` (the authority direction): by ARPACK from a fixed start, or densely below
    :data:`DENSE_HITS` accounts. When the top singular value is repeated, ``v₁`` is not unique; the
    dense path then returns the projection of the uniform vector on the top singular subspace,
    which is where NetworkX's power iteration (started uniform) ends, so the answer repeats."""
    n = A.shape[0]
    if n <= DENSE_HITS:
        _, s, vt = np.linalg.svd(A.toarray())
        top = vt[s >= s[0] * (1 - 1e-9)]
        v = top.T @ (top @ np.full(n, 1.0 / n))
        return np.abs(v if np.abs(v).sum() > 1e-12 else top[0])
    try:
        _, _, vt = sla.svds(A.astype(np.float64), k=1, tol=tol, maxiter=int(max_iter), v0=np.full(n, 1.0 / n),
                            solver="arpack")
    except sla.ArpackNoConvergence as err:
        raise ConvergenceError(f"HITS did not converge to tol={tol:g} within max_iter={max_iter} restarts") from err
    return np.abs(vt[0])


# --------------------------------------------------------------------------------- degrees
def _in_weight(graph: Graph, kinds, weighted: bool) -> np.ndarray:
    kinds = _as_kinds(kinds)
    if graph.n_accounts == 0:
        return np.zeros(0)
    A = graph.adjacency(kinds, weighted=weighted)
    return np.asarray(A.sum(axis=0)).ravel()


def _received(graph: Graph, kinds: Iterable[str]) -> np.ndarray:
    """``Σ_u w_uv`` over edges of ``kinds``: one bincount over the edge table (no matrix needed)."""
    e = graph.edges
    codes = e["kind"].cat.codes.to_numpy()
    sel = np.isin(codes, [KINDS.index(k) for k in kinds])
    return np.bincount(e["target"].to_numpy()[sel], weights=e["weight"].to_numpy()[sel],
                       minlength=graph.n_accounts).astype(np.float64)


def indegree(graph: Graph, kinds: str | Iterable[str] = "follows", *, weighted: bool = False) -> pd.DataFrame:
    r"""In-degree: how many distinct accounts point at each account (its follower count in the graph).

    ``indegree(v) = |{u : u → v}|`` over the chosen kinds (several kinds merged per pair), or
    ``Σ_u w_uv`` when ``weighted``.

    Returns
    -------
    DataFrame
        Indexed by account id; column ``indegree`` (int64, or float64 when ``weighted``).

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"]}))
    >>> indegree(g)["indegree"].tolist()
    [0, 0, 2]
    """
    x = _in_weight(graph, kinds, weighted)
    return _frame(graph, indegree=x if weighted else np.rint(x).astype(np.int64))


# --------------------------------------------------------------------------------- Cha et al.
def cha_signals(graph: Graph) -> pd.DataFrame:
    r"""The three influence measures of Cha et al. (2010), kept separate, with their ranks.

    ``reach``
        Followers: the profile ``followers`` column where it is present and not null, else the
        follow in-degree (the source is in ``reach_source``: ``"profile"`` or
        ``"follow_indegree"``). Cha et al.'s *indegree influence*.
    ``amplification``
        Reposts received: ``Σ_u w_uv`` over ``reposts`` edges ``u → v`` (0 without reposts).
        Cha et al.'s *retweet influence*.
    ``conversation``
        Mentions and replies received: ``Σ_u w_uv`` over ``mentions`` and ``replies`` edges
        (0 without them). Cha et al.'s *mention influence* (on Twitter a reply is a mention).
    ``reach_rank``, ``amplification_rank``, ``conversation_rank``
        1 = largest; ties share the smallest rank (``1, 2, 2, 4``), int64.

    The point of the paper: the three orderings disagree — many followers does not imply many
    reposts or mentions. See :func:`cha_agreement` for how much they agree on a graph.

    Returns
    -------
    DataFrame
        Indexed by account id; the columns above, no NaN.

    Raises
    ------
    InputError
        The ``followers`` profile column holds non-numeric or negative values.

    Examples
    --------
    >>> df = pd.DataFrame({"source": ["a", "b", "a"], "target": ["c", "c", "b"],
    ...                    "kind": ["follows", "follows", "reposts"]})
    >>> cha_signals(Graph.from_pandas(df, kind="kind"))[["reach", "amplification", "conversation"]]  # doctest: +NORMALIZE_WHITESPACE
        reach  amplification  conversation
    id
    a       0            0.0           0.0
    b       0            1.0           0.0
    c       2            0.0           0.0

    References
    ----------
    .. [1] M. Cha, H. Haddadi, F. Benevenuto, K. Gummadi. *Measuring User Influence in Twitter:
       The Million Follower Fallacy.* ICWSM 2010.
    """
    return cha_frame(follower_counts(graph), _received(graph, ["reposts"]), _received(graph, CONVERSATION_KINDS))


def cha_frame(followers: pd.DataFrame, amplification: np.ndarray, conversation: np.ndarray) -> pd.DataFrame:
    """The table of :func:`cha_signals` from its parts: ``followers`` (``followers`` and
    ``followers_source`` per account, as :func:`~graphinflu.metrics.tiers.follower_counts` gives
    them; its index is the accounts'), the reposts and the mentions and replies each account
    received. The Spark engine sums the received weights in Spark and calls this."""
    out = pd.DataFrame({"reach": followers["followers"].to_numpy(),
                        "reach_source": followers["followers_source"].to_numpy(),
                        "amplification": np.asarray(amplification, dtype=np.float64),
                        "conversation": np.asarray(conversation, dtype=np.float64)}, index=followers.index.copy())
    out.index.name = "id"
    out["reach_source"] = out["reach_source"].astype(followers["followers_source"].dtype)
    n = len(out)
    for col in ("reach", "amplification", "conversation"):
        out[f"{col}_rank"] = (out[col].rank(ascending=False, method="min").astype(np.int64) if n
                              else np.zeros(0, np.int64))
    return out


def cha_agreement(graph: Graph) -> pd.DataFrame:
    r"""How much Cha et al.'s three signals agree: Spearman's ρ for each pair.

    For two signals ``x`` and ``y`` over all ``n`` accounts, ρ is the Pearson correlation of their
    ranks (ties get the average rank); without ties it equals
    ``1 − 6 Σ_v (rank_x(v) − rank_y(v))² / (n (n² − 1))``. ρ is NaN when either signal is
    constant (e.g. a graph without reposts) or ``n < 2``: there is no ordering to compare.

    Returns
    -------
    DataFrame
        One row per pair, in the order (reach, amplification), (reach, conversation),
        (amplification, conversation); columns ``signal_a``, ``signal_b``, ``spearman``
        (float in [-1, 1], or NaN as above) and ``n_accounts``.

    Examples
    --------
    >>> df = pd.DataFrame({"source": ["a", "b", "a", "b", "c"], "target": ["c", "c", "b", "a", "a"],
    ...                    "kind": ["follows", "follows", "reposts", "mentions", "reposts"]})
    >>> cha_agreement(Graph.from_pandas(df, kind="kind"))["spearman"].round(3).tolist()
    [-1.0, -0.5, 0.5]

    References
    ----------
    .. [1] M. Cha, H. Haddadi, F. Benevenuto, K. Gummadi. *Measuring User Influence in Twitter:
       The Million Follower Fallacy.* ICWSM 2010 (Section 4, rank correlations).
    """
    return agreement_of(cha_signals(graph))


def agreement_of(signals: pd.DataFrame) -> pd.DataFrame:
    """The table of :func:`cha_agreement` from a :func:`cha_signals` table (or the ``reach``,
    ``amplification`` and ``conversation`` columns of an account table)."""
    sig = signals[["reach", "amplification", "conversation"]].astype(np.float64)
    ranks = sig.rank(method="average")
    pairs = [("reach", "amplification"), ("reach", "conversation"), ("amplification", "conversation")]
    rows = []
    for a, b in pairs:
        x, y = ranks[a].to_numpy(), ranks[b].to_numpy()
        if len(x) < 2 or x.std() == 0 or y.std() == 0:
            rho = np.nan
        else:
            rho = float(np.corrcoef(x, y)[0, 1])
        rows.append({"signal_a": a, "signal_b": b, "spearman": rho, "n_accounts": len(x)})
    return pd.DataFrame(rows, columns=["signal_a", "signal_b", "spearman", "n_accounts"])


# --------------------------------------------------------------------------------- combined
def authority_scores(
    graph: Graph,
    *,
    damping: float = 0.85,
    seeds: Mapping | pd.Series | Iterable | None = None,
    engine: str = "scipy",
) -> pd.DataFrame:
    """Every authority metric that the graph's data supports, side by side.

    Columns, in order, when they apply:

    * ``pagerank``, ``hub``, ``authority``, ``indegree`` — when the graph has follow edges;
    * ``ppr`` — when ``seeds`` are given (:func:`personalized_pagerank`);
    * ``interaction_pagerank`` — when it has interaction edges (:func:`interaction_pagerank`);
    * ``reach`` (always), ``amplification`` (with reposts), ``conversation`` (with mentions or
      replies) — :func:`cha_signals`, without the rank columns.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"]}))
    >>> list(authority_scores(g).columns)
    ['pagerank', 'hub', 'authority', 'indegree', 'reach']
    """
    present = set(_kinds_present(graph))
    parts = []
    if "follows" in present:
        parts += [pagerank(graph, damping=damping, engine=engine), hits(graph, engine=engine), indegree(graph)]
    if seeds is not None:
        parts.append(personalized_pagerank(graph, seeds, damping=damping, engine=engine))
    if _present_interaction_kinds(graph, None):
        parts.append(interaction_pagerank(graph, damping=damping, engine=engine))
    cha = cha_signals(graph)
    keep = ["reach"]
    if "reposts" in present:
        keep.append("amplification")
    if present & set(CONVERSATION_KINDS):
        keep.append("conversation")
    parts.append(cha[keep])
    out = pd.concat(parts, axis=1)
    out.index.name = "id"
    return out


# --------------------------------------------------------------------------------- CLI registry
def _rank_pagerank(graph, *, damping=0.85, engine="scipy"):
    """PageRank on follows (authority flows to the followed)."""
    return pagerank(graph, damping=damping, engine=engine)


def _rank_ppr(graph, *, seeds, damping=0.85, engine="scipy"):
    """Personalized PageRank restarting at --seeds (audience match)."""
    return personalized_pagerank(graph, seeds, damping=damping, engine=engine)


def _rank_authority(graph, *, engine="scipy"):
    """HITS authority score on follows."""
    return hits(graph, engine=engine)[["authority"]]


def _rank_hub(graph, *, engine="scipy"):
    """HITS hub score on follows."""
    return hits(graph, engine=engine)[["hub"]]


def _rank_indegree(graph):
    """Follow in-degree (followers inside the graph)."""
    return indegree(graph)


def _rank_interaction(graph, *, damping=0.85, engine="scipy"):
    """PageRank on interactions weighted by counts."""
    return interaction_pagerank(graph, damping=damping, engine=engine)


def _rank_reach(graph):
    """Followers: profile count where known, else follow in-degree (Cha et al.)."""
    return cha_signals(graph)[["reach"]]


def _rank_amplification(graph):
    """Reposts received, summed (Cha et al.)."""
    return cha_signals(graph)[["amplification"]]


def _rank_conversation(graph):
    """Mentions and replies received, summed (Cha et al.)."""
    return cha_signals(graph)[["conversation"]]


#: ``rank --by NAME`` → a function ``f(graph, **options)`` returning a one-column DataFrame
#: indexed by id (larger = more authority). Options each accepts are its keyword parameters
#: (``damping``, ``engine``, ``seeds``); use :func:`ranker_options` to see them. The first line of
#: each function's docstring is its help text.
RANKERS: dict[str, Callable[..., pd.DataFrame]] = {
    "pagerank": _rank_pagerank,
    "ppr": _rank_ppr,
    "hits": _rank_authority,
    "authority": _rank_authority,
    "hub": _rank_hub,
    "indegree": _rank_indegree,
    "interaction": _rank_interaction,
    "reach": _rank_reach,
    "amplification": _rank_amplification,
    "conversation": _rank_conversation,
}


def ranker_options(name: str) -> tuple[str, ...]:
    """Keyword options the ranker ``name`` accepts, e.g. ``("damping", "engine")``.

    >>> ranker_options("ppr")
    ('seeds', 'damping', 'engine')
    """
    if name not in RANKERS:
        raise InputError(f"unknown ranking {name!r}", hint=f"use one of: {', '.join(RANKERS)}")
    params = inspect.signature(RANKERS[name]).parameters.values()
    return tuple(p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)
