"""The databases graphinflu talks to: a :class:`Store` interface and two backends.

* :class:`Neo4jStore`: the official driver; writes in managed transactions, which the driver
  retries on transient errors. A password (given, or written into the URI) is never printed.
* :class:`FalkorDBStore`: ``falkordblite``, an embedded engine started by the process itself,
  its data in one file.

:func:`connect` opens the one a target names. Both drivers are imported on first use through
:func:`graphinflu._lazy.optional_import` (a missing one names the extra that installs it).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping
from urllib.parse import urlsplit

import pandas as pd

from .._lazy import optional_import
from ..errors import GDSNotAvailableError, StoreError
from ..params import _Params
from .catalog import get_query
from .model import LABEL, epoch_seconds, plain_value

__all__ = ["WriteCounts", "Store", "Neo4jStore", "FalkorDBStore", "connect", "redact_uri", "check_neo4j_uri",
           "BOLT_SCHEMES", "DEFAULT_GRAPH"]

#: The FalkorDB graph graphinflu uses when none is named.
DEFAULT_GRAPH = "graphinflu"


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
    #: Whether interaction times are stored as temporal values: ``datetime`` (UTC) on Neo4j;
    #: FalkorDB has no zoned ``datetime`` and takes no temporal parameters, so it stores epoch
    #: seconds (a ``datetime`` parameter is turned into them).
    temporal = False

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
    return pd.DataFrame([list(r) for r in rows], columns=columns) if rows else pd.DataFrame(columns=columns)


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
#: Everything up to the LAST ``@`` after the scheme (or from the start when there is no ``://``):
#: the user info, however many ``/``, ``:`` or ``@`` it holds, and however the scheme is misspelt.
_URI_USERINFO = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(.*)@")
#: The URI schemes of the Bolt protocol (the only one graphinflu speaks to Neo4j).
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_USE_BOLT = "use bolt://HOST:7687 or neo4j://HOST:7687 (neo4j+s://HOST for Aura)"
#: What a write inside a read-only command says, on either backend.
READ_ONLY_MESSAGE = "the query writes to the database, but this command only reads"
READ_ONLY_HINT = ("remove CREATE / MERGE / SET / DELETE / REMOVE from the query "
                  "(graphinflu neo4j push writes graphs)")


def redact_uri(uri: str) -> str:
    """``bolt://user:secret@host`` → ``bolt://***@host``: the user info (up to the last ``@``) never shows.

    >>> redact_uri("bolt://neo4j:pa/ss@db:7687")
    'bolt://***@db:7687'
    >>> redact_uri("neo4j:hunter2@localhost:7687"), redact_uri("bolt:/u:pw@h"), redact_uri("bolt://db:7687")
    ('***@localhost:7687', '***@h', 'bolt://db:7687')
    """
    text = str(uri)
    m = _URI_USERINFO.match(text)
    return text if m is None else text[:m.start(1)] + "***" + text[m.end(1):]


def check_neo4j_uri(uri: str) -> None:
    """Refuse, before any driver sees it, an address graphinflu cannot use: one with user info
    (the driver rejects it, or worse, takes part of the password for the host), an HTTP one, or
    one without a Bolt scheme. The message shows the address redacted."""
    shown = redact_uri(uri)
    scheme, sep, _ = uri.partition("://")
    if _URI_USERINFO.match(uri):  # checked first: every later message would otherwise quote it
        raise StoreError(f"cannot use the Neo4j address {shown!r}: it holds a user name or password",
                         hint="put them in NEO4J_USERNAME / NEO4J_PASSWORD (or --username / --password) and "
                              "give the address without them, e.g. bolt://HOST:7687")
    if scheme.lower() in ("http", "https"):
        raise StoreError(f"{shown!r} is an HTTP address, but graphinflu talks to Neo4j over Bolt",
                         hint=_USE_BOLT + "; port 7474 is the browser's")
    if not sep or scheme.lower() not in BOLT_SCHEMES:
        raise StoreError(f"{shown!r} is not a Neo4j address", hint=_USE_BOLT)
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in 0-65535
    except ValueError as err:
        raise StoreError(f"cannot read the Neo4j address {shown!r}: {err}", hint=_USE_BOLT) from err
    if not parts.hostname:
        raise StoreError(f"the Neo4j address {shown!r} names no host", hint=_USE_BOLT)


class Neo4jStore(Store):
    """A Neo4j database through the official driver.

    Writes run in managed transactions (``session.execute_write``), which the driver retries on
    transient errors (deadlocks, leader switches, lost connections) for up to
    ``max_transaction_retry_time`` seconds; every write statement graphinflu sends is a MERGE,
    so a retried or re-run batch changes nothing twice. Reads run in read transactions, in which
    the server refuses writes. The password is never printed, and an address with user info in
    it is refused (:func:`check_neo4j_uri`).
    """

    kind = "neo4j"
    temporal = True

    def __init__(self, uri: str, username: str | None = None, password: str | None = None,
                 database: str | None = None, *, retry_seconds: float = 30.0):
        uri = str(uri)
        check_neo4j_uri(uri)
        neo4j = optional_import("neo4j")
        self._neo4j = neo4j
        self.uri = redact_uri(uri)
        self.target = self.uri + (f" (database {database})" if database else "")
        self.username = username or "neo4j"
        self._secret = password or ""
        self.database = database or None
        auth = (self.username, self._secret) if password is not None else None
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=auth, max_transaction_retry_time=retry_seconds,
                                                     connection_timeout=10.0)
        except Exception as err:  # malformed address or port
            raise StoreError(f"cannot use the Neo4j address {self.uri!r}: {self._clean(err)}",
                             hint=_USE_BOLT) from err
        try:
            with self._translated(connecting=True):
                self.driver.verify_connectivity()  # fails fast (no retries) when unreachable
            self.run("RETURN 1 AS ok")  # a missing database shows here
        except BaseException:
            self.driver.close()
            raise
        self.has_gds = self._probe_gds()

    def _clean(self, err) -> str:
        text = " ".join(str(getattr(err, "message", None) or err).split()) or type(err).__name__
        text = text if len(text) <= 240 else text[:237] + "..."
        if self._secret:
            text = text.replace(self._secret, "***")
        return text

    def _translate(self, err: Exception, connecting: bool = False) -> Exception:
        ex = self._neo4j.exceptions
        code = getattr(err, "code", "") or ""
        if "Statement.AccessMode" in code:
            return StoreError(READ_ONLY_MESSAGE, hint=READ_ONLY_HINT)
        if isinstance(err, ex.AuthError) or "Security.Unauthorized" in code:
            return StoreError(f"Neo4j at {self.uri} rejected the credentials of user {self.username!r}",
                              hint="check NEO4J_USERNAME and NEO4J_PASSWORD (or --username/--password)")
        if isinstance(err, (ex.ServiceUnavailable, OSError)) or connecting and not isinstance(err, ex.Neo4jError):
            return StoreError(f"cannot reach Neo4j at {self.uri}: {self._clean(err)}",
                              hint="start the server (docker run -p 7687:7687 neo4j:5) or check NEO4J_URI")
        if "DatabaseNotFound" in code:
            return StoreError(f"database {self.database!r} does not exist on {self.uri}",
                              hint="create it (CREATE DATABASE ...) or check NEO4J_DATABASE / --database")
        if "ProcedureNotFound" in code and "gds." in str(err) and getattr(self, "has_gds", False):
            return GDSNotAvailableError(
                f"the Graph Data Science plugin on {self.uri} lacks a procedure: {self._clean(err)}",
                hint="check the name against SHOW PROCEDURES, or upgrade GDS to the release for your Neo4j version")
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

    @contextmanager
    def _translated(self, connecting: bool = False) -> Iterator[None]:
        """Driver errors inside the block leave it as :class:`StoreError` (without the driver's
        chained traceback); anything else passes unchanged, except while ``connecting``, when every
        error (a failed DNS lookup is a bare ``ValueError``) means the server cannot be reached."""
        try:
            yield
        except Exception as err:
            new = self._translate(err, connecting)
            if new is err:
                raise
            raise new from None

    def _session(self):
        return self.driver.session(database=self.database) if self.database else self.driver.session()

    def run(self, statement, params=None, *, write=False):
        def work(tx):
            res = tx.run(statement, dict(params or {}))
            keys = list(res.keys())
            rows = [[_plain(v) for v in rec.values()] for rec in res]
            return keys, rows

        with self._translated(), self._session() as s:
            keys, rows = (s.execute_write if write else s.execute_read)(work)
        return _frame(keys, rows)

    def write(self, statement, params):
        def work(tx):
            summary = tx.run(statement, dict(params)).consume()
            c = summary.counters
            return WriteCounts(c.nodes_created, c.relationships_created, c.properties_set)

        with self._translated(), self._session() as s:
            return s.execute_write(work)

    def run_implicit(self, statement: str, params: Mapping | None = None) -> pd.DataFrame:
        """Run one statement in an implicit (auto-commit) transaction, which ``LOAD CSV ... CALL
        { ... } IN TRANSACTIONS`` needs; not retried."""
        with self._translated(), self._session() as s:
            res = s.run(statement, dict(params or {}))
            keys = list(res.keys())
            rows = [[_plain(v) for v in rec.values()] for rec in res]
        return _frame(keys, rows)

    def _probe_gds(self) -> bool:
        try:
            self.run("RETURN gds.version() AS version")
            return True
        except StoreError:
            return False

    def setup_schema(self):
        for stmt in get_query("schema").statements:
            with self._translated(), self._session() as s:
                s.run(stmt).consume()

    def close(self):
        self.driver.close()


# ---------------------------------------------------------------------------- FalkorDB
def _untemporal(v):
    """Parameters for FalkorDB: ``datetime`` values (anywhere in lists and maps) as epoch seconds."""
    if isinstance(v, list):
        return [_untemporal(x) for x in v] if any(isinstance(x, (list, dict, _dt.datetime)) for x in v) else v
    if isinstance(v, dict):
        return {k: _untemporal(x) for k, x in v.items()}
    return epoch_seconds(v) if isinstance(v, _dt.datetime) else v


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
        falkordb_client = optional_import("redislite.falkordb_client", what="falkordblite")
        self._redis = optional_import("redis", what="redis (part of falkordblite)")
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
            self.db = falkordb_client.FalkorDB(str(p))
        except Exception as err:
            raise StoreError(f"cannot start the embedded FalkorDB on {p}: {str(err).splitlines()[0] if str(err) else err!r}",
                             hint="check that the file is writable and not used by another program") from err
        self.graph = self.db.select_graph(self.graph_name)

    def _call(self, fn, statement, params):
        errors = self._redis.exceptions
        delay = 0.2
        for attempt in range(self.retries + 1):
            try:
                return fn(statement, params)
            except (errors.ConnectionError, errors.TimeoutError, errors.BusyLoadingError) as err:
                if attempt == self.retries:
                    raise StoreError(f"the embedded FalkorDB stopped answering ({type(err).__name__}: {err})",
                                     hint="run the same command again: loads are idempotent") from err
                time.sleep(delay)
                delay *= 2
            except errors.ResponseError as err:
                msg = str(err).splitlines()[0] if str(err) else type(err).__name__
                if "empty key" in msg:  # the graph does not exist yet: nothing to read
                    return None
                if "RO_QUERY" in msg:
                    raise StoreError(READ_ONLY_MESSAGE, hint=READ_ONLY_HINT) from err
                if "gds." in statement and ("Procedure" in msg or "procedure" in msg or "Unknown function" in msg):
                    raise GDSNotAvailableError(
                        "this query needs Neo4j's Graph Data Science plugin; FalkorDB cannot run it",
                        hint="run it against Neo4j with GDS (--uri), or use graphinflu's own metrics") from err
                raise StoreError(f"FalkorDB error: {msg}") from err

    def run(self, statement, params=None, *, write=False):
        params = {k: plain_value(v) if not isinstance(v, (list, dict, _dt.datetime)) else _untemporal(v)
                  for k, v in (params or {}).items()}
        fn = self.graph.query if write else self.graph.ro_query  # RO_QUERY: the engine refuses writes
        res = self._call(fn, statement, params or None)
        if res is None:
            return _frame(_return_columns(statement), [])
        cols = [h[1] for h in (res.header or [])]
        rows = [[_plain(v) for v in row] for row in (res.result_set or [])]
        return _frame(cols, rows)

    def write(self, statement, params):
        res = self._call(self.graph.query, statement, {k: _untemporal(v) for k, v in params.items()})
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
                db.client.set_retry(self._redis.retry.Retry(self._redis.backoff.NoBackoff(), 0))
            except AttributeError:  # pragma: no cover - older redis-py
                pass
            try:
                db.close()
            finally:
                self.db = None


# ---------------------------------------------------------------------------- connect
@dataclass(frozen=True)
class ConnectionParams(_Params):
    """Where the database is: what :func:`connect` takes, as one object (the CLI's connection
    options build it). The password never appears in ``repr`` or :meth:`as_dict`.

    >>> ConnectionParams(uri="bolt://localhost:7687", password="s3cret")
    ConnectionParams(target=None, uri='bolt://localhost:7687', username=None, database=None)
    >>> ConnectionParams(password="s3cret").as_dict()["password"]
    '***'
    """

    target: str | None = None
    uri: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    def as_dict(self) -> dict:
        out = super().as_dict()
        out["password"] = None if self.password is None else "***"
        return out

    def connect(self, env: Mapping | None = None, *, create: bool = True) -> "Store":
        """:func:`connect` with these values (``env`` fills what is ``None``; default ``os.environ``)."""
        return connect(self.target, uri=self.uri, username=self.username, password=self.password,
                       database=self.database, env=env, create=create)


def connect(
    target: str | None = None,
    *,
    uri: str | None = None,
    username: str | None = None,
    password: str | None = None,
    database: str | None = None,
    env: Mapping | None = None,
    create: bool = True,
) -> Store:
    """Open the store named by ``target`` (``falkordb://PATH``, or a Neo4j URI), else by ``uri``,
    else by ``NEO4J_URI`` (with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``).

    For FalkorDB, ``database`` names the graph (default ``graphinflu``). With ``create=False``
    (the read-only commands) a FalkorDB file that does not exist is an error: a mistyped path
    would otherwise create an empty database and read nothing from it without a word.
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
        if not create and not Path(path).exists():
            raise StoreError(f"no FalkorDB database at {path!r}",
                         hint="check the path; graphinflu neo4j push --target falkordb://PATH creates one")
        return FalkorDBStore(path, database)
    if target.startswith("falkordb:"):
        raise StoreError(f"cannot read the target {target!r}", hint="write falkordb://PATH, e.g. falkordb://./graph.db")
    return Neo4jStore(
        target,
        username if username is not None else env.get("NEO4J_USERNAME", env.get("NEO4J_USER", "neo4j")),
        password if password is not None else env.get("NEO4J_PASSWORD"),
        database if database is not None else env.get("NEO4J_DATABASE"),
    )
