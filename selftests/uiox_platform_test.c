// SPDX-License-Identifier: GPL-2.0
/*
 * uiox on a device-tree platform device: QEMU arm64 virt's PL031 RTC, which
 * dts/qemu-virt-pl031-uiox.dtso hands to uiox (tools/rig/vmrun --arch arm64).
 *
 *   - identity, region and interrupt info of a platform device;
 *   - registers through mmap (PrimeCell ID, the load and data registers);
 *   - the mapping is an I/O mapping without exec, and the usual bad
 *     requests fail (its memory type, Device-nGnRnE, is not visible from
 *     userspace here: QEMU 7.2's TCG does not raise the alignment fault an
 *     unaligned load from Device memory gets on hardware);
 *   - the alarm interrupt: a level-triggered line that stays asserted until
 *     userspace clears the device, so the stub must mask it (disable_irq)
 *     and count it once; unmask through write() and UIOX_IRQ_UNMASK_WAIT;
 *   - random ioctls, mmap requests and UIO-protocol calls get clean errors;
 *   - sub-page regions that share their page with another device's
 *     registers (virtio-mmio transports) are not mappable;
 *   - unbind while a process reads the registers in a loop and another
 *     blocks in read(): SIGBUS and ENODEV; bind again; rmmod.
 */
#include <signal.h>

#include "uiox_test.h"
#include "kselftest_harness.h"
#include "uiox_fuzz.h"
#include "../tools/examples/devices/pl031.h"

UIOX_TEST_NEEDS_PLATFORM(VIRT_PL031_NAME, "QEMU virt's PL031")

#define IRQ_NAME	"uiox[" VIRT_PL031_NAME "]-intx0"

static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00,
				     0x0d, 0xf0, 0x05, 0xb1 };

/* Whether /proc/iomem has a "uiox page pad" in [start, end). */
static int iomem_pad_in(unsigned long start, unsigned long end)
{
	unsigned long lo, hi;
	char line[256];
	int found = 0;
	FILE *f = fopen("/proc/iomem", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "uiox page pad") &&
		    sscanf(line, " %lx-%lx", &lo, &hi) == 2 &&
		    lo < end && hi >= start)
			found = 1;
	if (f)
		fclose(f);
	return f ? found : -1;
}

FIXTURE(pl031) {
	int fd;
	volatile void *regs;
};

FIXTURE_SETUP(pl031)
{
	self->fd = uiox_open(VIRT_PL031_NAME, 0);
	ASSERT_LE(0, self->fd) {
		TH_LOG("/dev/uiox/%s missing: uiox not loaded, or the device tree lacks dts/qemu-virt-pl031-uiox.dtso (vmrun --arch arm64)",
		       VIRT_PL031_NAME);
	}
	self->regs = uiox_map(self->fd, 0, PL031_SIZE);
	ASSERT_NE(MAP_FAILED, self->regs);
	wr32(self->regs, PL031_IMSC, 0);
	wr32(self->regs, PL031_ICR, 1);
}

FIXTURE_TEARDOWN(pl031)
{
	wr32(self->regs, PL031_IMSC, 0);
	wr32(self->regs, PL031_ICR, 1);
	munmap((void *)self->regs, PL031_SIZE);
	close(self->fd);
}

