"""systemd integration: the units pass systemd-analyze verify and rate
well in systemd-analyze security; the daemon takes a listening socket
handed over the way systemd does it (LISTEN_FDS/LISTEN_PID, fd 3); and,
where systemd runs, fairdexd runs as a transient Type=notify service under
it.  Where none runs that last test is skipped, saying why; the same
behaviours are then driven directly here and in test_ops.py (READY=1,
STATUS= and WATCHDOG=1 read from a NOTIFY_SOCKET the test owns)."""
import os
import re
import shutil
import socket
import subprocess
import time
import uuid

from harness import BUILD, FAIRDEXD, Client, Daemon, Skip, check, wait_until

UNITS = os.path.join(BUILD, "systemd")


def units_with_binary(tmp):
    """The built units, with ExecStart pointing at the built daemon."""
    out = os.path.join(tmp, "units")
    os.makedirs(out)
    for unit in ("fairdex.service", "fairdex.socket", "fairdex-http.socket"):
        with open(os.path.join(UNITS, unit)) as f:
            text = f.read()
        text = re.sub(r"^ExecStart=\S+", "ExecStart=" + FAIRDEXD, text, flags=re.M)
        with open(os.path.join(out, unit), "w") as f:
            f.write(text)
    return out


def test_units_verify_and_security(tmp):
    if not shutil.which("systemd-analyze"):
        raise Skip("systemd-analyze is not installed on this machine")
    out = units_with_binary(tmp)
    r = subprocess.run(["systemd-analyze", "verify", "--man=no", "fairdex.service", "fairdex.socket",
                        "fairdex-http.socket"],
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
    d = Daemon(tmp, [])
    try:
        d.start(activate=[listener])
        check(not os.path.exists(d.socket), "daemon bound its own socket although one was handed over")
        c = Client(path)
        st = c.call({"op": "status"})
        check(st["ok"] and st["records"] == 0, st)
        c.close()
    finally:
        d.stop()
        listener.close()
    check(os.path.exists(path), "daemon removed the socket systemd owns")


def systemd_run_cmd():
    """systemd-run's command prefix for a transient service on this machine
    (the system manager for root, the user manager otherwise); Skip when no
    systemd runs or it refuses transient units."""
    if not os.path.isdir("/run/systemd/system"):
        with open("/proc/1/comm") as f:
            init = f.read().strip()
        raise Skip(f"no running systemd on this machine (/run/systemd/system is absent, PID 1 is '{init}'); "
                   "notify, watchdog and socket activation are driven directly instead")
    if not shutil.which("systemd-run"):
        raise Skip("systemd runs but systemd-run is not installed")
    cmd = ["systemd-run"] + ([] if os.geteuid() == 0 else ["--user"])
    probe = subprocess.run(cmd + ["--quiet", "--wait", "--collect", "true"], capture_output=True, text=True,
                           timeout=60)
    if probe.returncode != 0:
        raise Skip(f"systemd runs but refuses a transient unit: {probe.stderr.strip()[:300]}")
    return cmd


def test_under_real_systemd(tmp):
    """fairdexd as a transient Type=notify service with a watchdog: systemd
    sees it active only after READY=1, shows its STATUS= text, keeps it
    running past several watchdog periods, and `systemctl stop` (SIGTERM)
    ends it with exit status 0."""
    cmd = systemd_run_cmd()
    ctl = ["systemctl"] + ([] if os.geteuid() == 0 else ["--user"])
    unit = f"fairdex-it-{uuid.uuid4().hex[:8]}"
    d = Daemon(tmp, [])
    log = os.path.join(tmp, "service.log")
    result = os.path.join(tmp, "result")

    def show(prop):
        r = subprocess.run(ctl + ["show", "-p", prop, "--value", unit], capture_output=True, text=True, timeout=30)
        return r.stdout.strip()

    r = subprocess.run(cmd + ["--quiet", f"--unit={unit}", "-p", "Type=notify", "-p", "NotifyAccess=main",
                              "-p", "WatchdogSec=2", "-p", "TimeoutStopSec=30", "-p", f"StandardError=file:{log}",
                              "-p", f"ExecStopPost=/bin/sh -c 'echo $SERVICE_RESULT $EXIT_STATUS > {result}'",
                              FAIRDEXD, "-c", d.config], capture_output=True, text=True, timeout=90)
    try:
        check(r.returncode == 0, f"systemd-run failed: {r.stderr}")
        # systemd-run returns once the start job is done: for Type=notify,
        # after READY=1, so the socket must answer now.
        check(show("ActiveState") == "active", f"unit not active after start: {show('ActiveState')}")
        st = Client(d.socket).call({"op": "status"})
        check(st["ok"], st)
        wait_until(lambda: show("StatusText").startswith("idle"), 10, "an idle STATUS= text")
        time.sleep(5)  # 2.5 watchdog periods
        check(show("ActiveState") == "active", f"watchdog killed the service: {show('Result')}")
        subprocess.run(ctl + ["stop", unit], check=True, timeout=60)
        out = wait_until(lambda: os.path.exists(result) and open(result).read().split(), 10, "ExecStopPost")
        check(out == ["success", "0"], f"stop ended with {out}, log: {open(log).read()[-1000:]}")
    finally:
        subprocess.run(ctl + ["stop", unit], capture_output=True, timeout=60)
        subprocess.run(ctl + ["reset-failed", unit], capture_output=True, timeout=60)
