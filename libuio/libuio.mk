# SPDX-License-Identifier: LGPL-2.1-or-later
# libuio: shared (libuio.so.1) and static, plus host unit tests.

LIBUIO_SRCS := libuio/device.c libuio/discover.c libuio/dma.c libuio/irq.c libuio/unplug.c
LIBUIO_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(LIBUIO_SRCS))
LIBUIO_HDRS := $(wildcard libuio/include/*.h libuio/include/libuio/*.h libuio/*.h) \
	       kmod/include/uapi/uiox.h
LIBUIO_SO := $(O)/lib/libuio.so.1
LIBUIO_A := $(O)/lib/libuio.a

libuio: $(LIBUIO_SO) $(LIBUIO_A) $(O)/lib/libuio.so

$(O)/obj/libuio/%.o: libuio/%.c $(LIBUIO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_UIO) $(CFLAGS) $(WARNINGS) -fPIC -c -o $@ $<

$(LIBUIO_SO): $(LIBUIO_OBJS) libuio/libuio.map
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -shared -Wl,-soname,libuio.so.1 \
		-Wl,--version-script=libuio/libuio.map -Wl,-z,defs \
		-o $@ $(LIBUIO_OBJS) $(UDEV_LIBS) -lpthread

$(O)/lib/libuio.so: $(LIBUIO_SO)
	ln -sf libuio.so.1 $@

$(LIBUIO_A): $(LIBUIO_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# Unit tests: host only, no kernel module involved.
LIBUIO_TESTS := $(patsubst libuio/tests/%.c,$(O)/tests/libuio/%,$(wildcard libuio/tests/*.c)) \
		$(patsubst libuio/tests/%,$(O)/tests/libuio/%,$(wildcard libuio/tests/*.sh))

$(O)/tests/libuio/%.sh: libuio/tests/%.sh
	@mkdir -p $(dir $@)
	cp $< $@

$(O)/tests/libuio/%: libuio/tests/%.c $(LIBUIO_A) $(LIBUIO_HDRS) $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(KSFT_CC) -o $@ $< $(LIBUIO_A) $(UDEV_LIBS) -lpthread

unit-tests: $(LIBUIO_TESTS)
.PHONY: unit-tests
