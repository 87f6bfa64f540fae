"""Neo4j Graph Data Science: which release the server has, which procedures a query needs, and
memory estimates before anything is projected or computed.

:func:`run_gds_query` is how :func:`~graphinflu.store.queries.run_query` runs the ``gds_*`` files:

1. :func:`gds_info` reads the GDS and Neo4j versions and the free heap (``gds.debug.sysInfo``); a
   server without GDS gets :class:`~graphinflu.errors.GDSNotAvailableError` naming the release to
   install for its Neo4j version;
2. the procedures the statement calls (``gds.pageRank.write``, ...) are looked up in
   ``SHOW PROCEDURES``; the ones missing from that GDS release are named;
3. a projection or algorithm with an ``*_estimate`` file runs that estimate first and is refused
   (:class:`~graphinflu.errors.GDSMemoryError`, quoting GDS's estimate) when its upper bound
   exceeds ``max_bytes`` (default: the free heap GDS reports).
"""

from __future__ import annotations

import re
from typing import Mapping

import pandas as pd

from ..errors import GDSMemoryError, GDSNotAvailableError, StoreError
from .backends import Store
from .catalog import Query, catalog
from .parameters import resolve_params

__all__ = ["GDS_FOR_NEO4J", "gds_info", "gds_procedures", "called_procedures", "check_procedures",
           "estimate_name", "run_gds_query", "install_hint", "PROJECTION_VALUES"]

#: The GDS release line that supports each Neo4j line (the GDS compatibility matrix).
GDS_FOR_NEO4J = {"5.26": "2.13", "5.25": "2.12", "5.24": "2.11", "5.23": "2.10", "5.22": "2.9",
                 "5.21": "2.8", "5.20": "2.7", "5.19": "2.7", "5.18": "2.6"}

_CALLED = re.compile(r"\bCALL\s+(gds(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\(", re.I)
_UNITS = {"B": 1, "KiB": 2 ** 10, "MiB": 2 ** 20, "GiB": 2 ** 30, "TiB": 2 ** 40}


def install_hint(neo4j_version: str | None = None) -> str:
    """What to install for GDS, for the server's Neo4j version when known."""
    line = ".".join(str(neo4j_version or "").split(".")[:2])
    release = GDS_FOR_NEO4J.get(line)
    which = (f"GDS {release}.x (the release for Neo4j {line})" if release
             else "the GDS release that matches your Neo4j version (see the GDS compatibility matrix)")
    return (f"install the Graph Data Science plugin, {which}: put its jar in the server's plugins folder and "
            "set dbms.security.procedures.unrestricted=gds.* (Docker: -e NEO4J_PLUGINS='[\"graph-data-science\"]'; "
            "Aura: an AuraDS instance), or use graphinflu's own metrics and push them")


def _bytes(text) -> int | None:
    m = re.match(r"^\s*([\d.]+)\s*([KMGT]iB|B)\s*$", str(text))
    return int(float(m.group(1)) * _UNITS[m.group(2)]) if m else None


def _neo4j_version(store: Store) -> str | None:
    try:
        df = store.run("CALL dbms.components() YIELD name, versions RETURN name, versions")
    except StoreError:
        return None
    row = df[df["name"] == "Neo4j Kernel"]
    return str(row["versions"].iloc[0][0]) if len(row) else None


def gds_info(store: Store) -> dict:
    """``{"gds_version", "neo4j_version", "heap_free", "heap_max"}`` (heap in bytes) of a Neo4j with GDS.

    Raises :class:`GDSNotAvailableError` on FalkorDB and on a Neo4j without the plugin, naming
    the GDS release to install for that Neo4j version.
    """
    if store.kind != "neo4j":
        raise GDSNotAvailableError("this query needs Neo4j's Graph Data Science plugin; FalkorDB cannot run it",
                                   hint="run them against Neo4j with GDS (--uri), or use graphinflu's own metrics")
    try:
        df = store.run("CALL gds.debug.sysInfo() YIELD key, value RETURN key, value")
    except StoreError as err:
        version = _neo4j_version(store)
        raise GDSNotAvailableError(
            f"{store.target} (Neo4j {version or '?'}) does not have the Graph Data Science plugin ({err})".split("\n")[0],
            hint=install_hint(version)) from None
    info = dict(zip(df["key"].astype(str), df["value"]))
    return {"gds_version": str(info.get("gdsVersion", "?")), "neo4j_version": str(info.get("neo4jVersion", "?")),
            "heap_free": _bytes(info.get("heapFree")), "heap_max": _bytes(info.get("heapMax"))}


