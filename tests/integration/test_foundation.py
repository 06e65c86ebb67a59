"""One record's whole way: OAI-PMH over HTTP -> parse -> normalize -> Xapian
-> search and get over the Unix socket (issue 3's acceptance tests).
Malformed requests, a refused configuration and --once with an unreachable
source are scenarios kept as data (tests/fixtures/scenarios/, run by
test_scenarios.py)."""
import collections
import json
import os
import re
import signal

from harness import Daemon, OAIServer, check, corpus_truth, run_cli, wait_until

N = 2000


def doi_of(md):
    for ident in md["dc_identifiers"]:
        m = re.search(r"(10\.\d{4,9}/\S+)$", ident)
        if m and not ident.startswith("https://datadryad"):
            return m.group(1).lower()
    return None


def known_record(truth):
    """A live record with a DOI written with capitals and an SPDX license."""
    fallback = None
    for rid, r in truth.items():
        if r["deleted"]:
            continue
        spdx = [x["spdx"] for x in r["md"]["rights"] if x.get("spdx")]
        doi = doi_of(r["md"])
        if not (doi and spdx):
            continue
        if any(c.isupper() for i in r["md"]["dc_identifiers"] for c in i if "10." in i):
            return rid, r, doi, spdx[0]
        fallback = fallback or (rid, r, doi, spdx[0])
    return fallback


def rare_title_words(record, truth, k=3):
    """Title words of record that few other titles contain."""
    df = collections.Counter()
    for r in truth.values():
        if not r["deleted"]:
            df.update({w.lower() for t in r["md"]["titles"] for w in re.findall(r"[A-Za-z]{4,}", t)})
    words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", record["md"]["titles"][0])}
    return sorted(words, key=lambda w: (df[w], w))[:k]


def test_harvest_search_get(tmp):
    truth = corpus_truth(N)
    live = {rid for rid, r in truth.items() if not r["deleted"]}
    srv = OAIServer(tmp, "--generate", str(N))
    d = Daemon(tmp, [{"name": "bench", "type": "oai-pmh", "url": srv.url}])
    try:
        d.start()
        s = d.wait_harvested("bench")
        check(s["state"] == "ok", f"harvest failed: {s}")
        st = d.call({"op": "status"})
        check(st["records"] == len(live), f"index holds {st['records']} documents, server has {len(live)} live")
        check(s["records"] == len(live), f"source count {s['records']} != {len(live)}")

        rid, rec, doi, spdx = known_record(truth)
        fid = "bench:" + rid
        words = rare_title_words(rec, truth)
        res = d.call({"op": "search", "q": " ".join(words), "limit": 100})
        check(res["ok"], res)
        ids = [h["id"] for h in res["hits"]]
        check(fid in ids, f"search {words} did not find {fid}: {ids[:10]}")
        hit = res["hits"][ids.index(fid)]
        check(hit["source"] == "bench" and hit["title"] == rec["md"]["titles"][0], f"hit fields wrong: {hit}")

        one = d.call({"op": "search", "q": words[0], "limit": 100})
        check(fid in [h["id"] for h in one["hits"]], f"single title word '{words[0]}' did not find {fid}")

        got = d.call({"op": "get", "id": fid})
        check(got["ok"], got)
        r = got["record"]
        check(r["id"] == fid and r["source"] == "bench", r.get("id"))
        check(r["doi"] == doi, f"normalized DOI {r.get('doi')!r}, expected {doi!r}")
        check(spdx in [x.get("spdx") for x in r.get("licenses", [])], f"license {spdx} missing: {r.get('licenses')}")
        check(isinstance(r.get("fair", {}).get("overall"), int), "record has no FAIR assessment")

        deleted = next(rid for rid, x in truth.items() if x["deleted"])
        nf = d.call({"op": "get", "id": "bench:" + deleted})
        check(not nf["ok"] and nf["error"]["code"] == "not_found", f"deleted record answered: {nf}")
    finally:
        d.stop()
        srv.stop()


