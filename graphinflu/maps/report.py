"""The one-page campaign report: ``report.html`` beside ``map.html``, offline, printable.

Read top to bottom: the brief (inputs and parameters), the targets with the ``why`` of each
(sortable), the shortlist's reach curve (against creators and budget), the overlap matrix and an
UpSet view of the shortlist's audiences, engagement by tier against the cited benchmarks, the
niches with their map colours, and the map itself. Charts are Vega-Lite specs
(:mod:`graphinflu.maps.charts`) rendered by the vendored, inlined Vega libraries
(``templates/vendor/vega``, fetched by ``tools/vendor/vega/fetch.sh``) with Vega's CSP-safe
expression interpreter (``ast: true``), so the page's Content-Security-Policy allows only the
hashes of its own scripts, never ``'unsafe-eval'``, and nothing is requested. Every chart's rows
are printed in a table next to it.

``build_report`` draws from an :class:`~graphinflu.analysis.Analysis` (``analyze`` calls it);
``report_from_folder`` from the tables and manifest an analyze run wrote (``graphinflu report``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .._io import atomic_write, check_output_file
from ..errors import MapError
from . import charts
from .charts import MATRIX_MAX, UPSET_SHOW  # noqa: F401  (re-exported)
from .folder import read_analysis
from .html import script_json
from .style import OTHER_COLOR, safe_text

#: Targets listed in the report.
REPORT_TARGETS = 25
#: The vendored scripts, in load order (see tools/vendor/vega/fetch.sh).
VENDOR_SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")

_SORT_JS = """(function () {
  document.querySelectorAll("table.gi-sortable th").forEach(function (th) {
    th.addEventListener("click", function () {
      var c = th.cellIndex, body = th.closest("table").tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var down = th.getAttribute("aria-sort") !== "descending";
      th.closest("tr").querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      rows.sort(function (a, b) {
        var x = a.cells[c].getAttribute("data-sort"), y = b.cells[c].getAttribute("data-sort");
        var nx = parseFloat(x), ny = parseFloat(y), r;
        if (!isNaN(nx) && !isNaN(ny)) r = nx - ny; else if (isNaN(nx) !== isNaN(ny)) r = isNaN(nx) ? 1 : -1;
        else r = String(x).localeCompare(String(y));
        return down ? -r : r;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();"""

# Renders every chart: the spec is JSON in a data block (never executed), the expression
# interpreter (ast: true) evaluates Vega expressions without eval/new Function, SVG output prints.
_CHARTS_JS = """(function () {
  var charts = document.querySelectorAll(".gi-chart"), left = charts.length, views = {};
  window.graphinfluReport = {views: views};
  function done() { if (--left <= 0) document.body.setAttribute("data-drawn", String(charts.length)); }
  if (!left) { document.body.setAttribute("data-drawn", "0"); return; }
  charts.forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);
    vegaEmbed(el, spec, {mode: "vega-lite", ast: true, actions: false, renderer: "svg", tooltip: {theme: "light"}})
      .then(function (r) { views[el.id] = r.view; done(); })
      .catch(function (err) { console.error("chart " + el.id + ": " + err); el.textContent = "chart failed: " + err; done(); });
  });
})();"""

_CSS = """body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 24px auto;
  max-width: 1100px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
h3 { font-size: 14px; margin: 16px 0 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: 3px 6px;
  border-bottom: 1px solid #eee; vertical-align: top; } th { background: #f4f4f4; }
table.gi-sortable th { cursor: pointer; user-select: none; } th[aria-sort=descending]::after { content: " \\25BC"; }
th[aria-sort=ascending]::after { content: " \\25B2"; } td.num { text-align: right; white-space: nowrap; }
.sw { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 5px; vertical-align: -1px;
  border: 1px solid rgba(0,0,0,.3); } .note { color: #666; } .brief td:first-child { width: 200px; color: #555; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; } figure { margin: 0 0 12px; }
figcaption { color: #555; font-size: 12px; max-width: 560px; } td, .why { unicode-bidi: isolate; }
#vg-tooltip-element { unicode-bidi: isolate; }
#gi-glance { background: #f6f8fa; border: 1px solid #e3e6ea; padding: 8px 8px 8px 28px; margin: 12px 0; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; }
  .gi-chart svg { max-width: 100%; height: auto; } }"""


def _e(value) -> str:
    return html.escape(safe_text(value), quote=True)


def _num(v, fmt: str) -> str:
    return "\u2014" if v is None or (isinstance(v, float) and not math.isfinite(v)) else format(v, fmt)


def _fnum(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def _table(columns: list[tuple[str, str]], rows: list[list], *, table_id: str, sortable: bool = False) -> str:
    """An HTML table; ``columns`` are (header, kind) with kind ``text`` / ``num`` / ``html`` (already escaped)."""
    cls = ' class="gi-sortable"' if sortable else ""
    head = "".join(f"<th>{_e(c)}</th>" for c, _ in columns)
    body = []
    for r in rows:
        cells = []
        for (c, kind), v in zip(columns, r):
            if kind == "html":
                shown, key = v
                cells.append(f'<td data-sort="{_e(key)}">{shown}</td>')
            elif kind == "num":
                shown, key = v
                cells.append(f'<td class="num" data-sort="{_e(key)}">{_e(shown)}</td>')
            else:
                cells.append(f'<td data-sort="{_e(v)}">{_e(v)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table id="{table_id}"{cls}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _int(v) -> tuple[str, int]:
    return f"{int(v):,}", int(v)


def _defang(text: str) -> str:
    """Inlined library text: no source-map comment (nothing to fetch), nothing that ends ``<script>``
    early, and no ``http(s)://`` text (``\\/`` is ``/`` inside JavaScript strings and regexes)."""
    text = re.sub(r"//# sourceMappingURL=\S*", "", text)
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    return text.replace("http://", "http:\\/\\/").replace("https://", "https:\\/\\/")


@lru_cache(maxsize=1)
def vendored_scripts() -> tuple[str, ...]:
    """The Vega, Vega-Lite and vega-embed builds shipped in ``graphinflu/templates/vendor/vega``."""
    base = resources.files("graphinflu") / "templates" / "vendor" / "vega"
    try:
        return tuple(_defang((base / name).read_text("utf-8")) for name in VENDOR_SCRIPTS)
    except (OSError, FileNotFoundError) as err:
        raise MapError(f"the vendored chart library is missing: {err}",
                       hint="reinstall graphinflu, or run tools/vendor/vega/fetch.sh in a source checkout") from err


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


class _Page:
    """Collects sections and chart specs; each chart is a ``<div class="gi-chart">`` plus its JSON."""

    def __init__(self):
        self.parts: list[str] = []
        self.specs: list[tuple[str, dict]] = []

    def chart(self, chart_id: str, spec: dict, caption: str) -> str:
        self.specs.append((chart_id, spec))
        return (f'<figure><div class="gi-chart" id="{chart_id}" data-spec="{chart_id}-spec" role="img" '
                f'aria-label="{_e(caption)}"></div><figcaption>{_e(caption)}</figcaption></figure>')

    def html(self, title: str) -> str:
        scripts = list(vendored_scripts()) + [_CHARTS_JS, _SORT_JS] if self.specs else [_SORT_JS]
        csp = ("default-src 'none'; script-src " + " ".join(_hash(s) for s in scripts)
               + "; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
                 "form-action 'none'")
        data = "".join(f'<script type="application/json" id="{cid}-spec">{script_json(spec)}</script>'
                       for cid, spec in self.specs)
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
                f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{_e(title)}</title>"
                f"<style>{_CSS}</style></head><body>" + "\n".join(self.parts) + data
                + "".join(f"<script>{s}</script>" for s in scripts) + "</body></html>\n")


def _brief(page: _Page, result, inputs: dict | None) -> None:
    params = dict(result.parameters or {})
    acc, targ = result.accounts, result.targets
    brief = [(f"input ({role})", str(Path(p).name)) for role, p in (inputs or {}).items() if p]
    brand = params.get("brand") or {}
    brief += [("brand target (seed accounts)", ", ".join(map(str, params.get("seeds") or [])) or "none given")]
    if brand:
        brief.append(("brand (as stated)", ", ".join(f"{k}: {v}" for k, v in brand.items() if k != "found" and v)))
    brief += [("target tier", str(params.get("tier"))),
              ("niches", f"{params.get('method', '?')}, resolution {params.get('resolution', '?')}, "
                         f"seed {params.get('seed', '?')}"),
              ("shortlist", f"{params.get('shortlist_k') or 'as many as add reach'} of the top "
                            f"{params.get('overlap_top', '?')} targets"
                            + (f", budget {params['budget']:,}" if params.get("budget") else "")),
              ("accounts / targets", f"{len(acc):,} / {len(targ):,}")]
    page.parts.append('<h2>Brief</h2><table class="brief" id="gi-brief"><tbody>'
                      + "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in brief) + "</tbody></table>")


def _glance(page: _Page, targ: pd.DataFrame, short: pd.DataFrame | None, tiers: pd.DataFrame) -> None:
    """Three lines for the top of the page: the best target, what the shortlist reaches, engagement."""
    lines = []
    if len(targ):
        r = targ.iloc[0]
        lab = r.get("niche_label")
        niche = lab if isinstance(lab, str) and lab.strip() else f"niche {r.get('community')}"
        why = r.get("why") if isinstance(r.get("why"), str) and r.get("why") else ""
        lines.append(f"Best target: <b>{_e(r.get('handle', targ.index[0]))}</b> ({_e(niche)}), score "
                     f"{float(r['score']):.3f}" + (f": {_e(why)}" if why else "") + ".")
    if short is not None and len(short):
        reach = int(short["cumulative_reach"].iloc[-1])
        line = f"The shortlist's {len(short):,} creators reach <b>{reach:,}</b> unique followers"
        if "audience_size" in short:
            total = int(short["audience_size"].sum())
            line += (f"; their audiences add up to {total:,}, so {1 - reach / total:.0%} of those follows are "
                     "people already reached" if total else "")
        cost = pd.to_numeric(short.get("cumulative_cost"), errors="coerce") if "cumulative_cost" in short else None
        if cost is not None and cost.notna().all():
            line += f"; budget {float(cost.iloc[-1]):,.2f}"
        lines.append(line + ".")
    if len(tiers) and tiers["median_vs_benchmark"].notna().any():
        above = tiers[tiers["median_vs_benchmark"] > 1]["tier"].tolist()
        lines.append(f"Median engagement is above its published benchmark in {len(above)} of "
                     f"{int(tiers['median_vs_benchmark'].notna().sum())} tiers" + (f" ({_e(', '.join(above))})" if above else "")
                     + ".")
    if lines:
        page.parts.append('<ul id="gi-glance">' + "".join(f"<li>{x}</li>" for x in lines) + "</ul>")


def _targets(page: _Page, targ: pd.DataFrame, colour_of: dict) -> None:
    top = targ.head(REPORT_TARGETS)
    cols = [("rank", "num"), ("creator", "text"), ("niche", "html"), ("tier", "text"), ("followers", "num"),
            ("engagement", "num"), ("brand affinity", "num"), ("score", "num"), ("why", "text")]
    rows = []
    for i, r in top.iterrows():
        lab = r.get("niche_label")
        label = lab if isinstance(lab, str) and lab.strip() else f"niche {r.get('community')}"
        eng, aff, fol = _fnum(r.get("engagement_rate")), _fnum(r.get("affinity")), _fnum(r.get("followers"))
        why = r.get("why", "")
        rows.append([_int(r["rank"]), r.get("handle", i),
                     (_swatch(colour_of, r.get("community")) + _e(label), safe_text(label)), r.get("tier", ""),
                     (_num(fol, ",.0f"), fol if math.isfinite(fol) else ""),
                     (_num(100 * eng, ".2f") + " %" if math.isfinite(eng) else "\u2014", eng if math.isfinite(eng) else ""),
                     (_num(100 * aff, ".0f") + " %" if math.isfinite(aff) else "\u2014", aff if math.isfinite(aff) else ""),
                     (f"{float(r['score']):.3f}", float(r["score"])), why if isinstance(why, str) else ""])
    keep = [k for k, (name, _) in enumerate(cols)  # a column with nothing in it (no posts, no brand) is left out
            if not (name in ("engagement", "brand affinity", "followers") and all(r[k][1] == "" for r in rows))]
    page.parts.append(f"<h2>Targets</h2><p class=\"note\">The {len(top)} best of {len(targ):,} targets by score "
                      "(click a column to sort). <em>why</em> gives the reasons behind each score.</p>"
                      + _table([cols[k] for k in keep], [[r[k] for k in keep] for r in rows], table_id="gi-targets",
                               sortable=True))


def _swatch(colour_of: dict, comm) -> str:
    return f'<span class="sw" style="background:{colour_of.get(str(comm), OTHER_COLOR)}"></span>'


def _shortlist(page: _Page, short: pd.DataFrame | None, pairs, intersections) -> None:
    page.parts.append("<h2>Shortlist: reach and overlap</h2>")
    if short is None or not len(short):
        page.parts.append('<p class="note">No shortlist: it needs follower lists.</p>')
        return
    reach = charts.reach_table(short)
    figs = [page.chart("gi-reach", charts.reach_spec(reach),
                       "Unique followers reached by the first k creators of the shortlist (greedy: each adds the "
                       "most new followers). Hover a point for its figures.")]
    if charts.has_budget(reach):
        figs.append(page.chart("gi-reach-budget", charts.reach_spec(reach, against="budget"),
                               "Unique reach against the budget spent, pick by pick."))
    page.parts.append('<div class="charts">' + "".join(figs) + "</div>")
    cols = [("pick", "num"), ("creator", "text"), ("new followers", "num"), ("unique reach", "num")]
    rows = [[_int(r.pick), r.creator, _int(r.new_followers), _int(r.unique_reach)] for r in reach.itertuples()]
    if charts.has_budget(reach):
        cols.append(("budget spent", "num"))
        for row, b in zip(rows, reach["budget"]):
            row.append((f"{b:,.2f}", b))
    page.parts.append(_table(cols, rows, table_id="gi-shortlist", sortable=True))
    over = charts.overlap_table(short, pairs)
    n = over["pick_a"].nunique()
    page.parts.append("<h3>Overlap between the shortlisted creators</h3>" + page.chart(
        "gi-overlap", charts.overlap_spec(over),
        f"Audience overlap (Jaccard: shared followers / followers of either) between the first {n} shortlist "
        "creators; darker = more shared followers; pick pale pairs to reach new people. Grey: the creator itself."))
    bars, dots, sets = charts.upset_tables(intersections, short)
    page.parts.append("<h3>Who reaches whom: the shortlist's audiences (UpSet)</h3>")
    if not len(bars):
        page.parts.append('<p class="note">No intersection table (shortlist_intersections) in this analysis: '
                          "graphinflu analyze (local engine) writes it.</p>")
        return
    total = int(intersections["followers"].sum())
    page.parts.append(page.chart(
        "gi-upset", charts.upset_spec(bars, dots, sets),
        f"Each column is a group of followers who follow exactly the creators marked below it (and no other of the "
        f"first {len(sets)}); the bar is how many. {len(bars)} of {len(intersections):,} groups: the largest, with "
        f"at most {charts.UPSET_SINGLES} of one creator alone; all groups together are the {total:,} unique "
        "followers. Left: each creator's audience.")
        + _table([("group", "num"), ("followers", "num"), ("creators", "num"), ("follow exactly", "text")],
                 [[_int(r.intersection), _int(r.followers), _int(r.creators), r.names] for r in bars.itertuples()],
                 table_id="gi-upset-table"))


def _engagement(page: _Page, acc: pd.DataFrame) -> None:
    tiers, bench = charts.engagement_table(acc), charts.benchmark_table(acc)
    page.parts.append("<h2>Engagement by tier, against published benchmarks</h2>")
    if not len(tiers):
        page.parts.append('<p class="note">No engagement rates: give --posts (likes and comments per post).</p>')
        return
    page.parts.append(page.chart(
        "gi-engagement", charts.engagement_spec(tiers, bench),
        "Bars: median engagement rate of the accounts with rated posts, per tier. Black ticks: the published "
        "benchmark for the follower band of those accounts (graphinflu/data/engagement_benchmarks.csv; hover for "
        "the source)."))
    page.parts.append(_table(
        [("tier", "text"), ("rated accounts", "num"), ("median engagement", "num"), ("median × benchmark", "num")],
        [[r.tier, _int(r.accounts), (f"{r.median_pct:.2f} %", r.median_pct),
          (_num(r.median_vs_benchmark, ".2f"), r.median_vs_benchmark if math.isfinite(r.median_vs_benchmark) else "")]
         for r in tiers.itertuples()], table_id="gi-engagement-table"))
    if len(bench):
        page.parts.append(_table(
            [("tier", "text"), ("benchmark", "num"), ("rated accounts in its band", "num"), ("source", "text")],
            [[r.tier, (f"{r.benchmark_pct:.2f} %", r.benchmark_pct), _int(r.accounts), r.source]
             for r in bench.itertuples()], table_id="gi-benchmark-table"))


def _niches(page: _Page, comm: pd.DataFrame | None, colour_of: dict, map_href: str | None, map_file: Path | None) -> None:
    page.parts.append("<h2>Niches</h2>")
    if comm is not None and len(comm):
        c = comm.reset_index() if "community" not in comm.columns else comm
        page.parts.append(_table(
            [("niche", "html"), ("label", "text"), ("accounts", "num"), ("top creators", "text")],
            [[(_swatch(colour_of, r["community"]) + _e(r["community"]), str(r["community"])),
              r.get("niche_label") if isinstance(r.get("niche_label"), str) and r.get("niche_label") else
              f"niche {r['community']}", _int(r["size"]),
              r.get("top_authorities", "") if isinstance(r.get("top_authorities", ""), str) else ""]
             for _, r in c.head(60).iterrows()], table_id="gi-niches"))
    if not map_href:
        return
    points, why = charts.map_points(map_file)
    link = f'<a id="gi-map-link-2" href="{_e(map_href)}">{_e(map_href)}</a>'
    if points is None:
        page.parts.append(f'<p class="note">Open the interactive map: {link} ({_e(why)}).</p>')
        return
    page.parts.append("<h3>The map</h3>" + page.chart(
        "gi-map", charts.map_spec(points),
        f"The map's {len(points):,} {'niches' if points['named'].all() else 'creators'} at its own positions and "
        "niche colours, with the names it always shows. Open the interactive map for links, search and filters: "
        + map_href + ".") + f"<p>Interactive map: {link}</p>")


def build_report(result, path, *, map_href: str | None = "map.html", inputs: dict | None = None,
                 title: str = "graphinflu campaign report", map_file=None) -> Path:
    """Write the campaign report of an analysis to ``path`` (atomically).

    ``result`` is an :class:`~graphinflu.analysis.Analysis` or an
    :class:`~graphinflu.maps.folder.AnalysisFolder` (anything with ``accounts``, ``targets``,
    ``communities``, ``shortlist``, ``overlap_pairs``, ``parameters`` and optionally
    ``shortlist_intersections``). ``inputs`` (role → file path) and ``result.parameters`` make the
    brief; ``map_href`` (a file name next to the report, or None) is linked, and the layout of
    ``map_file`` (default: ``map_href`` next to the report) drawn.
    Niche colours are those of the maps of the same analysis (:mod:`graphinflu.maps.style`).
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise MapError(f"report file must end in .html, got {path.name!r}", hint="use e.g. report.html")
    check_output_file(path)
    acc = result.accounts
    colour_of = charts.niche_colours(acc)
    page = _Page()
    page.parts.append(f"<h1>{_e(title)}</h1>")
    if map_href:
        page.parts.append(f'<p>Interactive map of the same creators: <a id="gi-map-link" href="{_e(map_href)}">'
                          f"{_e(map_href)}</a> (same niche colours).</p>")
    _glance(page, result.targets, result.shortlist, charts.engagement_table(acc))
    _brief(page, result, inputs)
    _targets(page, result.targets, colour_of)
    _shortlist(page, result.shortlist, result.overlap_pairs, getattr(result, "shortlist_intersections", None))
    _engagement(page, acc)
    _niches(page, result.communities, colour_of, map_href,
            Path(map_file) if map_file is not None else (path.parent / map_href if map_href else None))
    with atomic_write(path, "w") as fh:
        fh.write(page.html(title))
    return path


def report_from_folder(folder, output=None, *, title: str = "graphinflu campaign report") -> Path:
    """Draw the campaign report of an analyze output ``folder`` (its manifest and tables) to
    ``output`` (default ``folder/report.html``), without running the analysis again. The map link
    (and picture) is the folder's ``map.html`` when the report is written into the folder."""
    folder = Path(folder)
    data = read_analysis(folder)
    out = Path(output) if output is not None else folder / "report.html"
    href = data.map_file
    map_file = folder / href if href else None
    if href and out.resolve().parent != folder.resolve():  # a link relative to where the report is
        href = quote(Path(os.path.relpath((folder / href).resolve(), out.resolve().parent)).as_posix())
    return build_report(data, out, map_href=href, inputs=data.inputs, title=title, map_file=map_file)


__all__ = ["build_report", "report_from_folder", "vendored_scripts", "REPORT_TARGETS", "MATRIX_MAX", "UPSET_SHOW"]
