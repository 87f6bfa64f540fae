"""From files to one Graph: the loading step every command shares."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import InputError
from .graph import Graph, _empty_edges
from .loaders.edges import read_edges, read_interactions
from .loaders.formats import read_graph
from .loaders.posts import posts_to_graph, read_posts
from .loaders.profiles import read_profiles
from .params import LoadOptions


@dataclass
class Inputs:
    """The loaded graph plus the posts table (engagement needs per-post likes and comments)."""

    graph: Graph
    posts: pd.DataFrame | None = None


def load_inputs(options: LoadOptions, *, weight_col: str | int | None = None) -> Inputs:
    """Read every input ``options`` names and merge them into one graph.

    The follow edge list (any format :func:`~graphinflu.loaders.formats.read_graph` knows) comes
    first; interactions, posts (as interaction edges, plus the posts table for engagement) and
    profiles are merged into it. ``graph.report`` lists everything skipped or changed, per file.
    With ``weight_col``, the follow file is read as weighted interactions (``mentions``) whose
    ``weight_col`` column is the edge weight (``graphinflu communities --weight-col``).

    Raises
    ------
    InputError
        No input at all, or a file that cannot be read (the message names file, line and fix).
    """
    options.require_input()
    graph = None
    if options.follows is not None and weight_col is not None:
        graph = read_edges(options.follows, source=options.source, target=options.target, direction=options.direction,
                           delimiter=options.delimiter, header=options.header, weight=weight_col, kind="mentions")
    elif options.follows is not None:
        graph = read_graph(options.follows, source=options.source, target=options.target,
                           direction=options.direction, delimiter=options.delimiter, header=options.header)
    if options.interactions is not None:
        inter = read_interactions(options.interactions, kind=options.interaction_kind)
        graph = inter if graph is None else graph.merge(inter)
    posts_df = None
    if options.posts is not None:
        posts_df = read_posts(options.posts)
        pg = posts_to_graph(posts_df)
        graph = pg if graph is None else graph.merge(pg)
    if options.profiles is not None:
        prof = read_profiles(options.profiles)
        if graph is None:
            graph = Graph(prof, _empty_edges())
        else:
            before = graph.n_accounts
            graph = graph.with_accounts(prof)
            outside = graph.n_accounts - before  # profile ids are unique, so the new ones are the outsiders
            rep = prof.attrs.get("report")
            if rep is not None:
                graph.report.extend(rep)
            graph.report.add(options.profiles, outside, "profile rows are accounts with no edge in the graph: kept "
                                                        "as accounts without followers")
    if graph is None:  # require_input() guarantees a file; kept so a future role cannot slip through
        raise InputError("nothing to load", hint="give a follow edge list FILE, or --interactions/--posts/--profiles")
    return Inputs(graph, posts_df)
