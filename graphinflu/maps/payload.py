"""Payload builders: node and link tables (plus positions) → the JSON the page draws.

A payload is plain Python (str, int, float, bool, None, lists and dicts) built straight from the
tables: vis-network node records, edges as index arrays, the legend, the side-panel figures and the
top overlaps. :mod:`graphinflu.templates` ``map.js`` reads it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .layout import layout
from .style import PALETTE, niche_codes, niche_color, niche_pattern, safe_text, short_label
from .tables import NO_TIER, both_ends, pairs

#: vis-network node shape and the legend's mark for each tier; unknown tier names get
#: hexagon / triangle / square; accounts without a tier are drawn as an ellipse-free "dot".
TIER_SHAPES = {
    "nano": ("triangleDown", "\u25bc"),
    "micro": ("dot", "\u25cf"),
    "mid": ("diamond", "\u25c6"),
    "macro": ("square", "\u25a0"),
    "mega": ("star", "\u2605"),
}
_EXTRA_SHAPES = (("hexagon", "\u2b22"), ("triangle", "\u25b2"), ("square", "\u25a0"))

_KNOWN_COLUMNS = {"handle", "community", "niche", "niche_label", "tier", "followers", "engagement_rate"}
EDGE_KINDS = ("overlap", "follows", "interactions")
EDGE_STYLE = {
    "overlap": "rgba(70,110,200,0.45)",
    "follows": "rgba(110,110,110,0.55)",
    "interactions": "rgba(225,110,20,0.7)",
}
TOP_OVERLAPS = 5
TOP_NICHE_LINKS = 3
_OTHER_GROUP = 59  # the aggregated overview's "other niches" group (graphinflu.maps.build._MAX_NICHES - 1)


# ================================================================================= plain values
def _sig(x: float, digits: int = 6) -> float:
    return float(f"{x:.{digits}g}")


def plain(v):
    """A JSON-ready plain Python value (None for NaN/inf/NA; floats to 6 significant digits)."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return _sig(f) if math.isfinite(f) else None
    return str(v)


def _col(values: np.ndarray) -> list:
    """Floats (exact: the filters compare against them) with None for NaN."""
    return [x if math.isfinite(x) else None for x in np.asarray(values, dtype=np.float64).tolist()]


def colors(codes: np.ndarray) -> list[str]:
    """The colour of each niche colour code (:func:`~graphinflu.maps.style.niche_color`)."""
    return [niche_color(k) for k in np.asarray(codes).tolist()]


def _options(n_edges: int) -> dict:
    """vis-network options: physics off (positions come from :func:`~graphinflu.maps.layout.layout`)."""
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 0},
        "interaction": {
            "hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_edges > 3000, "hideEdgesOnZoom": n_edges > 3000,
            "multiselect": False, "navigationButtons": False, "keyboard": False,
        },
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"enabled": False, "drawThreshold": 9}}},
        "edges": {"smooth": False, "selectionWidth": 1.5, "color": {"inherit": False},
                  "arrows": {"to": {"scaleFactor": 0.45}}},
    }


def _edges(a: np.ndarray, b: np.ndarray, width: np.ndarray, kind: np.ndarray) -> dict:
    """Edges as index arrays (a 5,000-creator map is about 2 MB instead of 6.5 MB of records).

    The page rebuilds the vis records: ``{id: "e<j>", from: ids[a], to: ids[b], width, color, arrows}``
    with colour and arrows from ``kinds[kind]``.
    """
    return {
        "from": np.asarray(a, dtype=np.int64).tolist(),
        "to": np.asarray(b, dtype=np.int64).tolist(),
        "width": np.round(np.asarray(width, dtype=np.float64), 2).tolist(),
        "kind": np.asarray(kind, dtype=np.int64).tolist(),
        "kinds": [{"name": k, "color": EDGE_STYLE[k], "arrows": k != "overlap"} for k in EDGE_KINDS],
    }


