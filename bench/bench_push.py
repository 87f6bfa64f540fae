"""Push a generated follower graph into the embedded FalkorDB and a live Neo4j: rows per second
against batch size.

    python bench/bench_push.py [--edges 1000000] [--batch-sizes 5000,20000,50000]
                               [--neo4j | --start-neo4j] [--no-falkordb]

--neo4j measures the Neo4j that NEO4J_URI names (it is emptied before each batch size);
--start-neo4j starts a throwaway Neo4j Community 5.26 (tests/neo4j_server.py, jars from Maven).

For each batch size, in a fresh database: the schema (index on :Account(id)), the accounts
(load_accounts.cypher), then the follows (load_follows.cypher: MATCH both endpoints on the indexed
id, MERGE the relationship), timed separately; then the same push again, which must change
nothing (no node, relationship or property) and finish faster. Also times, once, the naive
statement (MERGE both endpoints inside the follow load) for comparison. Prints a table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphinflu import store as st  # noqa: E402
from graphinflu.generate import generate  # noqa: E402
from graphinflu.graph import Graph  # noqa: E402

NAIVE = ("UNWIND $rows AS row MERGE (a:Account {id: row.s}) MERGE (b:Account {id: row.t}) "
         "MERGE (a)-[:FOLLOWS]->(b)")


def _empty(store) -> None:
    while int(store.run("MATCH (n) WITH n LIMIT 50000 DETACH DELETE n RETURN count(*) AS n", write=True).iloc[0, 0]):
        pass


def run(graph: Graph, batch: int, open_store, naive: bool = False) -> dict:
    """One push of accounts then follows (and the follows again) at ``batch`` rows per transaction
    into ``open_store(name)``, an empty store."""
    acc = st.account_rows(graph)
    fol = st.follow_rows(graph)
    with open_store(f"b{batch}{'-naive' if naive else ''}") as s:
        s.setup_schema()
        t0 = time.perf_counter()
        for i in range(0, len(acc), batch):
            s.write(st.get_query("load_accounts").statement, {"rows": acc[i:i + batch]})
        t_acc = time.perf_counter() - t0
        stmt = NAIVE if naive else st.get_query("load_follows").statement
        out = {"engine": s.kind, "batch_size": batch, "statement": "naive MERGE" if naive else "load_follows"}
        for attempt in ("first", "rerun"):
            changed = st.WriteCounts()
            t0 = time.perf_counter()
            for i in range(0, len(fol), batch):
                changed.add(s.write(stmt, {"rows": fol[i:i + batch]}))
            t = time.perf_counter() - t0
            out[f"{attempt}_s"] = round(t, 2)
            out[f"{attempt}_edges_per_s"] = round(len(fol) / t)
            out[f"{attempt}_rels_created"] = changed.relationships_created
            if naive:
                break
        out["accounts_per_s"] = round(len(acc) / t_acc)
        c = s.counts()
        out["nodes"], out["relationships"] = c["nodes"], c["relationships"]
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--batch-sizes", default="5000,20000,50000")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-naive", action="store_true", help="Skip the naive-statement comparison.")
    ap.add_argument("--neo4j", action="store_true", help="Also measure the Neo4j at NEO4J_URI (emptied first).")
    ap.add_argument("--start-neo4j", action="store_true", help="Also measure a throwaway Neo4j started here.")
    ap.add_argument("--no-falkordb", action="store_true", help="Skip the embedded FalkorDB.")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    data = generate(args.edges, seed=args.seed)
    prof = data.profiles.to_pandas().set_index("id")
    g = Graph.from_pandas(data.follows.to_pandas(), accounts=prof)
    print(f"generated {g!r} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix="bench-push-"))
    engines, server = [], None
    if not args.no_falkordb:
        engines.append(lambda name: st.connect(f"falkordb://{work / name}.db"))
    if args.start_neo4j:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        import neo4j_server

        server = neo4j_server.start(work / "neo4j", heap="2g")
        os.environ.update(server.env())
    if args.neo4j or args.start_neo4j:
        def neo4j_store(name):
            s = st.connect(env=os.environ)
            _empty(s)
            return s
        engines.append(neo4j_store)
    rows = []
    try:
        for open_store in engines:
            for b in [int(x) for x in args.batch_sizes.split(",")]:
                rows.append(run(g, b, open_store))
                print(rows[-1], file=sys.stderr)
            if not args.no_naive:
                rows.append(run(g, 20_000, open_store, naive=True))
                print(rows[-1], file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
