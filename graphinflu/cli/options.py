"""Shared click decorators: each option group is written once and arrives as one parameter object.

``@load_options()`` adds FILE and every input option and passes ``load=LoadOptions(...)``;
``@community_options`` passes ``niches=CommunityParams(...)``; ``@target_options`` passes
``target=TargetParams(...)``. A command that loads files or finds niches therefore takes the same
options, with the same names, defaults and help, as every other one.
"""

from __future__ import annotations

import functools

import click

from ..brand import read_audience_file
from ..metrics.sketches import SketchParams
from ..metrics.targets import COMPONENTS
from ..metrics.tiers import DEFAULT_TIERS
from ..output import FORMATS, check_output
from ..params import (DIRECTIONS, LEIDEN_ENGINES, METHODS, SYMMETRIZE, BrandTarget, CommunityParams, EngagementParams,
                      EngineParams, LoadOptions, TargetParams, split_list)


def _apply(wrapper, options):
    for opt in reversed(options):
        wrapper = opt(wrapper)
    return wrapper


def option_group(name: str, options: list, build):
    """A decorator that adds ``options`` to a command and hands it one object instead:
    ``name=build(**values)``, ``values`` being those options by their Python names. Every shared
    option group below is one of these, so each group is written out exactly once."""

    def probe():
        pass

    keys = [p.name for p in _apply(probe, options).__click_params__]

    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            values = {k: kwargs.pop(k) for k in keys}
            return f(*args, **{name: build(**values)}, **kwargs)

        return _apply(wrapper, options)

    return decorate


def load_options(*, file_required: bool = False, file_help: str = "FILE"):
    """FILE (the follow edge list; ``-`` reads stdin) and how every input is read → ``load``."""
    options = [
        click.argument("file", metavar=file_help if file_required else f"[{file_help}]",
                       type=click.Path(dir_okay=False, allow_dash=True), required=file_required),
        click.option("--source-col", default=None,
                     help="Follower column, by name or 0-based number (default: source/follower/..., else the first)."),
        click.option("--target-col", default=None,
                     help="Followed column, by name or 0-based number (default: target/followed/..., else the second)."),
        click.option("--direction", type=click.Choice(DIRECTIONS), default="follower-followed", show_default=True,
                     help="How the two columns are read; followed-follower is for 'account,follower' files."),
        click.option("--delimiter", default=None, help="Column delimiter (default: sniffed; ' ' = whitespace)."),
        click.option("--header/--no-header", default=None,
                     help="Whether the first row names the columns (default: detected)."),
        click.option("--profiles", type=click.Path(dir_okay=False), default=None,
                     help="Account profiles (followers, following, posts, category, ...)."),
        click.option("--interactions", type=click.Path(dir_okay=False), default=None,
                     help="Interaction edges (source, target[, kind, weight, timestamp])."),
        click.option("--interaction-kind", default="mentions", show_default=True,
                     help="Kind of interaction rows without a kind column."),
        click.option("--posts", type=click.Path(dir_okay=False), default=None,
                     help="Posts table (owner, likes, comments, mentions, tagged users, hashtags, sponsors)."),
    ]

    def build(file, source_col, target_col, direction, delimiter, header, profiles, interactions, interaction_kind,
              posts):
        return LoadOptions(follows=file, profiles=profiles, interactions=interactions, posts=posts,
                           interaction_kind=interaction_kind, source=source_col, target=target_col,
                           direction=direction, delimiter=delimiter, header=header)

    return option_group("load", options, build)


