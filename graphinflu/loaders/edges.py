"""Follow edge lists and interaction lists → the canonical :class:`~graphinflu.graph.Graph`."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._io import FileInfo
from .._report import LoadReport
from ..errors import InputError
from ..graph import Graph, check_kind
from ..params import DIRECTIONS
from .profiles import _key
from .tables import TextTable, read_any_table


_SOURCE_NAMES = ("source", "src", "from", "follower", "followers", "u", "user", "actor", "owner", "owner_username")
# names that say which end follows (direction is then known from the header)
_FOLLOWER_NAMES = frozenset({"follower", "followers"})
_FOLLOWED_NAMES = frozenset({"followed", "followee", "following", "account", "creator", "set"})
_TARGET_NAMES = ("target", "dst", "to", "followed", "followee", "following", "v", "account", "creator", "set")
_WEIGHT_NAMES = ("weight", "count", "w", "n")
_TIME_NAMES = ("timestamp", "time", "ts", "unixts", "date", "created_at")
_KIND_NAMES = ("kind", "type", "interaction")


#: Column role → (CLI flag or None, Python keyword), for hints both kinds of user can follow.
_ROLE_OPTIONS = {
    "source": ("--source-col", "source="), "target": ("--target-col", "target="),
    "weight": ("--weight-col", "weight="), "timestamp": (None, "timestamp="), "kind": (None, "kind_col="),
}
#: Header words that only an edge list uses: a table naming one is read as edges, whatever else it holds.
_EDGE_WORDS = frozenset({"source", "target", "src", "dst", "from", "to", "follower", "followed", "followee"})
#: (what the table is, columns that mark it, columns that confirm it, the CLI option and Python reader for it)
_OTHER_TABLES = (
    ("profiles", {"id", "username", "handle"}, {"followers", "following"}, "--profiles FILE", "read_profiles()"),
    ("posts", {"owner", "ownerusername"}, {"likes", "comments"}, "--posts FILE", "read_posts()"),
)


def _choose_hint(role: str, what: str) -> str:
    flag, kw = _ROLE_OPTIONS[role]
    if flag:
        return f"{what} with {flag} ({kw} in Python)"
    return f"{what} with {kw} in Python, or rename the column to {role!r}"


def _pick(cols: list[str], wanted: str | int | None, candidates, name: str, role: str) -> str | None:
    if wanted is not None:
        if isinstance(wanted, int) or (isinstance(wanted, str) and wanted.isdigit() and wanted not in cols):
            i = int(wanted)
            if not 0 <= i < len(cols):
                raise InputError(f"{role} column number {i} is out of range; the file has {len(cols)} columns "
                                 f"{cols}", path=name,
                                 hint=_choose_hint(role, f"give a number from 0 to {len(cols) - 1} or a column name"))
            return cols[i]
        if wanted not in cols:
            raise InputError(
                f"{role} column {wanted!r} not found; the columns are {cols}",
                path=name,
                hint=_choose_hint(role, "give one of those names, or a 0-based column number,"),
            )
        return wanted
    lowered = {c.lower(): c for c in cols}
    for cand in candidates:
        if cand in lowered:
            return lowered[cand]
    return None


def refuse_other_tables(cols: list[str], name: str) -> None:
    """Raise :class:`InputError` when a header is clearly a profiles or posts table, not an edge
    list (``id,handle,followers,...``; ``owner,likes,comments,...``) and names no edge column."""
    keys = {_key(c) for c in cols}
    if keys & _EDGE_WORDS:
        return
    for what, marks, confirms, flag, reader in _OTHER_TABLES:
        if keys & marks and keys & confirms:
            shown = ", ".join(c for c in cols if _key(c) in marks | confirms)
            raise InputError(
                f"this looks like a {what} table (columns {shown}), not an edge list of who follows whom",
                path=name,
                hint=f"give it with {flag} ({reader} in Python); to read it as edges anyway, name the two "
                     "columns with --source-col/--target-col (source=, target= in Python)",
            )


def _encode_ids(src: pa.ChunkedArray, dst: pa.ChunkedArray, name: str, report: LoadReport):
    """Dictionary-encode both endpoint columns together: ids in first-seen order, int codes.

    Surrounding white space is trimmed (`` a`` and ``a`` are one account) and empty ids found on
    the dictionary (one entry per distinct id) rather than on every row: at 10M edges that is 20M
    strings against under a million. How many ids were trimmed, and how many of them thereby
    merged with another id, goes into ``report``.
    """
    src, dst = (c if pa.types.is_string(c.type) else c.cast(pa.string()) for c in (src, dst))
    both = pa.chunked_array(list(src.chunks) + list(dst.chunks))
    if both.null_count:
        both = pc.fill_null(both, "")  # a missing id (JSON null, Parquet null) is an empty id: skipped, counted
    enc = pc.dictionary_encode(both).combine_chunks()
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    raw = enc.dictionary
    trimmed = pc.utf8_trim_whitespace(raw)
    if not trimmed.equals(raw):
        changed = pc.invert(pc.equal(trimmed, raw))
        example = raw.filter(changed)[0].as_py()
        # " a" and "a" are one account: merge the dictionary entries that trim to the same id
        remap, uniques = pd.factorize(trimmed.to_numpy(zero_copy_only=False))
        codes = remap[codes]
        merged = len(raw) - len(uniques)
        report.add(name, pc.sum(changed).as_py(),
                   f"ids had white space around them trimmed (e.g. {example!r})"
                   + (f"; {merged:,} of them became equal to another id and were merged" if merged
                      else "; none merged with another id"))
        trimmed = pa.array(uniques, type=pa.string())
    ids = pd.Index(trimmed.to_numpy(zero_copy_only=False), dtype=object)
    m = len(src)
    empty_code = np.flatnonzero(pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False))
    if len(empty_code):
        e = int(empty_code[0])
        is_empty = codes == e
        codes = codes - (codes > e)  # "" is no account: drop it from the ids
        return ids.delete(e), codes[:m], codes[m:], is_empty[:m] | is_empty[m:]
    return ids, codes[:m], codes[m:], np.zeros(m, dtype=bool)


@dataclass(frozen=True)
class EdgeColumns:
    """Which columns of an edge table hold what, and how to read them (see :func:`read_edges`)."""

    source: str | int | None = None
    target: str | int | None = None
    direction: str = "follower-followed"
    kind: str = "follows"
    kind_col: str | None = None
    weight: str | int | None = None
    timestamp: str | int | None = None
    keep_self_loops: bool = False

    def names_columns(self) -> bool:
        """Whether a column is named (not numbered): then the first row must be a header."""
        named = (self.source, self.target, self.weight, self.timestamp, self.kind_col)
        return any(isinstance(x, str) and not x.isdigit() for x in named)


def edge_columns(cols: list[str], source, target, header: bool, name: str) -> tuple[str, str, list[str]]:
    """The follower and followed columns of a table with columns ``cols``, as given (by name or
    number) or found by name in a header, else by position; and the roles the header did not name
    (read by position). Shared by :func:`graph_from_table` and the Spark engine's reader."""
    src_col = _pick(cols, source, _SOURCE_NAMES if header else (), name, "source")
    dst_col = _pick(cols, target, _TARGET_NAMES if header else (), name, "target")
    # roles the header did not name (and the caller did not give): read by position, and said so below
    unnamed = [role for role, col in (("source", src_col), ("target", dst_col)) if col is None] if header else []
    if src_col is None and dst_col is None:
        # unnamed columns: the first two, as documented
        src_col, dst_col = cols[0], cols[1]
    elif src_col is None:
        src_col = next(c for c in cols[:3] if c != dst_col)
    elif dst_col is None:
        dst_col = next(c for c in cols[:3] if c != src_col)
    return src_col, dst_col, unnamed


