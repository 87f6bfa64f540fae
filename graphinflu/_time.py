"""Instants as UTC epoch seconds: window bounds (``--since``/``--until``) and post timestamps.

One rule everywhere: a date or time without a timezone is UTC; one with an offset is converted to
UTC. A date alone is its midnight (``2024-03-01`` = ``2024-03-01T00:00:00Z``).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers

import numpy as np
import pandas as pd

from .errors import InputError

_HINT = "give a date or a date and time, e.g. 2024-03-01 or 2024-03-01T18:00:00+01:00 (no offset = UTC)"


def parse_instant(value, role: str = "time") -> float | None:
    """``value`` as UTC epoch seconds; ``None`` stays ``None``.

    Numbers are epoch seconds already; text, :class:`datetime.date`, :class:`datetime.datetime`
    and :class:`pandas.Timestamp` are read with the rule of this module.

    >>> parse_instant("2024-01-01"), parse_instant("2024-01-01T01:00:00+01:00"), parse_instant(None)
    (1704067200.0, 1704067200.0, None)
    >>> parse_instant("last week", "--since")
    Traceback (most recent call last):
    ...
    graphinflu.errors.InputError: --since must be a date or a time, not 'last week'
      fix: give a date or a date and time, e.g. 2024-03-01 or 2024-03-01T18:00:00+01:00 (no offset = UTC)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(f"{role} must be a date or a time, not {value!r}", hint=_HINT)
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            raise InputError(f"{role} must be a date or a time, not {value!r}", hint=_HINT)
        return float(value)
    if isinstance(value, str) and not value.strip():
        raise InputError(f"{role} is empty", hint=_HINT)
    try:
        ts = pd.Timestamp(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError, OverflowError) as err:
        raise InputError(f"{role} must be a date or a time, not {value!r}", hint=_HINT) from err
    if ts is pd.NaT:
        raise InputError(f"{role} must be a date or a time, not {value!r}", hint=_HINT)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.value / 1e9


def format_instant(seconds: float | None) -> str | None:
    """UTC epoch seconds as ISO 8601 with ``Z`` (whole seconds), for manifests and messages.

    >>> format_instant(1704067200.0)
    '2024-01-01T00:00:00Z'
    """
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def post_times(col: pd.Series) -> np.ndarray:
    """A timestamp column as float64 UTC epoch seconds, NaN where missing or unreadable.

    Numbers are epoch seconds (what :func:`graphinflu.loaders.read_posts` returns); datetimes and
    text are read with the rule of this module (naive = UTC).

    >>> post_times(pd.Series(["2024-01-01T00:30:00+01:00", None, "2024-01-01"])).tolist()
    [1704065400.0, nan, 1704067200.0]
    """
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        d = col.dt.tz_localize("UTC") if getattr(col.dt, "tz", None) is None else col.dt.tz_convert("UTC")
    elif pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return pd.to_numeric(col, errors="coerce").astype(np.float64).to_numpy()
    else:
        num = pd.to_numeric(col, errors="coerce").astype(np.float64)
        if num.notna().any() or col.isna().all():
            return num.to_numpy()
        d = pd.to_datetime(col, errors="coerce", utc=True, format="mixed")
    return datetimes_to_seconds(d)


def datetimes_to_seconds(d: pd.Series) -> np.ndarray:
    """UTC datetimes (any resolution: pandas 3 parses text to microseconds, not nanoseconds) as
    float64 epoch seconds, NaN for NaT.

    >>> datetimes_to_seconds(pd.Series(pd.to_datetime(["2024-01-01", None], utc=True))).tolist()
    [1704067200.0, nan]
    """
    secs = (d - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    return secs.astype(np.float64).to_numpy()
