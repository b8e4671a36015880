// SPDX-License-Identifier: GPL-2.0
/*
 * uiox hostile-caller selftest: the stub must never trust userspace.
 *
 *   - mmap and the UIO protocol fuzzed: random offsets, lengths, flags and
 *     protections; read()/write() of every size with faulting buffers.
 *   - ioctl fuzzing: every uiox ioctl, and random command numbers, with
 *     random contents, random argsz, and pointers that fault part-way; each
 *     call either succeeds or fails with an errno from the documented set,
 *     and the device still works afterwards.  (Bus mastering is never turned
 *     on here: random register writes to a device that may master the bus
 *     could make it DMA into guest memory - that is the IOMMU's job, not the
 *     stub's.)
 *   - concurrent callers: threads changing the interrupt mode, opening and
 *     reading vector files, unmasking and waiting, mapping and unmapping,
 *     raising interrupts and reading sysfs, all at once on one device.
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
 * Needs edu on the root bus, e1000e and ivshmem bound to uiox.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "kselftest_harness.h"
#include "uiox_test.h"

static const unsigned long uiox_ioctls[] = {
	UIOX_GET_DEVICE_INFO, UIOX_GET_REGION_INFO, UIOX_GET_IRQ_INFO,
	UIOX_SET_IRQ_MODE, UIOX_SET_IRQ_MASK, UIOX_GET_VECTOR_FD,
	UIOX_IRQ_UNMASK_WAIT, UIOX_SET_BUS_MASTER, UIOX_RESET, UIOX_PORT_IO,
};

#define NCMDS	(sizeof(uiox_ioctls) / sizeof(uiox_ioctls[0]))

/* Errors the UAPI documents for a present device. */
static int errno_allowed(int e)
{
	switch (e) {
	case EINVAL: case EFAULT: case ENOTTY: case EOPNOTSUPP: case EBUSY:
	case EAGAIN: case EIO: case ETIMEDOUT: case EBADFD: case ENOSPC:
		return 1;
	default:
		return 0;
	}
}

static uint32_t rnd(void)
{
	return (uint32_t)random();
}

/* Seed from UIOX_FUZZ_SEED to replay a run, else from the clock; logged. */
static void seed(struct __test_metadata *_metadata)
{
	const char *env = getenv("UIOX_FUZZ_SEED");
	unsigned int s = env ? (unsigned int)strtoul(env, NULL, 0) :
			       (unsigned int)time(NULL);

	TH_LOG("seed %u (UIOX_FUZZ_SEED=%u replays it)", s, s);
	srandom(s);
}

/*
 * One random call.  @arena is two pages, the second PROT_NONE, so an
 * argument placed near the end of the first faults part-way through.
 */
static int fuzz_one(int fd, char *arena, long page, unsigned long *cmd_out)
{
	static const uint32_t sizes[] = { 0, 1, 3, 4, 7, 8, 11, 12, 15, 16,
					  23, 24, 31, 32, 64, 4096, 0xffffffff };
	char *end = arena + page, *arg;
	unsigned long cmd;
	uint32_t argsz, v;
	int ret, i;

	cmd = rnd() % 8 ? uiox_ioctls[rnd() % NCMDS] :
			  _IOC(rnd() % 4, rnd() % 2 ? UIOX_MAGIC : rnd() & 0xff,
			       rnd() & 0xff, rnd() & 0x3fff);
	/* well inside the page, or 1..128 bytes before the hole */
	arg = rnd() % 2 ? arena + rnd() % 64 : end - 1 - rnd() % 128;
	for (i = 0; i < 32 && arg + 4 * i + 4 <= end; i++) {
		v = rnd();
		memcpy(arg + 4 * i, &v, 4);
	}
	argsz = rnd() % 4 ? sizes[rnd() % (sizeof(sizes) / sizeof(sizes[0]))] :
			    rnd();
	if (arg + 4 <= end)
		memcpy(arg, &argsz, 4);

	/* Keep every call short, and the device off the bus. */
	if (cmd == UIOX_IRQ_UNMASK_WAIT && arg + 12 <= end) {
		int32_t t = rnd() % 8 ? (int32_t)(rnd() % 3) :
					-2 - (int32_t)(rnd() % 100);

		memcpy(arg + 8, &t, 4);		/* 0..2 ms, or invalid */
	}
	if (cmd == UIOX_SET_BUS_MASTER && arg + 8 <= end) {
		v = rnd() % 2 ? 0 : 2 + rnd() % 100;
		memcpy(arg + 4, &v, 4);		/* off, or invalid */
	}
	if (rnd() % 64 == 0)
		arg = rnd() % 2 ? NULL : (char *)8;

	*cmd_out = cmd;
	ret = ioctl(fd, cmd, arg);
	if (ret > 0 && cmd == UIOX_GET_VECTOR_FD)
		close(ret);
	return ret;
}

