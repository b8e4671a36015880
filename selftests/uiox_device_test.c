// SPDX-License-Identifier: GPL-2.0
/*
 * uiox device-agnostic selftest: the stub's contract, checked on whatever
 * device the user has bound to uiox - a PCI function or a device-tree
 * platform device - knowing nothing of it beforehand.
 *
 * Which device: UIOX_TEST_DEVICE=<name> (as in /dev/uiox/<name>), or
 * UIOX_TEST_DEVICE=all: every device bound to uiox.  Unset, or none bound:
 * the program is skipped (it tests only what the user points it at).
 *
 * What it does by default, to each device: asks (info ioctls, sysfs, the
 * bus's own view of the device: /proc/iomem, PCI config space), maps its
 * regions without ever loading or storing through a mapping, makes calls
 * the stub must refuse (bad sizes, flags, argsz, a read-only file, random
 * arguments) and checks that the device is as it found it, and unbinds
 * and binds it again (SIGBUS, ENODEV) if no one else has it open (and it
 * is not in MSI-X mode: the kernel would write its MSI-X table).  It never
 * reads or writes a device register.
 *
 * What it does only when asked (UIOX_TEST_WRITE=1, with UIOX_TEST_DEVICE
 * naming one device), touching only the registers the user names:
 *   UIOX_TEST_SCRATCH="R:OFF:LEN"  LEN bytes at OFF in region R that read
 *       back what is written (32-bit accesses): written through a full
 *       mapping of the region and read back through a partial one, and
 *       the other way round; the old contents are put back.
 *   UIOX_TEST_IRQ_RAISE="OPS", UIOX_TEST_IRQ_ACK="OPS": how the device
 *       raises vector 0 and how it is acknowledged; OPS are 32-bit
 *       accesses separated by spaces, "w:R:OFF:VALUE" or "r:R:OFF", where
 *       VALUE may be "+N": the value last read plus N.
 *   UIOX_TEST_IRQ_MODE=intx|msi|msix  the mode to raise it in (default:
 *       the first of these the device has).  The old mode is put back.
 * A device that has no interrupts needs no recipe: the stub must refuse
 * every interrupt mode.
 */
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>

#include "uiox_test.h"
#include "kselftest_harness.h"
#include "uiox_abi.h"
#include "uiox_fuzz.h"

#define MAX_DUTS	32
#define MAX_REGIONS	8	/* PCI: 6 BARs; platform: UIOX_MAX_REGIONS */

/* A device under test, as found at the start. */
struct dut {
	char name[128];
	const char *bus;	/* "pci" or "platform" */
	struct uiox_device_info info;
	struct uiox_irq_info irq;
	struct uiox_region_info region[MAX_REGIONS];
};

static struct dut *duts;	/* MAX_DUTS of them */
static int nduts;
static const char *dut_error;	/* why the named device cannot be tested */

#define for_each_dut(d)	for (d = duts; d < duts + nduts; d++)

