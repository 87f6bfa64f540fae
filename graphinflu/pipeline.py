"""From files to one Graph: the loading step every CLI command shares."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from .graph import Graph, _empty_edges


@dataclass
class Inputs:
    """The loaded graph plus the posts table (engagement needs per-post likes and comments)."""

    graph: Graph
    posts: pd.DataFrame | None = None


def load_graph(
    follows: str | os.PathLike | None,
    *,
    profiles: str | os.PathLike | None = None,
    interactions: str | os.PathLike | None = None,
    interaction_kind: str = "mentions",
    posts: str | os.PathLike | None = None,
    source: str | int | None = None,
    target: str | int | None = None,
    direction: str = "follower-followed",
    delimiter: str | None = None,
    header: bool | None = None,
) -> Inputs:
    """Read the follow edge list (any format :func:`~graphinflu.loaders.formats.read_graph` knows)
    and merge interactions, posts (as interaction edges) and profiles into one graph."""
    from .loaders.edges import read_interactions
    from .loaders.formats import read_graph

    graph = None
    if follows is not None:
        graph = read_graph(follows, source=source, target=target, direction=direction, delimiter=delimiter,
                           header=header)
    if interactions is not None:
        inter = read_interactions(interactions, kind=interaction_kind)
        graph = inter if graph is None else graph.merge(inter)
    posts_df = None
    if posts is not None:
        from .loaders.posts import posts_to_graph, read_posts

        posts_df = read_posts(posts)
        pg = posts_to_graph(posts_df)
        graph = pg if graph is None else graph.merge(pg)
    if profiles is not None:
        from .loaders.profiles import read_profiles

        prof = read_profiles(profiles)
        if graph is None:
            graph = Graph(prof, _empty_edges())
        else:
            before = graph.n_accounts
            graph = graph.with_accounts(prof)
            outside = graph.n_accounts - before  # profile ids are unique, so the new ones are the outsiders
            rep = prof.attrs.get("report")
            if rep is not None:
                graph.report.extend(rep)
            graph.report.add(profiles, outside, "profile rows are accounts with no edge in the graph: kept as "
                                                "accounts without followers")
    if graph is None:
        from .errors import InputError

        raise InputError("nothing to load", hint="give a follow edge list FILE, or --interactions/--posts/--profiles")
    return Inputs(graph, posts_df)
