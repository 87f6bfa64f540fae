"""The canonical graph: one account table and one typed edge table.

Every loader produces a :class:`Graph`; every engine (NetworkX, igraph, scipy.sparse, Neo4j,
FalkorDB, the HTML maps) consumes one. Engine objects are built once per graph and cached.

Conventions
-----------
* ``graph.accounts`` is a DataFrame indexed by account id (``str``), with a ``handle`` column and
  whatever profile columns were loaded (``followers``, ``following``, ``posts``, ``category``, ...).
* ``graph.edges`` has one row per distinct ``(source, target, kind)``:

  ``source``, ``target``
      int32 row positions into ``graph.accounts`` (use :meth:`Graph.edge_table` for ids).
  ``kind``
      categorical, one of :data:`KINDS`.
  ``weight``
      float64; 1.0 for follows, the summed weight (count of interactions) otherwise.
  ``timestamp``
      optional float64 epoch seconds; the latest timestamp of the aggregated rows.

* A follow edge points from the follower to the followed account, so in-degree is audience.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._report import LoadReport
from .errors import InputError, UnknownAccountError
from .identity import Identity

#: Edge kinds graphinflu knows. The allow-list for Neo4j relationship types derives from it.
KINDS: tuple[str, ...] = (
    "follows",
    "mentions",
    "replies",
    "reposts",
    "likes",
    "comments",
    "tags",
    "sponsors",
)
INTERACTION_KINDS: tuple[str, ...] = KINDS[1:]

_KIND_DTYPE = pd.CategoricalDtype(list(KINDS))

# pandas 3 always copies on write; pandas 2 only when asked to (its option exists up to 2.x)
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3 or getattr(pd.options.mode, "copy_on_write", False) is True


def _as_kinds(kinds: str | Iterable[str] | None) -> tuple[str, ...]:
    if kinds is None:
        return KINDS
    if isinstance(kinds, str):
        kinds = (kinds,)
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise InputError(f"unknown edge kind(s) {bad}", hint=f"use one of: {', '.join(KINDS)}")
    return kinds


def check_kind(kind: str) -> str:
    """Return ``kind`` if it is in :data:`KINDS`, else raise :class:`InputError`."""
    return _as_kinds(kind)[0]


class Graph:
    """Accounts plus typed, weighted edges. Treat it as immutable: methods return new graphs.

    Parameters
    ----------
    accounts : DataFrame
        Indexed by account id (converted to ``str``); a ``handle`` column is added if missing.
    edges : DataFrame
        ``source``, ``target`` (row positions into ``accounts``), ``kind``, ``weight`` and
        optionally ``timestamp``. Use :meth:`from_codes` or :meth:`from_pandas` to build one from
        raw rows: they aggregate duplicates and drop self-loops with a report.
    report : LoadReport, optional
        What loading skipped or merged.
    """

    def __init__(self, accounts: pd.DataFrame, edges: pd.DataFrame, report: LoadReport | None = None):
        accounts = accounts.copy(deep=False)
        accounts.index = _id_index(accounts.index)
        if "handle" not in accounts.columns:
            accounts.insert(0, "handle", accounts.index.to_numpy())
        if isinstance(edges.index, pd.RangeIndex) and edges.index.start == 0 and edges.index.step == 1:
            # a shallow copy shares no data only under copy-on-write (always on from pandas 3)
            edges = edges.copy(deep=not _COPY_ON_WRITE)
        else:
            edges = edges.reset_index(drop=True)  # a new frame
        # columns already of the right type are kept as they are: no copy of 10M-row arrays
        for col, dtype in (("source", np.int32), ("target", np.int32), ("weight", np.float64)):
            if edges[col].dtype != dtype:
                edges[col] = edges[col].to_numpy(dtype)
        if edges["kind"].dtype != _KIND_DTYPE:
            edges["kind"] = edges["kind"].astype(_KIND_DTYPE)
        self.accounts = accounts
        self.edges = edges
        self.report = report if report is not None else LoadReport()
        self._cache: dict = {}

    # ----------------------------------------------------------------------------- building
    @classmethod
    def from_codes(
        cls,
        ids: Sequence | pd.Index,
        source: np.ndarray,
        target: np.ndarray,
        kind: str | np.ndarray = "follows",
        weight: np.ndarray | None = None,
        timestamp: np.ndarray | None = None,
        *,
        accounts: pd.DataFrame | None = None,
        name: str = "edges",
        keep_self_loops: bool = False,
        report: LoadReport | None = None,
    ) -> "Graph":
        """Build a graph from integer endpoint codes into ``ids``.

        Duplicate ``(source, target, kind)`` rows are merged: follows keep weight 1, other kinds
        sum their weights; the latest timestamp is kept. Self-loops are dropped unless
        ``keep_self_loops``. Both are counted in ``graph.report`` under ``name``.
        """
        report = report if report is not None else LoadReport()
        ids = _id_index(ids)
        n = len(ids)
        src = np.asarray(source, dtype=np.int64)
        dst = np.asarray(target, dtype=np.int64)
        m = len(src)
        w = None if weight is None else np.asarray(weight, dtype=np.float64)
        if isinstance(kind, str):
            kcodes = np.full(m, KINDS.index(check_kind(kind)), dtype=np.int8)
        else:
            kcodes = pd.Index(KINDS).get_indexer(np.asarray(kind, dtype=object))
            if (kcodes < 0).any():
                bad = sorted(set(pd.Series(kind)[kcodes < 0].astype(str)))[:5]
                raise InputError(f"{name}: unknown edge kind(s) {bad}", hint=f"use one of: {', '.join(KINDS)}")
            kcodes = kcodes.astype(np.int8)
        if not keep_self_loops:
            loops = src == dst
            nloops = int(loops.sum())
            if nloops:
                report.add(name, nloops, "self-loops dropped (an account cannot follow or mention itself)")
                keep = ~loops
                src, dst, kcodes = src[keep], dst[keep], kcodes[keep]
                w = None if w is None else w[keep]
                if timestamp is not None:
                    timestamp = np.asarray(timestamp)[keep]
        parts = []
        mats = {}
        present = np.flatnonzero(np.bincount(kcodes, minlength=len(KINDS)))
        for k in present:
            sel = slice(None) if len(present) == 1 else kcodes == k
            s, d = src[sel], dst[sel]
            kind_name = KINDS[k]
            ww = np.ones(len(s)) if (w is None or kind_name == "follows") else w[sel]
            mat = sp.csr_matrix((ww, (s, d)), shape=(n, n))
            mat.sum_duplicates()
            dup = len(s) - mat.nnz
            if dup:
                what = "duplicate follow rows merged" if kind_name == "follows" else f"repeated {kind_name} rows summed into weights"
                report.add(name, dup, what)
            if kind_name == "follows":
                mat.data[:] = 1.0
            mats[kind_name] = mat
            rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(mat.indptr))
            part = pd.DataFrame({"source": rows, "target": mat.indices.astype(np.int32), "weight": mat.data})
            part["kind"] = pd.Categorical.from_codes(np.full(len(part), k, dtype=np.int8), dtype=_KIND_DTYPE)
            if timestamp is not None:
                ts = pd.DataFrame({"s": s, "d": d, "t": pd.to_numeric(np.asarray(timestamp)[sel], errors="coerce")})
                latest = ts.groupby(["s", "d"], sort=True)["t"].max()
                # csr order is (row, col) sorted, as is the groupby result
                part["timestamp"] = latest.to_numpy(np.float64)
            parts.append(part)
        cols = ["source", "target", "kind", "weight"] + (["timestamp"] if timestamp is not None else [])
        edges = pd.concat(parts, ignore_index=True)[cols] if parts else _empty_edges(timestamp is not None)
        if accounts is None:
            accounts = pd.DataFrame(index=ids)
        else:
            accounts = accounts.reindex(ids)
        graph = cls(accounts, edges, report)
        if len(mats) == 1:
            # the aggregation already built the adjacency: keep it instead of building it again
            (kind_name, mat), = mats.items()
            graph._cache[("adj", (kind_name,), True)] = mat
            if kind_name == "follows":
                graph._cache[("adj", (kind_name,), False)] = mat
        return graph

    @classmethod
    def from_pandas(
        cls,
        df: pd.DataFrame,
        source: str = "source",
        target: str = "target",
        kind: str | None = None,
        weight: str | None = None,
        timestamp: str | None = None,
        *,
        default_kind: str = "follows",
        accounts: pd.DataFrame | None = None,
        name: str = "edges",
        keep_self_loops: bool = False,
    ) -> "Graph":
        """Build a graph from a DataFrame of id pairs (the NetworkX ``from_pandas_edgelist`` shape).

        >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}))
        >>> g.n_accounts, g.n_edges
        (3, 2)
        """
        for col in (source, target, kind, weight, timestamp):
            if col is not None and col not in df.columns:
                raise InputError(f"{name}: column {col!r} not found; columns are {list(df.columns)}")
        s = df[source].astype(str).to_numpy()
        t = df[target].astype(str).to_numpy()
        codes, uniques = pd.factorize(np.concatenate([s, t]))
        ids = pd.Index(uniques)
        if accounts is not None:
            extra = accounts.index.astype(str)
            ids = ids.append(extra[~extra.isin(ids)])
        m = len(s)
        return cls.from_codes(
            ids,
            codes[:m],
            codes[m:],
            kind=default_kind if kind is None else df[kind].astype(str).to_numpy(),
            weight=None if weight is None else pd.to_numeric(df[weight]).to_numpy(np.float64),
            timestamp=None if timestamp is None else df[timestamp].to_numpy(),
            accounts=None if accounts is None else _index_str(accounts),
            name=name,
            keep_self_loops=keep_self_loops,
        )

    # ----------------------------------------------------------------------------- views
    @property
    def ids(self) -> pd.Index:
        """Account ids, in row order (``edges.source`` and ``edges.target`` index into this)."""
        return self.accounts.index

    @property
    def n_accounts(self) -> int:
        return len(self.accounts)

    @property
    def n_edges(self) -> int:
        return len(self.edges)

    def kinds_present(self) -> list[str]:
        """Edge kinds that have at least one edge, in :data:`KINDS` order."""
        counts = np.bincount(self.edges["kind"].cat.codes.to_numpy(), minlength=len(KINDS))
        return [k for k, c in zip(KINDS, counts) if c]

    def positions(self, accounts: Iterable, *, missing: str = "raise", what: str = "accounts") -> np.ndarray:
        """Row positions of ``accounts``, resolved by :mod:`graphinflu.identity`'s one rule: exact
        id first, else handle (any case, leading ``@`` and surrounding spaces ignored).

        An unknown account raises :class:`UnknownAccountError` naming every one (``what`` says
        what they are), or gets position -1 with ``missing="skip"``. A handle several accounts
        share raises :class:`~graphinflu.errors.AmbiguousAccountError` listing their ids.
        """
        if isinstance(accounts, (pd.Series, pd.Index, np.ndarray)):  # str() of each, without a Python loop
            wanted = pd.Index(pd.Series(np.asarray(accounts, dtype=object)).astype(str).to_numpy(dtype=object),
                              dtype=object)
        else:
            wanted = pd.Index([str(a) for a in accounts], dtype=object)
        pos = self.ids.get_indexer(wanted)
        miss = pos < 0
        if miss.any():
            key = ("identity", id(self.accounts))  # handles are normalised once per account table
            if key not in self._cache:
                self._cache[key] = Identity.of_accounts(self.accounts)
            res = self._cache[key].require(wanted[miss], what=what)
            pos[miss] = np.where(res.resolved, self.ids.get_indexer(pd.Index(res.ids, dtype=object)), -1)
            miss = pos < 0
        if miss.any() and missing == "raise":
            raise UnknownAccountError(list(pd.unique(wanted[miss])), what=what)
        return pos

    def edge_arrays(self, kinds: str | Iterable[str] = "follows") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(source, target, weight)`` arrays of the edges of the given kinds."""
        kinds = _as_kinds(kinds)
        key = ("arrays", kinds)
        if key not in self._cache:
            e = self.edges
            if set(kinds) >= set(self.kinds_present()):
                sel = slice(None)
                self._cache[key] = (e["source"].to_numpy(), e["target"].to_numpy(), e["weight"].to_numpy())
            else:
                sel = e["kind"].isin(kinds).to_numpy()
                self._cache[key] = (e["source"].to_numpy()[sel], e["target"].to_numpy()[sel], e["weight"].to_numpy()[sel])
        return self._cache[key]

    def adjacency(self, kinds: str | Iterable[str] = "follows", *, weighted: bool = False) -> sp.csr_matrix:
        """Sparse ``n × n`` matrix with ``A[i, j]`` = weight of ``i → j`` (summed over ``kinds``).

        Built once per ``(kinds, weighted)`` and cached; do not modify it in place.
        """
        kinds = _as_kinds(kinds)
        key = ("adj", kinds, weighted)
        if key not in self._cache:
            s, t, w = self.edge_arrays(kinds)
            data = w if weighted else np.ones(len(s))
            mat = sp.csr_matrix((data, (s, t)), shape=(self.n_accounts, self.n_accounts))
            mat.sum_duplicates()
            if not weighted:
                mat.data[:] = 1.0
            self._cache[key] = mat
        return self._cache[key]

    def to_igraph(self, kinds: str | Iterable[str] = "follows", *, weighted: bool = False):
        """An ``igraph.Graph`` (directed) over every account, vertex ``i`` = ``ids[i]``; cached.

        Parallel edges of several kinds are merged, weights summed, when ``weighted``.
        """
        kinds = _as_kinds(kinds)
        key = ("igraph", kinds, weighted)
        if key not in self._cache:
            if len(kinds) == 1:
                s, t, w = self.edge_arrays(kinds)
                if not weighted:
                    w = None
            else:
                coo = self.adjacency(kinds, weighted=weighted).tocoo()
                s, t, w = coo.row, coo.col, (coo.data if weighted else None)
            g = ig.Graph(n=self.n_accounts, edges=np.column_stack([s, t]).astype(np.int64), directed=True)
            if w is not None:
                g.es["weight"] = np.asarray(w, dtype=float)
            self._cache[key] = g
        return self._cache[key]

    def to_networkx(self, kinds: str | Iterable[str] | None = "follows", *, multigraph: bool = False):
        """A NetworkX graph keyed by account id, with profile columns as node attributes.

        With one kind (the default, follows) it is a ``DiGraph`` with a ``weight`` attribute.
        With ``kinds=None`` (all) or several kinds it is a ``MultiDiGraph`` keyed by kind when
        ``multigraph`` is true, else a ``DiGraph`` whose weights are summed over the kinds.
        """
        kinds = _as_kinds(kinds)
        ids = self.ids.to_numpy()
        G = nx.MultiDiGraph() if multigraph else nx.DiGraph()
        attrs = self.accounts.astype(object).where(self.accounts.notna(), None)
        G.add_nodes_from((i, {k: v for k, v in row.items() if v is not None}) for i, row in zip(ids, attrs.to_dict("records")))
        e = self.edges[self.edges["kind"].isin(kinds)]
        s, t = ids[e["source"].to_numpy()], ids[e["target"].to_numpy()]
        if multigraph:
            ts = e["timestamp"].to_numpy() if "timestamp" in e else [None] * len(e)
            G.add_edges_from(
                (a, b, k, {"weight": float(w), **({"timestamp": float(x)} if x is not None and x == x else {})})
                for a, b, k, w, x in zip(s, t, e["kind"].astype(str), e["weight"], ts)
            )
        else:
            agg = pd.DataFrame({"s": s, "t": t, "w": e["weight"].to_numpy()}).groupby(["s", "t"], sort=False)["w"].sum()
            G.add_weighted_edges_from((a, b, float(w)) for (a, b), w in agg.items())
        return G

    def edge_table(self, kinds: str | Iterable[str] | None = None) -> pd.DataFrame:
        """Edges with account ids in ``source``/``target`` instead of row positions."""
        kinds = _as_kinds(kinds)
        e = self.edges[self.edges["kind"].isin(kinds)] if set(kinds) != set(KINDS) else self.edges
        ids = self.ids.to_numpy()
        out = e.copy()
        out["source"] = ids[e["source"].to_numpy()]
        out["target"] = ids[e["target"].to_numpy()]
        out["kind"] = out["kind"].astype(str)
        return out.reset_index(drop=True)

    # ----------------------------------------------------------------------------- combining
    def merge(self, other: "Graph") -> "Graph":
        """Union of two graphs: accounts joined by id (profile columns from ``other`` fill gaps),
        edges concatenated and re-aggregated."""
        ids = self.ids.append(other.ids[~other.ids.isin(self.ids)])
        remap = ids.get_indexer(other.ids).astype(np.int32)
        acc = _combine(self.accounts.reindex(ids), other.accounts.reindex(ids))
        oe = other.edges.copy()
        oe["source"] = remap[oe["source"].to_numpy()]
        oe["target"] = remap[oe["target"].to_numpy()]
        report = LoadReport(list(self.report.items) + list(other.report.items))
        same_kinds = set(self.kinds_present()) & set(other.kinds_present())
        edges = pd.concat([self.edges, oe], ignore_index=True)
        if same_kinds:
            has_ts = "timestamp" in edges
            return Graph.from_codes(
                ids,
                edges["source"].to_numpy(),
                edges["target"].to_numpy(),
                kind=edges["kind"].astype(str).to_numpy(),
                weight=edges["weight"].to_numpy(),
                timestamp=edges["timestamp"].to_numpy() if has_ts else None,
                accounts=acc,
                name="merge",
                report=report,
            )
        return Graph(acc, edges, report)

    def with_accounts(self, profiles: pd.DataFrame) -> "Graph":
        """Add profile columns (a DataFrame indexed by id); accounts not yet present are appended."""
        profiles = _index_str(profiles)
        extra = profiles.index[~profiles.index.isin(self.ids)]
        ids = self.ids.append(extra)
        acc = _combine(profiles.reindex(ids), self.accounts.reindex(ids))
        acc = acc[list(self.accounts.columns) + [c for c in profiles.columns if c not in self.accounts.columns]]
        if "handle" in acc:
            acc["handle"] = acc["handle"].where(acc["handle"].notna(), pd.Series(acc.index, index=acc.index))
        return Graph(acc, self.edges, self.report)

    def relabel(self, new_ids: Sequence, *, name: str = "relabel") -> "Graph":
        """The graph with account ``i`` renamed ``new_ids[i]``; accounts given the same id become
        one (profile columns: the first non-missing value, in row order), and their edges are
        re-aggregated as :meth:`from_codes` does (self-loops that appear are dropped, counted under
        ``name``). Returns ``self`` when no id changes."""
        new = np.asarray(new_ids, dtype=object)
        if len(new) != self.n_accounts:
            raise InputError(f"{name}: {len(new)} new ids for {self.n_accounts} accounts")
        if (new == self.ids.to_numpy(dtype=object)).all():
            return self
        codes, uniques = pd.factorize(new)
        ids = _id_index(uniques)
        acc = self.accounts.groupby(codes, sort=True).first()
        acc.index = ids
        acc = acc.reindex(columns=self.accounts.columns)
        e = self.edges
        return Graph.from_codes(
            ids, codes[e["source"].to_numpy()], codes[e["target"].to_numpy()],
            kind=e["kind"].astype(str).to_numpy(), weight=e["weight"].to_numpy(),
            timestamp=e["timestamp"].to_numpy() if "timestamp" in e else None,
            accounts=acc, name=name, report=LoadReport(list(self.report.items)),
        )

    def __repr__(self) -> str:
        kinds = ", ".join(f"{k}={v:,}" for k, v in self.edges["kind"].value_counts().items() if v)
        return f"<Graph {self.n_accounts:,} accounts, {self.n_edges:,} edges ({kinds})>"


