"""Loaders: files (and Neo4j) → the canonical :class:`~graphinflu.graph.Graph`."""

from .edges import read_edges, read_interactions
from .formats import (
    read_gexf,
    read_graph,
    read_graphml,
    read_node_link_json,
    write_gexf,
    write_graph,
    write_graphml,
    write_node_link_json,
)
from .posts import posts_to_graph, read_posts
from .profiles import read_profiles
from .tables import read_any_table, read_text_table

__all__ = [
    "read_edges", "read_interactions", "read_profiles", "read_posts", "posts_to_graph", "read_graph", "write_graph",
    "read_graphml", "write_graphml", "read_gexf", "write_gexf", "read_node_link_json", "write_node_link_json",
    "read_any_table", "read_text_table",
]
