/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzzing helpers for the uiox selftests: random ioctls, mmap requests and
 * UIO-protocol reads and writes against one open device file.  Each call's
 * outcome is checked: an ioctl's errno against that ioctl's own list in the
 * UAPI header, its results against the device as it was, what it wrote
 * back against argsz; an mmap's result against the one the region table
 * predicts.  fuzz_device_whole() proves the device works afterwards.
 * Include after kselftest_harness.h and uiox_test.h.
 */
#ifndef UIOX_FUZZ_H
#define UIOX_FUZZ_H

#include <stdbool.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <time.h>

#include "uiox_abi.h"

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

/*
 * How many calls a fuzzer makes: @calls, times UIOX_FUZZ_SCALE when that
 * is set (make soak: about a million in all).
 */
static inline int fuzz_calls(int calls)
{
	const char *env = getenv("UIOX_FUZZ_SCALE");
	int scale = env ? atoi(env) : 1;

	return calls * (scale > 0 ? scale : 1);
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
 * Is @e right for a failed call of @c (abi_calls; NULL: a number uiox does
 * not know, which gets ENOTTY only)?  Besides its own errnos, EFAULT, and
 * EINVAL or E2BIG from argsz, flags and reserved fields; on a file opened
 * O_RDWR, EBADF is never right; on one opened O_RDONLY, an ioctl that
 * needs a writable file fails with EBADF, or ENOTTY where the device has
 * no such ioctl, and never succeeds.
 */
static inline int fuzz_errno_ok(const struct abi_call *c, int e, bool read_only)
{
	size_t i;

	if (!c)
		return e == ENOTTY;
	if (read_only && c->needs_write)
		return e == EBADF || e == ENOTTY;
	if (e == EFAULT || e == EINVAL || e == E2BIG)
		return 1;
	for (i = 0; i < ARRAY_SIZE(c->errnos) && c->errnos[i]; i++)
		if (c->errnos[i] == e)
			return 1;
	return 0;
}

/* The device as it was before the fuzzing: what info calls must return. */
struct fuzz_ref {
	struct uiox_device_info info;
	struct uiox_region_info regions[8];
	struct uiox_irq_info irq;
};

static inline void fuzz_ref_get(struct __test_metadata *_metadata, int fd,
				struct fuzz_ref *ref)
{
	unsigned int i;

	memset(ref, 0, sizeof(*ref));
	ref->info.argsz = sizeof(ref->info);
	ref->irq.argsz = sizeof(ref->irq);
	ASSERT_EQ(0, ioctl(fd, UIOX_GET_DEVICE_INFO, &ref->info));
	ASSERT_EQ(0, ioctl(fd, UIOX_GET_IRQ_INFO, &ref->irq));
	ASSERT_GE(ARRAY_SIZE(ref->regions), ref->info.num_regions);
	for (i = 0; i < ref->info.num_regions; i++) {
		ref->regions[i].argsz = sizeof(ref->regions[i]);
		ref->regions[i].index = i;
		ASSERT_EQ(0, ioctl(fd, UIOX_GET_REGION_INFO, &ref->regions[i]));
	}
}

/*
 * What a successful call returned, against the reference: NULL when it is
 * right, else what is wrong.  @arg holds the @n bytes the kernel wrote back
 * (argsz, at most the struct).
 */
static inline const char *fuzz_success_wrong(const struct fuzz_ref *ref,
					     unsigned long cmd, int ret,
					     const char *arg, size_t n)
{
	union {
		struct uiox_device_info info;
		struct uiox_region_info region;
		struct uiox_irq_info irq;
		struct uiox_dma_alloc dma;
	} got, want;
	char link[64], path[64];
	ssize_t len;

	memset(&got, 0, sizeof(got));
	memcpy(&got, arg, n < sizeof(got) ? n : sizeof(got));
	if (cmd == UIOX_GET_VECTOR_FD) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", ret);
		len = readlink(path, link, sizeof(link) - 1);
		link[len > 0 ? len : 0] = '\0';
		return ret > 0 && !strcmp(link, "anon_inode:uiox-vector") ? NULL :
		       "GET_VECTOR_FD gave no vector file";
	}
	if (ret)
		return "a positive return";
	switch (cmd) {
	case UIOX_GET_DEVICE_INFO:
		want.info = ref->info;
		want.info.argsz = got.info.argsz;
		want.info.num_irqs = got.info.num_irqs;	/* the mode may change */
		return memcmp(&got, &want, n) ? "GET_DEVICE_INFO changed" : NULL;
	case UIOX_GET_REGION_INFO:
		if (got.region.index >= ref->info.num_regions)
			return "GET_REGION_INFO took an index out of range";
		want.region = ref->regions[got.region.index];
		want.region.argsz = got.region.argsz;
		return memcmp(&got, &want, n) ? "GET_REGION_INFO changed" : NULL;
	case UIOX_GET_IRQ_INFO:
		if (n >= sizeof(struct uiox_irq_info) &&
		    (got.irq.mode > UIOX_IRQ_MSIX ||
		     (got.irq.mode == UIOX_IRQ_NONE) != !got.irq.num_vectors))
			return "GET_IRQ_INFO: a mode and vector count that do not fit";
		want.irq = ref->irq;
		want.irq.argsz = got.irq.argsz;
		want.irq.mode = got.irq.mode;
		want.irq.num_vectors = got.irq.num_vectors;
		return memcmp(&got, &want, n) ? "GET_IRQ_INFO changed" : NULL;
	case UIOX_DMA_ALLOC:
		return got.dma.size && got.dma.size <= UIOX_DMA_MAX_SIZE &&
		       !(got.dma.size % sysconf(_SC_PAGESIZE)) &&
		       !(got.dma.offset & UIOX_OFFSET_MASK) ? NULL :
		       "DMA_ALLOC: a buffer of a size or offset out of bounds";
	}
	return NULL;
}

