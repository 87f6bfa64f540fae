"""Published engagement benchmarks (issue #10): the shipped table's schema, the lookup by follower
count in the reports' own bands, and each creator's rate against them."""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from conftest import accounts_only
from graphinflu.errors import InputError
from graphinflu.metrics.benchmarks import (BENCHMARK_COLUMNS, NO_BENCHMARK, benchmark_for, benchmark_platforms,
                                           compare_with_benchmarks, published_benchmarks)
from graphinflu.metrics.targets import reasons
from graphinflu.metrics.tiers import engagement
from graphinflu.params import EngagementParams


def _raw_rows() -> list[dict]:
    """The shipped CSV read with the csv module, not with the code under test."""
    with (resources.files("graphinflu.data") / "engagement_benchmarks.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_shipped_row_cites_its_source():
    rows = _raw_rows()
    assert rows, "the benchmark table ships with rows"
    assert tuple(rows[0]) == BENCHMARK_COLUMNS
    for i, row in enumerate(rows, start=2):
        for col in ("platform", "band", "followers_min", "rate_percent", "basis", "definition", "publisher", "report",
                    "year", "url"):
            assert row[col].strip(), f"line {i}: empty {col}"
        assert row["url"].startswith(("https://", "http://")), f"line {i}"
        assert 2015 <= int(row["year"]) <= 2026, f"line {i}: year {row['year']}"
        assert row["year"] in row["report"], f"line {i}: the year is the one in the report's title"
        assert row["basis"] in ("followers", "views"), f"line {i}"
        assert 0 < float(row["rate_percent"]) < 100, f"line {i}"
        assert not row["followers_max"] or float(row["followers_max"]) > float(row["followers_min"]), f"line {i}"


def test_every_shipped_figure_is_quoted_in_the_provenance_note():
    """Each rate and URL appears in ENGAGEMENT_BENCHMARKS.md, where the text it was read in is quoted."""
    note = (resources.files("graphinflu.data") / "ENGAGEMENT_BENCHMARKS.md").read_text(encoding="utf-8")
    for row in _raw_rows():
        assert f"{row['rate_percent']}%" in note, row
        assert row["url"] in note, row
        assert row["report"] in note, row


def test_published_benchmarks_parses_the_shipped_table():
    t = published_benchmarks()
    assert list(t.columns) == list(BENCHMARK_COLUMNS)
    assert len(t) == len(_raw_rows())
    mega = t[(t["platform"] == "instagram") & (t["band"] == "mega")].iloc[0]
    assert mega["followers_min"] == 1e6 and np.isinf(mega["followers_max"]) and mega["rate_percent"] == 0.33
    assert benchmark_platforms() == sorted(set(t["platform"]))


@pytest.mark.parametrize("change, match", [
    ({"url": "www.example.com"}, "line 2: url"),
    ({"publisher": ""}, "line 2: empty 'publisher'"),
    ({"year": "recent"}, "line 2: year"),
    ({"basis": "reach"}, "line 2: basis"),
    ({"rate_percent": "-1"}, "line 2: rate_percent"),
    ({"followers_max": "10"}, "line 2: followers_max"),
])
def test_a_row_without_its_source_is_refused_with_its_line(tmp_path, change, match):
    rows = _raw_rows()
    rows[0].update(change)
    path = tmp_path / "b.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=BENCHMARK_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(InputError, match=match):
        published_benchmarks(path)
    path.write_text("platform,rate_percent\ninstagram,1\n")
    with pytest.raises(InputError, match="lacks column"):
        published_benchmarks(path)


def test_lookup_by_follower_count_in_the_reports_bands():
    """HypeAuditor 2026 (Instagram): nano 1K–10K 1.78 %, micro 10K–50K 0.54 %, mega 1M+ 0.33 %; the
    2023 nano figure (2.78 %) is older and loses. Lower bounds included, upper excluded."""
    counts = [0, 999, 1_000, 9_999, 10_000, 49_999, 50_000, 999_999, 1_000_000, 5e7]
    b = benchmark_for(counts)
    assert b["engagement_benchmark"].tolist() == pytest.approx(
        [np.nan, np.nan, 0.0178, 0.0178, 0.0054, 0.0054, np.nan, np.nan, 0.0033, 0.0033], nan_ok=True)
    assert b["engagement_benchmark_source"].iloc[2] == "Instagram 1K–10K followers (HypeAuditor 2026)"
    assert b["engagement_benchmark_source"].iloc[8] == "Instagram 1M+ followers (HypeAuditor 2026)"
    assert b["engagement_benchmark_source"].iloc[6] == NO_BENCHMARK
    # a Series keeps its index
    s = benchmark_for(pd.Series([5_000], index=["x"]), platform="Instagram")
    assert list(s.index) == ["x"] and s.loc["x", "engagement_benchmark"] == pytest.approx(0.0178)


def test_graphinflu_tiers_map_to_report_bands_by_follower_count():
    """graphinflu's micro tier (1,000–50,000) spans the reports' nano and micro bands: two micro
    creators of different size are held to different published rates; nano (< 1,000), mid and
    macro have none."""
    g = accounts_only(pd.DataFrame({"followers": [500, 5_000, 40_000, 200_000, 700_000, 3_000_000]},
                                   index=["n", "m1", "m2", "mid", "mac", "meg"]))
    posts = pd.DataFrame({"owner": list(g.ids), "likes": [10] * 6, "comments": [0] * 6})
    eng = engagement(g, posts)
    assert eng["tier"].astype(str).tolist() == ["nano", "micro", "micro", "mid", "macro", "mega"]
    cmp = compare_with_benchmarks(eng)
    assert cmp["engagement_benchmark"].tolist() == pytest.approx([np.nan, 0.0178, 0.0054, np.nan, np.nan, 0.0033],
                                                                nan_ok=True)


def test_versus_benchmark_is_the_shrunk_rate_over_the_published_one():
    """a: 5,000 followers, 2 posts at 100 likes → raw 0.02; b: 20,000 followers, 2 posts at 200 →
    0.01. Both are micro, so both are shrunk; the ratio is the shrunk rate over the rate of each
    one's own band (a: 1.78 %, b: 0.54 %)."""
    g = accounts_only(pd.DataFrame({"followers": [5_000, 20_000, 800]}, index=["a", "b", "c"]))
    posts = pd.DataFrame({"owner": ["a", "a", "b", "b"], "likes": [100, 100, 200, 200], "comments": [0] * 4})
    eng = engagement(g, posts)
    cmp = compare_with_benchmarks(eng)
    assert cmp.loc["a", "engagement_vs_benchmark"] == pytest.approx(eng.loc["a", "engagement_rate_shrunk"] / 0.0178)
    assert cmp.loc["b", "engagement_vs_benchmark"] == pytest.approx(eng.loc["b", "engagement_rate_shrunk"] / 0.0054)
    # c has no post (unknown rate) and no published band (800 followers)
    assert np.isnan(cmp.loc["c", "engagement_vs_benchmark"]) and np.isnan(cmp.loc["c", "engagement_benchmark"])
    assert list(cmp.columns) == ["engagement_benchmark", "engagement_vs_benchmark", "engagement_benchmark_source"]


def test_per_view_benchmarks_are_never_compared_with_per_follower_rates():
    """HypeAuditor's TikTok rate divides by views; graphinflu's by followers: no comparison."""
    b = benchmark_for([5_000], platform="tiktok")
    assert np.isnan(b["engagement_benchmark"].iloc[0])
    assert b["engagement_benchmark_source"].iloc[0] == f"{NO_BENCHMARK} on a follower basis"
    with pytest.raises(InputError, match="platform 'myspace'"):
        benchmark_for([5_000], platform="myspace")


def test_why_quotes_the_published_rate_for_the_creators_size():
    g = accounts_only(pd.DataFrame({"followers": [5_000, 60_000, 5_000]}, index=["a", "b", "c"]))
    posts = pd.DataFrame({"owner": ["a", "a", "b"], "likes": [100, 80, 600], "comments": [0, 20, 0]})
    eng = engagement(g, posts)
    t = eng.join(compare_with_benchmarks(eng)).assign(niche_authority=[0.97, 0.5, 0.5], community=[0, 0, 1])
    why = reasons(t)
    shrunk = 100 * t.loc["a", "engagement_rate_shrunk"]
    assert why["a"] == (f"top 3% authority in niche 0; engagement {shrunk:.1f}% (shrunk from 2.0% on 2 posts; "
                        "percentile 100 in tier) vs 1.78% published for Instagram 1K–10K followers (HypeAuditor 2026)")
    assert why["b"].endswith("percentile 100 in tier) (no published benchmark)")
    assert why["c"].endswith("; no rated posts")
    # without the benchmark columns the sentence is the one before
    assert "published" not in reasons(t.drop(columns=["engagement_benchmark", "engagement_benchmark_source"]))["a"]


def test_engagement_params_validate_the_platform():
    assert EngagementParams().platform == "instagram"
    assert EngagementParams(platform="TikTok").platform == "tiktok"
    assert EngagementParams(platform="none").platform is None and EngagementParams(platform=None).platform is None
    with pytest.raises(InputError, match="instagram, tiktok, or none"):
        EngagementParams(platform="twitter")
