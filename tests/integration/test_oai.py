"""OAI-PMH harvesting against a hostile repository (issue 8's acceptance
tests): checkpoints that survive kill -9 under 503s, broken XML, nasty and
expiring tokens; incremental harvests after the server changed; deletion
reconciliation for sources that never announce deletions; one request at a
time per host; progress in `status`.

The index is compared with the server record by record: the source's count
in `status` must equal the number of live records the server holds, and a
pipelined `get` of every one of them must find it with the server's
datestamp.  Equal counts plus every expected id present means the id sets
are equal (ids are unique terms, so none can be there twice)."""
import json
import os
import random
import re
import time

import gen_corpus
from harness import (Daemon, OAIServer, check, corpus_truth, get_many, harvest_again, wait_until)

# Records of the kill -9 test, 20,000 as the issue asks: about 60 s on an
# idle 2-core machine, about 2 minutes when it is loaded.
N_CHECKPOINT = int(os.environ.get("FD_TEST_OAI_RECORDS", "20000"))
SEED = 42
# Token lifetime of the kill -9 test: 3 s, as the issue says.  A token ages
# while its page's retries back off and while the harvester waits for the
# indexer, so lists do expire under these fault rates; the harvester then
# lists again from the run's 'from' (again after each restart that got at
# least one page further, up to 20 per list), and the indexer skips the
# records it already holds with the same datestamp, so pages committed
# before the restart cost a fetch, not a rewrite.
EXPIRE = int(os.environ.get("FD_TEST_OAI_EXPIRE", "3"))


def live_truth(n):
    return {rid: r for rid, r in corpus_truth(n, SEED).items() if not r["deleted"]}


def check_index_equals(d, source, expected):
    """expected: oai id -> (datestamp, title or None).  Checks count, presence,
    datestamps and titles."""
    s = d.source(source)
    check(s["records"] == len(expected),
          f"source {source} holds {s['records']} records, the server has {len(expected)} live")
    got = get_many(d, [f"{source}:{x}" for x in expected])
    missing = [k for k, v in got.items() if v is None]
    check(not missing, f"{len(missing)} live records missing from the index, e.g. {missing[:5]}")
    wrong = []
    for oid, (ds, title) in expected.items():
        r = got[f"{source}:{oid}"]
        if r.get("datestamp") != ds or (title and title not in [t["value"] for t in r.get("titles", [])]):
            wrong.append((oid, ds, r.get("datestamp"), title))
    check(not wrong, f"{len(wrong)} records differ from the server, e.g. {wrong[:3]}")