/*
 * One random call.  @arena is two pages, the second PROT_NONE, so an
 * argument placed near the end of the first faults part-way through.
 * Fills in *@cmd_out, the argument at *@arg_out and its argsz, *@argsz_out.
 * With @no_port_io, never UIOX_PORT_IO (it reads the device).
 */
static inline void fuzz_prepare(char *arena, long page, unsigned long *cmd_out,
				char **arg_out, uint32_t *argsz_out,
				bool no_port_io)
{
	static const uint32_t sizes[] = { 0, 1, 3, 4, 7, 8, 11, 12, 15, 16,
					  23, 24, 31, 32, 64, 4096, 0xffffffff };
	char *end = arena + page, *arg;
	unsigned long cmd;
	uint32_t argsz, v;
	int i;

	do
		cmd = rnd() % 8 ? abi_calls[rnd() % ARRAY_SIZE(abi_calls)].cmd :
				  _IOC(rnd() % 4, rnd() % 2 ? UIOX_MAGIC : rnd() & 0xff,
				       rnd() & 0xff, rnd() & 0x3fff);
	while (no_port_io && cmd == UIOX_PORT_IO);
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
	*arg_out = arg;
	*argsz_out = argsz;
}

/*
 * Did the call write into @arena outside [@arg, @arg + @n)?  @before is
 * the page as it was before the call.
 */
static inline int fuzz_wrote_outside(const char *arena, const char *before,
				     long page, const char *arg, size_t n)
{
	long k;

	for (k = 0; k < page; k++)
		if ((arena + k < arg || arena + k >= arg + n) &&
		    arena[k] != before[k])
			return 1;
	return 0;
}

/**
 * fuzz_ioctls() - @calls random ioctls on @fd
 *
 * Each failure must carry an errno its ioctl documents (abi_calls); each
 * success must return what the device is (fuzz_ref) and write back nothing
 * outside [arg, arg + min(argsz, struct)).  Bus mastering is never turned
 * on: random register writes to a device that may master the bus could
 * make it DMA into guest memory.  Leaves the device in whatever interrupt
 * mode the calls chose: fuzz_device_whole() checks it afterwards.
 *
 * On a file opened O_RDONLY the calls change nothing and reach no
 * register: every ioctl that would change the device must be refused, and
 * UIOX_PORT_IO, which would read one, is left out.
 */
