"""``--engine spark`` for the commands that take it: the Spark session, progress and output."""

from __future__ import annotations

from ..analysis import output_folder
from ..params import CommunityParams, EngagementParams, EngineParams, LoadOptions, TargetParams
from ..spark.analysis import SPARK_STEPS, SparkParams, analyze as spark_analyze, is_uri, overlap_view, ranking, refuse
from ..spark.analysis import refuse_local_only
from ..spark.analysis import shortlist_view, similar_view, write_run
from ..spark.profiles import read_for_command
from ..spark.session import driver_log, spark_session
from ._common import Steps, note, notes, step


def analyze_on_spark(load: LoadOptions, niches: CommunityParams, target: TargetParams, engage: EngagementParams,
                     stability_runs: int | None, engine: EngineParams, out_dir, fmt: str, quiet: bool,
                     with_map: bool) -> None:
    """``graphinflu analyze --engine spark``: the Spark analysis into ``out_dir`` (a local folder,
    or a URI that gets Parquet tables). No map: at scale a map is drawn from the tables. Options
    only the local engine has are refused before Spark starts."""
    refuse_local_only(target, engage, stability_runs)
    steps = Steps(quiet, 1 + len(SPARK_STEPS))
    with steps("starting Spark"):
        spark = spark_session(engine.master)
    note(quiet, f"Spark {spark.version} on {spark.sparkContext.master}; its own log: {driver_log()}")
    if with_map:
        note(quiet, "note: --engine spark writes no map.html (draw one from the tables with graphinflu map)")
    run = spark_analyze(spark, load, niches=niches, target=target, params=SparkParams(master=engine.master),
                        progress=steps, engagement=engage, stability_runs=stability_runs)
    if is_uri(out_dir):
        manifest = write_run(run, out_dir, load=load, fmt="parquet")
    else:
        with output_folder(out_dir):
            manifest = write_run(run, out_dir, load=load, fmt=fmt)
    notes(quiet, run.graph.report.lines() + run.analysis.notes)
    note(quiet, f"wrote {len(manifest['files']) + 1} files to {out_dir}")


def _follows_on_spark(load: LoadOptions, engine: EngineParams, quiet: bool, command: str):
    """Start (or reuse) the Spark session and read the follow list (with ``--profiles``, checking
    ``--posts``: :func:`~graphinflu.spark.profiles.read_for_command`), with progress and notes."""
    with step(quiet, "starting Spark"):
        spark = spark_session(engine.master)
    with step(quiet, f"reading {load.follows}"):
        sg = read_for_command(spark, load, command)
    notes(quiet, sg.report.lines())
    return sg


def rank_on_spark(load: LoadOptions, by: str, seeds, damping: float, top, engine: EngineParams, quiet: bool):
    """``graphinflu rank --engine spark``: the ranking table, computed by Spark."""
    sg = _follows_on_spark(load, engine, quiet, "rank")
    with step(quiet, by):
        return ranking(sg, by, seeds=seeds, damping=damping, top=top)


def overlap_on_spark(load: LoadOptions, accounts, top, view: str, min_shared: int, engine: EngineParams,
                     quiet: bool, local_only: dict):
    """``graphinflu overlap --engine spark`` (creators by ``--accounts`` or ``--top``); the options
    in ``local_only`` that were given are refused with the fix."""
    refuse(local_only)
    sg = _follows_on_spark(load, engine, quiet, "overlap")
    with step(quiet, f"overlap ({view})"):
        return overlap_view(sg, accounts=accounts, top=top, view=view, min_shared=min_shared)


def shortlist_on_spark(load: LoadOptions, k, candidates, top_candidates, engine: EngineParams, quiet: bool,
                       local_only: dict):
    """``graphinflu shortlist --engine spark --k K`` among ``--candidates`` or ``--top-candidates``;
    the options in ``local_only`` that were given are refused with the fix."""
    refuse(local_only)
    sg = _follows_on_spark(load, engine, quiet, "shortlist")
    with step(quiet, "shortlist"):
        return shortlist_view(sg, k=k, candidates=candidates, top_candidates=top_candidates)


def similar_on_spark(load: LoadOptions, account: str, top, by: str, tier, candidates, min_shared: int,
                     engine: EngineParams, quiet: bool, local_only: dict):
    """``graphinflu similar ACCOUNT --engine spark``: the exact lookalike table, shared followers
    counted by a join in Spark; the options in ``local_only`` that were given are refused with the fix."""
    refuse(local_only)
    sg = _follows_on_spark(load, engine, quiet, "similar")
    with step(quiet, f"lookalikes of {account}"):
        df = similar_view(sg, account, by=by, top=top, tier=tier, candidates=candidates, min_shared=min_shared)
    if df.empty:
        note(quiet, f"no account shares a follower with {account}")
    return df
