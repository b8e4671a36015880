// SPDX-License-Identifier: GPL-2.0
/*
 * uiox regions and controls selftest:
 *   - cache modes, checked in the PAT memtype list the kernel keeps
 *     (/sys/kernel/debug/x86/pat_memtype_list): uncached by default,
 *     write-combining on request on ivshmem's prefetchable BAR, one mode
 *     at a time;
 *   - a sub-page BAR (ivshmem BAR0, 256 bytes) that has its page to itself;
 *   - I/O-port regions through UIOX_PORT_IO (e1000e's IOADDR/IODATA window
 *     reads the same registers as its memory BAR);
 *   - bus master, reset (mappings zapped and faulted back, ivshmem's
 *     registers back to their reset values), sysfs;
 *   - BARs of 512 GiB and 1 TiB (pci-testdev's) are described but not
 *     mappable;
 *   - bridges are refused.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "uiox_test.h"
#include "kselftest_harness.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

/*
 * The PAT list records memory type @want for region @index of @bdf.  The
 * list is x86's; arm64 keeps a mapping's memory type in the page tables
 * alone, where userspace cannot read it: there the cases check what they
 * can see (data, EBUSY), not the type.
 */
#ifdef __x86_64__
static void expect_memtype(struct __test_metadata *_metadata, const char *bdf,
			   unsigned int index, const char *want)
{
	unsigned long long start, size;
	char type[64];

	ASSERT_EQ(0, region_addr(bdf, index, &start, &size, NULL));
	ASSERT_EQ(0, pat_type(start, size, type, sizeof(type)));
	EXPECT_STREQ(want, type);
}
#else
static void expect_memtype(struct __test_metadata *_metadata, const char *bdf,
			   unsigned int index, const char *want)
{
}
#endif

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* ---- edu on the root bus ------------------------------------------ */

FIXTURE(edu) {
	char bdf[64];
	int fd;
};

FIXTURE_SETUP(edu)
{
	self->fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, self->bdf,
				 sizeof(self->bdf));
	ASSERT_LE(0, self->fd) {
		TH_LOG("no %04x:%04x bound to uiox", EDU_VENDOR, EDU_DEVICE);
	}
}

FIXTURE_TEARDOWN(edu)
{
	close(self->fd);
}

#ifdef __x86_64__
TEST_F(edu, uncached_in_pat_while_mapped)
{
	unsigned long long start, size;
	volatile void *bar;
	char type[64];

	ASSERT_EQ(0, access(PAT_LIST, R_OK)) {
		TH_LOG("%s missing: debugfs or x86 PAT unavailable", PAT_LIST);
	}
	ASSERT_EQ(0, region_addr(self->bdf, 0, &start, &size, NULL));
	EXPECT_EQ(EDU_BAR0_SIZE, size);
	EXPECT_EQ(-1, pat_type(start, size, type, sizeof(type)));

	bar = uiox_map(self->fd, 0, EDU_BAR0_SIZE);
	ASSERT_NE(MAP_FAILED, bar);
	EXPECT_EQ(EDU_ID, rd32(bar, EDU_REG_ID));
	ASSERT_EQ(0, pat_type(start, size, type, sizeof(type)));
	EXPECT_STREQ("uncached-minus", type);

	EXPECT_EQ(0, munmap((void *)bar, EDU_BAR0_SIZE));
	EXPECT_EQ(-1, pat_type(start, size, type, sizeof(type)));
}
#endif

TEST_F(edu, write_combining_refused_when_not_prefetchable)
{
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED, UIOX_REGION_OFFSET_WC(0)));
}

TEST_F(edu, sysfs_attributes)
{
	char path[256], buf[256], want[128];
	unsigned long long start, size;
	int fd2;

	snprintf(path, sizeof(path), "/sys/class/uiox/%s/online", self->bdf);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);

	snprintf(path, sizeof(path), "/sys/class/uiox/%s/openers", self->bdf);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	fd2 = uiox_open(self->bdf, 0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("2", buf);
	close(fd2);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);

	ASSERT_EQ(0, region_addr(self->bdf, 0, &start, &size, NULL));
	snprintf(want, sizeof(want), "0 0x%016llx 0x100000 mem,mmap", start);
	snprintf(path, sizeof(path), "/sys/class/uiox/%s/regions", self->bdf);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ(want, buf);

	snprintf(path, sizeof(path), "/sys/class/uiox/%s/irq_mode", self->bdf);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("intx", buf);
	ASSERT_EQ(0, sysfs_write(path, "msi"));
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("msi", buf);
	EXPECT_EQ(-1, sysfs_write(path, "bogus"));
	EXPECT_EQ(-1, sysfs_write(path, "msi 9"));
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("msi", buf);
	ASSERT_EQ(0, sysfs_write(path, "intx"));

	snprintf(path, sizeof(path), "/sys/class/uiox/%s/num_vectors", self->bdf);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);

	ASSERT_EQ(0, sysfs_read("/sys/module/uiox/parameters/irq_mode", buf,
				sizeof(buf)));
	EXPECT_STREQ("intx", buf);
}