def gds_procedures(store: Store) -> pd.DataFrame:
    """``SHOW PROCEDURES`` rows of the server's ``gds.*`` procedures: name, signature,
    argumentDescription, returnDescription, mode, description (what the lint schema holds)."""
    return store.run("SHOW PROCEDURES YIELD name, signature, argumentDescription, returnDescription, mode, "
                     "description, worksOnSystem, admin WHERE name STARTS WITH 'gds.' "
                     "RETURN name, signature, argumentDescription, returnDescription, mode, description, "
                     "worksOnSystem, admin ORDER BY name")


def called_procedures(statement: str) -> list[str]:
    """The ``gds.*`` procedures a statement CALLs, in order.

    >>> called_procedures("MATCH (c) WITH collect(c) AS cs CALL gds.nodeSimilarity.filtered.write($g, {}) YIELD x")
    ['gds.nodeSimilarity.filtered.write']
    """
    return list(dict.fromkeys(_CALLED.findall(statement)))


def check_procedures(store: Store, names, *, info: Mapping | None = None) -> None:
    """Refuse, naming them and the GDS version, procedures the server's GDS does not have."""
    info = info or gds_info(store)
    have = set(store.run("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'gds.' RETURN name")["name"])
    missing = [n for n in names if n not in have]
    if missing:
        raise GDSNotAvailableError(
            f"GDS {info['gds_version']} on {store.target} (Neo4j {info['neo4j_version']}) lacks "
            f"{', '.join(missing)}", hint="upgrade GDS: " + install_hint(info["neo4j_version"]))


def estimate_name(name: str) -> str | None:
    """The ``*_estimate`` file to run before ``name`` (``gds_pagerank_write`` → ``gds_pagerank_estimate``)."""
    if name.endswith("_estimate"):
        return None
    base = name[:-len("_write")] if name.endswith("_write") else name
    est = base + "_estimate"
    return est if est in catalog() else None


def _check_estimate(store: Store, q: Query, values: Mapping, max_bytes: int | None, info: Mapping) -> None:
    est_name = estimate_name(q.name)
    if est_name is None:
        return
    est = catalog()[est_name]
    row = store.run(est.statement, {k: v for k, v in values.items() if k in est.params}, write=True)
    if not len(row):
        return
    need = int(row["bytesMax"].iloc[0])
    limit = max_bytes if max_bytes is not None else info.get("heap_free")
    if limit is not None and need > limit:
        raise GDSMemoryError(
            f"{q.name} would need {row['requiredMemory'].iloc[0]} of heap (GDS estimate, {est_name}: "
            f"{int(row['nodeCount'].iloc[0]):,} nodes, {int(row['relationshipCount'].iloc[0]):,} relationships), "
            f"more than the {limit:,} bytes allowed",
            hint="give Neo4j more heap (server.memory.heap.max_size), project fewer relationship types, "
                 "or compute the metrics with graphinflu and push them")


def run_gds_query(store: Store, q: Query, params: Mapping | None = None, *, max_bytes: int | None = None
                  ) -> pd.DataFrame:
    """Run the ``gds_*`` library query ``q``: version and procedures checked, estimate first (see module doc)."""
    values = resolve_params(q, params)
    info = gds_info(store)
    check_procedures(store, called_procedures(q.statement), info=info)
    _check_estimate(store, q, values, max_bytes, info)
    return store.run(q.statement, values, write=True)


# ---------------------------------------------------------------------------- lint schema
#: What each GDS call of the library needs to run once on a probe graph, so the server reports its
#: configuration keys (the ``configuration`` column every mode yields holds every key it accepts).
_PROBE_CALLS = {
    "gds.pageRank.write": "CALL gds.pageRank.write($g, {writeProperty: 'graphinflu_probe'}) YIELD configuration",
    # randomSeed has no default, so only a call that sets it lists it
    "gds.leiden.write": ("CALL gds.leiden.write($g, {writeProperty: 'graphinflu_probe', randomSeed: 1, concurrency: 1}) "
                         "YIELD configuration"),
    "gds.nodeSimilarity.filtered.write": (
        "MATCH (n:GraphinfluProbe) WITH collect(n) AS ns "
        "CALL gds.nodeSimilarity.filtered.write($g, {sourceNodeFilter: ns, targetNodeFilter: ns, "
        "writeRelationshipType: 'GRAPHINFLU_PROBE', writeProperty: 'graphinflu_probe'}) YIELD configuration"),
}


def library_procedures() -> list[str]:
    """Every ``gds.*`` procedure a file of the Cypher library calls, sorted."""
    return sorted({p for q in catalog().values() for p in called_procedures("\n".join(q.statements))})


