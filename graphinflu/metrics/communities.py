"""Niche communities: Leiden (modularity or CPM), Louvain or Infomap on the symmetrized follower
graph, plus a per-community summary.

How the graph is made undirected
--------------------------------
Let ``A`` be the directed adjacency of the chosen edge ``kinds`` (``A[i, j]`` = weight of
``i → j``: 1 for every edge when ``weight=False``, else the edge weight summed over the kinds).
Self-loops are ignored. The undirected weight ``W[i, j] = W[j, i]`` of the pair ``{i, j}`` is:

``"collapse"`` (default)
    an edge when ``i → j`` or ``j → i`` exists; its weight is 1 when ``weight=False``, else
    ``A[i, j] + A[j, i]`` (with weights, ``collapse`` and ``sum`` coincide).
``"sum"``
    ``A[i, j] + A[j, i]``: a reciprocated follow counts twice (weight 2) even when unweighted.
``"mutual"``
    only reciprocated pairs (both ``i → j`` and ``j → i``); weight 1 when ``weight=False``, else
    ``A[i, j] + A[j, i]``.

Every figure here (modularity, volumes, cut, conductance) is computed on that ``W``.
"""

from __future__ import annotations

import contextlib
import random
import threading
from typing import Iterable

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .._np import unique
from ..errors import InputError, UnknownAccountError
from ..graph import Graph, _as_kinds
from ..params import LEIDEN_ENGINES, LEIDEN_METHODS, METHODS, SYMMETRIZE, CommunityParams
from ..loaders.posts import _lower, _text_array, split_tokens
from ._leiden import leiden as _leiden

__all__ = [
    "LEIDEN_ENGINES",
    "METHODS",
    "PendingCommunities",
    "SYMMETRIZE",
    "communities",
    "community_summary",
    "cpm_threshold",
    "modularity",
    "symmetrized_adjacency",
    "start_communities",
    "symmetrized_networkx",
]

# METHODS, SYMMETRIZE and LEIDEN_ENGINES live in graphinflu.params with the rules that check
# them (CommunityParams); they are re-exported here for the callers that import them from here.


# ----------------------------------------------------------------------------- the undirected graph
def _check_symmetrize(symmetrize: str) -> str:
    """``symmetrize`` if :class:`~graphinflu.params.CommunityParams` accepts it (its message otherwise)."""
    return CommunityParams(symmetrize=symmetrize).symmetrize


def _directed(graph: Graph, kinds, weight) -> sp.csr_matrix:
    """The directed matrix of ``kinds`` with the requested weights, self-loops removed."""
    kinds = _as_kinds(kinds)
    if weight is not None:
        CommunityParams(weight=weight)  # the one place that says what a weight may be
    if weight is False or weight is None:
        A = graph.adjacency(kinds, weighted=False)
    elif weight is True or weight == "weight":
        A = graph.adjacency(kinds, weighted=True)
    else:
        if weight not in graph.edges.columns or weight in ("source", "target", "kind"):
            numeric = [c for c in graph.edges.columns if c not in ("source", "target", "kind")]
            raise InputError(
                f"weight column {weight!r} not found in the edge table; its value columns are {numeric}",
                hint="pass weight=False (every edge counts 1), weight=True (the 'weight' column) or one of those names",
            )
        e = graph.edges
        sel = e["kind"].isin(kinds).to_numpy()
        w = pd.to_numeric(e[weight], errors="coerce").to_numpy(np.float64)[sel]
        if np.isnan(w).any():
            raise InputError(
                f"weight column {weight!r} has {int(np.isnan(w).sum())} missing or non-numeric values",
                hint="fill them, or choose another weight column",
            )
        n = graph.n_accounts
        A = sp.csr_matrix((w, (e["source"].to_numpy()[sel], e["target"].to_numpy()[sel])), shape=(n, n))
        A.sum_duplicates()
    if A.nnz and A.data.min() < 0:
        raise InputError(
            f"edge weights must be non-negative for community detection; found {int((A.data < 0).sum())} negative",
            hint="drop or clip the negative weights, or pass weight=False",
        )
    if A.nnz and (A.data == 0).any():  # zero-weight edges are no edges (matters for "mutual")
        A = A.copy()
        A.eliminate_zeros()
    if A.diagonal().any():  # graphs loaded with keep_self_loops=True
        A = (A - sp.diags(A.diagonal())).tocsr()
        A.eliminate_zeros()
    return A


