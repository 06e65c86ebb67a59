#!/usr/bin/env python3
"""An independent reading of the real files of ../shared/fixtures/formats
(issue 15), to check the expected values of tests/unit/test_formats.c.

usage: fidelity_check.py [SHARED_FORMATS_DIR] [TEST_FORMATS_C]

For each entry of test_formats.c's `wants` table it reads the file with
ElementTree, by the format's own specification (element paths by local
name, written from the DataCite, DC, DDI 2.5/3.2, MODS, MARC21, ISO 19139 /
19115-3, EML, EDM/ESE, FGDC, CMDI, CERIF, DOAJ and re3data documentation,
not from fairdex's mapping tables), the first live record's title, DOI,
creator count, year and language, and compares them with the table.  It
prints, per format and per field, the share of the table's values this
reading agrees with, and lists each disagreement.  A field this reading
cannot decide for a format (None in SPEC) is not counted.
"""
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DOI = re.compile(r"(10\.\d{4,9}/[^\s\"<>]+)")


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def walk(e, path):
    """Elements at path ('a/b/c', local names, '//' start: any depth)."""
    steps = path.strip("/").split("/")

    def match(c, step):
        name, _, pred = step.partition("[")
        if local(c.tag) != name and name != "*":
            return False
        if pred:
            k, v = pred.rstrip("]").lstrip("@").split("=")
            got = next((val for key, val in c.attrib.items() if local(key) == k), None)
            return got is not None and got.strip().lower() in v.lower().split("|")
        return True

    if path.startswith("//"):
        nodes = [n for n in e.iter() if match(n, steps[0])]
        steps = steps[1:]
    else:
        nodes = [e]
    for s in steps:
        nodes = [c for n in nodes for c in n if match(c, s)]
    return nodes


def text(e):
    return " ".join("".join(e.itertext()).split()) if e is not None else ""


def first_text(root, paths):
    for p in paths:
        for n in walk(root, p):
            t = text(n)
            if t:
                return t
    return None


def doi_of(root, paths):
    for p in paths:
        for n in walk(root, p):
            for v in [text(n)] + list(n.attrib.values()):
                m = DOI.search(v or "")
                if m:
                    return m.group(1).rstrip(".").lower()
    return None


def year_of(root, paths):
    for p in paths:
        for n in walk(root, p):
            for v in [text(n)] + [n.attrib.get(k) for k in n.attrib if local(k) in ("date", "when")]:
                m = re.search(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})", v or "")
                if m:
                    return int(m.group(1))
    return None


# Per format: title paths, DOI paths, creator paths (counted), year paths.
SPEC = {
    "oai_datacite": (["//titles/title"], ["//identifier[@identifierType=doi]"], ["//creators/creator"],
                     ["//publicationYear"]),
    "datacite": (["//titles/title"], ["//identifier[@identifierType=doi]"], ["//creators/creator"],
                 ["//publicationYear"]),
    "qdc": (["//title"], ["//identifier", "//relation", "//isVersionOf"], ["//creator"],
            ["//issued", "//date", "//created"]),
    "rioxx": (["//title"], ["//version_of_record", "//ext_relation", "//relation", "//identifier"], ["//creator"],
              ["//publication_date"]),
    "ddi": (["//stdyDscr/citation/titlStmt/titl"], ["//stdyDscr/citation/titlStmt/IDNo",
                                                     "//stdyDscr/citation/holdings"],
            ["//stdyDscr/citation/rspStmt/AuthEnty"],
            ["//stdyDscr/citation/distStmt/distDate", "//stdyDscr/citation/prodStmt/prodDate",
             "//stdyDscr/citation/verStmt/version"]),
    "ddi3": (["//StudyUnit/Citation/Title/String", "//Citation/Title/String"],
             ["//StudyUnit/Citation/InternationalIdentifier/IdentifierContent", "//Citation/InternationalIdentifier"],
             ["//StudyUnit/Citation/Creator"], ["//StudyUnit/Citation/PublicationDate", "//Citation/PublicationDate"]),
    "mods": (["//titleInfo/title"], ["//identifier[@type=doi]"], None, ["//originInfo/dateIssued"]),
    "marc21": (["//datafield[@tag=245]/subfield[@code=a]"],
               ["//datafield[@tag=024]"], ["//datafield[@tag=100]", "//datafield[@tag=700]"],
               ["//datafield[@tag=264]/subfield[@code=c]", "//datafield[@tag=260]/subfield[@code=c]"]),
    "iso19139": (["//identificationInfo/*/citation/CI_Citation/title"], ["//citation/CI_Citation/identifier"],
                 None, ["//identificationInfo/*/citation/CI_Citation/date/CI_Date/date"]),
    "iso19115-3": (["//identificationInfo/*/citation/CI_Citation/title"], ["//citation/CI_Citation/identifier"],
                   None, ["//identificationInfo/*/citation/CI_Citation/date/CI_Date/date"]),
    "eml": (["//dataset/title"], ["//alternateIdentifier", "//eml"], ["//dataset/creator"], ["//dataset/pubDate"]),
    "edm": (["//ProvidedCHO/title", "//title"], ["//ProvidedCHO/identifier"], ["//ProvidedCHO/creator"],
            ["//ProvidedCHO/issued", "//ProvidedCHO/date", "//ProvidedCHO/created"]),
    "ese": (["//title"], ["//identifier"], ["//creator"], ["//date", "//issued", "//created", "//year"]),
    "fgdc": (["//idinfo/citation/citeinfo/title"], ["//idinfo/citation/citeinfo/onlink"],
             ["//idinfo/citation/citeinfo/origin"], ["//idinfo/citation/citeinfo/pubdate"]),
    "cmdi": (None, None, None, None),
    "oai_cerif_openaire": (["//Title"], ["//DOI"], ["//Authors/Author"], ["//PublicationDate"]),
    "oai_doaj": (["//title"], ["//doi"], ["//authors/author"], ["//publicationDate"]),
    "re3data": (["//repositoryName"], ["//re3data.orgIdentifier", "//repositoryIdentifier"], None, ["//startDate"]),
    "didl": (["//mods/titleInfo/title", "//title"], ["//identifier[@type=doi]"], None, ["//dateIssued"]),
    "mets": (["//mods/titleInfo/title", "//title"], ["//identifier[@type=doi]"], None, ["//dateIssued"]),
}

