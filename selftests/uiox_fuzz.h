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

/*
 * fuzz_mmap() - @calls mmaps of @fd with random offsets (any region index,
 * one of the @nbufs DMA buffer offsets in @bufs, the WC bit, pages in and
 * out of range, wild 64-bit values), lengths, protections and flags.  Each
 * must map or fail with a clean errno, and at least @min_mapped of them
 * map (0 where few can: how many do is chance).  Every 16th call also maps
 * the first page of region 0, which must work every time.
 */
static inline void fuzz_mmap(struct __test_metadata *_metadata, int fd,
			     int calls, int min_mapped, const uint64_t *bufs,
			     int nbufs)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_EXEC,
	};
	long page = sysconf(_SC_PAGESIZE);
	int i, bad = 0, mapped = 0, unmapped = 0;

	for (i = 0; i < calls; i++) {
		unsigned int span = rnd() % 2 ? 3 : 300;	/* small regions too */
		uint64_t base = nbufs && rnd() % 4 == 0 ? bufs[rnd() % nbufs] :
				UIOX_REGION_OFFSET(rnd() % 8);
		uint64_t off = rnd() % 8 ? base |
				   (rnd() % 4 ? 0 : UIOX_OFFSET_WC) |
				   (uint64_t)(rnd() % span) * page :
				   ((uint64_t)rnd() << 32 | rnd()) & ~(uint64_t)(page - 1);
		size_t len = rnd() % 8 ? (size_t)(1 + rnd() % span) * page :
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
		if (i % 16)
			continue;
		p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, UIOX_REGION_OFFSET(0));
		if (p != MAP_FAILED)
			munmap(p, page);
		else if (unmapped++ < 5)
			TH_LOG("region 0 no longer maps: %s", strerror(errno));
	}
	TH_LOG("%d of %d random mmaps mapped", mapped, calls);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, unmapped);
	EXPECT_LE(min_mapped, mapped);
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
