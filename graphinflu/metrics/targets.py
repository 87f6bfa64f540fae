"""The table a strategist acts on: accounts of one tier ranked by one documented score."""

from __future__ import annotations

import math
import numbers
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy.special import ndtr

from ..errors import InputError

#: Every component the score can weigh, and the column it is read from (documented in :func:`targets`).
COMPONENTS: dict[str, str] = {
    "affinity": "affinity_score",
    "niche_authority": "niche_authority",
    "engagement": "engagement_score",
    "audience_quality": "audience_quality_score",
    "audience_match": "audience_match_score",
}
#: Weights without a brand target (renormalised over the components that exist).
DEFAULT_WEIGHTS = {"niche_authority": 0.5, "engagement": 0.3, "audience_match": 0.2, "audience_quality": 0.2}
#: The weights when a brand target gives brand fit (audience affinity, interests): it carries the most weight.
BRAND_WEIGHTS = {"affinity": 0.5, "niche_authority": 0.3, "engagement": 0.2, "audience_quality": 0.1}


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Validated component weights: known names, finite numbers ≥ 0, at least one above 0.

    >>> check_weights({"affinity": 2, "engagement": 0})
    {'affinity': 2.0, 'engagement': 0.0}
    """
    out = {}
    for name, w in dict(weights).items():
        if name not in COMPONENTS:
            raise InputError(f"unknown score component {name!r} in the weights",
                             hint="components are " + ", ".join(COMPONENTS) + ", e.g. --weights affinity=0.6,niche_authority=0.4")
        if isinstance(w, bool) or not isinstance(w, numbers.Real) or not math.isfinite(w) or w < 0:
            raise InputError(f"weight of {name} must be a finite number ≥ 0, not {w!r}")
        out[name] = float(w)
    if not any(out.values()):
        raise InputError("at least one score weight must be above 0", hint="e.g. --weights niche_authority=1")
    return out


def _pct_rank(values: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Percentile rank in [0, 1] (average ties); within ``groups`` when given."""
    if groups is None:
        return values.rank(pct=True, method="average")
    return values.groupby(groups, observed=True).rank(pct=True, method="average")


def niche_authority(pagerank: pd.Series, community: pd.Series, has_audience: pd.Series) -> pd.DataFrame:
    """Authority inside one's niche, as a continuous score and as a percentile.

    Among the accounts with an audience (``has_audience``), with :math:`x = \\ln(\\text{pagerank})`,
    :math:`m_c` the median of :math:`x` over the account's community and :math:`s` the standard
    deviation of :math:`x` over all of them (pooled, so a niche of three is not judged on its own
    spread; 1 when it is 0):

    .. math:: \\text{niche\\_authority} = \\Phi\\!\\left(\\frac{x - m_c}{s}\\right)

    (Φ the standard normal CDF): 0.5 for a niche's typical account, rising smoothly with how far
    its PageRank lies above the niche's median, so the leaders of different niches do not all
    tie at 1. ``niche_percentile`` is the mid-rank percentile inside the community,
    :math:`(r - \\tfrac12)/n` (r the rank from the bottom, ties averaged, n the community's
    accounts with an audience): the "top N%" the ``why`` column quotes, never exactly 1. Both are
    0 for accounts without an audience.

    >>> pr = pd.Series([0.4, 0.1, 0.2, 0.1], index=list("abcd"))
    >>> na = niche_authority(pr, pd.Series([0, 0, 1, 1], index=pr.index), pd.Series(True, index=pr.index))
    >>> na["niche_percentile"].tolist()
    [0.75, 0.25, 0.75, 0.25]
    >>> bool(na.loc["a", "niche_authority"] > na.loc["c", "niche_authority"] > 0.5)
    True
    """
    ok = has_audience.to_numpy(bool) & (pagerank.to_numpy(float) > 0)
    x = pd.Series(np.log(np.where(ok, pagerank.to_numpy(float), 1.0)), index=pagerank.index).where(ok)
    groups = community.where(ok)
    median = x.groupby(groups, observed=True).transform("median")
    s = float(np.nanstd(x.to_numpy())) if ok.any() else 0.0
    s = s if s > 0 and math.isfinite(s) else 1.0
    score = pd.Series(ndtr(((x - median) / s).to_numpy(float)), index=x.index).where(ok).fillna(0.0)
    n = groups.map(groups.value_counts())
    pct = ((x.groupby(groups, observed=True).rank(method="average") - 0.5) / n).where(ok).fillna(0.0)
    return pd.DataFrame({"niche_authority": score, "niche_percentile": pct.astype(float)})


