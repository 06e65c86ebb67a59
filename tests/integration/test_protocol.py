"""The query protocol against a real daemon (issue 5's acceptance tests):
every example of docs/protocol.md replayed, one hit per object across two
sources, 5,000 fuzzed request lines on one socket, 16 concurrent clients,
pipelining with tags, and the admin check."""
import json
import os
import random
import re
import socket
import threading
import time

from harness import ROOT, Client, Daemon, check, check_response, rss_kib, run_cli
import gen_corpus  # noqa: E402  (harness put tests/tools on the path)

SAMPLE = os.path.join(ROOT, "data", "sample", "repository.xml")
DOC = os.path.join(ROOT, "docs", "protocol.md")


def sample_daemon(tmp, extra_sources=()):
    d = Daemon(tmp, [{"name": "sample", "type": "oai-pmh", "url": "file://" + SAMPLE}, *extra_sources])
    d.start()
    for s in [{"name": "sample"}, *extra_sources]:
        st = d.wait_harvested(s["name"])
        check(st["state"] == "ok", f"harvest of {s['name']} failed: {st}")
    return d


# ---- docs/protocol.md, replayed ------------------------------------------

def doc_examples():
    """(request, answer or None) for every json block holding an "op"; the
    answer is the next json block holding "ok" before the next request."""
    text = open(DOC, encoding="utf-8").read()
    blocks = []
    for b in re.findall(r"```json\n(.*?)\n```", text, re.S):
        try:
            blocks.append(json.loads(b))
        except ValueError:
            # an answer abridged with "…" is illustrative; a request must parse
            check('"ok"' in b or '"op"' not in b, f"docs/protocol.md: example request is not JSON: {b[:200]}")
            blocks.append(None)
    pairs = []
    for b in blocks:
        if b is None and pairs and pairs[-1][1] is None:
            pairs[-1][1] = {}  # abridged answer: the request is still replayed
        elif isinstance(b, dict) and "op" in b and "ok" not in b:
            pairs.append([b, None])
        elif isinstance(b, dict) and "ok" in b and pairs and pairs[-1][1] is None:
            pairs[-1][1] = b
    return pairs


def same_shape(doc, got, where):
    """Every member of the documented answer is in the real one, with the
    same JSON type; lists are compared by their first element."""
    if isinstance(doc, dict):
        check(isinstance(got, dict), f"{where}: expected an object, got {got!r}"[:300])
        for k, v in doc.items():
            check(k in got, f"{where}: member '{k}' missing in {json.dumps(got)[:300]}")
            same_shape(v, got[k], f"{where}.{k}")
    elif isinstance(doc, list):
        check(isinstance(got, list), f"{where}: expected a list, got {got!r}"[:300])
        if doc:
            check(got, f"{where}: documented non-empty, got []")
            same_shape(doc[0], got[0], f"{where}[0]")
    elif doc is None:
        pass  # null in an example: "may be null"
    elif isinstance(doc, bool):
        check(isinstance(got, bool), f"{where}: expected a boolean, got {got!r}")
    elif isinstance(doc, (int, float)):
        check(isinstance(got, (int, float)) and not isinstance(got, bool), f"{where}: expected a number, got {got!r}")
    else:
        check(isinstance(got, str) or got is None, f"{where}: expected a string, got {got!r}")


LINKED = [{"name": n, "type": "oai-pmh", "url": "file://" + os.path.join(ROOT, "tests", "fixtures", "linked", n + ".xml")}
          for n in ("alpha", "beta")]


# Requests of issue 16's features: their documented answers are replayed exactly.
NEW_IN_16 = ("bbox", "during", '"version"', "affiliation", "orcid:", "related:", "ror:", "funder", "award:",
             '"near"', "discipline:")