def other_columns(cols: list[str], header: bool, columns: EdgeColumns, src_col: str, dst_col: str,
                  name: str) -> tuple[str | None, str | None, str | None]:
    """The weight, timestamp and kind columns (or None) of an edge table whose endpoints are
    ``src_col`` and ``dst_col``: as ``columns`` names them, else found by name in a header, else
    (headerless interaction files, SNAP's ``a b count [time]``) by position. Shared by
    :func:`graph_from_table` and the Spark engine's interaction reader."""
    weight, timestamp, kind = columns.weight, columns.timestamp, columns.kind
    rest = [c for c in cols if c not in (src_col, dst_col)]
    weight_col = _pick(cols, weight, _WEIGHT_NAMES, name, "weight") if (header or weight is not None) else None
    if weight_col is None and not header and kind != "follows" and rest:
        weight_col = rest[0]  # SNAP interaction files: "a b count"
    time_col = _pick(cols, timestamp, _TIME_NAMES, name, "timestamp") if (header or timestamp is not None) else None
    if time_col is None and not header and kind != "follows" and len(rest) >= 2 and weight is None:
        time_col = rest[1]
    kcol = (_pick(cols, columns.kind_col, _KIND_NAMES, name, "kind")
            if (header or columns.kind_col is not None) else None)
    return weight_col, time_col, kcol


