"""The recency window of engagement (issue #10, --since/--until): inclusive/exclusive bounds,
timezones, posts without a timestamp counted and reported, and the CLI and manifest."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import accounts_only
from graphinflu import _io
from graphinflu.cli import cli
from graphinflu.errors import InputError
from graphinflu.loaders import read_posts
from graphinflu.metrics.tiers import engagement
from graphinflu.params import EngagementParams

JAN1 = 1_704_067_200.0  # 2024-01-01T00:00:00Z
DAY = 86_400.0


def _graph():
    return accounts_only(pd.DataFrame({"followers": [1_000, 1_000]}, index=["a", "b"]))


def _posts() -> pd.DataFrame:
    """a: posts at Dec 31 23:59:59, Jan 1 00:00:00, Jan 2 12:00, Jan 3 00:00:00 (likes 1, 10, 100,
    1000) and one undated post (likes 7). b: one post on Jan 2 (likes 50)."""
    return pd.DataFrame({
        "owner": ["a", "a", "a", "a", "a", "b"],
        "likes": [1, 10, 100, 1000, 7, 50],
        "comments": [0] * 6,
        "timestamp": [JAN1 - 1, JAN1, JAN1 + 1.5 * DAY, JAN1 + 2 * DAY, np.nan, JAN1 + DAY],
    })


def test_since_is_included_and_until_excluded():
    """Window [Jan 1, Jan 3): a keeps the Jan 1 00:00:00 post (10) and Jan 2 (100); the post one
    second before Jan 1 and the one at exactly Jan 3 are out → 2 posts, mean 55 likes, rate 0.055."""
    e = engagement(_graph(), _posts(), since="2024-01-01", until="2024-01-03")
    assert e.loc["a", "posts_counted"] == 2
    assert e.loc["a", "mean_likes"] == pytest.approx(55.0)
    assert e.loc["a", "engagement_rate"] == pytest.approx(0.055)
    assert e.loc["b", "posts_counted"] == 1
    # the undated post is not counted, but it is counted as undated
    assert e["posts_undated"].tolist() == [1, 0]
    # only since / only until
    assert engagement(_graph(), _posts(), since="2024-01-03").loc["a", "posts_counted"] == 1
    assert engagement(_graph(), _posts(), until="2024-01-01").loc["a", "posts_counted"] == 1
    assert engagement(_graph(), _posts(), until="2024-01-01T00:00:01").loc["a", "posts_counted"] == 2


def test_without_a_window_every_post_counts_and_there_is_no_undated_column():
    e = engagement(_graph(), _posts())
    assert e.loc["a", "posts_counted"] == 5 and "posts_undated" not in e.columns


def test_timezones_are_converted_to_utc():
    """A post at 2024-01-01T00:30+01:00 is 2023-12-31T23:30Z: outside since=2024-01-01 (UTC), inside
    since=2024-01-01T00:00+01:00 (= 2023-12-31T23:00Z). Text without an offset is UTC."""
    posts = pd.DataFrame({"owner": ["a", "a", "b"], "likes": [10, 20, 5], "comments": [0, 0, 0],
                          "timestamp": ["2024-01-01T00:30:00+01:00", "2024-01-01T00:00:00", "2023-12-31T23:59:59Z"]})
    e = engagement(_graph(), posts, since="2024-01-01")
    assert e["posts_counted"].tolist() == [1, 0] and e.loc["a", "mean_likes"] == 20
    e = engagement(_graph(), posts, since="2024-01-01T00:00:00+01:00")
    assert e["posts_counted"].tolist() == [2, 1]
    # datetime columns (naive = UTC, aware converted) and datetime bounds
    dt = posts.assign(timestamp=pd.to_datetime(posts["timestamp"], utc=True, format="mixed"))
    e = engagement(_graph(), dt, since=pd.Timestamp("2024-01-01T00:00:00", tz="Europe/Berlin"))
    assert e["posts_counted"].tolist() == [2, 1]


def test_undated_posts_are_reported_and_a_table_without_dates_is_refused():
    posts = _posts()
    e = engagement(_graph(), posts.assign(timestamp=[JAN1, np.nan, np.nan, JAN1, np.nan, np.nan]), since="2024-01-01")
    assert e["posts_undated"].tolist() == [3, 1] and e["posts_counted"].tolist() == [2, 0]
    # b has no counted post in the window: unknown, not 0
    assert not e.loc["b", "engagement_known"] and np.isnan(e.loc["b", "engagement_rate_shrunk"])
    # a post with hidden likes is not counted, dated or not
    hidden = posts.assign(likes=[1, 10, 100, 1000, np.nan, 50])
    assert engagement(_graph(), hidden, since="2024-01-01")["posts_undated"].tolist() == [0, 0]
    with pytest.raises(InputError, match="no post has a timestamp"):
        engagement(_graph(), posts.assign(timestamp=np.nan), since="2024-01-01")
    with pytest.raises(InputError, match="needs a 'timestamp' column"):
        engagement(_graph(), posts.drop(columns="timestamp"), since="2024-01-01")


def test_bad_windows_are_refused():
    with pytest.raises(InputError, match="window is empty"):
        engagement(_graph(), _posts(), since="2024-02-01", until="2024-01-01")
    with pytest.raises(InputError, match="must be a date"):
        engagement(_graph(), _posts(), since="yesterday-ish")
    prof = accounts_only(pd.DataFrame({"followers": [2_000], "likes": [400], "comments": [100], "posts": [10]},
                                      index=["a"]))
    with pytest.raises(InputError, match="needs a posts table"):
        engagement(prof, since="2024-01-01")


def test_read_posts_turns_iso_dates_into_epoch_seconds():
    """pandas 3 parses text to microseconds: the loader must still return seconds."""
    _io._stdin_cache["-"] = (b"owner,likes,comments,created_at\nana,1,2,2024-01-01T01:00:00+01:00\n"
                             b"bo,1,1,2024-01-02\ncy,1,1,\n")
    try:
        ts = read_posts("-")["timestamp"].tolist()
    finally:
        _io._stdin_cache.clear()
    assert ts[:2] == [JAN1, JAN1 + DAY] and np.isnan(ts[2])


def test_engagement_params_normalise_the_window():
    p = EngagementParams(since="2024-01-01T01:00+01:00", until=JAN1 + DAY)
    assert p.as_dict() == {"since": "2024-01-01T00:00:00Z", "until": "2024-01-02T00:00:00Z", "platform": "instagram"}
    assert p.window and not EngagementParams().window
    with pytest.raises(InputError, match="is not before --until"):
        EngagementParams(since="2024-01-02", until="2024-01-02")


def test_analyze_since_and_platform_reach_the_tables_and_the_manifest(tmp_path):
    """c0 (5,000 profile followers) posts on Jan 2 (100 likes) and Dec 1 (900 likes), and once
    undated; with --since 2024-01-01 only the Jan 2 post counts: raw rate 100/5,000 = 0.02, compared
    with HypeAuditor's 1.78 % for 1K–10K followers."""
    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"f{i},c{i % 3}\n" for i in range(30)))
    prof = tmp_path / "p.csv"
    prof.write_text("id,followers\n" + "".join(f"c{i},{f}\n" for i, f in enumerate((5_000, 20_000, 70_000))))
    posts = tmp_path / "posts.csv"
    posts.write_text("owner,likes,comments,timestamp\nc0,100,0,2024-01-02T10:00:00Z\nc0,900,0,2023-12-01\n"
                     "c0,5,0,\nc1,300,0,2024-02-01\nc2,700,0,2024-02-01\n")
    out = tmp_path / "o"
    res = CliRunner().invoke(cli, ["analyze", str(edges), "--profiles", str(prof), "--posts", str(posts), "--since",
                                   "2024-01-01", "--tier", "all", "-o", str(out), "--no-map"])
    assert res.exit_code == 0, res.output
    acc = pd.read_csv(out / "accounts.csv", dtype={"id": str}).set_index("id")
    assert acc.loc["c0", "posts_counted"] == 1 and acc.loc["c0", "posts_undated"] == 1
    assert acc.loc["c0", "engagement_rate"] == pytest.approx(0.02)
    assert acc.loc["c0", "engagement_benchmark"] == pytest.approx(0.0178)
    assert acc.loc["c0", "engagement_vs_benchmark"] == pytest.approx(acc.loc["c0", "engagement_rate_shrunk"] / 0.0178)
    assert acc.loc["c1", "engagement_benchmark"] == pytest.approx(0.0054)
    assert np.isnan(acc.loc["c2", "engagement_benchmark"])
    assert acc.loc["c2", "engagement_benchmark_source"] == "no published benchmark"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["engagement"] == {"since": "2024-01-01T00:00:00Z", "until": None,
                                                    "platform": "instagram"}
    assert any("1 posts have no timestamp" in n and "1 posts fall outside" in n for n in manifest["notes"])
    assert "posts_undated" in res.stderr
    why = pd.read_csv(out / "targets.csv", dtype={"id": str}).set_index("id")["why"]
    assert "vs 1.78% published for Instagram 1K–10K followers (HypeAuditor 2026)" in why["c0"]
    # --platform none: no benchmark columns; a bad platform is one clear line
    res = CliRunner().invoke(cli, ["analyze", str(edges), "--profiles", str(prof), "--posts", str(posts),
                                   "--platform", "none", "-o", str(tmp_path / "n"), "--no-map", "-q"])
    assert res.exit_code == 0, res.output
    assert "engagement_benchmark" not in pd.read_csv(tmp_path / "n" / "accounts.csv").columns
    res = CliRunner().invoke(cli, ["analyze", str(edges), "--since", "2024-01-01", "-o", str(tmp_path / "s"), "-q"])
    assert res.exit_code != 0 and "no posts table" in res.output and not (tmp_path / "s").exists()
    res = CliRunner().invoke(cli, ["analyze", str(edges), "--posts", str(posts), "--platform", "vine",
                                   "-o", str(tmp_path / "v"), "--no-map", "-q"])
    assert res.exit_code != 0 and "instagram, tiktok, or none" in res.output and "Traceback" not in res.output


