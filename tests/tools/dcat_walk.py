#!/usr/bin/python3
"""Walks fairdex's /dcat with rdflib (Debian's python3-rdflib): parses
every page in one syntax, follows hydra:next, and prints a JSON summary
(datasets, distinct ids, pages, measurements, derived, totalItems).

  dcat_walk.py BASE_URL FORMAT      FORMAT: ttl | rdfxml | jsonld
The syntax is asked for by content negotiation (Accept) on the first
page and by ?format= on the next ones (hydra:next carries it)."""
import json
import sys
import urllib.request

import rdflib

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SYNTAX = {"ttl": ("text/turtle", "turtle"), "rdfxml": ("application/rdf+xml", "xml"),
          "jsonld": ("application/ld+json", "json-ld")}

base, fmt = sys.argv[1], sys.argv[2]
accept, parser = SYNTAX[fmt]
url, pages, ids, datasets, measurements, derived, total = base + "/dcat", 0, set(), 0, 0, 0, None
while url:
    req = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=60) as r:
        ctype = r.headers["Content-Type"]
        assert ctype.startswith(accept), f"{url}: Content-Type {ctype}, asked for {accept}"
        data = r.read()
    g = rdflib.Graph()
    g.parse(data=data, format=parser, publicID=url)
    pages += 1
    for s in set(g.subjects(rdflib.RDF.type, DCAT.Dataset)) | set(g.subjects(rdflib.RDF.type, DCAT.DataService)):
        datasets += 1
        ids.add(str(g.value(s, DCT.identifier)))
        measurements += len(list(g.objects(s, DQV.hasQualityMeasurement)))
        derived += g.value(s, PROV.wasDerivedFrom) is not None
    for o in g.objects(None, HYDRA.totalItems):
        total = int(o)
    nxt = [str(o) for o in g.objects(None, HYDRA.next)]
    url = nxt[0] if nxt else None
print(json.dumps({"datasets": datasets, "ids": len(ids), "pages": pages, "measurements": measurements,
                  "derived": derived, "total": total}))
