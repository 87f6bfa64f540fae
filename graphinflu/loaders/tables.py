"""One shared reader for delimited text, Parquet and JSON records, parsed by pyarrow (never line by
line in Python).

Every file comes in through :func:`graphinflu._io.probe`. The text reader refuses what is clearly
not a table (an HTML page, a JSON document, UTF-16, binary data), sniffs the delimiter (comma,
tab, semicolon, pipe, or whitespace as in SNAP files), skips leading ``#`` comment lines, decides
whether the first row is a header (and says so in the report when it had to guess), skips and
counts malformed lines and header lines repeated inside the data, and turns pyarrow's errors into
messages naming the file, the line and the fix.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import itertools
import json
import os
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .._io import READ_ERRORS, FileInfo, probe
from .._report import LoadReport
from ..errors import InputError

#: Column names that mark a first row as a header rather than data.
KNOWN_COLUMNS = {
    "source", "target", "src", "dst", "from", "to", "u", "v", "follower", "followers", "followed",
    "followee", "following", "account", "user", "username", "handle", "id", "node", "set", "weight",
    "timestamp", "time", "ts", "kind", "type", "owner", "owner_username", "category", "creator",
}
#: Words that, inside a first-row field (``from_user``, ``srcNode``), say the row names columns.
_NAME_WORDS = KNOWN_COLUMNS | {
    "name", "users", "uid", "nodes", "accounts", "friend", "friends", "count", "date", "screen", "in", "out",
    "edge", "vertex", "actor", "creator", "influencer", "brand", "tail", "head", "origin", "dest",
    "destination", "start", "end", "parent", "child", "sender", "receiver", "follows", "followees", "key",
}
_WORDLIKE = re.compile(r"^[A-Za-z#][A-Za-z0-9_ .#\-]*$")
_JSON_FIX = "name the file .json (or .jsonl): JSON records are read as a table"
_REENCODE = "re-encode the file as UTF-8, e.g. iconv -f {enc} -t utf-8 IN > OUT"


@dataclass
class TextTable:
    """A parsed table plus what the reader decided about it."""

    table: pa.Table
    name: str
    delimiter: str
    header: bool
    first_data_line: int  # 1-based line number of the first data row
    report: LoadReport = field(default_factory=LoadReport)
    #: sorted 1-based line numbers of data-area lines that did not become rows (malformed, comments)
    skipped_lines: tuple[int, ...] = ()
    #: columns holding lists or objects (JSON, Parquet) → first 0-based record with one
    nested: dict[str, int] = field(default_factory=dict)
    #: the text file parsed (None for Parquet/JSON): lets an error quote a value as written
    source: FileInfo | None = None

    def raw_field(self, row: int, col: str) -> str | None:
        """The text of ``col`` in table row ``row`` exactly as the file has it (``1e400``, where the
        parsed table holds ``inf``), or None when unknown. Reads up to that line: for error messages only."""
        line = self.line_of(row)
        if line is None or self.source is None or col not in self.table.column_names:
            return None
        try:
            with contextlib.closing(self.source.open()) as fh:
                raw = next(itertools.islice(fh, line - 1, None), None)
        except READ_ERRORS:
            return None
        if raw is None:
            return None
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        fields = text.split() if self.delimiter == " " else next(csv.reader([text], delimiter=self.delimiter), [])
        i = self.table.column_names.index(col)
        return fields[i].strip() if i < len(fields) else None

    def line_of(self, row: int) -> int | None:
        """1-based line number of table row ``row`` (0-based), or None for Parquet/JSON input.

        Exact for text files whose skipped lines were counted (malformed, separator and repeated
        header lines); blank lines inside the data are not counted, so the number can be low by that many.
        """
        if not self.delimiter:
            return None
        line = self.first_data_line + int(row)
        while True:  # shift past every skipped line at or before the candidate
            k = bisect.bisect_right(self.skipped_lines, line)
            nxt = self.first_data_line + int(row) + k
            if nxt == line:
                return line
            line = nxt

    def where(self, row: int) -> str:
        """``line N`` for text, ``record N`` (1-based) for JSON and Parquet."""
        line = self.line_of(row)
        return f"line {line}" if line is not None else f"record {row + 1}"

    def require_flat(self, col: str, role: str) -> None:
        """Raise :class:`InputError` if ``col`` holds lists or objects (an id must be one value)."""
        typ = self.table.schema.field(col).type if col in self.table.column_names else None
        if col in self.nested or (typ is not None and pa.types.is_nested(typ)):
            row = self.nested.get(col, 0)
            raise InputError(f"the {role} column {col!r} holds lists or objects (first at {self.where(row)}); "
                             "it needs one account id per row", path=self.name,
                             hint="flatten the file to one row per value")


# ------------------------------------------------------------------------------------- sniffing
def refuse_non_table(info: FileInfo) -> None:
    """Raise :class:`InputError` when the head is clearly not a delimited table."""
    looks = info.looks_like
    if looks == "html":
        raise InputError("this is an HTML page, not a table (it starts with an HTML tag)", path=info.name,
                         hint="download the raw file (e.g. GitHub's 'Raw' link), not the web page showing it")
    if looks == "json":
        raise InputError("this is a JSON document, not a delimited table", path=info.name, hint=_JSON_FIX)
    if looks == "xml":
        raise InputError("this is an XML document, not a delimited table", path=info.name,
                         hint="name a GraphML file .graphml and a GEXF file .gexf")
    if looks in ("utf-16", "utf-32"):
        bom = "" if info.head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) else " without a byte-order mark"
        raise InputError(f"this is {looks.upper()} text{bom}; graphinflu reads UTF-8", path=info.name,
                         hint=_REENCODE.format(enc=looks))
    if looks == "binary":
        at = info.head.find(b"\x00")
        raise InputError(f"this is binary data, not text (a NUL byte at byte {at})", path=info.name,
                         line=info.head[:at].count(b"\n") + 1,
                         hint="give a CSV/TSV text file; Parquet files must start with PAR1 (name them .parquet)")


def _decode_head(info: FileInfo) -> str:
    head = info.head
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if info.complete or err.start < len(head) - 4:  # not just a multi-byte char cut at the buffer end
            start = err.start + (3 if head.startswith(b"\xef\xbb\xbf") else 0)
            raise InputError(
                f"not UTF-8 text (byte {start} is {head[start:start + 1]!r})",
                path=info.name, line=head[:start].count(b"\n") + 1, hint=_REENCODE.format(enc="latin1"),
            ) from err
        return head[: err.start].decode("utf-8-sig")


def _sniff(info: FileInfo, delimiter: str | None, comment: str | None):
    lines = _decode_head(info).splitlines()
    if not info.complete and lines:
        lines = lines[:-1]  # the last line may be cut
    skip = 0
    for ln in lines:
        if (comment and ln.startswith(comment)) or not ln.strip():
            skip += 1
        else:
            break
    data = [ln for ln in lines[skip:] if ln.strip() and not (comment and ln.startswith(comment))]
    if not data:
        raise InputError("no data rows", path=info.name, hint="the file is empty or holds only comments")
    if delimiter is None:
        first = data[0]
        delimiter = next((c for c in ("\t", ",", ";", "|") if c in first), " ")
    return skip, data, delimiter


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == " ":
        return line.split()
    return [f.strip().strip('"') for f in line.split(delimiter)]


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _shape(s: str) -> str:
    """``user_12`` → ``a_9``: the character classes of a field, runs collapsed."""
    return re.sub(r"([a9])\1+", r"\1", re.sub(r"[A-Za-z]", "a", re.sub(r"\d", "9", s)))


def _words(s: str) -> set[str]:
    return {w.lower() for w in re.split(r"[_\s.\-#]+|(?<=[a-z])(?=[A-Z])", s) if w}


def _guess_header(first: list[str], rows: list[list[str]]) -> tuple[bool, str | None]:
    """Whether a first row that names no known column is a header, and the note saying what was assumed."""
    shown = ", ".join(repr(f) for f in first[:4])
    if not first[:2] or any(_is_number(f) for f in first[:2]):
        return False, None
    if rows and all(_is_number(f) for f in rows[0][:2]):
        return True, (f"first line ({shown}) read as a header: text above numeric rows (pass --no-header, "
                      "header=False in Python, if it is data)")
    looks_named = all(_WORDLIKE.match(f) for f in first) and len(set(first)) == len(first)
    seen = {v for r in rows for v in r[:2]}
    cols = range(min(2, len(first)))
    unlike = any(_shape(first[i]) not in {_shape(r[i]) for r in rows if len(r) > i} for i in cols)
    if not (looks_named and rows and unlike and not (set(first[:2]) & seen)):
        return False, None
    if any(_words(f) & _NAME_WORDS for f in first):
        return True, f"first line ({shown}) read as a header: its fields look like column names (pass --no-header, " \
                     "header=False in Python, if it is data)"
    return False, f"first line ({shown}) read as data although it looks unlike the rows below (pass --header, " \
                  "header=True in Python, if it names the columns)"


def _header_names(first: list[str], name: str, line: int) -> list[str]:
    names = [f.strip() or f"column{i + 1}" for i, f in enumerate(first)]
    if len(set(names)) != len(names):
        raise InputError(f"repeated column names in the header: {names}", path=name, line=line,
                         hint="give every column a distinct name")
    return names


_RULE = re.compile(r"^[\s=\-_+|#*~]*[=\-_~*]{3,}[\s=\-_+|#*~]*$")


def _is_rule(line: str, delimiter: str) -> bool:
    """A decoration line under a header: ``=====`` or ``-----`` as a whole, or in every field
    (``=====,=======`` in a CSV file)."""
    if _RULE.match(line):
        return True
    fields = [f for f in _split(line, delimiter) if f.strip()]
    return bool(fields) and all(_RULE.match(f) for f in fields)


# ------------------------------------------------------------------------------------- text
def read_text_table(
    path: str | os.PathLike | FileInfo,
    *,
    delimiter: str | None = None,
    header: bool | None = None,
    comment: str | None = "#",
    column_types: dict | None = None,
    string_columns: tuple[int, ...] = (),
    max_bad_fraction: float = 0.5,
) -> TextTable:
    """Parse a delimited text file (``-`` for stdin, any compression) into a pyarrow Table.

    Parameters
    ----------
    delimiter : str, optional
        Sniffed from the first data row when omitted; ``" "`` means any run of spaces.
    header : bool, optional
        Whether the first data row names the columns. When omitted it is a header if it holds a
        known column name (``source``, ``follower``, ...), if it is text above numeric rows, or if
        its fields look like column names (``from_user``) unlike the rows below; the last two
        guesses are noted in the report.
    comment : str, optional
        Leading lines starting with this are skipped (SNAP files start with ``#`` lines).
    """
    info = probe(path)
    name = info.name
    refuse_non_table(info)
    skip, data, delimiter = _sniff(info, delimiter, comment)
    first = _split(data[0], delimiter)
    report = LoadReport()
    if header is None:
        lowered = {f.lower().lstrip("#").strip() for f in first}
        if lowered & KNOWN_COLUMNS:
            header = True
        else:
            header, assumed = _guess_header(first, [_split(d, delimiter) for d in data[1:50]])
            if assumed:
                report.note(name, assumed)
    n_rules = 0
    if header:
        names = _header_names(first, name, skip + 1)
        # a '=====' or '-----' rule under the header (as in influencers.txt) is decoration, not data
        while 1 + n_rules < len(data) and _is_rule(data[1 + n_rules], delimiter):
            n_rules += 1
        if n_rules:
            report.add(name, n_rules, f"separator line(s) under the header skipped (line {skip + 2})")
        if info.complete and len(data) == 1 + n_rules:
            raise InputError("no data rows", path=name, hint="the file holds a header but no rows")
        skip_rows = skip + 1 + n_rules
    else:
        names = [f"column{i + 1}" for i in range(len(first))]
        skip_rows = skip
    if delimiter == " " and re.search(r"\S(  +|\t)\S", "\n".join(data[:50])):
        # runs of blanks: pandas' C tokenizer handles them natively
        tt = _read_whitespace(info, names, skip_rows, comment, header)
    else:
        tt = _read_delimited(info, names, skip_rows, delimiter, bool(header), column_types, string_columns,
                             max_bad_fraction)
    report.extend(tt.report)
    tt.report = report
    tt.source = info
    if comment:
        _drop_comment_rows(tt, comment)
    if header:
        _drop_repeated_headers(tt)
    _refuse_nul(tt, info)
    if tt.table.num_rows == 0:
        raise InputError("no data rows", path=name, hint="the file holds a header but no rows")
    return tt


def _csv_options(names, skip_rows, delimiter, column_types, on_invalid, threads: bool):
    whitespace = delimiter == " "
    return dict(
        read_options=pacsv.ReadOptions(skip_rows=skip_rows, column_names=names, use_threads=threads,
                                       block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid,
                                         quote_char=False if whitespace else '"', ignore_empty_lines=True),
        convert_options=pacsv.ConvertOptions(column_types=column_types, strings_can_be_null=False),
    )


def _read_delimited(info: FileInfo, names, skip_rows, delimiter, header: bool, column_types, string_columns,
                    max_bad_fraction) -> TextTable:
    name = info.name
    column_types = dict(column_types or {})
    for i in string_columns:
        if i < len(names):
            column_types.setdefault(names[i], pa.string())
    bad: list[tuple[int | None, str]] = []

    def on_invalid(row):
        bad.append((row.number, row.text))
        return "skip"

    def parse(threads: bool) -> pa.Table:
        try:
            return pacsv.read_csv(info.arrow_stream(),
                                  **_csv_options(names, skip_rows, delimiter, column_types, on_invalid, threads))
        except pa.ArrowInvalid as err:
            raise _arrow_error(err, info) from err
        except READ_ERRORS as err:
            raise info.read_error(err) from err

    table = parse(True)
    if bad and any(b[0] is None for b in bad):
        # the threaded parser does not know line numbers: parse again serially (malformed files only)
        bad.clear()
        parse(False)
    report = LoadReport()
    nums = [b[0] for b in bad if b[0] is not None]
    if bad:
        sample = bad[0][1][:80]
        where = f" (first at line {nums[0]}: {sample!r})" if nums else f" (first: {sample!r})"
        if len(bad) > max_bad_fraction * max(table.num_rows + len(bad), 1):
            raise InputError(
                f"{len(bad):,} of {table.num_rows + len(bad):,} rows have a different number of columns than "
                f"the first row ({len(names)}){where}",
                path=name,
                hint="check the delimiter (--delimiter; delimiter= in Python) and whether the first row is a header "
                     "(--header/--no-header; header= in Python)",
            )
        report.add(name, len(bad), f"malformed lines skipped: wrong number of columns, expected {len(names)}{where}")
    return TextTable(table, name, delimiter, header, skip_rows + 1, report,
                     tuple(sorted(nums)))


def _read_whitespace(info: FileInfo, names, skip_rows, comment, header) -> TextTable:
    """Whitespace-aligned text (runs of blanks): pandas' C tokenizer handles ``\\s+`` natively."""
    name = info.name
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            df = pd.read_csv(
                info.open(), sep=r"\s+", header=None, names=names, skiprows=skip_rows, comment=comment,
                dtype=str, engine="c", on_bad_lines="warn", keep_default_na=False, na_values=[],
            )
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=name, line=_find_bad_utf8_line(info),
                         hint=_REENCODE.format(enc="latin1")) from err
    except READ_ERRORS as err:
        raise info.read_error(err) from err
    except pd.errors.ParserError as err:
        raise InputError(f"cannot parse: {str(err).splitlines()[0]}", path=name,
                         hint="check the delimiter (--delimiter; delimiter= in Python)") from err
    long_lines = [int(n) for w in caught for n in re.findall(r"Skipping line (\d+)", str(w.message))]
    # rows with too few fields come back with missing trailing values
    ends = df[names[: min(2, len(names))]]
    short = (ends.isna() | (ends == "")).any(axis=1).to_numpy() if len(df) else np.zeros(0, bool)
    report = LoadReport()
    lines = sorted(long_lines)
    if short.any():
        df = df[~short].reset_index(drop=True)
    n_bad = len(long_lines) + int(short.sum())
    if n_bad:
        where = f" (first at line {lines[0]})" if lines else ""
        report.add(name, n_bad, f"malformed lines skipped: wrong number of columns, expected {len(names)}{where}")
    table = pa.Table.from_pandas(df.fillna(""), preserve_index=False)
    return TextTable(table, name, " ", bool(header), skip_rows + 1, report, tuple(lines))


