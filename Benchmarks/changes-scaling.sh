#!/usr/bin/env bash
# getChangedFrames throughput with 10 changed frames in projects of growing size: the answer's cost
# should follow the 10 changes, not the project. Uses the shared changes.lua workload (needs wrk).
# Usage: Benchmarks/changes-scaling.sh [SECONDS]   (default 8 per size)
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
seconds=${1:-8}
printf '%-12s %14s\n' frames requests/s
for frames in 10000 100000 1000000; do
  start_daemon
  CURSOR=$(python3 - "http://127.0.0.1:$port/RPC2" "$frames" <<'PY'
import sys, xmlrpc.client
server = xmlrpc.client.ServerProxy(sys.argv[1])
frames = int(sys.argv[2])
server.startedRenderProject("bench/changes", list(range(1, frames + 1)), False, "1")
cursor = server.getChangedFrames("bench/changes", 0)["event_id"]
for frame in range(1, 11):
    server.setFrameRenderFraction("bench/changes", frame * (frames // 10), 0.5)
print(cursor)
PY
)
  export CURSOR
  rate=$(wrk -t1 -c32 -d"${seconds}s" -s ../shared/bench/changes.lua "http://127.0.0.1:$port/RPC2" | awk '/Requests\/sec/ {print $2}')
  printf '%-12s %14s\n' "$frames" "$rate"
  stop_daemon
done
