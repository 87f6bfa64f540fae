"""Post tables (owner, likes, comments, hashtags, @mentions, tagged users, sponsors) and the
owner → account interaction graph built from them, vectorised with pandas (no loop over rows)."""

from __future__ import annotations

import os

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


#: Every character ``str.split()``, ``str.strip()`` and the ``re`` module's ``\\s`` treat as whitespace.
_PY_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
#: The same set but the space as an RE2 character class (pyarrow's regex engine, whose ``\\s`` is ASCII only).
_OTHER_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _PY_SPACE if c != " ") + "]"


def _text_array(col: pd.Series) -> pa.Array:
    """A column as a large-string Array with ``""`` for missing values, each value as
    ``col.astype("string")`` spells it (lists in object columns space-joined, as ``str`` spells
    their items)."""
    if col.dtype == object:
        kind = pd.api.types.infer_dtype(col, skipna=True)
        if kind in ("string", "empty"):
            arr = pa.array(col.to_numpy(), type=pa.large_string(), from_pandas=True)
            return pc.fill_null(arr, "")
        if col.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():  # JSON/Parquet lists: rare
            col = col.map(lambda v: " ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v)
    text = col.astype("string").fillna("").to_numpy(dtype=object)
    return pa.array(text, type=pa.large_string())


def split_tokens(arr: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Whitespace-separated tokens of every value of a string Array (no nulls), as ``str.split()``
    gives them: the row of each token and the tokens, in row then position order. (Not ``utf8_split_whitespace``: in pyarrow
    26 it now and then leaves a trailing multi-byte space such as U+0085 on a token.)"""
    if _any(pc.match_substring_regex(arr, _OTHER_SPACE_CLASS)):
        arr = pc.replace_substring_regex(arr, _OTHER_SPACE_CLASS, " ")
    lists = pc.split_pattern(arr, " ")
    parent = pc.list_parent_indices(lists).to_numpy()
    tokens = pc.list_flatten(lists)
    keep = pc.not_equal(tokens, "")
    return parent[keep.to_numpy(zero_copy_only=False)], tokens.filter(keep)


def _lower(arr: pa.Array) -> pa.Array:
    """``utf8_lower`` (what pandas' pyarrow-backed ``str.lower`` runs), through the much faster
    ``ascii_lower`` when every value is ASCII."""
    return pc.ascii_lower(arr) if pc.all(pc.string_is_ascii(arr)).as_py() is not False else pc.utf8_lower(arr)


def _any(mask: pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


def _first_per_row(parent: np.ndarray, tokens: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Drop tokens repeated within a row (first kept, order unchanged): the kept positions, the
    tokens' dictionary codes (all positions) and the dictionary (order of first appearance)."""
    enc = pc.dictionary_encode(tokens)
    codes = enc.indices.to_numpy().astype(np.int64)
    longest = int(np.bincount(parent).max()) if len(parent) else 0
    if longest <= 32:  # short rows (hashtag lists): compare each token with the ones up to 31 before it
        repeated = np.zeros(len(codes), dtype=bool)
        for d in range(1, longest):
            repeated[d:] |= (codes[d:] == codes[:-d]) & (parent[d:] == parent[:-d])
    else:
        nd = max(len(enc.dictionary), 1)
        repeated = pd.Series(parent.astype(np.int64) * nd + codes).duplicated(keep="first").to_numpy()  # hashed
    return np.flatnonzero(~repeated), codes, enc.dictionary


def _join_lists(col: pd.Series, strip: str) -> pd.Series:
    """Normalise a list field to one space-joined, lower-case string (``""`` = none): commas,
    semicolons, pipes and any whitespace separate, and leading ``strip`` characters go. Each
    rewrite runs only when some value needs it."""
    s = _lower(_text_array(col))
    if _any(pc.match_substring_regex(s, "[,;|]|" + _OTHER_SPACE_CLASS)):
        s = pc.replace_substring_regex(s, "[,;|]|" + _OTHER_SPACE_CLASS, " ")
    if _any(pc.match_substring(s, strip)):
        s = pc.replace_substring_regex(s, f"(^| )[{re.escape(strip)}]+", r"\1")
    if _any(pc.match_substring(s, "  ")) or _any(pc.starts_with(s, " ")) or _any(pc.ends_with(s, " ")):
        s = pc.utf8_trim(pc.replace_substring_regex(s, " +", " "), characters=" ")
    return pd.Series(s.to_numpy(zero_copy_only=False), index=col.index, name=col.name, dtype=object)


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


def _interaction_parts(posts: pd.DataFrame) -> list[tuple[str, np.ndarray, pa.Array]]:
    """Per edge kind: the post row and the named account of each (post, listed account) pair."""
    parts = []
    for col, kind in EDGE_KINDS.items():
        if col not in posts.columns:
            continue
        parent, tokens = split_tokens(_text_array(posts[col]))
        keep = _first_per_row(parent, tokens)[0]
        parts.append((kind, parent[keep], tokens.take(pa.array(keep))))
    return parts


def interaction_edges(posts: pd.DataFrame) -> pd.DataFrame:
    """Long table ``source`` (owner), ``target``, ``kind``, one row per (post, listed account, kind).

    An account listed twice in one post counts once for that post.

    >>> interaction_edges(pd.DataFrame({"owner": ["a", "b"], "mentions": ["x y x", ""], "tagged": ["y", "a"]})).values.tolist()
    [['a', 'x', 'mentions'], ['a', 'y', 'mentions'], ['a', 'y', 'tags'], ['b', 'a', 'tags']]
    """
    parts = _interaction_parts(posts)
    if not parts:
        return pd.DataFrame({"source": [], "target": [], "kind": []}, dtype=object)
    owner = posts["owner"].to_numpy()
    rows = np.concatenate([p for _, p, _ in parts])
    # the dtypes the former per-kind explode() and concat gave: targets str (object when a kind had
    # none), owners as inferred
    target = pd.Series(pa.chunked_array([t for _, _, t in parts], type=pa.large_string()).to_numpy(),
                       dtype=str if all(len(p) for _, p, _ in parts) else object)
    kind = pd.Series(np.repeat(np.array([k for k, _, _ in parts], dtype=object), [len(p) for _, p, _ in parts]),
                     dtype=str)
    if len(posts):
        source = pd.Series(owner).take(rows).reset_index(drop=True)  # dtype inferred from every owner
    else:
        source = pd.DataFrame({"source": owner, "target": []}).explode("target")["source"].reset_index(drop=True)
    return pd.DataFrame({"source": source, "target": target, "kind": kind})


#: How many of an owner's most used hashtags ``owner_engagement`` keeps.
TOP_HASHTAGS = 10


def owner_hashtags(posts: pd.DataFrame, top: int = TOP_HASHTAGS) -> pd.Series:
    """Each owner's ``top`` most used hashtags (by number of posts using them; ties alphabetical),
    space-joined, indexed by owner; empty for owners without hashtags. Niche labels use them.

    >>> owner_hashtags(pd.DataFrame({"owner": ["a", "a", "b"], "hashtags": ["#x #y", "y", ""]})).to_dict()
    {'a': 'y x', 'b': ''}
    """
    owner_col = posts["owner"]
    if owner_col.dtype != object or pd.api.types.infer_dtype(owner_col, skipna=False) != "string":
        owner_col = owner_col.astype(str)
    owner_codes, uniques = pd.factorize(owner_col.to_numpy(dtype=object), use_na_sentinel=False)
    owners = pd.Index(uniques, dtype=str, name="id")  # as astype(str).unique() gives them
    if "hashtags" not in posts:
        return pd.Series("", index=owners, name="hashtags")
    col = posts["hashtags"]
    if col.dtype != object or pd.api.types.infer_dtype(col, skipna=True) not in ("string", "empty"):
        col = col.fillna("").astype(str)
    text = pc.replace_substring(_lower(_text_array(col)), "#", "")
    parent, tokens = split_tokens(text)
    keep, codes, tags = _first_per_row(parent, tokens)  # a tag counts once per post
    nt = max(len(tags), 1)
    rank = np.empty(len(tags), dtype=np.int64)  # alphabetical rank of each tag
    order = pc.sort_indices(tags).to_numpy()
    rank[order] = np.arange(len(tags))
    pair, n = np.unique(owner_codes[parent[keep]].astype(np.int64) * nt + rank[codes[keep]], return_counts=True)
    owner, tag = pair // nt, pair % nt
    most = int(n.max()) if len(n) else 0
    if len(owners) * (most + 1) * nt < 2**62:  # owner, most used first, ties alphabetical: one int64 sort
        key = np.sort((owner * (most + 1) + (most - n)) * nt + tag)
        owner, tag = key // ((most + 1) * nt), key % nt
    else:
        by = np.lexsort((tag, -n, owner))
        owner, tag = owner[by], tag[by]
    start = np.r_[True, owner[1:] != owner[:-1]] if len(owner) else np.zeros(0, dtype=bool)
    at = np.arange(len(owner))
    top_mask = at - np.maximum.accumulate(np.where(start, at, 0)) < top
    owner, tag = owner[top_mask], tag[top_mask]
    offsets = np.r_[0, np.cumsum(np.bincount(owner, minlength=len(owners)))].astype(np.int64)
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), tags.take(pa.array(order[tag])))
    joined = pc.binary_join(lists, pa.scalar(" ", pa.large_string())).to_numpy(zero_copy_only=False)
    # the dtype pandas gave the former groupby(...).agg(" ".join): str, or object when no post has a tag
    return pd.Series(joined, index=owners, name="hashtags", dtype=str if len(tag) else object)


def owner_engagement(posts: pd.DataFrame) -> pd.DataFrame:
    """Per-owner engagement inputs: ``sampled_posts`` (posts in the table), ``mean_likes``,
    ``mean_comments`` (over posts with a value), and ``hashtags`` (the owner's most used tags,
    see :func:`owner_hashtags`), indexed by owner handle."""
    return _engagement(posts)[0]


def _engagement(posts: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`owner_engagement` and each post's row in it (-1 for a missing owner)."""
    codes, uniques = pd.factorize(posts["owner"].to_numpy(dtype=object))  # order of first appearance
    valid = codes >= 0
    key = codes[valid]
    means = posts.loc[valid, ["likes", "comments"]].groupby(key, sort=True).mean()
    out = pd.DataFrame({
        "sampled_posts": np.bincount(key, minlength=len(uniques)).astype("int64"),
        "mean_likes": means["likes"].to_numpy(dtype=np.float64, na_value=np.nan),
        "mean_comments": means["comments"].to_numpy(dtype=np.float64, na_value=np.nan),
    }, index=pd.Index(pd.Index(uniques).astype(str), name="id"))
    out["hashtags"] = owner_hashtags(posts).reindex(out.index).fillna("")
    return out, codes


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
    parts = _interaction_parts(posts)
    eng, post_owner = _engagement(posts)
    owners = eng.index
    rows = np.concatenate([p for _, p, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
    targets = pa.chunked_array([t for _, _, t in parts], type=pa.large_string())
    enc = pc.dictionary_encode(pa.chunked_array([pa.array(owners.to_numpy(dtype=object), type=pa.large_string()),
                                                *targets.chunks], type=pa.large_string())).combine_chunks()
    codes = enc.indices.to_numpy().astype(np.int64)
    ids = pd.Index(enc.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    n0, m = len(owners), len(rows)
    kind = np.repeat(np.array([k for k, _, _ in parts], dtype=object), [len(p) for _, p, _ in parts])
    accounts = eng.reindex(ids)
    accounts["sampled_posts"] = accounts["sampled_posts"].astype("Int64")
    return Graph.from_codes(
        ids, codes[post_owner[rows]], codes[n0:n0 + m], kind=kind,
        weight=np.ones(m), accounts=accounts, name=name, keep_self_loops=keep_self_loops, report=report,
    )
