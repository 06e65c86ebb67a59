#!/usr/bin/env python3
"""shards_bench.py: issue 18's figures (sharded indexes), printed, never
pass/fail.

  bench/shards_bench.py BUILD_DIR [--n 100000] [--harvest one,1,2,4] [--reshard K,...]
                        [--static RECORDS] [--compact-shards] [--one-from 2] [--check-one]
                        [--queries 300] [--runs 3] [--workdir DIR] [--keep]

In one run, on one corpus of N records (tests/tools/gen_corpus.py --seed 42)
served by tests/tools/oai_server.py --prerender --page-size 500 (--page-size):

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
shared.

A million records (issue 18's search figures).  oai_server.py holds the
whole corpus in memory (11 GB with --prerender at 1,000,000) and each
layout harvested anew costs 20 to 40 minutes, so:

 --static RECORDS  serves the corpus as static ListRecords files of RECORDS
     records each (gen_corpus.py --start S -n RECORDS --format listrecords,
     about 2.4 kB a record: the daemon reads a file:// document up to
     256 MB, so 100,000 at most), written by one gen_corpus.py per core,
     harvested as sources bench00, bench01, ... in one `fairdexd --once`.
     The records are gen_corpus.py --seed 42's, the same as oai_server.py
     serves; their ids are "benchNN:<OAI id>" instead of "bench:<OAI id>",
     so the `source` facet has one value per file.
 --compact-shards  compacts each shard of the local layouts in place
     after (1) (`xapian-compact --no-renumber`: 20 to 30 % smaller), so
     that the layouts compare on equal terms with a --one-from database,
     which is compacted by construction.
 --one-from 2  makes the `one` database and the 1-shard layout from the
     2-shard layout instead of harvesting them: `fairdex reshard --to 1`
     of it, which over local shards is Xapian's compaction of them (the
     documents as stored, spellings summed, the metadata merged as a
     reshard merges it: checkpoints from the home shard, the DOI-shared
     flag that turns DOI collapse on computed over the whole), into
     one-database/state/index; the 1-shard layout is that database named
     as a shard (1-local-shard/shard0, a symbolic link to it; the layout
     key "hash 1" the reshard writes is what a 1-shard daemon wants, and
     a daemon without `index:` never reads it).
 --check-one  with --one-from: also harvests a one database
     (one-harvested/) and compares its daemon's answers to the query mix,
     with and without facets, to the compacted one's: totals, facet
     counts and hits must be equal; hits whose relevance ties are
     ordered differently (by docid, which the harvest interleaves and the
     compaction does not) are counted and printed, not failed.

The 1,000,000-record run (about 45 minutes on a quiet 2-core machine;
the phases are timed in the output):

  nice bench/shards_bench.py BUILD_DIR --n 1000000 --static 100000 \
       --harvest 2 --compact-shards --one-from 2 --no-limit \
       --workdir /tmp/fairdex-1m --keep

It needs about 40 GB of disk in --workdir (46 GB without
--compact-shards): docs/scaling.md, "Reproducing the 1,000,000-record
run", has the procedure, its check and its timings."""
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

    def reshard(self, src, to, out):
        """fairdex reshard --to `to` of the layout src into out: (seconds, peak RSS KiB)."""
        shutil.rmtree(out, ignore_errors=True)
        rss = os.path.join(src.dir, "rss-reshard")
        t0 = time.monotonic()
        res = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss, harness.FAIRDEX, "reshard", "--config",
                              os.path.join(src.dir, "fairdex.yaml"), "--to", str(to), "--out", out],
                             capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f"fairdex reshard: {res.stderr}")
        return time.monotonic() - t0, int(open(rss).read().split()[-1])

    def compact_from(self, two, single):
        """--one-from: this layout (the one database) as `fairdex reshard --to
        1` of the layout two; single (the 1-shard layout) named on it."""
        shutil.rmtree(self.dir, ignore_errors=True)
        tmp = os.path.join(self.dir, "reshard")
        secs, rss = self.reshard(two, 1, tmp)
        os.makedirs(os.path.join(self.dir, "state"))
        os.rename(os.path.join(tmp, "shard0"), self.dbs()[0])
        os.rmdir(tmp)
        shutil.rmtree(single.dir, ignore_errors=True)
        os.makedirs(single.dir)
        os.symlink(self.dbs()[0], single.shards[0])
        return secs, rss

    def harvest(self, urls):
        """fairdexd --once of the sources urls ({name: url}): (seconds, peak
        RSS KiB, records in the index, bytes on disk)."""
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        d = Daemon(self.dir, [{"name": name, "type": "oai-pmh", "url": url, "delay": 0, "formats": "[oai_dc]"}
                              for name, url in urls.items()], extra=layout_extra(self.shards))
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


def query_mix(args, work):
    """gen_corpus.py's query mix, --queries of them drawn from --n records."""
    qfile = os.path.join(work, f"queries-{args.queries}.txt")
    subprocess.run([sys.executable, os.path.join(TOOLS, "gen_corpus.py"), "-n", str(args.queries), "--format",
                    "queries", "--query-from", str(args.n), "-o", qfile], check=True)
    return [q for q in open(qfile).read().splitlines() if q]


