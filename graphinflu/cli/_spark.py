"""``--engine spark`` for the commands that take it: the Spark session, progress and output."""

from __future__ import annotations

from ..analysis import output_folder
from ..params import CommunityParams, EngagementParams, EngineParams, LoadOptions, TargetParams
from ..spark.analysis import SPARK_STEPS, SparkParams, analyze as spark_analyze, is_uri, overlap_view, ranking
from ..spark.analysis import shortlist_view, similar_view, write_run
from ..spark.pages import write_pages
from ..spark.posts import check_window
from ..spark.profiles import quality_graph, read_for_command
from ..spark.session import driver_log, spark_session
from ._common import Steps, note, notes, step


def analyze_on_spark(load: LoadOptions, niches: CommunityParams, target: TargetParams, engage: EngagementParams,
                     stability_runs: int | None, engine: EngineParams, out_dir, fmt: str, quiet: bool,
                     with_map: bool) -> None:
    """``graphinflu analyze --engine spark``: the Spark analysis into ``out_dir`` (a local folder,
    or a URI that gets Parquet tables), with ``map.html`` and ``report.html`` in a local folder. A
    posts window without posts is refused before Spark starts, as locally."""
    check_window(load, engage)
    pages = not is_uri(out_dir)
    steps = Steps(quiet, 1 + len(SPARK_STEPS) + pages)
    with steps("starting Spark"):
        spark = spark_session(engine.master)
    note(quiet, f"Spark {spark.version} on {spark.sparkContext.master}; its own log: {driver_log()}")
    run = spark_analyze(spark, load, niches=niches, target=target, params=SparkParams(master=engine.master),
                        progress=steps, engagement=engage, stability_runs=stability_runs)
    if not pages:
        note(quiet, "note: an output URI gets the tables only: draw map.html and report.html from them with "
                    "graphinflu map / graphinflu report on a local copy")
        manifest = write_run(run, out_dir, load=load, fmt="parquet")
    else:
        with output_folder(out_dir):
            with steps("map and report" if with_map else "report"):
                extra = write_pages(run, out_dir, with_map=with_map, inputs=load.paths())
            manifest = write_run(run, out_dir, load=load, fmt=fmt, extra_files=extra)
    notes(quiet, run.graph.report.lines() + run.analysis.notes)
    note(quiet, f"wrote {len(manifest['files']) + 1} files to {out_dir}")


def _follows_on_spark(load: LoadOptions, engine: EngineParams, quiet: bool, command: str, quality_only: bool = False):
    """Start (or reuse) the Spark session and read the follow list (with ``--profiles``, checking
    ``--posts``: :func:`~graphinflu.spark.profiles.read_for_command`; with ``quality_only``, the
    quality followers' follows: :func:`~graphinflu.spark.profiles.quality_graph`), with progress
    and notes."""
    with step(quiet, "starting Spark"):
        spark = spark_session(engine.master)
    with step(quiet, f"reading {load.follows}"):
        sg = read_for_command(spark, load, command)
    notes(quiet, sg.report.lines())
    if quality_only:  # only the quality followers' follows: every audience below counts them alone
        with step(quiet, "quality followers"):
            sg = quality_graph(sg)
    return sg


def rank_on_spark(load: LoadOptions, by: str, seeds, damping: float, top, engine: EngineParams, quiet: bool):
    """``graphinflu rank --engine spark``: the ranking table, computed by Spark."""
    sg = _follows_on_spark(load, engine, quiet, "rank")
    with step(quiet, by):
        return ranking(sg, by, seeds=seeds, damping=damping, top=top)


def overlap_on_spark(load: LoadOptions, accounts, top, view: str, min_shared: int, engine: EngineParams,
                     quiet: bool, quality_only: bool, *, tier=None, niche=None, niches=None, sketched: bool = False):
    """``graphinflu overlap --engine spark`` (creators by ``--accounts``, ``--top`` or ``--tier``/``--niche``,
    the niche as ``analyze --engine spark`` numbers it);
    ``quality_only`` counts quality followers only. Spark counts every
    overlap exactly, so ``--sketch-above`` (``sketched``) only earns a note."""
    sg = _follows_on_spark(load, engine, quiet, "overlap", quality_only)
    if sketched:
        note(quiet, "note: --engine spark counts audience overlap exactly (a join), so --sketch-above estimates "
                    "nothing there: every figure is exact")
    said: list[str] = []
    with step(quiet, f"overlap ({view})"):
        table = overlap_view(sg, accounts=accounts, top=top, view=view, min_shared=min_shared, tier=tier,
                             niche=niche, niches=niches, notes=said)
    notes(quiet, said)
    return table


def shortlist_on_spark(load: LoadOptions, engine: EngineParams, quiet: bool, quality_only: bool, **choice):
    """``graphinflu shortlist --engine spark``: :func:`~graphinflu.spark.analysis.shortlist_view`
    with the command's ``choice`` (k or budget and costs, candidates, tier, seeds, objective);
    ``quality_only`` counts quality followers only."""
    sg = _follows_on_spark(load, engine, quiet, "shortlist", quality_only)
    with step(quiet, "shortlist"):
        return shortlist_view(sg, **choice)


def similar_on_spark(load: LoadOptions, account: str, top, by: str, tier, candidates, min_shared: int,
                     engine: EngineParams, quiet: bool, quality_only: bool, *, niche=None, niches=None):
    """``graphinflu similar ACCOUNT --engine spark``: the exact lookalike table, shared followers
    counted by a join in Spark (``--niche``: the niches ``analyze --engine spark`` finds);
    ``quality_only`` counts quality followers only."""
    sg = _follows_on_spark(load, engine, quiet, "similar", quality_only)
    said: list[str] = []
    with step(quiet, f"lookalikes of {account}"):
        df = similar_view(sg, account, by=by, top=top, tier=tier, candidates=candidates, min_shared=min_shared,
                          niche=niche, niches=niches, said=said)
    notes(quiet, said, "")
    if df.empty:
        note(quiet, f"no account shares a follower with {account}")
    return df
