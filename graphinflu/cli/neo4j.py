"""``graphinflu neo4j push|pull|query|export``: Neo4j (or the embedded FalkorDB) from the command line."""

from __future__ import annotations

import time
from pathlib import Path

import click
import pandas as pd

from .._io import prepare_output_dir
from ..analysis import store_findings
from ..errors import InputError
from ..loaders.neo4j import read_store, read_store_query
from ..output import check_output, write_table
from ..store import (ConnectionParams, FindingsParams, catalog, export_import_dir, export_load_csv, get_query,
                     metrics_run, parse_param, push,
                     read_cypher_file, resolve_params, run_query)
from ..store.admin import import_command
from ..store.guide import browser_guide, write_browser_guide
from ._common import read_inputs, note, notes, step
from ._group import cli
from .options import community_options, load_options, option_group, output_options, quiet_option


def connection_options(f):
    """Where the database is → ``connection`` (a :class:`~graphinflu.store.ConnectionParams`):
    --target (alias --db), --uri / --username / --password / --database (or NEO4J_*)."""
    opts = [
        click.option("--target", "--db", "target", default=None, metavar="URI|falkordb://PATH",
                     help="A Neo4j URI, or falkordb://PATH for the embedded FalkorDB in file PATH "
                          "(overrides --uri / NEO4J_URI)."),
        click.option("--uri", envvar="NEO4J_URI", default=None, show_envvar=True,
                     help="Neo4j address, e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io."),
        click.option("--username", envvar="NEO4J_USERNAME", default="neo4j", show_default=True, show_envvar=True,
                     help="Neo4j user."),
        click.option("--password", envvar="NEO4J_PASSWORD", default=None, show_envvar=True,
                     help="Neo4j password (better in NEO4J_PASSWORD; it is never printed)."),
        click.option("--database", envvar="NEO4J_DATABASE", default=None, show_envvar=True,
                     help="Neo4j database (default: the server's default), or the FalkorDB graph name "
                          "(default: graphinflu)."),
    ]

    def build(target, uri, username, password, database):
        return ConnectionParams(target=target, uri=uri, username=username, password=password, database=database)

    return option_group("connection", opts, build)(f)


def _connect(connection: ConnectionParams, quiet: bool, *, create: bool = False):
    # click already read NEO4J_* for the options not given; only push may create a database
    store = connection.connect(env={}, create=create)
    note(quiet, f"connected to {store.target}")
    return store


def _params(values, defaults):
    return dict(parse_param(text, defaults) for text in values)


