# SPDX-License-Identifier: LGPL-2.1-or-later
# libuio: shared (libuio.so.1) and static, plus host unit tests.

LIBUIO_SRCS := libuio/device.c libuio/discover.c libuio/dma.c libuio/irq.c libuio/unplug.c
LIBUIO_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(LIBUIO_SRCS))
LIBUIO_VERSION_H := $(GEN_INCLUDE)/libuio/version.h
LIBUIO_HDRS := $(wildcard libuio/include/*.h libuio/include/libuio/*.h libuio/*.h) \
	       kmod/include/uapi/uiox.h $(LIBUIO_VERSION_H)
LIBUIO_SO := $(O)/lib/libuio.so.1
LIBUIO_A := $(O)/lib/libuio.a

libuio: $(LIBUIO_SO) $(LIBUIO_A) $(O)/lib/libuio.so $(O)/lib/libuio.pc

# <libuio/version.h> from VERSION: MAJOR.MINOR.PATCH, each a number
$(LIBUIO_VERSION_H): libuio/include/libuio/version.h.in VERSION
	@mkdir -p $(dir $@)
	@echo '$(VERSION)' | grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+' || \
		{ echo "VERSION is not MAJOR.MINOR.PATCH: $(VERSION)" >&2; false; }
	sed -e 's/@VERSION@/$(VERSION)/' \
	    -e 's/@MAJOR@/$(word 1,$(subst ., ,$(VERSION)))/' \
	    -e 's/@MINOR@/$(word 2,$(subst ., ,$(VERSION)))/' \
	    -e 's/@PATCH@/$(word 3,$(subst ., ,$(VERSION)))/' $< >$@

$(O)/obj/libuio/%.o: libuio/%.c $(LIBUIO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_UIO) $(CPPFLAGS) $(CFLAGS) $(WARNINGS) -fPIC -c -o $@ $<

$(LIBUIO_SO): $(LIBUIO_OBJS) libuio/libuio.map
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libuio.so.1 \
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

# Installing: the library as libuio.so.VERSION with its soname link and
# the development link, the headers (<libuio.h>, <libuio/*.h> and the UAPI
# header <uiox.h>, which they include) and libuio.pc.  Another project's
# libuio (Linutronix's ships libuio.h, libuio.so and libuio.pc) is never
# overwritten: install-libuio stops unless the files there are uiox's.
# (made again whenever PREFIX, LIBDIR or INCLUDEDIR differ from the last)
$(O)/lib/libuio.pc: libuio/libuio.pc.in VERSION FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@VERSION@|$(VERSION)|' -e 's|@PREFIX@|$(PREFIX)|' \
	    -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' $< >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

LIBUIO_INSTALLED := $(LIBDIR)/libuio.so.$(VERSION) $(LIBDIR)/libuio.so.1 \
	$(LIBDIR)/libuio.so $(LIBDIR)/libuio.a $(PKGCONFIGDIR)/libuio.pc \
	$(INCLUDEDIR)/libuio.h $(INCLUDEDIR)/uiox.h \
	$(addprefix $(INCLUDEDIR)/libuio/,$(notdir $(wildcard libuio/include/libuio/*.h)) version.h)

# (every install-* and uninstall-* target waits for this check: a refused
# install installs nothing and a refused uninstall removes nothing, with
# make -j too; each of these files of uiox's names uiox)
LIBUIO_MARKED := $(LIBDIR)/libuio.so $(LIBDIR)/libuio.so.1 $(LIBDIR)/libuio.a \
	$(PKGCONFIGDIR)/libuio.pc $(INCLUDEDIR)/libuio.h $(INCLUDEDIR)/uiox.h
install-check:
	@for f in $(addprefix $(DESTDIR),$(LIBUIO_MARKED)); do \
		[ ! -e "$$f" ] || grep -qa uiox "$$f" || \
		{ echo "make: $$f is another project's libuio: leaving it alone, and everything else (remove it, or use another PREFIX)" >&2; exit 1; }; \
	done

install-libuio: libuio install-check
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(INCLUDEDIR)/libuio
	install -m 644 $(LIBUIO_SO) $(DESTDIR)$(LIBDIR)/libuio.so.$(VERSION)
	ln -sf libuio.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libuio.so.1
	ln -sf libuio.so.1 $(DESTDIR)$(LIBDIR)/libuio.so
	install -m 644 $(LIBUIO_A) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(O)/lib/libuio.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 644 libuio/include/libuio.h kmod/include/uapi/uiox.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 libuio/include/libuio/*.h $(LIBUIO_VERSION_H) $(DESTDIR)$(INCLUDEDIR)/libuio/

uninstall-libuio: install-check
	rm -f $(addprefix $(DESTDIR),$(LIBUIO_INSTALLED))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/libuio
.PHONY: install-check install-libuio uninstall-libuio
