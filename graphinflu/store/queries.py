"""Run a query of the Cypher library by name, with its header defaults and the caller's parameters."""

from __future__ import annotations

from typing import Mapping

import pandas as pd

from ..errors import GDSNotAvailableError
from .backends import Store
from .catalog import get_query
from .parameters import resolve_params

__all__ = ["run_query"]


def run_query(store: Store, name: str, params: Mapping | None = None) -> pd.DataFrame:
    """Run the library query ``name`` with its header defaults overridden by ``params``.

    GDS queries check for the plugin first (:class:`~graphinflu.errors.GDSNotAvailableError`);
    ``schema`` runs :meth:`Store.setup_schema`.
    """
    q = get_query(name)
    values = resolve_params(q, params)
    if q.kind == "schema":
        store.setup_schema()
        return pd.DataFrame({"statement": list(q.statements)})
    if q.kind == "gds" and not store.has_gds:
        what = "FalkorDB cannot run it" if store.kind == "falkordb" else f"{store.target} does not have it"
        raise GDSNotAvailableError(f"query {name!r} needs Neo4j's Graph Data Science plugin; {what}",
                                   hint="install GDS (docker: -e NEO4J_PLUGINS='[\"graph-data-science\"]'), or "
                                        "use graphinflu's own metrics and push them")
    return store.run(q.statement, values, write=q.kind in ("write", "gds"))
