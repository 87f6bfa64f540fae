"""Audience commands: overlap, similar (lookalikes) and shortlist (reach-optimal picks)."""

from __future__ import annotations

import click

from ..errors import InputError
from ._common import edge_options, handle_errors, note, output_options, quiet_option, step
from ._group import cli

FILE_ARG = click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
VIEWS = ("pairs", "creators", "summary", "histogram")


def _load(file, quiet, **edge):
    from .core import load

    return load(file, quiet=quiet, **edge).graph


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    if not items:
        raise InputError("the account list is empty", hint="give comma-separated ids or handles, e.g. A,B,C")
    return items


def _group(graph, *, tier, niche, resolution, seed, top, quality, quiet) -> list[str]:
    """The creators of a tier within a niche that have followers, the ``top`` most followed first."""
    import numpy as np

    from ..metrics.communities import communities
    from ..metrics.overlap import audience_sizes, creators_in
    from ..metrics.tiers import tiers as compute_tiers

    comms = communities(graph, resolution=resolution, seed=seed)["community"] if niche is not None else None
    ids = creators_in(compute_tiers(graph)["tier"], comms, tier=tier, niche=niche)
    pos = graph.positions(ids)
    size = audience_sizes(graph, quality=quality)[pos]
    keep = size > 0
    if (~keep).any():
        note(quiet, f"{int((~keep).sum()):,} accounts of that tier/niche have no followers in the graph: left out")
    pos, size = pos[keep], size[keep]
    if len(pos) == 0:
        raise InputError("no account of that tier/niche has followers in the graph",
                         hint="check --tier/--niche (and --direction for 'account,follower' files)")
    order = np.lexsort((pos, -size))
    if top is not None:
        order = order[:top]
    return list(graph.ids[pos[order]])


def _quality(graph, quality_only: bool):
    if not quality_only:
        return None
    from ..metrics.quality import quality_mask

    return quality_mask(graph)


def _edge_kwargs(source_col, target_col, direction, delimiter, header, profiles, interactions, interaction_kind, posts):
    return dict(source_col=source_col, target_col=target_col, direction=direction, delimiter=delimiter, header=header,
                profiles=profiles, interactions=interactions, interaction_kind=interaction_kind, posts=posts)


quality_option = click.option(
    "--quality-only", is_flag=True,
    help="Count only quality followers (a profile, following ≤ 1,500, some posts; needs --profiles).")


@cli.command()
@FILE_ARG
@edge_options
@click.option("--accounts", default=None, help="Comma-separated creators (ids or handles).")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Or: the top K accounts by follow in-degree (within --tier/--niche when given).")
@click.option("--tier", default=None, help="Or: the creators of this follower tier (nano, micro, mid, macro, mega).")
@click.option("--niche", type=int, default=None,
              help="Or: the creators of this niche community (ids as `graphinflu communities` prints them).")
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Community resolution (--niche).")
@click.option("--seed", type=int, default=0, show_default=True, help="Community seed (--niche).")
@click.option("--min-shared", type=int, default=1, show_default=True,
              help="List only pairs sharing at least this many followers.")
@click.option("--view", type=click.Choice(VIEWS), default="pairs", show_default=True,
              help="pairs: one row per pair; creators: per creator; summary: the set; histogram: frequency.")
@click.option("--sketch-above", type=int, default=None,
              help="Estimate (theta sketches, with bounds) pairs and union reach of creators above this audience.")
@click.option("--lg-k", type=int, default=12, show_default=True, help="Sketch size 2**lg_k.")
@click.option("--sketch-seed", type=int, default=9001, show_default=True, help="Sketch hash seed.")
@quality_option
@output_options
@quiet_option
@handle_errors
def overlap(file, source_col, target_col, direction, delimiter, header, profiles, interactions, interaction_kind,
            posts, accounts, top, tier, niche, resolution, seed, min_shared, view, sketch_above, lg_k, sketch_seed,
            quality_only, output, fmt, quiet):
    """Audience overlap of chosen creators: --accounts A,B,C, --top K, or a tier within a niche
    (--tier micro --niche 3, optionally with --top K of them).

    Views: pairs (shared, jaccard, overlap_coefficient, share_a_in_b, share_b_in_a), creators
    (audience_size, exclusive, overlapping_pct), summary (total_followers, union_reach,
    exclusive_reach, mean_frequency) and histogram (followers reached exactly f times).
    """
    from ..metrics import overlap as ov
    from ..output import write_table

    by_group = tier is not None or niche is not None
    if (accounts is not None) + (top is not None and not by_group) + by_group != 1:
        raise InputError("choose the creators with exactly one of --accounts A,B,C, --top K, or --tier/--niche",
                         hint="--top K may be combined with --tier/--niche to keep the K most followed of them")
    graph = _load(file, quiet, **_edge_kwargs(source_col, target_col, direction, delimiter, header, profiles,
                                              interactions, interaction_kind, posts))
    q = _quality(graph, quality_only)
    sel = dict(top=top, quality=q)
    creators = _split(accounts)
    if by_group:
        creators = _group(graph, tier=tier, niche=niche, resolution=resolution, seed=seed, top=top, quality=q,
                          quiet=quiet)
        sel = dict(top=None, quality=q)
    with step(quiet, f"overlap ({view})"):
        if view == "pairs":
            df = ov.overlap_pairs(graph, creators, min_shared=min_shared, sketch_above=sketch_above, lg_k=lg_k,
                                  seed=sketch_seed, **sel)
        elif view == "creators":
            df = ov.overlap_creators(graph, creators, **sel)
        elif view == "summary":
            df = ov.overlap_summary(graph, creators, sketch_above=sketch_above, lg_k=lg_k, seed=sketch_seed, **sel)
        else:
            df = ov.frequency_histogram(graph, creators, **sel)
    write_table(df, output, fmt)


