"""Maps opened in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

import pytest

from graphinflu._lazy import optional_import
from graphinflu.maps import build_map, map_tables, select_creators
from test_maps import XSS_HANDLES, XSS_LABEL, analyzed, xss_zoo, zoo  # noqa: F401  (analyzed: a fixture)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# installed before any page script: counts every way an injected payload could run
HOOKS = """
window.__xss = [];
window.alert = function (m) { window.__xss.push('alert:' + m); };
window.confirm = window.prompt = window.alert;
"""


@pytest.fixture(scope="module")
def browser():
    sync_api = optional_import("playwright.sync_api")  # a test dependency: its absence must fail, not skip

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Opened:
    def __init__(self, page, url):
        self.page, self.url = page, url
        self.errors, self.requests, self.dialogs = [], [], []

    def eval(self, js, arg=None):
        return self.page.evaluate(js, arg)


@pytest.fixture
def open_page(browser):
    """Open a generated page in a fresh tab that records console errors, requests and dialogs."""
    pages = []

    def _open(path: Path) -> Opened:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        o = Opened(page, path.resolve().as_uri())
        page.on("console", lambda m: o.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: o.errors.append(str(e)))
        page.on("request", lambda r: o.requests.append(r.url))
        page.on("dialog", lambda d: (o.dialogs.append(d.message), d.dismiss()))
        page.add_init_script(HOOKS)
        page.goto(o.url)
        pages.append(page)
        return o

    yield _open
    for p in pages:
        p.close()


@pytest.fixture
def open_map(open_page):
    def _open(path: Path) -> Opened:
        o = open_page(path)
        o.page.wait_for_selector("body[data-drawn]", state="attached", timeout=30_000)  # no eval: the CSP forbids it
        return o

    return _open


def drawn_zoo(folder: Path, g, m, ov):
    """The zoo's map with c4 as the brand, and the tables it draws."""
    path = folder / "zoo.html"
    build_map(g, m, ov, path=path, brand=["c4"])
    nodes, links = map_tables(g, m, ov, brand=["c4"])
    return path, nodes, links


