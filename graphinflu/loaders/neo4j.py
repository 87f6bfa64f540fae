"""Neo4j / FalkorDB (and neo4j-admin import folders) → the canonical :class:`~graphinflu.graph.Graph`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from .._report import LoadReport
from ..errors import InputError
from ..graph import KINDS, Graph
from ..store.backends import Store
from ..store.catalog import get_query
from ..store.model import KIND_OF_TYPE, LABEL, OVERLAP_TYPE, REL_TYPES, epoch_seconds

__all__ = ["read_store", "read_store_query", "read_import_dir"]


def _kinds(kinds: str | Iterable[str] | None) -> list[str]:
    if kinds is None:
        return list(KINDS)
    if isinstance(kinds, str):
        kinds = [kinds]
    out = []
    for k in kinds:
        k = str(k).strip()
        kind = KIND_OF_TYPE.get(k, k.lower())
        if kind not in KINDS:
            raise InputError(f"unknown relationship type {k!r}",
                             hint=f"use one of {', '.join(KIND_OF_TYPE)} (or the kinds {', '.join(KINDS)})")
        if kind not in out:
            out.append(kind)
    return out


def _accounts_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``id`` + ``props`` (maps) rows → an account table indexed by id."""
    if df.empty:
        return pd.DataFrame(index=pd.Index([], name="id", dtype=object))
    props = pd.DataFrame.from_records([p or {} for p in df["props"]])
    props.index = pd.Index(df["id"].astype(str).to_numpy(), name="id")
    props = props.drop(columns=[c for c in ("id",) if c in props.columns])
    for c in props.columns:  # ints that came back as floats with gaps stay float; clean object columns
        if props[c].dtype == object:
            conv = pd.to_numeric(props[c], errors="coerce")
            if conv.notna().sum() == props[c].notna().sum() and props[c].map(lambda v: isinstance(v, (int, float))
                                                                              or v is None).all():
                props[c] = conv
    return props


def read_store(
    store: Store,
    *,
    label: str = "Account",
    kinds: str | Iterable[str] | None = None,
) -> Graph:
    """Read accounts with ``label`` and the relationships of ``kinds`` between them.

    Parameters
    ----------
    store : graphinflu.store.backends.Store
        From :func:`graphinflu.store.backends.connect`.
    label : str
        ``Account`` (what graphinflu writes) or any label the database reports
        (``CALL db.labels()``); nodes are keyed by their ``id`` property.
    kinds : kind(s) or relationship type(s), optional
        ``follows`` / ``FOLLOWS``, ``mentions`` / ``MENTIONS``, ...; default every kind that exists.

    Returns
    -------
    Graph
        Accounts with every stored property as a column (``handle`` included), edges with
        ``weight`` and ``timestamp`` where stored. Nodes without an ``id`` are skipped and counted
        in ``graph.report``.
    """
    labels = store.labels()
    if label != LABEL and label not in labels:
        raise InputError(f"the database has no nodes labelled {label!r}",
                         hint=f"its labels are: {', '.join(labels) or 'none'}")
    present_types = set(store.relationship_types())
    wanted = _kinds(kinds)
    explicit = kinds is not None
    lab = None if label == LABEL else label
    report = LoadReport()
    acc = store.run(get_query("pull_accounts").render(label=lab))
    if len(acc):
        missing = acc["id"].isna()
        report.add(f"{store.kind}:{label}", int(missing.sum()), "nodes without an id property skipped")
        acc = acc[~missing]
    accounts = _accounts_frame(acc)
    frames = []
    rel_q = get_query("pull_relationships")
    for kind in wanted:
        typ = REL_TYPES[kind]
        if typ not in present_types:
            if explicit:
                report.add(f"{store.kind}:{typ}", 1, "relationship type requested but absent (0 edges)")
            continue
        df = store.run(rel_q.render(rel_type=typ, label=lab))
        if len(df):
            df["kind"] = kind
            frames.append(df)
    return _to_graph(accounts, frames, report, f"{store.kind}")


def _to_graph(accounts: pd.DataFrame, frames: list[pd.DataFrame], report: LoadReport, name: str) -> Graph:
    if frames:
        edges = pd.concat(frames, ignore_index=True)
    else:
        edges = pd.DataFrame({"source": [], "target": [], "kind": [], "weight": [], "timestamp": []})
    edges["source"] = edges["source"].astype(str)
    edges["target"] = edges["target"].astype(str)
    w = pd.to_numeric(edges.get("weight"), errors="coerce") if "weight" in edges else pd.Series(np.nan, index=edges.index)
    edges["weight"] = w.fillna(1.0).to_numpy(np.float64)
    if "timestamp" in edges and edges["timestamp"].dtype == object:  # Neo4j datetime values, numbers, None
        edges["timestamp"] = np.array([epoch_seconds(v) for v in edges["timestamp"].tolist()], dtype=np.float64)
    has_ts = "timestamp" in edges and pd.to_numeric(edges["timestamp"], errors="coerce").notna().any()
    ids = accounts.index.astype(str)
    ends = pd.Index(pd.unique(np.concatenate([edges["source"].to_numpy(object), edges["target"].to_numpy(object)])))
    extra = ends[~ends.isin(ids)]
    if len(extra):
        report.add(name, len(extra), "relationship endpoints not among the pulled accounts added as accounts")
    all_ids = ids.append(extra)
    codes_s = all_ids.get_indexer(edges["source"])
    codes_t = all_ids.get_indexer(edges["target"])
    g = Graph.from_codes(
        all_ids, codes_s, codes_t,
        kind=edges["kind"].astype(str).to_numpy() if len(edges) else "follows",
        weight=edges["weight"].to_numpy(),
        timestamp=pd.to_numeric(edges["timestamp"], errors="coerce").to_numpy(np.float64) if has_ts else None,
        accounts=accounts.reindex(all_ids), name=name, report=report,
    )
    return g


