// SPDX-License-Identifier: GPL-2.0
/*
 * uiox hostile-caller selftest: the stub must never trust userspace.
 *
 *   - mmap and the UIO protocol fuzzed: random offsets, lengths, flags and
 *     protections, each result the one the region table predicts, no PAT
 *     reservation left; read()/write() of every size with faulting buffers.
 *   - ioctl fuzzing: every uiox ioctl, and random command numbers, with
 *     random contents, random argsz, and pointers that fault part-way; each
 *     call fails with an errno its ioctl documents or returns what the
 *     device is, writing nothing past argsz; afterwards the device reads its
 *     ID, raises an interrupt that arrives, holds no DMA memory and has its
 *     openers back.  (Bus mastering is never turned
 *     on here: random register writes to a device that may master the bus
 *     could make it DMA into guest memory - that is the IOMMU's job, not the
 *     stub's.)
 *   - the root-writable sysfs files written with random contents;
 *   - kill -9 in the middle of a wait, a DMA, a fault storm and mode
 *     changes: nothing left behind;
 *   - concurrent callers: threads changing the interrupt mode, opening and
 *     reading vector files, unmasking and waiting, mapping and unmapping,
 *     raising interrupts and reading sysfs, allocating DMA buffers, all at
 *     once on one device; and once more on the edu behind the root port
 *     with a thread resetting it meanwhile.
 *
 * Racing MSI teardown against a device that keeps raising may make the
 * kernel log "unexpected IRQ trap at vector N": a message already in flight
 * when the vector was freed, acked by the kernel's own handler.  That is
 * expected; a warning or an oops is not.
 *
 * The guest's kernel log is scanned by the rig afterwards (and the debug
 * kernel of `make check-debug` adds lockdep and KASAN), so a splat fails the
 * run even when every call returned a clean errno.
 *
 * Needs edu on the root bus and behind the root port, e1000e and ivshmem
 * bound to uiox.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "kselftest_harness.h"
#include "uiox_test.h"
#include "uiox_fuzz.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

/* e1000e: cause TXDW (bit 0) enabled and set; ack clears and masks it. */
static void e1000e_raise(volatile void *bar)
{
	wr32(bar, E1000E_IMS, 1);
	wr32(bar, E1000E_ICS, 1);
}

static void e1000e_ack(volatile void *bar)
{
	wr32(bar, E1000E_IMC, ~0u);
	wr32(bar, E1000E_ICR, ~0u);
	(void)rd32(bar, E1000E_ICR);
}

/* Random ioctls on edu and e1000e; both whole afterwards. */
static void fuzz_device(struct __test_metadata *_metadata,
			const struct fuzz_target *t)
{
	long openers = uiox_attr_num(t->name, "openers");
	int fd;

	fd = uiox_open(t->name, 0);
	ASSERT_LE(0, fd) {
		TH_LOG("%s is not bound to uiox", t->name);
	}
	fuzz_ioctls(_metadata, fd, t->name, fuzz_calls(20000));
	EXPECT_EQ(0, uiox_bus_master(fd, 0));
	fuzz_device_whole(_metadata, fd, t, openers + 1);
	close(fd);
	EXPECT_EQ(openers, uiox_attr_num(t->name, "openers"));
}

/*
 * The fuzzers may run for minutes when UIOX_FUZZ_SCALE asks for more
 * calls (make soak): not the harness's 30 s per TEST, but 30 minutes;
 * vmrun's limit still holds.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	1800
TEST(ioctl_fuzz)
{
	char edu[64], nic[64];
	struct fuzz_target t[] = {
		{ edu, EDU_REG_ID, EDU_ID, edu_raise, edu_ack },
		/* receive address 0: QEMU's default MAC, 52:54:00:12:34:56 */
		{ nic, E1000E_RAL0, 0x12005452, e1000e_raise, e1000e_ack },
	};

	seed(_metadata);
	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, 0, edu,
			      sizeof(edu)));
	ASSERT_EQ(0, pci_find(E1000E_VENDOR, E1000E_DEVICE, ANY_BUS, 0, nic,
			      sizeof(nic)));
	fuzz_device(_metadata, &t[0]);
	fuzz_device(_metadata, &t[1]);
}

