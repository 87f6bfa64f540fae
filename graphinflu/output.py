"""Write a result table in one of the CLI's formats, to a file (atomically) or to stdout."""

from __future__ import annotations

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

from ._io import atomic_write
from .errors import InputError

FORMATS = ("table", "csv", "json", "jsonl", "parquet")
_SUFFIX = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet",
           ".txt": "table"}


def guess_format(path: str | Path | None, fmt: str | None) -> str:
    """The explicit ``fmt``, else the one named by the file suffix, else ``table`` (stdout).

    An unknown suffix (``out.xyz``, or none) is an :class:`InputError` listing the formats, not a
    silent CSV.

    >>> guess_format("ranks.parquet", None), guess_format(None, None), guess_format("x.dat", "csv")
    ('parquet', 'table', 'csv')
    """
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
        return fmt
    if path is None or str(path) == "-":
        return "table"
    suffix = Path(str(path)).suffix.lower()
    if suffix not in _SUFFIX:
        said = f"unknown output suffix {suffix!r}" if suffix else "the output file name has no suffix"
        raise InputError(f"{said}: cannot tell the format", path=str(path),
                         hint=f"name it {', '.join(sorted(set(_SUFFIX)))}, or pass --format "
                              f"({', '.join(FORMATS)})")
    return _SUFFIX[suffix]


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

    A closed stdout (``graphinflu rank ... | head``) ends quietly.
    """
    fmt = guess_format(path, fmt)
    data = render(df, fmt)
    if path is None or str(path) == "-":
        if fmt == "parquet" and sys.stdout.isatty():
            raise InputError("refusing to write Parquet to a terminal", hint="use -o FILE.parquet")
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            # the reader went away (| head): stop quietly, as Unix tools do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return
    with atomic_write(path, "wb") as fh:
        fh.write(data)