def graph_from_table(tt: TextTable, columns: EdgeColumns = EdgeColumns()) -> Graph:
    """Turn a parsed table into a graph; see :func:`read_edges` for the parameters."""
    source, target, direction, kind = columns.source, columns.target, columns.direction, columns.kind
    name = tt.name
    table = tt.table
    cols = table.column_names
    if len(cols) < 2:
        raise InputError(
            f"found {len(cols)} column ({cols}); an edge list needs two (who follows whom)",
            path=name,
            hint=(f"check the delimiter: the file was split on {tt.delimiter!r} (--delimiter; delimiter= in Python)"
                  if tt.delimiter else "give a table with a follower and a followed column"),
        )
    if direction not in DIRECTIONS:
        raise InputError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if tt.header and source is None and target is None:
        refuse_other_tables(cols, name)
    src_col, dst_col, unnamed = edge_columns(cols, source, target, bool(tt.header), name)
    if src_col == dst_col:
        raise InputError(f"source and target are the same column {src_col!r}", path=name)
    # a file laid out (account, follower) — e.g. named 'set,follower' — is read the other way round,
    # unless its header already said who follows whom: then the names were matched to their roles
    # above and swapping again would reverse every edge
    named = (source is None and target is None
             and (src_col.lower() in _FOLLOWER_NAMES or dst_col.lower() in _FOLLOWED_NAMES))
    if direction == "followed-follower" and named:
        tt.report.add(name, table.num_rows, f"rows read as {src_col!r} follows {dst_col!r} from the column names; "
                      "--direction followed-follower (direction= in Python) was not applied again (to override, "
                      "give the columns by number with --source-col/--target-col; source=, target= in Python)")
    elif direction == "followed-follower":
        src_col, dst_col = dst_col, src_col
    if unnamed:
        ends = "follower → followed" if kind == "follows" else "source → target"
        tt.report.note(name, f"the header names no {' or '.join(unnamed)} column: read {src_col!r} → {dst_col!r} as "
                             f"{ends}; choose other columns with --source-col/--target-col (source=, target= in "
                             "Python) or name them source and target in the file")
    weight_col, time_col, kcol = other_columns(cols, bool(tt.header), columns, src_col, dst_col, name)

    tt.require_flat(src_col, "source")
    tt.require_flat(dst_col, "target")
    ids, s, t, empty = _encode_ids(table.column(src_col), table.column(dst_col), name, tt.report)
    n_empty = int(empty.sum())
    if n_empty:
        tt.report.add(name, n_empty, "rows with an empty source or target skipped")
    keep = ~empty if n_empty else slice(None)

    def numeric(col: str, role: str) -> np.ndarray:
        arr = table.column(col)
        try:
            if not (pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type)):
                arr = pc.cast(pc.utf8_trim_whitespace(arr.cast(pa.string())), pa.float64())
            return arr.to_numpy().astype(np.float64)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
            raise InputError(f"{role} column {col!r} holds non-numeric values ({str(err).splitlines()[0]})",
                             path=name, hint=_choose_hint(role, "clean the column, or choose another")) from err

    w = numeric(weight_col, "weight") if weight_col else None
    ts = numeric(time_col, "timestamp") if time_col else None
    if w is not None:
        bad = ~np.isfinite(w) | (w < 0)
        if bad.any():
            tt.report.add(name, int(bad.sum()), f"rows with a missing, negative or infinite {weight_col!r} skipped")
            keep = (~empty & ~bad) if n_empty else ~bad
    kinds: str | np.ndarray = check_kind(kind)
    if kcol:
        kinds = np.char.lower(np.asarray(table.column(kcol).to_pandas().astype(str).str.strip().to_numpy(), dtype=str))
    if not isinstance(keep, slice):
        s, t = s[keep], t[keep]
        w = None if w is None else w[keep]
        ts = None if ts is None else ts[keep]
        kinds = kinds if isinstance(kinds, str) else kinds[keep]
    g = Graph.from_codes(ids, s, t, kind=kinds, weight=w, timestamp=ts, name=name,
                         keep_self_loops=columns.keep_self_loops, report=tt.report)
    if g.n_edges == 0:
        raise InputError("no edges left after dropping empty rows and self-loops", path=name)
    return g