static void fuzz_device(struct __test_metadata *_metadata, const char *bdf,
			int calls)
{
	long page = sysconf(_SC_PAGESIZE);
	struct uiox_device_info info;
	unsigned long cmd = 0;
	int fd, i, bad = 0, ok = 0;
	volatile void *bar;
	char *arena;

	fd = uiox_open(bdf, 0);
	ASSERT_LE(0, fd) {
		TH_LOG("%s is not bound to uiox", bdf);
	}
	arena = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, arena);
	ASSERT_EQ(0, mprotect(arena + page, page, PROT_NONE));

	for (i = 0; i < calls; i++) {
		int ret = fuzz_one(fd, arena, page, &cmd);

		if (ret >= 0) {
			ok++;
		} else if (!errno_allowed(errno) && bad++ < 5) {
			TH_LOG("%s: ioctl 0x%lx failed with %s", bdf, cmd,
			       strerror(errno));
		}
	}
	EXPECT_EQ(0, bad);
	EXPECT_LT(calls / 50, ok);	/* it did more than bounce off */

	/* The device is still whole: info, mapping, a sane irq mode. */
	EXPECT_EQ(0, uiox_bus_master(fd, 0));
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	EXPECT_EQ(0, ioctl(fd, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(UIOX_API_VERSION, info.api_version);
	EXPECT_EQ(0, uiox_set_irq_mode(fd, UIOX_IRQ_INTX, 1));
	bar = uiox_map(fd, 0, 4096);
	EXPECT_NE(MAP_FAILED, bar);
	if (bar != MAP_FAILED)
		munmap((void *)bar, 4096);
	munmap(arena, 2 * page);
	close(fd);
}

TEST(ioctl_fuzz)
{
	char edu[64], nic[64];

	seed(_metadata);
	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, 0, edu,
			      sizeof(edu)));
	ASSERT_EQ(0, pci_find(E1000E_VENDOR, E1000E_DEVICE, ANY_BUS, 0, nic,
			      sizeof(nic)));
	fuzz_device(_metadata, edu, 20000);
	fuzz_device(_metadata, nic, 20000);
}

/*
 * mmap with random offsets (any region index, the WC bit, pages in and out
 * of range, wild 64-bit values), lengths, protections and flags; and the
 * UIO protocol's read()/write() with every size and faulting buffers.
 */
TEST(mmap_and_uio_protocol_fuzz)
{
	long page = sysconf(_SC_PAGESIZE);
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_EXEC,
	};
	int fd, i, bad = 0, mapped = 0;
	char bdf[64], *buf;

	seed(_metadata);
	fd = uiox_open_pci(IVSHMEM_VENDOR, IVSHMEM_DEVICE, ANY_BUS, bdf,
			   sizeof(bdf));
	ASSERT_LE(0, fd) {
		TH_LOG("no ivshmem bound to uiox");
	}
	for (i = 0; i < 5000; i++) {
		uint64_t off = rnd() % 8 ? UIOX_REGION_OFFSET(rnd() % 8) |
				   (rnd() % 4 ? 0 : UIOX_OFFSET_WC) |
				   (uint64_t)(rnd() % 300) * page :
				   ((uint64_t)rnd() << 32 | rnd()) & ~(uint64_t)(page - 1);
		size_t len = rnd() % 8 ? (size_t)(1 + rnd() % 300) * page :
					 (size_t)rnd() << (rnd() % 20);
		int flags = rnd() % 4 ? MAP_SHARED : MAP_PRIVATE;
		void *p = mmap(NULL, len, prots[rnd() % 5], flags, fd, (off_t)off);

		if (p != MAP_FAILED) {
			mapped++;
			munmap(p, len);
		} else if (errno != EINVAL && errno != EPERM && errno != EBUSY &&
			   errno != EOVERFLOW && errno != ENOMEM && bad++ < 5) {
			TH_LOG("mmap(len 0x%zx, off 0x%llx): %s", len,
			       (unsigned long long)off, strerror(errno));
		}
	}
	EXPECT_EQ(0, bad);
	EXPECT_LT(50, mapped);
	close(fd);

	/* The UIO protocol on a non-blocking device file. */
	fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, bdf, sizeof(bdf));
	ASSERT_LE(0, fd);
	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + page, page, PROT_NONE));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	for (i = 0; i < 5000; i++) {
		size_t n = rnd() % 9;
		char *p = rnd() % 4 ? buf + page - 1 - rnd() % 8 : buf;
		uint32_t v = rnd() % 4 ? rnd() % 2 : rnd();
		ssize_t r;

		if (rnd() % 32 == 0)
			p = NULL;
		if (p && p + 4 <= buf + page)
			memcpy(p, &v, 4);
		r = rnd() % 2 ? read(fd, p, n) : write(fd, p, n);
		if (r >= 0 ? r != 4 || n != 4 :
		    errno != EINVAL && errno != EFAULT && errno != EAGAIN &&
		    errno != EIO) {
			if (bad++ < 5)
				TH_LOG("%zu bytes: returned %zd (%s)", n, r,
				       strerror(errno));
		}
	}
	EXPECT_EQ(0, bad);
	munmap(buf, 2 * page);
	/* still INTx, still unmaskable */
	EXPECT_EQ(0, uio_unmask(fd, 1));
	close(fd);
}

