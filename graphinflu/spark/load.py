"""From files to one Spark graph: the loading step every Spark command shares, in the order of
the local engine's (:func:`graphinflu.pipeline.load_inputs`).

1. The follow list, read and encoded (:func:`graphinflu.spark.reader.read_follows`).
2. With ``--profiles``: its names matched to the profiles (by id, else handle), before any other
   name is resolved (:func:`graphinflu.spark.profiles.match_profiles`).
3. ``--interactions``: their accounts appended, their edges encoded
   (:func:`graphinflu.spark.interactions.attach_interactions`).
4. ``--posts``: owners and the accounts posts name appended, the interaction edges they make
   (:func:`graphinflu.spark.post_graph.attach_posts`).
5. The profile rows that are no account yet appended (:func:`graphinflu.spark.profiles.append_profiles`).

Names in steps 3 and 4 resolve against the follow list's accounts and the profiles, as locally;
accounts keep the local numbering, so PageRank's ``N`` and every tie broken by account order are
the local engine's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..params import LoadOptions
from .interactions import SparkInteractions, attach_interactions
from .post_graph import SparkPosts, attach_posts, combine
from .profiles import append_profiles, match_profiles
from .reader import SparkGraph, read_follows


@dataclass
class SparkInputs:
    """What :func:`read_inputs` read.

    Attributes
    ----------
    graph : SparkGraph
        Every account (follow list, interactions, posts, profiles), the follow edges.
    profiles : DataFrame or None
    interactions : SparkInteractions or None
        The interaction edges of ``--interactions`` and of the posts together, and the accounts
        flagged unresolved by either.
    posts : SparkPosts or None
        The posts' per-owner columns and owner codes.
    """

    graph: SparkGraph
    profiles: pd.DataFrame | None
    interactions: SparkInteractions | None
    posts: SparkPosts | None

    @property
    def unresolved(self) -> np.ndarray:
        """Ids of the accounts the local engine flags ``unresolved``."""
        parts = [x.unresolved for x in (self.interactions, self.posts) if x is not None]
        return pd.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=object)


def read_inputs(spark, load: LoadOptions, *, with_tables: bool = True) -> SparkInputs:
    """Read every input ``load`` names with Spark, in the local engine's order (see the module).

    Raises
    ------
    InputError
        The local engine's messages for a missing, unreadable or malformed input.
    """
    sg = read_follows(spark, load, with_tables=with_tables)
    prof = None
    if load.profiles is not None:
        sg, prof = match_profiles(sg, load.profiles)
    n_known = sg.n_accounts
    inter = posted = None
    if load.interactions is not None:
        sg, inter = attach_interactions(sg, load, prof)
    if load.posts is not None:
        sg, posted = attach_posts(sg, load.posts, prof, n_known=n_known, inter=inter)
    if prof is not None:
        sg = append_profiles(sg, prof, load.profiles)
    return SparkInputs(sg, prof, combine(inter, posted), posted)
