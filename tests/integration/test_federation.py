"""A node of the federation (issue 17): the read-only HTTP listener.

/metrics is checked by Debian's promtool (prometheus package) and must
hold the socket op's families with fairdex_records{source=...}; the
listener answers only GET and HEAD, bounds header sizes (431/414 or a
closed connection), keeps connections alive and compresses with gzip when
asked; a hostile-request fuzz keeps the daemon up with a flat RSS."""
import datetime
import gzip
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import time

from harness import (ROOT, TOOLS, Client, Daemon, OAIServer, Skip, check, corpus_truth, free_port, get_many,
                     harvest_again, rss_kib, run_cli)


def http_daemon(tmp, n=300, name="zen"):
    srv = OAIServer(tmp, "--generate", str(n), "--page-size", "100")
    port = free_port()
    extra = (f"http:\n  listen: \"127.0.0.1:{port}\"\n  repository_name: \"fairdex test\"\n"
             "  admin_email: ops@fairdex.invalid")
    d = Daemon(tmp, [{"name": name, "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1h"}],
               extra=extra).start()
    d.port = port
    d.wait_harvested(name)
    return srv, d


def get(port, path, headers=None, method="GET"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        c.close()


def live(n):
    return sum(1 for r in corpus_truth(n).values() if not r["deleted"])


def test_http_metrics_promtool(tmp):
    srv, d = http_daemon(tmp)
    try:
        status, headers, body = get(d.port, "/metrics")
        check(status == 200, f"/metrics answered {status}")
        check(headers["Content-Type"].startswith("text/plain; version=0.0.4"), headers)
        text = body.decode()
        check(f'fairdex_records{{source="zen"}} {live(300)}\n' in text, text[:400])
        op = d.call({"op": "metrics"})["text"]
        families = lambda t: {ln.split()[2] for ln in t.splitlines() if ln.startswith("# TYPE")}
        check(families(op) == families(text), f"families differ: {families(op) ^ families(text)}")
        promtool = shutil.which("promtool")
        if not promtool:
            raise Skip("promtool (Debian package prometheus) is not installed")
        p = subprocess.run([promtool, "check", "metrics"], input=body, capture_output=True, timeout=60)
        check(p.returncode == 0, f"promtool refused /metrics: {p.stdout!r} {p.stderr!r}")
    finally:
        d.stop()
        srv.stop()


def test_http_read_only_limits_gzip_keepalive(tmp):
    srv, d = http_daemon(tmp, 50)
    try:
        for method in ("POST", "PUT", "DELETE"):
            status, headers, _ = get(d.port, "/metrics", method=method)
            check(status == 405 and headers.get("Allow") == "GET, HEAD", f"{method}: {status} {headers}")
        check(get(d.port, "/harvest?source=zen")[0] == 404, "an admin op is reachable over HTTP")
        check(get(d.port, "/../../etc/passwd")[0] in (400, 404), "path traversal answered")
        status, headers, body = get(d.port, "/metrics", {"Accept-Encoding": "gzip"})
        check(status == 200 and headers.get("Content-Encoding") == "gzip", headers)
        check(b"fairdex_records" in gzip.decompress(body), "gzip body")
        status, headers, body = get(d.port, "/metrics", {"Accept-Encoding": "gzip;q=0"})
        check("Content-Encoding" not in headers and b"fairdex_records" in body, "gzip;q=0 still compressed")
        status, _, body = get(d.port, "/metrics", method="HEAD")
        check(status == 200 and body == b"", "HEAD")
        # A header beyond the connection's memory: 431 (or the connection closes).
        try:
            status = get(d.port, "/metrics", {"X-Big": "a" * 100000})[0]
            check(status in (413, 414, 431, 400), f"huge header answered {status}")
        except (ConnectionError, http.client.HTTPException):
            pass
        try:
            status = get(d.port, "/" + "a" * 100000)[0]
            check(status in (414, 431, 400), f"huge URL answered {status}")
        except (ConnectionError, http.client.HTTPException):
            pass
        # Keep-alive: three requests on one connection.
        c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=30)
        for _ in range(3):
            c.request("GET", "/metrics")
            r = c.getresponse()
            r.read()
            check(r.status == 200 and not r.will_close, "connection not kept alive")
        c.close()
        check(d.proc.poll() is None, "fairdexd died")
    finally:
        d.stop()
        srv.stop()


