r"""Leiden for modularity, compiled with numba: the default community engine.

Why not a library: igraph's ``community_leiden`` is correct but at 10M edges it needs ~5 s to build
its graph and ~19 s for two iterations (it holds the GIL throughout); NetworKit's ParallelLeiden is
faster only with several threads, and then its partitions change from run to run with the same
seed; scikit-network's Leiden is no faster than igraph. This module runs the algorithm of Traag,
Waltman & van Eck (2019), "From Louvain to Leiden: guaranteeing well-connected communities",
Sci. Rep. 9:5233, on the CSR arrays graphinflu already has, without the GIL: at 10M edges two
iterations take ~8.5 s against igraph's ~26 s (graph build included), for the same modularity. The
same input and seed give the same output on every run: all random numbers come from a NumPy
``Generator`` seeded once, and numba compiles without fast-math, so no sum is reordered.

The quality maximised is modularity with resolution :math:`\gamma`, written the way the paper
writes CPM with node weights :math:`k_i` (weighted degrees) and resolution
:math:`\gamma' = \gamma / 2m`:

.. math:: H = \sum_c \big(e_c - \gamma' K_c^2 / 2\big)

so moving node :math:`v` (alone) into community :math:`C` changes it by
:math:`\Delta H = w(v, C) - \gamma' k_v K_C`. One iteration repeats, level by level:

1. *fast local moving*: nodes are visited from a queue (random initial order); each goes to the
   neighbouring (or an empty) community with the largest gain, if positive; the neighbours of a
   node that moved, outside its new community, are queued again;
2. *refinement*: inside every community :math:`S`, starting from singletons, each well-connected
   singleton :math:`v` (:math:`E(v, S - v) \ge \gamma' k_v (K_S - k_v)`), in random order, joins a
   well-connected refined cluster :math:`C \subseteq S` with :math:`\Delta H \ge 0` chosen with
   probability :math:`\propto \exp(\Delta H / \theta)`, :math:`\theta = 0.01` (or stays alone);
3. *aggregation*: refined clusters become nodes, started in the community of step 1.

The same kernels maximise the **Constant Potts Model** (``objective="cpm"``, Traag, Van Dooren &
Nesterov 2011) when every node weighs 1 instead of its degree and :math:`\gamma' = \gamma`:

.. math:: H = \sum_c \big(e_c - \gamma\, n_c^2 / 2\big)

(:math:`n_c` accounts in :math:`c`; aggregated nodes weigh the accounts they hold): a community is
worth keeping when its internal edge density beats :math:`\gamma`, whatever the rest of the graph.

It stops when local moving leaves every node of the current level on its own, or aggregation
stops shrinking the graph; ``n_iterations`` repeats the whole procedure from the last partition
(negative: until an iteration changes nothing, at most :data:`MAX_ITERATIONS`). Every community it
returns is connected.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import scipy.sparse as sp

THETA = 0.01  # randomness of the refinement, the paper's and igraph's default


class Stopped(Exception):
    """Raised by :func:`leiden` when its ``stop`` event is set."""
#: Iterations run at most when asked to repeat "until nothing changes" (``n_iterations < 0``).
#: Every change raises modularity, so this is only a guard against floating-point ties.
MAX_ITERATIONS = 1000


@nb.njit(cache=True, nogil=True, inline="always")
def _neighbour_weights(v, indptr, indices, data, label, comm, S, seen, touched, neigh_w):
    """Add the weight from ``v`` to each ``label`` among its neighbours (only those in community
    ``S`` when ``S >= 0``) into ``neigh_w``; the labels met go to ``touched[:nt]`` (marked in
    ``seen``). Returns ``nt``. The caller resets ``neigh_w`` and ``seen`` for them afterwards."""
    nt = 0
    for p in range(indptr[v], indptr[v + 1]):
        u = indices[p]
        if u == v or (S >= 0 and comm[u] != S):
            continue
        c = label[u]
        if not seen[c]:
            seen[c] = True
            touched[nt] = c
            nt += 1
        neigh_w[c] += data[p]
    return nt


@nb.njit(cache=True, nogil=True)
def _move_nodes(indptr, indices, data, k, comm, order, res):
    """Fast local moving; ``comm`` (labels < n) is updated in place. Returns the number of moves."""
    n = len(indptr) - 1
    tot = np.zeros(n)
    size = np.zeros(n, np.int64)
    for v in range(n):
        tot[comm[v]] += k[v]
        size[comm[v]] += 1
    free = np.empty(n, np.int64)  # empty community labels, used as a stack
    n_free = 0
    for c in range(n - 1, -1, -1):
        if size[c] == 0:
            free[n_free] = c
            n_free += 1
    neigh_w = np.zeros(n)
    seen = np.zeros(n, np.bool_)
    touched = np.empty(n, np.int64)
    queued = np.ones(n, np.bool_)
    queue = order.copy()  # a ring buffer holding every queued node once
    head = 0
    length = n
    moves = 0
    while length > 0:
        v = queue[head]
        head += 1
        if head == n:
            head = 0
        length -= 1
        queued[v] = False
        cv = comm[v]
        nt = _neighbour_weights(v, indptr, indices, data, comm, comm, -1, seen, touched, neigh_w)
        kv = k[v]
        tot[cv] -= kv
        size[cv] -= 1
        best = cv
        best_gain = neigh_w[cv] - res * kv * tot[cv]  # staying (0 if v was alone)
        for i in range(nt):
            c = touched[i]
            gain = neigh_w[c] - res * kv * tot[c]
            if gain > best_gain:
                best_gain = gain
                best = c
        if best_gain < 0.0:  # alone is better than anywhere: an empty community
            if size[cv] == 0:
                best = cv
            else:
                n_free -= 1
                best = free[n_free]
        for i in range(nt):
            c = touched[i]
            neigh_w[c] = 0.0
            seen[c] = False
        tot[best] += kv
        size[best] += 1
        if best != cv:
            if size[cv] == 0:
                free[n_free] = cv
                n_free += 1
            comm[v] = best
            moves += 1
            for p in range(indptr[v], indptr[v + 1]):
                u = indices[p]
                if not queued[u] and comm[u] != best:
                    queued[u] = True
                    tail = head + length
                    if tail >= n:
                        tail -= n
                    queue[tail] = u
                    length += 1
    return moves


@nb.njit(cache=True, nogil=True)
def _refine(indptr, indices, data, k, comm, order, uniform, res, theta):
    """Refinement of ``comm``: returns refined labels (each refined cluster inside one community)."""
    n = len(indptr) - 1
    K = np.zeros(n)  # K_S per community
    for v in range(n):
        K[comm[v]] += k[v]
    ext = np.zeros(n)  # E(v, S - v)
    for v in range(n):
        for p in range(indptr[v], indptr[v + 1]):
            u = indices[p]
            if u != v and comm[u] == comm[v]:
                ext[v] += data[p]
    ref = np.arange(n)
    rsize = np.ones(n, np.int64)
    rK = k.copy()
    rext = ext.copy()  # E(C, S - C) per refined cluster
    neigh_w = np.zeros(n)
    seen = np.zeros(n, np.bool_)
    touched = np.empty(n, np.int64)
    gains = np.empty(n)
    for i in range(n):
        v = order[i]
        if rsize[ref[v]] != 1:
            continue  # others joined v's cluster: v is no longer a singleton
        S = comm[v]
        kv = k[v]
        if ext[v] < res * kv * (K[S] - kv):
            continue  # v is not well connected to its community
        nt = _neighbour_weights(v, indptr, indices, data, ref, comm, S, seen, touched, neigh_w)
        own = ref[v]
        best = 0.0  # staying alone: gain 0
        m = 0
        for j in range(nt):
            c = touched[j]
            if c == own or rext[c] < res * rK[c] * (K[S] - rK[c]):
                gains[j] = -1.0
                continue
            g = neigh_w[c] - res * kv * rK[c]
            gains[j] = g
            if g >= 0.0:
                m += 1
                if g > best:
                    best = g
        chosen = own
        if m > 0:
            # P(C) ∝ exp(ΔH / θ), shifted by the best gain so that nothing overflows; a candidate
            # more than 40 θ below the best has a weight under e⁻⁴⁰ and is left out
            stay = np.exp(-best / theta) if best < 40.0 * theta else 0.0
            total = stay
            for j in range(nt):
                d = (gains[j] - best) / theta
                if gains[j] >= 0.0 and d > -40.0:
                    gains[j] = np.exp(d)
                    total += gains[j]
                else:
                    gains[j] = 0.0
            r = uniform[i] * total
            acc = stay
            if r >= acc:
                for j in range(nt):
                    if gains[j] > 0.0:
                        acc += gains[j]
                        chosen = touched[j]
                        if r < acc:
                            break
        if chosen != own:
            wc = neigh_w[chosen]
            ref[v] = chosen
            rsize[own] = 0
            rsize[chosen] += 1
            rK[chosen] += kv
            rext[chosen] = rext[chosen] + ext[v] - 2.0 * wc
        for j in range(nt):
            c = touched[j]
            neigh_w[c] = 0.0
            seen[c] = False
    return ref


def _compact(labels: np.ndarray) -> tuple[np.ndarray, int]:
    """Labels renumbered 0 … k-1 in order of first appearance (deterministic)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse], len(first)


