"""The Debian package: debian/ builds with `dpkg-buildpackage -us -uc -b`
out of a copy of the tree (the files git knows, so no build directory
comes along), lintian finds no error or warning in it, and the .deb holds
the binaries, the units, the sysusers.d and tmpfiles.d snippets, the man
pages and the default configuration (a conffile) at Debian's paths, wired
together: the units start the packaged binary on the packaged
configuration, and that binary harvests the packaged sample.

The build runs with DEB_BUILD_OPTIONS=nocheck (the Check suites run
elsewhere in scripts/test), so it costs a compile of the daemon and the
client: about 20 s on two idle cores, a minute on busy ones.  Skipped where dpkg-buildpackage is
not installed (not a Debian machine) or the tree is not a git checkout;
scripts/setup installs debhelper and lintian, so on Debian a missing
build dependency fails."""
import os
import re
import shutil
import subprocess

from harness import ROOT, Skip, check

BUILD_OPTIONS = "nocheck parallel=2"


def run(cmd, cwd, timeout, env=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


def tracked_tree(dest):
    """Copies the files git knows (tracked, or new and not ignored) to dest."""
    r = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT, 60)
    if r.returncode != 0:
        raise Skip(f"the tree is not a git checkout: {r.stderr.strip()[:200]}")
    for rel in filter(None, r.stdout.split("\0")):
        src = os.path.join(ROOT, rel)
        if not os.path.isfile(src):  # deleted in the work tree, or a submodule
            continue
        os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel))


def unitdir():
    """Where meson puts the units: systemd.pc's systemdsystemunitdir, as in
    systemd/meson.build."""
    r = subprocess.run(["pkg-config", "--variable=systemdsystemunitdir", "systemd"], capture_output=True, text=True)
    return (r.stdout.strip() if r.returncode == 0 and r.stdout.strip() else "/lib/systemd/system").lstrip("/")


def build(tmp):
    """Builds the package in tmp (the results land there); returns the .deb's path."""
    if not shutil.which("dpkg-buildpackage"):
        raise Skip("dpkg-buildpackage is not installed (not a Debian machine)")
    src = os.path.join(tmp, "fairdex")
    tracked_tree(src)
    r = run(["dpkg-checkbuilddeps", "-P", "nocheck"], src, 60)
    check(r.returncode == 0, f"build dependencies missing (scripts/setup installs them): {r.stderr.strip()}")
    r = run(["dpkg-buildpackage", "-us", "-uc", "-b"], src, 900, {"DEB_BUILD_OPTIONS": BUILD_OPTIONS})
    log = r.stdout + r.stderr
    with open(os.path.join(tmp, "dpkg-buildpackage.log"), "w") as f:
        f.write(log)
    check(r.returncode == 0, f"dpkg-buildpackage failed ({r.returncode}): {log[-3000:]}")
    debs = [f for f in os.listdir(tmp) if re.fullmatch(r"fairdex_[^_]+_[^_]+\.deb", f)]
    check(len(debs) == 1, f"expected one fairdex .deb, found {sorted(os.listdir(tmp))}")
    return os.path.join(tmp, debs[0])


