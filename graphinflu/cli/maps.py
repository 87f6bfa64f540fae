"""``graphinflu map``: an interactive HTML map of the top creators, one self-contained file."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from ._common import edge_options, handle_errors, note, quiet_option, step
from ._group import cli


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


@cli.command("map")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@edge_options
@click.option("--top", type=click.IntRange(min=1), default=500, show_default=True,
              help="Draw the top N creators by PageRank (accounts with at least one follower).")
@click.option("--creators", default=None, help="Comma-separated ids or handles to draw instead of --top.")
@click.option("--brand", default=None, help="Comma-separated brand accounts to highlight (added to the creators).")
@click.option("--edge-metric", type=click.Choice(["jaccard", "overlap_coefficient"]), default="jaccard",
              show_default=True, help="Audience-overlap figure used for links.")
@click.option("--min-overlap", type=click.FloatRange(min=0), default=0.05, show_default=True,
              help="Draw an overlap link when the edge metric is at least this.")
@click.option("--max-links", type=click.IntRange(min=0), default=10, show_default=True,
              help="Keep an overlap link only if it is among the N strongest of one of its creators (0 = no cap).")
@click.option("--follows/--no-follows", default=True, show_default=True, help="Draw follows between creators.")
@click.option("--interactions-links/--no-interactions-links", "inter_links", default=True, show_default=True,
              help="Draw interactions (mentions, replies, ...) between creators.")
@click.option("--aggregate-above", type=click.IntRange(min=1), default=5000, show_default=True,
              help="With more creators, draw one node per niche and write one map per niche next to the file.")
@click.option("--method", type=click.Choice(["leiden", "louvain"]), default="leiden", show_default=True,
              help="Community detection for the niches.")
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Modularity resolution.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of communities and layout.")
@click.option("--title", default="graphinflu map", show_default=True, help="Page title.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The .html file to write (atomically; nothing else is written below --aggregate-above).")
@quiet_option
@handle_errors
def map_command(file, source_col, target_col, direction, delimiter, header, profiles, interactions,
                interaction_kind, posts, top, creators, brand, edge_metric, min_overlap, max_links, follows,
                inter_links, aggregate_above, method, resolution, seed, title, output, quiet):
    """Write an interactive map of creators to one self-contained HTML file.

    Nodes are creators coloured by niche (community), sized by PageRank, shaped by follower tier;
    links are shared audiences (Jaccard or overlap coefficient) and follows / interactions between
    creators. The file works offline (no web requests, no lib/ folder) and has a legend, search by
    handle, filters and a details panel.

    FILE is a follow edge list whose first two columns are follower and followed (or named
    source/target); - reads stdin.
    """
    from ..maps import build_map, map_inputs
    from .core import load

    if not str(output).lower().endswith((".html", ".htm")):
        raise InputError(f"the map file must end in .html, got {output!r}", hint="use -o map.html")
    inputs = load(file, source_col=source_col, target_col=target_col, direction=direction, delimiter=delimiter,
                  header=header, profiles=profiles, interactions=interactions, interaction_kind=interaction_kind,
                  posts=posts, quiet=quiet)
    brand_ids = _split(brand)
    with step(quiet, "metrics, niches and overlap"):
        metrics, overlap = map_inputs(inputs.graph, posts=inputs.posts, top=top, creators=_split(creators),
                                      brand=brand_ids, method=method, resolution=resolution, seed=seed)
    with step(quiet, "map"):
        res = build_map(inputs.graph, metrics, overlap, path=output, brand=brand_ids, edge_metric=edge_metric,
                        min_overlap=min_overlap, max_links_per_creator=max_links or None, include_follows=follows,
                        include_interactions=inter_links, aggregate_above=aggregate_above, title=title, seed=seed)
    what = "niches" if res.aggregated else "creators"
    note(quiet, f"wrote {Path(output)}: {res.n_nodes:,} {what}, {res.n_edges:,} links")
    if res.niche_maps:
        note(quiet, f"  and {len(res.niche_maps)} niche maps next to it ({res.niche_maps[0].name}, ...)")