def _node_records(ids: list[str], labels: list[str], xy: np.ndarray, sizes: np.ndarray, shapes: list[str],
                  fill: list[str], brand: np.ndarray, ring: dict, *, highlight: bool = False) -> list[dict]:
    """vis-network node records; brand nodes get a dark border (darker when ``highlight``ed) and ``ring``."""
    records = [{"id": i, "label": lab, "x": x, "y": y, "size": s, "shape": sh, "color": c}
               for i, lab, x, y, s, sh, c in zip(ids, labels, np.round(xy[:, 0], 1).tolist(),
                                                  np.round(xy[:, 1], 1).tolist(), np.round(sizes, 1).tolist(),
                                                  shapes, fill)]
    for k in np.flatnonzero(brand).tolist():
        c = records[k]["color"]
        records[k]["color"] = {"background": c, "border": "#111111"}
        if highlight:
            records[k]["color"]["highlight"] = {"background": c, "border": "#000000"}
        records[k].update(ring)
    return records


# ================================================================================= creators
def _sizes(authority: np.ndarray, lo: float = 6.0, hi: float = 30.0) -> np.ndarray:
    a = np.where(np.isfinite(authority) & (authority > 0), authority, 0.0)
    top = a.max() if len(a) else 0.0
    if top <= 0:
        return np.full(len(a), lo + 3.0)
    return lo + (hi - lo) * np.sqrt(a / top)


def _tier_table(tiers: np.ndarray) -> tuple[list[dict], np.ndarray]:
    present = set(pd.unique(pd.Series(tiers, dtype=object)))
    order = ([t for t in TIER_SHAPES if t in present] + sorted(t for t in present if t not in TIER_SHAPES and t != NO_TIER)
             + ([NO_TIER] if NO_TIER in present else []))
    out, extra = [], 0
    for t in order:
        if t in TIER_SHAPES:
            shape, mark = TIER_SHAPES[t]
        elif t == NO_TIER:
            shape, mark = "dot", "\u25cb"
        else:
            shape, mark = _EXTRA_SHAPES[extra % len(_EXTRA_SHAPES)]
            extra += 1
        out.append({"key": len(out), "name": t, "shape": shape, "mark": mark})
    code = pd.Index(order).get_indexer(pd.Index(tiers, dtype=object)) if len(tiers) else np.zeros(0, np.int64)
    for t, c in zip(out, np.bincount(code, minlength=len(order)).tolist() if order else []):
        t["count"] = int(c)
    return out, code


#: Column names of the account table shown under clearer names in the side panel.
_RENAMED = {"authority": "HITS authority", "hub": "HITS hub", "indegree": "followers in the data (in-degree)",
            "niche_authority": "authority in its niche (percentile, 0-1)"}
_SHOWN = _KNOWN_COLUMNS | {"pagerank", "score", "rank", "affinity", "affinity_lift", "community", "why"}


def percentile(values: np.ndarray) -> np.ndarray:
    """Percentile (0-100, ties share the highest) of each finite value among the finite values; NaN elsewhere.

    >>> percentile(np.array([1.0, 3.0, np.nan, 2.0])).round(1).tolist()
    [33.3, 100.0, nan, 66.7]
    """
    s = pd.Series(np.asarray(values, dtype=np.float64))
    return (s.rank(pct=True, method="max") * 100.0).to_numpy(np.float64)


def _top_text(pct: np.ndarray, what: str) -> list:
    """``"top 3% by <what> on this map"`` from a percentile (None where unknown)."""
    top = np.maximum(np.ceil(100.0 - np.nan_to_num(pct) - 1e-9), 1).astype(int)
    return [f"top {t}% {what}" if np.isfinite(p) else None for t, p in zip(top.tolist(), pct.tolist())]


