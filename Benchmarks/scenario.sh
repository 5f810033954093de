#!/usr/bin/env bash
# Scenario benchmark (docs/performance.md): 10,000 frames on 500 machines in virtual time, the
# issue's target being under 10 s of wall time. Prints each run's wall time and peak memory.
# Usage: Benchmarks/scenario.sh [RUNS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install -y time" >&2; exit 2; }
swift build -c release --product rendertracker >/dev/null
binary=$(swift build -c release --show-bin-path)/rendertracker
for run in $(seq "$runs"); do
  /usr/bin/time -f "run $run: %e s wall, %M KiB peak memory" \
    "$binary" scenario run Benchmarks/scenarios/ten-thousand-frames.lua | tail -2
done
