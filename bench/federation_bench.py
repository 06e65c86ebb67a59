#!/usr/bin/env python3
"""Federation benchmark (issue 17): records/s that fairdexd's OAI-PMH
provider serves with ListRecords (oai_dc and oai_datacite), with 1 and 4
concurrent harvesters, next to tests/tools/oai_server.py --prerender
serving the same corpus in the same run, first on a quiet daemon and then
while the daemon indexes another source; then `fairdex dump` of the same
records in records/s with its peak RSS and the daemon's.

  bench/federation_bench.py BUILD_DIR [--records N] [--runs R] [--dump-runs D] [--state DIR]

N records are generated (default 100000) and harvested into a fresh
index, or into DIR (kept, and reused by the next run with the same DIR:
building a 100,000-record index takes minutes).  Each harvester is a
process with one keep-alive connection that follows resumption tokens to
the end of the list and counts <record> elements; both servers page 100
records.  fairdex lists set=source:b (the N records, whatever else the
index holds); the prerendered server lists its whole corpus.  The two
servers are measured alternately, R times each per figure; figures are
medians.  Concurrent indexing: a second oai_server.py corpus of 300,000
records under a source named anew in every run (so that its records are
new to the index), harvested from the daemon's restart until the end of
the measurement.  Run it with nice on a shared machine."""
import argparse
import http.client
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
import harness  # noqa: E402
from harness import Daemon, OAIServer, cleanup, free_port, rss_kib, tempdir  # noqa: E402

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def harvest(args):
    """Lists every record of the list: (records, seconds)."""
    host, port, first = args
    c = http.client.HTTPConnection(host, port, timeout=300)
    q = first
    n, t0 = 0, time.monotonic()
    while True:
        c.request("GET", f"/oai?{q}")
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"{host}:{port} answered {r.status} to {q}")
        n += body.count(b"<record>") + body.count(b"<record ")
        m = TOKEN.search(body)
        if not m:
            break
        q = "verb=ListRecords&resumptionToken=" + urllib.parse.quote(m.group(1).decode(), safe="")
    c.close()
    return n, time.monotonic() - t0


def rate_once(port, first, conc):
    with multiprocessing.Pool(conc) as p:
        t0 = time.monotonic()
        res = p.map(harvest, [("127.0.0.1", port, first)] * conc)
        dt = time.monotonic() - t0
    return sum(r[0] for r in res) / dt, res[0][0]


def compare(label, fport, sport, runs, still=None):
    """Prints fairdex's and the prerendered server's rates for every
    prefix and concurrency, measured alternately; returns the ratios."""
    ratios = {}
    for prefix in ("oai_dc", "oai_datacite"):
        for conc in (1, 4):
            f, s = [], []
            for _ in range(runs):
                if still and not still():
                    print(f"  ({label}: the concurrent harvest ended; figures below are partly quiet)")
                    still = None
                f.append(rate_once(fport, f"verb=ListRecords&metadataPrefix={prefix}&set=source:b", conc))
                s.append(rate_once(sport, f"verb=ListRecords&metadataPrefix={prefix}", conc))
            fr, sr = statistics.median(x[0] for x in f), statistics.median(x[0] for x in s)
            ratios[(prefix, conc)] = [x[0] / y[0] for x, y in zip(f, s)]
            print(f"{label:9s} ListRecords {prefix:12s} x{conc}: fairdex {fr:8.0f} rec/s ({f[0][1]} records), "
                  f"oai_server --prerender {sr:8.0f} rec/s ({s[0][1]} records): ratio {fr / sr:.2f} "
                  f"(runs {', '.join(f'{r:.2f}' for r in ratios[(prefix, conc)])})", flush=True)
    return ratios


def config(srv, port, other=None):
    sources = [{"name": "b", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "365d",
                "metadata_prefix": "oai_dc"}]
    if other:
        sources.append({"name": other[0], "type": "oai-pmh", "url": other[1].url, "delay": "0",
                        "interval": "365d", "metadata_prefix": "oai_dc"})
    return sources, f"http:\n  listen: \"127.0.0.1:{port}\""


def dump(build, d, n, runs, tmp):
    """`fairdex dump --source b`: records/s, its peak RSS and the daemon's."""
    for _ in range(runs):
        out = os.path.join(tmp, "dump.jsonl.gz")
        before = rss_kib(d.proc.pid)
        with open(f"/proc/{d.proc.pid}/clear_refs", "w") as f:
            f.write("5")  # VmHWM starts again from VmRSS
        t0 = time.monotonic()
        p = subprocess.Popen([os.path.join(build, "fairdex"), "-s", d.socket, "dump", "--source", "b", "--out", out],
                             stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.monotonic() - t0
        if status != 0:
            raise RuntimeError(f"fairdex dump failed: {p.stderr.read()}")
        p.stderr.close()
        p.returncode = 0
        print(f"fairdex dump: {n / dt:.0f} records/s ({os.path.getsize(out) / 1e6:.1f} MB gzip), peak RSS of "
              f"fairdex {usage.ru_maxrss / 1024:.0f} MiB, fairdexd {before / 1024:.0f} MiB before, "
              f"peak {rss_kib(d.proc.pid, 'VmHWM') / 1024:.0f} MiB during the dump", flush=True)
        os.unlink(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--records", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--state", help="a directory to keep the index in (and reuse)")
    ap.add_argument("--dump-runs", type=int, default=1)
    ap.add_argument("--other", type=int, default=300000, help="records of the source indexed meanwhile")
    o = ap.parse_args()
    build = os.path.abspath(o.build)
    harness.FAIRDEXD = os.path.join(build, "fairdexd")
    tmp = tempdir()
    base = o.state or tmp
    os.makedirs(base, exist_ok=True)
    srv = OAIServer(tmp, "--generate", str(o.records), "--page-size", "100", "--prerender")
    sport = urllib.parse.urlparse(srv.url).port
    port = free_port()
    other = d = None
    try:
        d = Daemon(base, *config(srv, port))
        t0 = time.monotonic()
        d.start()
        s = d.wait_harvested("b", 24 * 3600)
        n = s["records"]
        print(f"index: {n} records of source b ({o.records} generated) ready in {time.monotonic() - t0:.0f} s",
              flush=True)
        quiet = compare("quiet", port, sport, o.runs)
        dump(build, d, n, o.dump_runs, tmp)
        d.stop()

        # The same, while the daemon indexes a new source from its restart on.
        name = f"c{int(time.time())}"
        other = (name, OAIServer(tmp, "--generate", str(o.other), "--page-size", "100", "--seed", "7"))
        d = Daemon(base, *config(srv, port, other))
        d.start()
        harness.wait_until(lambda: d.source(name)["records"] > 0, 600, f"the first records of {name}")
        busy = compare("indexing", port, sport, o.runs, lambda: d.source(name)["state"] == "running")
        s = d.source(name)
        print(f"meanwhile {s['records']} records of {name} indexed ({s['state']})")
        print("ratios (fairdex / oai_server --prerender, medians):")
        for (prefix, conc), r in quiet.items():
            print(f"  {prefix:12s} x{conc}: quiet {statistics.median(r):.2f}, "
                  f"indexing {statistics.median(busy[(prefix, conc)]):.2f}")
    finally:
        if d:
            d.stop()
        srv.stop()
        if other:
            other[1].stop()
        cleanup(tmp)


if __name__ == "__main__":
    main()
