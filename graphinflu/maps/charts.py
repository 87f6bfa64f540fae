"""The campaign report's charts: the tables each one shows, and its Vega-Lite spec.

Each ``*_table`` function turns analysis tables into exactly the rows a chart draws (the report
prints the same rows beside the chart, and tests compare them with the CSVs ``analyze`` wrote);
each ``*_spec`` function returns a Vega-Lite v6 spec (a plain dict, data inline) that the page
renders with the vendored Vega libraries (:mod:`graphinflu.maps.report`). No chart is drawn here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..metrics.upset import MAX_CREATORS
from .style import OTHER_COLOR, niche_codes, niche_color, safe_text

#: Shortlist creators in the overlap matrix and the UpSet view (those ``analyze`` intersects);
#: groups the UpSet view shows, and at most how many of them are one creator's own followers.
MATRIX_MAX = MAX_CREATORS
UPSET_SHOW = 18
UPSET_SINGLES = 6
TIER_ORDER = ("nano", "micro", "mid", "macro", "mega")
BLUE, ORANGE, INK = "#0077BB", "#E69F00", "#222222"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
CONFIG = {"font": _FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True,
                                                              "gridColor": "#eeeeee"},
          "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 420}}


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (NaN → None, numpy scalars → Python)."""
    out = []
    for row in df.to_dict("records"):
        out.append({k: (None if isinstance(v, float) and not np.isfinite(v) else
                        v.item() if isinstance(v, np.generic) else v) for k, v in row.items()})
    return out


def _spec(data: pd.DataFrame | list, **rest) -> dict:
    values = _records(data) if isinstance(data, pd.DataFrame) else data
    return {"config": CONFIG, "data": {"values": values}, **rest}


def creator_names(handles: pd.Series, picks: pd.Series | None = None) -> list[str]:
    """Display names, made unique with the pick number (``"3. name"``) so no two rows merge on an axis."""
    shown = [safe_text(h) for h in handles.tolist()]
    if picks is None:
        picks = pd.Series(range(1, len(shown) + 1))
    return [f"{int(p)}. {h}" for p, h in zip(picks.tolist(), shown)]


# ----------------------------------------------------------------------------------------- reach
def reach_table(shortlist: pd.DataFrame) -> pd.DataFrame:
    """Per pick: ``pick``, ``creator``, ``new_followers`` (marginal reach), ``unique_reach``
    (cumulative) and ``budget`` (cumulative cost, None without costs), straight from ``shortlist``."""
    cost = pd.to_numeric(shortlist["cumulative_cost"], errors="coerce") if "cumulative_cost" in shortlist else None
    return pd.DataFrame({
        "pick": shortlist["pick"].astype(int).to_numpy(),
        "creator": [safe_text(h) for h in (shortlist["handle"] if "handle" in shortlist else shortlist.index)],
        "new_followers": shortlist["marginal_reach"].astype(np.int64).to_numpy(),
        "unique_reach": shortlist["cumulative_reach"].astype(np.int64).to_numpy(),
        "budget": cost.to_numpy(np.float64) if cost is not None else np.full(len(shortlist), np.nan)})


def has_budget(reach: pd.DataFrame) -> bool:
    return bool(len(reach)) and bool(np.isfinite(reach["budget"].to_numpy(np.float64)).all())


def reach_spec(reach: pd.DataFrame, *, against: str = "pick") -> dict:
    """Unique reach against the number of creators (``against="pick"``) or the budget spent."""
    x_title = "creators in the shortlist" if against == "pick" else "budget spent"
    tip = [{"field": "pick", "type": "quantitative", "title": "creators"},
           {"field": "creator", "type": "nominal", "title": "added creator"},
           {"field": "new_followers", "type": "quantitative", "title": "new followers", "format": ","},
           {"field": "unique_reach", "type": "quantitative", "title": "unique reach", "format": ","}]
    if against != "pick":
        tip.insert(1, {"field": "budget", "type": "quantitative", "title": "budget spent", "format": ",.2f"})
    enc = {"x": {"field": against, "type": "quantitative", "title": x_title,
                 "axis": {"tickMinStep": 1} if against == "pick" else {}},
           "y": {"field": "unique_reach", "type": "quantitative", "title": "unique reach (followers)"}}
    return _spec(reach, width=440, height=240, encoding=enc, layer=[
        {"mark": {"type": "line", "color": BLUE, "strokeWidth": 2}},
        {"mark": {"type": "point", "filled": True, "size": 60, "color": BLUE}, "encoding": {"tooltip": tip}}])


