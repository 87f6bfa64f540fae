"""Bulk-import files for ``neo4j-admin database import full``: typed CSV headers and a README
with the command, written from a graph and the caller's per-account table."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .._io import atomic_write
from ..errors import InputError
from ..graph import Graph
from .model import LABEL, LIST_PROPERTIES, OVERLAP_TYPE, REL_TYPES, list_value, property_names
from .push import align_metrics, column_values, follow_ids, kind_edges, overlap_rows

__all__ = ["export_import_dir"]

#: Count columns written as ``long`` when a float column holds whole numbers only (gaps made it float).
_COUNT_COLUMNS = ("followers", "following", "posts", "indegree")


def _admin_type(s: pd.Series) -> str:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return "string"
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_integer_dtype(s):
        return "long"
    if pd.api.types.is_float_dtype(s):
        non_null = s.dropna()
        if len(non_null) and np.all(np.mod(non_null.to_numpy(), 1) == 0) and s.name in _COUNT_COLUMNS:
            return "long"
        return "double"
    return "string"


def _cell(v, typ: str) -> str:
    """A plain value (:func:`~graphinflu.store.model.plain_value`) as a CSV cell of type ``typ``
    (``datetime``: epoch seconds as ISO 8601 UTC; ``string[]``: the items joined by ``;``,
    neo4j-admin's array delimiter)."""
    if v is None:
        return ""
    if typ == "datetime":
        return pd.Timestamp(float(v), unit="s", tz="UTC").isoformat().replace("+00:00", "Z")
    if typ == "string[]":
        return ";".join(list_value(v) or [])
    if typ == "long":
        return str(int(v))
    if typ == "double":
        return repr(float(v))
    if typ == "boolean":
        return "true" if v else "false"
    return str(v)


def _write_accounts(path: Path, acc: pd.DataFrame) -> None:
    names = property_names(acc.columns)
    types = {c: ("string[]" if str(c) in LIST_PROPERTIES else "string" if c == "handle" else _admin_type(acc[c]))
             for c in acc.columns}
    with atomic_write(path, "w") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id:ID(Account)"] + [n if types[c] == "string" else f"{n}:{types[c]}" for c, n in names.items()]
                   + [":LABEL"])
        columns = [[_cell(v, types[c]) for v in column_values(acc[c])] for c in acc.columns]
        for i, id_ in enumerate(acc.index.astype(str).tolist()):
            w.writerow([id_] + [col[i] for col in columns] + [LABEL])


def _write_relationships(path: Path, graph: Graph, kind: str) -> None:
    typ = REL_TYPES[kind]
    with atomic_write(path, "w") as fh:
        w = csv.writer(fh, lineterminator="\n")
        if kind == "follows":
            w.writerow([":START_ID(Account)", ":END_ID(Account)", ":TYPE"])
            w.writerows([a, b, typ] for a, b in zip(*follow_ids(graph)))
        else:
            w.writerow([":START_ID(Account)", ":END_ID(Account)", ":TYPE", "weight:double", "timestamp:datetime"])
            w.writerows([a, b, typ, _cell(x, "double"), _cell(t, "datetime")]
                        for a, b, x, t in zip(*kind_edges(graph, kind)))


def _write_overlap(path: Path, overlap: pd.DataFrame) -> None:
    with atomic_write(path, "w") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([":START_ID(Account)", ":END_ID(Account)", ":TYPE", "shared:long", "jaccard:double",
                    "overlap_coefficient:double"])
        w.writerows([r["a"], r["b"], OVERLAP_TYPE, r["shared"], _cell(r["jaccard"], "double"),
                     _cell(r["overlap_coefficient"], "double")] for r in overlap_rows(overlap))


def _import_args(rel_files: list[str], database: str, folder: str) -> str:
    return " \\\n  ".join(
        [f"--nodes={folder}accounts.csv"] + [f"--relationships={folder}{f}" for f in rel_files]
        + ["--multiline-fields=true", "--overwrite-destination=true", database])