@cli.command()
@FILE_ARG
@click.argument("account")
@edge_options
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many lookalikes.")
@click.option("--by", type=click.Choice(["jaccard", "overlap"]), default="jaccard", show_default=True,
              help="Rank by Jaccard or by overlap coefficient (shared / smaller audience).")
@click.option("--tier", default=None, help="Only candidates in this follower tier (nano, micro, mid, macro, mega).")
@click.option("--niche", default=None,
              help="Only candidates in this niche community: a community id (as `graphinflu communities` "
                   "prints with the same --resolution/--seed), or 'same' for ACCOUNT's own niche.")
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Community resolution (--niche).")
@click.option("--seed", type=int, default=0, show_default=True, help="Community seed (--niche).")
@click.option("--candidates", default=None, help="Only these comma-separated accounts.")
@click.option("--min-shared", type=int, default=1, show_default=True)
@quality_option
@output_options
@quiet_option
@handle_errors
def similar(file, account, source_col, target_col, direction, delimiter, header, profiles, interactions,
            interaction_kind, posts, top, by, tier, niche, resolution, seed, candidates, min_shared, quality_only,
            output, fmt, quiet):
    """Lookalikes of ACCOUNT: creators ranked by audience similarity, with the shared-follower count."""
    from ..metrics.overlap import similar as run
    from ..output import write_table

    graph = _load(file, quiet, **_edge_kwargs(source_col, target_col, direction, delimiter, header, profiles,
                                              interactions, interaction_kind, posts))
    tiers = None
    if tier is not None:
        from ..metrics.tiers import tiers as compute_tiers

        tiers = compute_tiers(graph)["tier"]
    comms = None
    if niche is not None:
        from ..metrics.communities import communities as compute_communities

        comms = compute_communities(graph, resolution=resolution, seed=seed)["community"]
        if niche == "same":
            niche = int(comms.iloc[graph.positions([account])[0]])
            note(quiet, f"{account} is in niche {niche}")
        else:
            try:
                niche = int(niche)
            except ValueError as err:
                raise InputError(f"--niche must be a community id or 'same', not {niche!r}") from err
    df = run(graph, account, by=by, top=top, tier=tier, tiers=tiers, niche=niche, communities=comms,
             candidates=_split(candidates), min_shared=min_shared, quality=_quality(graph, quality_only))
    if df.empty:
        note(quiet, f"no account shares a follower with {account}")
    write_table(df, output, fmt)


def _tier_costs(value: str) -> dict[str, float]:
    out = {}
    for part in value.split(","):
        if "=" not in part:
            raise InputError(f"--tier-costs wants TIER=COST pairs, got {part!r}", hint="e.g. --tier-costs nano=50,micro=400")
        name, cost = part.split("=", 1)
        try:
            out[name.strip()] = float(cost)
        except ValueError as err:
            raise InputError(f"--tier-costs: cost {cost!r} for {name!r} is not a number") from err
    return out


@cli.command()
@FILE_ARG
@edge_options
@click.option("--k", "k", type=int, default=None, help="How many creators to pick.")
@click.option("--budget", type=float, default=None, help="Or: total budget (needs --cost-col or --tier-costs).")
@click.option("--cost-col", default=None, help="Profile column with each creator's cost.")
@click.option("--tier-costs", default=None, help="Default cost per tier, e.g. nano=50,micro=400,mid=3000.")
@click.option("--candidates", default=None, help="Comma-separated accounts that may be picked.")
@click.option("--top-candidates", type=int, default=None,
              help="Or: the top N accounts by follow in-degree (default: every account with followers).")
