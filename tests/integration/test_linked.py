"""Search by who, where, when and how things are linked (issue 16), on a
DataCite corpus written for it (tests/fixtures/linked/, two sources): every
query returns exactly the expected records, and `related` shows each link
from both ends."""
import os

from harness import ROOT, Daemon, check, run_cli

FIX = os.path.join(ROOT, "tests", "fixtures", "linked")
A = "alpha:oai:alpha.example.org:"
B = "beta:oai:beta.example.org:"


def linked_daemon(tmp):
    d = Daemon(tmp, [{"name": n, "type": "oai-pmh", "url": "file://" + os.path.join(FIX, n + ".xml")}
                     for n in ("alpha", "beta")])
    d.start()
    for n in ("alpha", "beta"):
        st = d.wait_harvested(n)
        check(st["state"] == "ok", f"harvest of {n} failed: {st}")
    return d


def one_source_daemon(tmp, name, kind, fixture, **extra):
    """A daemon harvesting one source, the file fixture of FIX, done."""
    d = Daemon(tmp, [dict({"name": name, "type": kind, "url": "file://" + os.path.join(FIX, fixture)}, **extra)])
    d.start()
    st = d.wait_harvested(name)
    check(st["state"] == "ok", f"harvest of {name} failed: {st}")
    return d


def ids(c, req):
    """The ids of the hits of a search, sorted.  The data set held by both
    sources is one hit standing for either record (whichever was written
    first): it is named by its alpha record."""
    got = c.call(dict({"op": "search", "limit": 100}, **req))
    check(got["ok"], f"{req}: {got}")
    out = set()
    for h in got["hits"]:
        out.add(A + "adriatic-data" if h.get("doi") == "10.5072/adriatic.data" else h["id"])
    check(len(out) == len(got["hits"]), f"{req}: a record twice in {got['hits']}")
    return got, sorted(out)


def expect(c, req, want, where=""):
    got, found = ids(c, req)
    want = sorted(want)
    check(found == want, f"{where}{req}: got {found}, expected {want}")
    return got


def test_people_organisations_funding(tmp):
    d = linked_daemon(tmp)
    try:
        c = d.client()
        smith1, smith2 = [A + "tool-v1", A + "tool-v2", A + "tool-v3"], [A + "fiji-reef"]
        # the same name, different ORCIDs; every spelling of one iD
        for q in ("orcid:0000-0002-1694-233X", "orcid:https://orcid.org/0000-0002-1694-233x",
                  'orcid:"http://orcid.org/0000-0002-1694-233X"', "orcid:000000021694233X"):
            expect(c, {"q": q}, smith1)
        expect(c, {"q": "orcid:0000-0001-5109-3700"}, smith2)
        expect(c, {"q": 'creator:"Smith, Jane"'}, smith1 + smith2)
        # an ORCID with a wrong check digit, or a name, is no identifier
        expect(c, {"q": "orcid:0000-0002-1694-2330"}, [])
        expect(c, {"q": "orcid:Smith"}, [])
        # affiliations and publishers by ROR, any spelling
        ucl = [A + "adriatic-data", B + "adriatic-article", A + "fiji-reef", A + "alps-point"]
        for q in ("ror:02jx3x895", "ror:https://ror.org/02jx3x895", "ror:ror.org/02JX3X895"):
            got = expect(c, {"q": q}, ucl)
            check(got["total"] == 4, f"{q}: total {got['total']}")
        expect(c, {"q": "ror:01ggx4157"}, [A + "tool-v1", A + "tool-v2", A + "tool-v3"])
        expect(c, {"q": "ror:University"}, [])
        # funders by Crossref Funder ID (bare, DOI, URL), ROR-less; by name; awards
        ec = [A + "adriatic-data", B + "adriatic-article"]
        for q in ("funder:501100000780", "funder:10.13039/501100000780",
                  "funder:https://doi.org/10.13039/501100000780", 'funder:"European Commission"'):
            expect(c, {"q": q}, ec)
        expect(c, {"q": "funder:100000001"}, [A + "tool-v1"])
        expect(c, {"q": "award:101057344"}, ec)
        expect(c, {"q": "award:oce-1234567"}, [A + "tool-v1"])
        expect(c, {"q": "award:101057344 type:JournalArticle"}, [B + "adriatic-article"])
        # facets: value the identifier, label the most common name
        got = c.call({"op": "search", "q": "", "facets": ["affiliation", "funder"], "limit": 0})
        check(got["ok"], got)
        aff = {f["value"]: f for f in got["facets"]["affiliation"]}
        check(aff["02jx3x895"]["count"] == 5 and aff["02jx3x895"]["label"] == "University College London",
              f"affiliation facet: {got['facets']['affiliation']}")
        check(aff["01ggx4157"] == {"value": "01ggx4157", "count": 3, "label": "CERN"}, f"{aff}")
        check(set(aff) == {"02jx3x895", "01ggx4157"}, f"{aff}")
        fun = {f["value"]: f for f in got["facets"]["funder"]}
        check(fun == {"10.13039/501100000780": {"value": "10.13039/501100000780", "count": 2,
                                                "label": "European Commission"},
                      "10.13039/100000001": {"value": "10.13039/100000001", "count": 1,
                                             "label": "National Science Foundation"}}, f"funder facet: {fun}")
        c.close()
    finally:
        d.stop()


