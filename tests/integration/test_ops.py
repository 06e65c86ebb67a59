"""Operating fairdexd (issue 6): the watchdog and STATUS= lines read from
a NOTIFY_SOCKET the test owns, reload (the op and SIGHUP) adding, removing
and moving sources while a harvest runs, purge of a removed source, an
invalid reload that keeps the running configuration, max_harvests, jitter,
a stuck harvest cancelled and backed off with `status` saying so, the
`errors` and `metrics` ops, a full disk (a 3 MiB tmpfs, skipped with a
reason when it cannot be mounted) failing the run with the index usable,
and time windows: a source whose window is closed waits for it, a run asked
for by the operator goes anyway, and a run still going when its window
closes stops at its checkpoint, not failed, and resumes in the next one
(the test hook FD_TEST_WINDOW_OFFSET puts the daemon seconds before a
window's end instead of waiting for the minute)."""
import calendar
import os
import signal
import socket
import subprocess
import time

from harness import FAIRDEXD, Daemon, OAIServer, Skip, check, corpus_truth, harvest_again, run_cli, wait_until


def notifications(d, seconds):
    """Every notify message fairdexd sends in the next seconds."""
    out = []
    d.notify.settimeout(0.2)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            out.extend(d.notify.recv(4096).decode().split("\n"))
        except socket.timeout:
            pass
    return out


def write_config(d, sources, extra=""):
    lines = [f"state_dir: {d.state}", f"socket: {d.socket}", "log_level: info", extra,
             "sources:" if sources else "sources: []"]
    for s in sources:
        lines.append(f"  - name: {s['name']}")
        lines.extend(f"    {k}: {v}" for k, v in s.items() if k != "name")
    with open(d.config, "w") as f:
        f.write("\n".join(lines) + "\n")


def statuses(d):
    return {s["name"]: s for s in d.call({"op": "status"})["sources"]}


def live(n, seed=42):
    return {rid: r for rid, r in corpus_truth(n, seed).items() if not r["deleted"]}


def iso_secs(t):
    return time.mktime(time.strptime(t, "%Y-%m-%dT%H:%M:%SZ"))


