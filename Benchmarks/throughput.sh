#!/usr/bin/env bash
# Runs ../shared/bench/run.sh RUNS times against a fresh release daemon and prints each run and the
# median of every column, since one run on a 2-core machine (load generator, reference and daemon
# sharing the cores) varies by 10% or more.
# Usage: Benchmarks/throughput.sh [RUNS]   (default 5; BENCH_SECONDS as run.sh, default 8)
# WITH_PAGE=PROJECT keeps a headless monitor page open on PROJECT meanwhile (bench/progress is
# the project the progress workload writes to); WITH_STREAM=PROJECT an event stream without a
# browser (curl), to tell the daemon's cost from the browser's on the same cores.
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
runs=${1:-5}
start_daemon
if [ -n "${WITH_PAGE:-}" ]; then
  python3 Benchmarks/monitor-page.py "http://127.0.0.1:$port" --hold "$WITH_PAGE" & watcher=$!
elif [ -n "${WITH_STREAM:-}" ]; then
  curl -sN "http://127.0.0.1:$port/events?project=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$WITH_STREAM")" >/dev/null & watcher=$!
fi
[ -z "${watcher:-}" ] || trap 'kill $watcher 2>/dev/null || true; kill $daemon 2>/dev/null || true' EXIT
results=$(mktemp)
for run in $(seq "$runs"); do
  bash ../shared/bench/run.sh "http://127.0.0.1:$port/RPC2" | tail -n +2 | tee -a "$results"
done
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, reference, tracker, ratio = line.split()
    rows.setdefault(name, []).append((float(reference), float(tracker), float(ratio)))
print("\nmedian of %d runs:" % len(next(iter(rows.values()))))
print("%-12s %12s %12s %8s" % ("workload", "reference", "tracker", "ratio"))
for name, values in rows.items():
    print("%-12s %12.0f %12.0f %8.2f" % (name, *(statistics.median(v[i] for v in values) for i in range(3))))
by_run = {name: [v[1] for v in values] for name, values in rows.items()}
share = [p / i for p, i in zip(by_run["progress"], by_run["isrunning"])]
print("progress / isrunning (daemon): median %.2f, runs %s" % (statistics.median(share), " ".join("%.2f" % s for s in share)))
PY
