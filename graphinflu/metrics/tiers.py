"""Follower tiers (nano … mega) and engagement rates compared within a tier.

Tiers are half-open intervals on the follower count: an account is in tier *k* when
``lower_k ≤ followers < lower_{k+1}`` (the last tier has no upper bound). With the defaults:

======  ==================================
tier    followers
======  ==================================
nano    0 ≤ f < 1,000
micro   1,000 ≤ f < 50,000
mid     50,000 ≤ f < 500,000
macro   500,000 ≤ f < 1,000,000
mega    f ≥ 1,000,000
======  ==================================

So an account with exactly 50,000 followers is *mid*, not micro (some sources, e.g. the
Instagram dataset's own notes, count ``1,000 ≤ f ≤ 50,000`` as micro).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._time import format_instant, parse_instant, post_times
from ..errors import InputError, UnknownAccountError
from ..graph import Graph

__all__ = ["DEFAULT_TIERS", "FOLLOWER_SOURCES", "AD_HASHTAGS", "follower_counts", "tiers", "engagement"]

#: ``(tier name, lowest follower count in the tier)``, ascending; each tier runs up to (not
#: including) the next tier's lower bound.
DEFAULT_TIERS: tuple[tuple[str, int], ...] = (
    ("nano", 0),
    ("micro", 1_000),
    ("mid", 50_000),
    ("macro", 500_000),
    ("mega", 1_000_000),
)

#: Hashtags (lower case, without ``#``) that mark a post as sponsored in ``sponsored_share``.
AD_HASHTAGS: frozenset[str] = frozenset({"ad", "sponsored", "anzeige", "werbung"})
#: Empirical-Bayes prior strength (in posts) when a tier's rates cannot estimate one, and its bounds.
PRIOR_POSTS_FALLBACK = 5.0
PRIOR_POSTS_RANGE = (1.0, 100.0)

#: Values of the ``followers_source`` column.
FOLLOWER_SOURCES: tuple[str, ...] = ("profile", "follow_indegree")
_SOURCE_DTYPE = pd.CategoricalDtype(list(FOLLOWER_SOURCES))


def _frame(graph: Graph, **columns) -> pd.DataFrame:
    out = pd.DataFrame(columns, index=graph.ids.copy())
    out.index.name = "id"
    return out


def _numeric_column(graph: Graph, col: str) -> pd.Series:
    """A profile column as float64 (NaN where missing); non-numeric or negative values raise."""
    raw = graph.accounts[col]
    num = pd.to_numeric(raw, errors="coerce").astype(np.float64)
    bad = num.isna() & raw.notna()
    if bad.any():
        ex = list(raw.index[bad.to_numpy()][:5])
        raise InputError(
            f"profile column {col!r} holds {int(bad.sum()):,} non-numeric value(s) (accounts {ex})",
            hint=f"clean the {col!r} column (plain numbers, e.g. 12500 not '12.5k') or leave it empty where unknown",
        )
    neg = num < 0
    if neg.any():
        ex = list(raw.index[neg.to_numpy()][:5])
        raise InputError(
            f"profile column {col!r} holds {int(neg.sum()):,} negative value(s) (accounts {ex})",
            hint=f"{col!r} counts must be >= 0; leave it empty where unknown",
        )
    return num


def follower_counts(graph: Graph, *, indegree: np.ndarray | None = None) -> pd.DataFrame:
    """Each account's follower count and where it came from.

    ``followers`` is the profile ``followers`` column where present and not null (what the
    platform reports), else the account's follow in-degree in the graph (followers *inside the
    graph*, a lower bound). ``followers_source`` says which: ``"profile"`` or
    ``"follow_indegree"`` (categorical).

    ``indegree`` (per account, in account order) replaces the graph's own follow in-degree: the
    Spark engine counts it in Spark and passes an edge-less graph of the profiles.

    Returns
    -------
    DataFrame
        Indexed by account id; ``followers`` (int64) and ``followers_source``.

    Raises
    ------
    InputError
        The ``followers`` column holds non-numeric or negative values.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"]}))
    >>> g = g.with_accounts(pd.DataFrame({"followers": [12_000]}, index=["a"]))
    >>> follower_counts(g)  # doctest: +NORMALIZE_WHITESPACE
        followers followers_source
    id
    a       12000          profile
    b           0  follow_indegree
    c           2  follow_indegree
    """
    n = graph.n_accounts
    if indegree is not None:
        indeg = np.asarray(indegree, dtype=np.float64)
    elif n:
        A = graph.adjacency("follows")
        indeg = np.asarray(A.sum(axis=0)).ravel()
    else:
        indeg = np.zeros(0)
    if "followers" in graph.accounts.columns:
        prof = _numeric_column(graph, "followers").to_numpy()
        known = ~np.isnan(prof)
    else:
        prof = np.zeros(n)
        known = np.zeros(n, dtype=bool)
    followers = np.where(known, prof, indeg)
    source = pd.Categorical.from_codes(np.where(known, 0, 1).astype(np.int8), dtype=_SOURCE_DTYPE)
    return _frame(graph, followers=np.rint(followers).astype(np.int64), followers_source=source)


def _normalise_bounds(bounds) -> tuple[list[str], np.ndarray]:
    items = list(bounds.items()) if isinstance(bounds, Mapping) else list(bounds)
    try:
        names = [str(name) for name, _ in items]
        lows = np.array([float(low) for _, low in items])
    except (TypeError, ValueError) as err:
        raise InputError(
            f"tier bounds must be (name, lower bound) pairs, got {bounds!r}",
            hint="e.g. [('nano', 0), ('micro', 1000), ('mid', 50000)]",
        ) from err
    if not items:
        raise InputError("no tiers given", hint="give at least one (name, lower bound) pair starting at 0")
    if len(set(names)) != len(names) or any(not n for n in names):
        raise InputError(f"tier names must be distinct and non-empty, got {names}")
    if lows[0] != 0:
        raise InputError(
            f"the first tier must start at 0 followers, got {lows[0]:g}",
            hint="every account needs a tier; make the lowest bound 0",
        )
    if not (np.diff(lows) > 0).all():
        raise InputError(f"tier lower bounds must strictly increase, got {lows.tolist()}")
    return names, lows


def tiers(graph: Graph, *, bounds: Sequence[tuple[str, float]] | Mapping[str, float] = DEFAULT_TIERS,
          indegree: np.ndarray | None = None) -> pd.DataFrame:
    """Put every account in a follower tier.

    ``tier = name_k`` for the ``k`` with ``lower_k ≤ followers < lower_{k+1}`` (the last tier is
    open-ended). Followers come from :func:`follower_counts` (profile count, else follow
    in-degree; ``indegree`` as in :func:`follower_counts`).

    Parameters
    ----------
    graph : Graph
    bounds : sequence of (name, lower bound) or mapping name → lower bound
        Ascending lower bounds, the first 0. Default :data:`DEFAULT_TIERS`
        (nano 0, micro 1,000, mid 50,000, macro 500,000, mega 1,000,000).

    Returns
    -------
    DataFrame
        Indexed by account id; ``followers`` (int64), ``followers_source`` (``"profile"`` or
        ``"follow_indegree"``) and ``tier`` (ordered categorical, smallest tier first).

    Raises
    ------
    InputError
        Malformed ``bounds``, or a non-numeric / negative ``followers`` profile column.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}))
    >>> g = g.with_accounts(pd.DataFrame({"followers": [999, 1_000, 50_000]}, index=["a", "b", "c"]))
    >>> tiers(g)["tier"].tolist()
    ['nano', 'micro', 'mid']
    """
    names, lows = _normalise_bounds(bounds)
    fc = follower_counts(graph, indegree=indegree)
    codes = np.searchsorted(lows, fc["followers"].to_numpy(np.float64), side="right") - 1
    fc["tier"] = pd.Categorical.from_codes(codes.astype(np.int16), categories=names, ordered=True)
    return fc


def _resolve_owners(graph: Graph, owners: pd.Series, on_unknown: str) -> np.ndarray:
    """Row positions of post owners (ids first, then handles); -1 for unknown when skipping."""
    # once per distinct owner, not per post: 2M posts by 50k owners resolve 40x faster
    codes, distinct = pd.factorize(owners.to_numpy(dtype=object))
    names = pd.Series(distinct, dtype=object).astype(str).str.strip()
    try:
        return graph.positions(names, missing=on_unknown, what="post owners")[codes]
    except UnknownAccountError as err:
        raise UnknownAccountError(err.missing, what="post owners",
                                  hint="pass on_unknown='skip' to ignore posts by accounts not in the graph") from None


def engagement(
    graph: Graph,
    posts: pd.DataFrame | None = None,
    *,
    owner: str = "owner",
    bounds: Sequence[tuple[str, float]] | Mapping[str, float] = DEFAULT_TIERS,
    on_unknown: str = "raise",
    since=None,
    until=None,
) -> pd.DataFrame:
    r"""Engagement per account, and how it compares with others in the same follower tier.

    For an account ``v`` with ``f_v`` followers (:func:`follower_counts`) and counted posts
    ``P_v``:

    .. math::

        \text{engagement\_rate}(v) = \frac{1}{|P_v|} \sum_{p \in P_v}
            \frac{\text{likes}_p + \text{comments}_p}{f_v}
        = \frac{\text{mean\_likes}_v + \text{mean\_comments}_v}{f_v}

    a fraction (0.034 = 3.4 %), using today's follower count for every post.

    An account is *rated* when it has at least one counted post and ``f_v > 0``. Unrated accounts
    (no posts, or 0 followers) get ``engagement_rate = 0``, ``engagement_percentile = 0`` and
    ``rated = False`` (kept for existing readers); the new columns say "unknown" instead of 0:
    ``engagement_known = False`` and ``engagement_rate_shrunk = NaN``. Filter on ``rated`` (or
    ``engagement_known``, the same) before averaging rates.

    **Shrunk rate (empirical Bayes).** One lucky post makes a high raw rate; the shrunk rate pulls
    each rated account towards its tier's centre, the more the fewer posts it has. The model is
    normal–normal on per-post rates ``x_vp = (likes_p + comments_p)/f_v``: an account's raw rate
    ``r_v`` (the mean of its ``n_v`` per-post rates) is ``N(θ_v, σ_t²/n_v)`` around its true rate
    ``θ_v``, and true rates in tier ``t`` are ``N(μ_t, τ_t²)``. For tier ``t`` with rated accounts
    ``R_t``:

    .. math::

        \mu_t = \operatorname{median}_{v \in R_t} r_v
        \qquad
        \sigma_t^2 = \frac{\sum_{v \in R_t} \sum_{p \in P_v} (x_{vp} - r_v)^2}
                          {\sum_{v \in R_t} (n_v - 1)}

        \tau_t^2 = \frac{1}{|R_t| - 1} \sum_{v \in R_t} (r_v - \bar r_t)^2
                   - \frac{1}{|R_t|} \sum_{v \in R_t} \frac{\sigma_t^2}{n_v}
        \qquad
        k_t = \operatorname{clip}\Big(\frac{\sigma_t^2}{\tau_t^2},\ 1,\ 100\Big)

        \text{engagement\_rate\_shrunk}(v) = \frac{n_v r_v + k_t \mu_t}{n_v + k_t}

    ``σ_t²`` is the pooled within-account variance of per-post rates (only accounts with ≥ 2
    posts add to it), ``τ_t²`` the between-account variance of true rates by the method of
    moments (the variance of raw rates, ``r̄_t`` their plain mean, minus the part the post noise
    explains), and ``k_t`` the prior strength in posts: the shrunk rate is the posterior mean
    of ``θ_v``. ``k_t`` = 100 when ``τ_t² ≤ 0`` (the raw rates differ no more than post noise
    explains), and is never below 1 (one post never outweighs the tier's centre). ``μ_t`` is the
    **median** raw rate, not the mean: a few viral posts pull a tier's mean far above its typical
    account (Instagram sample, micro tier: mean 4.8 %, median 3.5 %). So the shrunk rate always
    lies between the raw rate and ``μ_t``, and the tier's median shrunk rate is its median raw
    rate. ``k_t`` = :data:`PRIOR_POSTS_FALLBACK` (5 posts) when it cannot be estimated: no
    account in the tier with ≥ 2 counted posts, fewer than two rated accounts, or engagement from
    profile totals (no per-post rates, so no ``σ_t²``). Below ``μ_t`` a one-post account may rank
    above a many-post account with a higher raw rate: one post says less about how far below
    the centre it truly is.

    Hand-checked (one micro tier, 1,000 followers each; ``tests/test_engagement.py``): ``a``
    posts at 0.02, 0.08 (``r = 0.05``), ``b`` at 0.04, 0.06, 0.11 (``r = 0.07``), ``c`` 0.12,
    ``d`` 0.02 and ``e`` 0.06 (one post each): ``σ² = (0.0018 + 0.0026)/3 = 0.001467``,
    ``μ = 0.06``, ``τ² = 0.00133 − 0.001467·(1/2 + 1/3 + 3)/5 = 0.000206``, ``k = 7.14``;
    shrunk ``c = (0.12 + 7.14·0.06)/8.14 = 0.0674`` (from 0.12), ``a = (0.10 + 7.14·0.06)/9.14 =
    0.0578`` (from 0.05).

    ``engagement_percentile`` ranks the **shrunk** rate among the rated accounts of the same tier:
    the percentage of rated accounts in ``v``'s tier whose shrunk rate is ≤ ``v``'s
    (``scipy.stats.percentileofscore`` with ``kind="weak"``), in ``(0, 100]``; the top account of a
    tier scores 100, unrated accounts 0.

    **Sponsored share.** ``sponsored_share(v)`` = the share of ``v``'s counted posts that are
    sponsored: a non-empty ``sponsors`` value, a hashtag in :data:`AD_HASHTAGS` (``#ad``,
    ``#sponsored``, ``#anzeige``, ``#werbung``; case-insensitive) or a true ``is_ad``. NaN
    ("unknown") for accounts without counted posts, and for everyone when the posts table has none
    of those columns or engagement comes from profile totals.

    Parameters
    ----------
    graph : Graph
    posts : DataFrame, optional
        One row per post with columns ``owner`` (account id or handle; see ``owner``), ``likes``
        and ``comments`` (counts ≥ 0); optionally ``sponsors``, ``hashtags`` (space-separated) and
        ``is_ad`` for ``sponsored_share``. Posts whose ``likes`` or ``comments`` is missing are not
        counted (a hidden like count is not zero likes). When omitted, the account table's profile
        columns ``likes`` and ``comments`` are read as *totals* over the ``posts`` profile column
        (number of posts): ``mean_likes = likes / posts`` and ``posts_counted = posts``; accounts
        with any of the three missing, or ``posts = 0``, are unrated.
    owner : str, default ``"owner"``
        The posts column naming the account (e.g. ``"owner_username"``).
    bounds
        Tier bounds, as in :func:`tiers`.
    on_unknown : {"raise", "skip"}
        What to do with posts whose owner is not in the graph.
    since, until : str, date, datetime or epoch seconds, optional
        A recency window: only posts with ``since ≤ timestamp < until`` are counted (``since``
        included, ``until`` excluded; either may be omitted). Text without a timezone is UTC and a
        date alone is its midnight, so ``until="2024-07-01"`` counts posts up to 2024-06-30
        23:59:59 UTC. Needs a ``timestamp`` column (epoch seconds, as
        :func:`~graphinflu.loaders.read_posts` returns, or datetimes / ISO text). Posts without a
        timestamp are not counted (they cannot be placed in the window) but counted in the
        ``posts_undated`` column, which exists only with a window.

    Returns
    -------
    DataFrame
        Indexed by account id: ``followers`` (int64), ``tier`` (ordered categorical),
        ``posts_counted`` (int64), ``mean_likes``, ``mean_comments`` (floats, 0 without posts),
        ``engagement_rate`` (float, raw), ``rated`` (bool), ``engagement_percentile`` (float,
        0–100, of the shrunk rate), ``engagement_rate_shrunk`` (float, NaN when unknown),
        ``engagement_known`` (bool) and ``sponsored_share`` (float in [0, 1], NaN when unknown);
        with ``since`` or ``until``, also ``posts_undated`` (int64): the account's posts with likes
        and comments but no timestamp, left out of the window.

    Raises
    ------
    InputError
        Missing columns, negative or non-numeric counts, no posts table and no profile totals; a
        window (``since``/``until``) that is empty, unreadable, given without a posts table, or
        over posts none of which has a timestamp.
    UnknownAccountError
        Post owners not in the graph (with ``on_unknown="raise"``).

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    >>> g = g.with_accounts(pd.DataFrame({"followers": [2_000, 4_000]}, index=["a", "b"]))
    >>> posts = pd.DataFrame({"owner": ["a", "a", "b"], "likes": [50, 30, 100], "comments": [10, 10, 20]})
    >>> engagement(g, posts)[["posts_counted", "engagement_rate", "engagement_percentile"]]  # doctest: +NORMALIZE_WHITESPACE
        posts_counted  engagement_rate  engagement_percentile
    id
    a               2            0.025                   50.0
    b               1            0.030                  100.0

    References
    ----------
    .. [1] Engagement rate by followers, as reported by influencer-marketing tools (e.g. Phlanx,
       HypeAuditor); the per-post mean of (likes + comments) / followers.
    """
    if on_unknown not in ("raise", "skip"):
        raise InputError(f"on_unknown must be 'raise' or 'skip', got {on_unknown!r}")
    n = graph.n_accounts
    window = _window(since, until, posts)
    tt = tiers(graph, bounds=bounds)
    followers = tt["followers"].to_numpy(np.float64)
    undated = None
    if posts is not None:
        need = [owner, "likes", "comments"]
        missing = [c for c in need if c not in posts.columns]
        if missing:
            raise InputError(
                f"posts table lacks column(s) {missing}; its columns are {list(posts.columns)}",
                hint="give one row per post with the owner's id or handle, likes and comments"
                + (" (or pass owner='owner_username')" if owner not in posts.columns else ""),
            )
        counts = {}
        for col in ("likes", "comments"):
            raw = posts[col]
            num = pd.to_numeric(raw, errors="coerce").astype(np.float64)
            if (num.isna() & raw.notna()).any():
                raise InputError(f"posts column {col!r} holds non-numeric values", hint="use plain counts")
            if (num < 0).any():
                raise InputError(f"posts column {col!r} holds negative values", hint="counts must be >= 0")
            counts[col] = num.to_numpy()
        if posts[owner].isna().any():
            raise InputError(f"posts column {owner!r} has {int(posts[owner].isna().sum())} empty owner(s)",
                             hint="every post needs its owner's id or handle")
        pos = _resolve_owners(graph, posts[owner], on_unknown)
        use = (pos >= 0) & ~np.isnan(counts["likes"]) & ~np.isnan(counts["comments"])
        if window is not None:
            inside, no_time = _in_window(posts, *window)
            undated = np.bincount(pos[use & no_time], minlength=n).astype(np.int64)
            use &= inside
        p = pos[use]
        n_posts = np.bincount(p, minlength=n).astype(np.int64)
        sum_likes = np.bincount(p, weights=counts["likes"][use], minlength=n)
        sum_comments = np.bincount(p, weights=counts["comments"][use], minlength=n)
        within_ss = _within_ss(p, counts["likes"][use] + counts["comments"][use], followers, n_posts)
        ad = _sponsored_posts(posts)
        if ad is None:
            sponsored = np.full(n, np.nan)
        else:
            n_ad = np.bincount(p, weights=ad[use].astype(np.float64), minlength=n)
            sponsored = np.where(n_posts > 0, n_ad / np.maximum(n_posts, 1), np.nan)
    else:
        cols = [c for c in ("likes", "comments", "posts") if c not in graph.accounts.columns]
        if cols:
            raise InputError(
                "engagement needs a posts table (owner, likes, comments), or profile columns likes, comments "
                f"and posts (totals); the account table lacks {cols}",
                hint="pass posts=DataFrame with one row per post",
            )
        lk, cm, ps = (_numeric_column(graph, c).to_numpy() for c in ("likes", "comments", "posts"))
        ok = ~(np.isnan(lk) | np.isnan(cm) | np.isnan(ps))
        n_posts = np.where(ok, np.rint(np.nan_to_num(ps)), 0).astype(np.int64)
        sum_likes = np.where(ok, np.nan_to_num(lk), 0.0)
        sum_comments = np.where(ok, np.nan_to_num(cm), 0.0)
        sponsored = np.full(n, np.nan)
        within_ss = None
    return engagement_from_sums(tt, n_posts, sum_likes, sum_comments, within_ss, sponsored, undated)


def engagement_from_sums(tt: pd.DataFrame, n_posts: np.ndarray, sum_likes: np.ndarray, sum_comments: np.ndarray,
                         within_ss: np.ndarray | None, sponsored: np.ndarray,
                         undated: np.ndarray | None = None) -> pd.DataFrame:
    """The table of :func:`engagement` from per-account sums over the counted posts (account
    order): ``tt`` (:func:`tiers`' table), the posts, likes and comments counted, ``within_ss``
    (Σ (x − x̄)² of the per-post rates; ``None`` for profile totals), the sponsored share and,
    with a window, the undated posts. The Spark engine sums posts in Spark and calls this."""
    followers = tt["followers"].to_numpy(np.float64)
    has = n_posts > 0
    denom = np.where(has, n_posts, 1)
    mean_likes = np.where(has, sum_likes / denom, 0.0)
    mean_comments = np.where(has, sum_comments / denom, 0.0)
    rated = has & (followers > 0)
    rate = np.where(rated, (mean_likes + mean_comments) / np.where(rated, followers, 1.0), 0.0)
    out = pd.DataFrame({"followers": tt["followers"].to_numpy(), "tier": tt["tier"].to_numpy(),
                        "posts_counted": n_posts, "mean_likes": mean_likes, "mean_comments": mean_comments,
                        "engagement_rate": rate, "rated": rated}, index=tt.index.copy())
    out.index.name = "id"
    out["tier"] = tt["tier"]
    tier_codes = tt["tier"].cat.codes.to_numpy()
    shrunk = _shrunk_rates(rate, n_posts, rated, tier_codes, within_ss)
    pct = pd.Series(shrunk[rated], index=out.index[rated]).groupby(tier_codes[rated]) \
        .rank(method="max", pct=True) * 100.0
    out["engagement_percentile"] = pct.reindex(out.index).fillna(0.0).to_numpy()
    out["engagement_rate_shrunk"] = shrunk
    out["engagement_known"] = rated
    out["sponsored_share"] = sponsored
    if undated is not None:
        out["posts_undated"] = undated
    return out


def posts_in_window(posts: pd.DataFrame | None, params) -> pd.DataFrame | None:
    """The posts inside ``params``' recency window (an :class:`~graphinflu.params.EngagementParams`;
    every post without one, or when ``params`` is ``None``): what ``interest_post_share`` counts,
    as engagement does. Undated posts cannot be placed in a window and are left out."""
    if posts is None or params is None or not params.window:
        return posts
    inside, _ = _in_window(posts, *_window(params.since, params.until, posts))
    return posts.loc[inside]


def _window(since, until, posts: pd.DataFrame | None) -> tuple[float, float] | None:
    """``(low, high)`` epoch seconds of a ``since``/``until`` window (``None`` without one)."""
    if since is None and until is None:
        return None
    low, high = parse_instant(since, "since"), parse_instant(until, "until")
    low, high = -np.inf if low is None else low, np.inf if high is None else high
    if low >= high:
        raise InputError(f"the window is empty: since {format_instant(low)} is not before until {format_instant(high)}",
                         hint="since is included and until excluded; give a since earlier than until")
    if posts is None:
        raise InputError("a recency window (since/until) needs a posts table with timestamps",
                         hint="pass posts= (--posts) with a timestamp column; profile totals have no dates")
    if "timestamp" not in posts.columns:
        raise InputError(f"a recency window (since/until) needs a 'timestamp' column in the posts table; its columns "
                         f"are {list(posts.columns)}",
                         hint="name the post time column timestamp (or taken_at_timestamp, created_at, date)")
    return low, high


def _in_window(posts: pd.DataFrame, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """Per post: inside ``low ≤ t < high``, and without a timestamp. Raises when no post has one."""
    t = post_times(posts["timestamp"])
    no_time = np.isnan(t)
    if len(t) and no_time.all():
        raise InputError(f"no post has a timestamp ({len(t):,} posts), so none can be placed in the since/until "
                         "window", hint="give posts with a timestamp column (epoch seconds or ISO dates), or drop "
                                        "--since/--until")
    with np.errstate(invalid="ignore"):
        return ~no_time & (t >= low) & (t < high), no_time


def _within_ss(p: np.ndarray, interactions: np.ndarray, followers: np.ndarray, n_posts: np.ndarray) -> np.ndarray:
    """Per account: Σ_p (x_p − x̄)² over its per-post rates ``x_p = interactions_p / followers``
    (row positions ``p`` of the counted posts); 0 for accounts without posts or followers."""
    n = len(followers)
    f = followers[p]
    x = np.divide(interactions, f, out=np.zeros(len(p)), where=f > 0)
    mean = np.bincount(p, weights=x, minlength=n) / np.maximum(n_posts, 1)
    return np.bincount(p, weights=(x - mean[p]) ** 2, minlength=n)


def _shrunk_rates(rate: np.ndarray, n_posts: np.ndarray, rated: np.ndarray, tier_codes: np.ndarray,
                  within_ss: np.ndarray | None = None) -> np.ndarray:
    """Empirical-Bayes rates (normal–normal model, formulas in :func:`engagement`); NaN where not
    ``rated``. ``within_ss[v]`` = Σ_p (x_vp − r_v)² over ``v``'s per-post rates; ``None`` (profile
    totals) leaves the within-creator variance unknown, so every tier takes the fallback ``k``."""
    out = np.full(len(rate), np.nan)
    if not rated.any():
        return out
    t = tier_codes[rated].astype(np.int64)
    r, n = rate[rated], n_posts[rated].astype(np.float64)
    m = int(t.max()) + 1
    cnt = np.bincount(t, minlength=m).astype(np.float64)
    mu = pd.Series(r).groupby(t).median().reindex(range(m)).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_r = np.bincount(t, weights=r, minlength=m) / cnt
        var_r = np.bincount(t, weights=(r - mean_r[t]) ** 2, minlength=m) / (cnt - 1.0)
        if within_ss is None:
            sigma2 = np.full(m, np.nan)
        else:
            dof = np.bincount(t, weights=n - 1.0, minlength=m)
            sigma2 = np.where(dof > 0, np.bincount(t, weights=within_ss[rated], minlength=m) / dof, np.nan)
        tau2 = var_r - np.bincount(t, weights=sigma2[t] / n, minlength=m) / cnt
        k = np.where(tau2 > 0, sigma2 / tau2, np.inf)
    k = np.clip(k, *PRIOR_POSTS_RANGE)
    k = np.where(np.isfinite(sigma2) & (cnt >= 2), k, PRIOR_POSTS_FALLBACK)
    out[rated] = (n * r + k[t] * mu[t]) / (n + k[t])
    return out


def _sponsored_posts(posts: pd.DataFrame) -> np.ndarray | None:
    """Per post: sponsored (non-empty ``sponsors``, an :data:`AD_HASHTAGS` tag, or true ``is_ad``);
    ``None`` when the table has none of those columns (sponsorship unknown)."""
    cols = [c for c in ("sponsors", "hashtags", "is_ad") if c in posts.columns]
    if not cols:
        return None
    ad = np.zeros(len(posts), dtype=bool)
    if "sponsors" in posts.columns:
        ad |= (posts["sponsors"].astype("string").str.strip().fillna("") != "").to_numpy()
    if "hashtags" in posts.columns:  # one RE2 pass, not str.split + explode: 5 s -> 0.3 s on 2M posts
        from ..loaders.posts import _PY_SPACE, _text_array  # here: graphinflu.params imports this module

        # a token is a run between white space (as str.split() sees it) or "#"
        sep = "[#" + "".join(f"\\x{{{ord(c):x}}}" for c in _PY_SPACE) + "]"
        words = "|".join(sorted(AD_HASHTAGS))
        text = pc.utf8_lower(_text_array(posts["hashtags"]))
        ad |= pc.match_substring_regex(text, f"(?:^|{sep})(?:{words})(?:{sep}|$)").to_numpy(zero_copy_only=False)
    if "is_ad" in posts.columns:
        ad |= posts["is_ad"].astype("string").str.strip().str.lower().isin(["true", "1", "1.0", "yes"]).to_numpy()
    return ad