# --------------------------------------------------------------------------------------- overlap
def overlap_table(shortlist: pd.DataFrame, pairs: pd.DataFrame | None, metric: str = "jaccard") -> pd.DataFrame:
    """Every ordered pair of the first :data:`MATRIX_MAX` shortlist creators: ``a``, ``b`` (display
    names), ``pick_a``, ``pick_b``, ``shared`` followers and ``metric`` from ``pairs`` (0 without a
    pair; on the diagonal, 1 and the creator's audience)."""
    short = shortlist.head(MATRIX_MAX)
    ids = [str(i) for i in short.index]
    names = creator_names(short["handle"] if "handle" in short else pd.Series(ids), short["pick"])
    n = len(ids)
    value, shared = np.eye(n), np.zeros((n, n), dtype=np.int64)
    if "audience_size" in short:
        shared[np.diag_indices(n)] = short["audience_size"].astype(np.int64).to_numpy()
    if pairs is not None and len(pairs) and n:
        pos = pd.Index(ids)
        a, b = pos.get_indexer(pairs["creator_a"].astype(str)), pos.get_indexer(pairs["creator_b"].astype(str))
        ok = (a >= 0) & (b >= 0) & (a != b)
        v = pairs[metric].to_numpy(np.float64)[ok] if metric in pairs else np.zeros(int(ok.sum()))
        s = pairs["shared"].to_numpy(np.int64)[ok] if "shared" in pairs else np.zeros(int(ok.sum()), np.int64)
        value[a[ok], b[ok]] = value[b[ok], a[ok]] = v
        shared[a[ok], b[ok]] = shared[b[ok], a[ok]] = s
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    i, j = i.ravel(), j.ravel()
    picks = short["pick"].astype(int).to_numpy()
    return pd.DataFrame({"a": np.asarray(names, dtype=object)[i] if n else [], "b": np.asarray(names, dtype=object)[j] if n else [],
                         "pick_a": picks[i], "pick_b": picks[j], "same": i == j,
                         "shared": shared[i, j], metric: np.round(value[i, j], 6)})


def overlap_spec(table: pd.DataFrame, metric: str = "jaccard") -> dict:
    order = table.drop_duplicates("a")["a"].tolist()
    cross = table.loc[~table["same"], metric]
    top = float(cross.max()) if len(cross) and cross.max() > 0 else 1.0
    size = max(12, min(26, 480 // max(len(order), 1)))
    return _spec(table, width={"step": size}, height={"step": size}, encoding={
        "x": {"field": "b", "type": "nominal", "sort": order, "title": None, "axis": {"labelAngle": -50, "labelLimit": 140}},
        "y": {"field": "a", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 140}}},
        layer=[{"mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 1}, "encoding": {
            "color": {"condition": {"test": "datum.same", "value": "#dddddd"}, "field": metric, "type": "quantitative",
                      "scale": {"domain": [0, top], "range": ["#f4f8fb", BLUE], "interpolate": "rgb"},
                      "title": metric},
            "tooltip": [{"field": "a", "title": "creator"}, {"field": "b", "title": "with"},
                        {"field": metric, "type": "quantitative", "title": metric, "format": ".3f"},
                        {"field": "shared", "type": "quantitative", "title": "shared followers", "format": ","}]}}])


# ----------------------------------------------------------------------------------------- upset
def upset_selection(intersections: pd.DataFrame, show: int = UPSET_SHOW, singles: int = UPSET_SINGLES) -> pd.DataFrame:
    """The groups the UpSet view shows, largest first: the ``show`` largest, of which at most
    ``singles`` are one creator's exclusive followers (a greedy shortlist is built from creators
    with their own audiences, so those groups would crowd out the shared ones)."""
    top = intersections.sort_values("intersection")
    one = top["creators"].astype(int) == 1
    keep = top[one].head(singles).index.union(top[~one].index)
    return top.loc[top.index.isin(keep)].head(show)