def test_package_builds_lintian_clean_and_installs_at_debian_paths(tmp):
    deb = build(tmp)
    changes = [f for f in os.listdir(tmp) if f.endswith(".changes")]
    check(len(changes) == 1, f"expected one .changes, found {changes}")

    # lintian on everything built (the .deb and its dbgsym): no error, no
    # warning.  Overrides, if any, live in debian/ with their reasons.
    r = run(["lintian", "--fail-on", "error,warning", os.path.join(tmp, changes[0])], tmp, 300)
    tags = [l for l in r.stdout.splitlines() if re.match(r"[EW]: ", l)]
    check(r.returncode == 0 and not tags, f"lintian ({r.returncode}): {r.stdout}{r.stderr}")

    listing = run(["dpkg-deb", "-c", deb], tmp, 60)
    check(listing.returncode == 0, listing.stderr)
    modes = {}
    for line in listing.stdout.splitlines():
        fields = line.split()
        modes[fields[5].lstrip(".").lstrip("/").split(" -> ")[0]] = fields[0]
    units = unitdir()
    expected = {
        "usr/sbin/fairdexd": "-rwxr-xr-x",
        "usr/bin/fairdex": "-rwxr-xr-x",
        f"{units}/fairdex.service": "-rw-r--r--",
        f"{units}/fairdex.socket": "-rw-r--r--",
        f"{units}/fairdex-http.socket": "-rw-r--r--",
        "usr/lib/sysusers.d/fairdex.conf": "-rw-r--r--",
        "usr/lib/tmpfiles.d/fairdex.conf": "-rw-r--r--",
        "usr/share/man/man8/fairdexd.8.gz": "-rw-r--r--",
        "usr/share/man/man1/fairdex.1.gz": "-rw-r--r--",
        "usr/share/man/man5/fairdex.yaml.5.gz": "-rw-r--r--",
        "etc/fairdex/fairdex.yaml": "-rw-r--r--",
        "usr/share/fairdex/sample/repository.xml": "-rw-r--r--",
        "usr/share/doc/fairdex/copyright": "-rw-r--r--",
    }
    for path, mode in expected.items():
        check(path in modes, f"{path} is not in the package: {sorted(modes)}")
        check(modes[path] == mode, f"{path} has mode {modes[path]}, expected {mode}")

    ctl = os.path.join(tmp, "control")
    r = run(["dpkg-deb", "-e", deb, ctl], tmp, 60)
    check(r.returncode == 0, r.stderr)
    with open(os.path.join(ctl, "conffiles")) as f:
        check(f.read().split() == ["/etc/fairdex/fairdex.yaml"], "the configuration is not the one conffile")
    with open(os.path.join(ctl, "postinst")) as f:
        postinst = f.read()
    # the user exists before tmpfiles.d makes its directories, and both before the units start
    order = [postinst.find(s) for s in ("systemd-sysusers", "systemd-tmpfiles", "deb-systemd-invoke")]
    check(-1 not in order and order == sorted(order), f"postinst does not create the user, then the "
          f"directories, then start the units: {postinst}")
    with open(os.path.join(ctl, "control")) as f:
        depends = re.search(r"^Depends: (.*)$", f.read(), re.M).group(1)
    check("systemd-sysusers" in depends, f"Depends names no systemd-sysusers provider: {depends}")

    # the files agree with each other: the service runs the packaged binary on
    # the packaged configuration, whose sample the package ships and the
    # packaged binary harvests.
    root = os.path.join(tmp, "root")
    r = run(["dpkg-deb", "-x", deb, root], tmp, 60)
    check(r.returncode == 0, r.stderr)
    with open(os.path.join(root, units, "fairdex.service")) as f:
        service = f.read()
    check(re.search(r"^ExecStart=/usr/sbin/fairdexd -c /etc/fairdex/fairdex\.yaml$", service, re.M),
          f"fairdex.service does not start the packaged daemon on the conffile: {service}")
    with open(os.path.join(root, "usr/lib/sysusers.d/fairdex.conf")) as f:
        check(re.search(r"^u fairdex ", f.read(), re.M), "sysusers.d does not create the fairdex user")
    with open(os.path.join(root, "usr/lib/tmpfiles.d/fairdex.conf")) as f:
        check(re.search(r"^d /var/lib/fairdex 0750 fairdex fairdex", f.read(), re.M),
              "tmpfiles.d does not make the state directory")
    with open(os.path.join(root, "etc/fairdex/fairdex.yaml")) as f:
        conf = f.read()
    for line in ("state_dir: /var/lib/fairdex", "socket: /run/fairdex/fairdex.sock",
                 "url: file:///usr/share/fairdex/sample/repository.xml"):
        check(re.search(rf"^\s*{re.escape(line)}$", conf, re.M), f"the conffile lacks '{line}': {conf}")

    fairdexd = os.path.join(root, "usr/sbin/fairdexd")
    r = run([fairdexd, "-c", os.path.join(root, "etc/fairdex/fairdex.yaml"), "--check-config"], tmp, 60)
    check(r.returncode == 0, f"the packaged daemon refuses the packaged configuration: {r.stdout}{r.stderr}")
    local = os.path.join(tmp, "local.yaml")
    with open(local, "w") as f:
        f.write(conf.replace("/var/lib/fairdex", os.path.join(tmp, "state"))
                .replace("/run/fairdex/fairdex.sock", os.path.join(tmp, "fairdex.sock"))
                .replace("file:///usr/share/", "file://" + os.path.join(root, "usr/share/")))
    r = run([fairdexd, "-c", local, "--once"], tmp, 300)
    check(r.returncode == 0, f"the packaged daemon did not harvest the packaged sample: {r.stdout}{r.stderr}")
    with open(os.path.join(root, "usr/share/fairdex/sample/repository.xml")) as f:
        records = f.read().count("<oai:record>")
    m = re.search(r"fairdexd stopped: (\d+) records in the index", r.stdout + r.stderr)
    check(records > 0 and m and int(m.group(1)) == records,
          f"the packaged daemon did not index the sample's {records} records: {r.stderr[-1000:]}")
