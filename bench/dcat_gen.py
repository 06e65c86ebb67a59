#!/usr/bin/env python3
"""dcat_gen.py: a DCAT-AP catalogue of N datasets, written twice with the
same graph: Turtle (distributions as nested blank nodes, as catalogues
write them) and RDF/XML (the same, nested rdf:Description elements).

    bench/dcat_gen.py N OUT_DIR      -> OUT_DIR/catalogue.ttl, catalogue.rdf

Each dataset: two titles (en, de), a description, a publisher IRI described
once at the end, two keywords, a theme, issued/modified, a licence, a
contact point (blank node) and two distributions (download URL, media type,
format).  Deterministic: the same N gives the same bytes."""
import os
import sys
from xml.sax.saxutils import escape

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
EX = "https://bench.example.org/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FT = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"
THEMES = ["ENVI", "AGRI", "ECON", "EDUC", "HEAL", "TRAN", "SOCI", "TECH"]


def ds_fields(i):
    return {
        "title_en": f"Observations {i} of the monitoring network",
        "title_de": f"Beobachtungen {i} des Messnetzes",
        "desc": f"Hourly measurements number {i}, quality controlled, with station metadata and units.",
        "kw": [f"station-{i % 997}", "monitoring"],
        "theme": THEME + THEMES[i % len(THEMES)],
        "issued": f"20{10 + i % 14:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "pub": f"{EX}agency/{i % 250}",
        "contact": f"Data desk {i % 50}",
        "mail": f"mailto:desk{i % 50}@bench.example.org",
    }


def turtle(n, f):
    f.write("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
            "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n"
            f"@prefix ex: <{EX}> .\n\n"
            "ex:catalogue a dcat:Catalog ; dct:title \"Bench catalogue\"@en .\n\n")
    for i in range(n):
        d = ds_fields(i)
        f.write(f"ex:catalogue dcat:dataset <{EX}ds/{i}> .\n"
                f"<{EX}ds/{i}> a dcat:Dataset ;\n"
                f"  dct:title \"{d['title_en']}\"@en, \"{d['title_de']}\"@de ;\n"
                f"  dct:description \"{d['desc']}\"@en ;\n"
                f"  dcat:keyword \"{d['kw'][0]}\", \"{d['kw'][1]}\" ;\n"
                f"  dcat:theme <{d['theme']}> ;\n"
                f"  dct:issued \"{d['issued']}\" ;\n"
                f"  dct:publisher <{d['pub']}> ;\n"
                f"  dct:license <https://creativecommons.org/licenses/by/4.0/> ;\n"
                f"  dcat:contactPoint [ a vcard:Kind ; vcard:fn \"{d['contact']}\" ; vcard:hasEmail <{d['mail']}> ] ;\n"
                f"  dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <{EX}files/{i}.csv> ;\n"
                f"      dcat:mediaType <{IANA}text/csv> ; dct:format <{FT}CSV> ] ,\n"
                f"    [ a dcat:Distribution ; dcat:accessURL <{EX}api/{i}> ; dct:format <{FT}JSON> ] .\n\n")
    for a in range(250):
        f.write(f"<{EX}agency/{a}> a foaf:Agent ; foaf:name \"Agency {a}\" .\n")


def rdfxml(n, f):
    f.write('<?xml version="1.0" encoding="utf-8"?>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#"\n'
            '    xmlns:dct="http://purl.org/dc/terms/" xmlns:foaf="http://xmlns.com/foaf/0.1/"\n'
            '    xmlns:vcard="http://www.w3.org/2006/vcard/ns#">\n'
            f'<dcat:Catalog rdf:about="{EX}catalogue"><dct:title xml:lang="en">Bench catalogue</dct:title>\n')
    for i in range(n):
        f.write(f'  <dcat:dataset rdf:resource="{EX}ds/{i}"/>\n')
    f.write('</dcat:Catalog>\n')
    for i in range(n):
        d = ds_fields(i)
        f.write(f'<dcat:Dataset rdf:about="{EX}ds/{i}">\n'
                f'  <dct:title xml:lang="en">{escape(d["title_en"])}</dct:title>\n'
                f'  <dct:title xml:lang="de">{escape(d["title_de"])}</dct:title>\n'
                f'  <dct:description xml:lang="en">{escape(d["desc"])}</dct:description>\n'
                f'  <dcat:keyword>{d["kw"][0]}</dcat:keyword><dcat:keyword>{d["kw"][1]}</dcat:keyword>\n'
                f'  <dcat:theme rdf:resource="{d["theme"]}"/>\n'
                f'  <dct:issued>{d["issued"]}</dct:issued>\n'
                f'  <dct:publisher rdf:resource="{d["pub"]}"/>\n'
                f'  <dct:license rdf:resource="https://creativecommons.org/licenses/by/4.0/"/>\n'
                f'  <dcat:contactPoint><vcard:Kind><vcard:fn>{escape(d["contact"])}</vcard:fn>'
                f'<vcard:hasEmail rdf:resource="{d["mail"]}"/></vcard:Kind></dcat:contactPoint>\n'
                f'  <dcat:distribution><dcat:Distribution><dcat:downloadURL rdf:resource="{EX}files/{i}.csv"/>'
                f'<dcat:mediaType rdf:resource="{IANA}text/csv"/><dct:format rdf:resource="{FT}CSV"/>'
                f'</dcat:Distribution></dcat:distribution>\n'
                f'  <dcat:distribution><dcat:Distribution><dcat:accessURL rdf:resource="{EX}api/{i}"/>'
                f'<dct:format rdf:resource="{FT}JSON"/></dcat:Distribution></dcat:distribution>\n'
                '</dcat:Dataset>\n')
    for a in range(250):
        f.write(f'<foaf:Agent rdf:about="{EX}agency/{a}"><foaf:name>Agency {a}</foaf:name></foaf:Agent>\n')
    f.write('</rdf:RDF>\n')


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "catalogue.ttl"), "w", encoding="utf-8") as f:
        turtle(n, f)
    with open(os.path.join(out, "catalogue.rdf"), "w", encoding="utf-8") as f:
        rdfxml(n, f)


if __name__ == "__main__":
    main()