static inline void fuzz_ioctls(struct __test_metadata *_metadata, int fd,
			       const char *name, int calls)
{
	bool read_only = (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY;
	long page = sysconf(_SC_PAGESIZE);
	int i, bad = 0, ok = 0;
	struct fuzz_ref ref;
	char *arena, *before;

	fuzz_ref_get(_metadata, fd, &ref);
	arena = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	before = malloc(page);
	ASSERT_NE(MAP_FAILED, arena);
	ASSERT_NE(NULL, before);
	ASSERT_EQ(0, mprotect(arena + page, page, PROT_NONE));
	for (i = 0; i < calls; i++) {
		const struct abi_call *rule;
		const char *wrong = NULL;
		unsigned long cmd;
		uint32_t argsz;
		size_t n = 0;
		char *arg;
		int ret, e;

		memset(arena, 0x5a, page);
		fuzz_prepare(arena, page, &cmd, &arg, &argsz, read_only);
		memcpy(before, arena, page);
		ret = ioctl(fd, cmd, arg);
		e = errno;
		rule = abi_lookup(cmd);
		if (rule)
			n = argsz < rule->size ? argsz : rule->size;
		if (ret >= 0 && rule && read_only && rule->needs_write) {
			wrong = "it changed the device through a read-only file";
		} else if (ret >= 0 && rule) {
			wrong = fuzz_success_wrong(&ref, cmd, ret, arg, n);
			ok++;
		} else if (ret >= 0) {
			wrong = "an unknown ioctl succeeded";
		} else if (!fuzz_errno_ok(rule, e, read_only)) {
			wrong = strerror(e);
		}
		if (fuzz_wrote_outside(arena, before, page, arg, n))
			wrong = "it wrote outside argsz and its struct";
		if (ret > 0 && cmd == UIOX_GET_VECTOR_FD)
			close(ret);
		if (ret == 0 && cmd == UIOX_DMA_ALLOC) {	/* it wrote all of it */
			struct uiox_dma_alloc a;

			memcpy(&a, arg, sizeof(a));
			if (uiox_dma_free(fd, a.id))
				wrong = "a buffer DMA_ALLOC gave cannot be freed";
		}
		if (wrong && bad++ < 5)
			TH_LOG("%s: ioctl 0x%lx (argsz %u): %s", name, cmd, argsz,
			       wrong);
	}
	free(before);
	munmap(arena, 2 * page);
	EXPECT_EQ(0, bad);
	/* it did more than bounce off: with random fields and argsz (E2BIG for
	 * a dirty tail) about 2% succeed */
	EXPECT_LT(calls / 100, ok);
	TH_LOG("%s: %d random ioctls, %d succeeded", name, calls, ok);
}

/* How a fuzzed device shows it still works: its own registers. */
struct fuzz_target {
	const char *name;		/* /dev/uiox/<name> */
	size_t id_off;			/* a register in region 0 ... */
	uint32_t id;			/* ... and its known value */
	void (*raise)(volatile void *regs);	/* vector 0 fires (INTx) */
	void (*ack)(volatile void *regs);
};

/*
 * fuzz_device_whole() - after fuzzing @fd, the device is whole: it reports
 * itself, its ID register reads back, an interrupt it raises in INTx mode
 * is received (and none before it), it holds no DMA memory, and it has
 * the @openers it had before.
 */
static inline void fuzz_device_whole(struct __test_metadata *_metadata, int fd,
				     const struct fuzz_target *t, long openers)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	struct uiox_irq_wait w = { .argsz = sizeof(w) };
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (t->id_off / page + 1) * page;
	volatile void *regs;

	EXPECT_EQ(0, ioctl(fd, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(UIOX_API_VERSION, info.api_version);
	regs = uiox_map(fd, 0, len);
	ASSERT_NE(MAP_FAILED, regs);
	EXPECT_EQ(t->id, rd32(regs, t->id_off));
	ASSERT_EQ(0, uiox_set_irq_mode(fd, UIOX_IRQ_INTX, 1));
	t->ack(regs);
	EXPECT_EQ(-1, ioctl(fd, UIOX_IRQ_UNMASK_WAIT, &w));	/* nothing yet */
	EXPECT_EQ(ETIMEDOUT, errno);
	t->raise(regs);
	w.timeout_ms = 5000;
	EXPECT_EQ(0, ioctl(fd, UIOX_IRQ_UNMASK_WAIT, &w)) {
		TH_LOG("%s: no interrupt after the fuzzing: %s", t->name,
		       strerror(errno));
	}
	t->ack(regs);
	munmap((void *)regs, len);
	EXPECT_EQ(0, uiox_attr_num(t->name, "dma_bytes"));
	EXPECT_EQ(openers, uiox_attr_num(t->name, "openers"));
}

/* What fuzz_mmap() knows of the device: its regions and DMA buffers. */
struct fuzz_layout {
	struct fuzz_ref ref;
	const struct uiox_dma_alloc *bufs;
	int nbufs;
	uint64_t ram;		/* bytes, what overcommit accounting allows */
};

static inline void fuzz_layout_get(struct __test_metadata *_metadata, int fd,
				   struct fuzz_layout *l,
				   const struct uiox_dma_alloc *bufs, int nbufs)
{
	struct sysinfo si;

	fuzz_ref_get(_metadata, fd, &l->ref);
	l->bufs = bufs;
	l->nbufs = nbufs;
	ASSERT_EQ(0, sysinfo(&si));
	l->ram = (uint64_t)(si.totalram + si.totalswap) * si.mem_unit;
}

/*
 * The errno mmap(@len, @prot, @flags, @off) must fail with on this device,
 * 0 if it must map; -1 when it must fail but more than one errno is right
 * (a length past 1 TiB: ENOMEM where no hole is that large, else EINVAL
 * from the stub); FUZZ_MSIX in an MSI-X region: 0 or EPERM (it maps where
 * MSI is isolated or the range misses the table and PBA; which pages hold
 * them is not worked out here: uiox_regions_test and uiox_device_test's
 * mmap_rules check that exactly).  The
 * kernel's mmap checks run first - a private writable mapping larger than
 * RAM is refused by overcommit accounting - then uiox_mmap()'s in the
 * order the UAPI gives.
 */
#define FUZZ_MSIX	(-2)

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
	if (index >= l->ref.info.num_regions)
		return EINVAL;
	r = &l->ref.regions[index];
	size = region_map_size(r);
	if (!(r->flags & UIOX_REGION_MMAP) || in >= size || alen > size - in)
		return EINVAL;
	if (wc && !(r->flags & UIOX_REGION_PREFETCH))
		return EINVAL;
	return r->flags & UIOX_REGION_MSIX ? FUZZ_MSIX : 0;
}

/*
 * Map, read (if @touch) and unmap a random stretch of a random mappable
 * region.
 */
static inline int fuzz_map_some(const struct fuzz_layout *l, int fd, bool touch)
{
	uint64_t page = sysconf(_SC_PAGESIZE), pages, first, n;
	const struct uiox_region_info *r;
	unsigned int i, k = 0, mappable[8];
	uint64_t off;
	void *p;

	for (i = 0; i < l->ref.info.num_regions; i++)
		if ((l->ref.regions[i].flags &
		     (UIOX_REGION_MMAP | UIOX_REGION_MSIX)) == UIOX_REGION_MMAP)
			mappable[k++] = i;	/* MSI-X pages: maybe EPERM */
	if (!k)
		return 0;	/* nothing that always maps */
	r = &l->ref.regions[mappable[rnd() % k]];
	pages = r->size < page ? 1 : r->size / page;
	first = rnd() % pages;
	n = 1 + rnd() % (pages - first < 300 ? pages - first : 300);
	off = r->offset + first * page;
	if (r->flags & UIOX_REGION_PREFETCH && rnd() % 2)
		off |= UIOX_OFFSET_WC;
	p = mmap(NULL, n * page, PROT_READ, MAP_SHARED, fd, (off_t)off);
	if (p == MAP_FAILED)
		return -1;
	if (touch) {
		(void)*(volatile uint32_t *)p;
		(void)*(volatile uint32_t *)((char *)p + (n - 1) * page);
	}
	munmap(p, n * page);
	return 0;
}

/*
 * fuzz_mmap() - @calls mmaps of @fd with random offsets (any region index,
 * one of the DMA buffers in @l, the WC bit, pages in and out of range, wild
 * 64-bit values), lengths, protections and flags.  Each call's result and
 * errno must be the one fuzz_mmap_expect() computes from the region table,
 * and, if @touch, every mapping made is read at its first and last page.
 * Every 16th call also maps a random stretch of a random mappable region,
 * which must work every time.
 */
static inline void fuzz_mmap(struct __test_metadata *_metadata, int fd,
			     int calls, const struct fuzz_layout *l, bool touch)
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
		    want == FUZZ_MSIX ? got && got != EPERM :
		    !(got == ENOMEM || got == EINVAL || got == EPERM)) {
			if (bad++ < 5)
				TH_LOG("mmap(len 0x%zx, prot %d, flags %d, off 0x%llx): "
				       "%s, expected %s", len, prot, flags,
				       (unsigned long long)off, strerror(got),
				       want >= 0 ? strerror(want) : "a failure");
		}
		if (p != MAP_FAILED) {
			mapped++;
			if (touch && prot & PROT_READ) {
				(void)*(volatile uint32_t *)p;
				(void)*(volatile uint32_t *)((char *)p +
					((len - 1) & ~(size_t)(page - 1)));
			}
			munmap(p, len);
		} else {
			refused++;
		}
		if (i % 16 == 0 && fuzz_map_some(l, fd, touch) && unmapped++ < 5)
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
 * On a file opened O_RDONLY every write() fails with EBADF: nothing is
 * masked or unmasked.
 */
static inline void fuzz_uio_protocol(struct __test_metadata *_metadata,
				     int fd, int calls)
{
	bool read_only = (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY;
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
		bool rd = rnd() % 2;
		ssize_t r;

		if (rnd() % 32 == 0)
			p = NULL;
		if (p && p + 4 <= buf + page)
			memcpy(p, &v, 4);
		r = rd ? read(fd, p, n) : write(fd, p, n);
		if (!rd && read_only ? r != -1 || errno != EBADF :
		    r >= 0 ? r != 4 || n != 4 :
		    errno != EINVAL && errno != EFAULT && errno != EAGAIN &&
		    errno != EIO) {
			if (bad++ < 5)
				TH_LOG("%zu bytes: returned %zd (%s)", n, r,
				       strerror(errno));
		}
	}
	munmap(buf, 2 * page);
	EXPECT_EQ(0, bad);
	TH_LOG("%d random read()s and write()s", calls);
}

#endif /* UIOX_FUZZ_H */
