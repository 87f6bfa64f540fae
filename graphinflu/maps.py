"""Interactive HTML maps of creators: niches as coloured clusters, authorities as big nodes.

One function, :func:`build_map`, turns the canonical graph plus metric tables into one
self-contained ``.html`` file (vis-network drawn from a pyvis ``Network``) that works offline by
double-click. It closes pyvis's gaps:

* vis-network's JavaScript and CSS are inlined (taken from the copy pyvis ships); the file has no
  ``http://`` or ``https://`` text at all and no ``lib/`` folder is written anywhere;
* a legend (niche colours with labels, tier marks, what size means), search by handle, filters by
  niche, tier, minimum engagement and minimum authority, click-to-highlight a neighbourhood and a
  side panel with the creator's figures and top audience overlaps;
* physics is off: positions come from an igraph layout computed in Python (Fruchterman-Reingold up
  to 1,000 creators, its grid variant above), so 5,000 creators draw in about a second;
* above ``aggregate_above`` creators the map shows one node per niche and writes one map per niche
  next to it;
* every text from the data is escaped: data travel as JSON inside ``<script type="application/json">``
  (``<``, ``>``, ``&``, U+2028 and U+2029 escaped) and are rendered with ``textContent``; tooltips are
  plain text; a Content-Security-Policy with the hashes of the two inline scripts blocks anything
  else from running or loading.

:func:`map_tables` returns the nodes and links a map would draw, as DataFrames.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ._io import atomic_write
from .errors import InputError, UnknownAccountError
from .graph import INTERACTION_KINDS, Graph

__all__ = ["build_map", "map_tables", "map_inputs", "MapResult", "DEFAULT_AGGREGATE_ABOVE", "PALETTE", "TIER_SHAPES"]

#: Above this many creators a map shows niches as aggregated nodes (one linked map per niche).
DEFAULT_AGGREGATE_ABOVE = 5000

#: Niche colours, largest niche first; niches past the palette are grey.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d",
    "#31a354", "#756bb1", "#636363", "#f7b6d2",
)
OTHER_COLOR = "#b4b4b4"

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
_NO_TIER = "(no tier)"

_AUTHORITY_COLUMNS = ("authority", "pagerank", "niche_authority", "hits_authority", "in_degree")
_KNOWN_COLUMNS = {"handle", "community", "niche", "niche_label", "tier", "followers", "engagement_rate"}
_EDGE_STYLE = {
    "overlap": "rgba(70,110,200,0.45)",
    "follows": "rgba(110,110,110,0.55)",
    "interactions": "rgba(225,110,20,0.7)",
}
_MAX_NICHES = 60  # niches past the 60th largest are drawn as one "other niches" group when aggregated
_TOP_OVERLAPS = 5
_LINK_FILE = re.compile(r"^[A-Za-z0-9._-]+\.html?$")


@dataclass
class MapResult:
    """What :func:`build_map` wrote.

    ``path`` is the main file; ``niche_maps`` the per-niche files written next to it when the map
    was aggregated (empty otherwise); ``n_nodes`` / ``n_edges`` what the main file draws.
    """

    path: Path
    n_nodes: int
    n_edges: int
    aggregated: bool = False
    niche_maps: list[Path] = field(default_factory=list)


# ================================================================================= tables
def _resolve(wanted: Iterable, metrics: pd.DataFrame, what: str) -> list[str]:
    """Ids (or handles) → metric index ids, in the given order, without duplicates."""
    wanted = [str(w) for w in wanted]
    idx = metrics.index
    pos = idx.get_indexer(wanted)
    miss = pos < 0
    if miss.any() and "handle" in metrics.columns:
        handles = pd.Index(metrics["handle"].astype(str))
        if handles.is_unique:
            pos[miss] = handles.get_indexer(pd.Index(wanted)[miss])
            miss = pos < 0
    if miss.any():
        raise UnknownAccountError([w for w, m in zip(wanted, miss) if m], what=f"{what} (not in the metrics table)")
    return list(dict.fromkeys(idx[pos].tolist()))


def _authority_column(metrics: pd.DataFrame, size_by: str | None) -> str | None:
    if size_by is not None:
        if size_by not in metrics.columns:
            raise InputError(f"size_by column {size_by!r} not in the metrics table; columns are {list(metrics.columns)}",
                             hint="pass one of the numeric metric columns, e.g. pagerank")
        return size_by
    for col in _AUTHORITY_COLUMNS:
        if col in metrics.columns:
            return col
    return None


def _engagement(m: pd.DataFrame, n: int) -> np.ndarray:
    """``engagement_rate``, NaN where the metrics say the account is not rated (``rated`` False)."""
    rate = _num(m["engagement_rate"] if "engagement_rate" in m.columns else None, n)
    if "rated" in m.columns:
        rate[~m["rated"].fillna(False).to_numpy(bool)] = np.nan
    return rate


def _num(s: pd.Series | None, n: int) -> np.ndarray:
    if s is None:
        return np.full(n, np.nan)
    # a writable copy: with copy-on-write pandas may hand back a read-only view of the column
    return np.array(pd.to_numeric(s, errors="coerce"), dtype=np.float64, copy=True)


def map_tables(
    graph: Graph | None,
    metrics: pd.DataFrame,
    overlap: pd.DataFrame | None = None,
    *,
    creators: Iterable | None = None,
    brand: Iterable | None = None,
    edge_metric: str = "jaccard",
    min_overlap: float = 0.05,
    max_links_per_creator: int | None = 10,
    include_follows: bool = True,
    include_interactions: bool = True,
    size_by: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes and links a creator map draws (no layout), as two DataFrames.

    Parameters are those of :func:`build_map`.

    Returns
    -------
    nodes : DataFrame indexed by account id (``id``), one row per creator, in the metrics order:
        ``handle``; ``niche`` (int, 0 = the niche with most creators on the map); ``niche_label``;
        ``tier`` (str, ``"(no tier)"`` when unknown); ``authority`` (the ``size_by`` column, NaN if
        absent); ``followers``; ``engagement_rate``; ``brand`` (bool).
    links : DataFrame with ``source``, ``target`` (account ids), ``kind`` (``overlap``, ``follows``
        or ``interactions``), ``value`` (the overlap metric, 1 for a follow, the summed interaction
        weight) and ``shared`` (shared audience, overlap links only, else NaN). Overlap links are
        undirected (``source`` < ``target`` in metrics order); follows and interactions point from
        the actor to the account acted on, between two creators of the map.

    >>> m = pd.DataFrame({"community": [0, 0, 1], "pagerank": [.5, .3, .2]}, index=["a", "b", "c"])
    >>> ov = pd.DataFrame({"creator_a": ["a", "a"], "creator_b": ["b", "c"], "shared": [4, 1],
    ...                    "jaccard": [.4, .01], "overlap_coefficient": [.8, .1]})
    >>> nodes, links = map_tables(None, m, ov)
    >>> nodes["niche"].tolist(), links[["source", "target", "kind", "value"]].values.tolist()
    ([0, 0, 1], [['a', 'b', 'overlap', 0.4]])
    """
    if not isinstance(metrics, pd.DataFrame):
        raise InputError(f"metrics must be a DataFrame indexed by account id, got {type(metrics).__name__}")
    metrics = metrics.copy(deep=False)
    metrics.index = pd.Index(metrics.index.astype(str), name="id")
    if not metrics.index.is_unique:
        dup = metrics.index[metrics.index.duplicated()].unique()[:5].tolist()
        raise InputError(f"metrics has duplicate account ids {dup}", hint="give one row per account")
    ids = _resolve(metrics.index if creators is None else creators, metrics, "creators")
    m = metrics.loc[ids]
    n = len(m)
    brand_ids = set(_resolve(brand, metrics, "brand accounts")) if brand else set()
    missing_brand = brand_ids - set(ids)
    if missing_brand:
        raise UnknownAccountError(sorted(missing_brand), what="brand accounts (not among the map's creators)")

    # handles: metrics, else the graph's account table, else the id
    if "handle" in m.columns:
        handle = m["handle"]
    elif graph is not None and "handle" in graph.accounts.columns:
        handle = graph.accounts["handle"].reindex(m.index)
    else:
        handle = pd.Series(m.index, index=m.index)
    handle = handle.where(handle.notna(), pd.Series(m.index, index=m.index)).astype(str)

    # niches: community ids re-ranked by size on this map (0 = largest), labels kept
    comm_col = "community" if "community" in m.columns else ("niche" if "niche" in m.columns else None)
    if comm_col is None:
        comm = pd.Series(["all"] * n, index=m.index)
    else:
        comm = m[comm_col].astype(object).where(m[comm_col].notna(), "none").astype(str)
    counts = comm.value_counts(sort=False)
    first_seen = pd.Series(np.arange(n), index=m.index).groupby(comm.to_numpy()).min()
    order = pd.DataFrame({"count": counts, "first": first_seen.reindex(counts.index)}).sort_values(
        ["count", "first"], ascending=[False, True]).index
    rank = pd.Series(np.arange(len(order)), index=order)
    niche = rank.reindex(comm.to_numpy()).to_numpy(np.int64)
    if "niche_label" in m.columns:
        lab = m["niche_label"].astype(object).where(m["niche_label"].notna(), None)
        by_comm = pd.Series(lab.to_numpy(), index=comm.to_numpy()).groupby(level=0).agg(
            lambda s: s.dropna().mode().iloc[0] if s.notna().any() else None)
    else:
        by_comm = pd.Series(dtype=object)
    labels = []
    for c in order:
        lbl = by_comm.get(c)
        labels.append(str(lbl) if lbl is not None and lbl == lbl else ("all creators" if comm_col is None else f"niche {c}"))
    niche_label = np.asarray(labels, dtype=object)[niche] if n else np.zeros(0, dtype=object)

    tier = (m["tier"].astype(object).where(m["tier"].notna(), _NO_TIER).astype(str) if "tier" in m.columns
            else pd.Series([_NO_TIER] * n, index=m.index))
    auth_col = _authority_column(m, size_by)
    followers = m["followers"] if "followers" in m.columns else (
        graph.accounts["followers"].reindex(m.index) if graph is not None and "followers" in graph.accounts.columns else None)
    nodes = pd.DataFrame({
        "handle": handle.to_numpy(),
        "niche": niche,
        "niche_label": niche_label,
        "tier": tier.to_numpy(),
        "authority": _num(m[auth_col] if auth_col else None, n),
        "followers": _num(followers, n),
        "engagement_rate": _engagement(m, n),
        "brand": m.index.isin(list(brand_ids)),
    }, index=m.index)
    nodes.attrs["authority_column"] = auth_col
    nodes.index.name = "id"

    links = [_overlap_links(overlap, m.index, edge_metric, min_overlap, max_links_per_creator)]
    if graph is not None:
        kinds = (["follows"] if include_follows else []) + (list(INTERACTION_KINDS) if include_interactions else [])
        links.append(_graph_links(graph, m.index, kinds))
    links = pd.concat([x for x in links if len(x)] or [_empty_links()], ignore_index=True)
    return nodes, links


