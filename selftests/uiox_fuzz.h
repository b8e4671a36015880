/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzzing helpers for the uiox selftests: random ioctls, mmap requests and
 * UIO-protocol reads and writes against one open device file.  Each call
 * must succeed or fail with an errno the UAPI documents; the caller checks
 * afterwards that the device still works.  Include after
 * kselftest_harness.h and uiox_test.h.
 */
#ifndef UIOX_FUZZ_H
#define UIOX_FUZZ_H

#include <stdlib.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <time.h>

static const unsigned long uiox_ioctls[] = {
	UIOX_GET_DEVICE_INFO, UIOX_GET_REGION_INFO, UIOX_GET_IRQ_INFO,
	UIOX_SET_IRQ_MODE, UIOX_SET_IRQ_MASK, UIOX_GET_VECTOR_FD,
	UIOX_IRQ_UNMASK_WAIT, UIOX_SET_BUS_MASTER, UIOX_RESET, UIOX_PORT_IO,
	UIOX_SET_DMA_MASK, UIOX_DMA_ALLOC, UIOX_DMA_FREE,
};

/* Errors the UAPI documents for a present device. */
static inline int errno_allowed(int e)
{
	switch (e) {
	case EINVAL: case EFAULT: case ENOTTY: case EOPNOTSUPP: case EBUSY:
	case EAGAIN: case EIO: case ETIMEDOUT: case EBADFD: case ENOSPC:
	case ENOENT: case ENOMEM: case E2BIG:
		return 1;
	default:
		return 0;
	}
}

static inline uint32_t rnd(void)
{
	return (uint32_t)random();
}

/* Seed from UIOX_FUZZ_SEED to replay a run, else at random; logged. */
static inline void seed(struct __test_metadata *_metadata)
{
	const char *env = getenv("UIOX_FUZZ_SEED");
	unsigned int s;

	if (env)
		s = (unsigned int)strtoul(env, NULL, 0);
	else if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s))
		s = (unsigned int)time(NULL) ^ (unsigned int)getpid();

	TH_LOG("seed %u (UIOX_FUZZ_SEED=%u replays it)", s, s);
	srandom(s);
}

/*
 * One random call.  @arena is two pages, the second PROT_NONE, so an
 * argument placed near the end of the first faults part-way through.
 */
static inline int fuzz_one(int fd, char *arena, long page, unsigned long *cmd_out)
{
	static const uint32_t sizes[] = { 0, 1, 3, 4, 7, 8, 11, 12, 15, 16,
					  23, 24, 31, 32, 64, 4096, 0xffffffff };
	char *end = arena + page, *arg;
	unsigned long cmd;
	uint32_t argsz, v;
	int ret, i;

	cmd = rnd() % 8 ? uiox_ioctls[rnd() % ARRAY_SIZE(uiox_ioctls)] :
			  _IOC(rnd() % 4, rnd() % 2 ? UIOX_MAGIC : rnd() & 0xff,
			       rnd() & 0xff, rnd() & 0x3fff);
	/* well inside the page, or 1..128 bytes before the hole */
	arg = rnd() % 2 ? arena + rnd() % 64 : end - 1 - rnd() % 128;
	for (i = 0; i < 32 && arg + 4 * i + 4 <= end; i++) {
		v = rnd();
		memcpy(arg + 4 * i, &v, 4);
	}
	argsz = rnd() % 4 ? sizes[rnd() % ARRAY_SIZE(sizes)] :
		rnd() % 2 ? rnd() % 256 : rnd();
	/* mostly a struct of 8..32 bytes with a zero tail (else E2BIG) */
	if (rnd() % 4) {
		size_t known = 8 + 4 * (rnd() % 7);
		size_t upto = argsz < (size_t)(end - arg) ? argsz : end - arg;

		if (upto > known)
			memset(arg + known, 0, upto - known);
	}
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
	if (ret == 0 && cmd == UIOX_DMA_ALLOC) {	/* it wrote all of it */
		struct uiox_dma_alloc a;

		memcpy(&a, arg, sizeof(a));
		uiox_dma_free(fd, a.id);
	}
	return ret;
}

/**
 * fuzz_ioctls() - @calls random ioctls on @fd
 *
 * Bus mastering is never turned on: random register writes to a device
 * that may master the bus could make it DMA into guest memory.  Leaves the
 * device in whatever interrupt mode the calls chose.
 */
