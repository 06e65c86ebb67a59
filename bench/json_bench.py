#!/usr/bin/env python3
"""json_bench.py: issue 19's streaming JSON figures, printed, never pass/fail.

    FD_BUILD=build python3 bench/json_bench.py [N] [--runs R] [--forms json,jsonld,ttl]
                                [--again] [--dir DIR] [--curve SECONDS]
                                [--gb G] [--limit SECONDS]
                                                        (default N 100000, R 3, every form)

Issue 19's whole measurement (1 GB data.json and JSON-LD, Turtle of the
bench's 100,000 datasets, first and second run, in one run):

    FD_BUILD=build nice python3 bench/json_bench.py 100000 --gb 1 --runs 1 --again \
        --forms ttl,json,jsonld --dir /var/tmp/fairdex-1g --curve 300

The same N DCAT datasets written three ways (json_bench_gen below): a
DCAT-US data.json ("dataset" array), a JSON-LD catalogue ({"@context",
"@graph"}) and Turtle.  Each is harvested by `fairdexd --once` from a
file: URL into a fresh state directory, R times, in turn; printed per
form: the best wall time, datasets/s, the peak RSS of fairdexd (from
wait4) and the records the run indexed, then the JSON forms' throughput
as a ratio of the Turtle one measured in the same run.  A 1 GB data.json
is about N = 1,700,000 (about 600 bytes a dataset); the JSON-LD file of the
same N is about 1.3 times larger.

--again harvests each form a second time into the state of the first run
(the previous run's dataset hashes are then kept for reconciliation, and
every dataset is skipped as unchanged): its peak RSS is printed too.
--dir keeps the generated files in DIR (written only when missing), so a
1 GB catalogue is generated once.  --curve prints fairdexd's RSS (VmRSS,
from /proc) every SECONDS while it runs.  --gb G sizes the two JSON forms
to G GB each (data.json 2,090,000 datasets a GB, JSON-LD 1,560,000; Turtle
keeps N).  --limit stops a fairdexd that runs longer than SECONDS (SIGTERM:
it commits the pages in hand): the row is then marked partial and its rate
is the records indexed over the time.  Each row says whether every
generated dataset is in the index and whether the peak RSS is under
100 MB (issue 19's bound)."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dcat_gen import EX, ds_fields  # noqa: E402

BUILD = os.environ.get("FD_BUILD", "build")
FAIRDEXD = os.path.join(BUILD, "fairdexd")


def fields(i):
    """dcat_gen.py's dataset i, with the publisher by name (dcat_gen.py
    names it once, at the end), one distribution and its size."""
    d = ds_fields(i)
    return {"id": f"{EX}ds/{i}", "title": d["title_en"], "desc": d["desc"], "kw": d["kw"], "issued": d["issued"],
            "pub": f"Agency {i % 250}", "url": f"{EX}files/{i}.csv", "size": 1000 + i}


def fresh(d, fn, n):
    """Whether d/fn must be written for n datasets (not written before)."""
    stamp = os.path.join(d, fn + ".N")
    return not (os.path.exists(stamp) and open(stamp).read().strip() == str(n))


def stamp(d, fn, n):
    with open(os.path.join(d, fn + ".N"), "w") as f:
        f.write(f"{n}\n")


def write_all(n, d, files):
    """Writes the forms named in files (those not written before)."""
    files = [fn for fn in files if fresh(d, fn, n)]
    if "catalogue.json" in files:
        write_json(n, d)
    if "catalogue.jsonld" in files:
        write_jsonld(n, d)
    if "catalogue.ttl" in files:
        write_turtle(n, d)
    for fn in files:
        stamp(d, fn, n)


def write_json(n, d):
    with open(os.path.join(d, "catalogue.json"), "w") as f:
        f.write('{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": [\n')
        for i in range(n):
            x = fields(i)
            f.write(("," if i else "") + json.dumps({
                "identifier": x["id"], "title": x["title"], "description": x["desc"], "keyword": x["kw"],
                "issued": x["issued"], "publisher": {"name": x["pub"]}, "license": "https://creativecommons.org/licenses/by/4.0/",
                "distribution": [{"downloadURL": x["url"], "mediaType": "text/csv"}]}) + "\n")
        f.write("]}\n")


def write_jsonld(n, d):
    with open(os.path.join(d, "catalogue.jsonld"), "w") as f:
        ctx = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
               "foaf": "http://xmlns.com/foaf/0.1/"}
        f.write('{"@context": ' + json.dumps(ctx) + ', "@graph": [\n')
        for i in range(n):
            x = fields(i)
            f.write(("," if i else "") + json.dumps({
                "@id": x["id"], "@type": "dcat:Dataset", "dct:title": {"@value": x["title"], "@language": "en"},
                "dct:description": x["desc"], "dcat:keyword": x["kw"], "dct:issued": x["issued"],
                "dct:publisher": {"foaf:name": x["pub"]},
                "dct:license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
                "dcat:distribution": {"@type": "dcat:Distribution", "dcat:downloadURL": {"@id": x["url"]},
                                      "dcat:mediaType": "text/csv", "dcat:byteSize": x["size"]}}) + "\n")
        f.write("]}\n")


def write_turtle(n, d):
    with open(os.path.join(d, "catalogue.ttl"), "w") as f:
        f.write("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
                "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n\n")
        for i in range(n):
            x = fields(i)
            f.write(f"<{x['id']}> a dcat:Dataset ;\n  dct:title \"{x['title']}\"@en ;\n"
                    f"  dct:description \"{x['desc']}\" ;\n"
                    f"  dcat:keyword \"{x['kw'][0]}\", \"{x['kw'][1]}\" ;\n  dct:issued \"{x['issued']}\" ;\n"
                    f"  dct:publisher [ foaf:name \"{x['pub']}\" ] ;\n"
                    f"  dct:license <https://creativecommons.org/licenses/by/4.0/> ;\n"
                    f"  dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <{x['url']}> ;\n"
                    f"    dcat:mediaType \"text/csv\" ; dcat:byteSize {x['size']} ] .\n")


def sample_rss(pid, every, t0, stop):
    """Prints fairdexd's VmRSS every `every` seconds until stop is set."""
    while not stop.wait(every):
        try:
            with open(f"/proc/{pid}/status") as f:
                rss = next(int(x.split()[1]) for x in f if x.startswith("VmRSS:"))
        except (OSError, StopIteration):
            return
        print(f"    t={time.monotonic() - t0:7.0f} s  RSS {rss / 1024:6.1f} MiB", flush=True)


