// SPDX-License-Identifier: GPL-2.0
/*
 * uiox DMA memory selftest, on edu (whose DMA engine copies between RAM
 * and a 4 KiB buffer inside the device):
 *   - bad requests get clean errors;
 *   - a buffer is zeroed (also memory just freed dirty), mapped shared,
 *     never executable, bounded, inside the DMA mask;
 *   - edu copies a pattern from one buffer into itself and back into
 *     another, at the addresses the stub gave (its 28-bit DMA mask set);
 *   - a freed buffer's mappings raise SIGBUS, also mappings made through
 *     another file; closing the owning file, and remove(), free its
 *     buffers and turn bus mastering off, before the first buffer goes
 *     back (a transfer in flight then reads nothing of them);
 *   - sysfs dma_bytes counts what is held; the per-device limit (module
 *     parameter dma_limit_mb) gives ENOSPC;
 *   - a reset keeps the buffers, their mappings fault back;
 *   - the privilege model: with the device confined by an IOMMU, bus
 *     mastering and DMA are allowed; without, only with allow_unsafe_dma
 *     and CAP_SYS_RAWIO, tainting the kernel, said once per device.
 * Runs with and without an IOMMU (uiox_iommu_test checks containment).
 */
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>

#include "uiox_test.h"
#include "kselftest_harness.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

#define DMA_LIMIT_PARAM	"/sys/module/uiox/parameters/dma_limit_mb"

/* /sys/class/uiox/<bdf>/dma_bytes, or -1. */
static long dma_bytes(const char *bdf)
{
	return uiox_attr_num(bdf, "dma_bytes");
}

/*
 * Whether bus mastering goes off before the first buffer goes back cannot
 * be seen from the device: a transfer started just before fires 100 ms
 * later, after both.  It is seen from the other vCPU: a watcher reads the
 * free memory, the command register, the free memory again, over and
 * over, while many buffers go back.  A read of the command register after
 * some memory has come back must find bus mastering off; one between the
 * first buffer and the last shows the watcher looked in time.  (Not the
 * tracer: text patching is unsafe in the rig's guests, see ONE_CPU_BOOT in
 * tools/rig/machines.py.)
 */
#define ORDER_BUFS	2048		/* many: a long stretch to look into */
#define ORDER_BUF_SIZE	(64 << 10)	/* order 4: past the per-CPU page lists */
#define ORDER_SLACK	(4L << 20)	/* the rest of the guest */

struct order_watch {
	cpu_set_t was;		/* the caller's CPUs before */
	int config;		/* the device's config space */
	long before;		/* free memory when the watch began */
	volatile int stop;
	int inside;		/* reads while the buffers went back */
	int wrong;		/* reads after some went back, bus mastering on */
	long back;		/* memory come back by the end */
	long reads;		/* of the command register */
	pthread_t thread;
};

static long free_ram(void)
{
	struct sysinfo si;

	return sysinfo(&si) ? 0 : (long)(si.freeram * si.mem_unit);
}

static void *order_watcher(void *arg)
{
	const long total = (long)ORDER_BUFS * ORDER_BUF_SIZE;
	struct order_watch *w = arg;
	long first, last;
	uint16_t cmd;

	while (!w->stop) {
		w->reads++;
		first = free_ram() - w->before;
		if (pread(w->config, &cmd, sizeof(cmd), 4) != sizeof(cmd))
			break;
		last = free_ram() - w->before;
		if (first < ORDER_SLACK)
			continue;	/* nothing back yet */
		w->wrong += !!(cmd & PCI_COMMAND_MASTER);
		w->inside += last < total - ORDER_SLACK;
	}
	w->back = free_ram() - w->before;
	return NULL;
}

/* Fill @fd with the buffers the watcher sees go back; 0 or -1. */
static int order_buffers(int fd)
{
	struct uiox_dma_alloc a;
	int i;

	for (i = 0; i < ORDER_BUFS; i++)
		if (uiox_dma_alloc(fd, ORDER_BUF_SIZE, &a))
			return -1;
	return 0;
}

/* Pin the caller to CPU 0, the watcher to CPU 1: 0, or -1. */
static int order_watch_start(struct order_watch *w, const char *bdf)
{
	cpu_set_t cpu0, cpu1;
	pthread_attr_t attr;
	char path[128];
	int ret;

	memset(w, 0, sizeof(*w));
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	CPU_ZERO(&cpu1);
	CPU_SET(1, &cpu1);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	if (sched_getaffinity(0, sizeof(w->was), &w->was) ||
	    sched_setaffinity(0, sizeof(cpu0), &cpu0))
		return -1;
	w->config = open(path, O_RDONLY);
	if (w->config < 0)
		return -1;
	w->before = free_ram();
	pthread_attr_init(&attr);
	ret = pthread_attr_setaffinity_np(&attr, sizeof(cpu1), &cpu1) ||
	      pthread_create(&w->thread, &attr, order_watcher, w);
	pthread_attr_destroy(&attr);
	if (ret) {
		close(w->config);
		return -1;
	}
	return 0;
}

