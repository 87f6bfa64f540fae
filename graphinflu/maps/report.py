"""The one-page campaign report: ``report.html`` beside ``map.html``, offline, printable.

Read top to bottom: the brief (inputs and parameters), the targets with the ``why`` of each
(sortable), the shortlist's reach curve, the overlap matrix of the shortlist, engagement by tier,
the niches with their map colours, and a link to the map. Every chart is an inline SVG made here
from the table printed beside it (each mark carries its value in ``data-*`` attributes and a
``<title>``), so no script library is needed: Vega-Lite would need ``'unsafe-eval'`` in the page's
Content-Security-Policy (or a second vendored interpreter), and the page must stay offline. One
small hashed script sorts the targets table; nothing else runs and nothing is requested.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .._io import atomic_write, check_output_file
from ..errors import MapError
from .style import OTHER_COLOR, niche_codes, niche_color, safe_text

#: Targets listed in the report, and shortlist creators in the overlap matrix.
REPORT_TARGETS = 25
MATRIX_MAX = 20

_SORT_JS = """(function () {
  document.querySelectorAll("table.gi-sortable th").forEach(function (th, c) {
    th.addEventListener("click", function () {
      var body = th.closest("table").tBodies[0], rows = Array.prototype.slice.call(body.rows);
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

_CSS = """body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 24px auto;
  max-width: 1100px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: 3px 6px;
  border-bottom: 1px solid #eee; vertical-align: top; } th { background: #f4f4f4; }
table.gi-sortable th { cursor: pointer; user-select: none; } th[aria-sort=descending]::after { content: " \\25BC"; }
th[aria-sort=ascending]::after { content: " \\25B2"; } td.num { text-align: right; white-space: nowrap; }
.sw { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 5px; vertical-align: -1px;
  border: 1px solid rgba(0,0,0,.3); } .note { color: #666; } .brief td:first-child { width: 200px; color: #555; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; } figure { margin: 0; } figcaption { color: #555; font-size: 12px; }
svg text { font: 11px system-ui, sans-serif; fill: #333; } td, .why { unicode-bidi: isolate; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }"""


def _e(value) -> str:
    return html.escape(safe_text(value), quote=True)


def _num(v, fmt: str) -> str:
    return "\u2014" if v is None or (isinstance(v, float) and not math.isfinite(v)) else format(v, fmt)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    step = 10 ** math.floor(math.log10((hi - lo) / n))
    step *= next(m for m in (1, 2, 5, 10) if (hi - lo) / (step * m) <= n)
    return [k * step for k in range(math.ceil(lo / step), math.floor(hi / step) + 1)]


def line_chart(xs, ys, *, xlabel: str, ylabel: str, chart_id: str, w: int = 520, h: int = 260) -> str:
    """A line with points: every point a ``<circle data-x data-y>`` with a ``<title>``."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    ml, mr, mt, mb = 64, 16, 12, 40
    x0, x1 = (0.0, float(xs.max())) if len(xs) else (0.0, 1.0)
    y1 = float(ys.max()) if len(ys) and ys.max() > 0 else 1.0
    sx = lambda v: ml + (v - x0) / ((x1 - x0) or 1) * (w - ml - mr)  # noqa: E731
    sy = lambda v: h - mb - v / y1 * (h - mt - mb)  # noqa: E731
    out = [f'<svg id="{chart_id}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{_e(ylabel)}">',
           f'<line x1="{ml}" y1="{h - mb}" x2="{w - mr}" y2="{h - mb}" stroke="#999"/>',
           f'<line x1="{ml}" y1="{mt}" x2="{ml}" y2="{h - mb}" stroke="#999"/>']
    for t in _ticks(0, y1):
        out.append(f'<text x="{ml - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{t:,.10g}</text>'
                   f'<line x1="{ml}" y1="{sy(t):.1f}" x2="{w - mr}" y2="{sy(t):.1f}" stroke="#eee"/>')
    for t in _ticks(x0, x1):
        out.append(f'<text x="{sx(t):.1f}" y="{h - mb + 16}" text-anchor="middle">{t:,.10g}</text>')
    out.append(f'<text x="{(ml + w - mr) / 2}" y="{h - 6}" text-anchor="middle">{_e(xlabel)}</text>')
    out.append(f'<text transform="translate(14,{(mt + h - mb) / 2}) rotate(-90)" text-anchor="middle">{_e(ylabel)}</text>')
    pts = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in zip(xs, ys))
    out.append(f'<polyline points="{pts}" fill="none" stroke="#0077BB" stroke-width="2"/>')
    for x, y in zip(xs.tolist(), ys.tolist()):
        out.append(f'<circle class="pt" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="#0077BB" data-x="{x:g}" '
                   f'data-y="{y:g}"><title>{_e(xlabel)} {x:,g}: {_e(ylabel)} {y:,g}</title></circle>')
    return "".join(out) + "</svg>"


def heat_matrix(names: list[str], values: np.ndarray, *, chart_id: str, metric: str) -> str:
    """A square heat map: cell (i, j) a ``<rect data-a data-b data-value>`` shaded by ``values[i, j]``."""
    n = len(names)
    cell, left, top = 22, 150, 150
    w, h = left + n * cell + 10, top + n * cell + 10
    vmax = float(np.nanmax(values[~np.eye(n, dtype=bool)])) if n > 1 and np.isfinite(values).any() else 1.0
    out = [f'<svg id="{chart_id}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{_e(metric)} matrix">']
    for i, name in enumerate(names):
        out.append(f'<text x="{left - 6}" y="{top + i * cell + 15}" text-anchor="end">{_e(name[:22])}</text>')
        out.append(f'<text transform="translate({left + i * cell + 15},{top - 6}) rotate(-60)">{_e(name[:22])}</text>')
    for i in range(n):
        for j in range(n):
            v = float(values[i, j])
            share = 0.0 if not math.isfinite(v) or vmax <= 0 else min(v / vmax, 1.0)
            fill = "#dddddd" if i == j else "rgb({},{},{})".format(*(round(255 - share * (255 - c)) for c in (0, 119, 187)))
            out.append(f'<rect class="cell" x="{left + j * cell}" y="{top + i * cell}" width="{cell - 1}" '
                       f'height="{cell - 1}" fill="{fill}" data-a="{_e(names[i])}" data-b="{_e(names[j])}" '
                       f'data-value="{v:.4g}"><title>{_e(names[i])} \u00d7 {_e(names[j])}: {_e(metric)} {v:.3f}'
                       "</title></rect>")
    return "".join(out) + "</svg>"


def bar_chart(labels: list[str], values: list[float], counts: list[int], *, chart_id: str, ylabel: str,
              w: int = 420, h: int = 240) -> str:
    """Vertical bars, each a ``<rect data-label data-value data-n>`` with a ``<title>``."""
    ml, mb, mt = 56, 40, 12
    top = max(values) if values and max(values) > 0 else 1.0
    bw = (w - ml - 10) / max(len(values), 1)
    out = [f'<svg id="{chart_id}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{_e(ylabel)}">',
           f'<line x1="{ml}" y1="{h - mb}" x2="{w - 10}" y2="{h - mb}" stroke="#999"/>']
    for t in _ticks(0, top):
        y = h - mb - t / top * (h - mb - mt)
        out.append(f'<text x="{ml - 6}" y="{y + 4:.1f}" text-anchor="end">{t:.3g}</text>'
                   f'<line x1="{ml}" y1="{y:.1f}" x2="{w - 10}" y2="{y:.1f}" stroke="#eee"/>')
    for k, (lab, v, n) in enumerate(zip(labels, values, counts)):
        bh = v / top * (h - mb - mt)
        x = ml + k * bw + bw * 0.15
        out.append(f'<rect class="bar" x="{x:.1f}" y="{h - mb - bh:.1f}" width="{bw * 0.7:.1f}" height="{bh:.1f}" '
                   f'fill="#E69F00" data-label="{_e(lab)}" data-value="{v:.4g}" data-n="{n}">'
                   f"<title>{_e(lab)}: {v:.2f} (median of {n:,})</title></rect>"
                   f'<text x="{x + bw * 0.35:.1f}" y="{h - mb + 16}" text-anchor="middle">{_e(lab)}</text>')
    out.append(f'<text transform="translate(14,{(mt + h - mb) / 2}) rotate(-90)" text-anchor="middle">{_e(ylabel)}</text>')
    return "".join(out) + "</svg>"


# ------------------------------------------------------------------------------------------ sections
def engagement_by_tier(accounts: pd.DataFrame) -> pd.DataFrame:
    """Median engagement rate (%) and rated accounts per tier (tiers in size order), from ``accounts``."""
    if not {"engagement_rate", "tier"} <= set(accounts.columns):
        return pd.DataFrame(columns=["tier", "median_engagement_pct", "accounts"])
    ok = pd.to_numeric(accounts["engagement_rate"], errors="coerce").notna()
    if "rated" in accounts.columns:
        ok &= accounts["rated"].fillna(False).astype(bool)
    rated = accounts.loc[ok]
    order = [t for t in ("nano", "micro", "mid", "macro", "mega") if t in set(rated["tier"].astype(str))]
    order += sorted(set(rated["tier"].astype(str)) - set(order))
    g = rated.groupby(rated["tier"].astype(str))["engagement_rate"]
    return pd.DataFrame({"tier": order, "median_engagement_pct": [100 * float(g.get_group(t).median()) for t in order],
                         "accounts": [int(g.get_group(t).size) for t in order]})


def overlap_matrix(shortlist: pd.DataFrame, pairs: pd.DataFrame | None, metric: str = "jaccard") -> pd.DataFrame:
    """The ``metric`` between every two shortlist creators (in pick order; 1 on the diagonal, 0 without a pair)."""
    ids = [str(i) for i in shortlist.index[:MATRIX_MAX]]
    mat = pd.DataFrame(np.eye(len(ids)), index=ids, columns=ids)
    if pairs is not None and len(pairs) and metric in pairs.columns:
        p = pairs[pairs["creator_a"].astype(str).isin(ids) & pairs["creator_b"].astype(str).isin(ids)]
        for a, b, v in zip(p["creator_a"].astype(str), p["creator_b"].astype(str), p[metric].astype(float)):
            if a != b:
                mat.loc[a, b] = mat.loc[b, a] = v
    return mat


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
                cells.append(f'<td class="num" data-sort="{key}">{_e(shown)}</td>')
            else:
                cells.append(f'<td data-sort="{_e(v)}">{_e(v)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table id="{table_id}"{cls}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _fnum(v) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return f


def build_report(result, path, *, map_href: str | None = "map.html", inputs: dict | None = None,
                 title: str = "graphinflu campaign report") -> Path:
    """Write the campaign report of an :class:`~graphinflu.analysis.Analysis` to ``path`` (atomically).

    ``inputs`` (role → file path) and ``result.parameters`` make the brief; ``map_href`` (a file
    name next to the report, or None) is linked. Niche colours are those of the maps of the same
    analysis (:mod:`graphinflu.maps.style`).
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise MapError(f"report file must end in .html, got {path.name!r}", hint="use e.g. report.html")
    check_output_file(path)
    acc, targ = result.accounts, result.targets
    codes = pd.Series(niche_codes(acc["community"], pd.factorize(acc["community"])[0]) if "community" in acc else [],
                      index=acc.index if "community" in acc else None, dtype="int64")
    colour_of = {str(c): niche_color(int(k)) for c, k in zip(acc.get("community", pd.Series(dtype=object)), codes)}

    def swatch(comm) -> str:
        return f'<span class="sw" style="background:{colour_of.get(str(comm), OTHER_COLOR)}"></span>'

    parts = [f"<h1>{_e(title)}</h1>"]
    if map_href:
        parts.append(f'<p>Interactive map of the same creators: <a id="gi-map-link" href="{_e(map_href)}">'
                     f"{_e(map_href)}</a> (same niche colours).</p>")
    # --- brief
    params = dict(result.parameters or {})
    brief = [(f"input ({role})", str(Path(p).name)) for role, p in (inputs or {}).items() if p]
    brief += [("brand target (seed accounts)", ", ".join(map(str, params.get("seeds") or [])) or "none given"),
              ("target tier", str(params.get("tier"))),
              ("niches", f"{params.get('method', '?')}, resolution {params.get('resolution', '?')}, seed {params.get('seed', '?')}"),
              ("accounts / targets", f"{len(acc):,} / {len(targ):,}")]
    parts.append('<h2>Brief</h2><table class="brief" id="gi-brief"><tbody>'
                 + "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in brief) + "</tbody></table>")
    # --- targets
    top = targ.head(REPORT_TARGETS)
    cols = [("rank", "num"), ("creator", "text"), ("niche", "html"), ("tier", "text"), ("followers", "num"),
            ("engagement", "num"), ("brand affinity", "num"), ("score", "num"), ("why", "text")]
    rows = []
    for i, r in top.iterrows():
        label = r.get("niche_label") if isinstance(r.get("niche_label"), str) and r.get("niche_label").strip() else \
            f"niche {r.get('community')}"
        eng, aff, fol = _fnum(r.get("engagement_rate")), _fnum(r.get("affinity")), _fnum(r.get("followers"))
        rows.append([(str(int(r["rank"])), int(r["rank"])), r.get("handle", i),
                     (swatch(r.get("community")) + _e(label), safe_text(label)), r.get("tier", ""),
                     (_num(fol, ",.0f"), fol if math.isfinite(fol) else ""),
                     (_num(100 * eng, ".2f") + " %" if math.isfinite(eng) else "\u2014", eng if math.isfinite(eng) else ""),
                     (_num(100 * aff, ".0f") + " %" if math.isfinite(aff) else "\u2014", aff if math.isfinite(aff) else ""),
                     (f"{float(r['score']):.3f}", float(r["score"])), r.get("why", "")])
    keep = [k for k, (name, _) in enumerate(cols)  # a column with nothing in it (no posts, no brand) is left out
            if not (name in ("engagement", "brand affinity", "followers") and all(r[k][1] == "" for r in rows))]
    parts.append(f"<h2>Targets</h2><p class=\"note\">The {len(top)} best of {len(targ):,} targets by score "
                 "(click a column to sort). <em>why</em> gives the reasons behind each score.</p>"
                 + _table([cols[k] for k in keep], [[r[k] for k in keep] for r in rows], table_id="gi-targets",
                          sortable=True))
    # --- reach + overlap
    charts = []
    short = result.shortlist
    if short is not None and len(short):
        charts.append("<figure>" + line_chart(short["pick"], short["cumulative_reach"], xlabel="creators in the shortlist",
                                              ylabel="unique reach (followers)", chart_id="gi-reach")
                      + "<figcaption>Unique followers reached by the first k creators of the shortlist "
                        "(greedy: each adds the most new followers).</figcaption></figure>")
        cost = pd.to_numeric(short.get("cumulative_cost"), errors="coerce") if "cumulative_cost" in short else None
        if cost is not None and cost.notna().all():
            charts.append("<figure>" + line_chart(cost, short["cumulative_reach"], xlabel="budget spent",
                                                  ylabel="unique reach (followers)", chart_id="gi-reach-budget")
                          + "<figcaption>Unique reach against the budget spent.</figcaption></figure>")
        mat = overlap_matrix(short, result.overlap_pairs)
        handles = [safe_text(short["handle"].iloc[k]) if "handle" in short else mat.index[k] for k in range(len(mat))]
        charts.append("<figure>" + heat_matrix(handles, mat.to_numpy(), chart_id="gi-overlap", metric="jaccard")
                      + f"<figcaption>Audience overlap (Jaccard) between the first {len(mat)} shortlist creators: "
                        "darker = more shared followers; pick pale pairs to reach new people.</figcaption></figure>")
        parts.append("<h2>Shortlist: reach and overlap</h2><div class=\"charts\">" + "".join(charts) + "</div>")
        parts.append(_table([("pick", "num"), ("creator", "text"), ("new followers", "num"), ("unique reach", "num")],
                            [[(str(int(r["pick"])), int(r["pick"])), r.get("handle", i),
                              (f"{int(r['marginal_reach']):,}", int(r["marginal_reach"])),
                              (f"{int(r['cumulative_reach']):,}", int(r["cumulative_reach"]))]
                             for i, r in short.iterrows()], table_id="gi-shortlist"))
    else:
        parts.append("<h2>Shortlist: reach and overlap</h2><p class=\"note\">No shortlist: it needs follower lists.</p>")
    # --- engagement by tier
    eng = engagement_by_tier(acc)
    parts.append("<h2>Engagement by tier</h2>")
    if len(eng):
        parts.append("<figure>" + bar_chart(eng["tier"].tolist(), eng["median_engagement_pct"].tolist(),
                                            eng["accounts"].tolist(), chart_id="gi-engagement",
                                            ylabel="median engagement rate (%)")
                     + "<figcaption>Median engagement rate of the accounts with rated posts, per tier.</figcaption></figure>"
                     + _table([("tier", "text"), ("median engagement", "num"), ("accounts", "num")],
                              [[t, (f"{v:.2f} %", v), (f"{n:,}", n)] for t, v, n in eng.itertuples(index=False)],
                              table_id="gi-engagement-table"))
    else:
        parts.append('<p class="note">No engagement rates: give --posts (likes and comments per post).</p>')
    # --- niches
    comm = result.communities
    if comm is not None and len(comm):
        c = comm.reset_index() if "community" not in comm.columns else comm
        parts.append("<h2>Niches</h2>" + _table(
            [("niche", "html"), ("label", "text"), ("accounts", "num"), ("top creators", "text")],
            [[(swatch(r["community"]) + _e(r["community"]), str(r["community"])),
              r.get("niche_label") or f"niche {r['community']}", (f"{int(r['size']):,}", int(r["size"])),
              r.get("top_authorities", "")] for _, r in c.head(60).iterrows()], table_id="gi-niches"))
    body = "\n".join(parts)
    digest = base64.b64encode(hashlib.sha256(_SORT_JS.encode("utf-8")).digest()).decode()
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            f"script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
            "form-action 'none'\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{_e(title)}</title>"
            f"<style>{_CSS}</style></head><body>{body}<script>{_SORT_JS}</script></body></html>\n")
    with atomic_write(path, "w") as fh:
        fh.write(page)
    return path