def symmetrized_adjacency(
    graph: Graph,
    *,
    symmetrize: str = "collapse",
    kinds: str | Iterable[str] | None = "follows",
    weight: bool | str = False,
) -> sp.csr_matrix:
    """The symmetric ``n × n`` matrix ``W`` that communities are found on (no self-loops, no zeros).

    See the module docstring for the three ``symmetrize`` rules. Built once per graph and
    options, and cached on the graph: do not modify it in place.

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "c"]}))
    >>> symmetrized_adjacency(g, symmetrize="sum").toarray()
    array([[0., 2., 0.],
           [2., 0., 1.],
           [0., 1., 0.]])
    >>> symmetrized_adjacency(g, symmetrize="mutual").toarray()
    array([[0., 1., 0.],
           [1., 0., 0.],
           [0., 0., 0.]])
    """
    _check_symmetrize(symmetrize)
    weighted = not (weight is False or weight is None)
    key = ("communities.sym", _as_kinds(kinds), symmetrize, weight)
    cache = graph._cache
    if key in cache:
        return cache[key]
    A = _directed(graph, kinds, weight)
    W = (A + A.T).tocsr()
    if symmetrize == "mutual":
        P = A.copy()
        P.data[:] = 1.0
        both = P.multiply(P.T).tocsr()  # 1 where both directions exist
        W = both if not weighted else W.multiply(both).tocsr()
    elif symmetrize == "collapse" and not weighted:
        W.data[:] = 1.0
    W.eliminate_zeros()
    W.sort_indices()
    W = W.astype(np.float64)
    cache[key] = W
    return W


def symmetrized_networkx(
    graph: Graph,
    *,
    symmetrize: str = "collapse",
    kinds: str | Iterable[str] | None = "follows",
    weight: bool | str = False,
):
    """Readable reference for :func:`symmetrized_adjacency`: an ``nx.Graph`` keyed by account id.

    Built pair by pair from the edge table in plain Python (slow; for tests and small graphs).
    Every account is a node, isolated ones included; the edge attribute is ``weight``.

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "c"]}))
    >>> sorted(symmetrized_networkx(g, symmetrize="sum").edges(data="weight"))
    [('a', 'b', 2.0), ('b', 'c', 1.0)]
    """
    _check_symmetrize(symmetrize)
    kinds = _as_kinds(kinds)
    weighted = not (weight is False or weight is None)
    col = "weight" if weight is True or not weighted else weight
    e = graph.edges[graph.edges["kind"].isin(kinds)]
    directed: dict[tuple[int, int], float] = {}
    for s, t, w in zip(e["source"].tolist(), e["target"].tolist(), e[col].tolist() if weighted else [1.0] * len(e)):
        if s != t:
            directed[(s, t)] = directed.get((s, t), 0.0) + (float(w) if weighted else 1.0)
    ids = graph.ids
    G = nx.Graph()
    G.add_nodes_from(ids)
    for (s, t), w in directed.items():
        back = directed.get((t, s))
        if symmetrize == "mutual" and back is None:
            continue
        both = w + (back or 0.0)
        if symmetrize == "sum" or weighted:
            value = both
        else:  # collapse / mutual, unweighted
            value = 1.0
        if value > 0:
            G.add_edge(ids[s], ids[t], weight=value)
    return G


def _igraph_undirected(W: sp.csr_matrix):
    """An undirected igraph built once from the upper triangle of ``W``, plus its edge weights
    (``None`` when every weight is 1, so igraph takes its faster unweighted path)."""
    T = sp.triu(W, k=1).tocoo()
    edges = np.empty((T.nnz, 2), dtype=np.int64)  # native width, rows in order: igraph's fastest input
    edges[:, 0] = T.row
    edges[:, 1] = T.col
    G = ig.Graph(n=W.shape[0], edges=edges, directed=False)
    w = T.data.astype(float)
    return G, (None if np.all(w == 1.0) else w)


def _igraph_view(graph: Graph, W: sp.csr_matrix, kinds, symmetrize: str, weight):
    """:func:`_igraph_undirected` of ``W``, built once per graph and view (like ``Graph.to_igraph``)."""
    key = ("communities.igraph", _as_kinds(kinds), symmetrize, weight)
    if key not in graph._cache:
        graph._cache[key] = _igraph_undirected(W)
    return graph._cache[key]


