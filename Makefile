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

.PHONY: all deps build build-server run test test-unit test-asan test-integration bench fmt clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Only what `make run` serves: the server binary (no tests, no benchmarks).
build-server: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target opzenix

# Builds, creates $(DATA_DIR) with a demo project and an admin account (its
# one-time password is printed), then serves http://$(LISTEN).
run: build-server
	@scripts/run-demo.sh $(BUILD)/opzenix $(DATA_DIR) $(LISTEN)

# Everything: release build + all tests, then the unit tests again under
# AddressSanitizer/UndefinedBehaviorSanitizer.
# The real GitHub webhook examples (npm @octokit/webhooks-examples) are
# installed by tests/integration/octokit/setup.sh; without node/npm the tests
# that need them skip and say so.
OCTOKIT = $(shell tests/integration/octokit/setup.sh 2>/dev/null)

test: build
	cd $(BUILD) && OPZ_OCTOKIT_EXAMPLES="$(OCTOKIT)" ctest --output-on-failure -j $(JOBS) --timeout 600
	$(MAKE) test-asan

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

test-integration: build
	cd $(BUILD) && ctest --output-on-failure -L integration

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
	rm -rf $(BUILD) $(ASAN_BUILD)
