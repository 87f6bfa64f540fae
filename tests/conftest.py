"""Shared fixtures: the zoo of hand-checked graphs and the real datasets in ../shared/data.

The zoo
-------
Tiny graphs whose answers are worked out by hand in their docstrings. Tests import the builders
(``from conftest import zoo_star``; ``tests/`` is on ``sys.path``), and :data:`ZOO` maps a short
name to every builder, so a test can run over the whole zoo with the ``zoo`` fixture
(``zoo_name, graph``) — the metric contract in ``test_contract.py`` does.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Callable

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphinflu.graph import Graph
from graphinflu.loaders import read_edges

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GRAPHINFLU_SHARED_DATA", ROOT.parent / "shared" / "data"))


def pytest_collection_modifyitems(config, items):
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"real datasets not found at {SHARED} (they sit beside the repo in CI)")
    for item in items:
        if "shared_data" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared() -> Path:
    return SHARED


# ----------------------------------------------------------------------------- building blocks
def follows(*pairs: str) -> Graph:
    """``follows("a>b", "b>c")``: a follows b, b follows c."""
    rows = [p.split(">") for p in pairs]
    return Graph.from_pandas(pd.DataFrame(rows, columns=["source", "target"]))


def typed(rows) -> Graph:
    """Rows of ``(source, target, kind, weight)``."""
    df = pd.DataFrame(rows, columns=["source", "target", "kind", "weight"])
    return Graph.from_pandas(df, kind="kind", weight="weight")


def graph_from_nx(G: nx.Graph, *, both_ways: bool = False, accounts: pd.DataFrame | None = None, **kw) -> Graph:
    """Follow graph from an undirected NetworkX graph: u → v per edge (and v → u if both_ways)."""
    rows = [(str(u), str(v)) for u, v in G.edges()]
    if both_ways:
        rows += [(b, a) for a, b in rows]
    df = pd.DataFrame(rows, columns=["source", "target"])
    return Graph.from_pandas(df, accounts=accounts, **kw)


EMPTY = pd.DataFrame({"source": [], "target": []})


def accounts_only(profiles: pd.DataFrame) -> Graph:
    """A graph with no edges whose accounts are the rows of ``profiles``."""
    return Graph.from_pandas(EMPTY).with_accounts(profiles)


# ----------------------------------------------------------------------------- the zoo
def zoo_empty() -> Graph:
    """No accounts at all: every metric is an empty table."""
    return Graph.from_pandas(EMPTY)


def zoo_single() -> Graph:
    """One account, no edges: PageRank 1; no hubs or authorities (0); its own community."""
    return Graph.from_pandas(EMPTY, accounts=pd.DataFrame(index=["solo"]))


def zoo_dangling_pair() -> Graph:
    """a → b, b dangling. PR(a) = .15/2 + .85·PR(b)/2, PR(a)+PR(b) = 1 ⇒ PR(a) = 20/57, PR(b) = 37/57."""
    return follows("a>b")


def zoo_star() -> Graph:
    """a, b, d → c (c dangling). x = .0375 + .2125y, 3x + y = 1 ⇒ leaves 20/131, c 71/131."""
    return follows("a>c", "b>c", "d>c")


def zoo_cycle() -> Graph:
    """a → b → c → a: every PageRank 1/3."""
    return follows("a>b", "b>c", "c>a")


def zoo_two_components() -> Graph:
    """a → b and c → d: by symmetry PR(a) = PR(c) = 10/57, PR(b) = PR(d) = 37/114."""
    return follows("a>b", "c>d")


def zoo_self_loop() -> Graph:
    """a → a is dropped on load (and reported), leaving a → b: the dangling pair's answer."""
    return Graph.from_pandas(pd.DataFrame({"source": ["a", "a"], "target": ["a", "b"]}))


