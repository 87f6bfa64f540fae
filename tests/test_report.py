"""The campaign report without a browser: `graphinflu report`, every chart's rows against the CSVs
`analyze` wrote, the UpSet table against Python sets, the vendored Vega files, escaping and the CSP."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu.cli import cli
from graphinflu.errors import InputError, MapError
from graphinflu.graph import Graph
from graphinflu.maps.style import niche_color
from graphinflu.metrics.upset import MAX_CREATORS, audience_intersections
from test_maps import XSS_HANDLES, analyzed  # noqa: F401  (analyzed: a fixture)

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "graphinflu" / "templates" / "vendor" / "vega"
SPEC = re.compile(r'<script type="application/json" id="(gi-[a-z-]+)-spec">(.*?)</script>', re.S)


def run_ok(*args) -> str:
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="session")
def campaign(tmp_path_factory):
    """`graphinflu generate` data (posts, profiles, interactions) through `graphinflu analyze -o DIR`:
    (inputs folder, output folder)."""
    root = tmp_path_factory.mktemp("campaign")
    run_ok("generate", "--edges", "20000", "-o", root / "in", "-q")
    i = root / "in"
    run_ok("analyze", i / "follows.csv", "--profiles", i / "profiles.csv", "--posts", i / "posts.csv",
           "--interactions", i / "interactions.csv", "--tier-costs", "nano=100,micro=400,mid=2000,macro=8000,mega=30000",
           "-o", root / "out", "-q")
    return i, root / "out"


def specs(path: Path) -> dict[str, dict]:
    """Every chart's Vega-Lite spec in a report page, by chart id."""
    return {cid: json.loads(text) for cid, text in SPEC.findall(path.read_text("utf-8"))}


def values(spec: dict, layer: int | None = None) -> pd.DataFrame:
    data = spec["data"] if layer is None else spec["layer"][layer]["data"]
    return pd.DataFrame(data["values"])


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype={"id": str, "creator_a": str, "creator_b": str, "members": str})


# ------------------------------------------------------------------------------------- the command
def test_report_command_redraws_the_report_analyze_wrote(campaign, tmp_path):
    _, out = campaign
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["report"] == "report.html"
    assert manifest["files"]["shortlist_intersections"] == "shortlist_intersections.csv"
    before = specs(out / "report.html")
    assert set(before) == {"gi-reach", "gi-reach-budget", "gi-overlap", "gi-upset", "gi-engagement", "gi-map"}
    again = tmp_path / "sub" / "again.html"
    again.parent.mkdir()
    run_ok("report", out, "-o", again, "-q")
    # the same charts from the tables and manifest alone (no analysis re-run)
    assert specs(again) == before
    text = again.read_text("utf-8")
    link = re.search(r'id="gi-map-link" href="([^"]+)"', text).group(1)
    assert (again.parent / link).resolve() == (out / "map.html").resolve()
    # the default output is FOLDER/report.html, written atomically (no temporary file left)
    (out / "report.html").unlink()
    run_ok("report", out, "-q")
    assert specs(out / "report.html") == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp") == []


def test_report_command_names_what_is_missing_and_the_fix(campaign, tmp_path):
    _, out = campaign
    run = CliRunner()

    def fails(*args) -> str:
        res = run.invoke(cli, ["report", *map(str, args)])
        assert res.exit_code != 0 and "Traceback" not in res.output, res.output
        return res.output

    msg = fails(tmp_path / "nowhere")
    assert "folder not found" in msg and "fix:" in msg and "graphinflu analyze" in msg
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "follows.csv").write_text("source,target\na,b\n")
    msg = fails(tmp_path / "inputs")
    assert "manifest.json is missing" in msg and "fix:" in msg
    broken = tmp_path / "broken"
    shutil.copytree(out, broken)
    (broken / "shortlist.csv").unlink()
    msg = fails(broken)
    assert "shortlist.csv is missing (listed in manifest.json)" in msg and "re-run graphinflu analyze" in msg
    (broken / "manifest.json").write_text("{not json")
    assert "manifest.json" in fails(broken) and "JSON" in fails(broken)
    msg = fails(out, "-o", tmp_path / "r.pdf")
    assert "must end in .html" in msg
    # tables written for reading (--format table) cannot be read back
    txt = tmp_path / "txt"
    shutil.copytree(out, txt)
    m = json.loads((txt / "manifest.json").read_text())
    m["files"]["accounts"] = "accounts.txt"
    (txt / "accounts.txt").write_text("id handle\n1 a\n")
    (txt / "manifest.json").write_text(json.dumps(m))
    msg = fails(txt)
    assert "accounts.txt" in msg and "--format csv" in msg


