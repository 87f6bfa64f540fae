r"""Audience affinity: how much of a creator's audience is inside a brand's target audience.

The **target audience** ``T`` is made of the accounts that follow the seed accounts (the brand's
own and competitors' accounts) and, when given, a sample of accounts known to be the audience
(``audience=``, e.g. the brand's followers from its own export, or the accounts whose profiles and
posts match the brand's interests). Membership is *weighted*: with ``S`` seeds, an account
following ``j`` of them counts the share of the seeds it follows *beyond chance*,
``max(0, j − e) / S``, where ``e`` is how many of the seeds it would follow if its follows landed
on accounts in proportion to their audiences (``membership="excess"``, the default: a follower
of all three of a brand's accounts is surer to be its audience than a follower of one, and a
follower whose few follows include the brand surer than one who follows everyone);
``membership="share"`` counts ``j / S``, ``membership="any"`` counts every follower of any seed
as 1; an account of the audience sample counts 1. For a creator ``c`` with followers ``F(c)`` we
count

* ``shared`` :math:`k_c = \sum_{u \in F(c)} t_u` (the weighted number of its followers in ``T``)
  and ``audience`` :math:`n_c = |F(c)|`,

and estimate the share of ``c``'s audience inside ``T`` with a Beta-Binomial model whose prior is
centred on the **base rate** :math:`p_0` (the pooled share of all follow edges that come from
the target audience) with prior strength ``m`` (a number of pseudo-followers). A creator with few followers is
pulled towards the base rate; one with many is judged on its own audience — so 1 shared follower
of 2 never beats 400 of 1,000.

All of it is a few sparse matrix–vector products over the follow adjacency (no loop over edges).
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

import numpy as np
import pandas as pd
from scipy.special import betaincinv

from .._np import unique
from ..errors import InputError
from ..graph import Graph

__all__ = ["audience_affinity", "affinity_from_sums", "smoothed_share", "SmoothedShare", "DEFAULT_PRIOR_STRENGTH",
           "MEMBERSHIP", "NEIGHBOURHOODS"]

#: Prior strength ``m`` used by ``prior_strength="auto"`` when it cannot be estimated (no creator
#: with 2 followers, or a base rate of 0 or 1): the prior then counts as much as 20 followers.
DEFAULT_PRIOR_STRENGTH = 20.0
#: How a follower of the seeds counts in the target audience: the share of the seeds it follows
#: beyond chance (``excess``, the default), the ``share`` of the seeds it follows, or 1 (``any``).
MEMBERSHIP: tuple[str, ...] = ("excess", "share", "any")
#: Who makes up an account's audience: its ``followers`` (in-neighbours), or ``both`` directions
#: (followers and followed; for graphs whose edges are exchanges, such as e-mail).
NEIGHBOURHOODS: tuple[str, ...] = ("followers", "both")


def audience_affinity(
    graph: Graph,
    seeds: Iterable | str = (),
    *,
    audience: Iterable | None = None,
    prior_strength: float | str = "auto",
    kinds: str | Iterable[str] = "follows",
    credible: float = 0.9,
    membership: str = "excess",
    neighbourhood: str = "followers",
) -> pd.DataFrame:
    r"""Smoothed share of every account's audience inside the brand's target audience, with its lift.

    With ``A`` the follow adjacency (``A[u, v] = 1`` when ``u`` follows ``v``, over ``kinds``;
    ``A + A^T`` with ``neighbourhood="both"``), ``s`` the 0/1 indicator of the ``S`` distinct seeds
    and ``a`` that of the ``audience`` sample, the membership of account ``u`` in the target
    audience is

    .. math::

        t_u = \max\Big(\frac{\max\big(0,\ (A s)_u - d_u \sigma\big)}{S},\ a_u\Big)
        \quad (\texttt{"excess"}), \qquad
        t_u = \max\big((A s)_u / S,\ a_u\big) \quad (\texttt{"share"}), \qquad
        t_u = \max\big([(A s)_u > 0],\ a_u\big) \quad (\texttt{"any"}),

    set to 0 for accounts that follow nobody (they are in no audience). In ``"excess"``,
    :math:`d_u` is the number of accounts ``u`` follows and :math:`\sigma = \sum_{s} |F(s)| / |E|`
    the seeds' share of all follow edges ``E``: :math:`d_u \sigma` is how many seeds ``u`` is
    expected to follow by chance under the configuration model (follows landing on accounts in
    proportion to their audiences, the null model of modularity [3]_). Following a brand says
    little about an account that follows thousands (it is in every popular account's audience)
    and much about one whose few follows include it; for an account that follows only seeds
    :math:`t_u = j (1 - \sigma) / S`. Then

    .. math::

        k_c = (A^\top t)_c, \qquad n_c = (A^\top \mathbf 1)_c = |F(c)|, \qquad
        p_0 = \frac{\sum_{c \notin S} k_c}{\sum_{c \notin S} n_c}

    (the **base rate**: the pooled share of all follow edges, outside the seeds' own audiences,
    that come from the target audience — what a creator's share is when it is no better than
    chance; an account that follows 50 others is in 50 audiences)

    and, with the prior :math:`\mathrm{Beta}(m p_0,\ m (1-p_0))`, the posterior of the share is
    :math:`\mathrm{Beta}(k_c + m p_0,\ n_c - k_c + m (1-p_0))`, so

    .. math::

        \text{affinity}_c = \frac{k_c + m\,p_0}{n_c + m}, \qquad
        \text{lift}_c = \text{affinity}_c / p_0 .

    ``affinity_low`` / ``affinity_high`` are the equal-tailed ``credible`` interval of that
    posterior (the ``(1 - credible)/2`` and ``(1 + credible)/2`` quantiles).

    Accounts without followers get the prior: affinity ``p0``, lift 1 and the prior's interval.
    When the target audience is empty (the seeds have no followers) or covers every follower,
    ``p0`` is 0 or 1, the prior is a point mass: every affinity and both bounds are ``p0`` and
    every lift is 1. A graph with no edge of ``kinds`` has ``p0 = 0`` (nobody follows anyone).

    Parameters
    ----------
    graph : Graph
    seeds : iterable of ids/handles, or a single id/handle
        The brand's (and competitors') accounts; resolved with :meth:`Graph.positions`. May be
        empty when ``audience`` is given.
    audience : iterable of ids/handles, optional
        Accounts known to be in the target audience (membership 1): a sample of the brand's
        followers, or the accounts matching its interests (:mod:`graphinflu.brand`).
    prior_strength : float or "auto", default "auto"
        ``m > 0``, the prior's weight in followers. ``"auto"`` estimates it by empirical Bayes: the
        method-of-moments fit of a Beta-Binomial with mean ``p0`` to the observed ``(k_c, n_c)``
        of the non-seed creators with at least 2 followers, through Pearson's statistic
        :math:`X^2 = \sum_c n_c (k_c/n_c - p_0)^2 / (p_0(1-p_0))`, whose expectation is
        :math:`\sum_c (\phi + (n_c - \phi)\rho)` for over-dispersion :math:`\rho = 1/(m+1)`
        (Williams 1982), where :math:`\phi = \mathrm{Var}(t_u) / (p_0(1-p_0))` over the follow
        edges (as ``p0``): 1 for 0/1 membership, below 1 for weighted membership, whose followers
        vary less. Each creator weighs by its audience, as in the pooled ``p0``; ``m`` is
        clipped to ``[1, 10^6]``; :data:`DEFAULT_PRIOR_STRENGTH` when it cannot be estimated.
        The estimate never looks at any label: it only asks how much creators' shares vary beyond
        binomial noise (strong variation → weak prior).

        Shrinkage: 1 shared follower of 2 ranks below 400 of 1,000 whenever
        :math:`(1 + m p_0)/(2 + m) < (400 + m p_0)/(1000 + m)`, i.e. for every ``m >= 1`` when
        ``p0 < 0.2`` (and for larger ``m`` up to ``p0 < 0.4``; above that the base rate itself
        exceeds 40%).
    kinds : str or sequence of str, default "follows"
        Edge kinds that make ``u`` part of ``v``'s audience.
    credible : float, default 0.9
        Mass of the credible interval, in ``(0, 1)``.
    membership : {"excess", "share", "any"}, default "excess"
        How a follower of the seeds counts (see above); ``"share"`` and ``"any"`` are the same
        with a single seed.
    neighbourhood : {"followers", "both"}, default "followers"
        An account's audience: its followers, or everyone it is linked to in either direction.

    Returns
    -------
    DataFrame
        Indexed by account id (every account, in account order): ``shared`` (float: the weighted
        count of followers in the target audience), ``audience`` (int), ``affinity``, ``lift``,
        ``affinity_low``, ``affinity_high`` (float). The base rate, prior strength and the number
        of accounts with a membership above 0 are in ``df.attrs["base_rate"]``,
        ``df.attrs["prior_strength"]`` and ``df.attrs["target_audience"]``.

    Raises
    ------
    UnknownAccountError
        Seeds that are not in the graph (all of them are listed).
    InputError
        No seeds and no audience, ``prior_strength`` not > 0 (or not ``"auto"``), ``credible`` not
        in (0, 1), an unknown ``membership`` or ``neighbourhood``.

    Examples
    --------
    ``x`` and ``y`` follow the seed ``brand``; ``x``, ``y`` and ``z`` follow ``c``; ``z`` follows
    ``d``. With ``membership="share"``, ``T = {x, y}``; outside the seed, 2 of the 4 follow
    edges come from ``T``: ``p0 = 1/2``; with ``m = 3``, affinity(c) = (2 + 1.5) / (3 + 3) =
    0.5833 and affinity(d) = (0 + 1.5) / (1 + 3) = 0.375.

    >>> edges = pd.DataFrame({"source": ["x", "y", "x", "y", "z", "z"],
    ...                       "target": ["brand", "brand", "c", "c", "c", "d"]})
    >>> g = Graph.from_pandas(edges)
    >>> df = audience_affinity(g, ["brand"], prior_strength=3, membership="share")
    >>> df.loc[["c", "d", "x"], ["shared", "audience", "affinity", "lift"]].round(4)
    ... # doctest: +NORMALIZE_WHITESPACE
        shared  audience  affinity    lift
    id
    c      2.0         3    0.5833  1.1667
    d      0.0         1    0.3750  0.7500
    x      0.0         0    0.5000  1.0000

    By default (``"excess"``) the brand has 2 of the 6 follow edges (σ = 1/3); ``x`` follows 2
    accounts, so it is expected to follow 2/3 of a seed by chance and counts 1 − 2/3 = 1/3 (so
    does ``y``): shared(c) = 2/3, p0 = (2/3) / 4 = 1/6, affinity(c) = (2/3 + 0.5) / 6 = 0.1944,
    lift 7/6 — the same lifts here, on a smaller base.

    >>> audience_affinity(g, ["brand"], prior_strength=3).loc[["c", "d"], ["shared", "affinity", "lift"]].round(4)
    ... # doctest: +NORMALIZE_WHITESPACE
       shared  affinity    lift
    id
    c  0.6667    0.1944  1.1667
    d  0.0000    0.1250  0.7500

    References
    ----------
    .. [1] A. Gelman et al. *Bayesian Data Analysis*, 3rd ed., §5.3 (Beta-Binomial, hierarchical
       shrinkage of rates).
    .. [2] D. A. Williams, "Extra-binomial variation in logistic linear models", *Applied
       Statistics* 31(2), 1982 (the Pearson X² estimate of over-dispersion).
    .. [3] M. E. J. Newman, "Modularity and community structure in networks", *PNAS* 103(23),
       2006 (the configuration-model expectation of an edge, ``k_u k_v / 2m``).
    """
    if not 0 < credible < 1:
        raise InputError(f"credible must be in (0, 1), got {credible!r}", hint="e.g. credible=0.9")
    if membership not in MEMBERSHIP:
        raise InputError(f"membership must be one of {MEMBERSHIP}, not {membership!r}")
    if neighbourhood not in NEIGHBOURHOODS:
        raise InputError(f"neighbourhood must be one of {NEIGHBOURHOODS}, not {neighbourhood!r}")
    if isinstance(seeds, (str, bytes)):
        seeds = [seeds]
    seeds = list(seeds)
    audience = [] if audience is None else ([audience] if isinstance(audience, (str, bytes)) else list(audience))
    if not seeds and not audience:
        raise InputError("seeds is empty", hint="give at least one account id or handle as seeds (or an audience)")
    pos = graph.positions(seeds, what="seed accounts")  # raises UnknownAccountError naming them all
    sample = graph.positions(audience, what="audience accounts")
    n = graph.n_accounts
    A = graph.adjacency(kinds)
    if neighbourhood == "both":  # u is in c's audience when either follows the other
        A = (A + A.T).tocsr()
        A.data[:] = 1.0
    s = np.zeros(n)
    s[pos] = 1.0
    linked = A @ s  # how many seeds each account follows
    audience_n = np.bincount(A.indices, minlength=n).astype(np.int64)  # followers of each account
    seed_rows = unique(pos)
    n_seeds = max(len(seed_rows), 1)
    if membership == "excess":  # beyond the seeds it would follow by chance (configuration model)
        sigma = float(audience_n[seed_rows].sum()) / A.nnz if A.nnz else 0.0
        member = np.maximum(linked - np.diff(A.indptr) * sigma, 0.0) / n_seeds
    elif membership == "share":
        member = linked / n_seeds
    else:
        member = (linked > 0).astype(np.float64)
    member[sample] = 1.0
    active = np.diff(A.indptr) > 0  # accounts that follow someone: only they can be in an audience
    member = np.where(active, member, 0.0)
    shared = np.asarray(A.T @ member, dtype=np.float64)
    shared_sq = None
    if membership != "any":
        shared_sq = np.asarray(A.T @ np.square(member), dtype=np.float64)
    return affinity_from_sums(graph.ids, shared, audience_n, pos, shared_sq=shared_sq,
                              target_audience=int(np.count_nonzero(member)), prior_strength=prior_strength,
                              credible=credible, membership=membership, neighbourhood=neighbourhood)


def affinity_from_sums(ids, shared, audience_n, seed_pos, *, shared_sq=None, target_audience: int,
                       prior_strength: float | str = "auto", credible: float = 0.9, membership: str = "excess",
                       neighbourhood: str = "followers") -> pd.DataFrame:
    """The table of :func:`audience_affinity` from its per-account sums (any engine's): ``shared``
    (Σ membership over each account's followers), ``audience_n`` (followers), ``shared_sq`` (Σ
    membership², None for 0/1 membership), the seeds' rows ``seed_pos`` and the number of
    accounts with a membership above 0; the base rate, dispersion and smoothing are here."""
    n = len(ids)
    pos = np.asarray(seed_pos, dtype=np.int64)
    fit = audience_n >= 2
    fit[pos] = False  # a seed's audience is T by definition: it says nothing about the spread
    # The base rate is the pooled share of all follow edges (outside the seeds' own audiences)
    # that come from the target audience: an account following 50 others is in 50 audiences.
    others = np.ones(n, bool)
    others[pos] = False
    total = float(audience_n[others].sum())
    p0 = float(shared[others].sum()) / total if total else 0.0
    # with weighted membership one follower varies less than a 0/1 one: phi = Var(t) / (p0 (1 - p0)) <= 1
    phi = 1.0
    if 0.0 < p0 < 1.0 and shared_sq is not None:
        second = float(shared_sq[others].sum()) / total
        phi = float(np.clip((second - p0 * p0) / (p0 * (1.0 - p0)), 1e-9, 1.0))
    est = smoothed_share(shared, audience_n, p0, prior_strength=prior_strength, credible=credible, fit=fit, phi=phi)
    m, affinity, lift, low, high = est.prior_strength, est.share, est.lift, est.low, est.high
    out = pd.DataFrame({"shared": shared, "audience": audience_n, "affinity": affinity, "lift": lift,
                        "affinity_low": low, "affinity_high": high}, index=ids)
    out.index.name = "id"
    out.attrs.update(base_rate=p0, prior_strength=m, dispersion=phi, target_audience=int(target_audience),
                     membership=membership, neighbourhood=neighbourhood)
    return out


class SmoothedShare(NamedTuple):
    """What :func:`smoothed_share` returns (arrays aligned with the counts given)."""

    share: np.ndarray
    lift: np.ndarray
    low: np.ndarray
    high: np.ndarray
    prior_strength: float


def smoothed_share(hits, total, p0: float, *, prior_strength: float | str = "auto", credible: float = 0.9,
                   fit=None, phi: float = 1.0) -> SmoothedShare:
    r"""The Beta-Binomial estimate of a share from ``hits`` out of ``total`` (arrays), shrunk
    towards the base rate ``p0`` with prior strength ``m``: posterior
    :math:`\mathrm{Beta}(k + m p_0,\ n - k + m (1 - p_0))`, its mean ``share``, ``lift`` = share /
    p0 and the equal-tailed ``credible`` interval (``low``, ``high``). ``prior_strength="auto"``
    estimates ``m`` from the rows of ``fit`` (default: ``total >= 2``) by the method of moments
    described in :func:`audience_affinity` (``phi`` is the per-unit dispersion, 1 for 0/1 hits).
    A base rate of 0 or 1 is a point mass: every share is ``p0`` and every lift 1.

    >>> est = smoothed_share(np.array([1, 400]), np.array([2, 1000]), 0.1, prior_strength=10)
    >>> est.share.round(3).tolist(), est.lift.round(2).tolist()
    ([0.167, 0.397], [1.67, 3.97])
    """
    shared = np.asarray(hits, dtype=np.float64)
    total = np.asarray(total)
    fit = total >= 2 if fit is None else np.asarray(fit, bool)
    m = _prior_strength(prior_strength, shared[fit], total[fit], p0, phi)
    a = shared + m * p0
    b = (total - shared) + m * (1.0 - p0)
    share = a / (total + m)
    q = (1.0 - credible) / 2.0
    if 0.0 < p0 < 1.0 and len(shared):
        # Many rows share a (hits, total) pair: the quantiles are computed once per pair
        # (a complex key sorts by both parts, exactly, whatever the weights).
        _, first, inverse = np.unique(shared + 1j * total, return_index=True, return_inverse=True)
        # the Beta quantiles: scipy.special's inverse regularised incomplete beta is beta.ppf itself,
        # without importing scipy.stats (0.3 s on every start)
        low, high = betaincinv(a[first], b[first], np.array([[q], [1.0 - q]]))[:, inverse.ravel()]
        lift = share / p0
    else:  # the prior is a point mass at p0: no data can move it
        share = np.full(len(shared), p0)
        low = high = share
        lift = np.ones(len(shared))
    return SmoothedShare(share, lift, low, high, m)


def _prior_strength(prior_strength, shared: np.ndarray, audience: np.ndarray, p0: float, phi: float = 1.0) -> float:
    """``m`` as given, or for ``"auto"`` its method-of-moments estimate from the creators given
    (``audience >= 2``, not seeds; see audience_affinity)."""
    if isinstance(prior_strength, str):
        if prior_strength != "auto":
            raise InputError(f"prior_strength must be a number > 0 or 'auto', got {prior_strength!r}",
                             hint=f"e.g. prior_strength={DEFAULT_PRIOR_STRENGTH:g}")
        if not len(audience) or not 0.0 < p0 < 1.0:
            return DEFAULT_PRIOR_STRENGTH
        n = audience.astype(np.float64)
        # Pearson's X^2 over the creators, each weighted by its audience as the pooled p0 is:
        # E[X^2] = sum(phi + (n - phi) rho) for a Beta-Binomial with over-dispersion rho
        pearson = float((n * (shared / n - p0) ** 2).sum()) / (p0 * (1.0 - p0))
        rho = (pearson - phi * len(n)) / float((n - phi).sum())
        return float(np.clip(1.0 / rho - 1.0, 1.0, 1e6)) if rho > 0 else 1e6
    try:
        m = float(prior_strength)
    except (TypeError, ValueError) as err:
        raise InputError(f"prior_strength must be a number > 0 or 'auto', got {prior_strength!r}",
                         hint=f"e.g. prior_strength={DEFAULT_PRIOR_STRENGTH:g}") from err
    if not np.isfinite(m) or m <= 0:
        raise InputError(f"prior_strength must be a finite number > 0, got {prior_strength!r}",
                         hint=f"e.g. prior_strength={DEFAULT_PRIOR_STRENGTH:g}")
    return m