def test_docs_examples(tmp):
    from test_linked import re3data_registry
    pairs = doc_examples()
    ops = {req["op"] for req, _ in pairs}
    for op in ("search", "get", "similar", "related", "suggest", "export", "sources", "harvest", "reload"):
        check(op in ops, f"docs/protocol.md has no example request for '{op}'")
    # the sample, the DataCite corpus of issue 16 for the examples of links, places and times, and a
    # re3data description of the sample (its OAI-PMH API the sample's URL)
    registry = re3data_registry(tmp, {"re3data_schema22_official_example_inline_comments.xml": "file://" + SAMPLE})
    d = sample_daemon(tmp, LINKED + [{"name": "registry", "type": "oai-pmh", "url": "file://" + registry,
                                      "metadata_prefix": "r3d"}])
    try:
        c = d.client()
        for req, ans in pairs:
            if req["op"] == "fair" and req.get("source") == "bees":
                continue  # the MQA of a DCAT source: test_dcat.test_fair_mqa_per_source replays it
            got = c.call(req)
            if not ans:
                continue
            where = json.dumps(req)
            check(got["ok"] == ans["ok"], f"{where}: ok is {got['ok']}, documented {ans['ok']}: {got}")
            if not ans["ok"]:
                check(got["error"]["code"] == ans["error"]["code"],
                      f"{where}: code {got['error']['code']}, documented {ans['error']['code']}")
                continue
            same_shape(ans, got, where)
            if "tag" in ans:
                check(got["tag"] == ans["tag"], f"{where}: tag {got.get('tag')!r}")
            if req["op"] == "search" and ans.get("hits") and "doi:" in req.get("q", ""):
                check(got["hits"][0]["id"] == ans["hits"][0]["id"], f"{where}: first hit {got['hits'][0]['id']}")
            if req["op"] == "get":
                check(got["record"]["id"] == req["id"], f"{where}: got {got['record'].get('id')}")
            if req["op"] == "related" or any(k in json.dumps(req) for k in NEW_IN_16):
                # the examples of issue 16 are replayed exactly (ids, links, counts, labels)
                # (but for the opaque cursor, which holds a docid: the sources are harvested in any order)
                check({k: v for k, v in got.items() if k not in ("tag", "next_cursor")} ==
                      {k: v for k, v in ans.items() if k not in ("tag", "next_cursor")},
                      f"{where}: got {json.dumps(got)}, documented {json.dumps(ans)}")
        c.close()
    finally:
        d.stop()


# ---- one hit per object --------------------------------------------------