/* ---- concurrent callers ------------------------------------------ */

struct race {
	int fd;
	int nbfd;		/* the same device, O_NONBLOCK */
	volatile void *bar;
	atomic_int stop;
	atomic_int bad;
	atomic_long calls;
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
	atomic_fetch_add(&r->calls, 1);
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

	while (!atomic_load(&r->stop)) {
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

	while (!atomic_load(&r->stop)) {
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

	while (!atomic_load(&r->stop)) {
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
	while (!atomic_load(&r->stop)) {
		volatile void *bar = uiox_map(r->fd, 0, 4096);

		race_check(r, "mmap", bar == MAP_FAILED ? -1 : 0);
		if (bar != MAP_FAILED) {
			if (rd32(bar, 0) != EDU_ID)
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

	while (!atomic_load(&r->stop)) {
		wr32(r->bar, EDU_IRQ_RAISE, 1);
		usleep(200);
		wr32(r->bar, EDU_IRQ_ACK, rd32(r->bar, EDU_IRQ_STATUS));
	}
	return NULL;
}

TEST(concurrent_callers)
{
	void *(*fn[])(void *) = {
		race_modes, race_vector_files, race_device_file, race_maps,
		race_raise,
	};
	pthread_t t[sizeof(fn) / sizeof(fn[0])];
	struct race r = { 0 };
	unsigned int i;

	r.fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, r.bdf,
			     sizeof(r.bdf));
	ASSERT_LE(0, r.fd) {
		TH_LOG("no edu bound to uiox on the root bus");
	}
	r.nbfd = uiox_open(r.bdf, O_NONBLOCK);
	ASSERT_LE(0, r.nbfd);
	r.bar = uiox_map(r.fd, 0, 4096);
	ASSERT_NE(MAP_FAILED, r.bar);
	ASSERT_EQ(0, uiox_bus_master(r.fd, 1));	/* MSI; edu DMA is not started */

	for (i = 0; i < sizeof(fn) / sizeof(fn[0]); i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, fn[i], &r));
	sleep(3);
	atomic_store(&r.stop, 1);
	for (i = 0; i < sizeof(fn) / sizeof(fn[0]); i++)
		pthread_join(t[i], NULL);

	EXPECT_EQ(0, atomic_load(&r.bad)) {
		TH_LOG("first unexpected failure: %s", r.last);
	}
	EXPECT_LT(1000, atomic_load(&r.calls));

	/* Afterwards INTx works end to end: a new set counts from 0. */
	wr32(r.bar, EDU_IRQ_ACK, rd32(r.bar, EDU_IRQ_STATUS));
	ASSERT_EQ(0, uiox_set_irq_mode(r.fd, UIOX_IRQ_INTX, 1));
	EXPECT_EQ(0, uiox_bus_master(r.fd, 0));
	EXPECT_EQ(0, readable_within(r.nbfd, 0));
	wr32(r.bar, EDU_IRQ_RAISE, 1);
	EXPECT_EQ(1, readable_within(r.nbfd, 2000));
	EXPECT_EQ(1, uio_read_count(r.nbfd));
	wr32(r.bar, EDU_IRQ_ACK, rd32(r.bar, EDU_IRQ_STATUS));
	EXPECT_EQ(0, uio_unmask(r.nbfd, 1));
	munmap((void *)r.bar, 4096);
	close(r.nbfd);
	close(r.fd);
}

TEST_HARNESS_MAIN