def open_conn(port, source="127.0.0.1", request=True):
    """A connection from source; with request, one answered GET on it
    (so that the listener has taken it), else nothing sent."""
    s = socket.socket()
    s.settimeout(10)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    if request:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        got = b""
        while b"\r\n\r\n" not in got or not got.endswith(b"/metrics  Prometheus metrics\n"):
            chunk = s.recv(65536)
            check(chunk, f"connection from {source} closed before its answer")
            got += chunk
        check(got.startswith(b"HTTP/1.1 200"), got[:100])
    return s


def refused(port, source):
    """Whether a connection from source is closed without an answer."""
    s = socket.socket()
    s.settimeout(10)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        return s.recv(65536) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    finally:
        s.close()


def test_http_limits(tmp):
    """The limits docs/federation.md states, each at its edge: 32 KiB of
    request head (a 24 KiB header passes, a 40 KiB one or URL does not),
    32 connections per client address (the 33rd is closed, another
    address still gets in), 128 in all (the 129th is closed, from a fifth
    address), all of them usable again once closed, and 30 s of
    inactivity closing an idle connection (open at 25 s, closed by 40)."""
    srv, d = http_daemon(tmp, 20)
    idle = open_conn(d.port, request=False)
    t_idle = time.monotonic()
    conns = []
    try:
        status, _, _ = get(d.port, "/metrics", {"X-Big": "a" * (24 * 1024)})
        check(status == 200, f"a 24 KiB header answered {status}")
        big = b"a" * (40 * 1024)
        for what, want, req in (("header", 431, b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + big + b"\r\n\r\n"),
                                ("URL", 414, b"GET /" + big + b" HTTP/1.1\r\nHost: x\r\n\r\n")):
            status, _ = raw_request(d.port, req)
            check(status == want, f"a 40 KiB {what} answered {status}")
        # Per address: 32 (the idle one is the first), then closed.
        conns = [open_conn(d.port) for _ in range(31)]
        check(refused(d.port, "127.0.0.1"), "a 33rd connection from one address was answered")
        conns.append(open_conn(d.port, "127.0.0.2"))
        # In all: 128, from four addresses, then closed from a fifth.
        conns += [open_conn(d.port, "127.0.0.2") for _ in range(31)]
        conns += [open_conn(d.port, src) for src in ("127.0.0.3", "127.0.0.4") for _ in range(32)]
        check(refused(d.port, "127.0.0.5"), "a 129th connection was answered")
        for c in conns:
            c.close()
        conns = []
        time.sleep(1)
        check(get(d.port, "/metrics")[0] == 200, "no answer once the connections closed")
        conns = [open_conn(d.port, "127.0.0.5") for _ in range(32)]
        for c in conns:
            c.close()
        conns = []
        # The idle connection: still open at 25 s, closed by the listener by 40 s.
        time.sleep(max(0, 25 - (time.monotonic() - t_idle)))
        idle.setblocking(False)
        try:
            check(idle.recv(1) != b"", "an idle connection was closed before 25 s")
        except BlockingIOError:
            pass  # still open: nothing to read
        idle.settimeout(max(1, 40 - (time.monotonic() - t_idle)))
        try:
            check(idle.recv(1) == b"", "idle connection answered")
        except socket.timeout:
            raise AssertionError("an idle connection was still open after 40 s")
        except ConnectionResetError:
            pass
        check(time.monotonic() - t_idle >= 29, "an idle connection was closed before 30 s")
        check(d.proc.poll() is None, "fairdexd died")
    finally:
        for c in conns:
            c.close()
        idle.close()
        d.stop()
        srv.stop()


