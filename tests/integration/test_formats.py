"""Metadata formats end to end (issue 15): the test server disseminates its
items under unusual prefix names in MARC21 and DDI as well as oai_dc; a
source with no configured prefix harvests the richest format it offers
(chosen by the namespace ListMetadataFormats gives, not by the name), one
configured with the MARC prefix harvests that, and `get` returns the fields
the fixture holds.  A source whose configured prefix the server does not
offer fails its run saying so."""
import json
import os
import re
import subprocess
import unicodedata

from harness import ROOT, Daemon, OAIServer, Skip, check, corpus_truth

N = 8
FIX = os.path.join(ROOT, "tests", "fixtures", "formats")

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

        for name, fmt in (("auto", "ddi"), ("lib", "marc21")):
            for rid in live:
                got = d.call({"op": "get", "id": f"{name}:{rid}"})
                check(got["ok"], f"get {name}:{rid}: {got}")
                r = got["record"]
                check(r["format"] == fmt, f"{name}:{rid} format {r['format']!r}, want {fmt!r}")
                have = fields(r)
                for k, v in EXPECT[fmt].items():
                    check(have[k] == v, f"{name}:{rid} {k} {have[k]!r}, want {v!r}")
    finally:
        d.stop()
        srv.stop()


def tally(per, wrong, fmt, key, have, want, where):
    """Counts one compared value in per[fmt][key] ([right, all]); a wrong
    one is also listed in wrong."""
    c = per.setdefault(fmt, {}).setdefault(key, [0, 0])
    c[0] += have == want
    c[1] += 1
    if have != want:
        wrong.append(f"{where} {key}: {have!r}, want {want!r}")


def year(r):
    issued = [d["value"] for d in r.get("dates", []) if d.get("type") == "issued"]
    dates = issued or [d["value"] for d in r.get("dates", [])]
    return dates[0][:4] if dates else None


def fidelity_fields(r):
    f = fields(r)
    f["year"] = year(r)
    f["format"] = r.get("format")
    return f


# Every own fixture under an unusual prefix name, its namespace, and the
# expected values of each of its records (items take them in turn):
# format, title, doi, creators, orcid, year, type, language, spdx.
FIDELITY = [
    ("marc21_marcxml.xml", "lib_marc_xml", "http://www.loc.gov/MARC21/slim", [
        ("marc21", "Strahlbetrieb supraleitender Beschleuniger : Messungen und Auslegung", "10.1234/thesis.2023.42",
         1, "0000-0002-1825-0097", "2023", "Dissertation", "de", "CC-BY-4.0")]),
    ("mods_unusual_prefix.xml", "oai_mods_v3", "http://www.loc.gov/mods/v3", [
        ("mods", "Moss flora of Java", "10.5962/bhl.title.44870", 1, "0000-0001-5109-3700", "1904", "Book", "nl",
         "CC-BY-NC-3.0")]),
    ("ddi25.xml", "study_v25", "ddi:codebook:2_5", [
        ("ddi", "German General Social Survey 1996", "10.4232/1.11888", 2, None, "2014", "Dataset", None, None)]),
    ("ddi32_lifecycle.xml", "oai_ddi32", "ddi:instance:3_2", [
        ("ddi3", "German General Social Survey 1996", "10.4232/1.11888", 2, None, "2014", "Dataset", "en", None)]),
    ("iso19139.xml", "geo_iso", "http://www.isotc211.org/2005/gmd", [
        ("iso19139", "Cadastre 2018 en Bretagne", "10.5072/cadastre-2018", 1, None, "2018", "Dataset", "fr",
         "etalab-2.0")]),
    ("eml.xml", "gbif_eml", "eml://ecoinformatics.org/eml-2.1.1", [
        ("eml", "Amphibians of the Faroe Islands", "10.5072/fk22zu2ds", 2, "0000-0002-1825-0097", "2015", "Dataset",
         "en", "CC0-1.0")]),
    ("cerif.xml", "cris", "https://www.openaire.eu/cerif-profile/1.1/", [
        ("oai_cerif_openaire", "Metadata quality in CRIS", "10.1007/978-3-642-35233-1_18", 2, "0000-0002-3748-8359",
         "2012", "ConferencePaper", "en", "CC-BY-4.0")]),
    ("edm.xml", "europeana", "http://www.europeana.eu/schemas/edm/", [
        ("edm", "Beurs van beschilderd fluweel", None, 1, None, "1800", "Image", "nl", "CC-PDM-1.0")]),
    ("dc_unwrapped.xml", "dc", "http://purl.org/dc/elements/1.1/", [
        ("qdc", "Shad E. Graham papers Film Reel 1", "10.1594/pangaea.904099", 1, None, "1952", "Audiovisual", "en",
         "CC-BY-NC-4.0")]),
    ("qdc_rioxx_doaj.xml", "hub_qdc", "http://worldcat.org/xmlschemas/qdc-1.0/", [
        ("qdc", "Heuchera villosa", None, 1, None, "1881", "Sound", "en", None),
        ("rioxx", "Increasing turbidity in the North Sea", "10.5194/os-15-1615-2019", 2, "0000-0002-0592-366X",
         "2019", "JournalArticle", "en", "CC-BY-NC-ND-4.0"),
        ("oai_doaj", "Imaginaires autochtones contemporains", "10.5072/testing", 2, "0000-0002-1825-0097", "2013",
         "JournalArticle", "fr", None)]),
    ("datacite_zenodo_prefix.xml", "oai_datacite3", "http://schema.datacite.org/oai/oai-1.0/", [
        ("oai_datacite", "LISA Technology Package flight software", "10.5281/zenodo.18729", 1, None, "2015",
         "Software", None, "CC-BY-4.0")]),
]
KEYS = ("format", "title", "doi", "creators", "orcid", "year", "type", "language", "spdx")
# the fields fields() gives of the DDI and MARC fixtures' one record each, for the test above
EXPECT = {w[0][0]: dict(zip(KEYS[1:], w[0][1:])) for fix, _, _, w in FIDELITY
          if fix in ("ddi25.xml", "marc21_marcxml.xml")}


