"""Audience quality, explained: who the followers are, from their own profiles.

For each follower ``v`` of a creator, with profile columns ``followers``, ``following`` and
``posts`` where loaded:

=====================  =====================================================================
flag                   definition
=====================  =====================================================================
``no_profile``         none of ``followers`` / ``following`` / ``posts`` is known for ``v``
``mass``               ``following > mass_following`` (default 1,500: accounts that follow so
                       many that they see little of any one; HypeAuditor's "mass followers")
``influencer``         ``followers ≥ influencer_followers`` (default 5,000, HypeAuditor's
                       bound for "influencer" audience members)
``no_posts``           ``posts == 0`` (never posted: typical of bots and lurker shells)
``quality``            has a profile, not ``mass`` and not ``no_posts`` (influencer followers
                       are real people and count as quality)
=====================  =====================================================================

Unknown values never set a flag (an account with followers known but ``following`` missing is
not ``mass``). The **quality score** of a creator is ``100 × quality followers / audience``, and
its breakdown is the share of the audience in each flag (the flags overlap, so the shares need
not add up to 100). :func:`quality_mask` gives the quality followers as a boolean mask that
:func:`~graphinflu.metrics.overlap.overlap_pairs`, :func:`~graphinflu.metrics.shortlist.shortlist`
and friends accept as ``quality=``.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import InputError
from ..graph import Graph
from .overlap import _resolve, audience_matrix, followers_csc

__all__ = ["MASS_FOLLOWING", "INFLUENCER_FOLLOWERS", "follower_flags", "quality_mask", "audience_quality",
           "audience_quality_columns"]

MASS_FOLLOWING = 1_500
INFLUENCER_FOLLOWERS = 5_000
_PROFILE = ("followers", "following", "posts")


def _col(graph: Graph, name: str) -> np.ndarray:
    if name not in graph.accounts.columns:
        return np.full(graph.n_accounts, np.nan)
    s = pd.to_numeric(graph.accounts[name], errors="coerce")
    return s.to_numpy(np.float64)


def follower_flags(graph: Graph, *, mass_following: float = MASS_FOLLOWING,
                   influencer_followers: float = INFLUENCER_FOLLOWERS) -> pd.DataFrame:
    """The quality flags of every account (as a follower), from its profile.

    Returns
    -------
    DataFrame indexed by id, boolean columns ``no_profile``, ``mass``, ``influencer``,
    ``no_posts`` and ``quality`` (see the module docstring).

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c"], "target": ["z", "z", "z"]}))
    >>> g = g.with_accounts(pd.DataFrame({"following": [3000, 10, 10], "posts": [5, 0, 7]}, index=["a", "b", "c"]))
    >>> follower_flags(g)["quality"].tolist()
    [False, False, True, False]
    """
    for name, value in (("mass_following", mass_following), ("influencer_followers", influencer_followers)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
            raise InputError(f"{name} must be a finite number of at least 0, not {value!r}",
                             hint=f"--{name.replace('_', '-')} counts accounts, e.g. 1500 or 5000")
    if not any(c in graph.accounts.columns for c in _PROFILE):
        raise InputError(
            "audience quality needs follower profiles (followers, following or posts columns); none are loaded",
            hint="load them with --profiles FILE (or graph.with_accounts(read_profiles(FILE)))",
        )
    fol, fing, posts = (_col(graph, c) for c in _PROFILE)
    known = ~(np.isnan(fol) & np.isnan(fing) & np.isnan(posts))
    mass = fing > mass_following
    infl = fol >= influencer_followers
    nop = posts == 0
    return pd.DataFrame(
        {"no_profile": ~known, "mass": mass, "influencer": infl, "no_posts": nop, "quality": known & ~mass & ~nop},
        index=graph.ids,
    )


def quality_mask(graph: Graph, **thresholds) -> pd.Series:
    """Boolean Series indexed by id: True for quality followers (see :func:`follower_flags`)."""
    return follower_flags(graph, **thresholds)["quality"]


def audience_quality(graph: Graph, creators=None, *, top: int | None = None,
                     mass_following: float = MASS_FOLLOWING,
                     influencer_followers: float = INFLUENCER_FOLLOWERS,
                     allow_empty: bool = False) -> pd.DataFrame:
    """Audience quality of each chosen creator: the 0–100 score and its breakdown.

    Creators are chosen as in :func:`~graphinflu.metrics.overlap.select_creators` (a list or
    ``top``); ``allow_empty`` keeps creators with no follower (every count and percentage 0).

    Returns
    -------
    DataFrame indexed by creator id
        ``handle``, ``audience_size`` (followers in the follow graph), and for each flag
        ``<flag>`` (count of followers) and ``<flag>_pct`` (100 × count / audience_size) for
        ``no_profile``, ``mass``, ``influencer``, ``no_posts``; ``quality_followers`` and
        ``quality_score`` = 100 × quality_followers / audience_size.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c", "d"], "target": ["z", "z", "z", "z"]}))
    >>> g = g.with_accounts(pd.DataFrame({"following": [3000, 10, 10], "posts": [5, 0, 7]}, index=["a", "b", "c"]))
    >>> audience_quality(g, ["z"])[["audience_size", "mass_pct", "no_posts_pct", "no_profile_pct", "quality_score"]]
    ... # doctest: +NORMALIZE_WHITESPACE
        audience_size  mass_pct  no_posts_pct  no_profile_pct  quality_score
    id
    z               4      25.0          25.0            25.0           25.0
    """
    flags = follower_flags(graph, mass_following=mass_following, influencer_followers=influencer_followers)
    pos = _resolve(graph, creators, top, None, allow_empty)
    B = audience_matrix(graph, pos)
    size = np.diff(B.indptr).astype(np.int64)
    out = pd.DataFrame({"handle": graph.accounts["handle"].to_numpy()[pos], "audience_size": size},
                       index=pd.Index(graph.ids[pos], name="id"))
    denom = np.maximum(size, 1)
    for flag in ("no_profile", "mass", "influencer", "no_posts"):
        cnt = np.asarray(B @ flags[flag].to_numpy(np.int64)).ravel().astype(np.int64)
        out[flag] = cnt
        out[f"{flag}_pct"] = 100.0 * cnt / denom
    q = np.asarray(B @ flags["quality"].to_numpy(np.int64)).ravel().astype(np.int64)
    out["quality_followers"] = q
    out["quality_score"] = 100.0 * q / denom
    return out


#: Share of follow edges whose follower has a profile below which audience quality is not judged.
MIN_PROFILED_SHARE = 0.5
#: Prior strength (in followers) of the shrunk audience quality share.
QUALITY_PRIOR = 10.0


def audience_quality_columns(graph: Graph, *, prior_strength: float = QUALITY_PRIOR,
                             min_profiled: float = MIN_PROFILED_SHARE) -> pd.DataFrame | None:
    """Audience quality of every account, for the account table and the targets score.

    Only followers with a profile are judged (``no_profile`` says nothing about a person), so the
    columns exist only when follower profiles do: when at least ``min_profiled`` of the follow
    edges come from a follower with a profile; otherwise ``None`` (profiles of the creators alone
    cannot say who their audiences are).

    Returns
    -------
    DataFrame indexed by id, or None
        ``audience_quality`` = 100 × q / p, where p is the account's followers with a profile and
        q those of them that are ``quality`` followers (:func:`follower_flags`), missing when p = 0;
        ``audience_quality_shrunk`` = (q + m·p₀) / (p + m), the share pulled towards the share p₀
        of quality followers over all follow edges with a profiled follower, with m =
        ``prior_strength`` (10) followers, so 2 of 2 does not beat 900 of 1,000.

    Examples
    --------
    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c", "a"], "target": ["z", "z", "z", "y"]}))
    >>> g = g.with_accounts(pd.DataFrame({"following": [3000, 10, 10], "posts": [5, 0, 7]}, index=["a", "b", "c"]))
    >>> audience_quality_columns(g).loc[["z", "y"], "audience_quality"].round(1).tolist()
    [33.3, 0.0]
    """
    if not any(c in graph.accounts.columns for c in _PROFILE):
        return None
    flags = follower_flags(graph)
    profiled = ~flags["no_profile"].to_numpy(bool)
    quality = flags["quality"].to_numpy(bool)
    csc = followers_csc(graph)  # column j: the followers of account j
    followers_of_edge = csc.indices
    ones = sp.csc_matrix((np.ones(len(followers_of_edge)), csc.indices, csc.indptr), shape=csc.shape)
    p = np.asarray(ones.T @ profiled.astype(np.float64)).ravel()
    q = np.asarray(ones.T @ quality.astype(np.float64)).ravel()
    return quality_columns_from_counts(graph.ids, p, q, len(followers_of_edge), prior_strength=prior_strength,
                                       min_profiled=min_profiled)


def quality_columns_from_counts(ids, p: np.ndarray, q: np.ndarray, n_edges: int, *,
                                prior_strength: float = QUALITY_PRIOR,
                                min_profiled: float = MIN_PROFILED_SHARE) -> pd.DataFrame | None:
    """:func:`audience_quality_columns` from its per-account counts: ``p`` (followers with a
    profile) and ``q`` (quality followers), over ``n_edges`` follow edges. ``None`` when fewer than
    ``min_profiled`` of the edges come from a profiled follower. (The Spark engine counts ``p`` and
    ``q`` by a join and calls this.)"""
    edges_profiled, edges_quality = float(p.sum()), float(q.sum())
    if not n_edges or edges_profiled / n_edges < min_profiled:
        return None
    p0 = float(edges_quality / max(edges_profiled, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(p > 0, 100.0 * q / np.maximum(p, 1), np.nan)
    shrunk = (q + prior_strength * p0) / (p + prior_strength)
    return pd.DataFrame({"audience_quality": share, "audience_quality_shrunk": shrunk},
                        index=pd.Index(ids, name="id"))
