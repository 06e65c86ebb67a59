"""harness.py: real parts for fairdex's integration tests.

Starts the real fairdexd on a temporary state directory and socket, waits
for READY=1 on a test NOTIFY_SOCKET (as systemd would), talks NDJSON to its
socket, and runs tests/tools/oai_server.py on an ephemeral port.  Every
response the tests receive passes check_response() against the protocol's
shape (docs/protocol.md)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "tests", "tools")
BUILD = os.environ.get("FD_BUILD", os.path.join(ROOT, "build"))
FAIRDEXD = os.path.join(BUILD, "fairdexd")
FAIRDEX = os.path.join(BUILD, "fairdex")

sys.path.insert(0, TOOLS)
import gen_corpus  # noqa: E402

ERROR_CODES = {"nomem", "invalid", "parse", "limit", "io", "http", "protocol", "not_found", "index",
               "locked", "corrupt", "unsupported", "cancelled", "internal", "busy", "forbidden"}


class Failure(AssertionError):
    pass


class Skip(Exception):
    """Raised by a test that cannot run on this machine; its message says
    why.  run.py counts it as skipped, neither passed nor failed."""


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def check_response(resp):
    """The protocol's invariants, checked on every reply the tests see."""
    check(isinstance(resp, dict), f"response is not an object: {resp!r}")
    check(isinstance(resp.get("ok"), bool), f"response without boolean 'ok': {resp!r}")
    if not resp["ok"]:
        err = resp.get("error")
        check(isinstance(err, dict), f"error response without 'error' object: {resp!r}")
        check(err.get("code") in ERROR_CODES, f"unknown error code: {resp!r}")
        check(isinstance(err.get("message"), str) and err["message"], f"error without message: {resp!r}")
    return resp


