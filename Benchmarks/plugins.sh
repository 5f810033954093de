#!/usr/bin/env bash
# Plugin benchmarks (docs/performance.md): what a Lua naming or estimate call adds to an RPC, and
# the throughput of ../shared/bench/run.sh with hooks that spin or "sleep" against none.
# Usage: Benchmarks/plugins.sh [RUNS]   (default 3; BENCH_SECONDS as run.sh)
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
runs=${1:-3}
other=$((port + 1))
# Both daemons on one core and the client on the other, so the two answer under the same conditions.
taskset -c 1 "$binary" serve --store memory --host 127.0.0.1 --port "$other" --log-level error --plugins Benchmarks/plugins/cost & plugin_daemon=$!
taskset -c 1 "$binary" serve --store memory --host 127.0.0.1 --port "$port" --log-level error & daemon=$!
trap 'kill $daemon $plugin_daemon 2>/dev/null || true' EXIT
sleep 1
echo "== Lua call cost"
for round in 1 2 3; do
  taskset -c 0 python3 Benchmarks/plugin-cost.py "http://127.0.0.1:$port/RPC2" "http://127.0.0.1:$other/RPC2"
done
kill $plugin_daemon; wait $plugin_daemon 2>/dev/null || true

echo "== throughput, hooks that spin to their time limit or run sleep, against no plugins"
results=$(mktemp)
for run in $(seq "$runs"); do
  for variant in none spin; do
    stop_daemon
    if [ $variant = spin ]; then
      "$binary" serve --store memory --host 127.0.0.1 --port "$port" --log-level critical --plugins Benchmarks/plugins/spin & daemon=$!
    else
      "$binary" serve --store memory --host 127.0.0.1 --port "$port" --log-level critical & daemon=$!
    fi
    sleep 1
    bash ../shared/bench/run.sh "http://127.0.0.1:$port/RPC2" | tail -n +2 | sed "s/^/$variant /" | tee -a "$results"
  done
done
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    variant, name, reference, tracker, ratio = line.split()
    rows.setdefault((variant, name), []).append(float(tracker))
print("\nmedian of %d runs (requests/s)" % len(next(iter(rows.values()))))
print("%-12s %12s %12s %8s" % ("workload", "no plugins", "spin hooks", "share"))
for name in ("isrunning", "progress", "changes"):
    none, spin = statistics.median(rows[("none", name)]), statistics.median(rows[("spin", name)])
    print("%-12s %12.0f %12.0f %7.0f%%" % (name, none, spin, 100 * spin / none))
PY
