"""The writer's side of sharded indexes (issue 18), on local shard
directories: routing, checkpoints, status, a read-only daemon, reshard.

- a generated repository harvested into two local shards: every record id
  is in exactly one shard, the one its route names (FNV-1a 64 of the id
  modulo the shards, docs/configuration.md), none is missing; the source's
  checkpoint and the layout are in the home shard only; status and metrics
  show both shards;
- a daemon in `index: {readonly: true}` on the same shards answers searches
  as the writer did, schedules nothing, and refuses harvest, purge, rescore
  and remap;
- two remote shards (`xapian-tcpsrv --writable`): one is stopped in the
  middle of a harvest; status shows it down with its error, the log says so
  once, the harvest waits (its checkpoint kept) and ends once the shard is
  back, with every record in exactly one shard;
- `fairdex reshard --to 3` rewrites the two shards as three: every record
  once, in the shard of its route, the checkpoint in the new home shard; it
  refuses to write over its output; the old index: with three shards and no
  reshard is refused at start; a daemon on the printed index: block starts
  and holds the same records;
- `fairdex reshard --to 1` (Xapian's compaction): every record once, the
  checkpoint, the index's own metadata merged, the DOI-shared flag of the
  whole; a daemon without index: on it answers an every-record search with
  facets as the two-shard writer did.

The shards are read with Debian's python3-xapian (under /usr/bin/python3,
scripts/setup installs it): their ids (unique terms "Q<id>") and metadata."""
import json
import os
import shutil
import signal
import socket
import subprocess
import time

from harness import FAIRDEXD, Daemon, OAIServer, Skip, check, corpus_truth, free_port, run_cli, wait_until

N = 600
SYSTEM_PYTHON = "/usr/bin/python3"

DUMP = r"""
import json, sys, xapian
out = []
for path in sys.argv[1:]:
    db = xapian.Database(path)
    ids = {}
    for t in db.allterms("Q"):
        ids[t.term.decode()[1:]] = t.termfreq
    meta = {k.decode(): db.get_metadata(k).decode() for k in db.metadata_keys()}
    dois = {t.term.decode(): t.termfreq for t in db.allterms("XDOI")}
    out.append({"ids": ids, "docs": db.get_doccount(), "meta": meta, "dois": dois})
print(json.dumps(out))
"""


def read_shards(paths):
    """Each shard's {"ids": {id: termfreq}, "docs": n, "meta": {key: value},
    "dois": {DOI term: termfreq}}."""
    if not os.path.exists(SYSTEM_PYTHON) or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import xapian"], capture_output=True).returncode != 0:
        raise Skip("python3-xapian is not installed (scripts/setup installs it)")
    r = subprocess.run([SYSTEM_PYTHON, "-c", DUMP, *paths], capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, f"reading the shards: {r.stderr}")
    return json.loads(r.stdout)