TEST_F(pl031, platform_identity_regions_and_interrupts)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	struct uiox_region_info r = { .argsz = sizeof(r) };
	struct uiox_irq_info irq = { .argsz = sizeof(irq) };
	struct uiox_dma_alloc dma;
	char buf[256];

	ASSERT_EQ(0, ioctl(self->fd, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(UIOX_DEVICE_PLATFORM, info.flags);
	EXPECT_EQ(1, info.num_regions);
	EXPECT_EQ(1, info.num_irqs);
	EXPECT_EQ(0, info.vendor);

	ASSERT_EQ(0, ioctl(self->fd, UIOX_GET_REGION_INFO, &r));
	EXPECT_EQ(UIOX_REGION_MMAP, r.flags);
	EXPECT_EQ(PL031_SIZE, r.size);
	EXPECT_EQ(UIOX_REGION_OFFSET(0), r.offset);
	r.index = 1;
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_GET_REGION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);

	/* the wired line, masked by disable_irq: no INTx masking, no MSI */
	ASSERT_EQ(0, ioctl(self->fd, UIOX_GET_IRQ_INFO, &irq));
	EXPECT_EQ(UIOX_IRQ_CAN_INTX, irq.flags);
	EXPECT_EQ(UIOX_IRQ_INTX, irq.mode);
	EXPECT_EQ(1, irq.num_vectors);
	EXPECT_EQ(0, irq.max_msi);
	EXPECT_EQ(0, irq.max_msix);
	EXPECT_EQ(-1, uiox_set_irq_mode(self->fd, UIOX_IRQ_MSI, 1));
	EXPECT_EQ(EOPNOTSUPP, errno);

	/* PCI-only controls, DMA memory included */
	EXPECT_EQ(-1, uiox_bus_master(self->fd, 1));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, uiox_dma_mask(self->fd, 32));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, uiox_dma_alloc(self->fd, 4096, &dma));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, uiox_dma_free(self->fd, 0));
	EXPECT_EQ(ENOTTY, errno);

	ASSERT_EQ(0, sysfs_read("/sys/class/uiox/" VIRT_PL031_NAME "/regions",
				buf, sizeof(buf)));
	EXPECT_STREQ("0 0x0000000009010000 0x1000 mem,mmap", buf);
	ASSERT_EQ(0, sysfs_read("/sys/class/uiox/" VIRT_PL031_NAME "/irq_mode",
				buf, sizeof(buf)));
	EXPECT_STREQ("intx", buf);
	EXPECT_EQ(0, access("/sys/bus/platform/drivers/uiox/" VIRT_PL031_NAME,
			    F_OK));
}

TEST_F(pl031, registers_through_mmap)
{
	uint32_t t;
	int i;

	for (i = 0; i < 8; i++)
		EXPECT_EQ(pl031_id[i], rd32(self->regs, PL031_ID + 4 * i) & 0xff);

	wr32(self->regs, PL031_LR, 1000000);
	t = rd32(self->regs, PL031_DR);
	EXPECT_LE(1000000, t);
	EXPECT_GE(1000002, t);
	usleep(1500000);
	EXPECT_LT(t, rd32(self->regs, PL031_DR)) {
		TH_LOG("the clock did not tick through the mapping");
	}
}

