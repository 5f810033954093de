#!/usr/bin/env bash
# Log lines and bytes per 1,000 farm calls at the default level (docs/performance.md, Logging).
# A scenario (a night farm, by default examples/scenarios/night-farm.lua, with its failures and
# retries) is recorded as a render log in virtual time, then replayed with --fast into a daemon
# whose log is counted. Usage: Benchmarks/log-volume.sh [BINARY] [SCENARIO] [serve options...]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/rendertracker}
scenario=${2:-examples/scenarios/night-farm.lua}
shift $(( $# > 2 ? 2 : $# ))
work=$(mktemp -d)
trap 'kill $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
"$binary" scenario run "$scenario" --emit-log "$work/calls.jsonl" >/dev/null
calls=$(grep -c '"method"' "$work/calls.jsonl")
"$binary" serve --store memory --host 127.0.0.1 --port 0 "$@" >"$work/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do grep -q "listening address=" "$work/daemon.log" && break; sleep 0.1; done
port=$(grep -o "listening address=[^ ]*" "$work/daemon.log" | sed 's/.*://')
before=$(wc -l <"$work/daemon.log")
"$binary" replay "$work/calls.jsonl" --url "http://127.0.0.1:$port/RPC2" --fast >/dev/null
sleep 0.5
lines=$(( $(wc -l <"$work/daemon.log") - before ))
bytes=$(tail -n +"$((before + 1))" "$work/daemon.log" | wc -c)
echo "$calls calls: $lines log lines, $bytes bytes"
awk -v c="$calls" -v l="$lines" -v b="$bytes" 'BEGIN { printf "per 1,000 calls: %.1f lines, %.0f bytes\n", l * 1000 / c, b * 1000 / c }'
echo "by message:"
tail -n +"$((before + 1))" "$work/daemon.log" | sed -E 's/^[^ ]+ [a-z]+ rendertracker: //; s/ [a-zA-Z.]+=.*//' | sort | uniq -c | sort -rn
