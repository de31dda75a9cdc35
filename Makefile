# The commands a person types. Each one installs what it needs first (Debian packages, npm
# packages) and does nothing more when everything is already there.
#
#   make serve     build the course site and serve it on http://127.0.0.1:$(PORT)/
#   make check     every test: native (g++, clang++), sanitizers, Emscripten, site, browser
#   make progress  for learners: which katas in exercises/ pass
#   make site      build the site into _build/html
#   make bench     runtime and in-page compile benchmarks

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
JOBS ?= $(shell nproc)
# Sphinx and furo come from Debian; the python3 first on PATH may be another interpreter.
PYTHON := /usr/bin/python3
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
KATAS ?= staller closer spotlight timeout

NATIVE_PACKAGES := cmake g++ make doctest-dev python3
ALL_PACKAGES := $(NATIVE_PACKAGES) clang-14 emscripten python3-sphinx furo python3-sphinx-copybutton chromium

# Where things are built; override to keep a second build apart (e.g. HTML=_build/mine-html).
HTML ?= _build/html
WASM_BUILD ?= build/wasm
TOOLCHAIN_OUT ?= _build/toolchain
ACM_STATIC := $(HTML)/_static/acm
empty :=
space := $(empty) $(empty)

.PHONY: help serve check progress site bench deps deps-native npm-deps native-check clang-check sanitize-check \
        wasm-check site-modules starters js-check browser-check clean

help:
	@sed -n '3,10p' Makefile | sed 's/^# \{0,1\}//'

# --- dependencies ------------------------------------------------------------------------------
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@command -v node >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
endef

deps-native:
	$(call apt_install,$(NATIVE_PACKAGES))

deps:
	$(call apt_install,$(ALL_PACKAGES))
	@$(MAKE) --no-print-directory npm-deps

npm-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# --- tests -------------------------------------------------------------------------------------
check: deps
	@$(MAKE) --no-print-directory native-check clang-check sanitize-check wasm-check js-check
	@$(MAKE) --no-print-directory site
	@$(MAKE) --no-print-directory browser-check
	@echo "make check: all suites passed"

# g++: runtime tests, kata tests against the solutions, the starters and the wrong answers in
# tests/katas/ (which must fail), examples.
native-check:
	@echo "== native (g++): runtime, katas, starters, wrong answers, examples"
	cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=g++ -DACM_CHECK_STARTERS=ON -DACM_CHECK_WRONG_ANSWERS=ON >/dev/null
	cmake --build build/native -j$(JOBS)
	ctest --test-dir build/native --output-on-failure -j$(JOBS)

clang-check:
	@echo "== native (clang++-14 with libstdc++): runtime and katas"
	cmake -S . -B build/clang -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 -DACM_EXAMPLES=OFF >/dev/null
	cmake --build build/clang -j$(JOBS)
	ctest --test-dir build/clang --output-on-failure -j$(JOBS)

sanitize-check:
	@echo "== AddressSanitizer + UndefinedBehaviorSanitizer: runtime and katas"
	cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=g++ -DACM_SANITIZE=ON -DACM_EXAMPLES=OFF >/dev/null
	cmake --build build/asan -j$(JOBS)
	ctest --test-dir build/asan --output-on-failure -j$(JOBS)

# Emscripten 3.1.6 (libc++ 13): standalone WASI modules run by Node. Leave EM_CACHE unset: Debian
# ships a prebuilt cache with every variant this needs.
wasm-check: $(WASM_BUILD)/.built
	@echo "== Emscripten (standalone WASI under Node): runtime, katas, examples"
	ctest --test-dir $(WASM_BUILD) --output-on-failure -j$(JOBS)

WASM_CONFIGURE = emcmake cmake -S . -B $(WASM_BUILD) -DCMAKE_BUILD_TYPE=Release "-DKATAS=$(subst $(space),;,$(strip $(KATAS)))" >/dev/null