def zoo_followers() -> Graph:
    """Seven accounts: two creators (c1, c2) followed by fans, fans following each other a bit,
    a lurker (z) who follows nobody and whom nobody follows, plus interactions.

    Follow in-degrees: c1 4 (f1–f4), c2 3 (f3, f4, c1), f1 1, f2 1, f3 = f4 = z = 0.
    Interactions: f1 mentions c1 (3), f2 reposts c2 (5), f3 replies to c2 (2), c2 reposts c1 (1),
    f4 likes f3 (4). Profile followers: c1 12,000; c2 missing (NaN).
    """
    rows = [
        ("f1", "c1", "follows", 1), ("f2", "c1", "follows", 1), ("f3", "c1", "follows", 1),
        ("f4", "c1", "follows", 1), ("f3", "c2", "follows", 1), ("f4", "c2", "follows", 1),
        ("c1", "c2", "follows", 1), ("f1", "f2", "follows", 1), ("f2", "f1", "follows", 1),
        ("f1", "c1", "mentions", 3), ("f2", "c2", "reposts", 5), ("f3", "c2", "replies", 2),
        ("c2", "c1", "reposts", 1), ("f4", "f3", "likes", 4),
    ]
    g = typed(rows)
    return g.with_accounts(pd.DataFrame({"followers": [12_000, np.nan]}, index=["c1", "c2"])) \
        .with_accounts(pd.DataFrame(index=["z"]))


def zoo_two_cliques() -> Graph:
    """Two 5-cliques a0..a4 and b0..b4 (one follow per pair) joined by the single edge a4 → b0.

    Optimal modularity splits them into the two cliques: m = 21, each side has 10 inner edges and
    degree sum 21, so Q = 2 * (10/21 - (21/42)^2) = 0.452...; both have size 5, so the tie goes to
    the one holding the first account (a0): a* = 0, b* = 1.
    """
    rows = [(f"a{i}", f"a{j}") for i in range(5) for j in range(i + 1, 5)]
    rows += [(f"b{i}", f"b{j}") for i in range(5) for j in range(i + 1, 5)]
    rows.append(("a4", "b0"))
    return Graph.from_pandas(pd.DataFrame(rows, columns=["source", "target"]))


def zoo_ring_of_cliques(n_cliques: int = 6, size: int = 5) -> Graph:
    """nx.ring_of_cliques: each clique its own community is the modularity optimum here.

    With the defaults: 6 cliques of 5 (accounts "0".."29", clique c = 5c..5c+4), 60 clique edges
    plus 6 ring edges, m = 66; the cliques give Q = 6·(10/66 − (22/132)²) = 0.742...
    """
    return graph_from_nx(nx.ring_of_cliques(n_cliques, size))


def zoo_cha() -> Graph:
    """Hand-built: p has a big profile follower count but is never reposted or mentioned;
    r is reposted a lot; m is talked to a lot; q has no profile count (in-degree 2 is used).

    follows: x→q, y→q, x→m          reposts: x→r (4), y→r (2), m→r (1), r→m (1)
    mentions: x→m (3), y→m (1), r→q (1)   replies: y→m (2)
    profile followers: p 900,000; r 150; m 20; x 0 (known zero); q, y unknown.
    """
    rows = [
        ("x", "q", "follows", 1), ("y", "q", "follows", 1), ("x", "m", "follows", 1),
        ("x", "r", "reposts", 4), ("y", "r", "reposts", 2), ("m", "r", "reposts", 1), ("r", "m", "reposts", 1),
        ("x", "m", "mentions", 3), ("y", "m", "mentions", 1), ("r", "q", "mentions", 1),
        ("y", "m", "replies", 2),
    ]
    prof = pd.DataFrame({"followers": [900_000, 150, 20, 0]}, index=["p", "r", "m", "x"])
    return typed(rows).with_accounts(prof)


def zoo_audiences() -> Graph:
    """Audiences A = {1,2,3}, B = {1,4}, C = {1,3,5} (the overlap issue's golden case).

    Shared: A∩B = {1}, A∩C = {1,3}, B∩C = {1}; union reach 5 of 8 memberships; exclusive
    followers 2, 4, 5 (reach 3); mean frequency 8/5 = 1.6.
    """
    aud = {"A": [1, 2, 3], "B": [1, 4], "C": [1, 3, 5]}
    rows = [(str(f), c) for c, fs in aud.items() for f in fs]
    return Graph.from_pandas(pd.DataFrame(rows, columns=["source", "target"]))


def zoo_tier_bounds() -> Graph:
    """One account on each side of every default tier bound (ids say the follower count), no edges:
    n0, n999 nano; n1000, n49999 micro; n50000, n499999 mid; n500000, n999999 macro; the rest mega."""
    counts = [0, 999, 1_000, 49_999, 50_000, 499_999, 500_000, 999_999, 1_000_000, 96_476_007]
    return accounts_only(pd.DataFrame({"followers": counts}, index=[f"n{c}" for c in counts]))