/* UIOX_IRQ_* by number, as sysfs irq_mode and UIOX_TEST_IRQ_MODE name them */
static const char * const mode_names[] = { "none", "intx", "msi", "msix" };

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* Fill in what the stub says of @d: 0, or -1 (errno). */
static int dut_query(struct dut *d)
{
	unsigned int i;
	int fd = uiox_open_as(d->name, O_RDONLY);

	if (fd < 0)
		return -1;
	memset(&d->info, 0, sizeof(d->info));
	d->info.argsz = sizeof(d->info);
	memset(&d->irq, 0, sizeof(d->irq));
	d->irq.argsz = sizeof(d->irq);
	if (ioctl(fd, UIOX_GET_DEVICE_INFO, &d->info) ||
	    ioctl(fd, UIOX_GET_IRQ_INFO, &d->irq) ||
	    d->info.num_regions > MAX_REGIONS)
		goto fail;
	for (i = 0; i < d->info.num_regions; i++)
		if (region_info(fd, i, &d->region[i]))
			goto fail;
	d->bus = d->info.flags & UIOX_DEVICE_PCI ? "pci" : "platform";
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

/* Add device @name to the list; its name stays in duts[nduts] if not. */
static int dut_add(const char *name)
{
	struct dut *d = &duts[nduts];

	if (nduts == MAX_DUTS || strlen(name) >= sizeof(d->name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(d, 0, sizeof(*d));
	strcpy(d->name, name);
	if (dut_query(d))
		return -1;
	nduts++;
	return 0;
}

/*
 * Find the devices before the harness starts (after uiox_ksft.h's start):
 * the one UIOX_TEST_DEVICE names - each case fails if it cannot be opened -
 * or, for "all", every device bound to uiox; none: skipped, as a kselftest
 * is without its hardware.
 */
static void __attribute__((constructor(103))) dut_find(void)
{
	const char *named = getenv("UIOX_TEST_DEVICE");
	struct dirent **names;
	int i, n;

	if (!named || !*named)
		ksft_exit_skip("UIOX_TEST_DEVICE names no device: set it to a device "
			       "bound to uiox (a spare one: see the README), or to all\n");
	duts = calloc(MAX_DUTS, sizeof(*duts));
	if (!duts)
		ksft_exit_fail_msg("out of memory\n");
	if (strcmp(named, "all")) {
		if (dut_add(named))
			dut_error = strerror(errno);
		return;
	}
	n = scandir("/dev/uiox", &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			dut_add(names[i]->d_name);
		free(names[i]);
	}
	if (n > 0)
		free(names);
	if (!nduts)
		ksft_exit_skip("UIOX_TEST_DEVICE=all, but no device is bound to uiox\n");
}

/* Every case starts here: the devices are there. */
#define DUTS_READY() do {						\
	ASSERT_TRUE(!dut_error) {					\
		TH_LOG("UIOX_TEST_DEVICE=%s: /dev/uiox/%s: %s",		\
		       duts[0].name, duts[0].name, dut_error);		\
	}								\
	ASSERT_LT(0, nduts);						\
} while (0)

/* Register accesses: only with UIOX_TEST_WRITE=1 and one named device. */
static const char *writes_refused(void)
{
	const char *w = getenv("UIOX_TEST_WRITE");

	if (!w || strcmp(w, "1"))
		return "register accesses need UIOX_TEST_WRITE=1";
	if (!strcmp(getenv("UIOX_TEST_DEVICE"), "all"))
		return "register accesses need UIOX_TEST_DEVICE naming one device";
	return NULL;
}

/* Is @d open by anyone but this program (which holds @mine files)? */
static int in_use(const struct dut *d, int mine)
{
	return uiox_attr_num(d->name, "openers") != mine;
}

/* ---- the state a case must leave behind --------------------------- */

/*
 * What a case must leave as it found it: the ioctls' view, these sysfs
 * attributes (irq_counts is not state: a new interrupt mode starts it
 * again) and the PCI command register.
 */
static const char * const state_attrs[] = {
	"online", "openers", "regions", "irq_mode", "num_vectors",
	"dma_bytes", "dma",
};
#define STATE_DMA	6

struct dut_state {
	struct dut d;
	char attrs[ARRAY_SIZE(state_attrs)][1024];
	int command;	/* PCI command register; -1 on a platform device */
};

static void state_get(struct __test_metadata *_metadata, const struct dut *d,
		      struct dut_state *s)
{
	char path[256];
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->d = *d;
	ASSERT_EQ(0, dut_query(&s->d)) TH_LOG("%s: %s", d->name, strerror(errno));
	for (i = 0; i < ARRAY_SIZE(state_attrs); i++) {
		snprintf(path, sizeof(path), "/sys/class/uiox/%s/%s", d->name,
			 state_attrs[i]);
		ASSERT_EQ(0, file_read(path, s->attrs[i], sizeof(s->attrs[i])))
			TH_LOG("%s unreadable", path);
	}
	s->command = strcmp(d->bus, "pci") ? -1 : pci_command(d->name);
}

/* The device is as @before found it. */
static void expect_state(struct __test_metadata *_metadata,
			 const struct dut_state *before)
{
	struct dut_state now;
	unsigned int i;

	state_get(_metadata, &before->d, &now);
	EXPECT_EQ(0, memcmp(&before->d.info, &now.d.info, sizeof(now.d.info)))
		TH_LOG("%s: device info changed", now.d.name);
	EXPECT_EQ(0, memcmp(&before->d.irq, &now.d.irq, sizeof(now.d.irq)))
		TH_LOG("%s: interrupt info changed", now.d.name);
	EXPECT_EQ(0, memcmp(before->d.region, now.d.region, sizeof(now.d.region)))
		TH_LOG("%s: region info changed", now.d.name);
	for (i = 0; i < ARRAY_SIZE(state_attrs); i++) {
		/* (the test keeps gcc 12 from a false -Wformat-overflow) */
		const char *attr = state_attrs[i] ? state_attrs[i] : "?";

		EXPECT_STREQ(before->attrs[i], now.attrs[i])
			TH_LOG("%s: sysfs %s changed", now.d.name, attr);
	}
	EXPECT_EQ(before->command, now.command)
		TH_LOG("%s: the PCI command register changed", now.d.name);
}

/* ---- identity ------------------------------------------------------ */

/* Offset of PCI capability @id in @cfg (256 bytes), or 0. */
static unsigned int pci_cap(const uint8_t *cfg, uint8_t id)
{
	unsigned int pos = cfg[0x34] & ~3u, n;

	if (!(cfg[0x06] & 0x10))	/* status: capability list */
		return 0;
	/* (a capability read here ends 12 bytes in at most) */
	for (n = 0; pos >= 0x40 && pos <= 256 - 12 && n < 48; n++,
	     pos = cfg[pos + 1] & ~3u)
		if (cfg[pos] == id)
			return pos;
	return 0;
}

#define PCI_CAP_MSI	0x05
#define PCI_CAP_MSIX	0x11

/*
 * Device and interrupt info against the bus: the PCI IDs in sysfs, the
 * interrupt pin and the MSI and MSI-X capabilities in config space; a
 * platform device has no IDs.  The interrupt info is consistent with
 * itself and with the device info.
 */
TEST(info_matches_the_bus)
{
	const uint32_t can = UIOX_IRQ_CAN_INTX | UIOX_IRQ_CAN_MSI |
			     UIOX_IRQ_CAN_MSIX | UIOX_IRQ_INTX_MASKING;
	struct dut *d;

	DUTS_READY();
	for_each_dut(d) {
		const struct uiox_device_info *i = &d->info;
		const struct uiox_irq_info *q = &d->irq;
		char path[256];

		TH_LOG("%s: a %s device, %u regions, interrupt mode %u with %u vectors",
		       d->name, d->bus, i->num_regions, q->mode, q->num_vectors);
		EXPECT_EQ(UIOX_API_VERSION, i->api_version);
		EXPECT_EQ(i->argsz, sizeof(*i));
		EXPECT_TRUE(i->flags == UIOX_DEVICE_PCI || i->flags == UIOX_DEVICE_PLATFORM)
			TH_LOG("%s: flags 0x%x", d->name, i->flags);
		snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s", d->bus, d->name);
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s missing", path);
		EXPECT_EQ(q->num_vectors, i->num_irqs) TH_LOG("%s", d->name);
		EXPECT_GE(UIOX_IRQ_MSIX, q->mode) TH_LOG("%s", d->name);
		EXPECT_EQ(q->mode == UIOX_IRQ_NONE, q->num_vectors == 0)
			TH_LOG("%s: mode %u, %u vectors", d->name, q->mode, q->num_vectors);
		EXPECT_EQ(0, q->flags & ~can) TH_LOG("%s: irq flags 0x%x", d->name, q->flags);
		EXPECT_EQ(!!(q->flags & UIOX_IRQ_CAN_MSI), !!q->max_msi) TH_LOG("%s", d->name);
		EXPECT_EQ(!!(q->flags & UIOX_IRQ_CAN_MSIX), !!q->max_msix) TH_LOG("%s", d->name);
		if (q->mode == UIOX_IRQ_INTX)
			EXPECT_EQ(1, q->num_vectors);
		if (q->mode == UIOX_IRQ_MSI)
			EXPECT_GE(q->max_msi, q->num_vectors);
		if (q->mode == UIOX_IRQ_MSIX)
			EXPECT_GE(q->max_msix, q->num_vectors);

		if (i->flags == UIOX_DEVICE_PCI) {
			unsigned int msi, msix;
			uint8_t cfg[256];

			EXPECT_EQ(pci_attr(d->name, "vendor"), i->vendor);
			EXPECT_EQ(pci_attr(d->name, "device"), i->device);
			EXPECT_EQ(pci_attr(d->name, "subsystem_vendor"), i->subsystem_vendor);
			EXPECT_EQ(pci_attr(d->name, "subsystem_device"), i->subsystem_device);
			EXPECT_EQ(pci_attr(d->name, "class"), i->class_code);
			ASSERT_EQ(0, pci_config(d->name, 0, cfg, sizeof(cfg)))
				TH_LOG("%s: config space unreadable (root?)", d->name);
			/* INTx: a pin, routed to an interrupt */
			EXPECT_FALSE(q->flags & UIOX_IRQ_CAN_INTX && !cfg[0x3d])
				TH_LOG("%s: INTx without an interrupt pin", d->name);
			if (cfg[0x3d] && q->mode == UIOX_IRQ_INTX)
				EXPECT_TRUE(q->flags & UIOX_IRQ_CAN_INTX);
			if (cfg[0x3d] && q->mode == UIOX_IRQ_NONE)
				EXPECT_EQ(!!pci_attr(d->name, "irq"),
					  !!(q->flags & UIOX_IRQ_CAN_INTX))
					TH_LOG("%s: pin %u, irq %lu", d->name, cfg[0x3d],
					       pci_attr(d->name, "irq"));
			msi = pci_cap(cfg, PCI_CAP_MSI);
			msix = pci_cap(cfg, PCI_CAP_MSIX);
			EXPECT_EQ(msi ? 1u << ((cfg[msi + 2] >> 1) & 7) : 0, q->max_msi)
				TH_LOG("%s: MSI capability at 0x%x", d->name, msi);
			EXPECT_EQ(msix ? ((cfg[msix + 2] | cfg[msix + 3] << 8) & 0x7ff) + 1 : 0,
				  q->max_msix)
				TH_LOG("%s: MSI-X capability at 0x%x", d->name, msix);
		} else {
			EXPECT_EQ(0, i->vendor);
			EXPECT_EQ(0, i->device);
			EXPECT_EQ(0, i->subsystem_vendor);
			EXPECT_EQ(0, i->subsystem_device);
			EXPECT_EQ(0, i->class_code);
			EXPECT_EQ(0, q->flags & (UIOX_IRQ_CAN_MSI | UIOX_IRQ_CAN_MSIX));
		}
	}
}

/* ---- regions ------------------------------------------------------- */

/*
 * Does /proc/iomem (@io: /proc/ioports) hold [start, end] under @name?
 * 1, 0, or -1 if it cannot be read.
 */
static int resource_listed(int io, unsigned long long start,
			   unsigned long long end, const char *name)
{
	FILE *f = fopen(io ? "/proc/ioports" : "/proc/iomem", "r");
	unsigned long long lo, hi;
	char line[256];
	int found = 0, at;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, " %llx-%llx : %n", &lo, &hi, &at) == 2 && at &&
		    lo == start && hi == end && !strcmp(line + at, name))
			found = 1;
	}
	fclose(f);
	return found;
}

/* PCI resource flags (include/linux/ioport.h), as sysfs "resource" gives them. */
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000

/* The PCI checks of region @i: sysfs "resource", the MSI-X BIRs. */
static void expect_pci_region(struct __test_metadata *_metadata,
			      const struct dut *d, unsigned int i,
			      unsigned long long start)
{
	const struct uiox_region_info *r = &d->region[i];
	unsigned long long s, e, fl, size;
	unsigned int msix, table = 8, pba = 8;
	uint8_t cfg[256];

	ASSERT_EQ(0, pci_resource(d->name, i, &s, &e, &fl));
	size = s || e ? e - s + 1 : 0;
	EXPECT_EQ(size, r->size) TH_LOG("%s BAR %u", d->name, i);
	if (r->size)
		EXPECT_EQ(s, start) TH_LOG("%s BAR %u", d->name, i);
	EXPECT_EQ(!!(fl & IORESOURCE_IO), !!(r->flags & UIOX_REGION_IO));
	EXPECT_EQ(!!(fl & IORESOURCE_PREFETCH), !!(r->flags & UIOX_REGION_PREFETCH));
	EXPECT_EQ(!!(fl & IORESOURCE_MEM_64), !!(r->flags & UIOX_REGION_MEM64));
	ASSERT_EQ(0, pci_config(d->name, 0, cfg, sizeof(cfg)));
	msix = pci_cap(cfg, PCI_CAP_MSIX);
	if (msix) {
		table = cfg[msix + 4] & 7;
		pba = cfg[msix + 8] & 7;
	}
	EXPECT_EQ(i == table || i == pba, !!(r->flags & UIOX_REGION_MSIX))
		TH_LOG("%s BAR %u: MSI-X table in BAR %u, PBA in BAR %u", d->name,
		       i, table, pba);
}