static void order_watch_stop(struct order_watch *w)
{
	w->stop = 1;
	pthread_join(w->thread, NULL);
	close(w->config);
	sched_setaffinity(0, sizeof(w->was), &w->was);
}

FIXTURE(edu) {
	int fd;
	char bdf[32];
	volatile void *bar;
};

FIXTURE_SETUP(edu)
{
	self->bar = MAP_FAILED;
	self->fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, self->bdf,
				 sizeof(self->bdf));
	ASSERT_LE(0, self->fd) TH_LOG("no edu bound to uiox on the root bus");
	self->bar = uiox_map(self->fd, 0, EDU_BAR0_SIZE);
	ASSERT_NE(MAP_FAILED, self->bar);
	ASSERT_EQ(0, uiox_dma_mask(self->fd, EDU_DMA_BITS));
}

FIXTURE_TEARDOWN(edu)
{
	if (self->bar != MAP_FAILED)
		munmap((void *)self->bar, EDU_BAR0_SIZE);
	if (self->fd >= 0) {
		uiox_bus_master(self->fd, 0);
		close(self->fd);
	}
}

/*
 * What the watcher saw in one round: the buffers came back, and it never
 * found bus mastering on after one had gone back.  Whether it looked while
 * they did (its reads between the first and the last) is returned: a
 * round in which it did not - its vCPU not run by the host just then -
 * shows nothing, and the case runs another (ORDER_ROUNDS at most).
 */
#define ORDER_ROUNDS	3

static int expect_off_before_free(struct __test_metadata *_metadata,
				  const struct order_watch *w)
{
	TH_LOG("watcher: %ld reads, %d while the buffers went back, %d wrong",
	       w->reads, w->inside, w->wrong);
	EXPECT_LE((long)ORDER_BUFS * ORDER_BUF_SIZE - ORDER_SLACK, w->back)
		TH_LOG("the buffers' memory did not come back");
	EXPECT_EQ(0, w->wrong)
		TH_LOG("bus mastering on after a buffer had gone back");
	return w->inside;
}

/* After an unbind: bind edu again, open and map it. */
static void rebind(struct __test_metadata *_metadata, FIXTURE_DATA(edu) *self)
{
	munmap((void *)self->bar, EDU_BAR0_SIZE);
	self->bar = MAP_FAILED;
	close(self->fd);
	ASSERT_EQ(0, uiox_probe("pci", self->bdf));
	self->fd = uiox_open(self->bdf, 0);
	ASSERT_LE(0, self->fd);
	self->bar = uiox_map(self->fd, 0, EDU_BAR0_SIZE);
	ASSERT_NE(MAP_FAILED, self->bar);
}

TEST_F(edu, bad_requests_get_clean_errors)
{
	struct uiox_dma_alloc a = { .argsz = sizeof(a), .size = 4096 };
	struct uiox_dma_free f = { .argsz = sizeof(f), .id = 12345 };
	struct uiox_dma_mask m = { .argsz = sizeof(m) };
	void *ro;

	a.size = 0;
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_DMA_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	a.size = UIOX_DMA_MAX_SIZE + 1;
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_DMA_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	a.size = 4096;
	a.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_DMA_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	a.flags = 0;
	a.argsz = offsetof(struct uiox_dma_alloc, id);
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_DMA_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_DMA_ALLOC, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	a.argsz = sizeof(a);

	/* a read-only argument: the answer cannot go back, nothing is kept */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	memcpy(ro, &a, sizeof(a));
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_DMA_ALLOC, ro));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, dma_bytes(self->bdf));
	munmap(ro, 4096);

	EXPECT_EQ(-1, ioctl(self->fd, UIOX_DMA_FREE, &f));
	EXPECT_EQ(ENOENT, errno);

	EXPECT_EQ(-1, ioctl(self->fd, UIOX_SET_DMA_MASK, &m));
	EXPECT_EQ(EINVAL, errno);
	m.bits = 65;
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_SET_DMA_MASK, &m));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(edu, buffer_is_zeroed_shared_bounded_and_never_executable)
{
	const size_t pg = getpagesize();
	struct uiox_dma_alloc a;
	unsigned char *p;
	size_t i;

	/* a page and a bit: two pages (5000 bytes with 4 KiB pages) */
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, pg + 904, &a));
	EXPECT_EQ(2 * pg, a.size);
	EXPECT_EQ(2 * pg, dma_bytes(self->bdf));
	EXPECT_EQ(0, a.iova % pg);
	EXPECT_GT(1ULL << EDU_DMA_BITS, a.iova + a.size - 1);
	EXPECT_EQ(0, a.offset % pg);

	p = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 (off_t)a.offset);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < a.size && !p[i]; i++)
		;
	EXPECT_EQ(a.size, i) TH_LOG("byte %zu of a new buffer is not 0", i);
	p[a.size - 1] = 0x5a;
	EXPECT_EQ(-1, mprotect(p, a.size, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	munmap(p, a.size);

	EXPECT_EQ(EINVAL, try_mmap(self->fd, a.size, PROT_READ, MAP_PRIVATE,
				   a.offset));
	EXPECT_EQ(EPERM, try_mmap(self->fd, a.size, PROT_READ | PROT_EXEC,
				  MAP_SHARED, a.offset));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, a.size + pg, PROT_READ,
				   MAP_SHARED, a.offset));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, pg, PROT_READ, MAP_SHARED,
				   a.offset + a.size));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, pg, PROT_READ, MAP_SHARED,
				   a.offset | UIOX_OFFSET_WC));
	/* the second page alone, and what was written is still there */
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, self->fd,
		 (off_t)a.offset + pg);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0x5a, p[pg - 1]);
	munmap(p, pg);

	EXPECT_EQ(0, uiox_dma_free(self->fd, a.id));
	EXPECT_EQ(0, dma_bytes(self->bdf));
	EXPECT_EQ(-1, uiox_dma_free(self->fd, a.id));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(EINVAL, try_mmap(self->fd, pg, PROT_READ, MAP_SHARED,
				   a.offset));
}

