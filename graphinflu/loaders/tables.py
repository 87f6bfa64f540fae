"""One shared reader for delimited text and Parquet, parsed by pyarrow (never line by line in Python).

It sniffs the delimiter (comma, tab, semicolon, pipe, or whitespace as in SNAP files), skips
leading ``#`` comment lines, decides whether the first row is a header, counts malformed lines
instead of failing on the first one, and turns pyarrow's errors into messages naming the file,
the line and the fix.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .._io import arrow_stream, display_name, read_head, strip_compression_suffix
from .._report import LoadReport
from ..errors import InputError

#: Column names that mark a first row as a header rather than data.
KNOWN_COLUMNS = {
    "source", "target", "src", "dst", "from", "to", "u", "v", "follower", "followers", "followed",
    "followee", "following", "account", "user", "username", "handle", "id", "node", "set", "weight",
    "timestamp", "time", "ts", "kind", "type", "owner", "owner_username", "category", "creator",
}


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

    def line_of(self, row: int) -> int | None:
        """1-based line number of table row ``row`` (0-based), or None for Parquet/JSON input.

        Exact for text files whose skipped lines were counted (malformed and separator lines);
        blank lines inside the data are not counted, so the number can be low by that many.
        """
        if not self.delimiter:
            return None
        import bisect

        line = self.first_data_line + int(row)
        while True:  # shift past every skipped line at or before the candidate
            k = bisect.bisect_right(self.skipped_lines, line)
            nxt = self.first_data_line + int(row) + k
            if nxt == line:
                return line
            line = nxt


_RULE = re.compile(r"^[\s=\-_+|#*~]*[=\-_~*]{3,}[\s=\-_+|#*~]*$")


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _sniff(head: bytes, name: str, delimiter: str | None, comment: str | None):
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not just a multi-byte char cut at the buffer end
            line = head[: err.start].count(b"\n") + 1
            raise InputError(
                f"not UTF-8 text (byte {err.start} is {head[err.start:err.start + 1]!r})",
                path=name,
                line=line,
                hint="re-encode the file as UTF-8, e.g. iconv -f latin1 -t utf-8 IN > OUT",
            ) from err
        text = head[: err.start].decode("utf-8")
    lines = text.splitlines()
    if len(head) == (1 << 16) and lines:
        lines = lines[:-1]  # the last line may be cut
    skip = 0
    for ln in lines:
        if (comment and ln.startswith(comment)) or not ln.strip():
            skip += 1
        else:
            break
    data = [ln for ln in lines[skip:] if ln.strip() and not (comment and ln.startswith(comment))]
    if not data:
        raise InputError("no data rows", path=name, hint="the file is empty or holds only comments")
    first = data[0]
    if delimiter is None:
        for cand in ("\t", ",", ";", "|"):
            if cand in first:
                delimiter = cand
                break
        else:
            delimiter = " "
    return skip, data, delimiter


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == " ":
        return line.split()
    return [f.strip().strip('"') for f in line.split(delimiter)]


def read_text_table(
    path: str | os.PathLike,
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
        known column name (``source``, ``follower``, ...) or if it is text above numeric rows.
    comment : str, optional
        Leading lines starting with this are skipped (SNAP files start with ``#`` lines).
    """
    name = display_name(path)
    head = read_head(path)
    skip, data, delimiter = _sniff(head, name, delimiter, comment)
    first = _split(data[0], delimiter)
    if header is None:
        lowered = {f.lower().lstrip("#").strip() for f in first}
        if lowered & KNOWN_COLUMNS:
            header = True
        elif len(data) > 1:
            second = _split(data[1], delimiter)
            header = not any(_is_number(f) for f in first[:2]) and all(_is_number(f) for f in second[:2])
        else:
            header = False
    ncols = len(first)
    n_rules = 0
    if header:
        names = [f.strip() or f"column{i + 1}" for i, f in enumerate(first)]
        if len(set(names)) != len(names):
            raise InputError(f"repeated column names in the header: {names}", path=name, line=skip + 1,
                             hint="give every column a distinct name")
        # a '=====' or '-----' rule under the header (as in influencers.txt) is decoration, not data
        while 1 + n_rules < len(data) and _RULE.match(data[1 + n_rules]):
            n_rules += 1
        skip_rows = skip + 1 + n_rules
    else:
        names = [f"column{i + 1}" for i in range(ncols)]
        skip_rows = skip
    column_types = dict(column_types or {})
    for i in string_columns:
        if i < len(names):
            column_types.setdefault(names[i], pa.string())
    bad: list[tuple[int | None, str]] = []

    def on_invalid(row):
        bad.append((row.number, row.text))
        return "skip"

    whitespace = delimiter == " "
    if whitespace and re.search(r"\S(  +|\t)\S", "\n".join(data[:50])):
        # runs of blanks: normalise them by reading with a regex-free tokeniser below
        tt = _read_whitespace(path, name, names, skip_rows, comment, header)
        if n_rules:
            tt.report.items.insert(0, _rule_note(name, n_rules, skip_rows))
        return tt
    try:
        table = pacsv.read_csv(
            arrow_stream(path),
            read_options=pacsv.ReadOptions(skip_rows=skip_rows, column_names=names, use_threads=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, invalid_row_handler=on_invalid, quote_char=False if whitespace else '"',
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(column_types=column_types, strings_can_be_null=False),
        )
    except pa.ArrowInvalid as err:
        raise _arrow_error(err, name, path) from err
    except (OSError, EOFError) as err:
        raise InputError(f"cannot read: {err}", path=name, hint="check that the file is complete and not corrupted") from err
    report = LoadReport()
    if n_rules:
        report.items.append(_rule_note(name, n_rules, skip_rows))
    if comment and table.num_rows:
        first_col = table.column(0)
        if pa.types.is_string(first_col.type) or pa.types.is_large_string(first_col.type):
            import pyarrow.compute as pc

            is_comment = pc.starts_with(first_col, comment)
            n_comment = pc.sum(is_comment).as_py() or 0
            if n_comment:
                table = table.filter(pc.invert(is_comment))
                report.add(name, n_comment, f"comment lines starting with {comment!r} skipped")
    if bad and any(b[0] is None for b in bad):
        # the threaded parser does not know line numbers: parse again serially (malformed files only)
        bad.clear()
        pacsv.read_csv(
            arrow_stream(path),
            read_options=pacsv.ReadOptions(skip_rows=skip_rows, column_names=names, use_threads=False, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, invalid_row_handler=on_invalid, quote_char=False if whitespace else '"',
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(column_types=column_types, strings_can_be_null=False),
        )
    skipped: list[int] = []
    if bad:
        nums = [b[0] for b in bad if b[0] is not None]
        skipped.extend(nums)
        sample = bad[0][1][:80]
        where = f" (first at line {nums[0]}: {sample!r})" if nums else f" (first: {sample!r})"
        if len(bad) > max_bad_fraction * max(table.num_rows + len(bad), 1):
            raise InputError(
                f"{len(bad):,} of {table.num_rows + len(bad):,} rows have a different number of columns than "
                f"the first row ({ncols}){where}",
                path=name,
                hint="check the delimiter (--delimiter) and whether the first row is a header (--header/--no-header)",
            )
        report.add(name, len(bad), f"malformed lines skipped: wrong number of columns, expected {ncols}{where}")
    if table.num_rows == 0:
        raise InputError("no data rows", path=name, hint="the file holds a header but no rows")
    return TextTable(table, name, delimiter, bool(header), skip_rows + 1, report, tuple(sorted(skipped)))


def _rule_note(name: str, n: int, skip_rows: int):
    from .._report import Skip

    return Skip(name, n, f"separator line(s) under the header skipped (line {skip_rows - n + 1})")


def _read_whitespace(path, name, names, skip_rows, comment, header) -> TextTable:
    """Whitespace-aligned text (runs of blanks): pandas' C tokenizer handles ``\\s+`` natively."""
    import pandas as pd

    from .._io import open_binary

    import warnings

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            df = pd.read_csv(
                open_binary(path), sep=r"\s+", header=None, names=names, skiprows=skip_rows, comment=comment,
                dtype=str, engine="c", on_bad_lines="warn", keep_default_na=False, na_values=[],
            )
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=name, line=_find_bad_utf8_line(path),
                         hint="re-encode the file as UTF-8, e.g. iconv -f latin1 -t utf-8 IN > OUT") from err
    except (OSError, EOFError) as err:
        raise InputError(f"cannot read: {err}", path=name, hint="check that the file is complete and not corrupted") from err
    except pd.errors.ParserError as err:
        raise InputError(f"cannot parse: {err}", path=name, hint="check the delimiter") from err
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
    df = df.fillna("")
    if df.empty:
        raise InputError("no data rows", path=name, hint="the file holds a header but no rows")
    table = pa.Table.from_pandas(df, preserve_index=False)
    return TextTable(table, name, " ", bool(header), skip_rows + 1, report, tuple(lines))


def _arrow_error(err: Exception, name: str, path) -> InputError:
    msg = str(err)
    if "UTF8" in msg or "utf8" in msg.lower():
        line = _find_bad_utf8_line(path)
        return InputError("not UTF-8 text", path=name, line=line,
                          hint="re-encode the file as UTF-8, e.g. iconv -f latin1 -t utf-8 IN > OUT")
    m = re.search(r"Row #(\d+)", msg)
    return InputError(f"cannot parse: {msg.splitlines()[0]}", path=name, line=int(m.group(1)) if m else None,
                      hint="check the delimiter and that every row has the same number of columns")


def _find_bad_utf8_line(path) -> int | None:
    from .._io import open_binary

    with open_binary(path) as fh:
        for i, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return i
    return None


def read_any_table(path: str | os.PathLike, *, delimiter: str | None = None, header: bool | None = None,
                   comment: str | None = "#", string_columns: tuple[int, ...] = ()) -> TextTable:
    """Delimited text, Parquet (``.parquet``/``.pq``) or JSON records (``.json``/``.jsonl``) as one Table."""
    name = display_name(path)
    base = strip_compression_suffix(path).lower()
    if base.endswith((".parquet", ".pq")):
        import pyarrow.parquet as pq

        from .._io import check_readable

        check_readable(path)
        try:
            table = pq.read_table(path)
        except (pa.ArrowException, OSError) as err:
            raise InputError(f"not a readable Parquet file: {err}", path=name) from err
        if table.num_rows == 0:
            raise InputError("no data rows", path=name)
        return TextTable(table, name, "", True, 1)
    if base.endswith((".json", ".jsonl", ".ndjson")):
        return _read_json_records(path, name)
    return read_text_table(path, delimiter=delimiter, header=header, comment=comment, string_columns=string_columns)


def _read_json_records(path, name) -> TextTable:
    import json

    import pandas as pd

    from .._io import open_binary

    raw = open_binary(path).read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=name, line=raw[: err.start].count(b"\n") + 1,
                         hint="re-encode the file as UTF-8") from err
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            records = json.loads(text)
        elif stripped.startswith("{") and "\n{" not in stripped.rstrip():
            obj = json.loads(text)
            records = obj.get("accounts") or obj.get("nodes") or obj.get("data") or [obj]
        else:
            records = [json.loads(ln) for ln in text.splitlines() if ln.strip()]
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg}", path=name, line=err.lineno,
                         hint="give a JSON array of objects or one object per line (JSON Lines)") from err
    if not records:
        raise InputError("no records", path=name)
    df = pd.json_normalize(records)
    return TextTable(pa.Table.from_pandas(df, preserve_index=False), name, "", True, 1)