def _readme(graph: Graph, rel_files: list[str], database: str) -> str:
    args = _import_args(rel_files, database, "/import/")
    local = _import_args(rel_files, database, "")
    return f"""# Neo4j bulk import files (written by graphinflu)

{graph.n_accounts:,} accounts and {graph.n_edges:,} relationships
({", ".join(f"{k}: {int((graph.edges['kind'] == k).sum()):,}" for k in graph.kinds_present())}).

| file | contents |
|---|---|
| accounts.csv | one row per account: `id:ID(Account)`, profile and metric columns (typed), `:LABEL` |
""" + "".join(f"| {f} | `:START_ID(Account)`, `:END_ID(Account)`, `:TYPE`"
              + (", `weight:double`, `timestamp:datetime`" if f not in ("follows.csv", "shares_audience.csv") else "")
              + (", `shared:long`, `jaccard:double`, `overlap_coefficient:double`" if f == "shares_audience.csv" else "")
              + " |\n" for f in rel_files) + f"""
Import into an empty (or to-be-replaced) database `{database}` while it is stopped. From this
folder with the official Docker image (data kept in the `neo4j-data` volume):

```sh
docker run --rm -v "$PWD":/import -v neo4j-data:/data neo4j:5 \\
  neo4j-admin database import full \\
  {args}
```

or with a local Neo4j 5 installation, from this folder:

```sh
neo4j-admin database import full \\
  {local}
```

A database other than the default `neo4j` must then be created once (Enterprise Edition; Neo4j
Community has only `neo4j`), from `cypher-shell -d system` or Browser's `:use system`:

```cypher
CREATE DATABASE `{database}` IF NOT EXISTS
```

Then start Neo4j and create the constraint and indexes (graphinflu's `cypher/schema.cypher`):

```sh
graphinflu neo4j query schema
```

`--multiline-fields=true` is there because handles may contain line breaks; empty cells are
missing properties. Account ids are the `id` property, in the `Account` id space.
"""


def export_accounts(graph: Graph, out_dir, metrics: pd.DataFrame | None) -> tuple[Path, pd.DataFrame]:
    """The export folder (refused when it is a file) and the account table with the caller's
    metric columns added to (or replacing) the profile columns: what both export formats write."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder", path=out, hint="give a folder for the exported files")
    acc = graph.accounts.copy()
    if metrics is not None:
        m = align_metrics(graph, metrics)
        for c in m.columns:
            acc[c] = m[c].reindex(acc.index)
    return out, acc


def export_import_dir(
    graph: Graph,
    out_dir: str | os.PathLike,
    *,
    metrics: pd.DataFrame | None = None,
    overlap: pd.DataFrame | None = None,
    database: str = "neo4j",
) -> list[Path]:
    """Write CSV files for ``neo4j-admin database import full`` and a README.md with the command.

    * ``accounts.csv``: ``id:ID(Account)``, ``handle``, one typed column per profile / metric
      column (``followers:long``, ``pagerank:double``, ``tier``, ...), ``:LABEL`` (``Account``);
      ``metrics`` is the caller's per-account table (a DataFrame indexed by account id), its
      columns added to (or replacing) the profile columns;
    * ``follows.csv``: ``:START_ID(Account)``, ``:END_ID(Account)``, ``:TYPE`` (``FOLLOWS``);
    * ``<kind>.csv`` per interaction kind: the same plus ``weight:double``, ``timestamp:datetime``
      (ISO 8601, UTC); list columns (``hashtags``, ...) are ``string[]``;
    * ``shares_audience.csv`` (when ``overlap`` is given): plus ``shared:long``,
      ``jaccard:double``, ``overlap_coefficient:double``.

    Column names become property names through :func:`~graphinflu.store.model.property_names`.
    Each file is written atomically; README.md last. Empty cells mean "no property".
    """
    out, acc = export_accounts(graph, out_dir, metrics)
    property_names(acc.columns)  # refuse a bad column before any file is written
    written: list[Path] = []

    _write_accounts(out / "accounts.csv", acc)
    written.append(out / "accounts.csv")
    rel_files = []
    for kind in graph.kinds_present():
        path = out / f"{kind}.csv"
        _write_relationships(path, graph, kind)
        written.append(path)
        rel_files.append(path.name)
    if overlap is not None and len(overlap):
        path = out / "shares_audience.csv"
        _write_overlap(path, overlap)
        written.append(path)
        rel_files.append(path.name)

    with atomic_write(out / "README.md", "w") as fh:
        fh.write(_readme(graph, rel_files, database))
    written.append(out / "README.md")
    return written
