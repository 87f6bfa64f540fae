"""Graph stores: the Cypher library in ``cypher/`` and the backends that run it (Neo4j, FalkorDB).

* :func:`catalog` / :func:`get_query` read the ``.cypher`` files shipped as the package
  ``graphinflu.cypher``: one statement per file (``schema.cypher`` holds several), a header
  comment saying what it answers, and ``// :param name => value`` lines (the defaults, pasted
  into Neo4j Browser as they are).
* :func:`connect` opens a :class:`Neo4jStore` (the official driver; writes in managed
  transactions, which the driver retries on transient errors) or, for ``falkordb://PATH``, a
  :class:`FalkorDBStore` (``falkordblite``: an embedded engine started by the process itself).
* :func:`push` loads a :class:`~graphinflu.graph.Graph`, metric columns and audience overlap in
  batches of ``UNWIND $rows AS row MERGE ...``; pushing the same data twice changes nothing.
* :func:`export_import_dir` writes CSV files for ``neo4j-admin database import full``.

Labels and relationship types never come from user text: relationship types come from
:data:`REL_TYPES` (derived from :data:`graphinflu.graph.KINDS`), the label is ``Account`` unless
the database itself reports another label. Every value is a ``$parameter``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from ._io import atomic_write
from .errors import GraphinfluError, InputError
from .graph import KINDS, Graph, check_kind

__all__ = [
    "LABEL", "REL_TYPES", "KIND_OF_TYPE", "OVERLAP_TYPE", "Query", "catalog", "get_query", "parse_param",
    "parse_cypher_literal", "StoreError", "QueryNotFoundError", "GDSNotAvailableError", "Store", "Neo4jStore",
    "FalkorDBStore", "connect", "push", "PushReport", "account_metrics", "run_query", "export_import_dir",
]

#: The node label graphinflu writes.
LABEL = "Account"
#: The allow-list of relationship types: one per edge kind (``follows`` → ``FOLLOWS``, ...).
REL_TYPES: dict[str, str] = {kind: kind.upper() for kind in KINDS}
KIND_OF_TYPE: dict[str, str] = {t: k for k, t in REL_TYPES.items()}
#: Relationship type of the audience-overlap write-back.
OVERLAP_TYPE = "SHARES_AUDIENCE"
DEFAULT_BATCH = 20_000
DEFAULT_GRAPH = "graphinflu"

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# ============================================================================ errors
class StoreError(GraphinfluError):
    """The database could not be reached or refused the request; the message says why and the fix."""

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message + (f"\n  fix: {hint}" if hint else ""))


class QueryNotFoundError(StoreError, KeyError):
    """No file of that name in ``cypher/``."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class GDSNotAvailableError(StoreError):
    """A query needs the Neo4j Graph Data Science plugin, which the target does not have."""


# ============================================================================ the catalog
_PARAM_LINE = re.compile(r"^\s*//\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?)\s*$")


@dataclass(frozen=True)
class Query:
    """One file of the Cypher library.

    ``kind`` is ``schema`` (schema.cypher), ``write`` (load_* and write_*), ``gds`` (gds_*, needs
    the GDS plugin) or ``read`` (the questions).
    """

    name: str
    text: str
    summary: str
    params: dict = field(default_factory=dict)
    statements: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        if self.name == "schema":
            return "schema"
        if self.name.startswith("gds_"):
            return "gds"
        if self.name.startswith(("load_", "write_")):
            return "write"
        return "read"

    @property
    def statement(self) -> str:
        if len(self.statements) != 1:
            raise InputError(f"cypher/{self.name}.cypher holds {len(self.statements)} statements; run them one by one")
        return self.statements[0]

    def render(self, *, rel_type: str | None = None, label: str | None = None) -> str:
        """The statement with its relationship type (``FOLLOWS`` / ``MENTIONS`` in the file) and
        label (``Account``) replaced; ``rel_type`` must be in :data:`REL_TYPES`, ``label`` a plain
        identifier (callers check it against the labels the database reports)."""
        text = self.statement
        if rel_type is not None:
            if rel_type not in KIND_OF_TYPE:
                raise InputError(f"relationship type {rel_type!r} is not one graphinflu knows",
                                 hint=f"use one of {', '.join(KIND_OF_TYPE)}")
            text = re.sub(r"(?<=:)(FOLLOWS|MENTIONS)\b", rel_type, text)
        if label is not None:
            if not _IDENT.match(label):
                raise InputError(f"label {label!r} is not a plain name (letters, digits, _)")
            text = re.sub(r"(?<=:)Account\b", f"`{label}`", text)
        return text


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()


def _split_statements(text: str) -> tuple[str, ...]:
    body = _strip_comments(text)
    parts = [p.strip() for p in re.split(r";\s*(?:\n|$)", body)]
    return tuple(p for p in parts if p)


def _parse_query(name: str, text: str) -> Query:
    lines = text.splitlines()
    first = lines[0].lstrip("/ ").strip() if lines else ""
    summary = first.split(":", 1)[1].strip() if ":" in first else first
    params = {}
    for line in lines:
        m = _PARAM_LINE.match(line)
        if m:
            params[m.group(1)] = parse_cypher_literal(m.group(2))
    return Query(name=name, text=text, summary=summary, params=params, statements=_split_statements(text))