@contextlib.contextmanager
def _seeded(seed: int):
    """Seed igraph's random source (Python's ``random`` module) and restore the caller's state after."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


#: Infomap trials per run (igraph's default): the partition with the shortest description wins.
INFOMAP_TRIALS = 10


def _density(W: sp.csr_matrix) -> float:
    """Σ W_ij / (n (n − 1)) over the n accounts that have an edge in ``W``: the mean weight of a
    pair of accounts (for unweighted ``W``, the share of pairs that are linked); 0 without edges."""
    n = int(np.count_nonzero(np.diff(W.indptr)))
    return float(W.sum()) / (n * (n - 1)) if n > 1 else 0.0


def cpm_threshold(
    graph: Graph,
    *,
    resolution: float = 1.0,
    symmetrize: str = "collapse",
    kinds: str | Iterable[str] | None = "follows",
    weight: bool | str = False,
) -> float:
    r"""The density threshold :math:`\gamma_{CPM}` that ``method="cpm"`` uses for ``resolution``.

    .. math:: \gamma_{CPM} = \text{resolution} \times \frac{\sum_{ij} W_{ij}}{n_e (n_e - 1)}

    where :math:`n_e` counts the accounts with at least one edge in ``W`` (isolated accounts do not
    dilute it): ``resolution`` is the threshold in units of the graph's own density, so the
    default 1 means "denser inside than the graph as a whole" on every graph size. Unweighted,
    the density is the share of account pairs that are linked. 0 for a graph without edges.

    >>> df = pd.DataFrame({"source": list("abcdefc"), "target": list("bcaefdd")})
    >>> round(cpm_threshold(Graph.from_pandas(df)), 4)  # 7 of the 15 pairs are linked
    0.4667
    """
    resolution = CommunityParams(resolution=resolution).resolution  # the one place that checks it
    W = symmetrized_adjacency(graph, symmetrize=symmetrize, kinds=kinds, weight=weight)
    return resolution * _density(W)


# ----------------------------------------------------------------------------- partitions
def _within(codes: np.ndarray, W: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """For every stored entry of ``W``: whether both ends have the same label (a mask), and that
    label for the entries where they do. W's rows are in order, so no COO copy is needed."""
    row = np.repeat(codes, np.diff(W.indptr))
    same = row == codes[W.indices]
    return same, row[same]


def _canonical(labels: np.ndarray, W: sp.csr_matrix) -> np.ndarray:
    """Split every community into its connected components and renumber them.

    Order: non-isolated communities by size descending, ties by the smallest account position in
    them; then isolated accounts (degree 0 in ``W``) as singletons, in account order.
    """
    n = len(labels)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    labels = np.asarray(labels, dtype=np.int64)
    degree = np.diff(W.indptr)
    # W restricted to pairs inside one community, built straight in CSR form (no COO sort: it was
    # most of the time at 10M edges)
    keep, _ = _within(labels, W)
    kept_before = np.zeros(W.nnz + 1, dtype=np.int64)
    np.cumsum(keep, out=kept_before[1:])
    indptr = kept_before[W.indptr]
    inner = sp.csr_matrix((np.ones(int(indptr[-1]), dtype=np.int8), W.indices[keep], indptr), shape=(n, n))
    # inner is symmetric, so its strong components are its undirected ones, and scipy's strong
    # algorithm needs no transpose
    _, comp = connected_components(inner, directed=True, connection="strong")
    k = int(comp.max()) + 1
    size = np.bincount(comp, minlength=k)
    _, first = np.unique(comp, return_index=True)  # the smallest account position in each component
    isolated = np.zeros(k, dtype=bool)
    isolated[comp] = degree == 0  # a component with an isolated account is that account alone
    order = np.lexsort((first, -size, isolated))
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    return rank[comp]