def search(args, work, variants):
    """(2): the query mix over every layout whose index is in work."""
    print(f"== (2) search: {args.queries} queries, one client, limit 20; p50/p99 ms, medians of {args.runs} "
          f"warm passes; facets {FACETS}")
    queries = query_mix(args, work)
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


def static_corpus(work, n, per):
    """--static: the corpus as ListRecords files of per records, one
    gen_corpus.py per core: {source name: file:// URL}."""
    urls, todo, running = {}, [], []
    for k, start in enumerate(range(0, n, per)):
        path = os.path.join(work, f"listrecords-{start}-{min(per, n - start)}.xml")
        urls[f"bench{k:02d}"] = "file://" + path
        if not os.path.exists(path):
            todo.append((path, [sys.executable, os.path.join(TOOLS, "gen_corpus.py"), "-n", str(min(per, n - start)),
                                "--start", str(start), "--seed", "42", "--format", "listrecords", "-o",
                                path + ".part"]))
    while todo or running:
        while todo and len(running) < (os.cpu_count() or 1):
            path, cmd = todo.pop(0)
            running.append((path, subprocess.Popen(cmd)))
        path, proc = running.pop(0)
        if proc.wait() != 0:
            sys.exit(f"gen_corpus.py failed on {path}")
        os.rename(path + ".part", path)
    for url in urls.values():
        if os.path.getsize(url[7:]) >= 256 << 20:
            sys.exit(f"{url[7:]} is over the 256 MB the daemon reads of a file: lower --static")
    return urls


def answer_key(a):
    """What --check-one compares of a search answer, hits apart."""
    return {k: v for k, v in a.items() if k not in ("hits", "next_cursor")}


def tie_order_only(h1, h2):
    """Hits that differ only in the order of equal scores (or which of a
    tie at the last place made the page)."""
    if [h["score"] for h in h1] != [h["score"] for h in h2]:
        return False
    last = h1[-1]["score"] if h1 else None
    for score in set(h["score"] for h in h1):
        a = sorted(h["id"] for h in h1 if h["score"] == score)
        b = sorted(h["id"] for h in h2 if h["score"] == score)
        if a != b and score != last:
            return False
    return True


