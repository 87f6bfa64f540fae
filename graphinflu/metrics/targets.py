"""The table a strategist acts on: micro-tier accounts ranked by one documented score."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Weights of the target score's components (renormalised over the components that exist).
DEFAULT_WEIGHTS = {"niche_authority": 0.5, "engagement": 0.3, "audience_match": 0.2}
#: The weights when a brand target gives audience affinity: brand fit carries the most weight.
BRAND_WEIGHTS = {"affinity": 0.5, "niche_authority": 0.3, "engagement": 0.2}


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
        and ``score``, sorted by ``score`` (descending), with ``rank`` starting at 1, and ``why``:
        the reasons in words (:func:`reasons`).

    Notes
    -----
    Every component is a percentile in [0, 1] so that no single unit dominates:

    * ``niche_authority`` = percentile rank of ``pagerank`` among the accounts of the same
      ``community`` (all tiers) that have at least one follower (``indegree`` > 0, when that
      column exists), so a creator is an authority *inside its niche*; 0 without followers;
    * ``engagement_score`` = ``engagement_percentile / 100`` (within the tier; the percentile of
      the shrunk rate, see :func:`graphinflu.metrics.tiers.engagement`);
    * ``audience_match_score`` = percentile rank of ``audience_match`` over all accounts;
    * ``affinity_score`` = ``brand_fit`` when the table has it (:func:`graphinflu.brand.brand_columns`:
      the mean, over the brand signals present, of the share of the creator's audience or posts in
      the target beyond chance, :math:`\\max(0, 1 - 1/\\text{lift})`), else the percentile rank of
      ``affinity`` (the smoothed share of the creator's audience inside the brand's target
      audience, :mod:`graphinflu.metrics.affinity`) over all accounts. When it exists (a brand
      was given) the default weights are
      :data:`BRAND_WEIGHTS`: affinity 0.5, niche authority 0.3, engagement 0.2 (audience match is
      then shown but not weighted); otherwise :data:`DEFAULT_WEIGHTS`.

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
    fit_col = next((c for c in ("brand_fit", "affinity") if c in metrics and metrics[c].notna().any()), None)
    has_affinity = fit_col is not None
    weights = dict((BRAND_WEIGHTS if has_affinity else DEFAULT_WEIGHTS) if weights is None else weights)
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
    if has_affinity:  # brand_fit is already a continuous score in [0, 1); a bare affinity is ranked
        out["affinity_score"] = out["brand_fit"] if fit_col == "brand_fit" else _pct_rank(out["affinity"])
        comps["affinity"] = out["affinity_score"]
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
    out["why"] = reasons(out)
    return out


def _niche_names(t: pd.DataFrame) -> pd.Series:
    label = t["niche_label"].astype("string").str.strip() if "niche_label" in t else None
    fallback = "niche " + t["community"].astype(str)
    return fallback if label is None else label.where(label.fillna("") != "", fallback).astype(str)


def reasons(t: pd.DataFrame) -> pd.Series:
    """The ``why`` of each target, in words, from the columns its score used.

    Parts, joined with ``"; "``: ``top N% authority in <niche>`` (N = ⌈100·(1 − niche_authority)⌉,
    at least 1; the niche by its label, else ``niche <community>``); with engagement, ``engagement
    4.1% (shrunk from 6.0% on 2 posts; percentile 92 in tier)`` — the empirical-Bayes rate the
    percentile ranks, then the raw rate — (``engagement 4.1% from 24 posts (percentile 92 in
    tier)`` when there is no ``engagement_rate_shrunk`` column) or ``no rated posts``; with audience affinity,
    ``41% of its audience is in the brand's audience (lift 4.3×)``, else with audience match,
    ``audience match in the top N%``.

    >>> t = pd.DataFrame({"niche_authority": [0.97, 0.5], "community": [0, 1],
    ...                   "niche_label": ["fitness (90%)", ""]})
    >>> reasons(t).tolist()
    ['top 3% authority in fitness (90%)', 'top 50% authority in niche 1']
    """
    top = np.maximum(np.ceil(100.0 * (1.0 - t["niche_authority"].to_numpy(dtype=float)) - 1e-9), 1).astype(int)
    why = "top " + pd.Series(top, index=t.index).astype(str) + "% authority in " + _niche_names(t)
    if {"engagement_rate", "rated", "posts_counted", "engagement_percentile"} <= set(t.columns):
        rated = t["rated"].fillna(False).astype(bool)
        posts = (t["posts_counted"].astype("Int64").astype(str)
                 + np.where(t["posts_counted"].to_numpy() == 1, " post", " posts"))
        pct = "percentile " + t["engagement_percentile"].map("{:.0f}".format) + " in tier)"
        if "engagement_rate_shrunk" in t.columns:
            eng = ("engagement " + (100 * t["engagement_rate_shrunk"]).map("{:.1f}%".format) + " (shrunk from "
                   + (100 * t["engagement_rate"]).map("{:.1f}%".format) + " on " + posts + "; " + pct)
        else:
            eng = "engagement " + (100 * t["engagement_rate"]).map("{:.1f}%".format) + " from " + posts + " (" + pct
        why = why + "; " + eng.where(rated, "no rated posts")
    if {"affinity", "affinity_lift"} <= set(t.columns):
        why = why + "; " + ((100 * t["affinity"]).map("{:.0f}%".format) + " of its audience is in the brand's "
                            "audience (lift " + t["affinity_lift"].map("{:.1f}".format) + "×)")
    if {"interest_affinity", "interest_affinity_lift"} <= set(t.columns):
        why = why + "; " + ((100 * t["interest_affinity"]).map("{:.0f}%".format) + " of its audience shares the "
                            "brand's interests (lift " + t["interest_affinity_lift"].map("{:.1f}".format) + "×)")
    if "interest_post_share" in t.columns:
        share = (100 * t["interest_post_share"]).map("{:.0f}% of its posts on the interests".format)
        why = why + ("; " + share).where(t["interest_post_share"].notna(), "")
    if not {"affinity", "affinity_lift"} <= set(t.columns) and "audience_match_score" in t.columns:
        match = np.maximum(np.ceil(100.0 * (1.0 - t["audience_match_score"].to_numpy(dtype=float)) - 1e-9), 1)
        why = why + "; audience match in the top " + pd.Series(match.astype(int), index=t.index).astype(str) + "%"
    return why.astype(object)