def _is_text(col) -> bool:
    return pa.types.is_string(col.type) or pa.types.is_large_string(col.type)


def _drop_rows(tt: TextTable, drop: np.ndarray, what: str) -> None:
    """Remove rows ``drop`` (bool mask), count them with the first line, and remember their lines."""
    rows = np.flatnonzero(drop)
    if not len(rows):
        return
    lines = [tt.line_of(int(r)) for r in rows[:10_000]] if tt.delimiter else []
    where = f" (first at line {lines[0]})" if lines else ""
    tt.report.add(tt.name, len(rows), what + where)
    tt.skipped_lines = tuple(sorted(set(tt.skipped_lines) | {ln for ln in lines if ln is not None}))
    tt.table = tt.table.filter(pa.array(~drop))


def _drop_comment_rows(tt: TextTable, comment: str) -> None:
    if not tt.table.num_rows or not _is_text(tt.table.column(0)):
        return
    is_comment = pc.starts_with(tt.table.column(0), comment)
    if pc.any(is_comment).as_py():
        _drop_rows(tt, is_comment.to_numpy(zero_copy_only=False).astype(bool),
                   f"comment lines starting with {comment!r} skipped")


def _drop_repeated_headers(tt: TextTable) -> None:
    """A header line repeated inside the data (files joined with ``cat``) is skipped and counted."""
    table = tt.table
    if not table.num_rows or not all(_is_text(c) for c in table.columns):
        return
    mask = pc.equal(table.column(0), table.column_names[0])
    if not pc.any(mask).as_py():
        return
    for col, name in zip(table.columns[1:], table.column_names[1:]):
        mask = pc.and_(mask, pc.equal(col, name))
    _drop_rows(tt, mask.to_numpy(zero_copy_only=False).astype(bool), "repeated header lines skipped")


