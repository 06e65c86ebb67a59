#!/usr/bin/env python3
"""query.py: search latency through fairdexd's socket next to raw Xapian.

Builds (once, kept in --workdir) an index of --n records by harvesting
tests/tools/oai_server.py --generate N with `fairdexd --once`, makes the
--queries query mix of gen_corpus.py --format queries, builds
/work/shared/bench/xapian_query.cc (read-only there) into --workdir, and in
one run measures:

  raw      xapian_query on the same index and queries (top 20, warm pass)
  socket   {"op":"search","q":..,"limit":20} through the Unix socket, one
           client, then --clients clients at once (separate processes, each
           with its own connection), warm passes
  suggest  {"op":"suggest","q":..} for every keystroke of the first three
           words of each query (one client)

and prints p50/p99 latency (microseconds) and throughput (queries/s).  The
query mix uses xapian_query's syntax (author:, YYYYMMDD..YYYYMMDD on value
slot 0); the socket gets the same queries in fairdex's syntax (creator:,
year:YYYY..YYYY).  Not part of the test suite: it takes minutes.

  python3 bench/query.py [--n 100000] [--queries 1000] [--clients 16]
                         [--build build] [--workdir /tmp/fairdex-bench-query]
"""
import argparse
import json
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "tests", "tools")
XAPIAN_QUERY_SRC = os.path.join(os.path.dirname(ROOT), "shared", "bench", "xapian_query.cc")


def pct(v, p):
    v = sorted(v)
    if not v:
        return 0.0
    i = p * (len(v) - 1)
    lo = int(i)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (i - lo)


def to_fairdex(q):
    q = q.replace("author:", "creator:")
    return re.sub(r"\b(\d{4})\d{4}\.\.(\d{4})\d{4}\b", r"year:\1..\2", q)


def write_config(path, state, sock, source_url=None, prefix="oai_dc"):
    with open(path, "w") as f:
        f.write(f"state_dir: {state}\nsocket: {sock}\nlog_level: notice\ncontact: bench@fairdex.invalid\n")
        if source_url:
            f.write(f"sources:\n  - name: bench\n    type: oai-pmh\n    url: {source_url}\n    metadata_prefix: {prefix}\n")
        else:
            f.write("sources: []\n")


def build_index(args, fairdexd, state, prefix="oai_dc"):
    print(f"building an {prefix} index of {args.n} records in {state} (once) ...", flush=True)
    srv = subprocess.Popen([sys.executable, os.path.join(TOOLS, "oai_server.py"), "--port", "0", "--generate",
                            str(args.n), "--page-size", "500"], stdout=subprocess.PIPE, text=True)
    try:
        url = srv.stdout.readline().rsplit("serving ", 1)[1].strip()
        cfg = os.path.join(args.workdir, "harvest.yaml")
        write_config(cfg, state, os.path.join(args.workdir, "harvest.sock"), url, prefix)
        t0 = time.monotonic()
        subprocess.run([fairdexd, "--once", "-c", cfg], check=True)
        print(f"harvested in {time.monotonic() - t0:.0f} s", flush=True)
    finally:
        srv.terminate()
        srv.wait()


def index_and_queries(args, prefix="oai_dc"):
    """The index of args.n records harvested in prefix, built once in
    args.workdir, and the mix of args.queries queries (gen_corpus.py's
    syntax): (fairdexd, state directory, query file, queries)."""
    os.makedirs(args.workdir, exist_ok=True)
    fairdexd = os.path.join(args.build, "fairdexd")
    state = os.path.join(args.workdir, f"state-{args.n}")
    if not os.path.isdir(os.path.join(state, "index")):
        build_index(args, fairdexd, state, prefix)
    qfile = os.path.join(args.workdir, f"queries-{args.queries}.txt")
    subprocess.run([sys.executable, os.path.join(TOOLS, "gen_corpus.py"), "-n", str(args.queries), "--format",
                    "queries", "--query-from", str(args.n), "-o", qfile], check=True)
    return fairdexd, state, qfile, [q for q in open(qfile).read().splitlines() if q]


