"""The demo's brand-fit part: a brand target stated by handles, run end to end on generated data
whose brand was planted, so the targets can be checked against the creators that truly fit.

The bundled real dataset (follower sets of 100 accounts) has no brand, profiles or posts; the
generator's planted brand (:func:`graphinflu.generate.generate` with ``brand=True``) has all of
them and its ground truth.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .generate import generate, write_generated
from .params import BrandTarget, LoadOptions, TargetParams

#: Follow edges of the demo's generated brand data (a few seconds end to end).
DEMO_BRAND_EDGES = 100_000
#: Its seed (the seed tests/test_brand.py measures precision on).
DEMO_BRAND_SEED = 3


def brand_demo_inputs(out_dir: str | Path) -> tuple[LoadOptions, TargetParams, list[str]]:
    """Generate the planted-brand data into ``out_dir/data`` and state its brand as a strategist
    would: the brand's and competitors' handles and its interests.

    Returns the inputs to load, the target, and the ids of the creators that truly fit.
    """
    data = generate(DEMO_BRAND_EDGES, seed=DEMO_BRAND_SEED, brand=True)
    paths = write_generated(data, Path(out_dir) / "data")
    planted = data.brand
    handle = planted.handles
    brand = BrandTarget(accounts=["@" + handle[a] for a in planted.accounts],
                        competitors=["@" + handle[a] for a in planted.competitors],
                        interests=planted.interests)
    load = LoadOptions(follows=str(paths["follows"]), interactions=str(paths["interactions"]),
                       profiles=str(paths["profiles"]), posts=str(paths["posts"]))
    return load, TargetParams(brand=brand), list(planted.fit)


def precision_at(targets: pd.DataFrame, truth, k: int = 20) -> float:
    """Share of the first ``k`` rows of a targets table whose id is in ``truth``.

    >>> precision_at(pd.DataFrame(index=["a", "b", "c", "d"]), ["a", "d", "x"], k=2)
    0.5
    """
    top = list(targets.index[:k])
    return sum(1 for i in top if i in set(map(str, truth))) / max(len(top), 1)
