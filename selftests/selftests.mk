# SPDX-License-Identifier: GPL-2.0
# kselftest-style tests, run inside guests by selftests/run.

SELFTESTS_C := $(wildcard selftests/*_test.c)
SELFTESTS_SH := $(wildcard selftests/*.sh)
# (uiox_test.h and uiox_fuzz.h are included by the C tests, not installed)
SELFTESTS := $(patsubst selftests/%.c,$(O)/selftests/%,$(SELFTESTS_C)) \
	     $(patsubst selftests/%,$(O)/selftests/%,$(SELFTESTS_SH) selftests/run)

selftests: $(SELFTESTS) $(LIBUIO_GUEST_TESTS)

$(O)/selftests/%_test: selftests/%_test.c selftests/uiox_test.h selftests/uiox_fuzz.h $(DEVICE_HDRS) kmod/include/uapi/uiox.h $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(KSFT_CC) -o $@ $< -lpthread

$(O)/selftests/%: selftests/%
	@mkdir -p $(dir $@)
	cp $< $@
