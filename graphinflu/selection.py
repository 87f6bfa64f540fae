"""Choosing accounts: who to rank, compare, shortlist or look alike — the grouping, filtering and
sorting the commands need, as library functions with their own tests (the CLI only calls them).

Every function that leaves accounts out says so: it returns the notes a caller should show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .graph import Graph
from .metrics import authority, communities as comm, overlap, quality as qual, tiers as tr
from .params import CommunityParams


@dataclass
class Selection:
    """Account ids chosen, in order, and notes on what was left out and why."""

    ids: list[str] | None
    notes: list[str] = field(default_factory=list)


def quality_followers(graph: Graph, quality_only: bool) -> pd.Series | None:
    """The quality-follower mask (:func:`~graphinflu.metrics.quality.quality_mask`) when asked."""
    return qual.quality_mask(graph) if quality_only else None


def niche_id(niche) -> int:
    """``--niche`` given as a community id, as an int; the message for anything else."""
    try:
        return int(niche)
    except (TypeError, ValueError) as err:
        raise InputError(f"--niche must be a community id or 'same', not {niche!r}") from err


def niche_of(graph: Graph, niches: CommunityParams) -> pd.Series:
    """Community id of every account (a Series indexed by id)."""
    return comm.communities(graph, **niches.kwargs())["community"]


def creators_by_group(graph: Graph, *, tier: str | None = None, niche: int | None = None,
                      niches: CommunityParams | None = None, top: int | None = None,
                      quality: pd.Series | None = None) -> Selection:
    """The creators of ``tier`` within ``niche`` that have followers, most followed first.

    Followers are counted in the follow graph (only quality followers when ``quality`` is
    given); ties keep account order. ``top`` keeps the first ``top`` of them. Creators without
    any follower are left out, with a note.

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "b"]}))
    >>> creators_by_group(g, tier="nano").ids
    ['b', 'c']
    """
    comms = niche_of(graph, niches or CommunityParams()) if niche is not None else None
    ids = overlap.creators_in(tr.tiers(graph)["tier"], comms, tier=tier, niche=niche)
    pos = graph.positions(ids)
    size = overlap.audience_sizes(graph, quality=quality)[pos]
    keep = size > 0
    notes = []
    if (~keep).any():
        notes.append(f"{int((~keep).sum()):,} accounts of that tier/niche have no followers in the graph: left out")
    pos, size = pos[keep], size[keep]
    if len(pos) == 0:
        raise InputError("no account of that tier/niche has followers in the graph",
                         hint="check --tier/--niche (and --direction for 'account,follower' files)")
    order = np.lexsort((pos, -size))
    if top is not None:
        order = order[:top]
    return Selection(list(graph.ids[pos[order]]), notes)


def lookalike_filters(graph: Graph, account: str, *, tier: str | None = None, niche: str | int | None = None,
                      niches: CommunityParams | None = None) -> tuple[dict, list[str]]:
    """The ``tiers``/``niche``/``communities`` keyword arguments of
    :func:`~graphinflu.metrics.overlap.similar` for a tier and a niche given as a community id or
    ``"same"`` (``account``'s own niche), plus notes."""
    out: dict = {"tier": tier, "tiers": tr.tiers(graph)["tier"] if tier is not None else None,
                 "niche": None, "communities": None}
    notes = []
    if niche is not None:
        comms = niche_of(graph, niches or CommunityParams())
        if niche == "same":
            niche = int(comms.iloc[graph.positions([account])[0]])
            notes.append(f"{account} is in niche {niche}")
        else:
            niche = niche_id(niche)
        out.update(niche=niche, communities=comms)
    return out, notes


def parse_tier_costs(value: str) -> dict[str, float]:
    """``"nano=50,micro=400"`` → ``{"nano": 50.0, "micro": 400.0}``.

    >>> parse_tier_costs("nano=50, micro=400")
    {'nano': 50.0, 'micro': 400.0}
    """
    out = {}
    for part in value.split(","):
        if "=" not in part:
            raise InputError(f"--tier-costs wants TIER=COST pairs, got {part!r}",
                             hint="e.g. --tier-costs nano=50,micro=400")
        name, cost = part.split("=", 1)
        try:
            number = float(cost)
        except ValueError as err:
            raise InputError(f"--tier-costs: cost {cost!r} for {name.strip()!r} is not a number") from err
        if not np.isfinite(number) or number < 0:
            raise InputError(f"--tier-costs: cost for {name.strip()!r} must be a finite number of at least 0, "
                             f"not {cost.strip()!r}")
        out[name.strip()] = number
    return out


def shortlist_candidates(graph: Graph, *, candidates: list[str] | None = None, top_candidates: int | None = None,
                         tier: str | None = None, need_tiers: bool = False,
                         quality: pd.Series | None = None) -> tuple[list[str] | None, pd.Series | None]:
    """Who the shortlist may pick, and the tier labels when a tier filter or tier costs need them.

    ``candidates`` (ids or handles) or the ``top_candidates`` most followed accounts (not both);
    ``tier`` then keeps those of that tier that have followers. ``None`` means every account with
    followers (the shortlist's default).
    """
    if candidates is not None and top_candidates is not None:
        raise InputError("give --candidates or --top-candidates, not both")
    cand = candidates
    if top_candidates is not None:
        cand = list(graph.ids[overlap.select_creators(graph, top=top_candidates, quality=quality)])
    tiers = tr.tiers(graph)["tier"] if (tier is not None or need_tiers) else None
    if tier is not None:
        keep = (tiers.astype(str) == tier).to_numpy(copy=True)  # a view is read-only under copy-on-write
        if cand is not None:
            keep &= graph.ids.isin(graph.ids[graph.positions(cand)])
        if not keep.any():
            raise InputError(f"no candidate in tier {tier!r}", hint=f"tiers present: {sorted(set(tiers.astype(str)))}"
                             " (tiers come from profile follower counts: give --profiles)")
        keep &= overlap.audience_sizes(graph, quality=quality) > 0
        cand = list(graph.ids[np.flatnonzero(keep)])
    return cand, tiers


def check_ranking(by: str, seeds: list[str] | None = None) -> dict:
    """The options the ranker ``by`` gets (``damping``, ``seeds``); raises for an unknown ranker or
    missing seeds, so a command can fail before it reads any file."""
    accepted = authority.ranker_options(by)
    if "seeds" in accepted and not seeds:
        raise InputError(f"--by {by} needs --seeds", hint="e.g. --seeds brand_account,another_account")
    return {name: None for name in accepted}


def ranking(graph: Graph, by: str = "pagerank", *, seeds: list[str] | None = None, damping: float = 0.85,
            top: int | None = None) -> pd.DataFrame:
    """Every account ranked by the authority score ``by`` (:data:`~graphinflu.metrics.authority.RANKERS`),
    highest first (ties keep account order): ``rank`` (1, 2, ...), ``handle`` and the score.

    >>> g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "b"]}))
    >>> ranking(g, "indegree")[["rank", "indegree"]].to_dict("list")
    {'rank': [1, 2, 3], 'indegree': [2, 1, 0]}
    """
    accepted = check_ranking(by, seeds)
    opts = {k: v for k, v in (("damping", damping), ("seeds", seeds)) if k in accepted}
    table = authority.RANKERS[by](graph, **opts)
    table = table.sort_values(table.columns[0], ascending=False, kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    table.insert(1, "handle", graph.accounts["handle"].reindex(table.index))
    return table.head(top) if top is not None else table