def upset_tables(intersections: pd.DataFrame | None, shortlist: pd.DataFrame,
                 show: int = UPSET_SHOW) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(bars, dots, sets) of the UpSet view: the groups of :func:`upset_selection`
    (``intersection``, ``followers``, ``creators``, ``names``), one row per (group, creator)
    with ``member`` true/false, and each creator's audience (``creator``, ``audience``)."""
    short = shortlist.head(MATRIX_MAX)
    names = creator_names(short["handle"] if "handle" in short else pd.Series([str(i) for i in short.index]),
                          short["pick"])
    by_pick = dict(zip(short["pick"].astype(int).tolist(), names))
    audience = short["audience_size"].astype(np.int64).to_numpy() if "audience_size" in short else \
        np.zeros(len(short), np.int64)
    sets = pd.DataFrame({"creator": names, "audience": audience})
    if intersections is None or not len(intersections):
        empty = pd.DataFrame(columns=["intersection", "followers", "creators", "names"])
        return empty, pd.DataFrame(columns=["intersection", "creator", "member"]), sets
    top = upset_selection(intersections, show)
    members = [[by_pick.get(int(p), f"#{p}") for p in str(m).split("+")] for m in top["members"]]
    bars = pd.DataFrame({"intersection": top["intersection"].astype(int).to_numpy(),
                         "followers": top["followers"].astype(np.int64).to_numpy(),
                         "creators": top["creators"].astype(int).to_numpy(),
                         "names": [" & ".join(m) for m in members]})
    member = np.array([[n in set(m) for n in names] for m in members], dtype=bool)  # shown × creators (≤ 15 × 20)
    k = np.repeat(bars["intersection"].to_numpy(), len(names))
    dots = pd.DataFrame({"intersection": k, "creator": np.tile(np.asarray(names, dtype=object), len(bars)),
                         "member": member.ravel()})
    return bars, dots, sets


def upset_spec(bars: pd.DataFrame, dots: pd.DataFrame, sets: pd.DataFrame) -> dict:
    """An UpSet view: intersection sizes on top, the membership matrix below, audience sizes left."""
    order = sets["creator"].tolist()
    step = 26
    x = {"field": "intersection", "type": "ordinal", "title": None, "axis": None}
    y = {"field": "creator", "type": "nominal", "sort": order, "title": None}
    top = {"data": {"values": _records(bars)}, "width": {"step": step}, "height": 170, "layer": [
        {"mark": {"type": "bar", "color": INK}, "encoding": {
            "x": x, "y": {"field": "followers", "type": "quantitative", "title": "followers in exactly these"},
            "tooltip": [{"field": "names", "title": "followers of exactly"},
                        {"field": "followers", "type": "quantitative", "title": "followers", "format": ","}]}},
        {"mark": {"type": "text", "dy": -6, "fontSize": 9}, "encoding": {
            "x": x, "y": {"field": "followers", "type": "quantitative"},
            "text": {"field": "followers", "type": "quantitative", "format": ","}}}]}
    # the matrix's rows are numbered in the creators' order (one field for both layers keeps them aligned)
    rows = dots.assign(row=dots["creator"].map({name: k for k, name in enumerate(order)}).astype(int))
    ends = rows[rows["member"].astype(bool)].groupby("intersection")["row"].agg(["min", "max"])
    lines = pd.DataFrame({"intersection": ends.index.to_numpy(), "row": ends["min"].to_numpy(),
                          "row2": ends["max"].to_numpy()})
    y_row = {"field": "row", "type": "ordinal", "axis": None, "scale": {"domain": list(range(len(order)))}}
    matrix = {"width": {"step": step}, "height": {"step": step}, "layer": [
        {"data": {"values": _records(lines)}, "mark": {"type": "rule", "color": INK, "strokeWidth": 2},
         "encoding": {"x": x, "y": y_row, "y2": {"field": "row2"}}},
        {"data": {"values": _records(rows)}, "mark": {"type": "circle", "size": 110, "opacity": 1}, "encoding": {
            "x": x, "y": y_row,
            "color": {"field": "member", "type": "nominal", "scale": {"domain": [False, True],
                                                                       "range": ["#e4e4e4", INK]}, "legend": None},
            "tooltip": [{"field": "creator"}, {"field": "member", "title": "in this intersection"}]}}]}
    sizes = {"data": {"values": _records(sets)}, "width": 120, "height": {"step": step},
             "mark": {"type": "bar", "color": BLUE}, "encoding": {
                 "y": {**y, "axis": {"orient": "right", "labelLimit": 150, "domain": False, "ticks": False}},
                 "x": {"field": "audience", "type": "quantitative", "title": "audience", "scale": {"reverse": True},
                       "axis": {"tickCount": 3, "format": "~s"}},
                 "tooltip": [{"field": "creator"},
                             {"field": "audience", "type": "quantitative", "title": "followers", "format": ","}]}}
    blank = {"data": {"values": [{}]}, "width": 120, "height": 170, "mark": {"type": "text", "text": ""}}
    return {"config": CONFIG, "columns": 2, "align": "each", "spacing": 6,
            "concat": [blank, top, sizes, matrix]}


