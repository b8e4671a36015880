# SPDX-License-Identifier: GPL-2.0
#
# uiox - top-level Makefile (non-recursive; each area adds an *.mk fragment).
#
#   make                 build uiox.ko for the running kernel (if its headers
#                        are installed) and every supported kernel whose
#                        headers are, libuio, the tools, the man pages, and
#                        the selftests when the kselftest harness is there
#   make install         install libuio, its headers and libuio.pc, the
#                        uiox command, man pages, the udev rule and the
#                        sysusers.d entry (DESTDIR, PREFIX, LIBDIR, ...:
#                        dist/dist.mk); make uninstall removes them
#   make modules_install uiox.ko into /lib/modules/<release>/updates
#   make dkms-dist       the module's source alone, as DKMS wants it
#   make deb             the Debian packages (debian/), into build/deb
#   make bench           edu's interrupt round trip through uiox, uio_pci_generic,
#                        vfio-pci and an in-kernel driver, in guests (tools/rig/bench.py)
#   make KVER=<release>  ... for /lib/modules/<release>/build only
#   make KDIR=<tree>     ... for the kernel tree at <tree> only
#   make ARCH=arm64      the same for arm64 (device tree) into build/arm64,
#                        cross-compiled
#   make demo            boot a guest with QEMU's edu device and drive it
#   make check           install what is needed, build and run every test
#   make check-debug     the selftests in lockdep/KASAN/kmemleak kernels
#                        (6.1 and 6.12, each built once into
#                        ../kdebug-<series>, about 15 minutes each), and the soak
#   make soak            the churn and fault cases at length (unplug cycles,
#                        an INTx storm, kill -9, a million fuzzed calls)
#
# Output goes to build/ (BUILD=...): build/kmod/<release>/kmod/uiox.ko,
# build/lib, build/bin, build/selftests (installed with the kernel's kselftest
# runner: build/kselftest), build/tests (build/arm64/... for
# ARCH=arm64).

BUILD ?= build

# ARCH=arm64: the device-tree path.  uiox.ko for Debian's arm64 kernels,
# and userspace, cross-built into build/arm64 against what tools/rig/deps
# unpacked into build/arm64/root (headers, libudev).
ARM64_ROOT := $(abspath build/arm64/root)
ifeq ($(ARCH),arm64)
O := $(BUILD)/arm64
CC := aarch64-linux-gnu-gcc
AR := aarch64-linux-gnu-ar
SYSROOT_CPPFLAGS := -I$(ARM64_ROOT)/usr/include
SYSROOT_LDFLAGS := -L$(ARM64_ROOT)/usr/lib/aarch64-linux-gnu \
		   -Wl,-rpath-link,$(ARM64_ROOT)/usr/lib/aarch64-linux-gnu
UDEV_LIBS := $(SYSROOT_LDFLAGS) -ludev
KCROSS := ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
else
O := $(BUILD)
UDEV_LIBS := -ludev
endif

# The running kernel, if its headers are installed, and the installed
# releases of the supported kernels (the one list: tools/rig/kernels.py),
# unless KDIR or KVER names one.
ifneq ($(KDIR),)
KVERS := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
kdir = $(KDIR)
else
KARCH := $(if $(KCROSS),arm64,x86_64)
RUNNING := $(if $(KCROSS),,$(shell uname -r))
KVERS := $(if $(KVER),$(KVER),$(sort \
	 $(if $(wildcard /lib/modules/$(RUNNING)/build/Makefile),$(RUNNING)) \
	 $(shell python3 tools/rig/kernels.py releases $(KARCH) 2>/dev/null)))
kdir = $(if $(KCROSS),$(ARM64_ROOT)/usr/src/linux-headers-$(1),/lib/modules/$(1)/build)
endif

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wformat=2 -Wno-unused-parameter $(WERROR)
# (build/include: the headers the Makefile generates, libuio/version.h)
GEN_INCLUDE := $(BUILD)/include
CPPFLAGS_UIO := -D_GNU_SOURCE -Ilibuio/include -I$(GEN_INCLUDE) -Ikmod/include/uapi \
		$(SYSROOT_CPPFLAGS)
KSRC := $(BUILD)/ksrc
KSFT_DIR := $(KSRC)/tools/testing/selftests
# Compile a kselftest-harness test (its macros need these two warnings off).
KSFT_CC = $(CC) $(CPPFLAGS_UIO) -I$(KSFT_DIR) $(CFLAGS) $(WARNINGS) \
	  -Wno-missing-prototypes -Wno-sign-compare
# One register header per device, included by the examples and the tests.
DEVICE_HDRS := $(wildcard tools/examples/devices/*.h)

# The version of everything uiox ships, in one place: VERSION.
VERSION := $(shell cat VERSION)

# Where `make install` puts things (each may be set; DESTDIR is prepended).
# LIBDIR follows the compiler's multiarch triplet where it has one
# (Debian's /usr/lib/x86_64-linux-gnu).  The udev rule and sysusers.d
# entry go where udev and systemd read them: under /usr/lib for
# PREFIX=/usr (a package), under /etc otherwise.
PREFIX ?= /usr/local
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/uiox
SYSLIBDIR := $(if $(filter /usr,$(PREFIX)),/usr/lib,/etc)
UDEVRULESDIR ?= $(SYSLIBDIR)/udev/rules.d
SYSUSERSDIR ?= $(SYSLIBDIR)/sysusers.d
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions

# The selftests need the kernel's kselftest harness (make deps): without
# it, `make` builds what a real machine needs and says what it left out.
all: modules libuio tools man $(if $(wildcard $(KSFT_DIR)/kselftest_harness.h),selftests,no-selftests)
no-selftests:
	@echo "selftests not built: no kselftest harness in $(KSFT_DIR) (make deps, or make selftests KSFT_DIR=<linux>/tools/testing/selftests)"
.PHONY: all modules libuio tools selftests no-selftests check check-debug soak manifest demo clean deps
FORCE:
.PHONY: FORCE

include kmod/kmod.mk
include libuio/libuio.mk
include tools/tools.mk
include selftests/selftests.mk
include man/man.mk
include dist/dist.mk
include tools/bench/bench.mk

deps:
	@tools/rig/deps

# The harness comes from linux-source-6.1 (tools/rig/deps extracts it).
$(KSFT_DIR)/kselftest_harness.h:
	@echo "kselftest_harness.h is missing: run 'make deps' (or make check)" >&2
	@false

check:
	@tools/rig/check

check-debug:
	@tools/rig/check --debug-kernel

soak:
	@tools/rig/check --soak

# The test cases the sources define, which tools/rig/check holds the runs to.
manifest:
	@tools/rig/manifest --write

demo: deps
	@$(MAKE) --no-print-directory all
	@tools/rig/vmrun --kernel 6.1 --iommu --dev edu -- /uiox/bin/demo

clean:
	rm -rf $(O)/kmod $(O)/lib $(O)/bin $(O)/selftests $(O)/kselftest $(O)/tests $(O)/obj $(O)/vm \
		$(O)/man $(O)/dist $(GEN_INCLUDE) $(BUILD)/deb $(BUILD)/dkms-dist $(BUILD)/distcheck \
		$(BUILD)/bench
