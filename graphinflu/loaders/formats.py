"""Graph files for Gephi, Cytoscape and NetworkX: GraphML, GEXF and node-link JSON, in and out.

Writers put every column of ``graph.accounts`` (profile columns and whatever metric columns the
caller joined: ``community``, ``pagerank``, ``tier``, ...) on the nodes with a fixed type per
column (integer → ``long``, float → ``double``, bool → ``boolean``, anything else → ``string``;
missing values are left out), and ``kind``, ``weight`` (and ``timestamp`` when present) on the
edges. Writes are atomic. Readers accept files written by graphinflu, NetworkX or Gephi.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import Iterable

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from .._io import (
    COMPRESSION_SUFFIXES,
    FileInfo,
    atomic_path,
    atomic_write,
    check_output_file,
    probe,
    strip_compression_suffix,
)
from .._report import LoadReport
from ..errors import InputError
from ..graph import KINDS, Graph
from .edges import DIRECTIONS, read_edges

__all__ = [
    "write_graphml", "read_graphml", "write_gexf", "read_gexf", "write_node_link_json", "read_node_link_json",
    "read_graph", "write_graph", "write_edge_table", "to_networkx_multigraph", "from_networkx",
]


# ----------------------------------------------------------------------------------- to networkx
def _column_values(col: pd.Series) -> list:
    """Plain Python values of one column, one type per column, ``None`` where missing."""
    dt = col.dtype
    mask = col.isna().to_numpy()
    if pd.api.types.is_bool_dtype(dt):
        vals = col.fillna(False).astype(bool).tolist()
    elif pd.api.types.is_integer_dtype(dt):
        vals = col.fillna(0).astype("int64").tolist()
    elif pd.api.types.is_float_dtype(dt):
        vals = col.astype("float64").tolist()
    else:
        vals = [str(v) for v in col.astype(object).where(~mask, "").tolist()]
    return [None if m else v for v, m in zip(vals, mask)] if mask.any() else vals


def _typed_column(values: list) -> pd.Series:
    """The inverse: a column of Python values (``None`` = missing) as bool / Int64 / float64 / str."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, (bool, np.bool_)) for v in present):
        return pd.Series(values, dtype="boolean")
    if present and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="Int64")
    if present and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in present):
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    return pd.Series([None if v is None else str(v) for v in values], dtype=object)


def _node_records(accounts: pd.DataFrame) -> list[dict]:
    cols = {str(c): _column_values(accounts[c]) for c in accounts.columns}
    names = list(cols)
    rows = zip(*(cols[c] for c in names)) if names else ([] for _ in range(len(accounts)))
    return [{k: v for k, v in zip(names, row) if v is not None} for row in rows]


def to_networkx_multigraph(graph: Graph, kinds: str | Iterable[str] | None = None):
    """A NetworkX ``DiGraph`` (or ``MultiDiGraph`` when one pair has edges of several kinds) with
    every account column as a typed node attribute and ``kind``, ``weight``, ``timestamp`` on edges."""
    e = graph.edge_table(kinds)
    multi = bool(e.duplicated(["source", "target"]).any())
    G = nx.MultiDiGraph() if multi else nx.DiGraph()
    G.graph["generator"] = f"graphinflu {__version__}"
    ids = graph.ids.to_numpy(dtype=object).tolist()
    G.add_nodes_from(zip(ids, _node_records(graph.accounts)))
    attrs = {"kind": e["kind"].astype(str).tolist(), "weight": e["weight"].astype(float).tolist()}
    if "timestamp" in e:
        attrs["timestamp"] = e["timestamp"].astype(float).tolist()
    names = list(attrs)
    edata = [{k: v for k, v in zip(names, row) if not (isinstance(v, float) and v != v)} for row in zip(*attrs.values())]
    if multi:
        G.add_edges_from((s, t, d["kind"], d) for s, t, d in zip(e["source"], e["target"], edata))
    else:
        G.add_edges_from(zip(e["source"], e["target"], edata))
    return G


