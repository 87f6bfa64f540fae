"""Published engagement-rate benchmarks by platform and follower band, and each creator against them.

The table ships with graphinflu (``graphinflu/data/engagement_benchmarks.csv``; where every figure
was read, quoted, is in ``graphinflu/data/ENGAGEMENT_BENCHMARKS.md``). Each row is one published
rate for one follower band of one platform, with its publisher, report, year, URL and the formula
the publisher uses. No figure is estimated: a band without a published figure has no row, and its
creators get no benchmark ("no published benchmark").

A creator is matched by its **follower count** to the report's own band
(``followers_min ≤ followers < followers_max``), not by graphinflu's tier name: the reports' nano
(1,000–10,000) and micro (10,000–50,000) both fall inside graphinflu's default micro tier
(1,000–50,000), so a tier-name match would hold a 5,000-follower and a 40,000-follower creator to
the same rate. When several rows cover a count, the newest ``year`` wins (ties: the first row in
the file). Only rows whose ``basis`` is ``followers`` are used: graphinflu's engagement rate is
per follower, and a per-view rate (TikTok's usual definition) is not comparable with it.
"""

from __future__ import annotations

import functools
import math
import os
from importlib import resources

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["BENCHMARK_COLUMNS", "published_benchmarks", "benchmark_platforms", "benchmark_for",
           "compare_with_benchmarks"]

#: The file inside ``graphinflu.data``.
BENCHMARKS_FILE = "engagement_benchmarks.csv"
#: Columns every benchmark table has, in order (all required; ``followers_max`` and ``cited_via`` may be empty).
BENCHMARK_COLUMNS: tuple[str, ...] = ("platform", "band", "followers_min", "followers_max", "rate_percent", "basis",
                                      "definition", "publisher", "report", "year", "url", "cited_via")
#: What a published rate divides by; only ``followers`` rates are compared with graphinflu's.
BASES: tuple[str, ...] = ("followers", "views")
#: Text of ``engagement_benchmark_source`` when no row covers an account.
NO_BENCHMARK = "no published benchmark"
_REQUIRED_TEXT = ("platform", "band", "basis", "definition", "publisher", "report", "url")


def _bad(path, line: int | None, what: str) -> InputError:
    where = f"{path}, line {line}" if line is not None else str(path)
    return InputError(f"{where}: {what}", hint="every benchmark row needs platform, band, followers_min, rate_percent, "
                                               "basis (followers|views), definition, publisher, report, year and an "
                                               "http(s) url; see graphinflu/data/ENGAGEMENT_BENCHMARKS.md")


def _validate(raw: pd.DataFrame, path) -> pd.DataFrame:
    missing = [c for c in BENCHMARK_COLUMNS if c not in raw.columns]
    if missing:
        raise _bad(path, 1, f"benchmark table lacks column(s) {missing}; its columns are {list(raw.columns)}")
    df = raw[list(BENCHMARK_COLUMNS)].copy()
    for col in _REQUIRED_TEXT + ("cited_via",):
        df[col] = df[col].astype("string").str.strip()
    df["platform"] = df["platform"].str.lower()
    df["basis"] = df["basis"].str.lower()
    nums = {c: pd.to_numeric(df[c], errors="coerce")
            for c in ("followers_min", "followers_max", "rate_percent", "year")}
    for i in range(len(df)):
        line = i + 2  # 1-based, after the header
        for col in _REQUIRED_TEXT:
            if pd.isna(df[col].iat[i]) or not df[col].iat[i]:
                raise _bad(path, line, f"empty {col!r}")
        if not str(df["url"].iat[i]).startswith(("http://", "https://")):
            raise _bad(path, line, f"url {df['url'].iat[i]!r} is not an http(s) address")
        if df["basis"].iat[i] not in BASES:
            raise _bad(path, line, f"basis must be one of {BASES}, not {df['basis'].iat[i]!r}")
        year, low, high, rate = (nums[c].iat[i] for c in ("year", "followers_min", "followers_max", "rate_percent"))
        if not (math.isfinite(year) and year == int(year) and 1990 <= year <= 2100):
            raise _bad(path, line, f"year must be a whole year, not {raw['year'].iat[i]!r}")
        if not (math.isfinite(low) and low >= 0):
            raise _bad(path, line, f"followers_min must be a count >= 0, not {raw['followers_min'].iat[i]!r}")
        if pd.notna(raw["followers_max"].iat[i]) and str(raw["followers_max"].iat[i]).strip() and \
                not (math.isfinite(high) and high > low):
            raise _bad(path, line, f"followers_max must be empty or above followers_min, not "
                                   f"{raw['followers_max'].iat[i]!r}")
        if not (math.isfinite(rate) and rate > 0):
            raise _bad(path, line, f"rate_percent must be a positive number, not {raw['rate_percent'].iat[i]!r}")
    df["followers_min"] = nums["followers_min"].astype(np.float64)
    df["followers_max"] = nums["followers_max"].astype(np.float64).fillna(np.inf)
    df["rate_percent"] = nums["rate_percent"].astype(np.float64)
    df["year"] = nums["year"].astype(np.int64)
    return df.reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _bundled() -> pd.DataFrame:
    ref = resources.files("graphinflu.data") / BENCHMARKS_FILE
    with ref.open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])
    return _validate(raw, f"graphinflu/data/{BENCHMARKS_FILE}")


