"""Benchmark: `graphinflu analyze` against a plain NetworkX pipeline and the fastest library calls.

For each size (follow edges) it generates data with `graphinflu generate`, then measures, each in a
fresh process (wall time, interpreter start-up included, and peak resident memory: the larger of
the biggest process's own peak and the whole process tree sampled every 50 ms, so that a step run
in a child process could not hide its memory):

* ``graphinflu analyze`` on the follow edge list (with profiles),
* a plain NetworkX pipeline doing the same work (pandas read of edges and profiles, DiGraph,
  PageRank, HITS, Louvain, per-community size/density/conductance, tiers and micro targets from
  the profiles, top-100 overlap with Python sets, CSV out), capped by ``--nx-timeout``,
* the limit: the fastest calls for the same steps, timed one after the other inside one process
  (pyarrow parse + dictionary encoding, scipy CSR, scipy PageRank power iteration, ARPACK HITS,
  symmetrization, Leiden with the modularity objective — the faster of igraph's community_leiden
  (graph build included) and graphinflu's compiled kernel, both reported — and scipy B·Bᵀ
  overlap), plus start-up: the wall time of a process that only starts the interpreter, imports
  those libraries, loads the compiled Leiden kernels and exits.

Usage::

    python bench/bench_analyze.py                     # 100k, 1M, 10M edges
    python bench/bench_analyze.py --sizes 100000 1000000 --nx-timeout 300
    python bench/bench_analyze.py --sizes 10000000 --leiden-iterations 1

Targets (2 cores): 1M edges < 4 s, 10M < 30 s and < 4 GB; analyze ≤ 1.5 × limit + start-up;
≥ 8× faster than NetworkX at 1M edges and ≥ 15× at 10M.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

MEASURE = textwrap.dedent(
    """
    import json, os, resource, subprocess, sys, threading, time

    def tree_rss_kb(root):
        # resident memory of the process and all its descendants (none today; a safeguard)
        total, todo = 0, [root]
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/status") as fh:
                    total += next(int(l.split()[1]) for l in fh if l.startswith("VmRSS:"))
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as fh:
                        todo += [int(c) for c in fh.read().split()]
            except (OSError, StopIteration):
                pass
        return total

    t = time.perf_counter()
    p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    def sample():
        while p.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(p.pid))
            time.sleep(0.05)
    threading.Thread(target=sample, daemon=True).start()
    try:
        _, err = p.communicate(timeout=float(sys.argv[1]))
        rc, err = p.returncode, err.decode(errors="replace")[-2000:]
    except subprocess.TimeoutExpired:
        p.kill(); p.wait()
        rc, err = "timeout", ""
    wall = time.perf_counter() - t
    single_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest single process
    print(json.dumps({"wall_s": wall, "peak_mb": max(peak[0], single_kb) / 1024, "rc": rc, "stderr": err}))
    """
)

NX_PIPELINE = textwrap.dedent(
    """
    import sys, pandas as pd, networkx as nx
    path, profiles, out = sys.argv[1], sys.argv[2], sys.argv[3]
    df = pd.read_csv(path, dtype=str)
    prof = pd.read_csv(profiles, dtype={"id": str}).set_index("id")
    G = nx.from_pandas_edgelist(df, "source", "target", create_using=nx.DiGraph)
    pr = nx.pagerank(G, alpha=0.85, tol=1e-10, max_iter=1000)
    hubs, auth = nx.hits(G, max_iter=1000, tol=1e-10)
    U = G.to_undirected()
    comms = nx.community.louvain_communities(U, seed=0)
    member = {v: i for i, c in enumerate(comms) for v in c}
    summary = pd.DataFrame([(len(c), nx.density(U.subgraph(c)), nx.conductance(U, c) if len(c) < len(U) else float("nan"))
                            for c in comms], columns=["size", "density", "conductance"])
    acc = pd.DataFrame({"pagerank": pr, "authority": auth, "community": member}).join(prof)
    acc["tier"] = pd.cut(acc["followers"].fillna(0), [0, 1000, 50000, float("inf")], right=False,
                         labels=["nano", "micro", "macro"])
    targets = acc[acc["tier"] == "micro"].sort_values("pagerank", ascending=False)
    top = sorted(G.nodes, key=G.in_degree, reverse=True)[:100]
    aud = {c: set(G.predecessors(c)) for c in top}
    rows = [(a, b, len(aud[a] & aud[b])) for i, a in enumerate(top) for b in top[i + 1:]]
    union = len(set().union(*aud.values()))
    acc.to_csv(out + "/nx_accounts.csv")
    summary.to_csv(out + "/nx_communities.csv")
    targets.to_csv(out + "/nx_targets.csv")
    pd.DataFrame(rows, columns=["a", "b", "shared"]).to_csv(out + "/nx_overlap.csv", index=False)
    """
)

# what the limit imports and loads before its first call; timed as a whole process for start-up
IMPORTS = ("import numpy as np, pyarrow as pa, pyarrow.csv as pacsv, pyarrow.compute as pc, scipy.sparse as sp; "
           "from graphinflu.metrics._leiden import leiden, warm_up; warm_up()")

LIMIT = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    IMPORTS
    t_import = time.perf_counter() - t0
    path = sys.argv[1]
    T = {}
    t = time.perf_counter()
    tab = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types={"source": pa.string(), "target": pa.string()}))
    enc = pc.dictionary_encode(pa.chunked_array(tab["source"].chunks + tab["target"].chunks)).combine_chunks()
    codes = enc.indices.to_numpy(); m = tab.num_rows; n = len(enc.dictionary)
    s, d = codes[:m], codes[m:]
    T["parse"] = time.perf_counter() - t
    t = time.perf_counter()
    A = sp.csr_matrix((np.ones(m), (s, d)), shape=(n, n)); A.sum_duplicates()
    T["csr"] = time.perf_counter() - t
    t = time.perf_counter()
    out = np.asarray(A.sum(axis=1)).ravel(); dang = out == 0
    P = sp.diags(np.divide(1.0, out, out=np.zeros(n), where=~dang)) @ A
    PT = P.T.tocsr(); x = np.full(n, 1.0 / n)
    for _ in range(200):
        xn = 0.85 * (PT @ x + x[dang].sum() / n) + 0.15 / n
        if np.abs(xn - x).sum() < n * 1e-10: break
        x = xn
    T["pagerank"] = time.perf_counter() - t
    t = time.perf_counter()
    import scipy.sparse.linalg as sla
    _, _, vt = sla.svds(A, k=1, tol=1e-10, v0=np.full(n, 1.0 / n))  # ARPACK beats the power iteration
    a = np.abs(vt[0]); h = A @ a
    T["hits"] = time.perf_counter() - t
    t = time.perf_counter()
    U = (A + A.T).tocsr(); U.data[:] = 1.0
    T["symmetrize"] = time.perf_counter() - t
    t = time.perf_counter()
    import igraph as ig  # only the comparison needs it: its import counts in its time
    C = sp.triu(U, k=1).tocoo()
    g = ig.Graph(n=n, edges=np.column_stack([C.row, C.col]).astype(np.int64))
    ig.set_random_number_generator(__import__("random").Random(0))
    part = g.community_leiden(objective_function="modularity", n_iterations=int(sys.argv[2]))
    leiden_igraph = time.perf_counter() - t
    # graphinflu's own compiled Leiden (same objective and iterations); the faster of the two counts
    t = time.perf_counter()
    leiden(U, seed=0, n_iterations=int(sys.argv[2]))
    leiden_graphinflu = time.perf_counter() - t
    T["leiden"] = min(leiden_igraph, leiden_graphinflu)
    t = time.perf_counter()
    indeg = np.asarray(A.sum(axis=0)).ravel(); top = np.argsort(-indeg)[:100]
    B = A[:, top].T.tocsr(); S = B @ B.T
    T["overlap"] = time.perf_counter() - t
    T["total"] = sum(T.values()); T["imports"] = t_import
    T["leiden_igraph"] = leiden_igraph; T["leiden_graphinflu"] = leiden_graphinflu
    print(json.dumps(T))
    """
).replace("IMPORTS", IMPORTS)