def links(c, rid):
    got = c.call({"op": "related", "id": rid})
    check(got["ok"], f"related {rid}: {got}")
    check(got["id"] == rid, f"related {rid}: id {got['id']}")
    return {(l["relation"], l["direction"], l["identifier"]): sorted(r["id"] for r in l["records"])
            for l in got["links"]}


def test_relations_both_ways(tmp):
    d = linked_daemon(tmp)
    try:
        c = d.client()
        data = [A + "adriatic-data", B + "adriatic-data-copy"]
        # the data set states it; the article shows it from its side
        check(links(c, A + "adriatic-data") == {
            ("IsSupplementTo", "out", "10.5072/adriatic.article"): [B + "adriatic-article"]},
            f"{links(c, A + 'adriatic-data')}")
        check(links(c, B + "adriatic-article") == {
            ("IsSupplementedBy", "in", "10.5072/adriatic.data"): data}, f"{links(c, B + 'adriatic-article')}")
        # the copy in beta states nothing, but its DOI group's links reach it
        check(links(c, B + "adriatic-data-copy") == {}, f"{links(c, B + 'adriatic-data-copy')}")
        # versions: out to the concept DOI (no record holds it) and the previous version; in from the next
        check(links(c, A + "tool-v2") == {
            ("IsVersionOf", "out", "10.5072/zenodo.100"): [],
            ("IsNewVersionOf", "out", "10.5072/zenodo.101"): [A + "tool-v1"],
            ("IsPreviousVersionOf", "in", "10.5072/zenodo.103"): [A + "tool-v3"]}, f"{links(c, A + 'tool-v2')}")
        check(links(c, A + "tool-v1") == {
            ("IsVersionOf", "out", "10.5072/zenodo.100"): [],
            ("IsPreviousVersionOf", "in", "10.5072/zenodo.102"): [A + "tool-v2"]}, f"{links(c, A + 'tool-v1')}")
        check(links(c, A + "alps-point") == {}, "alps-point has no links")
        got = c.call({"op": "related", "id": "alpha:nothing"})
        check(not got["ok"] and got["error"]["code"] == "not_found", f"{got}")
        got = c.call({"op": "related"})
        check(not got["ok"] and got["error"]["code"] == "invalid", f"{got}")
        # related:PID, either direction
        expect(c, {"q": "related:10.5072/adriatic.article"}, [A + "adriatic-data"])
        expect(c, {"q": "related:https://doi.org/10.5072/ADRIATIC.DATA"}, [B + "adriatic-article"])
        expect(c, {"q": "related:10.5072/zenodo.100"}, [A + "tool-v1", A + "tool-v2", A + "tool-v3"])
        expect(c, {"q": "related:10.5072/zenodo.102"}, [A + "tool-v1", A + "tool-v3"])
        expect(c, {"q": "related:10.5072/nowhere"}, [])
        c.close()
    finally:
        d.stop()