/* The device's IOMMU domain type ("DMA-FQ", "identity", ...): 0, or -1 (none). */
static int iommu_type(const char *bdf, char *type, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group/type", bdf);
	return sysfs_read(path, type, len);
}

static int translates(const char *type)
{
	return !strcmp(type, "DMA") || !strcmp(type, "DMA-FQ");
}

/*
 * An IOMMU translates the device's DMA: its group's domain is a DMA one,
 * whether or not uiox lets userspace use it (without interrupt remapping
 * it needs the unsafe opt-in, but the iova is still no physical address).
 */
static int translated(const char *bdf)
{
	char type[32];

	return !iommu_type(bdf, type, sizeof(type)) && translates(type);
}

/*
 * Zeroed also when the memory was someone's dirty buffer a moment ago:
 * alloc, check, dirty, free, round after round.  Without an IOMMU the
 * iova is the physical address, and the allocator must be seen handing
 * the same memory back at least once; every buffer must be all 0.
 */
TEST_F(edu, a_reused_dirty_buffer_comes_back_zeroed)
{
	uint64_t seen[16];
	int round, k, reused = 0;

	for (round = 0; round < 16; round++) {
		struct uiox_dma_alloc a;
		unsigned char *p;
		size_t i;

		ASSERT_EQ(0, uiox_dma_alloc(self->fd, 8192, &a));
		p = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, (off_t)a.offset);
		ASSERT_NE(MAP_FAILED, p);
		for (i = 0; i < a.size && !p[i]; i++)
			;
		EXPECT_EQ(a.size, i) TH_LOG("round %d: byte %zu is not 0", round, i);
		memset(p, 0xa5, a.size);
		munmap(p, a.size);
		for (k = 0; k < round; k++)
			reused += seen[k] == a.iova;
		seen[round] = a.iova;
		ASSERT_EQ(0, uiox_dma_free(self->fd, a.id));
	}
	if (!translated(self->bdf))
		EXPECT_LT(0, reused) TH_LOG("no buffer's memory came back: nothing shown");
}

/*
 * Every buffer within the 28 bits edu drives, where the allocator would
 * go higher without the mask: without an IOMMU, 16 buffers of 256 KiB land
 * past 256 MiB of the guest's 512 MiB (seen with SET_DMA_MASK made a
 * no-op); behind one, IOVAs come from the top of the 32-bit default.
 */
TEST_F(edu, every_buffer_stays_inside_a_28_bit_mask)
{
	const size_t size = 256 << 10;
	struct uiox_dma_alloc a[16];
	int i;

	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, uiox_dma_alloc(self->fd, size, &a[i]));
		EXPECT_GE(1ULL << EDU_DMA_BITS, a[i].iova + a[i].size) {
			TH_LOG("buffer %d at iova 0x%llx", i,
			       (unsigned long long)a[i].iova);
		}
	}
	for (i = 0; i < 16; i++)
		EXPECT_EQ(0, uiox_dma_free(self->fd, a[i].id));
}