def test_report_reads_every_table_format(campaign, tmp_path):
    """A folder written with --format parquet / jsonl gives the same charts as the CSV one."""
    i, out = campaign
    want = specs(out / "report.html")
    for fmt in ("parquet", "jsonl"):
        dest = tmp_path / fmt
        run_ok("analyze", i / "follows.csv", "--profiles", i / "profiles.csv", "--posts", i / "posts.csv",
               "--interactions", i / "interactions.csv", "--tier-costs",
               "nano=100,micro=400,mid=2000,macro=8000,mega=30000", "--format", fmt, "-o", dest, "-q")
        run_ok("report", dest, "-o", dest / "again.html", "-q")
        got = specs(dest / "again.html")
        assert got.keys() == want.keys()
        for cid in ("gi-reach", "gi-overlap", "gi-engagement"):
            assert json.dumps(got[cid], sort_keys=True) == json.dumps(want[cid], sort_keys=True), (fmt, cid)


# ----------------------------------------------------------------------- every figure = its table
def test_reach_charts_equal_shortlist_csv(campaign):
    _, out = campaign
    short = read(out, "shortlist")
    s = specs(out / "report.html")
    got = values(s["gi-reach"])
    assert got["pick"].tolist() == short["pick"].tolist()
    assert got["unique_reach"].tolist() == short["cumulative_reach"].tolist()
    assert got["new_followers"].tolist() == short["marginal_reach"].tolist()
    assert got["creator"].tolist() == short["handle"].tolist()
    assert got["budget"].tolist() == pytest.approx(short["cumulative_cost"].tolist())
    assert s["gi-reach-budget"]["encoding"]["x"]["field"] == "budget"
    # the costs are the tier costs given on the command line, summed pick by pick
    cost = {"nano": 100, "micro": 400, "mid": 2000, "macro": 8000, "mega": 30000}
    acc = read(out, "accounts").set_index("id")
    assert np.cumsum([cost[t] for t in acc.loc[short["id"], "tier"]]).tolist() == got["budget"].tolist()


def test_overlap_heat_map_equals_overlap_pairs_csv(campaign):
    _, out = campaign
    short, pairs = read(out, "shortlist"), read(out, "overlap_pairs")
    cells = values(specs(out / "report.html")["gi-overlap"])
    n = min(len(short), 20)
    assert len(cells) == n * n
    jac = {frozenset((a, b)): (v, s) for a, b, v, s in
           zip(pairs["creator_a"], pairs["creator_b"], pairs["jaccard"], pairs["shared"])}
    id_of = dict(zip(short["pick"], short["id"]))
    audience = dict(zip(short["pick"], short["audience_size"]))
    for r in cells.itertuples():
        a, b = id_of[r.pick_a], id_of[r.pick_b]
        want, shared = (1.0, audience[r.pick_a]) if a == b else jac.get(frozenset((a, b)), (0.0, 0))
        assert r.jaccard == pytest.approx(want, abs=1e-6) and r.shared == shared, (a, b)
        assert r.a.startswith(f"{r.pick_a}. ") and r.same == (a == b)


