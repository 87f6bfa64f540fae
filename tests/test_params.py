"""Parameter objects: validated once, with messages that say the fix; recorded as plain values."""

from __future__ import annotations

import json

import pytest

from graphinflu.errors import InputError
from graphinflu.params import CommunityParams, LoadOptions, TargetParams, split_list


@pytest.mark.parametrize("kwargs,message", [
    ({"method": "walktrap"}, "method must be one of"),
    ({"resolution": float("nan")}, "resolution must be a positive number"),
    ({"resolution": True}, "resolution must be a positive number"),
    ({"seed": 1.5}, "seed must be an integer"),
    ({"symmetrize": "both"}, "symmetrize must be one of"),
    ({"n_iterations": 0}, "non-zero integer"),
    ({"weight": 3}, "weight must be False, True or a column name"),
    ({"engine": "networkit"}, "Leiden engine must be one of"),
    ({"method": "louvain", "engine": "igraph"}, "applies to method 'leiden'"),
])
def test_community_params_refuse(kwargs, message):
    with pytest.raises(InputError, match=message):
        CommunityParams(**kwargs)


def test_community_params_round_trip_through_json():
    p = CommunityParams(resolution=2, seed=7, engine="igraph")
    assert p.resolution == 2.0 and isinstance(p.resolution, float)
    assert CommunityParams(**json.loads(json.dumps(p.as_dict()))) == p
    assert p.replace(seed=8).seed == 8 and p.seed == 7


@pytest.mark.parametrize("kwargs,message", [
    ({"tier": "famous"}, "tier must be one of nano, micro, mid, macro, mega"),
    ({"seeds": " , "}, "the account list is empty"),
    ({"overlap_top": 1}, "overlap_top must be an integer of at least 2"),
    ({"shortlist_k": 0}, "shortlist_k must be an integer of at least 1"),
])
def test_target_params_refuse(kwargs, message):
    with pytest.raises(InputError, match=message):
        TargetParams(**kwargs)


def test_target_params_seeds_from_text_or_list():
    assert TargetParams(seeds="a, b").seeds == ("a", "b")
    assert TargetParams(seeds=["a"]).seeds == ("a",)
    assert TargetParams().seeds == () and TargetParams(tier=None).tier is None


@pytest.mark.parametrize("kwargs,message", [
    ({"direction": "both"}, "direction must be one of"),
    ({"interaction_kind": "follows"}, "interaction kind must be one of"),
    ({"delimiter": ";;"}, "one character"),
    ({"source": -1}, "0 or more"),
    ({"source": " "}, "column name is empty"),
    ({"header": "yes"}, "header must be True, False or None"),
])
def test_load_options_refuse(kwargs, message):
    with pytest.raises(InputError, match=message):
        LoadOptions("f.csv", **kwargs)


def test_load_options_paths_and_tab():
    opts = LoadOptions("f.csv", posts="p.csv", delimiter="\\t")
    assert opts.delimiter == "\t" and opts.paths() == {"follows": "f.csv", "posts": "p.csv"}
    with pytest.raises(InputError, match="no input file"):
        LoadOptions().require_input()


def test_split_list():
    assert split_list(None) is None and split_list("a,,b ") == ["a", "b"]
    with pytest.raises(InputError):
        split_list(",")


def test_an_output_that_is_an_input_is_refused(tmp_path):
    f = tmp_path / "follows.csv"
    f.write_text("a,b\n")
    opts = LoadOptions(str(f), profiles="-")
    with pytest.raises(InputError, match="is the follows input file"):
        opts.refuse_as_output(tmp_path / "." / "follows.csv")
    opts.refuse_as_output(tmp_path / "other.csv")
    opts.refuse_as_output("-")


def test_tier_bounds_from_text_and_the_tier_must_be_one_of_them():
    p = TargetParams(tier="creator", tier_bounds="small=0, creator=2k, star=1.5M")
    assert p.tier_bounds == (("small", 0.0), ("creator", 2000.0), ("star", 1_500_000.0))
    assert TargetParams().tier_bounds[1] == ("micro", 1000.0)
    with pytest.raises(InputError, match="tier must be one of small, creator"):
        TargetParams(tier="micro", tier_bounds="small=0,creator=2k")
    with pytest.raises(InputError, match="strictly increase"):
        TargetParams(tier="a", tier_bounds="a=0,b=5,c=5")
    with pytest.raises(InputError, match="NAME=LOWER"):
        TargetParams(tier_bounds="a=0,b")