def test_format_fidelity_over_http(tmp):
    """Each own fixture served under an unusual prefix name, harvested by the
    daemon over HTTP, compared with the values written from reading it; the
    share right is printed per format and per field."""
    truth = corpus_truth(N)
    args = ["--generate", str(N)]
    for fix, prefix, ns, _ in FIDELITY:
        args += ["--extra-format", f"{prefix}={ns}=" + os.path.join(FIX, fix)]
    srv = OAIServer(tmp, *args)
    d = Daemon(tmp, [{"name": f"s{i}", "type": "oai-pmh", "url": srv.url, "metadata_prefix": prefix}
                     for i, (_, prefix, _, _) in enumerate(FIDELITY)])
    try:
        d.start()
        per = {}
        wrong = []
        for i, (fix, prefix, _, wants) in enumerate(FIDELITY):
            s = d.wait_harvested(f"s{i}")
            check(s["state"] == "ok", f"harvest of {prefix} failed: {s}")
            for rid, rec in truth.items():
                got = d.call({"op": "get", "id": f"s{i}:{rid}"})
                if rec["deleted"]:
                    check(not got["ok"] and got["error"]["code"] == "not_found", f"deleted {rid} answered: {got}")
                    continue
                check(got["ok"], f"record s{i}:{rid} not found: {got}")
                want = dict(zip(KEYS, wants[int(rid.rsplit(":", 1)[1]) % len(wants)]))
                have = fidelity_fields(got["record"])
                for k in KEYS:
                    tally(per, wrong, want["format"], k, have[k], want[k], f"{prefix} {rid}")
        right = sum(c[0] for f in per.values() for c in f.values())
        total = sum(c[1] for f in per.values() for c in f.values())
        for fmt, ks in sorted(per.items()):
            print(f"  {fmt:<20} " + " ".join(f"{k} {c[0]}/{c[1]}" for k, c in ks.items()))
        print(f"  all formats: {right}/{total} expected values right")
        check(not wrong, "; ".join(wrong[:10]))
    finally:
        d.stop()
        srv.stop()


