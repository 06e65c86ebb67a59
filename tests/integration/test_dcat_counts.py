"""Every DCAT fixture harvests with the dataset count an independent RDF
library gives (issue 19): the real files of ../shared/fixtures/dcat/,
SEMIC's DCAT-AP 3 examples (tests/fixtures/dcat/semic/) and our own
well-formed fixtures, each a file: source of one fairdexd, against
tests/tools/rdf_count.py run by Debian's python3 with python3-rdflib
(scripts/setup installs it)."""
import json
import os
import subprocess

from harness import ROOT, TOOLS, Daemon, Skip, check

OWN = os.path.join(ROOT, "tests", "fixtures", "dcat")
SHARED = os.path.join(ROOT, "..", "shared", "fixtures", "dcat")
# our fixtures that are meant to fail or to lose statements are not counted
OWN_GOOD = ["dcatap_full.ttl", "namespace_variants.ttl", "blank_datasets.rdf", "catalogue.jsonld",
            "schema_org_dataset.jsonld", "dcatap3_whole.ttl", "schema_people.jsonld", "duplicate_keys.jsonld"]
PYTHON = "/usr/bin/python3"


def files():
    out = []
    for d in (SHARED, os.path.join(OWN, "semic")):
        if os.path.isdir(d):
            out += [os.path.join(d, f) for f in sorted(os.listdir(d)) if not f.endswith(".tsv")]
    return out + [os.path.join(OWN, f) for f in OWN_GOOD]


def test_dcat_counts_match_rdflib(tmp):
    paths = files()
    probe = subprocess.run([PYTHON, "-c", "import rdflib"], capture_output=True)
    if probe.returncode != 0:
        raise Skip("python3-rdflib is not installed (scripts/setup installs it)")
    out = subprocess.run([PYTHON, os.path.join(TOOLS, "rdf_count.py"), *paths],
                         capture_output=True, text=True, timeout=300)
    check(out.returncode == 0, f"rdf_count.py failed: {out.stderr[-2000:]}")
    want = json.loads(out.stdout)
    check(len(want) == len(paths) and len(paths) >= 20, f"only {len(want)} files counted")
    sources = [{"name": f"f{i}", "type": "dcat", "url": "file://" + os.path.realpath(p), "interval": "1h"}
               for i, p in enumerate(paths)]
    d = Daemon(tmp, sources)
    try:
        d.start()
        wrong = []
        for i, p in enumerate(paths):
            s = d.wait_harvested(f"f{i}")
            name = os.path.basename(p)
            if s["state"] != "ok" or s["records"] != want[name]:
                wrong.append(f"{name}: fairdex {s['records']} ({s['state']}: {s.get('last_error')}), "
                             f"rdflib {want[name]}")
        check(not wrong, "dataset counts differ:\n  " + "\n  ".join(wrong))
        check(sum(want.values()) >= 60, f"the fixtures hold only {sum(want.values())} datasets")
    finally:
        d.stop()