def hostile_requests(port, rnd):
    """One hostile request of a random kind; the daemon must answer it
    (any HTTP status) or close the connection."""
    kind = rnd.randrange(8)
    paths = ["/oai?verb=" + "%ff%fe", "/oai?verb=Identify&verb=Identify", "/../../../../etc/passwd",
             "/oai?verb=ListRecords&resumptionToken=%00%01", "/%zz%", "/metrics?" + "x=" * 500,
             "/oai?verb=GetRecord&identifier=" + "\u00e9".encode("latin-1").decode("latin-1"),
             "/dcat?format=../../x", "/\xff\xfe"]
    if kind == 0:
        data = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-H: " + b"a" * rnd.randrange(1000, 200000) + b"\r\n\r\n"
    elif kind == 1:
        verb = rnd.choice([b"FOO", b"GE T", b"\x00\x01", b"CONNECT", b"TRACE", b"PATCH", b"G" * 5000])
        data = verb + b" / HTTP/1.1\r\nHost: x\r\n\r\n"
    elif kind == 2:
        data = b"GET " + rnd.choice(paths).encode("utf-8", "surrogateescape") + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    elif kind == 3:
        data = b"GET /oai?verb=" + bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 64))) + \
            b" HTTP/1.1\r\nHost: x\r\n\r\n"
    elif kind == 4:
        data = b"GET / HTTP/9.9\r\n" + b"X: y\r\n" * rnd.randrange(1, 3000) + b"\r\n"
    elif kind == 5:
        data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 2000)))
    elif kind == 6:
        data = b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc"
    else:
        data = b"GET /oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from=" + b"9" * rnd.randrange(1, 300) + \
            b" HTTP/1.1\r\nHost: x\r\n\r\n"
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            return "closed"
        try:
            got = s.recv(64)
        except ConnectionResetError:
            return "closed"
        if not got:
            return "closed"
        check(got.startswith(b"HTTP/1."), f"not an HTTP answer to {data[:80]!r}: {got!r}")
        return "answered"
    finally:
        s.close()


def slow_client(port):
    """Sends half a request line and stalls: the server must not wait on it forever."""
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(b"GET /met")
    return s


def test_http_fuzz(tmp):
    n = int(os.environ.get("FD_TEST_HTTP_FUZZ", "2000"))
    srv, d = http_daemon(tmp, 50)
    rnd = random.Random(17)
    try:
        slow = [slow_client(d.port) for _ in range(8)]
        for i in range(200):
            hostile_requests(d.port, rnd)
        rss0 = rss_kib(d.proc.pid)
        outcomes = {"answered": 0, "closed": 0}
        for i in range(n - 200):
            outcomes[hostile_requests(d.port, rnd)] += 1
            if i % 500 == 0:
                check(d.proc.poll() is None, "fairdexd died under fuzzing")
        rss1 = rss_kib(d.proc.pid)
        for s in slow:
            s.close()
        check(d.proc.poll() is None, "fairdexd died under fuzzing")
        check(get(d.port, "/metrics")[0] == 200, "/metrics after fuzzing")
        check(rss1 - rss0 < 8 * 1024, f"RSS grew from {rss0} to {rss1} KiB over {n - 200} requests")
        print(f"  fuzz: {n} requests, {outcomes}, RSS {rss0} -> {rss1} KiB")
    finally:
        d.stop()
        srv.stop()


