# rendertracker: `make run` serves on port 5002, `make test` runs every test.
# Both install the system libraries they need first (Debian/Ubuntu, via apt-get) when missing.

SWIFT ?= swift
HOST ?= 0.0.0.0
PORT ?= 5002
SYSTEM_PACKAGES := libexpat1-dev liblua5.4-dev zlib1g-dev pkg-config python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps bench bench-memory monitor-assets clean

run: build
	.build/release/rendertracker serve --host $(HOST) --port $(PORT)

build: deps
	$(SWIFT) build -c release --product rendertracker

test: deps
	$(SWIFT) test

# Benchmarks (see docs/performance.md). `bench` needs wrk, installed here when missing.
bench: build
	@command -v wrk >/dev/null || $(SUDO) apt-get install -y wrk
	Benchmarks/throughput.sh 5

bench-memory: build
	.build/release/rendertracker serve --host 127.0.0.1 --port $(PORT) --log-level warning & pid=$$!; \
	  trap "kill $$pid" EXIT; sleep 1; python3 Benchmarks/memory.py http://127.0.0.1:$(PORT)/RPC2 $$pid

# After editing Sources/RenderTrackerServer/Monitor/*: embed them in the binary again.
monitor-assets:
	python3 Sources/RenderTrackerServer/Monitor/embed.py

deps:
	@missing=""; for package in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf .build
