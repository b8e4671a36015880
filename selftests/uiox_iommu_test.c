// SPDX-License-Identifier: GPL-2.0
/*
 * uiox DMA behind an IOMMU (vmrun --iommu): the device reaches the buffers
 * the stub allocated for it, and nothing else.  A forbidden access must
 * not move the memory's data.  For a freed buffer the test also finds the
 * IOMMU's fault report at that address in the kernel log (intel-iommu's
 * DMAR, arm-smmu-v3's event); it looks only there, since intel-iommu prints
 * just the first three faults of every five seconds.
 * Fails, not skips, in a guest without an IOMMU, before any wild DMA.
 * Without interrupt remapping (vmrun --no-intremap) DMA is only allowed by
 * allow_unsafe_dma, but still translated: the same containment holds, and
 * the cases that depend on remapping expect what the stub then does.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "uiox_test.h"
#include "kselftest_harness.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

/*
 * The text of the next kernel log record from @kmsg (non-blocking), in
 * @rec; NULL once @end (now_ms()) has passed or on an error.
 */
static const char *kmsg_next(int kmsg, char *rec, size_t len, long end)
{
	const char *text;
	ssize_t n;

	while (now_ms() < end) {
		n = read(kmsg, rec, len - 1);
		if (n < 0) {
			if (errno != EAGAIN && errno != EPIPE)
				return NULL;
			if (errno == EAGAIN)
				usleep(20000);
			continue;
		}
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (text)
			return text + 1;
	}
	return NULL;
}

/* Wait up to @ms for a kernel log record containing all of @a and @b. */
static int kmsg_wait(int kmsg, const char *a, const char *b, int ms)
{
	long end = now_ms() + ms;
	const char *text;
	char rec[1024];

	while ((text = kmsg_next(kmsg, rec, sizeof(rec), end)))
		if (strstr(text, a) && strstr(text, b))
			return 0;
	return -1;
}

/*
 * Wait up to @ms for the IOMMU's report of a fault by @bdf at @iova (the
 * first address of the access), a write if @write, in the kernel log
 * records read from @kmsg.
 * intel-iommu logs one record: "DMAR: [DMA Write NO_PASID] Request device
 * [00:02.0] fault addr 0xfffe000 ...".  arm-smmu-v3 logs "event 0x10
 * received:" (a translation fault), then the event's four words, a record
 * each ("\t0x..." in the record: /dev/kmsg escapes the tab as \x09).
 * Word 0 holds the StreamID, the requester ID, in bits 63:32; word 1 the
 * access's direction (RnW) in bit 35; word 2 the address.
 */
static int iommu_fault_wait(int kmsg, const char *bdf, uint64_t iova,
			    int write, int ms)
{
	unsigned int bus, slot, fn;
	long end = now_ms() + ms;
	const char *text, *word;
	char rec[1024], want[64];
	int words = -1;
	uint64_t w[4];

	if (sscanf(bdf, "%*x:%x:%x.%x", &bus, &slot, &fn) != 3)
		return -1;
	snprintf(want, sizeof(want), "[%02x:%02x.%x] fault addr 0x%llx", bus,
		 slot, fn, (unsigned long long)iova);
	while ((text = kmsg_next(kmsg, rec, sizeof(rec), end))) {
		if (strstr(text, want) &&
		    strstr(text, write ? "DMA Write" : "DMA Read"))
			return 0;
		if (!strstr(text, "arm-smmu-v3"))
			continue;
		if (strstr(text, "event 0x10 received:")) {
			words = 0;
			continue;
		}
		word = strstr(text, "\\x090x");
		if (words < 0 || !word)
			continue;
		w[words++] = strtoull(word + 4, NULL, 16);
		if (words < 4)
			continue;
		words = -1;
		if (w[0] >> 32 == (bus << 8 | slot << 3 | fn) && w[2] == iova &&
		    !(w[1] >> 35 & 1) == !!write)
			return 0;
	}
	return -1;
}

