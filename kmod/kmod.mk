# SPDX-License-Identifier: GPL-2.0
# uiox.ko, once per kernel release, each in its own tree under build/kmod/
# (kbuild writes objects beside the sources, so each release gets a tree of
# symlinks to the real sources; links to sources since removed go first).

KMOD_SRCS := Kbuild VERSION $(shell find kmod -name '*.[ch]' -o -name Kbuild)
KMOD_FLAGS ?= W=1
KMODS := $(foreach k,$(KVERS),$(O)/kmod/$(k)/kmod/uiox.ko)

modules: $(KMODS)
	@[ -n "$(KVERS)" ] || { echo "no kernel headers: install linux-headers-$(RUNNING) (or run 'make deps' for the rig's kernels)" >&2; false; }

$(O)/kmod/%/kmod/uiox.ko: $(KMOD_SRCS)
	@mkdir -p $(O)/kmod/$*
	@find $(O)/kmod/$* -xtype l -delete
	@cp -rsf $(abspath Kbuild VERSION kmod) $(O)/kmod/$*/
	$(MAKE) -C $(call kdir,$*) $(KCROSS) M=$(abspath $(O)/kmod/$*) $(KMOD_FLAGS) modules

# into /lib/modules/<release>/updates (INSTALL_MOD_PATH=$(DESTDIR)), then depmod
modules_install: $(KMODS)
	$(foreach k,$(KVERS),$(MAKE) -C $(call kdir,$(k)) $(KCROSS) M=$(abspath $(O)/kmod/$(k)) \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates modules_install &&) true
.PHONY: modules_install

# sparse over every kmod source (C=2 checks files even when up to date)
sparse-%: $(O)/kmod/%/kmod/uiox.ko
	$(MAKE) -C $(call kdir,$*) $(KCROSS) M=$(abspath $(O)/kmod/$*) $(KMOD_FLAGS) C=2 CHECK=sparse modules

CHECKPATCH := $(KSRC)/scripts/checkpatch.pl
checkpatch:
	$(CHECKPATCH) --strict --no-tree --quiet --show-types -f \
		$(filter-out Kbuild kmod/Kbuild,$(KMOD_SRCS))
.PHONY: checkpatch
