# rendertracker: `make run` serves on port 5002, `make test` runs every test.
# Both install the system libraries they need first (Debian/Ubuntu, via apt-get) when missing.

SWIFT ?= swift
HOST ?= 0.0.0.0
PORT ?= 5002
SYSTEM_PACKAGES := libexpat1-dev liblua5.4-dev libsqlite3-dev zlib1g-dev pkg-config python3
# The monitor page's tests drive a real headless Chromium through Selenium.
TEST_PACKAGES := chromium chromium-driver python3-pip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps test-deps bench bench-memory bench-replay bench-scenario monitor-assets monitor-screenshots clean

run: build
	.build/release/rendertracker serve --host $(HOST) --port $(PORT)

build: deps
	$(SWIFT) build -c release --product rendertracker

test: deps test-deps
	$(SWIFT) test

# Benchmarks (see docs/performance.md). `bench` needs wrk, installed here when missing.
bench: build
	@command -v wrk >/dev/null || $(SUDO) apt-get install -y wrk
	Benchmarks/throughput.sh 5

# Render logs and scenarios: replay --fast calls/s, and 10,000 frames on 500 machines.
bench-replay: build
	Benchmarks/replay.sh 5

bench-scenario: build
	Benchmarks/scenario.sh 3

bench-memory: build
	.build/release/rendertracker serve --store memory --host 127.0.0.1 --port $(PORT) --log-level warning & pid=$$!; \
	  trap "kill $$pid" EXIT; sleep 1; python3 Benchmarks/memory.py http://127.0.0.1:$(PORT)/RPC2 $$pid

# After editing Sources/RenderTrackerServer/Monitor/*: embed them in the binary again.
monitor-assets:
	python3 Sources/RenderTrackerServer/Monitor/embed.py

# Debian's chromium and chromedriver, and Selenium from PyPI (Debian's python3-selenium would
# serve only Debian's python3, not the one on PATH).
test-deps:
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="$(TEST_PACKAGES)"
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install --quiet selenium \
	  || python3 -m pip install --quiet --break-system-packages selenium

# The screenshots in docs/monitor.md, from the browser tests' scenarios on a fresh debug daemon.
monitor-screenshots: deps test-deps
	$(SWIFT) build --product rendertracker
	for scenario in projects_list project_view failure_cause phone charts_and_history; do \
	  .build/debug/rendertracker serve --store memory --host 127.0.0.1 --port $(PORT) --log-level warning & pid=$$!; sleep 1; \
	  SCREENSHOTS_DIR=docs/images python3 Tests/EndToEndTests/Clients/monitor_page.py http://127.0.0.1:$(PORT) $$scenario \
	    >/dev/null; status=$$?; kill $$pid; wait $$pid; [ $$status = 0 ] || exit $$status; done

deps:
	@missing=""; for package in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf .build