TEST_F(edu, device_copies_between_two_buffers)
{
	struct uiox_dma_alloc a, b;
	unsigned char *pa, *pb;
	size_t i;

	ASSERT_EQ(0, uiox_dma_alloc(self->fd, EDU_DMA_SIZE, &a));
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, EDU_DMA_SIZE, &b));
	pa = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		  (off_t)a.offset);
	pb = mmap(NULL, b.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		  (off_t)b.offset);
	ASSERT_NE(MAP_FAILED, pa);
	ASSERT_NE(MAP_FAILED, pb);
	for (i = 0; i < EDU_DMA_SIZE; i++)
		pa[i] = (unsigned char)(i * 7 + 3);
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));

	ASSERT_EQ(0, edu_dma(self->bar, a.iova, EDU_DMA_BUF, EDU_DMA_LEN,
			     EDU_DMA_FROM_RAM));
	ASSERT_EQ(0, edu_dma(self->bar, EDU_DMA_BUF, b.iova, EDU_DMA_LEN,
			     EDU_DMA_TO_RAM));
	for (i = 0; i < EDU_DMA_LEN && pb[i] == pa[i]; i++)
		;
	EXPECT_EQ(EDU_DMA_LEN, i) TH_LOG("copy differs at byte %zu", i);

	munmap(pa, a.size);
	munmap(pb, b.size);
	EXPECT_EQ(0, uiox_dma_free(self->fd, a.id));
	EXPECT_EQ(0, uiox_dma_free(self->fd, b.id));
}

TEST_F(edu, freed_buffer_mappings_raise_sigbus)
{
	volatile unsigned char *own, *other;
	struct uiox_dma_alloc a;
	int fd2;

	fd2 = uiox_open(self->bdf, 0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, 4096, &a));
	own = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   (off_t)a.offset);
	other = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2, (off_t)a.offset);
	ASSERT_NE(MAP_FAILED, own);
	ASSERT_NE(MAP_FAILED, other);
	own[0] = 0xa5;
	EXPECT_EQ(0xa5, other[0]);
	close(fd2);	/* its mapping keeps the file */

	ASSERT_EQ(0, uiox_dma_free(self->fd, a.id));
	EXPECT_EQ(128 + SIGBUS, exit_code(touch_in_child(own)));
	EXPECT_EQ(128 + SIGBUS, exit_code(touch_in_child(other)));

	/* the id is given again; the old mappings still fault */
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, 4096, &a));
	EXPECT_EQ(128 + SIGBUS, exit_code(touch_in_child(own)));
	munmap((void *)own, 4096);
	munmap((void *)other, 4096);
	EXPECT_EQ(0, uiox_dma_free(self->fd, a.id));
}

TEST_F(edu, closing_the_owner_frees_and_stops_bus_mastering)
{
	volatile unsigned char *p;
	struct uiox_dma_alloc a, b;
	int fd2;

	fd2 = uiox_open(self->bdf, 0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, uiox_dma_alloc(fd2, 4096, &a));
	ASSERT_EQ(0, uiox_dma_alloc(fd2, 4096, &b));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, (off_t)a.offset);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, p[0]);
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
	ASSERT_EQ(PCI_COMMAND_MASTER, pci_command(self->bdf) & PCI_COMMAND_MASTER);

	EXPECT_EQ(2 * getpagesize(), dma_bytes(self->bdf));
	close(fd2);
	EXPECT_EQ(0, pci_command(self->bdf) & PCI_COMMAND_MASTER);
	EXPECT_EQ(0, dma_bytes(self->bdf));
	EXPECT_EQ(-1, uiox_dma_free(self->fd, a.id));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, uiox_dma_free(self->fd, b.id));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(128 + SIGBUS, exit_code(touch_in_child(p)));
	munmap((void *)p, 4096);

	/* a file that holds no buffers leaves bus mastering alone */
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
	fd2 = uiox_open(self->bdf, 0);
	ASSERT_LE(0, fd2);
	close(fd2);
	EXPECT_EQ(PCI_COMMAND_MASTER, pci_command(self->bdf) & PCI_COMMAND_MASTER);
}

/*
 * A transfer in flight when the owner closes: edu starts a DMA 100 ms
 * after the command, by when close() has turned bus mastering off, so the
 * transfer from the closed file's buffer brings none of it into edu (a
 * read with bus mastering off gets no memory).  The readback is shown to
 * work first.
 */
