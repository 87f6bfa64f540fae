"""Maps opened in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import re
from pathlib import Path

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
def open_map(browser):
    pages = []

    def _open(path: Path) -> Opened:
        page = browser.new_page(viewport={"width": 1300, "height": 850})
        o = Opened(page, path.resolve().as_uri())
        page.on("console", lambda m: o.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: o.errors.append(str(e)))
        page.on("request", lambda r: o.requests.append(r.url))
        page.on("dialog", lambda d: (o.dialogs.append(d.message), d.dismiss()))
        page.add_init_script(HOOKS)
        page.goto(o.url)
        page.wait_for_function("window.graphinflu && window.graphinflu.drawnAt !== null", timeout=30_000)
        pages.append(page)
        return o

    yield _open
    for p in pages:
        p.close()


@pytest.fixture(scope="module")
def zoo_map(tmp_path_factory):
    g, m, ov = zoo()
    path = tmp_path_factory.mktemp("maps") / "zoo.html"
    build_map(g, m, ov, path=path, brand=["c4"])
    nodes, links = map_tables(g, m, ov, brand=["c4"])
    return path, nodes, links


def only_local(o: Opened) -> list[str]:
    return [u for u in o.requests if u != o.url and not u.startswith("data:")]


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
        for (let i = 0; i < d.length; i += 4) if (d[i] === 0x1f && d[i + 1] === 0x77 && d[i + 2] === 0xb4) return true;
        return false; }""")


def test_search_finds_handle(open_map, zoo_map):
    path, _, _ = zoo_map
    o = open_map(path)
    o.page.fill("#gi-search", "creator5")
    o.page.press("#gi-search", "Enter")
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c5"]
    assert o.page.text_content("#gi-panel-title") == "creator5"
    assert "food" in o.page.text_content("#gi-figures")
    # partial search lists matches; clicking one selects it
    o.page.fill("#gi-search", "CREATOR")
    o.page.press("#gi-search", "Enter")
    assert o.page.locator("#gi-matches button").count() == 8
    o.page.locator("#gi-matches button", has_text="creator3").click()
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c3"]
    o.page.fill("#gi-search", "zzz")
    o.page.press("#gi-search", "Enter")
    assert o.page.text_content("#gi-matches") == "no creator matches"


def hidden_ids(o: Opened) -> set:
    return set(o.eval("Object.values(graphinflu.network.body.nodes).filter(n => n.options.hidden).map(n => n.id)"))


def test_niche_filter_hides_its_creators(open_map, zoo_map):
    path, nodes, _ = zoo_map
    o = open_map(path)
    o.page.uncheck("#gi-niches input[data-niche='1']")
    assert hidden_ids(o) == set(nodes.index[nodes["niche"] == 1])
    assert o.eval("graphinflu.network.body.edgeIndices.length") == 5  # c0-c1, c0-c2, c1-c2, c1→c0, c2→c0
    assert o.page.text_content("#gi-status").startswith("showing 4 of 8")
    o.page.check("#gi-niches input[data-niche='1']")
    assert hidden_ids(o) == set()


def test_tier_engagement_authority_filters(open_map, zoo_map):
    path, nodes, _ = zoo_map
    o = open_map(path)
    key = o.eval("graphinflu.data.tiers.find(t => t.name === 'micro').key")
    o.page.uncheck(f"#gi-tiers input[data-tier='{key}']")
    assert hidden_ids(o) == set(nodes.index[nodes["tier"] == "micro"])
    o.page.click("#gi-reset")
    assert hidden_ids(o) == set()
    o.page.fill("#gi-min-eng", "0.04")
    # below 0.04 or unknown engagement is hidden
    assert hidden_ids(o) == set(nodes.index[~(nodes["engagement_rate"] >= 0.04)])
    o.page.fill("#gi-min-eng", "")
    o.page.fill("#gi-min-auth", "0.1")
    assert hidden_ids(o) == set(nodes.index[nodes["authority"] < 0.1])
    # a hidden creator is still found by search but reported as hidden, not selected
    o.page.fill("#gi-search", "creator7")
    o.page.press("#gi-search", "Enter")
    assert "hidden by a filter" in o.page.text_content("#gi-matches")
    assert o.eval("graphinflu.network.getSelectedNodes()") == []


def test_click_highlights_neighbourhood_and_fills_panel(open_map, zoo_map):
    path, _, _ = zoo_map
    o = open_map(path)
    xy = o.eval("""() => { const n = graphinflu.network;
        const p = n.getPositions(['c0'])['c0']; const d = n.canvasToDOM(p);
        const r = document.querySelector('#gi-network canvas').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }""")
    o.page.mouse.click(xy[0], xy[1])
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c0"]
    assert o.page.text_content("#gi-panel-title") == "creator0"
    dim = o.eval("graphinflu.nodes.get().filter(n => typeof n.color === 'string' && n.color.startsWith('rgba(200')).map(n => n.id)")
    assert set(dim) == {"c3", "c4", "c5", "c6", "c7"}  # c0's neighbours c1, c2 keep their colour
    overlaps = o.page.locator("#gi-extra li").all_text_contents()
    assert overlaps[0].startswith("creator1 0.5") and overlaps[1].startswith("creator2 0.3")
    o.page.locator("#gi-extra button", has_text="creator1").click()
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["c1"]


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
        o.page.fill("#gi-search", handle)
        o.page.press("#gi-search", "Enter")
        assert o.page.text_content("#gi-panel-title") == handle
        o.page.mouse.move(10, 10)
    legend = o.page.text_content("#gi-niches")
    assert XSS_LABEL in legend
    assert o.page.text_content("#gi-title") == XSS_HANDLES[1] == o.page.title()
    # hover tooltip is plain text too
    o.eval("""() => { const n = graphinflu.network, p = n.getPositions(['c0'])['c0'];
        n.emit('hoverNode', {node: 'c0', event: {center: n.canvasToDOM(p)}}); }""")
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
    o.page.fill("#gi-search", "creator6")
    o.page.press("#gi-search", "Enter")
    assert o.eval("graphinflu.network.getSelectedNodes()") == ["niche:1"]
    with o.page.expect_navigation():
        o.page.click("#gi-extra a")
    assert o.page.url.endswith("/agg.niche-001.html")
    o.page.wait_for_function("window.graphinflu && window.graphinflu.drawnAt !== null")
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
    o.page.fill("#gi-search", top)
    o.page.press("#gi-search", "Enter")
    assert o.eval("graphinflu.network.getSelectedNodes()") == [top]
    rows = dict(zip(o.page.locator("#gi-figures th").all_text_contents(),
                    o.page.locator("#gi-figures td").all_text_contents()))
    assert rows["niche"] == label[top] and "authority (pagerank)" in rows
    assert o.errors == [] and only_local(o) == []