def _refuse_nul(tt: TextTable, info: FileInfo) -> None:
    """A NUL byte inside a value (past the sniffed head): binary data or a broken export."""
    for col, cname in zip(tt.table.columns, tt.table.column_names):
        if not _is_text(col):
            continue
        for chunk in col.chunks:
            data = chunk.buffers()[2]
            if data is not None and not np.frombuffer(data, dtype=np.uint8).all():
                raise InputError(f"a NUL byte inside column {cname!r}: binary data, not text", path=tt.name,
                                 line=info.line_of_byte(lambda raw: b"\x00" in raw),
                                 hint="the file is corrupted or not a text table; export it again as UTF-8 text")


def _arrow_error(err: Exception, info: FileInfo) -> InputError:
    msg = str(err)
    if "UTF8" in msg or "utf8" in msg.lower():
        return InputError("not UTF-8 text", path=info.name, line=_find_bad_utf8_line(info),
                          hint=_REENCODE.format(enc="latin1"))
    if "Could not skip initial" in msg:
        return InputError("no data rows", path=info.name, hint="the file holds a header but no rows")
    m = re.search(r"Row #(\d+)", msg)
    return InputError(f"cannot parse: {msg.splitlines()[0]}", path=info.name, line=int(m.group(1)) if m else None,
                      hint="check the delimiter (--delimiter; delimiter= in Python) and that every row has the "
                           "same number of columns")