/*
 * Each region's info against the kernel's own records: the resource the
 * bus holds for it (/proc/iomem or /proc/ioports, under the device's
 * name), uiox's sysfs "regions", for PCI the sysfs "resource" flags and
 * the BARs the MSI-X capability names; mmap-able when it is memory
 * starting on a page boundary and at least a page long, not when it
 * starts off one (a smaller one maps only with its page to itself, which
 * userspace cannot check); its mmap offset.
 */
TEST(regions_match_the_kernels_resources)
{
	struct dut *d;
	unsigned int i;

	DUTS_READY();
	for_each_dut(d) {
		EXPECT_LT(0, d->info.num_regions) TH_LOG("%s: no regions", d->name);
		for (i = 0; i < d->info.num_regions; i++) {
			const struct uiox_region_info *r = &d->region[i];
			unsigned long long start = 0, size = 0;
			int io = r->flags & UIOX_REGION_IO;

			EXPECT_EQ(i, r->index);
			EXPECT_EQ(0, r->__reserved);
			EXPECT_EQ(r->size ? UIOX_REGION_OFFSET(i) : 0, r->offset)
				TH_LOG("%s region %u", d->name, i);
			if (!r->size) {
				EXPECT_EQ(0, r->flags) TH_LOG("%s region %u", d->name, i);
				EXPECT_EQ(-1, region_addr(d->name, i, &start, &size, NULL));
				continue;
			}
			ASSERT_EQ(0, region_addr(d->name, i, &start, &size, NULL))
				TH_LOG("%s region %u not in sysfs regions", d->name, i);
			EXPECT_EQ(size, r->size);
			EXPECT_EQ(1, resource_listed(io, start, start + size - 1,
						     d->name))
				TH_LOG("%s region %u: [0x%llx, 0x%llx] not in /proc/%s",
				       d->name, i, start, start + size - 1,
				       io ? "ioports" : "iomem");
			if (io) {
				EXPECT_EQ(UIOX_REGION_IO, r->flags & ~UIOX_REGION_MSIX);
			} else if (!(start % page_size()) && size >= (unsigned long long)page_size() &&
				   size < UIOX_OFFSET_WC) {
				EXPECT_TRUE(r->flags & UIOX_REGION_MMAP)
					TH_LOG("%s region %u: 0x%llx bytes at 0x%llx not mmap-able",
					       d->name, i, size, start);
			} else if (start % page_size()) {
				EXPECT_FALSE(r->flags & UIOX_REGION_MMAP)
					TH_LOG("%s region %u: not page-aligned, yet mmap-able",
					       d->name, i);
			}
			if (!strcmp(d->bus, "pci"))
				expect_pci_region(_metadata, d, i, start);
			else
				EXPECT_EQ(0, r->flags & ~(UIOX_REGION_MMAP));
		}
	}
}

TEST(region_info_refuses_bad_index_and_reserved)
{
	struct uiox_region_info r;
	struct dut *d;
	int fd;

	DUTS_READY();
	for_each_dut(d) {
		fd = uiox_open_as(d->name, O_RDONLY);
		ASSERT_LE(0, fd);
		EXPECT_EQ(-1, region_info(fd, d->info.num_regions, &r));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, region_info(fd, ~0u, &r));
		EXPECT_EQ(EINVAL, errno);
		memset(&r, 0, sizeof(r));
		r.argsz = sizeof(r);
		r.__reserved = 1;
		EXPECT_EQ(-1, ioctl(fd, UIOX_GET_REGION_INFO, &r));
		EXPECT_EQ(EINVAL, errno);
		close(fd);
	}
}

/* ---- mmap ---------------------------------------------------------- */

/*
 * Can the pages of @d's MSI-X table be mapped?  1 where its DMA verdict is
 * "iommu" (which includes isolated MSI), 0 where no interrupt is remapped
 * at all (no "IR-" or "ITS" interrupt chip in /proc/interrupts), -1 when
 * userspace cannot tell.
 */
static int msix_mappable(const struct dut *d)
{
	char path[256], buf[256];
	FILE *f;
	int remapped = 0;

	snprintf(path, sizeof(path), "/sys/class/uiox/%s/dma", d->name);
	if (!sysfs_read(path, buf, sizeof(buf)) && !strncmp(buf, "iommu ", 6))
		return 1;
	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -1;
	while (!remapped && fgets(buf, sizeof(buf), f))
		remapped = strstr(buf, " IR-") || strstr(buf, "ITS");
	fclose(f);
	return remapped ? -1 : 0;
}

/*
 * The mapping rules of the UAPI header (see uiox_mmap()), on every
 * mappable region, none of it read or written: a shared mapping of all of
 * it and of its last page maps; it is an I/O mapping that cannot become
 * executable or grow; PROT_EXEC, MAP_PRIVATE, ranges past the end and
 * write-combining on a region that is not prefetchable are refused; a
 * region has one cache mode at a time (not checked on a device someone
 * else has open: its mappings would decide); MSI-X table pages only where
 * MSI is isolated; I/O-port and empty regions and indexes past the last
 * are not mappable.
 */
TEST(mmap_rules)
{
	const int rw = PROT_READ | PROT_WRITE;
	long page = page_size();
	unsigned int i, mapped = 0;
	struct dut *d;

	DUTS_READY();
	for_each_dut(d) {
		int fd = uiox_open_as(d->name, O_RDWR);
		int busy = in_use(d, 1), msix = msix_mappable(d);

		ASSERT_LE(0, fd);
		for (i = 0; i < d->info.num_regions; i++) {
			const struct uiox_region_info *r = &d->region[i];
			uint64_t len = region_map_size(r), off = UIOX_REGION_OFFSET(i);
			char flags[256];
			void *p, *q;

			if (!(r->flags & UIOX_REGION_MMAP)) {
				EXPECT_EQ(EINVAL, try_mmap(fd, page, PROT_READ, MAP_SHARED, off))
					TH_LOG("%s region %u is not mappable", d->name, i);
				continue;
			}
			EXPECT_EQ(EPERM, try_mmap(fd, len, PROT_READ | PROT_EXEC, MAP_SHARED, off));
			EXPECT_EQ(EINVAL, try_mmap(fd, len, PROT_READ, MAP_PRIVATE, off));
			EXPECT_EQ(EINVAL, try_mmap(fd, len + page, rw, MAP_SHARED, off));
			EXPECT_EQ(EINVAL, try_mmap(fd, page, rw, MAP_SHARED, off + len));
			if (!(r->flags & UIOX_REGION_PREFETCH))
				EXPECT_EQ(EINVAL, try_mmap(fd, page, rw, MAP_SHARED,
							   off | UIOX_OFFSET_WC));
			if (busy && r->flags & UIOX_REGION_PREFETCH) {
				TH_LOG("%s region %u: in use, its cache mode is theirs", d->name, i);
				continue;
			}
			if (r->flags & UIOX_REGION_MSIX) {
				int got = try_mmap(fd, len, rw, MAP_SHARED, off);

				TH_LOG("%s region %u holds MSI-X pages: %s (mappable: %d)",
				       d->name, i, got ? strerror(got) : "mapped", msix);
				EXPECT_TRUE(got == 0 || got == EPERM);
				if (msix >= 0)
					EXPECT_EQ(msix ? 0 : EPERM, got);
				if (!got)
					mapped++;
				continue;
			}

			p = mmap(NULL, len, rw, MAP_SHARED, fd, off);
			ASSERT_NE(MAP_FAILED, p) TH_LOG("%s region %u: %s", d->name, i,
							strerror(errno));
			mapped++;
			ASSERT_EQ(0, vm_flags(p, flags, sizeof(flags)));
			EXPECT_TRUE(has_flag(flags, "io") && has_flag(flags, "pf") &&
				    has_flag(flags, "dd") && has_flag(flags, "de"))
				TH_LOG("%s region %u: VmFlags%s", d->name, i, flags);
			EXPECT_FALSE(has_flag(flags, "ex") || has_flag(flags, "me"))
				TH_LOG("%s region %u: VmFlags%s", d->name, i, flags);
			EXPECT_EQ(-1, mprotect(p, len, PROT_READ | PROT_EXEC));
			EXPECT_EQ(EACCES, errno);
			q = mremap(p, len, len + page, MREMAP_MAYMOVE);
			EXPECT_EQ(MAP_FAILED, q);
			if (q != MAP_FAILED)
				p = q;
			/* its last page alone */
			q = mmap(NULL, page, rw, MAP_SHARED, fd, off + len - page);
			EXPECT_NE(MAP_FAILED, q);
			if (q != MAP_FAILED)
				munmap(q, page);
			/* one cache mode at a time */
			if (r->flags & UIOX_REGION_PREFETCH && !busy) {
				EXPECT_EQ(EBUSY, try_mmap(fd, page, rw, MAP_SHARED,
							  off | UIOX_OFFSET_WC));
				munmap(p, len);
				q = mmap(NULL, len, rw, MAP_SHARED, fd, off | UIOX_OFFSET_WC);
				ASSERT_NE(MAP_FAILED, q);
				EXPECT_EQ(EBUSY, try_mmap(fd, page, rw, MAP_SHARED, off));
				p = q;
			}
			munmap(p, len);
		}
		EXPECT_EQ(EINVAL, try_mmap(fd, page, PROT_READ, MAP_SHARED,
					   UIOX_REGION_OFFSET(d->info.num_regions)));
		close(fd);
	}
	TH_LOG("%u regions mapped", mapped);
}

