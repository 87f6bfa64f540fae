"""The whole analysis, from a loaded graph to the tables a strategist reads.

``analyze`` computes; ``write_analysis`` writes every table atomically plus a run manifest
(input hashes, parameters, versions, seed). The CLI's ``analyze`` and ``demo`` are thin wrappers.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata as md
import json
import platform
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from . import __version__
from ._io import atomic_write, prepare_output_dir
from ._time import parse_instant, post_times
from .accounts import Progress, account_table, metric_kinds, store_columns
from .errors import InputError
from .graph import KINDS, Graph
from .maps import select_creators
from .metrics import authority, communities as comm, overlap, shortlist as sl, targets as tg
from .metrics import stability as stab
from .metrics import upset
from .output import write_table
from .params import CommunityParams, EngagementParams, LoadOptions, TargetParams
from .store.push import FindingsParams


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
    #: :func:`~graphinflu.metrics.stability.niche_stability`'s summary (None: not measured).
    stability: dict | None = None
    #: :func:`~graphinflu.metrics.upset.audience_intersections` of the shortlist's first creators
    #: (the report's UpSet view; None without a shortlist).
    shortlist_intersections: pd.DataFrame | None = None


class _Timed:
    """Wraps a ``progress`` reporter so that every step's wall time lands in ``timings``."""

    def __init__(self, progress: Progress | None, timings: dict[str, float]):
        self.progress, self.timings = progress, timings

    @contextmanager
    def __call__(self, label: str):
        with (self.progress(label) if self.progress else nullcontext()):
            t0 = time.perf_counter()
            try:
                yield
            finally:
                self.timings[label] = round(time.perf_counter() - t0, 4)


