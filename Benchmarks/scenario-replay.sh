#!/usr/bin/env bash
# A render log replayed inside a scenario against `replay --fast` in-process on the same log
# (docs/performance.md, "Replay inside scenarios"): a release build, one run of each, then the ratio.
# The scenario run is `scenario run LOG.jsonl`, the log replayed alone in a scenario's tracker.
# Usage: Benchmarks/scenario-replay.sh [PROJECTS] [FRAMES]   (defaults 200, 500: 1,006,736 calls, the replay benchmark's log)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=${1:-200}
frames=${2:-500}
log=${TMPDIR:-/tmp}/rendertracker-replay-bench-$projects-$frames.jsonl

swift build -c release --product rendertracker >/dev/null
[ -s "$log" ] || python3 Benchmarks/make-render-log.py "$log" "$projects" "$frames"
echo "log: $log ($(du -h "$log" | cut -f1), $(($(wc -l <"$log") - 1)) calls)"
replay=$(.build/release/rendertracker replay --fast --json "$log" | python3 -c \
  'import json, sys; s = json.load(sys.stdin); assert s["faults"] == 0, s["first_faults"]; print("%d %.3f" % (s["calls_per_second"], s["wall_seconds"]))')
echo "replay --fast:  ${replay% *} calls/s (${replay#* } s)"
line=$(/usr/bin/time -f "%M" -o /tmp/scenario-replay-rss .build/release/rendertracker scenario run "$log" | grep "^  replayed ")
scenario=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s \(([0-9]+) calls\/s\).*/\2 \1/')
echo "scenario run:   ${scenario% *} calls/s (${scenario#* } s, peak $(( $(cat /tmp/scenario-replay-rss) / 1024 )) MiB)"
python3 -c "import sys; r, s = int(sys.argv[1]), int(sys.argv[2]); print('scenario / replay: %.1f%% (target: at least 80%%)' % (100.0 * s / r))" "${replay% *}" "${scenario% *}"
# The same log replayed by a script (farm:replay), which keeps every hook event for farm:events.
script=${TMPDIR:-/tmp}/rendertracker-scenario-replay-bench.lua
printf 'local farm = scenario.farm{}\nfarm:replay{ file = "%s" }:run()\n' "$log" >"$script"
line=$(.build/release/rendertracker scenario run "$script" | grep "^  replayed ")
scripted=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s \(([0-9]+) calls\/s\).*/\2 \1/')
echo "farm:replay:    ${scripted% *} calls/s (${scripted#* } s; events kept for farm:events)"
python3 -c "import sys; r, s = int(sys.argv[1]), int(sys.argv[2]); print('farm:replay / replay: %.1f%%' % (100.0 * s / r))" "${replay% *}" "${scripted% *}"