def _find_bad_utf8_line(info: FileInfo) -> int | None:
    def bad(raw: bytes) -> bool:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    return info.line_of_byte(bad)


# ------------------------------------------------------------------------------------- any table
def read_any_table(path: str | os.PathLike | FileInfo, *, delimiter: str | None = None, header: bool | None = None,
                   comment: str | None = "#", string_columns: tuple[int, ...] = ()) -> TextTable:
    """Delimited text, Parquet (``.parquet``/``.pq`` or ``PAR1`` content) or JSON records
    (``.json``/``.jsonl``) as one Table."""
    info = probe(path)
    if info.format == "parquet":
        return _read_parquet(info)
    if info.format == "json":
        return _read_json_records(info)
    if info.format in ("graphml", "gexf"):
        raise InputError(f"this is a {info.format.upper()} graph file, not a table", path=info.name,
                         hint="give it as the follow list FILE (read_graph() in Python), or export a table")
    return read_text_table(info, delimiter=delimiter, header=header, comment=comment, string_columns=string_columns)


def _read_parquet(info: FileInfo) -> TextTable:
    try:
        source = info.path if not (info.is_stdin or info.compression) else pa.BufferReader(info.read_all())
        table = pq.read_table(source)
    except (pa.ArrowException, OSError, EOFError) as err:
        raise InputError(f"not a readable Parquet file: {str(err).splitlines()[0] if str(err) else type(err).__name__}",
                         path=info.name, hint="check that the file is complete Parquet") from err
    if table.num_rows == 0:
        raise InputError("no data rows", path=info.name)
    return TextTable(table, info.name, "", True, 1)