def test_unknown_format_is_a_record_level_problem(tmp):
    """A record whose metadata no mapper reads is skipped, counted by its
    format in `status` (the run and last_run) and listed by `errors`; the
    other records of the page are indexed."""
    live = [rid for rid, r in corpus_truth(N).items() if not r["deleted"]]
    srv = OAIServer(tmp, "--generate", str(N),
                    "--extra-format", "mixed=urn:example:mixed=" + os.path.join(FIX, "mixed_unknown.xml"))
    d = Daemon(tmp, [{"name": "mixed", "type": "oai-pmh", "url": srv.url, "metadata_prefix": "mixed"}])
    try:
        d.start()
        s = d.wait_harvested("mixed")
        check(s["state"] == "ok", f"the run failed: {s}")
        # item i gets the (i mod 2)-th body of the fixture: even ones are unknown
        order = list(corpus_truth(N))
        unknown = [rid for rid in live if order.index(rid) % 2 == 0]
        run = s["last_run"]
        check(run["skipped"] == len(unknown) and run["records"] == len(live) - len(unknown), run)
        check(run["skipped_formats"] == {"{urn:example:unknown-format}thing": len(unknown)}, run)
        e = d.call({"op": "errors", "source": "mixed"})
        last = e["runs"][-1]
        check(last["skipped_formats"] == run["skipped_formats"], last)
        check(any("{urn:example:unknown-format}thing is not supported" in m for m in last["errors"]), last["errors"])
        for rid in live:
            got = d.call({"op": "get", "id": f"mixed:{rid}"})
            check(got["ok"] == (rid not in unknown), f"{rid}: {got}")
    finally:
        d.stop()
        srv.stop()


# ---- the real files of ../shared/fixtures/formats ---------------------------
#
# Each file is served over HTTP as the one page of a ListRecords response of
# its own metadata prefix: an OAI-PMH response as it is (a GetRecord turned
# into a ListRecords, any resumptionToken taken out as there is no next
# page), a bare OAI <record> inside an envelope, and a metadata document (or
# each record of a container: MARC collection, DOAJ records, CSW responses)
# as the metadata of a record "fixture:STEM:N".  The expected values of
# every record are in tests/fixtures/formats/real_expected.jsonl, written by
# reading the files (not by running fairdex).

SHARED_FORMATS = os.path.join(ROOT, "..", "shared", "fixtures", "formats")
SHARED_OAI = os.path.join(ROOT, "..", "shared", "fixtures", "oai")
REAL_EXPECTED = os.path.join(FIX, "real_expected.jsonl")
# the fields compared, in the order of an expectations line after file and id
REAL_KEYS = ("title", "doi", "pids", "license", "creators", "creator_ids", "year", "type", "language", "deleted")
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
_ENVELOPE = ('<?xml version="1.0" encoding="UTF-8"?>\n<o:OAI-PMH xmlns:o="%s"><o:responseDate>2026-01-01T00:00:00Z'
             '</o:responseDate><o:request verb="ListRecords">http://127.0.0.1/oai</o:request><o:ListRecords>\n'
             % OAI_NS, "</o:ListRecords></o:OAI-PMH>\n")