def effective_weights(metrics: pd.DataFrame, weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The weights :func:`targets` uses on ``metrics``: ``weights`` (checked), else
    :data:`BRAND_WEIGHTS` when a brand target gave ``brand_fit`` or ``affinity``, else
    :data:`DEFAULT_WEIGHTS`; only the components ``metrics`` can feed, normalised to sum to 1
    (the manifest records these)."""
    if weights is None:
        brand = any(c in metrics and metrics[c].notna().any() for c in ("brand_fit", "affinity"))
        weights = BRAND_WEIGHTS if brand else DEFAULT_WEIGHTS
    weights = check_weights(weights)
    present = {name: w for name, w in weights.items() if w > 0 and _source(metrics, name) is not None}
    total = sum(present.values())
    if not total:  # every score would be 0 and the ranking the id order: say why instead
        wanted = [name for name, w in weights.items() if w > 0]
        raise InputError(f"none of the weighted score components ({', '.join(wanted)}) can be computed here",
                         hint="affinity needs a brand target (--brand, --competitors, --brand-audience or "
                              "--interests), engagement needs --posts, audience_quality follower profiles, "
                              "audience_match --brand; weigh niche_authority too")
    return {name: w / total for name, w in present.items()}


#: The input column each optional component is computed from.
_INPUTS = {"affinity": "affinity", "engagement": "engagement_percentile",
           "audience_quality": "audience_quality_shrunk", "audience_match": "audience_match"}


def _source(metrics: pd.DataFrame, name: str) -> str | None:
    if name == "niche_authority":
        return "pagerank"
    if name == "affinity" and "brand_fit" in metrics and metrics["brand_fit"].notna().any():
        return "brand_fit"
    col = _INPUTS[name]
    return col if col in metrics and metrics[col].notna().any() else None


def _matches(values: pd.Series, wanted: Iterable[str]) -> pd.Series:
    text = values.astype("string").str.strip().str.lower().fillna("")
    hit = pd.Series(False, index=values.index)
    for w in wanted:
        hit |= text.str.contains(str(w).strip().lower(), regex=False)
    return hit


def targets(
    metrics: pd.DataFrame,
    *,
    tier: str | None = "micro",
    weights: Mapping[str, float] | None = None,
    exclude=None,
    niches: Iterable[str] = (),
    categories: Iterable[str] = (),
) -> pd.DataFrame:
    """Rank accounts of one tier by brand fit, niche authority, engagement and audience quality.

    Parameters
    ----------
    metrics : DataFrame
        Indexed by account id (an :func:`~graphinflu.accounts.account_table`), with at least
        ``pagerank``, ``community`` and ``tier``; optionally ``indegree``,
        ``engagement_percentile`` (0–100, within tier), ``brand_fit`` or ``affinity`` (brand fit), ``audience_quality_shrunk``, ``audience_match`` (personalized PageRank from
        a brand's seeds), ``niche_label``, ``category`` and ``unresolved`` (accounts flagged True,
        names that matched no account id or handle, are never targets).
    tier : str or None
        Keep only this tier (default ``"micro"``); ``None`` keeps every account.
    weights : mapping, optional
        Component weights by name (:data:`COMPONENTS`); default :data:`BRAND_WEIGHTS` with a brand
        target, else :data:`DEFAULT_WEIGHTS`. See :func:`effective_weights`.
    exclude : iterable of ids, optional
        Accounts never listed (the brand's own accounts): they still count as peers in every
        percentile, so the other accounts' scores do not change.
    niches : iterable of str, optional
        Keep only accounts whose ``community`` equals one of these, or whose ``niche_label``
        contains one (case-insensitive).
    categories : iterable of str, optional
        Keep only accounts whose profile ``category`` contains one of these (case-insensitive).

    Returns
    -------
    DataFrame
        The input columns plus ``niche_authority``, ``niche_percentile``, a ``<component>_score``
        column for each other component present, ``brand_authority`` when brand fit gates the
        score (see Notes), and ``score``, sorted by ``score``
        (descending), with ``rank`` starting at 1, and ``why``: the reasons in words
        (:func:`reasons`). ``attrs["weights"]`` holds the weights used.

    Notes
    -----
    Every component lies in [0, 1] and is computed over all accounts (before the tier and the
    filters), so that filtering never changes a score:

    * ``niche_authority`` = Φ((ln pagerank − niche median) / pooled sd), continuous: see
      :func:`niche_authority`;
    * ``affinity_score`` = ``brand_fit`` when the table has it (:func:`graphinflu.brand.brand_columns`:
      the mean, over the brand signals present — the brand's audience, its interests — of the share
      of the creator's audience or posts in the target beyond chance, max(0, 1 − 1/lift)), else the
      percentile rank of ``affinity`` (:mod:`graphinflu.metrics.affinity`);
    * ``engagement_score`` = ``engagement_percentile / 100`` (within the tier; the percentile of
      the shrunk rate, see :func:`graphinflu.metrics.tiers.engagement`); missing where
      ``engagement_known`` (or ``rated``) is False, so an account without a rated post is scored
      on the other components, not as engagement 0;
    * ``audience_quality_score`` = percentile rank of ``audience_quality_shrunk`` among accounts
      with followers (:func:`graphinflu.metrics.quality.audience_quality_columns`);
    * ``audience_match_score`` = percentile rank of ``audience_match``.

    Without a brand target the score is the weighted mean

    .. math:: \\text{score} = \\frac{\\sum_c w_c x_c}{\\sum_c w_c}

    summed over the components ``c`` present for the account; a component missing for every
    account (no posts, no brand) is left out and the weights renormalise. Defaults: niche
    authority 0.5, engagement 0.3, audience match 0.2, audience quality 0.2.

    With a brand target (an ``affinity`` weight above 0 and a brand-fit column), brand fit
    **gates** the rest: a creator whose audience is not the brand's is not a brand target,
    however strong its authority, so

    .. math:: \\text{score} = a \\cdot \\frac{w_a + \\sum_{c \\ne a} w_c x_c}{w_a + \\sum_{c \\ne a} w_c}

    with :math:`a` = ``affinity_score``, and authority counted **among the brand's audience**:
    the niche-authority component is ``brand_authority`` = ``niche_authority`` · :math:`a` (brand
    fit is the share of the creator's audience that is the brand's beyond chance, so this is the
    part of its authority that reaches the brand's audience; a niche's leader whose audience is
    not the brand's gains nothing from leading it). The other components (engagement, audience
    quality) describe the creator itself and enter as they are. The score never exceeds the
    brand fit, and the other components can lower it by at most their share of the weights.
    Defaults: affinity 0.5, niche authority 0.3, engagement 0.2, audience quality 0.1. On SNAP
    email-Eu-core's departments (``bench/bench_affinity.py``) this ranks the seeds' department
    at precision@50 0.69 (0.65 with authority counted whole, 0.56 for the weighted mean of the
    same components).

    Examples
    --------
    >>> m = pd.DataFrame({"pagerank": [0.5, 0.3, 0.2], "community": [0, 0, 1],
    ...                   "tier": ["micro", "micro", "micro"]}, index=pd.Index(["a", "b", "c"], name="id"))
    >>> targets(m)["rank"].to_dict()
    {'a': 1, 'c': 2, 'b': 3}
    """
    used = effective_weights(metrics, weights)
    out = metrics.copy()
    # peers are the community's accounts that have an audience: a niche full of followers who
    # are followed by nobody would otherwise push every creator to the top
    has_audience = out["indegree"] > 0 if "indegree" in out else pd.Series(True, index=out.index)
    na = niche_authority(out["pagerank"], out["community"], has_audience)
    out["niche_authority"], out["niche_percentile"] = na["niche_authority"], na["niche_percentile"]
    if _source(out, "engagement"):
        out["engagement_score"] = out["engagement_percentile"] / 100.0
        known = next((out[c] for c in ("engagement_known", "rated") if c in out), None)
        if known is not None:  # no rated post: engagement is unknown, left out of the score, not 0
            out["engagement_score"] = out["engagement_score"].where(known.fillna(False).astype(bool))
    if _source(out, "affinity") == "brand_fit":  # already continuous in [0, 1): kept as it is
        out["affinity_score"] = out["brand_fit"]
    elif _source(out, "affinity"):
        out["affinity_score"] = _pct_rank(out["affinity"])
    if _source(out, "audience_match"):
        out["audience_match_score"] = _pct_rank(out["audience_match"])
    if _source(out, "audience_quality"):
        out["audience_quality_score"] = _pct_rank(out["audience_quality_shrunk"].where(has_audience))
    num = pd.Series(0.0, index=out.index)
    den = pd.Series(0.0, index=out.index)
    gate = used.get("affinity", 0.0) > 0
    if gate:  # authority counts among the brand's audience: the part of it brand fit attributes to the brand
        out["brand_authority"] = out["niche_authority"] * out["affinity_score"].fillna(0.0)
    for name, w in used.items():
        values = out[COMPONENTS[name]]
        if gate and name == "affinity":  # brand fit gates the rest: it multiplies, below
            values = pd.Series(1.0, index=out.index)
        elif gate and name == "niche_authority":
            values = out["brand_authority"]
        ok = values.notna()
        num = num + np.where(ok, w * values.fillna(0.0), 0.0)
        den = den + np.where(ok, w, 0.0)
    out["score"] = (num / den.replace(0.0, np.nan)).fillna(0.0)
    if gate:
        out["score"] = out["affinity_score"].fillna(0.0) * out["score"]
    if tier is not None:
        out = out[out["tier"].astype(str) == tier]
    if "unresolved" in out:  # names no input could tie to an account are not creators to rank
        out = out[~out["unresolved"].fillna(False).astype(bool)]
    if exclude is not None:  # e.g. the brand's own accounts: scored with everyone, never proposed
        out = out[~out.index.isin(pd.Index(exclude).astype(str))]
    niches, categories = [str(n) for n in niches], [str(c) for c in categories]
    if niches:
        by_id = out["community"].astype(str).isin([n.strip() for n in niches])
        words = [n for n in niches if not n.strip().isdigit()]  # a number names a community id only
        by_label = _matches(out["niche_label"], words) if words and "niche_label" in out else False
        out = out[by_id | by_label]
    if categories:
        if "category" not in out:
            raise InputError("--category needs a category column in the profiles, and there is none",
                             hint="load --profiles with a category (or niche/topic/vertical) column, or use --niche")
        out = out[_matches(out["category"], categories)]
    order = np.lexsort((out.index.to_numpy(dtype=str), -out["score"].to_numpy()))
    out = out.iloc[order]
    out["rank"] = np.arange(1, len(out) + 1)
    out["why"] = reasons(out)
    out.attrs["weights"] = used
    return out


def _niche_names(t: pd.DataFrame) -> pd.Series:
    label = t["niche_label"].astype("string").str.strip() if "niche_label" in t else None
    fallback = "niche " + t["community"].astype(str)
    if label is None:
        return fallback
    # a label named after its leading authorities reads "the niche around @a, @b, @c"
    label = label.where(~label.fillna("").str.startswith("around "), "the niche " + label)
    return label.where(label.fillna("") != "", fallback).astype(str)


def _versus_benchmark(t: pd.DataFrame) -> pd.Series:
    """`` vs 1.78% published for Instagram 1K–10K followers (HypeAuditor 2026)``, or
    `` (no published benchmark)``."""
    bench = t["engagement_benchmark"]
    known = (" vs " + (100 * bench).map("{:.2f}%".format) + " published for "
             + t["engagement_benchmark_source"].astype(str))
    return known.where(bench.notna(), " (" + t["engagement_benchmark_source"].astype(str) + ")")


def reasons(t: pd.DataFrame) -> pd.Series:
    """The ``why`` of each target, in words, from the columns its score used.

    Parts, joined with ``"; "``: ``top N% authority in <niche>`` (N = ⌈100·(1 − niche_percentile)⌉,
    at least 1, from ``niche_authority`` when there is no ``niche_percentile`` column; the niche by
    its label, else ``niche <community>``); with engagement, ``engagement 4.1% (shrunk from 6.0% on 2 posts; percentile 92 in tier)`` — the empirical-Bayes rate the
    percentile ranks, then the raw rate — (``engagement 4.1% from 24 posts (percentile 92 in
    tier)`` when there is no ``engagement_rate_shrunk`` column) or ``no rated posts``, followed, when the
    table has ``engagement_benchmark``, by the published rate for the creator's size, `` vs 1.78%
    published for Instagram 1K–10K followers (HypeAuditor 2026)`` (or `` (no published benchmark)``);
    with audience affinity,
    ``41% of its audience is in the brand's audience (lift 4.3×)``, else with audience match,
    ``audience match in the top N%``; with audience quality, ``82% quality followers``.

    >>> t = pd.DataFrame({"niche_authority": [0.97, 0.5], "community": [0, 1],
    ...                   "niche_label": ["fitness (90%)", ""]})
    >>> reasons(t).tolist()
    ['top 3% authority in fitness (90%)', 'top 50% authority in niche 1']
    """
    if t.empty:  # no target (e.g. no account in the tier): text ops on empty float columns would not be text
        return pd.Series([], index=t.index, dtype=object)
    pct = t["niche_percentile"] if "niche_percentile" in t else t["niche_authority"]
    top = np.maximum(np.ceil(100.0 * (1.0 - pct.to_numpy(dtype=float)) - 1e-9), 1).astype(int)
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
        if {"engagement_benchmark", "engagement_benchmark_source"} <= set(t.columns):
            eng = eng + _versus_benchmark(t)
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
    if "audience_quality" in t.columns and t["audience_quality"].notna().any():
        why = why + "; " + t["audience_quality"].map("{:.0f}% quality followers".format).where(
            t["audience_quality"].notna(), "no followers to judge quality")
    return why.astype(object)

