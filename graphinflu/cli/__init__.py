"""The command line: a thin layer over the library (see README.md for every command)."""

from __future__ import annotations

import os
import sys

from . import audience, core, maps, neo4j  # noqa: F401  (each adds its commands to the group)
from ._group import cli


def main() -> None:
    """Run the CLI and leave without interpreter finalization.

    On this platform about 2 % of process exits after pyarrow's CSV reader abort in
    ``std::terminate`` while pyarrow's worker threads are torn down ("terminate called without
    an active exception", exit 134), after every output was written — a failure a script would see
    after a success. By then every file is complete (atomic writes), every store closed and every
    worker thread joined, so the process flushes its streams and exits with its code directly.
    """
    try:
        cli.main(prog_name="graphinflu")
        code = 0
    except SystemExit as done:
        code = done.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError, ValueError):  # the reader went away (| head): nothing to flush to
            pass
    os._exit(code or 0)


__all__ = ["cli", "main"]