# ----------------------------------------------------------------------------------- from networkx
def from_networkx(G, *, name: str = "graph", default_kind: str = "follows", keep_self_loops: bool = False) -> Graph:
    """A :class:`Graph` from a NetworkX graph: node attributes become account columns; edge
    ``kind`` (else the multigraph key when it is a known kind, else ``default_kind``), ``weight``
    (default 1) and ``timestamp``. An undirected graph's edges are read in both directions."""
    report = LoadReport()
    nodes = list(G.nodes)
    data = [d for _, d in G.nodes(data=True)]
    keys: dict[str, None] = {}
    for d in data:
        keys.update(dict.fromkeys(d))
    acc = pd.DataFrame({str(k): _typed_column([d.get(k) for d in data]) for k in keys if k != "id"})
    acc.index = pd.Index([str(n) for n in nodes], dtype=object)
    if "handle" not in acc.columns and "label" in acc.columns:
        acc = acc.rename(columns={"label": "handle"})
    if G.is_multigraph():
        rows = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
    else:
        rows = [(u, v, None, d) for u, v, d in G.edges(data=True)]
    src = [str(r[0]) for r in rows]
    dst = [str(r[1]) for r in rows]
    kinds = [str(r[3].get("kind", r[2] if r[2] in KINDS else default_kind)).lower() for r in rows]
    weights = pd.to_numeric(pd.Series([r[3].get("weight", 1.0) for r in rows], dtype=object), errors="coerce")
    nbad = int(weights.isna().sum())
    if nbad:
        report.add(name, nbad, "edges with a non-numeric weight read as weight 1")
        weights = weights.fillna(1.0)
    has_ts = any("timestamp" in r[3] for r in rows)
    ts = pd.to_numeric(pd.Series([r[3].get("timestamp") for r in rows], dtype=object), errors="coerce") if has_ts else None
    if not G.is_directed():
        report.add(name, len(rows), "undirected edges read in both directions")
        src, dst = src + dst, dst + src
        kinds = kinds + kinds
        weights = pd.concat([weights, weights], ignore_index=True)
        ts = None if ts is None else pd.concat([ts, ts], ignore_index=True)
    ids = pd.Index(acc.index)
    pos = ids.get_indexer(pd.Index(src + dst))
    s, t = pos[: len(src)], pos[len(src):]
    return Graph.from_codes(ids, s, t, kind=np.asarray(kinds, dtype=object), weight=weights.to_numpy(np.float64),
                            timestamp=None if ts is None else ts.to_numpy(np.float64), accounts=acc, name=name,
                            keep_self_loops=keep_self_loops, report=report)


# ----------------------------------------------------------------------------------- GraphML / GEXF
def write_graphml(graph: Graph, path: str | os.PathLike, *, kinds: str | Iterable[str] | None = None) -> None:
    """Write ``graph`` as GraphML (atomically). Node attributes: every account column, typed.

    >>> import tempfile, pathlib, networkx as nx
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> write_graphml(g, p)
    >>> sorted(nx.read_graphml(p).edges(data=True))
    [('a', 'b', {'kind': 'follows', 'weight': 1.0})]
    """
    G = to_networkx_multigraph(graph, kinds)
    with atomic_path(path) as tmp:
        nx.write_graphml(G, tmp, encoding="utf-8", prettyprint=True, named_key_ids=False)


def write_gexf(graph: Graph, path: str | os.PathLike, *, kinds: str | Iterable[str] | None = None) -> None:
    """Write ``graph`` as GEXF 1.2 for Gephi (atomically). Node ``label`` = ``handle``; every
    account column a typed node attribute; edge ``weight`` plus ``kind``/``timestamp`` attributes."""
    G = to_networkx_multigraph(graph, kinds)
    for n, d in G.nodes(data=True):
        if "handle" in d:
            d["label"] = d["handle"]
    with atomic_path(path) as tmp:
        nx.write_gexf(G, tmp, encoding="utf-8", prettyprint=True, version="1.2draft")


def _read_xml(path, reader, what: str, keep_self_loops: bool) -> Graph:
    info = probe(path)
    try:
        with contextlib.closing(info.open()) as fh:
            G = reader(fh)
    except InputError:
        raise
    except Exception as err:  # networkx raises several types (ParseError, NetworkXError, KeyError, zlib.error ...)
        raise InputError(f"not a readable {what} file: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}",
                         path=info.name, hint=f"check that the file is complete {what}") from err
    return from_networkx(G, name=info.name, keep_self_loops=keep_self_loops)


