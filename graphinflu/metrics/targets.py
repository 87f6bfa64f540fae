"""The table a strategist acts on: micro-tier accounts ranked by one documented score."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Weights of the target score's components (renormalised over the components that exist).
DEFAULT_WEIGHTS = {"niche_authority": 0.5, "engagement": 0.3, "audience_match": 0.2}


def _pct_rank(values: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Percentile rank in [0, 1] (average ties); within ``groups`` when given."""
    if groups is None:
        return values.rank(pct=True, method="average")
    return values.groupby(groups, observed=True).rank(pct=True, method="average")


def targets(
    metrics: pd.DataFrame,
    *,
    tier: str | None = "micro",
    weights: dict[str, float] | None = None,
    exclude=None,
) -> pd.DataFrame:
    """Rank accounts of one tier by niche authority, engagement and audience match.

    Parameters
    ----------
    metrics : DataFrame
        Indexed by account id, with at least ``pagerank``, ``community`` and ``tier``; optionally
        ``engagement_percentile`` (0–100, within tier), ``audience_match`` (personalized PageRank
        from a brand's seeds) and ``unresolved`` (accounts flagged True, names that matched no
        account id or handle, are never targets).
    tier : str or None
        Keep only this tier (default ``"micro"``); ``None`` keeps every account.
    weights : dict, optional
        Component weights, default :data:`DEFAULT_WEIGHTS`.
    exclude : iterable of ids, optional
        Accounts never listed (the brand's own accounts): they still count as peers in every
        percentile, so the other accounts' scores do not change.

    Returns
    -------
    DataFrame
        The input columns plus ``niche_authority``, ``engagement_score``, ``audience_match_score``
        and ``score``, sorted by ``score`` (descending), with ``rank`` starting at 1.

    Notes
    -----
    Every component is a percentile in [0, 1] so that no single unit dominates:

    * ``niche_authority`` = percentile rank of ``pagerank`` among the accounts of the same
      ``community`` (all tiers) that have at least one follower (``indegree`` > 0, when that
      column exists), so a creator is an authority *inside its niche*; 0 without followers;
    * ``engagement_score`` = ``engagement_percentile / 100`` (within the tier);
    * ``audience_match_score`` = percentile rank of ``audience_match`` over all accounts.

    .. math:: \\text{score} = \\frac{\\sum_c w_c x_c}{\\sum_c w_c}

    summed over the components ``c`` that are present for the account; a component missing for
    every account (no posts, no brand seeds) is left out and the weights renormalise.

    Examples
    --------
    >>> m = pd.DataFrame({"pagerank": [0.5, 0.3, 0.2], "community": [0, 0, 1],
    ...                   "tier": ["micro", "micro", "micro"]}, index=pd.Index(["a", "b", "c"], name="id"))
    >>> targets(m)["rank"].to_dict()
    {'a': 1, 'c': 2, 'b': 3}
    """
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    out = metrics.copy()
    # peers are the community's accounts that have an audience: a niche full of followers who
    # are followed by nobody would otherwise push every creator to the top percentile
    has_audience = out["indegree"] > 0 if "indegree" in out else pd.Series(True, index=out.index)
    peers = out["community"].where(has_audience)
    out["niche_authority"] = _pct_rank(out["pagerank"].where(has_audience), peers).fillna(0.0)
    comps = {"niche_authority": out["niche_authority"]}
    if "engagement_percentile" in out and out["engagement_percentile"].notna().any():
        out["engagement_score"] = out["engagement_percentile"] / 100.0
        comps["engagement"] = out["engagement_score"]
    if "audience_match" in out and out["audience_match"].notna().any():
        out["audience_match_score"] = _pct_rank(out["audience_match"])
        comps["audience_match"] = out["audience_match_score"]
    num = pd.Series(0.0, index=out.index)
    den = pd.Series(0.0, index=out.index)
    for name, values in comps.items():
        w = float(weights.get(name, 0.0))
        ok = values.notna()
        num = num + np.where(ok, w * values.fillna(0.0), 0.0)
        den = den + np.where(ok, w, 0.0)
    out["score"] = (num / den.replace(0.0, np.nan)).fillna(0.0)
    if tier is not None:
        out = out[out["tier"].astype(str) == tier]
    if "unresolved" in out:  # names no input could tie to an account are not creators to rank
        out = out[~out["unresolved"].fillna(False).astype(bool)]
    if exclude is not None:  # e.g. the brand's own accounts: scored with everyone, never proposed
        out = out[~out.index.isin(pd.Index(exclude).astype(str))]
    order = np.lexsort((out.index.to_numpy(dtype=str), -out["score"].to_numpy()))
    out = out.iloc[order]
    out["rank"] = np.arange(1, len(out) + 1)
    return out