def test_upset_counts_equal_python_sets_of_the_follow_file(campaign):
    """Every exclusive intersection of the first 20 shortlist creators' follower sets, counted with
    Python sets from follows.csv, equals shortlist_intersections.csv; together they are the
    shortlist's unique reach; the chart shows the largest groups (at most 6 of a single creator)."""
    i, out = campaign
    short, inter = read(out, "shortlist"), read(out, "shortlist_intersections")
    picks = dict(zip(short["id"].head(MAX_CREATORS), short["pick"].head(MAX_CREATORS)))
    follows = pd.read_csv(i / "follows.csv", dtype=str)
    sets: dict[str, set] = {}
    for src, dst in zip(follows["source"], follows["target"]):
        if dst in picks and src != dst:
            sets.setdefault(src, set()).add(picks[dst])
    want = Counter("+".join(map(str, sorted(s))) for s in sets.values())
    assert dict(zip(inter["members"], inter["followers"])) == dict(want)
    assert inter["followers"].is_monotonic_decreasing and inter["intersection"].tolist() == list(range(1, len(inter) + 1))
    assert inter["creators"].tolist() == [m.count("+") + 1 for m in inter["members"]]
    assert inter["followers"].sum() == short["cumulative_reach"].iloc[min(len(short), MAX_CREATORS) - 1]
    up = specs(out / "report.html")["gi-upset"]
    blank, bars, sizes, matrix = up["concat"]
    shown = pd.DataFrame(bars["data"]["values"])
    # the largest 18 groups, of which at most 6 of a single creator
    want = pd.concat([inter[inter["creators"] == 1].head(6), inter[inter["creators"] > 1]]).sort_values(
        "intersection").head(18)
    assert (want["creators"] > 1).any() and len(shown) == 18
    assert shown["intersection"].tolist() == want["intersection"].tolist()
    assert shown["followers"].tolist() == want["followers"].tolist()
    handle = dict(zip(short["pick"], short["handle"]))
    for names, members in zip(shown["names"], want["members"]):
        assert names == " & ".join(f"{p}. {handle[int(p)]}" for p in members.split("+"))
    dots = pd.DataFrame(matrix["layer"][1]["data"]["values"])
    for k, members in zip(shown["intersection"], want["members"]):
        rows = dots[(dots["intersection"] == k) & dots["member"]]["row"] + 1
        assert sorted(rows.tolist()) == sorted(int(p) for p in members.split("+"))
    assert pd.DataFrame(sizes["data"]["values"])["audience"].tolist() == short["audience_size"].head(20).tolist()


def test_audience_intersections_match_sets_and_refuse_too_many():
    rng = np.random.default_rng(3)
    src, dst = rng.integers(0, 300, 4000), rng.integers(0, 12, 4000)
    g = Graph.from_pandas(pd.DataFrame({"source": [f"u{s}" for s in src], "target": [f"c{d}" for d in dst]}))
    creators = [f"c{k}" for k in range(12)]
    got = audience_intersections(g, creators)
    sets: dict[str, set] = {}
    for s, d in zip(src, dst):
        sets.setdefault(f"u{s}", set()).add(int(d) + 1)
    assert dict(zip(got["members"], got["followers"])) == dict(Counter("+".join(map(str, sorted(v))) for v in sets.values()))
    with pytest.raises(InputError, match="at most 20"):
        audience_intersections(g, [f"u{k}" for k in range(MAX_CREATORS + 1)])
    assert audience_intersections(g, []).empty


