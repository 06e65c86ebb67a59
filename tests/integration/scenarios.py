"""scenarios.py: runs the integration scenarios kept as data in
tests/fixtures/scenarios/*.json (the way curl keeps tests/data/): the
sources of the configuration, how the daemon must start (or refuse to),
which harvests must end how, and requests with the answers they must get.  tests/fixtures/scenarios/README.md describes the
format; test_scenarios.py makes one test of each file."""
import json
import os
import re

from harness import ROOT, Daemon, check

DIR = os.path.join(ROOT, "tests", "fixtures", "scenarios")


def names():
    return sorted(f[:-5] for f in os.listdir(DIR) if f.endswith(".json"))


KEYS = {"about", "sources", "start", "harvested", "exchanges", "after_each"}
START_KEYS = {"args", "exit", "timeout", "log"}


def load(name):
    """The scenario NAME.json; a key the format does not know (a typo that
    would leave part of it unchecked) fails."""
    with open(os.path.join(DIR, name + ".json"), encoding="utf-8") as f:
        sc = json.load(f)
    check(not set(sc) - KEYS, f"{name}.json: unknown keys {sorted(set(sc) - KEYS)}")
    check(not set(sc.get("start", {})) - START_KEYS, f"{name}.json: unknown start keys")
    for ex in sc.get("exchanges", []) + sc.get("after_each", []):
        check(set(ex) in ({"send", "expect"}, {"raw", "expect"}), f"{name}.json: an exchange has keys {sorted(ex)}")
    return sc


def raw_bytes(raw):
    """A line as sent: a string (UTF-8; a lone surrogate \\udcXX is the byte
    XX), or a list of strings and [string, count] repetitions."""
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    return b"".join(raw_bytes(p) if isinstance(p, str) else raw_bytes(p[0]) * p[1] for p in raw)


def match(want, got, where="answer"):
    """Checks got against want: an object's keys must all match ($contains: some
    element of a list matches; $exists: the key is there, nothing more), a
    list matches element by element, a scalar by type and value."""
    if isinstance(want, dict) and "$contains" in want:
        check(isinstance(got, list) and any(matches(want["$contains"], g) for g in got),
              f"{where}: no element matches {want['$contains']!r}: {got!r}")
    elif isinstance(want, dict):
        check(isinstance(got, dict), f"{where}: expected an object, got {got!r}")
        for k, w in want.items():
            check(k in got, f"{where}: no '{k}' in {got!r}")
            if w != {"$exists": True}:
                match(w, got[k], f"{where}.{k}")
    elif isinstance(want, list):
        check(isinstance(got, list) and len(got) == len(want), f"{where}: expected {len(want)} items, got {got!r}")
        for i, (w, g) in enumerate(zip(want, got)):
            match(w, g, f"{where}[{i}]")
    else:
        check(type(got) is type(want) and got == want, f"{where}: expected {want!r}, got {got!r}")


def matches(want, got):
    try:
        match(want, got)
        return True
    except AssertionError:
        return False


def run(name, tmp):
    sc = load(name)
    fixtures = os.path.join(ROOT, "tests", "fixtures")
    sources = [{k: v.format(fixtures=fixtures) if isinstance(v, str) else v for k, v in s.items()}
               for s in sc.get("sources", [])]
    start = sc.get("start", {})
    d = Daemon(tmp, sources)
    try:
        d.start(wait_ready="exit" not in start, args=start.get("args", []))
        if "exit" in start:
            rc = d.wait(start.get("timeout", 60))
            check(rc == start["exit"], f"fairdexd exited {rc}, expected {start['exit']}: {d.read_log()[-2000:]}")
        for pattern in start.get("log", []):
            check(re.search(pattern, d.read_log(), re.M), f"no log line matches {pattern!r}: {d.read_log()[-2000:]}")
        if "exit" in start:
            return
        for source, state in sc.get("harvested", {}).items():
            s = d.wait_harvested(source)
            check(s["state"] == state, f"harvest of {source} ended {s['state']}, expected {state}: {s}")
        c = d.client()
        try:
            for i, ex in enumerate(sc.get("exchanges", [])):
                where = f"{name} exchange {i + 1}"
                line = raw_bytes(ex["raw"]) if "raw" in ex else json.dumps(ex["send"]).encode()
                c.send_raw(line + b"\n")
                wants = ex["expect"] if isinstance(ex["expect"], list) else [ex["expect"]]
                for j, want in enumerate(wants):
                    match(want, c.read_line(), f"{where} ({line[:40]!r}), answer {j + 1}")
                for after in sc.get("after_each", []):
                    match(after["expect"], c.call(after["send"]), f"{where}: then {after['send']}")
        finally:
            c.close()
        check(d.proc.poll() is None, f"fairdexd died: {d.read_log()[-2000:]}")
    finally:
        d.stop()