def findings_options(f):
    """What is written beside the graph → ``findings`` (a :class:`~graphinflu.store.FindingsParams`),
    plus the niche options (``niches``)."""
    options = [
        click.option("--metrics/--no-metrics", "with_metrics", default=True, show_default=True,
                     help="Also write the account table's pagerank, hub, authority, indegree, followers, tier, "
                          "community, niche_label (and engagement_rate with --posts) onto the accounts."),
        click.option("--overlap-top", type=click.IntRange(min=0), default=100, show_default=True,
                     help="Write SHARES_AUDIENCE between the N accounts with most followers (0: none)."),
        click.option("--min-shared", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Only overlap pairs sharing at least this many followers."),
    ]

    return community_options(option_group("findings", options, FindingsParams)(f))


def _findings(load_opts, niches, findings, quiet):
    inputs = read_inputs(load_opts, quiet)
    metrics, overlap = store_findings(inputs.graph, posts=inputs.posts, niches=niches, findings=findings,
                                      progress=lambda label: step(quiet, label))
    return inputs, metrics, overlap


@cli.group("neo4j")
def neo4j_group():
    """Neo4j and the embedded FalkorDB: push graphs and findings, pull graphs, run the Cypher
    library, write bulk-import files.

    The database comes from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE (or
    --uri/--username/--password/--database); --target falkordb://PATH uses an embedded FalkorDB
    stored in PATH instead (no server needed).
    """


def _row_progress(quiet):
    """``progress(stage, done, total)`` for push: a line per stage every 10 %, with the row rate."""
    last = {}

    def progress(stage, done, total):
        if quiet:
            return
        start = last.setdefault(stage, time.perf_counter())
        pct = done * 100 // max(total, 1)
        if done == total or pct // 10 != last.get((stage, "pct"), -1):
            last[(stage, "pct")] = pct // 10
            rate = done / max(time.perf_counter() - start, 1e-9)
            click.echo(f"  {stage}: {done:,}/{total:,} rows ({rate:,.0f}/s)", err=True)

    return progress


@neo4j_group.command("push")
@load_options()
@connection_options
@findings_options
@click.option("--batch-size", type=click.IntRange(min=1), default=20_000, show_default=True,
              help="Rows per transaction.")
@click.option("--schema/--no-schema", default=True, show_default=True,
              help="Create the constraint and indexes first (idempotent).")
@click.option("--overwrite", is_flag=True,
              help="Replace metrics that another analysis (other data or parameters) stored on the same accounts.")
@quiet_option
def push_cmd(load, connection, findings, niches, batch_size, schema, overwrite, quiet):
    """Load FILE (plus --profiles/--interactions/--posts) and graphinflu's findings into the database.

    Accounts become (:Account {id, handle, ...}), follows (a)-[:FOLLOWS]->(b), interactions
    MENTIONS, REPLIES, REPOSTS, LIKES, COMMENTS, TAGS, SPONSORS {weight, timestamp}. Every write is
    a batched MERGE, so pushing the same data again changes nothing, and a push that failed
    half-way can be re-run to completion. The metrics carry the analysis that computed them
    (graphinflu_run, graphinflu_params); metrics of another analysis on the same accounts are
    replaced only with --overwrite. The database is reached first, so a wrong address fails
    before anything is computed.
    """
    load = load.require_input()
    with _connect(connection, quiet, create=True) as store:
        inputs, metrics, overlap = _findings(load, niches, findings, quiet)
        t0 = time.perf_counter()
        run = metrics_run(inputs.graph, niches=niches, findings=findings)
        report = push(store, inputs.graph, metrics=metrics, overlap=overlap, batch_size=batch_size, schema=schema,
                      progress=_row_progress(quiet), run=run, overwrite=overwrite)
    c = report.counts
    note(quiet, f"pushed in {time.perf_counter() - t0:.1f}s: {c.nodes_created:,} nodes and "
                f"{c.relationships_created:,} relationships created, {c.properties_set:,} properties set"
                + ("" if c.changed else " (already up to date)"))


@neo4j_group.command("pull")
@connection_options
@click.option("--label", default="Account", show_default=True,
              help="Node label to read (Account, or any label the database reports).")
@click.option("--kind", "kinds", multiple=True,
              help="Relationship type or kind to read (FOLLOWS/follows, MENTIONS, ...); repeat; default all.")
@click.option("--cypher", "cypher_text", default=None,
              help="Read with your own Cypher instead: it must RETURN source, target [, kind, weight, timestamp].")
@click.option("--cypher-file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Like --cypher, from a file.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Parameter of --cypher (JSON when it parses, else text); repeat.")
@click.option("--accounts-output", type=click.Path(dir_okay=False), default=None,
              help="Also write the account table (id, handle, properties) here.")
@output_options
@quiet_option
def pull_cmd(connection, label, kinds, cypher_text, cypher_file, params,
             accounts_output, output, fmt, quiet):
    """Read a graph from the database into graphinflu's edge table (source, target, kind, weight,
    timestamp), written to -o (any --format) or stdout. Read-only: a --cypher that writes fails."""
    if cypher_text and cypher_file:
        raise InputError("give --cypher or --cypher-file, not both")
    if cypher_file:
        cypher_text = read_cypher_file(cypher_file)
    if params and not cypher_text:
        raise InputError("--param is for --cypher / --cypher-file", hint="remove --param, or add the query")
    accounts_fmt = check_output(accounts_output, None) if accounts_output else None  # a bad -o fails now
    with _connect(connection, quiet) as store:
        with step(quiet, "reading"):
            if cypher_text:
                g = read_store_query(store, cypher_text, _params(params, None))
            else:
                g = read_store(store, label=label, kinds=list(kinds) or None)
    note(quiet, f"{g!r}")
    notes(quiet, g.report.lines(), "  note: ")
    write_table(g.edge_table(), output, fmt)
    if accounts_output:
        write_table(g.accounts, accounts_output, accounts_fmt)


@neo4j_group.command("query")
@click.argument("name", required=False)
@connection_options
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter of the query (JSON when it parses, else text); repeat.")
@click.option("--list", "list_queries", is_flag=True, help="List the queries with their parameters and exit.")
@click.option("--show", is_flag=True, help="Print the query file (to paste into Neo4j Browser) and exit.")
@output_options
@quiet_option
def query_cmd(name, connection, params, list_queries, show, output, fmt, quiet):
    """Run NAME from graphinflu's Cypher library (see --list) and print its rows.

    Parameters not given keep the defaults written in the file's `:param` lines.
    """
    if list_queries:
        rows = [{"name": q.name, "kind": q.kind, "parameters": ", ".join(q.params), "answers": q.summary}
                for q in catalog().values()]
        write_table(pd.DataFrame(rows), output, fmt)
        return
    if not name:
        raise InputError("which query?", hint="give a NAME; graphinflu neo4j query --list shows them")
    q = get_query(name)
    if show:
        click.echo(q.text, nl=False)
        return
    values = _params(params, q.params)
    resolve_params(q, values)  # unknown names fail before connecting
    with _connect(connection, quiet) as store:
        with step(quiet, f"running {q.name}"):
            df = run_query(store, q.name, values)
    write_table(df, output, fmt)


@neo4j_group.command("export")
@click.argument("out_dir", metavar="DIR", type=click.Path(file_okay=False))
@load_options()
@findings_options
@click.option("--format", "export_format", type=click.Choice(["admin", "load-csv"]), default="admin",
              show_default=True,
              help="admin: CSV files for neo4j-admin database import; load-csv: gzipped CSVs and a load.cypher "
                   "(LOAD CSV ... IN TRANSACTIONS) for Aura and Browser.")
@click.option("--database", "db_name", default="neo4j", show_default=True,
              help="Database name used in the import command of DIR/README.md (admin format).")
@quiet_option
def export_cmd(out_dir, load, findings, niches, export_format, db_name, quiet):
    """Write FILE's graph and findings into DIR: CSV files for `neo4j-admin database import full`
    with a README.md holding the exact command (--format admin, the bulk path for graphs too big
    to push), or gzipped CSVs with an idempotent load.cypher (--format load-csv, for Aura and
    Browser users, who cannot run neo4j-admin)."""
    prepare_output_dir(out_dir)
    inputs, metrics, overlap = _findings(load.require_input(), niches, findings, quiet)
    with step(quiet, f"writing {out_dir}"):
        if export_format == "load-csv":
            files = export_load_csv(inputs.graph, out_dir, metrics=metrics, overlap=overlap)
        else:
            files = export_import_dir(inputs.graph, out_dir, metrics=metrics, overlap=overlap, database=db_name)
    for f in files:
        note(quiet, f"  {f}")
    if export_format == "admin":
        note(quiet, f"import with (Neo4j stopped; see {Path(out_dir) / 'README.md'}, also for CREATE DATABASE):\n"
                    f"  {import_command(out_dir, db_name)}")


@neo4j_group.command("guide")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the guide here (default: standard output).")
def guide_cmd(output):
    """Write a Neo4j Browser guide made from the Cypher library: one slide per question with its
    explanation, a :params command holding the documented defaults, and the query, each runnable
    with one click (play it with :play URL)."""
    if output:
        write_browser_guide(output)
    else:
        click.echo(browser_guide(), nl=False)