@click.option("--tier", default=None, help="Only candidates in this follower tier.")
@click.option("--audience-match", "match_seeds", default=None,
              help="Weight each follower by audience match: personalized PageRank from these comma-separated "
                   "seed accounts (a brand's accounts or its target audience); reach is then the matched mass.")
@click.option("--objective", type=click.Choice(["reach", "frequency"]), default="reach", show_default=True)
@click.option("--f", "f", type=int, default=1, show_default=True,
              help="With --objective frequency: people must be reached at least f times.")
@quality_option
@output_options
@quiet_option
@handle_errors
def shortlist(file, source_col, target_col, direction, delimiter, header, profiles, interactions, interaction_kind,
              posts, k, budget, cost_col, tier_costs, candidates, top_candidates, tier, match_seeds, objective, f,
              quality_only, output, fmt, quiet):
    """Reach-optimal shortlist: --k K creators, or spend --budget B, maximising distinct followers
    reached (lazy greedy; marginal and cumulative reach of every pick)."""
    import numpy as np

    from ..metrics.overlap import select_creators
    from ..metrics.shortlist import shortlist as run
    from ..output import write_table

    if k is None and budget is None:
        raise InputError("give --k K or --budget B")
    if cost_col and tier_costs:
        raise InputError("give --cost-col or --tier-costs, not both")
    if candidates and top_candidates:
        raise InputError("give --candidates or --top-candidates, not both")
    graph = _load(file, quiet, **_edge_kwargs(source_col, target_col, direction, delimiter, header, profiles,
                                              interactions, interaction_kind, posts))
    q = _quality(graph, quality_only)
    cand = _split(candidates)
    if top_candidates is not None:
        cand = list(graph.ids[select_creators(graph, top=top_candidates, quality=q)])
    tiers = None
    if tier is not None or tier_costs:
        from ..metrics.tiers import tiers as compute_tiers

        tiers = compute_tiers(graph)["tier"]
    if tier is not None:
        keep = (tiers.astype(str) == tier).to_numpy()
        if cand is not None:
            keep &= graph.ids.isin(cand)
        if not keep.any():
            raise InputError(f"no candidate in tier {tier!r}", hint=f"tiers present: {sorted(set(tiers.astype(str)))}")
        from ..metrics.overlap import audience_sizes

        keep &= audience_sizes(graph, quality=q) > 0
        cand = list(graph.ids[np.flatnonzero(keep)])
    costs = cost_col if cost_col else (_tier_costs(tier_costs) if tier_costs else None)
    weights = None
    if match_seeds:
        from ..metrics.authority import personalized_pagerank

        weights = personalized_pagerank(graph, _split(match_seeds))["ppr"]
    with step(quiet, "shortlist"):
        df = run(graph, k=k, budget=budget, costs=costs, candidates=cand, objective=objective, f=f, quality=q,
                 tiers=tiers, weights=weights)
    note(quiet, f"{df.attrs['strategy']}: {len(df)} picks, guarantee {df.attrs['guarantee']}")
    if df.attrs.get("stopped_early"):
        note(quiet, "stopped early: no remaining candidate reaches anyone new")
    write_table(df, output, fmt)


@cli.command()
@FILE_ARG
@edge_options
@click.option("--accounts", default=None, help="Comma-separated creators (ids or handles).")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Or: the top K accounts by follow in-degree.")
@click.option("--mass-following", type=float, default=1500, show_default=True,
              help="A follower following more accounts than this is a mass follower.")
@click.option("--influencer-followers", type=float, default=5000, show_default=True,
              help="A follower with at least this many followers is an influencer follower.")
@output_options
@quiet_option
@handle_errors
def quality(file, source_col, target_col, direction, delimiter, header, profiles, interactions, interaction_kind,
            posts, accounts, top, mass_following, influencer_followers, output, fmt, quiet):
    """Audience quality of creators (needs follower profiles, --profiles): the shares of mass,
    influencer, no-post and no-profile followers, and a 0-100 quality score with its breakdown."""
    from ..metrics.quality import audience_quality
    from ..output import write_table

    if (accounts is None) == (top is None):
        raise InputError("choose the creators with exactly one of --accounts A,B,C or --top K")
    graph = _load(file, quiet, **_edge_kwargs(source_col, target_col, direction, delimiter, header, profiles,
                                              interactions, interaction_kind, posts))
    if profiles is None:
        note(quiet, "no --profiles: every follower counts as having no profile")
    with step(quiet, "audience quality"):
        df = audience_quality(graph, _split(accounts), top=top, mass_following=mass_following,
                              influencer_followers=influencer_followers)
    write_table(df, output, fmt)
