#!/bin/sh
# oai_bench.sh: issue 8's harvest figures, printed, never pass/fail.
#
#   bench/oai_bench.sh BUILD_DIR [N]     (BUILD_DIR configured with -Dbench=true)
#
# In one run against one oai_server.py (--page-size 500) serving a corpus
# of N records (default 100000) from gen_corpus.py:
#  (1) fairdexd --once harvest + index, next to ../shared/bench/harvest.py
#      (the server's limit) and xapian_index (Xapian-only indexing limit)
#      on the same records; goal fairdex >= 0.8 x min(server, Xapian);
#  (2) bench/harvest_map (harvest + map, no index) next to HTTP::OAI's
#      oai_pmh (Debian libhttp-oai-perl); goal >= 10 x the peer;
#  (3) peak RSS of fairdexd --once harvesting 10,000 and N records.
# NO_PEER=1 skips oai_pmh (about 100 records/s: 100,000 take long).
set -eu
BUILD=$(cd "${1:?usage: oai_bench.sh BUILD_DIR [N]}" && pwd)
N=${2:-100000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
SHARED=$ROOT/../shared/bench
TOOLS=$ROOT/tests/tools
WORK=$(mktemp -d /tmp/fairdex-bench.XXXXXX)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

command -v oai_pmh >/dev/null || apt-get install -y libhttp-oai-perl >/dev/null
rate() { python3 -c "import sys; n,s=float(sys.argv[1]),float(sys.argv[2]); print(f'{n/s:.0f}' if s>0 else 'inf')" "$1" "$2"; }
now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2])-float(sys.argv[1]):.2f}')" "$1" "$2"; }

start_server() {  # corpus file -> sets URL
        python3 "$TOOLS/oai_server.py" --corpus "$1" --port 0 --page-size 500 --prerender \
                >"$WORK/server.out" 2>"$WORK/server.err" &
        SERVER_PID=$!
        while ! grep -q "serving http" "$WORK/server.out" 2>/dev/null; do sleep 0.2; done
        URL=$(sed -n 's/.*serving \(http[^ ]*\).*/\1/p' "$WORK/server.out")
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; }

fairdexd_once() {  # name url -> prints "seconds peak_rss_kb records"
        mkdir -p "$WORK/$1"
        cat >"$WORK/$1/fairdex.yaml" <<YAML
state_dir: $WORK/$1/state
socket: $WORK/$1/fairdex.sock
log_level: notice
sources:
  - name: bench
    type: oai-pmh
    url: $2
    delay: 0
    formats: [oai_dc]
YAML
        t0=$(now)
        /usr/bin/time -f "%M" -o "$WORK/$1/rss" "$BUILD/fairdexd" -c "$WORK/$1/fairdex.yaml" --once 2>"$WORK/$1/log"
        t1=$(now)
        recs=$(sed -n "s/.*harvest done in [^:]*: \([0-9]*\) records ([^)]*), \([0-9]*\) deleted.*/\1 \2/p" "$WORK/$1/log" | tail -1)
        echo "$(elapsed "$t0" "$t1") $(cat "$WORK/$1/rss") $recs"
}

echo "== corpus: $N records (gen_corpus.py --seed 42)"
python3 "$TOOLS/gen_corpus.py" -n "$N" --seed 42 --format jsonl -o "$WORK/corpus.jsonl"
python3 "$TOOLS/gen_corpus.py" -n "$N" --seed 42 --format scriptindex -o "$WORK/dump.txt"
c++ -O2 -o "$WORK/xapian_index" "$SHARED/xapian_index.cc" $(pkg-config --cflags --libs xapian-core)
start_server "$WORK/corpus.jsonl"
echo "server: $URL"

echo "== (1) harvest + index"
python3 "$SHARED/harvest.py" "$URL" oai_dc >/dev/null  # warm the server's caches once
srv=$(python3 "$SHARED/harvest.py" "$URL" oai_dc | tail -1)
srv_rate=$(echo "$srv" | sed -n 's/.*records_per_s=\([0-9.]*\).*/\1/p')
echo "server limit (harvest.py):   $srv"
t0=$(now); "$WORK/xapian_index" "$WORK/dump.txt" "$WORK/xapian_db" >"$WORK/xi.out" 2>&1; t1=$(now)
xi=$(tail -1 "$WORK/xi.out")
xi_rate=$(echo "$xi" | sed -n 's/.*per_s=\([0-9.]*\).*/\1/p')
[ -n "$xi_rate" ] || xi_rate=$(rate "$N" "$(elapsed "$t0" "$t1")")
echo "Xapian-only (xapian_index):  $xi ($xi_rate records/s)"
set -- $(fairdexd_once full "$URL")
fd_rate=$(rate "$(($3 + $4))" "$1")
echo "fairdexd --once:             records=$3 deleted=$4 seconds=$1 records_per_s=$fd_rate peak_rss_kb=$2"
python3 -c "import sys; f,s,x=map(float,sys.argv[1:]); m=min(s,x); print(f'ratio fairdex / min(server, xapian) = {f/m:.2f} (goal >= 0.80)')" "$fd_rate" "$srv_rate" "$xi_rate"
RSS_N=$2

echo "== (2) harvest + map, no index"
hm=$("$BUILD/bench/harvest_map" "$URL" oai_dc 2>/dev/null)
hm_rate=$(echo "$hm" | sed -n 's/.*records_per_s=\([0-9.]*\).*/\1/p')
echo "bench/harvest_map:           $hm"
if [ -n "${NO_PEER:-}" ]; then
        echo "HTTP::OAI oai_pmh: skipped (NO_PEER set)"
        stop_server
        peer_rate=0
else
t0=$(now); oai_pmh --metadataPrefix oai_dc "$URL" >"$WORK/oai_pmh.out" 2>"$WORK/oai_pmh.err" || true; t1=$(now)
peer_n=$(grep -o "datestamp: [0-9]" "$WORK/oai_pmh.out" | wc -l)
peer_rate=$(rate "$peer_n" "$(elapsed "$t0" "$t1")")
echo "HTTP::OAI oai_pmh list:      records=$peer_n seconds=$(elapsed "$t0" "$t1") records_per_s=$peer_rate"
python3 -c "import sys; a,b=map(float,sys.argv[1:]); print(f'ratio harvest_map / oai_pmh = {a/b:.1f} (goal >= 10)' if b else 'peer harvested nothing')" "$hm_rate" "$peer_rate"
stop_server
fi

echo "== (3) peak RSS of fairdexd --once"
python3 "$TOOLS/gen_corpus.py" -n 10000 --seed 42 --format jsonl -o "$WORK/corpus10k.jsonl"
start_server "$WORK/corpus10k.jsonl"
set -- $(fairdexd_once small "$URL")
echo "10,000 records:  peak_rss_kb=$2 (seconds=$1)"
echo "$N records: peak_rss_kb=$RSS_N (from (1))"
stop_server