def _empty_links() -> pd.DataFrame:
    return pd.DataFrame({"source": pd.Series([], dtype=object), "target": pd.Series([], dtype=object),
                         "kind": pd.Series([], dtype=object), "value": np.zeros(0), "shared": np.zeros(0)})


def _check_overlap(overlap: pd.DataFrame, edge_metric: str) -> None:
    need = {"creator_a", "creator_b", edge_metric}
    if not need <= set(overlap.columns):
        raise InputError(
            f"overlap table needs columns {sorted(need)}; found {list(overlap.columns)}",
            hint="pass graphinflu.metrics.overlap's long table (creator_a, creator_b, shared, jaccard, "
                 "overlap_coefficient) or choose edge_metric among its columns")


def _pairs(overlap: pd.DataFrame, order: pd.Index, edge_metric: str) -> pd.DataFrame:
    """Overlap rows between creators of the map as integer pairs ``a < b`` (one row per pair)."""
    a = order.get_indexer(overlap["creator_a"].astype(str))
    b = order.get_indexer(overlap["creator_b"].astype(str))
    val = pd.to_numeric(overlap[edge_metric], errors="coerce").to_numpy(np.float64)
    shared = (pd.to_numeric(overlap["shared"], errors="coerce").to_numpy(np.float64) if "shared" in overlap.columns
              else np.full(len(overlap), np.nan))
    keep = (a >= 0) & (b >= 0) & (a != b) & np.isfinite(val)
    a, b, val, shared = a[keep], b[keep], val[keep], shared[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    df = pd.DataFrame({"a": lo, "b": hi, "value": val, "shared": shared})
    return df.sort_values("value", ascending=False, kind="stable").drop_duplicates(["a", "b"])


def _overlap_links(overlap, order: pd.Index, edge_metric: str, min_overlap: float, k: int | None) -> pd.DataFrame:
    if overlap is None or len(overlap) == 0:
        return _empty_links()
    _check_overlap(overlap, edge_metric)
    p = _pairs(overlap, order, edge_metric)
    p = p[p["value"] >= min_overlap]
    if k is not None and len(p):
        # keep a link when it is among the k strongest of either endpoint
        both = pd.concat([pd.DataFrame({"node": p["a"], "row": p.index, "v": p["value"]}),
                          pd.DataFrame({"node": p["b"], "row": p.index, "v": p["value"]})])
        both["r"] = both.groupby("node")["v"].rank(method="first", ascending=False)
        keep_rows = both.loc[both["r"] <= k, "row"].unique()
        p = p.loc[p.index.isin(keep_rows)]
    p = p.sort_values(["a", "b"])
    ids = order.to_numpy()
    return pd.DataFrame({"source": ids[p["a"].to_numpy()], "target": ids[p["b"].to_numpy()], "kind": "overlap",
                         "value": p["value"].to_numpy(np.float64), "shared": p["shared"].to_numpy(np.float64)})


def _graph_links(graph: Graph, order: pd.Index, kinds: list[str]) -> pd.DataFrame:
    if not kinds or graph.n_edges == 0:
        return _empty_links()
    pos = graph.ids.get_indexer(order)  # creator → graph row (or -1: creator not in the graph)
    to_map = np.full(graph.n_accounts, -1, dtype=np.int64)
    to_map[pos[pos >= 0]] = np.flatnonzero(pos >= 0)
    out = []
    ids = order.to_numpy()
    for group, ks in (("follows", [k for k in kinds if k == "follows"]),
                      ("interactions", [k for k in kinds if k != "follows"])):
        ks = [k for k in ks if k in graph.kinds_present()]
        if not ks:
            continue
        s, t, w = graph.edge_arrays(ks)
        a, b = to_map[s], to_map[t]
        keep = (a >= 0) & (b >= 0)
        if not keep.any():
            continue
        df = pd.DataFrame({"a": a[keep], "b": b[keep], "w": w[keep]}).groupby(["a", "b"], sort=True)["w"].sum().reset_index()
        out.append(pd.DataFrame({"source": ids[df["a"].to_numpy()], "target": ids[df["b"].to_numpy()], "kind": group,
                                 "value": 1.0 if group == "follows" else df["w"].to_numpy(np.float64),
                                 "shared": np.nan}))
    return pd.concat(out, ignore_index=True) if out else _empty_links()


# ================================================================================= layout
def _layout(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, groups: np.ndarray, seed: int) -> np.ndarray:
    """``n × 2`` positions in vis pixels: igraph Fruchterman-Reingold (grid variant above 1,000 nodes).

    One hidden anchor per group (niche), tied to its members, keeps each niche together and places
    creators without links beside their niche instead of scattering them.
    """
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    import igraph as ig

    n_groups = int(groups.max()) + 1 if len(groups) else 0
    w = np.asarray(w, dtype=np.float64)
    w = w / w.max() if len(w) and w.max() > 0 else w
    same = groups[a] == groups[b] if len(a) else np.zeros(0, bool)
    ew = np.where(same, 1.0 + w, 0.3 + w)
    anchor_a = np.arange(n)
    anchor_b = n + groups
    src = np.concatenate([a, anchor_a]).astype(np.int64)
    dst = np.concatenate([b, anchor_b]).astype(np.int64)
    weights = np.concatenate([ew, np.full(n, 0.6)])
    g = ig.Graph(n=n + n_groups, edges=np.column_stack([src, dst]), directed=False)
    g.es["weight"] = weights
    g = g.simplify(combine_edges="sum")
    state = random.getstate()
    random.seed(seed)
    try:
        if n + n_groups <= 1000:
            lay = g.layout_fruchterman_reingold(weights="weight", niter=500, grid="nogrid")
        else:  # grid-based repulsion: linear time per iteration (DrL took 20 s for 5,000 creators)
            lay = g.layout_fruchterman_reingold(weights="weight", niter=300, grid="grid")
    finally:
        random.setstate(state)
    xy = np.asarray(lay.coords, dtype=np.float64)[:n]
    xy -= xy.mean(axis=0)
    span = np.abs(xy).max()
    target = 80.0 * math.sqrt(n) + 200.0
    if span > 0:
        xy *= target / span
    return xy


# ================================================================================= rendering
def script_json(obj) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (and inside HTML generally).

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026`` (so ``</script>`` and
    ``<!--`` cannot occur), and U+2028 / U+2029 as escapes; NaN is not allowed (use None).

    >>> script_json({"h": "</script><b>&"})
    '{"h":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    s = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_dir() -> Path:
    import pyvis

    base = Path(pyvis.__file__).parent / "templates" / "lib"
    found = sorted(base.glob("vis-*/vis-network.min.js"),
                   key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not found:
        raise InputError(f"vis-network not found inside pyvis at {base}",
                         hint="reinstall pyvis (pip install --force-reinstall 'pyvis>=0.3.2')")
    return found[-1].parent


def _defang(text: str) -> str:
    """Make inlined library text free of ``http://`` / ``https://`` without changing what it does.

    The only URLs in vis-network are licence/comment links, the SVG namespace string and an error
    message; in JavaScript strings, comments and regexes ``\\/`` means ``/``, so ``http:\\/\\/`` is
    the same value at run time.
    """
    text = text.replace("http://", "http:\\/\\/").replace("https://", "https:\\/\\/")
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--")


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    vis = _vis_dir()
    tpl = resources.files("graphinflu") / "templates"
    css = (vis / "vis-network.css").read_text("utf-8")
    if re.search(r"url\(\s*(?!['\"]?data:)", css) or "</style" in css.lower():
        raise InputError("vis-network.css references external files; cannot inline it", path=vis / "vis-network.css")
    return {
        "vis_js": _defang((vis / "vis-network.min.js").read_text("utf-8")),
        "vis_css": css.replace("http://", "http:\\/\\/").replace("https://", "https:\\/\\/"),
        "vis_version": vis.name,
        "html": (tpl / "map.html").read_text("utf-8"),
        "map_js": _defang((tpl / "map.js").read_text("utf-8")),
        "map_css": (tpl / "map.css").read_text("utf-8"),
    }


def _csp(scripts: Sequence[str]) -> str:
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
                      for s in scripts)
    return ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            f"script-src {hashes}; style-src 'unsafe-inline'; img-src data:; font-src data:; "
            "connect-src 'none'; form-action 'none'; base-uri 'none'\">")