def _parse_json(text: str, name: str):
    """JSON array, one object holding a record list, or JSON Lines → a list of records."""
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            return json.loads(text)
        if stripped.startswith("{") and "\n{" not in stripped.rstrip():
            obj = json.loads(text)
            return obj.get("accounts") or obj.get("nodes") or obj.get("data") or [obj]
        records = []
        for i, ln in enumerate(text.splitlines(), start=1):
            if ln.strip():
                try:
                    records.append(json.loads(ln))
                except json.JSONDecodeError as err:
                    raise InputError(f"invalid JSON: {err.msg} (column {err.colno})", path=name, line=i,
                                     hint="give a JSON array of objects or one object per line (JSON Lines)") from err
        return records
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg} (column {err.colno})", path=name, line=err.lineno,
                         hint="give a JSON array of objects or one object per line (JSON Lines)") from err
    except RecursionError as err:
        raise InputError("JSON nested too deeply to be a table", path=name,
                         hint="give a JSON array of flat objects, one per row") from err


def _read_json_records(info: FileInfo) -> TextTable:
    name = info.name
    raw = info.read_all()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=name, line=raw[: err.start].count(b"\n") + 1,
                         hint=_REENCODE.format(enc="latin1")) from err
    records = _parse_json(text, name)
    if not isinstance(records, list) or not records:
        raise InputError("no records", path=name, hint="give a JSON array of objects or one object per line")
    not_obj = next((i for i, r in enumerate(records) if not isinstance(r, dict)), None)
    if not_obj is not None:
        raise InputError(f"record {not_obj + 1} is a {type(records[not_obj]).__name__}, not an object", path=name,
                         hint="every record must be an object like {\"source\": \"a\", \"target\": \"b\"}")
    try:
        df = pd.json_normalize(records)
    except RecursionError as err:
        raise InputError("JSON nested too deeply to be a table", path=name,
                         hint="give a JSON array of flat objects, one per row") from err
    if not len(df.columns):
        raise InputError("the records hold no fields", path=name,
                         hint="every record must name its values, e.g. {\"source\": \"a\", \"target\": \"b\"}")
    report = LoadReport()
    table, nested = _arrow_table(df, name, report)
    for col in table.column_names:  # {"source": {"id": 1}} in one record, a plain value in others
        for prefix in (col[:i] for i, ch in enumerate(col) if ch == "."):
            if prefix in df.columns and prefix not in nested and df[col].notna().any():
                nested[prefix] = int(np.flatnonzero(df[col].notna().to_numpy())[0])
    return TextTable(table, name, "", True, 1, report, nested=nested)