@lru_cache(maxsize=1)
def catalog() -> dict[str, Query]:
    """Every query of the library, by name (the file name without ``.cypher``), sorted."""
    root = resources.files("graphinflu.cypher")
    out = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name[: -len(".cypher")]
            out[name] = _parse_query(name, entry.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> Query:
    """The query called ``name``; :class:`QueryNotFoundError` lists the names that exist."""
    cat = catalog()
    name = str(name)
    if name.endswith(".cypher"):
        name = name[: -len(".cypher")]
    if name not in cat:
        close = [n for n in cat if name.lower() in n or n in name.lower()]
        raise QueryNotFoundError(
            f"no query named {name!r} in the Cypher library",
            hint=(f"did you mean {', '.join(close)}? " if close else "") + f"the queries are: {', '.join(cat)}",
        )
    return cat[name]


# ============================================================================ parameters
class _Literal:
    """A small reader of Cypher literals (the values in ``:param x => value`` lines)."""

    _num = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")

    def __init__(self, text: str):
        self.s = text
        self.i = 0

    def error(self, what: str):
        return InputError(f"cannot read the Cypher value {self.s!r}: {what} at character {self.i + 1}")

    def ws(self):
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def value(self):
        self.ws()
        if self.i >= len(self.s):
            raise self.error("unexpected end")
        c = self.s[self.i]
        if c in "'\"":
            return self.string(c)
        if c == "[":
            self.i += 1
            out = []
            self.ws()
            if self.s.startswith("]", self.i):
                self.i += 1
                return out
            while True:
                out.append(self.value())
                self.ws()
                if self.s.startswith(",", self.i):
                    self.i += 1
                elif self.s.startswith("]", self.i):
                    self.i += 1
                    return out
                else:
                    raise self.error("expected , or ]")
        if c == "{":
            self.i += 1
            out = {}
            self.ws()
            if self.s.startswith("}", self.i):
                self.i += 1
                return out
            while True:
                self.ws()
                m = re.compile(r"`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*)").match(self.s, self.i)
                if not m:
                    raise self.error("expected a map key")
                self.i = m.end()
                self.ws()
                if not self.s.startswith(":", self.i):
                    raise self.error("expected :")
                self.i += 1
                out[m.group(1) or m.group(2)] = self.value()
                self.ws()
                if self.s.startswith(",", self.i):
                    self.i += 1
                elif self.s.startswith("}", self.i):
                    self.i += 1
                    return out
                else:
                    raise self.error("expected , or }")
        m = self._num.match(self.s, self.i)
        if m:
            self.i = m.end()
            t = m.group(0)
            return float(t) if any(ch in t for ch in ".eE") else int(t)
        for word, val in (("null", None), ("true", True), ("false", False)):
            if self.s[self.i:self.i + len(word)].lower() == word:
                self.i += len(word)
                return val
        raise self.error("unexpected text")

    def string(self, quote: str) -> str:
        self.i += 1
        out = []
        esc = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "\\" and self.i + 1 < len(self.s):
                out.append(esc.get(self.s[self.i + 1], self.s[self.i + 1]))
                self.i += 2
                continue
            if c == quote:
                self.i += 1
                return "".join(out)
            out.append(c)
            self.i += 1
        raise self.error("unterminated string")


def parse_cypher_literal(text: str):
    """Read a Cypher literal: ``'micro'``, ``25``, ``0.85``, ``null``, ``['a', 'b']``, ``{k: 1}``.

    >>> parse_cypher_literal("['Set 1', 'Set 2']")
    ['Set 1', 'Set 2']
    >>> parse_cypher_literal("{id: '1', props: {followers: 12000}}")
    {'id': '1', 'props': {'followers': 12000}}
    """
    r = _Literal(text)
    v = r.value()
    r.ws()
    if r.i != len(r.s):
        raise r.error("unexpected text after the value")
    return v


def parse_param(text: str, defaults: Mapping | None = None) -> tuple[str, object]:
    """``KEY=VALUE`` from the command line → ``(key, value)``.

    VALUE is read as JSON when it parses (``25``, ``0.5``, ``null``, ``["a","b"]``), else kept as
    text. Where the query's default for KEY is text (or a list of text), numbers are kept as text,
    so ``--param a=1001`` matches the account id ``'1001'``.

    >>> parse_param("limit=10")
    ('limit', 10)
    >>> parse_param("a=1001", {"a": "Set 1"})
    ('a', '1001')
    >>> parse_param('ids=["x", 2]', {"ids": ["Set 1"]})
    ('ids', ['x', '2'])
    """
    key, sep, raw = str(text).partition("=")
    key = key.strip()
    if not sep or not key or not _IDENT.match(key):
        raise InputError(f"--param expects KEY=VALUE with KEY a plain name, got {text!r}",
                         hint="e.g. --param limit=25 --param ids='[\"a\",\"b\"]'")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    default = (defaults or {}).get(key)
    if (isinstance(default, (int, float)) and not isinstance(default, bool)
            and (isinstance(value, bool) or not isinstance(value, (int, float))
                 or (isinstance(default, int) and not isinstance(value, int)))):
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise InputError(f"--param {key} expects {kind} (its default is {default!r}), got {raw!r}",
                         hint=f"e.g. --param {key}={default!r}")
    if isinstance(default, str) and not isinstance(value, str):
        value = raw
    elif isinstance(default, list) and default and all(isinstance(x, str) for x in default):
        if isinstance(value, list):
            value = [x if isinstance(x, str) else (json.dumps(x) if not isinstance(x, (int, float)) else str(x))
                     for x in value]
        elif isinstance(value, str):
            value = [v.strip() for v in raw.split(",") if v.strip()]
    return key, value


def resolve_params(query: Query, given: Mapping | None) -> dict:
    """The query's header defaults overridden by ``given``; unknown names raise :class:`InputError`."""
    given = dict(given or {})
    unknown = [k for k in given if k not in query.params]
    if unknown:
        known = ", ".join(query.params) or "none"
        raise InputError(f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))}",
                         hint=f"its parameters are: {known}")
    return {**query.params, **given}