$(WASM_BUILD)/.built: FORCE
	$(WASM_CONFIGURE)
	cmake --build $(WASM_BUILD) -j$(JOBS)
	@touch $@

# What the site serves: each kata's test program (its reference run) and every page example.
SITE_WASM_TARGETS := $(addsuffix _test,$(KATAS)) $(patsubst examples/%.cpp,example_%,$(wildcard examples/*.cpp))
site-modules: deps
	$(WASM_CONFIGURE)
	cmake --build $(WASM_BUILD) -j$(JOBS) --target $(SITE_WASM_TARGETS)

js-check: npm-deps
	@echo "== JavaScript unit tests (node --test)"
	node --test tests/js/

# Runs against the built site (make site); builds nothing itself.
browser-check: npm-deps
	@echo "== browser end-to-end tests (headless Chromium)"
	node tests/browser/run.mjs --site $(HTML)

# --- learners ----------------------------------------------------------------------------------
progress: deps-native
	@cmake -S . -B build/progress -DKATA_SOURCE=exercises -DACM_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@$(PYTHON) tools/progress.py build/progress $(KATAS)

# --- the site ----------------------------------------------------------------------------------
# Sphinx pages + the bundled browser code + what the pages run: each kata's reference test program
# and the examples (Emscripten), and the in-page compiler (@yowasp/clang with the course's kit).
# Everything is served from the site itself; big files get precompressed siblings.
site: deps site-modules
	node wasm/toolchain/build.mjs --out $(TOOLCHAIN_OUT)
	$(PYTHON) -m sphinx -W --keep-going -q -b html . $(HTML)
	node wasm/theme-fixups.mjs $(HTML)
	node wasm/build-frontend.mjs --out $(ACM_STATIC)
	@rm -rf $(ACM_STATIC)/reference $(ACM_STATIC)/examples
	@mkdir -p $(ACM_STATIC)/reference $(ACM_STATIC)/examples $(ACM_STATIC)/toolchain
	@for k in $(KATAS); do cp $(WASM_BUILD)/$${k}_test.wasm $(ACM_STATIC)/reference/$$k.wasm; done
	@for f in $(WASM_BUILD)/example_*.wasm; do [ -e "$$f" ] || continue; n=$$(basename $$f .wasm); cp $$f $(ACM_STATIC)/examples/$${n#example_}.wasm; done
	@cp -a -u $(TOOLCHAIN_OUT)/. $(ACM_STATIC)/toolchain/
	@# The pages live under docs/; the site's root sends visitors to the course's first page.
	@printf '<!DOCTYPE html>\n<meta charset="utf-8">\n<title>Async Context Managers in C++20</title>\n<meta http-equiv="refresh" content="0; url=docs/index.html">\n<a href="docs/index.html">Async Context Managers in C++20</a>\n' > $(HTML)/index.html
	node wasm/precompress.mjs $(HTML)
	@echo "site built in $(HTML)"

serve: site
	$(PYTHON) tools/serve.py --root $(HTML) --port $(PORT)

# --- benchmarks --------------------------------------------------------------------------------
bench: deps
	cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DACM_BENCH=ON -DACM_EXAMPLES=OFF >/dev/null
	cmake --build build/bench -j$(JOBS) --target runtime_bench
	emcmake cmake -S . -B build/wasm-bench -DCMAKE_BUILD_TYPE=Release -DACM_BENCH=ON -DACM_EXAMPLES=OFF >/dev/null
	cmake --build build/wasm-bench -j$(JOBS) --target runtime_bench
	node bench/runtime.mjs build/bench/runtime_bench build/wasm-bench/runtime_bench.wasm
	@# In the page: cold and warm compile-and-run, and bytes downloaded, against the built site.
	@$(MAKE) --no-print-directory site
	node bench/inpage.mjs --site $(HTML)

clean:
	rm -rf build _build

FORCE:
