# Installs the C library: header, libeiam.so (with its SONAME links),
# libeiam.a, eiam.pc and the CMake package, under PREFIX.
#
#   make install PREFIX=/usr/local                 # optimised build
#   make install PREFIX=/tmp/eiam PROFILE=debug    # what the tests use
PREFIX ?= /usr/local
PROFILE ?= release
DESTDIR ?=

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
SOVERSION := 0
ifeq ($(PROFILE),release)
CARGO_FLAGS := --release
TARGET_DIR := target/release
else
CARGO_FLAGS :=
TARGET_DIR := target/debug
endif
LIBDIR := $(DESTDIR)$(PREFIX)/lib
INCDIR := $(DESTDIR)$(PREFIX)/include

.PHONY: help build install uninstall test quickstart bench fuzz-smoke

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/:.*## /\t/' | expand -t 14

build: ## libeiam.so (and its SONAME link) and libeiam.a; PROFILE=debug for a quick build
ifeq ($(PROFILE),release)
	# One crate type per build: cargo silently leaves out the release
	# profile's LTO when the same build also makes the rlib (cargo#9672).
	cargo rustc -p eiam --lib --release --crate-type cdylib
	cargo rustc -p eiam --lib --release --crate-type staticlib
else
	cargo build -p eiam --lib
endif
	# The loader looks for the SONAME, libeiam.so.0, not for libeiam.so.
	ln -sf libeiam.so $(TARGET_DIR)/libeiam.so.$(SOVERSION)

test: ## every suite, as CI runs it (scripts/test.sh)
	scripts/test.sh

quickstart: ## the quickstart on the embedded mock (scripts/quickstart.sh)
	scripts/quickstart.sh

bench: ## the full benchmark run, which writes BENCHMARKS.md (bench/run)
	bench/run

fuzz-smoke: ## each fuzz target for 20 s (scripts/fuzz-smoke.sh)
	scripts/fuzz-smoke.sh

install: build ## header, libraries, eiam.pc and the CMake package under PREFIX
	install -d $(LIBDIR)/pkgconfig $(LIBDIR)/cmake/eiam $(INCDIR)
	install -m 644 include/eiam.h $(INCDIR)/eiam.h
	install -m 755 $(TARGET_DIR)/libeiam.so $(LIBDIR)/libeiam.so.$(VERSION)
	ln -sf libeiam.so.$(VERSION) $(LIBDIR)/libeiam.so.$(SOVERSION)
	ln -sf libeiam.so.$(SOVERSION) $(LIBDIR)/libeiam.so
	install -m 644 $(TARGET_DIR)/libeiam.a $(LIBDIR)/libeiam.a
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' packaging/eiam.pc.in > $(LIBDIR)/pkgconfig/eiam.pc
	install -m 644 packaging/eiamConfig.cmake $(LIBDIR)/cmake/eiam/eiamConfig.cmake
	sed -e 's|@VERSION@|$(VERSION)|' packaging/eiamConfigVersion.cmake.in > $(LIBDIR)/cmake/eiam/eiamConfigVersion.cmake

uninstall: ## removes what install put under PREFIX
	rm -f $(INCDIR)/eiam.h $(LIBDIR)/libeiam.so* $(LIBDIR)/libeiam.a \
	      $(LIBDIR)/pkgconfig/eiam.pc
	rm -rf $(LIBDIR)/cmake/eiam