def communities(
    graph: Graph,
    params: CommunityParams | None = None,
    *,
    kinds: str | Iterable[str] | None = "follows",
    **options,
) -> pd.DataFrame:
    r"""Niche communities: a partition of the accounts that maximises modularity (or CPM, or the map equation).

    The directed edges of ``kinds`` become the undirected, weighted graph ``W`` (see
    ``symmetrize``), and Leiden (graphinflu's compiled implementation of Traag et al. 2019, see
    :mod:`graphinflu.metrics._leiden`; same modularity as igraph's ``community_leiden`` on the
    shared datasets, ~3× faster at 10M edges) or Louvain (igraph's ``community_multilevel``)
    maximises

    .. math:: Q = \frac{1}{2m}\sum_{ij}\Big(W_{ij} - \gamma\frac{k_i k_j}{2m}\Big)\,\delta(c_i, c_j),
       \qquad k_i = \sum_j W_{ij},\; 2m = \sum_{ij} W_{ij}

    with resolution :math:`\gamma`. ``method="cpm"`` runs the same Leiden on the Constant Potts
    Model (Traag, Van Dooren & Nesterov 2011)

    .. math:: H = \sum_c \Big(e_c - \gamma_{CPM} \frac{n_c^2}{2}\Big),
       \qquad \gamma_{CPM} = \text{resolution} \times \text{density}(W)

    (:math:`e_c` the weight inside community ``c``, :math:`n_c` its accounts; see
    :func:`cpm_threshold`): a niche is kept when it is denser inside than the threshold, and two
    niches are merged when the density between them is above it, whatever the size of the rest of
    the graph (modularity's resolution limit does not apply). ``method="infomap"`` runs igraph's
    ``community_infomap`` (the map equation of Rosvall & Bergstrom 2008: the partition that
    shortest describes a random walk on ``W``; :data:`INFOMAP_TRIALS` trials, the best kept; no
    resolution). Afterwards every community is split into its connected components (Louvain and
    Infomap can return disconnected ones), so each community is connected in ``W``.

    How the niches are found is one :class:`~graphinflu.params.CommunityParams` (``params``,
    default its defaults), whose fields may also be given by name (``options``; they override
    ``params``): ``communities(graph, resolution=2.0)`` and
    ``communities(graph, CommunityParams(resolution=2.0))`` are the same call. The parameter
    object checks every value, so the rules live in one place.

    Parameters
    ----------
    graph : Graph
    params : CommunityParams, optional
        Every option below but ``kinds``, as one object.
    kinds : str, list of str or None
        Edge kinds used (default ``"follows"``; ``None`` = all kinds).

    Other Parameters
    ----------------
    method : {"leiden", "louvain", "cpm", "infomap"}
        Leiden (default; refines communities, faster and better here) or Louvain, both on
        modularity; Leiden on the Constant Potts Model; or Infomap (igraph).
    resolution : float
        :math:`\gamma > 0`; above 1 gives more, smaller communities, below 1 fewer, larger ones.
        With ``"cpm"``, the density threshold in units of ``W``'s density (:func:`cpm_threshold`).
        Ignored by Infomap.
    seed : int
        Seeds the algorithm's random choices; the same graph and seed give the same output, on
        every run and machine (graphinflu's Leiden draws from a NumPy ``Generator``; igraph's
        Leiden, Louvain and Infomap from Python's ``random``, seeded and restored).
    symmetrize : {"collapse", "sum", "mutual"}
        How directed edges become undirected; see :func:`symmetrized_adjacency`.
    weight : bool or str
        ``False``: every edge counts 1; ``True`` (or ``"weight"``): the ``weight`` column; or the
        name of another numeric edge column.
    n_iterations : int
        Leiden iterations, each started from the last partition (default 2, as igraph and
        leidenalg; a negative value repeats until an iteration changes nothing). Ignored by
        Louvain and Infomap.
    engine : {"graphinflu", "igraph"}
        Which Leiden runs (``"leiden"`` and ``"cpm"``): graphinflu's compiled kernels (default),
        or igraph's ``community_leiden`` (``objective_function="modularity"``, or ``"CPM"`` with
        the same absolute threshold) with the same resolution, weights and iterations (an escape
        hatch and a reference: slower, and it holds the GIL). Both give connected communities of
        about the same quality, not the same partition. ``"igraph"`` is refused for Louvain and
        Infomap, which always run on igraph.

    Returns
    -------
    DataFrame
        Indexed by account id (``id``), every account once, one int column ``community``.
        Ids are ``0 … k-1`` ordered by size, largest first; ties go to the community holding the
        account that comes first in ``graph.accounts``. Accounts with no edge of ``kinds`` (after
        ``symmetrize``; with ``"mutual"``, no reciprocated edge) each get their own singleton
        community, numbered after all the others, in account order.

    Raises
    ------
    InputError
        Unknown ``method``/``symmetrize``/``engine``/kind, a non-positive ``resolution``, a
        missing weight column or negative weights.

    Examples
    --------
    Two triangles joined by one edge:

    >>> df = pd.DataFrame({"source": list("abcdefc"), "target": list("bcaefdd")})
    >>> communities(Graph.from_pandas(df))["community"].tolist()
    [0, 0, 0, 1, 1, 1]
    >>> communities(Graph.from_pandas(df), method="cpm")["community"].tolist()  # threshold 7/15
    [0, 0, 0, 1, 1, 1]
    >>> communities(Graph.from_pandas(df), engine="igraph")["community"].tolist()
    [0, 0, 0, 1, 1, 1]
    """
    return start_communities(graph, params, kinds=kinds, **options).result()


