#!/usr/bin/env bash
# What the durable store costs a write, against --store memory, measured side by side: ROUNDS
# rounds (default 3), each running a daemon on --store memory, one on sqlite with the default
# --sync-interval 1, and one with --sync-interval 0 (fsync before every answer), in turn, so drift
# on a shared machine hits all three alike. For each: ../shared/bench/run.sh (requests/s against
# the plain-Python reference), then the progress workload alone with the daemon's CPU time per
# request from /proc, which moves far less than requests/s when the machine is shared.
# Usage: Benchmarks/store-throughput.sh [ROUNDS]      (needs wrk; release build; BENCH_SECONDS, default 6)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
secs=${BENCH_SECONDS:-6}
binary=.build/release/rendertracker
[ -x "$binary" ] || swift build -c release --product rendertracker
bench=../shared/bench
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
port=5094
url=http://127.0.0.1:$port/RPC2
ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq "$rounds"); do
  for store in memory "sqlite:$folder/interval1.db --sync-interval 1" "sqlite:$folder/interval0.db --sync-interval 0"; do
    # shellcheck disable=SC2086
    "$binary" serve --host 127.0.0.1 --port $port --log-level warning --store $store & daemon=$!
    sleep 1
    echo "== round $round: --store $store"
    BENCH_SECONDS=$secs "$bench/run.sh" "$url" | sed 's/^/   /'
    before=$(cpu_ticks "$daemon")
    requests=$(wrk -t1 -c32 -d"${secs}s" -s "$bench/progress.lua" "$url" 2>/dev/null | awk '/requests in/ {print $1}')
    after=$(cpu_ticks "$daemon")
    python3 -c "import sys; r, t, hz, s = map(int, sys.argv[1:]); print('   progress alone: %d req/s, %.1f us of daemon CPU per request' % (r / s, t / hz / r * 1e6))" \
      "$requests" "$((after - before))" "$ticks_per_second" "$secs"
    kill "$daemon"; wait "$daemon" 2>/dev/null || true
  done
done