/* Two byte patterns, 0 and 1, that never agree for long. */
static unsigned char pattern(size_t i, int which)
{
	return which ? (unsigned char)(i * 13 + 1) : (unsigned char)(i ^ 0x5c);
}

FIXTURE(edu) {
	int fd, kmsg;
	char bdf[32];
	volatile void *bar;
	struct uiox_dma_alloc src;
	unsigned char *src_map;
};

FIXTURE_SETUP(edu)
{
	char path[128];
	struct stat st;
	size_t i;

	self->bar = MAP_FAILED;
	self->src_map = MAP_FAILED;
	self->kmsg = -1;
	self->fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, self->bdf,
				 sizeof(self->bdf));
	ASSERT_LE(0, self->fd) TH_LOG("no edu bound to uiox on the root bus");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 self->bdf);
	ASSERT_EQ(0, stat(path, &st))
		TH_LOG("%s has no IOMMU group: boot the guest with vmrun --iommu",
		       self->bdf);
	self->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->kmsg);
	self->bar = uiox_map(self->fd, 0, EDU_BAR0_SIZE);
	ASSERT_NE(MAP_FAILED, self->bar);
	ASSERT_EQ(0, uiox_dma_mask(self->fd, EDU_DMA_BITS));
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));

	/* edu's own buffer starts out holding a known pattern */
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, EDU_DMA_SIZE, &self->src));
	self->src_map = mmap(NULL, EDU_DMA_SIZE, PROT_READ | PROT_WRITE,
			     MAP_SHARED, self->fd, (off_t)self->src.offset);
	ASSERT_NE(MAP_FAILED, self->src_map);
	for (i = 0; i < EDU_DMA_SIZE; i++)
		self->src_map[i] = pattern(i, 0);
	ASSERT_EQ(0, edu_dma(self->bar, self->src.iova, EDU_DMA_BUF,
			     EDU_DMA_LEN, EDU_DMA_FROM_RAM));
	lseek(self->kmsg, 0, SEEK_END);
}

FIXTURE_TEARDOWN(edu)
{
	if (self->src_map != MAP_FAILED)
		munmap(self->src_map, EDU_DMA_SIZE);
	if (self->bar != MAP_FAILED)
		munmap((void *)self->bar, EDU_BAR0_SIZE);
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (self->fd >= 0) {
		uiox_bus_master(self->fd, 0);
		close(self->fd);
	}
}

/* How many bytes of edu's buffer hold pattern @which; -1 on error. */
static int edu_buffer_matches(int fd, volatile void *bar, int which)
{
	struct uiox_dma_alloc dst;
	unsigned char *p;
	int n = -1;
	size_t i;

	if (uiox_dma_alloc(fd, EDU_DMA_SIZE, &dst))
		return -1;
	p = mmap(NULL, EDU_DMA_SIZE, PROT_READ, MAP_SHARED, fd,
		 (off_t)dst.offset);
	if (p != MAP_FAILED &&
	    !edu_dma(bar, EDU_DMA_BUF, dst.iova, EDU_DMA_LEN,
		     EDU_DMA_TO_RAM))
		for (n = 0, i = 0; i < EDU_DMA_LEN; i++)
			n += p[i] == pattern(i, which);
	if (p != MAP_FAILED)
		munmap(p, EDU_DMA_SIZE);
	uiox_dma_free(fd, dst.id);
	return n;
}

/*
 * After edu was aimed at memory it must not reach: its buffer holds few
 * bytes of pattern @which, by a readback that itself works.
 */
static void expect_not_copied(struct __test_metadata *_metadata,
			      FIXTURE_DATA(edu) *self, int which)
{
	int n = edu_buffer_matches(self->fd, self->bar, which);

	ASSERT_LE(0, n) TH_LOG("the readback of edu's buffer failed");
	EXPECT_GT(EDU_DMA_LEN / 16, n);
}

TEST_F(edu, buffers_are_reachable)
{
	EXPECT_EQ(EDU_DMA_LEN, edu_buffer_matches(self->fd, self->bar, 0));
}

