"""Loaders: files (and Neo4j) → the canonical :class:`~graphinflu.graph.Graph`."""

from .edges import read_edges, read_interactions
from .tables import read_any_table, read_text_table

__all__ = ["read_edges", "read_interactions", "read_any_table", "read_text_table"]
