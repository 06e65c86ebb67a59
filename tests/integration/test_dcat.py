"""DCAT harvesting end to end (issue 7): a type: dcat source on the test
server's Hydra-paged JSON-LD catalogue -> fairdexd -> search finds the
datasets; a dataset the server no longer lists disappears after the next
complete run.  A dcat source on a file: URL is a scenario kept as data
(tests/fixtures/scenarios/dcat_file_fixture.json)."""
import json
import os
import urllib.request

from harness import Daemon, OAIServer, check, wait_until


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