WANT = re.compile(r'\{"([^"]+)", (true|false), (\d+), "([^"]*)", "([^"]+)",\s*'
                  r'(NULL|"(?:[^"\\]|\\.)*"), (NULL|"[^"]*"), (\d+), (NULL|"[^"]*"), (\d+), (NULL|"[^"]*"), '
                  r'(NULL|"[^"]*"), (NULL|"[^"]*")\}', re.S)


def cstr(v):
    return None if v == "NULL" else v[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def first_record(path, bare):
    tree = ET.parse(path)
    root = tree.getroot()
    if bare:
        return root
    for rec in root.iter(OAI + "record"):
        h = rec.find(OAI + "header")
        if h is not None and h.get("status") == "deleted":
            continue
        md = rec.find(OAI + "metadata")
        if md is not None and len(md):
            return md[0] if len(md) == 1 else md
    return None


def main(argv):
    shared = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(ROOT), "shared", "fixtures", "formats")
    table = argv[2] if len(argv) > 2 else os.path.join(ROOT, "tests", "unit", "test_formats.c")
    src = open(table, encoding="utf-8").read()
    src = src[src.index("static const struct want wants[]"):]
    right = collections.defaultdict(lambda: [0, 0])
    bad = []
    for m in WANT.finditer(src):
        f, bare, fmt = m.group(1), m.group(2) == "true", m.group(5)
        want = {"title": cstr(m.group(6)), "doi": cstr(m.group(7)), "creators": int(m.group(8)),
                "year": int(m.group(10)) or None}
        spec = SPEC.get(fmt)
        try:
            root = first_record(os.path.join(shared, f), bare)
        except ET.ParseError as e:
            bad.append((fmt, f, "parse", str(e), ""))
            continue
        if root is None or not spec:
            continue
        tp, dp, cp, yp = spec
        got = {}
        if tp:
            t = first_text(root, tp)
            got["title"] = t
        if dp:
            got["doi"] = doi_of(root, dp)
        if cp:
            got["creators"] = sum(len(walk(root, p)) for p in cp)
        if yp:
            got["year"] = year_of(root, yp)
        for k, g in got.items():
            w = want[k]
            ok = (g or "").startswith(w) if k == "title" and w else g == w
            right[(fmt, k)][1] += 1
            right[(fmt, k)][0] += ok
            if not ok:
                bad.append((fmt, f, k, w, g))
    total = [0, 0]
    for (fmt, k), (r, n) in sorted(right.items()):
        total[0] += r
        total[1] += n
        print(f"{fmt:<20} {k:<9} {r}/{n}")
    print(f"all: {total[0]}/{total[1]} ({100 * total[0] / max(total[1], 1):.1f} %) of the table's values agree")
    for b in bad:
        print("DIFF", *b, sep=" | ")


if __name__ == "__main__":
    main(sys.argv)
