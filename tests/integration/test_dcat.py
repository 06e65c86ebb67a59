"""DCAT harvesting end to end (issue 7): a type: dcat source on the test
server's Hydra-paged JSON-LD catalogue -> fairdexd -> search finds the
datasets; a dataset the server no longer lists disappears after the next
complete run.  A dcat source on a file: URL is a scenario kept as data
(tests/fixtures/scenarios/dcat_file_fixture.json).  `fair` of a DCAT
source carries the data.europa.eu MQA over its records, equal to what
`get` shows record by record, and the HTML report shows it."""
import html
import json
import os
import urllib.request

from harness import ROOT, Daemon, OAIServer, check, harvest_again, run_cli, wait_until


def catalogue(base):
    """Every dataset of the server's paged catalogue: {@id: title}."""
    out, page = {}, 1
    while True:
        try:
            with urllib.request.urlopen(f"{base}/dcat/catalog.jsonld?page={page}", timeout=30) as r:
                doc = json.load(r)
        except urllib.error.HTTPError:
            return out
        for d in doc["dcat:dataset"]:
            t = d["dct:title"]
            out[d["@id"]] = t if isinstance(t, str) else t.get("@value")
        if "hydra:next" not in doc["hydra:view"]:
            return out
        page += 1


def test_dcat_paged_catalogue(tmp):
    srv = OAIServer(tmp, "--generate", "300", "--dcat-page-size", "20", "--admin")
    d = Daemon(tmp, [{"name": "cat", "type": "dcat", "url": srv.base + "/dcat/catalog.jsonld"}])
    try:
        want = catalogue(srv.base)
        check(len(want) > 20, f"the test server's catalogue has only {len(want)} datasets")
        d.start()
        s = d.wait_harvested("cat")
        check(s["state"] == "ok", f"harvest failed: {s}")
        st = d.call({"op": "status"})
        check(st["records"] == len(want), f"index holds {st['records']} documents, catalogue has {len(want)}")

        iri, title = next((k, v) for k, v in want.items() if v and len(v.split()) >= 2)
        res = d.call({"op": "search", "q": title, "limit": 50})
        check(res["ok"], res)
        ids = [h["id"] for h in res["hits"]]
        check("cat:" + iri in ids, f"search {title!r} did not find cat:{iri}: {ids[:5]}")
        got = d.call({"op": "get", "id": "cat:" + iri})
        check(got["ok"] and got["record"]["format"] == "dcat", got)
        # the data.europa.eu MQA view beside FAIR (issue 19)
        mqa = got["record"].get("mqa")
        check(mqa and mqa["max_points"] == 320 and 0 < mqa["points"] <= 320 and
              mqa["rating"] in ("excellent", "good", "sufficient", "bad") and
              "access-url-status" in mqa["not_assessed"], f"get has no MQA view: {got}")

        # delete some items on the server: after the next complete run they are gone
        srv.admin("/admin/mutate?delete=15")
        after = catalogue(srv.base)
        gone = set(want) - set(after)
        check(gone, "the server deleted nothing")
        d.call({"op": "harvest", "source": "cat"})
        wait_until(lambda: d.source("cat")["state"] in ("ok", "failed") and
                   d.call({"op": "status"})["records"] == len(after), 60, "removal of the deleted datasets")
        for g in list(gone)[:3]:
            r = d.call({"op": "get", "id": "cat:" + g})
            check(not r["ok"], f"deleted dataset cat:{g} still indexed")
    finally:
        d.stop()
        srv.stop()


