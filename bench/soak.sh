#!/bin/sh
# soak.sh: issue 6's soak test, printed, not run by CI.
#
#   bench/soak.sh BUILD_DIR [MINUTES]     (default 30 minutes)
#
# fairdexd harvests a mutating oai_server.py with faults on while 8 clients
# search; prints RSS, records, searches and errors every 10 s, then checks
# that the final index equals the server (see bench/soak.py).
set -eu
BUILD=$(cd "${1:?usage: soak.sh BUILD_DIR [MINUTES]}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
FD_BUILD=$BUILD exec python3 "$HERE/soak.py" "${2:-30}"
