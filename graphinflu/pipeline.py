"""From files to one Graph: the loading step every command shares."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._report import LoadReport
from .errors import InputError
from .graph import Graph, _empty_edges
from .identity import AMBIGUOUS, UNRESOLVED, Identity, Resolution
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

    With profiles, every name is resolved by :mod:`graphinflu.identity`'s rule (exact id, else
    handle without case, ``@`` or surrounding spaces) before edges are built: follow endpoints,
    interaction endpoints, post owners and the accounts posts mention, tag or sponsor. Names that
    match no account, or a handle several profiles share, stay accounts of their own; those from
    interactions and posts are counted in ``graph.report`` and flagged by an ``unresolved``
    column (True only for them; present only when there is one), so targets never rank them.
    Without profiles, names are ids as written.

    Raises
    ------
    InputError
        No input at all, or a file that cannot be read (the message names file, line and fix).
    """
    options.require_input()
    # Profiles and posts do not depend on the follow graph until names are resolved: read them
    # beside it: pyarrow's parsers release the GIL, so the second core is not idle meanwhile.
    pool = ThreadPoolExecutor(2, thread_name_prefix="graphinflu-read")
    try:
        pending = {name: pool.submit(reader, path) for name, reader, path in
                   (("profiles", read_profiles, options.profiles), ("posts", read_posts, options.posts))
                   if path is not None}
        return _load(options, weight_col, pending)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # on an error in one file, do not wait for the others


def _load(options: LoadOptions, weight_col, pending: dict[str, Future]) -> Inputs:
    graph = None
    if options.follows is not None and weight_col is not None:
        graph = read_edges(options.follows, source=options.source, target=options.target, direction=options.direction,
                           delimiter=options.delimiter, header=options.header, weight=weight_col, kind="mentions")
    elif options.follows is not None:
        graph = read_graph(options.follows, source=options.source, target=options.target,
                           direction=options.direction, delimiter=options.delimiter, header=options.header)
    prof = pending["profiles"].result() if "profiles" in pending else None
    identity = None
    flagged: list[np.ndarray] = []
    if prof is not None:
        if graph is not None:  # follow endpoints given as handles become the profiles' accounts
            graph = _resolve_graph(graph, Identity.of_accounts(prof), options.follows, kind="follow")[0]
        identity = _known_accounts(prof, graph)
    if options.interactions is not None:
        inter = read_interactions(options.interactions, kind=options.interaction_kind)
        if identity is not None:
            inter, lost = _resolve_graph(inter, identity, options.interactions, kind="interaction endpoint")
            flagged.append(lost)
        graph = inter if graph is None else graph.merge(inter)
    posts_df = None
    if options.posts is not None:
        posts_df = pending["posts"].result()
        if identity is not None:
            posts_df, lost_owners = _resolve_owners(posts_df, identity, options.posts)
            flagged.append(lost_owners)
        pg = posts_to_graph(posts_df)
        if identity is not None:
            pg, lost = _resolve_graph(pg, identity, options.posts, kind="mentioned",
                                      skip=pd.Index(posts_df["owner"].unique(), dtype=object))
            flagged.append(lost)
        graph = pg if graph is None else graph.merge(pg)
    if prof is not None:
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
    lost = np.concatenate(flagged) if flagged else np.zeros(0, dtype=object)
    if len(lost):
        acc = graph.accounts.copy(deep=False)
        acc["unresolved"] = graph.ids.isin(pd.Index(lost, dtype=object))
        graph = Graph(acc, graph.edges, graph.report)
    return Inputs(graph, posts_df)


def _known_accounts(profiles: pd.DataFrame, graph: Graph | None) -> Identity:
    """The id ↔ handle map names resolve through: the profiles, then the follow graph's other accounts."""
    parts = [profiles[["handle"]]]
    if graph is not None:
        other = graph.accounts[~graph.ids.isin(profiles.index)]
        parts.append(other[["handle"]])
    known = pd.concat(parts) if len(parts) > 1 else parts[0]
    return Identity.of_accounts(known)


def _report_unresolved(report: LoadReport, source, res: Resolution, names: np.ndarray, kind: str,
                       flag: bool) -> np.ndarray:
    """Count (in ``report``) the ``names`` that match no account or an ambiguous handle;
    return the ones to flag as unresolved accounts."""
    kept = "kept as unresolved accounts, never ranked as targets" if flag else "kept as accounts of their own"
    if flag:  # follow endpoints outside the profiles are ordinary accounts (followers without a profile)
        report.add(source, int((res.status == UNRESOLVED).sum()), f"{kind} names match no account id or handle: {kept}")
    amb = res.status == AMBIGUOUS
    if amb.any():
        shown = "; ".join(f"{h!r}: {', '.join(ids)}" for h, ids in list(res.candidates.items())[:3])
        report.add(source, int(amb.sum()), f"{kind} names are handles shared by several accounts ({shown}): "
                                                 f"{kept}; name those accounts by id")
    return names[~res.resolved] if flag else np.zeros(0, dtype=object)


def _resolve_graph(graph: Graph, identity: Identity, source, *, kind: str,
                   skip: pd.Index | None = None) -> tuple[Graph, np.ndarray]:
    """``graph`` with every account renamed to the account its id resolves to (names that do not
    resolve keep their own id); the unresolved names of ``kind`` endpoints (all but ``skip``, which
    were counted already) are reported and returned for flagging (not for follows)."""
    ids = graph.ids.to_numpy(dtype=object)
    res = identity.resolve(ids)
    counted = np.ones(len(ids), bool) if skip is None else ~graph.ids.isin(skip)
    sub = Resolution(res.ids[counted], res.status[counted], res.candidates)
    lost = _report_unresolved(graph.report, source, sub, ids[counted], kind, flag=kind != "follow")
    return graph.relabel(res.ids, name=str(source)), lost


def _resolve_owners(posts: pd.DataFrame, identity: Identity, source) -> tuple[pd.DataFrame, np.ndarray]:
    """``posts`` with ``owner`` replaced by the account id it resolves to; unresolved owners are
    reported and returned for flagging."""
    codes, distinct = pd.factorize(posts["owner"].to_numpy(dtype=object))
    res = identity.resolve(distinct)  # once per owner, not per post
    posts = posts.copy()
    posts["owner"] = res.ids[codes]
    report = posts.attrs.setdefault("report", LoadReport())
    return posts, _report_unresolved(report, source, res, np.asarray(distinct, dtype=object), "post owner", flag=True)