def _figure_columns(nodes: pd.DataFrame, metrics: pd.DataFrame | None, auth_col: str | None) -> list[tuple]:
    """(label, format, in tooltip, values) for the side panel, in the order a strategist reads them."""
    cols = [("id", "text", False, np.array([safe_text(i) for i in nodes.index], dtype=object))]
    score = nodes["score"].to_numpy(np.float64)
    if np.isfinite(score).any():
        txt = [None if not np.isfinite(v) else f"{v:.2f} ({t})"
               for v, t in zip(score.tolist(), _top_text(percentile(score), "of the targets on this map"))]
        cols.append(("targets score", "text", True, np.array(txt, dtype=object)))
        cols.append(("target rank", "int", False, nodes["target_rank"].to_numpy()))
    if nodes["why"].notna().any():
        cols.append(("why", "text", True, np.array([None if pd.isna(w) else safe_text(w) for w in nodes["why"]],
                                                    dtype=object)))
    cols += [("niche", "text", True, np.array([safe_text(x) for x in nodes["niche_label"]], dtype=object)),
             ("tier", "text", True, np.array([safe_text(x) for x in nodes["tier"]], dtype=object))]
    if nodes["followers"].notna().any():
        cols.append(("followers", "int", True, nodes["followers"].to_numpy()))
    if nodes["engagement_rate"].notna().any():
        cols.append(("engagement rate", "pct", True, nodes["engagement_rate"].to_numpy()))
    aff = nodes["affinity"].to_numpy(np.float64)
    if np.isfinite(aff).any():
        lift = nodes["affinity_lift"].to_numpy(np.float64)
        txt = [None if not np.isfinite(a) else f"{100 * a:.0f}% of its audience is in the brand's audience"
               + (f" (lift {x:.1f}\u00d7)" if np.isfinite(x) else "") for a, x in zip(aff.tolist(), lift.tolist())]
        cols.append(("brand affinity", "text", True, np.array(txt, dtype=object)))
    pr = nodes["pagerank"].to_numpy(np.float64)
    if np.isfinite(pr).any():
        cols.append(("authority", "text", True, np.array(_top_text(percentile(pr), "by PageRank on this map"),
                                                         dtype=object)))
        cols.append(("PageRank", "num", False, pr))
    if auth_col is not None and auth_col != "pagerank":
        cols.append((f"size ({_RENAMED.get(auth_col, auth_col)})", "num", False, nodes["authority"].to_numpy()))
    if metrics is not None:
        extra = [c for c in metrics.columns if c not in _SHOWN and c != auth_col
                 and pd.api.types.is_numeric_dtype(metrics[c]) and not pd.api.types.is_bool_dtype(metrics[c])]
        for c in extra[:10]:
            cols.append((_RENAMED.get(str(c), str(c)), "num", False,
                         pd.to_numeric(metrics[c].reindex(nodes.index), errors="coerce").to_numpy()))
    if nodes["brand"].any():
        cols.append(("brand account", "text", True, np.where(nodes["brand"].to_numpy(), "yes", "no")))
    return cols


def _figures(columns: list[tuple], n: int) -> dict:
    """Side-panel table: column headers and one row of plain values per node."""
    values = [[plain(v) for v in c[3].tolist()] for c in columns]
    return {"columns": [{"label": c[0], "format": c[1], "tooltip": c[2]} for c in columns],
            "rows": [list(r) for r in zip(*values)] if n else []}


def top_overlaps(overlap, order: pd.Index, edge_metric: str, k: int = TOP_OVERLAPS) -> list:
    """Per creator (in ``order``): up to ``k`` ``[partner position, value, shared]`` among ``order``."""
    out = [[] for _ in range(len(order))]
    if overlap is None or len(overlap) == 0 or len(order) == 0:
        return out
    p = pairs(overlap, order, edge_metric)
    both = both_ends(p[p["value"] > 0])
    both = both.sort_values(["node", "value"], ascending=[True, False], kind="stable").groupby("node", sort=False).head(k)
    for nn, oo, vv, ss in zip(both["node"].tolist(), both["other"].tolist(), both["value"].tolist(),
                              both["shared"].tolist()):
        out[nn].append([oo, _sig(vv, 4), ss if ss == ss else None])
    return out


def _label_order(nodes: pd.DataFrame, per_niche: int) -> list[int]:
    """Positions of the creators whose names are always drawn: the ``per_niche`` best of each niche
    (by targets score, then PageRank), best first across niches (each niche's best, then the second ...)."""
    if not len(nodes):
        return []
    df = pd.DataFrame({"pos": np.arange(len(nodes)), "niche": nodes["niche"].to_numpy(),
                       "score": nodes["score"].fillna(-1.0).to_numpy(), "pr": nodes["pagerank"].fillna(-1.0).to_numpy(),
                       "size": nodes["authority"].fillna(-1.0).to_numpy()})
    df = df.sort_values(["score", "pr", "size", "pos"], ascending=[False, False, False, True], kind="stable")
    df["k"] = df.groupby("niche", sort=False).cumcount()
    df = df[df["k"] < per_niche].sort_values(["k", "score", "pr", "size", "pos"],
                                              ascending=[True, False, False, False, True], kind="stable")
    return df["pos"].astype(int).tolist()


