# rendertracker: `make run` serves on port 5002, `make test` runs every test.
# Both install the system libraries they need first (Debian/Ubuntu, via apt-get) when missing.

SWIFT ?= swift
HOST ?= 0.0.0.0
PORT ?= 5002
SYSTEM_PACKAGES := libexpat1-dev liblua5.4-dev libsqlite3-dev zlib1g-dev pkg-config python3
# The monitor page's tests drive a real headless Chromium through Selenium. The PostgreSQL store's
# tests start a real cluster of their own (RenderTrackerTesting's PostgresServer) from Debian's
# server package, /usr/lib/postgresql/<version>/bin; under root they run it as the package's
# `postgres` user through runuser, from util-linux, which every Debian system has.
TEST_PACKAGES := chromium chromium-driver python3-pip postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps test-deps bench bench-memory bench-replay bench-scenario monitor-assets monitor-screenshots clean \
	install deb test-install

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

# Installing (docs/operations.md, Installing): the release binary with the Swift runtime linked in
# (--static-swift-stdlib), so it runs on a machine without the toolchain; the shipped plugins; the
# example configuration (kept when one is there); the systemd unit, its paths set to PREFIX's.
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR ?= $(PREFIX)/lib/systemd/system
# The build folder of the static binary (another one keeps a concurrent debug build unblocked).
SCRATCH ?= .build
# Foundation's networking, linked in statically, links the system's libcurl: its .so link is in
# the -dev package.
INSTALL_PACKAGES := libcurl4-openssl-dev

install: deps
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="$(INSTALL_PACKAGES)"
	$(SWIFT) build -c release --product rendertracker --static-swift-stdlib --scratch-path $(SCRATCH)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/rendertracker/plugins \
	  $(DESTDIR)$(SYSCONFDIR)/rendertracker $(DESTDIR)$(UNITDIR)
	install -m 0755 $(SCRATCH)/release/rendertracker $(DESTDIR)$(PREFIX)/bin/rendertracker
	install -m 0644 plugins/README.md plugins/*.lua plugins/*.conf.example $(DESTDIR)$(PREFIX)/share/rendertracker/plugins/
	[ -e $(DESTDIR)$(SYSCONFDIR)/rendertracker/rendertracker.yaml ] || \
	  install -m 0644 examples/rendertracker.yaml $(DESTDIR)$(SYSCONFDIR)/rendertracker/rendertracker.yaml
	sed -e 's|/usr/bin/rendertracker|$(PREFIX)/bin/rendertracker|' -e 's|/etc/rendertracker/|$(SYSCONFDIR)/rendertracker/|g' \
	  -e 's|/etc/default/|$(SYSCONFDIR)/default/|' packaging/rendertracker.service > $(DESTDIR)$(UNITDIR)/rendertracker.service

# A Debian package of `make install PREFIX=/usr`, built with dpkg-deb. Its dependencies are the
# packages that own the libraries the binary links (packaging/debian/depends.sh). The version is
# the binary's (git describe), prefixed 0~git when it is not a tag's (1.2.0...).
DEB_ROOT := .build/deb/root
deb:
	rm -rf .build/deb
	$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(CURDIR)/$(DEB_ROOT)
	install -d $(DEB_ROOT)/DEBIAN
	install -m 0755 packaging/debian/postinst $(DEB_ROOT)/DEBIAN/postinst
	echo /etc/rendertracker/rendertracker.yaml > $(DEB_ROOT)/DEBIAN/conffiles
	version=$$($(DEB_ROOT)/usr/bin/rendertracker --version | cut -d' ' -f2); \
	  case $$version in [0-9]*.*) ;; *) version="0~git$$version" ;; esac; \
	  depends=$$(packaging/debian/depends.sh $(DEB_ROOT)/usr/bin/rendertracker); \
	  sed -e "s|@VERSION@|$$version|" -e "s|@ARCH@|$$(dpkg --print-architecture)|" -e "s|@DEPENDS@|$$depends|" \
	    packaging/debian/control.in > $(DEB_ROOT)/DEBIAN/control
	dpkg-deb --root-owner-group --build $(DEB_ROOT) .build/deb/
	@ls .build/deb/*.deb

# The installed binary runs with the toolchain out of reach (slow: a static release build; CI runs
# `make deb` and installs the package instead, in .ci/run).
test-install:
	packaging/test-install.sh

clean:
	rm -rf .build