TEST_F(edu, a_freed_buffer_is_not_reachable)
{
	struct uiox_dma_alloc gone;
	unsigned char *p;
	size_t i;

	/* a buffer full of pattern 1, given back */
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, EDU_DMA_SIZE, &gone));
	p = mmap(NULL, EDU_DMA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->fd, (off_t)gone.offset);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < EDU_DMA_SIZE; i++)
		p[i] = pattern(i, 1);
	munmap(p, EDU_DMA_SIZE);
	ASSERT_EQ(0, uiox_dma_free(self->fd, gone.id));

	/* reading it faults and brings none of pattern 1 into edu (the
	 * readback works: it finds the setup's pattern 0 first) */
	ASSERT_EQ(EDU_DMA_LEN, edu_buffer_matches(self->fd, self->bar, 0));
	ASSERT_EQ(0, edu_dma(self->bar, gone.iova, EDU_DMA_BUF, EDU_DMA_LEN,
			     EDU_DMA_FROM_RAM));
	EXPECT_EQ(0, iommu_fault_wait(self->kmsg, self->bdf, gone.iova, 0, 3000))
		TH_LOG("no IOMMU read fault for %s at 0x%llx", self->bdf,
		       (unsigned long long)gone.iova);
	expect_not_copied(_metadata, self, 1);

	/* writing it faults too (arm-smmu-v3 logs the first 10 events of
	 * every 5 s, and the read, one event per 4 bytes, spent them all) */
#ifdef __aarch64__
	sleep(5);
#endif
	ASSERT_EQ(0, edu_dma(self->bar, EDU_DMA_BUF, gone.iova, EDU_DMA_LEN,
			     EDU_DMA_TO_RAM));
	EXPECT_EQ(0, iommu_fault_wait(self->kmsg, self->bdf, gone.iova, 1, 3000))
		TH_LOG("no IOMMU write fault for %s at 0x%llx", self->bdf,
		       (unsigned long long)gone.iova);
}

/* Physical address of @p, from /proc/self/pagemap; 0 if none. */
static uint64_t phys_addr(const void *p)
{
	const long page = getpagesize();
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (uintptr_t)p / page * sizeof(e)) != sizeof(e))
		e = 0;
	close(fd);
	if (!(e & (1ULL << 63)))
		return 0;
	return (e & ((1ULL << 55) - 1)) * page + (uintptr_t)p % page;
}

/*
 * What a driver without an IOMMU could do (ixy-style): hand the device the
 * physical address of ordinary process memory.  Behind the IOMMU that
 * address means nothing to the device: neither read nor written.
 */
TEST_F(edu, process_memory_at_its_physical_address_is_not_reachable)
{
	const size_t len = 64 << 20;
	const uint64_t limit = (1ULL << EDU_REACH_BITS) - (16 << 20);
	unsigned char *mem, *page = NULL;
	uint64_t phys = 0;
	size_t i, j;

	/* a page edu can address, away from the IOVAs given at the top of
	 * its 28 bits */
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	for (i = 0; i < len && !page; i += 4096) {
		phys = phys_addr(mem + i);
		if (phys && phys < limit)
			page = mem + i;
	}
	ASSERT_NE(NULL, page) TH_LOG("no page below 0x%llx in 64 MiB",
				     (unsigned long long)limit);
	ASSERT_EQ(0, mlock(page, 4096));
	ASSERT_EQ(phys, phys_addr(page));
	for (j = 0; j < 4096; j++)
		page[j] = pattern(j, 1);

	ASSERT_EQ(EDU_DMA_LEN, edu_buffer_matches(self->fd, self->bar, 0));
	ASSERT_EQ(0, edu_dma(self->bar, phys, EDU_DMA_BUF, EDU_DMA_LEN,
			     EDU_DMA_FROM_RAM));
	expect_not_copied(_metadata, self, 1);

	ASSERT_EQ(0, edu_dma(self->bar, self->src.iova, EDU_DMA_BUF,
			     EDU_DMA_LEN, EDU_DMA_FROM_RAM));
	ASSERT_EQ(0, edu_dma(self->bar, EDU_DMA_BUF, phys, EDU_DMA_LEN,
			     EDU_DMA_TO_RAM));
	for (j = 0; j < 4096 && page[j] == pattern(j, 1); j++)
		;
	EXPECT_EQ(4096, j) TH_LOG("edu wrote the page at 0x%llx (byte %zu)",
				  (unsigned long long)phys, j);
	munmap(mem, len);
}

