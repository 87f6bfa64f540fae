"""Benchmark: `graphinflu analyze` with the local engine against `--engine spark` on `local[2]`.

For each size it generates follows with `graphinflu generate` (Parquet, seeded), then runs, each
in a fresh process, ``graphinflu analyze FOLLOWS --no-map -q`` with ``--engine local`` and with
``--engine spark --spark-master local[2]`` (JVM start-up included), and reports wall time and the
peak resident memory of the whole process tree (the Spark driver JVM is a child process), sampled
every 100 ms. Results go to ``bench/out/bench_spark.json``.

Usage::

    python bench/bench_spark.py                          # 1M and 10M edges
    python bench/bench_spark.py --sizes 1000000 --engines spark
    python bench/bench_spark.py --sizes 10000000 --engines local --local-memory 3000000
    python bench/bench_spark.py --sizes 20000000 --local-memory 4000000 --spark-driver-memory 4g   # larger than local

``--local-memory`` caps the local engine's address space (``ulimit -v``, in KB), to show what
happens to a graph larger than the memory it is given: it refuses at once with "too large for this
machine ... use --engine spark".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_analyze import OUT, measure  # noqa: E402


def run(cmd: list[str], timeout: float) -> dict:
    """``bench_analyze.measure`` (wall time; peak resident memory of the whole process tree, the
    driver JVM included) in this benchmark's terms."""
    r = measure(cmd, timeout)
    if r["rc"] == "timeout":
        return {"status": "timeout", "seconds": timeout}
    return {"status": r["rc"], "seconds": round(r["wall_s"], 2), "peak_mb": round(r["peak_mb"]),
            "stderr_tail": r["stderr"].strip().splitlines()[-3:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--engines", nargs="+", default=["local", "spark"])
    ap.add_argument("--local-memory", type=int, default=None,
                    help="address-space cap of the local engine in KB (ulimit -v), e.g. 3000000")
    ap.add_argument("--spark-driver-memory", default=None,
                    help="Spark driver JVM heap (GRAPHINFLU_SPARK_DRIVER_MEMORY; local mode runs every task in it)")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    py = sys.executable
    results = []
    for size in args.sizes:
        data = OUT / f"spark-gen-{size}"
        follows = data / "follows.parquet"
        if not follows.exists():
            subprocess.run([py, "-m", "graphinflu", "generate", "--edges", str(size), "--format", "parquet",
                            "-o", str(data), "-q"], check=True)
        for engine in args.engines:
            cmd = [py, "-m", "graphinflu", "analyze", str(follows), "--no-map", "-q", "-o",
                   str(OUT / f"spark-run-{engine}-{size}"), "--engine", engine]
            if engine == "spark":
                cmd += ["--spark-master", "local[2]"]
            elif args.local_memory:  # ulimit -v in a shell: the cap the local engine runs under
                cmd = ["bash", "-c", f'ulimit -v {args.local_memory} && exec "$0" "$@"'] + cmd
            if engine == "spark" and args.spark_driver_memory:
                os.environ["GRAPHINFLU_SPARK_DRIVER_MEMORY"] = args.spark_driver_memory
            load_before = os.getloadavg()[0]
            res = {"edges": size, "engine": engine, "cap": args.local_memory if engine == "local" else None,
                   "driver_memory": os.environ.get("GRAPHINFLU_SPARK_DRIVER_MEMORY", "4g") if engine == "spark" else None,
                   **run(cmd, args.timeout), "load_avg": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
            print(json.dumps(res), flush=True)
            results.append(res)
    path = OUT / "bench_spark.json"
    old = json.loads(path.read_text()) if path.exists() else []
    path.write_text(json.dumps(old + results, indent=1) + "\n")


if __name__ == "__main__":
    main()
