"""Graph stores: the Cypher library in ``cypher/`` and the backends that run it (Neo4j, FalkorDB).

==================  ====================================================================
module              what it does
==================  ====================================================================
``model``           the label, relationship types and property names graphinflu writes (the
                    allow-lists), and plain values for the drivers
``catalog``         the ``.cypher`` files: :class:`Query`, :func:`catalog`, :func:`get_query`
``parameters``      ``:param`` Cypher literals and ``--param KEY=VALUE`` text → values
``backends``        :class:`Store`, :class:`Neo4jStore`, :class:`FalkorDBStore`, :func:`connect`
``push``            row builders and :func:`push` (batched ``UNWIND $rows AS row MERGE ...``)
``queries``         :func:`run_query`: a library query by name
``admin``           :func:`export_import_dir`: header + gzipped CSV files for ``neo4j-admin database import``
``loadcsv``         :func:`export_load_csv`: gzipped CSVs and ``load.cypher`` (LOAD CSV, for Aura)
``guide``           :func:`browser_guide`: a Neo4j Browser guide made from the library
``gds``             GDS version, procedures, estimates first (:func:`run_gds_query`), lint schema
==================  ====================================================================

Stores store: :func:`push` and :func:`export_import_dir` take the per-account table the caller
computed (``metrics=``, a DataFrame indexed by account id) and never compute metrics themselves.
Labels and relationship types never come from user text, property names are sanitised, and every
value is a ``$parameter``. The drivers are imported on first use (:mod:`graphinflu._lazy`).
"""

from __future__ import annotations

from ..errors import GDSNotAvailableError, QueryNotFoundError, StoreError
from .admin import export_import_dir
from .loadcsv import export_load_csv, run_load_script
from .backends import (DEFAULT_GRAPH, ConnectionParams, FalkorDBStore, Neo4jStore, Store, WriteCounts, check_neo4j_uri,
                       connect, redact_uri)
from .catalog import Query, catalog, get_query, read_cypher_file
from .model import IDENT, KIND_OF_TYPE, LABEL, OVERLAP_TYPE, REL_TYPES, plain_value, property_name, property_names
from .parameters import parse_cypher_literal, parse_param, resolve_params
from .push import (DEFAULT_BATCH, FindingsParams, MetricsRun, metrics_run, ProgressFn, PushReport, account_rows, follow_rows, interaction_rows,
                   overlap_rows, property_rows, push)
from .queries import run_query

__all__ = [
    "LABEL", "REL_TYPES", "KIND_OF_TYPE", "OVERLAP_TYPE", "IDENT", "property_name", "property_names", "plain_value",
    "Query", "catalog", "get_query", "read_cypher_file", "parse_param", "parse_cypher_literal", "resolve_params",
    "StoreError", "QueryNotFoundError", "GDSNotAvailableError",
    "ConnectionParams", "Store", "Neo4jStore", "FalkorDBStore", "WriteCounts", "connect", "redact_uri",
    "check_neo4j_uri", "DEFAULT_GRAPH", "push", "PushReport", "FindingsParams", "ProgressFn", "DEFAULT_BATCH", "account_rows",
    "follow_rows", "interaction_rows", "overlap_rows", "property_rows", "run_query", "export_import_dir",
    "export_load_csv", "run_load_script", "MetricsRun", "metrics_run",
]