TEST_F(pl031, mapping_is_io_without_exec)
{
	char flags[256];

	ASSERT_EQ(0, vm_flags(self->regs, flags, sizeof(flags)));
	EXPECT_TRUE(has_flag(flags, "io") && has_flag(flags, "pf") &&
		    has_flag(flags, "dd") && has_flag(flags, "de")) {
		TH_LOG("VmFlags:%s", flags);
	}
	EXPECT_FALSE(has_flag(flags, "ex") || has_flag(flags, "me")) {
		TH_LOG("VmFlags:%s", flags);
	}

	EXPECT_EQ(EPERM, try_mmap(self->fd, PL031_SIZE, PROT_READ | PROT_EXEC,
				  MAP_SHARED, 0));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, PL031_SIZE, PROT_READ,
				   MAP_PRIVATE, 0));
	/*
	 * The region maps as the page that holds it (16 KiB on arm64-16k),
	 * the rest of a bigger page claimed as uiox's own; not past it.
	 */
	EXPECT_EQ(getpagesize() > PL031_SIZE,
		  iomem_pad_in(VIRT_PL031_BASE + PL031_SIZE, VIRT_PL031_BASE + getpagesize()));
	EXPECT_EQ(0, try_mmap(self->fd, getpagesize(), PROT_READ, MAP_SHARED, 0));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, getpagesize() + PL031_SIZE,
				   PROT_READ, MAP_SHARED, 0));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, PL031_SIZE, PROT_READ, MAP_SHARED,
				   UIOX_REGION_OFFSET(1)));
	/* not prefetchable: no write-combining */
	EXPECT_EQ(EINVAL, try_mmap(self->fd, PL031_SIZE, PROT_READ, MAP_SHARED,
				   UIOX_REGION_OFFSET_WC(0)));
	EXPECT_EQ(-1, mprotect((void *)self->regs, PL031_SIZE,
			       PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
}

/* Arm the alarm for two seconds from now. */
static void pl031_arm(volatile void *regs)
{
	wr32(regs, PL031_MR, rd32(regs, PL031_DR) + 2);
	wr32(regs, PL031_IMSC, 1);
}

static void pl031_clear(volatile void *regs)
{
	wr32(regs, PL031_IMSC, 0);
	wr32(regs, PL031_ICR, 1);
}

TEST_F(pl031, level_alarm_is_masked_until_userspace_unmasks)
{
	struct uiox_irq_wait w = { .argsz = sizeof(w), .timeout_ms = 5000 };
	long before = irq_count(IRQ_NAME);
	char buf[64];

	ASSERT_LE(0, before) {
		TH_LOG("no %s in /proc/interrupts", IRQ_NAME);
	}
	EXPECT_FALSE(readable_within(self->fd, 0));
	pl031_arm(self->regs);
	ASSERT_TRUE(readable_within(self->fd, 5000)) {
		TH_LOG("no alarm interrupt within 5 s");
	}
	EXPECT_EQ(1, uio_read_count(self->fd));

	/* still asserted, but masked: no second event, the handler ran once */
	EXPECT_EQ(1, rd32(self->regs, PL031_RIS) & 1);
	EXPECT_FALSE(readable_within(self->fd, 300));
	EXPECT_EQ(before + 1, irq_count(IRQ_NAME));
	ASSERT_EQ(0, sysfs_read("/sys/class/uiox/" VIRT_PL031_NAME "/irq_counts",
				buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);

	/* serviced: clear the device, then unmask; nothing spurious */
	wr32(self->regs, PL031_ICR, 1);
	EXPECT_EQ(0, rd32(self->regs, PL031_RIS) & 1);
	EXPECT_EQ(0, uio_unmask(self->fd, 1));
	EXPECT_FALSE(readable_within(self->fd, 300));

	/* the next alarm, with unmask-and-wait in one call */
	pl031_arm(self->regs);
	ASSERT_EQ(0, ioctl(self->fd, UIOX_IRQ_UNMASK_WAIT, &w));
	EXPECT_EQ(2, w.count);
	EXPECT_EQ(before + 2, irq_count(IRQ_NAME));
}

/*
 * Hostile callers: random ioctls (bus master, reset, port I/O and DMA are
 * ENOTTY here), mmap requests and UIO-protocol calls; the device is whole.
 */
TEST_F(pl031, fuzzed_calls_get_clean_errors)
{
	const struct fuzz_target t = {
		VIRT_PL031_NAME, PL031_ID, pl031_id[0], pl031_arm, pl031_clear,
	};
	long openers = uiox_attr_num(VIRT_PL031_NAME, "openers");
	struct fuzz_layout l;
	int nb;

	seed(_metadata);
	fuzz_ioctls(_metadata, self->fd, VIRT_PL031_NAME, fuzz_calls(20000));
	fuzz_layout_get(_metadata, self->fd, &l, NULL, 0);
	fuzz_mmap(_metadata, self->fd, fuzz_calls(3000), &l, true);
	nb = uiox_open(VIRT_PL031_NAME, 0);
	ASSERT_LE(0, nb);
	fuzz_uio_protocol(_metadata, nb, fuzz_calls(3000));
	close(nb);
	fuzz_device_whole(_metadata, self->fd, &t, openers);
}

/* Child: read PeriphID0 until something happens; SIGBUS is expected. */
static void id_reader(int fd, int ready)
{
	volatile void *regs = uiox_map(fd, 0, PL031_SIZE);

	if (regs == MAP_FAILED || rd32(regs, PL031_ID) != pl031_id[0])
		_exit(CHILD_SETUP_FAILED);
	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	for (;;)
		if (rd32(regs, PL031_ID) != pl031_id[0])
			_exit(CHILD_READ_STALE);
}

/*
 * QEMU virt's first two virtio-mmio transports, 0x200 bytes each, in one
 * page with the others (eight to a 4 KiB page); no driver holds them
 * (virtio_mmio is a module the guest does not load), so none of them is in
 * the iomem tree.  Neither may be mapped, no pad claims their page, and
 * binding the first must not keep the second out.
 */
TEST(sub_page_regions_sharing_a_page_are_not_mappable)
{
	static const char * const dev[] = { "a000000.virtio_mmio",
					    "a000200.virtio_mmio" };
	struct uiox_region_info r;
	int i, fd;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, uiox_bind_override("platform", dev[i])) {
			TH_LOG("cannot bind %s to uiox", dev[i]);
		}
		fd = uiox_open(dev[i], 0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, region_info(fd, 0, &r));
		EXPECT_EQ(0x200, r.size);
		EXPECT_EQ(0, r.flags & UIOX_REGION_MMAP);
		EXPECT_EQ(MAP_FAILED, mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED,
					   fd, 0));
		EXPECT_EQ(EINVAL, errno);
		close(fd);
	}
	EXPECT_EQ(0, iomem_pad_in(0xa000000, 0xa000000 + getpagesize()));
	for (i = 0; i < 2; i++)
		uiox_unbind_override("platform", dev[i]);
}