# ============================================================================ value cleaning
def _py(v):
    """A plain Python value for the drivers (None for NaN / missing)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_py(x) for x in v]
    return v if isinstance(v, (str, int)) else str(v)


def property_name(column: str) -> str:
    """A column name as a property key: letters, digits and ``_`` (other characters become ``_``)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", str(column).strip())
    if not name or name[0].isdigit():
        name = "p_" + name
    return name


def _prop_rows(df: pd.DataFrame, *, skip: Iterable[str] = ()) -> list[dict]:
    """``[{id, props}]`` rows from a DataFrame indexed by id; null values are left out."""
    skip = set(skip)
    cols = [c for c in df.columns if c not in skip]
    names = [property_name(c) for c in cols]
    ids = df.index.astype(str).tolist()
    columns = []
    for c in cols:
        s = df[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        columns.append([_py(v) for v in s.tolist()])
    out = []
    for i, id_ in enumerate(ids):
        props = {}
        for name, col in zip(names, columns):
            v = col[i]
            if v is not None:
                props[name] = v
        out.append({"id": id_, "props": props})
    return out


# ============================================================================ stores
@dataclass
class WriteCounts:
    """What a write changed, summed over batches (as the database reports it)."""

    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0

    def add(self, other: "WriteCounts") -> None:
        self.nodes_created += other.nodes_created
        self.relationships_created += other.relationships_created
        self.properties_set += other.properties_set

    @property
    def changed(self) -> bool:
        return bool(self.nodes_created or self.relationships_created or self.properties_set)


class Store:
    """What graphinflu needs from a graph database; :class:`Neo4jStore` and :class:`FalkorDBStore`
    implement it. Use as a context manager, or call :meth:`close`."""

    kind = "store"
    target = ""
    has_gds = False

    def run(self, statement: str, params: Mapping | None = None, *, write: bool = False) -> pd.DataFrame:
        """Run one statement, return its rows as a DataFrame (columns in RETURN order)."""
        raise NotImplementedError

    def write(self, statement: str, params: Mapping) -> WriteCounts:
        """Run one write statement in its own transaction (retried when the error is transient)."""
        raise NotImplementedError

    def setup_schema(self) -> None:
        """Create the constraint / indexes (idempotent)."""
        raise NotImplementedError

    def labels(self) -> list[str]:
        return [str(x) for x in self.run("CALL db.labels() YIELD label RETURN label").iloc[:, 0]]

    def relationship_types(self) -> list[str]:
        df = self.run("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType")
        return [str(x) for x in df.iloc[:, 0]]

    def counts(self) -> dict:
        """Nodes, relationships and stored property values (to check that a re-push changed nothing)."""
        def one(stmt):
            df = self.run(stmt)
            return int(df.iloc[0, 0]) if len(df) else 0

        nodes = one("MATCH (n) RETURN count(n) AS n")
        rels = one("MATCH ()-[r]->() RETURN count(r) AS n")
        props = one("MATCH (n) UNWIND keys(n) AS k RETURN count(k) AS n")
        props += one("MATCH ()-[r]->() UNWIND keys(r) AS k RETURN count(k) AS n")
        return {"nodes": nodes, "relationships": rels, "properties": props}

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.target}>"


def _frame(columns: list[str], rows: list) -> pd.DataFrame:
    df = pd.DataFrame([list(r) for r in rows], columns=columns) if rows else pd.DataFrame(columns=columns)
    return df


