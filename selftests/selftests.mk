# SPDX-License-Identifier: GPL-2.0
# The selftests: selftests/Makefile (the kernel's kselftest lib.mk) builds
# them into $(O)/selftests and installs them with the kernel's runner into
# $(O)/kselftest, the tree the rig's guests run.

KSFT_INSTALL := $(O)/kselftest

selftests: $(LIBUIO_A) $(KSFT_DIR)/kselftest_harness.h
	@rm -rf $(KSFT_INSTALL) && mkdir -p $(O)/selftests
	@$(MAKE) --no-print-directory -C selftests install \
		OUTPUT=$(abspath $(O)/selftests) INSTALL_PATH=$(abspath $(KSFT_INSTALL)) \
		CC="$(CC)" KSFT_DIR=$(abspath $(KSFT_DIR)) LIBUIO_A=$(abspath $(LIBUIO_A)) \
		GEN_INCLUDE=$(abspath $(GEN_INCLUDE)) \
		UDEV_LIBS="$(UDEV_LIBS)" USERCFLAGS="$(WERROR) $(SYSROOT_CPPFLAGS)" \
		USERLDFLAGS="$(SYSROOT_LDFLAGS)"