TEST_F(edu, bus_master_toggles_command_register)
{
	struct uiox_bus_master bm = { .argsz = sizeof(bm), .enable = 2 };

	EXPECT_EQ(0, pci_command(self->bdf) & PCI_COMMAND_MASTER);
	ASSERT_EQ(0, uiox_bus_master(self->fd, 1));
	EXPECT_EQ(PCI_COMMAND_MASTER, pci_command(self->bdf) & PCI_COMMAND_MASTER);
	ASSERT_EQ(0, uiox_bus_master(self->fd, 0));
	EXPECT_EQ(0, pci_command(self->bdf) & PCI_COMMAND_MASTER);
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_SET_BUS_MASTER, &bm));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(edu, reset_needs_a_method_and_no_flags)
{
	struct uiox_reset r = { .argsz = sizeof(r), .flags = 1 };

	EXPECT_EQ(-1, ioctl(self->fd, UIOX_RESET, &r));
	EXPECT_EQ(EINVAL, errno);
	/* on the root bus, edu has neither FLR nor a bus to reset */
	r.flags = 0;
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_RESET, &r));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(edu, port_io_refused_on_memory_region)
{
	struct uiox_port_io io = { .argsz = sizeof(io), .width = 4 };

	EXPECT_EQ(-1, ioctl(self->fd, UIOX_PORT_IO, &io));
	EXPECT_EQ(EINVAL, errno);
}

/* ---- edu behind the root port: reset ------------------------------- */

/*
 * Both ways a function gets reset: UIOX_RESET, and the PCI core's own (the
 * sysfs "reset" file here; a bus reset of a neighbour takes the same path).
 * edu behind the root port has no FLR: it gets a secondary bus reset, after
 * which its memory decoding is off until the core restores its config.
 */
FIXTURE(edu_hp) {
	char bdf[64];
	int fd;
};

FIXTURE_VARIANT(edu_hp) {
	int (*reset)(int fd, const char *bdf);
};

static int reset_ioctl(int fd, const char *bdf)
{
	struct uiox_reset r = { .argsz = sizeof(r) };

	return ioctl(fd, UIOX_RESET, &r);
}

static int reset_sysfs(int fd, const char *bdf)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset", bdf);
	return sysfs_write(path, "1");
}

FIXTURE_VARIANT_ADD(edu_hp, ioctl) {
	.reset = reset_ioctl,
};

FIXTURE_VARIANT_ADD(edu_hp, sysfs) {
	.reset = reset_sysfs,
};

FIXTURE_SETUP(edu_hp)
{
	self->fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, BEHIND_BRIDGE, self->bdf,
				 sizeof(self->bdf));
	ASSERT_LE(0, self->fd) {
		TH_LOG("no %04x:%04x bound to uiox", EDU_VENDOR, EDU_DEVICE);
	}
}

FIXTURE_TEARDOWN(edu_hp)
{
	close(self->fd);
}

TEST_F(edu_hp, reset_zaps_mappings_and_they_fault_back)
{
	volatile void *bar;
	long faults;

	bar = uiox_map(self->fd, 0, 4096);
	ASSERT_NE(MAP_FAILED, bar);
	ASSERT_EQ(EDU_ID, rd32(bar, EDU_REG_ID));
	faults = minor_faults();
	ASSERT_EQ(EDU_ID, rd32(bar, EDU_REG_ID));
	EXPECT_EQ(faults, minor_faults());	/* mapped: no fault */

	ASSERT_EQ(0, variant->reset(self->fd, self->bdf));
	faults = minor_faults();
	EXPECT_EQ(EDU_ID, rd32(bar, EDU_REG_ID));
	EXPECT_LT(faults, minor_faults());	/* zapped: faulted back */
	EXPECT_EQ(0, munmap((void *)bar, 4096));
}

