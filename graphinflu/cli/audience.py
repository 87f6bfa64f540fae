"""Audience commands: overlap, similar (lookalikes), shortlist (reach-optimal picks) and quality."""

from __future__ import annotations

import click

from ..errors import InputError
from ..metrics import overlap as ov
from ..metrics.authority import personalized_pagerank
from ..metrics.quality import audience_quality
from ..metrics.shortlist import shortlist as run_shortlist
from ..output import write_table
from ..params import split_list
from ..selection import (creators_by_group, lookalike_filters, parse_tier_costs, quality_followers,
                         shortlist_candidates)
from ._common import read_inputs, note, notes, step
from ._group import cli
from .options import community_options, load_options, output_options, quality_option, quiet_option, sketch_options
from .options import engine_options
from ._spark import overlap_on_spark, shortlist_on_spark, similar_on_spark

VIEWS = {"pairs": ov.overlap_pairs, "creators": ov.overlap_creators, "summary": ov.overlap_summary,
         "histogram": ov.frequency_histogram}
SKETCHED = ("pairs", "summary")  # the views that can estimate with sketches


@cli.command()
@load_options(file_required=True)
@click.option("--accounts", default=None, help="Comma-separated creators (ids or handles).")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Or: the top K accounts by follow in-degree (within --tier/--niche when given).")
@click.option("--tier", default=None, help="Or: the creators of this follower tier (nano, micro, mid, macro, mega).")
@click.option("--niche", type=int, default=None,
              help="Or: the creators of this niche community (ids as `graphinflu communities` prints them).")
@community_options
@click.option("--min-shared", type=int, default=1, show_default=True,
              help="List only pairs sharing at least this many followers.")
@click.option("--view", type=click.Choice(list(VIEWS)), default="pairs", show_default=True,
              help="pairs: one row per pair; creators: per creator; summary: the set; histogram: frequency.")
@sketch_options
@quality_option
@output_options
@engine_options
@quiet_option
def overlap(load, accounts, top, tier, niche, niches, min_shared, view, sketch, quality_only, output, fmt, engine,
            quiet):
    """Audience overlap of chosen creators: --accounts A,B,C, --top K, or a tier within a niche
    (--tier micro --niche 3, optionally with --top K of them).

    Views: pairs (shared, jaccard, overlap_coefficient, share_a_in_b, share_b_in_a), creators
    (audience_size, exclusive, overlapping_pct), summary (total_followers, union_reach,
    exclusive_reach, mean_frequency) and histogram (followers reached exactly f times).
    """
    by_group = tier is not None or niche is not None
    if (accounts is not None) + (top is not None and not by_group) + by_group != 1:
        raise InputError("choose the creators with exactly one of --accounts A,B,C, --top K, or --tier/--niche",
                         hint="--top K may be combined with --tier/--niche to keep the K most followed of them")
    if engine.is_spark:
        df = overlap_on_spark(load, split_list(accounts), top, view, min_shared, engine, quiet,
                              quality_only, tier=tier, niche=niche, niches=niches,
                              sketched=sketch.above is not None)
        return write_table(df, output, fmt)
    graph = read_inputs(load, quiet).graph
    q = quality_followers(graph, quality_only)
    creators, sel = split_list(accounts), dict(top=top, quality=q)
    if by_group:
        chosen = creators_by_group(graph, tier=tier, niche=niche, niches=niches, top=top, quality=q)
        notes(quiet, chosen.notes)
        creators, sel = chosen.ids, dict(top=None, quality=q)
    if view in SKETCHED:
        sel["sketch"] = sketch
    if view == "pairs":
        sel["min_shared"] = min_shared
    with step(quiet, f"overlap ({view})"):
        df = VIEWS[view](graph, creators, **sel)
    write_table(df, output, fmt)


@cli.command()
@load_options(file_required=True)
@click.argument("account")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many lookalikes.")
@click.option("--by", type=click.Choice(["jaccard", "overlap"]), default="jaccard", show_default=True,
              help="Rank by Jaccard or by overlap coefficient (shared / smaller audience).")
@click.option("--tier", default=None, help="Only candidates in this follower tier (nano, micro, mid, macro, mega).")
@click.option("--niche", default=None,
              help="Only candidates in this niche community: a community id (as `graphinflu communities` "
                   "prints with the same niche options), or 'same' for ACCOUNT's own niche.")