def analyze(
    graph: Graph,
    *,
    posts: pd.DataFrame | None = None,
    niches: CommunityParams | None = None,
    target: TargetParams | None = None,
    progress: Progress | None = None,
    engagement: EngagementParams | None = None,
    stability_runs: int | None = None,
) -> Analysis:
    """Authority, communities, tiers and engagement, targets, overlap and a shortlist.

    Parameters
    ----------
    graph : Graph
        Follow edges (and optionally interactions and profiles).
    posts : DataFrame, optional
        Per-post ``owner``, ``likes``, ``comments`` for engagement rates.
    niches : CommunityParams, optional
        How niches are found (default ``CommunityParams()``: Leiden, resolution 1, seed 0).
    target : TargetParams, optional
        The tier targets are drawn from, the brand's seed accounts (they add ``audience_match``),
        how many top targets the overlap compares and how many the shortlist picks.
    progress : callable, optional
        ``progress(label)`` returns a context manager around each step of :data:`ANALYSIS_STEPS`.
    engagement : EngagementParams, optional
        With ``posts``: the recency window (``since``/``until``) and the benchmark platform
        (default ``EngagementParams()``: every post, Instagram); recorded in the manifest as
        ``parameters["engagement"]``, and ``notes`` counts the posts the window left out.
    stability_runs : int, optional
        Seeds :func:`~graphinflu.metrics.stability.niche_stability` compares (adds the
        ``niche_stability`` column to ``accounts``, a ``stability`` column to ``communities``
        and ``stability`` to the result); 0 = off; ``None`` (default) = :func:`auto_stability_runs`.

    Returns
    -------
    Analysis
        ``accounts`` is :func:`graphinflu.accounts.account_table`; ``targets`` is
        :func:`graphinflu.metrics.targets.targets` over it; overlap and the shortlist are
        computed among the top ``target.overlap_top`` targets that have followers (the most
        followed accounts when fewer than two targets do). Without follow edges there is no
        audience to overlap: those tables are ``None`` and ``notes`` says so.
    """
    niches = niches or CommunityParams()
    target = target or TargetParams()
    if target.cost_col is not None and target.cost_col not in graph.accounts.columns:
        raise InputError(f"cost column {target.cost_col!r} is not in the profiles",
                         hint="profile columns are: " + (", ".join(map(str, graph.accounts.columns)) or "none")
                              + "; load --profiles with a cost column, or use --tier-costs")
    timings: dict[str, float] = {}
    timed = _Timed(progress, timings)
    engagement = engagement or EngagementParams()
    require_posts_for_window(engagement, posts is not None)
    table = account_table(graph, posts=posts, niches=niches, seeds=target.seeds, tier_bounds=target.tier_bounds,
                          progress=timed, engagement=engagement, brand=target.brand)
    acc = table.accounts
    stability, stability_notes = niche_stability_of(graph, table, niches, stability_runs, timings)
    with timed("targets"):
        brand = graph.ids[graph.positions(target.seeds)] if target.seeds else None
        targ = tg.targets(acc, tier=target.tier, exclude=brand, weights=None if target.weights is None
                          else dict(target.weights), niches=target.niches, categories=target.categories)
    notes: list[str] = ([n for n in (tier_source_note(acc), window_note(posts, acc, engagement)) if n]
                        + list((table.brand or {}).get("notes", [])) + stability_notes)
    pairs = per_creator = set_summary = hist = short = intersections = None
    if "follows" in graph.kinds_present():
        with timed("overlap"):
            creators = overlap_creators_of(acc, targ, target.overlap_top)
            pairs = overlap.overlap_pairs(graph, creators, allow_empty=True)
            per_creator = overlap.overlap_creators(graph, creators, allow_empty=True)
            set_summary = overlap.overlap_summary(graph, creators, allow_empty=True)
            hist = overlap.frequency_histogram(graph, creators, allow_empty=True)
        with timed("shortlist"):
            size = target.shortlist_size
            costs = target.cost_col or (dict(target.tier_costs) or None)
            short = sl.shortlist(graph, k=None if size is None else min(size, len(creators)), budget=target.budget,
                                 costs=costs, tiers=acc["tier"], candidates=creators, allow_empty=True)
            intersections = upset.audience_intersections(graph, short.index[:upset.MAX_CREATORS])
    else:
        creators = list(targ.index[:target.overlap_top])
        notes.append("no follow edges: audience overlap and the shortlist need a follower list (FILE), "
                     "so they were not computed; authority and communities used the interactions")
    agreement = None
    if {"reach", "amplification", "conversation"} <= set(acc.columns):
        agreement = authority.cha_agreement(graph)
    params = {**niches.as_dict(), "tier": target.tier, "overlap_top": target.overlap_top,
              "shortlist_k": target.shortlist_size, "seeds": list(target.seeds),
              "weights": targ.attrs.get("weights", {})}
    for name in ("niches", "categories", "budget", "cost_col", "tier_costs"):  # recorded when given
        value = getattr(target, name)
        if value:
            params[name] = value if not isinstance(value, tuple) else [list(v) if isinstance(v, tuple) else v
                                                                       for v in value]
    if niches.method == "cpm":  # the absolute density threshold the resolution stood for
        params["cpm_threshold"] = comm.cpm_threshold(graph, resolution=niches.resolution, symmetrize=niches.symmetrize,
                                                     kinds=table.kinds, weight=niches.weight)
    if target.tier_bounds != TargetParams().tier_bounds:  # recorded when not the default (keeps old manifests)
        params["tier_bounds"] = [list(b) for b in target.tier_bounds]
    if posts is not None:  # the window and the benchmark platform shape every engagement column
        params["engagement"] = engagement.as_dict()
    if target.brand:  # the brand target as stated, and what it became on this graph
        params["brand"] = {**target.brand.as_dict(),
                           "found": {k: v for k, v in (table.brand or {}).items() if k != "notes" and v}}
    return Analysis(acc, table.communities, targ, pairs, per_creator, set_summary, hist, short, agreement, creators,
                    params, timings, notes, stability, shortlist_intersections=intersections)


#: ``analyze`` measures niche stability by itself on graphs with at most this many edges (of the
#: kinds niches are found on): at 1M follow edges on 2 cores each extra Leiden run costs ~1 s.
AUTO_STABILITY_MAX_EDGES = 500_000


def auto_stability_runs(graph: Graph, requested: int | None = None) -> int:
    """Runs ``analyze`` compares: ``requested`` when given (0 = off), else
    :data:`~graphinflu.metrics.stability.STABILITY_RUNS` on graphs with at most
    :data:`AUTO_STABILITY_MAX_EDGES` edges of the kinds niches are found on, else 0."""
    if requested is not None:
        return int(requested)
    kinds = metric_kinds(graph)
    counts = np.bincount(graph.edges["kind"].cat.codes.to_numpy(), minlength=len(KINDS))  # ~10 ms at 10M edges
    n_edges = int(sum(c for k, c in zip(KINDS, counts) if k in ([kinds] if isinstance(kinds, str) else kinds)))
    return stab.STABILITY_RUNS if n_edges <= AUTO_STABILITY_MAX_EDGES else 0


