#!/usr/bin/env python3
"""Federation benchmark (issue 17): records/s that fairdexd's OAI-PMH
provider serves with ListRecords (oai_dc and oai_datacite), with 1 and 4
concurrent harvesters, next to tests/tools/oai_server.py --prerender
serving the same corpus in the same run; then /dump in records/s and the
daemon's peak RSS.

  bench/federation_bench.py BUILD_DIR [N] [RUNS]    # N records (default 100000), RUNS per figure (default 3)

Each harvester is a process with one keep-alive connection that follows
resumption tokens to the end of the list and counts <record> elements.
Both servers page 100 records.  Figures are medians of RUNS."""
import http.client
import multiprocessing
import os
import re
import statistics
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
import harness  # noqa: E402
from harness import Daemon, OAIServer, cleanup, free_port, rss_kib, tempdir  # noqa: E402

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def harvest(args):
    """Lists every record of base in prefix: (records, seconds)."""
    host, port, path, prefix = args
    c = http.client.HTTPConnection(host, port, timeout=300)
    q = f"verb=ListRecords&metadataPrefix={prefix}"
    n, t0 = 0, time.monotonic()
    while True:
        c.request("GET", f"{path}?{q}")
        body = c.getresponse().read()
        n += body.count(b"<record>") + body.count(b"<record ")
        m = TOKEN.search(body)
        if not m:
            break
        q = "verb=ListRecords&resumptionToken=" + urllib.parse.quote(m.group(1).decode(), safe="")
    c.close()
    return n, time.monotonic() - t0


def rate(host, port, path, prefix, conc, runs):
    out = []
    for _ in range(runs):
        with multiprocessing.Pool(conc) as p:
            t0 = time.monotonic()
            res = p.map(harvest, [(host, port, path, prefix)] * conc)
            dt = time.monotonic() - t0
        out.append(sum(r[0] for r in res) / dt)
    return statistics.median(out), res[0][0]


def main():
    harness.FAIRDEXD = os.path.join(sys.argv[1], "fairdexd")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    tmp = tempdir()
    srv = OAIServer(tmp, "--generate", str(n), "--page-size", "100", "--prerender")
    sport = urllib.parse.urlparse(srv.url).port
    port = free_port()
    d = Daemon(tmp, [{"name": "b", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1d",
                      "metadata_prefix": "oai_dc"}], extra=f"http:\n  listen: \"127.0.0.1:{port}\"")
    try:
        t0 = time.monotonic()
        d.start()
        d.wait_harvested("b", 24 * 3600)
        st = d.call({"op": "status"})
        print(f"index: {st['records']} records of {n} harvested in {time.monotonic() - t0:.0f} s")
        for prefix in ("oai_dc", "oai_datacite"):
            for conc in (1, 4):
                fr, fn = rate("127.0.0.1", port, "/oai", prefix, conc, runs)
                sr, sn = rate("127.0.0.1", sport, "/oai", prefix, conc, runs)
                print(f"ListRecords {prefix:12s} x{conc}: fairdex {fr:8.0f} rec/s ({fn} records), "
                      f"oai_server --prerender {sr:8.0f} rec/s ({sn} records): ratio {fr / sr:.2f}")
        base = rss_kib(d.proc.pid)
        for _ in range(runs):
            t0 = time.monotonic()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            c.request("GET", "/dump")
            r = c.getresponse()
            size = 0
            while True:
                chunk = r.read(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
            dt = time.monotonic() - t0
            print(f"dump: {st['records'] / dt:.0f} records/s, {size / 1e6:.1f} MB gzip, fairdexd RSS "
                  f"{base / 1024:.0f} MiB before, peak {rss_kib(d.proc.pid, 'VmHWM') / 1024:.0f} MiB")
    finally:
        d.stop()
        srv.stop()
        cleanup(tmp)


if __name__ == "__main__":
    main()