/*
 * Faults the IOMMU has signalled so far (its interrupt, never rate-limited:
 * intel-iommu's fault interrupt, arm-smmu-v3's event queue).
 */
static long iommu_faults(void)
{
	long dmar = irq_count("DMAR"), evtq = irq_count("arm-smmu-v3-evtq");

	return dmar < 0 ? evtq : dmar;
}

/*
 * e1000e fetches a transmit descriptor the moment the tail register moves
 * (edu starts its DMA only 100 ms after the command, by when lazy IOTLB
 * invalidation has flushed anyway).  The device uses a buffer, so the
 * IOMMU caches its translation; the buffer is freed; at once the device
 * reads the next descriptor on that page.  Under DMA-FQ only the stub's
 * flush before giving the pages back turns that read into a fault.
 */
FIXTURE(e1000e) {
	int fd;
	char bdf[32];
	volatile void *bar;
};

FIXTURE_SETUP(e1000e)
{
	char path[128], type[32] = "";

	self->bar = MAP_FAILED;
	self->fd = uiox_open_pci(E1000E_VENDOR, E1000E_DEVICE, ANY_BUS,
				 self->bdf, sizeof(self->bdf));
	ASSERT_LE(0, self->fd) TH_LOG("no e1000e bound to uiox");
	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/iommu_group/type", self->bdf);
	ASSERT_EQ(0, sysfs_read(path, type, sizeof(type)));
	ASSERT_STREQ("DMA-FQ", type)
		TH_LOG("the test needs lazy IOTLB invalidation, the group is %s",
		       type);
	self->bar = uiox_map(self->fd, 0, E1000E_BAR0_SIZE);
	ASSERT_NE(MAP_FAILED, self->bar);
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
}

FIXTURE_TEARDOWN(e1000e)
{
	if (self->bar != MAP_FAILED) {
		wr32(self->bar, E1000E_TCTL, 0);
		munmap((void *)self->bar, E1000E_BAR0_SIZE);
	}
	if (self->fd >= 0) {
		uiox_bus_master(self->fd, 0);
		close(self->fd);
	}
}

TEST_F(e1000e, a_buffer_freed_right_after_use_is_not_reachable)
{
	const size_t frame = 2048, nr = 8;
	volatile struct e1000e_tx_desc *d;
	struct uiox_dma_alloc ring;
	long before, after;
	unsigned char *p;
	size_t i;

	ASSERT_EQ(0, uiox_dma_alloc(self->fd, 4096, &ring));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 (off_t)ring.offset);
	ASSERT_NE(MAP_FAILED, p);
	memset(p + frame, 0xff, 60);
	d = (volatile struct e1000e_tx_desc *)p;
	for (i = 0; i < nr; i++) {
		d[i].addr = ring.iova + frame;
		d[i].length = 60;
		d[i].cmd = E1000E_TXD_EOP | E1000E_TXD_IFCS | E1000E_TXD_RS;
	}
	wr32(self->bar, E1000E_TDBAL, (uint32_t)ring.iova);
	wr32(self->bar, E1000E_TDBAH, (uint32_t)(ring.iova >> 32));
	wr32(self->bar, E1000E_TDLEN, nr * sizeof(*d));
	wr32(self->bar, E1000E_TDH, 0);
	wr32(self->bar, E1000E_TDT, 0);
	wr32(self->bar, E1000E_TCTL, E1000E_TCTL_EN | E1000E_TCTL_PSP);

	/* descriptor 0: fetched, sent, its status written back */
	wr32(self->bar, E1000E_TDT, 1);
	ASSERT_EQ(1, rd32(self->bar, E1000E_TDH));
	ASSERT_EQ(E1000E_TXD_DD, d[0].status & E1000E_TXD_DD);
	munmap(p, 4096);

	/* descriptor 1, on the page just given back */
	before = iommu_faults();
	ASSERT_LE(0, before);
	ASSERT_EQ(0, uiox_dma_free(self->fd, ring.id));
	wr32(self->bar, E1000E_TDT, 2);
	rd32(self->bar, E1000E_TDH);
	for (i = 0; i < 100 && (after = iommu_faults()) == before; i++)
		usleep(20000);
	EXPECT_LT(before, after)
		TH_LOG("the device read a freed buffer: no IOMMU fault");
}