# ------------------------------------------------------------------------------------ engagement
def _tier_order(tiers) -> list[str]:
    seen = set(map(str, tiers))
    return [t for t in TIER_ORDER if t in seen] + sorted(seen - set(TIER_ORDER))


def _rated(accounts: pd.DataFrame) -> pd.DataFrame:
    if not {"engagement_rate", "tier"} <= set(accounts.columns):
        return accounts.iloc[0:0]
    ok = pd.to_numeric(accounts["engagement_rate"], errors="coerce").notna()
    if "rated" in accounts.columns:
        ok &= accounts["rated"].map(lambda v: str(v).lower() in ("true", "1", "1.0")).astype(bool)
    return accounts.loc[ok]


def engagement_table(accounts: pd.DataFrame) -> pd.DataFrame:
    """Per tier (in size order): ``tier``, ``accounts`` with rated posts, their ``median_pct``
    engagement rate (%) and, when the account table has benchmarks, the median of
    ``engagement_vs_benchmark`` (``median_vs_benchmark``)."""
    rated = _rated(accounts)
    cols = ["tier", "accounts", "median_pct", "median_vs_benchmark"]
    if not len(rated):
        return pd.DataFrame(columns=cols)
    tier = rated["tier"].astype(str)
    rate = pd.to_numeric(rated["engagement_rate"], errors="coerce")
    order = _tier_order(tier)
    g = rate.groupby(tier)
    vs = (pd.to_numeric(rated["engagement_vs_benchmark"], errors="coerce").groupby(tier).median()
          if "engagement_vs_benchmark" in rated else pd.Series(dtype=float))
    return pd.DataFrame({"tier": order, "accounts": [int(g.size()[t]) for t in order],
                         "median_pct": [round(100 * float(g.median()[t]), 6) for t in order],
                         "median_vs_benchmark": [float(vs.get(t, np.nan)) for t in order]}, columns=cols)


def benchmark_table(accounts: pd.DataFrame) -> pd.DataFrame:
    """The published benchmarks the tiers' rated accounts are compared with (``accounts`` table's
    ``engagement_benchmark`` and ``engagement_benchmark_source``): ``tier``, ``benchmark_pct``,
    ``source`` and how many of the tier's rated accounts fall under it (``accounts``)."""
    rated = _rated(accounts)
    cols = ["tier", "benchmark_pct", "source", "accounts"]
    if not len(rated) or "engagement_benchmark" not in rated:
        return pd.DataFrame(columns=cols)
    bench = pd.to_numeric(rated["engagement_benchmark"], errors="coerce")
    src = rated["engagement_benchmark_source"].astype(str) if "engagement_benchmark_source" in rated else \
        pd.Series("", index=rated.index)
    df = pd.DataFrame({"tier": rated["tier"].astype(str), "benchmark_pct": (100 * bench).round(6), "source": src})
    df = df[bench.notna()]
    out = df.groupby(["tier", "benchmark_pct", "source"], sort=False).size().rename("accounts").reset_index()
    rank = {t: k for k, t in enumerate(_tier_order(out["tier"]))}
    out = out.assign(_r=out["tier"].map(rank)).sort_values(["_r", "benchmark_pct"], kind="stable")
    return out.drop(columns="_r").reset_index(drop=True)[cols]


def engagement_spec(tiers: pd.DataFrame, bench: pd.DataFrame) -> dict:
    order = _tier_order(list(tiers["tier"]) + list(bench["tier"]))
    x = {"field": "tier", "type": "nominal", "sort": order, "title": "tier", "axis": {"labelAngle": 0}}
    y_title = "engagement rate (%)"
    layers = [{"data": {"values": _records(tiers)}, "mark": {"type": "bar", "color": ORANGE, "width": {"band": 0.6}},
               "encoding": {"x": x, "y": {"field": "median_pct", "type": "quantitative", "title": y_title},
                            "tooltip": [{"field": "tier"},
                                        {"field": "median_pct", "type": "quantitative", "title": "median engagement (%)",
                                         "format": ".2f"},
                                        {"field": "accounts", "type": "quantitative", "title": "rated accounts",
                                         "format": ","}]}}]
    if len(bench):
        layers.append({"data": {"values": _records(bench)},
                       "mark": {"type": "tick", "color": INK, "thickness": 3, "bandSize": 30},
                       "encoding": {"x": x, "y": {"field": "benchmark_pct", "type": "quantitative", "title": y_title},
                                    "tooltip": [{"field": "tier"},
                                                {"field": "benchmark_pct", "type": "quantitative",
                                                 "title": "benchmark (%)", "format": ".2f"},
                                                {"field": "source", "title": "benchmark source"},
                                                {"field": "accounts", "type": "quantitative",
                                                 "title": "rated accounts in its band", "format": ","}]}})
    return {"config": CONFIG, "width": {"step": 90}, "height": 240, "layer": layers}


