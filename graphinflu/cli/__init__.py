"""The command line: a thin layer over the library (see README.md for every command)."""

from __future__ import annotations

import importlib

from ._group import cli

# each module adds its commands to the group when imported
for _name in ("core", "audience", "maps", "neo4j"):
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _err:  # a command family not built yet
        if _err.name != f"{__name__}.{_name}":
            raise


def main() -> None:
    cli(prog_name="graphinflu")


__all__ = ["cli", "main"]
