#!/usr/bin/env python3
"""facets_shards.py: the cost of four facets, on one database or on shards.

Issue 18's goal: a search with four facets ("source", "type", "year",
"fair") takes at most 2.5 x the same search without them, sharded or not.
Builds (once, kept in --workdir) an index of --n records harvested from
tests/tools/oai_server.py --generate N (bench/query.py's corpus and query
mix), with --shards N local shards when N > 1 (the `index:` configuration
of docs/configuration.md), serves it with fairdexd and measures, through
the socket, one client, the query mix without and with the four facets,
interleaved in --runs rounds (the machine is shared and noisy), and
prints p50/p99 of each and their ratio per round and overall, and the
p50 of the daemon's CPU time per request (its threads' schedstat run
time: what a loaded machine's waits do not inflate) and its ratio.

  nice python3 bench/facets_shards.py [--n 100000] [--queries 300] [--runs 3]
                                      [--shards 1] [--build build]
                                      [--workdir /tmp/fairdex-bench-facets]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import query  # noqa: E402  (bench/query.py: corpus, query mix, daemon)

FACETS = ["source", "type", "year", "fair"]


def shard_config(state, n):
    """The `index:` block of n local shards under state (none for 1)."""
    if n <= 1:
        return ""
    lines = ["index:", "  shards:"]
    lines += [f"    - path: {os.path.join(state, f'shard{i}')}" for i in range(n)]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--build", default=os.path.join(query.ROOT, "build"))
    ap.add_argument("--workdir", default="/tmp/fairdex-bench-facets")
    args = ap.parse_args()

    extra = ""
    if args.shards > 1:
        args.workdir = f"{args.workdir}-{args.shards}shards"
        extra = shard_config(os.path.join(args.workdir, f"state-{args.n}"), args.shards)
    write = query.write_config
    # query.py's daemons, with the shards' `index:` block added
    query.write_config = lambda path, *a, **k: (write(path, *a, **k), open(path, "a").write(extra))
    fairdexd, state, _, queries = query.index_and_queries(args)
    d, sock = query.serve(args.workdir, fairdexd, state)
    try:
        plain = [json.dumps({"op": "search", "q": query.to_fairdex(q), "limit": 20}).encode() + b"\n"
                 for q in queries]
        faceted = [json.dumps({"op": "search", "q": query.to_fairdex(q), "limit": 20, "facets": FACETS}).encode()
                   + b"\n" for q in queries]
        query.run_queries(sock, plain)  # warm
        query.run_queries(sock, faceted)
        all_p, all_f, all_cp, all_cf = [], [], [], []
        print(f"index: {args.n} records, {args.shards} shard(s), {len(queries)} queries, {os.cpu_count()} cores")
        print(f"{'round':>5} {'p50 us':>9} {'p99 us':>9} {'facets p50':>11} {'facets p99':>11} {'p50 ratio':>10} "
              f"{'cpu p50 us':>11} {'facets cpu':>11} {'cpu ratio':>10}")
        for r in range(args.runs):
            cp, cf = [], []
            lp, bp = query.run_queries(sock, plain, d.pid, cp)
            lf, bf = query.run_queries(sock, faceted, d.pid, cf)
            if bp or bf:
                sys.exit(f"{bp + bf} requests failed")
            all_p += lp
            all_f += lf
            all_cp += cp
            all_cf += cf
            p50, f50, c50, cf50 = (query.pct(v, 0.5) for v in (lp, lf, cp, cf))
            print(f"{r + 1:>5} {p50:9.0f} {query.pct(lp, 0.99):9.0f} {f50:11.0f} {query.pct(lf, 0.99):11.0f} "
                  f"{f50 / p50:10.2f} {c50:11.0f} {cf50:11.0f} {cf50 / c50:10.2f}")
        p50, f50, c50, cf50 = (query.pct(v, 0.5) for v in (all_p, all_f, all_cp, all_cf))
        print(f"{'all':>5} {p50:9.0f} {query.pct(all_p, 0.99):9.0f} {f50:11.0f} {query.pct(all_f, 0.99):11.0f} "
              f"{f50 / p50:10.2f} {c50:11.0f} {cf50:11.0f} {cf50 / c50:10.2f}")
    finally:
        d.terminate()
        d.wait()


if __name__ == "__main__":
    main()
