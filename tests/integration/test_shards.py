"""Sharded indexes (issue 18) against a real daemon and real Xapian servers.

- comparison: one corpus (the sample, issue 16's linked fixtures, DOIs
  shared across two sources, a generated repository) harvested into two and
  three shards served by `xapian-tcpsrv --writable` on 127.0.0.1 (searched
  through read-only `xapian-tcpsrv` on the same databases), into two local
  shard directories, and into one database; every example of
  docs/protocol.md that reads the index is asked of each, with every facet,
  under every sort and order, and walked by `next_cursor` to the end: the
  answers are the single database's (but for the opaque cursor and what
  docs/protocol.md documents as differing, "Sharded indexes").
- shard down: a shard's servers are killed in the middle of a harvest and a
  stream of searches, which answer `"partial":true` naming it; once it is
  back the harvest ends with the index equal to the source (each record id
  in exactly one shard, once; deletions applied).
- replica: a query-only daemon (`index: {readonly: true}`) on replicas kept
  by xapian-replicate from a xapian-replicate-server sees a new harvest
  within one replication interval (plus the 2 s in which a readonly
  daemon looks at its shards, docs/configuration.md).

The Xapian servers come from Debian's xapian-tools, and the shards are read
with python3-xapian (test_shard_writer.read_shards); without them the tests
are skipped, saying so."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request

from harness import (ROOT, Daemon, OAIServer, Skip, check, free_port, get_many, harvest_again, wait_until)
from test_protocol import LINKED, SAMPLE, doc_examples, static_repo
from test_shard_writer import read_shards

# Everything a facet can be asked for (docs/protocol.md, `search`).
FACETS = ["source", "type", "license", "access", "lang", "year", "fair", "subject", "affiliation", "funder",
          "discipline"]
SORTS = [("relevance", "desc"), ("date", "desc"), ("date", "asc"), ("fair", "desc"), ("fair", "asc")]
# The ops of docs/protocol.md's examples that read the index.
READ_OPS = ("search", "get", "similar", "related", "suggest", "export", "fair", "dump")
# Members of an answer that may differ between two daemons holding the same
# records: the cursor is opaque and holds a docid (docs/protocol.md).
OPAQUE = ("tag", "next_cursor")
# Times of what the daemon did (a dump line's provenance "changed", a FAIR
# history entry's "time"): two daemons harvest in different seconds.
DAEMON_TIMES = ("changed", "time")


def tool(name):
    path = shutil.which(name)
    if not path:
        raise Skip(f"'{name}' is not installed (Debian's xapian-tools; scripts/setup installs it)")
    return path


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


class TcpShard:
    """One shard on Xapian's remote backend: a `xapian-tcpsrv --writable`
    (the daemon's writer; it creates the database) and a read-only
    `xapian-tcpsrv` on the same directory (the daemon's searches: the
    writable server serves one connection at a time).  Each server is the
    leader of its own process group, so that stop() also ends the children
    the read-only server forks per connection: a stopped shard answers
    nobody."""

    def __init__(self, tmp, i):
        self.tmp, self.i = tmp, i
        self.dir = os.path.join(tmp, f"tcpshard{i}")
        self.wport, self.rport = free_port(), free_port()
        self.remote = f"tcp://127.0.0.1:{self.wport}"
        self.search = f"tcp://127.0.0.1:{self.rport}"
        self.procs = []

    def _spawn(self, args, port):
        log = open(os.path.join(self.tmp, f"tcpsrv{self.i}.log"), "a")
        p = subprocess.Popen([tool("xapian-tcpsrv"), "--quiet", "--interface", "127.0.0.1", "--port", str(port), *args,
                              self.dir], stdout=log, stderr=log, start_new_session=True)
        log.close()
        self.procs.append(p)
        wait_until(lambda: port_open(port) or p.poll() is not None, 15, f"xapian-tcpsrv on port {port}")
        check(p.poll() is None, f"xapian-tcpsrv on port {port} exited ({p.returncode})")

    def start(self):
        self._spawn(["--writable"], self.wport)
        self._spawn([], self.rport)  # the database exists now
        return self

    def stop(self):
        for p in self.procs:
            try:  # the group: the server and the children it forked per connection
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        self.procs = []

    def config(self):
        return f"    - remote: {self.remote}\n      search: {self.search}\n"


def index_config(shards, readonly=False):
    """The `index:` map of docs/configuration.md for shards (TcpShard or a
    directory path)."""
    out = "index:\n"
    if readonly:
        out += "  readonly: true\n"
    out += "  shards:\n"
    for s in shards:
        out += s.config() if isinstance(s, TcpShard) else f"    - path: {s}\n"
    return out


def shard_dir(s):
    return s.dir if isinstance(s, TcpShard) else s


def where_ids(shards):
    """id -> [shard index, ...] over the shards' databases, and each shard's
    document count; fails on an id term held by two documents of a shard."""
    where, docs = {}, []
    for i, sh in enumerate(read_shards([shard_dir(s) for s in shards])):
        for rid, freq in sh["ids"].items():
            check(freq == 1, f"shard {i}: id {rid} is held by {freq} documents")
            where.setdefault(rid, []).append(i)
        docs.append(sh["docs"])
    return where, docs


def first_difference(a, b, where="answer"):
    """Where two JSON values first differ (a path and both values), or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}.{k}: only in {'the sharded' if k in a else 'the single'} answer"
            d = first_difference(a[k], b[k], f"{where}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{where}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{where}: {len(a)} elements, single {len(b)}"
        return None
    if a != b or type(a) is not type(b):
        return f"{where}: {json.dumps(a)[:200]}, single {json.dumps(b)[:200]}"
    return None


def comparable(ans):
    """An answer without its opaque members and the daemon's own times; an
    error by its code alone (its message names the index's location)."""
    if not ans.get("ok", True):
        return {"ok": False, "code": ans["error"]["code"]}

    def untimed(v):
        if isinstance(v, dict):
            return {k: "(a time)" if k in DAEMON_TIMES and isinstance(x, str) else untimed(x) for k, x in v.items()}
        return [untimed(x) for x in v] if isinstance(v, list) else v
    out = untimed({k: v for k, v in ans.items() if k not in OPAQUE})
    if isinstance(out.get("next"), str) and "\x1f" in out["next"]:
        # dump's "next" is the last line's (changed, id): a daemon's time too
        out["next"] = "(a time)\x1f" + out["next"].split("\x1f", 1)[1]
    return out


def works(pages):
    """The works of a "collapse":"version" answer: each hit's id with its versions."""
    return [frozenset([h["id"], *h.get("versions", [])]) for p in pages if p.get("ok") for h in p["hits"]]


def by_relevance(req):
    """Whether the answer's hits are in relevance order."""
    return req["op"] == "similar" or (req["op"] == "search" and req.get("sort", "relevance") == "relevance")


def tie_runs(req, pages):
    """The hits of a relevance answer (every page of a walk) as runs of
    equal score, each a sorted list of its hits; records of equal weight
    come in index order, which differs between one database and shards
    (docs/protocol.md, What differs), and of an object whose DOI several
    records share the one shown may differ on a tie, so such a hit is its
    DOI and sources.  A first run cut by an offset, and a last run cut by
    the end of a page that is not the walk's last, are their length only."""
    hits = [h for p in pages if p.get("ok") for h in p.get("hits", [])]
    runs, i = [], 0
    while i < len(hits):
        j = i
        while j < len(hits) and hits[j]["score"] == hits[i]["score"]:
            j += 1
        cut = (i == 0 and req.get("offset")) or (j == len(hits) and "next_cursor" not in pages[-1] and
                                                  len(pages[-1].get("hits", [])) >= req.get("limit", 10))
        keys = [json.dumps(["doi", h["doi"], h["sources"]] if len(h.get("sources", [])) > 1 else h, sort_keys=True)
                for h in hits[i:j]]
        runs.append((hits[i]["score"], j - i) if cut else (hits[i]["score"], sorted(keys)))
        i = j
    return runs


def compare(req, mine, theirs, remote, where):
    """How the sharded answer (pages) differs from the single database's
    beyond what docs/protocol.md ("Sharded indexes", What differs) says may
    differ, or None.  Documented, and asserted exactly:
    - over remote shards, `sort` `near` and the `bbox` filter are `invalid`;
    - relevance ties come in index order: hits are compared as runs of
      equal score (tie_runs), each as a set;
    - a total beyond 100 that one side estimates (`"total_exact":false`)
      may differ, and whether it is exact;
    - `"collapse":"version"` may split a work whose records lie on several
      shards: each work of the sharded answer lies within one work of the
      single database, every work of the single database that lies in one
      shard is a work of the sharded answer, and both cover the same
      records; the answers are equal where the works are;
    - over remote shards an answer has no `did_you_mean` (Xapian 1.4's
      remote protocol has no spelling table), and nothing else differs."""
    if remote and (req.get("sort") == "near" or "bbox" in req.get("filters", {})):
        ok = len(mine) == 1 and comparable(mine[0]) == {"ok": False, "code": "invalid"} and theirs[0]["ok"]
        return None if ok else f"documented `invalid` over remote shards, got {json.dumps(mine[0])[:300]}"
    versions = req.get("collapse") == "version"
    mw, tw = (works(mine), works(theirs)) if versions else ([], [])
    if versions and mw != tw and any(len({where[i][0] for i in w}) > 1 for w in tw):
        if set().union(*mw) != set().union(*tw):
            return f"works cover other records: {sorted(set().union(*mw) ^ set().union(*tw))[:5]}"
        for w in mw:
            if not any(w <= t for t in tw):
                return (f"work {sorted(w)} (shards {[where[i][0] for i in sorted(w)]}) joins works of the single "
                        f"database ({[sorted(t) for t in tw if t & w]})")
        lost = [sorted(t) for t in tw if len({where[i][0] for i in t}) == 1 and t not in mw]
        return f"works of one shard split or lost: {lost[:3]}" if lost else None
    if by_relevance(req):
        a, b = tie_runs(req, mine), tie_runs(req, theirs)
        if a != b:
            return f"relevance hits, as runs of equal score: {first_difference(a, b, 'runs')}"
        mine = [{**p, "hits": len(p["hits"])} if "hits" in p else p for p in mine]
        theirs = [{**p, "hits": len(p["hits"])} if "hits" in p else p for p in theirs]
    mine, theirs = [comparable(p) for p in mine], [comparable(p) for p in theirs]
    if remote:
        for t in theirs:
            t.pop("did_you_mean", None)
    for m, t in zip(mine, theirs):
        if m.get("total_exact") is False or t.get("total_exact") is False:
            for x in (m, t):
                x.pop("total", None)
                x.pop("total_exact", None)
    return first_difference(mine, theirs)


def walk(client, req, max_pages=200):
    """Every page of a search, following next_cursor to the last page."""
    req, pages = dict(req), []
    while True:
        a = client.call(req)
        pages.append(a)
        if not a.get("ok") or "next_cursor" not in a:
            return pages
        check(len(pages) < max_pages, f"{json.dumps(req)}: more than {max_pages} pages")
        req["cursor"] = a["next_cursor"]
        req.pop("offset", None)


def requests():
    """The requests compared: docs/protocol.md's examples that read the
    index, and each search example again with every facet, and under every
    sort and order, walked by cursor (50 hits a page)."""
    out = []
    for req, ans in doc_examples():
        if req["op"] not in READ_OPS:
            continue
        out.append(("one", req))
        if req["op"] != "search" or (ans and not ans["ok"]):
            continue
        base = {k: v for k, v in req.items() if k not in ("tag", "offset", "limit", "facet_limit")}
        out.append(("walk", {**base, "limit": 50, "facets": FACETS, "facet_limit": 1000}))
        for sort, order in SORTS:
            if (sort, order) != (req.get("sort", "relevance"), req.get("order", "desc")):
                out.append(("walk", {**{k: v for k, v in base.items() if k != "near"}, "sort": sort, "order": order,
                                     "limit": 50}))
        if "collapse" not in req:
            out.append(("walk", {**base, "collapse": "version", "limit": 50}))
    # DOI collapse across shards: the objects of the shared DOIs, walked one hit a page
    out.append(("walk", {"op": "search", "q": "permafrost", "limit": 1, "facets": ["source"]}))
    out.append(("walk", {"op": "search", "q": "", "filters": {"source": ["zenodo", "portal"]}, "sort": "date",
                         "limit": 3, "facets": ["source", "year"]}))
    return out


def answers(daemon, reqs):
    c = daemon.client()
    c.sock.settimeout(60)
    try:
        return [(req, [c.call(req)] if kind == "one" else walk(c, req)) for kind, req in reqs]
    finally:
        c.close()


def shared_doi_sources(tmp):
    """Two static repositories whose records share eight DOIs (spelled
    differently), so that records of one object land on different shards.
    The second's identifiers grow by a letter each: FNV-1a's lowest bits
    (the hash route modulo 2 or 4) depend only on the lowest bits of the
    bytes, so ids alike but for the same digit would share a shard."""
    a, b = os.path.join(tmp, "zenodo.xml"), os.path.join(tmp, "portal.xml")
    static_repo(a, "zenodo.example.org", [(f"z{i}", f"Permafrost borehole temperatures, site {i}",
                                           f"https://doi.org/10.5281/ZENODO.{4240 + i}") for i in range(8)])
    static_repo(b, "portal.example.eu", [(f"p{i}" + "q" * i, f"Permafrost borehole temperatures, site {i} (national copy)",
                                          f"doi:10.5281/zenodo.{4240 + i}") for i in range(8)])
    # The national copies a year older: "collapse":"version" shows an
    # object's newest record, between equal years the later written, which
    # would depend on when each daemon harvested each source.
    with open(b, encoding="utf-8") as f:
        body = f.read()
    with open(b, "w", encoding="utf-8") as f:
        f.write(body.replace("<dc:date>2021</dc:date>", "<dc:date>2020</dc:date>"))
    return [{"name": "zenodo", "type": "oai-pmh", "url": "file://" + a},
            {"name": "portal", "type": "oai-pmh", "url": "file://" + b}]


def harvested(daemon, sources, timeout=180):
    for s in sources:
        st = daemon.wait_harvested(s["name"], timeout)
        check(st["state"] == "ok", f"harvest of {s['name']} failed: {st}")


def test_shards_answer_as_one_database(tmp):
    """2 and 3 remote shards, 2 local shards: every read example of
    docs/protocol.md answers as the single database does, or differs as
    docs/protocol.md documents (compare())."""
    tool("xapian-tcpsrv")
    gen = OAIServer(tmp, "--generate", "400", "--page-size", "50")
    sources = [{"name": "sample", "type": "oai-pmh", "url": "file://" + SAMPLE}, *LINKED,
               *shared_doi_sources(tmp), {"name": "gen", "type": "oai-pmh", "url": gen.url, "delay": 0}]
    layouts = {"2 remote shards": [TcpShard(tmp, i) for i in range(2)],
               "3 remote shards": [TcpShard(tmp, i) for i in range(2, 5)],
               "2 local shards": [os.path.join(tmp, "local", f"shard{i}") for i in range(2)]}
    daemons = {}
    try:
        for shards in layouts.values():
            for s in shards:
                if isinstance(s, TcpShard):
                    s.start()
        for name, shards in [("single", None), *layouts.items()]:
            os.makedirs(os.path.join(tmp, name.replace(" ", "-")))
            daemons[name] = Daemon(os.path.join(tmp, name.replace(" ", "-")), sources,
                                   extra=index_config(shards) if shards else "")
        for d in daemons.values():
            d.start()
        for d in daemons.values():
            harvested(d, sources)
        reqs, failures = requests(), []
        ref = answers(daemons["single"], reqs)
        # the variants made of the examples are valid requests
        bad = [(req, p[0]) for (kind, req), (_, p) in zip(reqs, ref) if kind == "walk" and not p[0]["ok"]]
        check(not bad, f"the single database refused {bad[:1]}")
        n_records = daemons["single"].call({"op": "status"})["records"]
        check(n_records > 650, f"the single database holds {n_records} records")
        for name, shards in layouts.items():
            d = daemons[name]
            # the records are spread: each shard holds some, no record twice
            where, docs = where_ids(shards)
            check(all(len(v) == 1 for v in where.values()),
                  f"{name}: ids on several shards: {[k for k, v in where.items() if len(v) > 1][:5]}")
            check(len(where) == n_records and all(n > n_records // (3 * len(shards)) for n in docs),
                  f"{name}: {len(where)} ids, documents per shard {docs}, single {n_records}")
            # some object's records are on different shards (DOI collapse across shards is exercised)
            split = [i for i in range(8) if where[f"zenodo:oai:zenodo.example.org:z{i}"] !=
                     where[f"portal:oai:portal.example.eu:p{i}" + "q" * i]]
            check(split, f"{name}: every shared DOI has its records on one shard")
            got = answers(d, reqs)
            # relevance ties come in index order: the same on every request to one layout
            ones = [i for i, (kind, req) in enumerate(reqs) if kind == "one" and by_relevance(req)]
            again = answers(d, [reqs[i] for i in ones])
            unstable = [reqs[i][1] for i, (_, p) in zip(ones, again) if p != got[i][1]]
            check(ones and not unstable, f"{name}: relevance answers differ between two asks: {unstable[:2]}")
            diffs, pages = [], 0
            for (req, mine), (_, theirs) in zip(got, ref):
                diff = compare(req, mine, theirs, isinstance(shards[0], TcpShard), where)
                if diff:
                    diffs.append(f"{json.dumps(req)}: {diff} (first pages: {json.dumps(mine[0])[:300]}, "
                                 f"single {json.dumps(theirs[0])[:300]})")
                pages += len(mine)
            check(all(not p.get("partial") for _, ps in got for p in ps), f"{name}: a partial answer")
            print(f"       {name}: {len(reqs) - len(diffs)} of {len(reqs)} requests ({pages} pages) answered as "
                  f"the single database (documents per shard {docs}; {len(split)} of 8 shared DOIs split)")
            failures += [f"{name}: {x}" for x in diffs[:3]]
        check(not failures, "answers differ:\n" + "\n".join(failures))
    finally:
        for d in daemons.values():
            d.stop()
        for shards in layouts.values():
            for s in shards:
                if isinstance(s, TcpShard):
                    s.stop()
        gen.stop()


def pair_slots(shard_dirs):
    """How many documents of the shards have the facet pairs (value slot
    31, SLOT_PAIR_SOURCE_TYPE), and how many have not, by xapian-delve."""
    have = total = 0
    for d in shard_dirs:
        out = subprocess.run([tool("xapian-delve"), "-V31", d], capture_output=True, text=True, check=True).stdout
        have += len(re.findall(r" \d+:", out))  # " <docid>:<value>" on one line
        info = subprocess.run([tool("xapian-delve"), d], capture_output=True, text=True, check=True).stdout
        total += int(re.search(r"number of documents = (\d+)", info).group(1))
    return have, total - have


def test_facets_over_remote_shards_without_pairs(tmp):
    """Over remote shards four facets are counted by two built-in spies over
    the facet pairs (SLOT_PAIR_*); an index written partly before the pairs
    (FD_TEST_NO_FACET_PAIRS) is counted with a spy per facet instead, and
    answers as the single database does."""
    tool("xapian-tcpsrv")
    older = [{"name": "sample", "type": "oai-pmh", "url": "file://" + SAMPLE}]
    newer = [*older, *LINKED]
    shards = [TcpShard(tmp, i) for i in range(2)]
    daemons = []
    try:
        for s in shards:
            s.start()
        wdir, sdir = os.path.join(tmp, "remote"), os.path.join(tmp, "single")
        os.makedirs(wdir)
        os.makedirs(sdir)
        old = Daemon(wdir, older, extra=index_config(shards))
        daemons.append(old)
        old.start(env={"FD_TEST_NO_FACET_PAIRS": "1"})
        harvested(old, older)
        old.stop()
        d = Daemon(wdir, newer, extra=index_config(shards))
        single = Daemon(sdir, newer)
        daemons += [d, single]
        d.start()
        single.start()
        harvested(d, LINKED)  # sample, harvested above, is not due again
        harvested(single, newer)
        have, lack = pair_slots([s.dir for s in shards])
        check(have > 0 and lack >= 250, f"{have} documents with the facet pairs, {lack} without")
        reqs = [(kind, req) for kind, req in requests() if req.get("facets")]
        where, _ = where_ids(shards)
        ref, got = answers(single, reqs), answers(d, reqs)
        diffs = [f"{json.dumps(req)}: {diff}" for (req, mine), (_, theirs) in zip(got, ref)
                 if (diff := compare(req, mine, theirs, True, where))]
        check(len(reqs) > 10 and not diffs, f"{len(diffs)} of {len(reqs)} faceted requests differ: {diffs[:2]}")
        print(f"       {len(reqs)} faceted requests answered as the single database; documents with pairs {have}, "
              f"without {lack}")
    finally:
        for x in daemons:
            x.stop()
        for s in shards:
            s.stop()


# ---- a shard that does not answer ----------------------------------------

def oai_truth(url, prefix="oai_dc"):
    """What the repository lists now: (live identifiers, deleted identifiers)."""
    live, deleted = set(), set()
    q = f"verb=ListIdentifiers&metadataPrefix={prefix}"
    while True:
        with urllib.request.urlopen(f"{url}?{q}", timeout=60) as r:
            body = r.read().decode()
        for head in re.findall(r"<header([^>]*)>(.*?)</header>", body, re.S):
            ident = re.search(r"<identifier>([^<]+)</identifier>", head[1]).group(1)
            (deleted if 'status="deleted"' in head[0] else live).add(ident)
        m = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
        if not m:
            return live, deleted
        q = "verb=ListIdentifiers&resumptionToken=" + urllib.parse.quote(m.group(1), safe="")


class SearchStream(threading.Thread):
    """Searches one after another on fresh connections until stopped:
    (time sent, time answered, answer or the exception's text)."""

    def __init__(self, daemon):
        super().__init__(daemon=True)
        self.d, self.log, self.halt = daemon, [], threading.Event()

    def run(self):
        while not self.halt.is_set():
            t0 = time.monotonic()
            try:
                a = self.d.call({"op": "search", "q": "", "facets": ["type", "year"], "limit": 5})
            except Exception as e:  # noqa: BLE001 - recorded and judged by the test
                a = repr(e)
            self.log.append((t0, time.monotonic(), a))
            time.sleep(0.05)

    def stop(self):
        self.halt.set()
        self.join(30)


def check_index_equals_source(name, daemon, shards, source, url):
    live, deleted = oai_truth(url)
    want = {f"{source}:{i}" for i in live}
    where, docs = where_ids(shards)
    twice = [k for k, v in where.items() if len(v) > 1]
    check(not twice, f"{name}: ids on two shards: {twice[:5]}")
    have = {k for k in where if k.startswith(source + ":")}
    check(have == want, f"{name}: {len(want - have)} records lost (e.g. {sorted(want - have)[:3]}), "
          f"{len(have - want)} too many (e.g. {sorted(have - want)[:3]})")
    check(sum(docs) == len(where), f"{name}: {sum(docs)} documents for {len(where)} ids")
    got = get_many(daemon, sorted(want) + sorted(f"{source}:{i}" for i in deleted))
    check(all(got[k] for k in want), f"{name}: get misses {[k for k in want if not got[k]][:3]}")
    check(not any(got[f"{source}:{i}"] for i in deleted), f"{name}: a deleted record is still found")
    return len(want), len(deleted)


def test_shard_down_during_harvest(tmp):
    """A shard's servers die in the middle of a harvest: searches answer
    partial, naming it; the harvest waits, resumes when it is back, and the
    index ends equal to the source."""
    shards = [TcpShard(tmp, 0).start(), TcpShard(tmp, 1).start()]
    srv = OAIServer(tmp, "--generate", "1200", "--page-size", "50", "--slow-ms", "100", "--admin")
    d = Daemon(tmp, [{"name": "gen", "type": "oai-pmh", "url": srv.url, "delay": 0}], extra=index_config(shards))
    stream = None
    try:
        d.start()
        stream = SearchStream(d)
        stream.start()
        wait_until(lambda: d.call({"op": "status"})["records"] >= 250, 120, "250 records indexed")
        check(d.source("gen")["state"] == "running", f"the harvest ended too early: {d.source('gen')}")
        shards[1].stop()
        down = time.monotonic()
        time.sleep(6)  # searches and the harvest run without shard 1
        st = d.source("gen")
        check(st["state"] == "running", f"the harvest did not wait for the shard: {st}")
        states = [(x["name"], x["state"]) for x in d.call({"op": "status"})["shards"]]
        check(states == [(shards[0].remote, "up"), (shards[1].remote, "down")], f"status shows {states}")
        up = time.monotonic()
        shards[1].start()
        t_back = time.monotonic()
        st = d.wait_harvested("gen", 180)
        check(st["state"] == "ok", f"harvest after the shard's return: {st}")
        # searches: whole before, partial naming shard 1 while it was down, whole again after
        wait_until(lambda: any(t0 > t_back and isinstance(a, dict) and a.get("ok") and not a.get("partial")
                               for t0, _, a in stream.log), 30, "a whole answer after the shard's return")
        stream.stop()
        during = [a for t0, t1, a in stream.log if t0 > down + 0.5 and t1 < up]
        check(len(during) >= 5, f"only {len(during)} searches while shard 1 was down")
        for a in during:
            check(isinstance(a, dict) and a.get("ok") and a.get("partial") is True
                  and a.get("missing_shards") == [shards[1].remote],
                  f"a search while {shards[1].remote} was down answered {str(a)[:400]}")
        before = [a for t0, t1, a in stream.log if t1 < down]
        check(before and all(isinstance(a, dict) and a["ok"] and not a.get("partial") for a in before),
              f"searches before the outage: {[a for a in before if not (isinstance(a, dict) and a['ok'])][:2]}")
        n, gone = check_index_equals_source("after the outage", d, shards, "gen", srv.url)
        # then the source changes (deletions among them) and a second harvest applies it
        srv.admin("/admin/mutate?modify=30&delete=30&add=30")
        check(harvest_again(d, "gen")["state"] == "ok", "second harvest")
        n2, gone2 = check_index_equals_source("after the changes", d, shards, "gen", srv.url)
        check(gone2 >= gone + 20, f"deleted {gone} then {gone2}")
        partial = sum(1 for _, _, a in stream.log if isinstance(a, dict) and a.get("partial"))
        print(f"       {len(stream.log)} searches, {partial} partial; index = source: {n} records "
              f"({gone} deleted), then {n2} ({gone2} deleted)")
    finally:
        if stream:
            stream.stop()
        d.stop()
        for s in shards:
            s.stop()
        srv.stop()


# ---- read replicas --------------------------------------------------------

REPLICATE_INTERVAL = 3
# A readonly daemon looks at its shards every 2 s (docs/configuration.md, Read replicas).
READER_LOOK = 2


def test_replica_sees_new_harvest(tmp):
    """Two local shards replicated by xapian-replicate (every
    REPLICATE_INTERVAL s) from a xapian-replicate-server; a daemon with
    `index: {readonly: true}` on the replicas answers the new records within
    one interval of the writer's commit (plus the 2 s in which it looks at its
    shards, and the copy), and never harvests."""
    tool("xapian-replicate")
    tool("xapian-replicate-server")
    master = os.path.join(tmp, "master")
    replicas = os.path.join(tmp, "replicas")
    os.makedirs(replicas)
    wshards = [os.path.join(master, f"shard{i}") for i in range(2)]
    rshards = [os.path.join(replicas, f"shard{i}") for i in range(2)]
    srv = OAIServer(tmp, "--generate", "300", "--page-size", "100", "--admin")
    src = [{"name": "gen", "type": "oai-pmh", "url": srv.url, "delay": 0}]
    for d in ("writer", "reader"):
        os.makedirs(os.path.join(tmp, d))
    writer = Daemon(os.path.join(tmp, "writer"), src, extra=index_config(wshards))
    reader = Daemon(os.path.join(tmp, "reader"), src, extra=index_config(rshards, readonly=True))
    procs = []
    try:
        # changesets make replication incremental (Xapian reads the variable when the writer opens)
        writer.start(env={"XAPIAN_MAX_CHANGESETS": "100"})
        harvested(writer, src)
        port = free_port()
        log = open(os.path.join(tmp, "replicate.log"), "a")
        # each in a process group of its own: xapian-replicate-server signals its group when it stops
        procs.append(subprocess.Popen([tool("xapian-replicate-server"), "-I", "127.0.0.1", "-p", str(port), master],
                                      stdout=log, stderr=log, start_new_session=True))
        wait_until(lambda: port_open(port), 15, "xapian-replicate-server")
        for i in range(2):
            procs.append(subprocess.Popen([tool("xapian-replicate"), "-h", "127.0.0.1", "-p", str(port),
                                           "-m", f"shard{i}", "-i", str(REPLICATE_INTERVAL), "-r", "0", rshards[i]],
                                          stdout=log, stderr=log, start_new_session=True))
        log.close()
        wait_until(lambda: all(os.path.exists(r) and os.listdir(r) for r in rshards), 30, "the first copies")
        everything = {"op": "search", "q": "", "facets": ["source"]}
        n0 = writer.call(everything)["total"]
        reader.start()

        def seen(rid=None):
            a = reader.call({"op": "search", "q": f"id:{rid}", "facets": ["source"]} if rid else everything)
            return a if a["ok"] and (a["total"] == 1 if rid else a["total"] == n0) else None
        wait_until(seen, 30, f"the replica with {n0} objects")
        r = reader.call({"op": "harvest", "source": "gen"})
        check(not r["ok"] and r["error"]["code"] == "unsupported", f"the readonly daemon accepted a harvest: {r}")
        # a new harvest on the writer
        changed = srv.admin("/admin/mutate?add=25")
        live, _ = oai_truth(srv.url)
        new = [f"gen:{x}" for x in changed.get("added", []) if x in live]  # some are born deleted
        check(len(new) >= 15, f"mutate answered {changed}")
        harvest_again(writer, "gen")
        t_commit = time.monotonic()
        check(all(get_many(writer, new).values()), "the writer misses new records")
        wait_until(lambda: seen(new[-1]), REPLICATE_INTERVAL + 15, "a new record on the replica")
        lag = time.monotonic() - t_commit
        check(lag <= REPLICATE_INTERVAL + READER_LOOK + 1.0, f"the replica answered the new harvest after "
              f"{lag:.1f} s (replication every {REPLICATE_INTERVAL} s, readers every {READER_LOOK} s)")
        check(all(get_many(reader, new).values()), "the replica misses new records")
        runs = [x for x in reader.call({"op": "status"}).get("sources", []) if x.get("last_start")]
        check(not runs, f"the readonly daemon harvested: {runs}")
        print(f"       the replica answered the new records {lag:.1f} s after the harvest "
              f"(interval {REPLICATE_INTERVAL} s)")
    finally:
        reader.stop()
        writer.stop()
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
            p.wait(10)
        srv.stop()