def test_dcat_contexts_dir(tmp):
    """contexts_dir: a JSON-LD catalogue naming the operator's context is read
    with it; one naming a context that is neither bundled nor in the index
    fails alone, its URL named, and nothing is fetched."""
    ctx_dir = os.path.join(tmp, "contexts")
    os.makedirs(ctx_dir)
    with open(os.path.join(ctx_dir, "index.tsv"), "w") as f:
        f.write("# URL<TAB>file\nhttps://contexts.example.org/ours.jsonld\tours.jsonld\n")
    with open(os.path.join(ctx_dir, "ours.jsonld"), "w") as f:
        json.dump({"@context": {"dcat": "http://www.w3.org/ns/dcat#", "Dataset": "dcat:Dataset",
                                "title": "http://purl.org/dc/terms/title"}}, f)
    docs = {}
    for name, ctx in (("ours", "https://contexts.example.org/ours.jsonld"),
                      ("unknown", "https://contexts.example.org/unknown.jsonld")):
        docs[name] = os.path.join(tmp, name + ".jsonld")
        with open(docs[name], "w") as f:
            json.dump({"@context": ctx, "@id": f"https://data.example.org/dataset/{name}", "@type": "Dataset",
                       "title": f"Pollinator counts {name}"}, f)
    d = Daemon(tmp, [{"name": n, "type": "dcat", "url": "file://" + p} for n, p in docs.items()],
               extra=f"contexts_dir: {ctx_dir}")
    try:
        d.start()
        s = d.wait_harvested("ours")
        check(s["state"] == "ok", f"harvest failed: {s}")
        got = d.call({"op": "get", "id": "ours:https://data.example.org/dataset/ours"})
        check(got["ok"], got)
        s = d.wait_harvested("unknown")
        check(s["state"] == "failed" and "https://contexts.example.org/unknown.jsonld" in (s.get("last_error") or ""),
              f"the unknown context is not named: {s}")
    finally:
        d.stop()


def ckan_names(base):
    with urllib.request.urlopen(f"{base}/api/3/action/package_list", timeout=30) as r:
        return set(json.load(r)["result"])


def test_ckan_deletions_reconciled(tmp):
    """A CKAN site deletes datasets after the first run: its incremental runs
    never see them go, the reconciliation (package_list, and package_search
    with only names where the site refuses package_list) removes them."""
    for refuse in (False, True):
        sub = os.path.join(tmp, "refuse" if refuse else "list")
        os.makedirs(sub)
        args = ["--generate", "400", "--admin", "--verbose"] + (["--ckan-no-package-list"] if refuse else [])
        srv = OAIServer(sub, *args)
        d = Daemon(sub, [{"name": "ck", "type": "ckan", "url": srv.base, "delay": "0", "interval": "1h",
                          "reconcile": "1s"}])
        try:
            with urllib.request.urlopen(f"{srv.base}/api/3/action/package_search?fl=name&rows=1000",
                                        timeout=30) as r:
                names = {x["name"] for x in json.load(r)["result"]["results"]}
            check(len(names) > 100, f"the fake CKAN site has only {len(names)} datasets")
            d.start()
            s = d.wait_harvested("ck")
            check(s["state"] == "ok" and s["records"] == len(names), f"first harvest: {s}")
            check(s["last_reconciled"] is not None, f"the CKAN source was not reconciled: {s}")

            ch = srv.admin("/admin/mutate?delete=7&modify=3")
            gone = {"ds-" + x.rsplit(":", 1)[1] for x in ch["deleted"]} & names
            check(gone, "the server deleted none of the CKAN datasets")
            if not refuse:
                check(not gone & ckan_names(srv.base), "package_list still names deleted datasets")
            s = harvest_again(d, "ck")
            check(s["state"] == "ok", s)
            check(f"source 'ck': reconciliation removed {len(gone)} records" in d.read_log(),
                  d.read_log()[-2000:])
            check(d.source("ck")["records"] == len(names) - len(gone), d.source("ck"))
            for g in gone:
                r = d.call({"op": "get", "id": f"ck:{srv.base}/dataset/{g}"})
                check(not r["ok"], f"deleted CKAN dataset {g} still indexed")
            with open(os.path.join(sub, "oai_server.log")) as f:
                log = f.read()
            check(("package_search?fl=name&rows=1000&start=" in log) == refuse and "package_list" in log,
                  f"the listing did not ask what the site answers (refuse={refuse}): {log[-1500:]}")
            kept = sorted(names - gone)[0]
            check(d.call({"op": "get", "id": f"ck:{srv.base}/dataset/{kept}"})["ok"], f"{kept} was lost")
        finally:
            d.stop()
            srv.stop()


