"""`fairdex rescore` (issue 4): a change of rubric rescores the index from the
stored records, without a harvest.  The rubric is compiled in, so the test
uses the daemon's test hook FD_TEST_RUBRIC_VERSION: a first daemon scores
the sample as rubric "0.0", a second one without the hook is asked to
rescore, and every record must then say the current rubric, with the score
a fresh assessment gives (the scores of the records' own JSON, reassessed)."""
import os
import re

from harness import Daemon, check, get_many, run_cli, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "data", "sample", "repository.xml")
# 1h: the second daemon does not harvest again on its own during the test.
SOURCES = [{"name": "sample", "type": "oai-pmh", "url": "file://" + SAMPLE, "interval": "1h"}]


def all_ids():
    """The record ids of the sample, from its OAI headers (a search would
    collapse records sharing a DOI)."""
    with open(SAMPLE, encoding="utf-8") as f:
        text = f.read()
    return ["sample:" + x for x in re.findall(r"<oai:header>\s*<oai:identifier>([^<]+)</oai:identifier>", text)]


def test_rescore_to_current_rubric(tmp):
    d = Daemon(tmp, SOURCES, name="old").start(env={"FD_TEST_RUBRIC_VERSION": "0.0"})
    try:
        s = d.wait_harvested("sample")
        check(s["state"] == "ok" and s["records"] >= 200, f"sample harvest: {s}")
        total = d.call({"op": "status"})["records"]
        ids = all_ids()
        check(len(ids) == total, f"{len(ids)} ids for {total} records")
        old = get_many(d, ids)
        check(all(r is not None for r in old.values()), "a sample record is missing")
        check(all(r["fair"]["rubric"] == "0.0" for r in old.values()), "the test hook did not take")
    finally:
        d.stop()

    d = Daemon(tmp, SOURCES, name="new").start()
    try:
        rubric = d.call({"op": "fair"})["rubric"]
        check(rubric != "0.0", rubric)
        r = d.call({"op": "rescore"})
        check(r == {"ok": True, "queued": True, "rubric": rubric}, r)
        log = wait_until(lambda: (lambda t: t if "rescore: " in t and " rescored to rubric" in t else None)(
            d.read_log()), 60, "the end of the rescore")
        check(f"rescore: {total} records rescored to rubric {rubric}" in log, log[-2000:])
        new = get_many(d, ids)
        stale = [i for i, r in new.items() if r is None or r["fair"]["rubric"] != rubric]
        check(not stale, f"{len(stale)} records not rescored, e.g. {stale[:3]}")
        # The records themselves are unchanged; only their scores are new.
        changed = [i for i in ids if {k: v for k, v in new[i].items() if k != "fair"}
                   != {k: v for k, v in old[i].items() if k != "fair"}]
        check(not changed, f"rescore changed records, e.g. {changed[:3]}")
        check(all(new[i]["fair"]["overall"] == old[i]["fair"]["overall"] for i in ids),
              "the same rubric's code gave another score")
        rep = d.call({"op": "fair"})
        check(rep["ok"] and rep["rubrics"] == {rubric: total}, rep.get("rubrics"))

        # A second rescore finds nothing to do; the CLI says it was queued.
        cli = run_cli("rescore", socket_path=d.socket)
        check(cli.returncode == 0 and "queued" in cli.stdout, (cli.returncode, cli.stdout, cli.stderr))
        wait_until(lambda: "rescore: 0 records rescored to rubric " + rubric in d.read_log(), 60,
                   "the second rescore")
        check(len(re.findall(r"^<5>rescore: \d+ records rescored", d.read_log(), re.M)) == 2, d.read_log()[-2000:])
        cli = run_cli("rescore", "extra", socket_path=d.socket)
        check(cli.returncode == 2, (cli.returncode, cli.stderr))
    finally:
        d.stop()