/* A read-only file maps read-only, and the mapping stays so. */
TEST(mmap_of_a_read_only_file)
{
	long page = page_size();
	unsigned int i;
	struct dut *d;

	DUTS_READY();
	for_each_dut(d) {
		int fd = uiox_open_as(d->name, O_RDONLY);

		ASSERT_LE(0, fd);
		for (i = 0; i < d->info.num_regions; i++) {
			const struct uiox_region_info *r = &d->region[i];
			void *p;

			if (!(r->flags & UIOX_REGION_MMAP) || r->flags & UIOX_REGION_MSIX ||
			    (r->flags & UIOX_REGION_PREFETCH && in_use(d, 1)))
				continue;	/* (in use: its cache mode is theirs) */
			EXPECT_EQ(EACCES, try_mmap(fd, page, PROT_READ | PROT_WRITE,
						   MAP_SHARED, r->offset));
			p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, r->offset);
			ASSERT_NE(MAP_FAILED, p) TH_LOG("%s region %u", d->name, i);
			EXPECT_EQ(-1, mprotect(p, page, PROT_READ | PROT_WRITE));
			EXPECT_EQ(EACCES, errno);
			munmap(p, page);
		}
		close(fd);
	}
}

#ifdef __x86_64__
/*
 * The memory type x86 records for the region's pages while it is mapped:
 * uncached, or write-combining when mapped so; nothing once unmapped.
 */
static void expect_pat(struct __test_metadata *_metadata, const struct dut *d,
		       unsigned int i, int fd, uint64_t wc, const char *want)
{
	const struct uiox_region_info *r = &d->region[i];
	unsigned long long start, size, first, end;
	uint64_t len = region_map_size(r);
	char type[64] = "";
	void *p;

	ASSERT_EQ(0, region_addr(d->name, i, &start, &size, NULL));
	first = start & ~(unsigned long long)(page_size() - 1);
	end = (start + size + page_size() - 1) & ~(unsigned long long)(page_size() - 1);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, r->offset | wc);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, pat_type(first, end - first, type, sizeof(type)))
		TH_LOG("%s region %u: [0x%llx, 0x%llx) not in %s", d->name, i,
		       first, end, PAT_LIST);
	EXPECT_STREQ(want, type) TH_LOG("%s region %u", d->name, i);
	munmap(p, len);
	EXPECT_EQ(-1, pat_type(first, end - first, type, sizeof(type)))
		TH_LOG("%s region %u: still %s once unmapped", d->name, i, type);
}

TEST(x86_cache_mode_in_the_pat_list)
{
	unsigned int i, checked = 0;
	struct dut *d;

	DUTS_READY();
	/* debugfs, if need be, in a mount namespace of this case's own */
	if (access(PAT_LIST, R_OK) && !unshare(CLONE_NEWNS) &&
	    !mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access(PAT_LIST, R_OK))
		SKIP(return, "%s unreadable: no debugfs, or PAT off", PAT_LIST);
	for_each_dut(d) {
		int fd = uiox_open_as(d->name, O_RDWR);

		ASSERT_LE(0, fd);
		if (in_use(d, 1)) {
			TH_LOG("%s is in use: its mappings decide its memory type", d->name);
			close(fd);
			continue;
		}
		for (i = 0; i < d->info.num_regions; i++) {
			const struct uiox_region_info *r = &d->region[i];

			if (!(r->flags & UIOX_REGION_MMAP) || r->flags & UIOX_REGION_MSIX)
				continue;
			expect_pat(_metadata, d, i, fd, 0, "uncached-minus");
			if (r->flags & UIOX_REGION_PREFETCH)
				expect_pat(_metadata, d, i, fd, UIOX_OFFSET_WC,
					   "write-combining");
			checked++;
		}
		close(fd);
	}
	TH_LOG("%u regions' memory types checked", checked);
	if (!checked)
		SKIP(return, "no region free to check");
}
#endif

/* ---- the UIO protocol and the ioctl rules -------------------------- */

/*
 * read() and write() take exactly 4 bytes (EINVAL otherwise), write()
 * only 0 or 1; with nothing new, a non-blocking read() is EAGAIN (EIO in
 * interrupt mode none) and poll() not readable (POLLERR).  Vector files
 * alike, and one got through a read-only file is read-only too.  Nothing
 * here masks or unmasks anything.
 */
TEST(uio_protocol_sizes_and_errnos)
{
	static const size_t sizes[] = { 0, 1, 3, 5, 8 };
	struct pollfd pfd = { .events = POLLIN };
	int32_t v[2] = { 0, 0 };
	struct dut *d;
	unsigned int k;

	DUTS_READY();
	for_each_dut(d) {
		int none = d->irq.mode == UIOX_IRQ_NONE;
		int fd = uiox_open_as(d->name, O_RDWR | O_NONBLOCK);
		int ro = uiox_open_as(d->name, O_RDONLY | O_NONBLOCK);
		int vfd;

		ASSERT_LE(0, fd);
		ASSERT_LE(0, ro);
		for (k = 0; k < ARRAY_SIZE(sizes); k++) {
			EXPECT_EQ(-1, read(fd, v, sizes[k]));
			EXPECT_EQ(EINVAL, errno) TH_LOG("%s: read of %zu", d->name, sizes[k]);
			EXPECT_EQ(-1, write(fd, v, sizes[k]));
			EXPECT_EQ(EINVAL, errno) TH_LOG("%s: write of %zu", d->name, sizes[k]);
		}
		v[0] = 2;
		EXPECT_EQ(-1, write(fd, v, 4));
		EXPECT_EQ(EINVAL, errno);
		v[0] = -1;
		EXPECT_EQ(-1, write(fd, v, 4));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, uio_read_count(fd));
		EXPECT_EQ(none ? EIO : EAGAIN, errno) TH_LOG("%s", d->name);
		pfd.fd = fd;
		EXPECT_EQ(none, poll(&pfd, 1, 0));
		EXPECT_EQ(none ? POLLERR : 0, pfd.revents) TH_LOG("%s", d->name);

		EXPECT_EQ(-1, uiox_vector_fd(fd, d->irq.num_vectors, 0));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, uiox_vector_fd(fd, 0, UIOX_FD_NONBLOCK << 1));
		EXPECT_EQ(EINVAL, errno);
		if (!none) {
			vfd = uiox_vector_fd(ro, 0, UIOX_FD_CLOEXEC | UIOX_FD_NONBLOCK);
			ASSERT_LE(0, vfd) TH_LOG("%s: %s", d->name, strerror(errno));
			EXPECT_EQ(-1, read(vfd, v, 3));
			EXPECT_EQ(EINVAL, errno);
			EXPECT_EQ(-1, uio_read_count(vfd));
			EXPECT_EQ(EAGAIN, errno);
			EXPECT_EQ(-1, write(vfd, v, 4));
			EXPECT_EQ(EBADF, errno);
			close(vfd);
		}
		close(ro);
		close(fd);
	}
}

