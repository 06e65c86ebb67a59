"""A `csw` source (issue 15): fairdex pages through an OGC CSW 2.0.2
catalogue's GetRecords (outputSchema ISO 19139, resultType=results,
startPosition / nextRecord) as it pages through ListRecords, through the
one fetch policy (a 503 is retried), and maps each ISO record by what it
is.  The catalogue is tests/tools/csw_server.py, answering in the shape
GeoNetwork and pycsw give (the gmd namespaces declared on the response's
root, not on the records)."""
import os

from harness import ROOT, Daemon, OAIServer, check

TEMPLATE = os.path.join(ROOT, "tests", "fixtures", "formats", "iso19139.xml")
N = 120  # three pages of 50


def test_csw_pages_getrecords(tmp):
    srv = OAIServer(tmp, "--records", str(N), "--template", TEMPLATE, "--fail-first", tool="csw_server.py")
    d = Daemon(tmp, [{"name": "geo", "type": "csw", "url": srv.url, "interval": "1h"}])
    try:
        d.start()
        s = d.wait_harvested("geo")
        check(s["state"] == "ok", f"the CSW run failed: {s}")
        check(s["last_run"]["records"] == N and s["records"] == N, s)
        st = srv.admin("/stats")
        check(st["requests"] == 4 and st["starts"] == [1, 51, 101], f"startPositions asked: {st['starts']}")
        e = d.call({"op": "errors", "source": "geo"})["runs"][-1]["errors"]
        check(any("HTTP 503" in m and "retrying" in m for m in e), e)
        for i in (1, 50, 51, N):
            got = d.call({"op": "get", "id": f"geo:csw-rec-{i}", "raw": True})
            check(got["ok"], f"record {i}: {got}")
            r = got["record"]
            check(r["format"] == "iso19139", r["format"])
            check(r["titles"][0]["value"] == f"Cadastre 2018 en Bretagne #{i}", r["titles"])
            check(r["datestamp"].startswith(f"2024-01-{i % 28 + 1:02d}"), r["datestamp"])
            check(r.get("doi") == "10.5072/cadastre-2018", r.get("doi"))
            check(got["raw"]["text"].startswith("<MD_Metadata") and f"csw-rec-{i}<" in got["raw"]["text"],
                  got["raw"]["text"][:200])
    finally:
        d.stop()
        srv.stop()
