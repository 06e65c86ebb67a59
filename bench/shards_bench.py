#!/usr/bin/env python3
"""shards_bench.py: issue 18's figures (sharded indexes), printed, never
pass/fail.

  bench/shards_bench.py BUILD_DIR [--n 100000] [--harvest one,1,2,4] [--reshard K,...]
                        [--queries 300] [--runs 3] [--workdir DIR] [--keep]

In one run, on one corpus of N records (tests/tools/gen_corpus.py --seed 42)
served by tests/tools/oai_server.py --prerender --page-size 500:

 (1) harvest + index: `fairdexd --once` (oai_dc, delay 0) into one database
     (no `index:`) and into 1, 2 and 4 local shards (`index: {shards:
     [{path}, ...]}`), in records in the index per second, with the peak
     RSS and the bytes on disk per record, next to the single-writer
     Xapian-only limit (../shared/bench/xapian_index on
     `gen_corpus.py --format scriptindex` of the same records, one commit),
     built by the shared Makefile (in a copy of the directory when it is
     read-only).  Goal of the issue: 2 shards >= 1.5 x that limit.
 (2) search: the query mix of gen_corpus.py --format queries (the syntax
     bench/query.py translates), one client on the Unix socket, limit 20,
     without and with four facets (source, type, year, fair: query.py's),
     over the one database, 1 and 2 local shards, and 2 remote shards (the
     two local shards served by read-only `xapian-tcpsrv` on 127.0.0.1 to a
     daemon in `index: {readonly: true}`), p50/p99 in ms, medians of RUNS
     warm passes.  Goal: with facets <= 2.5 x without, sharded or not.

--harvest names the layouts (1) builds in this run (`one` database, or a
number of local shards; an empty list skips (1), and the Xapian-only limit
is measured whenever one is built, unless --no-limit); --reshard K,... makes the layouts of K
local shards instead by `fairdex reshard --to K` of the one database
(timed: the way to a large sharded index without harvesting it again);
(2) searches every layout whose index
is in --workdir (default /tmp/fairdex-bench-shards-N, removed at the end
unless --keep or --workdir).  Run it with `nice`: the machine is
shared."""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
TOOLS = os.path.join(ROOT, "tests", "tools")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, HERE)
import harness  # noqa: E402
from harness import Daemon, free_port, wait_until  # noqa: E402
from query import pct, run_queries, to_fairdex  # noqa: E402
from test_shards import port_open  # noqa: E402

FACETS = ["source", "type", "year", "fair"]


def du(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
    return total


def xapian_index_bin(work):
    """../shared/bench/build/xapian_index, made by its Makefile (in a copy
    under work when ../shared/bench is not writable)."""
    src = SHARED
    if not os.access(src, os.W_OK):
        src = os.path.join(work, "shared-bench")
        if not os.path.isdir(src):
            shutil.copytree(SHARED, src, ignore=shutil.ignore_patterns("data", "results", "build"))
    subprocess.run(["make", "-s", "-C", src, "build/xapian_index"], check=True)
    return os.path.join(src, "build", "xapian_index")


def layout_extra(shards, readonly=False):
    """The `index:` map for shards: directory paths or tcp:// URLs."""
    if shards is None:
        return ""
    out = "index:\n" + ("  readonly: true\n" if readonly else "") + "  shards:\n"
    for s in shards:
        out += f"    - remote: {s}\n" if s.startswith("tcp://") else f"    - path: {s}\n"
    return out


def doc_count(path):
    out = subprocess.run(["xapian-delve", path], capture_output=True, text=True)
    m = re.search(r"number of documents = (\d+)", out.stdout)
    return int(m.group(1)) if m else 0


class Variant:
    """One index layout in its own directory of work: shards is None (one
    database under state_dir) or a number of local shard directories."""

    def __init__(self, work, name, nshards):
        self.name, self.dir = name, os.path.join(work, name.replace(" ", "-"))
        self.shards = None if nshards is None else [os.path.join(self.dir, f"shard{i}") for i in range(nshards)]

    def dbs(self):
        return self.shards or [os.path.join(self.dir, "state", "index")]

    def reshard(self, one):
        """fairdex reshard of the one database into this layout: seconds."""
        shutil.rmtree(self.dir, ignore_errors=True)
        t0 = time.monotonic()
        out = subprocess.run([harness.FAIRDEX, "reshard", "--config", os.path.join(one.dir, "fairdex.yaml"), "--to",
                              str(len(self.shards)), "--out", self.dir], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"fairdex reshard: {out.stderr}")
        return time.monotonic() - t0

    def harvest(self, url):
        """fairdexd --once: (seconds, peak RSS KiB, records in the index, bytes on disk)."""
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        d = Daemon(self.dir, [{"name": "bench", "type": "oai-pmh", "url": url, "delay": 0,
                               "formats": "[oai_dc]"}], extra=layout_extra(self.shards))
        rss = os.path.join(self.dir, "rss")
        t0 = time.monotonic()
        with open(d.logpath, "w") as log:
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss, harness.FAIRDEXD, "-c", d.config, "--once"],
                           stdout=log, stderr=log, check=True)
        secs = time.monotonic() - t0
        n = sum(doc_count(p) for p in self.dbs())
        return secs, int(open(rss).read().split()[-1]), n, sum(du(p) for p in self.dbs())