def wait_until(fn, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise Failure(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


def free_port():
    """A TCP port of 127.0.0.1 nobody listens on (for http.listen)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kib(pid, key="VmRSS"):
    """A memory figure of process pid in KiB from /proc (VmRSS; VmHWM is its peak)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def corpus_truth(n, seed=42):
    """The records oai_server.py --generate n serves: id -> record."""
    return {r["id"]: r for r in gen_corpus.iter_records(seed, n)}


class OAIServer:
    """tests/tools/oai_server.py (or another server of tests/tools given as
    tool, which prints "serving URL" once ready) on a free port."""
    def __init__(self, tmp, *args, tool="oai_server.py"):
        name = tool.rsplit(".", 1)[0]
        self.log = open(os.path.join(tmp, name + ".log"), "w")
        self.proc = subprocess.Popen([sys.executable, os.path.join(TOOLS, tool), "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        check("serving http://" in line, f"{name} did not start: {line!r}")
        self.url = line.rsplit("serving ", 1)[1].strip()
        self.base = self.url.rsplit("/", 1)[0]

    def admin(self, path):
        import urllib.request
        with urllib.request.urlopen(self.base + path, timeout=30) as r:
            return json.loads(r.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.log.close()


class Client:
    def __init__(self, path, timeout=30):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""

    def send_raw(self, data):
        self.sock.sendall(data)

    def read_line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise Failure("daemon closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return check_response(json.loads(line))

    def call(self, obj):
        self.send_raw(json.dumps(obj).encode() + b"\n")
        return self.read_line()

    def close(self):
        self.sock.close()


class Daemon:
    """fairdexd on a temporary state dir; sources is a list of dicts."""

    def __init__(self, tmp, sources, extra="", name="fairdexd"):
        self.tmp = tmp
        self.state = os.path.join(tmp, "state")
        self.socket = os.path.join(tmp, "fairdex.sock")
        self.config = os.path.join(tmp, "fairdex.yaml")
        self.logpath = os.path.join(tmp, name + ".log")
        self.proc = None
        lines = [f"state_dir: {self.state}", f"socket: {self.socket}", "log_level: info",
                 "contact: tests@fairdex.invalid", extra, "sources:" if sources else "sources: []"]
        for s in sources:
            lines.append(f"  - name: {s['name']}")
            for k, v in s.items():
                if k != "name":
                    lines.append(f"    {k}: {v}")
        with open(self.config, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self, wait_ready=True, args=(), env=None, activate=(), fdnames=None):
        """Starts fairdexd (with more args, and the environment variables env
        set for it alone: test hooks such as FD_TEST_RUBRIC_VERSION).
        activate: listening sockets handed over as systemd's socket
        activation does, as fds 3, 4, … with LISTEN_FDS, LISTEN_PID and,
        when fdnames is given, LISTEN_FDNAMES."""
        notify = os.path.join(self.tmp, "notify.sock")
        if os.path.exists(notify):
            os.unlink(notify)
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(notify)
        env = dict(os.environ, NOTIFY_SOCKET=notify, **(env or {}))
        self.log = open(self.logpath, "a")
        cmd, popen = [FAIRDEXD, "-c", self.config, *args], {}
        if activate:
            fds = [s.fileno() for s in activate]
            env["LISTEN_FDS"] = str(len(fds))
            if fdnames:
                env["LISTEN_FDNAMES"] = ":".join(fdnames)
            # LISTEN_PID must be the daemon's own pid: a shell sets it and execs
            cmd = ["sh", "-c", 'LISTEN_PID=$$ exec "$@"', "sh", *cmd]

            def move_fds():
                for i, fd in enumerate(fds):
                    os.dup2(fd, 3 + i)
            popen = {"pass_fds": fds, "preexec_fn": move_fds}
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log, env=env, **popen)
        if wait_ready:
            self.wait_notify("READY=1", 30)
        return self

    def wait_notify(self, what, timeout):
        self.notify.settimeout(0.2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.notify.recv(4096).decode()
            except socket.timeout:
                check(self.proc.poll() is None, f"fairdexd exited ({self.proc.returncode}) before {what}: "
                      + self.read_log()[-2000:])
                continue
            if what in msg.split("\n"):
                return
        raise Failure(f"no {what} from fairdexd in {timeout} s")

    def client(self):
        return Client(self.socket)

    def call(self, obj):
        c = self.client()
        try:
            return c.call(obj)
        finally:
            c.close()

    def source(self, name):
        for s in self.call({"op": "status"})["sources"]:
            if s["name"] == name:
                return s
        raise Failure(f"no source {name} in status")

    def wait_harvested(self, name, timeout=120):
        """Waits until the source's run ended; returns its status entry."""
        return wait_until(lambda: (lambda s: s if s["state"] in ("ok", "failed") else None)(self.source(name)),
                          timeout, f"harvest of {name}")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=60):
        try:
            return self.proc.wait(timeout)
        finally:
            self.log.close()
            self.notify.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()
            self.notify.close()

    def read_log(self):
        with open(self.logpath, errors="replace") as f:
            return f.read()


def run_cli(*args, socket_path=None):
    cmd = [FAIRDEX] + (["-s", socket_path] if socket_path else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def tempdir():
    return tempfile.mkdtemp(prefix="fairdex-it-")


def cleanup(tmp):
    shutil.rmtree(tmp, ignore_errors=True)


def get_many(daemon, ids, batch=200):
    """Pipelined `get` of every id on one connection: id -> stored record,
    or None when the daemon answers not_found.  Any other error fails."""
    out = {}
    ids = list(ids)
    c = daemon.client()
    try:
        for i in range(0, len(ids), batch):
            chunk = ids[i:i + batch]
            c.send_raw(b"".join(json.dumps({"op": "get", "id": x}).encode() + b"\n" for x in chunk))
            for x in chunk:
                r = c.read_line()
                if r["ok"]:
                    check(r["record"]["id"] == x, f"get {x} answered {r['record'].get('id')}")
                    out[x] = r["record"]
                else:
                    check(r["error"]["code"] == "not_found", f"get {x}: {r}")
                    out[x] = None
    finally:
        c.close()
    return out


def harvest_again(daemon, name, timeout=120):
    """Asks the daemon (admin op `harvest`) to run source name now and waits
    for that run to end; returns the source's status entry.  Times have a
    one-second resolution, so it first lets the previous start's second pass."""
    prev = daemon.source(name)["last_start"]
    time.sleep(1.1)
    r = daemon.call({"op": "harvest", "source": name})
    check(r["ok"], f"harvest op refused: {r}")

    def done():
        s = daemon.source(name)
        return s if s["state"] in ("ok", "failed") and s["last_start"] != prev else None
    return wait_until(done, timeout, f"a new run of {name}")
