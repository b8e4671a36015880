# SPDX-License-Identifier: GPL-2.0
#
# uiox - top-level Makefile (non-recursive; each area adds an *.mk fragment).
#
#   make                 build uiox.ko for every supported kernel whose headers
#                        are installed, libuio, the tools and the selftests
#   make KVER=<release>  ... for /lib/modules/<release>/build only
#   make KDIR=<tree>     ... for the kernel tree at <tree> only
#   make demo            boot a guest with QEMU's edu device and drive it
#   make check           install what is needed, build and run every test
#
# Output goes to build/ (BUILD=...): build/kmod/<release>/kmod/uiox.ko,
# build/lib, build/bin, build/selftests, build/tests.

BUILD ?= build
O := $(BUILD)

# Supported kernel series and the installed releases that belong to them.
SUPPORTED_SERIES := 6.1 6.12
ifneq ($(KDIR),)
KVERS := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
kdir = $(KDIR)
else ifneq ($(KVER),)
KVERS := $(KVER)
kdir = /lib/modules/$(1)/build
else
KVERS := $(sort $(foreach s,$(SUPPORTED_SERIES),\
	$(patsubst /lib/modules/%/build,%,$(wildcard /lib/modules/$(s).*/build))))
kdir = /lib/modules/$(1)/build
endif

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wformat=2 -Wno-unused-parameter $(WERROR)
CPPFLAGS_UIO := -D_GNU_SOURCE -Ilibuio/include -Ikmod/include/uapi
KSFT_DIR := $(O)/ksrc/tools/testing/selftests

all: modules libuio tools selftests
.PHONY: all modules libuio tools selftests check demo clean deps

include kmod/kmod.mk
include libuio/libuio.mk
include tools/tools.mk
include selftests/selftests.mk

deps:
	@tools/deps

# The harness comes from linux-source-6.1 (tools/deps extracts it).
$(KSFT_DIR)/kselftest_harness.h:
	@echo "kselftest_harness.h is missing: run 'make deps' (or make check)" >&2
	@false

check:
	@tools/check

demo: deps
	@$(MAKE) --no-print-directory all
	@tools/vmrun --kernel 6.1 --dev edu -- /uiox/bin/demo

clean:
	rm -rf $(O)/kmod $(O)/lib $(O)/bin $(O)/selftests $(O)/tests $(O)/obj $(O)/vm
