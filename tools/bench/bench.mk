# SPDX-License-Identifier: GPL-2.0
# make bench (tools/rig/bench.py): irq_bench, the round trip through uiox,
# uio_pci_generic and vfio-pci from userspace, and bar_bench, a big BAR's
# pages touched through each, in build/bin with the tools (so the guests
# have them); edu_ref.ko, the in-kernel reference, for each
# kernel in a tree of links under build/bench/kmod/<release>.

BENCH_KMODS := $(foreach k,$(KVERS),$(BUILD)/bench/kmod/$(k)/edu_ref.ko)

$(O)/bin/irq_bench $(O)/bin/bar_bench: $(O)/bin/%: tools/bench/%.c tools/bench/bench.c \
		tools/bench/bench.h $(DEVICE_HDRS) $(LIBUIO_SO) $(O)/lib/libuio.so $(LIBUIO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_UIO) $(CFLAGS) $(WARNINGS) -o $@ $< tools/bench/bench.c \
		-L$(O)/lib -Wl,-rpath,'$$ORIGIN/../lib' -luio $(SYSROOT_LDFLAGS)

$(BUILD)/bench/kmod/%/edu_ref.ko: tools/bench/edu_ref/edu_ref.c tools/bench/edu_ref/Kbuild \
		tools/examples/devices/edu.h
	@mkdir -p $(dir $@)
	@ln -sf $(abspath tools/bench/edu_ref/edu_ref.c tools/bench/edu_ref/Kbuild \
		tools/examples/devices/edu.h) $(dir $@)
	$(MAKE) -C $(call kdir,$*) M=$(abspath $(dir $@)) $(KMOD_FLAGS) modules

bench-build: $(O)/bin/irq_bench $(O)/bin/bar_bench $(BENCH_KMODS)

bench: deps
	@$(MAKE) --no-print-directory all bench-build
	@tools/rig/bench.py

.PHONY: bench bench-build