def serve(tmp, shards, readonly=False):
    """A daemon without sources over an existing index."""
    os.makedirs(tmp, exist_ok=True)
    return Daemon(tmp, [], extra=layout_extra(shards, readonly)).start()


def latencies(sock, queries, facets, runs):
    reqs = [json.dumps({"op": "search", "q": to_fairdex(q), "limit": 20, **({"facets": FACETS} if facets else {})})
            .encode() + b"\n" for q in queries]
    run_queries(sock, reqs)  # warm
    p50, p99, bad = [], [], 0
    for _ in range(runs):
        lat, b = run_queries(sock, reqs)
        p50.append(pct(lat, .5) / 1000)
        p99.append(pct(lat, .99) / 1000)
        bad += b
    return statistics.median(p50), statistics.median(p99), bad


def search(args, work, variants):
    """(2): the query mix over every layout whose index is in work."""
    print(f"== (2) search: {args.queries} queries, one client, limit 20; p50/p99 ms, medians of {args.runs} "
          f"warm passes; facets {FACETS}")
    qfile = os.path.join(work, f"queries-{args.queries}.txt")
    subprocess.run([sys.executable, os.path.join(TOOLS, "gen_corpus.py"), "-n", str(args.queries), "--format",
                    "queries", "--query-from", str(args.n), "-o", qfile], check=True)
    queries = [q for q in open(qfile).read().splitlines() if q]
    present = [v for v in variants if all(os.path.isdir(p) for p in v.dbs())]
    targets = [(v.name, v.dir, v.shards) for v in present if v.shards is None or len(v.shards) <= 2]
    two = next((v for v in present if v.shards and len(v.shards) == 2), None)
    servers = []
    if two and shutil.which("xapian-tcpsrv"):
        urls = []
        for p in two.shards:
            port = free_port()
            servers.append(subprocess.Popen(["xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port",
                                             str(port), p], start_new_session=True, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))
            urls.append(f"tcp://127.0.0.1:{port}")
            wait_until(lambda: port_open(port), 15, "xapian-tcpsrv")
        targets.append(("2 remote shards", os.path.join(work, "remote"), urls))
    try:
        print(f"{'':24} {'p50':>7} {'p99':>7} {'p50 f':>7} {'p99 f':>7} {'f/no f':>7} {'x row 1':>8}")
        base = None
        for name, d, shards in targets:
            dm = serve(d, shards, readonly=name.endswith("remote shards"))
            try:
                p50, p99, b1 = latencies(dm.socket, queries, False, args.runs)
                f50, f99, b2 = latencies(dm.socket, queries, True, args.runs)
            finally:
                dm.stop()
            base = base or p50
            print(f"{name:24} {p50:7.2f} {p99:7.2f} {f50:7.2f} {f99:7.2f} {f50 / p50:7.2f} {p50 / base:8.2f}"
                  + (f"  ({b1 + b2} error answers)" if b1 + b2 else ""), flush=True)
        print("goal: p50 with facets <= 2.5 x without")
    finally:
        for p in servers:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--harvest", default="one,1,2,4")
    ap.add_argument("--reshard", default="")
    ap.add_argument("--no-limit", action="store_true", help="do not measure the Xapian-only limit")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir")
    ap.add_argument("--keep", action="store_true", help="keep the indexes (default: when --workdir is given)")
    args = ap.parse_args()
    harness.FAIRDEXD = os.path.join(os.path.abspath(args.build), "fairdexd")
    harness.FAIRDEX = os.path.join(os.path.abspath(args.build), "fairdex")
    work = args.workdir or f"/tmp/fairdex-bench-shards-{args.n}"
    os.makedirs(work, exist_ok=True)
    build = [x for x in args.harvest.split(",") if x]
    variants = [Variant(work, "one database", None)] + [Variant(work, f"{k} local shard{'s' * (k > 1)}", k)
                                                        for k in (1, 2, 4)]
    built = [v for v in variants if (v.shards is None and "one" in build) or (v.shards and str(len(v.shards)) in build)]
    print(f"== {args.n} records (gen_corpus.py --seed 42), {os.cpu_count()} cores, load {os.getloadavg()}")

    if built:
        corpus, dump = os.path.join(work, "corpus.jsonl"), os.path.join(work, "dump.txt")
        for fmt, path in (("jsonl", corpus), ("scriptindex", dump)):
            if not os.path.exists(path):
                subprocess.run([sys.executable, os.path.join(TOOLS, "gen_corpus.py"), "-n", str(args.n), "--seed",
                                "42", "--format", fmt, "-o", path], check=True)
        xi = xapian_index_bin(work)
        srv = harness.OAIServer(work, "--corpus", corpus, "--page-size", "500", "--prerender")
        try:
            print("== (1) harvest + index")
            xrate = float("nan")
            if not args.no_limit:
                xdb = os.path.join(work, "xapian_db")
                shutil.rmtree(xdb, ignore_errors=True)
                out = subprocess.run([xi, dump, xdb], capture_output=True, text=True, check=True).stdout.strip()
                xrate = float(re.search(r"docs_per_s=([\d.]+)", out).group(1))
                xbytes = du(xdb) / int(re.search(r"docs=(\d+)", out).group(1))
                shutil.rmtree(xdb, ignore_errors=True)
                print(f"{'Xapian-only (xapian_index)':24} {out}  ({xbytes:.0f} bytes/record)")
            print(f"{'':24} {'seconds':>8} {'records':>8} {'rec/s':>7} {'x limit':>8} {'peak RSS':>9} "
                  f"{'bytes/rec':>9}")
            for v in built:
                secs, rss, n, size = v.harvest(srv.url)
                print(f"{v.name:24} {secs:8.1f} {n:8d} {n / secs:7.0f} {n / secs / xrate:8.2f} "
                      f"{rss / 1024:7.0f}MB {size / max(n, 1):9.0f}", flush=True)
            print("goal: 2 local shards >= 1.50 x the Xapian-only limit")
        finally:
            srv.stop()

    for k in [int(x) for x in args.reshard.split(",") if x]:
        v = next(v for v in variants if v.shards and len(v.shards) == k)
        secs = v.reshard(variants[0])
        n = sum(doc_count(p) for p in v.dbs())
        print(f"{v.name}: fairdex reshard --to {k} of the one database: {n} records in {secs:.1f} s "
              f"({n / secs:.0f} records/s), {sum(du(p) for p in v.dbs()) / max(n, 1):.0f} bytes/record", flush=True)

    if args.queries > 0:
        search(args, work, variants)
    if not args.keep and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
