"""``graphinflu map``: an interactive HTML map of the top creators, one self-contained file."""

from __future__ import annotations

from pathlib import Path

import click

from .._io import check_output_file
from ..accounts import account_table
from ..analysis import map_view
from ..errors import InputError
from ..maps import DEFAULT_AGGREGATE_ABOVE, DEFAULT_WEBGL_ABOVE, build_map
from ..maps.report import report_from_folder
from ..params import split_list
from ._common import read_inputs, note, preload_leiden, step
from ._group import cli
from .options import community_options, load_options, quiet_option



@cli.command("map")
@load_options()
@click.option("--top", type=click.IntRange(min=1), default=500, show_default=True,
              help="Draw the top N creators by PageRank (accounts with at least one follower).")
@click.option("--creators", default=None, help="Comma-separated ids or handles to draw instead of --top.")
@click.option("--brand", default=None, help="Comma-separated brand accounts to highlight (added to the creators).")
@click.option("--edge-metric", type=click.Choice(["jaccard", "overlap_coefficient"]), default="jaccard",
              show_default=True, help="Audience-overlap figure used for links.")
@click.option("--min-overlap", type=click.FloatRange(min=0), default=0.05, show_default=True,
              help="Draw an overlap link when the edge metric is at least this.")
@click.option("--min-shared", type=click.IntRange(min=0), default=3, show_default=True,
              help="Draw an overlap link only when the two audiences share at least this many followers.")
@click.option("--max-links", type=click.IntRange(min=0), default=10, show_default=True,
              help="Keep an overlap link only if it is among the N strongest of one of its creators (0 = no cap).")
@click.option("--follows/--no-follows", default=None,
              help="Draw follows between creators (default: on maps of at most 1,000 creators).")
@click.option("--interactions-links/--no-interactions-links", "inter_links", default=None,
              help="Draw interactions (mentions, replies, ...) between creators (default: as --follows).")
@click.option("--aggregate-above", type=click.IntRange(min=1), default=DEFAULT_AGGREGATE_ABOVE, show_default=True,
              help="With more creators, draw one node per niche and write one map per niche next to the file.")
@click.option("--webgl-above", type=click.IntRange(min=0), default=DEFAULT_WEBGL_ABOVE, show_default=True,
              help="Draw maps of more creators with WebGL (sigma.js) instead of vis-network; 0 = always WebGL.")
@click.option("--size-by", default=None, metavar="COLUMN",
              help="Account-table column that sizes the nodes (default: the targets score, else pagerank).")
@community_options
@click.option("--title", default="graphinflu map", show_default=True, help="Page title.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The .html file to write (atomically; nothing else is written below --aggregate-above).")
@quiet_option
def map_command(load, top, creators, brand, edge_metric, min_overlap, min_shared, max_links, follows, inter_links,
                aggregate_above, webgl_above, size_by, niches, title, output, quiet):
    """Write an interactive map of creators to one self-contained HTML file.

    Nodes are creators coloured by niche (community), sized by the targets score (or --size-by),
    shaped by follower tier, with niche names and the best creators of each niche named on the map;
    links are shared audiences (Jaccard or overlap coefficient) and follows / interactions between
    creators. The file works offline (no web requests, no lib/ folder) and has a legend, search by
    handle, filters and a details panel.

    FILE is a follow edge list whose first two columns are follower and followed (or named
    source/target); - reads stdin.
    """
    if not str(output).lower().endswith((".html", ".htm")):
        raise InputError(f"the map file must end in .html, got {output!r}", hint="use -o map.html")
    check_output_file(output)
    preload_leiden(niches)
    inputs = read_inputs(load, quiet)
    brand_ids = split_list(brand)
    with step(quiet, "metrics, niches and overlap"):
        table = account_table(inputs.graph, posts=inputs.posts, niches=niches).accounts
        metrics, overlap = map_view(inputs.graph, table, top=top, creators=split_list(creators), brand=brand_ids)
    with step(quiet, "map"):
        res = build_map(inputs.graph, metrics, overlap, path=output, brand=brand_ids, edge_metric=edge_metric,
                        min_overlap=min_overlap, min_shared=min_shared, max_links_per_creator=max_links or None, include_follows=follows,
                        include_interactions=inter_links, aggregate_above=aggregate_above, size_by=size_by,
                        webgl_above=webgl_above,
                        title=title, seed=niches.seed)
    what = "niches" if res.aggregated else "creators"
    note(quiet, f"wrote {Path(output)}: {res.n_nodes:,} {what}, {res.n_edges:,} links")
    if res.niche_maps:
        note(quiet, f"  and {len(res.niche_maps)} niche maps next to it ({res.niche_maps[0].name}, ...)")


@cli.command("report")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="The .html file to write (atomically). Default: FOLDER/report.html.")
@click.option("--title", default="graphinflu campaign report", show_default=True, help="Page title.")
@quiet_option
def report_command(folder, output, title, quiet):
    """Draw the campaign report of an analyze output folder again, from its tables and manifest.json
    (no analysis is re-run): brief, targets with why, reach curve, overlap matrix, UpSet view of the
    shortlist's audiences, engagement by tier against benchmarks, niches and the map. One
    self-contained offline HTML page.

    FOLDER is what `graphinflu analyze ... -o FOLDER` wrote.
    """
    with step(quiet, "report"):
        path = report_from_folder(folder, output, title=title)
    note(quiet, f"wrote {path}")
