"""Benchmark: build and open creator maps of 1k, 5k and 20k creators in headless Chromium.

Run: ``python bench/bench_maps.py [--sizes 1000,5000,20000] [--out bench/out/maps]`` with the project's
Python (it imports graphinflu from this checkout; nothing is needed on ``PATH``).

For each size it generates a planted-niche creator set (heavy-tailed authority, ~8 overlap partners
per creator, mostly inside the niche, ~2 follows per creator), builds the map with the library
defaults (vis-network up to 2,000 creators, WebGL / sigma.js above, aggregated above 50,000) and,
for comparison, as one unaggregated map with each renderer (``--renderers``), and reports:

* ``build_s``: time of :func:`graphinflu.maps.build_map` (layout + HTML), median of ``--repeat`` runs;
* ``mb``: size of the main HTML file (and the largest per-niche file when aggregated);
* ``drawn_s``: time from navigation start until the renderer's first draw call returned
  (``performance.now()`` in the page), median over ``--repeat`` fresh pages; ``painted_s``: until
  two animation frames later, when that picture is on screen;
* ``responsive_ms``: after drawing, how long the page takes to answer a trivial script (a frozen
  page would not answer);
* ``click_ms``, ``search_ms``, ``niche_toggle_ms``, ``filter_ms``: with real input events (mouse
  press on a creator, typing a handle + Enter, a click on a niche's box, typing 5 into the
  engagement filter), the time until the page has painted the answer (two animation frames);
* for aggregated maps, the same for the largest per-niche map.

Targets (issues 4 and 11): up to 20,000 creators and 100,000 links drawn in < 3 s, every click,
search and filter answered in < 300 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphinflu._lazy import optional_import  # noqa: E402
from graphinflu.graph import Graph  # noqa: E402
from graphinflu.maps import build_map  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def synthetic(n: int, seed: int = 0, per_niche: int = 250, partners: int = 8, follows: int = 2):
    rng = np.random.default_rng(seed)
    ids = np.array([f"{100000000000 + i}" for i in range(n)])
    k = max(1, n // per_niche)
    comm = np.sort(rng.integers(0, k, n))
    pr = rng.pareto(1.5, n) + 1.0
    tiers = rng.choice(["nano", "micro", "mid", "macro", "mega"], n, p=[.35, .4, .15, .07, .03])
    metrics = pd.DataFrame({
        "handle": [f"creator_{i}" for i in range(n)],
        "community": comm, "niche_label": [f"niche {c}" for c in comm],
        "pagerank": pr / pr.sum(), "tier": tiers,
        "followers": (rng.pareto(1.2, n) * 5000 + 1000).astype(np.int64),
        "engagement_rate": rng.beta(2, 40, n),
    }, index=pd.Index(ids, name="id"))
    # overlap partners: 80 % inside the niche (neighbouring rows share a niche: rows are sorted by it)
    a = np.repeat(np.arange(n), partners)
    inside = rng.random(len(a)) < 0.8
    b = np.where(inside, np.clip(a + rng.integers(-per_niche // 2, per_niche // 2, len(a)), 0, n - 1),
                 rng.integers(0, n, len(a)))
    keep = a != b
    a, b = a[keep], b[keep]
    jac = np.where(comm[a] == comm[b], rng.beta(2, 8, len(a)), rng.beta(1, 30, len(a)))
    overlap = pd.DataFrame({"creator_a": ids[a], "creator_b": ids[b], "shared": (jac * 2000).astype(int) + 1,
                            "jaccard": jac, "overlap_coefficient": np.minimum(1, jac * 1.8)})
    fa = rng.integers(0, n, n * follows)
    fb = np.clip(fa + rng.integers(-per_niche, per_niche, len(fa)), 0, n - 1)
    graph = Graph.from_pandas(pd.DataFrame({"source": ids[fa], "target": ids[fb]}), accounts=metrics[["handle"]])
    return graph, metrics, overlap


def open_page(browser, path: Path) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-drawn]", state="attached", timeout=120_000)  # the page's CSP forbids eval
    drawn = page.evaluate("graphinflu.drawnAt") / 1000.0
    # painted: two animation frames after the first draw, i.e. when the picture is on screen (a
    # WebGL draw call returns before the GPU, here software GL, has drawn anything)
    painted = page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))") / 1000.0
    t0 = time.perf_counter()
    page.evaluate("1 + 1")
    responsive = (time.perf_counter() - t0) * 1000.0
    counts = page.evaluate("[graphinflu.data.nodes.length, graphinflu.data.edges.from.length, graphinflu.renderer]")
    lat = interactions(page) if page.evaluate("graphinflu.data.mode") == "creators" else {}
    page.close()
    return {"drawn_s": drawn, "painted_s": painted, "responsive_ms": responsive, "nodes": counts[0],
            "edges": counts[1], "renderer": counts[2], **lat,
            "errors": errors, "external_requests": [u for u in requests if not u.startswith(("file:", "data:"))]}


def _settled(page) -> None:
    """Wait until the page has painted what the last input caused (two animation frames)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def interactions(page) -> dict:
    """Latency (ms) of what a person does, with real input events: click a creator (highlight + panel),
    search a handle (type + Enter), untick and tick a niche, type an engagement filter."""
    out = {}
    # the creator drawn largest, zoomed in on with the wheel until it is a target a hand can hit (at
    # 20,000 creators every creator is a pixel or two wide on the first view)
    node = page.evaluate("graphinflu.data.nodes.reduce((b, n) => n.size > b.size ? n : b).id")
    for _ in range(12):
        if page.evaluate("(id) => graphinflu.nodeRadius(id)", node) >= 8:
            break
        page.mouse.move(*page.evaluate("(id) => graphinflu.nodeXY(id)", node))
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(250)
        _settled(page)
    page.wait_for_timeout(300)
    xy = page.evaluate("(id) => graphinflu.nodeXY(id)", node)
    page.mouse.move(xy[0] - 20, xy[1] - 20)
    page.mouse.move(*xy, steps=4)  # the pointer arrives first (hover and tooltip are not the click's cost)
    _settled(page)
    t0 = time.perf_counter()
    page.mouse.down()
    page.mouse.up()
    page.wait_for_selector("#gi-panel-hint", state="hidden")
    _settled(page)
    out["click_ms"] = (time.perf_counter() - t0) * 1000
    page.keyboard.press("Escape")
    handle = page.evaluate("graphinflu.data.attrs.handle[graphinflu.data.nodes.length - 1]")
    page.click("#gi-search")
    page.keyboard.type(handle)
    t0 = time.perf_counter()
    page.keyboard.press("Enter")
    page.wait_for_selector("#gi-panel-title >> text=" + json.dumps(handle))
    _settled(page)
    out["search_ms"] = (time.perf_counter() - t0) * 1000
    box = page.locator("#gi-niches input").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    _settled(page)
    t0 = time.perf_counter()
    page.mouse.down()
    page.mouse.up()
    _settled(page)
    out["niche_toggle_ms"] = (time.perf_counter() - t0) * 1000
    page.click("#gi-niches input >> nth=0")
    _settled(page)
    page.click("#gi-min-eng")
    t0 = time.perf_counter()
    page.keyboard.type("5")
    _settled(page)
    out["filter_ms"] = (time.perf_counter() - t0) * 1000
    return out