def _return_columns(statement: str) -> list[str]:
    """Column names of the final RETURN / YIELD (for an empty result from a graph not yet created)."""
    m = re.search(r"\b(?:RETURN|YIELD)\b(?!.*\b(?:RETURN|YIELD)\b)(.*?)(?:\bORDER\s+BY\b|\bSKIP\b|\bLIMIT\b|$)",
                  statement, re.S | re.I)
    if not m:
        return []
    parts, depth, cur = [], 0, []
    for ch in m.group(1):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    out = []
    for part in (p.strip() for p in parts):
        alias = re.search(r"\bAS\s+(\w+)\s*$", part, re.I)
        if part:
            out.append(alias.group(1) if alias else part)
    return out


def _plain(v):
    """Driver values → plain Python (nodes and relationships become their property maps)."""
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    props = getattr(v, "properties", None)
    if isinstance(props, dict):  # FalkorDB Node / Edge
        return dict(props)
    items = getattr(v, "items", None)
    if callable(items) and hasattr(v, "element_id"):  # neo4j Node / Relationship
        return dict(items())
    return v


# ---------------------------------------------------------------------------- Neo4j
_URI_USERINFO = re.compile(r"(?<=://)(?:([^/@:]*):)?([^/@]*)@")


def _redact_uri(uri: str) -> str:
    """``bolt://user:secret@host`` → ``bolt://user:***@host`` (and ``//secret@`` → ``//***@``)."""
    return _URI_USERINFO.sub(lambda m: (f"{m.group(1)}:" if m.group(1) is not None else "") + "***@", str(uri), count=1)


class Neo4jStore(Store):
    """A Neo4j database through the official driver.

    Writes run in managed transactions (``session.execute_write``), which the driver retries on
    transient errors (deadlocks, leader switches, lost connections) for up to
    ``max_transaction_retry_time`` seconds; every write statement graphinflu sends is a MERGE,
    so a retried or re-run batch changes nothing twice. The password is never printed.
    """

    kind = "neo4j"

    def __init__(self, uri: str, username: str | None = None, password: str | None = None,
                 database: str | None = None, *, retry_seconds: float = 30.0):
        try:
            import neo4j
        except ImportError as err:  # pragma: no cover - neo4j is a dependency
            from .errors import MissingDependencyError

            raise MissingDependencyError("neo4j", "neo4j") from err
        self._neo4j = neo4j
        self._raw_uri = uri
        self.uri = _redact_uri(uri)  # a password written into the URI is never printed either
        self.target = self.uri + (f" (database {database})" if database else "")
        self.username = username or "neo4j"
        self._secret = password or ""
        self.database = database or None
        auth = (self.username, self._secret) if password is not None else None
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=auth, max_transaction_retry_time=retry_seconds,
                                                     connection_timeout=10.0)
        except Exception as err:  # bad URI scheme, malformed address
            raise StoreError(f"cannot use the Neo4j address {self.uri!r}: {self._clean(err)}",
                             hint="use bolt://HOST:7687 or neo4j://HOST:7687 (neo4j+s:// for Aura)") from err
        try:
            try:
                self.driver.verify_connectivity()  # fails fast (no retries) when unreachable
            except Exception as err:
                new = self._translate(err)
                if new is err:
                    raise
                raise new from None
            self.run("RETURN 1 AS ok")  # a missing database shows here
        except BaseException:
            self.driver.close()
            raise
        self.has_gds = self._probe_gds()

    def _clean(self, err) -> str:
        text = " ".join(str(getattr(err, "message", None) or err).split()) or type(err).__name__
        text = text if len(text) <= 240 else text[:237] + "..."

        if self._raw_uri != self.uri:
            text = text.replace(self._raw_uri, self.uri)
            secret = _URI_USERINFO.search(self._raw_uri)
            if secret and secret.group(2):
                text = text.replace(secret.group(2), "***")
        if self._secret:
            text = text.replace(self._secret, "***")
        return text

    def _translate(self, err: Exception) -> Exception:
        ex = self._neo4j.exceptions
        code = getattr(err, "code", "") or ""
        if isinstance(err, ex.AuthError) or "Security.Unauthorized" in code:
            return StoreError(f"Neo4j at {self.uri} rejected the credentials of user {self.username!r}",
                              hint="check NEO4J_USERNAME and NEO4J_PASSWORD (or --username/--password)")
        if isinstance(err, ex.ServiceUnavailable) or isinstance(err, (OSError, ConnectionError)):
            return StoreError(f"cannot reach Neo4j at {self.uri}: {self._clean(err)}",
                              hint="start the server (docker run -p 7687:7687 neo4j:5) or check NEO4J_URI")
        if "DatabaseNotFound" in code:
            return StoreError(f"database {self.database!r} does not exist on {self.uri}",
                              hint="create it (CREATE DATABASE ...) or check NEO4J_DATABASE / --database")
        if "ProcedureNotFound" in code and "gds." in str(err):
            return GDSNotAvailableError(
                f"the Graph Data Science plugin is not installed on {self.uri} ({self._clean(err)})",
                hint="install GDS (docker: -e NEO4J_PLUGINS='[\"graph-data-science\"]'), or compute the "
                     "metrics with graphinflu and push them")
        if isinstance(err, ex.Neo4jError):
            return StoreError(f"Neo4j error {code or type(err).__name__}: {self._clean(err)}")
        if isinstance(err, ex.DriverError):
            return StoreError(f"Neo4j driver error ({type(err).__name__}): {self._clean(err)}")
        return err

    def _session(self):
        return self.driver.session(database=self.database) if self.database else self.driver.session()

    def run(self, statement, params=None, *, write=False):
        def work(tx):
            res = tx.run(statement, dict(params or {}))
            keys = list(res.keys())
            rows = [[_plain(v) for v in rec.values()] for rec in res]
            return keys, rows

        try:
            with self._session() as s:
                keys, rows = (s.execute_write if write else s.execute_read)(work)
        except Exception as err:
            new = self._translate(err)
            if new is err:
                raise
            raise new from None
        return _frame(keys, rows)

    def write(self, statement, params):
        def work(tx):
            summary = tx.run(statement, dict(params)).consume()
            c = summary.counters
            return WriteCounts(c.nodes_created, c.relationships_created, c.properties_set)

        try:
            with self._session() as s:
                return s.execute_write(work)
        except Exception as err:
            new = self._translate(err)
            if new is err:
                raise
            raise new from None

    def _probe_gds(self) -> bool:
        try:
            self.run("RETURN gds.version() AS version")
            return True
        except StoreError:
            return False

    def setup_schema(self):
        for stmt in get_query("schema").statements:
            try:
                with self._session() as s:
                    s.run(stmt).consume()
            except Exception as err:
                new = self._translate(err)
                if new is err:
                    raise
                raise new from None

    def close(self):
        self.driver.close()