def test_versions_as_one_work(tmp):
    d = linked_daemon(tmp)
    try:
        c = d.client()
        tools = [A + "tool-v1", A + "tool-v2", A + "tool-v3"]
        # by default every version is a hit of its own
        got = expect(c, {"q": "tidekit"}, tools)
        check(got["total"] == 3, f"total {got['total']}")
        # one work: the newest version, the others listed newest first
        got = expect(c, {"q": "tidekit", "collapse": "version"}, [A + "tool-v3"])
        check(got["total"] == 1 and got["hits"][0]["versions"] == [A + "tool-v2", A + "tool-v1"], f"{got}")
        # the newest version the query matches stands for the work
        got = expect(c, {"q": "tidekit year:2021..2022", "collapse": "version"}, [A + "tool-v2"])
        check(got["hits"][0]["versions"] == [A + "tool-v3", A + "tool-v1"], f"{got}")
        # works and objects together: the data set in two sources stays one hit
        got = c.call({"op": "search", "q": "", "collapse": "version", "limit": 100})
        check(got["total"] == 7 and len(got["hits"]) == 7, f"total {got['total']}, {len(got['hits'])} hits")
        data = [h for h in got["hits"] if h.get("doi") == "10.5072/adriatic.data"]
        check(len(data) == 1 and data[0]["sources"] == ["alpha", "beta"] and data[0]["versions"] == [], f"{data}")
        got = c.call({"op": "search", "q": "", "collapse": "doi", "limit": 100})
        check(got["total"] == 9, f"collapse doi: total {got['total']}")
        got = c.call({"op": "search", "q": "", "collapse": "title"})
        check(not got["ok"] and got["error"]["code"] == "invalid", f"{got}")
        c.close()
    finally:
        d.stop()


PACIFIC = {"fiji": A + "fiji-reef", "west": A + "tonga-west", "east": A + "samoa-east"}


def test_place(tmp):
    d = linked_daemon(tmp)
    try:
        c = d.client()
        data = A + "adriatic-data"
        # the Adriatic box, the Sonnblick point
        expect(c, {"filters": {"bbox": [13, 42, 15, 44]}}, [data])
        expect(c, {"filters": {"bbox": [12.9, 47, 13, 47.1]}}, [A + "alps-point"])
        expect(c, {"filters": {"bbox": [-10, 35, 30, 50]}}, [data, A + "alps-point"])
        expect(c, {"filters": {"bbox": [0, 0, 1, 1]}}, [])
        # a box just west of the antimeridian meets the record crossing it and the west one
        expect(c, {"filters": {"bbox": [178, -19, 179, -16]}}, [PACIFIC["fiji"], PACIFIC["west"]])
        # just east: the crossing one and the east one
        expect(c, {"filters": {"bbox": [-179, -19, -178.5, -16]}}, [PACIFIC["fiji"], PACIFIC["east"]])
        # a query box that crosses meets all three, and nothing in Europe
        expect(c, {"filters": {"bbox": [175, -30, -175, 0]}}, list(PACIFIC.values()))
        # crossing, but south of them all
        expect(c, {"filters": {"bbox": [175, -60, -175, -40]}}, [])
        # a narrow box between the east record's west edge and the crossing record's east edge
        expect(c, {"filters": {"bbox": [-177.5, -12, -177, -11]}}, [PACIFIC["east"]])
        # with a query and another filter
        expect(c, {"q": "antimeridian", "filters": {"bbox": [175, -30, -175, 0], "year": {"from": 2019}}},
               [PACIFIC["fiji"]])
        # near: nearest first, records without a place last
        got = c.call({"op": "search", "q": "sea", "sort": "near", "near": [45.4, 12.3], "limit": 10})
        check(got["ok"], f"{got}")
        order = [h["doi"] for h in got["hits"]]
        check(order == ["10.5072/adriatic.data", "10.5072/pacific.west", "10.5072/pacific.east",
                        "10.5072/adriatic.article"], f"near: {order}")
        check("next_cursor" not in got, f"near pages by offset: {got}")
        for bad in ({"bbox": [1, 2, 3]}, {"bbox": [0, 10, 1, 5]}, {"bbox": [-181, 0, 0, 1]}, {"bbox": "x"}):
            got = c.call({"op": "search", "filters": bad})
            check(not got["ok"] and got["error"]["code"] == "invalid", f"{bad}: {got}")
        got = c.call({"op": "search", "sort": "near"})
        check(not got["ok"] and got["error"]["code"] == "invalid", f"{got}")
        c.close()
    finally:
        d.stop()