def render_html(payload: dict, *, csp: bool = True) -> str:
    """The map page for a payload (see :func:`_payload`) with every resource inlined."""
    a = _assets()
    parts = {
        "TITLE": html.escape(str(payload.get("title", "graphinflu map")), quote=True),
        "VIS_CSS": a["vis_css"],
        "MAP_CSS": a["map_css"],
        "DATA": script_json(payload),
        "VIS_JS": a["vis_js"],
        "MAP_JS": a["map_js"],
        "CSP": _csp([a["vis_js"], a["map_js"]]) if csp else "",
    }
    # one pass, so nothing inserted is scanned for placeholders again
    return re.sub(r"@@([A-Z_]+)@@", lambda mt: parts[mt.group(1)], a["html"])


def _sig(x: float, digits: int = 6) -> float:
    return float(f"{x:.{digits}g}")


def _plain(v):
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
    arr = np.asarray(values, dtype=np.float64)
    return [x if math.isfinite(x) else None for x in arr.tolist()]


def _sizes(authority: np.ndarray, lo: float = 6.0, hi: float = 30.0) -> np.ndarray:
    a = np.where(np.isfinite(authority) & (authority > 0), authority, 0.0)
    top = a.max() if len(a) else 0.0
    if top <= 0:
        return np.full(len(a), lo + 3.0)
    return lo + (hi - lo) * np.sqrt(a / top)