struct sysfs_resetter {
	const char *bdf;
	atomic_int ret, resets;
	int err;
	atomic_bool stop;
};

/* Reset through sysfs, over and over, until told to stop or one fails. */
static void *reset_through_sysfs(void *p)
{
	struct sysfs_resetter *r = p;

	while (!r->stop && !r->ret) {
		r->ret = reset_sysfs(-1, r->bdf);
		if (r->ret)
			r->err = errno;
		r->resets++;
	}
	return NULL;
}

/*
 * While the PCI core resets the function for someone else (sysfs reset:
 * a secondary bus reset, which waits for the link), UIOX_RESET does not
 * wait behind it: EAGAIN.  A thread resets through sysfs back to back,
 * holding the device lock for most of its loop (and taking it again the
 * moment a UIOX_RESET lets it go); UIOX_RESET is tried over and over
 * beside it until it has seen EAGAIN five times, for at most 20 s (the
 * harness allows 30).  A stub that waited behind the lock would only ever
 * succeed.  (Nothing
 * here depends on catching the thread at a given point: under lockdep and
 * KASAN the resets are quick and the thread is rarely seen asleep.)
 */
TEST(reset_while_another_reset_runs_is_eagain)
{
	struct sysfs_resetter r = { 0 };
	int fd, tries = 0, eagain = 0, done = 0;
	long deadline;
	char bdf[64];
	pthread_t t;

	fd = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, BEHIND_BRIDGE, bdf, sizeof(bdf));
	ASSERT_LE(0, fd) TH_LOG("no edu behind a root port bound to uiox");
	r.bdf = bdf;
	ASSERT_EQ(0, pthread_create(&t, NULL, reset_through_sysfs, &r));
	deadline = now_ms() + 20000;
	while (!r.resets && !r.ret && now_ms() < deadline)
		usleep(1000);
	while (eagain < 5 && !r.ret && now_ms() < deadline) {
		int ret = reset_ioctl(fd, bdf);

		tries++;
		if (!ret) {
			done++;
		} else if (errno == EAGAIN) {
			eagain++;
		} else {
			EXPECT_EQ(0, ret) TH_LOG("UIOX_RESET: %s", strerror(errno));
			break;
		}
		usleep(1000 * (tries % 7));	/* vary the phase */
	}
	r.stop = true;
	pthread_join(t, NULL);
	close(fd);
	EXPECT_EQ(0, (int)r.ret) TH_LOG("a sysfs reset failed: %s", strerror(r.err));
	TH_LOG("EAGAIN in %d of %d tries (%d succeeded) beside %d sysfs resets",
	       eagain, tries, done, (int)r.resets);
	EXPECT_LE(5, eagain);
}

/* A process reading all along never sees the device in reset. */
TEST_F(edu_hp, reader_survives_resets)
{
	volatile void *bar;
	int status, i;
	pid_t pid;

	bar = uiox_map(self->fd, 0, 4096);
	ASSERT_NE(MAP_FAILED, bar);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (;;)
			if (rd32(bar, EDU_REG_ID) != EDU_ID)
				_exit(1);
	}
	for (i = 0; i < 3; i++) {
		usleep(100000);
		ASSERT_EQ(0, variant->reset(self->fd, self->bdf));
	}
	usleep(100000);
	kill(pid, SIGTERM);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) {
		TH_LOG("the reader saw something other than edu's ID: the BAR stayed mapped during a reset");
	}
	if (WIFSIGNALED(status))
		EXPECT_EQ(SIGTERM, WTERMSIG(status));
	EXPECT_EQ(0, munmap((void *)bar, 4096));
}

/*
 * A reset that visibly happened: ivshmem behind a root port (a secondary
 * bus reset) puts its interrupt mask register back to 0.  edu and e1000e
 * keep their registers through their resets in QEMU, so they cannot show
 * one.  Read through a mapping made before the reset: zapped, faulted back.
 */
FIXTURE(ivshmem_hp) {
	char bdf[64];
	int fd;
};

FIXTURE_VARIANT(ivshmem_hp) {
	int (*reset)(int fd, const char *bdf);
};

FIXTURE_VARIANT_ADD(ivshmem_hp, ioctl) {
	.reset = reset_ioctl,
};

