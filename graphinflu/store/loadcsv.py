"""Gzipped CSV files and a ``load.cypher`` that loads them with ``LOAD CSV ... CALL { ... } IN
TRANSACTIONS`` (Neo4j 5.23 or newer, as Aura is): the path for Neo4j Aura and Browser-only users, who cannot run
``neo4j-admin import`` (:mod:`graphinflu.store.admin`).

``load.cypher`` is idempotent (MERGE on the account id and on each relationship, SET of the same
values), so running it twice, or after a ``graphinflu neo4j push`` of the same data, changes
nothing that was stored. Values are typed in the script: integers, floats and booleans by
``toInteger`` / ``toFloat`` / ``toBoolean``, list columns (``hashtags``, ``mentions``, ...; stored
space-joined by graphinflu) as string lists, interaction times as ``datetime`` values (UTC,
millisecond precision). The files are read from ``$base`` (default ``'file:///'``, the server's
import folder; an ``https://`` address where the files are published, for Aura).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .._io import atomic_write
from ..errors import InputError
from ..graph import Graph
from .admin import _admin_type, export_accounts, write_csv_gz
from .backends import Store
from .model import LIST_PROPERTIES, OVERLAP_TYPE, REL_TYPES, plain_value, property_names
from .push import column_values, follow_ids, kind_edges, overlap_rows

__all__ = ["export_load_csv", "load_statements", "run_load_script", "BATCH_ROWS"]

#: Rows per inner transaction of ``CALL { ... } IN TRANSACTIONS``.
BATCH_ROWS = 10_000

_CONVERT = {"long": "toInteger({v})", "double": "toFloat({v})", "boolean": "toBoolean({v})", "string": "{v}",
            "string[]": "CASE WHEN {v} IS NULL THEN null ELSE [x IN split({v}, ' ') WHERE x <> ''] END"}


def _cell(v) -> str:
    v = plain_value(v)
    if v is None:
        return ""
    if isinstance(v, list):
        return " ".join(map(str, v))
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _load(file: str, body: str) -> str:
    return (f"LOAD CSV WITH HEADERS FROM $base + '{file}' AS row\n"
            f"CALL (row) {{\n{body}\n}} IN TRANSACTIONS OF {BATCH_ROWS} ROWS")


def _accounts(acc: pd.DataFrame) -> tuple[list, list, str]:
    names = property_names(acc.columns)
    types = {c: "string[]" if str(c) in LIST_PROPERTIES else ("string" if c == "handle" else _admin_type(acc[c]))
             for c in acc.columns}
    header = ["id"] + list(names.values())
    cols = [[_cell(v) for v in column_values(acc[c])] for c in acc.columns]
    rows = [[id_] + [col[i] for col in cols] for i, id_ in enumerate(acc.index.astype(str).tolist())]
    sets = ",\n      ".join(f"a.{n} = " + _CONVERT[types[c]].format(v=f"row.{n}") for c, n in names.items())
    body = "  MERGE (a:Account {id: row.id})" + (f"\n  SET {sets}" if sets else "")
    return header, rows, body


def export_load_csv(
    graph: Graph,
    out_dir: str | os.PathLike,
    *,
    metrics: pd.DataFrame | None = None,
    overlap: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``accounts.csv.gz``, one ``<kind>.csv.gz`` per edge kind, ``shares_audience.csv.gz``
    (with ``overlap``) and ``load.cypher`` into ``out_dir``; every file atomically, ``load.cypher`` last.

    ``metrics`` is the caller's per-account table (indexed by account id), its columns added to
    the profile columns as :func:`~graphinflu.store.admin.export_import_dir` does. Returns the paths.
    """
    out, acc = export_accounts(graph, out_dir, metrics)
    header, rows, body = _accounts(acc)  # refuses a bad column before any file is written
    out.mkdir(parents=True, exist_ok=True)
    written, statements = [], ["CREATE CONSTRAINT account_id IF NOT EXISTS\nFOR (a:Account) REQUIRE a.id IS UNIQUE"]
    write_csv_gz(out / "accounts.csv.gz", header, rows)
    written.append(out / "accounts.csv.gz")
    statements.append(_load("accounts.csv.gz", body))
    match = "  MATCH (a:Account {id: row.source})\n  MATCH (b:Account {id: row.target})\n"
    for kind in graph.kinds_present():
        typ, name = REL_TYPES[kind], f"{kind}.csv.gz"
        if kind == "follows":
            write_csv_gz(out / name, ["source", "target"], zip(*follow_ids(graph)))
            statements.append(_load(name, match + f"  MERGE (a)-[:{typ}]->(b)"))
        else:
            src, dst, w, ts = kind_edges(graph, kind)
            write_csv_gz(out / name, ["source", "target", "weight", "timestamp"],
                      ([a, b, _cell(x), _cell(t)] for a, b, x, t in zip(src, dst, w, ts)))
            statements.append(_load(name, match + f"  MERGE (a)-[r:{typ}]->(b)\n"
                                    "  SET r.weight = toFloat(row.weight),\n"
                                    "      r.timestamp = CASE WHEN row.timestamp IS NULL THEN null ELSE\n"
                                    "        datetime({epochMillis: toInteger(round(toFloat(row.timestamp) * 1000))}) END"))
        written.append(out / name)
    if overlap is not None and len(overlap):
        write_csv_gz(out / "shares_audience.csv.gz", ["source", "target", "shared", "jaccard", "overlap_coefficient"],
                  ([r["a"], r["b"], r["shared"], _cell(r["jaccard"]), _cell(r["overlap_coefficient"])]
                   for r in overlap_rows(overlap)))
        written.append(out / "shares_audience.csv.gz")
        statements.append(_load("shares_audience.csv.gz", match + f"  MERGE (a)-[r:{OVERLAP_TYPE}]->(b)\n"
                                "  SET r.shared = toInteger(row.shared), r.jaccard = toFloat(row.jaccard),\n"
                                "      r.overlap_coefficient = toFloat(row.overlap_coefficient)"))
    with atomic_write(out / "load.cypher", "w") as fh:
        fh.write(_script(graph, statements))
    written.append(out / "load.cypher")
    return written