/*
 * The ioctl rules at the top of uapi/uiox.h, for every ioctl: the ones
 * that only ask (abi_calls[].harmless) with an argument of every size;
 * the others only with the sizes the kernel must refuse before it does
 * anything (ENOTTY throughout where the device has no such ioctl at all,
 * as a platform device has no UIOX_RESET).  Unknown numbers, and the
 * known ones with a size encoded, are ENOTTY; an unreadable argument is
 * EFAULT; what the kernel writes back ends at its own struct, though
 * argsz is larger.
 */
TEST(ioctl_argsz_rules)
{
	static unsigned char buf[ABI_BUF_SIZE];
	long page = page_size();
	struct dut *d;
	unsigned int i;
	char *hole, *zeros;

	DUTS_READY();
	hole = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, mprotect(hole + page, page, PROT_NONE));
	/* a page, then a read-only page of zeros */
	zeros = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, zeros);
	ASSERT_EQ(0, mprotect(zeros + page, page, PROT_READ));
	for_each_dut(d) {
		int fd = uiox_open_as(d->name, O_RDWR);

		ASSERT_LE(0, fd);
		for (i = 0; i < ARRAY_SIZE(abi_calls); i++) {
			const struct abi_call *c = &abi_calls[i];
			int base, small;

			if (c->harmless) {
				base = abi_make(fd, buf, c, c->size, NULL);
				EXPECT_NE(EINVAL, base) TH_LOG("%s: %s", d->name, c->name);
				EXPECT_NE(E2BIG, base) TH_LOG("%s: %s", d->name, c->name);
				EXPECT_EQ(base, abi_make(fd, buf, c, c->size + 16, NULL));
				EXPECT_EQ(base, abi_make(fd, buf, c, UIOX_ARGSZ_MAX, NULL));
				EXPECT_EQ(EFAULT, ioctl(fd, c->cmd, NULL) ? errno : 0);
				memcpy(hole + page - 4, &(uint32_t){ c->size }, 4);
				EXPECT_EQ(EFAULT, ioctl(fd, c->cmd, hole + page - 4) ? errno : 0)
					TH_LOG("%s: %s across a hole", d->name, c->name);
			}
			small = abi_make(fd, buf, c, 0, NULL);
			if (small == ENOTTY) {
				TH_LOG("%s: no %s (ENOTTY)", d->name, c->name);
				EXPECT_EQ(ENOTTY, abi_make(fd, buf, c, c->size - 1, NULL));
				EXPECT_EQ(ENOTTY, abi_make(fd, buf, c, c->size + 16,
							   abi_dirty_tail));
				continue;
			}
			EXPECT_EQ(EINVAL, small) TH_LOG("%s: %s, argsz 0", d->name, c->name);
			EXPECT_EQ(EINVAL, abi_make(fd, buf, c, c->size - 1, NULL))
				TH_LOG("%s: %s", d->name, c->name);
			EXPECT_EQ(E2BIG, abi_make(fd, buf, c, c->size + 16, abi_dirty_tail))
				TH_LOG("%s: %s", d->name, c->name);
			EXPECT_EQ(E2BIG, abi_make(fd, buf, c, UIOX_ARGSZ_MAX + 1, NULL))
				TH_LOG("%s: %s", d->name, c->name);
		}
		/*
		 * The write-back stops at what the kernel knows: the 32 bytes
		 * past the struct are a read-only page of zeros, which the
		 * kernel may read (they must be zero) but not write (EFAULT).
		 */
		{
			struct uiox_device_info *info =
				(void *)(zeros + page - sizeof(*info));

			memset(info, 0, sizeof(*info));
			info->argsz = sizeof(*info) + 32;
			EXPECT_EQ(0, ioctl(fd, UIOX_GET_DEVICE_INFO, info))
				TH_LOG("%s: %s", d->name, strerror(errno));
			EXPECT_EQ(0, memcmp((char *)info + 4, (char *)&d->info + 4,
					    sizeof(*info) - 4));
		}
		/* numbers: unknown, or a known one with a size in it */
		EXPECT_EQ(ENOTTY, ioctl(fd, _IO(UIOX_MAGIC, ARRAY_SIZE(abi_calls)), buf) ? errno : 0);
		EXPECT_EQ(ENOTTY, ioctl(fd, _IO(UIOX_MAGIC, 0xff), buf) ? errno : 0);
		EXPECT_EQ(ENOTTY, ioctl(fd, _IOWR(UIOX_MAGIC, 0, struct uiox_device_info),
					buf) ? errno : 0);
		close(fd);
	}
	munmap(zeros, 2 * page);
	munmap(hole, 2 * page);
}

/*
 * A file opened O_RDONLY changes nothing: each ioctl that needs a writable
 * file is EBADF (ENOTTY where the device has no such ioctl) - made here
 * with argsz 0, so that even a stub that let it through would refuse it.
 * (UIOX_PORT_IO, which a read-only file may use to read, would read a
 * register: not made.)
 */
TEST(read_only_file_changes_nothing)
{
	static unsigned char buf[ABI_BUF_SIZE];
	struct dut_state before;
	unsigned int i;
	struct dut *d;

	DUTS_READY();
	for_each_dut(d) {
		int ro, rw;

		state_get(_metadata, d, &before);
		ro = uiox_open_as(d->name, O_RDONLY);
		rw = uiox_open_as(d->name, O_RDWR);
		ASSERT_LE(0, ro);
		ASSERT_LE(0, rw);
		for (i = 0; i < ARRAY_SIZE(abi_calls); i++) {
			const struct abi_call *c = &abi_calls[i];
			int want;

			if (!c->needs_write)
				continue;
			want = abi_make(rw, buf, c, 0, NULL) == ENOTTY ? ENOTTY : EBADF;
			EXPECT_EQ(want, abi_make(ro, buf, c, 0, NULL))
				TH_LOG("%s: %s on a read-only file", d->name, c->name);
		}
		close(rw);
		close(ro);
		expect_state(_metadata, &before);
	}
}

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	1800	/* UIOX_FUZZ_SCALE may ask for more */

/*
 * Random ioctls and UIO-protocol calls on a read-only file, random mmaps
 * (never touched) on a writable one: each outcome as the UAPI header
 * says, none of them reaching a register, and the device afterwards as
 * it was before.
 */
TEST(fuzz_leaves_the_device_as_found)
{
	struct dut_state before;
	struct fuzz_layout l;
	int fuzzed = 0;
	struct dut *d;

	DUTS_READY();
	seed(_metadata);
	for_each_dut(d) {
		int ro, rw;

		if (in_use(d, 0)) {	/* its mappings would decide some mmaps */
			TH_LOG("%s is in use: not fuzzed", d->name);
			continue;
		}
		state_get(_metadata, d, &before);
		ro = uiox_open_as(d->name, O_RDONLY | O_NONBLOCK);
		rw = uiox_open_as(d->name, O_RDWR);
		ASSERT_LE(0, ro);
		ASSERT_LE(0, rw);
		fuzz_ioctls(_metadata, ro, d->name, fuzz_calls(4000));
		fuzz_layout_get(_metadata, rw, &l, NULL, 0);
		fuzz_mmap(_metadata, rw, fuzz_calls(1000), &l, false);
		fuzz_uio_protocol(_metadata, ro, fuzz_calls(1000));
		close(rw);
		close(ro);
		expect_state(_metadata, &before);
		fuzzed++;
	}
	if (!fuzzed)
		SKIP(return, "every device is in use");
}

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	30

/* ---- sysfs --------------------------------------------------------- */