TEST_F(edu, close_turns_bus_mastering_off_under_a_transfer_in_flight)
{
	struct uiox_dma_alloc a, b;
	unsigned char *pa, *pb;
	int fd2, i, copied = 0;

	ASSERT_EQ(0, uiox_dma_alloc(self->fd, EDU_DMA_SIZE, &b));
	pb = mmap(NULL, b.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		  (off_t)b.offset);
	ASSERT_NE(MAP_FAILED, pb);
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
	memset(pb, 0x11, EDU_DMA_LEN);		/* edu's buffer: all 0x11 */
	ASSERT_EQ(0, edu_dma(self->bar, b.iova, EDU_DMA_BUF, EDU_DMA_LEN,
			     EDU_DMA_FROM_RAM));
	memset(pb, 0, EDU_DMA_LEN);
	ASSERT_EQ(0, edu_dma(self->bar, EDU_DMA_BUF, b.iova, EDU_DMA_LEN,
			     EDU_DMA_TO_RAM));
	ASSERT_EQ(0x11, pb[0]);
	ASSERT_EQ(0x11, pb[EDU_DMA_LEN - 1]);

	fd2 = uiox_open(self->bdf, 0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, uiox_dma_alloc(fd2, EDU_DMA_SIZE, &a));
	pa = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd2,
		  (off_t)a.offset);
	ASSERT_NE(MAP_FAILED, pa);
	memset(pa, 0x77, EDU_DMA_LEN);
	munmap(pa, a.size);
	edu_dma_start(self->bar, a.iova, EDU_DMA_BUF, EDU_DMA_LEN, EDU_DMA_FROM_RAM);
	close(fd2);
	EXPECT_EQ(EDU_DMA_RUN, rd32(self->bar, EDU_REG_DMA_CMD) & EDU_DMA_RUN) {
		TH_LOG("the transfer was over before close() returned: nothing shown");
	}
	EXPECT_EQ(0, pci_command(self->bdf) & PCI_COMMAND_MASTER);
	edu_dma_wait(self->bar);

	/* what edu holds now: none of the closed file's 0x77 */
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
	memset(pb, 0, EDU_DMA_LEN);
	ASSERT_EQ(0, edu_dma(self->bar, EDU_DMA_BUF, b.iova, EDU_DMA_LEN,
			     EDU_DMA_TO_RAM));
	for (i = 0; i < EDU_DMA_LEN; i++)
		copied += pb[i] == 0x77;
	EXPECT_EQ(0, copied);
	munmap(pb, b.size);
	EXPECT_EQ(0, uiox_dma_free(self->fd, b.id));
}

/*
 * SET_DMA_MASK: a mask no memory fits is EIO where the platform decides
 * (no IOMMU: dma-direct); behind an IOMMU any mask is taken.  The largest
 * buffer, UIOX_DMA_MAX_SIZE, is given whole, within a 32-bit mask.
 */
TEST_F(edu, mask_eio_and_the_largest_buffer)
{
	struct uiox_dma_alloc a;
	unsigned char *p;

	if (translated(self->bdf)) {
		EXPECT_EQ(0, uiox_dma_mask(self->fd, 8));
	} else {
		EXPECT_EQ(-1, uiox_dma_mask(self->fd, 8));
		EXPECT_EQ(EIO, errno);
	}
	ASSERT_EQ(0, uiox_dma_mask(self->fd, 32));
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, UIOX_DMA_MAX_SIZE, &a));
	EXPECT_EQ(UIOX_DMA_MAX_SIZE, a.size);
	EXPECT_GE(1ULL << 32, a.iova + a.size);
	p = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 (off_t)a.offset);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, p[0]);
	EXPECT_EQ(0, p[a.size - 1]);
	p[a.size - 1] = 1;
	munmap(p, a.size);
	EXPECT_EQ(UIOX_DMA_MAX_SIZE, dma_bytes(self->bdf));
	EXPECT_EQ(0, uiox_dma_free(self->fd, a.id));
}

/* The PCI core's view of the device's DMA mask, in bits; -1 on error. */
static int dma_mask_bits(const char *bdf)
{
	char path[128], buf[16];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/dma_mask_bits", bdf);
	return sysfs_read(path, buf, sizeof(buf)) ? -1 : atoi(buf);
}

/*
 * SET_DMA_MASK sets the device's mask, and a device bound afresh has the
 * 32-bit default again, whatever the binding before it set.
 */
TEST_F(edu, a_new_binding_has_the_32_bit_default_mask)
{
	EXPECT_EQ(EDU_DMA_BITS, dma_mask_bits(self->bdf));	/* the fixture's */
	munmap((void *)self->bar, EDU_BAR0_SIZE);
	self->bar = MAP_FAILED;
	close(self->fd);
	ASSERT_EQ(0, uiox_rebind(self->bdf));
	self->fd = uiox_open(self->bdf, 0);
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(32, dma_mask_bits(self->bdf));
}

/*
 * remove() with everything in use (an unbind, the file still open): the
 * vectors are freed (gone from /proc/interrupts), bus mastering is off,
 * and a transfer started just before from a buffer brings none of it into
 * edu.  Bound again afterwards.
 */