def _script(graph: Graph, statements: list[str]) -> str:
    return f"""// load.cypher: {graph.n_accounts:,} accounts and {graph.n_edges:,} relationships, written by graphinflu.
//
// Loads the .csv.gz files beside this script with LOAD CSV, {BATCH_ROWS:,} rows per transaction.
// Idempotent: running it again (or after `graphinflu neo4j push` of the same data) adds nothing.
// Neo4j (self-managed): copy the .csv.gz files into the server's import folder, then run
//   cypher-shell -u neo4j -f load.cypher     (or paste this whole file into Neo4j Browser)
// Aura: publish the files at an https:// address and set $base to it first, e.g.
//   :param base => 'https://example.org/graphinflu-export/'
// A database other than the default: CREATE DATABASE name IF NOT EXISTS (Enterprise / Aura),
// then :use name (Browser) or cypher-shell -d name, before running this file.
:param base => 'file:///'

""" + ";\n\n".join(statements) + ";\n"


def load_statements(text: str) -> list[str]:
    """The statements of a ``load.cypher`` (comments and ``:param`` lines left out)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("//", ":")))
    return [s.strip().rstrip(";") for s in body.split(";\n") if s.strip()]


def run_load_script(store: Store, path: str | os.PathLike, *, base: str = "file:///") -> None:
    """Run a ``load.cypher`` written by :func:`export_load_csv` on a Neo4j store, statement by
    statement, each in an implicit transaction (``CALL { ... } IN TRANSACTIONS`` needs one)."""
    if store.kind != "neo4j":
        raise InputError("load.cypher uses LOAD CSV ... IN TRANSACTIONS, which only Neo4j runs",
                         hint="use graphinflu neo4j push --target falkordb://PATH for FalkorDB")
    for stmt in load_statements(Path(path).read_text(encoding="utf-8")):
        store.run_implicit(stmt, {"base": base})