/* How many numbers @s holds, separated by single spaces; -1 if not that. */
static int count_numbers(const char *s)
{
	int n = 0;

	while (*s) {
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
		n++;
		if (*s == ' ' && s[1])
			s++;
		else if (*s)
			return -1;
	}
	return n;
}

/*
 * Every attribute in /sys/class/uiox/<name>/ reads, and says what the
 * ioctls say: online, openers counting this program's files, the
 * interrupt mode, vectors and counts, each region, DMA.
 */
TEST(sysfs_attributes_agree_with_the_ioctls)
{
	char path[512], buf[1024], want[64];
	struct dirent *e;
	unsigned int i;
	struct dut *d;

	DUTS_READY();
	for_each_dut(d) {
		long openers = uiox_attr_num(d->name, "openers");
		int fd = uiox_open_as(d->name, O_RDONLY), fd2 = uiox_open_as(d->name, O_RDONLY);
		int files = 0;
		DIR *dir;

		ASSERT_LE(0, fd);
		ASSERT_LE(0, fd2);
		snprintf(path, sizeof(path), "/sys/class/uiox/%s", d->name);
		dir = opendir(path);
		ASSERT_NE(NULL, dir);
		while ((e = readdir(dir))) {
			if (e->d_type != DT_REG || !strcmp(e->d_name, "uevent"))
				continue;
			snprintf(path, sizeof(path), "/sys/class/uiox/%s/%s", d->name,
				 e->d_name);
			EXPECT_EQ(0, sysfs_read(path, buf, sizeof(buf)))
				TH_LOG("%s: %s", path, strerror(errno));
			files++;
		}
		closedir(dir);
		EXPECT_LE(ARRAY_SIZE(state_attrs), files);
		EXPECT_EQ(1, uiox_attr_num(d->name, "online"));
		EXPECT_EQ(openers + 2, uiox_attr_num(d->name, "openers"));
		EXPECT_EQ(d->irq.num_vectors, uiox_attr_num(d->name, "num_vectors"));
		EXPECT_LE(0, uiox_attr_num(d->name, "dma_bytes"));
		snprintf(path, sizeof(path), "/sys/class/uiox/%s/irq_mode", d->name);
		ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
		ASSERT_GT(ARRAY_SIZE(mode_names), d->irq.mode);
		EXPECT_STREQ(mode_names[d->irq.mode], buf);
		snprintf(path, sizeof(path), "/sys/class/uiox/%s/irq_counts", d->name);
		ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
		EXPECT_EQ(d->irq.num_vectors, count_numbers(buf))
			TH_LOG("%s: irq_counts \"%s\"", d->name, buf);
		snprintf(path, sizeof(path), "/sys/class/uiox/%s/dma", d->name);
		ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
		if (d->info.flags & UIOX_DEVICE_PLATFORM) {
			EXPECT_STREQ("none", buf);
		} else {
			EXPECT_TRUE(!strncmp(buf, "iommu ", 6) || !strncmp(buf, "unsafe: ", 8) ||
				    !strncmp(buf, "denied: ", 8))
				TH_LOG("%s: dma \"%s\"", d->name, buf);
		}
		for (i = 0; i < d->info.num_regions; i++) {
			const struct uiox_region_info *r = &d->region[i];
			unsigned long long start, size;

			if (!r->size)
				continue;
			snprintf(want, sizeof(want), "%s%s%s%s%s",
				 r->flags & UIOX_REGION_IO ? "io" : "mem",
				 r->flags & UIOX_REGION_MMAP ? ",mmap" : "",
				 r->flags & UIOX_REGION_PREFETCH ? ",prefetch" : "",
				 r->flags & UIOX_REGION_MEM64 ? ",64" : "",
				 r->flags & UIOX_REGION_MSIX ? ",msix" : "");
			ASSERT_EQ(0, region_addr(d->name, i, &start, &size, buf));
			EXPECT_EQ(r->size, size) TH_LOG("%s region %u", d->name, i);
			EXPECT_STREQ(want, buf) TH_LOG("%s region %u", d->name, i);
		}
		snprintf(path, sizeof(path), "/sys/class/uiox/%s/device", d->name);
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s missing", path);
		close(fd2);
		close(fd);
		EXPECT_EQ(openers, uiox_attr_num(d->name, "openers"));
	}
}

/* ---- cases that change the device and put it back ------------------ */

/*
 * The cases below change the device and put it back; their teardown puts
 * it back even when a case stops half-way: bound to uiox again, in its
 * old interrupt mode, bus mastering as before, no child left reading it.
 * What userspace cannot read stays as a bind or a new mode leaves it: the
 * DMA mask (the default again), and the vectors' masks (unmasked) - but
 * for INTx with PCI 2.3 masking, which shows in the command register and
 * is put back.
 */
FIXTURE(restore) {
	struct dut_state before;
	int saved;		/* before holds a device to put back */
	pid_t reader;
};

FIXTURE_SETUP(restore)
{
	self->saved = 0;
	self->reader = 0;
}

/*
 * Put @before's device back as it was.  No ASSERT here: the teardown
 * calls it, where one would run the teardown again.
 */
static void put_back(struct __test_metadata *_metadata,
		     const struct dut_state *before)
{
	const struct uiox_irq_info *q = &before->d.irq;
	const char *name = before->d.name;
	struct uiox_irq_mask mask = { .argsz = sizeof(mask) };
	struct uiox_irq_info now = { .argsz = sizeof(now) };
	char node[160];
	int fd;

	snprintf(node, sizeof(node), "/dev/uiox/%s", name);
	if (access(node, F_OK) && uiox_driver_bind(before->d.bus, name)) {
		EXPECT_EQ(0, access(node, F_OK)) TH_LOG("%s could not be bound again", name);
		return;
	}
	fd = uiox_open_as(name, O_RDWR);
	EXPECT_LE(0, fd) TH_LOG("%s: %s", name, strerror(errno));
	if (fd < 0)
		return;
	EXPECT_EQ(0, ioctl(fd, UIOX_GET_IRQ_INFO, &now));
	if (now.mode != q->mode || now.num_vectors != q->num_vectors)
		EXPECT_EQ(0, uiox_set_irq_mode(fd, q->mode, q->num_vectors))
			TH_LOG("%s: mode %u back: %s", name, q->mode, strerror(errno));
	if (before->command >= 0 && (before->command ^ pci_command(name)) & PCI_COMMAND_MASTER)
		EXPECT_EQ(0, uiox_bus_master(fd, !!(before->command & PCI_COMMAND_MASTER)));
	/* a PCI function's INTx mask shows in its command register */
	mask.masked = !!(before->command & PCI_COMMAND_INTX_DISABLE);
	if (q->mode == UIOX_IRQ_INTX && before->command >= 0 &&
	    mask.masked != !!(pci_command(name) & PCI_COMMAND_INTX_DISABLE))
		EXPECT_EQ(0, ioctl(fd, UIOX_SET_IRQ_MASK, &mask));
	close(fd);
}

/*
 * Would unbinding and binding @d again program its MSI-X table?  When it
 * is in MSI-X mode, or a bind gives it that mode (uiox's irq_mode).
 */
static int msix_on_bind(const struct dut *d)
{
	char mode[32];

	if (d->irq.mode == UIOX_IRQ_MSIX)
		return 1;
	return d->irq.flags & UIOX_IRQ_CAN_MSIX &&
	       (sysfs_read("/sys/module/uiox/parameters/irq_mode", mode, sizeof(mode)) ||
		!strcmp(mode, "msix"));
}

FIXTURE_TEARDOWN(restore)
{
	if (self->reader > 0) {
		kill(self->reader, SIGKILL);
		waitpid(self->reader, NULL, 0);
	}
	if (self->saved) {
		self->saved = 0;	/* once, whatever it finds */
		put_back(_metadata, &self->before);
	}
}

/*
 * Unbinding takes the device from its users, who are not left with a
 * dangling mapping or a reader blocked for ever: a mapping (never
 * touched before) raises SIGBUS, a blocked read() returns ENODEV, the
 * file's calls fail with ENODEV and poll() reports POLLERR|POLLHUP.
 * Bound again (uiox's "bind" file), the device is the same.  Only when no one
 * else has the device open, and, for a device in MSI-X mode, only with
 * UIOX_TEST_WRITE=1: the kernel writes its MSI-X table when it frees and
 * sets up the vectors.
 */