def read_graphml(path: str | os.PathLike, *, keep_self_loops: bool = False) -> Graph:
    """Read GraphML (any compression, ``-`` for stdin) into a :class:`Graph`; typed node data
    become account columns."""
    return _read_xml(path, lambda fh: nx.read_graphml(fh, node_type=str), "GraphML", keep_self_loops)


def read_gexf(path: str | os.PathLike, *, keep_self_loops: bool = False) -> Graph:
    """Read GEXF (any compression, ``-``) into a :class:`Graph`; the node ``label`` becomes
    ``handle`` when no ``handle`` attribute exists."""
    def reader(fh):
        G = nx.read_gexf(fh, node_type=str, relabel=False)
        for _, d in G.nodes(data=True):
            if "handle" in d:
                d.pop("label", None)
        for *_, d in G.edges(data=True):
            d.pop("id", None)
            d.pop("networkx_key", None)
        return G

    return _read_xml(path, reader, "GEXF", keep_self_loops)


# ----------------------------------------------------------------------------------- node-link JSON
def write_node_link_json(graph: Graph, path: str | os.PathLike, *, kinds: str | Iterable[str] | None = None) -> None:
    """Write NetworkX node-link JSON (``{"directed", "multigraph", "graph", "nodes", "edges"}``),
    atomically; missing values are left out (never ``NaN``)."""
    G = to_networkx_multigraph(graph, kinds)
    data = nx.node_link_data(G, edges="edges")
    with atomic_write(path, "w") as fh:
        json.dump(data, fh, ensure_ascii=False, allow_nan=False)


def read_node_link_json(path: str | os.PathLike, *, keep_self_loops: bool = False) -> Graph:
    """Read node-link JSON (keys ``edges`` or ``links``; any compression, ``-``) into a :class:`Graph`."""
    info = probe(path)
    name = info.name
    raw = info.read_all()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=name, line=raw[: err.start].count(b"\n") + 1,
                         hint="re-encode the file as UTF-8") from err
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg} (column {err.colno})", path=name, line=err.lineno,
                         hint="check that the file is complete JSON") from err
    except RecursionError as err:
        raise InputError("JSON nested too deeply", path=name, hint="give node-link JSON: {'nodes': [...], "
                                                                   "'edges': [...]} of flat objects") from err
    if not isinstance(data, dict) or "nodes" not in data:
        raise InputError("not node-link JSON (no 'nodes' list)", path=name,
                         hint="give {'nodes': [...], 'edges': [...]} or read an edge list with read_edges")
    key = "edges" if "edges" in data else "links"
    data.setdefault(key, [])
    data.setdefault("directed", True)
    data.setdefault("multigraph", False)
    try:
        G = nx.node_link_graph(data, edges=key)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError, nx.NetworkXError) as err:
        raise InputError(f"malformed node-link JSON: {type(err).__name__}: {err}", path=name,
                         hint="every node needs an 'id', every edge a 'source' and 'target'") from err
    return from_networkx(G, name=name, keep_self_loops=keep_self_loops)


# ----------------------------------------------------------------------------------- dispatcher
_GRAPH_READERS = {"graphml": read_graphml, "gexf": read_gexf}


def read_graph(
    path: str | os.PathLike | FileInfo,
    *,
    source: str | int | None = None,
    target: str | int | None = None,
    direction: str = "follower-followed",
    delimiter: str | None = None,
    header: bool | None = None,
    keep_self_loops: bool = False,
) -> Graph:
    """Read any graph file: the format comes from :func:`~graphinflu._io.probe` (name and content).

    GraphML → :func:`read_graphml`; GEXF → :func:`read_gexf`; JSON holding a node-link object →
    :func:`read_node_link_json`; anything else (CSV, TSV, SNAP text, Parquet, JSON records, ``-``)
    → :func:`~graphinflu.loaders.edges.read_edges` as a follow list with these options. Graph
    formats name their own columns: for them, ``source``, ``target``, ``delimiter``, ``header``
    and a non-default ``direction`` are an error.
    """
    info = probe(path)
    reader = _GRAPH_READERS.get(info.format)
    if reader is None and info.format == "json" and _looks_like_node_link(info):
        reader = read_node_link_json
    if reader is None:
        return read_edges(info, source=source, target=target, direction=direction, delimiter=delimiter,
                          header=header, keep_self_loops=keep_self_loops)
    given = {"source": source, "target": target, "delimiter": delimiter, "header": header,
             "direction": None if direction == DIRECTIONS[0] else direction}
    flags = {"source": "--source-col", "target": "--target-col", "delimiter": "--delimiter",
             "header": "--header/--no-header", "direction": "--direction"}
    extra = sorted(k for k, v in given.items() if v is not None)
    if extra:
        shown = ", ".join(f"{flags[k]} ({k}=)" for k in extra)
        raise InputError(f"options {shown} apply to edge lists, not to {info.format} files", path=info.name,
                         hint="drop them; the file names its own columns")
    return reader(info, keep_self_loops=keep_self_loops)