def community_options(f):
    """How niches are found → ``niches`` (a :class:`~graphinflu.params.CommunityParams`)."""
    options = [
        click.option("--method", type=click.Choice(METHODS), default="leiden", show_default=True,
                     help="Community detection for the niches: leiden or louvain (modularity), cpm (Leiden, Constant "
                          "Potts Model: niches denser than a threshold), infomap (igraph's map equation)."),
        click.option("--resolution", type=float, default=1.0, show_default=True,
                     help="Modularity resolution: above 1 gives more, smaller niches. With --method cpm, the density "
                          "a niche must exceed, in units of the graph's density (2 = twice as dense). "
                          "Ignored by infomap."),
        click.option("--seed", type=int, default=0, show_default=True,
                     help="Random seed of the niches (maps: of the layout too)."),
        click.option("--symmetrize", type=click.Choice(SYMMETRIZE), default="collapse", show_default=True,
                     help="How directed follows become undirected edges for niches."),
        click.option("--leiden-iterations", type=int, default=2, show_default=True,
                     help="Leiden iterations; a negative number iterates until the partition stops improving. "
                          "1 is faster on large graphs, more finds slightly better communities."),
        click.option("--leiden-engine", type=click.Choice(LEIDEN_ENGINES), default="graphinflu", show_default=True,
                     help="graphinflu's compiled Leiden, or igraph's community_leiden (slower; a reference)."),
    ]

    def build(method, resolution, seed, symmetrize, leiden_iterations, leiden_engine):
        return CommunityParams(method=method, resolution=resolution, seed=seed, symmetrize=symmetrize,
                               n_iterations=leiden_iterations, engine=leiden_engine)

    return option_group("niches", options, build)(f)


def target_options(f):
    """What the brand wants → ``target`` (a :class:`~graphinflu.params.TargetParams`)."""
    options = [
        click.option("--brand", "--seeds", "seeds", default=None,
                     help="Comma-separated ids or handles of the brand's own accounts: their followers are its "
                          "target audience (adds audience_match and affinity)."),
        click.option("--competitors", default=None,
                     help="Comma-separated competitors' accounts: their followers are target audience too."),
        click.option("--brand-audience", "brand_audience", default=None, metavar="FILE",
                     help="Accounts known to be the target audience (e.g. the brand's followers): one id or handle "
                          "per line, or a table with an id or handle column."),
        click.option("--interests", default=None,
                     help="Comma-separated keywords, hashtags and categories matched against profiles and posts "
                          "(adds interest_affinity, interest_post_share)."),
        click.option("--tier", default="micro", show_default=True,
                     help="Tier the targets are drawn from: " + ", ".join(name for name, _ in DEFAULT_TIERS)
                          + " (or those of --tier-bounds), or 'all'."),
        click.option("--tier-bounds", default=None, metavar="NAME=LOWER,...",
                     help="Follower tiers, lowest first from 0 (default: nano=0,micro=1000,mid=50000,"
                          "macro=500000,mega=1000000); k and M work (micro=1k)."),
        click.option("--overlap-top", type=click.IntRange(min=2), default=100, show_default=True,
                     help="Audience overlap among this many top targets."),
        click.option("--shortlist-k", type=click.IntRange(min=1), default=None,
                     help="Creators in the reach shortlist (default 20; with --budget, as many as fit)."),
        click.option("--weights", default=None, metavar="NAME=W,...",
                     help="Weights of the targets score: " + ", ".join(COMPONENTS) + " (default: affinity 0.5, "
                          "niche_authority 0.3, engagement 0.2, audience_quality 0.1 with a brand; "
                          "else niche_authority 0.5, engagement 0.3, audience_match 0.2, audience_quality 0.2)."),
        click.option("--niche", "niche_filter", default=None, help="Only targets in these niches: community ids or words "
                                                             "of the niche label, comma-separated."),
        click.option("--category", "category_filter", default=None,
                     help="Only targets whose profile category contains one of these words, comma-separated."),
        click.option("--budget", type=float, default=None, help="Total the shortlist may spend (needs --cost-col or "
                                                               "--tier-costs)."),
        click.option("--cost-col", default=None, help="Profile column with each creator's cost."),
        click.option("--tier-costs", default=None, metavar="TIER=COST,...",
                     help="Cost per tier instead of --cost-col, e.g. nano=50,micro=400."),
    ]

    def build(seeds, competitors, brand_audience, interests, tier, tier_bounds, overlap_top, shortlist_k, weights,
              niche_filter, category_filter, budget, cost_col, tier_costs):
        brand = BrandTarget(accounts=() if seeds is None else split_list(seeds),
                            competitors=() if competitors is None else split_list(competitors),
                            audience=() if brand_audience is None else read_audience_file(brand_audience),
                            audience_file=brand_audience, interests=interests)
        return TargetParams(tier=tier, brand=brand, overlap_top=overlap_top, shortlist_k=shortlist_k,
                            tier_bounds=DEFAULT_TIERS if tier_bounds is None else tier_bounds,
                            weights=weights, niches=niche_filter or (), categories=category_filter or (), budget=budget,
                            cost_col=cost_col, tier_costs=tier_costs or ())

    return option_group("target", options, build)(f)