def harvest(path, work, again=False, curve=0, limit=0):
    """One `fairdexd --once` of path: (seconds, peak RSS KiB, records,
    partial); again keeps the state directory of the previous run; limit
    stops fairdexd after that many seconds (partial is then True)."""
    state = os.path.join(work, "state")
    if not again:
        shutil.rmtree(state, ignore_errors=True)
    cfg = os.path.join(work, "fairdex.yaml")
    with open(cfg, "w") as f:
        f.write(f"state_dir: {state}\nsocket: {work}/fd.sock\nlog_level: notice\n"
                f"sources:\n  - name: b\n    type: dcat\n    url: file://{path}\n")
    log = open(os.path.join(work, "fairdexd.log"), "w+")
    t0 = time.monotonic()
    p = subprocess.Popen([FAIRDEXD, "-c", cfg, "--once"], stdout=log, stderr=log)
    stop = threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(p.pid, curve, t0, stop), daemon=True) if curve else None
    if sampler:
        sampler.start()
    timer = threading.Timer(limit, p.send_signal, (signal.SIGTERM,)) if limit else None
    if timer:
        timer.start()
    _, status, ru = os.wait4(p.pid, 0)
    partial = bool(timer and not timer.is_alive())
    if timer:
        timer.cancel()
    secs = time.monotonic() - t0
    stop.set()
    p.returncode = os.waitstatus_to_exitcode(status)
    log.seek(0)
    text = log.read()
    m = list(re.finditer(r"(\d+) records in the index", text))
    m = m[-1] if m else None
    if p.returncode != 0 and not partial:
        sys.exit(f"fairdexd failed on {path}:\n{text[-2000:]}")
    return secs, ru.ru_maxrss, int(m.group(1)) if m else -1, partial


