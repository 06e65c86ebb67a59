"""A node of the federation (issue 17): the read-only HTTP listener.

/metrics is checked by Debian's promtool (prometheus package) and must
hold the socket op's families with fairdex_records{source=...}; the
listener answers only GET and HEAD, bounds header sizes (431/414 or a
closed connection), keeps connections alive and compresses with gzip when
asked; a hostile-request fuzz keeps the daemon up with a flat RSS."""
import gzip
import http.client
import os
import random
import shutil
import socket
import subprocess
import time

from harness import Daemon, OAIServer, Skip, check, corpus_truth, wait_until


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


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


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


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


def test_http_socket_activation(tmp):
    """Two sockets handed over as fairdex.socket and fairdex-http.socket do:
    the Unix one (fd 3) for queries, the TCP one named "http" (fd 4) for
    HTTP; the daemon binds neither its socket path nor http.listen."""
    import harness
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(os.path.join(tmp, "activated.sock"))
    unix.listen(16)
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(16)
    port = tcp.getsockname()[1]
    unused = free_port()
    d = Daemon(tmp, [], extra=f"http:\n  listen: \"127.0.0.1:{unused}\"")
    notify = os.path.join(tmp, "notify.sock")
    d.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    d.notify.bind(notify)
    d.log = open(d.logpath, "a")
    env = dict(os.environ, NOTIFY_SOCKET=notify, LISTEN_FDS="2", LISTEN_FDNAMES="fairdex.socket:http")

    def fds():
        os.dup2(unix.fileno(), 3)
        os.dup2(tcp.fileno(), 4)
    d.proc = subprocess.Popen(["sh", "-c", 'LISTEN_PID=$$ exec "$0" -c "$1"', harness.FAIRDEXD, d.config],
                              stdout=d.log, stderr=d.log, env=env, pass_fds=[unix.fileno(), tcp.fileno()],
                              preexec_fn=fds)
    try:
        d.wait_notify("READY=1", 30)
        status, _, body = get(port, "/metrics")
        check(status == 200 and b"fairdex_index_commits_total" in body, f"activated http socket: {status}")
        c = harness.Client(os.path.join(tmp, "activated.sock"))
        check(c.call({"op": "status"})["ok"], "activated unix socket")
        c.close()
        try:
            socket.create_connection(("127.0.0.1", unused), timeout=2).close()
            check(False, "the daemon bound http.listen although a socket was handed over")
        except ConnectionRefusedError:
            pass
    finally:
        d.stop()
        unix.close()
        tcp.close()
