#!/usr/bin/env bash
# The daemon's own CPU time per request under ../shared/bench's wrk workloads. Requests/s on two
# cores shared by wrk, the daemon and whatever else runs swings by 30% or more from run to run;
# CPU time per request (user + system, from /proc) moves far less, so it shows what a change
# costs. Several binaries are measured in turn, ROUNDS times, to compare builds.
# Usage: Benchmarks/cpu-per-request.sh [ROUNDS] [BINARY...]   (default 3, the release build;
#        BENCH_SECONDS per workload, default 8)
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
rounds=${1:-3}
shift || true
binaries=("${@:-$binary}")
secs=${BENCH_SECONDS:-8}
bench=../shared/bench
url=http://127.0.0.1:$port/RPC2
ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

printf '%-10s %-40s %10s %8s %12s\n' workload binary requests cpu_s us_per_req
for round in $(seq "$rounds"); do
  for binary in "${binaries[@]}"; do
    start_daemon
    cursor=$(python3 "$bench/setup_projects.py" "$url")
    for workload in isrunning progress changes; do
      before=$(cpu_ticks "$daemon")
      requests=$(CURSOR=$cursor wrk -t1 -c32 -d"${secs}s" -s "$bench/$workload.lua" "$url" 2>/dev/null |
        awk '/requests in/ {print $1}')
      after=$(cpu_ticks "$daemon")
      python3 -c "import sys; w, b, r, t, hz = sys.argv[1:]; s = int(t) / int(hz); print('%-10s %-40s %10s %8.2f %12.1f' % (w, b, r, s, s / int(r) * 1e6))" \
        "$workload" "$binary" "$requests" "$((after - before))" "$ticks_per_second"
    done
    stop_daemon
  done
done