def test_sample_configuration(tmp):
    """The bundled default harvests data/sample offline and finds its glacier record."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sample = os.path.join(root, "data", "sample", "repository.xml")
    d = Daemon(tmp, [{"name": "sample", "type": "oai-pmh", "url": "file://" + sample}])
    try:
        d.start()
        s = d.wait_harvested("sample")
        check(s["state"] == "ok" and s["records"] >= 200, f"sample harvest: {s}")
        cli = run_cli("search", "glacier", "mass", "balance", socket_path=d.socket)
        check(cli.returncode == 0, cli.stderr)
        check("Glacier mass balance measurements in the European Alps" in cli.stdout, cli.stdout)
        fid = "sample:oai:sample.fairdex.org:glacier-mass-balance-alps"
        cli = run_cli("--json", "get", fid, socket_path=d.socket)
        check(cli.returncode == 0, cli.stderr)
        rec = json.loads(cli.stdout)["record"]
        check(rec["doi"] == "10.5072/zenodo.1234567", rec.get("doi"))
        check(rec.get("access") == "open", rec.get("access"))
        check([x.get("spdx") for x in rec["licenses"]] == ["CC-BY-4.0"], rec.get("licenses"))
        cli = run_cli("get", "sample:no-such-record", socket_path=d.socket)
        check(cli.returncode == 1 and "not_found" in cli.stderr, (cli.returncode, cli.stderr))
        cli = run_cli("status", socket_path=d.socket)
        check(cli.returncode == 0 and "sample" in cli.stdout, cli.stdout)
    finally:
        d.stop()
    cli = run_cli("status", socket_path=d.socket)
    check(cli.returncode == 3 and "cannot connect" in cli.stderr, (cli.returncode, cli.stderr))


def test_once_exit_status(tmp):
    srv = OAIServer(tmp, "--generate", "300")
    d = Daemon(tmp, [{"name": "bench", "type": "oai-pmh", "url": srv.url}])
    try:
        d.start(wait_ready=False, args=["--once"])
        check(d.wait(120) == 0, "fairdexd --once failed: " + d.read_log()[-2000:])
    finally:
        srv.stop()
    live = sum(1 for r in corpus_truth(300).values() if not r["deleted"])
    again = Daemon(tmp, [{"name": "bench", "type": "oai-pmh", "url": srv.url}], name="second")
    try:
        again.start()
        st = again.call({"op": "status"})
        check(st["records"] == live, f"--once committed {st['records']} of {live}")
    finally:
        again.stop()


def test_sigterm_finishes_page_and_resumes(tmp):
    truth = corpus_truth(1500)
    live = sum(1 for r in truth.values() if not r["deleted"])
    srv = OAIServer(tmp, "--generate", "1500", "--slow-ms", "150")
    src = [{"name": "slow", "type": "oai-pmh", "url": srv.url}]
    try:
        d = Daemon(tmp, src).start()
        wait_until(lambda: d.call({"op": "status"})["records"] > 0, 60, "first committed page")
        d.signal(signal.SIGTERM)
        check(d.wait(30) == 0, "SIGTERM did not exit 0")
        log = d.read_log()
        check("SIGTERM received" in log and re.search(r"^<5>fairdexd stopped: \d+ records", log, re.M), log)
        partial = int(re.search(r"fairdexd stopped: (\d+) records", log).group(1))
        check(0 < partial < live, f"stopped with {partial} of {live}: not mid-harvest")

        d2 = Daemon(tmp, src, name="resumed").start()
        s = d2.wait_harvested("slow", 180)
        check(s["state"] == "ok", s)
        check(d2.call({"op": "status"})["records"] == live, "resumed harvest did not end complete")
        d2.stop()
    finally:
        srv.stop()


def test_sigkill_loses_nothing_committed(tmp):
    truth = corpus_truth(1500)
    live = sum(1 for r in truth.values() if not r["deleted"])
    srv = OAIServer(tmp, "--generate", "1500", "--slow-ms", "100")
    src = [{"name": "k", "type": "oai-pmh", "url": srv.url}]
    try:
        d = Daemon(tmp, src).start()
        n = wait_until(lambda: d.call({"op": "status"})["records"] >= 300 and d.call({"op": "status"})["records"],
                       60, "300 committed records")
        d.proc.kill()
        d.wait(10)
        d2 = Daemon(tmp, src, name="after-kill").start()
        check(d2.call({"op": "status"})["records"] >= n, "records committed before SIGKILL were lost")
        s = d2.wait_harvested("k", 180)
        check(s["state"] == "ok", s)
        check(d2.call({"op": "status"})["records"] == live, "after SIGKILL and restart the index is not complete")
        d2.stop()
    finally:
        srv.stop()