/*
 * Memory-type reservations (x86 PAT) overlapping any BAR of @bdf: the
 * stub's cache-mode pins, which must go with the last mapping.  arm64
 * keeps no such list (a mapping's type lives in its page tables alone):
 * there are none.
 */
#ifdef __x86_64__
#define HAVE_PAT	1
static int pat_entries(const char *bdf)
{
	unsigned long long start, end, bs, be, fl;
	char path[128], line[256];
	int n = 0;
	FILE *pat = fopen(PAT_LIST, "r");
	FILE *res;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	res = fopen(path, "r");
	if (!pat || !res) {
		n = -1;
		goto out;
	}
	while (fgets(line, sizeof(line), pat)) {
		if (sscanf(line, "PAT: [mem 0x%llx-0x%llx]", &start, &end) != 2)
			continue;
		rewind(res);
		while (fscanf(res, "%llx %llx %llx", &bs, &be, &fl) == 3)
			if (be && start <= be && bs < end)
				n++;
	}
out:
	if (pat)
		fclose(pat);
	if (res)
		fclose(res);
	return n;
}
#else
#define HAVE_PAT	0
static int pat_entries(const char *bdf)
{
	return 0;
}
#endif

/*
 * mmap on ivshmem (a prefetchable and a sub-page BAR, two DMA buffers),
 * no cache-mode reservation left behind; the UIO protocol on edu.
 */
TEST(mmap_and_uio_protocol_fuzz)
{
	struct uiox_dma_alloc bufs[2];
	struct fuzz_layout l;
	void *bar2;
	char bdf[64];
	int fd;

	seed(_metadata);
	fd = uiox_open_pci(IVSHMEM_VENDOR, IVSHMEM_DEVICE, ANY_BUS, bdf,
			   sizeof(bdf));
	ASSERT_LE(0, fd) {
		TH_LOG("no ivshmem bound to uiox");
	}
	ASSERT_EQ(0, uiox_dma_alloc(fd, 4096, &bufs[0]));
	ASSERT_EQ(0, uiox_dma_alloc(fd, 300 * 4096, &bufs[1]));
	fuzz_layout_get(_metadata, fd, &l, bufs, 2);
	/* the reservation check sees a live mapping's pin */
	bar2 = uiox_map(fd, 2, 4096);
	ASSERT_NE(MAP_FAILED, bar2);
	EXPECT_EQ(HAVE_PAT, pat_entries(bdf));
	munmap(bar2, 4096);
	EXPECT_EQ(0, pat_entries(bdf));

	fuzz_mmap(_metadata, fd, fuzz_calls(5000), &l, true);
	EXPECT_EQ(0, pat_entries(bdf));
	close(fd);

	fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, bdf, sizeof(bdf));
	ASSERT_LE(0, fd);
	fuzz_uio_protocol(_metadata, fd, fuzz_calls(5000));
	EXPECT_EQ(0, uio_unmask(fd, 1));	/* still INTx, still unmaskable */
	close(fd);
}

/*
 * Root-writable sysfs files with random contents: the device's irq_mode
 * and the module's irq_mode and intx_masking parameters.
 */
