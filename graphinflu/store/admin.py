"""Bulk-import files for ``neo4j-admin database import full``: typed header files, gzipped CSV
data files and a README with the command, written from a graph and the caller's per-account table."""

from __future__ import annotations

import csv
import gzip
import io
import os
import shlex
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from .._io import atomic_write
from ..errors import InputError
from ..graph import Graph
from .model import LABEL, LIST_PROPERTIES, OVERLAP_TYPE, REL_TYPES, iso_utc, list_value, property_names
from .push import align_metrics, column_values, follow_ids, kind_edges, overlap_rows

__all__ = ["export_import_dir", "import_arguments", "import_command", "write_csv_gz"]

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
    (``datetime``: epoch seconds as ISO 8601 UTC at millisecond precision; ``string[]``: the items
    joined by ``;``, neo4j-admin's array delimiter)."""
    if v is None:
        return ""
    if typ == "datetime":
        return iso_utc(v)
    if typ == "string[]":
        return ";".join(list_value(v) or [])
    if typ == "long":
        return str(int(v))
    if typ == "double":
        return repr(float(v))
    if typ == "boolean":
        return "true" if v else "false"
    return str(v)


def write_csv_gz(path: Path, header: list[str] | None, rows: Iterable) -> None:
    """Write ``rows`` (and ``header`` first, unless ``None``) as gzipped UTF-8 CSV, streamed and
    atomically (a temporary file beside ``path``, moved into place on success). ``mtime=0`` keeps
    the bytes the same for the same rows."""
    with atomic_write(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        if header is not None:
            w.writerow(header)
        w.writerows(rows)


def _write_header(path: Path, header: list[str]) -> None:
    with atomic_write(path, "w") as fh:
        csv.writer(fh, lineterminator="\n").writerow(header)


#: One neo4j-admin input: its header file (plain CSV, one line) and its gzipped data file.
_Input = tuple[str, str]


def _write_input(out: Path, stem: str, header: list[str], rows: Iterable, written: list[Path]) -> _Input:
    """``STEM.header.csv`` (the typed header, plain text: readable without gunzip) and
    ``STEM.csv.gz`` (the rows), neo4j-admin's "separate header file" layout; data first."""
    data, head = out / f"{stem}.csv.gz", out / f"{stem}.header.csv"
    write_csv_gz(data, None, rows)
    _write_header(head, header)
    written += [head, data]
    return head.name, data.name


def _account_input(out: Path, acc: pd.DataFrame, written: list[Path]) -> _Input:
    names = property_names(acc.columns)
    types = {c: ("string[]" if str(c) in LIST_PROPERTIES else "string" if c == "handle" else _admin_type(acc[c]))
             for c in acc.columns}
    header = (["id:ID(Account)"] + [n if types[c] == "string" else f"{n}:{types[c]}" for c, n in names.items()]
              + [":LABEL"])
    columns = [[_cell(v, types[c]) for v in column_values(acc[c])] for c in acc.columns]
    rows = ([id_] + [col[i] for col in columns] + [LABEL] for i, id_ in enumerate(acc.index.astype(str).tolist()))
    return _write_input(out, "accounts", header, rows, written)


def _relationship_input(out: Path, graph: Graph, kind: str, written: list[Path]) -> _Input:
    typ = REL_TYPES[kind]
    if kind == "follows":
        return _write_input(out, kind, [":START_ID(Account)", ":END_ID(Account)", ":TYPE"],
                            ([a, b, typ] for a, b in zip(*follow_ids(graph))), written)
    return _write_input(out, kind, [":START_ID(Account)", ":END_ID(Account)", ":TYPE", "weight:double",
                                    "timestamp:datetime"],
                        ([a, b, typ, _cell(x, "double"), _cell(t, "datetime")]
                         for a, b, x, t in zip(*kind_edges(graph, kind))), written)


def _overlap_input(out: Path, overlap: pd.DataFrame, written: list[Path]) -> _Input:
    return _write_input(out, "shares_audience", [":START_ID(Account)", ":END_ID(Account)", ":TYPE", "shared:long",
                                                 "jaccard:double", "overlap_coefficient:double"],
                        ([r["a"], r["b"], OVERLAP_TYPE, r["shared"], _cell(r["jaccard"], "double"),
                          _cell(r["overlap_coefficient"], "double")] for r in overlap_rows(overlap)), written)


def import_arguments(nodes: _Input, relationships: list[_Input], database: str = "neo4j",
                     folder: str = "") -> list[str]:
    """The arguments of ``neo4j-admin database import full`` for the files of an export
    (``folder``: where the command sees them, with its trailing ``/``)."""
    def files(pair: _Input) -> str:
        return ",".join(folder + f for f in pair)

    return ([f"--nodes={files(nodes)}"] + [f"--relationships={files(r)}" for r in relationships]
            + ["--multiline-fields=true", "--overwrite-destination=true", database])


def import_command(out_dir: str | os.PathLike, database: str = "neo4j") -> str:
    """The local ``neo4j-admin database import full ...`` command for an export folder (what
    DIR/README.md says, with the folder's path, quoted for a POSIX shell; the command line prints it)."""
    out = Path(out_dir)
    nodes = ("accounts.header.csv", "accounts.csv.gz")
    rels = [(h.name, h.name.replace(".header.csv", ".csv.gz")) for h in sorted(out.glob("*.header.csv"))
            if h.name != nodes[0]]
    return "neo4j-admin database import full " + " ".join(
        shlex.quote(a) for a in import_arguments(nodes, rels, database, f"{out}/"))


def _readme(graph: Graph, nodes: _Input, rels: list[_Input], database: str) -> str:
    args = " \\\n  ".join(import_arguments(nodes, rels, database, "/import/"))
    local = " \\\n  ".join(import_arguments(nodes, rels, database))
    other = database != "neo4j"
    create = (f"""
The database `{database}` is not Neo4j's default `neo4j`, so after the import it must be
created once — **Enterprise Edition only** (Neo4j Community serves one database; there, import
into `neo4j`, or set `initial.dbms.default_database={database}` in neo4j.conf before the first
start). From `cypher-shell -d system` or Browser's `:use system`:

```cypher
CREATE DATABASE `{database}` IF NOT EXISTS
```

and use it with `cypher-shell -d {database}` or `:use {database}`.
""" if other else """
This imports into `neo4j`, the default database (the only one Neo4j Community has). For another
name, export with `--database NAME`: on Enterprise Edition you then run `CREATE DATABASE NAME`
after the import (Community cannot create databases).
""")
    return f"""# Neo4j bulk import files (written by graphinflu)

{graph.n_accounts:,} accounts and {graph.n_edges:,} relationships
({", ".join(f"{k}: {int((graph.edges['kind'] == k).sum()):,}" for k in graph.kinds_present())}).

Each input is a header file (`NAME.header.csv`, one line of typed columns, plain text) and a
gzipped data file (`NAME.csv.gz`, no header), which `neo4j-admin database import` reads as they are.

| files | columns |
|---|---|
| accounts.header.csv, accounts.csv.gz | one row per account: `id:ID(Account)`, profile and metric columns (typed), `:LABEL` |
""" + "".join(f"| {h}, {d} | `:START_ID(Account)`, `:END_ID(Account)`, `:TYPE`"
              + (", `weight:double`, `timestamp:datetime` (ISO 8601, UTC)"
                 if h not in ("follows.header.csv", "shares_audience.header.csv") else "")
              + (", `shared:long`, `jaccard:double`, `overlap_coefficient:double`"
                 if h == "shares_audience.header.csv" else "")
              + " |\n" for h, d in rels) + f"""
Import into an empty (or to-be-replaced) database `{database}` while Neo4j is stopped
(`neo4j stop`; `--overwrite-destination=true` replaces what the database held). From this folder
with the official Docker image (data kept in the `neo4j-data` volume):

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
{create}
Then start Neo4j and create the constraint and indexes (graphinflu's `cypher/schema.cypher`):

```sh
graphinflu neo4j query schema
```

Lists (`hashtags`, ...) arrive as string lists (`string[]`, items joined by `;`), interaction
times as `datetime` values (UTC). `--multiline-fields=true` is there because handles may contain
line breaks; empty cells are missing properties. Account ids are the `id` property, in the
`Account` id space.
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
    """Write the input files of ``neo4j-admin database import full`` and a README.md with the
    command. Each input is a header file ``NAME.header.csv`` (one line of typed columns) and a
    gzipped data file ``NAME.csv.gz`` (the rows, no header), which neo4j-admin reads as they are:

    * ``accounts``: ``id:ID(Account)``, ``handle``, one typed column per profile / metric
      column (``followers:long``, ``pagerank:double``, ``tier``, ...), ``:LABEL`` (``Account``);
      ``metrics`` is the caller's per-account table (a DataFrame indexed by account id), its
      columns added to (or replacing) the profile columns; list columns (``hashtags``, ...) are
      ``string[]`` (items joined by ``;``);
    * ``follows``: ``:START_ID(Account)``, ``:END_ID(Account)``, ``:TYPE`` (``FOLLOWS``);
    * ``<kind>`` per interaction kind: the same plus ``weight:double``, ``timestamp:datetime``
      (ISO 8601, UTC, millisecond precision: the values ``push`` stores);
    * ``shares_audience`` (when ``overlap`` is given): plus ``shared:long``,
      ``jaccard:double``, ``overlap_coefficient:double``.

    Column names become property names through :func:`~graphinflu.store.model.property_names`.
    Each file is written atomically (data, then its header); README.md last. Empty cells mean
    "no property". ``database`` is the name the README's command imports into; another than
    ``neo4j`` gets the ``CREATE DATABASE`` step (Enterprise Edition only). Returns the paths.
    """
    out, acc = export_accounts(graph, out_dir, metrics)
    property_names(acc.columns)  # refuse a bad column before any file is written
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    nodes = _account_input(out, acc, written)
    rels = [_relationship_input(out, graph, kind, written) for kind in graph.kinds_present()]
    if overlap is not None and len(overlap):
        rels.append(_overlap_input(out, overlap, written))
    with atomic_write(out / "README.md", "w") as fh:
        fh.write(_readme(graph, nodes, rels, database))
    written.append(out / "README.md")
    return written
