"""Account profiles (handle, follower counts, category, ...) → a DataFrame indexed by account id.

The result plugs into a graph with ``graph.with_accounts(profiles)``.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from .._report import LoadReport
from ..errors import InputError
from .._io import FileInfo
from .tables import TextTable, read_any_table

#: Normalised column → header spellings recognised for it (compared lower-case, letters and digits only).
PROFILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "account_id", "accountid", "user_id", "userid", "node", "node_id", "pk", "uid"),
    "handle": ("handle", "username", "user_name", "screen_name", "login", "account", "user", "name"),
    "followers": ("followers", "#followers", "followers_count", "follower_count", "num_followers", "n_followers",
                  "followed_by", "audience"),
    "following": ("following", "#followees", "followees", "followee_count", "following_count", "friends",
                  "friends_count", "follows_count", "num_following", "n_following"),
    "posts": ("posts", "#posts", "post_count", "posts_count", "media_count", "statuses_count", "tweets",
              "num_posts", "n_posts"),
    "category": ("category", "categories", "niche", "topic", "vertical"),
}
COUNT_COLUMNS = ("followers", "following", "posts")

_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def match_columns(cols: list[str], spellings: dict[str, tuple[str, ...]], given: dict[str, str | None],
                  name: str) -> dict[str, str]:
    """Map normalised names to the file's columns: explicit options first, then known spellings."""
    found: dict[str, str] = {}
    for norm, wanted in given.items():
        if wanted is None:
            continue
        if wanted not in cols:
            raise InputError(
                f"{norm} column {wanted!r} not found; the columns are {cols}",
                path=name,
                hint=f"pass one of those names as {norm}_col=",
            )
        found[norm] = wanted
    used = set(found.values())
    by_key: dict[str, str] = {}
    for c in cols:
        by_key.setdefault(_key(c), c)
    for norm, options in spellings.items():
        if norm in found:
            continue
        for opt in (norm,) + tuple(options):
            c = by_key.get(_key(opt))
            if c is not None and c not in used:
                found[norm] = c
                used.add(c)
                break
    return found


#: Counts at or above this do not fit a 64-bit integer column; they are refused (set missing, counted).
COUNT_LIMIT = 2.0 ** 63


