r"""Niche stability: do the niches survive a change of random seed?

Community detection is randomised: Leiden, Louvain and Infomap visit accounts in a random order,
and two seeds can give two different partitions of about the same quality. A niche that moves
when the seed changes is not one a strategist should build a campaign on.
:func:`niche_stability` runs the same method with ``runs`` seeds (``seed``, ``seed + 1``, …; the
first is the *reference*, the partition every other table shows) and reports

* how much the partitions agree: the **adjusted Rand index** (ARI; Hubert & Arabie 1985) and the
  **normalised mutual information** (NMI, arithmetic mean of the entropies) of every pair of runs;
* for each account, how often it lands with the same niche: in run :math:`r`, the reference
  niche :math:`c` of the account is matched to the run's community :math:`m_r(c)` that holds the
  most of :math:`c`'s accounts (ties: the lower community id, i.e. the larger community); the
  account's ``niche_stability`` is the share of the other runs in which it is in :math:`m_r(c)`.
  1 = always with its niche; a niche that is split in half every time leaves half its accounts
  near 0. (When two reference niches merge in a run, both match the merged community, so a merge
  does not lower stability; the ARI does see it.)

Everything is computed from contingency tables (``scipy.sparse``; one pass over the accounts per
pair of runs), with the same values as ``sklearn.metrics.adjusted_rand_score`` and
``normalized_mutual_info_score`` (the tests check it), special cases included: identical
partitions have ARI 1; two single-community partitions have NMI 1.

ARI reads as "agreement beyond chance on which pairs of accounts share a niche": 1 = the same
partition, 0 = no more than random labels of the same sizes. Below :data:`LOW_ARI` the niches
depend on the seed enough that a report says so.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import InputError
from ..graph import Graph
from ..params import CommunityParams
from . import communities as comm

__all__ = ["LOW_ARI", "STABILITY_RUNS", "niche_stability", "partition_agreement", "stability_line", "stability_note"]

#: Runs (seeds) a stability report compares by default.
STABILITY_RUNS = 5
#: Mean ARI between seeds below which the niches are called unstable. Measured with Leiden over
#: seeds 0-4 (mean pairwise ARI; mean niche_stability): planted niches of ``graphinflu generate``
#: 1.00 (1.00); bundled follower sets 0.81 (0.91); email-Eu-core 0.80 (0.88: one account in eight
#: changes niche between two seeds; seed 0 against seed 1 is the 0.76 that issue #10 found worth
#: telling the user about); wiki-Vote 0.63 (0.75). Below 0.8, more than about one account in
#: eight moves with the seed.
LOW_ARI = 0.8


def _contingency(a: np.ndarray, b: np.ndarray) -> sp.csr_matrix:
    """``C[i, j]`` = accounts labelled ``i`` in ``a`` and ``j`` in ``b`` (labels 0 … k−1)."""
    n = len(a)
    ka = int(a.max()) + 1 if n else 0
    kb = int(b.max()) + 1 if n else 0
    C = sp.csr_matrix((np.ones(n, dtype=np.int64), (a, b)), shape=(ka, kb))
    C.sum_duplicates()
    return C


def _codes(labels) -> np.ndarray:
    values = labels["community"] if isinstance(labels, pd.DataFrame) else labels
    codes, _ = pd.factorize(np.asarray(values), sort=True)
    if (codes < 0).any():
        raise InputError("a partition has missing labels", hint="give every account a community")
    return codes.astype(np.int64)


def _entropy(counts: np.ndarray, n: int) -> float:
    c = counts[counts > 0].astype(np.float64)
    return float(-np.sum((c / n) * (np.log(c) - np.log(n))))


def _agreement(C: sp.csr_matrix, n: int) -> tuple[float, float]:
    """(ARI, NMI) of the two partitions whose contingency table is ``C``."""
    a = np.asarray(C.sum(axis=1)).ravel()
    b = np.asarray(C.sum(axis=0)).ravel()
    # ARI from the pair confusion counts (ordered pairs), in exact integers as sklearn computes it
    sq = int(np.sum(C.data.astype(np.int64) ** 2))
    tp = sq - n
    fp = int(np.sum(b.astype(np.int64) ** 2)) - sq
    fn = int(np.sum(a.astype(np.int64) ** 2)) - sq
    tn = n * n - fp - fn - sq
    if fn == 0 and fp == 0:  # the same partition (or no accounts)
        ari = 1.0
    else:
        ari = 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
    # NMI, arithmetic normalisation
    if len(a) == len(b) <= 1:
        nmi = 1.0
    elif len(a) == 1 or len(b) == 1:
        nmi = 0.0
    else:
        rows, cols, vals = sp.find(C)
        share = vals / n
        # Σ p_ij log(p_ij / (p_i p_j)), written term by term as sklearn does (same rounding)
        outer = a[rows].astype(np.float64) * b[cols]
        terms = share * (np.log(vals) - np.log(n)) + share * (2 * np.log(n) - np.log(outer))
        terms = np.where(np.abs(terms) < np.finfo(np.float64).eps, 0.0, terms)
        mi = float(np.clip(terms.sum(), 0.0, None))
        nmi = 0.0 if mi == 0 else mi / ((_entropy(a, n) + _entropy(b, n)) / 2.0)
    return float(ari), float(nmi)


def partition_agreement(labels_a, labels_b) -> dict[str, float]:
    """ARI and NMI between two partitions of the same accounts (arrays, Series or the DataFrames
    :func:`~graphinflu.metrics.communities.communities` returns, in the same account order).

    Same values as ``sklearn.metrics.adjusted_rand_score`` and
    ``normalized_mutual_info_score(average_method="arithmetic")``, from one sparse contingency
    table.

    >>> partition_agreement([0, 0, 1, 1], [1, 1, 0, 0])
    {'ari': 1.0, 'nmi': 1.0}
    >>> partition_agreement([0, 0, 1, 1], [0, 1, 0, 1])
    {'ari': -0.5, 'nmi': 0.0}
    """
    a, b = _codes(labels_a), _codes(labels_b)
    if len(a) != len(b):
        raise InputError(f"the partitions cover {len(a)} and {len(b)} accounts", hint="compare partitions of one graph")
    ari, nmi = _agreement(_contingency(a, b), len(a))
    return {"ari": ari, "nmi": nmi}


def _same_niche(ref: np.ndarray, run: np.ndarray) -> np.ndarray:
    """Per account: whether, in ``run``, it sits in the community that best matches its
    reference community (most shared accounts; ties to the lower id)."""
    C = _contingency(ref, run).tocoo()
    order = np.lexsort((C.col, -C.data, C.row))  # per reference community: most shared first, then lower id
    rows = C.row[order]
    first = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, dtype=bool)
    best = np.empty(int(ref.max()) + 1 if len(ref) else 0, dtype=np.int64)
    best[rows[first]] = C.col[order][first]
    return run == best[ref]


def stability_line(summary: dict) -> str | None:
    """One line saying how stable the niches are (for stderr and manifests' notes)."""
    if not summary:
        return None
    seeds = summary["seeds"]
    return (f"niche stability over {summary['runs']} seeds ({seeds[0]}-{seeds[-1]}): mean ARI "
            f"{summary['ari_mean']:.2f} (min {summary['ari_min']:.2f}), mean NMI {summary['nmi_mean']:.2f}; "
            f"accounts stay with their niche in {summary['niche_stability_mean']:.0%} of runs on average")


def stability_note(summary: dict) -> str | None:
    """One line warning when the niches depend on the seed (mean ARI below :data:`LOW_ARI`), else None."""
    if not summary or summary.get("ari_mean") is None or summary["ari_mean"] >= summary.get("low_ari", LOW_ARI):
        return None
    return (f"niches change with the seed: mean ARI {summary['ari_mean']:.2f} between {summary['runs']} seeds "
            f"(below {summary.get('low_ari', LOW_ARI)}; 1 = identical); {summary['unstable_accounts']:,} accounts "
            "stay with their niche in fewer than half the runs (niche_stability < 0.5): read niches with care, or "
            "try another --resolution or --method")


def niche_stability(
    graph: Graph,
    params: CommunityParams | None = None,
    *,
    runs: int = STABILITY_RUNS,
    kinds: str | Iterable[str] | None = "follows",
    reference=None,
) -> tuple[pd.DataFrame, dict]:
    """How stable the niches are over ``runs`` seeds; see the module docstring for the definitions.

    Parameters
    ----------
    graph : Graph
    params : CommunityParams, optional
        How niches are found (default ``CommunityParams()``); runs use seeds ``params.seed``,
        ``params.seed + 1``, …, ``params.seed + runs − 1``; the first is the reference.
    runs : int
        Number of runs, at least 2 (default :data:`STABILITY_RUNS`).
    kinds : str, list of str or None
        Edge kinds, as for :func:`~graphinflu.metrics.communities.communities`.
    reference : DataFrame, optional
        The output of ``communities(graph, params, kinds=kinds)`` when the caller has it already
        (saves one run; it must be that partition).

    Returns
    -------
    (DataFrame, dict)
        Per account (indexed by id, account order): ``niche_stability`` in [0, 1]. The summary:
        ``method``, ``runs``, ``seeds``, ``communities`` (count per run), ``ari_mean``,
        ``ari_min``, ``nmi_mean``, ``nmi_min`` (over every pair of runs), ``vs_reference`` (per
        other run: ``seed``, ``ari``, ``nmi``), ``niche_stability_mean``, ``unstable_accounts``
        (``niche_stability`` < 0.5), ``low_ari`` (:data:`LOW_ARI`) and ``low`` (``ari_mean`` below it).

    Examples
    --------
    Two triangles joined by one edge split the same way whatever the seed:

    >>> df = pd.DataFrame({"source": list("abcdefc"), "target": list("bcaefdd")})
    >>> per_account, summary = niche_stability(Graph.from_pandas(df), runs=3)
    >>> per_account["niche_stability"].tolist(), summary["ari_mean"], summary["low"]
    ([1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 1.0, False)
    """
    p = params or CommunityParams()
    if not isinstance(p, CommunityParams):
        raise InputError(f"params must be a CommunityParams, not {type(p).__name__}")
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 2:
        raise InputError(f"stability needs at least 2 runs, not {runs!r}", hint=f"e.g. runs={STABILITY_RUNS}")
    seeds = [p.seed + i for i in range(int(runs))]
    comm.symmetrized_adjacency(graph, symmetrize=p.symmetrize, kinds=kinds, weight=p.weight)  # built once, cached
    labels = [] if reference is None else [comm._membership_codes(graph, reference)]
    # graphinflu's Leiden runs in a thread (its kernels release the GIL): two seeds at a time
    pending = []
    for s in seeds[len(labels):]:
        pending.append(comm.start_communities(graph, p, kinds=kinds, seed=s))
        if len(pending) == 2:
            labels.append(pending.pop(0).result()["community"].to_numpy())
    labels += [x.result()["community"].to_numpy() for x in pending]
    n = graph.n_accounts
    ref = labels[0]
    pairs = [(i, j, *_agreement(_contingency(labels[i], labels[j]), n))
             for i in range(len(labels)) for j in range(i + 1, len(labels))]
    same = np.zeros(n, dtype=np.float64)
    for run in labels[1:]:
        same += _same_niche(ref, run)
    stability = same / (len(labels) - 1)
    out = pd.DataFrame({"niche_stability": stability}, index=graph.ids.copy())
    out.index.name = "id"
    ari = np.array([x[2] for x in pairs])
    nmi = np.array([x[3] for x in pairs])
    summary = {
        "method": p.method,
        "runs": len(labels),
        "seeds": seeds,
        "communities": [int(x.max()) + 1 if n else 0 for x in labels],
        "ari_mean": float(ari.mean()),
        "ari_min": float(ari.min()),
        "nmi_mean": float(nmi.mean()),
        "nmi_min": float(nmi.min()),
        "vs_reference": [{"seed": seeds[j], "ari": a, "nmi": m} for i, j, a, m in pairs if i == 0],
        "niche_stability_mean": float(stability.mean()) if n else 1.0,
        "unstable_accounts": int((stability < 0.5).sum()),
        "low_ari": LOW_ARI,
    }
    summary["low"] = bool(summary["ari_mean"] < LOW_ARI)
    return out, summary
