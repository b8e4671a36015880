# SPDX-License-Identifier: GPL-2.0
# The man pages: uiox(8) the command, uiox(4) the device, libuio(3) the
# library; roff sources with the version filled in from VERSION.

MAN_PAGES := $(patsubst man/%.in,$(O)/man/%,$(wildcard man/*.in))

man: $(MAN_PAGES)

$(O)/man/%: man/%.in VERSION
	@mkdir -p $(dir $@)
	sed 's/@VERSION@/$(VERSION)/' $< >$@

install-man: $(MAN_PAGES) install-check
	$(foreach p,$(MAN_PAGES),install -d $(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p))) && \
		install -m 644 $(p) $(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/ &&) true

uninstall-man: install-check
	rm -f $(foreach p,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))
.PHONY: man install-man uninstall-man
