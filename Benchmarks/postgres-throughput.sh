#!/usr/bin/env bash
# Several daemons on one PostgreSQL database against one daemon on SQLite, measured side by side:
# the progress workload (../shared/bench/progress.lua, setFrameRenderFraction on a 10,000-frame
# project) through TWO daemons on ONE PostgreSQL database (two wrk at once, one per daemon, 16
# connections each: requests/s summed, the worse of the two p99 latencies), then through ONE
# daemon on --store sqlite (one wrk, 32 connections). ROUNDS rounds (default 3), the two in turn,
# so drift on a shared machine hits both alike; BENCH_SECONDS each (default 10).
# PostgreSQL runs durable (fsync on, synchronous_commit at its default) in a cluster of its own,
# started here (Debian's server binaries, a temporary folder, a free port; as the postgres user
# when run as root, since its server refuses root) and removed at exit. SQLite runs with the
# daemon's defaults (--sync-interval 1); SQLITE_OPTIONS adds flags (SQLITE_OPTIONS="--sync-interval 0").
# Each round starts from an empty database and an empty SQLite file.
# Usage: Benchmarks/postgres-throughput.sh [ROUNDS]
#        BINARY=/tmp/rendertracker-before Benchmarks/postgres-throughput.sh [ROUNDS]
#        Benchmarks/postgres-throughput.sh --check-cluster   (starts the cluster, queries it, stops it)
# Needs wrk, a release build (built here when missing), python3, and PostgreSQL's server package
# (apt-get install -y postgresql: /usr/lib/postgresql/<version>/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
secs=${BENCH_SECONDS:-10}
# BINARY: another build to measure (a copy of an older release build, to compare in one session).
binary=${BINARY:-.build/release/rendertracker}
bench=../shared/bench

# The highest version's server binaries, not PATH's: Debian's psql on PATH is a wrapper that picks
# a cluster of its own, and other copies may be in /usr/local/bin.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ ! -x "$pgbin/initdb" ]; then
  echo "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql" >&2
  exit 2
fi
if [ "$(id -u)" = 0 ]; then
  # initdb and postgres refuse root: run them as the postgres user Debian's package creates,
  # from a folder it may enter, in /tmp whatever TMPDIR says.
  folder=$(mktemp -d /tmp/rendertracker-pgbench-XXXXXX)
  as_owner() { runuser -u postgres -- env --chdir="$folder/pg" "$@"; }
else
  folder=$(mktemp -d)
  as_owner() { "$@"; }