def read_store_query(store: Store, statement: str, params: Mapping | None = None) -> Graph:
    """Read a graph from your own Cypher: it must return ``source`` and ``target`` (account ids)
    and may return ``kind`` (a graphinflu kind or relationship type, default follows),
    ``weight`` and ``timestamp``. Accounts are the ids seen (no profile columns).

    The statement runs read-only as written, with ``params`` as parameters.
    """
    df = store.run(statement, params or {})
    missing = {"source", "target"} - set(df.columns)
    if missing:
        raise InputError(f"the query must return columns source and target; it returned {list(df.columns)}",
                         hint="end it with RETURN a.id AS source, b.id AS target")
    report = LoadReport()
    null = df["source"].isna() | df["target"].isna()
    report.add(f"{store.kind}:query", int(null.sum()), "rows with a null source or target skipped")
    df = df[~null].copy()
    if "kind" in df:
        df["kind"] = [(_kinds(str(k))[0] if k is not None else "follows") for k in df["kind"]]
    else:
        df["kind"] = "follows"
    accounts = pd.DataFrame(index=pd.Index([], name="id", dtype=object))
    return _to_graph(accounts, [df] if len(df) else [], report, f"{store.kind}:query")


def _import_input(root: Path, stem: str) -> pd.DataFrame:
    """One neo4j-admin input of an export folder as text columns named by its typed header:
    ``STEM.header.csv`` + ``STEM.csv.gz`` (graphinflu's layout), or ``STEM.csv`` with the header
    as its first line (graphinflu before the files were gzipped)."""
    head = root / f"{stem}.header.csv"
    if head.exists():
        names = pd.read_csv(head, nrows=0).columns.tolist()
        data = root / f"{stem}.csv.gz"
        if not data.exists():
            raise InputError(f"{head.name} has no data file {data.name} beside it", path=root,
                             hint="give a folder written whole by graphinflu neo4j export --format admin")
        return pd.read_csv(data, header=None, names=names, dtype=str, keep_default_na=False, na_values=[])
    return pd.read_csv(root / f"{stem}.csv", dtype=str, keep_default_na=False, na_values=[])


def read_import_dir(path: str | os.PathLike) -> Graph:
    """Read back a folder written by :func:`graphinflu.store.admin.export_import_dir` (the
    ``neo4j-admin database import`` inputs: header files with ``id:ID(Account)``,
    ``followers:long``, ``:START_ID(Account)``, ``:END_ID(Account)``, ``:TYPE``, ... and gzipped
    data files; folders of plain ``.csv`` files with their header inside are read too)."""
    root = Path(path)
    if not (root / "accounts.header.csv").exists() and not (root / "accounts.csv").exists():
        raise InputError("no accounts.header.csv (or accounts.csv) here", path=root,
                         hint="give a folder written by graphinflu neo4j export")
    raw = _import_input(root, "accounts")
    cols = {}
    for c in raw.columns:
        name, _, typ = c.partition(":")
        if c.startswith("id:ID"):
            continue
        if c == ":LABEL":
            continue
        s = raw[c].replace("", None)
        if typ == "long":
            s = pd.to_numeric(s).astype("Int64")
        elif typ == "double":
            s = pd.to_numeric(s).astype(float)
        elif typ == "boolean":
            s = s.map({"true": True, "false": False})
        elif typ == "string[]":  # neo4j-admin's array delimiter; graphinflu's tables join lists by spaces
            s = s.str.replace(";", " ", regex=False)
        cols[name] = s
    id_col = next(c for c in raw.columns if c.startswith("id:ID"))
    accounts = pd.DataFrame(cols)
    accounts.index = pd.Index(raw[id_col].astype(str), name="id")
    stems = sorted({f.name.removesuffix(".header.csv") for f in root.glob("*.header.csv")}
                   | {f.name.removesuffix(".csv") for f in root.glob("*.csv") if not f.name.endswith(".header.csv")})
    frames = []
    for stem in stems:
        if stem == "accounts":
            continue
        df = _import_input(root, stem)
        typ = df[":TYPE"].iloc[0] if len(df) else None
        if typ == OVERLAP_TYPE or typ not in KIND_OF_TYPE:
            continue
        out = pd.DataFrame({"source": df[":START_ID(Account)"], "target": df[":END_ID(Account)"],
                            "kind": KIND_OF_TYPE[typ]})
        if "weight:double" in df:
            out["weight"] = pd.to_numeric(df["weight:double"].replace("", None))
        if "timestamp:double" in df:  # written by graphinflu before issue 12
            out["timestamp"] = pd.to_numeric(df["timestamp:double"].replace("", None))
        if "timestamp:datetime" in df:
            when = pd.to_datetime(df["timestamp:datetime"].replace("", None), utc=True, format="ISO8601")
            # whole milliseconds / 1000: the same float as the epoch seconds push and pull give
            out["timestamp"] = ((when - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(1, "ms")) / 1000
        frames.append(out)
    return _to_graph(accounts, frames, LoadReport(), str(root))
