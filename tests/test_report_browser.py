"""The campaign report opened in real headless Chromium, used as a person would: the real mouse
hovers chart marks (the tooltip shows the table's value, next to the pointer), clicks sort the
tables, the map link opens the map; no request, no console error, no CSP violation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from graphinflu.maps.style import niche_color
from test_maps_browser import Opened, artifacts, browser, only_local, open_page  # noqa: F401  (fixtures)
from test_report import campaign, read  # noqa: F401  (campaign: a fixture)

pytestmark = pytest.mark.browser

# records every Content-Security-Policy violation (an eval, an inline handler, a request, ...)
CSP_HOOK = """window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });"""


@pytest.fixture
def open_report(open_page, monkeypatch):  # noqa: F811
    """Open a report with test_maps_browser's recording tab (console errors, requests, dialogs), also
    recording CSP violations, and wait until every chart is drawn."""
    import test_maps_browser

    monkeypatch.setattr(test_maps_browser, "HOOKS", test_maps_browser.HOOKS + CSP_HOOK)

    def _open(path: Path) -> Opened:
        o = open_page(path)
        o.page.wait_for_selector("body[data-drawn]", state="attached", timeout=30_000)
        return o

    return _open


def clean(o: Opened) -> None:
    """Nothing went wrong on the page: no console error, no request, no CSP violation, no dialog."""
    assert o.errors == [] and only_local(o) == [] and o.dialogs == []
    assert o.eval("window.__csp") == [] and o.eval("window.__xss") == []


def marks(o: Opened, chart: str, mark: str):
    """The SVG items of one Vega mark (by its Vega-Lite name, e.g. ``layer_1_marks``) of a chart."""
    return o.page.locator(f"#{chart} g.{mark} > path")


def hover_mark(o: Opened, item) -> dict[str, str]:
    """Move the real mouse onto a chart mark, in steps, and read the tooltip that appears (label → value);
    the tooltip must sit near the pointer."""
    item.scroll_into_view_if_needed()
    box = item.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    o.page.mouse.move(x - 30, y - 30)
    o.page.mouse.move(x, y, steps=6)
    tip = o.page.locator("#vg-tooltip-element.visible")
    tip.wait_for(timeout=3000)
    t = tip.bounding_box()
    assert abs(t["x"] - x) < 80 or abs(t["x"] + t["width"] - x) < 80, (t, x)  # beside the pointer, not a corner
    assert abs(t["y"] - y) < 80 or abs(t["y"] + t["height"] - y) < 80, (t, y)
    keys = tip.locator("td.key").all_text_contents()
    vals = tip.locator("td.value").all_text_contents()
    return {k.strip().rstrip(":"): v.strip() for k, v in zip(keys, vals)}


def number(text: str) -> float:
    return float(text.replace(",", "").replace("\u2212", "-"))


def test_hovering_each_chart_shows_the_tables_values(open_report, campaign, artifacts):  # noqa: F811
    _, out = campaign
    o = open_report(out / "report.html")
    assert o.page.get_attribute("body", "data-drawn") == "6"
    o.page.screenshot(path=artifacts / "report.png", full_page=True)
    short = read(out, "shortlist")
    # the reach curve: one point per pick; the 5th point's tooltip is the 5th row of shortlist.csv
    pts = marks(o, "gi-reach", "layer_1_marks")
    assert pts.count() == len(short)
    tip = hover_mark(o, pts.nth(4))
    assert number(tip["unique reach"]) == short["cumulative_reach"][4]
    assert number(tip["new followers"]) == short["marginal_reach"][4] and tip["added creator"] == short["handle"][4]
    ys = [pts.nth(k).bounding_box()["y"] for k in range(pts.count())]
    assert all(a >= b for a, b in zip(ys, ys[1:]))  # more reach is drawn higher
    tip = hover_mark(o, marks(o, "gi-reach-budget", "layer_1_marks").nth(2))
    assert number(tip["budget spent"]) == pytest.approx(short["cumulative_cost"][2])
    # the overlap matrix: the cell of the most overlapping pair shows its Jaccard from overlap_pairs.csv
    pairs = read(out, "overlap_pairs")
    first = short.head(20)
    inside = pairs[pairs["creator_a"].isin(first["id"]) & pairs["creator_b"].isin(first["id"])]
    best = inside.sort_values("jaccard", ascending=False).iloc[0]
    name = {i: f"{p}. {h}" for i, p, h in zip(first["id"], first["pick"], first["handle"])}
    a, b = name[best["creator_a"]], name[best["creator_b"]]
    cells = marks(o, "gi-overlap", "layer_0_marks")
    assert cells.count() == len(first) ** 2
    k = cells.evaluate_all("(l, ab) => l.findIndex(p => p.getAttribute('aria-label').startsWith('b: ' + ab[1] + '; a: ' + ab[0] + ';'))",
                           [a, b])
    tip = hover_mark(o, cells.nth(k))
    assert (tip["creator"], tip["with"]) == (a, b)
    assert tip["jaccard"] == f"{best['jaccard']:.3f}" and number(tip["shared followers"]) == best["shared"]
    # the UpSet view: the largest group's bar shows its count from shortlist_intersections.csv
    inter = read(out, "shortlist_intersections")
    tip = hover_mark(o, marks(o, "gi-upset", "concat_1_layer_0_marks").first)
    assert number(tip["followers"]) == inter["followers"][0]
    assert tip["followers of exactly"] == " & ".join(name[short["id"][int(p) - 1]] for p in inter["members"][0].split("+"))
    # engagement by tier: the micro bar is the median of accounts.csv, its tick a cited benchmark
    acc = read(out, "accounts")
    rated = acc[acc["rated"].astype(bool) & acc["engagement_rate"].notna()]
    tiers = [t for t in ("nano", "micro", "mid", "macro", "mega") if t in set(rated["tier"])]
    tip = hover_mark(o, marks(o, "gi-engagement", "layer_0_marks").nth(tiers.index("micro")))
    assert tip["tier"] == "micro"
    assert tip["median engagement (%)"] == f"{100 * rated.loc[rated['tier'] == 'micro', 'engagement_rate'].median():.2f}"
    tip = hover_mark(o, marks(o, "gi-engagement", "layer_1_marks").first)
    cited = pd.read_csv(Path(__file__).resolve().parent.parent / "graphinflu" / "data" / "engagement_benchmarks.csv")
    assert number(tip["benchmark (%)"]) in set(cited["rate_percent"].round(2))
    assert "HypeAuditor" in tip["benchmark source"]
    o.page.screenshot(path=artifacts / "report-tooltip.png")
    # the map picture: a point's tooltip names its creator
    tip = hover_mark(o, marks(o, "gi-map", "layer_0_marks").first)
    data = json.loads(re.search(r'id="gi-data">(.*?)</script>', (out / "map.html").read_text("utf-8"), re.S).group(1))
    assert tip["creator"] == data["attrs"]["handle"][0]
    clean(o)


def test_report_prints_to_pdf(open_report, campaign, artifacts):  # noqa: F811
    _, out = campaign
    o = open_report(out / "report.html")
    o.page.emulate_media(media="print")
    assert o.page.locator("#gi-upset svg").is_visible() and o.page.locator("#gi-map svg").is_visible()
    pdf = o.page.pdf(format="A4", print_background=True)
    assert pdf[:5] == b"%PDF-" and len(pdf) > 50_000 and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page/") + \
        pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 3
    (artifacts / "report.pdf").write_bytes(pdf)
    clean(o)


def test_report_tables_sort_by_a_click_and_name_every_why(open_report, campaign):  # noqa: F811
    _, out = campaign
    targets = read(out, "targets").head(25)
    o = open_report(out / "report.html")
    rows = o.page.locator("#gi-targets tbody tr")
    assert rows.count() == 25
    heads = o.page.locator("#gi-targets th").all_text_contents()
    why_col, score_col, creator_col = heads.index("why"), heads.index("score"), heads.index("creator")
    assert o.page.locator(f"#gi-targets tbody td:nth-child({why_col + 1})").all_text_contents() == targets["why"].tolist()
    # a click on "score" sorts descending, a second click ascending
    o.page.locator(f"#gi-targets th:nth-child({score_col + 1})").click()
    first = [float(x) for x in o.page.locator(f"#gi-targets tbody td:nth-child({score_col + 1})").all_text_contents()]
    assert first == sorted(first, reverse=True)
    o.page.locator(f"#gi-targets th:nth-child({score_col + 1})").click()
    again = [float(x) for x in o.page.locator(f"#gi-targets tbody td:nth-child({score_col + 1})").all_text_contents()]
    assert again == sorted(again)
    o.page.locator(f"#gi-targets th:nth-child({creator_col + 1})").click()
    names = o.page.locator(f"#gi-targets tbody td:nth-child({creator_col + 1})").all_text_contents()
    assert sorted(names) == sorted(targets["handle"]) and names in (sorted(names), sorted(names, reverse=True))
    # the shortlist table sorts by new followers
    short = read(out, "shortlist")
    o.page.get_by_role("columnheader", name="new followers").click()
    got = [int(x.replace(",", "")) for x in o.page.locator("#gi-shortlist tbody td:nth-child(3)").all_text_contents()]
    assert got == sorted(short["marginal_reach"].tolist(), reverse=True)
    clean(o)


def test_report_niche_colours_match_the_map_and_its_link_opens_the_map(open_report, campaign, artifacts):  # noqa: F811
    _, out = campaign
    o = open_report(out / "report.html")
    report = dict(o.page.locator("#gi-niches tbody tr").evaluate_all(
        "l => l.map(r => [r.cells[0].textContent.trim(), getComputedStyle(r.querySelector('.sw')).backgroundColor])"))
    # the map picture in the report draws each creator in its niche colour (the colours of style.py)
    acc = read(out, "accounts").set_index("id")
    data = json.loads(re.search(r'id="gi-data">(.*?)</script>', (out / "map.html").read_text("utf-8"), re.S).group(1))
    fills = marks(o, "gi-map", "layer_0_marks").evaluate_all("l => l.map(p => p.getAttribute('fill'))")
    want = [niche_color(int(acc.loc[n["id"], "community"])) for n in data["nodes"]]
    assert [f.lower() for f in fills] == [w.lower() for w in want]
    rgb = {k: "rgb({}, {}, {})".format(*(int(c[i:i + 2], 16) for i in (1, 3, 5)))
           for k, c in ((str(c), niche_color(int(c))) for c in acc["community"].unique())}
    assert report == {k: rgb[k] for k in report}
    clean(o)
    with o.page.expect_navigation():
        o.page.click("#gi-map-link")
    assert o.page.url.endswith("/map.html")
    o.page.wait_for_selector("body[data-drawn]", state="attached")
    on_map = dict(zip(o.page.locator("#gi-niches input").evaluate_all("l => l.map(b => b.dataset.community)"),
                      o.page.locator("#gi-niches .gi-swatch").evaluate_all(
                          "l => l.map(s => getComputedStyle(s).backgroundColor)")))
    assert on_map and all(report[k] == v for k, v in on_map.items()), (report, on_map)
    o.page.screenshot(path=artifacts / "analyze-map.png")
    assert o.errors == [] and all(u.startswith("file://") for u in o.requests)


def test_without_the_expression_interpreter_the_csp_would_block_vega(open_report, campaign, tmp_path):  # noqa: F811
    """The control: the same page with ``ast: false`` (its script hash updated so that it runs) makes
    Vega compile expressions with ``new Function``, which the CSP blocks and the hook records; so the
    clean pages above are clean because of the interpreter, and a violation would be seen."""
    import base64
    import hashlib

    from graphinflu.maps import report

    _, out = campaign
    text = (out / "report.html").read_text("utf-8")
    old = report._CHARTS_JS
    new = old.replace("ast: true", "ast: false")

    def sha(s: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()

    assert old in text and sha(old) in text
    (tmp_path / "report.html").write_text(text.replace(old, new).replace(sha(old), sha(new)), "utf-8")
    o = open_report(tmp_path / "report.html")
    assert any("eval" in v for v in o.eval("window.__csp")), o.eval("window.__csp")
    assert any("unsafe-eval" in e or "chart gi-" in e for e in o.errors)
