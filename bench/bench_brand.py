"""Benchmark: a full brand-fit ``graphinflu analyze`` on generated data with a planted brand.

For each size (follow edges) it generates data with ``graphinflu generate --plant-brand`` (seed 0,
kept under ``bench/out/brand-N``), then runs, in a fresh process (interpreter start-up and exit
included; peak resident memory as in ``bench_analyze.py``)::

    graphinflu analyze follows.csv --profiles profiles.csv --posts posts.csv \\
        --brand brand_official --competitors rival_one,rival_two --no-map -o OUT

once without ``--posts`` and once with it (2M posts), that is: authority, tiers, engagement with
its benchmarks (with posts), audience quality, brand affinity from
the brand's and competitors' followers, niches (niche stability is skipped above 500,000 edges,
as ``analyze`` does by default), targets, overlap among the top 100 and the shortlist. It
prints the wall time, the peak memory, each step's time from the manifest, and precision@20 of
``targets.csv`` against the planted fit creators (``brand_fit.csv``).

Usage::

    python bench/bench_brand.py                       # 1M and 10M edges
    python bench/bench_brand.py --sizes 10000000 --reps 2

Target (issue #10): ``analyze`` on 10M edges with a brand under 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_analyze import OUT, measure  # noqa: E402

BRAND = ["--brand", "brand_official", "--competitors", "rival_one,rival_two"]


def generated(n_edges: int) -> Path:
    out = OUT / f"brand-{n_edges}"
    if not (out / "brand_fit.csv").exists():
        subprocess.run([sys.executable, "-m", "graphinflu", "generate", "--edges", str(n_edges), "--seed", "0",
                        "--plant-brand", "-o", str(out), "-q"], check=True)
    return out


def run_size(n_edges: int, reps: int, posts: bool) -> dict:
    gen = generated(n_edges)
    out = gen / "analyze-out"
    runs = []
    extra = ["--posts", str(gen / "posts.csv")] if posts else []
    for _ in range(reps):
        r = measure([sys.executable, "-m", "graphinflu", "analyze", str(gen / "follows.csv"), "--profiles",
                     str(gen / "profiles.csv"), *extra, *BRAND, "--no-map", "-q", "-o", str(out)], 3600)
        if r["rc"] != 0:
            raise SystemExit(f"analyze failed: {r['stderr']}")
        runs.append(r)
    best = min(runs, key=lambda r: r["wall_s"])
    manifest = json.loads((out / "manifest.json").read_text())
    fit = set(pd.read_csv(gen / "brand_fit.csv", dtype={"id": str})["id"])
    top = pd.read_csv(out / "targets.csv", dtype={"id": str}, usecols=["id"], nrows=20)["id"]
    return {"edges": n_edges, "posts": posts, "analyze_s": round(best["wall_s"], 2), "peak_mb": round(best["peak_mb"]),
            "steps_s": manifest["timings_s"], "precision_at_20": top.isin(fit).mean(),
            "fit_creators": len(fit)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--reps", type=int, default=3, help="analyze runs per size (best is reported).")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    rows = [run_size(n, args.reps, posts) for n in args.sizes for posts in (False, True)]
    for r in rows:
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["steps_s"].items())
        what = "follows, profiles and posts" if r["posts"] else "follows and profiles"
        print(f"{r['edges']:>11,} edges ({what}): analyze with a brand {r['analyze_s']} s, peak {r['peak_mb']} MB, "
              f"precision@20 {r['precision_at_20']:.2f} of {r['fit_creators']} planted fit creators ({steps})")
    (OUT / "bench_brand.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