def _arrow_table(df: pd.DataFrame, name: str, report: LoadReport) -> tuple[pa.Table, dict[str, int]]:
    """A pyarrow Table of JSON records: a column mixing types (``1`` and ``"lots"``) or holding
    numbers beyond 64 bits is read as text (and noted); lists and objects are remembered as nested."""
    df.columns = [str(c) for c in df.columns]
    arrays, nested = {}, {}
    for col in df.columns:
        values = df[col]
        try:
            arr = pa.array(values, from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            arr = None
        if arr is not None and pa.types.is_nested(arr.type):
            nested[col] = int(np.flatnonzero(values.notna().to_numpy())[0]) if values.notna().any() else 0
        if arr is None:
            objs = values.to_numpy(dtype=object)
            is_nested = np.fromiter((isinstance(v, (list, dict)) for v in objs), bool, len(objs))
            if is_nested.any():
                nested[col] = int(np.flatnonzero(is_nested)[0])
            kinds = sorted({type(v).__name__ for v in objs if v is not None and v == v})
            text = [None if v is None or v != v else json.dumps(v, default=str) if isinstance(v, (list, dict))
                    else str(v) for v in objs]
            arr = pa.array(text, type=pa.string())
            report.note(name, f"column {col!r} mixes value types or holds numbers beyond 64 bits "
                              f"({', '.join(kinds)}): read as text")
        arrays[col] = arr
    return pa.table(arrays), nested
