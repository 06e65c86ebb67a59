#!/usr/bin/env python3
"""rss.py: fairdexd's resident memory over a long harvest or a long run of
queries (issue 6, "Bounded"); a measurement, not run by CI.

  FD_BUILD=build-bench python3 bench/rss.py harvest [N]          (default 1,000,000)
  FD_BUILD=build-bench python3 bench/rss.py queries [MINUTES] --index DIR     (default 60)

harvest: oai_server.py --generate N (page size 500) is harvested by one
fairdexd (delay 0, oai_dc) until the run is complete.
queries: fairdexd serves a copy of an existing index (--index: a state
directory holding index/, such as bench/query.py's
WORKDIR/state-100000) while 8
clients send the 1,000-query mix of gen_corpus.py --format queries in a
loop, half of them with facets, for MINUTES.

Every 10 s a line: elapsed seconds, fairdexd's VmRSS (KiB), records in the
index, and searches answered (queries) or the harvest's page (harvest).
Then a summary: RSS first, min, max and last, and the mean of the first
and last tenth of the run, which is what "memory does not grow" reads."""
import json
import os
import shutil
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
from harness import Daemon, OAIServer, cleanup, rss_kib, tempdir  # noqa: E402
from query import to_fairdex  # noqa: E402
import gen_corpus  # noqa: E402,F401  (harness put tests/tools on the path)

SAMPLE_S = 10


def summary(rss):
    k = max(1, len(rss) // 10)
    first, last = sum(rss[:k]) / k, sum(rss[-k:]) / k
    print(f"\nRSS KiB over {len(rss)} samples: first {rss[0]}, min {min(rss)}, max {max(rss)}, last {rss[-1]}")
    print(f"mean of the first tenth {first:.0f}, of the last tenth {last:.0f}: "
          f"last / first = {last / first:.3f}")


def harvest(n):
    tmp = tempdir()
    srv = OAIServer(tmp, "--generate", str(n), "--page-size", "500")
    d = Daemon(tmp, [{"name": "big", "type": "oai-pmh", "url": srv.url, "delay": "0",
                      "formats": "[oai_dc]", "interval": "100000"}], extra="stuck_after: 30m")
    rss = []
    try:
        d.start()
        t0 = time.monotonic()
        print("elapsed_s rss_kib records state", flush=True)
        while True:
            st = d.source("big")
            rss.append(rss_kib(d.proc.pid))
            recs = d.call({"op": "status"})["records"]
            print(f"{time.monotonic() - t0:9.0f} {rss[-1]:7d} {recs:8d} {st['state']}", flush=True)
            if st["state"] in ("ok", "failed"):
                break
            time.sleep(SAMPLE_S)
        secs = time.monotonic() - t0
        print(f"\nharvested {recs} records in {secs:.0f} s ({recs / secs:.0f} records/s); source: "
              f"{json.dumps(st)}")
        summary(rss)
    finally:
        d.stop()
        srv.stop()
        cleanup(tmp)


def queries(minutes, index):
    tmp = tempdir()
    d = Daemon(tmp, [])
    if index:
        shutil.copytree(os.path.join(index, "index"), os.path.join(d.state, "index"))
    qfile = os.path.join(tmp, "queries.txt")
    gen_corpus.main(["-n", "1000", "--format", "queries", "--query-from", "100000", "-o", qfile])
    qs = [to_fairdex(q) for q in open(qfile).read().splitlines() if q]
    stop = threading.Event()
    counts = {"searches": 0, "errors": 0}
    lock = threading.Lock()

    def client(k):
        c = d.client()
        i = k
        while not stop.is_set():
            req = {"op": "search", "q": qs[i % len(qs)], "limit": 20}
            if i % 2:
                req["facets"] = ["source", "type", "year", "fair", "subject"]
            r = c.call(req)
            i += 8
            with lock:
                counts["searches"] += 1
                counts["errors"] += not r["ok"]
        c.close()

    rss = []
    try:
        d.start()
        recs = d.call({"op": "status"})["records"]
        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(8)]
        for t in threads:
            t.start()
        t0 = time.monotonic()
        print(f"index: {recs} records; 8 clients\nelapsed_s rss_kib searches errors", flush=True)
        while time.monotonic() - t0 < minutes * 60 and d.proc.poll() is None:
            rss.append(rss_kib(d.proc.pid))
            with lock:
                print(f"{time.monotonic() - t0:9.0f} {rss[-1]:7d} {counts['searches']:9d} {counts['errors']:6d}",
                      flush=True)
            time.sleep(SAMPLE_S)
        stop.set()
        for t in threads:
            t.join(30)
        print(f"\n{minutes:g} minutes: {counts['searches']} searches, {counts['errors']} errors, "
              f"daemon {'up' if d.proc.poll() is None else 'EXITED'}")
        summary(rss)
    finally:
        stop.set()
        d.stop()
        cleanup(tmp)


def main():
    args = sys.argv[1:]
    if not args or args[0] not in ("harvest", "queries"):
        sys.exit(__doc__)
    if args[0] == "harvest":
        harvest(int(args[1]) if len(args) > 1 else 1000000)
    else:
        if "--index" not in args:
            sys.exit("rss.py queries: --index DIR is required")
        k = args.index("--index")
        index = args[k + 1]
        del args[k:k + 2]
        queries(float(args[1]) if len(args) > 1 else 60.0, index)


if __name__ == "__main__":
    main()
