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

# One run of the replay benchmark, which builds the release binary and generates the log when missing.
replay=$(Benchmarks/replay.sh 1 "$projects" "$frames" | tee /dev/stderr | sed -nE 's/^run 1: ([0-9]+) calls\/s \(([0-9.]+) s\)/\1 \2/p')
echo "replay --fast:  ${replay% *} calls/s (${replay#* } s)"
# `scenario run FILE`'s own figure for its replay: "replayed N calls of LOG in X s (Y calls/s)".
scenario_run() {
  /usr/bin/time -f "%M" -o /tmp/scenario-replay-rss .build/release/rendertracker scenario run "$1" | grep "^  replayed " \
    | sed -E 's/.* in ([0-9.]+) s \(([0-9]+) calls\/s\).*/\2 \1/'
}
ratio() { python3 -c "import sys; print('%.1f%% of replay --fast (target: at least 80%%)' % (100.0 * int(sys.argv[2]) / int(sys.argv[1])))" "${replay% *}" "$1"; }

# The log alone, as `scenario run night.jsonl` and `eta-report night.jsonl` replay it.
alone=$(scenario_run "$log")
echo "scenario run LOG:  ${alone% *} calls/s (${alone#* } s, peak $(( $(cat /tmp/scenario-replay-rss) / 1024 )) MiB): $(ratio "${alone% *}")"
# The same log replayed by a script (farm:replay), which keeps every hook event for farm:events.
script=${TMPDIR:-/tmp}/rendertracker-scenario-replay-bench.lua
printf 'local farm = scenario.farm{}\nfarm:replay{ file = "%s" }:run()\n' "$log" >"$script"
scripted=$(scenario_run "$script")
echo "farm:replay script: ${scripted% *} calls/s (${scripted#* } s, peak $(( $(cat /tmp/scenario-replay-rss) / 1024 )) MiB): $(ratio "${scripted% *}")"