def serve(workdir, fairdexd, state, source_url=None):
    """fairdexd serving the index in state on a socket in workdir, without
    sources (or with the source "bench" at source_url, which should fail
    to harvest: the ops that read the configuration then see the source of
    the records): (the process, the socket's path) once the socket is there."""
    sock = os.path.join(workdir, "query.sock")
    cfg = os.path.join(workdir, "query.yaml")
    write_config(cfg, state, sock, source_url)
    env = dict(os.environ)
    env.pop("NOTIFY_SOCKET", None)
    d = subprocess.Popen([fairdexd, "-c", cfg], env=env, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(sock):
            break
        time.sleep(0.1)
    return d, sock


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def cpu_us(pid):
    """The CPU time (us) the threads of process pid have run (schedstat):
    per request, a cost that a loaded machine's waits do not inflate."""
    total = 0
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1000


def run_queries(path, reqs, cpu_pid=None, cpu=None):
    """Latencies (us) of reqs, one at a time on one connection; with
    cpu_pid, each request's CPU time in that process (us) appended to cpu."""
    s = connect(path)
    f = s.makefile("rb")
    lat = []
    bad = 0
    for r in reqs:
        c0 = cpu_us(cpu_pid) if cpu_pid else 0
        t0 = time.perf_counter()
        s.sendall(r)
        line = f.readline()
        lat.append((time.perf_counter() - t0) * 1e6)
        if cpu_pid:
            cpu.append(cpu_us(cpu_pid) - c0)
        if b'"ok":true' not in line:
            bad += 1
    s.close()
    return lat, bad


def worker(args):
    path, reqs = args
    return run_queries(path, reqs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--workdir", default="/tmp/fairdex-bench-query")
    args = ap.parse_args()

    fairdexd, state, qfile, queries = index_and_queries(args)
    db = os.path.join(state, "index")

    raw_bin = os.path.join(args.workdir, "xapian_query")
    if not os.path.exists(raw_bin):
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "xapian-core"], capture_output=True,
                               text=True, check=True).stdout.split()
        subprocess.run(["g++", "-O2", "-o", raw_bin, XAPIAN_QUERY_SRC, *flags], check=True)

    raw = subprocess.run([raw_bin, db, qfile, "--top", "20", "--passes", "2"], capture_output=True, text=True,
                         check=True).stdout
    print(raw.strip())
    warm = [l for l in raw.splitlines() if l.startswith("pass=2")][0]
    raw_p50 = float(re.search(r"median_us=([\d.]+)", warm).group(1))
    raw_p99 = float(re.search(r"p99_us=([\d.]+)", warm).group(1))

    d, sock = serve(args.workdir, fairdexd, state)
    try:
        reqs = [json.dumps({"op": "search", "q": to_fairdex(q), "limit": 20}).encode() + b"\n" for q in queries]
        run_queries(sock, reqs)  # cold pass
        lat1, bad1 = run_queries(sock, reqs)
        t0 = time.perf_counter()
        run_queries(sock, reqs)
        thr1 = len(reqs) / (time.perf_counter() - t0)

        facet_reqs = [json.dumps({"op": "search", "q": to_fairdex(q), "limit": 20,
                                  "facets": ["source", "type", "year", "fair"]}).encode() + b"\n" for q in queries]
        latf, badf = run_queries(sock, facet_reqs)

        # suggest on every keystroke: each word of the query mix typed
        # letter by letter, after the words before it
        sugg_reqs = []
        for q in queries:
            typed = ""
            for w in re.findall(r"[^\W\d_]{2,}", re.sub(r"\w+:", "", q))[:3]:
                for k in range(1, len(w) + 1):
                    sugg_reqs.append(json.dumps({"op": "suggest", "q": typed + w[:k], "limit": 10}).encode() + b"\n")
                typed += w + " "
        run_queries(sock, sugg_reqs[:2000])  # warm
        lats, bads = run_queries(sock, sugg_reqs)

        shares = [(sock, reqs[k::args.clients] * 2) for k in range(args.clients)]
        with multiprocessing.Pool(args.clients) as pool:
            t0 = time.perf_counter()
            results = pool.map(worker, shares)
            wall = time.perf_counter() - t0
        latn = [x for lat, _ in results for x in lat]
        badn = sum(b for _, b in results)
        thrn = len(latn) / wall

        print(f"\nindex: {args.n} records, {len(queries)} queries, {os.cpu_count()} cores")
        print(f"{'':28} {'p50 us':>10} {'p99 us':>10} {'queries/s':>10}")
        print(f"{'raw Xapian (xapian_query)':28} {raw_p50:10.1f} {raw_p99:10.1f}")
        print(f"{'socket, 1 client':28} {pct(lat1, .5):10.1f} {pct(lat1, .99):10.1f} {thr1:10.0f}")
        print(f"{'socket, 1 client, facets':28} {pct(latf, .5):10.1f} {pct(latf, .99):10.1f}")
        print(f"{'socket, %d clients' % args.clients:28} {pct(latn, .5):10.1f} {pct(latn, .99):10.1f} {thrn:10.0f}")
        print(f"{'suggest per keystroke':28} {pct(lats, .5):10.1f} {pct(lats, .99):10.1f}   ({len(lats)} prefixes)")
        print(f"\nsocket p50 / raw p50 (1 client): {pct(lat1, .5) / raw_p50:.2f} (goal <= 1.3)")
        print(f"throughput {args.clients} clients / 1 client: {thrn / thr1:.2f} (goal >= 1.6)")
        if bad1 or badf or badn or bads:
            print(f"error answers: {bad1} (1 client), {badf} (facets), {badn} ({args.clients} clients), "
                  f"{bads} (suggest)")
    finally:
        d.terminate()
        d.wait()


if __name__ == "__main__":
    main()
