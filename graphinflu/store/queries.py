"""Run a query of the Cypher library by name, with its header defaults and the caller's parameters."""

from __future__ import annotations

from typing import Mapping

import pandas as pd

from .backends import Store
from .catalog import get_query
from .gds import run_gds_query
from .parameters import resolve_params

__all__ = ["run_query"]


def run_query(store: Store, name: str, params: Mapping | None = None, *, max_bytes: int | None = None
              ) -> pd.DataFrame:
    """Run the library query ``name`` with its header defaults overridden by ``params``.

    GDS queries go through :func:`~graphinflu.store.gds.run_gds_query`: the plugin, its version
    and the procedures they call are checked first (:class:`~graphinflu.errors.GDSNotAvailableError`
    names what is missing), and their ``*_estimate`` runs first (refused above ``max_bytes``, default
    the free heap). ``schema`` runs :meth:`Store.setup_schema`.
    """
    q = get_query(name)
    if q.name == "graph_counts" and store.kind == "falkordb":  # COUNT { } is Neo4j's; FalkorDB scans
        q = get_query("graph_counts_scan")
    values = resolve_params(q, params)
    if q.kind == "schema":
        store.setup_schema()
        return pd.DataFrame({"statement": list(q.statements)})
    if q.kind == "gds":
        return run_gds_query(store, q, values, max_bytes=max_bytes)
    return store.run(q.statement, values, write=q.kind in ("write", "gds"))