def test_fair_mqa_per_source(tmp):
    fix = os.path.join(ROOT, "tests", "fixtures", "dcat")
    sources = [{"name": "eu", "type": "dcat", "url": "file://" + os.path.join(fix, "dcatap_full.ttl")},
               {"name": "bees", "type": "dcat",
                "url": "file://" + os.path.join(fix, "semic", "example-bee-population-dataset-series-combined.ttl")},
               {"name": "oai", "type": "oai-pmh", "url": "file://" + os.path.join(ROOT, "data", "sample",
                                                                                   "repository.xml")}]
    d = Daemon(tmp, sources)
    try:
        d.start()
        for s in sources:
            check(d.wait_harvested(s["name"])["state"] == "ok", f"harvest of {s['name']} failed")
        for name in ("eu", "bees"):
            hits = d.call({"op": "search", "q": "", "filters": {"source": [name]}, "limit": 100})["hits"]
            recs = [d.call({"op": "get", "id": h["id"]})["record"]["mqa"] for h in hits]
            rep = d.call({"op": "fair", "source": name, "worst": 0})
            check(rep["ok"], rep)
            m = rep["mqa"]
            check(m["records"] == len(recs) >= 2, f"{name}: mqa over {m['records']} records, {len(recs)} indexed")
            mean = sum(r["points"] for r in recs) / len(recs)
            check(abs(m["points"] - mean) < 0.051 and m["max_points"] == recs[0]["max_points"],
                  f"{name}: mean {m['points']}, records {[r['points'] for r in recs]}")
            lost = []
            for ind in m["indicators"]:
                per = [next(x for x in r["indicators"] if x["id"] == ind["id"]) for r in recs]
                passing = sum(x["points"] == x["max_points"] for x in per)
                check(ind["pass"] == passing and abs(ind["pass_share"] - passing / len(recs)) < 0.0006,
                      f"{name} {ind['id']}: pass {ind['pass']}, records {per}")
                check(("hint" in ind) == (passing < len(recs)), f"{name} {ind['id']}: hint {ind.get('hint')}")
                lost.append(ind["max_points"] - ind["points"])
            check(lost == sorted(lost, reverse=True), f"{name}: indicators not sorted by points lost: {lost}")
            for d_name, dim in m["dimensions"].items():
                want = sum(x["points"] for r in recs for x in r["indicators"] if x["dimension"] == d_name) / len(recs)
                check(abs(dim["points"] - want) < 0.051, f"{name} {d_name}: {dim['points']} != {want}")
            for kind in ("mandatory_missing", "recommended_missing"):
                for prop, n in m["dcat_ap"][kind].items():
                    check(n == sum(prop in r["dcat_ap"][kind] for r in recs), f"{name} {kind} {prop}: {n}")
            check(m["not_assessed"] == recs[0]["not_assessed"], m["not_assessed"])
        # the BeePopulation datasets lack descriptions: the first thing to fix there
        bees = d.call({"op": "fair", "source": "bees"})["mqa"]
        check(bees["dcat_ap"]["mandatory_missing"]["dct:description"] >= 1, bees["dcat_ap"])
        # docs/protocol.md's example of `fair` with `mqa`, replayed exactly
        from test_protocol import doc_examples
        req, ans = next((q, a) for q, a in doc_examples() if q["op"] == "fair" and q.get("source") == "bees")
        got = d.call(req)
        check(got["ok"] and got["records"] == ans["records"] and got["mqa"] == ans["mqa"],
              f"docs/protocol.md's fair of 'bees': got {json.dumps(got.get('mqa'))}")
        # an OAI-PMH source has no DCAT record; every source's report has no MQA
        check(d.call({"op": "fair", "source": "oai"})["mqa"] is None, "an OAI-PMH source got an MQA view")
        check("mqa" not in d.call({"op": "fair"}), "the report of every source has an MQA view")

        # the HTML report of a source shows it: dimensions, each indicator with its share and hint
        page = os.path.join(tmp, "eu.html")
        r = run_cli("fair", "eu", "--html", page, socket_path=d.socket)
        check(r.returncode == 0, r.stderr)
        text = open(page, encoding="utf-8").read()
        eu = d.call({"op": "fair", "source": "eu"})["mqa"]
        check('id="mqa-dimensions"' in text and 'id="mqa-indicators"' in text and 'id="mqa-dcat-ap"' in text,
              "the HTML report has no MQA section")
        for ind in eu["indicators"]:
            row = f"<tr><td>{ind['id']}</td><td>{ind['dimension']}</td><td class=\"n\">{100 * ind['pass_share']:.1f}%</td>"
            check(row in text, f"no row {row} in the report")
            if "hint" in ind:
                check(html.escape(ind["hint"], quote=True).replace("&#x27;", "&#39;") in text,
                      f"hint of {ind['id']} not in the report")
        oai_page = os.path.join(tmp, "oai.html")
        check(run_cli("fair", "oai", "--html", oai_page, socket_path=d.socket).returncode == 0, "fair oai --html")
        check("mqa-indicators" not in open(oai_page, encoding="utf-8").read(), "an OAI-PMH source's report has MQA")
    finally:
        d.stop()