def test_time(tmp):
    d = linked_daemon(tmp)
    try:
        c = d.client()
        data, fiji, west, east = A + "adriatic-data", PACIFIC["fiji"], PACIFIC["west"], PACIFIC["east"]
        # coverage: data 1990-01-01..2000-12-31, fiji 2015-03.., west ..1985, east 2001..2003
        expect(c, {"filters": {"during": {"from": "1990", "to": "2000-06"}}}, [data])
        expect(c, {"filters": {"during": {"from": "2000-12-31", "to": "2001-01"}}}, [data, east])
        expect(c, {"filters": {"during": {"from": "2001-01-01"}}}, [fiji, east])
        expect(c, {"filters": {"during": {"to": "1989"}}}, [west])
        expect(c, {"filters": {"during": {"from": "1985-12", "to": "1986"}}}, [west])
        expect(c, {"filters": {"during": {"from": "1986", "to": "1989"}}}, [])
        expect(c, {"filters": {"during": {"from": "2050"}}}, [fiji])
        expect(c, {"filters": {"during": {}}}, [data, fiji, west, east])
        # year: stays the publication year
        expect(c, {"q": "year:2018"}, [west, east])
        expect(c, {"q": "year:2018", "filters": {"during": {"from": "2002"}}}, [east])
        for bad in ({"from": "soon"}, {"from": 1990}, {"from": "2000", "to": "1990"}, {"since": "1990"}):
            got = c.call({"op": "search", "filters": {"during": bad}})
            check(not got["ok"] and got["error"]["code"] == "invalid", f"{bad}: {got}")
        c.close()
    finally:
        d.stop()


def test_client(tmp):
    d = linked_daemon(tmp)
    try:
        out = run_cli("related", A + "tool-v2", socket_path=d.socket)
        check(out.returncode == 0, f"related: {out.stderr}")
        check("-> IsNewVersionOf 10.5072/zenodo.101\n     " + A + "tool-v1  Tidekit" in out.stdout and
              "-> IsVersionOf 10.5072/zenodo.100  (not in the index)" in out.stdout and
              "<- IsPreviousVersionOf 10.5072/zenodo.103\n     " + A + "tool-v3" in out.stdout, out.stdout)
        out = run_cli("search", "--bbox", "175,-30,-175,0", "--during", "2001..2016", "--sort", "date", "--asc",
                      socket_path=d.socket)
        check(out.returncode == 0, f"search: {out.stderr}")
        check("2 records match" in out.stdout and out.stdout.index("samoa-east") < out.stdout.index("fiji-reef")
              and "tonga-west" not in out.stdout, out.stdout)
        check('affiliation 02jx3x895 "UCL" (1)' in out.stdout, out.stdout)
        out = run_cli("search", "--collapse", "version", "--during", "..1985", "tidekit OR temperature",
                      socket_path=d.socket)
        check("1 record match" in out.stdout and "tonga-west" in out.stdout, out.stdout)
        out = run_cli("search", "--collapse", "version", "tidekit", socket_path=d.socket)
        check("1 record match" in out.stdout and "tool-v3" in out.stdout and
              f"2 other versions: {A}tool-v2, {A}tool-v1" in out.stdout and
              'affiliation 01ggx4157 "CERN" (3)' in out.stdout and
              'funder   10.13039/100000001 "National Science Foundation" (1)' in out.stdout, out.stdout)
        out = run_cli("search", "--near", "-21.1,-175.2", "--limit", "1", "sea surface", socket_path=d.socket)
        check("samoa-east" in out.stdout, out.stdout)
        out = run_cli("search", "--bbox", "1,2,3", "x", socket_path=d.socket)
        check(out.returncode == 2, f"{out.returncode} {out.stderr}")
    finally:
        d.stop()