TEST(sysfs_fuzz)
{
	static const char * const words[] = {
		"none", "intx", "msi", "msix", "MSI", "intxx", "", " ", "\n",
		"y", "n", "1", "0", "on",
	};
	static const char * const nums[] = {
		"", " 0", " 1", " 2", " 5", " 32", " -1", " 4294967295",
		" 99999999999", " x", " 1 2", "\n", " 0x1",
	};
	char bdf[64], dev[128], line[64], mode[16];
	const char *files[3];
	int i, bad = 0, fd, calls;

	seed(_metadata);
	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, 0, bdf,
			      sizeof(bdf)));
	snprintf(dev, sizeof(dev), "/sys/class/uiox/%s/irq_mode", bdf);
	files[0] = dev;
	files[1] = "/sys/module/uiox/parameters/irq_mode";
	files[2] = "/sys/module/uiox/parameters/intx_masking";
	ASSERT_EQ(0, sysfs_read(files[1], mode, sizeof(mode)));

	calls = fuzz_calls(3000);
	for (i = 0; i < calls; i++) {
		const char *path = files[rnd() % 3];
		ssize_t n;

		snprintf(line, sizeof(line), "%s%s",
			 words[rnd() % ARRAY_SIZE(words)],
			 nums[rnd() % ARRAY_SIZE(nums)]);
		fd = open(path, O_WRONLY);
		ASSERT_LE(0, fd);
		n = write(fd, line, strlen(line));
		close(fd);
		if (n < 0 && errno != EINVAL && errno != EOPNOTSUPP &&
		    errno != EBUSY && errno != ENOSPC && bad++ < 5)
			TH_LOG("%s <- \"%s\": %s", path, line, strerror(errno));
		if (n >= 0 && n != (ssize_t)strlen(line) && bad++ < 5)
			TH_LOG("%s <- \"%s\": wrote %zd", path, line, n);
	}
	EXPECT_EQ(0, bad);
	TH_LOG("%d random sysfs writes", calls);

	/* Put back what the other tests expect. */
	EXPECT_EQ(0, sysfs_write(files[1], mode));
	EXPECT_EQ(0, sysfs_write(files[2], "1"));
	EXPECT_EQ(0, sysfs_write(dev, "intx"));
	ASSERT_EQ(0, sysfs_read(dev, line, sizeof(line)));
	EXPECT_STREQ("intx", line);
}

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	30

/* ---- concurrent callers ------------------------------------------ */

/* The racing threads, by the counter each keeps in struct race. */
enum { T_MODES, T_VECTOR_FILES, T_DEVICE_FILE, T_MAPS, T_RAISE, T_DMA,
       T_RESET, NTHREADS };

struct race {
	int fd;
	int resets;		/* the device has a reset method */
	int nbfd;		/* the same device, O_NONBLOCK */
	volatile void *bar;
	atomic_int stop;
	atomic_int bad;
	atomic_long rounds[NTHREADS];	/* loops each thread has done */
	char bdf[64];
	char last[96];
};

static void race_fail(struct race *r, const char *what, const char *why)
{
	if (atomic_fetch_add(&r->bad, 1) == 0)
		snprintf(r->last, sizeof(r->last), "%s: %s", what, why);
}

static void race_check(struct race *r, const char *what, int ret)
{
	if (ret == -1 && !errno_allowed(errno))
		race_fail(r, what, strerror(errno));
}

static void *race_modes(void *p)
{
	static const uint32_t modes[][2] = {
		{ UIOX_IRQ_INTX, 1 }, { UIOX_IRQ_MSI, 1 }, { UIOX_IRQ_NONE, 0 },
	};
	struct race *r = p;
	unsigned int i = 0;

	for (; !atomic_load(&r->stop);
	     atomic_fetch_add(&r->rounds[T_MODES], 1)) {
		race_check(r, "set mode",
			   uiox_set_irq_mode(r->fd, modes[i % 3][0],
					     modes[i % 3][1]));
		i++;
	}
	return NULL;
}

static void *race_vector_files(void *p)
{
	struct race *r = p;
	int32_t c;

	for (; !atomic_load(&r->stop);
	     atomic_fetch_add(&r->rounds[T_VECTOR_FILES], 1)) {
		int vfd = uiox_vector_fd(r->fd, 0, UIOX_FD_CLOEXEC |
						   UIOX_FD_NONBLOCK);

		race_check(r, "vector fd", vfd);
		if (vfd < 0)
			continue;
		race_check(r, "vector read", read(vfd, &c, sizeof(c)) < 0 ? -1 : 0);
		race_check(r, "vector unmask", uio_unmask(vfd, 1));
		readable_within(vfd, 0);
		close(vfd);
	}
	return NULL;
}

