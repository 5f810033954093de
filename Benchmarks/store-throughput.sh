#!/usr/bin/env bash
# Throughput with the durable store against --store memory, measured side by side: ROUNDS rounds
# (default 3), each running ../shared/bench/run.sh against a daemon on --store memory, one on
# sqlite with the default --sync-interval 1, and one with --sync-interval 0 (fsync before every
# answer), in turn, so drift on a shared machine hits all three alike.
# Usage: Benchmarks/store-throughput.sh [ROUNDS]      (needs wrk; release build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
binary=.build/release/rendertracker
[ -x "$binary" ] || swift build -c release --product rendertracker
bench=../shared/bench/run.sh
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
port=5094
for round in $(seq "$rounds"); do
  for store in memory "sqlite:$folder/interval1.db --sync-interval 1" "sqlite:$folder/interval0.db --sync-interval 0"; do
    # shellcheck disable=SC2086
    "$binary" serve --host 127.0.0.1 --port $port --log-level warning --store $store & daemon=$!
    sleep 1
    echo "== round $round: --store $store"
    BENCH_SECONDS=${BENCH_SECONDS:-6} "$bench" "http://127.0.0.1:$port/RPC2" | sed 's/^/   /'
    kill "$daemon"; wait "$daemon" 2>/dev/null || true
  done
done
