"""systemd integration without a running systemd: the units pass
systemd-analyze verify and rate well in systemd-analyze security, and the
daemon takes a listening socket handed over the way systemd does it
(LISTEN_FDS/LISTEN_PID, fd 3)."""
import os
import re
import shutil
import socket
import subprocess

from harness import BUILD, FAIRDEXD, Client, Daemon, check, wait_until

UNITS = os.path.join(BUILD, "systemd")


def units_with_binary(tmp):
    """The built units, with ExecStart pointing at the built daemon."""
    out = os.path.join(tmp, "units")
    os.makedirs(out)
    for unit in ("fairdex.service", "fairdex.socket"):
        with open(os.path.join(UNITS, unit)) as f:
            text = f.read()
        text = re.sub(r"^ExecStart=\S+", "ExecStart=" + FAIRDEXD, text, flags=re.M)
        with open(os.path.join(out, unit), "w") as f:
            f.write(text)
    return out


def test_units_verify_and_security(tmp):
    if not shutil.which("systemd-analyze"):
        print("skipped: systemd-analyze is not installed on this machine")
        return
    out = units_with_binary(tmp)
    r = subprocess.run(["systemd-analyze", "verify", "--man=no", "fairdex.service", "fairdex.socket"],
                       cwd=out, capture_output=True, text=True, timeout=60)
    check(r.returncode == 0 and not r.stderr.strip(), f"systemd-analyze verify: {r.stdout}{r.stderr}")
    r = subprocess.run(["systemd-analyze", "security", "--offline=true", os.path.join(out, "fairdex.service")],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for fairdex\.service: ([0-9.]+)", r.stdout + r.stderr)
    check(m, f"no exposure level in: {r.stdout[-500:]}{r.stderr[-500:]}")
    check(float(m.group(1)) < 3.0, f"exposure {m.group(1)} is not under 3.0")
    print(f"systemd-analyze security: exposure {m.group(1)}")


def test_socket_activation(tmp):
    path = os.path.join(tmp, "activated.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    fd = listener.fileno()
    d = Daemon(tmp, [])
    notify = os.path.join(tmp, "notify.sock")
    d.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    d.notify.bind(notify)
    d.log = open(d.logpath, "a")
    env = dict(os.environ, NOTIFY_SOCKET=notify, LISTEN_FDS="1")
    d.proc = subprocess.Popen(["sh", "-c", 'LISTEN_PID=$$ exec "$0" -c "$1"', FAIRDEXD, d.config],
                              stdout=d.log, stderr=d.log, env=env, pass_fds=[fd],
                              preexec_fn=lambda: os.dup2(fd, 3))
    try:
        d.wait_notify("READY=1", 30)
        check(not os.path.exists(d.socket), "daemon bound its own socket although one was handed over")
        c = Client(path)
        st = c.call({"op": "status"})
        check(st["ok"] and st["records"] == 0, st)
        c.close()
    finally:
        d.stop()
        listener.close()
    check(os.path.exists(path), "daemon removed the socket systemd owns")