TEST_F(edu, unbind_frees_vectors_and_stops_bus_mastering_under_a_transfer_in_flight)
{
	struct uiox_dma_alloc a, b;
	char irq[96];
	unsigned char *p;
	int i, copied = 0;

	snprintf(irq, sizeof(irq), "uiox[%s]-msi0", self->bdf);
	ASSERT_EQ(0, uiox_set_irq_mode(self->fd, UIOX_IRQ_MSI, 1));
	EXPECT_LE(0, irq_count(irq)) TH_LOG("no %s in /proc/interrupts", irq);
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, EDU_DMA_SIZE, &a));
	p = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 (off_t)a.offset);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0x11, EDU_DMA_LEN);
	ASSERT_EQ(0, edu_dma(self->bar, a.iova, EDU_DMA_BUF, EDU_DMA_LEN,
			     EDU_DMA_FROM_RAM));	/* edu holds 0x11 */
	memset(p, 0x77, EDU_DMA_LEN);
	munmap(p, a.size);

	edu_dma_start(self->bar, a.iova, EDU_DMA_BUF, EDU_DMA_LEN, EDU_DMA_FROM_RAM);
	ASSERT_EQ(0, uiox_unbind("pci", self->bdf));
	EXPECT_EQ(-1, irq_count(irq));
	EXPECT_EQ(0, pci_command(self->bdf) & PCI_COMMAND_MASTER);
	rebind(_metadata, self);
	edu_dma_wait(self->bar);
	ASSERT_EQ(0, uiox_dma_mask(self->fd, EDU_DMA_BITS));
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, EDU_DMA_SIZE, &b));
	p = mmap(NULL, b.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 (off_t)b.offset);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, edu_dma(self->bar, EDU_DMA_BUF, b.iova, EDU_DMA_LEN,
			     EDU_DMA_TO_RAM));
	for (i = 0; i < EDU_DMA_LEN; i++)
		copied += p[i] == 0x77;
	EXPECT_EQ(0, copied) TH_LOG("edu read the buffer after remove() freed it");
	munmap(p, b.size);
	EXPECT_EQ(0, uiox_dma_free(self->fd, b.id));
}

/*
 * Closing the file that holds buffers turns bus mastering off before the
 * first of them goes back (the watcher above).
 */
TEST_F(edu, close_turns_bus_mastering_off_before_the_first_buffer_goes_back)
{
	struct order_watch w;
	int fd2, round, shown = 0;

	ASSERT_EQ(0, uiox_dma_mask(self->fd, 32));	/* room for them all */
	for (round = 0; round < ORDER_ROUNDS && !shown; round++) {
		fd2 = uiox_open(self->bdf, 0);
		ASSERT_LE(0, fd2);
		ASSERT_EQ(0, order_buffers(fd2));
		ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
		ASSERT_EQ(0, order_watch_start(&w, self->bdf));
		close(fd2);
		order_watch_stop(&w);
		shown = expect_off_before_free(_metadata, &w);
	}
	EXPECT_LT(0, shown) TH_LOG("in %d rounds no read while the buffers went back", round);
}

/* So does remove() (an unbind with the file open).  Bound again after. */
TEST_F(edu, unbind_turns_bus_mastering_off_before_the_first_buffer_goes_back)
{
	struct order_watch w;
	int round, shown = 0;

	for (round = 0; round < ORDER_ROUNDS && !shown; round++) {
		ASSERT_EQ(0, uiox_dma_mask(self->fd, 32));
		ASSERT_EQ(0, order_buffers(self->fd));
		ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
		ASSERT_EQ(0, order_watch_start(&w, self->bdf));
		ASSERT_EQ(0, uiox_unbind("pci", self->bdf));
		order_watch_stop(&w);
		shown = expect_off_before_free(_metadata, &w);
		rebind(_metadata, self);
	}
	EXPECT_LT(0, shown) TH_LOG("in %d rounds no read while the buffers went back", round);
}

/* Only the file that allocated a buffer frees it: ENOENT for another. */
TEST_F(edu, another_file_cannot_free_a_buffer)
{
	struct uiox_dma_alloc a;
	int fd2 = uiox_open(self->bdf, 0);

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, uiox_dma_alloc(fd2, 4096, &a));
	EXPECT_EQ(-1, uiox_dma_free(self->fd, a.id));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(getpagesize(), dma_bytes(self->bdf));
	EXPECT_EQ(0, uiox_dma_free(fd2, a.id));
	EXPECT_EQ(0, dma_bytes(self->bdf));
	close(fd2);
}