@pytest.fixture(scope="module")
def zoo_map(tmp_path_factory):
    return drawn_zoo(tmp_path_factory.mktemp("maps"), *zoo())


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    """Where screenshots are kept: $GRAPHINFLU_ARTIFACTS/maps when set (CI keeps it), else a temp folder."""
    root = os.environ.get("GRAPHINFLU_ARTIFACTS")
    out = Path(root) / "maps" if root else tmp_path_factory.mktemp("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def only_local(o: Opened) -> list[str]:
    return [u for u in o.requests if u != o.url and not u.startswith("data:")]


def type_into(o: Opened, selector: str, text: str) -> None:
    """Click the field with the mouse, select what is in it and type ``text`` key by key."""
    o.page.click(selector)
    o.page.keyboard.press("Control+A")
    o.page.keyboard.press("Backspace")
    if text:
        o.page.keyboard.type(text)


def search_for(o: Opened, text: str) -> None:
    type_into(o, "#gi-search", text)
    o.page.keyboard.press("Enter")


def node_xy(o: Opened, node: str) -> tuple[float, float]:
    """Where a node is drawn on the page (window pixels), with either renderer."""
    return tuple(o.eval("(id) => graphinflu.nodeXY(id)", node))


def hover(o: Opened, node: str) -> tuple[float, float]:
    """Move the real mouse onto ``node`` (in steps, as a hand would) and wait for its tooltip."""
    x, y = node_xy(o, node)
    o.page.mouse.move(x - 40, y - 40)
    o.page.mouse.move(x, y, steps=8)
    o.page.wait_for_selector("#gi-tooltip:not([hidden])", timeout=3000)
    return x, y


def test_opens_without_errors_or_requests(open_map, zoo_map):
    path, nodes, links = zoo_map
    o = open_map(path)
    assert o.errors == []
    assert o.requests[0] == o.url and only_local(o) == []
    assert o.eval("document.getElementById('gi-status').textContent").startswith("showing 8 of 8 creators")


def test_counts_equal_input(open_map, zoo_map):
    path, nodes, links = zoo_map
    o = open_map(path)
    n, e = o.eval("[graphinflu.nodes.length, graphinflu.edges.length]")
    assert (n, e) == (len(nodes), len(links)) == (8, 9)
    assert sorted(o.eval("graphinflu.nodes.getIds()")) == sorted(nodes.index)
    pairs = o.eval("graphinflu.edges.get().map(e => [e.from, e.to, !!e.arrows])")
    want = sorted([a, b, k != "overlap"] for a, b, k in zip(links["source"], links["target"], links["kind"]))
    assert sorted(pairs) == want
    # vis itself holds them (not only the DataSet)
    assert o.eval("Object.keys(graphinflu.network.body.nodes).length") == 8
    assert o.eval("graphinflu.network.body.edgeIndices.length") == 9


def test_canvas_is_drawn(open_map, zoo_map):
    path, _, _ = zoo_map
    o = open_map(path)
    painted, total, colours = o.eval("""() => {
        const c = document.querySelector('#gi-network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; const seen = new Set();
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) { n++; seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); }
        return [n, c.width * c.height, seen.size];
    }""")
    assert total > 100_000 and painted > 2_000 and colours > 10, (painted, total, colours)
    # the niche colours are on the canvas
    assert o.eval("""() => {
        const c = document.querySelector('#gi-network canvas'), x = c.getContext('2d');
        const d = x.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) if (d[i] === 0x00 && d[i + 1] === 0x77 && d[i + 2] === 0xbb) return true;
        return false; }""")


def test_search_finds_handle(open_map, zoo_map):
    path, _, _ = zoo_map
    o = open_map(path)
    search_for(o, "creator5")
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c5"]
    assert o.page.text_content("#gi-panel-title") == "creator5"
    assert "food" in o.page.text_content("#gi-figures")
    assert o.page.locator("#gi-matches").is_hidden()  # an exact handle closes the list
    # partial search lists matches; clicking one with the mouse selects it and closes the list
    search_for(o, "CREATOR")
    assert o.page.locator("#gi-matches button").count() == 8
    o.page.locator("#gi-matches button", has_text="creator3").click()
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c3"]
    assert o.page.locator("#gi-matches").is_hidden()
    search_for(o, "zzz")
    assert o.page.text_content("#gi-matches") == "no creator matches"
    o.page.keyboard.press("Escape")
    assert o.page.locator("#gi-matches").is_hidden()


def test_search_exact_handle_wins_over_many_substring_hits(open_map, tmp_path, artifacts):
    """60 handles contain "ab"; the account whose handle is exactly "@AB" comes last in the table."""
    n = 61
    m = pd.DataFrame({"handle": [f"ab{i}" for i in range(n - 1)] + ["AB"], "community": [0] * n,
                      "pagerank": np.linspace(1, 2, n)}, index=[f"x{i}" for i in range(n)])
    build_map(None, m, None, path=tmp_path / "ab.html")
    o = open_map(tmp_path / "ab.html")
    search_for(o, "@ab")
    assert o.eval("graphinflu.network.getSelectedNodes()") == [f"x{n - 1}"]
    assert o.page.text_content("#gi-panel-title") == "AB"
    assert o.page.locator("#gi-matches").is_hidden()
    search_for(o, "b1")  # no handle is exactly "b1": the list stays open
    assert o.page.locator("#gi-matches").is_visible()
    assert o.page.locator("#gi-matches button").count() == 11  # ab1, ab10..ab19
    o.page.mouse.click(*node_xy(o, "x0"))  # a click elsewhere closes the list
    assert o.page.locator("#gi-matches").is_hidden()
    o.page.screenshot(path=artifacts / "search-exact.png")
    assert o.errors == [] and only_local(o) == []


def hidden_ids(o: Opened) -> set:
    return set(o.eval("Object.values(graphinflu.network.body.nodes).filter(n => n.options.hidden).map(n => n.id)"))


def shown_links(nodes: pd.DataFrame, links: pd.DataFrame, hidden: set) -> int:
    return int((~links["source"].isin(hidden) & ~links["target"].isin(hidden)).sum())


def in_view(o: Opened) -> tuple[int, int, float]:
    """(shown nodes drawn inside the canvas, shown nodes, share of the canvas width or height they span
    with their radius: a view fitted to them spans most of one of the two)."""
    return tuple(o.eval("""() => { const n = graphinflu.network, ids = graphinflu.visibleNodeIds();
        const c = document.querySelector('#gi-network canvas'), w = c.clientWidth, h = c.clientHeight;
        const pos = n.getPositions(ids); let inside = 0, x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
        for (const id of ids) { const d = n.canvasToDOM(pos[id]), r = n.body.nodes[id].options.size * n.getScale();
            if (d.x - r >= 0 && d.x + r <= w && d.y - r >= 0 && d.y + r <= h) inside++;
            x0 = Math.min(x0, d.x - r); x1 = Math.max(x1, d.x + r); y0 = Math.min(y0, d.y - r); y1 = Math.max(y1, d.y + r); }
        const span = Math.max((x1 - x0) / w, (y1 - y0) / h);
        return [inside, ids.length, n.getScale() >= 1.499 ? 1 : span]; }"""))  # 1.5: the closest a fit zooms


def test_niche_filter_hides_its_creators(open_map, zoo_map):
    path, nodes, links = zoo_map
    o = open_map(path)
    o.page.click("#gi-niches input[data-niche='1']")  # the mouse unticks "food"
    hidden = hidden_ids(o)
    assert hidden == set(nodes.index[nodes["niche"] == 1])
    assert o.eval("graphinflu.network.body.edgeIndices.length") == 5  # c0-c1, c0-c2, c1-c2, c1→c0, c2→c0
    assert o.page.text_content("#gi-status").startswith(f"showing 4 of 8 creators, {shown_links(nodes, links, hidden)} of 9 links")
    inside, shown, span = in_view(o)
    assert inside == shown == 4 and span > 0.5  # the view refits to what is left
    o.page.click("#gi-niches input[data-niche='1']")
    assert hidden_ids(o) == set()
    assert o.page.text_content("#gi-status").startswith("showing 8 of 8 creators, 9 of 9 links")


def scored_zoo():
    """The zoo with what analyze adds: targets score, rank, why, brand affinity and lift."""
    g, m, ov = zoo()
    m = m.copy()
    m["score"] = [.9, .5, .7, np.nan, .8, .6, .3, np.nan]
    m["rank"] = [1, 5, 3, np.nan, 2, 4, 6, np.nan]
    m["why"] = [f"top {k}% authority in its niche" if k else None for k in (1, 20, 5, None, 2, 10, 40, None)]
    m["affinity"] = [.41, .10, .25, .05, .60, np.nan, .33, .02]
    m["affinity_lift"] = [4.3, 1.0, 2.5, .5, 6.0, np.nan, 3.3, .2]
    return g, m, ov


@pytest.fixture(scope="module")
def scored_map(tmp_path_factory):
    g, m, ov = scored_zoo()
    return (*drawn_zoo(tmp_path_factory.mktemp("scored"), g, m, ov), m)


@pytest.fixture(scope="module", params=["vis", "webgl"])
def scored_any(request, tmp_path_factory):
    """The scored zoo drawn by vis-network and by WebGL (sigma.js)."""
    g, m, ov = scored_zoo()
    path = tmp_path_factory.mktemp(request.param) / f"zoo-{request.param}.html"
    build_map(g, m, ov, path=path, brand=["c4"], webgl_above=0 if request.param == "webgl" else None)
    return path, request.param


def test_tooltip_follows_the_real_pointer(open_map, scored_any, artifacts):
    """vis-network's hover event has no position: the tooltip used to sit at the top-left corner
    over the title, search and legend. With a real mouse it must sit next to the pointer, with
    either renderer."""
    path, renderer = scored_any
    o = open_map(path)
    assert o.eval("graphinflu.renderer") == {"vis": "vis-network"}.get(renderer, renderer)
    for node, handle in (("c0", "creator0"), ("c4", "creator4")):
        x, y = hover(o, node)
        box = o.page.locator("#gi-tooltip").bounding_box()
        assert o.page.text_content("#gi-tooltip").startswith(handle + "\n")
        assert abs(box["x"] - x) < 40 or abs(box["x"] + box["width"] - x) < 40, (box, x, y)
        assert abs(box["y"] - y) < 40 or abs(box["y"] + box["height"] - y) < 40, (box, x, y)
        for other in ("#gi-top", "#gi-left"):
            ob = o.page.locator(other).bounding_box()
            assert box["y"] >= ob["y"] + ob["height"] or box["x"] >= ob["x"] + ob["width"], other
        o.page.screenshot(path=artifacts / f"tooltip-{renderer}-{node}.png")
    assert "targets score: 0.80" in o.page.text_content("#gi-tooltip")
    # off the nodes the tooltip goes away
    r = o.page.locator("#gi-network").bounding_box()
    o.page.mouse.move(r["x"] + 5, r["y"] + r["height"] - 5, steps=8)
    o.page.wait_for_selector("#gi-tooltip", state="hidden", timeout=3000)
    assert o.errors == []


def test_details_panel_shows_score_why_affinity_engagement_and_tier(open_map, scored_map, artifacts):
    path, _, _, m = scored_map
    o = open_map(path)
    o.page.mouse.click(*node_xy(o, "c0"))
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c0"]
    rows = dict(zip(o.page.locator("#gi-figures th").all_text_contents(),
                    o.page.locator("#gi-figures td").all_text_contents()))
    # c0 has the best score of the 6 scored creators: top 1%
    assert rows["targets score"] == "0.90 (top 1% of the targets on this map)"
    assert rows["target rank"] == "1"
    assert rows["why"] == "top 1% authority in its niche"
    assert rows["brand affinity"] == "41% of its audience is in the brand's audience (lift 4.3\u00d7)"
    assert rows["engagement rate"] == "5.00 %" and rows["tier"] == "micro" and rows["niche"] == "fitness"
    assert rows["authority"] == "top 1% by PageRank on this map"  # PageRank .30 is the largest of 8
    o.page.screenshot(path=artifacts / "details.png")
    # a creator outside the targets has no score rows, not a dash
    o.page.mouse.click(*node_xy(o, "c7"))
    heads = o.page.locator("#gi-figures th").all_text_contents()
    assert "targets score" not in heads and "why" not in heads and "tier" in heads


def test_filters_in_a_strategists_units(open_map, scored_map, artifacts):
    path, nodes, links, m = scored_map
    o = open_map(path)

    def check(want_hidden: set):
        assert hidden_ids(o) == want_hidden
        shown = 8 - len(want_hidden)
        status = o.page.text_content("#gi-status")
        assert status.startswith(f"showing {shown} of 8 creators, {shown_links(nodes, links, want_hidden)} of 9 links"), status
        inside, n_shown, span = in_view(o)
        assert inside == n_shown == shown and span > 0.5

    # engagement in percent: typing 4 keeps rates of at least 4 %
    type_into(o, "#gi-min-eng", "4")
    check(set(m.index[~(m["engagement_rate"] >= 0.04)]))
    type_into(o, "#gi-min-eng", "")
    # authority as a percentile of PageRank on the map: 75 keeps the top quarter
    type_into(o, "#gi-min-auth", "75")
    pct = m["pagerank"].rank(pct=True, method="max") * 100
    check(set(m.index[pct < 75]))
    type_into(o, "#gi-min-auth", "")
    # targets score as a percentile among scored creators; unscored creators drop out
    type_into(o, "#gi-min-score", "50")
    spct = m["score"].rank(pct=True, method="max") * 100
    check(set(m.index[~(spct >= 50)]))
    type_into(o, "#gi-min-score", "")
    # brand affinity in percent of the audience
    type_into(o, "#gi-min-aff", "30")
    check(set(m.index[~(m["affinity"] >= 0.30)]))
    o.page.screenshot(path=artifacts / "filter-affinity.png")
    type_into(o, "#gi-min-aff", "")
    # tier, by clicking its box
    key = o.eval("graphinflu.data.tiers.find(t => t.name === 'micro').key")
    o.page.click(f"#gi-tiers input[data-tier='{key}']")
    check(set(nodes.index[nodes["tier"] == "micro"]))
    o.page.click("#gi-reset")
    check(set())
    # a hidden creator is still found by search but reported as hidden, not selected
    type_into(o, "#gi-min-eng", "4")
    search_for(o, "creator7")
    assert "hidden by a filter" in o.page.text_content("#gi-matches")
    assert o.eval("graphinflu.network.getSelectedNodes()") == []
    assert o.errors == []


def test_empty_result_says_so_and_resets(open_map, scored_map, artifacts):
    path, _, _, _ = scored_map
    o = open_map(path)
    assert o.page.locator("#gi-empty").is_hidden()
    type_into(o, "#gi-min-eng", "50")
    assert o.page.locator("#gi-empty").is_visible()
    assert "No creator passes these filters" in o.page.text_content("#gi-empty")
    assert o.page.text_content("#gi-status").startswith("showing 0 of 8 creators, 0 of 9 links")
    o.page.screenshot(path=artifacts / "empty.png")
    o.page.click("#gi-empty-reset")
    assert o.page.locator("#gi-empty").is_hidden() and hidden_ids(o) == set()
    assert o.page.input_value("#gi-min-eng") == ""


def test_disabled_controls_say_why(open_map, zoo_map):
    path, _, _ = zoo_map  # no score and no affinity in this table
    o = open_map(path)
    for field, words in (("gi-min-score", "No targets score"), ("gi-min-aff", "No brand affinity")):
        assert o.page.locator(f"#{field}").is_disabled()
        assert o.page.locator(f"#{field}-why").is_visible()
        assert words in o.page.text_content(f"#{field}-why")
        assert words in o.page.get_attribute(f"#{field}", "title")
    assert o.page.locator("#gi-min-eng").is_enabled() and o.page.locator("#gi-min-eng-why").is_hidden()


def test_first_view_shows_every_node(open_map, scored_map):
    path, _, _, _ = scored_map
    o = open_map(path)
    inside, shown, span = in_view(o)
    assert inside == shown == 8 and span > 0.5


def pixel(o: Opened, x: float, y: float) -> tuple:
    """The colour drawn on the map's canvas at window point (x, y)."""
    settle(o)
    return tuple(o.eval("""([x, y]) => { const c = document.querySelector('#gi-network canvas'), r = c.getBoundingClientRect();
        const s = c.width / r.width, d = c.getContext('2d').getImageData((x - r.left) * s, (y - r.top) * s, 1, 1).data;
        return [d[0], d[1], d[2]]; }""", [x, y]))


def test_click_highlights_neighbourhood_and_fills_panel(open_map, zoo_map, artifacts):
    path, _, _ = zoo_map
    o = open_map(path)
    before = {k: pixel(o, *node_xy(o, k)) for k in ("c1", "c2", "c4", "c5")}
    o.page.mouse.click(*node_xy(o, "c0"))
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c0"]
    assert o.page.text_content("#gi-panel-title") == "creator0"
    assert set(o.eval("graphinflu.focus().nodes")) == {"c0", "c1", "c2"}
    o.page.mouse.move(5, 500)  # off the canvas: no hover colour
    o.page.wait_for_timeout(100)
    # on screen: c0's neighbours c1, c2 keep their colour, the others are paled
    assert pixel(o, *node_xy(o, "c1")) == before["c1"] and pixel(o, *node_xy(o, "c2")) == before["c2"]
    for k in ("c4", "c5"):
        now = pixel(o, *node_xy(o, k))
        assert sum(now) > sum(before[k]) + 150, (k, now, before[k])
    o.page.screenshot(path=artifacts / "highlight.png")
    overlaps = o.page.locator("#gi-extra li").all_text_contents()
    assert overlaps[0].startswith("creator1 0.5") and overlaps[1].startswith("creator2 0.3")
    o.page.locator("#gi-extra button", has_text="creator1").click()
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c1"]
    # a click on the empty canvas clears the selection and the veil
    r = o.page.locator("#gi-network").bounding_box()
    o.page.mouse.click(r["x"] + 8, r["y"] + r["height"] - 8)
    assert o.eval("graphinflu.focus()") is None and o.page.text_content("#gi-panel-title") == "Details"
    assert pixel(o, *node_xy(o, "c4")) == before["c4"]


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-only"])
def test_xss_payloads_show_as_text_and_never_run(open_map, tmp_path, csp):
    g, m, ov = xss_zoo()
    path = tmp_path / "xss.html"
    build_map(g, m, ov, path=path, title=XSS_HANDLES[1])
    if not csp:  # prove that escaping alone is enough, without the Content-Security-Policy
        text = path.read_text("utf-8")
        text, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
        assert n == 1
        path.write_text(text, "utf-8")
    o = open_map(path)
    for handle in XSS_HANDLES:
        search_for(o, handle)
        assert o.page.text_content("#gi-panel-title") == handle
        o.page.mouse.move(10, 10)
    legend = o.page.text_content("#gi-niches")
    assert XSS_LABEL.replace("\u2028", "<U+2028>") in legend  # the line separator shown as an escape
    assert o.page.text_content("#gi-title") == XSS_HANDLES[1] == o.page.title()
    # hover tooltip is plain text too (a real pointer over the node)
    o.page.keyboard.press("Escape")
    hover(o, "c0")
    assert o.page.text_content("#gi-tooltip").startswith(XSS_HANDLES[0])
    o.page.wait_for_timeout(200)
    assert o.eval("window.__xss") == [] and o.dialogs == []
    assert o.eval("document.querySelectorAll('#gi-main img, #gi-main svg, #gi-main b, #gi-tooltip *').length") == 0
    assert only_local(o) == []  # an injected <img src=x> would have requested file:///.../x
    assert o.errors == []


def test_aggregated_map_links_to_niche_maps(open_map, tmp_path):
    g, m, ov = zoo()
    res = build_map(g, m, ov, path=tmp_path / "agg.html", aggregate_above=5)
    o = open_map(res.path)
    assert o.eval("[graphinflu.nodes.length, graphinflu.edges.length]") == [2, 1]
    assert o.errors == [] and only_local(o) == []
    # search reaches creators inside niches
    search_for(o, "creator6")
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["niche:1"]
    with o.page.expect_navigation():
        o.page.click("#gi-extra a")
    assert o.page.url.endswith("/agg.niche-001.html")
    o.page.wait_for_selector("body[data-drawn]", state="attached")
    assert o.eval("graphinflu.nodes.getIds()") == ["c4", "c5", "c6", "c7"]
    assert o.page.get_attribute("#gi-back", "href") == "agg.html"
    assert o.errors == []
    assert all(u.startswith("file://") for u in o.requests)


def test_analyze_map_legend_and_details_name_every_niche(open_map, analyzed, tmp_path):
    """The data behind analyze's table has no categories or hashtags: every niche is named by its
    leading authorities ("around …"), in the legend and in the details panel, never blank."""
    graph, result = analyzed
    drawn = select_creators(result.accounts, graph, top=40)
    build_map(graph, result.accounts, result.overlap_pairs, path=tmp_path / "a.html", creators=drawn)
    o = open_map(tmp_path / "a.html")
    label = result.accounts.loc[drawn, "niche_label"]
    assert label.str.startswith("around ").all()
    legend = o.page.locator("#gi-niches .gi-text").all_text_contents()
    assert sorted(legend) == sorted(label.unique())
    top = drawn[0]
    search_for(o, top)
    assert o.eval("graphinflu.network.getSelectedNodes()") == [top]
    rows = dict(zip(o.page.locator("#gi-figures th").all_text_contents(),
                    o.page.locator("#gi-figures td").all_text_contents()))
    assert rows["niche"] == label[top] and rows["authority"].startswith("top ") and "PageRank" in rows
    assert "HITS authority" in rows and "authority (pagerank)" not in rows
    assert o.errors == [] and only_local(o) == []


def test_analyze_map_panel_has_the_targets_score_and_why(open_map, tmp_path):
    """`graphinflu analyze -o DIR` draws the targets table's score and why on its map."""
    from click.testing import CliRunner
    from graphinflu.cli import cli

    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["demo", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    targets = pd.read_csv(out / "targets.csv", index_col="id")
    best = targets.index[0]
    o = open_map(out / "map.html")
    search_for(o, str(targets.loc[best, "handle"]))
    assert o.eval("graphinflu.network.getSelectedNodes()") == [best]
    rows = dict(zip(o.page.locator("#gi-figures th").all_text_contents(),
                    o.page.locator("#gi-figures td").all_text_contents()))
    assert rows["why"] == targets.loc[best, "why"]
    assert rows["targets score"].startswith(f"{targets.loc[best, 'score']:.2f} (top 1%")
    assert rows["target rank"] == "1"
    assert o.page.locator("#gi-min-score").is_enabled()
    assert o.errors == [] and only_local(o) == []


def settle(o: Opened) -> None:
    """Wait until the page has drawn what the last input asked for (the map redraws at the next frame)."""
    o.eval("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def visible_labels(o: Opened) -> list[dict]:
    settle(o)
    return o.eval("""() => Array.from(document.querySelectorAll('#gi-labels .gi-lab'))
        .filter(e => e.style.display !== 'none')
        .map(e => { const r = e.getBoundingClientRect();
                    return {text: e.textContent, id: e.getAttribute('data-id'), niche: e.classList.contains('gi-lab-niche'),
                            x: r.left, y: r.top, w: r.width, h: r.height}; })""")


def no_overlap(labels: list[dict]) -> bool:
    return not any(a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"]
                   and b["y"] < a["y"] + a["h"] for a, b in itertools.combinations(labels, 2))


@pytest.mark.parametrize("renderer", ["vis", "webgl"])
def test_map_names_niches_and_best_creators_without_overlap(open_map, tmp_path, artifacts, renderer):
    from test_maps import planted

    _, m, ov = planted(240, 4)
    build_map(None, m, ov, path=tmp_path / "p.html", webgl_above=0 if renderer == "webgl" else None)
    o = open_map(tmp_path / "p.html")
    assert o.eval("graphinflu.renderer") == {"vis": "vis-network"}.get(renderer, renderer)
    labels = visible_labels(o)
    names = {x["text"] for x in labels if x["niche"]}
    assert names == set(m["niche_label"])
    best = m.sort_values("score", ascending=False).groupby("community").head(1)
    shown = {x["id"] for x in labels if not x["niche"]}
    assert set(best.index) <= shown, "the best creator of every niche is named"
    assert no_overlap(labels)
    canvas = o.page.locator("#gi-network").bounding_box()
    for lab in labels:  # every name inside the canvas, each creator's name next to its node
        assert canvas["x"] <= lab["x"] and lab["x"] + lab["w"] <= canvas["x"] + canvas["width"] + 1
        if not lab["niche"]:
            x, y = node_xy(o, lab["id"])
            assert abs(lab["x"] + lab["w"] / 2 - x) < lab["w"] / 2 + 40 and abs(lab["y"] + lab["h"] / 2 - y) < 50
    assert "targets score" in o.page.text_content("#gi-size-note")
    o.page.screenshot(path=artifacts / f"names-{renderer}.png")
    # zoom in with the wheel over the first niche: names are placed again, still apart, next to their creators
    x, y = node_xy(o, best.index[0])
    o.page.mouse.move(x, y)
    for _ in range(3):
        o.page.mouse.wheel(0, -300)
        o.page.wait_for_timeout(100)
    o.page.wait_for_timeout(300)
    zoomed = visible_labels(o)
    assert no_overlap(zoomed) and len([z for z in zoomed if not z["niche"]]) >= 1
    for lab in (z for z in zoomed if not z["niche"]):  # beside its node, whatever the zoom
        x, y = node_xy(o, lab["id"])
        r = o.eval("(id) => graphinflu.nodeRadius(id)", lab["id"])
        assert abs(lab["x"] + lab["w"] / 2 - x) < lab["w"] / 2 + r + 20 and abs(lab["y"] + lab["h"] / 2 - y) < lab["h"] + r + 20
    o.page.screenshot(path=artifacts / f"names-zoomed-{renderer}.png")
    # a niche switched off loses its name
    o.page.click("#gi-reset")
    o.page.click("#gi-niches input[data-niche='0']")
    names = {x["text"] for x in visible_labels(o) if x["niche"]}
    assert names == set(m["niche_label"]) - {m["niche_label"].iloc[0]}
    assert o.errors == [] and only_local(o) == []


def test_legend_names_are_whole_words_with_the_full_text_on_hover(open_map, tmp_path, artifacts):
    g, m, ov = zoo()
    m = m.copy()
    long = "fitness (94%); #fitness, #gym, #workout, #crossfit, #homeworkout, #yoga, #pilates"
    m.loc[m["community"] == 10, "niche_label"] = long
    build_map(g, m, ov, path=tmp_path / "long.html")
    o = open_map(tmp_path / "long.html")
    item = o.page.locator("#gi-niches li").first
    assert item.locator(".gi-text").text_content() == long  # the legend wraps, never cuts
    box = item.locator(".gi-text").bounding_box()
    assert box["height"] > 20  # on more than one line
    assert item.get_attribute("title").startswith(long)
    # the name on the canvas is cut at a word boundary, with an ellipsis
    canvas = [x["text"] for x in visible_labels(o) if x["niche"]]
    cut = [c for c in canvas if c.endswith("\u2026")]
    assert cut and all(long.startswith(c[:-1]) and long[len(c) - 1] in " ," for c in cut), canvas
    o.page.locator("#gi-niches li").first.hover()
    o.page.screenshot(path=artifacts / "legend-long.png")


def test_bidi_handle_cannot_spoof_its_name(open_map, tmp_path, artifacts):
    g, m, ov = zoo()
    m = m.copy()
    m.loc["c0", "handle"] = "abc\u202egnp.exe\u202c"
    build_map(g, m, ov, path=tmp_path / "bidi.html")
    o = open_map(tmp_path / "bidi.html")
    search_for(o, "abc")
    o.page.locator("#gi-matches button").first.click()
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c0"]
    assert o.page.locator("#gi-matches").is_hidden()
    shown = o.page.locator("#gi-panel-title").inner_text()
    assert shown == "abc<U+202E>gnp.exe<U+202C>"  # what is on screen, not the reversed "abcexe.png"
    o.page.keyboard.press("Escape")
    hover(o, "c0")
    assert o.page.locator("#gi-tooltip").inner_text().startswith("abc<U+202E>gnp.exe<U+202C>")
    o.page.screenshot(path=artifacts / "bidi.png")
    assert o.errors == []


def test_node_colours_on_the_canvas_match_the_legend(open_map, tmp_path):
    from test_maps import planted

    _, m, ov = planted(120, 12)
    build_map(None, m, ov, path=tmp_path / "c.html")
    o = open_map(tmp_path / "c.html")
    swatch = dict(zip(o.page.locator("#gi-niches input").evaluate_all("l => l.map(b => b.dataset.community)"),
                      o.page.locator("#gi-niches .gi-swatch").evaluate_all(
                          "l => l.map(s => getComputedStyle(s).backgroundColor)")))
    for k in (0, 5, 11):
        node = m.index[m["community"] == k][0]
        x, y = node_xy(o, node)
        # the pixel drawn at the node's centre (the pointer stays away: hovering lightens a node)
        px = o.eval("""([x, y]) => { const c = document.querySelector('#gi-network canvas'), r = c.getBoundingClientRect();
            const s = c.width / r.width, d = c.getContext('2d').getImageData((x - r.left) * s, (y - r.top) * s, 1, 1).data;
            return `rgb(${d[0]}, ${d[1]}, ${d[2]})`; }""", [x, y])
        assert px == swatch[str(k)], (k, px, swatch[str(k)])


def test_overview_click_a_niche_then_a_top_creator_opens_it_selected(open_map, tmp_path, artifacts):
    from test_maps import planted

    _, m, ov = planted(600, 8)
    res = build_map(None, m, ov, path=tmp_path / "o.html", aggregate_above=100)
    o = open_map(res.path)
    assert o.errors == [] and only_local(o) == []
    o.page.mouse.click(*node_xy(o, "niche:2"))
    assert o.page.text_content("#gi-panel-title") == m.loc[m["community"] == 2, "niche_label"].iloc[0]
    o.page.screenshot(path=artifacts / "overview.png")
    best = m[m["community"] == 2].sort_values("score", ascending=False)
    first = o.page.locator("#gi-extra li a").first
    assert first.text_content() == best["handle"].iloc[0]
    with o.page.expect_navigation():
        first.click()
    o.page.wait_for_selector("body[data-drawn]", state="attached")
    assert o.page.url.split("#")[0].endswith(res.niche_maps[2].name)
    assert o.eval("graphinflu.network.getSelectedNodes()") == [best.index[0]]
    assert o.page.text_content("#gi-panel-title") == best["handle"].iloc[0]
    o.page.screenshot(path=artifacts / "overview-opened.png")
    assert o.errors == [] and all(u.startswith("file://") for u in o.requests)


def test_top_creators_in_view_follow_the_filters_and_export_as_csv(open_map, tmp_path, artifacts):
    import io

    g, m, ov = scored_zoo()
    m = m.copy()
    m.loc["c2", "handle"] = "=HYPERLINK(\"x\")"  # a spreadsheet formula must arrive as text
    build_map(g, m, ov, path=tmp_path / "top.html")
    o = open_map(tmp_path / "top.html")
    by_score = m.sort_values("score", ascending=False, kind="stable")
    scored = by_score[by_score["score"].notna()]
    top = o.page.locator("#gi-top-creators li button").all_text_contents()
    assert top[:len(scored)] == scored["handle"].tolist()
    type_into(o, "#gi-min-eng", "4")
    settle(o)
    keep = scored[scored["engagement_rate"] >= 0.04]
    assert o.page.locator("#gi-top-creators li button").all_text_contents() == keep["handle"].tolist()
    o.page.locator("#gi-top-creators li button").first.click()
    assert o.eval("graphinflu.network.getSelectedNodes()") == [keep.index[0]]
    o.page.screenshot(path=artifacts / "top-in-view.png")
    with o.page.expect_download() as dl:
        o.page.click("#gi-export")
    text = Path(dl.value.path()).read_text("utf-8")
    csv = pd.read_csv(io.StringIO(text), dtype=str)
    shown = m[m["engagement_rate"] >= 0.04]
    want = shown.assign(s=shown["score"].fillna(-1)).sort_values("s", ascending=False, kind="stable")
    assert csv["id"].tolist() == want.index.tolist()
    assert "engagement rate (fraction)" in csv.columns and "why" in csv.columns
    assert csv.set_index("id").loc["c0", "engagement rate (fraction)"] == "0.05"
    assert o.errors == [] and only_local(o) == []
    # the formula handle (c2, engagement 2 %) is in the unfiltered export, as text
    type_into(o, "#gi-min-eng", "")
    with o.page.expect_download() as dl:
        o.page.click("#gi-export")
    full = pd.read_csv(io.StringIO(Path(dl.value.path()).read_text("utf-8")), dtype=str).set_index("id")
    assert len(full) == 8 and full.loc["c2", "why"] == "top 5% authority in its niche"
    assert full.loc["c2", "handle"] == "'=HYPERLINK(\"x\")"


def test_overview_offers_the_niche_filter_only(open_map, tmp_path):
    from test_maps import planted

    _, m, ov = planted(600, 8)
    res = build_map(None, m, ov, path=tmp_path / "o.html", aggregate_above=100)
    o = open_map(res.path)
    for field in ("gi-min-eng", "gi-min-auth", "gi-min-score", "gi-min-aff"):
        assert o.page.locator(f"#{field}").is_hidden() and o.page.locator(f"label[for={field}]").is_hidden()
    o.page.click("#gi-niches input[data-niche='3']")
    settle(o)
    assert hidden_ids(o) == {"niche:3"}
    assert o.page.text_content("#gi-status").startswith("showing 7 of 8 niches")
    o.page.mouse.click(*node_xy(o, "niche:0"))
    rows = dict(zip(o.page.locator("#gi-figures th").all_text_contents(),
                    o.page.locator("#gi-figures td").all_text_contents()))
    med = m.loc[m["community"] == 0, "engagement_rate"].median()
    assert rows["engagement rate (median)"] == f"{100 * med:.2f} %"
    assert o.errors == []


# ------------------------------------------------------------------------------------ the WebGL renderer
# Maps above `webgl_above` creators are drawn by sigma.js (WebGL) from the same payload, with the same
# page and controls. These tests build small maps with webgl_above=0 so that every check runs fast;
# bench/bench_maps.py measures the 20,000-creator maps. WebGL canvases cannot be read back after
# they are shown, so colours are read from screenshots, as a person sees them.
def png_pixel(png: bytes) -> tuple:
    """The colour of a 1×1 PNG (no image library: with one pixel, every PNG filter leaves the bytes as they are)."""
    import struct
    import zlib

    pos, idat = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    return tuple(zlib.decompress(idat)[1:4])


def screen_pixel(o: Opened, x: float, y: float) -> tuple:
    """The colour on screen at window point (x, y)."""
    settle(o)
    return png_pixel(o.page.screenshot(clip={"x": int(x), "y": int(y), "width": 1, "height": 1}))


def node_pixel_until(o: Opened, node: str, ok, timeout_ms: int = 3000) -> tuple:
    """The colour on screen at ``node`` once ``ok(colour)`` holds, or the last one read after ``timeout_ms``.

    Software WebGL on a busy machine can show a frame late: the screen is read again until it shows
    the answer (or the test fails with what it showed)."""
    waited = 0
    while True:
        px = screen_pixel(o, *node_xy(o, node))
        if ok(px) or waited >= timeout_ms:
            return px
        o.page.wait_for_timeout(100)
        waited += 100


def near(a: tuple, b: tuple, tol: int = 3) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


@pytest.fixture(scope="module")
def webgl_scored(tmp_path_factory):
    g, m, ov = scored_zoo()
    path = tmp_path_factory.mktemp("webgl") / "zoo-webgl.html"
    build_map(g, m, ov, path=path, brand=["c4"], webgl_above=0)
    nodes, links = map_tables(g, m, ov, brand=["c4"])
    return path, nodes, links, m


def swatches(o: Opened) -> dict:
    """Legend colour of each niche (by community id) as an (r, g, b) tuple."""
    rgb = o.page.locator("#gi-niches .gi-swatch").evaluate_all("l => l.map(s => getComputedStyle(s).backgroundColor)")
    keys = o.page.locator("#gi-niches input").evaluate_all("l => l.map(b => b.dataset.community)")
    return {k: tuple(int(v) for v in re.findall(r"\d+", c)[:3]) for k, c in zip(keys, rgb)}


def test_webgl_map_draws_every_creator_in_its_niche_colour(open_map, webgl_scored, artifacts):
    path, nodes, links, m = webgl_scored
    o = open_map(path)
    assert o.eval("graphinflu.renderer") == "webgl"
    assert o.eval("[graphinflu.graph.order, graphinflu.graph.size]") == [len(nodes), len(links)] == [8, 9]
    assert sorted(o.eval("graphinflu.graph.nodes()")) == sorted(nodes.index)
    assert o.page.text_content("#gi-status").startswith("showing 8 of 8 creators, 9 of 9 links")
    inside = o.eval("""() => { const r = document.getElementById('gi-network').getBoundingClientRect();
        return graphinflu.visibleNodeIds().filter(id => { const [x, y] = graphinflu.nodeXY(id), q = graphinflu.nodeRadius(id);
            return x - q >= r.left && x + q <= r.right && y - q >= r.top && y + q <= r.bottom; }).length; }""")
    assert inside == 8  # the first view shows every creator
    colour = swatches(o)
    for node in nodes.index:  # on screen, the centre of each creator has its niche's legend colour
        want = colour[str(m.loc[node, "community"])]
        assert near(node_pixel_until(o, node, lambda c: near(c, want)), want), (node, want)
    o.page.screenshot(path=artifacts / "webgl-zoo.png")
    assert o.errors == [] and only_local(o) == []


def test_webgl_click_selects_highlights_and_the_panel_equals_the_table(open_map, webgl_scored, artifacts):
    path, _, _, m = webgl_scored
    o = open_map(path)
    before = {k: screen_pixel(o, *node_xy(o, k)) for k in ("c1", "c2", "c4", "c5")}
    o.page.mouse.click(*node_xy(o, "c0"))
    assert o.eval("graphinflu.selected()") == "c0"
    assert set(o.eval("graphinflu.focus().nodes")) == {"c0", "c1", "c2"}
    rows = dict(zip(o.page.locator("#gi-figures th").all_text_contents(),
                    o.page.locator("#gi-figures td").all_text_contents()))
    c0 = m.loc["c0"]
    assert o.page.text_content("#gi-panel-title") == c0["handle"]
    assert rows["targets score"] == f"{c0['score']:.2f} (top 1% of the targets on this map)"
    assert rows["target rank"] == str(int(c0["rank"])) and rows["why"] == c0["why"]
    assert rows["engagement rate"] == f"{100 * c0['engagement_rate']:.2f} %"
    assert rows["followers"] == f"{int(c0['followers']):,}"
    assert rows["tier"] == c0["tier"] and rows["niche"] == c0["niche_label"]
    assert rows["brand affinity"] == (f"{100 * c0['affinity']:.0f}% of its audience is in the brand's audience "
                                      f"(lift {c0['affinity_lift']:.1f}\u00d7)")
    # on screen: c0's neighbours keep their colour, the others are paled by the veil
    o.page.mouse.move(5, 500)
    for k in ("c4", "c5"):
        now = node_pixel_until(o, k, lambda c: sum(c) > sum(before[k]) + 150)
        assert sum(now) > sum(before[k]) + 150, (k, now, before[k])
    assert near(screen_pixel(o, *node_xy(o, "c1")), before["c1"]) and near(screen_pixel(o, *node_xy(o, "c2")), before["c2"])
    o.page.screenshot(path=artifacts / "webgl-highlight.png")
    r = o.page.locator("#gi-network").bounding_box()
    o.page.mouse.click(r["x"] + 8, r["y"] + r["height"] - 8)  # the empty canvas clears it
    assert o.eval("graphinflu.selected()") is None and o.page.text_content("#gi-panel-title") == "Details"
    assert near(node_pixel_until(o, "c4", lambda c: near(c, before["c4"])), before["c4"])
    o.page.mouse.click(*node_xy(o, "c0"))
    o.page.locator("#gi-extra button", has_text="creator1").click()  # a top overlap, by the mouse
    assert o.eval("graphinflu.selected()") == "c1" and o.page.text_content("#gi-panel-title") == "creator1"
    assert o.errors == []


def test_webgl_search_filters_counts_and_top_list(open_map, webgl_scored, artifacts):
    path, nodes, links, m = webgl_scored
    o = open_map(path)
    search_for(o, "@CREATOR5")  # exact, any case, with @
    assert o.eval("graphinflu.selected()") == "c5" and o.page.text_content("#gi-panel-title") == "creator5"
    assert o.page.locator("#gi-matches").is_hidden()
    search_for(o, "creat")
    assert o.page.locator("#gi-matches button").count() == 8
    o.page.locator("#gi-matches button", has_text="creator3").click()
    assert o.eval("graphinflu.selected()") == "c3" and o.page.locator("#gi-matches").is_hidden()
    colour = swatches(o)

    def check(want_hidden: set):
        assert set(o.eval("graphinflu.hiddenIds()")) == want_hidden
        shown = 8 - len(want_hidden)
        status = o.page.text_content("#gi-status")
        assert status.startswith(f"showing {shown} of 8 creators, {shown_links(nodes, links, want_hidden)} of 9 links"), status
        for node in nodes.index:  # hidden creators are gone from the screen, shown ones are there
            want = colour[str(m.loc[node, "community"])]
            px = node_pixel_until(o, node, lambda c: near(c, want) == (node not in want_hidden))
            assert near(px, want) == (node not in want_hidden), (node, px)

    type_into(o, "#gi-min-eng", "4")  # engagement in %
    check(set(m.index[~(m["engagement_rate"] >= 0.04)]))
    keep = m[(m["engagement_rate"] >= 0.04) & m["score"].notna()].sort_values("score", ascending=False)
    assert o.page.locator("#gi-top-creators li button").all_text_contents()[:len(keep)] == keep["handle"].tolist()
    o.page.screenshot(path=artifacts / "webgl-filter-engagement.png")
    type_into(o, "#gi-min-eng", "")
    check(set())
    o.page.click("#gi-niches input[data-niche='1']")  # the mouse unticks a niche
    check(set(nodes.index[nodes["niche"] == 1]))
    o.page.click("#gi-niches input[data-niche='1']")
    type_into(o, "#gi-min-aff", "30")  # brand affinity in %
    check(set(m.index[~(m["affinity"] >= 0.30)]))
    type_into(o, "#gi-min-aff", "")
    type_into(o, "#gi-min-eng", "50")  # nobody: the page says so
    assert o.page.locator("#gi-empty").is_visible()
    assert o.page.text_content("#gi-status").startswith("showing 0 of 8 creators, 0 of 9 links")
    o.page.screenshot(path=artifacts / "webgl-empty.png")
    o.page.click("#gi-empty-reset")
    check(set())
    o.page.keyboard.press("Escape")
    assert o.errors == [] and only_local(o) == []


def test_a_map_over_the_threshold_is_one_webgl_map_that_answers(open_map, tmp_path, artifacts):
    """The default threshold: 2,004 creators (more than DEFAULT_WEBGL_ABOVE) are one map drawn with
    WebGL, and the controls work on it as on a small map."""
    from test_maps import planted

    from graphinflu.maps import DEFAULT_WEBGL_ABOVE

    n = 2004
    assert n > DEFAULT_WEBGL_ABOVE
    _, m, ov = planted(n, 12)
    res = build_map(None, m, ov, path=tmp_path / "big.html")
    assert not res.aggregated and res.n_nodes == n
    o = open_map(res.path)
    assert o.eval("graphinflu.renderer") == "webgl"
    assert o.page.text_content("#gi-status").startswith(f"showing {n:,} of {n:,} creators, {res.n_edges:,} of {res.n_edges:,} links")
    best = m["score"].idxmax()
    search_for(o, m.loc[best, "handle"])
    assert o.eval("graphinflu.selected()") == best
    assert o.page.text_content("#gi-panel-title") == m.loc[best, "handle"]
    o.page.screenshot(path=artifacts / "webgl-big-selected.png")
    o.page.click("#gi-niches input[data-niche='0']")
    settle(o)
    assert set(o.eval("graphinflu.hiddenIds()")) == set(m.index[m["community"] == 0])
    assert o.page.text_content("#gi-status").startswith(f"showing {int((m['community'] != 0).sum()):,} of {n:,} creators")
    type_into(o, "#gi-min-score", "90")
    settle(o)
    pct = m["score"].rank(pct=True, method="max") * 100
    assert set(o.eval("graphinflu.hiddenIds()")) == set(m.index[(m["community"] == 0) | (pct < 90)])
    top = o.page.locator("#gi-top-creators li button").all_text_contents()
    assert top == m[(m["community"] != 0) & (pct >= 90)].sort_values("score", ascending=False)["handle"].head(10).tolist()
    o.page.screenshot(path=artifacts / "webgl-big-filtered.png")
    assert o.errors == [] and only_local(o) == []


def test_webgl_map_without_webgl_says_what_to_do(browser, webgl_scored):
    """A browser with WebGL turned off gets a sentence where the map would be, not a blank page."""
    path, _, _, _ = webgl_scored
    b = browser.browser_type.launch(executable_path=CHROMIUM, args=ARGS + ["--disable-webgl", "--disable-3d-apis"])
    try:
        page = b.new_page(viewport={"width": 1600, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("#gi-network p.gi-nogl", timeout=10_000)
        text = page.text_content("#gi-network p.gi-nogl")
        assert "drawn with WebGL" in text and "--webgl-above 8" in text
        assert errors  # the map itself could not start, and the page says so above
    finally:
        b.close()