FORMS = {"json": ("data.json", "catalogue.json"), "jsonld": ("JSON-LD @graph", "catalogue.jsonld"),
         "ttl": ("Turtle", "catalogue.ttl")}


def opt(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


# datasets a GB of each JSON form (json_bench_gen's datasets: about 490 and 650 bytes)
PER_GB = {"catalogue.json": 2090000, "catalogue.jsonld": 1560000}
RSS_BOUND_KIB = 100 * 1000 * 1000 // 1024  # issue 19: under 100 MB


def main():
    valued = {"--runs", "--forms", "--dir", "--curve", "--gb", "--limit"}
    args = [a for i, a in enumerate(sys.argv[1:]) if not a.startswith("--") and sys.argv[i] not in valued]
    n = int(args[0]) if args else 100000
    runs = int(opt("--runs", 3))
    again = "--again" in sys.argv
    curve = float(opt("--curve", 0))
    limit = float(opt("--limit", 0))
    gb = float(opt("--gb", 0))
    keep = opt("--dir", None)
    forms = [FORMS[f] for f in opt("--forms", "json,jsonld,ttl").split(",")]
    sizes = {fn: round(gb * PER_GB[fn]) if gb and fn in PER_GB else n for _, fn in forms}
    work = keep or tempfile.mkdtemp(prefix="fairdex-json-bench.")
    os.makedirs(work, exist_ok=True)
    try:
        for fn, k in sizes.items():
            write_all(k, work, [fn])
        best = {}
        for r in range(runs):
            for name, fn in forms:
                passes = [("", False)] + ([(" (again)", True)] if again else [])
                for label, keep_state in passes:
                    k = sizes[fn]
                    s, rss, recs, partial = harvest(os.path.join(work, fn), work, keep_state, curve, limit)
                    done = recs if partial else k
                    print(f"run {r + 1}: {name + label:23s} {s:8.1f} s  {done / s:8.0f} datasets/s  "
                          f"peak RSS {rss / 1024:6.1f} MiB  {recs} records of {k}"
                          f"{'  PARTIAL (stopped at --limit)' if partial else ''}", flush=True)
                    b = best.get(name + label)
                    rate = done / s
                    best[name + label] = (max(b[0], rate) if b else rate, max(b[1], rss) if b else rss, recs, k,
                                          partial and (not b or b[4]))
                    if partial:
                        break  # a second run after a stopped one reconciles nothing
        print("\n== files: " + ", ".join(
            f"{fn} {sizes[fn]} datasets {os.path.getsize(os.path.join(work, fn)) / 1e6:.0f} MB" for _, fn in forms))
        print(f"{'form':24s} {'datasets/s':>11s} {'max peak RSS':>13s} {'< 100 MB':>8s} {'records':>9s} "
              f"{'of':>9s} {'all':>4s} {'vs Turtle':>9s}")
        for name, (rate, rss, recs, k, partial) in best.items():
            # a second run is compared with Turtle's second run
            ttl = best.get("Turtle (again)" if name.endswith("(again)") else "Turtle", (None,))[0]
            ratio = f"{rate / ttl:9.2f}" if ttl else f"{'-':>9s}"
            print(f"{name:24s} {rate:11.0f} {rss / 1024:9.1f} MiB {'yes' if rss < RSS_BOUND_KIB else 'NO':>8s} "
                  f"{recs:9d} {k:9d} {'yes' if recs == k else 'no':>4s} {ratio}{'  partial' if partial else ''}")
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
