"""Post tables (owner, likes, comments, hashtags, @mentions, tagged users, sponsors) and the
owner → account interaction graph built from them, vectorised with pandas (no loop over rows)."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from .._io import FileInfo
from .._report import LoadReport
from .._time import datetimes_to_seconds
from ..errors import InputError
from ..graph import Graph
from .profiles import count_column, match_columns
from .tables import read_any_table

#: Normalised post column → header spellings recognised for it.
POST_COLUMNS: dict[str, tuple[str, ...]] = {
    "owner": ("owner_username", "owner", "username", "user", "author", "handle", "screen_name", "account"),
    "owner_id": ("owner_id", "user_id", "author_id", "account_id"),
    "likes": ("likes", "like_count", "likes_count", "edge_media_preview_like.count", "favorite_count", "favorites"),
    "comments": ("comments", "comment_count", "comments_count", "edge_media_to_comment.count", "reply_count"),
    "timestamp": ("timestamp", "taken_at_timestamp", "taken_at", "created_at", "time", "date", "ts"),
    "hashtags": ("hashtags", "hashtag", "caption_hashtags"),
    "mentions": ("mentions", "caption_mentions", "user_mentions", "mentioned"),
    "tagged": ("tagged", "tagged_users", "usertags", "user_tags"),
    "sponsors": ("sponsors", "sponsor_users", "sponsor", "brand", "brands", "paid_partners"),
}
LIST_COLUMNS = ("hashtags", "mentions", "tagged", "sponsors")
#: Post list column → edge kind of owner → listed account.
EDGE_KINDS = {"mentions": "mentions", "tagged": "tags", "sponsors": "sponsors"}


def _join_lists(col: pd.Series, strip: str) -> pd.Series:
    """Normalise a list field to one space-joined, lower-case string (``""`` = none)."""
    if col.dtype == object and col.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
        col = col.map(lambda v: " ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v)
    s = col.astype("string").fillna("").str.lower()
    s = s.str.replace(r"[,;|]", " ", regex=True)
    s = s.str.replace(rf"(^|\s)[{strip}]+", r"\1", regex=True)
    return s.str.split().str.join(" ").fillna("").astype(object)


def read_posts(
    path: str | os.PathLike | FileInfo,
    *,
    owner_col: str | None = None,
    likes_col: str | None = None,
    comments_col: str | None = None,
    timestamp_col: str | None = None,
    dedupe: str | None = "shortcode",
    delimiter: str | None = None,
) -> pd.DataFrame:
    """Read a post table (TSV/CSV/JSON/JSON Lines/Parquet, any compression, ``-`` for stdin).

    Parameters
    ----------
    path : path or ``"-"``
        The file, with a header row (text) or named fields.
    owner_col, likes_col, comments_col, timestamp_col : str, optional
        Override the recognised spellings (``owner_username``/``username``/``author``;
        ``likes``/``like_count``; ``comments``/``comment_count``; ``taken_at_timestamp``/
        ``created_at``; see :data:`POST_COLUMNS`).
    dedupe : str or None
        A post-id column; rows repeating an id already seen are dropped and counted (the sample in
        ``../shared/data`` holds some posts twice). ``None`` keeps every row. Ignored when the file
        has no such column.
    delimiter : str, optional
        Override the sniffed delimiter.

    Returns
    -------
    DataFrame
        One row per post, columns ``owner`` (str, lower-case handle without ``@``), ``likes``,
        ``comments`` (nullable ``Int64``; missing when absent or not a number, counted in the
        report), ``timestamp`` (float64 epoch seconds; ISO dates are converted; NaN if missing),
        ``hashtags``, ``mentions``, ``tagged``, ``sponsors`` (space-joined, lower-case, without
        ``#``/``@``; ``""`` for none), then every other column unchanged (``shortcode``,
        ``owner_id``, ``is_video``, ...). ``df.attrs["report"]`` is the
        :class:`~graphinflu._report.LoadReport`; ``df.attrs["columns"]`` maps normalised names to
        file columns.

    Examples
    --------
    >>> from graphinflu import _io
    >>> _io._stdin_cache["-"] = (b"owner_username\\tlikes\\tcomments\\tcaption_mentions\\n"
    ...                          b"ana\\t10\\t2\\t@bo @cy\\nbo\\t5\\t0\\t\\n")
    >>> posts = read_posts("-")
    >>> posts[["owner", "likes", "mentions"]].values.tolist()
    [['ana', 10, 'bo cy'], ['bo', 5, '']]
    >>> _io._stdin_cache.clear()
    """
    tt = read_any_table(path, delimiter=delimiter, header=True, comment=None)
    name = tt.name
    df = tt.table.to_pandas()
    df.columns = [str(c) for c in df.columns]
    cols = list(df.columns)
    found = match_columns(cols, POST_COLUMNS, {"owner": owner_col, "likes": likes_col, "comments": comments_col,
                                                "timestamp": timestamp_col}, name)
    if "owner" not in found:
        if "owner_id" in found:
            found["owner"] = found.pop("owner_id")
        else:
            raise InputError(f"no post owner column; the columns are {cols}", path=name,
                             hint="rename the column of the posting account to owner (in Python you may instead "
                                  "name it with owner_col=)")
    report = LoadReport()
    report.extend(tt.report)
    tt.require_flat(found["owner"], "owner")
    out = pd.DataFrame(index=df.index)
    out["owner"] = df[found["owner"]].astype("string").str.strip().str.lstrip("@").str.lower().fillna("").astype(object)
    for col in ("likes", "comments"):
        if col not in found:
            report.add(name, len(df), f"posts without a {col!r} column (left missing)")
            out[col] = pd.array([pd.NA] * len(df), dtype="Int64")
            continue
        out[col] = count_column(df[found[col]], tt, report, role=col, negative_ok=True)
    if "timestamp" in found:
        raw = df[found["timestamp"]]
        ts = pd.to_numeric(raw, errors="coerce").astype("float64")
        text = not pd.api.types.is_numeric_dtype(raw.dtype) and ts.isna().all() and raw.notna().any()
        if text:
            dt = pd.to_datetime(raw, errors="coerce", utc=True, format="mixed")
            ts = pd.Series(datetimes_to_seconds(dt), index=raw.index)  # resolution-proof (pandas 3: us)
        out["timestamp"] = ts.to_numpy(np.float64)
        nbad = int((out["timestamp"].isna() & raw.notna() & (raw.astype("string").str.strip() != "")).sum())
        report.add(name, nbad, f"unreadable {found['timestamp']!r} values set missing")
    else:
        out["timestamp"] = np.nan
    for col in LIST_COLUMNS:
        if col in found:
            out[col] = _join_lists(df[found[col]], "#" if col == "hashtags" else "@")
        else:
            out[col] = ""
    used = set(found.values()) - ({found["owner_id"]} if "owner_id" in found else set())
    for c in cols:
        if c not in used and c not in out.columns:
            out[c] = df[c]
    no_owner = (out["owner"] == "").to_numpy()
    if no_owner.any():
        report.add(name, int(no_owner.sum()), "posts without an owner dropped")
        out = out[~no_owner]
    if dedupe and dedupe in out.columns:
        dup = out[dedupe].duplicated(keep="first").to_numpy()
        if dup.any():
            report.add(name, int(dup.sum()), f"posts with a repeated {dedupe!r} dropped (first kept)")
            out = out[~dup]
    out = out.reset_index(drop=True)
    out.attrs["report"] = report
    out.attrs["columns"] = dict(found)
    return out


def interaction_edges(posts: pd.DataFrame) -> pd.DataFrame:
    """Long table ``source`` (owner), ``target``, ``kind``, one row per (post, listed account, kind).

    An account listed twice in one post counts once for that post.
    """
    parts = []
    for col, kind in EDGE_KINDS.items():
        if col not in posts.columns:
            continue
        lists = posts[col].astype("string").fillna("").str.split()
        e = pd.DataFrame({"post": np.arange(len(posts)), "source": posts["owner"].to_numpy(), "target": lists.to_numpy()})
        e = e.explode("target", ignore_index=True).dropna(subset=["target"])
        e = e.drop_duplicates(["post", "target"])
        e["kind"] = kind
        parts.append(e[["source", "target", "kind"]])
    if not parts:
        return pd.DataFrame({"source": [], "target": [], "kind": []}, dtype=object)
    return pd.concat(parts, ignore_index=True)


#: How many of an owner's most used hashtags ``owner_engagement`` keeps.
TOP_HASHTAGS = 10


def owner_hashtags(posts: pd.DataFrame, top: int = TOP_HASHTAGS) -> pd.Series:
    """Each owner's ``top`` most used hashtags (by number of posts using them; ties alphabetical),
    space-joined, indexed by owner; empty for owners without hashtags. Niche labels use them.

    >>> owner_hashtags(pd.DataFrame({"owner": ["a", "a", "b"], "hashtags": ["#x #y", "y", ""]})).to_dict()
    {'a': 'y x', 'b': ''}
    """
    owners = pd.Index(posts["owner"].astype(str).unique(), name="id")
    if "hashtags" not in posts:
        return pd.Series("", index=owners, name="hashtags")
    tags = pd.DataFrame({"post": np.arange(len(posts)), "owner": posts["owner"].astype(str).to_numpy()})
    tags["tag"] = posts["hashtags"].fillna("").astype(str).str.lower().str.replace("#", "", regex=False).str.split().to_numpy()
    tags = tags.explode("tag").dropna(subset=["tag"])
    tags = tags[tags["tag"] != ""].drop_duplicates(["post", "tag"])  # a tag counts once per post
    counts = tags.groupby(["owner", "tag"], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values(["owner", "n", "tag"], ascending=[True, False, True], kind="stable")
    joined = counts.groupby("owner", sort=False).head(top).groupby("owner", sort=False)["tag"].agg(" ".join)
    return joined.reindex(owners, fill_value="").rename("hashtags")


def owner_engagement(posts: pd.DataFrame) -> pd.DataFrame:
    """Per-owner engagement inputs: ``sampled_posts`` (posts in the table), ``mean_likes``,
    ``mean_comments`` (over posts with a value), and ``hashtags`` (the owner's most used tags,
    see :func:`owner_hashtags`), indexed by owner handle."""
    g = posts.groupby("owner", sort=False)
    out = pd.DataFrame({
        "sampled_posts": g.size().astype("int64"),
        "mean_likes": g["likes"].mean().astype("float64"),
        "mean_comments": g["comments"].mean().astype("float64"),
    })
    out.index = pd.Index(out.index.astype(str), name="id")
    out["hashtags"] = owner_hashtags(posts).reindex(out.index).fillna("")
    return out


def posts_to_graph(posts: pd.DataFrame, *, keep_self_loops: bool = False, name: str = "posts") -> Graph:
    """The interaction graph of a post table from :func:`read_posts`.

    Edges point from the post owner to each account the post names: ``mentions`` (caption
    @mentions), ``tags`` (tagged users), ``sponsors`` (paid-partnership brands). ``weight`` is the
    number of posts of the owner that name the account that way. Self-loops (an owner naming
    itself) are dropped and counted unless ``keep_self_loops``.

    ``graph.accounts`` holds every owner and named account (id = lower-case handle) with
    ``sampled_posts``, ``mean_likes``, ``mean_comments`` and ``hashtags`` (the owner's most used
    tags, which niche labels read) for owners (missing for the others).

    Examples
    --------
    >>> posts = pd.DataFrame({"owner": ["ana", "ana", "bo"], "likes": [10, 20, 5], "comments": [1, 3, 0],
    ...                       "mentions": ["bo cy", "bo", ""], "tagged": ["", "cy", "ana"], "sponsors": ["", "", ""]})
    >>> g = posts_to_graph(posts)
    >>> g.edge_table()[["source", "target", "kind", "weight"]].values.tolist()
    [['ana', 'bo', 'mentions', 2.0], ['ana', 'cy', 'mentions', 1.0], ['ana', 'cy', 'tags', 1.0], ['bo', 'ana', 'tags', 1.0]]
    >>> g.accounts.loc["ana", ["sampled_posts", "mean_likes"]].tolist()
    [2.0, 15.0]
    """
    for col in ("owner", "likes", "comments"):
        if col not in posts.columns:
            raise InputError(f"{name}: column {col!r} not found; the columns are {list(posts.columns)}",
                             hint="read the table with read_posts(), or rename its columns")
    report = LoadReport(list(posts.attrs.get("report", LoadReport()).items))
    edges = interaction_edges(posts)
    eng = owner_engagement(posts)
    owners = eng.index
    s = edges["source"].to_numpy(dtype=object)
    t = edges["target"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(np.concatenate([owners.to_numpy(dtype=object), s, t]))
    ids = pd.Index(uniques, dtype=object)
    n0, m = len(owners), len(s)
    accounts = eng.reindex(ids)
    accounts["sampled_posts"] = accounts["sampled_posts"].astype("Int64")
    return Graph.from_codes(
        ids, codes[n0:n0 + m], codes[n0 + m:], kind=edges["kind"].to_numpy(dtype=object),
        weight=np.ones(m), accounts=accounts, name=name, keep_self_loops=keep_self_loops, report=report,
    )
