#!/usr/bin/env python3
"""fair_auc.py: does the FAIR score separate good metadata from poor, and
what does scoring cost?

Ground truth: gen_corpus.py keeps each record's quality tier (poor, normal,
rich) in its JSONL.  The same records are harvested by the real fairdexd
from tests/tools/oai_server.py, once in oai_dc and once in oai_datacite
(which the server offers only for records with a DOI), and each record's
overall score is read back with `get`.  Printed per format: the mean
overall score per tier and the AUC, the probability that a random rich
record scores above a random poor one (ties count half).  Goal: AUC >= 0.98
and the tier means strictly ordered.

Cost: bench/fair_scores.c parses the same records as ListRecords pages and
times fd_fair_assess alone; its time per record, times the records, is
compared with the harvest's wall time (HTTP, parsing, mapping, scoring,
indexing, commits).  Goal: under 5 %.

Usage: bench/fair_auc.py [-n 20000] [--build DIR] [--keep]
Not part of the test suite: it takes a few minutes.
"""
import argparse
import bisect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))


def auc(rich, poor):
    poor = sorted(poor)
    wins = 0.0
    for x in rich:
        lo = bisect.bisect_left(poor, x)
        hi = bisect.bisect_right(poor, x)
        wins += lo + 0.5 * (hi - lo)
    return wins / (len(rich) * len(poor))


def build_fair_scores(build, out):
    libs = [os.path.join(build, d, f"libfd_{d}.a") for d in ("harvesters", "fair", "record", "util")]
    pc = subprocess.run(["pkg-config", "--cflags", "--libs", "jansson", "libxml-2.0", "libcurl", "zlib"],
                        capture_output=True, text=True, check=True).stdout.split()
    for extra in ("serd-0", "raptor2"):
        r = subprocess.run(["pkg-config", "--libs", extra], capture_output=True, text=True)
        if r.returncode == 0:
            pc += r.stdout.split()
    inc = [f"-I{os.path.join(ROOT, d)}" for d in ("util", "record", "fair", "harvesters", "config")]
    subprocess.run(["cc", "-O2", "-std=gnu11", "-D_GNU_SOURCE", *inc, os.path.join(HERE, "fair_scores.c"), *libs,
                    *pc, "-lpthread", "-o", out], check=True)


def report(scores, truth):
    """Prints tier means and AUC; true when the goals are met."""
    by = {t: [v for i, v in scores.items() if truth[i]["quality"] == t] for t in ("poor", "normal", "rich")}
    means = {t: sum(v) / len(v) for t, v in by.items() if v}
    a = auc(by["rich"], by["poor"]) if by["rich"] and by["poor"] else float("nan")
    ordered = len(means) == 3 and means["poor"] < means["normal"] < means["rich"]
    for t in ("poor", "normal", "rich"):
        print(f"  {t:7s} n={len(by[t]):6d}  mean overall {means.get(t, float('nan')):5.1f}")
    print(f"  AUC(rich > poor) = {a:.4f}   tier means strictly ordered: {ordered}")
    return a >= 0.98 and ordered


def run_fair_scores(fs, pages):
    r = subprocess.run([fs, *pages], capture_output=True, text=True, check=True)
    words = r.stderr.split()
    stats = dict(zip(words[0::2], words[1::2]))
    scores = {}
    for line in r.stdout.splitlines():
        f = line.split("\t")
        scores[f[0]] = int(f[1])
    return scores, stats