/*
 * Destructive (unbind, rmmod): a fixture of their own, defined after pl031,
 * so that they run after its tests.
 */
FIXTURE(pl031_last) {
};

FIXTURE_SETUP(pl031_last)
{
}

FIXTURE_TEARDOWN(pl031_last)
{
}

TEST_F(pl031_last, unbind_sigbus_enodev_and_bind_again)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	pid_t mapper, reader;
	char proc[32];
	int fd;

	fd = uiox_open(VIRT_PL031_NAME, 0);
	ASSERT_LE(0, fd);
	mapper = spawn(id_reader, fd);
	reader = spawn(blocked_reader, fd);
	ASSERT_LT(0, mapper);
	ASSERT_LT(0, reader);
	/* the unbind must find the reader asleep, not on its way there */
	EXPECT_EQ(0, wait_asleep_in(proc_of(reader, proc, sizeof(proc)),
				    SYS_read, -1, 5000));

	ASSERT_EQ(0, uiox_unbind("platform", VIRT_PL031_NAME));
	EXPECT_EQ(0, wait_gone("/dev/uiox/" VIRT_PL031_NAME, 10));
	EXPECT_EQ(128 + SIGBUS, exit_code(mapper)) {
		TH_LOG("register reader did not die of SIGBUS");
	}
	EXPECT_EQ(CHILD_OK, exit_code(reader)) {
		TH_LOG("blocked read() did not fail with ENODEV");
	}
	EXPECT_EQ(-1, ioctl(fd, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(0, close(fd));

	/* the device is free again: bind it back */
	ASSERT_EQ(0, uiox_driver_bind("platform", VIRT_PL031_NAME));
	fd = uiox_open(VIRT_PL031_NAME, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ioctl(fd, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(0, close(fd));
}

TEST_F(pl031_last, rmmod_with_the_platform_device_bound)
{
	int status = system("rmmod uiox");

	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_NE(0, access("/sys/module/uiox", F_OK));
	/* the region is free again */
	EXPECT_EQ(0, system("! grep -q " VIRT_PL031_NAME " /proc/iomem"));
}

TEST_HARNESS_MAIN
