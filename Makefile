# SPDX-License-Identifier: GPL-2.0
#
# uiox - top-level Makefile (non-recursive; each area adds an *.mk fragment).
#
#   make                 build uiox.ko for every supported kernel whose headers
#                        are installed, libuio, the tools and the selftests
#   make KVER=<release>  ... for /lib/modules/<release>/build only
#   make KDIR=<tree>     ... for the kernel tree at <tree> only
#   make ARCH=arm64      the same for arm64 (device tree) into build/arm64,
#                        cross-compiled
#   make demo            boot a guest with QEMU's edu device and drive it
#   make check           install what is needed, build and run every test
#   make check-debug     the selftests in lockdep/KASAN/kmemleak kernels
#                        (6.1 and 6.12, each built once into
#                        ../kdebug-<series>, about 35 minutes), and the soak
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

# The installed releases of the supported kernels (the one list:
# tools/rig/kernels.py), unless KDIR or KVER names one.
ifneq ($(KDIR),)
KVERS := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
kdir = $(KDIR)
else
KARCH := $(if $(KCROSS),arm64,x86_64)
KVERS := $(if $(KVER),$(KVER),$(shell python3 tools/rig/kernels.py releases $(KARCH)))
kdir = $(if $(KCROSS),$(ARM64_ROOT)/usr/src/linux-headers-$(1),/lib/modules/$(1)/build)
endif

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wformat=2 -Wno-unused-parameter $(WERROR)
CPPFLAGS_UIO := -D_GNU_SOURCE -Ilibuio/include -Ikmod/include/uapi $(SYSROOT_CPPFLAGS)
KSRC := $(BUILD)/ksrc
KSFT_DIR := $(KSRC)/tools/testing/selftests
# Compile a kselftest-harness test (its macros need these two warnings off).
KSFT_CC = $(CC) $(CPPFLAGS_UIO) -I$(KSFT_DIR) $(CFLAGS) $(WARNINGS) \
	  -Wno-missing-prototypes -Wno-sign-compare
# One register header per device, included by the examples and the tests.
DEVICE_HDRS := $(wildcard tools/examples/devices/*.h)

all: modules libuio tools selftests
.PHONY: all modules libuio tools selftests check check-debug soak manifest demo clean deps

include kmod/kmod.mk
include libuio/libuio.mk
include tools/tools.mk
include selftests/selftests.mk

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
	rm -rf $(O)/kmod $(O)/lib $(O)/bin $(O)/selftests $(O)/kselftest $(O)/tests $(O)/obj $(O)/vm