def _combine(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Columns of both frames (same index); where both have a column, ``first``'s values win and
    ``second`` fills its gaps. Column order: ``first``'s, then those only ``second`` has."""
    out = first.copy()
    for col in second.columns:
        out[col] = out[col].where(out[col].notna(), second[col]) if col in out.columns else second[col]
    return out


def _id_index(values) -> pd.Index:
    """Account ids as an object-dtype Index named ``id``.

    Object dtype on purpose: pandas' Arrow-backed string index answers ``isin`` and alignment
    checks element by element in Python (seconds at 100k accounts); the object index hashes in C.
    """
    if isinstance(values, pd.Index) and values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values.rename("id") if values.name != "id" else values  # already ids: no conversion
    arr = pd.Index(values).astype(str).to_numpy(dtype=object)
    return pd.Index(arr, dtype=object, name="id")


def _index_str(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy(deep=False)
    df.index = _id_index(df.index)
    return df


def _empty_edges(with_ts: bool = False) -> pd.DataFrame:
    d = {
        "source": np.zeros(0, np.int32),
        "target": np.zeros(0, np.int32),
        "kind": pd.Categorical([], dtype=_KIND_DTYPE),
        "weight": np.zeros(0),
    }
    if with_ts:
        d["timestamp"] = np.zeros(0)
    return pd.DataFrame(d)
