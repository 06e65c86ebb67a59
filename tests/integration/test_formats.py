"""Metadata formats end to end (issue 15): the test server disseminates its
items under unusual prefix names in MARC21 and DDI as well as oai_dc; a
source with no configured prefix harvests the richest format it offers
(chosen by the namespace ListMetadataFormats gives, not by the name), one
configured with the MARC prefix harvests that, and `get` returns the fields
the fixture holds.  A source whose configured prefix the server does not
offer fails its run saying so."""
import os

from harness import ROOT, Daemon, OAIServer, check, corpus_truth

N = 8
FIX = os.path.join(ROOT, "tests", "fixtures", "formats")

# Expected values, written from reading the fixtures.
EXPECT = {
    "ddi": {"title": "German General Social Survey 1996", "doi": "10.4232/1.11888", "creators": 2,
            "orcid": None, "year": "2014", "type": "Dataset", "language": None, "spdx": None},
    "marc21": {"title": "Strahlbetrieb supraleitender Beschleuniger : Messungen und Auslegung",
               "doi": "10.1234/thesis.2023.42", "creators": 1, "orcid": "0000-0002-1825-0097", "year": "2023",
               "type": "Dissertation", "language": "de", "spdx": "CC-BY-4.0"},
}


def fields(r):
    issued = [d["value"] for d in r.get("dates", []) if d.get("type") == "issued"]
    orcids = [c["orcid"] for c in r.get("creators", []) if c.get("orcid")]
    spdx = [x["spdx"] for x in r.get("licenses", []) if x.get("spdx")]
    return {"title": (r.get("titles") or [{}])[0].get("value"), "doi": r.get("doi"),
            "creators": len(r.get("creators", [])), "orcid": orcids[0] if orcids else None,
            "year": issued[0][:4] if issued else None, "type": r.get("resource_type"),
            "language": (r.get("languages") or [None])[0], "spdx": spdx[0] if spdx else None}


def test_formats_by_namespace_under_any_prefix(tmp):
    live = [rid for rid, r in corpus_truth(N).items() if not r["deleted"]]
    srv = OAIServer(tmp, "--generate", str(N),
                    "--extra-format", "lib_marc_xml=http://www.loc.gov/MARC21/slim=" + os.path.join(FIX, "marc21_marcxml.xml"),
                    "--extra-format", "study_v25=ddi:codebook:2_5=" + os.path.join(FIX, "ddi25.xml"))
    d = Daemon(tmp, [{"name": "auto", "type": "oai-pmh", "url": srv.url},
                     {"name": "lib", "type": "oai-pmh", "url": srv.url, "metadata_prefix": "lib_marc_xml"},
                     {"name": "nope", "type": "oai-pmh", "url": srv.url, "metadata_prefix": "not_offered"}])
    try:
        d.start()
        for name in ("auto", "lib"):
            s = d.wait_harvested(name)
            check(s["state"] == "ok", f"harvest of {name} failed: {s}")
            check(s["records"] == len(live), f"{name}: {s['records']} records, server has {len(live)} live")
        s = d.wait_harvested("nope")
        check(s["state"] == "failed" and "does not offer metadata format 'not_offered'" in (s["last_error"] or ""),
              f"a source whose prefix the server does not offer: {s}")

        right = total = 0
        for name, fmt in (("auto", "ddi"), ("lib", "marc21")):
            for rid in live:
                got = d.call({"op": "get", "id": f"{name}:{rid}"})
                check(got["ok"], f"get {name}:{rid}: {got}")
                r = got["record"]
                check(r["format"] == fmt, f"{name}:{rid} format {r['format']!r}, want {fmt!r}")
                have = fields(r)
                for k, v in EXPECT[fmt].items():
                    total += 1
                    right += have[k] == v
                    check(have[k] == v, f"{name}:{rid} {k} {have[k]!r}, want {v!r}")
        print(f"  formats fidelity: {right}/{total} expected values right")
    finally:
        d.stop()
        srv.stop()