def published_benchmarks(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The benchmark table: the bundled one, or a CSV of the same columns at ``path``.

    Returns
    -------
    DataFrame
        One row per published figure, columns :data:`BENCHMARK_COLUMNS`; ``platform`` and
        ``basis`` lower case, ``followers_min`` / ``followers_max`` floats (``inf`` = no upper
        bound), ``rate_percent`` float (percent), ``year`` int.

    Raises
    ------
    InputError
        A missing column, or a row without its source (publisher, report, year, http(s) URL,
        definition), with the file and line.

    Examples
    --------
    >>> t = published_benchmarks()
    >>> t.loc[(t["platform"] == "instagram") & (t["year"] == 2026), ["band", "rate_percent"]].values.tolist()
    [['nano', 1.78], ['micro', 0.54], ['mega', 0.33]]
    """
    if path is None:
        return _bundled().copy()
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the benchmark table {os.fspath(path)!r}: {err}") from err
    return _validate(raw, os.fspath(path))


def benchmark_platforms(table: pd.DataFrame | None = None) -> list[str]:
    """The platforms the table has rows for, sorted (``--platform`` takes one of them or ``none``).

    >>> benchmark_platforms()
    ['instagram', 'tiktok']
    """
    t = _bundled() if table is None else table
    return sorted(t["platform"].unique().tolist())


def _count(x: float) -> str:
    for div, unit in ((1e6, "M"), (1e3, "K")):
        if x >= div:
            return f"{x / div:g}{unit}"
    return f"{x:g}"


def _band_label(row) -> str:
    name = row["platform"].capitalize() if row["platform"] != "tiktok" else "TikTok"
    span = f"{_count(row['followers_min'])}+" if math.isinf(row["followers_max"]) else \
        f"{_count(row['followers_min'])}–{_count(row['followers_max'])}"
    return f"{name} {span} followers ({row['publisher']} {row['year']})"


def benchmark_for(followers, *, platform: str = "instagram", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The published rate for each follower count on ``platform``.

    Parameters
    ----------
    followers : array-like or Series
        Follower counts (a Series keeps its index).
    platform : str
        One of :func:`benchmark_platforms` (case-insensitive).
    table : DataFrame, optional
        A :func:`published_benchmarks` table (default: the bundled one).

    Returns
    -------
    DataFrame
        Same index as ``followers``: ``engagement_benchmark`` (the published rate as a fraction,
        0.0178 = 1.78 %; NaN when no ``followers``-basis row covers the count) and
        ``engagement_benchmark_source`` (``"Instagram 1K–10K followers (HypeAuditor 2026)"``, or
        ``"no published benchmark"``; with ``" on a follower basis"`` when the platform's rows all
        divide by views).

    Raises
    ------
    InputError
        ``platform`` has no row.

    Examples
    --------
    >>> benchmark_for([500, 1_000, 9_999, 10_000, 60_000, 2_000_000])["engagement_benchmark"].tolist()
    [nan, 0.0178, 0.0178, 0.0054, nan, 0.0033]
    """
    t = _bundled() if table is None else table
    key = str(platform).strip().lower()
    f = followers if isinstance(followers, pd.Series) else pd.Series(np.asarray(followers, dtype=np.float64))
    if key not in set(t["platform"]):
        raise InputError(f"no published engagement benchmark for platform {platform!r}",
                         hint=f"--platform takes one of {', '.join(benchmark_platforms(t))}, or none")
    rows = t[(t["platform"] == key) & (t["basis"] == "followers")]
    none = NO_BENCHMARK if len(rows) else f"{NO_BENCHMARK} on a follower basis"
    values = f.to_numpy(dtype=np.float64)
    rate = np.full(len(values), np.nan)
    source = np.full(len(values), none, dtype=object)
    # oldest first and, within a year, last in the file first: the row written last to a count wins
    order = rows.assign(_pos=np.arange(len(rows))).sort_values(["year", "_pos"], ascending=[True, False])
    for _, row in order.iterrows():  # a handful of rows, not a loop over accounts
        hit = (values >= row["followers_min"]) & (values < row["followers_max"])
        rate[hit] = row["rate_percent"] / 100.0
        source[hit] = _band_label(row)
    return pd.DataFrame({"engagement_benchmark": rate, "engagement_benchmark_source": source}, index=f.index)


def compare_with_benchmarks(engagement: pd.DataFrame, *, platform: str = "instagram",
                            table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each account's shrunk engagement rate against the published rate for its follower count.

    ``engagement_vs_benchmark = engagement_rate_shrunk / engagement_benchmark``: 1 is the
    published rate for creators of that size on ``platform``, 2 twice it.

    Parameters
    ----------
    engagement : DataFrame
        :func:`~graphinflu.metrics.tiers.engagement`'s table (``followers`` and
        ``engagement_rate_shrunk`` are read).
    platform, table
        As in :func:`benchmark_for`.

    Returns
    -------
    DataFrame
        Same index: ``engagement_benchmark``, ``engagement_vs_benchmark`` (NaN when the rate is
        unknown or there is no benchmark) and ``engagement_benchmark_source``.

    Examples
    --------
    >>> eng = pd.DataFrame({"followers": [5_000, 20_000, 600], "engagement_rate_shrunk": [0.0356, 0.0027, 0.05]},
    ...                    index=["a", "b", "c"])
    >>> compare_with_benchmarks(eng)["engagement_vs_benchmark"].round(2).tolist()
    [2.0, 0.5, nan]
    """
    out = benchmark_for(engagement["followers"], platform=platform, table=table)
    out.insert(1, "engagement_vs_benchmark", engagement["engagement_rate_shrunk"] / out["engagement_benchmark"])
    return out