def zoo_engagement() -> Graph:
    """Six accounts (handles @a…@f), no edges; their posts are :data:`ENGAGEMENT_POSTS`:

    a: 2,000 followers (micro), posts (50 likes, 10 comments), (30, 10)  → rate (60+40)/2/2000 = .025
    b: 4,000 (micro), post (100, 20)                                    → rate 120/4000 = .03
    c: 8,000 (micro), post (40, 0) and a post with hidden likes (NaN)   → 1 counted, rate 40/8000 = .005
    d: 600 (nano), post (6, 0)                                          → rate .01, alone in nano → 100
    e: 0 followers (nano), post (5, 5)                                  → unrated (0 followers)
    f: 300 (nano), no posts                                             → unrated
    Micro percentiles (share of rated micro accounts with rate ≤ own): c 1/3, a 2/3, b 3/3.
    """
    ids = ["a", "b", "c", "d", "e", "f"]
    prof = pd.DataFrame({"handle": [f"@{i}" for i in ids], "followers": [2_000, 4_000, 8_000, 600, 0, 300]},
                        index=ids)
    return accounts_only(prof)


#: The posts of :func:`zoo_engagement` (owners by id or handle).
ENGAGEMENT_POSTS = pd.DataFrame({
    "owner": ["a", "@a", "b", "c", "@c", "d", "e"],
    "likes": [50, 30, 100, 40, np.nan, 6, 5],
    "comments": [10, 10, 20, 0, 3, 0, 5],
})


def zoo_tiny() -> Graph:
    """a→b, a→c, b→c, c→a, d→c; plus a duplicate a→b and a self-loop e→e.

    Hand-checked: accounts a..e (e only in the self-loop) = 5; distinct follows = 5; in-degree c = 3.
    """
    df = pd.DataFrame(
        {"source": ["a", "a", "b", "c", "d", "a", "e"], "target": ["b", "c", "c", "a", "c", "b", "e"]}
    )
    return Graph.from_pandas(df, name="tiny")


#: Every zoo graph by name.
ZOO: dict[str, Callable[[], Graph]] = {
    "empty": zoo_empty,
    "single": zoo_single,
    "dangling_pair": zoo_dangling_pair,
    "star": zoo_star,
    "cycle": zoo_cycle,
    "two_components": zoo_two_components,
    "self_loop": zoo_self_loop,
    "followers": zoo_followers,
    "two_cliques": zoo_two_cliques,
    "ring_of_cliques": zoo_ring_of_cliques,
    "cha": zoo_cha,
    "audiences": zoo_audiences,
    "tier_bounds": zoo_tier_bounds,
    "engagement": zoo_engagement,
    "tiny": zoo_tiny,
}

#: Posts that belong to a zoo graph (for :func:`graphinflu.metrics.tiers.engagement`).
ZOO_POSTS: dict[str, pd.DataFrame] = {"engagement": ENGAGEMENT_POSTS}


@pytest.fixture(params=list(ZOO))
def zoo(request) -> tuple[str, Graph]:
    """Every zoo graph in turn, as ``(name, graph)`` (a fresh graph per test)."""
    return request.param, ZOO[request.param]()


# ----------------------------------------------------------------------------- bundled data
def bundled_follower_sets() -> Graph:
    """The real dataset shipped in the package (follower sets of 100 Twitter accounts, MIT; see
    graphinflu/data/PROVENANCE.md): 28,559 accounts, 100,600 follows. Present in every clone."""
    return read_edges(str(resources.files("graphinflu.data") / "twitter_follower_sets.tsv.gz"))