def read_edges(
    path: str | os.PathLike | FileInfo,
    *,
    source: str | int | None = None,
    target: str | int | None = None,
    direction: str = "follower-followed",
    kind: str = "follows",
    kind_col: str | None = None,
    weight: str | int | None = None,
    timestamp: str | int | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
    comment: str | None = "#",
    keep_self_loops: bool = False,
) -> Graph:
    """Read an edge list (CSV, TSV, whitespace/SNAP, Parquet, JSON records; any compression; ``-``).

    Parameters
    ----------
    path : path or ``"-"``
        The file. Compression (gzip, bz2, xz, zstd) is detected from its content.
    source, target : str or int, optional
        Endpoint columns, by name or 0-based number. By default ``source``/``target`` (or
        ``follower``/``followed``, ``from``/``to``, ...) when there is a header, else the first two.
    direction : {"follower-followed", "followed-follower"}
        How to read the two endpoint columns: the default says the first follows the second;
        ``followed-follower`` is for files laid out ``account,follower``.
    kind : str
        Edge kind of every row (``follows``, ``mentions``, ...), unless ``kind_col`` names a column
        that holds it per row.
    weight, timestamp : str or int, optional
        Columns with a numeric weight (for interactions; summed over repeats) and epoch time.
    delimiter, header, comment
        Override the sniffed layout; see :func:`~graphinflu.loaders.tables.read_text_table`.
    keep_self_loops : bool
        Keep ``a → a`` edges (dropped and counted by default).

    Returns
    -------
    Graph
        With ``graph.report`` listing every skipped or merged row count.
    """
    columns = EdgeColumns(source, target, direction, kind, kind_col, weight, timestamp, keep_self_loops)
    if header is None and columns.names_columns():
        header = True  # columns named by the caller: the first row names them (a short file can fool the sniffer)
    tt = read_any_table(path, delimiter=delimiter, header=header, comment=comment, string_columns=(0, 1))
    return graph_from_table(tt, columns)


def read_interactions(path: str | os.PathLike, *, kind: str = "mentions", **options) -> Graph:
    """Read typed, weighted, timestamped interactions (mentions, replies, reposts, likes, comments).

    Same options as :func:`read_edges`; ``kind`` is the default kind when no ``kind`` column
    exists. Repeated ``(source, target, kind)`` rows are summed into ``weight`` (each row counts
    its ``weight`` column, or 1) and keep the latest ``timestamp``.
    """
    return read_edges(path, kind=kind, **options)