def test_services_and_dcat(tmp):
    d = one_source_daemon(tmp, "cat", "dcat", "services.ttl")
    try:
        c = d.client()
        ds, svc = "cat:https://data.example.org/dataset/lagoon", "cat:https://data.example.org/service/lagoon-wms"
        check(links(c, svc) == {("ServesDataset", "out", "https://data.example.org/dataset/lagoon"): [ds]},
              f"{links(c, svc)}")
        check(links(c, ds) == {
            ("HasAccessService", "out", "https://data.example.org/service/lagoon-api"): [],
            ("HasAccessService", "in", svc): [svc]}, f"{links(c, ds)}")
        expect(c, {"q": "related:https://data.example.org/dataset/lagoon"}, [svc])
        # places from dcat:bbox (WKT with its CRS) and locn:geometry (GeoJSON)
        expect(c, {"filters": {"bbox": [12.5, 45.5, 13, 46]}}, [ds])
        expect(c, {"filters": {"bbox": [12.3, 45.4, 12.35, 45.45]}}, [ds, svc])
        # schema.org: a GeoShape's box ("south west north east"), GeoCoordinates
        expect(c, {"filters": {"bbox": [176, -21, 178, -14]}}, ["cat:https://data.example.org/dataset/reef"])
        expect(c, {"filters": {"bbox": [12.4, 45.2, 12.6, 45.35]}}, [ds, "cat:https://data.example.org/dataset/buoy"])
        # dct:temporal with an open end
        expect(c, {"filters": {"during": {"from": "2030"}}}, [ds])
        expect(c, {"filters": {"during": {"to": "1994"}}}, [])
        c.close()
    finally:
        d.stop()


def test_disciplines(tmp):
    d = linked_daemon(tmp)
    try:
        c = d.client()
        data, article = A + "adriatic-data", B + "adriatic-article"
        # FOS subject, ANZSRC 2008 group (0405) and 6-digit field (050202), a free keyword that is a FOS
        # label, DDC 551.46 (through ANZSRC 2008 division 04), ANZSRC 2020 group 3708 (fairdex's table)
        # and the EU data theme "Environment" (ENVI, fairdex's table)
        fiji, alps = A + "fiji-reef", A + "alps-point"
        earth = [data, article, fiji, PACIFIC["east"], alps]
        expect(c, {"q": "discipline:1.5"}, earth)
        expect(c, {"q": 'discipline:"Earth and related environmental sciences"'}, earth)
        expect(c, {"q": "discipline:1.6"}, [PACIFIC["west"]])
        expect(c, {"q": "discipline:1.2"}, [A + "tool-v1"])
        expect(c, {"q": "discipline:1"}, earth + [PACIFIC["west"], A + "tool-v1"])
        expect(c, {"q": "discipline:oceanography"}, [])
        got = c.call({"op": "search", "q": "", "facets": ["discipline"], "limit": 0})
        check(got["facets"]["discipline"] == [
            {"value": "1.5", "count": 5, "label": "Earth and related environmental sciences"},
            {"value": "1.2", "count": 1, "label": "Computer and information sciences"},
            {"value": "1.6", "count": 1, "label": "Biological sciences"}], f"{got['facets']}")
        c.close()
    finally:
        d.stop()