def engagement_options(f):
    """Which posts engagement counts and whose benchmarks judge it → ``engage`` (a
    :class:`~graphinflu.params.EngagementParams`)."""
    options = [
        click.option("--since", default=None, metavar="DATE",
                     help="Count only posts at or after DATE (e.g. 2024-01-01 or 2024-01-01T09:00+01:00; no offset = "
                          "UTC). Posts without a timestamp are left out and counted in posts_undated."),
        click.option("--until", default=None, metavar="DATE",
                     help="Count only posts before DATE (excluded: --until 2024-07-01 ends with June 30)."),
        click.option("--platform", default="instagram", show_default=True,
                     help="Published engagement benchmarks to compare creators with: instagram, tiktok, or none."),
    ]

    def build(since, until, platform):
        return EngagementParams(since=since, until=until, platform=platform)

    return option_group("engage", options, build)(f)


def sketch_options(f):
    """When audience figures are estimated → ``sketch`` (a :class:`~graphinflu.metrics.sketches.SketchParams`)."""
    options = [
        click.option("--sketch-above", type=click.IntRange(min=0), default=None,
                     help="Estimate (theta sketches, with bounds) pairs and union reach of creators above this "
                          "audience."),
        click.option("--lg-k", type=int, default=12, show_default=True, help="Sketch size 2**lg_k (5 to 26)."),
        click.option("--sketch-seed", type=int, default=9001, show_default=True, help="Sketch hash seed."),
    ]

    def build(sketch_above, lg_k, sketch_seed):
        return SketchParams(above=sketch_above, lg_k=lg_k, seed=sketch_seed)

    return option_group("sketch", options, build)(f)


def output_options(f):
    """``--format`` and ``-o/--output`` (stdout by default). The destination and the format are
    checked before the command does any work, so a bad ``-o`` fails in a second, not after the run."""

    @functools.wraps(f)
    def wrapper(*args, output, fmt, **kwargs):
        if isinstance(kwargs.get("load"), LoadOptions):
            kwargs["load"].refuse_as_output(output)
        return f(*args, output=output, fmt=check_output(output, fmt), **kwargs)

    return _apply(wrapper, [
        click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
                     help="Write here instead of stdout (written atomically)."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help="Output format (default: from the -o suffix, else a table on stdout)."),
    ])


def quiet_option(f):
    return click.option("-q", "--quiet", is_flag=True, help="No progress or notes on stderr.")(f)


quality_option = click.option(
    "--quality-only", is_flag=True,
    help="Count only quality followers (a profile, following ≤ 1,500, some posts; needs --profiles).")


def stability_option(*, auto: bool):
    """``--stability-runs N`` → ``stability_runs``: niche stability over N seeds (0 = off). With
    ``auto`` (analyze) the default is None: measured on graphs up to a size, see
    :func:`graphinflu.analysis.auto_stability_runs`."""
    from ..analysis import AUTO_STABILITY_MAX_EDGES
    from ..metrics.stability import STABILITY_RUNS

    default = f"{STABILITY_RUNS} seeds up to {AUTO_STABILITY_MAX_EDGES:,} edges, else off" if auto else "off"
    return click.option("--stability-runs", "stability_runs", type=click.IntRange(min=0), default=None if auto else 0,
                        help=f"Niche stability over N seeds (ARI/NMI between runs, niche_stability per account); "
                             f"0 = off, at least 2 to measure [default: {default}].")


ENGINES = ("local", "spark")


def engine_options(f):
    """Which engine runs the analysis → ``engine`` (a :class:`graphinflu.params.EngineParams`):
    ``--engine local|spark`` and ``--spark-master URL``."""
    options = [
        click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="local: in this process; spark: the heavy steps as Apache Spark jobs (pip install "
                          "'graphinflu[spark]', Java 17+), reading local paths or any URI Spark reads."),
        click.option("--spark-master", default=None, metavar="URL",
                     help="Spark master for --engine spark: local[2], spark://host:7077, yarn, k8s://... "
                          "(default: the session spark-submit started, else local[*])."),
    ]

    def build(engine, spark_master):
        return EngineParams(name=engine, master=spark_master)

    return option_group("engine", options, build)(f)
