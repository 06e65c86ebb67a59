#!/bin/sh
# formats_bench.sh: harvest + map per metadata format (issue 15), printed,
# never pass/fail.
#
#   bench/formats_bench.sh BUILD_DIR [N] [OLD_HARVEST_MAP]   (BUILD_DIR with -Dbench=true)
#
# For oai_dc (gen_corpus.py's records) and for each format of
# tests/fixtures/formats (its records repeated under new identifiers), one
# saved ListRecords response of N records (default 40000;
# harvest_map reads at most 256 MiB) is read through
# bench/harvest_map as a file:// source: the streaming parser and the
# mapper, no HTTP and no index, so the figures compare the mappers; each
# format's line ends with its time per record as a multiple of the oai_dc
# walker's in the same run (the metadata kept as harvested included).  Goal:
# the table-driven walker within 1.5 x the hand-written oai_dc mapper's
# time per record; OLD_HARVEST_MAP (a harvest_map built before oai_dc moved
# onto the walker) adds that line.
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
# every record of a fixture, repeated with new identifiers up to N
python3 - "$FIX" "$WORK" "$N" <<'PY'
import os, re, sys
fix, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for name in sorted(os.listdir(fix)):
    if not name.endswith(".xml"):
        continue
    recs = re.findall(r"<record>.*?</record>", open(os.path.join(fix, name), encoding="utf-8").read(), re.S)
    with open(os.path.join(work, name), "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
                  "<responseDate>2026-12-07T10:00:00Z</responseDate><request>x</request><ListRecords>\n")
        for i in range(n):
            out.write(re.sub(r"<identifier>[^<]*</identifier>", f"<identifier>oai:bench:{i}</identifier>",
                             recs[i % len(recs)], count=1) + "\n")
        out.write("</ListRecords></OAI-PMH>\n")
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
