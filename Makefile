# Opzenix front door. `make run` and `make test` do all set-up on a fresh Debian 12.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
LISTEN     ?= 127.0.0.1:8080
DATA_DIR   ?= ./var
CMAKE_FLAGS ?=
# ccache: paths below the checkout count as relative and the build folder is
# not hashed, so a fresh clone elsewhere (CI) reuses this machine's cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps deps-test build build-server web run test test-unit test-web test-asan test-integration bench fmt clean

all: build

deps:
	@scripts/install-deps.sh

# What only the tests need on top (chromium for the browser tests; the real
# OpenTelemetry exporter in tests/otel for the OTLP receiver's test).
deps-test:
	@scripts/install-deps.sh --test
	@tests/otel/setup.sh >/dev/null || echo "tests/otel: npm ci failed; the real OpenTelemetry exporter test will skip" >&2

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Only what `make run` serves: the server binary (no tests, no benchmarks).
build-server: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target opzenix

# The web UI (web/ -> web/dist, served by `opzenix serve` at /). Stamps keep a
# second `make run` instant: `npm ci` only when node_modules is missing or older
# than the lockfile, `npm run build` only when a source, the config or the
# lockfile changed since the last build.
WEB_NPM_STAMP   := web/node_modules/.opz-npm-ci
WEB_BUILD_STAMP := web/dist/.opz-build
WEB_SOURCES     := $(shell find web/src web/public -type f 2>/dev/null) \
                   web/index.html web/vite.config.ts web/package.json web/package-lock.json \
                   $(wildcard web/tsconfig*.json)

web: deps $(WEB_BUILD_STAMP)

$(WEB_NPM_STAMP): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

$(WEB_BUILD_STAMP): $(WEB_NPM_STAMP) $(WEB_SOURCES)
	cd web && npm run build
	@touch $@

# Builds the server binary and the web UI, creates $(DATA_DIR) with a demo
# project, a few finished executions and one running, and an admin account (its
# one-time password is printed), then serves the UI at http://$(LISTEN).
# The web bundle is built while the compiler runs (npm ci mostly waits on the disk).
run:
	@$(MAKE) --no-print-directory -j2 build-server web
	@scripts/run-demo.sh $(BUILD)/opzenix $(DATA_DIR) $(LISTEN)

# Everything: release build + all tests, then the unit tests again under
# AddressSanitizer/UndefinedBehaviorSanitizer.
# The real GitHub webhook examples (npm @octokit/webhooks-examples) are
# installed by tests/integration/octokit/setup.sh; without node/npm the tests
# that need them skip and say so.
OCTOKIT = $(shell tests/integration/octokit/setup.sh 2>/dev/null)

# The web tests (vitest, and the browser tests in web/e2e driving chromium)
# are CTest tests of the release build (labels web, e2e); they need web/dist.
# deps-test comes first: CMake registers the PostgreSQL runs only when it
# finds Debian's PostgreSQL at configure time.
test: deps-test build web
	cd $(BUILD) && OPZ_OCTOKIT_EXAMPLES="$(OCTOKIT)" ctest --output-on-failure -j $(JOBS) --timeout 600
	$(MAKE) test-asan

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

test-integration: deps-test build
	cd $(BUILD) && ctest --output-on-failure -L integration

test-web: build-server web deps-test
	cd $(BUILD) && ctest --output-on-failure -L web

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOPZ_SANITIZE=ON -DOPZ_UNIT_ONLY=ON

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  OPZ_OCTOKIT_EXAMPLES="$(OCTOKIT)" ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	@scripts/install-deps.sh --bench
	@bench/run.sh $(BUILD)

fmt:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'fuzz/*.cc')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist
