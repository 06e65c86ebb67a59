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
# are read through bench/harvest_map as file:// sources: the streaming
# parser and the mapper, no HTTP and no index, so the figures compare the
# mappers; each format's line gives its records/s and its time per record
# as a multiple of the oai_dc walker's in the same run (the metadata kept
# as harvested included).  Goal: the table-driven walker within 1.5 x the
# hand-written oai_dc mapper's time per record; OLD_HARVEST_MAP (a
# harvest_map built before oai_dc moved onto the walker, 05801cd~1) adds
# that line.  nsdl_dc has no real file: its line is the own fixture's.
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
# The best of three runs: the machine is shared, the best run is the mapper's.
line() {  # label harvest_map file
        best=
        for i in 1 2 3; do
                out=$("$2" "file://$3" 2>/dev/null) || { echo "$1: failed"; return; }
                best="$best $(echo "$out" | sed -n 's/.*records=\([0-9]*\).*seconds=\([0-9.]*\).*/\1:\2/p')"
        done
        python3 -c "
import sys
runs = [(int(n), float(s)) for n, s in (r.split(':') for r in sys.argv[2].split())]
n, s = min(runs, key=lambda r: r[1])
us = 1e6*s/n if n else 0
ref = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else 0
rel = f' {us/ref:>5.2f} x oai_dc' if ref else ''
print(f'{sys.argv[1]:<28} {n:>7} records {n/s if s else 0:>9.0f} records/s {us:>7.1f} us/record{rel}')" "$1" "$best" "${REF:-}"
}
# old and new oai_dc in turn, so that both see the same load
if [ -n "$OLD" ]; then
        line "oai_dc (hand-written)" "$OLD" "$WORK/oai_dc.xml"
        line "oai_dc (walker)" "$BUILD/bench/harvest_map" "$WORK/oai_dc.xml"
        line "oai_dc (hand-written)" "$OLD" "$WORK/oai_dc.xml"
fi
# every format's line says its time per record against this run's oai_dc
REF=
ref=$(line "oai_dc (walker)" "$BUILD/bench/harvest_map" "$WORK/oai_dc.xml")
echo "$ref"
REF=$(echo "$ref" | sed -n 's/.* \([0-9.]*\) us\/record.*/\1/p')
for f in "$WORK"/*.xml; do
        b=$(basename "$f" .xml)
        [ "$b" = oai_dc ] && continue
        line "$b" "$BUILD/bench/harvest_map" "$f"
done
# a real format's directory: every page's best run, summed
for d in "$WORK"/real/*/; do
        [ -d "$d" ] || continue
        fmt=$(basename "$d")
        tot=
        for f in "$d"*.xml; do
                tot="$tot $(line x "$BUILD/bench/harvest_map" "$f" | sed -n 's/^x *\([0-9]*\) records *[0-9]* records\/s *\([0-9.]*\) us.*/\1:\2/p')"
        done
        python3 -c "
import sys
runs = [(int(n), float(u)) for n, u in (r.split(':') for r in sys.argv[2].split())]
n = sum(r[0] for r in runs)
s = sum(r[0] * r[1] / 1e6 for r in runs)
us = 1e6 * s / n if n else 0
ref = float(sys.argv[3])
print(f'real {sys.argv[1]:<23} {n:>7} records {n/s if s else 0:>9.0f} records/s {us:>7.1f} us/record {us/ref:>5.2f} x oai_dc')" \
                "$fmt" "$tot" "$REF"
done