TEST_F(restore, unbind_revokes_and_bind_again_restores)
{
	struct pollfd pfd = { .events = POLLIN };
	struct uiox_device_info info = { .argsz = sizeof(info) };
	char node[160], proc[64];
	struct dut *d;
	int tested = 0;

	DUTS_READY();
	for_each_dut(d) {
		volatile unsigned char *map = MAP_FAILED;
		uint64_t len = 0;
		unsigned int i;
		pid_t toucher;
		int fd;

		if (in_use(d, 0) || (msix_on_bind(d) && writes_refused())) {
			TH_LOG("%s: %s: not unbound", d->name, in_use(d, 0) ?
			       "in use" : "MSI-X, without UIOX_TEST_WRITE=1");
			continue;
		}
		state_get(_metadata, d, &self->before);
		self->saved = 1;
		fd = uiox_open_as(d->name, O_RDWR);
		ASSERT_LE(0, fd);
		for (i = 0; i < d->info.num_regions && map == MAP_FAILED; i++) {
			const struct uiox_region_info *r = &d->region[i];

			if (!(r->flags & UIOX_REGION_MMAP) || r->flags & UIOX_REGION_MSIX)
				continue;
			len = region_map_size(r);
			map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, r->offset);
			ASSERT_NE(MAP_FAILED, map);
		}
		if (d->irq.mode == UIOX_IRQ_NONE) {
			EXPECT_EQ(-1, uio_read_count(fd));	/* no vector to wait on */
			EXPECT_EQ(EIO, errno);
		} else {
			self->reader = spawn(blocked_reader, fd);
			ASSERT_LT(0, self->reader);
			ASSERT_EQ(0, wait_asleep_in(proc_of(self->reader, proc, sizeof(proc)),
						    SYS_read, -1, 5000));
		}

		ASSERT_EQ(0, uiox_unbind(d->bus, d->name))
			TH_LOG("%s: unbind: %s", d->name, strerror(errno));
		snprintf(node, sizeof(node), "/dev/uiox/%s", d->name);
		EXPECT_EQ(0, wait_gone(node, 5));
		if (self->reader > 0) {
			EXPECT_EQ(CHILD_OK, exit_code(self->reader))
				TH_LOG("%s: the blocked read() did not fail with ENODEV", d->name);
			self->reader = 0;
		}
		if (map != MAP_FAILED) {
			toucher = touch_in_child(map);
			ASSERT_LT(0, toucher);
			EXPECT_EQ(128 + SIGBUS, exit_code(toucher))
				TH_LOG("%s: the mapping outlived the unbind", d->name);
			munmap((void *)map, len);
		}
		EXPECT_EQ(-1, ioctl(fd, UIOX_GET_DEVICE_INFO, &info));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(-1, uio_read_count(fd));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(ENODEV, try_mmap(fd, page_size(), PROT_READ, MAP_SHARED,
					   UIOX_REGION_OFFSET(0)));
		pfd.fd = fd;
		EXPECT_EQ(1, poll(&pfd, 1, 0));
		EXPECT_EQ(POLLERR | POLLHUP, pfd.revents & (POLLERR | POLLHUP));
		close(fd);

		ASSERT_EQ(0, uiox_driver_bind(d->bus, d->name))
			TH_LOG("%s could not be bound again", d->name);
		put_back(_metadata, &self->before);
		self->saved = 0;
		expect_state(_metadata, &self->before);
		tested++;
	}
	if (!tested)
		SKIP(return, "no device could be unbound");
}

/* ---- what the user lets the suite touch ---------------------------- */

#define MAX_PAGES	16

/* The pages of the device under test that reg() mapped. */
struct maps {
	int fd;
	int n;
	unsigned int index[MAX_PAGES];
	uint64_t off[MAX_PAGES];
	volatile char *map[MAX_PAGES];
};

/*
 * The 32-bit register at @off of region @index, its page mapped on first
 * use (only that page: a region may hold MSI-X pages that do not map);
 * NULL if there is none.
 */
static volatile uint32_t *reg(struct maps *m, const struct dut *d,
			      unsigned int index, uint64_t off)
{
	uint64_t page = page_size(), first = off & ~(page - 1);
	const struct uiox_region_info *r;
	void *p;
	int i;

	if (index >= d->info.num_regions)
		return NULL;
	r = &d->region[index];
	if (!(r->flags & UIOX_REGION_MMAP) || off % 4 || r->size < 4 || off > r->size - 4)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (m->index[i] == index && m->off[i] == first)
			return (volatile uint32_t *)(m->map[i] + (off - first));
	if (m->n == MAX_PAGES)
		return NULL;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, r->offset + first);
	if (p == MAP_FAILED)
		return NULL;
	m->index[m->n] = index;
	m->off[m->n] = first;
	m->map[m->n++] = p;
	return (volatile uint32_t *)((volatile char *)p + (off - first));
}

/* Unmap what reg() mapped. */
static void maps_put(struct maps *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		munmap((void *)m->map[i], page_size());
	m->n = 0;
}

#define MAX_OPS	16

/*
 * Run the accesses @ops names ("w:R:OFF:VALUE" or "r:R:OFF", separated
 * by spaces; VALUE "+N": the last value read plus N), all 32-bit: NULL, or
 * what is wrong with @ops - found before any access is made.
 */
static const char *run_ops(struct maps *m, const struct dut *d, const char *ops)
{
	struct {
		char kind;
		int relative;
		uint32_t value;
		volatile uint32_t *reg;
	} op[MAX_OPS];
	char word[128], value[64];
	unsigned long long v;
	unsigned int index;
	int n, k, count = 0;
	uint32_t last = 0;
	long long off;
	char *end;

	while (sscanf(ops, " %127s%n", word, &n) == 1) {
		int fields;

		ops += n;
		if (count == MAX_OPS)
			return "more than 16 operations";
		value[0] = '\0';
		fields = sscanf(word, "%c:%u:%lli:%63s", &op[count].kind, &index, &off, value);
		if (fields < 3 || (op[count].kind != 'w' && op[count].kind != 'r') ||
		    (op[count].kind == 'w') != (fields == 4))
			return "an operation is neither w:R:OFF:VALUE nor r:R:OFF";
		op[count].relative = value[0] == '+';
		if (op[count].kind == 'w') {
			errno = 0;
			v = strtoull(value + op[count].relative, &end, 0);
			if (errno || *end || v > UINT32_MAX)
				return "a value is not a 32-bit number";
			op[count].value = (uint32_t)v;
		}
		op[count].reg = off < 0 ? NULL : reg(m, d, index, off);
		if (!op[count].reg)
			return "an operation names no mappable 32-bit register";
		count++;
	}
	for (k = 0; k < count; k++) {
		if (op[k].kind == 'r')
			last = *op[k].reg;
		else
			*op[k].reg = op[k].value + (op[k].relative ? last : 0);
	}
	return NULL;
}

/*
 * UIOX_TEST_SCRATCH's registers, written through a mapping of their whole
 * region and read back through a mapping of only their pages, and the
 * other way round: both mappings reach the same device memory at the same
 * offsets.  What they held is put back.
 */
