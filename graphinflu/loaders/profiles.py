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
                hint=f"pass one of those names as {norm}_col= (or rename the file's column to {norm!r})",
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

#: Why a count value was refused or changed (the keys of :func:`parse_counts`' masks), with the
#: words the load report uses, in report order.
COUNT_PROBLEMS: dict[str, str] = {
    "not_a_number": "non-numeric",
    "out_of_range": "infinite or too large (2**63 and above)",
    "negative": "negative",
    "fraction": "fractional",
}
_COUNT_TEXT = r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(e[+-]?\d+)?([kmb]?)$"
_INF_TEXT = r"^[+-]?inf(inity)?$"


def parse_counts(values: pd.Series) -> tuple[pd.Series, dict[str, np.ndarray]]:
    """Vectorised count parsing: ``1234``, ``1,234``, ``1.2k``, ``3M``, ``1e3`` → float.

    Returns ``(numbers, problems)``. Empty cells are missing (NaN) and no problem. ``problems``
    maps each key of :data:`COUNT_PROBLEMS` to a boolean mask: ``not_a_number`` (``lots``),
    ``out_of_range`` (``inf``, ``1e400``, thousands of digits, magnitude 2**63 and above: set
    missing in ``numbers``, refused, never clamped), ``negative`` and ``fraction`` (a finite
    value that is not whole; both kept in ``numbers``: the caller decides).

    >>> nums, bad = parse_counts(pd.Series(["1,234", "2.5k", "", "lots", "9" * 400, str(2**63), "-5", "1.5", "inf"]))
    >>> nums.tolist()[:2], [k for k, m in bad.items() for _ in range(int(m.sum()))]
    ([1234.0, 2500.0], ['not_a_number', 'out_of_range', 'out_of_range', 'out_of_range', 'negative', 'fraction'])
    >>> parse_counts(pd.Series([1.0, float("inf"), 1e300]))[1]["out_of_range"].tolist()
    [False, True, True]
    """
    with np.errstate(all="ignore"):
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            num = pd.to_numeric(values, errors="coerce").astype("float64")
            empty = values.isna().to_numpy(bool)
        else:
            text = values.astype("string").str.strip().str.replace(r"[,_\s]", "", regex=True).str.lower()
            parts = text.str.extract(_COUNT_TEXT)
            literal = parts[0] + parts[1] + parts[2].fillna("")
            num = pd.to_numeric(literal, errors="coerce") * parts[3].map(_SUFFIX).astype("float64")
            infinite = text.str.match(_INF_TEXT).fillna(False).to_numpy(bool)
            num = num.mask(infinite, np.where(text.str.startswith("-").fillna(False), -np.inf, np.inf))
            empty = (text.isna() | (text == "") | text.isin(["nan", "na", "none", "null", "-"])).to_numpy(bool)
        arr = num.to_numpy(np.float64, na_value=np.nan)
        out_of_range = (np.isinf(arr) | (np.abs(arr) >= COUNT_LIMIT)) & ~empty
        usable = ~np.isnan(arr) & ~out_of_range
        problems = {
            "not_a_number": np.isnan(arr) & ~empty,
            "out_of_range": out_of_range,
            "negative": usable & (arr < 0),
            "fraction": usable & (np.mod(arr, 1) != 0),
        }
    return num.astype("float64").mask(out_of_range), problems


def _original(values: pd.Series, tt: TextTable, row: int) -> str:
    """The first offending value as the file wrote it (``1e400``, not the ``inf`` it parsed to)."""
    value = values.iloc[row]
    if pd.api.types.is_numeric_dtype(values.dtype):
        raw = tt.raw_field(row, str(values.name))
        if raw is not None:
            try:  # the line found is the row's (blank lines in the data could shift it)
                if float(raw.replace(",", "")) == float(value):
                    return raw[:40]
            except ValueError:
                pass
    return str(value)[:40]


def count_column(values: pd.Series, tt: TextTable, report: LoadReport, *, role: str,
                 negative_ok: bool = False, raise_bad: bool = False) -> pd.Series:
    """One count column (``followers``, ``likes``, ...) as nullable ``Int64``.

    Values that are not numbers, not finite or too large for 64 bits, or negative (unless
    ``negative_ok``) are set missing; fractions are rounded. Each reason is counted separately in
    ``report`` with the first offending value as written and its line (or, for the refused ones,
    :class:`InputError` is raised when ``raise_bad``).
    """
    src, name = str(values.name), tt.name
    nums, problems = parse_counts(values)
    if negative_ok:
        problems["negative"] = np.zeros(len(values), bool)
    for key, what in COUNT_PROBLEMS.items():
        mask = problems[key]
        if not mask.any():
            continue
        first = int(np.flatnonzero(mask)[0])
        value = _original(values, tt, first)
        if raise_bad and key != "fraction":
            raise InputError(
                f"column {src!r} ({role}) holds {int(mask.sum()):,} {what} values, which are not counts; "
                f"the first is {value!r}",
                path=name, line=tt.line_of(first),
                hint=f"a count is a whole number from 0 to 2**63 - 1: clean the column, or (in Python) choose "
                     f"another column with {role}_col= or pass bad_counts='report' to set such values missing",
            )
        done = "rounded" if key == "fraction" else "set missing"
        report.add(name, int(mask.sum()), f"{what} {src!r} values {done} (first at {tt.where(first)}: {value!r})")
    nums = nums.mask(problems["not_a_number"] | problems["negative"])
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
            hint="rename the account column to id, username or handle (in Python you may instead name it with "
                 "id_col= or handle_col=)",
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
