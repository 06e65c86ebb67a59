#!/usr/bin/env python3
"""soak.py: fairdexd harvesting a mutating, faulty oai_server.py while 8
clients search (issue 6's soak test; a measurement, not run by CI).

  FD_BUILD=build python3 bench/soak.py [MINUTES]      (default 30)

For MINUTES: the server (5,000 records, 3% 503s, 1% broken XML) is mutated
every 10 s (modify 40, delete 5, add 10); the source's interval is 60 s, so
it is harvested incrementally about every minute; 8 threads send `search`
requests in a loop.  Every 10 s a line: elapsed time, fairdexd's RSS, index
records, searches so far and search errors.  Then mutation stops, faults go
off, one more harvest runs, and the index is compared with the server's
ListIdentifiers (count, every live id present with the server's datestamp).
Prints a summary and exits 0 when there were no search errors, the daemon
stayed up, and the final index equals the server."""
import os
import re
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
from harness import Daemon, OAIServer, cleanup, get_many, harvest_again, rss_kib, tempdir  # noqa: E402

WORDS = ["data", "climate", "ocean", "protein", "survey", "glacier", "soil", "genome", "title:model", "year:2020"]


def server_live(url):
    """id -> datestamp of every live record, by ListIdentifiers."""
    out, q = {}, "verb=ListIdentifiers&metadataPrefix=oai_dc"
    while q:
        with urllib.request.urlopen(f"{url}?{q}", timeout=60) as r:
            body = r.read().decode()
        for hdr in re.findall(r"<header( status=\"deleted\")?>(.*?)</header>", body, re.S):
            ident = re.search(r"<identifier>(.*?)</identifier>", hdr[1]).group(1)
            ds = re.search(r"<datestamp>(.*?)</datestamp>", hdr[1]).group(1)
            if hdr[0]:
                out.pop(ident, None)
            else:
                out[ident] = ds
        m = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
        q = f"verb=ListIdentifiers&resumptionToken={urllib.request.quote(m.group(1), safe='')}" if m else None
    return out


def main():
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
    tmp = tempdir()
    srv = OAIServer(tmp, "--generate", "5000", "--page-size", "100", "--fail-rate", "0.03", "--bad-xml-rate",
                    "0.01", "--admin", "--fault-seed", "11")
    d = Daemon(tmp, [{"name": "soak", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "60"}],
               extra="stuck_after: 5m")
    stop = threading.Event()
    counts = {"searches": 0, "errors": 0}
    lock = threading.Lock()
    first_error = []

    def client(k):
        i = k
        while not stop.is_set():
            try:
                c = d.client()
                try:
                    while not stop.is_set():
                        r = c.call({"op": "search", "q": WORDS[i % len(WORDS)], "limit": 10})
                        i += 1
                        with lock:
                            counts["searches"] += 1
                            if not r["ok"]:
                                counts["errors"] += 1
                                first_error[:] = first_error or [r]
                finally:
                    c.close()
            except Exception as e:  # a hang-up counts as an error, then reconnect
                with lock:
                    counts["errors"] += 1
                    first_error[:] = first_error or [repr(e)]
                time.sleep(0.5)

    rss, ok = [], True
    try:
        d.start()
        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(8)]
        for t in threads:
            t.start()
        t0 = time.monotonic()
        next_mutation = next_sample = t0
        print("elapsed_s rss_kib records searches search_errors", flush=True)
        while time.monotonic() - t0 < minutes * 60:
            now = time.monotonic()
            if now >= next_mutation:
                srv.admin("/admin/mutate?modify=40&delete=5&add=10")
                next_mutation += 10
            if now >= next_sample:
                st = d.call({"op": "status"})
                rss.append(rss_kib(d.proc.pid))
                with lock:
                    print(f"{now - t0:9.0f} {rss[-1]:7d} {st['records']:7d} {counts['searches']:8d} "
                          f"{counts['errors']:13d}", flush=True)
                next_sample += 10
            if d.proc.poll() is not None:
                print(f"fairdexd exited with {d.proc.returncode}")
                ok = False
                break
            time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(30)
        srv.admin("/admin/reset-faults")
        s = harvest_again(d, "soak", 300)
        truth = server_live(srv.url)
        got = get_many(d, [f"soak:{x}" for x in truth])
        missing = [k for k, v in got.items() if v is None]
        wrong = [k for k, v in got.items() if v and v.get("datestamp") != truth[k[5:]]]
        equal = s["records"] == len(truth) and not missing and not wrong
        runs = d.call({"op": "errors", "source": "soak"})["runs"]
        warned = sum(r["count"] for r in runs)
        print(f"\nminutes {minutes:g}; searches {counts['searches']}, search errors {counts['errors']}"
              + (f" (first: {first_error[0]})" if first_error else ""))
        print(f"RSS KiB: first {rss[0] if rss else 0}, max {max(rss) if rss else 0}, last {rss[-1] if rss else 0}")
        print(f"harvest: last run {s['state']}, {len(runs)} runs kept with {warned} warnings (retries, skips)")
        print(f"final index: {s['records']} records, server {len(truth)} live; missing {len(missing)}, "
              f"datestamp differs {len(wrong)}: {'EQUAL' if equal else 'DIFFERENT'}")
        ok = ok and equal and counts["errors"] == 0
    finally:
        stop.set()
        d.stop()
        srv.stop()
        cleanup(tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
