"""The MQA's DCAT-AP conformance checks agree with a real SHACL engine
(issue 19): rdf-validate-shacl (npm, installed by scripts/setup into
tests/tools/shacl/) runs the official DCAT-AP 3.0.0 dataset shapes
(tests/fixtures/dcat/shacl/) on Turtle fixtures, SEMIC's examples among
them; fairdexd harvests the same files, and for every dcat:Dataset the
mandatory properties the engine finds missing (sh:minCount violations)
are those `get` lists in mqa.dcat_ap.mandatory_missing."""
import json
import os
import shutil
import subprocess

from harness import ROOT, TOOLS, Daemon, Skip, check

FIX = os.path.join(ROOT, "tests", "fixtures", "dcat")
SHARED = os.path.join(ROOT, "..", "shared", "fixtures", "dcat")
TOOL = os.path.join(TOOLS, "shacl")
SHAPES = os.path.join(FIX, "shacl", "dcat-ap-3.0.0-dataset-shapes.ttl")
NAMES = {"http://purl.org/dc/terms/title": "dct:title", "http://purl.org/dc/terms/description": "dct:description"}
MIN_COUNT = "http://www.w3.org/ns/shacl#MinCountConstraintComponent"


def files():
    out = [os.path.join(FIX, "semic", f) for f in sorted(os.listdir(os.path.join(FIX, "semic"))) if f.endswith(".ttl")]
    out += [os.path.join(FIX, f) for f in ("dcatap_full.ttl", "dcatap3_whole.ttl")]
    out += [os.path.join(SHARED, f) for f in ("ckanext-dcat_datos_gob_es_dataset.ttl",
                                               "ckanext-dcat_london_deri_mojibake_nonisodates.ttl")
            if os.path.exists(os.path.join(SHARED, f))]
    return out


def test_dcat_ap_checks_agree_with_shacl(tmp):
    if not shutil.which("node") or not os.path.isdir(os.path.join(TOOL, "node_modules", "rdf-validate-shacl")):
        raise Skip("the SHACL engine is not installed (scripts/setup installs it)")
    paths = files()
    out = subprocess.run(["node", os.path.join(TOOL, "validate.mjs"), SHAPES, *paths], capture_output=True,
                         text=True, timeout=300)
    check(out.returncode == 0, f"validate.mjs failed: {out.stderr[-2000:]}")
    shacl = json.loads(out.stdout)
    sources = [{"name": f"s{i}", "type": "dcat", "url": "file://" + os.path.realpath(p), "interval": "1h"}
               for i, p in enumerate(paths)]
    d = Daemon(tmp, sources)
    compared = violations = 0
    try:
        d.start()
        wrong = []
        for i, p in enumerate(paths):
            s = d.wait_harvested(f"s{i}")
            check(s["state"] == "ok", f"{p}: {s}")
            rep = shacl[os.path.basename(p)]
            for iri in rep["targets"]:
                want = sorted(NAMES[r["path"]] for r in rep["results"]
                              if r["focus"] == iri and r["component"] == MIN_COUNT and r["path"] in NAMES)
                got = d.call({"op": "get", "id": f"s{i}:{iri}"})
                check(got["ok"], f"{iri} of {os.path.basename(p)} not indexed: {got}")
                mqa = got["record"].get("mqa")
                check(mqa is not None, f"{iri}: no mqa in get")
                have = sorted(mqa["dcat_ap"]["mandatory_missing"])
                compliance = next(x for x in mqa["indicators"] if x["id"] == "dcat-ap-compliance")
                if have != want or (compliance["points"] == 0) != bool(want):
                    wrong.append(f"{os.path.basename(p)} {iri}: SHACL {want}, fairdex {have} "
                                 f"({compliance['points']} points)")
                compared += 1
                violations += len(want)
        check(not wrong, "the DCAT-AP checks disagree with SHACL:\n  " + "\n  ".join(wrong))
        check(compared >= 15 and violations >= 5,
              f"only {compared} datasets and {violations} violations compared")
        print(f"       {compared} datasets, {violations} mandatory-property violations, all agreed")
    finally:
        d.stop()
