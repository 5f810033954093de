#!/usr/bin/env bash
# `make install PREFIX=<a temporary folder>`, then the installed binary with the Swift toolchain's
# libraries out of reach: ldd names none of them, and the daemon serves with an empty
# LD_LIBRARY_PATH and a PATH without the toolchain. Usage: packaging/test-install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-$(mktemp -d)}
make --no-print-directory install PREFIX="$prefix"
binary="$prefix/bin/rendertracker"
toolchain=$(dirname "$(dirname "$(command -v swift)")")
echo "toolchain: $toolchain"
ldd "$binary"
if ldd "$binary" | grep -E "$toolchain|libswift|libFoundation|lib_FoundationICU|libdispatch"; then
  echo "FAILED: the installed binary links the toolchain's libraries (above)" >&2; exit 1
fi
for file in bin/rendertracker share/rendertracker/plugins/shot-naming.lua etc/rendertracker/rendertracker.yaml lib/systemd/system/rendertracker.service; do
  [ -e "$prefix/$file" ] || { echo "FAILED: $prefix/$file was not installed" >&2; exit 1; }
done
grep -q "ExecStart=$prefix/bin/rendertracker serve --config $prefix/etc/rendertracker/rendertracker.yaml" "$prefix/lib/systemd/system/rendertracker.service"
run() { env -i LD_LIBRARY_PATH= PATH=/usr/bin:/bin HOME="$prefix" "$@"; }
run "$binary" --version
run "$binary" serve --config "$prefix/etc/rendertracker/rendertracker.yaml" --print-config >/dev/null
log=$(mktemp)
run "$binary" serve --store memory --host 127.0.0.1 --port 0 --plugins "$prefix/share/rendertracker/plugins" >"$log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening address=" "$log" && break; sleep 0.1; done
port=$(grep -o "listening address=[^ ]*" "$log" | sed 's/.*://')
python3 - "$port" <<'PY'
import sys, xmlrpc.client
tracker = xmlrpc.client.ServerProxy("http://127.0.0.1:%s/RPC2" % sys.argv[1])
assert tracker.startedRenderProject("install/check", [1, 2], False, "1") is True
assert tracker.getAllFramesInfo("install/check") == [[1, 0, 0.0], [2, 0, 0.0]]
print("ok: the installed daemon serves xmlrpc.client")
PY
echo "ok: $binary runs without the toolchain's libraries"
