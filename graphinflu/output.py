"""Write a result table in one of the CLI's formats, to a file (atomically) or to stdout."""

from __future__ import annotations

import gzip
import io
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ._io import COMPRESSION_SUFFIXES, atomic_write, check_output_file
from .errors import InputError

FORMATS = ("table", "csv", "json", "jsonl", "parquet")
_SUFFIX = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet",
           ".txt": "table"}
#: Formats that may be written gzip-compressed, by naming the output ``*.gz`` (``ranks.csv.gz``).
GZIP_FORMATS = ("csv", "json", "jsonl")


def _gzip_suffix(path: str | Path | None) -> str | None:
    """The compression suffix of ``path`` (``.gz``, ``.bz2``, ...; lower-case), or None."""
    if path is None or str(path) == "-":
        return None
    suffix = Path(str(path)).suffix.lower()
    return suffix if suffix in COMPRESSION_SUFFIXES else None


def _suffix_list() -> str:
    names = sorted(set(_SUFFIX)) + [f".{f}.gz" for f in GZIP_FORMATS]
    return ", ".join(names)


def is_gzip_output(path: str | Path | None) -> bool:
    """Whether :func:`write_table` gzip-compresses ``path`` (its name ends ``.gz`` or ``.gzip``)."""
    comp = _gzip_suffix(path)
    return comp is not None and COMPRESSION_SUFFIXES[comp] == "gzip"


def guess_format(path: str | Path | None, fmt: str | None) -> str:
    """The explicit ``fmt``, else the one named by the file suffix, else ``table`` (stdout).

    A ``.gz`` name (``ranks.csv.gz``) is the format of the name before it, written
    gzip-compressed (csv, json and jsonl only). An unknown suffix (``out.xyz``, or none) or
    another compression (``.bz2``, ``.xz``, ``.zst``) is an :class:`InputError` listing the
    formats, not a silent CSV.

    >>> guess_format("ranks.parquet", None), guess_format(None, None), guess_format("x.dat", "csv")
    ('parquet', 'table', 'csv')
    >>> guess_format("ranks.csv.gz", None), guess_format("ranks.gz", "jsonl")
    ('csv', 'jsonl')
    """
    if fmt and fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)} (--format, or fmt= in Python)")
    if path is None or str(path) == "-":
        return fmt or "table"
    name = str(path)
    comp = _gzip_suffix(name)
    if comp is not None and COMPRESSION_SUFFIXES[comp] != "gzip":
        raise InputError(f"output compression {comp!r} is not supported", path=name,
                         hint=f"name it {_suffix_list()} (only gzip, .gz, compresses an output)")
    base = name[: -len(comp)] if comp else name
    if not fmt:
        suffix = Path(base).suffix.lower()
        if suffix not in _SUFFIX:
            said = f"unknown output suffix {suffix!r}" if suffix else "the output file name has no format suffix"
            raise InputError(f"{said}: cannot tell the format", path=name,
                             hint=f"name it {_suffix_list()}, or pass --format (fmt= in Python): {', '.join(FORMATS)}")
        fmt = _SUFFIX[suffix]
    if comp and fmt not in GZIP_FORMATS:
        raise InputError(f"{fmt} output cannot be gzip-compressed", path=name,
                         hint=f"drop the {comp} suffix, or write {', '.join(GZIP_FORMATS)} (e.g. out.csv.gz)"
                              + (" (Parquet compresses itself)" if fmt == "parquet" else ""))
    return fmt


def check_output(path: str | Path | None, fmt: str | None) -> str:
    """Check ``-o``/``--format`` before any work starts and return the resolved format.

    The format and suffix are validated first (:func:`guess_format`), so a refused name leaves no
    folder behind; Parquet to a terminal is refused here too; only then is the destination
    checked and its missing parent folders created (:func:`~graphinflu._io.check_output_file`).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_output(d / "new" / "r.csv.gz", None), (d / "new").is_dir()
    ('csv', True)
    >>> try:
    ...     check_output(d / "other" / "r.xyz", None)
    ... except InputError:
    ...     print((d / "other").exists())
    False
    """
    resolved = guess_format(path, fmt)
    if (path is None or str(path) == "-") and resolved == "parquet" and _stdout_is_terminal():
        raise _parquet_terminal_error()
    check_output_file(path)
    return resolved


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed stdout
        return False


def _parquet_terminal_error() -> InputError:
    return InputError("refusing to write Parquet to a terminal",
                      hint="give a file, -o FILE.parquet (path= in Python), or redirect: ... > out.parquet")


def _json_value(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_json_value(x) for x in v]
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain-Python dicts, the index included as a column (NaN → None)."""
    flat = df.reset_index() if _has_named_index(df) else df
    cols = [str(c) for c in flat.columns]
    return [{c: _json_value(v) for c, v in zip(cols, row)} for row in flat.itertuples(index=False, name=None)]


def _has_named_index(df: pd.DataFrame) -> bool:
    return any(n is not None for n in df.index.names)


def _csv(df: pd.DataFrame) -> bytes:
    """CSV through pyarrow's C writer (about 10x pandas' on wide tables); pandas for what Arrow
    cannot type (mixed-type object columns)."""
    flat = df.reset_index() if _has_named_index(df) else df
    flat = flat.copy(deep=False)
    flat.columns = [str(c) for c in flat.columns]
    for col in flat.columns:
        if isinstance(flat[col].dtype, pd.CategoricalDtype):
            flat[col] = flat[col].astype(object).where(flat[col].notna(), None)
    try:
        table = pa.Table.from_pandas(flat, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        return flat.to_csv(index=False, lineterminator="\n").encode("utf-8")
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue()


def render(df: pd.DataFrame, fmt: str) -> bytes:
    """The bytes of ``df`` in format ``fmt``."""
    if fmt == "csv":
        return _csv(df)
    if fmt == "json":
        return (json.dumps(records(df), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(df)).encode("utf-8")
    if fmt == "parquet":
        buf = io.BytesIO()
        flat = df.reset_index() if _has_named_index(df) else df
        flat = flat.set_axis([str(c) for c in flat.columns], axis=1)  # a new frame: the caller's keeps its names
        flat.to_parquet(buf, index=False)
        return buf.getvalue()
    if fmt == "table":
        flat = df.reset_index() if _has_named_index(df) else df
        if flat.empty:  # pandas would print "Empty DataFrame ..."; a header says the same plainly
            return ("  ".join(map(str, flat.columns)) + "\n").encode("utf-8")
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250,
                               "display.max_colwidth", 60):
            return (flat.to_string(index=False, float_format=lambda x: f"{x:.6g}") + "\n").encode("utf-8")
    raise InputError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")


def write_table(df: pd.DataFrame, path: str | Path | None = None, fmt: str | None = None) -> None:
    """Write ``df`` to ``path`` atomically, or to stdout when ``path`` is None or ``-``.

    A ``.gz`` path (``ranks.csv.gz``, ``ranks.jsonl.gz``) is written gzip-compressed. A closed
    stdout (``graphinflu rank ... | head``) ends quietly.
    """
    fmt = guess_format(path, fmt)
    if path is None or str(path) == "-":
        if fmt == "parquet" and _stdout_is_terminal():
            raise _parquet_terminal_error()
        data = render(df, fmt)
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            # the reader went away (| head): stop quietly, as Unix tools do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return
    data = render(df, fmt)
    if is_gzip_output(path):
        data = gzip.compress(data, compresslevel=6, mtime=0)  # mtime 0: the same table gives the same bytes
    with atomic_write(path, "wb") as fh:
        fh.write(data)