# ---------------------------------------------------------------------------- FalkorDB
class FalkorDBStore(Store):
    """An embedded FalkorDB (``falkordblite``): the engine runs beside this process, its data in
    ``path`` (an RDB file, created if missing), the graph called ``graph``.

    FalkorDB speaks openCypher; graphinflu's question and load files are written in the subset
    that Neo4j and FalkorDB share. Connection errors are retried ``retries`` times (a batch is a
    MERGE, so running it again is safe).
    """

    kind = "falkordb"

    def __init__(self, path: str | os.PathLike, graph: str | None = None, *, retries: int = 3):
        if sys.version_info < (3, 12):
            raise StoreError("the embedded FalkorDB (falkordblite) needs Python 3.12 or newer",
                             hint="use Neo4j (--uri) or run graphinflu on Python >= 3.12")
        try:
            from redislite.falkordb_client import FalkorDB
        except ImportError as err:
            from .errors import MissingDependencyError

            raise MissingDependencyError("falkordblite", "falkordb") from err
        p = Path(path).expanduser()
        if p.is_dir():
            p = p / "graphinflu.falkordb"
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the folder for the FalkorDB file {p}: {err.strerror}") from err
        self.path = p
        self.graph_name = graph or DEFAULT_GRAPH
        self.target = f"falkordb://{p} (graph {self.graph_name})"
        self.retries = retries
        try:
            self.db = FalkorDB(str(p))
        except Exception as err:
            raise StoreError(f"cannot start the embedded FalkorDB on {p}: {str(err).splitlines()[0] if str(err) else err!r}",
                             hint="check that the file is writable and not used by another program") from err
        self.graph = self.db.select_graph(self.graph_name)

    def _call(self, fn, statement, params):
        import redis

        delay = 0.2
        for attempt in range(self.retries + 1):
            try:
                return fn(statement, params)
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                    redis.exceptions.BusyLoadingError) as err:
                if attempt == self.retries:
                    raise StoreError(f"the embedded FalkorDB stopped answering ({type(err).__name__}: {err})",
                                     hint="run the same command again: loads are idempotent") from err
                time.sleep(delay)
                delay *= 2
            except redis.exceptions.ResponseError as err:
                msg = str(err).splitlines()[0] if str(err) else type(err).__name__
                if "empty key" in msg:  # the graph does not exist yet: nothing to read
                    return None
                if "gds." in statement and ("Procedure" in msg or "procedure" in msg or "Unknown function" in msg):
                    raise GDSNotAvailableError(
                        "this query needs Neo4j's Graph Data Science plugin; FalkorDB cannot run it",
                        hint="run it against Neo4j with GDS (--uri), or use graphinflu's own metrics") from err
                raise StoreError(f"FalkorDB error: {msg}") from err

    def run(self, statement, params=None, *, write=False):
        params = {k: _py(v) if not isinstance(v, (list, dict)) else v for k, v in (params or {}).items()}
        fn = self.graph.query if write else self.graph.ro_query
        if not write and re.search(r"\b(MERGE|CREATE|SET|DELETE|REMOVE)\b", statement, re.I):
            fn = self.graph.query
        res = self._call(fn, statement, params or None)
        if res is None:
            return _frame(_return_columns(statement), [])
        cols = [h[1] for h in (res.header or [])]
        rows = [[_plain(v) for v in row] for row in (res.result_set or [])]
        return _frame(cols, rows)

    def write(self, statement, params):
        res = self._call(self.graph.query, statement, dict(params))
        return WriteCounts(int(res.nodes_created or 0), int(res.relationships_created or 0),
                           int(res.properties_set or 0))

    def setup_schema(self):
        # FalkorDB has no CREATE CONSTRAINT ... IF NOT EXISTS; an exact-match index on the key is
        # what the MERGEs need. Creating it twice is an error we skip.
        existing = self.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
        have = {(r["label"], p) for _, r in existing.iterrows() for p in (r["properties"] or [])}
        for prop in ("id", "handle", "community", "tier", "category"):
            if (LABEL, prop) not in have:
                self._call(self.graph.query, f"CREATE INDEX FOR (a:{LABEL}) ON (a.{prop})", None)

    def close(self):
        db = getattr(self, "db", None)
        if db is not None:
            try:
                # SHUTDOWN drops the connection on purpose; without this redis-py would retry it
                # with back-off for seconds before redislite saves and stops the engine
                from redis.backoff import NoBackoff
                from redis.retry import Retry

                db.client.set_retry(Retry(NoBackoff(), 0))
            except (ImportError, AttributeError):  # pragma: no cover - older redis-py
                pass
            try:
                db.close()
            finally:
                self.db = None


