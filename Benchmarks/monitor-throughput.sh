#!/usr/bin/env bash
# What an open monitor costs the daemon: the `progress` load (../shared/bench/progress.lua, writes to
# bench/progress) with nothing watching, with an event stream on bench/progress (curl), and with a
# headless monitor page on it, in interleaved rounds on one release daemon, so that other load on
# the machine hits every condition alike. Prints requests/s and the daemon's CPU time per request
# (from /proc: robust to other load, unlike requests/s on shared cores).
# Usage: Benchmarks/monitor-throughput.sh [ROUNDS]   (default 5; BENCH_SECONDS per measurement, default 8)
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
rounds=${1:-5}
secs=${BENCH_SECONDS:-8}
url="http://127.0.0.1:$port"
start_daemon
python3 ../shared/bench/setup_projects.py "$url/RPC2" >/dev/null
cpu() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }  # utime + stime, in clock ticks
ticks=$(getconf CLK_TCK)
results=$(mktemp)
for round in $(seq "$rounds"); do
  for mode in none stream page; do
    watcher=""
    case $mode in
      stream) curl -sN "$url/events?project=bench%2Fprogress" >/dev/null & watcher=$! ;;
      page) python3 Benchmarks/monitor-page.py "$url" --hold bench/progress >/dev/null & watcher=$!; sleep 3 ;;
    esac
    sleep 1
    before=$(cpu)
    rate=$(wrk -t1 -c32 -d"${secs}s" -s ../shared/bench/progress.lua "$url/RPC2" 2>/dev/null | awk '/Requests\/sec/ {print $2}')
    after=$(cpu)
    [ -z "$watcher" ] || { kill "$watcher"; wait "$watcher" 2>/dev/null || true; }
    echo "$mode $rate $(echo "($after - $before) / $ticks * 1000000 / ($rate * $secs)" | bc -l)" | tee -a "$results"
  done
done
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    mode, rate, cpu = line.split()
    rows.setdefault(mode, []).append((float(rate), float(cpu)))
print("\nmedian of %d rounds:" % len(rows["none"]))
print("%-8s %12s %18s" % ("watching", "requests/s", "daemon CPU us/req"))
for mode, values in rows.items():
    print("%-8s %12.0f %18.1f" % (mode, statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)))
PY
