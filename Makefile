# Thin wrapper over packaging/install-deps.sh, CMake presets and CTest.
#   make run    install what is missing, build, start the lab
#   make test   install what is missing, build, run the whole test suite
#   make package  the same set-up and build, then the .deb (docs/packaging.md)
PRESET ?= release
BUILD_DIR := build/$(PRESET)
GENLAB := $(BUILD_DIR)/app/genlab

.PHONY: all deps configure build run test test-fast package bench bench-build clean gpu-deps fuzz fuzz-build libtorch2-check

all: build

deps:
	@bash packaging/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

# `make run` opens the window with the Figure 1a preset (its sessions' results and figures go
# under build/release/runs/figure1a); without a display it trains the preset in the terminal.
# ARGS replaces the default arguments, e.g. make run ARGS="--list-presets".
RUN_ARGS := $(if $(ARGS),$(ARGS),--preset figure1a-fashion-mnist --out $(BUILD_DIR)/runs/figure1a --export png,svg)
run: build
	@$(GENLAB) $(RUN_ARGS)

# The fuzz targets are built too: CTest runs each one's saved crash inputs and a 30-second smoke.
test: build fuzz-build
	@ctest --preset $(PRESET)

# The tests without the label "slow".
test-fast: build
	@ctest --preset fast

# The Debian package, build/<preset>/genlab_<version>_amd64.deb (packaging/CMakeLists.txt);
# cpack prints its path.
package: build
	@cd $(BUILD_DIR) && cpack -G DEB

bench: build
	@bash packaging/install-deps.sh packaging/bench-packages.txt
	@bash bench/run-benchmarks.sh $(BUILD_DIR)

# Build time of fresh clones of HEAD (cold and warm ccache, one-file rebuilds) against an earlier
# commit, about 30 minutes: docs/build-time.tsv and its table in docs/BENCHMARKS.md.
bench-build: deps
	@bash bench/build-time.sh

# The fuzz targets of the parsers (tests/fuzz; clang, libFuzzer, ASan and UBSan) in build/fuzz.
fuzz-build: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz

# Runs each fuzz target for FUZZ_SECONDS (FUZZ_TARGETS: some of them) and prints its executions
# and crashes (docs/robustness.md, "Fuzzing").
FUZZ_SECONDS ?= 300
fuzz: fuzz-build
	@bash tests/fuzz/run-fuzzers.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	@rm -rf build

# The build against LibTorch 2.x without a GPU machine, from the Debian release LIBTORCH2_SUITE
# (in $(BUILD_DIR)/libtorch2): every LibTorch unit compiled (syntax only) against its headers,
# then the Qt-free core built in a minimal chroot of it and run. About 10 minutes on 2 cores.
LIBTORCH2_SUITE ?= trixie
libtorch2-check: build
	@bash packaging/install-deps.sh packaging/libtorch2-packages.txt
	@/usr/bin/python3 tests/libtorch2_check.py $(BUILD_DIR) $(LIBTORCH2_SUITE)
	@bash tests/libtorch2_runtime_check.sh $(BUILD_DIR) $(LIBTORCH2_SUITE)

# nlohmann-json headers for a machine that lacks them (the GPU check carries build/deps).
gpu-deps:
	@mkdir -p build/deps/include && cp -r /usr/include/nlohmann build/deps/include/