/*
 * A member of @bdf's IOMMU group, other than @bdf, that a kernel driver
 * holds (not uiox, nor a driver that does no DMA of its own); its name in
 * @other.  0 when there is one.
 */
static int group_member_with_driver(const char *bdf, char *other, size_t len)
{
	char path[512], link[256];
	struct dirent *e;
	const char *drv;
	int found = -1;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group/devices",
		 bdf);
	d = opendir(path);
	if (!d)
		return -1;
	while (found && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, bdf))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver",
			 e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		drv = strrchr(link, '/') + 1;
		if (strcmp(drv, "uiox") && strcmp(drv, "pcieport") &&
		    strcmp(drv, "pci-stub") && strlen(e->d_name) < len) {
			memcpy(other, e->d_name, strlen(e->d_name) + 1);
			found = 0;
		}
	}
	closedir(d);
	return found;
}

/*
 * An edu behind a conventional PCI bridge shares the bridge's IOMMU group
 * with a serial port the kernel's 8250_pci driver holds (vmrun --dev
 * shared-group): a group that is not viable.  Bus mastering and DMA are
 * refused until that driver lets go.
 */
TEST(a_group_shared_with_a_kernel_driver_refuses_dma)
{
	char bdf[64], other[64], path[160], verdict[192], was[8];
	struct uiox_dma_alloc a;
	int i, fd, found = -1;

	for (i = 0; found && !pci_find(EDU_VENDOR, EDU_DEVICE, ANY_BUS, i,
				       bdf, sizeof(bdf)); i++)
		found = group_member_with_driver(bdf, other, sizeof(other));
	ASSERT_EQ(0, found) {
		TH_LOG("no edu shares its IOMMU group with a device a kernel driver holds (vmrun --dev shared-group)");
	}
	TH_LOG("%s shares its group with %s", bdf, other);
	ASSERT_EQ(0, sysfs_read(UNSAFE_PARAM, was, sizeof(was)));
	ASSERT_EQ(0, sysfs_write(UNSAFE_PARAM, "0"));
	fd = uiox_open(bdf, 0);
	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), "/sys/class/uiox/%s/dma", bdf);

	EXPECT_EQ(-1, uiox_bus_master(fd, 1));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, uiox_dma_alloc(fd, 4096, &a));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, sysfs_read(path, verdict, sizeof(verdict)));
	EXPECT_STREQ("denied: IOMMU group shared with a device that has a kernel driver, allow_unsafe_dma off",
		     verdict);

	/* the driver lets go: the group is viable (MSI still needs remapping) */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 other);
	ASSERT_EQ(0, sysfs_write(path, other));
	if (msi_isolated()) {
		EXPECT_EQ(0, uiox_bus_master(fd, 1));
		EXPECT_EQ(0, uiox_dma_alloc(fd, 4096, &a));
		EXPECT_EQ(0, uiox_dma_free(fd, a.id));
	} else {
		EXPECT_EQ(-1, uiox_bus_master(fd, 1));
		EXPECT_EQ(EPERM, errno);
		snprintf(path, sizeof(path), "/sys/class/uiox/%s/dma", bdf);
		ASSERT_EQ(0, sysfs_read(path, verdict, sizeof(verdict)));
		EXPECT_STREQ("denied: MSI not isolated (no interrupt remapping), allow_unsafe_dma off",
			     verdict);
	}
	EXPECT_EQ(0, uiox_bus_master(fd, 0));
	close(fd);
	sysfs_write("/sys/bus/pci/drivers_probe", other);
	EXPECT_EQ(0, sysfs_write(UNSAFE_PARAM, was));
}

