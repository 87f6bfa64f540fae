r"""The brand target, made concrete on a graph: its audience sample read and resolved, its
interests matched against profiles and posts, and the brand-fit columns of every account.

:class:`~graphinflu.params.BrandTarget` states the target (own and competitors' accounts, an
audience sample, interests); :func:`brand_columns` turns it into per-account columns:

* ``affinity``, ``affinity_lift``, ``affinity_low``, ``affinity_high``: the smoothed share of the
  account's followers inside the **target audience** = the followers of the brand's and
  competitors' accounts (weighted by the share of them they follow beyond chance) ∪ the audience sample
  (:func:`~graphinflu.metrics.affinity.audience_affinity`);
* with interests: ``interest_match`` (the account's own profile or posts mention them),
  ``interest_affinity`` (+ ``_lift``, ``_low``, ``_high``: the same smoothed share, with the
  target audience = the accounts that match) and ``interest_post_share`` (share of the account's
  own posts that mention them; missing without posts);
* ``brand_fit``: one continuous brand-fit score in [0, 1), the mean over the signals present of
  :math:`\max(0, 1 - 1/\text{lift})` — the share of the creator's target-audience followers (or
  on-interest posts) beyond what chance gives (the *attributable fraction*; 0 at or below the base
  rate, 0.75 at lift 4). The lifts are those of ``affinity``, ``interest_affinity`` and of the
  creator's on-interest post share, smoothed like the others (Beta-Binomial towards the share of
  all posts on the interests; only for creators with posts). Targets score brand fit by it.

Matching is vectorised with pyarrow's RE2 (no loop over rows): an interest matches a text when it
appears as a whole word or phrase, case-insensitively; against hashtags the interest is also
tried without its spaces (``zero waste`` matches ``#zerowaste``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .errors import InputError
from .graph import Graph
from .identity import AMBIGUOUS, UNRESOLVED, Identity
from .loaders.profiles import PROFILE_COLUMNS
from .loaders.tables import read_any_table
from .metrics.affinity import audience_affinity, smoothed_share
from .params import BrandTarget

__all__ = ["BrandColumns", "brand_columns", "combine_brand_columns", "interest_matches", "read_audience_file",
           "PROFILE_TEXT_COLUMNS", "POST_TEXT_COLUMNS"]

#: Profile columns interests are matched against (those present): the category and a biography.
PROFILE_TEXT_COLUMNS: tuple[str, ...] = ("category", "bio", "biography", "description", "about")
#: Post columns interests are matched against (those present): hashtags and the caption.
POST_TEXT_COLUMNS: tuple[str, ...] = ("hashtags", "caption", "text")
#: Header names that mark the account column of an audience file (ids first, then handles).
AUDIENCE_COLUMNS: tuple[str, ...] = PROFILE_COLUMNS["id"] + ("id",) + PROFILE_COLUMNS["handle"] + ("handle",)


def _key(name) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def read_audience_file(path: str | os.PathLike) -> tuple[str, ...]:
    """The account names of an audience sample file, in file order, repeats and blanks removed.

    The file is one column of ids or handles (a header such as ``id`` or ``username`` is
    recognised and skipped), or a table (CSV, TSV, JSON records, Parquet; any compression; ``-``
    for stdin) with an id or handle column (:data:`AUDIENCE_COLUMNS` spellings; an id column is
    preferred). Names are resolved later, on the graph, by :mod:`graphinflu.identity`'s rule.

    Raises
    ------
    InputError
        The file cannot be read, a table has no id or handle column, the column holds lists, or
        there is no name at all (the message names the file and, where known, the line).

    Examples
    --------
    >>> from graphinflu import _io
    >>> _io._stdin_cache["-"] = b"username\\n@Fit_Ana\\nbo\\n\\nbo\\n"
    >>> read_audience_file("-")
    ('@Fit_Ana', 'bo')
    >>> _io._stdin_cache.clear()
    """
    text = read_any_table(path, header=False, comment=None)
    table = text.table
    cols = table.column_names
    if not text.delimiter:  # Parquet / JSON: named columns
        col = _audience_column(cols, text.name) if len(cols) > 1 else cols[0]
        text.require_flat(col, "audience account")
        values = table.column(col)
    elif len(cols) == 1:
        values = table.column(0)
        first = values[0].as_py() if len(values) else None
        if first is not None and _key(str(first).lstrip("#")) in {_key(c) for c in AUDIENCE_COLUMNS}:
            values = values[1:]  # a header naming the column
    else:
        header = [str(v.as_py() if v.as_py() is not None else "") for v in (table.column(i)[0] for i in range(len(cols)))]
        col = _audience_column(header, text.name, line=text.first_data_line)
        values = table.column(header.index(col))[1:]
    names = pd.Series(values.to_pandas(), dtype="string").str.strip()
    names = names[names.fillna("") != ""]
    if not len(names):
        raise InputError("the audience file holds no account id or handle", path=text.name,
                         hint="one id or handle per line, or a CSV with an id or handle column")
    return tuple(pd.unique(names.to_numpy(dtype=object)))


def _audience_column(cols: list[str], name: str, *, line: int | None = None) -> str:
    by_key = {}
    for c in cols:
        by_key.setdefault(_key(c), c)
    for want in AUDIENCE_COLUMNS:
        if _key(want) in by_key:
            return by_key[_key(want)]
    raise InputError(f"no id or handle column among {cols}", path=name, line=line,
                     hint="name the account column id, handle or username, or give one name per line")


def _pattern(interests, *, squash: bool) -> str:
    """One RE2 pattern matching any interest as a whole word or phrase (``squash``: spaces removed too)."""
    terms = set(interests)
    if squash:
        terms |= {t.replace(" ", "") for t in interests}
    alt = "|".join(re.escape(t).replace("\\ ", r"\s+") for t in sorted(terms, key=len, reverse=True))
    return rf"(^|[^\w])({alt})([^\w]|$)"


def _matches(values: pd.Series, pattern: str) -> np.ndarray:
    """Whether each value matches ``pattern`` (missing values do not); a categorical column is
    matched once per category."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        hit = np.append(_matches(pd.Series(values.cat.categories.astype(str)), pattern), False)
        return hit[values.cat.codes.to_numpy()]  # code -1 (missing) takes the appended False
    try:
        arr = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or mixed objects: as text
        arr = pa.array(values.astype("string"), type=pa.string(), from_pandas=True)
    found = pc.match_substring_regex(arr, pattern, ignore_case=True).fill_null(False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def interest_matches(graph: Graph, interests, posts: pd.DataFrame | None = None) -> tuple[np.ndarray, pd.DataFrame | None]:
    """Which accounts and posts mention the interests.

    Returns
    -------
    (ndarray of bool, DataFrame or None)
        Per account (graph order): its profile (:data:`PROFILE_TEXT_COLUMNS` present) or one of its
        posts matches. Per post (when ``posts`` is given): ``pos`` (the owner's row in the graph,
        -1 when the owner is no account) and ``match`` (the post's :data:`POST_TEXT_COLUMNS` match).

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"]}),
    ...     accounts=pd.DataFrame({"handle": ["a", "b", "c"], "bio": ["Zero waste mum", "zerowasted", None]},
    ...                           index=["a", "b", "c"]))
    >>> posts = pd.DataFrame({"owner": ["c", "c", "b"], "hashtags": ["zerowaste ootd", "ootd", ""]})
    >>> acc, per_post = interest_matches(g, ["zero waste"], posts)
    >>> acc.tolist(), per_post["match"].tolist()
    ([True, False, True], [True, False, False])
    """
    interests = tuple(interests)
    if not interests:
        raise InputError("no interests to match", hint="e.g. --interests zerowaste,vegan")
    text_pat = _pattern(interests, squash=False)
    tag_pat = _pattern(interests, squash=True)
    acc = np.zeros(graph.n_accounts, bool)
    for col in PROFILE_TEXT_COLUMNS:
        if col in graph.accounts.columns:
            acc |= _matches(graph.accounts[col], text_pat)
    per_post = None
    if posts is not None:
        hit = np.zeros(len(posts), bool)
        for col in POST_TEXT_COLUMNS:
            if col in posts.columns:
                hit |= _matches(posts[col], tag_pat if col == "hashtags" else text_pat)
        pos = _owner_positions(graph, posts["owner"])
        per_post = pd.DataFrame({"pos": pos, "match": hit}, index=posts.index)
        acc[pos[hit & (pos >= 0)]] = True
    return acc, per_post


def _owner_positions(graph: Graph, owners: pd.Series) -> np.ndarray:
    """The graph row of each post's owner (-1 for none), by :mod:`graphinflu.identity`'s rule,
    once per distinct owner; owners that are ids already (``load_inputs`` resolves them) skip it."""
    try:  # pyarrow's dictionary encoding factorises strings several times faster than pandas
        enc = pa.array(owners, type=pa.string(), from_pandas=True).fill_null("").dictionary_encode()
        codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        distinct = pd.Index(enc.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numeric owner ids
        codes, uniques = pd.factorize(owners.astype(str).to_numpy(dtype=object))
        distinct = pd.Index(uniques, dtype=object)
    pos = graph.ids.get_indexer(distinct)
    miss = np.flatnonzero(pos < 0)
    if len(miss):
        res = Identity.of_accounts(graph.accounts).resolve(distinct[miss])
        pos[miss] = np.where(res.resolved, graph.ids.get_indexer(pd.Index(res.ids, dtype=object)), -1)
    return pos[codes] if len(codes) else np.zeros(0, np.int64)


@dataclass
class BrandColumns:
    """What :func:`brand_columns` returns: the per-account ``table`` (graph order, indexed by id)
    and a ``report`` for the manifest (audience names resolved and not, interest matches, the
    base rates and prior strengths used), with ``notes`` in words for stderr."""

    table: pd.DataFrame
    report: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def resolve_audience(graph: Graph, brand: BrandTarget) -> tuple[list[str], dict, list[str]]:
    """The audience sample's account ids, a report (given, resolved, unresolved, ambiguous) and
    notes naming up to five names that matched no account: they are counted, never silently dropped."""
    if not brand.audience:
        return [], {}, []
    res = Identity.of_accounts(graph.accounts).resolve(list(brand.audience))
    ids = list(pd.unique(res.ids[res.resolved]))
    names = np.asarray(brand.audience, dtype=object)
    lost, amb = names[res.status == UNRESOLVED], names[res.status == AMBIGUOUS]
    where = brand.audience_file or "the audience sample"
    report = {"given": len(names), "resolved": len(ids), "unresolved": int(len(lost)), "ambiguous": int(len(amb))}
    notes = []
    if len(lost):
        notes.append(f"{where}: {len(lost):,} of {len(names):,} audience names match no account id or handle and "
                     f"were not counted (e.g. {', '.join(map(repr, lost[:5]))})")
    if len(amb):
        notes.append(f"{where}: {len(amb):,} audience names are handles several accounts share and were not counted "
                     f"(e.g. {', '.join(map(repr, amb[:5]))}); name those accounts by id")
    if not ids:
        raise InputError("no name of the audience sample matches an account", path=brand.audience_file,
                         hint="give account ids or handles as they appear in the follow list or the profiles")
    return ids, report, notes


def brand_columns(graph: Graph, brand: BrandTarget, posts: pd.DataFrame | None = None, *,
                  kinds: str = "follows") -> BrandColumns:
    """The brand-fit columns of every account (see the module docstring) for ``brand``.

    Affinity needs edges of ``kinds`` (follows): without any, only ``interest_match`` and
    ``interest_post_share`` are computed. Unknown brand or competitor accounts raise
    :class:`~graphinflu.errors.UnknownAccountError`; audience names that match no account are
    counted in ``report`` and ``notes`` (:func:`resolve_audience`).
    """
    audience, audience_report, notes = resolve_audience(graph, brand)
    def affinity(seeds, sample):
        return audience_affinity(graph, seeds, audience=sample, kinds=kinds)

    matched = post_counts = None
    if brand.interests:
        matched, per_post = interest_matches(graph, brand.interests, posts)
        if per_post is not None:
            own = per_post[per_post["pos"] >= 0]
            post_counts = (np.bincount(own["pos"], minlength=graph.n_accounts),
                           np.bincount(own["pos"], weights=own["match"].astype(float), minlength=graph.n_accounts),
                           int(per_post["match"].sum()))
    return combine_brand_columns(graph.ids, brand, audience, audience_report, notes,
                                 affinity if kinds in graph.kinds_present() else None, matched, post_counts)


def combine_brand_columns(ids: pd.Index, brand: BrandTarget, audience, audience_report: dict, notes: list[str],
                          affinity, matched: np.ndarray | None, post_counts) -> BrandColumns:
    """:func:`brand_columns` from its parts, whichever engine counted them: the accounts ``ids``,
    the resolved ``audience`` sample (ids) with its report and notes, ``affinity(seeds, sample)``
    (the table of :func:`~graphinflu.metrics.affinity.audience_affinity`; None without follow
    edges), with interests ``matched`` (per account) and ``post_counts`` = (posts, posts
    mentioning the interests, per account; posts mentioning them in all) or None without posts.
    Rows of ``matched`` and of the post counts beyond ``ids`` are post owners that are no account
    here (the local engine makes them accounts): they count in the totals, not in the table."""
    n = len(ids)
    parts: list[pd.DataFrame] = []
    lifts: list[pd.Series] = []  # the lift of each brand signal present, for brand_fit
    report: dict = {"audience": audience_report}
    if (brand.seeds or audience) and affinity is not None:
        aff = affinity(brand.seeds, audience)
        parts.append(aff[["affinity", "lift", "affinity_low", "affinity_high"]].rename(columns={"lift": "affinity_lift"}))
        report["affinity"] = {k: aff.attrs[k] for k in ("base_rate", "prior_strength", "target_audience")}
    if brand.interests:
        hit = np.asarray(matched, dtype=bool)[:n]
        cols = pd.DataFrame({"interest_match": hit}, index=ids)
        report["interests"] = {"matching_accounts": int(np.count_nonzero(matched))}
        if affinity is not None and hit.any():
            ia = affinity((), ids[hit])
            cols["interest_affinity"] = ia["affinity"]
            cols["interest_affinity_lift"] = ia["lift"]
            cols["interest_affinity_low"] = ia["affinity_low"]
            cols["interest_affinity_high"] = ia["affinity_high"]
            report["interests"].update({k: ia.attrs[k] for k in ("base_rate", "prior_strength")})
        elif not hit.any():
            notes.append(f"no profile or post mentions the interests ({', '.join(brand.interests)}): "
                         "interest affinity was not computed")
        if post_counts is not None:
            n_posts, n_hit, matching = post_counts
            with np.errstate(invalid="ignore", divide="ignore"):
                cols["interest_post_share"] = np.where(n_posts[:n] > 0, n_hit[:n] / n_posts[:n], np.nan)
            report["interests"]["matching_posts"] = int(matching)
            if n_posts.sum():
                post = smoothed_share(n_hit, n_posts, float(n_hit.sum() / n_posts.sum()))
                lifts.append(pd.Series(np.where(n_posts > 0, post.lift, np.nan)[:n], index=ids))
                report["interests"]["post_prior_strength"] = post.prior_strength
        if "interest_affinity_lift" in cols:
            lifts.append(cols["interest_affinity_lift"])
        parts.append(cols)
    table = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=ids)
    if "affinity_lift" in table:
        lifts.append(table["affinity_lift"])
    if lifts:
        table["brand_fit"] = (1.0 - 1.0 / pd.concat(lifts, axis=1)).clip(lower=0.0).mean(axis=1).fillna(0.0)
    table.index.name = "id"
    return BrandColumns(table, report, notes)