def harvest_scores(tmp, fmt, corpus_path, truth, harness):
    """Harvests the corpus in fmt with the real daemon; returns (id -> overall, seconds)."""
    sub = os.path.join(tmp, fmt)
    os.makedirs(sub)
    srv = harness.OAIServer(sub, "--corpus", corpus_path, "--page-size", "500")
    d = harness.Daemon(sub, [{"name": "b", "type": "oai-pmh", "url": srv.url, "metadata_prefix": fmt}])
    try:
        t0 = time.monotonic()
        d.start()
        s = d.wait_harvested("b", timeout=1800)
        secs = time.monotonic() - t0
        if s["state"] != "ok":
            raise SystemExit(f"{fmt}: harvest failed: {s['last_error']}")
        scores = {}
        ids = [i for i, r in truth.items() if r["quality"]]
        c = d.client()
        c.sock.settimeout(300)
        for k in range(0, len(ids), 1000):
            chunk = ids[k:k + 1000]
            c.send_raw(b"".join(json.dumps({"op": "get", "id": "b:" + i}).encode() + b"\n" for i in chunk))
            for i in chunk:
                r = c.read_line()
                if r["ok"]:
                    scores[i] = r["record"]["fair"]["overall"]
        c.close()
        t1 = time.monotonic()
        rep = d.call({"op": "fair", "source": "b", "worst": 10})
        rep["_seconds"] = time.monotonic() - t1
        return scores, secs, s["records"], rep
    finally:
        d.stop()
        srv.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=20000)
    ap.add_argument("--build", default=os.environ.get("FD_BUILD", os.path.join(ROOT, "build")))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    os.environ["FD_BUILD"] = os.path.abspath(args.build)
    import harness  # after FD_BUILD is set

    gen = os.path.join(ROOT, "tests", "tools", "gen_corpus.py")
    tmp = tempfile.mkdtemp(prefix="fair-auc-")
    try:
        corpus = os.path.join(tmp, "corpus.jsonl")
        subprocess.run([sys.executable, gen, "-n", str(args.n), "--format", "jsonl", "-o", corpus], check=True)
        truth = {}
        with open(corpus) as f:
            for line in f:
                r = json.loads(line)
                truth[r["id"]] = r
        print(f"corpus: {args.n} records, tiers: " + ", ".join(
            f"{t} {sum(1 for r in truth.values() if r['quality'] == t)}" for t in ("poor", "normal", "rich")))

        fs = os.path.join(tmp, "fair_scores")
        build_fair_scores(args.build, fs)
        ok = True
        for fmt in ("oai_dc", "oai_datacite"):
            scores, secs, records, rep = harvest_scores(tmp, fmt, corpus, truth, harness)
            print(f"\n{fmt}: {records} records harvested and indexed by fairdexd in {secs:.1f} s "
                  f"({len(scores)} scores read back with get)")
            if scores:
                ok = report(scores, truth) and ok
                print(f"  fair op: mean {rep['scores']['overall']['mean']}, bands {rep['scores']['overall']['bands']}, "
                      f"answered in {rep['_seconds'] * 1000:.0f} ms")

            # The same records parsed offline: the cost of fd_fair_assess.
            pages = []
            for k in range(0, args.n, 1000):
                p = os.path.join(tmp, f"{fmt}_{k:07d}.xml")
                subprocess.run([sys.executable, gen, "-n", str(min(1000, args.n - k)), "--start", str(k),
                                "--format", "listrecords", "--prefix", fmt, "-o", p], check=True)
                pages.append(p)
            offline, stats = run_fair_scores(fs, pages)
            if not offline and fmt == "oai_datacite":
                # This build maps DataCite but not the oai_datacite wrapper
                # around it: score the DataCite payloads themselves.
                for p in pages:
                    with open(p) as f:
                        text = f.read()
                    text = re.sub(r"<oai_datacite [^>]*>.*?<payload>", "", text, flags=re.S)
                    with open(p, "w") as f:
                        f.write(text.replace("</payload></oai_datacite>", ""))
                offline, stats = run_fair_scores(fs, pages)
                print("  (no oai_datacite mapper in this build: DataCite payloads scored offline, unwrapped)")
            if not scores and offline:
                print(f"  offline scores of the same records ({len(offline)}):")
                ok = report(offline, truth) and ok
            elif not scores:
                ok = False
            us = float(stats["assess_us_per_record"])
            if records and secs > 0:
                assess_s = us * records / 1e6
                share = 100.0 * assess_s / secs
                print(f"  fd_fair_assess: {us:.2f} us/record, {assess_s * 1000:.1f} ms for {records} records = "
                      f"{share:.3f} % of harvest+index time (parse alone: "
                      f"{float(stats['parse_s']) * 1e6 / max(1, int(stats['records'])):.1f} us/record)")
                ok = ok and share < 5.0
            else:
                print(f"  fd_fair_assess: {us:.2f} us/record (parse alone: "
                      f"{float(stats['parse_s']) * 1e6 / max(1, int(stats['records'])):.1f} us/record)")
        print("\nresult:", "all goals met" if ok else "GOALS NOT MET")
        return 0 if ok else 1
    finally:
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