def niche_stability_of(graph: Graph, table, niches: CommunityParams, runs: int | None,
                       timings: dict) -> tuple[dict | None, list[str]]:
    """Niche stability for ``analyze``: adds ``niche_stability`` to ``table.accounts`` and
    ``stability`` (its mean over each niche's accounts) to ``table.communities``, times it into
    ``timings`` and returns (summary or None, notes)."""
    n = auto_stability_runs(graph, runs)
    if n == 0:
        if runs is None:
            return None, [f"niche stability was not measured on a graph this large (more than "
                          f"{AUTO_STABILITY_MAX_EDGES:,} edges): --stability-runs {stab.STABILITY_RUNS} measures it "
                          "(each run costs about as much as the communities step)"]
        return None, []
    t0 = time.perf_counter()
    per, summary = stab.niche_stability(graph, niches, runs=n, kinds=table.kinds,
                                        reference=table.accounts["community"])
    table.accounts["niche_stability"] = per["niche_stability"]
    table.communities["stability"] = per["niche_stability"].groupby(table.accounts["community"]).mean()
    timings["niche_stability"] = round(time.perf_counter() - t0, 4)
    return summary, [line for line in (stab.stability_line(summary), stab.stability_note(summary)) if line]


def tier_source_note(accounts: pd.DataFrame) -> str | None:
    """A warning when tiers rest on in-degree inside the sample rather than profile follower
    counts: a creator with 40,000 real followers but 30 in the sample is 'nano' there."""
    if "followers_source" not in accounts.columns or not len(accounts):
        return None
    inferred = (accounts["followers_source"].astype(str) == "follow_indegree").to_numpy()
    if not inferred.any():
        return None
    share = inferred.mean()
    what = "every account" if share == 1 else f"{inferred.sum():,} accounts ({share:.0%})"
    return (f"tiers of {what} come from followers inside this sample (follow in-degree), not from profile "
            "follower counts: real creators may be tiered far too low; give --profiles with a followers column "
            "(followers_source says which count each account's tier used)")


def require_posts_for_window(engagement: EngagementParams | None, has_posts: bool) -> None:
    """Refuse a ``--since``/``--until`` window without posts: it would be ignored without a word."""
    if engagement is not None and engagement.window and not has_posts:
        raise InputError("--since/--until count posts, but no posts table was given",
                         hint="add --posts FILE (with a timestamp column), or drop --since/--until")


def window_note(posts: pd.DataFrame | None, accounts: pd.DataFrame, engagement: EngagementParams) -> str | None:
    """What a ``--since``/``--until`` window counted: posts inside it, posts outside it, and posts
    without a timestamp (left out, never silently: ``posts_undated`` has them per account)."""
    if posts is None or not engagement.window or "posts_counted" not in accounts.columns:
        return None
    t = post_times(posts["timestamp"])
    low, high = (parse_instant(v) for v in (engagement.since, engagement.until))
    dated = ~np.isnan(t)
    with np.errstate(invalid="ignore"):
        outside = dated & ((t < (low if low is not None else -np.inf)) | (t >= (high if high is not None else np.inf)))
    return window_text(engagement, int(accounts["posts_counted"].sum()), int(outside.sum()), int((~dated).sum()))


def window_text(engagement: EngagementParams, counted: int, outside: int, undated: int) -> str:
    """The words of :func:`window_note` from its counts (the Spark engine counts them in Spark)."""
    span = f"from {engagement.since or 'the first post'} (included) to {engagement.until or 'the last post'} (excluded)"
    text = f"engagement counts {counted:,} posts {span}; {outside:,} posts fall outside the window"
    if undated:
        text += (f"; {undated:,} posts have no timestamp and were not counted (posts_undated gives them per account: "
                 "add timestamps to count them)")
    return text


def overlap_creators_of(accounts: pd.DataFrame, targets: pd.DataFrame, top: int) -> list[str]:
    """The creators whose audiences ``analyze`` compares: the ``top`` targets with followers in
    the graph, or, when fewer than two targets have any, the ``max(top, 2)`` most followed accounts
    (by follow in-degree, ties in account order)."""
    creators = list(targets.index[targets["indegree"] > 0][:top])
    if len(creators) < 2:
        ranked = accounts[accounts["indegree"] > 0].sort_values("indegree", ascending=False, kind="stable")
        creators = list(ranked.index[: max(top, 2)])
    return creators


