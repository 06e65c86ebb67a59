#!/usr/bin/python3
"""rdf_count.py: the datasets of DCAT documents as an independent RDF
library (Debian's python3-rdflib) sees them, for tests/integration/
test_dcat_counts.py.  Run with Debian's /usr/bin/python3.

    rdf_count.py FILE...     -> one JSON object {file: count}

A dataset is what docs/dcat.md calls one: a node typed dcat:Dataset,
dcat:DatasetSeries or schema:Dataset; a dcat:DataService that is no
distribution's dcat:accessService or that names a dcat:servesDataset; an
untyped object of dcat:dataset / schema:dataset described in the document.
https:// spellings of the schema.org and DCAT namespaces count as theirs.
rdflib fetches no context: a JSON-LD document naming a remote one gets the
copy fairdex bundles (harvesters/contexts/) or, for schema.org, its @vocab.
A DCAT-US data.json (not RDF) counts the objects of its "dataset" array."""
import json
import os
import sys

import rdflib
from rdflib.term import Literal

HERE = os.path.dirname(os.path.abspath(__file__))
CONTEXTS = os.path.join(HERE, "..", "..", "harvesters", "contexts")
DCAT = "http://www.w3.org/ns/dcat#"
SDO = "http://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BUNDLED = {
    "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld":
        "dcat-ap-3.0.0-examples.jsonld",
}


def norm(u):
    s = str(u)
    for a, b in (("https://schema.org/", SDO), ("http://www.schema.org/", SDO),
                 ("https://www.w3.org/ns/dcat#", DCAT)):
        if s.startswith(a):
            return b + s[len(a):]
    return s


def local_context(ctx):
    if isinstance(ctx, list):
        return [local_context(c) for c in ctx]
    if isinstance(ctx, str):
        if ctx in BUNDLED:
            with open(os.path.join(CONTEXTS, BUNDLED[ctx])) as f:
                return json.load(f)["@context"]
        if "schema.org" in ctx:
            return {"@vocab": SDO}
    return ctx


def with_local_contexts(doc):
    if isinstance(doc, list):
        return [with_local_contexts(x) for x in doc]
    if isinstance(doc, dict):
        return {k: (local_context(v) if k == "@context" else with_local_contexts(v)) for k, v in doc.items()}
    return doc


def graph_of(path):
    g = rdflib.ConjunctiveGraph()
    ext = os.path.splitext(path)[1]
    if ext in (".json", ".jsonld"):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if ext == ".json" and isinstance(doc, dict) and isinstance(doc.get("dataset"), list):
            return len([d for d in doc["dataset"] if isinstance(d, dict)])
        g.parse(data=json.dumps(with_local_contexts(doc)), format="json-ld", publicID="file://" + path)
        return g
    fmt = {".rdf": "xml", ".xml": "xml", ".nt": "nt"}.get(ext, "turtle")
    try:
        g.parse(path, format=fmt, publicID="file://" + path)
    except Exception:
        g = rdflib.ConjunctiveGraph()
        g.parse(path, format="trig", publicID="file://" + path)  # a TriG block inside a .ttl
    return g


def count(g):
    if isinstance(g, int):
        return g
    typed, services, serves, access, listed, subjects = set(), set(), set(), set(), set(), set()
    for s, p, o in g.triples((None, None, None)):
        p = norm(p)
        subjects.add(s)
        if p == RDF_TYPE:
            t = norm(o)
            if t in (DCAT + "Dataset", DCAT + "DatasetSeries", SDO + "Dataset"):
                typed.add(s)
            elif t == DCAT + "DataService":
                services.add(s)
        elif p == DCAT + "servesDataset":
            serves.add(s)
        elif p == DCAT + "accessService":
            access.add(o)
        elif p in (DCAT + "dataset", SDO + "dataset") and not isinstance(o, Literal):
            listed.add(o)
    return len(typed | {s for s in services if s not in access or s in serves} | (listed & subjects))


def main():
    print(json.dumps({os.path.basename(p): count(graph_of(p)) for p in sys.argv[1:]}))


if __name__ == "__main__":
    main()