def measure(cmd: list[str], timeout: float) -> dict:
    res = subprocess.run([sys.executable, "-c", MEASURE, str(timeout), *cmd], capture_output=True, text=True)
    return json.loads(res.stdout)


def networkx_run(follows: Path, profiles: Path, out: Path, timeout: float, reuse: bool) -> dict:
    """The NetworkX pipeline's measurement; with ``reuse``, the last one stored for the same data
    and the same pipeline text (it does not depend on graphinflu, and takes minutes at 10M)."""
    import hashlib

    key = hashlib.sha256((NX_PIPELINE + str(follows.stat().st_size) + str(profiles.stat().st_size)).encode()).hexdigest()
    store = out / "networkx-timing.json"
    if reuse and store.exists():
        saved = json.loads(store.read_text())
        if saved.get("key") == key:
            return {**saved, "reused": True}
    res = measure([sys.executable, "-c", NX_PIPELINE, str(follows), str(profiles), str(out)], timeout)
    if res["rc"] == 0:
        store.write_text(json.dumps({**res, "key": key}))
    return res


def run_size(n_edges: int, nx_timeout: float, reps: int, iterations: int, reuse_nx: bool = False) -> dict:
    gen_dir = OUT / f"gen-{n_edges}"
    follows = gen_dir / "follows.csv"
    if not follows.exists():
        subprocess.run([sys.executable, "-m", "graphinflu", "generate", "--edges", str(n_edges), "--seed", "1", "-o", str(gen_dir), "-q"],
                       check=True)
    profiles = next(gen_dir.glob("profiles.*"))
    # start-up: a whole process that starts the interpreter, imports what the limit imports, loads
    # the compiled Leiden kernels and exits (analyze pays for its exit too, so that counts)
    startup = min(measure([sys.executable, "-c", IMPORTS], 60)["wall_s"] for _ in range(3))
    analyze = []
    for _ in range(reps):
        r = measure([sys.executable, "-m", "graphinflu", "analyze", str(follows), "--profiles", str(profiles), "--no-map", "-q",
                     "--leiden-iterations", str(iterations), "-o", str(gen_dir / "analyze-out")], 3600)
        if r["rc"] != 0:
            raise SystemExit(f"analyze failed: {r['stderr']}")
        analyze.append(r)
    best = min(analyze, key=lambda r: r["wall_s"])
    limit = json.loads(subprocess.run([sys.executable, "-c", LIMIT, str(follows), str(iterations)], capture_output=True, text=True,
                                      check=True).stdout)
    (gen_dir / "nx").mkdir(exist_ok=True)
    nx = networkx_run(follows, profiles, gen_dir / "nx", nx_timeout, reuse_nx)
    row = {
        "edges": n_edges,
        "leiden_iterations": iterations,
        "analyze_s": round(best["wall_s"], 2),
        "analyze_peak_mb": round(best["peak_mb"]),
        "limit_s": round(limit["total"], 2),
        "limit_steps_s": {k: round(v, 3) for k, v in limit.items()},
        "startup_s": round(startup, 2),
        "analyze_over_limit": round(best["wall_s"] / limit["total"], 2),
        "analyze_over_limit_plus_startup": round(best["wall_s"] / (limit["total"] + startup), 2),
        "networkx_s": round(nx["wall_s"], 1) if nx["rc"] == 0 else f"> {nx_timeout:.0f} ({nx['rc']})",
        "networkx_peak_mb": round(nx["peak_mb"]),
        "networkx_reused": bool(nx.get("reused")),
        "speedup_vs_networkx": (round(nx["wall_s"] / best["wall_s"], 1) if nx["rc"] == 0
                                else f"> {nx_timeout / best['wall_s']:.1f}"),
    }
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    ap.add_argument("--nx-timeout", type=float, default=900.0, help="Seconds before the NetworkX run is stopped.")
    ap.add_argument("--reps", type=int, default=3, help="analyze runs per size (best is reported).")
    ap.add_argument("--reuse-networkx", action="store_true",
                    help="Reuse the last NetworkX measurement of the same data and pipeline (bench/out/gen-N/nx/).")
    ap.add_argument("--leiden-iterations", type=int, default=2,
                    help="Leiden iterations, for analyze and the limit alike (analyze's default is 2).")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    rows = []
    for n in args.sizes:
        row = run_size(n, args.nx_timeout, args.reps, args.leiden_iterations, args.reuse_networkx)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(f"{'edges':>11} {'analyze s':>10} {'peak MB':>8} {'limit s':>8} {'analyze/limit':>13} "
          f"{'a/(limit+start)':>15} {'networkx s':>12} {'speed-up':>9}")
    for r in rows:
        print(f"{r['edges']:>11,} {r['analyze_s']:>10} {r['analyze_peak_mb']:>8} {r['limit_s']:>8} "
              f"{r['analyze_over_limit']:>13} {r['analyze_over_limit_plus_startup']:>15} {str(r['networkx_s']):>12} "
              f"{str(r['speedup_vs_networkx']):>9}")


if __name__ == "__main__":
    main()