TEST(partial_maps_read_back_against_a_full_map)
{
	const char *scratch = getenv("UIOX_TEST_SCRATCH"), *why = writes_refused();
	const struct uiox_region_info *r;
	volatile uint32_t *full, *part;
	long long off, len, first, n, k;
	long page = page_size();
	unsigned int index;
	uint32_t *saved;
	char *p, *q;
	int fd;

	DUTS_READY();
	if (why || !scratch)
		SKIP(return, "%s", why ? why :
		     "a partial map is read back only where UIOX_TEST_SCRATCH names registers to use");
	ASSERT_EQ(3, sscanf(scratch, "%u:%lli:%lli", &index, &off, &len))
		TH_LOG("UIOX_TEST_SCRATCH=%s is not R:OFF:LEN", scratch);
	ASSERT_GT(duts[0].info.num_regions, index) TH_LOG("UIOX_TEST_SCRATCH=%s", scratch);
	ASSERT_FALSE(in_use(&duts[0], 0)) TH_LOG("%s is in use", duts[0].name);
	r = &duts[0].region[index];
	ASSERT_TRUE(off >= 0 && len > 0 && !(off % 4) && !(len % 4) &&
		    (uint64_t)(off + len) <= r->size && r->flags & UIOX_REGION_MMAP)
		TH_LOG("UIOX_TEST_SCRATCH=%s: not 32-bit registers in a mappable region",
		       scratch);
	fd = uiox_open_as(duts[0].name, O_RDWR);
	ASSERT_LE(0, fd);
	p = mmap(NULL, region_map_size(r), PROT_READ | PROT_WRITE, MAP_SHARED, fd, r->offset);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("the whole region %u: %s (MSI-X pages?)", index,
					strerror(errno));
	first = off & ~(long long)(page - 1);
	n = ((off + len + page - 1) & ~(long long)(page - 1)) - first;
	q = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, r->offset + first);
	ASSERT_NE(MAP_FAILED, q);
	full = (volatile uint32_t *)(p + off);
	part = (volatile uint32_t *)(q + (off - first));
	saved = calloc(len / 4, 4);
	ASSERT_NE(NULL, saved);
	for (k = 0; k < len / 4; k++)
		saved[k] = full[k];
	for (k = 0; k < len / 4; k++)
		full[k] = 0x5a000000u ^ (uint32_t)(k * 0x01010101u);
	for (k = 0; k < len / 4; k++)
		EXPECT_EQ(0x5a000000u ^ (uint32_t)(k * 0x01010101u), part[k])
			TH_LOG("word %lld through the partial map", k);
	for (k = 0; k < len / 4; k++)
		part[k] = 0x00a5a5a5u ^ (uint32_t)k;
	for (k = 0; k < len / 4; k++)
		EXPECT_EQ(0x00a5a5a5u ^ (uint32_t)k, full[k])
			TH_LOG("word %lld through the full map", k);
	for (k = 0; k < len / 4; k++)
		full[k] = saved[k];
	for (k = 0; k < len / 4; k++)
		EXPECT_EQ(saved[k], part[k]) TH_LOG("word %lld not put back", k);
	free(saved);
	munmap(q, n);
	munmap(p, region_map_size(r));
	close(fd);
}

/* UIOX_TEST_IRQ_MODE, else the first of intx, msi, msix @q has; -1: none. */
static int irq_mode_wanted(const struct uiox_irq_info *q, const char *name)
{
	static const uint32_t can[] = { 0, UIOX_IRQ_CAN_INTX, UIOX_IRQ_CAN_MSI,
					UIOX_IRQ_CAN_MSIX };
	int mode;

	for (mode = UIOX_IRQ_INTX; mode <= UIOX_IRQ_MSIX; mode++)
		if ((!name || !strcmp(name, mode_names[mode])) && q->flags & can[mode])
			return mode;
	return -1;
}

/* A device with no interrupts: every mode refused, read() EIO. */
static void expect_no_interrupts(struct __test_metadata *_metadata,
				 const struct dut *d)
{
	int fd = uiox_open_as(d->name, O_RDWR), mode;

	ASSERT_LE(0, fd);
	for (mode = UIOX_IRQ_INTX; mode <= UIOX_IRQ_MSIX; mode++) {
		EXPECT_EQ(-1, uiox_set_irq_mode(fd, mode, 1));
		EXPECT_EQ(EOPNOTSUPP, errno) TH_LOG("%s: mode %d", d->name, mode);
	}
	EXPECT_EQ(-1, uio_read_count(fd));
	EXPECT_EQ(EIO, errno);
	close(fd);
	TH_LOG("%s has no interrupts: every mode refused", d->name);
}

/*
 * Three interrupts raised and acked as @raise and @ack say (acked once
 * already, before the mode was set up): nothing before the first; round 1 waits in poll() and read(); round 2 unmasks
 * what round 1 left masked and waits in one UIOX_IRQ_UNMASK_WAIT; round 3
 * raises while masked and unmasks through write().  Each acks before the
 * next unmask; each counts once, in sysfs irq_counts too.
 */
static void expect_raised(struct __test_metadata *_metadata, const struct dut *d,
			  struct maps *m, const char *raise, const char *ack)
{
	struct uiox_irq_wait w = { .argsz = sizeof(w), .timeout_ms = 5000 };
	const char *bad;
	int32_t count;
	int round;

	EXPECT_EQ(0, readable_within(m->fd, 100)) TH_LOG("an interrupt before any was raised");
	for (round = 1; round <= 3; round++) {
		bad = run_ops(m, d, raise);
		ASSERT_TRUE(!bad) TH_LOG("UIOX_TEST_IRQ_RAISE=%s: %s", raise, bad);
		if (round == 2) {
			w.count = 0;
			EXPECT_EQ(0, ioctl(m->fd, UIOX_IRQ_UNMASK_WAIT, &w))
				TH_LOG("round 2: %s", strerror(errno));
			count = (int32_t)w.count;
		} else {
			if (round == 3)
				EXPECT_EQ(0, uio_unmask(m->fd, 1));
			EXPECT_EQ(1, readable_within(m->fd, 5000))
				TH_LOG("round %d: no interrupt within 5 s", round);
			count = uio_read_count(m->fd);
		}
		EXPECT_EQ(round, count);
		run_ops(m, d, ack);
		EXPECT_EQ(round, uiox_attr_num(d->name, "irq_counts"));
	}
	EXPECT_EQ(0, uio_unmask(m->fd, 1));
	EXPECT_EQ(0, readable_within(m->fd, 100)) TH_LOG("an interrupt no one raised");
}

/*
 * Vector 0's interrupt in UIOX_TEST_IRQ_MODE, raised and acknowledged as
 * UIOX_TEST_IRQ_RAISE and _ACK say (expect_raised(); MSI and MSI-X with bus
 * mastering, which needs DMA to be allowed).  A device with no interrupts
 * must refuse every mode instead: that needs no recipe.
 */
TEST_F(restore, interrupts_raised_as_the_user_says)
{
	const char *raise = getenv("UIOX_TEST_IRQ_RAISE"), *ack = getenv("UIOX_TEST_IRQ_ACK");
	const char *mode_name = getenv("UIOX_TEST_IRQ_MODE"), *why = writes_refused();
	const uint32_t any = UIOX_IRQ_CAN_INTX | UIOX_IRQ_CAN_MSI | UIOX_IRQ_CAN_MSIX;
	struct maps m = { 0 };
	const char *bad;
	int mode, none = 0;
	struct dut *d;

	DUTS_READY();
	for_each_dut(d)
		if (!(d->irq.flags & any)) {
			expect_no_interrupts(_metadata, d);
			none++;
		}
	if (none == nduts)
		return;
	if (!why && (!raise || !ack))
		why = "interrupts are raised only as UIOX_TEST_IRQ_RAISE and _ACK say";
	if (why && none) {
		TH_LOG("%s", why);	/* the devices without interrupts were checked */
		return;
	}
	if (why)
		SKIP(return, "%s", why);
	d = &duts[0];
	mode = irq_mode_wanted(&d->irq, mode_name);
	ASSERT_LE(0, mode) TH_LOG("%s has no interrupt mode %s", d->name,
				  mode_name ? mode_name : "");
	ASSERT_FALSE(in_use(d, 0)) TH_LOG("%s is in use", d->name);
	state_get(_metadata, d, &self->before);
	self->saved = 1;
	m.fd = uiox_open_as(d->name, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, m.fd);
	bad = run_ops(&m, d, ack);	/* nothing pending when the vectors come up */
	ASSERT_TRUE(!bad) TH_LOG("UIOX_TEST_IRQ_ACK=%s: %s", ack, bad);
	ASSERT_EQ(0, uiox_set_irq_mode(m.fd, mode, 1)) TH_LOG("%s", strerror(errno));
	if (mode != UIOX_IRQ_INTX)
		ASSERT_EQ(0, uiox_bus_master(m.fd, 1))
			TH_LOG("MSI needs bus mastering, which needs DMA allowed (%s): %s",
			       self->before.attrs[STATE_DMA], strerror(errno));
	expect_raised(_metadata, d, &m, raise, ack);
	maps_put(&m);
	close(m.fd);
	put_back(_metadata, &self->before);
	self->saved = 0;
	expect_state(_metadata, &self->before);
}

TEST_HARNESS_MAIN
