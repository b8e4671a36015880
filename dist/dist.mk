# SPDX-License-Identifier: GPL-2.0
# What a system needs besides the binaries, and the ways uiox is shipped:
#   make install / uninstall   libuio, uiox, man pages, the udev rule, the
#                              sysusers.d entry, the modprobe.d example
#   make dkms-dist             the module's sources alone with dkms.conf,
#                              in build/dkms-dist/uiox-VERSION
#   make install-dkms          that tree into /usr/src/uiox-VERSION
#   make deb                   the Debian packages (debian/), in build/deb
# (DESTDIR and the directories: the top Makefile.)

DIST_DATA := $(UDEVRULESDIR)/70-uiox.rules $(SYSUSERSDIR)/uiox.conf \
	     $(DOCDIR)/examples/uiox-modprobe.conf $(DOCDIR)/README.md

# Installed into the running system (no DESTDIR): the linker's cache, the
# uiox group and udev's rules brought up to date, where those tools exist.
install: install-libuio install-tools install-man install-data
ifeq ($(DESTDIR),)
	-ldconfig
	-command -v systemd-sysusers >/dev/null && systemd-sysusers uiox.conf
	-command -v udevadm >/dev/null && udevadm control --reload && \
		udevadm trigger --subsystem-match=uiox --action=add
endif
uninstall: uninstall-libuio uninstall-tools uninstall-man uninstall-data
ifeq ($(DESTDIR),)
	-ldconfig
endif

install-data: install-check
	install -d $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DOCDIR)/examples
	install -m 644 dist/70-uiox.rules $(DESTDIR)$(UDEVRULESDIR)/
	install -m 644 dist/uiox.sysusers $(DESTDIR)$(SYSUSERSDIR)/uiox.conf
	install -m 644 dist/uiox-modprobe.conf $(DESTDIR)$(DOCDIR)/examples/
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/

uninstall-data: install-check
	rm -f $(addprefix $(DESTDIR),$(DIST_DATA))
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR)

# The module's sources and nothing else (no objects, no .git, no build/).
DKMS_DIST := $(BUILD)/dkms-dist/uiox-$(VERSION)

DKMS_SRCS := $(filter-out %.mod.c %/compat-probed.h,$(KMOD_SRCS))

dkms-dist: $(DKMS_SRCS) dist/dkms.conf
	rm -rf $(DKMS_DIST) && mkdir -p $(DKMS_DIST)
	cp --parents $(DKMS_SRCS) $(DKMS_DIST)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dist/dkms.conf >$(DKMS_DIST)/dkms.conf

install-dkms: dkms-dist
	rm -rf $(DESTDIR)/usr/src/uiox-$(VERSION)
	install -d $(DESTDIR)/usr/src
	cp -r $(DKMS_DIST) $(DESTDIR)/usr/src/

# Built from a copy of the files git knows (tracked, or new and not
# ignored), so the packages hold nothing else the working tree has lying
# around; dpkg-buildpackage writes them next to the copy, into build/deb.
deb:
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/uiox-$(VERSION)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 cp --parents -t $(BUILD)/deb/uiox-$(VERSION)
	cd $(BUILD)/deb/uiox-$(VERSION) && dpkg-buildpackage -us -uc -b

.PHONY: install uninstall install-data uninstall-data dkms-dist install-dkms deb