def compare_answers(d1, d2, queries):
    """(equal, equal but for relevance ties, different, examples) over
    the query mix with and without facets."""
    same = ties = bad = 0
    examples = []
    for q in queries:
        for facets in (False, True):
            req = {"op": "search", "q": to_fairdex(q), "limit": 20, **({"facets": FACETS} if facets else {})}
            a, b = d1.call(req), d2.call(req)
            if answer_key(a) != answer_key(b):
                bad += 1
                examples.append((req, answer_key(a), answer_key(b)))
            elif [h["id"] for h in a.get("hits", [])] == [h["id"] for h in b.get("hits", [])]:
                same += 1
            elif tie_order_only(a["hits"], b["hits"]):
                ties += 1
            else:
                bad += 1
                examples.append((req, a["hits"], b["hits"]))
    return same, ties, bad, examples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--harvest", default="one,1,2,4")
    ap.add_argument("--reshard", default="")
    ap.add_argument("--static", type=int, default=0, metavar="RECORDS",
                    help="serve the corpus as static ListRecords files of RECORDS records (<= 100000)")
    ap.add_argument("--one-from", type=int, choices=[2], help="make the one database (and 1 shard) by compacting "
                    "the 2-shard layout instead of harvesting it")
    ap.add_argument("--compact-shards", action="store_true", help="xapian-compact each shard of the local layouts "
                    "after (1), so that every layout searched is compacted as the --one-from database is")
    ap.add_argument("--check-one", action="store_true", help="with --one-from: harvest a one database too and "
                    "compare its answers to the compacted one's")
    ap.add_argument("--no-limit", action="store_true", help="do not measure the Xapian-only limit")
    ap.add_argument("--page-size", type=int, default=500, help="records per ListRecords page of oai_server.py")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir")
    ap.add_argument("--keep", action="store_true", help="keep the indexes (default: when --workdir is given)")
    args = ap.parse_args()
    if args.check_one and not args.one_from:
        ap.error("--check-one needs --one-from")
    harness.FAIRDEXD = os.path.join(os.path.abspath(args.build), "fairdexd")
    harness.FAIRDEX = os.path.join(os.path.abspath(args.build), "fairdex")
    work = os.path.abspath(args.workdir or f"/tmp/fairdex-bench-shards-{args.n}")
    os.makedirs(work, exist_ok=True)
    build = [x for x in args.harvest.split(",") if x]
    if args.one_from:
        build = [x for x in build if x not in ("one", "1")]
    variants = [Variant(work, "one database", None)] + [Variant(work, f"{k} local shard{'s' * (k > 1)}", k)
                                                        for k in (1, 2, 4)]
    built = [v for v in variants if (v.shards is None and "one" in build) or (v.shards and str(len(v.shards)) in build)]
    harvested_one = Variant(work, "one harvested", None)
    if args.check_one:
        built.append(harvested_one)
    began = time.monotonic()
    print(f"== {args.n} records (gen_corpus.py --seed 42), {os.cpu_count()} cores, load {os.getloadavg()}")

    if built:
        t0 = time.monotonic()
        dump = os.path.join(work, "dump.txt")
        if args.static:
            urls = static_corpus(work, args.n, args.static)
        else:
            corpus = os.path.join(work, "corpus.jsonl")
            if not os.path.exists(corpus):
                subprocess.run([sys.executable, os.path.join(TOOLS, "gen_corpus.py"), "-n", str(args.n), "--seed",
                                "42", "--format", "jsonl", "-o", corpus], check=True)
        if not args.no_limit and not os.path.exists(dump):
            subprocess.run([sys.executable, os.path.join(TOOLS, "gen_corpus.py"), "-n", str(args.n), "--seed",
                            "42", "--format", "scriptindex", "-o", dump], check=True)
        print(f"corpus: {time.monotonic() - t0:.1f} s" + (f" ({len(urls)} static ListRecords files)"
                                                            if args.static else ""), flush=True)
        srv = None
        if not args.static:
            srv = harness.OAIServer(work, "--corpus", corpus, "--page-size", str(args.page_size), "--prerender")
            urls = {"bench": srv.url}
        try:
            print("== (1) harvest + index")
            xrate = float("nan")
            if not args.no_limit:
                xi = xapian_index_bin(work)
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
                secs, rss, n, size = v.harvest(urls)
                print(f"{v.name:24} {secs:8.1f} {n:8d} {n / secs:7.0f} {n / secs / xrate:8.2f} "
                      f"{rss / 1024:7.0f}MB {size / max(n, 1):9.0f}", flush=True)
            print("goal: 2 local shards >= 1.50 x the Xapian-only limit")
        finally:
            if srv:
                srv.stop()
        if args.static:
            for url in urls.values():
                os.unlink(url[7:])

    if args.compact_shards:
        for v in variants[1:]:
            if all(os.path.isdir(p) and not os.path.islink(p) for p in v.shards):
                t0 = time.monotonic()
                for p in v.shards:
                    shutil.rmtree(p + ".compact", ignore_errors=True)
                    subprocess.run(["xapian-compact", "--no-renumber", p, p + ".compact"], check=True,
                                   stdout=subprocess.DEVNULL)
                    shutil.rmtree(p)
                    os.rename(p + ".compact", p)
                n = sum(doc_count(p) for p in v.dbs())
                print(f"{v.name} compacted (xapian-compact of each shard): {time.monotonic() - t0:.1f} s, "
                      f"{sum(du(p) for p in v.dbs()) / max(n, 1):.0f} bytes/record", flush=True)

    if args.one_from:
        two = next(v for v in variants if v.shards and len(v.shards) == args.one_from)
        if not all(os.path.isdir(p) for p in two.dbs()):
            sys.exit(f"--one-from {args.one_from}: no {two.name} in {work} (add {args.one_from} to --harvest)")
        secs, rss = variants[0].compact_from(two, variants[1])
        n = doc_count(variants[0].dbs()[0])
        print(f"one database = fairdex reshard --to 1 of the {two.name} (compaction): {n} records in {secs:.1f} s, "
              f"peak RSS {rss / 1024:.0f}MB, {du(variants[0].dbs()[0]) / max(n, 1):.0f} bytes/record; "
              f"1 local shard = the same database", flush=True)

    for k in [int(x) for x in args.reshard.split(",") if x]:
        v = next(v for v in variants if v.shards and len(v.shards) == k)
        secs, _ = v.reshard(variants[0], k, v.dir)
        n = sum(doc_count(p) for p in v.dbs())
        print(f"{v.name}: fairdex reshard --to {k} of the one database: {n} records in {secs:.1f} s "
              f"({n / secs:.0f} records/s), {sum(du(p) for p in v.dbs()) / max(n, 1):.0f} bytes/record", flush=True)

    if args.check_one:
        t0 = time.monotonic()
        queries = query_mix(args, work)
        d1 = serve(harvested_one.dir, None)
        d2 = serve(variants[0].dir, None)
        try:
            same, ties, bad, examples = compare_answers(d1, d2, queries)
        finally:
            d1.stop()
            d2.stop()
        print(f"== check: compacted one database against a harvested one, {len(queries)} queries with and without "
              f"facets: {same} answers equal, {ties} equal but for the order of relevance ties, {bad} different "
              f"({time.monotonic() - t0:.1f} s)", flush=True)
        for ex in examples[:5]:
            print("  differs:", json.dumps(ex)[:2000])

    if args.queries > 0:
        t0 = time.monotonic()
        search(args, work, variants)
        print(f"search: {time.monotonic() - t0:.1f} s", flush=True)
    print(f"== total {time.monotonic() - began:.1f} s, load {os.getloadavg()}")
    if not args.keep and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
