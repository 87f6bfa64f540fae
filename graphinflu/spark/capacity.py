"""Whether a follow list fits the local engine on this machine, decided before it is read.

The local engine holds the whole graph in memory: about :data:`BYTES_PER_EDGE` bytes per follow at
its peak (``bench/bench_analyze.py``: 2.0 GB at 10M follows, profiles included). When the memory
this process may still use (its address-space limit, ``ulimit -v`` / ``prlimit --as``, and the
machine's available memory) is smaller than that, ``analyze`` stops at once with "too large for
this machine, use --engine spark" instead of failing half-way with an out-of-memory kill.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pyarrow.parquet as pq

from .._io import probe
from ..errors import InputError
from ..params import LoadOptions

#: Peak bytes per follow edge of the local ``analyze`` (measured at 10M edges: 2.0 GB).
BYTES_PER_EDGE = 200
#: Address space a run reserves beyond its data (thread stacks of the pyarrow, numba and hashing
#: pools, allocator arenas): without it a run under ``ulimit -v`` passes the check, then fails to
#: start a reader thread.
VIRTUAL_MARGIN = 1 << 30


def estimated_edges(path) -> int | None:
    """Follow rows in ``path``, exact for Parquet (its metadata), else estimated from the file
    size and the length of its first lines (compressed files count 3× their size, a low guess:
    the check must never refuse a file that fits). None for standard input or a URI."""
    spath = str(path)
    if spath == "-" or "://" in spath or not Path(spath).is_file():
        return None
    info = probe(spath)
    if info.format == "parquet" and not info.compression:
        return int(pq.ParquetFile(spath).metadata.num_rows)
    lines = info.head.count(b"\n")
    if info.complete or not lines:
        return lines
    size = os.path.getsize(spath) * (3 if info.compression else 1)
    return int(size / (len(info.head) / lines))


def available_bytes() -> int | None:
    """What this process may still allocate: the smaller of the address-space limit left (if
    one is set; less :data:`VIRTUAL_MARGIN`) and the machine's available memory (Linux
    ``MemAvailable``)."""
    room = []
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        try:
            with open("/proc/self/status") as fh:
                used = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
        except (OSError, StopIteration):
            used = 0
        room.append(soft - used - VIRTUAL_MARGIN)
    try:
        with open("/proc/meminfo") as fh:
            room.append(next(int(line.split()[1]) * 1024 for line in fh if line.startswith("MemAvailable:")))
    except (OSError, StopIteration):
        pass
    return min(room) if room else None


def check_fits_locally(load: LoadOptions) -> None:
    """Raise :class:`InputError` ("too large for this machine, use --engine spark") when the
    follow list needs more memory than the local engine can get; do nothing when unknown."""
    edges = estimated_edges(load.follows) if load.follows is not None else None
    room = available_bytes()
    if not edges or room is None:
        return
    need = edges * BYTES_PER_EDGE
    if need > room:
        raise InputError(
            f"too large for this machine: about {edges:,} follows need about {need / 2**30:.1f} GB for the local "
            f"engine, and this process can use {max(room, 0) / 2**30:.1f} GB",
            path=load.follows,
            hint="use --engine spark (with --spark-master URL for a cluster), or give the process more memory")