def start_communities(
    graph: Graph,
    params: CommunityParams | None = None,
    *,
    kinds: str | Iterable[str] | None = "follows",
    **options,
) -> "PendingCommunities":
    """Start :func:`communities` and return at once; ``.result()`` waits for its DataFrame.

    ``params`` is a :class:`~graphinflu.params.CommunityParams` (default: its defaults);
    ``options`` are its fields by name (``method=``, ``resolution=``, ``seed=``, ``symmetrize=``,
    ``n_iterations=``, ``weight=``, ``engine=``) and override it. Everything is validated here,
    before anything starts, by ``CommunityParams`` (bad kinds and weight columns too).

    graphinflu's Leiden runs in a thread: its compiled kernels release the GIL, so the caller's
    own work (``graphinflu analyze`` computes authority meanwhile) runs on the other core. The
    result is the one :func:`communities` gives. igraph's Leiden, Louvain and Infomap (which hold the
    GIL) run when ``.result()`` is called.
    """
    if params is not None and not isinstance(params, CommunityParams):
        raise InputError(f"params must be a CommunityParams, not {type(params).__name__} {params!r}",
                         hint="e.g. communities(graph, CommunityParams(method='leiden')) or communities(graph, "
                              "method='leiden')")
    unknown = sorted(set(options) - set(CommunityParams.__dataclass_fields__))
    if unknown:
        raise InputError(f"unknown community option(s) {unknown}",
                         hint=f"the options are kinds and {', '.join(CommunityParams.__dataclass_fields__)}")
    p = (params or CommunityParams()).replace(**options)
    _directed(graph, kinds, p.weight)  # bad kinds or weights fail here, before anything starts
    stop = threading.Event()
    compiled = p.method in LEIDEN_METHODS and p.engine == "graphinflu"
    objective = "cpm" if p.method == "cpm" else "modularity"

    def run() -> np.ndarray:
        W = symmetrized_adjacency(graph, symmetrize=p.symmetrize, kinds=kinds, weight=p.weight)
        resolution = p.resolution * _density(W) if objective == "cpm" else p.resolution
        if W.nnz == 0:
            labels = np.arange(graph.n_accounts)
        elif compiled:
            labels = _leiden(W, resolution=resolution, seed=p.seed, n_iterations=p.n_iterations, stop=stop,
                             objective=objective)
        else:
            G, w = _igraph_view(graph, W, kinds, p.symmetrize, p.weight)
            with _seeded(p.seed):
                if p.method == "louvain":
                    part = G.community_multilevel(weights=w, resolution=p.resolution)
                elif p.method == "infomap":
                    part = G.community_infomap(edge_weights=w, trials=INFOMAP_TRIALS)
                else:
                    part = G.community_leiden(objective_function="CPM" if objective == "cpm" else "modularity",
                                              weights=w, resolution=resolution, n_iterations=p.n_iterations)
            labels = part.membership
        return _canonical(np.asarray(labels, dtype=np.int64), W)

    return PendingCommunities(graph, run, in_thread=compiled, stop=stop)