def fnv1a64(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def check_routed(shards, expected):
    """Every id of expected in exactly one shard, the one the hash route
    names, once; no other id anywhere."""
    n = len(shards)
    seen = {}
    for k, sh in enumerate(shards):
        check(sh["docs"] == len(sh["ids"]), f"shard {k}: {sh['docs']} documents, {len(sh['ids'])} ids")
        for rid, freq in sh["ids"].items():
            check(freq == 1, f"shard {k} holds '{rid}' {freq} times")
            check(rid not in seen, f"'{rid}' in shards {seen.get(rid)} and {k}")
            seen[rid] = k
            check(fnv1a64(rid) % n == k, f"'{rid}' in shard {k}, its route says {fnv1a64(rid) % n}")
    check(set(seen) == expected, f"{len(set(seen) - expected)} ids too many, {len(expected - set(seen))} missing")
    check(all(sh["docs"] for sh in shards), f"an empty shard: {[sh['docs'] for sh in shards]}")


def every_page(daemon, req):
    """req's answer with the hits of every page (offset) in its hits."""
    first = daemon.call(req)
    check(first["ok"], first)
    while len(first["hits"]) < first["total"]:
        page = daemon.call({**req, "offset": len(first["hits"])})
        check(page["ok"] and page["hits"], page)
        first["hits"] += page["hits"]
    return first


def index_block(paths, readonly=False):
    return "index:\n" + ("  readonly: true\n" if readonly else "") + "  shards:\n" + "".join(
        f"    - path: {p}\n" for p in paths)


def rewrite_index(daemon, block):
    """daemon's configuration with its index: map replaced by block."""
    with open(daemon.config) as f:
        text = f.read()
    head, rest = text.split("index:\n", 1)
    rest = rest[rest.index("sources:"):]
    with open(daemon.config, "w") as f:
        f.write(head + block + rest)


def test_two_shards_readonly_and_reshard(tmp):
    server = OAIServer(tmp, "--generate", str(N), "--page-size", "50")
    truth = corpus_truth(N)
    expected = {"gen:" + oid for oid, r in truth.items() if not r["deleted"]}
    two = [os.path.join(tmp, "shards", f"s{k}") for k in range(2)]
    sources = [{"name": "gen", "type": "oai-pmh", "url": server.url, "interval": "1h", "delay": 0}]
    d = Daemon(tmp, sources, extra=index_block(two))
    every = {"op": "search", "q": "", "limit": 100, "facets": ["year", "type", "source", "fair"]}
    try:
        d.start()
        s = d.wait_harvested("gen")
        check(s["state"] == "ok", f"harvest: {s}")
        st = d.call({"op": "status"})
        check(st["records"] == len(expected), f"{st['records']} records, {len(expected)} expected")
        check(st["readonly"] is False, st)
        check([x["name"] for x in st["shards"]] == two, st["shards"])
        check(all(x["state"] == "up" and x["last_error"] is None for x in st["shards"]), st["shards"])
        check(sum(x["documents"] for x in st["shards"]) == len(expected), st["shards"])
        check([x["home"] for x in st["shards"]] == [True, False], st["shards"])
        m = d.call({"op": "metrics"})["text"]
        for p in two:
            check(f'fairdex_shard_up{{shard="{p}"}} 1' in m, m[-1500:])
        log = d.read_log()
        check("2 shards (route hash)" in log, log[-2000:])
        everything = {"op": "search", "q": "", "limit": 20, "facets": ["year"]}
        written = d.call(everything)
        check(written["ok"] and written["hits"], written)
        whole = every_page(d, every)
    finally:
        d.stop()

    shards = read_shards(two)
    check_routed(shards, expected)
    check("checkpoint:gen" in shards[0]["meta"], sorted(shards[0]["meta"]))
    check(shards[0]["meta"].get("shards:layout") == "hash 2", shards[0]["meta"].get("shards:layout"))
    check(not any(k.startswith("checkpoint:") or k == "shards:layout" for k in shards[1]["meta"]),
          sorted(shards[1]["meta"]))
    checkpoint = json.loads(shards[0]["meta"]["checkpoint:gen"])
    check(checkpoint.get("last_complete"), checkpoint)

    # A read-only daemon on the same shards: searches, never writes.
    ro_dir = os.path.join(tmp, "ro")
    os.makedirs(ro_dir)
    ro = Daemon(ro_dir, sources, extra=index_block(two, readonly=True), name="readonly")
    try:
        ro.start()
        st = ro.call({"op": "status"})
        check(st["readonly"] is True and st["records"] == len(expected), st)
        check(all(x["state"] == "up" for x in st["shards"]), st["shards"])
        src = [x for x in st["sources"] if x["name"] == "gen"][0]
        check(src["state"] == "idle" and src["next_run"] is None, src)
        check(src["last_complete"] == checkpoint["last_complete"], (src, checkpoint))
        r = ro.call(everything)
        check(r == written, (r, written))
        for req in ({"op": "harvest", "source": "gen"}, {"op": "purge", "source": "old"}, {"op": "rescore"},
                    {"op": "remap"}):
            r = ro.call(req)
            check(not r["ok"] and r["error"]["code"] == "unsupported" and "read-only" in r["error"]["message"],
                  (req, r))
        r = run_cli("harvest", "gen", socket_path=ro.socket)
        check(r.returncode == 1 and "read-only" in r.stderr, r)
        check("harvest started" not in ro.read_log(), ro.read_log()[-2000:])
    finally:
        ro.stop()

    # Three shards named without a reshard: refused, the index untouched.
    three_bad = two + [os.path.join(tmp, "shards", "s2")]
    rewrite_index(d, index_block(three_bad))
    p = subprocess.run([FAIRDEXD, "-c", d.config, "--once"], capture_output=True, text=True, timeout=60)
    check(p.returncode != 0 and "fairdex reshard" in p.stderr and "'hash 2'" in p.stderr, p.stderr[-2000:])
    rewrite_index(d, index_block(two))

    # fairdex reshard: 2 -> 3, offline.
    out = os.path.join(tmp, "three")
    r = run_cli("reshard", "--config", d.config, "--to", "3", "--out", out)
    check(r.returncode == 0, r.stderr)
    three = [os.path.join(out, f"shard{k}") for k in range(3)]
    check(r.stdout == "index:\n  route: hash\n  shards:\n" + "".join(f"    - path: {p}\n" for p in three), r.stdout)
    check(f"{len(expected)} records of 2 shards rewritten as 3 shards" in r.stderr, r.stderr)
    shards3 = read_shards(three)
    check_routed(shards3, expected)
    check(shards3[0]["meta"].get("checkpoint:gen") == shards[0]["meta"]["checkpoint:gen"],
          shards3[0]["meta"].get("checkpoint:gen"))
    check(shards3[0]["meta"].get("shards:layout") == "hash 3", shards3[0]["meta"])
    for k in (1, 2):
        check(not any(key.startswith("checkpoint:") for key in shards3[k]["meta"]), shards3[k]["meta"])
    for sh in shards3:
        check(sh["meta"].get("fairdex:schema") == shards[0]["meta"].get("fairdex:schema"), sh["meta"])
    # documents are copied as stored
    r2 = run_cli("reshard", "--config", d.config, "--to", "3", "--out", out)
    check(r2.returncode == 2 and "is there already" in r2.stderr, r2)

    # fairdex reshard --to 1: the two shards compacted into one database.
    r1 = run_cli("reshard", "--config", d.config, "--to", "1", "--out", os.path.join(tmp, "one"))
    check(r1.returncode == 0 and f"{len(expected)} records of 2 shards rewritten as 1 shards" in r1.stderr, r1)
    one_db = os.path.join(tmp, "one", "shard0")
    one = read_shards([one_db])
    check_routed(one, expected)
    meta = one[0]["meta"]
    check(meta.get("checkpoint:gen") == shards[0]["meta"]["checkpoint:gen"], meta.get("checkpoint:gen"))
    check(meta.get("shards:layout") == "hash 1", meta.get("shards:layout"))
    for key in ("fairdex:schema", "fairdex:live-keys"):
        check(meta.get(key) == min(sh["meta"].get(key) for sh in shards), (key, meta.get(key)))
    dois = {}
    for sh in shards:
        for term, freq in sh["dois"].items():
            dois[term] = dois.get(term, 0) + freq
    check(one[0]["dois"] == dois and dois, f"{len(one[0]['dois'])} DOIs, {len(dois)} in the shards")
    shared = "1" if max(dois.values()) > 1 else "0"
    check(meta.get("fairdex:doi-shared") == shared, (meta.get("fairdex:doi-shared"), shared))
    os.makedirs(os.path.join(tmp, "single", "state"))
    single = Daemon(os.path.join(tmp, "single"), [], name="single")
    os.rename(one_db, os.path.join(single.state, "index"))
    try:
        single.start()
        got = every_page(single, every)
    finally:
        single.stop()
    check({k: v for k, v in got.items() if k != "hits"} == {k: v for k, v in whole.items() if k != "hits"},
          (got.get("total"), got.get("facets"), whole.get("total"), whole.get("facets")))
    check(sorted(h["id"] for h in got["hits"]) == sorted(h["id"] for h in whole["hits"]), "the hits differ")

    # A daemon on the printed block holds the same records, resumes from
    # the checkpoint (its run is an incremental one).
    rewrite_index(d, r.stdout)
    try:
        d.start()
        st = d.call({"op": "status"})
        check(st["records"] == len(expected), st)
        check([x["name"] for x in st["shards"]] == three, st["shards"])
        src = [x for x in st["sources"] if x["name"] == "gen"][0]
        check(src["last_complete"] == checkpoint["last_complete"], src)
        before = d.call({"op": "get", "id": sorted(expected)[0]})
        check(before["ok"], before)
    finally:
        d.stop()
        server.stop()


def test_reshard_to_one_computes_doi_shared(tmp):
    """Two records of one DOI on the two shards: each shard's DOI-shared
    flag says "0", the one database `fairdex reshard --to 1` makes says "1",
    and a daemon on it collapses them as the sharded daemon does."""
    from test_protocol import static_repo
    # FNV-1a's lowest bit is the parity of the bytes' lowest bits: an id
    # growing by a letter changes it (test_shards.shared_doi_sources)
    a, b = "zenodo:oai:zenodo.example.org:z", (lambda i: "portal:oai:portal.example.eu:p" + "q" * i)
    i = next(i for i in range(2) if fnv1a64(a) % 2 != fnv1a64(b(i)) % 2)
    sources = []
    for name, host, local, doi in (("zenodo", "zenodo.example.org", "z", "https://doi.org/10.5281/ZENODO.4240"),
                                   ("portal", "portal.example.eu", "p" + "q" * i, "doi:10.5281/zenodo.4240")):
        path = os.path.join(tmp, name + ".xml")
        static_repo(path, host, [(local, f"Permafrost borehole temperatures ({name})", doi)])
        sources.append({"name": name, "type": "oai-pmh", "url": "file://" + path})
    two = [os.path.join(tmp, "shards", f"s{k}") for k in range(2)]
    d = Daemon(tmp, sources, extra=index_block(two))
    req = {"op": "search", "q": "permafrost", "facets": ["source"]}
    try:
        d.start()
        for s in sources:
            check(d.wait_harvested(s["name"])["state"] == "ok", s)
        sharded = d.call(req)
    finally:
        d.stop()
    check(sharded["total"] == 1 and sorted(sharded["hits"][0]["sources"]) == ["portal", "zenodo"], sharded)
    shards = read_shards(two)
    check(sorted(rid for sh in shards for rid in sh["ids"]) == [b(i), a], [sh["ids"] for sh in shards])
    check([sh["meta"]["fairdex:doi-shared"] for sh in shards] == ["0", "0"], [sh["meta"] for sh in shards])

    r = run_cli("reshard", "--config", d.config, "--to", "1", "--out", os.path.join(tmp, "one"))
    check(r.returncode == 0, r.stderr)
    one = read_shards([os.path.join(tmp, "one", "shard0")])
    check(one[0]["docs"] == 2 and one[0]["meta"]["fairdex:doi-shared"] == "1", one)
    os.makedirs(os.path.join(tmp, "single", "state"))
    os.rename(os.path.join(tmp, "one", "shard0"), os.path.join(tmp, "single", "state", "index"))
    single = Daemon(os.path.join(tmp, "single"), [], name="single")
    try:
        single.start()
        got = single.call(req)
    finally:
        single.stop()
    check(got == sharded, (got, sharded))


def test_config_errors_name_the_line(tmp):
    """fairdexd refuses a bad index: map with the configuration's message."""
    d = Daemon(tmp, [], extra="index:\n  route: random\n")
    p = subprocess.run([FAIRDEXD, "-c", d.config, "--once"], capture_output=True, text=True, timeout=30)
    check(p.returncode != 0 and "'route' in 'index' must be hash or source, not 'random'" in p.stderr, p.stderr)


class Writable:
    """A `xapian-tcpsrv --writable` on a directory, in its own process group."""

    def __init__(self, tmp, i):
        self.tmp, self.dir, self.port = tmp, os.path.join(tmp, f"remote{i}"), free_port()
        self.url = f"tcp://127.0.0.1:{self.port}"
        self.proc = None

    def start(self):
        tcpsrv = shutil.which("xapian-tcpsrv")
        if not tcpsrv:
            raise Skip("xapian-tcpsrv is not installed (Debian's xapian-tools; scripts/setup installs it)")
        log = open(os.path.join(self.tmp, f"tcpsrv-{self.port}.log"), "a")
        self.proc = subprocess.Popen([tcpsrv, "--writable", "--interface", "127.0.0.1", "--port", str(self.port),
                                      self.dir], stdout=log, stderr=log, start_new_session=True)
        log.close()

        def listening():
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return True
            except OSError:
                return self.proc.poll() is not None
        wait_until(listening, 15, f"xapian-tcpsrv on {self.port}")
        check(self.proc.poll() is None, f"xapian-tcpsrv on {self.port} exited")
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def test_remote_shard_down_waits(tmp):
    n = 2000
    remotes = [Writable(tmp, 0).start(), Writable(tmp, 1).start()]
    server = OAIServer(tmp, "--generate", str(n), "--page-size", "100", "--slow-ms", "100")
    expected = {"gen:" + oid for oid, r in corpus_truth(n).items() if not r["deleted"]}
    block = "index:\n  shards:\n" + "".join(f"    - remote: {r.url}\n" for r in remotes)
    d = Daemon(tmp, [{"name": "gen", "type": "oai-pmh", "url": server.url, "interval": "1h", "delay": 0}],
               extra=block)
    try:
        d.start()
        wait_until(lambda: d.call({"op": "status"})["records"] >= 300, 120, "300 records indexed")
        remotes[1].stop()
        down = wait_until(lambda: (lambda st: st if st["shards"][1]["state"] == "down" else None)(
            d.call({"op": "status"})), 30, "shard 1 shown down")
        sh = down["shards"][1]
        check(sh["name"] == remotes[1].url and sh["last_error"] and sh["down_since"], sh)
        check(down["shards"][0]["state"] == "up", down["shards"])
        m = d.call({"op": "metrics"})["text"]
        check(f'fairdex_shard_up{{shard="{remotes[1].url}"}} 0' in m, m[-1000:])
        time.sleep(4)
        src = d.source("gen")
        check(src["state"] == "running" and src["last_error"] is None, f"the harvest did not wait: {src}")
        stuck = d.call({"op": "status"})["records"]
        remotes[1].start()
        back = time.monotonic()
        wait_until(lambda: d.call({"op": "status"})["shards"][1]["state"] == "up", 30, "shard 1 up again")
        check(time.monotonic() - back < 10, f"shard 1 shown up {time.monotonic() - back:.1f} s after its return")
        s = d.wait_harvested("gen", 240)
        check(s["state"] == "ok", f"harvest after the shard's return: {s}")
        st = d.call({"op": "status"})
        check(st["records"] == len(expected) > stuck, (st["records"], len(expected), stuck))
        log = d.read_log()
        check(log.count(f"shard '{remotes[1].url}': not answering") == 1, log[-3000:])
        check(log.count(f"shard '{remotes[1].url}': answering again") == 1, log[-3000:])
        check("index unusable" not in log, log[-3000:])
    finally:
        d.stop()
        for r in remotes:
            r.stop()
        server.stop()
    shards = read_shards([r.dir for r in remotes])
    check_routed(shards, expected)
    check("checkpoint:gen" in shards[0]["meta"] and "checkpoint:gen" not in shards[1]["meta"],
          (sorted(shards[0]["meta"]), sorted(shards[1]["meta"])))