LATENCIES = ("click_ms", "search_ms", "niche_toggle_ms", "filter_ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=None, help="folder for the maps (default: a temporary folder)")
    ap.add_argument("--renderers", default="default,vis,webgl",
                    help="default = the library's choice (vis-network up to 2,000 creators, WebGL above, aggregated "
                         "above 50,000); vis / webgl = that renderer on one unaggregated map, for comparison")
    ap.add_argument("--aggregate-above", type=int, default=None,
                    help="aggregate maps of more creators than this (default: the library's 50,000)")
    opts = ap.parse_args()
    sync_playwright = optional_import("playwright.sync_api", what="playwright (drives Chromium)").sync_playwright

    out = Path(opts.out) if opts.out else Path(tempfile.mkdtemp(prefix="bench-maps-"))
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in [int(s) for s in opts.sizes.split(",")]:
            graph, metrics, overlap = synthetic(n)
            for renderer in opts.renderers.split(","):
                choice = {"default": {}, "vis": {"webgl_above": None, "aggregate_above": None},
                          "webgl": {"webgl_above": 0, "aggregate_above": None}}[renderer]
                if renderer == "default" and opts.aggregate_above:
                    choice = {"aggregate_above": opts.aggregate_above}
                if renderer != "default" and "default" in opts.renderers and rows and rows[-1]["creators"] == n \
                        and rows[-1]["renderer"] == {"vis": "vis-network"}.get(renderer, renderer) \
                        and not rows[-1]["aggregated"]:
                    continue  # the library's choice was this renderer: measured already
                path = out / f"map-{n}-{renderer}.html"
                builds = []
                for _ in range(opts.repeat):
                    t0 = time.perf_counter()
                    res = build_map(graph, metrics, overlap, path=path, title=f"bench {n}", **choice)
                    builds.append(time.perf_counter() - t0)
                opened = [open_page(browser, path) for _ in range(opts.repeat)]
                row = {"creators": n, "asked": renderer, "renderer": opened[0]["renderer"], "aggregated": res.aggregated,
                       "nodes": opened[0]["nodes"], "edges": opened[0]["edges"],
                       "mb": path.stat().st_size / 1e6, "build_s": statistics.median(builds),
                       "drawn_s": statistics.median(o["drawn_s"] for o in opened),
                       "painted_s": statistics.median(o["painted_s"] for o in opened),
                       "responsive_ms": max(o["responsive_ms"] for o in opened),
                       **{k: statistics.median(o[k] for o in opened) for k in LATENCIES if k in opened[0]},
                       "errors": sum(len(o["errors"]) for o in opened),
                       "external_requests": sum(len(o["external_requests"]) for o in opened)}
                if res.aggregated:
                    biggest = max(res.niche_maps, key=lambda q: q.stat().st_size)
                    sub = [open_page(browser, biggest) for _ in range(opts.repeat)]
                    row.update({"niche_maps": len(res.niche_maps), "largest_niche_mb": biggest.stat().st_size / 1e6,
                                "largest_niche_nodes": sub[0]["nodes"], "largest_niche_edges": sub[0]["edges"],
                                "largest_niche_painted_s": statistics.median(o["painted_s"] for o in sub),
                                **{f"largest_niche_{k}": statistics.median(o[k] for o in sub) for k in LATENCIES},
                                "total_mb": sum(q.stat().st_size for q in res.niche_maps + [path]) / 1e6})
                rows.append(row)
                print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()), flush=True)
        browser.close()
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"maps in {out}")


if __name__ == "__main__":
    main()
