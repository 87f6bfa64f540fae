"""Load a graph and the caller's per-account table into a store, in batches of
``UNWIND $rows AS row MERGE ...``; pushing the same data twice changes nothing.

The row builders (:func:`account_rows`, :func:`follow_rows`, :func:`interaction_rows`,
:func:`overlap_rows`, :func:`property_rows`) turn graphinflu's tables into the ``$rows`` the
``load_*`` / ``write_*`` files of the Cypher library expect: plain Python values only, property
keys from :func:`~graphinflu.store.model.property_names`.
"""

from __future__ import annotations

import hashlib
import json
import numbers
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from ..errors import InputError, StoreError
from ..graph import Graph, check_kind
from ..params import _Params
from .backends import Store, WriteCounts
from .catalog import get_query
from .model import LIST_PROPERTIES, REL_TYPES, epoch_datetime, list_value, plain_value, property_names

__all__ = ["MetricsRun", "metrics_run", "DEFAULT_BATCH", "ProgressFn", "PushReport", "FindingsParams", "push", "account_rows", "follow_rows",
           "interaction_rows", "overlap_rows", "property_rows", "column_values", "follow_ids", "kind_edges", "align_metrics"]

DEFAULT_BATCH = 20_000
ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FindingsParams(_Params):
    """What is written beside the graph (``neo4j push`` / ``neo4j export``, computed by
    :func:`graphinflu.analysis.store_findings`).

    Parameters
    ----------
    with_metrics : bool
        Write the account table's metrics (pagerank, tier, community, ...) onto the accounts.
    overlap_top : int
        ``SHARES_AUDIENCE`` between the N accounts with most followers (0: none).
    min_shared : int
        Only overlap pairs sharing at least this many followers (1 or more).

    >>> FindingsParams(overlap_top=0).as_dict()
    {'with_metrics': True, 'overlap_top': 0, 'min_shared': 1}
    """

    with_metrics: bool = True
    overlap_top: int = 100
    min_shared: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.with_metrics, bool):
            raise InputError(f"with_metrics must be True or False, not {self.with_metrics!r}")
        for name, low in (("overlap_top", 0), ("min_shared", 1)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < low:
                raise InputError(f"{name} must be a whole number ≥ {low}, not {v!r}")
            object.__setattr__(self, name, int(v))


@dataclass
class PushReport:
    """Rows sent and what the database changed, per step, plus timings."""

    rows: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    counts: WriteCounts = field(default_factory=WriteCounts)

    def rate(self, step: str) -> float:
        s = self.seconds.get(step, 0.0)
        return self.rows.get(step, 0) / s if s > 0 else float("nan")


# ---------------------------------------------------------------------------- rows
def column_values(s: pd.Series) -> list:
    """A column as plain Python values (categories as their labels, ``None`` for missing)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    return [plain_value(v) for v in s.tolist()]


def property_rows(df: pd.DataFrame, *, what: str = "account table") -> list[dict]:
    """``[{id, props}]`` rows from a DataFrame indexed by id; null values are left out, list
    columns (:data:`~graphinflu.store.model.LIST_PROPERTIES`) become lists of text.

    Property keys come from :func:`~graphinflu.store.model.property_names` (sanitised, never
    ``id``); the values travel as the ``$rows`` parameter, never as Cypher text.
    """
    names = property_names(df.columns, what=what)
    columns = [(name, [list_value(v) for v in column_values(df[c])] if str(c) in LIST_PROPERTIES
                else column_values(df[c])) for c, name in names.items()]
    out = []
    for i, id_ in enumerate(df.index.astype(str).tolist()):
        props = {}
        for name, col in columns:
            v = col[i]
            if v is not None:
                props[name] = v
        out.append({"id": id_, "props": props})
    return out


def account_rows(graph: Graph) -> list[dict]:
    """``[{id, props}]`` for :file:`load_accounts.cypher`: the handle and every profile column.

    A handle equal to the id is the filler :class:`Graph` puts where no handle was loaded; it is
    left out, so pushing a bare edge list does not overwrite handles stored by an earlier push.
    """
    rows = property_rows(graph.accounts, what="profile table")
    for r in rows:
        if r["props"].get("handle") == r["id"]:
            del r["props"]["handle"]
    return rows


def _endpoint_ids(graph: Graph, source: np.ndarray, target: np.ndarray) -> tuple[list, list]:
    ids = graph.ids.to_numpy(dtype=object)
    return ids[source].tolist(), ids[target].tolist()


def follow_ids(graph: Graph) -> tuple[list, list]:
    """``(follower ids, followed ids)`` of every follow, as plain Python lists."""
    s, t, _ = graph.edge_arrays("follows")
    return _endpoint_ids(graph, s, t)


def follow_rows(graph: Graph) -> list[dict]:
    """``[{s, t}]`` (follower id, followed id) for :file:`load_follows.cypher`."""
    return [{"s": a, "t": b} for a, b in zip(*follow_ids(graph))]


def kind_edges(graph: Graph, kind: str) -> tuple[list, list, list, list]:
    """``(source ids, target ids, weights, timestamps)`` of the edges of one kind, as plain
    Python lists (``None`` where a weight or time is missing)."""
    check_kind(kind)
    e = graph.edges[(graph.edges["kind"] == kind).to_numpy()]
    src, dst = _endpoint_ids(graph, e["source"].to_numpy(), e["target"].to_numpy())
    w = [plain_value(x) for x in e["weight"].tolist()]
    ts = [plain_value(x) for x in e["timestamp"].tolist()] if "timestamp" in e else [None] * len(e)
    return src, dst, w, ts


def interaction_rows(graph: Graph, kind: str, *, temporal: bool = False) -> list[dict]:
    """``[{s, t, w, ts}]`` for :file:`load_interactions.cypher` (one kind). ``ts`` is epoch
    seconds, or with ``temporal`` (Neo4j: :attr:`Store.temporal <graphinflu.store.backends.Store.temporal>`)
    a UTC ``datetime`` at millisecond precision (:func:`~graphinflu.store.model.epoch_datetime`),
    which the driver stores as a Neo4j ``datetime``."""
    src, dst, w, ts = kind_edges(graph, kind)
    if temporal:
        ts = [epoch_datetime(t) for t in ts]
    return [{"s": a, "t": b, "w": ww, "ts": tt} for a, b, ww, tt in zip(src, dst, w, ts)]


def overlap_rows(pairs: pd.DataFrame) -> list[dict]:
    """``[{a, b, shared, jaccard, overlap_coefficient}]`` with ``a < b`` (ids), for
    :file:`write_overlap.cypher`, from :func:`graphinflu.metrics.overlap.overlap_pairs`."""
    need = {"creator_a", "creator_b", "shared", "jaccard", "overlap_coefficient"}
    missing = need - set(pairs.columns)
    if missing:
        raise InputError(f"overlap table lacks column(s) {sorted(missing)}",
                         hint="pass the output of graphinflu.metrics.overlap.overlap_pairs")
    a = pairs["creator_a"].astype(str).to_numpy()
    b = pairs["creator_b"].astype(str).to_numpy()
    lo, hi = np.where(a < b, a, b), np.where(a < b, b, a)
    return [{"a": x, "b": y, "shared": int(s), "jaccard": plain_value(j), "overlap_coefficient": plain_value(o)}
            for x, y, s, j, o in zip(lo.tolist(), hi.tolist(), pairs["shared"].tolist(),
                                     pairs["jaccard"].tolist(), pairs["overlap_coefficient"].tolist())]


def align_metrics(graph: Graph, metrics: pd.DataFrame) -> pd.DataFrame:
    """The caller's per-account table with string ids; rows for accounts not in ``graph`` are an
    :class:`~graphinflu.errors.InputError` (they were computed on another graph)."""
    m = metrics.copy()
    m.index = m.index.astype(str)
    unknown = ~m.index.isin(graph.ids)
    if unknown.any():
        raise InputError(f"{int(unknown.sum())} metric rows are for accounts not in the graph "
                         f"(e.g. {list(m.index[unknown][:3])})", hint="compute the metrics on the same graph")
    return m


# ---------------------------------------------------------------------------- runs
@dataclass(frozen=True)
class MetricsRun:
    """The analysis that computed the metrics a push writes: ``id`` (a digest of the graph and
    the parameters) and ``params`` (JSON-able). Stored on every account as ``graphinflu_run`` and
    ``graphinflu_params``."""

    id: str
    params: dict


def metrics_run(graph: Graph, **params) -> MetricsRun:
    """The :class:`MetricsRun` of metrics computed on ``graph`` with ``params`` (parameter
    objects are given as their ``as_dict()``): the same graph and parameters give the same id, so
    pushing them again is the same run.

    >>> from graphinflu.graph import Graph
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    >>> metrics_run(g, seed=0).id == metrics_run(g, seed=0).id != metrics_run(g, seed=1).id
    True
    """
    plain = {k: (v.as_dict() if hasattr(v, "as_dict") else v) for k, v in params.items()}
    h = hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode())
    h.update("\0".join(graph.ids.astype(str)).encode())
    for col in ("source", "target"):
        h.update(np.ascontiguousarray(graph.edges[col].to_numpy(np.int64)).tobytes())
    h.update("\0".join(graph.edges["kind"].astype(str)).encode())
    return MetricsRun(h.hexdigest()[:16], plain)


def _check_runs(store: Store, ids: list, run: MetricsRun, overwrite: bool) -> None:
    if overwrite:
        return
    other = store.run(get_query("metrics_runs").statement, {"ids": ids, "run": run.id})
    if len(other):
        r = other.iloc[0]
        raise StoreError(
            f"{int(other['accounts'].sum()):,} accounts in {store.target} hold metrics of another analysis "
            f"(run {r['run']}, parameters {r['params']}); this push (run {run.id}) would overwrite them",
            hint="push with --overwrite to replace them, or push into another database (--database)")


# ---------------------------------------------------------------------------- push
def _batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _send(store: Store, statement: str, rows: list, step: str, batch_size: int, report: PushReport,
          progress: ProgressFn | None) -> None:
    t0 = time.perf_counter()
    done = 0
    if progress:
        progress(step, 0, len(rows))
    for batch in _batches(rows, batch_size):
        report.counts.add(store.write(statement, {"rows": batch}))
        done += len(batch)
        if progress:
            progress(step, done, len(rows))
    report.rows[step] = report.rows.get(step, 0) + len(rows)
    report.seconds[step] = report.seconds.get(step, 0.0) + time.perf_counter() - t0


def push(
    store: Store,
    graph: Graph,
    *,
    metrics: pd.DataFrame | None = None,
    overlap: pd.DataFrame | None = None,
    batch_size: int = DEFAULT_BATCH,
    schema: bool = True,
    progress: ProgressFn | None = None,
    run: MetricsRun | None = None,
    overwrite: bool = False,
) -> PushReport:
    """Load ``graph`` (accounts, follows, interactions), then ``metrics`` (the caller's
    per-account table: a DataFrame indexed by account id; each column becomes a property) and
    ``overlap`` (pairs from :func:`~graphinflu.metrics.overlap.overlap_pairs`, as
    ``SHARES_AUDIENCE``) into ``store``.

    Order: schema, accounts, follows, each interaction kind, metrics, overlap; each in batches
    of ``batch_size`` rows, one transaction per batch. Everything is a MERGE on the account id
    (and the relationship between two accounts), with ``SET`` of the same values, so a second
    push of the same data changes nothing, and a push that failed half-way can simply be run
    again. ``progress(step, rows_done, rows_total)`` is called after every batch.

    Column names become property keys through
    :func:`~graphinflu.store.model.property_names`; a column that would write ``id``, or two that
    become the same key, are an :class:`~graphinflu.errors.InputError` before anything is sent (as
    are metric rows for accounts not in ``graph`` and an overlap table without its columns).

    With ``run`` (:func:`metrics_run`), every metric row also stores ``graphinflu_run`` and
    ``graphinflu_params``, and metrics of another run already on those accounts are a
    :class:`~graphinflu.errors.StoreError` before anything is written, unless ``overwrite``.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise InputError(f"batch size must be a positive integer, not {batch_size!r}")
    accounts = account_rows(graph)
    metric_rows = (property_rows(align_metrics(graph, metrics), what="metrics table")
                   if metrics is not None and len(metrics.columns) else None)
    pairs = overlap_rows(overlap) if overlap is not None and len(overlap) else None
    if metric_rows is not None and run is not None:
        _check_runs(store, [r["id"] for r in metric_rows], run, overwrite)
        tag = {"graphinflu_run": run.id, "graphinflu_params": json.dumps(run.params, sort_keys=True, default=str)}
        for r in metric_rows:
            r["props"].update(tag)
    report = PushReport()
    if schema:
        store.setup_schema()
    _send(store, get_query("load_accounts").statement, accounts, "accounts", batch_size, report, progress)
    if "follows" in graph.kinds_present():
        _send(store, get_query("load_follows").statement, follow_rows(graph), "follows", batch_size, report,
              progress)
    inter = get_query("load_interactions")
    for kind in graph.kinds_present():
        if kind == "follows":
            continue
        _send(store, inter.render(rel_type=REL_TYPES[kind]), interaction_rows(graph, kind, temporal=store.temporal),
              kind, batch_size, report, progress)
    if metric_rows is not None:
        _send(store, get_query("write_metrics").statement, metric_rows, "metrics", batch_size, report, progress)
    if pairs is not None:
        _send(store, get_query("write_overlap").statement, pairs, "overlap", batch_size, report, progress)
    return report
