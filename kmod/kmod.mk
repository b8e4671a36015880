# SPDX-License-Identifier: GPL-2.0
# uiox.ko, once per kernel release, each in its own tree under build/kmod/
# (kbuild writes objects beside the sources, so each release gets a tree of
# symlinks to the real sources; links to sources since removed go first).

KMOD_SRCS := Kbuild $(shell find kmod -name '*.[ch]' -o -name Kbuild)
KMOD_FLAGS ?= W=1
KMODS := $(foreach k,$(KVERS),$(O)/kmod/$(k)/kmod/uiox.ko)

modules: $(KMODS)
	@[ -n "$(KVERS)" ] || { echo "no headers of a supported kernel (tools/rig/kernels.py): run 'make deps'" >&2; false; }

$(O)/kmod/%/kmod/uiox.ko: $(KMOD_SRCS)
	@mkdir -p $(O)/kmod/$*
	@find $(O)/kmod/$* -xtype l -delete
	@cp -rsf $(abspath Kbuild kmod) $(O)/kmod/$*/
	$(MAKE) -C $(call kdir,$*) $(KCROSS) M=$(abspath $(O)/kmod/$*) $(KMOD_FLAGS) modules

# sparse over every kmod source (C=2 checks files even when up to date)
sparse-%: $(O)/kmod/%/kmod/uiox.ko
	$(MAKE) -C $(call kdir,$*) $(KCROSS) M=$(abspath $(O)/kmod/$*) $(KMOD_FLAGS) C=2 CHECK=sparse modules

CHECKPATCH := $(KSRC)/scripts/checkpatch.pl
checkpatch:
	$(CHECKPATCH) --strict --no-tree --quiet --show-types -f \
		$(filter-out Kbuild kmod/Kbuild,$(KMOD_SRCS))
.PHONY: checkpatch