def raw_request(port, data, timeout=30):
    """Sends data as it is and reads until the server closes or answers
    a whole response: (status or None, the bytes read)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        got = b""
        while b"\r\n\r\n" not in got:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        m = re.match(rb"HTTP/1\.[01] (\d{3})", got)
        return (int(m.group(1)) if m else None), got
    finally:
        s.close()


def without_date(body):
    return re.sub(rb"<responseDate>[^<]*</responseDate>", b"", body)


def oai_post(port, body, ctype="application/x-www-form-urlencoded"):
    status, headers, out = get_post(port, "/oai", body, {"Content-Type": ctype})
    return status, headers, out


def get_post(port, path, body, headers):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("POST", path, body=body, headers=headers)
        r = c.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        c.close()


def test_oai_post(tmp):
    """OAI-PMH 2.0 section 3.1.1.2: POST with form arguments answers as GET
    (curl and http.client, every verb, a resumptionToken, errors); other
    content types, bodies without a length and bodies over 16 KiB are
    refused before they are read, and POST elsewhere is 405."""
    srv, d = http_daemon(tmp, 250)
    try:
        queries = ["verb=Identify", "verb=ListMetadataFormats", "verb=ListSets",
                   "verb=ListIdentifiers&metadataPrefix=oai_dc",
                   "verb=ListRecords&metadataPrefix=oai_datacite&set=source%3Azen",
                   "verb=ListRecords&metadataPrefix=oai_dc&from=2000-01-01&until=2999-12-31",
                   "verb=Nope", "verb=ListRecords", "verb=ListRecords&metadataPrefix=marc",
                   "verb=GetRecord&metadataPrefix=oai_dc&identifier=zen%3Anone",
                   "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",
                   "verb=ListRecords&resumptionToken=zz", "verb=Identify&bogus=1"]
        first = oai_get(d.port, "verb=ListIdentifiers&metadataPrefix=oai_dc")
        token = re.search(rb"<resumptionToken[^>]*>([^<]+)<", first).group(1).decode()
        queries.append("verb=ListIdentifiers&resumptionToken=" + token)
        gid = re.search(rb"<identifier>([^<]+)<", first).group(1).decode()
        queries.append("verb=GetRecord&metadataPrefix=oai_datacite&identifier=" + gid.replace(":", "%3A"))
        for q in queries:
            status, headers, body = oai_post(d.port, q)
            check(status == 200 and headers.get("Content-Type", "").startswith("text/xml"), f"POST {q}: {status}")
            check(without_date(body) == without_date(oai_get(d.port, q)), f"POST {q} differs from GET")
        validate(oai_post(d.port, queries[4])[2], "a POST ListRecords")
        # curl, as a harvester would send it (charset parameter, + for space).
        if shutil.which("curl"):
            p = subprocess.run(["curl", "-sS", "--data-urlencode", "verb=ListRecords", "--data-urlencode",
                                "metadataPrefix=oai_dc", "--data-urlencode", "set=source:zen",
                                "-H", "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
                                f"http://127.0.0.1:{d.port}/oai"], capture_output=True, timeout=60)
            check(p.returncode == 0, p.stderr)
            check(without_date(p.stdout) == without_date(oai_get(d.port, queries[4].replace(
                "oai_datacite", "oai_dc"))), "curl's POST differs from GET")
        # The body's arguments are the request's: a query string beside them is not read.
        status, _, body = get_post(d.port, "/oai?verb=Identify", "verb=ListSets",
                                   {"Content-Type": "application/x-www-form-urlencoded"})
        check(b"<ListSets>" in body, "POST read the query string")
        # Over 32 arguments: a bad argument.
        status, _, body = oai_post(d.port, "verb=Identify" + "&x=1" * 40)
        check(error_code(body) == "badArgument", body[:300])
        # Refused cleanly: wrong or no content type, multipart, a chunked body,
        # a body over 16 KiB (announced; not one byte of it is sent), POST elsewhere.
        for ctype in ("text/plain", "application/json", "multipart/form-data; boundary=x", ""):
            status, _, _ = get_post(d.port, "/oai", "verb=Identify", {"Content-Type": ctype} if ctype else {})
            check(status == 415, f"POST as {ctype!r}: {status}")
        status, _ = raw_request(d.port, b"POST /oai HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                b"application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                                b"d\r\nverb=Identify\r\n0\r\n\r\n")
        check(status == 411, f"chunked POST: {status}")
        t0 = time.monotonic()
        status, _ = raw_request(d.port, b"POST /oai HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                b"application/x-www-form-urlencoded\r\nContent-Length: 1000000000\r\n\r\n")
        check(status == 413 and time.monotonic() - t0 < 10, f"a 1 GB POST: {status}")
        status, _, _ = oai_post(d.port, "verb=Identify&x=" + "a" * 17000)
        check(status == 413, f"a 17 kB POST: {status}")
        status, headers, _ = get_post(d.port, "/metrics", "a=1", {"Content-Type": "application/x-www-form-urlencoded"})
        check(status == 405 and headers.get("Allow") == "GET, HEAD", f"POST /metrics: {status} {headers}")
        status, headers, _ = get(d.port, "/oai", method="PUT")
        check(status == 405 and headers.get("Allow") == "GET, HEAD, POST", f"PUT /oai: {status} {headers}")
        # Still answering, and POST keeps the connection alive like GET.
        c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=30)
        for _ in range(3):
            c.request("POST", "/oai", body="verb=Identify", headers={"Content-Type": "application/x-www-form-urlencoded"})
            r = c.getresponse()
            check(r.status == 200 and b"<Identify>" in r.read() and not r.will_close, "POST keep-alive")
        c.close()
        check(d.proc.poll() is None, "fairdexd died")
    finally:
        d.stop()
        srv.stop()


def test_http_socket_activation(tmp):
    """Two sockets handed over as fairdex.socket and fairdex-http.socket do:
    the Unix one (fd 3) for queries, the TCP one named "http" (fd 4) for
    HTTP; the daemon binds neither its socket path nor http.listen."""
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(os.path.join(tmp, "activated.sock"))
    unix.listen(16)
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(16)
    port = tcp.getsockname()[1]
    unused = free_port()
    d = Daemon(tmp, [], extra=f"http:\n  listen: \"127.0.0.1:{unused}\"")
    try:
        d.start(activate=[unix, tcp], fdnames=["fairdex.socket", "http"])
        status, _, body = get(port, "/metrics")
        check(status == 200 and b"fairdex_index_commits_total" in body, f"activated http socket: {status}")
        c = Client(os.path.join(tmp, "activated.sock"))
        check(c.call({"op": "status"})["ok"], "activated unix socket")
        c.close()
        check(not os.path.exists(d.socket), "the daemon bound its socket path although a socket was handed over")
        try:
            socket.create_connection(("127.0.0.1", unused), timeout=2).close()
            check(False, "the daemon bound http.listen although a socket was handed over")
        except ConnectionRefusedError:
            pass
    finally:
        d.stop()
        unix.close()
        tcp.close()


# ---- OAI-PMH ---------------------------------------------------------------

FIXTURES = os.path.join(ROOT, "tests", "fixtures")
OAI_XSD = os.path.join(FIXTURES, "xsd", "OAI-PMH.xsd")


def oai_pmh(base, *args):
    """Debian's HTTP::OAI harvester (oai_pmh): the identifiers it lists
    and whether each one is deleted, following every resumptionToken."""
    if not shutil.which("oai_pmh"):
        raise Skip("oai_pmh (Debian package libhttp-oai-perl) is not installed")
    p = subprocess.run(["oai_pmh", *args, base + "/oai"], capture_output=True, text=True, errors="replace",
                       timeout=900)
    check(p.returncode == 0, f"oai_pmh {args} failed: {p.stderr[-2000:]}")
    out = {}
    for block in p.stdout.split("\f"):
        ident = status = None
        for line in block.splitlines():
            if line.startswith("identifier: ") and ident is None:
                ident = line[len("identifier: "):]
            elif line.startswith("status: "):
                status = line[len("status: "):]
        if ident:
            check(ident not in out, f"oai_pmh listed {ident} twice")
            out[ident] = status == "deleted"
    return out


def validate(xml, what):
    p = subprocess.run(["xmllint", "--noout", "--schema", OAI_XSD, "-"], input=xml, capture_output=True, timeout=120)
    check(p.returncode == 0, f"{what} does not validate: {p.stderr[-1500:].decode(errors='replace')}")


def oai_get(port, query):
    status, _, body = get(port, "/oai?" + query)
    check(status == 200, f"/oai?{query} answered {status}")
    return body


def error_code(body):
    m = re.search(rb'<error code="([A-Za-z]+)"', body)
    return m.group(1).decode() if m else None


def facet_count(d, facet, value):
    """The index's exact count of records with value in facet (facets
    count every record, uncollapsed counts come from the records op)."""
    r = d.call({"op": "search", "q": "", "facets": [facet], "facet_limit": 1000, "limit": 1})
    check(r["ok"], r)
    return sum(v["count"] for v in r["facets"][facet] if v["value"] == value)


def test_oai_provider(tmp):
    """A daemon that harvested an oai_server.py corpus serves it over OAI-PMH:
    oai_pmh lists every record in each format and by set with the index's
    counts, every kind of response validates, every error is the
    specification's; a second fairdexd harvests it (oai_datacite) and
    holds the same DOIs, titles, licences and creators; a deletion at the
    origin travels through both."""
    n = int(os.environ.get("FD_TEST_FED_RECORDS", "3000"))
    srv = OAIServer(tmp, "--generate", str(n), "--page-size", "500", "--admin")
    port = free_port()
    a = Daemon(tmp, [{"name": "zen", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1h"}],
               extra=f"http:\n  listen: \"127.0.0.1:{port}\"\n  admin_email: ops@fairdex.invalid",
               name="origin")
    b = None
    try:
        a.start()
        s = a.wait_harvested("zen", 600)
        check(s["state"] == "ok", s)
        total = a.call({"op": "status"})["records"]
        check(total == live(n), f"origin holds {total} of {live(n)}")
        base = f"http://127.0.0.1:{port}"

        # Every kind of response validates; errors as the specification says.
        for q, code in [("verb=Identify", None), ("verb=ListMetadataFormats", None), ("verb=ListSets", None),
                        ("verb=ListIdentifiers&metadataPrefix=oai_dc", None),
                        ("verb=ListRecords&metadataPrefix=oai_dc&set=source:zen", None),
                        ("verb=ListRecords&metadataPrefix=oai_datacite&set=type:Dataset", None),
                        ("verb=ListRecords&metadataPrefix=oai_openaire&set=fair:50-75", None),
                        ("verb=GetRecord&metadataPrefix=oai_datacite&identifier=zen:oai:bench.example.org:0000000",
                         None),
                        ("verb=ListMetadataFormats&identifier=zen:oai:bench.example.org:0000000", None),
                        ("verb=Nope", "badVerb"), ("verb=Identify&verb=Identify", "badVerb"), ("", "badVerb"),
                        ("verb=Identify&extra=1", "badArgument"), ("verb=ListRecords", "badArgument"),
                        ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
                        ("verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2020-01-01T00:00:00Z",
                         "badArgument"),
                        ("verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2020-01-01", "badArgument"),
                        ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=31", "badArgument"),
                        ("verb=GetRecord&identifier=x", "badArgument"),
                        ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
                        ("verb=GetRecord&metadataPrefix=marc21&identifier=zen:oai:bench.example.org:0000000",
                         "cannotDisseminateFormat"),
                        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=zen:nothing", "idDoesNotExist"),
                        ("verb=ListMetadataFormats&identifier=zen:nothing", "idDoesNotExist"),
                        ("verb=ListRecords&resumptionToken=00ff", "badResumptionToken"),
                        ("verb=ListSets&resumptionToken=x", "badResumptionToken"),
                        ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
                        ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=source:elsewhere", "noRecordsMatch"),
                        ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=colour:red", "noRecordsMatch")]:
            body = oai_get(port, q)
            validate(body, f"/oai?{q}")
            check(error_code(body) == code, f"/oai?{q}: error {error_code(body)}, wanted {code}")
        # A second page through its token, with completeListSize and cursor.
        first = oai_get(port, "verb=ListIdentifiers&metadataPrefix=oai_dc")
        m = re.search(rb'<resumptionToken completeListSize="(\d+)" cursor="0" expirationDate="[^"]+">([0-9a-f]+)<',
                      first)
        check(m and int(m.group(1)) == total, f"first page's token: {first[-400:]!r}")
        second = oai_get(port, "verb=ListRecords&resumptionToken=" + m.group(2).decode())
        validate(second, "a page continued by its token")
        check(b'cursor="100"' in second, second[-300:])

        # Debian's harvester: every record in each format and by set.
        ids = oai_pmh(base, "-X", "ListIdentifiers", "--metadataPrefix", "oai_dc")
        check(len(ids) == total and not any(ids.values()), f"ListIdentifiers: {len(ids)} of {total}")
        for prefix in ("oai_dc", "oai_datacite", "oai_openaire"):
            got = oai_pmh(base, "-X", "ListRecords", "--metadataPrefix", prefix)
            check(set(got) == set(ids), f"ListRecords {prefix}: {len(got)} of {total}")
        by_set = {"source:zen": total, "type:Dataset": facet_count(a, "type", "Dataset"),
                  "fair:75-100": facet_count(a, "fair", "75-100"), "fair:50-75": facet_count(a, "fair", "50-75")}
        for spec, want in by_set.items():
            got = oai_pmh(base, "-X", "ListIdentifiers", "--metadataPrefix", "oai_dc", "--set", spec)
            check(len(got) == want, f"set {spec}: oai_pmh listed {len(got)}, the index holds {want}")
        print(f"  {total} records listed by oai_pmh in 3 formats; sets {by_set}")

        # A second fairdexd harvests the first over OAI-PMH.
        btmp = os.path.join(tmp, "second")
        os.makedirs(btmp)
        b = Daemon(btmp, [{"name": "fed", "type": "oai-pmh", "url": base + "/oai", "delay": "0", "interval": "1h",
                           "metadata_prefix": "oai_datacite"}], name="second").start()
        s = b.wait_harvested("fed", 600)
        check(s["state"] == "ok" and s["records"] == total, f"second harvest: {s}")
        sample = sorted(ids)[:: max(1, total // 500)]
        ra = get_many(a, sample)
        rb = get_many(b, ["fed:" + x for x in sample])
        for x in sample:
            ta, tb = ra[x], rb["fed:" + x]
            check(tb is not None, f"{x} is missing from the second fairdexd")
            for field, key in (("doi", None), ("titles", "value"), ("creators", "name"), ("licenses", "spdx")):
                va, vb = ta.get(field), tb.get(field)
                if key:
                    va = [v.get(key) for v in va or []]
                    vb = [v.get(key) for v in vb or []]
                check(va == vb, f"{x}: {field} {va!r} at the origin, {vb!r} in the second fairdexd")

        # A deletion at the origin travels through both.
        ch = srv.admin("/admin/mutate?delete=20")
        gone = ["zen:" + x for x in ch["deleted"]]
        check(len(gone) == 20, f"the server deleted {len(gone)} records, not 20")
        s = harvest_again(a, "zen", 300)
        check(s["state"] == "ok", s)
        check(all(v is None for v in get_many(a, gone).values()), "deleted at the source, still at the origin")
        ids2 = oai_pmh(base, "-X", "ListIdentifiers", "--metadataPrefix", "oai_dc")
        check(all(ids2.get(x) is True for x in gone), "the origin does not list the deletions as deleted")
        check(len(ids2) == total, f"tombstones plus live records: {len(ids2)} != {total}")
        for x in gone[:3]:
            body = oai_get(port, "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + x)
            validate(body, "a deleted record")
            check(b'<header status="deleted">' in body, body[-500:])
        s = harvest_again(b, "fed", 300)
        check(s["state"] == "ok", s)
        check(all(v is None for v in get_many(b, ["fed:" + x for x in gone]).values()),
              "deleted at the source, still in the second fairdexd")
        check(b.call({"op": "status"})["records"] == total - len(gone), "second fairdexd's count after deletions")
    finally:
        if b:
            b.stop()
        a.stop()
        srv.stop()


# ---- DCAT ------------------------------------------------------------------

def test_dcat_catalogue_rdflib(tmp):
    """/dcat in Turtle, RDF/XML and JSON-LD (content negotiation, then
    ?format= through hydra:next): Debian's python3-rdflib parses every page
    and counts one dataset per record, each with its FAIR measurements and
    its provenance."""
    if not os.path.exists("/usr/bin/python3") or subprocess.run(
            ["/usr/bin/python3", "-c", "import rdflib"], capture_output=True).returncode != 0:
        raise Skip("Debian's python3-rdflib is not installed")
    n = int(os.environ.get("FD_TEST_DCAT_RECORDS", "1000"))
    srv, d = http_daemon(tmp, n)
    try:
        total = d.call({"op": "status"})["records"]
        for fmt in ("ttl", "rdfxml", "jsonld"):
            p = subprocess.run(["/usr/bin/python3", os.path.join(TOOLS, "dcat_walk.py"), f"http://127.0.0.1:{d.port}",
                                fmt], capture_output=True, text=True, timeout=600)
            check(p.returncode == 0, f"dcat_walk {fmt}: {p.stderr[-2000:]}")
            r = json.loads(p.stdout)
            check(r["datasets"] == total and r["ids"] == total and r["total"] == total,
                  f"{fmt}: {r}, the index holds {total}")
            check(r["derived"] == total and r["measurements"] >= 5 * total, f"{fmt}: provenance or DQV: {r}")
        check(get(d.port, "/dcat?format=n3")[0] == 406, "an unknown format")
        check(get(d.port, "/dcat?after=zz")[0] == 400, "a bad page key")
    finally:
        d.stop()
        srv.stop()


# ---- AI-ready export ---------------------------------------------------------

def dump_lines(port, query=""):
    status, headers, body = get(port, "/dump" + query)
    check(status == 200 and headers["Content-Type"] == "application/gzip", f"/dump{query}: {status} {headers}")
    return [json.loads(line) for line in gzip.decompress(body).decode().splitlines()]


def test_dump_and_croissant(tmp):
    """/dump streams every record as gzip'ed JSON lines with SPDX licence,
    reusable flag, provenance and FAIR scores; ?since= gives exactly the
    changes, deletions as tombstone lines; ?reusable=1 and ?source= narrow
    it; /croissant.json describes it."""
    n = 1500
    srv = OAIServer(tmp, "--generate", str(n), "--page-size", "500", "--admin")
    port = free_port()
    d = Daemon(tmp, [{"name": "zen", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1h"}],
               extra=f"http:\n  listen: \"127.0.0.1:{port}\"").start()
    try:
        check(d.wait_harvested("zen")["state"] == "ok", "harvest")
        total = d.call({"op": "status"})["records"]
        lines = dump_lines(port)
        check(len(lines) == total and len({x["id"] for x in lines}) == total, f"{len(lines)} lines, {total} records")
        for x in lines:
            check(set(x) >= {"id", "titles", "license", "reusable", "provenance", "fair"}, sorted(x))
            check(x["provenance"]["source"] == "zen" and x["provenance"]["source_url"] == srv.url, x["provenance"])
            check(x["provenance"]["original_id"] and x["provenance"]["changed"], x["provenance"])
            check(x["fair"] is None or 0 <= x["fair"]["overall"] <= 100, x["fair"])
            check(x["license"] is None or not x["license"].startswith("http"), x["license"])
        reusable = dump_lines(port, "?reusable=1")
        check(reusable and all(x["reusable"] for x in reusable), "reusable=1")
        check(len(reusable) == sum(x["reusable"] for x in lines), "reusable=1 lost records")
        check(len(dump_lines(port, "?source=zen")) == total and dump_lines(port, "?source=elsewhere") == [],
              "source=")
        check(get(port, "/dump?since=yesterday")[0] == 400, "a bad since")

        mark = max(x["provenance"]["changed"] for x in lines)
        time.sleep(1.1)
        ch = srv.admin("/admin/mutate?delete=10&modify=5")
        check(harvest_again(d, "zen")["state"] == "ok", "second harvest")
        since = (datetime.datetime.strptime(mark, "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(seconds=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        changed = dump_lines(port, "?since=" + since)
        gone = {"zen:" + x for x in ch["deleted"]}
        check(len(gone) == 10, f"the server deleted {len(gone)} records, not 10")
        modified = {"zen:" + x for x in ch["modified"]} - gone
        check({x["id"] for x in changed if x.get("deleted")} == gone, f"tombstones: {changed}")
        check({x["id"] for x in changed if not x.get("deleted")} == modified, f"changed: {changed}")

        # fairdex dump writes the same lines through the socket's dump op.
        out = os.path.join(tmp, "dump.jsonl.gz")
        r = run_cli("dump", "--out", out, socket_path=d.socket)
        check(r.returncode == 0, f"fairdex dump: {r.stderr}")
        with gzip.open(out, "rt") as f:
            cli_lines = [json.loads(x) for x in f]
        live_now = dump_lines(port)
        check([x["id"] for x in cli_lines] == [x["id"] for x in live_now] and cli_lines == live_now,
              f"fairdex dump wrote {len(cli_lines)} lines, /dump {len(live_now)}")
        r = run_cli("dump", "--since", since, "--out", out, socket_path=d.socket)
        check(r.returncode == 0, f"fairdex dump --since: {r.stderr}")
        with gzip.open(out, "rt") as f:
            check([json.loads(x) for x in f] == changed, "fairdex dump --since differs from /dump?since=")
        r = run_cli("dump", "--reusable", "--source", "zen", "--out", out, socket_path=d.socket)
        check(r.returncode == 0, f"fairdex dump --reusable: {r.stderr}")
        with gzip.open(out, "rt") as f:
            got = [json.loads(x) for x in f]
            check(got and all(x["reusable"] for x in got), "fairdex dump --reusable")
        r = run_cli("dump", "--croissant", "--out", out + ".json", socket_path=d.socket)
        check(r.returncode == 0 and json.load(open(out + ".json"))["recordSet"][0]["@id"] == "records",
              f"fairdex dump --croissant: {r.stderr}")
        check(run_cli("dump", socket_path=d.socket).returncode == 2, "dump without --out")

        status, _, body = get(port, "/croissant.json")
        c = json.loads(body)
        check(status == 200 and c["@type"] == "sc:Dataset" and c["conformsTo"] == "http://mlcommons.org/croissant/1.0",
              c)
        names = {f["name"] for f in c["recordSet"][0]["field"]}
        check({"id", "license", "reusable", "provenance", "fair"} <= names, names)
        check(c["distribution"][0]["contentUrl"] == f"http://127.0.0.1:{port}/dump", c["distribution"])
    finally:
        d.stop()
        srv.stop()