FIXTURE_VARIANT_ADD(ivshmem_hp, sysfs) {
	.reset = reset_sysfs,
};

FIXTURE_SETUP(ivshmem_hp)
{
	self->fd = uiox_open_pci(IVSHMEM_VENDOR, IVSHMEM_DEVICE, BEHIND_BRIDGE,
				 self->bdf, sizeof(self->bdf));
	ASSERT_LE(0, self->fd) {
		TH_LOG("no ivshmem behind a root port bound to uiox (vmrun --dev ivshmem-hp)");
	}
}

FIXTURE_TEARDOWN(ivshmem_hp)
{
	close(self->fd);
}

TEST_F(ivshmem_hp, reset_puts_registers_back_to_their_reset_values)
{
	volatile void *regs = uiox_map(self->fd, 0, 4096);
	long faults;

	ASSERT_NE(MAP_FAILED, regs);
	wr32(regs, IVSHMEM_INTR_MASK, 0xffffffff);
	ASSERT_EQ(0xffffffff, rd32(regs, IVSHMEM_INTR_MASK));
	ASSERT_EQ(0, variant->reset(self->fd, self->bdf));
	faults = minor_faults();
	EXPECT_EQ(0, rd32(regs, IVSHMEM_INTR_MASK));
	EXPECT_LT(faults, minor_faults());
	EXPECT_EQ(0, munmap((void *)regs, 4096));
}

/* ---- e1000e: an I/O-port region ----------------------------------- */

FIXTURE(e1000e) {
	char bdf[64];
	int fd;
	int io;		/* index of the I/O region */
};

FIXTURE_SETUP(e1000e)
{
	struct uiox_region_info r;
	int i;

	self->fd = uiox_open_pci(E1000E_VENDOR, E1000E_DEVICE, ANY_BUS, self->bdf,
				 sizeof(self->bdf));
	ASSERT_LE(0, self->fd) {
		TH_LOG("no %04x:%04x bound to uiox", E1000E_VENDOR, E1000E_DEVICE);
	}
	self->io = -1;
	for (i = 0; i < 6; i++) {
		ASSERT_EQ(0, region_info(self->fd, i, &r));
		if (r.flags & UIOX_REGION_IO)
			self->io = i;
	}
	ASSERT_LE(0, self->io) {
		TH_LOG("e1000e has no I/O region");
	}
}

FIXTURE_TEARDOWN(e1000e)
{
	close(self->fd);
}

static int port_io(int fd, unsigned int index, uint32_t flags,
		   uint32_t width, uint64_t off, uint32_t *value)
{
	struct uiox_port_io io = {
		.argsz = sizeof(io), .index = index, .flags = flags,
		.width = width, .offset = off, .value = *value,
	};
	int ret = ioctl(fd, UIOX_PORT_IO, &io);

	*value = io.value;
	return ret;
}

TEST_F(e1000e, io_region_is_not_mappable)
{
	struct uiox_region_info r;

	ASSERT_EQ(0, region_info(self->fd, self->io, &r));
	EXPECT_EQ(UIOX_REGION_IO, r.flags);
	EXPECT_EQ(32, r.size);
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED, UIOX_REGION_OFFSET(self->io)));
}

/*
 * Unless MSI is isolated (interrupt remapping, a GICv3 ITS), whoever writes
 * the MSI-X table aims the device's interrupts anywhere: the pages of the
 * table and the PBA cannot be mapped, the rest of their BAR can.  With MSI
 * isolated, every page can.  (With 16 KiB pages the table, the PBA and the
 * page between them are one page.)
 */
TEST_F(e1000e, msix_table_pages_are_mappable_only_when_msi_is_isolated)
{
	int rw = PROT_READ | PROT_WRITE, bar = msix_region(self->fd);
	int refused = msi_isolated() ? 0 : EPERM;
	off_t at;

	ASSERT_LE(0, bar) TH_LOG("no region has UIOX_REGION_MSIX");
	at = UIOX_REGION_OFFSET(bar);
	EXPECT_EQ(refused, try_mmap(self->fd, getpagesize(), rw, MAP_SHARED, at));
	if (getpagesize() == 4096) {
		EXPECT_EQ(0, try_mmap(self->fd, 4096, rw, MAP_SHARED, at + 4096));
		EXPECT_EQ(refused, try_mmap(self->fd, 4096, PROT_READ,
					    MAP_SHARED, at + 2 * 4096));
	}
	EXPECT_EQ(refused, try_mmap(self->fd, 16384, rw, MAP_SHARED, at));
}

