"""The partition step of :mod:`graphinflu.metrics.communities`, importable without pandas.

It runs either in the caller's process or in a worker process (``python -m
graphinflu.metrics._partition``) that :func:`graphinflu.metrics.communities.start_communities`
starts, so that community detection, igraph's longest call and one that holds the GIL, runs on
the second core while the caller computes authority. Both paths run the same code with the same
seed, so they return the same partition.

Worker protocol (stdin → stdout, binary): one JSON line ``{"params": {...}, "arrays": [[dtype,
length], ...]}`` followed by the raw bytes of each array (CSR ``indptr``, ``indices`` and, when
weighted, ``data`` of the directed matrix); the answer is a JSON line ``{"length": n}`` and ``n``
int64 community labels. Errors go to stderr with exit status 1.
"""

from __future__ import annotations

import contextlib
import json
import random
import sys

import numpy as np
import scipy.sparse as sp


def symmetrize_matrix(A: sp.csr_matrix, symmetrize: str, weighted: bool) -> sp.csr_matrix:
    """The symmetric matrix ``W`` of ``A`` (directed, no self-loops) under a ``symmetrize`` rule.

    See :mod:`graphinflu.metrics.communities` for the rules.
    """
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
    return W.astype(np.float64)


def igraph_undirected(W: sp.csr_matrix):
    """An undirected igraph built once from the upper triangle of ``W``, plus its edge weights
    (``None`` when every weight is 1, so igraph takes its faster unweighted path)."""
    import igraph as ig

    T = sp.triu(W, k=1).tocoo()
    # int64 rows in row order: igraph's constructor is fastest on sorted, native-width input
    edges = np.empty((T.nnz, 2), dtype=np.int64)
    edges[:, 0] = T.row
    edges[:, 1] = T.col
    G = ig.Graph(n=W.shape[0], edges=edges, directed=False)
    w = T.data.astype(float)
    return G, (None if np.all(w == 1.0) else w)


@contextlib.contextmanager
def seeded(seed: int):
    """Seed igraph's random source (Python's ``random`` module) and restore the caller's state after."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def run_igraph(G, w, *, method: str, resolution: float, seed: int, n_iterations: int) -> np.ndarray:
    """Leiden (modularity objective) or Louvain on an igraph from :func:`igraph_undirected`."""
    with seeded(int(seed)):
        if method == "leiden":
            part = G.community_leiden(objective_function="modularity", weights=w, resolution=float(resolution),
                                      n_iterations=int(n_iterations))
        else:
            part = G.community_multilevel(weights=w, resolution=float(resolution))
    return np.asarray(part.membership, dtype=np.int64)


# ----------------------------------------------------------------------------- worker process
def _read_exact(stream, nbytes: int) -> bytearray:
    buf = bytearray(nbytes)
    view = memoryview(buf)
    got = 0
    while got < nbytes:
        k = stream.readinto(view[got:])
        if not k:
            raise EOFError(f"input ended after {got} of {nbytes} bytes")
        got += k
    return buf


def _serve(stdin, stdout) -> None:
    head = json.loads(stdin.readline())
    arrays = [np.frombuffer(_read_exact(stdin, np.dtype(dt).itemsize * n), dtype=dt) for dt, n in head["arrays"]]
    p = head["params"]
    n = int(p["n"])
    data = arrays[2] if len(arrays) > 2 else np.ones(len(arrays[1]))
    A = sp.csr_matrix((data, arrays[1], arrays[0]), shape=(n, n))
    del arrays, data
    W = symmetrize_matrix(A, p["symmetrize"], p["weighted"])
    del A
    G, w = igraph_undirected(W)
    del W  # the igraph copy is all Leiden needs: keep the worker's peak memory low
    labels = run_igraph(G, w, method=p["method"], resolution=p["resolution"], seed=p["seed"],
                        n_iterations=p["n_iterations"])
    stdout.write(json.dumps({"length": len(labels)}).encode() + b"\n")
    stdout.write(memoryview(np.ascontiguousarray(labels, dtype=np.int64)).cast("B"))
    stdout.flush()


if __name__ == "__main__":
    try:
        _serve(sys.stdin.buffer, sys.stdout.buffer)
    except BaseException as exc:  # the parent reads the last stderr line as the reason
        import traceback

        traceback.print_exc()
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
