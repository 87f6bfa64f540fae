"""One identity per account: ids and handles from every input resolve to the same account."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu.accounts import account_table
from graphinflu.cli import cli
from graphinflu.errors import InputError
from graphinflu.generate import generate, write_generated
from graphinflu.identity import AMBIGUOUS, BY_HANDLE, BY_ID, UNRESOLVED, Identity
from graphinflu.metrics.targets import targets
from graphinflu.params import LoadOptions
from graphinflu.pipeline import load_inputs

PROFILES = """id,handle,followers
101,Fit_Ana,5000
102,@tech_bo,3000
103,cy,2000
104,dee,1500
"""
FOLLOWS = """source,target
201,101
202,101
203,102
201,103
202,104
101,102
"""
# owners by id and by handle; mentions by handle in any spelling, plus a name nobody has
POSTS = """owner,likes,comments,mentions
101,10,1,@TECH_BO ghost
fit_ana,12,2,cy
102,8,0,@Fit_Ana
103,5,1,@dee
"""
INTERACTIONS = """source,target,kind
@Fit_Ana,102,comments
 CY ,101,likes
"""


@pytest.fixture()
def small(tmp_path) -> LoadOptions:
    for name, text in (("profiles", PROFILES), ("follows", FOLLOWS), ("posts", POSTS), ("interactions", INTERACTIONS)):
        (tmp_path / f"{name}.csv").write_text(text)
    return LoadOptions(follows=str(tmp_path / "follows.csv"), profiles=str(tmp_path / "profiles.csv"),
                       posts=str(tmp_path / "posts.csv"), interactions=str(tmp_path / "interactions.csv"))


def test_identity_rule_id_first_then_normalised_handle():
    ident = Identity(["1", "2", "3", "fit"], ["Fit", "@Zed", "zed", "other"])
    r = ident.resolve(["fit", " @FIT ", "2", " 3", "ZED", "nobody"])
    assert r.ids.tolist() == ["fit", "1", "2", "3", "ZED", "nobody"]
    assert r.status.tolist() == [BY_ID, BY_HANDLE, BY_ID, BY_ID, AMBIGUOUS, UNRESOLVED]
    assert r.candidates == {"zed": ["2", "3"]}


def test_small_inputs_resolve_to_one_account_each(small):
    g = load_inputs(small).graph
    profile_ids = {"101", "102", "103", "104"}
    follow_ends = {"201", "202", "203"}
    assert set(g.ids) == profile_ids | follow_ends | {"ghost"}  # no phantom fit_ana, tech_bo, cy, dee
    mentions = g.edge_table("mentions")
    assert set(zip(mentions["source"], mentions["target"])) == {
        ("101", "102"), ("101", "ghost"), ("101", "103"), ("102", "101"), ("103", "104")}
    assert mentions.set_index(["source", "target"]).loc[("101", "103"), "weight"] == 1.0
    inter = g.edge_table(["comments", "likes"])
    assert set(zip(inter["source"], inter["target"], inter["kind"])) == {("101", "102", "comments"),
                                                                         ("103", "101", "likes")}
    assert g.accounts["unresolved"].to_dict() == {i: i == "ghost" for i in g.ids}
    assert "posts.csv: 1 mentioned names match no account id or handle: kept as unresolved accounts, never ranked " \
           "as targets" in "\n".join(g.report.lines())


def test_posts_by_handle_count_for_the_creator(small):
    inputs = load_inputs(small)
    table = account_table(inputs.graph, posts=inputs.posts).accounts
    assert table.loc["101", "posts_counted"] == 2  # one post by id, one by handle


def test_unresolved_accounts_are_never_targets(small):
    inputs = load_inputs(small)
    table = account_table(inputs.graph, posts=inputs.posts).accounts
    ranked = targets(table, tier=None)
    assert "ghost" in table.index and "ghost" not in ranked.index
    assert set(ranked.index) == set(table.index) - {"ghost"}


def test_positions_take_handles_in_any_case_with_at_and_spaces(small):
    g = load_inputs(small).graph
    ids = list(g.ids)
    assert list(g.positions([" @FIT_ANA ", "Tech_Bo", "103", "@CY"])) == [ids.index(i) for i in ("101", "102", "103",
                                                                                                   "103")]


def test_ambiguous_handle_named_by_user_lists_every_candidate(tmp_path):
    (tmp_path / "p.csv").write_text("id,handle\n1,Zed\n2,@zed\n3,amy\n")
    (tmp_path / "f.csv").write_text("source,target\n1,3\n2,3\n")
    g = load_inputs(LoadOptions(follows=str(tmp_path / "f.csv"), profiles=str(tmp_path / "p.csv"))).graph
    with pytest.raises(InputError, match=r"'zed' is the handle of 1, 2") as err:
        g.positions(["@ZED"], what="brand accounts")
    assert err.value.candidates == {"zed": ["1", "2"]}
    assert list(g.positions(["1", "@amy"])) == [list(g.ids).index("1"), list(g.ids).index("3")]


def test_ambiguous_handle_in_posts_is_counted_and_kept_apart(tmp_path):
    (tmp_path / "p.csv").write_text("id,handle\n1,Zed\n2,@zed\n3,amy\n")
    (tmp_path / "f.csv").write_text("source,target\n1,3\n2,3\n")
    (tmp_path / "posts.csv").write_text("owner,likes,comments,mentions\namy,1,0,@zed\n")
    g = load_inputs(LoadOptions(follows=str(tmp_path / "f.csv"), profiles=str(tmp_path / "p.csv"),
                                posts=str(tmp_path / "posts.csv"))).graph
    text = "\n".join(g.report.lines())
    assert "1 mentioned names are handles shared by several accounts ('zed': 1, 2)" in text
    assert g.accounts.loc["zed", "unresolved"] and not g.accounts.loc[["1", "2", "3"], "unresolved"].any()


# ----------------------------------------------------------------------------- generated data
@pytest.fixture(scope="module")
def gen(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    write_generated(generate(20_000, seed=11), out)
    return out


def test_generated_mentions_land_on_creators_without_phantoms(gen):
    prof = pd.read_csv(gen / "profiles.csv", dtype=str)
    follows = pd.read_csv(gen / "follows.csv", dtype=str)
    posts = pd.read_csv(gen / "posts.csv", dtype=str, keep_default_na=False)
    g = load_inputs(LoadOptions(follows=str(gen / "follows.csv"), profiles=str(gen / "profiles.csv"),
                                posts=str(gen / "posts.csv"))).graph
    real = set(prof["id"]) | set(follows["source"]) | set(follows["target"])
    assert g.n_accounts == len(real) and set(g.ids) == real
    assert "unresolved" not in g.accounts
    by_handle = dict(zip(prof["handle"].str.lower(), prof["id"]))
    pairs = posts.assign(m=posts["mentions"].str.split()).explode("m").dropna(subset=["m"])
    pairs = pairs[pairs["m"] != ""]
    assert len(pairs) > 100
    expected = set(zip(pairs["owner"], pairs["m"].str.lower().map(by_handle)))
    expected = {(s, t) for s, t in expected if s != t}
    got = g.edge_table("mentions")
    assert set(zip(got["source"], got["target"])) == expected


def _analyze(gen: Path, out: Path, brand: str) -> bytes:
    res = CliRunner().invoke(cli, ["analyze", str(gen / "follows.csv"), "--profiles", str(gen / "profiles.csv"),
                                   "--posts", str(gen / "posts.csv"), "--brand", brand, "--no-map", "-q",
                                   "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return (out / "targets.csv").read_bytes()


def test_generated_brand_by_handle_and_by_id_give_the_same_targets(gen, tmp_path):
    prof = pd.read_csv(gen / "profiles.csv", dtype=str)
    brand = prof[prof["category"] == prof["category"].iloc[0]].head(5)
    by_id = _analyze(gen, tmp_path / "ids", ",".join(brand["id"]))
    by_handle = _analyze(gen, tmp_path / "handles", ",".join(brand["handle"]))
    assert by_id == by_handle
    one_id = _analyze(gen, tmp_path / "one-id", brand["id"].iloc[0])
    one_at = _analyze(gen, tmp_path / "one-at", f" @{brand['handle'].iloc[0].upper()} ")
    assert one_id == one_at
    assert by_id != one_id  # the brand moves the table, so equality above is not vacuous


def test_the_map_draws_a_brand_named_by_handle(gen, tmp_path):
    """The map resolved brand names with a rule of its own: `--brand @HANDLE` passed the analysis
    and then failed in the map step ("not found in the graph"). It now uses the identity rule."""
    prof = pd.read_csv(gen / "profiles.csv", dtype=str)
    handle, bid = prof["handle"].iloc[0], prof["id"].iloc[0]
    out = tmp_path / "o"
    res = CliRunner().invoke(cli, ["analyze", str(gen / "follows.csv"), "--profiles", str(gen / "profiles.csv"),
                                   "--posts", str(gen / "posts.csv"), "--brand", f"@{handle.upper()}", "-q",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = (out / "map.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="gi-data">(.*?)</script>', html, re.S).group(1))
    assert [n["id"] for n in data["nodes"] if n.get("borderWidth") == 5] == [bid]  # the brand ring
