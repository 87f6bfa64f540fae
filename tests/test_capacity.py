"""The local engine refuses, at once, a follow list larger than the memory its process may use,
naming --engine spark; it never refuses one that fits."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graphinflu.spark.capacity import BYTES_PER_EDGE, VIRTUAL_MARGIN, estimated_edges

ROOT = str(Path(__file__).resolve().parent.parent)  # this checkout's graphinflu, not another install
CHECK = textwrap.dedent("""
    import resource, sys
    from graphinflu.errors import InputError
    from graphinflu.params import LoadOptions
    from graphinflu.spark.capacity import check_fits_locally
    with open("/proc/self/status") as fh:
        used = next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (used + int(sys.argv[2]), resource.RLIM_INFINITY))
    try:
        check_fits_locally(LoadOptions(follows=sys.argv[1]))
    except InputError as err:
        print(err)
        sys.exit(3)
""")


@pytest.fixture(scope="module")
def big_parquet(tmp_path_factory):
    path = tmp_path_factory.mktemp("cap") / "follows.parquet"
    n = 2_000_000
    rng = np.random.default_rng(0)
    pd.DataFrame({"source": rng.integers(0, 100_000, n), "target": rng.integers(0, 1000, n)}).to_parquet(path)
    return path


def test_estimates(big_parquet, tmp_path):
    assert estimated_edges(big_parquet) == 2_000_000
    small = tmp_path / "f.csv"
    small.write_text("source,target\na,b\nb,c\n")
    assert estimated_edges(small) == 3  # the header line counts: a low guess by one line is fine
    assert estimated_edges("-") is None and estimated_edges("s3a://bucket/x.parquet") is None


def test_too_large_for_this_process_names_the_spark_engine(big_parquet, tmp_path):
    room = VIRTUAL_MARGIN + 100 * 2**20  # 100 MB left beyond the margin; 2M follows need 2M × BYTES_PER_EDGE
    assert 2_000_000 * BYTES_PER_EDGE > room - VIRTUAL_MARGIN
    res = subprocess.run([sys.executable, "-c", CHECK, str(big_parquet), str(room)], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 3, res.stderr
    assert "too large for this machine" in res.stdout and "use --engine spark" in res.stdout
    small = tmp_path / "f.csv"
    small.write_text("source,target\na,b\nb,c\n")
    res = subprocess.run([sys.executable, "-c", CHECK, str(small), str(room)], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