def test_watchdog_and_status_lines(tmp):
    srv = OAIServer(tmp, "--generate", "600", "--page-size", "50", "--slow-ms", "150")
    d = Daemon(tmp, [{"name": "zen", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1h"}])
    os.environ["WATCHDOG_USEC"] = "2000000"
    try:
        d.start()
        msgs = notifications(d, 4)
        check(msgs.count("WATCHDOG=1") >= 3, f"fewer than 3 WATCHDOG=1 in 4 s with WatchdogSec=2: {msgs}")
        harvesting = [m for m in msgs if m.startswith("STATUS=harvesting zen: page ")]
        check(harvesting and " records" in harvesting[-1], f"no 'harvesting' STATUS: {msgs}")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(m.startswith("STATUS=idle") for m in msgs):
            msgs += notifications(d, 1)
        check(any(m.startswith("STATUS=idle, next run zen at ") for m in msgs), f"no idle STATUS: {msgs}")
        s = d.wait_harvested("zen", 60)
        check(s["state"] == "ok" and s["records"] == len(live(600)), s)
        # Jitter: the next run is the interval plus at most 2% of it (72 s).
        gap = iso_secs(s["next_run"]) - iso_secs(s["last_end"])
        check(3600 <= gap <= 3672, f"next run {gap} s after the end, wanted 3600..3672: {s}")
        check(s["failures"] == 0 and s["failing_since"] is None, s)
    finally:
        del os.environ["WATCHDOG_USEC"]
        d.stop()
        srv.stop()


def test_reload_adds_removes_moves_sources_during_a_harvest(tmp):
    srv_a = OAIServer(tmp, "--generate", "400", "--page-size", "50", "--slow-ms", "400")
    srv_b = OAIServer(tmp, "--generate", "100", "--page-size", "50", "--seed", "7")
    srv_c = OAIServer(tmp, "--generate", "150", "--page-size", "50", "--seed", "9")
    first = [{"name": "b", "type": "oai-pmh", "url": srv_b.url, "delay": "0"},
             {"name": "a", "type": "oai-pmh", "url": srv_a.url, "delay": "0"}]
    d = Daemon(tmp, first)
    try:
        d.start()
        wait_until(lambda: statuses(d)["b"]["state"] == "ok" and statuses(d)["a"]["state"] == "running"
                   and statuses(d)["a"]["records"] > 0, 60, "b harvested and a running")
        n_b = len(live(100, 7))
        check(statuses(d)["b"]["records"] == n_b, statuses(d)["b"])
        # a moves to another repository, b goes, c comes (serving b's old data).
        write_config(d, [{"name": "a", "type": "oai-pmh", "url": srv_c.url, "delay": "0"},
                         {"name": "c", "type": "oai-pmh", "url": srv_b.url, "delay": "0"}])
        r = d.call({"op": "reload"})
        check(r["ok"] and r["sources"] == 2, r)
        wait_until(lambda: (lambda s: s["a"]["state"] == "ok" and s["a"]["url"] == srv_c.url
                            and s["c"]["state"] == "ok" and s["a"]["last_complete"])(statuses(d)),
                   90, "a harvested in full from its new URL, and c")
        st = statuses(d)
        check(st["b"]["removed"] and st["b"]["records"] == n_b, f"removed b lost its records: {st['b']}")
        check(st["c"]["records"] == n_b and not st["c"]["removed"], st["c"])
        truth_c = corpus_truth(150, seed=9)
        check(st["a"]["records"] >= len(live(150, 9)), st["a"])
        for rid in [k for k, v in truth_c.items() if not v["deleted"]][:5]:
            got = d.call({"op": "get", "id": f"a:{rid}"})
            check(got["ok"] and got["record"]["datestamp"] == truth_c[rid]["datestamp"],
                  f"a's record {rid} is not the new repository's: {got}")
        r = d.call({"op": "harvest", "source": "b"})
        check(not r["ok"] and r["error"]["code"] == "not_found", r)

        # purge: refused for a configured source, then deletes b's records.
        r = d.call({"op": "purge", "source": "a"})
        check(not r["ok"] and "in the configuration" in r["error"]["message"], r)
        p = run_cli("purge", "b", socket_path=d.socket)
        check(p.returncode == 0 and f"{n_b} records deleted" in p.stdout, (p.returncode, p.stdout, p.stderr))
        wait_until(lambda: statuses(d)["b"]["records"] == 0, 30, "b's records gone")
        check(statuses(d)["c"]["records"] == n_b, "purge of b touched c")

        # An invalid configuration changes nothing.
        with open(d.config, "a") as f:
            f.write("bogus_key: 1\n")
        r = d.call({"op": "reload"})
        check(not r["ok"] and "unknown key 'bogus_key'" in r["error"]["message"], r)
        check("reload refused" in d.read_log(), "refused reload not logged")
        st = statuses(d)
        check(st["a"]["url"] == srv_c.url and not st["c"]["removed"], st)

        # SIGHUP: c goes.
        write_config(d, [{"name": "a", "type": "oai-pmh", "url": srv_c.url, "delay": "0"}])
        d.signal(signal.SIGHUP)
        wait_until(lambda: statuses(d)["c"]["removed"], 20, "c removed by SIGHUP")
        check(statuses(d)["c"]["records"] == n_b, "removed c lost its records")
        p = run_cli("reload", socket_path=d.socket)
        check(p.returncode == 0 and "1 sources" in p.stdout, (p.stdout, p.stderr))
    finally:
        d.stop()
        for s in (srv_a, srv_b, srv_c):
            s.stop()


def test_max_harvests_and_stuck_backoff(tmp):
    fast = OAIServer(tmp, "--generate", "300", "--page-size", "50", "--slow-ms", "100")
    other = fast.url.replace("127.0.0.1", "localhost")
    slow = OAIServer(tmp, "--generate", "10", "--slow-ms", "5000")
    src = [{"name": "x", "type": "oai-pmh", "url": fast.url, "delay": "0"},
           {"name": "y", "type": "oai-pmh", "url": other, "delay": "0"},
           {"name": "z", "type": "oai-pmh", "url": slow.url, "delay": "0"}]
    d = Daemon(tmp, src[:2], extra="max_harvests: 1\nstuck_after: 2s")
    try:
        d.start()
        both = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            st = statuses(d)
            both += sum(s["state"] == "running" for s in st.values()) > 1
            if all(s["state"] == "ok" for s in st.values()):
                break
            time.sleep(0.05)
        check(both == 0, f"two harvests at once with max_harvests: 1 ({both} polls)")
        check(all(s["records"] == len(live(300)) for s in statuses(d).values()), statuses(d))

        # A repository that answers every 5 s is stuck after 2 s.
        write_config(d, src, extra="max_harvests: 1\nstuck_after: 2s")
        check(d.call({"op": "reload"})["ok"], "reload")
        s = wait_until(lambda: (lambda z: z if z["state"] == "failed" else None)(statuses(d)["z"]), 40,
                       "z cancelled as stuck")
        check("stuck" in (s["last_error"] or "") and s["stuck"], s)
        check(s["failures"] == 1 and s["failing_since"] is not None, s)
        gap = iso_secs(s["next_run"]) - iso_secs(s["last_end"])
        check(gap == 300, f"first backoff {gap} s, wanted 300: {s}")
        check("stuck, no progress" in d.read_log(), "stuck run not logged")
        r = d.call({"op": "status"})
        check(r["ok"] and r["records"] == 2 * len(live(300)), r)
    finally:
        d.stop()
        fast.stop()
        slow.stop()


def test_errors_op_keeps_every_warning_of_the_last_runs(tmp):
    srv = OAIServer(tmp, "--generate", "300", "--page-size", "50", "--fail-rate", "0.3", "--fault-seed", "3")
    d = Daemon(tmp, [{"name": "flaky", "type": "oai-pmh", "url": srv.url, "delay": "0"}])
    # Twelve older runs on disk: the file keeps the last ten, this run included.
    os.makedirs(os.path.join(d.state, "errors"))
    with open(os.path.join(d.state, "errors", "flaky.jsonl"), "w") as f:
        for i in range(12):
            f.write(f'{{"start":"old{i}","end":"old{i}","status":"ok","count":0,"errors":[]}}\n')
    try:
        d.start()
        s = d.wait_harvested("flaky", 90)
        check(s["state"] == "ok", s)
        runs = wait_until(lambda: (lambda r: r["runs"] if r["runs"] and r["runs"][-1]["start"][:3] != "old"
                                   else None)(d.call({"op": "errors", "source": "flaky"})), 10, "the run's errors")
        check(len(runs) == 10 and runs[0]["start"] == "old3", [r["start"] for r in runs])
        last = runs[-1]
        warned = d.read_log().count("<4>source 'flaky': ")
        check(last["count"] == len(last["errors"]) and last["count"] >= 1, last)
        check(last["count"] == warned, f"{last['count']} errors kept, {warned} warnings logged")
        check(all(srv.url.split("/oai")[0] in e or "oai_datacite" in e for e in last["errors"]),
              f"errors without their URL: {last['errors'][:5]}")
        p = run_cli("errors", "flaky", socket_path=d.socket)
        check(p.returncode == 0 and f"{last['count']} errors" in p.stdout, (p.stdout, p.stderr))
        r = d.call({"op": "errors", "source": "nope"})
        check(not r["ok"] and r["error"]["code"] == "not_found", r)
    finally:
        d.stop()
        srv.stop()


def test_metrics_exposition(tmp):
    srv = OAIServer(tmp, "--generate", "200", "--page-size", "50")
    d = Daemon(tmp, [{"name": "m", "type": "oai-pmh", "url": srv.url, "delay": "0"}])
    try:
        d.start()
        check(d.wait_harvested("m", 60)["state"] == "ok", "harvest")
        for _ in range(5):
            d.call({"op": "search", "q": "data"})
        p = run_cli("metrics", socket_path=d.socket)
        check(p.returncode == 0, p.stderr)
        vals = {}
        for line in p.stdout.splitlines():
            if line and not line.startswith("#"):
                k, v = line.rsplit(" ", 1)
                vals[k] = float(v)
        check(vals['fairdex_records{source="m"}'] == len(live(200)), vals)
        check(vals['fairdex_harvest_runs_total{source="m"}'] == 1, vals)
        check(vals['fairdex_harvest_failures_total{source="m"}'] == 0, vals)
        check(vals['fairdex_pages_total{source="m"}'] == 4, vals)
        check(vals["fairdex_page_seconds_count"] == 4, vals)
        check(vals["fairdex_query_seconds_count"] >= 6, vals)   # 5 searches, the status polls, this one
        check(vals['fairdex_query_seconds_bucket{le="+Inf"}'] == vals["fairdex_query_seconds_count"], vals)
        check(vals["fairdex_index_bytes"] > 0, vals)
        for line in p.stdout.splitlines():
            check(line.startswith("# HELP ") or line.startswith("# TYPE ") or line.startswith("fairdex_"), line)
    finally:
        d.stop()
        srv.stop()


def test_disk_full_stops_harvest_and_keeps_index_usable(tmp):
    mnt = os.path.join(tmp, "small")
    os.makedirs(mnt)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt], capture_output=True, text=True)
    if r.returncode != 0:
        raise Skip(f"cannot mount a 3 MiB tmpfs for the disk-full test: {r.stderr.strip()}")
    srv = OAIServer(tmp, "--generate", "3000", "--page-size", "100")
    d = Daemon(tmp, [{"name": "e", "type": "oai-pmh", "url": srv.url, "delay": "0"}])
    d.state = os.path.join(mnt, "state")
    write_config(d, [{"name": "e", "type": "oai-pmh", "url": srv.url, "delay": "0"}])
    try:
        d.start()
        s = d.wait_harvested("e", 60)
        check(s["state"] == "failed" and "cannot index page" in (s["last_error"] or ""), s)
        check(s["failures"] == 1 and s["failing_since"], s)
        check(d.proc.poll() is None, "fairdexd exited on a full disk")
        st = d.call({"op": "status"})
        check(st["records"] == s["records"] and 0 < st["records"] < 3000, st)
        r = d.call({"op": "search", "q": "data", "limit": 5})
        check(r["ok"] and r["total"] > 0, f"index not searchable after ENOSPC: {r}")
        got = d.call({"op": "get", "id": r["hits"][0]["id"]})
        check(got["ok"], got)
    finally:
        d.stop()
        srv.stop()
        subprocess.run(["umount", mnt])


def utc_secs(t):
    return calendar.timegm(time.strptime(t, "%Y-%m-%dT%H:%M:%SZ"))


def hhmm(minute):
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def window(start, minutes):
    """The window text of [start, start + minutes), start in minutes after a
    UTC midnight (any day)."""
    return f"'{hhmm(start % 1440)}-{hhmm((start + minutes) % 1440)}'"


def in_window(t, start, jitter=30):
    """Whether epoch second t is in the first jitter seconds of the daily
    window opening at start (minutes after midnight UTC)."""
    return 0 <= (t - start * 60) % 86400 <= jitter


def test_window_defers_a_closed_source_and_runs_an_open_one(tmp):
    srv = OAIServer(tmp, "--generate", "200", "--page-size", "50")
    now = int(time.time())
    late = (now + 7200) // 60           # a one-minute window two hours ahead
    early = (now - 3600) // 60          # open from an hour ago to an hour ahead
    d = Daemon(tmp, [{"name": "late", "type": "oai-pmh", "url": srv.url, "delay": "0", "window": window(late, 1)},
                     {"name": "open", "type": "oai-pmh", "url": srv.url, "delay": "0",
                      "window": window(early, 120)}])
    try:
        d.start()
        s = d.wait_harvested("open", 60)
        check(s["state"] == "ok" and s["records"] == len(live(200)), s)
        check(in_window(utc_secs(s["next_run"]), early, 120 * 60), f"open's next run outside its window: {s}")
        s = d.source("late")
        check(s["state"] == "idle" and s["last_start"] is None and s["records"] == 0,
              f"late harvested outside its window: {s}")
        # Due now, so its next run is the opening plus a jitter of at most
        # half the window (30 s).
        check(in_window(utc_secs(s["next_run"]), late % 1440), f"late's next run not in its window: {s}")
        msgs = notifications(d, 1)
        check(any(m.startswith("STATUS=idle, next run late at ") and m.endswith(f"(window {window(late, 1)[1:-1]} UTC)")
                  for m in msgs), f"no idle STATUS naming late's window: {msgs}")

        # An operator's harvest goes at once, window or not; the one after
        # is back in the window.
        s = harvest_again(d, "late", 60)
        check(s["state"] == "ok" and s["records"] == len(live(200)) and s["last_error"] is None, s)
        check(in_window(utc_secs(s["next_run"]), late % 1440), f"late's next run not in its window: {s}")

        # A reload that moves the window moves the next run into it.
        later = (now + 3 * 3600) // 60
        write_config(d, [{"name": "late", "type": "oai-pmh", "url": srv.url, "delay": "0",
                          "window": window(later, 1)},
                         {"name": "open", "type": "oai-pmh", "url": srv.url, "delay": "0",
                          "window": window(early, 120)}])
        check(d.call({"op": "reload"})["ok"], "reload")
        s = d.source("late")
        check(in_window(utc_secs(s["next_run"]), later % 1440), f"late's next run not in its new window: {s}")
        check(s["state"] == "ok" and d.source("open")["state"] == "ok", statuses(d))
    finally:
        d.stop()
        srv.stop()


def test_window_closing_stops_a_run_at_its_checkpoint(tmp):
    # 30 pages, each answered after 0.5 s: at least 15 s, and the window
    # closes 12 s after the start.
    srv = OAIServer(tmp, "--generate", "3000", "--page-size", "100", "--slow-ms", "500", "--admin", "--verbose")
    src = [{"name": "w", "type": "oai-pmh", "url": srv.url, "delay": "0", "window": "'12:00-12:01'"}]
    d = Daemon(tmp, src)
    now = int(time.time())
    midnight = now - now % 86400
    # The daemon reads windows at 12:00:48 when started now.
    offset = midnight + 12 * 3600 + 48 - now
    os.environ["FD_TEST_WINDOW_OFFSET"] = str(offset)
    try:
        d.start()
        # The harvest thread ends the run as idle; the main thread then adds
        # why to last_error: wait for that.
        s = wait_until(lambda: (lambda s: s if s["last_start"] and s["state"] != "running"
                                and s["last_error"] else None)(d.source("w")),
                       40, "w's run to end")
        check(s["state"] == "idle" and "stopped at the end of its window 12:00-12:01" in (s["last_error"] or ""),
              f"run not stopped by its window: {s}")
        check(0 < s["records"] < len(live(3000)), f"no page committed, or not stopped: {s}")
        check(s["failures"] == 0 and s["failing_since"] is None and not s["stuck"], f"counted as failed: {s}")
        opening = midnight + 86400 + 12 * 3600 - offset
        check(0 <= utc_secs(s["next_run"]) - opening <= 30, f"next run {s['next_run']} not at the next opening "
              f"({opening}): {s}")
        check("window 12:00-12:01 closed, stopping after the page in hand" in d.read_log(), "window stop not logged")
        m = d.call({"op": "metrics"})
        check(m["ok"] and 'fairdex_harvest_failures_total{source="w"} 0' in m["text"], m)
        d.stop()

        # The next window (the daemon now at 12:00:05) resumes from the
        # committed checkpoint instead of starting over.
        srv.admin("/admin/reset-faults?slow_ms=0")
        with open(os.path.join(tmp, "oai_server.log")) as f:
            seen = len(f.read())
        now = int(time.time())
        os.environ["FD_TEST_WINDOW_OFFSET"] = str(midnight + 12 * 3600 + 5 - now)
        d.start()
        s = d.wait_harvested("w", 40)
        check(s["state"] == "ok" and s["records"] == len(live(3000)) and s["last_error"] is None, s)
        with open(os.path.join(tmp, "oai_server.log")) as f:
            lists = [line for line in f.read()[seen:].splitlines() if "verb=ListRecords" in line]
        # 30 pages in all: the first run's are not asked for again.
        check(lists and "resumptionToken=" in lists[0] and len(lists) < 30,
              f"the run started over instead of resuming from its checkpoint: {len(lists)} pages, {lists[:2]}")
    finally:
        del os.environ["FD_TEST_WINDOW_OFFSET"]
        d.stop()
        srv.stop()


def metric_values(text):
    """The samples of a Prometheus text exposition: 'name{labels}' -> value."""
    vals = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            k, v = line.rsplit(" ", 1)
            vals[k] = float(v)
    return vals


def test_http_requests_by_status_in_metrics(tmp):
    # Every request counted where it is made, each 503 and each retry: the
    # counts must equal what the server says it answered.
    srv = OAIServer(tmp, "--generate", "300", "--page-size", "50", "--fail-rate", "0.3", "--fault-seed", "5",
                    "--admin")
    d = Daemon(tmp, [{"name": "h", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1h"}])
    try:
        d.start()
        s = d.wait_harvested("h", 90)
        check(s["state"] == "ok", s)
        stats = srv.admin("/admin/stats")
        r = d.call({"op": "metrics"})
        check(r["ok"], r)
        vals = metric_values(r["text"])
        ok = vals.get('fairdex_http_requests_total{source="h",code="200"}', 0)
        busy = vals.get('fairdex_http_requests_total{source="h",code="503"}', 0)
        pages = vals['fairdex_pages_total{source="h"}']
        check(stats["fail_503"] > 0, f"the server answered no 503: {stats}")
        check(busy == stats["fail_503"], f"{busy} 503s counted, the server sent {stats['fail_503']}")
        check(ok == stats["oai_requests"] - stats["fail_503"] and ok >= pages,
              f"{ok} 200s counted for {pages} pages, the server sent {stats['oai_requests'] - stats['fail_503']}")
        check(not any("code=\"error\"" in k or "code=\"other\"" in k for k in vals), vals)
        check("# TYPE fairdex_http_requests_total counter" in r["text"], r["text"][:400])
        # the other metrics stay
        check(vals["fairdex_page_seconds_count"] >= pages and vals['fairdex_harvest_runs_total{source="h"}'] == 1,
              vals)

        # A repository that is gone: requests without a status are code="error".
        srv.stop()
        from harness import harvest_again
        s = harvest_again(d, "h", 120)
        check(s["state"] == "failed", s)
        vals = metric_values(d.call({"op": "metrics"})["text"])
        check(vals.get('fairdex_http_requests_total{source="h",code="error"}', 0) >= 1, vals)
        check(vals['fairdex_http_requests_total{source="h",code="200"}'] == ok, "a failed connection counted as 200")
    finally:
        d.stop()
        srv.stop()


def test_sources_show_added_updated_deleted_of_the_last_run(tmp):
    from harness import harvest_again
    n = 300
    n_live = len(live(n))
    srv = OAIServer(tmp, "--generate", str(n), "--page-size", "50", "--admin")
    same_dir = os.path.join(tmp, "same")
    os.makedirs(same_dir)
    same = OAIServer(same_dir, "--generate", str(n), "--page-size", "50")   # the corpus before any change
    src = {"name": "s", "type": "oai-pmh", "url": srv.url, "delay": "0", "interval": "1h"}
    d = Daemon(tmp, [src])
    try:
        d.start()
        s = d.wait_harvested("s", 60)
        check(s["state"] == "ok" and s["records"] == n_live, s)
        # The list's deleted headers name records the index never held: none deleted.
        check(n_live < n, "the corpus has no deleted records")
        want = {"records": n_live, "added": n_live, "updated": 0, "unchanged": 0, "deleted": 0, "skipped": 0,
                "errors": d.read_log().count("<4>source 's': ")}   # a warning is an error of the run
        check({k: s["run"][k] for k in want} == want, s["run"])
        last = s["last_run"]
        check(last and last["status"] == "ok" and last["start"] == s["last_start"] and last["end"] == s["last_end"]
              and {k: last[k] for k in want} == want, last)

        ch = srv.admin("/admin/mutate?modify=20&delete=5&add=10")
        deleted = set(ch["deleted"])
        updated = set(ch["modified"]) - deleted
        from gen_corpus import make_record
        added = [x for x in ch["added"] if not make_record(42, int(x.rsplit(":", 1)[1]))["deleted"]]
        s = harvest_again(d, "s")
        check(s["state"] == "ok", s)
        want = {"records": len(added) + len(updated), "added": len(added), "updated": len(updated),
                "unchanged": 0, "deleted": len(deleted)}
        check({k: s["run"][k] for k in want} == want, f"{s['run']} != {want}")
        check({k: s["last_run"][k] for k in want} == want and s["last_run"]["start"] == s["last_start"],
              s["last_run"])
        check(s["records"] == n_live + len(added) - len(deleted), s)
        runs = d.call({"op": "errors", "source": "s"})["runs"]
        check(runs[-1]["added"] == len(added) and runs[-1]["deleted"] == len(deleted)
              and runs[-1]["updated"] == len(updated) and runs[-1]["count"] == s["run"]["errors"], runs[-1])
        p = run_cli("sources", socket_path=d.socket)
        check(p.returncode == 0 and f"{len(added)} added, {len(updated)} updated, {len(deleted)} deleted, "
              f"0 unchanged, 0 skipped, {s['run']['errors']} errors" in p.stdout and f"last run {s['last_start']} to " in p.stdout,
              (p.stdout, p.stderr))

        # The same source moved to a repository holding the corpus before the
        # change: a full run that finds most records as they are.
        write_config(d, [dict(src, url=same.url)])
        check(d.call({"op": "reload"})["ok"], "reload")
        s = wait_until(lambda: (lambda x: x if x["state"] == "ok" and x["last_run"]["records"] == n_live
                                else None)(d.source("s")), 60, "the full run from the new URL")
        changed = set(ch["modified"]) | deleted
        want = {"records": n_live, "added": len(deleted), "updated": len(updated), "unchanged": n_live - len(changed),
                "deleted": 0}
        check({k: s["run"][k] for k in want} == want, f"{s['run']} != {want}")

        # A restarted daemon still tells what the last run did.
        last = s["last_run"]
        d.stop()
        d.start()
        s = d.source("s")
        check(s["state"] == "idle" and s["last_run"] == last, f"{s['last_run']} != {last}")
        p = run_cli("sources", socket_path=d.socket)
        check(p.returncode == 0 and f"{len(deleted)} added, {len(updated)} updated, 0 deleted, "
              f"{n_live - len(changed)} unchanged" in p.stdout, p.stdout)
    finally:
        d.stop()
        srv.stop()
        same.stop()


def test_socket_mode_from_the_configuration(tmp):
    """socket_mode sets the permissions of the socket fairdexd creates; the default is 0660."""
    import stat
    d = Daemon(tmp, [], extra='socket_mode: "0600"')
    try:
        d.start()
        mode = stat.S_IMODE(os.stat(d.socket).st_mode)
        check(mode == 0o600, f"socket mode {oct(mode)}, wanted 0o600")
        check(d.call({"op": "status"})["ok"], "status over a 0600 socket")
    finally:
        d.stop()
    d = Daemon(tmp, [], name="default")
    try:
        d.start()
        mode = stat.S_IMODE(os.stat(d.socket).st_mode)
        check(mode == 0o660, f"default socket mode {oct(mode)}, wanted 0o660")
    finally:
        d.stop()
    d = Daemon(tmp, [], extra='socket_mode: "0680"', name="bad")
    p = subprocess.run([FAIRDEXD, "-c", d.config, "--check-config"], capture_output=True, text=True)
    check(p.returncode == 2 and "'socket_mode'" in p.stderr, (p.returncode, p.stderr))


def test_failure_backoff_survives_a_restart(tmp):
    """A source whose run failed is not harvested again the moment fairdexd
    restarts: its backoff (failures, failing_since, next_run) is kept in the
    state directory and read back; the next failure doubles it."""
    missing = "file://" + os.path.join(tmp, "absent.xml")
    d = Daemon(tmp, [{"name": "bad", "type": "oai-pmh", "url": missing, "interval": "1d"}])
    try:
        d.start()
        s = d.wait_harvested("bad", 30)
        check(s["state"] == "failed" and s["failures"] == 1, s)
        check(iso_secs(s["next_run"]) - iso_secs(s["last_end"]) == 300, f"first backoff: {s}")
        check(os.path.exists(os.path.join(d.state, "backoff", "bad.json")), "no backoff file")
    finally:
        d.stop()
    d.start()
    try:
        time.sleep(2)
        t = d.source("bad")
        check(t["state"] == "idle" and t["last_start"] is None, f"harvested again at once after a restart: {t}")
        check(t["failures"] == 1 and t["failing_since"] == s["failing_since"] and t["next_run"] == s["next_run"],
              f"backoff not restored: {t} (before the restart: {s})")
        check(d.read_log().count("source 'bad': harvest started") == 1, "a second run started")
        check("source 'bad': failing since" in d.read_log(), "the restored backoff is not logged")
        # An asked-for run that fails again doubles the backoff.
        r = d.call({"op": "harvest", "source": "bad"})
        check(r["ok"], r)
        u = d.wait_harvested("bad", 30)
        check(u["failures"] == 2 and u["failing_since"] == s["failing_since"], u)
        check(iso_secs(u["next_run"]) - iso_secs(u["last_end"]) == 600, f"second backoff: {u}")
    finally:
        d.stop()