static void *race_device_file(void *p)
{
	struct race *r = p;
	struct uiox_irq_wait w;
	int32_t c;

	for (; !atomic_load(&r->stop);
	     atomic_fetch_add(&r->rounds[T_DEVICE_FILE], 1)) {
		memset(&w, 0, sizeof(w));
		w.argsz = sizeof(w);
		race_check(r, "unmask wait", ioctl(r->fd, UIOX_IRQ_UNMASK_WAIT, &w));
		race_check(r, "read", read(r->nbfd, &c, sizeof(c)) < 0 ? -1 : 0);
		readable_within(r->nbfd, 0);
	}
	return NULL;
}

static void *race_maps(void *p)
{
	struct race *r = p;
	char path[256], buf[256];

	snprintf(path, sizeof(path), "/sys/class/uiox/%s/irq_counts", r->bdf);
	for (; !atomic_load(&r->stop);
	     atomic_fetch_add(&r->rounds[T_MAPS], 1)) {
		volatile void *bar = uiox_map(r->fd, 0, 4096);

		race_check(r, "mmap", bar == MAP_FAILED ? -1 : 0);
		if (bar != MAP_FAILED) {
			if (rd32(bar, EDU_REG_ID) != EDU_ID)
				race_fail(r, "mapping", "wrong ID register");
			munmap((void *)bar, 4096);
		}
		race_check(r, "sysfs", sysfs_read(path, buf, sizeof(buf)));
	}
	return NULL;
}

static void *race_raise(void *p)
{
	struct race *r = p;

	for (; !atomic_load(&r->stop);
	     atomic_fetch_add(&r->rounds[T_RAISE], 1)) {
		wr32(r->bar, EDU_REG_IRQ_RAISE, 1);
		usleep(200);
		edu_ack(r->bar);
	}
	return NULL;
}

/*
 * DMA buffers allocated, mapped through the other file, written, freed;
 * every fourth one by a file of its own that closes with the buffer left
 * (which also turns bus mastering off).
 */
static void *race_dma(void *p)
{
	struct race *r = p;
	struct uiox_dma_alloc a;
	volatile uint32_t *m;
	int owner, ret;
	long n;

	for (; !atomic_load(&r->stop);
	     atomic_fetch_add(&r->rounds[T_DMA], 1)) {
		n = atomic_load(&r->rounds[T_DMA]);
		owner = n % 4 ? r->fd : uiox_open(r->bdf, 0);
		race_check(r, "open", owner);
		if (owner < 0)
			continue;
		ret = uiox_dma_alloc(owner, 4096 << (n % 3), &a);
		race_check(r, "dma alloc", ret);
		m = ret ? MAP_FAILED :
			  mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			       r->nbfd, (off_t)a.offset);
		if (!ret && m == MAP_FAILED)
			race_fail(r, "dma mmap", strerror(errno));
		if (m != MAP_FAILED) {
			m[1] = (uint32_t)n;
			if (m[1] != (uint32_t)n)
				race_fail(r, "dma buffer", "lost a write");
			munmap((void *)m, 4096);
		}
		if (owner != r->fd)
			close(owner);
		else if (!ret)
			race_check(r, "dma free", uiox_dma_free(r->fd, a.id));
	}
	return NULL;
}

/* Resets, each one serialised against all of the above; none without. */
static void *race_reset(void *p)
{
	struct uiox_reset req = { .argsz = sizeof(req) };
	struct race *r = p;
	int ret;

	for (; !atomic_load(&r->stop);
	     atomic_fetch_add(&r->rounds[T_RESET], 1)) {
		ret = ioctl(r->fd, UIOX_RESET, &req);
		if (!r->resets && !(ret == -1 && errno == ENOTTY))
			race_fail(r, "reset", "no ENOTTY without a reset method");
		else if (r->resets && ret == -1 && errno != EAGAIN)
			race_fail(r, "reset", strerror(errno));
		if (!r->resets)
			usleep(10000);
	}
	return NULL;
}