# ---------------------------------------------------------------------------- connect
def connect(
    target: str | None = None,
    *,
    uri: str | None = None,
    username: str | None = None,
    password: str | None = None,
    database: str | None = None,
    env: Mapping | None = None,
) -> Store:
    """Open the store named by ``target`` (``falkordb://PATH``, or a Neo4j URI), else by ``uri``,
    else by ``NEO4J_URI`` (with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``).

    For FalkorDB, ``database`` names the graph (default ``graphinflu``).
    """
    env = os.environ if env is None else env
    target = target or uri or env.get("NEO4J_URI")
    if not target:
        raise StoreError("no database given",
                         hint="set NEO4J_URI (e.g. bolt://localhost:7687) or pass --uri, "
                              "or --target falkordb://PATH for the embedded FalkorDB")
    target = str(target)
    if target.startswith("falkordb://"):
        path = target[len("falkordb://"):]
        if not path:
            raise StoreError("falkordb:// needs a file path", hint="e.g. --target falkordb://./graph.falkordb")
        return FalkorDBStore(path, database)
    if target.startswith("falkordb:"):
        raise StoreError(f"cannot read the target {target!r}", hint="write falkordb://PATH, e.g. falkordb://./graph.db")
    return Neo4jStore(
        target,
        username if username is not None else env.get("NEO4J_USERNAME", env.get("NEO4J_USER", "neo4j")),
        password if password is not None else env.get("NEO4J_PASSWORD"),
        database if database is not None else env.get("NEO4J_DATABASE"),
    )


# ============================================================================ push
ProgressFn = Callable[[str, int, int], None]


@dataclass
class PushReport:
    """Rows sent and what the database changed, per step, plus timings."""

    rows: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    counts: WriteCounts = field(default_factory=WriteCounts)

    def rate(self, step: str) -> float:
        s = self.seconds.get(step, 0.0)
        return self.rows.get(step, 0) / s if s > 0 else float("nan")


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


def account_rows(graph: Graph) -> list[dict]:
    """``[{id, props}]`` for :file:`load_accounts.cypher`: the handle and every profile column.

    A handle equal to the id is the filler :class:`Graph` puts where no handle was loaded; it is
    left out, so pushing a bare edge list does not overwrite handles stored by an earlier push.
    """
    rows = _prop_rows(graph.accounts)
    for r in rows:
        if r["props"].get("handle") == r["id"]:
            del r["props"]["handle"]
    return rows


def follow_rows(graph: Graph) -> list[dict]:
    """``[{s, t}]`` (follower id, followed id) for :file:`load_follows.cypher`."""
    s, t, _ = graph.edge_arrays("follows")
    ids = graph.ids.to_numpy(dtype=object)
    return [{"s": a, "t": b} for a, b in zip(ids[s].tolist(), ids[t].tolist())]


def interaction_rows(graph: Graph, kind: str) -> list[dict]:
    """``[{s, t, w, ts}]`` for :file:`load_interactions.cypher` (one kind)."""
    check_kind(kind)
    e = graph.edges[(graph.edges["kind"] == kind).to_numpy()]
    ids = graph.ids.to_numpy(dtype=object)
    src = ids[e["source"].to_numpy()].tolist()
    dst = ids[e["target"].to_numpy()].tolist()
    w = [_py(x) for x in e["weight"].tolist()]
    ts = [_py(x) for x in e["timestamp"].tolist()] if "timestamp" in e else [None] * len(e)
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
    return [{"a": x, "b": y, "shared": int(s), "jaccard": _py(j), "overlap_coefficient": _py(o)}
            for x, y, s, j, o in zip(lo.tolist(), hi.tolist(), pairs["shared"].tolist(),
                                     pairs["jaccard"].tolist(), pairs["overlap_coefficient"].tolist())]


