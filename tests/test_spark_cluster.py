"""The cluster recipe of the README, run for real: a Spark standalone master and one worker
started from the pyspark install (``spark-class ...deploy.master.Master`` / ``...deploy.worker.Worker``:
pip's pyspark ships no ``start-master.sh``), then

* ``spark-submit --master spark://… graphinflu/__main__.py analyze FILE --engine spark`` (client
  mode, graphinflu shipped to the executors with ``--py-files``), and
* ``graphinflu rank FILE --engine spark --spark-master spark://…`` from a plain process,

whose tables equal the local engine's. Each runs in its own process (its own driver JVM), so
the test session's local[2] session is not disturbed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphinflu.cli import cli
from neo4j_server import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUNDLED = ROOT / "graphinflu" / "data" / "twitter_follower_sets.tsv.gz"


def _spark_bin(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:  # never skipped: pyspark (the [spark] extra) installs these scripts beside python
        raise RuntimeError(f"{name} not found beside {sys.executable} or on PATH; pip install 'graphinflu[spark]'")
    return found


@pytest.fixture(scope="module")
def standalone(tmp_path_factory):
    """A standalone master and one worker (1 core, 1 GB) on 127.0.0.1; yields the master URL."""
    tmp = tmp_path_factory.mktemp("standalone")
    env = {**os.environ, "SPARK_WORKER_DIR": str(tmp / "work"), "SPARK_LOCAL_DIRS": str(tmp / "local"),
           "SPARK_LOG_DIR": str(tmp / "logs"), "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    port, ui, worker_ui = free_port(), free_port(), free_port()
    url = f"spark://127.0.0.1:{port}"
    logs = []
    procs = []
    try:
        for args in (["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
                      "--webui-port", str(ui)],
                     ["org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                      "--webui-port", str(worker_ui), url]):
            log = open(tmp / f"{args[0].rsplit('.', 1)[-1]}.log", "wb")
            logs.append(log)
            procs.append(subprocess.Popen([_spark_bin("spark-class"), *args], stdout=log, stderr=subprocess.STDOUT,
                                          env=env, start_new_session=True))
        deadline = time.time() + 180
        while True:  # the master's JSON page lists the worker once it has registered
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json", timeout=5) as res:
                    if any(w.get("state") == "ALIVE" for w in json.load(res).get("workers", [])):
                        break
            except OSError:
                pass
            if time.time() > deadline or any(p.poll() is not None for p in procs):
                text = "".join((tmp / f).read_text(errors="replace")[-2000:] for f in ("Master.log", "Worker.log"))
                raise RuntimeError(f"the standalone master/worker did not come up:\n{text}")
            time.sleep(1)
        yield url, env
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs:
            log.close()


def _local(tmp_path, args: list[str]) -> pd.DataFrame:
    out = tmp_path / "local.csv"
    res = CliRunner().invoke(cli, [*args, "-q", "-o", str(out)])
    assert res.exit_code == 0, res.output
    return pd.read_csv(out)


def test_spark_submit_on_a_standalone_cluster_equals_local(standalone, tmp_path):
    """The README's spark-submit recipe (client mode, graphinflu's own __main__.py as the
    application, graphinflu shipped with --py-files): the exact overlap of the top creators equals
    the local engine's. (A few Spark jobs: the whole analyze, PageRank's ~90 jobs included, was run
    the same way once by hand; on the shared 2-core machine it takes minutes.)"""
    url, env = standalone
    shipped = shutil.make_archive(str(tmp_path / "graphinflu"), "zip", root_dir=ROOT, base_dir="graphinflu")
    args = ["overlap", str(BUNDLED), "--top", "12", "--view", "pairs"]
    out = tmp_path / "cluster.csv"
    cmd = [_spark_bin("spark-submit"), "--master", url, "--deploy-mode", "client", "--driver-memory", "1g",
           "--executor-memory", "1g", "--total-executor-cores", "1", "--conf", "spark.driver.host=127.0.0.1",
           "--conf", "spark.sql.shuffle.partitions=4", "--py-files", shipped,
           str(ROOT / "graphinflu" / "__main__.py"), *args, "--engine", "spark", "-q", "-o", str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900, cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    got = pd.read_csv(out)
    assert len(got) > 20
    pd.testing.assert_frame_equal(got, _local(tmp_path, args))


def test_spark_master_option_on_a_standalone_cluster_equals_local(standalone, tmp_path):
    """--spark-master spark://… from a plain process (graphinflu runs the driver, the worker's
    executor the tasks)."""
    url, env = standalone
    args = ["similar", str(BUNDLED), "Set 3", "--top", "30"]
    out = tmp_path / "cluster.csv"
    res = subprocess.run([sys.executable, "-m", "graphinflu", *args, "--engine", "spark", "--spark-master", url, "-q",
                          "-o", str(out)], capture_output=True, text=True, env=env, timeout=900, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-3000:]
    got = pd.read_csv(out)
    assert len(got) == 30
    pd.testing.assert_frame_equal(got, _local(tmp_path, args))