@pytest.mark.shared_data
def test_instagram_window_counts_match_pandas(shared):
    """On the real post sample (timestamps 2012–2019, epoch seconds): the posts counted with
    --since 2019-01-01 are exactly pandas' count of posts of listed owners at or after that instant,
    and every rated creator with 1,000–50,000 or 1M+ followers gets a published benchmark.
    Usernames become row ids in memory only."""
    from graphinflu.metrics.benchmarks import compare_with_benchmarks

    raw = pd.read_csv(shared / "instagram-influencers" / "influencers.txt.gz", sep="\t", skiprows=[1])
    ids = [f"r{i}" for i in range(len(raw))]
    g = accounts_only(pd.DataFrame({"followers": raw["#Followers"].to_numpy()}, index=ids))
    posts = pd.read_csv(shared / "instagram-influencers" / "instagram_posts.tsv.gz", sep="\t",
                        usecols=["owner_username", "likes", "comments", "taken_at_timestamp"])
    posts["owner"] = posts.pop("owner_username").map(dict(zip(raw["Username"], ids)))
    posts = posts.dropna(subset=["owner"]).rename(columns={"taken_at_timestamp": "timestamp"})
    e = engagement(g, posts, since="2019-01-01")
    since = pd.Timestamp("2019-01-01", tz="UTC").value / 1e9
    inside = posts[(posts["timestamp"] >= since) & posts["likes"].notna() & posts["comments"].notna()]
    assert e["posts_counted"].sum() == len(inside) > 0
    assert e.loc[inside["owner"].value_counts().index, "posts_counted"].to_numpy() == \
        pytest.approx(inside["owner"].value_counts().to_numpy())
    assert e["posts_undated"].sum() == posts["timestamp"].isna().sum()
    cmp = compare_with_benchmarks(e)
    f = e["followers"]
    covered = e["rated"] & (f.between(1_000, 49_999) | (f >= 1_000_000))
    assert cmp.loc[covered, "engagement_vs_benchmark"].notna().all()
    assert cmp.loc[~covered, "engagement_vs_benchmark"].isna().all()
