"""The command line: a thin layer over the library (see README.md for every command)."""

from __future__ import annotations

from . import audience, core, maps, neo4j  # noqa: F401  (each adds its commands to the group)
from ._group import cli


def main() -> None:
    cli(prog_name="graphinflu")


__all__ = ["cli", "main"]