@community_options
@click.option("--candidates", default=None, help="Only these comma-separated accounts.")
@click.option("--min-shared", type=int, default=1, show_default=True)
@quality_option
@output_options
@engine_options
@quiet_option
def similar(load, account, top, by, tier, niche, niches, candidates, min_shared, quality_only, output, fmt, engine,
            quiet):
    """Lookalikes of ACCOUNT: creators ranked by audience similarity, with the shared-follower count."""
    if engine.is_spark:
        df = similar_on_spark(load, account, top, by, tier, split_list(candidates), min_shared, engine, quiet,
                              quality_only, niche=niche, niches=niches)
        return write_table(df, output, fmt)
    graph = read_inputs(load, quiet).graph
    filters, said = lookalike_filters(graph, account, tier=tier, niche=niche, niches=niches)
    notes(quiet, said, "")
    df = ov.similar(graph, account, by=by, top=top, candidates=split_list(candidates), min_shared=min_shared,
                    quality=quality_followers(graph, quality_only), **filters)
    if df.empty:
        note(quiet, f"no account shares a follower with {account}")
    write_table(df, output, fmt)


@cli.command()
@load_options(file_required=True)
@click.option("--k", "k", type=click.IntRange(min=1), default=None, help="How many creators to pick.")
@click.option("--budget", type=click.FloatRange(min=0), default=None,
              help="Or: total budget (needs --cost-col or --tier-costs).")
@click.option("--cost-col", default=None, help="Profile column with each creator's cost.")
@click.option("--tier-costs", default=None, help="Default cost per tier, e.g. nano=50,micro=400,mid=3000.")
@click.option("--candidates", default=None, help="Comma-separated accounts that may be picked.")
@click.option("--top-candidates", type=click.IntRange(min=1), default=None,
              help="Or: the top N accounts by follow in-degree (default: every account with followers).")
@click.option("--tier", default=None, help="Only candidates in this follower tier.")
@click.option("--audience-match", "match_seeds", default=None,
              help="Weight each follower by audience match: personalized PageRank from these comma-separated "
                   "seed accounts (a brand's accounts or its target audience); reach is then the matched mass.")
@click.option("--objective", type=click.Choice(["reach", "frequency"]), default="reach", show_default=True)
@click.option("--f", "f", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --objective frequency: people must be reached at least f times.")
@quality_option
@output_options
@engine_options
@quiet_option
def shortlist(load, k, budget, cost_col, tier_costs, candidates, top_candidates, tier, match_seeds, objective, f,
              quality_only, output, fmt, engine, quiet):
    """Reach-optimal shortlist: --k K creators, or spend --budget B, maximising distinct followers
    reached (lazy greedy; marginal and cumulative reach of every pick)."""
    if k is None and budget is None:
        raise InputError("how many creators? give --k K or --budget B",
                         hint="e.g. --k 10, or --budget 5000 --tier-costs nano=50,micro=400")
    if cost_col and tier_costs:
        raise InputError("give --cost-col or --tier-costs, not both",
                         hint="--cost-col reads each creator's cost from a profile column; --tier-costs sets one per tier")
    costs = cost_col or (parse_tier_costs(tier_costs) if tier_costs else None)
    if engine.is_spark:
        df = shortlist_on_spark(load, engine, quiet, quality_only,
                                k=k, budget=budget, costs=costs, candidates=split_list(candidates),
                                top_candidates=top_candidates, tier=tier, seeds=split_list(match_seeds) or (),
                                objective=objective, f=f)
    else:
        graph = read_inputs(load, quiet).graph
        q = quality_followers(graph, quality_only)
        cand, tiers = shortlist_candidates(graph, candidates=split_list(candidates), top_candidates=top_candidates,
                                           tier=tier, need_tiers=bool(tier_costs), quality=q)
        weights = personalized_pagerank(graph, split_list(match_seeds))["ppr"] if match_seeds else None
        with step(quiet, "shortlist"):
            df = run_shortlist(graph, k=k, budget=budget, costs=costs, candidates=cand, objective=objective, f=f,
                               quality=q, tiers=tiers, weights=weights)
    note(quiet, f"{df.attrs['strategy']}: {len(df)} picks, guarantee {df.attrs['guarantee']}")
    if df.attrs.get("stopped_early"):
        note(quiet, "stopped early: no remaining candidate reaches anyone new")
    write_table(df, output, fmt)


@cli.command()
@load_options(file_required=True)
@click.option("--accounts", default=None, help="Comma-separated creators (ids or handles).")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Or: the top K accounts by follow in-degree.")
@click.option("--mass-following", type=float, default=1500, show_default=True,
              help="A follower following more accounts than this is a mass follower.")
@click.option("--influencer-followers", type=float, default=5000, show_default=True,
              help="A follower with at least this many followers is an influencer follower.")
@output_options
@quiet_option
def quality(load, accounts, top, mass_following, influencer_followers, output, fmt, quiet):
    """Audience quality of creators (needs follower profiles, --profiles): the shares of mass,
    influencer, no-post and no-profile followers, and a 0-100 quality score with its breakdown."""
    if (accounts is None) == (top is None):
        raise InputError("choose the creators with exactly one of --accounts A,B,C or --top K")
    graph = read_inputs(load, quiet).graph
    with step(quiet, "audience quality"):
        df = audience_quality(graph, split_list(accounts), top=top, mass_following=mass_following,
                              influencer_followers=influencer_followers)
    write_table(df, output, fmt)