_ENC = re.compile(rb'^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding=["\']([A-Za-z0-9_-]+)')
_DECL = re.compile(r'^\ufeff?\s*<\?xml[^>]*\?>\s*')
_NSDECL = re.compile(r'\sxmlns(?::[\w.-]+)?=(["\']).*?\1', re.S)
_TOKENS = re.compile(r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<(/?)([\w.:-]+)[^>]*?(/?)>", re.S)


def _root(t):
    """Local name of the first element of t and the span of its start tag."""
    blank = re.sub(r"<!--.*?-->|<\?.*?\?>", lambda m: " " * len(m.group()), t, flags=re.S)
    m = re.search(r"<([\w.-]+:)?([\w.-]+)\b[^>]*>", blank)
    return m.group(2), m.start(), m.end()


def _children(t, start):
    """The top-level elements after offset start (inside one element)."""
    out, depth, cur = [], 0, None
    for m in _TOKENS.finditer(t, start):
        if m.group(2) is None:
            continue
        if m.group(1):
            depth -= 1
            if depth < 0:
                break
            if depth == 0:
                out.append(t[cur:m.end()])
        elif m.group(3):
            if depth == 0:
                out.append(m.group())
        else:
            if depth == 0:
                cur = m.start()
            depth += 1
    return out


def _with_ns(part, decls):
    """part with the namespace declarations of its container it lacks."""
    head = part[:part.index(">")]
    have = {d.group().split("=")[0].strip() for d in _NSDECL.finditer(head)}
    name = re.match(r"<[\w.:-]+", part).end()
    return part[:name] + "".join(d for d in decls if d.split("=")[0].strip() not in have) + part[name:]


def real_listrecords(path):
    """The ListRecords response (text) that serves the records of path."""
    b = open(path, "rb").read()
    m = _ENC.match(b)
    t = b.decode(m.group(1).decode() if m else "utf-8").lstrip("\ufeff")
    name, s, e = _root(t)
    if name == "OAI-PMH":
        t = re.sub(r"<(/?)([\w-]+:)?GetRecord>", r"<\1\2ListRecords>", t)
        return re.sub(r"<([\w-]+:)?resumptionToken\b[^>]*?(/>|>.*?</([\w-]+:)?resumptionToken>)", "", t, flags=re.S)
    body = _DECL.sub("", t)
    if name == "documents":                     # a harvester's own wrapper around OAI records
        body = "".join(_children(body, _root(body)[2]))
        name = "record"
    if name == "record" and re.search(r"<([\w-]+:)?header\b", body[:2000]):
        return _ENVELOPE[0].replace("<o:ListRecords>", f'<o:ListRecords xmlns="{OAI_NS}">') + body + _ENVELOPE[1]
    stem = os.path.basename(path).rsplit(".", 1)[0]
    parts = [body]
    if name in ("collection", "records", "GetRecordsResponse", "GetRecordByIdResponse"):
        _, s, e = _root(body)
        decls = [d.group() for d in _NSDECL.finditer(body[s:e])]
        parts = _children(body, _root(body)[2])
        for p in parts:
            if re.match(r"<([\w-]+:)?SearchResults\b", p):
                decls += [d.group() for d in _NSDECL.finditer(p[:p.index(">")])]
                parts = _children(p, p.index(">") + 1)
        parts = [_with_ns(p, decls) for p in parts if not re.match(r"<([\w-]+:)?SearchStatus\b", p)]
    recs = "".join(f"<o:record><o:header><o:identifier>fixture:{stem}:{i}</o:identifier><o:datestamp>2020-01-01"
                   f"</o:datestamp></o:header><o:metadata>{p}</o:metadata></o:record>\n" for i, p in enumerate(parts))
    return _ENVELOPE[0] + recs + _ENVELOPE[1]


def real_have(r):
    """The compared fields of a record as get answers it: the first title,
    the DOI, the handles, URNs and ARKs, the first licence with an SPDX id,
    the creators and their ORCIDs, the year of the first date issued (else
    created, else available), the resource type, the primary subtag of the
    first language."""
    def year():
        for kind in ("issued", "created", "available"):
            for d in r.get("dates", []):
                m = re.match(r"-?\d+", d["value"]) if d.get("type") == kind else None
                if m:
                    return str(int(m.group()))
        return None
    spdx = [x["spdx"] for x in r.get("licenses", []) if x.get("spdx")]
    lang = (r.get("languages") or [None])[0]
    title = unicodedata.normalize("NFC", " ".join(((r.get("titles") or [{}])[0].get("value") or "").split()))
    return {"title": title or None,
            "doi": (r.get("doi") or "").lower() or None,
            "pids": sorted(i["value"].lower() for i in r.get("identifiers", [])
                           if i.get("scheme") in ("handle", "urn", "ark")),
            "license": spdx[0] if spdx else None,
            "creators": len(r.get("creators", [])),
            "creator_ids": [c["orcid"] for c in r.get("creators", []) if c.get("orcid")],
            "year": year(), "type": r.get("resource_type"),
            "language": lang.split("-")[0] if lang else None, "deleted": False}


def real_expected():
    """file -> [(record id, {field: value} or None for a record to skip)]"""
    out = {}
    with open(REAL_EXPECTED, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                w = json.loads(line)
                want = None if w[2] == "SKIP" else dict(zip(REAL_KEYS, w[2:]))
                if want:
                    want["pids"] = sorted(p.lower() for p in want["pids"])
                    want["doi"] = want["doi"].lower() if want["doi"] else None
                    want["title"] = unicodedata.normalize("NFC", want["title"]) if want["title"] else None
                out.setdefault(w[0], []).append((w[1], want))
    return out


def test_real_files_fidelity_over_http(tmp):
    """Every real file of ../shared/fixtures/formats (and the records of
    ../shared/fixtures/oai in the formats of issue 15) harvested by the
    daemon over HTTP; each field of each record compared with the values
    written from reading the file; the share right printed per format and
    field; fails under 98 % or when a record is missing."""
    if not os.path.isdir(SHARED_FORMATS):
        raise Skip("../shared/fixtures/formats is absent")
    expected = real_expected()
    args, sources = [], []
    for n, rel in enumerate(sorted(expected)):
        base = SHARED_OAI if rel.startswith("oai/") else SHARED_FORMATS
        served = os.path.join(tmp, f"real{n}.xml")
        with open(served, "w", encoding="utf-8") as f:
            f.write(real_listrecords(os.path.join(base, rel.split("/", 1)[1] if rel.startswith("oai/") else rel)))
        args += ["--replay", f"real{n}=urn:fixtures:{n}={served}"]
        sources.append({"name": f"r{n}", "type": "oai-pmh", "url": None, "metadata_prefix": f"real{n}"})
    srv = OAIServer(tmp, "--generate", "1", *args)
    for s in sources:
        s["url"] = srv.url
    d = Daemon(tmp, sources)
    try:
        d.start()
        per, wrong, missing = {}, [], []
        for n, rel in enumerate(sorted(expected)):
            s = d.wait_harvested(f"r{n}")
            check(s["state"] == "ok", f"harvest of {rel} failed: {s}")
            fmt = rel.split("/")[0]
            for rid, want in expected[rel]:
                got = d.call({"op": "get", "id": f"r{n}:{rid}"})
                if want is None:
                    check(not got["ok"], f"{rel} {rid} should be skipped: {got.get('record', {}).get('format')}")
                    continue
                if want["deleted"]:
                    have = dict(want) if not got["ok"] and got["error"]["code"] == "not_found" else {"deleted": False}
                elif not got["ok"]:
                    missing.append(f"{rel} {rid}")
                    have = {}
                else:
                    have = real_have(got["record"])
                    fmt = got["record"]["format"] if fmt in ("oai",) else fmt
                for k in REAL_KEYS:
                    tally(per, wrong, fmt, k, have.get(k, "<missing>"), want[k], f"{rel} {rid}")
        right = sum(c[0] for f in per.values() for c in f.values())
        total = sum(c[1] for f in per.values() for c in f.values())
        print(f"  {'format':<18} " + " ".join(f"{k[:9]:>9}" for k in REAL_KEYS))
        for fmt, ks in sorted(per.items()):
            print(f"  {fmt:<18} " + " ".join(f"{ks[k][0]:>4}/{ks[k][1]:<4}" for k in REAL_KEYS))
        print(f"  all: {right}/{total} expected values right ({100.0 * right / total:.1f} %), "
              f"{sum(len(v) for v in expected.values())} records, {len(missing)} missing")
        if os.environ.get("FD_FIDELITY_VERBOSE"):
            print("\n".join("  WRONG " + w for w in wrong))
        check(not missing, "records not found: " + "; ".join(missing[:10]))
        check(right >= 0.98 * total, f"{right}/{total} under 98 %: " + "; ".join(wrong[:20]))
    finally:
        d.stop()
        srv.stop()


_NT = re.compile(r'^(<[^>]*>|_:\S+) (<[^>]*>) (<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?) \.$')


def ntriples(text):
    """The statements of an N-Triples text as (s, p, o) strings; a line that
    is no statement fails the test."""
    out = []
    for line in text.splitlines():
        m = _NT.match(line)
        check(m, f"not an N-Triples statement: {line!r}")
        o = m.group(3)
        if o.startswith('"'):
            o = json.loads(re.sub(r'(@[A-Za-z0-9-]+|\^\^<[^>]*>)$', "", o))
        out.append((m.group(1), m.group(2), o))
    return out


def test_dcat_raw_is_the_datasets_statements(tmp):
    """A DCAT dataset keeps its original as its statements: `get` with
    "raw":true answers them as N-Triples (Turtle and data.json alike), the
    dataset's own triples and those of the nodes it points to, and nothing
    of the other datasets of the catalogue."""
    dcat_dir = os.path.join(ROOT, "tests", "fixtures", "dcat")
    d = Daemon(tmp, [{"name": "ttl", "type": "dcat", "url": "file://" + os.path.join(dcat_dir, "dcatap_full.ttl")},
                     {"name": "pod", "type": "dcat", "url": "file://" + os.path.join(FIX, "dcat_data.json")}])
    dct, dcat = "<http://purl.org/dc/terms/", "<http://www.w3.org/ns/dcat#"
    try:
        d.start()
        for name in ("ttl", "pod"):
            s = d.wait_harvested(name)
            check(s["state"] == "ok" and s["records"] >= 2, f"harvest of {name}: {s}")
        for rid in ("ttl:https://data.example.org/dataset/air-quality", "pod:https://data.example.gov/id/ozone-2024"):
            got = d.call({"op": "get", "id": rid, "raw": True})
            check(got["ok"] and got["raw"] and got["raw"]["format"] == "n-triples", f"{rid}: {got.get('raw')}")
            st = ntriples(got["raw"]["text"])
            iri = "<" + rid.split(":", 1)[1] + ">"
            title = got["record"]["titles"][0]["value"]
            check((iri, dct + "title>", title) in st, f"{rid}: no title statement {title!r} in {st[:5]}")
            dists = [o for s_, p, o in st if s_ == iri and p == dcat + "distribution>"]
            check(dists and all(any(s_ == o for s_, _, _ in st) for o in dists),
                  f"{rid}: the distributions' own statements are missing")
            others = {s_ for s_, p, o in st if o == dcat + "Dataset>"}
            check(others == {iri}, f"{rid}: statements of other datasets kept: {others}")
        got = d.call({"op": "get", "id": "pod:https://data.example.gov/id/ozone-2024", "raw": True})
        desc = [o for _, p, o in ntriples(got["raw"]["text"]) if p == dct + "description>"]
        check(desc == ['Hourly ozone readings of "station" network; a second line\nfollows.'], desc)
    finally:
        d.stop()


def test_dcat_raw_iris_parse_in_rdflib(tmp):
    """IRIs of a data.json with what N-Triples forbids in an IRIREF (a
    space, <>, ", {|}^`\\, a control character) are kept escaped as
    \\uXXXX: Debian's python3-rdflib reads the kept N-Triples and gets
    the data.json's IRIs back."""
    if subprocess.run(["/usr/bin/python3", "-c", "import rdflib"], capture_output=True).returncode != 0:
        raise Skip("Debian's python3-rdflib is not installed")
    path = os.path.join(ROOT, "tests", "fixtures", "dcat", "odd_iris.json")
    d = Daemon(tmp, [{"name": "odd", "type": "dcat", "url": "file://" + path}])
    try:
        d.start()
        s = d.wait_harvested("odd")
        check(s["state"] == "ok" and s["records"] == 1, f"harvest: {s}")
        got = d.call({"op": "get", "id": "odd:https://data.example.gov/id/odd iris", "raw": True})
        check(got["ok"] and got["raw"]["format"] == "n-triples", f"{got}")
    finally:
        d.stop()
    read = subprocess.run(["/usr/bin/python3", "-c", """
import json, sys, rdflib
g = rdflib.Graph()
g.parse(data=sys.stdin.read(), format="nt")
print(json.dumps(sorted([str(p), str(o)] for _, p, o in g if isinstance(o, rdflib.URIRef))))
"""], input=got["raw"]["text"], capture_output=True, text=True)
    check(read.returncode == 0, f"rdflib: {read.stderr[-1500:]}\n{got['raw']['text']}")
    iris = {o for p, o in json.loads(read.stdout) if not p.endswith("#type")}
    want = {"https://data.example.gov/files/a b>c\x01d.csv", "https://data.example.gov/page?q={a|b}^`\\x",
            'https://data.example.gov/api/"quoted" <x>'}
    check(iris == want, f"rdflib read {iris}")


# Own fixtures, one per quirk the real files show (tests/fixtures/formats/SOURCES.tsv
# names the file each follows), served as they are under a made-up prefix, and the
# fields real_have compares: format, then REAL_KEYS but deleted.
QUIRKS = {
    "cmdi_profiles.xml": [
        ("lrp:lex.1", "cmdi", "A machine-readable Persian-German dictionary", None, ["11022/0000-0000-00aa-1"],
         "CC-BY-NC-SA-3.0", 1, [], "2013", "Dataset", "pes"),
        ("oai:example.fi:sh0001", "cmdi", "Esimerkkikorpus", None, ["urn:nbn:fi:lb-20990101001"], None, 1, [], None,
         "Dataset", "fi"),
        ("lat:session.9", "cmdi", "001 Example recording", None, ["10050/00-0000-0000-0009-0000-9"], None, 1, [],
         "1981", None, "lnh"),
        ("oai:ids.example:ab_1", "cmdi", "Zusatzmaterialien einer Dissertation", None, ["10932/00-0000-0000-0001-0"],
         None, 1, [], None, "Collection", "de")],
    "iso_quirks.xml": [
        ("oai:geo.example:srv-1", "iso19139", "Flurstücke - Web Feature Service", None, [], "CC-BY-4.0", 1, [], "2019",
         "Service", "de"),
        ("oai:geo.example:mdb-2", "iso19115-3", "3D model of an example basin 2011", None, [], "CC-BY-4.0", 1, [], None,
         "Dataset", "en")],
    "library_quirks.xml": [
        ("oai:lib.example:marc-1", "marc21", "Correlates of reported boredom while performing a simulated radar task",
         None, [], None, 2, [], "1975", "Text", "en"),
        ("oai:lib.example:marc-2", "marc21", "The Great Example", None, [], None, 1, [], "1957", "Sound", "en"),
        ("oai:lib.example:mods-3", "mods", "Richtlijn over voorbeelden", None, [], None, 1, ["0009-0004-4114-3312"],
         "2025", "JournalArticle", "nl"),
        ("oai:fsd.example:FSD0001", "ddi", "Child Example Barometer 2018", None, ["urn:nbn:fi:fsd:t-fsd0001"], None, 1,
         [], "2020", "Dataset", None)],
    "dc_cerif_europeana_quirks.xml": [
        ("oai:dc.example:1", "qdc", "Vine water status from two satellites", "10.5072/rs12142299", [], None, 7, [],
         None, "Text", None),
        ("oai:cris.example:Publications/1", "oai_cerif_openaire", "The Example Journal of Curation", None, [], None, 0,
         [], None, "Journal", None),
        ("oai:cris:equipments/1", "oai_cerif_openaire", "Acoustic camera Scan&Paint", None, [], None, 0, [], None,
         "Instrument", None),
        ("oai:doaj.example:1", "oai_doaj", "Imaginaires exemplaires. Introduction", "10.5072/testing", [], None, 1, [],
         "2013", "JournalArticle", "fr"),
        ("oai:esbirky.example:1", "ese", "Nůž (část)", None, [], "CC-BY-4.0", 0, [], "300", "Image", None),
        ("oai:dlib.example:1", "edm", "Molitve za primer", None, ["urn:nbn:si:doc-example1"], "CC-PDM-1.0", 1, [],
         "1826", "Text", "sl"),
        ("oai:nsdl.example:1", "nsdl_dc", "Exploring tides with a spreadsheet", None, [], "CC-BY-3.0", 1, [], "2004",
         "Text", "en")],
    "record_no_metadata_wrapper.xml": [
        ("oai:cdm.example:coll/0", "oai_dc", "Example papers Film Reel 1", None, [], None, 0, [], "1952",
         "Audiovisual", "en")],
}


def test_own_quirk_fixtures_over_http(tmp):
    """Each own quirk fixture served as it is by the test server under a
    made-up prefix, harvested over HTTP; every record's fields as
    written in QUIRKS (the suite's stand-alone copy of the real files'
    quirks)."""
    args, sources = [], []
    for n, fix in enumerate(sorted(QUIRKS)):
        args += ["--replay", f"quirks{n}=urn:fixtures:quirks{n}=" + os.path.join(FIX, fix)]
        sources.append({"name": f"q{n}", "type": "oai-pmh", "url": None, "metadata_prefix": f"quirks{n}"})
    srv = OAIServer(tmp, "--generate", "1", *args)
    for s in sources:
        s["url"] = srv.url
    d = Daemon(tmp, sources)
    wrong = []
    try:
        d.start()
        for n, fix in enumerate(sorted(QUIRKS)):
            s = d.wait_harvested(f"q{n}")
            check(s["state"] == "ok" and s["records"] == len(QUIRKS[fix]), f"harvest of {fix}: {s}")
            for rid, fmt, *want in QUIRKS[fix]:
                got = d.call({"op": "get", "id": f"q{n}:{rid}"})
                check(got["ok"], f"{fix} {rid}: {got}")
                have = real_have(got["record"])
                have["format"] = got["record"]["format"]
                for k, v in zip(("format",) + REAL_KEYS[:-1], [fmt] + want):
                    if have[k] != v:
                        wrong.append(f"{fix} {rid} {k}: {have[k]!r}, want {v!r}")
        check(not wrong, "; ".join(wrong))
    finally:
        d.stop()
        srv.stop()