def test_engagement_chart_equals_accounts_csv_and_the_cited_benchmarks(campaign):
    _, out = campaign
    acc = read(out, "accounts")
    rated = acc[acc["rated"].astype(bool) & acc["engagement_rate"].notna()]
    spec = specs(out / "report.html")["gi-engagement"]
    bars, ticks = values(spec, 0), values(spec, 1)
    med = (100 * rated.groupby("tier")["engagement_rate"].median())
    assert dict(zip(bars["tier"], bars["median_pct"])) == pytest.approx(med.to_dict())
    assert dict(zip(bars["tier"], bars["accounts"])) == rated["tier"].value_counts().to_dict()
    assert bars["tier"].tolist() == [t for t in ("nano", "micro", "mid", "macro", "mega") if t in set(rated["tier"])]
    # each tick is a published figure from the bundled benchmark table, with the accounts it covers
    cited = pd.read_csv(ROOT / "graphinflu" / "data" / "engagement_benchmarks.csv")
    assert len(ticks) and set(ticks["benchmark_pct"]) <= set(cited["rate_percent"].round(6))
    per = rated.dropna(subset=["engagement_benchmark"]).groupby(
        ["tier", "engagement_benchmark", "engagement_benchmark_source"]).size()
    assert sorted(zip(ticks["tier"], ticks["benchmark_pct"].round(4), ticks["source"], ticks["accounts"])) == sorted(
        (t, round(100 * b, 4), s, n) for (t, b, s), n in per.items())


def test_map_picture_has_the_maps_positions_and_niche_colours(campaign):
    _, out = campaign
    pts = values(specs(out / "report.html")["gi-map"])
    block = re.search(r'id="gi-data">(.*?)</script>', (out / "map.html").read_text("utf-8"), re.S).group(1)
    data = json.loads(block)
    assert pts["id"].tolist() == [n["id"] for n in data["nodes"]]
    assert pts["x"].tolist() == [n["x"] for n in data["nodes"]] and pts["y"].tolist() == [n["y"] for n in data["nodes"]]
    # every creator's colour is its community's niche colour, as on the map and in the niche table
    acc = read(out, "accounts").set_index("id")
    comm = acc.loc[pts["id"], "community"].astype(int)
    assert pts["color"].tolist() == [niche_color(int(c)) for c in comm]
    legend = specs(out / "report.html")["gi-map"]["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(legend["domain"], legend["range"])) == {e["label"]: e["color"] for e in data["niches"]}


# ------------------------------------------------------------------------------ vendored and safe
def test_vendored_vega_files_match_their_checksums_and_licences():
    sums = (ROOT / "tools" / "vendor" / "vega" / "files.sha256").read_text().split("\n")
    listed = {}
    for line in filter(None, sums):
        digest, name = line.split()
        listed[name.lstrip("./")] = digest
    assert {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "LICENSE-vega.txt", "LICENSE-vega-lite.txt",
            "LICENSE-vega-embed.txt", "VERSIONS.txt"} == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert all("BSD" in (VENDOR / f"LICENSE-{n}.txt").read_text() or "Redistribution" in (VENDOR / f"LICENSE-{n}.txt").read_text()
               for n in ("vega", "vega-lite", "vega-embed"))
    # vega-embed's build carries the CSP-safe expression interpreter the report relies on (ast: true)
    assert "expressionInterpreter" in (VENDOR / "vega-embed.min.js").read_text()


def test_report_escapes_everything_and_allows_only_its_own_scripts(tmp_path, analyzed):  # noqa: F811
    from graphinflu.maps.report import build_report, vendored_scripts

    graph, result = analyzed
    targets = result.targets.copy()
    targets.iloc[0, targets.columns.get_loc("handle")] = XSS_HANDLES[0]
    targets.iloc[1, targets.columns.get_loc("handle")] = "abc\u202egnp.exe"
    targets.iloc[0, targets.columns.get_loc("why")] = XSS_HANDLES[1]
    short = result.shortlist.copy()
    short.iloc[0, short.columns.get_loc("handle")] = XSS_HANDLES[1]
    fake = SimpleNamespace(**{**vars(result), "targets": targets, "shortlist": short})
    path = build_report(fake, tmp_path / "r.html", inputs={"follows": "<b>x</b>.csv"}, title=XSS_HANDLES[2])
    full = path.read_text("utf-8")
    text = full
    for lib in vendored_scripts():  # the page without the libraries' own code
        assert lib in full
        text = text.replace(lib, "")
    for h in XSS_HANDLES:
        assert h not in full
    assert "<img" not in text and "<svg onload" not in text and "\u202e" not in text and "abc&lt;U+202E&gt;gnp.exe" in text
    assert "http://" not in full and "https://" not in full and "sourceMappingURL" not in full
    # the chart data are JSON blocks (never run); the spec of the reach chart has the escaped handle
    reach = specs(path)["gi-reach"]
    assert reach["data"]["values"][0]["creator"] == XSS_HANDLES[1]
    # the CSP: only the hashes of the page's own inline scripts, no 'unsafe-eval', nothing to connect to
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', text).group(1)
    assert "unsafe-eval" not in csp and "default-src 'none'" in csp and "connect-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]+);", csp).group(1).split()
    inline = re.findall(r"<script>(.*?)</script>", full, re.S)
    assert len(inline) == 5 and sorted(script_src) == sorted(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline)
    with pytest.raises(MapError, match="html"):
        build_report(result, tmp_path / "r.pdf")


