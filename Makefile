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

.PHONY: build install uninstall

build:
ifeq ($(PROFILE),release)
	# One crate type per build: cargo silently leaves out the release
	# profile's LTO when the same build also makes the rlib (cargo#9672).
	cargo rustc -p eiam --lib --release --crate-type cdylib
	cargo rustc -p eiam --lib --release --crate-type staticlib
else
	cargo build -p eiam --lib
endif

install: build
	install -d $(LIBDIR)/pkgconfig $(LIBDIR)/cmake/eiam $(INCDIR)
	install -m 644 include/eiam.h $(INCDIR)/eiam.h
	install -m 755 $(TARGET_DIR)/libeiam.so $(LIBDIR)/libeiam.so.$(VERSION)
	ln -sf libeiam.so.$(VERSION) $(LIBDIR)/libeiam.so.$(SOVERSION)
	ln -sf libeiam.so.$(SOVERSION) $(LIBDIR)/libeiam.so
	install -m 644 $(TARGET_DIR)/libeiam.a $(LIBDIR)/libeiam.a
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' packaging/eiam.pc.in > $(LIBDIR)/pkgconfig/eiam.pc
	install -m 644 packaging/eiamConfig.cmake $(LIBDIR)/cmake/eiam/eiamConfig.cmake
	sed -e 's|@VERSION@|$(VERSION)|' packaging/eiamConfigVersion.cmake.in > $(LIBDIR)/cmake/eiam/eiamConfigVersion.cmake

uninstall:
	rm -f $(INCDIR)/eiam.h $(LIBDIR)/libeiam.so* $(LIBDIR)/libeiam.a \
	      $(LIBDIR)/pkgconfig/eiam.pc
	rm -rf $(LIBDIR)/cmake/eiam