def _tier_table(tiers: np.ndarray) -> tuple[list[dict], np.ndarray]:
    present = pd.unique(pd.Series(tiers, dtype=object))
    known = [t for t in TIER_SHAPES if t in set(present)]
    rest = sorted(t for t in present if t not in TIER_SHAPES and t != _NO_TIER)
    order = known + rest + ([_NO_TIER] if _NO_TIER in set(present) else [])
    out, extra = [], 0
    for t in order:
        if t in TIER_SHAPES:
            shape, mark = TIER_SHAPES[t]
        elif t == _NO_TIER:
            shape, mark = "dot", "\u25cb"
        else:
            shape, mark = _EXTRA_SHAPES[extra % len(_EXTRA_SHAPES)]
            extra += 1
        out.append({"key": len(out), "name": t, "shape": shape, "mark": mark})
    code = pd.Index(order).get_indexer(pd.Index(tiers, dtype=object)) if len(tiers) else np.zeros(0, np.int64)
    counts = np.bincount(code, minlength=len(order)) if len(order) else []
    for t, c in zip(out, counts):
        t["count"] = int(c)
    return out, code


def _options(n_nodes: int, n_edges: int) -> dict:
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


def _network(node_records: list[dict], edge_records: list[dict], options: dict):
    """A pyvis ``Network`` holding plain-Python records.

    ``Network.add_node`` asserts on id types and checks membership in a list and ``add_edge``
    scans every edge (quadratic), so the already-validated records are assigned in bulk.
    """
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = node_records
    net.node_ids = [r["id"] for r in node_records]
    net.node_map = dict(zip(net.node_ids, node_records))
    net.edges = edge_records
    net.options = options
    return net


def _figure_columns(nodes: pd.DataFrame, metrics: pd.DataFrame | None, auth_col: str | None) -> list[tuple[str, str, str, bool, np.ndarray]]:
    """(label, source column, format, in tooltip, values) for the side panel."""
    cols = [("id", "id", "text", False, nodes.index.to_numpy(object)),
            ("niche", "niche_label", "text", True, nodes["niche_label"].to_numpy(object)),
            ("tier", "tier", "text", True, nodes["tier"].to_numpy(object))]
    if nodes["followers"].notna().any():
        cols.append(("followers", "followers", "int", True, nodes["followers"].to_numpy()))
    if nodes["engagement_rate"].notna().any():
        cols.append(("engagement rate", "engagement_rate", "num", True, nodes["engagement_rate"].to_numpy()))
    if auth_col is not None:
        cols.append((f"authority ({auth_col})", auth_col, "num", True, nodes["authority"].to_numpy()))
    if metrics is not None:
        extra = [c for c in metrics.columns if c not in _KNOWN_COLUMNS and c != auth_col
                 and pd.api.types.is_numeric_dtype(metrics[c]) and not pd.api.types.is_bool_dtype(metrics[c])]
        for c in extra[:10]:
            cols.append((str(c), str(c), "num", False, pd.to_numeric(metrics[c].reindex(nodes.index), errors="coerce").to_numpy()))
    if nodes["brand"].any():
        cols.append(("brand account", "brand", "text", True, np.where(nodes["brand"].to_numpy(), "yes", "no")))
    return cols


