"""Core commands: analyze, rank, communities, convert, generate, demo."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from ..accounts import with_metrics_attached
from ..analysis import ANALYSIS_STEPS, analyze as run_analysis, hash_inputs, niche_report, output_folder, write_analysis
from ..demo import brand_demo_inputs, precision_at
from ..generate import generate as run_generate, write_generated
from ..loaders.formats import check_graph_output, write_graph
from ..maps import build_map, select_creators, with_targets
from ..maps.report import build_report
from ..output import write_table
from ..params import LoadOptions, split_list
from ..selection import check_ranking, ranking
from ._common import Steps, read_inputs, note, notes, preload_leiden, step
from ._group import cli
from .options import (community_options, engagement_options, load_options, output_options, quiet_option,
                      stability_option, target_options)
from .options import engine_options
from ..spark.capacity import check_fits_locally
from ._spark import analyze_on_spark, rank_on_spark

TABLE_FORMATS = ("csv", "json", "jsonl", "parquet")


def _analysis_options(f):
    """What analyze writes besides the tables."""
    f = click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="csv", show_default=True,
                     help="Format of every table in the folder.")(f)
    return f


@cli.command()
@load_options()
@community_options
@target_options
@engagement_options
@click.option("--map/--no-map", "with_map", default=True, show_default=True, help="Also write map.html.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Output folder (created; each file written atomically, manifest.json last); with --engine "
                   "spark also a URI (hdfs://, s3a://, gs://, file://) that gets Parquet tables.")
@_analysis_options
@stability_option(auto=True)
@engine_options
@quiet_option
def analyze(load, niches, target, engage, with_map, out_dir, fmt, stability_runs, engine, quiet):
    """Everything from files into an output folder: account metrics, communities, targets,
    audience overlap, a reach shortlist, a map and a run manifest.

    FILE is a follow edge list whose first two columns are follower and followed (or named
    source/target); - reads stdin.
    """
    if engine.is_spark:
        return analyze_on_spark(load, niches, target, engage, stability_runs, engine, out_dir, fmt, quiet, with_map)
    with output_folder(out_dir):  # a folder that cannot be written fails now, not after the analysis
        check_fits_locally(load)  # a graph larger than this process's memory: "use --engine spark", at once
        preload_leiden(niches)
        steps = Steps(quiet, 2 + len(ANALYSIS_STEPS) + int(with_map))
        inputs = read_inputs(load, quiet, steps)
        hashes = hash_inputs(load.paths())  # in a thread, while the analysis runs
        if "follows" not in inputs.graph.kinds_present():
            steps.total -= 2  # no overlap and no shortlist without follower lists
        result = run_analysis(inputs.graph, posts=inputs.posts, niches=niches, target=target, progress=steps,
                              engagement=engage, stability_runs=stability_runs)
        _finish(result, inputs, load, out_dir, fmt, quiet, with_map, "analyze", steps, hashes)


def _finish(result, inputs, load, out_dir, fmt, quiet, with_map, command, steps, hashes=None):
    extra = {}
    if with_map:  # before the tables: manifest.json is written last, so a folder with one is complete
        with steps("map"):
            brand = result.parameters["seeds"] or None
            drawn = select_creators(result.accounts, inputs.graph, creators=result.creators, brand=brand)
            res = build_map(inputs.graph, with_targets(result.accounts.loc[drawn], result.targets), result.overlap_pairs,
                            brand=brand,
                            path=Path(out_dir) / "map.html", title="graphinflu: top targets")
        extra["map"] = res.path.name
        extra.update({f"map_niche_{i}": Path(p).name for i, p in enumerate(res.niche_maps)})
    extra["report"] = build_report(result, Path(out_dir) / "report.html", map_href=extra.get("map"),
                                   inputs=load.paths()).name
    with steps("writing"):
        manifest = write_analysis(result, out_dir, load=load, graph=inputs.graph, fmt=fmt, command=command,
                                  extra_files=extra, hashes=hashes)
    notes(quiet, result.notes)
    note(quiet, f"wrote {len(manifest['files']) + 1} files to {out_dir}")
    if not quiet and len(result.targets):
        top = result.targets.head(10)
        cols = [c for c in ("handle", "followers", "community", "pagerank", "score") if c in top]
        click.echo("top targets:\n" + top[cols].to_string(float_format=lambda x: f"{x:.4g}"), err=True)
        if result.parameters.get("brand"):  # a brand-fit run: say why for each
            click.echo("why:\n" + "\n".join(f"{r:>3}. {h}: {w}" for r, h, w in
                                             zip(top["rank"], top["handle"], top["why"])), err=True)


@cli.command()
@load_options()
@click.option("--by", "by", default="pagerank", show_default=True,
              help="Score to rank by: pagerank, hits (authority), hub, indegree, interaction (interaction PageRank), "
                   "ppr (personalized PageRank, needs --seeds), reach, amplification, conversation.")
@click.option("--seeds", default=None, help="Comma-separated seed accounts for --by ppr.")
@click.option("--damping", type=float, default=0.85, show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the top N (default: every account).")
@output_options
@engine_options
@quiet_option
def rank(load, by, seeds, damping, top, output, fmt, engine, quiet):
    """Rank every account by an authority score (highest first)."""
    seeds = split_list(seeds)
    check_ranking(by, seeds)  # an unknown --by fails before the file is read
    if engine.is_spark:
        table = rank_on_spark(load, by, seeds, damping, top, engine, quiet)
    else:
        inputs = read_inputs(load, quiet)
        with step(quiet, by):
            table = ranking(inputs.graph, by, seeds=seeds, damping=damping, top=top)
    write_table(table, output, fmt)


@cli.command()
@load_options()
@community_options
@click.option("--weight-col", default=None,
              help="Read FILE as weighted interactions and use this column as the edge weight.")
@click.option("--summary", is_flag=True, help="One row per community (size, density, conductance, top "
                                              "authorities, niche label) instead of one row per account.")
@stability_option(auto=False)
@output_options
@quiet_option
def communities(load, niches, weight_col, summary, stability_runs, output, fmt, quiet):
    """Niche communities (Leiden by default): the community of every account, or --summary."""
    preload_leiden(niches)
    if weight_col:
        niches = niches.replace(weight=True)
        inputs = read_inputs(load, quiet, weight_col=weight_col)
    else:
        inputs = read_inputs(load, quiet)
    with step(quiet, niches.method):
        report = niche_report(inputs.graph, niches, summary=summary, stability_runs=stability_runs)
    notes(quiet, report.notes)
    write_table(report.table, output, fmt)


@cli.command()
@load_options(file_required=True, file_help="SRC")
@click.argument("dest", type=click.Path(dir_okay=False))
@community_options
@click.option("--with-metrics", is_flag=True,
              help="Add the account table's metrics (pagerank, authority, hub, tier, community, niche label, ...) "
                   "as node attributes.")
@quiet_option
def convert(load, dest, niches, with_metrics, quiet):
    """Convert between formats: edge lists (csv/tsv/txt, gz), Parquet, GraphML, GEXF, node-link JSON.

    The output format comes from DEST's suffix (.graphml, .gexf, .json, .csv, .tsv, .parquet).
    """
    check_graph_output(dest)  # an unknown suffix fails before the input is read
    load.refuse_as_output(dest)
    inputs = read_inputs(load, quiet)
    g = with_metrics_attached(inputs.graph, posts=inputs.posts, niches=niches) if with_metrics else inputs.graph
    with step(quiet, f"writing {dest}"):
        write_graph(g, dest)


@cli.command()
@click.option("--edges", "n_edges", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Number of follow edges.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--niches", type=click.IntRange(min=1), default=None, help="Planted niches (default: scales with size).")
@click.option("--format", "fmt", type=click.Choice(["csv", "csv.gz", "parquet"]), default="csv", show_default=True)
@click.option("--plant-brand", is_flag=True,
              help="Also plant a brand with ground truth: its accounts, target audience, interests and the creators "
                   "that truly fit it (brand.json, brand_audience_sample.csv, brand_fit.csv; profiles get a bio).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), required=True, help="Output folder.")
@quiet_option
def generate(n_edges, seed, niches, fmt, plant_brand, out_dir, quiet):
    """Seeded synthetic data: follows, interactions, profiles and posts with heavy-tailed followers,
    planted niches, every tier and engagement; for trying graphinflu and for benchmarks."""
    with output_folder(out_dir), step(quiet, f"generating {n_edges:,} edges"):
        data = run_generate(n_edges, seed=seed, n_niches=niches, brand=plant_brand)
        paths = write_generated(data, out_dir, format=fmt)
    for role, p in paths.items():
        note(quiet, f"  {role}: {p}")


def bundled_dataset() -> Path:
    """The real dataset shipped inside the package (twitter follower sets, MIT)."""
    return Path(str(resources.files("graphinflu.data") / "twitter_follower_sets.tsv.gz"))


@cli.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="demo-out", show_default=True,
              help="Output folder.")
@_analysis_options
@quiet_option
def demo(out_dir, fmt, quiet):
    """The whole analysis on the bundled real dataset (follower sets of 100 Twitter accounts), then
    a brand-fit run end to end (brand and competitors by handle, interests, profiles, posts) on
    generated data with a planted brand, checked against its truly fitting creators. No server
    needed: works from any folder after pip install."""
    with output_folder(out_dir):
        preload_leiden()
        load = LoadOptions(follows=str(bundled_dataset()))
        note(quiet, f"bundled data: {bundled_dataset().name} (real, MIT; see graphinflu/data/PROVENANCE.md)")
        steps = Steps(quiet, 3 + len(ANALYSIS_STEPS))
        inputs = read_inputs(load, quiet, steps=steps)
        result = run_analysis(inputs.graph, progress=steps)
        _finish(result, inputs, load, out_dir, fmt, quiet, True, "demo", steps)
        brand_dir = Path(out_dir) / "brand"
        with step(quiet, "brand fit: generating data with a planted brand"):
            load, target, fit = brand_demo_inputs(brand_dir)
        note(quiet, f"brand target: {', '.join(target.brand.seeds)}; interests {', '.join(target.brand.interests)}")
        steps = Steps(quiet, 3 + len(ANALYSIS_STEPS))
        inputs = read_inputs(load, quiet, steps=steps)
        result = run_analysis(inputs.graph, posts=inputs.posts, target=target, progress=steps)
        _finish(result, inputs, load, brand_dir, fmt, quiet, True, "demo", steps)
        note(quiet, f"precision@20 of the targets against the {len(fit)} planted fit creators: "
                    f"{precision_at(result.targets, fit):.2f}")
