#!/bin/sh
# formats_bench.sh: harvest + map per metadata format (issue 15), printed,
# never pass/fail.
#
#   bench/formats_bench.sh BUILD_DIR [N] [OLD_HARVEST_MAP]   (BUILD_DIR with -Dbench=true)
#
# For oai_dc (gen_corpus.py's records), for each own fixture of
# tests/fixtures/formats and for each format directory of
# ../shared/fixtures/formats (CMDI, FGDC, ISO 19115-3, METS, ESE, re3data,
# ... : every real file, served as test_formats.py serves it, its records
# repeated under new identifiers), saved ListRecords responses of N
# records in all (default 40000; at most 32 MiB of a real format's records)
# are read through bench/harvest_map as file:// sources: fetching, the
# streaming parser, the mapper and keeping each record's metadata as
# harvested (written back, LZ4), no HTTP and no index.  Times are the
# program's CPU time (user + system, the best of the runs: the machine is
# shared and the wall clock follows its load).
#
# The baseline is bench/harvest_map_hand: the same program and library with
# the hand-written oai_dc mapper of 05801cd~1 in place of the Dublin Core
# table (bench/hand/hand_mapper.c), so both do the same harvest work on the
# same pages and differ in the mapper alone.  The two run in turn on the
# oai_dc pages, 5 times each.  Goal: the table-driven walker within 1.5 x
# the hand-written mapper's time per record.  Each format's line gives its
# time per record and per KiB of its pages as multiples of the hand-written
# oai_dc mapper's (records of other formats weigh up to 70 times more).
# OLD_HARVEST_MAP (a harvest_map built at 05801cd~1, which kept no
# original) adds its line in the same turns.  nsdl_dc has no real file: its
# line is the own fixture's.
set -eu
BUILD=$(cd "${1:?usage: formats_bench.sh BUILD_DIR [N] [OLD_HARVEST_MAP]}" && pwd)
N=${2:-40000}
OLD=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
FIX=$ROOT/tests/fixtures/formats
WORK=$(mktemp -d /tmp/fairdex-formats.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM

python3 "$ROOT/tests/tools/gen_corpus.py" -n "$N" --format listrecords --prefix oai_dc -o "$WORK/oai_dc.xml"
# every record of an own fixture (N), and of each real file of
# ../shared/fixtures/formats as test_formats.py serves it (up to N per format
# directory, a page per file, at most 32 MiB: ISO 19115-3 records weigh
# 170 KB), repeated with new identifiers
python3 - "$ROOT" "$WORK" "$N" <<'PY'
import os, re, sys
root, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, os.path.join(root, "tests", "integration"))
from test_formats import FIX, SHARED_FORMATS, _children, real_expected, real_listrecords  # noqa: E402


def page(t, count, tag, path):
    """t's ListRecords page with its live records repeated count times."""
    m = re.search(r"<([\w-]+:)?ListRecords\b[^>]*>", t)
    recs = [r for r in _children(t, m.end()) if 'status="deleted"' not in r[:400]]
    if not recs:
        return
    size = sum(len(r) for r in recs) / len(recs)
    count = max(len(recs), min(count, int((32 << 20) / size)))
    body = "".join(re.sub(r"(<([\w-]+:)?identifier>)[^<]*", f"\\g<1>bench:{tag}:{i}", recs[i % len(recs)], count=1)
                   + "\n" for i in range(count))
    end = [e for e in re.finditer(r"</([\w-]+:)?ListRecords>", t)][-1].start()
    with open(path, "w", encoding="utf-8") as out:
        out.write(t[:m.end()] + body + t[end:])


for name in sorted(os.listdir(FIX)):
    if name.endswith(".xml") and not name.startswith("mixed_"):  # mixed_unknown: the skip test's, no format
        page(open(os.path.join(FIX, name), encoding="utf-8").read(), n, name, os.path.join(work, name))