TEST_F(edu, limit_gives_enospc)
{
	struct uiox_dma_alloc a, b;
	char old[32];

	ASSERT_EQ(0, sysfs_read(DMA_LIMIT_PARAM, old, sizeof(old)));
	ASSERT_EQ(0, sysfs_write(DMA_LIMIT_PARAM, "1"));
	EXPECT_EQ(-1, uiox_dma_alloc(self->fd, 2 << 20, &a));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(0, uiox_dma_alloc(self->fd, 768 << 10, &a));
	EXPECT_EQ(-1, uiox_dma_alloc(self->fd, 512 << 10, &b));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(0, uiox_dma_alloc(self->fd, 256 << 10, &b));
	EXPECT_EQ(0, uiox_dma_free(self->fd, a.id));
	EXPECT_EQ(0, uiox_dma_free(self->fd, b.id));
	EXPECT_EQ(0, uiox_dma_alloc(self->fd, 1 << 20, &a));
	EXPECT_EQ(0, uiox_dma_free(self->fd, a.id));
	EXPECT_EQ(0, sysfs_write(DMA_LIMIT_PARAM, old));
}

/* Reset needs edu behind the root port (a bus to reset). */
FIXTURE(edu_hp) {
	int fd;
};

FIXTURE_SETUP(edu_hp)
{
	char bdf[32];

	self->fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, BEHIND_BRIDGE, bdf,
				 sizeof(bdf));
	ASSERT_LE(0, self->fd) TH_LOG("no edu behind a root port bound to uiox");
}

FIXTURE_TEARDOWN(edu_hp)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(edu_hp, reset_keeps_buffers_and_their_mappings_fault_back)
{
	struct uiox_reset r = { .argsz = sizeof(r) };
	struct uiox_dma_alloc a;
	volatile uint32_t *p;

	ASSERT_EQ(0, uiox_dma_mask(self->fd, EDU_DMA_BITS));
	ASSERT_EQ(0, uiox_dma_alloc(self->fd, 4096, &a));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 (off_t)a.offset);
	ASSERT_NE(MAP_FAILED, p);
	p[7] = 0xfeedf00d;
	ASSERT_EQ(0, ioctl(self->fd, UIOX_RESET, &r));
	EXPECT_EQ(0xfeedf00d, p[7]);
	munmap((void *)p, 4096);
	EXPECT_EQ(0, uiox_dma_free(self->fd, a.id));
}

/* Bus mastering left on by whoever had the device is off once uiox binds. */
TEST(bind_turns_off_bus_mastering_left_on)
{
	char bdf[64], path[256];
	uint16_t cmd;
	int cfg;

	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, 0, bdf,
			      sizeof(bdf)));
	ASSERT_EQ(0, uiox_unbind("pci", bdf));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	cfg = open(path, O_RDWR);
	ASSERT_LE(0, cfg);
	ASSERT_EQ(2, pread(cfg, &cmd, 2, 4));
	cmd |= PCI_COMMAND_MASTER;
	ASSERT_EQ(2, pwrite(cfg, &cmd, 2, 4));
	close(cfg);
	ASSERT_EQ(PCI_COMMAND_MASTER, pci_command(bdf) & PCI_COMMAND_MASTER);

	ASSERT_EQ(0, uiox_probe("pci", bdf));
	EXPECT_EQ(0, pci_command(bdf) & PCI_COMMAND_MASTER);
	/* bound in its default mode, INTx, whose handler is installed */
	EXPECT_EQ(0, pci_command(bdf) & PCI_COMMAND_INTX_DISABLE);
}

/* ---- the privilege model --------------------------------------- */

#define TAINT_USER_BIT	(1 << 6)

/*
 * Why the device's DMA is not confined, as the stub words it, from what the
 * kernel shows: no IOMMU, a domain that passes addresses through
 * (iommu=pt), or MSI not isolated (interrupt remapping off); "" when it is
 * confined (the root-bus edu's group holds nothing else).
 */
static void unconfined_reason(const char *bdf, char *why, size_t len)
{
	char type[32];

	if (iommu_type(bdf, type, sizeof(type)))
		snprintf(why, len, "no IOMMU");
	else if (!translates(type))
		snprintf(why, len, "IOMMU domain %s does not translate", type);
	else if (!msi_isolated())
		snprintf(why, len, "MSI not isolated (no interrupt remapping)");
	else
		why[0] = '\0';
}

static long tainted(void)
{
	char buf[32];

	return sysfs_read("/proc/sys/kernel/tainted", buf, sizeof(buf)) ? -1 :
	       strtol(buf, NULL, 0);
}

/* Child: drop CAP_SYS_RAWIO, then try to turn bus mastering on. */
static int bus_master_without_rawio(int fd)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	pid_t pid = fork();

	if (pid == 0) {
		if (syscall(SYS_capget, &h, d))
			_exit(CHILD_SETUP_FAILED);
		d[0].effective &= ~(1u << CAP_SYS_RAWIO);
		if (syscall(SYS_capset, &h, d))
			_exit(CHILD_SETUP_FAILED);
		_exit(uiox_bus_master(fd, 1) == -1 && errno == EPERM ?
		      CHILD_OK : CHILD_WRONG_RESULT);
	}
	return exit_code(pid);
}