fi
pgdata=$folder/pg/data
daemons=()
# At exit, however it comes (an error, Ctrl-C, kill): the daemons and wrk, the cluster, the folder.
cleanup() {
  # shellcheck disable=SC2046
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  [ ! -e "$pgdata/postmaster.pid" ] || as_owner "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || true
  rm -rf "$folder"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port: bind port 0 and read the port the kernel chose.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_cluster() {
  chmod 755 "$folder"
  mkdir -m 700 -p "$pgdata"
  [ "$(id -u)" != 0 ] || chown -R postgres:postgres "$folder/pg"
  pgport=$(free_port)
  # --no-sync skips only initdb's own final flush; the server below runs with fsync on.
  as_owner "$pgbin/initdb" -D "$pgdata" -A trust -U rendertracker -E UTF8 --locale=C --no-sync >/dev/null
  cat >> "$pgdata/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pgport
unix_socket_directories = '$folder/pg'
max_connections = 200
shared_buffers = 128MB
EOF
  if ! as_owner "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w start >/dev/null; then
    echo "PostgreSQL did not start; server.log ends:" >&2
    tail -20 "$pgdata/server.log" >&2
    exit 1
  fi
  pgurl=postgres://rendertracker@127.0.0.1:$pgport/rendertracker
}

psql_run() { PGOPTIONS="-c client_min_messages=warning" "$pgbin/psql" -X -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U rendertracker -d postgres -c "$1"; }

# An empty database for a round (its daemons stopped, so nobody is connected).
fresh_database() {
  psql_run "DROP DATABASE IF EXISTS rendertracker" >/dev/null
  psql_run "CREATE DATABASE rendertracker" >/dev/null
}

if [ "$rounds" = --check-cluster ]; then
  start_cluster
  fresh_database
  echo "cluster $pgurl: PostgreSQL $(psql_run 'SHOW server_version'), fsync $(psql_run 'SHOW fsync'), full_page_writes $(psql_run 'SHOW full_page_writes'), synchronous_commit $(psql_run 'SHOW synchronous_commit'), running as $(ps -o user= -p "$(head -1 "$pgdata/postmaster.pid")")"
  exit 0
fi

[ -x "$binary" ] || swift build -c release --product rendertracker
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

# Starts a daemon on $1 with the rest as its flags, and waits until /healthz answers.
start_daemon() {
  local port=$1
  shift
  "$binary" serve --host 127.0.0.1 --port "$port" --log-level warning "$@" >"$folder/daemon-$port.log" 2>&1 &
  daemons+=($!)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return
    kill -0 "${daemons[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  echo "the daemon on port $port did not answer /healthz; its log:" >&2
  cat "$folder/daemon-$port.log" >&2
  exit 1
}

stop_daemons() {
  kill "${daemons[@]}"
  wait "${daemons[@]}" 2>/dev/null || true
  daemons=()
}

# The project the progress workload writes to, started on each daemon: whether daemons on one
# database see each other's projects is the store's business, not the benchmark's.
setup_project() {
  python3 -c 'import sys, xmlrpc.client; xmlrpc.client.ServerProxy(sys.argv[1]).startedRenderProject("bench/progress", list(range(1, 10001)), False, "1")' \
    "http://127.0.0.1:$1/RPC2"
}

# wrk with --latency on port $1 with $2 connections; its report into $3. Run in the background
# only (`load ... &`): it becomes wrk (exec), so the exit trap's kill reaches wrk itself.
load() {
  exec wrk -t1 -c"$2" -d"${4:-$secs}s" --latency -s "$bench/progress.lua" "http://127.0.0.1:$1/RPC2" >"$3" 2>&1
}

# WARMUP seconds (default 5) of the same load, not measured: the measured window is the steady
# state, after a daemon that takes the lease has written its first, whole-state checkpoint.
warmup=${WARMUP:-5}

# "N updates/s, p99 X ms" from wrk reports: requests/s summed, the worst 99th percentile (wrk
# writes it in us, ms, s or m); a warning when some requests failed at the HTTP level.
summarize() {
  awk '
    /Requests\/sec:/ { rate += $2 }
    /^ +99%/ {
      value = $2 + 0; unit = $2; sub(/^[0-9.]+/, "", unit)
      ms = unit == "us" ? value / 1000 : unit == "ms" ? value : unit == "s" ? value * 1000 : unit == "m" ? value * 60000 : -1
      if (ms > worst) worst = ms
    }
    /Non-2xx|Socket errors/ { line = $0; sub(/^ +/, "", line); problems = problems "; " line }
    END { printf "%d updates/s, p99 %.2f ms%s\n", rate, worst, problems }
  ' "$@"
}

start_cluster
for round in $(seq "$rounds"); do
  fresh_database
  start_daemon 5094 --store "$pgurl"
  start_daemon 5095 --store "$pgurl"
  # Once: both daemons share the database, so the render started through one is the other's too.
  setup_project 5094
  load 5094 16 /dev/null "$warmup" & first=$!
  load 5095 16 /dev/null "$warmup" & second=$!
  wait "$first" "$second" || true
  load 5094 16 "$folder/wrk-5094.txt" & first=$!
  load 5095 16 "$folder/wrk-5095.txt" & second=$!
  wait "$first" "$second" || { cat "$folder"/wrk-509?.txt >&2; exit 1; }
  echo "round $round postgres x2: $(summarize "$folder/wrk-5094.txt" "$folder/wrk-5095.txt")"
  stop_daemons

  rm -rf "$folder"/bench.db*
  # shellcheck disable=SC2086
  start_daemon 5094 --store "sqlite:$folder/bench.db" ${SQLITE_OPTIONS:-}
  setup_project 5094
  load 5094 32 /dev/null "$warmup" & wait $! || true
  # In the background too: bash runs the exit trap only once a foreground child has ended.
  load 5094 32 "$folder/wrk-sqlite.txt" & wait $! || { cat "$folder/wrk-sqlite.txt" >&2; exit 1; }
  echo "round $round sqlite x1: $(summarize "$folder/wrk-sqlite.txt")"
  stop_daemons
done