class PendingCommunities:
    """Communities being computed; see :func:`start_communities`.

    Use it as a context manager (or call :meth:`cancel`) so that a caller that fails before
    ``.result()`` stops the computation instead of leaving it running in the background.
    """

    def __init__(self, graph: Graph, run, *, in_thread: bool, stop: threading.Event | None = None):
        self._graph, self._run = graph, run
        self._stop = stop or threading.Event()
        self._codes = self._error = None
        self._thread = None
        if in_thread:
            self._thread = threading.Thread(target=self._work, name="graphinflu-communities", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        try:
            self._codes = self._run()
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self) -> pd.DataFrame:
        """The communities DataFrame of :func:`communities`."""
        if self._thread is not None:
            self._thread.join()
        elif self._codes is None and self._error is None:
            self._work()
        if self._error is not None:
            raise self._error
        out = pd.DataFrame({"community": self._codes}, index=self._graph.ids.copy())
        out.index.name = "id"
        return out

    def cancel(self) -> None:
        """Stop a run that is no longer wanted (within one Leiden phase) and wait for its thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._codes, self._error = None, RuntimeError("these communities were cancelled")

    def __enter__(self) -> "PendingCommunities":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:  # the caller failed: nobody will read the result
            self.cancel()


def _membership_codes(graph: Graph, membership) -> np.ndarray:
    """Membership (DataFrame with ``community`` or Series, indexed by id) → int codes in account order."""
    if isinstance(membership, pd.DataFrame):
        if "community" not in membership.columns:
            raise InputError(
                f"membership has no 'community' column; its columns are {list(membership.columns)}",
                hint="pass the DataFrame returned by communities(), or a Series of community ids indexed by account id",
            )
        membership = membership["community"]
    if not isinstance(membership, pd.Series):
        values = np.asarray(membership)
        if values.shape != (graph.n_accounts,):
            raise InputError(
                f"membership has {values.shape} values; expected one per account ({graph.n_accounts})",
                hint="pass the DataFrame returned by communities()",
            )
        membership = pd.Series(values, index=graph.ids)
    if membership.index.equals(graph.ids):  # the usual case: the output of communities() on this graph
        aligned = membership
    else:
        idx = pd.Index(membership.index.astype(str))
        if not idx.is_unique:
            raise InputError(f"membership lists {int(idx.duplicated().sum())} accounts more than once")
        pos = graph.ids.get_indexer(idx)
        if (pos < 0).any():
            raise UnknownAccountError(list(idx[pos < 0]), what="accounts in the membership")
        aligned = pd.Series(membership.to_numpy(), index=idx).reindex(graph.ids)
    if aligned.isna().any():
        missing = list(graph.ids[aligned.isna().to_numpy()][:5])
        raise InputError(
            f"{int(aligned.isna().sum())} accounts have no community (e.g. {missing})",
            hint="every account needs one; use the output of communities() on the same graph",
        )
    codes, _ = pd.factorize(aligned, sort=True)
    return codes.astype(np.int64)


def modularity(
    graph: Graph,
    membership,
    *,
    symmetrize: str = "collapse",
    kinds: str | Iterable[str] | None = "follows",
    weight: bool | str = False,
    resolution: float = 1.0,
) -> float:
    r"""Newman modularity of a partition on the symmetrized graph ``W``.

    .. math:: Q = \sum_c \Big[\frac{L_c}{m} - \gamma\Big(\frac{d_c}{2m}\Big)^2\Big]

    where :math:`L_c` is the total weight of the undirected edges inside community ``c``,
    :math:`d_c` the summed weighted degree of its accounts and :math:`m` the total edge weight;
    the same value as ``networkx.community.modularity`` on :func:`symmetrized_networkx`.
    A graph with no edges has modularity 0 (NetworkX divides by zero there).

    >>> df = pd.DataFrame({"source": list("abcdefc"), "target": list("bcaefdd")})
    >>> g = Graph.from_pandas(df)
    >>> round(modularity(g, communities(g)), 4)
    0.3571
    """
    codes = _membership_codes(graph, membership)
    W = symmetrized_adjacency(graph, symmetrize=symmetrize, kinds=kinds, weight=weight)
    two_m = float(W.sum())
    if two_m == 0:
        return 0.0
    k = int(codes.max()) + 1 if len(codes) else 0
    same, inside = _within(codes, W)
    inner = np.bincount(inside, weights=W.data[same], minlength=k)  # = 2 L_c
    deg = np.bincount(codes, weights=np.asarray(W.sum(axis=1)).ravel(), minlength=k)
    return float(inner.sum() / two_m - resolution * np.sum((deg / two_m) ** 2))


# ----------------------------------------------------------------------------- summary
def _authority_values(graph: Graph, authority, kinds) -> np.ndarray:
    if authority is None:
        A = graph.adjacency(_as_kinds(kinds), weighted=False)
        return np.asarray(A.sum(axis=0)).ravel().astype(np.float64)  # in-degree: followers in the graph
    if isinstance(authority, pd.DataFrame):
        num = authority.select_dtypes("number")
        if num.shape[1] != 1:
            raise InputError(
                f"authority DataFrame has {num.shape[1]} numeric columns {list(num.columns)}; expected one",
                hint="pass one column, e.g. scores['pagerank']",
            )
        authority = num.iloc[:, 0]
    if not isinstance(authority, pd.Series):
        raise InputError(f"authority must be a Series indexed by account id, not {type(authority).__name__}")
    values = pd.to_numeric(authority, errors="coerce").to_numpy(np.float64)
    if authority.index.equals(graph.ids):
        return values
    s = pd.Series(values, index=pd.Index(authority.index.astype(str)))
    if not s.index.is_unique:
        raise InputError(f"authority lists {int(s.index.duplicated().sum())} accounts more than once")
    pos = graph.ids.get_indexer(s.index)
    if (pos < 0).any():
        raise UnknownAccountError(list(s.index[pos < 0]), what="accounts in the authority scores")
    return s.reindex(graph.ids).to_numpy(np.float64)  # missing → NaN → ranked last


#: Advertising hashtags (lower case, without ``#``) that say a post is paid, not what a niche is
#: about: never picked for a niche label.
AD_TAGS: frozenset[str] = frozenset({"ad", "ads", "sponsored", "spon", "anzeige", "werbung", "partner",
                                     "paidpartnership", "gifted"})


def _niche_labels(graph: Graph, codes: np.ndarray, size: np.ndarray, k: int, n_tags: int = 3) -> list[str]:
    acc = graph.accounts
    cat_part = np.full(k, "", dtype=object)
    tag_part = np.full(k, "", dtype=object)
    if "category" in acc.columns:
        cat = acc["category"].astype("string").str.strip().str.lower()
        df = pd.DataFrame({"c": codes, "cat": cat.to_numpy()}).dropna()
        df = df[df["cat"] != ""]
        if len(df):
            counts = df.groupby(["c", "cat"]).size().reset_index(name="n")
            counts = counts.sort_values(["c", "n", "cat"], ascending=[True, False, True]).drop_duplicates("c")
            c = counts["c"].to_numpy()
            pct = np.rint(100.0 * counts["n"].to_numpy() / size[c]).astype(int)
            cat_part[c] = [f"{name} ({p}%)" for name, p in zip(counts["cat"], pct)]
    if "hashtags" in acc.columns:
        for c, joined in _top_tags(acc["hashtags"], codes, n_tags):
            tag_part[c] = joined
    return ["; ".join(p for p in (a, b) if p) for a, b in zip(cat_part, tag_part)]


def _top_tags(hashtags: pd.Series, codes: np.ndarray, n_tags: int) -> list[tuple[int, str]]:
    """``(community, "#a #b #c")``: each community's ``n_tags`` hashtags used by most of its
    accounts (ties alphabetical; an account counts a tag once; advertising tags never), from the
    accounts' space-separated ``hashtags``. pyarrow and one integer sort, not ``str.split`` +
    ``explode``: 13 s -> 1 s over 600k accounts with hashtags."""
    row, tokens = split_tokens(_lower(_text_array(hashtags)))
    tokens = pc.utf8_ltrim(tokens, characters="#")
    keep = pc.and_(pc.not_equal(tokens, ""),
                   pc.invert(pc.is_in(tokens, value_set=pa.array(sorted(AD_TAGS), type=tokens.type))))
    keep = keep.to_numpy(zero_copy_only=False)
    row, tokens = row[keep], tokens.filter(keep)
    if not len(row):
        return []
    enc = pc.dictionary_encode(tokens)
    words = enc.dictionary
    nt = len(words)
    rank = np.empty(nt, dtype=np.int64)  # alphabetical rank of each distinct tag
    rank[pc.sort_indices(words).to_numpy()] = np.arange(nt)
    by_rank = np.asarray(words.take(pa.array(np.argsort(rank))).to_pylist(), dtype=object)
    tag = rank[enc.indices.to_numpy()]
    per_account = unique(row.astype(np.int64) * nt + tag)  # each account counts a tag once
    comm = np.asarray(codes, dtype=np.int64)[per_account // nt]
    pair, n = np.unique(comm * nt + per_account % nt, return_counts=True)  # return_counts: the sort path
    c, t = pair // nt, pair % nt
    order = np.lexsort((t, -n, c))  # community, most used first, ties alphabetical
    c, t = c[order], t[order]
    first = np.r_[0, np.flatnonzero(c[1:] != c[:-1]) + 1]
    pos = np.arange(len(c)) - np.repeat(first, np.diff(np.r_[first, len(c)]))
    top = pos < n_tags
    c, t = c[top], t[top]
    out: list[tuple[int, str]] = []
    bounds = np.r_[0, np.flatnonzero(c[1:] != c[:-1]) + 1, len(c)]
    for a, b in zip(bounds[:-1], bounds[1:]):  # one per community, not per edge or account
        out.append((int(c[a]), " ".join("#" + w for w in by_rank[t[a:b]])))
    return out


#: How many leading authorities name a niche that has no category or hashtags.
LABEL_AUTHORITIES = 3


def community_summary(
    graph: Graph,
    membership,
    *,
    authority=None,
    top: int = 5,
    symmetrize: str = "collapse",
    kinds: str | Iterable[str] | None = "follows",
    weight: bool | str = False,
) -> pd.DataFrame:
    r"""One row per community: size, cohesion, separation, top authorities and a niche label.

    Everything is measured on the undirected graph ``W`` of :func:`symmetrized_adjacency`
    (pass the same ``symmetrize``, ``kinds`` and ``weight`` as to :func:`communities`).

    Parameters
    ----------
    graph : Graph
    membership : DataFrame or Series
        The output of :func:`communities` (or any Series of community labels indexed by account
        id covering every account; labels are renumbered ``0 … k-1`` in sorted order).
    authority : Series, one-column DataFrame or None
        Scores indexed by account id (e.g. PageRank); higher = more authoritative. Accounts missing
        from it rank last. ``None`` uses in-degree (followers inside the graph, over ``kinds``).
    top : int
        How many accounts ``top_authorities`` lists.

    Returns
    -------
    DataFrame indexed by ``community`` with columns

    ``size``
        accounts in the community, :math:`n_S`.
    ``internal_edges``
        undirected account pairs :math:`\{i, j\} \subseteq S` joined in ``W`` (a reciprocated
        follow is one pair), :math:`e_S`.
    ``density``
        :math:`e_S / \binom{n_S}{2}` (undirected; what ``nx.density`` gives on the induced
        subgraph of ``W``); 0 for a single account.
    ``conductance``
        :math:`\mathrm{cut}(S) / \min(\mathrm{vol}(S), \mathrm{vol}(V \setminus S))` with
        :math:`\mathrm{cut}(S) = \sum_{i \in S, j \notin S} W_{ij}` and
        :math:`\mathrm{vol}(S) = \sum_{i \in S} \sum_j W_{ij}` (weighted degrees), as
        ``nx.conductance``; NaN when the denominator is 0 (an isolated account, or a community
        holding every edge). Lower is a better-separated niche.
    ``top_authorities``
        the handles of the ``top`` members with the highest ``authority`` (ties by account
        order), one string joined with ``", "``.
    ``niche_label``
        from the account table: the most common ``category`` with its share of the community's
        accounts, e.g. ``"fashion (62%)"``, and/or the 3 hashtags used by most members when a
        ``hashtags`` column (space-separated tags) exists, e.g. ``"#ootd #style #vintage"``,
        joined with ``"; "``; advertising tags (:data:`AD_TAGS`: ``#ad``, ``#sponsored``,
        ``#gifted`` …) say a post is paid, not what a niche is about, and are skipped. When neither column exists or no member has a value, the niche is named
        by its :data:`LABEL_AUTHORITIES` leading authorities, e.g. ``"around Set 5, Set 14, Set 3"``:
        a label is never blank.

    Examples
    --------
    >>> df = pd.DataFrame({"source": list("abcdefc"), "target": list("bcaefdd")})
    >>> g = Graph.from_pandas(df)
    >>> s = community_summary(g, communities(g), top=2)
    >>> print(s.drop(columns="niche_label").to_csv(float_format="%.4f"), end="")
    community,size,internal_edges,density,conductance,top_authorities
    0,3,3,1.0000,0.1429,"a, b"
    1,3,3,1.0000,0.1429,"d, e"
    """
    if not (isinstance(top, (int, np.integer)) and top >= 0):
        raise InputError(f"top must be a non-negative integer, not {top!r}")
    codes = _membership_codes(graph, membership)
    n = graph.n_accounts
    k = int(codes.max()) + 1 if n else 0
    W = symmetrized_adjacency(graph, symmetrize=symmetrize, kinds=kinds, weight=weight)
    size = np.bincount(codes, minlength=k)
    same, inside = _within(codes, W)
    internal = np.bincount(inside, minlength=k) // 2  # every pair is stored twice
    strength = np.asarray(W.sum(axis=1)).ravel()
    vol = np.bincount(codes, weights=strength, minlength=k)
    inner_w = np.bincount(inside, weights=W.data[same], minlength=k)
    cut = vol - inner_w
    total = float(strength.sum())
    pairs = size * (size - 1) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(pairs > 0, internal / np.where(pairs > 0, pairs, 1), 0.0)
        denom = np.minimum(vol, total - vol)
        conductance = np.where(denom > 0, cut / np.where(denom > 0, denom, 1), np.nan)

    auth = _authority_values(graph, authority, kinds)
    key = np.where(np.isnan(auth), -np.inf, auth)
    order = np.lexsort((np.arange(n), -key, codes))
    grouped = codes[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if n else np.zeros(0, dtype=np.int64)
    place = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))  # rank inside the community
    picked = order[place < max(top, LABEL_AUTHORITIES)]  # only these handles are turned into strings
    ranked = pd.DataFrame({"c": codes[picked], "handle": graph.accounts["handle"].iloc[picked].astype(str).to_numpy(),
                           "place": place[place < max(top, LABEL_AUTHORITIES)]})
    tops = ranked[ranked["place"] < top].groupby("c")["handle"].agg(", ".join).reindex(range(k), fill_value="")
    leaders = ranked[ranked["place"] < LABEL_AUTHORITIES].groupby("c")["handle"].agg(", ".join)
    labels = pd.Series(_niche_labels(graph, codes, size, k), dtype=object)
    # a niche without categories or hashtags is named by its leading authorities, never left blank
    blank = (labels == "").to_numpy()
    labels[blank] = "around " + leaders.reindex(np.flatnonzero(blank)).fillna("").to_numpy(dtype=object)

    out = pd.DataFrame(
        {
            "size": size.astype(np.int64),
            "internal_edges": internal.astype(np.int64),
            "density": density.astype(np.float64),
            "conductance": conductance.astype(np.float64),
            "top_authorities": tops.to_numpy(dtype=object),
            "niche_label": labels.to_numpy(dtype=object),
        },
        index=pd.RangeIndex(k, name="community"),
    )
    return out