@nb.njit(cache=True, nogil=True)
def _aggregate(indptr, indices, data, labels, n_new):
    """The graph of the clusters ``labels`` (0 … n_new-1) as CSR arrays: the weight between two
    clusters is the sum of the weights between their members. Self-loops are left out: node
    weights are carried separately, and a node's own loop never changes where it should go."""
    n = len(indptr) - 1
    start = np.zeros(n_new + 1, np.int64)
    for v in range(n):
        start[labels[v] + 1] += 1
    for c in range(n_new):
        start[c + 1] += start[c]
    members = np.empty(n, np.int64)
    fill = start[:-1].copy()
    for v in range(n):
        members[fill[labels[v]]] = v
        fill[labels[v]] += 1
    out_ptr = np.zeros(n_new + 1, np.int64)
    out_idx = np.empty(len(indices), indices.dtype)
    out_w = np.empty(len(indices))
    acc = np.zeros(n_new)
    seen = np.zeros(n_new, np.bool_)
    touched = np.empty(n_new, np.int64)
    pos = 0
    for c in range(n_new):
        nt = 0
        for i in range(start[c], start[c + 1]):
            v = members[i]
            for p in range(indptr[v], indptr[v + 1]):
                d = labels[indices[p]]
                if d == c:
                    continue
                if not seen[d]:
                    seen[d] = True
                    touched[nt] = d
                    nt += 1
                acc[d] += data[p]
        for j in range(nt):
            d = touched[j]
            out_idx[pos] = d
            out_w[pos] = acc[d]
            pos += 1
            acc[d] = 0.0
            seen[d] = False
        out_ptr[c + 1] = pos
    return out_ptr, out_idx[:pos].copy(), out_w[:pos].copy()