def test_report_without_follows_posts_or_map_says_what_is_missing(tmp_path):
    """Interactions only: no shortlist, no engagement, no map; the page says so and draws no chart."""
    edges = tmp_path / "mentions.csv"
    edges.write_text("source,target\n" + "".join(f"u{k},u{(k * 7) % 13}\n" for k in range(40)))
    run_ok("analyze", "--interactions", edges, "--no-map", "-o", tmp_path / "out", "-q")
    text = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "No shortlist: it needs follower lists." in text and "give --posts" in text
    assert specs(tmp_path / "out" / "report.html") == {} and "gi-map-link" not in text
    assert text.count("<script>") == 1  # only the table sorter: no chart library when there is no chart


def test_at_a_glance_lines_equal_the_tables(campaign):
    _, out = campaign
    text = (out / "report.html").read_text("utf-8")
    glance = re.search(r'<ul id="gi-glance">(.*?)</ul>', text).group(1)
    short, targets, acc = read(out, "shortlist"), read(out, "targets"), read(out, "accounts")
    assert f"Best target: <b>{targets['handle'][0]}</b>" in glance and f"score {targets['score'][0]:.3f}" in glance
    reach, total = int(short["cumulative_reach"].iloc[-1]), int(short["audience_size"].sum())
    assert (f"The shortlist's {len(short)} creators reach <b>{reach:,}</b> unique followers; their audiences add "
            f"up to {total:,}, so {1 - reach / total:.0%}") in glance
    assert f"budget {short['cumulative_cost'].iloc[-1]:,.2f}" in glance
    rated = acc[acc["rated"].astype(bool) & acc["engagement_rate"].notna()]
    vs = rated.groupby("tier")["engagement_vs_benchmark"].median().dropna()
    assert f"above its published benchmark in {int((vs > 1).sum())} of {len(vs)} tiers" in glance


def test_report_of_a_folder_like_the_spark_engines(campaign, tmp_path):
    """A folder without map, intersections or niches (an analysis written to a URI by the Spark
    engine and copied here, or one from an older version, with an empty communities.csv): the
    report still draws the reach and overlap charts and says what is missing."""
    _, out = campaign
    folder = tmp_path / "spark"
    shutil.copytree(out, folder)
    (folder / "communities.csv").write_text("")
    m = json.loads((folder / "manifest.json").read_text())
    for name in ("map", "report", "shortlist_intersections"):
        m["files"].pop(name)
    m["inputs"] = {k: v["path"] for k, v in m["inputs"].items()}  # the Spark manifest lists bare paths
    (folder / "manifest.json").write_text(json.dumps(m))
    run_ok("report", folder, "-o", folder / "spark.html", "-q")
    text = (folder / "spark.html").read_text("utf-8")
    assert set(specs(folder / "spark.html")) == {"gi-reach", "gi-reach-budget", "gi-overlap", "gi-engagement"}
    assert "No intersection table" in text and "gi-map-link" not in text and 'id="gi-niches"' not in text
    assert "<td>input (follows)</td><td>follows.csv</td>" in text
