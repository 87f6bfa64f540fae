"""Build the map gallery from the bundled real data, plus an index page.

    python visualizations/build_gallery.py [--out visualizations/gallery]

Data: the follower sets of 100 highly followed Twitter accounts (``twitter-follower-sets``, MIT,
derived from SNAP ego-Twitter), read from ``graphinflu/data/`` when the package bundles it, else
from ``../shared/data/twitter-follower-sets``. Each map is one self-contained HTML file (about
0.75 MB, most of it the inlined vis-network library); ``index.html`` links them.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from graphinflu._io import atomic_write  # noqa: E402
from graphinflu.loaders.formats import read_graph  # noqa: E402
from graphinflu.accounts import account_table  # noqa: E402
from graphinflu.analysis import analyze, map_view  # noqa: E402
from graphinflu.maps import build_map, select_creators, with_targets  # noqa: E402
from graphinflu.maps.report import build_report  # noqa: E402

SHOTS = HERE / "screenshots"

#: The bundled copy first (every clone has it), then the shared datasets folder.
CANDIDATES = (ROOT / "graphinflu" / "data" / "twitter_follower_sets.tsv.gz",
              ROOT.parent / "shared" / "data" / "twitter-follower-sets" / "follower_sets.tsv.gz")


def find_data() -> Path:
    for cand in CANDIDATES:
        if cand.is_file():
            return cand
    raise SystemExit("the follower sets were not found at " + " or ".join(map(str, CANDIDATES)))


def main() -> None:
    ap = argparse.ArgumentParser(description="Build the graphinflu map gallery from the bundled data.")
    ap.add_argument("--out", default=str(HERE / "gallery"), help="output folder (default: visualizations/gallery)")
    ap.add_argument("--screenshots", action="store_true",
                    help="also photograph the campaign map and report in headless Chromium into visualizations/screenshots/")
    opts = ap.parse_args()
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    src = find_data()
    graph = read_graph(src)  # columns set, follower: the follower follows the set's account
    metrics, overlap = map_view(graph, account_table(graph).accounts, top=100)
    brand = list(metrics.index[:2])
    entries = []

    def add(file: str, title: str, what: str, **kw) -> None:
        res = build_map(graph, metrics, overlap, path=out / file, title=title, **kw)
        size = (out / file).stat().st_size / 1e6
        kind = f"{res.n_nodes} niches (aggregated), {len(res.niche_maps)} niche maps" if res.aggregated else \
            f"{res.n_nodes} creators, {res.n_edges} links"
        entries.append((file, title, what, f"{kind}; {size:.2f} MB"))
        print(f"wrote {out / file}: {kind}")

    add("twitter-sets-jaccard.html", "100 Twitter audiences: shared followers (Jaccard \u2265 0.05)",
        "Every account of the data set; links where Jaccard similarity of follower sets is at least 0.05, "
        "up to 10 strongest per account. Niches are Leiden communities of the follow graph.")
    add("twitter-sets-overlap-coefficient.html", "Audience containment (overlap coefficient \u2265 0.5)",
        "Links where at least half of the smaller audience also follows the other account.",
        edge_metric="overlap_coefficient", min_overlap=0.5)
    add("twitter-sets-brand.html", f"A brand's position: {brand[0]} and {brand[1]} highlighted",
        "The two accounts of highest PageRank play the brand (thick dark ring); click one to see its "
        "closest audiences in the side panel.", brand=brand)
    add("twitter-sets-niches.html", "Niche overview (aggregated above 40 creators)",
        "The same 100 accounts shown as one node per niche; double-click a niche (or use the side panel) "
        "to open its own map.", aggregate_above=40)
    # the campaign: what `graphinflu analyze` writes, the map sized and named by the targets score
    result = analyze(graph)
    drawn = select_creators(result.accounts, graph, creators=result.creators)
    build_map(graph, with_targets(result.accounts.loc[drawn], result.targets), result.overlap_pairs,
              path=out / "twitter-sets-campaign-map.html", title="graphinflu: top targets")
    build_report(result, out / "twitter-sets-campaign-report.html", map_href="twitter-sets-campaign-map.html",
                 inputs={"follows": str(src)})
    entries.append(("twitter-sets-campaign-report.html", "Campaign report (what analyze writes as report.html)",
                    "Targets with why, reach curve, overlap matrix and UpSet view of the shortlist, engagement by tier "
                    "against benchmarks, niches and the map.", "report"))
    entries.append(("twitter-sets-campaign-map.html", "Campaign map (what analyze writes as map.html)",
                    "The targets sized by score, niche names and the best creators named on the map.", "map"))
    if opts.screenshots:
        shoot(out)
    rows = "\n".join(
        f'<li><a href="{html.escape(f, quote=True)}">{html.escape(t)}</a><br>{html.escape(w)}'
        f' <span class="meta">({html.escape(meta)})</span></li>' for f, t, w, meta in entries)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>graphinflu map gallery</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:2em auto;padding:0 1em;color:#222}}
li{{margin:.8em 0}} .meta{{color:#666}}</style></head>
<body><h1>graphinflu map gallery</h1>
<p>Built by <code>python visualizations/build_gallery.py</code> from {html.escape(src.name)}: the follower sets of
100 highly followed Twitter accounts (28,459 anonymised followers; hierarchicalSets, MIT, from SNAP ego-Twitter).
Every map is a single HTML file that works offline.</p>
<ul>
{rows}
</ul></body></html>
"""
    with atomic_write(out / "index.html", "w") as fh:
        fh.write(page)
    (out / "index.html").chmod(0o644)
    print(f"wrote {out / 'index.html'}")


def shoot(out: Path) -> None:
    """PNG screenshots (modest size) of the campaign map, a creator's details and the report's top."""
    from graphinflu._lazy import optional_import

    sync_playwright = optional_import("playwright.sync_api", what="playwright (drives Chromium)").sync_playwright
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto((out / "twitter-sets-campaign-map.html").resolve().as_uri())
        page.wait_for_selector("body[data-drawn]", state="attached")
        page.wait_for_timeout(300)
        page.screenshot(path=SHOTS / "map.png")
        page.goto((out / "twitter-sets-campaign-report.html").resolve().as_uri())
        page.wait_for_selector("body[data-drawn]", state="attached")  # every Vega chart drawn
        page.screenshot(path=SHOTS / "report.png")
        browser.close()
    print(f"wrote {SHOTS / 'map.png'} and {SHOTS / 'report.png'}")


if __name__ == "__main__":
    main()