def test_disciplines_schemes(tmp):
    """Subjects as DataCite records carry them (gamma.xml): ANZSRC 2020 by its valueURI, a 2020
    division, ANZSRC 2008 by its URI alone, an LCSH heading with a subdivision, an EU data theme by
    its IRI; an LCSH topic, ANZSRC 2020 3301 Architecture, LCSH Architecture and the theme TECH map
    to nothing.  And DCAT's dcat:theme (services.ttl): ENVI, AGRI by its label in the graph; TECH
    to nothing."""
    d = one_source_daemon(tmp, "gamma", "oai-pmh", "gamma.xml")
    try:
        c = d.client()
        g = "gamma:oai:gamma.example.org:"
        expect(c, {"q": "discipline:1.4"}, [g + "spectra", g + "reagents"])
        expect(c, {"q": "discipline:1.1"}, [g + "proofs"])
        expect(c, {"q": "discipline:1.5"}, [g + "currents"])
        expect(c, {"q": "discipline:1"}, [g + "spectra", g + "reagents", g + "proofs", g + "currents"])
        expect(c, {"q": 'discipline:"medical and health sciences"'}, [g + "clinics"])
        expect(c, {"q": "discipline:3.3"}, [])
        expect(c, {"q": "houses discipline:2"}, [])
        expect(c, {"q": "houses"}, [g + "houses"])
        got = c.call({"op": "search", "q": "", "facets": ["discipline"], "limit": 0})["facets"]["discipline"]
        check([(f["value"], f["count"]) for f in got] == [("1.4", 2), ("1.1", 1), ("1.5", 1), ("3", 1)], f"{got}")
        c.close()
    finally:
        d.stop()
    os.mkdir(os.path.join(tmp, "dcat"))
    d = one_source_daemon(os.path.join(tmp, "dcat"), "cat", "dcat", "services.ttl")
    try:
        c = d.client()
        expect(c, {"q": "discipline:1.5"}, ["cat:https://data.example.org/dataset/lagoon"])
        expect(c, {"q": "discipline:4"}, ["cat:https://data.example.org/dataset/reef"])
        got = c.call({"op": "search", "q": "", "facets": ["discipline"], "limit": 0})["facets"]["discipline"]
        check([(f["value"], f["count"], f["label"]) for f in got] ==
              [("1.5", 1, "Earth and related environmental sciences"), ("4", 1, "Agricultural sciences")], f"{got}")
        c.close()
    finally:
        d.stop()


def test_disciplines_re3data(tmp):
    """re3data's DFG subjects map by DataCite's DFG table: 31302 to 1.5, 20606 to three fields; the broad
    group "3 Natural Sciences" to none."""
    d = one_source_daemon(tmp, "registry", "oai-pmh", "registry.xml", metadata_prefix="re3data")
    try:
        c = d.client()
        tides, brains = "registry:oai:registry.example.org:r3d100000001", "registry:oai:registry.example.org:r3d100000002"
        expect(c, {"q": "discipline:1.5"}, [tides])
        expect(c, {"q": "discipline:3.1"}, [brains])
        expect(c, {"q": "discipline:1"}, [tides, brains])
        expect(c, {"q": "discipline:3.2 type:Service"}, [brains])
        expect(c, {"q": "discipline:5"}, [])
        got = c.call({"op": "search", "q": "", "facets": ["discipline"], "limit": 0})["facets"]["discipline"]
        want = [("1.5", "Earth and related environmental sciences"), ("1.6", "Biological sciences"),
                ("3.1", "Basic medicine"), ("3.2", "Clinical medicine")]
        check([(f["value"], f["label"]) for f in got] == want and all(f["count"] == 1 for f in got), f"{got}")
        c.close()
    finally:
        d.stop()


R3D = os.path.join(ROOT, "..", "shared", "fixtures", "formats", "re3data")