def _looks_like_node_link(info: FileInfo) -> bool:
    head = info.head.lstrip()
    return head.startswith(b"{") and b'"nodes"' in (head if info.complete else info.read_all()[: 1 << 20])


_TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq")


def write_edge_table(graph: Graph, path: str | os.PathLike, *, kinds: str | Iterable[str] | None = None) -> None:
    """Write the edges with account ids (``source``, ``target``, ``kind``, ``weight``[, ``timestamp``])
    as CSV (``.csv``), TSV (``.tsv``/``.txt``) or Parquet, atomically; ``.gz``/``.bz2``/``.xz``/``.zst``
    compress text. Account columns are not in an edge table: use GraphML/GEXF/JSON to keep them."""
    e = graph.edge_table(kinds)
    base = strip_compression_suffix(path).lower()
    with atomic_path(path) as tmp:
        if base.endswith((".parquet", ".pq")):
            pq.write_table(pa.Table.from_pandas(e, preserve_index=False), tmp)
        else:
            sep = "," if base.endswith(".csv") else "\t"
            comp = COMPRESSION_SUFFIXES.get(os.path.splitext(str(path).lower())[1])
            e.to_csv(tmp, sep=sep, index=False, compression=comp, lineterminator="\n")


def write_graph(graph: Graph, path: str | os.PathLike, *, kinds: str | Iterable[str] | None = None) -> None:
    """Write ``graph`` in the format its suffix names: ``.graphml``, ``.gexf``, ``.json`` (node-link),
    or an edge table (``.csv``, ``.tsv``, ``.txt``, ``.parquet``; optionally compressed).

    >>> import tempfile, pathlib
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("g.graphml", "g.gexf", "g.json", "g.csv.gz", "g.parquet"):
    ...     write_graph(g, d / name)
    ...     assert read_graph(d / name).edge_table()[["source", "target"]].values.tolist() == [["a", "b"]]
    """
    kind = _graph_output_kind(path)
    writers = {"graphml": write_graphml, "gexf": write_gexf, "json": write_node_link_json}
    writers.get(kind, write_edge_table)(graph, path, kinds=kinds)


def _graph_output_kind(path: str | os.PathLike) -> str:
    """``graphml``, ``gexf``, ``json`` or ``table`` from the suffix of a :func:`write_graph`
    destination; :class:`InputError` for a suffix it cannot write. Touches nothing."""
    base = strip_compression_suffix(path).lower()
    ext = os.path.splitext(base)[1]
    compressed = base != str(path).lower()
    if ext in (".graphml", ".gexf", ".json", ".parquet", ".pq") and compressed:
        raise InputError(f"{ext} files are written uncompressed", path=str(path), hint=f"name it *{ext}")
    if ext in (".graphml", ".gexf", ".json"):
        return ext[1:]
    if ext in _TABLE_SUFFIXES:
        return "table"
    raise InputError(f"unknown output format {ext!r}" if ext else "the output name has no format suffix", path=str(path),
                     hint="use .graphml, .gexf, .json, .csv, .tsv, .txt or .parquet (csv/tsv/txt optionally .gz, .bz2, "
                          ".xz or .zst)")


def check_graph_output(path: str | os.PathLike) -> str:
    """Check a :func:`write_graph` destination before any work: the suffix first (nothing is
    created for a refused name), then the folder (created if missing, see
    :func:`~graphinflu._io.check_output_file`). Returns ``graphml``, ``gexf``, ``json`` or ``table``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_graph_output(d / "new" / "g.gexf"), (d / "new").is_dir()
    ('gexf', True)
    """
    kind = _graph_output_kind(path)
    check_output_file(path)
    return kind