static void race_all(struct __test_metadata *_metadata, int where)
{
	void *(*fn[NTHREADS])(void *) = {
		[T_MODES] = race_modes, [T_VECTOR_FILES] = race_vector_files,
		[T_DEVICE_FILE] = race_device_file, [T_MAPS] = race_maps,
		[T_RAISE] = race_raise, [T_DMA] = race_dma,
		[T_RESET] = race_reset,
	};
	pthread_t t[NTHREADS];
	struct race r = { .resets = where == BEHIND_BRIDGE };
	unsigned int i;
	int ms;

	r.fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, where, r.bdf,
			     sizeof(r.bdf));
	ASSERT_LE(0, r.fd) {
		TH_LOG("no edu bound to uiox %s",
		       r.resets ? "behind the root port" : "on the root bus");
	}
	r.nbfd = uiox_open(r.bdf, O_NONBLOCK);
	ASSERT_LE(0, r.nbfd);
	r.bar = uiox_map(r.fd, 0, 4096);
	ASSERT_NE(MAP_FAILED, r.bar);
	ASSERT_EQ(0, uiox_bus_master(r.fd, 1));	/* MSI; edu DMA is not started */

	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, fn[i], &r));
	/* At least 2 s, and until every thread has done 20 rounds (20 s at most). */
	for (ms = 0; ms < 20000; ms += 100) {
		long least = atomic_load(&r.rounds[0]);

		for (i = 1; i < NTHREADS; i++)
			if (atomic_load(&r.rounds[i]) < least)
				least = atomic_load(&r.rounds[i]);
		if (ms >= 2000 && least >= 20)
			break;
		usleep(100000);
	}
	atomic_store(&r.stop, 1);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);

	EXPECT_EQ(0, atomic_load(&r.bad)) {
		TH_LOG("first unexpected failure: %s", r.last);
	}
	EXPECT_GT(20000, ms) {
		TH_LOG("rounds per thread after 20 s: %ld %ld %ld %ld %ld %ld %ld",
		       atomic_load(&r.rounds[0]), atomic_load(&r.rounds[1]),
		       atomic_load(&r.rounds[2]), atomic_load(&r.rounds[3]),
		       atomic_load(&r.rounds[4]), atomic_load(&r.rounds[5]),
		       atomic_load(&r.rounds[6]));
	}

	/* Afterwards INTx works end to end: a new set counts from 0. */
	edu_ack(r.bar);
	ASSERT_EQ(0, uiox_set_irq_mode(r.fd, UIOX_IRQ_INTX, 1));
	EXPECT_EQ(0, uiox_bus_master(r.fd, 0));
	EXPECT_EQ(0, readable_within(r.nbfd, 0));
	wr32(r.bar, EDU_REG_IRQ_RAISE, 1);
	EXPECT_EQ(1, readable_within(r.nbfd, 2000));
	EXPECT_EQ(1, uio_read_count(r.nbfd));
	edu_ack(r.bar);
	EXPECT_EQ(0, uio_unmask(r.nbfd, 1));
	munmap((void *)r.bar, 4096);
	close(r.nbfd);
	close(r.fd);
}

/* ---- kill -9 in the middle of a call ----------------------------- */