def map_view(graph: Graph, accounts: pd.DataFrame, *, top: int = 500, creators: Iterable | None = None,
             brand: Iterable | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """What ``graphinflu map`` draws: the rows of ``accounts`` (an :func:`account_table`) for the
    creators :func:`graphinflu.maps.select_creators` picks, and their exact audience overlap
    (:func:`~graphinflu.metrics.overlap.overlap_pairs`; ``None`` with fewer than two creators or
    no follow edges)."""
    chosen = select_creators(accounts, graph, top=top, creators=creators, brand=brand)
    pairs = None
    if len(chosen) >= 2 and "follows" in graph.kinds_present():
        pairs = overlap.overlap_pairs(graph, chosen, allow_empty=True)
    return _with_target_scores(accounts, graph, brand).loc[chosen], pairs


def _with_target_scores(accounts: pd.DataFrame, graph: Graph, brand: Iterable | None) -> pd.DataFrame:
    """``accounts`` plus the targets' ``score``, ``rank`` and ``why`` (default target parameters), so
    that ``graphinflu map`` shows who to pick, as the map ``analyze`` writes does."""
    from .maps import with_targets  # here, not at the top: keeps this addition self-contained for merges
    if not {"pagerank", "community", "tier"} <= set(accounts.columns):
        return accounts
    exclude = graph.ids[graph.positions(brand)] if brand else None
    return with_targets(accounts, tg.targets(accounts, tier=TargetParams().tier, exclude=exclude))


def niche_table(graph: Graph, niches: CommunityParams | None = None, *, summary: bool = False) -> pd.DataFrame:
    """``graphinflu communities``: the niche of every account (``handle``, ``community``), or with
    ``summary`` one row per niche (:func:`~graphinflu.metrics.communities.community_summary`,
    top authorities by PageRank). Niches are found on follows, or on the interactions when the
    graph has no follows; ``niches.weight`` weighs the edges."""
    return niche_report(graph, niches, summary=summary).table


@dataclass
class NicheReport:
    """What ``graphinflu communities`` prints: the table, the stability summary (None when not
    measured) and the lines for stderr."""

    table: pd.DataFrame
    stability: dict | None = None
    notes: list[str] = field(default_factory=list)


def niche_report(graph: Graph, niches: CommunityParams | None = None, *, summary: bool = False,
                 stability_runs: int = 0) -> NicheReport:
    """:func:`niche_table`, plus with ``stability_runs`` ≥ 2 the niche stability over that many seeds
    (:func:`~graphinflu.metrics.stability.niche_stability`): a ``niche_stability`` column per
    account, or a ``stability`` column (mean over the niche's accounts) with ``summary``; the notes
    give ARI/NMI between the runs and warn when the niches change with the seed."""
    niches = niches or CommunityParams()
    kinds = metric_kinds(graph)
    # Leiden runs in a thread while PageRank (for the summary) is computed here
    with comm.start_communities(graph, niches, kinds=kinds) as pending:
        pr = authority.pagerank(graph, kinds=kinds)["pagerank"] if summary else None
        membership = pending.result()
    stability, notes, per = None, [], None
    if stability_runs:
        per, stability = stab.niche_stability(graph, niches, runs=stability_runs, kinds=kinds, reference=membership)
        notes = [n for n in (stab.stability_line(stability), stab.stability_note(stability)) if n]
    if summary:
        table = comm.community_summary(graph, membership, authority=pr, symmetrize=niches.symmetrize, kinds=kinds,
                                       weight=niches.weight)
        if per is not None:
            table["stability"] = per["niche_stability"].groupby(membership["community"]).mean()
        return NicheReport(table, stability, notes)
    table = membership.copy()
    table.insert(0, "handle", graph.accounts["handle"].reindex(table.index))
    if per is not None:
        table["niche_stability"] = per["niche_stability"]
    return NicheReport(table, stability, notes)


def store_findings(graph: Graph, *, posts: pd.DataFrame | None = None, niches: CommunityParams | None = None,
                   findings: FindingsParams | None = None,
                   progress: Progress | None = None) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """What ``neo4j push`` and ``neo4j export`` write beside the graph, as ``findings`` says
    (default :class:`~graphinflu.store.push.FindingsParams`): the account properties
    (:func:`graphinflu.accounts.store_columns` of the :func:`account_table`) and the audience
    overlap of the ``overlap_top`` accounts with most followers (``SHARES_AUDIENCE``; skipped
    below two accounts with followers, or without follow edges)."""
    findings = findings or FindingsParams()
    step = progress or (lambda label: nullcontext())
    metrics = pairs = None
    if findings.with_metrics:
        with step("computing authority, tiers, communities"):
            metrics = store_columns(account_table(graph, posts=posts, niches=niches).accounts)
    if findings.overlap_top and "follows" in graph.kinds_present():
        top = min(findings.overlap_top, int((overlap.audience_sizes(graph) > 0).sum()))
        if top >= 2:
            with step(f"computing audience overlap of the top {top} accounts"):
                pairs = overlap.overlap_pairs(graph, top=top, min_shared=findings.min_shared)
    return metrics, pairs


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
    pool = ThreadPoolExecutor(1, thread_name_prefix="graphinflu-hash")
    future = pool.submit(lambda: {role: file_sha256(p) for role, p in inputs.items() if p is not None})
    pool.shutdown(wait=False)  # the thread finishes the job, then ends
    return future


def brand_input_files(parameters: dict) -> dict[str, str]:
    """The brand target's own input file (``--brand-audience``), by role, as the manifest records inputs."""
    path = (parameters.get("brand") or {}).get("audience_file")
    return {"brand_audience": str(path)} if path else {}


def _versions() -> dict:
    out = {"python": platform.python_version(), "graphinflu": __version__}
    for pkg in ("numpy", "scipy", "pandas", "pyarrow", "networkx", "igraph", "numba", "click"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    return out


#: The files ``write_analysis`` writes, by table name (format suffix appended).
TABLES = ("accounts", "communities", "targets", "overlap_pairs", "overlap_creators", "overlap_summary",
          "overlap_histogram", "shortlist", "cha_agreement", "shortlist_intersections")


MANIFEST = "manifest.json"


def open_output_dir(out_dir) -> Path:
    """Get ``out_dir`` ready for a run, before any work starts: create it, prove it is writable
    (:func:`graphinflu._io.prepare_output_dir`) and remove an old ``manifest.json``, so that a
    folder holding a manifest is always one complete run, never old tables beside new ones."""
    out = prepare_output_dir(out_dir)
    with contextlib.suppress(FileNotFoundError):
        (out / MANIFEST).unlink()
    return out


@contextmanager
def output_folder(out_dir):
    """:func:`open_output_dir` for the length of a run; if the run fails and the folder did not
    exist before, it is removed again when empty, so a failed run leaves no empty folder behind."""
    existed = Path(out_dir).exists()
    out = open_output_dir(out_dir)
    try:
        yield out
    except BaseException:
        if not existed:
            with contextlib.suppress(OSError):  # rmdir only removes an empty folder
                out.rmdir()
        raise


def write_analysis(result: Analysis, out_dir, *, load: LoadOptions, graph: Graph, fmt: str = "csv",
                   command: str = "analyze", extra_files: dict | None = None,
                   hashes: Future | None = None) -> dict:
    """Write every table of ``result`` into ``out_dir`` (each atomically) and ``manifest.json`` last.

    Returns the manifest. Call :func:`open_output_dir` first: it removes an old manifest, and this
    writes the new one only after every table succeeded, so a folder with a manifest is complete.
    The manifest records the inputs (paths and SHA-256), every load, niche and target parameter,
    versions, what was skipped or changed while loading, notes and timings. ``extra_files``
    (name → file name, e.g. the map the caller wrote into ``out_dir`` before) are listed too.
    ``hashes`` is what :func:`hash_inputs` returned for ``load.paths()``, if the caller started it.
    """
    out = open_output_dir(out_dir)
    suffix = {"table": "txt"}.get(fmt, fmt)
    files = {name: f"{name}.{suffix}" for name in TABLES if getattr(result, name) is not None}
    # two at a time: pyarrow's CSV writer releases the GIL, and the accounts table is most of the work
    with ThreadPoolExecutor(2, thread_name_prefix="graphinflu-write") as pool:
        writes = [pool.submit(write_table, getattr(result, name), out / file, fmt) for name, file in files.items()]
        for done in writes:
            done.result()  # the first error, if any, after every write has ended
    files.update(extra_files or {})
    paths = {**load.paths(), **brand_input_files(result.parameters)}
    sha = dict(hashes.result()) if hashes is not None else {}
    missing = {role: p for role, p in paths.items() if role not in sha}
    if missing:
        sha.update(hash_inputs(missing).result())
    manifest = {
        "command": command,
        "graphinflu": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "inputs": {role: {"path": str(p), "sha256": sha[role]} for role, p in paths.items()},
        "load": load.as_dict(),
        "parameters": result.parameters,
        "seed": result.parameters.get("seed"),
        "versions": _versions(),
        "graph": {"accounts": graph.n_accounts, "edges": graph.n_edges,
                  "edges_by_kind": {k: int(v) for k, v in graph.edges["kind"].value_counts().items() if v}},
        "skipped": graph.report.lines(),
        "notes": result.notes,
        **({"niche_stability": result.stability} if result.stability is not None else {}),
        "timings_s": result.timings,
        "files": files,
    }
    with atomic_write(out / MANIFEST, "w") as fh:
        json.dump(manifest, fh, indent=1, default=lambda o: o.item() if isinstance(o, np.generic) else str(o))
        fh.write("\n")
    return manifest