static inline void fuzz_ioctls(struct __test_metadata *_metadata, int fd,
			       const char *name, int calls)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long cmd = 0;
	int i, bad = 0, ok = 0;
	char *arena;

	arena = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, arena);
	ASSERT_EQ(0, mprotect(arena + page, page, PROT_NONE));
	for (i = 0; i < calls; i++) {
		int ret = fuzz_one(fd, arena, page, &cmd);

		if (ret >= 0) {
			ok++;
		} else if (!errno_allowed(errno) && bad++ < 5) {
			TH_LOG("%s: ioctl 0x%lx failed with %s", name, cmd,
			       strerror(errno));
		}
	}
	munmap(arena, 2 * page);
	EXPECT_EQ(0, bad);
	/* it did more than bounce off: with random fields and argsz (E2BIG for
	 * a dirty tail) about 2% succeed */
	EXPECT_LT(calls / 100, ok);
}

/* What fuzz_mmap() knows of the device: its regions and DMA buffers. */
struct fuzz_layout {
	struct uiox_region_info regions[8];
	unsigned int num_regions;
	const struct uiox_dma_alloc *bufs;
	int nbufs;
	uint64_t ram;		/* bytes, what overcommit accounting allows */
};

static inline void fuzz_layout_get(struct __test_metadata *_metadata, int fd,
				   struct fuzz_layout *l,
				   const struct uiox_dma_alloc *bufs, int nbufs)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	struct sysinfo si;
	unsigned int i;

	ASSERT_EQ(0, ioctl(fd, UIOX_GET_DEVICE_INFO, &info));
	ASSERT_GE(ARRAY_SIZE(l->regions), info.num_regions);
	l->num_regions = info.num_regions;
	for (i = 0; i < info.num_regions; i++) {
		l->regions[i] = (struct uiox_region_info){
			.argsz = sizeof(l->regions[i]), .index = i };
		ASSERT_EQ(0, ioctl(fd, UIOX_GET_REGION_INFO, &l->regions[i]));
	}
	l->bufs = bufs;
	l->nbufs = nbufs;
	ASSERT_EQ(0, sysinfo(&si));
	l->ram = (uint64_t)(si.totalram + si.totalswap) * si.mem_unit;
}

/*
 * The errno mmap(@len, @prot, @flags, @off) must fail with on this device,
 * 0 if it must map; -1 when more than one answer is right (a length past
 * 1 TiB: ENOMEM where no hole is that large, else EINVAL from the stub;
 * pages of an MSI-X region: EPERM unless MSI is isolated).  The kernel's
 * mmap checks run first - a private writable mapping larger than RAM is
 * refused by overcommit accounting - then uiox_mmap()'s in the order the
 * UAPI gives.
 */
static inline int fuzz_mmap_expect(const struct fuzz_layout *l, uint64_t off,
				   uint64_t len, int prot, int flags)
{
	uint64_t page = sysconf(_SC_PAGESIZE);
	uint64_t alen = (len + page - 1) & ~(page - 1);
	uint64_t in = off & (UIOX_OFFSET_WC - 1), size;
	unsigned int index = UIOX_OFFSET_TO_INDEX(off);
	bool wc = off & UIOX_OFFSET_WC;
	const struct uiox_region_info *r;
	int i;

	if (!len)
		return EINVAL;
	if (alen >= 1ULL << 40)
		return -1;
	if (flags == MAP_PRIVATE && prot & PROT_WRITE && alen > l->ram)
		return ENOMEM;
	if (flags != MAP_SHARED)
		return EINVAL;
	if (prot & PROT_EXEC)
		return EPERM;
	for (i = 0; i < l->nbufs; i++) {
		if (index != UIOX_OFFSET_TO_INDEX(l->bufs[i].offset))
			continue;
		if (wc || in >= l->bufs[i].size || alen > l->bufs[i].size - in)
			return EINVAL;
		return 0;
	}
	if (index >= l->num_regions)
		return EINVAL;
	r = &l->regions[index];
	size = r->size < page ? page : r->size;	/* a sub-page region: its page */
	if (!(r->flags & UIOX_REGION_MMAP) || in >= size || alen > size - in)
		return EINVAL;
	if (wc && !(r->flags & UIOX_REGION_PREFETCH))
		return EINVAL;
	return r->flags & UIOX_REGION_MSIX ? -1 : 0;
}