# ------------------------------------------------------------------------------------------- map
_DATA_BLOCK = re.compile(r'<script type="application/json" id="gi-data">(.*?)</script>', re.S)


def map_points(map_file: Path | None) -> tuple[pd.DataFrame | None, str | None]:
    """The creators (or niches, on an aggregated overview) as ``map_file`` draws them: ``id``,
    ``name``, ``niche`` (label), ``color``, ``x``, ``y``, ``size`` and ``named`` (its name is always
    shown on the map), read from the map's own data block, so the picture in the report has the
    map's layout and colours. ``(None, reason)`` when there is no map or it cannot be read."""
    if map_file is None or not Path(map_file).is_file():
        return None, "no map file beside the report"
    try:
        m = _DATA_BLOCK.search(Path(map_file).read_text("utf-8"))
        data = json.loads(m.group(1)) if m else None
        nodes = data["nodes"]
        fill = [n["color"]["background"] if isinstance(n["color"], dict) else n["color"] for n in nodes]
        if data.get("mode") == "niches":
            label = {e["key"]: e["label"] for e in data["niches"]}
            names = [label.get(k, "") for k in range(len(nodes))]
            niche, named = names, [True] * len(nodes)
        else:
            label = {e["key"]: e["label"] for e in data["niches"]}
            niche = [label.get(k, "") for k in data["attrs"]["niche"]]
            names = list(data["attrs"]["handle"])
            named = np.zeros(len(nodes), dtype=bool)
            named[list(data.get("labelled") or [])[:60]] = True
        df = pd.DataFrame({"id": [str(n["id"]) for n in nodes], "name": names, "niche": niche, "color": fill,
                           "x": [float(n["x"]) for n in nodes], "y": [float(n["y"]) for n in nodes],
                           "size": [float(n.get("size", 10)) for n in nodes], "named": list(map(bool, named))})
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as err:
        return None, f"the map's data could not be read ({type(err).__name__})"
    return df, None


def map_spec(points: pd.DataFrame) -> dict:
    """The map as a static scatter: same positions, colours and names (legend = niche colours)."""
    legend = points.drop_duplicates("niche")[["niche", "color"]]
    enc_xy = {"x": {"field": "x", "type": "quantitative", "axis": None, "scale": {"zero": False, "nice": False}},
              "y": {"field": "y", "type": "quantitative", "axis": None, "scale": {"zero": False, "nice": False,
                                                                                   "reverse": True}}}
    return _spec(points, width=760, height=520, encoding=enc_xy, layer=[
        {"mark": {"type": "circle", "opacity": 0.9, "stroke": "#ffffff", "strokeWidth": 0.5}, "encoding": {
            "color": {"field": "niche", "type": "nominal", "title": "niche",
                      "scale": {"domain": legend["niche"].tolist(), "range": legend["color"].tolist()},
                      "legend": {"orient": "bottom", "columns": 2, "symbolLimit": 30}},
            "size": {"field": "size", "type": "quantitative", "scale": {"range": [12, 260]}, "legend": None},
            "tooltip": [{"field": "name", "title": "creator"}, {"field": "niche"}]}},
        {"transform": [{"filter": "datum.named"}], "mark": {"type": "text", "dy": -10, "fontSize": 10,
                                                             "color": INK}, "encoding": {"text": {"field": "name"}}}])


def niche_colours(accounts: pd.DataFrame) -> dict[str, str]:
    """Each community id (as text) → its niche colour, as on every map of the same analysis."""
    if "community" not in accounts:
        return {}
    comm = accounts["community"]
    codes = niche_codes(comm, pd.factorize(comm)[0])
    return {str(c): niche_color(int(k)) for c, k in zip(comm.tolist(), codes.tolist())}


__all__ = ["reach_table", "reach_spec", "overlap_table", "overlap_spec", "upset_tables", "upset_spec",
           "engagement_table", "benchmark_table", "engagement_spec", "map_points", "map_spec", "niche_colours",
           "OTHER_COLOR"]