def parse_counts(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Vectorised count parsing: ``1234``, ``1,234``, ``1.2k``, ``3M`` → float.

    Returns ``(numbers, bad, out_of_range)``: empty cells are missing (NaN) and neither; anything
    else that is not a number is ``bad``; a number that is not finite (``inf``, ``1e400``,
    thousands of digits) or does not fit a 64-bit integer (magnitude 2**63 and above) is
    ``out_of_range`` and set missing in ``numbers``: refused, never clamped.

    >>> nums, bad, big = parse_counts(pd.Series(["1,234", "2.5k", "", "lots", "9" * 400, str(2**63)]))
    >>> nums.tolist()[:2], bad.tolist(), big.tolist()
    ([1234.0, 2500.0], [False, False, False, True, False, False], [False, False, False, False, True, True])
    >>> parse_counts(pd.Series([1.0, float("inf"), 1e300]))[2].tolist()
    [False, True, True]
    """
    with np.errstate(all="ignore"):
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            num = pd.to_numeric(values, errors="coerce").astype("float64")
            empty = values.isna().to_numpy(bool)
        else:
            text = values.astype("string").str.strip().str.replace(r"[,_\s]", "", regex=True).str.lower()
            parts = text.str.extract(r"^\+?(\d+(?:\.\d*)?|\.\d+)([kmb]?)$")
            num = pd.to_numeric(parts[0], errors="coerce") * parts[1].map(_SUFFIX).astype("float64")
            empty = (text.isna() | (text == "") | text.isin(["nan", "na", "none", "null", "-"])).to_numpy(bool)
        arr = num.to_numpy(np.float64, na_value=np.nan)
        out_of_range = (np.isinf(arr) | (np.abs(arr) >= COUNT_LIMIT)) & ~empty
    bad = np.isnan(arr) & ~empty
    return num.astype("float64").mask(out_of_range), bad, out_of_range


def count_column(values: pd.Series, tt: TextTable, report: LoadReport, *, role: str,
                 negative_ok: bool = False, raise_bad: bool = False) -> pd.Series:
    """One count column (``followers``, ``likes``, ...) as nullable ``Int64``: values that are not
    counts, and counts that are not finite or do not fit 64 bits, are set missing and counted in
    ``report`` with the first line (or raise :class:`InputError` when ``raise_bad``); fractions are
    rounded and counted."""
    src, name = str(values.name), tt.name
    nums, bad, out_of_range = parse_counts(values)
    if not negative_ok:
        bad = bad | (nums < 0).to_numpy(bool)
    for mask, what in ((bad, "non-numeric"), (out_of_range, "infinite or too large (2**63 and above)")):
        if not mask.any():
            continue
        first = int(np.flatnonzero(mask)[0])
        value = str(values.iloc[first])[:40]
        if raise_bad:
            raise InputError(
                f"column {src!r} ({role}) holds {int(mask.sum()):,} values that are not counts, the first is {value!r}",
                path=name, line=tt.line_of(first),
                hint=f"a count is a whole number from 0 to 2**63 - 1: clean the column, choose another with "
                     f"{role}_col=, or pass bad_counts='report'",
            )
        report.add(name, int(mask.sum()), f"{what} {src!r} values set missing (first at {tt.where(first)}: {value!r})")
    nums = nums.mask(bad)
    frac = nums.notna() & (nums % 1 != 0)
    if frac.any():
        report.add(name, int(frac.sum()), f"fractional {src!r} values rounded")
    return nums.round().astype("Int64")


def read_profiles(
    path: str | os.PathLike | FileInfo,
    *,
    id_col: str | None = None,
    handle_col: str | None = None,
    followers_col: str | None = None,
    following_col: str | None = None,
    posts_col: str | None = None,
    category_col: str | None = None,
    delimiter: str | None = None,
    bad_counts: str = "report",
) -> pd.DataFrame:
    """Read account profiles (CSV, TSV, JSON, JSON Lines, Parquet; any compression; ``-`` for stdin).

    Parameters
    ----------
    path : path or ``"-"``
        The file; it must have a header row (text) or named fields (JSON, Parquet). A ``=====``
        rule line under the header is skipped and reported.
    id_col : str, optional
        The account id column. By default ``id`` / ``account_id`` / ``user_id`` ...; when there is
        none, the handle column is the id (as in ``influencers.txt``, which only has ``Username``).
    handle_col, followers_col, following_col, posts_col, category_col : str, optional
        Override the recognised spellings (``Username``, ``screen_name``; ``#Followers``,
        ``followers_count``; ``#Followees``, ``friends_count``; ``#Posts``, ``media_count``;
        ``Category``, ``niche`` ...; see :data:`PROFILE_COLUMNS`).
    delimiter : str, optional
        Override the sniffed delimiter of a text file.
    bad_counts : {"report", "raise"}
        What to do with a count that is not a number (``1,234``, ``1.2k`` and ``3M`` are numbers):
        set it missing and count it in the report (default), or raise :class:`InputError` naming
        the column and line.

    Returns
    -------
    DataFrame
        Indexed by account id (``str``, index name ``id``), columns ``handle`` (str),
        ``followers``, ``following``, ``posts`` (nullable ``Int64``; missing where the file has no
        value or no such column), ``category`` (str, stripped, lower-case; missing where absent),
        then every other column of the file unchanged. Rows with an empty id are dropped; of
        duplicate ids the first row is kept. ``df.attrs["report"]`` is the
        :class:`~graphinflu._report.LoadReport` of what was skipped or changed, and
        ``df.attrs["columns"]`` maps each normalised name to the file column it came from.

    Examples
    --------
    >>> import io, sys
    >>> from graphinflu import _io
    >>> _io._stdin_cache["-"] = b"Username,#Followers,Category\\nana,1.2k,Food\\nbo,900,travel\\n"
    >>> df = read_profiles("-")
    >>> list(df.index), df["followers"].tolist(), df["category"].tolist()
    (['ana', 'bo'], [1200, 900], ['food', 'travel'])
    >>> _io._stdin_cache.clear()
    """
    if bad_counts not in ("report", "raise"):
        raise InputError(f"bad_counts must be 'report' or 'raise', not {bad_counts!r}")
    tt = read_any_table(path, delimiter=delimiter, header=True, comment=None)
    name = tt.name
    df = tt.table.to_pandas()
    df.columns = [str(c) for c in df.columns]
    cols = list(df.columns)
    given = {"id": id_col, "handle": handle_col, "followers": followers_col, "following": following_col,
             "posts": posts_col, "category": category_col}
    found = match_columns(cols, PROFILE_COLUMNS, given, name)
    if "id" not in found and "handle" not in found:
        raise InputError(
            f"no account id or handle column; the columns are {cols}",
            path=name,
            hint="name the id column with id_col= (or the handle column with handle_col=)",
        )
    report = LoadReport()
    report.extend(tt.report)
    out = pd.DataFrame(index=df.index)
    id_source = found.get("id", found.get("handle"))
    tt.require_flat(id_source, "id")
    ids = df[id_source].astype("string").str.strip()
    if "handle" in found:
        out["handle"] = df[found["handle"]].astype("string").str.strip().str.lstrip("@")
        if "id" not in found:
            ids = ids.str.lstrip("@")
    else:
        out["handle"] = ids
    for col in COUNT_COLUMNS:
        if col not in found:
            out[col] = pd.array([pd.NA] * len(df), dtype="Int64")
            continue
        out[col] = count_column(df[found[col]], tt, report, role=col, raise_bad=bad_counts == "raise")
    if "category" in found:
        out["category"] = df[found["category"]].astype("string").str.strip().str.lower().replace("", pd.NA)
    else:
        out["category"] = pd.array([pd.NA] * len(df), dtype="string")
    used = set(found.values())
    for c in cols:
        if c not in used and c not in out.columns:
            out[c] = df[c]
    out.index = pd.Index(ids.to_numpy(dtype=object, na_value=""), name="id")
    empty = out.index == ""
    if empty.any():
        first = int(np.flatnonzero(empty)[0])
        report.add(name, int(empty.sum()), f"rows with an empty {id_source!r} dropped (first at {tt.where(first)})")
    dup = out.index.duplicated(keep="first") & ~empty
    if dup.any():
        first = int(np.flatnonzero(dup)[0])
        report.add(name, int(dup.sum()), f"rows with a repeated {id_source!r} dropped, the first row of each id kept "
                                         f"(first repeat at {tt.where(first)})")
    keep = ~(empty | dup)
    if not keep.all():
        out = out[keep]
    if out.empty:
        raise InputError("no accounts left after dropping empty and repeated ids", path=name)
    out.attrs["report"] = report
    out.attrs["columns"] = {k: v for k, v in found.items()}
    return out