def account_metrics(graph: Graph, *, posts: pd.DataFrame | None = None, communities: bool = True,
                    seed: int = 0) -> pd.DataFrame:
    """The per-account findings graphinflu writes back, one column per property.

    ``pagerank``, ``hub``, ``authority``, ``indegree`` (:func:`~graphinflu.metrics.authority.authority_scores`,
    when there are follows), ``followers`` and ``followers_source`` and ``tier``
    (:func:`~graphinflu.metrics.tiers.tiers`), ``community``
    (:func:`~graphinflu.metrics.communities.communities`, Leiden, ``seed``) and
    ``engagement_rate`` (:func:`~graphinflu.metrics.tiers.engagement`, when ``posts`` are given).
    """
    from .metrics import authority, tiers

    parts = []
    if "follows" in graph.kinds_present():
        parts.append(authority.authority_scores(graph)[["pagerank", "hub", "authority", "indegree"]])
    parts.append(tiers.tiers(graph)[["followers", "followers_source", "tier"]])
    if communities and graph.n_edges:
        from .metrics import communities as comm

        parts.append(comm.communities(graph, seed=seed)[["community"]])
    if posts is not None:
        eng = tiers.engagement(graph, posts, on_unknown="skip")
        parts.append(eng[["engagement_rate"]])
    out = pd.concat(parts, axis=1)
    out.index.name = "id"
    return out


def push(
    store: Store,
    graph: Graph,
    *,
    metrics: pd.DataFrame | None = None,
    overlap: pd.DataFrame | None = None,
    batch_size: int = DEFAULT_BATCH,
    schema: bool = True,
    progress: ProgressFn | None = None,
) -> PushReport:
    """Load ``graph`` (accounts, follows, interactions), then ``metrics`` (a DataFrame indexed by
    account id; each column becomes a property) and ``overlap`` (pairs from
    :func:`~graphinflu.metrics.overlap.overlap_pairs`, as ``SHARES_AUDIENCE``) into ``store``.

    Order: schema, accounts, follows, each interaction kind, metrics, overlap; each in batches
    of ``batch_size`` rows, one transaction per batch. Everything is a MERGE on the account id
    (and the relationship between two accounts), with ``SET`` of the same values, so a second
    push of the same data changes nothing, and a push that failed half-way can simply be run
    again. ``progress(step, rows_done, rows_total)`` is called after every batch.
    """
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise InputError(f"batch size must be a positive integer, not {batch_size!r}")
    report = PushReport()
    if schema:
        store.setup_schema()
    _send(store, get_query("load_accounts").statement, account_rows(graph), "accounts", batch_size, report, progress)
    if "follows" in graph.kinds_present():
        _send(store, get_query("load_follows").statement, follow_rows(graph), "follows", batch_size, report,
              progress)
    inter = get_query("load_interactions")
    for kind in graph.kinds_present():
        if kind == "follows":
            continue
        _send(store, inter.render(rel_type=REL_TYPES[kind]), interaction_rows(graph, kind), kind, batch_size,
              report, progress)
    if metrics is not None and len(metrics.columns):
        m = metrics.copy()
        m.index = m.index.astype(str)
        unknown = ~m.index.isin(graph.ids)
        if unknown.any():
            raise InputError(f"{int(unknown.sum())} metric rows are for accounts not in the graph "
                             f"(e.g. {list(m.index[unknown][:3])})", hint="compute the metrics on the same graph")
        _send(store, get_query("write_metrics").statement, _prop_rows(m), "metrics", batch_size, report, progress)
    if overlap is not None and len(overlap):
        _send(store, get_query("write_overlap").statement, overlap_rows(overlap), "overlap", batch_size, report,
              progress)
    return report


# ============================================================================ run a library query
def run_query(store: Store, name: str, params: Mapping | None = None) -> pd.DataFrame:
    """Run the library query ``name`` with its header defaults overridden by ``params``.

    GDS queries check for the plugin first (:class:`GDSNotAvailableError`); ``schema`` runs
    :meth:`Store.setup_schema`.
    """
    q = get_query(name)
    values = resolve_params(q, params)
    if q.kind == "schema":
        store.setup_schema()
        return pd.DataFrame({"statement": list(q.statements)})
    if q.kind == "gds" and not store.has_gds:
        what = "FalkorDB cannot run it" if store.kind == "falkordb" else f"{store.target} does not have it"
        raise GDSNotAvailableError(f"query {name!r} needs Neo4j's Graph Data Science plugin; {what}",
                                   hint="install GDS (docker: -e NEO4J_PLUGINS='[\"graph-data-science\"]'), or "
                                        "use graphinflu's own metrics and push them")
    return store.run(q.statement, values, write=q.kind in ("write", "gds"))


# ============================================================================ neo4j-admin import files
_ADMIN_TYPES = {"i": "long", "u": "long", "f": "double", "b": "boolean"}


def _admin_type(s: pd.Series) -> str:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return "string"
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_integer_dtype(s):
        return "long"
    if pd.api.types.is_float_dtype(s):
        non_null = s.dropna()
        if len(non_null) and np.all(np.mod(non_null.to_numpy(), 1) == 0) and s.name in ("followers", "following",
                                                                                         "posts", "indegree"):
            return "long"
        return "double"
    return "string"


