"""Metadata as harvested and `fairdex remap` (issue 15).  The test server
disseminates its items in oai_dc and, under a made-up prefix, in MODS.  A
first daemon harvests both with the test hook FD_TEST_MAPPER_OLD=mods,
which writes the MODS records as an older mapper read them (one mapper
version back, without subjects).  A second daemon, without the hook, is
asked to remap: exactly the MODS records are mapped again (they get their
subjects and today's mapper version), the oai_dc records stay byte for byte
what they were, and `get … "raw":true` returns the metadata as the server
sent it (the same elements, attributes and text)."""
import os
import re
import xml.etree.ElementTree as ET

from harness import ROOT, Daemon, OAIServer, check, corpus_truth, run_cli, wait_until

N = 6
MODS = os.path.join(ROOT, "tests", "fixtures", "formats", "mods_unusual_prefix.xml")


def shape(e):
    """An element as comparable data: name, attributes, own text, children."""
    text = ((e.text or "") + "".join(c.tail or "" for c in e)).strip()
    return (e.tag, sorted(e.attrib.items()), text, [shape(c) for c in e])


def sent_metadata():
    """The first record's metadata as oai_server.py sends it, read with the
    namespaces the fixture declares on its envelope."""
    with open(MODS, encoding="utf-8") as f:
        head, rest = f.read().split("<metadata>", 1)
    decls = dict(re.findall(r'xmlns:([\w.-]+)="([^"]+)"', head))
    wrapped = "<w " + " ".join(f'xmlns:{k}="{v}"' for k, v in decls.items()) + ">" + rest.split("</metadata>", 1)[0]
    return list(ET.fromstring(wrapped + "</w>"))[0]


def test_remap_changes_exactly_the_old_mappers_records(tmp):
    live = [rid for rid, r in corpus_truth(N).items() if not r["deleted"]]
    srv = OAIServer(tmp, "--generate", str(N),
                    "--extra-format", "lib_mods=http://www.loc.gov/mods/v3=" + MODS)
    sources = [{"name": "dc", "type": "oai-pmh", "url": srv.url, "metadata_prefix": "oai_dc", "interval": "1h"},
               {"name": "lib", "type": "oai-pmh", "url": srv.url, "metadata_prefix": "lib_mods", "interval": "1h"}]
    d = Daemon(tmp, sources, name="old").start(env={"FD_TEST_MAPPER_OLD": "mods"})
    try:
        for name in ("dc", "lib"):
            s = d.wait_harvested(name)
            check(s["state"] == "ok" and s["records"] == len(live), f"harvest of {name}: {s}")
        old = {f"{n}:{rid}": d.call({"op": "get", "id": f"{n}:{rid}"})["record"]
               for n in ("dc", "lib") for rid in live}
    finally:
        d.stop()
    srv.stop()
    mods_ids = [i for i in old if i.startswith("lib:")]
    check(all(old[i]["format"] == "mods" and not old[i].get("subjects") for i in mods_ids),
          "the test hook did not take")
    old_versions = {old[i].get("mapper_version", 0) for i in mods_ids}
    check(all(old[i]["mapper_version"] >= 1 for i in old if i.startswith("dc:")), "oai_dc records keep a version")

    d = Daemon(tmp, sources, name="new").start()
    try:
        r = d.call({"op": "remap", "source": "nope"})
        check(not r["ok"] and r["error"]["code"] == "not_found", r)
        r = d.call({"op": "remap"})
        check(r == {"ok": True, "queued": True}, r)
        log = wait_until(lambda: (lambda t: t if "remap: " in t and " records remapped" in t else None)(
            d.read_log()), 60, "the end of the remap")
        n = len(mods_ids)
        check(f"remap: {n} records remapped, {n} of them changed" in log, log[-2000:])
        new = {i: d.call({"op": "get", "id": i})["record"] for i in old}
        changed = sorted(i for i in old if new[i] != old[i])
        check(changed == sorted(mods_ids), f"changed {changed}, want the {n} MODS records")
        for i in mods_ids:
            check(new[i]["mapper_version"] > max(old_versions) and new[i].get("subjects"), f"{i} not remapped: {new[i]}")
            rest = {k: v for k, v in new[i].items() if k not in ("subjects", "mapper_version", "fair")}
            want = {k: v for k, v in old[i].items() if k not in ("subjects", "mapper_version", "fair")}
            check(rest == want, f"{i}: remap changed more than the subjects")

        # The metadata as harvested: the content the server sent.
        got = d.call({"op": "get", "id": mods_ids[0], "raw": True})
        check(got["ok"] and got["raw"]["format"] == "xml", got)
        check(shape(ET.fromstring(got["raw"]["text"])) == shape(sent_metadata()),
              f"raw differs from what was harvested: {got['raw']['text'][:300]}")
        got = d.call({"op": "get", "id": mods_ids[0], "raw": "yes"})
        check(not got["ok"] and got["error"]["code"] == "invalid", got)

        # A second remap finds nothing to do; the CLI queues one per source.
        cli = run_cli("remap", "lib", socket_path=d.socket)
        check(cli.returncode == 0 and "remap of source 'lib' queued" in cli.stdout, cli.stdout + cli.stderr)
        wait_until(lambda: "remap: 0 records remapped" in d.read_log(), 60, "the second remap")
    finally:
        d.stop()