/* Children: each loops on one kind of call until it is killed. */
static void killed_in_wait(int fd, int ready)
{
	struct uiox_irq_wait w = { .argsz = sizeof(w), .timeout_ms = -1 };

	if (uiox_set_irq_mode(fd, UIOX_IRQ_INTX, 1) ||
	    write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	for (;;)
		ioctl(fd, UIOX_IRQ_UNMASK_WAIT, &w);
}

/* edu copying from a buffer, one transfer after another, bus master on. */
static void killed_in_dma(int fd, int ready)
{
	volatile void *bar = uiox_map(fd, 0, 4096);
	struct uiox_dma_alloc a;

	if (bar == MAP_FAILED || uiox_dma_mask(fd, EDU_DMA_BITS) ||
	    uiox_dma_alloc(fd, EDU_DMA_SIZE, &a) || uiox_bus_master(fd, 1))
		_exit(CHILD_SETUP_FAILED);
	edu_dma_start(bar, a.iova, EDU_DMA_BUF, EDU_DMA_LEN, EDU_DMA_FROM_RAM);
	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	for (;;) {
		edu_dma_wait(bar);
		edu_dma_start(bar, a.iova, EDU_DMA_BUF, EDU_DMA_LEN,
			      EDU_DMA_FROM_RAM);
	}
}

/*
 * Faults on the whole BAR: map, touch every page, unmap.  (edu takes 4-
 * and 8-byte accesses only: a byte read is a bus error on arm64.)
 */
static void killed_in_faults(int fd, int ready)
{
	const long pg = getpagesize();

	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	for (;;) {
		volatile void *bar = uiox_map(fd, 0, EDU_BAR0_SIZE);
		long off;

		if (bar == MAP_FAILED)
			_exit(CHILD_WRONG_RESULT);
		for (off = 0; off < EDU_BAR0_SIZE; off += pg)
			(void)rd32(bar, off);
		munmap((void *)bar, EDU_BAR0_SIZE);
	}
}

static void killed_in_mode_changes(int fd, int ready)
{
	static const uint32_t mode[] = { UIOX_IRQ_INTX, UIOX_IRQ_MSI,
					 UIOX_IRQ_NONE };
	unsigned int i;

	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	for (i = 0;; i++)
		uiox_set_irq_mode(fd, mode[i % 3], mode[i % 3] != UIOX_IRQ_NONE);
}

/*
 * A process killed with SIGKILL in the middle of a wait, a DMA, a fault
 * storm or a mode change leaves nothing behind: openers and dma_bytes
 * back where they were, bus mastering off, and the device's interrupt
 * works for the next opener.
 */
TEST(kill_9_mid_call_leaves_nothing_behind)
{
	static const struct {
		void (*fn)(int fd, int ready);
		const char *what;
	} victim[] = {
		{ killed_in_wait, "a wait" },
		{ killed_in_dma, "a DMA" },
		{ killed_in_faults, "a fault storm" },
		{ killed_in_mode_changes, "mode changes" },
	};
	volatile void *bar;
	unsigned int i;
	char bdf[64];
	long openers;
	pid_t pid;
	int fd;

	fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, bdf, sizeof(bdf));
	ASSERT_LE(0, fd) TH_LOG("no edu bound to uiox on the root bus");
	close(fd);
	openers = uiox_attr_num(bdf, "openers");
	ASSERT_LE(0, openers);
	for (i = 0; i < ARRAY_SIZE(victim); i++) {
		fd = uiox_open(bdf, 0);
		ASSERT_LE(0, fd);
		pid = spawn(victim[i].fn, fd);
		close(fd);
		ASSERT_LT(0, pid) TH_LOG("the child for %s did not start",
					 victim[i].what);
		usleep(300000);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		EXPECT_EQ(128 + SIGKILL, exit_code(pid))
			TH_LOG("the child in %s ended otherwise", victim[i].what);
		EXPECT_EQ(openers, uiox_attr_num(bdf, "openers"))
			TH_LOG("after %s", victim[i].what);
		EXPECT_EQ(0, uiox_attr_num(bdf, "dma_bytes"))
			TH_LOG("after %s", victim[i].what);
		EXPECT_EQ(0, pci_command(bdf) & PCI_COMMAND_MASTER)
			TH_LOG("after %s", victim[i].what);
	}

	fd = uiox_open(bdf, O_NONBLOCK);
	ASSERT_LE(0, fd);
	bar = uiox_map(fd, 0, 4096);
	ASSERT_NE(MAP_FAILED, bar);
	ASSERT_EQ(0, uiox_set_irq_mode(fd, UIOX_IRQ_INTX, 1));
	edu_raise(bar);
	EXPECT_EQ(1, readable_within(fd, 2000));
	EXPECT_LT(0, uio_read_count(fd));
	edu_ack(bar);
	EXPECT_EQ(0, uio_unmask(fd, 1));
	munmap((void *)bar, 4096);
	close(fd);
}

TEST(concurrent_callers)
{
	race_all(_metadata, ROOT_BUS);
}

TEST(concurrent_callers_and_resets)
{
	race_all(_metadata, BEHIND_BRIDGE);
}

TEST_HARNESS_MAIN