/*
 * The group's kernel driver lets go, bus mastering goes on (by the IOMMU,
 * or by allow_unsafe_dma without interrupt remapping), and the driver
 * binds again: before its probe runs, uiox turns bus mastering off and
 * says so; turning it on again is refused while that driver stays.
 */
TEST(a_kernel_driver_binding_in_the_group_stops_bus_mastering)
{
	char bdf[64], other[64], path[160], drv[64], link[256], was[8];
	int i, fd, kmsg, found = -1;
	ssize_t n;

	for (i = 0; found && !pci_find(EDU_VENDOR, EDU_DEVICE, ANY_BUS, i,
				       bdf, sizeof(bdf)); i++)
		found = group_member_with_driver(bdf, other, sizeof(other));
	ASSERT_EQ(0, found) {
		TH_LOG("no edu shares its IOMMU group with a device a kernel driver holds (vmrun --dev shared-group)");
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", other);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	snprintf(drv, sizeof(drv), "%s", strrchr(link, '/') + 1);
	ASSERT_EQ(0, sysfs_read(UNSAFE_PARAM, was, sizeof(was)));
	ASSERT_EQ(0, sysfs_write(UNSAFE_PARAM, msi_isolated() ? "0" : "1"));
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	fd = uiox_open(bdf, 0);
	ASSERT_LE(0, fd);

	/* from here on nothing returns early: the driver must bind again */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 other);
	EXPECT_EQ(0, sysfs_write(path, other));
	EXPECT_EQ(0, uiox_bus_master(fd, 1));
	EXPECT_EQ(PCI_COMMAND_MASTER, pci_command(bdf) & PCI_COMMAND_MASTER);

	EXPECT_EQ(0, sysfs_write("/sys/bus/pci/drivers_probe", other));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", other);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	EXPECT_STREQ(drv, n > 0 ? strrchr(link, '/') + 1 : "")
		TH_LOG("%s did not bind to %s again", other, drv);
	EXPECT_EQ(0, pci_command(bdf) & PCI_COMMAND_MASTER);
	EXPECT_EQ(0, kmsg_wait(kmsg, "bus mastering off", other, 2000))
		TH_LOG("no kernel log line naming %s", other);
	EXPECT_EQ(0, sysfs_write(UNSAFE_PARAM, "0"));
	EXPECT_EQ(-1, uiox_bus_master(fd, 1));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, pci_command(bdf) & PCI_COMMAND_MASTER);
	close(fd);
	close(kmsg);
	EXPECT_EQ(0, sysfs_write(UNSAFE_PARAM, was));
}

/* The MSI-X table pages: mappable exactly when interrupts are remapped. */
TEST(msix_table_is_mappable_only_with_irq_remapping)
{
	char bdf[64];
	int fd, bar;

	fd = uiox_open_pci(E1000E_VENDOR, E1000E_DEVICE, ANY_BUS, bdf,
			   sizeof(bdf));
	ASSERT_LE(0, fd) TH_LOG("no e1000e bound to uiox (vmrun --dev e1000e)");
	bar = msix_region(fd);
	ASSERT_LE(0, bar) TH_LOG("no region has UIOX_REGION_MSIX");
	EXPECT_EQ(msi_isolated() ? 0 : EPERM,
		  try_mmap(fd, 16384, PROT_READ | PROT_WRITE, MAP_SHARED,
			   UIOX_REGION_OFFSET(bar)));
	close(fd);
}

TEST_HARNESS_MAIN