#: The values GDS accepts for ``orientation`` and ``aggregation`` in a native projection (matched
#: without regard to case). Source: the GDS 2.13 manual, "Native projection" syntax
#: (https://neo4j.com/docs/graph-data-science/2.13/management-ops/graph-creation/graph-project/),
#: i.e. the enums org.neo4j.gds.Orientation and org.neo4j.gds.core.Aggregation; ``DEFAULT`` is
#: what GDS reports for an aggregation left unset.
PROJECTION_VALUES = {"orientation": ["NATURAL", "REVERSE", "UNDIRECTED"],
                     "aggregation": ["COUNT", "DEFAULT", "MAX", "MIN", "NONE", "SINGLE", "SUM"]}


def _projection_keys(node_projection: Mapping, relationship_projection: Mapping) -> dict[str, list[str]]:
    """The keys a native projection's maps accept, from the normalised projections
    ``gds.graph.project`` yields (GDS writes every key it reads back: the node projection's
    ``label``, ``properties``; the relationship projection's ``type``, ``orientation``,
    ``aggregation``, ``indexInverse``, ``properties``; a property mapping's ``property``,
    ``defaultValue`` and, for relationships, ``aggregation``)."""
    node = next(iter(node_projection.values()))
    rel = next(iter(relationship_projection.values()))
    return {"node": sorted(node), "nodeProperty": sorted(next(iter(node["properties"].values()))),
            "relationship": sorted(rel), "relationshipProperty": sorted(next(iter(rel["properties"].values())))}


def _probe_config_keys(store: Store) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Project a two-node probe graph (a node and a relationship property) and run each call of
    :data:`_PROBE_CALLS` on it: the configuration keys of each call, and the projection map keys
    (:func:`_projection_keys`)."""
    g = "graphinflu_probe"
    store.run("CREATE (:GraphinfluProbe {w: 1.0})-[:GRAPHINFLU_PROBE {x: 1.0}]->(:GraphinfluProbe {w: 2.0})",
              write=True)
    try:
        proj = store.run("CALL gds.graph.project($g, {GraphinfluProbe: {properties: 'w'}}, "
                         "{GRAPHINFLU_PROBE: {orientation: 'UNDIRECTED', properties: 'x'}}) "
                         "YIELD nodeProjection, relationshipProjection "
                         "RETURN nodeProjection, relationshipProjection", {"g": g}, write=True).iloc[0]
        out = {}
        for name, call in _PROBE_CALLS.items():
            cfg = store.run(call + " RETURN configuration", {"g": g}, write=True)["configuration"].iloc[0]
            out[name] = sorted(cfg)
        return out, _projection_keys(proj["nodeProjection"], proj["relationshipProjection"])
    finally:
        store.run("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": g}, write=True)
        store.run("MATCH (n:GraphinfluProbe) DETACH DELETE n", write=True)


def lint_schema(store: Store) -> dict:
    """The GDS part of the Cypher lint schema, read from a live server: for every procedure the
    library calls, its signature, arguments and YIELD columns (``SHOW PROCEDURES``), in the shape
    ``@neo4j-cypher/language-support`` takes, and the configuration keys it accepts (the keys of
    the ``configuration`` it yields on a probe graph; an ``.estimate`` takes its mode's keys), and
    the keys of ``gds.graph.project``'s node and relationship projection maps (read from the
    projections it yields on the probe graph) with the ``orientation`` / ``aggregation`` values
    of :data:`PROJECTION_VALUES`."""
    info = gds_info(store)
    wanted = library_procedures()
    check_procedures(store, wanted, info=info)
    rows = gds_procedures(store)
    rows = rows[rows["name"].isin(wanted)]
    keys, projection = _probe_config_keys(store)

    def describe(items):
        return [{k: d[k] for k in ("name", "description", "type", "isDeprecated", "default") if k in d}
                for d in items]

    procs = {}
    for r in rows.to_dict("records"):
        procs[r["name"]] = {
            "name": r["name"], "description": r["description"], "mode": r["mode"],
            "worksOnSystem": bool(r["worksOnSystem"]), "admin": bool(r["admin"]), "signature": r["signature"],
            "argumentDescription": describe(r["argumentDescription"]),
            "returnDescription": describe(r["returnDescription"]), "option": {"deprecated": False},
        }
    config = {name: keys[name.removesuffix(".estimate")] for name in wanted
              if name.removesuffix(".estimate") in keys}
    return {"gdsVersion": info["gds_version"], "neo4jVersion": info["neo4j_version"], "procedures": procs,
            "configKeys": config, "projectionKeys": projection, "projectionValues": PROJECTION_VALUES}