def static_repo(path, repo_id, records):
    """An OAI-PMH Static Repository with oai_dc records (id, title, doi spelling)."""
    recs = []
    for ident, title, doi in records:
        recs.append(f"""  <oai:record>
    <oai:header><oai:identifier>oai:{repo_id}:{ident}</oai:identifier><oai:datestamp>2024-05-01</oai:datestamp></oai:header>
    <oai:metadata>
      <oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <dc:title>{title}</dc:title>
        <dc:creator>Lindqvist, Maja</dc:creator>
        <dc:identifier>{doi}</dc:identifier>
        <dc:type>Dataset</dc:type>
        <dc:date>2021</dc:date>
        <dc:language>en</dc:language>
      </oai_dc:dc>
    </oai:metadata>
  </oai:record>""")
    with open(path, "w", encoding="utf-8") as f:
        f.write(gen_corpus.static_repository(repo_id, repo_id, "oai_dc",
                                             "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                                             "http://www.openarchives.org/OAI/2.0/oai_dc/", "\n".join(recs)))


def test_same_doi_two_sources(tmp):
    a, b = os.path.join(tmp, "a.xml"), os.path.join(tmp, "b.xml")
    static_repo(a, "zenodo.example.org", [
        ("1", "Permafrost borehole temperatures in Abisko", "https://doi.org/10.5281/ZENODO.4242"),
        ("2", "Permafrost active layer thickness, Svalbard", "https://doi.org/10.5281/zenodo.5151"),
    ])
    static_repo(b, "portal.example.eu", [
        ("x", "Permafrost borehole temperatures in Abisko (national copy)", "doi:10.5281/zenodo.4242"),
        ("y", "Permafrost maps without any DOI", "https://portal.example.eu/ds/y"),
    ])
    d = Daemon(tmp, [{"name": "zenodo", "type": "oai-pmh", "url": "file://" + a},
                     {"name": "portal", "type": "oai-pmh", "url": "file://" + b}])
    try:
        d.start()
        for n in ("zenodo", "portal"):
            check(d.wait_harvested(n)["state"] == "ok", f"harvest of {n} failed")
        res = d.call({"op": "search", "q": "borehole abisko", "facets": ["source"]})
        check(res["ok"] and res["total"] == 1 and len(res["hits"]) == 1, f"expected one object: {res}")
        hit = res["hits"][0]
        check(hit["sources"] == ["portal", "zenodo"], f"sources {hit['sources']}")
        check(hit["doi"] == "10.5281/zenodo.4242", f"doi {hit.get('doi')}")
        counts = {f["value"]: f["count"] for f in res["facets"]["source"]}
        check(counts == {"portal": 1, "zenodo": 1}, f"source facet {counts}")
        # every spelling of the DOI finds the object
        for q in ("doi:10.5281/ZENODO.4242", "doi:https://doi.org/10.5281/zenodo.4242", "id:doi:10.5281/zenodo.4242"):
            r = d.call({"op": "search", "q": q})
            check(r["total"] == 1 and r["hits"][0]["sources"] == ["portal", "zenodo"], f"{q}: {r}")
        # all four records, three objects: records without a DOI stay apart
        r = d.call({"op": "search", "q": "permafrost"})
        check(r["total"] == 3 and len(r["hits"]) == 3 and r["total_exact"], f"permafrost: {r}")
        out = run_cli("search", "borehole", "abisko", socket_path=d.socket)
        check(out.returncode == 0 and "portal, zenodo" in out.stdout, f"fairdex search: {out.stdout}{out.stderr}")
        # a relevance walk by cursor, one hit a page: the object once, with both sources
        req, walked = {"op": "search", "q": "permafrost", "limit": 1}, []
        while True:
            r = d.call(req)
            check(r["ok"], f"permafrost by cursor: {r}")
            walked += [(h["id"], h["sources"]) for h in r["hits"]]
            if "next_cursor" not in r:
                break
            check(len(walked) < 10, f"permafrost: no end: {walked}")
            req["cursor"] = r["next_cursor"]
        ids = [i for i, _ in walked]
        check(len(ids) == 3 == len(set(ids)) and ["portal", "zenodo"] in [s for _, s in walked],
              f"permafrost by cursor: {walked}")
    finally:
        d.stop()


# ---- fuzz ----------------------------------------------------------------

VALID = [
    {"op": "search", "q": "glacier"}, {"op": "search", "q": "ice", "facets": ["source", "type", "year", "fair"]},
    {"op": "search", "filters": {"type": ["Dataset"], "year": {"from": 2015}}, "sort": "date"},
    {"op": "get", "id": "sample:oai:sample.fairdex.org:10061"}, {"op": "status"}, {"op": "sources"},
    {"op": "suggest", "q": "gla"}, {"op": "similar", "id": "sample:oai:sample.fairdex.org:10061"},
    {"op": "search", "q": "title:glacier year:2015..2024", "lang": "de", "snippets": True, "fields": ["creators"]},
]
WEIRD = [None, True, -1, 0, 2 ** 63, -2 ** 70, 1e308, "", "x" * 300, [], {}, [1, "a"], {"a": {"b": []}},
         "\u0000", "\ud7ff", "*", "a*", "\"", "AND", "year:..", "fair:x..y", "((((", "doi:", "id:"]
FIELDS = ["op", "q", "offset", "limit", "filters", "facets", "fields", "sort", "order", "lang", "snippets",
          "facet_limit", "id", "tag", "source"]


def fuzz_lines(rng, n):
    lines = []
    for i in range(n):
        kind = rng.randrange(9)
        base = dict(rng.choice(VALID))
        if kind == 0:      # valid
            line = json.dumps(base).encode()
        elif kind == 1:    # truncated JSON
            t = json.dumps(base).encode()
            line = t[:rng.randrange(1, len(t))]
        elif kind == 2:    # wrong types / weird values
            for _ in range(rng.randrange(1, 4)):
                base[rng.choice(FIELDS)] = rng.choice(WEIRD)
            line = json.dumps(base).encode()
        elif kind == 3:    # huge numbers
            line = b'{"op":"search","offset":' + b"9" * rng.randrange(10, 400) + b',"limit":1e999}'
        elif kind == 4:    # deep nesting
            depth = rng.randrange(100, 5000)
            line = b'{"op":"search","filters":' + b"[" * depth + b"]" * depth + b"}"
        elif kind == 5:    # invalid UTF-8
            t = bytearray(json.dumps(base).encode())
            for _ in range(rng.randrange(1, 5)):
                t.insert(rng.randrange(len(t)), rng.choice([0x80, 0xc3, 0xff, 0xfe, 0xed, 0xa0]))
            line = bytes(t)
        elif kind == 6:    # random bytes
            line = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        elif kind == 7:    # byte mutations of a valid request
            t = bytearray(json.dumps(base).encode())
            for _ in range(rng.randrange(1, 6)):
                t[rng.randrange(len(t))] = rng.randrange(256)
            line = bytes(t)
        else:              # not objects, odd ops, over-long lines
            line = rng.choice([b"[]", b"42", b'"search"', b"null", b'{"op":42}', b'{"op":"x"*3}',
                               b'{"op":"search","q":"' + b"a" * 70000 + b'"}', b'{"op":"reload"}',
                               b'{"op":"harvest","source":"nope"}', b'{"op":"search","op":"get"}'])
        line = line.replace(b"\n", b" ")
        if not line.strip(b"\r"):
            line = b"{}"
        lines.append(line)
    return lines


def test_fuzz_one_socket(tmp):
    rng = random.Random(5)
    lines = fuzz_lines(rng, 5000)
    d = sample_daemon(tmp)
    try:
        c = d.client()
        c.sock.settimeout(120)
        warm = fuzz_lines(random.Random(6), 500)
        answers = []

        def reader(n):
            for _ in range(n):
                answers.append(c.read_line())

        t = threading.Thread(target=reader, args=(len(warm),))
        t.start()
        c.send_raw(b"\n".join(warm) + b"\n")
        t.join(120)
        check(len(answers) == len(warm), f"warm-up: {len(answers)} answers to {len(warm)} lines")
        rss0 = rss_kib(d.proc.pid)

        answers.clear()
        t = threading.Thread(target=reader, args=(len(lines),))
        t.start()
        for i in range(0, len(lines), 100):
            c.send_raw(b"\n".join(lines[i:i + 100]) + b"\n")
        t.join(180)
        check(not t.is_alive(), f"only {len(answers)} answers to {len(lines)} lines")
        check(len(answers) == len(lines), f"{len(answers)} answers to {len(lines)} lines")
        codes = {}
        for a in answers:
            key = "ok" if a["ok"] else a["error"]["code"]
            codes[key] = codes.get(key, 0) + 1
        check(codes.get("ok", 0) > 100 and codes.get("parse", 0) > 100 and codes.get("invalid", 0) > 100,
              f"answer mix {codes}")
        check(not codes.get("internal") and not codes.get("nomem"), f"answer mix {codes}")
        # nothing else was sent on the connection
        c.sock.settimeout(0.5)
        try:
            extra = c.sock.recv(1)
        except socket.timeout:
            extra = b""
        check(extra == b"" or c.buf == b"", f"unexpected extra output {extra!r}")
        c.sock.settimeout(30)
        check(d.proc.poll() is None, "fairdexd died")
        check(c.call({"op": "status"})["ok"], "status after fuzz")
        c.close()
        rss1 = rss_kib(d.proc.pid)
        with open(d.proc.args[0], "rb") as f:
            asan = b"__asan_init" in f.read()
        # ASan keeps freed memory in quarantine: RSS says nothing there
        check(asan or rss1 - rss0 < 16 * 1024, f"RSS grew from {rss0} KiB to {rss1} KiB over 5,000 requests")
        print(f"       fuzz: {codes}; RSS {rss0} -> {rss1} KiB")
    finally:
        d.stop()


# ---- concurrency, pipelining, admin --------------------------------------

QUERIES = ["glacier", "climate", "soil", "ocean temperature", "title:glacier", "year:2015..2020", "type:Dataset",
           "forest", "species", "water", "river", "\"mass balance\"", "data*", "lang:de", "access:open", "alpine"]


def test_sixteen_clients(tmp):
    d = sample_daemon(tmp)
    try:
        c = d.client()
        expect = {q: c.call({"op": "search", "q": q, "limit": 20, "facets": ["type"]}) for q in QUERIES}
        c.close()
        errors = []

        def client(k):
            try:
                cl = d.client()
                for i in range(40):
                    q = QUERIES[(k + i) % len(QUERIES)]
                    r = cl.call({"op": "search", "q": q, "limit": 20, "facets": ["type"], "tag": [k, i]})
                    if r.get("tag") != [k, i] or [h["id"] for h in r["hits"]] != [h["id"] for h in expect[q]["hits"]] \
                            or r["facets"] != expect[q]["facets"] or r["total"] != expect[q]["total"]:
                        errors.append(f"client {k} query {q!r}: {json.dumps(r)[:300]}")
                        return
                cl.close()
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(f"client {k}: {e!r}")

        threads = [threading.Thread(target=client, args=(k,)) for k in range(16)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        check(not errors, "; ".join(errors[:3]))
        print(f"       16 clients x 40 searches in {time.monotonic() - t0:.2f} s")
    finally:
        d.stop()


def test_pipelining_and_tags(tmp):
    d = sample_daemon(tmp)
    try:
        c = d.client()
        reqs = []
        for i in range(50):
            reqs.append({"op": ["search", "status", "suggest", "get"][i % 4], "q": "gla", "tag": i,
                         "id": "sample:oai:sample.fairdex.org:10061"})
        c.send_raw(b"".join(json.dumps(r).encode() + b"\n" for r in reqs) + b"not json\n")
        for i in range(50):
            a = c.read_line()
            check(a.get("tag") == i and a["ok"], f"answer {i} out of order or failed: {json.dumps(a)[:200]}")
        a = c.read_line()
        check(not a["ok"] and a["error"]["code"] == "parse" and "tag" not in a, f"last answer {a}")
        # a client that half-closes still gets its answers
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(d.socket)
        s.sendall(b'{"op":"status","tag":"a"}\n{"op":"sources","tag":"b"}\n')
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        tags = [check_response(json.loads(x))["tag"] for x in data.splitlines()]
        check(tags == ["a", "b"], f"half-closed client got {tags}")
        c.close()
    finally:
        d.stop()


def test_admin_ops(tmp):
    d = sample_daemon(tmp)
    try:
        r = d.call({"op": "harvest", "source": "sample"})
        check(r["ok"] and r["source"] == "sample", r)
        r = d.call({"op": "harvest", "source": "nope"})
        check(not r["ok"] and r["error"]["code"] == "not_found", r)
        r = d.call({"op": "harvest"})
        check(not r["ok"] and r["error"]["code"] == "invalid", r)
        r = d.call({"op": "reload"})
        check(r["ok"] or r["error"]["code"] == "unsupported", r)
        out = run_cli("sources", socket_path=d.socket)
        check(out.returncode == 0 and "sample" in out.stdout, f"fairdex sources: {out.stdout}{out.stderr}")
        if os.geteuid() != 0:
            print("       skipping the 'forbidden' check: it needs root to connect as another user")
            return
        # another user: let it reach the socket, then it must be refused
        os.chmod(tmp, 0o755)
        os.chmod(d.socket, 0o666)
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(rfd)
                os.setgid(65534)
                os.setuid(65534)
                cl = Client(d.socket)
                out = [cl.call({"op": "harvest", "source": "sample"}), cl.call({"op": "reload"}),
                       cl.call({"op": "search", "q": "glacier", "limit": 1})]
                os.write(wfd, json.dumps(out).encode())
            finally:
                os._exit(0)
        os.close(wfd)
        data = b""
        while True:
            chunk = os.read(rfd, 65536)
            if not chunk:
                break
            data += chunk
        os.close(rfd)
        os.waitpid(pid, 0)
        harvest, reload, search = json.loads(data)
        check(not harvest["ok"] and harvest["error"]["code"] == "forbidden", harvest)
        check(not reload["ok"] and reload["error"]["code"] == "forbidden", reload)
        check(search["ok"], f"search by another user: {search}")
    finally:
        d.stop()


def test_cli_commands(tmp):
    d = sample_daemon(tmp)
    try:
        rid = "sample:oai:sample.fairdex.org:glacier-mass-balance-alps"
        out = run_cli("search", "--type", "Dataset", "--year", "2015..2025", "glacier", socket_path=d.socket)
        check(out.returncode == 0 and "match 'glacier'" in out.stdout and "type " in out.stdout
              and "Dataset (" in out.stdout, f"fairdex search: {out.stdout}{out.stderr}")
        out = run_cli("--json", "search", "--facets", "none", "glacier", socket_path=d.socket)
        res = json.loads(out.stdout)
        check(out.returncode == 0 and res["ok"] and "facets" not in res and res["hits"], f"--json: {out.stdout[:300]}")
        out = run_cli("search", "--sort", "sideways", "x", socket_path=d.socket)
        check(out.returncode == 1 and "invalid" in out.stderr, f"bad sort: {out.returncode} {out.stderr}")
        out = run_cli("search", "--year", "abc", "x", socket_path=d.socket)
        check(out.returncode == 2, f"bad --year: {out.returncode}")
        out = run_cli("similar", "sample:oai:sample.fairdex.org:10061", socket_path=d.socket)
        check(out.returncode == 0 and "1. " in out.stdout, f"fairdex similar: {out.stdout}{out.stderr}")
        out = run_cli("similar", "nope:1", socket_path=d.socket)
        check(out.returncode == 1 and "not_found" in out.stderr, f"similar of nothing: {out.stderr}")
        out = run_cli("suggest", "glac", socket_path=d.socket)
        check(out.returncode == 0 and out.stdout.startswith("glacier"), f"fairdex suggest: {out.stdout}")
        out = run_cli("export", "bibtex", rid, socket_path=d.socket)
        check(out.returncode == 0 and out.stdout.startswith("@dataset{") and "doi = {10.5072/zenodo.1234567}"
              in out.stdout, f"fairdex export bibtex: {out.stdout}{out.stderr}")
        out = run_cli("export", "ris", "glacier", "mass", "balance", socket_path=d.socket)
        check(out.returncode == 0 and out.stdout.count("ER  - ") >= 1 and "TY  - " in out.stdout,
              f"fairdex export ris: {out.stdout[:300]}{out.stderr}")
        out = run_cli("export", "datacite", rid, socket_path=d.socket)
        recs = json.loads(out.stdout)
        check(out.returncode == 0 and recs[0]["doi"] == "10.5072/zenodo.1234567"
              and recs[0]["types"]["resourceTypeGeneral"] == "Dataset", f"datacite: {out.stdout[:300]}")
        out = run_cli("export", "marc", rid, socket_path=d.socket)
        check(out.returncode == 1, f"unknown format: {out.returncode}")
        out = run_cli("harvest", "sample", socket_path=d.socket)
        check(out.returncode == 0 and "requested" in out.stdout, f"fairdex harvest: {out.stdout}{out.stderr}")
        out = run_cli("search", "x", socket_path=os.path.join(tmp, "nosuch.sock"))
        check(out.returncode == 3, f"unreachable: {out.returncode}")
    finally:
        d.stop()


def test_cursor_paging(tmp):
    """Deep paging by cursor: every object once, in order; bad cursors are `invalid`."""
    d = sample_daemon(tmp)
    try:
        c = d.client()
        for sort, order in [("date", "desc"), ("fair", "asc"), ("relevance", "desc")]:
            req = {"op": "search", "q": "", "sort": sort, "order": order, "limit": 100, "facets": ["type"]}
            ids, pages, total = [], 0, None
            while True:
                a = c.call(req)
                check(a["ok"], f"{sort} page {pages}: {a}")
                total = a["total"]
                ids += [h["id"] for h in a["hits"]]
                pages += 1
                if "next_cursor" not in a:
                    break
                check(pages < 10, f"{sort}: more than 10 pages")
                req["cursor"] = a["next_cursor"]
            check(len(ids) == len(set(ids)) == total and total > 200,
                  f"{sort}: {len(ids)} hits, {len(set(ids))} distinct, total {total}")
            check(pages == (total + 99) // 100, f"{sort}: {pages} pages for {total}")
        # relevance with a query: the walk by cursor is the ranking by offset,
        # scores on the first page's scale (equal, or one lower where
        # Xapian's scale had to be rounded to a percent)
        q, ref = "data OR climate OR glacier", []
        for off in range(0, 1000, 100):
            a = c.call({"op": "search", "q": q, "offset": off, "limit": 100})
            ref += [(h["id"], h["score"]) for h in a["hits"]]
            if len(a["hits"]) < 100:
                break
        req, got = {"op": "search", "q": q, "limit": 7}, []
        while True:
            a = c.call(req)
            check(a["ok"], f"{q} by cursor: {a}")
            got += [(h["id"], h["score"]) for h in a["hits"]]
            if "next_cursor" not in a:
                break
            req["cursor"] = a["next_cursor"]
        check(len(ref) > 50 and [i for i, _ in got] == [i for i, _ in ref],
              f"{q}: {len(got)} hits by cursor, {len(ref)} by offset, first difference "
              f"{next((k for k, (x, y) in enumerate(zip(got, ref)) if x[0] != y[0]), None)}")
        check(all(0 <= r - g <= 1 for (_, g), (_, r) in zip(got, ref)), f"{q}: scores {got[:20]} vs {ref[:20]}")
        a = c.call({"op": "search", "q": "", "offset": 10001})
        check(not a["ok"] and a["error"]["code"] == "invalid", f"offset 10001: {a}")
        base = {"op": "search", "q": "", "sort": "date", "limit": 5}
        cur = c.call(base)["next_cursor"]
        for bad in ["", "@@@@", "AQ", cur[:-1] + ("A" if cur[-1] != "A" else "B"), 12, "A" * 200]:
            a = c.call({**base, "cursor": bad})
            check(not a["ok"] and a["error"]["code"] == "invalid", f"cursor {bad!r}: {a}")
        for other in [{"q": "glacier"}, {"order": "asc"}, {"sort": "fair"}, {"offset": 5}]:
            a = c.call({**base, **other, "cursor": cur})
            check(not a["ok"] and a["error"]["code"] == "invalid", f"cursor with {other}: {a}")
        c.close()
    finally:
        d.stop()


def test_cli_cursor(tmp):
    """fairdex search --cursor pages through a search: disjoint pages that cover it."""
    d = sample_daemon(tmp)
    try:
        total = d.call({"op": "search", "q": "climate OR data", "facets": ["type"]})["total"]
        seen, cursor, pages = [], None, 0
        while True:
            more = ["--cursor", cursor] if cursor else []
            out = run_cli("search", "--limit", "25", "--facets", "none", *more, "climate", "OR", "data",
                          socket_path=d.socket)
            check(out.returncode == 0, f"page {pages}: {out.returncode} {out.stderr}")
            ids = re.findall(r"^     (sample:\S+)", out.stdout, re.M)
            check(ids and not set(ids) & set(seen), f"page {pages}: {ids} after {len(seen)} hits")
            seen += ids
            pages += 1
            m = re.search(r"^next page: the same search with --cursor (\S+)$", out.stdout, re.M)
            if not m:
                break
            check(pages < 50, "no last page")
            cursor = m.group(1)
        check(pages >= 3 and len(seen) == total, f"{pages} pages, {len(seen)} hits, total {total}")
        # --json prints next_cursor as the daemon sent it; a cursor of another search is refused
        out = run_cli("--json", "search", "--limit", "5", "--sort", "date", "climate", socket_path=d.socket)
        res = json.loads(out.stdout)
        check(out.returncode == 0 and res["next_cursor"], f"--json: {out.stdout[:300]}")
        out = run_cli("search", "--sort", "date", "--cursor", res["next_cursor"], "climate", socket_path=d.socket)
        check(out.returncode == 0 and "1. " in out.stdout, f"date page 2: {out.stdout}{out.stderr}")
        out = run_cli("search", "--cursor", res["next_cursor"], "climate", socket_path=d.socket)
        check(out.returncode == 1 and "invalid" in out.stderr, f"cursor of another sort: {out.returncode} {out.stderr}")
    finally:
        d.stop()


def test_indicator_prefix(tmp):
    """indicator:<id>:<outcome> finds the records with that FAIR outcome, as a query and as a filter."""
    d = sample_daemon(tmp)
    try:
        c = d.client()
        outcomes = {}
        for o in ["pass", "partial", "fail", "na"]:
            q = c.call({"op": "search", "q": f"indicator:R1.1-license:{o}", "facets": ["type"]})
            f = c.call({"op": "search", "filters": {"indicator": [f"R1.1-license:{o}"]}, "facets": ["type"]})
            check(q["ok"] and f["ok"] and q["total"] == f["total"], f"{o}: query {q} filter {f}")
            outcomes[o] = q["total"]
        everything = c.call({"op": "search", "facets": ["type"]})["total"]
        check(outcomes["fail"] > 0 and sum(outcomes.values()) >= everything,
              f"R1.1-license outcomes {outcomes}, {everything} objects")
        a = c.call({"op": "search", "q": "indicator:R1.1-license:fail", "fields": ["licenses"], "limit": 100})
        check(all(not h.get("licenses") or all(not x.get("spdx") for x in h["licenses"]) for h in a["hits"]),
              f"a record failing R1.1-license has an SPDX licence: {json.dumps(a)[:300]}")
        c.close()
    finally:
        d.stop()


def test_busy_queue(tmp):
    """A full query queue answers `busy` and keeps the connection (test hook FAIRDEX_TEST_QUEUE=0)."""
    old = os.environ.get("FAIRDEX_TEST_QUEUE")
    os.environ["FAIRDEX_TEST_QUEUE"] = "0"
    try:
        d = Daemon(tmp, []).start()
    finally:
        if old is None:
            del os.environ["FAIRDEX_TEST_QUEUE"]
        else:
            os.environ["FAIRDEX_TEST_QUEUE"] = old
    try:
        c = d.client()
        c.send_raw(b'{"op":"status","tag":1}\n{"op":"search","q":"x","tag":2}\n')
        for _ in range(2):
            a = c.read_line()
            check(not a["ok"] and a["error"]["code"] == "busy" and "tag" not in a, f"full queue: {a}")
        a = c.call({"op": "status"})
        check(a["error"]["code"] == "busy", f"the connection is still usable: {a}")
        c.close()
    finally:
        d.stop()
