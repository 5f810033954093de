# Sourced by the benchmark scripts: the project root as working directory, a release build, and
# start_daemon / stop_daemon for a daemon on 127.0.0.1:$port.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
port=${PORT:-5002}
binary=.build/release/rendertracker
[ -x "$binary" ] || swift build -c release --product rendertracker
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

start_daemon() {
  "$binary" serve --store memory --host 127.0.0.1 --port "$port" --log-level warning & daemon=$!
  trap 'kill $daemon 2>/dev/null || true' EXIT
  sleep 1
}

stop_daemon() {
  kill "$daemon"
  wait "$daemon" 2>/dev/null || true
}
