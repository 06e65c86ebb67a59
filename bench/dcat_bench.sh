#!/bin/sh
# dcat_bench.sh: issue 7's DCAT figures, printed, never pass/fail.
#
#   bench/dcat_bench.sh BUILD_DIR [N]      (any build directory with the static libraries)
#
# One DCAT-AP catalogue of N datasets (default 20000) from dcat_gen.py, in
# Turtle and in RDF/XML (the same graph).  In one run, on the same files:
#  - fairdex's DCAT harvester (bench/dcat_harvest: file:// fetch, parse,
#    sort by subject, cut out and map every dataset; records dropped), with
#    the default 32 MiB memory budget (the document spills to disk and is
#    merge-sorted) and with the graph held whole in memory;
#  - the raw parse rate of serdi (Turtle -> N-Triples to /dev/null) and of
#    rapper (-c: parse and count) on both files.
# Figures are datasets per second; the ratios are fairdex over the parser.
set -eu
BUILD=$(cd "${1:?usage: dcat_bench.sh BUILD_DIR [N]}" && pwd)
N=${2:-20000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WORK=$(mktemp -d /tmp/fairdex-dcat-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM

if ! command -v serdi >/dev/null || ! command -v rapper >/dev/null; then
        apt-get install -y serdi raptor2-utils >/dev/null
fi
now() { python3 -c 'import time; print(time.monotonic())'; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2])-float(sys.argv[1]):.3f}')" "$1" "$2"; }
rate() { python3 -c "import sys; n,s=float(sys.argv[1]),float(sys.argv[2]); print(f'{n/s:.0f}' if s>0 else 'inf')" "$1" "$2"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b>0 else '-')" "$1" "$2"; }

# shellcheck disable=SC2046
cc -O2 -std=gnu11 -D_GNU_SOURCE -I"$ROOT/util/include" -I"$ROOT/record/include" -I"$ROOT/harvesters/include" \
        "$HERE/dcat_harvest.c" \
        "$BUILD/harvesters/libfd_harvesters.a" "$BUILD/record/libfd_record.a" "$BUILD/util/libfd_util.a" \
        $(pkg-config --libs serd-0 raptor2 jansson libxml-2.0 libcurl zlib yajl) -lm -lpthread -o "$WORK/dcat_harvest"

python3 "$HERE/dcat_gen.py" "$N" "$WORK"
TTL=$WORK/catalogue.ttl RDF=$WORK/catalogue.rdf
triples=$(serdi -i turtle -o ntriples "$TTL" | wc -l)
echo "== catalogue: $N datasets, $triples triples; Turtle $(du -m "$TTL" | cut -f1) MB, RDF/XML $(du -m "$RDF" | cut -f1) MB"

timed() {  # command... -> seconds (best of 3, output discarded)
        best=
        for _ in 1 2 3; do
                t0=$(now)
                "$@" >/dev/null 2>&1
                t=$(secs "$t0" "$(now)")
                best=$(python3 -c "import sys; a=sys.argv[1]; b=float(sys.argv[2]); print(b if not a else min(float(a), b))" "$best" "$t")
        done
        echo "$best"
}

fairdex() {  # file budget -> "datasets seconds rss" (best of 3 by time)
        best=
        for _ in 1 2 3; do
                out=$("$WORK/dcat_harvest" "file://$1" "$2")
                best=$(python3 -c "import sys; a=sys.argv[1]; b=sys.argv[2]; print(b if not a or float(b.split()[1]) < float(a.split()[1]) else a)" "$best" "$out")
        done
        echo "$best"
}

serdi_ttl=$(timed serdi -i turtle -o ntriples "$TTL")
rapper_ttl=$(timed rapper -q -c -i turtle "$TTL")
rapper_rdf=$(timed rapper -q -c -i rdfxml "$RDF")
set -- $(fairdex "$TTL" 0); fx_ttl_n=$1 fx_ttl=$2 fx_ttl_rss=$3
set -- $(fairdex "$RDF" 0); fx_rdf_n=$1 fx_rdf=$2 fx_rdf_rss=$3
set -- $(fairdex "$TTL" 4294967296); fx_ttl_mem=$2 fx_ttl_mem_rss=$3
set -- $(fairdex "$RDF" 4294967296); fx_rdf_mem=$2 fx_rdf_mem_rss=$3

printf '%-46s %9s %10s %9s\n' "" "seconds" "datasets/s" "peak RSS"
printf '%-46s %9s %10s %9s\n' "serdi, Turtle (parse + N-Triples out)" "$serdi_ttl" "$(rate "$N" "$serdi_ttl")" "-"
printf '%-46s %9s %10s %9s\n' "rapper -c, Turtle (parse + count)" "$rapper_ttl" "$(rate "$N" "$rapper_ttl")" "-"
printf '%-46s %9s %10s %9s\n' "rapper -c, RDF/XML (parse + count)" "$rapper_rdf" "$(rate "$N" "$rapper_rdf")" "-"
printf '%-46s %9s %10s %9s\n' "fairdex, Turtle, streamed (32 MiB budget)" "$fx_ttl" "$(rate "$fx_ttl_n" "$fx_ttl")" "${fx_ttl_rss}K"
printf '%-46s %9s %10s %9s\n' "fairdex, RDF/XML, streamed (32 MiB budget)" "$fx_rdf" "$(rate "$fx_rdf_n" "$fx_rdf")" "${fx_rdf_rss}K"
printf '%-46s %9s %10s %9s\n' "fairdex, Turtle, graph in memory" "$fx_ttl_mem" "$(rate "$fx_ttl_n" "$fx_ttl_mem")" "${fx_ttl_mem_rss}K"
printf '%-46s %9s %10s %9s\n' "fairdex, RDF/XML, graph in memory" "$fx_rdf_mem" "$(rate "$fx_rdf_n" "$fx_rdf_mem")" "${fx_rdf_mem_rss}K"
echo "datasets mapped: Turtle $fx_ttl_n, RDF/XML $fx_rdf_n (of $N)"
echo "ratio fairdex/serdi  (Turtle, streamed):  $(ratio "$serdi_ttl" "$fx_ttl")"
echo "ratio fairdex/rapper (Turtle, streamed):  $(ratio "$rapper_ttl" "$fx_ttl")"
echo "ratio fairdex/rapper (RDF/XML, streamed): $(ratio "$rapper_rdf" "$fx_rdf")"