if os.path.isdir(SHARED_FORMATS):
    by_format = {}
    for rel in real_expected():
        if not rel.startswith("oai/"):
            by_format.setdefault(rel.split("/")[0], []).append(rel)
    for fmt, files in sorted(by_format.items()):
        os.makedirs(os.path.join(work, "real", fmt), exist_ok=True)
        for k, rel in enumerate(files):
            page(real_listrecords(os.path.join(SHARED_FORMATS, rel)), n // len(files), k,
                 os.path.join(work, "real", fmt, f"{k}.xml"))
PY
# Each program's CPU time as this shell's children's (RUSAGE_CHILDREN), so
# an OLD_HARVEST_MAP that prints none is timed alike.
python3 - "$BUILD" "$WORK" "$OLD" <<'PY'
import os, re, resource, subprocess, sys
build, work, old = sys.argv[1], sys.argv[2], sys.argv[3]
walker, hand = os.path.join(build, "bench", "harvest_map"), os.path.join(build, "bench", "harvest_map_hand")


def run(prog, path):
    """(records, cpu seconds) of one run of prog over path."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([prog, "file://" + path], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    m = re.search(r"records=(\d+)", out.stdout)
    if out.returncode or not m:
        raise SystemExit(f"{prog} {path}: failed: {out.stderr.strip()[-300:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return int(m.group(1)), cpu


def best(prog, paths, runs=3):
    """records, best cpu seconds and bytes over the pages paths (each page's best run)."""
    n = secs = size = 0
    for path in paths:
        got = [run(prog, path) for _ in range(runs)]
        n += got[0][0]
        secs += min(c for _, c in got)
        size += os.path.getsize(path)
    return n, secs, size


def line(label, n, secs, size, ref=None):
    us, kb = 1e6 * secs / n, size / 1024 / n
    rel = f" {us / ref[0]:5.2f} x  {us / kb:5.2f} us/KiB {us / kb / ref[1]:5.2f} x" if ref else f"        {us / kb:5.2f} us/KiB"
    print(f"{label:<34} {n:>7} rec {kb:6.1f} KiB/rec {n / secs:>8.0f} rec/s {us:>7.1f} us/rec{rel}", flush=True)


if not os.access(hand, os.X_OK):
    raise SystemExit(f"no {hand}: build with -Dbench=true in a git checkout (bench/meson.build)")
dc = os.path.join(work, "oai_dc.xml")
progs = [("oai_dc (hand-written)", hand), ("oai_dc (walker)", walker)]
if old:
    progs.append(("oai_dc (05801cd~1, none kept)", old))
runs = {label: [] for label, _ in progs}
for _ in range(5):
    for label, prog in progs:
        runs[label].append(run(prog, dc))
size = os.path.getsize(dc)
print("per record: CPU time, and as a multiple of the hand-written oai_dc mapper's; per KiB of the pages: the same")
n_hand, s_hand = runs["oai_dc (hand-written)"][0][0], min(c for _, c in runs["oai_dc (hand-written)"])
ref = (1e6 * s_hand / n_hand, 1e6 * s_hand / n_hand / (size / 1024 / n_hand))
for label, _ in progs:
    line(label, runs[label][0][0], min(c for _, c in runs[label]), size, ref)
pairs = sorted(w[1] / h[1] for w, h in zip(runs["oai_dc (walker)"], runs["oai_dc (hand-written)"]))
print(f"oai_dc walker / hand-written, run by run: {' '.join(f'{r:.2f}' for r in pairs)} (median {pairs[len(pairs) // 2]:.2f})")
for name in sorted(os.listdir(work)):
    if name.endswith(".xml") and name != "oai_dc.xml":
        line(name[:-4], *best(walker, [os.path.join(work, name)]), ref)
real = os.path.join(work, "real")
for fmt in sorted(os.listdir(real)) if os.path.isdir(real) else []:
    d = os.path.join(real, fmt)
    line("real " + fmt, *best(walker, [os.path.join(d, f) for f in sorted(os.listdir(d))]), ref)
PY