def re3data_registry(tmp, apis):
    """A static OAI-PMH repository in tmp of re3data descriptions: the real records of
    ../shared/fixtures/formats/re3data (file -> the URL its OAI-PMH API is made to name, or
    None to keep it as published)."""
    records = []
    for i, (name, api) in enumerate(apis.items()):
        with open(os.path.join(R3D, name), encoding="utf-8") as f:
            xml = f.read()
        xml = xml[xml.index("<r3d:re3data "):]
        if api:
            for published in ("http://www.globalresearchdatarepository.org/oai",
                              "http://globalresearchdatarepository.org/oai"):
                xml = xml.replace(published, api)
        records.append(f"<oai:record><oai:header><oai:identifier>oai:registry.example.org:{i}</oai:identifier>"
                       f"<oai:datestamp>2024-05-01</oai:datestamp></oai:header><oai:metadata>{xml}</oai:metadata>"
                       "</oai:record>")
    path = os.path.join(tmp, "re3data.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<Repository xmlns="http://www.openarchives.org/OAI/2.0/static-repository" xmlns:oai="http://www.openarchives.org/OAI/2.0/">
  <Identify><oai:repositoryName>registry</oai:repositoryName>
    <oai:baseURL>http://gateway.example.org/oai/registry.example.org/re3data.xml</oai:baseURL>
    <oai:protocolVersion>2.0</oai:protocolVersion><oai:adminEmail>test@example.org</oai:adminEmail>
    <oai:earliestDatestamp>2000-01-01</oai:earliestDatestamp><oai:deletedRecord>no</oai:deletedRecord>
    <oai:granularity>YYYY-MM-DD</oai:granularity></Identify>
  <ListMetadataFormats><oai:metadataFormat><oai:metadataPrefix>r3d</oai:metadataPrefix>
    <oai:schema>http://schema.re3data.org/2-2/re3dataV2-2.xsd</oai:schema>
    <oai:metadataNamespace>http://www.re3data.org/schema/2-2</oai:metadataNamespace></oai:metadataFormat>
  </ListMetadataFormats>
  <ListRecords metadataPrefix="r3d">{"".join(records)}</ListRecords>
</Repository>
""")
    return path


def test_re3data_repositories(tmp):
    """A re3data description whose OAI-PMH API is a configured source's base URL (any spelling: a
    trailing slash) links to that source's records (ServesDataset) and they to it (HasAccessService),
    whichever was harvested first; a description of no configured source links to nothing."""
    alpha, beta = ("file://" + os.path.join(FIX, n + ".xml") for n in ("alpha", "beta"))
    registry = re3data_registry(tmp, {
        "re3data_schema22_official_example_inline_comments.xml": alpha,
        "re3data_schema30_draft_example_ns_trailing_slash.xml": beta + "/",
        "re3data_api_r3d100011778_soho_2016_unpadded_startdate.xml": None})
    d = Daemon(tmp, [{"name": "registry", "type": "oai-pmh", "url": "file://" + registry, "metadata_prefix": "r3d"},
                     {"name": "alpha", "type": "oai-pmh", "url": alpha},
                     {"name": "beta", "type": "oai-pmh", "url": beta}])
    d.start()
    try:
        for n in ("registry", "alpha", "beta"):
            check(d.wait_harvested(n)["state"] == "ok", f"harvest of {n} failed")
        c = d.client()
        g22, g30, soho = ("registry:oai:registry.example.org:" + str(i) for i in range(3))
        alpha_ids = [A + n for n in ("adriatic-data", "tool-v1", "tool-v2", "tool-v3", "fiji-reef", "tonga-west",
                                     "samoa-east", "alps-point")]
        got = links(c, g22)
        check(got == {("ServesDataset", "out", alpha): sorted(alpha_ids)}, f"{got}")
        got = links(c, g30)
        check(got == {("ServesDataset", "out", beta): sorted([B + "adriatic-article", B + "adriatic-data-copy"])},
              f"{got}")
        check(links(c, soho) == {}, f"{links(c, soho)}")
        # the records' side: their own links first, then the repository's description
        got = links(c, A + "alps-point")
        check(got == {("HasAccessService", "in", "10.2315/r3d100000001"): [g22]}, f"{got}")
        got = links(c, A + "adriatic-data")
        check(got == {("IsSupplementTo", "out", "10.5072/adriatic.article"): [B + "adriatic-article"],
                      ("HasAccessService", "in", "10.2315/r3d100000001"): [g22]}, f"{got}")
        got = links(c, B + "adriatic-article")
        check(got[("HasAccessService", "in", "10.17616/r34s33")] == [g30], f"{got}")
        # the endpoints are identifiers of the description: found by identifier:
        expect(c, {"q": f'identifier:"{alpha}"'}, [g22])
        # each source's status names its description
        st = {s["name"]: s["re3data"] for s in c.call({"op": "status"})["sources"]}
        check(st == {"registry": None,
                     "alpha": {"id": g22, "identifier": "10.2315/r3d100000001",
                               "title": "Global Research Data Repository"},
                     "beta": {"id": g30, "identifier": "10.17616/r34s33",
                              "title": "Global Research Data Repository"}}, f"{st}")
        c.close()
    finally:
        d.stop()