_EDGE_KINDS = ("overlap", "follows", "interactions")


def _compact_edges(edge_records: list[dict], node_ids: list[str]) -> dict:
    """pyvis edge records → index arrays (a 5,000-creator map shrinks from 6.5 MB to about 2 MB).

    The page rebuilds the vis records: ``{id: "e<j>", from: ids[a], to: ids[b], width, color, arrows}``
    with colour and arrows from ``kinds[k]``.
    """
    pos = {i: k for k, i in enumerate(node_ids)}
    kind_of = {c: k for k, c in enumerate(_EDGE_KINDS)}
    return {
        "from": [pos[e["from"]] for e in edge_records],
        "to": [pos[e["to"]] for e in edge_records],
        "width": [e["width"] for e in edge_records],
        "kind": [kind_of[e["kind"]] for e in edge_records],
        "kinds": [{"name": k, "color": _EDGE_STYLE[k], "arrows": k != "overlap"} for k in _EDGE_KINDS],
    }


def _creator_payload(nodes: pd.DataFrame, links: pd.DataFrame, top_overlaps: list, *, metrics, edge_metric: str,
                     title: str, seed: int, back: dict | None = None, note: str | None = None) -> dict:
    n = len(nodes)
    pos = pd.Index(nodes.index)
    la = pos.get_indexer(links["source"]) if len(links) else np.zeros(0, np.int64)
    lb = pos.get_indexer(links["target"]) if len(links) else np.zeros(0, np.int64)
    lw = np.where(links["kind"].to_numpy() == "overlap", links["value"].to_numpy(np.float64), 0.5) if len(links) else np.zeros(0)
    niche = nodes["niche"].to_numpy(np.int64)
    xy = _layout(n, la, lb, np.nan_to_num(lw), niche, seed)
    colors = np.array([PALETTE[k] if k < len(PALETTE) else OTHER_COLOR for k in niche.tolist()], dtype=object)
    sizes = _sizes(nodes["authority"].to_numpy())
    tiers, tier_code = _tier_table(nodes["tier"].to_numpy(object))
    shapes = [tiers[c]["shape"] for c in tier_code.tolist()]
    brand = nodes["brand"].to_numpy(bool)

    ids = [str(i) for i in nodes.index.tolist()]
    handles = [str(h) for h in nodes["handle"].tolist()]
    node_records = []
    for i, (x, y, s) in enumerate(zip(np.round(xy[:, 0], 1).tolist(), np.round(xy[:, 1], 1).tolist(),
                                      np.round(sizes, 1).tolist())):
        rec = {"id": ids[i], "label": handles[i], "x": x, "y": y, "size": s, "shape": shapes[i], "color": str(colors[i])}
        if brand[i]:
            rec["color"] = {"background": str(colors[i]), "border": "#111111",
                            "highlight": {"background": str(colors[i]), "border": "#000000"}}
            rec["borderWidth"] = 5
            rec["borderWidthSelected"] = 6
        node_records.append(rec)

    kinds = links["kind"].tolist()
    vals = links["value"].to_numpy(np.float64)
    ov = links["kind"].to_numpy() == "overlap"
    vmax = vals[ov].max() if ov.any() else 1.0
    inter = links["kind"].to_numpy() == "interactions"
    width = np.ones(len(links))
    if ov.any() and vmax > 0:
        width[ov] = 1.0 + 5.0 * vals[ov] / vmax
    width[inter] = 1.0 + np.log1p(vals[inter])
    width = np.round(width, 2).tolist()
    src, dst = links["source"].astype(str).tolist(), links["target"].astype(str).tolist()
    edge_records = []
    for j in range(len(links)):
        k = kinds[j]
        edge_records.append({"id": f"e{j}", "from": src[j], "to": dst[j], "width": width[j], "color": _EDGE_STYLE[k],
                             "arrows": "to" if k != "overlap" else "", "kind": k})

    net = _network(node_records, edge_records, _options(n, len(edge_records)))
    p_nodes, p_edges, _heading, _h, _w, options_json = net.get_network_data()

    niche_labels = nodes.groupby("niche", sort=True)["niche_label"].first()
    niche_counts = nodes["niche"].value_counts().sort_index()
    niches = [{"key": int(k), "label": str(niche_labels[k]), "count": int(niche_counts[k]),
               "color": PALETTE[k] if k < len(PALETTE) else OTHER_COLOR} for k in niche_labels.index.tolist()]

    auth_col = nodes.attrs.get("authority_column")
    figs = _figure_columns(nodes, metrics, auth_col)
    fig_values = [[_plain(v) for v in col[4].tolist()] for col in figs]
    rows = [list(r) for r in zip(*fig_values)] if n else []
    present = set(kinds)
    edge_legend = []
    if "overlap" in present:
        edge_legend.append({"label": f"shared audience ({edge_metric}; wider = more)", "color": _EDGE_STYLE["overlap"]})
    if "follows" in present:
        edge_legend.append({"label": "follows (arrow to the followed creator)", "color": _EDGE_STYLE["follows"]})
    if "interactions" in present:
        edge_legend.append({"label": "interactions (mentions, replies, ...)", "color": _EDGE_STYLE["interactions"]})
    has_auth = bool(np.isfinite(nodes["authority"].to_numpy()).any())
    size_note = (f"Size \u221d \u221a({auth_col} / largest {auth_col} on the map). Thick dark ring = brand account."
                 if has_auth else "All creators are drawn the same size (no authority column).")
    return {
        "title": title, "mode": "creators", "back": back, "note": note,
        "options": json.loads(options_json), "nodes": p_nodes, "edges": _compact_edges(p_edges, ids),
        "attrs": {"handle": handles, "niche": niche.tolist(), "tier": tier_code.tolist(),
                  "eng": _col(nodes["engagement_rate"].to_numpy()), "auth": _col(nodes["authority"].to_numpy())},
        "niches": niches, "tiers": tiers, "edgeLegend": edge_legend, "sizeNote": size_note,
        "hasEngagement": bool(nodes["engagement_rate"].notna().any()), "hasAuthority": has_auth,
        "figures": {"columns": [{"label": c[0], "format": c[2], "tooltip": c[3]} for c in figs], "rows": rows},
        "overlaps": top_overlaps, "metricName": edge_metric,
    }