/* Map, read and unmap a random stretch of a random mappable region. */
static inline int fuzz_map_some(const struct fuzz_layout *l, int fd)
{
	uint64_t page = sysconf(_SC_PAGESIZE), pages, first, n;
	const struct uiox_region_info *r;
	unsigned int i, k = 0, mappable[8];
	uint64_t off;
	void *p;

	for (i = 0; i < l->num_regions; i++)
		if (l->regions[i].flags & UIOX_REGION_MMAP)
			mappable[k++] = i;
	if (!k) {
		errno = ENOENT;
		return -1;
	}
	r = &l->regions[mappable[rnd() % k]];
	pages = r->size < page ? 1 : r->size / page;
	first = rnd() % pages;
	n = 1 + rnd() % (pages - first < 300 ? pages - first : 300);
	off = r->offset + first * page;
	if (r->flags & UIOX_REGION_PREFETCH && rnd() % 2)
		off |= UIOX_OFFSET_WC;
	p = mmap(NULL, n * page, PROT_READ, MAP_SHARED, fd, (off_t)off);
	if (p == MAP_FAILED)
		return -1;
	(void)*(volatile uint32_t *)p;
	(void)*(volatile uint32_t *)((char *)p + (n - 1) * page);
	munmap(p, n * page);
	return 0;
}

/*
 * fuzz_mmap() - @calls mmaps of @fd with random offsets (any region index,
 * one of the DMA buffers in @l, the WC bit, pages in and out of range, wild
 * 64-bit values), lengths, protections and flags.  Each call's result and
 * errno must be the one fuzz_mmap_expect() computes from the region table,
 * and every mapping made is read at its first and last page.  Every 16th
 * call also maps a random stretch of a random mappable region, which must
 * work every time.
 */
static inline void fuzz_mmap(struct __test_metadata *_metadata, int fd,
			     int calls, const struct fuzz_layout *l)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_EXEC,
	};
	long page = sysconf(_SC_PAGESIZE);
	int i, bad = 0, mapped = 0, refused = 0, unmapped = 0;

	for (i = 0; i < calls; i++) {
		unsigned int span = rnd() % 2 ? 3 : 300;	/* small regions too */
		uint64_t base = l->nbufs && rnd() % 4 == 0 ?
				l->bufs[rnd() % l->nbufs].offset :
				UIOX_REGION_OFFSET(rnd() % 8);
		uint64_t off = rnd() % 8 ? base |
				   (rnd() % 4 ? 0 : UIOX_OFFSET_WC) |
				   (uint64_t)(rnd() % span) * page :
				   ((uint64_t)rnd() << 32 | rnd()) & ~(uint64_t)(page - 1);
		size_t len = rnd() % 8 ? (size_t)(1 + rnd() % span) * page :
					 (size_t)rnd() << (rnd() % 20);
		int prot = prots[rnd() % 5];
		int flags = rnd() % 4 ? MAP_SHARED : MAP_PRIVATE;
		int want = fuzz_mmap_expect(l, off, len, prot, flags);
		void *p = mmap(NULL, len, prot, flags, fd, (off_t)off);
		int got = p == MAP_FAILED ? errno : 0;

		if (want >= 0 ? got != want :
		    !(got == ENOMEM || got == EINVAL || got == EPERM)) {
			if (bad++ < 5)
				TH_LOG("mmap(len 0x%zx, prot %d, flags %d, off 0x%llx): "
				       "%s, expected %s", len, prot, flags,
				       (unsigned long long)off, strerror(got),
				       want >= 0 ? strerror(want) : "a failure");
		}
		if (p != MAP_FAILED) {
			mapped++;
			if (prot & PROT_READ) {
				(void)*(volatile uint32_t *)p;
				(void)*(volatile uint32_t *)((char *)p +
					((len - 1) & ~(size_t)(page - 1)));
			}
			munmap(p, len);
		} else {
			refused++;
		}
		if (i % 16 == 0 && fuzz_map_some(l, fd) && unmapped++ < 5)
			TH_LOG("a mappable region no longer maps: %s", strerror(errno));
	}
	TH_LOG("%d of %d random mmaps mapped", mapped, calls);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, unmapped);
	EXPECT_LT(0, refused);
}

/*
 * fuzz_uio_protocol() - @calls read()s and write()s of every size from 0
 * to 8 bytes, with buffers that fault part-way, on @fd (made non-blocking).
 */
static inline void fuzz_uio_protocol(struct __test_metadata *_metadata,
				     int fd, int calls)
{
	long page = sysconf(_SC_PAGESIZE);
	int i, bad = 0;
	char *buf;

	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + page, page, PROT_NONE));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	for (i = 0; i < calls; i++) {
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
	munmap(buf, 2 * page);
	EXPECT_EQ(0, bad);
}

#endif /* UIOX_FUZZ_H */