def niche_legend(nodes: pd.DataFrame, codes: np.ndarray) -> list[dict]:
    """One legend entry per niche on the map (key = the map's niche number, ``id`` = the table's community)."""
    first = pd.DataFrame({"niche": nodes["niche"].to_numpy(), "code": codes,
                          "label": nodes["niche_label"].to_numpy(object),
                          "community": nodes["community"].to_numpy(object)}).groupby("niche", sort=True).first()
    counts = nodes["niche"].value_counts()
    return [{"key": int(k), "id": None if r.community is None else safe_text(r.community),
             "label": safe_text(r.label), "short": short_label(safe_text(r.label), 40), "count": int(counts[k]),
             "color": niche_color(int(r.code)), "dashes": niche_pattern(int(r.code))}
            for k, r in zip(first.index.tolist(), first.itertuples())]


def creator_payload(nodes: pd.DataFrame, links: pd.DataFrame, overlaps: list, *, metrics: pd.DataFrame | None,
                    edge_metric: str, title: str, seed: int, back: dict | None = None, note: str | None = None,
                    labels_per_niche: int = 3, params=None) -> dict:
    """The payload of a map with one node per creator (``nodes`` / ``links`` as from ``map_tables``)."""
    n = len(nodes)
    ids = [str(i) for i in nodes.index.tolist()]
    handles = [safe_text(h) for h in nodes["handle"].tolist()]
    pos = pd.Index(nodes.index)
    la = pos.get_indexer(links["source"]) if len(links) else np.zeros(0, np.int64)
    lb = pos.get_indexer(links["target"]) if len(links) else np.zeros(0, np.int64)
    kind = links["kind"].to_numpy()
    vals = links["value"].to_numpy(np.float64)
    ov, inter = kind == "overlap", kind == "interactions"
    niche = nodes["niche"].to_numpy(np.int64)
    codes = niche_codes(nodes["community"], niche) if n else niche
    sizes = _sizes(nodes["authority"].to_numpy())
    xy = layout(n, la, lb, np.nan_to_num(np.where(ov, vals, 0.5)), niche, seed, sizes=sizes)
    tiers, tier_code = _tier_table(nodes["tier"].to_numpy(object))
    records = _node_records(ids, [None] * n, xy, sizes,
                            [tiers[c]["shape"] for c in tier_code.tolist()], colors(codes),
                            nodes["brand"].to_numpy(bool), {"borderWidth": 5, "borderWidthSelected": 6}, highlight=True)
    for r, c in zip(records, codes.tolist()):
        del r["label"]
        dashes = niche_pattern(c)
        if dashes:
            r["shapeProperties"] = {"borderDashes": dashes}
            r.setdefault("borderWidth", 2)

    width = np.ones(len(links))
    vmax = vals[ov].max() if ov.any() else 1.0
    if ov.any() and vmax > 0:
        width[ov] = 1.0 + 5.0 * vals[ov] / vmax
    width[inter] = 1.0 + np.log1p(vals[inter])
    kind_code = pd.Index(EDGE_KINDS).get_indexer(kind) if len(links) else np.zeros(0, np.int64)

    auth_col = nodes.attrs.get("authority_column")
    present = set(kind.tolist())
    rule = (f"{edge_metric} \u2265 {params.min_overlap:g} and \u2265 {params.min_shared:,} shared followers; "
            if params is not None else f"{edge_metric}; ")
    renderer = params.renderer(n) if params is not None else "vis"
    webgl = renderer == "webgl"  # WebGL draws one-pixel lines: strength as darkness, no arrow heads
    edge_legend = [{"label": text, "color": EDGE_STYLE[k]} for k, text in (
        ("overlap", f"shared audience ({rule}{'darker' if webgl else 'wider'} = more)"),
        ("follows", "follows (direction not drawn on maps this large)" if webgl else "follows (arrow to the followed creator)"),
        ("interactions", "interactions (mentions, replies, ...)")) if k in present]
    if params is not None:
        off = [w for w, name in (("follow", "include_follows"), ("interaction", "include_interactions"))
               if getattr(params, name) is None and not params.draws(name, n)]
        if off:
            edge_legend.append({"label": f"{' and '.join(off)} links are not drawn on maps of over 1,000 creators "
                                         "(ask for them with --follows / --interactions-links)", "color": None})
    has_size = bool(np.isfinite(nodes["authority"].to_numpy()).any())
    if not has_size:
        size_note = "All creators are drawn the same size (no authority column)."
    elif auth_col == "score":
        size_note = ("Size: area \u221d targets score (the bigger, the better the pick); creators outside the "
                     "targets are the smallest dots. Names: the best creators of each niche. "
                     "Thick dark ring = brand account.")
    else:
        size_note = (f"Size: area \u221d {auth_col} (largest on the map = biggest). Thick dark ring = brand account.")
    pr, score = nodes["pagerank"].to_numpy(np.float64), nodes["score"].to_numpy(np.float64)
    aff = nodes["affinity"].to_numpy(np.float64)
    return {
        "title": safe_text(title), "mode": "creators", "back": back, "note": note,
        "renderer": renderer,
        "options": _options(len(links)), "nodes": records, "edges": _edges(la, lb, width, kind_code),
        "attrs": {"handle": handles, "niche": niche.tolist(), "tier": tier_code.tolist(),
                  "eng": _col(nodes["engagement_rate"].to_numpy()), "auth": _col(nodes["authority"].to_numpy()),
                  "authPct": _col(percentile(pr)), "score": _col(score), "scorePct": _col(percentile(score)),
                  "aff": _col(aff)},
        "niches": niche_legend(nodes, codes), "tiers": tiers, "edgeLegend": edge_legend, "sizeNote": size_note,
        "hasEngagement": bool(nodes["engagement_rate"].notna().any()), "hasAuthority": bool(np.isfinite(pr).any()),
        "hasScore": bool(np.isfinite(score).any()), "hasAffinity": bool(np.isfinite(aff).any()),
        "labelled": _label_order(nodes, labels_per_niche),
        "figures": _figures(_figure_columns(nodes, metrics, auth_col), n),
        "overlaps": overlaps, "metricName": edge_metric,
    }


