# SPDX-License-Identifier: GPL-2.0
# Example drivers and the uiox command line, linked against libuio.so.1:
# in build/bin with a RUNPATH to build/lib, to run from the tree (and in
# the rig's guests); the uiox that `make install` installs is linked again
# without one, into build/dist/bin.

TOOLS := $(O)/bin/edu-demo $(O)/bin/uiox $(O)/dist/bin/uiox $(O)/bin/irq_bench $(O)/bin/bar_bench

tools: $(TOOLS)

$(O)/bin/%: tools/examples/%.c $(DEVICE_HDRS) $(LIBUIO_SO) $(O)/lib/libuio.so $(LIBUIO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_UIO) $(CFLAGS) $(WARNINGS) -o $@ $< \
		-L$(O)/lib -Wl,-rpath,'$$ORIGIN/../lib' -luio $(SYSROOT_LDFLAGS)

$(O)/bin/uiox: tools/uiox.c $(LIBUIO_SO) $(O)/lib/libuio.so $(LIBUIO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_UIO) $(CFLAGS) $(WARNINGS) -o $@ $< \
		-L$(O)/lib -Wl,-rpath,'$$ORIGIN/../lib' -luio $(SYSROOT_LDFLAGS)

$(O)/dist/bin/uiox: tools/uiox.c $(LIBUIO_SO) $(O)/lib/libuio.so $(LIBUIO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_UIO) $(CPPFLAGS) $(CFLAGS) $(WARNINGS) $(LDFLAGS) -o $@ $< \
		-L$(O)/lib -luio $(SYSROOT_LDFLAGS)

install-tools: $(O)/dist/bin/uiox install-check
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $< $(DESTDIR)$(BINDIR)/uiox
	install -m 644 tools/uiox.bash-completion $(DESTDIR)$(BASHCOMPDIR)/uiox

uninstall-tools: install-check
	rm -f $(DESTDIR)$(BINDIR)/uiox $(DESTDIR)$(BASHCOMPDIR)/uiox
.PHONY: install-tools uninstall-tools

# Host tests of the examples: each includes its example's source.
TOOLS_TESTS := $(patsubst tools/tests/%.c,$(O)/tests/tools/%,$(wildcard tools/tests/*.c))

$(O)/tests/tools/%: tools/tests/%.c tools/examples/edu-demo.c $(DEVICE_HDRS) $(LIBUIO_HDRS) $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(KSFT_CC) -o $@ $<

unit-tests: $(TOOLS_TESTS)
