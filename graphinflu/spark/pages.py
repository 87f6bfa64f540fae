"""``map.html`` and ``report.html`` for ``analyze --engine spark``: the pages the local engine
writes beside its tables, drawn from the Spark run's tables.

A map needs, besides the account rows of the creators it draws and their audience overlap (both
in the run), only the follows *between* those creators: they are selected in Spark and collected
(at most creators² rows), so the driver never holds the graph. The report reads nothing but the
run's tables.
"""

from __future__ import annotations

from pathlib import Path

from ..maps import build_map, with_targets
from ..maps.report import build_report
from .analysis import SparkRun, between_graph


def write_pages(run: SparkRun, out_dir, *, with_map: bool = True, inputs: dict | None = None) -> dict:
    """Write ``map.html`` (with ``with_map``; its per-niche pages when the map is aggregated) and
    ``report.html`` into ``out_dir`` (a local folder), as the local ``analyze`` writes them.
    Returns what :func:`graphinflu.analysis.write_analysis` lists as ``extra_files``."""
    result, extra = run.analysis, {}
    if with_map:
        brand = list(result.parameters.get("seeds") or [])
        brand_ids = list(run.graph.id_array()[run.graph.codes(brand)]) if brand else []
        drawn = list(dict.fromkeys(list(result.creators) + brand_ids))
        rows = result.accounts.loc[drawn]
        res = build_map(between_graph(run.graph, rows), with_targets(rows, result.targets), result.overlap_pairs,
                        brand=brand_ids or None, path=Path(out_dir) / "map.html", title="graphinflu: top targets")
        extra["map"] = res.path.name
        extra.update({f"map_niche_{i}": Path(p).name for i, p in enumerate(res.niche_maps)})
    extra["report"] = build_report(result, Path(out_dir) / "report.html", map_href=extra.get("map"),
                                   inputs=inputs).name
    return extra