def _top_overlaps(overlap, order: pd.Index, edge_metric: str, k: int = _TOP_OVERLAPS) -> list:
    """Per creator (in ``order``): up to ``k`` ``[partner position, value, shared]`` among ``order``."""
    out = [[] for _ in range(len(order))]
    if overlap is None or len(overlap) == 0 or len(order) == 0:
        return out
    p = _pairs(overlap, order, edge_metric)
    p = p[p["value"] > 0]
    both = pd.concat([pd.DataFrame({"n": p["a"], "o": p["b"], "v": p["value"], "s": p["shared"]}),
                      pd.DataFrame({"n": p["b"], "o": p["a"], "v": p["value"], "s": p["shared"]})], ignore_index=True)
    both = both.sort_values(["n", "v"], ascending=[True, False], kind="stable").groupby("n", sort=False).head(k)
    for nn, oo, vv, ss in zip(both["n"].tolist(), both["o"].tolist(), both["v"].tolist(), both["s"].tolist()):
        out[nn].append([oo, _sig(vv, 4), ss if ss == ss else None])
    return out


def _write(path: Path, text: str) -> None:
    with atomic_write(path, "w") as fh:
        fh.write(text)


# ================================================================================= entry point
def build_map(
    graph: Graph | None,
    metrics: pd.DataFrame,
    overlap: pd.DataFrame | None = None,
    *,
    path,
    creators: Iterable | None = None,
    brand: Iterable | None = None,
    edge_metric: str = "jaccard",
    min_overlap: float = 0.05,
    max_links_per_creator: int | None = 10,
    include_follows: bool = True,
    include_interactions: bool = True,
    aggregate_above: int | None = DEFAULT_AGGREGATE_ABOVE,
    size_by: str | None = None,
    title: str = "graphinflu map",
    seed: int = 0,
) -> MapResult:
    """Write an interactive, self-contained HTML map of creators to ``path`` (atomically).

    Nodes are creators coloured by niche (community), sized by authority, shaped by tier; links are
    audience overlap at or above ``min_overlap`` and follows / interactions between creators.

    Parameters
    ----------
    graph : Graph or None
        The canonical graph; follows and interactions between creators are drawn from it (and
        handles / follower counts read from its account table when ``metrics`` lacks them).
        Never modified.
    metrics : DataFrame
        Indexed by account id. Used columns (all optional): ``handle``, ``community`` (niche id),
        ``niche_label``, the authority column (``size_by``, else the first of ``authority``,
        ``pagerank``, ``niche_authority``, ``hits_authority``, ``in_degree``), ``tier``,
        ``followers``, ``engagement_rate``; other numeric columns are shown in the side panel.
    overlap : DataFrame, optional
        Long table ``creator_a``, ``creator_b``, ``shared``, ``jaccard``, ``overlap_coefficient``
        (as :mod:`graphinflu.metrics.overlap` returns); pairs in either order, once or twice.
    path : str or Path
        The HTML file to write. Per-niche maps (aggregated maps only) are written next to it as
        ``<stem>.niche-<k>.html``.
    creators : iterable, optional
        Ids (or unique handles) of the accounts to draw; default every account in ``metrics``.
    brand : iterable, optional
        Ids or handles of brand accounts to highlight (thick dark ring); they must be creators.
    edge_metric : str
        Overlap column used for links, widths and the side panel (``jaccard`` or
        ``overlap_coefficient``, or any numeric column of ``overlap``).
    min_overlap : float
        Smallest ``edge_metric`` drawn as a link (default 0.05).
    max_links_per_creator : int or None
        Keep an overlap link only if it is among the strongest k of one of its two creators
        (default 10; None keeps every link above ``min_overlap``).
    include_follows, include_interactions : bool
        Draw follow / interaction edges between creators from ``graph``.
    aggregate_above : int or None
        With more creators than this (default 5,000), the main file shows one node per niche
        (the 59 largest niches, the rest grouped as "other niches"), sized by creator count, linked
        by the number of creator links between niches; each niche gets its own map (its
        ``aggregate_above`` creators of highest authority). None never aggregates.
    size_by : str, optional
        Metrics column for node size (size ∝ √(value / max value)).
    title : str
        Page title (escaped).
    seed : int
        Seed of the layout (same inputs and seed → same positions).

    Returns
    -------
    MapResult

    Raises
    ------
    InputError
        ``metrics`` is not a DataFrame or has duplicate ids, ``overlap`` lacks the needed columns,
        ``size_by`` is not a column.
    UnknownAccountError
        A creator or brand account is not in ``metrics`` (or a brand account not among creators).
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"map file must end in .html, got {path.name!r}", hint="use e.g. -o map.html")
    nodes, links = map_tables(graph, metrics, overlap, creators=creators, brand=brand, edge_metric=edge_metric,
                              min_overlap=min_overlap, max_links_per_creator=max_links_per_creator,
                              include_follows=include_follows, include_interactions=include_interactions,
                              size_by=size_by)
    metrics = metrics.copy(deep=False)
    metrics.index = pd.Index(metrics.index.astype(str), name="id")
    if aggregate_above is None or len(nodes) <= aggregate_above:
        payload = _creator_payload(nodes, links, _top_overlaps(overlap, nodes.index, edge_metric), metrics=metrics,
                                   edge_metric=edge_metric, title=title, seed=seed)
        _write(path, render_html(payload))
        return MapResult(path, len(nodes), len(links))
    return _build_aggregated(nodes, links, overlap, metrics=metrics, edge_metric=edge_metric, path=path,
                             limit=int(aggregate_above), title=title, seed=seed)


def _build_aggregated(nodes, links, overlap, *, metrics, edge_metric, path: Path, limit: int, title: str,
                      seed: int) -> MapResult:
    groups = np.minimum(nodes["niche"].to_numpy(np.int64), _MAX_NICHES - 1)
    n_groups = int(groups.max()) + 1
    labels = nodes.groupby("niche", sort=True)["niche_label"].first()
    glabels = [str(labels[k]) for k in range(min(n_groups, _MAX_NICHES - 1))]
    if n_groups == _MAX_NICHES and nodes["niche"].max() >= _MAX_NICHES - 1:
        glabels.append(f"other niches ({int(nodes['niche'].max()) - _MAX_NICHES + 2} small niches)")
    written: list[Path] = []
    files = []
    main_name = path.name
    gser = pd.Series(groups, index=nodes.index)
    auth = nodes["authority"].fillna(-np.inf)
    for k in range(n_groups):
        members = gser.index[gser.to_numpy() == k]
        sub = nodes.loc[members]
        note = None
        if len(sub) > limit:
            keep = auth.loc[members].sort_values(ascending=False, kind="stable").index[:limit]
            sub = sub.loc[sub.index.isin(keep)]
            note = f"the {limit:,} creators of highest authority of {len(members):,}"
        name = f"{path.stem}.niche-{k:03d}{path.suffix}"
        if not _LINK_FILE.match(name):
            name = f"niche-{k:03d}.html"
        inside = links[links["source"].isin(sub.index) & links["target"].isin(sub.index)]
        payload = _creator_payload(sub, inside, _top_overlaps(overlap, sub.index, edge_metric), metrics=metrics,
                                   edge_metric=edge_metric, title=f"{title} \u2014 {glabels[k]}", seed=seed,
                                   back={"href": main_name if _LINK_FILE.match(main_name) else "", "text": "\u2190 all niches"},
                                   note=note)
        dest = path.with_name(name)
        _write(dest, render_html(payload))
        written.append(dest)
        files.append(name)

    # overview: one node per niche group, links = number of creator links between two groups
    pos = pd.Index(nodes.index)
    la = groups[pos.get_indexer(links["source"])] if len(links) else np.zeros(0, np.int64)
    lb = groups[pos.get_indexer(links["target"])] if len(links) else np.zeros(0, np.int64)
    cross = la != lb
    lo, hi = np.minimum(la, lb)[cross], np.maximum(la, lb)[cross]
    agg = pd.DataFrame({"a": lo, "b": hi}).value_counts().sort_index().reset_index(name="n")
    count = np.bincount(groups, minlength=n_groups)
    xy = _layout(n_groups, agg["a"].to_numpy(), agg["b"].to_numpy(), np.log1p(agg["n"].to_numpy(np.float64)),
                 np.arange(n_groups), seed) * 1.5
    sizes = 12.0 + 38.0 * np.sqrt(count / count.max())
    gid = [f"niche:{k}" for k in range(n_groups)]
    colors = [PALETTE[k] if k < len(PALETTE) else OTHER_COLOR for k in range(n_groups)]
    node_records = [{"id": gid[k], "label": f"{glabels[k]} ({int(count[k]):,})", "x": float(round(xy[k, 0], 1)),
                     "y": float(round(xy[k, 1], 1)), "size": float(round(sizes[k], 1)), "shape": "dot", "color": colors[k]}
                    for k in range(n_groups)]
    nmax = float(agg["n"].max()) if len(agg) else 1.0
    edge_records = [{"id": f"e{j}", "from": gid[a], "to": gid[b], "width": float(round(1 + 7 * math.log1p(c) / math.log1p(nmax), 2)),
                     "color": _EDGE_STYLE["overlap"], "arrows": "", "kind": "overlap"}
                    for j, (a, b, c) in enumerate(zip(agg["a"].tolist(), agg["b"].tolist(), agg["n"].tolist()))]
    brand_n = np.bincount(groups, weights=nodes["brand"].to_numpy(float), minlength=n_groups)
    for k in np.flatnonzero(brand_n > 0).tolist():
        node_records[k]["borderWidth"] = 5
        node_records[k]["color"] = {"background": colors[k], "border": "#111111"}
    net = _network(node_records, edge_records, _options(n_groups, len(edge_records)))
    p_nodes, p_edges, _hd, _h, _w, options_json = net.get_network_data()

    def per_group(values, how):
        s = pd.Series(values, index=groups)
        return getattr(s.groupby(level=0), how)().reindex(range(n_groups)).to_numpy(np.float64)

    fol = per_group(nodes["followers"].to_numpy(), "sum")
    eng = per_group(nodes["engagement_rate"].to_numpy(), "median")
    au = per_group(nodes["authority"].to_numpy(), "sum")
    has_fol, has_eng, has_auth = (nodes[c].notna().any() for c in ("followers", "engagement_rate", "authority"))
    cols = [{"label": "creators", "format": "int", "tooltip": True}]
    vals = [count.astype(float)]
    if has_fol:
        cols.append({"label": "followers (sum)", "format": "int", "tooltip": True}); vals.append(np.where(np.isnan(fol), np.nan, fol))
    if has_eng:
        cols.append({"label": "engagement rate (median)", "format": "num", "tooltip": True}); vals.append(eng)
    if has_auth:
        cols.append({"label": f"authority ({nodes.attrs.get('authority_column')}, sum)", "format": "num", "tooltip": True}); vals.append(au)
    if brand_n.any():
        cols.append({"label": "brand accounts", "format": "int", "tooltip": True}); vals.append(brand_n)
    rows = [[_plain(v[k]) for v in vals] for k in range(n_groups)]
    # top creators per niche, linked niches per niche
    order = auth.sort_values(ascending=False, kind="stable")
    top = pd.DataFrame({"g": gser.loc[order.index].to_numpy(), "h": nodes["handle"].loc[order.index].to_numpy()})
    top = top.groupby("g", sort=True).head(10)
    top_creators = [top.loc[top["g"] == k, "h"].astype(str).tolist() for k in range(n_groups)]
    linked = [[] for _ in range(n_groups)]
    both = pd.concat([agg.rename(columns={"a": "x", "b": "y"}), agg.rename(columns={"a": "y", "b": "x"})])
    both = both.sort_values(["x", "n"], ascending=[True, False]).groupby("x").head(_TOP_OVERLAPS)
    for x, y, c in zip(both["x"].tolist(), both["y"].tolist(), both["n"].tolist()):
        linked[x].append([y, float(c), None])
    niches = [{"key": k, "label": glabels[k], "count": int(count[k]), "color": colors[k], "href": files[k]}
              for k in range(n_groups)]
    payload = {
        "title": title, "mode": "niches", "back": None,
        "note": f"{len(nodes):,} creators in {n_groups} niches; double-click a niche to open its map",
        "options": json.loads(options_json), "nodes": p_nodes, "edges": _compact_edges(p_edges, gid),
        "attrs": {"handle": glabels, "niche": list(range(n_groups)), "tier": None, "eng": None,
                  "auth": None},
        "niches": niches, "tiers": [], "sizeNote": "Each node is a niche; size \u221d \u221a(creators). "
                                                   "Links: number of creator links between two niches.",
        "edgeLegend": [{"label": "creator links between niches (wider = more)", "color": _EDGE_STYLE["overlap"]}],
        "hasEngagement": False, "hasAuthority": False,
        "figures": {"columns": cols, "rows": rows}, "overlaps": linked, "topCreators": top_creators,
        "metricName": edge_metric,
        "search": {"handle": nodes["handle"].astype(str).tolist(), "niche": groups.tolist()},
    }
    _write(path, render_html(payload))
    return MapResult(path, n_groups, len(edge_records), aggregated=True, niche_maps=written)


# ================================================================================= from a graph only
def map_inputs(
    graph: Graph,
    *,
    posts: pd.DataFrame | None = None,
    top: int = 500,
    creators: Iterable | None = None,
    brand: Iterable | None = None,
    method: str = "leiden",
    resolution: float = 1.0,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``metrics`` and ``overlap`` tables :func:`build_map` needs, computed from a graph.

    Creators are ``creators`` if given, else the ``top`` accounts by PageRank among those with at
    least one follower in the graph; brand accounts are always added. Metrics (by
    :mod:`graphinflu.metrics`): ``pagerank`` (follows, or interactions when there are no follows),
    ``indegree``, ``followers`` and ``tier`` (:func:`~graphinflu.metrics.tiers.tiers`),
    ``community`` (Leiden/Louvain on the whole graph) and ``niche_label``
    (:func:`~graphinflu.metrics.communities.community_summary`; ``"niche <id>"`` when the profiles
    give no category or hashtags), ``engagement_rate`` and ``rated`` when ``posts`` or profile
    likes/comments are given. Overlap: :func:`~graphinflu.metrics.overlap.overlap_pairs` among the
    creators (exact).

    Returns
    -------
    (metrics, overlap) : metrics indexed by creator id in rank order; overlap the long pair table.
    """
    from .metrics import authority, communities as comm, overlap as ov, tiers as tr

    kinds = "follows" if "follows" in graph.kinds_present() else list(INTERACTION_KINDS)
    acc = pd.concat([graph.accounts[["handle"]], authority.pagerank(graph, kinds=kinds),
                     authority.indegree(graph, kinds=kinds), tr.tiers(graph)[["followers", "tier"]]], axis=1)
    acc = acc.loc[:, ~acc.columns.duplicated()]
    if posts is not None or {"likes", "comments", "posts"} <= set(graph.accounts.columns):
        eng = tr.engagement(graph, posts, on_unknown="skip") if posts is not None else tr.engagement(graph)
        acc = acc.join(eng[[c for c in ("engagement_rate", "rated") if c in eng.columns]])
    membership = comm.communities(graph, method=method, resolution=resolution, seed=seed, kinds=kinds)
    acc["community"] = membership["community"]
    if creators is not None:
        chosen = list(pd.Index(graph.ids[graph.positions(creators)]))
    else:
        ranked = acc[acc["indegree"] > 0].sort_values("pagerank", ascending=False, kind="stable")
        chosen = list(ranked.index[:top])
    if brand:
        chosen += [b for b in graph.ids[graph.positions(brand)].tolist() if b not in set(chosen)]
    summary = comm.community_summary(graph, membership, authority=acc["pagerank"], kinds=kinds)
    labels = summary["niche_label"] if "niche_label" in summary else pd.Series(dtype=object)
    labels = labels.where(labels.astype(str).str.len() > 0, None) if len(labels) else labels
    acc["niche_label"] = labels.reindex(acc["community"].to_numpy()).to_numpy() if len(labels) else None
    metrics = acc.loc[chosen]
    overlap = ov.overlap_pairs(graph, chosen, allow_empty=True) if len(chosen) >= 2 else None
    return metrics, overlap


def select_creators(accounts: pd.DataFrame, graph: Graph, *, top: int = 500, creators: Iterable | None = None,
                    brand: Iterable | None = None) -> list[str]:
    """Temporary (replaced by the maps package): the creators a map draws."""
    if creators is not None:
        chosen = list(pd.Index(graph.ids[graph.positions(creators)]))
    else:
        ranked = accounts[accounts["indegree"] > 0].sort_values("pagerank", ascending=False, kind="stable")
        chosen = list(ranked.index[:top])
    if brand:
        chosen += [b for b in graph.ids[graph.positions(brand)].tolist() if b not in set(chosen)]
    return chosen