# ----------------------------------------------------------------------------- live Neo4j (issue 12)
#: Tests that talked to the live Neo4j server (their node ids), counted in the terminal summary.
LIVE_NEO4J_TESTS: set[str] = set()
_LIVE_SERVER: dict = {}


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A live Neo4j with GDS for the whole session: the one NEO4J_URI names (with NEO4J_USERNAME,
    NEO4J_PASSWORD, and NEO4J_IMPORT_DIR for the LOAD CSV tests), else a throwaway Neo4j
    Community 5.26 + GDS 2.13 fetched through Maven and started by ``tests/neo4j_server.py``.
    Its data is deleted by the tests."""
    import neo4j_server as ns

    if os.environ.get("NEO4J_URI"):
        info = {"uri": os.environ["NEO4J_URI"], "username": os.environ.get("NEO4J_USERNAME", "neo4j"),
                "password": os.environ.get("NEO4J_PASSWORD"), "database": os.environ.get("NEO4J_DATABASE"),
                "import_dir": Path(os.environ["NEO4J_IMPORT_DIR"]) if os.environ.get("NEO4J_IMPORT_DIR") else None,
                "started": False}
        _LIVE_SERVER.update(info)
        yield info
        return
    server = ns.start(tmp_path_factory.mktemp("neo4j-server"))
    info = {"uri": server.uri, "username": server.username, "password": server.password, "database": None,
            "import_dir": server.import_dir, "started": True, "home": server.home}
    _LIVE_SERVER.update(info, label=f"Neo4j {server.neo4j_version} + GDS {server.gds_version} started at {server.uri}")
    try:
        yield info
    finally:
        server.stop()


def readme_import_arguments(readme: str) -> list[str]:
    """The arguments of the local ``neo4j-admin database import full`` command in the README.md
    of an admin export (the block after "with a local Neo4j 5 installation"), as a shell would
    split them: the tests run the README's own command."""
    import shlex

    block = readme.split("with a local Neo4j 5 installation", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    words = shlex.split(block.replace("\\\n", " "))
    assert words[:4] == ["neo4j-admin", "database", "import", "full"], words[:4]
    return words[4:]


@pytest.fixture(scope="session")
def neo4j_admin_server(tmp_path_factory):
    """A second throwaway Neo4j 5.26 (without GDS, 512 MB heap) whose ``neo4j`` database was made
    by ``neo4j-admin database import full`` — the command of the README.md that
    ``graphinflu neo4j export --format admin`` writes, run from the export folder — before the
    server first started, from the export of :func:`test_neo4j_export.admin_data`. It is a
    separate instance (its own folder, data and free port) with the same cached jars as
    :func:`neo4j_server`, always started (also when NEO4J_URI names another server), and stopped
    and deleted at the end. It also serves the "GDS missing" test (one start instead of two).

    Yields ``{"server", "graph", "metrics", "overlap", "export_dir"}``."""
    import shutil

    import neo4j_server as ns
    from test_neo4j_export import admin_data

    from graphinflu import store as st

    g, metrics, pairs = admin_data()
    out = tmp_path_factory.mktemp("admin-export")
    st.export_import_dir(g, out, metrics=metrics, overlap=pairs)
    args = readme_import_arguments((out / "README.md").read_text(encoding="utf-8"))
    home = tmp_path_factory.mktemp("neo4j-admin-import")
    server = ns.start(home, with_gds=False, heap="512m", admin_import=args, import_cwd=out)
    try:
        yield {"server": server, "graph": g, "metrics": metrics, "overlap": pairs, "export_dir": out}
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_server):
    """One graphinflu :class:`~graphinflu.store.Neo4jStore` on the live server for the session."""
    from graphinflu import store as st

    s = st.connect(neo4j_server["uri"], username=neo4j_server["username"], password=neo4j_server["password"],
                   database=neo4j_server["database"], env={})
    yield s
    s.close()


@pytest.fixture
def neo4j_store(request, neo4j_session_store):
    """The live Neo4j store, for one test (which is then counted as talking to the server)."""
    LIVE_NEO4J_TESTS.add(request.node.nodeid)
    return neo4j_session_store


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not LIVE_NEO4J_TESTS:
        return
    rank = {"passed": 0, "skipped": 1, "failed": 2, "error": 2}
    outcomes: dict[str, str] = {}
    for key, reports in terminalreporter.stats.items():
        for rep in reports:
            nodeid = getattr(rep, "nodeid", None)
            if nodeid in LIVE_NEO4J_TESTS and key in rank and (key != "passed" or rep.when == "call"):
                if rank[key] >= rank.get(outcomes.get(nodeid, "passed"), 0):
                    outcomes[nodeid] = "failed" if key == "error" else key
    counts = {k: sum(1 for v in outcomes.values() if v == k) for k in ("passed", "failed", "skipped")}
    where = _LIVE_SERVER.get("label") or f"the server at NEO4J_URI ({_LIVE_SERVER.get('uri', '?')})"
    terminalreporter.write_sep("-", "live Neo4j")
    terminalreporter.write_line(
        f"live Neo4j: {len(LIVE_NEO4J_TESTS)} tests talked to {where}: "
        + ", ".join(f"{n} {k}" for k, n in counts.items() if n))
