"""DCAT harvesting end to end (issue 7): a type: dcat source on the test
server's Hydra-paged JSON-LD catalogue -> fairdexd -> search finds the
datasets; a dataset the server no longer lists disappears after the next
complete run.  A dcat source on a file: URL is a scenario kept as data
(tests/fixtures/scenarios/dcat_file_fixture.json)."""
import json
import os
import urllib.request

from harness import Daemon, OAIServer, check, harvest_again, wait_until


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
