"""The whole analysis, from a loaded graph to the tables a strategist reads.

``analyze`` computes; ``write_analysis`` writes every table atomically plus a run manifest
(input hashes, parameters, versions, seed). The CLI's ``analyze`` and ``demo`` are thin wrappers.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from ._io import atomic_write
from .graph import INTERACTION_KINDS, Graph
from .output import write_table


#: The steps of :func:`analyze`, in order (each reported to ``progress``).
ANALYSIS_STEPS = ("authority", "tiers", "communities", "targets", "overlap", "shortlist")


@dataclass
class Analysis:
    """Every table ``graphinflu analyze`` writes (see README, "Outputs")."""

    accounts: pd.DataFrame
    communities: pd.DataFrame
    targets: pd.DataFrame
    overlap_pairs: pd.DataFrame | None
    overlap_creators: pd.DataFrame | None
    overlap_summary: pd.DataFrame | None
    overlap_histogram: pd.DataFrame | None
    shortlist: pd.DataFrame | None
    cha_agreement: pd.DataFrame | None
    creators: list[str]
    parameters: dict
    timings: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def analyze(
    graph: Graph,
    *,
    posts: pd.DataFrame | None = None,
    seeds: list[str] | None = None,
    method: str = "leiden",
    resolution: float = 1.0,
    seed: int = 0,
    symmetrize: str = "collapse",
    n_iterations: int = 2,
    tier: str = "micro",
    overlap_top: int = 100,
    shortlist_k: int = 20,
    progress=None,
) -> Analysis:
    """Authority, communities, tiers and engagement, targets, overlap and a shortlist.

    Parameters
    ----------
    graph : Graph
        Follow edges (and optionally interactions and profiles).
    posts : DataFrame, optional
        Per-post ``owner``, ``likes``, ``comments`` for engagement rates.
    seeds : list of str, optional
        A brand's accounts or target audience: adds ``audience_match`` (personalized PageRank).
    method, resolution, seed, symmetrize, n_iterations
        Community detection, see :func:`graphinflu.metrics.communities.communities`.
    tier : str
        The tier the targets and the shortlist are drawn from (default ``micro``).
    overlap_top : int
        Audience overlap is computed among this many top targets.
    shortlist_k : int
        Creators picked by the reach-optimal shortlist among the top targets.
    progress : callable, optional
        ``progress(label)`` returns a context manager around each step (the CLI prints timings).
    """
    from contextlib import nullcontext

    from .metrics import authority, communities as comm, overlap, shortlist as sl, targets as tg, tiers

    step = progress or (lambda label: nullcontext())
    timings: dict[str, float] = {}

    def timed(label):
        class _T:
            def __enter__(self_inner):
                self_inner.cm = step(label)
                self_inner.cm.__enter__()
                self_inner.t = time.perf_counter()

            def __exit__(self_inner, *exc):
                timings[label] = round(time.perf_counter() - self_inner.t, 4)
                return self_inner.cm.__exit__(*exc)

        return _T()

    has_follows = "follows" in graph.kinds_present()
    kinds = "follows" if has_follows else list(INTERACTION_KINDS)
    if seeds:
        graph.positions(seeds)  # unknown brand accounts fail now, before community detection starts
    # Leiden runs in a thread (its compiled kernels release the GIL) while authority is computed here;
    # if anything fails meanwhile, leaving the block stops it
    pending = comm.start_communities(graph, method=method, resolution=resolution, seed=seed,
                                     symmetrize=symmetrize, kinds=kinds, n_iterations=n_iterations)
    with pending:
        with timed("authority"):
            parts = [authority.pagerank(graph, kinds=kinds), authority.hits(graph, kinds=kinds),
                     authority.indegree(graph, kinds=kinds)]
            if any(k in graph.kinds_present() for k in INTERACTION_KINDS):
                if has_follows:
                    parts.append(authority.interaction_pagerank(graph))
                parts.append(authority.cha_signals(graph))
            if seeds:
                parts.append(authority.personalized_pagerank(graph, seeds, kinds=kinds).rename(columns={"ppr": "audience_match"}))
            acc = pd.concat(parts, axis=1)
            acc = acc.loc[:, ~acc.columns.duplicated()]
        with timed("tiers"):
            acc = pd.concat([graph.accounts[["handle"]], tiers.tiers(graph), acc], axis=1)
            if posts is not None:
                eng = tiers.engagement(graph, posts)
                acc = acc.join(eng[[c for c in eng.columns if c not in acc.columns]])
            prof = [c for c in graph.accounts.columns if c not in acc.columns]
            acc = acc.join(graph.accounts[prof])
        with timed("communities"):
            membership = pending.result()
            acc["community"] = membership["community"]
            summary = comm.community_summary(graph, membership, authority=acc["pagerank"], symmetrize=symmetrize,
                                              kinds=kinds)
            if "niche_label" in summary:
                acc["niche_label"] = summary["niche_label"].reindex(acc["community"].to_numpy()).to_numpy()
    with timed("targets"):
        targ = tg.targets(acc, tier=tier)
    notes: list[str] = []
    pairs = per_creator = set_summary = hist = short = None
    if has_follows:
        with timed("overlap"):
            # overlap needs an audience: creators without followers in the graph are left out
            with_audience = targ[targ["indegree"] > 0]
            creators = list(with_audience.index[:overlap_top])
            if len(creators) < 2:
                ranked = acc[acc["indegree"] > 0].sort_values("indegree", ascending=False, kind="stable")
                creators = list(ranked.index[: max(overlap_top, 2)])
            pairs = overlap.overlap_pairs(graph, creators, allow_empty=True)
            per_creator = overlap.overlap_creators(graph, creators, allow_empty=True)
            set_summary = overlap.overlap_summary(graph, creators, allow_empty=True)
            hist = overlap.frequency_histogram(graph, creators, allow_empty=True)
        with timed("shortlist"):
            k = min(shortlist_k, len(creators))
            short = sl.shortlist(graph, k=k, candidates=creators, allow_empty=True)
    else:
        # audiences are follower lists: with interactions alone there is nothing to overlap
        creators = list(targ.index[:overlap_top])
        notes.append("no follow edges: audience overlap and the shortlist need a follower list (FILE), "
                     "so they were not computed; authority and communities used the interactions")
    agreement = None
    if {"reach", "amplification", "conversation"} <= set(acc.columns):
        agreement = authority.cha_agreement(graph)
    params = dict(method=method, resolution=resolution, seed=seed, symmetrize=symmetrize, n_iterations=n_iterations,
                  tier=tier, overlap_top=overlap_top, shortlist_k=shortlist_k, seeds=list(seeds or []))
    return Analysis(acc, summary, targ, pairs, per_creator, set_summary, hist, short, agreement, creators, params,
                    timings, notes)


def file_sha256(path) -> str | None:
    if path is None or str(path) == "-":
        return None
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hash_inputs(inputs: dict):
    """Start hashing the input files (role → path) in a thread; returns a future of role → sha256.

    hashlib releases the GIL, so the hashes are ready by the time the tables are written.
    """
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1, thread_name_prefix="graphinflu-hash")
    future = pool.submit(lambda: {role: file_sha256(p) for role, p in inputs.items() if p is not None})
    pool.shutdown(wait=False)  # the thread finishes the job, then ends
    return future


def _versions() -> dict:
    import importlib.metadata as md

    out = {"python": platform.python_version(), "graphinflu": __version__}
    for pkg in ("numpy", "scipy", "pandas", "pyarrow", "networkx", "igraph", "numba", "click"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    return out


#: The files ``write_analysis`` writes, by table name (format suffix appended).
TABLES = ("accounts", "communities", "targets", "overlap_pairs", "overlap_creators", "overlap_summary",
          "overlap_histogram", "shortlist", "cha_agreement")


def write_analysis(result: Analysis, out_dir, *, inputs: dict, graph: Graph, fmt: str = "csv",
                   command: str = "analyze", extra_files: dict | None = None, hashes=None) -> dict:
    """Write every table of ``result`` into ``out_dir`` (each atomically) and ``manifest.json`` last.

    Returns the manifest. The manifest is written only after every table succeeded, so a folder
    with a manifest is complete. ``extra_files`` (name → file name, e.g. the map the caller wrote
    into ``out_dir`` before) are listed in the manifest too. ``hashes`` is what
    :func:`hash_inputs` returned for ``inputs``, if the caller started it early.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    suffix = {"table": "txt"}.get(fmt, fmt)
    files = {}
    for name in TABLES:
        df = getattr(result, name)
        if df is None:
            continue
        path = out / f"{name}.{suffix}"
        write_table(df, path, fmt)
        files[name] = path.name
    files.update(extra_files or {})
    sha = (hashes or hash_inputs(inputs)).result()
    manifest = {
        "command": command,
        "graphinflu": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "inputs": {role: {"path": str(p), "sha256": sha[role]} for role, p in inputs.items() if p is not None},
        "parameters": result.parameters,
        "seed": result.parameters.get("seed"),
        "versions": _versions(),
        "graph": {"accounts": graph.n_accounts, "edges": graph.n_edges,
                  "edges_by_kind": {k: int(v) for k, v in graph.edges["kind"].value_counts().items() if v}},
        "skipped": graph.report.lines(),
        "notes": result.notes,
        "timings_s": result.timings,
        "files": files,
    }
    with atomic_write(out / "manifest.json", "w") as fh:
        json.dump(manifest, fh, indent=1, default=lambda o: o.item() if isinstance(o, np.generic) else str(o))
        fh.write("\n")
    return manifest
