#!/usr/bin/env bash
# In-process replay speed (docs/performance.md, "Replay"): a release build replays a synthetic
# render log of about 1,000,000 calls with --fast, RUNS times; prints each run's calls/s and the median.
# Usage: Benchmarks/replay.sh [RUNS] [PROJECTS] [FRAMES]   (defaults 5, 200, 500: 1,006,736 calls)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
projects=${2:-200}
frames=${3:-500}
log=${TMPDIR:-/tmp}/rendertracker-replay-bench-$projects-$frames.jsonl

swift build -c release --product rendertracker >/dev/null
[ -s "$log" ] || python3 Benchmarks/make-render-log.py "$log" "$projects" "$frames"
echo "log: $log ($(du -h "$log" | cut -f1), $(($(wc -l <"$log") - 1)) calls)"
rates=()
for run in $(seq "$runs"); do
  rate=$(.build/release/rendertracker replay --fast --json "$log" | python3 -c \
    'import json, sys; s = json.load(sys.stdin); assert s["faults"] == 0, s["first_faults"]; print("%d %.3f" % (s["calls_per_second"], s["wall_seconds"]))')
  echo "run $run: ${rate% *} calls/s (${rate#* } s)"
  rates+=("${rate% *}")
done
printf '%s\n' "${rates[@]}" | sort -n | awk '{ a[NR] = $1 } END { print "median: " a[int((NR + 1) / 2)] " calls/s" }'