def test_kill9_checkpoints_then_incremental(tmp):
    n = N_CHECKPOINT
    live = live_truth(n)
    srv = OAIServer(tmp, "--generate", str(n), "--page-size", "500", "--fail-rate", "0.1", "--bad-xml-rate", "0.05",
                    "--nasty-tokens", "--expire-tokens", str(EXPIRE), "--admin")
    src = [{"name": "cp", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1h"}]
    rng = random.Random(20261123)
    d = None
    try:
        kills_mid_harvest = 0
        for i in range(5):
            d = Daemon(tmp, src, name=f"kill{i}").start()
            time.sleep(rng.uniform(1.0, 3.0))
            running = d.source("cp")["state"] == "running"
            kills_mid_harvest += running
            d.proc.kill()
            d.wait(10)
        check(kills_mid_harvest == 5, f"only {kills_mid_harvest} of 5 kills hit a running harvest")

        d = Daemon(tmp, src, name="final").start()
        s = d.wait_harvested("cp", 180)
        check(s["state"] == "ok", f"final harvest failed: {s}")
        check_index_equals(d, "cp", {oid: (r["datestamp"], None) for oid, r in live.items()})
        gone = [f"cp:{rid}" for rid, r in corpus_truth(n, SEED).items() if r["deleted"]][:200]
        check(all(v is None for v in get_many(d, gone).values()), "a deleted record is in the index")
        log = "".join(open(os.path.join(tmp, f), errors="replace").read()
                      for f in sorted(os.listdir(tmp)) if f.startswith(("kill", "final")))
        check(re.search(r"^<5>source 'cp': harvest done in .* records/s\)$", log, re.M), "no run summary at notice")
        check(not re.search(r"^<6>.*page", log, re.M), "per-page lines at info level")

        # The server changes; an incremental run must bring the index level.
        ch = srv.admin("/admin/mutate?modify=200&delete=50&add=100")
        check(len(ch["modified"]) == 200 and len(ch["deleted"]) == 50 and len(ch["added"]) == 100, ch)
        ds = ch["datestamp"]
        expected = {oid: (r["datestamp"], None) for oid, r in live.items()}
        for oid in ch["modified"]:
            expected[oid] = (ds, live[oid]["md"]["titles"][0] + " (revised " + ds[:10] + ")")
        for oid in ch["deleted"]:  # after: the server may delete a record it just modified
            del expected[oid]
        for oid in ch["added"]:
            rec = gen_corpus.make_record(SEED, int(oid.rsplit(":", 1)[1]))
            if not rec["deleted"]:  # the corpus has deleted records among new ones too
                expected[oid] = (ds, rec["md"]["titles"][0])
        s = harvest_again(d, "cp", 120)
        check(s["state"] == "ok", f"incremental harvest failed: {s}")
        check(s["run"]["records"] + s["run"]["deleted"] < 2000,
              f"the incremental run was not incremental: {s['run']}")
        check_index_equals(d, "cp", expected)
        check(all(v is None for v in get_many(d, [f"cp:{x}" for x in ch["deleted"]]).values()),
              "a record deleted at the server is still in the index")
        res = d.call({"op": "search", "q": "revised " + ds[:4], "limit": 100})
        check(res["ok"] and res["total"] >= 1, f"no modified title found by search: {res}")
    finally:
        if d:
            d.stop()
        srv.stop()


def server_log_has(srv_log, offset, needle):
    with open(srv_log, errors="replace") as f:
        f.seek(offset)
        return needle in f.read()


def test_reconciliation_removes_only_after_complete_listing(tmp):
    n = 2000
    live = live_truth(n)
    srv = OAIServer(tmp, "--generate", str(n), "--deleted-record", "no", "--admin", "--page-size", "200",
                    "--id-page-size", "100", "--verbose")
    srv_log = os.path.join(tmp, "oai_server.log")
    src = [{"name": "rc", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1h", "reconcile": "1s"}]
    d = Daemon(tmp, src)
    try:
        d.start()
        s = d.wait_harvested("rc")
        check(s["state"] == "ok" and s["records"] == len(live), f"first harvest: {s}")
        check(s["last_reconciled"] is not None, f"a never reconciled source was not reconciled: {s}")
        check("source 'rc': reconciliation removed 0 records" in d.read_log(), d.read_log()[-2000:])

        # Deletions the source never announces (deletedRecord: no).
        ch = srv.admin("/admin/mutate?delete=50")
        s = harvest_again(d, "rc")
        check(s["state"] == "ok", s)
        check("source 'rc': reconciliation removed 50 records" in d.read_log(), d.read_log()[-2000:])
        got = get_many(d, [f"rc:{x}" for x in ch["deleted"]])
        check(all(v is None for v in got.values()), "reconciliation left deleted records")
        check(d.source("rc")["records"] == len(live) - 50, d.source("rc"))

        # A listing that fails half way removes nothing.
        ch2 = srv.admin("/admin/mutate?delete=30")
        srv.admin("/admin/reset-faults?slow_ms=300")
        offset = os.path.getsize(srv_log)
        time.sleep(1.1)
        check(d.call({"op": "harvest", "source": "rc"})["ok"], "harvest op refused")
        wait_until(lambda: server_log_has(srv_log, offset, "verb=ListIdentifiers"), 60, "the listing to start")
        srv.proc.kill()
        srv.proc.wait(10)
        s = wait_until(lambda: (lambda x: x if x["state"] == "failed" else None)(d.source("rc")), 120,
                       "the failed reconciliation")
        check("reconciliation" in (s["last_error"] or ""), f"last_error does not say why: {s}")
        got = get_many(d, [f"rc:{x}" for x in ch2["deleted"]])
        check(all(v is not None for v in got.values()), "a failed listing removed records")
        check(d.source("rc")["records"] == len(live) - 50, d.source("rc"))
        check(re.search(r"^<3>source 'rc': harvest failed.*reconciliation: listing failed, nothing removed",
                        d.read_log(), re.M), d.read_log()[-2000:])
    finally:
        d.stop()
        srv.stop()


def test_one_host_one_harvest_and_progress(tmp):
    n = 1200
    live = live_truth(n)
    srv = OAIServer(tmp, "--generate", str(n), "--page-size", "100", "--slow-ms", "40")
    src = [{"name": "a", "type": "oai-pmh", "url": srv.url, "delay": "0"},
           {"name": "b", "type": "oai-pmh", "url": srv.url,
            "delay": "50ms"}]
    d = Daemon(tmp, src)
    try:
        d.start()
        both, progress, states = 0, [], set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            st = {s["name"]: s for s in d.call({"op": "status"})["sources"]}
            running = [x for x in st.values() if x["state"] == "running"]
            both += len(running) > 1
            for x in running:
                if "progress" in x:
                    progress.append(x["progress"])
            states.add(tuple(sorted((k, v["state"]) for k, v in st.items())))
            if all(x["state"] in ("ok", "failed") for x in st.values()):
                break
            time.sleep(0.02)
        check(both == 0, f"two sources of one host harvested at once ({both} polls)")
        for name in ("a", "b"):
            s = d.source(name)
            check(s["state"] == "ok" and s["records"] == len(live), f"source {name}: {s}")
            check("progress" not in s, f"progress shown after the run: {s}")
        check(progress, "no progress seen in status while running")
        check(all(p["total"] == n and 0 <= p["done"] <= p["total"] for p in progress), progress[:5])
        check(any(0 < p["done"] < p["total"] for p in progress), f"progress never moved: {progress[:5]}")
        log = d.read_log()
        check(re.search(r"source '[ab]': due, waiting for source '[ab]' on host '127\.0\.0\.1'", log), log[-2000:])
    finally:
        d.stop()
        srv.stop()


def test_moved_url_after_a_crash_harvests_in_full(tmp):
    # A source cut off mid-list (kill -9: its committed checkpoint holds a
    # resumption token of repository A), then restarted with another URL.
    # The checkpoint names A, so the run from B must start over: no token,
    # no 'from', every record of B.
    dir_a, dir_b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
    os.makedirs(dir_a)
    os.makedirs(dir_b)
    srv_a = OAIServer(dir_a, "--generate", "3000", "--page-size", "50", "--slow-ms", "100", "--verbose")
    srv_b = OAIServer(dir_b, "--generate", "400", "--page-size", "50", "--seed", "7", "--verbose")
    log_a, log_b = os.path.join(dir_a, "oai_server.log"), os.path.join(dir_b, "oai_server.log")
    src = {"name": "mv", "type": "oai-pmh", "url": srv_a.url, "delay": "0", "interval": "1h"}
    d = Daemon(tmp, [src], name="before")
    try:
        d.start()
        wait_until(lambda: (lambda s: s["state"] == "running" and s["records"] >= 150)(d.source("mv")), 60,
                   "a few pages of A committed")
        d.proc.kill()
        d.wait(10)
        time.sleep(1)   # A logs the request in hand when it has answered it
        size_a = os.path.getsize(log_a)
        d = Daemon(tmp, [dict(src, url=srv_b.url)], name="after")
        d.start()
        s = d.wait_harvested("mv", 60)
        check(s["state"] == "ok" and s["last_complete"], s)
        lists = [line for line in open(log_b, errors="replace") if "verb=ListRecords" in line]
        check(lists and "resumptionToken=" not in lists[0] and "from=" not in lists[0],
              f"B's first list continued A's checkpoint: {lists[:2]}")
        n_b = sum(1 for r in corpus_truth(400, 7).values() if not r["deleted"])
        check(s["run"]["records"] == n_b, f"the run from B listed {s['run']['records']} records of {n_b}: {s}")
        check(os.path.getsize(log_a) == size_a, "A was asked again after the move")
        check(re.search(r"^<5>source 'mv': its checkpoint is of '" + re.escape(srv_a.url) + "', harvesting '"
                        + re.escape(srv_b.url) + "' in full$", d.read_log(), re.M), d.read_log()[-2000:])
        # B's records are there with B's datestamps.
        truth_b = {k: v for k, v in corpus_truth(400, 7).items() if not v["deleted"]}
        got = get_many(d, [f"mv:{x}" for x in list(truth_b)[:50]])
        check(all(got[f"mv:{x}"] and got[f"mv:{x}"]["datestamp"] == truth_b[x]["datestamp"]
                  for x in list(truth_b)[:50]), "records of B missing or not B's")
    finally:
        d.stop()
        srv_a.stop()
        srv_b.stop()
