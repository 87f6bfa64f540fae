"""Benchmark: loading a post table (``read_posts`` + ``posts_to_graph``) and ``load_inputs`` with
follows, profiles and posts, on the generated ``bench/out/brand-N`` data of ``bench_brand.py``.

Usage::

    python bench/bench_posts.py                          # 10M edges (2M posts), data in bench/out
    python bench/bench_posts.py --data /work/main/bench/out/brand-10000000

Times are wall seconds in this process (imports excluded), best of ``--reps``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's graphinflu, not another editable install

from graphinflu.loaders.posts import owner_hashtags, posts_to_graph, read_posts  # noqa: E402
from graphinflu.params import LoadOptions  # noqa: E402
from graphinflu.pipeline import load_inputs  # noqa: E402


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE / "out" / "brand-10000000")
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--no-full", action="store_true", help="skip load_inputs with follows and profiles")
    args = ap.parse_args()
    best: dict[str, float] = {}
    for _ in range(args.reps):
        posts, t_read = timed(read_posts, args.data / "posts.csv")
        _, t_tags = timed(owner_hashtags, posts)
        g, t_graph = timed(posts_to_graph, posts)
        row = {"read_posts": t_read, "owner_hashtags": t_tags, "posts_to_graph": t_graph}
        if not args.no_full:
            opts = LoadOptions(follows=args.data / "follows.csv", profiles=args.data / "profiles.csv",
                               posts=args.data / "posts.csv")
            _, row["load_inputs"] = timed(load_inputs, opts)
        for k, v in row.items():
            best[k] = min(best.get(k, v), v)
    print(f"{len(posts):,} posts, {g.n_edges:,} interaction edges: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in best.items()))


if __name__ == "__main__":
    main()