/* IOADDR (offset 0) selects a register, IODATA (offset 4) reads it. */
TEST_F(e1000e, port_io_reads_the_registers_mmio_reads)
{
	static const uint32_t regs[] = { 0x0 /* CTRL */, 0x8 /* STATUS */ };
	volatile void *bar;
	unsigned int i;
	uint32_t v;

	bar = uiox_map(self->fd, 0, 128 * 1024);
	ASSERT_NE(MAP_FAILED, bar);
	for (i = 0; i < 2; i++) {
		v = regs[i];
		ASSERT_EQ(0, port_io(self->fd, self->io, UIOX_PORT_WRITE, 4, 0, &v));
		ASSERT_EQ(0, port_io(self->fd, self->io, 0, 4, 4, &v));
		EXPECT_EQ(rd32(bar, regs[i]), v);
	}
	v = 0;
	ASSERT_EQ(0, port_io(self->fd, self->io, 0, 4, 0, &v));
	EXPECT_EQ(0x8, v);	/* IOADDR reads back */
	EXPECT_EQ(0, munmap((void *)bar, 128 * 1024));
}

TEST_F(e1000e, port_io_bad_arguments)
{
	uint32_t v = 0;

	EXPECT_EQ(-1, port_io(self->fd, self->io, 0, 3, 0, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, port_io(self->fd, self->io, 0, 4, 2, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, port_io(self->fd, self->io, 0, 4, 32, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, port_io(self->fd, self->io, 0, 4, ~0ULL - 1, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, port_io(self->fd, self->io, 0x2, 4, 0, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, port_io(self->fd, 6, 0, 4, 0, &v));
	EXPECT_EQ(EINVAL, errno);
	v = 0x100;
	EXPECT_EQ(-1, port_io(self->fd, self->io, UIOX_PORT_WRITE, 1, 0, &v));
	EXPECT_EQ(EINVAL, errno);
}

/* ---- ivshmem: write-combining, and a sub-page BAR ----------------- */

#define IVSHMEM_SIZE	(1024 * 1024)

FIXTURE(ivshmem) {
	char bdf[64];
	int fd;
};

FIXTURE_SETUP(ivshmem)
{
	self->fd = uiox_open_pci(IVSHMEM_VENDOR, IVSHMEM_DEVICE, ANY_BUS, self->bdf,
				 sizeof(self->bdf));
	ASSERT_LE(0, self->fd) {
		TH_LOG("no %04x:%04x bound to uiox", IVSHMEM_VENDOR, IVSHMEM_DEVICE);
	}
}

FIXTURE_TEARDOWN(ivshmem)
{
	close(self->fd);
}

TEST_F(ivshmem, write_combining_on_prefetchable_bar)
{
	struct uiox_region_info r;
	volatile uint32_t *wc, *uc;
	unsigned int i;

	ASSERT_EQ(0, region_info(self->fd, 2, &r));
	ASSERT_EQ(UIOX_REGION_MMAP | UIOX_REGION_PREFETCH | UIOX_REGION_MEM64,
		  r.flags);

	wc = mmap(NULL, IVSHMEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->fd, UIOX_REGION_OFFSET_WC(2));
	ASSERT_NE(MAP_FAILED, wc);
	for (i = 0; i < 1024; i++)
		wc[i] = 0xc0de0000 + i;
	__sync_synchronize();
	expect_memtype(_metadata, self->bdf, 2, "write-combining");

	/* one cache mode at a time */
	EXPECT_EQ(EBUSY, try_mmap(self->fd, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED, UIOX_REGION_OFFSET(2)));
	EXPECT_EQ(0, munmap((void *)wc, IVSHMEM_SIZE));

	uc = uiox_map(self->fd, 2, IVSHMEM_SIZE);
	ASSERT_NE(MAP_FAILED, uc);
	for (i = 0; i < 1024; i++)
		ASSERT_EQ(0xc0de0000 + i, uc[i]);
	expect_memtype(_metadata, self->bdf, 2, "uncached-minus");
	EXPECT_EQ(EBUSY, try_mmap(self->fd, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED, UIOX_REGION_OFFSET_WC(2)));
	EXPECT_EQ(0, munmap((void *)uc, IVSHMEM_SIZE));
}

/*
 * A mapping that starts inside the BAR shows the BAR's pages from there:
 * each word of pages 5..7, mapped alone, is the word at the same place in
 * a mapping of the whole BAR, both ways round.
 */
TEST_F(ivshmem, mmap_partial_inside_bar)
{
	const size_t page = getpagesize(), first = 5, n = 3;
	volatile uint32_t *all, *part;
	size_t i, words = n * page / 4;

	all = uiox_map(self->fd, 2, IVSHMEM_SIZE);
	ASSERT_NE(MAP_FAILED, all);
	part = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		    UIOX_REGION_OFFSET(2) + first * page);
	ASSERT_NE(MAP_FAILED, part);
	for (i = 0; i < IVSHMEM_SIZE / 4; i++)
		all[i] = 0x5a000000 + i;
	for (i = 0; i < words; i++)
		ASSERT_EQ(0x5a000000 + first * page / 4 + i, part[i]);
	for (i = 0; i < words; i++)
		part[i] = ~(uint32_t)i;
	for (i = 0; i < words; i++)
		ASSERT_EQ(~(uint32_t)i, all[first * page / 4 + i]);
	EXPECT_EQ(0x5a000000 + (first + n) * page / 4, all[(first + n) * page / 4]);
	EXPECT_EQ(0, munmap((void *)part, n * page));
	EXPECT_EQ(0, munmap((void *)all, IVSHMEM_SIZE));
}

TEST_F(ivshmem, sub_page_bar_with_its_own_page_maps)
{
	unsigned long long start, size, s, e;
	struct uiox_region_info r;
	char line[256];
	const size_t pg = getpagesize();
	volatile void *regs;
	int pad = 0;
	FILE *f;

	ASSERT_EQ(0, region_info(self->fd, 0, &r));
	EXPECT_EQ(256, r.size);
	ASSERT_EQ(UIOX_REGION_MMAP, r.flags);
	ASSERT_EQ(0, region_addr(self->bdf, 0, &start, &size, NULL));

	/* the rest of the page is claimed, so nothing else can land there */
	f = fopen("/proc/iomem", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "uiox page pad") &&
		    sscanf(line, " %llx-%llx", &s, &e) == 2)
			pad |= s == start + 256 && e == (start | (pg - 1));
	fclose(f);
	EXPECT_TRUE(pad);

	regs = uiox_map(self->fd, 0, pg);
	ASSERT_NE(MAP_FAILED, regs);
	wr32(regs, IVSHMEM_INTR_MASK, 0xffffffff);
	EXPECT_EQ(0xffffffff, rd32(regs, IVSHMEM_INTR_MASK));
	wr32(regs, IVSHMEM_INTR_MASK, 0);
	EXPECT_EQ(0, rd32(regs, IVSHMEM_INTR_MASK));
	EXPECT_EQ(0, munmap((void *)regs, pg));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 2 * pg, PROT_READ | PROT_WRITE,
				   MAP_SHARED, UIOX_REGION_OFFSET(0)));
}

/* ---- regions too large for the mmap offset's page field ----------- */

#ifdef __x86_64__	/* vmrun's bigbar sizes q35's 64-bit window */

#define TESTDEV_VENDOR	0x1b36		/* QEMU's pci-testdev */
#define TESTDEV_DEVICE	0x0005
#define TESTDEV_MEMBAR	2		/* vmrun --dev bigbar: 1 TiB, 512 GiB */
#define TESTDEVS	2

FIXTURE(bigbar) {
	char bdf[TESTDEVS][64];
	int fd[TESTDEVS];
};

FIXTURE_SETUP(bigbar)
{
	int i, bound = 0;

	for (i = 0; i < TESTDEVS; i++) {
		self->fd[i] = -1;
		if (pci_find(TESTDEV_VENDOR, TESTDEV_DEVICE, ANY_BUS, i,
			     self->bdf[i], sizeof(self->bdf[i])))
			break;
		if (uiox_bind_override("pci", self->bdf[i]) == 0)
			self->fd[i] = uiox_open(self->bdf[i], 0);
		bound += self->fd[i] >= 0;
	}
	if (bound < TESTDEVS) {
		while (i--)		/* leave no override behind */
			uiox_unbind_override("pci", self->bdf[i]);
	}
	ASSERT_EQ(TESTDEVS, bound) {
		TH_LOG("%d of %d pci-testdevs bound (vmrun --dev bigbar)",
		       bound, TESTDEVS);
	}
}

FIXTURE_TEARDOWN(bigbar)
{
	int i;

	for (i = 0; i < TESTDEVS; i++) {
		close(self->fd[i]);
		uiox_unbind_override("pci", self->bdf[i]);
	}
}

/* 512 GiB is the first size refused: UIOX_OFFSET_WC. */
TEST_F(bigbar, regions_of_512_gib_and_more_are_described_but_not_mappable)
{
	unsigned long long start, size, sizes = 0;
	struct uiox_region_info r;
	volatile void *regs;
	int i, fd;

	for (i = 0; i < TESTDEVS; i++) {
		fd = self->fd[i];
		ASSERT_EQ(0, region_info(fd, TESTDEV_MEMBAR, &r));
		EXPECT_EQ(UIOX_REGION_PREFETCH | UIOX_REGION_MEM64, r.flags);
		EXPECT_EQ(UIOX_REGION_OFFSET(TESTDEV_MEMBAR), r.offset);
		/* placed by Linux, naturally aligned: unmappable for its size only */
		ASSERT_EQ(0, region_addr(self->bdf[i], TESTDEV_MEMBAR, &start, &size, NULL));
		EXPECT_EQ(r.size, size);
		EXPECT_NE(0, start);
		EXPECT_EQ(0, start % size);
		sizes |= size;

		/* its offsets would run into the write-combining bit */
		EXPECT_EQ(EINVAL, try_mmap(fd, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
					   UIOX_REGION_OFFSET(TESTDEV_MEMBAR)));
		EXPECT_EQ(EINVAL, try_mmap(fd, 4096, PROT_READ, MAP_SHARED,
					   UIOX_REGION_OFFSET_WC(TESTDEV_MEMBAR)));
		EXPECT_EQ(EINVAL, try_mmap(fd, 4096, PROT_READ, MAP_SHARED,
					   UIOX_REGION_OFFSET(TESTDEV_MEMBAR) +
					   UIOX_OFFSET_WC - 4096));

		/* the device's other memory region maps as usual */
		ASSERT_EQ(0, region_info(fd, 0, &r));
		EXPECT_EQ(UIOX_REGION_MMAP, r.flags);
		regs = uiox_map(fd, 0, 4096);
		ASSERT_NE(MAP_FAILED, regs);
		EXPECT_EQ(0, munmap((void *)regs, 4096));
	}
	EXPECT_EQ(UIOX_OFFSET_WC | UIOX_OFFSET_WC << 1, sizes);
}

#endif

/* ---- bridges are refused ------------------------------------------ */

/*
 * This probe's refusal: one more "not binding to a bridge" line for it.
 * A bridge with a driver (shpchp, where its hot-plug controller is on)
 * is let go first and given back after.
 */
TEST(bridge_is_refused)
{
	char bdf[64], node[128], path[256], link[256], drv[128] = "";
	int before;
	ssize_t n;

	ASSERT_EQ(0, pci_find(0x1b36, 0x0001, ANY_BUS, 0, bdf, sizeof(bdf))) {
		TH_LOG("no pci-bridge (vmrun --dev bridge)");
	}
	before = kernel_log_count(NULL, bdf, ": not binding to a bridge");
	ASSERT_LE(0, before);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		snprintf(drv, sizeof(drv), "%s", strrchr(link, '/') + 1);
		snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind", drv);
		ASSERT_EQ(0, sysfs_write(path, bdf));
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
	ASSERT_EQ(0, sysfs_write(path, "uiox"));
	sysfs_write("/sys/bus/pci/drivers_probe", bdf);
	snprintf(node, sizeof(node), "/dev/uiox/%s", bdf);
	EXPECT_NE(0, access(node, F_OK));
	snprintf(node, sizeof(node), "/sys/bus/pci/drivers/uiox/%s", bdf);
	EXPECT_NE(0, access(node, F_OK));
	sysfs_write(path, "\n");
	EXPECT_EQ(before + 1,
		  kernel_log_count(NULL, bdf, ": not binding to a bridge"));
	if (drv[0]) {
		sysfs_write("/sys/bus/pci/drivers_probe", bdf);
		snprintf(node, sizeof(node), "/sys/bus/pci/drivers/%s/%s", drv, bdf);
		EXPECT_EQ(0, access(node, F_OK)) TH_LOG("%s not back with %s", bdf, drv);
	}
}

TEST_HARNESS_MAIN