TEST(privilege_model_for_bus_mastering_and_dma)
{
	char bdf[64], node[128], was[8], verdict[192], marker[64];
	char why[96], want[192];
	struct uiox_dma_alloc a;
	long taint_before;
	int fd, other;

	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, 0, bdf,
			      sizeof(bdf)));
	ASSERT_EQ(0, sysfs_read(UNSAFE_PARAM, was, sizeof(was)));
	/* a fresh binding: the kernel log notes once per bound device */
	ASSERT_EQ(0, uiox_rebind(bdf));
	snprintf(marker, sizeof(marker), "uiox-selftest: privilege %ld\n",
		 now_ms());
	/* with its newline, or the record stays open and unread */
	ASSERT_EQ(0, sysfs_write("/dev/kmsg", marker));
	marker[strlen(marker) - 1] = '\0';
	taint_before = tainted();
	fd = uiox_open(bdf, 0);
	ASSERT_LE(0, fd);
	snprintf(node, sizeof(node), "/sys/class/uiox/%s/dma", bdf);

	ASSERT_EQ(0, sysfs_write(UNSAFE_PARAM, "0"));
	unconfined_reason(bdf, why, sizeof(why));
	if (!why[0]) {
		TH_LOG("%s is behind a translating IOMMU", bdf);
		EXPECT_EQ(0, uiox_bus_master(fd, 1));
		EXPECT_EQ(0, uiox_dma_alloc(fd, 4096, &a));
		EXPECT_EQ(0, uiox_dma_free(fd, a.id));
		ASSERT_EQ(0, sysfs_read(node, verdict, sizeof(verdict)));
		EXPECT_EQ(0, strncmp(verdict, "iommu DMA", 9)) TH_LOG("%s", verdict);
		EXPECT_EQ(taint_before & TAINT_USER_BIT, tainted() & TAINT_USER_BIT);
		EXPECT_EQ(0, kernel_log_count(marker, bdf, "not confined"));
		goto out;
	}

	TH_LOG("%s: %s", bdf, why);
	EXPECT_EQ(-1, uiox_bus_master(fd, 1));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, uiox_dma_alloc(fd, 4096, &a));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, uiox_bus_master(fd, 0));	/* off: always */
	ASSERT_EQ(0, sysfs_read(node, verdict, sizeof(verdict)));
	snprintf(want, sizeof(want), "denied: %s, allow_unsafe_dma off", why);
	EXPECT_STREQ(want, verdict);
	EXPECT_EQ(0, pci_command(bdf) & PCI_COMMAND_MASTER);
	snprintf(want, sizeof(want), "bus mastering and DMA refused: %s", why);
	EXPECT_LE(1, kernel_log_count(marker, bdf, want));

	ASSERT_EQ(0, sysfs_write(UNSAFE_PARAM, "1"));
	EXPECT_EQ(CHILD_OK, bus_master_without_rawio(fd));
	EXPECT_EQ(0, pci_command(bdf) & PCI_COMMAND_MASTER);
	EXPECT_EQ(0, kernel_log_count(marker, bdf, "not confined"));
	EXPECT_EQ(0, uiox_bus_master(fd, 1));
	EXPECT_EQ(0, uiox_bus_master(fd, 1));
	EXPECT_EQ(0, uiox_dma_alloc(fd, 4096, &a));
	EXPECT_EQ(0, uiox_dma_free(fd, a.id));
	EXPECT_EQ(TAINT_USER_BIT, tainted() & TAINT_USER_BIT);
	EXPECT_EQ(1, kernel_log_count(marker, bdf, "DMA not confined by an IOMMU"));
	ASSERT_EQ(0, sysfs_read(node, verdict, sizeof(verdict)));
	snprintf(want, sizeof(want), "unsafe: %s, allow_unsafe_dma", why);
	EXPECT_STREQ(want, verdict);
	/* the permission was this file's: bus mastering goes off with it */
	other = uiox_open(bdf, 0);
	ASSERT_LE(0, other);
	EXPECT_EQ(0, uiox_bus_master(other, 1));
	EXPECT_EQ(PCI_COMMAND_MASTER, pci_command(bdf) & PCI_COMMAND_MASTER);
	close(other);
	EXPECT_EQ(0, pci_command(bdf) & PCI_COMMAND_MASTER);
out:
	uiox_bus_master(fd, 0);
	close(fd);
	EXPECT_EQ(0, sysfs_write(UNSAFE_PARAM, was));
}

TEST_HARNESS_MAIN