# ================================================================================= niches overview
def niche_payload(nodes: pd.DataFrame, links: pd.DataFrame, groups: np.ndarray, labels: list[str], files: list[str],
                  *, edge_metric: str, title: str, seed: int) -> dict:
    """The payload of an overview map: one node per niche group (``groups``: each creator's group).

    Nodes are sized by creator count; a link's width grows with the number of creator links
    between two groups; ``files[k]`` is the map of group ``k`` (double-click opens it).
    """
    n_groups = len(labels)
    pos = pd.Index(nodes.index)
    la = groups[pos.get_indexer(links["source"])] if len(links) else np.zeros(0, np.int64)
    lb = groups[pos.get_indexer(links["target"])] if len(links) else np.zeros(0, np.int64)
    cross = la != lb
    agg = pd.DataFrame({"a": np.minimum(la, lb)[cross], "b": np.maximum(la, lb)[cross]}).value_counts(
        ).sort_index().reset_index(name="n")
    count = np.bincount(groups, minlength=n_groups)
    # normalised: the share of the two niches' creator pairs that are linked (raw counts made every
    # pair of big niches look alike); each niche keeps its TOP_NICHE_LINKS densest links
    agg["density"] = agg["n"] / (count[agg["a"].to_numpy()] * count[agg["b"].to_numpy()])
    if len(agg):
        both0 = both_ends(agg.rename(columns={"density": "value", "n": "shared"}))
        both0["r"] = both0.groupby("node")["value"].rank(method="first", ascending=False)
        agg = agg.loc[agg.index.isin(both0.loc[both0["r"] <= TOP_NICHE_LINKS, "row"].unique())].reset_index(drop=True)
    a, b, c = agg["a"].to_numpy(np.int64), agg["b"].to_numpy(np.int64), agg["density"].to_numpy(np.float64)
    xy = layout(n_groups, a, b, c, np.arange(n_groups), seed) * 1.5
    codes = niche_codes(nodes["community"], nodes["niche"].to_numpy(np.int64)) if len(nodes) else np.zeros(0, np.int64)
    group_code = pd.Series(codes).groupby(groups).first().reindex(range(n_groups)).fillna(-1).astype(int).to_numpy(copy=True)
    if n_groups == _OTHER_GROUP + 1 and len(np.unique(nodes["niche"].to_numpy()[groups == _OTHER_GROUP])) > 1:
        group_code[_OTHER_GROUP] = -1  # "other niches": grey
    fill = colors(group_code)  # a niche keeps the colour it has on its own map and in the report
    brand_n = np.bincount(groups, weights=nodes["brand"].to_numpy(float), minlength=n_groups)
    gid = [f"niche:{k}" for k in range(n_groups)]
    labels = [safe_text(x) for x in labels]
    records = _node_records(gid, [f"{short_label(labels[k], 40)} ({int(count[k]):,})" for k in range(n_groups)], xy,
                            12.0 + 38.0 * np.sqrt(count / count.max()), ["dot"] * n_groups, fill, brand_n > 0,
                            {"borderWidth": 5})
    width = 1 + 9 * c / c.max() if len(c) and c.max() > 0 else np.ones(len(c))

    def per_group(column: str, how: str) -> np.ndarray:
        s = pd.Series(nodes[column].to_numpy(), index=groups)
        return getattr(s.groupby(level=0), how)().reindex(range(n_groups)).to_numpy(np.float64)

    cols = [{"label": "creators", "format": "int", "tooltip": True}]
    vals = [count.astype(float)]
    for column, label, fmt, how in (("followers", "followers (sum)", "int", "sum"),
                                    ("engagement_rate", "engagement rate (median)", "pct", "median"),
                                    ("score", "targets score (median of its targets)", "num", "median"),
                                    ("pagerank", "PageRank (sum)", "num", "sum")):
        if nodes[column].notna().any():
            cols.append({"label": label, "format": fmt, "tooltip": True})
            vals.append(per_group(column, how))
    if brand_n.any():
        cols.append({"label": "brand accounts", "format": "int", "tooltip": True})
        vals.append(brand_n)
    # most linked niches per niche, by density
    linked = [[] for _ in range(n_groups)]
    both = pd.concat([agg.rename(columns={"a": "x", "b": "y"}), agg.rename(columns={"a": "y", "b": "x"})])
    both = both.sort_values(["x", "density"], ascending=[True, False]).groupby("x").head(TOP_OVERLAPS)
    for x, y, d, k in zip(both["x"].tolist(), both["y"].tolist(), both["density"].tolist(), both["n"].tolist()):
        linked[x].append([y, _sig(d, 4), int(k)])
    # each niche's top creators, best first (targets score, then PageRank), with their id to open them
    best = nodes.assign(g=groups, s=nodes["score"].fillna(-1.0), p=nodes["pagerank"].fillna(-1.0),
                        a=nodes["authority"].fillna(-np.inf)).sort_values(["s", "p", "a"], ascending=False,
                                                                           kind="stable").groupby("g", sort=True).head(10)
    top_creators = [[[safe_text(h), str(i)] for i, h in zip(grp.index, grp["handle"])]
                    for _, grp in best.groupby("g", sort=True)]
    return {
        "title": title, "mode": "niches", "back": None,
        "note": f"{len(nodes):,} creators in {n_groups} niches; double-click a niche to open its map",
        "options": _options(len(agg)), "nodes": records, "edges": _edges(a, b, width, np.zeros(len(agg), np.int64)),
        "attrs": {"handle": list(labels), "niche": list(range(n_groups)), "tier": None, "eng": None, "auth": None},
        "niches": [{"key": k, "label": labels[k], "count": int(count[k]), "color": fill[k], "href": files[k],
                    "dashes": niche_pattern(int(group_code[k])) if group_code[k] >= 0 else None}
                   for k in range(n_groups)],
        "tiers": [], "sizeNote": "Each node is a niche; size \u221d \u221a(creators). Click a niche for its top "
                                 "creators; double-click to open its map.",
        "edgeLegend": [{"label": f"link density between niches: linked creator pairs / all creator pairs (wider = "
                                 f"denser; each niche's {TOP_NICHE_LINKS} densest)", "color": EDGE_STYLE["overlap"]}],
        "hasEngagement": False, "hasAuthority": False,
        "figures": {"columns": cols, "rows": [[plain(v[k]) for v in vals] for k in range(n_groups)]},
        "overlaps": linked, "topCreators": top_creators,
        "metricName": edge_metric,
        "search": {"handle": nodes["handle"].astype(str).tolist(), "niche": groups.tolist()},
    }
