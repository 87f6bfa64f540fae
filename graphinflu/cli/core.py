"""Core commands: analyze, rank, communities, convert, generate, demo."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from ..errors import InputError
from ._common import Steps, edge_options, handle_errors, note, output_options, preload_leiden, quiet_option, step
from ._group import cli

FILE_ARG = click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), required=False)


def load(file, *, source_col, target_col, direction, delimiter, header, profiles, interactions,
         interaction_kind, posts, quiet, steps=None):
    """Load the inputs the way every command does, and say on stderr what was skipped."""
    from ..pipeline import load_graph

    if file is None and not (interactions or posts or profiles):
        raise InputError("no input file", hint="give a follow edge list FILE (or - for stdin)")
    with (steps("loading") if steps else step(quiet, "loading")):
        inputs = load_graph(file, profiles=profiles, interactions=interactions, interaction_kind=interaction_kind,
                            posts=posts, source=source_col, target=target_col, direction=direction,
                            delimiter=delimiter, header=header)
    g = inputs.graph
    note(quiet, f"{g!r}")
    for line in g.report.lines():
        note(quiet, f"  note: {line}")
    return inputs


def _split_list(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


@cli.command()
@FILE_ARG
@edge_options
@click.option("--brand", "--seeds", "seeds", default=None,
              help="Comma-separated accounts of the brand or its target audience (adds audience_match).")
@click.option("--method", type=click.Choice(["leiden", "louvain"]), default="leiden", show_default=True)
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Modularity resolution.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (communities).")
@click.option("--symmetrize", type=click.Choice(["collapse", "sum", "mutual"]), default="collapse",
              show_default=True, help="How directed follows become undirected edges for communities.")
@click.option("--leiden-iterations", "n_iterations", type=int, default=2, show_default=True,
              help="Leiden iterations; a negative number iterates until the partition stops improving. "
                   "1 is faster on large graphs, more finds slightly better communities.")
@click.option("--tier", default="micro", show_default=True, help="Tier the targets are drawn from.")
@click.option("--overlap-top", type=int, default=100, show_default=True,
              help="Audience overlap among this many top targets.")
@click.option("--shortlist-k", type=int, default=20, show_default=True, help="Creators in the reach shortlist.")
@click.option("--map/--no-map", "with_map", default=True, show_default=True, help="Also write map.html.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Output folder (created; each file written atomically, manifest.json last).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl", "parquet"]), default="csv",
              show_default=True)
@quiet_option
@handle_errors
def analyze(file, source_col, target_col, direction, delimiter, header, profiles, interactions, interaction_kind,
            posts, seeds, method, resolution, seed, symmetrize, n_iterations, tier, overlap_top, shortlist_k, with_map, out_dir,
            fmt, quiet):
    """Everything from files into an output folder: account metrics, communities, targets,
    audience overlap, a reach shortlist, a map and a run manifest.

    FILE is a follow edge list whose first two columns are follower and followed (or named
    source/target); - reads stdin.
    """
    from ..analysis import ANALYSIS_STEPS, analyze as run, hash_inputs

    if method == "leiden":
        preload_leiden()
    steps = Steps(quiet, 2 + len(ANALYSIS_STEPS) + int(with_map))
    inputs = load(file, source_col=source_col, target_col=target_col, direction=direction, delimiter=delimiter,
                  header=header, profiles=profiles, interactions=interactions, interaction_kind=interaction_kind,
                  posts=posts, quiet=quiet, steps=steps)
    paths = {"follows": file, "profiles": profiles, "interactions": interactions, "posts": posts}
    hashes = hash_inputs(paths)  # in a thread, while the analysis runs
    if "follows" not in inputs.graph.kinds_present():
        steps.total -= 2  # no overlap and no shortlist without follower lists
    result = run(inputs.graph, posts=inputs.posts, seeds=_split_list(seeds), method=method, resolution=resolution,
                 seed=seed, symmetrize=symmetrize, n_iterations=n_iterations, tier=tier, overlap_top=overlap_top, shortlist_k=shortlist_k,
                 progress=steps)
    _finish(result, inputs, out_dir, fmt, quiet, with_map, paths, "analyze", steps, hashes)


def _finish(result, inputs, out_dir, fmt, quiet, with_map, input_paths, command, steps, hashes=None):
    from ..analysis import write_analysis

    extra = {}
    if with_map:  # before the tables: manifest.json is written last, so a folder with one is complete
        from ..maps import build_map

        with steps("map"):
            Path(out_dir).mkdir(parents=True, exist_ok=True)
            brand = list(inputs.graph.ids[inputs.graph.positions(result.parameters["seeds"])])
            drawn = result.creators + [b for b in brand if b not in set(result.creators)]
            res = build_map(inputs.graph, result.accounts.loc[drawn], result.overlap_pairs,
                            path=Path(out_dir) / "map.html", title="graphinflu: top targets", brand=brand or None)
        extra["map"] = res.path.name
        extra.update({f"map_niche_{i}": Path(p).name for i, p in enumerate(res.niche_maps)})
    with steps("writing"):
        manifest = write_analysis(result, out_dir, inputs=input_paths, graph=inputs.graph, fmt=fmt, command=command,
                                  extra_files=extra, hashes=hashes)
    for line in result.notes:
        note(quiet, f"note: {line}")
    note(quiet, f"wrote {len(manifest['files']) + 1} files to {out_dir}")
    if not quiet and len(result.targets):
        top = result.targets.head(10)
        cols = [c for c in ("handle", "followers", "community", "pagerank", "score") if c in top]
        click.echo("top targets:\n" + top[cols].to_string(float_format=lambda x: f"{x:.4g}"), err=True)


@cli.command()
@FILE_ARG
@edge_options
@click.option("--by", "by", default="pagerank", show_default=True,
              help="Score to rank by: pagerank, hits (authority), hub, indegree, interaction (interaction PageRank), "
                   "ppr (personalized PageRank, needs --seeds), reach, amplification, conversation.")
@click.option("--seeds", default=None, help="Comma-separated seed accounts for --by ppr.")
@click.option("--damping", type=float, default=0.85, show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the top N (default: every account).")
@output_options
@quiet_option
@handle_errors
def rank(file, source_col, target_col, direction, delimiter, header, profiles, interactions, interaction_kind, posts,
         by, seeds, damping, top, output, fmt, quiet):
    """Rank every account by an authority score (highest first)."""
    from ..metrics.authority import RANKERS, ranker_options
    from ..output import write_table

    accepted = ranker_options(by)
    opts = {}
    if "damping" in accepted:
        opts["damping"] = damping
    if "seeds" in accepted:
        if not seeds:
            raise InputError(f"--by {by} needs --seeds", hint="e.g. --seeds brand_account,another_account")
        opts["seeds"] = _split_list(seeds)
    inputs = load(file, source_col=source_col, target_col=target_col, direction=direction, delimiter=delimiter,
                  header=header, profiles=profiles, interactions=interactions, interaction_kind=interaction_kind,
                  posts=posts, quiet=quiet)
    with step(quiet, by):
        table = RANKERS[by](inputs.graph, **opts)
    col = table.columns[0]
    table = table.sort_values(col, ascending=False, kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    table.insert(1, "handle", inputs.graph.accounts["handle"].reindex(table.index))
    if top is not None:
        table = table.head(top)
    write_table(table, output, fmt)


@cli.command()
@FILE_ARG
@edge_options
@click.option("--method", type=click.Choice(["leiden", "louvain"]), default="leiden", show_default=True)
@click.option("--resolution", type=float, default=1.0, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--symmetrize", type=click.Choice(["collapse", "sum", "mutual"]), default="collapse", show_default=True)
@click.option("--leiden-iterations", "n_iterations", type=int, default=2, show_default=True,
              help="Leiden iterations; a negative number iterates until the partition stops improving. "
                   "1 is faster on large graphs, more finds slightly better communities.")
@click.option("--weight-col", default=None, help="Edge column to use as weight (for interaction files).")
@click.option("--summary", is_flag=True, help="One row per community (size, density, conductance, top "
                                              "authorities, niche label) instead of one row per account.")
@output_options
@quiet_option
@handle_errors
def communities(file, source_col, target_col, direction, delimiter, header, profiles, interactions, interaction_kind,
                posts, method, resolution, seed, symmetrize, n_iterations, weight_col, summary, output, fmt, quiet):
    """Niche communities (Leiden by default): the community of every account, or --summary."""
    from ..loaders.edges import read_edges
    from ..metrics import authority, communities as comm
    from ..output import write_table
    from ..pipeline import Inputs

    if method == "leiden":
        preload_leiden()
    if weight_col:
        with step(quiet, "loading"):
            g = read_edges(file, source=source_col, target=target_col, direction=direction, delimiter=delimiter,
                           header=header, weight=weight_col, kind="mentions")
        inputs = Inputs(g)
        kinds, weighted = "mentions", True
    else:
        inputs = load(file, source_col=source_col, target_col=target_col, direction=direction, delimiter=delimiter,
                      header=header, profiles=profiles, interactions=interactions, interaction_kind=interaction_kind,
                      posts=posts, quiet=quiet)
        kinds, weighted = "follows", False
    g = inputs.graph
    # Leiden runs in a thread while PageRank (for --summary) is computed here
    pending = comm.start_communities(g, method=method, resolution=resolution, seed=seed, symmetrize=symmetrize,
                                     kinds=kinds, weight=weighted, n_iterations=n_iterations)
    with pending:
        pr = authority.pagerank(g, kinds=kinds)["pagerank"] if summary else None
        with step(quiet, method):
            membership = pending.result()
    if summary:
        table = comm.community_summary(g, membership, authority=pr, symmetrize=symmetrize, kinds=kinds,
                                       weight=weighted)
    else:
        table = membership.copy()
        table.insert(0, "handle", g.accounts["handle"].reindex(table.index))
    write_table(table, output, fmt)


@cli.command()
@click.argument("src", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("dest", type=click.Path(dir_okay=False))
@edge_options
@click.option("--with-metrics", is_flag=True, help="Add pagerank, community and tier as node attributes.")
@quiet_option
@handle_errors
def convert(src, dest, source_col, target_col, direction, delimiter, header, profiles, interactions,
            interaction_kind, posts, with_metrics, quiet):
    """Convert between formats: edge lists (csv/tsv/txt, gz), Parquet, GraphML, GEXF, node-link JSON.

    The output format comes from DEST's suffix (.graphml, .gexf, .json, .csv, .tsv, .parquet).
    """
    from ..loaders.formats import write_graph

    inputs = load(src, source_col=source_col, target_col=target_col, direction=direction, delimiter=delimiter,
                  header=header, profiles=profiles, interactions=interactions, interaction_kind=interaction_kind,
                  posts=posts, quiet=quiet)
    g = inputs.graph
    if with_metrics:
        from ..graph import Graph
        from ..metrics import authority, communities as comm, tiers

        extra = tiers.tiers(g).join(authority.pagerank(g)).join(comm.communities(g))
        g = Graph(g.accounts.join(extra[[c for c in extra.columns if c not in g.accounts]]), g.edges, g.report)
    with step(quiet, f"writing {dest}"):
        write_graph(g, dest)


@cli.command()
@click.option("--edges", "n_edges", type=int, default=100_000, show_default=True, help="Number of follow edges.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--niches", type=int, default=None, help="Planted niches (default: scales with size).")
@click.option("--format", "fmt", type=click.Choice(["csv", "csv.gz", "parquet"]), default="csv", show_default=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), required=True, help="Output folder.")
@quiet_option
@handle_errors
def generate(n_edges, seed, niches, fmt, out_dir, quiet):
    """Seeded synthetic data: follows, interactions, profiles and posts with heavy-tailed followers,
    planted niches, every tier and engagement; for trying graphinflu and for benchmarks."""
    from ..generate import generate as gen, write_generated

    if n_edges < 1:
        raise InputError("--edges must be at least 1")
    with step(quiet, f"generating {n_edges:,} edges"):
        data = gen(n_edges, seed=seed, n_niches=niches)
        paths = write_generated(data, out_dir, format=fmt)
    for role, p in paths.items():
        note(quiet, f"  {role}: {p}")


def bundled_dataset() -> Path:
    """The real dataset shipped inside the package (twitter follower sets, MIT)."""
    return Path(str(resources.files("graphinflu.data") / "twitter_follower_sets.tsv.gz"))


@cli.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="demo-out", show_default=True,
              help="Output folder.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl", "parquet"]), default="csv",
              show_default=True)
@quiet_option
@handle_errors
def demo(out_dir, fmt, quiet):
    """The whole analysis on the bundled real dataset (follower sets of 100 Twitter accounts), no
    server needed: works from any folder after pip install."""
    from ..analysis import ANALYSIS_STEPS, analyze as run

    preload_leiden()
    path = bundled_dataset()
    note(quiet, f"bundled data: {path.name} (real, MIT; see graphinflu/data/PROVENANCE.md)")
    steps = Steps(quiet, 3 + len(ANALYSIS_STEPS))
    inputs = load(str(path), source_col=None, target_col=None, direction="follower-followed", delimiter=None,
                  header=None, profiles=None, interactions=None, interaction_kind="mentions", posts=None, quiet=quiet,
                  steps=steps)
    result = run(inputs.graph, progress=steps)
    _finish(result, inputs, out_dir, fmt, quiet, True, {"follows": str(path)}, "demo", steps)
