#!/usr/bin/env bash
# The RPC target's hand-written JSON codec and Base64 against Foundation's, in a release build:
# best of five rounds per input, nanoseconds per operation. See docs/performance.md § Codecs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product CodecBenchmark >/dev/null
.build/release/CodecBenchmark