def leiden(
    W: sp.csr_matrix,
    *,
    resolution: float = 1.0,
    seed: int = 0,
    n_iterations: int = 2,
    theta: float = THETA,
    stop=None,
    objective: str = "modularity",
) -> np.ndarray:
    """Community labels (``int64``, not canonical) of the symmetric matrix ``W`` by Leiden.

    ``W`` must be symmetric with non-negative weights (self-loops allowed). See the module
    docstring for the algorithm; same ``W`` and ``seed`` (any integer) give the same labels.
    ``stop`` (a ``threading.Event``) is checked between phases: once set, :class:`Stopped` is
    raised, so an abandoned run frees its core and memory within one phase.
    ``objective="cpm"`` maximises the Constant Potts Model instead, with ``resolution`` the
    (absolute) density threshold γ.
    """
    if objective not in ("modularity", "cpm"):
        raise ValueError(f"objective must be 'modularity' or 'cpm', not {objective!r}")
    W = sp.csr_matrix(W, dtype=np.float64)
    W.sum_duplicates()
    n = W.shape[0]
    rng = np.random.default_rng(int(seed) % 2**64)  # any integer; negatives map to distinct seeds
    k0 = np.asarray(W.sum(axis=1)).ravel()
    two_m = float(k0.sum())
    flat = np.arange(n, dtype=np.int64)
    if n == 0 or two_m == 0:
        return flat
    if objective == "cpm":  # node weight 1 (aggregated: accounts held), threshold as given
        k0 = np.ones(n)
        res = float(resolution)
    else:
        res = float(resolution) / two_m
    iteration = 0
    limit = MAX_ITERATIONS if n_iterations < 0 else n_iterations
    while iteration < limit:
        iteration += 1
        # the aggregated levels have int64 indptr: the same dtypes at level 0 mean one compiled
        # version of each kernel (loading each version from numba's cache costs ~0.1 s)
        indptr, indices, data, k, comm = W.indptr.astype(np.int64), W.indices, W.data, k0, flat.copy()
        node_of = np.arange(n, dtype=np.int64)  # original account → node of the current level
        while True:
            if stop is not None and stop.is_set():
                raise Stopped("Leiden was stopped by its caller")
            nG = len(indptr) - 1
            _move_nodes(indptr, indices, data, k, comm, rng.permutation(nG), res)
            comm, n_comm = _compact(comm)
            if n_comm == nG:
                break  # every node alone: nothing to aggregate
            refined = _refine(indptr, indices, data, k, comm, rng.permutation(nG), rng.random(nG), res, theta)
            refined, n_ref = _compact(refined)
            if n_ref == nG:
                break  # refinement merged nothing: the graph would not shrink
            parent = np.empty(n_ref, dtype=np.int64)
            parent[refined] = comm
            indptr, indices, data = _aggregate(indptr, indices, data, refined, n_ref)
            k = np.bincount(refined, weights=k, minlength=n_ref)
            node_of = refined[node_of]
            comm = parent
        new = comm[node_of]
        done = n_iterations < 0 and np.array_equal(_compact(new)[0], _compact(flat)[0])
        flat = new
        if done:
            break
    return _compact(flat)[0]


def warm_up() -> None:
    """Load the compiled kernels from numba's cache (compile them, the first time) on a tiny graph
    that reaches every kernel. The CLI runs it in a thread while the input is being read, so that
    loading the machine code (~0.3 s) is not on the way."""
    W = sp.csr_matrix(np.array([[0, 1, 1, 0, 0, 0], [1, 0, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0],
                                [0, 0, 1, 0, 1, 1], [0, 0, 0, 1, 0, 1], [0, 0, 0, 1, 1, 0]], dtype=np.float64))
    leiden(W, n_iterations=2)