def _fmt(v, typ: str) -> str:
    v = _py(v)
    if v is None:
        return ""
    if typ == "long":
        return str(int(v))
    if typ == "double":
        return repr(float(v))
    if typ == "boolean":
        return "true" if v else "false"
    return str(v)


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
    * ``follows.csv``: ``:START_ID(Account)``, ``:END_ID(Account)``, ``:TYPE`` (``FOLLOWS``);
    * ``<kind>.csv`` per interaction kind: the same plus ``weight:double``, ``timestamp:double``;
    * ``shares_audience.csv`` (when ``overlap`` is given): plus ``shared:long``,
      ``jaccard:double``, ``overlap_coefficient:double``.

    Each file is written atomically; README.md last. Empty cells mean "no property".
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder", path=out, hint="give a folder for the import files")
    acc = graph.accounts.copy()
    if metrics is not None:
        m = metrics.copy()
        m.index = m.index.astype(str)
        for c in m.columns:
            acc[c] = m[c].reindex(acc.index)
    cols = [c for c in acc.columns]
    types = {c: ("string" if c == "handle" else _admin_type(acc[c])) for c in cols}
    names = {c: property_name(c) for c in cols}
    written: list[Path] = []

    acc_path = out / "accounts.csv"
    with atomic_write(acc_path, "w") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id:ID(Account)"] + [names[c] if types[c] == "string" else f"{names[c]}:{types[c]}" for c in cols]
                   + [":LABEL"])
        columns = [[_fmt(v, types[c]) for v in (acc[c].astype(object) if isinstance(acc[c].dtype, pd.CategoricalDtype)
                                                 else acc[c]).tolist()] for c in cols]
        for i, id_ in enumerate(acc.index.astype(str).tolist()):
            w.writerow([id_] + [col[i] for col in columns] + [LABEL])
    written.append(acc_path)

    ids = graph.ids.to_numpy(dtype=object)
    rel_files = []
    for kind in graph.kinds_present():
        e = graph.edges[(graph.edges["kind"] == kind).to_numpy()]
        path = out / f"{kind}.csv"
        with atomic_write(path, "w") as fh:
            w = csv.writer(fh, lineterminator="\n")
            head = [":START_ID(Account)", ":END_ID(Account)", ":TYPE"]
            if kind != "follows":
                head += ["weight:double", "timestamp:double"]
            w.writerow(head)
            src = ids[e["source"].to_numpy()].tolist()
            dst = ids[e["target"].to_numpy()].tolist()
            typ = REL_TYPES[kind]
            if kind == "follows":
                w.writerows([a, b, typ] for a, b in zip(src, dst))
            else:
                wt = e["weight"].tolist()
                ts = e["timestamp"].tolist() if "timestamp" in e else [None] * len(e)
                w.writerows([a, b, typ, _fmt(x, "double"), _fmt(t, "double")] for a, b, x, t in zip(src, dst, wt, ts))
        written.append(path)
        rel_files.append(path.name)
    if overlap is not None and len(overlap):
        path = out / "shares_audience.csv"
        with atomic_write(path, "w") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow([":START_ID(Account)", ":END_ID(Account)", ":TYPE", "shared:long", "jaccard:double",
                        "overlap_coefficient:double"])
            for r in overlap_rows(overlap):
                w.writerow([r["a"], r["b"], OVERLAP_TYPE, r["shared"], _fmt(r["jaccard"], "double"),
                            _fmt(r["overlap_coefficient"], "double")])
        written.append(path)
        rel_files.append(path.name)

    args = " \\\n  ".join(
        ["--nodes=/import/accounts.csv"] + [f"--relationships=/import/{f}" for f in rel_files]
        + ["--multiline-fields=true", "--overwrite-destination=true", database])
    local = " \\\n  ".join(
        ["--nodes=accounts.csv"] + [f"--relationships={f}" for f in rel_files]
        + ["--multiline-fields=true", "--overwrite-destination=true", database])
    readme = f"""# Neo4j bulk import files (written by graphinflu)

{graph.n_accounts:,} accounts and {graph.n_edges:,} relationships
({", ".join(f"{k}: {int((graph.edges['kind'] == k).sum()):,}" for k in graph.kinds_present())}).

| file | contents |
|---|---|
| accounts.csv | one row per account: `id:ID(Account)`, profile and metric columns (typed), `:LABEL` |
""" + "".join(f"| {f} | `:START_ID(Account)`, `:END_ID(Account)`, `:TYPE`"
              + (", `weight:double`, `timestamp:double`" if f not in ("follows.csv", "shares_audience.csv") else "")
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

Then start Neo4j and create the constraint and indexes (graphinflu's `cypher/schema.cypher`):

```sh
graphinflu neo4j query schema
```

`--multiline-fields=true` is there because handles may contain line breaks; empty cells are
missing properties. Account ids are the `id` property, in the `Account` id space.
"""
    with atomic_write(out / "README.md", "w") as fh:
        fh.write(readme)
    written.append(out / "README.md")
    return written
